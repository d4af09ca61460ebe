"""Follow-up tasks: an associate's promise to get back to a customer by a date."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.audit import Actor, add_entry
from storage.models import Customer, FollowUp
from storage.scope import EVERYONE, Scope

# "Snooze" puts a task off by this many days.
SNOOZE_DAYS = 7


def add_followup(
    *,
    session: Session,
    customer_id: str,
    text: str,
    due_date: date,
    now: datetime,
    telegram_id: int | None = None,
    associate_name: str | None = None,
    store: str | None = None,
    note_id: int | None = None,
    audit_as: Actor | None = None,
) -> FollowUp:
    """Store and return a task for `customer_id` due on `due_date` (the store's local date),
    owned by the associate `telegram_id` (None: made from the console). `now` is the store's
    wall-clock time labelled UTC, as notes keep theirs; `audit_as`: record it in the audit
    trail ("task") as that actor's, in the same commit. ValueError for an empty text."""
    text = text.strip()
    if not text:
        raise ValueError("the task says nothing to do")
    task = FollowUp(
        customer_id=customer_id,
        text=text,
        due_date=due_date,
        telegram_id=telegram_id,
        associate_name=associate_name,
        store=store,
        note_id=note_id,
        created_at=now,
    )
    session.add(task)
    if audit_as is not None:
        detail = f"due {due_date.isoformat()}"
        add_entry(
            session=session, actor=audit_as, kind="task", customer_id=customer_id, detail=detail
        )
    session.commit()
    session.refresh(task)
    return task


def open_followups(
    *,
    session: Session,
    telegram_id: int | None = None,
    store: str | None = None,
    due_by: date | None = None,
    everyone: bool = False,
    limit: int | None = None,
    scope: Scope = EVERYONE,
) -> list[tuple[FollowUp, Customer]]:
    """Return open tasks with their customers, the most overdue first (then oldest made).

    `telegram_id`: that associate's tasks, unless `everyone` (a manager's view, or the
    console's, which owns the tasks made with no associate); `store`: only tasks made in that
    store (with `everyone`); `due_by`: only tasks due on or before that date; `scope`: only
    tasks about customers the caller sees (storage.scope)."""
    query = scope.where(
        select(FollowUp, Customer)
        .join(Customer, col(Customer.customer_id) == col(FollowUp.customer_id))
        .where(col(FollowUp.done_at).is_(None))
    )
    if not everyone:
        query = query.where(FollowUp.telegram_id == telegram_id)
    elif store is not None:
        query = query.where(FollowUp.store == store)
    if due_by is not None:
        query = query.where(FollowUp.due_date <= due_by)
    query = query.order_by(col(FollowUp.due_date), col(FollowUp.id))
    if limit is not None:
        query = query.limit(limit)
    return [(task, customer) for task, customer in session.exec(query).all()]


def get_followup(*, session: Session, task_id: int) -> FollowUp | None:
    """Return the task with this id, or None."""
    return session.get(FollowUp, task_id)


def complete_followup(*, session: Session, task_id: int, now: datetime) -> FollowUp | None:
    """Mark a task done at `now` and return it; None when there is no such task. Marking a
    done task again keeps its first time."""
    task = session.get(FollowUp, task_id)
    if task is None:
        return None
    if task.done_at is None:
        task.done_at = now
        session.add(task)
        session.commit()
        session.refresh(task)
    return task


def snooze_followup(
    *, session: Session, task_id: int, today: date, days: int = SNOOZE_DAYS
) -> FollowUp | None:
    """Put an open task off by `days` from its due date, or from `today` when it is already
    overdue, and return it; None when there is no such task or it is done."""
    task = session.get(FollowUp, task_id)
    if task is None or task.done_at is not None:
        return None
    task.due_date = max(task.due_date, today) + timedelta(days=days)
    task.snoozes += 1
    session.add(task)
    session.commit()
    session.refresh(task)
    return task


def move_followup(*, session: Session, task_id: int, due: date) -> FollowUp | None:
    """Move an open task to `due` ("snooze the Sergei reminder to Monday") and return it;
    None when there is no such task or it is done."""
    task = session.get(FollowUp, task_id)
    if task is None or task.done_at is not None:
        return None
    task.due_date = due
    task.snoozes += 1
    session.add(task)
    session.commit()
    session.refresh(task)
    return task


def same_open_followup(
    *, session: Session, telegram_id: int | None, customer_id: str, due_date: date, text: str
) -> FollowUp | None:
    """Return the associate's open task for this customer, day and text, if there is one: the
    same reminder asked twice is one task."""
    return session.exec(
        select(FollowUp).where(
            col(FollowUp.done_at).is_(None),
            FollowUp.telegram_id == telegram_id,
            FollowUp.customer_id == customer_id,
            FollowUp.due_date == due_date,
            func.lower(FollowUp.text) == text.strip().lower(),
        )
    ).first()
