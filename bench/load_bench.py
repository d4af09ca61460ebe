"""Load-test the real Telegram bot with many associates at once, on SQLite and PostgreSQL.

    .venv/bin/python bench/load_bench.py [--levels 1,5,10,20,40] [--seconds 20]
        [--postgres URL] [--db sqlite|postgres|both] [--pg-schema load_bench]
        [--import-lines 300000] [--import-associates 10] [--reply-timeout 30] [--work DIR]
        [--src DIR] [--seed S] [--rebuild]

Per database, the demo store is loaded, one `clienteling run` child process is started against
the fake Bot API of tests/telegram_fake.py on 127.0.0.1 (as in bench/telegram_bench.py), and it
stays up for every phase below; the fake is closed and the bot terminated whatever happens.

- SQLite: the demo store is built once (`clienteling demo --build-only` into
  <work>/sqlite-demo/data, reused unless --rebuild) and copied to <work>/sqlite/data each run.
- PostgreSQL (`--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test`): the schema
  `--pg-schema` (default load_bench, so nothing else in that database is touched; `public`
  works too) is dropped and created again, and the demo store is built into it with
  `clienteling demo --build-only` and DATABASE_URL pointing at it (the URL carries
  `options=-csearch_path=SCHEMA`); the tips' Chroma directory lives in <work>/postgres/data.

Associates are registered with `clienteling associates add` (Telegram ids 5001, 5002, ...),
each in their own private chat. Every phase runs N associates at once, each in a closed loop:
send a message, wait for the bot's reply in that chat, send the next at once. Messages are a
seeded mix about the demo store's own customers and products (taken from its CSVs): who is…,
what did they buy last time, what should I show them, their sizes (a follow-up), tips for a
product, questions in Spanish, Turkish and German, and about one in five a note
("note for NAME: …", which writes).

1. Levels (`--levels`, default 1,5,10,20,40), each for `--seconds` (20): only messages sent in
   that window count; replies still owed at its end are awaited (up to the reply timeout).
2. Import alongside (`--import-lines`, default 300,000; 0 skips it): while
   `--import-associates` (10) associates ask continuously, `clienteling import purchases FILE`
   runs as a separate process on a generated file of that many lines (existing demo customer
   ids and skus, order ids LOAD-… that the demo never uses). Its exit code, wall time and last
   output lines are printed, with the associates' figures for the messages sent while it ran.

Latency is measured from just before the update is queued in the fake to the moment the fake
receives the bot's sendMessage in that chat (time.monotonic on both sides, one process). A
message FAILS when its reply contains "Sorry" (the bot's "Sorry, something went wrong…"), when
it is the refusal strangers get, or when no reply comes within `--reply-timeout` (30 s).
p50/p95/max are over every reply received, failed ones included (what the associate waited
for); timeouts have no latency. "bot errors" counts the bot log's "update N failed" lines in the
phase; the most common exception lines in the bot log are printed per database.

One sendMessage in the chat is taken as the reply to the oldest unanswered message: the bot
answers each chat's messages in order with one message each (a reply over 4,096 characters
would be split, which the demo's replies never are). After a timeout the associate waits for the
late reply before sending again, so replies stay paired with their messages.

The raw samples go to <work>/samples-<time>.csv (<work> defaults to bench/out/load, which git
ignores). `--src DIR` runs every `clienteling` child from another copy of the code (bot/,
knowledge/, storage/ under DIR, put first on PYTHONPATH), e.g. a `git archive` of a commit, so
one run measures one state of the code while the working tree changes. The bench process
itself (the fake and one thread per associate) shares the machine's cores with the bot.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import astuple, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.telegram_bench import CLIENTELING, percentile, wait_until_polling  # noqa: E402
from tests.telegram_fake import FakeBotAPI, JSONDict, bot_env  # noqa: E402

FIRST_ASSOCIATE = 5001
SORRY = "Sorry"
REFUSAL = "associates only"
IMPORT_TIMEOUT = 900.0
WARMUP = 2.0  # seconds the associates ask before the import starts, and after it ends
NOTES = (
    "asked about gift wrapping for a birthday",
    "prefers to be called in the afternoon",
    "will come back with her partner on Saturday",
    "interested in the new season colours",
    "looking for a present under 50 euros",
    "kitchen renovation planned for the spring",
    "wants an e-mail when the grinder is back in stock",
    "returned the last pair, too narrow at the toe",
)


@dataclass(frozen=True)
class Target:
    """One database to load: its name, DATA_DIR and DATABASE_URL (None: SQLite in DATA_DIR)."""

    name: str
    data_dir: Path
    url: str | None = None


@dataclass(frozen=True)
class Sample:
    """One message an associate sent, and what came back."""

    db: str
    phase: str
    associate: int
    seq: int
    kind: str
    text: str
    pushed: float  # seconds since the phase started
    seconds: float | None  # None: no reply within the timeout
    status: str  # ok | sorry | refused | timeout
    reply: str

    @property
    def failed(self) -> bool:
        """True unless a proper reply came in time."""
        return self.status != "ok"


@dataclass
class Outcome:
    """One phase's samples and what the bot logged meanwhile."""

    name: str
    associates: int
    samples: list[Sample]
    seconds: float  # the window messages were sent in (replies/s is over it)
    bot_errors: int
    extra: dict[str, Any] = field(default_factory=dict)


class LoadFake(FakeBotAPI):
    """The fake Bot API, plus one inbox queue per associate's chat.

    Forty associates waiting with `wait_until` would each rescan every sent message on every
    request the fake serves; a queue per chat wakes only the associate the message is for.
    """

    def __init__(self, chats: list[int]) -> None:
        super().__init__()
        self._inboxes: dict[int, queue.SimpleQueue[JSONDict]] = {
            chat: queue.SimpleQueue() for chat in chats
        }

    def inbox(self, chat: int) -> queue.SimpleQueue[JSONDict]:
        """The queue the bot's messages to this chat arrive in."""
        return self._inboxes[chat]

    def clear_inboxes(self) -> int:
        """Drop messages nobody waited for; return how many there were."""
        dropped = 0
        for inbox in self._inboxes.values():
            while True:
                try:
                    inbox.get_nowait()
                except queue.Empty:
                    break
                dropped += 1
        return dropped

    def _remember_sent(self, *args: Any, **kwargs: Any) -> JSONDict:
        record: JSONDict = super()._remember_sent(*args, **kwargs)
        inbox = self._inboxes.get(record["chat_id"])
        if inbox is not None:
            inbox.put(record)
        return record


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    args = parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    print(f"code: {code_state(args.src)}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    associates = list(
        range(FIRST_ASSOCIATE, FIRST_ASSOCIATE + max(*args.levels, args.import_associates))
    )
    samples: list[Sample] = []
    reports: list[str] = []
    for db in args.dbs:
        target = prepare(db, args, associates)
        outcomes, errors = drive(target, args, associates)
        samples += [s for o in outcomes for s in o.samples]
        reports.append(report(target, outcomes, errors, args))
    out = args.work / f"samples-{datetime.now():%Y%m%d-%H%M%S}.csv"
    write_samples(out, samples)
    print("\n".join(reports))
    print(f"raw samples: {out}")
    print(f"total time: {time.monotonic() - started:.0f} s")
    print(f"failures: {sum(s.failed for s in samples)}")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line; `dbs` is the list of databases to run."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--levels", default="1,5,10,20,40", help="associates at once, per level")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each level")
    parser.add_argument("--postgres", metavar="URL", help="e.g. postgresql+psycopg://u@host/db")
    parser.add_argument("--pg-schema", default="load_bench", help="schema dropped and rebuilt")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"))
    parser.add_argument("--import-lines", type=int, default=300_000, metavar="N")
    parser.add_argument("--import-associates", type=int, default=10, metavar="N")
    parser.add_argument("--reply-timeout", type=float, default=30.0, metavar="SECONDS")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "load")
    parser.add_argument("--src", type=Path, help="run the clienteling children from this code")
    parser.add_argument(
        "--rate-limit",
        type=float,
        metavar="N",
        help="the bot's TELEGRAM_RATE_LIMIT (messages/s; 0 = none); default: the product's",
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rebuild", action="store_true", help="build the SQLite demo again")
    args = parser.parse_args(argv)
    args.levels = [int(n) for n in args.levels.split(",") if n.strip()]
    if not args.levels or min(args.levels) < 1:
        parser.error("--levels: positive numbers, comma-separated")
    if args.db is None:
        args.db = "both" if args.postgres else "sqlite"
    if args.db != "sqlite" and not args.postgres:
        parser.error(f"--db {args.db} needs --postgres URL")
    args.dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    args.work = args.work.resolve()
    args.src = args.src.resolve() if args.src else None
    return args


def code_state(src: Path | None) -> str:
    """Which code the children run: a --src copy, or the repository's commit and its edits."""
    if src is not None:
        return f"--src {src}"
    git = ["git", "-C", str(ROOT), "--no-optional-locks"]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True)
    edits = [line[3:] for line in status.stdout.splitlines() if line.strip()]
    return f"HEAD {head.stdout.strip()}" + (
        f" + uncommitted edits: {', '.join(edits)}" if edits else ", no uncommitted edits"
    )


# --- stores --------------------------------------------------------------------------------------


def env_for(
    target: Target, api: FakeBotAPI | None, src: Path | None, rate_limit: float | None = None
) -> dict[str, str]:
    """A child's environment: bot_env, plus the PostgreSQL URL, the code copy and the bot's
    send rate limit (TELEGRAM_RATE_LIMIT) when given."""
    env = bot_env(target.data_dir, api)
    if rate_limit is not None:
        env["TELEGRAM_RATE_LIMIT"] = f"{rate_limit:g}"
    if target.url:
        env["DATABASE_URL"] = target.url
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    return env


def cli(target: Target, src: Path | None, *args: str, attempts: int = 3) -> str:
    """Run one `clienteling` command on a store and return its output; exit if it keeps failing."""
    for attempt in range(1, attempts + 1):
        done = subprocess.run(
            [str(CLIENTELING), *args],
            env=env_for(target, None, src),
            cwd=target.data_dir.parent,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode == 0:
            return done.stdout
        if attempt == attempts:
            sys.exit(f"clienteling {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        time.sleep(1.0)
    raise AssertionError("unreachable")


def register(target: Target, src: Path | None, ids: list[int], workers: int) -> None:
    """Register associates with `clienteling associates add`, `workers` commands at a time."""

    def add(telegram_id: int) -> str:
        name = f"Load Associate {telegram_id - FIRST_ASSOCIATE + 1:02d}"
        flags = ["--telegram-id", str(telegram_id), "--name", name, "--role", "associate"]
        return cli(target, src, "associates", "add", *flags)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(add, ids))


def prepare(db: str, args: argparse.Namespace, associates: list[int]) -> Target:
    """Load the demo store for one database and register the associates; return the target."""
    began = time.monotonic()
    if db == "sqlite":
        pristine = Target("sqlite", args.work / "sqlite-demo" / "data")
        marker = pristine.data_dir / "load-bench-associates.txt"
        if args.rebuild or not (pristine.data_dir / "clienteling.db").exists():
            shutil.rmtree(pristine.data_dir.parent, ignore_errors=True)
            pristine.data_dir.mkdir(parents=True)
            cli(pristine, args.src, "demo", "--build-only")
        done = set(marker.read_text().split()) if marker.exists() else set()
        missing = [i for i in associates if str(i) not in done]
        # One at a time: on SQLite, concurrent registrations could fail on the lock.
        register(pristine, args.src, missing, workers=1)
        marker.write_text(" ".join(sorted(done | {str(i) for i in missing})))
        target = Target("sqlite", args.work / "sqlite" / "data")
        shutil.rmtree(target.data_dir.parent, ignore_errors=True)
        shutil.copytree(pristine.data_dir, target.data_dir)
    else:
        url = schema_url(args.postgres, args.pg_schema)
        target = Target("postgres", args.work / "postgres" / "data", url)
        shutil.rmtree(target.data_dir.parent, ignore_errors=True)
        target.data_dir.mkdir(parents=True)
        reset_schema(args.postgres, args.pg_schema)
        cli(target, args.src, "demo", "--build-only")
        register(target, args.src, associates, workers=3)
    print(
        f"{db}: demo store ready with {len(associates)} associates "
        f"in {time.monotonic() - began:.1f} s",
        flush=True,
    )
    return target


def schema_url(url: str, schema: str) -> str:
    """The URL with `options=-csearch_path=SCHEMA`, so every connection works in that schema."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return parsed.render_as_string(hide_password=False)


def reset_schema(url: str, schema: str) -> None:
    """Drop the schema with everything in it and create it empty."""
    from sqlalchemy import create_engine, text

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", schema):
        sys.exit(f"--pg-schema {schema!r}: lower-case letters, digits and _ only")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of one of the demo's CSV files."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- messages ------------------------------------------------------------------------------------


def messages(data_dir: Path, seed: int) -> Iterator[tuple[str, str]]:
    """An endless, seeded mix of (kind, text) about the demo store's customers and products."""
    rng = random.Random(seed)
    demo = data_dir / "demo"
    customers = [
        (r["first_name"], f"{r['first_name']} {r['last_name']}")
        for r in read_csv(demo / "customers.csv")
        if r["first_name"] and r["last_name"]
    ]
    products = [r["name"] for r in read_csv(demo / "products.csv")]
    kinds, weights = list(MESSAGES), [weight for weight, _ in MESSAGES.values()]
    current: tuple[str, str] | None = None
    while True:
        kind = rng.choices(kinds, weights)[0]
        if kind == "follow-up" and current is None:
            kind = "who is"
        if kind != "follow-up":
            current = rng.choice(customers)
        first, name = current or ("", "")
        template = rng.choice(MESSAGES[kind][1])
        text = template.format(
            first=first, name=name, product=rng.choice(products), note=rng.choice(NOTES)
        )
        yield kind, text


# kind: (weight, templates); a follow-up is about the customer of the message before.
MESSAGES: dict[str, tuple[int, tuple[str, ...]]] = {
    "note": (20, ("note for {name}: {note}",)),
    "who is": (13, ("who is {name}?",)),
    "follow-up": (
        10,
        ("what are their sizes?", "and what did they buy last time?", "what should I show them?"),
    ),
    "last time": (12, ("what did {name} buy last time?",)),
    "recommend": (12, ("{first} is here, what should I show them?", "what should I show {name}?")),
    "tips": (12, ("tips for the {product}", "tips for selling the {product}?")),
    "es": (7, ("¿quién es {name}?", "¿qué compró {name} la última vez?")),
    "tr": (7, ("{name} en son ne aldı?", "{name} kimdir?")),
    "de": (7, ("Was hat {name} zuletzt gekauft?", "Tipps für den {product}?")),
}


# --- the bot and the phases ----------------------------------------------------------------------


def drive(
    target: Target, args: argparse.Namespace, associates: list[int]
) -> tuple[list[Outcome], Counter[str]]:
    """Start the bot on a store and run every phase; return the outcomes and its log's errors."""
    log_path = target.data_dir.parent / "bot.log"
    outcomes: list[Outcome] = []
    streams = {
        chat: messages(target.data_dir, args.seed * 1000 + chat - FIRST_ASSOCIATE)
        for chat in associates
    }
    with LoadFake(associates) as api:
        started = time.monotonic()
        with log_path.open("wb") as log:
            bot = subprocess.Popen(
                [str(CLIENTELING), "run"],
                env=env_for(target, api, args.src, args.rate_limit),
                cwd=target.data_dir.parent,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_polling(api, bot, started, log_path)
            print(f"{target.name}: bot polling after {time.monotonic() - started:.1f} s")
            warm_up(api, associates[0], streams[associates[0]], args.reply_timeout)
            for level in args.levels:
                if bot.poll() is not None:
                    print(f"{target.name}: the bot exited ({bot.returncode}); stopping here")
                    break
                outcome = run_level(api, target, associates[:level], streams, args, log_path)
                outcomes.append(outcome)
                print(f"  {row(outcome)}", flush=True)
            if args.import_lines > 0 and bot.poll() is None:
                outcomes.append(
                    run_import(
                        api, target, associates[: args.import_associates], streams, args, log_path
                    )
                )
        finally:
            bot.send_signal(signal.SIGTERM)
            try:
                bot.wait(timeout=30)
            except subprocess.TimeoutExpired:
                bot.kill()
                bot.wait(timeout=10)
    return outcomes, log_exceptions(log_path.read_text(errors="replace"))


def warm_up(api: LoadFake, chat: int, stream: Iterator[tuple[str, str]], timeout: float) -> None:
    """Three messages from one associate, not counted: the first answers load lazy parts."""
    for _ in range(3):
        api.push_text(chat, next(stream)[1], first_name="Load")
        try:
            api.inbox(chat).get(timeout=timeout)
        except queue.Empty:
            break
    api.clear_inboxes()


def run_level(
    api: LoadFake,
    target: Target,
    chats: list[int],
    streams: dict[int, Iterator[tuple[str, str]]],
    args: argparse.Namespace,
    log_path: Path,
) -> Outcome:
    """N associates ask for `--seconds`; return their samples."""
    name = f"level {len(chats)}"
    offset = log_path.stat().st_size
    stop = threading.Event()
    began = time.monotonic()
    threads, samples = start_associates(api, target, name, chats, streams, stop, began, args)
    stop.wait(args.seconds)
    stop.set()
    finish(api, threads, args.reply_timeout)
    return Outcome(name, len(chats), samples, args.seconds, failed_updates(log_path, offset))


def run_import(
    api: LoadFake,
    target: Target,
    chats: list[int],
    streams: dict[int, Iterator[tuple[str, str]]],
    args: argparse.Namespace,
    log_path: Path,
) -> Outcome:
    """`clienteling import purchases` of a generated file while N associates ask."""
    csv_path = args.work / f"purchases-{args.import_lines}.csv"
    write_purchases(target.data_dir / "demo", csv_path, args.import_lines, args.seed)
    import_log = target.data_dir.parent / "import.log"
    offset = log_path.stat().st_size
    stop = threading.Event()
    began = time.monotonic()
    threads, samples = start_associates(
        api, target, "import", chats, streams, stop, began, args, hard_limit=IMPORT_TIMEOUT + 60
    )
    code: int | None = None
    importer: subprocess.Popen[bytes] | None = None
    try:
        stop.wait(WARMUP)
        with import_log.open("wb") as log:
            importer = subprocess.Popen(
                [str(CLIENTELING), "import", "purchases", str(csv_path)],
                env=env_for(target, None, args.src),
                cwd=target.data_dir.parent,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        import_began = time.monotonic()
        with contextlib.suppress(subprocess.TimeoutExpired):
            code = importer.wait(timeout=IMPORT_TIMEOUT)
        import_ended = time.monotonic()
        stop.wait(WARMUP)
    finally:
        if importer is not None and importer.poll() is None:
            importer.kill()
            importer.wait(timeout=10)
        stop.set()
        window = time.monotonic() - began
        finish(api, threads, args.reply_timeout)
    during = [s for s in samples if import_began - began <= s.pushed <= import_ended - began]
    lines = import_log.read_text(errors="replace").strip().splitlines()
    return Outcome(
        "import",
        len(chats),
        samples,
        window,
        failed_updates(log_path, offset),
        extra={
            "code": code,
            "wall": import_ended - import_began,
            "tail": lines[-6:],
            "during": during,
        },
    )


def start_associates(
    api: LoadFake,
    target: Target,
    phase: str,
    chats: list[int],
    streams: dict[int, Iterator[tuple[str, str]]],
    stop: threading.Event,
    began: float,
    args: argparse.Namespace,
    *,
    hard_limit: float | None = None,
) -> tuple[list[threading.Thread], list[Sample]]:
    """Start one closed-loop thread per associate; they append to the returned sample list."""
    samples: list[Sample] = []
    lock = threading.Lock()
    deadline = began + (hard_limit if hard_limit is not None else args.seconds)

    def loop(chat: int) -> None:
        inbox, stream = api.inbox(chat), streams[chat]
        sample = partial(Sample, target.name, phase, chat)
        seq = 0
        while not stop.is_set() and time.monotonic() < deadline:
            kind, text = next(stream)
            seq += 1
            pushed = time.monotonic()
            api.push_text(chat, text, first_name="Load")
            try:
                reply = inbox.get(timeout=args.reply_timeout)
            except queue.Empty:
                with lock:
                    samples.append(sample(seq, kind, text, pushed - began, None, "timeout", ""))
                # The reply is still owed: wait for it (bounded) so the next one pairs up.
                try:
                    inbox.get(timeout=max(deadline + args.reply_timeout - time.monotonic(), 0))
                except queue.Empty:
                    return
                continue
            plain = reply["plain_text"][:200]
            status = "sorry" if SORRY in plain else "refused" if REFUSAL in plain else "ok"
            latency = reply["received_at"] - pushed
            with lock:
                samples.append(sample(seq, kind, text, pushed - began, latency, status, plain))

    threads = [threading.Thread(target=loop, args=(c,), daemon=True) for c in chats]
    for thread in threads:
        thread.start()
    return threads, samples


def finish(api: LoadFake, threads: list[threading.Thread], timeout: float) -> None:
    """Wait for the associates' last replies (bounded), then let the bot settle."""
    limit = time.monotonic() + 2 * timeout + 5
    for thread in threads:
        thread.join(timeout=max(limit - time.monotonic(), 0))
    with contextlib.suppress(TimeoutError):
        api.wait_for_poll(timeout)
    time.sleep(0.5)
    dropped = api.clear_inboxes()
    if dropped:
        print(f"  ({dropped} late message(s) dropped between phases)")


def write_purchases(demo: Path, path: Path, lines: int, seed: int) -> None:
    """Write a purchases CSV of `lines` lines over the demo's customers and skus."""
    rng = random.Random(seed)
    customers = [r["customer_id"] for r in read_csv(demo / "customers.csv")]
    products = [(r["sku"], r["price"] or "10.00") for r in read_csv(demo / "products.csv")]
    start = datetime(2025, 1, 1, 9, tzinfo=UTC)
    written, order = 0, 0
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["order_id", "customer_id", "sku", "quantity", "unit_price", "purchased_at"])
        while written < lines:
            order += 1
            customer = rng.choice(customers)
            at = start + timedelta(seconds=rng.randrange(600 * 86400))
            stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
            for sku, price in rng.sample(products, min(rng.randint(1, 6), lines - written)):
                out.writerow(
                    [f"LOAD-{order:07d}", customer, sku, rng.choice((1, 1, 1, 2, 3)), price, stamp]
                )
                written += 1


# --- the bot's log -------------------------------------------------------------------------------

_FAILED_UPDATE = re.compile(r"ERROR .*update \S+ failed")
_EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Locked)\b.*)$", re.MULTILINE)


def failed_updates(log_path: Path, offset: int) -> int:
    """How many "update N failed" lines the bot logged after `offset`."""
    with log_path.open("rb") as f:
        f.seek(offset)
        text = f.read().decode(errors="replace")
    return len(_FAILED_UPDATE.findall(text))


def log_exceptions(text: str) -> Counter[str]:
    """The final lines of the tracebacks in a log (the exception), counted."""
    return Counter(re.sub(r"\s+", " ", m)[:160] for m in _EXCEPTION.findall(text))


# --- reporting -----------------------------------------------------------------------------------

HEADER = (
    f"{'level':<10}{'associates':>11}{'sent':>7}{'replies':>9}{'failures':>10}{'timeouts':>10}"
    f"{'replies/s':>11}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'bot errors':>12}"
)


def row(
    outcome: Outcome,
    samples: list[Sample] | None = None,
    label: str | None = None,
    seconds: float | None = None,
) -> str:
    """One table line: the phase's (or the given) samples' counts and latencies."""
    samples = outcome.samples if samples is None else samples
    seconds = outcome.seconds if seconds is None else seconds
    times = [s.seconds * 1e3 for s in samples if s.seconds is not None]
    if times:
        p50, p95, worst = (
            f"{percentile(times, 50):.0f}",
            f"{percentile(times, 95):.0f}",
            f"{max(times):.0f}",
        )
    else:
        p50 = p95 = worst = "-"
    rate = len(times) / seconds if seconds else 0.0
    timeouts = sum(s.status == "timeout" for s in samples)
    return (
        f"{label or outcome.name:<10}{outcome.associates:>11}{len(samples):>7}{len(times):>9}"
        f"{sum(s.failed for s in samples):>10}{timeouts:>10}{rate:>11.1f}{p50:>9}{p95:>9}"
        f"{worst:>9}{outcome.bot_errors:>12}"
    )


def report(
    target: Target, outcomes: list[Outcome], errors: Counter[str], args: argparse.Namespace
) -> str:
    """The database's table, the import-alongside figures and the bot log's exceptions."""
    where = re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", target.url or str(target.data_dir))
    lines = ["", f"{target.name.upper()} ({where})", HEADER]
    lines += [row(o) for o in outcomes if o.name != "import"]
    for outcome in (o for o in outcomes if o.name == "import"):
        extra = outcome.extra
        code = "killed (timeout)" if extra["code"] is None else f"exit code {extra['code']}"
        lines += [
            "",
            f"import alongside: `clienteling import purchases` of {args.import_lines:,} lines "
            f"while {outcome.associates} associates ask: {code}, {extra['wall']:.1f} s wall",
            HEADER,
            row(outcome, extra["during"], "during", extra["wall"]),
            row(outcome, label="whole"),
            "import output, last lines:",
            *(f"  | {line}" for line in extra["tail"]),
        ]
    reasons = Counter(s.status for o in outcomes for s in o.samples if s.failed)
    lines.append(
        "failed messages by reason: "
        + (", ".join(f"{k} {v}" for k, v in reasons.most_common()) or "none")
    )
    lines.append("bot log exceptions (most common):" if errors else "bot log exceptions: none")
    lines += [f"  {n:>5} × {text}" for text, n in errors.most_common(5)]
    return "\n".join(lines)


def write_samples(path: Path, samples: list[Sample]) -> None:
    """Write every sample as a CSV row (`pushed` and `seconds` in seconds)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow([column.name for column in fields(Sample)])
        out.writerows(astuple(sample) for sample in samples)


if __name__ == "__main__":
    sys.exit(main())
