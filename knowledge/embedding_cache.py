"""Embeddings that remember: documents on disk (across starts), recent questions in memory."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings


class CachedEmbeddings(Embeddings):
    """Wrap an embedding model: passages are cached per text in one file under `cache_dir`
    (so a restart, or a catalogue where one product changed, embeds only what is new), and
    the last questions are kept in memory (one answer embeds its question once, though the
    intent classifier, product search and tip search all ask for it)."""

    def __init__(
        self, inner: Embeddings, *, cache_dir: Path | None, model_name: str, recent: int = 64
    ):
        self.inner = inner
        self.path = cache_dir / f"passages-{_digest(model_name)}.npz" if cache_dir else None
        self._passages: dict[str, np.ndarray] | None = None
        self._queries: OrderedDict[str, list[float]] = OrderedDict()
        self._recent = recent
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages, computing only those not cached yet."""
        with self._lock:
            cache = self._load()
            keys = [_digest(t) for t in texts]
            missing = list(dict.fromkeys(k for k in keys if k not in cache))
            if missing:
                todo = {k: t for k, t in zip(keys, texts, strict=True) if k in set(missing)}
                vectors = self.inner.embed_documents([todo[k] for k in missing])
                for key, vector in zip(missing, vectors, strict=True):
                    cache[key] = np.asarray(vector, dtype=np.float32)
                self._save(cache)
            return [cache[k].tolist() for k in keys]

    def embed_query(self, text: str) -> list[float]:
        """Embed a question, reusing the vector of one asked a moment ago."""
        with self._lock:
            if text in self._queries:
                self._queries.move_to_end(text)
                return self._queries[text]
        vector = self.inner.embed_query(text)
        with self._lock:
            self._queries[text] = vector
            if len(self._queries) > self._recent:
                self._queries.popitem(last=False)
        return vector

    def _load(self) -> dict[str, np.ndarray]:
        if self._passages is None:
            self._passages = {}
            if self.path is not None and self.path.exists():
                with np.load(self.path) as stored:
                    self._passages = {k: stored[k] for k in stored.files}
        return self._passages

    def _save(self, cache: dict[str, np.ndarray]) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp.npz")
        np.savez(partial, **cache)  # type: ignore[arg-type]  # numpy's stub types **kwds oddly
        partial.replace(self.path)  # a crash mid-write never leaves a broken cache


def _digest(text: str) -> str:
    return "k" + hashlib.sha1(text.encode()).hexdigest()[:20]
