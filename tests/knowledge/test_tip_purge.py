"""Deleting or rewriting a tip erases its text from every file of the Chroma directory, and the
store (the same open one, and one opened again) keeps working."""

from __future__ import annotations

import os
import random
import shutil
import sys
import uuid
from pathlib import Path

import pytest
from chromadb.api.client import SharedSystemClient

from knowledge.purge import PurgeError
from knowledge.tips import (
    Tip,
    TipStore,
    add_tips,
    count_tips,
    delete_tip,
    delete_tips,
    get_tip,
    list_tips,
    open_tip_store,
    purge_deleted_text,
    replace_tip_text,
    search_tips,
    search_tips_by_vector,
    tips_mentioning,
)
from tests.fakes import HashEmbeddings
from tests.knowledge.test_tips import CATALOGUE, GRINDER, SHOES, T0, TOWELS, TOWELS_ES
from tests.knowledge.test_tips import chroma_server as chroma_server

# Chroma's full-text index splits texts into trigrams; runes occur nowhere else in the
# directory, so any trigram of this test's runes left on disk is a trace of its deleted text.
# Drawn afresh for every test: hnswlib writes each element's unused link slots to
# data_level0.bin as they were in memory, so bytes of strings an earlier test handled in this
# process can land there; with a fixed string one test's tips showed up as another's traces.
RUNIC = [chr(c) for c in range(0x16A0, 0x16EB)]
RUNES = ""
RUNE_TRIGRAMS: list[str] = []


@pytest.fixture(autouse=True)
def fresh_runes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nine runes no other test used, and their trigrams, for this test's secret texts."""
    runes = "".join(random.SystemRandom().sample(RUNIC, 9))
    monkeypatch.setattr(sys.modules[__name__], "RUNES", runes)
    trigrams = [runes[i : i + 3] for i in range(len(runes) - 2)]
    monkeypatch.setattr(sys.modules[__name__], "RUNE_TRIGRAMS", trigrams)


def secret_tip(tip_id: str = "secret") -> tuple[Tip, str]:
    """A tip whose text holds a unique marker; returns the tip and the marker."""
    marker = uuid.uuid4().hex
    text = f"Tell {marker} {RUNES} about the two-year warranty on the espresso machine."
    return Tip(tip_id=tip_id, text=text, created_at=T0), marker


def traces(directory: Path, marker: str) -> list[str]:
    """Files under the directory (the database, its -journal/-wal/-shm, HNSW files) holding the
    marker, a distinctive part of it, or any trigram of the runes."""
    needles = [marker, marker[8:20], *RUNE_TRIGRAMS]
    found = []
    for root, _, files in os.walk(directory):
        for name in files:
            data = (Path(root) / name).read_bytes()
            found += [f"{name}: {n!r}" for n in needles if n.encode("utf-8") in data]
    return found


def open_store(path: Path) -> TipStore:
    return open_tip_store(embeddings=HashEmbeddings(), model_name="hash-64", path=path)


def reopen(path: Path) -> TipStore:
    # Chroma shares one in-process system per path; dropping it makes the reopen read the disk.
    SharedSystemClient.clear_system_cache()
    return open_store(path)


@pytest.fixture
def chroma_dir(tmp_path: Path) -> Path:
    return tmp_path / "chroma"


@pytest.fixture
def stocked(chroma_dir: Path) -> TipStore:
    """A tip store holding the four catalogue tips."""
    store = open_store(chroma_dir)
    add_tips(store, CATALOGUE)
    return store


def ranking(store: TipStore, query: str) -> list[tuple[str, float]]:
    return [(hit.tip.tip_id, hit.score) for hit in search_tips(store, query, k=50)]


# --- deleting ---------------------------------------------------------------------------------------


def test_a_deleted_tip_leaves_no_text_in_the_chroma_directory(
    stocked: TipStore, chroma_dir: Path
) -> None:
    secret, marker = secret_tip()
    add_tips(stocked, [secret])
    assert traces(chroma_dir, marker)  # the scan does see the text while the tip exists

    assert delete_tip(stocked, "secret") is True

    assert traces(chroma_dir, marker) == []
    assert get_tip(stocked, "secret") is None
    assert count_tips(stocked) == len(CATALOGUE)


def test_tips_deleted_past_the_hnsw_sync_threshold_leave_no_text(chroma_dir: Path) -> None:
    # 1200 tips: the HNSW index persists (and Chroma trims its log) after 1000 records, so the
    # first tips' log rows are already gone (their bytes freed, not erased) and the last ones'
    # are still in the log.
    store = open_store(chroma_dir)
    markers = [uuid.uuid4().hex for _ in range(1200)]
    tips = [
        Tip(tip_id=f"t{i:04d}", text=f"Tip {m} {RUNES if i in (3, 1150) else ''}", created_at=T0)
        for i, m in enumerate(markers)
    ]
    add_tips(store, tips)

    assert delete_tips(store, ["t0003", "t1150", "t1199"]) == 3

    for i in (3, 1150, 1199):
        assert traces(chroma_dir, markers[i]) == []
    assert traces(chroma_dir, markers[1198])  # the others are still there
    assert count_tips(store) == 1197
    # The last tips reach the HNSW index only through the log after a reopen: the purged log
    # still carries their vectors.
    reopened = reopen(chroma_dir)
    assert count_tips(reopened) == 1197
    last = search_tips_by_vector(reopened, HashEmbeddings().embed_query(tips[1198].text), k=1)
    assert last[0].tip == tips[1198]
    assert last[0].score == pytest.approx(1.0, abs=1e-5)
    assert get_tip(reopened, "t1199") is None


def test_delete_tips_counts_the_tips_that_existed(stocked: TipStore) -> None:
    assert delete_tips(stocked, ["grinder", "no-such-tip", "grinder", "shoes"]) == 2
    assert delete_tips(stocked, []) == 0
    assert delete_tip(stocked, "grinder") is False

    assert list_tips(stocked) == [TOWELS, TOWELS_ES]


def test_a_purge_also_erases_text_that_earlier_deletes_left(
    stocked: TipStore, chroma_dir: Path
) -> None:
    secret, marker = secret_tip()
    add_tips(stocked, [secret])
    # A delete through Chroma alone, as delete_tip did before purging: the text stays on disk
    # (if this starts failing, Chroma erases it itself and knowledge.purge can be revisited).
    stocked.collection.delete(ids=["secret"])
    assert traces(chroma_dir, marker)

    assert purge_deleted_text(stocked) is True

    assert traces(chroma_dir, marker) == []
    assert list_tips(stocked) == CATALOGUE


# --- rewriting ---------------------------------------------------------------------------------------


def test_replacing_a_tips_text_leaves_no_trace_of_the_old_text(
    stocked: TipStore, chroma_dir: Path
) -> None:
    secret, marker = secret_tip()
    add_tips(stocked, [secret])
    new_text = "Mention the two-year warranty on the espresso machine."

    replaced = replace_tip_text(stocked, "secret", new_text)

    assert replaced == Tip(tip_id="secret", text=new_text, created_at=T0)
    assert get_tip(stocked, "secret") == replaced
    assert search_tips(stocked, new_text, k=1)[0].tip == replaced
    assert traces(chroma_dir, marker) == []
    assert get_tip(reopen(chroma_dir), "secret") == replaced


def test_replacing_keeps_the_tips_metadata(stocked: TipStore) -> None:
    replaced = replace_tip_text(stocked, "shoes", "Trail shoes need a firmer sole.")

    assert replaced.sku == SHOES.sku
    assert replaced.category == SHOES.category
    assert replaced.created_at == SHOES.created_at
    assert get_tip(stocked, "shoes") == replaced


def test_replacing_the_text_of_an_unknown_tip_or_with_a_blank_text_is_refused(
    stocked: TipStore,
) -> None:
    with pytest.raises(KeyError, match="no-such-tip"):
        replace_tip_text(stocked, "no-such-tip", "Some text.")
    with pytest.raises(ValueError, match="text must not be empty"):
        replace_tip_text(stocked, "shoes", "   ")

    assert list_tips(stocked) == CATALOGUE


# --- the store after a purge ---------------------------------------------------------------------------


def test_the_open_store_keeps_working_after_a_purge(stocked: TipStore, chroma_dir: Path) -> None:
    assert delete_tip(stocked, "shoes") is True

    assert search_tips(stocked, GRINDER.text, k=1)[0].tip == GRINDER
    assert search_tips(stocked, "towels", language="es")[0].tip == TOWELS_ES
    extra = Tip(tip_id="kettle", text="Empty the kettle after use.", created_at=T0)
    add_tips(stocked, [extra])
    assert search_tips(stocked, "empty the kettle", k=1)[0].tip == extra
    assert delete_tip(stocked, "grinder") is True
    assert list_tips(stocked) == [extra, TOWELS, TOWELS_ES]
    retriever = stocked.vectorstore.as_retriever(search_kwargs={"k": 1})
    assert [doc.id for doc in retriever.invoke("bath towels softener")] == ["towels"]

    reopened = reopen(chroma_dir)  # the model check and the cosine check pass again
    assert list_tips(reopened) == [extra, TOWELS, TOWELS_ES]
    assert search_tips(reopened, "empty the kettle", k=1)[0].tip == extra
    assert reopened.collection.metadata == {"embedding_model": "hash-64"}
    add_tips(reopened, [SHOES])
    assert delete_tip(reopened, "kettle") is True
    assert count_tips(reopened) == 3


def test_surviving_tips_are_unchanged_by_a_purge(stocked: TipStore) -> None:
    secret, _ = secret_tip()
    add_tips(stocked, [secret])
    queries = [GRINDER.text, "towels softener", "running shoes", "warranty espresso"]
    before = {query: ranking(stocked, query) for query in queries}

    delete_tip(stocked, "secret")

    assert list_tips(stocked) == CATALOGUE
    for query in queries:
        expected = [(tip_id, score) for tip_id, score in before[query] if tip_id != "secret"]
        after = ranking(stocked, query)
        assert [tip_id for tip_id, _ in after] == [tip_id for tip_id, _ in expected]
        assert [score for _, score in after] == pytest.approx([score for _, score in expected])


def test_a_failed_purge_raises_with_the_tip_deleted(
    stocked: TipStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", shutil.which("false") or "/bin/false")

    with pytest.raises(PurgeError, match="could not purge"):
        delete_tip(stocked, "shoes")

    assert get_tip(stocked, "shoes") is None


def test_a_store_on_a_chroma_server_deletes_without_purging(chroma_server: str) -> None:
    store = open_tip_store(embeddings=HashEmbeddings(), model_name="hash-64", url=chroma_server)
    add_tips(store, CATALOGUE)

    assert delete_tips(store, ["shoes", "grinder"]) == 2
    assert purge_deleted_text(store) is False
    assert list_tips(store) == [TOWELS, TOWELS_ES]


# --- finding tips that mention someone -------------------------------------------------------------


def test_tips_mentioning_ignores_case_accents_and_spacing(store_with_people: TipStore) -> None:
    def ids(*needles: str) -> list[str]:
        return [tip.tip_id for tip in tips_mentioning(store_with_people, needles)]

    assert ids("jose  nunez") == ["nunez"]
    assert ids("JOSÉ NÚÑEZ", "ayse.yilmaz@example.com") == ["nunez", "yilmaz"]
    assert ids("+90 555 123") == ["yilmaz"]
    assert ids("İstanbul") == ["yilmaz"]
    assert ids("nobody") == []
    assert ids("", "  ") == []
    assert [tip.tip_id for tip in tips_mentioning(store_with_people, "Núñez")] == ["nunez"]


@pytest.fixture
def store_with_people(stocked: TipStore) -> TipStore:
    """The catalogue and two tips naming customers."""
    add_tips(
        stocked,
        [
            Tip(
                tip_id="nunez",
                text="José Núñez prefers the matte grinder; call before delivery.",
                created_at=T0,
            ),
            Tip(
                tip_id="yilmaz",
                text="Ayşe Yılmaz (Ayse.Yilmaz@example.com, +90 555 123 45 67) from istanbul.",
                created_at=T0,
            ),
        ],
    )
    return stocked
