"""Two models of one line told apart by what the associate asks for, in any language: the
feature asked for or denied, and the model number typed (real assistant, demo store plus a
line of robot vacuums)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.assistant import Assistant, Caller
from bot.core.catalogue import named_first
from bot.core.text import folded_words
from bot.core.types import Intent
from tests.stores import with_products

ANA = Caller(name="Ana", role="associate", store="S01")
PLAIN, MOPS = "VAC-901", "VAC-902"


def _with_products(tmp_path: Path, assistant: Assistant, rows: str) -> Assistant:
    """Import these product rows (CSV lines under the products header) and reload the index."""
    return with_products(assistant, tmp_path, rows)


@pytest.fixture
def vacuum_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    return _with_products(
        tmp_path,
        writable_assistant,
        f'{PLAIN},Kora R9 Robot Vacuum,Vacuums,Kora,329,"Robot vacuum with laser mapping, '
        'vacuum only: no mopping and no self-emptying dock. Bin emptied by hand."\n'
        f'{MOPS},Kora R9+ Robot Vacuum & Mop,Vacuums,Kora,529,"The R9 with mopping and a '
        'self-emptying dock; the mop pad lifts on carpet."\n',
    )


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("the R9 without the dock, is it ok for long hair?", PLAIN),
        ("is the R9 good on carpets?", PLAIN),  # named in full, no feature asked
        ("Saugroboter mit Wischfunktion, wie oft muss man das Pad waschen?", MOPS),
        ("el robot aspirador sin fregado, ¿vale para pelo de perro?", PLAIN),
        ("paspaslı robot süpürge halıyı ıslatır mı?", MOPS),
        # Asked whether it goes on carpets: the sibling named, not its words before "with".
        ("does the robot vacuum with the mop go on carpets or does it soak the rug?", MOPS),
    ],
)
def test_the_feature_or_the_model_named_picks_the_sibling(
    vacuum_store: Assistant, text: str, sku: str
) -> None:
    reply = vacuum_store.answer(ANA, text, f"sibling-{text[:20]}")

    assert reply.intent == Intent.product, text
    assert reply.skus[:1] == [sku], text


@pytest.fixture
def appliance_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    return _with_products(
        tmp_path,
        writable_assistant,
        'AIR-20,Vento 20,Air,Vento,149,"Air purifier for rooms up to 20 m², HEPA filter, '
        'night mode."\n'
        'AIR-40,Vento 40,Air,Vento,249,"Air purifier for rooms up to 40 m², HEPA filter and '
        'carbon layer, night mode."\n'
        'BLD-1200,Mixa Power 1200,Kitchen,Mixa,129,"Countertop blender, 1200 W motor, crushes '
        'ice, 1.8 L glass jug, self-cleaning programme."\n'
        'BLD-300,Mixa Go,Kitchen,Mixa,39,"Personal blender, 300 W, drinks bottle doubles as '
        'the jug. Not for ice."\n'
        'FRY-5,Mixa Crisp 5,Kitchen,Mixa,99,"Hot-air fryer with a 5 L non-stick basket; the '
        'basket and tray go in the dishwasher."\n'
        'HP-200,Tono Air 200,Audio,Tono,99,"Over-ear wireless headphones without noise '
        'cancelling, 50 hours of battery."\n'
        'HP-200NC,Tono Air 200 NC,Audio,Tono,159,"Over-ear wireless headphones with active '
        'noise cancelling, 30 hours of battery."\n'
        'FR-P50,Serein Eau de Parfum 50 ml,Fragrance,Solera,85,"Citrus and fig, long-lasting."\n'
        'FR-P100,Serein Eau de Parfum 100 ml,Fragrance,Solera,125,"Citrus and fig, long-lasting."\n'
        'FR-T50,Serein Eau de Toilette 50 ml,Fragrance,Solera,62,"Citrus and fig, lighter."\n'
        'FR-BOX,Serein Gift Box,Gift sets,Solera,99,"Eau de Parfum 30 ml and body lotion."\n',
    )


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        # The small or the large model of a line, in the associate's language.
        ("el purificador de aire pequeño, ¿hace ruido por la noche?", "AIR-20"),
        ("büyük hava temizleyici kaç metrekareye yeter?", "AIR-40"),
        ("der große Luftreiniger, hat der einen Nachtmodus?", "AIR-40"),
        # A number typed with its unit names the model that has it.
        ("can the 1200W blender crush ice?", "BLD-1200"),
        ("το μπλέντερ των 1200W καθαρίζει μόνο του;", "BLD-1200"),
        # A feature denied among products near in meaning, none named.
        ("ασύρματα ακουστικά κεφαλής χωρίς ακύρωση θορύβου, πόσες ώρες μπαταρία;", "HP-200"),
        # A word of another product's name inside the phrase of the one meant.
        ("does the air fryer basket go in the dishwasher?", "FRY-5"),
        # Abbreviations of name words; the size asked among the models of one line.
        ("does the Serein EDT suit someone who wants it subtle?", "FR-T50"),
        ("the big Serein: how many ml and what does it cost?", "FR-P100"),
        ("die kleine Serein, wie lange hält die?", "FR-P50"),
    ],
)
def test_a_size_a_number_or_a_feature_picks_one_of_products_alike(
    appliance_store: Assistant, text: str, sku: str
) -> None:
    reply = appliance_store.answer(ANA, text, f"alike-{text[:20]}")

    assert reply.intent == Intent.product, text
    assert reply.skus[:1] == [sku], text


def test_an_article_before_a_kind_of_product_is_no_pronoun_for_the_last_one(
    appliance_store: Assistant,
) -> None:
    first = appliance_store.answer(ANA, "el Mixa Go, ¿sirve para hielo?", "article-1")
    assert first.skus[:1] == ["BLD-300"]

    reply = appliance_store.answer(
        ANA, "y la freidora de aire, ¿la cesta va al lavavajillas?", "article-1"
    )

    assert reply.skus[:1] == ["FRY-5"]
    # A pronoun alone still means the product discussed.
    again = appliance_store.answer(ANA, "¿y cómo la limpio?", "article-1")
    assert again.skus[:1] == ["FRY-5"]


@pytest.fixture
def headphone_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    return _with_products(
        tmp_path,
        writable_assistant,
        'HP-6B,Sonora QH-900XM6 Black,Audio,Sonora,449,"Noise-cancelling headphones."\n'
        'HP-6S,Sonora QH-900XM6 Pearl Silver,Audio,Sonora,449,"Noise-cancelling headphones."\n'
        'HP-5B,Sonora QH-900XM5 Black,Audio,Sonora,299,"Older headphones: they do not fold flat."\n'
        'TAB-11,Lumo Tab 11 128GB Black,Tablets,Lumo,399,"11-inch tablet."\n'
        'TAB-11P,Lumo Tab 11 Pro 256GB Graphite Grey,Tablets,Lumo,699,"11-inch tablet."\n'
        'VAC-S9,Vortex S9 Detect Absolute Stick,Vacuums,Vortex,599,"Cordless stick vacuum."\n'
        'LAP-13,Lumo Book 13,Laptops,Lumo,1099,"13-inch laptop, 18 hours of battery life."\n',
    )


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        # A model code typed in part: the XM6, not the XM5 whose card speaks of folding.
        ("does the xm6 fold flat?", {"HP-6B", "HP-6S"}),
        ("el xm6 plateado, ¿se pliega?", {"HP-6B", "HP-6S"}),
        ("tab 11 pro, good for a ten year old?", {"TAB-11P"}),  # more of its name typed
        ("is the tab 11 good for a ten year old?", {"TAB-11"}),
        ("s9 Akkulaufzeit?", {"VAC-S9"}),  # its code, though "battery life" reads as the laptop
    ],
)
def test_a_model_is_named_by_its_code_and_by_the_most_of_its_name(
    headphone_store: Assistant, text: str, sku: set[str]
) -> None:
    reply = headphone_store.answer(ANA, text, f"model-{text[:20]}")

    assert reply.intent == Intent.product, text
    assert reply.skus, text
    assert reply.skus[0] in sku, text


@pytest.fixture
def watch_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    return _with_products(
        tmp_path,
        writable_assistant,
        'W36,Nordlicht Classic 36 Automatic,Watches,Nordlicht,1150,"36mm steel dress watch."\n'
        'W38,Nordlicht Classic 38 Automatic,Watches,Nordlicht,1250,"38mm steel dress watch."\n'
        'WL,Nordlicht Lady 28 Quartz,Watches,Nordlicht,690,"28mm quartz, pearl dial."\n'
        'WM,Nordlicht Moonphase 40,Watches,Nordlicht,1890,"40mm automatic with moonphase."\n'
        'P45,Selene Pearl Strand 45cm,Necklaces,Selene,890,"Akoya pearls knotted on silk, 45 cm."\n'
        'P50,Selene Pearl Strand 50cm,Necklaces,Selene,990,"Akoya pearls knotted on silk, 50 cm."\n'
        'PR,Pearl Restringing,Services,Selene,85,"Hand-knotted restringing on silk."\n',
    )


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        # Two products named alike: the one whose own words come first is asked about.
        ("q diferencia hay entre el nordlicht 36 y el 38?", "W36"),
        ("nordlicht 38 or the 36 for a slim wrist?", "W38"),
        # A product named by one ordinary word before is no rival of one named surely.
        ("lady asking if she can wear the selene 50cm strand in the shower", "P50"),
    ],
)
def test_of_products_named_the_one_named_first_and_surely_is_asked_about(
    watch_store: Assistant, text: str, sku: str
) -> None:
    reply = watch_store.answer(ANA, text, f"first-{text}")

    assert reply.intent == Intent.product
    assert reply.skus[:1] == [sku]


def test_products_named_alike_but_not_set_against_each_other_are_not_told_apart_by_order() -> None:
    hits = [("DRIP", 0.5, {"v60", "dripper"}), ("FILT", 0.5, {"v60", "filters"})]
    owned_then_asked = folded_words("she has the V60 dripper, does she need the V60 filters?")
    compared = folded_words("V60 dripper or the filters?")

    assert named_first(owned_then_asked, hits) is None
    assert named_first(compared, hits) == "DRIP"


@pytest.fixture
def colour_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    return _with_products(
        tmp_path,
        writable_assistant,
        'H9B,Kora H9 Headphones Black,Audio,Kora,299,"Noise-cancelling headphones, black."\n'
        'H9S,Kora H9 Headphones Platinum Silver,Audio,Kora,299,"Same as the H9 Black, silver."\n'
        'LP1,Velvet Lipstick 12 Nude,Makeup,Lumen,24,"Soft matte lipstick, nude beige."\n'
        'LP2,Velvet Lipstick 21 Cherry Red,Makeup,Lumen,24,"Soft matte lipstick, red."\n',
    )


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("¿los H9 plateados pesan más?", "H9S"),
        ("ist der Kora H9 in Silber leichter?", "H9S"),
        ("siyah H9 kulaklık kaç para?", "H9B"),
        ("τα ασημί H9 έχουν θήκη;", "H9S"),
        ("el velvet lipstick rojo aguanta todo el día?", "LP2"),
    ],
)
def test_a_colour_in_the_associate_s_language_picks_the_sibling(
    colour_store: Assistant, text: str, sku: str
) -> None:
    reply = colour_store.answer(ANA, text, f"colour-{text}")

    assert reply.intent == Intent.product
    assert reply.skus[:1] == [sku]


@pytest.fixture
def boot_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    return _with_products(
        tmp_path,
        writable_assistant,
        'BT-BLK,Fenna ankle boot black,Boots,Fenna,160,"Black calf leather, rubber sole."\n'
        'BT-BRN,Fenna ankle boot brown,Boots,Fenna,160,"Brown calf leather, not waterproof."\n'
        'BT-GRN,Fenna ankle boot green,Boots,Fenna,160,"Green suede, rubber sole."\n'
        'BT-LND,Fenna ankle boot lined black,Boots,Fenna,190,"Black leather, wool lining."\n'
        'BR-01,Suede brush,Care,Fenna,12,"Brass and crepe brush for suede."\n'
        'BL-01,Leather balm,Care,Fenna,15,"Beeswax balm for smooth leather, not for suede."\n',
    )


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        # The colour or lining typed in the associate's language picks the sibling, also when
        # the line's name alone ("Fenna") names all four.
        ("ist der braune Fenna Stiefel wasserdicht?", "BT-BRN"),
        ("las fenna marrones se pueden mojar?", "BT-BRN"),
        ("οι πράσινες fenna θέλουν σπρέι;", "BT-GRN"),
        ("yeşil fenna botlar süet mi?", "BT-GRN"),
        ("die gefütterten Fenna, was für ein Futter ist das?", "BT-LND"),
        # Kinds of the glossary named in another language: the brush, the balm.
        ("el cepillo de ante, ¿cómo se usa?", "BR-01"),
        ("το βάλσαμο κάνει και για σουέτ;", "BL-01"),
    ],
)
def test_a_colour_or_kind_in_the_associates_language_picks_the_product(
    boot_store: Assistant, text: str, sku: str
) -> None:
    reply = boot_store.answer(ANA, text, f"boot-{text[:20]}")

    assert reply.intent == Intent.product, text
    assert reply.skus[:1] == [sku], text


@pytest.fixture
def ladder_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    return _with_products(
        tmp_path,
        writable_assistant,
        'LAD-3,StepSafe aluminium step ladder 3 tread,Tools,StepSafe,39,"Folding 3-tread '
        'ladder, 150 kg."\n'
        'LAD-5,StepSafe aluminium step ladder 5 tread,Tools,StepSafe,59,"Folding 5-tread '
        'ladder, 150 kg."\n',
    )


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("η σκάλα με τα 3 σκαλιά χωράει σε πορτμπαγκάζ;", "LAD-3"),
        ("la escalera de 5 peldaños, ¿cabe en un coche pequeño?", "LAD-5"),
        ("5 basamaklı merdiven arabaya sığar mı?", "LAD-5"),
        ("passt die Stehleiter mit 3 Stufen in den Kofferraum?", "LAD-3"),
    ],
)
def test_a_product_named_only_in_the_associates_language_is_found(
    ladder_store: Assistant, text: str, sku: str
) -> None:
    """No word of the catalogue typed: the ladder is found by what the words mean, and of the
    two the one whose name holds the number typed ("σκάλα … 3 σκαλιά": the 3 tread one)."""
    reply = ladder_store.answer(ANA, text, f"ladder-{text[:20]}")

    assert reply.intent == Intent.product, text
    assert reply.skus[:1] == [sku], text


@pytest.fixture
def lens_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    return _with_products(
        tmp_path,
        writable_assistant,
        'LNS-1,Varifocal Comfort,Lenses,ClearSight,349,"Progressive (varifocal) spectacle '
        'lenses with a standard corridor for everyday wear."\n'
        'LNS-2,Varifocal Comfort Pro,Lenses,ClearSight,549,"Individualised progressive '
        "spectacle lenses with a wide reading zone, made to the wearer's frame.\"\n"
        'CLN-1,Lens Cleaning Kit Pro,Care,ClearSight,19,"Spray, cloth and case."\n'
        'DRP-1,Hydra Eye Drops Pro,Care,Hydra,12,"Preservative-free drops for dry eyes."\n'
        'SV-15,Single Vision 1.5,Lenses,ClearSight,89,"Standard index single vision lenses."\n'
        'SV-16,Single Vision 1.6 Thin,Lenses,ClearSight,129,"Thinner single vision lenses."\n',
    )


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("verkaufstipps für die gleitsichtgläser pro?", "LNS-2"),
        ("¿cómo vendo las lentes progresivas pro?", "LNS-2"),
        ("tips for the varifocal comfort lenses?", "LNS-1"),  # nothing more typed
    ],
)
def test_a_word_more_typed_of_a_sibling_s_name_picks_it(
    lens_store: Assistant, text: str, sku: str
) -> None:
    """Found by meaning or by the words of the shorter name, "pro" typed is the Pro."""
    reply = lens_store.answer(ANA, text, f"sibling-extra-{text[:20]}")

    assert reply.intent == Intent.product, reply.text
    assert reply.skus[:1] == [sku], reply.text


def test_the_sibling_named_by_the_words_more_is_taken_only_when_all_are_typed(
    lens_store: Assistant,
) -> None:
    pick = lens_store.retrieval.with_typed_extra
    assert pick("LNS-1", "verkaufstipps fuer die gleitsicht pro?") == "LNS-2"
    assert pick("LNS-1", "gleitsicht, welche ist besser?") == "LNS-1"
    assert pick("LNS-2", "gleitsicht pro") == "LNS-2"  # nothing longer
    assert pick("CLN-1", "cleaning kit pro for the varifocal comfort") == "CLN-1"
    assert pick(None, "pro") is None
    assert pick("LNS-1", "varifocal comfort, not the pro, price?") == "LNS-1"  # denied
    assert pick("LNS-1", "gleitsicht ohne pro") == "LNS-1"
    assert pick("SV-15", "single vision 1.5 or the thin ones?") == "SV-15"  # another number


@pytest.fixture
def phone_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    return _with_products(
        tmp_path,
        writable_assistant,
        'PH-1,Lyra S5,Phones,Lyra,599,"6.1in phone, 4000 mAh battery, one day of use."\n'
        'PH-2,Lyra S5 Pro,Phones,Lyra,899,"6.4in phone, 4800 mAh battery, telephoto."\n'
        'PH-3,Lyra S5 Pro Max,Phones,Lyra,1099,"6.8in phone, 5200 mAh battery."\n'
        'PH-9,Lyra Battery Replacement,Service,Lyra,69,"Genuine battery swap for Lyra phones."\n',
    )


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        # The sibling's word denied, in each language: the plain model.
        ("how long does the battery last on the lyra s5, not the pro?", "PH-1"),
        ("¿cuánto dura la batería del lyra s5, el que no es pro?", "PH-1"),
        ("lyra s5 pro değil, normal olanın ekranı kaç inç?", "PH-1"),
        ("το lyra s5 χωρίς το pro έχει τηλεφακό;", "PH-1"),
        ("wie lange hält der Akku vom Lyra S5 ohne Pro?", "PH-1"),
        # Typed and not denied: the Pro.
        ("how long does the lyra s5 pro battery last?", "PH-2"),
    ],
)
def test_a_sibling_s_word_denied_names_the_plain_model(
    phone_store: Assistant, text: str, sku: str
) -> None:
    reply = phone_store.answer(ANA, text, f"denied-{text[:20]}")

    assert reply.intent == Intent.product, text
    assert reply.skus[:1] == [sku], reply.text


@pytest.fixture
def garden_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    return _with_products(
        tmp_path,
        writable_assistant,
        'PR-1,Ratchet Pruner,Tools,Ostra,19,"Ratchet pruner for hard, dry wood."\n'
        'PR-2,Bypass Pruner,Tools,Ostra,24,"Bypass pruner for live stems and roses."\n'
        'PR-3,Bypass Pruner Deluxe,Tools,Ostra,46,"Deluxe bypass pruner with a swivel handle."\n'
        'BQ-1,Ember Kettle Grill 44 cm Red,Barbecues,Ember,119,"Charcoal kettle barbecue, red."\n'
        'BQ-2,Ember Kettle Grill 54 cm Red,Barbecues,Ember,169,"Charcoal kettle barbecue, red."\n'
        'BQ-3,Ember Kettle Grill 54 cm Grey,Barbecues,Ember,169,"Charcoal kettle barbecue, grey."\n'
        'BQ-4,Blaze 2 Gas Barbecue,Barbecues,Blaze,399,"Two-burner gas barbecue."\n',
    )


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        # Every model but one ruled out, their words more than the plain one's: that one.
        ("not the ratchet ones and not the posh deluxe ones, the other pruner: roses ok?", "PR-2"),
        ("a pruner, not the deluxe, is the blade replaceable?", "PR-2"),
        # A size no model named in full has: of those named less fully, the one that has it,
        # the colour ruled out in Turkish ("kırmızı olan değil": not the red one).
        ("kırmızı olan değil, gri mangal, 54lük, fiyatı ne?", "BQ-3"),
        ("la barbacoa de 44, ¿cuánto cuesta?", "BQ-1"),
    ],
)
def test_models_ruled_out_or_a_size_typed_name_the_one_left(
    garden_store: Assistant, text: str, sku: str
) -> None:
    reply = garden_store.answer(ANA, text, f"left-{text[:20]}")

    assert reply.intent == Intent.product, text
    assert reply.skus[:1] == [sku], reply.text
