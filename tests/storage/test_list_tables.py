"""The customer lists' summary tables: the same lists from the tables as from the purchases, for
any date; never a stale table read (issue 11, part 1: lists at 1M lines)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, select

import storage.customer_lists as lists
from bot.core.shopping_refresh import refresh_recommendations
from storage.customer_lists import (
    DUE_FROM,
    DUE_MIN_BUYERS,
    DUE_MIN_REBUY_RATE,
    DUE_UNTIL,
    LAPSE_FACTOR,
    LAPSED_MIN_VISITS,
    SPEND_DAYS,
    due,
    lapsed,
    vips,
)
from storage.list_tables import list_tables_current, rebuild_list_tables
from storage.models import Customer, Note, Product, ProductSignal, Purchase
from storage.scope import EVERYONE, Scope

START = datetime(2025, 1, 1, tzinfo=UTC)
END_DAYS = 420


class Line(NamedTuple):
    order_id: str
    customer_id: str
    sku: str
    quantity: int
    unit_price: float | None
    purchased_at: datetime | None


def _store(engine: Engine, seed: int = 7) -> list[Line]:
    """A small random store with what the lists must get right: returns (some in full, some
    after a later date), orders sharing a receipt time, lines without a time or a price, and
    times a microsecond before midnight."""
    rnd = random.Random(seed)
    customers = [f"C{n:02d}" for n in range(24)]
    skus = [f"P{n}" for n in range(6)]
    lines: list[Line] = []
    for order in range(260):
        cid = rnd.choice(customers)
        day = rnd.randrange(END_DAYS)
        if rnd.random() < 0.15:
            at = START + timedelta(days=day + 1, microseconds=-1)  # 23:59:59.999999
        else:
            seconds = rnd.randrange(86400)
            at = START + timedelta(days=day, seconds=seconds, microseconds=rnd.choice((0, 1, 5)))
        undated = rnd.random() < 0.03
        for sku in rnd.sample(skus, rnd.randint(1, 3)):
            quantity = -1 if rnd.random() < 0.12 else rnd.randint(1, 3)
            price = rnd.choice((None, 9.99, 10.0, 24.5, 0.1))
            lines.append(Line(f"O{order}", cid, sku, quantity, price, None if undated else at))
        if rnd.random() < 0.1:  # a second order on the same receipt time: still one visit
            sku = rnd.choice(skus)
            lines.append(Line(f"O{order}b", cid, sku, 1, 5.0, None if undated else at))
    with Session(engine) as db:
        for sku in skus:
            db.add(Product(sku=sku, name=f"Product {sku}"))
        for n, cid in enumerate(customers):
            db.add(Customer(customer_id=cid, home_store="S1" if n % 3 else "S2"))
        db.commit()
        for line in lines:
            db.add(Purchase(**line._asdict()))
        db.commit()
        refresh_recommendations(session=db)
        # Every product re-bought on its own rhythm: the bought-once rule is exercised too.
        for n, signal in enumerate(db.exec(select(ProductSignal)).all()):
            signal.buyers, signal.rebuy_rate = 10, 0.5
            signal.median_rebuy_days = 20.0 + 7.5 * n
            db.add(signal)
        db.commit()
    return lines


def _reference(lines: list[Line], signals: dict[str, float], today: date) -> dict[str, list[Any]]:
    """The lists as the rules read, in plain Python over the lines until `today`."""
    end = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    start = end - timedelta(days=SPEND_DAYS + 1)
    until = [ln for ln in lines if ln.purchased_at is None or ln.purchased_at < end]
    times: dict[str, set[datetime]] = defaultdict(set)
    item_times: dict[tuple[str, str], set[datetime]] = defaultdict(set)
    owned: dict[tuple[str, str], int] = defaultdict(int)
    spend: dict[str, float] = defaultdict(float)
    orders: dict[str, set[str]] = defaultdict(set)
    for ln in until:
        owned[ln.customer_id, ln.sku] += ln.quantity
        if ln.purchased_at is None:
            continue
        times[ln.customer_id].add(ln.purchased_at)
        item_times[ln.customer_id, ln.sku].add(ln.purchased_at)
        if ln.purchased_at >= start:
            spend[ln.customer_id] += ln.quantity * (ln.unit_price or 0.0)
            orders[ln.customer_id].add(ln.order_id)
    result: dict[str, list[Any]] = {"lapsed": [], "lapsed_60": [], "due": [], "vip": []}
    for cid, seen in times.items():
        first, last, visits = min(seen), max(seen), len(seen)
        since = (today - last.date()).days
        row = (cid, last, since, visits, round(spend.get(cid, 0.0), 6))
        if since >= 60:
            result["lapsed_60"].append((*row, None))
        usual = (last - first).total_seconds() / 86400 / (visits - 1) if visits > 1 else 0.0
        if visits >= LAPSED_MIN_VISITS and usual > 0 and since >= LAPSE_FACTOR * usual:
            result["lapsed"].append((*row, usual))
    for kind in ("lapsed", "lapsed_60"):
        result[kind].sort(key=lambda r: (-round(r[4], 2), -r[2], r[0]))
    for (cid, sku), seen in item_times.items():
        if owned[cid, sku] <= 0:
            continue
        first, last, bought = min(seen), max(seen), len(seen)
        since = (today - last.date()).days
        if bought >= 2:
            usual, own = (last - first).total_seconds() / 86400 / (bought - 1), True
        elif sku in signals:
            usual, own = signals[sku], False
        else:
            continue
        if usual >= 1 and DUE_FROM * usual <= since <= DUE_UNTIL * usual:
            result["due"].append((cid, sku, since, usual, own))
    result["due"].sort(key=lambda r: (r[2] / r[3], r[0], r[1]))
    ranked = sorted(spend.items(), key=lambda kv: (-round(kv[1], 2), kv[0]))
    result["vip"] = [(cid, round(s, 6), len(orders[cid])) for cid, s in ranked if s > 0]
    return result


def _lists(db: Session, today: date, store: str | None) -> dict[str, list[Any]]:
    scope = Scope.of_store(store) if store else EVERYONE
    return {
        "lapsed": [
            (
                r.customer.customer_id,
                r.last_visit,
                r.days,
                r.visits,
                round(r.spend, 6),
                r.usual_days,
            )
            for r in lapsed(session=db, today=today, scope=scope)
        ],
        "lapsed_60": [
            (
                r.customer.customer_id,
                r.last_visit,
                r.days,
                r.visits,
                round(r.spend, 6),
                r.usual_days,
            )
            for r in lapsed(session=db, today=today, days=60, scope=scope)
        ],
        "due": [
            (r.customer.customer_id, r.sku, r.days, r.usual_days, r.own_rhythm)
            for r in due(session=db, today=today, scope=scope)
        ],
        "vip": [
            (r.customer.customer_id, round(r.spend, 6), r.orders)
            for r in vips(session=db, today=today, scope=scope, limit=100)
        ],
    }


@pytest.mark.parametrize("source", ["tables", "purchases"])
def test_every_list_as_of_any_date_follows_the_rules_over_the_purchases_until_then(
    engine: Engine, source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _store(engine)
    if source == "purchases":
        monkeypatch.setattr(lists, "list_tables_current", lambda _: False)
    with Session(engine) as db:
        assert list_tables_current(db)
        signals = {
            s.sku: s.median_rebuy_days
            for s in db.exec(select(ProductSignal))
            if s.median_rebuy_days is not None
            and s.buyers >= DUE_MIN_BUYERS
            and s.rebuy_rate >= DUE_MIN_REBUY_RATE
        }
        homes = {c.customer_id: c.home_store or "" for c in db.exec(select(Customer))}
        for offset in (30, 150, 200, 260, 330, END_DAYS - 1, END_DAYS + 40):
            today = (START + timedelta(days=offset)).date()
            want = _reference(lines, signals, today)
            for store in (None, "S2"):
                got = _lists(db, today, store)
                for kind in ("lapsed", "lapsed_60", "due", "vip"):
                    # Spend to a millionth (summed in another order), everything else exactly.
                    assert got[kind] == [r for r in want[kind] if store in (None, homes[r[0]])]


def test_the_first_rows_are_those_of_the_whole_list(engine: Engine) -> None:
    _store(engine)
    today = (START + timedelta(days=300)).date()
    with Session(engine) as db:
        for days in (None, 30):
            whole = lapsed(session=db, today=today, days=days)
            first = lapsed(session=db, today=today, days=days, limit=3)
            assert [r.customer.customer_id for r in first] == [
                r.customer.customer_id for r in whole[:3]
            ]
        whole_due = due(session=db, today=today)
        assert due(session=db, today=today, limit=4) == whole_due[:4]


def _planted(engine: Engine) -> None:
    with Session(engine) as db:
        db.add(Product(sku="P1", name="Beans"))
        db.add(Customer(customer_id="REG", home_store="S1"))
        for n, days_ago in enumerate((80, 70, 60, 50)):  # every 10 days, last 50 days ago
            db.add(
                Purchase(
                    order_id=f"O{n}",
                    customer_id="REG",
                    sku="P1",
                    quantity=1,
                    unit_price=10.0,
                    purchased_at=datetime(2026, 12, 28, tzinfo=UTC) - timedelta(days=days_ago),
                )
            )
        db.commit()
        refresh_recommendations(session=db)


def _lapsed_ids(engine: Engine) -> list[str]:
    with Session(engine) as db:
        return [r.customer.customer_id for r in lapsed(session=db, today=date(2026, 12, 28))]


def test_a_purchase_written_after_the_refresh_is_seen_at_once(engine: Engine) -> None:
    _planted(engine)
    assert _lapsed_ids(engine) == ["REG"]

    with Session(engine) as db:
        db.add(
            Purchase(
                order_id="LATE",
                customer_id="REG",
                sku="P1",
                quantity=1,
                unit_price=10.0,
                purchased_at=datetime(2026, 12, 20, tzinfo=UTC),
            )
        )
        db.commit()
        assert not list_tables_current(db)

    assert _lapsed_ids(engine) == []


def test_a_purchase_changed_or_deleted_after_the_refresh_is_seen_at_once(engine: Engine) -> None:
    _planted(engine)
    with Session(engine) as db:
        db.add(Customer(customer_id="NEW"))
        for n in range(3):  # every 5 days, last 20 days ago: lapsed
            db.add(
                Purchase(
                    order_id=f"N{n}",
                    customer_id="NEW",
                    sku="P1",
                    purchased_at=datetime(2026, 11, 28, tzinfo=UTC) + timedelta(days=5 * n),
                )
            )
        db.commit()
        refresh_recommendations(session=db)
    assert _lapsed_ids(engine) == ["REG", "NEW"]

    with engine.begin() as conn:  # a re-import correcting a receipt's time, without a refresh
        moved = datetime(2026, 12, 27, tzinfo=UTC)
        conn.execute(
            sa.update(Purchase).where(Purchase.order_id == "N2").values(purchased_at=moved)
        )
    assert _lapsed_ids(engine) == ["REG"]

    with Session(engine) as db:
        refresh_recommendations(session=db)
    with engine.begin() as conn:
        conn.execute(sa.delete(Purchase).where(Purchase.customer_id == "REG"))
    assert _lapsed_ids(engine) == []


def test_a_note_leaves_the_tables_current(engine: Engine) -> None:
    _planted(engine)
    with Session(engine) as db:
        db.add(Note(note_key="k1", customer_id="REG", text="likes dark roast"))
        db.commit()

        assert list_tables_current(db)


def test_a_rebuild_from_the_purchases_matches_the_one_from_the_refresh(engine: Engine) -> None:
    _store(engine, seed=11)
    today = (START + timedelta(days=250)).date()
    with Session(engine) as db:
        after_refresh = _lists(db, today, None)
        rebuild_list_tables(db.connection())
        db.commit()

        assert list_tables_current(db)
        assert _lists(db, today, None) == after_refresh


def test_every_change_to_purchases_is_tracked_by_a_trigger_at_head(engine: Engine) -> None:
    # A later migration that rebuilds `purchase` in SQLite batch mode drops its triggers.
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            found = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'purchase'"
            ).scalars()
            assert set(found) == {
                "purchase_version_insert",
                "purchase_version_update",
                "purchase_version_delete",
            }
        else:
            found = conn.exec_driver_sql(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'purchase'::regclass"
                " AND NOT tgisinternal"
            ).scalars()
            assert set(found) == {"purchase_version_bump"}
