"""Customer lists on a planted store: who is on each list as of a fixed date, and who must not
be (issue 11, part 1: birthdays, lapsed, vip), read from the purchases and from the summary
tables alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from storage.customer_lists import birthdays, due, lapsed, next_birthday, vips
from storage.list_tables import list_tables_current, rebuild_list_tables
from storage.models import Customer, Product, ProductSignal, Purchase
from storage.scope import Scope

TODAY = date(2026, 12, 28)


def _at(days_ago: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), tzinfo=UTC)


@pytest.fixture(params=["purchases", "tables"])
def source(request: pytest.FixtureRequest) -> str:
    """Where the lists read visits, items and spend: the purchases, or the summary tables."""
    return str(request.param)


def _summarise(engine: Engine, source: str) -> None:
    with Session(engine) as db:
        if source == "tables":
            # The tables alone: `refresh_signals` would also relearn the planted signals.
            rebuild_list_tables(db.connection())
            db.commit()
        assert list_tables_current(db) == (source == "tables")


@pytest.fixture
def planted(engine: Engine, source: str) -> Engine:
    """The planted store, on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""
    with Session(engine) as db:
        db.add(Product(sku="P1", name="Beans", price=10.0))
        people = {
            # birthdays: today, in 6 days across New Year, in 8 days (not this week), 29 Feb
            "BTODAY": date(1980, 12, 28),
            "BNEWYEAR": date(1990, 1, 3),
            "BLATER": date(1985, 1, 5),
            "BLEAP": date(1992, 2, 29),
            # visits
            "EVERY3W": None,  # every 3 weeks, last 10 weeks ago: lapsed
            "EVERY6M": None,  # every 6 months, last 4 months ago: not lapsed
            "TWICE": None,  # two visits only: never "lapsed" by rhythm
            "BIG": None,  # the biggest spender, every 2 weeks, last 8 weeks ago: lapsed first
        }
        for cid, born in people.items():
            db.add(
                Customer(
                    customer_id=cid,
                    first_name=cid.title(),
                    birthday=born,
                    home_store="S2" if cid == "BIG" else "S1",
                )
            )
        order = 0

        def buy(cid: str, days_ago: int, price: float = 10.0) -> None:
            nonlocal order
            order += 1
            db.add(
                Purchase(
                    order_id=f"O{order}",
                    customer_id=cid,
                    sku="P1",
                    quantity=1,
                    unit_price=price,
                    purchased_at=_at(days_ago),
                )
            )

        for k in range(5):
            buy("EVERY3W", 70 + 21 * k)
        for k in range(4):
            buy("EVERY6M", 120 + 182 * k)
        buy("TWICE", 300)
        buy("TWICE", 200)
        for k in range(4):
            buy("BIG", 56 + 14 * k, price=500.0)
        db.commit()
    _summarise(engine, source)
    return engine


def test_birthdays_of_the_coming_week_across_new_year(planted: Engine) -> None:
    with Session(planted) as db:
        rows = birthdays(session=db, today=TODAY)
        wider = birthdays(session=db, today=TODAY, days=10)

    assert [(r.customer.customer_id, r.days) for r in rows] == [("BTODAY", 0), ("BNEWYEAR", 6)]
    assert rows[1].birthday == date(2027, 1, 3)
    # 8 days away is not this week, but within 10 days
    assert ("BLATER", 8) in [(r.customer.customer_id, r.days) for r in wider]


def test_29_february_is_celebrated_on_28_february_in_other_years() -> None:
    assert next_birthday(date(1992, 2, 29), date(2027, 2, 20)) == date(2027, 2, 28)
    assert next_birthday(date(1992, 2, 29), date(2028, 2, 20)) == date(2028, 2, 29)


def test_lapsed_follows_each_customers_own_rhythm(planted: Engine) -> None:
    with Session(planted) as db:
        rows = lapsed(session=db, today=TODAY)

    ids = [r.customer.customer_id for r in rows]
    # the biggest spender first; the six-monthly customer after four months is not lapsed;
    # two visits are no rhythm
    assert ids == ["BIG", "EVERY3W"]
    assert rows[1].days == 70
    assert rows[1].usual_days == pytest.approx(21.0)


def test_lapsed_with_days_is_simply_no_visit_for_that_long(planted: Engine) -> None:
    with Session(planted) as db:
        rows = lapsed(session=db, today=TODAY, days=100)

    assert {r.customer.customer_id for r in rows} == {"EVERY6M", "TWICE"}
    assert all(r.days >= 100 for r in rows)


def test_vips_rank_by_spend_of_the_last_twelve_months_in_a_store(planted: Engine) -> None:
    with Session(planted) as db:
        everyone = vips(session=db, today=TODAY)
        store_1 = vips(session=db, today=TODAY, scope=Scope.of_store("S1"))

    assert everyone[0].customer.customer_id == "BIG"
    assert everyone[0].spend == pytest.approx(2000.0)
    # EVERY6M's purchases older than a year do not count
    every6m = next(r for r in everyone if r.customer.customer_id == "EVERY6M")
    assert every6m.spend == pytest.approx(20.0)
    assert "BIG" not in [r.customer.customer_id for r in store_1]


def test_a_list_as_of_an_earlier_date_ignores_the_purchases_after_it(planted: Engine) -> None:
    earlier = TODAY - timedelta(days=60)
    with Session(planted) as db:
        gone = lapsed(session=db, today=earlier)
        top = vips(session=db, today=earlier)[0]

    # 60 days earlier everyone had been in within their own rhythm; BIG had bought 3 times
    assert gone == []
    assert (top.customer.customer_id, top.spend, top.orders) == ("BIG", pytest.approx(1500.0), 3)


@pytest.fixture
def regulars(engine: Engine, source: str) -> Engine:
    """Beans re-bought by habit, a kettle bought once, beans bought once by a newcomer."""
    with Session(engine) as db:
        db.add(Product(sku="BEANS", name="Beans", price=10.0))
        db.add(Product(sku="KETTLE", name="Kettle", price=80.0))
        # what everyone's purchases say: beans are re-bought every ~30 days, kettles are not
        db.add(
            ProductSignal(
                sku="BEANS", buyers=40, repeat_buyers=30, rebuy_rate=0.75, median_rebuy_days=30.0
            )
        )
        db.add(
            ProductSignal(
                sku="KETTLE", buyers=40, repeat_buyers=1, rebuy_rate=0.025, median_rebuy_days=400.0
            )
        )
        for cid in ("HABIT", "LOST", "ONCE", "NEW"):
            db.add(Customer(customer_id=cid, first_name=cid.title()))
        lines = [
            ("HABIT", "BEANS", 95),
            ("HABIT", "BEANS", 65),
            ("HABIT", "BEANS", 35),
            ("LOST", "BEANS", 260),
            ("LOST", "BEANS", 230),
            ("LOST", "BEANS", 200),
            ("ONCE", "KETTLE", 300),
            ("NEW", "BEANS", 40),
        ]
        for n, (cid, sku, days_ago) in enumerate(lines):
            db.add(
                Purchase(
                    order_id=f"R{n}",
                    customer_id=cid,
                    sku=sku,
                    quantity=1,
                    unit_price=10.0,
                    purchased_at=_at(days_ago),
                )
            )
        db.commit()
    _summarise(engine, source)
    return engine


def test_due_is_a_regular_need_coming_round_never_a_durable(regulars: Engine) -> None:
    with Session(regulars) as db:
        rows = due(session=db, today=TODAY)

    assert [(r.customer.customer_id, r.sku, r.own_rhythm) for r in rows] == [
        ("HABIT", "BEANS", True),  # every 30 days, last 35 days ago
        ("NEW", "BEANS", False),  # bought once, but beans are re-bought every ~30 days
    ]
    # the kettle bought once is never due; beans last bought 200 days ago are long past due
    assert rows[0].usual_days == pytest.approx(30.0)
