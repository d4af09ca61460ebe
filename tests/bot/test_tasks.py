"""Follow-up tasks from chat in five languages, listed after a restart, Done / Snooze buttons,
and `clienteling tasks` / `lists followups` (the demo store; its "today" is Sunday 22 Nov 2026)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from bot.cli import main
from bot.core.assistant import Assistant, Caller
from bot.core.task_words import asks_a_question, task_text
from bot.core.types import Intent
from storage.models import FollowUp, Note
from tests.bot.conftest import make_assistant
from tests.bot.telegram_app import ASSOCIATE, Telegram, buttons_of

ANA = Caller(name="Ana", store="S01", telegram_id=ASSOCIATE)
BEA = Caller(name="Bea", store="S01", telegram_id=ASSOCIATE + 1)


def _tasks(assistant: Assistant) -> list[FollowUp]:
    with Session(assistant.engine) as db:
        return list(db.exec(select(FollowUp).order_by(col(FollowUp.id))).all())


@pytest.mark.parametrize(
    ("message", "customer_id_name", "due", "language", "task_words"),
    [
        (
            "remind me to call María García next Tuesday about the grinder",
            "García",
            date(2026, 11, 24),
            "en",
            "call María García about the grinder",
        ),
        (
            "recuérdame llamar a Nikos Papadopoulos el viernes",
            "Papadopoulos",
            date(2026, 11, 27),
            "es",
            "llamar a Nikos Papadopoulos",
        ),
        (
            "Çağla Yılmaz'ı yarın aramamı hatırlat",
            "Yılmaz",
            date(2026, 11, 23),
            "tr",
            "Çağla Yılmaz'ı ara",
        ),
        (
            "θύμισέ μου να πάρω τηλέφωνο τον Hiroshi Tanaka την Παρασκευή",
            "Tanaka",
            date(2026, 11, 27),
            "el",
            "πάρω τηλέφωνο τον Hiroshi Tanaka",
        ),
        (
            "erinnere mich, Jürgen Weiß in 3 Tagen wegen der Schuhe anzurufen",
            "Weiß",
            date(2026, 11, 25),
            "de",
            "Jürgen Weiß wegen der Schuhe anrufen",
        ),
        # Other ways to ask: the request words are not the task.
        (
            "don't let me forget to call María García next Tuesday",
            "García",
            date(2026, 11, 24),
            "en",
            "call María García",
        ),
        (
            "mándame un aviso el viernes para llamar a Nikos Papadopoulos",
            "Papadopoulos",
            date(2026, 11, 27),
            "es",
            "llamar a Nikos Papadopoulos",
        ),
        (
            "erinnere mich bitte am Freitag daran, Herrn Tanaka wegen der Mühle anzurufen",
            "Tanaka",
            date(2026, 11, 27),
            "de",
            "Herrn Tanaka wegen der Mühle anrufen",
        ),
        # Greek typed in Latin letters, its weekday too; days and weeks abbreviated.
        (
            "thymise mou na parw ton Hiroshi Tanaka tin triti",
            "Tanaka",
            date(2026, 11, 24),
            "el",
            "parw ton Hiroshi Tanaka",
        ),
        (
            "follow up w María García in 2 wks re the grinder",
            "García",
            date(2026, 12, 6),
            "en",
            "follow up w María García re the grinder",
        ),
    ],
)
def test_a_reminder_makes_a_task_for_the_customer_on_the_day_it_names(
    writable_assistant: Assistant,
    message: str,
    customer_id_name: str,
    due: date,
    language: str,
    task_words: str,
) -> None:
    reply = writable_assistant.answer(ANA, message, "chat")

    [task] = _tasks(writable_assistant)
    assert reply.intent == Intent.task
    assert reply.language == language
    assert task.due_date == due
    assert task.customer_id == reply.customer_id
    assert customer_id_name in reply.text
    assert task_words.casefold() in task.text.casefold()
    assert (task.telegram_id, task.associate_name, task.store) == (ASSOCIATE, "Ana", "S01")
    # The confirmation names the day, and offers Done and Snooze.
    assert str(due.day) in reply.text
    assert {o.intent for o in reply.options} == {Intent.task_done, Intent.task_snooze}


def test_a_name_several_customers_have_asks_which_and_the_button_saves_the_task(
    writable_assistant: Assistant,
) -> None:
    reply = writable_assistant.answer(ANA, "recuérdame llamar a Nikos el viernes", "chat")

    assert reply.intent == Intent.clarify
    assert not _tasks(writable_assistant)
    assert len(reply.options) == 2
    picked = writable_assistant.follow(ANA, reply.options[1], "chat")
    [task] = _tasks(writable_assistant)
    assert picked.intent == Intent.task
    assert task.customer_id == reply.options[1].value.split("|")[0]
    assert task.due_date == date(2026, 11, 27)


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("remind me to call María García", Intent.task),  # no day: asks when
        ("remind me to call on Friday", Intent.need_customer),  # nobody: asks who
        ("remind me to call Zacharias Quintero on Friday", Intent.not_found),
    ],
)
def test_a_reminder_missing_its_day_or_customer_saves_nothing_and_says_what_is_missing(
    writable_assistant: Assistant, message: str, intent: Intent
) -> None:
    reply = writable_assistant.answer(ANA, message, "chat")

    assert reply.intent == intent
    assert not _tasks(writable_assistant)


def test_a_pronoun_reminder_is_for_the_customer_the_chat_is_about(
    writable_assistant: Assistant,
) -> None:
    writable_assistant.answer(ANA, "who is Hiroshi Tanaka?", "chat")

    reply = writable_assistant.answer(ANA, "remind me to call him tomorrow", "chat")

    [task] = _tasks(writable_assistant)
    assert reply.intent == Intent.task
    assert "Tanaka" in reply.text
    assert task.due_date == date(2026, 11, 23)


@pytest.mark.parametrize(
    "message",
    [
        "what did María García buy last time?",
        "note for María García: remind her about the winter sale",
        "who hasn't been in for 90 days?",
    ],
)
def test_questions_and_notes_are_not_tasks(writable_assistant: Assistant, message: str) -> None:
    writable_assistant.answer(ANA, message, "chat")

    assert not _tasks(writable_assistant)


def test_a_note_mentioning_a_reminder_is_a_note(writable_assistant: Assistant) -> None:
    reply = writable_assistant.answer(
        ANA, "note for María García: remind her about the sale", "chat"
    )

    with Session(writable_assistant.engine) as db:
        notes = db.exec(select(Note).where(col(Note.text).contains("about the sale"))).all()
    assert reply.intent == Intent.note
    assert [n.text for n in notes] == ["remind her about the sale"]
    assert not _tasks(writable_assistant)


def test_tasks_are_listed_after_a_restart_and_done_and_snooze_work(
    writable_dir: Path, writable_assistant: Assistant, embeddings: object
) -> None:
    writable_assistant.answer(ANA, "remind me to call María García tomorrow", "a")
    writable_assistant.answer(ANA, "remind me to text Hiroshi Tanaka on Friday", "a")
    writable_assistant.answer(BEA, "remind me to call Çağla Yılmaz tomorrow", "b")
    restarted = make_assistant(writable_dir, embeddings)  # type: ignore[arg-type]

    listed = restarted.answer(ANA, "/tasks", "a2")

    assert listed.intent == Intent.task
    assert "García" in listed.text
    assert "Tanaka" in listed.text
    assert "Yılmaz" not in listed.text  # Bea's
    assert listed.text.index("García") < listed.text.index("Tanaka")  # soonest first
    done = next(o for o in listed.options if o.intent == Intent.task_done)
    snooze = [o for o in listed.options if o.intent == Intent.task_snooze][1]
    assert restarted.follow(ANA, done, "a2").text.startswith("Done")
    snoozed = restarted.follow(ANA, snooze, "a2")
    tasks = {t.customer_id: t for t in _tasks(restarted)}
    garcia = next(t for t in tasks.values() if "García" in t.text)
    tanaka = next(t for t in tasks.values() if "Tanaka" in t.text)
    assert garcia.done_at is not None
    assert tanaka.due_date == date(2026, 12, 4)  # Friday 27 Nov put off a week
    assert snoozed.intent == Intent.task
    relisted = restarted.answer(ANA, "my tasks", "a2")
    assert "García" not in relisted.text
    assert "Tanaka" in relisted.text


def test_the_cli_lists_tasks_and_followups_due_by_a_date(
    writable_dir: Path,
    writable_assistant: Assistant,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    console = Caller.local_admin()
    writable_assistant.answer(console, "remind me to call María García tomorrow", "c")
    writable_assistant.answer(console, "remind me to call Hiroshi Tanaka on 10 December", "c")
    monkeypatch.chdir(writable_dir)
    monkeypatch.setenv("DATA_DIR", str(writable_dir))

    assert main(["lists", "followups", "--date", "2026-11-23", "--json"]) == 0
    due = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["tasks", "--json"]) == 0
    every = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["lists", "followups", "--date", "2026-11-23", "--days", "30"]) == 0
    text = capsys.readouterr().out
    assert [row["name"] for row in due] == ["María García"]
    assert due[0]["due_date"] == "2026-11-23"
    assert isinstance(due[0]["task_id"], int)
    assert {"customer_id", "name", "reason", "value"} <= due[0].keys()
    assert [row["name"] for row in every] == ["María García", "Hiroshi Tanaka"]
    assert "Tanaka" in text


async def test_telegram_tasks_command_and_done_button(telegram: Telegram) -> None:
    [made] = await telegram.say(ASSOCIATE, "remind me to call Hiroshi Tanaka on Friday")
    assert "Tanaka" in made["text"]

    [listed] = await telegram.say(ASSOCIATE, "/tasks")
    buttons = dict(buttons_of(listed))
    done_label = next(label for label in buttons if label.startswith("✓"))
    [done] = await telegram.press(ASSOCIATE, buttons[done_label])

    assert "Tanaka" in listed["text"]
    assert "Done: Call Hiroshi Tanaka" in done["text"]
    [empty] = await telegram.say(ASSOCIATE, "/tasks")
    assert "no open follow-ups" in empty["text"]


def test_a_note_asking_to_call_back_on_a_day_also_makes_a_linked_task(
    writable_assistant: Assistant,
) -> None:
    reply = writable_assistant.answer(
        ANA, "note for María García: wants the black grinder, call her back on Friday", "chat"
    )

    [task] = _tasks(writable_assistant)
    with Session(writable_assistant.engine) as db:
        note = db.get(Note, task.note_id)
    assert reply.intent == Intent.note
    assert note is not None
    assert "black grinder" in note.text
    assert task.due_date == date(2026, 11, 27)
    assert "27" in reply.text


@pytest.mark.parametrize(
    "note",
    [
        "note for María García: bought a scarf for her sister's birthday on 12 December",
        "note for María García: call her back when the grinder is in",  # no day
    ],
)
def test_a_note_without_a_follow_up_and_a_day_makes_no_task(
    writable_assistant: Assistant, note: str
) -> None:
    reply = writable_assistant.answer(ANA, note, "chat")

    assert reply.intent == Intent.note
    assert not _tasks(writable_assistant)


@pytest.mark.parametrize(
    "message",
    [
        "remind me what María García bought last time",
        "recuérdame qué compró María García",
        "erinnere mich, was Jürgen Weiß gekauft hat",
        "me recuerdas lo que compró María García?",
        "Çağla Yılmaz ne aldı hatırlat bana",
    ],
)
def test_a_question_worded_as_a_reminder_is_answered_as_a_question(
    writable_assistant: Assistant, message: str
) -> None:
    reply = writable_assistant.answer(ANA, message, "chat")

    assert reply.intent != Intent.task
    assert not _tasks(writable_assistant)


def test_a_reminder_waiting_for_its_day_takes_it_from_the_next_message(
    writable_assistant: Assistant,
) -> None:
    asked = writable_assistant.answer(ANA, "remind me to text Zoë Clarke", "chat")
    made = writable_assistant.answer(ANA, "on Friday", "chat")

    [task] = _tasks(writable_assistant)
    assert asked.intent == Intent.task
    assert made.intent == Intent.task
    assert (task.customer_id, task.due_date, task.text) == (
        "C0020",
        date(2026, 11, 27),
        "Text Zoë Clarke",
    )


def test_a_reminder_waiting_for_its_customer_takes_them_from_the_next_message(
    writable_assistant: Assistant,
) -> None:
    writable_assistant.answer(ANA, "recuérdame llamar el viernes", "chat")
    writable_assistant.answer(ANA, "Jürgen Weiß", "chat")

    [task] = _tasks(writable_assistant)
    assert (task.customer_id, task.due_date) == ("C0137", date(2026, 11, 27))


def test_a_new_question_drops_the_waiting_reminder(writable_assistant: Assistant) -> None:
    writable_assistant.answer(ANA, "remind me to text Zoë Clarke", "chat")
    reply = writable_assistant.answer(ANA, "what did Hiroshi Tanaka buy last time?", "chat")
    later = writable_assistant.answer(ANA, "Friday", "chat")

    assert reply.intent == Intent.history
    assert later.intent != Intent.task
    assert not _tasks(writable_assistant)


@pytest.mark.parametrize(
    ("closing", "language"),
    [
        ("I called Hiroshi Tanaka, mark it done", "en"),
        ("ya llamé a Hiroshi Tanaka", "es"),
        ("Hiroshi Tanaka'yı bugün aradım", "tr"),
        ("τηλεφώνησα στον Hiroshi Tanaka", "el"),
        ("habe Hiroshi Tanaka angerufen, erledigt", "de"),
    ],
)
def test_a_task_is_closed_in_words_in_five_languages(
    writable_assistant: Assistant, closing: str, language: str
) -> None:
    writable_assistant.answer(ANA, "remind me to call Hiroshi Tanaka on Friday", "chat")

    reply = writable_assistant.answer(ANA, closing, "chat")

    [task] = _tasks(writable_assistant)
    assert task.done_at is not None, reply.text
    assert reply.language == language


@pytest.mark.parametrize(
    "tried",
    [
        "I called Hiroshi Tanaka but no answer",
        "llamé a Hiroshi Tanaka pero no contestó",
        "Hiroshi Tanaka'yı aradım ama açmadı",
        "τηλεφώνησα στον Hiroshi Tanaka αλλά δεν απάντησε",
        "habe Hiroshi Tanaka angerufen, aber nicht erreicht",
    ],
)
def test_a_call_nobody_answered_leaves_the_task_open(
    writable_assistant: Assistant, tried: str
) -> None:
    writable_assistant.answer(ANA, "remind me to call Hiroshi Tanaka on Friday", "chat")

    writable_assistant.answer(ANA, tried, "chat")

    [task] = _tasks(writable_assistant)
    assert task.done_at is None, tried


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Asked with "can you", "¿me recuerdas…?": still a reminder.
        ("¿me recuerdas llamar a Hiroshi Tanaka el viernes?", Intent.task),
        # A question wrapped in a request to remind: answered, no task made.
        ("can you remind me of Hiroshi Tanaka's shoe size?", Intent.sizes),
        ("¿puedes recordarme qué compró Hiroshi Tanaka?", Intent.history),
        ("kannst du mich erinnern, was Hiroshi Tanaka gekauft hat?", Intent.history),
    ],
)
def test_a_reminder_asked_politely_is_made_and_a_question_in_one_is_answered(
    writable_assistant: Assistant, text: str, intent: Intent
) -> None:
    reply = writable_assistant.answer(ANA, text, f"polite-{text}")

    assert reply.intent == intent, reply.text
    assert len(_tasks(writable_assistant)) == (1 if intent == Intent.task else 0)


def test_a_task_is_snoozed_in_words_to_the_day_named(writable_assistant: Assistant) -> None:
    writable_assistant.answer(ANA, "remind me to call Hiroshi Tanaka tomorrow", "chat")

    reply = writable_assistant.answer(ANA, "snooze the Hiroshi Tanaka reminder to Friday", "chat")

    [task] = _tasks(writable_assistant)
    assert reply.intent == Intent.task
    assert task.due_date == date(2026, 11, 27)
    assert task.done_at is None


def test_closing_words_without_an_open_task_are_answered_as_usual(
    writable_assistant: Assistant,
) -> None:
    reply = writable_assistant.answer(ANA, "I called Hiroshi Tanaka yesterday", "chat")

    assert reply.intent != Intent.task
    assert not _tasks(writable_assistant)


def test_the_same_reminder_twice_is_one_task(writable_assistant: Assistant) -> None:
    writable_assistant.answer(ANA, "remind me to call Hiroshi Tanaka tomorrow", "chat")
    again = writable_assistant.answer(ANA, "remind me to call Hiroshi Tanaka tomorrow", "chat")

    assert len(_tasks(writable_assistant)) == 1
    assert "already" in again.text


def test_a_reminder_for_a_name_nobody_has_says_so(writable_assistant: Assistant) -> None:
    reply = writable_assistant.answer(ANA, "remind me to call Gandalf on Friday", "chat")

    assert reply.intent == Intent.not_found
    assert "Gandalf" in reply.text


def test_a_date_already_past_this_year_is_next_years_and_says_the_year(
    writable_assistant: Assistant,
) -> None:
    reply = writable_assistant.answer(
        ANA, "remind me to call Hiroshi Tanaka on 3 November", "chat"
    )

    [task] = _tasks(writable_assistant)
    assert task.due_date == date(2027, 11, 3)
    assert "2027" in reply.text


@pytest.mark.parametrize(
    "question",
    [
        "τι εκκρεμότητες έχω;",
        "mis tareas",
        "Aufgaben?",
        "görevlerim",
        "my to do list",
        "what's on my list today?",
    ],
)
def test_asking_for_ones_tasks_lists_them(writable_assistant: Assistant, question: str) -> None:
    writable_assistant.answer(ANA, "remind me to call Hiroshi Tanaka tomorrow", "chat")

    reply = writable_assistant.answer(ANA, question, "chat")

    assert reply.intent == Intent.task
    assert "Hiroshi Tanaka" in reply.text


@pytest.mark.parametrize(
    ("message", "heading"),
    [
        ("who should I ring today?", "Today, "),
        ("what do I have to do today?", "Today, "),
        ("a quién tengo que llamar hoy?", "Hoy, "),
        ("bugün kimi arayayım", "Bugün, "),
        ("Wen soll ich heute anrufen?", "Heute, "),
        ("was steht heute an?", "Heute, "),
    ],
)
def test_who_to_call_today_is_the_briefing_in_the_language_asked(
    writable_assistant: Assistant, message: str, heading: str
) -> None:
    writable_assistant.answer(ANA, "remind me to call María García today", "d")

    reply = writable_assistant.answer(ANA, message, "d2")

    # The day's calls: the caller's follow-ups first, then the store's lists, never "no tasks".
    assert reply.intent == Intent.briefing
    assert reply.text.startswith(heading)
    assert "García" in reply.text.split("\n\n")[1]
    assert not reply.text.startswith("Good morning")


def test_my_tasks_are_still_only_the_callers_tasks(writable_assistant: Assistant) -> None:
    reply = writable_assistant.answer(ANA, "my tasks", "d3")

    assert reply.intent == Intent.task
    assert reply.text.startswith("You have no open follow-ups")


@pytest.mark.parametrize(
    "text",
    [
        "what reminders do I have?",
        "¿qué recordatorios tengo?",
        "welche Erinnerungen habe ich?",
        "ποιες υπενθυμίσεις έχω;",
        # Where to see them, asked: they are shown.
        "where can I see the reminders I set?",
        "¿dónde veo los recordatorios que he puesto?",
        "hatırlatmalarımı nereden görebilirim",
        "πού βλέπω τις υπενθυμίσεις που έβαλα;",
        "wo sehe ich meine Erinnerungen?",
    ],
)
def test_which_reminders_i_have_lists_my_tasks(writable_assistant: Assistant, text: str) -> None:
    writable_assistant.answer(ANA, "remind me to call María García next Tuesday", "w1")

    reply = writable_assistant.answer(ANA, text, "w2")

    assert reply.intent == Intent.task
    assert "García" in reply.text


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("pls remind me to call Peggy about Hamish's bed", "Call Peggy about Hamish's bed"),
        ("please, remind me to text Ana", "Text Ana"),
        ("porfa recuérdame llamar a Ana", "Llamar a Ana"),
        ("bitte erinnere mich, Anna anzurufen", "Anna anrufen"),
        # "q" typed for "que" is a request word too, not the question "what".
        ("recuérdame q tengo que llamar a Ana", "Tengo que llamar a Ana"),
        ("me recuerdas q llame a Ana mañana?", "Llame a Ana mañana"),
    ],
)
def test_a_polite_word_before_the_request_is_no_part_of_the_task(text: str, what: str) -> None:
    assert task_text(text) == what


@pytest.mark.parametrize(
    "text",
    [
        "recuérdame lo que tengo que pedir para Ana el viernes",
        "yarın Ana'ya ne getirmesi gerektiğini söylemeyi hatırlat",
    ],
)
def test_a_to_do_that_holds_a_question_word_is_still_a_to_do(text: str) -> None:
    assert not asks_a_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "σημείωσε για την María García ότι οι εργασίες στο σπίτι της τελειώνουν τον Μάρτιο",
        "María García SMS hatırlatmalarını istemiyor, bunu not al",
    ],
)
def test_a_note_speaking_of_reminders_or_works_is_a_note(
    writable_assistant: Assistant, text: str
) -> None:
    reply = writable_assistant.answer(ANA, text, "note-works")

    assert reply.intent == Intent.note, text
    assert not _tasks(writable_assistant)


@pytest.mark.parametrize(
    ("message", "surname", "due"),
    [
        ("call María García next week to see how the grinder works", "García", date(2026, 11, 23)),
        ("Hiroshi Tanaka hat den Kessel gekauft, in 2 Wochen nachfragen", "Tanaka", None),
        ("la semana que viene llamar a Nikos Papadopoulos por la cafetera", "Papadopoulos", None),
        ("να πάρω τηλ τη María García την Παρασκευή για το δώρο", "García", date(2026, 11, 27)),
        ("Çağla Yılmaz cuma aranacak, fincanlar geldi", "Yılmaz", date(2026, 11, 27)),
        ("Çağla Yılmaz'a cuma dönüş yap, değirmen geldi", "Yılmaz", date(2026, 11, 27)),
        ("Hiroshi Tanaka am Freitag zurueckrufen wegen Kessel", "Tanaka", date(2026, 11, 27)),
    ],
)
def test_a_to_do_to_get_in_touch_on_a_day_is_saved_as_a_note_and_a_task(
    writable_assistant: Assistant, message: str, surname: str, due: date | None
) -> None:
    """No "remind me": a to-do written as notes are ("call X next week", "in 2 Wochen
    nachfragen") keeps its words as her note and puts the call on the day it names."""
    reply = writable_assistant.answer(ANA, message, "chat")

    [task] = _tasks(writable_assistant)
    with Session(writable_assistant.engine) as db:
        note = db.get(Note, task.note_id)
    assert reply.intent == Intent.note
    assert surname in reply.text
    assert note is not None
    assert note.customer_id == task.customer_id == reply.customer_id
    assert task.due_date > date(2026, 11, 22)
    assert due is None or task.due_date == due


@pytest.mark.parametrize(
    "message",
    [
        "should I call María García next week?",  # a question
        "María García called last week about the grinder",  # no day ahead, no to-do
        "call María García",  # no day: nothing to put in the diary
    ],
)
def test_what_is_no_to_do_with_a_day_makes_no_task(
    writable_assistant: Assistant, message: str
) -> None:
    writable_assistant.answer(ANA, message, "chat")

    assert not _tasks(writable_assistant)


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("bunu perşembe tekrar aramam lazım, hatırlatır mısın", Intent.need_customer),
        ("can you remind me to call her on Friday?", Intent.need_customer),
        ("¿puedes recordarme mañana llamar a un cliente?", Intent.help),  # anyone: how it works
        ("can you set reminders?", Intent.help),
    ],
)
def test_a_polite_reminder_with_a_day_for_someone_asks_who_and_a_general_one_is_help(
    writable_assistant: Assistant, message: str, intent: Intent
) -> None:
    reply = writable_assistant.answer(ANA, message, "fresh-chat")

    assert reply.intent == intent
    assert not _tasks(writable_assistant)


@pytest.mark.parametrize(
    "message",
    [
        "phone number of María García, I need to call her tomorrow",  # her number asked
        "dame el móvil de María García que tengo que llamarla mañana",
        "gib mir die Nummer von Hiroshi Tanaka, ich muss ihn morgen anrufen",
        "Çağla Yılmaz'ın numarası ne, yarın arayacağım",
        "Να πάρω τηλέφωνο τη María García αύριο;",  # a Greek question mark
        "τι να πάρω για τη María García για τη γιορτή της την Κυριακή",  # to buy, not to call
        "Soll ich Hiroshi Tanaka nächste Woche anrufen",  # asked without its mark
        "Çağla Yılmaz'ı yarın arayalım mı",
        "what did María García buy last time, call her next week",  # a question first
    ],
)
def test_a_question_or_a_request_for_her_number_with_a_day_saves_nothing(
    writable_assistant: Assistant, message: str
) -> None:
    reply = writable_assistant.answer(ANA, message, "chat")

    assert reply.intent != Intent.note, message
    assert not _tasks(writable_assistant), message


@pytest.mark.parametrize(
    "text",
    [
        "να τον πάρω τηλέφωνο την Πέμπτη για τις κάψουλες",
        "ruf sie übermorgen an wegen dem Kessel",
        "onu cuma günü ara, fincanlar geldi",
    ],
)
def test_a_to_do_pointing_back_is_her_note_or_asks_who(
    writable_assistant: Assistant, text: str
) -> None:
    """ "Call her on Thursday" with nobody named: for the customer discussed, a note and the
    call; with nobody discussed, who it is for (never off topic, never someone else)."""
    alone = writable_assistant.answer(ANA, text, "todo-alone")
    assert alone.intent == Intent.need_customer, alone.text
    assert alone.customer_id is None

    writable_assistant.answer(ANA, "who is Hiroshi Tanaka?", "todo-after")
    reply = writable_assistant.answer(ANA, text, "todo-after")
    [task] = _tasks(writable_assistant)
    assert reply.intent == Intent.note
    assert reply.customer_id == task.customer_id
    assert "Tanaka" in reply.text


def test_a_to_do_beside_a_question_about_her_answers_the_question(
    writable_assistant: Assistant,
) -> None:
    writable_assistant.answer(ANA, "who is Hiroshi Tanaka?", "todo-question")
    reply = writable_assistant.answer(
        ANA, "ich ruf ihn morgen an, was hat er zuletzt gekauft", "todo-question"
    )
    assert reply.intent == Intent.history
    assert not _tasks(writable_assistant)
