"""`clienteling tips add|list|delete`: the product tips in the tip store."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from bot.cli.common import EXIT_FAILED, EXIT_OK
from bot.core.types import Caller
from bot.settings import Settings
from bot.wiring import build_assistant, open_tips
from knowledge.purge import PurgeError
from knowledge.tips import delete_tip, list_tips


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parsers."""
    tips = sub.add_parser("tips", help="add, list or delete product tips")
    tips_sub = tips.add_subparsers(title="tips commands", metavar="ACTION", required=True)
    ta = tips_sub.add_parser(
        "add",
        help="add a tip from text, as a manager's /tip does",
        description='e.g. clienteling tips add "AeroPress ask how many cups they brew at once"',
    )
    ta.add_argument(
        "text", metavar="TEXT", help="[product] the tip; a leading sku or name links it"
    )
    ta.add_argument("--author", default="console", help="who wrote it (default: console)")
    ta.set_defaults(run=tips_add)
    tl = tips_sub.add_parser("list", help="list tips")
    tl.add_argument("--sku")
    tl.add_argument("--category")
    tl.add_argument("--language")
    tl.set_defaults(run=tips_list)
    td = tips_sub.add_parser("delete", help="delete a tip by id")
    td.add_argument("tip_id", metavar="TIP_ID")
    td.set_defaults(run=tips_delete)


def tips_add(settings: Settings, args: argparse.Namespace) -> int:
    """Add one tip from text: linked to the product it names, its language detected."""
    from bot.services.tips import add_tip

    assistant = build_assistant(settings)
    author = Caller(name=args.author, role="manager")
    try:
        added = add_tip(assistant, args.text, author=author, now=datetime.now(UTC))
    except ValueError as exc:
        print(f"error: {exc}: write at least a sentence", file=sys.stderr)
        return EXIT_FAILED
    tip = added.tip
    about = f" for {added.product_name} ({tip.sku})" if added.product_name else ""
    lang = f", language {tip.language}" if tip.language else ""
    print(f"tip {tip.tip_id} added{about}{lang}")
    return EXIT_OK


def tips_list(settings: Settings, args: argparse.Namespace) -> int:
    """List tips, filtered by sku, category or language."""
    store = open_tips(settings)
    tips = list_tips(store, sku=args.sku, category=args.category, language=args.language)
    for tip in tips:
        tags = " ".join(
            f"{name}={value}"
            for name, value in (
                ("sku", tip.sku),
                ("category", tip.category),
                ("lang", tip.language),
                ("by", tip.author),
            )
            if value
        )
        print(f"{tip.tip_id}  [{tags}]  {tip.text}")
    print(f"{len(tips)} tip(s)", file=sys.stderr)
    return EXIT_OK


def tips_delete(settings: Settings, args: argparse.Namespace) -> int:
    """Delete one tip by id, erasing its text from the tip store's files."""
    store = open_tips(settings)
    try:
        deleted = delete_tip(store, args.tip_id)
    except PurgeError as exc:
        print(
            f"error: tip {args.tip_id} deleted, but its text may remain on disk: {exc}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    if not deleted:
        print(f"error: no tip with id {args.tip_id!r}", file=sys.stderr)
        return EXIT_FAILED
    print(f"deleted tip {args.tip_id}")
    return EXIT_OK
