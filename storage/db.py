"""Engines, transactions and schema migrations: `make_engine(url)`, `read_session(engine)`,
`write_session(engine)`, `run_write(engine, work)` and `upgrade(engine)`.

Concurrency rule for every caller: read in one short transaction, then write in another that
takes the write lock up front. On SQLite a transaction that reads first and writes later fails at
once ("database is locked") when another connection committed in between; the busy timeout never
applies to it. A write transaction that begins with `BEGIN IMMEDIATE` waits for the lock instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session
from tenacity import (
    Retrying,
    before_sleep_log,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# How long a SQLite writer waits for another's write lock before "database is locked" (seconds).
# Writes are short (a note, a log row) except an import's final merge, which takes a few seconds
# for a few hundred thousand lines: the wait covers that with room to spare.
SQLITE_BUSY_TIMEOUT = 60.0
# Execution option that makes a SQLite transaction begin IMMEDIATE (see write_session); a
# connection can set it too (`conn.execution_options(**{WRITE_LOCK_OPTION: True})`).
WRITE_LOCK_OPTION = "clienteling_begin_immediate"
# SQLSTATEs PostgreSQL uses for "try the transaction again": serialization failure, deadlock.
_PG_RETRY_STATES = frozenset({"40001", "40P01"})
WRITE_ATTEMPTS = 5

log = logging.getLogger(__name__)
T = TypeVar("T")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and its parent
    directory.

    Every engine hides SQL parameters from exception messages and logs: they hold customer data
    (names, notes, phone numbers), which must never reach a log file.
    """
    kwargs.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    connect_args = {"timeout": SQLITE_BUSY_TIMEOUT, **kwargs.pop("connect_args", {})}
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def read_session(engine: Engine) -> Session:
    """Return a session for reading only: it never flushes on its own, so an object changed
    while reading is not written inside the read transaction (where SQLite would refuse the
    write at once if another writer committed meanwhile). Write with `run_write` afterwards."""
    return Session(engine, autoflush=False)


def write_session(engine: Engine) -> Session:
    """Return a session whose transactions take the write lock when they begin.

    On SQLite each transaction starts with `BEGIN IMMEDIATE`, so it waits (up to the busy
    timeout) for another writer instead of failing when it first writes after reading. On
    PostgreSQL row locks already work that way and the session is an ordinary one. Keep the
    work inside short: other writers wait for it.
    """
    # Objects stay readable after the commit: callers use what they wrote to word the reply.
    if engine.dialect.name != "sqlite":
        return Session(engine, expire_on_commit=False)
    return Session(engine.execution_options(**{WRITE_LOCK_OPTION: True}), expire_on_commit=False)


def is_transient(exc: BaseException) -> bool:
    """Return True for database errors that a new attempt of the same transaction can cure:
    SQLite's "database is locked"/"busy" and PostgreSQL's serialization failure or deadlock."""
    if not isinstance(exc, DBAPIError) or exc.connection_invalidated:
        return False
    orig = exc.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in _PG_RETRY_STATES:
        return True
    return is_busy(str(orig))


def is_busy(message: str) -> bool:
    """Return True when a database error message says another writer holds the lock (SQLite's
    "database is locked" or "database is busy")."""
    message = message.lower()
    return "database is locked" in message or "database is busy" in message


def run_write(
    engine: Engine,
    work: Callable[[Session], T],
    *,
    attempts: int = WRITE_ATTEMPTS,
) -> T:
    """Run `work(session)` in a write session, commit, and return its result.

    A transient failure (see `is_transient`) rolls the attempt back and runs `work` again, up
    to `attempts` times with jittered exponential waits (50 ms to 2 s); any other error, or the
    last transient one, is raised. `work` must therefore do nothing outside the database that
    cannot be repeated. Errors raised: whatever `work` or the database raises.
    """
    retrying = Retrying(
        retry=retry_if_exception(is_transient),
        stop=stop_after_attempt(attempts),
        wait=wait_random_exponential(multiplier=0.05, max=2.0),
        before_sleep=before_sleep_log(log, logging.WARNING),
        reraise=True,
    )
    for attempt in retrying:
        with attempt, write_session(engine) as session:
            result = work(session)
            session.commit()
    return result


def _sqlite_begin(conn: Connection) -> None:
    # pysqlite opens transactions late and lets DDL run outside them; an explicit BEGIN makes
    # migrations and an import's staging table roll back with everything else. A write session
    # takes the write lock now, while the busy timeout can still make it wait.
    if conn.get_execution_options().get(WRITE_LOCK_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def _sqlite_pragmas(dbapi_conn: Any, _record: ConnectionPoolEntry) -> None:
    # Hand transaction control to SQLAlchemy (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    # WAL lets the bot read while an import writes; NORMAL is durable enough under WAL.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten with zeros, not left in free space: an erased customer or
    # a deleted note must not stay readable in the file (storage.erasure).
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


def _alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def current_revision(engine: Engine) -> str | None:
    """Return the schema revision the database is at, or None when it has none."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """Return the newest schema revision this code knows."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg).get_current_head()


def upgrade(engine: Engine) -> str | None:
    """Bring the schema to the newest revision (a no-op when it is there) and return it."""
    head = head_revision()
    if current_revision(engine) != head:
        command.upgrade(_alembic_config(engine), "head")
    return head


def chunked(items: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    """Yield `items` in lists of at most `size`: IN lists stay well under SQLite's bound-
    parameter limit however many customers or products a query is about."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
