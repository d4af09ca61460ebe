"""Two models of one line told apart by what the associate asks for, in any language: the
feature asked for or denied, and the model number typed (real assistant, demo store plus a
line of robot vacuums)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.assistant import Assistant, Caller
from bot.core.types import Intent
from storage.importers import import_csv

ANA = Caller(name="Ana", role="associate", store="S01")
PLAIN, MOPS = "VAC-901", "VAC-902"


@pytest.fixture
def vacuum_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    products = tmp_path / "products.csv"
    products.write_text(
        "sku,name,category,brand,price,description\n"
        f'{PLAIN},Kora R9 Robot Vacuum,Vacuums,Kora,329,"Robot vacuum with laser mapping, '
        'vacuum only: no mopping and no self-emptying dock. Bin emptied by hand."\n'
        f'{MOPS},Kora R9+ Robot Vacuum & Mop,Vacuums,Kora,529,"The R9 with mopping and a '
        'self-emptying dock; the mop pad lifts on carpet."\n',
        encoding="utf-8",
    )
    import_csv(writable_assistant.engine, "products", products)
    writable_assistant.refresh()
    return writable_assistant


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("the R9 without the dock, is it ok for long hair?", PLAIN),
        ("is the R9 good on carpets?", PLAIN),  # named in full, no feature asked
        ("Saugroboter mit Wischfunktion, wie oft muss man das Pad waschen?", MOPS),
        ("el robot aspirador sin fregado, ¿vale para pelo de perro?", PLAIN),
        ("paspaslı robot süpürge halıyı ıslatır mı?", MOPS),
    ],
)
def test_the_feature_or_the_model_named_picks_the_sibling(
    vacuum_store: Assistant, text: str, sku: str
) -> None:
    reply = vacuum_store.answer(ANA, text, f"sibling-{text[:20]}")

    assert reply.intent == Intent.product, text
    assert reply.skus[:1] == [sku], text
