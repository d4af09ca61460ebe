"""CSV importers for customers, products, purchases and notes: all-or-nothing, streamed, upserting.

Rows are parsed and checked one by one and written to a temporary staging table; references,
conflicts and merges are then checked and applied in SQL, so memory stays bounded however large
the file. Any invalid row means nothing is written and every problem is reported as
`line N: column: reason`. The file contracts are in `storage.import_contract`, the strict CSV
checks in `storage.csv_strict`.
"""

from __future__ import annotations

import csv
import functools
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    Table,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.type_api import TypeDecorator, TypeEngine

from storage.csv_strict import (
    SUSPECT,
    field_count_problem,
    record_problems,
    unreadable,
)
from storage.import_contract import (
    KINDS,
    KindSpec,
    file_columns,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_language,
    parse_text,
    spec_of,
)
from storage.import_report import MAX_LISTED_PROBLEMS, ImportFailed, ImportReport, Problem
from storage.models import utcnow
from storage.notes import note_key

__all__ = ["KINDS", "ImportFailed", "ImportReport", "Problem", "file_columns", "import_csv"]

_BATCH_ROWS = 5_000


# --- the import ----------------------------------------------------------------------------------


def import_csv(
    engine: Engine,
    kind: str,
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import one CSV file of `kind` all or nothing; raise ImportFailed and write nothing if
    any row is invalid.

    The file is parsed into a staging table first, which takes no lock on the store; only the
    checks against the store and the merge run in a write transaction. When another writer
    (another import, the bot) holds the write lock, `on_wait` is told once, with a sentence for
    people, and the import waits for it (SQLite: up to the busy timeout). Database errors are
    raised as they are (sqlalchemy.exc.DBAPIError); nothing is written then either.
    """
    spec = spec_of(kind)
    report = ImportReport(kind=kind, path=path)
    started = time.perf_counter()
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ImportFailed(
            path, [Problem(0, "-", f"cannot open the file: {exc.strerror}")]
        ) from exc
    with handle, engine.connect() as conn, _large_page_cache(conn):
        run = _Run(conn, spec, report, progress)
        if conn.dialect.name == "sqlite":
            try:
                # Phase 1: parse into the connection's TEMP staging table; the store is not
                # touched, so the bot keeps writing meanwhile.
                with conn.begin():
                    run.stage_file(handle)
                # Phase 2: checks and merge under the write lock, taken up front.
                with _sqlite_write_lock(conn, on_wait), conn.begin():
                    run.check_and_apply()
            finally:
                run.drop_stage()
        else:
            with conn.begin():
                _postgres_import_lock(conn, on_wait)
                run.stage_file(handle)
                run.check_and_apply()
    report.seconds = time.perf_counter() - started
    return report


_WAITING = "the database is busy: another import or the bot is writing; waiting for it to finish…"
# PostgreSQL advisory lock key shared by every clienteling import ("clienteling-import").
_IMPORT_LOCK_KEY = 0x636C_696D_7074


@contextmanager
def _sqlite_write_lock(conn: Connection, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """Make the next transaction on `conn` begin IMMEDIATE (taking the write lock), telling
    `on_wait` first when the lock is not free at once."""
    # Probed on the driver's connection, outside SQLAlchemy's transaction bookkeeping.
    raw = conn.connection.dbapi_connection
    assert raw is not None
    (before,) = raw.execute("PRAGMA busy_timeout").fetchone()
    try:
        raw.execute("PRAGMA busy_timeout=100")
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if on_wait is not None:
                on_wait(_WAITING)
        else:
            raw.execute("ROLLBACK")  # free now: the import's transaction begins right after
        raw.execute(f"PRAGMA busy_timeout={int(before)}")
        conn.execution_options(clienteling_begin_immediate=True)
        yield
    finally:
        conn.execution_options(clienteling_begin_immediate=False)
        raw.execute(f"PRAGMA busy_timeout={int(before)}")


def _postgres_import_lock(conn: Connection, on_wait: Callable[[str], None] | None) -> None:
    """Hold the import advisory lock for this transaction: one import at a time, the next one
    waits (after telling `on_wait`). Row locks already keep the bot's writes safe."""
    if conn.exec_driver_sql(f"SELECT pg_try_advisory_xact_lock({_IMPORT_LOCK_KEY})").scalar():
        return
    if on_wait is not None:
        on_wait("another import is running; waiting for it to finish…")
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_IMPORT_LOCK_KEY})")


class _Run:
    """One import: stage, check, then apply."""

    def __init__(
        self,
        conn: Connection,
        spec: KindSpec,
        report: ImportReport,
        progress: Callable[[int], None] | None,
    ):
        self.conn = conn
        self.spec = spec
        self.report = report
        self.progress = progress
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.now = utcnow()
        self.stage = self._staging_table()
        self.header: dict[str, int] = {}
        self.consumed: list[str] = []  # the file's lines read since the last record
        # Exact repeats of a customer or product row are harmless; different values are not.
        self.seen: dict[tuple[Any, ...], tuple[int, tuple[Any, ...]]] = {}

    # staging ----------------------------------------------------------------------------------

    def _staging_columns(self) -> list[str]:
        names = [c.name for c in self.spec.columns]
        if self.spec.kind == "notes":
            names.append("note_key")
        if self.spec.stamped:
            names += ["created_at", "updated_at"]
        return names

    def _staging_table(self) -> Table:
        target = self.spec.table
        columns = [Column("line", Integer, primary_key=True)]
        columns += [Column(n, target.c[n].type) for n in self._staging_columns()]
        return Table(
            f"import_stage_{self.spec.kind}",
            MetaData(),
            *columns,
            prefixes=["TEMPORARY"],
            postgresql_on_commit="DROP",
        )

    def stage_file(self, handle: TextIO) -> None:
        """Parse the file into the staging table (TEMP: the store itself is not touched)."""
        reader = csv.reader(self._counted(handle))
        self.header = self._read_header(reader)
        self.stage.create(self.conn)
        self._stage_rows(reader, self.header)
        if self.spec.merge_quantities:
            # Merging and the order checks group by these: an index makes them one ordered scan.
            Index(f"ix_{self.stage.name}_key", self.stage.c.order_id, self.stage.c.sku).create(
                self.conn
            )

    def check_and_apply(self) -> None:
        """Check the staged rows against the store, then merge them in (or raise)."""
        self._check_in_sql()
        if self.problem_count:
            raise ImportFailed(self.report.path, self.problems, self.problem_count)
        self._apply(self.header)
        self.stage.drop(self.conn)

    def drop_stage(self) -> None:
        """Drop the staging table if it is still there (after a failure); no-op otherwise."""
        self.conn.rollback()
        self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{self.stage.name}")
        self.conn.commit()

    def _counted(self, handle: TextIO) -> Iterator[str]:
        # The csv reader pulls exactly the lines of one record before it returns it: kept in
        # `self.consumed`, they are that record's raw text for the strict checks.
        done = 0
        consumed = self.consumed
        for line in handle:
            consumed.append(line)
            yield line
            done += 1
            if self.progress is not None and done % 10_000 == 0:
                self.progress(done)
        if self.progress is not None:
            self.progress(done)

    def _read_header(self, reader: Any) -> dict[str, int]:
        try:
            names = next(reader)
        except StopIteration:
            raise ImportFailed(self.report.path, [Problem(1, "-", "the file is empty")]) from None
        except (UnicodeDecodeError, csv.Error) as exc:
            text = self._raw_record() if isinstance(exc, csv.Error) else ""
            raise ImportFailed(self.report.path, [unreadable(exc, 1, text, ())]) from None
        # The header is a record like the others (strict quotes, no control characters), on one
        # line; its length is every row's.
        strict = record_problems(1, self._raw_record(), names, ())
        if not strict and reader.line_num > 1:
            strict = [
                Problem(
                    1,
                    "-",
                    f"the header runs on to line {reader.line_num} inside quotes: "
                    "is a closing quote missing?",
                )
            ]
        if strict:
            raise ImportFailed(self.report.path, strict)
        self.columns_in_file = [name.strip() for name in names]
        header: dict[str, int] = {}
        known = {c.name for c in self.spec.columns}
        unknown: list[str] = []
        problems: list[Problem] = []
        for index, raw in enumerate(names):
            name = raw.strip()
            if name in header:
                problems.append(Problem(1, name, "column appears twice in the header"))
            elif name in known:
                header[name] = index
            else:
                unknown.append(name or f"(column {index + 1} has no name)")
        for column in self.spec.columns:
            if column.required and column.name not in header:
                problems.append(Problem(1, column.name, "required column missing from the header"))
        if problems:
            raise ImportFailed(self.report.path, problems)
        if unknown:
            self.report.warnings.append(
                f"ignored unknown column(s): {', '.join(unknown)} "
                f"(known: {', '.join(c.name for c in self.spec.columns)})"
            )
        return header

    def _raw_record(self) -> str:
        """Return (and forget) the raw text of the record the reader just returned."""
        text = "".join(self.consumed)
        self.consumed.clear()
        return text

    def _problem(self, line: int, column: str, reason: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(Problem(line, column, reason))

    def _stage_rows(self, reader: Any, header: dict[str, int]) -> None:
        # The hot loop of a million-line import: everything per column is decided up front.
        dialect = self.conn.dialect
        names = self._staging_columns()
        insert_sql = _positional_insert(self.stage, ["line", *names], dialect.paramstyle)
        processors = [
            (i, _memo(p) if isinstance(self.stage.c[n].type, _MEMO_TYPES) else p)
            for i, n in enumerate(names)
            if (p := _bind_processor(self.stage.c[n].type, dialect)) is not None
        ]
        plan = [
            (
                c.name,
                header.get(c.name),
                c.required,
                c.default,
                getattr(self.spec.table.c[c.name].type, "length", None),
                None if c.parse is parse_text else _memo(c.parse) if c.parse in _MEMO else c.parse,
            )
            for c in self.spec.columns
        ]
        columns = self.columns_in_file
        fields = len(columns)
        suspect = SUSPECT.search
        raw_record = self._raw_record
        batch: list[tuple[Any, ...]] = []
        end = reader.line_num
        while True:
            line = end + 1  # a record is reported on the line it starts on
            try:
                row = next(reader)
            except StopIteration:
                break
            except (UnicodeDecodeError, csv.Error) as exc:
                text = raw_record() if isinstance(exc, csv.Error) else ""
                problem = unreadable(exc, line, text, columns)
                self._problem(problem.line, problem.column, problem.reason)
                break
            end = reader.line_num
            text = raw_record()
            if suspect(text) and (problems := record_problems(line, text, row, columns)):
                self.report.rows += 1
                for problem in problems:
                    self._problem(problem.line, problem.column, problem.reason)
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line is not a row
            self.report.rows += 1
            if len(row) != fields:
                self._problem(line, "-", field_count_problem(len(row), fields, line, end))
                continue
            values: list[Any] = []
            ok = True
            for name, index, required, default, length, parse in plan:
                value = row[index].strip() if index is not None else ""
                if not value:
                    if required:
                        self._problem(line, name, "required value missing")
                        ok = False
                    values.append(default)
                elif length is not None and len(value) > length:
                    self._problem(line, name, f"longer than {length} characters")
                    ok = False
                elif parse is None:
                    values.append(value)
                else:
                    try:
                        values.append(parse(value))
                    except ValueError as exc:
                        self._problem(line, name, str(exc))
                        ok = False
            staged = self._complete(line, values) if ok else None
            if staged is None:
                continue
            for i, process in processors:
                staged[i] = process(staged[i])
            batch.append((line, *staged))
            if len(batch) >= _BATCH_ROWS:
                self.conn.exec_driver_sql(insert_sql, batch)
                batch.clear()
        if batch:
            self.conn.exec_driver_sql(insert_sql, batch)

    def _complete(self, line: int, values: list[Any]) -> list[Any] | None:
        kind = self.spec.kind
        if kind == "notes":
            customer_id, text, author, created_at = values
            raw_created = created_at.isoformat() if created_at else None
            digest = note_key(customer_id, text, author, raw_created)
            if (digest,) in self.seen:
                return None  # the same note twice in one file is one note
            self.seen[(digest,)] = (line, ())
            values[3] = created_at or self.now
            values.append(digest)
        elif not self.spec.merge_quantities:
            key = tuple(values[: len(self.spec.key)])
            earlier = self.seen.get(key)
            if earlier is not None:
                if earlier[1] != tuple(values):
                    name = "/".join(self.spec.key)
                    self._problem(
                        line,
                        name,
                        f"{key[0]!r} is defined again with different values (first on line "
                        f"{earlier[0]})",
                    )
                return None
            self.seen[key] = (line, tuple(values))
        if self.spec.stamped:
            values += [self.now, self.now]
        return values

    # checks that need the whole file or the database ----------------------------------------

    def _check_in_sql(self) -> None:
        # Valid rows were staged even after a bad one, so these checks report on all of them.
        s = self.stage.c
        for column, table, target_column in self.spec.references:
            missing = (
                select(s.line, s[column])
                .select_from(self.stage.outerjoin(table, table.c[target_column] == s[column]))
                .where(table.c[target_column].is_(None))
                .order_by(s.line)
            )
            what = "customer" if column == "customer_id" else "product"
            for line, value in self.conn.execute(missing.limit(MAX_LISTED_PROBLEMS)):
                self._problem(line, column, f"unknown {what} {value!r}")
            extra = self.conn.execute(
                select(func.count()).select_from(missing.subquery())
            ).scalar_one()
            self.problem_count += max(0, extra - MAX_LISTED_PROBLEMS)
        if self.spec.merge_quantities:
            # One order belongs to one customer: a second customer on an order is a broken export.
            # Find such orders with one grouped scan; look at their lines only when there are any.
            split = (
                select(s.order_id)
                .group_by(s.order_id)
                .having(func.count(s.customer_id.distinct()) > 1)
                .order_by(func.min(s.line))
                .limit(MAX_LISTED_PROBLEMS)
            )
            for order_id in self.conn.execute(split).scalars().all():
                lines = self.conn.execute(
                    select(s.line, s.customer_id).where(s.order_id == order_id).order_by(s.line)
                ).all()
                first_line, owner = lines[0]
                line = next(ln for ln, customer in lines if customer != owner)
                self._problem(
                    line,
                    "customer_id",
                    f"order {order_id!r} belongs to customer {owner!r} (line {first_line})",
                )

    # apply --------------------------------------------------------------------------------------

    def _apply(self, header: dict[str, int]) -> None:
        spec, stage, target = self.spec, self.stage, self.spec.table
        key_cols = list(spec.key)
        s = stage.c
        names = self._staging_columns()
        staged = self.conn.execute(select(func.count()).select_from(stage)).scalar_one()
        keys = staged
        source = select(*[s[c] for c in names]).where(true())
        if spec.merge_quantities:
            groups = select(s.order_id).group_by(s.order_id, s.sku).subquery()
            keys = self.conn.execute(select(func.count()).select_from(groups)).scalar_one()
            self.report.merged = staged - keys
            # Key order (the staging index's) writes the target's unique index sequentially.
            source = source.order_by(s.order_id, s.sku)
            if self.report.merged:
                firsts = (
                    select(
                        func.min(s.line).label("first_line"),
                        func.sum(s.quantity).label("quantity"),
                    )
                    .group_by(s.order_id, s.sku)
                    .subquery()
                )
                names = [c for c in names if c != "quantity"] + ["quantity"]
                source = (
                    select(*[s[c] for c in names if c != "quantity"], firsts.c.quantity)
                    .select_from(stage.join(firsts, s.line == firsts.c.first_line))
                    .where(true())
                )

        insert = _dialect_insert(self.conn)(target).from_select(names, source)
        # Columns absent from the file keep their stored values; present ones are replaced.
        updatable = [
            c
            for c in names
            if c not in key_cols
            and c not in ("created_at", "updated_at", "note_key")
            and (c in header or c == "quantity")
        ]
        if spec.kind == "notes" or not updatable:
            stmt = insert.on_conflict_do_nothing(index_elements=key_cols)
        else:
            excluded = insert.excluded
            changes = {c: excluded[c] for c in updatable}
            if spec.stamped:
                changes["updated_at"] = excluded["updated_at"]
            stmt = insert.on_conflict_do_update(
                index_elements=key_cols,
                set_=changes,
                # Only rows whose values change are rewritten, so a re-import is a no-op.
                where=or_(*[target.c[c].is_distinct_from(excluded[c]) for c in updatable]),
            )
        count_target = select(func.count()).select_from(target)
        before = self.conn.execute(count_target).scalar_one()
        written = self.conn.execute(stmt, execution_options={"preserve_rowcount": True}).rowcount
        self.report.inserted = self.conn.execute(count_target).scalar_one() - before
        self.report.updated = max(0, written - self.report.inserted)
        self.report.unchanged = keys - self.report.inserted - self.report.updated


@contextmanager
def _large_page_cache(conn: Connection) -> Iterator[None]:
    """Give SQLite a 64 MiB page cache for the import: with the default 2 MiB, updating the
    purchase indexes of a million-line file took half again as long (bench/README.md)."""
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


def _dialect_insert(conn: Connection) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert
    if conn.dialect.name == "sqlite":
        return sqlite.insert
    raise ValueError(f"imports support SQLite and PostgreSQL, not {conn.dialect.name}")


def _bind_processor(type_: TypeEngine[Any], dialect: Any) -> Callable[[Any], Any] | None:
    # Staging rows go through the driver's executemany directly (the fast path measured in
    # bench/); the column type's own bind processing keeps stored values identical to the ORM's.
    return type_._cached_bind_processor(dialect)


# Dates and times repeat across the lines of an order (and days across orders): parsing and
# formatting each distinct value once saves most of their cost on large files.
_MEMO = (parse_date, parse_datetime, parse_bool, parse_language)
_MEMO_TYPES = (Date, DateTime, TypeDecorator)


def _memo(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return functools.lru_cache(maxsize=4096)(function)


def _positional_insert(table: Table, names: list[str], paramstyle: str) -> str:
    # The driver's executemany with plain tuples is the fastest path both drivers offer.
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}[paramstyle]
    marks = ", ".join([mark] * len(names))
    return f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
