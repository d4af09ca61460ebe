"""Writes the demo shop as the five import-ready CSV files of the README's import contract."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.demo.catalogue import product_rows, tip_rows
from bot.demo.history import make_orders, make_returns, number_orders, purchase_rows
from bot.demo.notes import make_notes
from bot.demo.people import customer_rows, make_shoppers
from bot.demo.shop import SEED

FILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": (
        "customer_id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "birthday",
        "tier",
        "language",
        "sizes",
        "preferences",
        "marketing_consent",
        "home_store",
    ),
    "products": ("sku", "name", "category", "brand", "price", "description"),
    "purchases": (
        "order_id",
        "customer_id",
        "sku",
        "quantity",
        "unit_price",
        "purchased_at",
        "store_id",
        "associate_id",
    ),
    "notes": ("customer_id", "text", "author", "created_at"),
    "tips": ("tip_id", "text", "sku", "category", "language", "author"),
}


def build_demo_files(out_dir: Path) -> dict[str, Path]:
    """Write the demo shop's five CSV files into out_dir and return their paths by kind."""
    rng = random.Random(SEED)
    shoppers = make_shoppers(rng)
    orders = make_orders(rng, shoppers)
    orders += make_returns(rng, orders)
    number_orders(orders)
    notes = make_notes(rng, shoppers, orders)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: dict[str, Iterable[Sequence[str]]] = {
        "customers": customer_rows(shoppers),
        "products": product_rows(),
        "purchases": purchase_rows(orders),
        "notes": notes,
        "tips": tip_rows(),
    }
    paths = {}
    for kind, kind_rows in rows.items():
        paths[kind] = out_dir / f"{kind}.csv"
        write_csv(paths[kind], FILE_COLUMNS[kind], kind_rows)
    return paths


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write a header and rows as UTF-8 CSV with `\\n` line endings."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
