"""What a customer standing there is said to ask decides the answer: off topic asked of us
("María wants to know where the post office is") is off topic, with her still the one
discussed; a product, her purchases or ideas asked stay that (real assistant, demo store)."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant
from bot.core.name_cues import asked_part
from bot.core.types import Caller, Intent

ANA = Caller(name="Ana", role="associate", store=None)


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("María López wants to know where the nearest post office is", "C0011"),
        ("Can Arslan wants to know who won the match last night", "C0150"),
        ("η Σοφία Νικολαΐδου ρωτάει τι ώρα κλείνει το φαρμακείο", "C0042"),
        ("Hannah Walsh quiere saber quién ganó el partido de anoche", "C0097"),
        ("Frau Leroy möchte wissen, wer gestern das Spiel gewonnen hat", "C0026"),
    ],
)
def test_an_off_topic_question_a_customer_asks_is_off_topic(
    assistant: Assistant, text: str, customer_id: str
) -> None:
    reply = assistant.answer(ANA, text, f"told-{text}")

    assert reply.intent == Intent.unknown, reply.text
    assert not reply.skus
    assert reply.customer_id == customer_id  # she is still the one discussed
    then = assistant.answer(ANA, "and her sizes?", f"told-{text}")
    assert (then.intent, then.customer_id) == (Intent.sizes, customer_id), then.text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Çağla Yılmaz asks if the moka pot comes in 3 cups", Intent.product),
        ("Hannah Walsh is asking if the chemex is dishwasher safe", Intent.product),
        ("María López wants to know what she bought last time", Intent.history),
        ("Hannah Walsh wants something for her husband's birthday", Intent.recommend),
    ],
)
def test_what_the_store_answers_that_she_asks_stays_what_it_is(
    assistant: Assistant, text: str, intent: Intent
) -> None:
    reply = assistant.answer(ANA, text, f"told-stays-{text}")

    assert reply.intent == intent, reply.text


def test_what_she_asks_is_the_words_after_the_telling_verb_or_before_it_in_turkish() -> None:
    assert asked_part("María wants to know where the post office is") == (
        " to know where the post office is"
    )
    assert asked_part("Can wifi şifresini soruyor") == "can wifi sifresini "
    assert asked_part("Can soruyor, wifi var mı?") == "wifi var mi"
    assert asked_part("María bought the moka pot") is None
