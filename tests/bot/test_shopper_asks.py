"""A customer named as the one asking about a product ("Çağla is asking if the Chemex goes in
the dishwasher"): the answer is the product's, with whether she has it only when she bought it
here (asked whether she has it, the card says so either way: tests/bot/test_ownership.py); an
off-topic question she asks shows nothing of hers. Either way she stays the one the
next message's "she" means (real assistant, demo store: Sofia C0042 and Hannah C0097 bought
the Chemex COF-006, Çağla C0039, Can C0150 and Hélène C0026 did not)."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant
from bot.core.types import Caller, Intent

ANA = Caller(name="Ana", role="associate", store=None)


@pytest.mark.parametrize(
    "text",
    [
        "Çağla Yılmaz is asking if the chemex is dishwasher safe",
        "Can Arslan soruyor, chemex bulaşık makinesine girer mi?",
        "Hélène Leroy pregunta si la Chemex va al lavavajillas",
        "Frau Leroy fragt, ob die Chemex in die Spülmaschine darf",
    ],
)
def test_a_product_asked_about_by_a_shopper_who_never_bought_it_is_the_product_alone(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"shopper-asks-{text}")

    assert reply.intent == Intent.product, reply.text
    assert reply.skus[:1] == ["COF-006"], reply.text
    assert reply.customer_id is None
    assert "bought" not in reply.text  # nothing of hers
    assert "compr" not in reply.text


@pytest.mark.parametrize(
    ("text", "customer_id", "said"),
    [
        ("Hannah Walsh is asking if the chemex is dishwasher safe", "C0097", "Hannah Walsh"),
        ("η Σοφία Νικολαΐδου ρωτάει αν το Chemex μπαίνει στο πλυντήριο", "C0042", "Sofia"),
    ],
)
def test_a_shopper_who_bought_it_gets_when_she_did(
    assistant: Assistant, text: str, customer_id: str, said: str
) -> None:
    reply = assistant.answer(ANA, text, f"shopper-owns-{text}")

    assert reply.intent == Intent.product, reply.text
    assert reply.skus[:1] == ["COF-006"]
    assert reply.customer_id == customer_id
    assert said in reply.text


@pytest.mark.parametrize(
    ("first", "then", "intent", "customer_id"),
    [
        ("Çağla Yılmaz is asking if the chemex is dishwasher safe", "what did she buy last time?",
         Intent.history, "C0039"),
        ("María López wants to know if it will rain tomorrow", "and her sizes?",
         Intent.sizes, "C0011"),
    ],
)  # fmt: skip
def test_the_shopper_stays_the_one_discussed(
    assistant: Assistant, first: str, then: str, intent: Intent, customer_id: str
) -> None:
    session = f"shopper-then-{first}"
    asked = assistant.answer(ANA, first, session)
    assert asked.customer_id is None, asked.text  # nothing of hers shown

    reply = assistant.answer(ANA, then, session)

    assert reply.intent == intent, reply.text
    assert reply.customer_id == customer_id


def test_a_later_shopper_replaces_the_customer_discussed_before(assistant: Assistant) -> None:
    # Hannah first, then Çağla asks about the Chemex: "she" is Çağla, never Hannah
    session = "shopper-replaces"
    assistant.answer(ANA, "Hannah Walsh", session)
    assistant.answer(ANA, "Çağla Yılmaz is asking if the chemex is dishwasher safe", session)

    reply = assistant.answer(ANA, "what sizes does she wear?", session)

    assert reply.customer_id == "C0039", reply.text
