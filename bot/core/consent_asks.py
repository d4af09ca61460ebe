"""Questions about a customer's marketing consent: "is Ana ok to send offers to or did she
opt out?", "¿se dio de baja Marta?", "darf ich Herrn Wolf Angebote schicken?". The profile
answers them (its consent line, and since when); the words are in `data/consent.toml`."""

from __future__ import annotations

import re
from functools import cache

from bot.core.datafiles import alternatives, read_toml
from bot.core.text import strip_accents


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    rules = read_toml("consent.toml")
    return {
        part: re.compile(alternatives({k: f"(?:{p})" for k, p in rules[part].items()}))
        for part in ("asked", "topic", "grant", "withdraw", "receives", "from_us")
    }


def asks_about_consent(text: str) -> bool:
    """Return whether a message asks whether a customer may be sent marketing: a word of the
    consent itself ([asked]: "opt out", "consentimiento", "Einwilligung"), or a marketing topic
    with a yes or no said of it ("does she want the newsletter?", "hat sie Werbung
    abbestellt") or with getting it ([receives]: "does she get our newsletter?"), or getting
    our own messages ([from_us]: "does X get texts from us?"). Words matched on the folded text
    (lower case, no accents)."""
    folded = strip_accents(text)
    patterns = _patterns()
    if patterns["asked"].search(folded):
        return True
    if patterns["from_us"].search(folded) and patterns["receives"].search(folded):
        return True
    return bool(patterns["topic"].search(folded)) and bool(
        patterns["grant"].search(folded)
        or patterns["withdraw"].search(folded)
        or patterns["receives"].search(folded)
    )
