"""What every command shares: exit codes, database errors in one line, the caller, progress."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from bot.core.types import Caller
from bot.services.onboarding import caller_of
from bot.settings import Settings
from storage.associates import list_associates
from storage.db import is_busy, read_session
from storage.local_times import local_time, store_zone
from storage.scope import Scope

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def database_problem(exc: DBAPIError) -> str:
    """Return what went wrong with the database, and what to do, in one line."""
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
    if is_busy(reason):
        return (
            f"the database stayed busy ({reason}): another program held its write lock for "
            "too long; try again when the other import or job has finished"
        )
    if exc.connection_invalidated or "connect" in reason.lower():
        return f"cannot reach the database ({reason}): check DATABASE_URL and that it is running"
    return f"the database refused the change ({type(exc.orig).__name__}: {reason})"


def caller_named(engine: Engine, who: str | None) -> Caller:
    """Return the associate named by --as (a name or a Telegram id), or the local admin."""
    if not who:
        return Caller.local_admin()
    with read_session(engine) as session:
        for a in list_associates(session=session):
            if who in (str(a.telegram_id), a.name) or who.casefold() == a.name.casefold():
                return caller_of(a)
    raise LookupError(
        f"no associate {who!r}: see `clienteling associates list`, or add one with "
        "`clienteling associates add`"
    )


def caller_scope(settings: Settings, caller: Caller) -> Scope:
    """Return the customers `caller` sees under CUSTOMER_SCOPE (all for the local admin);
    says on stderr when that is nobody (an associate without a store)."""
    scope = Scope.of(settings.CUSTOMER_SCOPE, role=caller.role, store=caller.store)
    if scope.nobody:
        print(
            f"note: {caller.name} has no store and CUSTOMER_SCOPE=store: they see no customers "
            "(set one with `clienteling associates add ... --store S`)",
            file=sys.stderr,
        )
    return scope


@contextmanager
def progress(label: str) -> Iterator[Callable[[int], None] | None]:
    """Yield a line-count callback drawing a progress bar, or None when stderr is no terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(desc=label, unit=" lines", unit_scale=True, file=sys.stderr, leave=False) as bar:

        def tick(done: int) -> None:
            bar.update(done - bar.n)

        yield tick


def store_today(settings: Settings, given: str | None) -> date:
    """Return the day a command works as of: `given` (--date, YYYY-MM-DD) or today in the
    store's time zone (STORE_TIMEZONE). ValueError naming the bad value and the form wanted."""
    if given:
        try:
            return date.fromisoformat(given)
        except ValueError:
            raise ValueError(f"--date {given!r} is not a date like 2026-11-30") from None
    return local_time(datetime.now(UTC), store_zone(settings.STORE_TIMEZONE)).wall.date()
