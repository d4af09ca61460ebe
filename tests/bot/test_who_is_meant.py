"""Who a message is about when the words could be read two ways: "is X a customer of ours?"
with a name nobody has, a lower-case surname next to a title, a name that is also a product
word, and the person a verb of calling is about (real assistant, demo store plus a few
customers and products of its own)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.core.assistant import Assistant
from bot.core.types import Caller, Intent
from storage.importers import import_csv
from storage.models import FollowUp

ANA = Caller(name="Ana", role="associate", store=None)

CUSTOMERS = (
    "customer_id,first_name,last_name,email,phone,birthday,tier,language,sizes,preferences,"
    "marketing_consent,home_store\n"
    "W001,Olive,Barrow,,,,,en,,,false,\n"
    "W002,Jade,Okafor,,,,,en,,,false,\n"
    "W003,Marit,Quellhorst,,,,,de,,,false,\n"
    "W004,Ines,Vardaki,,,,,el,,,false,\n"
    "W005,Lena,Kocher,,,,,de,,,false,\n"
    "W006,May,Thornbury,,,,,en,,,false,\n"
)
PRODUCTS = (
    "sku,name,category,brand,price,description\n"
    'OIL-01,Arbequina olive oil 500 ml,Pantry,Finca,14,"Mild extra virgin olive oil."\n'
    'JADE-01,Jade roller,Beauty,Lumi,22,"Facial roller in green jade stone."\n'
    'JADE-02,Jade gua sha,Beauty,Lumi,18,"Gua sha stone in green jade."\n'
)


@pytest.fixture
def store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    for kind, rows in (("customers", CUSTOMERS), ("products", PRODUCTS)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(rows, encoding="utf-8")
        import_csv(writable_assistant.engine, kind, path)
    writable_assistant.refresh()
    return writable_assistant


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("is Tobias Renwick a customer of ours?", "Renwick"),
        ("¿la señora Valbuena es clienta nuestra?", "Valbuena"),
        ("kennen wir einen herrn zimmerhackl?", "zimmerhackl"),
        ("Saffet bey diye bir müşteri var mı?", "Saffet"),
        ("ο κ. Ζαφειρόπουλος είναι πελάτης μας;", "Ζαφειρόπουλος"),
        # "a certain …", "one called …"
        ("¿tenemos a una tal Remedios Quiroga? dice que es clienta gold", "Quiroga"),
        ("do we have a customer called Wendell Ashby?", "Ashby"),
        ("haben wir einen gewissen Herrn Pfnürr?", "Pfnürr"),
        ("έχουμε κάποιον που τον λένε Σπυρίδωνα Καλλέργη;", "Καλλέργη"),
    ],
)
def test_asking_whether_someone_is_a_customer_says_when_nobody_is(
    assistant: Assistant, text: str, missing: str
) -> None:
    reply = assistant.answer(ANA, text, f"check-{text[:24]}")

    assert reply.intent == Intent.not_found, text
    assert missing in reply.text
    assert reply.customer_id is None
    assert not reply.skus


def test_asking_whether_a_known_name_is_a_customer_shows_her(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "is Ana Sánchez one of our customers?", "check-known")

    assert (reply.intent, reply.customer_id) == (Intent.overview, "C0054")


@pytest.mark.parametrize(
    "text",
    [
        "do we have anything for a lady with very dry skin?",
        "έχουμε κάτι για κάποια με ξηρό δέρμα;",
        "have we got something for a man who wants a strong coffee?",
    ],
)
def test_asking_for_something_for_a_shopper_is_no_customer_check(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"anything-{text[:20]}")

    assert reply.intent not in (Intent.not_found, Intent.need_customer), text
    assert reply.customer_id is None


@pytest.mark.parametrize(
    "text",
    [
        "the lady is a regular customer and wants the AeroPress, how do I clean it?",
        "η κυρία μιλάει αγγλικά, τι να της δείξω για καφέ;",
        "der Herr sucht eine Mühle, was kann ich ihm zeigen?",
    ],
)
def test_a_shopper_described_is_no_customer_asked_about(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"shopper-{text[:24]}")

    assert reply.intent not in (Intent.not_found, Intent.overview), text
    assert reply.customer_id is None


def test_a_product_word_in_a_product_question_is_no_customer(store: Assistant) -> None:
    # "olive" is Olive Barrow's first name and a word of the olive oil's name.
    reply = store.answer(ANA, "is the arbequina olive oil good for frying?", "olive-oil")

    assert reply.intent == Intent.product
    assert reply.customer_id is None
    assert reply.skus[:1] == ["OIL-01"]


@pytest.mark.parametrize(
    "text",
    [
        "remind me to call jade on friday about the roller",
        "recuérdame llamar a jade el viernes",
        "erinner mich, jade am freitag anzurufen",
    ],
)
def test_the_person_a_call_is_about_is_the_customer(store: Assistant, text: str) -> None:
    reply = store.answer(ANA, text, f"call-{text[:20]}")

    assert (reply.intent, reply.customer_id) == (Intent.task, "W002"), text
    with Session(store.engine) as db:
        assert db.exec(select(FollowUp).where(FollowUp.customer_id == "W002")).first()


@pytest.mark.parametrize(
    "text",
    [
        "do you know if the AeroPress comes with filters?",
        "is there a customer discount on the Chemex?",
        "ist die AeroPress schon im System?",
        "gibt es eine Kundin, die die Chemex gekauft hat?",
    ],
)
def test_a_product_question_after_a_customer_is_not_about_her(
    assistant: Assistant, text: str
) -> None:
    session = f"after-{text[:24]}"
    assistant.answer(ANA, "who is Ana Sánchez?", session)

    reply = assistant.answer(ANA, text, session)

    assert reply.intent != Intent.overview, text
    assert reply.customer_id is None, text


def test_a_first_and_last_name_of_two_customers_is_nobody(store: Assistant) -> None:
    # Marit is W003's first name, Vardaki W004's surname: no customer is Marit Vardaki.
    reply = store.answer(ANA, "who is marit vardaki? says she has a card with us", "split")

    assert reply.intent == Intent.not_found
    assert "marit vardaki" in reply.text.casefold()
    assert reply.customer_id is None


@pytest.mark.parametrize(
    "text",
    [
        "jade is at the till, what did she buy last time?",
        "jade está aquí, ¿qué compró la última vez?",
        "jade ist da, was hat sie zuletzt gekauft?",
        # A note about her naming a product, the product named by other words.
        "jade came in, wants the gua sha next time, pls note",
    ],
)
def test_a_name_said_to_be_in_the_shop_is_the_customer(store: Assistant, text: str) -> None:
    # "jade" is also a word of two product names.
    reply = store.answer(ANA, text, f"present-{text[:16]}")

    assert reply.customer_id == "W002", text


@pytest.mark.parametrize(
    "text",
    [
        "el chico quiere moler su propio café, ¿qué le enseño?",  # the demo's Freja Møller
        "sie sagt, ich koche nur Tee, was zeig ich ihr?",  # W005 Lena Kocher
    ],
)
def test_a_common_word_one_letter_from_a_surname_is_the_word(store: Assistant, text: str) -> None:
    """Lower case, no title, a word of the language: "moler" (to grind) is no Møller, "koche"
    (I cook) no Kocher, however near the spelling."""
    reply = store.answer(ANA, text, f"word-{text[:20]}")

    assert reply.customer_id is None


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("what did Moler buy?", "C0124"),  # capitalised: a name
        ("what did moler buy last time?", "C0124"),  # asked about a person: a name
        ("frau koche, welche größen?", "W005"),  # beside a title
    ],
)
def test_the_same_typo_typed_as_a_name_finds_her(
    store: Assistant, text: str, customer: str
) -> None:
    reply = store.answer(ANA, text, f"name-{text[:20]}")

    assert reply.customer_id == customer


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("did may ever buy the olive oil?", Intent.history),
        ("has may been in lately", Intent.overview),
    ],
)
def test_a_month_asked_about_with_did_or_has_is_the_customer(
    store: Assistant, text: str, intent: Intent
) -> None:
    reply = store.answer(ANA, text, f"month-{text}")
    assert reply.customer_id == "W006", reply.text
    assert reply.intent == intent


def test_a_month_called_is_the_customer_and_a_month_sold_in_is_none(store: Assistant) -> None:
    called = store.answer(ANA, "remind me to ring may on friday about the oil", "month-call")
    assert called.customer_id == "W006", called.text

    sold = store.answer(ANA, "what did we sell in may?", "month-sold")
    assert sold.customer_id is None
