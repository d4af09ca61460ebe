"""Next-basket recommendation on real purchases: ours against the published baselines, one run.

    .venv/bin/python bench/recommend_bench.py [--src FILE] [--work DIR] [--validation] [--fit]
        [--database-url URL] [--scale-lines N]

The protocol is Li, Jullien, Ariannezhad, de Rijke, "A Next Basket Recommendation Reality
Check" (ACM TOIS 2023), on UCI Online Retail (converted by bench/online_retail.py): a basket is
one purchase invoice (cancellations, "C..." invoices, and service codes such as postage,
bench.online_retail.SERVICE_CODES, never count); for every customer with two or more baskets the
last is held out, with anything the customer did from then on. Everything else is the training
data of every method: TopPopular, GP-TopFreq and TIFU-KNN (Hu et al., SIGIR 2020, TaFeng's
published hyper-parameters; bench/nbr.py) rank from the training baskets, customers with one
basket included as neighbours and in popularity; ours (`bot.core.recommend.recommend`) gets the
same lines through the product's own `import_csv` and `refresh_recommendations`, returns
included, and ranks with now = the held-out invoice's date.

Printed: recall@10 and NDCG@10, uncapped (hits / basket size; bench/nbr.py), repeat and explore
recall (held-out products the customer bought before / never bought), the paired-bootstrap 95%
interval of ours minus the best baseline on each metric, how often an owned durable (a product
the customer bought once and under 5% of its owners re-bought) reaches ours' top 3, and
`recommend`'s time per customer.

`--validation` holds out the second-to-last basket instead (the last is removed too), and
`--fit` fits ours' weights (bot.core.next_basket.fit_weights) on the third-to-last, prints them
and scores the validation split with them: the weights in bot.core.next_basket.WEIGHTS come
from there, so the reported test figures were never used for tuning.

`--scale-lines N` also times the refresh (full, then after a small import) and one
recommendation per customer on the synthetic store of bench/import_bench.py (50,000 customers,
N purchase lines).
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, text
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.nbr import (  # noqa: E402
    Basket,
    Scores,
    evaluate,
    gp_topfreq,
    paired_bootstrap,
    tifu_knn,
    top_popular,
)
from bench.online_retail import SERVICE_CODES, SOURCE, convert  # noqa: E402
from bot.core.next_basket import DEFAULT_SETTINGS, Settings  # noqa: E402
from bot.core.recommend import candidates_for, recommend  # noqa: E402
from bot.core.shopping_refresh import current_model, refresh_recommendations  # noqa: E402
from bot.core.store_fit import LISTWISE, fit_weights  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.importers import import_csv  # noqa: E402

DEFAULT_WORK = ROOT / "bench" / "out" / "recommend"
K = 10
# An owned durable: the customer bought it on one day, and fewer than this share of its owners
# bought it on two days or more.
LOW_REBUY = 0.05
TOP = 3


@dataclass(frozen=True)
class Line:
    """One purchase line of the converted file."""

    order_id: str
    customer_id: str
    sku: str
    quantity: int
    at: datetime
    row: tuple[str, ...]


@dataclass(frozen=True)
class HeldOut:
    """A customer's held-out invoice: when, and the distinct products bought on it."""

    order_id: str
    at: datetime
    skus: frozenset[str]


@dataclass
class Split:
    """The training lines (what gets imported) and the held-out invoice of each customer."""

    header: list[str]
    train: list[tuple[str, ...]]
    train_lines: list[Line]
    held_out: dict[str, HeldOut]
    service_lines: int


def read_lines(path: Path) -> tuple[list[str], list[Line]]:
    """Read a converted purchases.csv."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        col = {name: i for i, name in enumerate(header)}
        lines = []
        for row in reader:
            at = datetime.fromisoformat(row[col["purchased_at"]])
            lines.append(
                Line(
                    order_id=row[col["order_id"]],
                    customer_id=row[col["customer_id"]],
                    sku=row[col["sku"]],
                    quantity=int(row[col["quantity"]]),
                    at=at if at.tzinfo else at.replace(tzinfo=UTC),
                    row=tuple(row),
                )
            )
    return header, lines


def split(path: Path, holdout: int) -> Split:
    """Hold out each customer's `holdout`-th last purchase invoice and what came after it."""
    header, lines = read_lines(path)
    merchandise = [ln for ln in lines if ln.sku not in SERVICE_CODES]
    by_customer: dict[str, list[Line]] = defaultdict(list)
    for line in merchandise:
        by_customer[line.customer_id].append(line)

    held_out: dict[str, HeldOut] = {}
    cut: dict[str, datetime] = {}
    for customer_id, own in by_customer.items():
        invoices: dict[str, datetime] = {}
        for line in own:
            if not line.order_id.startswith("C") and line.quantity > 0:
                invoices[line.order_id] = line.at
        # A customer needs an invoice left to learn from before the held-out one.
        if len(invoices) < holdout + 1:
            continue
        ordered = sorted(invoices.items(), key=lambda kv: (kv[1], kv[0]))
        order_id, at = ordered[-holdout]
        skus = frozenset(ln.sku for ln in own if ln.order_id == order_id and ln.quantity > 0)
        held_out[customer_id] = HeldOut(order_id, at, skus)
        cut[customer_id] = at

    train_lines = [
        ln for ln in merchandise if ln.customer_id not in cut or ln.at < cut[ln.customer_id]
    ]
    return Split(
        header=header,
        train=[ln.row for ln in train_lines],
        train_lines=train_lines,
        held_out=held_out,
        service_lines=len(lines) - len(merchandise),
    )


# --- databases -----------------------------------------------------------------------------------


@contextmanager
def fresh_database(url: str | None, sqlite_path: Path) -> Iterator[Engine]:
    """Yield a migrated, empty database: a new SQLite file, or a new PostgreSQL schema."""
    if url is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{sqlite_path}")
        upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def load(engine: Engine, paths: dict[str, Path]) -> float:
    """Import customers, products and purchases; return the seconds it took."""
    started = time.perf_counter()
    for kind in ("customers", "products", "purchases"):
        print(f"  {import_csv(engine, kind, paths[kind]).summary()}")
    return time.perf_counter() - started


def latency(timings: Sequence[float]) -> str:
    """Say mean, median and 95th percentile of timings, in ms."""
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return (
        f"{statistics.fmean(ms):.2f} ms per customer (median {statistics.median(ms):.2f}, "
        f"p95 {p95:.2f}, n={len(ms):,})"
    )


# --- runs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baskets:
    """The baselines' view of a split: customers with a held-out basket first, then the rest."""

    customers: list[str]
    train: list[list[Basket]]  # every customer's training baskets, held-out customers first
    held_out: list[Basket]  # the held-out basket of customers[i], i < len(held_out)


def baskets_of(data: Split) -> Baskets:
    """Return the training baskets (one per invoice, oldest first) and the held-out ones."""
    items: dict[str, dict[str, dict[str, None]]] = defaultdict(dict)
    when: dict[str, datetime] = {}
    for line in data.train_lines:
        if line.order_id.startswith("C") or line.quantity <= 0:
            continue
        # A dict keeps file order, so ties rank alike every run.
        items[line.customer_id].setdefault(line.order_id, {})[line.sku] = None
        when[line.order_id] = min(when.get(line.order_id, line.at), line.at)
    held = sorted(data.held_out)
    others = sorted(set(items) - set(held))
    customers = held + others
    train = [
        [list(items[c][o]) for o in sorted(items[c], key=lambda o: (when[o], o))]
        for c in customers
    ]
    return Baskets(customers, train, [sorted(data.held_out[c].skus) for c in held])


@dataclass
class OursRun:
    """Ours' rankings, in the order of the held-out customers, and what was seen on the way."""

    rankings: list[list[str]]
    timings: list[float]
    # Customers whose top 3 holds an owned product with re-buy rate < LOW_REBUY, and such slots.
    low_rebuy_customers: int = 0
    low_rebuy_slots: int = 0


def import_training(engine: Engine, paths: dict[str, Path], data: Split, work: Path) -> None:
    """Import the split's training lines through the product and refresh what it learns."""
    train_path = work / "train.csv"
    with train_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(data.header)
        writer.writerows(data.train)
    load(engine, {**paths, "purchases": train_path})
    with Session(engine) as session:
        signals, model = refresh_recommendations(session=session)
    print(
        f"  refresh: signals {signals.seconds:.2f} s, shopping model {model.seconds:.2f} s "
        f"({model.customers:,} customers)"
    )


def rank_ours(
    engine: Engine, data: Split, customers: Sequence[str], settings: Settings
) -> OursRun:
    """Rank K products for each customer with `recommend`, now = their held-out invoice."""
    run = OursRun([], [])
    with Session(engine) as session:
        model = current_model(session=session)
        assert model is not None
        column = {str(s): i for i, s in enumerate(model.skus.tolist())}
        for customer_id in customers:
            started = time.perf_counter()
            recs = recommend(
                session=session,
                customer_id=customer_id,
                k=K,
                now=data.held_out[customer_id].at,
                settings=settings,
            )
            run.timings.append(time.perf_counter() - started)
            run.rankings.append([r.sku for r in recs])
            low = 0
            u = model.customer_index.get(customer_id)
            # Two invoices at the same minute leave nothing before the held-out one.
            part = model.row(u) if u is not None else slice(0, 0)
            days = dict(zip(model.indices[part].tolist(), model.days[part].tolist(), strict=True))
            for r in recs[:TOP]:
                c = column.get(r.sku)
                # Owned and bought once by them, and almost nobody re-buys it: a durable.
                if c is not None and days.get(c, 0) == 1:
                    low += model.repeat_buyers[c] < LOW_REBUY * max(model.buyers[c], 1)
            run.low_rebuy_customers += low > 0
            run.low_rebuy_slots += int(low)
    return run


def fit(engine: Engine, data: Split, settings: Settings) -> Settings:
    """Fit ours' weights on this split's held-out baskets; print and return them."""
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    owned: list[np.ndarray] = []
    groups: list[np.ndarray] = []
    with Session(engine) as session:
        model = current_model(session=session)
        assert model is not None
        for customer_id, held in sorted(data.held_out.items()):
            found = candidates_for(
                session=session, customer_id=customer_id, now=held.at, settings=settings
            )
            if found is None or found.columns.size == 0:
                continue
            xs.append(found.x)
            owned.append(found.owned)
            ys.append(np.isin(model.skus[found.columns], list(held.skus)).astype(float))
            groups.append(np.full(found.columns.size, len(groups)))
    x, y = np.vstack(xs), np.concatenate(ys)
    # As every store's own fit (bot.core.store_fit.LISTWISE).
    who = np.concatenate(groups) if LISTWISE else None
    weights = fit_weights(x, y, np.concatenate(owned), customers=who)
    print(f"  fitted on {y.size:,} candidates ({y.mean():.1%} bought): {weights}")
    return replace(settings, weights=weights)


def run_online_retail(
    src: Path, work: Path, holdout: int, url: str | None, *, fit_first: bool = False
) -> dict[str, Scores]:
    """Convert, split, rank with every method, print the table; return the scores."""
    print(f"converting {src} ...")
    paths = convert(src, work / "online-retail")
    settings = DEFAULT_SETTINGS
    if fit_first:
        print("fitting ours on the split before (basket -3 held out):")
        fitting = split(paths["purchases"], holdout + 1)
        with fresh_database(url, work / "fit.db") as engine:
            import_training(engine, paths, fitting, work)
            settings = fit(engine, fitting, settings)
    data = split(paths["purchases"], holdout)
    baskets = baskets_of(data)
    n = len(baskets.held_out)
    sizes = [len(b) for b in baskets.held_out]
    print(
        f"basket -{holdout} held out for {n:,} customers ({statistics.fmean(sizes):.1f} products "
        f"each on average); {sum(map(len, baskets.train)):,} training baskets of "
        f"{len(baskets.train):,} customers; {data.service_lines:,} service-code lines removed"
    )
    with fresh_database(url, work / f"holdout{holdout}.db") as engine:
        import_training(engine, paths, data, work)
        ours = rank_ours(engine, data, baskets.customers[:n], settings)
    print(f"| method | recall@{K} | NDCG@{K} | repeat recall | explore recall | seconds |")
    print("|---|---|---|---|---|---|")
    scores: dict[str, Scores] = {}
    methods: dict[str, Callable[[Sequence[Sequence[Basket]], int], list[list[object]]]] = {
        "TopPopular": top_popular,
        "GP-TopFreq": gp_topfreq,
        "TIFU-KNN": tifu_knn,
    }
    for name, method in [*methods.items(), ("ours", None)]:
        started = time.perf_counter()
        rankings = ours.rankings if method is None else method(baskets.train, K)[:n]
        seconds = sum(ours.timings) if method is None else time.perf_counter() - started
        s = scores[name] = evaluate(rankings, baskets.held_out, baskets.train[:n], K)
        print(
            f"| {name} | {s.recall.mean():.4f} | {s.ndcg.mean():.4f} | "
            f"{s.repeat_recall.mean():.4f} (n={s.repeat_recall.size:,}) | "
            f"{s.explore_recall.mean():.4f} (n={s.explore_recall.size:,}) | {seconds:.1f} |"
        )
    for metric, label in (("recall", f"recall@{K}"), ("ndcg", f"NDCG@{K}")):
        best = max(methods, key=lambda name, m=metric: getattr(scores[name], m).mean())
        mean, low, high = paired_bootstrap(
            getattr(scores["ours"], metric), getattr(scores[best], metric)
        )
        print(f"{label} ours - {best}: {mean:+.4f} (95% CI {low:+.4f} to {high:+.4f})")
    print(
        f"ours: top {TOP} holds an owned durable (bought once, re-buy rate < {LOW_REBUY:.0%}) for "
        f"{ours.low_rebuy_customers:,} of {n:,} customers ({ours.low_rebuy_slots:,} slots); "
        f"recommend {latency(ours.timings)}"
    )
    return scores


def run_scale(work: Path, lines: int, url: str | None, sample: int = 2_000) -> None:
    """Time the refresh (full, then after a small import) and recommendations at scale."""
    from bench.import_bench import ensure_data

    paths = ensure_data(work, lines)
    print(f"synthetic store, {lines:,} purchase lines:")
    with fresh_database(url, work / f"synthetic-{lines}.db") as engine:
        load(engine, paths)
        with Session(engine) as session:
            signals, model = refresh_recommendations(session=session)
        print(f"  full refresh: signals {signals.seconds:.2f} s, model {model.seconds:.2f} s")
        with paths["customers"].open(encoding="utf-8", newline="") as handle:
            ids = [row[0] for row in csv.reader(handle)][1:]
        chosen = random.Random(7).sample(ids, min(sample, len(ids)))
        small = _small_import(work, paths, chosen[:20])
        print(f"  {import_csv(engine, 'purchases', small).summary()}")
        with Session(engine) as session:
            signals, model = refresh_recommendations(session=session)
        print(
            f"  refresh after it: signals {signals.seconds:.2f} s, model {model.seconds:.2f} s "
            f"({model.changed} customers updated, full={model.full})"
        )
        timings = _time_calls(engine, chosen, lambda s, c: recommend(session=s, customer_id=c))
    print(f"  recommend: {latency(timings)}")


def _small_import(work: Path, paths: dict[str, Path], customers: Sequence[str]) -> Path:
    """Write a purchases file of one new line for each of these customers."""
    with paths["products"].open(encoding="utf-8", newline="") as handle:
        skus = [row[0] for row in csv.reader(handle)][1:]
    small = work / "small-import.csv"
    pick = random.Random(11)
    at = datetime(2031, 1, 1, 12, tzinfo=UTC).isoformat()
    with small.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["order_id", "customer_id", "sku", "quantity", "unit_price", "purchased_at"]
        )
        for i, customer_id in enumerate(customers):
            writer.writerow(
                [
                    f"small-{uuid.uuid4().hex[:8]}-{i}",
                    customer_id,
                    pick.choice(skus),
                    1,
                    "1.00",
                    at,
                ]
            )
    return small


def _time_calls(
    engine: Engine, customer_ids: Sequence[str], call: Callable[[Session, str], object]
) -> list[float]:
    timings = []
    with Session(engine) as session:
        for customer_id in customer_ids:
            started = time.perf_counter()
            call(session, customer_id)
            timings.append(time.perf_counter() - started)
    return timings


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark described at the top of this file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=SOURCE, help="the Online Retail CSV(.gz)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="CSVs and databases")
    parser.add_argument(
        "--validation", action="store_true", help="hold out the second-to-last basket"
    )
    parser.add_argument(
        "--fit", action="store_true", help="fit ours on basket -3, score the validation split"
    )
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--scale-lines", type=int, help="also time a synthetic store this big")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    holdout = 2 if args.validation or args.fit else 1
    run_online_retail(args.src, args.work, holdout, args.database_url, fit_first=args.fit)
    if args.scale_lines:
        run_scale(args.work, args.scale_lines, args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
