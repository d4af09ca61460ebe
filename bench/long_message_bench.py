"""What a long paste costs against a short question, on the demo store.

    .venv/bin/python bench/long_message_bench.py [--n 20]

Asks N different short customer questions, then the same questions each followed by about
4,000 characters of pasted text (different every time, so nothing comes from the cache),
through the real `clienteling ask --batch --json` on a fresh
demo store, and prints the median and maximum `elapsed_ms` of each. The assistant reads a
message's first `MAX_READ_CHARS` characters only, so the two should cost about the same.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLIENTELING = ROOT / ".venv" / "bin" / "clienteling"
TEMPLATES = (
    "who is {}?",
    "what did {} buy last time?",
    "¿qué le recomiendo a {}?",
    "Was hat {} 2025 gekauft?",
    "{} kasada, bedenleri ne?",
)
NAMES = ("María López", "Hiroshi Tanaka", "Çağla Yılmaz", "Nikos Papadopoulos")
# Every question differs, so none is answered from the embedding cache.
QUESTIONS = tuple(t.format(n) for t in TEMPLATES for n in NAMES)
# A pasted e-mail thread: ordinary words, a few names and numbers; {} makes each one differ.
PASTE = (
    "Forwarded message {}: hi team, the delivery for order 48213 arrives Thursday between 9 and "
    "11, please check the pallets against the list and call the carrier if anything is "
    "missing. Thanks, Sam. "
) * 22


def main() -> None:
    """Measure and print the two medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=len(QUESTIONS), help="questions of each length")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(data), "OMP_NUM_THREADS": "1"}
        subprocess.run(
            [str(CLIENTELING), "demo", "--build-only"], env=env, check=True, capture_output=True
        )
        batch = Path(tmp) / "batch.jsonl"
        lines = []
        for i in range(args.n):
            question = QUESTIONS[i % len(QUESTIONS)]
            lines.append({"id": f"short-{i}", "question": question, "session": f"s{i}"})
            lines.append(
                {"id": f"long-{i}", "question": f"{question} {PASTE}", "session": f"l{i}"}
            )
        batch.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
        done = subprocess.run(
            [str(CLIENTELING), "ask", "--batch", str(batch), "--json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    replies = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    for kind in ("short", "long"):
        ms = [r["elapsed_ms"] for r in replies if str(r["id"]).startswith(kind)]
        print(
            f"{kind:5} n={len(ms):3}  median {statistics.median(ms):6.1f} ms"
            f"  max {max(ms):6.1f} ms"
        )
    same = sum(
        (r["intent"], r["customer_id"]) == (s["intent"], s["customer_id"])
        for r in replies
        if str(r["id"]).startswith("long")
        for s in replies
        if s["id"] == str(r["id"]).replace("long", "short")
    )
    print(f"paste length: {len(PASTE):,} characters; {same}/{args.n} long replies as the short")


if __name__ == "__main__":
    sys.exit(main())
