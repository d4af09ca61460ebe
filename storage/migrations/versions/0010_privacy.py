"""privacy: consent history, the audit trail and the suppression list of erased customers

`consentchange`: every change of a customer's marketing consent, with who, when and source.
`auditentry`: every view of customer data, note written and erasure (who, when, channel, whose,
what kind). `suppressedidentity`: keyed hashes of erased customers' ids, e-mails and phones, so
imports skip them. `ix_purchase_store_customer`: the store scope's "bought in this store?".

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_text = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_index("ix_purchase_store_customer", "purchase", ["store_id", "customer_id"])
    op.create_table(
        "consentchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", _text(length=64), nullable=False),
        sa.Column("marketing_consent", sa.Boolean(), nullable=False),
        sa.Column("changed_at", _time(), nullable=False),
        sa.Column("source", _text(length=20), nullable=False),
        sa.Column("changed_by", _text(length=200), nullable=True),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.customer_id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_consentchange_customer_time", "consentchange", ["customer_id", "changed_at"]
    )
    op.create_table(
        "auditentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.Column("channel", _text(length=20), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("associate_name", _text(length=100), nullable=True),
        sa.Column("customer_id", _text(length=64), nullable=True),
        sa.Column("kind", _text(length=20), nullable=False),
        sa.Column("detail", _text(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_auditentry_at", "auditentry", ["at"])
    op.create_index("ix_auditentry_customer_time", "auditentry", ["customer_id", "at"])
    op.create_table(
        "suppressedidentity",
        sa.Column("key", _text(length=64), nullable=False),
        sa.Column("kind", _text(length=20), nullable=False),
        sa.Column("erased_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("suppressedidentity")
    op.drop_index("ix_auditentry_customer_time", table_name="auditentry")
    op.drop_index("ix_auditentry_at", table_name="auditentry")
    op.drop_table("auditentry")
    op.drop_index("ix_consentchange_customer_time", table_name="consentchange")
    op.drop_table("consentchange")
    op.drop_index("ix_purchase_store_customer", table_name="purchase")
