"""`clienteling customers export|forget|consent`: the data-protection rights on one customer:
access (everything held, as JSON), erasure, and recording a change of marketing consent."""

from __future__ import annotations

import argparse
import json
import sys

from sqlmodel import Session

from bot.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from bot.core.types import Caller
from bot.services.erasure import ErasurePlan, erase_customer, plan_erasure
from bot.settings import Settings
from bot.wiring import open_database, open_tips
from storage.audit import Actor, add_entry
from storage.consent import set_consent
from storage.customer_export import customer_record
from storage.db import read_session, run_write
from storage.suppression import SuppressionKeyError


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
    fo = cust_sub.add_parser(
        "forget",
        help="erase one customer and everything derived from her (right to erasure)",
        description="Delete the customer's profile, purchase lines, notes, follow-ups, "
        "contacts, consent history, the answers and chat sessions about her, rewrite tips that "
        "name her, and put her id, e-mail and phone on the suppression list (as keyed hashes) "
        "so later imports skip her. Cannot be undone.",
    )
    fo.add_argument("customer_id", metavar="CUSTOMER_ID")
    fo.add_argument("--reason", help="why (kept in the audit trail; not if it names her)")
    fo.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    fo.set_defaults(run=customers_forget)
    co = cust_sub.add_parser(
        "consent",
        help="record that a customer gave or withdrew marketing consent",
    )
    co.add_argument("customer_id", metavar="CUSTOMER_ID")
    co.add_argument("state", choices=("yes", "no"), help="yes: agreed; no: withdrew")
    co.add_argument("--by", help="who recorded it (default: console, the local user)")
    co.set_defaults(run=customers_consent)


def customers_export(settings: Settings, args: argparse.Namespace) -> int:
    """Print one customer's record as one JSON document."""
    engine = open_database(settings)
    with read_session(engine) as session:
        record = customer_record(session=session, customer_id=args.customer_id)
    if record is None:
        print(f"error: no customer {args.customer_id!r}", file=sys.stderr)
        return EXIT_USAGE
    run_write(
        engine,
        lambda session: add_entry(
            session=session, actor=_actor(), kind="export", customer_id=args.customer_id
        ),
    )
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


def _actor(name: str | None = None) -> Actor:
    # The machine's own user, as every other command names them (Caller.local_admin), unless
    # `--by` says who.
    return Actor(channel="cli", name=name or Caller.local_admin().name)


def customers_forget(settings: Settings, args: argparse.Namespace) -> int:
    """Erase one customer after showing what goes (and asking, unless --yes)."""
    engine = open_database(settings)
    tips = open_tips(settings)
    plan = plan_erasure(engine, tips, args.customer_id)
    if plan is None:
        print(f"error: no customer {args.customer_id!r}", file=sys.stderr)
        return EXIT_USAGE
    print(_describe(plan))
    if not args.yes:
        if not sys.stdin.isatty():
            print("error: not confirmed: add --yes to erase without asking", file=sys.stderr)
            return EXIT_USAGE
        answer = input(f"Erase {plan.customer_id} for good? This cannot be undone. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing was erased")
            return EXIT_OK
    try:
        done = erase_customer(
            engine,
            tips,
            customer_id=plan.customer_id,
            suppression_key=settings.suppression_key() or b"",
            actor=_actor(),
            reason=args.reason,
        )
    except SuppressionKeyError as exc:
        print(f"error: {exc}; nothing was erased", file=sys.stderr)
        return EXIT_FAILED
    removed = ", ".join(f"{n} {what}" for what, n in done.erasure.removed.items() if n)
    print(f"erased {plan.customer_id}: {removed}")
    if done.tips_not_wiped:
        print(
            "warning: these tips were rewritten without the customer's name, but their old "
            f"text could not be wiped from the Chroma directory: {', '.join(done.tips_not_wiped)}",
            file=sys.stderr,
        )
    if done.tips_rewritten:
        print(
            "tips that named the customer, rewritten without the name: "
            + ", ".join(done.tips_rewritten)
        )
    print(
        "the id, e-mail and phone are on the suppression list (keyed hashes): imports will "
        f"skip this customer; the audit trail now says {done.erasure.pseudonym}"
    )
    return EXIT_OK


def _describe(plan: ErasurePlan) -> str:
    lines = [
        f"{plan.customer_id} {plan.name}: {plan.purchase_lines} purchase lines, {plan.notes} "
        f"notes, {plan.followups} follow-ups, {plan.contacts} contacts, {plan.answers} "
        "answers about this customer"
    ]
    for tip in plan.tips:
        lines.append(f"tip {tip.tip_id} names the customer: {tip.text[:70]}")
    return "\n".join(lines)


def customers_consent(settings: Settings, args: argparse.Namespace) -> int:
    """Record a change of one customer's marketing consent in its history."""
    engine = open_database(settings)
    agreed = args.state == "yes"
    actor = _actor(args.by)

    def record(session: Session) -> bool | None:
        try:
            change = set_consent(
                session=session,
                customer_id=args.customer_id,
                consent=agreed,
                source="cli",
                changed_by=actor.name,
            )
        except LookupError:
            return None
        if change is not None:
            add_entry(
                session=session,
                actor=actor,
                kind="consent",
                customer_id=args.customer_id,
                detail="agreed" if agreed else "withdrew",
            )
        return change is not None

    changed = run_write(engine, record)
    if changed is None:
        print(f"error: no customer {args.customer_id!r}", file=sys.stderr)
        return EXIT_USAGE
    if changed:
        state = "agreed to" if agreed else "withdrew from"
        print(f"{args.customer_id} {state} marketing messages: recorded")
    else:
        state = "agreed to" if agreed else "withdrawn from"
        print(f"{args.customer_id} had already {state} marketing messages: nothing changed")
    return EXIT_OK
