"""Fixtures shared by every test: databases on real engines."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from storage.db import make_engine, upgrade

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per run; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)
    eng.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    """An engine on a PostgreSQL schema migrated to head once per run (dropped at the end);
    the `engine` fixture empties it before each test."""
    if not POSTGRES_URL:
        pytest.skip(
            "PostgreSQL leg: set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade(eng)
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_tables(postgres_engine: Engine) -> list[str]:
    """The tables of the migrated schema that hold data (all but Alembic's)."""
    return [t for t in inspect(postgres_engine).get_table_names() if t != "alembic_version"]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database: SQLite in tmp_path, and PostgreSQL when TEST_DATABASE_URL is
    set (one migrated schema and engine for the run, emptied before each test)."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        eng = make_engine(f"sqlite:///{path}")
        yield eng
        eng.dispose()
        return
    eng = request.getfixturevalue("postgres_engine")
    tables = request.getfixturevalue("postgres_tables")
    with eng.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    yield eng


@pytest.fixture
def sqlite_engine(tmp_path: Path, migrated_sqlite: Path) -> Iterator[Engine]:
    """A migrated, empty SQLite database in tmp_path."""
    path = tmp_path / "test.db"
    shutil.copyfile(migrated_sqlite, path)
    eng = make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()
