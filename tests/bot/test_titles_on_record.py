"""Two customers sharing a first name that says no gender (Deniz, Andrea, Kim), told apart by
the title typed with it ("deniz bey", "Frau Andrea", "κυρία Κιμ") when their records call them
so: a preference or a note writing "Deniz Hanım" or "Herr Andrea Novak", the title beside the
first name ("Mr Porter" in her notes may be her husband) (real assistant on the demo store plus
customers of its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.assistant import Assistant
from bot.core.types import Caller, Intent
from storage.importers import import_csv

ANA = Caller(name="Ana", role="associate", store=None)

CUSTOMERS = (
    "customer_id,first_name,last_name,email,phone,birthday,tier,language,sizes,preferences,"
    "marketing_consent,home_store\n"
    "T001,Deniz,Yücel,,,,,tr,,Kahve sever; Deniz Hanım kapalı paket ister,false,\n"
    "T002,Deniz,Arslan,,,,,tr,,,false,\n"
    "T003,Andrea,Novak,,,,,de,,,false,\n"
    "T004,Andrea,Lindner,,,,,de,,Frau Andrea Lindner kommt samstags,false,\n"
    "T005,Kim,Lawson,,,,,en,,,false,\n"
    "T006,Kim,Porter,,,,,en,,,false,\n"
)
NOTES = (
    "customer_id,text,author,created_at\n"
    'T002,"Deniz Bey iade istedi, ikna edildi.",Elif,2026-05-02T10:00:00\n'
    'T003,"Herr Andrea Novak bringt die Mühle zur Reparatur.",Jonas,2026-04-11T09:30:00\n'
    'T005,"Mrs Kim Lawson wants a call when the grinders come in.",Sam,2026-03-01T12:00:00\n'
    # Her husband, named by his title and their surname: nothing of hers.
    'T006,"Mr Porter collected her order.",Sam,2026-03-02T12:00:00\n'
)


@pytest.fixture
def store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    for kind, rows in (("customers", CUSTOMERS), ("notes", NOTES)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(rows, encoding="utf-8")
        import_csv(writable_assistant.engine, kind, path)
    writable_assistant.refresh()
    return writable_assistant


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("deniz hanım bu yıl ne kadar harcadı?", "T001"),  # her preferences
        ("Deniz Bey'in bedenleri neydi?", "T002"),  # a note about him
        ("was hat Herr Andrea gekauft?", "T003"),
        ("notes on mr kim?", "T006"),  # the other Kim is "Mrs Kim Lawson" on record
    ],
)
def test_a_title_tells_apart_namesakes_as_their_records_call_them(
    store: Assistant, text: str, customer: str
) -> None:
    reply = store.answer(ANA, text, f"title-{text}")

    assert reply.customer_id == customer, text


@pytest.mark.parametrize("text", ["deniz'in bedenleri?", "sizes for kim?"])
def test_without_a_title_namesakes_are_still_asked_about(store: Assistant, text: str) -> None:
    reply = store.answer(ANA, text, f"plain-{text}")

    assert reply.intent == Intent.clarify
    assert reply.customer_id is None


def test_a_common_greek_word_is_no_name_in_latin_letters(
    tmp_path: Path, writable_assistant: Assistant
) -> None:
    """ "δώρο" (gift) sounds like Doro, Dorothea's short name; beside a name typed in full it
    is the word."""
    path = tmp_path / "customers.csv"
    path.write_text(
        "customer_id,first_name,last_name,email,phone,birthday,tier,language,sizes,preferences,"
        "marketing_consent,home_store\n"
        "G001,Dorothea,Lindqvist,,,,,de,,Prefers to be called Doro,false,\n"
        "G002,Ελένη,Βασιλείου,,,,,el,,,false,\n",
        encoding="utf-8",
    )
    import_csv(writable_assistant.engine, "customers", path)
    writable_assistant.refresh()

    reply = writable_assistant.answer(ANA, "η Βασιλείου ψάχνει δώρο, τι να της δείξω;", "doro")

    assert reply.customer_id == "G002", reply.text


def test_her_own_name_in_greek_letters_is_still_her_name(
    tmp_path: Path, writable_assistant: Assistant
) -> None:
    """ "Μαρία" is the name of a Maria stored in Latin letters too: both are asked about."""
    path = tmp_path / "customers.csv"
    path.write_text(
        "customer_id,first_name,last_name,email,phone,birthday,tier,language,sizes,preferences,"
        "marketing_consent,home_store\n"
        "M001,Maria,Lindqvist,,,,,en,,,false,\n"
        "M002,Μαρία,Παππά,,,,,el,,,false,\n",
        encoding="utf-8",
    )
    import_csv(writable_assistant.engine, "customers", path)
    writable_assistant.refresh()

    reply = writable_assistant.answer(ANA, "σημειώσεις για τη Μαρία;", "maria-scripts")

    assert reply.intent == Intent.clarify, reply.text
    assert {"M001", "M002"} <= {o.value for o in reply.options}
