"""A customer named as the one asking about a product ("Çağla is asking if the Chemex goes in
the dishwasher"): the answer is that product's, whatever her name means (a Turkish name is no
nearer a moka pot), with whether she has it; an off-topic question she asks is off topic.
Either way she is the one the next message's "she" means (real assistant, demo store: Sofia
C0042 and Hannah C0097 bought the Chemex COF-006, Çağla C0039, Can C0150 and Hélène C0026
did not)."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant
from bot.core.types import Caller, Intent

ANA = Caller(name="Ana", role="associate", store=None)


@pytest.mark.parametrize(
    ("text", "customer_id", "said"),
    [
        ("Çağla Yılmaz is asking if the chemex is dishwasher safe", "C0039", "has not bought"),
        ("Can Arslan soruyor, chemex bulaşık makinesine girer mi?", "C0150", "almadı"),
        ("Hélène Leroy pregunta si la Chemex va al lavavajillas", "C0026", "no lo ha comprado"),
        ("Hannah Walsh is asking if the chemex is dishwasher safe", "C0097", "bought it on"),
        ("η Σοφία Νικολαΐδου ρωτάει αν το Chemex μπαίνει στο πλυντήριο", "C0042", "Sofia"),
    ],
)
def test_a_product_asked_about_by_a_shopper_is_that_product_and_whether_she_has_it(
    assistant: Assistant, text: str, customer_id: str, said: str
) -> None:
    reply = assistant.answer(ANA, text, f"shopper-asks-{text}")

    assert reply.intent == Intent.product, reply.text
    assert reply.skus[:1] == ["COF-006"], reply.text
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
    assert asked.intent in (Intent.product, Intent.unknown), asked.text

    reply = assistant.answer(ANA, then, session)

    assert reply.intent == intent, reply.text
    assert reply.customer_id == customer_id


@pytest.mark.parametrize(
    "text",
    [
        "θα βρέξει αύριο; έχουμε παράδοση στην κυρία Νικολαΐδου",
        "will it rain tomorrow? we have a delivery for Sofia Nikolaidou",
        "¿va a llover mañana? tenemos una entrega para Sofia Nikolaidou",
    ],
)
def test_the_weather_asked_beside_a_customer_s_delivery_is_off_topic(
    assistant: Assistant, text: str
) -> None:
    # Not her notes about the delivery: the weather is what is asked
    reply = assistant.answer(ANA, text, f"shopper-weather-{text}")

    assert reply.intent == Intent.unknown, reply.text
    assert not reply.skus


@pytest.mark.parametrize(
    "text",
    [
        "María López is waiting, can you check if the Cork shop still has the Chemex?",
        "¿puedes mirar si la tienda de Valencia tiene la Chemex? María López espera",
        "Çağla Yılmaz bekliyor, Bakırköy şubesinde Chemex kaldı mı?",
        "έχει ακόμα το Chemex το κατάστημα της Θεσσαλονίκης; περιμένει η Σοφία Νικολαΐδου",
        "kannst du im Warenwirtschaftssystem schauen, ob Hamburg die Chemex noch hat? "
        "Frau Leroy wartet",
        "hat die Filiale in Hamburg noch die Chemex?",
    ],
)
def test_another_branch_s_stock_is_off_topic_whoever_waits(
    assistant: Assistant, text: str
) -> None:
    # Another branch's shelves or the stock system are not seen: not her profile, not tips
    reply = assistant.answer(ANA, text, f"shopper-branch-{text}")

    assert reply.intent == Intent.unknown, reply.text
    assert not reply.tip_ids
