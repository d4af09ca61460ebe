"""Files as Excel and tills save them: rows of empty cells, semicolon- and tab-separated files,
and a clear word when the separator is not one the importer knows."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.import_contract import spec_of
from storage.import_header import choose_delimiter
from storage.importers import ImportFailed, import_csv
from storage.models import Customer, Product, Purchase
from tests.storage.test_importers import _load_catalogue, _write

SEPARATOR_HINT = "separated by something other than a comma, semicolon, tab or vertical bar"


def _fails(engine: Engine, tmp_path: Path, kind: str, content: str) -> list[str]:
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(content.encode())
    with pytest.raises(ImportFailed) as failed:
        import_csv(engine, kind, path)
    return [str(p) for p in failed.value.problems]


# --- rows of empty cells -------------------------------------------------------------------------


def test_rows_of_empty_cells_are_skipped_and_counted(engine: Engine, tmp_path: Path) -> None:
    content = (
        "customer_id,first_name,last_name,tier\r\n"
        "C101,Ana,Costa,gold\r\n"
        ",,,\r\n"
        " , ,\t,\r\n"
        "\r\n"
        "C102,Ben,Adams,\r\n"
        ",,,\r\n"
        '"","",,\r\n'
    )

    report = import_csv(engine, "customers", _write(tmp_path, "c.csv", content))

    assert (report.rows, report.inserted, report.empty_rows) == (2, 2, 4)
    assert "2 rows read, 2 added" in report.summary()
    assert "skipped 4 empty rows" in report.summary()


def test_one_empty_row_at_the_end_reads_as_one(engine: Engine, tmp_path: Path) -> None:
    _load_catalogue(engine, tmp_path)
    content = "order_id,customer_id,sku,quantity\nO-1,C001,COF-001,1\n,,,\n"

    report = import_csv(engine, "purchases", _write(tmp_path, "o.csv", content))

    assert (report.rows, report.inserted, report.empty_rows) == (1, 1, 1)
    assert "skipped 1 empty row " in report.summary()


def test_a_file_without_empty_rows_says_nothing_of_them(engine: Engine, tmp_path: Path) -> None:
    report = import_csv(engine, "products", _write(tmp_path, "p.csv", "sku,name\nS1,Mug\n\n"))

    assert report.empty_rows == 0
    assert "empty" not in report.summary()


def test_a_row_with_a_value_among_empty_cells_is_still_checked(
    engine: Engine, tmp_path: Path
) -> None:
    content = "sku,name,price\nS1,Mug,3\n,,4\n"

    assert _fails(engine, tmp_path, "products", content) == [
        "line 3: name: required value missing",
        "line 3: sku: required value missing",
    ]


# --- separators ----------------------------------------------------------------------------------


def test_a_semicolon_file_with_quoted_commas_imports(engine: Engine, tmp_path: Path) -> None:
    content = (
        "customer_id;first_name;last_name;phone;preferences\r\n"
        'C101;"Ana";Costa;0176/1234567;"likes linen, wool; and ""slim"" cuts"\r\n'
        "C102;Ben;Adams, Jr.;;\r\n"
        ";;;;\r\n"
    )

    report = import_csv(engine, "customers", _write(tmp_path, "c.csv", content), phone_region="DE")

    assert (report.rows, report.inserted, report.empty_rows) == (2, 2, 1)
    assert report.delimiter == ";"
    assert "columns separated by semicolons" in report.summary()
    assert report.warnings == []
    with Session(engine) as session:
        ana = session.get(Customer, "C101")
        ben = session.get(Customer, "C102")
    assert ana is not None
    assert ben is not None
    assert ana.preferences == 'likes linen, wool; and "slim" cuts'
    assert (ana.phone, ana.phone_key) == ("0176/1234567", "+491761234567")
    assert (ben.last_name, ben.phone) == ("Adams, Jr.", None)


def test_a_tab_separated_file_imports(engine: Engine, tmp_path: Path) -> None:
    content = (
        "sku\tname\tprice\tdescription\n"
        "S1\tMug, large\t3.50\tHolds 400 ml\n"
        'S2\t"Cup\t""espresso"""\t2\t\n'
    )

    report = import_csv(engine, "products", _write(tmp_path, "p.txt", content))

    assert (report.delimiter, report.inserted) == ("\t", 2)
    with Session(engine) as session:
        names = {p.sku: (p.name, p.price) for p in session.exec(select(Product))}
    assert names == {"S1": ("Mug, large", 3.5), "S2": ('Cup\t"espresso"', 2.0)}


def test_a_semicolon_purchases_file_with_shopify_times_imports(
    engine: Engine, tmp_path: Path
) -> None:
    _load_catalogue(engine, tmp_path)
    content = (
        "order_id;customer_id;sku;quantity;purchased_at\n"
        "O-1;C001;COF-001;1;2024-12-31 21:30:00 -0500\n"
        "O-2;C002;BAT-001;2;2024-12-31\n"
    )

    import_csv(engine, "purchases", _write(tmp_path, "o.csv", content))

    with Session(engine) as session:
        line = session.exec(select(Purchase).where(Purchase.order_id == "O-1")).one()
    assert line.purchased_at is not None
    assert (line.purchased_at.day, line.utc_offset_minutes) == (31, -300)


def test_a_vertical_bar_file_imports(engine: Engine, tmp_path: Path) -> None:
    report = import_csv(engine, "products", _write(tmp_path, "p.csv", "sku|name\nS1|Mug\n"))

    assert (report.delimiter, report.inserted) == ("|", 1)


@pytest.mark.parametrize(
    ("content", "problems"),
    [
        (
            'customer_id;first_name;preferences\nC101;"Ana;likes linen\nC102;Ben;\n',
            ["line 2: first_name: a quoted field opens here and is never closed"],
        ),
        (
            'customer_id;first_name;preferences\nC101;"Ana"x;likes linen\n',
            [
                "line 2: first_name: text follows the closing quote of a quoted field "
                '(a quote inside one is written twice: "")'
            ],
        ),
        (
            "customer_id;first_name;preferences\nC101;Ana\nC102;Ben;slim;fit\n",
            [
                "line 2: -: has 2 fields, the header has 3",
                "line 3: -: has 4 fields, the header has 3",
            ],
        ),
        (
            "customer_id\tfirst_name\nC101\tAn\x01a\n",
            ["line 2: first_name: contains a control character U+0001 (SOH)"],
        ),
    ],
)
def test_strict_checks_hold_with_another_separator(
    engine: Engine, tmp_path: Path, content: str, problems: list[str]
) -> None:
    assert _fails(engine, tmp_path, "customers", content) == problems


def test_a_comma_in_a_quoted_semicolon_header_is_not_a_separator(
    engine: Engine, tmp_path: Path
) -> None:
    content = 'customer_id;first_name;"notes, misc"\nC101;Ana;x\n'

    report = import_csv(engine, "customers", _write(tmp_path, "c.csv", content))

    assert report.delimiter == ";"
    assert report.warnings == [
        "ignored unknown column(s): notes, misc (known: "
        + ", ".join(c.name for c in spec_of("customers").columns)
        + ")"
    ]


@pytest.mark.parametrize(
    ("first_line", "delimiter"),
    [
        ("customer_id,first_name,last_name\n", ","),
        ("customer_id;first_name;last_name\r\n", ";"),
        ("customer_id\tfirst_name\n", "\t"),
        ("customer_id|first_name\n", "|"),
        ("customer_id\n", ","),  # one column: nothing to tell apart
        ("customer_id;first_name;last_name,email\n", ";"),  # a comma inside a name
        ("customer_id,first_name;last_name;email\n", ","),  # only the comma finds the id
        ("customer_id,first;name,last;name\n", ","),  # only the comma finds customer_id
        ("first_name;last_name,customer_id\n", ","),  # the required column wins
        ("kunden_nr;vorname;nachname\n", ","),  # nothing known: the header check says so
        ("", ","),
    ],
)
def test_the_separator_is_the_one_that_reads_the_header(first_line: str, delimiter: str) -> None:
    assert choose_delimiter(first_line, spec_of("customers")) == delimiter


@pytest.mark.parametrize(
    "header",
    [
        "customer_id first_name last_name",  # spaces
        "customer_id:first_name:last_name",  # another separator
        "kunden_nr;vorname;nachname",  # a German header
        "sku,name,price",  # another kind of file
    ],
)
def test_a_header_naming_no_known_column_points_at_the_separator(
    engine: Engine, tmp_path: Path, header: str
) -> None:
    problems = _fails(engine, tmp_path, "customers", header + "\nC101 Ana Costa\n")

    assert len(problems) == 1
    assert problems[0].startswith("line 1: -: the header names none of the columns of a customers")
    assert SEPARATOR_HINT in problems[0]
    assert 'Save it from Excel as "CSV UTF-8 (Comma delimited) (*.csv)"' in problems[0]
    assert "required column missing" not in problems[0]


def test_a_header_only_semicolon_file_imports_nothing_without_complaint(
    engine: Engine, tmp_path: Path
) -> None:
    report = import_csv(
        engine, "customers", _write(tmp_path, "c.csv", "customer_id;first_name;last_name\n")
    )

    assert (report.rows, report.inserted, report.delimiter) == (0, 0, ";")


def test_a_missing_required_column_is_still_named_with_any_separator(
    engine: Engine, tmp_path: Path
) -> None:
    assert _fails(engine, tmp_path, "products", "sku;price\nS1;3\n") == [
        "line 1: name: required column missing from the header"
    ]


def test_an_empty_file_is_still_called_empty(engine: Engine, tmp_path: Path) -> None:
    assert _fails(engine, tmp_path, "products", "") == ["line 1: -: the file is empty"]
