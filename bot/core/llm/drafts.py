"""Better wording for outreach drafts with the language model, never other facts.

The offline template (bot.core.drafts) holds only stored facts. The model may reword it in the
customer's language; its text is kept only when it still names the customer and the product,
brings no number the template did not have (no invented price, discount or date) and stays a
short message. Otherwise, or when the model fails or is slow, the template stays.
Under LLM_DATA=minimal the model gets the template through a privacy.Redactor, and a wording
that still holds one of its placeholders keeps the template too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from bot.core.i18n import english_language_name
from bot.core.llm.privacy import Redactor, has_placeholder

log = logging.getLogger(__name__)

# A reworded draft longer than this many characters is no short text message.
MAX_CHARS = 600
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")

_SYSTEM = (
    "You reword short messages a shop sends to one of its customers by WhatsApp or SMS. "
    "Write in {language}, warm and natural, in the polite register a good local shop uses "
    "with its customers. Keep every fact exactly as given: the customer's name, product "
    "names, dates. Add nothing: no prices, discounts, offers, promises, opening hours or "
    "invented details. At most three short sentences. Reply with the message only."
)


def reword_draft(
    llm: BaseChatModel,
    text: str,
    *,
    language: str,
    keep: Iterable[str],
    avoid: Iterable[str] = (),
    timeout: float,
    redactor: Redactor | None = None,
) -> str | None:
    """Return the draft `text` reworded by `llm` in `language` (ISO 639-1), or None when the
    model fails, takes over `timeout` seconds, or its text drops one of the `keep` strings
    (the customer's name, the product's), names one of the `avoid` strings the template did
    not (other products of the catalogue), adds a number, or is no short message.
    `redactor` (LLM_DATA=minimal) redacts what the model is sent."""
    messages: list[BaseMessage] = [
        SystemMessage(_SYSTEM.format(language=english_language_name(language))),
        HumanMessage(text),
    ]
    if redactor is not None:
        messages = redactor.messages(messages)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llm-draft")
    future = pool.submit(llm.invoke, messages)
    pool.shutdown(wait=False)
    try:
        answer = future.result(timeout=timeout)
    except FutureTimeout:
        log.warning("LLM did not reword the draft in %g s; the template stays", timeout)
        return None
    except Exception as exc:  # any provider failure: the template is a good message already
        log.warning("LLM failed to reword the draft (%s); the template stays", type(exc).__name__)
        return None
    reworded = str(answer.text).strip().strip('"“”«»')
    if redactor is not None and has_placeholder(reworded):
        return None  # the customer would read "<phone>"
    return reworded if grounded(reworded, text, keep, avoid) else None


def grounded(reworded: str, original: str, keep: Iterable[str], avoid: Iterable[str] = ()) -> bool:
    """True when a reworded draft keeps every `keep` string (case-insensitive), names no
    `avoid` string `original` did not name, brings no number `original` did not have, and is
    a short message (1 to MAX_CHARS characters)."""
    if not reworded or len(reworded) > MAX_CHARS:
        return False
    lowered, before = reworded.casefold(), original.casefold()
    if any(fact.casefold() not in lowered for fact in keep if fact):
        return False
    if any(n.casefold() in lowered and n.casefold() not in before for n in avoid if n):
        return False
    allowed = set(_NUMBER.findall(original))
    return all(number in allowed for number in _NUMBER.findall(reworded))
