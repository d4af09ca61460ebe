"""The suppression list: erased customers as keyed hashes of their id, e-mail and phone.

A hash alone would not do: e-mail addresses and phone numbers are few enough to guess one by
one. HMAC-SHA256 (RFC 2104) under a key kept outside the database means a copy of the database
does not reveal whom it holds. One row of kind "key-check" holds the HMAC of a fixed text, so a
lost or changed key is noticed (imports refuse) instead of silently letting erased customers
back in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, select
from sqlmodel import Session

from storage.dialects import upsert_insert
from storage.models import Customer, SuppressedIdentity, utcnow

KEY_BYTES = 32
_CHECK = "key-check"
_CHECK_TEXT = b"clienteling suppression key check"
_NOT_DIGITS = re.compile(r"\D+")


class SuppressionKeyError(ValueError):
    """The suppression list was written under another key (or none was given)."""


def _mac(key: bytes, kind: str, value: str) -> str:
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _check_key(key: bytes) -> str:
    return hmac.new(key, _CHECK_TEXT, hashlib.sha256).hexdigest()


def identity_keys(
    key: bytes,
    *,
    customer_id: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    phone_key: str | None = None,
) -> list[tuple[str, str]]:
    """Return the (hash, kind) pairs that stand for these identifiers: the id as given
    (stripped), the e-mail case-folded, the phone by its key (E.164 or digits) and by its bare
    digits, so a file written with another phone region still matches."""
    pairs: list[tuple[str, str]] = []
    if customer_id and customer_id.strip():
        pairs.append((_mac(key, "customer_id", customer_id.strip()), "customer_id"))
    if email and email.strip():
        pairs.append((_mac(key, "email", email.strip().casefold()), "email"))
    phones = {phone_key or "", _NOT_DIGITS.sub("", phone or "")} - {""}
    pairs.extend((_mac(key, "phone", p), "phone") for p in sorted(phones))
    return pairs


def suppress_customer(
    *, session: Session, key: bytes, customer: Customer, now: datetime | None = None
) -> list[str]:
    """Add the customer's id, e-mail and phone to the suppression list (no commit); return the
    hashes. Raises SuppressionKeyError when the list was started under another key."""
    if len(key) < 16:
        raise SuppressionKeyError("the suppression key must be at least 16 bytes")
    when = now or utcnow()
    _assert_key(session.connection(), key, empty_ok=True)
    pairs = identity_keys(
        key,
        customer_id=customer.customer_id,
        email=customer.email,
        phone=customer.phone,
        phone_key=customer.phone_key,
    )
    rows = [{"key": h, "kind": kind, "erased_at": when} for h, kind in pairs]
    rows.append({"key": _check_key(key), "kind": _CHECK, "erased_at": when})
    stmt = upsert_insert(session, SuppressedIdentity).values(rows)
    session.exec(stmt.on_conflict_do_nothing(index_elements=["key"]))
    return [h for h, _ in pairs]


def suppressed_keys(conn: Connection, key: bytes | None) -> frozenset[str]:
    """Return every suppressed hash (empty when nobody was erased).

    Raises SuppressionKeyError when there are some but `key` is None or not the key they were
    written with: an import must not run then, or erased customers would come back.
    """
    rows = conn.execute(select(SuppressedIdentity.key, SuppressedIdentity.kind)).all()  # type: ignore[call-overload]
    if not rows:
        return frozenset()
    if key is None:
        raise SuppressionKeyError(
            "erased customers are on the suppression list, but no suppression key was found: "
            "restore DATA_DIR/suppression.key or set SUPPRESSION_KEY to the key they were "
            "recorded with"
        )
    _assert_key(conn, key, empty_ok=False)
    return frozenset(h for h, kind in rows if kind != _CHECK)


def _assert_key(conn: Connection, key: bytes, *, empty_ok: bool) -> None:
    checks = conn.execute(
        select(SuppressedIdentity.key).where(SuppressedIdentity.kind == _CHECK)  # type: ignore[call-overload]
    ).scalars()
    found = set(checks)
    if not found and empty_ok:
        return
    if _check_key(key) not in found:
        raise SuppressionKeyError(
            "the suppression key is not the one the erased customers were recorded with: "
            "restore DATA_DIR/suppression.key (or set SUPPRESSION_KEY to the old key); "
            "otherwise erased customers could be imported again"
        )


class SuppressionFilter:
    """Tells, for the staged rows of one import, which belong to an erased customer."""

    def __init__(self, key: bytes, hashes: frozenset[str], names: Sequence[str]):
        """`names` are the staged columns (storage.import_staging.staging_columns)."""
        self.key = key
        self.hashes = hashes
        self._at = {
            field: names.index(field)
            for field in ("customer_id", "email", "phone", "phone_key")
            if field in names
        }
        self._memo: dict[str, bool] = {}
        # Distinct customers skipped, and rows skipped.
        self.customers: set[str] = set()
        self.rows = 0

    def skips(self, staged: Sequence[object]) -> bool:
        """True (and counted) when the row names an erased customer."""
        customer_id = str(staged[self._at["customer_id"]] or "")
        known = self._memo.get(customer_id) if len(self._at) == 1 else None
        if known is None:
            fields = {f: staged[i] for f, i in self._at.items()}
            pairs = identity_keys(self.key, **{f: _text(v) for f, v in fields.items()})
            known = any(h in self.hashes for h, _ in pairs)
            if len(self._at) == 1:
                self._memo[customer_id] = known
        if known:
            self.customers.add(customer_id)
            self.rows += 1
        return known


def _text(value: object) -> str | None:
    return None if value is None else str(value)
