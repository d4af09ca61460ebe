"""The `clienteling` command: database, imports, tips, associates and the demo store."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from bot.redaction import install_log_redaction
from bot.settings import Settings
from bot.wiring import build_assistant, embed_products, open_database, open_tips
from knowledge.ingest import TipsFileError, import_tips_csv
from knowledge.tips import count_tips, delete_tip, list_tips
from storage.associates import add_associate, list_associates
from storage.customers import count_rows, get_customer, known_skus
from storage.db import run_write, upgrade, write_session
from storage.importers import KINDS, ImportFailed, import_csv
from storage.recommendations import refresh_signals

if TYPE_CHECKING:
    from bot.assistant import Assistant, Caller, Reply

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
IMPORT_KINDS = (*KINDS, "tips")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    settings = Settings()
    try:
        code: int = args.run(settings, args)
    except KeyboardInterrupt:
        return 130
    except DBAPIError as exc:
        # One line for people, never a traceback (which would also carry SQL).
        print(f"error: {database_problem(exc)}", file=sys.stderr)
        return EXIT_FAILED
    return code


def database_problem(exc: DBAPIError) -> str:
    """Return what went wrong with the database, and what to do, in one line."""
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
    if "locked" in reason or "busy" in reason:
        return (
            f"the database stayed busy ({reason}): another program held its write lock for "
            "too long; try again when the other import or job has finished"
        )
    if exc.connection_invalidated or "connect" in reason.lower():
        return f"cannot reach the database ({reason}): check DATABASE_URL and that it is running"
    return f"the database refused the change ({type(exc.orig).__name__}: {reason})"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clienteling",
        description="Clienteling Assistant: customer memory and product tips for associates.",
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(title="db commands", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="migrate the schema to the newest revision").set_defaults(
        run=_db_upgrade
    )

    imp = sub.add_parser(
        "import",
        help="import a CSV file (all or nothing; re-importing upserts)",
        description="Import a UTF-8 CSV file with a header. Any invalid row means nothing is "
        "written and every problem is listed as 'line N: column: reason'.",
    )
    imp.add_argument("kind", choices=IMPORT_KINDS, metavar="KIND", help=" | ".join(IMPORT_KINDS))
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.set_defaults(run=_import)

    tips = sub.add_parser("tips", help="list or delete product tips")
    tips_sub = tips.add_subparsers(title="tips commands", metavar="ACTION", required=True)
    tl = tips_sub.add_parser("list", help="list tips")
    tl.add_argument("--sku")
    tl.add_argument("--category")
    tl.add_argument("--language")
    tl.set_defaults(run=_tips_list)
    td = tips_sub.add_parser("delete", help="delete a tip by id")
    td.add_argument("tip_id", metavar="TIP_ID")
    td.set_defaults(run=_tips_delete)

    assoc = sub.add_parser("associates", help="who may use the bot")
    assoc_sub = assoc.add_subparsers(title="associates commands", metavar="ACTION", required=True)
    aa = assoc_sub.add_parser("add", help="register (or update) an associate")
    aa.add_argument("--telegram-id", type=int, required=True, metavar="N")
    aa.add_argument("--name", required=True)
    aa.add_argument("--role", choices=("associate", "manager", "admin"), default="associate")
    aa.add_argument("--store", metavar="S")
    aa.set_defaults(run=_associates_add)
    assoc_sub.add_parser("list", help="list associates").set_defaults(run=_associates_list)

    ask = sub.add_parser(
        "ask",
        help="ask the assistant one question (or a batch)",
        description='Ask in your own words and language, e.g. "what did Maria buy last time?"',
    )
    ask.add_argument("question", nargs="?", metavar="QUESTION")
    ask.add_argument("--as", dest="as_", metavar="ASSOCIATE", help="name or Telegram id")
    ask.add_argument("--session", default="cli", metavar="KEY", help="conversation key")
    ask.add_argument("--json", action="store_true", help="print the structured reply as JSON")
    ask.add_argument(
        "--batch", type=Path, metavar="FILE.jsonl", help='lines of {"id", "question", ...}'
    )
    ask.set_defaults(run=_ask)

    chat = sub.add_parser("chat", help="an interactive console chat with the assistant")
    chat.add_argument("--as", dest="as_", metavar="ASSOCIATE", help="name or Telegram id")
    chat.add_argument("--session", default="console", metavar="KEY")
    chat.set_defaults(run=_chat)

    rec = sub.add_parser("recommend", help="ranked suggestions for a customer, with reasons")
    rec.add_argument("customer_id", nargs="?", metavar="CUSTOMER_ID")
    rec.add_argument("--k", type=int, default=10, help="how many (default 10)")
    rec.add_argument("--json", action="store_true", help="one JSON object a customer")
    rec.add_argument("--batch", type=Path, metavar="FILE", help="one customer id a line")
    rec.set_defaults(run=_recommend)

    run = sub.add_parser(
        "run",
        help="start the Telegram bot (polling, or a webhook with --webhook URL --port P)",
    )
    run.add_argument("--webhook", metavar="URL", help="public https URL Telegram posts to")
    run.add_argument("--port", type=int, default=8443, metavar="P", help="local port (8443)")
    run.add_argument("--listen", default="0.0.0.0", help="local address (0.0.0.0)")
    run.set_defaults(run=_run_bot)

    fb = sub.add_parser("feedback", help="recent 👍/👎 votes on answers, with the question")
    fb.add_argument("--limit", type=int, default=50, metavar="N")
    fb.add_argument("--down", action="store_true", help="only 👎: the answers that failed")
    fb.set_defaults(run=_feedback)

    demo = sub.add_parser(
        "demo", help="build the demo store in DATA_DIR if it is empty, then start the main job"
    )
    demo.add_argument(
        "--build-only", action="store_true", help="build the demo store and stop there"
    )
    demo.set_defaults(run=_demo)
    return parser


# --- database and imports ------------------------------------------------------------------------


def _db_upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    engine = open_database(settings)
    print(f"database at revision {upgrade(engine)}: {engine.url.render_as_string()}")
    return EXIT_OK


def _import(settings: Settings, args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        print(f"error: no such file: {path}", file=sys.stderr)
        return EXIT_FAILED
    engine = open_database(settings)
    if args.kind == "tips":
        return _import_tips(settings, engine, path)

    def waiting(message: str) -> None:
        print(f"{args.kind}: {message}", file=sys.stderr, flush=True)

    try:
        with _progress(f"importing {args.kind}") as tick:
            report = import_csv(engine, args.kind, path, progress=tick, on_wait=waiting)
    except ImportFailed as exc:
        print(f"error: {exc.describe()}", file=sys.stderr)
        return EXIT_FAILED
    except DBAPIError as exc:
        print(f"error: {path}: {database_problem(exc)}; nothing was imported", file=sys.stderr)
        return EXIT_FAILED
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary())
    if args.kind == "products":
        # Product search by meaning needs each description embedded: do it now, not at the
        # bot's next start (a few thousand products take minutes on one core).
        embedded = embed_products(settings, engine)
        print(f"product descriptions embedded for search: {embedded} new")
    if args.kind == "purchases":
        # Re-buy intervals and complements are learned from purchases: learn them again now.
        try:
            run = run_write(engine, lambda session: refresh_signals(session=session))
        except DBAPIError as exc:
            print(
                f"warning: the purchases are imported, but the recommendation signals were not "
                f"refreshed ({database_problem(exc)}); import the file again to refresh them",
                file=sys.stderr,
            )
            return EXIT_OK
        print(
            f"recommendation signals refreshed: {run.products} products, {run.pairs} pairs "
            f"({run.seconds:.1f} s)"
        )
    return EXIT_OK


def _import_tips(settings: Settings, engine: Engine, path: Path) -> int:
    with Session(engine) as session:
        skus = known_skus(session=session)
    store = open_tips(settings)
    try:
        result = import_tips_csv(store, path, known_skus=skus, now=datetime.now(UTC))
    except TipsFileError as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"tips: {result.summary()}")
    return EXIT_OK


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int], None] | None]:
    """Yield a line-count callback drawing a progress bar, or None when stderr is no terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(desc=label, unit=" lines", unit_scale=True, file=sys.stderr, leave=False) as bar:

        def tick(done: int) -> None:
            bar.update(done - bar.n)

        yield tick


# --- tips ----------------------------------------------------------------------------------------


def _tips_list(settings: Settings, args: argparse.Namespace) -> int:
    store = open_tips(settings)
    tips = list_tips(store, sku=args.sku, category=args.category, language=args.language)
    for tip in tips:
        tags = " ".join(
            f"{name}={value}"
            for name, value in (
                ("sku", tip.sku),
                ("category", tip.category),
                ("lang", tip.language),
                ("by", tip.author),
            )
            if value
        )
        print(f"{tip.tip_id}  [{tags}]  {tip.text}")
    print(f"{len(tips)} tip(s)", file=sys.stderr)
    return EXIT_OK


def _tips_delete(settings: Settings, args: argparse.Namespace) -> int:
    store = open_tips(settings)
    if not delete_tip(store, args.tip_id):
        print(f"error: no tip with id {args.tip_id!r}", file=sys.stderr)
        return EXIT_FAILED
    print(f"deleted tip {args.tip_id}")
    return EXIT_OK


# --- associates ----------------------------------------------------------------------------------


def _associates_add(settings: Settings, args: argparse.Namespace) -> int:
    engine = open_database(settings)
    with write_session(engine) as session:
        try:
            associate, created = add_associate(
                session=session,
                telegram_id=args.telegram_id,
                name=args.name,
                role=args.role,
                store=args.store,
            )
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
        verb = "added" if created else "updated"
        print(
            f"{verb} {associate.role} {associate.name} (telegram id {associate.telegram_id}"
            f"{', store ' + associate.store if associate.store else ''})"
        )
    return EXIT_OK


def _associates_list(settings: Settings, _args: argparse.Namespace) -> int:
    engine = open_database(settings)
    with Session(engine) as session:
        associates = list_associates(session=session)
    if not associates:
        print("no associates yet: clienteling associates add --telegram-id N --name NAME")
        return EXIT_OK
    print(f"{'telegram id':>12}  {'role':<9}  {'store':<8}  name")
    for a in associates:
        print(f"{a.telegram_id:>12}  {a.role:<9}  {a.store or '-':<8}  {a.name}")
    return EXIT_OK


# --- the assistant ------------------------------------------------------------------------------


def _caller(engine: Engine, who: str | None) -> Caller:
    """Return the associate named by --as (a name or a Telegram id), or the local admin."""
    from bot.assistant import Caller

    if not who:
        return Caller.local_admin()
    with Session(engine) as session:
        for a in list_associates(session=session):
            if who in (str(a.telegram_id), a.name) or who.casefold() == a.name.casefold():
                return Caller(name=a.name, role=a.role, store=a.store, telegram_id=a.telegram_id)
    raise LookupError(
        f"no associate {who!r}: see `clienteling associates list`, or add one with "
        "`clienteling associates add`"
    )


def _ask(settings: Settings, args: argparse.Namespace) -> int:
    if (args.question is None) == (args.batch is None):
        print("error: give a QUESTION or --batch FILE.jsonl (not both)", file=sys.stderr)
        return EXIT_USAGE
    engine = open_database(settings)
    try:
        default_caller = _caller(engine, args.as_)
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.batch is not None:
        return _ask_batch(settings, engine, args.batch, default_caller)
    from bot.assistant import timed_answer

    assistant = build_assistant(settings, engine=engine)
    reply, elapsed = timed_answer(assistant, default_caller, args.question, args.session)
    if args.json:
        print(json.dumps(_reply_json(None, reply, elapsed), ensure_ascii=False))
    else:
        print(_render(reply))
    return EXIT_OK


def _reply_json(line_id: Any, reply: Reply, elapsed: float) -> dict[str, Any]:
    data: dict[str, Any] = {} if line_id is None else {"id": line_id}
    data.update(
        answer=reply.text,
        customer_id=reply.customer_id,
        skus=reply.skus,
        tip_ids=reply.tip_ids,
        intent=str(reply.intent),
        elapsed_ms=round(elapsed, 2),
        options=reply.options,
        sources=reply.sources,
    )
    if reply.notice:
        data["notice"] = reply.notice
    return data


def _ask_batch(settings: Settings, engine: Engine, path: Path, default: Caller) -> int:
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
                callers[str(who)] = _caller(engine, str(who))
            except LookupError as exc:
                print(f"error: {path}: id {item['id']}: {exc}", file=sys.stderr)
                return EXIT_FAILED
    from bot.assistant import timed_answer

    assistant = build_assistant(settings, engine=engine)
    for item in requests:
        who = item.get("as")
        caller = callers[str(who) if who is not None else None]
        session = str(item.get("session") or f"batch:{item['id']}")
        reply, elapsed = timed_answer(assistant, caller, item["question"], session)
        print(json.dumps(_reply_json(item["id"], reply, elapsed), ensure_ascii=False), flush=True)
    return EXIT_OK


def _render(reply: Reply) -> str:
    text = reply.text
    if reply.notice:
        text = f"({reply.notice})\n{text}"
    if reply.options:
        text += "\n" + "  ".join(f"[{i}] {o}" for i, o in enumerate(reply.options, 1))
    return text


def _chat(settings: Settings, args: argparse.Namespace) -> int:
    engine = open_database(settings)
    try:
        caller = _caller(engine, args.as_)
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print("Loading the assistant…", flush=True)
    assistant = build_assistant(settings, engine=engine)
    return chat_loop(assistant, caller, args.session, history=settings.DATA_DIR / "chat_history")


def chat_loop(
    assistant: Assistant,
    caller: Caller,
    session: str,
    *,
    history: Path | None = None,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> int:
    """Run the console chat: a short loop over the same answer() every transport uses."""
    if history is not None:
        _enable_readline(history)
    write("Clienteling Assistant: ask about a customer or a product. /help, /quit.")
    options: list[str] = []
    while True:
        try:
            text = read("you> ").strip()
        except EOFError:
            write("")
            return EXIT_OK
        if text in ("/quit", "/exit", "/q"):
            return EXIT_OK
        if not text:
            continue
        if text == "/help":
            text = "help"
        if text.isdigit() and 1 <= int(text) <= len(options):
            text = options[int(text) - 1]
        reply = assistant.answer(caller, text, session)
        options = reply.options
        write(_render(reply) + "\n")


def _enable_readline(history: Path) -> None:
    try:
        import readline
    except ImportError:  # not on every platform; the chat works without history
        return
    history.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        readline.read_history_file(history)
    atexit.register(_save_history, readline, history)


def _save_history(readline: Any, history: Path) -> None:
    with contextlib.suppress(OSError):
        readline.write_history_file(history)


def _recommend(settings: Settings, args: argparse.Namespace) -> int:
    if (args.customer_id is None) == (args.batch is None):
        print("error: give a CUSTOMER_ID or --batch FILE (not both)", file=sys.stderr)
        return EXIT_USAGE
    if args.k < 1:
        print("error: --k must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    from bot.recommend import recommend

    engine = open_database(settings)
    if args.batch is not None:
        try:
            ids = [ln.strip() for ln in args.batch.read_text(encoding="utf-8").splitlines()]
        except (OSError, UnicodeDecodeError) as exc:
            print(f"error: cannot read {args.batch}: {exc}", file=sys.stderr)
            return EXIT_FAILED
        ids = [i for i in ids if i]
    else:
        ids = [args.customer_id]
    status = EXIT_OK
    with Session(engine) as session:
        for customer_id in ids:
            if get_customer(session=session, customer_id=customer_id) is None:
                print(f"error: no customer {customer_id!r}", file=sys.stderr)
                status = EXIT_FAILED
                if args.json:
                    print(
                        json.dumps(
                            {
                                "customer_id": customer_id,
                                "skus": [],
                                "reasons": [],
                                "error": "unknown customer",
                            }
                        )
                    )
                continue
            recs = recommend(session=session, customer_id=customer_id, k=args.k)
            if args.json:
                out = {
                    "customer_id": customer_id,
                    "skus": [r.sku for r in recs],
                    "reasons": [r.reason for r in recs],
                }
                print(json.dumps(out, ensure_ascii=False), flush=True)
            else:
                print(f"{customer_id}:")
                for i, r in enumerate(recs, 1):
                    print(f"  {i:>2}. {r.sku}  {r.name} — {r.reason}")
                if not recs:
                    print("  (nothing to suggest yet)")
    return status


# --- Telegram ----------------------------------------------------------------------------------


def _run_bot(settings: Settings, args: argparse.Namespace) -> int:
    """Start the Telegram bot over the configured store; it runs until interrupted."""
    token = settings.telegram_token
    if not token:
        print(
            "error: TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its "
            "token in .env",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if (
        args.webhook
        and not args.webhook.startswith("https://")
        and "127.0.0.1" not in args.webhook
    ):
        print("error: --webhook needs an https:// URL Telegram can reach", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Every poll is logged at INFO by httpx; the bot's own lines are what an operator reads.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    install_log_redaction()
    from telegram import Update

    from bot.telegram_bot import build_application, webhook_path, webhook_secret
    from storage.access import has_manager, owner_invite

    engine = open_database(settings)
    with write_session(engine) as session:
        if not has_manager(session=session):
            invite = owner_invite(session=session, now=datetime.now(UTC))
            if invite is not None:
                print(
                    "No manager yet. From your own Telegram account, send the bot:\n"
                    f"    /start {invite.code}\n"
                    f"(a one-time owner code, valid until {invite.expires_at:%Y-%m-%d %H:%M} UTC)",
                    flush=True,
                )
    assistant = build_assistant(settings, engine=engine)
    app = build_application(assistant, settings)
    if args.webhook:
        app.bot_data["mode"] = f"webhook mode ({args.webhook}, listening on port {args.port})"
        app.run_webhook(
            listen=args.listen,
            port=args.port,
            url_path=webhook_path(args.webhook),
            webhook_url=args.webhook,
            secret_token=webhook_secret(token),
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.bot_data["mode"] = "polling mode"
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return EXIT_OK


def _feedback(settings: Settings, args: argparse.Namespace) -> int:
    """List recent votes with the question, so a manager sees which answers fail."""
    from storage.feedback import recent_feedback

    engine = open_database(settings)
    with Session(engine) as session:
        rows = recent_feedback(session=session, limit=args.limit, vote=-1 if args.down else None)
    if not rows:
        print("no feedback yet")
        return EXIT_OK
    for vote, answer in rows:
        mark = "👍" if vote.vote > 0 else "👎"
        about = " ".join(
            x for x in (answer.intent, answer.customer_id or "", ",".join(answer.skus or [])) if x
        )
        print(
            f"{vote.created_at:%Y-%m-%d %H:%M}  {mark}  {answer.associate_name}: "
            f"“{answer.question}” → {about}"
        )
    return EXIT_OK


# --- demo ----------------------------------------------------------------------------------------


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from bot.demo_store import build_demo_store

    engine = open_database(settings)
    with Session(engine) as session:
        empty = count_rows(session=session)["customers"] == 0
    if empty:
        print(f"building the demo store in {settings.DATA_DIR} ...")
        for line in build_demo_store(engine, open_tips(settings), settings.DATA_DIR / "demo"):
            print(f"  {line}")
    else:
        print(f"the store in {settings.DATA_DIR} already has data: using it as it is")
    with Session(engine) as session:
        counts = count_rows(session=session)
    tips = count_tips(open_tips(settings))
    print(
        f"store: {counts['customers']} customers, {counts['products']} products, "
        f"{counts['purchases']} purchase lines, {counts['notes']} notes, {tips} tips"
    )
    if args.build_only:
        return EXIT_OK
    if settings.telegram_token:
        args.webhook, args.port, args.listen = None, 8443, "0.0.0.0"
        return _run_bot(settings, args)
    args.as_, args.session = None, "console"
    return _chat(settings, args)
