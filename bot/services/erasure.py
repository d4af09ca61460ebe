"""Erasing a customer, as every transport does it (the CLI's `customers forget`, Telegram's
`/forget`): what would go, then the erasure itself, the tip store and the database files."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from bot.core.assistant import Assistant
from bot.core.audit import actor_of
from bot.core.shopping_refresh import refresh_recommendations
from bot.core.types import Caller
from knowledge.purge import PurgeError
from knowledge.tips import Tip, TipStore, list_tips, replace_tip_text
from storage.audit import Actor
from storage.db import read_session, run_write
from storage.erasure import Erasure, Identifiers, clear_freed_space, forget_customer
from storage.models import (
    AnswerLog,
    Contact,
    Customer,
    FollowUp,
    Note,
    Purchase,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErasurePlan:
    """What erasing one customer would remove, to show before asking for confirmation."""

    customer_id: str
    name: str
    purchase_lines: int
    notes: int
    followups: int
    contacts: int
    answers: int
    tips: list[Tip] = field(default_factory=list)


@dataclass(frozen=True)
class ErasureDone:
    """What an erasure removed, and the tips whose text named her (now rewritten)."""

    erasure: Erasure
    tips_rewritten: list[str]
    # Rewritten, but their old text could not be wiped from the Chroma directory.
    tips_not_wiped: list[str] = field(default_factory=list)


def plan_erasure(engine: Engine, tips: TipStore | None, customer_id: str) -> ErasurePlan | None:
    """Return what erasing `customer_id` would remove, or None for an unknown customer."""
    with read_session(engine) as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            return None
        who = Identifiers.of(customer)
        lines, notes, followups, contacts, answers = (
            _count(session, table, customer_id)
            for table in (Purchase, Note, FollowUp, Contact, AnswerLog)
        )
        name = " ".join(p for p in (customer.first_name, customer.last_name) if p) or customer_id
    found = _tips_naming(tips, who) if tips is not None else []
    return ErasurePlan(customer_id, name, lines, notes, followups, contacts, answers, found)


def erase_customer(
    engine: Engine,
    tips: TipStore | None,
    *,
    customer_id: str,
    suppression_key: bytes,
    actor: Actor,
    reason: str | None = None,
) -> ErasureDone:
    """Erase the customer (see storage.erasure), rewrite the tips that name her, refresh the
    recommendation signals and clear the database's freed space.

    Raises LookupError for an unknown customer, storage.suppression.SuppressionKeyError for a
    suppression key that is not the list's; the database's errors as they come.
    """
    erasure = run_write(
        engine,
        lambda session: forget_customer(
            session=session,
            customer_id=customer_id,
            suppression_key=suppression_key,
            actor=actor,
            reason=reason,
        ),
    )
    who = erasure.identifiers
    try:
        rewritten, not_wiped = _rewrite_tips(tips, who) if tips is not None else ([], [])
        if erasure.removed.get("purchase lines"):
            # Her lines are gone (and the shopping model with them): popularity, re-buy
            # rhythms and the model are learned again from the others.
            run_write(engine, lambda session: refresh_recommendations(session=session, full=True))
    finally:
        clear_freed_space(engine)  # whatever failed above, her deleted rows are wiped
    return ErasureDone(erasure, rewritten, not_wiped)


def _tips_naming(tips: TipStore, who: Identifiers) -> list[Tip]:
    # Her full name, e-mail or phone in any form; not her bare id, which in a tip is more
    # likely a number or a code of something else.
    return [tip for tip in list_tips(tips) if who.named_in(tip.text, with_id=False)]


def _rewrite_tips(tips: TipStore, who: Identifiers) -> tuple[list[str], list[str]]:
    # (rewritten and wiped, rewritten but the old text still on disk)
    changed: list[str] = []
    not_wiped: list[str] = []
    for tip in _tips_naming(tips, who):
        try:
            replace_tip_text(tips, tip.tip_id, who.redact(tip.text))
        except PurgeError:
            log.exception("tip %s rewritten, its old text not wiped from disk", tip.tip_id)
            not_wiped.append(tip.tip_id)
            continue
        changed.append(tip.tip_id)
    return changed, not_wiped


def _count(session: Session, table: type, customer_id: str) -> int:
    column = table.__table__.c.customer_id  # type: ignore[attr-defined]
    return int(
        session.exec(select(func.count()).select_from(table).where(column == customer_id)).one()
    )


def plan_for(assistant: Assistant, caller: Caller, customer_id: str) -> ErasurePlan | None:
    """Return what erasing `customer_id` would remove, or None when there is no such customer
    among those `caller` may see (out of scope is "no such customer", as everywhere)."""
    if not _visible(assistant, caller, customer_id):
        return None
    return plan_erasure(assistant.engine, assistant.tips, customer_id.strip())


def _visible(assistant: Assistant, caller: Caller, customer_id: str) -> bool:
    with read_session(assistant.engine) as db:
        found = assistant.retrieval.for_caller(caller).customer(db, customer_id.strip())
    return found is not None


def erase_for(
    assistant: Assistant,
    caller: Caller,
    customer_id: str,
    *,
    suppression_key: bytes,
    reason: str | None = None,
) -> ErasureDone | None:
    """Erase a customer `caller` may see (None when they may not, or she is gone already),
    recorded as done by `caller`; the assistant forgets her name at once."""
    if not _visible(assistant, caller, customer_id):
        return None
    try:
        done = erase_customer(
            assistant.engine,
            assistant.tips,
            customer_id=customer_id.strip(),
            suppression_key=suppression_key,
            actor=actor_of(caller),
            reason=reason,
        )
    except LookupError:  # erased by someone else since the check
        return None
    assistant.catalogue.refresh()
    return done
