"""Every customer's baskets as numbers: what the next-basket ranking (bot.core.next_basket) reads.

A basket is what a customer bought on one day (the product's "visit"); returns net out over the
whole history, so a product returned in full is not owned. Per customer and product the model
keeps the TIFU weight (bot.core.tifu: recent baskets count more; a product returned weighs
nothing), on how many days it was bought, the index of the last basket holding it and its first
and last day; per product how many customers own it, how many of them bought it on two days or
more and their median interval.

Built from all purchases by `build_model`, patched for the customers of a small import by
`patch_model` (a customer's row depends on their own purchases only; the product counts are
sums over customers), and kept between processes as bytes (`to_bytes` / `from_bytes`).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from bot.core.tifu import TifuParams, basket_weights

# One (customer, day, product, net quantity) line: the purchases of a day, returns netted; day
# None for lines with no purchase time.
DayLine = tuple[str, int | None, str, int]
# Stored with the model: a model written with other weighting or arrays is rebuilt, not read
# (6: `fitted` holds a weight for next_basket's `trending` feature too).
FORMAT = 6
# Baskets are weighed with TaFeng's published TIFU values (bot.core.tifu.PUBLISHED).
WEIGHTING = TifuParams()
_ROW_ARRAYS = (
    "weight",
    "days",
    "first_basket",
    "last_basket",
    "first_day",
    "last_day",
    "min_gap",
    "owned",
)
# "Too early" is where this share of a store's re-buys (the quickest of each customer and
# product) had already happened: see ShoppingModel.early_rebuy.
EARLY_QUANTILE = 0.1
# "Sells now" counts owners who bought in the last this many days of the data (as
# storage.signal_refresh.RECENT_DAYS does).
RECENT_DAYS = 90
# Re-buy rates (`item_loyalty`, next_basket's `loyalty`) start from the store's as if from this
# many baskets.
REPEAT_PSEUDO = 5.0


@dataclass(frozen=True)
class ShoppingModel:
    """Customers × products, CSR-aligned arrays (row u's entries are indptr[u]:indptr[u+1]).

    weight: TIFU weight (float32); days: days it was bought on; first_basket / last_basket:
    0-based index of the first / last basket holding it; first_day/last_day: epoch days;
    min_gap: fewest days between two purchases of it (0 when bought once); owned: bought more
    than returned.
    Entries exist for products bought on a day; an exchange (bought back after a return) is no
    new day. `returned_*` lists, per customer, products never to offer them as new: returned in
    full (or only ever returned), or held from lines with no purchase date. Per customer:
    `baskets`, `first_visit`, `last_visit` (epoch days). Per product: `buyers` (owners),
    `repeat_buyers` (owners who bought it on two days or more), `rebuy_days` (their median
    interval in days, NaN when none).
    """

    customers: np.ndarray
    skus: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    weight: np.ndarray
    days: np.ndarray
    first_basket: np.ndarray
    last_basket: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray
    min_gap: np.ndarray
    owned: np.ndarray
    returned_indptr: np.ndarray
    returned_indices: np.ndarray
    baskets: np.ndarray
    first_visit: np.ndarray
    last_visit: np.ndarray
    buyers: np.ndarray = field(repr=False)
    repeat_buyers: np.ndarray = field(repr=False)
    rebuy_days: np.ndarray = field(repr=False)
    # What the rows were built from: per customer id, a fingerprint of their purchases
    # (bot.core.shopping_refresh), so a refresh can tell whose purchases changed since.
    print_customers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=str))
    print_table: np.ndarray = field(default_factory=lambda: np.zeros((0, 5), dtype=np.int64))
    # The next-basket weights fitted on this store's own history (bot.core.store_fit): one row
    # per model ("owned", "new"), bias then bot.core.next_basket.FEATURES; empty when none.
    fitted: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float64))

    @cached_property
    def fingerprints(self) -> dict[str, tuple[int, ...]]:
        """Return each customer's purchase fingerprint when the model was built."""
        rows = self.print_table.tolist()
        return {str(c): tuple(r) for c, r in zip(self.print_customers.tolist(), rows, strict=True)}

    def with_fingerprints(self, customers: np.ndarray, table: np.ndarray) -> ShoppingModel:
        """Return the model recording these purchase fingerprints."""
        return replace(self, print_customers=customers, print_table=table)

    def with_fitted(self, fitted: np.ndarray) -> ShoppingModel:
        """Return the model carrying these fitted weights (see `fitted`)."""
        return replace(self, fitted=np.asarray(fitted, dtype=np.float64))

    @cached_property
    def customer_index(self) -> dict[str, int]:
        """Return the row of each customer id."""
        return {str(c): i for i, c in enumerate(self.customers.tolist())}

    @cached_property
    def sku_index(self) -> dict[str, int]:
        """Return the column of each sku."""
        return {str(s): i for i, s in enumerate(self.skus.tolist())}

    @cached_property
    def vectors(self) -> sp.csr_matrix:
        """Return the customers × products TIFU matrix."""
        shape = (self.customers.size, self.skus.size)
        return sp.csr_matrix((self.weight, self.indices, self.indptr), shape=shape)

    @cached_property
    def unit_vectors(self) -> sp.csr_matrix:
        """Return `vectors` with every row scaled to length 1 (for cosine similarity)."""
        vectors = self.vectors
        norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
        scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        return sp.csr_matrix(sp.diags(scale.astype(np.float32)) @ vectors)

    @cached_property
    def owners(self) -> sp.csc_matrix:
        """Return the customers × products 0/1 matrix of who owns what, by product column."""
        shape = (self.customers.size, self.skus.size)
        ones = self.owned.astype(np.float32)
        return sp.csr_matrix((ones, self.indices, self.indptr), shape=shape).tocsc()

    @cached_property
    def early_rebuy(self) -> float:
        """Return the share of its usual interval before which an owned product is "just
        bought" in this store: the EARLY_QUANTILE quantile, over customers and products bought
        on two days or more, of their quickest re-buy over their average interval (0 when
        nobody re-bought anything). A store of steady habits gets about 0.9; a wholesaler
        whose customers re-order at any time gets about 0."""
        repeat = self.owned & (self.days >= 2)
        if not repeat.any():
            return 0.0
        span = (self.last_day[repeat] - self.first_day[repeat]) / (self.days[repeat] - 1)
        ratio = self.min_gap[repeat] / np.maximum(span, 1e-9)
        return float(np.quantile(ratio, EARLY_QUANTILE))

    @cached_property
    def recent_buyers(self) -> np.ndarray:
        """Return per product how many of its owners bought it in the last RECENT_DAYS days of
        the data (what sells now)."""
        if not self.last_visit.size:
            return np.zeros(self.skus.size, dtype=np.int32)
        since = int(self.last_visit.max()) - RECENT_DAYS
        lately = self.owned & (self.last_day >= since)
        return np.bincount(self.indices[lately], minlength=self.skus.size).astype(np.int32)

    @cached_property
    def first_purchases(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the owned entries' first purchase days (epoch days, ascending) and their
        product columns in that order: the products first bought in any span of days are
        one slice of them."""
        owned = np.flatnonzero(self.owned)
        order = owned[np.argsort(self.first_day[owned], kind="stable")]
        return self.first_day[order], self.indices[order]

    @cached_property
    def _row_of_entry(self) -> np.ndarray:
        return np.repeat(np.arange(self.customers.size), np.diff(self.indptr))

    @cached_property
    def store_loyalty(self) -> float:
        """Return the store's re-buy rate: over every customer and product, the baskets after
        the first one holding it that hold it again, over the baskets there were after it
        (0.1 when nobody had a basket after one; never under 0.001, so its log is finite)."""
        chances = self.baskets[self._row_of_entry] - 1 - self.first_basket
        total = float(chances.sum())
        return max(float((self.days - 1).sum()) / total, 1e-3) if total > 0 else 0.1

    @cached_property
    def item_loyalty(self) -> np.ndarray:
        """Return per product the baskets holding it again over the baskets its buyers had
        after first buying it (summed over its buyers), drawn towards `store_loyalty` by
        REPEAT_PSEUDO baskets: how often it is re-bought when it could be."""
        chances = self.baskets[self._row_of_entry] - 1 - self.first_basket
        m = self.skus.size
        again = np.bincount(self.indices, weights=self.days - 1, minlength=m)
        after = np.bincount(self.indices, weights=chances, minlength=m)
        return (again + REPEAT_PSEUDO * self.store_loyalty) / (after + REPEAT_PSEUDO)

    @cached_property
    def _pools(self) -> dict[int, tuple[np.ndarray, sp.csr_matrix]]:
        return {}

    def pool(self, size: int) -> tuple[np.ndarray, sp.csr_matrix]:
        """Return the rows neighbours are looked for in (the `size` customers with the most
        baskets, ties to the lower row) and their unit vectors; computed once per size."""
        found = self._pools.get(size)
        if found is None:
            n = self.customers.size
            if n <= size:
                rows = np.arange(n)
            else:
                order = np.lexsort((np.arange(n), -self.baskets.astype(np.int64)))
                rows = np.sort(order[:size])
            found = self._pools[size] = (rows, sp.csr_matrix(self.unit_vectors[rows]))
        return found

    def row(self, u: int) -> slice:
        """Return the slice of customer u's entries in the row arrays."""
        return slice(int(self.indptr[u]), int(self.indptr[u + 1]))

    def returned(self, u: int) -> np.ndarray:
        """Return the product columns customer u returned in full."""
        return self.returned_indices[self.returned_indptr[u] : self.returned_indptr[u + 1]]


def build_model(lines: Iterable[DayLine]) -> ShoppingModel:
    """Build the model from day lines (any order; one line per customer, day and product)."""
    rows = list(lines)
    customers = np.array(sorted({r[0] for r in rows}), dtype=str)
    skus = np.array(sorted({r[2] for r in rows}), dtype=str)
    return _assemble(rows, customers, skus)


def patch_model(
    model: ShoppingModel, lines: Iterable[DayLine], changed: Sequence[str]
) -> ShoppingModel:
    """Return the model with the rows of the `changed` customers rebuilt from `lines`, which
    must hold all their day lines (a changed customer with none loses their row). The other
    rows are carried over as they are; product counts are recomputed from the rows."""
    fresh = list(lines)
    gone = set(changed)
    kept = [c for c in model.customers.tolist() if c not in gone]
    customers = np.array(sorted({*kept, *(r[0] for r in fresh)}), dtype=str)
    skus = np.array(sorted({*model.skus.tolist(), *(r[2] for r in fresh)}), dtype=str)
    carried = [(model, model.customer_index[c]) for c in kept]
    return _assemble(fresh, customers, skus, carried)


Row = dict[str, np.ndarray]
Visit = tuple[int, int, int]  # baskets, first and last visit day


def _assemble(
    lines: list[DayLine],
    customers: np.ndarray,
    skus: np.ndarray,
    carried: Sequence[tuple[ShoppingModel, int]] = (),
) -> ShoppingModel:
    cindex = {c: i for i, c in enumerate(customers.tolist())}
    sindex = {s: i for i, s in enumerate(skus.tolist())}
    per_row: dict[int, Row] = {}
    returned: dict[int, np.ndarray] = {}
    visits: dict[int, Visit] = {}
    for old, v in carried:
        u, part = cindex[str(old.customers[v])], old.row(v)
        remap = np.array([sindex[s] for s in old.skus[old.indices[part]].tolist()], np.int32)
        per_row[u] = {"indices": remap, **{a: getattr(old, a)[part] for a in _ROW_ARRAYS}}
        back = old.skus[old.returned(v)].tolist()
        returned[u] = np.array(sorted(sindex[s] for s in back), dtype=np.int32)
        visits[u] = (int(old.baskets[v]), int(old.first_visit[v]), int(old.last_visit[v]))
    for u, entries, gone, visit in _rows_from_lines(lines, cindex, sindex):
        per_row[u], returned[u], visits[u] = entries, gone, visit
    return _pack(customers, skus, per_row, returned, visits)


def _rows_from_lines(
    lines: list[DayLine], cindex: dict[str, int], sindex: dict[str, int]
) -> Iterator[tuple[int, Row, np.ndarray, Visit]]:
    by_customer: dict[int, list[tuple[int | None, int, int]]] = {}
    for customer, day, sku, quantity in lines:
        by_customer.setdefault(cindex[customer], []).append((day, sindex[sku], quantity))
    for u, entries in by_customer.items():
        net: dict[int, int] = {}
        peak: dict[int, int] = {}
        bought: dict[int, list[int]] = {}
        undated: set[int] = set()
        # Day by day. A product counts as bought on a day only when that day takes what they
        # hold of it above anything they held before: buying back what was returned (an
        # exchange) is no re-buy. A line with no date counts in what they hold, not as a day.
        for day, item, quantity in sorted(entries, key=lambda e: (e[0] is None, e[0] or 0)):
            held = net[item] = net.get(item, 0) + quantity
            if day is None:
                undated.add(item)
                continue
            if quantity > 0 and held > peak.get(item, 0):
                bought.setdefault(day, []).append(item)
            peak[item] = max(peak.get(item, 0), held)
        days = sorted(bought)
        weights = basket_weights(len(days), WEIGHTING) if days else np.zeros(0)
        # item: weight, days, last basket, first day, last day, fewest days between two, first
        # basket
        acc: dict[int, list[float]] = {}
        for t, day in enumerate(days):
            for item in bought[day]:
                a = acc.setdefault(item, [0.0, 0, 0, day, day, 0, t])
                if a[1]:
                    gap = day - a[4]
                    a[5] = gap if not a[5] else min(a[5], gap)
                a[0] += float(weights[t])
                a[1] += 1
                a[2] = t
                a[4] = day
        items = sorted(acc)
        row = {
            "indices": np.array(items, dtype=np.int32),
            # A product returned in full says "no thanks": it weighs nothing in their taste.
            "weight": np.array([acc[i][0] if net[i] > 0 else 0.0 for i in items], np.float32),
            "days": np.array([acc[i][1] for i in items], dtype=np.int32),
            "first_basket": np.array([acc[i][6] for i in items], dtype=np.int32),
            "last_basket": np.array([acc[i][2] for i in items], dtype=np.int32),
            "first_day": np.array([acc[i][3] for i in items], dtype=np.int32),
            "last_day": np.array([acc[i][4] for i in items], dtype=np.int32),
            "min_gap": np.array([acc[i][5] for i in items], dtype=np.int32),
            "owned": np.array([net[i] > 0 for i in items], dtype=bool),
        }
        # Never offered to them as new: returned in full, or held with no purchase day.
        never = {i for i, n in net.items() if n <= 0 or (i in undated and i not in acc)}
        gone = np.array(sorted(never), dtype=np.int32)
        visit = (len(days), days[0], days[-1]) if days else (0, 0, 0)
        yield u, row, gone, visit


def _pack(
    customers: np.ndarray,
    skus: np.ndarray,
    per_row: dict[int, Row],
    returned: dict[int, np.ndarray],
    visits: dict[int, Visit],
) -> ShoppingModel:
    n = customers.size
    empty = {
        "indices": np.zeros(0, np.int32),
        "weight": np.zeros(0, np.float32),
        "days": np.zeros(0, np.int32),
        "first_basket": np.zeros(0, np.int32),
        "last_basket": np.zeros(0, np.int32),
        "first_day": np.zeros(0, np.int32),
        "last_day": np.zeros(0, np.int32),
        "min_gap": np.zeros(0, np.int32),
        "owned": np.zeros(0, bool),
    }
    ordered = [per_row.get(u, empty) for u in range(n)]
    sizes = np.array([r["indices"].size for r in ordered], dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    arrays = {key: np.concatenate([r[key] for r in ordered]) if n else empty[key] for key in empty}
    gone = [returned.get(u, empty["indices"]) for u in range(n)]
    returned_indptr = np.concatenate([[0], np.cumsum([g.size for g in gone])]).astype(np.int64)
    visit = np.array([visits.get(u, (0, 0, 0)) for u in range(n)], dtype=np.int64).reshape(n, 3)
    model = ShoppingModel(
        customers=customers,
        skus=skus,
        indptr=indptr,
        returned_indptr=returned_indptr,
        returned_indices=np.concatenate(gone) if gone else empty["indices"],
        baskets=visit[:, 0].astype(np.int32),
        first_visit=visit[:, 1].astype(np.int32),
        last_visit=visit[:, 2].astype(np.int32),
        buyers=np.zeros(0, np.int32),
        repeat_buyers=np.zeros(0, np.int32),
        rebuy_days=np.zeros(0, np.float32),
        **arrays,
    )
    return _with_product_counts(model)


def _with_product_counts(model: ShoppingModel) -> ShoppingModel:
    m = model.skus.size
    owned = model.owned
    columns = model.indices
    buyers = np.bincount(columns[owned], minlength=m).astype(np.int32)
    repeat = owned & (model.days >= 2)
    repeat_buyers = np.bincount(columns[repeat], minlength=m).astype(np.int32)
    # Each repeat buyer's average interval, then the median per product.
    spans = (model.last_day[repeat] - model.first_day[repeat]) / (model.days[repeat] - 1)
    rebuy_days = np.full(m, np.nan, dtype=np.float32)
    order = np.lexsort((spans, columns[repeat]))
    cols, values = columns[repeat][order], spans[order]
    starts = np.searchsorted(cols, np.arange(m), side="left")
    stops = np.searchsorted(cols, np.arange(m), side="right")
    for item in np.flatnonzero(stops > starts):
        rebuy_days[item] = float(np.median(values[starts[item] : stops[item]]))
    return replace(model, buyers=buyers, repeat_buyers=repeat_buyers, rebuy_days=rebuy_days)


_FIELDS = (
    "customers",
    "skus",
    "indptr",
    "indices",
    *_ROW_ARRAYS,
    "returned_indptr",
    "returned_indices",
    "baskets",
    "first_visit",
    "last_visit",
    "buyers",
    "repeat_buyers",
    "rebuy_days",
    "print_customers",
    "print_table",
    "fitted",
)


def to_bytes(model: ShoppingModel) -> bytes:
    """Return the model as a compressed .npz file's bytes (no pickled objects)."""
    out = io.BytesIO()
    arrays = {name: getattr(model, name) for name in _FIELDS}
    np.savez_compressed(out, format=np.array([FORMAT]), **arrays)
    return out.getvalue()


def from_bytes(data: bytes) -> ShoppingModel:
    """Return the model `to_bytes` wrote. Raises ValueError when the bytes are not one."""
    try:
        loaded = np.load(io.BytesIO(data), allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise ValueError("a single array, not an .npz file")
        with loaded as npz:
            if "format" not in npz.files or int(npz["format"][0]) != FORMAT:
                raise ValueError(f"written in another format than {FORMAT}")
            return ShoppingModel(**{name: npz[name] for name in _FIELDS})
    except (OSError, KeyError, EOFError, ValueError, zipfile.BadZipFile) as exc:
        raise ValueError(f"not a shopping model: {exc}") from exc
