"""Several writers at once: associates' notes and the bot's bookkeeping while others write and
imports run, on SQLite and PostgreSQL. Nobody may get a lock error, and each write lands once."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, text
from sqlmodel import Session, select

from storage.conversations import get_conversation, save_conversation
from storage.db import make_engine, run_write, write_session
from storage.feedback import log_answer
from storage.import_locks import postgres_import_lock
from storage.importers import import_csv
from storage.models import AnswerLog, Customer, Note, ProcessedUpdate, Purchase
from storage.notes import add_note, recent_notes
from storage.updates import claim_update
from tests.stores import add_store

START = datetime(2026, 1, 5, tzinfo=UTC)


def _in_threads(workers: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run work(0..workers-1) in threads started together; return what they raised."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def run(i: int) -> None:
        barrier.wait()
        try:
            work(i)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as db:
        return int(db.exec(select(func.count()).select_from(model)).one())


def _customers(engine: Engine, n: int) -> None:
    add_store(
        engine,
        {"S1": ("Kettle", "kitchen")},
        [(f"C{i:03d}", "S1", 1, i) for i in range(n)],
        start=START,
    )


def test_concurrent_writers_that_read_first_never_fail(engine: Engine) -> None:
    # What one answer does: claim the update, read the chat's context, read the customer's
    # notes, write a note, save the context, log the answer. Ten associates at once, again
    # and again: the read-then-write shape is what made SQLite fail with "database is locked".
    _customers(engine, 10)
    rounds = 12

    def associate(i: int) -> None:
        customer = f"C{i:03d}"
        for r in range(rounds):
            run_write(engine, lambda db, r=r: claim_update(session=db, update_id=i * 1000 + r))

            def note(db: Session, r: int = r) -> None:
                recent_notes(session=db, customer_id=customer)
                add_note(session=db, customer_id=customer, text=f"visit {r}", author=f"A{i}")

            run_write(engine, note)

            def context(db: Session) -> None:
                conversation = get_conversation(session=db, key=f"tg:{i}")
                conversation.customer_id = customer
                save_conversation(session=db, conversation=conversation)

            run_write(engine, context)
            run_write(
                engine,
                lambda db, r=r: log_answer(
                    session=db,
                    chat_key=f"tg:{i}",
                    telegram_id=i,
                    associate_name=f"A{i}",
                    question=f"q{r}",
                    answer="a",
                    intent="note",
                    customer_id=customer,
                    skus=[],
                    tip_ids=[],
                    options=[],
                ),
            )

    errors = _in_threads(10, associate)

    assert errors == []
    # Exactly once each: no write lost, none repeated by a retry.
    assert _count(engine, Note) == 10 * rounds
    assert _count(engine, ProcessedUpdate) == 10 * rounds
    assert _count(engine, AnswerLog) == 10 * rounds


def test_a_plain_session_that_reads_then_writes_is_what_fails_on_sqlite(
    sqlite_engine: Engine,
) -> None:
    # The control for the test above: the same load through ordinary sessions does fail, so
    # the write session is what makes the difference (SQLite returns "database is locked"
    # at once to a reader that wants to write after another writer committed).
    _customers(sqlite_engine, 8)

    def associate(i: int) -> None:
        for r in range(30):
            with Session(sqlite_engine) as db:
                recent_notes(session=db, customer_id=f"C{i:03d}")
                time.sleep(0.001)
                add_note(session=db, customer_id=f"C{i:03d}", text=f"v{r}", author="A")

    errors = _in_threads(8, associate)

    assert errors
    assert all("database is locked" in str(e) for e in errors)


def _purchases_file(tmp_path: Path, lines: int, customers: int, prefix: str = "X") -> Path:
    path = tmp_path / f"purchases-{prefix}.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("order_id,customer_id,sku,quantity,unit_price,purchased_at\n")
        for n in range(lines):
            day = START + timedelta(days=n % 300)
            out.write(f"{prefix}{n // 3},C{(n // 3) % customers:03d},S1,1,9.90,{day:%Y-%m-%d}\n")
    return path


def test_the_bot_keeps_writing_while_an_import_runs(engine: Engine, tmp_path: Path) -> None:
    _customers(engine, 20)
    path = _purchases_file(tmp_path, 30_000, 20)
    stop = threading.Event()
    written: list[int] = []

    def bot() -> None:
        n = 0
        while not stop.is_set():
            run_write(engine, lambda db, n=n: claim_update(session=db, update_id=10**6 + n))
            n += 1
            time.sleep(0.005)
        written.append(n)

    writer_errors: list[BaseException] = []

    def guarded() -> None:
        try:
            bot()
        except BaseException as exc:
            writer_errors.append(exc)

    thread = threading.Thread(target=guarded)
    thread.start()
    try:
        report = import_csv(engine, "purchases", path)
    finally:
        stop.set()
        thread.join(timeout=120)

    assert writer_errors == []
    assert written[0] > 10  # the bot really wrote during the import
    assert report.inserted == 10_000  # 30,000 lines, three per order
    assert _count(engine, ProcessedUpdate) == written[0]


def test_an_import_waits_for_the_write_lock_and_says_so(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    _customers(sqlite_engine, 5)
    path = _purchases_file(tmp_path, 300, 5)
    held = threading.Event()

    def long_writer() -> None:
        with write_session(sqlite_engine) as db:
            db.add(Customer(customer_id="LATE"))
            db.flush()  # the write lock is held from here until the commit
            held.set()
            time.sleep(1.5)
            db.commit()

    thread = threading.Thread(target=long_writer)
    thread.start()
    held.wait(timeout=10)
    told: list[str] = []
    started = time.monotonic()

    report = import_csv(sqlite_engine, "purchases", path, on_wait=told.append)

    waited = time.monotonic() - started
    thread.join()
    assert told == [
        "the database is busy: another import or the bot is writing; waiting for it to finish…"
    ]
    assert waited >= 0.5
    assert report.inserted == 100
    assert _count(sqlite_engine, Customer) == 6


def test_two_imports_at_once_both_complete(engine: Engine, tmp_path: Path) -> None:
    _customers(engine, 10)
    files = [_purchases_file(tmp_path, 6_000, 10, prefix=p) for p in ("A", "B")]
    told: list[str] = []

    errors = _in_threads(
        2, lambda i: import_csv(engine, "purchases", files[i], on_wait=told.append)
    )

    assert errors == []
    assert _count(engine, Purchase) == 10 + 2 * 2_000
    assert len(told) <= 1  # at most the second one had to wait, and then it said so


def test_write_sessions_begin_immediate_on_sqlite(sqlite_engine: Engine) -> None:
    with write_session(sqlite_engine) as db:
        db.exec(select(Customer)).all()
        # Another connection cannot take the write lock while this transaction is open.
        with sqlite_engine.connect() as other:
            raw = other.connection.dbapi_connection
            assert raw is not None
            raw.execute("PRAGMA busy_timeout=0")
            with pytest.raises(Exception, match="locked"):
                raw.execute("BEGIN IMMEDIATE")


def test_imports_into_other_stores_on_one_server_do_not_wait() -> None:
    """One PostgreSQL server, two stores (schemas): an import running in one does not make an
    import into the other wait, while a second import into the same store does."""
    postgres_url = os.environ.get("TEST_DATABASE_URL", "")
    if not postgres_url:
        pytest.skip("PostgreSQL leg: set TEST_DATABASE_URL")
    schemas = [f"t_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    admin = make_engine(postgres_url)
    with admin.begin() as conn:
        for schema in schemas:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    store_a, store_b = (
        make_engine(postgres_url, connect_args={"options": f"-csearch_path={s}"}) for s in schemas
    )
    try:
        told_a: list[str] = []
        told_b: list[str] = []
        other_store = threading.Thread(target=_lock_once, args=(store_b, told_b.append))
        same_store = threading.Thread(target=_lock_once, args=(store_a, told_a.append))
        with store_a.connect() as running, running.begin():
            postgres_import_lock(running, None)  # an import into store A holds the lock
            other_store.start()
            other_store.join(timeout=10)
            other_store_done = not other_store.is_alive()
            same_store.start()
            time.sleep(0.5)
            same_store_waits = same_store.is_alive()
        same_store.join(timeout=30)
        other_store.join(timeout=30)
        assert other_store_done
        assert told_b == []
        assert same_store_waits
        assert told_a == ["another import is running; waiting for it to finish…"]
    finally:
        store_a.dispose()
        store_b.dispose()
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _lock_once(engine: Engine, on_wait: Callable[[str], None]) -> None:
    with engine.connect() as conn, conn.begin():
        postgres_import_lock(conn, on_wait)
