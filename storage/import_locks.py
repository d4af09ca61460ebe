"""How an import shares the store with other writers: SQLite's write lock taken up front (telling
the caller when it has to wait), PostgreSQL's one-import-at-a-time advisory lock, and SQLite's
larger page cache for the duration of an import."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from storage.db import WRITE_LOCK_OPTION, is_busy

WAITING = "the database is busy: another import or the bot is writing; waiting for it to finish…"
# PostgreSQL advisory lock: the first key is every clienteling import's ("clim"), the second the
# store's (its database and schema), so stores sharing a server import side by side.
IMPORT_LOCK_CLASS = 0x636C_696D
IMPORT_LOCK = (
    f"{IMPORT_LOCK_CLASS}, hashtext(current_database() || '.' || coalesce(current_schema(), ''))"
)


@contextmanager
def sqlite_write_lock(conn: Connection, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """Make the next transaction on the SQLite `conn` begin IMMEDIATE (taking the write lock),
    telling `on_wait` first, with a sentence for people, when the lock is not free at once.

    Errors: sqlite3.OperationalError other than "locked"/"busy" from the probe is raised.
    """
    # Probed on the driver's connection, outside SQLAlchemy's transaction bookkeeping.
    raw = conn.connection.dbapi_connection
    assert raw is not None
    (before,) = raw.execute("PRAGMA busy_timeout").fetchone()
    try:
        raw.execute("PRAGMA busy_timeout=100")
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if not is_busy(str(exc)):
                raise
            if on_wait is not None:
                on_wait(WAITING)
        else:
            raw.execute("ROLLBACK")  # free now: the import's transaction begins right after
        raw.execute(f"PRAGMA busy_timeout={int(before)}")
        conn.execution_options(**{WRITE_LOCK_OPTION: True})
        yield
    finally:
        conn.execution_options(**{WRITE_LOCK_OPTION: False})
        raw.execute(f"PRAGMA busy_timeout={int(before)}")


def postgres_import_lock(conn: Connection, on_wait: Callable[[str], None] | None) -> None:
    """Hold the import advisory lock for the PostgreSQL transaction open on `conn`: one import
    into this store (database and schema) at a time, the next one waits (after telling
    `on_wait`); imports into other stores on the same server do not wait. Row locks already keep
    the bot's writes safe."""
    if conn.exec_driver_sql(f"SELECT pg_try_advisory_xact_lock({IMPORT_LOCK})").scalar():
        return
    if on_wait is not None:
        on_wait("another import is running; waiting for it to finish…")
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({IMPORT_LOCK})")


@contextmanager
def large_page_cache(conn: Connection) -> Iterator[None]:
    """Give SQLite a 64 MiB page cache while the block runs, then restore the previous size
    (no-op on other databases): with the default 2 MiB, updating the purchase indexes of a
    million-line file took half again as long (bench/README.md)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    # On the driver's connection: a pragma through SQLAlchemy would begin a transaction.
    raw = conn.connection.dbapi_connection
    assert raw is not None
    (before,) = raw.execute("PRAGMA cache_size").fetchone()
    raw.execute("PRAGMA cache_size=-65536")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size={int(before or -2000)}")
