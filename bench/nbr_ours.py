"""The product's recommender ("ours", bot.core.recommend) on the next-basket split of bench/nbr.py.

The training part goes in as the product takes it: bench/recommend_bench.py's `split` (holdout 1)
keeps every merchandise line before each customer's last purchase invoice (returns and one-basket
customers included), `import_csv` loads it into a fresh SQLite store and `refresh_signals` runs.
Each customer is then ranked by `recommend(..., k=k, now=<held-out invoice's date>)`.
"""

from __future__ import annotations

import csv
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from bench.nbr import Basket
from bench.recommend_bench import fresh_database, load, split, timed_refresh
from bot.core.recommend import recommend
from storage.recommendations import product_signals

# An owned product "almost nobody re-buys": its ProductSignal.rebuy_rate is below this.
LOW_REBUY = 0.05
TOP = 3


@dataclass
class OursRun:
    """Ours' rankings (in the order of the customers asked for) and what was seen on the way."""

    rankings: list[list[str]] = field(default_factory=list)
    timings: list[float] = field(default_factory=list)
    # Customers whose top 3 holds an owned product with rebuy_rate < LOW_REBUY, and such slots.
    low_rebuy_customers: int = 0
    low_rebuy_slots: int = 0
    top_slots: int = 0
    # Customers whose held-out products here differ from the baselines' held-out basket.
    basket_mismatches: int = 0

    def median_ms(self) -> float:
        """Return recommend's median time per customer, in ms."""
        return statistics.median(self.timings) * 1000


def rank_ours(
    paths: dict[str, Path],
    customers: Sequence[str],
    baskets: Sequence[Basket],
    work: Path,
    k: int = 10,
) -> OursRun:
    """Import the training part, refresh signals and rank k products for each customer."""
    data = split(paths["purchases"], 1)
    train_path = work / "ours-train.csv"
    with train_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(data.header)
        writer.writerows(data.train)
    run = OursRun()
    with fresh_database(None, work / "ours.db") as engine:
        load(engine, {**paths, "purchases": train_path})
        timed_refresh(engine)
        with Session(engine) as session:
            for customer_id, basket in zip(customers, baskets, strict=True):
                held = data.held_out[customer_id]
                run.basket_mismatches += held.skus != frozenset(basket)
                started = time.perf_counter()
                recs = recommend(session=session, customer_id=customer_id, k=k, now=held.at)
                run.timings.append(time.perf_counter() - started)
                run.rankings.append([r.sku for r in recs])
                # Only owned products become "replenish" candidates (new ones exclude the seen).
                owned = [r.sku for r in recs[:TOP] if r.kind == "replenish"]
                signals = product_signals(session=session, skus=owned)
                rates = [signals[s].rebuy_rate if s in signals else 0.0 for s in owned]
                low = sum(1 for rate in rates if rate < LOW_REBUY)
                run.low_rebuy_customers += low > 0
                run.low_rebuy_slots += low
                run.top_slots += len(recs[:TOP])
    return run
