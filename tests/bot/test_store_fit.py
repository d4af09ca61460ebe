"""The next-basket weights are fitted on the store's own history at a full refresh."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.next_basket import DEFAULT_SETTINGS, WEIGHTS, store_weights
from bot.core.recommend import recommend
from bot.core.shopping_refresh import current_model, refresh_recommendations
from bot.core.store_fit import fit_store_weights
from storage.models import Purchase
from storage.shopping_history import day_lines
from tests.stores import Line, add_store

START = datetime(2024, 1, 8, 10, 0, tzinfo=UTC)
PRODUCTS = {
    "DESC": ("Descaler", "Coffee"),
    "BEAN": ("House beans", "Coffee"),
    **{f"GIFT{i}": (f"Gift item {i}", "Home") for i in range(12)},
}


def _slow_store(customers: int = 60, seed: int = 3) -> list[Line]:
    """A shop whose customers re-buy the descaler every ~90 days and beans every ~30, never
    sooner, with a gift now and then."""
    rng = random.Random(seed)
    lines: list[Line] = []
    for c in range(customers):
        first = rng.uniform(0, 40)
        for cycle in range(rng.randint(2, 5)):
            lines.append((f"c{c}", "DESC", 1, first + 90 * cycle + rng.uniform(-4, 4)))
        for cycle in range(rng.randint(4, 12)):
            lines.append((f"c{c}", "BEAN", 1, first + 2 + 30 * cycle + rng.uniform(-3, 3)))
        for _ in range(rng.randint(0, 3)):
            lines.append((f"c{c}", f"GIFT{rng.randrange(12)}", 1, rng.uniform(0, 400)))
    return lines


def test_a_store_with_enough_history_gets_weights_of_its_own_and_a_patch_keeps_them(
    engine: Engine,
) -> None:
    add_store(engine, PRODUCTS, _slow_store(), start=START)
    with Session(engine) as session:
        refresh_recommendations(session=session)
        fitted = store_weights(current_model(session=session))  # type: ignore[arg-type]
    assert fitted != WEIGHTS
    assert set(fitted) == set(WEIGHTS)
    assert all(set(fitted[g]) == set(WEIGHTS[g]) for g in fitted)
    # A few new lines patch the model; the weights stay those fitted.
    with Session(engine) as session:
        session.add(
            Purchase(
                order_id="NEW",
                customer_id="c1",
                sku="BEAN",
                quantity=1,
                purchased_at=START + timedelta(days=500),
            )
        )
        session.commit()
    with Session(engine) as session:
        done = refresh_recommendations(session=session)[1]
        assert not done.full
        assert store_weights(current_model(session=session)) == fitted  # type: ignore[arg-type]


def test_a_small_store_keeps_the_shipped_weights(engine: Engine) -> None:
    add_store(engine, PRODUCTS, _slow_store(customers=12), start=START)
    with Session(engine) as session:
        refresh_recommendations(session=session)
        assert store_weights(current_model(session=session)) == WEIGHTS  # type: ignore[arg-type]
        assert fit_store_weights(list(day_lines(session=session))) is None


def test_the_fit_is_the_same_for_the_same_history(engine: Engine) -> None:
    add_store(engine, PRODUCTS, _slow_store(), start=START)
    with Session(engine) as session:
        lines = list(day_lines(session=session))
    assert fit_store_weights(lines) == fit_store_weights(list(reversed(lines)))


def test_where_nobody_rebuys_soon_a_product_bought_days_ago_is_given_a_small_chance(
    engine: Engine,
) -> None:
    # Eva bought the descaler for the first time three days ago; here it comes back after
    # ~90 days. The shipped weights (fitted on a wholesaler, who re-orders any day) give it
    # an even chance of being in her next basket; the store's own, far less, and the beans
    # she is due stay first.
    lines = _slow_store()
    lines += [("eva", "BEAN", 1, d) for d in (300, 330, 360)] + [("eva", "DESC", 1, 387)]
    add_store(engine, PRODUCTS, lines, start=START)
    now = START + timedelta(days=390)
    with Session(engine) as session:
        refresh_recommendations(session=session)
        own = recommend(session=session, customer_id="eva", now=now)
        shipped = recommend(
            session=session,
            customer_id="eva",
            now=now,
            settings=replace(DEFAULT_SETTINGS, weights=WEIGHTS),
        )
    chance = {r.sku: r.score for r in own}
    assert own[0].sku == "BEAN"
    assert chance["DESC"] < 0.25 < 0.5 < {r.sku: r.score for r in shipped}["DESC"]
