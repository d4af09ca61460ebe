"""Next-basket baselines on UCI Online Retail, under Li et al.'s protocol (bench/nbr.py).

    .venv/bin/python bench/nbr_baselines.py [--src FILE] [--work DIR] [--k 10]

The export is converted by bench/online_retail.py (same drop rules as the other benchmarks).
One basket per purchase invoice: cancellations ("C..." invoices), lines with Quantity <= 0 and
service codes (bench.online_retail.SERVICE_CODES) are removed, baskets are ordered by invoice
date. Each customer with two or more baskets has the last held out; TopPopular, GP-TopFreq and
TIFU-KNN (TaFeng's published hyper-parameters) rank k items from the rest. "ours" is the product's
`recommend` on the same customers and held-out baskets, its training part imported and refreshed
as the product does (bench/nbr_ours.py); its paired difference from the best baseline follows.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.nbr import (  # noqa: E402
    Basket,
    Scores,
    evaluate,
    gp_topfreq,
    paired_bootstrap,
    split_last_basket,
    tifu_knn,
    top_popular,
)
from bench.nbr_ours import LOW_REBUY, TOP, rank_ours  # noqa: E402
from bench.online_retail import SERVICE_CODES, SOURCE, convert  # noqa: E402

DEFAULT_WORK = ROOT / "bench" / "out" / "nbr"


def read_baskets(purchases: Path) -> dict[str, list[Basket]]:
    """Return each customer's baskets (distinct skus), one per purchase invoice, oldest first."""
    items: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    when: dict[tuple[str, str], str] = {}
    with purchases.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            order = row["order_id"]
            if order.startswith("C") or int(row["quantity"]) <= 0 or row["sku"] in SERVICE_CODES:
                continue
            key = (row["customer_id"], order)
            items[key][row["sku"]] = None  # a dict keeps file order, so ties rank alike every run
            when[key] = min(when.get(key, row["purchased_at"]), row["purchased_at"])
    histories: dict[str, list[Basket]] = defaultdict(list)
    for key in sorted(items, key=lambda key: (key[0], when[key], key[1])):
        histories[key[0]].append(list(items[key]))
    return dict(histories)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=SOURCE, help="the Online Retail CSV(.gz)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where CSVs go")
    parser.add_argument("--k", type=int, default=10, help="list length")
    args = parser.parse_args(argv)

    paths = convert(args.src, args.work)
    histories = read_baskets(paths["purchases"])
    train, test, kept = split_last_basket(list(histories.values()))
    items = {item for history in train for basket in history for item in basket}
    print(
        f"{len(histories):,} customers, {len(train):,} with >= 2 baskets; "
        f"{sum(map(len, train)):,} training baskets, {len(items):,} items"
    )
    # Ours first: its import and refresh print their summaries before the table.
    ids = list(histories)
    started = time.perf_counter()
    ours = rank_ours(paths, [ids[i] for i in kept], test, args.work, args.k)
    ours_seconds = time.perf_counter() - started
    methods = {"TopPopular": top_popular, "GP-TopFreq": gp_topfreq, "TIFU-KNN": tifu_knn}
    k = args.k
    print(f"| method | recall@{k} | NDCG@{k} | repeat recall | explore recall | seconds |")
    print("|---|---|---|---|---|---|")
    scores: dict[str, Scores] = {}
    for name, method in [*methods.items(), ("ours", None)]:
        started = time.perf_counter()
        rankings = ours.rankings if method is None else method(train, k)
        seconds = ours_seconds if method is None else time.perf_counter() - started
        s = scores[name] = evaluate(rankings, test, train, k)
        print(
            f"| {name} | {s.recall.mean():.4f} | {s.ndcg.mean():.4f} | "
            f"{s.repeat_recall.mean():.4f} (n={s.repeat_recall.size}) | "
            f"{s.explore_recall.mean():.4f} (n={s.explore_recall.size}) | {seconds:.2f} |"
        )
    mean, low, high = paired_bootstrap(scores["TIFU-KNN"].recall, scores["GP-TopFreq"].recall)
    print(f"recall@{k} TIFU-KNN - GP-TopFreq: {mean:+.4f} (95% CI {low:+.4f} to {high:+.4f})")
    for metric, label in (("recall", f"recall@{k}"), ("ndcg", f"NDCG@{k}")):
        best = max(methods, key=lambda name, m=metric: getattr(scores[name], m).mean())
        a, b = getattr(scores["ours"], metric), getattr(scores[best], metric)
        mean, low, high = paired_bootstrap(a, b)
        print(f"{label} ours - {best}: {mean:+.4f} (95% CI {low:+.4f} to {high:+.4f})")
    n = len(ours.rankings)
    print(
        f"ours: median {ours.median_ms():.2f} ms per recommend call (seconds above = import, "
        f"refresh and all calls); top {TOP} holds an owned product with rebuy_rate < "
        f"{LOW_REBUY} for {ours.low_rebuy_customers:,} of {n:,} customers "
        f"({ours.low_rebuy_customers / n:.1%}; {ours.low_rebuy_slots:,} of {ours.top_slots:,} "
        f"slots); held-out products differ from the baselines' basket for "
        f"{ours.basket_mismatches:,} customers"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
