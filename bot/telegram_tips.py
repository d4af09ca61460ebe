"""Telegram handlers for product tips: managers add them from text or files, everyone lists."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.assistant import Assistant
from bot.telegram_guard import Ctx, db_session, manager_of
from bot.telegram_render import esc, sent_length, shorten, split_message
from bot.telegram_send import retrying, send_html
from bot.text import folded_words
from knowledge.documents import detect_language, read_document
from knowledge.ingest import TipsFileError
from knowledge.tips import Tip, add_tips, delete_tip, list_tips, make_tip_id
from storage.customers import known_skus


async def on_tip(update: Update, context: Ctx) -> None:
    """Managers: /tip [product] text adds a tip, linked to the product when one is named."""
    if (msg := update.effective_message) is None:
        return
    if (manager := await manager_of(update, context)) is None:
        return
    text = " ".join(context.args or []).strip()
    if len(text) < 10:
        await send_html(
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
    await send_html(
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
            await send_html(msg.chat_id, esc(f"I don't know a product “{query}”."), msg.get_bot())
            return
    tips = await asyncio.to_thread(list_tips, assistant.tips, sku=sku)
    if not tips:
        await send_html(msg.chat_id, "No tips yet.", msg.get_bot())
        return
    lines = [f"{len(tips)} tip(s)"]
    lines += [f"{t.tip_id} {shorten(t.text, 160)}" for t in tips[-30:]]
    parts = split_message("\n".join(lines), measure=sent_length)
    for part in parts:
        await send_html(msg.chat_id, esc(part), msg.get_bot())


async def on_deltip(update: Update, context: Ctx) -> None:
    """Managers: /deltip ID removes a tip."""
    if (msg := update.effective_message) is None:
        return
    if await manager_of(update, context) is None:
        return
    if not context.args:
        await send_html(msg.chat_id, "Which tip? /deltip ID (see /tips)", msg.get_bot())
        return
    tip_id = context.args[0]
    tips = context.shared.assistant.tips
    removed = await asyncio.to_thread(delete_tip, tips, tip_id)
    text = f"Deleted tip {tip_id}." if removed else f"No tip with id {tip_id}."
    await send_html(msg.chat_id, esc(text), msg.get_bot())


async def on_document(update: Update, context: Ctx) -> None:
    """Managers: a document captioned /tip (txt, md, csv, pdf) becomes tips."""
    if (msg := update.effective_message) is None or (doc := msg.document) is None:
        return
    caption = (msg.caption or "").strip()
    if not caption.startswith("/tip"):
        await send_html(
            msg.chat_id,
            "To add tips from a file, send it with the caption /tip (managers).",
            msg.get_bot(),
        )
        return
    if (manager := await manager_of(update, context)) is None:
        return
    ctx = context.shared
    named = caption[len("/tip") :].strip()
    sku = _product_prefix(ctx.assistant, named)[0] if named else None
    file = await retrying(lambda: context.bot.get_file(doc.file_id))
    data = bytes(await retrying(file.download_as_bytearray))

    def ingest() -> tuple[int, list[str]]:
        with db_session(context) as db:
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
        await send_html(
            msg.chat_id,
            esc(f"Nothing was added from {doc.file_name}:\n{exc}"),
            msg.get_bot(),
        )
        return
    text = f"Added {added} tip(s) from {doc.file_name}."
    if warnings:
        text += "\n" + "\n".join(warnings[:10])
    await send_html(msg.chat_id, esc(text), msg.get_bot())
