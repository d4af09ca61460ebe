"""Product tips as managers add them: from a line of text or from a file, and listing them.

Shared by every transport (Telegram's /tip, /tips, /deltip and documents; the CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.assistant import Assistant
from bot.core.i18n import _, ngettext
from bot.core.text import folded_words
from bot.core.types import Caller
from knowledge.documents import detect_language, read_document
from knowledge.ingest import MAX_PROBLEMS_SHOWN, Problem, TipsFileError
from knowledge.purge import PurgeError
from knowledge.tips import Tip, add_tips, delete_tip, list_tips, make_tip_id
from storage.customers import known_skus
from storage.db import read_session

__all__ = [
    "AddedTip",
    "PurgeError",
    "TipsFileError",
    "UnknownProduct",
    "add_tip",
    "add_tips_from_file",
    "product_prefix",
    "remove_tip",
    "tips_about",
]
MIN_TIP_CHARS = 10


class UnknownProduct(LookupError):
    """A text names no product the store knows."""


@dataclass(frozen=True)
class AddedTip:
    """A tip just added, and the name of the product it is linked to (if any)."""

    tip: Tip
    product_name: str | None


def product_prefix(assistant: Assistant, text: str) -> tuple[str | None, str]:
    """Split "[product] text" into the product's sku (or None) and the tip's text.

    A leading sku is the product and not part of the tip; leading words that are all
    product-name words name it; otherwise any product the text names."""
    retrieval = assistant.retrieval
    products = retrieval.catalogue.products
    words = text.split()
    sku = products.find_sku(folded_words(words[0])) if words else None
    if sku is not None:
        return sku, " ".join(words[1:]).strip() or text
    leading = 0
    for word in words[:4]:
        folded = folded_words(word)
        if not folded or not all(w in products.by_token for w in folded):
            break
        leading += 1
    if leading and (named := retrieval.product_named(" ".join(words[:leading]))):
        return named, text
    return retrieval.product_named(text), text


def add_tip(assistant: Assistant, text: str, *, author: Caller, now: datetime) -> AddedTip:
    """Add a tip from "[product] text": linked to the product it names, its language detected.

    Raises ValueError when the text is shorter than MIN_TIP_CHARS."""
    text = text.strip()
    if len(text) < MIN_TIP_CHARS:
        raise ValueError("the tip is too short")
    sku, rest = product_prefix(assistant, text)
    product = assistant.retrieval.catalogue.products.products.get(sku) if sku else None
    tip = Tip(
        tip_id=make_tip_id(rest),
        text=rest,
        sku=sku,
        category=product.category if product else None,
        language=detect_language(rest),
        author=author.name,
        created_at=now,
    )
    add_tips(assistant.tips, [tip])
    return AddedTip(tip, product.name if product else None)


def tips_about(assistant: Assistant, query: str = "") -> list[Tip]:
    """Return every tip, or those of the product `query` names; raise UnknownProduct when it
    names none."""
    sku = None
    if query.strip():
        sku, _ = product_prefix(assistant, query)
        if sku is None:
            raise UnknownProduct(query)
    return list_tips(assistant.tips, sku=sku)


def remove_tip(assistant: Assistant, tip_id: str) -> bool:
    """Delete a tip and wipe its text from disk; return False when there is none with that id.

    Raises PurgeError, with the tip already deleted, when its text could not be wiped."""
    return delete_tip(assistant.tips, tip_id)


def add_tips_from_file(
    assistant: Assistant,
    data: bytes,
    filename: str,
    *,
    author: Caller,
    now: datetime,
    product: str = "",
) -> tuple[int, list[str]]:
    """Turn a file (txt, md, csv in the tips contract, pdf) into tips, linked to `product` when
    it names one; return how many were added and the warnings. Raises TipsFileError (nothing
    added) for a file that cannot be read."""
    sku = product_prefix(assistant, product)[0] if product.strip() else None
    with read_session(assistant.engine) as db:
        skus = known_skus(session=db)
    parsed = read_document(data, filename, known_skus=skus, now=now, author=author.name, sku=sku)
    add_tips(assistant.tips, parsed.tips)
    return len(parsed.tips), parsed.warnings


def problem_text(problem: str) -> str:
    """Return a tips file's problem or warning in the reply's language: "line 3: sku: 'X-1' is
    not a known SKU", with the reason translated when it is a knowledge.ingest.Problem (other
    texts as they are)."""
    if not isinstance(problem, Problem):
        return problem
    reason = _(problem.template).format(**problem.params)
    # "file" stands for the whole file; column names (sku, tip_id…) are the file's own words.
    column = (
        problem.column.replace("file", _("file"), 1)
        if problem.column.startswith("file")
        else problem.column
    )
    where = (
        _("line {line}: {column}").format(line=problem.line, column=column)
        if problem.line
        else column
    )
    return f"{where}: {reason}" if where else reason


def file_error_text(error: TipsFileError) -> str:
    """Return why nothing of a tips file was added, every problem on a line of its own, in the
    reply's language."""
    count = len(error.problems)
    head = ngettext(
        "{count} problem, nothing was imported:", "{count} problems, nothing was imported:", count
    ).format(count=count)
    lines = [head] + [f"  {problem_text(p)}" for p in error.problems[:MAX_PROBLEMS_SHOWN]]
    if count > MAX_PROBLEMS_SHOWN:
        more = count - MAX_PROBLEMS_SHOWN
        lines.append(
            "  "
            + ngettext("… and {count} more problem", "… and {count} more problems", more).format(
                count=more
            )
        )
    return "\n".join(lines)
