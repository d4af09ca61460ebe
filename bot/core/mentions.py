"""Who a message mentions: the customers its words name, the words that read as a name nobody
has, and the message with the name masked for the intent classifier."""

from __future__ import annotations

import itertools

from sqlmodel import Session

from bot.core.catalogue import best_customers
from bot.core.intents import PLACEHOLDER
from bot.core.names import NameMatch
from bot.core.periods import relative_period_words
from bot.core.retrieval import Retrieval
from bot.core.text import (
    cut_ending,
    fold,
    greek_article_gender,
    greek_case_forms,
    is_cjk,
    replace_words,
    words,
)
from bot.core.vocabulary import unknown_names
from storage.models import Conversation

# Words that point back at the customer or product already being discussed.
PRONOUNS = frozenset(
    fold(w)
    for w in "she her hers he him his they them their it ella él su sus lo la o onun ona "
    "αυτή αυτός της του ihr ihre ihm sie er sein seine".split()
)


def typed_together(typed: list[str], names: list[str]) -> bool:
    """Return whether two of `names` are typed one after the other ("Ana Pérez")."""
    return any(a in names and b in names for a, b in itertools.pairwise(typed))


def name_matches(
    r: Retrieval,
    db: Session,
    text: str,
    folded: list[str],
    product_words: set[str],
    conversation: Conversation,
) -> list[NameMatch]:
    """Return the customers the message `text` (its folded words `folded`) names. Product
    words are left to the product unless a whole name is typed with them ("April Stone");
    pronouns ("su", "ella", "αυτός") match only exactly and as ordinary words, and with a
    customer under discussion they refer to her. Greek names match in any case ("του Γιώργου").
    Only customers in the caller's scope match (`Retrieval.in_scope`)."""
    index = r.catalogue.customers
    cases = greek_case_forms(text)
    matches = best_customers(
        r.in_scope(db, index.match(folded, skip=product_words, common=PRONOUNS, case_forms=cases))
    )
    if product_words:
        every = index.match(folded, common=PRONOUNS, case_forms=cases)
        whole = [
            m
            for m in best_customers(r.in_scope(db, every))
            if m.coverage == 1.0 and len(m.words) >= 2 and m.exact and not m.common_word
        ]
        if whole and whole[0].words & product_words:
            matches = whole
    if conversation.customer_id or conversation.candidates:
        matches = [m for m in matches if not (m.common_word and m.words <= PRONOUNS)]
    if len(matches) > 1:
        # "Deniz bu ay ne kadar harcadı?": "bu ay" (this month) is no customer Ay.
        period = relative_period_words(text)
        matches = [m for m in matches if not m.words <= period] or matches
    if len(matches) > 1 and (gender := greek_article_gender(text)):
        # "τον κύριο Οικονόμου" is Mr Οικονόμου when a Mrs shares the surname.
        fitting = [m for m in matches if index.greek_gender(m.customer_id) == gender]
        matches = fitting or matches
    return matches


def mask_name(text: str, name_words: set[str]) -> str:
    """Return the message with the customer's name words replaced by PLACEHOLDER, keeping
    punctuation and Turkish case endings ("Çağla'nın bedeni?" → "X'nın bedeni?"), also inside
    a run of Chinese, Japanese or Korean written without spaces."""
    cjk = [w for w in name_words if is_cjk(w)]

    def mask(word: str) -> str | None:
        if fold(word) in name_words:
            return PLACEHOLDER
        stem = cut_ending(word)
        if stem != word and fold(stem) in name_words:
            return PLACEHOLDER + word[len(stem) :]
        for name in cjk:
            word = word.replace(name, f" {PLACEHOLDER} ")
        return word.strip()

    return replace_words(text, mask) if name_words else text


def name_rest(
    r: Retrieval, text: str, name_words: set[str], product_words: set[str], categories: list[str]
) -> set[str]:
    """Return the unknown capitalised words typed next to the matched name's words."""
    typed = words(text)
    unknown = set(unknown_in(r, text, product_words | name_words, categories, pronoun=True))
    rest: set[str] = set()
    for i, word in enumerate(typed):
        if fold(word) in name_words:
            rest.update(w for w in typed[max(0, i - 1) : i + 2] if w in unknown)
    return rest


def unknown_in(
    r: Retrieval, text: str, product_words: set[str], categories: list[str], *, pronoun: bool
) -> list[str]:
    known = set(product_words) | {fold(w) for c in categories for w in words(c)}
    return unknown_names(
        words(text), known=(known, r.catalogue.products.by_token), capitalised_only=pronoun
    )
