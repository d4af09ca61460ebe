"""Handling each Telegram update once: across sessions, engines (processes) and restarts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.db import make_engine
from storage.models import ProcessedUpdate
from storage.updates import claim_update, forget_updates_before

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
UPDATE_ID = 987_654_321_012  # update ids can pass 32 bits on a busy bot


@pytest.fixture
def second_engine(engine: Engine) -> Iterator[Engine]:
    """Another engine on the same database, as a second bot process would have."""
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "sqlite":
        other = make_engine(url)
    else:
        with engine.connect() as conn:
            schema = conn.exec_driver_sql("SHOW search_path").scalar()
        other = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    yield other
    other.dispose()


def test_an_update_is_claimed_the_first_time_only(engine: Engine) -> None:
    with Session(engine) as session:
        assert claim_update(session=session, update_id=UPDATE_ID)
        assert not claim_update(session=session, update_id=UPDATE_ID)
        assert claim_update(session=session, update_id=UPDATE_ID + 1)


def test_an_update_delivered_again_after_a_restart_is_not_claimed(engine: Engine) -> None:
    with Session(engine) as session:
        assert claim_update(session=session, update_id=UPDATE_ID)
    # A restart: every pooled connection goes away.
    engine.dispose()

    with Session(engine) as session:
        assert not claim_update(session=session, update_id=UPDATE_ID)


def test_an_update_delivered_to_a_second_process_is_not_claimed_there(
    engine: Engine, second_engine: Engine
) -> None:
    with Session(engine) as session:
        assert claim_update(session=session, update_id=UPDATE_ID)

    with Session(second_engine) as other:
        assert not claim_update(session=other, update_id=UPDATE_ID)
        assert claim_update(session=other, update_id=UPDATE_ID + 1)


def test_simultaneous_claims_of_one_update_let_exactly_one_win(
    engine: Engine, second_engine: Engine
) -> None:
    racers = 6
    barrier = threading.Barrier(racers)
    results: list[bool] = []

    def claim(eng: Engine) -> None:
        with Session(eng) as session:
            barrier.wait()
            results.append(claim_update(session=session, update_id=UPDATE_ID))

    engines = [engine, second_engine] * (racers // 2)
    threads = [threading.Thread(target=claim, args=(eng,)) for eng in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * (racers - 1) + [True]


def test_forgetting_old_updates_deletes_only_the_older_ones(engine: Engine) -> None:
    with Session(engine) as session:
        for hours in range(4):
            claim_update(
                session=session, update_id=UPDATE_ID + hours, now=NOW + timedelta(hours=hours)
            )

        forgotten = forget_updates_before(session=session, before=NOW + timedelta(hours=2))

        assert forgotten == 2
        kept = session.exec(select(ProcessedUpdate.update_id)).all()
        assert sorted(kept) == [UPDATE_ID + 2, UPDATE_ID + 3]
        assert forget_updates_before(session=session, before=NOW) == 0
