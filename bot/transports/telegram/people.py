"""Telegram handlers for who uses the bot: /start with an invite code, /invite for managers,
and /language, the associate's reply language."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.helpers import create_deep_linked_url

from bot.core import wording as replies
from bot.core.i18n import (
    N_,
    _,
    available_languages,
    current_language,
    format_day,
    language_name,
    pick_language,
    speaking,
)
from bot.core.types import Caller
from bot.services import onboarding
from bot.transports.telegram.guard import Ctx, caller_of, manager_of
from bot.transports.telegram.render import esc
from bot.transports.telegram.sending import send_html

# How /start names the role an invite gave (translated where used).
ROLES = {
    "associate": N_("an associate"),
    "manager": N_("a manager"),
    "admin": N_("an admin"),
}
# `/language auto`: no preference, replies follow the message and the Telegram app.
AUTO = "auto"


def invite_problem(error: onboarding.InviteError) -> str:
    """Return why an invite code can't be used, in the associate's language."""
    if error.kind == "used":
        return _("this invite code has already been used; ask your manager for a new one")
    if error.kind == "expired" and error.expires_at is not None:
        return _("this invite code expired on {date}; ask your manager for a new one").format(
            date=format_day(error.expires_at)
        )
    if error.kind == "busy":
        return _("this invite code could not be used; try again")
    return _("this invite code is not valid; check it, or ask your manager for a new one")


async def on_start(update: Update, context: Ctx) -> None:
    """Welcome an associate, or register a newcomer who brings an invite code."""
    if (msg := update.effective_message) is None or (user := update.effective_user) is None:
        return
    code = context.args[0] if context.args else ""
    if code:
        name = user.full_name or user.username or str(user.id)

        engine, now = context.shared.assistant.engine, context.shared.clock()
        try:
            associate = await asyncio.to_thread(
                lambda: onboarding.redeem(engine, code, telegram_id=user.id, name=name, now=now)
            )
        except onboarding.InviteError as exc:
            text = _("That code doesn't work: {reason}").format(reason=invite_problem(exc))
            await send_html(msg.chat_id, esc(text), msg.get_bot())
            return
        await send_html(msg.chat_id, esc(welcome(associate)), msg.get_bot())
        return
    await send_html(msg.chat_id, esc(_(replies.HELP)), msg.get_bot())


def welcome(associate: Caller) -> str:
    """Return the welcome for a newly registered associate, in the current language."""
    role = _(ROLES[associate.role]) if associate.role in ROLES else associate.role
    if associate.store:
        text = _("Welcome, {name}! You are now {role} of store {store}.").format(
            name=associate.name, role=role, store=associate.store
        )
    else:
        text = _("Welcome, {name}! You are now {role}.").format(name=associate.name, role=role)
    return f"{text}\n\n{_(replies.HELP)}"


async def on_invite(update: Update, context: Ctx) -> None:
    """Managers: make a one-time code that registers a new associate of their store."""
    if (msg := update.effective_message) is None:
        return
    if (manager := await manager_of(update, context)) is None:
        return

    engine, now = context.shared.assistant.engine, context.shared.clock()
    code = await asyncio.to_thread(lambda: onboarding.make_invite(engine, manager, now=now))
    name = context.bot.username
    text = esc(_("One-time code for a new associate (valid 24 h):\n{command}")).format(
        command=f"<code>/start {esc(code)}</code>"
    )
    if name:
        text += "\n" + esc(_("Or open {link}").format(link=create_deep_linked_url(name, code)))
    await send_html(msg.chat_id, text, msg.get_bot())


async def on_language(update: Update, context: Ctx) -> None:
    """/language shows the reply language; /language CODE chooses one, /language auto lets
    replies follow the Telegram app again."""
    if (msg := update.effective_message) is None or (user := update.effective_user) is None:
        return
    caller = caller_of(context)
    assistant = context.shared.assistant
    if not context.args:
        await send_html(msg.chat_id, esc(language_status(caller)), msg.get_bot())
        return
    asked = context.args[0].strip().lower()
    code = None if asked == AUTO else asked.replace("_", "-").split("-")[0]
    if code is not None and code not in available_languages():
        text = _("I can't reply in “{code}”. Choose one of: {choices}, or auto.").format(
            code=context.args[0], choices=language_choices()
        )
        await send_html(msg.chat_id, esc(text), msg.get_bot())
        return
    engine = assistant.engine
    await asyncio.to_thread(onboarding.set_language, engine, user.id, code)
    # Confirmed in the language replies are written in from now on.
    with speaking(code or pick_language(user.language_code, assistant.default_language)):
        if code is None:
            text = _(
                "Done: I reply in the language of your message; when I can't tell it, in "
                "{language}."
            ).format(language=language_name(current_language()))
        else:
            text = _(
                "Done: I reply in {language} when I can't tell your message's language."
            ).format(language=language_name(code))
    await send_html(msg.chat_id, esc(text), msg.get_bot())


def language_choices() -> str:
    """Return the reply languages as "de (German), el (Greek), …" in the current language."""
    return ", ".join(f"{code} ({language_name(code)})" for code in available_languages())


def language_status(caller: Caller) -> str:
    """Return what /language alone says: the associate's preference and the choices."""
    if caller.language:
        now = _("I reply in {language} ({code}) when I can't tell your message's language.")
        head = now.format(language=language_name(caller.language), code=caller.language)
    else:
        head = _(
            "You chose no language: I reply in the language of your message; when I can't "
            "tell it, in {language}."
        ).format(language=language_name(current_language()))
    choices = _("Available: {choices}.").format(choices=language_choices())
    how = _("Choose one with /language CODE (for example /language es), or /language auto.")
    return f"{head}\n{choices}\n{how}"
