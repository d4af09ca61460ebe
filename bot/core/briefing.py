"""The morning briefing: an associate's day in one message, and the record of who got it.

`briefing` composes it from the associate's own follow-up tasks due today or overdue and, for
their store, the birthdays of the coming week, the top lapsed regulars and the top items due
to be bought again (bot.core.book): a few rows a section, every customer one button that opens
them. The transports send it (Telegram, at BRIEFING_TIME) or print it (`clienteling briefing`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from babel.dates import format_date, format_time
from sqlalchemy import Engine

from bot.core import wording
from bot.core.book import book_list, due_phrase
from bot.core.i18n import _, current_language, locale, ngettext, pick_language, speaking
from bot.core.text import greek_vocative
from bot.core.types import Caller, Intent, Option, Reply
from storage.db import read_session
from storage.followups import open_followups
from storage.scope import EVERYONE, Scope

# Rows a section shows at most. Together they are the 16 buttons a Telegram reply carries at
# most (bot.transports.telegram.render.MAX_OPTIONS), so every customer shown gets one.
FOLLOWUP_ROWS = 5
BIRTHDAY_ROWS = 5
LAPSED_ROWS = 3
DUE_ROWS = 3
# "Birthdays this week": today and the six days after it.
BIRTHDAY_DAYS = 7
# A task's own words are shown to this many characters.
TASK_CHARS = 60


@dataclass
class _Section:
    """One part of the briefing: a heading, its lines, and the customers they name."""

    title: str
    source: str
    lines: list[str] = field(default_factory=list)
    customers: list[tuple[str, str]] = field(default_factory=list)  # (customer id, name)


def briefing(
    engine: Engine,
    caller: Caller,
    *,
    today: date,
    default_language: str = "en",
    currency: str | None = None,
    scope: Scope = EVERYONE,
    greet: bool = True,
) -> Reply:
    """Return the associate's briefing for `today` (the store's local date) as a reply with
    intent `Intent.briefing`: their own open follow-ups due by `today` (by Telegram id; the
    console's, made with none, for a caller without one), then birthdays within BIRTHDAY_DAYS,
    the top LAPSED_ROWS lapsed regulars and the top DUE_ROWS items due again, of the caller's
    store when they have one (else of every store). Empty sections are left out; when all are
    empty the text says so in one friendly line. Each customer shown is one `Intent.overview`
    option (the first time they appear). Written in the caller's language (their preference,
    else `default_language`), amounts in `currency` (ISO 4217; None keeps the current one).
    Only customers in `scope` (storage.scope) are shown; a caller who sees nobody (no store
    under CUSTOMER_SCOPE=store) is told so. `greet` False heads it "Today, <date>" instead of
    "Good morning…" (asked for in a chat at any hour). Reads only."""
    language = pick_language(caller.language, default_language)

    def listed(kind: str, title: str, limit: int) -> _Section:
        return _listed(engine, kind, title, caller, today, limit, scope=scope)

    with speaking(language, currency):
        sections = [
            _followups(engine, caller, today, scope),
            listed("birthdays", _("Birthdays coming up:"), BIRTHDAY_ROWS),
            listed(
                "lapsed", _("Regulars who haven't been in for longer than usual:"), LAPSED_ROWS
            ),
            listed("due", _("Due to buy again:"), DUE_ROWS),
        ]
        shown = [s for s in sections if s.lines]
        parts = [_title(caller, today) if greet else _today(today)]
        parts += ["\n".join([s.title, *s.lines]) for s in shown]
        if scope.nobody:
            parts.append(_(wording.NO_STORE))
        elif not shown:
            parts.append(
                _(
                    "Nothing is waiting for you today: no follow-ups due, no birthdays this "
                    "week and nobody lapsed or due to buy again. Have a good day!"
                )
            )
        options: dict[str, Option] = {}
        for section in shown:
            for customer_id, name in section.customers:
                options.setdefault(
                    customer_id, Option(f"{name} ({customer_id})", Intent.overview, customer_id)
                )
        return Reply(
            text="\n\n".join(parts),
            intent=Intent.briefing,
            options=list(options.values()),
            sources=[s.source for s in shown],
            language=current_language(),
        )


def _today(today: date) -> str:
    return _("Today, {date}").format(date=format_date(today, "full", locale=locale()))


def _title(caller: Caller, today: date) -> str:
    day = format_date(today, "full", locale=locale())
    if caller.telegram_id is None:  # the console: nobody to greet by name
        return _("Good morning! Your briefing for {date}").format(date=day)
    first = caller.name.split()[0] if caller.name.strip() else caller.name
    if current_language() == "el":
        first = greek_vocative(first)  # "Καλημέρα, Νίκο!"
    return _("Good morning, {name}! Your briefing for {date}").format(name=first, date=day)


def _followups(engine: Engine, caller: Caller, today: date, scope: Scope) -> _Section:
    section = _Section(_("Your follow-ups due:"), "followups")
    with read_session(engine) as db:
        tasks = open_followups(
            session=db, telegram_id=caller.telegram_id, due_by=today, scope=scope
        )
        rows = [
            (wording.full_name(customer), customer.customer_id, task.text, task.due_date)
            for task, customer in tasks
        ]
    for name, customer_id, text, due_date in rows[:FOLLOWUP_ROWS]:
        when = due_phrase(due_date, today)
        task = wording.preview(text, TASK_CHARS)
        section.lines.append(f"• {name} ({customer_id}) — {task} · {when}")
        section.customers.append((customer_id, name))
    if (more := len(rows) - FOLLOWUP_ROWS) > 0:
        section.lines.append(
            ngettext("…and {count} more", "…and {count} more", more).format(count=more)
        )
    return section


def _listed(
    engine: Engine,
    kind: str,
    title: str,
    caller: Caller,
    today: date,
    limit: int,
    *,
    scope: Scope,
) -> _Section:
    days = BIRTHDAY_DAYS if kind == "birthdays" else None
    rows = book_list(
        engine, kind, today=today, days=days, store=caller.store, scope=scope, limit=limit
    )
    section = _Section(title, f"list {kind}")
    for row in rows:
        section.lines.append(f"• {row.name} ({row.customer_id}) — {row.reason}")
        section.customers.append((row.customer_id, row.name))
    return section


def format_clock(at: time) -> str:
    """Return a time of day the way the reply's language writes it ("09:00", "9:00")."""
    return str(format_time(at, "short", locale=locale()))


__all__ = ["BIRTHDAY_DAYS", "briefing", "format_clock"]
