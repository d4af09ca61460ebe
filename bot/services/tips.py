"""Product tips as managers add them: from a line of text or from a file, and listing them.

Shared by every transport (Telegram's /tip, /tips, /deltip and documents; the CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.assistant import Assistant
from bot.core.text import folded_words
from bot.core.types import Caller
from knowledge.documents import detect_language, read_document
from knowledge.ingest import TipsFileError
from knowledge.tips import Tip, add_tips, delete_tip, list_tips, make_tip_id
from storage.customers import known_skus
from storage.db import read_session

__all__ = [
    "AddedTip",
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
    """Delete a tip; return False when there is none with that id."""
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
