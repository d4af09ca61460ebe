"""Product names read past a denial: "the X12, not the pro" names the X12; "garment bag, not
the pro one" the plain garment bag; "el arreglo de bajo (no el express)" the hem that is not
the express one. Which words a message denies is bot.core.features.undenied.
"""

from __future__ import annotations

import itertools

from bot.core.catalogue import ProductIndex
from bot.core.features import NAME_NEGATORS, undenied
from bot.core.text import folded_words

Hits = list[tuple[str, float, set[str]]]
# A model of the same line shares at least this much of the denied model's other name words.
HALF = 0.5
# Of several products named by the denied words only, the line whose nearest model shares this
# much more of its name than the next line's is the one meant.
LINE_MARGIN = 0.25


def _still_names(rest: set[str], named: set[str]) -> bool:
    """Return whether the rest of a denied model's name, not a number alone, is among the
    words naming another (`named`): "not the anvil ones, the other secateurs" leaves
    "secateurs"; "not the Hoka Clifton 9" leaves "9", which names no sibling."""
    return any(not w.isdigit() for w in rest) and rest <= named


def _spanish_no(folded: list[str]) -> bool:
    """Return whether a message's "no" stands right before a Spanish article ("no el express",
    "no la pro"): a denial, as English "no, the cream one" is not."""
    return any(
        w == "no" and nxt in {"el", "la", "los", "las"} for w, nxt in itertools.pairwise(folded)
    )


def undenied_hits(index: ProductIndex, folded: list[str]) -> tuple[Hits, list[str]]:
    """Return `ProductIndex.match_names` of the words and the words, or, with a word denied
    (`features.undenied`: "the X12, not the pro"), of the others, the plain model named
    too, when what they name first has no denied word and is a shorter sibling of a
    product all the words name with the word denied (the "Nova X12"), or is named by
    every word that named that product but the denied ("not the anvil ones, the other
    secateurs": the "Bypass Secateurs"; "hedge trimmer, not the pro": the 50 cm). A
    product denied whole ("not the Hoka") stays named, as ruled out."""
    hits = index.match_names(folded)
    kept = undenied(folded)
    if len(kept) == len(folded) or not hits:
        return hits, folded
    denied = set(folded) - set(kept)
    # A denied word too short to be a token ("UL" of "Nimbus 2 UL") rules out its models.
    short = {w for w in denied if w not in index.by_token}
    hits = [h for h in hits if not short & name_words(index, h[0])] or hits
    # named as well by the rest only after a denial proper: "no, the cream one" affirms
    # ("no el express", with a Spanish article, denies)
    proper = NAME_NEGATORS - ({"no"} if not _spanish_no(folded) else set())
    surely = denied <= set(folded) - set(undenied(folded, proper))
    # The rest names no product holding a denied word ("garment bag, not the pro one").
    plain = [h for h in index.match_names(kept, plain=True) if not denied & index.tokens_of[h[0]]]
    named = [(index.tokens_of[sku], said) for sku, _, said in hits[:3]]
    if plain and any(
        denied & name
        and (
            index.tokens_of[plain[0][0]] < name
            or (surely and _still_names(said - denied, plain[0][2]))
        )
        for name, said in named
    ):
        return plain, kept
    # Else named with a denied word only ("el arreglo de bajo (no el express)", "flux, όχι η
    # pro"): the models of its line without it.
    siblings = _without_denied(index, hits, denied) if surely else []
    return (siblings, kept) if siblings else (hits, folded)


def _without_denied(index: ProductIndex, hits: Hits, denied: set[str]) -> Hits:
    """Return, when what a message names first is named with a denied word ("flux, όχι η
    pro"; "no el express"), the other models of its line (`_line`). Named by denied words
    only, the line of the one such product whose other models share the most of its name
    ("express": the curtain hemming, all but "express", not the Moka Express and a 6-cup
    pot), by LINE_MARGIN; [] when that does not tell ("pro olmayan": which "pro"?)."""
    if not hits or not denied & index.tokens_of[hits[0][0]]:
        return []  # what is named first is no model denied
    if hits[0][2] - denied:
        return _line(index, hits[0], denied)
    lines = [
        (found[0][1] / h[1], found)
        for h in hits
        if h[2] <= denied and (found := _line(index, h, denied))
    ]
    lines.sort(key=lambda line: -line[0])
    if len(lines) > 1 and lines[0][0] - lines[1][0] < LINE_MARGIN:
        return []
    return lines[0][1] if lines else []


def _line(index: ProductIndex, hit: tuple[str, float, set[str]], denied: set[str]) -> Hits:
    """Return the models of a product's line without the denied words: of its category,
    holding no denied word but every other word that named it, sharing at least HALF of the
    other words of its name (numbers aside), scored as it was times that share."""
    sku, score, said = hit
    rest = said - denied
    own = {t for t in index.tokens_of[sku] - denied if not t.isdigit()}
    category = index.products[sku].category
    found = []
    for other in set().union(*(index.by_token.get(t, set()) for t in own)) - {sku}:
        tokens = index.tokens_of[other]
        share = len(own & tokens) / len(own) if own else 0.0
        if (
            index.products[other].category == category
            and not denied & name_words(index, other)
            and rest <= tokens
            and share >= HALF
        ):
            found.append((other, score * share, own & tokens))
    return sorted(found, key=lambda h: (-h[1], h[0]))


def other_models(index: ProductIndex, sku: str, denied: set[str]) -> list[str]:
    """Return the other models of `sku`'s line that hold none of the `denied` words (`_line`,
    as if its name was typed whole), nearest first."""
    hit: tuple[str, float, set[str]] = (sku, 1.0, set())
    return [other for other, _, _ in _line(index, hit, denied)]


def name_words(index: ProductIndex, sku: str) -> set[str]:
    """Return the folded words of a product's name, short ones too ("UL" of "Nimbus 2 UL", no
    token of its name: a denial of it still tells the models apart)."""
    return set(folded_words(index.products[sku].name))
