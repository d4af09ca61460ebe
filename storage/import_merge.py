"""The second half of an import, in SQL under the write lock: checking the staged rows against the
store (unknown references, orders split between customers) and merging them into it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, Table, func, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite

from storage.consent import record_import_changes
from storage.dialects import upsert_insert
from storage.import_contract import KindSpec
from storage.import_report import MAX_LISTED_PROBLEMS, ImportReport, Problem
from storage.import_staging import staging_columns


def staged_problems(conn: Connection, spec: KindSpec, stage: Table) -> tuple[list[Problem], int]:
    """Return the problems of the staged rows that only the store or the whole file can show,
    and how many there are in all: per check, at most MAX_LISTED_PROBLEMS are listed (in line
    order), the rest only counted."""
    s = stage.c
    listed: list[Problem] = []
    total = 0
    for column, table, target_column in spec.references:
        missing = (
            select(s.line, s[column])
            .select_from(stage.outerjoin(table, table.c[target_column] == s[column]))
            .where(table.c[target_column].is_(None))
            .order_by(s.line)
        )
        what = "customer" if column == "customer_id" else "product"
        for line, value in conn.execute(missing.limit(MAX_LISTED_PROBLEMS)):
            listed.append(Problem(line, column, f"unknown {what} {value!r}"))
        total += conn.execute(select(func.count()).select_from(missing.subquery())).scalar_one()
    if spec.merge_quantities:
        # One order belongs to one customer: a second customer on an order is a broken export.
        # Find such orders with one grouped scan; look at their lines only when there are any.
        split = (
            select(s.order_id)
            .group_by(s.order_id)
            .having(func.count(s.customer_id.distinct()) > 1)
            .order_by(func.min(s.line))
            .limit(MAX_LISTED_PROBLEMS)
        )
        for order_id in conn.execute(split).scalars().all():
            lines = conn.execute(
                select(s.line, s.customer_id).where(s.order_id == order_id).order_by(s.line)
            ).all()
            first_line, owner = lines[0]
            line = next(ln for ln, customer in lines if customer != owner)
            listed.append(
                Problem(
                    line,
                    "customer_id",
                    f"order {order_id!r} belongs to customer {owner!r} (line {first_line})",
                )
            )
            total += 1
    return listed, total


def merge_staged(
    conn: Connection, spec: KindSpec, stage: Table, header: dict[str, int], report: ImportReport
) -> None:
    """Upsert the staged rows into `spec`'s table and set `report`'s inserted, updated,
    unchanged and merged counts (rows of the table, not lines of the file).

    Columns in the file's `header` (name → position) replace stored values, with the columns
    derived from them; absent ones keep them. Purchase lines repeating an order and sku are
    merged by adding their quantities; notes are only ever added. A customers file with a
    `marketing_consent` column records each new customer's consent and each change in the
    consent history. Errors: whatever the database raises.
    """
    consent = spec.kind == "customers" and "marketing_consent" in header
    if consent:
        # Before the merge, while the stored values still say what changes.
        record_import_changes(conn, stage, changed_by=f"file {report.path.name}", merged=False)
    names, source, keys = _merge_source(conn, spec, stage, report)
    stmt = _upsert(conn, spec, names, source, header)
    target = spec.table
    count_target = select(func.count()).select_from(target)
    before = conn.execute(count_target).scalar_one()
    written = conn.execute(stmt, execution_options={"preserve_rowcount": True}).rowcount
    report.inserted = conn.execute(count_target).scalar_one() - before
    report.updated = max(0, written - report.inserted)
    report.unchanged = keys - report.inserted - report.updated
    if consent and report.inserted:
        record_import_changes(conn, stage, changed_by=f"file {report.path.name}", merged=True)


def _merge_source(
    conn: Connection, spec: KindSpec, stage: Table, report: ImportReport
) -> tuple[list[str], Select[Any], int]:
    # Returns the columns written, the SELECT of staged rows giving them, and how many keys it has.
    s = stage.c
    names = staging_columns(spec)
    staged = conn.execute(select(func.count()).select_from(stage)).scalar_one()
    keys = staged
    source = select(*[s[c] for c in names]).where(true())
    if spec.merge_quantities:
        groups = select(s.order_id).group_by(s.order_id, s.sku).subquery()
        keys = conn.execute(select(func.count()).select_from(groups)).scalar_one()
        report.merged = staged - keys
        # Key order (the staging index's) writes the target's unique index sequentially.
        source = source.order_by(s.order_id, s.sku)
        if report.merged:
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
    return names, source, keys


def _upsert(
    conn: Connection,
    spec: KindSpec,
    names: list[str],
    source: Select[Any],
    header: dict[str, int],
) -> postgresql.Insert | sqlite.Insert:
    target = spec.table
    key_cols = list(spec.key)
    insert = upsert_insert(conn, target).from_select(names, source)
    # Columns absent from the file keep their stored values; present ones are replaced, and so
    # are the columns derived from them (a phone's key, a time's offset).
    sources = {c.derived: c.name for c in spec.columns if c.derived}
    updatable = [
        c
        for c in names
        if c not in key_cols
        and c not in ("created_at", "updated_at", "note_key")
        and (c in header or c == "quantity" or sources.get(c, "") in header)
    ]
    if spec.kind == "notes" or not updatable:
        return insert.on_conflict_do_nothing(index_elements=key_cols)
    excluded = insert.excluded
    changes = {c: excluded[c] for c in updatable}
    if spec.stamped:
        changes["updated_at"] = excluded["updated_at"]
    return insert.on_conflict_do_update(
        index_elements=key_cols,
        set_=changes,
        # Only rows whose values change are rewritten, so a re-import is a no-op.
        where=or_(*[target.c[c].is_distinct_from(excluded[c]) for c in updatable]),
    )
