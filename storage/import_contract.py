"""The file contracts: which columns each kind of CSV file has, and how each value is read."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pycountry
from sqlalchemy import Table

from storage.customers import phone_key
from storage.local_times import LocalTime, parse_local_time, store_zone
from storage.models import Customer, Note, Product, Purchase

KINDS = ("customers", "products", "purchases", "notes")

Parser = Callable[[str], Any]


@dataclass(frozen=True)
class ImportOptions:
    """What an installation's files leave unsaid: the country phone numbers are written in
    (ISO 3166 alpha-2 such as "DE"; "" for none) and the store's time zone (an IANA name) for
    times written without one."""

    phone_region: str = ""
    store_timezone: str = "UTC"


# Builds a column's parser from an import's options, for values whose reading depends on them.
ParserFactory = Callable[[ImportOptions], Parser]


# --- value parsers: each returns the value or raises ValueError with a reason for people ---------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def parse_text(raw: str) -> str:
    """Return the text as given."""
    return raw


def parse_int(raw: str) -> int:
    """Parse a whole number such as 3 or -1."""
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"not a whole number: {raw!r}") from None


def parse_price(raw: str) -> float:
    """Parse a non-negative decimal number such as 12.50."""
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"not a number: {raw!r} (use a dot for decimals)") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"not a number: {raw!r}")
    if value < 0:
        raise ValueError(f"negative price: {raw!r} (a return is a negative quantity)")
    return value


def parse_bool(raw: str) -> bool:
    """Parse true/false, yes/no or 1/0."""
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"not true/false/yes/no/1/0: {raw!r}")


def parse_date(raw: str) -> date:
    """Parse a calendar date written YYYY-MM-DD."""
    if not _ISO_DATE.fullmatch(raw):
        raise ValueError(f"not a date in YYYY-MM-DD form: {raw!r}")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"no such date: {raw!r}") from None


def time_parser(options: ImportOptions) -> Parser:
    """Return the parser of a local time column: `parse_local_time` in the store's time zone
    (ValueError for an unknown zone), giving a LocalTime; memoized, as times repeat."""
    zone = store_zone(options.store_timezone)

    @functools.lru_cache(maxsize=4096)
    def parse(raw: str) -> LocalTime:
        return parse_local_time(raw, zone)

    return parse


def phone_parser(options: ImportOptions) -> Parser:
    """Return the parser of the phone column: (the number as written, its `phone_key`)."""
    region = options.phone_region

    def parse(raw: str) -> tuple[str, str | None]:
        return raw, phone_key(raw, region)

    return parse


def parse_language(raw: str) -> str:
    """Parse a two-letter ISO 639-1 language code."""
    code = raw.strip().lower()
    # The full list, not just two letters: it catches typos such as "sp" for Spanish.
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise ValueError(f"not an ISO 639-1 language code: {raw!r} (e.g. en, es, tr, el, de)")
    return code


# --- what each kind of file holds ----------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a file contract."""

    name: str
    parse: Parser = parse_text
    required: bool = False
    default: Any = None
    # A second column of the table filled from this one (phone → phone_key, a local time →
    # its utc_offset_minutes): the column's parser then gives (value, derived value, ...).
    derived: str | None = None
    # Builds the parser from the import's options, in place of `parse`.
    configure: ParserFactory | None = None


@dataclass(frozen=True)
class KindSpec:
    """The contract of one kind of file and where its rows go."""

    kind: str
    table: Table
    key: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    references: tuple[tuple[str, Table, str], ...] = ()
    # Purchases merge repeated key lines by adding quantities; others must not repeat differently.
    merge_quantities: bool = False
    stamped: bool = False  # the table has created_at/updated_at maintained by the importer


_SPECS: dict[str, KindSpec] = {
    "customers": KindSpec(
        kind="customers",
        table=Customer.__table__,  # type: ignore[attr-defined]
        key=("customer_id",),
        columns=(
            ColumnSpec("customer_id", required=True),
            ColumnSpec("first_name"),
            ColumnSpec("last_name"),
            ColumnSpec("email"),
            ColumnSpec("phone", derived="phone_key", configure=phone_parser),
            ColumnSpec("birthday", parse_date),
            ColumnSpec("tier"),
            ColumnSpec("language", parse_language),
            ColumnSpec("sizes"),
            ColumnSpec("preferences"),
            ColumnSpec("marketing_consent", parse_bool, default=False),
            ColumnSpec("home_store"),
        ),
        stamped=True,
    ),
    "products": KindSpec(
        kind="products",
        table=Product.__table__,  # type: ignore[attr-defined]
        key=("sku",),
        columns=(
            ColumnSpec("sku", required=True),
            ColumnSpec("name", required=True),
            ColumnSpec("category"),
            ColumnSpec("brand"),
            ColumnSpec("price", parse_price),
            ColumnSpec("description"),
        ),
        stamped=True,
    ),
    "purchases": KindSpec(
        kind="purchases",
        table=Purchase.__table__,  # type: ignore[attr-defined]
        key=("order_id", "sku"),
        columns=(
            ColumnSpec("order_id", required=True),
            ColumnSpec("customer_id", required=True),
            ColumnSpec("sku", required=True),
            ColumnSpec("quantity", parse_int, default=1),
            ColumnSpec("unit_price", parse_price),
            ColumnSpec("purchased_at", derived="utc_offset_minutes", configure=time_parser),
            ColumnSpec("store_id"),
            ColumnSpec("associate_id"),
        ),
        references=(
            ("customer_id", Customer.__table__, "customer_id"),  # type: ignore[attr-defined]
            ("sku", Product.__table__, "sku"),  # type: ignore[attr-defined]
        ),
        merge_quantities=True,
    ),
    "notes": KindSpec(
        kind="notes",
        table=Note.__table__,  # type: ignore[attr-defined]
        key=("note_key",),
        columns=(
            ColumnSpec("customer_id", required=True),
            ColumnSpec("text", required=True),
            ColumnSpec("author"),
            ColumnSpec("created_at", derived="utc_offset_minutes", configure=time_parser),
        ),
        references=(("customer_id", Customer.__table__, "customer_id"),),  # type: ignore[attr-defined]
    ),
}


def column_parser(column: ColumnSpec, options: ImportOptions) -> Parser:
    """Return the parser of `column` for an import with `options` (ValueError when the options
    are not valid for it, e.g. an unknown time zone)."""
    return column.parse if column.configure is None else column.configure(options)


def file_columns(kind: str) -> list[str]:
    """Return the column names of the file contract for `kind`."""
    return [c.name for c in spec_of(kind).columns]


def spec_of(kind: str) -> KindSpec:
    """Return the contract of `kind`; raise ValueError naming the kinds for anything else."""
    try:
        return _SPECS[kind]
    except KeyError:
        raise ValueError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}") from None
