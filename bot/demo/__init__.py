"""The demo shop: a deterministic home & lifestyle department store written as import-ready CSV.

The generator code lives in this package, its content (catalogue, tips, customers' names, notes,
the shop and its shopping habits) in `data/`. Standard library only: the files go through the real
importers like any shop's export (`bot.demo.store` does that). A seeded `random.Random` and a fixed
window (2024-11-16 .. 2026-11-15, never today's date) make every run write the same bytes.
"""

from bot.demo.catalogue import PRODUCTS, TIPS, Product, Tip, product_rows, tip_rows
from bot.demo.export import FILE_COLUMNS, build_demo_files, write_csv
from bot.demo.history import iso
from bot.demo.notes import draw_notes
from bot.demo.people import (
    NAME_POOLS,
    NamePool,
    Shopper,
    customer_rows,
    gendered_surname,
    make_shopper,
)
from bot.demo.shop import (
    APPAREL,
    ASSOCIATES,
    BATH,
    CATEGORY_WEIGHTS,
    COFFEE,
    FOOTWEAR,
    GARDEN,
    HOME,
    HOUR_WEIGHTS,
    KITCHEN,
    OPENING_HOURS,
    STORES,
    store_associates,
)

__all__ = [
    "APPAREL",
    "ASSOCIATES",
    "BATH",
    "CATEGORY_WEIGHTS",
    "COFFEE",
    "FILE_COLUMNS",
    "FOOTWEAR",
    "GARDEN",
    "HOME",
    "HOUR_WEIGHTS",
    "KITCHEN",
    "NAME_POOLS",
    "OPENING_HOURS",
    "PRODUCTS",
    "STORES",
    "TIPS",
    "NamePool",
    "Product",
    "Shopper",
    "Tip",
    "build_demo_files",
    "customer_rows",
    "draw_notes",
    "gendered_surname",
    "iso",
    "make_shopper",
    "product_rows",
    "store_associates",
    "tip_rows",
    "write_csv",
]
