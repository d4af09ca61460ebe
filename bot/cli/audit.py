"""`clienteling audit`: the audit trail (who viewed or changed which customer's data, when and
through what), and `--prune`, which forgets the entries older than AUDIT_RETENTION_DAYS."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from bot.cli.common import EXIT_OK, EXIT_USAGE
from bot.services.audit import forget_old_entries
from bot.settings import Settings
from bot.wiring import open_database
from storage.audit import audit_entries
from storage.db import read_session
from storage.local_times import store_zone
from storage.models import AuditEntry

DESCRIPTION = """\
The audit trail: every answer that showed a customer's data (its kind is the reply's: overview,
history, spend, sizes, notes, recommend, product, draft; "candidates" for each customer a "which
one?" offered, "list" for each customer a list showed, "briefing" for each customer in the
morning briefing), every note,
follow-up task, contact and consent change written ("note", "task", "contact", "consent"),
every export and erasure: who, when, through which channel (telegram; console for `clienteling
chat`; cli for the other commands, as their --as associate or "console"), about which
customer. Oldest first, times in STORE_TIMEZONE. Kept AUDIT_RETENTION_DAYS days. Reading the
trail is not itself recorded: it shows who looked, not the customers' data."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parser."""
    cmd = sub.add_parser(
        "audit",
        help="who viewed or changed which customer's data, when and through what",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmd.add_argument(
        "--customer", metavar="C", help="only entries about this customer id (or pseudonym)"
    )
    cmd.add_argument(
        "--associate",
        metavar="A",
        help="only this associate's: their name (case ignored) or Telegram id; console is the "
        "local user",
    )
    cmd.add_argument(
        "--since", metavar="DATE", help="only entries from this day on (YYYY-MM-DD, store time)"
    )
    cmd.add_argument(
        "--json",
        action="store_true",
        help="a JSON list of entries: at (ISO 8601, UTC), channel, associate, telegram_id, "
        "customer_id, kind, detail",
    )
    cmd.add_argument(
        "--prune",
        action="store_true",
        help="delete the entries older than AUDIT_RETENTION_DAYS days and say how many: what "
        "the Telegram bot's housekeeping does every 6 hours, for installations without the bot "
        "running (e.g. daily from cron)",
    )
    cmd.set_defaults(run=audit)


def audit(settings: Settings, args: argparse.Namespace) -> int:
    """Print the audit trail, filtered; or with --prune forget the entries past retention."""
    zone = store_zone(settings.STORE_TIMEZONE)
    if args.prune:
        if args.customer or args.associate or args.since or args.json:
            print("error: --prune takes no other option", file=sys.stderr)
            return EXIT_USAGE
        return _prune(settings)
    try:
        since = _start_of(args.since, zone) if args.since else None
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    engine = open_database(settings)
    with read_session(engine) as db:
        entries = audit_entries(
            session=db, customer_id=args.customer, associate=args.associate, since=since
        )
    if args.json:
        print(json.dumps([_as_dict(e) for e in entries], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not entries:
        print("(no audit entries)")
        return EXIT_OK
    header = f"time ({settings.STORE_TIMEZONE})"
    print(f"{header:<19}  {'associate':<22} {'channel':<8} {'customer':<19} {'kind':<10} detail")
    for e in entries:
        shown = _utc(e.at).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
        print(
            f"{shown:<19}  {_who(e)[:22]:<22} {e.channel:<8} {(e.customer_id or '-'):<19} "
            f"{e.kind:<10} {e.detail or ''}".rstrip()
        )
    print(f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")
    return EXIT_OK


def _prune(settings: Settings) -> int:
    days = settings.AUDIT_RETENTION_DAYS
    engine = open_database(settings)
    gone, before = forget_old_entries(engine, now=datetime.now(UTC), days=days)
    print(
        f"forgot {gone} audit entr{'y' if gone == 1 else 'ies'} older than "
        f"{before.isoformat(timespec='seconds')} (AUDIT_RETENTION_DAYS={days})"
    )
    return EXIT_OK


def _start_of(given: str, zone: tzinfo) -> datetime:
    """Return the first instant (UTC) of the store's day `given` (YYYY-MM-DD)."""
    try:
        day = date.fromisoformat(given)
    except ValueError:
        raise ValueError(f"--since {given!r} is not a date like 2026-11-30") from None
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _utc(at: datetime) -> datetime:
    # Stored as UTC; a driver that hands it back without its zone still means UTC.
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _who(entry: AuditEntry) -> str:
    if entry.associate_name and entry.telegram_id is not None:
        return f"{entry.associate_name} ({entry.telegram_id})"
    return entry.associate_name or (str(entry.telegram_id) if entry.telegram_id else "-")


def _as_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": _utc(entry.at).isoformat(),
        "channel": entry.channel,
        "associate": entry.associate_name,
        "telegram_id": entry.telegram_id,
        "customer_id": entry.customer_id,
        "kind": entry.kind,
        "detail": entry.detail,
    }
