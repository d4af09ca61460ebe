"""`clienteling briefing`: an associate's morning briefing, printed (for managers, cron, tests)."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import EXIT_OK, EXIT_USAGE, caller_named, caller_scope, store_today
from bot.core.briefing import briefing as compose_briefing
from bot.services import audit
from bot.settings import Settings
from bot.wiring import open_database


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parser."""
    cmd = sub.add_parser(
        "briefing",
        help="print an associate's morning briefing (nothing is sent or recorded but the "
        "audit trail's entry)",
    )
    cmd.add_argument(
        "--as", dest="as_", metavar="ASSOCIATE", help="the briefing of this associate"
    )
    cmd.add_argument("--date", help="the briefing's day, YYYY-MM-DD (default: today in the store)")
    cmd.set_defaults(run=print_briefing)


def print_briefing(settings: Settings, args: argparse.Namespace) -> int:
    """Print the briefing the associate gets on Telegram, with the customer ids its buttons
    open; nothing is sent, and nothing recorded but its audit entry ("briefing")."""
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
    reply = compose_briefing(
        engine,
        caller,
        today=today,
        default_language=settings.DEFAULT_LANGUAGE,
        currency=settings.CURRENCY,
        scope=caller_scope(settings, caller),
    )
    print(reply.text)
    audit.record_shown(engine, caller, reply)
    return EXIT_OK
