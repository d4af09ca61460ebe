"""The composition root: the one place where settings become real engines, stores and models."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings
from sqlalchemy import Engine

from bot.core.common_words import is_common
from bot.core.greeklish import in_greek_letters
from bot.core.name_forms import given_name_variants
from bot.core.next_basket import DEFAULT_SETTINGS
from bot.core.shopping_model import FORMAT
from bot.core.shopping_refresh import current_model, ensure_model
from bot.settings import Settings
from knowledge.embedding_cache import CachedEmbeddings

if TYPE_CHECKING:
    from bot.core.assistant import Assistant
from knowledge.embeddings import make_embeddings
from knowledge.tips import TipStore, open_tip_store
from storage.db import make_engine, read_session, run_write, upgrade
from storage.shopping_history import has_purchases, stored_format


def open_database(settings: Settings) -> Engine:
    """Open the SQL store and bring its schema up to date."""
    engine = make_engine(settings.DATABASE_URL)
    upgrade(engine)
    with read_session(engine) as session:
        # A store upgraded from before the shopping model (or from another layout of it) gets
        # one now, not at its next import of purchases.
        missing = stored_format(session=session) != FORMAT and has_purchases(session=session)
    if missing:
        run_write(engine, lambda session: ensure_model(session=session))
    return engine


def open_tips(settings: Settings, embeddings: Embeddings | None = None) -> TipStore:
    """Open the tip store with the configured embedding model."""
    embeddings = embeddings or make_embeddings(settings.EMBEDDING_MODEL)
    if settings.CHROMA_URL:
        return open_tip_store(
            embeddings=embeddings, url=settings.CHROMA_URL, model_name=settings.EMBEDDING_MODEL
        )
    return open_tip_store(
        embeddings=embeddings, path=settings.chroma_path, model_name=settings.EMBEDDING_MODEL
    )


def build_assistant(settings: Settings, *, engine: Engine | None = None) -> Assistant:
    """Build the assistant with every collaborator the settings ask for."""
    # Imported here: the assistant loads models, which commands like `import` never need.
    from bot.core.assistant import Assistant
    from bot.core.llm.agent import make_llm
    from bot.core.types import Caller

    embeddings = CachedEmbeddings(
        make_embeddings(settings.EMBEDDING_MODEL),
        cache_dir=settings.DATA_DIR / "cache",
        model_name=settings.EMBEDDING_MODEL,
    )
    assistant = Assistant(
        engine=engine or open_database(settings),
        tips=open_tips(settings, embeddings),
        embeddings=embeddings,
        llm=make_llm(settings.LLM_MODEL) if settings.LLM_MODEL else None,
        llm_timeout=settings.LLM_TIMEOUT,
        llm_data=settings.LLM_DATA,
        phone_region=settings.PHONE_REGION,
        store_timezone=settings.STORE_TIMEZONE,
        default_language=settings.DEFAULT_LANGUAGE,
        currency=settings.CURRENCY,
        marketing_cap=settings.MAX_MARKETING_CONTACTS_PER_30D,
        customer_scope=settings.CUSTOMER_SCOPE,
    )
    # The language identifier loads its model (~0.4 s) on first use: here, not in the first
    # associate's answer.
    assistant.reply_language(Caller.local_admin(), "warm up the language identifier")
    # Likewise the shopping model (reading and unpacking it, its neighbour pool: up to a few
    # hundred ms on a large store) before the first "what should I show her?".
    with read_session(assistant.engine) as session:
        model = current_model(session=session)
    if model is not None:
        model.pool(DEFAULT_SETTINGS.neighbour_pool)
    # And the common words that are no typos of product names (~0.6 s to read).
    is_common("warm")
    # And the Greek words Greeklish is read against, and the nicknames' table (~0.1 s each).
    in_greek_letters("warm up")
    given_name_variants("warm")
    # What was built lives as long as the process: keep the collector from scanning it again
    # and again (a full collection cost 200-250 ms in the middle of an answer).
    gc.freeze()
    return assistant


def embed_products(settings: Settings, engine: Engine) -> int:
    """Embed every product's description into the cache now (after an import), so the bot's
    next start does not spend minutes on a large catalogue; return how many were new."""
    from sqlmodel import Session, select

    from bot.core.catalogue import ProductInfo
    from storage.models import Product

    with Session(engine) as session:
        texts = [
            ProductInfo(p.sku, p.name, p.category, p.brand, p.description).passage()
            for p in session.exec(select(Product)).all()
        ]
    inner = make_embeddings(settings.EMBEDDING_MODEL)
    counting = _Counting(inner)
    cached = CachedEmbeddings(
        counting, cache_dir=settings.DATA_DIR / "cache", model_name=settings.EMBEDDING_MODEL
    )
    for start in range(0, len(texts), 256):
        cached.embed_documents(texts[start : start + 256])
    return counting.documents


class _Counting(Embeddings):
    """Counts the passages actually embedded (the rest came from the cache)."""

    def __init__(self, inner: Embeddings):
        self.inner, self.documents = inner, 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)
