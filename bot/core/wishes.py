"""What to show a shopper nobody named, from what she is looking for: "a customer wants something
fresh for summer under 60, what do I show her?", "Kundin sucht was Leichtes fürs Büro – was
zeig ich ihr?", "müşteri odunsu bir koku istiyor, ne göstereyim".

With no customer to build on (her purchases, her profile), the ideas are the products nearest in
meaning to what she is looking for (bot.core.retrieval, `Retrieval.products_by_meaning`), under
the budget the message gives (bot.core.gifts.budget), a few rather than the one that stands out:
a description is rarely precise enough to single out one product, and the associate chooses.
"""

from __future__ import annotations

import re
from collections.abc import Set
from functools import cache

from sqlmodel import Session

from bot.core import wording
from bot.core.datafiles import read_toml
from bot.core.features import NEGATORS
from bot.core.gifts import budget
from bot.core.i18n import _
from bot.core.mentions import someone_words
from bot.core.product_names import DESCRIBED_FLOOR
from bot.core.retrieval import Retrieval
from bot.core.rules import asks_for_ideas, ideas_asked, says_a_wish, wants_something
from bot.core.text import FOLDED_STOP_WORDS, cut_ending, fold, folded_words, strip_accents
from bot.core.types import Intent, Reply
from bot.core.understanding import Understood
from storage.models import Product
from storage.purchases import owned_skus
from storage.recommendations import popular_products

# Ideas offered at most: a description seldom singles one out, and the associate chooses.
IDEAS = 3
# What a named customer is looking for is shown before her next basket only when it fits this
# well (centred cosine): her next basket answers anyway, and a loose fit would mislead
# ("something to seal his worktop" is no compost, which scored 0.12 on a development store).
WISHED_FLOOR = 0.15
# Intents a shopper's wish is read as: asked for ideas, or the product a description fits.
WISH_INTENTS = frozenset({Intent.recommend, Intent.product})


def wish_reply(r: Retrieval, db: Session, text: str, u: Understood) -> Reply | None:
    """Return ideas for a shopper nobody named, when the message asks what to show or offer
    (`rules.asks_for_ideas`) and describes what she is looking for; None when it names a
    customer (found or not), a product or a kind of product, or nothing to go by ("what should
    I show her?" asks who). The ideas: the IDEAS products nearest in meaning at DESCRIBED_FLOOR
    or above (centred cosines), priced under the budget when one is given."""
    if u.intent not in WISH_INTENTS or u.product_kind is not None or r.names_a_kind(text):
        return None  # "which hair dryer for curly hair?" asks about the dryers
    if u.customer or u.candidates or u.suggestions:
        return None
    if u.customer_query and not _someone_unnamed(text):
        return None  # a name nobody has: not found ("Kundin will was Leichtes…" is none)
    if not asks_for_ideas(text) or not describes_a_wish(text):
        return None
    if u.sku is not None and r.product_named(text) is not None and not _by_number(r, text, u.sku):
        # A product named: a question about it ("what goes with the AeroPress?"), unless only a
        # number names it ("una señora de unos 50": no SPF 50)
        return None
    limit = budget(text)
    products = _nearest(r, db, text, limit)
    if not products:
        return None
    heading = (
        _("What fits what the customer is looking for, under {price}:").format(
            price=wording.money(limit)
        )
        if limit is not None
        else _("What fits what the customer is looking for:")
    )
    lines = [
        wording.product_line(
            p.name, p.sku, p.price, _first_sentence(p.description) if p.description else ""
        )
        for p in products
    ]
    return Reply(
        text="\n".join([heading, *lines]),
        intent=Intent.recommend,
        skus=[p.sku for p in products],
        sources=[f"product {p.sku}" for p in products],
    )


def ideas_for_anyone(db: Session) -> Reply | None:
    """Return the reply to "what should I show her?" when nobody is named or discussed and
    nothing is described: who she is is asked (her purchases make the ideas), and meanwhile the
    IDEAS products most bought lately (storage.recommendations.popular_products, the
    popularity baseline), for a shopper waiting at the till. None with no product bought yet."""
    sold = [p for p in popular_products(session=db, limit=IDEAS) if p.buyers]
    if not sold:
        return None
    heading = _(
        "Who is the customer? A name, customer id, email or phone gives ideas from their own"
        " purchases. Meanwhile, what sells most lately:"
    )
    lines = [wording.product_line(p.name, p.sku, p.price) for p in sold]
    return Reply(
        text="\n".join([heading, *lines]),
        intent=Intent.recommend,
        skus=[p.sku for p in sold],
        sources=[f"product {p.sku}" for p in sold],
    )


def _by_number(r: Retrieval, text: str, sku: str) -> bool:
    """Return whether the product's name is matched in the text by numbers alone."""
    matched = [ws for s, _, ws in r.catalogue.products.match_names(folded_words(text)) if s == sku]
    return bool(matched) and all(w.isdigit() for ws in matched for w in ws)


@cache
def _words(table: str) -> frozenset[str]:
    by_language = read_toml("wishes.toml")[table]
    return frozenset(w for words in by_language.values() for w in words.split())


def _left(text: str) -> list[str]:
    """Return the folded words of a message outside its request for ideas, no stop words."""
    return [
        w
        for w in re.findall(r"[^\W\d_]{3,}", ideas_asked().sub(" ", strip_accents(text)))
        if w not in FOLDED_STOP_WORDS and fold(w) not in FOLDED_STOP_WORDS
    ]


def wished_for(
    r: Retrieval, db: Session, masked: str, *, customer_id: str, named: Set[str]
) -> list[Product]:
    """Return what a named customer is looking for, when the message (her name masked) says she
    wants something for a need ("X quiere algo para limpiar la terraza de piedra", "X wants new
    running shoes": `rules.says_a_wish`): up to IDEAS products nearest in meaning at
    WISHED_FLOOR or above, under the budget given; [] when it says no such thing (her next
    basket alone answers "what should I show X?"). What she has and the product named in the
    message are none ("a sharpener for his Global knife", "not the Hoka"), except one named as
    the wish itself ("X is after a chef's knife": `_named_as_the_wish`)."""
    said = says_a_wish(masked)
    if not (wants_something(masked) or said is not None) or not describes_a_wish(masked):
        return []
    # A product named is hers or ruled out ("not the Hoka", "didn't like the Chemex"), unless
    # named as the wish itself, right after it ("is after a chef's knife").
    names = {sku: set(folded_words(p.name)) for sku in named if (p := db.get(Product, sku))}
    after, meant_for = _named_after_purpose(masked, names)
    kept = _named_as_the_wish(masked, said or "", names) | (after - meant_for)
    meant_for = set(names) - kept
    skip = meant_for | set(owned_skus(session=db, customer_id=customer_id))
    # Read on the wish's own words: her name, "what can I show him?" and the product it is
    # for ("a sharpener for his Global knife": the knife) only blur it; read with that
    # product's words too, a product meant for it scores its better fit ("filters for his
    # Chemex": the Chemex filters).
    beside = {w for sku in meant_for for w in names[sku]}
    wish = _wish_words(masked, beside) or masked
    read = (wish, _wish_words(masked)) if beside else (wish,)
    return _nearest(r, db, read, budget(masked), floor=WISHED_FLOOR, skip=skip)


def _named_after_purpose(text: str, names: dict[str, set[str]]) -> tuple[set[str], set[str]]:
    """Return the products named within three words after a word of purpose ("for his Global
    knife", "para su Chemex"; before one in Turkish, "Global bıçağı için"; wishes.toml
    [purpose]; `names`: sku → the folded words of its name), and of them the one the wish is
    for: sharing most words with those, the plainest name on a tie ("filtros para su Chemex":
    the Chemex, not the Chemex filters)."""
    typed = folded_words(text)
    purpose = _words("purpose")
    near: set[str] = set()
    for at, word in enumerate(typed):
        if word in purpose:
            near.update(typed[at + 1 : at + 4] if word != "icin" else typed[max(0, at - 3) : at])
    ranked = [
        (-len(name & near), len(name - near), sku) for sku, name in names.items() if name & near
    ]
    return {sku for *_, sku in ranked}, ({min(ranked)[2]} if ranked else set())


def _named_as_the_wish(text: str, said: str, names: dict[str, set[str]]) -> set[str]:
    """Return the products named as the wish itself: a word of the name among the first four
    words after the wish is said (`said`, folded: "new running shoes, what can I show him?"),
    none denied before it ("wants running shoes, not the Hoka") and no word of purpose
    (wishes.toml [purpose]); or named in other words than the name's (the glossary's English
    of "una tetera eléctrica"), which only the wish says."""
    typed, first = {cut_ending(w) for w in folded_words(text)}, folded_words(said)[:4]
    stop = NEGATORS | _words("purpose")
    wished = set()
    for sku, name in names.items():
        at = next((i for i, w in enumerate(first) if w in name), None)
        if not name & typed or (at is not None and not set(first[:at]) & stop):
            wished.add(sku)
    return wished


def _wish_words(text: str, beside: Set[str] = frozenset()) -> str:
    """Return the words of a message that say what is wished for, as typed: those outside
    the request for ideas, no stop words, none that only say someone is looking, none of the
    folded words `beside` (a product the wish is for)."""
    said = someone_words() | _words("looking") | beside
    kept = set(_left(text)) - said
    return " ".join(w for w in re.findall(r"[^\W\d_]+", text) if strip_accents(w) in kept)


def _nearest(
    r: Retrieval,
    db: Session,
    text: str | tuple[str, ...],
    limit: float | None,
    *,
    floor: float = DESCRIBED_FLOOR,
    skip: Set[str] = frozenset(),
) -> list[Product]:
    """Return up to IDEAS products nearest in meaning to `text` (to the nearest of several
    texts), at `floor` or above (centred cosine), priced at most `limit` when one is given,
    none of `skip`."""
    best: dict[str, float] = {}
    for read in (text,) if isinstance(text, str) else text:
        for sku, score in r.products_by_meaning(read):
            best[sku] = max(score, best.get(sku, score))
    found = [
        product
        for sku, score in sorted(best.items(), key=lambda item: -item[1])
        if score >= floor
        and sku not in skip
        and (product := db.get(Product, sku)) is not None
        and (limit is None or (product.price is not None and product.price <= limit))
    ]
    return found[:IDEAS]


def describes_a_wish(text: str) -> bool:
    """Return whether a request for ideas says what the shopper is looking for: a word left
    of it that is no stop word, no word of the request ("what do I show her?") and none of
    those that only say someone is looking ("a customer wants…": wishes.toml)."""
    said = someone_words() | _words("looking")
    return any(w not in said for w in _left(text))


def _someone_unnamed(text: str) -> bool:
    """Return whether a message speaks of a shopper nobody named ("Kundin…", "müşteri…")."""
    return bool(someone_words().intersection(_left(text)))


def _first_sentence(description: str) -> str:
    first = description.split(". ")[0].strip()
    return first if first.endswith(".") else first + "."
