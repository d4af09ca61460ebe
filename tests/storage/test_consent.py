"""Consent history: imports and associates change marketing consent, and each change is kept
with who, when and from where (SQLite and, with TEST_DATABASE_URL, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from storage.consent import consent_history, consent_state, set_consent
from storage.importers import import_csv
from storage.models import Customer

T = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _customers(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _history(engine: Engine, customer_id: str) -> list[tuple[bool, str, str | None]]:
    with Session(engine) as db:
        return [
            (c.marketing_consent, c.source, c.changed_by)
            for c in consent_history(session=db, customer_id=customer_id)
        ]


def test_imports_record_first_states_and_changes_but_not_repeats(
    engine: Engine, tmp_path: Path
) -> None:
    first = _customers(
        tmp_path, "week1.csv", "customer_id,first_name,marketing_consent\nA,Ana,yes\nB,Ben,no\n"
    )
    import_csv(engine, "customers", first)
    assert _history(engine, "A") == [(True, "import", "file week1.csv")]
    assert _history(engine, "B") == [(False, "import", "file week1.csv")]

    # The same file again changes nothing; the next one withdraws Ana's consent only.
    import_csv(engine, "customers", first)
    second = _customers(
        tmp_path, "week2.csv", "customer_id,first_name,marketing_consent\nA,Ana,no\nB,Ben,no\n"
    )
    import_csv(engine, "customers", second)
    assert _history(engine, "A") == [
        (True, "import", "file week1.csv"),
        (False, "import", "file week2.csv"),
    ]
    assert _history(engine, "B") == [(False, "import", "file week1.csv")]

    # A file without the column says nothing about consent.
    names_only = _customers(tmp_path, "names.csv", "customer_id,first_name\nA,Anna\n")
    import_csv(engine, "customers", names_only)
    assert len(_history(engine, "A")) == 2


def test_an_associate_changes_consent_and_the_state_says_since_when(engine: Engine) -> None:
    with Session(engine) as db:
        db.add(Customer(customer_id="Z", first_name="Zoë"))
        db.commit()
        assert consent_state(session=db, customer=db.get(Customer, "Z")).since is None  # type: ignore[arg-type]
        change = set_consent(
            session=db,
            customer_id="Z",
            consent=True,
            source="chat",
            changed_by="Ana",
            telegram_id=501,
            now=T,
        )
        assert change is not None
        # Saying it again is no change.
        again = set_consent(session=db, customer_id="Z", consent=True, source="chat", now=T)
        assert again is None
        db.commit()
        customer = db.get(Customer, "Z")
        assert customer is not None
        assert customer.marketing_consent is True
        state = consent_state(session=db, customer=customer)
    assert (state.marketing_consent, state.since, state.changed_by) == (True, T, "Ana")
    assert _history(engine, "Z") == [(True, "chat", "Ana")]


def test_consent_for_an_unknown_customer_or_source_is_refused(engine: Engine) -> None:
    with Session(engine) as db:
        with pytest.raises(LookupError):
            set_consent(session=db, customer_id="NOPE", consent=True, source="chat")
        with pytest.raises(ValueError, match="unknown consent source"):
            set_consent(session=db, customer_id="NOPE", consent=True, source="fax")


def test_the_first_import_says_nothing_of_since_when_but_a_later_change_does(
    engine: Engine, tmp_path: Path
) -> None:
    week1 = _customers(tmp_path, "w1.csv", "customer_id,first_name,marketing_consent\nA,Ana,no\n")
    import_csv(engine, "customers", week1)
    with Session(engine) as db:
        ana = db.get(Customer, "A")
        assert ana is not None
        assert consent_state(session=db, customer=ana).since is None
    week2 = _customers(tmp_path, "w2.csv", "customer_id,first_name,marketing_consent\nA,Ana,yes\n")
    import_csv(engine, "customers", week2)
    with Session(engine) as db:
        ana = db.get(Customer, "A")
        assert ana is not None
        state = consent_state(session=db, customer=ana)
    assert state.marketing_consent is True
    assert state.since is not None
    assert state.changed_by == "file w2.csv"
