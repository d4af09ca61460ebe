"""The reply to a question about many customers: the list it asks for (bot.core.book), a
button per customer, and drafts for the first consenting ones."""

from __future__ import annotations

from bot.core import wording
from bot.core.book import book_list, list_text, one_per_customer
from bot.core.draft_requests import list_options
from bot.core.i18n import _
from bot.core.list_filters import NOTHING_NAMED, narrowing
from bot.core.list_requests import read_list_request
from bot.core.retrieval import CANDIDATES, Retrieval
from bot.core.types import Intent, Option, Reply


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
    people = one_per_customer(rows)  # a customer with two items due is one button
    return Reply(
        text=body,
        intent=Intent.lists,
        options=[
            Option(f"{row.name} ({row.customer_id})", Intent.overview, row.customer_id)
            for row in people[:CANDIDATES]
        ]
        + list_options(r.engine, ask.kind, people),  # drafts to the first customers
        sources=[f"list {ask.kind}", *(f"customer {row.customer_id}" for row in people)],
    )
