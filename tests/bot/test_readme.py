"""The README's example questions, asked in order in one conversation, get the right answers."""

from __future__ import annotations

import re
from pathlib import Path

from bot.core.assistant import Assistant, Caller

README = Path(__file__).resolve().parents[2] / "README.md"
# What each README example must produce: (intent, customer_id, a fact the answer must show).
EXPECTED: dict[str, tuple[str, str | None, str]] = {
    "who is María López?": ("overview", "C0011", "gold"),
    "what sizes does she wear?": ("sizes", "C0011", "shoe EU 38; top S"),
    "what did she buy last time?": ("history", "C0011", "last order on"),
    "what did Çağla buy in 2025?": ("history", "C0039", "2025"),
    "Çağla is here, what should I show her?": ("recommend", "C0039", "show"),
    "tips for selling the Aeropress?": ("product", None, "AeroPress Original"),
    "does the Baratza grinder do espresso?": ("product", None, "Baratza Encore"),
    "note for Hiroshi: kitchen renovation in spring": ("note", "C0154", "Noted for Hiroshi"),
    "what do we know about Hiroshi?": ("notes", "C0154", "kitchen renovation in spring"),
    "who is Maria?": ("clarify", None, "Maria Costa (C0166)"),
    # Answered in the language asked in (bot/locale).
    "¿Qué compró Nikos Papadopoulos la última vez?": ("history", "C0113", "último pedido"),
    "Çağla'ya ne önerirsin?": ("recommend", "C0039", "göster"),
    "Συμβουλές για το Baratza Encore;": ("product", None, "Baratza Encore"),
    # After a Greek question, the chat without preferences keeps Greek: a language-free fact.
    "help": ("help", None, "AeroPress"),
    # Lists of the caller's store (S01), as of the demo's clock.
    "any birthdays this week?": ("lists", None, "irthday"),
    "who are my top customers?": ("lists", None, "in the last 12 months"),
    "who hasn't been in for 3 months?": ("lists", None, "last visit"),
    # Follow-up tasks, saved and listed (the demo's today is Sunday 22 November).
    "remind me to call Hiroshi on Friday about the kitchen": (
        "task",
        "C0154",
        "Follow-up for Hiroshi Tanaka (C0154) on Friday 27 November",
    ),
    "my tasks": ("task", None, "Call Hiroshi about the kitchen"),
    # Written in her language (Spanish), from stored facts; she agreed to marketing messages.
    "draft a message to María López about the AeroPress": ("draft", "C0011", "AeroPress"),
}


def _readme_examples() -> list[str]:
    block = README.read_text(encoding="utf-8").split("<!-- examples: start -->")[1]
    block = block.split("<!-- examples: end -->")[0]
    return re.findall(r"^- `(.+)`$", block, flags=re.MULTILINE)


def test_the_readme_lists_the_checked_examples() -> None:
    assert _readme_examples() == list(EXPECTED)


def test_every_readme_example_gets_a_correct_grounded_answer(
    writable_assistant: Assistant,
) -> None:
    caller = Caller(name="Ana", role="associate", store="S01")
    for question in _readme_examples():
        reply = writable_assistant.answer(caller, question, "readme")
        intent, customer_id, fact = EXPECTED[question]

        assert (reply.intent, reply.customer_id, fact in reply.text) == (
            intent,
            customer_id,
            True,
        ), f"{question!r} -> {reply.intent} {reply.customer_id}: {reply.text}"
        assert len(reply.text) <= 800
