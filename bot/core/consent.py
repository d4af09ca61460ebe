"""Marketing consent told in chat: "María agreed to marketing messages", "Nikos doesn't want
promotions any more" set the customer's consent and record the change (storage.consent), with
who said so. The words, per language, are in `data/consent.toml`."""

from __future__ import annotations

import re
from functools import cache

from sqlmodel import Session

from bot.core import answers, audit, lookup_replies, wording
from bot.core.datafiles import read_toml
from bot.core.draft_requests import Asked
from bot.core.i18n import _
from bot.core.list_requests import asks_for_list
from bot.core.outreach import addressee, nobody_found
from bot.core.retrieval import Retrieval
from bot.core.rules import note_content
from bot.core.text import bounded, holds_question_mark, strip_accents, words
from bot.core.types import Caller, Intent, Option, Reply
from bot.core.understanding import Understood
from storage.audit import add_entry
from storage.consent import set_consent
from storage.db import run_write
from storage.models import Conversation, Customer


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    rules = read_toml("consent.toml")
    return {
        part: re.compile("|".join(f"(?:{p})" for p in rules[part].values()))
        for part in ("topic", "withdraw", "grant", "negation", "not_a_statement", "note")
    }


def read_consent(text: str) -> tuple[bool, frozenset[str]] | None:
    """Return (agreed, the folded words that said so) when a message tells of a customer's
    marketing consent being given (True) or withdrawn (False), else None. A question ("does
    María accept marketing?", "has she agreed to marketing"), a condition or a guess tells
    nothing; a yes negated ("never agreed to marketing") is a no."""
    folded = strip_accents(text.strip())
    # A question anywhere ("has she agreed to emails? she wants the newsletter") asks; the
    # profile answers it, and nothing is recorded on a guess.
    if not folded or holds_question_mark(folded):
        return None
    patterns = _patterns()
    topic = list(patterns["topic"].finditer(folded))
    if not topic:
        return None
    if patterns["not_a_statement"].search(folded):
        return None
    said = list(patterns["withdraw"].finditer(folded))
    agreed = False
    if not said:
        said = list(patterns["grant"].finditer(folded))
        # "hasn't agreed", "wants no promotions": a yes said with a no is a no.
        agreed = not patterns["negation"].search(folded)
    if not said:
        return None
    spans = [m.span() for m in topic + said]
    used = frozenset(
        w for w in words(folded) if any(w in folded[start:end] for start, end in spans)
    )
    return agreed, used


def answer_message(
    r: Retrieval, db: Session, caller: Caller, text: str, conversation: Conversation
) -> Reply | None:
    """Record the consent change a message tells of and say so; None when it tells none."""
    read = read_consent(text)
    if read is None or asks_for_list(text, about_one=True):
        return None  # "birthdays this month who opted in to marketing?" asks for a list
    agreed, used = read
    found = addressee(r, db, bounded(text)[0], Asked(None, False, used), conversation)
    if found.candidates:
        reply = lookup_replies.clarify(r, db, found.query, found.candidates)
        reply.text += "\n" + _("Say it again with the full name or the customer id to record it.")
        return reply
    if found.customer is not None:
        told = record(r, caller, found.customer, agreed=agreed)
        if not _patterns()["note"].search(strip_accents(text)):
            return told
        # "νέα σημείωση Γιώργος — δεν θέλει newsletter": the note asked for, and the consent
        saved = answers.save_note(r, caller, found.customer, note_content(text))
        saved.text += "\n" + told.text
        return saved
    if (missing := nobody_found(r, db, found)) is not None:
        return missing
    # Nobody named: a change of consent is never assumed to be about the customer discussed;
    # a button offers them.
    discussed = r.customer(db, conversation.customer_id) if conversation.customer_id else None
    return Reply(
        text=_("Whose consent? Name the customer: “María agreed to marketing messages”."),
        intent=Intent.consent,
        options=[option(discussed, agreed=agreed)] if discussed else [],
    )


def option(customer: Customer, *, agreed: bool) -> Option:
    """Return the button that records this customer's consent change."""
    mark = "✓ " if agreed else "✗ "
    value = f"{customer.customer_id}|{'yes' if agreed else 'no'}"
    return Option(mark + wording.full_name(customer), Intent.consent, value)


def follow(r: Retrieval, db: Session, caller: Caller, option: Option) -> Reply:
    """Answer a consent button (`option` made it): record the change for its customer."""
    customer_id, _sep, state = (option.value or "").rpartition("|")
    customer = r.customer(db, customer_id) if customer_id and state in ("yes", "no") else None
    if customer is None:
        u = Understood(Intent.overview, customer_query=customer_id or "?")
        return lookup_replies.not_found(r, db, u)
    return record(r, caller, customer, agreed=state == "yes")


def record(r: Retrieval, caller: Caller, customer: Customer, *, agreed: bool) -> Reply:
    """Set the customer's marketing consent, with who said so, and say what changed."""
    cid = customer.customer_id

    def write(session: Session) -> bool:
        change = set_consent(
            session=session,
            customer_id=cid,
            consent=agreed,
            source="chat",
            changed_by=caller.name,
            telegram_id=caller.telegram_id,
        )
        if change is None:
            return False
        add_entry(
            session=session,
            actor=audit.actor_of(caller),
            kind="consent",
            customer_id=cid,
            detail="agreed" if agreed else "withdrew",
        )
        return True

    changed = run_write(r.engine, write)
    name = wording.full_name(customer)
    today = wording.day(r.clock())
    if changed and agreed:
        text = _("Recorded: {name} agreed to marketing messages ({date}).")
    elif changed:
        text = _(
            "Recorded: {name} withdrew marketing consent ({date}). Only service messages "
            "from now on."
        )
    elif agreed:
        text = _("{name} had already agreed to marketing messages: nothing changed.")
    else:
        text = _("{name} had no marketing consent already: nothing changed.")
    # A confirmation of a write, no view of her data: the write is in the audit trail.
    return Reply(text=text.format(name=name, date=today), intent=Intent.consent, customer_id=cid)
