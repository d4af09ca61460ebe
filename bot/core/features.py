"""Which of near-identical products a question's feature words point to, negation included.

Two models of one line ("R7" and "R7+ & Mop", "Air 300" and "Air 300 NC") share most of their
name and most of their meaning, and a sentence embedding does not see "without": "the robot
vacuum without the dock" sits as near to the one with a dock as to the one without. Here the
question's feature words (English, or the English of a glossary word: "Wischfunktion" is mop)
are read with their polarity ("without", "sin", "ohne", "χωρίς", Turkish "-sız") and looked up
in each candidate's name and description, with theirs ("vacuum only, no mopping"): a feature
asked for and described counts for a product, asked for and denied counts against it, and a
feature asked to be absent counts for the product that denies or does not mention it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from bot.core.catalogue import ProductInfo
from bot.core.product_words import english_terms_placed, is_feature_word
from bot.core.text import FOLDED_STOP_WORDS, strip_accents

# Words that deny what follows, folded, per language (Turkish denies with a suffix, below).
NEGATORS = frozenset(
    {
        "without",
        "no",
        "not",
        "non",
        "sin",
        "ohne",
        "kein",
        "keine",
        "keinen",
        "nicht",
        "χωρισ",
        "οχι",
    }
)
# How many words before a feature a denial reaches: in a description or an English question
# ("no self-emptying dock"), and before a glossary word, whose modifiers the glossary holds
# ("ohne Milchsystem", not "χωρίς ακύρωση θορύβου μπαταρία").
REACH = 3
GLOSSARY_REACH = 2
# A feature word matches a described word sharing its start to this many letters of it short
# of its end ("descale" and "descaling"), or the whole of it ("mop" and "mopping").
STEM_SLACK = 2
STEM_MIN = 4
# Turkish "-sız/-siz/-suz/-süz" (folded) right after a feature word ("sütsüz", "haznesiz"), or
# "(olan) değil" after it ("yeşil olan değil": not the green one).
_TR_WITHOUT = re.compile(r"^(?:s[iu]z|\w*\s+(?:olan[i]?\s+)?degil\b)")
# Words, and numbers whole with their decimals ("1,2" and "1.2" are one number, read 1.2).
_WORD = re.compile(r"\d+(?:[.,]\d+)?(?!\w)|\w+")
# Clauses end at these, but not a decimal point ("1.2 L").
_CLAUSE = re.compile(r"[;:!?()]|\.(?!\d)")
# A number typed with its unit, as in "1500W", "60min", "50m2": read as the number and the unit.
_NUMBER_UNIT = re.compile(r"(\d)([^\W\d_])")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# The English (after the glossary, bot.core.product_words) asking for the smaller or the larger
# of two models of one line ("der kleine Luftreiniger", "το μεγάλο"), and the name words that
# make a model the small or the large one when its name holds no number ("Capsa Mini").
SMALLER = frozenset({"small", "smaller", "smallest", "little", "mini", "compact", "lite"})
LARGER = frozenset({"large", "larger", "largest", "big", "bigger", "biggest", "max", "xl"})


# Words let in between a denial and the word it denies in a name: articles and "is" ("not the
# pro", "el que no es pro", "ohne die Matte", "χωρίς το pro"), as folded_words spells them.
_DENIED_THROUGH = frozenset(
    "the a an el la los las lo es un una der die das den dem ein eine is its "
    "to ta ton tin ti i o".split()  # Greek as folded_words spells it (bot.core.text)
)
# Turkish "the one that is" ("yeşil olan değil": not the green one), as folded_words spells it.
_TURKISH_ONE = frozenset({"olan", "olani"})
# Turkish words denying the word before them: "değil" (not), "olmayan" (that is not).
_TURKISH_NOT = frozenset({"degil", "olmayan", "olmayani", "olmayanı"})
# NEGATORS as folded_words spells them (Greek in Latin letters: "χωρίς" is "choris"), and as
# Greeklish types them ("oxi", "xoris").
NAME_NEGATORS = NEGATORS | {"choris", "ochi", "oxi", "xoris", "horis"}


def undenied(folded: list[str], negators: frozenset[str] = NAME_NEGATORS) -> list[str]:
    """Return a message's folded words without those denied right after a word of
    `negators`, articles or "is" let in between ("the X12, not the pro": the X12; "ohne pro",
    "el que no es pro"), and the word after that unless a stop word or after a feature ("not
    the fancy pro ones": fancy and pro; "not the grey Metro": grey), or right before Turkish
    "değil" or "olan değil" ("pro değil", "yeşil olan değil": not the green one; not "değil
    mi?", isn't it) or "olmayan" ("pro olmayan"): no word of a product's name then. "No"
    before a number is the number's ("Felco No. 2")."""
    denied = set()
    for at, word in enumerate(folded):
        if word not in negators:
            continue
        after = at + 1
        while after < len(folded) and folded[after] in _DENIED_THROUGH:
            after += 1
        if after < len(folded) and not (word == "no" and folded[after][:1].isdigit()):
            denied.add(after)
            then = after + 1  # not after a feature ("not the grey metro": grey, not Metro)
            if then < len(folded) and not (
                {folded[then]} & (FOLDED_STOP_WORDS | NAME_NEGATORS)
                or is_feature_word(folded[after])
            ):
                denied.add(then)
    # Turkish denies after: "pro değil" (not the pro), "yeşil olan değil" (not the green one),
    # "pro olmayan" (the one that is not pro)
    for at, word in enumerate(folded):
        tag = at + 1 < len(folded) and folded[at + 1] in {"mi", "mu"}  # "V8 Pro değil mi?"
        if word in _TURKISH_NOT and at > 0 and not tag:
            denied.add(at - 1)
            if folded[at - 1] in _TURKISH_ONE and at > 1:
                denied.add(at - 2)
    return [w for at, w in enumerate(folded) if at not in denied]


def _words(text: str) -> list[str]:
    return [w.replace(",", ".") for w in _WORD.findall(text)]


def _is_number(word: str) -> bool:
    return _NUMBER.fullmatch(word) is not None


def asked_features(text: str, *, english: bool) -> list[tuple[tuple[str, ...], bool]]:
    """Return the features a question asks about: (English words, wanted) pairs, `wanted`
    False when the question denies the feature ("without the dock"). In English the question's
    own content words; in another language the English of its glossary words."""
    folded = _NUMBER_UNIT.sub(r"\1 \2", strip_accents(text))
    if english:
        tokens = _words(folded)
        return [
            ((word,), not _denied(tokens, i))
            for i, word in enumerate(tokens)
            if word not in FOLDED_STOP_WORDS
            and word not in NEGATORS
            and (len(word) > 2 or _is_number(word))
        ]
    # Numbers are features in every language: "το μπλέντερ των 1500W" is the "Power 1500".
    # A number denied ("όχι το μικρό το 47", "no el de 47") is not wanted: its name's not meant.
    typed = [w for w in _words(folded) if w not in _DENIED_THROUGH]
    found: list[tuple[tuple[str, ...], bool]] = [
        ((word,), not _denied(typed, i, GLOSSARY_REACH))
        for i, word in enumerate(typed)
        if _is_number(word)
    ]
    folded = strip_accents(text)  # the glossary's places are in the text as typed
    for start, end, term in english_terms_placed(text):
        before = _WORD.findall(folded[:start])
        wanted = not (
            _denied(before, len(before), GLOSSARY_REACH) or _TR_WITHOUT.match(folded[end:])
        )
        found.append((tuple(_WORD.findall(strip_accents(term))), wanted))
    return found


def feature_choice(
    candidates: Sequence[str],
    products: Mapping[str, ProductInfo],
    asked: Sequence[tuple[tuple[str, ...], bool]],
) -> str | None:
    """Return the one candidate sku the asked features favour most (see the module), or None
    when none stands alone at the top (the caller then decides by meaning)."""
    if len(candidates) < 2 or not asked:
        return None
    scores = {sku: _score(products[sku], asked) for sku in candidates if sku in products}
    if not scores:
        return None
    best = max(scores.values())
    top = [sku for sku, score in scores.items() if score == best]
    return top[0] if len(top) == 1 else None


def _score(product: ProductInfo, asked: Sequence[tuple[tuple[str, ...], bool]]) -> float:
    said = _described(f"{product.name}. {product.description or ''}")
    score = 0.0
    for words, wanted in asked:
        has = _has(said, words)
        if has is None:
            score += 0.0 if wanted else 0.5
        else:
            score += 1.0 if has == wanted else -1.0
    return score


@lru_cache(maxsize=1024)
def _described(text: str) -> tuple[tuple[str, bool], ...]:
    """Return the description's words (folded) with whether each is affirmed, not denied (read
    once per product text: the same siblings are compared question after question)."""
    said: list[tuple[str, bool]] = []
    for clause in _CLAUSE.split(_NUMBER_UNIT.sub(r"\1 \2", strip_accents(text))):
        tokens = _words(clause)
        said += [(word, not _denied(tokens, i)) for i, word in enumerate(tokens)]
    return tuple(said)


def _has(said: Sequence[tuple[str, bool]], words: tuple[str, ...]) -> bool | None:
    """Return whether the description affirms (True) or denies (False) the feature, None when
    it does not mention it. A word matches a described word it begins ("mop" → "mopping");
    several words must follow one another, a word or two apart at most."""
    if not words:
        return None
    verdicts = []
    for i, (word, affirmed) in enumerate(said):
        if not _same_word(words[0], word):
            continue
        at, ok = i, True
        for following in words[1:]:
            ahead = [
                j
                for j in range(at + 1, min(at + 3, len(said)))
                if _same_word(following, said[j][0])
            ]
            if not ahead:
                ok = False
                break
            at = ahead[0]
        if ok:
            verdicts.append(affirmed)
    if not verdicts:
        return None
    return any(verdicts)


def _denied(tokens: Sequence[str], i: int, reach: int = REACH) -> bool:
    return any(t in NEGATORS for t in tokens[max(0, i - reach) : i])


def _same_word(asked: str, said: str) -> bool:
    if _is_number(asked) or _is_number(said):
        return asked == said  # "50" is no "500"
    if said.startswith(asked):
        return True
    shared = next(
        (n for n, (a, b) in enumerate(zip(asked, said, strict=False)) if a != b),
        min(len(asked), len(said)),
    )
    return shared >= max(STEM_MIN, len(asked) - STEM_SLACK)


def size_choice(
    candidates: Sequence[str],
    products: Mapping[str, ProductInfo],
    asked: Sequence[tuple[tuple[str, ...], bool]],
) -> str | None:
    """Return the smaller or the larger of models of one line (`candidates` whose names differ
    only by numbers and size words: "Breeze 30" and "Breeze 50"; of the candidates, the only
    line with several models: "the big Holzbrand" among its two sizes and its gift set) when
    the question asks for the small or the large one (English words in `asked`, SMALLER or
    LARGER), None when it asks neither, no line or several have models among the candidates,
    or their sizes tie. A model's size is the first number in its name ("1,7" read as 1.7),
    else -1 or +1 for a size word in it."""
    wanted = {word for words, yes in asked if yes for word in words}
    small, large = bool(wanted & SMALLER), bool(wanted & LARGER)
    if small == large:
        return None
    by_line: dict[frozenset[str], list[str]] = {}
    for sku in (sku for sku in candidates if sku in products):
        by_line.setdefault(_line(products[sku].name), []).append(sku)
    models = [skus for skus in by_line.values() if len(skus) > 1]
    if len(models) != 1:
        return None
    known = models[0]
    read = {sku: size for sku in known if (size := _size(products[sku].name)) is not None}
    if len(read) < len(known) or len({how for how, _ in read.values()}) != 1:
        return None  # "Bollo 1.7" and "Bollo Max": a number and a word are not one scale
    sizes = {sku: size for sku, (_, size) in read.items()}
    pick = min(sizes.values()) if small else max(sizes.values())
    chosen = [sku for sku, size in sizes.items() if size == pick]
    return chosen[0] if len(chosen) == 1 else None


def twins(sku: str, candidates: Sequence[str], products: Mapping[str, ProductInfo]) -> list[str]:
    """Return `sku` and the candidates of its line (names differing only by numbers and size
    words), in the candidates' order with `sku` first."""
    if sku not in products:
        return [sku]
    line = _line(products[sku].name)
    return [sku] + [
        other
        for other in candidates
        if other != sku and other in products and _line(products[other].name) == line
    ]


def _line(name: str) -> frozenset[str]:
    words = _WORD.findall(_NUMBER_UNIT.sub(r"\1 \2", strip_accents(name)))
    return frozenset(
        w for w in words if not w.isdigit() and w not in SMALLER | LARGER and len(w) > 2
    )


def _size(name: str) -> tuple[str, float] | None:
    """Return how a model's name gives its size: ("number", the first number in it), else
    ("word", -1 or +1 for a size word in it), else None."""
    if number := _NUMBER.search(name):
        return "number", float(number.group().replace(",", "."))
    words = set(_WORD.findall(strip_accents(name)))
    if words & SMALLER:
        return "word", -1.0
    if words & LARGER:
        return "word", 1.0
    return None


def number_choice(
    candidates: Sequence[str],
    products: Mapping[str, ProductInfo],
    asked: Sequence[tuple[tuple[str, ...], bool]],
) -> str | None:
    """Return the one candidate whose name holds every number asked ("la sartén de 24" is
    the "Frying Pan 24cm", whatever the 28 cm one's description says of the 24 cm one), None
    when no number is asked or not exactly one name holds them."""
    holding = numbered(candidates, products, asked)
    return holding[0] if len(holding) == 1 else None


def numbered(
    candidates: Sequence[str],
    products: Mapping[str, ProductInfo],
    asked: Sequence[tuple[tuple[str, ...], bool]],
) -> list[str]:
    """Return the candidates whose names hold every number asked, in their order; [] when no
    number is asked."""
    numbers = {w for words, yes in asked if yes for w in words if _is_number(w)}
    if not numbers:
        return []
    return [
        sku
        for sku in candidates
        if sku in products
        and numbers <= set(_words(_NUMBER_UNIT.sub(r"\1 \2", strip_accents(products[sku].name))))
    ]


# A number typed with a unit of size, power, capacity or time (folded): "1,2-Liter", "1500W",
# "24 cm", "60 min", "100 parça".
_MEASURE = re.compile(
    r"(\d+(?:[.,]\d+)?)[\s-]?(?:w|watt|kw|l|lt|lit(?:er|re|ro|re)s?|litre|ml|cl|cm|mm|m2|qm|m²"
    r"|kg|gr?|min|mins|minut\w*|dakika|λεπτα|h|hours?|saat|ωρεσ|inch|zoll|pcs|pieces|teile"
    r"|parca|τεμαχια|gb|tb|mah)(?!\w)"
)


def typed_measures(text: str) -> list[str]:
    """Return the numbers a message types with a unit ("die 1,2-Liter-Kanne" → ["1.2"]),
    decimals with a point: a bare number may be a price or a count ("unter 50")."""
    return [m.group(1).replace(",", ".") for m in _MEASURE.finditer(strip_accents(text))]


def tells_apart(asked: list[tuple[tuple[str, ...], bool]], own: set[str]) -> bool:
    """Return whether an English question asks for a feature by a word only a sibling's name
    has (`own`: "the R7 with the mop") or denies one ("without the dock"): only then is a
    product whose name was typed in full not the one meant."""
    return any(not wanted or set(words) & own for words, wanted in asked)
