"""Associates: who may use the bot, with which role, in which store."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Associate, Role


def add_associate(
    *,
    session: Session,
    telegram_id: int,
    name: str,
    role: str,
    store: str | None = None,
    language: str | None = None,
) -> tuple[Associate, bool]:
    """Register an associate, or update the one with this Telegram id; return it and whether
    it is new. `language` (ISO 639-1) is their preferred reply language; None keeps the one an
    existing associate chose."""
    try:
        role = Role(role).value
    except ValueError:
        valid = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {role!r}: choose one of {valid}") from None
    if not name.strip():
        raise ValueError("the name must not be empty")
    associate = session.exec(select(Associate).where(Associate.telegram_id == telegram_id)).first()
    created = associate is None
    if associate is None:
        associate = Associate(
            telegram_id=telegram_id, name=name.strip(), role=role, store=store, language=language
        )
    else:
        associate.name, associate.role, associate.store = name.strip(), role, store
        if language is not None:
            associate.language = language
    session.add(associate)
    session.commit()
    session.refresh(associate)
    return associate, created


def list_associates(*, session: Session) -> list[Associate]:
    """Return every associate, by store then name."""
    return list(
        session.exec(select(Associate).order_by(col(Associate.store), col(Associate.name))).all()
    )


def find_associate(*, session: Session, telegram_id: int) -> Associate | None:
    """Return the associate with this Telegram id, if registered."""
    return session.exec(select(Associate).where(Associate.telegram_id == telegram_id)).first()


def set_language(*, session: Session, telegram_id: int, language: str | None) -> Associate | None:
    """Store the associate's preferred reply language (ISO 639-1; None: no preference, replies
    follow the chat client); return the associate, or None when nobody has this Telegram id."""
    associate = find_associate(session=session, telegram_id=telegram_id)
    if associate is None:
        return None
    associate.language = language
    session.add(associate)
    session.commit()
    session.refresh(associate)
    return associate
