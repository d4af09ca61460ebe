"""`clienteling tasks`: open follow-up tasks, the most overdue first."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli.common import EXIT_OK, EXIT_USAGE, caller_named, caller_scope, store_today
from bot.core.book import due_phrase
from bot.core.i18n import pick_language, speaking
from bot.core.wording import full_name
from bot.services import audit
from bot.settings import Settings
from bot.wiring import open_database
from storage.db import read_session
from storage.followups import open_followups


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parser."""
    cmd = sub.add_parser("tasks", help="open follow-up tasks, the most overdue first")
    cmd.add_argument("--as", dest="as_", metavar="ASSOCIATE", help="this associate's tasks")
    cmd.add_argument(
        "--all",
        action="store_true",
        help="every associate's tasks (of the --as associate's store when they have one)",
    )
    cmd.add_argument("--json", action="store_true", help="one JSON object a task")
    cmd.set_defaults(run=tasks)


def tasks(settings: Settings, args: argparse.Namespace) -> int:
    """Print open tasks: the associate's own (without --as, those made from the console), or
    with --all everyone's."""
    engine = open_database(settings)
    try:
        caller = caller_named(engine, args.as_)
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    today = store_today(settings, None)
    scope = caller_scope(settings, caller)
    with read_session(engine) as db:
        rows = open_followups(
            session=db,
            telegram_id=caller.telegram_id,
            everyone=args.all,
            store=caller.store if args.all else None,
            scope=scope,
        )
    customers = [customer.customer_id for _task, customer in rows]
    audit.record_list(engine, caller, "followups", customers, len(rows), noun="task")
    language = pick_language(caller.language, settings.DEFAULT_LANGUAGE)
    with speaking(language, settings.CURRENCY):
        for task, customer in rows:
            if args.json:
                line = {
                    "task_id": task.id,
                    "customer_id": customer.customer_id,
                    "name": full_name(customer),
                    "due_date": task.due_date.isoformat(),
                    "text": task.text,
                    "associate": task.associate_name,
                    "overdue": task.due_date < today,
                }
                print(json.dumps(line, ensure_ascii=False))
            else:
                owner = f" [{task.associate_name}]" if args.all and task.associate_name else ""
                print(
                    f"#{task.id} {due_phrase(task.due_date, today)} — {full_name(customer)} "
                    f"({customer.customer_id}): {task.text}{owner}"
                )
    if not rows and not args.json:
        print("(no open tasks)")
    return EXIT_OK
