"""The reply to a question about many customers: the list it asks for (bot.core.book), a
button per customer, and drafts for the first consenting ones."""

from __future__ import annotations

from bot.core import wording
from bot.core.book import BookRow, book_list, list_text, one_per_customer
from bot.core.draft_requests import list_options
from bot.core.i18n import _
from bot.core.list_filters import NOTHING_NAMED, narrowing
from bot.core.list_requests import read_list_request
from bot.core.periods import parse_period
from bot.core.retrieval import CANDIDATES, Retrieval
from bot.core.types import Intent, Option, Reply
from storage.scope import Scope


def customer_list(r: Retrieval, text: str, *, store: str | None) -> Reply:
    """Answer a question about many customers with the list it asks for, over the days it
    names (bot.core.list_requests), of the associate's store when they have one, in their
    scope (storage.scope); a due list only of what it names (bot.core.list_filters). A button
    per customer opens them, and the first consenting ones of the lapsed, due and birthday
    lists get one that drafts a message."""
    today = r.clock().date()
    ask = read_list_request(text, today)
    if ask is None:
        return Reply(text=_(wording.CANNOT_LIST), intent=Intent.lists)
    seen = r.scope.within(store)  # the store's customers (home or bought there) in scope
    if ask.kind == "buyers":
        return _buyers(r, text, ask.days, seen)
    rows = book_list(
        r.engine, ask.kind, today=today, days=ask.days, start=ask.start, scope=seen, limit=500
    )
    named = narrowing(r, text) if ask.kind == "due" else NOTHING_NAMED
    rows = named.rows(rows)[:10]
    body = list_text(
        ask.kind,
        rows,
        days=ask.days,
        window=ask.window,
        named=named.label,
        unmatched=named.unmatched,
    )
    return _reply(r, ask.kind, body, rows)


def _buyers(r: Retrieval, text: str, days: int | None, seen: Scope) -> Reply:
    """Answer "who bought the moka pot?": the customers who bought the products named (and
    kept some) in the period or the days named, the newest purchase first; "which product?"
    when the catalogue has none of the words."""
    named = narrowing(r, text)
    if not named.skus:
        missing = " ".join(named.unmatched)
        found = _("I couldn't find “{words}” in the catalogue.").format(words=missing)
        ask = _("Which product? Name it as the catalogue does: “who bought the …?”")
        return Reply(text=f"{found} {ask}" if missing else ask, intent=Intent.lists)
    today = r.clock().date()
    period = None if days else parse_period(text, now=r.clock())
    rows = book_list(
        r.engine,
        "buyers",
        today=today,
        days=days,
        scope=seen,
        limit=10,
        skus=named.skus,
        between=(period.start, period.end) if period else None,
    )
    body = list_text(
        "buyers",
        rows,
        days=days,
        named=named.label,
        period=wording.period_phrase(period) if period else "",
    )
    return _reply(r, "buyers", body, rows)


def _reply(r: Retrieval, kind: str, body: str, rows: list[BookRow]) -> Reply:
    people = one_per_customer(rows)  # a customer with two items due is one button
    return Reply(
        text=body,
        intent=Intent.lists,
        options=[
            Option(f"{row.name} ({row.customer_id})", Intent.overview, row.customer_id)
            for row in people[:CANDIDATES]
        ]
        + list_options(r.engine, kind, people),  # drafts to the first customers
        sources=[f"list {kind}", *(f"customer {row.customer_id}" for row in people)],
    )
