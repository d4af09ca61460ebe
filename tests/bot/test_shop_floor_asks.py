"""How associates actually type on the shop floor: greetings with small talk, how-to questions,
notes saved with the command anywhere, deliveries and promises asked about, a customer's need,
gifts for shoppers nobody named, month lists, names beside asides and titles."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant
from bot.core.draft_requests import read_request
from bot.core.known_as import known_as
from bot.core.list_requests import asks_for_list
from bot.core.names import CustomerIndex, best_customers
from bot.core.rules import asks_to_save, is_greeting, is_help, wants_something
from bot.core.text import bounded, folded_words
from bot.core.types import Caller, Intent

ANA = Caller(name="Ana", role="associate", store="S01")


@pytest.mark.parametrize(
    ("text", "greets"),
    [
        ("evening all ☺️", True),  # an emoji with its style selector
        ("hi, this is Tom from the Leeds branch", True),
        ("mil gracias jefa, luego te escribo algo más", True),
        ("sağ ol hocam, bir sorum daha var", True),
        ("καλησπέρα, είμαι η Άννα από το κέντρο", True),
        ("super, vielen Dank! Bist du noch da?", True),
        ("brilliant, cheers", True),
        ("hi, this is Tom, what did Maria buy?", False),
        ("danke, was hat Frau Weiß gekauft?", False),
        ("hola soy Ana, ¿qué compró María García?", False),
        ("great", False),  # praise alone answers nothing
        ("hola otra pregunta cuanto vale", False),  # the question announced is asked
        ("merhaba bir şey daha moka kaç para", False),
        ("hallo, Jürgen hier", False),  # a name alone may be the customer's
        ("hi, it’s Sam from Riverside", True),  # the phone keyboard's apostrophe
    ],
)
def test_a_greeting_with_small_talk_is_still_a_greeting(text: str, greets: bool) -> None:
    assert is_greeting(bounded(text)[0]) is greets


@pytest.mark.parametrize(
    ("text", "helps"),
    [
        ("could I find a customer using their email?", True),
        ("¿se puede buscar a alguien por el móvil?", True),
        ("e-posta ile müşteri bulabilir miyim", True),
        ("μπορώ να ψάξω πελάτη με το email;", True),
        ("kann man Kunden per E-Mail suchen?", True),
        ("can I send you a screenshot?", True),
        ("müşteriye nasıl not eklenir?", True),
        ("do you do birthday lists?", True),
        ("telefon numarasıyla müşteri bulabilir misin?", True),
        ("how do I check the warranty on the kettle?", False),
        ("Ayşe'nin siparişini görebilir miyim", False),
        ("can I ask you about her sizes?", False),
        # Lists and products asked for in the words of a how-to are asked for.
        ("can you show me birthdays this week?", False),
        ("¿me sacas listado de cumpleaños de marzo?", False),
        ("can you check the Ghost 16 with the number 44?", False),
        ("telefon kılıfı bulabilir miyiz?", False),
        ("geht das hier auch in Größe M?", False),
        ("wie finde ich welche Filter zur Chemex passen", False),
        ("πώς βρίσκω ποια φίλτρα ταιριάζουν στο V60;", False),
        ("¿le puedo mandar fotos del sofá a María García?", False),  # photos for a customer
    ],
)
def test_how_to_use_the_assistant_is_help(text: str, helps: bool) -> None:
    assert is_help(text) is helps


@pytest.mark.parametrize(
    ("masked", "saves"),
    [
        ("le prometí a X un descuento, que quede registrado", True),
        ("X bey taşınıyor, yeni adresini aldım, yaz", True),
        ("trag bei X ein: zahlt nur bar", True),
        ("βάλε στον X: θέλει τιμολόγιο", True),
        ("υποσχέθηκα στον X έκπτωση, να μείνει σημειωμένο", True),
        ("keep it on his file: no calls before 10", True),
        ("añade a la ficha de X: prefiere WhatsApp", True),
        ("X'in bu yaz aldıkları", False),  # "bu yaz" is this summer
        ("X Hanım ne zaman geldi, geçen yaz", False),
        ("what's on X's file?", False),
        ("did someone log a complaint for X", False),  # asked, no question mark
        ("how do i log a complaint for X", False),
        ("X trägt meistens ein XL", False),  # "trägt" is wears
    ],
)
def test_a_command_to_save_a_note_is_found_as_typed(masked: str, saves: bool) -> None:
    assert asks_to_save(masked) is saves


@pytest.mark.parametrize(
    ("masked", "wants"),
    [
        ("X needs something to clean suede boots", True),
        ("X busca algo para el balcón", True),
        ("X θέλει κάτι για το μπαλκόνι", True),
        ("X sucht etwas für den Garten", True),
        ("X'e uygun ne var, balkonu küçük", True),
        ("X bought the kettle, how do I clean it?", False),
        ("what did X buy?", False),
        ("Frau X will eine Erstattung für die Pfanne", False),  # a refund, no wish
        ("X bought the moka pot, what would you recommend to clean it?", False),
    ],
)
def test_a_customer_wanting_something_for_a_need_is_told(masked: str, wants: bool) -> None:
    assert wants_something(masked) is wants


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("birthdays in March?", True),
        ("cumples de marzo", True),
        ("Mart'ta doğum günü olanlar", True),
        ("what did June buy in March?", False),
        ("γενέθλια τον Δεκέμβριο", True),  # a Greek month in the accusative
        ("doğum günleri Aralık'ta", True),  # a Turkish month with its ending
    ],
)
def test_a_month_named_is_the_window_of_a_list(text: str, listed: bool) -> None:
    assert asks_for_list(text) is listed


def test_a_second_name_in_brackets_is_a_name_she_goes_by() -> None:
    assert known_as("goes by Babis (Μπάμπης); wall TV") == ("Babis", "Μπάμπης")
    assert known_as("goes by Pat (short for Patricia)") == ("Pat",)
    assert known_as("goes by Kate (Katherine)") == ("Kate", "Katherine")
    assert known_as("call her Maria (Spanish)") == ("Maria",)  # a note about her, no name


def test_a_title_before_a_surname_with_particles_makes_it_a_name() -> None:
    # "Heide" is also a word (heath): after "Frau" it is her name, particles between.
    index = CustomerIndex.build([("VH", "Anna-Lena", "von der Heide"), ("HB", "Hans", "Brandt")])

    def found(text: str) -> list[tuple[str, bool]]:
        matches = best_customers(index.match(folded_words(text)))
        return [(m.customer_id, m.common_word) for m in matches]

    assert found("hat sich frau von der heide schon mal beschwert?") == [("VH", False)]
    assert found("hat sich von der heide schon mal beschwert?") == [("VH", True)]


@pytest.mark.parametrize(
    "text",
    [
        "schreib rein, dass Herr Weiß lieber vormittags kommt",
        "γράψε στο προφίλ του Νίκου ότι θέλει PS5",
    ],
)
def test_writing_into_a_customer_file_is_no_message_to_draft(text: str) -> None:
    assert read_request(text) is None


def test_a_message_whose_words_say_in_passing_has_come_in_is_still_drafted() -> None:
    assert read_request("Schreib Jürgen Weiß eine Nachricht, die Mühle ist rein") is not None


@pytest.mark.parametrize(
    ("text", "first_name"),
    [
        ("when is Hiroshi Tanaka's delivery?", "Hiroshi"),
        ("¿a qué hora es la cita de María García?", "María"),
        ("Çağla Yılmaz'ın montaj randevusu ne zaman?", "Çağla"),
        ("ισχύει ακόμα η προσφορά του Νίκου Παπαδόπουλου;", "Nikos"),
        ("hat Herr Weiß etwas reservieren lassen?", "Jürgen"),
        ("what's the latest with Hiroshi Tanaka?", "Hiroshi"),
        ("¿qué comentó María García del pedido?", "María"),
        ("Herr Weiß (Hausverwaltung) – gibt es Absprachen?", "Jürgen"),
    ],
)
def test_deliveries_appointments_and_promises_asked_about_are_her_notes(
    assistant: Assistant, text: str, first_name: str
) -> None:
    reply = assistant.answer(ANA, text, f"floor-notes-{text}")

    assert reply.intent == Intent.notes
    assert reply.customer_id is not None
    assert first_name in reply.text


def test_a_customer_who_wants_something_for_a_need_gets_ideas_for_her(
    assistant: Assistant,
) -> None:
    reply = assistant.answer(
        ANA, "Hiroshi Tanaka needs something for long rides in the rain, what do I suggest?", "w1"
    )

    assert reply.intent == Intent.recommend
    assert "Hiroshi Tanaka" in reply.text
    assert reply.skus


def test_a_gift_for_a_shopper_who_likes_something_is_gift_ideas(assistant: Assistant) -> None:
    reply = assistant.answer(
        ANA, "a gentleman wants a present for his wife, she likes citrus scents, around 80", "g1"
    )

    assert reply.intent == Intent.recommend  # ideas for a shopper
    assert reply.customer_id is None
    assert reply.skus


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Visits, due dates and how-tos about what she bought are no notes.
        ("when does Hiroshi Tanaka usually come in?", Intent.notes),
        ("Wann kommt Herr Weiß normalerweise?", Intent.notes),
        ("does the stand mixer Maria López bought need assembly?", Intent.notes),
        ("what's the latest thing Maria López bought?", Intent.notes),
        ("Maria Costa likes fruity notes, which coffee should I show her?", Intent.notes),
        ("Ο Νίκος Παπαδόπουλος θέλει κάτι παραδοσιακό", Intent.notes),
        ("Jürgen Weiß trägt meistens XL", Intent.note),
    ],
)
def test_words_near_the_notes_cues_ask_something_else(
    assistant: Assistant, text: str, intent: Intent
) -> None:
    reply = assistant.answer(ANA, text, f"floor-not-{text}")

    assert reply.intent != intent
    assert reply.customer_id is not None
