"""With LLM_MODEL, a draft is reworded by the model, kept only when it keeps the stored facts
and adds none (a scripted chat model stands in for the provider)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from sqlmodel import Session, select

from bot.core.assistant import Assistant, Caller
from bot.core.llm.drafts import grounded
from bot.core.types import Intent
from storage.models import Contact

ANA = Caller(name="Ana", store="S01", telegram_id=1001)
ASK = "draft a message to María López about the AeroPress"
REWORDED = (
    "¡Hola, Maria! Ya tenemos en tienda la AeroPress Original Coffee Maker. "
    "¿Le apetece pasar a verla?\n— Ana"
)


class Failing(FakeMessagesListChatModel):
    """A provider that is down."""

    def _generate(self, *_args: Any, **_kwargs: Any) -> Any:
        raise ConnectionError("provider unreachable")


def _with(assistant: Assistant, llm: FakeMessagesListChatModel) -> Assistant:
    assistant.llm = llm
    return assistant


def _contact(assistant: Assistant) -> Contact:
    with Session(assistant.engine) as db:
        return db.exec(select(Contact)).one()


def test_the_models_wording_replaces_the_template_in_the_reply_link_and_log(
    writable_assistant: Assistant,
) -> None:
    assistant = _with(
        writable_assistant, FakeMessagesListChatModel(responses=[AIMessage(REWORDED)])
    )

    reply = assistant.answer(ANA, ASK, "chat")

    assert reply.intent == Intent.draft
    assert REWORDED in reply.text
    assert _contact(assistant).text == REWORDED
    [(_label, url)] = reply.links
    assert url.endswith(quote(REWORDED, safe=""))


@pytest.mark.parametrize(
    "answer",
    [
        REWORDED.replace("Ya tenemos", "Con un 20 % de descuento, ya tenemos"),  # a number
        REWORDED.replace("AeroPress Original Coffee Maker", "cafetera"),  # the product lost
        REWORDED.replace("Maria", "cliente"),  # the name lost
        REWORDED.replace("?", " con un Fellow Stagg EKG Electric Kettle?"),  # another product
    ],
)
def test_a_wording_that_adds_or_drops_a_fact_keeps_the_template(
    writable_assistant: Assistant, answer: str
) -> None:
    offline = writable_assistant.answer(ANA, ASK, "offline")
    template = _contact(writable_assistant).text
    with Session(writable_assistant.engine) as db:
        db.delete(_contact(writable_assistant))
        db.commit()
    assistant = _with(writable_assistant, FakeMessagesListChatModel(responses=[AIMessage(answer)]))

    reply = assistant.answer(ANA, ASK, "chat")

    assert template in offline.text
    assert template in reply.text
    assert answer not in reply.text
    assert _contact(assistant).text == template


def test_a_failing_model_keeps_the_template(writable_assistant: Assistant) -> None:
    assistant = _with(writable_assistant, Failing(responses=[AIMessage("unused")]))

    reply = assistant.answer(ANA, ASK, "chat")

    assert reply.intent == Intent.draft
    assert _contact(assistant).text in reply.text


@pytest.mark.parametrize(
    ("reworded", "ok"),
    [
        ("Hi Ana, the AeroPress is here.", True),
        ("Hi Ana, the AeroPress is here for 29.90.", False),
        ("Hi, the AeroPress is here.", False),
        ("", False),
        ("Hi Ana, AeroPress " + "very " * 200, False),
    ],
)
def test_grounded_keeps_facts_and_adds_no_numbers(reworded: str, ok: bool) -> None:
    original = "Hi Ana, you bought the AeroPress on 12 Nov 2026: it is here."
    assert grounded(reworded, original, ["Ana", "AeroPress"]) is ok
