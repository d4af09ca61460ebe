"""The reply to a question about many customers: the list it asks for (bot.core.book), a
button per customer, and drafts for the first consenting ones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.core import wording
from bot.core.book import BookRow, book_list, list_text, one_per_customer
from bot.core.bought_days import bought_window
from bot.core.draft_requests import list_options
from bot.core.i18n import _
from bot.core.list_filters import NOTHING_NAMED, Narrowing, narrowing
from bot.core.list_requests import bought_clause, read_list_request
from bot.core.periods import Period, parse_period
from bot.core.retrieval import CANDIDATES, Retrieval
from bot.core.text import folded_words
from bot.core.types import Intent, Option, Reply
from storage.scope import Scope


def customer_list(r: Retrieval, text: str, *, store: str | None, sku: str | None = None) -> Reply:
    """Answer a question about many customers with the list it asks for, over the days it
    names (bot.core.list_requests), of the associate's store when they have one, in their
    scope (storage.scope); a due list only of what it names (bot.core.list_filters). A button
    per customer opens them, and the first consenting ones of the lapsed, due and birthday
    lists get one that drafts a message. `sku`: the product the message names, as the
    assistant read it, for a list of its buyers."""
    today = r.clock().date()
    ask = read_list_request(text, today)
    if ask is None:
        return Reply(text=_(wording.CANNOT_LIST), intent=Intent.lists)
    seen = r.scope.within(store)  # the store's customers (home or bought there) in scope
    if ask.kind == "buyers":
        return _buyers(r, text, ask.days, seen, sku)
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


def _buyers(r: Retrieval, text: str, days: int | None, seen: Scope, sku: str | None) -> Reply:
    """Answer "who bought the moka pot?": the customers who bought the products named (and
    kept some) in the period or the days named, the newest purchase first; the lists it can
    give when the catalogue has none of the words. The words matched to the catalogue
    (bot.core.list_filters) give a kind of product ("a grinder": every grinder); the product
    the assistant read (`sku`) stands for anything else ("the Z7 Pro", "the Aurelia Z7 Pro"
    when the words also match the X5 Pro)."""
    named = narrowing(r, text)
    if sku is not None and not _a_kind(r, text, named.skus):
        named = Narrowing(frozenset({sku}), r.catalogue.products.products[sku].name)
    if not named.skus:
        # Nothing of the catalogue named ("siparişi kim aldı?", who took the order): the lists
        # it can give, as for any list it cannot.
        return Reply(text=_(wording.CANNOT_LIST), intent=Intent.lists)
    today = r.clock().date()
    asked = bought_clause(text)  # not "... to call them today"
    period = None if days else _bought_period(text, today) or parse_period(asked, now=r.clock())
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


def _bought_period(text: str, today: date) -> Period | None:
    """Return the days a question about who bought something names ("yesterday", "last
    week"; bot.core.list_requests.bought_window) as a period, else None."""
    window = bought_window(text, today)
    if window is None:
        return None
    first, last = (datetime.combine(day, time(), UTC) for day in window)
    return Period(first, last + timedelta(days=1), "")


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


def _a_kind(r: Retrieval, text: str, skus: frozenset[str] | None) -> bool:
    """Return whether the products matched are several that all hold a word typed, or a
    category the words name: a kind of product asked for ("grinder", "coffee beans",
    "coffee"), not one product."""
    if not skus or len(skus) < 2:
        return False
    products = r.catalogue.products
    typed = folded_words(text)
    if set.intersection(*(products.tokens_of[s] for s in skus)) & set(typed):
        return True
    named = set(products.categories_named(typed))
    return bool(named) and all(products.products[s].category in named for s in skus)
