"""`clienteling chat`: the console chat over the assistant."""

from __future__ import annotations

import argparse
import sys

from bot.cli.ask import caller_speaking
from bot.cli.common import EXIT_FAILED
from bot.core.i18n import _, pick_language, speaking
from bot.settings import Settings
from bot.transports.console import chat_loop
from bot.wiring import build_assistant, open_database


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parser."""
    parser = sub.add_parser("chat", help="an interactive console chat with the assistant")
    parser.add_argument("--as", dest="as_", metavar="ASSOCIATE", help="name or Telegram id")
    parser.add_argument("--session", default="console", metavar="KEY")
    parser.set_defaults(run=chat)


def chat(settings: Settings, args: argparse.Namespace) -> int:
    """Open the console chat on the configured store."""
    engine = open_database(settings)
    try:
        caller = caller_speaking(engine, args.as_)
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    with speaking(pick_language(caller.language, settings.DEFAULT_LANGUAGE)):
        print(_("Loading the assistant…"), flush=True)
    assistant = build_assistant(settings, engine=engine)
    return chat_loop(assistant, caller, args.session, history=settings.DATA_DIR / "chat_history")
