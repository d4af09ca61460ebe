"""LLM_DATA: under `minimal` no e-mail address, phone number or birthday reaches the language
model in any message of a run (system prompt, question, tool calls, tool results, draft); under
`full` they do. A recording chat model stands in for the provider, on a real store."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from pydantic import Field, ValidationError
from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.assistant import Assistant, Caller
from bot.core.llm.drafts import reword_draft
from bot.core.llm.privacy import Redactor
from bot.core.types import Intent
from bot.settings import Settings
from knowledge.tips import TipStore, open_tip_store
from storage.importers import import_csv
from storage.notes import add_note
from tests.fakes import HashEmbeddings

CUSTOMERS = """customer_id,first_name,last_name,email,phone,birthday,tier,language,sizes,preferences,marketing_consent,home_store
C001,María,López,maria.lopez@example.com,+34 600 12 34 56,1988-04-12,gold,es,shoe EU 38,light roasts,yes,S01
C002,John,Smith,john.smith@example.com,(555) 010-0199,1979-06-03,silver,en,,tea,yes,S01
C003,Jana,Müller,jana.mueller@example.de,0176/1234567,1992-11-30,vip,de,,,yes,S02
"""
PRODUCTS = """sku,name,category,brand,price,description
COF-001,AeroPress Original,Coffee,AeroPress,39.90,Immersion brewer for one to three cups
"""
PURCHASES = """order_id,customer_id,sku,quantity,unit_price,purchased_at,store_id,associate_id
O-1,C001,COF-001,1,39.90,2025-03-01T10:15:00+01:00,S01,A01
O-2,C002,COF-001,1,39.90,2025-04-02,S01,A01
O-3,C003,COF-001,1,39.90,2025-05-03,S02,A01
"""
# What the model must never see under `minimal`: each address, each phone number by its
# national digits (whatever punctuation or country code is around them), each birth date in
# the ways dates are written.
EMAILS = ["maria.lopez@example.com", "john.smith@example.com", "jana.mueller@example.de"]
PHONE_DIGITS = ["600123456", "5550100199", "1761234567", "600998877"]
BIRTHDAYS = [date(1988, 4, 12), date(1979, 6, 3), date(1992, 11, 30)]
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
# An associate whose display name carries her own number: the system prompt names her.
ANA = Caller(name="Ana 600 99 88 77", store="S01")
ANSWER = "María bought an AeroPress Original on 2025-03-01."

Store = tuple[Engine, TipStore]


class RecordingChatModel(FakeMessagesListChatModel):
    """Replays scripted AI messages and records every message list it is sent."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def bind_tools(self, tools: Any, **kwargs: Any) -> RecordingChatModel:  # noqa: ARG002
        """Accept the tools: the script already knows which to call."""
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        return super()._generate(messages, *args, **kwargs)

    def sent(self) -> list[BaseMessage]:
        """Every message of every call, in order."""
        return [m for call in self.seen for m in call]


def _call(tool: str, call_id: str, **args: Any) -> dict[str, Any]:
    return {"name": tool, "args": args, "id": call_id, "type": "tool_call"}


def _agent_script(contact: str) -> RecordingChatModel:
    """A model that looks the customer up by the contact the associate typed, reads the
    profile, then the history and a lookup by e-mail, and answers: three calls, two tool
    rounds."""
    return RecordingChatModel(
        responses=[
            AIMessage(
                "",
                tool_calls=[
                    _call("find_customer", "c1", name=contact),
                    _call("customer_profile", "c2", customer_id="C001"),
                    _call("customer_profile", "c3", customer_id="C002"),
                ],
            ),
            AIMessage(
                "",
                tool_calls=[
                    _call("purchase_history", "c4", customer_id="C001"),
                    _call("find_customer", "c5", name="jana.mueller@example.de"),
                ],
            ),
            AIMessage(ANSWER),
        ]
    )


@pytest.fixture
def store(sqlite_engine: Engine, tmp_path: Path) -> Store:
    """Three customers with e-mails, phones in three national styles and birthdays; notes
    that repeat them."""
    for kind, text in (("customers", CUSTOMERS), ("products", PRODUCTS), ("purchases", PURCHASES)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        import_csv(sqlite_engine, kind, path)
    with Session(sqlite_engine) as db:
        add_note(
            session=db,
            customer_id="C001",
            text="New mobile 600 12 34 56, mail maria.lopez@example.com, born 12.04.1988",
            author="Ana",
            created_at=datetime(2025, 5, 20, 10, tzinfo=UTC),
        )
        add_note(
            session=db,
            customer_id="C002",
            text="Prefers a call on 555-010-0199; birthday April... no: 06/03/1979",
            author="Ana",
            created_at=datetime(2025, 5, 21, 10, tzinfo=UTC),
        )
    tips = open_tip_store(embeddings=HashEmbeddings(), model_name="fake", path=tmp_path / "chroma")
    return sqlite_engine, tips


def _assistant(store: Store, llm: Any, llm_data: str) -> Assistant:
    engine, tips = store
    return Assistant(
        engine=engine,
        tips=tips,
        embeddings=HashEmbeddings(),
        llm=llm,
        llm_timeout=10.0,
        llm_data=llm_data,
        clock=lambda: NOW,
    )


def _texts(message: BaseMessage) -> Iterator[str]:
    """Every text a message sends: its content and its tool calls' arguments."""
    content = message.content
    yield content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    if isinstance(message, AIMessage):
        for call in message.tool_calls:
            yield json.dumps(call["args"], ensure_ascii=False)


def _birthday_forms(born: date) -> list[str]:
    return [
        born.isoformat(),
        born.strftime("%d/%m/%Y"),
        born.strftime("%m/%d/%Y"),
        born.strftime("%d.%m.%Y"),
        born.strftime("%-d %B %Y"),
        born.strftime("%B %-d, %Y"),
    ]


def _leaks(messages: list[BaseMessage]) -> list[str]:
    """What of EMAILS, PHONE_DIGITS and BIRTHDAYS the messages hold, in any form."""
    found = []
    for message in messages:
        for text in _texts(message):
            # Phone punctuation dropped: "+34 600 12 34 56" and "600-123-456" alike.
            digits = re.sub(r"[\s()./\-\u00a0]", "", text)
            found += [e for e in EMAILS if e in text.casefold()]
            found += [p for p in PHONE_DIGITS if p in digits]
            found += [
                f for b in BIRTHDAYS for f in _birthday_forms(b) if f.casefold() in text.casefold()
            ]
    return sorted(set(found))


def _kinds(messages: list[BaseMessage]) -> set[str]:
    return {type(m).__name__ for m in messages}


# --- the agent --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "typed"),
    [
        ("What did the customer with phone +34 600 12 34 56 buy?", "+34 600 12 34 56"),
        ("what did (555) 010-0199 buy last time?", "(555) 010-0199"),
        ("Was hat 0176/1234567 gekauft?", "0176/1234567"),
        ("What did maria.lopez@example.com buy?", "maria.lopez@example.com"),
    ],
)
def test_minimal_sends_no_email_phone_or_birthday_in_any_message_of_the_run(
    store: Store, question: str, typed: str
) -> None:
    # The scripted model even repeats what the associate typed in its first tool call.
    model = _agent_script(typed)
    assistant = _assistant(store, model, "minimal")

    reply = assistant.answer(ANA, question, session="s1")

    assert len(model.seen) == 3  # the system prompt, the question, two rounds of tools
    sent = model.sent()
    assert {"SystemMessage", "HumanMessage", "AIMessage", "ToolMessage"} <= _kinds(sent)
    assert _leaks(sent) == []
    # What was hidden shows as what it is, and the answer still comes from the tools.
    question_sent = next(m for m in sent if isinstance(m, HumanMessage))
    assert "<phone>" in question_sent.content or "<email>" in question_sent.content
    assert reply.text == ANSWER
    assert reply.customer_id == "C001"
    system = model.seen[-1][0]
    assert isinstance(system, SystemMessage)
    assert "The associate asking is Ana <phone> (" in str(system.content)
    assert "hidden from you as <email>, <phone> and <birthday>" in str(system.content)


def test_full_sends_them_as_today(store: Store) -> None:
    model = _agent_script("+34 600 12 34 56")
    assistant = _assistant(store, model, "full")

    assistant.answer(ANA, "What did the customer with phone +34 600 12 34 56 buy?", "s1")

    leaks = _leaks(model.sent())
    assert "600123456" in leaks  # the question and the find_customer call
    assert "5550100199" in leaks  # C002's note
    assert "maria.lopez@example.com" in leaks  # C001's note
    assert "jana.mueller@example.de" in leaks  # the model's own lookup by e-mail
    assert {"1988-04-12", "1979-06-03"} <= set(leaks)  # the profiles
    assert "600998877" in leaks  # the associate's name in the system prompt
    assert "<phone>" not in str(model.seen[0][0].content)


def test_minimal_tool_results_keep_ids_dates_and_amounts(store: Store) -> None:
    model = _agent_script("+34 600 12 34 56")
    assistant = _assistant(store, model, "minimal")

    assistant.answer(ANA, "What did the customer with phone +34 600 12 34 56 buy?", "s1")

    results = {
        m.tool_call_id: json.loads(str(m.content))
        for m in model.seen[-1]
        if isinstance(m, ToolMessage)
    }
    maria, john = results["c2"], results["c3"]
    assert maria["customer_id"] == "C001"
    assert maria["notes"][0]["text"] == "New mobile <phone>, mail <email>, born <birthday>"
    assert not {"birthday", "email", "phone"} & set(maria)
    # 3 June is two days after NOW: the model may know it is soon, not the date.
    assert john["birthday_within_7_days"] is True
    assert not any(k.startswith("birthday_within") for k in maria)
    history = results["c4"]
    assert history["lines"][0]["date"] == "2025-03-01"
    assert history["lines"][0]["unit_price"] == 39.9
    assert history["lines"][0]["order_id"] == "O-1"
    assert results["c1"]["candidates"][0]["customer_id"] == "C001"
    # The model's own call with the phone number is redacted in what it is sent back.
    first_call = next(m for m in model.seen[-1] if isinstance(m, AIMessage))
    assert first_call.tool_calls[0]["args"] == {"name": "<phone>"}
    system = model.seen[-1][0]
    assert isinstance(system, SystemMessage)
    assert "customer C001 (María López)" in str(system.content)


def test_a_numeric_customer_id_is_no_phone_number() -> None:
    guard = Redactor(birthdays=set, known_ids=["10023456"])
    tool = ToolMessage(
        json.dumps({"customer_id": "77889900", "order_id": "1234567", "note": "call 600123456"}),
        tool_call_id="t1",
    )

    [system, result] = guard.messages(
        [SystemMessage("The conversation is about customer 10023456 (Ana)."), tool]
    )

    assert system.content == "The conversation is about customer 10023456 (Ana)."
    assert json.loads(str(result.content)) == {
        "customer_id": "77889900",
        "order_id": "1234567",
        "note": "call <phone>",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("phone +34 600 12 34 56 please", "phone <phone> please"),
        ("(555) 010-0199", "<phone>"),
        ("Ruf 0176/1234567 an", "Ruf <phone> an"),
        ("06.12.34.56.78", "<phone>"),
        ("wa.me/34600123456", "wa.me/<phone>"),
        ("maría@example.com wrote", "<email> wrote"),
        (
            "born 12 April 1988 / 12 de abril de 1988 / 1988-04-12",
            "born <birthday> / <birthday> / <birthday>",
        ),
        ("am 12.04.88 geboren", "am <birthday> geboren"),
        # Dates that are nobody's birthday, amounts, years, skus and order ids stay.
        ("bought 2025-03-01T10:15 for 12345.67", "bought 2025-03-01T10:15 for 12345.67"),
        ("sku COF-001, order O-20250301, 2019-2021", "sku COF-001, order O-20250301, 2019-2021"),
    ],
)
def test_the_redactor_hides_contacts_and_birthdays_and_keeps_the_rest(
    text: str, expected: str
) -> None:
    guard = Redactor(birthdays=lambda: {date(1988, 4, 12)})

    assert guard.text(text) == expected


# --- the draft ---------------------------------------------------------------------------------

DRAFT = "Hola María, tu pedido está listo. Llámanos al +34 911 22 33 44 o escribe a tienda@example.com."


def test_minimal_rewords_a_draft_without_its_contacts_and_rejects_a_placeholder() -> None:
    model = RecordingChatModel(responses=[AIMessage("¡Hola María! Llámanos al <phone>.")])
    guard = Redactor(birthdays=set)

    reworded = reword_draft(
        model, DRAFT, language="es", keep=["María"], timeout=5.0, redactor=guard
    )

    [[system, human]] = model.seen
    assert isinstance(system, SystemMessage)
    assert human.content == (
        "Hola María, tu pedido está listo. Llámanos al <phone> o escribe a <email>."
    )
    # The customer would read "<phone>": the template stays.
    assert reworded is None


def test_full_sends_the_draft_as_it_is() -> None:
    model = RecordingChatModel(responses=[AIMessage("¡Hola María! Tu pedido está listo.")])

    reworded = reword_draft(model, DRAFT, language="es", keep=["María"], timeout=5.0)

    assert model.seen[0][1].content == DRAFT
    assert reworded == "¡Hola María! Tu pedido está listo."


@pytest.mark.parametrize("llm_data", ["minimal", "full"])
def test_a_draft_asked_of_the_assistant_goes_through_the_setting(
    store: Store, llm_data: str
) -> None:
    # The associate's display name, the draft's signature, holds a phone number.
    model = RecordingChatModel(
        responses=[AIMessage("¡Hola, María! La AeroPress Original te espera.")]
    )
    assistant = _assistant(store, model, llm_data)

    reply = assistant.answer(ANA, "draft a message to María López about the AeroPress", "s1")

    assert reply.intent == Intent.draft
    [[_system, human]] = model.seen
    assert ("600 99 88 77" in str(human.content)) is (llm_data == "full")
    assert ("<phone>" in str(human.content)) is (llm_data == "minimal")


# --- the setting -------------------------------------------------------------------------------


def test_the_setting_defaults_to_minimal_and_names_itself_when_wrong(tmp_path: Path) -> None:
    assert Settings(_env_file=None, DATA_DIR=tmp_path).LLM_DATA == "minimal"
    assert Settings(_env_file=None, DATA_DIR=tmp_path, LLM_DATA="full").LLM_DATA == "full"

    with pytest.raises(ValidationError, match=r"LLM_DATA\n.*'minimal' or 'full'"):
        Settings(_env_file=None, DATA_DIR=tmp_path, LLM_DATA="everything")


def test_the_assistant_refuses_an_unknown_value(store: Store) -> None:
    with pytest.raises(ValueError, match="LLM_DATA must be 'minimal' or 'full'"):
        _assistant(store, None, "some")
