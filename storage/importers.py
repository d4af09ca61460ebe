"""CSV importers for customers, products, purchases and notes: all-or-nothing, streamed, upserting.

Rows are parsed and checked one by one and written to a temporary staging table; references,
conflicts and merges are then checked and applied in SQL, so memory stays bounded however large
the file. Any invalid row means nothing is written and every problem is reported as
`line N: column: reason`. The file contracts are in `storage.import_contract`, the separator and
the header in `storage.import_header`, the strict CSV checks in `storage.csv_strict`, the staging
table in `storage.import_staging`, the checks and merge in SQL in `storage.import_merge`, and the
locks an import takes in `storage.import_locks`.
"""

from __future__ import annotations

import csv
import itertools
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Connection, Engine, Index

from storage.csv_strict import (
    SUSPECT,
    field_count_problem,
    record_problems,
    unreadable,
)
from storage.customers import phone_region_code
from storage.import_contract import KINDS, ImportOptions, KindSpec, file_columns, spec_of
from storage.import_header import choose_delimiter, header_columns, read_header
from storage.import_locks import large_page_cache, postgres_import_lock, sqlite_write_lock
from storage.import_merge import merge_staged, staged_problems
from storage.import_report import MAX_LISTED_PROBLEMS, ImportFailed, ImportReport, Problem
from storage.import_rows import StagedRows
from storage.import_staging import (
    BATCH_ROWS,
    bind_processors,
    positional_insert,
    staging_columns,
    staging_table,
    value_parser,
)
from storage.local_times import store_zone
from storage.models import utcnow
from storage.suppression import SuppressionFilter, suppressed_keys

__all__ = [
    "KINDS",
    "ImportFailed",
    "ImportOptions",
    "ImportReport",
    "Problem",
    "file_columns",
    "import_csv",
]


# --- the import ----------------------------------------------------------------------------------


def import_csv(
    engine: Engine,
    kind: str,
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    phone_region: str = "",
    store_timezone: str = "UTC",
    suppression_key: bytes | None = None,
) -> ImportReport:
    """Import one CSV file of `kind` all or nothing; raise ImportFailed and write nothing if
    any row is invalid.

    The file's columns are separated by commas, semicolons, tabs or vertical bars (told apart
    by the header); rows whose every cell is empty are skipped and counted. Phone numbers are
    keyed for matching with `phone_region` (ISO 3166 alpha-2, "" for none: see
    storage.customers.phone_key). Times keep the local wall-clock time the file gives, with its
    UTC offset (see storage.local_times); those without a zone are local times in
    `store_timezone` (an IANA name). ValueError for an unknown region or zone.

    Rows of erased customers (storage.suppression, matched with `suppression_key`) are skipped
    and counted in the report; storage.suppression.SuppressionKeyError (a ValueError) when
    customers were erased but the key is missing or not theirs.

    The file is parsed into a staging table first, which takes no lock on the store; only the
    checks against the store and the merge run in a write transaction. When another writer
    (another import, the bot) holds the write lock, `on_wait` is told once, with a sentence for
    people, and the import waits for it (SQLite: up to the busy timeout). Database errors are
    raised as they are (sqlalchemy.exc.DBAPIError); nothing is written then either.
    """
    spec = spec_of(kind)
    # An unknown region or zone is a ValueError before anything is read.
    store_zone(store_timezone)
    options = ImportOptions(phone_region_code(phone_region), store_timezone)
    report = ImportReport(kind=kind, path=path)
    started = time.perf_counter()
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ImportFailed(
            path, [Problem(0, "-", f"cannot open the file: {exc.strerror}")]
        ) from exc
    with handle, engine.connect() as conn, large_page_cache(conn):
        run = _Run(conn, spec, report, progress, options, suppression_key)
        if conn.dialect.name == "sqlite":
            try:
                # Phase 1: parse into the connection's TEMP staging table; the store is not
                # touched, so the bot keeps writing meanwhile.
                with conn.begin():
                    run.stage_file(handle)
                # Phase 2: checks and merge under the write lock, taken up front.
                with sqlite_write_lock(conn, on_wait), conn.begin():
                    run.check_and_apply()
            finally:
                run.drop_stage()
        else:
            with conn.begin():
                postgres_import_lock(conn, on_wait)
                run.stage_file(handle)
                run.check_and_apply()
    report.seconds = time.perf_counter() - started
    return report


class _Run:
    """One import: stage, check, then apply."""

    def __init__(
        self,
        conn: Connection,
        spec: KindSpec,
        report: ImportReport,
        progress: Callable[[int], None] | None,
        options: ImportOptions,
        suppression_key: bytes | None = None,
    ):
        self.conn = conn
        self.suppression_key = suppression_key
        self.suppressed: SuppressionFilter | None = None
        self.spec = spec
        self.report = report
        self.progress = progress
        self.options = options
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.rows = StagedRows(spec, options, utcnow(), self._problem)
        self.delimiter = ","
        self.stage = staging_table(spec)
        self.header: dict[str, int] = {}
        self.consumed: list[str] = []  # the file's lines read since the last record

    def stage_file(self, handle: TextIO) -> None:
        """Parse the file into the staging table (TEMP: the store itself is not touched)."""
        lines = self._counted(handle)
        first = self._first_line(lines)
        self.delimiter = choose_delimiter(first, self.spec)
        self.report.delimiter = self.delimiter
        head = [first] if first else []  # an empty file: no header
        reader = csv.reader(itertools.chain(head, lines), delimiter=self.delimiter)
        self.header = self._read_header(reader)
        self.stage.create(self.conn)
        names = staging_columns(self.spec)
        if "customer_id" in names and (hashes := suppressed_keys(self.conn, self.suppression_key)):
            self.suppressed = SuppressionFilter(self.suppression_key or b"", hashes, names)
        self._stage_rows(reader, self.header)
        if self.suppressed is not None:
            self.report.erased_customers = len(self.suppressed.customers)
            self.report.erased_rows = self.suppressed.rows
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

    def _first_line(self, lines: Iterator[str]) -> str:
        """Return the file's first line ("" for an empty file), left in `self.consumed`."""
        try:
            return next(lines, "")
        except UnicodeDecodeError as exc:
            raise ImportFailed(self.report.path, [unreadable(exc, 1, "", ())]) from None

    def _read_header(self, reader: Any) -> dict[str, int]:
        names = read_header(reader, self._raw_record, self.delimiter, self.report.path)
        self.columns_in_file = [name.strip() for name in names]
        return header_columns(names, self.spec, self.report.path, self.report)

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
        names = staging_columns(self.spec)
        insert_sql = positional_insert(self.stage, ["line", *names], dialect.paramstyle)
        processors = bind_processors(self.stage, names, dialect)
        plan = [
            (
                c.name,
                header.get(c.name),
                c.required,
                c.default,
                getattr(self.spec.table.c[c.name].type, "length", None),
                value_parser(c, self.options),
            )
            for c in self.spec.columns
        ]
        columns = self.columns_in_file
        fields = len(columns)
        suspect = SUSPECT.search
        complete = self.rows.complete
        delimiter = self.delimiter
        raw_record = self._raw_record
        erased = self.suppressed.skips if self.suppressed is not None else None
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
                problem = unreadable(exc, line, text, columns, delimiter)
                self._problem(problem.line, problem.column, problem.reason)
                break
            end = reader.line_num
            text = raw_record()
            if suspect(text) and (
                problems := record_problems(line, text, row, columns, delimiter)
            ):
                self.report.rows += 1
                for problem in problems:
                    self._problem(problem.line, problem.column, problem.reason)
                continue
            if not (row and row[0].strip()) and not "".join(row).strip():
                # A blank line is not a row; nor is a row of empty cells (Excel's ",,,,"), but
                # that one is counted, as the file seems to have more rows than were read.
                self.report.empty_rows += len(row) > 1
                continue
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
            staged = complete(line, values) if ok else None
            if staged is None or (erased is not None and erased(staged)):
                continue
            for i, process in processors:
                staged[i] = process(staged[i])
            batch.append((line, *staged))
            if len(batch) >= BATCH_ROWS:
                self.conn.exec_driver_sql(insert_sql, batch)
                batch.clear()
        if batch:
            self.conn.exec_driver_sql(insert_sql, batch)

    # checks that need the whole file or the database, then the merge --------------------------

    def _check_in_sql(self) -> None:
        # Valid rows were staged even after a bad one, so these checks report on all of them.
        listed, total = staged_problems(self.conn, self.spec, self.stage)
        for problem in listed:
            self._problem(problem.line, problem.column, problem.reason)
        self.problem_count += total - len(listed)

    def _apply(self, header: dict[str, int]) -> None:
        merge_staged(self.conn, self.spec, self.stage, header, self.report)
