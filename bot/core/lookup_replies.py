"""Replies about which customer was meant: "which one?" when a name fits several, "not found"
when it fits nobody, and how to find a customer when looking one up went wrong ("it keeps
giving me the wrong Emma"), each with a button per customer the name fits."""

from __future__ import annotations

from sqlmodel import Session

from bot.core import wording
from bot.core.help_asks import asks_about_tips, reports_lookup_trouble
from bot.core.i18n import N_, _, current_language
from bot.core.retrieval import CANDIDATES, Retrieval
from bot.core.types import Intent, Option, Reply
from bot.core.understanding import CUSTOMER_INTENTS, Understood
from storage.models import Customer

# How tips reach everyone ("how do I push a tip to all staff?").
TIP_HELP = N_(
    "Managers add a tip for everyone with /tip, the product, then the tip: /tip AeroPress ask "
    "how many cups they brew. To add many at once, send a file (CSV, text or PDF) with the "
    "caption /tip. Everyone sees them with /tips AeroPress and in my answers about the product; "
    "/deltip ID removes one."
)


def clarify(
    r: Retrieval,
    db: Session,
    query: str,
    candidates: list[Customer],
    *,
    asked: Intent = Intent.overview,
) -> Reply:
    """Ask which customer was meant: names and one telling detail, a button each that answers
    the question `asked` (a customer question; else who they are) about that customer."""
    rows = [(c, r.candidate_detail(db, c)) for c in candidates[:CANDIDATES]]
    then = asked if asked in CUSTOMER_INTENTS else Intent.overview
    return Reply(
        text=wording.candidates_text(query, rows),
        intent=Intent.clarify,
        options=[candidate_option(c, then) for c, _ in rows],
    )


def help_reply(r: Retrieval, db: Session, text: str, u: Understood) -> Reply:
    """Return the help: how managers add tips when that is asked; how to find a customer when
    looking one up went wrong ("it keeps giving me the wrong Emma"), with a button for each
    customer the name typed fits (who she is); else what the assistant does."""
    if asks_about_tips(text, current_language()):
        return Reply(text=_(TIP_HELP), intent=Intent.help)
    if not reports_lookup_trouble(text, current_language()):
        return Reply(text=_(wording.HELP), intent=Intent.help)
    said = _(wording.FIND_HELP)
    rows = [(c, r.candidate_detail(db, c)) for c in u.candidates[:CANDIDATES]]
    if rows:
        said += "\n" + wording.found_for_text(u.customer_query, rows)
    options = [candidate_option(c, Intent.overview) for c, _ in rows]
    return Reply(text=said, intent=Intent.help, options=options)


def not_found(r: Retrieval, db: Session, u: Understood) -> Reply:
    """Say that nobody has the name asked about; offer the customers who share part of it."""
    text = wording.not_found_text(u.customer_query)
    rows = [(c, r.candidate_detail(db, c)) for c in u.suggestions[:CANDIDATES]]
    if rows:
        text += "\n" + wording.suggestions_text(rows)
    return Reply(
        text=text,
        intent=Intent.not_found,
        options=[candidate_option(c, Intent.overview) for c, _ in rows],
    )


def candidate_option(customer: Customer, then: Intent) -> Option:
    """Return the button that picks a candidate customer and answers `then` about them."""
    return Option(wording.candidate_label(customer), then, customer.customer_id)
