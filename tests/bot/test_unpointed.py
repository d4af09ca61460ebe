"""A question about the customer being discussed that does not point back at her ("önemli bir
şey var mı?": Turkish and Greek drop the pronoun) asks her notes; the same words with nobody
discussed ask who, and a lower-case Turkish verb is no customer's name (real assistant, demo
store)."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant
from bot.core.types import Caller, Intent

ANA = Caller(name="Ana", role="associate", store=None)


@pytest.mark.parametrize(
    ("first", "then", "customer_id"),
    [
        ("Çağla Yılmaz", "önemli bir şey var mı?", "C0039"),
        ("Çağla Yılmaz burada", "ne anlatmıştı?", "C0039"),
        ("Hannah Walsh just came in", "anything important?", "C0097"),
        ("¿qué compró Ana Sánchez?", "¿algo importante que deba saber?", "C0054"),
        ("Sofia Nikolaidou", "κάτι σημαντικό που πρέπει να ξέρω;", "C0042"),
        ("Hannah Walsh ist da", "gibt es etwas Wichtiges?", "C0097"),
    ],
)
def test_what_was_noted_asked_after_a_customer_is_about_her(
    assistant: Assistant, first: str, then: str, customer_id: str
) -> None:
    session = f"unpointed-{first}-{then}"
    assistant.answer(ANA, first, session)
    reply = assistant.answer(ANA, then, session)

    assert reply.intent == Intent.notes, reply.text
    assert reply.customer_id == customer_id


@pytest.mark.parametrize(
    ("then", "intent"),
    [
        ("what's the weather tomorrow?", Intent.unknown),
        ("how do I add a note?", Intent.help),
        ("thanks!", Intent.greeting),
    ],
)
def test_other_questions_after_a_customer_stay_what_they_are(
    assistant: Assistant, then: str, intent: Intent
) -> None:
    session = f"unpointed-other-{then}"
    assistant.answer(ANA, "Hannah Walsh", session)
    reply = assistant.answer(ANA, then, session)

    assert reply.intent == intent, reply.text
    assert reply.customer_id is None


@pytest.mark.parametrize(
    "then",
    [
        "what did the manager say about opening hours on sunday?",
        "Gibt es Hinweise zur Inventur morgen?",
        "müdür yarınki toplantı hakkında ne dedi?",
    ],
)
def test_the_store_s_own_matters_asked_after_a_customer_are_not_her_notes(
    assistant: Assistant, then: str
) -> None:
    session = f"unpointed-store-{then}"
    assistant.answer(ANA, "Hannah Walsh", session)
    reply = assistant.answer(ANA, then, session)

    assert reply.intent != Intent.notes, reply.text
    assert reply.customer_id is None


@pytest.mark.parametrize("text", ["ne anlatmıştı?", "neler istiyordu?", "ne demişti"])
def test_a_turkish_verb_with_nobody_discussed_asks_who_in_turkish(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"unpointed-nobody-{text}")

    assert reply.intent == Intent.need_customer, reply.text
    assert reply.language == "tr"
    assert "müşteri" in reply.text.casefold()  # asked in Turkish, and no name "anlatmıştı"


@pytest.mark.parametrize(
    "text",
    [
        "σημείωσε ότι θέλει τοποθέτηση στον τοίχο",
        "σημειωσε οτι θελει τοποθετηση στον τοιχο",
        "note that wants wall mounting and delivery after six",
        "not al: duvara montaj istiyor",
    ],
)
def test_a_note_naming_nobody_asks_who_not_for_a_customer_named_by_its_words(
    assistant: Assistant, text: str
) -> None:
    # The note's own words ("τοποθέτηση", wall mounting) are nobody's name
    reply = assistant.answer(ANA, text, f"unpointed-note-{text}")

    assert reply.intent == Intent.need_customer, reply.text
