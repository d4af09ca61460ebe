"""`clienteling associates add|list`: who may use the bot."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from bot.core.i18n import available_languages
from bot.settings import Settings
from bot.wiring import open_database
from storage.associates import add_associate, list_associates
from storage.db import read_session, write_session


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parsers."""
    assoc = sub.add_parser("associates", help="who may use the bot")
    assoc_sub = assoc.add_subparsers(title="associates commands", metavar="ACTION", required=True)
    aa = assoc_sub.add_parser("add", help="register (or update) an associate")
    aa.add_argument("--telegram-id", type=int, required=True, metavar="N")
    aa.add_argument("--name", required=True)
    aa.add_argument("--role", choices=("associate", "manager", "admin"), default="associate")
    aa.add_argument("--store", metavar="S")
    aa.add_argument(
        "--language",
        metavar="CODE",
        help="preferred reply language, ISO 639-1 (de, el, en, es, tr); unchanged when omitted",
    )
    aa.set_defaults(run=associates_add)
    assoc_sub.add_parser("list", help="list associates").set_defaults(run=associates_list)


def associates_add(settings: Settings, args: argparse.Namespace) -> int:
    """Register or update an associate."""
    language = None
    if args.language is not None:
        language = reply_language(args.language)
        if language is None:
            return EXIT_USAGE
    engine = open_database(settings)
    with write_session(engine) as session:
        try:
            associate, created = add_associate(
                session=session,
                telegram_id=args.telegram_id,
                name=args.name,
                role=args.role,
                store=args.store,
                language=language,
            )
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
        verb = "added" if created else "updated"
        print(
            f"{verb} {associate.role} {associate.name} (telegram id {associate.telegram_id}"
            f"{', store ' + associate.store if associate.store else ''}"
            f"{', language ' + language if language else ''})"
        )
    return EXIT_OK


def reply_language(code: str) -> str | None:
    """Return `code` as a reply language there is a catalogue for, or print a one-line error
    naming the choices and return None."""
    language = code.strip().lower()
    if language in available_languages():
        return language
    choices = ", ".join(available_languages())
    print(f"error: unknown language {code!r}: choose one of {choices}", file=sys.stderr)
    return None


def associates_list(settings: Settings, _args: argparse.Namespace) -> int:
    engine = open_database(settings)
    with read_session(engine) as session:
        associates = list_associates(session=session)
    if not associates:
        print("no associates yet: clienteling associates add --telegram-id N --name NAME")
        return EXIT_OK
    print(f"{'telegram id':>12}  {'role':<9}  {'store':<8}  {'language':<8}  name")
    for a in associates:
        print(
            f"{a.telegram_id:>12}  {a.role:<9}  {a.store or '-':<8}  {a.language or '-':<8}  "
            f"{a.name}"
        )
    return EXIT_OK
