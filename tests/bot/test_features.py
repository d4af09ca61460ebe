"""Telling near-identical products apart by the features a question asks for, or denies."""

from __future__ import annotations

import pytest

from bot.core.catalogue import ProductInfo
from bot.core.features import asked_features, feature_choice, size_choice

LINE = {
    p.sku: p
    for p in (
        ProductInfo(
            "K-1",
            "Brisa Kettle 1.0",
            description="Electric kettle, 1 litre, no temperature control, stainless steel.",
        ),
        ProductInfo(
            "K-2",
            "Brisa Kettle 1.0 Temp",
            description="Electric kettle with temperature control for green tea, keep-warm.",
        ),
        ProductInfo(
            "H-1",
            "Tono Over-Ear",
            description="Wireless headphones without active noise cancelling, 40 h battery.",
        ),
        ProductInfo(
            "H-2",
            "Tono Over-Ear Quiet",
            description="Wireless headphones with active noise cancelling and a hard case.",
        ),
    )
}


@pytest.mark.parametrize(
    ("text", "english", "pair", "sku"),
    [
        ("the brisa kettle without temperature control: how fast?", True, ("K-1", "K-2"), "K-1"),
        ("does the brisa with temperature control keep warm?", True, ("K-1", "K-2"), "K-2"),
        ("the tono headphones with no noise cancelling, battery?", True, ("H-1", "H-2"), "H-1"),
    ],
)
def test_the_feature_asked_for_or_denied_picks_the_model(
    text: str, english: bool, pair: tuple[str, str], sku: str
) -> None:
    assert feature_choice(pair, LINE, asked_features(text, english=english)) == sku


def test_nothing_that_tells_them_apart_leaves_the_choice_to_the_caller() -> None:
    asked = asked_features("is the brisa kettle electric?", english=True)

    assert feature_choice(("K-1", "K-2"), LINE, asked) is None


def test_a_denial_reaches_only_the_words_right_after_it() -> None:
    asked = asked_features(
        "the kettle without temperature control, what colour is it", english=True
    )

    assert ("temperature",) in [words for words, wanted in asked if not wanted]
    assert ("colour",) in [words for words, wanted in asked if wanted]


def test_a_size_word_and_a_size_number_are_not_compared() -> None:
    products = {
        "K17": ProductInfo("K17", "Bollo 1.7", "Kettles", None, "Kettle, 1.7 L."),
        "KMX": ProductInfo("KMX", "Bollo Max", "Kettles", None, "Kettle, 2.2 L."),
    }
    small = asked_features("the small Bollo kettle", english=True)

    assert size_choice(["K17", "KMX"], products, small) is None


def test_the_size_asked_picks_among_the_models_of_the_one_line_with_several() -> None:
    products = {
        "B40": ProductInfo("B40", "Birkenau Eau de Parfum 40 ml", "fragrance", None, ""),
        "B90": ProductInfo("B90", "Birkenau Eau de Parfum 90 ml", "fragrance", None, ""),
        "BSET": ProductInfo("BSET", "Birkenau Discovery Box", "gift sets", None, ""),
        "C30": ProductInfo("C30", "Cedrat Eau de Parfum 30 ml", "fragrance", None, ""),
        "C60": ProductInfo("C60", "Cedrat Eau de Parfum 60 ml", "fragrance", None, ""),
    }
    large = asked_features("the big Birkenau, what does it cost?", english=True)
    small = asked_features("the smaller Birkenau please", english=True)

    assert size_choice(["B40", "BSET", "B90"], products, large) == "B90"
    assert size_choice(["BSET", "B90", "B40"], products, small) == "B40"
    # Two lines with several models each: which line is meant is not the size's to say.
    assert size_choice(["B40", "B90", "C30", "C60"], products, large) is None
