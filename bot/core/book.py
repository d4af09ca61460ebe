"""The associate's book: customer lists (birthdays, lapsed regulars, VIPs) with a reason each,
worded in the reply's language, for the chat and `clienteling lists`."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine

from bot.core import wording
from bot.core.i18n import _, format_day_month, format_weekday, format_weekday_year, ngettext
from storage.customer_lists import birthdays, due, lapsed, vips
from storage.db import read_session
from storage.followups import open_followups
from storage.product_buyers import buyers
from storage.scope import EVERYONE, Scope

KINDS = ("birthdays", "lapsed", "due", "vip", "followups", "buyers")


@dataclass(frozen=True)
class BookRow:
    """One row of a list: the customer, why they are on it and the figure behind it."""

    customer_id: str
    name: str
    reason: str
    value: float
    sku: str | None = None  # the item due (`due` lists), the one bought (`buyers` lists)
    task_id: int | None = None  # the follow-up task (`followups` lists)
    due_date: date | None = None  # and the day it is due

    def as_dict(self) -> dict[str, object]:
        """Return the row as the `--json` line of `clienteling lists` (`sku` for `due`)."""
        row: dict[str, object] = {
            "customer_id": self.customer_id,
            "name": self.name,
            "reason": self.reason,
            "value": self.value,
        }
        if self.sku is not None:
            row["sku"] = self.sku
        if self.task_id is not None:
            row["task_id"] = self.task_id
            row["due_date"] = self.due_date.isoformat() if self.due_date else None
        return row


def book_list(
    engine: Engine,
    kind: str,
    *,
    today: date,
    days: int | None = None,
    start: int = 0,
    store: str | None = None,
    limit: int = 20,
    telegram_id: int | None = None,
    scope: Scope = EVERYONE,
    skus: Collection[str] = (),
    between: tuple[datetime, datetime] | None = None,
) -> list[BookRow]:
    """Return a list of `kind` (KINDS) as of `today`, best first, at most `limit` rows, its
    reasons in the reply's language. `days`: the birthday window (default 7), starting
    `start` days after `today` ("next week"; the reasons still count from `today`); for lapsed,
    "no visit for `days` days" instead of each customer's own rhythm; for followups, tasks due
    within `days` days after `today` too (default: due by `today`). `telegram_id`: followups
    of that associate only (None: everyone's, of `store` when given). `store` keeps the other
    lists to that store's customers (its home customers and those who bought there), `scope`
    every list to the customers the caller sees (storage.scope). `buyers`: the customers who
    bought any of `skus` (and kept some), in `between` (start included, end excluded: a
    period asked, e.g. "last month") or else within `days` days up to `today` when given, the
    newest purchase first. ValueError for another kind."""
    if kind not in KINDS:
        raise ValueError(f"unknown list {kind!r}: choose one of {', '.join(KINDS)}")
    seen = scope.within(store)
    with read_session(engine) as db:
        if kind == "followups":
            return [
                BookRow(
                    customer.customer_id,
                    wording.full_name(customer),
                    f"{task.text} · {due_phrase(task.due_date, today)}",
                    float((today - task.due_date).days),
                    task_id=task.id,
                    due_date=task.due_date,
                )
                for task, customer in open_followups(
                    session=db,
                    telegram_id=telegram_id,
                    everyone=telegram_id is None,
                    store=store,
                    due_by=today + timedelta(days=days or 0),
                    limit=limit,
                    scope=scope,
                )
            ]
        if kind == "birthdays":
            first = today + timedelta(days=start)
            coming = birthdays(session=db, today=first, days=days or 7, scope=seen)[:limit]
            return [
                BookRow(
                    r.customer.customer_id,
                    wording.full_name(r.customer),
                    _birthday_reason(r.birthday, today),
                    float((r.birthday - today).days),
                )
                for r in coming
            ]
        if kind == "lapsed":
            return [
                BookRow(
                    r.customer.customer_id,
                    wording.full_name(r.customer),
                    _lapsed_reason(r.days, r.usual_days, r.spend),
                    float(r.days),
                )
                for r in lapsed(session=db, today=today, days=days, scope=seen, limit=limit)
            ]
        if kind == "buyers":
            since = _start_of(today - timedelta(days=days - 1)) if days else None
            since, until = between or (since, _start_of(today + timedelta(days=1)))
            return [
                BookRow(
                    r.customer.customer_id,
                    wording.full_name(r.customer),
                    f"{r.product} · {wording.day(r.last_bought)}",
                    float((today - r.last_bought.date()).days),
                    r.sku,
                )
                for r in buyers(
                    session=db,
                    skus=skus,
                    since=since,
                    until=until,
                    scope=seen,
                    limit=limit,
                )
            ]
        if kind == "due":
            return [
                BookRow(
                    r.customer.customer_id,
                    wording.full_name(r.customer),
                    _due_reason(r.product, r.days, r.usual_days, own=r.own_rhythm),
                    float(r.days),
                    r.sku,
                )
                for r in due(session=db, today=today, scope=seen, limit=limit)
            ]
        return [
            BookRow(
                r.customer.customer_id,
                wording.full_name(r.customer),
                ngettext(
                    "{amount} in the last 12 months, {count} order",
                    "{amount} in the last 12 months, {count} orders",
                    r.orders,
                ).format(amount=wording.money(r.spend), count=r.orders)
                + (f" · {r.customer.tier}" if r.customer.tier else ""),
                round(r.spend, 2),
            )
            for r in vips(session=db, today=today, scope=seen, limit=limit)
        ]


def _start_of(day: date) -> datetime:
    """Return the first moment of a store-local day, labelled UTC as purchases are."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def due_day(day: date, today: date) -> str:
    """Return a task's day with its weekday ("Friday 4 December"), and its year when it is not
    `today`'s ("Thursday 25 November 2027")."""
    return format_weekday(day) if day.year == today.year else format_weekday_year(day)


def due_phrase(due: date, today: date) -> str:
    """Return when a task is due, relative to `today`: "overdue by 2 days", "today",
    "tomorrow" or the weekday and date."""
    days = (due - today).days
    if days < 0:
        return ngettext("overdue by {count} day", "overdue by {count} days", -days).format(
            count=-days
        )
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return due_day(due, today)


def _birthday_reason(birthday: date, today: date) -> str:
    days = (birthday - today).days
    if days == 0:
        return _("birthday today")
    return ngettext(
        "birthday in {count} day ({date})", "birthday in {count} days ({date})", days
    ).format(count=days, date=format_day_month(birthday))


def _due_reason(product: str, days: int, usual: float, *, own: bool) -> str:
    every = round(usual)
    rhythm = (
        ngettext("buys it about every {count} day", "buys it about every {count} days", every)
        if own
        else ngettext(
            "its buyers re-buy it about every {count} day",
            "its buyers re-buy it about every {count} days",
            every,
        )
    ).format(count=every)
    last = ngettext("last {count} day ago", "last {count} days ago", days).format(count=days)
    return f"{product}: {rhythm}, {last}"


def _lapsed_reason(days: int, usual: float | None, spend: float) -> str:
    text = ngettext("last visit {count} day ago", "last visit {count} days ago", days).format(
        count=days
    )
    if usual is not None:
        every = round(usual)
        text += ", " + ngettext(
            "usually every {count} day", "usually every {count} days", every
        ).format(count=every)
    if spend > 0:
        text += " · " + _("{amount} in the last 12 months").format(amount=wording.money(spend))
    return text


def list_text(
    kind: str,
    rows: list[BookRow],
    *,
    days: int | None = None,
    window: tuple[date, date] | None = None,
    named: str | None = None,
    unmatched: Sequence[str] = (),
    period: str = "",
) -> str:
    """Return a list as a chat reply: a title and a line per customer. `days`: a lapsed list
    of no visit in that many days; `window`: the first and last day of a birthday list;
    `named`: what a due list was narrowed to, or the products of a buyers list; `period`:
    the period of a buyers list as a phrase ("in 2025", bot.core.wording.period_phrase);
    `unmatched`: words named that the catalogue has nothing for (said first: the list is
    everything due)."""
    if not rows:
        text = _list_empty(kind, days=days, window=window, named=named, period=period)
    else:
        lines = [_list_title(kind, days=days, window=window, named=named, period=period)]
        lines += [f"• {row.name} ({row.customer_id}) — {row.reason}" for row in rows]
        text = "\n".join(lines)
    if unmatched:
        # Said, never dropped silently: the list that follows is not narrowed at all.
        missing = _("I couldn't find “{words}” in the catalogue, so this is everything.")
        text = missing.format(words=" ".join(unmatched)) + "\n" + text
    return wording.clip(text)


def _list_title(
    kind: str,
    *,
    days: int | None,
    window: tuple[date, date] | None,
    named: str | None,
    period: str = "",
) -> str:
    if kind == "lapsed" and days is not None:
        return ngettext(
            "No visit in the last {count} day:", "No visit in the last {count} days:", days
        ).format(count=days)
    if kind == "birthdays" and window is not None:
        first, last = (format_day_month(day) for day in window)
        if window[0] == window[1]:
            return _("Birthdays on {date}:").format(date=first)
        return _("Birthdays from {start} to {end}:").format(start=first, end=last)
    if kind == "due" and named:
        return _("Due to buy again ({named}):").format(named=named)
    if kind == "buyers" and days is not None:
        return ngettext(
            "Bought {named} in the last {count} day:",
            "Bought {named} in the last {count} days:",
            days,
        ).format(named=named or "", count=days)
    if kind == "buyers" and period:
        return _("Bought {named} {period}:").format(named=named or "", period=period)
    if kind == "buyers":
        return _("Bought {named}:").format(named=named or "")
    titles = {
        "birthdays": _("Birthdays coming up:"),
        "lapsed": _("Regulars who haven't been in for longer than usual:"),
        "due": _("Due to buy again:"),
        "vip": _("Your top customers:"),
        "followups": _("Your follow-ups:"),
    }
    return titles[kind]


def _list_empty(
    kind: str,
    *,
    days: int | None,
    window: tuple[date, date] | None,
    named: str | None,
    period: str = "",
) -> str:
    if kind == "lapsed" and days is not None:
        return ngettext(
            "Everyone has been in within the last {count} day.",
            "Everyone has been in within the last {count} days.",
            days,
        ).format(count=days)
    if kind == "birthdays" and window is not None:
        first, last = (format_day_month(day) for day in window)
        if window[0] == window[1]:
            return _("No birthdays on {date}.").format(date=first)
        return _("No birthdays from {start} to {end}.").format(start=first, end=last)
    if kind == "due" and named:
        # Never "nothing is due" when only what was named is not: other items may well be.
        return _("Nobody is due to buy {named} again.").format(named=named)
    if kind == "buyers" and days is not None:
        return ngettext(
            "Nobody bought {named} in the last {count} day.",
            "Nobody bought {named} in the last {count} days.",
            days,
        ).format(named=named or "", count=days)
    if kind == "buyers" and period:
        return _("Nobody bought {named} {period}.").format(named=named or "", period=period)
    if kind == "buyers":
        return _("Nobody has bought {named}.").format(named=named or "")
    empties = {
        "birthdays": _("No birthdays in the coming days."),
        "lapsed": _("Nobody is overdue for a visit."),
        "due": _("Nothing is due to be bought again."),
        "vip": _("No purchases in the last 12 months."),
        "followups": _("No follow-ups due."),
    }
    return empties[kind]


def one_per_customer(rows: Sequence[BookRow]) -> list[BookRow]:
    """Return each customer's first row, in order: one button per customer however many of
    their items are due."""
    first: dict[str, BookRow] = {}
    for row in rows:
        first.setdefault(row.customer_id, row)
    return list(first.values())


__all__ = [
    "KINDS",
    "BookRow",
    "book_list",
    "due_day",
    "due_phrase",
    "list_text",
    "one_per_customer",
]
