"""`clienteling run`: the Telegram bot, polling or behind a webhook."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime

from bot.cli.common import EXIT_OK, EXIT_USAGE
from bot.redaction import install_log_redaction
from bot.services.onboarding import owner_code
from bot.settings import Settings
from bot.wiring import build_assistant, open_database


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command's parser."""
    run = sub.add_parser(
        "run",
        help="start the Telegram bot (polling, or a webhook with --webhook URL --port P)",
    )
    run.add_argument("--webhook", metavar="URL", help="public https URL Telegram posts to")
    run.add_argument("--port", type=int, default=8443, metavar="P", help="local port (8443)")
    run.add_argument("--listen", default="0.0.0.0", help="local address (0.0.0.0)")
    run.set_defaults(run=run_bot)


def run_bot(settings: Settings, args: argparse.Namespace) -> int:
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

    from bot.transports.telegram.app import build_application, webhook_path, webhook_secret

    engine = open_database(settings)
    owner = owner_code(engine, now=datetime.now(UTC))
    if owner is not None:
        code, expires_at = owner
        print(
            "No manager yet. From your own Telegram account, send the bot:\n"
            f"    /start {code}\n"
            f"(a one-time owner code, valid until {expires_at:%Y-%m-%d %H:%M} UTC)",
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
