"""Erasing deleted text from an embedded Chroma directory, which Chroma's own delete leaves behind.

Where the text of a deleted (or rewritten) record survives in chromadb 1.5.9 (PersistentClient),
measured by grepping every file of the directory for a marker:

1. `embeddings_queue`, Chroma's write-ahead log inside chroma.sqlite3: every add/upsert row
   carries the document in its `metadata` JSON (key "chroma:document"). Chroma purges rows only
   up to the sequence number the HNSW index last persisted (every `sync_threshold`, 1000,
   records), so the newest rows stay; `chroma vacuum` uses the same bound, hence did not help.
2. Freed SQLite cells and pages: rows Chroma deletes (the document in `embedding_metadata` and
   its index, the FTS content row, purged log rows) keep their bytes, as Chroma's bundled SQLite
   does not use secure_delete.
3. The FTS5 trigram index: a delete only appends tombstones, the old segments keep the trigrams
   until they are merged.
The HNSW files hold vectors and ids, no text, except by accident: hnswlib writes each element's
unused link slots to data_level0.bin as they were in memory, so bytes of a string the process
handled shortly before can land there (seen once in CI). This purge cannot reach that memory;
the journal is in rollback (delete) mode.

`purge_chroma_text` cures all three, see `_scrub` for why each step is safe for Chroma. It runs in
a child process on purpose: Chroma links its own SQLite (3.46) while Python's sqlite3 module uses
the system one, and two SQLite copies in one process do not see each other's POSIX locks (and
closing one's file descriptor drops the other's locks), which SQLite documents as a way to corrupt
a database. Across processes the ordinary file locks make the child wait for, and hold off,
Chroma's own connections in this process (Chroma waits up to 1000 s on a busy database).

Standard library only: this file is also the child's script.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

SQLITE_FILE = "chroma.sqlite3"
# Both generous: a VACUUM of a large store takes seconds, and Chroma may be mid-write.
_BUSY_TIMEOUT_S = 120.0
_CHILD_TIMEOUT_S = 600.0
# Purges in one process run one at a time: a second VACUUM right behind the first is wasted.
_lock = threading.Lock()


class PurgeError(RuntimeError):
    """Deleted text could not be erased from the Chroma directory (the records are deleted)."""


def purge_chroma_text(path: Path, collection_id: str) -> None:
    """Erase from the Chroma directory `path` all text of records already deleted or rewritten
    in collection `collection_id` (a UUID string), and the freed space of every collection.

    Safe while Chroma has the directory open, in this process or another. Raises PurgeError when
    the directory holds no chroma.sqlite3, or the purge fails (the message says why)."""
    database = Path(path) / SQLITE_FILE
    if not database.is_file():
        raise PurgeError(f"no Chroma database at {database}")
    if not sys.executable:
        raise PurgeError("cannot purge: no Python interpreter to run the purge with")
    # The child needs nothing but the standard library: no environment, no site-packages.
    command = [sys.executable, "-I", "-S", str(Path(__file__).resolve()), str(database)]
    command.append(collection_id)
    with _lock:
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=_CHILD_TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PurgeError(f"could not purge {database}: {exc}") from exc
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise PurgeError(f"could not purge {database}: {reason[0]}")


def _scrub(database: Path, collection_id: str) -> None:
    """Run in the child process: the three steps, then make sure nothing is left in a WAL."""
    connection = sqlite3.connect(database, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
    try:
        # VACUUM builds the new image in memory instead of a temporary file holding a copy.
        connection.execute("PRAGMA temp_store = MEMORY")
        connection.execute("PRAGMA secure_delete = ON")
        connection.execute("BEGIN IMMEDIATE")
        # 1. Empty the metadata (and so the document) of the log rows the metadata segment has
        # already applied. Chroma reads a log row again only to rebuild a segment that is behind
        # it: the metadata segment never is (its max_seq_id covers these rows, and Chroma replays
        # only rows above it), and the HNSW segment uses a row's id, operation and vector alone
        # (rust/segment/src/local_hnsw.rs, apply_log_chunk). '{}' is what Chroma itself writes
        # for a record without metadata or document (every delete row). Ids, order, sequence
        # numbers and vectors stay, so replay and Chroma's own log purge work as before.
        applied = connection.execute(
            "SELECT m.seq_id FROM segments s JOIN max_seq_id m ON m.segment_id = s.id "
            "WHERE s.collection = ? AND s.scope = 'METADATA'",
            (collection_id,),
        ).fetchone()
        if applied is not None and applied[0] is not None:
            connection.execute(
                "UPDATE embeddings_queue SET metadata = '{}' "
                "WHERE topic LIKE ? AND seq_id <= ? AND metadata != '{}'",
                ("%/" + collection_id, int(applied[0])),
            )
        # 3. FTS5's own 'optimize' merges the index into one segment without deleted entries;
        # content and rowids are untouched, so Chroma's $contains filters see the same rows.
        connection.execute(
            "INSERT INTO embedding_fulltext_search(embedding_fulltext_search) VALUES('optimize')"
        )
        connection.execute("COMMIT")
        # 2. VACUUM rewrites the file without free space: Chroma's own `chroma vacuum` runs it
        # on this database too. Rowids it may renumber belong to tables without an INTEGER
        # PRIMARY KEY, whose rowids Chroma never references.
        connection.execute("VACUUM")
        if connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if busy:
                raise sqlite3.OperationalError("the write-ahead log is busy, not truncated")
    finally:
        connection.close()


def main(argv: list[str]) -> int:
    """Child process entry: `python purge.py DATABASE COLLECTION_ID`."""
    if len(argv) != 2:
        print("usage: purge.py DATABASE COLLECTION_ID", file=sys.stderr)
        return 2
    try:
        _scrub(Path(argv[0]), argv[1])
    except sqlite3.Error as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
