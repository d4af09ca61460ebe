"""What recording the audit trail costs an answer, on the store `bench/ask_bench.py` builds
(50,000 customers, 1,000,000 purchase lines; run that first: it writes the questions too).

    .venv/bin/python bench/audit_bench.py [--out bench/out/ask-50k] [--writes 400] [--passes 4]

1. The write transaction every answer makes anyway (the chat's context, saved by
   `Assistant._remember`), alone and with the audit entries of an answer about one customer
   (one INSERT) and of a "which one?" of five candidates (five), interleaved, `--writes` times
   each: median and p95 in ms.
2. The ask_bench questions answered in this process, pinned to one core (`--cpu`), with the
   recording on and off (`bot.core.audit.record_reply` swapped for a no-op) in passes ordered
   on, off, off, on (…), each from fresh conversations: median and p95 of the answers' time per
   setting.

What it writes (conversations, the batch's notes, audit entries) is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, delete  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

PREFIX = "bench:"  # ask_bench's sessions
WRITES_KEY = "bench:audit-writes"


def percentile(values: Sequence[float], q: float) -> float:
    """Return the nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def figures(values: Sequence[float]) -> str:
    return (
        f"median {statistics.median(values):6.2f} ms, p95 {percentile(values, 95):6.2f} ms, "
        f"mean {statistics.mean(values):6.2f} ms"
    )


def clean(engine: Engine) -> None:
    """Forget the bench's conversations, the notes its batch wrote and its audit entries."""
    from storage.models import AuditEntry, Conversation, Note

    with Session(engine) as db:
        db.exec(delete(Conversation).where(col(Conversation.key).startswith(PREFIX)))
        db.exec(delete(Note).where(col(Note.author) == "console"))
        db.exec(delete(AuditEntry).where(col(AuditEntry.associate_name) == "console"))
        db.commit()


def time_writes(engine: Engine, writes: int) -> None:
    """Part 1: the context's write transaction with 0, 1 and 5 audit entries."""
    from bot.core import audit
    from bot.core.types import Caller, Intent, Option, Reply
    from storage.conversations import save_conversation
    from storage.db import run_write
    from storage.models import Conversation, Customer

    with Session(engine) as db:
        ids = list(db.exec(select(Customer.customer_id).limit(5)).all())
    caller = Caller.local_admin()
    variants: dict[str, Reply | None] = {
        "context alone": None,
        "+ 1 entry (an overview)": Reply(
            text="", intent=Intent.overview, customer_id=ids[0], sources=[f"customer {ids[0]}"]
        ),
        "+ 5 entries (a which one?)": Reply(
            text="",
            intent=Intent.clarify,
            options=[Option(cid, Intent.overview, cid) for cid in ids],
        ),
    }

    def write(reply: Reply | None) -> Callable[[Session], None]:
        def work(db: Session) -> None:
            if reply is not None:
                audit.record_reply(db, caller, reply)
            save_conversation(session=db, conversation=Conversation(key=WRITES_KEY, sku="x"))

        return work

    times: dict[str, list[float]] = {label: [] for label in variants}
    labels = list(variants)
    for i in range(writes):
        for label in labels[i % 3 :] + labels[: i % 3]:  # each first in turn
            started = time.perf_counter()
            run_write(engine, write(variants[label]))
            times[label].append((time.perf_counter() - started) * 1000)
    print(f"\n1. the answer's write transaction ({writes} each, interleaved):")
    for label, values in times.items():
        print(f"  {label:<28} {figures(values)}")


def time_answers(out: Path, engine: Engine, passes: int) -> None:
    """Part 2: the batch's questions with the recording on and off, alternating passes."""
    from bot.core import audit
    from bot.core.types import Caller
    from bot.settings import Settings
    from bot.wiring import build_assistant
    from storage.models import AuditEntry

    settings = Settings(
        _env_file=None, DATA_DIR=out / "data", LLM_MODEL="", CHROMA_URL="", DATABASE_URL=""
    )
    assistant = build_assistant(settings, engine=engine)
    questions = [
        json.loads(line)
        for line in (out / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    caller = Caller.local_admin()
    recording = audit.record_reply

    def not_recording(_db: Session, _caller: Caller, _reply: object) -> int:
        return 0

    # A whole warm-up pass (the embedding cache, names, SQLite's pages), not counted.
    for q in questions:
        assistant.answer(caller, q["question"], q["session"])
    clean(engine)
    elapsed: dict[bool, list[float]] = {True: [], False: []}
    for number in range(passes):
        on = number % 4 in (0, 3)  # on, off, off, on: a drift over the passes cancels out
        audit.record_reply = recording if on else not_recording  # type: ignore[assignment]
        this: list[float] = []
        for q in questions:
            started = time.perf_counter()
            assistant.answer(caller, q["question"], q["session"])
            this.append((time.perf_counter() - started) * 1000)
        with Session(engine) as db:
            entries = len(db.exec(select(AuditEntry.id)).all())
        clean(engine)
        elapsed[on] += this
        print(
            f"  pass {number + 1} recording {'on ' if on else 'off'}: {len(this)} answers, "
            f"{figures(this)}; {entries} audit entries written (notes write theirs in both)"
        )
    audit.record_reply = recording  # type: ignore[assignment]
    print("\n2. answers, pooled over the passes:")
    for on in (True, False):
        print(
            f"  recording {'on ' if on else 'off'} ({len(elapsed[on])} answers): "
            + figures(elapsed[on])
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Print both parts' figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "ask-50k")
    parser.add_argument("--writes", type=int, default=400, help="write transactions per setting")
    parser.add_argument("--passes", type=int, default=4, help="answer passes: on, off, off, on…")
    parser.add_argument("--cpu", type=int, default=0, help="the core to pin to")
    args = parser.parse_args(argv)
    os.sched_setaffinity(0, {args.cpu})
    os.environ["OMP_NUM_THREADS"] = "1"  # before the e5 engine loads, as ask_bench's run
    from bot.settings import Settings
    from bot.wiring import open_database

    data = args.out / "data"
    if not (data / "clienteling.db").exists() or not (args.out / "questions.jsonl").exists():
        print(f"no store in {args.out}: run bench/ask_bench.py --out {args.out} first")
        return 1
    engine = open_database(Settings(_env_file=None, DATA_DIR=data, DATABASE_URL=""))
    print(f"store: {data}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    clean(engine)
    try:
        time_writes(engine, args.writes)
        print(
            f"\n2. answers ({args.passes} passes, recording on, off, off, on…, core {args.cpu}):"
        )
        time_answers(args.out, engine, args.passes)
    finally:
        clean(engine)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
