"""`clienteling outcomes`: contacts made and what came of them, per associate and per list."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, time, timedelta

from bot.cli.common import EXIT_OK, EXIT_USAGE, store_today
from bot.core.i18n import format_money, speaking
from bot.settings import Settings
from bot.wiring import open_database
from storage.contacts import Outcome, outcomes
from storage.db import read_session


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parser."""
    cmd = sub.add_parser(
        "outcomes", help="contacts made and purchases that followed, per associate and list"
    )
    cmd.add_argument(
        "--days", type=int, default=30, help="contacts sent in the last N days (default 30)"
    )
    cmd.add_argument("--date", help="the report's today, YYYY-MM-DD (default: today)")
    cmd.add_argument("--json", action="store_true", help="one JSON object a row")
    cmd.set_defaults(run=report)


def report(settings: Settings, args: argparse.Namespace) -> int:
    """Print contacts sent in the window and the purchases within ATTRIBUTION_DAYS of each."""
    if args.days < 1:
        print("error: --days must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    try:
        today = store_today(settings, args.date)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # Contact and purchase times are the store's wall clock labelled UTC.
    until = datetime.combine(today, time.max, tzinfo=UTC)
    since = datetime.combine(today - timedelta(days=args.days - 1), time.min, tzinfo=UTC)
    engine = open_database(settings)
    with read_session(engine) as db:
        by_associate, by_list = outcomes(
            session=db, since=since, until=until, attribution_days=settings.ATTRIBUTION_DAYS
        )
    if args.json:
        for by, table in (("associate", by_associate), ("list", by_list)):
            for row in _ranked(table):
                print(json.dumps({"by": by, **_as_dict(row)}, ensure_ascii=False))
        return EXIT_OK
    print(
        f"Contacts sent {since.date()} to {today}; a purchase counts within "
        f"{settings.ATTRIBUTION_DAYS} days of its contact."
    )
    if not by_associate:
        print("(no contacts sent)")
        return EXIT_OK
    with speaking(settings.DEFAULT_LANGUAGE, settings.CURRENCY):
        for title, table in (("associate", by_associate), ("list", by_list)):
            print()
            print(
                f"{title:<16} {'contacts':>8} {'customers':>9} {'bought':>6} "
                f"{'rate':>5} {'orders':>6} {'revenue':>12}"
            )
            for row in _ranked(table):
                print(
                    f"{row.key[:16]:<16} {row.contacts:>8} {row.customers:>9} {row.buyers:>6} "
                    f"{row.conversion:>5.0%} {row.orders:>6} {format_money(row.revenue):>12}"
                )
    return EXIT_OK


def _ranked(table: dict[str, Outcome]) -> list[Outcome]:
    return sorted(table.values(), key=lambda row: (-row.revenue, -row.contacts, row.key))


def _as_dict(row: Outcome) -> dict[str, object]:
    return {
        "key": row.key,
        "contacts": row.contacts,
        "customers": row.customers,
        "buyers": row.buyers,
        "conversion": round(row.conversion, 4),
        "orders": row.orders,
        "revenue": row.revenue,
    }
