"""Looking a customer up gone wrong, told with the name typed ("it keeps giving me the wrong
Maria", "pongo pereira y nada"): how to find a customer, in the associate's language, with a
button for each customer the name fits, and no customer's data until one is picked."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.core.assistant import Assistant
from bot.core.help_asks import reports_lookup_trouble
from bot.core.types import Caller, Intent
from storage.models import Customer, Note

ANA = Caller(name="Ana", role="manager", store="S01")


def _ids(assistant: Assistant, surname: str) -> set[str]:
    with Session(assistant.engine) as db:
        rows = db.exec(select(Customer).where(Customer.last_name == surname)).all()
    return {c.customer_id for c in rows}


@pytest.mark.parametrize(
    ("text", "surname", "how"),
    [
        (
            "ugh it always brings up the wrong pereira, how do i choose the right one",
            "Pereira",
            "To find a customer",
        ),
        ("escribo Pereira y nada, no sale ninguno", "Pereira", "Para encontrar a un cliente"),
        ("Karagiannis yazdım yine yok, bulamıyo", "Karagiannis", "Bir müşteriyi bulmak"),
        ("γράφω Ντεμίρ και μου βγάζει άλλον", "Demir", "Για να βρεις"),
        ("bei Bianchi zeigt er mir ständig die falsche Kundin", "Bianchi", "Um einen Kunden"),
        # However the rest of the message reads (here: like a product question), and a
        # German "the wrong one comes".
        (
            "it keeps pulling up the wrong pereira. how am i meant to pick the right one??",
            "Pereira",
            "To find a customer",
        ),
        ("wenn ich Bianchi eingebe kommt immer die falsche, nervt", "Bianchi", "Um einen Kunden"),
        # The wrong one "again", told to it in the second person.
        ("it found the wrong pereira again, third time this week", "Pereira", "To find a"),
        (
            "bei Karagiannis hast du mir schon wieder den falschen gezeigt",
            "Karagiannis",
            "Um einen",
        ),
        # Its own "not found" quoted, even when the name typed fits one customer.
        (
            "me sale «cliente no encontrado» al poner Karagiannis, ¿lo escribo mal?",
            "Karagiannis",
            "Para",
        ),
        ("Ana Sánchez yazınca bulunamadı çıkıyor", "Sánchez", "Bir müşteriyi bulmak"),
        # Several come up and which is which is not clear.
        (
            "it keeps mixing up the two pereiras, how do i choose the right one",
            "Pereira",
            "To find",
        ),
        ("pongo Karagiannis y me salen dos, no sé cuál es cuál", "Karagiannis", "Para encontrar"),
        ("2 tane pereira çıkıyor, hangisi hangisi bilmiyorum", "Pereira", "Bir müşteriyi bulmak"),
        ("μου βγάζει δύο Karagiannis, δεν ξέρω ποιος είναι ποιος", "Karagiannis", "Για να βρεις"),
        (
            "es gibt drei Pereira, wie sag ich dir, welchen ich meine?",
            "Pereira",
            "Um einen Kunden",
        ),
    ],
)
def test_a_name_the_lookup_got_wrong_gets_how_to_find_and_a_button_per_fit(
    assistant: Assistant, text: str, surname: str, how: str
) -> None:
    reply = assistant.answer(ANA, text, f"t-lookup-{text[:10]}")

    assert reply.intent == Intent.help, reply.text
    assert reply.text.startswith(how)
    assert reply.customer_id is None  # nobody's profile until one is picked
    assert _ids(assistant, surname) <= {o.value for o in reply.options}


def test_a_button_of_the_lookup_help_opens_that_customer(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "it keeps giving me the wrong pereira", "t-lookup-pick")
    picked = reply.options[0]

    answer = assistant.follow(ANA, picked, "t-lookup-pick")

    assert answer.intent == Intent.overview
    assert answer.customer_id == picked.value


@pytest.mark.parametrize(
    ("text", "reports"),
    [
        ("keeps showing me someone else when I type Tom", True),
        ("tecleo delacruz y no sale nada", True),
        ("Deniz yazınca başka biri çıkıyor", True),
        ("grafw maria kai mou vgazei 2", True),
        ("hab Vanderberg eingegeben und nichts", True),
        ("ρώτησα για μια πελάτισσα και μου έβγαλε άλλη", True),
        ("it keeps pulling up the wrong ruth, how do I get the one from leeds", True),
        ("me sale la carmen que no es, ¿cómo elijo la de Bilbao?", True),
        ("aynı isimde iki müşteri var, yanlış kişi çıktı", True),
        ("γράφω Ελένη και μου βγάζει την Ελενίδου, τι κάνω;", True),
        ("er findet immer den falschen Jonas, was nun?", True),
        # a customer's own trouble, or a product's, is no lookup gone wrong
        ("Maria can't find her receipt", False),
        ("la clienta dice que le sale otra talla en la web", False),
        ("wrong size again on the boots for Tom", False),
        ("Herr Weber sagt, die App zeigt ihm den falschen Preis", False),
        ("the till shows me the wrong price for the Chemex", False),
        ("γράφει λάθος τιμή και μου βγάζει άλλη απόδειξη", False),
    ],
)
def test_lookup_trouble_is_told_by_what_the_assistant_did(text: str, reports: bool) -> None:
    first = {"tecleo": "es", "Deniz": "tr", "grafw": "el", "γράφει": "el", "ρώτησα": "el"}
    first |= {"me": "es", "aynı": "tr", "γράφω": "el", "er": "de"}
    language = {**first, "hab": "de"}.get(
        text.split()[0], {"la": "es", "Herr": "de"}.get(text.split()[0], "en")
    )
    assert reports_lookup_trouble(text, language) is reports


def test_a_note_that_tells_of_a_wrong_size_is_still_saved(
    writable_assistant: Assistant,
) -> None:
    text = "apunta que a Serkan Demir siempre le sale otra talla en las botas"
    reply = writable_assistant.answer(ANA, text, "t-lookup-note")

    assert reply.intent == Intent.note
    with Session(writable_assistant.engine) as db:
        assert db.exec(select(Note).where(Note.customer_id == reply.customer_id)).all()
