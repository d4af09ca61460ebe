"""associate and conversation: the language replies are written in

An associate's preferred reply language (`/language es`, `associates add --language es`), and
the language of a conversation's last reply, which its buttons answer in.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("associate", "conversation"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True)
            )


def downgrade() -> None:
    for table in ("associate", "conversation"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("language")
