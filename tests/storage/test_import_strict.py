"""Strict CSV: a quote left open (or closed too late), a control character or a row with another
number of fields than the header is a problem on its line, and the file writes nothing.

Reading the file is the same on every engine: the many variants of each kind run on SQLite, and
the tests that something is (or is not) written run on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from storage.db import make_engine, upgrade
from storage.importers import ImportFailed, import_csv
from storage.models import Customer, Note
from tests.storage.test_importers import CUSTOMERS, PRODUCTS, _load_catalogue, _write

NEVER_CLOSED = "a quoted field opens here and is never closed"
TEXT_AFTER_QUOTE = (
    'text follows the closing quote of a quoted field (a quote inside one is written twice: "")'
)
# A small valid file of each kind, against the catalogue of test_importers (C001-C003, COF-001,
# COF-002, BAT-001): a header and two rows, on lines 2 and 3.
FILES = {
    "customers": [
        "customer_id,first_name,last_name,preferences",
        "C101,Ana,Costa,likes linen",
        "C102,Ben,Adams,slim fit",
    ],
    "products": [
        "sku,name,category,price",
        "P-1,Linen shirt,shirts,49.90",
        "P-2,Wool scarf,scarves,25.00",
    ],
    "purchases": [
        "order_id,customer_id,sku,quantity",
        "O-1,C001,COF-001,1",
        "O-2,C002,BAT-001,2",
    ],
    "notes": [
        "customer_id,text,author",
        "C001,Wants the V60 in white,Ana",
        "C002,Likes dark roast,Ben",
    ],
}
TABLES = ("customer", "product", "purchase", "note")
CONTROL_NAMES = {
    "\x00": "U+0000 (NUL)",
    "\x01": "U+0001 (SOH)",
    "\x08": "U+0008 (BS)",
    "\x0b": "U+000B (VT)",
    "\x0c": "U+000C (FF)",
    "\x1b": "U+001B (ESC)",
    "\x1f": "U+001F (US)",
    "\x7f": "U+007F (DEL)",
    "\x85": "U+0085",
}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _state(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables imports write, to compare before and after."""
    with engine.connect() as conn:
        return {
            table: sorted(
                tuple(map(str, row)) for row in conn.execute(text(f"SELECT * FROM {table}"))
            )
            for table in TABLES
        }


def _fails(engine: Engine, tmp_path: Path, kind: str, content: str) -> list[str]:
    """Import `content` as `kind` on top of the catalogue; return the problems it was refused
    with, after checking that nothing changed."""
    _load_catalogue(engine, tmp_path)
    before = _state(engine)
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(content.encode())

    with pytest.raises(ImportFailed) as failed:
        import_csv(engine, kind, path)

    assert _state(engine) == before
    return [str(p) for p in failed.value.problems]


def _join(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def _with_field(line: str, index: int, change: Callable[[str], str]) -> str:
    fields = line.split(",")
    fields[index] = change(fields[index])
    return ",".join(fields)


# --- 1. a quote that is never closed -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "column"),
    [(kind, i) for kind, lines in FILES.items() for i in range(len(lines[0].split(",")))],
)
def test_a_quote_never_closed_is_reported_where_it_opens(
    sqlite_engine: Engine, tmp_path: Path, kind: str, column: int
) -> None:
    lines = list(FILES[kind])
    lines[1] = _with_field(lines[1], column, lambda v: '"' + v)
    name = lines[0].split(",")[column]

    problems = _fails(sqlite_engine, tmp_path, kind, _join(lines))

    assert problems == [f"line 2: {name}: {NEVER_CLOSED}"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # The csv module alone reads this as 2 rows, the first note swallowing the next line.
        (
            'customer_id,text,author\nC001,"Wants the V60 in white,Ana\nC002,Likes dark roast,Ben\n',
            f"line 2: text: {NEVER_CLOSED}",
        ),
        # On the last line, with no line break at the end of the file.
        (
            'customer_id,text,author\nC001,fine,Ana\nC002,Likes dark roast,"Ben',
            f"line 3: author: {NEVER_CLOSED}",
        ),
        # Windows line breaks.
        (
            'customer_id,text,author\r\nC001,ok,Ana\r\nC002,"Likes dark roast,Ben\r\nC003,x,y\r\n',
            f"line 3: text: {NEVER_CLOSED}",
        ),
        # After a multi-line note that is closed properly, in the same record and in the next.
        (
            'customer_id,text,author\nC001,"two\nlines",Ana\nC002,"open,Ben\nC003,x,y\n',
            f"line 4: text: {NEVER_CLOSED}",
        ),
        (
            'customer_id,text,author\nC001,"two\nlines","Ana\nC003,x,y\n',
            f"line 3: author: {NEVER_CLOSED}",
        ),
        # Blank lines before the record do not shift the line.
        (
            'customer_id,text,author\n\nC001,ok,Ana\n\n\nC002,"open,Ben\n',
            f"line 6: text: {NEVER_CLOSED}",
        ),
        # A quote doubled at the end is a quote inside the field, not its end.
        (
            'customer_id,text,author\nC001,"says ""hi""\nC002,x,y\n',
            f"line 2: text: {NEVER_CLOSED}",
        ),
    ],
)
def test_notes_with_a_quote_never_closed(
    engine: Engine, tmp_path: Path, content: str, expected: str
) -> None:
    assert _fails(engine, tmp_path, "notes", content) == [expected]


def test_a_quote_in_the_header_never_closed_is_reported_on_line_1(
    engine: Engine, tmp_path: Path
) -> None:
    content = 'customer_id,"text,author\nC001,a,b\n'

    assert _fails(engine, tmp_path, "notes", content) == [f"line 1: column 2: {NEVER_CLOSED}"]


def test_a_quote_closed_by_a_stray_quote_lines_later_is_reported_where_it_opens(
    engine: Engine, tmp_path: Path
) -> None:
    # The stray quote closes the field on line 4, text follows it, and the count of fields
    # happens to be right: the csv module alone would import one note of three lines.
    content = (
        "customer_id,text,author\n"
        'C001,"Wants the V60 in white,Ana\n'
        "C002,Likes dark roast,Ben\n"
        'C003,He said "hi",Cem\n'
    )

    assert _fails(engine, tmp_path, "notes", content) == [
        "line 2: text: a quoted field opens here and runs on to line 4, where text follows its "
        "closing quote: is a closing quote missing?"
    ]


@pytest.mark.parametrize("kind", list(FILES))
def test_a_quote_closed_at_the_end_of_a_later_line_gives_a_wrong_field_count_where_it_opens(
    engine: Engine, tmp_path: Path, kind: str
) -> None:
    header, first, second = FILES[kind]
    lines = [header, _with_field(first, 1, lambda v: '"' + v), second + '"']
    fields = len(header.split(","))

    problems = _fails(engine, tmp_path, kind, _join(lines))

    assert problems == [
        f"line 2: -: has 2 fields, the header has {fields} "
        "(the row runs on to line 3 inside quotes: is a closing quote missing?)"
    ]


@pytest.mark.parametrize(
    "line",
    [
        'C001,"12" screen",Ana',  # a quote inside a quoted field not doubled
        'C001,"Wants" the V60,Ana',
        'C001,x,"Ana"s',
    ],
)
def test_text_after_a_closing_quote_is_a_problem(
    engine: Engine, tmp_path: Path, line: str
) -> None:
    content = f"customer_id,text,author\nC002,fine,Ben\n{line}\n"
    column = "author" if line.endswith("s") else "text"

    assert _fails(engine, tmp_path, "notes", content) == [f"line 3: {column}: {TEXT_AFTER_QUOTE}"]


def test_a_quote_never_closed_in_a_large_file_stops_at_the_field_limit(
    engine: Engine, tmp_path: Path
) -> None:
    # The csv module gives up once a field passes its size limit; the open quote is still named.
    rows = "".join(f"C00{n % 3 + 1},note number {n} with some words,Ana\n" for n in range(4000))
    content = f'customer_id,text,author\nC001,ok,Ben\nC002,"open,Ben\n{rows}'

    assert _fails(engine, tmp_path, "notes", content) == [
        f"line 3: text: a quoted field opens here and is not closed within "
        f"{csv.field_size_limit()} characters"
    ]


# --- 2. control characters -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FILES))
@pytest.mark.parametrize("char", list(CONTROL_NAMES), ids=list(CONTROL_NAMES.values()))
def test_a_control_character_is_a_problem_naming_line_and_column(
    sqlite_engine: Engine, tmp_path: Path, kind: str, char: str
) -> None:
    lines = list(FILES[kind])
    lines[2] = _with_field(lines[2], 1, lambda v: v[:2] + char + v[2:])
    name = lines[0].split(",")[1]

    problems = _fails(sqlite_engine, tmp_path, kind, _join(lines))

    assert problems == [f"line 3: {name}: contains a control character {CONTROL_NAMES[char]}"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # Inside a quoted field.
        (
            'customer_id,text,author\nC001,"a, b\x00",Ana\n',
            ["line 2: text: contains a control character U+0000 (NUL)"],
        ),
        # On the second line of a multi-line note: the line of the character.
        (
            'customer_id,text,author\nC001,ok,Ana\nC002,"first\nsec\x1bond",Ben\n',
            ["line 4: text: contains a control character U+001B (ESC)"],
        ),
        # In the last field of a file with no final line break, and in two fields of one row.
        (
            "customer_id,text,author\nC001,ok,An\x7fa",
            ["line 2: author: contains a control character U+007F (DEL)"],
        ),
        (
            "customer_id,text,author\nC0\x0001,o\x01k,Ana\n",
            [
                "line 2: customer_id: contains a control character U+0000 (NUL)",
                "line 2: text: contains a control character U+0001 (SOH)",
            ],
        ),
        # A line that is nothing but control characters is not a blank line.
        (
            "customer_id,text,author\nC001,ok,Ana\n\x00\x00\x00\n",
            ["line 3: customer_id: contains a control character U+0000 (NUL)"],
        ),
        # In a column the import ignores, named by its header.
        (
            "customer_id,text,author,mood\nC001,ok,Ana,gr\x00eat\n",
            ["line 2: mood: contains a control character U+0000 (NUL)"],
        ),
        # In the header.
        (
            "customer_id,text,auth\x00or\nC001,ok,Ana\n",
            ["line 1: column 3: contains a control character U+0000 (NUL)"],
        ),
    ],
)
def test_control_characters_in_notes(
    engine: Engine, tmp_path: Path, content: str, expected: list[str]
) -> None:
    assert _fails(engine, tmp_path, "notes", content) == expected


# --- 3. the number of fields ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FILES))
@pytest.mark.parametrize(
    ("change", "count"),
    [
        (lambda line: line + ",extra", 1),
        (lambda line: line + ",", 1),  # a trailing empty field is a field
        (lambda line: line + ",,,", 3),
        (lambda line: line.rsplit(",", 1)[0], -1),
        (lambda line: line.split(",")[0], None),  # just one
    ],
    ids=["one-more", "trailing-comma", "three-more", "one-fewer", "only-one"],
)
def test_a_row_with_another_number_of_fields_than_the_header(
    sqlite_engine: Engine,
    tmp_path: Path,
    kind: str,
    change: Callable[[str], str],
    count: int | None,
) -> None:
    lines = list(FILES[kind])
    lines[2] = change(lines[2])
    fields = len(lines[0].split(","))
    has = 1 if count is None else fields + count

    problems = _fails(sqlite_engine, tmp_path, kind, _join(lines))

    plural = "field" if has == 1 else "fields"
    assert problems == [f"line 3: -: has {has} {plural}, the header has {fields}"]


def test_every_row_with_a_wrong_field_count_is_listed(engine: Engine, tmp_path: Path) -> None:
    content = (
        "customer_id,text,author\n"
        "C001,a,b,c\n"
        "C002,a\n"
        'C003,"a, quoted comma",b\n'  # right: the comma is inside quotes
        "C003,a,\n"  # right: the last field is empty
        "C001,one,two,three,four\n"
    )

    assert _fails(engine, tmp_path, "notes", content) == [
        "line 2: -: has 4 fields, the header has 3",
        "line 3: -: has 2 fields, the header has 3",
        "line 6: -: has 5 fields, the header has 3",
    ]


# --- nothing is written, to the byte ------------------------------------------------------------


@pytest.mark.parametrize(
    "bad_line",
    [
        'C001,"never closed,Ana',
        'C001,"12" screen",Ana',
        "C001,nul\x00,Ana",
        "C001,too,many,fields",
    ],
    ids=["quote-never-closed", "text-after-quote", "nul", "field-count"],
)
def test_a_strict_csv_problem_leaves_the_sqlite_file_unchanged(
    sqlite_engine: Engine, tmp_path: Path, bad_line: str
) -> None:
    _load_catalogue(sqlite_engine, tmp_path)
    db_file = Path(str(sqlite_engine.url.database))
    sqlite_engine.dispose()
    before = hashlib.sha256(db_file.read_bytes()).hexdigest()
    good = [f"C00{n % 3 + 1},note {n},Ana" for n in range(300)]
    rows = [*good[:150], bad_line, *good[150:]]
    path = _write(tmp_path, "n.csv", "customer_id,text,author\n" + "\n".join(rows) + "\n")

    with pytest.raises(ImportFailed) as failed:
        import_csv(sqlite_engine, "notes", path)

    assert [p.line for p in failed.value.problems] == [152]
    sqlite_engine.dispose()
    assert hashlib.sha256(db_file.read_bytes()).hexdigest() == before


# --- what stays allowed --------------------------------------------------------------------------


def test_multi_line_quoted_notes_tabs_and_blank_lines_still_import(
    engine: Engine, tmp_path: Path
) -> None:
    _load_catalogue(engine, tmp_path)
    content = (
        "customer_id,text,author\r\n"
        '"C001","Wants the V60 in white.\r\nAsk about filters, ""the 02 size""\r\n\r\nthanks",Ana\r\n'
        "\r\n"
        "C002,Likes\tdark roast,Ben\r\n"
        "   \r\n"
        'C003,"Two lines\nwith a bare LF, a bare CR\rand a tab\there",\r\n'
    )

    path = tmp_path / "multi.csv"
    path.write_bytes(content.encode())
    report = import_csv(engine, "notes", path)

    assert (report.rows, report.inserted) == (3, 3)
    with Session(engine) as session:
        notes = {n.customer_id: n for n in session.exec(select(Note)).all()}
    assert notes["C001"].text == (
        'Wants the V60 in white.\r\nAsk about filters, "the 02 size"\r\n\r\nthanks'
    )
    assert notes["C002"].text == "Likes\tdark roast"
    assert notes["C003"].text == "Two lines\nwith a bare LF, a bare CR\rand a tab\there"
    assert notes["C003"].author is None


def test_a_problem_in_a_multi_line_record_is_reported_on_its_first_line(
    engine: Engine, tmp_path: Path
) -> None:
    content = (
        "customer_id,text,author,created_at\n"
        'C001,"one\ntwo\nthree",Ana,yesterday\n'
        'C999,"four\nfive",Ben,\n'
    )

    assert _fails(engine, tmp_path, "notes", content) == [
        "line 2: created_at: not an ISO 8601 date or date-time: 'yesterday' "
        "(e.g. 2025-03-01 or 2025-03-01T14:30:00Z)",
        "line 5: customer_id: unknown customer 'C999'",
    ]


def test_tabs_and_quoted_fields_in_customers_still_import(engine: Engine, tmp_path: Path) -> None:
    content = (
        "customer_id,first_name,preferences\n"
        'C101,"Ana","likes linen, wool\tand ""slim"" cuts"\n'
        "C102,Ben\tjr,\n"
    )
    path = tmp_path / "c.csv"
    path.write_bytes(content.encode())

    assert import_csv(engine, "customers", path).inserted == 2
    with Session(engine) as session:
        ana = session.get(Customer, "C101")
        ben = session.get(Customer, "C102")
    assert ana is not None
    assert ben is not None
    assert ana.preferences == 'likes linen, wool\tand "slim" cuts'
    assert ben.first_name == "Ben\tjr"


# --- property: any mutation of a valid file imports strictly or not at all -----------------------

TEXT = st.text(alphabet="abcXYZ é,\"'\t-;", max_size=10)
NOTE_TEXT = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("AbcZé"),
    st.text('abc é,"\n\t-', max_size=14),
)
MUTATION_CHARS = ['"', ",", "\n", "\r", "\x00", "\x01", "\t"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file holding the catalogue, copied afresh for every example (function
    fixtures are not reset between hypothesis examples)."""
    folder = tmp_path_factory.mktemp("template")
    engine = make_engine(f"sqlite:///{folder / 'template.db'}")
    upgrade(engine)
    import_csv(engine, "customers", _write(folder, "c.csv", CUSTOMERS))
    import_csv(engine, "products", _write(folder, "p.csv", PRODUCTS))
    engine.dispose()
    return folder / "template.db"


@st.composite
def customer_files(draw: st.DrawFn) -> str:
    ids = draw(st.lists(st.integers(1, 40), min_size=1, max_size=5))
    rows = [(f"K{n}", draw(TEXT), draw(TEXT), draw(TEXT)) for n in ids]
    return _csv_text(["customer_id", "first_name", "last_name", "preferences"], rows, draw)


@st.composite
def note_files(draw: st.DrawFn) -> str:
    rows = draw(
        st.lists(
            st.tuples(st.sampled_from(["C001", "C002", "C003"]), NOTE_TEXT, TEXT),
            min_size=1,
            max_size=5,
        )
    )
    return _csv_text(["customer_id", "text", "author"], rows, draw)


def _csv_text(header: list[str], rows: list[tuple[str, ...]], draw: st.DrawFn) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@st.composite
def mutated(draw: st.DrawFn, files: st.SearchStrategy[str]) -> str:
    """A valid file with one to three of: a character inserted (a quote, a comma, a line break,
    a control character, a tab), a character deleted, a fragment of a line copied elsewhere."""
    content = draw(files)
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["insert", "delete", "duplicate"]))
        if action == "insert":
            at = draw(st.integers(0, len(content)))
            content = content[:at] + draw(st.sampled_from(MUTATION_CHARS)) + content[at:]
        elif action == "delete" and content:
            at = draw(st.integers(0, len(content) - 1))
            content = content[:at] + content[at + 1 :]
        elif action == "duplicate":
            lines = content.splitlines(keepends=True)
            line = lines[draw(st.integers(0, len(lines) - 1))]
            begin = draw(st.integers(0, len(line)))
            fragment = line[begin : draw(st.integers(begin, len(line)))]
            at = draw(st.integers(0, len(content)))
            content = content[:at] + fragment + content[at:]
    return content


def _strict_reading(content: str) -> tuple[list[str], list[list[str]]] | None:
    """The reference: the header and data records of `content` read as strict CSV, or None when
    it is not (a quote left open or text after a closing one, a control character other than a
    tab or a line break inside quotes, a header over several lines, a record with another number
    of fields than the header). Blank lines and rows of empty cells are no records."""
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        for row in reader:
            if not records and reader.line_num > 1:
                return None
            records.append(row)
    except csv.Error:
        return None
    if not records or any(CONTROL.search(v) for row in records for v in row):
        return None
    header, *rows = records
    data = [r for r in rows if any(v.strip() for v in r)]
    if any(len(r) != len(header) for r in data):
        return None
    return header, data


def _import_mutated(template: Path, kind: str, content: str) -> dict[str, Any]:
    """Import `content` into a fresh copy of the template; return what happened."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "store.db"
        shutil.copyfile(template, db)
        path = Path(folder) / f"{kind}.csv"
        path.write_bytes(content.encode())
        before = db.read_bytes()
        engine = make_engine(f"sqlite:///{db}")
        stored_before = _stored(engine)
        try:
            report = import_csv(engine, kind, path)
            failed = None
        except ImportFailed as exc:
            report, failed = None, exc
        stored = _stored(engine)
        engine.dispose()
        unchanged = db.read_bytes() == before
    return {
        "report": report,
        "failed": failed,
        "before": stored_before,
        "stored": stored,
        "unchanged": unchanged,
    }


def _stored(engine: Engine) -> dict[str, Any]:
    with Session(engine) as session:
        return {
            "customers": {
                c.customer_id: (c.first_name, c.last_name, c.preferences)
                for c in session.exec(select(Customer)).all()
            },
            "notes": {(n.customer_id, n.text, n.author) for n in session.exec(select(Note))},
        }


def _check_import(template: Path, kind: str, content: str) -> dict[str, Any]:
    reading = _strict_reading(content)
    outcome = _import_mutated(template, kind, content)
    line_count = max(1, len(io.StringIO(content, newline="").readlines()))
    if outcome["failed"] is not None:
        event("refused: not strict CSV" if reading is None else "refused: a bad value")
        assert all(1 <= p.line <= line_count for p in outcome["failed"].problems)
        assert outcome["unchanged"]
        return {}
    event("imported")
    assert reading is not None, "a file that is not strict CSV was imported"
    header, rows = reading
    assert outcome["report"].rows == len(rows)
    names = [name.strip() for name in header]
    values = [{n: (v.strip() or None) for n, v in zip(names, row, strict=True)} for row in rows]
    for record in values:
        for value in record.values():
            if value is not None:
                assert CONTROL.search(value) is None
                # Verbatim, its quotes doubled when it was quoted; a line break only in quotes.
                escaped = value.replace('"', '""')
                assert value in content or escaped in content
                if "\n" in value or "\r" in value:
                    assert re.search(rf'"\s*{re.escape(escaped)}\s*"', content)
    return {"values": values, "before": outcome["before"], "stored": outcome["stored"]}


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(content=mutated(customer_files()))
def test_a_mutated_customers_file_imports_strictly_or_not_at_all(
    template: Path, content: str
) -> None:
    checked = _check_import(template, "customers", content)
    if not checked:
        return
    expected = dict(checked["before"]["customers"])
    for record in checked["values"]:
        expected[record["customer_id"]] = tuple(
            record.get(column) for column in ("first_name", "last_name", "preferences")
        )
    assert checked["stored"]["customers"] == expected


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(content=mutated(note_files()))
def test_a_mutated_notes_file_imports_strictly_or_not_at_all(template: Path, content: str) -> None:
    checked = _check_import(template, "notes", content)
    if not checked:
        return
    expected = {(r["customer_id"], r["text"], r.get("author")) for r in checked["values"]}
    assert checked["stored"]["notes"] == checked["before"]["notes"] | expected
