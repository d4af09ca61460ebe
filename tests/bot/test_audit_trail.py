"""The audit trail as associates make it: every answer that shows a customer's data, every note,
task and contact written, every list shown, through the real assistant, the console chat, the
real PTB Application and the commands; `clienteling audit` reads it back, and retention
forgets what is older than AUDIT_RETENTION_DAYS."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

import bot.core.assistant
from bot.cli import main
from bot.core.assistant import Assistant
from bot.core.audit import entries_of
from bot.core.types import Caller, Intent, Option, Reply
from bot.transports.console import chat_loop
from knowledge.embeddings import E5Embeddings
from storage.audit import Actor, add_entry
from storage.db import make_engine
from storage.models import AuditEntry
from tests.bot.telegram_app import ASSOCIATE, RecordingRequest, Telegram, buttons_of
from tests.bot.test_briefing import ANA, plant, run_briefings, running_bot

MARIA_LOPEZ, CAGLA, HIROSHI = "C0011", "C0039", "C0154"
ANA_AT_THE_TILL = Caller(name="Ana", store="S01", telegram_id=1001)

Row = tuple[str, str | None, str | None]


class Trail:
    """The entries written since the last look (the first look: since the trail was made; the
    demo store other tests answered on may hold entries already)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with Session(engine) as db:
            self.seen = max(db.exec(select(AuditEntry.id)).all(), default=None) or 0

    def new(self) -> list[AuditEntry]:
        with Session(self.engine) as db:
            entries = list(
                db.exec(
                    select(AuditEntry)
                    .where(col(AuditEntry.id) > self.seen)
                    .order_by(col(AuditEntry.id))
                ).all()
            )
        if entries:
            self.seen = entries[-1].id or self.seen
        return entries

    def rows(self) -> list[Row]:
        """(kind, customer, detail) of the new entries."""
        return [(e.kind, e.customer_id, e.detail) for e in self.new()]


@pytest.fixture
def trail(writable_assistant: Assistant) -> Trail:
    return Trail(writable_assistant.engine)


# --- which replies are views ---------------------------------------------------------------------


def test_a_reply_is_a_view_of_every_customer_it_was_composed_from() -> None:
    # As the LLM's replies are: the customers its tools read are in the sources.
    worded = Reply(
        text="…",
        intent=Intent.overview,
        sources=["tool customer_profile", "customer C1", "note 3", "customer C2", "customer C1"],
    )
    picked = Reply(
        text="Which one?",
        intent=Intent.clarify,
        options=[
            Option("Ana (C1)", Intent.task, "C1|2026-12-04|call her"),  # a task's candidate
            Option("Ana (C2)", Intent.draft, "C2 product,AERO,"),  # a draft's
        ],
    )

    assert entries_of(worded) == [("overview", "C1", None), ("overview", "C2", None)]
    assert entries_of(picked) == [
        ("candidates", "C1", "one of 2"),
        ("candidates", "C2", "one of 2"),
    ]


def test_replies_that_show_nobody_or_confirm_a_write_are_no_view() -> None:
    nothing = [
        Reply(text="", intent=Intent.lists, sources=["list due"]),  # an empty list
        Reply(text="", intent=Intent.lists),  # a list that could not be made
        Reply(text="", intent=Intent.briefing),  # "nothing is waiting for you today"
        Reply(text="", intent=Intent.task),  # "you have no open follow-ups"
        Reply(text="", intent=Intent.note, customer_id="C1", sources=["note 4"]),
        Reply(text="", intent=Intent.task, customer_id="C1", sources=["task 2"]),
        Reply(text="", intent=Intent.draft, customer_id="C1", sources=["contact 9"]),  # sent
        Reply(text="", intent=Intent.product, sources=["product AERO", "tip t1"]),
        # tips that fit, or "which product?", while the chat is about her: nothing of hers
        Reply(text="", intent=Intent.product, customer_id="C1", sources=["tip t1"]),
        Reply(text="", intent=Intent.product, customer_id="C1"),
        Reply(text="", intent=Intent.unknown, customer_id="C1"),  # off topic, about her
        Reply(text="", intent=Intent.help),
    ]

    assert [entries_of(reply) for reply in nothing] == [[]] * len(nothing)
    # her product card says whether and when she bought it: a view
    card = Reply(text="", intent=Intent.product, customer_id="C1", sources=["product AERO"])
    assert entries_of(card) == [("product", "C1", None)]


# --- through the assistant -----------------------------------------------------------------------


def test_each_answer_about_a_customer_is_one_view_of_its_kind(
    writable_assistant: Assistant, trail: Trail
) -> None:
    def ask(text: str) -> list[AuditEntry]:
        writable_assistant.answer(ANA_AT_THE_TILL, text, "till")
        return trail.new()

    [overview] = ask("who is María López?")
    assert (overview.kind, overview.customer_id) == ("overview", MARIA_LOPEZ)
    assert (overview.associate_name, overview.telegram_id, overview.channel) == (
        "Ana",
        1001,
        "cli",
    )
    assert [(e.kind, e.customer_id) for e in ask("what did she buy last time?")] == [
        ("history", MARIA_LOPEZ)
    ]
    assert [(e.kind, e.customer_id) for e in ask("what sizes does she wear?")] == [
        ("sizes", MARIA_LOPEZ)
    ]
    assert [(e.kind, e.customer_id) for e in ask("how much did María López spend in 2025?")] == [
        ("spend", MARIA_LOPEZ)
    ]
    assert [(e.kind, e.customer_id) for e in ask("Çağla is here, what should I show her?")] == [
        ("recommend", CAGLA)
    ]
    assert [(e.kind, e.customer_id) for e in ask("notes on Hiroshi Tanaka")] == [
        ("notes", HIROSHI)
    ]
    # Help, product tips and small talk show no customer's data.
    for nothing in ("help", "tips for selling the Aeropress?", "hello", "what's the weather?"):
        assert ask(nothing) == [], nothing


def test_a_button_press_is_a_view_like_a_question(
    writable_assistant: Assistant, trail: Trail
) -> None:
    reply = writable_assistant.answer(ANA_AT_THE_TILL, "who is Hiroshi Tanaka", "till")
    trail.new()
    notes = next(o for o in reply.options if o.intent == Intent.notes)

    writable_assistant.follow(ANA_AT_THE_TILL, notes, "till")

    assert trail.rows() == [("notes", HIROSHI, None)]


def test_a_which_one_records_each_candidate_it_shows(
    writable_assistant: Assistant, trail: Trail
) -> None:
    reply = writable_assistant.answer(ANA_AT_THE_TILL, "who is Maria?", "till")

    rows = trail.rows()
    shown = [o.value for o in reply.options]
    assert reply.intent == Intent.clarify
    assert rows == [("candidates", cid, f"one of {len(shown)}") for cid in shown]
    assert MARIA_LOPEZ in shown


def test_a_list_is_an_entry_per_customer_shown_and_opening_a_row_is_an_overview(
    writable_assistant: Assistant, trail: Trail
) -> None:
    reply = writable_assistant.answer(ANA_AT_THE_TILL, "who are my top customers?", "till")

    rows = trail.rows()
    shown = [s.removeprefix("customer ") for s in reply.sources if s.startswith("customer ")]
    assert [customer for _kind, customer, _detail in rows] == shown
    assert {kind for kind, _customer, _detail in rows} == {"list"}
    detail = rows[0][2]
    assert detail is not None
    assert detail.startswith("vip: ")
    assert detail.endswith(" customers")
    row = reply.options[0]
    assert row.intent == Intent.overview

    writable_assistant.follow(ANA_AT_THE_TILL, row, "till")

    assert trail.rows() == [("overview", row.value, None)]


def test_a_note_written_is_recorded_with_the_note_and_its_reply_is_no_view(
    writable_assistant: Assistant, trail: Trail
) -> None:
    reply = writable_assistant.answer(
        ANA_AT_THE_TILL, "note for Hiroshi: kitchen renovation in spring", "till"
    )

    assert reply.intent == Intent.note
    assert trail.rows() == [("note", HIROSHI, None)]


def test_a_task_made_is_recorded_and_my_tasks_is_a_list(
    writable_assistant: Assistant, trail: Trail
) -> None:
    made = writable_assistant.answer(
        ANA_AT_THE_TILL, "remind me to call Hiroshi on Friday about the kitchen", "till"
    )
    [(kind, customer, detail)] = trail.rows()
    listed = writable_assistant.answer(ANA_AT_THE_TILL, "my tasks", "till")

    assert made.intent == Intent.task
    assert (kind, customer) == ("task", HIROSHI)
    assert detail is not None
    assert detail.startswith("due 2026-11-2")  # the demo's clock is Sunday 22 November
    assert "Hiroshi Tanaka" in listed.text
    assert trail.rows() == [("list", HIROSHI, "followups: 1 task")]


def test_a_draft_is_a_view_and_marking_it_sent_a_contact(
    writable_assistant: Assistant, trail: Trail
) -> None:
    draft = writable_assistant.answer(
        ANA_AT_THE_TILL, "draft a message to María López about the AeroPress", "till"
    )
    assert trail.rows() == [("draft", MARIA_LOPEZ, None)]
    mark = next(o for o in draft.options if o.intent == Intent.contact_sent)

    writable_assistant.follow(ANA_AT_THE_TILL, mark, "till")
    writable_assistant.follow(ANA_AT_THE_TILL, mark, "till")  # already logged: nothing new

    [(kind, customer, detail)] = trail.rows()
    assert (kind, customer) == ("contact", MARIA_LOPEZ)
    assert detail is not None
    assert detail.endswith(", marketing")


def test_the_console_chat_records_the_console_channel(
    writable_assistant: Assistant, trail: Trail
) -> None:
    typed = iter(["who is Hiroshi Tanaka", "1", "/quit"])

    chat_loop(
        writable_assistant,
        Caller.local_admin(),
        "console",
        read=lambda _prompt: next(typed),
        write=lambda _text: None,
    )

    entries = trail.new()
    assert [(e.kind, e.customer_id) for e in entries] == [
        ("overview", HIROSHI),
        ("history", HIROSHI),
    ]
    assert {(e.channel, e.associate_name, e.telegram_id) for e in entries} == {
        ("console", "console", None)
    }


def test_a_view_is_recorded_even_when_the_chats_context_cannot_be_saved(
    writable_assistant: Assistant, trail: Trail, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(**_: object) -> None:
        raise OperationalError("UPDATE conversation …", {}, Exception("database is locked"))

    monkeypatch.setattr(bot.core.assistant, "save_conversation", locked)
    monkeypatch.setattr("storage.db.wait_random_exponential", lambda **_: lambda _s: 0)

    reply = writable_assistant.answer(ANA_AT_THE_TILL, "who is Hiroshi Tanaka?", "t-lost")

    assert "Hiroshi Tanaka" in reply.text
    assert trail.rows() == [("overview", HIROSHI, None)]


# --- through Telegram ----------------------------------------------------------------------------


async def test_telegram_answers_and_buttons_are_recorded_with_the_associates_id(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    trail = Trail(bot_assistant.engine)

    [overview] = await telegram.say(ASSOCIATE, "who is María López?")
    await telegram.press(ASSOCIATE, dict(buttons_of(overview))["Last purchases"])
    await telegram.press(ASSOCIATE, dict(buttons_of(overview))["👍"])  # a vote shows nothing
    await telegram.say(ASSOCIATE, "/customer Hiroshi Tanaka")

    entries = trail.new()
    assert [(e.kind, e.customer_id) for e in entries] == [
        ("overview", MARIA_LOPEZ),
        ("history", MARIA_LOPEZ),
        ("overview", HIROSHI),
    ]
    assert {(e.channel, e.telegram_id, e.associate_name) for e in entries} == {
        ("telegram", ASSOCIATE, "Ana")
    }


async def test_housekeeping_forgets_audit_entries_older_than_the_retention(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    now = datetime(2026, 11, 22, 10, tzinfo=UTC)  # the fixture's clock
    trail = Trail(bot_assistant.engine)
    with Session(bot_assistant.engine) as db:
        for days in (400, 366, 364, 1):
            add_entry(
                session=db,
                actor=Actor(channel="telegram", name="Ana", telegram_id=ASSOCIATE),
                kind="overview",
                customer_id=MARIA_LOPEZ,
                detail=str(days),
                at=now - timedelta(days=days),
            )
        db.commit()
    assert telegram.app.job_queue is not None
    [job] = [j for j in telegram.app.job_queue.jobs() if j.name == "forget_old_updates"]

    await job.run(telegram.app)

    assert [e.detail for e in trail.new()] == ["364", "1"]


async def test_a_briefing_delivered_is_one_entry_for_its_associate(
    engine: Engine, tmp_path: Path, embeddings: E5Embeddings
) -> None:
    plant(engine)
    trail = Trail(engine)
    async with running_bot(engine, tmp_path / "data", embeddings, RecordingRequest()) as bot:
        await run_briefings(bot.app)

    ana = [e for e in trail.new() if e.telegram_id == ANA]
    assert ana
    assert {(e.kind, e.channel) for e in ana} == {("briefing", "telegram")}
    assert all(e.customer_id for e in ana)  # each customer the briefing shows
    assert ana[0].detail is not None
    assert ana[0].detail.endswith(" customers")


# --- the commands --------------------------------------------------------------------------------


@pytest.fixture
def installation(writable_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the demo store as the CLI's installation."""
    monkeypatch.chdir(writable_dir)
    monkeypatch.setenv("DATA_DIR", str(writable_dir))
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "LLM_MODEL", "CHROMA_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STORE_TIMEZONE", "Europe/Berlin")
    # The demo store the copy comes from keeps the entries of other tests' answers.
    engine = make_engine(f"sqlite:///{writable_dir / 'clienteling.db'}")
    with Session(engine) as db:
        db.exec(delete(AuditEntry))
        db.commit()
    engine.dispose()
    return writable_dir


def _audit(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main(["audit", *args, "--json"]) == 0
    entries: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return entries


@pytest.mark.usefixtures("installation")
def test_ask_records_the_cli_channel_and_audit_filters_and_prints_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        '{"id": 1, "question": "what did Çağla Yılmaz buy last time?"}\n'
        '{"id": 2, "question": "help"}\n',
        encoding="utf-8",
    )
    assert main(["ask", "who is María López?"]) == 0
    assert main(["ask", "--batch", str(batch), "--json"]) == 0

    everything = _audit(capsys)
    assert [(e["kind"], e["customer_id"]) for e in everything] == [
        ("overview", MARIA_LOPEZ),
        ("history", CAGLA),
    ]
    first = everything[0]
    assert set(first) == {
        "at",
        "channel",
        "associate",
        "telegram_id",
        "customer_id",
        "kind",
        "detail",
    }
    assert (first["channel"], first["associate"], first["telegram_id"]) == ("cli", "console", None)
    at = datetime.fromisoformat(first["at"])
    assert at.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - at) < timedelta(minutes=10)

    assert [e["customer_id"] for e in _audit(capsys, "--customer", CAGLA)] == [CAGLA]
    assert len(_audit(capsys, "--associate", "CONSOLE")) == 2
    assert _audit(capsys, "--associate", "Ana") == []
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    assert _audit(capsys, "--since", tomorrow) == []
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    assert len(_audit(capsys, "--since", yesterday)) == 2


@pytest.mark.usefixtures("installation")
def test_audit_prints_a_table_in_store_time_newest_last(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.settings import Settings
    from bot.wiring import open_database

    engine = open_database(Settings())
    with Session(engine) as db:
        for at, kind in (
            (datetime(2026, 7, 1, 8, 30, tzinfo=UTC), "notes"),
            (datetime(2026, 1, 5, 9, 0, tzinfo=UTC), "overview"),
        ):
            add_entry(
                session=db,
                actor=Actor(channel="telegram", name="Ana", telegram_id=1001),
                kind=kind,
                customer_id=MARIA_LOPEZ,
                at=at,
            )
        db.commit()

    assert main(["audit", "--customer", MARIA_LOPEZ]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("time (Europe/Berlin)")
    assert lines[1].startswith("2026-01-05 10:00:00  Ana (1001)")  # CET
    assert lines[2].startswith("2026-07-01 10:30:00  Ana (1001)")  # CEST
    assert "telegram" in lines[1]
    assert "C0011" in lines[1]
    assert lines[1].split()[-1] == "overview"
    assert lines[-1] == "2 entries"


@pytest.mark.usefixtures("installation")
def test_audit_refuses_a_bad_date_naming_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--since", "30/11/2026"]) == 2
    assert "--since '30/11/2026' is not a date like 2026-11-30" in capsys.readouterr().err
    assert main(["audit", "--prune", "--customer", "C0011"]) == 2
    assert "--prune takes no other option" in capsys.readouterr().err


@pytest.mark.usefixtures("installation")
def test_audit_prune_forgets_entries_past_the_retention(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.settings import Settings
    from bot.wiring import open_database

    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "30")
    engine = open_database(Settings())
    now = datetime.now(UTC)
    with Session(engine) as db:
        for days in (31, 29):
            add_entry(
                session=db,
                actor=Actor(channel="cli", name="console"),
                kind="overview",
                customer_id=MARIA_LOPEZ,
                detail=str(days),
                at=now - timedelta(days=days),
            )
        db.commit()

    assert main(["audit", "--prune"]) == 0

    assert "forgot 1 audit entry older than" in capsys.readouterr().out
    assert [e["detail"] for e in _audit(capsys)] == ["29"]


@pytest.mark.usefixtures("installation")
def test_lists_recommendations_and_briefings_printed_are_recorded_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lists", "vip", "--limit", "3"]) == 0
    assert main(["tasks"]) == 0  # none open: an empty list shows nobody
    assert main(["recommend", CAGLA, "--k", "3"]) == 0
    assert main(["briefing", "--date", "2026-11-16"]) == 0

    entries = _audit(capsys)
    kinds = [(e["kind"], e["detail"]) for e in entries]
    assert kinds[:4] == [("list", "vip: 3 customers")] * 3 + [("recommend", None)]
    assert all(e["customer_id"] for e in entries)
    assert entries[3]["customer_id"] == CAGLA
    assert {kind for kind, _detail in kinds[4:]} == {"briefing"}
    assert {e["channel"] for e in entries} == {"cli"}
