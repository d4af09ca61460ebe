"""Outreach drafts on the real demo store: a message in the customer's language from stored
facts, consent and the marketing cap across associates, "Mark as sent" logging the contact,
drafts from list rows, and what is no draft request; one test on the real PTB Application."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlmodel import Session, col, select

from bench.understanding_bench import UNREAD_SETS
from bot.core.assistant import Assistant, Caller
from bot.core.draft_requests import DraftRequest, named_product, read_request
from bot.core.types import Intent, Option, Reply
from storage.models import Contact, Customer, Note
from tests.bot.conftest import DEMO_NOW
from tests.bot.telegram_app import ASSOCIATE, Telegram

# Demo customers: María López (C0011, Spanish, consents, +34 626 512 204), Nikos Georgiou
# (C0025, Greek, no consent), Hiroshi Tanaka (C0154, Japanese, consents, no e-mail), Çağla
# Yılmaz (C0039, Turkish), Emre Öztürk (C0038), Wei Zhang (C0041), Amélie Dubois (C0006),
# Søren Kjær (C0143, Danish, no e-mail).
ANA = Caller(name="Ana", store="S01", telegram_id=1001)
BEN = Caller(name="Ben", store="S02", telegram_id=1002)
AEROPRESS = "AeroPress Original Coffee Maker"
ROOT = Path(__file__).resolve().parents[2]
LINEN = [
    "Linen Shower Curtain 180x200",
    "Linen Duvet Cover 200x200",
    "Linen Pillowcases 50x75 (pair)",
]
CHRISTY = ["Christy Supreme Hygro Hand Towel 50x90", "Christy Supreme Hygro Bath Towel 70x140"]


def _contacts(assistant: Assistant) -> list[Contact]:
    with Session(assistant.engine) as db:
        return list(db.exec(select(Contact).order_by(col(Contact.id))).all())


def _option(reply: Reply, label: str) -> Option:
    return next(o for o in reply.options if o.label == label)


def _draft_and_send(assistant: Assistant, caller: Caller, session: str) -> Reply:
    reply = assistant.answer(caller, "draft a message to María López about the AeroPress", session)
    assert reply.intent == Intent.draft, reply.text
    return assistant.follow(caller, _option(reply, "Mark as sent (WhatsApp)"), session)


# --- the draft -----------------------------------------------------------------------------


def test_a_draft_is_written_in_the_customers_language_from_stored_facts(
    writable_assistant: Assistant,
) -> None:
    reply = writable_assistant.answer(
        ANA, "draft a message to María López about the new AeroPress", "chat"
    )

    assert reply.intent == Intent.draft
    assert reply.customer_id == "C0011"
    assert reply.skus == ["COF-001"]
    assert "Marketing message to Maria López" in reply.text
    assert "Marketing consent: yes · 0 marketing messages in the last 30 days" in reply.text
    [contact] = _contacts(writable_assistant)
    assert (contact.customer_id, contact.language, contact.purpose) == ("C0011", "es", "marketing")
    assert (contact.sku, contact.associate_name, contact.telegram_id) == ("COF-001", "Ana", 1001)
    assert contact.sent_at is None
    assert contact.drafted_at == DEMO_NOW
    # Her name and the product, as stored; the draft is shown whole in the reply.
    assert "Maria" in contact.text
    assert AEROPRESS in contact.text
    assert contact.text in reply.text
    [(label, url)] = reply.links
    assert label == "Open in WhatsApp"
    assert url == f"https://wa.me/34626512204?text={quote(contact.text, safe='')}"
    assert reply.labels == [
        "Mark as sent (WhatsApp)",
        "Mark as sent (SMS)",
        "Mark as sent (e-mail)",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "escribe un mensaje a María López sobre la AeroPress",
        "María López'e AeroPress hakkında mesaj yaz",
        "γράψε μήνυμα στη Μαρία López για το AeroPress",
        "schreib María López eine Nachricht über die AeroPress",
    ],
)
def test_a_request_in_any_language_drafts_for_the_customer_named(
    writable_assistant: Assistant, text: str
) -> None:
    reply = writable_assistant.answer(ANA, text, "chat")

    assert reply.intent == Intent.draft, reply.text
    [contact] = _contacts(writable_assistant)
    assert (contact.customer_id, contact.sku, contact.language) == ("C0011", "COF-001", "es")


def test_a_check_in_without_a_product_mentions_the_last_purchase(
    writable_assistant: Assistant,
) -> None:
    last = writable_assistant.answer(ANA, "what did María López buy last time?", "chat")
    reply = writable_assistant.answer(ANA, "write to her", "chat")

    [contact] = _contacts(writable_assistant)
    assert contact.customer_id == "C0011"
    assert contact.sku is None
    assert any(line.split(" ×")[0].lstrip("• ") in contact.text for line in last.text.split("\n"))
    assert reply.skus == []


def test_a_customer_language_without_templates_is_written_in_the_stores(
    writable_assistant: Assistant,
) -> None:
    reply = writable_assistant.answer(ANA, "write to Hiroshi Tanaka about the AeroPress", "a")
    writable_assistant.retrieval.default_language = "de"  # type: ignore[attr-defined]
    writable_assistant.answer(ANA, "write to Hiroshi Tanaka about the AeroPress", "b")

    assert "There are no message templates in Japanese yet." in reply.text
    assert [c.language for c in _contacts(writable_assistant)] == ["en", "de"]
    assert "E-mail" not in reply.text  # none on record: no e-mail button either
    assert reply.labels == ["Mark as sent (WhatsApp)", "Mark as sent (SMS)"]


# --- consent and the frequency cap ------------------------------------------------------------


def test_marketing_without_consent_is_refused_and_a_service_message_allowed(
    writable_assistant: Assistant,
) -> None:
    refused = writable_assistant.answer(
        ANA, "draft a message to Nikos Georgiou about the AeroPress", "chat"
    )
    service = writable_assistant.answer(ANA, "text Nikos Georgiou that his order is ready", "chat")
    offered = writable_assistant.follow(ANA, _option(refused, "Service: back in stock"), "chat")

    assert refused.intent == Intent.draft
    assert refused.customer_id == "C0025"
    assert "Nikos Georgiou has not agreed to marketing messages" in refused.text
    assert service.text.startswith("Service message to Nikos Georgiou, in Greek:")
    assert "no marketing consent needed" in service.text
    assert service.links
    assert service.links[0][1].startswith("https://wa.me/306933301965?text=")
    assert offered.text.startswith("Service message to Nikos Georgiou")
    contacts = _contacts(writable_assistant)
    assert [(c.purpose, c.sku, c.language) for c in contacts] == [
        ("service", None, "el"),
        ("service", "COF-001", "el"),
    ]
    sent = writable_assistant.follow(ANA, _option(service, "Mark as sent (SMS)"), "chat")
    assert sent.text.startswith("Logged: sent to Nikos Georgiou by SMS")


@pytest.mark.parametrize(
    ("text", "service"),
    [
        ("text Hiroshi that his order is ready", "ready"),
        ("send Nikos Georgiou a text that the size he asked for is back", "back"),
        ("¿Puedes escribirle a María López que su pedido está listo?", "ready"),
        ("Hiroshi'ye siparişinin hazır olduğunu yaz", "ready"),
        ("στείλε μήνυμα στον Νίκο ότι η παραγγελία του είναι έτοιμη", "ready"),
        ("ενημέρωσε τη Μαρία ότι ξαναήρθε το νούμερο που ζήτησε", "back"),
        ("Schreib Maria, dass ihre Bestellung abholbereit ist", "ready"),
        ("schreib Maria eine Nachricht, dass ihre Größe wieder da ist", "back"),
        ("draft a message to María about the new AeroPress", None),
        ("Çağla'ya mesaj taslağı hazırla", None),
    ],
)
def test_a_service_message_is_told_by_its_words(text: str, service: str | None) -> None:
    asked = read_request(text)

    assert asked is not None
    assert asked.service == service


def test_the_frequency_cap_holds_across_associates(writable_assistant: Assistant) -> None:
    first = _draft_and_send(writable_assistant, ANA, "ana")
    # Both draft while one marketing message is out; Ana sends hers first.
    ana = writable_assistant.answer(
        ANA, "draft a message to María López about the AeroPress", "ana"
    )
    ben = writable_assistant.answer(BEN, "write to María López about the AeroPress", "ben")
    ana_sent = writable_assistant.follow(ANA, _option(ana, "Mark as sent (e-mail)"), "ana")
    ben_sent = writable_assistant.follow(BEN, _option(ben, "Mark as sent (WhatsApp)"), "ben")
    third = writable_assistant.answer(BEN, "message María López about the AeroPress", "ben")
    service = writable_assistant.answer(BEN, "text María López that her order is ready", "ben")

    assert first.text.startswith("Logged: sent to Maria López by WhatsApp")
    assert "1 marketing message in the last 30 days (at most 2)" in ben.text
    assert ana_sent.text.startswith("Logged: sent to Maria López by e-mail")
    assert ben_sent.text.startswith("Not logged: Maria López has had 2 marketing messages")
    assert "Please don't send it." in ben_sent.text
    assert "already had 2 marketing messages in the last 30 days, from all associates" in (
        third.text
    )
    assert service.text.startswith("Service message to Maria López")
    sent = [(c.associate_name, c.channel) for c in _contacts(writable_assistant) if c.sent_at]
    assert sent == [("Ana", "whatsapp"), ("Ana", "email")]


def test_the_cap_is_the_stores_setting(writable_assistant: Assistant) -> None:
    writable_assistant.retrieval.marketing_cap = 1
    _draft_and_send(writable_assistant, ANA, "ana")

    again = writable_assistant.answer(BEN, "write to María López about the AeroPress", "ben")

    assert "already had 1 marketing message in the last 30 days" in again.text


# --- marking a draft sent ----------------------------------------------------------------------


def test_mark_as_sent_logs_who_when_channel_purpose_and_product(
    writable_assistant: Assistant,
) -> None:
    draft = writable_assistant.answer(
        ANA, "draft a message to María López about the AeroPress", "chat"
    )

    sent = writable_assistant.follow(ANA, _option(draft, "Mark as sent (SMS)"), "chat")
    again = writable_assistant.follow(ANA, _option(draft, "Mark as sent (WhatsApp)"), "chat")

    assert sent.intent == Intent.draft
    assert sent.customer_id == "C0011"
    assert sent.text == (
        "Logged: sent to Maria López by SMS on 22 Nov 2026.\n"
        "Marketing message · AeroPress Original Coffee Maker"
    )
    assert again.text.startswith("That message was already logged as sent to Maria López (SMS")
    [contact] = _contacts(writable_assistant)
    assert (contact.associate_name, contact.telegram_id, contact.store) == ("Ana", 1001, "S01")
    assert (contact.sent_at, contact.channel) == (DEMO_NOW, "sms")
    assert (contact.purpose, contact.sku, contact.list_kind) == ("marketing", "COF-001", None)


def test_a_forged_or_stale_sent_button_logs_nothing(writable_assistant: Assistant) -> None:
    for value in ("999:whatsapp", "1:pigeon", "x"):
        reply = writable_assistant.follow(
            ANA, Option("Mark as sent", Intent.contact_sent, value), "chat"
        )
        assert reply.text == "That draft is no longer on record."
    assert _contacts(writable_assistant) == []


# --- lists and "which one?" ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kind"),
    [("who is due to buy again?", "due"), ("who hasn't been in for a while?", "lapsed")],
)
def test_a_draft_from_a_list_row_records_the_list(
    writable_assistant: Assistant, question: str, kind: str
) -> None:
    caller = Caller(name="Ana", telegram_id=1001)
    listed = writable_assistant.answer(caller, question, "chat")
    button = next(o for o in listed.options if o.intent == Intent.draft)
    request = DraftRequest.decode(button.value)
    assert request is not None

    draft = writable_assistant.follow(caller, button, "chat")
    writable_assistant.follow(caller, draft.options[0], "chat")

    assert draft.text.startswith("Marketing message to ")
    [contact] = _contacts(writable_assistant)
    assert (contact.customer_id, contact.list_kind) == (request.customer_id, kind)
    assert (contact.sku, contact.sent_at) == (request.sku, DEMO_NOW)
    assert (contact.sku is not None) == (kind == "due")  # the item due is the draft's product


def test_a_list_offers_drafts_only_to_customers_who_agreed_to_marketing(
    writable_assistant: Assistant,
) -> None:
    caller = Caller(name="Ana", telegram_id=1001)  # no store: the lists of all stores
    lapsed = writable_assistant.answer(caller, "who hasn't been in for a while?", "chat")
    birthdays = writable_assistant.answer(caller, "any birthdays in the next days?", "chat")

    drafted = [DraftRequest.decode(o.value) for o in lapsed.options if o.intent == Intent.draft]
    ids = [d.customer_id for d in drafted if d is not None]
    with Session(writable_assistant.engine) as db:
        consents = {i: db.get_one(Customer, i).marketing_consent for i in [*ids, "C0155"]}
    assert len(ids) == 3
    assert all(consents[i] for i in ids)
    assert consents["C0155"] is False  # the list's first row: no button for him
    assert "Niamh Murphy (C0112)" in birthdays.labels  # without consent: no draft button
    assert not [o for o in birthdays.options if o.intent == Intent.draft]


def test_an_ambiguous_name_asks_which_one_and_the_pick_continues_the_draft(
    writable_assistant: Assistant,
) -> None:
    which = writable_assistant.answer(
        ANA, "draft a message to María about the new AeroPress", "chat"
    )

    assert which.intent == Intent.clarify
    assert "Maria López (C0011)" in which.labels
    assert "María García (C0174)" in which.labels
    assert _contacts(writable_assistant) == []  # never the wrong María
    reply = writable_assistant.follow(ANA, _option(which, "María García (C0174)"), "chat")
    assert reply.customer_id == "C0174"
    assert reply.skus == ["COF-001"]
    [contact] = _contacts(writable_assistant)
    assert (contact.customer_id, contact.sku) == ("C0174", "COF-001")


def test_a_name_nobody_has_is_not_found_and_nothing_is_drafted(
    writable_assistant: Assistant,
) -> None:
    writable_assistant.answer(ANA, "who is Hiroshi Tanaka?", "chat")

    partial = writable_assistant.answer(ANA, "draft a message to Paula Schmidt about it", "chat")
    unknown = writable_assistant.answer(ANA, "write to Zyxwv Qorth about the AeroPress", "chat")

    assert partial.intent == Intent.not_found
    assert "Paula Schmidt" in partial.text
    assert unknown.intent == Intent.not_found
    assert "Zyxwv" in unknown.text
    assert _contacts(writable_assistant) == []


def test_a_request_naming_nobody_asks_and_never_assumes(writable_assistant: Assistant) -> None:
    writable_assistant.answer(ANA, "who is Hiroshi Tanaka?", "chat")

    reply = writable_assistant.answer(ANA, "draft a message about the AeroPress", "chat")

    assert reply.text.startswith("Who should I write to?")
    assert reply.labels == ["✉ Hiroshi Tanaka"]
    assert _contacts(writable_assistant) == []


# --- how a request is typed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "tell Nikos Georgiou his grinder is ready for pickup",
        "let Nikos Georgiou know his order is ready to collect",
        "avísale a Nikos Georgiou que su pedido está listo para recoger",
        "dile a Nikos Georgiou que su pedido está listo",
        "Nikos Georgiou'ya siparişinin hazır olduğunu söyle",
        "Nikos Georgiou'ya siparişinin hazır olduğunu haber verir misin",
        "πες στον Νίκο Γεωργίου ότι η παραγγελία του είναι έτοιμη",
        "ειδοποίησε τον Νίκο Γεωργίου ότι η παραγγελία του είναι έτοιμη",
        "sag Nikos Georgiou, dass seine Bestellung abholbereit ist",
        "gib Nikos Georgiou Bescheid, dass seine Bestellung abholbereit ist",
    ],
)
def test_telling_a_customer_their_order_is_ready_drafts_a_service_message_not_a_note(
    writable_assistant: Assistant, text: str
) -> None:
    with Session(writable_assistant.engine) as db:
        notes = len(db.exec(select(Note)).all())

    reply = writable_assistant.answer(ANA, text, "chat")

    assert reply.intent == Intent.draft, reply.text
    [contact] = _contacts(writable_assistant)
    assert (contact.customer_id, contact.purpose) == ("C0025", "service")
    with Session(writable_assistant.engine) as db:
        assert len(db.exec(select(Note)).all()) == notes


@pytest.mark.parametrize(
    ("question", "asked", "customer_id", "sku"),
    [
        ("who is Çağla?", "draft her a message about the Chemex", "C0039", "COF-006"),
        ("who is Çağla?", "whatsapp her abt the chemex", "C0039", "COF-006"),
        ("¿quién es María López?", "escríbele que su pedido está listo", "C0011", None),
        ("Hiroshi Tanaka kim?", "ona siparişinin hazır olduğunu söyle", "C0154", None),
        (
            "ποιος είναι ο Νίκος Γεωργίου;",
            "πες του ότι η παραγγελία του είναι έτοιμη",
            "C0025",
            None,
        ),
        ("wer ist Maria López?", "gib ihr Bescheid, dass ihre Bestellung da ist", "C0011", None),
    ],
)
def test_a_pronoun_writes_to_the_customer_just_discussed(
    writable_assistant: Assistant, question: str, asked: str, customer_id: str, sku: str | None
) -> None:
    writable_assistant.answer(ANA, question, "chat")

    reply = writable_assistant.answer(ANA, asked, "chat")

    assert reply.intent == Intent.draft, reply.text
    [contact] = _contacts(writable_assistant)
    assert (contact.customer_id, contact.sku) == (customer_id, sku)


@pytest.mark.parametrize(
    ("text", "customer_id", "sku"),
    [
        ("msg Wei Zhang abt the kenya coffee", "C0041", "COF-015"),
        ("write Amélie Dubois about the Kenya Nyeri coffee", "C0006", "COF-015"),
        ("pls txt Hiroshi Tanaka that his order is ready", "C0154", None),
        ("wa María López abt the aeropress", "C0011", "COF-001"),
        ("write María López a quick msg about the Chemex", "C0011", "COF-006"),
        ("mándale un msj a Wei Zhang sobre el café Kenya Nyeri", "C0041", "COF-015"),
        ("Wei Zhang'a Kenya Nyeri hakkında msj at", "C0041", "COF-015"),
        ("στείλε μνμ στον Wei Zhang για το Kenya Nyeri", "C0041", "COF-015"),
        ("schreib Wei Zhang ne Nachricht über den Kenya Nyeri", "C0041", "COF-015"),
    ],
)
def test_a_request_typed_in_short_on_a_phone_drafts_for_the_customer_named(
    writable_assistant: Assistant, text: str, customer_id: str, sku: str | None
) -> None:
    reply = writable_assistant.answer(ANA, text, "chat")

    assert reply.intent == Intent.draft, reply.text
    [contact] = _contacts(writable_assistant)
    assert (contact.customer_id, contact.sku) == (customer_id, sku)


@pytest.mark.parametrize(
    ("text", "customer_id", "sku"),
    [
        ("çağlaya kahve hakkında bi mesaj yazar mısın", "C0039", None),
        ("çağlaya siparişinin hazır olduğunu söyler misin", "C0039", None),
        ("Çağla-ya mesaj yaz", "C0039", None),
        ("hiroshiye chemex hakkında mesaj yaz", "C0154", "COF-006"),
        ("nikos georgiouya siparişinin hazır olduğunu söyle", "C0025", None),
        ("sms ile çağlaya siparişinin hazır olduğunu bildir", "C0039", None),
    ],
)
def test_a_turkish_name_in_lower_case_with_its_ending_is_the_customer_not_the_one_before(
    writable_assistant: Assistant, text: str, customer_id: str, sku: str | None
) -> None:
    writable_assistant.answer(ANA, "who is Emre Öztürk?", "chat")

    reply = writable_assistant.answer(ANA, text, "chat")

    assert reply.intent == Intent.draft, reply.text
    assert reply.customer_id == customer_id
    [contact] = _contacts(writable_assistant)
    assert (contact.customer_id, contact.sku) == (customer_id, sku)


# --- which product ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("about the new AeroPress", "COF-001"),
        ("about the AeroPress filters", "COF-004"),
        ("about the Chemex", "COF-006"),
        ("about the Chemex filters", "COF-007"),
        ("the Hario V60 dripper is back", "COF-002"),
        ("about the linen duvet cover", "HOM-001"),
        ("about the Kenya Nyeri coffee", "COF-015"),
        ("about the kenya coffee", "COF-015"),
        ("his grinder is ready", "COF-005"),
        ("about COF-010", "COF-010"),
        ("sobre la AeroPress", "COF-001"),
        ("AeroPress'in geldiğini", "COF-001"),
        ("για το Chemex", "COF-006"),
        ("über die Hario V60 Drip Scale", "COF-010"),
    ],
)
def test_a_product_named_by_its_distinctive_words_is_the_drafts(
    assistant: Assistant, text: str, sku: str
) -> None:
    named = named_product(assistant.catalogue.products, text, frozenset({"new", "about"}))

    assert (named.sku, named.closest) == (sku, ())


@pytest.mark.parametrize(
    ("text", "closest"),
    [
        # No linen sheets in the store: three linen products, none named more than the others.
        ("the linen sheets he asked for", LINEN),
        # Linen is no word of the bath towel's name, nor towels of the linen products'.
        ("the linen bath towels", LINEN),
        ("the Christy towels", CHRISTY),
        ("las toallas Christy", CHRISTY),
        ("Hygro havlusunun", CHRISTY),
        ("οι πετσέτες Christy", CHRISTY),
        ("die Christy Handtücher", CHRISTY),
        (
            "the Brooks Ghost",
            ["Brooks Ghost 16 Running Shoe (Men)", "Brooks Ghost 16 Running Shoe (Women)"],
        ),
        ("the Teema", ["Iittala Teema Mug 0.3 L", "Iittala Teema Plate 26 cm"]),
        ("the boot she wanted", None),
        ("the V60", None),
        ("the knife", None),
        ("the Aesop", None),
        ("the AeroPress and the Chemex", None),
    ],
)
def test_a_product_named_only_partly_or_alike_with_others_is_not_the_drafts(
    assistant: Assistant, text: str, closest: list[str] | None
) -> None:
    products = assistant.catalogue.products

    named = named_product(products, text, frozenset())

    assert named.sku is None
    offered = [products.products[sku].name for sku in named.closest]
    assert 2 <= len(offered) <= 3
    if closest is not None:
        assert sorted(offered) == sorted(closest)


def test_a_product_nobody_named_clearly_is_left_out_and_offered_to_write_it_again(
    writable_assistant: Assistant,
) -> None:
    reply = writable_assistant.answer(
        ANA,
        "write a whatsapp to Søren Kjær that the linen sheets he asked for are back in stock",
        "chat",
    )

    assert reply.intent == Intent.draft
    assert "I couldn't tell which product you meant, so the message names none." in reply.text
    [contact] = _contacts(writable_assistant)
    assert (contact.customer_id, contact.purpose, contact.sku) == ("C0143", "service", None)
    assert "the item you asked for is back in stock" in contact.text
    assert not any(name in contact.text for name in LINEN)
    offered = [label for label in reply.labels if label.startswith("✉ ")]
    assert sorted(offered) == [f"✉ {name}" for name in sorted(LINEN)], reply.labels
    again = writable_assistant.follow(ANA, _option(reply, "✉ Linen Duvet Cover 200x200"), "chat")
    assert again.intent == Intent.draft
    assert again.skus == ["HOM-001"]
    assert "Linen Duvet Cover 200x200 is back in stock" in again.text
    assert _contacts(writable_assistant)[-1].purpose == "service"


@pytest.mark.parametrize(
    "text",
    [
        "tell María López the linen bath towels she asked for are back in stock",
        "dile a María López que las toallas Christy que pidió ya volvieron",
        "María López'e Hygro havlusunun tekrar geldiğini söyle",
        "πες στη Μαρία López ότι οι πετσέτες Christy ξαναήρθαν",
        "sag María López, dass die Christy Handtücher wieder da sind",
        "write to María López about the Teema",
    ],
)
def test_a_near_miss_product_is_never_named_in_the_message(
    writable_assistant: Assistant, text: str
) -> None:
    reply = writable_assistant.answer(ANA, text, "chat")

    assert reply.intent == Intent.draft, reply.text
    [contact] = _contacts(writable_assistant)
    assert (contact.customer_id, contact.sku) == ("C0011", None)
    assert reply.skus == []
    assert len([o for o in reply.options if o.intent == Intent.draft]) >= 2
    again = writable_assistant.follow(ANA, reply.options[-1], "chat")
    assert again.skus == [_contacts(writable_assistant)[-1].sku]
    assert again.skus[0] is not None


def test_which_customer_also_says_the_product_was_not_clear(
    writable_assistant: Assistant,
) -> None:
    reply = writable_assistant.answer(
        ANA, "tell María the linen sheets she asked for are back", "chat"
    )

    assert reply.intent == Intent.clarify
    assert "I couldn't tell which product you meant" in reply.text
    picked = writable_assistant.follow(ANA, _option(reply, "Maria López (C0011)"), "chat")
    [contact] = _contacts(writable_assistant)
    assert (contact.customer_id, contact.sku, contact.purpose) == ("C0011", None, "service")
    assert picked.intent == Intent.draft


# --- nobody found ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("write to leopoldina about the Chemex", "leopoldina"),
        ("tell zorbaxx his order is ready", "zorbaxx"),
        ("avísale a Zorbax que su pedido está listo", "Zorbax"),
        ("zorbaxa siparişinin hazır olduğunu söyle", "zorbaxa"),
        ("πες στον Ζορμπάξ ότι η παραγγελία του είναι έτοιμη", "Ζορμπάξ"),
        ("sag Zorbax, dass seine Bestellung da ist", "Zorbax"),
    ],
)
def test_a_draft_request_for_someone_the_store_does_not_know_says_so(
    writable_assistant: Assistant, text: str, unknown: str
) -> None:
    reply = writable_assistant.answer(ANA, text, "chat")

    assert reply.intent == Intent.not_found, reply.text
    assert unknown in reply.text
    assert _contacts(writable_assistant) == []


def test_a_request_about_a_product_naming_nobody_asks_whom_to_write_to(
    writable_assistant: Assistant,
) -> None:
    reply = writable_assistant.answer(ANA, "escribe a pedrito sobre la Chemex", "chat")

    assert reply.intent == Intent.draft
    assert reply.options == []
    assert _contacts(writable_assistant) == []


# --- what is no draft request -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "what did María López buy last time?",
        "note for Hiroshi: wants a message when the grinder is back",
        "remember that Hiroshi wants a message when the grinder is back",
        "message history of María López?",
        "email of María López?",
        "email της Ελένης Παππά;",  # hers, in the genitive
        "email de Lucía Ferrer?",
        "E-Mail von Frau Brandt?",
        "write to Ana's file: training for a marathon",
        "γράψε στον Νίκο Γεωργίου: μετακόμισε και φτιάχνει καινούρια κουζίνα",
        "Çağla'ya not yaz: mutfak tadilatı",
        "Hiroshi'nin siparişi hazır mı?",
        "did we send María López a message?",
        "¿Qué compró María López?",
        "tips for selling the Aeropress?",
        "tell me about María López",
        "can you tell me how much María López spent?",
        "let me know what María López bought",
        "what do I tell her about the grinder?",
        "write my essay on climate change, 500 words",
        "write down that Hiroshi's partner loves candles",
        "tell Nikos: moved house",
        "dime qué compró María López",
        "bana Çağla'nın ne aldığını söyle",
        "Çağla'nın ne aldığını söyler misin",
        "Çağla'ya kampanya mesajı atabilir miyiz, izni var mı?",
        "πες μου για τη Μαρία López",
        "πες μου ένα ανέκδοτο",
        "sag mir, was Maria gekauft hat",
        "Was sag ich ihr?",
        "schreib auf, dass Frau Weber nur vormittags Zeit hat",
        "schreib es auf, dass Jonas die Jacke umtauschen will",
        "schreib bitte auf, dass Frau Weber nur vormittags Zeit hat",
    ],
)
def test_questions_and_notes_are_no_draft_requests(text: str) -> None:
    assert read_request(text) is None


def test_no_question_or_note_of_the_development_sets_is_a_draft_request() -> None:
    # The sets worked on; the held-out and unread sets are measured by the benchmark only.
    files = [
        *ROOT.glob("bench/data/*.jsonl"),
        *(f for f in ROOT.glob("bench/data/dev*/*.jsonl") if f.parent.name not in UNREAD_SETS),
    ]
    rows = [json.loads(line) for f in files for line in f.read_text().splitlines() if line]
    asked = [(row.get("id"), row.get("text") or row.get("question")) for row in rows]
    drafts = [qid for qid, text in asked if text and read_request(text) is not None]
    # Read as a message to her by the words' plain sense, whatever the writer's label:
    # "γράψε στη Σοφία ότι…" is "write TO Sofia that her order came" (a note would be "για").
    drafts = [qid for qid in drafts if qid not in {"dev61-113"}]

    count = len(asked)  # a count: a failing assertion shows its operands, never the questions

    assert count > 1000
    # Ids only: the held-out and measure sets' questions are never shown.
    assert drafts == []


def test_a_question_or_a_note_through_the_assistant_drafts_nothing(
    writable_assistant: Assistant,
) -> None:
    bought = writable_assistant.answer(ANA, "what did María López buy last time?", "chat")
    noted = writable_assistant.answer(
        ANA, "note for Hiroshi: wants a message when the grinder is back", "chat"
    )
    personal = writable_assistant.answer(ANA, "write an email to my boss", "other")
    team = writable_assistant.answer(ANA, "tell the team the meeting is at 5", "other")

    assert bought.intent == Intent.history
    assert noted.intent == Intent.note
    assert personal.intent == Intent.unknown
    assert team.intent == Intent.unknown
    assert _contacts(writable_assistant) == []


# --- Telegram -----------------------------------------------------------------------------------


def _keyboard(message: dict[str, Any]) -> list[dict[str, str]]:
    markup = message["reply_markup"]
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return [button for row in markup["inline_keyboard"] for button in row]


async def test_telegram_shows_the_whatsapp_link_and_mark_as_sent_logs_the_contact(
    telegram: Telegram, bot_assistant: Assistant
) -> None:
    [draft] = await telegram.say(ASSOCIATE, "draft a message to María López about the AeroPress")
    buttons = _keyboard(draft)
    [whatsapp] = [b for b in buttons if "url" in b]
    press = next(b["callback_data"] for b in buttons if b["text"] == "Mark as sent (WhatsApp)")

    [sent] = await telegram.press(ASSOCIATE, press)

    assert "<b>Marketing message to Maria López, in Spanish:</b>" in draft["text"]
    assert whatsapp["text"] == "Open in WhatsApp"
    assert whatsapp["url"].startswith("https://wa.me/34626512204?text=Hola%2C%20Maria")
    assert "Logged: sent to Maria López by WhatsApp" in sent["text"]
    [contact] = _contacts(bot_assistant)
    assert (contact.telegram_id, contact.associate_name, contact.store) == (
        ASSOCIATE,
        "Ana",
        "S01",
    )
    assert (contact.channel, contact.sent_at) == ("whatsapp", DEMO_NOW)


def test_outcomes_attribute_a_purchase_after_a_contact_to_its_associate_and_list(
    writable_assistant: Assistant,
    writable_dir: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import timedelta

    from bot.cli import main
    from storage.models import Purchase

    listed = writable_assistant.answer(ANA, "who hasn't been in for a while?", "chat")
    button = next(o for o in listed.options if o.intent == Intent.draft)
    draft = writable_assistant.follow(ANA, button, "chat")
    writable_assistant.follow(ANA, draft.options[0], "chat")
    [contact] = _contacts(writable_assistant)
    with Session(writable_assistant.engine) as db:
        # The customer comes back 5 days after the message (a purchase 20 days after would
        # be outside ATTRIBUTION_DAYS).
        for order, days in (("BACK-1", 5), ("LATE-1", 20)):
            db.add(
                Purchase(
                    order_id=order,
                    customer_id=contact.customer_id,
                    sku="COF-001",
                    quantity=1,
                    unit_price=30.0,
                    purchased_at=DEMO_NOW + timedelta(days=days),
                )
            )
        db.commit()
    monkeypatch.chdir(writable_dir)
    monkeypatch.setenv("DATA_DIR", str(writable_dir))

    assert main(["outcomes", "--date", "2026-11-30", "--days", "30", "--json"]) == 0

    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by = {(row["by"], row["key"]): row for row in rows}
    assert (by[("associate", "Ana")]["contacts"], by[("associate", "Ana")]["buyers"]) == (1, 1)
    assert by[("associate", "Ana")]["orders"] == 1
    assert by[("associate", "Ana")]["revenue"] == 30.0
    assert by[("list", "lapsed")]["buyers"] == 1


def test_a_request_to_write_to_the_formal_form_of_a_name_offers_its_familiar_holders(
    writable_assistant: Assistant,
) -> None:
    # "Nikolaos" is the name both Nikos of the store go by: which of them, never nobody.
    reply = writable_assistant.answer(ANA, "write to nikolaos about the Chemex", "chat")

    assert reply.intent == Intent.clarify
    assert "Nikos Georgiou" in reply.text
    assert "Nikos Papadopoulos" in reply.text


@pytest.mark.parametrize(
    ("text", "drafts"),
    [
        # "γράψε στον X ότι …" tells what X did or said: a note, not a message to X…
        ("γράψε στον Παπαδόπουλο ότι ο Ρεξ έχασε 2 κιλά", False),
        ("γράψε στον Νίκο ότι θέλει κόκκινο", False),
        # …unless it tells X her order came or is ready, or an offer.
        ("γράψε στον Νίκο Γεωργίου ότι ήρθε η παραγγελία του", True),
        ("γράψε στην κα Παππά ότι είναι έτοιμα τα γυαλιά", True),
        ("γράψε μήνυμα στον Νίκο ότι θέλει κόκκινο", True),
    ],
)
def test_greek_write_to_x_that_is_a_message_only_when_it_tells_x_news(
    text: str, drafts: bool
) -> None:
    assert (read_request(text) is not None) is drafts, text
