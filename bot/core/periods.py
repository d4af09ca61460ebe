"""Time periods named in a question: "in 2025", "last month", "en marzo", "geçen yıl".

Month names and period phrases, per language, live in `data/periods.toml`, read on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from bot.core.datafiles import alternatives, read_toml
from bot.core.text import fold, strip_accents, words

_YEAR = re.compile(r"(?<![\w-])((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class Period:
    """A span of time in UTC, `start` included and `end` excluded."""

    start: datetime
    end: datetime
    label: str


@cache
def _words() -> dict[str, Any]:
    return read_toml("periods.toml")


@cache
def month_names() -> tuple[str, ...]:
    """Return the months' names as periods are labelled with them, January first."""
    return tuple(month["name"] for month in _words()["month"])


@cache
def month_patterns() -> tuple[str, ...]:
    """Return each month's names in all languages as regex alternatives over folded text."""
    endings = _words()["turkish_endings"]
    return tuple(
        "|".join((month["words"], month.get("tr_pattern") or month["tr"] + endings, month["el"]))
        for month in _words()["month"]
    )


@dataclass(frozen=True)
class _Patterns:
    months: tuple[re.Pattern[str], ...]
    this_year: re.Pattern[str]
    last_year: re.Pattern[str]
    this_month: re.Pattern[str]
    last_month: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    words = _words()
    return _Patterns(
        months=tuple(re.compile(rf"(?<!\w)(?:{m})") for m in month_patterns()),
        this_year=re.compile(alternatives(words["this_year"])),
        last_year=re.compile(alternatives(words["last_year"])),
        this_month=re.compile(alternatives(words["this_month"])),
        last_month=re.compile(alternatives(words["last_month"])),
    )


def _year(year: int) -> Period:
    return Period(
        datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC), str(year)
    )


def _month(year: int, month: int) -> Period:
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return Period(datetime(year, month, 1, tzinfo=UTC), end, f"{month_names()[month - 1]} {year}")


def parse_period(text: str, *, now: datetime) -> Period | None:
    """Return the period a question asks about ("in 2025", "last month", "en marzo", "between
    March and May": from the first month named to the last, both whole), else None."""
    if now.tzinfo is None:
        msg = "now must be timezone-aware"
        raise ValueError(msg)
    now = now.astimezone(UTC)
    folded = strip_accents(text)
    explicit = _YEAR.search(folded)
    p = _patterns()
    named = sorted(
        (found.start(), number)
        for number, pattern in enumerate(p.months, start=1)
        if (found := pattern.search(folded))
    )
    if named:
        first, last = named[0][1], named[-1][1]
        if explicit:
            year = int(explicit[1])
        elif p.last_year.search(folded):
            year = now.year - 1
        elif p.this_year.search(folded):
            year = now.year
        else:
            # A month on its own is the latest one: this year's if it has begun, else last
            # year's; a span, the latest that has ended by its last month.
            year = now.year if last <= now.month else now.year - 1
        if first == last:
            return _month(year, last)
        # "between March and May", "de marzo a mayo", "von März bis Mai": first to last named,
        # both whole; a span over New Year starts the year before.
        start = _month(year if first < last else year - 1, first)
        end = _month(year, last)
        label = f"{month_names()[first - 1]}–{end.label}"
        return Period(start.start, end.end, label)
    if p.last_month.search(folded):
        return _month(now.year, now.month - 1) if now.month > 1 else _month(now.year - 1, 12)
    if p.this_month.search(folded):
        return _month(now.year, now.month)
    if p.last_year.search(folded):
        return _year(now.year - 1)
    if p.this_year.search(folded):
        return _year(now.year)
    if explicit:
        return _year(int(explicit[1]))
    return None


def month_words(text: str) -> frozenset[str]:
    """Return the words (folded) of the months a message names in any of the five languages
    ("diciembre", "Aralık'ta", "Δεκέμβριο")."""
    folded = strip_accents(text)
    spans = [m.span() for pattern in _patterns().months for m in pattern.finditer(folded)]
    # The whole words typed, not the months' stems: "dekemvrio", "aralik'ta".
    return frozenset(
        fold(word.group())
        for word in re.finditer(r"[\w'’]+", folded)
        if any(a < word.end() and word.start() < b for a, b in spans)
    )


def relative_period_words(text: str) -> frozenset[str]:
    """Return the words (folded, bot.core.text.fold) of the relative periods a message names:
    "this month", "bu ay", "geçen yıl", "letztes Jahr". "Bu ay" is no customer Ay."""
    folded = strip_accents(text)
    p = _patterns()
    found: set[str] = set()
    for pattern in (p.this_year, p.last_year, p.this_month, p.last_month):
        for match in pattern.finditer(folded):
            found.update(fold(w) for w in words(match.group()))
    return frozenset(found)
