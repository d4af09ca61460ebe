"""`/forget ID` on the real PTB Application: managers only, after a confirmation button that
only the manager who asked can press, once (tests/bot/telegram_app.py)."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.core.assistant import Assistant
from storage.models import AuditEntry, Customer, SuppressedIdentity
from tests.bot.telegram_app import ASSOCIATE, MANAGER, Telegram, buttons_of


def _callback_answers(telegram: Telegram) -> list[str | None]:
    return [p.get("text") for api, p in telegram.request.calls if api == "answerCallbackQuery"]


def _exists(assistant: Assistant, customer_id: str) -> bool:
    with Session(assistant.engine) as db:
        return db.get(Customer, customer_id) is not None


async def test_a_manager_erases_a_customer_after_confirming(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    [asked] = await telegram.say(MANAGER, "/forget C0011")
    assert "C0011" in asked["text"]
    assert "cannot be undone" in asked["text"]
    assert "Purchase lines:" in asked["text"]
    buttons = dict(buttons_of(asked))
    assert _exists(bot_assistant, "C0011")  # asking erases nothing

    [done] = await telegram.press(MANAGER, buttons["Erase for good"])
    assert "Erased C0011" in done["text"]
    assert not _exists(bot_assistant, "C0011")
    with Session(bot_assistant.engine) as db:
        assert db.exec(select(SuppressedIdentity)).all()
        entry = db.exec(select(AuditEntry).where(AuditEntry.kind == "erasure")).one()
        assert entry.channel == "telegram"
        assert entry.telegram_id == MANAGER
    # She is gone for the assistant at once, not after its next catalogue check.
    [after] = await telegram.say(ASSOCIATE, "who is Maria López?")
    assert "C0011" not in after["text"]
    # The same button again does nothing but say so.
    assert await telegram.press(MANAGER, buttons["Erase for good"]) == []
    assert _callback_answers(telegram)[-1] == "This button has expired."


async def test_cancel_forged_and_other_peoples_presses_erase_nothing(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    [asked] = await telegram.say(MANAGER, "/forget C0011")
    buttons = dict(buttons_of(asked))
    await telegram.press(ASSOCIATE, buttons["Erase for good"])
    await telegram.press(MANAGER, "forget:yes:made-up-token")
    assert _callback_answers(telegram)[-2:] == ["This button has expired."] * 2
    assert _exists(bot_assistant, "C0011")
    [cancelled] = await telegram.press(MANAGER, buttons["Cancel"])
    assert "Nothing was erased" in cancelled["text"]
    assert _exists(bot_assistant, "C0011")


async def test_associates_cannot_forget_and_unknown_ids_are_said(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    [refused] = await telegram.say(ASSOCIATE, "/forget C0011")
    assert "Only managers" in refused["text"]
    assert _exists(bot_assistant, "C0011")
    [unknown] = await telegram.say(MANAGER, "/forget NOPE1")
    assert "No customer with id NOPE1" in unknown["text"]
    [bare] = await telegram.say(MANAGER, "/forget")
    assert "/forget CUSTOMER_ID" in bare["text"]
