"""The Telegram adapter: python-telegram-bot handlers over the assistant core.

Handlers only translate: who is asking (and may they), what they typed or pressed, and how the
reply looks on a phone. Answers come from `Assistant.answer`, the same as the console's.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import logging
import warnings
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sqlmodel import Session
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatAction, MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest
from telegram.warnings import PTBDeprecationWarning

from bot import replies
from bot.assistant import Assistant, Caller, Reply
from bot.settings import Settings
from bot.text import folded_words
from knowledge.documents import detect_language, read_document
from knowledge.ingest import TipsFileError
from knowledge.tips import Tip, add_tips, delete_tip, list_tips, make_tip_id
from storage.access import InviteError, create_invite, redeem_invite
from storage.associates import find_associate
from storage.customers import known_skus
from storage.feedback import get_answer, log_answer, record_vote
from storage.models import Associate, Role
from storage.updates import claim_update, forget_updates_before

log = logging.getLogger(__name__)
Ctx = ContextTypes.DEFAULT_TYPE
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
# Replies over Telegram's limit are split; a little room is kept for the split marker.
MAX_MESSAGE = MessageLimit.MAX_TEXT_LENGTH - 96
TYPING_AFTER = 0.5
SEND_ATTEMPTS = 4
MAX_RETRY_WAIT = 30.0
MANAGERS = {Role.manager.value, Role.admin.value}
# Telegram redelivers an update for about a day at most; a week of ids is plenty to dedupe.
KEEP_UPDATES = timedelta(days=7)
HOUSEKEEPING_EVERY = timedelta(hours=6)


@dataclass
class BotContext:
    """What the handlers share: the assistant and the database it reads."""

    assistant: Assistant
    clock: Callable[[], datetime]


def _esc(text: str) -> str:
    # Quotes need no escaping outside attributes, and "doesn&#x27;t" reads badly if a client
    # shows the raw text.
    return html.escape(text, quote=False)


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

    def __init__(self, max_concurrent_updates: int = 16):
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
    """Build the bot: handlers, commands and error handling over the assistant."""
    token = settings.telegram_token
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set: get one from @BotFather")
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.TELEGRAM_API_BASE_URL)
        .base_file_url(file_base_url(settings.TELEGRAM_API_BASE_URL))
        .post_init(_post_init)
        .concurrent_updates(PerChatUpdateProcessor())
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    app = builder.build()
    app.bot_data["ctx"] = BotContext(
        assistant=assistant, clock=clock or (lambda: datetime.now(UTC))
    )
    # Group -1 runs first: a repeated update stops here, before any handler sees it.
    app.add_handler(TypeHandler(Update, _once), group=-1)
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


def _ctx(context: Ctx) -> BotContext:
    ctx: BotContext = context.bot_data["ctx"]
    return ctx


def _db(context: Ctx) -> Session:
    return Session(_ctx(context).assistant.engine)


# --- every update ----------------------------------------------------------------------------


async def _once(update: Update, context: Ctx) -> None:
    """Stop an update that was already handled (Telegram may deliver one twice)."""

    def claim() -> bool:
        with _db(context) as db:
            return claim_update(session=db, update_id=update.update_id)

    if not await asyncio.to_thread(claim):
        log.info("update %s was already handled; skipping it", update.update_id)
        raise ApplicationHandlerStop


async def _associate(update: Update, context: Ctx) -> Associate | None:
    """Return the registered associate sending this update; strangers get a polite refusal."""
    user = update.effective_user
    if user is None:
        return None

    def find() -> Associate | None:
        with _db(context) as db:
            return find_associate(session=db, telegram_id=user.id)

    associate = await asyncio.to_thread(find)
    if associate is None:
        await _refuse(update)
    return associate


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


# --- commands ------------------------------------------------------------------------------------


async def on_start(update: Update, context: Ctx) -> None:
    """Welcome an associate, or register a newcomer who brings an invite code."""
    if (msg := update.effective_message) is None or (user := update.effective_user) is None:
        return
    code = context.args[0] if context.args else ""
    if code:
        name = user.full_name or user.username or str(user.id)

        def redeem() -> Associate:
            with _db(context) as db:
                return redeem_invite(
                    session=db,
                    code=code,
                    telegram_id=user.id,
                    name=name,
                    now=_ctx(context).clock(),
                )

        try:
            associate = await asyncio.to_thread(redeem)
        except InviteError as exc:
            await _send(msg.chat_id, _esc(f"That code doesn't work: {exc}"), msg.get_bot())
            return
        store = f" of store {associate.store}" if associate.store else ""
        await _send(
            msg.chat_id,
            _esc(f"Welcome, {associate.name}! You are now a {associate.role}{store}.\n\n")
            + _esc(replies.HELP),
            msg.get_bot(),
        )
        return
    if await _associate(update, context) is None:
        return
    await _send(msg.chat_id, _esc(replies.HELP), msg.get_bot())


async def on_help(update: Update, context: Ctx) -> None:
    """Show what can be asked."""
    if (msg := update.effective_message) is None or await _associate(update, context) is None:
        return
    await _send(msg.chat_id, _esc(replies.HELP), msg.get_bot())


async def on_invite(update: Update, context: Ctx) -> None:
    """Managers: make a one-time code that registers a new associate of their store."""
    if (msg := update.effective_message) is None:
        return
    if (manager := await _manager(update, context)) is None:
        return

    def make() -> str:
        with _db(context) as db:
            invite = create_invite(
                session=db,
                role=Role.associate.value,
                store=manager.store,
                created_by=manager.telegram_id,
                now=_ctx(context).clock(),
            )
            return invite.code

    code = await asyncio.to_thread(make)
    name = context.bot.username
    link = f"\nOr open https://t.me/{name}?start={code}" if name else ""
    await _send(
        msg.chat_id,
        f"One-time code for a new associate (valid 24 h):\n<code>/start {code}</code>"
        + _esc(link),
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
    if (associate := await _associate(update, context)) is None:
        return
    rest = " ".join(context.args or [])
    if not rest:
        await _send(chat.id, _esc(f"For example: {example}"), msg.get_bot())
        return
    await _answer(context, chat.id, associate, form.format(rest))


async def _manager(update: Update, context: Ctx) -> Associate | None:
    """Return the sender when they are a manager or admin; tell others it is for managers."""
    if (associate := await _associate(update, context)) is None:
        return None
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
            _esc("Write the tip after the command: /tip AeroPress ask how many cups…"),
            msg.get_bot(),
        )
        return
    ctx = _ctx(context)
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
        _esc(f"Tip {tip.tip_id} added{about}{lang}. Associates find it from now on."),
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
    if (msg := update.effective_message) is None or await _associate(update, context) is None:
        return
    assistant = _ctx(context).assistant
    query = " ".join(context.args or [])
    sku = None
    if query:
        sku, _ = _product_prefix(assistant, query)
        if sku is None:
            await _send(msg.chat_id, _esc(f"I don't know a product “{query}”."), msg.get_bot())
            return
    tips = await asyncio.to_thread(list_tips, assistant.tips, sku=sku)
    if not tips:
        await _send(msg.chat_id, "No tips yet.", msg.get_bot())
        return
    lines = [f"<b>{len(tips)} tip(s)</b>"]
    lines += [f"<code>{_esc(t.tip_id)}</code> {_esc(_shorten(t.text, 160))}" for t in tips[-30:]]
    await _send(msg.chat_id, "\n".join(lines), msg.get_bot())


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
    tips = _ctx(context).assistant.tips
    removed = await asyncio.to_thread(delete_tip, tips, tip_id)
    text = f"Deleted tip {tip_id}." if removed else f"No tip with id {tip_id}."
    await _send(msg.chat_id, _esc(text), msg.get_bot())


async def on_document(update: Update, context: Ctx) -> None:
    """Managers: a document captioned /tip (txt, md, csv, pdf) becomes tips."""
    if (msg := update.effective_message) is None or (doc := msg.document) is None:
        return
    caption = (msg.caption or "").strip()
    if not caption.startswith("/tip"):
        if await _associate(update, context) is not None:
            await _send(
                msg.chat_id,
                "To add tips from a file, send it with the caption /tip (managers).",
                msg.get_bot(),
            )
        return
    if (manager := await _manager(update, context)) is None:
        return
    ctx = _ctx(context)
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
            _esc(f"Nothing was added from {doc.file_name}:\n{exc}"),
            msg.get_bot(),
        )
        return
    text = f"Added {added} tip(s) from {doc.file_name}."
    if warnings:
        text += "\n" + "\n".join(warnings[:10])
    await _send(msg.chat_id, _esc(text), msg.get_bot())


# --- questions and buttons -----------------------------------------------------------------------


async def on_text(update: Update, context: Ctx) -> None:
    """Free text: the assistant answers, with buttons for the follow-ups it offers."""
    if (msg := update.effective_message) is None or (chat := update.effective_chat) is None:
        return
    if (associate := await _associate(update, context)) is None or not msg.text:
        return
    await _answer(context, chat.id, associate, msg.text)


async def on_button(update: Update, context: Ctx) -> None:
    """A button: a follow-up option continues the chat's session; 👍/👎 is stored."""
    query = update.callback_query
    if query is None or (chat := update.effective_chat) is None:
        return
    if (associate := await _associate(update, context)) is None:
        return
    kind, _, rest = (query.data or "").partition(":")
    answer_id_text, _, value = rest.partition(":")
    if not answer_id_text.isdigit():
        await _retrying(lambda: query.answer("That button has expired."))
        return
    answer_id = int(answer_id_text)
    if kind == "fb":
        vote = 1 if value == "1" else -1

        def store() -> None:
            with _db(context) as db:
                record_vote(
                    session=db, answer_id=answer_id, telegram_id=associate.telegram_id, vote=vote
                )

        await asyncio.to_thread(store)
        await _retrying(lambda: query.answer("Thanks for the feedback!"))
        return

    def option() -> str | None:
        with _db(context) as db:
            logged = get_answer(session=db, answer_id=answer_id)
        if logged is None or logged.chat_key != _session_key(chat.id):
            return None
        options = logged.options or []
        index = int(value) if value.isdigit() else -1
        return options[index] if 0 <= index < len(options) else None

    text = await asyncio.to_thread(option)
    if text is None:
        await _retrying(lambda: query.answer("That button has expired."))
        return
    await _retrying(query.answer)
    await _answer(context, chat.id, associate, text)


def _session_key(chat_id: int) -> str:
    return f"tg:{chat_id}"


async def _answer(context: Ctx, chat_id: int, associate: Associate, text: str) -> None:
    ctx = _ctx(context)
    caller = _caller(associate)
    key = _session_key(chat_id)
    typing = asyncio.create_task(_typing_after(context, chat_id))
    try:
        reply = await asyncio.to_thread(ctx.assistant.answer, caller, text, key)
    finally:
        typing.cancel()

    def remember() -> int:
        with _db(context) as db:
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

    answer_id = await asyncio.to_thread(remember)
    await _send(chat_id, render(reply), context.bot, markup=keyboard(reply, answer_id))


async def _typing_after(context: Ctx, chat_id: int) -> None:
    """Show "typing…" when an answer takes longer than a moment."""
    await asyncio.sleep(TYPING_AFTER)
    with contextlib.suppress(TelegramError):
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)


def render(reply: Reply) -> str:
    """Return the reply as Telegram HTML (escaped; the first line in bold)."""
    head, _, body = reply.text.partition("\n")
    text = f"<b>{_esc(head)}</b>" + (f"\n{_esc(body)}" if body else "")
    if reply.notice:
        text = f"<i>{_esc(reply.notice)}</i>\n{text}"
    return text


def keyboard(reply: Reply, answer_id: int) -> InlineKeyboardMarkup:
    """Return the reply's follow-ups as buttons, two a row, and 👍/👎 for feedback."""
    buttons = [
        InlineKeyboardButton(_shorten(option, 40), callback_data=f"o:{answer_id}:{i}")
        for i, option in enumerate(reply.options[:8])
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [
            InlineKeyboardButton("👍", callback_data=f"fb:{answer_id}:1"),
            InlineKeyboardButton("👎", callback_data=f"fb:{answer_id}:-1"),
        ]
    )
    return InlineKeyboardMarkup(rows)


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split a long text at line breaks (or spaces) into parts Telegram accepts."""
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    parts.append(text)
    return parts


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- sending, with retries -----------------------------------------------------------------------


async def _send(
    chat_id: int,
    text: str,
    bot: Any,
    *,
    markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Send a (possibly long) HTML message; the buttons go with the last part."""
    parts = split_message(text)
    sent: Message | None = None
    for i, part in enumerate(parts):
        buttons = markup if i == len(parts) - 1 else None

        def call(part: str = part, buttons: InlineKeyboardMarkup | None = buttons) -> Any:
            return bot.send_message(chat_id, part, parse_mode=ParseMode.HTML, reply_markup=buttons)

        sent = await _retrying(call)
    return sent


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
    before = _ctx(context).clock() - KEEP_UPDATES

    def forget() -> int:
        with _db(context) as db:
            return forget_updates_before(session=db, before=before)

    forgotten = await asyncio.to_thread(forget)
    if forgotten:
        log.info("forgot %d handled update id(s) older than %s", forgotten, before)


async def on_error(update: object, context: Ctx) -> None:
    """Log a failed update with its id and tell the associate, briefly, that it went wrong."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("update %s failed", update_id, exc_info=context.error)
    if isinstance(update, Update) and (chat := update.effective_chat) is not None:
        with contextlib.suppress(TelegramError):
            await _send(
                chat.id,
                "Sorry, something went wrong with that one. Please try again.",
                context.bot,
            )


def webhook_path(url: str) -> str:
    """Return the path part of a webhook URL, which the local server must listen on."""
    return urlsplit(url).path.lstrip("/")
