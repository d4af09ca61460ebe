"""recommendation signals: product signals, product pairs and their refresh runs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "productsignal",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("buyers", sa.Integer(), nullable=False),
        sa.Column("repeat_buyers", sa.Integer(), nullable=False),
        sa.Column("rebuy_rate", sa.Float(), nullable=False),
        sa.Column("median_rebuy_days", sa.Float(), nullable=True),
        sa.Column("recent_buyers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sku"),
    )
    with op.batch_alter_table("productsignal", schema=None) as batch_op:
        batch_op.create_index(
            "ix_productsignal_popularity", ["recent_buyers", "buyers"], unique=False
        )
        batch_op.create_index(
            "ix_productsignal_category_popularity",
            ["category", "recent_buyers", "buyers"],
            unique=False,
        )

    op.create_table(
        "productpair",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("other_sku", sa.String(length=64), nullable=False),
        sa.Column("together", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("sku", "rank"),
    )
    op.create_table(
        "signalrefresh",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("data_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("products", sa.Integer(), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("signalrefresh")
    op.drop_table("productpair")
    with op.batch_alter_table("productsignal", schema=None) as batch_op:
        batch_op.drop_index("ix_productsignal_category_popularity")
        batch_op.drop_index("ix_productsignal_popularity")

    op.drop_table("productsignal")
