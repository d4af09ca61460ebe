"""Products named as associates type them: a Turkish case ending typed straight onto a model
word ("iphone 16 pronun": the Pro) or after an apostrophe onto a number ("16'nın"), and two
words of a long name that no other product has ("okka minio"), which no meaning outweighs
(real assistant, demo store plus a few phones and coffee machines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.assistant import Assistant, Caller
from bot.core.types import Intent
from tests.stores import with_products

ANA = Caller(name="Ana", role="associate", store="S01")
PHONE, PRO, OKKA, POD = "PH-16", "PH-16P", "CF-OKKA", "CF-POP"
ROWS = (
    f'{PHONE},Apple iPhone 16 128 GB,phones,Apple,949,"6.1-inch, A18 chip, 48MP main camera."\n'
    f'{PRO},Apple iPhone 16 Pro 256 GB,phones,Apple,1329,"6.3-inch, A18 Pro, 5x telephoto '
    'camera."\n'
    f'{OKKA},Arzum Okka Minio Türk Kahvesi Makinesi,coffee machines,Arzum,89,"Turkish coffee '
    'machine, 1-4 cups, foam control."\n'
    f'{POD},Nespresso Vertuo Pop,coffee machines,Nespresso,99,"Compact capsule machine, '
    'one cup at a time, reads the barcode on each capsule."\n'
)


@pytest.fixture
def phone_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    return with_products(writable_assistant, tmp_path, ROWS)


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("iphone 16 pronun kamerasını müşteriye nasıl anlatayım", PRO),
        ("iphone 16 proyu mu önereyim", PRO),
        ("iphone 16'nın kamerası nasıl?", PHONE),
        ("okka minio kac fincan yapiyor", OKKA),
        ("okka minio kaç fincan yapıyor?", OKKA),
        ("how many cups does the okka minio make?", OKKA),
        ("¿cuántas tazas hace la okka minio?", OKKA),
    ],
)
def test_a_product_named_as_typed_is_that_product(
    phone_store: Assistant, text: str, sku: str
) -> None:
    reply = phone_store.answer(ANA, text, f"typed-{text}")

    assert reply.intent == Intent.product, reply.text
    assert reply.skus[:1] == [sku], reply.text


def test_an_english_word_with_a_turkish_looking_ending_is_not_cut(phone_store: Assistant) -> None:
    # Only a Turkish message cuts endings: "prone" is no "pro" + "ne" in English
    reply = phone_store.answer(ANA, "is the iphone 16 prone to scratches?", "typed-prone")

    assert reply.skus[:1] == [PHONE], reply.text


def test_a_brand_with_a_turkish_ending_before_its_part_is_the_part(phone_store: Assistant) -> None:
    # "aeropressin filtreleri": the AeroPress's filters (COF-004), not the brewer
    reply = phone_store.answer(ANA, "aeropressin filtreleri kaç tane?", "typed-part")

    assert reply.skus[:1] == ["COF-004"], reply.text
