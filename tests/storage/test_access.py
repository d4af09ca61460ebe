"""Invites: creating them, redeeming them once, and the first owner's invite."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from storage.access import InviteError, create_invite, has_manager, owner_invite, redeem_invite
from storage.associates import add_associate, find_associate, list_associates
from storage.models import Invite

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
ANA = 5_000_000_001  # beyond 32 bits, as real Telegram ids are
BO = 5_000_000_002


def test_an_invite_code_is_url_safe_unguessable_and_lives_for_its_ttl(engine: Engine) -> None:
    with Session(engine) as session:
        first = create_invite(session=session, store="S01", created_by=ANA, now=NOW)
        second = create_invite(session=session, now=NOW, ttl=timedelta(hours=2))

        assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", first.code)
        assert first.code != second.code
        assert (first.role, first.store, first.created_by) == ("associate", "S01", ANA)
        assert first.expires_at == NOW + timedelta(hours=24)
        assert second.expires_at == NOW + timedelta(hours=2)
        assert (first.used_by, first.used_at) == (None, None)


def test_an_invite_for_an_unknown_role_is_refused(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(ValueError, match="unknown role 'boss'"):
        create_invite(session=session, role="boss", now=NOW)


def test_redeeming_registers_the_user_with_the_invites_role_and_store(engine: Engine) -> None:
    with Session(engine) as session:
        code = create_invite(session=session, role="manager", store="S02", now=NOW).code

        associate = redeem_invite(
            session=session, code=f" {code} ", telegram_id=ANA, name=" Ana ", now=NOW
        )

        assert (associate.telegram_id, associate.name, associate.role, associate.store) == (
            ANA,
            "Ana",
            "manager",
            "S02",
        )
        invite = session.get(Invite, code)
        assert invite is not None
        assert (invite.used_by, invite.used_at) == (ANA, NOW)


def test_a_code_works_only_once(engine: Engine) -> None:
    with Session(engine) as session:
        code = create_invite(session=session, now=NOW).code
        redeem_invite(session=session, code=code, telegram_id=ANA, name="Ana", now=NOW)

        with pytest.raises(InviteError, match="already been used"):
            redeem_invite(session=session, code=code, telegram_id=BO, name="Bo", now=NOW)
        assert find_associate(session=session, telegram_id=BO) is None


def test_an_expired_code_is_refused_with_its_expiry_time(engine: Engine) -> None:
    with Session(engine) as session:
        code = create_invite(session=session, now=NOW, ttl=timedelta(hours=1)).code

        with pytest.raises(InviteError, match="expired on 2025-06-01 13:00 UTC") as caught:
            redeem_invite(
                session=session,
                code=code,
                telegram_id=ANA,
                name="Ana",
                now=NOW + timedelta(hours=1),
            )
        assert "ask your manager for a new one" in caught.value.reason
        assert list_associates(session=session) == []


def test_an_unknown_code_is_refused(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(InviteError, match="not valid"):
        redeem_invite(session=session, code="no-such-code", telegram_id=ANA, name="Ana", now=NOW)


def test_a_refused_name_leaves_the_invite_usable(engine: Engine) -> None:
    with Session(engine) as session:
        code = create_invite(session=session, now=NOW).code

        with pytest.raises(ValueError, match="name must not be empty"):
            redeem_invite(session=session, code=code, telegram_id=ANA, name="  ", now=NOW)
        associate = redeem_invite(session=session, code=code, telegram_id=ANA, name="Ana", now=NOW)

        assert associate.name == "Ana"


def test_an_overlong_telegram_name_is_shortened_to_fit(engine: Engine) -> None:
    with Session(engine) as session:
        code = create_invite(session=session, now=NOW).code

        associate = redeem_invite(
            session=session, code=code, telegram_id=ANA, name="A" * 130, now=NOW
        )

        assert associate.name == "A" * 100


def test_an_invite_never_lowers_an_existing_role_and_keeps_the_store_it_does_not_set(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        add_associate(session=session, telegram_id=ANA, name="Ana", role="admin", store="S01")
        code = create_invite(session=session, role="associate", now=NOW).code

        associate = redeem_invite(
            session=session, code=code, telegram_id=ANA, name="Ana Ruiz", now=NOW
        )

        assert (associate.name, associate.role, associate.store) == ("Ana Ruiz", "admin", "S01")


def test_two_concurrent_redemptions_of_one_code_register_exactly_one_person(
    engine: Engine,
) -> None:
    racers = 4
    with Session(engine) as session:
        code = create_invite(session=session, now=NOW).code
    barrier = threading.Barrier(racers)
    outcomes: list[str] = []

    def redeem(telegram_id: int) -> None:
        # Each racer has its own session, hence its own database connection.
        with Session(engine) as own:
            barrier.wait()
            try:
                redeem_invite(
                    session=own, code=code, telegram_id=telegram_id, name="Racer", now=NOW
                )
                outcomes.append("registered")
            except InviteError as exc:
                outcomes.append(exc.reason)

    threads = [threading.Thread(target=redeem, args=(ANA + i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == racers  # every racer got an answer, none crashed
    assert outcomes.count("registered") == 1
    assert all("already been used" in o for o in outcomes if o != "registered")
    with Session(engine) as session:
        assert len(list_associates(session=session)) == 1


def test_has_manager_is_true_once_a_manager_or_an_admin_exists(engine: Engine) -> None:
    with Session(engine) as session:
        assert not has_manager(session=session)
        add_associate(session=session, telegram_id=ANA, name="Ana", role="associate")
        assert not has_manager(session=session)
        add_associate(session=session, telegram_id=BO, name="Bo", role="admin")
        assert has_manager(session=session)


def test_the_owner_invite_is_reused_until_it_expires_and_gone_once_a_manager_exists(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        first = owner_invite(session=session, now=NOW)
        assert first is not None
        assert (first.role, first.created_by) == ("manager", None)

        again = owner_invite(session=session, now=NOW + timedelta(hours=23))
        assert again is not None
        assert again.code == first.code

        later = owner_invite(session=session, now=NOW + timedelta(hours=24))
        assert later is not None
        assert later.code != first.code

        redeem_invite(session=session, code=later.code, telegram_id=ANA, name="Owner", now=NOW)
        assert owner_invite(session=session, now=NOW) is None


def test_an_associate_invite_is_never_offered_as_the_owner_invite(engine: Engine) -> None:
    with Session(engine) as session:
        plain = create_invite(session=session, now=NOW)

        owner = owner_invite(session=session, now=NOW)

        assert owner is not None
        assert owner.code != plain.code
        assert owner.role == "manager"
