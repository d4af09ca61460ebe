"""Which customers a caller may see (setting CUSTOMER_SCOPE): everyone, or those of one store.

A store's customers are those whose home store it is (`Customer.home_store`) and those who
bought there (any `Purchase.store_id`). `Scope.condition` is the one SQL condition that decides
it, on a customer id column; every look-up, list and tool applies it, so a customer out of
scope is exactly as absent as one who does not exist. Under `all` it adds nothing to a query
and runs none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol, Self, TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from storage.db import chunked
from storage.models import Customer, Purchase, Role

# The values of the setting: everyone sees everyone (one shop), or each their store's.
CUSTOMER_SCOPES: tuple[Literal["all", "store"], ...] = ("all", "store")

_CUSTOMER = Customer.__table__  # type: ignore[attr-defined]
_PURCHASE = Purchase.__table__  # type: ignore[attr-defined]


class _Filtered(Protocol):
    """A SELECT, whatever its columns (SQLAlchemy's or SQLModel's)."""

    def where(self, *whereclause: Any) -> Self: ...


Q = TypeVar("Q", bound=_Filtered)


@dataclass(frozen=True)
class Scope:
    """The customers one caller sees: everyone's, or one store's (none without a store)."""

    everyone: bool = True
    store: str | None = None

    @classmethod
    def of(cls, setting: str, *, role: str, store: str | None) -> Scope:
        """Return what a caller of `role` in `store` sees under CUSTOMER_SCOPE `setting`: all
        customers under "all" and for admins; under "store" the customers of their store, and
        nobody for a caller without one. ValueError for another setting."""
        if setting not in CUSTOMER_SCOPES:
            raise ValueError(
                f"CUSTOMER_SCOPE {setting!r}: choose one of {', '.join(CUSTOMER_SCOPES)}"
            )
        if setting == "all" or role == Role.admin:  # the console is an admin too
            return EVERYONE
        return cls(everyone=False, store=(store or "").strip() or None)

    @classmethod
    def of_store(cls, store: str) -> Scope:
        """Return the customers of `store` (its home customers and those who bought there)."""
        return cls(everyone=False, store=store)

    @property
    def nobody(self) -> bool:
        """True for a store scope without a store: it sees no customer at all."""
        return not self.everyone and not self.store

    def within(self, store: str | None) -> Scope:
        """Return the customers of this scope who are also `store`'s (None: this scope)."""
        if not store or self.store == store:
            return self
        if self.everyone:
            return Scope.of_store(store)
        return Scope(everyone=False, store=None)  # another store's: nobody

    def condition(self, customer_id: Any = None) -> sa.ColumnElement[bool]:
        """Return the SQL condition that a customer is in scope: on the Customer row of the
        query (`customer_id` None), or on another table's customer id column. Under "all"
        it is TRUE (prefer `where`, which adds nothing), without a store FALSE."""
        if self.everyone:
            return sa.true()
        if not self.store:
            return sa.false()
        bought = _PURCHASE.alias("scope_purchase")
        column = _CUSTOMER.c.customer_id if customer_id is None else customer_id
        # By the (customer_id, purchased_at) index: the customer's own lines only.
        bought_here = sa.exists().where(
            bought.c.customer_id == column, bought.c.store_id == self.store
        )
        if customer_id is None:
            return sa.or_(_CUSTOMER.c.home_store == self.store, bought_here)
        home = _CUSTOMER.alias("scope_customer")
        at_home = column.in_(sa.select(home.c.customer_id).where(home.c.home_store == self.store))
        return sa.or_(at_home, bought_here)

    def where(self, query: Q, customer_id: Any = None) -> Q:
        """Return `query` kept to this scope's customers (`condition`); unchanged under "all"."""
        if self.everyone:
            return query
        return query.where(self.condition(customer_id))

    def visible(self, *, session: Session, customer_ids: Iterable[str]) -> set[str]:
        """Return those of `customer_ids` this scope sees: under "all" every one, with no
        query; else those that exist and are in scope (none without a store)."""
        ids = sorted(set(customer_ids))
        if self.everyone:
            return set(ids)
        if self.nobody or not ids:
            return set()
        c = _CUSTOMER.c
        return {
            row[0]
            for chunk in chunked(ids)
            for row in session.execute(
                sa.select(c.customer_id).where(c.customer_id.in_(chunk), self.condition())
            )
        }


# Everyone's customers: CUSTOMER_SCOPE=all, admins, and the console without --as.
EVERYONE = Scope()
