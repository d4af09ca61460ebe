"""Reading a question about many customers: which list of the associate's book it asks for
(bot.core.book), over how many days or which days, and what it names besides asking.

The words, per language, live in `data/lists.toml`; spans such as "for 3 months" or "next week"
are read here, periods such as "this month" or "in March" by bot.core.periods.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from bot.core.datafiles import alternatives, read_toml
from bot.core.mentions import PRONOUNS
from bot.core.numbers import all_number_words
from bot.core.periods import month_words, parse_period, relative_period_words
from bot.core.text import FOLDED_STOP_WORDS, cut_ending, fold, strip_accents, words

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class ListRequest:
    """A list question as read: the list (bot.core.book KINDS) and the days it covers."""

    kind: str
    # lapsed: no visit for this many days (None: each regular's own rhythm); birthdays: the
    # length of the window in days (None: the default week)
    days: int | None = None
    # birthdays: the window starts this many days after today
    start: int = 0
    # birthdays: the first and last day asked for, when the question names them ("next week")
    window: tuple[date, date] | None = None


@cache
def _data() -> dict[str, Any]:
    return read_toml("lists.toml")


# A few words let in between a list's words ("tekrar (?:\w+ ){0,2}al": "tekrar kahve alması";
# `\S+` for words with a hyphen: "wer hat die Moka-Kanne gekauft"): captured, since they may
# name what the list is about.
_GAP = re.compile(r"\(\?:\\([wS])\+ \)\{0,(\d)\}")


@cache
def _kinds() -> dict[str, re.Pattern[str]]:
    return {
        kind: re.compile(_GAP.sub(r"((?:\\\1+ ){0,\2})", alternatives(words)))
        for kind, words in _data()["kinds"].items()
    }


@cache
def _people() -> re.Pattern[str]:
    return re.compile(alternatives(_data()["people"]))


@cache
def _plural() -> re.Pattern[str]:
    return re.compile(alternatives(_data()["plural"]))


@cache
def windows() -> dict[str, re.Pattern[str]]:
    """Return the named days of data/lists.toml [windows] ("today", "last_week"...)."""
    return {name: re.compile(alternatives(words)) for name, words in _data()["windows"].items()}


@cache
def _filler() -> frozenset[str]:
    return frozenset(fold(w) for words in _data()["filler"].values() for w in words.split())


def asked_kind(text: str) -> str | None:
    """Return the list a message asks for (bot.core.book KINDS), or None when it is another
    one. The lists' words are those of data/lists.toml, checked in its order."""
    folded = strip_accents(text)
    for kind, pattern in _kinds().items():
        if pattern.search(folded):
            return kind
    return None


def asks_for_list(text: str, *, about_one: bool = False, product: bool = True) -> bool:
    """Return whether a message asks for a list by its own words, which no reading of the
    rest of it outweighs: a list's words and a "who" ("a quién le toca reponer café?",
    "tekrar kahve alması gerekenler"), or, unless it was read as a question `about_one`
    customer ("cumpleaños?" after María), a list's words and nothing else but named days
    ("doğum günleri gelecek hafta"; "is it due tomorrow?" points back at something); read
    `about_one`, its words in the plural ("birthdays next week") still ask for a list. Who
    bought something asks for its buyers only when the message names a `product` ("who bought
    the Chemex?", not "siparişi kim aldı?", who took the order)."""
    kind = asked_kind(text)
    if kind is None or (kind == "buyers" and not product):
        return False
    folded = strip_accents(text)
    if _people().search(folded) is not None:
        return True
    if about_one:  # unless the list's words say many ("birthdays"): no "her birthdays"
        return _plural().search(folded) is not None
    free = {fold(word) for word, asking in _words_asking(text) if not asking}
    return not named_runs(text) and not PRONOUNS & free


# "for 3 months", "90 days", "dos semanas", "üç aydır", "τρεις μήνες", "seit drei Monaten":
# a number (digits or a word up to twelve) and a unit, in the five languages (folded).
# Every language's number words, folded as the messages are (bot.core.numbers).
_NUMBER_WORDS = {strip_accents(w): n for w, n in all_number_words().items() if " " not in w}
_UNIT_DAYS = (
    (r"days?|dias?|gun\w*|μερ\w*|ημερ\w*|tag\w*", 1),
    (r"weeks?|semanas?|hafta\w*|εβδομαδ\w*|woche\w*", 7),
    (r"months?|mes|meses|ay|aydir|aylik|aydan|μην\w*|monat\w*", 30),
    (r"years?|anos?|yil\w*|χρον\w*|jahr\w*", 365),
)
_DURATION = re.compile(
    r"\b(\d{1,4}|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")\s+("
    + "|".join(unit for unit, _days in _UNIT_DAYS)
    + r")\b"
)


def asked_days(text: str) -> int | None:
    """Return the number of days a list question names ("for 3 months" → 90, "two weeks" →
    14), or None when it names none. Months count 30 days, years 365."""
    match = _DURATION.search(strip_accents(text))
    if match is None:
        return None
    number, unit = match.groups()
    count = int(number) if number.isdigit() else _NUMBER_WORDS[number]
    days = next(d for pattern, d in _UNIT_DAYS if re.fullmatch(pattern, unit))
    return count * days if count > 0 else None


def days_since(text: str, today: date) -> int | None:
    """Return the days from the start of the period a lapsed-list question names to `today`
    ("not seen since April" on 3 Dec: 246; "haven't been in this year": from 1 Jan), or None
    when it names none, one not yet begun, or, without "since" (data/lists.toml [since]),
    any but the year: "who didn't come in March?" says nothing of after March."""
    now = datetime.combine(today, time(), tzinfo=UTC)
    period = parse_period(text, now=now)
    if period is None or period.start.date() >= today:
        return None
    # Without "since", only a year up to today ("haven't been in this year"); "this month"
    # would leave nearly everyone
    year = (period.end - period.start).days >= 365 and period.end.date() > today
    if not (year or table("since").search(strip_accents(text))):
        return None
    return (today - period.start.date()).days


@cache
def _date_words() -> tuple[frozenset[str], frozenset[str]]:
    dates = _data()["dates"]
    return frozenset(map(fold, dates["weekdays"].split())), frozenset(
        map(fold, dates["before"].split())
    )


def dated_name(text: str, name_words: frozenset[str]) -> bool:
    """Return whether the words taken for a customer's name (`name_words`, folded) are a
    month or a weekday typed as a date in a list question ("who has a birthday in May?",
    "ποιοι έχουν γενέθλια την Κυριακή;"): each a month (bot.core.periods.month_words) or a
    weekday of data/lists.toml [dates], right after a word that dates it ([dates] before)."""
    if not name_words or asked_kind(text) is None:
        return False
    weekdays, before = _date_words()
    dates = month_words(text) | weekdays
    typed = [fold(w) for w in words(text)]
    at = {i for i, w in enumerate(typed) if w in name_words}
    return name_words <= dates and all(i > 0 and typed[i - 1] in before for i in at)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def asked_window(text: str, today: date) -> tuple[date, date] | None:
    """Return the first and last day of the birthdays a question asks for, or None when it
    names no days: today, tomorrow, next week (Monday to Sunday), next month, this month (from
    today), a month ("in March": the next one to end after today), this year (from today)."""
    folded = strip_accents(text)
    named = windows()
    if named["today"].search(folded):
        return today, today
    if named["tomorrow"].search(folded):
        return today + timedelta(days=1), today + timedelta(days=1)
    if named["this_week"].search(folded):
        return None  # the default: the coming 7 days
    if named["next_week"].search(folded):
        monday = today + timedelta(days=7 - today.weekday())
        return monday, monday + timedelta(days=6)
    if named["next_month"].search(folded):
        first = _month_end(today) + timedelta(days=1)
        return first, _month_end(first)
    period = parse_period(text, now=datetime.combine(today, time(), UTC))
    if period is None:
        return None
    first, last = period.start.date(), period.end.date() - timedelta(days=1)
    while last < today:  # birthdays come round: "in March" in November is next March
        first = first.replace(year=first.year + 1)
        last = _month_end(last.replace(day=1, year=last.year + 1))
    return max(first, today), last


@cache
def table(name: str) -> re.Pattern[str]:
    """Return the alternatives of data/lists.toml [`name`], one per language, as one pattern
    for folded text."""
    return re.compile(alternatives(_data()[name]))


_SENTENCE_END = re.compile(r"(?:(?<!\d)\.|[?!;¿¡\n])+")  # not "am 10. November"


def bought_clause(text: str) -> str:
    """Return the part of a who-bought-it question that asks who bought (folded): its sentence,
    up to what the associate means to do with the buyers (data/lists.toml [purpose]): "who
    bought the Chemex? I want to call them today" → "who bought the chemex", "wer hat die
    Chemex gekauft, um sie heute anzurufen" → "wer hat die chemex gekauft,". The whole
    message, folded, when it asks no such thing."""
    folded = strip_accents(text)
    buyers = _kinds()["buyers"]
    for sentence in _SENTENCE_END.split(folded):
        if (match := buyers.search(sentence)) is not None:
            purpose = table("purpose").search(sentence, match.end())
            return sentence[: purpose.start()] if purpose else sentence
    return folded


def read_list_request(text: str, today: date) -> ListRequest | None:
    """Return the list a question asks for and the days it covers, or None when it asks for
    none of the lists. A number of days ("in the next 10 days") comes before named days."""
    kind = asked_kind(text)
    if kind is None:
        return None
    asked = bought_clause(text) if kind == "buyers" else text  # not "to call them in 2 days"
    days = asked_days(asked) if kind in ("lapsed", "birthdays", "followups", "buyers") else None
    if kind == "lapsed" and days is None:
        days = days_since(text, today)
    window = asked_window(text, today) if kind == "birthdays" and days is None else None
    if window is None:
        return ListRequest(kind, days)
    first, last = window
    return ListRequest(kind, (last - first).days + 1, (first - today).days, window)


def _aligned(text: str) -> str:
    # Folded character by character, so that a match's position is the typed word's.
    return "".join(f if len(f := strip_accents(ch)) == 1 else ch for ch in text)


def named_runs(text: str) -> list[list[str]]:
    """Return what a list question names besides asking, as runs of words typed one after the
    other (as typed): the words left once the lists' words, the "who" words, numbers of days
    and named days, the stop words and the words of asking (data/lists.toml `filler`) are
    taken out; a stop word inside a run stays in it ("granos de café"). "who should be
    running out of coffee soon?" names [["coffee"]]."""
    runs: list[list[str]] = [[]]
    for word, asking in _words_asking(text):
        folded = fold(word)
        if folded in FOLDED_STOP_WORDS and not asking:
            runs[-1].append(word)
        elif asking or folded in _filler() or word.isdigit():
            runs.append([])
        else:
            runs[-1].append(word)
    trimmed = [_without_stop_words_around(run) for run in runs]
    return [run for run in trimmed if run]


def _without_stop_words_around(run: list[str]) -> list[str]:
    named = [i for i, word in enumerate(run) if fold(word) not in FOLDED_STOP_WORDS]
    return run[named[0] : named[-1] + 1] if named else []


def _words_asking(text: str) -> list[tuple[str, bool]]:
    """Return the words of a message as typed, each with whether it is part of the words
    that ask for a list (its kind, "who", days): "la" of "la semana que viene" is."""
    aligned = _aligned(text)
    spans = [table(name) for name in ("since", "spanned", "until", "now")]  # "since", "bis heute"
    patterns = [*_kinds().values(), _people(), *windows().values(), *spans, _DURATION]
    taken = [span for p in patterns for m in p.finditer(aligned) for span in _asking(m)]
    periods = relative_period_words(text) | month_words(text)  # "this month", "bu ay", "Aralık"
    return [
        (
            cut_ending(m.group()),  # "zorblax'ı" names zorblax
            fold(m.group()) in periods or any(a < m.end() and m.start() < b for a, b in taken),
        )
        for m in _WORD.finditer(text)
    ]


def _asking(match: re.Match[str]) -> list[tuple[int, int]]:
    # The spans of a match that are words of asking: all of it but the words let in between.
    spans, at = [], match.start()
    gaps = sorted(match.span(g) for g in range(1, (match.re.groups or 0) + 1))
    for start, end in gaps:
        if start >= at:  # a group that took part (an unmatched one is (-1, -1))
            spans.append((at, start))
            at = end
    spans.append((at, match.end()))
    return [(a, b) for a, b in spans if b > a]
