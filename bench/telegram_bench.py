"""Benchmark reply latency of the real Telegram bot against the fake Bot API on 127.0.0.1.

    .venv/bin/python bench/telegram_bench.py [--questions N] [--work DIR] [--seed S] [--rebuild]

Builds the demo store once (`clienteling demo --build-only` into <work>/demo, reused), copies it
to <work>/run for each run, registers one associate (`clienteling associates add`), starts the
fake Bot API (tests/telegram_fake.py) in this process and `clienteling run` as a child process
polling it, exactly as in production but for the Telegram address.

Then one associate asks N questions (default 120) one at a time, each after the previous reply:
little conversations about demo customers (who is…, sizes, last purchases, what to show them,
a follow-up with "she"/"he" where the session must carry the customer), product tips, notes,
and questions in Spanish, Turkish and German. Latency is measured from the moment the update is
queued in the fake to the moment the fake receives the bot's sendMessage: it includes the long
poll wake-up, PTB, the assistant, the database and the HTTP round trip, which is what the
associate waits for, minus Telegram's own network. p50/p95/max are printed, overall and by kind.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.telegram_fake import FakeBotAPI, bot_env  # noqa: E402

CLIENTELING = Path(sys.executable).with_name("clienteling")
ASSOCIATE = 1001
STARTUP = 120.0
REPLY = 60.0


@dataclass(frozen=True)
class Question:
    """One message to send, and what kind of question it is (for the breakdown)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Sample:
    """One question's measured reply."""

    kind: str
    text: str
    seconds: float
    reply: str


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=120, metavar="N")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "telegram")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="build the demo store again")
    args = parser.parse_args(argv)

    pristine = args.work / "demo" / "data"
    if args.rebuild or not (pristine / "clienteling.db").exists():
        shutil.rmtree(pristine.parent, ignore_errors=True)
        pristine.parent.mkdir(parents=True)
        started = time.monotonic()
        clienteling("demo", "--build-only", data_dir=pristine)
        print(f"demo store built in {time.monotonic() - started:.1f} s")
    # A fresh copy each run: the bot writes notes, answer logs and handled update ids.
    data_dir = args.work / "run" / "data"
    shutil.rmtree(data_dir.parent, ignore_errors=True)
    shutil.copytree(pristine, data_dir)
    clienteling(
        "associates",
        "add",
        *("--telegram-id", str(ASSOCIATE), "--name", "Bench Associate", "--role", "associate"),
        data_dir=data_dir,
    )
    questions = make_questions(data_dir / "clienteling.db", args.questions, args.seed)

    with FakeBotAPI() as api:
        log_path = data_dir.parent / "bot.log"
        started = time.monotonic()
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [str(CLIENTELING), "run"],
                env=bot_env(data_dir, api),
                cwd=data_dir.parent,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_polling(api, proc, started, log_path)
            startup = time.monotonic() - started
            samples = [ask(api, q) for q in questions]
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        errors = [c for c in api.calls() if c.status != 200 and c.method != "getUpdates"]

    report(samples, startup, errors=len(errors), log_path=log_path)
    return 0


def clienteling(*args: str, data_dir: Path) -> None:
    """Run one `clienteling` command over a store, failing loudly."""
    done = subprocess.run(
        [str(CLIENTELING), *args],
        env=bot_env(data_dir, None),
        cwd=data_dir.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"clienteling {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def wait_until_polling(
    api: FakeBotAPI, proc: subprocess.Popen[bytes], started: float, log_path: Path
) -> None:
    """Wait until the bot long-polls the fake; exit with its log if it dies or hangs."""
    while True:
        try:
            api.wait_for_poll(0.5, started_after=started)
            return
        except TimeoutError:
            if proc.poll() is not None or time.monotonic() - started > STARTUP:
                sys.exit(f"the bot did not start:\n{log_path.read_text(errors='replace')}")


def ask(api: FakeBotAPI, question: Question) -> Sample:
    """Send one question and wait for the reply; time it on the fake's clock."""
    before = len(api.sent(ASSOCIATE))
    # Only ask once the bot is idle in a long poll, as a real associate's message would find it.
    api.wait_for_poll(REPLY)
    queued = time.monotonic()
    api.push_text(ASSOCIATE, question.text, first_name="Bench")
    reply = api.wait_for_messages(before + 1, REPLY, chat_id=ASSOCIATE)[before]
    return Sample(question.kind, question.text, reply["received_at"] - queued, reply["plain_text"])


def make_questions(database: Path, n: int, seed: int) -> list[Question]:
    """Little conversations about real demo customers and products, in several languages."""
    rng = random.Random(seed)
    with sqlite3.connect(database) as db:
        customers = [
            f"{first} {last}"
            for first, last in db.execute(
                "SELECT first_name, last_name FROM customer "
                "WHERE first_name IS NOT NULL AND last_name IS NOT NULL ORDER BY customer_id"
            )
        ]
        products = [name for (name,) in db.execute("SELECT name FROM product ORDER BY sku")]
    questions: list[Question] = []
    while len(questions) < n:
        name = rng.choice(customers)
        first = name.split()[0]
        product = rng.choice(products)
        conversation = [
            Question("who is", f"who is {name}?"),
            Question("follow-up", "what are their sizes?"),
            Question("last purchases", f"what did {first} buy last time?"),
            Question("recommend", f"{first} is here, what should I show them?"),
            Question("tips", f"tips for selling the {product}?"),
        ]
        extra = rng.choice(
            [
                Question("es", f"¿quién es {name}?"),
                Question("tr", f"{name} en son ne aldı?"),
                Question("de", f"Was hat {name} zuletzt gekauft?"),
                Question("note", f"note for {name}: asked about gift wrapping"),
                Question("purchases in year", f"what did {name} buy in 2025?"),
            ]
        )
        questions += [*conversation[: rng.randint(2, 5)], extra]
    return questions[:n]


def report(samples: list[Sample], startup: float, *, errors: int, log_path: Path) -> None:
    """Print the latency figures, overall and by kind."""
    times = [s.seconds for s in samples]
    failed = [s for s in samples if "something went wrong" in s.reply.lower()]
    print(f"bot start to first long poll: {startup:.1f} s")
    print(f"{len(samples)} questions, {len(failed)} failed replies, {errors} Bot API errors")
    print(f"{'kind':<18}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    by_kind: dict[str, list[float]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample.seconds)
    for kind, values in [("all", times), *sorted(by_kind.items())]:
        ms = [percentile(values, 50) * 1e3, percentile(values, 95) * 1e3, max(values) * 1e3]
        print(f"{kind:<18}{len(values):>5}" + "".join(f"{v:>10.1f}" for v in ms))
    slowest = max(samples, key=lambda s: s.seconds)
    print(f"slowest: {slowest.seconds * 1e3:.0f} ms for {slowest.text!r} ({slowest.kind})")
    print(f"first question: {samples[0].seconds * 1e3:.0f} ms ({samples[0].text!r})")
    print(f"bot log: {log_path}")


def percentile(values: list[float], q: int) -> float:
    """The q-th percentile (inclusive method; the value itself for one sample)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


if __name__ == "__main__":
    sys.exit(main())
