"""What the audit trail (storage.audit) records of the assistant's work, and when.

A reply shown to an associate is a view of every customer whose records it was composed from:
its sources name them ("customer C0011", the LLM's tools' too), and an answer about one customer
(`CUSTOMER_ANSWERS`) is about its `customer_id` in any case. Each is one entry whose kind is the
reply's intent ("overview", "history", "notes", "recommend", "draft", …). A "which one?" shows
each candidate's name, store and last visit: one "candidates" entry per candidate, so `clienteling
audit --customer C` finds those too. Likewise a customer list is one "list" entry per customer it
shows (detail: the list's name and how many rows; opening a row is an overview of its own), the
morning briefing one "briefing" entry per customer in it. Help, tips and product answers about
no customer record nothing.

Writes are recorded by the storage function that makes them, in its transaction (`audit_as`):
a note ("note"), a follow-up task made ("task"), a contact marked sent ("contact"). Their
replies are no view.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from bot.core.types import Caller, Intent, Reply
from storage.audit import Actor, add_entries

# Answers about one customer: a view of their data whatever their sources say ("I have nothing
# to suggest for María yet" still answers about María; a product answer with a customer says
# whether and when she bought it).
CUSTOMER_ANSWERS = frozenset(
    {
        Intent.overview,
        Intent.history,
        Intent.spend,
        Intent.recommend,
        Intent.sizes,
        Intent.notes,
        Intent.product,
    }
)
_CANDIDATE_LISTS = frozenset({Intent.clarify, Intent.not_found})
# A candidate button's value starts with the customer's id: the id itself, a task's
# "id|day|text" or a draft's "id kind,sku,list" (bot.core.draft_requests).
_VALUE_ID = re.compile(r"[\s|]")

# (kind, customer id, detail)
Entry = tuple[str, str | None, str | None]


def actor_of(caller: Caller) -> Actor:
    """Return who acts, as the audit trail names them: name, Telegram id and channel."""
    return Actor(channel=caller.channel, name=caller.name, telegram_id=caller.telegram_id)


def entries_of(reply: Reply) -> list[Entry]:
    """Return the audit entries showing `reply` to an associate makes (none for most replies
    that show no customer's data)."""
    if reply.intent == Intent.lists:
        return _listed(reply, "customer")
    if reply.intent == Intent.task and reply.customer_id is None:
        return _listed(reply, "task")  # "my tasks": the caller's tasks and their customers
    if reply.intent == Intent.briefing:
        shown = list(
            dict.fromkeys(
                o.value for o in reply.options if o.intent == Intent.overview and o.value
            )
        )
        detail = counted(len(shown), "customer")
        return [("briefing", cid, f"one of {detail}") for cid in shown]
    if reply.intent in _CANDIDATE_LISTS:
        offered = list(
            dict.fromkeys(
                _VALUE_ID.split(o.value, maxsplit=1)[0] for o in reply.options if o.value
            )
        )
        return [("candidates", cid, f"one of {len(offered)}") for cid in offered]
    customers = _sourced(reply.sources, "customer")
    # A product answer shows her purchases of the product only with a product card; tips that
    # fit, or "which product?", show nothing of hers (the conversation just stays with her).
    carded = reply.intent != Intent.product or bool(_sourced(reply.sources, "product"))
    if reply.customer_id and reply.intent in CUSTOMER_ANSWERS and carded:
        customers = list(dict.fromkeys([reply.customer_id, *customers]))
    return [(str(reply.intent), cid, None) for cid in customers]


def record_reply(db: Session, caller: Caller, reply: Reply) -> int:
    """Add the entries of `reply` shown to `caller` to the session (the caller's transaction
    commits them); return how many."""
    return add_entries(session=db, actor=actor_of(caller), entries=entries_of(reply))


def counted(n: int, noun: str) -> str:
    """Return "1 customer", "3 customers": how many rows a list showed, for an entry's detail."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _listed(reply: Reply, noun: str) -> list[Entry]:
    """One "list" entry: the list's name (its "list NAME" source; "followups" for the tasks
    list) and how many `noun`s it showed (its "customer C…" or "task N" sources)."""
    names = _sourced(reply.sources, "list")
    name = names[0] if names else "followups" if noun == "task" else None
    rows = _sourced(reply.sources, noun)
    if name is None or not rows:
        return []  # a list that could not be made, or came out empty, shows nobody
    detail = f"{name}: {counted(len(rows), noun)}"
    # Each customer shown is a view of her data (a row shows her spend, birthday or task), so
    # `clienteling audit --customer C` and her export find it.
    return [("list", cid, detail) for cid in _sourced(reply.sources, "customer")] or [
        ("list", None, detail)
    ]


def _sourced(sources: list[str], what: str) -> list[str]:
    """Return the ids of the sources that name a `what` ("customer C0011" → "C0011"), in
    order, each once."""
    prefix = what + " "
    return list(dict.fromkeys(s[len(prefix) :] for s in sources if s.startswith(prefix)))
