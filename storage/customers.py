"""Customer look-ups: by id, contact details or name, and the counts of a store; the matching
key of a phone number (`phone_key`)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import phonenumbers
from sqlalchemy import ColumnElement, case, func
from sqlmodel import Session, col, select

from storage.models import Customer, Note, Product, Purchase
from storage.scope import EVERYONE, Scope

# A number with fewer digits than this matches nothing: too many customers would share it.
MIN_PHONE_DIGITS = 6
# A key of digits alone is matched by its last digits: 9 cover a national number without its
# prefixes (trunk 0, country code).
PHONE_SUFFIX_DIGITS = 9
_NON_DIGIT = re.compile(r"\D")


def count_rows(*, session: Session) -> dict[str, int]:
    """Return how many customers, products, purchase lines and notes the store holds."""
    return {
        name: session.exec(select(func.count()).select_from(model)).one()
        for name, model in (
            ("customers", Customer),
            ("products", Product),
            ("purchases", Purchase),
            ("notes", Note),
        )
    }


def known_skus(*, session: Session) -> set[str]:
    """Return every sku of the catalogue."""
    return set(session.exec(select(Product.sku)).all())


def get_customer(
    *, session: Session, customer_id: str, scope: Scope = EVERYONE
) -> Customer | None:
    """Return the customer with this id, if any and in `scope` (storage.scope)."""
    if scope.everyone:
        return session.get(Customer, customer_id)
    return session.exec(
        scope.where(select(Customer).where(Customer.customer_id == customer_id))
    ).first()


def get_customers(
    *, session: Session, customer_ids: list[str], scope: Scope = EVERYONE
) -> list[Customer]:
    """Return these customers (those in `scope`), in the order asked."""
    query = select(Customer).where(col(Customer.customer_id).in_(customer_ids))
    found = {c.customer_id: c for c in session.exec(scope.where(query))}
    return [found[i] for i in customer_ids if i in found]


def find_by_email(*, session: Session, email: str, scope: Scope = EVERYONE) -> list[Customer]:
    """Return customers (in `scope`) with this email address, ignoring case."""
    query = select(Customer).where(func.lower(Customer.email) == email.strip().lower())
    return list(session.exec(scope.where(query)).all())


def known_birthdays(*, session: Session) -> set[date]:
    """Return every birthday on record, each date once."""
    query = select(col(Customer.birthday)).where(col(Customer.birthday).is_not(None)).distinct()
    return {born for born in session.exec(query).all() if born is not None}


def phone_region_code(code: str) -> str:
    """Return the region code `code` upper-cased ("" stays ""); raise ValueError saying what is
    expected unless phonenumbers knows it (ISO 3166 alpha-2: US, DE, ...)."""
    region = code.strip().upper()
    if region and region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(
            f"{code!r} is not a country code phone numbers are known for: use ISO 3166 "
            "alpha-2 (US, GB, DE, ES, TR, ...), or leave it empty to match numbers by their "
            "digits"
        )
    return region


def phone_key(raw: str, region: str) -> str | None:
    """Return the key a phone number is matched by, whatever its punctuation.

    E.164 (`+491761234567`) when phonenumbers reads it as a possible number: a number written
    with +country always, a national one (`0176/1234567`) given `region`, the ISO 3166 alpha-2
    code of the country numbers are written in (`DE`; case does not matter). Otherwise (no
    region, or unreadable) its digits alone (`01761234567`). None below 6 digits.
    """
    digits = _NON_DIGIT.sub("", raw)
    if len(digits) < MIN_PHONE_DIGITS:
        return None
    text = raw.strip()
    if not (region or text.startswith("+")):
        return digits  # nothing to read it by: parsing would fail anyway
    try:
        number = phonenumbers.parse(text, region.strip().upper() or None)
    except phonenumbers.NumberParseException:
        return digits
    # A local-only number ("555 0199" in the US) lacks its area code: no E.164 for it.
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible != phonenumbers.ValidationResult.IS_POSSIBLE:
        return digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def find_by_phone(
    *, session: Session, phone: str, region: str = "", scope: Scope = EVERYONE
) -> list[Customer]:
    """Return the customers (in `scope`) with this phone number, however either side was
    punctuated, exact matches first.

    `phone` is keyed as `phone_key(phone, region)` keys it (region: ISO 3166 alpha-2, "" for
    none). A customer matches when their stored key is the same, or when one of the two keys is
    digits alone (no country known) and the other ends with its last 9 digits (all of them when
    fewer): a number typed with +country finds one stored nationally, and the other way round.
    Two E.164 keys match only when equal. Fewer than 6 digits match nobody.
    """
    key = phone_key(phone, region)
    if key is None:
        return []
    stored = col(Customer.phone_key)
    same = stored == key
    tail = _NON_DIGIT.sub("", key)[-PHONE_SUFFIX_DIGITS:]
    ends_alike: ColumnElement[bool] = stored.like(f"%{tail}")
    if key.startswith("+"):
        ends_alike = ends_alike & ~stored.startswith("+")
    query = scope.where(select(Customer).where(same | ends_alike)).order_by(
        case((same, 0), else_=1), col(Customer.customer_id)
    )
    return list(session.exec(query).all())


def customer_names(
    *, session: Session, customer_id: str | None = None
) -> list[tuple[str, str | None, str | None, str | None, tuple[str, ...]]]:
    """Return (customer_id, first_name, last_name, preferences, notes) of every customer (of
    the one `customer_id` given), for name matching: the preferences or a note may say the
    name she goes by ("Prefers to be called Nell"). `notes`: her notes' texts, oldest first."""
    people = select(
        Customer.customer_id, Customer.first_name, Customer.last_name, Customer.preferences
    )
    said = select(Note.customer_id, Note.text).order_by(col(Note.created_at), col(Note.id))
    if customer_id is not None:
        people = people.where(Customer.customer_id == customer_id)
        said = said.where(Note.customer_id == customer_id)
    rows = session.exec(people).all()
    notes: dict[str, list[str]] = {}
    for owner, text in session.exec(said):
        notes.setdefault(owner, []).append(text)
    return [(r[0], r[1], r[2], r[3], tuple(notes.get(r[0], ()))) for r in rows]


def last_visit(*, session: Session, customer_id: str) -> datetime | None:
    """Return when the customer last bought (or returned) something."""
    return session.exec(
        select(func.max(Purchase.purchased_at)).where(Purchase.customer_id == customer_id)
    ).one()


def catalogue_stamp(*, session: Session) -> tuple[Any, ...]:
    """Return a cheap fingerprint of customers and products that changes when either does."""
    customers = session.exec(
        select(func.count(), func.max(Customer.updated_at)).select_from(Customer)
    ).one()
    products = session.exec(
        select(func.count(), func.max(Product.updated_at)).select_from(Product)
    ).one()
    # A note may say the name she goes by: a note added or erased changes the names too.
    notes = session.exec(select(func.count(), func.max(Note.id)).select_from(Note)).one()
    return (*customers, *products, *notes)
