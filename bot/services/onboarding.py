"""Who may use the assistant: finding an associate, invite codes, and the first owner."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.i18n import available_languages
from bot.core.types import Caller
from storage.access import InviteError, create_invite, has_manager, owner_invite, redeem_invite
from storage.associates import find_associate
from storage.associates import set_language as store_language
from storage.db import read_session, run_write, write_session
from storage.models import Associate, Role

__all__ = [
    "InviteError",
    "UnknownLanguage",
    "find_caller",
    "make_invite",
    "owner_code",
    "redeem",
    "set_language",
]


class UnknownLanguage(ValueError):
    """A reply language there is no catalogue for."""


def caller_of(associate: Associate) -> Caller:
    """Return the assistant's view of a registered associate."""
    return Caller(
        name=associate.name,
        role=associate.role,
        store=associate.store,
        telegram_id=associate.telegram_id,
        language=associate.language,
    )


def find_caller(engine: Engine, telegram_id: int) -> Caller | None:
    """Return the registered associate with this Telegram id, or None for a stranger."""
    with read_session(engine) as db:
        associate = find_associate(session=db, telegram_id=telegram_id)
        return caller_of(associate) if associate is not None else None


def set_language(engine: Engine, telegram_id: int, language: str | None) -> Caller | None:
    """Store a registered associate's preferred reply language (an ISO 639-1 code of
    `available_languages()`; None clears it, so replies follow the chat client again) and
    return the associate, or None for a stranger; raise UnknownLanguage for any other code."""
    if language is not None and language not in available_languages():
        raise UnknownLanguage(language)

    def store(db: Session) -> Caller | None:
        associate = store_language(session=db, telegram_id=telegram_id, language=language)
        return caller_of(associate) if associate is not None else None

    return run_write(engine, store)


def make_invite(engine: Engine, manager: Caller, *, now: datetime) -> str:
    """Return a one-time code (valid 24 h) that registers a new associate of the manager's
    store."""

    def create(db: Session) -> str:
        invite = create_invite(
            session=db,
            role=Role.associate.value,
            store=manager.store,
            created_by=manager.telegram_id,
            now=now,
        )
        return invite.code

    return run_write(engine, create)


def redeem(engine: Engine, code: str, *, telegram_id: int, name: str, now: datetime) -> Caller:
    """Register (or promote) a Telegram user with an invite code; raise InviteError (with the
    reason for the person) when the code cannot be used."""
    return run_write(
        engine,
        lambda db: caller_of(
            redeem_invite(session=db, code=code, telegram_id=telegram_id, name=name, now=now)
        ),
    )


def owner_code(engine: Engine, *, now: datetime) -> tuple[str, datetime] | None:
    """Return a one-time owner code and its expiry while no manager exists, else None."""
    with write_session(engine) as db:
        if has_manager(session=db):
            return None
        invite = owner_invite(session=db, now=now)
        return (invite.code, invite.expires_at) if invite is not None else None
