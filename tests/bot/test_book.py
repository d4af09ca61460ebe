"""Lists asked for in chat, in five languages: which list, the span or days a question names
("for 3 months", "next week"), what a due list is narrowed to, one button per customer and
the language of a short list question."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from bot.core.assistant import Assistant, Caller, message_language
from bot.core.book import BookRow, book_list, list_text, one_per_customer
from bot.core.i18n import _, ngettext, speaking
from bot.core.list_filters import narrowing
from bot.core.list_requests import asked_days, asked_kind, asked_window, read_list_request
from bot.core.types import Intent, Reply
from tests.bot.conftest import DEMO_NOW

ANA = Caller(name="Ana", store="S01")
TODAY = DEMO_NOW.date()  # Sunday 22 November 2026
NEXT_WEEK = (date(2026, 11, 23), date(2026, 11, 29))
ROASTS = {"COF-011", "COF-012", "COF-013", "COF-014", "COF-015"}  # the demo's coffee beans


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("who hasn't been in for 3 months?", 90),
        ("who hasn't been in for 90 days?", 90),
        ("birthdays in the next two weeks", 14),
        ("who hasn't been in for a year", 365),
        ("¿quién no ha venido en tres meses?", 90),
        ("üç aydır gelmeyenler", 90),
        ("3 aydır gelmeyen müşteriler", 90),
        ("ποιοι δεν έχουν έρθει εδώ και τρεις μήνες;", 90),
        ("γενέθλια τις επόμενες δέκα μέρες", 10),
        ("wer war seit drei Monaten nicht mehr da?", 90),
        ("wer war seit 6 Wochen nicht da", 42),
        ("birthdays this week", None),
        ("who hasn't been in since last year", None),
        ("my VIPs", None),
    ],
)
def test_a_list_question_names_its_span_in_days(text: str, days: int | None) -> None:
    assert asked_days(text) == days


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("customers we haven't seen since june?", 185),  # 1 Jun to 3 Dec
        ("¿quién no ha vuelto desde septiembre?", 93),
        ("ekim'den beri gelmeyenler kim", 63),
        ("ποιοι δεν έχουν ξανάρθει από τον Ιούλιο;", 155),
        ("wer war seit Oktober nicht mehr hier?", 63),
        ("who hasn't been in this year?", 336),  # a period up to today: since 1 Jan
        ("who hasn't come in for 90 days?", 90),  # a number of days comes first
        ("who didn't come in in March?", None),  # a closed month, nothing said of after it
        ("who's lapsed?", None),  # each regular's own rhythm
        ("who hasn't been in this month?", None),  # two days: nearly everyone
        ("which customers from last year haven't come back?", None),  # from is no since
    ],
)
def test_a_lapsed_list_counts_the_days_since_the_period_named(text: str, days: int | None) -> None:
    request = read_list_request(text, date(2026, 12, 3))

    assert request is not None, text
    assert request.kind == "lapsed", text
    assert request.days == days


@pytest.mark.parametrize(
    "question",
    [
        "who hasn't been in for 3 months?",
        "¿quién no ha venido en tres meses?",
        "wer war seit drei Monaten nicht mehr da?",
    ],
)
def test_no_visit_for_a_span_lists_only_customers_away_that_long(
    assistant: Assistant, question: str
) -> None:
    reply = assistant.answer(Caller(name="Ana", store="S01"), question, f"span-{question}")

    away = [int(d) for d in re.findall(r"(\d+) (?:days|días|Tagen)", reply.text)]
    assert reply.intent == Intent.lists
    assert away
    assert min(away) >= 90


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("who needs to restock their coffee?", "due"),
        ("any b-days coming up?", "birthdays"),
        ("which clients haven't we seen since spring?", "lapsed"),
        ("my biggest spenders", "vip"),
        ("¿a quién se le acaba el café?", "due"),
        ("¿alguien cumple años mañana?", "birthdays"),
        ("clientes que no han vuelto en dos meses", "lapsed"),
        ("los clientes que más gastan", "vip"),
        ("kimin kahvesi bitiyor?", "due"),
        ("yarın doğum günü olan var mı?", "birthdays"),
        ("uzun süredir uğramayan müşteriler", "lapsed"),
        ("en çok harcayan müşteriler", "vip"),
        ("ποιανού τελειώνει ο καφές;", "due"),
        ("ποιος έχει γενέθλια αύριο;", "birthdays"),
        ("ποιοι έχουν να περάσουν καιρό;", "lapsed"),
        ("οι κορυφαίοι πελάτες μου", "vip"),
        ("wem geht bald der Kaffee aus?", "due"),
        ("hat morgen jemand Geburtstag?", "birthdays"),
        ("wen haben wir lange nicht gesehen?", "lapsed"),
        ("meine umsatzstärksten Kunden", "vip"),
        ("Stammkunden, die lange nicht da waren", "lapsed"),
        ("what did María buy last time?", None),
    ],
)
def test_a_list_is_asked_for_in_the_associates_own_words(text: str, kind: str | None) -> None:
    assert asked_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("any birthdays next week?", *NEXT_WEEK),
        ("cumpleaños la semana que viene", *NEXT_WEEK),
        ("¿quién cumple años la próxima semana?", *NEXT_WEEK),
        ("gelecek hafta doğum günü olanlar", *NEXT_WEEK),
        ("haftaya kimin doğum günü var?", *NEXT_WEEK),
        ("ποιοι έχουν γενέθλια την επόμενη εβδομάδα;", *NEXT_WEEK),
        ("Wer hat nächste Woche Geburtstag?", *NEXT_WEEK),
        ("birthdays this month", TODAY, date(2026, 11, 30)),
        ("cumpleaños de este mes", TODAY, date(2026, 11, 30)),
        ("bu ay doğum günü olanlar", TODAY, date(2026, 11, 30)),
        ("γενέθλια αυτόν τον μήνα", TODAY, date(2026, 11, 30)),
        ("Geburtstage diesen Monat", TODAY, date(2026, 11, 30)),
        ("any birthdays next month?", date(2026, 12, 1), date(2026, 12, 31)),
        ("cumpleaños el mes que viene", date(2026, 12, 1), date(2026, 12, 31)),
        ("gelecek ay doğum günleri", date(2026, 12, 1), date(2026, 12, 31)),
        ("γενέθλια τον επόμενο μήνα", date(2026, 12, 1), date(2026, 12, 31)),
        ("Geburtstage im nächsten Monat", date(2026, 12, 1), date(2026, 12, 31)),
        ("birthdays in March", date(2027, 3, 1), date(2027, 3, 31)),  # the next March
        ("any bdays today?", TODAY, TODAY),
        ("¿alguien cumple años mañana?", *[TODAY + timedelta(days=1)] * 2),
        ("yarın doğum günü olan var mı?", *[TODAY + timedelta(days=1)] * 2),
        ("ποιος έχει γενέθλια αύριο;", *[TODAY + timedelta(days=1)] * 2),
        ("hat morgen jemand Geburtstag?", *[TODAY + timedelta(days=1)] * 2),
    ],
)
def test_a_birthday_question_names_its_days(text: str, first: date, last: date) -> None:
    asked = read_list_request(text, TODAY)

    assert asked is not None
    assert asked.kind == "birthdays"
    assert asked.window == (first, last)
    assert (asked.start, asked.days) == ((first - TODAY).days, (last - first).days + 1)


@pytest.mark.parametrize("text", ["birthdays this week", "Geburtstage diese Woche", "cumpleaños"])
def test_this_week_is_the_coming_seven_days(text: str) -> None:
    assert asked_window(text, TODAY) is None
    assert read_list_request(text, TODAY) == read_list_request("birthdays", TODAY)


def test_next_week_is_monday_to_sunday_whatever_day_it_is_asked() -> None:
    for offset in range(7):  # Monday 30 November to Sunday 6 December
        today = date(2026, 11, 30) + timedelta(days=offset)
        assert asked_window("birthdays next week", today) == (
            date(2026, 12, 7),
            date(2026, 12, 13),
        )


def test_next_weeks_birthdays_reach_past_the_coming_seven_days(assistant: Assistant) -> None:
    today = date(2026, 11, 30)  # a Monday: next week is 7-13 December
    asked = read_list_request("birthdays next week", today)
    assert asked is not None

    with speaking("en"):
        rows = book_list(
            assistant.engine, "birthdays", today=today, days=asked.days, start=asked.start
        )
        coming = book_list(assistant.engine, "birthdays", today=today)

    assert rows
    assert all(7 <= row.value <= 13 for row in rows)
    assert "birthday in 11 days (11 Dec)" in [row.reason for row in rows]
    assert not {row.customer_id for row in rows} & {row.customer_id for row in coming}


def _expected(
    language: str,
    kind: str,
    rows: list[BookRow],
    *,
    days: int | None = None,
    window: tuple[date, date] | None = None,
    named: str | None = None,
    unmatched: tuple[str, ...] = (),
) -> str:
    with speaking(language):
        return list_text(kind, rows, days=days, window=window, named=named, unmatched=unmatched)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("birthdays next week", "en"),
        ("¿quién cumple años la semana que viene?", "es"),
        ("gelecek hafta kimin doğum günü var?", "tr"),
        ("γενέθλια την επόμενη εβδομάδα", "el"),
        ("Wer hat nächste Woche Geburtstag?", "de"),
    ],
)
def test_birthdays_next_week_are_those_of_next_week(
    assistant: Assistant, question: str, language: str
) -> None:
    reply = assistant.answer(ANA, question, f"next-week-{question}")
    with speaking(language):
        rows = book_list(
            assistant.engine, "birthdays", today=TODAY, days=7, start=1, store="S01", limit=10
        )

    assert reply.intent == Intent.lists
    assert reply.language == language
    assert rows
    assert reply.text == _expected(language, "birthdays", rows, window=NEXT_WEEK)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("who hasnt been in for 2 months", "en"),
        ("clientes que no han vuelto en dos meses", "es"),
        ("iki aydır gelmeyen müşteriler", "tr"),
        ("ποιοι πελάτες έχουν να έρθουν 2 μήνες;", "el"),
        ("wer war seit zwei Monaten nicht mehr da?", "de"),
    ],
)
def test_no_visit_in_n_days_is_titled_as_such_and_biggest_spenders_first(
    assistant: Assistant, question: str, language: str
) -> None:
    reply = assistant.answer(ANA, question, f"no-visit-{question}")
    with speaking(language):
        rows = book_list(assistant.engine, "lapsed", today=TODAY, days=60, store="S01", limit=10)
        title = ngettext(
            "No visit in the last {count} day:", "No visit in the last {count} days:", 60
        ).format(count=60)
        rhythm_title = _("Regulars who haven't been in for longer than usual:")

    assert reply.intent == Intent.lists
    assert reply.text == _expected(language, "lapsed", rows, days=60)
    assert reply.text.startswith(title)
    assert rhythm_title not in reply.text


def _due_rows(assistant: Assistant, language: str) -> list[BookRow]:
    with speaking(language):
        return book_list(assistant.engine, "due", today=TODAY, store="S01", limit=500)


def _category(assistant: Assistant, sku: str | None) -> str | None:
    product = assistant.catalogue.products.products.get(sku or "")
    return product.category if product else None


@pytest.mark.parametrize(
    ("question", "language", "named"),
    [
        ("who's running low on coffee these days?", "en", "Coffee"),
        ("who should be running out of cofee soon?", "en", "Coffee"),  # a typo; "running" no shoe
        ("¿a quién se le acaba el café?", "es", "café"),
        ("kimin kahvesi bitiyor?", "tr", "kahvesi"),
        ("ποιανού τελειώνει ο καφές;", "el", "καφές"),
        ("wem geht bald der Kaffee aus?", "de", "Kaffee"),
        # Who to call about it, and a reorder: no stock question
        ("who should I call about reordering coffee?", "en", "Coffee"),
        ("¿a quién llamo para reponer café?", "es", "café"),
        ("wen soll ich anrufen, wer Kaffee nachkaufen muss?", "de", "Kaffee"),
    ],
)
def test_a_category_named_in_any_language_narrows_the_due_list(
    assistant: Assistant, question: str, language: str, named: str
) -> None:
    # The category is named as the associate typed it in their language ("café"), not in the
    # catalogue's English; named as the catalogue has it, or one typo away, as the catalogue.
    reply = assistant.answer(ANA, question, f"due-coffee-{question}")
    every = _due_rows(assistant, language)
    coffee = [row for row in every if _category(assistant, row.sku) == "Coffee"][:10]

    assert reply.intent == Intent.lists
    assert coffee
    assert len(coffee) < len(every)
    assert reply.text == _expected(language, "due", coffee, named=named)


@pytest.mark.parametrize(
    ("question", "language", "named"),
    [
        ("who is due for coffee beans?", "en", "coffee beans"),
        ("¿quién tiene que reponer granos de café?", "es", "granos de café"),
    ],
)
def test_the_narrowest_match_of_what_is_named_is_listed(
    assistant: Assistant, question: str, language: str, named: str
) -> None:
    reply = assistant.answer(ANA, question, f"due-beans-{question}")
    roasts = [row for row in _due_rows(assistant, language) if row.sku in ROASTS][:10]

    assert roasts
    assert reply.text == _expected(language, "due", roasts, named=named)
    assert "Micro-Filters" not in reply.text
    assert "Descaler" not in reply.text


@pytest.mark.parametrize(
    ("english", "typed"),
    [
        ("coffee beans", ["café en grano", "kahve çekirdekleri", "κόκκοι καφέ", "Kaffeebohnen"]),
        ("coffee filters", ["filtros de café", "kahve filtreleri", "φίλτρα καφέ", "Kaffeefilter"]),
    ],
)
def test_a_group_named_in_any_language_is_the_group_named_in_english(
    assistant: Assistant, english: str, typed: list[str]
) -> None:
    expected = narrowing(assistant.retrieval, f"who is due for {english}?").skus

    assert expected is not None
    assert len(expected) < 17  # fewer than the whole Coffee category
    for words in typed:
        assert narrowing(assistant.retrieval, f"{words}?").skus == expected, words


def test_a_product_named_by_words_of_its_name_narrows_to_it(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "who is due for AeroPress filters?", "due-aeropress")
    filters = [row for row in _due_rows(assistant, "en") if row.sku == "COF-004"][:10]

    assert filters
    assert reply.text == _expected("en", "due", filters, named="AeroPress filters")


def _nothing_due(language: str) -> str:
    with speaking(language):
        return _("Nothing is due to be bought again.")


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("who is due for new Birkenstocks?", "en"),
        ("¿a quién le toca reponer las Birkenstock?", "es"),
        ("Birkenstock'u tekrar alması gerekenler", "tr"),
        ("ποιοι πρέπει να ξαναπάρουν Birkenstock;", "el"),
        ("wer muss bald wieder Birkenstock kaufen?", "de"),
    ],
)
def test_nothing_due_of_what_is_named_never_says_nothing_is_due(
    assistant: Assistant, question: str, language: str
) -> None:
    reply = assistant.answer(ANA, question, f"due-none-{question}")

    assert reply.intent == Intent.lists
    assert _due_rows(assistant, language)  # other things are due
    assert "•" not in reply.text
    assert reply.text != _nothing_due(language)
    assert "Birkenstock" in reply.text


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("who is due for zorblax?", "en"),
        ("¿a quién le toca reponer zorblax?", "es"),
        ("zorblax'ı tekrar alması gerekenler", "tr"),
        ("ποιοι πρέπει να ξαναπάρουν zorblax;", "el"),
        ("wer muss bald wieder Zorblax kaufen?", "de"),
    ],
)
def test_a_name_the_catalogue_lacks_is_said_not_dropped(
    assistant: Assistant, question: str, language: str
) -> None:
    reply = assistant.answer(ANA, question, f"due-unknown-{question}")
    every = _due_rows(assistant, language)[:10]
    word = next(w for w in question.strip("?;").split() if w.casefold().startswith("zorblax"))

    assert reply.intent == Intent.lists
    assert reply.text == _expected(language, "due", every, unmatched=(word.split("'")[0],))
    assert reply.text.splitlines()[0] != _expected(language, "due", every).splitlines()[0]


def _opened(reply: Reply) -> list[str | None]:
    return [o.value for o in reply.options if o.intent == Intent.overview]


def test_a_customer_with_two_items_due_gets_one_button(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "who is due to buy again?", "due-buttons")
    rows = _due_rows(assistant, "en")[:10]
    twice = [r.customer_id for r in rows if [x.customer_id for x in rows].count(r.customer_id) > 1]

    assert twice  # the demo's list has one
    assert reply.text == _expected("en", "due", rows)
    assert _opened(reply) == [r.customer_id for r in one_per_customer(rows)][: len(_opened(reply))]
    assert len(set(_opened(reply))) == len(_opened(reply))
    drafts = [o.label for o in reply.options if o.intent == Intent.draft]
    assert len(set(drafts)) == len(drafts)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("my tasks", "en"),
        ("reminders?", "en"),
        ("mis tareas", "es"),
        ("recordatorios", "es"),
        ("görevlerim", "tr"),
        ("hatırlatmalarım", "tr"),
        ("εργασίες", "el"),
        ("υπενθυμίσεις", "el"),
        ("Aufgaben?", "de"),
        ("Erinnerungen", "de"),
        ("Top-Kunden?", "de"),
        ("Kunden?", "de"),
        ("VIPs", None),  # every language's word
        # a customer's notes, sizes or purchases asked for by name, names left out
        ("Notizen Frau Brandt bitte", "de"),
        ("Kaufhistorie Herr Wolf", "de"),
        ("notas Carmen porfa", "es"),
        ("Ayşe Hanım'ın bedenleri lütfen", "tr"),
        ("notes Jo Baxter pls", "en"),
    ],
)
def test_a_short_list_or_task_question_is_told_by_its_words(
    text: str, language: str | None
) -> None:
    assert message_language(text) == language


@pytest.mark.parametrize(
    ("question", "language"),
    [("Top-Kunden?", "de"), ("mejores clientes", "es"), ("γενέθλια", "el"), ("bdays?", "en")],
)
def test_a_short_list_question_is_answered_in_its_language(
    assistant: Assistant, question: str, language: str
) -> None:
    reply = assistant.answer(ANA, question, f"short-{question}")

    assert reply.intent == Intent.lists
    assert reply.language == language
