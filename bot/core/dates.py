"""Due dates of follow-up tasks in an associate's message: "call Ana next Tuesday", "el viernes",
"cuma günü", "την Παρασκευή", "am Freitag".

dateparser finds and reads the dates, offline: its language data ship inside the package, it has
no network code, and with the language given it runs no language detection. This module only
smooths its edges for chat messages: a few phrases it lacks are rewritten into ones it reads,
its false finds are dropped, and each date's span is widened to the words around it ("on",
"el próximo", "günü") so that the caller can cut the whole date out of the task.

Conventions:
- A weekday, bare or with "next" ("Friday", "next Tuesday", "el próximo martes", "gelecek salı",
  "την επόμενη Τρίτη", "nächsten Dienstag"), is the first such day strictly after today: said
  on a Monday, "Monday" is a week ahead. (In English "this Friday" said on a Friday is today.)
  "Tuesday next week" / "haftaya salı" is the Tuesday of the week after this one.
- "next week" is the Monday after today, "next month" the 1st of the next month, "next year"
  1 January; "in a week", "in 2 weeks", "in 3 days" count from today.
- Numeric dates are day first in all five languages: "12/1" is 12 January, in English too.
- A due date is never in the past: a day and month before today is next year's ("on 3 November"
  said on 30 November); a past date with its year, or "yesterday", is no due date.
- A month or a year alone is no due date ("in May", "call June Smith", "the 2024 model"): they
  read as names and product words too often. Nor is a lone word of three letters or fewer
  ("we", "so", "Mo", "ara") unless it names a day from today ("hoy"), nor a bare number
  ("Clifton 9"). A numeric date needs its separators: "12/12", "24.12.", "24.12.2026",
  "2026-12-24" ("9.5" is a shoe size, but "am 24.12" is a date).
- A time alone ("at 5pm") is due today. The first date in the message is the due date.
Misread: names that are weekdays ("Martes", "Cuma"), Greek "τρίτη" ("third"). Unread: "end of
the month" (dateparser lacks it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from itertools import islice
from typing import Any

from bot.core.datafiles import read_toml
from bot.core.numbers import number_words
from bot.core.text import strip_accents

LANGUAGES = ("en", "es", "tr", "el", "de")

# Phrases dateparser does not read, rewritten into ones it does (data/date_rewrites.toml).
_REWRITES: dict[str, list[list[str]]] = read_toml("date_rewrites.toml")
# dateparser reads "12.12" and "3.12" as times of day; "12/12" it reads as a date.
_DOTTED_TO_SLASH = (r"(?<![\d.,])(\d{1,2})\.(\d{1,2})(?!\d|\.\d)", r"\1/\2")
# Number words before a unit of time, which dateparser reads only in English and German
# (bot.core.numbers); turned into digits for these languages.
_NUMBER_LANGUAGES = ("es", "tr", "el")
_UNITS = {
    "es": r"días?|semanas?|mes(?:es)?|años?",
    "tr": r"gün|hafta|ay|yıl",
    "el": r"η?μέρ\w*|εβδομάδ\w*|μήν\w*|χρόν\w*|έτ\w*",
}
# Words that look like a date to dateparser but are none here, blanked before the search:
# "mañana" and "Morgen" are also "morning"; German "am" right before a number makes dateparser
# miss the date after it ("am 24.12."); Turkish endings after an apostrophe ("Aralık'ta").
_BLANKS = {
    "es": r"\b(?:por la|de la|en la|a la|esta|cada|la) (mañana)\b",
    "de": r"\b(?:guten|am|jeden|heute|diesen|den|einen) (morgen)\b|\b(am)(?=\s+\d)",
    "tr": r"(?<=\w)(['’]\w+)",
}
# Words around a date that belong to it ("on Friday", "el próximo martes", "cuma günü"), so
# that cutting the span out of the message leaves the task; regex alternatives.
_LEAD_INS = {
    "en": r"on|by|this|next|coming|the|until|till|before|at",
    "es": r"el|la|este|esta|próximo|próxima|para|hasta|antes del|dentro de|a las",
    "tr": r"gelecek|önümüzdeki|bu",
    "el": r"την|τη|τον|το|της|στις|στη|στην|στο|μέχρι|ως|έως|επόμενη|επόμενο|αυτή|αυτήν|αυτό"
    r"|αυτόν|ερχόμενη|t[hiy]n?|to|st[hiy]n?|st[iy]s",  # Greeklish too ("tin paraskevi")
    "de": r"am|an|nächsten|nächste|nächster|kommenden|kommende|diesen|diese|dieser|bis|zum|ab"
    r"|spätestens|um",
}
_TRAILERS = {"es": r"que viene", "tr": r"günü|gününe|kadar"}
_MAX_LEAD_INS = 3

_PARSERS = ["relative-time", "custom-formats", "absolute-time"]  # no timestamps: phone numbers
# A numeric date, or a time.
_NUMERIC = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{1,2}/\d{1,2}|\d{1,2}:\d{2}"
)
_DOTTED_DAY_MONTH = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}$")
_EXPLICIT_YEAR = re.compile(r"\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2}")
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH = re.compile(rf"\b(?:{'|'.join(_MONTHS)})\b")
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_WEEKDAY = re.compile(rf"\b(?:{'|'.join(_WEEKDAYS)})\b")
_FUTURE = re.compile(r"\bin \d")
_TOKEN = re.compile(r"[^\W_]+(?:[-./:'’][^\W_]+)*")


@dataclass(frozen=True)
class FoundDate:
    """A due date found in a message, and where its words are in it."""

    day: date  # the due date
    start: int  # span of the date words in the message (character offsets)
    end: int


def find_due_date(text: str, *, today: date, language: str | None = None) -> FoundDate | None:
    """Return the due date a message names, and the span of its words, or None without one.

    `today` is the store's local date, which relative words count from; the date returned is
    never before it. `language` is an ISO 639-1 code of `LANGUAGES` (en/es/tr/el/de), or None
    to try all five and keep the date found first in the text. The first call loads
    dateparser (about 0.3 s); later calls take about a millisecond in one language, a few in
    all five. Raises ValueError for another language."""
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
    today = date(today.year, today.month, today.day)  # a datetime compares badly with dates
    languages = LANGUAGES if language is None else (language,)
    found = [f for lang in languages if (f := _find(text, today, lang))]
    return min(found, key=lambda f: (f.start, f.start - f.end), default=None)


@dataclass(frozen=True)
class _Prepared:
    """The message as dateparser reads it, with each character's origin in the message."""

    message: str
    text: str
    begins: tuple[int, ...]  # where the message text behind text[i] starts …
    ends: tuple[int, ...]  # … and ends

    def origin(self, start: int, end: int) -> tuple[int, int]:
        return self.begins[start], self.ends[end - 1]


def _prepare(text: str, language: str) -> _Prepared:
    prepared = _Prepared(text, text, tuple(range(len(text))), tuple(range(1, len(text) + 1)))
    for pattern, new in _preparations(language):
        prepared = _replace(prepared, pattern, new)
    return prepared


def _replace(
    p: _Prepared, pattern: re.Pattern[str], new: Callable[[re.Match[str]], str]
) -> _Prepared:
    text: list[str] = []
    begins: list[int] = []
    ends: list[int] = []
    last = 0
    for m in pattern.finditer(p.text):
        if (replacement := new(m)) == m.group():
            continue
        text.append(p.text[last : m.start()] + replacement)
        if len(replacement) == len(m.group()):  # blanked: each character keeps its origin
            begins += p.begins[last : m.end()]
            ends += p.ends[last : m.end()]
        else:
            begins += p.begins[last : m.start()] + (p.begins[m.start()],) * len(replacement)
            ends += p.ends[last : m.start()] + (p.ends[m.end() - 1],) * len(replacement)
        last = m.end()
    if not text:
        return p
    text.append(p.text[last:])
    return _Prepared(
        p.message, "".join(text), tuple(begins) + p.begins[last:], tuple(ends) + p.ends[last:]
    )


@cache
def _preparations(language: str) -> tuple[tuple[re.Pattern[str], Callable[..., str]], ...]:
    steps: list[tuple[re.Pattern[str], Callable[..., str]]] = [
        (re.compile(old, re.IGNORECASE), lambda m, new=new: m.expand(new))
        for old, new in (*_REWRITES.get(language, ()), _DOTTED_TO_SLASH)
    ]
    if language in _NUMBER_LANGUAGES:
        values = {w: str(n) for w, n in number_words(language).items()}
        numbers = rf"(?<!\w)(?:{'|'.join(values)})(?=\s+(?:{_UNITS[language]})\b)"
        steps.append((re.compile(numbers, re.IGNORECASE), lambda m: values[m.group().lower()]))
    if language in _BLANKS:
        steps.append((re.compile(_BLANKS[language], re.IGNORECASE), _blank))
    if language == "tr":
        steps.append((re.compile(r"\w+"), _turkish_ending_blanked))
    return tuple(steps)


def _blank(m: re.Match[str]) -> str:
    """Blank the group that matched ("mañana" of "por la mañana"), not the words around it."""
    start, end = m.span(m.lastindex or 0)
    return m.group()[: start - m.start()] + " " * (end - start) + m.group()[end - m.start() :]


def _turkish_ending_blanked(m: re.Match[str]) -> str:
    """Blank the case ending glued to a Turkish date word ("cumaya", "Kasımda", "yarına")."""
    word, known = m.group(), _turkish_date_words()
    if word.lower() in known:
        return word
    for cut in range(len(word) - 1, max(len(word) - 4, 3), -1):
        if word[:cut].lower() in known:
            return word[:cut] + " " * (len(word) - cut)
    return word


@cache
def _turkish_date_words() -> frozenset[str]:
    """Return dateparser's Turkish one-word names of months, weekdays and days ("yarın"), but
    no abbreviation of three letters: "ara" (Aralık) starts "aramamı"."""
    info = _locale("tr").info
    names = [n for key in (*_WEEKDAYS, *_MONTHS) for n in info.get(key, [])]
    names += [p for phrases in info["relative-type"].values() for p in phrases]
    return frozenset(n.lower() for n in names if " " not in n and len(n) >= 4)


@cache
def _locale(language: str) -> Any:
    from dateparser.languages.loader import default_loader  # imported on first use: ~0.1 s

    return default_loader.get_locale(language)


@cache
def _vocabulary(language: str) -> frozenset[str]:
    """Return every word in dateparser's data for a language (read off its repr), folded: a
    date it can read is made of these words and of numbers only."""
    return frozenset(re.findall(r"[^\W\d_]+", strip_accents(str(_locale(language).info))))


@cache
def _listed(language: str, *keys: str) -> frozenset[str]:
    """Return the words dateparser's data lists under `keys` ("skip", "in"), folded."""
    return frozenset(strip_accents(w) for key in keys for w in _locale(language).info.get(key, []))


@lru_cache(maxsize=8)
def _settings(today: date) -> Any:
    from dateparser.conf import settings

    ours = {
        "RELATIVE_BASE": datetime.combine(today, time()),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "DMY",
        "PREFER_LOCALE_DATE_ORDER": False,
        "PARSERS": _PARSERS,
    }
    return settings.replace(mod_settings=ours, **ours)


@dataclass(frozen=True)
class _Find:
    day: date
    start: int
    end: int
    kind: str  # "week" for "next week", "weekday" for a weekday alone, else ""


def _find(text: str, today: date, language: str) -> FoundDate | None:
    """Return the first date dateparser finds and this module accepts in one language."""
    p = _prepare(text, language)
    stretches = _stretches(p.text, language)
    finds = list(islice((f for s, e in stretches for f in _finds_in(p, s, e, today, language)), 2))
    return _joined(finds, text) if finds else None


def _finds_in(p: _Prepared, start: int, end: int, today: date, language: str) -> Iterator[_Find]:
    for first, last, when, period in _spans(p.text, start, end, today, language):
        if (found := _accept(p, first, last, when, period, today, language)) is not None:
            yield found
        elif " " in p.text[first:last]:
            # dateparser may glue a word to a date ("Clifton 9 on Friday"): retry after it.
            yield from _finds_in(p, p.text.index(" ", first) + 1, end, today, language)
            return


def _stretches(text: str, language: str) -> Iterator[tuple[int, int]]:
    """Yield the stretches of `text` made of words dateparser knows and of numbers, the only
    places a date can be, that hold more than words it skips and bare numbers ("about the",
    "38"): its search tries seven parses a word and costs a millisecond a call."""
    known, skip = _vocabulary(language), _listed(language, "skip", "in")
    start, end, key = -1, -1, False
    for m in [*_TOKEN.finditer(text), None]:
        token = m.group() if m else ""
        parts = re.split(r"[-./:'’]", strip_accents(token))
        if m and (any(c.isdigit() for c in token) or all(part in known for part in parts)):
            start, end = (m.start() if start < 0 else start), m.end()
            key = key or not (token.isdigit() or strip_accents(token) in skip)
            continue
        if start >= 0 and key:
            yield start, end
        start, key = -1, False


def _spans(
    text: str, start: int, end: int, today: date, language: str
) -> Iterator[tuple[int, int, datetime, str]]:
    """Yield where in `text[start:end]` each date dateparser finds is, its value and period."""
    from dateparser.search import search_dates

    found = search_dates(
        text[start:end],
        languages=[language],
        settings=_settings(today),
        strategy="ngram",  # reads "the day after tomorrow", "Friday: call Ana" right
        add_period=True,
    )
    for words, when, period in found or []:
        at = text.find(words, start, end)
        if at >= 0:
            start = at + len(words)
            yield at, start, when, period


def _joined(finds: list[_Find], message: str) -> FoundDate:
    """Return the first find, or with the next one a weekday in next week ("Tuesday next
    week", "haftaya salı"): dateparser finds them apart."""
    first = finds[0]
    if len(finds) == 2 and not message[first.end : finds[1].start].strip(" ,"):
        week = next((f for f in finds if f.kind == "week"), None)
        weekday = next((f for f in finds if f.kind == "weekday"), None)
        if week and weekday:
            day = week.day + timedelta(days=weekday.day.weekday())
            return FoundDate(day, first.start, finds[1].end)
    return FoundDate(first.day, first.start, first.end)


def _accept(
    p: _Prepared, start: int, end: int, when: datetime, period: str, today: date, language: str
) -> _Find | None:
    """Return the due date of one find of dateparser's, or None for a false or past one."""
    locale = _locale(language)
    start, end = _trimmed(p.text, start, end, language)
    words = p.text[start:end]
    english = locale.translate(words, settings=_settings(today))
    relative = _FUTURE.search(english) is not None
    if period in ("month", "year") and not relative:
        return None  # a month or a year alone: "May", "ara", "the 2024 model"
    if words.isalpha() and len(words) <= 3 and not relative and "0 day" not in english:
        return None  # a lone short word: "we" (Wednesday), German "so" (Sonntag)
    first, last, led = _widened(p, start, end, language)
    if not _date_like(p, start, end, led, language):
        return None
    if (next_one := _start_of_next(words, today, language)) is not None:
        return _Find(next_one[1], first, last, next_one[0])
    day = _due_day(when.date(), words, english, today)
    weekday = _WEEKDAY.search(english)
    if day is None or (weekday and _WEEKDAYS.index(weekday.group()) != day.weekday()):
        return None  # past, or a weekday glued to a number that is no date ("9 on Friday")
    return _Find(day, first, last, "weekday" if weekday and not re.search(r"\d", english) else "")


def _trimmed(text: str, start: int, end: int, language: str) -> tuple[int, int]:
    """Drop words that dateparser skips from the end of a find ("next Tuesday about the")."""
    skip = _listed(language, "skip")
    while m := re.search(r"(\S+)\s+(\S+)$", text[start:end]):
        if strip_accents(m.group(2)) not in skip or m.group(1)[-1].isdigit():
            break  # "um 5 Uhr": a skipped word after a number ends the time
        end = len(text[: start + m.start(2)].rstrip())
    return start, end


def _date_like(p: _Prepared, start: int, end: int, led: bool, language: str) -> bool:
    """Return whether a find holds a word besides those dateparser skips ("9 in" does not), or
    else only numeric dates and times: a dotted day and month ("24.12") only with a dot after
    it or a word before ("am 24.12"), since "9.5" is more likely a size."""
    skip = _listed(language, "skip", "in")
    first, last = p.origin(start, end)
    tokens = [w for w in p.message[first:last].split() if strip_accents(w) not in skip]
    if any(c.isalpha() for w in tokens for c in w):
        return True
    dotted = p.message[last : last + 1] == "." or led
    return bool(tokens) and all(
        _NUMERIC.fullmatch(w) or (dotted and _DOTTED_DAY_MONTH.fullmatch(w)) for w in tokens
    )


def _start_of_next(words: str, today: date, language: str) -> tuple[str, date] | None:
    """Return "week" and its Monday for "next week" (likewise month and year), by the phrases
    dateparser reads as "in 1 week"; None for other words ("in a week" counts days)."""
    folded = strip_accents(words)
    relative_type = _locale(language).info.get("relative-type", {})
    for unit, start in (
        ("week", today + timedelta(days=7 - today.weekday())),
        ("month", date(today.year + today.month // 12, today.month % 12 + 1, 1)),
        ("year", date(today.year + 1, 1, 1)),
    ):
        phrases = relative_type.get(f"in 1 {unit}", [])
        if any(re.search(rf"(?<!\w){re.escape(strip_accents(x))}(?!\w)", folded) for x in phrases):
            return unit, start
    return None


def _due_day(day: date, words: str, english: str, today: date) -> date | None:
    """Return the due day, never before today: a day and month past are next year's, a day of
    the month alone ("the 15th", "jueves 3") next month's, which dateparser leaves past."""
    if day >= today:
        return day
    if "ago" in english or _EXPLICIT_YEAR.search(words):
        return None  # "yesterday", "3 November 2025": past, so no due date
    if _MONTH.search(english) or _NUMERIC.search(words):
        step = 12
    elif re.search(r"\d", english):
        step = 1
    else:
        return None
    for n in range(1, 5):  # 29 February, the 31st
        year, month = divmod(day.month - 1 + n * step, 12)
        with suppress(ValueError):
            if (later := date(day.year + year, month + 1, day.day)) >= today:
                return later
    return None


def _widened(p: _Prepared, start: int, end: int, language: str) -> tuple[int, int, bool]:
    """Return the span of a find in the message, widened to whole words and to the words
    before and after it that belong to the date ("on", "el próximo", "günü"), and whether a
    word before it was taken."""
    text = p.message
    first, last = p.origin(start, end)
    first = len(re.sub(r"\w+$", "", text[:first]))
    last = len(text) - len(re.sub(r"^\w*(?:['’]\w+)*", "", text[last:]))  # "Aralık'ta"
    if text[last : last + 1] == "." and _DOTTED_DAY_MONTH.search(text[first:last]):
        last += 1  # the dot closing "24.12."
    led = False
    lead_in = re.compile(rf"(?<!\w)(?:{_LEAD_INS[language]})\s+$", re.IGNORECASE)
    for _ in range(_MAX_LEAD_INS):
        if (m := lead_in.search(text, 0, first)) is None:
            break
        first, led = m.start(), True
    trailer = _TRAILERS.get(language)
    if trailer and (m := re.match(rf"\s+(?:{trailer})(?!\w)", text[last:], re.IGNORECASE)):
        last += m.end()
    return first, last, led
