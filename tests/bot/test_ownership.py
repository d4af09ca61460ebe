"""Whether the customer in context has a product: said on the product's card, in the
associate's language, from every line of that product on her record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.core import wording
from bot.core.assistant import Assistant
from bot.core.i18n import speaking
from bot.core.types import Caller, Intent
from storage.models import Customer, Product, Purchase
from storage.purchases import product_lines
from tests.stores import add_store

ANA = Caller(name="Ana", role="associate", store="S01")
START = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)
HIROSHI = "C0154"  # Hiroshi Tanaka, in the demo store
PRODUCTS = {"LAMP": ("Lumo desk lamp", "Home"), "RUG": ("Wool rug", "Home")}


def _said(engine: Engine, customer_id: str, sku: str, language: str = "en") -> str:
    with Session(engine) as session, speaking(language):
        return wording.ownership(
            "Liz", product_lines(session=session, customer_id=customer_id, sku=sku)
        )


def test_every_line_of_the_product_decides_what_is_said(engine: Engine) -> None:
    add_store(
        engine,
        PRODUCTS,
        [
            ("once", "LAMP", 1, 0),
            ("twice", "LAMP", 1, 0),
            ("twice", "LAMP", 1, 40),
            ("back", "LAMP", 1, 0),
            ("back", "LAMP", -1, 9),  # returned nine days later
            ("kept1", "LAMP", 2, 0),
            ("kept1", "LAMP", -1, 3),  # returned one of two
            ("never", "RUG", 1, 0),
        ],
        start=START,
    )

    assert _said(engine, "once", "LAMP") == "Liz bought it on 6 May 2024."
    assert _said(engine, "twice", "LAMP") == "Liz bought it on 2 days, last on 15 Jun 2024."
    assert _said(engine, "back", "LAMP") == (
        "Liz bought it on 6 May 2024 and returned it on 15 May 2024."
    )
    assert _said(engine, "kept1", "LAMP") == "Liz bought it on 6 May 2024."
    assert _said(engine, "never", "LAMP") == "Liz has not bought it here."
    assert _said(engine, "back", "LAMP", "de") == (
        "Liz hat es am 6. Mai 2024 gekauft und am 15. Mai 2024 zurückgegeben."
    )


def _full_name(assistant: Assistant, customer_id: str) -> str:
    with Session(assistant.engine) as db:
        customer = db.get(Customer, customer_id)
    assert customer is not None
    return wording.full_name(customer)


def _one_owned_one_not(assistant: Assistant, customer_id: str) -> tuple[Product, Product]:
    with Session(assistant.engine) as db:
        owned = set(db.exec(select(Purchase.sku).where(Purchase.customer_id == customer_id)))
        coffee = db.exec(
            select(Product).where(Product.category == "Coffee").order_by(col(Product.sku))
        ).all()
    mine = [p for p in coffee if p.sku in owned]
    other = [p for p in coffee if p.sku not in owned]
    assert mine
    assert other
    return mine[0], other[0]


@pytest.mark.parametrize(
    ("language", "asked"),
    [
        ("en", "does {name} already have the {product}?"),
        ("es", "¿{name} ya tiene el {product}? no se acuerda"),
        ("de", "hat {name} den {product} schon?"),
    ],
)
def test_asked_whether_she_has_it_the_card_says_so_either_way(
    assistant: Assistant, language: str, asked: str
) -> None:
    customer_id, name = HIROSHI, _full_name(assistant, HIROSHI)
    for n, product in enumerate(_one_owned_one_not(assistant, customer_id)):
        question = asked.format(name=name, product=product.name)
        reply = assistant.answer(ANA, question, f"owns-{language}-{n}")
        with Session(assistant.engine) as db, speaking(language):
            lines = product_lines(session=db, customer_id=customer_id, sku=product.sku)
            expected = wording.ownership(name, lines)

        assert reply.customer_id == customer_id, question
        if reply.intent == Intent.product:
            assert reply.skus[:1] == [product.sku], question
            assert expected in reply.text, question
        else:  # read as a question about his purchases: that product's lines, or none
            assert reply.intent == Intent.history, question
            assert product.name in reply.text, question
            assert reply.skus == ([product.sku] if lines else []), question
        assert bool(lines) == (n == 0)


@pytest.mark.parametrize(
    "asked",
    ["when did {name} buy the {product}?", "¿cuándo compró {name} el {product}?"],
)
def test_a_product_named_in_full_is_that_product_not_its_category(
    assistant: Assistant, asked: str
) -> None:
    # "AeroPress Original Coffee Maker" holds the category's word "coffee" (and "original",
    # also in a pair of jeans' name): its lines only, under its own name.
    with Session(assistant.engine) as db:
        product = db.get(Product, "COF-001")
        buyer = db.exec(
            select(Customer)
            .join(Purchase, col(Purchase.customer_id) == col(Customer.customer_id))
            .where(Purchase.sku == "COF-001", Purchase.quantity > 0)
            .order_by(col(Customer.customer_id))
        ).first()
    assert product is not None
    assert buyer is not None
    question = asked.format(name=wording.full_name(buyer), product=product.name)

    reply = assistant.answer(ANA, question, f"full-name-{asked[:3]}")

    assert reply.intent == Intent.history
    assert reply.customer_id == buyer.customer_id
    assert reply.skus == ["COF-001"]
    assert "Coffee" not in reply.text.replace(product.name, "")


@pytest.mark.parametrize(
    "asked",
    [
        "has {name} ever bought the {product} from us?",
        "{name} ya tenía el {product}, verdad?",
        "{name} daha önce {product} almış mı?",
        "ο {name} έχει ήδη το {product};",
        "besitzt {name} den {product} bereits?",
        # Whether he took what we recommended: his purchases, not more ideas
        "did {name} end up buying the {product} I recommended or not?",
        "¿{name} se llevó al final el {product} que le recomendé?",
        "ο {name} πήρε τελικά το {product} που του προτείναμε;",
    ],
)
def test_asked_whether_she_already_has_it_her_purchases_answer(
    assistant: Assistant, asked: str
) -> None:
    customer_id, name = HIROSHI, _full_name(assistant, HIROSHI)
    for n, product in enumerate(_one_owned_one_not(assistant, customer_id)):
        question = asked.format(name=name, product=product.name)

        reply = assistant.answer(ANA, question, f"has-{asked[:6]}-{n}")

        assert reply.intent == Intent.history, question
        assert reply.customer_id == customer_id, question
        assert product.name in reply.text, question
        assert reply.skus == ([product.sku] if n == 0 else []), question


@pytest.mark.parametrize(
    "asked",
    [
        "{name} already has the {product}, how do I clean it?",
        "{name} ya tiene el {product}: ¿cómo se limpia?",
        "hat {name} den {product} schon? wie reinigt man ihn?",
    ],
)
def test_a_question_about_using_what_she_has_stays_a_product_question(
    assistant: Assistant, asked: str
) -> None:
    product, _ = _one_owned_one_not(assistant, HIROSHI)
    question = asked.format(name=_full_name(assistant, HIROSHI), product=product.name)

    reply = assistant.answer(ANA, question, f"use-{asked[:6]}")

    assert reply.intent == Intent.product, question
    assert reply.skus[:1] == [product.sku], question


@pytest.mark.parametrize(
    "text",
    [
        "has maria lopez got anything that goes with her moka pot?",
        "Ana Sánchez ya tiene molinillo, qué más le enseño?",
    ],
)
def test_ideas_asked_beside_what_she_has_stay_ideas(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"ideas-has-{text}")

    assert reply.intent == Intent.recommend, reply.text
