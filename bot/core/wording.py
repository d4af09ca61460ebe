"""How answers read: short, phone-sized texts composed only of facts the store holds, in the
reply's language (bot.core.i18n: every fixed text goes through `_`/`ngettext`, dates and money
through Babel). Names, product names, notes and tips are shown as stored, never translated."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.core.i18n import (
    N_,
    _,
    current_language,
    format_day,
    format_day_month,
    format_money,
    format_month_name_year,
    format_month_year,
    ngettext,
)
from bot.core.i18n import language_name as _language_name
from bot.core.periods import Period
from bot.core.text import is_cjk
from knowledge.tips import Tip
from storage.models import Customer, Note, Product
from storage.purchases import PurchaseLine, PurchaseSummary

MAX_CHARS = 800
# Long items are shown to this many characters, with "…" and the full text on a "More" button.
PREVIEW_CHARS = 200

HELP = N_(
    "Ask me about a customer or a product, in your own words and language:\n"
    "• who is María López? / what sizes does she wear?\n"
    "• what did Maria buy last time? / in 2025?\n"
    "• Çağla is here, what should I show her?\n"
    "• tips for selling the AeroPress? / what goes well with it?\n"
    "• note for Hiroshi: kitchen renovation in spring\n"
    "• remind me to call Hiroshi on Friday / my tasks\n"
    "• who hasn't been in for 90 days? / birthdays this week\n"
    "Find customers by name, customer id, email or phone."
)


def language_name(code: str) -> str:
    """Return a language's name in the reply's language from its ISO 639-1 code ("el" →
    "Greek", "griego"; CLDR data through Babel), or the code itself when Babel has none."""
    return _language_name(code)


def day(moment: datetime | None) -> str:
    """Return a date in the reply's locale: "2 Oct 2026", "2 oct 2026", "2 Eki 2026"."""
    return format_day(moment) if moment else _("unknown")


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
    """Return an amount in the store's currency and the reply's locale: "€39.90", "39,90 €"
    (blank when unknown)."""
    return format_money(value) if value is not None else ""


def product_line(name: str, sku: str, price: float | None, about: str = "") -> str:
    """Return one bullet of a list of products to show: "• name (sku) · price — about" (price
    and `about` left out when unknown or empty)."""
    priced = f" · {money(price)}" if price is not None else ""
    return f"• {name} ({sku}){priced}" + (f" — {about}" if about else "")


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
    customer: Customer,
    summary: PurchaseSummary,
    notes: Sequence[Note],
    *,
    focus: str = "all",
    consent_since: datetime | None = None,
) -> str:
    """Return who a customer is: tier, sizes, likes, last visit, notes, consent (and since when
    it holds, when the consent history says)."""
    head = f"{full_name(customer)} · {customer.customer_id}"
    if customer.tier:
        head += f" · {customer.tier}"
    lines = [head]
    if focus == "sizes":
        sizes = preview(customer.sizes) if customer.sizes else None
        lines.append(
            _("Sizes: {sizes}").format(sizes=sizes) if sizes else _("No sizes on record.")
        )
        size_notes = [n for n in notes if "size" in n.text.lower() or "talla" in n.text.lower()]
        lines += [note_line(n) for n in size_notes[:3]]
        return clip("\n".join(lines))
    if customer.sizes:
        lines.append(_("Sizes: {sizes}").format(sizes=preview(customer.sizes)))
    if customer.preferences:
        lines.append(
            _("Preferences: {preferences}").format(preferences=preview(customer.preferences))
        )
    if summary.last is not None:
        visit = _("Last visit: {date}").format(date=day(summary.last))
        if summary.first:
            visit += " · " + ngettext(
                "{count} order since {month}", "{count} orders since {month}", summary.orders
            ).format(count=summary.orders, month=format_month_year(summary.first))
            if summary.spent:
                visit += " · " + _("{amount} spent").format(amount=money(summary.spent))
        lines.append(visit)
    else:
        lines.append(_("No purchases on record."))
    if notes:
        lines.append(_("Notes:"))
        lines += [note_line(n) for n in notes[:3]]
    extras = []
    if customer.language:
        extras.append(_("Speaks {language}").format(language=language_name(customer.language)))
    if customer.home_store:
        extras.append(_("home store {store}").format(store=customer.home_store))
    if consent_since is None:
        extras.append(
            _("marketing: yes") if customer.marketing_consent else _("marketing: no consent")
        )
    elif customer.marketing_consent:
        extras.append(_("marketing: yes, since {date}").format(date=day(consent_since)))
    else:
        extras.append(_("marketing: no consent, since {date}").format(date=day(consent_since)))
    if customer.birthday:
        extras.append(_("birthday {date}").format(date=format_day_month(customer.birthday)))
    lines.append(" · ".join(extras))
    # The consent line is what an associate must see before any outreach: it is never cut.
    return clip("\n".join(lines), keep_last=True)


def notes_text(customer: Customer, notes: Sequence[Note], *, full: bool = False) -> str:
    """Return a customer's notes, newest first: previews, or with `full` every word (however
    long: the transport splits it into messages); the preferences of her profile too, what
    staff keep in mind of her as much as the notes."""
    preferences = (
        [_("Preferences: {preferences}").format(preferences=preview(customer.preferences))]
        if customer.preferences
        else []
    )
    if not notes:
        who = short_name(customer)
        none = _("No notes about {name} yet. Add one: note for {short}: …").format(
            name=full_name(customer), short=who
        )
        return "\n".join([*preferences, none])
    lines = [_("Notes about {name}:").format(name=full_name(customer)), *preferences]
    lines += [note_line(n, full=full) for n in notes]
    text = "\n".join(lines)
    return text if full else clip(text)


def purchase_line(line: PurchaseLine) -> str:
    """Return one order line for a list: "• AeroPress ×2 · €79.90", the line's amount (a
    return's negative: "• Boots ×1 (returned) · −€188.96")."""
    what = f"{line.name} ×{abs(line.quantity)}"
    if line.quantity < 0:
        what += " " + _("(returned)")
    if line.unit_price is None:
        return f"• {what}"
    return f"• {what} · {money(line.quantity * line.unit_price)}"


def last_order_text(customer: Customer, lines: Sequence[PurchaseLine]) -> str:
    """Return the customer's most recent order."""
    if not lines:
        return _("{name} has no purchases on record.").format(name=full_name(customer))
    first = lines[0]
    head = _("{name} — last order on {date} ({order}):").format(
        name=full_name(customer), date=day(first.purchased_at), order=first.order_id
    )
    return clip("\n".join([head, *[purchase_line(line) for line in lines]]))


def history_text(
    customer: Customer, lines: Sequence[PurchaseLine], *, label: str, total: int
) -> str:
    """Return purchase lines grouped by day, newest first; `label` is the period as a phrase in
    the reply's language (`period_phrase`)."""
    if not lines:
        return _("{name} bought nothing {period}.").format(name=full_name(customer), period=label)
    out = [_("{name} — purchases {period}:").format(name=full_name(customer), period=label)]
    current = None
    for line in lines:
        when = day(line.purchased_at)
        if when != current:
            out.append(when)
            current = when
        out.append(purchase_line(line))
    if total > len(lines):
        more = total - len(lines)
        out.append(
            ngettext("… and {count} more line", "… and {count} more lines", more).format(
                count=more
            )
        )
    return clip("\n".join(out))


def product_text(
    product: Product,
    tips: Sequence[Tip],
    *,
    customer_name: str = "",
    bought: Sequence[PurchaseLine] = (),
    say_no_tips: bool = True,
) -> str:
    """Return a product card with its tips; with a customer's name (the customer in context),
    also whether they bought it, from `bought`: their lines of this product, oldest first.
    Without `say_no_tips`, a product with no tips has no line saying so (a card of several)."""
    head = f"{product.name} ({product.sku})"
    facts = [p for p in (product.category, product.brand, money(product.price)) if p]
    if facts:
        head += " · " + " · ".join(facts)
    lines = [head]
    if product.description:
        lines.append(product.description)
    if customer_name:
        lines.append(ownership(customer_name, bought))
    if tips:
        lines.append(_("Tips:"))
        lines += [tip_line(t) for t in tips]
    elif say_no_tips:
        lines.append(_("No tips for it yet; a manager can add one."))
    return clip("\n".join(lines))


def ownership(name: str, lines: Sequence[PurchaseLine]) -> str:
    """Return whether a customer has a product: never bought, bought (on one day or several,
    the last named) or bought and returned, from their lines of it (returns negative)."""
    bought = sorted(ln.purchased_at for ln in lines if ln.quantity > 0 and ln.purchased_at)
    if not any(ln.quantity > 0 for ln in lines):
        return _("{name} has not bought it here.").format(name=name)
    if not bought:  # lines without a date
        return _("{name} has bought it before.").format(name=name)
    returns = [ln.purchased_at for ln in lines if ln.quantity < 0 and ln.purchased_at]
    if returns and sum(ln.quantity for ln in lines) <= 0:
        return _("{name} bought it on {date} and returned it on {returned}.").format(
            name=name, date=day(bought[-1]), returned=day(max(returns))
        )
    days = len({d.date() for d in bought})
    if days == 1:
        return _("{name} bought it on {date}.").format(name=name, date=day(bought[-1]))
    return ngettext(
        "{name} bought it on {count} day, last on {date}.",
        "{name} bought it on {count} days, last on {date}.",
        days,
    ).format(name=name, count=days, date=day(bought[-1]))


def tips_text(query: str, tips: Sequence[Tip], names: dict[str, str]) -> str:
    """Return tips found for a question that names no known product."""
    if not tips:
        return _("I found no tips about “{query}”.").format(query=query)
    lines = [_("Tips that fit:")]
    for tip in tips:
        where = f" ({names[tip.sku]})" if tip.sku and tip.sku in names else ""
        lines.append(tip_line(tip) + where)
    return clip("\n".join(lines))


def tip_line(tip: Tip) -> str:
    """Return a tip as a list line, as stored; one in another language than the reply's is
    marked with that language ("(in Spanish)")."""
    if tip.language and tip.language != current_language():
        mark = _("in {language}").format(language=language_name(tip.language))
        return f"• {tip.text} ({mark})"
    return f"• {tip.text}"


def period_phrase(period: Period) -> str:
    """Return a period as a phrase in the reply's language: "in 2025", "in November 2026",
    "from March to May 2026" ("en 2025", "2025 yılında", "το 2025", "im Jahr 2025"); days,
    not whole months, as days: "on 2 Dec 2026", "from 23 Nov 2026 to 29 Nov 2026"."""
    start, end = period.start, period.end
    last = end - timedelta(days=1)
    if (start.day, end.day) != (1, 1):  # days, not whole months: "on 2 Dec 2026"
        if start.date() == last.date():
            return _("on {date}").format(date=format_day(start))
        return _("from {start} to {end}").format(start=format_day(start), end=format_day(last))
    if (start.month, start.day, end.month, end.day) == (1, 1, 1, 1) and end.year == start.year + 1:
        return _("in {year}").format(year=start.year)
    if (start.year, start.month) == (last.year, last.month):
        return _("in {month}").format(month=format_month_name_year(start))
    return _("from {start} to {end}").format(
        start=format_month_name_year(start), end=format_month_name_year(last)
    )


def candidate_label(customer: Customer) -> str:
    """Return a candidate customer as listed and on their button: "Maria Costa (C0166)"."""
    return f"{full_name(customer)} ({customer.customer_id})"


def candidates_text(query: str, rows: Sequence[tuple[Customer, str]]) -> str:
    """Return the short list that asks which customer was meant (names and one detail only)."""
    lines = [
        _("Which “{query}” do you mean?").format(query=query)
        if query
        else _("Which customer do you mean?")
    ]
    lines += [f"• {candidate_label(c)} — {detail}" for c, detail in rows]
    return "\n".join(lines)


def found_for_text(query: str, rows: Sequence[tuple[Customer, str]]) -> str:
    """Return the customers a name typed fits, after how to find a customer (`FIND_HELP`)."""
    lines = [_("For “{query}” I have:").format(query=query)]
    lines += [f"• {candidate_label(c)} — {detail}" for c, detail in rows]
    return "\n".join(lines)


def suggestions_text(rows: Sequence[tuple[Customer, str]]) -> str:
    """Return the customers who share part of a name nobody has in full."""
    lines = [_("Customers with part of that name:")]
    lines += [f"• {candidate_label(c)} — {detail}" for c, detail in rows]
    return "\n".join(lines)


def not_found_text(query: str) -> str:
    """Return the reply for a name nobody matches."""
    return _(
        "I couldn't find a customer matching “{query}”. Try the full name, the customer id, "
        "an email address or a phone number."
    ).format(query=query)


# Translated where they are used: _(wording.NOTE_FORM).
NOTE_PENDING = N_("I'll save the note once you pick.")
NOTE_FORM = N_("Who is the note for? Write: note for NAME: the note.")
NEED_CUSTOMER = N_("Which customer? Give me a name, customer id, email or phone.")
# CUSTOMER_SCOPE=store and the associate has no store: they see no customer at all.
NO_STORE = N_(
    "You are not assigned to a store, so I can't show you any customers. Ask a manager to "
    "set your store."
)
OUT_OF_SCOPE = N_(
    "I can't help with that: I answer about this store's customers and products "
    "(who someone is, what they bought, what to show them, product tips)."
)
CANNOT_LIST = N_(
    "I can list birthdays coming up, regulars who haven't been in for longer than usual, what "
    "is due to be bought again and your top customers, not this list yet; or ask me about "
    "one customer, by name, customer id, email or phone."
)
NO_STOCK = N_(
    "I can't see stock levels or the warehouse: please check the stock system. I answer about "
    "this store's customers and products (who someone is, what they bought, what to show them, "
    "product tips)."
)
NO_PRODUCT = N_("I couldn't tell which product you mean. Try its name or sku.")
FAREWELL = N_("See you! I'm here whenever you need me.")
WELCOME = N_("You're welcome! Ask me about a customer or a product whenever you need.")
# Looking a customer up gone wrong ("it keeps giving me the wrong Emma"): how to find one.
FIND_HELP = N_(
    "To find a customer, type the full name or the surname, a phone number, an email or the "
    "customer id; accents and capitals don't matter. When a name fits several customers, I ask "
    "which one: tap the right one."
)
SHORT_HELP = N_("Ask me about a customer or a product in your own words, or send /help.")
CUT_NOTICE = N_("Your message was long: I read only its beginning.")


def no_contact_text(kind: str, value: str) -> str:
    """Return the reply for a phone number or email address no customer has."""
    if kind == "phone":
        return _("No customer has the phone number {value}.").format(value=value)
    return _("No customer has the email address {value}.").format(value=value)


def spend_text(
    customer: Customer, *, total: float, orders: int, label: str, unpriced: int, on: str = ""
) -> str:
    """Return how much a customer spent (net of returns), in a period when `label` names one,
    on the products or categories `on` names."""
    name = full_name(customer)
    period = label or _("in all")
    if not orders:
        if on:
            return _("{name} bought nothing of {products} {period}.").format(
                name=name, products=on, period=period
            )
        return _("{name} bought nothing {period}.").format(name=name, period=period)
    if on:
        text = ngettext(
            "{name} spent {amount} on {products} {period}, in {count} order.",
            "{name} spent {amount} on {products} {period}, in {count} orders.",
            orders,
        ).format(name=name, amount=money(total), products=on, period=period, count=orders)
    else:
        text = ngettext(
            "{name} spent {amount} {period}, in {count} order.",
            "{name} spent {amount} {period}, in {count} orders.",
            orders,
        ).format(name=name, amount=money(total), period=period, count=orders)
    if unpriced:
        text += " " + ngettext(
            "({count} line without a price is not counted.)",
            "({count} lines without a price are not counted.)",
            unpriced,
        ).format(count=unpriced)
    return text
