"""Names inside whole messages on the demo store: a new phone number in a note is the note's
content, a titled surname is whole before a capitalised German noun."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from bot.core.assistant import Assistant
from bot.core.mentions import refers_back
from bot.core.types import Caller, Intent
from storage.models import Note

ANA = Caller(name="Ana", role="associate", store="S01")
HIROSHI = "C0154"


@pytest.mark.parametrize(
    "text",
    [
        "note for Hiroshi Tanaka: new mobile 0176 5550 1234, old one is gone",
        "nota: Hiroshi Tanaka tiene móvil nuevo 612 000 111",
    ],
)
def test_a_new_number_in_a_note_is_saved_for_the_customer_named(
    writable_assistant: Assistant, text: str
) -> None:
    reply = writable_assistant.answer(ANA, text, f"new-number-{text[:4]}")

    assert reply.intent == Intent.note
    assert reply.customer_id == HIROSHI
    with Session(writable_assistant.engine) as db:
        saved = db.exec(
            select(Note.text).where(Note.customer_id == HIROSHI).order_by(col(Note.id).desc())
        ).first()
    assert saved is not None
    assert saved.endswith(text.split("Tanaka", 1)[1].lstrip(": "))


def test_a_number_nobody_has_with_no_name_is_still_not_found(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "who is 0176 5550 1234?", "number-nobody")

    assert reply.intent == Intent.not_found
    assert reply.customer_id is None
    assert "0176 5550 1234" in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "Was passt zu Herrn Tanakas Badsanierung?",
        "Herr Tanaka Kaffeemühle, was zeige ich ihm?",
    ],
)
def test_a_titled_surname_is_whole_before_a_capitalised_noun(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"titled-{text[:9]}")

    assert reply.customer_id == HIROSHI
    assert reply.intent not in (Intent.not_found, Intent.clarify)


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("Ο κ. Ιωάννου ρωτάει αν η κανάτα πλένεται", False),  # "ο": the Greek article
        ("η κυρία ρωτάει για το φίλτρο", False),
        ("τι αγόρασε αυτή την τελευταία φορά;", True),
        ("o ne zaman geldi?", True),  # Turkish "o": she, he
        ("what did she buy?", True),
    ],
)
def test_a_greek_article_is_no_pronoun_of_another_language(text: str, back: bool) -> None:
    assert refers_back(text) is back


@pytest.mark.parametrize(
    "text",
    [
        "Kaffeemühle Edelstahl, wie laut ist die?",
        "Wasserkocher Glas, wie viel Liter?",
        "Hülle fürs Handy, haben wir sowas?",
    ],
)
def test_capitalised_product_words_typed_together_are_no_name_nobody_has(
    assistant: Assistant, text: str
) -> None:
    # German capitalises nouns: a kind of product next to another noun is no first and last
    # name, and the question is no "who is that?".
    reply = assistant.answer(ANA, text, f"nouns-{text[:9]}")

    assert reply.intent not in (Intent.not_found, Intent.need_customer), text


def test_sizes_of_a_kind_of_product_asked_of_nobody_are_a_product_question(
    assistant: Assistant,
) -> None:
    reply = assistant.answer(ANA, "Handtuch Baumwolle, welche Größen?", "kind-sizes")

    assert reply.intent == Intent.product


@pytest.mark.parametrize(
    "text",
    [
        "Wer ist Herr Zimmermann?",
        "Frau Brandtner war heute da",
        "¿quién es la Sra. Zubizarreta?",
        "who is Mrs Pemberton?",
    ],
)
def test_a_titled_name_nobody_has_is_not_found(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"titled-nobody-{text[:10]}")

    assert reply.intent == Intent.not_found, text
    assert reply.customer_id is None


@pytest.mark.parametrize(
    "text",
    [
        # German says a colour or a size as a capitalised noun after a preposition: Jürgen Weiß
        # is no colour.
        "haben wir die Chemex auch in Weiß?",
        "gibt es den KeepCup Becher auch in Weiß oder nur in Schwarz?",
        # Turkish "ana" is "main" (Ana Sánchez is a customer): the main shop, the main stock.
        "ana mağazada Chemex var mı?",
        "ana mağazadaki KeepCup kaç para?",
    ],
)
def test_an_ordinary_word_that_is_a_name_names_nobody_in_a_product_question(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"ordinary-{text}")

    assert reply.intent == Intent.product, text
    assert reply.customer_id is None, text


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("was hat Weiß zuletzt gekauft?", "C0137"),
        ("was hat Herr Weiß in Weiß gekauft?", "C0137"),
        ("ana ne aldı?", "C0054"),
        ("Ana'nın bedenleri?", "C0054"),
        ("¿qué compró Ana Sánchez la última vez?", "C0054"),
    ],
)
def test_the_same_words_asked_about_as_a_person_still_name_her(
    assistant: Assistant, text: str, customer: str
) -> None:
    reply = assistant.answer(ANA, text, f"person-{text}")

    assert reply.customer_id == customer, text


@pytest.mark.parametrize(
    "text",
    [
        # A first name that is an ordinary word (Turkish "ana": main), opening the message
        # and telling what she asks: the customer, with the product she asks about.
        "Ana pregunta si la Chemex se puede meter en el lavavajillas",
        "Ana, Chemex bulaşık makinesinde yıkanır mı diye soruyor",
        "Ana möchte wissen, ob der KeepCup spülmaschinenfest ist",
    ],
)
def test_an_ordinary_word_name_telling_what_she_asks_is_the_customer(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"telling-{text}")

    assert reply.intent == Intent.product, text
    assert reply.customer_id == "C0054", text


@pytest.mark.parametrize(
    "text",
    [
        "can is doing his first marathon in the spring, what should i show him",
        "can is training for a triathlon, got ideas for him?",
    ],
)
def test_an_ordinary_word_name_typed_lower_case_before_is_and_referred_back_to_is_him(
    assistant: Assistant, text: str
) -> None:
    """Can Arslan, typed "can" before "is", the message then speaking of him."""
    reply = assistant.answer(ANA, text, f"lower-{text}")

    assert (reply.intent, reply.customer_id) == (Intent.recommend, "C0150"), reply.text


@pytest.mark.parametrize(
    "text",
    [
        "can i show her the Chemex?",
        "can is it washed at 40 for her?",
        "can is dented, she wants to swap it, what do i tell her?",
    ],
)
def test_an_ordinary_word_before_is_it_or_a_pronoun_is_the_word(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"word-{text}")

    assert reply.customer_id is None, reply.text
