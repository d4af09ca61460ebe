"""`clienteling lists KIND`: the associate's book (birthdays, lapsed regulars, replenishment
due, VIPs, follow-ups due, a product's buyers)."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli.common import EXIT_OK, EXIT_USAGE, caller_named, caller_scope, store_today
from bot.core.book import KINDS, book_list
from bot.core.i18n import pick_language, speaking
from bot.services import audit
from bot.settings import Settings
from bot.wiring import open_database
from storage.db import read_session
from storage.product_buyers import unknown_skus


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parser."""
    cmd = sub.add_parser(
        "lists", help="customer lists: birthdays, lapsed, due, vip, followups, buyers"
    )
    cmd.add_argument("kind", metavar="KIND", help=f"one of {', '.join(KINDS)}")
    cmd.add_argument("--as", dest="as_", metavar="ASSOCIATE", help="list for this associate")
    cmd.add_argument(
        "--store", help="only customers of this store (their home store, or they bought there)"
    )
    cmd.add_argument("--date", help="the list's today, YYYY-MM-DD (default: today)")
    cmd.add_argument(
        "--days",
        type=int,
        help="birthdays: the window (default 7); lapsed: no visit for N days; "
        "followups: also those due in the next N days; buyers: bought in the last N days",
    )
    cmd.add_argument(
        "--sku",
        action="append",
        default=[],
        help="buyers: who bought this product (repeat for several)",
    )
    cmd.add_argument("--limit", type=int, default=20, help="at most this many rows (default 20)")
    cmd.add_argument("--json", action="store_true", help="one JSON object a row")
    cmd.set_defaults(run=lists)


def lists(settings: Settings, args: argparse.Namespace) -> int:
    """Print one list, best first."""
    if args.kind not in KINDS:
        print(
            f"error: unknown list {args.kind!r}: choose one of {', '.join(KINDS)}", file=sys.stderr
        )
        return EXIT_USAGE
    if args.limit < 1 or (args.days is not None and args.days < 1):
        print("error: --limit and --days must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if (args.kind == "buyers") != bool(args.sku):
        print("error: --sku goes with the buyers list, which needs one", file=sys.stderr)
        return EXIT_USAGE
    try:
        today = store_today(settings, args.date)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    engine = open_database(settings)
    try:
        caller = caller_named(engine, args.as_)
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with read_session(engine) as db:
        unknown = unknown_skus(session=db, skus=args.sku)
    if unknown:
        print(f"error: no product with sku {', '.join(unknown)}", file=sys.stderr)
        return EXIT_USAGE
    store = args.store or caller.store
    scope = caller_scope(settings, caller)  # CUSTOMER_SCOPE: --as sees their customers only
    language = pick_language(caller.language, settings.DEFAULT_LANGUAGE)
    with speaking(language, settings.CURRENCY):
        rows = book_list(
            engine,
            args.kind,
            today=today,
            days=args.days,
            store=store,
            limit=args.limit,
            telegram_id=caller.telegram_id,
            scope=scope,
            skus=args.sku,
        )
    shown = [row.customer_id for row in rows]
    audit.record_list(engine, caller, args.kind, shown, len(set(shown)), noun="customer")
    for row in rows:
        if args.json:
            print(json.dumps(row.as_dict(), ensure_ascii=False))
        else:
            print(f"{row.name} ({row.customer_id}) — {row.reason}")
    if not rows and not args.json:
        print("(none)")
    return EXIT_OK
