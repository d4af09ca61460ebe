"""local times and phone keys: customer.phone_key, purchase/note.utc_offset_minutes

Customers get the key their phone is matched by, filled here for the rows that exist: "+" and
the digits for a number written with +country (E.164 for a well-formed one), the digits alone
otherwise (this migration cannot know PHONE_REGION; re-importing the customers computes the key
with it). Purchases and notes get the UTC offset of their local time; existing rows keep their
UTC times with no offset (re-importing the files stores the local times).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import re

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_BATCH = 5_000


def upgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phone_key", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
    with op.batch_alter_table("purchase", schema=None) as batch_op:
        batch_op.add_column(sa.Column("utc_offset_minutes", sa.Integer(), nullable=True))
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.add_column(sa.Column("utc_offset_minutes", sa.Integer(), nullable=True))
    _fill_phone_keys()
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_phone_key"), ["phone_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_phone_key"))
        batch_op.drop_column("phone_key")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_column("utc_offset_minutes")
    with op.batch_alter_table("purchase", schema=None) as batch_op:
        batch_op.drop_column("utc_offset_minutes")


def _fill_phone_keys() -> None:
    # Self-contained on purpose: a migration must not change when application code does.
    conn = op.get_bind()
    customer = sa.table(
        "customer",
        sa.column("customer_id", sa.String),
        sa.column("phone", sa.String),
        sa.column("phone_key", sa.String),
    )
    rows = conn.execute(
        sa.select(customer.c.customer_id, customer.c.phone).where(customer.c.phone.is_not(None))
    ).all()
    update = (
        customer.update()
        .where(customer.c.customer_id == sa.bindparam("id"))
        .values(phone_key=sa.bindparam("key"))
    )
    keys = [{"id": cid, "key": key} for cid, phone in rows if (key := _key(phone)) is not None]
    for start in range(0, len(keys), _BATCH):
        conn.execute(update, keys[start : start + _BATCH])


def _key(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 6:
        return None
    return f"+{digits}" if phone.strip().startswith("+") else digits
