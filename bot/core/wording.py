"""How answers read: short, phone-sized texts composed only of facts the store holds."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime

from babel import Locale

from bot.core.text import is_cjk
from knowledge.tips import Tip
from storage.models import Customer, Note, Product
from storage.purchases import PurchaseLine, PurchaseSummary

MAX_CHARS = 800
# Long items are shown to this many characters, with "…" and the full text on a "More" button.
PREVIEW_CHARS = 200

HELP = (
    "Ask me about a customer or a product, in your own words and language:\n"
    "• who is María López? / what sizes does she wear?\n"
    "• what did Maria buy last time? / in 2025?\n"
    "• Çağla is here, what should I show her?\n"
    "• tips for selling the AeroPress?\n"
    "• note for Hiroshi: kitchen renovation in spring\n"
    "Find customers by name, customer id, email or phone."
)


def language_name(code: str) -> str:
    """Return a language's English name from its ISO 639-1 code ("el" → "Greek"; CLDR data
    through Babel), or the code itself when Babel has no name for it."""
    name: str | None = _english().languages.get(code)
    return name or code


@functools.cache
def _english() -> Locale:
    return Locale("en")  # CLDR data, read on first use rather than at import


def day(moment: datetime | None) -> str:
    """Return a date as '2 Oct 2026'."""
    return f"{moment.day} {moment:%b %Y}" if moment else "unknown"


def full_name(customer: Customer) -> str:
    """Return the customer's name as people say it: "first last", or in Chinese, Japanese and
    Korean script surname first with no space ("王伟", "佐藤翔太")."""
    first, last = customer.first_name or "", customer.last_name or ""
    if is_cjk(first + last):
        return f"{last}{first}" or customer.customer_id
    return " ".join(p for p in (first, last) if p) or customer.customer_id


def short_name(customer: Customer) -> str:
    """Return the name to call the customer by: the first name, or the whole name when written
    in Chinese, Japanese or Korean script (the given name alone is not how one addresses them)."""
    if is_cjk((customer.first_name or "") + (customer.last_name or "")):
        return full_name(customer)
    return customer.first_name or customer.customer_id


def money(value: float | None) -> str:
    """Return an amount as '€39.90' (blank when unknown)."""
    return f"€{value:,.2f}" if value is not None else ""


def clip(text: str, limit: int = MAX_CHARS, *, keep_last: bool = False) -> str:
    """Cut a text to the phone-sized limit at a line boundary; with `keep_last`, lines are
    dropped before the last one, which always stays (a customer's consent line)."""
    if len(text) <= limit:
        return text
    if keep_last and "\n" in text:
        body, last = text.rsplit("\n", 1)
        room = limit - len(last) - 3
        if room > 0:
            return clip(body, room + 2) + "\n" + last
    cut = text[: limit - 2].rsplit("\n", 1)[0]
    return cut + "\n…"


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """Return a long item (a note, preferences) cut to `limit` characters with "…"."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def has_more(notes: Sequence[Note], limit: int = PREVIEW_CHARS) -> bool:
    """Return True when a note would be shown cut (the full text is one button away)."""
    return any(len(" ".join(n.text.split())) > limit for n in notes)


def note_line(note: Note, *, full: bool = False) -> str:
    """Return one note as a list line: date, author and the (previewed) text."""
    text = note.text if full else preview(note.text)
    return f"• {day(note.created_at)} ({note.author or '?'}): {text}"


def overview(
    customer: Customer, summary: PurchaseSummary, notes: Sequence[Note], *, focus: str = "all"
) -> str:
    """Return who a customer is: tier, sizes, likes, last visit, notes, consent."""
    head = f"{full_name(customer)} · {customer.customer_id}"
    if customer.tier:
        head += f" · {customer.tier}"
    lines = [head]
    if focus == "sizes":
        sizes = preview(customer.sizes) if customer.sizes else None
        lines.append(f"Sizes: {sizes}" if sizes else "No sizes on record.")
        size_notes = [n for n in notes if "size" in n.text.lower() or "talla" in n.text.lower()]
        lines += [note_line(n) for n in size_notes[:3]]
        return clip("\n".join(lines))
    if customer.sizes:
        lines.append(f"Sizes: {preview(customer.sizes)}")
    if customer.preferences:
        lines.append(f"Preferences: {preview(customer.preferences)}")
    if summary.last is not None:
        lines.append(
            f"Last visit: {day(summary.last)} · {summary.orders} order(s) since "
            f"{summary.first:%b %Y}"
            + (f" · {money(summary.spent)} spent" if summary.spent else "")
            if summary.first
            else f"Last visit: {day(summary.last)}"
        )
    else:
        lines.append("No purchases on record.")
    if notes:
        lines.append("Notes:")
        lines += [note_line(n) for n in notes[:3]]
    extras = []
    if customer.language:
        extras.append(f"Speaks {language_name(customer.language)}")
    if customer.home_store:
        extras.append(f"home store {customer.home_store}")
    extras.append("marketing: yes" if customer.marketing_consent else "marketing: no consent")
    if customer.birthday:
        extras.append(f"birthday {customer.birthday.day} {customer.birthday:%b}")
    lines.append(" · ".join(extras))
    # The consent line is what an associate must see before any outreach: it is never cut.
    return clip("\n".join(lines), keep_last=True)


def notes_text(customer: Customer, notes: Sequence[Note], *, full: bool = False) -> str:
    """Return a customer's notes, newest first: previews, or with `full` every word (however
    long: the transport splits it into messages)."""
    if not notes:
        who = short_name(customer)
        return f"No notes about {full_name(customer)} yet. Add one: note for {who}: …"
    lines = [f"Notes about {full_name(customer)}:"]
    lines += [note_line(n, full=full) for n in notes]
    text = "\n".join(lines)
    return text if full else clip(text)


def purchase_line(line: PurchaseLine) -> str:
    """Return one order line for a list."""
    what = f"{line.name} ×{abs(line.quantity)}"
    if line.quantity < 0:
        what += " (returned)"
    price = money(line.unit_price)
    return f"• {what}" + (f" {price}" if price else "")


def last_order_text(customer: Customer, lines: Sequence[PurchaseLine]) -> str:
    """Return the customer's most recent order."""
    if not lines:
        return f"{full_name(customer)} has no purchases on record."
    first = lines[0]
    head = f"{full_name(customer)} — last order on {day(first.purchased_at)} ({first.order_id}):"
    return clip("\n".join([head, *[purchase_line(line) for line in lines]]))


def history_text(
    customer: Customer, lines: Sequence[PurchaseLine], *, label: str, total: int
) -> str:
    """Return purchase lines grouped by day, newest first."""
    if not lines:
        return f"{full_name(customer)} bought nothing {label}."
    out = [f"{full_name(customer)} — purchases {label}:"]
    current = None
    for line in lines:
        when = day(line.purchased_at)
        if when != current:
            out.append(when)
            current = when
        out.append(purchase_line(line))
    if total > len(lines):
        out.append(f"… and {total - len(lines)} more line(s)")
    return clip("\n".join(out))


def product_text(
    product: Product, tips: Sequence[Tip], *, owned_since: datetime | None, customer_name: str
) -> str:
    """Return a product card with its tips."""
    head = f"{product.name} ({product.sku})"
    facts = [p for p in (product.category, product.brand, money(product.price)) if p]
    if facts:
        head += " · " + " · ".join(facts)
    lines = [head]
    if product.description:
        lines.append(product.description)
    if owned_since is not None:
        lines.append(f"{customer_name} bought it on {day(owned_since)}.")
    if tips:
        lines.append("Tips:")
        lines += [f"• {t.text}" for t in tips]
    else:
        lines.append("No tips for it yet; a manager can add one.")
    return clip("\n".join(lines))


def tips_text(query: str, tips: Sequence[Tip], names: dict[str, str]) -> str:
    """Return tips found for a question that names no known product."""
    if not tips:
        return f"I found no tips about “{query}”."
    lines = ["Tips that fit:"]
    for tip in tips:
        where = f" ({names[tip.sku]})" if tip.sku and tip.sku in names else ""
        lines.append(f"• {tip.text}{where}")
    return clip("\n".join(lines))


def candidate_label(customer: Customer) -> str:
    """Return a candidate customer as listed and on their button: "Maria Costa (C0166)"."""
    return f"{full_name(customer)} ({customer.customer_id})"


def candidates_text(query: str, rows: Sequence[tuple[Customer, str]]) -> str:
    """Return the short list that asks which customer was meant (names and one detail only)."""
    lines = [f"Which “{query}” do you mean?" if query else "Which customer do you mean?"]
    lines += [f"• {candidate_label(c)} — {detail}" for c, detail in rows]
    return "\n".join(lines)


def suggestions_text(rows: Sequence[tuple[Customer, str]]) -> str:
    """Return the customers who share part of a name nobody has in full."""
    lines = ["Customers with part of that name:"]
    lines += [f"• {candidate_label(c)} — {detail}" for c, detail in rows]
    return "\n".join(lines)


def not_found_text(query: str) -> str:
    """Return the reply for a name nobody matches."""
    return (
        f"I couldn't find a customer matching “{query}”. Try the full name, the customer id, "
        "an email address or a phone number."
    )


NOTE_PENDING = "I'll save the note once you pick."
NOTE_FORM = "Who is the note for? Write: note for NAME: the note."
NEED_CUSTOMER = "Which customer? Give me a name, customer id, email or phone."
OUT_OF_SCOPE = (
    "I can't help with that: I answer about this store's customers and products "
    "(who someone is, what they bought, what to show them, product tips)."
)
CANNOT_LIST = (
    "I can't list customers yet: ask me about one customer at a time, by name, customer id, "
    "email or phone."
)
NO_PRODUCT = "I couldn't tell which product you mean. Try its name or sku."
WELCOME = "You're welcome! Ask me about a customer or a product whenever you need."
SHORT_HELP = "Ask me about a customer or a product in your own words, or send /help."
CUT_NOTICE = "Your message was long: I read only its beginning."


def no_contact_text(kind: str, value: str) -> str:
    """Return the reply for a phone number or email address no customer has."""
    what = "phone number" if kind == "phone" else "email address"
    return f"No customer has the {what} {value}."


def spend_text(
    customer: Customer, *, total: float, orders: int, label: str, unpriced: int, on: str = ""
) -> str:
    """Return how much a customer spent (net of returns), in a period when `label` names one,
    on the products or categories `on` names."""
    when = (f" on {on}" if on else "") + (f" in {label}" if label else " in all")
    if not orders:
        return f"{full_name(customer)} bought nothing{when}."
    text = f"{full_name(customer)} spent {money(total)}{when}, in {orders} order(s)."
    if unpriced:
        text += f" ({unpriced} line(s) without a price are not counted.)"
    return text
