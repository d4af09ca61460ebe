"""Who reads a reply, what a button may do, and what reaches the log: the Telegram adapter on the
real PTB Application with a recording transport (tests/bot/telegram_app.py)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from bot.core.assistant import Assistant
from bot.core.i18n import _, speaking
from bot.transports.telegram.guard import PRIVATE_ONLY
from bot.transports.telegram.render import MAX_MESSAGE
from knowledge.tips import list_tips
from storage.models import Feedback, Note
from tests.bot.telegram_app import (
    ASSOCIATE,
    BOT_USER,
    MANAGER,
    STRANGER,
    Telegram,
    buttons_of,
)
from tests.telegram_fake import parse_entities

GROUP, SUPERGROUP, CHANNEL = -4001, -1001234567890, -1009876543210
# What a customer overview or tip shows; none of it may reach a group.
PRIVATE = ("Yılmaz", "López", "C00", "EU 3", "marketing", "birthday", "spent", "AeroPress", "Tip")


def _in_chat(
    telegram: Telegram, chat_id: int, kind: str, user_id: int | None, text: str, **extra: Any
) -> dict[str, Any]:
    entities = []
    if text.startswith("/"):
        entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    message: dict[str, Any] = {
        "message_id": telegram._id(),
        "date": 0,
        "chat": {"id": chat_id, "type": kind, "title": "Store team"},
        "text": text,
        "entities": entities,
        **extra,
    }
    if user_id is None:  # channel posts have no sender
        return {"update_id": telegram._id(), "channel_post": message}
    message["from"] = {
        "id": user_id,
        "is_bot": False,
        "first_name": f"User{user_id}",
        "language_code": "en",
    }
    return {"update_id": telegram._id(), "message": message}


def _assert_private_only(replies: list[dict[str, Any]]) -> None:
    assert len(replies) == 1
    assert "private chat" in replies[0]["text"]
    for private in PRIVATE:
        assert private not in replies[0]["text"]


@pytest.mark.parametrize(("chat_id", "kind"), [(GROUP, "group"), (SUPERGROUP, "supergroup")])
async def test_a_group_with_a_stranger_in_it_never_sees_customer_data(
    telegram: Telegram, chat_id: int, kind: str
) -> None:
    # The associate asks in the team group; a stranger (or a customer) reads along.
    for sender in (ASSOCIATE, MANAGER, STRANGER):
        for question in ("/customer Çağla Yılmaz", "/product AeroPress", "/tips", "/note X: y"):
            replies = await telegram.send(_in_chat(telegram, chat_id, kind, sender, question))
            _assert_private_only(replies)


async def test_a_mention_or_a_reply_in_a_group_gets_the_private_chat_line(
    telegram: Telegram,
) -> None:
    mention = "@ClientelingBot who is María López?"
    entity = {"type": "mention", "offset": 0, "length": len("@ClientelingBot")}
    by_mention = await telegram.send(
        _in_chat(telegram, GROUP, "group", ASSOCIATE, mention, entities=[entity])
    )
    bot_message = {"message_id": 1, "date": 0, "chat": {"id": GROUP, "type": "group"}}
    by_reply = await telegram.send(
        _in_chat(
            telegram,
            GROUP,
            "group",
            ASSOCIATE,
            "and her sizes?",
            reply_to_message={**bot_message, "from": BOT_USER, "text": "…"},
        )
    )

    _assert_private_only(by_mention)
    _assert_private_only(by_reply)


async def test_group_chatter_not_addressed_to_the_bot_gets_no_reply(telegram: Telegram) -> None:
    replies = await telegram.send(
        _in_chat(telegram, GROUP, "group", ASSOCIATE, "who is María López?")
    )

    assert replies == []


async def test_the_private_chat_line_is_in_the_senders_language(telegram: Telegram) -> None:
    update = _in_chat(telegram, GROUP, "group", ASSOCIATE, "/customer María López")
    update["message"]["from"]["language_code"] = "tr"

    [reply] = await telegram.send(update)

    with speaking("tr"):  # whatever the Turkish catalogue says
        expected = _(PRIVATE_ONLY).format(bot=BOT_USER["username"])
    assert reply["text"] == expected


async def test_a_channel_post_gets_only_the_private_chat_line(telegram: Telegram) -> None:
    replies = await telegram.send(
        _in_chat(telegram, CHANNEL, "channel", None, "/customer Çağla Yılmaz")
    )

    _assert_private_only(replies)


async def test_a_manager_cannot_add_tips_or_invite_from_a_group(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    before = len(list_tips(bot_assistant.tips))
    tip = await telegram.send(
        _in_chat(telegram, GROUP, "group", MANAGER, "/tip AeroPress ask how many cups they brew")
    )
    invite = await telegram.send(_in_chat(telegram, GROUP, "group", MANAGER, "/invite"))

    _assert_private_only(tip)
    _assert_private_only(invite)
    assert "/start" not in invite[0]["text"]
    assert len(list_tips(bot_assistant.tips)) == before


async def test_the_same_question_in_a_private_chat_is_answered(telegram: Telegram) -> None:
    [reply] = await telegram.say(ASSOCIATE, "/customer Çağla Yılmaz")

    assert "Yılmaz" in reply["text"]
    assert "marketing" in reply["text"]


@pytest.mark.parametrize(
    "content",
    [
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "su",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        },
        {"photo": [{"file_id": "p", "file_unique_id": "pu", "width": 90, "height": 90}]},
        {"location": {"latitude": 41.0, "longitude": 29.0}},
        {"voice": {"file_id": "v", "file_unique_id": "vu", "duration": 3}},
    ],
    ids=["sticker", "photo", "location", "voice"],
)
async def test_strangers_get_the_refusal_whatever_they_send(
    telegram: Telegram, content: dict[str, Any]
) -> None:
    update = telegram.message(STRANGER, "")
    del update["message"]["text"], update["message"]["entities"]
    update["message"].update(content)

    [reply] = await telegram.send(update)

    assert str(STRANGER) in reply["text"]
    assert "associates only" in reply["text"]


async def test_an_associates_sticker_gets_what_the_bot_can_read(telegram: Telegram) -> None:
    update = telegram.message(ASSOCIATE, "")
    del update["message"]["text"], update["message"]["entities"]
    update["message"]["location"] = {"latitude": 41.0, "longitude": 29.0}

    [reply] = await telegram.send(update)

    assert "I read text" in reply["text"]


async def test_an_unknown_command_gets_help(telegram: Telegram) -> None:
    [reply] = await telegram.say(ASSOCIATE, "/birthdays")

    assert "I don't know the command /birthdays" in reply["text"]
    assert "Ask me about a customer" in reply["text"]


# --- buttons -------------------------------------------------------------------------------------


def _callback_answers(telegram: Telegram) -> list[dict[str, Any]]:
    return [p for api, p in telegram.request.calls if api == "answerCallbackQuery"]


async def test_a_vote_on_another_chats_answer_is_refused(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    [reply] = await telegram.say(MANAGER, "who is Hiroshi Tanaka")
    vote = dict(buttons_of(reply))["👎"]

    sent = await telegram.press(ASSOCIATE, vote)  # the associate's chat never got that answer

    assert sent == []
    assert _callback_answers(telegram)[-1]["text"] == "This button has expired."
    with Session(bot_assistant.engine) as db:
        assert db.exec(select(Feedback)).all() == []


async def test_an_option_of_another_chats_answer_is_refused(telegram: Telegram) -> None:
    [reply] = await telegram.say(MANAGER, "who is Hiroshi Tanaka")
    option = dict(buttons_of(reply))["Last purchases"]

    sent = await telegram.press(ASSOCIATE, option)

    assert sent == []
    assert _callback_answers(telegram)[-1]["text"] == "This button has expired."


@pytest.mark.parametrize(
    "data",
    ["fb:999999:1", "o:999999:0", "fb:1:7", "o:1:99", "x:1:1", "fb:abc:1", "o:1", "", "fb:1:1:1"],
)
async def test_unknown_or_malformed_buttons_expire_and_stop_the_spinner(
    telegram: Telegram, bot_assistant: Assistant, data: str
) -> None:
    await telegram.say(ASSOCIATE, "who is Hiroshi Tanaka")  # answer 1 exists, in this chat

    sent = await telegram.press(ASSOCIATE, data)

    assert sent == []
    assert _callback_answers(telegram)[-1]["text"] == "This button has expired."
    with Session(bot_assistant.engine) as db:
        assert db.exec(select(Feedback)).all() == []


# --- long texts ----------------------------------------------------------------------------------


def _valid_parts(parts: list[dict[str, Any]]) -> str:
    """Check each sent part as Telegram would (length, HTML); return their plain text."""
    plain = []
    for part in parts:
        shown = parse_entities(part["text"], part.get("parse_mode"))
        assert len(shown.encode("utf-16-le")) // 2 <= 4096
        assert len(part["text"]) <= MAX_MESSAGE
        plain.append(shown)
    return "\n".join(plain)


async def test_a_ten_thousand_character_note_is_saved_confirmed_and_shown_in_full(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    words = [f"w{i}<&>" for i in range(1_250)]  # markup characters grow when escaped
    note = " ".join(words)[:10_000]

    confirmation = await telegram.say(ASSOCIATE, f"note for Hiroshi Tanaka: {note}")

    shown = _valid_parts(confirmation)
    assert len(confirmation) == 1
    assert shown.startswith("Noted for Hiroshi Tanaka: w0<&> w1<&>")
    with Session(bot_assistant.engine) as db:
        [saved] = db.exec(select(Note).where(Note.text == note)).all()
    assert saved.author == "Ana"

    [notes] = await telegram.say(ASSOCIATE, "notes about Hiroshi Tanaka")
    more = dict(buttons_of(notes))["More"]
    full = await telegram.press(ASSOCIATE, more)

    assert len(full) >= 3
    assert " ".join(note.split()) in " ".join(_valid_parts(full).split())
    assert buttons_of(full[-1])  # the buttons come with the last part
    assert all(not p.get("reply_markup") for p in full[:-1])


async def test_long_notes_are_shortened_and_the_consent_line_stays(telegram: Telegram) -> None:
    for n in range(3):
        await telegram.say(ASSOCIATE, f"note for Hiroshi Tanaka: visit {n} " + "details " * 300)

    [overview] = await telegram.say(ASSOCIATE, "who is Hiroshi Tanaka")

    shown = _valid_parts([overview])
    assert "marketing:" in shown.splitlines()[-1]
    assert shown.count("…") >= 3
    assert len(shown) <= 1_000
    assert "More" in dict(buttons_of(overview))


async def test_a_reply_that_fails_to_send_after_a_write_is_not_an_apology(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    telegram.request.fail_next("sendMessage", 400)  # Telegram refuses the confirmation once

    sent = await telegram.say(ASSOCIATE, "note for Hiroshi Tanaka: prefers calls after 5 pm")

    with Session(bot_assistant.engine) as db:
        assert db.exec(select(Note).where(Note.text == "prefers calls after 5 pm")).one()
    assert [s["text"] for s in sent if "Sorry" in s["text"]] == []
    assert "Noted for Hiroshi Tanaka" in sent[-1]["text"]  # sent again as plain text


# --- logs ----------------------------------------------------------------------------------------


async def test_a_failing_write_logs_no_customer_data(
    telegram: Telegram, bot_assistant: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    with bot_assistant.engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TRIGGER refuse_notes BEFORE INSERT ON note "
                "BEGIN SELECT RAISE(ABORT, 'disk quota exceeded'); END"
            )
        )
    secret = "call her on +34 600 123 456 or hiroshi.t@example.com about the Kyoto trip"

    with caplog.at_level(logging.DEBUG):
        [reply] = await telegram.say(ASSOCIATE, f"note for Hiroshi Tanaka: {secret}")

    assert "Sorry" in reply["text"]  # the note was not saved, and the associate is told
    logged = caplog.text
    assert "failed in on_text: IntegrityError" in logged
    for private in ("600 123 456", "example.com", "Kyoto", "Tanaka", "C00"):
        assert private not in logged
