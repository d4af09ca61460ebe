"""Dates as the receipt shows them: purchased_at and notes' created_at keep the local wall-clock
time the file gives, with its UTC offset; times without a zone are in STORE_TIMEZONE."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.customers import last_visit
from storage.importers import ImportFailed, import_csv
from storage.local_times import parse_local_time, store_zone, utc_instant
from storage.models import Note, Purchase
from storage.notes import add_note, note_key
from storage.purchases import purchases_between
from tests.storage.test_importers import _load_catalogue, _write

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
TIMES = "order_id,customer_id,sku,purchased_at\n"
DAY_FIRST = (
    "not an ISO 8601 date or date-time: '31/12/2024' (e.g. 2025-03-01 or 2025-03-01T14:30:00Z)"
)


def _wall(*args: int) -> datetime:
    """A wall-clock time as stored: labelled UTC."""
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "zone", "wall", "offset"),
    [
        # An explicit offset: the wall time as written, whatever the store's zone.
        ("2024-12-31 21:30:00 -0500", BERLIN, _wall(2024, 12, 31, 21, 30), -300),
        ("2024-12-31 21:30:00-0500", UTC, _wall(2024, 12, 31, 21, 30), -300),
        ("2024-12-31T21:30:00-05:00", NEW_YORK, _wall(2024, 12, 31, 21, 30), -300),
        ("2024-12-31 21:30 -05", UTC, _wall(2024, 12, 31, 21, 30), -300),
        # Positive offsets, crossing midnight the other way (1 Jan locally, 31 Dec in UTC).
        ("2025-01-01 00:30:00 +0900", NEW_YORK, _wall(2025, 1, 1, 0, 30), 540),
        ("2025-01-01T01:15:00+05:30", UTC, _wall(2025, 1, 1, 1, 15), 330),
        # UTC instants become the store's local time.
        ("2025-01-01T02:30:00Z", NEW_YORK, _wall(2024, 12, 31, 21, 30), -300),
        ("2025-01-01T02:30:00+00:00", NEW_YORK, _wall(2024, 12, 31, 21, 30), -300),
        ("2025-01-01 02:30:00 +0000", BERLIN, _wall(2025, 1, 1, 3, 30), 60),
        ("2025-07-01T10:00:00Z", BERLIN, _wall(2025, 7, 1, 12, 0), 120),
        ("2025-01-01T02:30:00Z", UTC, _wall(2025, 1, 1, 2, 30), 0),
        # The night New York's clocks go back: two 01:30s, told apart by their offsets.
        ("2024-11-03T05:30:00Z", NEW_YORK, _wall(2024, 11, 3, 1, 30), -240),
        ("2024-11-03T06:30:00Z", NEW_YORK, _wall(2024, 11, 3, 1, 30), -300),
        # No zone: local time in the store's zone, its offset of that date (DST included).
        ("2024-12-31 21:30", BERLIN, _wall(2024, 12, 31, 21, 30), 60),
        ("2024-07-01T21:30:00", BERLIN, _wall(2024, 7, 1, 21, 30), 120),
        ("2024-03-31 01:59", BERLIN, _wall(2024, 3, 31, 1, 59), 60),
        ("2024-03-31 03:00", BERLIN, _wall(2024, 3, 31, 3, 0), 120),
        ("2024-10-27 02:30", BERLIN, _wall(2024, 10, 27, 2, 30), 120),  # ambiguous: the first
        ("2024-07-01 12:00", UTC, _wall(2024, 7, 1, 12, 0), 0),
        # A date alone stays that date, at midnight.
        ("2024-12-31", NEW_YORK, _wall(2024, 12, 31), -300),
        ("2024-06-30", BERLIN, _wall(2024, 6, 30), 120),
    ],
)
def test_a_time_keeps_its_wall_clock_and_offset(
    raw: str, zone: ZoneInfo, wall: datetime, offset: int
) -> None:
    parsed = parse_local_time(raw, zone)

    assert (parsed.wall, parsed.offset_minutes) == (wall, offset)
    assert parsed.instant() == utc_instant(parsed.wall, parsed.offset_minutes)


def test_the_instant_is_recoverable() -> None:
    shopify = parse_local_time("2024-12-31 21:30:00 -0500", UTC)
    tokyo = parse_local_time("2025-01-01 00:30:00 +0900", UTC)

    assert shopify.instant() == datetime(2025, 1, 1, 2, 30, tzinfo=UTC)
    assert tokyo.instant() == datetime(2024, 12, 31, 15, 30, tzinfo=UTC)
    assert utc_instant(_wall(2025, 3, 1, 9), None) == _wall(2025, 3, 1, 9)  # before 0005


@pytest.mark.parametrize("raw", ["31/12/2024", "12/31/2024 21:30", "yesterday", "2024-13-01"])
def test_anything_but_iso_8601_is_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="not an ISO 8601 date or date-time"):
        parse_local_time(raw, UTC)


@pytest.mark.parametrize("name", ["Berlin", "Europe", "Mars/Olympus", ""])
def test_an_unknown_store_timezone_is_refused_with_examples(name: str) -> None:
    with pytest.raises(ValueError, match="use an IANA name such as Europe/Berlin"):
        store_zone(name)


# --- imports -------------------------------------------------------------------------------------


def _purchases(engine: Engine) -> dict[str, Purchase]:
    with Session(engine) as session:
        return {p.order_id: p for p in session.exec(select(Purchase)).all()}


def test_purchases_keep_the_date_of_the_receipt(engine: Engine, tmp_path: Path) -> None:
    _load_catalogue(engine, tmp_path)
    rows = TIMES + (
        "NY,C001,COF-001,2024-12-31 21:30:00 -0500\n"
        "NY2,C001,COF-002,2024-12-31T23:59:59-05:00\n"
        "TK,C002,COF-001,2025-01-01 00:30:00 +0900\n"
        "UTC,C002,COF-002,2025-01-01T02:30:00Z\n"
        "DAY,C003,COF-001,2024-12-31\n"
    )

    import_csv(engine, "purchases", _write(tmp_path, "o.csv", rows))

    lines = _purchases(engine)
    assert {k: (p.purchased_at, p.utc_offset_minutes) for k, p in lines.items()} == {
        "NY": (_wall(2024, 12, 31, 21, 30), -300),
        "NY2": (_wall(2024, 12, 31, 23, 59, 59), -300),
        "TK": (_wall(2025, 1, 1, 0, 30), 540),
        "UTC": (_wall(2025, 1, 1, 2, 30), 0),  # the store is in UTC by default
        "DAY": (_wall(2024, 12, 31), 0),
    }
    with Session(engine) as session:
        new_year_eve = purchases_between(
            session=session,
            customer_id="C001",
            start=_wall(2024, 12, 31),
            end=_wall(2025, 1, 1),
        )
        visit = last_visit(session=session, customer_id="C002")
    assert sorted(line.order_id for line in new_year_eve) == ["NY", "NY2"]
    assert visit is not None
    assert visit.date() == date(2025, 1, 1)


def test_naive_and_utc_times_are_read_in_the_store_timezone(
    engine: Engine, tmp_path: Path
) -> None:
    _load_catalogue(engine, tmp_path)
    rows = TIMES + (
        "W,C001,COF-001,2024-12-31 21:30\n"
        "S,C001,COF-002,2024-07-01T21:30:00\n"
        "Z,C002,COF-001,2024-12-31T22:30:00Z\n"
        "ZS,C002,COF-002,2024-07-01T22:30:00Z\n"
        "O,C003,COF-001,2024-12-31 21:30:00 -0500\n"
    )

    import_csv(
        engine, "purchases", _write(tmp_path, "o.csv", rows), store_timezone="Europe/Berlin"
    )

    lines = _purchases(engine)
    assert {k: (p.purchased_at, p.utc_offset_minutes) for k, p in lines.items()} == {
        "W": (_wall(2024, 12, 31, 21, 30), 60),
        "S": (_wall(2024, 7, 1, 21, 30), 120),  # summer time
        "Z": (_wall(2024, 12, 31, 23, 30), 60),
        "ZS": (_wall(2024, 7, 2, 0, 30), 120),  # 22:30 UTC is past midnight in Berlin
        "O": (_wall(2024, 12, 31, 21, 30), -300),  # its own offset wins
    }


def test_reimporting_in_another_timezone_moves_naive_times_and_their_offsets(
    engine: Engine, tmp_path: Path
) -> None:
    _load_catalogue(engine, tmp_path)
    path = _write(tmp_path, "o.csv", TIMES + "O-1,C001,COF-001,2025-03-01T10:15:00Z\n")
    import_csv(engine, "purchases", path)

    again = import_csv(engine, "purchases", path, store_timezone="America/New_York")

    assert (again.inserted, again.updated) == (0, 1)
    line = _purchases(engine)["O-1"]
    assert (line.purchased_at, line.utc_offset_minutes) == (_wall(2025, 3, 1, 5, 15), -300)


def test_a_day_first_date_is_refused_on_its_line(engine: Engine, tmp_path: Path) -> None:
    _load_catalogue(engine, tmp_path)
    rows = TIMES + "O-1,C001,COF-001,2024-12-31\nO-2,C001,COF-002,31/12/2024\n"

    with pytest.raises(ImportFailed) as failed:
        import_csv(engine, "purchases", _write(tmp_path, "o.csv", rows))

    assert [str(p) for p in failed.value.problems] == [f"line 3: purchased_at: {DAY_FIRST}"]


def test_an_unknown_store_timezone_stops_the_import_before_it_reads(
    engine: Engine, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Berlin'"):
        import_csv(engine, "purchases", tmp_path / "missing.csv", store_timezone="Berlin")


def test_notes_keep_their_local_time_and_key(engine: Engine, tmp_path: Path) -> None:
    _load_catalogue(engine, tmp_path)
    rows = (
        "customer_id,text,author,created_at\n"
        "C001,Wants the V60,Ana,2024-12-31 21:30:00 -0500\n"
        "C002,Likes dark roast,Ben,2024-12-31 21:30\n"
        "C003,Kitchen in spring,Ana,\n"
    )
    path = _write(tmp_path, "n.csv", rows)
    before = datetime.now(UTC)

    report = import_csv(engine, "notes", path, store_timezone="Europe/Berlin")
    # The key of a note does not depend on the setting: importing again adds nothing.
    again = import_csv(engine, "notes", path, store_timezone="America/New_York")

    assert (report.inserted, again.inserted, again.unchanged) == (3, 0, 3)
    with Session(engine) as session:
        notes = {n.customer_id: n for n in session.exec(select(Note)).all()}
    assert (notes["C001"].created_at, notes["C001"].utc_offset_minutes) == (
        _wall(2024, 12, 31, 21, 30),
        -300,
    )
    assert (notes["C002"].created_at, notes["C002"].utc_offset_minutes) == (
        _wall(2024, 12, 31, 21, 30),
        60,
    )
    # Keys as before local times were kept: the instant for a zoned time, else the wall time.
    assert notes["C001"].note_key == note_key(
        "C001", "Wants the V60", "Ana", "2025-01-01T02:30:00+00:00"
    )
    assert notes["C002"].note_key == note_key(
        "C002", "Likes dark roast", "Ben", "2024-12-31T21:30:00+00:00"
    )
    # No date: the import time, as Berlin's clocks showed it.
    undated = notes["C003"]
    assert undated.utc_offset_minutes in (60, 120)
    instant = utc_instant(undated.created_at, undated.utc_offset_minutes)
    assert before <= instant <= datetime.now(UTC)
    assert undated.created_at == instant.astimezone(BERLIN).replace(tzinfo=UTC)


def test_a_note_written_in_the_bot_is_kept_like_an_imported_one(
    engine: Engine, tmp_path: Path
) -> None:
    _load_catalogue(engine, tmp_path)
    moment = datetime(2025, 1, 1, 2, 30, tzinfo=UTC)

    with Session(engine) as session:
        berlin = add_note(
            session=session,
            customer_id="C001",
            text="Wants the V60",
            author="Ana",
            created_at=moment,
            store_timezone="Europe/Berlin",
        )
        utc = add_note(
            session=session, customer_id="C002", text="Dark roast", author="Ben", created_at=moment
        )

        assert (berlin.created_at, berlin.utc_offset_minutes) == (_wall(2025, 1, 1, 3, 30), 60)
        assert (utc.created_at, utc.utc_offset_minutes) == (moment, 0)
        # The key is the instant's, as it always was.
        assert berlin.note_key == note_key("C001", "Wants the V60", "Ana", moment.isoformat())
