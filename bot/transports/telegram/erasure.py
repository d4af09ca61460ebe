"""Telegram's `/forget ID`: a manager erases a customer, after a confirmation button.

The button carries a random token, not the customer's id: the token is kept in the chat's
memory with who asked and until when, so a forged or replayed press, another associate's, or
one after a restart erases nothing."""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.i18n import _
from bot.services import erasure as erasure_service
from bot.transports.telegram.guard import Ctx, caller_of, manager_of
from bot.transports.telegram.render import esc
from bot.transports.telegram.sending import answer_query, send_html

# Callback data of the two buttons: "forget:yes:TOKEN" and "forget:no:TOKEN".
PREFIX = "forget"
PATTERN = rf"^{PREFIX}:"
CONFIRM_SECONDS = 300.0
_PENDING = "pending_erasures"


@dataclass(frozen=True)
class _Pending:
    customer_id: str
    telegram_id: int | None
    until: float


def plan_text(plan: erasure_service.ErasurePlan) -> str:
    """Return what erasing would remove, and the question, in the current language."""
    lines = [
        _("Erase {name} ({customer_id}) for good? This cannot be undone.").format(
            name=plan.name, customer_id=plan.customer_id
        ),
        _(
            "Purchase lines: {lines} · notes: {notes} · follow-ups: {followups} · "
            "contacts: {contacts} · answers about this customer: {answers}"
        ).format(
            lines=plan.purchase_lines,
            notes=plan.notes,
            followups=plan.followups,
            contacts=plan.contacts,
            answers=plan.answers,
        ),
    ]
    if plan.tips:
        lines.append(
            _("Tips that name this customer (kept, with the name removed): {tips}").format(
                tips=", ".join(t.tip_id for t in plan.tips)
            )
        )
    return "\n".join(lines)


async def on_forget(update: Update, context: Ctx) -> None:
    """Managers: /forget CUSTOMER_ID shows what erasing the customer removes, with a button to
    do it."""
    if (msg := update.effective_message) is None:
        return
    if (manager := await manager_of(update, context)) is None:
        return
    if not context.args:
        text = _("Whom? /forget CUSTOMER_ID (the id shown in the customer overview)")
        await send_html(msg.chat_id, esc(text), msg.get_bot())
        return
    customer_id = context.args[0]
    assistant = context.shared.assistant
    plan = await asyncio.to_thread(erasure_service.plan_for, assistant, manager, customer_id)
    if plan is None:
        text = _("No customer with id {customer_id}.").format(customer_id=customer_id)
        await send_html(msg.chat_id, esc(text), msg.get_bot())
        return
    token = secrets.token_urlsafe(9)
    pending = context.chat_data.setdefault(_PENDING, {}) if context.chat_data is not None else {}
    now = time.monotonic()
    for old in [t for t, asked in pending.items() if asked.until < now]:
        del pending[old]  # questions never answered don't pile up in the chat's memory
    pending[token] = _Pending(
        plan.customer_id, manager.telegram_id, time.monotonic() + CONFIRM_SECONDS
    )
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("Erase for good"), callback_data=f"{PREFIX}:yes:{token}"),
                InlineKeyboardButton(_("Cancel"), callback_data=f"{PREFIX}:no:{token}"),
            ]
        ]
    )
    await send_html(msg.chat_id, esc(plan_text(plan)), msg.get_bot(), markup=markup)


async def on_forget_button(update: Update, context: Ctx) -> None:
    """The confirmation of /forget: erase (or not) the customer the token stands for."""
    query = update.callback_query
    if query is None or (chat := update.effective_chat) is None:
        return
    _prefix, _sep, rest = (query.data or "").partition(":")
    choice, _sep, token = rest.partition(":")
    pending = context.chat_data.get(_PENDING, {}) if context.chat_data is not None else {}
    asked = pending.pop(token, None)
    caller = caller_of(context)
    if (
        asked is None
        or asked.until < time.monotonic()
        or asked.telegram_id != caller.telegram_id
        or not caller.is_manager
    ):
        await answer_query(query, _("This button has expired."))
        return
    await answer_query(query, None)
    if choice != "yes":
        await send_html(chat.id, esc(_("Nothing was erased.")), query.get_bot())
        return
    key = context.shared.suppression_key()
    assistant = context.shared.assistant
    done = await asyncio.to_thread(
        lambda: erasure_service.erase_for(
            assistant, caller, asked.customer_id, suppression_key=key or b""
        )
    )
    if done is None:
        text = _("No customer with id {customer_id}.").format(customer_id=asked.customer_id)
    else:
        text = _(
            "Erased {customer_id}: profile, purchases, notes, follow-ups, contacts and the "
            "answers about this customer are gone. The id, e-mail and phone are on the "
            "suppression list, so imports will skip this customer."
        ).format(customer_id=asked.customer_id)
    await send_html(chat.id, esc(text), query.get_bot())
