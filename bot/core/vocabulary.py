"""The words associates ask with, to tell a name nobody has from an ordinary word.

"Who is Paula Schmidt?" must get "not found", not the customer discussed before; "and last
year?" must stay about her. The difference is a word that is neither a question word, a
product's nor a period's: the example bank (thousands of questions in five languages), the stop
words and the rule, period and list words give the vocabulary. Some words also tell the
language of a message too short for the language identifier ("mis tareas", "Top-Kunden?").
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from functools import cache, lru_cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.datafiles import read_toml
from bot.core.given_name_gender import given_name_gender
from bot.core.intent_model import bank
from bot.core.product_words import is_feature_word, is_kind_word
from bot.core.text import FOLDED_STOP_WORDS, agreed_language, fold, folded_words

_LETTERS = re.compile(r"[^\W\d_]+")
# Words this short are too often initials, articles or abbreviations to be taken for a name.
MIN_NAME_CHARS = 3


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@cache
def question_words() -> frozenset[str]:
    """Return the folded words of the example bank (the paraphrases written for it, not the
    questions asked about real stores: intent_model.STORE_BANKS), the stop words, the titles
    ("Herrn") and the rule, cue and period words (regex sources split into their letter
    runs)."""
    known = set(FOLDED_STOP_WORDS)
    for texts in bank(store_questions=False).values():
        for text in texts:
            known.update(folded_words(text))
    for name in ("rules.toml", "periods.toml", "intents.toml", "lists.toml", "vocabulary.toml"):
        for source in _strings(read_toml(name)):
            known.update(fold(w) for w in _LETTERS.findall(source))
    known.update(_language_words())  # whole, as typed: "top-kunden"
    known.update(_name_lists()[2])
    known.discard("x")  # the bank's masked customer
    return frozenset(known)


@cache
def _language_words() -> dict[str, frozenset[str]]:
    """Return each folded word of data/vocabulary.toml with the languages it is a word of."""
    found: dict[str, set[str]] = {}
    for language, entries in read_toml("vocabulary.toml")["short_message_words"].items():
        for entry in entries:
            for word in fold(entry).split():
                found.setdefault(word, set()).add(language)
    return {word: frozenset(languages) for word, languages in found.items()}


def word_language(typed: Sequence[str], languages: Container[str]) -> str | None:
    """Return the one language of `languages` that the words of a short message belong to by
    the short-message words (data/vocabulary.toml: "tareas" is Spanish, "Kunden" German),
    or None when none of its words is one of them or they point to different languages.
    A hyphenated word counts whole and by its parts ("Top-Kunden": "kunden")."""
    known = _language_words()

    def of_word(word: str) -> frozenset[str]:
        folded = fold(word)
        forms = {folded, *folded.split("-")}
        return frozenset().union(*(known.get(form, frozenset()) for form in forms))

    return agreed_language(map(of_word, typed), languages)


@cache
def _name_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = read_toml("names.toml")
    return (
        frozenset(fold(w) for w in data["noun_determiners"]),
        frozenset(fold(w) for w in data["particles"]),
        frozenset(fold(w) for w in data["titles"]),
    )


def after_determiner(folded: Sequence[str], i: int, typed: Sequence[str] = ()) -> bool:
    """Return whether folded word i follows a German article or determiner, directly or after
    one adjective ("die Hose", "einen guten Koch"), not as a surname particle ("van der Berg"):
    a German noun, then, before any name. With the words as `typed`, a capitalised word in
    between is no adjective ("die Paula Schmidt" is a name)."""
    determiners, particles, titles = _name_lists()
    for back in (1, 2):
        j = i - back
        if j < 0 or folded[j] not in determiners:
            continue
        if j > 0 and folded[j] in particles and folded[j - 1] in particles:
            return False
        if back == 2 and typed and typed[i - 1][:1].isupper():
            return False
        return back == 1 or folded[i - 1] not in titles
    return False


@cache
def _vocabulary() -> list[str]:
    return sorted(question_words())


@cache
def _verb_endings() -> dict[str, re.Pattern[str]]:
    table = read_toml("vocabulary.toml")["verb_endings"]
    return {language: re.compile(pattern) for language, pattern in table.items()}


def _a_verb_form(folded: str) -> bool:
    """Return whether a folded word ends as a verb form no name has (data/vocabulary.toml
    [verb_endings])."""
    return any(p.match(folded) for p in _verb_endings().values())


def verb_language(typed: Sequence[str], languages: Sequence[str]) -> str | None:
    """Return the one language of `languages` whose verb forms no name has (data/vocabulary
    .toml [verb_endings]) a word typed in lower case ends as ("neler istiyordu?": Turkish),
    else None."""
    found = {
        language
        for word in typed
        if word[:1].islower()
        for language, pattern in _verb_endings().items()
        if language in languages and pattern.match(fold(word))
    }
    return found.pop() if len(found) == 1 else None


def _close_to_known(word: str, *, capitalised: bool) -> bool:
    # A capitalised word is a name more often than a two-typo word: one typo only.
    edits = 1 if len(word) <= 6 or capitalised else 2
    near = process.extractOne(word, _vocabulary(), scorer=OSA.distance, score_cutoff=edits)
    return near is not None


def unknown_names(
    typed: Sequence[str],
    *,
    known: Sequence[Container[str]] = (),
    capitalised_only: bool = False,
    typos_too: bool = False,
) -> list[str]:
    """Return the words of a message, as typed, that read as a name the store does not know:
    not question, period, stop words or words in `known` (containers of folded words, e.g. the
    product names'), nor a typo of a question word. With `capitalised_only` (the message also
    points back with a pronoun), only capitalised words count, the first word only before
    another capitalised one; with `typos_too`, a capitalised word one typo from a question
    word counts too ("Carmen", "Emine": names are often a letter from some word), and so does
    the message's only word besides question words in lower case, when it is a man's or a
    woman's given name and no colour, feature or kind of product ("and tom?"; not "y rosa?")."""
    found = []
    all_folded = [fold(w) for w in typed]
    alone = sum(w not in question_words() for w in all_folded) == 1  # "and tom?"
    for position, word in enumerate(typed):
        folded = all_folded[position]
        if after_determiner(all_folded, position, typed):
            continue  # "die Hose": a noun
        letters = folded.replace("'", "").replace("-", "")
        if len(letters) < MIN_NAME_CHARS or not letters.isalpha() or folded == "x":
            continue
        if folded in question_words() or any(folded in words for words in known):
            continue
        # A message's first word is capitalised anyway; before another capital it starts a
        # full name ("Araminta Wexleyford burada").
        capitalised = word[:1].isupper() and (
            position > 0 or (len(typed) > 1 and typed[1][:1].isupper())
        )
        # German capitalises every noun: a capital alone makes no name.
        if not (capitalised or not capitalised_only):
            continue
        if not capitalised and _a_verb_form(folded):
            continue  # "ne anlatmıştı?" after a customer: no name
        if (
            (capitalised and typos_too)
            or not _close_to_known(folded, capitalised=capitalised)
            or (typos_too and alone and _a_given_name(folded))  # last: it reads the names' data
        ):
            found.append(word)
    return found


@lru_cache(maxsize=4096)
def _a_given_name(folded: str) -> bool:
    """Return whether a folded word is a given name (bot.core.given_name_gender) and no word of a
    product's features or kind (bot.core.product_words): "tom", "liam"; not "rosa", "mavi"."""
    return (
        given_name_gender(folded) is not None
        and not is_feature_word(folded)
        and not is_kind_word(folded)
    )
