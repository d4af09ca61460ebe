"""`clienteling feedback`: recent 👍/👎 votes on answers, with the question."""

from __future__ import annotations

import argparse

from bot.cli.common import EXIT_OK
from bot.settings import Settings
from bot.wiring import open_database
from storage.db import read_session
from storage.feedback import recent_feedback


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parser."""
    fb = sub.add_parser("feedback", help="recent 👍/👎 votes on answers, with the question")
    fb.add_argument("--limit", type=int, default=50, metavar="N")
    fb.add_argument("--down", action="store_true", help="only 👎: the answers that failed")
    fb.set_defaults(run=feedback)


def feedback(settings: Settings, args: argparse.Namespace) -> int:
    """List recent votes with the question, so a manager sees which answers fail."""
    engine = open_database(settings)
    with read_session(engine) as session:
        rows = recent_feedback(session=session, limit=args.limit, vote=-1 if args.down else None)
    if not rows:
        print("no feedback yet")
        return EXIT_OK
    for vote, answer in rows:
        mark = "👍" if vote.vote > 0 else "👎"
        about = " ".join(
            x for x in (answer.intent, answer.customer_id or "", ",".join(answer.skus or [])) if x
        )
        print(
            f"{vote.created_at:%Y-%m-%d %H:%M}  {mark}  {answer.associate_name}: "
            f"“{answer.question}” → {about}"
        )
    return EXIT_OK
