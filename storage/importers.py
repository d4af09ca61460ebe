"""CSV importers for customers, products, purchases and notes: all-or-nothing, streamed, upserting.

Every import runs in one transaction. Rows are parsed and checked one by one and written to a
temporary staging table; references, conflicts and merges are then checked and applied in SQL,
so memory stays bounded however large the file. Any invalid row means nothing is written and
every problem is reported as `line N: column: reason`.
"""

from __future__ import annotations

import csv
import functools
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
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

from storage.models import Customer, Note, Product, Purchase, utcnow
from storage.notes import note_key

KINDS = ("customers", "products", "purchases", "notes")
MAX_LISTED_PROBLEMS = 50
_BATCH_ROWS = 5_000

Parser = Callable[[str], Any]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one row of a file."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.reason}"


class ImportFailed(Exception):
    """The file has invalid rows (or cannot be read); nothing was written."""

    def __init__(self, path: Path, problems: Sequence[Problem], total: int | None = None):
        self.path = path
        self.problems = sorted(problems)
        self.total = total if total is not None else len(self.problems)
        super().__init__(self.describe())

    def describe(self, limit: int = MAX_LISTED_PROBLEMS) -> str:
        """Return every problem up to `limit` in full, then a count of the rest."""
        lines = [f"{self.path}: {self.total} problem(s), nothing was imported"]
        lines += [str(p) for p in self.problems[:limit]]
        if self.total > limit:
            lines.append(f"... and {self.total - limit} more problem(s)")
        return "\n".join(lines)


@dataclass
class ImportReport:
    """What an import did."""

    kind: str
    path: Path
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """Return a one-line summary for people."""
        text = (
            f"{self.kind}: {self.rows} rows read, {self.inserted} added, "
            f"{self.updated} updated, {self.unchanged} unchanged"
        )
        if self.merged:
            text += f", {self.merged} repeated lines merged"
        return f"{text} ({self.seconds:.1f} s)"


# --- value parsers: each returns the value or raises ValueError with a reason for people ---------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
# ISO 639-1: two letters. The full list catches typos such as "sp" for Spanish.
_ISO_639_1_CODES = (
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv "
    "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr "
    "ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw "
    "ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv "
    "ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr "
    "ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi "
    "yo za zh zu"
)
_ISO_639_1 = frozenset(_ISO_639_1_CODES.split())


def parse_text(raw: str) -> str:
    """Return the text as given."""
    return raw


def parse_int(raw: str) -> int:
    """Parse a whole number such as 3 or -1."""
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"not a whole number: {raw!r}") from None


def parse_price(raw: str) -> float:
    """Parse a non-negative decimal number such as 12.50."""
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"not a number: {raw!r} (use a dot for decimals)") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"not a number: {raw!r}")
    if value < 0:
        raise ValueError(f"negative price: {raw!r} (a return is a negative quantity)")
    return value


def parse_bool(raw: str) -> bool:
    """Parse true/false, yes/no or 1/0."""
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"not true/false/yes/no/1/0: {raw!r}")


def parse_date(raw: str) -> date:
    """Parse a calendar date written YYYY-MM-DD."""
    if not _ISO_DATE.fullmatch(raw):
        raise ValueError(f"not a date in YYYY-MM-DD form: {raw!r}")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"no such date: {raw!r}") from None


def parse_datetime(raw: str) -> datetime:
    """Parse an ISO 8601 date or date-time; one without a zone is taken as UTC."""
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(
            f"not an ISO 8601 date or date-time: {raw!r} (e.g. 2025-03-01 or 2025-03-01T14:30:00Z)"
        ) from None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_language(raw: str) -> str:
    """Parse a two-letter ISO 639-1 language code."""
    code = raw.strip().lower()
    if code not in _ISO_639_1:
        raise ValueError(f"not an ISO 639-1 language code: {raw!r} (e.g. en, es, tr, el, de)")
    return code


# --- what each kind of file holds ----------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a file contract."""

    name: str
    parse: Parser = parse_text
    required: bool = False
    default: Any = None


@dataclass(frozen=True)
class KindSpec:
    """The contract of one kind of file and where its rows go."""

    kind: str
    table: Table
    key: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    references: tuple[tuple[str, Table, str], ...] = ()
    # Purchases merge repeated key lines by adding quantities; others must not repeat differently.
    merge_quantities: bool = False
    stamped: bool = False  # the table has created_at/updated_at maintained by the importer


_SPECS: dict[str, KindSpec] = {
    "customers": KindSpec(
        kind="customers",
        table=Customer.__table__,  # type: ignore[attr-defined]
        key=("customer_id",),
        columns=(
            ColumnSpec("customer_id", required=True),
            ColumnSpec("first_name"),
            ColumnSpec("last_name"),
            ColumnSpec("email"),
            ColumnSpec("phone"),
            ColumnSpec("birthday", parse_date),
            ColumnSpec("tier"),
            ColumnSpec("language", parse_language),
            ColumnSpec("sizes"),
            ColumnSpec("preferences"),
            ColumnSpec("marketing_consent", parse_bool, default=False),
            ColumnSpec("home_store"),
        ),
        stamped=True,
    ),
    "products": KindSpec(
        kind="products",
        table=Product.__table__,  # type: ignore[attr-defined]
        key=("sku",),
        columns=(
            ColumnSpec("sku", required=True),
            ColumnSpec("name", required=True),
            ColumnSpec("category"),
            ColumnSpec("brand"),
            ColumnSpec("price", parse_price),
            ColumnSpec("description"),
        ),
        stamped=True,
    ),
    "purchases": KindSpec(
        kind="purchases",
        table=Purchase.__table__,  # type: ignore[attr-defined]
        key=("order_id", "sku"),
        columns=(
            ColumnSpec("order_id", required=True),
            ColumnSpec("customer_id", required=True),
            ColumnSpec("sku", required=True),
            ColumnSpec("quantity", parse_int, default=1),
            ColumnSpec("unit_price", parse_price),
            ColumnSpec("purchased_at", parse_datetime),
            ColumnSpec("store_id"),
            ColumnSpec("associate_id"),
        ),
        references=(
            ("customer_id", Customer.__table__, "customer_id"),  # type: ignore[attr-defined]
            ("sku", Product.__table__, "sku"),  # type: ignore[attr-defined]
        ),
        merge_quantities=True,
    ),
    "notes": KindSpec(
        kind="notes",
        table=Note.__table__,  # type: ignore[attr-defined]
        key=("note_key",),
        columns=(
            ColumnSpec("customer_id", required=True),
            ColumnSpec("text", required=True),
            ColumnSpec("author"),
            ColumnSpec("created_at", parse_datetime),
        ),
        references=(("customer_id", Customer.__table__, "customer_id"),),  # type: ignore[attr-defined]
    ),
}


def file_columns(kind: str) -> list[str]:
    """Return the column names of the file contract for `kind`."""
    return [c.name for c in _spec(kind).columns]


def _spec(kind: str) -> KindSpec:
    try:
        return _SPECS[kind]
    except KeyError:
        raise ValueError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}") from None


# --- the import ----------------------------------------------------------------------------------


def import_csv(
    engine: Engine,
    kind: str,
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one CSV file of `kind` in one transaction; raise ImportFailed and write nothing
    if any row is invalid."""
    spec = _spec(kind)
    report = ImportReport(kind=kind, path=path)
    started = time.perf_counter()
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ImportFailed(
            path, [Problem(0, "-", f"cannot open the file: {exc.strerror}")]
        ) from exc
    with handle, engine.begin() as conn, _large_page_cache(conn):
        _Run(conn, spec, report, progress).load(handle)
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
    ):
        self.conn = conn
        self.spec = spec
        self.report = report
        self.progress = progress
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.now = utcnow()
        self.stage = self._staging_table()
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

    def load(self, handle: TextIO) -> None:
        reader = csv.reader(self._counted(handle))
        header = self._read_header(reader)
        # Created inside the transaction, so a failed import leaves no trace of it either.
        self.stage.create(self.conn)
        self._stage_rows(reader, header)
        if self.spec.merge_quantities:
            # Merging and the order checks group by these: an index makes them one ordered scan.
            Index(f"ix_{self.stage.name}_key", self.stage.c.order_id, self.stage.c.sku).create(
                self.conn
            )
        self._check_in_sql()
        if self.problem_count:
            raise ImportFailed(self.report.path, self.problems, self.problem_count)
        self._apply(header)
        self.stage.drop(self.conn)

    def _counted(self, handle: TextIO) -> Iterator[str]:
        done = 0
        for line in handle:
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
            raise ImportFailed(self.report.path, [Problem(1, "-", _read_error(exc))]) from None
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
        width = len(header) and max(header.values()) + 1
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
        batch: list[tuple[Any, ...]] = []
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except (UnicodeDecodeError, csv.Error) as exc:
                self._problem(reader.line_num + 1, "-", _read_error(exc))
                break
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line is not a row
            self.report.rows += 1
            if len(row) < width:
                row = row + [""] * (width - len(row))
            values: list[Any] = []
            ok = True
            for name, index, required, default, length, parse in plan:
                raw = row[index].strip() if index is not None else ""
                if not raw:
                    if required:
                        self._problem(line, name, "required value missing")
                        ok = False
                    values.append(default)
                elif length is not None and len(raw) > length:
                    self._problem(line, name, f"longer than {length} characters")
                    ok = False
                elif parse is None:
                    values.append(raw)
                else:
                    try:
                        values.append(parse(raw))
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
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_size=-65536")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000)}")


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


def _read_error(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "the file is not UTF-8 text (save it as CSV UTF-8)"
    return f"not readable as CSV: {exc}"
