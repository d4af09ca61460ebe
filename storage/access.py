"""Access to the bot: single-use invite codes, redeeming them, and the first owner's invite."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.associates import add_associate, find_associate
from storage.models import Associate, Invite, Role

DEFAULT_TTL = timedelta(hours=24)
# 12 random bytes: 96 bits, 16 URL-safe characters, well inside a Telegram /start payload (64).
_CODE_BYTES = 12
# Higher is more: redeeming an invite never lowers what someone may already do.
_RANK = {Role.associate.value: 0, Role.manager.value: 1, Role.admin.value: 2}
_NAME_MAX = 100


class InviteError(ValueError):
    """An invite code that cannot be redeemed; `reason` says why, for the person who sent it,
    in English; `kind` ("invalid", "used", "expired", "busy") and `expires_at` let a transport
    say it in the associate's language."""

    def __init__(
        self, reason: str, *, kind: str = "invalid", expires_at: datetime | None = None
    ) -> None:
        self.reason = reason
        self.kind = kind
        self.expires_at = expires_at
        super().__init__(reason)


def create_invite(
    *,
    session: Session,
    role: str = Role.associate.value,
    store: str | None = None,
    created_by: int | None = None,
    now: datetime,
    ttl: timedelta = DEFAULT_TTL,
) -> Invite:
    """Create a single-use invite for `role` in `store`, valid for `ttl` from `now`."""
    role = _valid_role(role)
    if ttl <= timedelta(0):
        raise ValueError(f"an invite must live for some time, got ttl={ttl}")
    invite = Invite(
        code=secrets.token_urlsafe(_CODE_BYTES),
        role=role,
        store=store,
        created_by=created_by,
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(invite)
    session.commit()
    session.refresh(invite)
    return invite


def redeem_invite(
    *, session: Session, code: str, telegram_id: int, name: str, now: datetime
) -> Associate:
    """Register (or promote) the Telegram user with the invite's role and store; use it up."""
    code = code.strip()
    # Claiming is one conditional UPDATE: of two concurrent redemptions, the database lets
    # exactly one match "used_by IS NULL", so a code can never be used twice.
    claim = (
        update(Invite)
        .where(
            col(Invite.code) == code,
            col(Invite.used_by).is_(None),
            col(Invite.expires_at) > now,
        )
        .values(used_by=telegram_id, used_at=now)
        .execution_options(synchronize_session=False)
    )
    try:
        claimed = session.exec(claim, execution_options={"preserve_rowcount": True}).rowcount
        if claimed != 1:
            found = session.get(Invite, code, populate_existing=True)
            raise _unusable(found, now=now)
        invite = session.get(Invite, code, populate_existing=True)
        if invite is None:  # cannot happen: claimed in this very transaction
            raise _unusable(None, now=now)
        role, store = invite.role, invite.store
        existing = find_associate(session=session, telegram_id=telegram_id)
        if existing is not None:
            if _RANK.get(existing.role, 0) > _RANK.get(role, 0):
                role = existing.role
            store = store if store is not None else existing.store
        # add_associate commits, so the claim and the registration land together.
        associate, _ = add_associate(
            session=session,
            telegram_id=telegram_id,
            name=name.strip()[:_NAME_MAX],
            role=role,
            store=store,
        )
    except Exception:
        # An unclaimed code or a refused name must leave the invite usable.
        session.rollback()
        raise
    return associate


def has_manager(*, session: Session) -> bool:
    """Tell whether anyone can manage the bot (a manager or an admin)."""
    managers = select(Associate.id).where(
        col(Associate.role).in_([Role.manager.value, Role.admin.value])
    )
    return session.exec(managers.limit(1)).first() is not None


def owner_invite(*, session: Session, now: datetime) -> Invite | None:
    """Return a manager invite for the first owner while nobody manages the bot, else None."""
    if has_manager(session=session):
        return None
    # Reused across restarts, so the code printed at start keeps working until it expires.
    pending = session.exec(
        select(Invite)
        .where(
            Invite.role == Role.manager.value,
            col(Invite.created_by).is_(None),
            col(Invite.used_by).is_(None),
            col(Invite.expires_at) > now,
        )
        .order_by(col(Invite.expires_at).desc())
    ).first()
    if pending is not None:
        return pending
    return create_invite(session=session, role=Role.manager.value, now=now)


def _valid_role(role: str) -> str:
    try:
        return Role(role).value
    except ValueError:
        valid = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {role!r}: choose one of {valid}") from None


def _unusable(invite: Invite | None, *, now: datetime) -> InviteError:
    if invite is None:
        return InviteError(
            "this invite code is not valid; check it, or ask your manager for a new one"
        )
    if invite.used_by is not None:
        return InviteError(
            "this invite code has already been used; ask your manager for a new one", kind="used"
        )
    if invite.expires_at <= now:
        expired = invite.expires_at.strftime("%Y-%m-%d %H:%M UTC")
        return InviteError(
            f"this invite code expired on {expired}; ask your manager for a new one",
            kind="expired",
            expires_at=invite.expires_at,
        )
    # Only reachable when the invite changed between the claim and this look-up.
    return InviteError("this invite code could not be used; try again", kind="busy")
