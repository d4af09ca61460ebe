"""A message's character n-grams weighted by TF-IDF: the spelling features of the intent model.

The e5 embedding reads a message's meaning; beside it the intent model reads its letters. A
word stem the bank's questions share ("notiz", "σημει", "ayakkab") marks an intent whatever
the inflection, typo or missing accent around it, where a small embedding model can drift.
The features are the character 3- to 5-grams of each word padded with a space on each side
(the `char_wb` analyzer of scikit-learn's TfidfVectorizer; n-gram text categorization after
Cavnar & Trenkle 1994), each weighted 1 + ln(count) times its inverse document frequency and
the vector scaled to unit length (sublinear tf-idf, Salton & Buckley 1988). The vocabulary and
idf come from the bank (scripts/train_intents.py); at run time a message costs a few hundred
dictionary lookups.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

import numpy as np

from bot.core.text import strip_accents

# Gram lengths, in characters (with the word's padding spaces).
GRAM_SIZES = (3, 4, 5)
_WORD = re.compile(r"\w+")


def char_grams(text: str) -> list[str]:
    """Return the character n-grams (GRAM_SIZES) of each word of `text`, casefolded and without
    accents, each word padded with one space on each side ("X'in" → " x ", " in", "in ");
    a word shorter than the smallest size is one gram of itself."""
    grams: list[str] = []
    for word in _WORD.findall(strip_accents(text)):
        padded = f" {word} "
        if len(padded) <= GRAM_SIZES[0]:
            grams.append(padded)
            continue
        for n in GRAM_SIZES:
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def tfidf(
    text: str, vocabulary: Mapping[str, int], idf: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return the unit-length sublinear tf-idf vector of `text` over `vocabulary` (gram →
    column) with `idf` (one float per column), sparse: the columns (ints) and their values
    (floats, L2 norm 1). Grams outside the vocabulary are left out; a text with none gives two
    empty arrays."""
    counts = Counter(g for g in char_grams(text) if g in vocabulary)
    columns = np.fromiter((vocabulary[g] for g in counts), dtype=np.int64, count=len(counts))
    values = np.fromiter((1.0 + math.log(c) for c in counts.values()), np.float32, len(counts))
    values *= idf[columns]
    norm = float(np.linalg.norm(values))
    return columns, (values / norm if norm else values)
