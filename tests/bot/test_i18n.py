"""Replies in the associate's language (issue 10): complete catalogues, every reply kind in
every language, dates and money in the locale, tips in the asked language first."""

from __future__ import annotations

import io
import re
import string
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import pytest
from babel.dates import get_month_names
from babel.messages.pofile import read_po

from bot.core import wording
from bot.core.assistant import Assistant, Caller, message_language
from bot.core.i18n import (
    N_,
    _,
    available_languages,
    locale,
    ngettext,
    pick_language,
    speaking,
    translations,
)
from bot.core.retrieval import in_reply_language
from bot.core.types import Intent, Reply
from bot.services.tips import file_error_text, problem_text
from bot.settings import Settings
from bot.wiring import open_database, open_tips
from knowledge.embeddings import E5Embeddings
from knowledge.ingest import Problem, TipsFileError
from knowledge.tips import Tip
from storage.purchases import PurchaseLine
from tests.bot.conftest import DEMO_NOW

LANGUAGES = ("en", "es", "tr", "el", "de")
OTHERS = tuple(code for code in LANGUAGES if code != "en")


def _catalogue(language: str):  # type: ignore[no-untyped-def]
    source = files("bot").joinpath("locale", language, "LC_MESSAGES", "messages.po")
    return read_po(io.BytesIO(source.read_bytes()), locale=language)


def _template():  # type: ignore[no-untyped-def]
    return read_po(io.BytesIO(files("bot").joinpath("locale", "messages.pot").read_bytes()))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# --- the catalogues -------------------------------------------------------------------------


def test_the_five_languages_are_shipped() -> None:
    assert set(LANGUAGES) <= set(available_languages())


@pytest.mark.parametrize("language", OTHERS)
def test_every_message_has_a_translation_in_every_catalogue(language: str) -> None:
    catalogue = _catalogue(language)
    missing = []
    for message in _template():
        if not message.id:
            continue
        translated = catalogue.get(message.id)
        forms = (
            []
            if translated is None
            else (
                list(translated.string)
                if isinstance(translated.string, tuple | list)
                else [translated.string]
            )
        )
        if not forms or not all(forms) or (translated is not None and translated.fuzzy):
            missing.append(message.id)
    assert not missing, f"{language}: untranslated {missing}"


@pytest.mark.parametrize("language", OTHERS)
def test_translations_keep_every_placeholder(language: str) -> None:
    for message in _catalogue(language):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        wanted = set().union(*(_fields(i) for i in ids))
        for form in forms:
            # A singular form may leave out {count} ("one order"); nothing else may change.
            assert _fields(form) <= wanted, (language, message.id, form)
            assert wanted - _fields(form) <= {"count"}, (language, message.id, form)


def test_an_untranslated_language_falls_back_to_english() -> None:
    assert pick_language("pt-BR", None) == "en"
    assert pick_language(None, "es-ES") == "es"
    with speaking("pt"):
        assert _("Notes:") == "Notes:"


@pytest.mark.parametrize("language", OTHERS)
def test_plural_forms_follow_the_language(language: str) -> None:
    with speaking(language):
        one = ngettext("{count} day", "{count} days", 1).format(count=1)
        many = ngettext("{count} day", "{count} days", 5).format(count=5)
    assert "1" in one
    assert "5" in many
    assert one != "1 day"
    assert many != "5 days"


# --- dates and money -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "currency", "date", "amount"),
    [
        ("en", "EUR", "13 Nov 2026", "€29.90"),
        ("es", "EUR", "13 nov 2026", "29,90\xa0€"),
        ("tr", "TRY", "13 Kas 2026", "₺29,90"),
        ("el", "EUR", "13 Νοε 2026", "29,90\xa0€"),
        ("de", "EUR", "13. Nov. 2026", "29,90\xa0€"),
    ],
)
def test_dates_and_money_are_written_the_way_the_language_writes_them(
    language: str, currency: str, date: str, amount: str
) -> None:
    with speaking(language, currency):
        assert wording.day(datetime(2026, 11, 13, tzinfo=UTC)) == date
        assert wording.money(29.9) == amount


# --- tips ------------------------------------------------------------------------------------


def test_a_tip_in_another_language_is_marked_with_it() -> None:
    tip = Tip(tip_id="T-ES", text="Pregunta cuántas tazas toma al día.", language="es")
    with speaking("es"):
        assert wording.tip_line(tip) == "• Pregunta cuántas tazas toma al día."
    with speaking("de"):
        marked = wording.tip_line(tip)
    assert marked.startswith("• Pregunta cuántas tazas toma al día. (")
    assert "Spanisch" in marked


# --- every reply kind, asked in each language -------------------------------------------------

ANA = Caller(name="Ana", role="associate", store="S01")
MARIA_LOPEZ = "C0011"
# Each capability asked about María López (C0011) in each language, and the fixed text its
# reply must hold in that language.
QUESTIONS: dict[str, dict[str, str]] = {
    "en": {
        "overview": "who is María López, tell me about her",
        "history": "what did María López buy last time?",
        "spend": "how much has María López spent in total?",
        "recommend": "María López is here, what should I show her?",
        "sizes": "what sizes does María López wear?",
        "notes": "any notes about María López from the team?",
        "product": "how do I sell the AeroPress to a new customer?",
        "greeting": "good morning to the whole team",
        "help": "what can you do for me?",
        "lists": "which customers have birthdays this week?",
        "unknown": "what will the weather be like tomorrow?",
        "not_found": "what did Paula Schmidt buy last time?",
        "clarify": "what did Maria buy last time?",
    },
    "es": {
        "overview": "¿quién es María López? cuéntame de ella",
        "history": "¿qué compró María López la última vez?",
        "spend": "¿cuánto ha gastado María López en total?",
        "recommend": "María López está en la tienda, ¿qué le enseño?",
        "sizes": "¿qué tallas usa María López normalmente?",
        "notes": "¿qué notas tenemos de María López del equipo?",
        "product": "¿cómo vendo la AeroPress a un cliente nuevo?",
        "greeting": "buenos días a todo el equipo",
        "help": "¿qué puedes hacer por mí?",
        "lists": "¿qué clientes cumplen años esta semana?",
        "unknown": "¿qué tiempo hará mañana en la ciudad?",
        "not_found": "¿qué compró Paula Schmidt la última vez?",
        "clarify": "¿qué compró Maria la última vez?",
    },
    "tr": {
        "overview": "María López kimdir, bana ondan bahset",
        "history": "María López en son ne satın aldı?",
        "spend": "María López toplamda ne kadar harcadı?",
        "recommend": "María López mağazada, ona ne göstereyim?",
        "sizes": "María López hangi bedenleri giyiyor?",
        "notes": "María López hakkında ekibin notları neler?",
        "product": "AeroPress'i yeni bir müşteriye nasıl satarım?",
        "greeting": "merhaba, iyi çalışmalar herkese",
        "help": "benim için neler yapabilirsin?",
        "lists": "bu hafta doğum günü olan müşteriler kimler?",
        "unknown": "yarın hava nasıl olacak acaba?",
        "not_found": "Paula Schmidt en son ne satın aldı?",
        "clarify": "Maria en son ne satın aldı?",
    },
    "el": {
        "overview": "ποια είναι η María López, πες μου για αυτήν",
        "history": "τι αγόρασε η María López την τελευταία φορά;",
        "spend": "πόσα έχει ξοδέψει συνολικά η María López;",
        "recommend": "η María López είναι στο κατάστημα, τι να της δείξω;",
        "sizes": "τι μεγέθη φοράει η María López συνήθως;",
        "notes": "τι σημειώσεις έχει η ομάδα για τη María López;",
        "product": "πώς να πουλήσω το AeroPress σε νέο πελάτη;",
        "greeting": "καλημέρα σε όλη την ομάδα",
        "help": "τι μπορείς να κάνεις για μένα;",
        "lists": "ποιοι πελάτες έχουν γενέθλια αυτή την εβδομάδα;",
        "unknown": "τι καιρό θα κάνει αύριο στην πόλη;",
        "not_found": "τι αγόρασε η Paula Schmidt την τελευταία φορά;",
        "clarify": "τι αγόρασε η Maria την τελευταία φορά;",
    },
    "de": {
        "overview": "wer ist María López, erzähl mir von ihr",
        "history": "was hat María López zuletzt gekauft?",
        "spend": "wie viel hat María López insgesamt ausgegeben?",
        "recommend": "María López ist im Laden, was soll ich ihr zeigen?",
        "sizes": "welche Größen trägt María López normalerweise?",
        "notes": "welche Notizen hat das Team zu María López?",
        "product": "wie verkaufe ich die AeroPress an einen neuen Kunden?",
        "greeting": "guten Morgen an das ganze Team",
        "help": "was kannst du alles für mich tun?",
        "lists": "welche Kunden haben diese Woche Geburtstag?",
        "unknown": "wie wird das Wetter morgen in der Stadt?",
        "not_found": "was hat Paula Schmidt zuletzt gekauft?",
        "clarify": "was hat Maria zuletzt gekauft?",
    },
}
# The message id whose fixed text each kind of reply shows.
FIXED = {
    "overview": "Last visit: {date}",
    "history": "{name} — last order on {date} ({order}):",
    "spend": "{name} spent {amount} {period}, in {count} order.",
    "recommend": "For {name}, show:",
    "sizes": "Sizes: {sizes}",
    "notes": "Notes about {name}:",
    "product": "Tips:",
    "greeting": "Hello!",
    "help": wording.HELP,
    "lists": "Birthdays coming up:",  # the demo's store S01 has one in the week
    "unknown": wording.OUT_OF_SCOPE,
    "clarify": "Which “{query}” do you mean?",
    "not_found": "I couldn't find a customer matching “{query}”. Try the full name, the "
    "customer id, an email address or a phone number.",
}
N_("Last visit: {date}")  # (the ids above are the code's; kept in step by the catalogue test)


def _literal(language: str, message_id: str) -> str:
    """The longest stretch of fixed text of a message in a language (placeholders cut out)."""
    if message_id == FIXED["spend"]:
        with speaking(language):
            text = ngettext(message_id, message_id.replace("order.", "orders."), 5)
    else:
        text = translations(language).ugettext(message_id) if language != "en" else message_id
    pieces = [literal for literal, *_ in string.Formatter().parse(text)]
    longest = max(pieces, key=len).strip()
    return longest.split("\n")[0].strip()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(QUESTIONS["en"]))
def test_each_reply_kind_is_written_in_the_language_asked_in(
    assistant: Assistant, language: str, kind: str
) -> None:
    reply: Reply = assistant.answer(ANA, QUESTIONS[language][kind], f"i18n-{language}-{kind}")

    assert reply.intent == Intent(kind)
    assert reply.language == language
    assert _literal(language, FIXED[kind]) in reply.text
    if kind == "spend":
        # the amount in the store's currency, written as the language writes it
        pattern = r"€\d" if language in ("en", "tr") else r"\d\xa0€"
        assert re.search(pattern, reply.text), reply.text
    if kind == "history":
        with speaking(language):
            months = get_month_names("abbreviated", locale=locale()).values()
        assert any(f" {m} 20" in reply.text or f" {m}. 20" in reply.text for m in months)
    if language != "en":
        # no English template text left in it
        assert _literal("en", FIXED[kind]) not in reply.text or _literal(
            "en", FIXED[kind]
        ) == _literal(language, FIXED[kind])
        assert all(o.label != "Notes" and o.label != "Last purchases" for o in reply.options)


def test_tips_in_the_reply_language_come_alone_when_there_are_any() -> None:
    english = Tip(tip_id="T-EN", text="Ask how many cups they brew.", language="en")
    spanish = Tip(tip_id="T-ES", text="Pregunta cuántas tazas prepara.", language="es")
    unlabelled = Tip(tip_id="T-XX", text="AeroPress: two minutes a cup.", language=None)

    with speaking("es"):
        assert in_reply_language([english, spanish, unlabelled]) == [spanish, unlabelled]
    with speaking("de"):
        # none in German: all of them, each marked with its language when shown
        assert in_reply_language([english, spanish]) == [english, spanish]
        assert "(" in wording.tip_line(english)


def test_a_button_answers_in_the_language_of_the_reply_it_came_with(
    assistant: Assistant,
) -> None:
    first = assistant.answer(ANA, "¿qué compró María López la última vez?", "button-lang")
    assert first.language == "es"
    # The button's label is Spanish; pressing it answers in Spanish too.
    reply = assistant.follow(ANA, first.options[0], "button-lang")
    assert reply.language == "es"
    with speaking("es"):
        assert first.options[0].label == _("All purchases")


def test_a_short_message_uses_the_preference_then_the_client_then_the_default(
    assistant: Assistant,
) -> None:
    short = "Çağla?"
    assert assistant.answer(ANA, short, "pref-0").language == "en"
    client = Caller(name="Ana", role="associate", client_language="el")
    assert assistant.answer(client, short, "pref-1").language == "el"
    preferring = Caller(name="Ana", role="associate", language="de", client_language="el")
    assert assistant.answer(preferring, short, "pref-2").language == "de"
    # a message whose language can be told wins over every preference
    reply = assistant.answer(preferring, "¿qué tallas usa Çağla Yılmaz?", "pref-3")
    assert reply.language == "es"


def test_default_language_and_currency_are_the_stores(
    demo_dir: Path, embeddings: E5Embeddings
) -> None:
    settings = Settings(_env_file=None, DATA_DIR=demo_dir, DEFAULT_LANGUAGE="TR", CURRENCY="try")
    assert (settings.DEFAULT_LANGUAGE, settings.CURRENCY) == ("tr", "TRY")
    turkish = Assistant(
        engine=open_database(settings),
        tips=open_tips(settings, embeddings),
        embeddings=embeddings,
        clock=lambda: DEMO_NOW,
        default_language=settings.DEFAULT_LANGUAGE,
        currency=settings.CURRENCY,
    )

    reply = turkish.answer(ANA, "María López?", "default-tr")  # too short to tell

    assert reply.language == "tr"
    assert "₺" in reply.text  # her spend on the overview, in the store's currency
    assert "€" not in reply.text


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [("CURRENCY", "EURO", "ISO 4217"), ("DEFAULT_LANGUAGE", "english", "ISO 639-1")],
)
def test_a_wrong_language_or_currency_setting_says_what_is_expected(
    setting: str, value: str, says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        Settings(_env_file=None, **{setting: value})


def test_a_tips_file_problem_is_said_in_the_managers_language() -> None:
    problem = Problem(3, "sku", N_("{sku!r} is not a known SKU"), sku="X-1")
    error = TipsFileError([problem])

    assert problem == "line 3: sku: 'X-1' is not a known SKU"  # as the CLI prints it
    with speaking("de"):
        where = _("line {line}: {column}").format(line=3, column="sku")
        reason = _("{sku!r} is not a known SKU").format(sku="X-1")
        assert problem_text(problem) == f"{where}: {reason}"
        said = file_error_text(error)
    assert reason in said
    assert "is not a known SKU" not in said
    assert "'X-1'" in said


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("¿Quién es Martínez?", "es"),
        ("Gülşen Koç kimdir?", "tr"),
        ("Καλημέρα σας!", "el"),
        ("Wer ist Hanna Krüger?", "de"),
        ("who is María López?", "en"),
        ("Bedenleri?", "tr"),
        ("Σε ευχαριστώ", "el"),
        # a bare name tells nothing: the conversation, then the preferences decide
        ("Çağla?", None),
        ("Hiroshi Tanaka", None),
    ],
)
def test_a_short_message_is_told_by_its_words_not_its_names(
    text: str, language: str | None
) -> None:
    assert message_language(text) == language


def test_a_short_follow_up_keeps_the_conversations_language(assistant: Assistant) -> None:
    first = assistant.answer(ANA, "¿qué compró María López la última vez?", "keep-es")
    again = assistant.answer(ANA, "¿Y en 2025?", "keep-es")
    sizes = assistant.answer(ANA, "Tallas?", "keep-es")

    assert (first.language, again.language, sizes.language) == ("es", "es", "es")
    assert again.customer_id == MARIA_LOPEZ


@pytest.mark.parametrize(
    ("text", "language"),
    [("Çok teşekkür ederim", "tr"), ("Σε ευχαριστώ πολύ για τη βοήθεια", "el")],
)
def test_thanks_in_any_form_get_a_welcome(assistant: Assistant, text: str, language: str) -> None:
    reply = assistant.answer(ANA, text, f"thanks-any-{text}")

    assert reply.language == language
    with speaking(language):
        assert reply.text == _(wording.WELCOME)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ok bye, see you tomorrow", "en"),
        ("bueno, hasta mañana!", "es"),
        ("tamam, iyi akşamlar", "tr"),
        ("καληνύχτα σε όλους", "el"),
        ("alles klar, bis später", "de"),
    ],
)
def test_leave_taking_gets_a_goodbye_in_its_language_not_the_help(
    assistant: Assistant, text: str, language: str
) -> None:
    reply = assistant.answer(ANA, text, f"bye-{text}")

    assert reply.intent == Intent.greeting
    assert reply.language == language
    with speaking(language):
        assert reply.text == _(wording.FAREWELL)
    assert not reply.skus
    assert reply.customer_id is None


def test_the_buttons_of_a_saved_note_are_in_the_notes_language(
    writable_assistant: Assistant,
) -> None:
    reply = writable_assistant.answer(
        ANA, "nota para María López: prefiere que la llamen por la tarde", "note-es"
    )

    assert reply.intent == Intent.note
    with speaking("es"):
        assert reply.labels == [_("Notes"), _("Recommend")]
        assert reply.text.startswith(_("Noted for {name}: {note}").split("{name}")[0])


def test_an_order_line_shows_its_amount_and_a_return_a_negative_one() -> None:
    bought = PurchaseLine("O1", "AP", "AeroPress", None, 2, 39.95, None)
    returned = PurchaseLine("O2", "BL", "Blundstone #500", None, -1, 188.96, None)
    with speaking("es"):
        assert wording.purchase_line(bought) == "• AeroPress ×2 · 79,90\xa0€"
        assert wording.purchase_line(returned) == (
            f"• Blundstone #500 ×1 {_('(returned)')} · -188,96\xa0€"
        )
