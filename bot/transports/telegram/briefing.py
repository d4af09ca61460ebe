"""The morning briefing on Telegram: the job that sends it at BRIEFING_TIME, and `/briefing`.

A repeating job looks every BRIEFING_CHECK whether the store's local time has reached
BRIEFING_TIME; from then until LATE_LIMIT after it, each associate with the briefing on gets
theirs, once a day. "Once" holds across restarts and several bot processes because each
briefing is recorded in the database before it is sent (bot.services.briefings.claim): only the
process whose record goes in sends. A process stopped between the record and the send loses
that associate's briefing for the day (its record keeps no `sent_at`); at most once, never
twice.

A bot started after BRIEFING_TIME (a restart, a deploy) still sends the day's briefings not yet
recorded, up to LATE_LIMIT after the time; later in the day it waits for the next morning,
since a "morning" briefing in the afternoon is noise. The window never runs past midnight.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import JobQueue

from bot.core import briefing
from bot.core.i18n import N_, _
from bot.core.types import Caller, Reply
from bot.services import briefings, feedback
from bot.transports.telegram.guard import Ctx, caller_of
from bot.transports.telegram.render import esc, keyboard, render_parts
from bot.transports.telegram.sending import send_html

log = logging.getLogger(__name__)

JOB_NAME = "morning_briefing"
# How often the job looks at the clock, and how soon after the start it looks first.
BRIEFING_CHECK = timedelta(seconds=60)
FIRST_CHECK = timedelta(seconds=3)
# A bot (re)started up to this long after BRIEFING_TIME still sends that day's briefings.
LATE_LIMIT = timedelta(hours=4)
# What the answer log shows as the "question" a briefing answered.
LOGGED_AS = "(morning briefing)"
USAGE = N_("For example: {example}")


@dataclass
class BriefingRound:
    """The job's state: the local time of day it sends at, and, for the day being sent, the
    associates already decided in this process (sent, or recorded by someone else), so later
    checks that day touch the database with one read only."""

    at: time
    day: date | None = None
    decided: set[int] = field(default_factory=set)


def schedule_briefings(job_queue: JobQueue[Any], at: time) -> None:
    """Send the morning briefings at `at`, the store's local time of day (BRIEFING_TIME)."""
    job_queue.run_repeating(
        send_briefings,
        interval=BRIEFING_CHECK,
        first=FIRST_CHECK,
        data=BriefingRound(at),
        name=JOB_NAME,
    )


def is_due(now: datetime, at: time) -> bool:
    """True when `now` (the store's wall-clock time) is at `at` or up to LATE_LIMIT after it,
    on the same day."""
    start = datetime.combine(now.date(), at, tzinfo=now.tzinfo)
    return start <= now <= start + LATE_LIMIT


async def send_briefings(context: Ctx) -> None:
    """The job: when the briefings are due, send each associate theirs that nobody has
    recorded yet today. A failure for one associate (they blocked the bot, an error in their
    data) is logged and the others still get theirs."""
    job = context.job
    assert job is not None
    assert isinstance(job.data, BriefingRound)
    state = job.data
    assistant = context.shared.assistant
    now = assistant.clock()  # the store's wall-clock time, labelled UTC
    if not is_due(now, state.at):
        return
    if state.day != now.date():
        state.day, state.decided = now.date(), set()
    callers = await asyncio.to_thread(briefings.recipients, assistant.engine)
    for caller in callers:
        telegram_id = caller.telegram_id
        if telegram_id is None or telegram_id in state.decided:
            continue
        try:
            await _brief(context, state, caller, telegram_id)
        except Exception as exc:  # one associate's failure must not stop the others'
            log.error(
                "briefing for %s of %s failed: %s", telegram_id, state.day, type(exc).__name__
            )


async def _brief(context: Ctx, state: BriefingRound, caller: Caller, telegram_id: int) -> None:
    """Claim, compose, log, send and mark one associate's briefing of `state.day`."""
    assistant = context.shared.assistant
    engine = assistant.engine
    assert state.day is not None
    day = state.day
    claimed = await asyncio.to_thread(
        lambda: briefings.claim(
            engine, telegram_id=telegram_id, day=day, now=context.shared.clock()
        )
    )
    # Decided either way: sent by someone else, or ours now (a failure below loses it, see the
    # module docstring); only a claim that raised is tried again at the next check.
    state.decided.add(telegram_id)
    if not claimed:
        return  # sent (or being sent) by an earlier run or another process
    reply = await asyncio.to_thread(
        lambda: briefing.briefing(
            engine,
            caller,
            today=day,
            default_language=assistant.default_language,
            currency=assistant.currency,
            scope=assistant.scope_for(caller),
        )
    )
    # The chat's key, as app._session_key: its buttons act only in this chat.
    chat_key = f"tg:{telegram_id}"
    markup = None
    try:
        answer_id = await asyncio.to_thread(
            lambda: feedback.remember_answer(
                engine, chat_key=chat_key, caller=caller, question=LOGGED_AS, reply=reply
            )
        )
        markup = keyboard(reply, answer_id)
    except Exception as exc:
        log.warning(
            "briefing for %s not logged (%s); sent without buttons", chat_key, type(exc).__name__
        )
    if await _send(telegram_id, reply, context.bot, markup):
        shown = (replace(caller, channel="telegram"), reply)  # for the audit trail
        await asyncio.to_thread(
            lambda: briefings.mark_sent(
                engine, telegram_id=telegram_id, day=day, now=context.shared.clock(), shown=shown
            )
        )
        log.info("morning briefing of %s sent to %s", day, telegram_id)


async def _send(chat_id: int, reply: Reply, bot: Any, markup: InlineKeyboardMarkup | None) -> bool:
    """Send the briefing (buttons on its last part); False, logged, when Telegram refuses."""
    # Not sending.deliver: that never says whether the message went out, and `sent_at` must.
    try:
        for i, part in enumerate(parts := render_parts(reply)):
            await send_html(chat_id, part, bot, markup=markup if i == len(parts) - 1 else None)
    except Forbidden:
        log.warning("briefing not delivered to %s: they blocked the bot", chat_id)
        return False
    except TelegramError as exc:
        log.error("briefing not delivered to %s: %s: %s", chat_id, type(exc).__name__, exc)
        return False
    return True


async def on_briefing(update: Update, context: Ctx) -> None:
    """/briefing [off|on]: turn the morning briefing off or on, or say whether it is on and
    when it comes."""
    if (msg := update.effective_message) is None:
        return
    caller = caller_of(context)
    assert caller.telegram_id is not None  # every associate the guard resolves has one
    telegram_id = caller.telegram_id
    engine = context.shared.assistant.engine
    words = [w.casefold() for w in context.args or []]
    if words and words[0] in ("on", "off"):
        on = words[0] == "on"
        state = await asyncio.to_thread(
            lambda: briefings.switch(engine, telegram_id=telegram_id, on=on)
        )
    elif words:
        await send_html(
            msg.chat_id, esc(_(USAGE).format(example="/briefing off, /briefing on")), msg.get_bot()
        )
        return
    else:
        state = await asyncio.to_thread(lambda: briefings.is_on(engine, telegram_id=telegram_id))
    await send_html(
        msg.chat_id, esc(_state_text(bool(state), _briefing_time(context))), msg.get_bot()
    )


def _state_text(on: bool, at: time | None) -> str:
    if not on:
        return _("Your morning briefing is off. /briefing on turns it back on.")
    if at is None:
        return _(
            "Your morning briefing is on, but this store sends none at the moment "
            "(BRIEFING_TIME is empty)."
        )
    return _("Your morning briefing is on: every day at {time}. /briefing off stops it.").format(
        time=briefing.format_clock(at)
    )


def _briefing_time(context: Ctx) -> time | None:
    """The time the running bot sends briefings at: its scheduled job's, or None."""
    if context.job_queue is None:
        return None
    for job in context.job_queue.get_jobs_by_name(JOB_NAME):
        if isinstance(job.data, BriefingRound):
            return job.data.at
    return None
