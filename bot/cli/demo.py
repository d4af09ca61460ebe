"""`clienteling demo`: build the demo store when the store is empty, then start the main job."""

from __future__ import annotations

import argparse

from bot.cli.chat import chat
from bot.cli.common import EXIT_OK
from bot.cli.run import run_bot
from bot.settings import Settings
from bot.wiring import open_database, open_tips
from knowledge.tips import count_tips
from storage.customers import count_rows
from storage.db import read_session


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parser."""
    parser = sub.add_parser(
        "demo", help="build the demo store in DATA_DIR if it is empty, then start the main job"
    )
    parser.add_argument(
        "--build-only", action="store_true", help="build the demo store and stop there"
    )
    parser.set_defaults(run=demo)


def demo(settings: Settings, args: argparse.Namespace) -> int:
    """Build the demo store if the store is empty, then run the bot or the console chat."""
    from bot.demo.store import build_demo_store  # the generator is only needed here

    engine = open_database(settings)
    with read_session(engine) as session:
        empty = count_rows(session=session)["customers"] == 0
    if empty:
        print(f"building the demo store in {settings.DATA_DIR} ...")
        for line in build_demo_store(engine, open_tips(settings), settings.DATA_DIR / "demo"):
            print(f"  {line}")
    else:
        print(f"the store in {settings.DATA_DIR} already has data: using it as it is")
    with read_session(engine) as session:
        counts = count_rows(session=session)
    tips = count_tips(open_tips(settings))
    print(
        f"store: {counts['customers']} customers, {counts['products']} products, "
        f"{counts['purchases']} purchase lines, {counts['notes']} notes, {tips} tips"
    )
    if args.build_only:
        return EXIT_OK
    if settings.telegram_token:
        args.webhook, args.port, args.listen = None, 8443, "0.0.0.0"
        return run_bot(settings, args)
    args.as_, args.session = None, "console"
    return chat(settings, args)
