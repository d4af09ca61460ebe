"""The SQL SQLite and PostgreSQL spell differently: one upsert INSERT, one day count."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, create_mock_engine
from sqlmodel import Session, select

from storage.dialects import epoch_day, upsert_insert
from storage.models import ProcessedUpdate

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def test_the_upsert_insert_skips_a_conflicting_row_from_a_session_connection_or_engine(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        session.exec(upsert_insert(session, ProcessedUpdate).values(update_id=1, processed_at=NOW))
        session.commit()
    with engine.begin() as conn:
        for bind in (conn, engine):
            stmt = (
                upsert_insert(bind, ProcessedUpdate)
                .values(update_id=1, processed_at=NOW)
                .on_conflict_do_nothing(index_elements=["update_id"])
            )
            conn.execute(stmt)
    with Session(engine) as session:
        assert len(session.exec(select(ProcessedUpdate)).all()) == 1


def test_the_upsert_insert_refuses_a_database_other_than_sqlite_and_postgresql() -> None:
    mysql = create_mock_engine("mysql://", executor=lambda *_args, **_kwargs: None)
    with pytest.raises(ValueError, match="SQLite or PostgreSQL, not mysql"):
        upsert_insert(mysql, ProcessedUpdate)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("moment", "days"),
    [
        ("1970-01-01T00:00:00+00:00", 0),
        ("1970-01-02T23:59:59+00:00", 1),
        ("2025-06-01T12:00:00+00:00", 20240),
    ],
)
def test_epoch_day_counts_whole_utc_days_since_1970(
    engine: Engine, moment: str, days: int
) -> None:
    with engine.connect() as conn:
        value = sa.literal(datetime.fromisoformat(moment), sa.DateTime(timezone=True))
        assert conn.execute(sa.select(epoch_day(value))).scalar_one() == days
