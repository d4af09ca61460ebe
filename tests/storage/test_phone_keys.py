"""Phone numbers as typed at the till: keyed in E.164 with PHONE_REGION, digits without it, and
found however either side was punctuated."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from storage.customers import find_by_phone, phone_key, phone_region_code
from storage.db import MIGRATIONS_DIR, make_engine, upgrade
from storage.importers import import_csv
from storage.models import Customer
from tests.conftest import POSTGRES_URL
from tests.storage.test_importers import _write

US = (
    "customer_id,first_name,phone\n"
    "U1,Amy,(555) 010-0199\n"
    "U2,Bo,555-010-0288\n"
    "U3,Ann,+44 1555 010199\n"  # a UK number ending in the same 9 digits as Amy's
)
DE = "customer_id,first_name,phone\nD1,Jonas,0176/1234567\nD2,Lea,+49 30 1234567\n"
MIXED = (
    "customer_id,first_name,phone\n"
    "M1,Amy,(555) 010-0199\n"
    "M2,María,+34 600 111 222\n"
    "M3,Jonas,0176/1234567\n"
    "M4,Tiny,12-34\n"
    "M5,None,\n"
)


def _ids(customers: list[Customer]) -> list[str]:
    return sorted(c.customer_id for c in customers)


@pytest.mark.parametrize(
    ("raw", "region", "key"),
    [
        ("(555) 010-0199", "US", "+15550100199"),
        ("555-010-0199", "US", "+15550100199"),
        ("555.010.0199", "us", "+15550100199"),
        ("+1 555 010 0199", "", "+15550100199"),
        ("+1 555 010 0199", "DE", "+15550100199"),  # +country needs no region
        ("0176/1234567", "DE", "+491761234567"),
        ("0176 1234567", "DE", "+491761234567"),
        ("0049 176 1234567", "DE", "+491761234567"),
        ("+49 176 1234567", "", "+491761234567"),
        ("+44 (0)20 7946 0958", "", "+442079460958"),
        ("0558 530 26 08", "TR", "+905585302608"),
        # No region, or not a number of the region: the digits alone.
        ("0176/1234567", "", "01761234567"),
        ("(555) 010-0199", "", "5550100199"),
        ("0176/1234567", "US", "01761234567"),
        ("555 0199", "US", "5550199"),  # local only: no area code, no E.164
        ("+1 23", "", None),
        ("12345", "US", None),
        ("call me", "DE", None),
    ],
)
def test_a_phone_is_keyed_in_e164_or_by_its_digits(raw: str, region: str, key: str | None) -> None:
    assert phone_key(raw, region) == key


def test_numbers_of_a_us_store_are_found_as_typed(engine: Engine, tmp_path: Path) -> None:
    import_csv(engine, "customers", _write(tmp_path, "us.csv", US), phone_region="US")

    with Session(engine) as session:
        stored = session.get(Customer, "U1")
        found = {
            typed: _ids(find_by_phone(session=session, phone=typed, region="US"))
            for typed in ("555-010-0199", "+1 555 010 0199", "(555)0100199", "5550100199")
        }
        # A bot that does not pass the region yet still finds them by their last digits.
        without_region = _ids(find_by_phone(session=session, phone="555 010 0199"))
        other = find_by_phone(session=session, phone="555-010-0198", region="US")
        uk = _ids(find_by_phone(session=session, phone="+44 1555 010 199", region="US"))
    assert stored is not None
    assert (stored.phone, stored.phone_key) == ("(555) 010-0199", "+15550100199")
    assert found == {typed: ["U1"] for typed in found}
    assert without_region == ["U1"]
    assert other == []
    # Two E.164 numbers are the same or not: the UK number ends like Amy's but is not hers.
    assert uk == ["U3"]


def test_numbers_of_a_german_store_are_found_as_typed(engine: Engine, tmp_path: Path) -> None:
    import_csv(engine, "customers", _write(tmp_path, "de.csv", DE), phone_region="DE")

    with Session(engine) as session:
        found = {
            typed: _ids(find_by_phone(session=session, phone=typed, region="DE"))
            for typed in ("0176 1234567", "+49 176 1234567", "0176-123 45 67", "0049 1761234567")
        }
        berlin = _ids(find_by_phone(session=session, phone="030 1234567", region="DE"))
    assert found == {typed: ["D1"] for typed in found}
    assert berlin == ["D2"]


def test_without_a_region_digits_match_whatever_the_punctuation(
    engine: Engine, tmp_path: Path
) -> None:
    import_csv(engine, "customers", _write(tmp_path, "m.csv", MIXED))

    with Session(engine) as session:
        keys = {c.customer_id: c.phone_key for c in session.exec(select(Customer))}

        def find(typed: str) -> list[str]:
            return _ids(find_by_phone(session=session, phone=typed))

        assert keys == {
            "M1": "5550100199",
            "M2": "+34600111222",
            "M3": "01761234567",
            "M4": None,  # too short to match anyone
            "M5": None,
        }
        assert find("555.010.0199") == ["M1"]
        assert find("(555) 010 0199") == ["M1"]
        # +country typed, national number stored (and the other way round): the last 9 digits.
        assert find("+1 555 010 0199") == ["M1"]
        assert find("+49 176 1234567") == ["M3"]
        assert find("600 111 222") == ["M2"]
        assert find("1234") == []
        assert find("") == []


def test_reimporting_with_a_region_rekeys_the_numbers(engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path, "de.csv", DE)
    import_csv(engine, "customers", path)

    again = import_csv(engine, "customers", path, phone_region="DE")

    # Only Jonas's key changes: Lea's number carries +49, read the same without a region.
    assert (again.inserted, again.updated, again.unchanged) == (0, 1, 1)
    with Session(engine) as session:
        jonas = session.get(Customer, "D1")
    assert jonas is not None
    assert (jonas.phone, jonas.phone_key) == ("0176/1234567", "+491761234567")


def test_a_file_without_phones_keeps_the_stored_keys(engine: Engine, tmp_path: Path) -> None:
    import_csv(engine, "customers", _write(tmp_path, "de.csv", DE), phone_region="DE")

    import_csv(engine, "customers", _write(tmp_path, "t.csv", "customer_id,tier\nD1,gold\n"))

    with Session(engine) as session:
        jonas = session.get(Customer, "D1")
    assert jonas is not None
    assert (jonas.tier, jonas.phone_key) == ("gold", "+491761234567")


# --- migration 0005 ------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_at_0004(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database migrated to 0004 only (before phone keys)."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        _migrate(eng, "0004")
        yield eng
        eng.dispose()
        return
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL leg: set TEST_DATABASE_URL")
    schema = f"m_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        _migrate(eng, "0004")
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _migrate(engine: Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    command.upgrade(config, revision)


def test_the_migration_keys_the_phones_of_existing_customers(engine_at_0004: Engine) -> None:
    phones = {
        "O1": "(555) 010-0199",
        "O2": "+49 176 1234567",
        "O3": "0176/1234567",
        "O4": "12-34",
        "O5": None,
    }
    with engine_at_0004.begin() as conn:
        for customer_id, phone in phones.items():
            conn.execute(
                text(
                    "INSERT INTO customer (customer_id, phone, marketing_consent, created_at, "
                    "updated_at) VALUES (:id, :phone, false, :now, :now)"
                ),
                {"id": customer_id, "phone": phone, "now": "2025-01-01 00:00:00"},
            )

    upgrade(engine_at_0004)

    with Session(engine_at_0004) as session:
        keys = {c.customer_id: c.phone_key for c in session.exec(select(Customer))}
        assert keys == {
            "O1": "5550100199",
            "O2": "+491761234567",
            "O3": "01761234567",
            "O4": None,
            "O5": None,
        }
        assert _ids(find_by_phone(session=session, phone="0176 1234567", region="DE")) == [
            "O2",
            "O3",
        ]
        assert _ids(find_by_phone(session=session, phone="+1 555-010-0199")) == ["O1"]


@pytest.mark.parametrize("region", ["XX", "DEU", "Germany"])
def test_an_unknown_region_stops_the_import_before_it_reads(
    engine: Engine, tmp_path: Path, region: str
) -> None:
    with pytest.raises(ValueError, match="use ISO 3166 alpha-2"):
        import_csv(engine, "customers", tmp_path / "missing.csv", phone_region=region)


def test_a_region_code_is_upper_cased() -> None:
    assert (phone_region_code(" de "), phone_region_code("")) == ("DE", "")
