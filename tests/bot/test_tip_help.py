"""How selling tips reach everyone, asked in the associates' five languages: how managers add
tips (/tip, a file captioned /tip, /tips, /deltip), in the language asked; a question about a
product's tips is still about the product (real assistant, demo store)."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant
from bot.core.types import Caller, Intent

ANA = Caller(name="Ana", role="associate", store=None)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "orla wants to push a selling tip about the new tents out to everyone, how does "
            "she do that",
            "Managers add a tip",
        ),
        ("how do i send a tip to all staff?", "Managers add a tip"),
        ("¿cómo mando un consejo de venta a todo el equipo?", "Los encargados"),
        ("müdürümüz ipucu eklemek istiyor, bunu nasıl yapacak", "Müdürler"),
        ("πώς στέλνω συμβουλή στους συναδέλφους;", "Οι υπεύθυνοι"),
        ("wie schick ich als Filialleiter nen Tipp an alle Mitarbeiter", "Filialleiter"),
    ],
)
def test_how_to_push_a_tip_to_everyone_is_answered_with_how_managers_add_tips(
    assistant: Assistant, text: str, said: str
) -> None:
    reply = assistant.answer(ANA, text, f"tip-help-{text}")

    assert reply.intent == Intent.help, reply.text
    assert reply.text.startswith(said), reply.text
    assert "/tip " in reply.text
    assert reply.customer_id is None


@pytest.mark.parametrize(
    "text",
    [
        "what tips do we have for the Chemex?",
        "Tipps zur Chemex?",
        "consejos para vender la Chemex",
    ],
)
def test_a_product_s_tips_asked_are_about_the_product(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"product-tips-{text}")

    assert reply.intent == Intent.product, reply.text
    assert reply.skus[:1] == ["COF-006"]
