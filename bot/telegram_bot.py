"""The Telegram adapter: python-telegram-bot handlers over the assistant core.

Handlers only translate: who is asking (and may they), what they typed or pressed, and how the
reply looks on a phone. Answers come from `Assistant.answer`, the same as the console's.

Who reads a reply matters as much as who asks: customer data and tips are only ever sent to a
private chat with a registered associate. One guard, run before every handler, claims the
update, keeps groups and channels to a one-line "message me privately", refuses strangers
whatever they send, and resolves the associate once for the handlers (`context.associate`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import warnings
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sqlmodel import Session
from telegram import BotCommand, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType, MessageEntityType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest
from telegram.warnings import PTBDeprecationWarning

from bot import replies
from bot.assistant import Assistant, Caller, Reply
from bot.redaction import redact
from bot.settings import Settings
from bot.telegram_render import (
    MAX_MESSAGE,
    VOTE,
    esc,
    keyboard,
    parse_button,
    render_parts,
    sent_length,
    shorten,
    split_message,
)
from bot.text import folded_words
from knowledge.documents import detect_language, read_document
from knowledge.ingest import TipsFileError
from knowledge.tips import Tip, add_tips, delete_tip, list_tips, make_tip_id
from storage.access import InviteError, create_invite, redeem_invite
from storage.associates import find_associate
from storage.customers import known_skus
from storage.db import run_write
from storage.feedback import get_answer, log_answer, record_vote
from storage.models import Associate, Role
from storage.updates import claim_update, forget_updates_before

__all__ = ["build_application", "render_parts", "split_message", "webhook_path", "webhook_secret"]

log = logging.getLogger(__name__)
T = TypeVar("T")

COMMANDS = [
    BotCommand("customer", "who is a customer: /customer María López"),
    BotCommand("product", "a product and its tips: /product AeroPress"),
    BotCommand("note", "remember something: /note Hiroshi: kitchen in spring"),
    BotCommand("tips", "list tips: /tips [product]"),
    BotCommand("tip", "managers: add a tip: /tip [product] text"),
    BotCommand("deltip", "managers: delete a tip: /deltip ID"),
    BotCommand("invite", "managers: a one-time code for a new associate"),
    BotCommand("help", "what you can ask"),
]
TYPING_AFTER = 0.5
SEND_ATTEMPTS = 4
MAX_RETRY_WAIT = 30.0
MANAGERS = {Role.manager.value, Role.admin.value}
# Telegram redelivers an update for about a day at most; a week of ids is plenty to dedupe.
KEEP_UPDATES = timedelta(days=7)
HOUSEKEEPING_EVERY = timedelta(hours=6)
EXPIRED = "This button has expired."
# The one thing the bot says outside a private chat, in the sender's language where known.
PRIVATE_ONLY = {
    "en": "I only answer in a private chat, so customer data stays out of groups. "
    "Message me directly: @{bot}",
    "es": "Solo respondo en un chat privado, para que los datos de clientes no lleguen a los "
    "grupos. Escríbeme directamente: @{bot}",
    "tr": "Müşteri bilgileri gruplara düşmesin diye yalnızca özel sohbette yanıt veriyorum. "
    "Bana doğrudan yazın: @{bot}",
    "el": "Απαντώ μόνο σε ιδιωτική συνομιλία, ώστε τα στοιχεία πελατών να μη φτάνουν σε "
    "ομάδες. Στείλτε μου απευθείας: @{bot}",
    "de": "Ich antworte nur im privaten Chat, damit Kundendaten nicht in Gruppen landen. "
    "Schreib mir direkt: @{bot}",
}
NOT_TEXT = (
    "I read text: ask about a customer or a product in your own words "
    "(managers: send a file with the caption /tip to add tips)."
)


@dataclass
class BotContext:
    """What the handlers share: the assistant and the database it reads."""

    assistant: Assistant
    clock: Callable[[], datetime]


class HandlerContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], Any]):
    """The context every handler gets: one per update, shared by all its handlers.

    `associate` is the registered associate sending the update, set by the guard before any
    handler runs (None only for a newcomer's `/start CODE`)."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ):
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.associate: Associate | None = None

    @property
    def shared(self) -> BotContext:
        """The assistant and clock the application was built with."""
        ctx: BotContext = self.bot_data["ctx"]
        return ctx


Ctx = HandlerContext


def file_base_url(api_base_url: str) -> str:
    """Return the file download base for a Bot API base URL (…/bot → …/file/bot)."""
    base = api_base_url.rstrip("/")
    head, _, tail = base.rpartition("/")
    return f"{head}/file/{tail}"


def webhook_secret(token: str) -> str:
    """Return the secret Telegram must send with webhook posts (stable for one token)."""
    return hashlib.sha256(f"clienteling-webhook:{token}".encode()).hexdigest()[:48]


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Handle updates of different chats at the same time, and each chat's in arrival order.

    One associate's question never waits behind another's, while "who is Çağla?" followed by
    "and her sizes?" in one chat is still answered in that order (asyncio locks are FIFO)."""

    def __init__(self, max_concurrent_updates: int = 64):
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handling, after the same chat's earlier updates."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        async with self._locks[chat.id]:
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


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
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    app = builder.build()
    app.bot_data["ctx"] = BotContext(
        assistant=assistant, clock=clock or (lambda: datetime.now(UTC))
    )
    # Group -1 runs first: repeated updates, other chats than private ones and strangers stop
    # here, before any handler sees them.
    app.add_handler(TypeHandler(Update, _guard), group=-1)
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CommandHandler("help", on_help))
    app.add_handler(CommandHandler("invite", on_invite))
    app.add_handler(CommandHandler("customer", on_customer))
    app.add_handler(CommandHandler("product", on_product))
    app.add_handler(CommandHandler("note", on_note))
    app.add_handler(CommandHandler("tip", on_tip))
    app.add_handler(CommandHandler("tips", on_tips))
    app.add_handler(CommandHandler("deltip", on_deltip))
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.ALL, on_other))
    app.add_error_handler(on_error)
    if app.job_queue is not None:
        app.job_queue.run_repeating(forget_old_updates, interval=HOUSEKEEPING_EVERY, first=60)
    return app


async def _post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await _retrying(lambda: app.bot.set_my_commands(COMMANDS))
    log.info(
        "Clienteling bot is up as @%s (%s) in %s",
        app.bot.username,
        app.bot.first_name,
        app.bot_data.get("mode", "an embedded application"),
    )


def _db(context: Ctx) -> Session:
    return Session(context.shared.assistant.engine)


def _write(context: Ctx, work: Callable[[Session], T]) -> T:
    """Run one write in its own short transaction (waits for, and retries, a busy database)."""
    return run_write(context.shared.assistant.engine, work)


# --- every update: the guard ---------------------------------------------------------------------


async def _guard(update: Update, context: Ctx) -> None:
    """Claim the update once, keep customer data to private chats, refuse strangers, and
    resolve the associate for the handlers."""
    if not await asyncio.to_thread(
        _write, context, lambda db: claim_update(session=db, update_id=update.update_id)
    ):
        log.info("update %s was already handled; skipping it", update.update_id)
        raise ApplicationHandlerStop
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        raise ApplicationHandlerStop  # inline queries, polls…: nothing this bot answers
    if chat.type != ChatType.PRIVATE:
        # Whoever else is in a group or channel would read the answer: never answer there.
        if _addressed_to_bot(update, context):
            await _private_only(update, context)
        raise ApplicationHandlerStop
    if user is None:
        raise ApplicationHandlerStop

    def find() -> Associate | None:
        with _db(context) as db:
            return find_associate(session=db, telegram_id=user.id)

    context.associate = await asyncio.to_thread(find)
    if context.associate is None and not _is_start_with_code(update):
        await _refuse(update)
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
    user = update.effective_user
    language = (user.language_code or "en")[:2] if user else "en"
    text = PRIVATE_ONLY.get(language, PRIVATE_ONLY["en"]).format(bot=context.bot.username or "")
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(shorten(text, 200), show_alert=True)
        return
    if (chat := update.effective_chat) is not None:
        await _send(chat.id, esc(text), update.get_bot())


def _is_start_with_code(update: Update) -> bool:
    msg = update.effective_message
    words = (msg.text or "").split() if msg is not None else []
    return len(words) == 2 and words[0].split("@")[0] == "/start"


async def _refuse(update: Update) -> None:
    user, chat = update.effective_user, update.effective_chat
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer("You are not registered.", show_alert=True)
    if chat is None or user is None:
        return
    text = (
        "Hello! This assistant is for the store's associates only.\n"
        f"Your Telegram user id is <code>{user.id}</code>. Ask your manager for an invite "
        "code (they send /invite), then send <code>/start CODE</code> here."
    )
    await _send(chat.id, text, update.get_bot())


def _caller(associate: Associate) -> Caller:
    return Caller(
        name=associate.name,
        role=associate.role,
        store=associate.store,
        telegram_id=associate.telegram_id,
    )


def _associate(context: Ctx) -> Associate:
    # The guard stops every update without one, except /start CODE, which never asks.
    assert context.associate is not None
    return context.associate


# --- commands ------------------------------------------------------------------------------------


async def on_start(update: Update, context: Ctx) -> None:
    """Welcome an associate, or register a newcomer who brings an invite code."""
    if (msg := update.effective_message) is None or (user := update.effective_user) is None:
        return
    code = context.args[0] if context.args else ""
    if code:
        name = user.full_name or user.username or str(user.id)

        now = context.shared.clock()

        def redeem(db: Session) -> Associate:
            return redeem_invite(session=db, code=code, telegram_id=user.id, name=name, now=now)

        try:
            associate = await asyncio.to_thread(_write, context, redeem)
        except InviteError as exc:
            await _send(msg.chat_id, esc(f"That code doesn't work: {exc}"), msg.get_bot())
            return
        store = f" of store {associate.store}" if associate.store else ""
        await _send(
            msg.chat_id,
            esc(f"Welcome, {associate.name}! You are now a {associate.role}{store}.\n\n")
            + esc(replies.HELP),
            msg.get_bot(),
        )
        return
    await _send(msg.chat_id, esc(replies.HELP), msg.get_bot())


async def on_help(update: Update, _context: Ctx) -> None:
    """Show what can be asked."""
    if (msg := update.effective_message) is None:
        return
    await _send(msg.chat_id, esc(replies.HELP), msg.get_bot())


async def on_invite(update: Update, context: Ctx) -> None:
    """Managers: make a one-time code that registers a new associate of their store."""
    if (msg := update.effective_message) is None:
        return
    if (manager := await _manager(update, context)) is None:
        return

    now = context.shared.clock()

    def make(db: Session) -> str:
        invite = create_invite(
            session=db,
            role=Role.associate.value,
            store=manager.store,
            created_by=manager.telegram_id,
            now=now,
        )
        return invite.code

    code = await asyncio.to_thread(_write, context, make)
    name = context.bot.username
    link = f"\nOr open https://t.me/{name}?start={code}" if name else ""
    await _send(
        msg.chat_id,
        f"One-time code for a new associate (valid 24 h):\n<code>/start {code}</code>" + esc(link),
        msg.get_bot(),
    )


async def on_customer(update: Update, context: Ctx) -> None:
    """/customer NAME: who the customer is."""
    await _command_as_question(update, context, "who is {}", "/customer María López")


async def on_product(update: Update, context: Ctx) -> None:
    """/product NAME: the product and its tips."""
    await _command_as_question(update, context, "tips for {}", "/product AeroPress")


async def on_note(update: Update, context: Ctx) -> None:
    """/note NAME: text — remember something about a customer."""
    await _command_as_question(update, context, "note for {}", "/note Hiroshi: kitchen in spring")


async def _command_as_question(update: Update, context: Ctx, form: str, example: str) -> None:
    if (msg := update.effective_message) is None or (chat := update.effective_chat) is None:
        return
    rest = " ".join(context.args or [])
    if not rest:
        await _send(chat.id, esc(f"For example: {example}"), msg.get_bot())
        return
    await _answer(context, chat.id, _associate(context), form.format(rest))


async def _manager(update: Update, context: Ctx) -> Associate | None:
    """Return the sender when they are a manager or admin; tell others it is for managers."""
    associate = _associate(context)
    if associate.role not in MANAGERS:
        if (chat := update.effective_chat) is not None:
            await _send(chat.id, "Only managers can do that.", update.get_bot())
        return None
    return associate


async def on_tip(update: Update, context: Ctx) -> None:
    """Managers: /tip [product] text adds a tip, linked to the product when one is named."""
    if (msg := update.effective_message) is None:
        return
    if (manager := await _manager(update, context)) is None:
        return
    text = " ".join(context.args or []).strip()
    if len(text) < 10:
        await _send(
            msg.chat_id,
            esc("Write the tip after the command: /tip AeroPress ask how many cups…"),
            msg.get_bot(),
        )
        return
    ctx = context.shared
    sku, rest = _product_prefix(ctx.assistant, text)
    product = ctx.assistant.products.products.get(sku) if sku else None
    tip = Tip(
        tip_id=make_tip_id(rest),
        text=rest,
        sku=sku,
        category=product.category if product else None,
        language=detect_language(rest),
        author=manager.name,
        created_at=ctx.clock(),
    )
    await asyncio.to_thread(add_tips, ctx.assistant.tips, [tip])
    about = f" for {product.name} ({sku})" if product else ""
    lang = f", language {tip.language}" if tip.language else ""
    await _send(
        msg.chat_id,
        esc(f"Tip {tip.tip_id} added{about}{lang}. Associates find it from now on."),
        msg.get_bot(),
    )


def _product_prefix(assistant: Assistant, text: str) -> tuple[str | None, str]:
    """Split "/tip [product] text": a leading sku is the product (and not part of the tip);
    leading words that are all product-name words name it; otherwise any product the text
    names."""
    words = text.split()
    sku = assistant.products.find_sku(folded_words(words[0])) if words else None
    if sku is not None:
        return sku, " ".join(words[1:]).strip() or text
    vocabulary = assistant.products.by_token
    leading = 0
    for word in words[:4]:
        folded = folded_words(word)
        if not folded or not all(w in vocabulary for w in folded):
            break
        leading += 1
    if leading and (named := assistant.product_named(" ".join(words[:leading]))):
        return named, text
    return assistant.product_named(text), text


async def on_tips(update: Update, context: Ctx) -> None:
    """/tips [product]: list tips, for one product when named."""
    if (msg := update.effective_message) is None:
        return
    assistant = context.shared.assistant
    query = " ".join(context.args or [])
    sku = None
    if query:
        sku, _ = _product_prefix(assistant, query)
        if sku is None:
            await _send(msg.chat_id, esc(f"I don't know a product “{query}”."), msg.get_bot())
            return
    tips = await asyncio.to_thread(list_tips, assistant.tips, sku=sku)
    if not tips:
        await _send(msg.chat_id, "No tips yet.", msg.get_bot())
        return
    lines = [f"{len(tips)} tip(s)"]
    lines += [f"{t.tip_id} {shorten(t.text, 160)}" for t in tips[-30:]]
    parts = split_message("\n".join(lines), measure=sent_length)
    for part in parts:
        await _send(msg.chat_id, esc(part), msg.get_bot())


async def on_deltip(update: Update, context: Ctx) -> None:
    """Managers: /deltip ID removes a tip."""
    if (msg := update.effective_message) is None:
        return
    if await _manager(update, context) is None:
        return
    if not context.args:
        await _send(msg.chat_id, "Which tip? /deltip ID (see /tips)", msg.get_bot())
        return
    tip_id = context.args[0]
    tips = context.shared.assistant.tips
    removed = await asyncio.to_thread(delete_tip, tips, tip_id)
    text = f"Deleted tip {tip_id}." if removed else f"No tip with id {tip_id}."
    await _send(msg.chat_id, esc(text), msg.get_bot())


async def on_document(update: Update, context: Ctx) -> None:
    """Managers: a document captioned /tip (txt, md, csv, pdf) becomes tips."""
    if (msg := update.effective_message) is None or (doc := msg.document) is None:
        return
    caption = (msg.caption or "").strip()
    if not caption.startswith("/tip"):
        await _send(
            msg.chat_id,
            "To add tips from a file, send it with the caption /tip (managers).",
            msg.get_bot(),
        )
        return
    if (manager := await _manager(update, context)) is None:
        return
    ctx = context.shared
    named = caption[len("/tip") :].strip()
    sku = _product_prefix(ctx.assistant, named)[0] if named else None
    file = await _retrying(lambda: context.bot.get_file(doc.file_id))
    data = bytes(await _retrying(file.download_as_bytearray))

    def ingest() -> tuple[int, list[str]]:
        with _db(context) as db:
            skus = known_skus(session=db)
        parsed = read_document(
            data,
            doc.file_name or "tips.txt",
            known_skus=skus,
            now=ctx.clock(),
            author=manager.name,
            sku=sku,
        )
        add_tips(ctx.assistant.tips, parsed.tips)
        return len(parsed.tips), parsed.warnings

    try:
        added, warnings = await asyncio.to_thread(ingest)
    except TipsFileError as exc:
        await _send(
            msg.chat_id,
            esc(f"Nothing was added from {doc.file_name}:\n{exc}"),
            msg.get_bot(),
        )
        return
    text = f"Added {added} tip(s) from {doc.file_name}."
    if warnings:
        text += "\n" + "\n".join(warnings[:10])
    await _send(msg.chat_id, esc(text), msg.get_bot())


# --- questions and buttons -----------------------------------------------------------------------


async def on_text(update: Update, context: Ctx) -> None:
    """Free text: the assistant answers, with buttons for the follow-ups it offers."""
    if (msg := update.effective_message) is None or (chat := update.effective_chat) is None:
        return
    if not msg.text:
        return
    await _answer(context, chat.id, _associate(context), msg.text)


async def on_other(update: Update, context: Ctx) -> None:
    """Stickers, photos, locations, voice…: say what the bot can read."""
    if (msg := update.effective_message) is None or context.associate is None:
        return
    await _send(msg.chat_id, esc(NOT_TEXT), msg.get_bot())


async def on_button(update: Update, context: Ctx) -> None:
    """A button: a follow-up option continues the chat's session; 👍/👎 is stored.

    A button acts only on an answer this chat was given; anything else (forged, malformed or
    from before a reset) gets "expired", which also stops the client's spinner."""
    query = update.callback_query
    if query is None or (chat := update.effective_chat) is None:
        return
    associate = _associate(context)
    button = parse_button(query.data)
    key = _session_key(chat.id)

    def logged_here() -> list[str] | None:
        if button is None:
            return None
        with _db(context) as db:
            logged = get_answer(session=db, answer_id=button.answer_id)
        if logged is None or logged.chat_key != key:
            return None
        return list(logged.options or [])

    options = await asyncio.to_thread(logged_here)
    if button is None or options is None:
        await _answer_query(query, EXPIRED)
        return
    if button.kind == VOTE:
        answer_id, vote = button.answer_id, button.value
        await asyncio.to_thread(
            _write,
            context,
            lambda db: record_vote(
                session=db, answer_id=answer_id, telegram_id=associate.telegram_id, vote=vote
            ),
        )
        await _answer_query(query, "Thanks for the feedback!")
        return
    if button.value >= len(options):
        await _answer_query(query, EXPIRED)
        return
    await _answer_query(query, None)
    await _answer(context, chat.id, associate, options[button.value])


async def _answer_query(query: Any, text: str | None) -> None:
    # The spinner must stop whatever happens next; a failure to stop it is not worth an apology.
    try:
        await _retrying(lambda: query.answer(text))
    except TelegramError as exc:
        log.warning("could not answer a button press: %s", type(exc).__name__)


def _session_key(chat_id: int) -> str:
    return f"tg:{chat_id}"


async def _answer(context: Ctx, chat_id: int, associate: Associate, text: str) -> None:
    ctx = context.shared
    caller = _caller(associate)
    key = _session_key(chat_id)
    typing = asyncio.create_task(_typing_after(context, chat_id))
    try:
        reply = await asyncio.to_thread(ctx.assistant.answer, caller, text, key)
    finally:
        typing.cancel()

    def remember(db: Session) -> int:
        logged = log_answer(
            session=db,
            chat_key=key,
            telegram_id=associate.telegram_id,
            associate_name=associate.name,
            question=text,
            answer=reply.text,
            intent=str(reply.intent),
            customer_id=reply.customer_id,
            skus=reply.skus,
            tip_ids=reply.tip_ids,
            options=reply.options,
        )
        assert logged.id is not None
        return logged.id

    # From here on, whatever the answer wrote (a note) is written: nothing below may turn it
    # into an apology. Without its log entry the answer still goes out, only without buttons.
    markup = None
    try:
        markup = keyboard(reply, await asyncio.to_thread(_write, context, remember))
    except Exception as exc:
        log.warning("answer for %s not logged (%s); sent without buttons", key, type(exc).__name__)
    await _deliver(chat_id, reply, context.bot, markup=markup)


async def _deliver(
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
            await _send_plain(chat_id, part, bot)
    except TelegramError as exc:
        log.error("reply to %s not delivered: %s: %s", chat_id, type(exc).__name__, exc)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


async def _typing_after(context: Ctx, chat_id: int) -> None:
    """Show "typing…" when an answer takes longer than a moment."""
    await asyncio.sleep(TYPING_AFTER)
    with contextlib.suppress(TelegramError):
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)


# --- sending, with retries -----------------------------------------------------------------------


async def _send(
    chat_id: int,
    text: str,
    bot: Any,
    *,
    markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Send a short HTML message built by this module (fixed texts, confirmations)."""
    return await _send_part(chat_id, text, bot, markup)


async def _send_part(
    chat_id: int, html_text: str, bot: Any, markup: InlineKeyboardMarkup | None
) -> Message:
    return await _retrying(
        lambda: bot.send_message(
            chat_id, html_text, parse_mode=ParseMode.HTML, reply_markup=markup
        )
    )


async def _send_plain(chat_id: int, text: str, bot: Any) -> Message:
    return await _retrying(lambda: bot.send_message(chat_id, text))


async def _retrying(call: Callable[[], Awaitable[T]]) -> T:
    """Call the Bot API, waiting out flood control and retrying network errors a few times."""
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await call()
        except RetryAfter as exc:
            with warnings.catch_warnings():
                # PTB 22 warns that retry_after becomes a timedelta; both forms are handled.
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            if attempt == SEND_ATTEMPTS or seconds > MAX_RETRY_WAIT:
                raise
            log.warning("flood control: waiting %.0f s (attempt %d)", seconds, attempt)
            await asyncio.sleep(seconds)
        except (BadRequest, Forbidden):
            raise  # our request is wrong or the user blocked the bot: retrying can't help
        except NetworkError as exc:
            if attempt == SEND_ATTEMPTS:
                raise
            log.warning("Bot API error %s: retrying (attempt %d)", exc, attempt)
            await asyncio.sleep(0.5 * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


async def forget_old_updates(context: Ctx) -> None:
    """Housekeeping: drop the record of updates handled more than a week ago."""
    before = context.shared.clock() - KEEP_UPDATES
    forgotten = await asyncio.to_thread(
        _write, context, lambda db: forget_updates_before(session=db, before=before)
    )
    if forgotten:
        log.info("forgot %d handled update id(s) older than %s", forgotten, before)


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
            await _send(
                chat.id,
                "Sorry, something went wrong with that one. Please try again.",
                context.bot,
            )


def _failed_handler(error: BaseException | None) -> str:
    """Return the name of this module's handler the error came through, from its traceback."""
    tb = error.__traceback__ if error is not None else None
    while tb is not None:
        code = tb.tb_frame.f_code
        if tb.tb_frame.f_globals.get("__name__") == __name__ and (
            code.co_name.startswith("on_") or code.co_name == "_guard"
        ):
            return code.co_name
        tb = tb.tb_next
    return "an unknown handler"


def webhook_path(url: str) -> str:
    """Return the path part of a webhook URL, which the local server must listen on."""
    return urlsplit(url).path.lstrip("/")
