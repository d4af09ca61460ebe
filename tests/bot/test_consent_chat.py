"""Marketing consent told in chat, in the five languages: the change is recorded with who said
it, the overview shows since when, and a question about consent changes nothing."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.core.assistant import Assistant
from bot.core.consent import read_consent
from bot.core.types import Caller, Intent
from storage.models import AuditEntry, ConsentChange, Customer, Note

ANA = Caller(name="Ana", telegram_id=501, channel="telegram")


@pytest.mark.parametrize(
    ("text", "agreed"),
    [
        ("Zoë agreed to marketing messages", True),
        ("she opted in to the newsletter today", True),
        ("María acepta recibir publicidad por WhatsApp", True),
        ("Çağla pazarlama mesajlarına izin verdi", True),
        ("Ο Νίκος συμφώνησε να λαμβάνει διαφημιστικά μηνύματα", True),
        ("Frau Weber ist mit Werbung per E-Mail einverstanden", True),
        ("Zoë doesn't want marketing emails anymore", False),
        ("he unsubscribed from the newsletter", False),
        ("María ya no quiere publicidad", False),
        ("Çağla reklam istemiyor", False),
        ("Ο Νίκος δεν θέλει πια διαφημιστικά", False),
        ("Herr Wolf möchte keine Werbung mehr", False),
        ("Maria López hasn't agreed to marketing messages", False),
        ("Maria López never agreed to marketing messages", False),
        ("Maria López wants no promotions", False),
        ("Maria López no aceptó recibir mensajes de marketing", False),
        ("Katrin Müller ist nicht mit Werbung einverstanden", False),
        ("Çağla pazarlama mesajlarını kabul etmedi", False),
        ("María dijo que sí a la publicidad", True),
        # Statements that look like questions at a glance.
        ("Zoë would like to get the newsletter", True),
        ("Werbung möchte sie ab sofort keine mehr, Frau Weber", False),
        ("Está de acuerdo con recibir publicidad la Sra. López", True),
        ("mira, Lucía ya no quiere publicidad", False),
    ],
)
def test_consent_changes_are_read_in_five_languages(text: str, agreed: bool) -> None:
    read = read_consent(text)
    assert read is not None
    assert read[0] is agreed


@pytest.mark.parametrize(
    "text",
    [
        "does María accept marketing?",
        "draft a marketing message to María",
        "what did she buy?",
        "María wants a new kettle",
        "¿María acepta publicidad?",
        "ask Maria López whether she agrees to marketing messages",
        "if Maria López agrees to marketing messages, send her the new lot",
        "check if Maria López agreed to marketing messages",
        "has Maria López agreed to marketing messages",
        "Maria López might not want promotions",
        "pregúntale a Maria López si acepta recibir promociones",
        "frag Katrin, ob sie Werbung möchte",
        "Çağla reklam istiyor mu",
        "ρώτα τον Νίκο αν θέλει διαφημιστικά",
        # A question with a statement after it asks: the profile answers, nothing is recorded.
        "did Nikos sign up for promotions? he says he wants the offers by email",
        "¿Lucía aceptó la publicidad? dice que quiere el boletín",
        "Hat Herr Wolf der Werbung zugestimmt? Er möchte den Newsletter.",
        "Έχει συμφωνήσει η Ελένη στα διαφημιστικά; λέει ότι θέλει το newsletter",
        # Questions typed without a question mark, as phones often send them.
        "ist Jonas Frank für den Newsletter angemeldet",
        "Herr Frank ist da, will er eigentlich Werbung per Mail",
        "Liam is here, what tier is he and is he opted in for marketing",
        "do we know if Zoë wants promotions",
        "sabes si Lucía acepta publicidad",
        "dime qué publicidad acepta Lucía",
        "Ayşe Hanım kampanya mesajlarına izin verdi mi",
        "ξέρεις αν η Ελένη θέλει διαφημιστικά",
    ],
)
def test_other_messages_are_no_consent_change(text: str) -> None:
    assert read_consent(text) is None


def _customer_named(assistant: Assistant, first: str) -> Customer:
    with Session(assistant.engine) as db:
        return db.exec(select(Customer).where(Customer.first_name == first)).first()  # type: ignore[return-value]


def test_an_associate_records_consent_and_the_overview_shows_since_when(
    writable_assistant: Assistant,
) -> None:
    maria = _customer_named(writable_assistant, "María")
    name = f"{maria.first_name} {maria.last_name}"
    agreed = not maria.marketing_consent
    said = f"{name} agreed to marketing messages" if agreed else f"{name} opted out of marketing"
    reply = writable_assistant.answer(ANA, said, session="tg:501")
    assert reply.intent == Intent.consent
    assert reply.customer_id == maria.customer_id
    assert reply.text.startswith("Recorded:")
    again = writable_assistant.answer(ANA, said, session="tg:501")
    assert "nothing changed" in again.text

    with Session(writable_assistant.engine) as db:
        changes = db.exec(
            select(ConsentChange).where(ConsentChange.customer_id == maria.customer_id)
        ).all()
        assert [(c.marketing_consent, c.source, c.changed_by, c.telegram_id) for c in changes][
            -1
        ] == (agreed, "chat", "Ana", 501)
        assert db.get(Customer, maria.customer_id).marketing_consent is agreed  # type: ignore[union-attr]
        entry = db.exec(select(AuditEntry).where(AuditEntry.kind == "consent")).one()
        assert (entry.customer_id, entry.associate_name, entry.channel) == (
            maria.customer_id,
            "Ana",
            "telegram",
        )
    overview = writable_assistant.answer(ANA, f"who is {name}?", session="tg:501")
    assert ("marketing: yes, since" if agreed else "marketing: no consent, since") in overview.text


def test_consent_with_nobody_named_is_never_assumed_but_offered_as_a_button(
    writable_assistant: Assistant,
) -> None:
    maria = _customer_named(writable_assistant, "María")
    writable_assistant.answer(ANA, f"¿qué compró {maria.first_name} {maria.last_name}?", "tg:9")
    reply = writable_assistant.answer(ANA, "ya no quiere recibir publicidad", "tg:9")
    assert reply.intent == Intent.consent
    assert reply.customer_id is None
    assert reply.language == "es"
    with Session(writable_assistant.engine) as db:
        assert db.exec(select(ConsentChange).where(ConsentChange.source == "chat")).all() == []
    (button,) = reply.options
    assert maria.first_name in button.label
    pressed = writable_assistant.follow(ANA, button, "tg:9")
    assert pressed.customer_id == maria.customer_id
    with Session(writable_assistant.engine) as db:
        assert db.get(Customer, maria.customer_id).marketing_consent is False  # type: ignore[union-attr]


def test_a_crafted_consent_button_for_nobody_changes_nothing(
    writable_assistant: Assistant,
) -> None:
    from bot.core.types import Option

    reply = writable_assistant.follow(ANA, Option("x", Intent.consent, "NOPE|yes"), "tg:3")
    assert reply.intent == Intent.not_found


def test_consent_for_someone_unknown_records_nothing(writable_assistant: Assistant) -> None:
    reply = writable_assistant.answer(ANA, "Paula Zyxwv agreed to marketing messages", "tg:7")
    assert reply.intent == Intent.not_found
    with Session(writable_assistant.engine) as db:
        assert db.exec(select(ConsentChange).where(ConsentChange.source == "chat")).all() == []


@pytest.mark.parametrize(
    "said",
    [
        "new note {name} - doesn't want the newsletter any more",
        "{name} ya no quiere publicidad, apúntalo",
        "{name} için not kaydet: pazarlama e-postası istemiyor",
        "{name} will keine Werbung mehr, bitte notieren",
        # Asked to remember it: a note too.
        "recuerda que {name} ya no quiere publicidad",
        "pls remember {name} doesn't want the newsletter any more",
        "denk dran, {name} will keine Werbung mehr",
    ],
)
def test_a_note_asked_for_that_tells_a_consent_change_saves_the_note_and_records_it(
    writable_assistant: Assistant, said: str
) -> None:
    maria = _customer_named(writable_assistant, "María")
    name = f"{maria.first_name} {maria.last_name}"

    reply = writable_assistant.answer(ANA, said.format(name=name), session="tg:502")

    assert reply.intent == Intent.note
    assert reply.customer_id == maria.customer_id
    with Session(writable_assistant.engine) as db:
        notes = db.exec(select(Note).where(Note.customer_id == maria.customer_id)).all()
        assert any(
            "newsletter" in n.text
            or "publicidad" in n.text
            or "pazarlama" in n.text
            or "Werbung" in n.text
            for n in notes
        )
        assert db.get(Customer, maria.customer_id).marketing_consent is False  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("can I still send Andrei Smirnov promos or did he unsubscribe?", "Andrei"),
        ("is Giuseppe Bianchi fine to text about the sale, or opted out?", "Giuseppe"),
        ("¿Íñigo Martínez nos dio el consentimiento para publicidad?", "Íñigo"),
        ("Kostas Karagiannis'in pazarlama izni var mı?", "Kostas"),
        ("έχει δώσει ο Σερκάν Ντεμίρ συγκατάθεση για newsletter;", "Serkan"),
        ("Hat Amélie Dubois die Werbung abbestellt?", "Amélie"),
        # Asked as "may I send X offers?", the customer named between the verb and the offers
        ("can I send Maria López offers?", "Maria"),
        ("¿puedo enviar promociones a Paula Ruiz?", "Paula"),
        ("μπορώ να στείλω προσφορές στον Νίκο Γεωργίου;", "Nikos"),
        ("kann ich Anja Krüger Angebote schicken?", "Anja"),
        # Whether she gets them
        ("does Andrei Smirnov get our newsletter?", "Andrei"),
        ("¿Paula Ruiz recibe la newsletter?", "Paula"),
        ("Paula Ruiz ha dado permiso para promos? le quiero mandar lo del black friday", "Paula"),
        ("bekommt Anja Krüger unseren Newsletter?", "Anja"),
        # Whether she gets our own messages
        ("does Andrei Smirnov get emails from us?", "Andrei"),
        ("does Giuseppe Bianchi receive our texts?", "Giuseppe"),
        ("¿a Paula Ruiz le llegan nuestros correos?", "Paula"),
        ("Kostas Karagiannis bizden sms alıyor mu?", "Kostas"),
        ("λαμβάνει ο Νίκος Γεωργίου email από εμάς;", "Nikos"),
        ("kriegt Anja Krüger Mails von uns?", "Anja"),
    ],
)
def test_a_question_about_consent_is_answered_with_the_profile(
    assistant: Assistant, text: str, first: str
) -> None:
    """Whatever else the words suggest (offers, a sale: ideas), asking whether a customer may
    be sent marketing gets her profile, which holds the consent line, and records nothing."""
    with Session(assistant.engine) as db:
        before = len(db.exec(select(ConsentChange)).all())
    reply = assistant.answer(ANA, text, session=f"tg:consent-q:{text}")
    assert reply.intent == Intent.overview, reply.text
    assert reply.customer_id == _customer_named(assistant, first).customer_id
    assert not reply.skus
    if text.startswith(("can I", "is Giuseppe")):
        assert "marketing:" in reply.text
    with Session(assistant.engine) as db:
        assert len(db.exec(select(ConsentChange)).all()) == before


@pytest.mark.parametrize(
    "text",
    [
        "Andrei Smirnov unsubscribed last month, what did he buy before that?",
        "Giuseppe Bianchi hat den Newsletter abbestellt, was hat er zuletzt gekauft?",
        "did Andrei Smirnov get the email from us about his order?",  # one email, no consent
    ],
)
def test_consent_told_beside_a_purchase_question_leaves_the_purchases(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"tg:consent-bought:{text}")
    assert reply.intent == Intent.history, reply.text


@pytest.mark.parametrize(
    "text",
    [
        "customers with a birthday this month who opted in to marketing",
        "which customers unsubscribed from the newsletter and haven't been in since June?",
    ],
)
def test_a_list_asked_with_consent_words_is_the_list_and_records_nothing(
    assistant: Assistant, text: str
) -> None:
    with Session(assistant.engine) as db:
        before = len(db.exec(select(ConsentChange)).all())
    reply = assistant.answer(ANA, text, session=f"tg:consent-list:{text}")

    assert reply.intent == Intent.lists, reply.text
    with Session(assistant.engine) as db:
        assert len(db.exec(select(ConsentChange)).all()) == before


@pytest.mark.parametrize(
    "text",
    [
        "Andrei Smirnov receives our newsletter at his old address",
        "Andrei Smirnov complained he gets our newsletter twice",
        "a Paula Ruiz no le llega la newsletter, revisa su correo",
    ],
)
def test_getting_the_newsletter_told_records_no_consent(assistant: Assistant, text: str) -> None:
    """Getting it (twice, at an old address, or not at all) says nothing of her consent."""
    with Session(assistant.engine) as db:
        before = len(db.exec(select(ConsentChange)).all())
    reply = assistant.answer(ANA, text, session=f"tg:consent-gets:{text}")

    assert reply.intent != Intent.consent, reply.text
    with Session(assistant.engine) as db:
        assert len(db.exec(select(ConsentChange)).all()) == before
