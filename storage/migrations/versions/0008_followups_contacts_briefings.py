"""follow-up tasks, outreach contacts and morning briefings

`followup`: a task to get back to a customer by a date. `contact`: an outreach message drafted
and, once marked, sent (consent, frequency cap, outcomes). `briefingsent`: the morning briefing
recorded per associate and day before it is sent. `associate.briefing`: `/briefing off|on`.
`conversation.pending_task`: a task waiting for its day or customer.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_text = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("associate") as batch:
        batch.add_column(
            sa.Column("briefing", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("conversation") as batch:
        batch.add_column(sa.Column("pending_task", _text(), nullable=True))
    op.create_table(
        "followup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", _text(length=64), nullable=False),
        sa.Column("text", _text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("associate_name", _text(length=100), nullable=True),
        sa.Column("store", _text(length=40), nullable=True),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("done_at", _time(), nullable=True),
        sa.Column("snoozes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.customer_id"]),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_followup_customer_id", "followup", ["customer_id"])
    op.create_index("ix_followup_open_due", "followup", ["done_at", "due_date"])
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", _text(length=64), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("associate_name", _text(length=100), nullable=True),
        sa.Column("store", _text(length=40), nullable=True),
        sa.Column("purpose", _text(length=20), nullable=False),
        sa.Column("sku", _text(length=64), nullable=True),
        sa.Column("list_kind", _text(length=20), nullable=True),
        sa.Column("channel", _text(length=20), nullable=True),
        sa.Column("text", _text(), nullable=False),
        sa.Column("language", _text(length=8), nullable=False),
        sa.Column("drafted_at", _time(), nullable=False),
        sa.Column("sent_at", _time(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.customer_id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_contact_customer_sent", "contact", ["customer_id", "sent_at"])
    op.create_table(
        "briefingsent",
        sa.Column("telegram_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("claimed_at", _time(), nullable=False),
        sa.Column("sent_at", _time(), nullable=True),
        sa.PrimaryKeyConstraint("telegram_id", "day"),
    )


def downgrade() -> None:
    op.drop_table("briefingsent")
    op.drop_index("ix_contact_customer_sent", table_name="contact")
    op.drop_table("contact")
    op.drop_index("ix_followup_open_due", table_name="followup")
    op.drop_index("ix_followup_customer_id", table_name="followup")
    op.drop_table("followup")
    with op.batch_alter_table("conversation") as batch:
        batch.drop_column("pending_task")
    with op.batch_alter_table("associate") as batch:
        batch.drop_column("briefing")
