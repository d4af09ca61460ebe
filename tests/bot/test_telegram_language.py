"""The language of what the transports say: the guard's choice, /language, the command menu, and
the CLI's --language/--lang. Expected texts are rendered here with `speaking(code)`, so the tests
hold whatever the catalogues' translations are."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.cli import chat_loop, main
from bot.core import wording
from bot.core.assistant import Assistant
from bot.core.i18n import _, available_languages, language_name, speaking
from bot.core.types import Caller, Reply
from bot.transports.telegram.app import COMMANDS
from bot.transports.telegram.guard import refusal_html
from bot.transports.telegram.render import esc
from storage.models import Associate
from tests.bot.telegram_app import ASSOCIATE, STRANGER, Telegram


def _stored_language(assistant: Assistant, telegram_id: int) -> str | None:
    with Session(assistant.engine) as db:
        associate = db.exec(select(Associate).where(Associate.telegram_id == telegram_id)).one()
        return associate.language


def _recording(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[Caller, Reply]]:
    """Record every (caller, reply) the assistant answers with."""
    answered: list[tuple[Caller, Reply]] = []
    answer = assistant.answer

    def recorded(caller: Caller, text: str, session: str) -> Reply:
        reply = answer(caller, text, session)
        answered.append((caller, reply))
        return reply

    monkeypatch.setattr(assistant, "answer", recorded)
    return answered


def _from(update: dict[str, Any], language_code: str) -> dict[str, Any]:
    update["message"]["from"]["language_code"] = language_code
    return update


# --- /language -----------------------------------------------------------------------------------


async def test_language_es_is_stored_and_the_next_replies_are_in_spanish(
    telegram: Telegram, bot_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered = _recording(bot_assistant, monkeypatch)

    [confirmed] = await telegram.say(ASSOCIATE, "/language es")
    [answer] = await telegram.say(ASSOCIATE, "Hiroshi Tanaka")  # too short to tell its language
    [help_text] = await telegram.say(ASSOCIATE, "/help")

    assert _stored_language(bot_assistant, ASSOCIATE) == "es"
    with speaking("es"):
        spanish, spanish_help = language_name("es"), esc(_(wording.HELP))
    assert spanish in confirmed["text"]  # confirmed in the new language
    [(caller, reply)] = answered
    assert caller.language == "es"
    assert reply.language == "es"
    assert "Hiroshi Tanaka" in answer["text"]
    assert help_text["text"] == spanish_help


async def test_language_auto_clears_the_preference(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    await telegram.say(ASSOCIATE, "/language de")

    [confirmed] = await telegram.send(_from(telegram.message(ASSOCIATE, "/language auto"), "tr"))

    assert _stored_language(bot_assistant, ASSOCIATE) is None
    with speaking("tr"):  # replies follow the Telegram app again
        turkish = language_name("tr")
    assert turkish in confirmed["text"]


async def test_language_alone_shows_the_preference_and_the_choices(
    telegram: Telegram,
) -> None:
    await telegram.say(ASSOCIATE, "/language el")

    [status] = await telegram.say(ASSOCIATE, "/language")

    with speaking("el"):
        greek = language_name("el")
    assert greek in status["text"]
    for code in available_languages():
        assert f"{code} (" in status["text"]


async def test_an_unknown_language_lists_the_choices_and_changes_nothing(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    [refused] = await telegram.say(ASSOCIATE, "/language xx")

    assert "xx" in refused["text"]
    for code in available_languages():
        assert f"{code} (" in refused["text"]
    assert _stored_language(bot_assistant, ASSOCIATE) is None


# --- the guard's choice --------------------------------------------------------------------------


async def test_without_a_preference_the_telegram_clients_language_is_used(
    telegram: Telegram, bot_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered = _recording(bot_assistant, monkeypatch)

    [help_text] = await telegram.send(_from(telegram.message(ASSOCIATE, "/help"), "tr-TR"))
    await telegram.send(_from(telegram.message(ASSOCIATE, "Hiroshi Tanaka"), "tr"))

    with speaking("tr"):
        assert help_text["text"] == esc(_(wording.HELP))
    [(caller, reply)] = answered
    assert caller.client_language == "tr"
    assert reply.language == "tr"


async def test_a_stranger_is_refused_in_their_clients_language(telegram: Telegram) -> None:
    [reply] = await telegram.send(_from(telegram.message(STRANGER, "hallo"), "de"))

    with speaking("de"):
        expected = refusal_html(STRANGER)
    assert reply["text"] == expected
    assert str(STRANGER) in reply["text"]


async def test_a_stranger_pressing_a_button_is_told_in_their_language(telegram: Telegram) -> None:
    update = {
        "update_id": 999,
        "callback_query": {
            "id": "cq1",
            "from": {"id": STRANGER, "is_bot": False, "first_name": "X", "language_code": "es"},
            "chat_instance": "ci",
            "data": "o:1:0",
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": STRANGER, "type": "private"},
                "text": "…",
            },
        },
    }

    await telegram.send(update)

    [alert] = [p for api, p in telegram.request.calls if api == "answerCallbackQuery"]
    with speaking("es"):
        assert alert["text"] == _("You are not registered.")


# --- the command menu ----------------------------------------------------------------------------


async def test_startup_registers_the_command_menu_once_per_language(telegram: Telegram) -> None:
    app = telegram.app
    assert app.post_init is not None

    await app.post_init(app)

    menus = [p for api, p in telegram.request.calls if api == "setMyCommands"]
    by_language = {p.get("language_code"): p["commands"] for p in menus}
    assert len(menus) == len(by_language) == len(available_languages())
    assert set(by_language) == {None} | (set(available_languages()) - {"en"})
    for code, commands in by_language.items():
        with speaking(code or "en"):
            expected = [{"command": name, "description": _(text)} for name, text in COMMANDS]
        assert commands == expected
    assert "language" in [c["command"] for c in by_language[None]]


# --- the console and the CLI ---------------------------------------------------------------------


def test_the_console_chat_greets_in_the_callers_language() -> None:
    class Silent:
        default_language = "en"

    shown: list[str] = []
    prompts: list[str] = []

    def read(prompt: str) -> str:
        prompts.append(prompt)
        return "/quit"

    status = chat_loop(
        Silent(),  # type: ignore[arg-type]  # never asked: the chat ends at once
        Caller(name="Ana", language="el"),
        "console-language",
        read=read,
        write=shown.append,
    )

    assert status == 0
    with speaking("el"):
        assert shown == [
            _("Clienteling Assistant: ask about a customer or a product. /help, /quit.")
        ]
        assert prompts == [_("you> ")]


@pytest.fixture
def installation(writable_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the demo store as the CLI's installation (no .env, DATA_DIR only)."""
    monkeypatch.chdir(writable_dir)
    monkeypatch.setenv("DATA_DIR", str(writable_dir))
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "LLM_MODEL", "CHROMA_URL"):
        monkeypatch.delenv(name, raising=False)
    return writable_dir


@pytest.mark.usefixtures("installation")
def test_associates_add_stores_the_language_and_list_shows_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    add = ["associates", "add", "--telegram-id", "77", "--name", "Eleni", "--store", "S02"]

    assert main([*add, "--language", "EL"]) == 0
    assert (
        "added associate Eleni (telegram id 77, store S02, language el)" in capsys.readouterr().out
    )
    assert main([*add, "--role", "manager"]) == 0  # no --language: the preference is kept
    capsys.readouterr()
    assert main(["associates", "list"]) == 0
    listing = capsys.readouterr().out

    [row] = [line for line in listing.splitlines() if "Eleni" in line]
    assert row.split() == ["77", "manager", "S02", "el", "Eleni"]
    assert "language" in listing.splitlines()[0]


@pytest.mark.usefixtures("installation")
def test_an_unknown_language_is_refused_in_one_line_naming_the_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    add = ["associates", "add", "--telegram-id", "78", "--name", "Kim", "--language", "xx"]

    assert main(add) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "xx" in err
    assert ", ".join(available_languages()) in err

    assert main(["ask", "help", "--lang", "klingon"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert ", ".join(available_languages()) in err


def _recorded_asks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Caller, Reply]]:
    import bot.cli.ask as ask_module

    asked: list[tuple[Caller, Reply]] = []
    timed = ask_module.timed_answer

    def recorded(assistant: Assistant, caller: Caller, text: str, session: str) -> Any:
        reply, elapsed = timed(assistant, caller, text, session)
        asked.append((caller, reply))
        return reply, elapsed

    monkeypatch.setattr(ask_module, "timed_answer", recorded)
    return asked


@pytest.mark.usefixtures("installation")
def test_ask_lang_and_an_associates_stored_language_reach_the_assistant(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _recorded_asks(monkeypatch)
    assert (
        main(["associates", "add", "--telegram-id", "79", "--name", "Ayşe", "--language", "tr"])
        == 0
    )
    capsys.readouterr()

    assert main(["ask", "Hiroshi Tanaka", "--lang", "es", "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main(["ask", "Hiroshi Tanaka", "--as", "Ayşe", "--json"]) == 0
    capsys.readouterr()
    assert main(["ask", "Hiroshi Tanaka", "--as", "Ayşe", "--lang", "de"]) == 0
    capsys.readouterr()

    [(by_flag, in_spanish), (by_preference, in_turkish), (overridden, in_german)] = asked
    assert (by_flag.name, by_flag.language, in_spanish.language) == ("console", "es", "es")
    assert "Hiroshi Tanaka" in plain["answer"]
    assert (by_preference.name, by_preference.language, in_turkish.language) == (
        "Ayşe",
        "tr",
        "tr",
    )
    assert (overridden.language, in_german.language) == ("de", "de")
