"""`clienteling customers export`: everything held about one customer (right of access)."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli.common import EXIT_OK, EXIT_USAGE
from bot.settings import Settings
from bot.wiring import open_database
from storage.customer_export import customer_record
from storage.db import read_session


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parsers."""
    cust = sub.add_parser("customers", help="what is held about a customer")
    cust_sub = cust.add_subparsers(title="customers commands", metavar="ACTION", required=True)
    ex = cust_sub.add_parser(
        "export", help="everything held about one customer, as JSON (right of access)"
    )
    ex.add_argument("customer_id", metavar="CUSTOMER_ID")
    ex.add_argument("--json", action="store_true", help="on one line instead of indented")
    ex.set_defaults(run=customers_export)


def customers_export(settings: Settings, args: argparse.Namespace) -> int:
    """Print one customer's record as one JSON document."""
    engine = open_database(settings)
    with read_session(engine) as session:
        record = customer_record(session=session, customer_id=args.customer_id)
    if record is None:
        print(f"error: no customer {args.customer_id!r}", file=sys.stderr)
        return EXIT_USAGE
    text = json.dumps(record, ensure_ascii=False, indent=None if args.json else 2) + "\n"
    # UTF-8 whatever the terminal's locale says: names in any script must come out whole.
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(text)
        return EXIT_OK
    sys.stdout.flush()
    out.write(text.encode("utf-8"))
    out.flush()
    return EXIT_OK
