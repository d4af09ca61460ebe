"""Time each customer list (bot.core.book) on the 50,000-customer / 1,000,000-line store.

    .venv/bin/python bench/lists_bench.py [--data bench/out/ask-50k/data] [--runs 5]

The store is the one `bench/ask_bench.py` builds (run it first). Each list is computed `--runs`
times for the whole store and for one home store, as of the store's last purchase day; the
script prints the median and the slowest time per list, and the rows of the first run. A store
whose list tables are not current (built before migration 0009, or purchases changed since the
last import) is refreshed first, as an import would, so the lists read the tables.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bot.core.book import KINDS, book_list  # noqa: E402
from bot.core.shopping_refresh import refresh_recommendations  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.wiring import open_database  # noqa: E402
from storage.db import run_write  # noqa: E402
from storage.list_tables import list_tables_current  # noqa: E402
from storage.models import Customer, Purchase  # noqa: E402


def main() -> None:
    """Time every list and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "out" / "ask-50k" / "data")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    engine = open_database(Settings(_env_file=None, DATA_DIR=args.data))
    with Session(engine) as db:
        current = list_tables_current(db)
    if not current:
        run, _model = run_write(engine, lambda session: refresh_recommendations(session=session))
        print(f"list tables were not current: refreshed the signals in {run.seconds:.1f} s")
    with Session(engine) as db:
        today = db.exec(select(func.max(Purchase.purchased_at))).one().date()
        customers = db.exec(select(func.count()).select_from(Customer)).one()
        lines = db.exec(select(func.count()).select_from(Purchase)).one()
        with_store = select(Customer.home_store).where(Customer.home_store.is_not(None))
        store = db.exec(with_store).first()
    print(f"store: {customers:,} customers, {lines:,} purchase lines; lists as of {today}")
    print(f"{'list':10} {'scope':8} {'rows':>5} {'median ms':>10} {'max ms':>8}")
    for kind in KINDS:
        for scope in (None, store):
            times, rows = [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                rows = book_list(engine, kind, today=today, store=scope, limit=20)
                times.append((time.perf_counter() - started) * 1000)
            label = scope or "all"
            print(
                f"{kind:10} {label:8} {len(rows):5d} {statistics.median(times):10.1f} "
                f"{max(times):8.1f}"
            )


if __name__ == "__main__":
    main()
