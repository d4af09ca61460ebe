"""What a message asks beyond its intent: ideas for a shopper nobody named, a measure of the
customer's own sizes, what colleagues said or promised about her."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.assistant import Assistant
from bot.core.rules import asks_what_was_said, says_a_wish
from bot.core.shopping_asks import asks_her_birthday, asks_her_sizes, refocused, size_labels
from bot.core.types import Caller, Intent
from bot.core.understanding import Understood
from bot.core.wishes import describes_a_wish
from storage.models import Customer

ANA = Caller(name="Ana", role="associate", store="S01")
TODAY = date(2026, 11, 22)


# --- a shopper's wish ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "a customer is renovating her bathroom, under 100 euros, what can I show her?",
        "una clienta está reformando el cuarto de aseo, hasta 100 €, ¿qué le enseño?",
        "Kundin renoviert gerade ihr Badezimmer, höchstens 100 Euro, was zeig ich ihr?",
    ],
)
def test_a_shopper_nobody_named_gets_a_few_ideas_that_fit_and_the_budget(
    assistant: Assistant, question: str
) -> None:
    reply = assistant.answer(ANA, question, f"t-wish-{question[:6]}")

    assert reply.intent == Intent.recommend
    assert reply.customer_id is None  # nobody named: nobody's data
    assert 1 <= len(reply.skus) <= 3
    assert reply.skus[0].startswith("BAT-")  # the nearest in meaning is for the bathroom
    prices = [line.split(" · ")[1].split(" — ")[0] for line in reply.text.splitlines()[1:]]
    assert all(float(p.strip("€ ").replace(",", ".")) <= 100 for p in prices)


@pytest.mark.parametrize(
    ("question", "fits"),
    [
        ("Kostas Karagiannis is after a good chef's knife, what should I show him?", "KIT-"),
        ("Serkan Demir anda buscando una tetera eléctrica, ¿qué le saco?", "COF-009"),
        ("η Amélie Dubois ψάχνει μαχαίρι κουζίνας, τι να της δείξω;", "KIT-"),
        ("Giuseppe Bianchi braucht Laufschuhe, was kann ich ihm zeigen?", "FTW-"),
    ],
)
def test_what_a_named_customer_is_looking_for_comes_before_her_next_basket(
    assistant: Assistant, question: str, fits: str
) -> None:
    """A wish said plainly ("is after a chef's knife") with ideas asked: what fits it first,
    then her next basket; a wish read on its own words, not on her name or the request."""
    reply = assistant.answer(ANA, question, f"t-wish-named-{question[:12]}")

    assert reply.intent == Intent.recommend
    assert reply.customer_id is not None
    assert reply.skus[0].startswith(fits), reply.text
    assert len(reply.skus) > 3  # her next basket follows


@pytest.mark.parametrize(
    ("question", "fits", "not_shown"),
    [
        (
            "Kostas Karagiannis wants a sharpener for his Global knife, ideas?",
            "KIT-007",
            "KIT-005",
        ),
        ("Serkan Demir busca filtros para su Chemex, ¿qué le enseño?", "COF-007", "COF-006"),
        # Ruled out: no idea either.
        (
            "Kostas Karagiannis wants running shoes but not the Hoka Clifton 9, ideas?",
            "FTW-",
            "FTW-004",
        ),
        # Ruled out before the wish: a wish denied is none ("didn't want", "no quiere", German
        # "mochte … nicht"), and a name with a Turkish case ending ("Hoka'yı") is still named.
        (
            "Owen Bennett didn't want the Hoka, he's after other running shoes, ideas?",
            "FTW-",
            "FTW-004",
        ),
        (
            "Paula Ruiz no quiere el Hoka, busca otras zapatillas para correr, ¿qué le enseño?",
            "FTW-",
            "FTW-004",
        ),
        (
            "Owen Bennett mochte den Hoka nicht, er sucht andere Laufschuhe, was zeig ich ihm?",
            "FTW-",
            "FTW-004",
        ),
        (
            "Serkan Demir Hoka’yı beğenmedi, başka koşu ayakkabısı arıyor, ne göstereyim?",
            "FTW-",
            "FTW-004",
        ),
    ],
)
def test_a_product_a_wish_is_for_is_not_offered_as_the_wish(
    assistant: Assistant, question: str, fits: str, not_shown: str
) -> None:
    """ "A sharpener for his Global knife": the sharpener, read without the knife's words; the
    knife he has is no idea for him."""
    reply = assistant.answer(ANA, question, f"t-wish-for-{question[:12]}")

    assert reply.skus[0].startswith(fits), reply.text
    assert not_shown not in reply.skus[:3]


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("what should I show her?", "Who is the customer?"),
        ("she's at the till, anything else I could show her?", "Who is the customer?"),
        ("eine Kundin steht an der Kasse, was kann ich ihr noch zeigen?", "Um wen geht es?"),
        ("la clienta está en caja, ¿qué más le puedo enseñar?", "¿De quién se trata?"),
        ("müşteri kasada, ona başka ne gösterebilirim?", "Müşteri kim?"),
    ],
)
def test_asking_what_to_show_with_nobody_named_asks_who_and_offers_what_sells(
    assistant: Assistant, question: str, who: str
) -> None:
    """Nobody named, discussed or described: who she is gives ideas from her purchases, and
    meanwhile the store's best sellers lately, not an overview of anybody, nor the help."""
    reply = assistant.answer(ANA, question, f"t-wish-none-{question[:12]}")

    assert reply.intent == Intent.recommend
    assert reply.customer_id is None
    assert reply.text.startswith(who)
    assert 1 <= len(reply.skus) <= 3
    assert all(sku in reply.text for sku in reply.skus)


def test_asking_how_to_get_ideas_for_a_customer_is_still_help(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "wie kann ich mir Ideen für eine Kundin zeigen lassen?", "t-how")

    assert reply.intent == Intent.help
    assert not reply.skus


@pytest.mark.parametrize(
    ("text", "describes"),
    [
        ("customer wants something light for the office, what do I show her?", True),
        ("müşteri hafif bir şey istiyor, ne göstereyim", True),
        ("what should I show her?", False),
        ("Kundin sucht was, was zeig ich ihr?", False),  # someone looking, nothing described
        ("una clienta quiere, ¿qué le propongo?", False),
    ],
)
def test_a_wish_is_described_by_more_than_someone_looking(text: str, describes: bool) -> None:
    assert describes_a_wish(text) is describes


# --- her own sizes --------------------------------------------------------------------------------


def test_the_labels_of_a_sizes_field_are_the_words_naming_each_measure() -> None:
    assert size_labels("frame 51-19-140; PD 61; CL BC 8.6 DIA 14.2") == {
        "frame", "pd", "cl", "bc", "dia"
    }  # fmt: skip
    assert size_labels("ring: 54, wrist 17 cm") == {"ring", "wrist"}
    assert size_labels("foundation: Second Skin 3W") == {"foundation", "skin"}
    assert size_labels(None) == set()


@pytest.mark.parametrize(
    ("text", "intent", "asks"),
    [
        ("ring of Ms X?", Intent.overview, True),
        ("η περιφέρεια καρπού της Χ;", Intent.overview, False),  # no label of hers named
        ("what ring size does X wear?", Intent.product, True),
        ("does X like the gold ring?", Intent.product, False),  # a label that names a product
    ],
)
def test_a_label_of_her_sizes_asks_them(text: str, intent: Intent, asks: bool) -> None:
    assert asks_her_sizes("ring: 54; wrist 17 cm", text, intent) is asks


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        # A space at home measured for an appliance: how wide, how much room, what fits
        ("X's washer space - how wide again?", True),
        ("¿cuánto hueco tiene X para la lavadora?", True),
        ("X'in çamaşır makinesi yerinin genişliği ne kadardı?", True),
        ("τι πλάτος πλυντήριο χωράει στης Χ;", True),
        ("wie breit ist die Nische für die Waschmaschine bei Frau X?", True),
        ("is the bosch washer quiet?", False),  # the label names a product, nothing measured
    ],
)
def test_a_measured_space_of_hers_asks_her_sizes(text: str, asks: bool) -> None:
    sizes = (
        "washer_niche=60cm;çamaşır_makinesi=60cm;lavadora=60cm;πλυντήριο=60cm;Waschmaschine=60cm"
    )
    assert asks_her_sizes(sizes, text, Intent.product) is asks


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # A label of hers that also names products, read as her purchases: her sizes when
        # asked what she wears, and nothing of a purchase.
        ("whats Eva's foundation shade? she forgot", Intent.sizes),
        ("¿qué tono de foundation usa Eva?", Intent.sizes),
        ("which foundation did Eva buy last time?", Intent.history),
        ("what lipstick shade did Eva order in May?", Intent.history),
    ],
)
def test_a_label_of_her_sizes_read_as_her_purchases_asks_them_unless_she_bought(
    text: str, intent: Intent
) -> None:
    eva = Customer(customer_id="C1", first_name="Eva", sizes="foundation=220 Warm Beige")

    assert refocused(Understood(intent=Intent.history, customer=eva), text, TODAY).intent == intent


# --- what colleagues said ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("masked", "asks"),
    [
        ("anything we should keep in mind about X before the fitting?", True),
        ("¿qué le prometieron a la Sra. X?", True),
        ("X Hanım'a bir şey için söz verilmiş mi", True),
        ("σχόλια για τον κ. X;", True),
        ("wurde Herrn X etwas versprochen?", True),
        # What she wanted, not what she bought.
        ("was wollte Frau X letzte Woche bestellen?", True),
        ("¿qué quería la Sra. X el otro día?", True),
        ("τι ήθελε η X την τελευταία φορά;", True),
        # What a colleague wrote about her.
        ("X is back in, what did Priya write about her last visit?", True),
        ("¿qué escribió Marta sobre X la otra vez?", True),
        ("X Hanım geldi, Selin en son ne yazmıştı?", True),
        ("τι έγραψε ο Πέτρος για τον X;", True),
        ("was hat Jonas über Frau X geschrieben?", True),
        # Anything important, typed as on a phone.
        ("anything i shd know about X? shes coming in at 3", True),
        ("whats the story with X's order", True),
        ("X is here, anything important?", True),
        ("la X tiene algo apuntado de la limpieza?", True),
        ("X está aquí, q pusimos de ella la ultima vez", True),
        ("que pusimos de los pies de X", True),
        # What she told us or wanted, not what she bought.
        ("remind me what X told us on her last visit", True),
        ("what was X looking for last time?", True),
        ("what did X want last time?", True),
        ("¿qué nos contó X la última vez?", True),
        ("X geçen sefer ne anlatmıştı?", True),
        ("Was hat Frau X letztes Mal erzählt?", True),
        ("did you tell me what X bought?", False),
        ("what can you tell me about X?", False),
        ("X geldi, önemli bir şey var mı?", True),
        ("η X ήρθε, κάτι σημαντικό;", True),
        ("X kommt gleich, irgendwas wichtiges?", True),
        ("was hat Frau X letzte Woche bestellt?", False),
        ("what did X buy last time?", False),
        ("is there anything important to know about the X filters' size?", False),
        ("what did we order for X?", False),
        ("¿cuánto gastó X este año?", False),
    ],
)
def test_what_was_said_or_promised_about_her_is_asked(masked: str, asks: bool) -> None:
    assert asks_what_was_said(masked) is asks


@pytest.mark.parametrize(
    "text",
    [
        "are any preferences noted for Hiroshi Tanaka?",
        "¿Hiroshi Tanaka tiene preferencias apuntadas?",
        "Hiroshi Tanaka'nın kayıtlı tercihleri neler?",
        "έχει καταγεγραμμένες προτιμήσεις ο Hiroshi Tanaka;",
        "sind bei Hiroshi Tanaka Vorlieben hinterlegt?",
    ],
)
def test_preferences_noted_of_her_read_her_notes_with_her_preferences(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"t-known-{text}")

    assert reply.intent == Intent.notes, text
    assert "prefers Japanese knives" in reply.text  # her profile's preferences
    assert "Sam Okoro" in reply.text  # and the notes staff wrote


def test_what_was_promised_to_a_customer_reads_her_notes(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "was María López promised anything?", "t-promised")

    assert reply.intent == Intent.notes
    assert reply.customer_id is not None


# --- what goes with it, for a shopper --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("what goes with the AeroPress María López bought?", True),
        ("cliente se lleva la AeroPress, ¿qué le añado?", False),
        ("müşteri Chemex alıyor, yanında ne satayım", False),
        ("Kunde nimmt den Chemex, was braucht er noch dazu?", False),
        ("πελάτης παίρνει το Chemex, τι πάει μαζί;", False),
    ],
)
def test_what_goes_with_a_product_for_a_shopper_is_ideas_for_her(
    assistant: Assistant, text: str, customer: bool
) -> None:
    reply = assistant.answer(ANA, text, f"t-goes-{text[:8]}")

    assert reply.intent == Intent.recommend
    assert reply.skus
    assert (reply.customer_id is not None) is customer


def test_what_goes_with_a_product_asked_of_nobody_stays_about_the_product(
    assistant: Assistant,
) -> None:
    reply = assistant.answer(ANA, "what goes with the AeroPress?", "t-goes-nobody")

    assert reply.intent == Intent.product
    assert reply.skus


# --- her birthday ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("wann hat María López Geburtstag", Intent.overview),
        ("cumple de María López?", Intent.overview),
        ("María López'in doğum günü ne zaman", Intent.overview),
        ("what did María López buy for her birthday?", Intent.history),  # her purchases
    ],
)
def test_her_birthday_asked_is_her_profile(
    assistant: Assistant, text: str, intent: Intent
) -> None:
    reply = assistant.answer(ANA, text, f"t-bday-{text[:8]}")

    assert reply.intent == intent
    assert reply.customer_id is not None


@pytest.mark.parametrize(
    "text",
    [
        "wann hat Ana Geburtstag?",
        "what did she buy for her birthday?",
        "birthday present for Ana?",
    ],
)
def test_a_birthday_asked_is_told_from_purchases_and_gifts(text: str) -> None:
    assert asks_her_birthday(text) is (text == "wann hat Ana Geburtstag?")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("gift for Eva Lang", Intent.recommend),
        ("un regalo para Eva Lang?", Intent.recommend),
        ("what gift did Eva Lang buy?", Intent.history),  # her purchases asked
    ],
)
def test_a_gift_for_her_read_as_her_purchases_asks_ideas(text: str, intent: Intent) -> None:
    eva = Customer(customer_id="C1", first_name="Eva", last_name="Lang")

    assert refocused(Understood(intent=Intent.history, customer=eva), text, TODAY).intent == intent


@pytest.mark.parametrize(
    ("masked", "said"),
    [
        ("X doesn't want boots, she needs a rain jacket, ideas?", "a rain jacket, ideas?"),
        (
            "X no quiere botas, busca una chaqueta, ¿qué le enseño?",
            "una chaqueta, ¿que le enseno?",
        ),
        ("X will keine Stiefel, sie braucht eine Jacke", "eine jacke"),
        ("X δεν θέλει μπότες", None),
        # A negation in another clause, or after the wish in English, denies nothing.
        (
            "X was not happy with the boots, she wants a jacket, not too pricey",
            "a jacket, not too pricey",
        ),
        ("X mochte die Stiefel nicht, sie sucht eine Jacke", "eine jacke"),
        # Nor a negation inside what she wants, nor an interjection "no".
        ("X braucht eine Jacke, die nicht so teuer ist", "eine jacke, die nicht so teuer ist"),
        ("no he wants the hoka, what else?", "the hoka, what else?"),
    ],
)
def test_a_wish_denied_is_skipped_for_the_wish_said_after_it(
    masked: str, said: str | None
) -> None:
    assert says_a_wish(masked) == said


@pytest.mark.parametrize(
    "text",
    ["got anything on Paula Ruiz? she's here", "haben wir was zu Anja Krüger?"],
)
def test_anything_on_a_named_customer_asks_her_notes(assistant: Assistant, text: str) -> None:
    """The cue is read with her name masked, however many words the name has."""
    reply = assistant.answer(ANA, text, f"t-anything-on-{text[:12]}")

    assert reply.intent == Intent.notes, reply.text
    assert reply.customer_id is not None


def test_a_note_put_in_her_notes_is_saved_for_her(writable_assistant: Assistant) -> None:
    reply = writable_assistant.answer(
        ANA, "pon en notas de Paula Ruiz: mejor por whatsapp que por email", "t-pon-notas"
    )

    assert reply.intent == Intent.note, reply.text
    assert reply.customer_id == "C0016"
