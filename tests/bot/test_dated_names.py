"""A customer whose first name is a month or a weekday (May, Abril, Κυριακή, Sonntag…) is not
the one a list question means by that word as a date ("who has a birthday in May?"), and still
is when it names her ("is May's birthday this week?", "what did May buy in May?") (real
assistant, a store of its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.assistant import Assistant
from bot.core.list_requests import dated_name
from bot.core.types import Caller, Intent
from storage.importers import import_csv

ANA = Caller(name="Ana", role="manager", store=None)

CUSTOMERS = (
    "customer_id,first_name,last_name,email,phone,birthday,tier,language,sizes,preferences,"
    "marketing_consent,home_store\n"
    "D001,May,Harlow,,,1980-05-12,gold,en,,,true,S1\n"
    "D002,Abril,Soto,,,1990-04-20,gold,es,,,true,S1\n"
    "D003,Κυριακή,Παππά,,,1988-12-07,gold,el,,,true,S1\n"
    "D004,Juni,Bergmann,,,1971-06-02,silver,de,,,true,S1\n"
)


@pytest.fixture
def store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    path = tmp_path / "customers.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    import_csv(writable_assistant.engine, "customers", path)
    writable_assistant.refresh()
    return writable_assistant


@pytest.mark.parametrize(
    "text",
    [
        "whose birthday is in May?",
        "¿cumpleaños en abril?",
        "ποιοι έχουν γενέθλια την Κυριακή;",
        "Geburtstage im Juni?",
    ],
)
def test_a_month_or_day_as_a_date_in_a_list_question_is_the_list(
    store: Assistant, text: str
) -> None:
    reply = store.answer(ANA, text, f"dated-{text}")

    assert reply.intent == Intent.lists, reply.text
    assert reply.customer_id is None


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("is May's birthday coming up?", "D001"),
        ("¿qué compró Abril en abril?", "D002"),
        ("what did May buy in May?", "D001"),
        # Right after "did", a month buys nothing: the customer, asked whether she bought it
        ("did may end up buying the moka pot i recommended her or not", "D001"),
        ("did may get the chemex?", "D001"),
    ],
)
def test_the_word_naming_her_is_still_her(store: Assistant, text: str, customer: str) -> None:
    assert store.answer(ANA, text, f"named-{text}").customer_id == customer


def test_only_a_list_question_reads_the_word_as_a_date() -> None:
    assert dated_name("birthdays in May?", frozenset({"may"}))
    assert not dated_name("tell me about May", frozenset({"may"}))  # no list asked
    assert not dated_name("is May's birthday soon?", frozenset({"may"}))  # not after "in"
