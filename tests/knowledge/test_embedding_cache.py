"""Cached embeddings: a restart or a changed catalogue embeds only what is new."""

from __future__ import annotations

from pathlib import Path

from knowledge.embedding_cache import CachedEmbeddings
from tests.fakes import HashEmbeddings


class CountingEmbeddings(HashEmbeddings):
    """The deterministic fake, counting what it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.passages: list[str] = []
        self.queries: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.passages += texts
        return super().embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return super().embed_query(text)


def test_passages_are_embedded_once_across_restarts(tmp_path: Path) -> None:
    first = CountingEmbeddings()
    vectors = CachedEmbeddings(first, cache_dir=tmp_path, model_name="m").embed_documents(
        ["AeroPress", "V60 dripper"]
    )
    second = CountingEmbeddings()

    again = CachedEmbeddings(second, cache_dir=tmp_path, model_name="m").embed_documents(
        ["V60 dripper", "Chemex", "AeroPress"]
    )

    assert first.passages == ["AeroPress", "V60 dripper"]
    assert second.passages == ["Chemex"]  # only the new product
    assert again[0] == vectors[1]
    assert again[2] == vectors[0]


def test_another_model_does_not_reuse_the_cache(tmp_path: Path) -> None:
    CachedEmbeddings(CountingEmbeddings(), cache_dir=tmp_path, model_name="a").embed_documents(
        ["AeroPress"]
    )
    other = CountingEmbeddings()

    CachedEmbeddings(other, cache_dir=tmp_path, model_name="b").embed_documents(["AeroPress"])

    assert other.passages == ["AeroPress"]


def test_a_question_asked_twice_in_a_row_is_embedded_once() -> None:
    inner = CountingEmbeddings()
    cached = CachedEmbeddings(inner, cache_dir=None, model_name="m", recent=2)

    for text in [
        "tips for the AeroPress?",
        "tips for the AeroPress?",
        "a",
        "b",
        "tips for the AeroPress?",
    ]:
        cached.embed_query(text)

    assert inner.queries == ["tips for the AeroPress?", "a", "b", "tips for the AeroPress?"]
