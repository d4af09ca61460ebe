"""The demo shop generator: the CSV contract, determinism and believable shopping behaviour."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from bot.demo import FILE_COLUMNS, build_demo_files

KINDS = ("customers", "products", "purchases", "notes", "tips")
WINDOW = (datetime(2024, 11, 16, tzinfo=UTC), datetime(2026, 11, 16, tzinfo=UTC))

Rows = dict[str, list[dict[str, str]]]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_demo_files(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def rows(files: dict[str, Path]) -> Rows:
    result = {}
    for kind, path in files.items():
        with path.open(encoding="utf-8", newline="") as handle:
            result[kind] = list(csv.DictReader(handle))
    return result


def _is_ascii(text: str) -> bool:
    return all(ord(ch) < 128 for ch in text)


def test_writes_the_five_files_with_the_contract_headers(files: dict[str, Path]) -> None:
    assert sorted(files) == sorted(KINDS)
    for kind, path in files.items():
        assert path.name == f"{kind}.csv"
        raw = path.read_bytes()
        assert b"\r\n" not in raw
        assert raw.decode("utf-8").split("\n", 1)[0] == ",".join(FILE_COLUMNS[kind])


def test_counts_meet_the_minimums(rows: Rows) -> None:
    assert len(rows["customers"]) >= 150
    assert len(rows["products"]) >= 60
    assert len({p["category"] for p in rows["products"]}) >= 5
    assert len(rows["purchases"]) >= 2000
    assert len(rows["notes"]) >= 60
    assert len(rows["tips"]) >= 40


def test_two_runs_write_identical_bytes(tmp_path: Path, files: dict[str, Path]) -> None:
    again = build_demo_files(tmp_path)
    for kind in KINDS:
        assert again[kind].read_bytes() == files[kind].read_bytes(), kind


def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path, files: dict[str, Path]) -> None:
    script = "import sys, pathlib, bot.demo; bot.demo.build_demo_files(pathlib.Path(sys.argv[1]))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, cwd=root, env=env)
    for kind in KINDS:
        assert (tmp_path / f"{kind}.csv").read_bytes() == files[kind].read_bytes(), kind


def test_ids_and_emails_are_unique(rows: Rows) -> None:
    for kind, key in (("customers", "customer_id"), ("products", "sku"), ("tips", "tip_id")):
        ids = [row[key] for row in rows[kind]]
        assert len(ids) == len(set(ids)), kind
    emails = [c["email"] for c in rows["customers"] if c["email"]]
    assert len(emails) == len(set(emails))
    assert all(_is_ascii(e) and e.count("@") == 1 for e in emails)


def test_every_reference_resolves(rows: Rows) -> None:
    customers = {c["customer_id"] for c in rows["customers"]}
    categories = {p["sku"]: p["category"] for p in rows["products"]}
    for line in rows["purchases"]:
        assert line["customer_id"] in customers
        assert line["sku"] in categories
        assert line["store_id"] in {"S01", "S02", "S03"}
        assert line["associate_id"] in {f"A0{n}" for n in range(1, 7)}
    assert all(note["customer_id"] in customers for note in rows["notes"])
    for tip in rows["tips"]:
        if tip["sku"]:
            assert tip["sku"] in categories
            assert tip["category"] == categories[tip["sku"]]
        else:
            assert tip["category"] in set(categories.values())
    assert all(c["home_store"] in {"S01", "S02", "S03"} for c in rows["customers"])


def test_orders_hold_one_customer_one_moment_and_each_sku_once(rows: Rows) -> None:
    heads: dict[str, tuple[str, str, str, str]] = {}
    skus: defaultdict[str, list[str]] = defaultdict(list)
    for line in rows["purchases"]:
        head = (line["customer_id"], line["purchased_at"], line["store_id"], line["associate_id"])
        assert heads.setdefault(line["order_id"], head) == head
        skus[line["order_id"]].append(line["sku"])
    assert all(len(s) == len(set(s)) for s in skus.values())
    assert sum(len(s) > 1 for s in skus.values()) >= 100  # baskets, not just single items


def test_customer_fields_are_well_formed_and_have_real_gaps(rows: Rows) -> None:
    customers = rows["customers"]
    for c in customers:
        assert len(c["language"]) == 2
        assert c["language"].isalpha()
        assert c["language"].islower()
        assert c["tier"] in {"bronze", "silver", "gold", "vip"}
        assert c["marketing_consent"] in {"true", "false"}
        if c["birthday"]:
            assert date.fromisoformat(c["birthday"]).year < 2008
    for column in ("email", "phone", "birthday"):
        assert any(not c[column] for c in customers), column
        assert sum(bool(c[column]) for c in customers) > len(customers) // 2, column


def test_names_include_accents_and_transliterated_names(rows: Rows) -> None:
    names = {f"{c['first_name']} {c['last_name']}" for c in rows["customers"]}
    assert sum(not _is_ascii(name) for name in names) >= 40
    letters = set("".join(names))
    assert set("éñçğışöüßłøæ") <= {ch.lower() for ch in letters}
    for name in (
        "Hiroshi Tanaka",
        "Wei Zhang",
        "Priya Sharma",
        "Olumide Adeyemi",
        "Dmitri Ivanov",
    ):
        assert name in names


def test_example_customers_exist_with_ambiguous_namesakes(rows: Rows) -> None:
    by_first = Counter(c["first_name"] for c in rows["customers"])
    assert by_first["Maria"] == 2
    assert by_first["Nikos"] == 2
    assert by_first["Çağla"] == 1
    assert by_first["Hiroshi"] == 1
    ids = {f"{c['first_name']} {c['last_name']}": c["customer_id"] for c in rows["customers"]}
    maria, cagla, hiroshi = ids["Maria López"], ids["Çağla Yılmaz"], ids["Hiroshi Tanaka"]
    bought = Counter(line["customer_id"] for line in rows["purchases"])
    assert bought[maria] >= 5
    assert bought[cagla] >= 5
    assert any(note["customer_id"] == hiroshi for note in rows["notes"])


def test_tips_are_written_in_spanish_turkish_greek_and_german(rows: Rows) -> None:
    by_language: defaultdict[str, list[str]] = defaultdict(list)
    for tip in rows["tips"]:
        by_language[tip["language"]].append(tip["text"])
    assert len(by_language["en"]) > len(rows["tips"]) // 2
    for language in ("es", "tr", "el", "de"):
        assert len(by_language[language]) >= 3, language
    assert all(any("\u0370" <= ch <= "\u03ff" for ch in text) for text in by_language["el"])
    assert all(any(ch in "çğışöüİ" for ch in text) for text in by_language["tr"])
    assert sum(not tip["sku"] for tip in rows["tips"]) >= 3  # category-wide tips
    assert sum(bool(tip["sku"]) for tip in rows["tips"]) > len(rows["tips"]) // 2


def test_purchase_and_note_times_are_tz_aware_and_inside_the_window(rows: Rows) -> None:
    moments = [line["purchased_at"] for line in rows["purchases"]]
    moments += [note["created_at"] for note in rows["notes"]]
    for raw in moments:
        moment = datetime.fromisoformat(raw)
        assert moment.tzinfo is not None
        assert WINDOW[0] <= moment < WINDOW[1]


def test_prices_match_the_catalogue_or_a_discount(rows: Rows) -> None:
    prices = {p["sku"]: Decimal(p["price"]) for p in rows["products"]}
    assert all(price > 0 and price.as_tuple().exponent == -2 for price in prices.values())
    paid = [(Decimal(line["unit_price"]), prices[line["sku"]]) for line in rows["purchases"]]
    assert all(0 < unit <= listed for unit, listed in paid)
    discounted = sum(unit < listed for unit, listed in paid)
    assert 0 < discounted < len(paid) // 5


def test_returns_take_back_something_bought_earlier(rows: Rows) -> None:
    bought: defaultdict[tuple[str, str], list[tuple[datetime, int]]] = defaultdict(list)
    returns = []
    for line in rows["purchases"]:
        quantity, moment = int(line["quantity"]), datetime.fromisoformat(line["purchased_at"])
        assert quantity != 0
        assert (quantity < 0) == line["order_id"].startswith("R-")
        if quantity > 0:
            bought[line["customer_id"], line["sku"]].append((moment, quantity))
        else:
            returns.append((line["customer_id"], line["sku"], moment, quantity))
    assert 0.015 < len(returns) / len(rows["purchases"]) < 0.05
    for customer_id, sku, moment, quantity in returns:
        earlier = [q for at, q in bought[customer_id, sku] if at < moment]
        assert earlier, (customer_id, sku)
        assert -quantity <= max(earlier)


def test_customers_rebuy_consumables_at_their_own_pace(rows: Rows) -> None:
    orders: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for line in rows["purchases"]:
        if int(line["quantity"]) > 0:
            orders[line["customer_id"], line["sku"]].add(line["order_id"])
    repeats = Counter(sku for (_, sku), ids in orders.items() if len(ids) > 1)
    assert sum(repeats.values()) >= 100
    assert repeats["COF-011"] >= 10  # coffee beans come back every few weeks


def test_complements_are_bought_together(rows: Rows) -> None:
    baskets: defaultdict[str, set[str]] = defaultdict(set)
    for line in rows["purchases"]:
        baskets[line["order_id"]].add(line["sku"])
    pairs = (("KIT-001", "KIT-002"), ("COF-002", "COF-003"), ("FTW-006", "FTW-009"))
    for anchor, complement in pairs:
        with_anchor = [b for b in baskets.values() if anchor in b]
        together = sum(complement in b for b in with_anchor)
        assert together >= 3, (anchor, complement)
        assert together / len(with_anchor) >= 0.3, (anchor, complement)
