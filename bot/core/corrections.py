"""A correction of the customer just answered about: "not her, the other maria", "la otra",
"öbürü", "την άλλη Μαρία", "nein, die andere". The associate asked about one of several
customers sharing a name and got the wrong one; the correction names the others (the one
left, or "which one?" among them) and, saying nothing else, asks the question before again.
The cues, in every language at once (a short correction is too short to tell its language),
are rules.toml [correction.*], matched on folded text.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from sqlmodel import Session

from bot.core.asked_periods import stored
from bot.core.datafiles import read_toml
from bot.core.retrieval import Retrieval
from bot.core.text import fold, strip_accents
from bot.core.types import Intent
from bot.core.understanding import CUSTOMER_INTENTS, Understood
from storage.models import Conversation, Customer

# The questions a correction asks again, and the readings of its own it may keep.
ABOUT_HER = CUSTOMER_INTENTS | {Intent.note}


@cache
def _tables() -> tuple[tuple[re.Pattern[str], ...], frozenset[str]]:
    """Return the cues compiled and the filler words."""
    table = read_toml("rules.toml")["correction"]
    cues = tuple(re.compile(p) for patterns in table["cue"].values() for p in patterns)
    fillers = frozenset(w for words in table["filler"].values() for w in words)
    return cues, fillers


def _folded(text: str) -> str:
    """Return `text` as the cues are written: lower case, no accents, an apostrophe a space
    ("maria's", "Maria'nın": the name, then its ending)."""
    return strip_accents(text).replace("'", " ").replace("’", " ")


def correction(text: str, name_words: frozenset[str]) -> tuple[bool, bool] | None:
    """Return None when `text` corrects no customer, else (pointed, only): whether the cue
    names her, by a word of her name (`name_words`, folded with bot.core.text.fold: "the
    other maria's sizes?"), and whether the message says nothing but the correction ("no,
    the other one"; rules.toml [correction.filler] besides the cue and the name)."""
    cues, fillers = _tables()
    folded = _folded(text)
    spans: list[tuple[int, int]] = []
    pointed = False
    for cue in cues:
        for found in cue.finditer(folded):
            said = found.groupdict().get("name")
            if said is None or fold(said) in name_words:
                spans.append(found.span())
                pointed = pointed or said is not None
    if not spans:
        return None
    rest = folded
    for start, end in spans:
        rest = rest[:start] + " " * (end - start) + rest[end:]
    left = [w for w in re.findall(r"[^\W_]+", rest) if w not in fillers]
    return pointed, all(fold(w) in name_words for w in left)


def namesakes(r: Retrieval, db: Session, customer: Customer) -> list[Customer]:
    """Return the other customers (in scope) with `customer`'s first name, best first."""
    first = fold(customer.first_name or "")
    if not first:
        return []
    found = r.find_customers(db, customer.first_name or "")
    return [
        c
        for c in found
        if c.customer_id != customer.customer_id and fold(c.first_name or "") == first
    ]


def corrected(
    r: Retrieval, db: Session, u: Understood, text: str, conversation: Conversation
) -> Understood:
    """Return the understanding of a message that corrects the customer the chat is about
    (conversation.customer_id, after a question about her): about the other customers
    sharing her first name (the one, or "which one?" among several), and, when it asks
    nothing else, with the question asked before (about nobody, so "which customer?", when
    nobody shares her name). Any other message is returned as it is, and so is one with no
    customer discussed or a "which one?" still open."""
    previous = Intent(conversation.intent) if conversation.intent else None
    if conversation.customer_id is None or conversation.candidates or previous not in ABOUT_HER:
        return u
    discussed = r.customer(db, conversation.customer_id)
    if discussed is None:
        return u
    name = frozenset(fold(w) for w in f"{discussed.first_name} {discussed.last_name}".split())
    said = correction(text, name)
    if said is None:
        return u
    pointed, only = said
    elsewhere = u.customer is not None and u.customer.customer_id != discussed.customer_id
    if elsewhere or not (pointed or only):
        return u  # another customer named, or words beside the cue that ask something else
    others = namesakes(r, db, discussed)
    if not others and not only:
        return u
    if not others:
        # "no, the other one" and she alone has the name: which customer, asked again
        return replace(
            u,
            intent=previous,
            customer=None,
            candidates=[],
            customer_query="",
            period=u.period or stored(conversation),
        )
    intent = previous if only or u.intent not in ABOUT_HER else u.intent
    one = others[0] if len(others) == 1 else None
    return replace(
        u,
        intent=intent,
        period=u.period or (stored(conversation) if intent == previous else None),
        customer=one,
        candidates=[] if one else others,
        customer_query=discussed.first_name or "",
        named_customer=True,
        suggestions=[],
    )
