"""SQLModel tables: customers, products, purchases (order lines), notes and associates.

Customers and products are keyed by the retailer's own ids (`customer_id`, `sku`), so exports,
imports and answers all speak the same identifiers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, UniqueConstraint, text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Role(StrEnum):
    """What an associate may do: managers push tips, admins manage everyone."""

    associate = "associate"
    manager = "manager"
    admin = "admin"


class Customer(SQLModel, table=True):
    """A customer as the store knows them."""

    customer_id: str = Field(primary_key=True, max_length=64)
    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=254, index=True)
    # As the file gave it, for display; matching goes by `phone_key`.
    phone: str | None = Field(default=None, max_length=40, index=True)
    # E.164 (or the digits alone) of `phone`: see storage.customers.phone_key.
    phone_key: str | None = Field(default=None, max_length=40, index=True)
    birthday: date | None = None
    tier: str | None = Field(default=None, max_length=40)
    language: str | None = Field(default=None, max_length=8)
    sizes: str | None = None
    preferences: str | None = None
    marketing_consent: bool = False
    home_store: str | None = Field(default=None, max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Product(SQLModel, table=True):
    """A product of the catalogue."""

    sku: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=300)
    category: str | None = Field(default=None, max_length=100, index=True)
    brand: str | None = Field(default=None, max_length=100)
    price: float | None = None
    description: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Purchase(SQLModel, table=True):
    """One order line; a negative quantity is a return."""

    __table_args__ = (
        UniqueConstraint("order_id", "sku", name="uq_purchase_order_sku"),
        # "Last purchases of customer X" is the hottest query: 0.15 ms with this index, 43 without.
        Index("ix_purchase_customer_time", "customer_id", "purchased_at"),
        # CUSTOMER_SCOPE=store asks "did she buy in this store?" per customer looked up.
        Index("ix_purchase_store_customer", "store_id", "customer_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: str = Field(max_length=64)
    customer_id: str = Field(foreign_key="customer.customer_id", max_length=64)
    sku: str = Field(foreign_key="product.sku", max_length=64, index=True)
    quantity: int = 1
    unit_price: float | None = None
    # The local wall-clock time of the receipt, labelled UTC, so dates read as the till printed
    # them; `utc_offset_minutes` recovers the instant (see storage.local_times). None when
    # unknown: rows imported before 0005 hold the UTC time.
    purchased_at: datetime | None = None
    utc_offset_minutes: int | None = None
    store_id: str | None = Field(default=None, max_length=40)
    associate_id: str | None = Field(default=None, max_length=64)


class Note(SQLModel, table=True):
    """Something an associate wants remembered about a customer."""

    __table_args__ = (Index("ix_note_customer_time", "customer_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # Imported notes have no id of their own; this digest of their content makes re-imports upsert.
    note_key: str = Field(max_length=64, unique=True)
    customer_id: str = Field(foreign_key="customer.customer_id", max_length=64)
    text: str
    author: str | None = Field(default=None, max_length=100)
    # Local wall-clock time labelled UTC with its offset, as Purchase.purchased_at.
    created_at: datetime = Field(default_factory=utcnow)
    utc_offset_minutes: int | None = None


class Associate(SQLModel, table=True):
    """A store associate allowed to use the bot, known by their Telegram user id."""

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    name: str = Field(max_length=100)
    # Stored as plain text (no native enum type) so a new role needs no ALTER TYPE on PostgreSQL.
    role: str = Field(default=Role.associate.value, max_length=20)
    store: str | None = Field(default=None, max_length=40)
    # The language the associate wants replies in when a message's own can't be told (ISO 639-1).
    language: str | None = Field(default=None, max_length=8)
    # Whether the associate gets the morning briefing (`/briefing off|on`).
    briefing: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class Conversation(SQLModel, table=True):
    """What a chat is about right now, so follow-ups like "and her sizes?" work after a restart."""

    key: str = Field(primary_key=True, max_length=200)
    customer_id: str | None = Field(default=None, max_length=64)
    sku: str | None = Field(default=None, max_length=64)
    # A note waiting for its customer to be picked from an ambiguous name.
    pending_note: str | None = None
    # What the last answer was (an Intent value): "and in 2025?" asks it again.
    intent: str | None = Field(default=None, max_length=20)
    # The customer ids a "which one?" offered, space-separated, until one is picked.
    candidates: str | None = Field(default=None, max_length=500)
    # The language of the last reply (ISO 639-1): its buttons answer in it too.
    language: str | None = Field(default=None, max_length=8)
    # A follow-up task waiting for its day or its customer (JSON: customer_id, due, text),
    # until the next message gives it: "remind me to call Zoë" … "Friday".
    pending_task: str | None = None
    # The period the question asked is about (JSON: start, end, label; bot.core.asked_periods),
    # for a follow-up that asks it again about another customer: "and Maria Costa?".
    period: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(default_factory=utcnow)


class FollowUp(SQLModel, table=True):
    """A follow-up task: get back to a customer by a date ("call María next Tuesday")."""

    __table_args__ = (Index("ix_followup_open_due", "done_at", "due_date"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customer.customer_id", max_length=64, index=True)
    text: str
    # The store's local calendar date it is due on.
    due_date: date
    # Whose task it is: the associate's Telegram id (None when made from the console).
    telegram_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    associate_name: str | None = Field(default=None, max_length=100)
    store: str | None = Field(default=None, max_length=40)
    # The note that carried it, when a note set a follow-up date.
    note_id: int | None = Field(default=None, foreign_key="note.id")
    # Local wall-clock times labelled UTC, as Note.created_at.
    created_at: datetime = Field(default_factory=utcnow)
    done_at: datetime | None = None
    # How many times it was put off ("snooze a week").
    snoozes: int = 0


class Contact(SQLModel, table=True):
    """An outreach message to a customer: drafted by an associate, and once they mark it so,
    sent. Sent marketing contacts count towards the frequency cap; outcomes are measured from
    `sent_at`."""

    __table_args__ = (Index("ix_contact_customer_sent", "customer_id", "sent_at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customer.customer_id", max_length=64)
    telegram_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    associate_name: str | None = Field(default=None, max_length=100)
    store: str | None = Field(default=None, max_length=40)
    # "marketing" (needs consent, capped) or "service" (an order ready, a size back in stock).
    purpose: str = Field(default="marketing", max_length=20)
    sku: str | None = Field(default=None, max_length=64)
    # The customer list the contact came from ("lapsed", "due"…); None for one asked in chat.
    list_kind: str | None = Field(default=None, max_length=20)
    # How it went out once sent: "whatsapp", "sms", "email" or "other".
    channel: str | None = Field(default=None, max_length=20)
    text: str
    # The customer's language the draft is written in (ISO 639-1).
    language: str = Field(default="en", max_length=8)
    # Local wall-clock times labelled UTC, as Note.created_at.
    drafted_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None


class BriefingSent(SQLModel, table=True):
    """One associate's morning briefing of one day, recorded before it is sent so that no
    second process and no restart sends it again."""

    telegram_id: int = Field(
        sa_column=Column(BigInteger, primary_key=True, autoincrement=False, nullable=False)
    )
    # The store's local date the briefing is for.
    day: date = Field(primary_key=True)
    claimed_at: datetime = Field(default_factory=utcnow)
    # None while it is being sent, or when the process stopped between recording and sending.
    sent_at: datetime | None = None


class ConsentChange(SQLModel, table=True):
    """One change of a customer's marketing consent: to what, when, from where and by whom."""

    __table_args__ = (Index("ix_consentchange_customer_time", "customer_id", "changed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: str = Field(foreign_key="customer.customer_id", max_length=64)
    marketing_consent: bool
    # UTC.
    changed_at: datetime = Field(default_factory=utcnow)
    # "import" (a customers file), "chat" (an associate said so) or "cli".
    source: str = Field(max_length=20)
    # Who: the associate's name, or the file's name for an import.
    changed_by: str | None = Field(default=None, max_length=200)
    telegram_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


class AuditEntry(SQLModel, table=True):
    """One look at or change of customer data: who, when, through which channel, whose data
    and what kind ("overview", "history", "notes", "export", "list", "note", "erasure", …).
    Kept `AUDIT_RETENTION_DAYS`; an erased customer's entries keep only her pseudonym."""

    __table_args__ = (Index("ix_auditentry_customer_time", "customer_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    # UTC; indexed for `--since` and for the housekeeping that forgets old entries.
    at: datetime = Field(default_factory=utcnow, index=True)
    channel: str = Field(max_length=20)
    telegram_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    associate_name: str | None = Field(default=None, max_length=100)
    # No foreign key: the trail outlives the customer (erasure rewrites it to a pseudonym).
    customer_id: str | None = Field(default=None, max_length=64)
    kind: str = Field(max_length=20)
    # A little context, never customer data: the list's name, how many rows, an erasure reason.
    detail: str | None = Field(default=None, max_length=300)


class SuppressedIdentity(SQLModel, table=True):
    """An erased customer's id, e-mail or phone as a keyed hash (HMAC-SHA256, never the value):
    imports skip rows that match, so the retailer's next export does not bring her back."""

    key: str = Field(primary_key=True, max_length=64)
    # "customer_id", "email" or "phone".
    kind: str = Field(max_length=20)
    erased_at: datetime = Field(default_factory=utcnow)


class ProductSignal(SQLModel, table=True):
    """What everyone's purchases say about one product; rebuilt by `refresh_signals`."""

    __table_args__ = (
        # "Most popular now", in the store or in a category, reads an index backwards instead of
        # sorting every product.
        Index("ix_productsignal_popularity", "recent_buyers", "buyers"),
        Index("ix_productsignal_category_popularity", "category", "recent_buyers", "buyers"),
    )

    sku: str = Field(primary_key=True, max_length=64)
    # The product's category when the signals were computed.
    category: str | None = Field(default=None, max_length=100)
    # Customers who still own it: bought it and did not return it all.
    buyers: int = 0
    # Of those, customers who bought it on two days or more: re-buying is learned, not labelled.
    repeat_buyers: int = 0
    rebuy_rate: float = 0.0
    # Median over repeat buyers of their average days between two purchases of it.
    median_rebuy_days: float | None = None
    # Owners who bought it in the last 90 days of the data: what is popular now.
    recent_buyers: int = 0


class SignalRefresh(SQLModel, table=True):
    """One run of `refresh_signals`: when, over which data, and what it produced."""

    id: int | None = Field(default=None, primary_key=True)
    refreshed_at: datetime = Field(default_factory=utcnow)
    # The latest purchase the signals saw: "now" for a store whose data ends at a fixed date.
    data_until: datetime | None = None
    lines: int = 0
    customers: int = 0
    products: int = 0
    seconds: float = 0.0


class Invite(SQLModel, table=True):
    """A single-use code that lets one Telegram user register with a role and a store."""

    # Random and URL-safe, so it fits a t.me deep link (`/start <code>`) as is.
    code: str = Field(primary_key=True, max_length=64)
    role: str = Field(default=Role.associate.value, max_length=20)
    store: str | None = Field(default=None, max_length=40)
    # Telegram id of the manager who made it; None for the first owner's invite.
    created_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    used_at: datetime | None = None


class AnswerLog(SQLModel, table=True):
    """One answer the bot gave, kept so associates can vote on it and managers can review it."""

    id: int | None = Field(default=None, primary_key=True)
    chat_key: str = Field(max_length=200, index=True)
    telegram_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    associate_name: str | None = Field(default=None, max_length=100)
    question: str
    answer: str
    intent: str = Field(max_length=40)
    customer_id: str | None = Field(default=None, max_length=64)
    # JSON rather than text: the driver (de)serialises it, and PostgreSQL can query inside it.
    skus: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tip_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The follow-ups offered, each {"label", "intent", "value"} (labels alone before 2026-12).
    options: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Feedback(SQLModel, table=True):
    """One associate's thumbs up (+1) or down (-1) on one answer; voting again replaces it."""

    __table_args__ = (
        UniqueConstraint("answer_id", "telegram_id", name="uq_feedback_answer_voter"),
    )

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="answerlog.id")
    telegram_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    vote: int
    created_at: datetime = Field(default_factory=utcnow)


class ProcessedUpdate(SQLModel, table=True):
    """A Telegram update already handled, so a redelivered one is handled once."""

    # Telegram's own id: never generated here (no sequence on PostgreSQL).
    update_id: int = Field(
        sa_column=Column(BigInteger, primary_key=True, autoincrement=False, nullable=False)
    )
    # Indexed for the housekeeping that forgets old updates.
    processed_at: datetime = Field(default_factory=utcnow, index=True)


# The customer lists' summary tables (storage.list_tables): rebuilt by `refresh_signals`, read
# only while `PurchaseVersion` says no purchase changed since. Days and microseconds count from
# 1970 on `Purchase.purchased_at` (the receipt's wall-clock time).


class VisitRhythm(SQLModel, table=True):
    """One customer's receipts: how many, the last one and the usual days between two."""

    customer_id: str = Field(primary_key=True, max_length=64)
    last_us: int = Field(sa_column=Column(BigInteger, nullable=False))
    last_day: int
    receipts: int
    # Days between the first and the last receipt over the gaps between them; None for one.
    usual_days: float | None = None


# ItemRhythm's two kinds of rows, as the partial indexes and the `due` queries spell them.
BOUGHT_ONCE = "receipts = 1"
REBOUGHT = "receipts >= 2"


class ItemRhythm(SQLModel, table=True):
    """One product a customer still owns (bought, not returned in full): on how many receipts,
    the last day, and the usual days between two (None when bought on one receipt)."""

    __table_args__ = (
        # `due` reads items bought once product by product over a window of days, and items
        # re-bought all at once: each from its own index alone. Partial indexes: a query uses
        # one only when its WHERE repeats the index's condition to the letter.
        Index(
            "ix_itemrhythm_once",
            "sku",
            "last_day",
            "customer_id",
            "receipts",
            sqlite_where=text(BOUGHT_ONCE),
            postgresql_where=text(BOUGHT_ONCE),
        ),
        Index(
            "ix_itemrhythm_repeat",
            "last_day",
            "usual_days",
            "customer_id",
            "sku",
            "receipts",
            sqlite_where=text(REBOUGHT),
            postgresql_where=text(REBOUGHT),
        ),
    )

    customer_id: str = Field(primary_key=True, max_length=64)
    sku: str = Field(primary_key=True, max_length=64)
    last_day: int
    receipts: int
    usual_days: float | None = None


class ReceiptSpend(SQLModel, table=True):
    """One customer's net spend (returns deducted) on one receipt (one `purchased_at`)."""

    customer_id: str = Field(primary_key=True, max_length=64)
    purchased_at: datetime = Field(primary_key=True)
    spend: float = 0.0


class PurchaseVersion(SQLModel, table=True):
    """The one row (id 1) saying whether the summary tables are current: database triggers
    (migration 0009) bump `version` whenever purchases change; a rebuild records the version it
    read in `lists_version`."""

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    lists_version: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


class ShoppingModelRecord(SQLModel, table=True):
    """The latest shopping model (bot.core.shopping_model) as bytes: every customer's baskets
    as numbers, rebuilt or patched after each import. Only the newest row is kept."""

    id: int | None = Field(default=None, primary_key=True)
    built_at: datetime = Field(default_factory=utcnow)
    # The latest purchase the model saw.
    data_until: datetime | None = None
    customers: int = 0
    # The layout of `data` (bot.core.shopping_model.FORMAT): another one is rebuilt, not read.
    format: int = 0
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
