"""Record the assistant's answers to a fixed set of questions, and compare two recordings.

    .venv/bin/python bench/compare_answers.py record OUT.jsonl [--src DIR] [--work DIR]
    .venv/bin/python bench/compare_answers.py diff BEFORE.jsonl AFTER.jsonl

For a restructuring that must change no answer: record with the code before (`--src` a copy of
`bot/`, `knowledge/` and `storage/` from a commit, e.g. `git archive COMMIT bot knowledge storage
| tar -x -C DIR`), record with the code after, and diff. The questions are the README's examples
(one conversation, in order) and the Telegram bench's 120 little conversations about demo
customers and products in several languages (`telegram_bench.make_questions`, seed 7), asked
through the real `clienteling ask --batch --json` on a fresh copy of the demo store. Every
field of `ask --json` is compared except the time an answer took.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.telegram_bench import CLIENTELING, make_questions  # noqa: E402
from tests.telegram_fake import bot_env  # noqa: E402

TIMING_FIELDS = {"ms", "elapsed_ms"}


def readme_examples() -> list[str]:
    """Return the README's example questions, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- examples: start -->")[1].split("<!-- examples: end -->")[0]
    return re.findall(r"^- `(.+)`$", block, flags=re.MULTILINE)


def run(args: list[str], data_dir: Path, src: Path | None) -> str:
    """Run `clienteling` on a store (from `src` when given) and return its output."""
    env = bot_env(data_dir, None) | {"OMP_NUM_THREADS": "1"}
    if src is not None:
        env["PYTHONPATH"] = str(src.resolve())
    done = subprocess.run(
        [str(CLIENTELING), *args],
        env=env,
        cwd=data_dir.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"clienteling {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def record(out: Path, work: Path, src: Path | None) -> None:
    """Build the demo store (with the code under test), ask every question, write the replies."""
    work = work.resolve()
    store = work / "data"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    run(["demo", "--build-only"], store, src)
    batch = work / "questions.jsonl"
    items: list[dict[str, Any]] = [
        {"id": f"readme-{i}", "question": q, "session": "readme"}
        for i, q in enumerate(readme_examples(), 1)
    ]
    for i, question in enumerate(make_questions(store / "clienteling.db", 120, 7), 1):
        session = "tg" if question.kind != "who is" else f"tg-{i}"
        items.append({"id": f"tg-{i}", "question": question.text, "session": session})
    batch.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items))
    output = run(["ask", "--batch", str(batch), "--json"], store, src)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(output, encoding="utf-8")
    print(f"{len(output.splitlines())} answers recorded in {out}")


def _answers(path: Path) -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return {str(r["id"]): {k: v for k, v in r.items() if k not in TIMING_FIELDS} for r in rows}


def diff(before: Path, after: Path) -> int:
    """Print every answer that differs; return the number of differences."""
    old, new = _answers(before), _answers(after)
    changed = 0
    for key in sorted(old.keys() | new.keys()):
        if old.get(key) != new.get(key):
            changed += 1
            print(f"--- {key}\n  before: {old.get(key)}\n  after:  {new.get(key)}")
    print(f"{len(old)} answers before, {len(new)} after, {changed} different")
    return changed


def main(argv: list[str] | None = None) -> int:
    """Record or compare answers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("out", type=Path)
    rec.add_argument("--src", type=Path, default=None)
    rec.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "compare")
    dif = sub.add_parser("diff")
    dif.add_argument("before", type=Path)
    dif.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "record":
        record(args.out, args.work, args.src)
        return 0
    return 1 if diff(args.before, args.after) else 0


if __name__ == "__main__":
    sys.exit(main())
