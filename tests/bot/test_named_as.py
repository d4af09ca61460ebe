"""A name said to be one ("a customer called …", "… diye bir müşteri", "namens …"): that name
is asked about, and with nobody having it the reply says so, in the associate's language (real
assistant on the demo store)."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant
from bot.core.named_as import named_as
from bot.core.types import Caller, Intent

ANA = Caller(name="Ana", role="associate", store="S01")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("is there a customer called Rosa Delgado?", ["Rosa", "Delgado"]),
        ("who's hope fairbanks? says she's got an account", ["hope", "fairbanks"]),
        ("una señora que se llama Pilar Ortega pregunta por su pedido", ["Pilar", "Ortega"]),
        ("Kerem Aksoy diye bir müşteri var mı?", ["Kerem", "Aksoy"]),
        ("έχουμε πελάτισσα που λέγεται Ρένα Δούκα;", ["Ρένα", "Δούκα"]),
        ("gibt es eine Kundin namens Brinkmann?", ["Brinkmann"]),
        ("Hakan Bey diye bir müşteri var mı?", ["Hakan"]),  # a title is no part of it
        ("a lady called O'Neill-Smith, in the shop now", ["O'Neill-Smith"]),
        # No name said: a question about several, a product's name, one word after "who's".
        ("who is the best customer this month?", []),
        ("who's next?", []),
        ("what's this grinder called?", []),
        ("bu ürün ne diye satılıyor", []),
        # Said of a product, a call or a relative, or words of the questions' own.
        ("there's a coffee called Yirgacheffe, do we have it?", []),
        ("Kireç çözücü diye bir ürün var mı?", []),
        ("she called back yesterday, anything I should know?", []),
        ("su marido se llama Jorge, ¿qué le regalo?", []),
        ("die Mühle heißt Encore, haben wir die?", []),
        ("who is working saturday?", []),
        ("who's Kaffa and Co?", []),
    ],
)
def test_the_words_a_naming_cue_says_are_a_name(text: str, said: list[str]) -> None:
    assert named_as(text) == said


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("who's hope fairbanks? says she's got an account with us", "hope fairbanks"),
        ("Kerem Aksoy diye bi müşterimiz var mı, profiline bakar mısın", "Kerem Aksoy"),
        ("¿hay una clienta que se llama Pilar Ortega?", "Pilar Ortega"),
        ("gibt es eine Kundin namens Brinkmann?", "Brinkmann"),
        # Words of a list beside it ("customer", "last year"): still that one name.
        ("a customer called Nadia Forsythe says she bought a grinder last year", "Nadia Forsythe"),
    ],
)
def test_a_name_said_to_be_one_that_nobody_has_is_not_found(
    assistant: Assistant, text: str, quoted: str
) -> None:
    """Not an answer about nothing ("I can't help with that") nor about whoever was discussed:
    that name, not found."""
    assistant.answer(ANA, "Maria López", f"named-{text}")
    reply = assistant.answer(ANA, text, f"named-{text}")

    assert reply.intent == Intent.not_found, reply.text
    assert quoted in reply.text
    assert reply.customer_id is None


def test_a_name_said_to_be_one_that_a_customer_has_is_hers(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "is there a customer called Emre Öztürk?", "named-emre")

    assert (reply.intent, reply.customer_id) == (Intent.overview, "C0038")


def test_ideas_for_a_shopper_so_named_are_still_ideas(assistant: Assistant) -> None:
    text = "a lady called Mrs Henderson wants a present for her husband, he cooks. ideas?"
    reply = assistant.answer(ANA, text, "named-gift")

    assert reply.intent == Intent.recommend, reply.text
    assert reply.skus


@pytest.mark.parametrize(
    "text",
    [
        "Yasemin hanım diye bir müşteri espresso makinesi soruyor, hangisini önereyim?",
        "una clienta que se llama Lucía Prats pregunta por los molinillos, ¿cuál es mejor?",
    ],
)
def test_a_shopper_so_named_asking_about_a_kind_of_product_gets_the_product(
    assistant: Assistant, text: str
) -> None:
    """A walk-in introduced by name asks about a kind of product: that is the question, and
    nobody is looked up."""
    reply = assistant.answer(ANA, text, f"walk-in-{text}")

    assert reply.intent == Intent.product, reply.text
    assert reply.customer_id is None
    assert reply.skus
