"""The Telegram adapter: python-telegram-bot handlers over the assistant core.

Handlers only translate: who is asking (and may they), what they typed or pressed, and how the
reply looks on a phone. Answers come from `Assistant.answer`, the same as the console's.

Who reads a reply matters as much as who asks: customer data and tips are only ever sent to a
private chat with a registered associate. One guard, run before every handler, claims the
update, keeps groups and channels to a one-line "message me privately", refuses strangers
whatever they send, and resolves the associate once for the handlers (`context.caller`). It
also sets the language the handlers' fixed texts are written in (bot.core.i18n): the associate's
`/language` preference, else the Telegram client's, else DEFAULT_LANGUAGE.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.core import wording as replies
from bot.core.assistant import Assistant
from bot.core.i18n import (
    N_,
    SOURCE_LANGUAGE,
    _,
    available_languages,
    speaking,
)
from bot.core.types import Caller, Option
from bot.redaction import redact
from bot.services import audit, feedback, updates
from bot.settings import Settings
from bot.transports.telegram import erasure as telegram_erasure
from bot.transports.telegram import tips as telegram_tips
from bot.transports.telegram.briefing import on_briefing, schedule_briefings
from bot.transports.telegram.chats import PerChatUpdateProcessor
from bot.transports.telegram.guard import (
    BotContext,
    Ctx,
    HandlerContext,
    caller_of,
    guard,
)
from bot.transports.telegram.people import on_invite, on_language, on_start
from bot.transports.telegram.render import (
    VOTE,
    esc,
    keyboard,
    parse_button,
    render_parts,
    split_message,
)
from bot.transports.telegram.sending import answer_query, deliver, retrying, send_html

__all__ = ["build_application", "render_parts", "split_message", "webhook_path", "webhook_secret"]

log = logging.getLogger(__name__)

# The command menu: each command and its description (an English message id, shown in the
# client's language: `bot_commands`).
COMMANDS = [
    ("customer", N_("who is a customer: /customer María López")),
    ("product", N_("a product and its tips: /product AeroPress")),
    ("note", N_("remember something: /note Hiroshi: kitchen in spring")),
    ("tasks", N_("your follow-ups: remind me to call María on Friday")),
    ("tips", N_("list tips: /tips [product]")),
    ("tip", N_("managers: add a tip: /tip [product] text")),
    ("deltip", N_("managers: delete a tip: /deltip ID")),
    ("forget", N_("managers: erase a customer for good: /forget ID")),
    ("invite", N_("managers: a one-time code for a new associate")),
    ("language", N_("the language I reply in: /language es, /language auto")),
    ("briefing", N_("the morning briefing: /briefing off, /briefing on")),
    ("help", N_("what you can ask")),
]
TYPING_AFTER = 0.5
# Telegram redelivers an update for about a day at most; a week of ids is plenty to dedupe.
KEEP_UPDATES = timedelta(days=7)
HOUSEKEEPING_EVERY = timedelta(hours=6)
EXPIRED = N_("This button has expired.")
NOT_TEXT = N_(
    "I read text: ask about a customer or a product in your own words "
    "(managers: send a file with the caption /tip to add tips)."
)


def file_base_url(api_base_url: str) -> str:
    """Return the file download base for a Bot API base URL (…/bot → …/file/bot)."""
    base = api_base_url.rstrip("/")
    head, _slash, tail = base.rpartition("/")
    return f"{head}/file/{tail}"


def webhook_secret(token: str) -> str:
    """Return the secret Telegram must send with webhook posts (stable for one token)."""
    return hashlib.sha256(f"clienteling-webhook:{token}".encode()).hexdigest()[:48]


def build_application(
    assistant: Assistant,
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Build the bot: the guard, handlers, commands and error handling over the assistant."""
    token = settings.telegram_token
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set: get one from @BotFather")
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.TELEGRAM_API_BASE_URL)
        .base_file_url(file_base_url(settings.TELEGRAM_API_BASE_URL))
        .context_types(ContextTypes(context=HandlerContext))
        .post_init(_post_init)
        .concurrent_updates(PerChatUpdateProcessor())
    )
    if settings.TELEGRAM_RATE_LIMIT > 0:
        # Flood control before Telegram has to say so: queued, not refused.
        limiter = AIORateLimiter(
            overall_max_rate=settings.TELEGRAM_RATE_LIMIT, overall_time_period=1
        )
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]  # PTB's generics
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    app = builder.build()
    app.bot_data["ctx"] = BotContext(
        assistant=assistant,
        clock=clock or (lambda: datetime.now(UTC)),
        suppression_key=settings.suppression_key,
    )
    # Group -1 runs first: repeated updates, other chats than private ones and strangers stop
    # here, before any handler sees them.
    app.add_handler(TypeHandler(Update, guard), group=-1)
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CommandHandler("help", on_help))
    app.add_handler(CommandHandler("invite", on_invite))
    app.add_handler(CommandHandler("language", on_language))
    app.add_handler(CommandHandler("briefing", on_briefing))
    app.add_handler(CommandHandler("customer", on_customer))
    app.add_handler(CommandHandler("product", on_product))
    app.add_handler(CommandHandler("note", on_note))
    app.add_handler(CommandHandler("tasks", on_tasks))
    app.add_handler(CommandHandler("tip", telegram_tips.on_tip))
    app.add_handler(CommandHandler("tips", telegram_tips.on_tips))
    app.add_handler(CommandHandler("deltip", telegram_tips.on_deltip))
    app.add_handler(CommandHandler("forget", telegram_erasure.on_forget))
    app.add_handler(MessageHandler(filters.Document.ALL, telegram_tips.on_document))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(
        CallbackQueryHandler(telegram_erasure.on_forget_button, pattern=telegram_erasure.PATTERN)
    )
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.ALL, on_other))
    app.add_error_handler(on_error)
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            forget_old_updates,
            interval=HOUSEKEEPING_EVERY,
            first=60,
            data=settings.AUDIT_RETENTION_DAYS,
        )
        if settings.briefing_time is not None:
            schedule_briefings(app.job_queue, settings.briefing_time)
    return app


def bot_commands() -> list[BotCommand]:
    """Return the command menu with its descriptions in the current language."""
    return [BotCommand(command, _(description)) for command, description in COMMANDS]


async def _post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    # The menu in English for every client, and in each other language for clients set to it.
    with speaking(SOURCE_LANGUAGE):
        await retrying(functools.partial(app.bot.set_my_commands, bot_commands()))
    for code in available_languages():
        if code == SOURCE_LANGUAGE:
            continue
        with speaking(code):
            commands = bot_commands()
        await retrying(functools.partial(app.bot.set_my_commands, commands, language_code=code))
    log.info(
        "Clienteling bot is up as @%s (%s) in %s",
        app.bot.username,
        app.bot.first_name,
        app.bot_data.get("mode", "an embedded application"),
    )


# --- commands ------------------------------------------------------------------------------------


async def on_help(update: Update, _context: Ctx) -> None:
    """Show what can be asked."""
    if (msg := update.effective_message) is None:
        return
    await send_html(msg.chat_id, esc(_(replies.HELP)), msg.get_bot())


async def on_customer(update: Update, context: Ctx) -> None:
    """/customer NAME: who the customer is."""
    await _command_as_question(update, context, "who is {}", "/customer María López")


async def on_product(update: Update, context: Ctx) -> None:
    """/product NAME: the product and its tips."""
    await _command_as_question(update, context, "tips for {}", "/product AeroPress")


async def on_note(update: Update, context: Ctx) -> None:
    """/note NAME: text — remember something about a customer."""
    await _command_as_question(update, context, "note for {}", "/note Hiroshi: kitchen in spring")


async def on_tasks(update: Update, context: Ctx) -> None:
    """/tasks: the associate's open follow-ups, with Done / Snooze buttons."""
    if (chat := update.effective_chat) is None:
        return
    await _answer(context, chat.id, caller_of(context), "/tasks")


async def _command_as_question(update: Update, context: Ctx, form: str, example: str) -> None:
    if (msg := update.effective_message) is None or (chat := update.effective_chat) is None:
        return
    rest = " ".join(context.args or [])
    if not rest:
        text = _("For example: {example}").format(example=example)
        await send_html(chat.id, esc(text), msg.get_bot())
        return
    await _answer(context, chat.id, caller_of(context), form.format(rest))


# --- questions and buttons -----------------------------------------------------------------------


async def on_text(update: Update, context: Ctx) -> None:
    """Free text: the assistant answers, with buttons for the follow-ups it offers."""
    if (msg := update.effective_message) is None or (chat := update.effective_chat) is None:
        return
    if not msg.text:
        return
    await _answer(context, chat.id, caller_of(context), msg.text)


async def on_other(update: Update, context: Ctx) -> None:
    """Stickers, photos, locations, voice… and unknown commands: say what the bot can read."""
    if (msg := update.effective_message) is None or context.caller is None:
        return
    if msg.text and msg.text.startswith("/"):
        command = msg.text.split()[0]
        text = _("I don't know the command {command}.").format(command=command)
        await send_html(msg.chat_id, esc(f"{text}\n\n{_(replies.HELP)}"), msg.get_bot())
        return
    await send_html(msg.chat_id, esc(_(NOT_TEXT)), msg.get_bot())


async def on_button(update: Update, context: Ctx) -> None:
    """A button: a follow-up option continues the chat's session; 👍/👎 is stored.

    A button acts only on an answer this chat was given; anything else (forged, malformed or
    from before a reset) gets "expired", which also stops the client's spinner."""
    query = update.callback_query
    if query is None or (chat := update.effective_chat) is None:
        return
    caller = caller_of(context)
    engine = context.shared.assistant.engine
    button = parse_button(query.data)
    key = _session_key(chat.id)
    options = None
    if button is not None:
        answer_id = button.answer_id
        options = await asyncio.to_thread(
            lambda: feedback.logged_options(engine, answer_id, chat_key=key)
        )
    if button is None or options is None:
        await answer_query(query, _(EXPIRED))
        return
    if button.kind == VOTE:
        value = button.value
        await asyncio.to_thread(
            lambda: feedback.vote(engine, answer_id=answer_id, caller=caller, value=value)
        )
        await answer_query(query, _("Thanks for the feedback!"))
        return
    option = options[button.value] if button.value < len(options) else None
    if option is None:
        await answer_query(query, _(EXPIRED))
        return
    await answer_query(query, None)
    await _answer(context, chat.id, caller, option)


def _session_key(chat_id: int) -> str:
    return f"tg:{chat_id}"


async def _answer(context: Ctx, chat_id: int, caller: Caller, asked: str | Option) -> None:
    """Answer a message (or a pressed option) and send the reply with its buttons."""
    assistant = context.shared.assistant
    key = _session_key(chat_id)
    typing = asyncio.create_task(_typing_after(context, chat_id))
    try:
        if isinstance(asked, Option):
            reply = await asyncio.to_thread(assistant.follow, caller, asked, key)
        else:
            reply = await asyncio.to_thread(assistant.answer, caller, asked, key)
    finally:
        typing.cancel()
    question = asked.label if isinstance(asked, Option) else asked
    # From here on, whatever the answer wrote (a note) is written: nothing below may turn it
    # into an apology. Without its log entry the answer still goes out, only without buttons.
    markup = None
    try:
        answer_id = await asyncio.to_thread(
            lambda: feedback.remember_answer(
                assistant.engine, chat_key=key, caller=caller, question=question, reply=reply
            )
        )
        markup = keyboard(reply, answer_id)
    except Exception as exc:
        log.warning("answer for %s not logged (%s); sent without buttons", key, type(exc).__name__)
    await deliver(chat_id, reply, context.bot, markup=markup)


async def _typing_after(context: Ctx, chat_id: int) -> None:
    """Show "typing…" when an answer takes longer than a moment."""
    await asyncio.sleep(TYPING_AFTER)
    with contextlib.suppress(TelegramError):
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)


async def forget_old_updates(context: Ctx) -> None:
    """Housekeeping: drop the record of updates handled more than a week ago, and the audit
    entries older than AUDIT_RETENTION_DAYS days (the job's data)."""
    engine, now = context.shared.assistant.engine, context.shared.clock()
    before = now - KEEP_UPDATES
    forgotten = await asyncio.to_thread(updates.forget_before, engine, before)
    if forgotten:
        log.info("forgot %d handled update id(s) older than %s", forgotten, before)
    days = context.job.data if context.job is not None else None
    if isinstance(days, int):
        gone, cutoff = await asyncio.to_thread(
            lambda: audit.forget_old_entries(engine, now=now, days=days)
        )
        if gone:
            log.info("forgot %d audit entries older than %s", gone, cutoff)


async def on_error(update: object, context: Ctx) -> None:
    """Log a failed update (its id, the handler, the error's type and message: never the
    message text or customer data) and tell the associate, briefly, that it went wrong."""
    update_id = update.update_id if isinstance(update, Update) else None
    error = context.error
    log.error(
        "update %s failed in %s: %s: %s",
        update_id,
        _failed_handler(error),
        type(error).__name__,
        redact(str(error)),
    )
    if isinstance(update, Update) and (chat := update.effective_chat) is not None:
        if chat.type != ChatType.PRIVATE:
            return  # nothing but the private-chat line is ever said in a group
        with contextlib.suppress(TelegramError):
            text = _("Sorry, something went wrong with that one. Please try again.")
            await send_html(chat.id, esc(text), context.bot)


def _failed_handler(error: BaseException | None) -> str:
    """Return the name of this module's handler the error came through, from its traceback."""
    tb = error.__traceback__ if error is not None else None
    while tb is not None:
        code = tb.tb_frame.f_code
        if tb.tb_frame.f_globals.get("__name__") == __name__ and (
            code.co_name.startswith("on_") or code.co_name == "guard"
        ):
            return code.co_name
        tb = tb.tb_next
    return "an unknown handler"


def webhook_path(url: str) -> str:
    """Return the path part of a webhook URL, which the local server must listen on."""
    return urlsplit(url).path.lstrip("/")
