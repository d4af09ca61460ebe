""" "Who bought the moka pot?" in the associates' five languages: the customers who bought it,
newest first, a button each; a period or a number of days bounds it; nothing of the catalogue
named lists nobody; a question about one product or one customer is not a list
(real assistant, demo store, its clock at 22 Nov 2026)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.core.assistant import Assistant
from bot.core.types import Caller, Intent
from storage.models import Purchase

ANA = Caller(name="Ana", role="associate", store=None)


def _buyers_of(assistant: Assistant, sku: str) -> set[str]:
    with Session(assistant.engine) as db:
        lines = db.exec(select(Purchase).where(Purchase.sku == sku)).all()
    kept: dict[str, int] = {}
    for line in lines:
        kept[line.customer_id] = kept.get(line.customer_id, 0) + line.quantity
    return {cid for cid, n in kept.items() if n > 0}


@pytest.mark.parametrize(
    "text",
    [
        "who bought the moka pot?",
        "which customers have bought the Bialetti Moka Express?",
        "¿quién ha comprado la cafetera moka?",
        "Moka Express'i kimler aldı?",
        "ποιοι πήραν το Moka Express;",
        "wer hat die Bialetti Moka gekauft?",
    ],
)
def test_who_bought_a_product_lists_its_buyers(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"buyers-{text}")

    assert reply.intent == Intent.lists, reply.text
    listed = [o.value for o in reply.options if o.intent == Intent.overview]
    assert listed, reply.text
    assert set(listed) <= _buyers_of(assistant, "COF-008")
    assert "Bialetti Moka Express" in reply.text


def test_a_period_bounds_the_buyers(assistant: Assistant) -> None:
    ever = assistant.answer(ANA, "who bought the Moka Express?", "buyers-ever")
    recent = assistant.answer(ANA, "who bought the Moka Express in the last 30 days?", "b-30")
    this_year = assistant.answer(ANA, "who bought the Moka Express this year?", "b-year")

    assert recent.text.splitlines()[0].endswith("Moka Express 6-Cup in the last 30 days:")
    assert this_year.text.splitlines()[0].endswith("Moka Express 6-Cup in 2026:")
    assert len(recent.text.splitlines()) < len(ever.text.splitlines())


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("who bought the Moka Express last week?", "from 9 Nov 2026 to 15 Nov 2026"),
        ("¿quién compró la Moka Express la semana pasada?", "9 nov 2026"),
        ("Moka Express'i geçen hafta kim aldı?", "9 Kas 2026"),
        ("wer hat letzte Woche die Moka Express gekauft?", "9. Nov. 2026"),
    ],
)
def test_last_week_lists_only_that_weeks_buyers(
    assistant: Assistant, text: str, title: str
) -> None:
    # The clock is Sunday 22 Nov 2026: last week ran from Monday 9 to Sunday 15 November, and
    # the only Moka Express bought then went to C0011 on 13 November.
    reply = assistant.answer(ANA, text, f"buyers-last-week-{text}")

    listed = [o.value for o in reply.options if o.intent == Intent.overview]
    assert listed == ["C0011"], reply.text
    assert title in reply.text.splitlines()[0]


@pytest.mark.parametrize(
    ("text", "empty"),
    [
        ("who bought the Moka Express yesterday?", "Nobody bought"),
        ("who bought the Moka Express today?", "Nobody bought"),
        ("who bought the moka express this week", "Nobody bought"),
        ("wer hat gestern die Moka Express gekauft?", "Niemand hat am 21. Nov. 2026"),
        ("ποιος αγόρασε χθες το Moka Express;", "Κανείς δεν αγόρασε"),
    ],
)
def test_a_day_with_no_buyers_says_so_instead_of_listing_everyone(
    assistant: Assistant, text: str, empty: str
) -> None:
    reply = assistant.answer(ANA, text, f"buyers-day-{text}")

    assert reply.intent == Intent.lists
    assert reply.text.startswith(empty), reply.text
    assert not any(o.intent == Intent.overview for o in reply.options)
    assert "yesterday" not in reply.text  # the day is not read as a product's name
    assert "gestern" not in reply.text


@pytest.mark.parametrize("text", ["who bought the zorblax 3000?", "siparişi kim aldı?"])
def test_nothing_of_the_catalogue_named_gets_the_lists_it_can_give(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"buyers-unknown-{text}")

    assert not reply.text.startswith("Bought"), reply.text
    assert not any(o.intent == Intent.overview for o in reply.options)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("who bought the most this year?", Intent.lists),  # the top customers
        ("list my biggest coffee buyers", Intent.lists),  # the top customers, not buyers
        ("what did Maria López buy last time?", Intent.history),
        ("does the moka pot come in a 3-cup size?", Intent.product),
    ],
)
def test_other_questions_stay_what_they_are(
    assistant: Assistant, text: str, intent: Intent
) -> None:
    reply = assistant.answer(ANA, text, f"not-buyers-{text}")

    assert reply.intent == intent, reply.text
    assert not reply.text.startswith("Bought"), reply.text


@pytest.mark.parametrize(
    "text",
    [
        "who bought the Moka Express from 1 November until today?",
        "who bought the Moka Express in the last week of October?",
        "¿quién compró la Moka Express desde el 1 de noviembre hasta hoy?",
    ],
)
def test_a_day_at_one_end_of_a_span_is_not_that_day_alone(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"buyers-span-{text}")

    assert reply.intent == Intent.lists
    assert any(o.intent == Intent.overview for o in reply.options), reply.text


@pytest.mark.parametrize(
    "text",
    [
        "who bought the Moka Express? I want to call them today",
        "who bought the moka express so I can ring them tomorrow",
        "¿quién compró la Moka Express? quiero llamarlos hoy",
        "wer hat die Moka Express gekauft, um sie heute anzurufen?",
        "ποιοι πήραν το Moka Express; θέλω να τους πάρω τηλέφωνο σήμερα",
        "Moka Express'i kim aldı? bugün aramak istiyorum",
    ],
)
def test_a_day_the_associate_means_to_call_on_does_not_bound_the_buyers(
    assistant: Assistant, text: str
) -> None:
    # "today" is when to call them, not when they bought it: every buyer, as without it
    reply = assistant.answer(ANA, text, f"buyers-purpose-{text}")

    listed = {o.value for o in reply.options if o.intent == Intent.overview}
    assert {"C0011", "C0124", "C0139"} <= listed, reply.text


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("who bought the Moka Express since 10 November?", "from 10 Nov 2026 to 22 Nov 2026"),
        ("who bought the moka express since the 10/11", "from 10 Nov 2026 to 22 Nov 2026"),
        ("wer hat seit dem 10. November die Moka Express gekauft?", "10. Nov. 2026"),
        ("10 Kasım'dan beri Moka Express'i kim aldı?", "10 Kas 2026"),
        ("¿quién compró la Moka Express desde el 1 de noviembre?", "1 nov 2026"),
        ("who bought the Moka Express in the past two weeks?", "in the last 14 days"),
    ],
)
def test_a_span_from_a_day_to_today_lists_its_buyers(
    assistant: Assistant, text: str, title: str
) -> None:
    # The clock is 22 Nov 2026; the Moka Express went to C0011 on 13 November, to C0124 and
    # C0139 in October.
    reply = assistant.answer(ANA, text, f"buyers-since-{text}")

    listed = [o.value for o in reply.options if o.intent == Intent.overview]
    assert listed == ["C0011"], reply.text
    assert title in reply.text.splitlines()[0]


@pytest.mark.parametrize(
    ("text", "empty"),
    [
        ("who bought the Moka Express since yesterday?", "from 21 Nov 2026 to 22 Nov 2026"),
        ("who bought the Moka Express in the past week?", "from 16 Nov 2026 to 22 Nov 2026"),
        ("dünden beri Moka Express'i kim aldı?", "21 Kas 2026"),
        ("anyone buy the Moka Express this week?", "from 16 Nov 2026 to 22 Nov 2026"),
        ("moka express buyers yesterday?", "on 21 Nov 2026"),
    ],
)
def test_a_recent_span_with_no_buyers_says_which_days(
    assistant: Assistant, text: str, empty: str
) -> None:
    reply = assistant.answer(ANA, text, f"buyers-recent-{text}")

    assert reply.intent == Intent.lists, reply.text
    assert empty in reply.text, reply.text
    assert not any(o.intent == Intent.overview for o in reply.options), reply.text
    assert "since" not in reply.text  # the span's words are no product's name


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("¿quién compró café este mes?", "café"),
        ("kim kahve aldı bu ay?", "kahve"),
        ("wer hat diesen Monat Kaffee gekauft?", "Kaffee"),
    ],
)
def test_a_kind_of_product_is_named_as_the_associate_typed_it(
    assistant: Assistant, text: str, typed: str
) -> None:
    reply = assistant.answer(ANA, text, f"buyers-kind-{text}")

    assert reply.intent == Intent.lists, reply.text
    assert typed in reply.text.splitlines()[0], reply.text
    assert "Coffee" not in reply.text.splitlines()[0]  # not the catalogue's English category
    assert len([o for o in reply.options if o.intent == Intent.overview]) > 1, reply.text
