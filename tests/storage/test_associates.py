"""Registering associates."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from storage.associates import add_associate, find_associate, list_associates


def test_an_associate_is_added_then_updated_by_telegram_id(engine: Engine) -> None:
    with Session(engine) as session:
        _, created = add_associate(
            session=session, telegram_id=5_000_000_001, name="Ana", role="associate", store="S01"
        )
        again, created_again = add_associate(
            session=session, telegram_id=5_000_000_001, name="Ana Ruiz", role="manager"
        )

        assert (created, created_again) == (True, False)
        assert (again.name, again.role, again.store) == ("Ana Ruiz", "manager", None)
        assert [a.name for a in list_associates(session=session)] == ["Ana Ruiz"]
        found = find_associate(session=session, telegram_id=5_000_000_001)
        assert found is not None
        assert found.id == again.id


def test_an_unknown_role_is_refused(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(ValueError, match="unknown role 'boss'"):
        add_associate(session=session, telegram_id=1, name="Bo", role="boss")
