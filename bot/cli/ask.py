"""`clienteling ask`: one question, or a batch of them, answered as in any chat."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from bot.cli.associates import reply_language
from bot.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, caller_named
from bot.core.assistant import timed_answer
from bot.core.types import Caller, Reply
from bot.settings import Settings
from bot.transports.console import render_plain
from bot.wiring import build_assistant, open_database


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parser."""
    parser = sub.add_parser(
        "ask",
        help="ask the assistant one question (or a batch)",
        description='Ask in your own words and language, e.g. "what did Maria buy last time?"',
    )
    parser.add_argument("question", nargs="?", metavar="QUESTION")
    parser.add_argument("--as", dest="as_", metavar="ASSOCIATE", help="name or Telegram id")
    parser.add_argument(
        "--session",
        metavar="KEY",
        help="continue the conversation KEY (a follow-up such as 'and her sizes?'); without it "
        "each question is a conversation of its own",
    )
    parser.add_argument("--json", action="store_true", help="print the structured reply as JSON")
    parser.add_argument(
        "--lang",
        metavar="CODE",
        help="reply language when the question's own can't be told (de, el, en, es, tr)",
    )
    parser.add_argument(
        "--batch", type=Path, metavar="FILE.jsonl", help='lines of {"id", "question", ...}'
    )
    parser.set_defaults(run=ask)


def ask(settings: Settings, args: argparse.Namespace) -> int:
    """Answer a QUESTION, or every line of --batch FILE.jsonl."""
    if (args.question is None) == (args.batch is None):
        print("error: give a QUESTION or --batch FILE.jsonl (not both)", file=sys.stderr)
        return EXIT_USAGE
    language = None
    if args.lang is not None and (language := reply_language(args.lang)) is None:
        return EXIT_USAGE
    engine = open_database(settings)
    try:
        default_caller = caller_speaking(engine, args.as_, language)
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.batch is not None:
        return _ask_batch(settings, engine, args.batch, default_caller, language)
    assistant = build_assistant(settings, engine=engine)
    session = args.session or f"cli:{uuid.uuid4().hex}"
    reply, elapsed = timed_answer(assistant, default_caller, args.question, session)
    if args.json:
        print(json.dumps(_reply_json(None, reply, elapsed), ensure_ascii=False))
    else:
        # One answer: its follow-ups can't be pressed here, so they are listed, not numbered.
        print(render_plain(reply, numbered=False))
    return EXIT_OK


def caller_speaking(engine: Engine, who: str | None, language: str | None = None) -> Caller:
    """Return the associate named by --as (with their preferred reply language), or the local
    admin; `language` (--lang), when given, is the preference instead. LookupError for an
    unknown associate."""
    caller = caller_named(engine, who)  # with the associate's stored language
    return dataclasses.replace(caller, language=language) if language else caller


def _reply_json(line_id: Any, reply: Reply, elapsed: float) -> dict[str, Any]:
    data: dict[str, Any] = {} if line_id is None else {"id": line_id}
    data.update(
        answer=reply.text,
        customer_id=reply.customer_id,
        skus=reply.skus,
        tip_ids=reply.tip_ids,
        intent=str(reply.intent),
        elapsed_ms=round(elapsed, 2),
        options=reply.labels,
        sources=reply.sources,
    )
    if reply.notice:
        data["notice"] = reply.notice
    return data


def _ask_batch(
    settings: Settings, engine: Engine, path: Path, default: Caller, language: str | None
) -> int:
    """Answer every line of a JSONL file in order, one JSON object a line out."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {path}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    requests: list[dict[str, Any]] = []
    problems = []
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not JSON: {exc.msg}")
            continue
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            problems.append(f'line {number}: question: a string "question" is required')
            continue
        item.setdefault("id", number)
        requests.append(item)
    if problems:
        print(
            f"error: {path}: nothing was answered:\n" + "\n".join(problems[:50]), file=sys.stderr
        )
        return EXIT_FAILED
    callers: dict[str | None, Caller] = {None: default}
    for item in requests:
        who = item.get("as")
        if who is not None and str(who) not in callers:
            try:
                callers[str(who)] = caller_speaking(engine, str(who), language)
            except LookupError as exc:
                print(f"error: {path}: id {item['id']}: {exc}", file=sys.stderr)
                return EXIT_FAILED
    assistant = build_assistant(settings, engine=engine)
    for item in requests:
        who = item.get("as")
        caller = callers[str(who) if who is not None else None]
        session = str(item.get("session") or f"batch:{item['id']}")
        reply, elapsed = timed_answer(assistant, caller, item["question"], session)
        print(json.dumps(_reply_json(item["id"], reply, elapsed), ensure_ascii=False), flush=True)
    return EXIT_OK
