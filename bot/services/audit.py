"""The audit trail outside the assistant's answers: what a transport or a command shows (the
morning briefing, a customer list or recommendations printed), and forgetting entries older
than AUDIT_RETENTION_DAYS. The assistant records its own answers (bot.core.audit)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.core.audit import actor_of, counted, record_reply
from bot.core.types import Caller, Reply
from storage.audit import add_entries, forget_entries_before
from storage.db import run_write

__all__ = ["forget_old_entries", "record_list", "record_shown", "record_views"]


def record_shown(engine: Engine, caller: Caller, reply: Reply) -> int:
    """Record the entries of `reply` shown to `caller` (bot.core.audit.entries_of); return how
    many."""
    return run_write(engine, lambda db: record_reply(db, caller, reply))


def record_list(
    engine: Engine, caller: Caller, name: str, customer_ids: Sequence[str], rows: int, *, noun: str
) -> None:
    """Record that `caller` was shown the list `name` of `rows` rows, each a `noun`
    ("customer", "task"): one "list" entry per customer it showed (`customer_ids`), so her
    trail and export find it; an empty list shows nobody and records nothing."""
    if rows <= 0:
        return
    detail = f"{name}: {counted(rows, noun)}"
    ids: list[str | None] = [*dict.fromkeys(customer_ids)] or [None]
    _write(engine, caller, [("list", customer_id, detail) for customer_id in ids])


def record_views(engine: Engine, caller: Caller, kind: str, customer_ids: Iterable[str]) -> None:
    """Record that `caller` was shown `kind` of each customer's data (one entry each, one
    transaction)."""
    _write(
        engine, caller, [(kind, customer_id, None) for customer_id in dict.fromkeys(customer_ids)]
    )


def _write(
    engine: Engine, caller: Caller, entries: list[tuple[str, str | None, str | None]]
) -> None:
    # One INSERT for all of them (storage.audit.add_entries), in a transaction of its own.
    if entries:
        run_write(
            engine, lambda db: add_entries(session=db, actor=actor_of(caller), entries=entries)
        )


def forget_old_entries(engine: Engine, *, now: datetime, days: int) -> tuple[int, datetime]:
    """Delete the entries older than `days` days before `now` (UTC), as AUDIT_RETENTION_DAYS
    asks; return how many went and the cut-off."""
    if days < 1:
        raise ValueError("the audit trail is kept at least 1 day")
    before = now - timedelta(days=days)
    return run_write(engine, lambda db: forget_entries_before(session=db, before=before)), before
