"""Strict CSV: what the csv module lets through, found in the raw text of each record.

The csv module reads leniently: a quote that is never closed swallows the rest of the file into
one field, text after a closing quote is glued onto the field, control characters pass. The
importer hands each record's raw text (the lines the reader consumed for it) to
`record_problems`: one regex search per record (`SUSPECT`), one more for a record with a quote
in it, and the closer checks only when one fails. Problems are reported on the line where the
record, or the faulty quoted field, starts. Fields are separated by the file's delimiter: a
comma unless the header showed another (see storage.import_header).
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Sequence

from storage.import_report import Problem


def read_error(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "the file is not UTF-8 text (save it as CSV UTF-8)"
    message = str(exc)
    if message.startswith("field larger than field limit"):
        return f"a field is longer than {csv.field_size_limit()} characters"
    if message == "unexpected end of data":  # a strict reader at the end inside quotes
        return _NEVER_CLOSED
    if message.endswith("expected after '\"'"):  # a strict reader: text after a closing quote
        return _TEXT_AFTER_QUOTE
    return f"not readable as CSV: {message}"


_NEVER_CLOSED = "a quoted field opens here and is never closed"
_TEXT_AFTER_QUOTE = (
    'text follows the closing quote of a quoted field (a quote inside one is written twice: "")'
)
# Unicode category Cc but tab. Line breaks are apart: a quoted field may hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What sends a record to the closer checks: a control character or a quote.
SUSPECT = re.compile(r'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"]')
_CONTROL_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()
_QUOTED = re.compile(r'"(?:[^"]++|"")*+"')
# The line breaks the file's lines (and so reader.line_num) are split at (newline="").
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@functools.lru_cache(maxsize=8)
def _grammar(delimiter: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Return (a whole strict record, an unquoted field) for files separated by `delimiter`."""
    d = re.escape(delimiter)
    # One field as strict CSV has it: quoted whole (a quote inside doubled) or not starting
    # with one. Possessive quantifiers: no backtracking, so a long unclosed field costs one
    # linear scan.
    field = rf'(?:"(?:[^"]++|"")*+"|[^"{d}\r\n][^{d}\r\n]*+|)'
    record = re.compile(rf"{field}(?:{d}{field})*+(?:\r\n|\r|\n)?")
    return record, re.compile(rf"[^{d}\r\n]*+")


def _lines_before(text: str, end: int) -> int:
    """Count the line breaks in text[:end]."""
    return len(_LINE_BREAK.findall(text, 0, end))


def _column_label(columns: Sequence[str], index: int) -> str:
    if index < len(columns) and columns[index]:
        return columns[index]
    return f"column {index + 1}"


def _control_name(char: str) -> str:
    code = ord(char)
    if code < len(_CONTROL_NAMES):
        return f"U+{code:04X} ({_CONTROL_NAMES[code]})"
    return "U+007F (DEL)" if code == 0x7F else f"U+{code:04X}"


def unreadable(
    exc: Exception, start: int, text: str, columns: Sequence[str], delimiter: str = ","
) -> Problem:
    """Return the problem for a record the csv reader failed on: `text` is what it had read of
    the record (which starts on line `start`) when it stopped, fields separated by `delimiter`.
    A field over the csv module's size limit is nearly always a quote left open; say so, where
    it opens, when that is the case."""
    if isinstance(exc, csv.Error):
        unclosed = _NEVER_CLOSED
        if str(exc).startswith("field larger than field limit"):
            limit = csv.field_size_limit()
            unclosed = f"a quoted field opens here and is not closed within {limit} characters"
        found = _quote_problem(start, text, columns, unclosed, delimiter)
        if found is not None:
            return found
    return Problem(start, "-", read_error(exc))


def field_count_problem(count: int, expected: int, start: int, end: int) -> str:
    reason = f"has {count} field{'s' * (count != 1)}, the header has {expected}"
    if end > start:
        reason += f" (the row runs on to line {end} inside quotes: is a closing quote missing?)"
    return reason


def record_problems(
    start: int, text: str, row: Sequence[str], columns: Sequence[str], delimiter: str = ","
) -> list[Problem]:
    """Return what is wrong with one record as strict CSV: `text` is its raw text, starting on
    line `start`, fields separated by `delimiter`, and `row` the fields the csv module read
    from it. Quoting first: when the quotes are wrong, the fields are not what the file meant."""
    if '"' in text and _grammar(delimiter)[0].fullmatch(text) is None:
        quoting = _quote_problem(start, text, columns, _NEVER_CLOSED, delimiter)
        if quoting is not None:
            return [quoting]
    if _CONTROL.search(text) is None:
        return []
    problems: list[Problem] = []
    line = start
    for index, value in enumerate(row):
        found = _CONTROL.search(value)
        if found is not None:
            problems.append(
                Problem(
                    line + _lines_before(value, found.start()),
                    _column_label(columns, index),
                    f"contains a control character {_control_name(found.group())}",
                )
            )
        if "\n" in value or "\r" in value:
            line += _lines_before(value, len(value))
    return problems


def _quote_problem(
    start: int, text: str, columns: Sequence[str], unclosed: str, delimiter: str
) -> Problem | None:
    """Return the first quoting problem in the raw text of one record (starting on line
    `start`), on the line where the faulty quoted field opens; None when the quotes are right."""
    unquoted_field = _grammar(delimiter)[1]
    ends = f"{delimiter}\r\n"
    pos, index, end = 0, 0, len(text)
    while True:
        if text.startswith('"', pos):
            opened = pos
            line = start + _lines_before(text, opened)
            closed = _QUOTED.match(text, pos)
            if closed is None:
                return Problem(line, _column_label(columns, index), unclosed)
            pos = closed.end()
            if pos < end and text[pos] not in ends:
                closing = start + _lines_before(text, pos)
                reason = _TEXT_AFTER_QUOTE
                if closing > line:
                    reason = (
                        f"a quoted field opens here and runs on to line {closing}, where text "
                        "follows its closing quote: is a closing quote missing?"
                    )
                return Problem(line, _column_label(columns, index), reason)
        else:
            unquoted = unquoted_field.match(text, pos)
            pos = end if unquoted is None else unquoted.end()
        if pos >= end or text[pos] != delimiter:
            return None
        pos += 1
        index += 1
