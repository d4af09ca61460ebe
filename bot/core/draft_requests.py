"""Reading an outreach request: whether a message asks for a message to a customer ("draft a
message to María about the AeroPress", "tell Nikos his grinder is ready", "María'ya mesaj yaz",
"schreib Maria eine Nachricht"), whether it is a service message (an order ready, a size back
in stock), the words of the request itself and the product it clearly names; and the payloads
a draft's buttons carry.

Keyword rules over the folded message, their words in `data/outreach.toml`: cheap enough to
run on every message, and precise ("what did María buy?" or a note about a message are no
requests).
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, unquote

from sqlalchemy import Engine

from bot.core.book import BookRow
from bot.core.catalogue import ProductIndex
from bot.core.datafiles import alternatives, read_toml
from bot.core.drafts import BACK, BIRTHDAY, CHECK_IN, KINDS, READY, RESTOCK, SERVICE_KINDS
from bot.core.names import CustomerIndex
from bot.core.product_names import NAME_SHARE
from bot.core.text import fold, folded_words, replace_words, strip_accents, words
from bot.core.types import Intent, Option
from storage.contacts import CHANNELS, MARKETING, SERVICE
from storage.customers import get_customers
from storage.db import read_session

# A command of at most this many words before a colon makes a note ("γράψε στον Νίκο: …"),
# unless it names a message (as bot.core.understanding reads "save a note" commands).
COMMAND_WORDS = 7
# Rows of a customer list that get a draft button, and the message each list's row gets.
LIST_DRAFTS = 3
LIST_KINDS = {"lapsed": CHECK_IN, "due": RESTOCK, "birthdays": BIRTHDAY}
# Products offered when a request names one only partly, or several alike.
CLOSEST_PRODUCTS = 3
# A Turkish dative ending typed without its apostrophe: "çağlaya", "nikosa", "Emre-ye".
_DATIVE = re.compile(r"^(.{3,}?)-?(y[ae]|[ae])$")
_VOWELS = frozenset("aeiou")


@dataclass(frozen=True)
class _Rules:
    # Per language: a request at the start (after polite words), or anywhere.
    request: dict[str, re.Pattern[str]]
    anywhere: dict[str, re.Pattern[str]]
    not_a_message: re.Pattern[str]
    nouns: re.Pattern[str]
    service: dict[str, re.Pattern[str]]
    birthday: re.Pattern[str]
    words: frozenset[str]


@cache
def _rules() -> _Rules:
    data = read_toml("outreach.toml")
    request = data["request"]
    polite = rf"^[¡¿\s]*(?:(?:{request['polite']})[\s,]+)*"
    return _Rules(
        request={
            lang: re.compile(f"{polite}(?:{rule})") for lang, rule in request["starts"].items()
        },
        anywhere={lang: re.compile(rule) for lang, rule in request["anywhere"].items()},
        not_a_message=re.compile(alternatives(request["not_a_message"])),
        nouns=re.compile(request["nouns"]),
        service={
            READY: re.compile(alternatives(data["service"]["ready"])),
            BACK: re.compile(alternatives(data["service"]["back"])),
        },
        birthday=re.compile(alternatives(data["birthday"])),
        words=frozenset(fold(w) for ws in data["words"].values() for w in words(ws)),
    )


@dataclass(frozen=True)
class Asked:
    """A message asking for a draft: the service message it names (READY, BACK) or None for
    marketing, whether it is for a birthday, the folded words of the request itself (never a
    customer's name or a product) and the language of the words that made it a request."""

    service: str | None
    birthday: bool
    words: frozenset[str]
    language: str = ""


def read_request(text: str) -> Asked | None:
    """Return what a message asks to draft, or None when it asks for no message to a
    customer."""
    rules = _rules()
    folded = strip_accents(text.strip())
    # The verb-last rules first: "sms ile Çağla'ya … bildir" is Turkish.
    languages = [lang for lang, rule in rules.anywhere.items() if rule.search(folded)]
    languages += [lang for lang, rule in rules.request.items() if rule.match(folded)]
    if not languages:
        return None
    if rules.not_a_message.search(folded):
        return None  # "write to Ana's file: …" is a note
    head, colon, tail = folded.partition(":")
    short_command = colon and tail.strip() and len(head.split()) <= COMMAND_WORDS
    if short_command and rules.nouns.search(head) is None:
        return None  # "γράψε στον Νίκο: μετακόμισε" is a note; "text María: …" is none
    service = next((kind for kind, rule in rules.service.items() if rule.search(folded)), None)
    birthday = rules.birthday.search(folded) is not None
    return Asked(service, birthday, rules.words, languages[0])


@dataclass(frozen=True)
class NamedProduct:
    """The product a request clearly names (`sku`), or else the products closest to what it
    names (`closest`, best first; empty when it names none)."""

    sku: str | None = None
    closest: tuple[str, ...] = ()


def named_product(products: ProductIndex, text: str, skip: Set[str]) -> NamedProduct:
    """Return the product a request names, never from the folded words in `skip` (the
    request's own, the customer's name). Named clearly: its sku typed, or distinctive words of
    its name (rare in the catalogue; no size, count or category) typed, every such word typed
    being of its name and of no other's ("the linen sheets" names three linen products alike,
    "linen bath towels" no bath towel: a message must not name a product the associate did
    not). A brand alone names the product the brand's others are described as made for ("the
    AeroPress": "micro-filters for the AeroPress" are its filters)."""
    folded = [w for w in folded_words(text) if w not in skip]
    if typed_sku := products.find_sku(folded):
        return NamedProduct(typed_sku)
    categories = {w for c in products.category_of for w in words(c)}
    named: dict[str, tuple[frozenset[str], float]] = {}
    for sku, share, matched in products.match_names(folded):
        distinctive = frozenset(
            t
            for t in matched
            if products.spread[t] <= products.distinct_df
            and t not in categories
            and not t[0].isdigit()  # a size or a count ("250g", "100"); "v60" is a name
        )
        if distinctive:
            named[sku] = (distinctive, share)
    ranked = sorted(named, key=lambda sku: (-len(named[sku][0]), -named[sku][1], sku))
    typed = frozenset().union(*(found for found, _ in named.values()))
    whole = [sku for sku in ranked if named[sku][0] == typed]
    if len(whole) > 1 and all(typed <= _folded_set(products.products[s].brand) for s in whole):
        whole = [s for s in whole if not typed & _folded_set(products.products[s].description)]
    if len(whole) == 1 and named[whole[0]][1] >= NAME_SHARE:
        return NamedProduct(whole[0])
    return NamedProduct(None, tuple(ranked[:CLOSEST_PRODUCTS]))


def _folded_set(text: str | None) -> frozenset[str]:
    return frozenset(part for w in folded_words(text or "") for part in re.split(r"[-'’]", w))


def apostrophised(index: CustomerIndex, text: str) -> str:
    """Return a Turkish request with a name's dative ending set off by an apostrophe, as
    bot.core.names reads names with case endings: "çağlaya" → "çağla'ya", "nikosa" → "nikos'a"
    when Çağla and Nikos are names on record (a word that is a name whole stays)."""

    def mark(word: str) -> str | None:
        folded = fold(word)
        found = _DATIVE.match(folded)
        if found is None or "'" in folded or index.by_form.get(folded):
            return None
        stem, ending = found.groups()
        if (
            fold(word[-len(ending) :]) != ending
            or (stem[-1] in _VOWELS) != ending.startswith("y")
            or not index.by_form.get(stem)
        ):
            return None
        return f"{word[: len(word) - len(ending)].rstrip('-')}'{word[-len(ending) :]}"

    return replace_words(text, mark)


@dataclass(frozen=True)
class DraftRequest:
    """A draft to write: for whom, of which kind (bot.core.drafts.KINDS), about which product
    and from which customer list ("lapsed", "due", "birthdays"; None when asked in chat)."""

    customer_id: str
    kind: str
    sku: str | None = None
    list_kind: str | None = None

    @property
    def purpose(self) -> str:
        """MARKETING or SERVICE (storage.contacts)."""
        return SERVICE if self.kind in SERVICE_KINDS else MARKETING

    def encode(self) -> str:
        """Return the request as a button value: the customer id first, then a space and the
        rest without spaces (the ids of a "which one?" read back from the values)."""
        rest = ",".join((self.kind, quote(self.sku or "", safe=""), self.list_kind or ""))
        return f"{self.customer_id} {rest}"

    @classmethod
    def decode(cls, value: str | None) -> DraftRequest | None:
        """Return the request `encode` gave, or None for anything else."""
        customer_id, space, rest = (value or "").rpartition(" ")
        parts = rest.split(",")
        if not space or not customer_id or len(parts) != 3 or parts[0] not in KINDS:
            return None
        kind, sku, list_kind = parts
        return cls(customer_id, kind, unquote(sku) or None, list_kind or None)

    def option(self, label: str) -> Option:
        """Return the button that writes this draft."""
        return Option(label, Intent.draft, self.encode())


def list_options(engine: Engine, kind: str, rows: Sequence[BookRow]) -> list[Option]:
    """Return a draft button for each of the first LIST_DRAFTS customers of a `lapsed`, `due`
    or `birthdays` list who agreed to marketing messages (none for other lists): the contact
    records the list it came from."""
    message = LIST_KINDS.get(kind)
    if message is None or not rows:
        return []
    with read_session(engine) as db:
        customers = get_customers(session=db, customer_ids=[row.customer_id for row in rows])
        consenting = {c.customer_id for c in customers if c.marketing_consent}
    return [
        DraftRequest(row.customer_id, message, row.sku, kind).option(f"✉ {row.name}")
        for row in rows
        if row.customer_id in consenting
    ][:LIST_DRAFTS]


def sent_value(contact_id: int, channel: str) -> str:
    """Return the value of a "Mark as sent" button."""
    return f"{contact_id}:{channel}"


def read_sent_value(value: str | None) -> tuple[int, str] | None:
    """Return (contact id, channel) from a "Mark as sent" button's value, or None."""
    contact_id, _, channel = (value or "").partition(":")
    if not contact_id.isdigit() or channel not in CHANNELS:
        return None
    return int(contact_id), channel
