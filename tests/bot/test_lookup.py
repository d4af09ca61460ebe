"""Finding customers and products from what associates type, without any model."""

from __future__ import annotations

from bot.core.catalogue import CustomerIndex, ProductIndex, ProductInfo, best_customers
from bot.core.text import folded_words

CUSTOMERS = CustomerIndex.build(
    [
        ("C1", "Serkan", "Özdemir"),
        ("C2", "Serkan", "Uzdemir"),
        ("C3", "Chiara", "Leonesi"),
        ("C4", "Chiara", "Barbano-Leonesi"),
        ("C5", "Emma", "Ioannidou-Brookham"),
        ("C6", "Emma", "Schulz"),
        ("C7", "Maria", "López"),
        ("C8", "Maria", "Costa"),
    ]
)


def _resolve(text: str) -> list[str]:
    return [m.customer_id for m in best_customers(CUSTOMERS.match(folded_words(text)))]


def test_an_exactly_typed_name_beats_its_one_typo_neighbours() -> None:
    assert _resolve("who is Serkan Özdemir") == ["C1"]


def test_a_typo_still_finds_the_customer() -> None:
    assert _resolve("who is Maria Lopes") == ["C7"]


def test_a_first_name_alone_asks_which_one() -> None:
    assert _resolve("who is Maria") == ["C7", "C8"]


def test_a_whole_name_wins_over_a_longer_name_containing_it() -> None:
    assert _resolve("Chiara Leonesi") == ["C3"]


def test_a_hyphenated_surname_typed_whole_is_found() -> None:
    assert _resolve("what did Emma Ioannidou-Brookham buy?") == ["C5"]


def test_product_words_shared_by_variants_still_name_the_product() -> None:
    index = ProductIndex(
        [
            ProductInfo(f"FTW-{i}", f"Brooks Ghost 16 ({colour})")
            for i, colour in enumerate(["black", "blue", "grey", "sage", "white", "red"] * 20)
        ]
        + [ProductInfo(f"X-{i}", f"Thing {i}") for i in range(200)]
    )

    hits = index.match_names(folded_words("tips for the Brooks Ghost?"))

    assert hits
    assert hits[0][0].startswith("FTW-")
