"""Who may read a reply: the guard every Telegram update passes before any handler.

It claims the update once, keeps groups, supergroups and channels to a one-line "message me
privately" (whoever else is in them would read the answer), refuses strangers whatever they
send, and resolves the associate once for the handlers (`context.associate`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.constants import ChatType, MessageEntityType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, CallbackContext, ExtBot

from bot.core.assistant import Assistant
from bot.core.i18n import N_, _, pick_language, use_language
from bot.core.types import Caller
from bot.services import onboarding, updates
from bot.transports.telegram.render import esc, shorten
from bot.transports.telegram.sending import send_html

log = logging.getLogger(__name__)
# The one thing the bot says outside a private chat, in the sender's language.
PRIVATE_ONLY = N_(
    "I only answer in a private chat, so customer data stays out of groups. "
    "Message me directly: @{bot}"
)


@dataclass
class BotContext:
    """What the handlers share: the assistant and the database it reads."""

    assistant: Assistant
    clock: Callable[[], datetime]
    # The suppression list's key (Settings.suppression_key), read when a customer is erased.
    suppression_key: Callable[[], bytes | None] = lambda: None


class HandlerContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], Any]):
    """The context every handler gets: one per update, shared by all its handlers.

    `caller` is the registered associate sending the update, set by the guard before any
    handler runs (None only for a newcomer's `/start CODE`)."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ):
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.caller: Caller | None = None

    @property
    def shared(self) -> BotContext:
        """The assistant and clock the application was built with."""
        ctx: BotContext = self.bot_data["ctx"]
        return ctx


Ctx = HandlerContext


async def guard(update: Update, context: Ctx) -> None:
    """Claim the update once, keep customer data to private chats, refuse strangers, and
    resolve the associate for the handlers.

    It also chooses the language of every fixed text the update's handlers write (they run in
    this task, so `use_language` holds for all of them): the associate's preference, else the
    Telegram client's language, else DEFAULT_LANGUAGE."""
    assistant = context.shared.assistant
    engine = assistant.engine
    chat, user = update.effective_chat, update.effective_user
    # The sender's language until the associate's preference is known (and for strangers).
    client_language = user.language_code if user is not None else None
    use_language(pick_language(client_language, assistant.default_language))
    if not await asyncio.to_thread(updates.claim, engine, update.update_id):
        log.info("update %s was already handled; skipping it", update.update_id)
        raise ApplicationHandlerStop
    if chat is None:
        raise ApplicationHandlerStop  # inline queries, polls…: nothing this bot answers
    if chat.type != ChatType.PRIVATE:
        # Whoever else is in a group or channel would read the answer: never answer there.
        if _addressed_to_bot(update, context):
            await _private_only(update, context)
        raise ApplicationHandlerStop
    if user is None:
        raise ApplicationHandlerStop

    caller = await asyncio.to_thread(onboarding.find_caller, engine, user.id)
    if caller is not None:
        caller = dataclasses.replace(
            caller, client_language=user.language_code, channel="telegram"
        )
        use_language(
            pick_language(caller.language, user.language_code, assistant.default_language)
        )
    context.caller = caller
    if caller is None and not _is_start_with_code(update):
        await refuse(update)
        raise ApplicationHandlerStop


def _addressed_to_bot(update: Update, context: Ctx) -> bool:
    """True for a command, a mention of the bot, a reply to it, a button or a /tip file."""
    if update.callback_query is not None:
        return True
    msg = update.effective_message
    if msg is None:
        return False
    text = msg.text or msg.caption or ""
    if text.startswith("/"):
        return True
    replied = msg.reply_to_message.from_user if msg.reply_to_message is not None else None
    if replied is not None and replied.id == context.bot.id:
        return True
    username = (context.bot.username or "").casefold()
    mentions = msg.parse_entities([MessageEntityType.MENTION]) if msg.text else {}
    mentions |= msg.parse_caption_entities([MessageEntityType.MENTION]) if msg.caption else {}
    return bool(username) and any(m.casefold() == f"@{username}" for m in mentions.values())


async def _private_only(update: Update, context: Ctx) -> None:
    """Say, in the sender's language (set by the guard), to message the bot privately."""
    text = _(PRIVATE_ONLY).format(bot=context.bot.username or "")
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(shorten(text, 200), show_alert=True)
        return
    if (chat := update.effective_chat) is not None:
        await send_html(chat.id, esc(text), update.get_bot())


def _is_start_with_code(update: Update) -> bool:
    msg = update.effective_message
    words = (msg.text or "").split() if msg is not None else []
    return len(words) == 2 and words[0].split("@")[0] == "/start"


async def refuse(update: Update) -> None:
    """Tell a stranger their user id and how to get access, and nothing else."""
    user, chat = update.effective_user, update.effective_chat
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(_("You are not registered."), show_alert=True)
    if chat is None or user is None:
        return
    await send_html(chat.id, refusal_html(user.id), update.get_bot())


def refusal_html(user_id: int) -> str:
    """Return what a stranger is told, as Telegram HTML, in the current language."""
    text = _(
        "Hello! This assistant is for the store's associates only.\n"
        "Your Telegram user id is {user_id}. Ask your manager for an invite code (they send "
        "/invite), then send {start} here."
    )
    # Escaped before the markup goes in: a translation can't break the HTML.
    start = "/start " + _("CODE")
    return esc(text).format(user_id=f"<code>{user_id}</code>", start=f"<code>{esc(start)}</code>")


def caller_of(context: Ctx) -> Caller:
    """Return the associate the guard resolved for this update."""
    # The guard stops every update without one, except /start CODE, which never asks.
    assert context.caller is not None
    return context.caller


async def manager_of(update: Update, context: Ctx) -> Caller | None:
    """Return the sender when they are a manager or admin; tell others it is for managers."""
    associate = caller_of(context)
    if not associate.is_manager:
        if (chat := update.effective_chat) is not None:
            await send_html(chat.id, esc(_("Only managers can do that.")), update.get_bot())
        return None
    return associate
