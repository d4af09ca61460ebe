"""Benchmark recommendations on real purchases, against two baselines, in one run.

    .venv/bin/python bench/recommend_bench.py [--src FILE] [--work DIR] [--holdout 1|2] [--fit]
        [--due-at X] [--database-url URL] [--scale-lines N]

UCI Online Retail is converted by bench/online_retail.py. For every customer with at least two
purchase invoices (cancellations, "C..." invoices, never count as one), the last is held out:
that invoice and anything the customer did from then on (e.g. a later cancellation) are removed,
everything else is imported through `import_csv` and `refresh_signals` runs. Then, with
now = the held-out invoice's date, each method ranks ten products for each such customer:

- popular: the products most customers bought (all-time), the same list for everyone;
- own-frequent: the customer's own products by how many invoices held them (most recent first
  on ties), then popular ones they do not have;
- ours: `bot.core.recommend.recommend`.

recall@10 = |top 10 ∩ held-out products| / min(10, |held-out products|) (so a perfect list scores
1 even when the basket holds more than 10 products); plain recall (divided by |held-out|), the
share of customers with at least one hit, recall@10 over the customers whose held-out invoice is
in the data's last 30 days (see `evaluate`) and the paired difference between ours and each
baseline with its 95% confidence interval are printed too, with the time `recommend` takes per
customer. Postage, bank charges and other service codes (bench.online_retail.SERVICE_CODES) are
not merchandise: they are removed before the split, so no method scores by predicting postage.

`--holdout 2` holds out the second-to-last invoice instead (customers with three or more; the
last is removed too). That is the tuning split: `--holdout 2 --fit` fits the weights of
`bot.core.recommend` (a logistic regression per candidate kind, by numpy) on it and prints them,
and the rules of `bot.core.recommend.Tuning` were chosen on it, so the reported figures
(`--holdout 1`) were never used for tuning. `--due-at X` scores with another "not before" rule,
to show its cost.

`--scale-lines N` also times `refresh_signals` and one recommendation per customer on the
synthetic store of bench/import_bench.py (50,000 customers, N purchase lines).
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.online_retail import SERVICE_CODES, SOURCE, convert  # noqa: E402
from bot.core.recommend import (  # noqa: E402
    DEFAULT_TUNING,
    NEW_WEIGHTS,
    OWNED_WEIGHTS,
    Tuning,
    candidates,
    gather,
    rank,
    recommend,
)
from storage.db import make_engine, upgrade  # noqa: E402
from storage.importers import import_csv  # noqa: E402
from storage.signal_refresh import refresh_signals  # noqa: E402

DEFAULT_WORK = ROOT / "bench" / "out" / "recommend"
K = 10


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


# --- baselines -----------------------------------------------------------------------------------


def popular_list(lines: Sequence[Line]) -> list[str]:
    """Return every product by how many customers bought it, most first."""
    buyers: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if line.quantity > 0:
            buyers[line.sku].add(line.customer_id)
    return sorted(buyers, key=lambda sku: (-len(buyers[sku]), sku))


def own_frequent_lists(lines: Sequence[Line]) -> dict[str, list[str]]:
    """Return each customer's products by how many of their invoices held them."""
    invoices: dict[str, Counter[str]] = defaultdict(Counter)
    last: dict[tuple[str, str], datetime] = {}
    seen_orders: set[tuple[str, str]] = set()
    for line in lines:
        if line.quantity <= 0 or (line.order_id, line.sku) in seen_orders:
            continue
        seen_orders.add((line.order_id, line.sku))
        invoices[line.customer_id][line.sku] += 1
        key = (line.customer_id, line.sku)
        last[key] = max(last.get(key, line.at), line.at)
    return {
        customer: sorted(
            counts, key=lambda sku, c=customer, n=counts: (-n[sku], -last[(c, sku)].timestamp())
        )
        for customer, counts in invoices.items()
    }


def top_k(first: Sequence[str], then: Sequence[str], k: int = K) -> list[str]:
    """Return `first`, then `then`, without repeats, cut to k."""
    out: list[str] = []
    for sku in (*first[:k], *then):
        if sku not in out:
            out.append(sku)
        if len(out) == k:
            break
    return out


# --- metrics -------------------------------------------------------------------------------------


@dataclass
class Score:
    """Recall of one method, customer by customer."""

    name: str
    capped: list[float] = field(default_factory=list)
    plain: list[float] = field(default_factory=list)
    late: list[bool] = field(default_factory=list)

    def add(self, ranked: Sequence[str], truth: frozenset[str], late: bool = False) -> None:
        """Count one customer's ranked list against their held-out products."""
        hits = len(set(ranked[:K]) & truth)
        self.capped.append(hits / min(K, len(truth)))
        self.plain.append(hits / len(truth))
        self.late.append(late)

    def row(self) -> str:
        """Return the averages as one line of the results table."""
        late = [c for c, is_late in zip(self.capped, self.late, strict=True) if is_late]
        return (
            f"  {self.name:<13} recall@10 {statistics.fmean(self.capped):.4f}   plain "
            f"{statistics.fmean(self.plain):.4f}   with a hit "
            f"{statistics.fmean(c > 0 for c in self.capped):.1%}   last 30 days "
            f"{statistics.fmean(late or [0.0]):.4f} (n={len(late):,})"
        )

    def versus(self, other: Score) -> str:
        """Return the paired difference in recall@10 with a 95% confidence interval."""
        diffs = [a - b for a, b in zip(self.capped, other.capped, strict=True)]
        mean = statistics.fmean(diffs)
        half = 1.96 * statistics.stdev(diffs) / len(diffs) ** 0.5
        return (
            f"  {self.name} - {other.name}: {mean:+.4f} "
            f"(95% CI {mean - half:+.4f} .. {mean + half:+.4f})"
        )


def evaluate(
    engine: Engine, data: Split, tuning: Tuning = DEFAULT_TUNING
) -> tuple[list[Score], list[float]]:
    """Score the two baselines and ours on every held-out invoice; return ours' timings (s)."""
    popular = popular_list(data.train_lines)
    own = own_frequent_lists(data.train_lines)
    scores = [Score("popular"), Score("own-frequent"), Score("ours")]
    timings: list[float] = []
    # "Popular lately" is counted over the last 90 days of the imported data, which for an early
    # held-out invoice includes other customers' later purchases: the last-30-days column shows
    # the customers for whom that window barely reaches past their "now".
    end = max(line.at for line in data.train_lines)
    with Session(engine) as session:
        for customer_id in sorted(data.held_out):
            held = data.held_out[customer_id]
            late = (end - held.at).days < 30
            started = time.perf_counter()
            evidence = gather(session=session, customer_id=customer_id, now=held.at, tuning=tuning)
            recs = rank(evidence, k=K, tuning=tuning)
            timings.append(time.perf_counter() - started)
            scores[0].add(popular[:K], held.skus, late)
            scores[1].add(top_k(own.get(customer_id, []), popular), held.skus, late)
            scores[2].add([r.sku for r in recs], held.skus, late)
    return scores, timings


def fit_weights(engine: Engine, data: Split, tuning: Tuning = DEFAULT_TUNING) -> Tuning:
    """Fit bot.core.recommend's two logistic models on this split; return the tuning with them."""
    import numpy as np

    names = {"replenish": list(OWNED_WEIGHTS)[1:], "new": list(NEW_WEIGHTS)[1:]}
    rows: dict[str, tuple[list[list[float]], list[float]]] = {
        "replenish": ([], []),
        "new": ([], []),
    }
    with Session(engine) as session:
        for customer_id, held in data.held_out.items():
            evidence = gather(session=session, customer_id=customer_id, now=held.at, tuning=tuning)
            for candidate in candidates(evidence, tuning):
                group = "replenish" if candidate.kind == "replenish" else "new"
                x, y = rows[group]
                x.append([1.0] + [candidate.features[n] for n in names[group]])
                y.append(float(candidate.sku in held.skus))
    fitted = {}
    for group, (x, y) in rows.items():
        X, Y = np.array(x), np.array(y)
        w = np.zeros(X.shape[1])
        # Newton's method (IRLS) with a whisker of L2 to keep it well-posed.
        for _ in range(30):
            p = 1 / (1 + np.exp(-X @ w))
            hessian = (X * (p * (1 - p))[:, None]).T @ X + 1e-3 * np.eye(len(w))
            w -= np.linalg.solve(hessian, X.T @ (p - Y) + 1e-3 * w)
        fitted[group] = {
            n: round(float(v), 3) for n, v in zip(["bias", *names[group]], w, strict=True)
        }
        print(
            f"  fitted {group} on {len(Y):,} candidates ({Y.mean():.1%} bought): {fitted[group]}"
        )
    return replace(tuning, owned_weights=fitted["replenish"], new_weights=fitted["new"])


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


def timed_refresh(engine: Engine) -> float:
    """Run refresh_signals, print its summary and return its seconds."""
    with Session(engine) as session:
        run = refresh_signals(session=session)
    print(
        f"  refresh_signals: {run.seconds:.2f} s over {run.lines:,} lines "
        f"({run.customers:,} customers, {run.products:,} products, {run.pairs:,} pairs kept)"
    )
    return run.seconds


def latency(timings: Sequence[float]) -> str:
    """Say mean, median and 95th percentile of timings, in ms."""
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return (
        f"{statistics.fmean(ms):.2f} ms per customer (median {statistics.median(ms):.2f}, "
        f"p95 {p95:.2f}, n={len(ms):,})"
    )


# --- runs ----------------------------------------------------------------------------------------


def run_online_retail(
    src: Path,
    work: Path,
    holdout: int,
    url: str | None,
    *,
    fit: bool = False,
    tuning: Tuning = DEFAULT_TUNING,
) -> list[Score]:
    """Convert, split, import, refresh and score; print everything; return the scores."""
    print(f"converting {src} ...")
    paths = convert(src, work / "online-retail")
    data = split(paths["purchases"], holdout)
    train_path = work / f"train-holdout{holdout}.csv"
    with train_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(data.header)
        writer.writerows(data.train)
    sizes = [len(h.skus) for h in data.held_out.values()]
    print(
        f"held out invoice -{holdout} of {len(data.held_out):,} customers "
        f"({statistics.fmean(sizes):.1f} products each on average); {len(data.train):,} "
        f"lines imported, {data.service_lines:,} service-code lines removed"
    )
    with fresh_database(url, work / f"holdout{holdout}.db") as engine:
        load(engine, {**paths, "purchases": train_path})
        timed_refresh(engine)
        if fit:
            tuning = fit_weights(engine, data, tuning)
        scores, timings = evaluate(engine, data, tuning)
    print(f"results ({engine.dialect.name}), {len(data.held_out):,} customers:")
    for score in scores:
        print(score.row())
    print(scores[2].versus(scores[1]))
    print(scores[2].versus(scores[0]))
    print(f"  ours: {latency(timings)}")
    return scores


def run_scale(work: Path, lines: int, url: str | None, sample: int = 2_000) -> None:
    """Time refresh_signals and recommendations on the synthetic store of import_bench."""
    from bench.import_bench import ensure_data

    paths = ensure_data(work, lines)
    print(f"synthetic store, {lines:,} purchase lines:")
    with fresh_database(url, work / f"synthetic-{lines}.db") as engine:
        load(engine, paths)
        timed_refresh(engine)
        with paths["customers"].open(encoding="utf-8", newline="") as handle:
            ids = [row[0] for row in csv.reader(handle)][1:]
        chosen = random.Random(7).sample(ids, min(sample, len(ids)))
        timings = _time_calls(engine, chosen, lambda s, c: recommend(session=s, customer_id=c))
    print(f"  ours: {latency(timings)}")


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
    parser.add_argument("--holdout", type=int, choices=(1, 2), default=1)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--scale-lines", type=int, help="also time a synthetic store this big")
    parser.add_argument("--fit", action="store_true", help="fit and print the model weights")
    parser.add_argument("--due-at", type=float, help="override Tuning.due_at")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    tuning = DEFAULT_TUNING if args.due_at is None else replace(DEFAULT_TUNING, due_at=args.due_at)
    run_online_retail(
        args.src, args.work, args.holdout, args.database_url, fit=args.fit, tuning=tuning
    )
    if args.scale_lines:
        run_scale(args.work, args.scale_lines, args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
