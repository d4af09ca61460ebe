"""What a customer standing there is said to ask ("María wants to know where the post office
is", "η Σοφία ρωτάει τι ώρα κλείνει το φαρμακείο", "Can wifi şifresini soruyor"): read on its
own, her question decides the answer. Off topic, it is answered as off topic (with her still
the one discussed), not with her profile or a product's tips."""

from __future__ import annotations

from dataclasses import replace

from bot.core import gifts
from bot.core.intents import IntentClassifier
from bot.core.name_cues import asked_part
from bot.core.retrieval import Retrieval
from bot.core.rules import asks_for_ideas, wants_something
from bot.core.text import folded_words
from bot.core.types import Intent
from bot.core.understanding import SURE, Understood

# Readings of a message about a named customer that her own question, off topic, overrides.
HERS_FROM = frozenset({Intent.overview, Intent.product, Intent.recommend})


def her_question(
    r: Retrieval, classifier: IntentClassifier, u: Understood, text: str
) -> Understood:
    """Return the understanding of a message that names a customer and tells what she asks or
    wants (bot.core.name_cues.asked_part), read as about her profile, a product or ideas for
    her, as off topic when her question alone surely is (the intent model, SURE or more) and
    names no product of the catalogue well, nor asks for ideas or a gift; else unchanged.
    Her customer stays (the next "and her sizes?" is about her)."""
    if not u.named_customer or u.intent not in HERS_FROM or u.candidates:
        return u  # (several customers fit the name: which one, first)
    asked = asked_part(text)
    if not asked or asks_for_ideas(text) or wants_something(text) or gifts.gift_request(text):
        return u
    if u.sku is not None and r.catalogue.products.names_well(folded_words(asked), u.sku):
        return u  # "Çağla asks if the moka pot comes in 3 cups"
    guess = classifier.classify(asked)
    if guess.intent != Intent.unknown or guess.score < SURE:
        return u
    return replace(u, intent=Intent.unknown, sku=None, product_skus=[], categories=[])
