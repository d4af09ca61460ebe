"""The tip store: the Tip record, its Chroma collection (cosine, one model) and tip search."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import chromadb
from chromadb.api import ClientAPI
from chromadb.config import Settings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

# Collection metadata key that records which embedding model built the vectors.
MODEL_KEY = "embedding_model"
# Tips embedded and written per round trip: bounds memory and stays far below Chroma's
# maximum batch size (5461 here).
_BATCH_SIZE = 256
# Tips written by other tools without a date sort first rather than failing to load.
_NO_DATE = datetime(1970, 1, 1, tzinfo=UTC)
_OPTIONAL_FIELDS = ("sku", "category", "language", "author")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Tip:
    """A product tip: a short text an associate can pass on, optionally tied to a SKU."""

    tip_id: str
    text: str
    sku: str | None = None
    category: str | None = None
    language: str | None = None
    author: str | None = None
    created_at: datetime = field(default_factory=_utc_now)

    def __post_init__(self) -> None:
        if not self.tip_id.strip():
            raise ValueError("tip_id must not be empty")
        if not self.text.strip():
            raise ValueError("tip text must not be empty")
        if self.created_at.utcoffset() is None:
            raise ValueError("created_at must be timezone-aware")
        object.__setattr__(self, "created_at", self.created_at.astimezone(UTC))
        # Blank optional values mean "none": Chroma filters could never match them anyway.
        for name in _OPTIONAL_FIELDS:
            value = getattr(self, name)
            if value is not None and not value.strip():
                object.__setattr__(self, name, None)
        if self.language is not None:
            object.__setattr__(self, "language", self.language.strip().lower())


@dataclass(frozen=True, slots=True)
class TipHit:
    """A tip found by a search, with its cosine similarity to the query (higher is closer)."""

    tip: Tip
    score: float


@dataclass(frozen=True, slots=True)
class TipStore:
    """An open tip collection: the LangChain vector store (usable as a retriever) and the raw
    Chroma collection, both over the same vectors built with `model_name`."""

    vectorstore: Chroma
    collection: chromadb.Collection
    model_name: str


def make_tip_id(text: str) -> str:
    """Derive a stable tip id from the text, ignoring case, spacing and Unicode form."""
    normalised = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return "tip-" + hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:12]


def open_tip_store(
    *,
    embeddings: Embeddings,
    model_name: str,
    path: Path | None = None,
    url: str | None = None,
    collection: str = "tips",
) -> TipStore:
    """Open (or create) the tip collection in embedded Chroma at `path` or a server at `url`."""
    client = _make_client(path=path, url=url)
    # The raw client creates the collection so that its metadata can be checked before use:
    # for an existing collection Chroma silently ignores the metadata and configuration given
    # here, so the stored model name tells who built it. embedding_function=None keeps Chroma's
    # own default model (an ONNX download) off this collection object.
    chroma_collection = client.get_or_create_collection(
        name=collection,
        embedding_function=None,
        metadata={MODEL_KEY: model_name},
        configuration={"hnsw": {"space": "cosine"}},
    )
    _check_collection(chroma_collection, model_name=model_name)
    vectorstore = Chroma(
        client=client,
        collection_name=collection,
        embedding_function=embeddings,
        collection_configuration={"hnsw": {"space": "cosine"}},
        collection_metadata={MODEL_KEY: model_name},
    )
    return TipStore(vectorstore=vectorstore, collection=chroma_collection, model_name=model_name)


def add_tips(store: TipStore, tips: Sequence[Tip]) -> list[str]:
    """Insert or replace tips by tip_id; return their ids in first-seen order."""
    # The last version of a repeated tip_id wins: Chroma rejects duplicate ids in one upsert.
    latest = {tip.tip_id: tip for tip in tips}
    unique = list(latest.values())
    for start in range(0, len(unique), _BATCH_SIZE):
        batch = unique[start : start + _BATCH_SIZE]
        store.vectorstore.add_texts(
            [tip.text for tip in batch],
            metadatas=[_to_metadata(tip) for tip in batch],
            ids=[tip.tip_id for tip in batch],
        )
    return list(latest)


def search_tips(
    store: TipStore,
    query: str,
    *,
    k: int = 5,
    sku: str | None = None,
    category: str | None = None,
    language: str | None = None,
) -> list[TipHit]:
    """Find the k tips closest in meaning to the query, optionally filtered."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if not query.strip():
        return []
    results = store.vectorstore.similarity_search_with_score(
        query, k=k, filter=_where(sku=sku, category=category, language=language)
    )
    return _hits(results)


def search_tips_by_vector(
    store: TipStore, vector: Sequence[float], *, k: int = 5, sku: str | None = None
) -> list[TipHit]:
    """Find the k tips closest to a query vector already embedded (and, say, centred: see
    bot.core.centring), optionally of one product. Scores are cosine similarities, so with a
    vector that is not an embedding of text they are on that vector's own scale."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    results = store.vectorstore.similarity_search_by_vector_with_relevance_scores(
        list(map(float, vector)), k=k, filter=_where(sku=sku, category=None, language=None)
    )
    return _hits(results)


def _hits(results: Sequence[tuple[Any, float]]) -> list[TipHit]:
    # Chroma returns cosine distance; 1 - distance is the cosine similarity.
    return [
        TipHit(tip=_to_tip(doc.id or "", doc.page_content, doc.metadata), score=1.0 - distance)
        for doc, distance in results
    ]


def list_tips(
    store: TipStore,
    *,
    sku: str | None = None,
    category: str | None = None,
    language: str | None = None,
) -> list[Tip]:
    """List tips, optionally filtered, oldest first."""
    result = store.vectorstore.get(where=_where(sku=sku, category=category, language=language))
    tips = [
        _to_tip(tip_id, text, metadata or {})
        for tip_id, text, metadata in zip(
            result["ids"], result["documents"], result["metadatas"], strict=True
        )
    ]
    return sorted(tips, key=lambda tip: (tip.created_at, tip.tip_id))


def get_tip(store: TipStore, tip_id: str) -> Tip | None:
    """Return the tip with this id, or None."""
    found = get_tips(store, [tip_id])
    return found[0] if found else None


def get_tips(store: TipStore, tip_ids: Sequence[str]) -> list[Tip]:
    """Return the tips with these ids that exist, in no particular order."""
    tips: list[Tip] = []
    unique = list(dict.fromkeys(tip_ids))
    # Batched so a whole import's ids never turn into one huge SQL statement inside Chroma.
    for start in range(0, len(unique), _BATCH_SIZE):
        result = store.vectorstore.get(ids=unique[start : start + _BATCH_SIZE])
        tips.extend(
            _to_tip(tip_id, text, metadata or {})
            for tip_id, text, metadata in zip(
                result["ids"], result["documents"], result["metadatas"], strict=True
            )
        )
    return tips


def delete_tip(store: TipStore, tip_id: str) -> bool:
    """Delete the tip with this id; return False if there was none."""
    # Chroma deletes unknown ids silently, so existence is checked first.
    if not store.collection.get(ids=[tip_id], include=[])["ids"]:
        return False
    store.vectorstore.delete(ids=[tip_id])
    return True


def count_tips(store: TipStore) -> int:
    """Count the tips in the store."""
    return store.collection.count()


def _make_client(*, path: Path | None, url: str | None) -> ClientAPI:
    settings = Settings(anonymized_telemetry=False)
    if path is not None and url is None:
        return chromadb.PersistentClient(path=str(path), settings=settings)
    if url is not None and path is None:
        host, port, ssl = _parse_server_url(url)
        return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
    raise ValueError("give exactly one of path (embedded Chroma) or url (a Chroma server)")


def _parse_server_url(url: str) -> tuple[str, int, bool]:
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:  # a port that is not a number or out of range
        port = -1
    if parts.scheme not in {"http", "https"} or not parts.hostname or port == -1:
        raise ValueError(f"Chroma URL must look like http://host:port, got {url!r}")
    https = parts.scheme == "https"
    return parts.hostname, port or (443 if https else 8000), https


def _check_collection(collection: chromadb.Collection, *, model_name: str) -> None:
    """Refuse a collection whose vectors are not cosine-comparable with this model's."""
    name = collection.name
    metadata = dict(collection.metadata or {})
    built_with = metadata.get(MODEL_KEY)
    if built_with is None:
        count = collection.count()
        if count:
            raise ValueError(
                f"Tip collection {name!r} holds {count} tips but does not record which "
                f"embedding model built them, so they cannot be searched with {model_name!r}. "
                "Delete the collection or use another one, then import the tips again."
            )
        # An empty collection made by another tool: adopt it for this model.
        collection.modify(metadata={**metadata, MODEL_KEY: model_name})
    elif built_with != model_name:
        raise ValueError(
            f"Tip collection {name!r} was built with embedding model {built_with!r}, "
            f"not {model_name!r}; vectors from different models cannot be compared. "
            f"Use {built_with!r} again, or import the tips into a new collection "
            "(or delete this one) with the new model."
        )
    hnsw = collection.configuration.get("hnsw") or {}
    spann = collection.configuration.get("spann") or {}
    space = hnsw.get("space") or spann.get("space")
    if space != "cosine":
        raise ValueError(
            f"Tip collection {name!r} uses the {space!r} distance, not cosine; "
            "delete it or use another collection name."
        )


def _where(
    *, sku: str | None, category: str | None, language: str | None
) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if sku is not None:
        clauses.append({"sku": sku})
    if category is not None:
        clauses.append({"category": category})
    if language is not None:
        clauses.append({"language": language.strip().lower()})
    if not clauses:
        return None
    # Chroma accepts a single condition as is, and several only under an explicit $and.
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _to_metadata(tip: Tip) -> dict[str, str | None]:
    # Chroma's upsert merges metadata into a stored record: a key left out would keep the
    # previous version's value (a replaced tip would keep its old SKU). None clears the key,
    # and on a new record it is simply not stored.
    metadata: dict[str, str | None] = {name: getattr(tip, name) for name in _OPTIONAL_FIELDS}
    metadata["created_at"] = tip.created_at.isoformat()
    return metadata


def _to_tip(tip_id: str, text: str | None, metadata: Mapping[str, Any]) -> Tip:
    created = metadata.get("created_at")
    created_at = datetime.fromisoformat(created) if isinstance(created, str) else _NO_DATE
    if created_at.utcoffset() is None:
        created_at = created_at.replace(tzinfo=UTC)

    def text_field(name: str) -> str | None:
        value = metadata.get(name)
        return value if isinstance(value, str) else None

    return Tip(
        tip_id=tip_id,
        text=text or "",
        sku=text_field("sku"),
        category=text_field("category"),
        language=text_field("language"),
        author=text_field("author"),
        created_at=created_at,
    )
