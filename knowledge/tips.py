"""The tip store: the Tip record, its Chroma collection (cosine, one model), tip search, and
deleting or rewriting tips so that their old text is erased from disk (see knowledge.purge)."""

from __future__ import annotations

import dataclasses
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

from knowledge.purge import purge_chroma_text

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
    Chroma collection, both over the same vectors built with `model_name`; `path` is the
    embedded Chroma directory, None for a Chroma server."""

    vectorstore: Chroma
    collection: chromadb.Collection
    model_name: str
    path: Path | None = None


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
    return TipStore(
        vectorstore=vectorstore, collection=chroma_collection, model_name=model_name, path=path
    )


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


def tips_mentioning(store: TipStore, needles: Sequence[str]) -> list[Tip]:
    """Return the tips whose text contains any of the needles (a name, an email, a phone
    number…), ignoring case, accents and runs of spaces, oldest first. Blank needles match
    nothing; a single string counts as one needle."""
    wanted = [_folded(needle) for needle in ([needles] if isinstance(needles, str) else needles)]
    wanted = [needle for needle in wanted if needle]
    if not wanted:
        return []
    # Folding accents is beyond Chroma's $contains (case-sensitive, byte-exact), so every text
    # is read once and matched here: a few MB for ten thousand tips.
    result = store.vectorstore.get()
    tips = [
        _to_tip(tip_id, text, metadata or {})
        for tip_id, text, metadata in zip(
            result["ids"], result["documents"], result["metadatas"], strict=True
        )
        if any(needle in _folded(text or "") for needle in wanted)
    ]
    return sorted(tips, key=lambda tip: (tip.created_at, tip.tip_id))


def delete_tip(store: TipStore, tip_id: str) -> bool:
    """Delete the tip with this id and erase its text from disk; return False if there was none.

    On a Chroma server only the delete happens (see purge_deleted_text). Raises
    knowledge.purge.PurgeError, with the tip already deleted, when its text could not be erased."""
    return delete_tips(store, [tip_id]) == 1


def delete_tips(store: TipStore, tip_ids: Sequence[str]) -> int:
    """Delete the tips with these ids, then erase their text from disk in one purge; return how
    many of them existed (unknown and repeated ids are skipped).

    Raises knowledge.purge.PurgeError, with the tips already deleted, when their text could not
    be erased."""
    unique = list(dict.fromkeys(tip_ids))
    deleted = 0
    for start in range(0, len(unique), _BATCH_SIZE):
        # Chroma deletes unknown ids silently, so existence is checked first.
        found = store.collection.get(ids=unique[start : start + _BATCH_SIZE], include=[])["ids"]
        if found:
            store.vectorstore.delete(ids=found)
            deleted += len(found)
    if deleted:
        purge_deleted_text(store)
    return deleted


def replace_tip_text(store: TipStore, tip_id: str, text: str) -> Tip:
    """Rewrite a tip's text (embedded again), keeping its id and metadata, and erase the old
    text from disk; return the tip as now stored.

    Raises KeyError when there is no tip with this id, ValueError for a blank text (nothing
    changes), and knowledge.purge.PurgeError, with the text already replaced, when the old one
    could not be erased."""
    old = get_tip(store, tip_id)
    if old is None:
        raise KeyError(tip_id)
    new = dataclasses.replace(old, text=text)
    add_tips(store, [new])
    purge_deleted_text(store)
    return new


def purge_deleted_text(store: TipStore) -> bool:
    """Erase from the embedded Chroma directory every byte of text that deleted or rewritten
    tips left behind (delete_tips and replace_tip_text call this); return False when skipped.

    The store stays open and usable, in this and other processes. Skipped for a Chroma server:
    its files are not ours, and its operator must clean them. Raises knowledge.purge.PurgeError
    when the files could not be cleaned."""
    if store.path is None:
        return False
    purge_chroma_text(store.path, str(store.collection.id))
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


def _folded(text: str) -> str:
    # Case folding first: it can itself produce combining marks ("İ" folds to "i" + dot).
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


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
