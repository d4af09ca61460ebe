"""Associates' notes about the demo's customers, drawn from templates and dated at their visits."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

from bot.demo.datafiles import read_toml
from bot.demo.habits import NOTE_CHANCE
from bot.demo.history import Order, iso, till_time
from bot.demo.people import Shopper
from bot.demo.shop import ASSOCIATES

_NOTES = read_toml("notes.toml")
NOTE_TEMPLATES: dict[str, tuple[str, ...]] = {
    category: tuple(templates) for category, templates in _NOTES["templates"].items()
}
GENERAL_NOTES: tuple[str, ...] = tuple(_NOTES["general"])
PRONOUNS: dict[str, dict[str, str]] = {
    gender: dict(words) for gender, words in _NOTES["pronouns"].items()
}


def make_notes(
    rng: random.Random, shoppers: Sequence[Shopper], orders: Sequence[Order]
) -> list[list[str]]:
    """Write associates' notes about shoppers, dated at one of their visits."""
    visits: dict[str, list[Order]] = {}
    for order in orders:
        if not order.is_return:
            visits.setdefault(order.customer_id, []).append(order)
    rows: list[list[str]] = []
    for shopper in shoppers:
        texts = list(shopper.notes)
        if rng.random() < NOTE_CHANCE[shopper.tier]:
            texts += draw_notes(rng, shopper, rng.randint(1, 3 if shopper.tier == "vip" else 2))
        seen = visits.get(shopper.customer_id, [])
        notes = []
        for text in texts:
            if seen:
                visit = rng.choice(seen)
                at, associate = (
                    visit.at + timedelta(minutes=rng.randint(2, 40)),
                    visit.associate_id,
                )
            else:
                day = rng.randint(shopper.first_day, shopper.last_day)
                at, associate = till_time(rng, day), shopper.associate_id
            notes.append((at, text, ASSOCIATES[associate][0]))
        notes.sort()
        rows += [[shopper.customer_id, text, author, iso(at)] for at, text, author in notes]
    return rows


def draw_notes(rng: random.Random, shopper: Shopper, count: int) -> list[str]:
    """Draw distinct note texts that fit the shopper's categories and sizes."""
    words = dict(PRONOUNS[shopper.gender])
    shoe = shopper.sizes.split(";")[0].removeprefix("shoe EU ") if shopper.sizes else ""
    if shoe.replace(".", "").isdigit():
        words["shoe_up"] = f"{float(shoe) + 0.5:g}"
    candidates = [
        template
        for category in shopper.favourites
        for template in NOTE_TEMPLATES[category]
        if "{shoe_up}" not in template or "shoe_up" in words
    ]
    candidates += GENERAL_NOTES
    chosen = rng.sample(candidates, min(count, len(candidates)))
    return [template.format(**words) for template in chosen]
