"""How the demo's customers shop: re-buys, complements, quantities, seasons, returns and tiers."""

from __future__ import annotations

from typing import Any

from bot.demo.datafiles import read_toml

_HABITS = read_toml("habits.toml")

BEANS: tuple[str, ...] = tuple(_HABITS["beans"])
MAIN_BEAN = "*bean"  # a complement that stands for the customer's usual coffee

# Things people come back for, and the range (days) of a personal re-buy interval for one unit.
REBUY_DAYS: dict[str, tuple[int, int]] = {
    sku: (low, high) for sku, (low, high) in _HABITS["rebuy_days"].items()
}
# What sells with what: bought in the same visit, now and then a few days later.
COMPLEMENTS: dict[str, tuple[str, ...]] = {
    sku: tuple(others) for sku, others in _HABITS["complements"].items()
}
GENDERED_SKUS: dict[str, str] = dict(_HABITS["gendered"])
QUANTITIES: dict[str, tuple[int, ...]] = {  # drawn uniformly; repeats act as weights
    sku: tuple(quantities) for sku, quantities in _HABITS["quantities"].items()
}
SEASONS: dict[str, range] = {  # months the category sells in
    category: range(first, last + 1) for category, (first, last) in _HABITS["seasons"].items()
}

RETURN_RATES: dict[str, float] = dict(_HABITS["returns"]["categories"])
RETURN_RATE_DURABLE: float = _HABITS["returns"]["durable"]
RETURN_RATE_REBUY: float = _HABITS["returns"]["consumable"]

_TIERS: dict[str, dict[str, Any]] = _HABITS["tiers"]
TIERS: tuple[str, ...] = tuple(_TIERS)
TIER_WEIGHTS: tuple[float, ...] = tuple(tier["weight"] for tier in _TIERS.values())
ENTRY_PURCHASES: dict[str, tuple[int, int]] = {
    name: (tier["entry_purchases"][0], tier["entry_purchases"][1]) for name, tier in _TIERS.items()
}
LOYALTY: dict[str, float] = {name: tier["loyalty"] for name, tier in _TIERS.items()}
NOTE_CHANCE: dict[str, float] = {name: tier["note_chance"] for name, tier in _TIERS.items()}
