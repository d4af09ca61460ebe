"""Sending to Telegram: retries and flood control, and replies that are always delivered.

A computed reply is delivered whatever happens: over-long texts were already split by
`render`, HTML the Bot API refuses is sent again as plain text, and a failure is logged rather
than raised, so it can never turn a saved note into an apology.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from bot.core.assistant import Reply
from bot.transports.telegram.render import MAX_MESSAGE, render_parts, split_message

log = logging.getLogger(__name__)
T = TypeVar("T")
SEND_ATTEMPTS = 4
MAX_RETRY_WAIT = 30.0


async def answer_query(query: Any, text: str | None) -> None:
    """Answer a button press (stopping the spinner), with a short text or none."""
    # The spinner must stop whatever happens next; a failure to stop it is not worth an apology.
    try:
        await retrying(lambda: query.answer(text))
    except TelegramError as exc:
        log.warning("could not answer a button press: %s", type(exc).__name__)


async def deliver(
    chat_id: int, reply: Reply, bot: Any, *, markup: InlineKeyboardMarkup | None
) -> None:
    """Send a computed reply; never raise, so a sending problem is never reported as a failed
    answer (or write). HTML the Bot API refuses falls back to plain text."""
    try:
        for i, part in enumerate(parts := render_parts(reply)):
            await _send_part(chat_id, part, bot, markup if i == len(parts) - 1 else None)
        return
    except BadRequest as exc:
        log.warning("reply to %s refused as HTML (%s); sending plain text", chat_id, exc.message)
    except TelegramError as exc:
        log.error("reply to %s not delivered: %s: %s", chat_id, type(exc).__name__, exc)
        return
    try:
        for part in split_message(reply.text, MAX_MESSAGE, measure=_utf16_length):
            await send_plain(chat_id, part, bot)
    except TelegramError as exc:
        log.error("reply to %s not delivered: %s: %s", chat_id, type(exc).__name__, exc)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


async def send_html(
    chat_id: int,
    text: str,
    bot: Any,
    *,
    markup: InlineKeyboardMarkup | None = None,
) -> Message:
    """Send a short HTML message built by this module (fixed texts, confirmations)."""
    return await _send_part(chat_id, text, bot, markup)


async def _send_part(
    chat_id: int, html_text: str, bot: Any, markup: InlineKeyboardMarkup | None
) -> Message:
    return await retrying(
        lambda: bot.send_message(
            chat_id, html_text, parse_mode=ParseMode.HTML, reply_markup=markup
        )
    )


async def send_plain(chat_id: int, text: str, bot: Any) -> Message:
    """Send a text without markup."""
    return await retrying(lambda: bot.send_message(chat_id, text))


def _retry_after(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 warns that retry_after becomes a timedelta; both forms are handled.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def _worth_retrying(exc: BaseException) -> bool:
    # A request Telegram refused (BadRequest) or a user who blocked the bot (Forbidden) fails
    # the same way again; flood control is waited out when the wait is reasonable.
    if isinstance(exc, RetryAfter):
        return _retry_after(exc) <= MAX_RETRY_WAIT
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)


def _wait(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome is not None else None
    if isinstance(exc, RetryAfter):
        return _retry_after(exc)
    return float(_BACKOFF(state))


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome is not None else None
    log.warning(
        "Bot API %s: retrying in %.1f s (attempt %d)",
        type(exc).__name__,
        state.next_action.sleep if state.next_action else 0.0,
        state.attempt_number,
    )


# Network errors and 5xx: 0.5 s, 1 s, 2 s between the attempts.
_BACKOFF = wait_exponential(multiplier=0.5, min=0.5, max=4)


async def retrying(call: Callable[[], Awaitable[T]]) -> T:
    """Call the Bot API, waiting out flood control (RetryAfter, up to MAX_RETRY_WAIT s) and
    retrying network errors and server errors, SEND_ATTEMPTS attempts in all; raise the last
    error when they all fail, and BadRequest or Forbidden at once."""
    async for attempt in AsyncRetrying(
        retry=retry_if_exception(_worth_retrying),
        stop=stop_after_attempt(SEND_ATTEMPTS),
        wait=_wait,
        before_sleep=_log_retry,
        reraise=True,
    ):
        with attempt:
            result = await call()
    return result
