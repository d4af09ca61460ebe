"""Two products in one question: set against each other ("X or Y", "diferencia entre X y Y",
"X ile Y arasındaki fark"), the one named first is asked about; one fitting or charging the
other, the one named (or described) before the other. Words a store's names share are a name
together ("x12 pro"), and a word of the associate's own language is none ("¿o hay otro?")
(real assistant, demo store plus a few product lines)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.assistant import Assistant, Caller
from bot.core.comparisons import asks_fit, asks_to_compare, compared_parts
from bot.core.types import Intent
from knowledge.embeddings import E5Embeddings
from tests.bot.conftest import make_assistant
from tests.stores import with_products

ANA = Caller(name="Ana", role="associate", store="S01")
ROWS = """\
P-101,Aura Buds 3,Audio,Aura,99,"True wireless earbuds, 6 h battery, no noise cancelling."
P-102,Aura Buds 3 Pro,Audio,Aura,179,"Earbuds with active noise cancelling and wireless case."
P-103,Solaris SPF50 Kids Spray 200ml,Suncare,Solaris,14,"Sun spray for children from 3 years."
P-104,Solaris SPF50 Mineral Baby Cream 50ml,Suncare,Solaris,16,"Mineral sun cream for babies."
P-105,Nova X12,Phones,Nova,699,"6.1 inch phone."
P-106,Nova X12 Pro,Phones,Nova,999,"6.1 inch phone with telephoto camera."
P-107,Nova X12 Pro Max,Phones,Nova,1199,"6.7 inch phone with telephoto camera."
P-108,Nova X12 Pro Clear Case,Cases,Nova,29,"Clear case for the X12 Pro only."
P-109,Nova X12 Pro Leather Case,Cases,Nova,49,"Leather case for the X12 Pro only."
P-110,Nova X12 Pro Glass Protector,Cases,Nova,19,"Tempered glass for the X12 Pro."
P-111,Pulse Watch 5 45mm,Watches,Pulse,399,"Smartwatch, 45 mm case."
P-112,Pulse Sport Band,Watches,Pulse,49,"Sport band for Pulse Watch 5, both sizes."
P-113,VoltCharge 65W GaN Charger,Chargers,VoltCharge,59,"USB-C charger, 65 W."
P-114,Aero 16 Creator Laptop,Laptops,Aero,1899,"16 inch laptop, needs 100 W to charge at full speed."
P-115,Meadow Timothy Hay 1kg,Small animals,Meadow,9,"Timothy hay for rabbits and guinea pigs."
P-116,NutriPaws Puppy Chicken 3kg,Dog food,NutriPaws,24,"Dry food for puppies up to 12 months."
P-117,Trundle Guest Bed 90x200,Beds,Kaya,399,"Pull-out guest bed, takes two 90x200 mattresses."
P-118,Fjell Oak Bed Frame 160x200,Beds,Nordhavn,899,"Solid oak double bed frame."
"""


@pytest.fixture(scope="module")
def shop(
    tmp_path_factory: pytest.TempPathFactory, demo_dir: Path, embeddings: E5Embeddings
) -> Assistant:
    """The demo store with the lines above added (one copy for the module: answers only read)."""
    work = tmp_path_factory.mktemp("compare")
    shutil.copytree(demo_dir, work / "data")
    assistant = make_assistant(work / "data", embeddings)
    return with_products(assistant, work, ROWS)


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        # The one named first, though the other is named more fully.
        ("what's the difference between the buds 3 and the buds 3 pro?", "P-101"),
        ("buds 3 pro or buds 3 for a runner?", "P-102"),
        ("diferencia entre la mineral baby cream de solaris y el kids spray?", "P-104"),
        ("solaris kids spray o la mineral baby cream para un niño de 4 años?", "P-103"),
        ("buds 3 pro ile buds 3 arasındaki fark ne?", "P-102"),
        ("ποια η διαφορά του x12 pro με το pro max;", "P-106"),
        ("Unterschied zwischen X12 Pro Max und X12 Pro?", "P-107"),
        # One fitting or charging the other: the one named, or described, before it.
        ("does the sport band fit the pulse watch 5 45mm?", "P-112"),
        ("lädt das 65w netzteil auch das aero 16?", "P-113"),
        ("ο φορτιστής 65w φορτίζει και το aero 16;", "P-113"),
        # The accessory described in the associate's language, before the device named.
        ("passt die Lederhülle auf das X12 Pro Max?", "P-109"),
        ("¿la funda transparente sirve para el X12 Pro Max?", "P-108"),
        ("şeffaf kılıf X12 Pro Max'e olur mu?", "P-108"),
        # A product named only in part by its size is the one the words before it describe.
        ("passt auf das Ausziehbett 90x200 eine normale Matratze drauf?", "P-117"),
        # Fitting asked first, whatever the "or" after it sets against each other.
        ("the sport band: does it fit the pulse watch 5 too or only older watches?", "P-112"),
        ("the clear case: does it fit the nova x12 pro too or only the x12?", "P-108"),
        # Each side read far enough to hold a name; of those named, the ones of a kind with
        # the other side's (not the demo store's running shoe), then the one nearest the "or".
        ("are the buds 3 good for running in the rain or are the buds 3 pro better?", "P-101"),
        # The plain model by its code alone, set against a longer name holding the code.
        ("X12 or X12 Pro?", "P-105"),
        ("is the X12 better than the X12 Pro?", "P-105"),
        ("aura buds 3 or the 3 pro?", "P-101"),
        # The other side named only by what sets it apart from the first.
        ("buds 3 pro ile 3 arasındaki fark ne?", "P-102"),
        # The other side named with a typo.
        ("the nova x12 pro clear case or the leathr case, which is nicer?", "P-108"),
        # Too short to tell its language: a versus word no other language has still counts.
        ("Aura Buds 3 Pro oder 3?", "P-102"),
        ("X12 Pro Max veya X12 Pro?", "P-107"),
        # An accessory asked for a device ("a case for…"), described in the associate's
        # language: the accessory, not the device; a capitalised noun is no customer's name.
        ("Funda para el X12 Pro", "P-108"),
        ("Schutzglas fürs X12 Pro?", "P-110"),
        ("Hülle für das X12 Pro", "P-108"),
        ("θήκη για το X12 Pro;", "P-108"),
        # "for" before something else than a product: the product named.
        ("the x12 pro is too expensive for her, what do i say?", "P-106"),
        ("verkaufsargumente für das X12 Pro?", "P-106"),
        ("charger for the aero 16?", "P-113"),
        # Turkish says "için" after the device.
        ("X12 Pro için kılıf var mı?", "P-108"),
        ("Aero 16 için şarj aleti var mı?", "P-113"),
        ("X12 Pro için kampanya var mı?", "P-106"),  # no accessory asked: the phone
        # Named as a whole, or meant by the whole question and of the device's line.
        ("filters for the Chemex", "COF-007"),
        ("filtros para la Chemex", "COF-007"),
        ("Papierfilter für den V60", "COF-003"),
        # The X12 Pro's case is for no Pro Max: the phone asked about, not a case that won't fit.
        ("any case for the X12 Pro Max?", "P-107"),
    ],
)
def test_of_two_products_the_one_named_first_is_asked_about(
    shop: Assistant, text: str, sku: str
) -> None:
    reply = shop.answer(ANA, text, f"compare-{text}")

    assert reply.intent == Intent.product, text
    assert reply.skus[:1] == [sku], text


@pytest.mark.parametrize(
    ("text", "skus"),
    [
        ("is the aura buds 3 pro better than the buds 3?", ["P-102", "P-101"]),
        ("¿qué diferencia hay entre el X12 Pro y el X12 Pro Max?", ["P-106", "P-107"]),
        ("X12 ή X12 Pro;", ["P-105", "P-106"]),
        ("Pulse Watch 5 45mm oder Aero 16 als Geschenk?", ["P-111", "P-114"]),
    ],
)
def test_two_products_set_against_each_other_get_a_card_each(
    shop: Assistant, text: str, skus: list[str]
) -> None:
    reply = shop.answer(ANA, text, f"cards-{text}")

    assert reply.skus == skus, text
    names = [shop.retrieval.catalogue.products.products[sku].name for sku in skus]
    assert all(name in reply.text for name in names), reply.text
    assert [f"product {sku}" for sku in skus] == reply.sources[:2]


def test_a_product_fitted_to_another_or_asked_alone_gets_one_card(shop: Assistant) -> None:
    fit = shop.answer(ANA, "does the sport band fit the pulse watch 5 45mm?", "card-fit")
    alone = shop.answer(ANA, "how much is the x12 pro max?", "card-alone")

    assert fit.skus == ["P-112"]
    assert alone.skus == ["P-107"]
    assert "Nova X12 Pro Max" in alone.text
    assert "No tips for it yet" in alone.text


def test_only_the_words_next_to_or_name_the_products_set_against_each_other(
    shop: Assistant,
) -> None:
    # "better" is also a word of a sweater's name in the demo store.
    reply = shop.answer(ANA, "what's better for a runner, the buds 3 pro or the buds 3?", "near")

    assert reply.skus[:1] == ["P-102"]
    # Within the words read, the product nearest the "or" is the one set against the other.
    reply = shop.answer(ANA, "what's better, the buds 3 pro or the buds 3?", "nearest")

    assert reply.skus[:1] == ["P-102"]


def test_words_every_variant_shares_name_the_plain_model_together(shop: Assistant) -> None:
    # "x12" and "pro" are each in five names; together they are the X12 Pro's whole model name.
    reply = shop.answer(ANA, "how much is the x12 pro?", "x12-pro")

    assert reply.skus[:1] == ["P-106"]


def test_a_word_of_the_associates_language_names_no_product(shop: Assistant) -> None:
    spanish = shop.answer(
        ANA, "el pienso nutripaws de cachorro sirve para un labrador o hay otro?", "hay-es"
    )
    english = shop.answer(ANA, "do we have timothy hay for a rabbit?", "hay-en")

    assert spanish.skus[:1] != ["P-115"]
    assert english.skus[:1] == ["P-115"]


@pytest.mark.parametrize(
    ("text", "language", "parts"),
    [
        ("buds 3 or buds 3 pro?", "en", [("buds 3 ", "buds 3 pro")]),
        # "and" sets them against each other only when a comparison is asked.
        ("she has the buds 3 and wants a case", "en", []),
        (
            "difference between buds 3 and buds 3 pro",
            "en",
            [("difference between buds 3 ", "buds 3 pro")],
        ),
        ("la crema ή το σπρέι;", "el", [("la crema ", "το σπρέι")]),
        ("η κρέμα για μωρά", "el", []),  # the article η is no "or"
        ("rakı ile tsipouro arasında fark ne", "tr", [("rakı ", "tsipouro arasında fark ne")]),
        ("or the other one", "en", []),  # opening the message, it sets nothing against
    ],
)
def test_a_message_splits_where_two_things_are_set_against_each_other(
    text: str, language: str, parts: list[tuple[str, str]]
) -> None:
    assert compared_parts(text, language) == parts


def test_comparison_and_fit_cues_are_read_in_each_language() -> None:
    assert asks_to_compare("q diferencia hay?", "es")
    assert asks_to_compare("hangisi daha iyi", "tr")
    assert not asks_to_compare("what did she buy?", "en")
    assert asks_fit("passt die Hülle?", "de")
    assert asks_fit("ταιριάζει στο κινητό;", "el")
    assert not asks_fit("was hat sie gekauft?", "de")


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("¿X12 o X12 Pro?", "P-105"),
        ("Buds 3 mü 3 Pro mu?", "P-101"),
    ],
)
def test_a_short_comparison_in_any_language_is_about_the_first(
    shop: Assistant, text: str, sku: str
) -> None:
    reply = shop.answer(ANA, text, f"short-{text}")

    assert reply.skus[:1] == [sku]
