"""Write development sets' questions, as the intent classifier reads them, into the bank.

    .venv/bin/python scripts/dev_bank.py

The bank's own paraphrases were written knowing the capabilities' wording; the development
sets (bench/data, see bench/README.md) were written by people who never saw it, each for a
store of their own. Their questions teach the model the phrasings real writers use. For each
set in TRAINED, its store is imported with the real `clienteling import` (the demo store for
the first two), every question is asked through the real assistant in a conversation of its
own, and the text the classifier is given first is recorded: the question with the customer's
name masked as X, as at run time. Questions a rule answers before the classifier (greetings,
help, a bare name) give none. Written to bot/core/data/intent_bank/dev_sets.toml, a table per
capability (out_of_scope is the intent `unknown`) and a list per language.

Measured before adding them (2026-12-01): each of ten development sets classified by a model
fitted on the bank and the other nine, against the bank alone: 95.7 % and 95.4 % of the
classifier's first choices right (with the character n-grams). dev9-dev12 joined them on
2026-12-01 (eighth session), when dev13-dev15 were written: those stay out (UNTRAINED) so that
the full pipeline is still measured on sets it never learnt from; dev16-dev18 joined on
2026-12-01 (ninth session); dev19 stays out with dev13-dev15. dev20 and dev21 (notes-heavy,
read) were tried in it too: the measure sets stayed where they were (90.9 → 90.8 %) and two
phrasings of the intent tests went wrong, so they are left out for now; tried again with dev23
and dev24 (tenth session), the measure sets were no better (bench/README.md). dev22 joined the
measure sets (understanding_bench.MEASURE_SETS). dev25-dev27 (read) and dev28-dev29 (kept
unread; four of their short questions are also in the bank) are not in it (eleventh session: a
refit with the bank as today's rules write it measured worse and was dropped). The held-out sets
under tests/data are never read here. Run scripts/train_intents.py after it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import understanding_bench as bench  # noqa: E402

from bot.core import understanding  # noqa: E402
from bot.core.text import strip_accents  # noqa: E402
from bot.core.types import Caller  # noqa: E402

DATA = ROOT / "bench" / "data"
# Set → its questions and its store (None: the demo store).
TRAINED: dict[str, tuple[Path, Path | None]] = {
    "dev1": (DATA / "dev_questions.jsonl", None),
    "dev2": (DATA / "dev2_questions.jsonl", None),
    **{
        f"dev{n}": (DATA / f"dev{n}" / "questions.jsonl", DATA / f"dev{n}" / "store")
        for n in (*range(3, 13), 16, 17, 18)
    },
}
UNTRAINED = bench.MEASURE_SETS
# Read only to leave out a development question that is also one of theirs (short, common
# questions two writers both wrote: "wer hat diese Woche Geburtstag?"); never printed.
HELD_OUT = [ROOT / "tests" / "data" / name / "questions.jsonl" for name in ("heldout", "heldout2")]
MEASURED = HELD_OUT + [DATA / name / "questions.jsonl" for name in UNTRAINED]
# "When was she last in?" is answered with her last order and its date (history), as most
# development sets' writers labelled it; two writers labelled it her profile. Their questions
# are learnt as history, so the model does not learn both readings of one question.
LAST_VISIT = {
    "dev3": ("f062", "f184", "f236", "f246", "f250"),
    "dev4": ("g109", "g178", "g249", "g320"),
}
OUT = ROOT / "bot" / "core" / "data" / "intent_bank" / "dev_sets.toml"


def classified(questions: Path, store: Path | None, work: Path) -> list[tuple[str, str, str, str]]:
    """Return (capability, language, masked text, question) for each question of a set that
    reaches the classifier, asked on its store built in `work`."""
    from bot.settings import Settings
    from bot.wiring import build_assistant

    data = work / "data"
    data.mkdir(parents=True)
    if store is None:
        bench.run(["demo", "--build-only"], data, None)
    for kind in bench.IMPORT_ORDER if store is not None else ():
        if (store / f"{kind}.csv").exists():
            bench.run(["import", kind, str(store / f"{kind}.csv")], data, None)
    os.environ.update(DATA_DIR=str(data), LLM_MODEL="", TELEGRAM_BOT_TOKEN="")
    assistant = build_assistant(Settings())
    seen: list[str] = []
    classify = understanding._classify

    def recording(classifier, masked):  # type: ignore[no-untyped-def]
        seen.append(masked)
        return classify(classifier, masked)

    found = []
    relabelled = set(LAST_VISIT.get(questions.parent.name, ()))
    understanding._classify = recording
    try:
        for q in bench.load_questions(questions):
            seen.clear()
            assistant.answer(Caller.local_admin(), q["text"], f"bank:{q['id']}")
            if seen:
                capability = "history" if q["id"] in relabelled else q["capability"]
                found.append((capability, q["language"], seen[0], q["text"]))
    finally:
        understanding._classify = classify
    return found


def toml_string(text: str) -> str:
    """Return `text` as a TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'


def normal(text: str) -> str:
    """Return a question folded for comparison: no case, accents or question marks."""
    return " ".join(strip_accents(text).replace("?", " ").split())


def main() -> None:
    """Ask every trained set's questions and write the bank file."""
    held_out = {normal(q["text"]) for path in MEASURED for q in bench.load_questions(path)}
    by_capability: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, (questions, store) in TRAINED.items():
        with tempfile.TemporaryDirectory() as tmp:
            rows = classified(questions, store, Path(tmp))
        # Left out when the question, or the text the classifier reads (its name masked, its
        # Greeklish in Greek letters), is one of theirs.
        kept = [
            (c, lang, t)
            for c, lang, t, asked in rows
            if normal(asked) not in held_out and normal(t) not in held_out
        ]
        for capability, language, text in kept:
            by_capability[capability][language].append(text)
        print(f"{name}: {len(kept)} questions ({len(rows) - len(kept)} also measured, left out)")
    lines = [
        "# The development sets' questions (bench/data: " + ", ".join(TRAINED) + ")",
        "# as the classifier reads them, the customer masked as X. Written by",
        "# scripts/dev_bank.py; not edited by hand. " + ", ".join(UNTRAINED) + " and the",
        "# held-out sets are not in it.",
    ]
    for capability in sorted(by_capability):
        lines.append(f"\n[{capability}]")
        for language in sorted(by_capability[capability]):
            texts = list(dict.fromkeys(by_capability[capability][language]))
            lines.append(f"{language} = [")
            lines.extend(f"    {toml_string(t)}," for t in texts)
            lines.append("]")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
