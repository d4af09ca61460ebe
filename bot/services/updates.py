"""Telegram-style update bookkeeping any transport with redelivery needs: handle each once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from storage.db import run_write
from storage.updates import claim_update, forget_updates_before

__all__ = ["claim", "forget_before"]


def claim(engine: Engine, update_id: int) -> bool:
    """Record the update as handled; return False when it already was (skip it then)."""
    return run_write(engine, lambda db: claim_update(session=db, update_id=update_id))


def forget_before(engine: Engine, before: datetime) -> int:
    """Forget the updates handled before `before`; return how many."""
    return run_write(engine, lambda db: forget_updates_before(session=db, before=before))
