"""The CSV import contract: every kind, all-or-nothing, upserts, merges and clear problems."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from storage.importers import ImportFailed, import_csv
from storage.models import Customer, Note, Product, Purchase

CUSTOMERS = """customer_id,first_name,last_name,email,phone,birthday,tier,language,sizes,preferences,marketing_consent,home_store
C001,María,López,maria@example.com,+34 600 111 222,1988-04-12,gold,es,shoe EU 38; top S,likes light roasts,yes,S01
C002,Çağla,Yılmaz,,,,silver,TR,,renovating the bathroom,0,S02
C003,Hiroshi,Tanaka,hiroshi@example.jp,,1975-11-30,vip,ja,,,,
"""
PRODUCTS = """sku,name,category,brand,price,description
COF-001,AeroPress Original,Coffee,AeroPress,39.90,Immersion brewer for one to three cups
COF-002,Paper filters (350),Coffee,AeroPress,5.50,Micro-filters for the AeroPress
BAT-001,Bath towel 70x140,Bath,Lino,24.00,
"""
PURCHASES = """order_id,customer_id,sku,quantity,unit_price,purchased_at,store_id,associate_id
O-1,C001,COF-001,1,39.90,2025-03-01T10:15:00+01:00,S01,A01
O-1,C001,COF-002,2,5.50,2025-03-01T10:15:00+01:00,S01,A01
O-2,C002,BAT-001,,24.00,2025-04-02,S02,
R-1,C002,BAT-001,-1,24.00,2025-04-09 12:00:00,S02,A03
"""
NOTES = """customer_id,text,author,created_at
C003,Kitchen renovation in spring,Ana,2025-02-01T09:00:00Z
C001,Prefers decaf after 3pm,Ben,
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _load_catalogue(engine: Engine, tmp_path: Path) -> None:
    import_csv(engine, "customers", _write(tmp_path, "customers.csv", CUSTOMERS))
    import_csv(engine, "products", _write(tmp_path, "products.csv", PRODUCTS))


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_customers_import_keeps_accents_dates_consent_and_languages(
    engine: Engine, tmp_path: Path
) -> None:
    report = import_csv(engine, "customers", _write(tmp_path, "c.csv", CUSTOMERS))

    assert (report.rows, report.inserted, report.updated) == (3, 3, 0)
    with Session(engine) as session:
        maria = session.get(Customer, "C001")
        cagla = session.get(Customer, "C002")
        hiroshi = session.get(Customer, "C003")
    assert maria is not None
    assert cagla is not None
    assert hiroshi is not None
    assert (maria.first_name, maria.last_name, maria.birthday) == (
        "María",
        "López",
        date(1988, 4, 12),
    )
    assert maria.marketing_consent is True
    assert maria.sizes == "shoe EU 38; top S"
    assert cagla.language == "tr"  # codes are normalised to lower case
    assert cagla.email is None
    assert cagla.birthday is None
    assert hiroshi.marketing_consent is False  # consent defaults to no


def test_products_import(engine: Engine, tmp_path: Path) -> None:
    report = import_csv(engine, "products", _write(tmp_path, "p.csv", PRODUCTS))

    assert report.inserted == 3
    with Session(engine) as session:
        aeropress = session.get(Product, "COF-001")
        towel = session.get(Product, "BAT-001")
    assert aeropress is not None
    assert towel is not None
    assert (aeropress.name, aeropress.category, aeropress.price) == (
        "AeroPress Original",
        "Coffee",
        39.90,
    )
    assert towel.description is None


def test_purchases_import_keeps_local_times_returns_and_default_quantity(
    engine: Engine, tmp_path: Path
) -> None:
    _load_catalogue(engine, tmp_path)

    report = import_csv(engine, "purchases", _write(tmp_path, "o.csv", PURCHASES))

    assert report.inserted == 4
    with Session(engine) as session:
        lines = {(p.order_id, p.sku): p for p in session.exec(select(Purchase)).all()}
    first = lines["O-1", "COF-001"]
    # The receipt's wall-clock time (labelled UTC), its offset beside it.
    assert first.purchased_at == datetime(2025, 3, 1, 10, 15, tzinfo=UTC)
    assert first.utc_offset_minutes == 60
    assert first.purchased_at is not None
    assert first.purchased_at.utcoffset() is not None
    assert lines["O-2", "BAT-001"].quantity == 1
    assert lines["O-2", "BAT-001"].purchased_at == datetime(2025, 4, 2, tzinfo=UTC)
    assert lines["R-1", "BAT-001"].quantity == -1  # a return
    assert lines["R-1", "BAT-001"].purchased_at == datetime(2025, 4, 9, 12, tzinfo=UTC)


def test_notes_import(engine: Engine, tmp_path: Path) -> None:
    _load_catalogue(engine, tmp_path)

    report = import_csv(engine, "notes", _write(tmp_path, "n.csv", NOTES))

    assert report.inserted == 2
    with Session(engine) as session:
        notes = {n.customer_id: n for n in session.exec(select(Note)).all()}
    assert notes["C003"].text == "Kitchen renovation in spring"
    assert notes["C003"].author == "Ana"
    assert notes["C003"].created_at == datetime(2025, 2, 1, 9, tzinfo=UTC)
    assert notes["C001"].created_at.tzinfo is not None  # no date given: the import time, in UTC


def test_reimporting_the_same_files_gives_the_same_state(engine: Engine, tmp_path: Path) -> None:
    _load_catalogue(engine, tmp_path)
    purchases = _write(tmp_path, "o.csv", PURCHASES)
    notes = _write(tmp_path, "n.csv", NOTES)
    import_csv(engine, "purchases", purchases)
    import_csv(engine, "notes", notes)

    again = [
        import_csv(engine, "customers", tmp_path / "customers.csv"),
        import_csv(engine, "purchases", purchases),
        import_csv(engine, "notes", notes),
    ]

    assert [(r.inserted, r.updated) for r in again] == [(0, 0), (0, 0), (0, 0)]
    assert [r.unchanged for r in again] == [3, 4, 2]
    assert _count(engine, Purchase) == 4
    assert _count(engine, Note) == 2
    with Session(engine) as session:
        total = session.exec(select(func.sum(Purchase.quantity))).one()
    assert total == 3  # quantities were replaced, not added up again


def test_reimport_after_a_fix_updates_only_what_the_file_holds(
    engine: Engine, tmp_path: Path
) -> None:
    _load_catalogue(engine, tmp_path)
    fix = "customer_id,email,tier\nC001,maria.lopez@example.com,vip\nC004,new@example.com,\n"

    report = import_csv(engine, "customers", _write(tmp_path, "fix.csv", fix))

    assert (report.inserted, report.updated, report.unchanged) == (1, 1, 0)
    with Session(engine) as session:
        maria = session.get(Customer, "C001")
    assert maria is not None
    assert (maria.email, maria.tier) == ("maria.lopez@example.com", "vip")
    # Columns the fix file does not carry keep their values.
    assert (maria.first_name, maria.sizes, maria.marketing_consent) == (
        "María",
        "shoe EU 38; top S",
        True,
    )


def test_repeated_order_lines_in_one_file_are_merged_by_adding_quantities(
    engine: Engine, tmp_path: Path
) -> None:
    _load_catalogue(engine, tmp_path)
    till = (
        "order_id,customer_id,sku,quantity,purchased_at\n"
        "O-9,C001,COF-002,1,2025-05-01T10:00:00Z\n"
        "O-9,C001,COF-001,1,2025-05-01T10:00:00Z\n"
        "O-9,C001,COF-002,2,2025-05-01T10:00:00Z\n"
    )
    path = _write(tmp_path, "till.csv", till)

    first = import_csv(engine, "purchases", path)
    second = import_csv(engine, "purchases", path)

    assert (first.rows, first.inserted, first.merged) == (3, 2, 1)
    assert second.unchanged == 2
    with Session(engine) as session:
        filters = session.exec(
            select(Purchase).where(Purchase.order_id == "O-9", Purchase.sku == "COF-002")
        ).one()
    assert filters.quantity == 3


def test_bad_row_in_the_middle_writes_nothing_and_the_sqlite_file_is_unchanged(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    _load_catalogue(sqlite_engine, tmp_path)
    db_file = Path(str(sqlite_engine.url.database))
    sqlite_engine.dispose()
    before = hashlib.sha256(db_file.read_bytes()).hexdigest()
    good = [f"O-{n},C001,COF-002,1,2025-05-01" for n in range(1, 200)]
    bad = [*good[:100], "O-bad,C001,COF-002,two,2025-05-01", *good[100:]]
    path = _write(tmp_path, "o.csv", "order_id,customer_id,sku,quantity,purchased_at\n")
    path.write_text(path.read_text() + "\n".join(bad) + "\n", encoding="utf-8")

    with pytest.raises(ImportFailed) as failed:
        import_csv(sqlite_engine, "purchases", path)

    assert [str(p) for p in failed.value.problems] == [
        "line 102: quantity: not a whole number: 'two'"
    ]
    sqlite_engine.dispose()
    assert hashlib.sha256(db_file.read_bytes()).hexdigest() == before
    assert _count(sqlite_engine, Purchase) == 0


def test_bad_row_writes_nothing_on_either_engine(engine: Engine, tmp_path: Path) -> None:
    _load_catalogue(engine, tmp_path)
    mixed = CUSTOMERS + "C005,Nikos,Papadopoulos,,,1990-02-30,,el,,,,\n"

    with pytest.raises(ImportFailed) as failed:
        import_csv(engine, "customers", _write(tmp_path, "c.csv", mixed.replace("gold", "vip")))

    assert [str(p) for p in failed.value.problems] == [
        "line 5: birthday: no such date: '1990-02-30'"
    ]
    with Session(engine) as session:
        maria = session.get(Customer, "C001")
    assert maria is not None
    assert maria.tier == "gold"
    assert _count(engine, Customer) == 3


def test_every_problem_is_listed_with_line_column_and_reason(
    engine: Engine, tmp_path: Path
) -> None:
    _load_catalogue(engine, tmp_path)
    rows = (
        "order_id,customer_id,sku,quantity,unit_price,purchased_at\n"
        "O-1,C001,COF-001,1,39.90,2025-03-01\n"
        ",C001,COF-001,1,39.90,2025-03-01\n"
        "O-3,C999,COF-001,1,39.90,2025-03-01\n"
        "O-4,C001,NOPE-1,1,abc,yesterday\n"
        "O-1,C002,COF-002,1,5.50,2025-03-01\n"
    )

    with pytest.raises(ImportFailed) as failed:
        import_csv(engine, "purchases", _write(tmp_path, "o.csv", rows))

    assert [str(p) for p in failed.value.problems] == [
        "line 3: order_id: required value missing",
        "line 4: customer_id: unknown customer 'C999'",
        "line 5: purchased_at: not an ISO 8601 date or date-time: 'yesterday' "
        "(e.g. 2025-03-01 or 2025-03-01T14:30:00Z)",
        "line 5: unit_price: not a number: 'abc' (use a dot for decimals)",
        "line 6: customer_id: order 'O-1' belongs to customer 'C001' (line 2)",
    ]
    assert _count(engine, Purchase) == 0


def test_an_unknown_sku_is_reported(engine: Engine, tmp_path: Path) -> None:
    _load_catalogue(engine, tmp_path)
    rows = "order_id,customer_id,sku\nO-1,C001,COF-001\nO-2,C001,COF-404\n"

    with pytest.raises(ImportFailed) as failed:
        import_csv(engine, "purchases", _write(tmp_path, "o.csv", rows))

    assert [str(p) for p in failed.value.problems] == ["line 3: sku: unknown product 'COF-404'"]


def test_more_than_fifty_problems_are_listed_in_full_then_counted(
    engine: Engine, tmp_path: Path
) -> None:
    rows = "sku,name,price\n" + "".join(f"S{n},Thing {n},cheap\n" for n in range(120))

    with pytest.raises(ImportFailed) as failed:
        import_csv(engine, "products", _write(tmp_path, "p.csv", rows))

    message = failed.value.describe()
    assert failed.value.total == 120
    assert "line 2: price: not a number: 'cheap'" in message
    assert "line 51: price" in message
    assert "line 52: price" not in message
    assert message.endswith("... and 70 more problem(s)")
    assert _count(engine, Product) == 0


def test_a_customer_defined_twice_differently_is_refused_but_an_exact_repeat_is_fine(
    engine: Engine, tmp_path: Path
) -> None:
    repeat = CUSTOMERS + CUSTOMERS.splitlines()[1] + "\n"
    clash = CUSTOMERS + "C002,Cagla,Yilmaz,,,,silver,tr,,,0,S02\n"

    assert import_csv(engine, "customers", _write(tmp_path, "r.csv", repeat)).inserted == 3
    with pytest.raises(ImportFailed) as failed:
        import_csv(engine, "customers", _write(tmp_path, "x.csv", clash))

    assert [str(p) for p in failed.value.problems] == [
        "line 5: customer_id: 'C002' is defined again with different values (first on line 3)"
    ]


def test_unknown_columns_are_reported_once_and_ignored(engine: Engine, tmp_path: Path) -> None:
    rows = "sku,name,Colour,shelf\nS1,Mug,red,4\nS2,Cup,blue,5\n"

    report = import_csv(engine, "products", _write(tmp_path, "p.csv", rows))

    assert report.inserted == 2
    assert len(report.warnings) == 1
    assert "ignored unknown column(s): Colour, shelf" in report.warnings[0]


def test_a_missing_required_column_is_named(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as failed:
        import_csv(engine, "products", _write(tmp_path, "p.csv", "sku,price\nS1,3\n"))

    assert [str(p) for p in failed.value.problems] == [
        "line 1: name: required column missing from the header"
    ]


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_reason(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("sku,name\nS1,Café\n".encode("latin-1"))

    with pytest.raises(ImportFailed) as failed:
        import_csv(engine, "products", path)

    assert "not UTF-8" in failed.value.describe()
    assert _count(engine, Product) == 0


def test_a_bom_and_column_order_do_not_matter(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffname,sku\r\nÇay bardağı,S1\r\n".encode())

    import_csv(engine, "products", path)

    with Session(engine) as session:
        assert session.exec(select(col(Product.name)).where(Product.sku == "S1")).one() == (
            "Çay bardağı"
        )
