"""Recommendations for one customer: what is suggested, what never is, and the reasons given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.next_basket import DEFAULT_SETTINGS
from bot.core.recommend import Recommendation, recommend
from bot.core.shopping_refresh import refresh_recommendations
from storage.models import Purchase
from tests.stores import Line, add_store

START = datetime(2024, 3, 4, 11, 0, tzinfo=UTC)
PRODUCTS = {
    "BEAN": ("House blend beans 1 kg", "Coffee"),
    "AERO": ("AeroPress Original", "Coffee"),
    "FILT": ("AeroPress paper filters", "Coffee"),
    "GRND": ("Burr grinder", "Coffee"),
    "MUG": ("Stoneware mug", "Kitchen"),
    "KETL": ("Gooseneck kettle", "Kitchen"),
    "SEED": ("Tomato seeds", "Garden"),
}


def _store(engine: Engine, lines: Iterable[Line]) -> None:
    """Add the catalogue, the customers of `lines` and one order per line, then learn signals."""
    add_store(engine, PRODUCTS, lines, start=START)
    with Session(engine) as session:
        refresh_recommendations(session=session)


def _recommend(
    engine: Engine, customer_id: str, day: float | None, k: int = 10
) -> list[Recommendation]:
    now = None if day is None else START + timedelta(days=day)
    with Session(engine) as session:
        return recommend(session=session, customer_id=customer_id, k=k, now=now)


def _by_sku(recs: list[Recommendation]) -> dict[str, Recommendation]:
    return {r.sku: r for r in recs}


def _regulars(n: int = 4) -> list[Line]:
    """Customers who buy beans every four weeks, and the odd mug."""
    lines: list[Line] = [(f"r{i}", "BEAN", 1, d) for i in range(n) for d in (0, 28, 56, 84)]
    return lines + [(f"r{i}", "MUG", 1, 3) for i in range(n)]


def test_a_consumable_comes_back_on_its_rhythm_not_just_after_and_its_chance_grows(
    engine: Engine,
) -> None:
    _store(engine, [*_regulars(), *(("ana", "BEAN", 1, d) for d in (0, 28, 56))])

    just_bought = _by_sku(_recommend(engine, "ana", day=59))
    sooner = _by_sku(_recommend(engine, "ana", day=70))
    due = _by_sku(_recommend(engine, "ana", day=88))

    assert due["BEAN"].kind == "replenish"
    assert due["BEAN"].reason == "usually re-buys every 4 weeks; last bought 5 weeks ago"
    # Three days after: sooner than she ever re-bought it (a quarter of her quickest, 7 days).
    assert "BEAN" not in just_bought
    assert sooner["BEAN"].reason == "usually re-buys every 4 weeks; last bought 2 weeks ago"
    assert sooner["BEAN"].score < due["BEAN"].score


def test_an_owned_product_comes_back_only_when_its_chance_is_not_small(engine: Engine) -> None:
    # Ida bought the mug once, on her first of sixty visits; beans on every visit since.
    # A few customers re-buy mugs (so it is not a durable), but hardly anyone like her does.
    lines: list[Line] = [("ida", "MUG", 1, 0)]
    lines += [("ida", "BEAN", 1, 2 * w) for w in range(1, 61)]
    lines += [(f"m{i}", "MUG", 1, d) for i in range(3) for d in (0, 40)]
    lines += [(f"n{i}", "MUG", 1, i) for i in range(20)]
    _store(engine, [*_regulars(), *lines])

    with Session(engine) as session:
        loose = recommend(
            session=session,
            customer_id="ida",
            k=20,
            now=START + timedelta(days=123),
            settings=replace(DEFAULT_SETTINGS, min_owned_chance=0.0),
        )
    recs = _by_sku(_recommend(engine, "ida", day=123, k=20))

    mug = _by_sku(loose)["MUG"]
    assert mug.kind == "replenish"
    assert mug.score < DEFAULT_SETTINGS.min_owned_chance
    assert "MUG" not in recs
    assert recs["BEAN"].kind == "replenish"


def test_a_product_bought_once_comes_back_on_the_rhythm_other_customers_rebuy_it(
    engine: Engine,
) -> None:
    _store(engine, [*_regulars(), ("ben", "BEAN", 1, 30)])

    recs = _by_sku(_recommend(engine, "ben", day=62))

    assert recs["BEAN"].kind == "replenish"
    assert recs["BEAN"].reason == (
        "80% of its buyers re-buy it, about every 4 weeks; last bought 5 weeks ago"
    )


def test_a_durable_product_nobody_rebuys_is_never_suggested_to_its_owner(engine: Engine) -> None:
    grinders: list[Line] = [(f"g{i}", "GRND", 1, i) for i in range(6)]
    _store(engine, [*_regulars(), *grinders, ("cem", "GRND", 1, 0), ("cem", "BEAN", 1, 0)])

    recs = _by_sku(_recommend(engine, "cem", day=400, k=20))

    assert "GRND" not in recs
    assert recs["BEAN"].kind == "replenish"  # what people do re-buy still comes back


def test_complements_are_learned_from_what_owners_also_bought(engine: Engine) -> None:
    owners: list[Line] = []
    for i in range(4):
        owners += [(f"o{i}", "AERO", 1, i), (f"o{i}", "FILT", 1, i + 7)]
    others: list[Line] = [(f"x{i}", sku, 1, i) for i in range(6) for sku in ("MUG", "KETL")]
    _store(engine, [*owners, *others, ("dan", "AERO", 1, 10)])

    recs = _by_sku(_recommend(engine, "dan", day=20))

    assert recs["FILT"].kind == "complement"
    assert recs["FILT"].reason == "often bought with the AeroPress Original they own (4 customers)"
    assert "AERO" not in recs  # owned, and nobody buys a second one


def test_popular_products_of_their_categories_fill_the_list(engine: Engine) -> None:
    kettles: list[Line] = [(f"k{i}", "KETL", 1, 80 + i) for i in range(5)]
    gardeners: list[Line] = [(f"s{i}", "SEED", 1, 80 + i) for i in range(9)]
    _store(engine, [*kettles, *gardeners, ("eva", "MUG", 1, 60)])

    recs = _recommend(engine, "eva", day=90)

    assert [(r.sku, r.kind) for r in recs] == [("KETL", "popular")]
    assert recs[0].reason == "popular in Kitchen (5 customers in the last 90 days)"


def test_a_returned_product_is_not_owned_so_its_complements_are_not_suggested_for_it(
    engine: Engine,
) -> None:
    owners: list[Line] = []
    for i in range(4):
        owners += [(f"o{i}", "AERO", 1, i), (f"o{i}", "FILT", 1, i + 7)]
    _store(engine, [*owners, ("fay", "AERO", 1, 10), ("fay", "AERO", -1, 12)])

    recs = _recommend(engine, "fay", day=20)

    assert "AERO" not in _by_sku(recs)
    assert all(r.kind == "popular" for r in recs)
    assert not any("they own" in r.reason for r in recs)


def test_without_a_clock_now_is_the_latest_purchase_in_the_store(engine: Engine) -> None:
    # The data ends on day 84; the wall clock is years later and would make everything overdue.
    _store(engine, [*_regulars(), *(("gus", "BEAN", 1, d) for d in (0, 28, 56))])

    recs = _by_sku(_recommend(engine, "gus", day=None))

    assert recs["BEAN"].reason == "usually re-buys every 4 weeks; last bought 4 weeks ago"


def test_a_customer_who_kept_nothing_gets_what_sells_now(engine: Engine) -> None:
    _store(engine, [*_regulars(), ("new", "SEED", 1, 84), ("new", "SEED", -1, 84)])

    recs = _recommend(engine, "new", day=85, k=2)

    assert [(r.sku, r.kind) for r in recs] == [("BEAN", "popular"), ("MUG", "popular")]
    assert recs[0].reason == "popular right now (4 customers in the last 90 days)"


def test_scores_rank_the_list_and_read_as_chances(engine: Engine) -> None:
    _store(
        engine, [*_regulars(), *(("hal", "BEAN", 1, d) for d in (0, 28, 56)), ("hal", "MUG", 1, 3)]
    )

    recs = _recommend(engine, "hal", day=88)

    assert recs
    assert [r.score for r in recs] == sorted((r.score for r in recs), reverse=True)
    assert all(0 < r.score < 1 for r in recs)


def test_a_returned_product_is_never_suggested_even_when_customers_like_them_buy_it(
    engine: Engine,
) -> None:
    owners: list[Line] = []
    for i in range(5):
        owners += [(f"o{i}", "AERO", 1, i), (f"o{i}", "FILT", 1, i + 7)]
    _store(
        engine, [*owners, ("joe", "AERO", 1, 10), ("joe", "FILT", 1, 10), ("joe", "FILT", -1, 11)]
    )

    recs = _by_sku(_recommend(engine, "joe", day=20, k=20))

    assert "FILT" not in recs


def test_similar_customers_reason_counts_the_customers_behind_it(engine: Engine) -> None:
    # Six customers buy beans and a grinder; two of them also bought a kettle.
    lines: list[Line] = []
    for i in range(6):
        lines += [(f"s{i}", "BEAN", 1, i), (f"s{i}", "GRND", 1, i + 1)]
    lines += [("s0", "KETL", 1, 3), ("s1", "KETL", 1, 4)]
    _store(engine, [*lines, ("kim", "BEAN", 1, 10), ("kim", "GRND", 1, 10)])

    recs = _by_sku(_recommend(engine, "kim", day=20))

    assert recs["KETL"].kind == "similar"
    assert recs["KETL"].reason == "bought by 2 of the 6 customers who shop most like them"


def test_an_exchange_is_no_rebuy_so_a_durable_stays_off_its_owners_lists(engine: Engine) -> None:
    grinders: list[Line] = [(f"g{i}", "GRND", 1, i) for i in range(6)]
    # One owner took the grinder back and bought it again (an exchange), not a second grinder.
    swap: list[Line] = [("sam", "GRND", 1, 0), ("sam", "GRND", -1, 5), ("sam", "GRND", 1, 10)]
    _store(engine, [*_regulars(), *grinders, *swap, ("cem", "GRND", 1, 0), ("cem", "BEAN", 1, 0)])

    for customer in ("cem", "sam", "g3"):
        assert "GRND" not in _by_sku(_recommend(engine, customer, day=400, k=20)), customer


def test_a_return_with_no_purchase_date_still_cancels_ownership(engine: Engine) -> None:
    _store(engine, [*_regulars(), *(("ula", "BEAN", 1, d) for d in (0, 28))])
    with Session(engine) as session:
        session.add(Purchase(order_id="R1", customer_id="ula", sku="BEAN", quantity=-2))
        session.commit()
        refresh_recommendations(session=session)

    assert "BEAN" not in _by_sku(_recommend(engine, "ula", day=60, k=20))


def test_a_product_bought_on_the_day_asked_says_today(engine: Engine) -> None:
    _store(engine, [*_regulars(), ("vic", "BEAN", 1, 56)])

    recs = _by_sku(_recommend(engine, "vic", day=56.2))

    assert (
        recs["BEAN"].reason
        == "80% of its buyers re-buy it, about every 4 weeks; last bought today"
    )
