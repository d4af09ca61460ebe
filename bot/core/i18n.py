"""The reply's language: gettext catalogues managed with Babel, and dates, numbers and money
written the way that language writes them.

Fixed texts are marked in the code with `_("…")`, `ngettext("…", "…", n)` (real plural forms:
CLDR's rules per language) or, for module constants translated where they are used, `N_("…")`.
`pybabel extract` collects them into `bot/locale/messages.pot`; each language has its
`bot/locale/<code>/LC_MESSAGES/messages.po` (README, "Adding a language").

The `.po` files are read at start (Babel's `read_po`) and compiled in memory, not compiled to
`.mo` in a build step: they are the only copy, shipped as package data, so an installed package
can never hold a stale compiled catalogue, and reading five catalogues costs a few milliseconds.

The language and the currency of the reply being written are context variables, set for one
answer with `speaking(language, currency)`: the wording functions need no extra parameter, and
concurrent answers (threads, asyncio tasks) each keep their own.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from importlib.resources import files

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from babel.numbers import format_percent as format_percent_
from babel.support import NullTranslations, Translations

DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
_language: ContextVar[str] = ContextVar("reply_language", default=SOURCE_LANGUAGE)
_currency: ContextVar[str] = ContextVar("reply_currency", default="EUR")


@functools.cache
def available_languages() -> tuple[str, ...]:
    """Return the ISO 639-1 codes replies can be written in: English (the source) and every
    language with a catalogue under bot/locale, sorted."""
    root = files("bot").joinpath("locale")
    found = {SOURCE_LANGUAGE}
    if root.is_dir():
        for entry in root.iterdir():
            if entry.joinpath("LC_MESSAGES", f"{DOMAIN}.po").is_file():
                found.add(entry.name)
    return tuple(sorted(found))


@functools.cache
def translations(language: str) -> NullTranslations:
    """Return the compiled catalogue of `language` (no translation for English or a language
    without a catalogue: the message ids are the English texts)."""
    if language == SOURCE_LANGUAGE or language not in available_languages():
        return NullTranslations()
    source = files("bot").joinpath("locale", language, "LC_MESSAGES", f"{DOMAIN}.po")
    catalog = read_po(io.BytesIO(source.read_bytes()), locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def current_language() -> str:
    """Return the language of the reply being written."""
    return _language.get()


def current_currency() -> str:
    """Return the ISO 4217 currency amounts are written in."""
    return _currency.get()


@contextmanager
def speaking(language: str, currency: str | None = None) -> Iterator[None]:
    """Write every text inside the block in `language` (falls back to English when it has no
    catalogue) and amounts in `currency` (unchanged when None)."""
    language_token = _language.set(
        language if language in available_languages() else SOURCE_LANGUAGE
    )
    currency_token = _currency.set(currency) if currency else None
    try:
        yield
    finally:
        _language.reset(language_token)
        if currency_token is not None:
            _currency.reset(currency_token)


def use_language(language: str) -> None:
    """Write texts in `language` from here to the end of the current task or thread (a
    transport's handler of one update); `speaking` is the scoped form."""
    _language.set(language if language in available_languages() else SOURCE_LANGUAGE)


def pick_language(*candidates: str | None) -> str:
    """Return the first candidate (ISO 639-1 or a client's tag such as "pt-br") that has a
    catalogue, as its two-letter code; English when none has."""
    shipped = available_languages()
    for candidate in candidates:
        code = (candidate or "").split("-")[0].split("_")[0].lower()
        if code in shipped:
            return code
    return SOURCE_LANGUAGE


_NAME_LIKE = re.compile(r"(?<=\S)\s+([^\W\d_][\w'’.-]*|\S*[\d@]\S*)", re.UNICODE)


def without_names(text: str) -> str:
    """Return a message without the words that tell nothing of its language: capitalised words
    after the first (names, brands: "who is María López?" is English), numbers, emails."""

    def drop(match: re.Match[str]) -> str:
        word = match.group(1)
        return (
            ""
            if word[:1].isupper() or any(c.isdigit() or c == "@" for c in word)
            else match.group()
        )

    return _NAME_LIKE.sub(drop, text)


def _(message: str) -> str:
    """Return `message` (an English message id) in the reply's language."""
    return translations(_language.get()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the form of a message for the count `n` in the reply's language (CLDR plural
    rules: Turkish uses one form after a number, Greek and Spanish two, …)."""
    return translations(_language.get()).ungettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a module constant for extraction; translate it where it is used, with `_`."""
    return message


# English replies write dates and money the European way ("13 Nov 2026", "€29.90"), as the
# stores this serves do: CLDR's plain "en" is American ("Nov 13, 2026").
_FORMAT_LOCALES = {"en": "en_GB"}


@functools.cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(_FORMAT_LOCALES.get(language, language))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(SOURCE_LANGUAGE)


def locale() -> Locale:
    """Return the CLDR locale of the reply's language."""
    return _locale(_language.get())


def format_day(moment: date | datetime) -> str:
    """Return a date with a short month: "13 Nov 2026", "13 nov 2026", "13 Kas 2026",
    "13 Νοε 2026" (CLDR's yMMMd skeleton)."""
    return str(format_skeleton("yMMMd", moment, locale=locale()))


def format_weekday(moment: date | datetime) -> str:
    """Return a day with its weekday and month, without the year: "Tuesday 1 December",
    "mar, 1 de diciembre", "Di., 1. Dezember" (CLDR's MMMMEEEEd skeleton)."""
    return str(format_skeleton("MMMMEEEEd", moment, locale=locale()))


def format_weekday_year(moment: date | datetime) -> str:
    """Return a day with its weekday, month and year: "Thursday 25 November 2027"."""
    return str(format_skeleton("yMMMMEEEEd", moment, locale=locale()))


def format_day_month(moment: date | datetime) -> str:
    """Return a day and month without the year: "8 Mar", "8 mar", "8 Mar"."""
    return str(format_skeleton("MMMd", moment, locale=locale()))


def format_month_year(moment: date | datetime) -> str:
    """Return a month and year: "Nov 2026", "nov 2026", "Kas 2026"."""
    return str(format_skeleton("yMMM", moment, locale=locale()))


def format_month_name_year(moment: date | datetime) -> str:
    """Return a month spelled out with its year: "November 2026", "noviembre de 2026"."""
    return str(format_skeleton("yMMMM", moment, locale=locale()))


def format_money(amount: float) -> str:
    """Return an amount in the reply's currency and locale: "€29.90", "29,90 €", "₺29,90"."""
    return str(format_currency(amount, current_currency(), locale=locale()))


def format_percent(share: float) -> str:
    """Return a share as a percentage in the locale: "33%", "%33", "33 %"."""
    return str(format_percent_(share, locale=locale()))


def language_name(code: str) -> str:
    """Return a language's name in the reply's language ("el" → "Greek", "griego",
    "Yunanca"), or the code itself when CLDR has no name for it."""
    name: str | None = locale().languages.get(code)
    if name and _language.get() in _LOWERCASE_LANGUAGE_NAMES:
        # CLDR gives the standalone form ("Ελληνικά"); inside a sentence Greek writes it in
        # lower case ("μιλάει ελληνικά"), as Spanish does already in CLDR.
        name = name.lower()
    return name or code


_LOWERCASE_LANGUAGE_NAMES = frozenset({"el"})


def english_language_name(code: str) -> str:
    """Return a language's English name ("tr" → "Turkish"), for prompts written in English."""
    name: str | None = _locale(SOURCE_LANGUAGE).languages.get(code)
    return name or code
