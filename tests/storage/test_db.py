"""Schema migrations and engine set-up."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

from storage.db import current_revision, head_revision, make_engine, upgrade


def test_upgrade_brings_a_new_database_to_head_and_is_idempotent(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()

    assert upgrade(engine) == head_revision()
    assert {"customer", "product", "purchase", "note", "associate"} <= set(
        inspect(engine).get_table_names()
    )


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)

    assert diff == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'x.db'}")

    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "nested" / "dir" / "x.db").exists()


def test_database_errors_never_carry_the_values_written(engine: Engine) -> None:
    # Exception messages end up in logs: a failed write must not quote a note or a phone.
    # (PostgreSQL's own DETAIL line still quotes a key; bot.redaction masks that.)
    import pytest
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import Session

    from storage.models import Note

    note = Note(note_key="k1", customer_id="NOBODY", text="call +34 600 123 456", author="Ana")
    with Session(engine) as db:
        db.add(note)
        with pytest.raises(IntegrityError) as failed:
            db.commit()

    message = str(failed.value)
    assert "600 123 456" not in message
    assert "Ana" not in message
    assert "parameters hidden" in message
