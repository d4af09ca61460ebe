"""What the language model may see (setting LLM_DATA): the one place that decides.

`full` sends what the tools and prompts hold. `minimal` (the default) hides e-mail addresses,
phone numbers and birthdays behind the placeholders <email>, <phone> and <birthday> in every
text that leaves the process for the model: the system prompt, the associate's message, the
model's own earlier tool calls, every tool result and the draft to reword. The guard works on
the messages themselves, right before each model call, so nothing depends on a tool or a
prompt remembering to leave data out.

Phone numbers are recognised by their shape, as the assistant recognises a typed one
(bot.core.retrieval.typed_contact): a run of at least MIN_PHONE_DIGITS digits, with or without
+, spaces, dots, dashes, slashes or brackets; dates and decimal amounts are not numbers. A
birthday is any written date (ISO, 12/04/1988, 12.04.88, 12 April 1988, 12 de abril de 1988,
...) that is the birthday of a customer on record. Ids are not personal data here: the ids a
tool returns (customer_id, order_id, sku, tip_id) pass unchanged, in tool results and wherever
the model or the prompt repeats them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from functools import cache
from typing import Any, TypeVar

from babel.dates import get_month_names
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from bot.core.i18n import available_languages
from bot.core.retrieval import MIN_PHONE_DIGITS, Retrieval
from storage.customers import known_birthdays
from storage.db import read_session

MINIMAL, FULL = "minimal", "full"
LLM_DATA_CHOICES = (MINIMAL, FULL)
EMAIL, PHONE, BIRTHDAY = "<email>", "<phone>", "<birthday>"
PLACEHOLDERS = (EMAIL, PHONE, BIRTHDAY)
# Fields of a tool result that hold ids: kept as they are, and known as ids wherever else
# they are written (a numeric customer id is no phone number).
ID_FIELDS = frozenset({"customer_id", "order_id", "sku", "tip_id"})

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Digits with the separators people write phone numbers with; not the tail of an id such as
# O-20250301 or SKU-1234567. Spaces only within a line.
_PHONE = re.compile(r"(?<![\w-])(?:\+|\(\+?)?\d[\d \t\u00a0./()\u2010-\u2015-]*\d")
_DECIMAL = re.compile(r"\d+[.,]\d{1,2}")
_YEARS = re.compile(r"(?:19|20)\d\d\s*[-/\u2010-\u2015]\s*(?:19|20)\d\d")
_NUMERIC_DATE = re.compile(
    r"(?<![\w.,/-])(?:(?P<y>\d{4})(?P<s1>[-/.])(?P<m>\d{1,2})(?P=s1)(?P<d>\d{1,2})"
    r"|(?P<a>\d{1,2})(?P<s2>[-/.])(?P<b>\d{1,2})(?P=s2)(?P<yy>\d{4}|\d{2}))"
    # Not the start of longer digit groups: 06.12.34.56.78 is a phone number.
    r"(?![-/.]?\d)"
)
_Message = TypeVar("_Message", bound=BaseMessage)


def check_llm_data(value: str) -> str:
    """Return `value` when it is one of LLM_DATA_CHOICES; raise ValueError naming them."""
    if value not in LLM_DATA_CHOICES:
        raise ValueError(f"LLM_DATA must be 'minimal' or 'full', not {value!r}")
    return value


def redactor(
    retrieval: Retrieval, llm_data: str, *, known_ids: Iterable[str] = ()
) -> Redactor | None:
    """Return the guard of everything sent to the model under `llm_data` (LLM_DATA): a
    Redactor that knows the store's birthdays for `minimal`, None for `full` (nothing is
    hidden). `known_ids`: ids the prompt names (the customer discussed)."""
    if check_llm_data(llm_data) == FULL:
        return None

    def birthdays() -> set[date]:
        with read_session(retrieval.engine) as db:
            return known_birthdays(session=db)

    return Redactor(birthdays=birthdays, known_ids=known_ids)


class Redactor:
    """Replaces e-mail addresses, phone numbers and birthdays with placeholders."""

    def __init__(
        self,
        *,
        birthdays: Callable[[], Collection[date]],
        known_ids: Iterable[str] = (),
    ):
        """`birthdays` returns the birthdays on record (read once, when a text first holds a
        date); `known_ids` are ids never taken for phone numbers."""
        self._load_birthdays = birthdays
        self._birthdays: Collection[date] | None = None
        self.known_ids = {i for i in known_ids if i}

    def text(self, text: str, *, bare_ids: bool = False) -> str:
        """Return `text` with e-mail addresses, phone numbers and birthdays replaced by
        <email>, <phone> and <birthday>. With `bare_ids` (the value of an id field) a run of
        digits alone is an id, not a phone number."""
        if not text or not any(ch.isdigit() or ch == "@" for ch in text):
            return text
        found: list[tuple[int, int, str]] = []
        kept: list[tuple[int, int]] = []
        for m in _EMAIL.finditer(text):
            found.append((m.start(), m.end(), EMAIL))
        for start, end, birthday in self._dates(text):
            if _overlaps(start, end, [(s, e) for s, e, _ in found] + kept):
                continue
            if birthday:
                found.append((start, end, BIRTHDAY))
            else:
                kept.append((start, end))
        # Dates and addresses are blanked out, so a run of digits never spans one of them.
        masked = list(text)
        for start, end in [(s, e) for s, e, _ in found] + kept:
            masked[start:end] = "\x00" * (end - start)
        for m in _PHONE.finditer("".join(masked)):
            if self._is_phone(m.group(), bare_ids=bare_ids):
                found.append((m.start(), m.end(), PHONE))
        for start, end, placeholder in sorted(found, reverse=True):
            text = text[:start] + placeholder + text[end:]
        return text

    def messages(self, messages: Sequence[_Message]) -> list[_Message]:
        """Return copies of `messages` with every text they send redacted: content (text or
        blocks), tool-call arguments (also as the provider wrote them) and tool results. A
        tool result written as JSON keeps its id fields (ID_FIELDS) and its numbers."""
        for message in messages:
            if isinstance(message, ToolMessage) and isinstance(message.content, str):
                self._learn_ids(_json(message.content))
        redacted: list[_Message] = []
        for message in messages:
            update: dict[str, Any] = {}
            content: Any = message.content
            if isinstance(message, ToolMessage) and isinstance(content, str):
                data = _json(content)
                if isinstance(data, dict | list):
                    update["content"] = json.dumps(
                        self._value(data, data=True), ensure_ascii=False
                    )
                else:
                    update["content"] = self.text(content)
            else:
                update["content"] = self._value(content)
            if message.additional_kwargs:
                update["additional_kwargs"] = self._value(message.additional_kwargs)
            if isinstance(message, AIMessage):
                update["tool_calls"] = [
                    {**call, "args": self._value(call["args"])} for call in message.tool_calls
                ]
                update["invalid_tool_calls"] = [
                    {**call, "args": self._value(call.get("args"))}
                    for call in message.invalid_tool_calls
                ]
            redacted.append(message.model_copy(update=update))
        return redacted

    def _value(self, value: Any, *, data: bool = False, key: str | None = None) -> Any:
        # `data`: a tool result, whose id fields are ids.
        if isinstance(value, str):
            return self.text(value, bare_ids=data and key in ID_FIELDS)
        if isinstance(value, dict):
            return {k: self._value(v, data=data, key=str(k)) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._value(v, data=data) for v in value]
        return value

    def _learn_ids(self, value: Any, key: str | None = None) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                self._learn_ids(v, str(k))
        elif isinstance(value, list):
            for v in value:
                self._learn_ids(v)
        elif isinstance(value, str) and key in ID_FIELDS:
            self.known_ids.add(value)

    def _is_phone(self, run: str, *, bare_ids: bool) -> bool:
        run = run.strip()
        digits = sum(ch.isdigit() for ch in run)
        if digits < MIN_PHONE_DIGITS or _DECIMAL.fullmatch(run) or _YEARS.fullmatch(run):
            return False
        bare = run.isdigit()
        return not (bare and (bare_ids or run in self.known_ids))

    def _dates(self, text: str) -> list[tuple[int, int, bool]]:
        """Return (start, end, is a birthday on record) of each date written in `text`."""
        dates = []
        for m in _NUMERIC_DATE.finditer(text):
            if m["y"]:
                days = _days(int(m["y"]), int(m["m"]), int(m["d"]))
            else:
                a, b, year = int(m["a"]), int(m["b"]), int(m["yy"])
                years = [year] if len(m["yy"]) == 4 else [1900 + year, 2000 + year]
                # 12/04/1988 is 12 April in most of the world, 4 December in the US.
                days = [d for y in years for d in (*_days(y, b, a), *_days(y, a, b))]
            if days:
                dates.append((m.start(), m.end(), self._any_birthday(days)))
        for m in _named_dates().finditer(text):
            month = _month_number(m["month1"] or m["month2"])
            day, year = int(m["day1"] or m["day2"]), int(m["year1"] or m["year2"])
            if days := _days(year, month, day):
                dates.append((m.start(), m.end(), self._any_birthday(days)))
        return dates

    def _any_birthday(self, days: Iterable[date]) -> bool:
        if self._birthdays is None:
            self._birthdays = self._load_birthdays()
        return any(day in self._birthdays for day in days)


def has_placeholder(text: str) -> bool:
    """True when `text` holds one of the placeholders a Redactor writes."""
    return any(p in text for p in PLACEHOLDERS)


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _days(year: int, month: int, day: int) -> list[date]:
    try:
        return [date(year, month, day)]
    except ValueError:
        return []


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


@cache
def _month_names() -> dict[str, int]:
    """Every month name and abbreviation of the reply languages (also without accents),
    case-folded, with its number."""
    names: dict[str, int] = {}
    for language in {"en", *available_languages()}:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, language).items():
                    for form in (name, _without_accents(name)):
                        names[form.casefold().rstrip(".")] = number
    return names


def _month_number(name: str) -> int:
    return _month_names()[name.casefold().rstrip(".")]


@cache
def _named_dates() -> re.Pattern[str]:
    """12 April 1988, 12. April 1988, 12 de abril de 1988, April 12th, 1988, Apr 12 1988."""
    months = "|".join(re.escape(n) for n in sorted(_month_names(), key=len, reverse=True))
    return re.compile(
        rf"(?<!\w)(?:(?P<day1>\d{{1,2}})\.?\s+(?:de\s+)?(?P<month1>{months})\.?,?\s+"
        rf"(?:de\s+)?(?P<year1>\d{{4}})"
        rf"|(?P<month2>{months})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
        rf"(?P<year2>\d{{4}}))(?!\d)",
        re.IGNORECASE,
    )


def _without_accents(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn"
    )
