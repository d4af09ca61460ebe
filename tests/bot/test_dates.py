"""Due dates in associates' messages, read by dateparser in en/es/tr/el/de, offline."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.core.dates import LANGUAGES, FoundDate, find_due_date

# A Monday.
TODAY = date(2026, 11, 30)
D = date

# (message, due date or None, the words of the date in the message)
EN = [
    (
        "remind me to call María López next Tuesday about the grinder",
        D(2026, 12, 1),
        "next Tuesday",
    ),
    ("call Ana on Friday", D(2026, 12, 4), "on Friday"),
    ("Friday: follow up with Hiroshi", D(2026, 12, 4), "Friday"),
    ("follow up tomorrow", D(2026, 12, 1), "tomorrow"),
    ("ring her the day after tomorrow", D(2026, 12, 2), "the day after tomorrow"),
    ("check back in 3 days", D(2026, 12, 3), "in 3 days"),
    ("in two weeks ask about the kettle", D(2026, 12, 14), "in two weeks"),
    ("in a week", D(2026, 12, 7), "in a week"),
    ("next week: send Ana the catalogue", D(2026, 12, 7), "next week"),
    ("on 12 December call Nikos", D(2026, 12, 12), "on 12 December"),
    ("12/12 call Nikos", D(2026, 12, 12), "12/12"),
    ("call on 3/1", D(2027, 1, 3), "on 3/1"),
    ("delivery 2026-12-24, call Ana", D(2026, 12, 24), "2026-12-24"),
    ("on 3 November", D(2027, 11, 3), "on 3 November"),
    ("call her today", TODAY, "today"),
    ("call Ana on Monday", D(2026, 12, 7), "on Monday"),
    ("call Ana next month", D(2026, 12, 1), "next month"),
    ("call her Tuesday next week", D(2026, 12, 8), "Tuesday next week"),
    ("remind me on the 15th", D(2026, 12, 15), "on the 15th"),
    ("call Ana on Friday the 4th", D(2026, 12, 4), "on Friday the 4th"),
    ("call Ana tomorrow and ask about the grinder", D(2026, 12, 1), "tomorrow"),
    ("tomorrow at 5pm call Ana", D(2026, 12, 1), "tomorrow at 5pm"),
    ("remind me 12.12.", D(2026, 12, 12), "12.12."),
    ("Hoka Clifton 9 on Friday for Ana", D(2026, 12, 4), "on Friday"),
    ("call Ana on 24.12.2026 at 10:30", D(2026, 12, 24), "on 24.12.2026 at 10:30"),
    ("remind me to call Ana", None, None),
    ("call May", None, None),
    ("call June Smith", None, None),
    ("Hoka Clifton 9 in stock?", None, None),
    ("she wants the 2024 model", None, None),
    ("we need to call Ana", None, None),
    ("she wants size 9.5", None, None),
    ("she bought it last week", None, None),
    ("call 5321234567", None, None),
    ("end of the month", None, None),  # dateparser does not read it
]
ES = [
    ("recuérdame llamar a Nikos el viernes", D(2026, 12, 4), "el viernes"),
    ("mañana llamar a Ana", D(2026, 12, 1), "mañana"),
    ("pasado mañana", D(2026, 12, 2), "pasado mañana"),
    ("el próximo martes", D(2026, 12, 1), "el próximo martes"),
    ("dentro de 3 días", D(2026, 12, 3), "dentro de 3 días"),
    ("la semana que viene", D(2026, 12, 7), "la semana que viene"),
    ("el 12 de diciembre", D(2026, 12, 12), "el 12 de diciembre"),
    ("hoy", TODAY, "hoy"),
    ("el lunes", D(2026, 12, 7), "el lunes"),
    ("dentro de dos semanas", D(2026, 12, 14), "dentro de dos semanas"),
    ("el 3 de noviembre", D(2027, 11, 3), "el 3 de noviembre"),
    ("el mes que viene", D(2026, 12, 1), "el mes que viene"),
    ("el 24/12", D(2026, 12, 24), "el 24/12"),
    ("el martes que viene llamar a Nikos", D(2026, 12, 1), "el martes que viene"),
    ("llamar a Nikos el viernes y ofrecerle la cafetera", D(2026, 12, 4), "el viernes"),
    ("el jueves 3 llamar a Ana", D(2026, 12, 3), "el jueves 3"),
    ("hoy por la mañana", TODAY, "hoy"),
    ("llamar a Ana", None, None),
    ("la cafetera Moka de 6 tazas", None, None),
    ("llamar a Ana por la mañana", None, None),  # "in the morning", not "tomorrow"
    ("Mar quiere la cafetera", None, None),
    ("ayer compró la cafetera", None, None),
    ("pedir 12 cajas de filtros", None, None),
]
TR = [
    ("Ayşe'yi cuma günü aramamı hatırlat", D(2026, 12, 4), "cuma günü"),
    ("yarın Ayşe'yi ara", D(2026, 12, 1), "yarın"),
    ("gelecek salı", D(2026, 12, 1), "gelecek salı"),
    ("3 gün sonra", D(2026, 12, 3), "3 gün sonra"),
    ("haftaya", D(2026, 12, 7), "haftaya"),
    ("12 Aralık'ta", D(2026, 12, 12), "12 Aralık'ta"),
    ("bugün", TODAY, "bugün"),
    ("pazartesi", D(2026, 12, 7), "pazartesi"),
    ("öbür gün", D(2026, 12, 2), "öbür gün"),
    ("iki hafta sonra", D(2026, 12, 14), "iki hafta sonra"),
    ("önümüzdeki cuma", D(2026, 12, 4), "önümüzdeki cuma"),
    ("gelecek ay", D(2026, 12, 1), "gelecek ay"),
    ("24.12.2026", D(2026, 12, 24), "24.12.2026"),
    ("cumaya kadar ara", D(2026, 12, 4), "cumaya kadar"),
    ("haftaya salı", D(2026, 12, 8), "haftaya salı"),
    ("3 Kasım'da", D(2027, 11, 3), "3 Kasım'da"),
    ("yarından sonra", D(2026, 12, 2), "yarından sonra"),
    ("Ayşe'yi ara", None, None),  # "ara" is also dateparser's abbreviation of Aralık
    ("Mehmet Bey'i ara", None, None),
    ("Ayşe'yi ara, öğütücüyü sor", None, None),
    ("Hoka Clifton 9 stokta var mı", None, None),
    ("12 kutu filtre sipariş et", None, None),
    ("Ekim Bey'i ara", None, None),
    ("Ayşe'yi aradım", None, None),
]
EL = [
    ("θύμισέ μου να πάρω τη Μαρία την Παρασκευή", D(2026, 12, 4), "την Παρασκευή"),
    ("αύριο", D(2026, 12, 1), "αύριο"),
    ("μεθαύριο", D(2026, 12, 2), "μεθαύριο"),
    ("την επόμενη Τρίτη", D(2026, 12, 1), "την επόμενη Τρίτη"),
    ("σε 3 μέρες", D(2026, 12, 3), "σε 3 μέρες"),
    ("στις 12 Δεκεμβρίου", D(2026, 12, 12), "στις 12 Δεκεμβρίου"),
    ("σήμερα", TODAY, "σήμερα"),
    ("τη Δευτέρα", D(2026, 12, 7), "τη Δευτέρα"),
    ("την επόμενη εβδομάδα", D(2026, 12, 7), "την επόμενη εβδομάδα"),
    ("σε δύο εβδομάδες", D(2026, 12, 14), "σε δύο εβδομάδες"),
    ("24/12", D(2026, 12, 24), "24/12"),
    ("στις 3 Νοεμβρίου", D(2027, 11, 3), "στις 3 Νοεμβρίου"),
    ("τον επόμενο μήνα", D(2026, 12, 1), "τον επόμενο μήνα"),
    ("μέχρι την Πέμπτη", D(2026, 12, 3), "μέχρι την Πέμπτη"),
    ("πάρε τη Μαρία αύριο για τον μύλο", D(2026, 12, 1), "αύριο"),
    ("την Πέμπτη 3 Δεκεμβρίου", D(2026, 12, 3), "την Πέμπτη 3 Δεκεμβρίου"),
    ("πάρε τη Μαρία", None, None),
    ("θύμισέ μου να πάρω τον Νίκο", None, None),
    ("Hoka Clifton 9", None, None),
    ("παράγγειλε 12 κουτιά", None, None),
    ("Μάιος Παπαδόπουλος", None, None),
    ("χθες", None, None),
]
DE = [
    ("erinnere mich, Anna am Freitag anzurufen", D(2026, 12, 4), "am Freitag"),
    ("morgen", D(2026, 12, 1), "morgen"),
    ("übermorgen", D(2026, 12, 2), "übermorgen"),
    ("nächsten Dienstag", D(2026, 12, 1), "nächsten Dienstag"),
    ("in 3 Tagen", D(2026, 12, 3), "in 3 Tagen"),
    ("nächste Woche", D(2026, 12, 7), "nächste Woche"),
    ("am 12. Dezember", D(2026, 12, 12), "am 12. Dezember"),
    ("heute", TODAY, "heute"),
    ("am Montag", D(2026, 12, 7), "am Montag"),
    ("in zwei Wochen", D(2026, 12, 14), "in zwei Wochen"),
    ("am 24.12.", D(2026, 12, 24), "am 24.12."),
    ("bis Donnerstag", D(2026, 12, 3), "bis Donnerstag"),
    ("nächsten Monat", D(2026, 12, 1), "nächsten Monat"),
    ("am 3. November", D(2027, 11, 3), "am 3. November"),
    ("kommenden Freitag", D(2026, 12, 4), "kommenden Freitag"),
    ("Anna morgen wegen der Mühle anrufen", D(2026, 12, 1), "morgen"),
    ("heute Morgen Anna anrufen", TODAY, "heute"),
    ("Freitag nächste Woche", D(2026, 12, 11), "Freitag nächste Woche"),
    ("Anna anrufen", None, None),
    ("ruf Anna so bald wie möglich an", None, None),
    ("Hoka Clifton 9 bestellen", None, None),
    ("12 Filter bestellen", None, None),
    ("Mai Müller anrufen", None, None),
    ("Guten Morgen, Anna anrufen", None, None),  # "morning", not "tomorrow"
    ("Größe 9.5", None, None),
    ("gestern gekauft", None, None),
]
CASES = {"en": EN, "es": ES, "tr": TR, "el": EL, "de": DE}


def _cases() -> list[tuple[str, str, date | None, str | None]]:
    return [(lang, *case) for lang, cases in CASES.items() for case in cases]


@pytest.mark.parametrize(("language", "text", "due", "words"), _cases())
def test_the_due_date_and_its_words_are_found(
    language: str, text: str, due: date | None, words: str | None
) -> None:
    found = find_due_date(text, today=TODAY, language=language)
    if due is None:
        assert found is None
    else:
        assert found is not None
        assert (found.day, text[found.start : found.end]) == (due, words)


@pytest.mark.parametrize(("language", "text"), [case[:2] for case in _cases()])
def test_without_a_language_all_five_are_tried_with_the_same_result(
    language: str, text: str
) -> None:
    assert find_due_date(text, today=TODAY) == find_due_date(text, today=TODAY, language=language)


def test_every_language_has_a_dozen_cases_with_some_negative_ones() -> None:
    for cases in CASES.values():
        assert len(cases) >= 12
        assert sum(due is None for _, due, _ in cases) >= 3


@pytest.mark.parametrize(
    ("language", "text", "task"),
    [
        (
            "en",
            "remind me to call María López next Tuesday about the grinder",
            "remind me to call María López about the grinder",
        ),
        ("es", "recuérdame llamar a Nikos el próximo viernes", "recuérdame llamar a Nikos"),
        ("tr", "Ayşe'yi cuma günü aramamı hatırlat", "Ayşe'yi aramamı hatırlat"),
        ("tr", "12 Aralık'ta Ayşe'yi ara", "Ayşe'yi ara"),
        ("el", "θύμισέ μου να πάρω τη Μαρία την επόμενη Τρίτη", "θύμισέ μου να πάρω τη Μαρία"),
        ("de", "erinnere mich, Anna am 24.12. anzurufen", "erinnere mich, Anna anzurufen"),
    ],
)
def test_cutting_the_span_out_leaves_the_task(language: str, text: str, task: str) -> None:
    found = find_due_date(text, today=TODAY, language=language)
    assert found is not None
    assert " ".join((text[: found.start] + text[found.end :]).split()) == task


@pytest.mark.parametrize(
    ("language", "phrase"),
    [
        ("en", "{}"),
        ("en", "next {}"),
        ("es", "el {}"),
        ("es", "el próximo {}"),
        ("tr", "{}"),
        ("tr", "gelecek {}"),
        ("el", "την {}"),
        ("de", "nächsten {}"),
    ],
)
def test_a_weekday_is_the_first_such_day_strictly_after_today(language: str, phrase: str) -> None:
    names = {
        "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
        "es": "lunes martes miércoles jueves viernes sábado domingo",
        "tr": "pazartesi salı çarşamba perşembe cuma cumartesi pazar",
        "el": "Δευτέρα Τρίτη Τετάρτη Πέμπτη Παρασκευή Κυριακή",
        "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
    }[language].split()
    weekdays = [0, 1, 2, 3, 4, 6] if language == "el" else range(7)  # Σάββατο takes "το"
    for today in (TODAY + timedelta(days=n) for n in range(7)):
        for weekday, name in zip(weekdays, names, strict=True):
            found = find_due_date(phrase.format(name), today=today, language=language)
            assert found is not None, (today, name)
            assert found.day.weekday() == weekday
            assert 1 <= (found.day - today).days <= 7, (today, name, found.day)


@pytest.mark.parametrize(
    ("today", "text", "due"),
    [
        (D(2026, 12, 2), "next week", D(2026, 12, 7)),  # a Wednesday: the Monday after
        (D(2026, 12, 6), "nächste Woche", D(2026, 12, 7)),  # a Sunday: tomorrow's Monday
        (D(2026, 12, 2), "in a week", D(2026, 12, 9)),  # counts days
        (D(2026, 12, 15), "next month", D(2027, 1, 1)),
        (D(2026, 12, 15), "el año que viene", D(2027, 1, 1)),
        (D(2026, 11, 30), "on 29 November", D(2027, 11, 29)),  # past this year: next year's
        (D(2026, 11, 30), "on 29 November 2026", None),  # past with its year: no due date
        (D(2026, 11, 30), "3 days ago", None),
        (D(2027, 3, 1), "on 29 February", D(2028, 2, 29)),
        (D(2026, 12, 20), "on the 5th", D(2027, 1, 5)),
    ],
)
def test_dates_are_never_in_the_past_and_next_periods_start_at_their_start(
    today: date, text: str, due: date | None
) -> None:
    found = find_due_date(text, today=today)
    assert (found and found.day) == due


def test_without_a_language_the_first_date_in_the_text_is_found() -> None:
    found = find_due_date("mañana o el viernes", today=TODAY)
    assert found == FoundDate(D(2026, 12, 1), 0, 6)


def test_today_may_be_given_as_a_datetime() -> None:
    found = find_due_date("tomorrow", today=datetime(2026, 11, 30, 23, 59), language="en")
    assert found == FoundDate(D(2026, 12, 1), 0, 8)


def test_an_unsupported_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        find_due_date("demain", today=TODAY, language="fr")


def test_an_empty_message_has_no_date() -> None:
    assert all(find_due_date("", today=TODAY, language=lang) is None for lang in LANGUAGES)
