"""What goes well with a product: learned from co-purchases, not from popularity."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.cli import main
from bot.core.assistant import Assistant
from bot.core.complements import goes_well_with
from bot.core.shopping_refresh import refresh_recommendations
from bot.core.types import Caller, Intent
from tests.stores import Line, add_store

START = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)
ANA = Caller(name="Ana", role="associate", store="S01")
PRODUCTS = {
    "CHEM": ("Chemex 6-cup", "Coffee"),
    "FILT": ("Chemex bonded filters", "Coffee"),
    "SCAL": ("Pour-over scale", "Coffee"),
    "BEAN": ("House blend beans 1 kg", "Coffee"),
    "TEA": ("Sencha tea", "Tea"),
}


def _store(engine: Engine) -> None:
    """Eight Chemex owners: all buy filters, three a scale. Everybody buys beans; tea people
    buy tea. Two filter buyers never bought a Chemex."""
    lines: list[Line] = []
    for i in range(8):
        lines += [(f"c{i}", "CHEM", 1, i), (f"c{i}", "FILT", 1, i + 1), (f"c{i}", "BEAN", 1, i)]
    lines += [(f"c{i}", "SCAL", 1, i + 2) for i in range(3)]
    lines += [(f"t{i}", "TEA", 1, i) for i in range(12)] + [
        (f"t{i}", "BEAN", 1, i) for i in range(12)
    ]
    lines += [("f0", "FILT", 1, 3), ("f1", "FILT", 1, 4)]
    lines += [("liz", "CHEM", 1, 20), ("liz", "FILT", 1, 20)]
    add_store(engine, PRODUCTS, lines, start=START)
    with Session(engine) as session:
        refresh_recommendations(session=session)


def test_complements_are_what_owners_buy_together_not_what_everybody_buys(
    engine: Engine,
) -> None:
    _store(engine)
    with Session(engine) as session:
        found = goes_well_with(session=session, sku="CHEM", k=5)

    assert [c.sku for c in found] == ["FILT", "SCAL"]
    # Liz and the eight owners bought filters with it; beans are bought by everyone alike.
    assert found[0].together == 9
    assert found[0].reason == "9 customers bought both"
    assert found[1].reason == "3 customers bought both"
    assert all(c.lift >= 1.5 for c in found)


def test_for_a_customer_what_they_already_own_is_left_out(engine: Engine) -> None:
    _store(engine)
    with Session(engine) as session:
        for_liz = goes_well_with(session=session, sku="CHEM", customer_id="liz")
        unknown = goes_well_with(session=session, sku="NOPE")

    assert [c.sku for c in for_liz] == ["SCAL"]
    assert unknown == []


def _csv(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_recommend_with_prints_complements_and_their_reasons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "LLM_MODEL", "CHROMA_URL"):
        monkeypatch.delenv(name, raising=False)
    products = "sku,name,category\n" + "".join(f"{s},{n},{c}\n" for s, (n, c) in PRODUCTS.items())
    rows = ["order_id,customer_id,sku,quantity,purchased_at"]
    for i in range(6):
        rows += [
            f"A{i},C{i},CHEM,1,2024-05-0{i + 1}T10:00:00",
            f"A{i},C{i},FILT,2,2024-05-0{i + 1}T10:00:00",
        ]
        rows += [f"B{i},T{i},TEA,1,2024-05-0{i + 1}T11:00:00"]
    customers = "customer_id,name\n" + "".join(
        f"{c}{i},Customer {c}{i}\n" for c in "CT" for i in range(6)
    )
    for kind, text in (
        ("customers", customers),
        ("products", products),
        ("purchases", "\n".join(rows) + "\n"),
    ):
        assert main(["import", kind, _csv(tmp_path / f"{kind}.csv", text)]) == 0
    capsys.readouterr()

    assert main(["recommend", "--with", "CHEM", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert main(["recommend", "--with", "TEA"]) == 0
    none = capsys.readouterr().out
    assert main(["recommend", "--with", "NOPE"]) == 1
    err = capsys.readouterr().err

    assert out["name"] == "Chemex 6-cup"
    assert [(c["sku"], c["together"], c["reason"]) for c in out["complements"]] == [
        ("FILT", 6, "6 customers bought both")
    ]
    assert "no product is bought with it clearly more often than chance yet" in none
    assert "no product 'NOPE'" in err


@pytest.mark.parametrize(
    ("question", "product", "first"),
    [
        ("what goes well with the Chemex Classic?", "Chemex Classic 6-Cup", "COF-007"),
        ("¿qué combina con el Hario V60 Ceramic Dripper?", "Hario V60 Ceramic Dripper", "COF-003"),
        ("Was passt zum AeroPress Original?", "AeroPress Original Coffee Maker", "COF-004"),
    ],
)
def test_chat_answers_what_goes_well_with_a_product_in_the_associates_language(
    assistant: Assistant, question: str, product: str, first: str
) -> None:
    reply = assistant.answer(ANA, question, f"t-pairs-{first}")

    assert product in reply.text
    assert reply.skus[1] == first  # the asked product, then its strongest complement
    assert reply.customer_id is None


def test_a_customers_purchase_with_a_product_stays_a_question_about_her(
    assistant: Assistant,
) -> None:
    reply = assistant.answer(ANA, "What has María López bought with the AeroPress?", "t-pair-her")

    assert reply.intent != Intent.product
    assert "bought both" not in reply.text


def test_what_goes_well_with_it_follows_the_product_the_chat_is_about(
    assistant: Assistant,
) -> None:
    assistant.answer(ANA, "tips for selling the Hario V60 Ceramic Dripper?", "t-pair-it")
    reply = assistant.answer(ANA, "and what goes well with it?", "t-pair-it")

    assert reply.skus[:2] == ["COF-002", "COF-003"]  # the dripper, then its paper filters
    assert "customers bought both" in reply.text


@pytest.mark.parametrize(
    "question",
    [
        "Nikos Papadopoulos is in, anything that goes with what he already has?",
        "Was passt zu dem, was Nikos Papadopoulos schon hat?",
        "algo que combine con lo que ya tiene Nikos Papadopoulos?",
    ],
)
def test_what_goes_with_what_a_customer_has_is_ideas_for_him(
    assistant: Assistant, question: str
) -> None:
    reply = assistant.answer(ANA, question, f"t-owned-{question[:8]}")

    assert reply.intent == Intent.recommend  # built on his purchases, not one product's pairs
    assert reply.customer_id is not None
    assert "Goes well with" not in reply.text
