"""shopping model: the recommender's numbers, kept between processes

`shoppingmodelrecord` holds the newest shopping model (bot.core.shopping_model) as the bytes of
a compressed .npz file, with when it was built and over which data. The model learns what goes
with what from who owns what, so `productpair` and `signalrefresh.pairs` go.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_time = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "shoppingmodelrecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("built_at", _time(), nullable=False),
        sa.Column("data_until", _time(), nullable=True),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.drop_table("productpair")
    with op.batch_alter_table("signalrefresh") as batch:
        batch.drop_column("pairs")


def downgrade() -> None:
    with op.batch_alter_table("signalrefresh") as batch:
        batch.add_column(sa.Column("pairs", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "productpair",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("other_sku", sa.String(length=64), nullable=False),
        sa.Column("together", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("sku", "rank"),
    )
    op.drop_table("shoppingmodelrecord")
