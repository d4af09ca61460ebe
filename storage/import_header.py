"""The header of an import file: which separator the file uses, and where each known column is.

Excel saves "CSV" with the list separator of the computer's region: a comma in the United
States, a semicolon in most of continental Europe, a tab for "Text (Tab delimited)". The header
line tells them apart: the separator is the one that splits it into the most of the kind's
column names (the required ones first; a tie goes to the comma).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from storage.csv_strict import record_problems, unreadable
from storage.import_contract import KindSpec
from storage.import_report import ImportFailed, ImportReport, Problem

# The separators a file may use, in order of preference when several read the header as well.
DELIMITERS = (",", ";", "\t", "|")


def choose_delimiter(first_line: str, spec: KindSpec) -> str:
    """Return the separator of a file of `spec`'s kind whose first line is `first_line`: the one
    of DELIMITERS that reads the most of the kind's column names in it, those with every
    required column first; a comma when none reads any (the header check then says so)."""
    known = {c.name for c in spec.columns}
    required = {c.name for c in spec.columns if c.required}
    best, best_score = ",", (False, 0)
    for delimiter in DELIMITERS:
        if delimiter not in first_line:
            continue
        try:
            names = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        found = {name.strip() for name in names} & known
        score = (bool(found) and required <= found, len(found))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_header(
    reader: Iterator[list[str]], raw_record: Callable[[], str], delimiter: str, path: Path
) -> list[str]:
    """Return the header's names, read from the csv `reader` (fields separated by `delimiter`)
    whose raw text `raw_record()` returns. Raise ImportFailed for an empty file or a header
    that is not strict CSV on one line."""
    try:
        names = next(reader)
    except StopIteration:
        raise ImportFailed(path, [Problem(1, "-", "the file is empty")]) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        text = raw_record() if isinstance(exc, csv.Error) else ""
        raise ImportFailed(path, [unreadable(exc, 1, text, (), delimiter)]) from None
    # The header is a record like the others (strict quotes, no control characters), on one
    # line; its length is every row's.
    strict = record_problems(1, raw_record(), names, (), delimiter)
    line_num = getattr(reader, "line_num", 1)
    if not strict and line_num > 1:
        strict = [
            Problem(
                1,
                "-",
                f"the header runs on to line {line_num} inside quotes: "
                "is a closing quote missing?",
            )
        ]
    if strict:
        raise ImportFailed(path, strict)
    return names


def header_columns(
    names: list[str], spec: KindSpec, path: Path, report: ImportReport
) -> dict[str, int]:
    """Return where each known column of `spec`'s kind is in the header `names` (name →
    position); unknown names become one warning in `report`. Raise ImportFailed for a name
    given twice, a required column missing, or no known column at all (then the message says
    the separator is the likely cause and how to save the file with commas)."""
    header: dict[str, int] = {}
    known = {c.name for c in spec.columns}
    unknown: list[str] = []
    problems: list[Problem] = []
    for index, raw in enumerate(names):
        name = raw.strip()
        if name in header:
            problems.append(Problem(1, name, "column appears twice in the header"))
        elif name in known:
            header[name] = index
        else:
            unknown.append(name or f"(column {index + 1} has no name)")
    if not header:
        raise ImportFailed(path, [_no_known_column(spec)])
    for column in spec.columns:
        if column.required and column.name not in header:
            problems.append(Problem(1, column.name, "required column missing from the header"))
    if problems:
        raise ImportFailed(path, problems)
    if unknown:
        report.warnings.append(
            f"ignored unknown column(s): {', '.join(unknown)} "
            f"(known: {', '.join(c.name for c in spec.columns)})"
        )
    return header


def _no_known_column(spec: KindSpec) -> Problem:
    columns = ", ".join(c.name for c in spec.columns)
    return Problem(
        1,
        "-",
        f"the header names none of the columns of a {spec.kind} file ({columns}): the columns "
        "are probably separated by something other than a comma, semicolon, tab or vertical "
        'bar, or this is another kind of file. Save it from Excel as "CSV UTF-8 (Comma '
        'delimited) (*.csv)", or from LibreOffice as Text CSV with "," as the field delimiter',
    )
