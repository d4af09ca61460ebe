"""Product words in the associate's language read against an English catalogue."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant, Caller
from bot.core.product_words import english_terms, glossary_language, with_english
from bot.core.types import Intent

ANA = Caller(name="Ana", role="associate", store="S01")


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        # Turkish suffixes and German compounds match from the start of the typed word.
        ("döküm tavayı nasıl temizlerim?", ["cast-iron pan", "clean"]),
        ("Der Kunde fragt nach einem Daunenschlafsack", ["down sleeping bag"]),
        ("πώς πλένεται ο πουπουλένιος υπνόσακος;", ["wash", "down sleeping bag"]),
        ("¿tienes sacos de dormir?", ["sleeping bag"]),
        # Kinds of one family told apart: the infant carrier, the booster, the bedside crib.
        ("die Babyschale passt auf welches Gestell?", ["infant carrier"]),
        ("el elevador vale para un niño de 4 años?", ["booster seat", "kids"]),
        ("anne yanı beşiği kaç aya kadar kullanılır", ["bedside crib"]),
        ("βάλσαμο για δερμάτινα παπούτσια", ["balm", "leather", "shoes"]),
        ("Entkalkertabs für die Maschine?", ["descaling tablets"]),
        # Garden kinds and features (German compounds from the word's start).
        ("Rasensamen für schattige Ecken?", ["lawn seed", "shade"]),
        (
            "la barbacoa de gas, ¿es autopropulsada? no, digo el cortacésped",
            ["gas barbecue", "self-propelled", "lawn mower"],
        ),
        ("sırlı saksı dona dayanıklı mı", ["glazed", "plant pot", "frost-resistant"]),
        ("λίπασμα για γκαζόν χωρίς τύρφη", ["lawn feed", "peat-free"]),
        # English, and words that only begin like a product word, add nothing.
        ("what goes well with the Chemex?", []),
        ("Ayşe bugün geldi mi?", []),
    ],
)
def test_product_words_are_read_in_four_languages(text: str, terms: list[str]) -> None:
    assert english_terms(text) == terms


def test_the_english_is_added_for_embedding_and_nothing_when_none() -> None:
    assert with_english("¿tienes sacos de dormir?") == "¿tienes sacos de dormir? (sleeping bag)"
    assert with_english("who is María?") == "who is María?"
    assert with_english("a garden hose for Ben", "en") == "a garden hose for Ben"


@pytest.mark.parametrize(
    "question",
    [
        "döküm tavayı nasıl temizlerim?",
        "¿cómo cuido la sartén de hierro fundido?",
        "Wie pflege ich die Gusseisenpfanne?",
        "πώς καθαρίζω το μαντέμι τηγάνι;",
    ],
)
def test_a_product_described_in_the_associates_language_is_found_in_an_english_catalogue(
    assistant: Assistant, question: str
) -> None:
    reply = assistant.answer(ANA, question, f"t-words-{question[:8]}")

    assert reply.intent == Intent.product
    assert reply.skus[:1] == ["KIT-001"]  # Lodge Cast Iron Skillet 26 cm


@pytest.mark.parametrize(
    ("question", "sku"),
    [
        # The English of the words names the product: "bathrobe" is in "Cotton Waffle Bathrobe".
        ("¿el albornoz de algodón se puede meter en la secadora?", "BAT-012"),
        ("bornozu kurutma makinesine atabilir mi?", "BAT-012"),
        ("ο βραστήρας κάνει θόρυβο όταν βράζει;", "COF-009"),
        ("Ist der Bettbezug aus Leinen bügelfrei?", "HOM-001"),
        # A care word names no product: the beanie, not "The Laundress Delicate Wash".
        ("Wird die Kaschmirmütze beim Waschen kleiner?", "APP-007"),
    ],
)
def test_a_product_whose_name_holds_the_english_of_the_words_is_the_one_meant(
    assistant: Assistant, question: str, sku: str
) -> None:
    reply = assistant.answer(ANA, question, f"t-named-{question[:10]}")

    assert reply.intent == Intent.product
    assert reply.skus[:1] == [sku]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        # Short Turkish nouns with their case and plural endings, and k softened to ğ.
        ("alpaka bereyi kime önerirsin", ["alpaca", "beanie"]),
        ("bu eteği nasıl ütülerim", ["skirt"]),
        ("vazoda su kalmış", ["vase"]),
        ("eteklerin boyu kısa", ["skirt"]),
        # …but not a word that merely starts like one: "mesele" (an issue) is no "meşe" (oak).
        ("bu meseleler bitmedi", []),
    ],
)
def test_short_turkish_product_words_are_read_with_their_endings(
    text: str, terms: list[str]
) -> None:
    assert english_terms(text) == terms


@pytest.mark.parametrize(
    "question",
    [
        "müşteri bornozu aldı, ona taksi çağırabilir misin?",
        "ο κύριος που πήρε το μπουρνούζι ρωτάει πού είναι η στάση του λεωφορείου",
    ],
)
def test_an_off_topic_message_mentioning_a_product_in_passing_stays_off_topic(
    assistant: Assistant, question: str
) -> None:
    reply = assistant.answer(ANA, question, f"t-passing-{question[:8]}")

    assert reply.intent == Intent.unknown
    assert not reply.skus
    assert not reply.tip_ids


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        (["Duftkerze", "Brenndauer"], "de"),  # a German compound by its last part
        (["Bratpfanne", "Induktion"], "de"),
        (["çelik", "tencere"], "tr"),
        (["Blazer"], None),  # as common in English: tells nothing
        (["Hiroshi", "Tanaka"], None),
    ],
)
def test_a_short_message_of_product_words_is_in_their_language(
    typed: list[str], language: str | None
) -> None:
    assert glossary_language(typed, {"en", "es", "tr", "el", "de"}) == language


def test_a_short_question_of_product_words_is_answered_in_their_language(
    assistant: Assistant,
) -> None:
    ana = Caller(name="Ana", role="associate", store="S01")

    reply = assistant.answer(ana, "Bratpfanne Induktion?", "short-de")

    assert reply.language == "de"
