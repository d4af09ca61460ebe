"""The days a question about who bought something names: "yesterday", "last week", "since
Monday", "desde el 1 de noviembre hasta hoy", "dünden beri", "seit gestern".

The words live in data/lists.toml ([windows], [since], [from], [until], [now], [spanned]); a day
named by date or weekday after "since" is read by dateparser (offline, its language data ship
inside the package; in the reply language), preferring the past.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from bot.core.i18n import current_language
from bot.core.list_requests import bought_clause, table, windows
from bot.core.periods import month_words, parse_period
from bot.core.text import fold, strip_accents

_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th|η|ης|ª|º)?")
# Words let in between the day and the month, folded (Greek in Latin letters, as fold has it)
_TYPED = re.compile(r"[\w'’]+")
_BETWEEN = frozenset({"of", "the", "de", "del", "tis", "tin", "tes", "den", "dem"})
_BARE_DAY = re.compile(r"(?:\w{1,3} )?\d{1,2}(?:st|nd|rd|th|\.|°|η|ª|º)?")
# Older than this is no day meant
_OLDEST = timedelta(days=3 * 365)


def bought_window(text: str, today: date) -> tuple[date, date] | None:
    """Return the first and last day (inclusive) a question about who bought something names
    in the clause asking (bot.core.list_requests.bought_clause), or None when it names no
    such days: today, yesterday, this week (Monday to today), last week (Monday to Sunday), the
    past week (the 7 days to today), or a span from a day to today ("since yesterday", "from
    1 November until today", "dünden beri"). A span to another day, or a day that is one end
    of something longer ("the last week of October"), is None: the period is then read whole
    (bot.core.periods)."""
    clause = bought_clause(text)
    if table("spanned").search(clause):
        first = _since(clause, today)
        return (first, today) if first is not None else None
    return _named_days(clause, today)


def _named_days(clause: str, today: date) -> tuple[date, date] | None:
    named = windows()
    monday = today - timedelta(days=today.weekday())
    if named["today"].search(clause):
        return today, today
    if named["yesterday"].search(clause):
        return today - timedelta(days=1), today - timedelta(days=1)
    if named["past_week"].search(clause):
        return today - timedelta(days=6), today
    if named["last_week"].search(clause):
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if named["this_week"].search(clause):
        return monday, today
    return None


def _since(clause: str, today: date) -> date | None:
    """Return the first day of a span that runs to today ("since yesterday", "from 1 November
    until today"), or None when the span ends another day or its start can't be read."""
    since = table("since").search(clause) or table("from").search(clause)
    if since is None:
        return None
    until = table("until").search(clause, since.end())
    now = table("now")
    # to today: "until today", Turkish "bugüne kadar" (today before the word)
    if until is not None and not (
        now.search(clause, until.end()) or now.search(clause[: until.start()][-12:])
    ):
        return None
    after = clause[since.end() : until.start() if until else None]
    # "dünden beri", "geçen aydan beri": the day before the word, which the match holds
    return _first_day(after, today) or _first_day(clause[: since.end()], today)


def _first_day(words: str, today: date) -> date | None:
    days = _named_days(words, today)
    if days is not None:
        return days[0]
    period = parse_period(words, now=datetime.combine(today, time(), UTC))
    if period is not None and period.start.date() <= today:
        day = _day_of_month(words)  # "since 20 November": that day, not the month
        if (
            day is not None
            and day <= calendar.monthrange(period.start.year, period.start.month)[1]
        ):
            return period.start.date().replace(day=day)
        return period.start.date()
    found = _search_dates(words, today)  # "since Monday"
    return found if found is not None and today - _OLDEST <= found <= today else None


def _day_of_month(text: str) -> int | None:
    """Return the day number typed right before a month's name ("20 November", "20. Nov",
    "1 de noviembre", "10 Kasım'dan", "10 Νοεμβρίου", "the 3rd of May"), else None."""
    months = month_words(text)
    typed = [fold(w) for w in _TYPED.findall(strip_accents(text))]  # as month_words has them
    for at, word in enumerate(typed):
        if word in months:
            before = [w for w in typed[max(0, at - 3) : at] if w not in _BETWEEN]
            number = _ORDINAL.fullmatch(before[-1]) if before else None
            if number is not None and 1 <= int(number[1]) <= 31:
                return int(number[1])
    return None


def _search_dates(words: str, today: date) -> date | None:
    from dateparser.search import search_dates

    # in the reply language (the message's): guessing among several misreads "seit dem 20.
    # November Chemex gekauft" as 3 November; a bare ordinal ("the 10th") it reads as a month
    found = search_dates(words, languages=[current_language()], settings=_settings(today))
    read = [day for typed, day in found or () if not _BARE_DAY.fullmatch(typed.strip())]
    return read[0].date() if read else None


@cache
def _settings(today: date) -> dict[str, Any]:
    return {
        "RELATIVE_BASE": datetime.combine(today, time()),
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY",
        "PREFER_LOCALE_DATE_ORDER": False,
    }
