"""The demo's customers: who they are, their tier and habits, contact details and real gaps."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.demo.datafiles import read_toml
from bot.demo.habits import BEANS, TIER_WEIGHTS, TIERS
from bot.demo.shop import (
    APPAREL,
    CATEGORY_WEIGHTS,
    FOOTWEAR,
    LAST_DAY,
    STORE_WEIGHTS,
    STORES,
    store_associates,
)


@dataclass(frozen=True)
class NamePool:
    """First names and surnames of one origin, and the language those customers speak."""

    language: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]  # "Masculine/Feminine" where the surname follows gender
    count: int


@dataclass(frozen=True)
class KnownCustomer:
    """A customer the examples and the docs talk about, pinned instead of drawn."""

    first_name: str
    last_name: str
    gender: str
    language: str
    tier: str
    favourites: tuple[str, ...]
    preferences: str
    sizes: str = ""
    notes: tuple[str, ...] = ()


@dataclass
class Shopper:
    """A customer row plus the hidden habits that drive their purchases."""

    customer_id: str
    first_name: str
    last_name: str
    gender: str
    language: str
    tier: str
    favourites: tuple[str, ...]
    preferences: str
    sizes: str
    home_store: str
    associate_id: str
    bean: str
    first_day: int
    last_day: int
    email: str = ""
    phone: str = ""
    birthday: str = ""
    marketing_consent: bool = False
    notes: tuple[str, ...] = ()


NAME_POOLS: tuple[NamePool, ...] = tuple(
    NamePool(
        pool["language"],
        tuple(pool["male"]),
        tuple(pool["female"]),
        tuple(pool["surnames"]),
        pool["count"],
    )
    for pool in read_toml("name_pools.toml")["pool"]
)


def _known_customer(entry: dict[str, Any]) -> KnownCustomer:
    lists = {"favourites": tuple(entry["favourites"]), "notes": tuple(entry.get("notes", ()))}
    return KnownCustomer(**entry | lists)


_KNOWN = read_toml("known_customers.toml")
KNOWN_CUSTOMERS: tuple[KnownCustomer, ...] = tuple(map(_known_customer, _KNOWN["customer"]))
RESERVED_FIRST_NAMES: tuple[str, ...] = tuple(_KNOWN["reserved_first_names"])

_PROFILES = read_toml("profiles.toml")
PREFERENCES: dict[str, tuple[str, ...]] = {
    category: tuple(phrases) for category, phrases in _PROFILES["preferences"].items()
}
PREFERRED_BEANS: dict[str, tuple[str, ...]] = {
    phrase: tuple(beans) for phrase, beans in _PROFILES["preferred_beans"].items()
}
PHONE_FORMATS: dict[str, str] = dict(_PROFILES["phone_formats"])
EMAIL_DOMAINS: tuple[str, ...] = tuple(_PROFILES["email_domains"])
ASCII_FOLD = str.maketrans(_PROFILES["ascii_fold"])
TOP_SIZES: dict[str, tuple[str, ...]] = {
    gender: tuple(sizes) for gender, sizes in _PROFILES["top_sizes"].items()
}
SHOE_SIZES: dict[str, tuple[int, int]] = {
    gender: (low, high) for gender, (low, high) in _PROFILES["shoe_sizes"].items()
}

Person = tuple[str, str, str, str, KnownCustomer | None]  # first, last, gender, language, known


def make_shoppers(rng: random.Random) -> list[Shopper]:
    """Draw the customers: the known ones plus names from every pool, in a shuffled order."""
    people: list[Person] = [
        (k.first_name, k.last_name, k.gender, k.language, k) for k in KNOWN_CUSTOMERS
    ]
    taken = {f"{first} {last}" for first, last, *_ in people}
    for pool in NAME_POOLS:
        drawn = 0
        while drawn < pool.count:
            gender = rng.choice("fm")
            first = rng.choice(pool.female if gender == "f" else pool.male)
            last = gendered_surname(rng.choice(pool.surnames), gender)
            if first in RESERVED_FIRST_NAMES or f"{first} {last}" in taken:
                continue
            taken.add(f"{first} {last}")
            people.append((first, last, gender, pool.language, None))
            drawn += 1
    rng.shuffle(people)
    emails: set[str] = set()
    return [
        make_shopper(rng, f"C{number:04d}", person, emails)
        for number, person in enumerate(people, start=1)
    ]


def gendered_surname(entry: str, gender: str) -> str:
    """Pick the masculine or feminine form of a "Masculine/Feminine" surname entry."""
    masculine, _, feminine = entry.partition("/")
    return feminine if gender == "f" and feminine else masculine


def make_shopper(
    rng: random.Random,
    customer_id: str,
    person: Person,
    emails: set[str],
) -> Shopper:
    """Give one person a tier, habits, contact details and the gaps real data has."""
    first, last, gender, language, known = person
    tier = known.tier if known else rng.choices(TIERS, TIER_WEIGHTS)[0]
    favourites = known.favourites if known else pick_favourites(rng)
    preferences = known.preferences if known else make_preferences(rng, favourites)
    sizes = known.sizes if known else make_sizes(rng, gender, favourites)
    home_store = rng.choices(STORES, STORE_WEIGHTS)[0]
    if known:
        first_day, last_day = rng.randint(0, 30), LAST_DAY
    else:
        first_day = rng.randint(0, 60) if rng.random() < 0.6 else rng.randint(0, 640)
        churned = rng.random() < 0.15
        last_day = rng.randint(min(first_day + 90, LAST_DAY), LAST_DAY) if churned else LAST_DAY
    birth_year = rng.randint(1946, 2005)
    shopper = Shopper(
        customer_id=customer_id,
        first_name=first,
        last_name=last,
        gender=gender,
        language=language,
        tier=tier,
        favourites=favourites,
        preferences=preferences,
        sizes=sizes,
        home_store=home_store,
        associate_id=rng.choice(store_associates(home_store)),
        bean=pick_bean(rng, preferences),
        first_day=first_day,
        last_day=last_day,
        marketing_consent=rng.random() < 0.62,
        notes=known.notes if known else (),
    )
    if rng.random() < 0.88:
        shopper.email = make_email(rng, first, last, birth_year, emails)
    if rng.random() < 0.84:
        shopper.phone = make_phone(rng, language)
    if rng.random() < 0.8:
        born = date(birth_year, 1, 1) + timedelta(days=rng.randint(0, 364))
        shopper.birthday = born.isoformat()
    return shopper


def pick_favourites(rng: random.Random) -> tuple[str, ...]:
    """Pick one to three favourite categories, popular ones more often."""
    wanted = rng.choices((1, 2, 3), (0.35, 0.45, 0.2))[0]
    categories = list(CATEGORY_WEIGHTS)
    favourites: list[str] = []
    while len(favourites) < wanted:
        weights = [CATEGORY_WEIGHTS[c] for c in categories]
        favourites.append(categories.pop(rng.choices(range(len(categories)), weights)[0]))
    return tuple(favourites)


def make_preferences(rng: random.Random, favourites: Sequence[str]) -> str:
    """Write a short preferences text from the favourite categories (sometimes nothing)."""
    if rng.random() < 0.12:
        return ""
    phrases = [rng.choice(PREFERENCES[category]) for category in favourites[:2]]
    return "; ".join(phrases)


def make_sizes(rng: random.Random, gender: str, favourites: Sequence[str]) -> str:
    """Record shoe and top sizes, always for shoppers of footwear or apparel."""
    wears = FOOTWEAR in favourites or APPAREL in favourites
    if not wears and rng.random() < 0.45:
        return ""
    low, high = SHOE_SIZES[gender]
    shoe = f"{rng.randint(low, high)}{'.5' if rng.random() < 0.2 else ''}"
    return f"shoe EU {shoe}; top {rng.choice(TOP_SIZES[gender])}"


def pick_bean(rng: random.Random, preferences: str) -> str:
    """Choose the coffee a shopper keeps coming back for, following their stated taste."""
    for phrase, beans in PREFERRED_BEANS.items():
        if phrase in preferences:
            return rng.choice(beans)
    return rng.choice(BEANS)


def ascii_slug(text: str) -> str:
    """Fold a name to lower-case ASCII letters and digits for an e-mail address."""
    folded = unicodedata.normalize("NFKD", text.translate(ASCII_FOLD))
    return "".join(ch for ch in folded.lower() if ch.isascii() and ch.isalnum())


def make_email(rng: random.Random, first: str, last: str, birth_year: int, taken: set[str]) -> str:
    """Make a unique ASCII e-mail address on a reserved example domain."""
    given, family = ascii_slug(first), ascii_slug(last)
    local = rng.choice(
        (
            f"{given}.{family}",
            f"{given}{family}",
            f"{given[0]}{family}",
            f"{given}.{family}{birth_year % 100:02d}",
        )
    )
    domain = rng.choice(EMAIL_DOMAINS)
    email, suffix = f"{local}@{domain}", 1
    while email in taken:
        suffix += 1
        email = f"{local}{suffix}@{domain}"
    taken.add(email)
    return email


def make_phone(rng: random.Random, language: str) -> str:
    """Make a phone number in the format of the shopper's home country."""
    return "".join(str(rng.randint(0, 9)) if ch == "#" else ch for ch in PHONE_FORMATS[language])


def customer_rows(shoppers: Sequence[Shopper]) -> list[list[str]]:
    """Render the customers as customers.csv rows."""
    return [
        [
            s.customer_id,
            s.first_name,
            s.last_name,
            s.email,
            s.phone,
            s.birthday,
            s.tier,
            s.language,
            s.sizes,
            s.preferences,
            "true" if s.marketing_consent else "false",
            s.home_store,
        ]
        for s in shoppers
    ]
