"""The demo shop: its seed and two-year window, stores, associates, categories, hours and sales."""

from __future__ import annotations

from datetime import date

from bot.demo.datafiles import read_toml

SEED = 20241116
WINDOW_START = date(2024, 11, 16)
WINDOW_DAYS = 730  # 2024-11-16 .. 2026-11-15 inclusive
LAST_DAY = WINDOW_DAYS - 1

# Categories the generator gives their own habits (beans, sizes, returns, exchanges, seasons);
# the names are those of products.csv and the data files.
COFFEE = "Coffee"
KITCHEN = "Kitchen"
BATH = "Bath"
FOOTWEAR = "Footwear"
APPAREL = "Apparel"
HOME = "Home & Textiles"
GARDEN = "Garden"

_SHOP = read_toml("shop.toml")

STORES: tuple[str, ...] = tuple(_SHOP["stores"])
STORE_WEIGHTS: tuple[float, ...] = tuple(_SHOP["stores"].values())
ASSOCIATES: dict[str, tuple[str, str]] = {  # associate_id -> (name, store_id)
    associate_id: (associate["name"], associate["store"])
    for associate_id, associate in _SHOP["associates"].items()
}
CATEGORY_WEIGHTS: dict[str, float] = dict(_SHOP["categories"])
OPENING_HOURS: tuple[int, ...] = tuple(int(hour) for hour in _SHOP["hours"])  # UTC
HOUR_WEIGHTS: tuple[int, ...] = tuple(_SHOP["hours"].values())
SALE_PERIODS: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = tuple(
    ((first[0], first[1]), (last[0], last[1])) for first, last in _SHOP["sales"]["periods"]
)
SALE_DISCOUNTS: tuple[int, ...] = tuple(_SHOP["sales"]["discounts"])


def store_associates(store_id: str) -> list[str]:
    """The associates who work in a store."""
    return [aid for aid, (_, store) in ASSOCIATES.items() if store == store_id]
