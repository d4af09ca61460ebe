"""Understanding an associate can trust (issue 9): never the wrong customer, honest when it
can't help, names that are also words or dates, robust edges. Real demo store, real model."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from bot.core import wording
from bot.core.assistant import Assistant, Caller
from bot.core.book import book_list, list_text
from bot.core.i18n import _, speaking
from bot.core.text import MAX_READ_CHARS, bounded
from bot.core.types import Intent, Reply
from storage.importers import import_csv
from storage.models import Note, Product, Purchase
from tests.bot.conftest import DEMO_NOW

ANA = Caller(name="Ana", role="associate", store="S01")
MARIA_LOPEZ, CAGLA, HIROSHI, NIKOS_P = "C0011", "C0039", "C0154", "C0113"
# Every demo Maria/María: a bare first name fits them all.
MARIAS = {"C0011", "C0012", "C0013"}


def _say(assistant: Assistant, session: str, *texts: str) -> list[Reply]:
    return [assistant.answer(ANA, text, session) for text in texts]


def _in(language: str, message: str) -> str:
    """A fixed text as the reply's language writes it."""
    with speaking(language):
        return _(message)


def _shows_customer_data(reply: Reply) -> bool:
    return reply.customer_id is not None or any(
        fact in reply.text for fact in ("shoe EU", "Last visit", "@example", "Notes about")
    )


# --- never the wrong customer ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "stranger", "then"),
    [
        ("who is María López?", "who is Paula Schmidt?", "what are her sizes?"),
        ("what did Hiroshi Tanaka buy?", "and Gwendolyn Okafor?", "her notes"),
        ("¿quién es María López?", "¿qué compró Paula Schmidt?", "¿y sus tallas?"),
        ("Çağla Yılmaz kim?", "Ayten Korkmazoğlu ne aldı?", "onun bedenleri?"),
    ],
)
def test_a_name_nobody_has_is_not_found_and_the_customer_before_is_forgotten(
    assistant: Assistant, first: str, stranger: str, then: str
) -> None:
    before, unknown, after = _say(assistant, f"stranger-{first}", first, stranger, then)

    assert before.customer_id is not None
    assert unknown.intent == Intent.not_found
    assert unknown.customer_id is None
    assert not _shows_customer_data(unknown)
    # "her" no longer means the customer discussed before the stranger.
    assert after.customer_id is None
    assert not _shows_customer_data(after)


@pytest.mark.parametrize(
    ("first", "ambiguous", "then"),
    [
        ("who is Hiroshi Tanaka?", "what did Maria buy?", "and her sizes?"),
        ("Nikos Papadopoulos kim?", "Maria ne aldı?", "onun bedenleri?"),
    ],
)
def test_after_an_unanswered_which_one_a_pronoun_asks_again(
    assistant: Assistant, first: str, ambiguous: str, then: str
) -> None:
    before, which, after = _say(assistant, f"which-{first}", first, ambiguous, then)

    assert before.customer_id in {HIROSHI, NIKOS_P}
    assert which.intent == Intent.clarify
    assert after.customer_id is None
    assert after.intent == Intent.clarify
    assert {o.value for o in after.options} == {o.value for o in which.options}


@pytest.mark.parametrize(
    ("text", "number", "language"),
    [
        ("who has the phone 0999 111 2233?", "0999 111 2233", "en"),
        ("¿de quién es el +34 699 000 111?", "+34 699 000 111", "es"),
    ],
)
def test_a_phone_number_nobody_has_says_so(
    assistant: Assistant, text: str, number: str, language: str
) -> None:
    before, reply = _say(assistant, f"phone-{text}", "who is María López?", text)

    assert before.customer_id == MARIA_LOPEZ
    assert reply.intent == Intent.not_found
    assert reply.language == language
    with speaking(language):
        assert reply.text == wording.no_contact_text("phone", number)
    assert reply.customer_id is None


def test_a_pronoun_follow_up_stays_with_the_customer(assistant: Assistant) -> None:
    replies = _say(
        assistant, "follow", "who is María López?", "what did she buy last time?", "and in 2025?"
    )

    assert [r.customer_id for r in replies] == [MARIA_LOPEZ] * 3


# --- honest when it can't help -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "will it rain this afternoon?",
        "call me an uber to the airport",
        "¿quién ganó el partido del Madrid?",
        "yarın hava nasıl olacak?",
        "γράψε μου ένα ποίημα",
        "Wie viel ist 17 mal 23?",
    ],
)
def test_out_of_scope_gets_one_sentence_and_nothing_from_the_store(
    assistant: Assistant, text: str
) -> None:
    # Even in a conversation about a customer and a product.
    _say(assistant, f"oos-{text}", "who is María López?")
    reply = assistant.answer(ANA, text, f"oos-{text}")

    assert reply.intent == Intent.unknown
    assert reply.text == _in(reply.language, wording.OUT_OF_SCOPE)
    assert not reply.skus
    assert not reply.tip_ids
    assert not _shows_customer_data(reply)


@pytest.mark.parametrize(
    "text",
    [
        "is the Bialetti Moka in stock?",
        "¿queda stock de la Chemex en el almacén?",
        "depoda kaç adet V60 var?",
        "έχουμε απόθεμα από την AeroPress;",
        "Ist die Aeropress noch auf Lager?",
        "how many V60 filters are left in the warehouse",
    ],
)
def test_a_stock_question_says_stock_is_not_seen_and_shows_no_product(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"stock-{text}")

    assert reply.intent == Intent.unknown
    assert reply.text == _in(reply.language, wording.NO_STOCK)
    assert not reply.skus
    assert not reply.tip_ids


@pytest.mark.parametrize(
    "text",
    [
        "Hiroshi Tanaka just bought the AeroPress, where's the nearest cash machine?",
        "la clienta de la cafetera pregunta dónde puede aparcar cerca",
        "AeroPress alan müşteri için taksi çağırır mısın",
    ],
)
def test_an_errand_with_a_product_in_passing_is_off_topic(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"errand-{text[:20]}")

    assert reply.intent == Intent.unknown
    assert reply.text == _in(reply.language, wording.OUT_OF_SCOPE)
    assert not reply.skus
    assert not reply.tip_ids
    # A customer named stays the one discussed, but nothing of hers is shown.
    assert reply.customer_id == (HIROSHI if "Hiroshi" in text else None)


def test_an_errand_naming_a_place_after_a_surname_keeps_the_customer_discussed(
    assistant: Assistant,
) -> None:
    # Duarte Santos is a customer; "the Santos hotel" is a place, not him.
    first, errand, sizes = _say(
        assistant,
        "errand-santos",
        "what did María García buy?",
        "book a taxi to the Santos hotel",
        "and her sizes?",
    )

    assert errand.intent == Intent.unknown
    assert errand.customer_id is None
    assert sizes.customer_id == first.customer_id


def test_after_an_errand_for_a_named_customer_a_pronoun_is_about_her(
    assistant: Assistant,
) -> None:
    errand, sizes = _say(
        assistant,
        "errand-then-sizes",
        "can you call a taxi for Hiroshi Tanaka? he has heavy bags",
        "what are his sizes?",
    )

    assert errand.intent == Intent.unknown
    assert errand.text == _in(errand.language, wording.OUT_OF_SCOPE)
    assert (sizes.intent, sizes.customer_id) == (Intent.sizes, HIROSHI)


@pytest.mark.parametrize(
    "text",
    [
        "can you book a taxi for Maria, she has heavy bags",
        "María pregunta dónde está la farmacia más cercana",
        "Maria sucht eine Apotheke, wo ist die nächste?",
    ],
)
def test_an_errand_naming_a_shared_first_name_asks_no_which_one(
    assistant: Assistant, text: str
) -> None:
    # Three customers are called Maria: the answer is "I can't do that" whichever is meant.
    reply = assistant.answer(ANA, text, f"errand-maria-{text[:12]}")

    assert reply.intent == Intent.unknown
    assert [o.intent for o in reply.options] == [Intent.help]
    assert not _shows_customer_data(reply)


def test_a_note_that_mentions_stock_is_still_saved(writable_assistant: Assistant) -> None:
    reply = writable_assistant.answer(
        ANA, "nota para María López: avisarle cuando haya stock de la Chemex", "stock-note"
    )

    assert (reply.intent, reply.customer_id) == (Intent.note, MARIA_LOPEZ)


@pytest.mark.parametrize(
    "text",
    [
        "Maria López pidió algo, alguien lo dejó anotado?",
        "Maria López için not düşülmüş müydü",
        "κράτησε κανείς σημείωση για τη Μαρία López;",
        "hat jemand was zu Maria López notiert?",
        "did anyone write something down about Maria López?",
        # Asked with no question mark, or with one in the middle.
        "q tenemos apuntado de Maria López",
        "hay algo escrito de Maria López? no quiero meter la pata",
        "was steht bei Maria López in den Notizen",
    ],
)
def test_asking_whether_something_was_noted_reads_the_notes_and_saves_nothing(
    writable_assistant: Assistant, text: str
) -> None:
    reply = writable_assistant.answer(ANA, text, f"noted-{text}")

    assert (reply.intent, reply.customer_id) == (Intent.notes, MARIA_LOPEZ)
    again = writable_assistant.answer(ANA, text, f"noted-again-{text}")
    assert again.text == reply.text  # no note was added by asking


@pytest.mark.parametrize(
    "text",
    [
        "Hiroshi Tanaka is here, he's setting up a home office, any ideas?",
        "¿qué le muestro a Hiroshi Tanaka? busca un regalo para su mujer",
        "Hiroshi Tanaka Bey'e ne önerirsin, kampa gidecekmiş",
        "τι να του δείξω του Hiroshi Tanaka; ψάχνει δώρο",
        "Herr Tanaka sucht was fürs Büro, was kann ich ihm zeigen?",
    ],
)
def test_asking_for_ideas_for_a_customer_gets_recommendations(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"ideas-{text[:20]}")

    assert (reply.intent, reply.customer_id) == (Intent.recommend, HIROSHI)


@pytest.mark.parametrize(
    ("text", "saved"),
    [
        ("Hiroshi Tanaka is left-handed, jot that down", "Hiroshi Tanaka is left-handed"),
        ("Hiroshi Tanaka prefiere que le llamen por la tarde, apúntalo", "por la tarde"),
        ("Hiroshi Tanaka Bey'in faturalı ödeme istediğini yaz", "faturalı ödeme"),
        ("ο Hiroshi Tanaka θέλει συσκευασία δώρου, σημείωσε το", "συσκευασία δώρου"),
        ("Hiroshi Tanaka zahlt nur bar, bitte festhalten", "zahlt nur bar"),
    ],
)
def test_a_command_to_save_anywhere_in_the_message_saves_the_note(
    writable_assistant: Assistant, text: str, saved: str
) -> None:
    reply = writable_assistant.answer(ANA, text, f"save-anywhere-{text[:24]}")

    assert (reply.intent, reply.customer_id) == (Intent.note, HIROSHI)
    with Session(writable_assistant.engine) as db:
        notes = db.exec(select(Note.text).where(Note.customer_id == HIROSHI)).all()
    assert any(saved in note for note in notes)


@pytest.mark.parametrize(
    "text",
    [
        "which customers haven't come in since the summer?",
        "any birthdays coming up this week?",
        "list my top spenders",
        "¿qué clientes VIP tengo?",
        "bu ay hangi müşterileri aramalıyım?",
        "Welche Kunden waren lange nicht mehr da?",
    ],
)
def test_questions_about_many_customers_are_not_answered_with_one(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"lists-{text}")

    assert reply.intent == Intent.lists
    # a list (bot.core.book) or, for a list not built yet, what lists there are
    assert (
        reply.text.startswith("•")
        or "\n•" in reply.text
        or reply.text == _in(reply.language, wording.CANNOT_LIST)
    )
    assert not reply.skus
    assert not reply.tip_ids
    assert reply.customer_id is None


@pytest.mark.parametrize(
    "text",
    [
        "a quién le toca reponer café?",
        "tekrar kahve alması gerekenler",
        "doğum günleri gelecek hafta",
        # In the plural, after a customer: the list still ("birthdays", not "her birthday").
        "Geburtstage nächste Woche?",
        "any birthdays coming up this month",
        "who needs to restock their coffee?",
        "¿a quién se le acaba el café?",
        "kimin kahvesi bitiyor?",
        "ποιανού τελειώνει ο καφές;",
        "wem geht bald der Kaffee aus?",
        "wer muss bald wieder Zorblax kaufen?",
    ],
)
def test_a_lists_own_words_ask_for_that_list_whatever_else_they_look_like(
    assistant: Assistant, text: str
) -> None:
    # After a customer: the list's words win over her, and over the intent model.
    _say(assistant, f"list-words-{text}", "who is María López?")
    reply = assistant.answer(ANA, text, f"list-words-{text}")

    assert reply.intent == Intent.lists
    assert reply.text != _in(reply.language, wording.CANNOT_LIST)
    assert reply.customer_id is None


@pytest.mark.parametrize(
    "text",
    [
        "tell me a joke about birthdays",
        "I'm running out of time",
        "is she due for coffee?",
        "¿ella cumple años pronto?",
        "Doğum günü ne zaman?",
        "cumpleaños?",
        "wann hat sie Geburtstag?",
        "is her birthday this month?",
        "did she buy anything this month?",
        "¿ha venido ella este mes?",
    ],
)
def test_a_lists_words_about_one_customer_or_nobody_make_no_list(
    assistant: Assistant, text: str
) -> None:
    _say(assistant, f"no-list-{text}", "who is María López?")
    reply = assistant.answer(ANA, text, f"no-list-{text}")

    assert reply.intent != Intent.lists


def test_a_product_described_but_not_named_is_answered_from_tips(assistant: Assistant) -> None:
    reply = assistant.answer(
        ANA, "what do I tell someone whose pour-over tastes sour?", "described"
    )

    assert reply.intent == Intent.product
    assert reply.tip_ids
    assert reply.customer_id is None


# --- what a question asks --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("how much did María López spend in 2025?", 2025),
        ("¿cuánto gastó María López en 2024?", 2024),
        ("Wie viel hat María López insgesamt ausgegeben?", None),
    ],
)
def test_spend_is_a_total_of_the_period(assistant: Assistant, text: str, year: int | None) -> None:
    reply = assistant.answer(ANA, text, f"spend-{text}")

    with Session(assistant.engine) as db:
        query = select(func.sum(Purchase.quantity * Purchase.unit_price)).where(
            Purchase.customer_id == MARIA_LOPEZ
        )
        if year:
            query = query.where(func.strftime("%Y", col(Purchase.purchased_at)) == str(year))
        total = db.exec(query).one() or 0.0
    assert reply.intent == Intent.spend
    assert reply.customer_id == MARIA_LOPEZ
    with speaking(reply.language):
        assert wording.money(total) in reply.text


# --- names that are words, months or dates ---------------------------------------------------


@pytest.fixture
def named_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    """The demo store plus customers whose first names are ordinary words or months."""
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "customer_id,first_name,last_name\n"
        "N1,Julio,Ramos\nN2,April,Stone\nN3,Will,Turner\nN4,Can,Öztürk\nN5,Su,Aksoy\n"
        "N6,Ay,Demir\nN7,Deniz,Kaya\nN8,Rosa,Moreno\n",
        encoding="utf-8",
    )
    purchases = tmp_path / "purchases.csv"
    purchases.write_text(
        "order_id,customer_id,sku,quantity,unit_price,purchased_at\n"
        "J1,N1,COF-001,1,39.95,2026-03-10\nJ2,N1,COF-003,2,6.50,2026-10-02\n"
        "A1,N2,COF-002,1,24.90,2026-04-20\nW1,N3,COF-004,1,7.95,2026-09-01\n"
        "C1,N4,COF-001,1,39.95,2026-08-15\nS1,N5,COF-002,1,24.90,2026-07-07\n"
        "Y1,N6,COF-004,1,7.95,2026-06-01\nD1,N7,COF-002,1,24.90,2026-11-03\n"
        "R1,N8,COF-003,1,6.50,2026-05-05\n",
        encoding="utf-8",
    )
    import_csv(writable_assistant.engine, "customers", customers)
    import_csv(writable_assistant.engine, "purchases", purchases)
    writable_assistant.refresh()
    return writable_assistant


@pytest.mark.parametrize(
    ("text", "customer", "order"),
    [
        ("what did Julio Ramos buy last time?", "N1", "J2"),
        ("¿qué compró Julio la última vez?", "N1", "J2"),
        ("what did April Stone get?", "N2", "A1"),
        ("what did Will buy?", "N3", "W1"),
        ("Su ne aldı?", "N5", "S1"),
    ],
)
def test_a_name_that_is_a_word_or_a_month_is_the_customer_not_a_date(
    named_store: Assistant, text: str, customer: str, order: str
) -> None:
    reply = named_store.answer(ANA, text, f"names-{text}")

    assert reply.intent == Intent.history
    assert reply.customer_id == customer
    assert order in reply.sources[1]


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("was hat april letztes jahr gekauft", "N2"),
        ("what did julio get last year?", "N1"),
        ("¿qué compró julio el año pasado?", "N1"),
    ],
)
def test_a_month_where_only_the_question_s_subject_stands_is_the_customer(
    named_store: Assistant, text: str, customer: str
) -> None:
    """Lower case, with another period beside it: "was hat X gekauft" has X for subject."""
    reply = named_store.answer(ANA, text, f"subject-{text}")

    assert (reply.intent, reply.customer_id) == (Intent.history, customer)


def test_a_first_name_that_is_a_word_and_shared_asks_which_one(named_store: Assistant) -> None:
    # The demo store has a Can Arslan too: "Can" is a name here, so which Can?
    reply = named_store.answer(ANA, "Can son seferde ne aldı?", "names-can")

    assert reply.intent == Intent.clarify
    assert "N4" in {o.value for o in reply.options}


def test_a_month_name_still_dates_the_question_of_a_month_named_customer(
    named_store: Assistant,
) -> None:
    reply = named_store.answer(ANA, "what did Julio Ramos buy in March?", "julio-march")

    assert reply.customer_id == "N1"
    assert "March" in reply.text
    assert "AeroPress Original" in reply.text


@pytest.mark.parametrize(
    ("text", "intent", "customer"),
    [
        # The same word twice: one is her, the other the month.
        ("What did April buy in April?", Intent.history, "N2"),
        ("¿qué le enseño a Julio? se va de viaje en julio", Intent.recommend, "N1"),
        # Capitalised inside the sentence; "can" in lower case is no Can.
        ("what can I show Will today? he loves espresso", Intent.recommend, "N3"),
        ("wie viel hat Deniz ausgegeben?", Intent.spend, "N7"),
        # A Turkish suffix after an apostrophe goes only on proper nouns.
        ("Deniz'in aldıkları", Intent.history, "N7"),
        # A month beside another customer's word-name is the month.
        ("how much did Will spend in April?", Intent.spend, "N3"),
        # Opening the message as its subject, surely about a person.
        ("Deniz ilk defa geldi, ne önerebilirim?", Intent.recommend, "N7"),
        ("Ay devolvió el molinillo o se lo quedó?", Intent.history, "N6"),
        # Typed in full, in lower case: both ordinary words, together her name.
        ("qué compró rosa moreno la última vez", Intent.history, "N8"),
        ("algo que deba saber de rosa moreno antes de atenderla", Intent.notes, "N8"),
        ("rosa moreno viene hoy, qué le enseño", Intent.recommend, "N8"),
        # A command to save a note is about a customer: a capitalised word-name is hers.
        ("Rosa hat 20 Euro angezahlt für die Mühle, bitte festhalten", Intent.note, "N8"),
        ("hatırla: Deniz cuma günü filtreleri almaya gelecek", Intent.note, "N7"),
        ("Will paid a deposit on the grinder, put it on file", Intent.note, "N3"),
    ],
)
def test_a_word_name_typed_as_a_name_is_the_customer(
    named_store: Assistant, text: str, intent: Intent, customer: str
) -> None:
    reply = named_store.answer(ANA, text, f"typed-{text}")

    assert (reply.intent, reply.customer_id) == (intent, customer)


def test_of_a_month_name_typed_twice_one_dates_the_question(named_store: Assistant) -> None:
    reply = named_store.answer(ANA, "What did April buy in April?", "april-april")

    assert "April 2026" in reply.text
    assert "A1" in reply.sources[1]
    reply = named_store.answer(ANA, "What did April buy in March?", "april-march")
    assert "A1" not in " ".join(reply.sources)


@pytest.mark.parametrize(
    "text",
    [
        "can you help me with the AeroPress?",
        "will the V60 fit a Chemex filter?",
        "Can I get the AeroPress in another colour?",  # opens it, but as a verb
    ],
)
def test_an_ordinary_word_is_no_customer_when_nobody_is_asked_about(
    named_store: Assistant, text: str
) -> None:
    reply = named_store.answer(ANA, text, f"word-{text}")

    assert reply.customer_id is None
    assert reply.intent == Intent.product


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("apunta que Juanpa ha probado la V60 y le ha encantado", "Juanpa"),
        ("note that Bertie tried the AeroPress and loved it", "Bertie"),
        ("σημείωσε ότι ο Μπάμπης πήρε δείγμα καφέ", "Μπάμπης"),
    ],
)
def test_a_note_opened_by_its_command_is_a_note_whoever_it_names(
    named_store: Assistant, text: str, name: str
) -> None:
    # Nobody here goes by that name: the note is not saved on anyone, and no product tips.
    reply = named_store.answer(ANA, text, f"note-{text}")

    assert reply.intent in (Intent.note, Intent.not_found)
    assert name in reply.text
    assert reply.customer_id is None
    assert not reply.skus


@pytest.mark.parametrize(
    "text",
    ["Can the customer return the AeroPress she bought?", "Will someone check the V60 stock?"],
)
def test_an_opening_auxiliary_verb_is_no_customer(named_store: Assistant, text: str) -> None:
    reply = named_store.answer(ANA, text, f"aux-{text}")

    assert reply.customer_id is None
    assert reply.intent != Intent.clarify


# --- robust edges --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["👍", "🙂🙂🙂", "❤️ !!", "…"])
def test_emoji_only_gets_the_short_help(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"emoji-{text}")

    assert reply.intent == Intent.help
    assert reply.text == wording.SHORT_HELP


def test_a_long_paste_is_read_from_its_start_and_says_so(assistant: Assistant) -> None:
    filler = "lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 70
    reply = assistant.answer(ANA, f"who is María López? {filler}", "long-paste")

    assert len(filler) > 3_500
    assert reply.customer_id == MARIA_LOPEZ
    assert reply.notice == wording.CUT_NOTICE  # shown once, by the transport
    assert wording.CUT_NOTICE not in reply.text


def test_bounded_cuts_between_words() -> None:
    text = "word " * 300
    head, cut = bounded(text)

    assert cut
    assert len(head) <= MAX_READ_CHARS
    assert head.endswith("word")
    assert bounded("short question") == ("short question", False)


# --- what an associate trying it first found -------------------------------------------------


@pytest.mark.parametrize(
    "note",
    [
        "not ekle: banyo tadilatı ocakta bitiyor, havlu bakacak",
        "Notiz speichern: möchte über neue Trailschuhe informiert werden",
        "γράψε σημείωση: θέλει νέα παπούτσια τον Μάρτιο",
    ],
)
def test_a_note_without_a_name_is_for_the_customer_discussed(
    writable_assistant: Assistant, note: str
) -> None:
    first, saved = _say(writable_assistant, f"note-{note}", "who is Çağla Yılmaz?", note)

    assert first.customer_id == CAGLA
    assert (saved.intent, saved.customer_id) == (Intent.note, CAGLA)
    assert note.partition(":")[2].strip()[:20] in saved.text


def test_an_emoji_does_not_change_the_question(assistant: Assistant) -> None:
    plain, decorated = _say(
        assistant, "emoji-q", "when is Hiroshi Tanaka's birthday?", "🎂 when is his birthday? 🎉"
    )

    assert plain.customer_id == HIROSHI
    assert (decorated.intent, decorated.customer_id) == (plain.intent, HIROSHI)


def test_an_off_topic_request_naming_a_product_word_stays_off_topic(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "write me a poem about coffee", "poem")

    assert reply.intent == Intent.unknown
    assert not reply.skus


def test_answering_which_one_with_a_name_or_a_button_keeps_the_question(
    assistant: Assistant,
) -> None:
    which, typed = _say(assistant, "which-typed", "what did Maria buy last time?", "Maria Costa")
    pressed = assistant.follow(ANA, which.options[0], "which-typed-2")

    assert which.intent == Intent.clarify
    assert (typed.intent, typed.customer_id) == (Intent.history, "C0166")
    assert pressed.intent == Intent.history
    assert pressed.customer_id == which.options[0].value


def test_spend_on_a_category_counts_only_that_category(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "how much did María López spend on Coffee?", "spend-coffee")

    with Session(assistant.engine) as db:
        total = db.exec(
            select(func.sum(Purchase.quantity * Purchase.unit_price))
            .join(Product, col(Product.sku) == col(Purchase.sku))
            .where(Purchase.customer_id == MARIA_LOPEZ, Product.category == "Coffee")
        ).one()
    assert reply.intent == Intent.spend
    assert f"spent {wording.money(total)} on Coffee" in reply.text


def test_of_two_products_named_apart_the_first_is_the_subject(assistant: Assistant) -> None:
    # ("how do I clean her coffee dripper?", one phrase, stays one product: test_assistant.py)
    reply = assistant.answer(
        ANA, "is the Chemex a good gift for someone who already owns a Bialetti?", "two"
    )

    assert reply.intent == Intent.product
    assert reply.skus[0] == "COF-006"


def test_a_span_of_months_counts_every_month_of_it(named_store: Assistant) -> None:
    reply = named_store.answer(ANA, "what did Julio Ramos buy between March and October?", "span")

    assert reply.customer_id == "N1"
    assert "AeroPress Original" in reply.text  # March
    assert "Hario V60 Paper Filters" in reply.text  # October


@pytest.mark.parametrize(
    ("question", "kind"),
    [("did she buy any towels?", "towels"), ("how much did she spend on towels?", "towels")],
)
def test_a_kind_of_product_filters_what_she_bought(
    assistant: Assistant, question: str, kind: str
) -> None:
    # "towels": a word many product names share, so no one product is named.
    with Session(assistant.engine) as db:
        towels = db.exec(
            select(func.sum(Purchase.quantity * Purchase.unit_price))
            .join(Product, col(Product.sku) == col(Purchase.sku))
            .where(Purchase.customer_id == MARIA_LOPEZ, col(Product.name).contains("Towel"))
        ).one()
    _, reply = _say(assistant, f"kind-{question}", "who is María López?", question)

    assert reply.customer_id == MARIA_LOPEZ
    assert kind in reply.text
    assert all("Towel" in line for line in reply.text.splitlines() if line.startswith("•"))
    if reply.intent == Intent.spend:
        assert wording.money(towels) in reply.text


# --- products described in the associate's language; the line between intents -------------------


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        # the catalogue is in English; the question describes the product in Spanish/Turkish
        ("la sartén de acero al carbono se pone negra, es normal?", "KIT-012"),
        ("büyük mikser çok pahalı diyor, ne söylerim", "KIT-008"),
        ("die Pfanne aus Karbonstahl wird schwarz, ist das normal?", "KIT-012"),
    ],
)
def test_a_product_described_in_another_language_is_found(
    assistant: Assistant, text: str, sku: str
) -> None:
    reply = assistant.answer(ANA, text, f"described-{sku}")

    assert reply.intent == Intent.product
    assert reply.skus[:1] == [sku]


@pytest.mark.parametrize(
    ("text", "customer_id", "sku"),
    [
        (
            "María López mira la camiseta Icebreaker pero dice que pica, qué le digo",
            MARIA_LOPEZ,
            "APP-001",
        ),
        ("Çağla Yılmaz Hoka koşu ayakkabısını deniyor, ne anlatayım?", CAGLA, "FTW-004"),
    ],
)
def test_a_product_question_with_the_customer_there_is_about_the_product_and_her(
    assistant: Assistant, text: str, customer_id: str, sku: str
) -> None:
    reply = assistant.answer(ANA, text, f"with-{customer_id}")

    assert reply.intent == Intent.product
    assert reply.skus[:1] == [sku]
    # the conversation stays with her: "and her sizes?" next is about her
    assert reply.customer_id == customer_id


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("do we have any cast iron pans?", "KIT-001"),
        ("bizde döküm tava var mı?", "KIT-001"),
        ("führen wir Leinenbettwäsche?", "HOM-001"),
    ],
)
def test_asking_whether_we_carry_a_product_shows_the_one_we_carry(
    assistant: Assistant, text: str, sku: str
) -> None:
    reply = assistant.answer(ANA, text, f"carry-{sku}")

    assert reply.intent == Intent.product
    assert reply.skus[:1] == [sku]


@pytest.mark.parametrize(
    "text",
    [
        "do we have a staff meeting today?",
        "haben wir heute Spätschicht?",
        # the staff room's coffee and cake are not the coffee and the mixer we sell
        "is there any cake left in the kitchen?",
        "haben wir Kaffee im Pausenraum?",
        "tenemos café en la sala de descanso?",
        "is there milk left in the staff room?",
        "personel odasında çay var mı?",
    ],
)
def test_asking_whether_we_have_something_that_is_no_product_stays_off_topic(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"no-carry-{text}")

    assert reply.intent == Intent.unknown
    assert not reply.skus
    assert not reply.tip_ids


@pytest.mark.parametrize(
    "text",
    ["not nasıl kaydediyorum", "müşterinin bedenlerini nasıl bulurum?", "sen neler yapabiliyosun"],
)
def test_asking_how_to_use_the_assistant_gets_help_even_loosely_typed(
    assistant: Assistant, text: str
) -> None:
    assert assistant.answer(ANA, text, f"how-{text}").intent == Intent.help


@pytest.mark.parametrize(
    "text",
    [
        "¿cómo puedo pedir vacaciones?",
        "πώς μπορώ να πάρω άδεια;",
        "how do I book a day off?",
        "yıllık izin nasıl alınıyor?",
        "wie kann ich Urlaub beantragen?",
    ],
)
def test_asking_how_to_do_something_else_is_no_help_request(
    assistant: Assistant, text: str
) -> None:
    # Asking for a holiday is off topic, however "how can I…" it is phrased.
    assert assistant.answer(ANA, text, f"how-else-{text}").intent == Intent.unknown


@pytest.mark.parametrize(
    "text",
    [
        "What did Zoë Clarke buy to go with the AeroPress?",
        "Hat Katrin Müller die passenden Filter zum Chemex gekauft?",
    ],
)
def test_what_she_bought_to_go_with_something_is_her_history(
    assistant: Assistant, text: str
) -> None:
    assert assistant.answer(ANA, text, f"went-with-{text}").intent == Intent.history


DEMIRS = {"C0002", "C0093", "C0094"}


@pytest.mark.parametrize(
    "text",
    [
        "dökme demir tava bulaşık makinesine girer mi",  # a cast-iron pan
        "demir döküm tencere fırına girer mi?",
    ],
)
def test_a_surname_that_is_a_product_word_is_no_customer_in_a_product_question(
    assistant: Assistant, text: str
) -> None:
    # Three customers are called Demir ("iron"): a question about an iron pan asks none of them.
    reply = assistant.answer(ANA, text, f"iron-{text}")

    assert reply.intent == Intent.product
    assert reply.customer_id is None


def test_the_same_surname_asked_about_as_a_person_is_still_the_customer(
    assistant: Assistant,
) -> None:
    full, alone = _say(assistant, "demir", "Serkan Demir ne aldı?", "Emre Demir'in bedenleri?")
    which = assistant.answer(ANA, "demir ne aldı?", "demir-alone")

    assert (full.intent, full.customer_id) == (Intent.history, "C0002")
    assert (alone.intent, alone.customer_id) == (Intent.sizes, "C0094")
    assert which.intent == Intent.clarify
    assert {o.value for o in which.options} == DEMIRS


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("María López asks whether our bicycles come with lights fitted", MARIA_LOPEZ),
        ("Hiroshi Tanaka fragt, ob die Fahrräder mit Licht geliefert werden", HIROSHI),
        ("Çağla Yılmaz bisikletlerin ışıkla gelip gelmediğini soruyor", CAGLA),
    ],
)
def test_a_product_question_for_a_customer_naming_no_product_we_know_stays_about_products(
    assistant: Assistant, text: str, customer_id: str
) -> None:
    # No bicycle in the catalogue: the associate is told so, not shown her profile, and the
    # conversation stays with her.
    reply = assistant.answer(ANA, text, f"no-product-{customer_id}")

    assert reply.intent == Intent.product
    assert reply.customer_id == customer_id
    assert not reply.skus
    assert not any(fact in reply.text for fact in ("shoe EU", "Last visit", "@example"))


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("has María López returned anything?", Intent.history),
        ("hat Hiroshi Tanaka schon mal was zurückgegeben?", Intent.history),
        ("έχει πάρει ποτέ ο Hiroshi Tanaka κάτι για καφέ;", Intent.history),
        ("Hiroshi Tanaka'nın telefon numarası neydi?", Intent.overview),
        ("how do I save a note about someone?", Intent.help),
        ("müşteriye nasıl not eklerim?", Intent.help),
    ],
)
def test_questions_near_the_line_between_two_intents(
    assistant: Assistant, text: str, intent: Intent
) -> None:
    assert assistant.answer(ANA, text, f"line-{text}").intent == intent


def test_a_greek_note_names_the_customer_in_the_accusative(writable_assistant: Assistant) -> None:
    reply = writable_assistant.answer(
        ANA, "σημείωσε για τον Νίκο Παπαδόπουλο: θέλει ενημέρωση για τον μύλο", "el-note"
    )

    assert reply.intent == Intent.note
    assert reply.customer_id == NIKOS_P


def test_a_german_noun_that_is_a_surname_is_no_customer(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "Kennst du einen guten Schneider für die Hose?", "tailor")

    assert reply.customer_id is None
    assert reply.intent not in (Intent.clarify, Intent.not_found)
    assert not _shows_customer_data(reply)


def test_a_titled_surname_is_never_the_customer_discussed_before(assistant: Assistant) -> None:
    before, titled, man, noun_then_pronoun = _say(
        assistant,
        "titled",
        "who is Hiroshi Tanaka?",
        "Gibt es Notizen zu Frau Schneider?",
        "Gibt es Notizen zu Herrn Schneider?",
        "der Fischer will wissen wie viel er ausgegeben hat",
    )

    assert before.customer_id == HIROSHI
    # three women Schneider, three men Fischer: which one, never Hiroshi
    assert titled.intent == Intent.clarify
    assert len(titled.options) == 3
    assert all("Schneider" in o.label for o in titled.options)
    assert noun_then_pronoun.intent == Intent.clarify
    assert all("Fischer" in o.label for o in noun_then_pronoun.options)
    # one man Schneider (Tobias): Herr Schneider is him
    assert man.intent == Intent.notes
    assert "Tobias Schneider" in man.text


def test_a_greek_article_tells_mr_from_ms_with_the_same_surname(assistant: Assistant) -> None:
    ms = assistant.answer(ANA, "τι αγόρασε η κυρία Καραγιάννη;", "ms")
    mr = assistant.answer(ANA, "πες μου για τον κ. Καραγιάννη", "mr")

    assert ms.customer_id == "C0106"  # Katerina Karagianni
    # two men named Karagiannis: which one, and not her
    assert mr.intent == Intent.clarify
    assert {o.value for o in mr.options} == {"C0003", "C0119"}


def test_a_period_word_is_no_customer_of_that_name(named_store: Assistant) -> None:
    # "bu ay" is "this month", not the customer Ay Demir.
    spend = named_store.answer(ANA, "Deniz Kaya bu ay ne kadar harcadı?", "bu-ay")
    titled = named_store.answer(ANA, "Ay Hanım ne almıştı?", "ay-hanim")

    assert spend.intent == Intent.spend
    assert spend.customer_id == "N7"
    assert titled.intent == Intent.history
    assert titled.customer_id == "N6"


@pytest.mark.parametrize(
    "text", ["thanks, that was really helpful!", "Danke, super Hilfe!", "ευχαριστώ πολύ!"]
)
def test_thanks_get_a_welcome_not_the_help(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"thanks-{text}")

    assert reply.intent == Intent.greeting
    assert reply.text == _in(reply.language, wording.WELCOME)


@pytest.mark.parametrize(
    "text",
    [
        "¿Cuánto ha gastado María López en lo que va de año?",
        "how much has María López spent so far this year?",
        "Wie viel hat María López seit Jahresbeginn ausgegeben?",
        "María López yıl başından beri ne kadar harcadı?",
    ],
)
def test_so_far_this_year_is_this_year(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"ytd-{text}")
    with Session(assistant.engine) as db:
        total = (
            db.exec(
                select(func.sum(Purchase.quantity * Purchase.unit_price)).where(
                    Purchase.customer_id == MARIA_LOPEZ,
                    func.strftime("%Y", col(Purchase.purchased_at)) == "2026",
                )
            ).one()
            or 0.0
        )

    assert reply.intent == Intent.spend
    with speaking(reply.language):
        assert wording.money(total) in reply.text


@pytest.mark.parametrize(
    ("text", "saved"),
    [
        (
            "Recuerda que María López prefiere que la llamen por la tarde",
            "María López prefiere que la llamen por la tarde",
        ),
        (
            "Merk dir, dass María López im März umzieht",
            "María López im März umzieht",
        ),
    ],
)
def test_a_note_in_free_words_saves_what_to_remember_not_the_request(
    writable_assistant: Assistant, text: str, saved: str
) -> None:
    reply = writable_assistant.answer(ANA, text, f"free-note-{text}")

    assert reply.intent == Intent.note
    assert reply.customer_id == MARIA_LOPEZ
    with Session(writable_assistant.engine) as db:
        newest = db.exec(
            select(Note).where(Note.customer_id == MARIA_LOPEZ).order_by(col(Note.id).desc())
        ).first()
    assert newest is not None
    assert newest.text == saved


@pytest.mark.parametrize(
    ("text", "kind", "language"),
    [
        ("any birthdays coming up this week?", "birthdays", "en"),
        ("kimlerin doğum günü bu hafta?", "birthdays", "tr"),
        ("¿qué clientes VIP tengo?", "vip", "es"),
        ("Welche Kunden waren lange nicht mehr da?", "lapsed", "de"),
        ("ποιοι πελάτες δεν έχουν έρθει εδώ και καιρό;", "lapsed", "el"),
    ],
)
def test_a_list_question_gets_the_list_with_a_button_per_customer(
    assistant: Assistant, text: str, kind: str, language: str
) -> None:
    reply = assistant.answer(ANA, text, f"book-{text}")
    with speaking(language):
        rows = book_list(assistant.engine, kind, today=DEMO_NOW.date(), store="S01", limit=10)
        expected = list_text(kind, rows)

    assert reply.intent == Intent.lists
    assert reply.language == language
    assert reply.text == expected
    opens = [o for o in reply.options if o.intent == Intent.overview]
    assert [o.value for o in opens] == [r.customer_id for r in rows[: len(opens)]]
    if opens:
        opened = assistant.follow(ANA, opens[0], f"book-{text}")
        assert opened.customer_id == rows[0].customer_id


@pytest.mark.parametrize(
    "text",
    [
        "cumple de la sra. Carmen Ortiz?",  # "Carmen", a letter from "carme"
        "Emine Kaya diye bir müşterimiz var mı? telefonu lazım",  # Kaya: other customers'
        "wann hat Sabine Gruber Geburtstag?",
        "what did Rosie Whitfield buy last time?",
    ],
)
def test_a_full_name_nobody_has_is_not_found_even_when_its_words_look_like_others(
    assistant: Assistant, text: str
) -> None:
    before, reply = _say(assistant, f"unfound-{text[:8]}", "who is María López?", text)

    assert before.customer_id == MARIA_LOPEZ
    assert reply.intent == Intent.not_found  # never María, the customer discussed before
    assert reply.customer_id is None
    assert not _shows_customer_data(reply)


@pytest.mark.parametrize(
    "text",
    [
        "christening gift ideas? lady wants something keepsake-y",
        "τι να προτείνω για δώρο βάφτισης, κοριτσάκι;",
        "a customer wants something cosy for winter evenings, what do I show her?",
    ],
)
def test_the_words_about_a_shopper_nobody_named_are_no_name(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"shopper-{text[:8]}")

    assert reply.intent not in (Intent.not_found, Intent.clarify, Intent.need_customer)
    assert reply.skus  # ideas
    assert reply.customer_id is None


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("el Stagg EKG entra en la maleta de cabina del avión?", "COF-009"),
        ("can I take the Moka Express on a plane in hand luggage?", "COF-008"),
    ],
)
def test_a_product_named_in_full_is_asked_about_whatever_else_the_message_says(
    assistant: Assistant, text: str, sku: str
) -> None:
    reply = assistant.answer(ANA, text, f"named-{sku}")

    assert reply.intent == Intent.product
    assert reply.skus[:1] == [sku]


def test_german_nouns_of_a_product_question_are_no_full_name(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "Unterschied Handbrause Duschsystem?", "nouns")

    assert reply.intent == Intent.product


@pytest.mark.parametrize(
    "text",
    [
        "did tom wexley buy anything for the baby?",
        "what should I show tom wexley for the baby?",
        "was hat kunde jonas wexley gekauft?",
    ],
)
def test_a_lower_case_name_beside_words_for_a_shopper_is_never_the_customer_before(
    assistant: Assistant, text: str
) -> None:
    before, reply = _say(assistant, f"shopper-name-{text[:8]}", "who is María López?", text)

    assert before.customer_id == MARIA_LOPEZ
    assert reply.customer_id is None
    assert not _shows_customer_data(reply)


def test_notes_about_her_birthday_party_stay_her_notes(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "any notes about María López's birthday party?", "bday-notes")

    assert reply.intent == Intent.notes
    assert reply.customer_id == MARIA_LOPEZ


@pytest.mark.parametrize(
    "text",
    [
        "şu müşteri geçen ay ne aldı?",  # "that customer": who?
        "şu an kasada biri var, ne önereyim?",  # "right now"
    ],
)
def test_a_word_typed_with_a_mark_her_name_lacks_is_not_her(
    named_store: Assistant, text: str
) -> None:
    """ "şu" (that) is no Su: an everyday word typed with a letter her name lacks."""
    reply = named_store.answer(ANA, text, f"marked-{text}")

    assert reply.customer_id != "N5", reply.text
