"""CUSTOMER_SCOPE in SQL: one condition decides which customers a caller sees (home store or a
purchase in the store), for every look-up and list, on SQLite and PostgreSQL; under `all` it
adds no query."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from storage.customer_lists import birthdays, due, lapsed, vips
from storage.customers import find_by_email, find_by_phone, get_customer, get_customers
from storage.followups import add_followup, open_followups
from storage.list_tables import list_tables_current, rebuild_list_tables
from storage.models import Customer, Product, ProductSignal, Purchase
from storage.scope import EVERYONE, Scope

TODAY = date(2026, 11, 22)
S01 = Scope.of("store", role="associate", store="S01")
# customer: (first, last, home store, email, phone, birthday)
PEOPLE = {
    "HOME1": ("Lena", "Vogel", "S01", "lena@example.com", "+34 600 000 001", date(1980, 11, 23)),
    "HOME2": ("Bruno", "Costa", "S02", "bruno@example.com", "+34 600 000 002", date(1979, 11, 24)),
    "VISITOR": ("Carla", "Reyes", "S02", "carla@example.com", None, date(1992, 11, 25)),
    "NOHOME": ("Dmitri", "Orlov", None, None, None, date(1970, 11, 26)),
    "ELSEWHERE": ("Ezra", "Quinn", None, "ezra@example.com", None, date(1971, 11, 27)),
    "ANA1": ("Ana", "Pérez", "S01", "ana@example.com", None, None),
    "ANA2": ("Ana", "Pérez", "S02", "ana@example.com", None, None),
}
IN_S01 = {"HOME1", "VISITOR", "NOHOME", "ANA1"}
OUT_OF_S01 = {"HOME2", "ELSEWHERE", "ANA2"}


def _at(days_ago: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), tzinfo=UTC)


@pytest.fixture(params=["purchases", "tables"])
def shop(request: pytest.FixtureRequest, engine: Engine) -> Engine:
    """Two stores: home customers of each, a S02 customer who bought once in S01, one with no
    home store who bought in S01, one who bought only in S02, and an Ana Pérez in each store;
    the lists read from the purchases or from the summary tables."""
    with Session(engine) as db:
        db.add(Product(sku="TOWEL", name="Towel", price=20.0))
        db.add(Product(sku="FILTER", name="Filters", price=5.0))
        db.add(
            ProductSignal(
                sku="FILTER", buyers=40, repeat_buyers=30, rebuy_rate=0.75, median_rebuy_days=30.0
            )
        )
        for cid, (first, last, home, email, phone, born) in PEOPLE.items():
            db.add(
                Customer(
                    customer_id=cid,
                    first_name=first,
                    last_name=last,
                    home_store=home,
                    email=email,
                    phone=phone,
                    phone_key="".join(ch for ch in phone if ch.isdigit()) if phone else None,
                    birthday=born,
                )
            )
        db.commit()
        lines = [
            # regulars gone quiet (every 20 days, last 100 days ago): lapsed
            *(("HOME1", "TOWEL", d, "S01") for d in (140, 120, 100)),
            *(("HOME2", "TOWEL", d, "S02") for d in (140, 120, 100)),
            # filters every 30 days, last 35 days ago: due again
            ("VISITOR", "FILTER", 95, "S02"),
            ("VISITOR", "FILTER", 65, "S02"),
            ("VISITOR", "FILTER", 35, "S01"),  # the one purchase in S01
            *(("NOHOME", "FILTER", d, "S01") for d in (95, 65, 35)),
            *(("ELSEWHERE", "FILTER", d, "S02") for d in (95, 65, 35)),
            ("ANA1", "TOWEL", 10, "S01"),
            ("ANA2", "TOWEL", 12, "S02"),
        ]
        for n, (cid, sku, days_ago, store) in enumerate(lines):
            db.add(
                Purchase(
                    order_id=f"O{n}",
                    customer_id=cid,
                    sku=sku,
                    quantity=1,
                    unit_price=20.0 if sku == "TOWEL" else 5.0,
                    purchased_at=_at(days_ago),
                    store_id=store,
                )
            )
        db.commit()
        if request.param == "tables":
            rebuild_list_tables(db.connection())
            db.commit()
        assert list_tables_current(db) == (request.param == "tables")
    return engine


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    """Record the SELECT statements run on `engine` meanwhile."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        if args[2].lstrip().upper().startswith("SELECT"):
            seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_setting_and_the_role_decide_what_a_caller_sees() -> None:
    assert Scope.of("all", role="associate", store="S01") is EVERYONE
    assert Scope.of("store", role="admin", store=None) is EVERYONE
    assert Scope.of("store", role="manager", store="S01") == Scope.of_store("S01")
    assert Scope.of("store", role="associate", store="S01") == Scope.of_store("S01")
    assert Scope.of("store", role="associate", store=None).nobody
    assert Scope.of("store", role="manager", store="  ").nobody
    with pytest.raises(ValueError, match="CUSTOMER_SCOPE 'shop'"):
        Scope.of("shop", role="associate", store="S01")


def test_a_list_of_a_store_is_narrowed_within_the_callers_scope() -> None:
    assert EVERYONE.within(None) is EVERYONE
    assert EVERYONE.within("S02") == Scope.of_store("S02")
    assert S01.within("S01") == S01
    assert S01.within("S02").nobody


def test_look_ups_find_a_stores_home_customers_and_those_who_bought_there(
    shop: Engine,
) -> None:
    with Session(shop) as db:
        for cid in PEOPLE:
            found = get_customer(session=db, customer_id=cid, scope=S01)
            assert (found is not None) == (cid in IN_S01), cid
            assert get_customer(session=db, customer_id=cid) is not None
        everyone = sorted(PEOPLE)
        assert {c.customer_id for c in get_customers(session=db, customer_ids=everyone)} == set(
            PEOPLE
        )
        seen = get_customers(session=db, customer_ids=everyone, scope=S01)
        assert [c.customer_id for c in seen] == [c for c in everyone if c in IN_S01]
        assert S01.visible(session=db, customer_ids=[*everyone, "NOBODY"]) == IN_S01
        # the same e-mail in two stores: each store finds its own
        assert [c.customer_id for c in find_by_email(session=db, email="ANA@example.com")] == [
            "ANA1",
            "ANA2",
        ]
        assert [
            c.customer_id for c in find_by_email(session=db, email="ana@example.com", scope=S01)
        ] == ["ANA1"]
        assert find_by_email(session=db, email="bruno@example.com", scope=S01) == []
        assert find_by_phone(session=db, phone="600 000 002", scope=S01) == []
        [lena] = find_by_phone(session=db, phone="600 000 001", scope=S01)
        assert lena.customer_id == "HOME1"


def test_a_caller_without_a_store_sees_nobody(shop: Engine) -> None:
    nobody = Scope.of("store", role="associate", store=None)
    with Session(shop) as db:
        assert get_customer(session=db, customer_id="HOME1", scope=nobody) is None
        assert get_customers(session=db, customer_ids=sorted(PEOPLE), scope=nobody) == []
        assert nobody.visible(session=db, customer_ids=sorted(PEOPLE)) == set()
        assert vips(session=db, today=TODAY, scope=nobody) == []
        assert birthdays(session=db, today=TODAY, scope=nobody) == []


def test_every_list_holds_the_stores_customers_and_no_others(shop: Engine) -> None:
    with Session(shop) as db:
        listed = {
            "birthdays": {r.customer.customer_id for r in birthdays(session=db, today=TODAY)},
            "lapsed": {r.customer.customer_id for r in lapsed(session=db, today=TODAY)},
            "due": {r.customer.customer_id for r in due(session=db, today=TODAY)},
            "vip": {r.customer.customer_id for r in vips(session=db, today=TODAY, limit=50)},
        }
        scoped = {
            "birthdays": {
                r.customer.customer_id for r in birthdays(session=db, today=TODAY, scope=S01)
            },
            "lapsed": {r.customer.customer_id for r in lapsed(session=db, today=TODAY, scope=S01)},
            "due": {r.customer.customer_id for r in due(session=db, today=TODAY, scope=S01)},
            "vip": {
                r.customer.customer_id for r in vips(session=db, today=TODAY, scope=S01, limit=50)
            },
        }

    assert listed == {
        "birthdays": {"HOME1", "HOME2", "VISITOR", "NOHOME", "ELSEWHERE"},
        "lapsed": {"HOME1", "HOME2"},
        "due": {"VISITOR", "NOHOME", "ELSEWHERE"},
        "vip": set(PEOPLE),
    }
    # the same rows, kept to S01's customers: those who only bought there count too
    assert scoped == {kind: rows & IN_S01 for kind, rows in listed.items()}
    assert scoped["due"] == {"VISITOR", "NOHOME"}


def test_follow_ups_about_customers_out_of_scope_are_not_listed(shop: Engine) -> None:
    with Session(shop) as db:
        for cid in ("HOME1", "HOME2"):
            add_followup(
                session=db,
                customer_id=cid,
                text="call back",
                due_date=TODAY,
                now=_at(1),
                telegram_id=7,
            )
        mine = open_followups(session=db, telegram_id=7, scope=S01)
        everyones = open_followups(session=db, telegram_id=7)

    assert [c.customer_id for _, c in mine] == ["HOME1"]
    assert {c.customer_id for _, c in everyones} == {"HOME1", "HOME2"}


def test_under_all_the_scope_adds_no_query_and_no_condition(shop: Engine) -> None:
    query = select(Customer).where(Customer.customer_id == "HOME1")
    assert EVERYONE.where(query) is query
    with Session(shop) as db, _statements(shop) as seen:
        assert EVERYONE.visible(session=db, customer_ids=["HOME1", "X"]) == {"HOME1", "X"}
        assert seen == []
        get_customer(session=db, customer_id="HOME1")
        get_customers(session=db, customer_ids=["HOME1"])
    assert len(seen) == 2
    assert not any("scope_purchase" in sql for sql in seen)


def test_a_look_up_in_a_store_is_one_query_by_the_purchase_index(
    shop: Engine,
) -> None:
    with Session(shop) as db, _statements(shop) as seen:
        get_customer(session=db, customer_id="VISITOR", scope=S01)
    [sql] = seen
    assert "EXISTS" in sql.upper()
    if shop.dialect.name == "sqlite":
        compiled = (
            S01.where(select(Customer).where(Customer.customer_id == "VISITOR"))
            .compile(shop, compile_kwargs={"literal_binds": True})
            .string
        )
        with shop.connect() as conn:
            plan = " ".join(
                str(r[-1]) for r in conn.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}"))
            )
        # the customer by its key, their purchases in the store by an index: no scan
        assert "ix_purchase_store_customer" in plan or "ix_purchase_customer_time" in plan
        assert "SCAN" not in plan.replace("SCAN CONSTANT ROW", "")
