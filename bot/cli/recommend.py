"""`clienteling recommend`: ranked suggestions for customers, with reasons."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy import Engine

from bot.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, caller_named, caller_scope
from bot.core.complements import goes_well_with
from bot.core.recommend import recommend as recommend_for
from bot.core.types import Caller
from bot.services import audit
from bot.settings import Settings
from bot.wiring import open_database
from storage.customers import get_customer
from storage.db import read_session
from storage.recommendations import product_facts
from storage.scope import Scope


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parser."""
    rec = sub.add_parser(
        "recommend",
        help="ranked suggestions for a customer, or what goes well with a product, with reasons",
    )
    rec.add_argument("customer_id", nargs="?", metavar="CUSTOMER_ID")
    rec.add_argument(
        "--with",
        dest="with_sku",
        metavar="SKU",
        help="what goes well with this product (with CUSTOMER_ID: leaving out what they own)",
    )
    rec.add_argument("--k", type=int, help="how many (default 10; 5 with --with)")
    rec.add_argument("--json", action="store_true", help="one JSON object a customer")
    rec.add_argument("--batch", type=Path, metavar="FILE", help="one customer id a line")
    rec.add_argument(
        "--as", dest="as_", metavar="ASSOCIATE", help="only customers this associate sees"
    )
    rec.set_defaults(run=recommend)


def recommend(settings: Settings, args: argparse.Namespace) -> int:
    """Print recommendations for one customer or a file of customer ids, or the complements of
    a product (--with)."""
    if args.with_sku is not None and args.batch is not None:
        print("error: --with takes one product, not --batch", file=sys.stderr)
        return EXIT_USAGE
    if args.with_sku is None and (args.customer_id is None) == (args.batch is None):
        print("error: give a CUSTOMER_ID or --batch FILE (not both)", file=sys.stderr)
        return EXIT_USAGE
    if args.k is None:
        args.k = 5 if args.with_sku is not None else 10
    if args.k < 1:
        print("error: --k must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    engine = open_database(settings)
    try:
        caller = caller_named(engine, args.as_)
        scope = caller_scope(settings, caller)
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.with_sku is not None:
        return _complements(engine, caller, scope, args)
    if args.batch is not None:
        try:
            ids = [ln.strip() for ln in args.batch.read_text(encoding="utf-8").splitlines()]
        except (OSError, UnicodeDecodeError) as exc:
            print(f"error: cannot read {args.batch}: {exc}", file=sys.stderr)
            return EXIT_FAILED
        ids = [i for i in ids if i]
    else:
        ids = [args.customer_id]
    status, shown = EXIT_OK, []
    with read_session(engine) as session:
        for customer_id in ids:
            # One out of the --as associate's scope is as unknown as one not on record.
            if get_customer(session=session, customer_id=customer_id, scope=scope) is None:
                print(f"error: no customer {customer_id!r}", file=sys.stderr)
                status = EXIT_FAILED
                if args.json:
                    print(
                        json.dumps(
                            {
                                "customer_id": customer_id,
                                "skus": [],
                                "reasons": [],
                                "error": "unknown customer",
                            }
                        )
                    )
                continue
            recs = recommend_for(session=session, customer_id=customer_id, k=args.k)
            shown.append(customer_id)
            if args.json:
                out = {
                    "customer_id": customer_id,
                    "skus": [r.sku for r in recs],
                    "names": [r.name for r in recs],
                    "reasons": [r.reason for r in recs],
                }
                print(json.dumps(out, ensure_ascii=False), flush=True)
            else:
                print(f"{customer_id}:")
                for i, r in enumerate(recs, 1):
                    print(f"  {i:>2}. {r.sku}  {r.name} — {r.reason}")
                if not recs:
                    print("  (nothing to suggest yet)")
    audit.record_views(engine, caller, "recommend", shown)  # one transaction for the batch
    return status


def _complements(engine: Engine, caller: Caller, scope: Scope, args: argparse.Namespace) -> int:
    k = args.k
    sku = args.with_sku.strip()
    with read_session(engine) as session:
        product = product_facts(session=session, skus=[sku]).get(sku)
        if product is None:
            print(f"error: no product {sku!r}", file=sys.stderr)
            return EXIT_FAILED
        customer_id = args.customer_id
        if customer_id is not None and (
            get_customer(session=session, customer_id=customer_id, scope=scope) is None
        ):
            print(f"error: no customer {customer_id!r}", file=sys.stderr)
            return EXIT_FAILED
        found = goes_well_with(session=session, sku=sku, k=k, customer_id=customer_id)
    if customer_id is not None:
        audit.record_views(engine, caller, "recommend", [customer_id])
    if args.json:
        out = {
            "sku": sku,
            "name": product.name,
            "customer_id": customer_id,
            "complements": [
                {
                    "sku": c.sku,
                    "name": c.name,
                    "together": c.together,
                    "lift": c.lift,
                    "reason": c.reason,
                }
                for c in found
            ],
        }
        print(json.dumps(out, ensure_ascii=False))
        return EXIT_OK
    print(f"goes well with {sku}  {product.name}:")
    for i, c in enumerate(found, 1):
        print(f"  {i:>2}. {c.sku}  {c.name} — {c.reason}")
    if not found:
        print("  (no product is bought with it clearly more often than chance yet)")
    return EXIT_OK
