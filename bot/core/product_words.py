"""Words for kinds of products in Spanish, Turkish, Greek and German, with their English.

A store's catalogue is often in English while its associates write in their own language: "kuş
tüyü uyku tulumu nasıl yıkanır?" asks about a down sleeping bag. The bundled multilingual
embedding matches such a question to the English product only weakly, so the question's meaning
is read with the English of the product words it holds added (`with_english`). The glossary is
`data/product_words.toml` (kinds of products and materials), `data/feature_words.toml`
(waterproof, foldable, men's...) and `data/care_words.toml` (wash, dry, iron...); features and
care words name no product. General retail vocabulary, not any store's catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from functools import cache, lru_cache

from bot.core.datafiles import read_toml
from bot.core.text import FOLDED_STOP_WORDS, agreed_language, fold, strip_accents

# The most content words a message made only of catalogue words may have to be a product question.
MAX_SHORT = 4

# Turkish and German glue suffixes and compounds to a word: a listed form matches the start of a
# typed word there ("tencere" in "tencereyi"); elsewhere whole words only.
_PREFIX_LANGUAGES = frozenset({"tr", "de"})
# Forms shorter than this match whole words only, in any language ("ip" is no "ipek")…
_MIN_PREFIX = 5
# …but for a Turkish noun of at least this many letters, its case and plural endings (accent-
# folded, so vowel harmony's ı/i and u/ü fall together): "bereyi", "vazoda", "eteği", "montlar".
_TR_SUFFIXED = 4
_TR_AFTER_CONSONANT = r"[iu](?:n[iu]?)?|[ae]|[dt][ae]n?|l[ae]"
_TR_AFTER_VOWEL = r"y[iu]|s[iu](?:n[iu]|n[ae]|nd[ae])?|y[ae]|n[iu]n?|d[ae]n?|yl[ae]"
_TR_PLURAL = rf"l[ae]r(?:{_TR_AFTER_CONSONANT})?"
# A final k softens to ğ before a vowel ending ("etek" → "eteği").
_TR_SOFTENED = {"k": "g"}
_VOWELS = frozenset("aeiou")


# A German word at least this long closing a compound names its kind ("Leder|stiefel").
HEAD_MIN = 4
# Words that describe what a product does or how to look after it, and name none.
_NAMING_NOTHING = ("feature_words.toml", "care_words.toml")


@cache
def _naming_nothing() -> frozenset[str]:
    return frozenset(term for name in _NAMING_NOTHING for term in read_toml(name))


@cache
def _glossary() -> tuple[re.Pattern[str], dict[str, str]]:
    english: dict[str, str] = {}
    parts: list[tuple[str, str]] = []
    terms = {
        term: forms
        for name in ("product_words.toml", *_NAMING_NOTHING)
        for term, forms in read_toml(name).items()
    }
    for term, languages in terms.items():
        for language, forms in languages.items():
            if language == "en":
                continue  # the catalogue's own words for the term (`catalogue_words`)
            for form in forms:
                folded = strip_accents(form).strip()
                if not folded or folded in english:
                    continue
                english[folded] = term
                if language in _PREFIX_LANGUAGES and len(folded) >= _MIN_PREFIX:
                    parts.append((folded, r"\w*"))
                elif language == "tr" and len(folded) >= _TR_SUFFIXED and " " not in folded:
                    parts += _turkish_inflected(folded, term, english)
                else:
                    parts.append((folded, ""))
    # Longest first: "uyku tulumu" before "tulum", "Daunenschlafsack" before "Schlafsack".
    parts.sort(key=lambda p: -len(p[0]))
    alternatives = "|".join(f"(?:{re.escape(form)}){tail}" for form, tail in parts)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), english


def _turkish_inflected(folded: str, term: str, english: dict[str, str]) -> list[tuple[str, str]]:
    """Return the pattern parts (form, tail) matching a short Turkish noun with its endings,
    adding the softened stem ("eteg" of "etek") to `english`."""
    if folded[-1] in _VOWELS:
        return [(folded, rf"(?:{_TR_PLURAL}|{_TR_AFTER_VOWEL})?")]
    parts = [(folded, rf"(?:{_TR_PLURAL}|{_TR_AFTER_CONSONANT})?")]
    if (soft := _TR_SOFTENED.get(folded[-1])) is not None:
        stem = folded[:-1] + soft
        english.setdefault(stem, term)
        parts.append((stem, r"(?:[iu]n?[iu]?|[ae])"))
    return parts


def english_terms(text: str, *, naming: bool = False) -> list[str]:
    """Return the English of the product words in `text`, in the order they appear, once each
    (none for a text in English or with no such word); only kinds of products and materials,
    no feature or care words, when `naming` (the words that may name a product)."""
    terms = dict.fromkeys(term for _, _, term in english_terms_placed(text))
    return [t for t in terms if not (naming and t in _naming_nothing())]


@lru_cache(maxsize=256)
def english_terms_placed(text: str) -> tuple[tuple[int, int, str], ...]:
    """Return (start, end, English term) of every glossary word in `text`, in order; the
    offsets are those of the folded text (bot.core.text.strip_accents), `end`
    where the listed form ends (a Turkish ending or the rest of a compound follows it). An
    answer reads one message's words several times (naming, meaning, features): kept for the
    last 256 texts."""
    pattern, english = _glossary()
    folded = strip_accents(text)
    found: list[tuple[int, int, str]] = []
    covered: set[int] = set()
    for match in pattern.finditer(folded):
        # The listed form this match began with (a prefix of what was typed).
        form = max((f for f in _forms_at(match.group(0), english)), key=len, default=None)
        if form is not None:
            found.append((match.start(), match.start() + len(form), english[form]))
            covered.update(range(match.start(), match.start() + len(form)))
    # A German compound's kind is its last part: "Herrenjacke" is a jacket (unless a listed
    # word already holds that part: "Daunenschlafsack" is no more than a down sleeping bag).
    found += [
        (m.start(), m.end(), english[m.group(0)])
        for m in _german_heads().finditer(folded)
        if m.start() not in covered
    ]
    return tuple(sorted(found))


@cache
def _german_heads() -> re.Pattern[str]:
    """Match a German product word (HEAD_MIN letters or more) closing a longer word."""
    forms = {
        strip_accents(form).strip()
        for name in ("product_words.toml", *_NAMING_NOTHING)
        for languages in read_toml(name).values()
        for form in languages.get("de", [])
    }
    heads = sorted(
        (f for f in forms if len(f) >= HEAD_MIN and " " not in f), key=len, reverse=True
    )
    return re.compile(rf"(?<=\w)(?:{'|'.join(map(re.escape, heads))})(?!\w)")


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


def catalogue_words(terms: list[str]) -> list[str]:
    """Return the terms with the other English words a catalogue may list them under (the
    glossary's `en` forms: "sneakers" are "trainers" in a British catalogue, a "blanket" a
    "throw"), each term first."""
    words = _english_words()
    return list(dict.fromkeys(w for term in terms for w in (term, *words.get(term, ()))))


@cache
def _english_words() -> dict[str, tuple[str, ...]]:
    return {
        term: tuple(languages.get("en", ()))
        for name in ("product_words.toml", *_NAMING_NOTHING)
        for term, languages in read_toml(name).items()
    }


# A glossary form this common in English (Zipf, wordfreq) tells no other language ("Blazer").
_ENGLISH_TOO = 3.0


@cache
def _forms_by_language() -> dict[str, frozenset[str]]:
    """Return each language's one-word glossary forms (folded), those common in English too
    left out."""
    from wordfreq import zipf_frequency

    found: dict[str, set[str]] = {}
    for name in ("product_words.toml", *_NAMING_NOTHING):
        for languages in read_toml(name).values():
            for language, forms in languages.items():
                for form in forms if language != "en" else ():
                    folded = strip_accents(form).strip()
                    if " " not in folded and zipf_frequency(folded, "en") < _ENGLISH_TOO:
                        found.setdefault(language, set()).add(folded)
    return {language: frozenset(forms) for language, forms in found.items()}


def glossary_language(typed: Sequence[str], languages: Container[str]) -> str | None:
    """Return the one language of `languages` whose glossary words (kinds of products,
    features, care) a short message's words are ("Duftkerze Brenndauer?", "Bratpfanne
    Induktion", "funda transparente"), a German compound by its last part; None when none is,
    or they point to several languages."""
    forms = _forms_by_language()

    def of_word(word: str) -> set[str]:
        folded = strip_accents(word)
        found = {language for language, own in forms.items() if folded in own}
        if "de" in forms and _german_heads().search(folded):
            found.add("de")
        return found

    return agreed_language(map(of_word, typed), languages)


@cache
def _feature_words() -> frozenset[str]:
    words: set[str] = set()
    for term, languages in read_toml("feature_words.toml").items():
        for form in [term, *(f for forms in languages.values() for f in forms)]:
            if " " not in form.strip():
                words.add(fold(form.strip()))
    return frozenset(words)


def is_feature_word(folded: str) -> bool:
    """Return whether a folded word (bot.core.text.fold) is a feature word of any of the five
    languages, in one word (data/feature_words.toml: "grey", "graue", "waterproof", "sırlı")."""
    return folded in _feature_words()


@cache
def _kind_words() -> frozenset[str]:
    words: set[str] = set()
    for term, english in _english_words().items():
        for phrase in (term, *english):
            words.update(fold(w) for w in re.findall(r"[^\W\d_]+", phrase))
    return frozenset(words)


def is_kind_word(folded: str) -> bool:
    """Return whether a folded English word is a word of the glossary's English terms for
    kinds of products, features or care ("battery", "card", "filter", "cleaning"): a word
    that names what a product is or does, not which model it is ("Z7", "Aeron")."""
    return folded in _kind_words()


def mostly_named(
    product_words: set[str], folded: Sequence[str], catalogue: Container[str] = ()
) -> bool:
    """Return whether a product's name (`product_words`) is at least half of the message's
    content words (`folded`: its folded words), or the message is short (up to MAX_SHORT
    content words) and each content word of three letters or more, or with a digit, is a word of
    the catalogue's product names (`catalogue`) or of a kind of product (`is_kind_word`): "the sd
    card", "card for my z7 pro"."""
    content = [w for w in folded if w not in FOLDED_STOP_WORDS]
    if content and sum(w in product_words for w in content) * 2 >= len(content):
        return True
    telling = [w for w in content if len(w) >= 3 or any(c.isdigit() for c in w)]
    known = all(w in catalogue or is_kind_word(w) for w in telling)
    return 0 < len(content) <= MAX_SHORT and bool(telling) and known
