"""A follow-up that asks the question before again asks it whole: "how much did Maria spend
this year?" answered "which Maria?", then "Maria Costa" (typed or pressed), "and Maria Costa?"
or "no, the other one" give her spend *this year*, as asking her directly does. A question of
its own after "which one?" is answered as asked, a follow-up naming someone the store lacks
gets "not found" (never the customer before), a place typed ("2", "la primera") picks from
the "which one?" list, and lower-case names tell nothing of the language. Real assistant on
the demo store (three Marias, two Buraks)."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant
from bot.core.types import Caller, Intent

ANA = Caller(name="Ana", role="associate", store=None)


def _chat(assistant: Assistant, session: str, *texts: str):
    return [assistant.answer(ANA, text, session) for text in texts]


def _direct(assistant: Assistant, question: str):
    (reply,) = _chat(assistant, f"direct-{question}", question)
    return reply


@pytest.mark.parametrize(
    ("first", "pick", "direct"),
    [
        (
            "how much did maria spend this year?",
            "Maria Costa",
            "how much did Maria Costa spend this year?",
        ),
        ("¿cuánto gastó maría en 2025?", "maría garcía", "¿cuánto gastó María García en 2025?"),
        ("what did maria buy last month?", "López", "what did Maria López buy last month?"),
    ],
)
def test_a_name_typed_after_which_one_keeps_the_period(
    assistant: Assistant, first: str, pick: str, direct: str
) -> None:
    which, picked = _chat(assistant, f"pick-{first}", first, pick)

    assert which.intent == Intent.clarify
    expected = _direct(assistant, direct)
    assert (picked.intent, picked.customer_id) == (expected.intent, expected.customer_id)
    assert picked.text == expected.text


def test_a_pressed_candidate_keeps_the_period(assistant: Assistant) -> None:
    (which,) = _chat(assistant, "press-spend", "wie viel hat Maria dieses Jahr ausgegeben?")
    costa = next(o for o in which.options if o.value == "C0166")

    picked = assistant.follow(ANA, costa, "press-spend")

    expected = _direct(assistant, "wie viel hat Maria Costa dieses Jahr ausgegeben?")
    assert (picked.intent, picked.customer_id) == (Intent.spend, "C0166")
    assert picked.text == expected.text


@pytest.mark.parametrize(
    ("first", "then", "direct"),
    [
        (
            "how much did Maria López spend this year?",
            "and Maria Costa?",
            "how much did Maria Costa spend this year?",
        ),
        ("Burak Şahin 2025'te ne aldı?", "peki Burak Kaya?", "Burak Kaya 2025'te ne aldı?"),
    ],
)
def test_and_another_name_asks_the_same_question_over_the_same_period(
    assistant: Assistant, first: str, then: str, direct: str
) -> None:
    _, after = _chat(assistant, f"and-{first}", first, then)

    expected = _direct(assistant, direct)
    assert (after.intent, after.customer_id) == (expected.intent, expected.customer_id)
    assert after.text == expected.text


def test_a_correction_keeps_the_period(assistant: Assistant) -> None:
    _, after = _chat(assistant, "fix-period", "Burak Şahin bu yıl ne kadar harcadı?", "öbür burak")

    expected = _direct(assistant, "Burak Kaya bu yıl ne kadar harcadı?")
    assert (after.intent, after.customer_id) == (Intent.spend, "C0147")
    assert after.text == expected.text


def test_a_question_of_its_own_after_which_one_is_answered_as_asked(
    assistant: Assistant,
) -> None:
    _, answered = _chat(
        assistant,
        "own",
        "how much did maria spend this year?",
        "what did Maria López buy in 2025?",
    )

    assert (answered.intent, answered.customer_id) == (Intent.history, "C0011")


def test_a_new_question_without_a_period_is_about_all_time(assistant: Assistant) -> None:
    _, later = _chat(
        assistant,
        "all-time",
        "how much did Maria López spend in 2025?",
        "how much has Maria Costa spent with us altogether?",
    )

    expected = _direct(assistant, "how much has Maria Costa spent with us altogether?")
    assert later.text == expected.text


@pytest.mark.parametrize(
    "then",
    [
        "what about Tom?",
        "and Lisa?",
        "¿y Greta?",
        "und Otto?",
        # In lower case, as typed on a phone: a given name all the same
        "and tom?",
        "what about harry",
        "und otto?",
    ],
)
def test_a_follow_up_naming_someone_the_store_lacks_is_not_the_customer_before(
    assistant: Assistant, then: str
) -> None:
    _, after = _chat(
        assistant, f"nobody-{then}", "how much did Maria Costa spend this year?", then
    )

    assert after.customer_id is None, after.text
    assert after.intent == Intent.not_found


@pytest.mark.parametrize(
    ("first", "then", "language"),
    [
        ("who is Maria López?", "and maria costa", "en"),
        ("who is Maria López?", "what about burak kaya", "en"),
        ("¿quién es Maria López?", "y maria costa", "es"),
    ],
)
def test_lower_case_names_do_not_change_the_reply_language(
    assistant: Assistant, first: str, then: str, language: str
) -> None:
    _, after = _chat(assistant, f"lang-{then}", first, then)

    assert after.customer_id is not None
    assert after.language == language


@pytest.mark.parametrize(
    ("first", "place", "direct"),
    [
        ("how much did maria spend this year?", "2", "how much did Maria Costa spend this year?"),
        ("what did maria buy in 2025?", "the third one", "what did María García buy in 2025?"),
        ("¿qué tallas tiene maría?", "la primera", "¿qué tallas tiene Maria López?"),
        ("Maria'nın notları?", "ikincisi", "Maria Costa'nın notları?"),
        ("τι αγόρασε η Μαρία πέρσι;", "τη δεύτερη", "τι αγόρασε η Maria Costa πέρσι;"),
        (
            "was hat Maria dieses Jahr ausgegeben?",
            "die erste",
            "was hat Maria López dieses Jahr ausgegeben?",
        ),
    ],
)
def test_a_place_typed_after_which_one_picks_that_customer(
    assistant: Assistant, first: str, place: str, direct: str
) -> None:
    which, picked = _chat(assistant, f"place-{first}", first, place)

    assert which.intent == Intent.clarify
    expected = _direct(assistant, direct)
    assert (picked.intent, picked.customer_id) == (expected.intent, expected.customer_id)
    assert picked.text == expected.text


@pytest.mark.parametrize(
    ("first", "then", "about"),
    [("who is Maria López?", "2", {None, "C0011"}), ("hi", "the second one", {None})],
)
def test_a_place_with_no_which_one_open_picks_nobody(
    assistant: Assistant, first: str, then: str, about: set[str | None]
) -> None:
    _, after = _chat(assistant, f"no-place-{first}", first, then)

    assert after.customer_id in about, after.text


def test_a_place_beyond_the_list_picks_nobody(assistant: Assistant) -> None:
    _, after = _chat(assistant, "place-far", "how much did maria spend this year?", "7")

    assert after.customer_id is None


def test_a_note_waiting_for_its_customer_is_saved_for_the_place_typed(
    writable_assistant: Assistant,
) -> None:
    which, saved = (
        writable_assistant.answer(ANA, text, "note-place")
        for text in ("note for maria: wants the blue mug", "2")
    )

    assert which.intent == Intent.clarify
    assert (saved.intent, saved.customer_id) == (Intent.note, "C0166")
    assert "wants the blue mug" in saved.text


def test_a_follow_up_naming_only_a_customer_whose_name_is_a_word_asks_it_of_her(
    assistant: Assistant,
) -> None:
    """Can Arslan: "and can?" asks the question before of him, not of the customer before."""
    _, after = _chat(assistant, "and-can", "how much did Maria Costa spend this year?", "and can?")

    assert (after.intent, after.customer_id) == (Intent.spend, "C0150"), after.text


@pytest.mark.parametrize("then", ["and pink?", "y rosa?", "ve mavi?", "and can you show me?"])
def test_a_follow_up_of_a_colour_or_a_verb_names_nobody_new(
    assistant: Assistant, then: str
) -> None:
    _, after = _chat(
        assistant, f"not-a-name-{then}", "how much did Maria Costa spend this year?", then
    )

    assert after.intent != Intent.not_found, after.text
    assert after.customer_id in (None, "C0166"), after.text
