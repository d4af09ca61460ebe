"""Recommendation signals: what refresh_signals learns from purchases, and the look-ups over it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

import storage.signal_refresh as signal_refresh
from storage.models import ProductPair, ProductSignal, SignalRefresh
from storage.recommendations import (
    complements_of,
    customer_history,
    latest_refresh,
    popular_in_categories,
    product_signals,
    top_products,
)
from storage.signal_refresh import refresh_signals
from tests.stores import Line, add_store

START = datetime(2025, 1, 6, 10, 0, tzinfo=UTC)
PRODUCTS = {
    "BEAN": ("House blend beans 1 kg", "Coffee"),
    "AERO": ("AeroPress Original", "Coffee"),
    "FILT": ("AeroPress paper filters", "Coffee"),
    "MUG": ("Stoneware mug", "Kitchen"),
    "KETL": ("Gooseneck kettle", "Kitchen"),
}


def _store(engine: Engine, lines: Iterable[Line]) -> None:
    """Add the catalogue, the customers of `lines` and one order per line."""
    add_store(engine, PRODUCTS, lines, start=START)


def _refresh(engine: Engine) -> SignalRefresh:
    with Session(engine) as session:
        return refresh_signals(session=session)


def _signal(engine: Engine, sku: str) -> ProductSignal | None:
    with Session(engine) as session:
        return product_signals(session=session, skus=[sku]).get(sku)


def test_rebuy_rate_and_interval_are_learned_from_who_buys_again(engine: Engine) -> None:
    # Three of four owners re-buy the beans, every 7, 14 and 28 days: the median rhythm is 14.
    lines: list[Line] = [("c1", "BEAN", 1, d) for d in (0, 7, 14, 21)]
    lines += [("c2", "BEAN", 1, d) for d in (0, 14, 28)]
    lines += [("c3", "BEAN", 1, d) for d in (0, 28)]
    lines += [("c4", "BEAN", 1, 3), ("c4", "KETL", 1, 3), ("c1", "KETL", 1, 0)]
    _store(engine, lines)

    _refresh(engine)

    beans, kettle = _signal(engine, "BEAN"), _signal(engine, "KETL")
    assert beans is not None
    assert kettle is not None
    assert (beans.buyers, beans.repeat_buyers, beans.rebuy_rate) == (4, 3, 0.75)
    assert beans.median_rebuy_days == 14
    assert (kettle.buyers, kettle.repeat_buyers, kettle.rebuy_rate) == (2, 0, 0)
    assert kettle.median_rebuy_days is None


def test_the_median_interval_of_an_even_count_is_the_mean_of_the_middle_two(
    engine: Engine,
) -> None:
    _store(
        engine,
        [("c1", "BEAN", 1, 0), ("c1", "BEAN", 1, 10)] + [("c2", "BEAN", 1, d) for d in (0, 20)],
    )

    _refresh(engine)

    beans = _signal(engine, "BEAN")
    assert beans is not None
    assert beans.median_rebuy_days == 15


def test_a_full_return_cancels_ownership_everywhere(engine: Engine) -> None:
    _store(
        engine,
        [
            ("c1", "KETL", 2, 0),
            ("c1", "KETL", -2, 5),  # returned, both
            ("c1", "MUG", 1, 0),
            ("c2", "KETL", 1, 1),
        ],
    )

    _refresh(engine)

    with Session(engine) as session:
        history = customer_history(session=session, customer_id="c1")
    kettle = next(item for item in history.items if item.sku == "KETL")
    assert (kettle.net_quantity, kettle.owned) == (0, False)
    assert [item.sku for item in history.owned] == ["MUG"]
    signal = _signal(engine, "KETL")
    assert signal is not None
    assert signal.buyers == 1  # c2 only


def test_a_same_day_return_does_not_count_as_a_purchase_day(engine: Engine) -> None:
    _store(
        engine,
        [
            ("c1", "BEAN", 1, 0),
            ("c1", "BEAN", 1, 10),
            ("c1", "BEAN", -1, 10.2),  # bought and brought back the same afternoon
        ],
    )

    with Session(engine) as session:
        history = customer_history(session=session, customer_id="c1")

    (beans,) = history.items
    assert (beans.net_quantity, beans.days, history.visits) == (1, 1, 1)
    assert beans.last_bought == START


def test_purchase_days_are_utc_calendar_days(engine: Engine) -> None:
    # 23:30 and 00:30 the next morning are two days; 00:10 and 23:50 of one date are one.
    late = START.replace(hour=23, minute=30)
    _store(
        engine,
        [
            ("c1", "BEAN", 1, (late - START).total_seconds() / 86400),
            ("c1", "BEAN", 1, (late + timedelta(hours=1) - START).total_seconds() / 86400),
            ("c2", "BEAN", 1, (START.replace(hour=0, minute=10) - START).total_seconds() / 86400),
            ("c2", "BEAN", 1, (START.replace(hour=23, minute=50) - START).total_seconds() / 86400),
        ],
    )

    with Session(engine) as session:
        one = customer_history(session=session, customer_id="c1")
        two = customer_history(session=session, customer_id="c2")

    assert (one.items[0].days, one.visits) == (2, 2)
    assert (two.items[0].days, two.visits) == (1, 1)


def test_customer_history_lists_the_latest_bought_first_with_its_product_signals(
    engine: Engine,
) -> None:
    _store(
        engine,
        [("c1", "MUG", 1, 0), ("c1", "BEAN", 3, 2), ("c1", "BEAN", 1, 30)]
        + [("c2", "BEAN", 1, d) for d in (0, 10)],
    )
    _refresh(engine)

    with Session(engine) as session:
        history = customer_history(session=session, customer_id="c1")

    beans, mug = history.items
    assert (beans.sku, beans.name, beans.category) == ("BEAN", "House blend beans 1 kg", "Coffee")
    assert (beans.net_quantity, beans.days, history.visits) == (4, 2, 3)
    assert (beans.first_bought, beans.last_bought) == (
        START + timedelta(days=2),
        START + timedelta(days=30),
    )
    assert (beans.buyers, beans.rebuy_rate, beans.median_rebuy_days) == (2, 1.0, 19)
    assert mug.sku == "MUG"


def test_complements_are_learned_from_customers_who_own_both(engine: Engine) -> None:
    lines: list[Line] = []
    for n in range(3):  # three AeroPress owners also own the filters
        lines += [(f"a{n}", "AERO", 1, n), (f"a{n}", "FILT", 1, n + 1)]
    lines += [("a0", "MUG", 1, 5), ("a1", "MUG", 1, 5)]  # only two own a mug as well
    lines += [("m1", "MUG", 1, 0), ("m2", "KETL", 1, 0), ("m2", "MUG", 1, 1)]
    _store(engine, lines)

    run = _refresh(engine)

    with Session(engine) as session:
        pairs = complements_of(session=session, skus=["AERO", "FILT"], limit=10)
    found = {(p.sku, p.other_sku): p for p in pairs}
    assert set(found) == {("AERO", "FILT"), ("FILT", "AERO")}
    aero_filters = found[("AERO", "FILT")]
    assert (aero_filters.together, aero_filters.name, aero_filters.category) == (
        3,
        "AeroPress paper filters",
        "Coffee",
    )
    assert aero_filters.score == pytest.approx(1.0)  # every owner of one owns the other
    assert run.pairs == 2


def test_only_the_strongest_complements_of_each_product_are_kept(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(signal_refresh, "PAIRS_PER_SKU", 1)
    lines: list[Line] = []
    for n in range(4):
        lines += [(f"c{n}", "AERO", 1, 0), (f"c{n}", "FILT", 1, 0)]
    for n in range(3):
        lines += [(f"c{n}", "MUG", 1, 0)]
    lines += [("x1", "MUG", 1, 0), ("x2", "MUG", 1, 0)]
    _store(engine, lines)

    _refresh(engine)

    with Session(engine) as session:
        kept = session.exec(select(ProductPair).where(ProductPair.sku == "AERO")).all()
    assert [(p.rank, p.other_sku, p.together) for p in kept] == [(1, "FILT", 4)]


def test_popularity_counts_owners_who_bought_in_the_last_90_days_of_the_data(
    engine: Engine,
) -> None:
    lines: list[Line] = [(f"old{n}", "KETL", 1, 0) for n in range(5)]  # a year before the end
    lines += [(f"new{n}", "MUG", 1, 300 + n) for n in range(3)]
    lines += [("new0", "BEAN", 1, 365), ("new1", "BEAN", 1, 360)]
    _store(engine, lines)

    _refresh(engine)

    with Session(engine) as session:
        top = top_products(session=session, limit=3)
        kitchen = popular_in_categories(session=session, categories=["Kitchen"], limit=5)
    assert [(p.sku, p.recent_buyers, p.buyers) for p in top] == [
        ("MUG", 3, 3),
        ("BEAN", 2, 2),
        ("KETL", 0, 5),
    ]
    assert [p.sku for p in kitchen["Kitchen"]] == ["MUG", "KETL"]


def test_a_refresh_replaces_the_signals_and_records_the_run(engine: Engine) -> None:
    lines: list[Line] = []
    for n in range(3):
        lines += [(f"c{n}", "AERO", 1, n), (f"c{n}", "FILT", 1, n)]
    _store(engine, lines)

    first = _refresh(engine)
    second = _refresh(engine)

    with Session(engine) as session:
        pairs = session.exec(select(ProductPair)).all()
        signals = session.exec(select(ProductSignal).order_by(col(ProductSignal.sku))).all()
        latest = latest_refresh(session=session)
    assert len(pairs) == 2
    assert [s.sku for s in signals] == ["AERO", "FILT"]
    assert latest is not None
    assert latest.id == second.id != first.id
    assert (second.lines, second.customers, second.products, second.pairs) == (6, 3, 2, 2)
    assert second.data_until == START + timedelta(days=2)


def test_refresh_of_an_empty_store_records_an_empty_run(engine: Engine) -> None:
    run = _refresh(engine)

    assert (run.lines, run.customers, run.products, run.pairs, run.data_until) == (
        0,
        0,
        0,
        0,
        None,
    )
    with Session(engine) as session:
        assert top_products(session=session) == []
        assert customer_history(session=session, customer_id="nobody").items == []
