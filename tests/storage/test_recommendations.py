"""Product signals: what a refresh learns from purchases (bot.core.shopping_refresh), and the
look-ups over them (storage.recommendations)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.core.shopping_refresh import refresh_recommendations
from storage.models import ProductSignal, SignalRefresh
from storage.recommendations import latest_refresh, popular_in_categories, top_products
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
        return refresh_recommendations(session=session)[0]


def _signal(engine: Engine, sku: str) -> ProductSignal | None:
    with Session(engine) as session:
        return session.get(ProductSignal, sku)


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
        signals = session.exec(select(ProductSignal).order_by(col(ProductSignal.sku))).all()
        latest = latest_refresh(session=session)
    assert [s.sku for s in signals] == ["AERO", "FILT"]
    assert latest is not None
    assert latest.id == second.id != first.id
    assert (second.lines, second.customers, second.products) == (6, 3, 2)
    assert second.data_until == START + timedelta(days=2)


def test_refresh_of_an_empty_store_records_an_empty_run(engine: Engine) -> None:
    run = _refresh(engine)

    assert (run.lines, run.customers, run.products, run.data_until) == (0, 0, 0, None)
    with Session(engine) as session:
        assert top_products(session=session) == []
