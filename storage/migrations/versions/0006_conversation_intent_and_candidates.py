"""conversation: the last answer's intent and the customers a "which one?" offered

"And in 2025?" continues the question before it; "she" after an unanswered "which Ana?" asks
again instead of meaning the customer discussed earlier.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.add_column(
            sa.Column("intent", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch.add_column(
            sa.Column("candidates", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.drop_column("candidates")
        batch.drop_column("intent")
