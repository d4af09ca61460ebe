"""The console transport: a short chat loop over the same assistant every transport uses.

Follow-ups are numbered; typing the number follows that option, as a button press would. Its
own texts are in the associate's language (their preference, else DEFAULT_LANGUAGE); a reply's
are in the reply's."""

from __future__ import annotations

import atexit
import contextlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.core.assistant import Assistant
from bot.core.i18n import _, pick_language, speaking
from bot.core.types import Caller, Option, Reply


def render_plain(reply: Reply, *, numbered: bool = True) -> str:
    """Return the reply as console text: the notice, the text, and the options, numbered for
    the chat (typing the number follows one) or, for a one-shot answer, listed."""
    with speaking(reply.language):
        return _render_plain(reply, numbered=numbered)


def _render_plain(reply: Reply, *, numbered: bool) -> str:
    text = reply.text
    if reply.notice:
        text = f"({reply.notice})\n{text}"
    if reply.options and numbered:
        text += "\n" + "  ".join(f"[{i}] {o.label}" for i, o in enumerate(reply.options, 1))
    elif reply.options:
        labels = " · ".join(o.label for o in reply.options)
        text += "\n" + _("Follow-ups (in `clienteling chat`): {labels}").format(labels=labels)
    # Links (a draft's WhatsApp link) open outside the console: shown as they are.
    text += "".join(f"\n{label}: {url}" for label, url in reply.links)
    return text


def chat_loop(
    assistant: Assistant,
    caller: Caller,
    session: str,
    *,
    history: Path | None = None,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> int:
    """Run the console chat until /quit or end of input; return the exit code (0)."""
    if history is not None:
        _enable_readline(history)
    caller = replace(caller, channel="console")  # what the audit trail records it came through
    with speaking(pick_language(caller.language, assistant.default_language)):
        return _chat(assistant, caller, session, read=read, write=write)


def _chat(
    assistant: Assistant,
    caller: Caller,
    session: str,
    *,
    read: Callable[[str], str],
    write: Callable[[str], None],
) -> int:
    write(_("Clienteling Assistant: ask about a customer or a product. /help, /quit."))
    options: list[Option] = []
    while True:
        try:
            text = read(_("you> ")).strip()
        except EOFError:
            write("")
            return 0
        if text in ("/quit", "/exit", "/q"):
            return 0
        if not text:
            continue
        if text == "/help":
            text = "help"
        if text.isdigit() and 1 <= int(text) <= len(options):
            reply = assistant.follow(caller, options[int(text) - 1], session)
        else:
            reply = assistant.answer(caller, text, session)
        options = reply.options
        write(render_plain(reply) + "\n")


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
