"""The period of the question a conversation asked, kept for a follow-up that asks it again.

"How much did Maria spend this year?" is answered "which Maria?"; "Maria Costa" (typed or
pressed), "and Maria Costa?" or "no, the other one" then ask how much *she* spent *this
year*. The period is kept in `Conversation.period` as JSON (start and end in ISO 8601, label),
and given back only to a message that asks the same question again with no period of its own.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from bot.core.periods import Period
from bot.core.rules import follow_up
from bot.core.types import Intent
from bot.core.understanding import Understood
from storage.models import Conversation

# The questions whose answer depends on a period.
OVER_A_PERIOD = frozenset({Intent.history, Intent.spend})
# Questions a follow-up ("and in 2025?", "and Maria Costa?") can ask again about another
# customer or period.
ASKED_AGAIN = OVER_A_PERIOD | {Intent.overview, Intent.recommend, Intent.sizes, Intent.notes}


def stored(conversation: Conversation) -> Period | None:
    """Return the period the conversation's last question asked about, or None (none asked,
    or an unreadable value, which is only a lost context)."""
    if not conversation.period:
        return None
    try:
        value = json.loads(conversation.period)
        return Period(
            datetime.fromisoformat(value["start"]),
            datetime.fromisoformat(value["end"]),
            str(value["label"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def remember(conversation: Conversation, u: Understood) -> None:
    """Keep the period of a question a follow-up may ask again (None for all time, or a
    question no period changes); leave the stored one for any other message (a note)."""
    if u.intent not in ASKED_AGAIN:
        return
    period = u.period if u.intent in OVER_A_PERIOD else None
    conversation.period = (
        json.dumps(
            {
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "label": period.label,
            }
        )
        if period
        else None
    )


def asked_again(u: Understood, text: str, conversation: Conversation) -> Understood:
    """Return `u` with the period of the question before when the message asks that question
    again with no period of its own: a customer picked from a "which one?" or a short
    follow-up ("and Maria Costa?"). Else `u` as it is."""
    previous = conversation.intent
    if u.period is not None or u.intent not in OVER_A_PERIOD or u.intent.value != previous:
        return u
    offered = set((conversation.candidates or "").split())
    picked = u.customer is not None and u.customer.customer_id in offered
    if not (picked or follow_up(text)):
        return u
    period = stored(conversation)
    return u if period is None else replace(u, period=period)
