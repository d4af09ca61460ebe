"""Follow-up tasks in chat: "remind me to call María López next Tuesday about the grinder",
"recuérdame llamar a Nikos el viernes", "my tasks", and the Done / Snooze buttons.

A task needs a customer and a date. The date is read offline (bot.core.dates) in the store's
calendar; the customer is found as any question's is (bot.core.understanding), so an ambiguous
name asks "which one?" and a name nobody has is said so, never guessed.
"""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session

from bot.core import audit, wording
from bot.core.book import due_day, due_phrase
from bot.core.dates import FoundDate, find_due_date
from bot.core.help_asks import asks_if_possible
from bot.core.i18n import N_, _, current_language, format_day_month
from bot.core.intents import IntentClassifier
from bot.core.mentions import names_a_person_back, speaks_of_someone, unknown_in
from bot.core.product_names import NAME_SHARE
from bot.core.retrieval import Retrieval
from bot.core.rules import (
    asks_to_save,
    is_help,
    opens_with_save,
)
from bot.core.task_words import (
    REQUEST_WORDS,
    SHORT_ANSWER_WORDS,
    asks_a_question,
    asks_for_own_tasks,
    asks_for_reminder,
    asks_for_tasks,
    asks_to_follow_up,
    content_words,
    task_action,
    task_text,
)
from bot.core.text import bounded, folded_words
from bot.core.types import Caller, Intent, Option, Reply
from bot.core.understanding import understand
from storage.db import read_session, run_write
from storage.followups import (
    add_followup,
    complete_followup,
    get_followup,
    move_followup,
    open_followups,
    same_open_followup,
    snooze_followup,
)
from storage.models import Conversation, Customer, FollowUp

# Buttons this module answers (Assistant.follow hands them here).
ACTIONS = frozenset({Intent.task, Intent.task_done, Intent.task_snooze})
# Tasks listed in one reply, and those of them given Done / Snooze buttons.
LISTED = 15
# Turkish demonstratives that point at the customer before a reminder ("bunu perşembe aramam
# lazım"), folded.
_THIS_ONE = frozenset({"bunu", "sunu", "bunlari"})
WITH_BUTTONS = 7


def note_followup(
    r: Retrieval, caller: Caller, customer: Customer, note_id: int | None, text: str
) -> FollowUp | None:
    """Save a task from a note that asks to get back to the customer on a day ("wants the
    black grinder; call her back on Friday"), linked to the note; None when the note names no
    follow-up and day. The task's text is the note's."""
    if not asks_to_follow_up(text):
        return None
    today = r.clock().date()
    found = find_due_date(text, today=today, language=current_language()) or find_due_date(
        text, today=today
    )
    if found is None:
        return None
    return run_write(
        r.engine,
        lambda w: add_followup(
            session=w,
            customer_id=customer.customer_id,
            text=text,
            due_date=found.day,
            now=r.clock(),
            telegram_id=caller.telegram_id,
            associate_name=caller.name,
            store=caller.store,
            note_id=note_id,
            audit_as=audit.actor_of(caller),
        ),
    )


def answer_message(
    r: Retrieval,
    classifier: IntentClassifier,
    db: Session,
    caller: Caller,
    text: str,
    conversation: Conversation,
) -> Reply | None:
    """Return the reply to a message about follow-up tasks, else None: one that makes a task
    ("remind me to call María on Friday"), lists them ("my tasks"), closes or snoozes one in
    words ("I called Hiroshi, mark it done"), or gives the day or customer a task asked for.

    A task is saved for the customer the message names (or the conversation's, for "remind
    me to call her on Friday") on the date it names, in the store's calendar."""
    pending, conversation.pending_task = conversation.pending_task, None
    if asks_for_tasks(text) and (
        asks_for_own_tasks(text)
        or not understand(r, classifier, db, text, conversation).named_customer
    ):
        # "Peggy Ellis-Booth, any open follow-ups?" asks what is open with her: her notes; "my
        # tasks for Owen" are mine.
        return tasks_reply(r, caller)
    text = bounded(text)[0]
    action = task_action(text)
    # "γράψε στον φάκελο του X: ήθελε υπενθύμιση…", "… bi dahakine hatırlatalım diye yaz" save
    # a note that speaks of a reminder.
    saves = opens_with_save(text) or (asks_to_save(text) and not REQUEST_WORDS.match(text))
    # "can you set reminders?" asks what the assistant does (bot.core.rules.is_help).
    reminder = asks_for_reminder(text) and not saves and not is_help(text)
    if action is None and not reminder and pending is None:
        return None  # most messages: no date to read
    today = r.clock().date()
    found = find_due_date(text, today=today, language=current_language()) or find_due_date(
        text, today=today
    )
    rest = text if found is None else text[: found.start] + " " + text[found.end :]
    if action is not None:
        done = _act_in_words(r, classifier, db, caller, rest, conversation, action, found)
        if done is not None:
            return done
    if not reminder or asks_a_question(text):
        # "remind me what María bought last time" is a question about her
        if pending is not None:
            return _completed(r, classifier, db, caller, rest, conversation, pending, found)
        return None
    u = understand(r, classifier, db, rest, conversation)
    what = task_text(rest)
    if u.candidates:
        if found is None:
            return Reply(text=_(WHEN), intent=Intent.task)
        return _which_one(r, db, u.customer_query, u.candidates, found.day, what)
    customer = u.customer
    if customer is None and pending is not None and found is not None:
        # "remind me to text Zoë" … "when?" … "remind me Friday": the waiting task's customer
        waiting = _waiting(pending)
        customer = r.customer(db, waiting[0]) if waiting[0] else None
        what = waiting[2] if customer is not None else what
    if customer is None:
        unknown = u.customer_query or " ".join(_unknown_names(r, rest))
        if unknown:
            return Reply(text=wording.not_found_text(unknown), intent=Intent.not_found)
        _wait(conversation, None, found.day if found else None, what)
        pointed = names_a_person_back(text) or not _THIS_ONE.isdisjoint(folded_words(text))
        general = found is None or not pointed or speaks_of_someone(text)
        if general and asks_if_possible(text, current_language()):
            # "can you set reminders?", "¿puedes recordarme mañana llamar a un cliente?": what
            # reminders it sets, and how to ask (a name next makes this one). With a day and
            # someone pointed at ("bunu perşembe aramam lazım, hatırlatır mısın") it is one.
            return Reply(text=_(CAN_REMIND), intent=Intent.help)
        return Reply(text=_(WHO), intent=Intent.need_customer)
    if found is None:
        _wait(conversation, customer.customer_id, None, what)
        return Reply(text=_(WHEN), intent=Intent.task, customer_id=customer.customer_id)
    return make_task(r, caller, customer, found.day, what)


def _wait(
    conversation: Conversation, customer_id: str | None, due: date | None, what: str
) -> None:
    """Keep a task that lacks its day or customer until the next message gives it."""
    conversation.pending_task = json.dumps(
        {"customer_id": customer_id, "due": due.isoformat() if due else None, "text": what},
        ensure_ascii=False,
    )


def _completed(
    r: Retrieval,
    classifier: IntentClassifier,
    db: Session,
    caller: Caller,
    rest: str,
    conversation: Conversation,
    pending: str,
    found: FoundDate | None,
) -> Reply | None:
    """Finish the task the last reply asked the day or the customer of ("Friday", "Zoë
    Clarke"); None when the message is something else (it is then answered as usual)."""
    customer_id, due, what = _waiting(pending)
    if not what:
        return None
    if len(content_words(rest)) > SHORT_ANSWER_WORDS:
        return None  # a new question, not the answer to "when?" or "who?"
    if customer_id is not None and found is not None:
        customer = r.customer(db, customer_id)
        return make_task(r, caller, customer, found.day, what) if customer else None
    if customer_id is None and due is not None:
        u = understand(r, classifier, db, rest, conversation)
        if u.candidates:
            return _which_one(r, db, u.customer_query, u.candidates, date.fromisoformat(due), what)
        if u.customer is not None:
            return make_task(r, caller, u.customer, date.fromisoformat(due), what)
    return None


def _waiting(pending: str) -> tuple[str | None, str | None, str]:
    """Return the waiting task's (customer id, due date ISO, text); text "" when unreadable."""
    try:
        waiting = json.loads(pending)
        return waiting["customer_id"], waiting["due"], str(waiting["text"])
    except (ValueError, KeyError, TypeError):
        return None, None, ""


def _unknown_names(r: Retrieval, text: str) -> list[str]:
    """Return capitalised words of a task that read as a name nobody has ("call Gandalf")."""
    what = REQUEST_WORDS.sub("", " ".join(text.split()), count=1)
    products = r.catalogue.products
    folded = folded_words(what)
    known = {w for _, score, ws in products.match_names(folded) if score >= NAME_SHARE for w in ws}
    return unknown_in(r, what, known, products.categories_named(folded), pronoun=True)


def _act_in_words(
    r: Retrieval,
    classifier: IntentClassifier,
    db: Session,
    caller: Caller,
    rest: str,
    conversation: Conversation,
    action: str,
    found: FoundDate | None,
) -> Reply | None:
    """Close or snooze the caller's open task for the customer a message names ("I called
    Hiroshi, mark it done", "snooze the Sergei reminder to Monday"); None when the caller has
    no open task for them (the message is then answered as usual)."""
    u = understand(r, classifier, db, rest, conversation)
    if u.customer is None:
        return None
    tasks = [
        task
        for task, _customer in open_followups(
            session=db, telegram_id=caller.telegram_id, scope=r.scope
        )
        if task.customer_id == u.customer.customer_id
    ]
    if not tasks:
        return None
    if len(tasks) > 1:
        lines = [_("Which follow-up for {name}?").format(name=wording.full_name(u.customer))]
        lines += [
            f"• {due_day(t.due_date, r.clock().date())}: {wording.preview(t.text)}" for t in tasks
        ]
        return Reply(
            text="\n".join(lines),
            intent=Intent.task,
            customer_id=u.customer.customer_id,
            options=[o for t in tasks[:WITH_BUTTONS] for o in task_buttons(t, u.customer)],
        )
    [task] = tasks
    if action == "done":
        return follow(r, caller, Option("", Intent.task_done, str(task.id)))
    if found is None:
        return follow(r, caller, Option("", Intent.task_snooze, str(task.id)))
    task_id, day = int(task.id or 0), found.day
    moved = run_write(r.engine, lambda w: move_followup(session=w, task_id=task_id, due=day))
    if moved is None:
        return None
    return Reply(
        text=_("Snoozed to {day}: {task}").format(
            day=due_day(moved.due_date, r.clock().date()), task=wording.preview(moved.text)
        ),
        intent=Intent.task,
        customer_id=moved.customer_id,
    )


WHEN = N_("When should I remind you? Add a day, for example: remind me to call María on Friday.")
WHO = N_("Who is it about? For example: remind me to call María López on Friday.")
CAN_REMIND = N_(
    "I can remind you to get in touch with a customer on the day you choose (see them with "
    "“my tasks”). Tell me who and when, for example: remind me to call María López on Friday."
)


def make_task(r: Retrieval, caller: Caller, customer: Customer, due: date, what: str) -> Reply:
    """Save a task for `customer` due on `due` (store calendar) owned by the caller, and
    confirm it with its date and buttons."""
    text = what or _("Get back to {name}").format(name=wording.full_name(customer))

    def save(w: Session) -> tuple[FollowUp, bool]:
        same = same_open_followup(
            session=w,
            telegram_id=caller.telegram_id,
            customer_id=customer.customer_id,
            due_date=due,
            text=text,
        )
        if same is not None:
            return same, False
        made = add_followup(
            session=w,
            customer_id=customer.customer_id,
            text=text,
            due_date=due,
            now=r.clock(),
            telegram_id=caller.telegram_id,
            associate_name=caller.name,
            store=caller.store,
            audit_as=audit.actor_of(caller),
        )
        return made, True

    task, new = run_write(r.engine, save)
    said = (
        _("Follow-up for {name} on {day}: {task}")
        if new
        else _("You already have this follow-up for {name} on {day}: {task}")
    )
    return Reply(
        text=said.format(
            name=f"{wording.full_name(customer)} ({customer.customer_id})",
            day=due_day(due, r.clock().date()),
            task=wording.preview(task.text),
        ),
        intent=Intent.task,
        customer_id=customer.customer_id,
        options=task_buttons(task, customer),
        sources=[f"task {task.id}"],
    )


def tasks_reply(r: Retrieval, caller: Caller) -> Reply:
    """List the caller's open tasks (about customers in their scope), the most overdue first,
    with Done / Snooze buttons for the first few."""
    today = r.clock().date()
    with read_session(r.engine) as db:
        rows = open_followups(
            session=db, telegram_id=caller.telegram_id, limit=LISTED + 1, scope=r.scope
        )
    if not rows:
        return Reply(
            text=_("You have no open follow-ups. Add one: remind me to call María on Friday."),
            intent=Intent.task,
        )
    lines = [_("Your follow-ups:")]
    lines += [
        f"• {due_phrase(task.due_date, today)} — {wording.full_name(customer)}"
        f" ({customer.customer_id}): {wording.preview(task.text)}"
        for task, customer in rows[:LISTED]
    ]
    if len(rows) > LISTED:
        lines.append(_("…and more: clienteling tasks lists them all."))
    options = [o for task, customer in rows[:WITH_BUTTONS] for o in task_buttons(task, customer)]
    return Reply(
        text=wording.clip("\n".join(lines)),
        intent=Intent.task,
        options=options,
        sources=[f"task {task.id}" for task, _customer in rows[:LISTED]]
        + [f"customer {customer.customer_id}" for _task, customer in rows[:LISTED]],
    )


def follow(r: Retrieval, caller: Caller, option: Option) -> Reply:
    """Answer a task's button: Done, Snooze a week, or the customer picked for a task that
    named several ("which María?")."""
    if option.intent == Intent.task:
        return _picked(r, caller, option.value or "")
    task_id = int(option.value or 0)
    if not _in_scope(r, task_id):
        task_id = 0  # about a customer out of the caller's scope: as a task that is not there
    if option.intent == Intent.task_done:
        task = run_write(
            r.engine, lambda w: complete_followup(session=w, task_id=task_id, now=r.clock())
        )
        if task is None:
            return Reply(text=_("That follow-up no longer exists."), intent=Intent.task)
        return Reply(
            text=_("Done: {task}").format(task=wording.preview(task.text)),
            intent=Intent.task,
            customer_id=task.customer_id,
        )
    today = r.clock().date()
    task = run_write(r.engine, lambda w: snooze_followup(session=w, task_id=task_id, today=today))
    if task is None:
        return Reply(text=_("That follow-up is already done."), intent=Intent.task)
    return Reply(
        text=_("Snoozed to {day}: {task}").format(
            day=due_day(task.due_date, r.clock().date()), task=wording.preview(task.text)
        ),
        intent=Intent.task,
        customer_id=task.customer_id,
    )


def task_buttons(task: FollowUp, customer: Customer) -> list[Option]:
    """Return a task's Done and Snooze-a-week buttons."""
    # The day tells two tasks for one customer apart: "✓ Done: Çağla (4 Dec)".
    first = f"{customer.first_name or customer.customer_id} ({format_day_month(task.due_date)})"
    return [
        Option(_("✓ Done: {name}").format(name=first), Intent.task_done, str(task.id)),
        Option(_("⏰ Snooze a week: {name}").format(name=first), Intent.task_snooze, str(task.id)),
    ]


def _which_one(
    r: Retrieval, db: Session, query: str, candidates: list[Customer], due: date, what: str
) -> Reply:
    """Ask which customer the task is for; each button saves it for that one."""
    rows = [(c, r.candidate_detail(db, c)) for c in candidates[:5]]
    return Reply(
        text=wording.candidates_text(query, rows),
        intent=Intent.clarify,
        options=[
            Option(wording.candidate_label(c), Intent.task, f"{c.customer_id}|{due}|{what}")
            for c, _detail in rows
        ],
    )


def _in_scope(r: Retrieval, task_id: int) -> bool:
    """Return whether a task's customer is in the caller's scope (True for no such task)."""
    if r.scope.everyone:
        return True
    with read_session(r.engine) as db:
        task = get_followup(session=db, task_id=task_id)
        return task is None or bool(r.scope.visible(session=db, customer_ids=[task.customer_id]))


def _picked(r: Retrieval, caller: Caller, value: str) -> Reply:
    customer_id, due, what = value.split("|", 2)
    with read_session(r.engine) as db:
        customer = r.customer(db, customer_id)
    if customer is None:
        return Reply(text=_("That follow-up no longer exists."), intent=Intent.task)
    return make_task(r, caller, customer, date.fromisoformat(due), what)
