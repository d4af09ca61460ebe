"""conversation: the period of the question asked

A follow-up that asks the question before again ("Maria Costa" after "which Maria?", "and
Maria Costa?", "no, the other one") keeps its period: "how much did Maria spend this year?"
stays about this year. JSON: start, end (ISO 8601) and label.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.add_column(
            sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.drop_column("period")
