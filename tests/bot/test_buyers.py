""" "Who bought the moka pot?" in the associates' five languages: the customers who bought it,
newest first, a button each; a period or a number of days bounds it; nothing of the catalogue
named lists nobody; a question about one product or one customer is not a list
(real assistant, demo store, its clock at 22 Nov 2026)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.core.assistant import Assistant
from bot.core.types import Caller, Intent
from storage.models import Purchase

ANA = Caller(name="Ana", role="associate", store=None)


def _buyers_of(assistant: Assistant, sku: str) -> set[str]:
    with Session(assistant.engine) as db:
        lines = db.exec(select(Purchase).where(Purchase.sku == sku)).all()
    kept: dict[str, int] = {}
    for line in lines:
        kept[line.customer_id] = kept.get(line.customer_id, 0) + line.quantity
    return {cid for cid, n in kept.items() if n > 0}


@pytest.mark.parametrize(
    "text",
    [
        "who bought the moka pot?",
        "which customers have bought the Bialetti Moka Express?",
        "¿quién ha comprado la cafetera moka?",
        "Moka Express'i kimler aldı?",
        "ποιοι πήραν το Moka Express;",
        "wer hat die Bialetti Moka gekauft?",
    ],
)
def test_who_bought_a_product_lists_its_buyers(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"buyers-{text}")

    assert reply.intent == Intent.lists, reply.text
    listed = [o.value for o in reply.options if o.intent == Intent.overview]
    assert listed, reply.text
    assert set(listed) <= _buyers_of(assistant, "COF-008")
    assert "Bialetti Moka Express" in reply.text


def test_a_period_bounds_the_buyers(assistant: Assistant) -> None:
    ever = assistant.answer(ANA, "who bought the Moka Express?", "buyers-ever")
    recent = assistant.answer(ANA, "who bought the Moka Express in the last 30 days?", "b-30")
    this_year = assistant.answer(ANA, "who bought the Moka Express this year?", "b-year")

    assert recent.text.splitlines()[0].endswith("Moka Express 6-Cup in the last 30 days:")
    assert this_year.text.splitlines()[0].endswith("Moka Express 6-Cup in 2026:")
    assert len(recent.text.splitlines()) < len(ever.text.splitlines())


@pytest.mark.parametrize("text", ["who bought the zorblax 3000?", "siparişi kim aldı?"])
def test_nothing_of_the_catalogue_named_gets_the_lists_it_can_give(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"buyers-unknown-{text}")

    assert not reply.text.startswith("Bought"), reply.text
    assert not any(o.intent == Intent.overview for o in reply.options)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("who bought the most this year?", Intent.lists),  # the top customers
        ("what did Maria López buy last time?", Intent.history),
        ("does the moka pot come in a 3-cup size?", Intent.product),
    ],
)
def test_other_questions_stay_what_they_are(
    assistant: Assistant, text: str, intent: Intent
) -> None:
    reply = assistant.answer(ANA, text, f"not-buyers-{text}")

    assert reply.intent == intent, reply.text
    assert not reply.text.startswith("Bought"), reply.text
