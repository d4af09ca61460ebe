"""The settings an import reads: PHONE_REGION and STORE_TIMEZONE are checked when the settings
load, and `clienteling import` hands them to the importer."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlmodel import Session, select

from bot.cli import main
from bot.settings import Settings
from storage.db import make_engine
from storage.models import Customer, Note


def test_the_defaults_match_by_digits_in_utc(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, DATA_DIR=tmp_path)

    assert (settings.PHONE_REGION, settings.STORE_TIMEZONE) == ("", "UTC")


def test_a_region_is_normalised_and_a_zone_kept(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, DATA_DIR=tmp_path, PHONE_REGION=" de ", STORE_TIMEZONE="Europe/Berlin"
    )

    assert (settings.PHONE_REGION, settings.STORE_TIMEZONE) == ("DE", "Europe/Berlin")


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("STORE_TIMEZONE", "Berlin", "unknown time zone 'Berlin': use an IANA name such as"),
        ("STORE_TIMEZONE", "CET+1", "unknown time zone"),
        ("PHONE_REGION", "XX", "'XX' is not a country code phone numbers are known for"),
        ("PHONE_REGION", "DEU", "use ISO 3166 alpha-2"),
    ],
)
def test_a_wrong_value_stops_the_settings_with_a_clear_error(
    tmp_path: Path, setting: str, value: str, message: str
) -> None:
    with pytest.raises(ValidationError) as failed:
        Settings(_env_file=None, DATA_DIR=tmp_path, **{setting: value})

    assert setting in str(failed.value)
    assert message in str(failed.value)


def test_the_import_command_passes_the_region_and_the_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "LLM_MODEL", "CHROMA_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PHONE_REGION", "DE")
    monkeypatch.setenv("STORE_TIMEZONE", "Europe/Berlin")
    customers = tmp_path / "c.csv"
    customers.write_text("customer_id;phone\nC1;0176/1234567\n;\n", encoding="utf-8")
    notes = tmp_path / "n.csv"
    notes.write_text("customer_id,text,created_at\nC1,hello,2025-07-01 10:00\n", encoding="utf-8")

    assert main(["import", "customers", str(customers)]) == 0
    assert main(["import", "notes", str(notes)]) == 0

    out = capsys.readouterr().out
    assert "skipped 1 empty row, columns separated by semicolons" in out
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'clienteling.db'}")
    with Session(engine) as session:
        customer = session.get(Customer, "C1")
        note = session.exec(select(Note)).one()
    engine.dispose()
    assert customer is not None
    assert customer.phone_key == "+491761234567"
    assert note.utc_offset_minutes == 120
