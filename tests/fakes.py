"""Fakes for the far boundaries: a small deterministic embedding model."""

from __future__ import annotations

import hashlib
import math
import re

from langchain_core.embeddings import Embeddings

_WORD = re.compile(r"\w+")


class HashEmbeddings(Embeddings):
    """Bag of hashed words and character trigrams, L2-normalised: texts sharing words are close.

    Deterministic across processes (hashlib, not hash()), instant, and needs no model. Not
    multilingual: tests of multilingual search use the real model.
    """

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.calls = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed each text."""
        self.calls += 1
        return [self._embed(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        """Embed a query exactly like a document."""
        self.calls += 1
        return self._embed(text)

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * self.dim
        for word in _WORD.findall(text.lower()):
            # Whole words weigh more than their trigrams so shared words dominate similarity.
            self._add(vector, "w:" + word, 2.0)
            padded = f" {word} "
            for i in range(len(padded) - 2):
                self._add(vector, "t:" + padded[i : i + 3], 1.0)
        norm = math.sqrt(sum(x * x for x in vector))
        if norm == 0.0:
            # An empty text still needs a unit vector: cosine distance is undefined for zero.
            vector[0], norm = 1.0, 1.0
        return [x / norm for x in vector]

    def _add(self, vector: list[float], feature: str, weight: float) -> None:
        digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
        index = int.from_bytes(digest[:4], "little") % self.dim
        sign = 1.0 if digest[4] & 1 else -1.0
        vector[index] += sign * weight
