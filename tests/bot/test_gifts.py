"""Gift ideas when nobody is in context: within the budget, for the person asked about."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.assistant import Assistant
from bot.core.gifts import GiftRequest, budget, gift_ideas, gift_request
from bot.core.shopping_refresh import refresh_recommendations
from bot.core.types import Caller, Intent
from storage.models import Product
from tests.stores import add_store

ANA = Caller(name="Ana", role="associate", store="S01")
START = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("any present for my dad? no more than 60 pounds", GiftRequest("men", 60.0)),
        ("un regalo para mi hermana, hasta 45 euros", GiftRequest("women", 45.0)),
        ("babama hediye, 120 TL'ye kadar", GiftRequest("men", 120.0)),
        ("δώρο για τη μητέρα μου μέχρι 30 ευρώ", GiftRequest("women", 30.0)),
        ("Geburtstagsgeschenk für meinen Bruder, etwa 50 Euro", GiftRequest("men", 60.0)),
        ("gift ideas?", GiftRequest(None, None)),
    ],
)
def test_a_gift_request_says_for_whom_and_the_budget(text: str, request_: GiftRequest) -> None:
    assert gift_request(text) == request_


@pytest.mark.parametrize(
    "text", ["how do I present the AeroPress to a beginner?", "what did Ana buy in 2024?"]
)
def test_other_messages_ask_for_no_gift(text: str) -> None:
    assert gift_request(text) is None


def _store(engine: Engine) -> None:
    catalogue = {
        "M1": ("Merino Crew Jumper (Men)", "Menswear", 89.0),
        "M2": ("Leather Belt", "Menswear", 45.0),
        "W1": ("Silk Scarf", "Womenswear", 55.0),
        "W2": ("Women's Leather Gloves", "Accessories", 40.0),
        "N1": ("Scented Candle", "Home", 30.0),
        "N2": ("Cast Iron Casserole", "Kitchen", 240.0),
    }
    products = {sku: (name, category) for sku, (name, category, _) in catalogue.items()}
    # The candle sells most, then the scarf, the belt…
    lines = [(f"c{i}", "N1", 1, i) for i in range(6)]
    lines += [(f"c{i}", "W1", 1, i) for i in range(4)] + [(f"c{i}", "M2", 1, i) for i in range(3)]
    add_store(engine, products, lines, start=START)
    with Session(engine) as session:
        for sku, (_, _, price) in catalogue.items():
            product = session.get(Product, sku)
            assert product is not None
            product.price = price
        session.commit()
        refresh_recommendations(session=session)


def test_ideas_stay_under_the_budget_and_leave_out_what_is_made_for_others(
    engine: Engine,
) -> None:
    _store(engine)
    with Session(engine) as session:
        for_him = [p.sku for p in gift_ideas(session, GiftRequest("men", 60.0))]
        for_her = [p.sku for p in gift_ideas(session, GiftRequest("women", None))]
        anyone = [p.sku for p in gift_ideas(session, GiftRequest(None, 50.0))]
        nothing = gift_ideas(session, GiftRequest(None, 10.0))

    # Made for men first (the belt), then what sells most of the rest, never womenswear.
    assert for_him == ["M2", "N1"]
    assert for_her == ["W1", "W2", "N1", "N2"]
    assert anyone == ["N1", "M2", "W2"]
    assert nothing == []


def test_a_gift_asked_for_in_chat_is_answered_with_products_under_the_budget(
    assistant: Assistant,
) -> None:
    reply = assistant.answer(ANA, "regalo para un hombre por menos de 50 euros?", "gift-es")

    assert reply.intent == Intent.recommend  # ideas for a shopper
    assert reply.language == "es"
    assert reply.skus
    assert "FTW-002" not in reply.skus  # the women's running shoe
    prices = {line.rsplit("·", 1)[-1].strip() for line in reply.text.splitlines()[1:]}
    assert all(float(p.replace("€", "").replace(",", ".").strip()) <= 50 for p in prices)
    assert reply.text.splitlines()[0].startswith("Ideas de regalo para él")


def test_a_customer_named_or_unknown_is_not_taken_for_a_gift_request(
    assistant: Assistant,
) -> None:
    unknown = assistant.answer(ANA, "Geschenkidee für Paula Schmidt?", "gift-unknown")

    assert unknown.intent == Intent.not_found
    assert not unknown.skus


@pytest.mark.parametrize(
    ("text", "max_price"),
    [
        ("regalo para un niño de 3 años, unas 60 libras", 72.0),  # "around": a little over
        ("Oma sucht Geschenk für 8-jährigen Enkel, so 40 Pfund", 48.0),
        ("a toy for a kid under 5 years, under 30 quid", 30.0),
        ("ab 3 Jahren, unter 50", 50.0),
        ("για παιδί 4 χρονών μέχρι 40", 40.0),
        ("a gift for a child under 3", None),  # an age, no price
        ("hediye, 2 yaşında, 6 aylık bebek için", None),
    ],
)
def test_a_budget_is_a_price_not_an_age(text: str, max_price: float | None) -> None:
    assert budget(text) == max_price


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("a present for a man who loves cooking, under 50 euros", "KIT-"),
        ("un regalo para alguien que ama los baños largos, hasta 60 euros", "BAT-"),
        ("Geschenk für jemanden, der gern läuft, unter 80 Euro", "FTW-"),
        ("δώρο για κάποιον που λατρεύει το τρέξιμο, μέχρι 80 ευρώ", "FTW-"),
    ],
)
def test_gift_ideas_follow_what_the_message_says_of_the_gift(
    assistant: Assistant, text: str, kind: str
) -> None:
    reply = assistant.answer(ANA, text, f"gift-described-{text[:8]}")

    assert len(reply.skus) > 1  # gift ideas, not one product
    assert reply.skus[0].startswith(kind)
