"""What a message understood as being about a customer or a product asks beyond its intent: a
gift for someone nobody named ("a present for a man under 100 euros?"), ideas for a shopper who
describes what she wants (bot.core.wishes), what goes well with a product (bot.core.pairings),
or, said of a customer, what goes with what she has (her recommendations) or a measure of her
own sizes field ("PD της Χαράς;", "Kontaktlinsenwerte von Frau Schröder (BC)?": her sizes).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from functools import cache

from sqlmodel import Session

from bot.core import gifts, pairings
from bot.core.consent_asks import asks_about_consent
from bot.core.cues import cued_intents
from bot.core.datafiles import alternatives, read_toml
from bot.core.help_asks import complains_of_itself, reports_lookup_trouble
from bot.core.i18n import current_language
from bot.core.list_requests import asked_kind, dated_name
from bot.core.mentions import mask_name, names_a_person_back, refers_back, speaks_of_someone
from bot.core.name_cues import tells_asking
from bot.core.named_as import named_as
from bot.core.product_words import english_terms
from bot.core.retrieval import Retrieval
from bot.core.rules import (
    asks_errand,
    asks_for_ideas,
    asks_if_customer,
    asks_ownership,
    asks_to_save,
    asks_what_was_said,
    opens_with_save,
)
from bot.core.task_words import plans_contact
from bot.core.text import FOLDED_STOP_WORDS, bounded, fold, folded_words, strip_accents
from bot.core.types import Intent, Reply
from bot.core.understanding import CUSTOMER_INTENTS, Understood
from bot.core.wishes import wish_reply

# A gift asked for in these is not a gift request ("note for Ana: gift for her mum").
NO_GIFT_INTENTS = frozenset({Intent.note, Intent.lists, Intent.help, Intent.greeting})
# "What goes well with the Chemex?" is read as one of these; a question about a customer's
# history or profile that happens to say "with" stays what it is.
PAIRING_INTENTS = frozenset({Intent.product, Intent.recommend, Intent.unknown})
# What we recommended her (folded), in a question whether she bought it: her purchases say.
_RECOMMENDED = re.compile(
    r"\b(?:recommend|suggest|recomend|aconsej|sugeri|oner|tavsiye|proteina|proteinam|empfohl"
    r"|vorgeschlag)\w*"
)
# Read as about her profile or a product, a question naming a label of her sizes asks them.
SIZES_FROM = frozenset({Intent.overview, Intent.product})
# Read as about anything of hers but her notes, a question about what colleagues said, agreed
# or promised, a matter's state or a complaint asks her notes.
NOTES_FROM = frozenset(
    {
        Intent.overview,
        Intent.history,
        Intent.spend,
        Intent.product,
        Intent.recommend,
        Intent.sizes,
        Intent.unknown,
    }
)
_LABEL_END = re.compile(r"[:=]|\d")
# Gift ideas follow what the request says of the gift when a product is this near it (centred
# cosine; a request that says nothing, "gift ideas under 50", leaves the best sellers first).
GIFT_FLOOR = 0.05  # "gift ideas under 50" on the demo store: best 0.045
# Read as about her purchases, money or nothing, a question about her birthday, no gift
# and no purchase said, asks her profile ("wann hat X Geburtstag", "cumple de X?").
BIRTHDAY_FROM = frozenset({Intent.history, Intent.spend, Intent.unknown})
# Read as about anything of hers but her profile, whether she may be sent marketing asks it.
CONSENT_FROM = (NOTES_FROM - {Intent.unknown}) | {Intent.notes}
# A Greek object pronoun before the verb of a to-do ("να την πάρω τηλέφωνο"), folded: the
# article's forms, so only there.
_GREEK_OBJECT = re.compile(r"\bνα (?:τον|την|τη|τουσ|τισ) ")
# Read as nothing asked of a customer, a to-do pointing back is her note ("ich ruf sie morgen
# an, was hat sie gekauft?" asks what she bought).
TO_DO_FROM = frozenset({Intent.unknown, Intent.greeting, Intent.help})
# Read so, a name said to be one ("a customer called …") is no customer asked about.
# (Ideas asked for a shopper so named are ideas: "a lady called Mrs Henderson wants a present".)
NOT_NAMED_FROM = frozenset({Intent.help, Intent.greeting, Intent.lists, Intent.recommend})
# Readings of a message naming a shopper and, after her name, a kind of product she asks about.
WALK_IN_FROM = frozenset({Intent.product, Intent.overview, Intent.unknown})
# Read as about her purchases or profile, a gift asked for her, no purchase said, asks ideas.
GIFT_FROM = frozenset({Intent.history, Intent.overview})
# The English history cues have "bought", not these.
_BUY = re.compile(r"\b(?:buy|get|got|order|orders|ordered|purchase|pick(?:ed)? up)\b")


def _after(text: str, word: str) -> str:
    """Return the text after the last place `word` is typed in it (all of it when it isn't)."""
    at = text.rfind(word)
    return text[at + len(word) :] if at >= 0 else text


def refocused(u: Understood, text: str, today: date) -> Understood:
    """Return the understanding with its intent set to what a question about a customer asks
    beyond the words the model read: what goes with what she has, no product named, asks
    ideas for her (`pairings.asks_about_owned`); a label of her own sizes field asked about
    (`asks_her_sizes`) asks her sizes; what colleagues said or promised about her
    (`rules.asks_what_was_said`) asks her notes; her birthday (`asks_her_birthday`), or
    whether she may be sent marketing (`consent_asks`), her profile. With nobody named and no
    product, ideas asked for a shopper spoken of ("la clienta", "her") are a recommendation,
    however the model read them. A to-do of getting in touch on a day after `today` that
    points back ("να την πάρω τηλέφωνο αύριο"), nobody named, is a note (for the customer
    discussed, else asking who).
    """
    if u.named_customer and dated_name(text, u.name_words):
        # "who has a birthday in May?": the month, not May Harlow; the list asked for
        return replace(u, intent=Intent.lists, customer=None, candidates=[], named_customer=False)
    to_do = u.intent in TO_DO_FROM and not u.named_customer
    points = to_do and (refers_back(text) or _GREEK_OBJECT.search(strip_accents(text)))
    if points and plans_contact(text, today):
        return replace(u, intent=Intent.note)  # "ruf ihn morgen an": a note for her, or who
    if u.intent == Intent.notes and opens_with_save(text):
        return replace(u, intent=Intent.note)  # "pon en notas de X: prefiere whatsapp"
    if not u.named_customer and complains_of_itself(text, current_language()):
        # "this bot is useless, asked about a kettle and got some random answer"
        return replace(u, intent=Intent.help, customer=None, sku=None, candidates=[])
    saves = u.intent == Intent.note and (asks_to_save(text) or opens_with_save(text))
    found = u.customer is not None and u.named_customer
    named_product = u.intent == Intent.product and bool(u.product_skus)  # "the Stagg, it keeps…"
    if (
        not saves
        and not named_product
        and reports_lookup_trouble(text, current_language(), found=found)
    ):
        # "keeps giving me the wrong emma": how to find a customer, and whom the name typed
        # fits (none when nobody is named: the one discussed may be the wrong one)
        fits = u.candidates if u.named_customer else u.suggestions
        fits = [u.customer] if u.customer is not None and found else fits
        return replace(u, intent=Intent.help, customer=None, candidates=fits, suggestions=[])
    asks_product = u.intent == Intent.product and u.sku is not None  # "… called X asks about…"
    said = [] if u.named_customer or u.candidates or asks_product else named_as(text)
    after = _after(text, said[-1]) if said else ""
    walk_in = u.intent in WALK_IN_FROM and not asks_if_customer(text)  # "…, var mı?": is she?
    if walk_in and tells_asking(after) and english_terms(after, naming=True):
        # "Selin hanım diye bi müşteri çocuk kaskı soruyor": a shopper so named asks about a
        # kind of product; the product question, nobody looked up
        return replace(u, intent=Intent.product, customer=None, customer_query="", suggestions=[])
    listed = u.intent == Intent.lists and len(said) > 1  # "a customer called Tom Briggs…"
    if said and (u.intent not in NOT_NAMED_FROM or listed) and not _asks_ideas(text):
        # "who's hope fairbanks?", "X diye bir müşterimiz var mı": that name, not found (with
        # whom part of it fits), whatever its words mean besides, and nobody discussed before
        about = u.intent if u.intent in CUSTOMER_INTENTS | {Intent.note} else Intent.overview
        return replace(u, intent=about, customer=None, customer_query=" ".join(said))
    if u.customer is None:
        unnamed = not (u.candidates or u.customer_query or u.sku or u.product_kind or u.stock)
        asked = unnamed and u.intent == Intent.product and asks_for_ideas(text)
        if asked and (speaks_of_someone(text) or names_a_person_back(text)):
            # "la clienta está en caja, ¿qué más le puedo enseñar?": ideas for a shopper
            return replace(u, intent=Intent.recommend)
        return u
    if u.sku is None and u.intent in PAIRING_INTENTS and pairings.asks_about_owned(text):
        return replace(u, intent=Intent.recommend)  # "was passt zu dem, was sie schon hat?"
    if (
        u.intent in CONSENT_FROM
        and asks_about_consent(text)
        and not _asks_bought(text, gets=False)
    ):
        return replace(u, intent=Intent.overview)  # "ok to send her offers or did she opt out?"
    masked = mask_name(text, set(u.name_words))
    if u.intent == Intent.recommend and _RECOMMENDED.search(fold(text)) and asks_ownership(masked):
        return replace(u, intent=Intent.history)  # "did X end up buying what I recommended?"
    ideas = u.intent == Intent.recommend and asks_for_ideas(text)  # "…, was passt zu ihr?"
    errand = u.intent == Intent.unknown and asks_errand(text, named=True)  # "θα βρέξει αύριο;…"
    if (
        u.intent in NOTES_FROM
        and not (ideas or errand)
        and asks_what_was_said(masked)  # "got anything on X?"
    ):
        # "X Bey'e söz verilmiş mi"; "when is her ring ready, what did we tell her?" asks
        # what was said, whatever measure of hers ("ring") it names.
        return replace(u, intent=Intent.notes)
    # Read as about her purchases, "whats sarah's foundation shade?" asks her sizes too: a
    # label of hers with a word asking what she wears, and nothing of a purchase.
    sized = u.intent in SIZES_FROM or (u.intent == Intent.history and not _asks_bought(text))
    if sized and asks_her_sizes(u.customer.sizes, text, u.intent):
        return replace(u, intent=Intent.sizes)
    if u.intent in BIRTHDAY_FROM and asks_her_birthday(text):
        return replace(u, intent=Intent.overview)
    if u.intent in GIFT_FROM and gifts.gift_request(text) is not None and not _asks_bought(text):
        return replace(u, intent=Intent.recommend)  # "gift for Maria López": ideas for her
    return u


def _asks_ideas(text: str) -> bool:
    """Return whether a message asks for ideas or a gift ("… wants a present, ideas?")."""
    return asks_for_ideas(text) or gifts.gift_request(text) is not None


def asks_her_birthday(text: str) -> bool:
    """Return whether a message about a customer asks her birthday: a birthday word
    (lists.toml [kinds.birthdays]), no gift and none of the words of a purchase or of money
    ("what did she buy for her birthday?" asks her purchases)."""
    if asked_kind(text) != "birthdays" or gifts.gift_request(text) is not None:
        return False
    return not _asks_bought(text)


def _asks_bought(text: str, *, gets: bool = True) -> bool:
    """Return whether a message holds a word of a purchase or of money (the history and spend
    cues, "buy", "order"…; "get" and "got" unless not `gets`: "does she get the newsletter?")."""
    cued = cued_intents(text) & {Intent.history, Intent.spend}
    bought = [m for m in _BUY.finditer(text.casefold()) if gets or m[0] not in ("get", "got")]
    return bool(cued) or bool(bought)


def size_labels(sizes: str | None) -> set[str]:
    """Return the folded labels of a customer's sizes field: the words naming each measure,
    before its colon or its first number ("frame 51-19-140; PD 61; CL BC 8.6 DIA 14.2" →
    frame, pd, cl, bc, dia; "foundation: Second Skin 3W" → foundation), stop words left out."""
    labels: set[str] = set()
    for entry in re.split(r"[;,\n|]", sizes or ""):
        words = entry.split()
        for i, word in enumerate(words):
            if _LABEL_END.search(word) and i:  # the word before a number labels it ("DIA 14.2")
                labels.update(folded_words(words[i - 1]))
        head = _LABEL_END.split(entry, maxsplit=1)[0] if _LABEL_END.search(entry) else ""
        labels.update(folded_words(head))
    return {w for w in labels if len(w) >= 2 and w not in FOLDED_STOP_WORDS and w.isalpha()}


@cache
def _size_words() -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives(read_toml('size_words.toml')['asks'])})")


def asks_her_sizes(sizes: str | None, text: str, intent: Intent) -> bool:
    """Return whether a question read as `intent` names a label of the customer's sizes field
    (`size_labels`): read as about her profile, the label alone ("PD της Χαράς;"); read as about
    a product, with a word asking what she wears or measures ("what foundation shade does she
    wear?", size_words.toml) too, since a label may name a product ("foundation")."""
    labels = size_labels(sizes)
    if not labels or not labels & {fold(w) for w in folded_words(text)}:
        return False
    return intent == Intent.overview or _size_words().search(strip_accents(text)) is not None


def shopping_reply(
    r: Retrieval, db: Session, text: str, u: Understood, chat_sku: str | None
) -> Reply | None:
    """Return the reply to a gift request, a shopper's wish or a "what goes with" question,
    else None; `chat_sku` is the product the chat is about ("what goes well with it?")."""
    read = bounded(text)[0]
    if (gift := gift_asked(r, read, u)) is not None:
        return gifts.gift_reply(db, gift, nearest=_described(r, read))
    if (wish := wish_reply(r, db, read, u)) is not None:
        return wish  # "a customer wants something fresh for summer, what do I show her?"
    owned = u.customer is not None and u.sku is None and pairings.asks_about_owned(read)
    if u.intent in PAIRING_INTENTS and pairings.asks_what_goes_with(read) and not owned:
        # A product named with a suffix ("AeroPress'in") or described ("the cast iron pan"),
        # else the one the chat is about ("what goes well with it?").
        sku = u.sku or r.product_described(read) or chat_sku
        if sku is not None:
            reply = pairings.pairings_reply(db, sku, u.customer)
            if u.customer is not None or speaks_of_someone(read):
                # What to offer her with it ("what goes with the mixer Tom bought?", "cliente
                # se lleva el porcelánico, ¿qué le añado?"): ideas for a shopper.
                reply.intent = Intent.recommend
            return reply
    return None


def _described(r: Retrieval, read: str) -> dict[str, float]:
    """Return the products near what a gift request says of the gift (sku → centred cosine,
    GIFT_FLOOR or above), its numbers left out: "under 50" is no "50x50" cushion."""
    nearest = r.products_by_meaning(re.sub(r"\d+(?:[.,]\d+)?", " ", read))
    return {sku: score for sku, score in nearest if score >= GIFT_FLOOR}


def gift_asked(r: Retrieval, read: str, u: Understood) -> gifts.GiftRequest | None:
    """Return the gift asked for when nobody is in context ("a present for a man under 100
    euros?"), else None."""
    if u.customer or u.candidates or u.intent in NO_GIFT_INTENTS:
        return None
    gift = gifts.gift_request(read)
    if gift is None or not gifts.names_only_the_gift(u.customer_query):
        return None
    # "what do I say about the wool throw to someone looking for a gift?", "is the cashmere
    # beanie a good gift at 119?": about the product its words name, not a gift to find (a
    # product only described is none: "le gusta lo floral, unos 100€").
    named = r.product_named(read) is not None
    return None if named or english_terms(read, naming=True) else gift
