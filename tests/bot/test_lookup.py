"""Finding customers and products from what associates type, without any model (the last test
asks the whole assistant)."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant, Caller
from bot.core.catalogue import CustomerIndex, ProductIndex, ProductInfo, best_customers
from bot.core.text import folded_words
from bot.core.types import Intent

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


# Names one letter away from common words of the associates' languages.
SHOP = ProductIndex(
    [
        ProductInfo("P-1", "Baratza Encore Burr Grinder", brand="Baratza"),
        ProductInfo("P-2", "Patagonia Better Sweater", brand="Patagonia"),
        ProductInfo("P-3", "Iittala Teema Bowl", brand="Iittala"),
        ProductInfo("P-4", "Gardena Classic Hose", brand="Gardena"),
        ProductInfo("P-5", "Linen Duvet Cover", brand="Casa Linea"),
        ProductInfo("P-6", "Red Wing Iron Ranger Boot", brand="Red Wing"),
        ProductInfo("P-7", "Lodge Cast Iron Skillet", brand="Lodge"),
        ProductInfo("P-8", "Wüsthof Classic Chef's Knife", brand="Wüsthof"),
        ProductInfo("P-9", "Le Creuset Round Casserole", brand="Le Creuset"),
        ProductInfo("P-10", "Swiss Water Decaf Peru", brand="Kaffa"),
        ProductInfo("P-11", "Kenya Nyeri AA", brand="Kaffa"),
    ]
)


def _named(text: str) -> list[str]:
    return [sku for sku, _, _ in SHOP.match_names(folded_words(text))]


@pytest.mark.parametrize(
    "text",
    [
        "¿la toalla encoge si la lavo en agua caliente?",  # es "encoge": not Encore
        "Wie wird das Wetter am Samstag?",  # de "Wetter": not Better
        "ποιο είναι το θέμα της σημερινής ενημέρωσης;",  # el θέμα, "thema": not Teema
        "those two ladies asked for the fitting room",  # en "those": not Hose
        "davet için ne giymeli diye soruyor",  # tr "davet": not Duvet
        "Konya'dan gelen müşteri ne sordu?",  # tr "Konya": not Kenya
        "Ihr Vater trinkt abends nur Tee",  # de "Vater": not Water
    ],
)
def test_an_ordinary_word_one_letter_from_a_name_names_no_product(text: str) -> None:
    assert _named(text) == []


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("is the baratsa loud?", "P-1"),
        ("¿el wustof se puede afilar en casa?", "P-8"),
        ("lodgee skillet seasoning tips", "P-7"),
        ("τι να πω για την κατσαρόλα le creusset;", "P-9"),
        ("Patagoina Pullover: wie fällt er aus?", "P-2"),
    ],
)
def test_a_typo_of_a_brand_still_names_the_product(text: str, sku: str) -> None:
    assert _named(text)[:1] == [sku]


def test_the_plural_of_a_name_word_still_counts_for_the_product() -> None:
    # "wings" is a common word, and the plural of "Wing".
    hits = SHOP.match_names(folded_words("did he buy his Red Wings here?"))

    assert [(sku, words) for sku, _, words in hits[:1]] == [("P-6", {"red", "wing"})]


def test_a_question_whether_the_bathrobe_shrinks_is_not_about_the_encore_grinder(
    assistant: Assistant,
) -> None:
    question = "¿el albornoz de algodón encoge al lavarlo?"  # "encoge": shrinks
    reply = assistant.answer(
        Caller(name="Ana", role="associate", store="S01"), question, "t-encoge"
    )

    assert "COF-005" not in reply.skus  # Baratza Encore Conical Burr Grinder
    assert reply.intent == Intent.product
    assert reply.skus[:1] == ["BAT-012"]  # Cotton Waffle Bathrobe


# Models of one line told apart by their numbers and codes.
MODELS = ProductIndex(
    [
        ProductInfo("M-1", "Aerix Breeze 30", brand="Aerix"),
        ProductInfo("M-2", "Aerix Breeze 50", brand="Aerix"),
        ProductInfo("M-3", "Kord Stick V8", brand="Kord"),
        ProductInfo("M-4", "Kord Stick V12", brand="Kord"),
        ProductInfo("M-5", "Kord Floor W5", brand="Kord"),
        ProductInfo("M-6", "Kord Floor W9 Pro", brand="Kord"),
    ]
)


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("Breeze 50 kaç metrekarelik oda için", "M-2"),
        ("is the breeze 30 loud at night?", "M-1"),
        ("der Stick V12, wie lange hält der Akku?", "M-4"),
        ("η σκούπα v8 έχει φίλτρο που πλένεται;", "M-3"),
        ("Floor W5 auf Parkett ok?", "M-5"),
    ],
)
def test_a_model_number_tells_one_model_from_its_sibling(text: str, sku: str) -> None:
    assert [s for s, _, _ in MODELS.match_names(folded_words(text))][:1] == [sku]


@pytest.mark.parametrize(
    "text",
    ["anything under 50 euros for her?", "what did she buy in 2025 for 30 €?", "50?"],
)
def test_a_number_alone_names_no_model(text: str) -> None:
    assert MODELS.match_names(folded_words(text)) == []


def test_a_model_number_not_typed_is_not_held_against_its_product() -> None:
    # "her coffee dripper" names the "Hario V60 Dripper 02" as much as it would without the
    # short code: it tells siblings apart when typed, and weighs nothing when not.
    coded = ProductIndex([ProductInfo("D-1", "Hario V60 Dripper 02"), ProductInfo("K", "Kettle")])
    plain = ProductIndex([ProductInfo("D-1", "Hario V60 Dripper"), ProductInfo("K", "Kettle")])
    asked = folded_words("how do I clean her hario dripper?")

    assert coded.match_names(asked)[0][1] == pytest.approx(plain.match_names(asked)[0][1])


CODED = ProductIndex(
    [
        ProductInfo("K-1", "Yamaha P-145 Digital Piano", brand="Yamaha"),
        ProductInfo("K-2", "Yamaha P-225 Digital Piano", brand="Yamaha"),
        ProductInfo("K-3", "Yamaha FC4A Sustain Pedal", brand="Yamaha"),
        ProductInfo("K-4", "Boss SD-1 Super OverDrive Pedal", brand="Boss"),
        ProductInfo("K-5", "Sony WH-1000XM5 Headphones", brand="Sony"),
    ]
)


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        # A hyphenated model code, typed with or without its hyphen: only its number was read,
        # and a number alone names nothing ("50 euros").
        ("does the P-145 come with a pedal?", "K-1"),
        ("το sd1 παίζει με μπάσο;", "K-4"),
        ("wh1000xm5 battery life?", "K-5"),
    ],
)
def test_a_model_code_names_its_product_with_or_without_the_hyphen(text: str, sku: str) -> None:
    assert _named_by(CODED, text)[:1] == [sku]


def test_two_model_codes_typed_without_hyphens_name_both() -> None:
    assert set(_named_by(CODED, "p145 oder p225?")[:2]) == {"K-1", "K-2"}


def test_a_number_alone_still_names_no_model() -> None:
    assert _named_by(CODED, "is 145 euros too much for a pedal?")[:1] != ["K-1"]


def _named_by(index: ProductIndex, text: str) -> list[str]:
    return [sku for sku, _, _ in index.match_names(folded_words(text))]


def test_a_sku_typed_without_its_hyphen_is_found_when_it_names_one_product() -> None:
    index = ProductIndex(
        [
            ProductInfo("COF-001", "AeroPress Original"),
            ProductInfo("AB-12", "Thing One"),
            ProductInfo("A-B12", "Thing Two"),  # "ab12" would name both
        ]
    )

    assert index.find_sku(folded_words("cof001 tips?")) == "COF-001"
    assert index.find_sku(folded_words("COF-001")) == "COF-001"
    assert index.find_sku(folded_words("is ab12 any good?")) is None
