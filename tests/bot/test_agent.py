"""The language model path: real tools on a real store, fields from tools, and the fallbacks."""

from __future__ import annotations

import importlib.util
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, BaseMessage, SystemMessage, ToolMessage
from pydantic import Field
from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.assistant import Assistant, Caller, Reply
from bot.core.llm.agent import make_llm
from knowledge.tips import Tip, TipStore, add_tips, open_tip_store
from storage.importers import import_csv
from storage.notes import recent_notes
from tests.fakes import HashEmbeddings

CUSTOMERS = """customer_id,first_name,last_name,email,phone,birthday,tier,language,sizes,preferences,marketing_consent,home_store
C001,María,López,maria@example.com,+34 600 111 222,1988-04-12,gold,es,shoe EU 38; top S,likes light roasts,yes,S01
C002,Çağla,Yılmaz,,,,silver,tr,,renovating the bathroom,0,S02
C003,Hiroshi,Tanaka,hiroshi@example.jp,,1975-11-30,vip,ja,,,,
"""
PRODUCTS = """sku,name,category,brand,price,description
COF-001,AeroPress Original,Coffee,AeroPress,39.90,Immersion brewer for one to three cups
COF-002,Paper filters (350),Coffee,AeroPress,5.50,Micro-filters for the AeroPress
BAT-001,Bath towel 70x140,Bath,Lino,24.00,
"""
PURCHASES = """order_id,customer_id,sku,quantity,unit_price,purchased_at,store_id,associate_id
O-1,C001,COF-001,1,39.90,2025-03-01T10:15:00+01:00,S01,A01
O-1,C001,COF-002,2,5.50,2025-03-01T10:15:00+01:00,S01,A01
O-2,C002,BAT-001,1,24.00,2025-04-02,S02,
"""
AEROPRESS_TIP = Tip(
    tip_id="tip-aeropress",
    text="AeroPress: rinse the paper filter with hot water first so the coffee tastes clean.",
    sku="COF-001",
    category="Coffee",
    language="en",
)
TOWEL_TIP = Tip(
    tip_id="tip-towel",
    text="Bath towel: wash it twice before first use so it absorbs well.",
    sku="BAT-001",
    category="Bath",
    language="en",
)
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
ASSOCIATE = Caller(name="Ana", store="S01")

Store = tuple[Engine, TipStore]


class ScriptedChatModel(FakeMessagesListChatModel):
    """Replays scripted AI messages (the last one repeats) and keeps what it was shown."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedChatModel:  # noqa: ARG002
        """Accept the tools: the script already knows which to call."""
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        return super()._generate(messages, *args, **kwargs)


class BrokenChatModel(ScriptedChatModel):
    """A provider that cannot be reached."""

    def _generate(self, messages: list[BaseMessage], *_args: Any, **_kwargs: Any) -> Any:
        self.seen.append(list(messages))
        raise ConnectionError("connection refused")


def _call(tool: str, call_id: str, **args: Any) -> dict[str, Any]:
    return {"name": tool, "args": args, "id": call_id, "type": "tool_call"}


@pytest.fixture
def store(sqlite_engine: Engine, tmp_path: Path) -> Store:
    """A small shop: three customers, three products, two orders and two tips."""
    for kind, text in (("customers", CUSTOMERS), ("products", PRODUCTS), ("purchases", PURCHASES)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        import_csv(sqlite_engine, kind, path)
    tips = open_tip_store(embeddings=HashEmbeddings(), model_name="fake", path=tmp_path / "chroma")
    add_tips(tips, [AEROPRESS_TIP, TOWEL_TIP])
    return sqlite_engine, tips


def _assistant(store: Store, llm: Any, *, timeout: float = 10.0) -> Assistant:
    engine, tips = store
    return Assistant(
        engine=engine,
        tips=tips,
        embeddings=HashEmbeddings(),
        llm=llm,
        llm_timeout=timeout,
        clock=lambda: NOW,
    )


def _offline(assistant: Assistant, text: str) -> Reply:
    llm, assistant.llm = assistant.llm, None
    try:
        return assistant.answer(ASSOCIATE, text, session="offline")
    finally:
        assistant.llm = llm


def _tool_results(model: ScriptedChatModel) -> dict[str, str]:
    return {str(m.name): str(m.content) for m in model.seen[-1] if isinstance(m, ToolMessage)}


def test_tools_run_on_the_store_and_the_reply_fields_come_from_their_results(
    store: Store,
) -> None:
    prose = (
        "María compró una AeroPress Original y filtros en marzo. "
        "Enséñale también la toalla BAT-001. Consejo: enjuaga el filtro con agua caliente."
    )
    model = ScriptedChatModel(
        responses=[
            AIMessage("", tool_calls=[_call("find_customer", "c1", name="Maria Lopez")]),
            AIMessage(
                "",
                tool_calls=[
                    _call("purchase_history", "c2", customer_id="C001", year=2025),
                    _call("product_tips", "c3", query="AeroPress filter", sku="COF-001"),
                ],
            ),
            AIMessage(prose),
        ]
    )
    assistant = _assistant(store, model)

    reply = assistant.answer(ASSOCIATE, "¿Qué compró María López?", session="s1")

    assert reply.text == prose
    assert reply.notice is None
    assert reply.customer_id == "C001"
    # The prose names BAT-001 too: the fields hold only what the tools returned.
    assert sorted(reply.skus) == ["COF-001", "COF-002"]
    assert reply.tip_ids == ["tip-aeropress"]
    # Tools of one model turn run in parallel: their order within the turn is not fixed.
    assert reply.sources[0] == "tool find_customer"
    assert sorted(reply.sources[1:3]) == ["tool product_tips", "tool purchase_history"]
    assert "order O-1" in reply.sources
    assert "tip tip-aeropress" in reply.sources
    # The model was shown real rows of the store, not made-up ones.
    results = _tool_results(model)
    assert '"customer_id": "C001"' in results["find_customer"]
    assert "store S01, last visit 2025-03-01" in results["find_customer"]
    assert "AeroPress Original" in results["purchase_history"]
    assert "Paper filters (350)" in results["purchase_history"]
    assert "rinse the paper filter" in results["product_tips"]
    assert "towel" not in results["product_tips"].lower()


def test_a_follow_up_with_a_pronoun_tells_the_agent_who_it_is_about(
    store: Store,
) -> None:
    model = ScriptedChatModel(responses=[AIMessage("Compró una AeroPress.")])
    assistant = _assistant(store, model)
    assistant.answer(ASSOCIATE, "Who is María López?", session="s1")
    offline = _offline(assistant, "Who is María López?")

    reply = assistant.answer(ASSOCIATE, "¿Y qué compró ella?", session="s1")

    system = model.seen[-1][0]
    assert isinstance(system, SystemMessage)
    assert "customer C001 (María López)" in str(system.content)
    assert "Today is 2025-06-01." in str(system.content)
    # The agent is told the reply language, decided as for the offline answer.
    assert "Reply in Spanish (language code es)." in str(system.content)
    assert reply.language == "es"
    # No tool was called, so the reply claims nothing the model did not look up.
    assert reply.text == "Compró una AeroPress."
    assert (reply.customer_id, reply.skus, reply.tip_ids) == (None, [], [])
    assert offline.customer_id == "C001"


def test_a_failing_model_gives_the_offline_answer_with_a_notice(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    model = BrokenChatModel(responses=[AIMessage("never")])
    assistant = _assistant(store, model)
    offline = _offline(assistant, "Who is María López?")

    reply = assistant.answer(ASSOCIATE, "Who is María López?", session="s1")

    assert model.seen  # the model was asked
    assert reply.text == offline.text
    assert (reply.customer_id, reply.skus, reply.intent) == (
        offline.customer_id,
        offline.skus,
        offline.intent,
    )
    assert reply.notice == (
        "The language model failed (ConnectionError); this is the offline answer."
    )
    assert "LLM failed" in caplog.text


def test_a_slow_model_gives_the_offline_answer_without_waiting_for_it(
    store: Store,
) -> None:
    model = ScriptedChatModel(responses=[AIMessage("too late")], sleep=2.0)
    assistant = _assistant(store, model, timeout=0.2)
    offline = _offline(assistant, "Who is María López?")

    started = time.perf_counter()
    reply = assistant.answer(ASSOCIATE, "Who is María López?", session="s1")
    elapsed = time.perf_counter() - started

    assert elapsed < 1.0
    assert reply.text == offline.text
    assert (
        reply.notice == "The language model did not answer in 0.2 s; this is the offline answer."
    )


def test_a_model_stuck_on_bad_tool_arguments_gives_the_offline_answer(store: Store) -> None:
    # LangChain hands bad arguments back to the model as an error message; a model that never
    # recovers runs into the step limit. Each call has a fresh id, as a provider's would.
    model = ScriptedChatModel(
        responses=[
            AIMessage("", tool_calls=[_call("purchase_history", f"c{i}", year="last year")])
            for i in range(30)
        ]
    )
    assistant = _assistant(store, model)

    reply = assistant.answer(ASSOCIATE, "What did María López buy?", session="s1")

    assert "customer_id: Field required" in str(model.seen[1][-1].content)
    assert 2 < len(model.seen) < 30
    assert reply.notice == (
        "The language model failed (GraphRecursionError); this is the offline answer."
    )
    assert reply.text == _offline(assistant, "What did María López buy?").text


def test_notes_are_written_without_the_model(store: Store) -> None:
    model = ScriptedChatModel(responses=[AIMessage("I wrote it down!")])
    assistant = _assistant(store, model)

    reply = assistant.answer(ASSOCIATE, "note for María López: prefers decaf after 3pm", "s1")

    assert model.seen == []
    assert reply.intent == "note"
    assert reply.customer_id == "C001"
    with Session(store[0]) as db:
        notes = recent_notes(session=db, customer_id="C001")
    assert [(n.text, n.author) for n in notes] == [("prefers decaf after 3pm", "Ana")]


def test_make_llm_rejects_a_provider_langchain_does_not_know() -> None:
    with pytest.raises(ValueError, match="names no provider LangChain knows"):
        make_llm("nosuchprovider:some-model")


@pytest.mark.parametrize(
    ("model", "extra", "module"),
    [
        ("openai:gpt-4o-mini", "openai", "langchain_openai"),
        ("anthropic:claude-sonnet-4-5", "anthropic", "langchain_anthropic"),
        ("ollama:llama3.1:8b", "ollama", "langchain_ollama"),
    ],
)
def test_make_llm_names_the_extra_to_install_for_a_missing_provider(
    model: str, extra: str, module: str
) -> None:
    if importlib.util.find_spec(module) is not None:
        pytest.skip(f"{module} is installed here")

    with pytest.raises(ValueError, match=rf"pip install 'clienteling-assistant\[{extra}\]'"):
        make_llm(model)
