"""What every part of the assistant speaks: who is asking, what they want, and the reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

MANAGER_ROLES = frozenset({"manager", "admin"})


class Intent(StrEnum):
    """What an associate wants from one message, or what kind of reply they got."""

    overview = "overview"
    history = "history"
    spend = "spend"  # how much a customer spent, in all or in a period
    recommend = "recommend"
    sizes = "sizes"
    notes = "notes"
    product = "product"
    note = "note"
    help = "help"
    greeting = "greeting"
    lists = "lists"  # about many customers at once ("who hasn't been in for 90 days?")
    unknown = "unknown"  # out of scope: nothing the assistant is for
    # Replies only: the assistant could not answer yet.
    clarify = "clarify"  # several customers fit: which one?
    not_found = "not_found"  # no customer fits the name given
    need_customer = "need_customer"  # a customer question that names nobody
    # The associate's book: follow-up tasks, outreach and the morning briefing.
    task = "task"  # a follow-up task made, listed or changed
    task_done = "task_done"  # a button: mark the task (option value: its id) done
    task_snooze = "task_snooze"  # a button: put the task (value: its id) off a week
    draft = "draft"  # an outreach message drafted for a customer
    contact_sent = "contact_sent"  # a button: the draft (value: "<id>:<channel>") went out
    briefing = "briefing"  # the morning briefing
    consent = "consent"  # a customer gave or withdrew marketing consent ("María agreed to …")


@dataclass(frozen=True)
class Caller:
    """Who is asking: an associate, a manager or an admin."""

    name: str
    role: str = "associate"
    store: str | None = None
    telegram_id: int | None = None
    # The reply language when a message's own can't be told: the associate's preference, then
    # the chat client's (Telegram's language_code). ISO 639-1 codes.
    language: str | None = None
    client_language: str | None = None
    # How they reach the assistant, for the audit trail: "telegram", "console" (`clienteling
    # chat`) or "cli" (`clienteling ask` and the other commands); each transport sets its own.
    channel: str = "cli"

    @classmethod
    def local_admin(cls) -> Caller:
        """Return the console user, who owns the machine the store runs on."""
        return cls(name="console", role="admin")

    @property
    def is_manager(self) -> bool:
        """True for managers and admins, who may add tips and invite associates."""
        return self.role in MANAGER_ROLES


@dataclass(frozen=True)
class Option:
    """A follow-up the reply offers: a label to show, and what pressing it does.

    `intent` is what to answer next about the conversation's customer or product; `value`
    narrows it: a customer id (a candidate), "all" (all purchases) or "full" (whole notes).
    A transport shows the label and hands the option back as it is, never the label."""

    label: str
    intent: Intent
    value: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """Return the option as JSON-ready values (for the answer log)."""
        return {"label": self.label, "intent": self.intent.value, "value": self.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Option:
        """Return the option `as_dict` gave; raise ValueError for anything else."""
        try:
            return cls(str(data["label"]), Intent(data["intent"]), data.get("value"))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not an option: {data!r}") from exc


@dataclass
class Reply:
    """An answer: the text to show and what it is about, for buttons, logs and tests."""

    text: str
    intent: Intent
    customer_id: str | None = None
    skus: list[str] = field(default_factory=list)
    tip_ids: list[str] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notice: str | None = None
    language: str = "en"  # ISO 639-1: the language its fixed texts are written in
    # Links a transport shows as buttons that open elsewhere: (label, https URL), such as a
    # draft's "Open WhatsApp". Never followed by the assistant itself.
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        """The options' labels, in order."""
        return [o.label for o in self.options]

    def as_dict(self) -> dict[str, Any]:
        """Return the reply as plain JSON-ready values (options as their labels)."""
        return {
            "text": self.text,
            "intent": str(self.intent),
            "customer_id": self.customer_id,
            "skus": list(self.skus),
            "tip_ids": list(self.tip_ids),
            "options": self.labels,
            "sources": list(self.sources),
            "notice": self.notice,
            "language": self.language,
            "links": [list(link) for link in self.links],
        }
