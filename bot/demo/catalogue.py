"""The demo catalogue and the managers' selling tips, read from products.csv and tips.csv."""

from __future__ import annotations

from dataclasses import dataclass

from bot.demo.datafiles import read_csv


@dataclass(frozen=True)
class Product:
    """One catalogue row (products.csv)."""

    sku: str
    name: str
    category: str
    brand: str
    price: str
    description: str


@dataclass(frozen=True)
class Tip:
    """A manager's selling tip, tied to a product or to a whole category."""

    tip_id: str
    language: str
    author: str
    text: str
    sku: str = ""
    category: str = ""  # empty for a product tip: it takes its product's category


PRODUCTS: tuple[Product, ...] = tuple(Product(**row) for row in read_csv("products.csv"))
PRODUCTS_BY_SKU = {product.sku: product for product in PRODUCTS}
TIPS: tuple[Tip, ...] = tuple(Tip(**row) for row in read_csv("tips.csv"))


def product_rows() -> list[list[str]]:
    """Render the catalogue as products.csv rows."""
    return [[p.sku, p.name, p.category, p.brand, p.price, p.description] for p in PRODUCTS]


def tip_rows() -> list[list[str]]:
    """Render the tips as tips.csv rows; a product tip carries its product's category."""
    return [
        [
            t.tip_id,
            t.text,
            t.sku,
            t.category or PRODUCTS_BY_SKU[t.sku].category,
            t.language,
            t.author,
        ]
        for t in TIPS
    ]
