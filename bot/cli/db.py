"""`clienteling db upgrade`: migrate the schema."""

from __future__ import annotations

import argparse

from bot.cli.common import EXIT_OK
from bot.settings import Settings
from bot.wiring import open_database
from storage.db import upgrade


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parser."""
    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(title="db commands", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="migrate the schema to the newest revision").set_defaults(
        run=db_upgrade
    )


def db_upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    """Bring the schema to the newest revision."""
    engine = open_database(settings)
    print(f"database at revision {upgrade(engine)}: {engine.url.render_as_string()}")
    return EXIT_OK
