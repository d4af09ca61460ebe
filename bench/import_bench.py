"""Benchmark the purchases importer against the bare sqlite3 floor on a synthetic store.

    .venv/bin/python bench/import_bench.py [--lines N] [--repeat R] [--work DIR] [--profile]

A seeded generator writes a store of 50,000 customers, 4,000 products and 1,000,000 purchase
lines (about 5 lines per order over two years, ISO 8601 timestamps in UTC with a Z) as CSVs
under the work dir (bench/out/ by default; regenerated only when the parameters change).
Each repeat then measures, interleaved:

- floor: bare `sqlite3` executemany of the same rows, already parsed into tuples in memory
  (parsing not timed), into a fresh WAL + synchronous=NORMAL database file holding one table with
  the purchase columns, a unique index on (order_id, sku) and an index on
  (customer_id, purchased_at), in one transaction (commit timed);
- import: `import_csv(engine, "purchases", file)` into a fresh copy of a database that already
  holds the customers and products (only the purchases import is timed);
- re-import: the same file imported again into that database (an upsert that changes nothing).

Each import runs in its own freshly spawned Python process, so its peak RSS (getrusage
ru_maxrss of that process) is the import's own, not the floor's in-memory rows. Medians and the
import/floor ratio are printed; the target is a ratio below 3.

`--profile` adds a cProfile of one import of a 200,000-line file (`--profile-lines`), printing
the top 15 functions by own time and by cumulative time and the share of each import phase, then
times the phases and SQL statements of one import and one re-import at `--lines` without a
profiler (cProfile inflates Python-heavy code). `--repeat 0 --profile` runs only these.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import cProfile
import csv
import io
import json
import multiprocessing
import pstats
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from storage.db import make_engine, upgrade  # noqa: E402
from storage.importers import import_csv  # noqa: E402

DEFAULT_WORK = ROOT / "bench" / "out"
SEED = 20_240_601
CUSTOMERS = 50_000
PRODUCTS = 4_000
LINES = 1_000_000
START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=730)
PURCHASE_COLUMNS = (
    "order_id",
    "customer_id",
    "sku",
    "quantity",
    "unit_price",
    "purchased_at",
    "store_id",
    "associate_id",
)
# The same shape as storage's purchase table, with only the two indexes the brief names.
FLOOR_SCHEMA = """
CREATE TABLE purchase (
    id INTEGER NOT NULL PRIMARY KEY,
    order_id VARCHAR(64) NOT NULL,
    customer_id VARCHAR(64) NOT NULL,
    sku VARCHAR(64) NOT NULL,
    quantity INTEGER NOT NULL,
    unit_price FLOAT,
    purchased_at DATETIME,
    store_id VARCHAR(40),
    associate_id VARCHAR(64)
);
CREATE UNIQUE INDEX uq_purchase_order_sku ON purchase (order_id, sku);
CREATE INDEX ix_purchase_customer_time ON purchase (customer_id, purchased_at);
"""
FLOOR_INSERT = (
    f"INSERT INTO purchase ({', '.join(PURCHASE_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(PURCHASE_COLUMNS))})"
)

FIRST_NAMES = (
    "Ana Ben Chloe Deniz Elena Femi Giorgos Hana Ivan Jia Kemal Lena Marta Nikos Olga Pablo "
    "Quinn Rosa Selin Tomas Uma Vera Wei Ximena Yusuf Zoe"
).split()
LAST_NAMES = (
    "Adams Bauer Costa Dimitriou Evans Fischer Garcia Huang Ibrahim Jensen Kaya Lopez Martin "
    "Nowak Ozturk Papadopoulos Rossi Silva Tanaka Weber Yilmaz Zhang"
).split()
LANGUAGES = ("en", "en", "en", "es", "de", "tr", "el", "zh", "fr")
TIERS = ("", "", "silver", "gold", "platinum")
CATEGORIES = (
    "shirts trousers dresses knitwear jackets coats shoes boots bags belts scarves hats "
    "jewellery watches fragrance skincare lingerie swimwear sportswear accessories"
).split()
BRANDS = [f"Brand {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(30)]
ADJECTIVES = "classic slim relaxed cropped oversized linen wool silk cotton leather suede".split()
STORES = [f"ST{n:02d}" for n in range(1, 21)]


# --- the synthetic store -------------------------------------------------------------------------


def _zipf_cum_weights(n: int, exponent: float, offset: float) -> list[float]:
    total = 0.0
    cum = []
    for rank in range(n):
        total += 1.0 / (rank + offset) ** exponent
        cum.append(total)
    return cum


def generate(data_dir: Path, lines: int, seed: int = SEED) -> dict[str, Path]:
    """Write customers.csv, products.csv and purchases.csv (`lines` lines) into `data_dir`."""
    rng = random.Random(seed)
    data_dir.mkdir(parents=True, exist_ok=True)
    paths = {kind: data_dir / f"{kind}.csv" for kind in ("customers", "products", "purchases")}

    customer_ids = [f"C{n:06d}" for n in range(1, CUSTOMERS + 1)]
    home = {}
    with paths["customers"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            (
                "customer_id first_name last_name email phone birthday tier language sizes "
                "preferences marketing_consent home_store"
            ).split()
        )
        for cid in customer_ids:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            store = rng.choice(STORES)
            home[cid] = store
            born = START.date() - timedelta(days=rng.randint(18 * 365, 80 * 365))
            writer.writerow(
                (
                    cid,
                    first,
                    last,
                    f"{first}.{last}.{cid[1:]}@example.com".lower(),
                    f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
                    born.isoformat() if rng.random() < 0.7 else "",
                    rng.choice(TIERS),
                    rng.choice(LANGUAGES),
                    f"top {rng.choice('XS S M L XL'.split())}; shoe {rng.randint(36, 46)}",
                    f"likes {rng.choice(CATEGORIES)}",
                    rng.choice(("true", "false")),
                    store,
                )
            )

    skus = [f"SKU{n:05d}" for n in range(1, PRODUCTS + 1)]
    price_of = {}
    with paths["products"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("sku", "name", "category", "brand", "price", "description"))
        for sku in skus:
            category = rng.choice(CATEGORIES)
            price = round(rng.lognormvariate(3.8, 0.7), 2)
            price_of[sku] = price
            name = f"{rng.choice(ADJECTIVES).title()} {category[:-1] or category} {sku[-4:]}"
            writer.writerow(
                (sku, name, category, rng.choice(BRANDS), f"{price:.2f}", f"A {name.lower()}.")
            )

    # Popularity is skewed: a few customers and products account for many lines.
    customer_weights = _zipf_cum_weights(CUSTOMERS, 0.6, 10)
    sku_weights = _zipf_cum_weights(PRODUCTS, 0.9, 5)
    seconds = SPAN.total_seconds()
    written = 0
    order = 0
    with paths["purchases"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PURCHASE_COLUMNS)
        while written < lines:
            order += 1
            cid = rng.choices(customer_ids, cum_weights=customer_weights)[0]
            # Orders arrive in time order over the two years, a few minutes apart on average.
            at = START + timedelta(seconds=seconds * written / lines + rng.uniform(0, 600))
            stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
            store = home[cid] if rng.random() < 0.8 else rng.choice(STORES)
            associate = f"A{store[2:]}{rng.randint(1, 8)}"
            size = min(rng.randint(1, 9), lines - written)  # 5 lines per order on average
            basket: list[str] = []
            while len(basket) < size:
                sku = rng.choices(skus, cum_weights=sku_weights)[0]
                if sku not in basket:
                    basket.append(sku)
            returned = rng.random() < 0.03  # a return order: negative quantities
            for sku in basket:
                quantity = 1 if rng.random() < 0.85 else rng.randint(2, 4)
                price = price_of[sku] if rng.random() < 0.8 else round(price_of[sku] * 0.7, 2)
                writer.writerow(
                    (
                        f"{'R' if returned else 'O'}{order:07d}",
                        cid,
                        sku,
                        -quantity if returned else quantity,
                        f"{price:.2f}",
                        stamp,
                        store,
                        associate,
                    )
                )
            written += size
    return paths


def ensure_data(work: Path, lines: int, regenerate: bool = False) -> dict[str, Path]:
    """Return the synthetic CSVs for `lines`, generating them unless they already exist."""
    data_dir = work / f"synthetic-{lines}"
    manifest = data_dir / "manifest.json"
    wanted = {"seed": SEED, "customers": CUSTOMERS, "products": PRODUCTS, "lines": lines}
    paths = {kind: data_dir / f"{kind}.csv" for kind in ("customers", "products", "purchases")}
    if (
        not regenerate
        and manifest.exists()
        and json.loads(manifest.read_text()) == wanted
        and all(p.exists() for p in paths.values())
    ):
        return paths
    started = time.perf_counter()
    paths = generate(data_dir, lines)
    manifest.write_text(json.dumps(wanted))
    print(f"generated {lines:,} purchase lines in {time.perf_counter() - started:.1f} s")
    return paths


def parsed_rows(path: Path) -> list[tuple[Any, ...]]:
    """Read purchases.csv into tuples of the values the importer stores (not timed)."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for order_id, cid, sku, quantity, price, at, store, associate in reader:
            when = datetime.fromisoformat(at).astimezone(UTC)
            # SQLAlchemy's SQLite DATETIME storage format, as the importer writes it.
            stamp = when.strftime("%Y-%m-%d %H:%M:%S.%f")
            rows.append((order_id, cid, sku, int(quantity), float(price), stamp, store, associate))
    return rows


# --- measurements --------------------------------------------------------------------------------


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


_PARSED: dict[str, list[tuple[Any, ...]]] = {}


def _child_floor(db: str, csv_path: str, template: str | None = None) -> dict[str, Any]:
    """Run in the floor's own spawned process: parse the file once (not timed), then time the
    floor. Keeping the parsed rows out of the parent keeps them out of every import's RSS.
    With `template`, the rows go into a copy of that storage database instead (its real purchase
    table: a third index on sku and foreign keys checked)."""
    if csv_path not in _PARSED:
        _PARSED.clear()
        started = time.perf_counter()
        _PARSED[csv_path] = parsed_rows(Path(csv_path))
        parse = time.perf_counter() - started
    else:
        parse = 0.0
    rows = _PARSED[csv_path]
    seconds = measure_floor(Path(db), rows, None if template is None else Path(template))
    return {"seconds": seconds, "rows": len(rows), "parse": parse}


def measure_floor(db: Path, rows: list[tuple[Any, ...]], template: Path | None = None) -> float:
    """Time bare sqlite3 executemany of `rows` into a fresh database, commit included."""
    _remove_db(db)
    if template is not None:
        shutil.copyfile(template, db)
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        if template is None:
            conn.executescript(FLOOR_SCHEMA)
        else:
            conn.execute("PRAGMA foreign_keys=ON")
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(FLOOR_INSERT, rows)
        conn.execute("COMMIT")
        seconds = time.perf_counter() - started
        count = conn.execute("SELECT count(*) FROM purchase").fetchone()[0]
    finally:
        conn.close()
    if count != len(rows):
        raise RuntimeError(f"floor stored {count} rows, expected {len(rows)}")
    return seconds


def build_template(db: Path, paths: dict[str, Path]) -> str:
    """Create a database at head holding the customers and products; return what it took."""
    _remove_db(db)
    engine = make_engine(f"sqlite:///{db}")
    try:
        upgrade(engine)
        reports = [import_csv(engine, kind, paths[kind]) for kind in ("customers", "products")]
    finally:
        engine.dispose()  # closing the last connection checkpoints the WAL into the file
    return "; ".join(r.summary() for r in reports)


def _child_import(db: str, csv_path: str) -> dict[str, Any]:
    """Run in a freshly spawned process: import purchases once and report time and memory."""
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect():
        pass  # open the connection (pragmas) before measuring
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    baseline_hwm = _vm_hwm_kb()
    started = time.perf_counter()
    report = import_csv(engine, "purchases", Path(csv_path))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_hwm = _vm_hwm_kb()
    with engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT count(*) FROM purchase").scalar_one()
    engine.dispose()
    return {
        "seconds": seconds,
        "rows": report.rows,
        "inserted": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "merged": report.merged,
        "stored": stored,
        "summary": report.summary(),
        "baseline_kb": baseline,  # Linux reports ru_maxrss in KiB
        "peak_kb": peak,
        "baseline_hwm_kb": baseline_hwm,
        "peak_hwm_kb": peak_hwm,
    }


def _vm_hwm_kb() -> int | None:
    """Return this process image's peak RSS (VmHWM, KiB) on Linux, else None.

    ru_maxrss of a spawned child starts at its parent's peak at fork time (Linux carries the
    high-water mark across fork and exec); VmHWM starts afresh at exec. The parent is kept small
    so the two agree; a difference means the parent grew."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def _spawned_pool() -> concurrent.futures.ProcessPoolExecutor:
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn")
    )


def measure_import(db: Path, csv_path: Path) -> dict[str, Any]:
    """Import `csv_path` into `db` in a fresh spawned process (its own peak RSS)."""
    with _spawned_pool() as pool:
        return pool.submit(_child_import, str(db), str(csv_path)).result()


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def run_benchmark(work: Path, lines: int, repeat: int, regenerate: bool) -> None:
    paths = ensure_data(work, lines, regenerate)
    data_dir = paths["purchases"].parent
    print(f"data: {data_dir} ({paths['purchases'].stat().st_size / 1e6:.0f} MB purchases.csv)")

    template = data_dir / "template.db"
    started = time.perf_counter()
    with _spawned_pool() as pool:  # keeps the parent small: children inherit its peak RSS
        setup = pool.submit(build_template, template, paths).result()
    print(f"template db in {time.perf_counter() - started:.1f} s: {setup}")

    floor_db, import_db = data_dir / "floor.db", data_dir / "import.db"
    floors: list[float] = []
    imports: list[dict[str, Any]] = []
    reimports: list[dict[str, Any]] = []
    floor_pool = _spawned_pool()  # one worker for all repeats: it parses the rows once
    for r in range(1, repeat + 1):
        floor_run = floor_pool.submit(_child_floor, str(floor_db), str(paths["purchases"]))
        floor_result = floor_run.result()
        if floor_result["parse"]:
            print(
                f"parsed {floor_result['rows']:,} rows for the floor in "
                f"{floor_result['parse']:.1f} s (not timed)"
            )
        floors.append(floor_result["seconds"])
        rows = floor_result["rows"]
        _remove_db(import_db)
        shutil.copyfile(template, import_db)
        first = measure_import(import_db, paths["purchases"])
        second = measure_import(import_db, paths["purchases"])
        imports.append(first)
        reimports.append(second)
        print(
            f"repeat {r}/{repeat}: floor {floors[-1]:.2f} s, import {first['seconds']:.2f} s, "
            f"re-import {second['seconds']:.2f} s"
        )
        if first["stored"] != rows or first["inserted"] != rows:
            raise RuntimeError(f"import stored {first['stored']} rows: {first['summary']}")
        if second["unchanged"] != rows or second["stored"] != rows:
            raise RuntimeError(f"re-import changed rows: {second['summary']}")
    floor_pool.shutdown()
    _remove_db(floor_db)
    _remove_db(import_db)

    floor = _median(floors)
    imp = _median([m["seconds"] for m in imports])
    reimp = _median([m["seconds"] for m in reimports])
    mib = 1024
    print()
    print(f"purchases: {lines:,} lines, {repeat} interleaved repeat(s), medians:")
    for label, value in (("floor", floor), ("import", imp), ("re-import", reimp)):
        ratio = "(bare sqlite3 executemany)" if label == "floor" else f"{value / floor:.2f}x floor"
        print(f"  {label:<9} {value:7.2f} s  {lines / value:>9,.0f} rows/s  {ratio}")
    print(f"  last import: {imports[-1]['summary']}")
    print(f"  last re-import: {reimports[-1]['summary']}")
    for label, runs in (("import", imports), ("re-import", reimports)):
        peak = max(m["peak_kb"] for m in runs) / mib
        base = max(m["baseline_kb"] for m in runs) / mib
        hwm = [m["peak_hwm_kb"] for m in runs if m["peak_hwm_kb"] is not None]
        check = f"; /proc VmHWM {max(hwm) / mib:.0f} MiB" if hwm else ""
        print(
            f"  peak RSS {label}: {peak:.0f} MiB (max over repeats of getrusage ru_maxrss in a "
            f"spawned process that only imports; {base:.0f} MiB before the import{check})"
        )
    verdict = "meets" if imp / floor < 3 else "MISSES"
    print(f"  target ratio < 3: import {verdict} it ({imp / floor:.2f}x)")


# --- where the time goes ------------------------------------------------------------------------


def _child_phases(db: str, csv_path: str) -> dict[str, Any]:
    """Run in a spawned process: import once with each import phase and each SQL statement timed
    (wrappers and cursor events only, no profiler), and return the timings."""
    from sqlalchemy import event

    from storage import importers

    phases: dict[str, float] = {}
    for name in ("_stage_rows", "_check_in_sql", "_apply"):
        original = getattr(importers._Run, name)

        def timed(*args: Any, _original: Any = original, _name: str = name) -> Any:
            started = time.perf_counter()
            try:
                return _original(*args)
            finally:
                phases[_name] = phases.get(_name, 0.0) + time.perf_counter() - started

        setattr(importers._Run, name, timed)

    statements: dict[str, list[float]] = {}
    engine = make_engine(f"sqlite:///{db}")

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, _cursor: Any, _sql: str, *_args: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        seconds = time.perf_counter() - conn.info.pop("bench_started")
        key = " ".join(sql.split())[:90]
        entry = statements.setdefault(key, [0.0, 0])
        entry[0] += seconds
        entry[1] += 1

    started = time.perf_counter()
    report = import_csv(engine, "purchases", Path(csv_path))
    total = time.perf_counter() - started
    engine.dispose()
    return {"total": total, "summary": report.summary(), "phases": phases, "sql": statements}


def run_phases(work: Path, lines: int, regenerate: bool) -> None:
    """Print where an import and a re-import of `lines` lines spend their time."""
    paths = ensure_data(work, lines, regenerate)
    data_dir = paths["purchases"].parent
    db, template, floor_db = (data_dir / f"{n}.db" for n in ("phases", "template", "floor"))
    with _spawned_pool() as pool:
        pool.submit(build_template, template, paths).result()
        csv_path = str(paths["purchases"])
        bare = pool.submit(_child_floor, str(floor_db), csv_path).result()["seconds"]
        real = pool.submit(_child_floor, str(floor_db), csv_path, str(template)).result()
    _remove_db(floor_db)
    print()
    print(
        f"floor of {lines:,} lines, once each: {bare:.2f} s into the bare table; "
        f"{real['seconds']:.2f} s into storage's own purchase table (+ sku index, foreign keys)"
    )
    shutil.copyfile(template, db)
    for label in ("import", "re-import"):
        with _spawned_pool() as pool:
            timings = pool.submit(_child_phases, str(db), str(paths["purchases"])).result()
        total = timings["total"]
        print()
        print(f"phases of one {label} of {lines:,} lines (no profiler): {total:.2f} s")
        print(f"  {timings['summary']}")
        for name, seconds in timings["phases"].items():
            print(f"  {name:<16} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")
        print("  SQL statements by time (seconds, calls, statement):")
        ranked = sorted(timings["sql"].items(), key=lambda item: -item[1][0])
        for sql, (seconds, calls) in ranked[:8]:
            print(f"    {seconds:7.2f} s {calls:>5}  {sql}")
    _remove_db(db)


# --- profile -------------------------------------------------------------------------------------

PHASES = ("_stage_rows", "_check_in_sql", "_apply", "_parse_row", "exec_driver_sql", "execute")


def run_profile(work: Path, lines: int, regenerate: bool) -> None:
    paths = ensure_data(work, lines, regenerate)
    data_dir = paths["purchases"].parent
    db = data_dir / "profile.db"
    build_template(db, paths)
    engine = make_engine(f"sqlite:///{db}")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    report = import_csv(engine, "purchases", paths["purchases"])
    profiler.disable()
    wall = time.perf_counter() - started
    engine.dispose()
    _remove_db(db)
    out = work / f"import-{lines}.prof"
    profiler.dump_stats(out)

    print()
    print(f"profile of one import of {lines:,} lines: {wall:.2f} s under cProfile ({out})")
    print(f"  {report.summary()}")
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    print("  time by phase (cumulative, share of the profiled total):")
    for (file, _line, name), (_cc, _nc, _tt, ct, _callers) in sorted(
        stats.stats.items(),  # type: ignore[attr-defined]
        key=lambda item: -item[1][3],
    ):
        if name in PHASES[:3] and file.endswith("importers.py"):
            print(f"    {name:<16} {ct:7.2f} s  {100 * ct / total:5.1f} %")
    for order, label in (("tottime", "own time"), ("cumulative", "cumulative time")):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(order).print_stats(15)
        print(f"  top 15 by {label}:")
        table = buffer.getvalue()
        start = table.find("   ncalls")
        print("\n".join("    " + line for line in table[start:].rstrip().splitlines()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=LINES, help="purchase lines (1,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repeats (3)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="CSVs and databases")
    parser.add_argument("--regenerate", action="store_true", help="rewrite the CSVs")
    parser.add_argument("--profile", action="store_true", help="also profile one import")
    parser.add_argument("--profile-lines", type=int, default=200_000, help="(200,000)")
    args = parser.parse_args(argv)

    if args.repeat > 0:
        run_benchmark(args.work, args.lines, args.repeat, args.regenerate)
    if args.profile:
        run_profile(args.work, args.profile_lines, args.regenerate)
        run_phases(args.work, args.lines, args.regenerate)
    return 0


if __name__ == "__main__":
    sys.exit(main())
