"""Correcting the customer just answered about: "not her, the other maria" and its kin in the
five languages move to the other customer sharing the name (or ask which, among several), and
ask the question before again; messages that only look like corrections are left alone (real
assistant, demo store: three Marias, two Buraks, two Elifs, one Ana Sánchez)."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant
from bot.core.corrections import correction
from bot.core.types import Caller, Intent

ANA = Caller(name="Ana", role="associate", store=None)
MARIAS = {"C0011", "C0166", "C0174"}


def _chat(assistant: Assistant, session: str, *texts: str):
    return [assistant.answer(ANA, text, session) for text in texts]


@pytest.mark.parametrize(
    ("first", "correcting", "intent", "other"),
    [
        ("Burak Şahin ne kadar harcadı?", "öbür burak", Intent.spend, "C0147"),
        ("Burak Kaya'nın bedenleri?", "yok, diğeri", Intent.sizes, "C0127"),
        ("notes on elif koç", "no sorry, the other elif", Intent.notes, "C0060"),
        ("Elif Kaya's sizes?", "wrong elif", Intent.sizes, "C0116"),
        ("τι αγόρασε η Elif Koç;", "όχι αυτή, την άλλη", Intent.history, "C0060"),
        ("was hat Burak Kaya gekauft?", "nein, den anderen Burak", Intent.history, "C0127"),
        ("¿qué tallas tiene Elif Kaya?", "no, la otra", Intent.sizes, "C0116"),
    ],
)
def test_a_correction_asks_again_about_the_one_other_namesake(
    assistant: Assistant, first: str, correcting: str, intent: Intent, other: str
) -> None:
    before, after = _chat(assistant, f"fix-{first}", first, correcting)

    assert before.customer_id != other
    assert (after.intent, after.customer_id) == (intent, other), correcting


@pytest.mark.parametrize(
    ("first", "correcting"),
    [
        ("what did Maria López buy?", "not her, the other maria"),
        ("Maria Costa profile", "nein, die andere"),
        ("¿qué compró María García?", "me refería a la otra maría"),
        ("η Maria Costa τι νούμερα φοράει;", "λάθος Μαρία"),
    ],
)
def test_with_several_namesakes_a_correction_asks_which_of_the_others(
    assistant: Assistant, first: str, correcting: str
) -> None:
    before, after = _chat(assistant, f"which-{first}", first, correcting)

    assert after.intent == Intent.clarify
    offered = {o.value for o in after.options}
    assert offered == MARIAS - {before.customer_id}, correcting


def test_the_pick_after_a_correction_answers_the_first_question(assistant: Assistant) -> None:
    *_, picked = _chat(
        assistant, "fix-pick", "what did Maria López buy?", "the other maria", "María García"
    )

    assert (picked.intent, picked.customer_id) == (Intent.history, "C0174")


def test_a_correction_asking_something_new_asks_that(assistant: Assistant) -> None:
    _, after = _chat(assistant, "fix-new", "Elif Koç profile", "the other elif's sizes?")

    assert (after.intent, after.customer_id) == (Intent.sizes, "C0060")


def test_with_nobody_sharing_her_name_a_correction_asks_who(assistant: Assistant) -> None:
    _, after = _chat(assistant, "fix-alone", "Ana Sánchez profile", "no, the other one")

    assert after.intent == Intent.need_customer
    assert after.customer_id is None


@pytest.mark.parametrize(
    "text",
    [
        "another customer asked about the moka pot",
        "the other day she said she wants a grinder",
        "la otra semana compró café",
        "nicht die Mokka, die andere Kanne?",
        # "the other one" with more said is as often a product or someone else
        "does the other one come in black?",
        "did she buy the other one too?",
        "y la otra clienta que vino con ella?",
    ],
)
def test_words_of_a_correction_elsewhere_correct_nobody(text: str) -> None:
    assert correction(text, frozenset({"burak", "sahin"})) is None


def test_a_correction_is_read_only_after_a_question_about_a_customer(
    assistant: Assistant,
) -> None:
    # "which Maria?" still open: "the other one" picks nobody of its own
    _, after = _chat(assistant, "fix-open", "what did maria buy?", "the other maria")

    assert after.intent == Intent.clarify
    assert {o.value for o in after.options} == MARIAS
