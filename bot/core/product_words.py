"""Words for kinds of products in Spanish, Turkish, Greek and German, with their English.

A store's catalogue is often in English while its associates write in their own language: "kuş
tüyü uyku tulumu nasıl yıkanır?" asks about a down sleeping bag. The bundled multilingual
embedding matches such a question to the English product only weakly, so the question's meaning
is read with the English of the product words it holds added (`with_english`). The glossary is
`data/product_words.toml` (kinds of products and materials) and `data/care_words.toml` (wash,
dry, iron...: they name no product): general retail vocabulary, not any store's catalogue.
"""

from __future__ import annotations

import re
from functools import cache

from bot.core.datafiles import read_toml
from bot.core.text import strip_accents

# Turkish and German glue suffixes and compounds to a word: a listed form matches the start of a
# typed word there ("tencere" in "tencereyi"); elsewhere whole words only.
_PREFIX_LANGUAGES = frozenset({"tr", "de"})
# Forms shorter than this match whole words only, in any language ("ip" is no "ipek").
_MIN_PREFIX = 5


@cache
def _care_terms() -> frozenset[str]:
    return frozenset(read_toml("care_words.toml"))


@cache
def _glossary() -> tuple[re.Pattern[str], dict[str, str]]:
    english: dict[str, str] = {}
    parts: list[tuple[str, str]] = []
    terms = {**read_toml("product_words.toml"), **read_toml("care_words.toml")}
    for term, languages in terms.items():
        for language, forms in languages.items():
            for form in forms:
                folded = strip_accents(form).strip()
                if not folded or folded in english:
                    continue
                english[folded] = term
                tail = (
                    r"\w*" if language in _PREFIX_LANGUAGES and len(folded) >= _MIN_PREFIX else ""
                )
                parts.append((folded, tail))
    # Longest first: "uyku tulumu" before "tulum", "Daunenschlafsack" before "Schlafsack".
    parts.sort(key=lambda p: -len(p[0]))
    alternatives = "|".join(f"(?:{re.escape(form)}){tail}" for form, tail in parts)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), english


def english_terms(text: str, *, naming: bool = False) -> list[str]:
    """Return the English of the product words in `text`, in the order they appear, once each
    (none for a text in English or with no such word); only kinds of products and materials,
    no care words, when `naming` (the words that may name a product)."""
    pattern, english = _glossary()
    found: dict[str, None] = {}
    for match in pattern.finditer(strip_accents(text)):
        typed = match.group(0)
        # The listed form this match began with (a prefix of what was typed).
        form = max((f for f in _forms_at(typed, english)), key=len, default=None)
        if form is not None and not (naming and english[form] in _care_terms()):
            found[english[form]] = None
    return list(found)


def _forms_at(typed: str, english: dict[str, str]) -> list[str]:
    return [typed[:n] for n in range(len(typed), 0, -1) if typed[:n] in english]


def with_english(text: str, language: str | None = None) -> str:
    """Return `text` with the English of its product words added in brackets, for embedding;
    `text` as it is when it is written in English (`language` "en": a garden "hose" is no
    German "Hose")."""
    if language == "en":
        return text
    terms = english_terms(text)
    return f"{text} ({', '.join(terms)})" if terms else text
