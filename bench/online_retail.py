"""Convert the UCI Online Retail export to the import contract, then import it.

    .venv/bin/python bench/online_retail.py [--src FILE] [--out DIR]

`convert(src, out_dir)` writes customers.csv, products.csv and purchases.csv and returns their
paths; `conversion(src, out_dir)` does the same and also says what was dropped or fixed and why.
Other benchmarks import this module to reuse the conversion (for example to hold out each
customer's last invoice).

Mapping (source columns: InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice,
CustomerID, Country):

- purchases: order_id = InvoiceNo, customer_id = CustomerID as a whole number ("17850.0" ->
  "17850"), sku = StockCode, quantity = Quantity as a whole number (cancellations, "C..."
  invoices, carry negative quantities: the contract's returns), unit_price = UnitPrice as given,
  purchased_at = InvoiceDate ("2010-12-01 08:26:00", no zone) written as naive ISO 8601
  ("2010-12-01T08:26:00"), which the contract reads as UTC. Lines repeating InvoiceNo+StockCode
  are kept: the importer merges them by adding quantities.
- customers: one row per CustomerID kept; home_store = the Country of most of their lines
  ("Unspecified" is left empty).
- products: one row per StockCode on a kept line; name = its most frequent Description on the
  kept lines, price = the median of its positive UnitPrices.

A line is dropped, and counted under its first reason, when it has no CustomerID, when a value
breaks the contract (not a whole number, a negative price, an unreadable date, an id longer than
64 characters), when its StockCode has no Description on any kept line (so no product name), or
when its invoice already belongs to another customer.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.importers import ImportReport

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "online-retail" / "online_retail.csv.gz"
DEFAULT_OUT = ROOT / "bench" / "out" / "online-retail"
SOURCE_COLUMNS = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)
CUSTOMER_COLUMNS = ("customer_id", "home_store")
PRODUCT_COLUMNS = ("sku", "name", "price")
PURCHASE_COLUMNS = ("order_id", "customer_id", "sku", "quantity", "unit_price", "purchased_at")
_SOURCE_DATE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
ID_LIMIT = 64  # order_id, customer_id and sku columns hold at most 64 characters
NAME_LIMIT = 300  # product.name
STORE_LIMIT = 40  # customer.home_store
# Stock codes that are charges or adjustments rather than merchandise. They are real lines of
# the export and are kept; the count is printed so a recommender can decide to skip them.
SERVICE_CODES = frozenset(
    {"POST", "DOT", "M", "m", "C2", "D", "S", "B", "BANK CHARGES", "AMAZONFEE", "CRUK", "PADS"}
)


@dataclass
class Conversion:
    """What `conversion` wrote, and every line it dropped or value it fixed, by reason."""

    paths: dict[str, Path]
    source_lines: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    fixed: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    written: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        """Return a report of the conversion for people."""
        kept = self.written.get("purchases", 0)
        lines = [
            f"converted {self.source_lines:,} source lines in {self.seconds:.1f} s: "
            f"{kept:,} purchase lines kept, {sum(self.dropped.values()):,} dropped",
        ]
        lines += [f"  dropped  {n:>8,}  {reason}" for reason, n in self.dropped.most_common()]
        lines += [f"  fixed    {n:>8,}  {reason}" for reason, n in self.fixed.most_common()]
        lines += [f"  note     {n:>8,}  {reason}" for reason, n in self.notes.most_common()]
        lines += [
            f"  wrote    {n:>8,}  {kind} rows -> {self.paths[kind]}"
            for kind, n in self.written.items()
        ]
        return "\n".join(lines)


def convert(src: Path, out_dir: Path) -> dict[str, Path]:
    """Convert the Online Retail CSV (optionally gzipped) at `src` to contract CSVs in `out_dir`;
    return their paths by kind (customers, products, purchases)."""
    return conversion(src, out_dir).paths


def _whole(raw: str) -> int | None:
    """Return `raw` ("6", "6.0", "-12.0") as an int, or None if it is not a whole number."""
    try:
        value = float(raw)
    except ValueError:
        return None
    if not value.is_integer():
        return None
    return int(value)


def _price(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _open(src: Path) -> csv.DictReader[str]:
    opener = gzip.open if src.suffix == ".gz" else open
    handle = opener(src, "rt", encoding="utf-8", newline="")
    return csv.DictReader(handle)


def conversion(src: Path, out_dir: Path) -> Conversion:
    """Convert like `convert`, and return the counts of what was dropped or fixed, and why."""
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {kind: out_dir / f"{kind}.csv" for kind in ("customers", "products", "purchases")}
    result = Conversion(paths=paths)
    dropped, notes = result.dropped, result.notes

    # Pass 1: check every line on its own.
    lines: list[tuple[str, str, str, int, str, str, float, str, str]] = []
    reader = _open(src)
    missing = [c for c in SOURCE_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"{src}: missing column(s) {', '.join(missing)}")
    codes: set[str] = set()
    for row in reader:
        result.source_lines += 1
        order_id = row["InvoiceNo"].strip()
        sku = row["StockCode"].strip()
        codes.add(sku)
        raw_customer = row["CustomerID"].strip()
        if not raw_customer:
            dropped["no CustomerID"] += 1
            # Say what else was wrong with them, for the record: first reason wins above.
            if not row["Description"].strip():
                notes["of those without CustomerID: empty Description"] += 1
            if (_price(row["UnitPrice"]) or 0) < 0:
                notes["of those without CustomerID: negative UnitPrice"] += 1
            continue
        customer = _whole(raw_customer)
        if customer is None:
            dropped["CustomerID not a whole number"] += 1
            continue
        if not order_id or not sku:
            dropped["no InvoiceNo or StockCode"] += 1
            continue
        if len(order_id) > ID_LIMIT or len(sku) > ID_LIMIT:
            dropped[f"InvoiceNo or StockCode longer than {ID_LIMIT} characters"] += 1
            continue
        quantity = _whole(row["Quantity"])
        if quantity is None:
            dropped["Quantity not a whole number"] += 1
            continue
        raw_price = row["UnitPrice"].strip()
        price = _price(raw_price)
        if price is None:
            dropped["UnitPrice not a number"] += 1
            continue
        if price < 0:
            dropped["negative UnitPrice"] += 1
            continue
        raw_date = row["InvoiceDate"].strip()
        try:
            when = datetime.fromisoformat(raw_date)
        except ValueError:
            when = None
        if when is None or not _SOURCE_DATE.fullmatch(raw_date):
            dropped["InvoiceDate not YYYY-MM-DD HH:MM:SS"] += 1
            continue
        lines.append(
            (
                order_id,
                str(customer),
                sku,
                quantity,
                raw_price,
                when.isoformat(),
                price,
                row["Description"].strip(),
                row["Country"].strip(),
            )
        )

    # Pass 2: what needs the whole file — product names, order owners, home stores.
    descriptions: dict[str, Counter[str]] = defaultdict(Counter)
    for line in lines:
        if line[7]:
            descriptions[line[2]][line[7]] += 1
    owner: dict[str, str] = {}
    kept: list[tuple[str, ...]] = []
    prices: dict[str, list[float]] = defaultdict(list)
    countries: dict[str, Counter[str]] = defaultdict(Counter)
    keys: Counter[tuple[str, str]] = Counter()
    for order_id, customer, sku, quantity, raw_price, when, price, _desc, country in lines:
        if sku not in descriptions:
            dropped["StockCode has no Description on any kept line"] += 1
            continue
        first = owner.setdefault(order_id, customer)
        if first != customer:
            dropped["invoice already belongs to another CustomerID"] += 1
            continue
        kept.append((order_id, customer, sku, str(quantity), raw_price, when))
        if price > 0:
            prices[sku].append(price)
        countries[customer][country] += 1
        keys[(order_id, sku)] += 1
        if order_id.startswith("C") and quantity > 0:
            notes["cancellation line with a positive Quantity (kept)"] += 1
        if not order_id.startswith("C") and quantity < 0:
            notes["negative Quantity outside a cancellation (kept as a return)"] += 1
        if price == 0:
            notes["UnitPrice 0 (kept: the contract allows >= 0)"] += 1
        if sku in SERVICE_CODES:
            notes["service StockCode such as POST, M, D, BANK CHARGES (kept)"] += 1
    repeats = sum(n - 1 for n in keys.values())
    if repeats:
        notes["lines repeating InvoiceNo+StockCode (kept; the importer merges them)"] = repeats
    skipped_codes = {line[2] for line in lines} - set(descriptions)
    if skipped_codes:
        notes["StockCodes with no Description (not in products.csv)"] = len(skipped_codes)
    del lines

    with paths["purchases"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PURCHASE_COLUMNS)
        writer.writerows(kept)
    result.written["purchases"] = len(kept)
    sold = {line[2] for line in kept}
    del kept

    with paths["products"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PRODUCT_COLUMNS)
        for sku in sorted(sold):
            variants = descriptions[sku]
            if len(variants) > 1:
                notes["StockCodes with several Descriptions (most frequent used)"] += 1
            name = variants.most_common(1)[0][0]
            if len(name) > NAME_LIMIT:
                result.fixed[f"product name cut to {NAME_LIMIT} characters"] += 1
                name = name[:NAME_LIMIT]
            positive = prices.get(sku)
            if not positive:
                result.fixed["product with no positive UnitPrice: price left empty"] += 1
            price = f"{statistics.median(positive):.2f}" if positive else ""
            writer.writerow((sku, name, price))
    result.written["products"] = len(sold)
    if codes - sold:
        notes["StockCodes only on dropped lines (not in products.csv)"] = len(codes - sold)

    with paths["customers"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CUSTOMER_COLUMNS)
        for customer in sorted(countries, key=int):
            seen = countries[customer]
            if len(seen) > 1:
                notes["customers with lines from several Countries (most frequent used)"] += 1
            store = seen.most_common(1)[0][0]
            if store == "Unspecified":
                result.fixed["home_store 'Unspecified' left empty"] += 1
                store = ""
            elif len(store) > STORE_LIMIT:
                result.fixed[f"home_store cut to {STORE_LIMIT} characters"] += 1
                store = store[:STORE_LIMIT]
            writer.writerow((customer, store))
    result.written["customers"] = len(countries)
    result.seconds = time.perf_counter() - started
    return result


def import_all(paths: dict[str, Path], db_path: Path) -> list[ImportReport]:
    """Import customers, products and purchases into a fresh SQLite database at `db_path`."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from storage.db import make_engine, upgrade
    from storage.importers import import_csv

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db_path}")
    try:
        upgrade(engine)
        return [import_csv(engine, kind, paths[kind]) for kind in paths]
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=SOURCE, help="the Online Retail CSV(.gz)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where CSVs and db go")
    args = parser.parse_args(argv)

    result = conversion(args.src, args.out)
    print(result.summary())

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from storage.importers import ImportFailed

    db_path = args.out / "online_retail.db"
    started = time.perf_counter()
    try:
        reports = import_all(result.paths, db_path)
    except ImportFailed as exc:
        print(exc.describe(), file=sys.stderr)
        return 1
    total = time.perf_counter() - started
    print(f"imported into {db_path}:")
    for report in reports:
        print(f"  {report.summary()}")
    print(f"  import total {total:.1f} s (schema upgrade included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
