"""The associate's book: customer lists (birthdays, lapsed regulars, VIPs) with a reason each,
worded in the reply's language, for the chat and `clienteling lists`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from bot.core import wording
from bot.core.i18n import _, format_day_month, ngettext
from bot.core.text import strip_accents
from storage.customer_lists import birthdays, due, lapsed, vips
from storage.db import read_session

KINDS = ("birthdays", "lapsed", "due", "vip")
# Lists named in the issue that are not built yet: asked for, they are refused by name.
LATER = ("followups",)


@dataclass(frozen=True)
class BookRow:
    """One row of a list: the customer, why they are on it and the figure behind it."""

    customer_id: str
    name: str
    reason: str
    value: float
    sku: str | None = None  # the item due (`due` lists)

    def as_dict(self) -> dict[str, object]:
        """Return the row as the `--json` line of `clienteling lists` (`sku` for `due`)."""
        row: dict[str, object] = {
            "customer_id": self.customer_id,
            "name": self.name,
            "reason": self.reason,
            "value": self.value,
        }
        if self.sku is not None:
            row["sku"] = self.sku
        return row


def book_list(
    engine: Engine,
    kind: str,
    *,
    today: date,
    days: int | None = None,
    store: str | None = None,
    limit: int = 20,
) -> list[BookRow]:
    """Return a list of `kind` (KINDS) as of `today`, best first, at most `limit` rows, its
    reasons in the reply's language. `days`: the birthday window (default 7) or, for lapsed,
    "no visit for `days` days" instead of each customer's own rhythm. ValueError for another
    kind."""
    if kind not in KINDS:
        raise ValueError(f"unknown list {kind!r}: choose one of {', '.join(KINDS)}")
    with read_session(engine) as db:
        if kind == "birthdays":
            return [
                BookRow(
                    r.customer.customer_id,
                    wording.full_name(r.customer),
                    _("birthday today")
                    if r.days == 0
                    else ngettext(
                        "birthday in {count} day ({date})",
                        "birthday in {count} days ({date})",
                        r.days,
                    ).format(count=r.days, date=format_day_month(r.birthday)),
                    float(r.days),
                )
                for r in birthdays(session=db, today=today, days=days or 7, store=store)[:limit]
            ]
        if kind == "lapsed":
            return [
                BookRow(
                    r.customer.customer_id,
                    wording.full_name(r.customer),
                    _lapsed_reason(r.days, r.usual_days, r.spend),
                    float(r.days),
                )
                for r in lapsed(session=db, today=today, days=days, store=store)[:limit]
            ]
        if kind == "due":
            return [
                BookRow(
                    r.customer.customer_id,
                    wording.full_name(r.customer),
                    _due_reason(r.product, r.days, r.usual_days, own=r.own_rhythm),
                    float(r.days),
                    r.sku,
                )
                for r in due(session=db, today=today, store=store)[:limit]
            ]
        return [
            BookRow(
                r.customer.customer_id,
                wording.full_name(r.customer),
                ngettext(
                    "{amount} in the last 12 months, {count} order",
                    "{amount} in the last 12 months, {count} orders",
                    r.orders,
                ).format(amount=wording.money(r.spend), count=r.orders)
                + (f" · {r.customer.tier}" if r.customer.tier else ""),
                round(r.spend, 2),
            )
            for r in vips(session=db, today=today, store=store, limit=limit)
        ]


def _due_reason(product: str, days: int, usual: float, *, own: bool) -> str:
    every = round(usual)
    rhythm = (
        ngettext("buys it about every {count} day", "buys it about every {count} days", every)
        if own
        else ngettext(
            "its buyers re-buy it about every {count} day",
            "its buyers re-buy it about every {count} days",
            every,
        )
    ).format(count=every)
    last = ngettext("last {count} day ago", "last {count} days ago", days).format(count=days)
    return f"{product}: {rhythm}, {last}"


def _lapsed_reason(days: int, usual: float | None, spend: float) -> str:
    text = ngettext("last visit {count} day ago", "last visit {count} days ago", days).format(
        count=days
    )
    if usual is not None:
        every = round(usual)
        text += ", " + ngettext(
            "usually every {count} day", "usually every {count} days", every
        ).format(count=every)
    if spend > 0:
        text += " · " + _("{amount} in the last 12 months").format(amount=wording.money(spend))
    return text


def list_text(kind: str, rows: list[BookRow]) -> str:
    """Return a list as a chat reply: a title and a line per customer."""
    titles = {
        "birthdays": _("Birthdays coming up:"),
        "lapsed": _("Regulars who haven't been in for longer than usual:"),
        "due": _("Due to buy again:"),
        "vip": _("Your top customers:"),
    }
    if not rows:
        empties = {
            "birthdays": _("No birthdays in the coming days."),
            "lapsed": _("Nobody is overdue for a visit."),
            "due": _("Nothing is due to be bought again."),
            "vip": _("No purchases in the last 12 months."),
        }
        return empties[kind]
    lines = [titles[kind]]
    lines += [f"• {row.name} ({row.customer_id}) — {row.reason}" for row in rows]
    return wording.clip("\n".join(lines))


# Which list a message asks for, by its words (folded, own script), in the five languages.
_KIND_WORDS = {
    "due": r"\bdue\b|run(?:ning)? out|reponer|se (?:le|les) (?:acaba|acab)|bitmek uzere|bitecek"
    r"|tekrar alma|τελειων|ξαναπαρ|nachkauf|geht (?:bald )?aus|wieder (?:kaufen|brauchen)",
    "birthdays": r"birthday|cumple|dogum gun|γενεθλι|geburtstag",
    "vip": r"\bvips?\b|top (?:\d+ )?(?:spenders|customers|clients)|best customers|mejores client"
    r"|en iyi musteri|καλυτερ\w* πελατ|beste[nr]? kund|stammkund|spent the most|mas gast",
    "lapsed": r"haven.?t (?:been|come)|hasn.?t (?:been|come)|not been in|lapsed"
    r"|no (?:han|ha) (?:venido|vuelto)|hace (?:mucho|tiempo) que no"
    r"|gelmeyen|gelmedi|uzun zaman"
    r"|δεν (?:εχουν|εχει) (?:ερθει|περασει)|καιρο"
    r"|nicht mehr (?:da|gekommen|hier)|lange nicht",
}


def asked_kind(text: str) -> str | None:
    """Return the list a message asks for (KINDS), or None when it is another one."""
    folded = strip_accents(text)
    for kind, pattern in _KIND_WORDS.items():
        if re.search(pattern, folded):
            return kind
    return None


__all__ = ["KINDS", "LATER", "BookRow", "asked_kind", "book_list", "list_text"]
