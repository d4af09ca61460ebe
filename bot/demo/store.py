"""Builds the demo store: the generated CSV files go through the same importers as a retailer's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from bot.core.shopping_refresh import refresh_recommendations
from bot.demo.export import build_demo_files
from knowledge.ingest import import_tips_csv
from knowledge.tips import TipStore
from storage.customers import known_skus
from storage.db import write_session
from storage.importers import import_csv

# Order matters: purchases and notes refer to customers and products.
SQL_KINDS = ("customers", "products", "purchases", "notes")


def build_demo_store(engine: Engine, tips: TipStore, out_dir: Path) -> Iterator[str]:
    """Write the demo CSV files to `out_dir` and import them; yield a line per file imported."""
    files = build_demo_files(out_dir)
    for kind in SQL_KINDS:
        yield import_csv(engine, kind, files[kind]).summary()
    with write_session(engine) as session:
        run, model = refresh_recommendations(session=session)
        yield (
            f"recommendation signals: {run.products} products; "
            f"shopping model: {model.customers} customers"
        )
        skus = known_skus(session=session)
    result = import_tips_csv(tips, files["tips"], known_skus=skus, now=datetime.now(UTC))
    yield f"tips: {result.summary()}"
