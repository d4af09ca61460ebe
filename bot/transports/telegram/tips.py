"""Telegram handlers for product tips: managers add them from text or files, everyone lists."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update

from bot.core.i18n import _, language_name, ngettext
from bot.services import tips as tip_service
from bot.transports.telegram.guard import Ctx, manager_of
from bot.transports.telegram.render import esc, sent_length, shorten, split_message
from bot.transports.telegram.sending import retrying, send_html

log = logging.getLogger(__name__)


async def on_tip(update: Update, context: Ctx) -> None:
    """Managers: /tip [product] text adds a tip, linked to the product when one is named."""
    if (msg := update.effective_message) is None:
        return
    if (manager := await manager_of(update, context)) is None:
        return
    text = " ".join(context.args or []).strip()
    if len(text) < tip_service.MIN_TIP_CHARS:
        await send_html(
            msg.chat_id,
            esc(_("Write the tip after the command: /tip AeroPress ask how many cups…")),
            msg.get_bot(),
        )
        return
    assistant, now = context.shared.assistant, context.shared.clock()
    added = await asyncio.to_thread(
        lambda: tip_service.add_tip(assistant, text, author=manager, now=now)
    )
    await send_html(msg.chat_id, esc(added_text(added)), msg.get_bot())


def added_text(added: tip_service.AddedTip) -> str:
    """Return the confirmation of a tip added from a /tip message, in the current language."""
    tip = added.tip
    fields = {
        "tip_id": tip.tip_id,
        "product": added.product_name,
        "sku": tip.sku,
        "language": language_name(tip.language) if tip.language else None,
    }
    if added.product_name and tip.language:
        text = _("Tip {tip_id} added for {product} ({sku}), written in {language}.")
    elif added.product_name:
        text = _("Tip {tip_id} added for {product} ({sku}).")
    elif tip.language:
        text = _("Tip {tip_id} added, written in {language}.")
    else:
        text = _("Tip {tip_id} added.")
    return text.format(**fields) + " " + _("Associates find it from now on.")


async def on_tips(update: Update, context: Ctx) -> None:
    """/tips [product]: list tips, for one product when named."""
    if (msg := update.effective_message) is None:
        return
    assistant = context.shared.assistant
    query = " ".join(context.args or [])
    try:
        tips = await asyncio.to_thread(tip_service.tips_about, assistant, query)
    except tip_service.UnknownProduct:
        text = _("I don't know a product “{query}”.").format(query=query)
        await send_html(msg.chat_id, esc(text), msg.get_bot())
        return
    if not tips:
        await send_html(msg.chat_id, esc(_("No tips yet.")), msg.get_bot())
        return
    lines = [ngettext("{count} tip", "{count} tips", len(tips)).format(count=len(tips))]
    lines += [f"{t.tip_id} {shorten(t.text, 160)}" for t in tips[-30:]]
    for part in split_message("\n".join(lines), measure=sent_length):
        await send_html(msg.chat_id, esc(part), msg.get_bot())


async def on_deltip(update: Update, context: Ctx) -> None:
    """Managers: /deltip ID removes a tip."""
    if (msg := update.effective_message) is None:
        return
    if await manager_of(update, context) is None:
        return
    if not context.args:
        await send_html(msg.chat_id, esc(_("Which tip? /deltip ID (see /tips)")), msg.get_bot())
        return
    tip_id = context.args[0]
    try:
        removed = await asyncio.to_thread(tip_service.remove_tip, context.shared.assistant, tip_id)
    except tip_service.PurgeError:
        log.exception("tip %s deleted, its text not wiped from disk", tip_id)
        text = _(
            "Deleted tip {tip_id}, but its text could not be wiped from the disk: tell the "
            "administrator."
        ).format(tip_id=tip_id)
        await send_html(msg.chat_id, esc(text), msg.get_bot())
        return
    text = (_("Deleted tip {tip_id}.") if removed else _("No tip with id {tip_id}.")).format(
        tip_id=tip_id
    )
    await send_html(msg.chat_id, esc(text), msg.get_bot())


async def on_document(update: Update, context: Ctx) -> None:
    """Managers: a document captioned /tip (txt, md, csv, pdf) becomes tips."""
    if (msg := update.effective_message) is None or (doc := msg.document) is None:
        return
    caption = (msg.caption or "").strip()
    if not caption.startswith("/tip"):
        await send_html(
            msg.chat_id,
            esc(_("To add tips from a file, send it with the caption /tip (managers).")),
            msg.get_bot(),
        )
        return
    if (manager := await manager_of(update, context)) is None:
        return
    assistant, now = context.shared.assistant, context.shared.clock()
    file = await retrying(lambda: context.bot.get_file(doc.file_id))
    data = bytes(await retrying(file.download_as_bytearray))
    name = doc.file_name or "tips.txt"
    try:
        added, warnings = await asyncio.to_thread(
            lambda: tip_service.add_tips_from_file(
                assistant,
                data,
                name,
                author=manager,
                now=now,
                product=caption[len("/tip") :],
            )
        )
    except tip_service.TipsFileError as exc:
        text = _("Nothing was added from {file}:").format(file=name)
        problems = tip_service.file_error_text(exc)
        await send_html(msg.chat_id, esc(f"{text}\n{problems}"), msg.get_bot())
        return
    text = ngettext(
        "Added {count} tip from {file}.", "Added {count} tips from {file}.", added
    ).format(count=added, file=name)
    if warnings:
        text += "\n" + "\n".join(tip_service.problem_text(w) for w in warnings[:10])
    await send_html(msg.chat_id, esc(text), msg.get_bot())
