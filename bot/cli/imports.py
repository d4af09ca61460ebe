"""`clienteling import KIND FILE`: customers, products, purchases, notes and tips from CSV."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from bot.cli.common import EXIT_FAILED, EXIT_OK, database_problem, progress
from bot.core.shopping_refresh import refresh_recommendations
from bot.settings import Settings
from bot.wiring import embed_products, open_database, open_tips
from knowledge.ingest import TipsFileError, import_tips_csv
from storage.customers import known_skus
from storage.db import read_session, run_write
from storage.importers import KINDS, ImportFailed, import_csv
from storage.suppression import SuppressionKeyError

IMPORT_KINDS = (*KINDS, "tips")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parser."""
    imp = sub.add_parser(
        "import",
        help="import a CSV file (all or nothing; re-importing upserts)",
        description="Import a UTF-8 CSV file with a header. Any invalid row means nothing is "
        "written and every problem is listed as 'line N: column: reason'.",
    )
    imp.add_argument("kind", choices=IMPORT_KINDS, metavar="KIND", help=" | ".join(IMPORT_KINDS))
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.set_defaults(run=import_file)


def import_file(settings: Settings, args: argparse.Namespace) -> int:
    """Import one file, all or nothing, and refresh what depends on it."""
    path: Path = args.file
    if not path.is_file():
        print(f"error: no such file: {path}", file=sys.stderr)
        return EXIT_FAILED
    engine = open_database(settings)
    if args.kind == "tips":
        return _import_tips(settings, engine, path)

    def waiting(message: str) -> None:
        print(f"{args.kind}: {message}", file=sys.stderr, flush=True)

    try:
        with progress(f"importing {args.kind}") as tick:
            report = import_csv(
                engine,
                args.kind,
                path,
                progress=tick,
                on_wait=waiting,
                phone_region=settings.PHONE_REGION,
                store_timezone=settings.STORE_TIMEZONE,
                suppression_key=settings.suppression_key(create=False),
            )
    except ImportFailed as exc:
        print(f"error: {exc.describe()}", file=sys.stderr)
        return EXIT_FAILED
    except SuppressionKeyError as exc:
        print(f"error: {path}: {exc}; nothing was imported", file=sys.stderr)
        return EXIT_FAILED
    except DBAPIError as exc:
        print(f"error: {path}: {database_problem(exc)}; nothing was imported", file=sys.stderr)
        return EXIT_FAILED
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary())
    if args.kind == "products":
        # Product search by meaning needs each description embedded: do it now, not at the
        # bot's next start (a few thousand products take minutes on one core).
        embedded = embed_products(settings, engine)
        print(f"product descriptions embedded for search: {embedded} new")
    if args.kind == "purchases":
        # Re-buy intervals and complements are learned from purchases: learn them again now.
        try:
            run, model = run_write(
                engine, lambda session: refresh_recommendations(session=session)
            )
        except DBAPIError as exc:
            print(
                f"warning: the purchases are imported, but the recommendation signals were not "
                f"refreshed ({database_problem(exc)}); import the file again to refresh them",
                file=sys.stderr,
            )
            return EXIT_OK
        print(
            f"recommendation signals refreshed: {run.products} products ({run.seconds:.1f} s); "
            f"shopping model: {model.customers} customers, "
            f"{'rebuilt' if model.full else f'{model.changed} updated'} ({model.seconds:.1f} s)"
        )
    return EXIT_OK


def _import_tips(settings: Settings, engine: Engine, path: Path) -> int:
    with read_session(engine) as session:
        skus = known_skus(session=session)
    store = open_tips(settings)
    try:
        result = import_tips_csv(store, path, known_skus=skus, now=datetime.now(UTC))
    except TipsFileError as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"tips: {result.summary()}")
    return EXIT_OK
