"""The demo's purchase history: planned buys and re-buys rung up as orders, prices and returns."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from bot.demo.catalogue import PRODUCTS, PRODUCTS_BY_SKU
from bot.demo.habits import (
    BEANS,
    COMPLEMENTS,
    ENTRY_PURCHASES,
    GENDERED_SKUS,
    LOYALTY,
    MAIN_BEAN,
    QUANTITIES,
    REBUY_DAYS,
    RETURN_RATE_DURABLE,
    RETURN_RATE_REBUY,
    RETURN_RATES,
    SEASONS,
)
from bot.demo.people import Shopper
from bot.demo.shop import (
    CATEGORY_WEIGHTS,
    COFFEE,
    FOOTWEAR,
    HOUR_WEIGHTS,
    LAST_DAY,
    OPENING_HOURS,
    SALE_DISCOUNTS,
    SALE_PERIODS,
    STORES,
    WINDOW_START,
    store_associates,
)


@dataclass
class Line:
    """One order line."""

    sku: str
    quantity: int
    unit_price: str


@dataclass
class Order:
    """One till receipt: a sale or a return."""

    customer_id: str
    day: int
    at: datetime
    store_id: str
    associate_id: str
    lines: list[Line] = field(default_factory=list)
    is_return: bool = False
    order_id: str = ""


@dataclass(frozen=True)
class Planned:
    """A purchase a shopper will make on a given day of the window."""

    day: int
    sku: str
    quantity: int


def make_orders(rng: random.Random, shoppers: Sequence[Shopper]) -> list[Order]:
    """Plan every shopper's purchases over the window and ring them up as orders."""
    orders: list[Order] = []
    for shopper in shoppers:
        orders += ring_up(rng, shopper, plan_purchases(rng, shopper))
    return orders


def plan_purchases(rng: random.Random, shopper: Shopper) -> list[Planned]:
    """Plan first buys in favourite categories, their complements and the re-buys they start."""
    planned: list[Planned] = []
    owned: set[str] = set()
    habits: set[str] = set()

    def buy(sku: str, day: int, *, alongside: bool = False) -> None:
        sku = shopper.bean if sku == MAIN_BEAN else sku
        day = in_season(rng, sku, day)
        if day > shopper.last_day or sku in owned:
            return
        quantity = rng.choice(QUANTITIES.get(sku, (1,)))
        if sku in habits:
            # Already a regular; a new brewer still goes home with a fresh bag or box.
            if alongside:
                planned.append(Planned(day, sku, quantity))
            return
        planned.append(Planned(day, sku, quantity))
        if sku not in REBUY_DAYS:
            owned.add(sku)
        elif rng.random() < 0.85:
            habits.add(sku)
            planned.extend(plan_rebuys(rng, shopper, sku, day, quantity))
        for complement in COMPLEMENTS.get(sku, ()):
            chance = rng.random()
            if chance < 0.6:
                buy(complement, day, alongside=True)
            elif chance < 0.75:
                buy(complement, day + rng.randint(3, 20))

    if COFFEE in shopper.favourites and rng.random() < 0.85:
        buy(shopper.bean, shopper.first_day + rng.randint(0, 20))
    low, high = ENTRY_PURCHASES[shopper.tier]
    days = [
        rng.randint(shopper.first_day, shopper.last_day) for _ in range(rng.randint(low, high))
    ]
    for day in sorted(days):
        sku = pick_product(rng, shopper, owned | habits)
        if sku is not None:
            buy(sku, day)
    return planned


def pick_product(rng: random.Random, shopper: Shopper, skip: set[str]) -> str | None:
    """Pick a product to buy, mostly from a favourite category; cheaper things sell more."""
    if rng.random() < 0.85:
        category = rng.choices(shopper.favourites, (6, 3, 2)[: len(shopper.favourites)])[0]
    else:
        category = rng.choice(list(CATEGORY_WEIGHTS))
    candidates = [
        p
        for p in PRODUCTS
        if p.category == category
        and p.sku not in skip
        and GENDERED_SKUS.get(p.sku, shopper.gender) == shopper.gender
    ]
    if not candidates:
        return None
    weights = [1 / (1 + float(p.price) / 120) for p in candidates]
    return rng.choices(candidates, weights)[0].sku


def plan_rebuys(
    rng: random.Random, shopper: Shopper, sku: str, day: int, quantity: int
) -> list[Planned]:
    """Plan re-buys of a consumable at the shopper's own pace until they stop or leave."""
    low, high = REBUY_DAYS[sku]
    pace = rng.uniform(low, high)
    rebuys: list[Planned] = []
    while True:
        day = in_season(rng, sku, day + round(pace * quantity * rng.uniform(0.85, 1.2)))
        if day > shopper.last_day or rng.random() > LOYALTY[shopper.tier]:
            return rebuys
        bought = sku
        if sku in BEANS and rng.random() < 0.25:
            bought = rng.choice(BEANS)  # trying another origin now and then
        quantity = rng.choice(QUANTITIES.get(bought, (1,)))
        rebuys.append(Planned(day, bought, quantity))


def in_season(rng: random.Random, sku: str, day: int) -> int:
    """Move a seasonal purchase into the next selling season."""
    months = SEASONS.get(PRODUCTS_BY_SKU[sku].category)
    when = WINDOW_START + timedelta(days=day)
    if months is None or when.month in months:
        return day
    year = when.year + 1 if when.month > months[-1] else when.year
    start = date(year, months[0], 1) + timedelta(days=rng.randint(0, 45))
    return (start - WINDOW_START).days


def ring_up(rng: random.Random, shopper: Shopper, planned: list[Planned]) -> list[Order]:
    """Group planned purchases into visits: whatever falls due within a few days goes together."""
    orders: list[Order] = []
    for item in sorted(planned, key=lambda p: p.day):  # stable: a visit keeps its line order
        if not orders or item.day - orders[-1].day > 3:
            orders.append(open_order(rng, shopper, item.day))
        order = orders[-1]
        same = [line for line in order.lines if line.sku == item.sku]
        if same:
            same[0].quantity += item.quantity
        else:
            price = sale_price(rng, item.sku, order.at.date(), shopper.tier)
            order.lines.append(Line(item.sku, item.quantity, price))
    return orders


def open_order(rng: random.Random, shopper: Shopper, day: int) -> Order:
    """Start a till receipt in the shopper's usual store, now and then in another one."""
    store = shopper.home_store if rng.random() < 0.85 else rng.choice(STORES)
    if store == shopper.home_store and rng.random() < 0.6:
        associate = shopper.associate_id
    else:
        associate = rng.choice(store_associates(store))
    day = open_day(day)
    return Order(shopper.customer_id, day, till_time(rng, day), store, associate)


def open_day(day: int) -> int:
    """Move a visit off Sunday, when the stores are closed."""
    if (WINDOW_START + timedelta(days=day)).weekday() != 6:
        return day
    return day + 1 if day < LAST_DAY else day - 1


def till_time(rng: random.Random, day: int) -> datetime:
    """Pick a time of day within opening hours, busier in the afternoon."""
    hour = rng.choices(OPENING_HOURS, HOUR_WEIGHTS)[0]
    moment = time(hour, rng.randint(0, 59), rng.randint(0, 59), tzinfo=UTC)
    return datetime.combine(WINDOW_START + timedelta(days=day), moment)


def sale_price(rng: random.Random, sku: str, when: date, tier: str) -> str:
    """Price a line: list price, a sale discount in sale periods, now and then a loyalty one."""
    in_sale = any(start <= (when.month, when.day) <= end for start, end in SALE_PERIODS)
    if in_sale and rng.random() < 0.35:
        percent = rng.choice(SALE_DISCOUNTS)
    elif rng.random() < (0.08 if tier == "vip" else 0.03):
        percent = 10
    else:
        return PRODUCTS_BY_SKU[sku].price
    price = Decimal(PRODUCTS_BY_SKU[sku].price) * (100 - percent) / 100
    return str(price.quantize(Decimal("0.01"), ROUND_HALF_UP))


def make_returns(rng: random.Random, orders: Sequence[Order]) -> list[Order]:
    """Return some lines a few days later (shoes and clothes most, often exchanged)."""
    returns: list[Order] = []
    for order in orders:
        for line in order.lines:
            if rng.random() >= return_rate(line.sku):
                continue
            day = open_day(order.day + rng.randint(2, 28))
            if day > LAST_DAY or day <= order.day:
                continue
            store = order.store_id if rng.random() < 0.8 else rng.choice(STORES)
            at = till_time(rng, day)
            back = -1 if line.quantity > 1 and rng.random() < 0.5 else -line.quantity
            associate = rng.choice(store_associates(store))
            lines = [Line(line.sku, back, line.unit_price)]
            returned = Order(order.customer_id, day, at, store, associate, lines, is_return=True)
            returns.append(returned)
            if PRODUCTS_BY_SKU[line.sku].category == FOOTWEAR and rng.random() < 0.5:
                # An exchange for the other size: a new sale in the same visit.
                lines = [Line(line.sku, 1, PRODUCTS_BY_SKU[line.sku].price)]
                swapped_at = at + timedelta(minutes=3)
                returns.append(Order(order.customer_id, day, swapped_at, store, associate, lines))
    return returns


def return_rate(sku: str) -> float:
    """How likely a sold line of this product comes back."""
    if sku in REBUY_DAYS:
        return RETURN_RATE_REBUY
    return RETURN_RATES.get(PRODUCTS_BY_SKU[sku].category, RETURN_RATE_DURABLE)


def number_orders(orders: list[Order]) -> None:
    """Sort orders by time and number them: O-… for sales, R-… for returns."""
    orders.sort(key=lambda o: (o.at, o.customer_id, o.is_return))
    sales = returns = 0
    for order in orders:
        if order.is_return:
            returns += 1
            order.order_id = f"R-{returns:05d}"
        else:
            sales += 1
            order.order_id = f"O-{sales:06d}"


def purchase_rows(orders: Sequence[Order]) -> list[list[str]]:
    """Render the orders as purchases.csv rows, one per line."""
    return [
        [
            order.order_id,
            order.customer_id,
            line.sku,
            str(line.quantity),
            line.unit_price,
            iso(order.at),
            order.store_id,
            order.associate_id,
        ]
        for order in orders
        for line in order.lines
    ]


def iso(moment: datetime) -> str:
    """Format a UTC moment as ISO 8601 with a Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
