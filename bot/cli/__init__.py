"""The `clienteling` command: one module per command, each with `register(sub)` and its body."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from bot.cli import (
    ask,
    associates,
    audit,
    briefing,
    chat,
    customers,
    db,
    demo,
    feedback,
    imports,
    lists,
    outcomes,
    recommend,
    run,
    tasks,
    tips,
)
from bot.cli.common import EXIT_FAILED, EXIT_USAGE, database_problem
from bot.settings import Settings
from bot.transports.console import chat_loop

__all__ = ["chat_loop", "main"]

# In the order `clienteling --help` lists them.
COMMANDS = (
    db,
    imports,
    tips,
    associates,
    customers,
    audit,
    ask,
    chat,
    recommend,
    lists,
    tasks,
    outcomes,
    briefing,
    run,
    feedback,
    demo,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        settings = Settings()
    except ValidationError as exc:
        # A bad setting: which one and why, not a traceback.
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "settings"
            print(f"error: setting {where}: {error['msg']}", file=sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(settings, args)
    except KeyboardInterrupt:
        return 130
    except DBAPIError as exc:
        # One line for people, never a traceback (which would also carry SQL).
        print(f"error: {database_problem(exc)}", file=sys.stderr)
        return EXIT_FAILED
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clienteling",
        description="Clienteling Assistant: customer memory and product tips for associates.",
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser
