"""The `clienteling` command as scripts and people use it: exit codes, messages, JSON lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from tests.bot.conftest import DemoBuild


def _installation(monkeypatch: pytest.MonkeyPatch, workdir: Path, data_dir: Path) -> Path:
    """Run the CLI in `workdir` (no .env there) with DATA_DIR and nothing else set."""
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "LLM_MODEL", "CHROMA_URL"):
        monkeypatch.delenv(name, raising=False)
    return data_dir


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty installation in tmp_path."""
    return _installation(monkeypatch, tmp_path, tmp_path / "data")


@pytest.fixture
def demo_data_dir(writable_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the demo store as the installation."""
    return _installation(monkeypatch, writable_dir, writable_dir)


def _csv(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.usefixtures("data_dir")
def test_import_prints_a_summary_and_a_bad_file_exits_non_zero_listing_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _csv(tmp_path, "p.csv", "sku,name,price,aisle\nS1,Mug,4.50,3\n")
    bad = _csv(tmp_path, "q.csv", "sku,name,price\nS2,Cup,x\nS3,,1\n")

    assert main(["import", "products", good]) == 0
    out = capsys.readouterr()
    assert "products: 1 rows read, 1 added" in out.out
    assert "product descriptions embedded for search: 1 new" in out.out
    assert "ignored unknown column(s): aisle" in out.err

    assert main(["import", "products", bad]) == 1
    err = capsys.readouterr().err
    assert "line 2: price: not a number: 'x'" in err
    assert "line 3: name: required value missing" in err
    assert "nothing was imported" in err


@pytest.mark.usefixtures("data_dir")
def test_import_of_a_missing_file_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "customers", "nope.csv"]) == 1
    assert "no such file: nope.csv" in capsys.readouterr().err


def test_db_upgrade_reports_the_revision(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert "database at revision" in capsys.readouterr().out
    assert (data_dir / "clienteling.db").exists()


@pytest.mark.usefixtures("data_dir")
def test_associates_are_added_and_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "associates",
                "add",
                "--telegram-id",
                "42",
                "--name",
                "Ana",
                "--role",
                "manager",
                "--store",
                "S01",
            ]
        )
        == 0
    )
    assert "added manager Ana (telegram id 42, store S01)" in capsys.readouterr().out

    assert main(["associates", "list"]) == 0
    listing = capsys.readouterr().out
    assert "42" in listing
    assert "manager" in listing
    assert "Ana" in listing


@pytest.mark.usefixtures("data_dir")
def test_tips_are_imported_listed_and_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tips = _csv(
        tmp_path,
        "tips.csv",
        "tip_id,text,language\nT1,Ask how many cups they brew.,en\nT2,Pregunta cuántas tazas.,es\n",
    )

    assert main(["import", "tips", tips]) == 0
    assert main(["tips", "list", "--language", "es"]) == 0
    listed = capsys.readouterr().out
    assert "T2" in listed
    assert "T1  " not in listed
    assert main(["tips", "delete", "T2"]) == 0
    assert main(["tips", "delete", "T2"]) == 1
    assert "no tip with id 'T2'" in capsys.readouterr().err


@pytest.mark.usefixtures("demo_data_dir")
def test_a_tip_added_from_text_is_linked_to_the_product_it_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["tips", "add", "AeroPress: ask how many cups they brew at once"]) == 0
    added = capsys.readouterr().out
    assert main(["tips", "add", "short"]) == 1
    refused = capsys.readouterr().err
    assert main(["tips", "list"]) == 0
    listed = capsys.readouterr().out

    assert "added for AeroPress" in added
    assert "language en" in added
    assert "too short" in refused
    assert "ask how many cups they brew at once" in listed
    assert "by=console" in listed


@pytest.mark.usefixtures("demo_data_dir")
def test_demo_build_only_builds_once_and_reports_the_store(
    demo_build: DemoBuild, capsys: pytest.CaptureFixture[str]
) -> None:
    # The first build is the run's shared demo store (conftest), made by this same command.
    first = demo_build.output
    assert main(["demo", "--build-only"]) == 0
    second = capsys.readouterr().out

    assert "building the demo store" in first
    assert "store: 174 customers, 80 products" in first
    assert "already has data" in second


@pytest.mark.usefixtures("demo_data_dir")
def test_ask_json_gives_the_structured_reply(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "what did María López buy last time?", "--json"]) == 0

    reply = json.loads(capsys.readouterr().out)
    assert reply["intent"] == "history"
    assert reply["customer_id"] == "C0011"
    assert reply["skus"]
    assert {"answer", "tip_ids", "elapsed_ms"} <= reply.keys()


@pytest.mark.usefixtures("demo_data_dir")
def test_each_ask_is_a_conversation_of_its_own_unless_a_session_is_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def ask(*args: str) -> dict[str, object]:
        capsys.readouterr()
        assert main(["ask", *args, "--json"]) == 0
        reply: dict[str, object] = json.loads(capsys.readouterr().out)
        return reply

    ask("who is María López?")
    alone = ask("what sizes does she wear?")
    ask("who is María López?", "--session", "till-2")
    continued = ask("what sizes does she wear?", "--session", "till-2")

    # "she" in a question of its own points at nobody: never the customer of another call
    assert alone["customer_id"] is None
    assert continued["customer_id"] == "C0011"


@pytest.mark.usefixtures("demo_data_dir")
def test_ask_lists_follow_ups_it_cannot_follow_instead_of_numbering_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A number typed to the next `ask` would be a new question, not a button.
    assert main(["ask", "who is María López?"]) == 0

    out = capsys.readouterr().out
    assert "[1]" not in out
    assert "Follow-ups (in `clienteling chat`): " in out
    assert "Recommend" in out.splitlines()[-1]


@pytest.mark.usefixtures("demo_data_dir")
def test_ask_batch_answers_in_order_with_shared_sessions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"id": "a", "question": "who is Çağla Yılmaz?", "session": "s1"},
        {"id": "b", "question": "tips for selling the AeroPress?"},
        {"id": "c", "question": "what sizes does she wear?", "session": "s1"},
        {"id": "d", "question": "what sizes does she wear?", "session": "s2"},
    ]
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")

    assert main(["ask", "--batch", str(batch), "--json"]) == 0

    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c", "d"]
    assert out[2]["customer_id"] == "C0039"  # same session: "she" is Çağla
    assert out[3]["customer_id"] is None  # another session knows no "she"
    assert all(o["elapsed_ms"] > 0 for o in out)


@pytest.mark.usefixtures("demo_data_dir")
def test_ask_batch_with_a_bad_line_answers_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": 1, "question": "help"}\n{"id": 2}\nnot json\n', encoding="utf-8")

    assert main(["ask", "--batch", str(batch), "--json"]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert 'line 2: question: a string "question" is required' in captured.err
    assert "line 3: not JSON" in captured.err


@pytest.mark.usefixtures("demo_data_dir")
def test_recommend_json_and_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "C0039", "--k", "3", "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    ids = tmp_path / "ids.txt"
    ids.write_text("C0011\nC0039\nNOPE\n", encoding="utf-8")

    status = main(["recommend", "--batch", str(ids), "--k", "10", "--json"])

    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert one["customer_id"] == "C0039"
    assert 1 <= len(one["skus"]) <= 3
    assert len(one["reasons"]) == len(one["skus"]) == len(one["names"])
    assert all(one["names"])
    assert [o["customer_id"] for o in out] == ["C0011", "C0039", "NOPE"]
    assert status == 1  # an unknown id is reported, the others still answered
    assert out[2]["error"] == "unknown customer"


@pytest.mark.usefixtures("demo_data_dir")
def test_ask_as_an_unknown_associate_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "help", "--as", "Nobody"]) == 1
    assert "no associate 'Nobody'" in capsys.readouterr().err


def test_feedback_lists_votes_with_their_questions(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlmodel import Session

    from storage.db import make_engine, upgrade
    from storage.feedback import log_answer, record_vote

    engine = make_engine(f"sqlite:///{data_dir / 'clienteling.db'}")
    upgrade(engine)
    with Session(engine) as db:
        for question, vote in (("who is Maria?", 1), ("what did Nikos buy?", -1)):
            logged = log_answer(
                session=db,
                chat_key="tg:1",
                telegram_id=1,
                associate_name="Ana",
                question=question,
                answer="…",
                intent="history",
                customer_id="C0113",
                skus=["FTW-005"],
                tip_ids=[],
                options=[],
            )
            assert logged.id is not None
            record_vote(session=db, answer_id=logged.id, telegram_id=1, vote=vote)
    engine.dispose()

    assert main(["feedback"]) == 0
    everything = capsys.readouterr().out
    assert main(["feedback", "--down"]) == 0
    failures = capsys.readouterr().out

    assert "👍" in everything
    assert "👎" in everything
    assert "“what did Nikos buy?” → history C0113 FTW-005" in failures
    assert "who is Maria?" not in failures


def test_the_console_chat_answers_and_a_number_picks_a_button(
    writable_dir: Path, embeddings: Any
) -> None:
    from bot.cli import chat_loop
    from bot.core.assistant import Caller
    from tests.bot.conftest import make_assistant

    typed = iter(["who is Hiroshi Tanaka", "1", "/quit"])
    shown: list[str] = []

    status = chat_loop(
        make_assistant(writable_dir, embeddings),
        Caller.local_admin(),
        "console-test",
        read=lambda _prompt: next(typed),
        write=shown.append,
    )

    assert status == 0
    assert "[1] Last purchases" in shown[1]
    assert "Hiroshi Tanaka — last order on" in shown[2]


def test_an_import_the_database_keeps_locked_fails_in_one_line_and_writes_nothing(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import threading

    from sqlmodel import Session, select

    import storage.db
    from storage.db import make_engine, upgrade
    from storage.models import Customer

    monkeypatch.setattr(storage.db, "SQLITE_BUSY_TIMEOUT", 0.3)
    engine = make_engine(f"sqlite:///{data_dir / 'clienteling.db'}")
    upgrade(engine)
    customers = _csv(tmp_path, "c.csv", "customer_id,first_name\nC1,Ana\nC2,Ben\n")
    held, release = threading.Event(), threading.Event()

    def other_program() -> None:
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute("BEGIN IMMEDIATE")
            held.set()
            release.wait(timeout=30)
            raw.execute("ROLLBACK")

    thread = threading.Thread(target=other_program)
    thread.start()
    held.wait(timeout=10)
    try:
        code = main(["import", "customers", customers])
    finally:
        release.set()
        thread.join()

    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert "waiting for it to finish" in err
    [line] = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert "database stayed busy" in line
    assert "nothing was imported" in line
    with Session(engine) as db:
        assert db.exec(select(Customer)).all() == []


@pytest.mark.usefixtures("demo_data_dir")
def test_lists_prints_one_json_object_a_row_best_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lists", "vip", "--date", "2026-11-22", "--limit", "3", "--json"]) == 0

    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 3
    assert all({"customer_id", "name", "reason", "value"} <= row.keys() for row in rows)
    assert [r["value"] for r in rows] == sorted((r["value"] for r in rows), reverse=True)


@pytest.mark.usefixtures("demo_data_dir")
def test_lists_buyers_prints_who_bought_the_product_newest_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lists", "buyers", "--sku", "COF-008", "--date", "2026-11-22", "--json"]) == 0

    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows, "the demo's Moka Express has buyers"
    assert {r["sku"] for r in rows} == {"COF-008"}
    assert [r["value"] for r in rows] == sorted(
        r["value"] for r in rows
    )  # days since, newest first


@pytest.mark.usefixtures("demo_data_dir")
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["lists", "friends"], "unknown list 'friends'"),
        (["lists", "vip", "--date", "30/11/2026"], "is not a date"),
        (["lists", "buyers"], "--sku goes with the buyers list"),
        (["lists", "vip", "--sku", "COF-008"], "--sku goes with the buyers list"),
        (["lists", "buyers", "--sku", "COF-008", "--sku", "NOPE-1"], "no product with sku NOPE-1"),
    ],
)
def test_lists_refuses_what_it_cannot_do_in_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    assert main(args) == 2
    assert says in capsys.readouterr().err


@pytest.mark.usefixtures("demo_data_dir")
def test_customers_export_prints_her_record_and_refuses_an_unknown_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["customers", "export", "C0011", "--json"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1
    record = json.loads(out)
    assert record["customer"]["customer_id"] == "C0011"
    assert record["customer"]["first_name"]
    assert record["purchases"]

    assert main(["customers", "export", "NOBODY"]) == 2
    assert "error: no customer 'NOBODY'" in capsys.readouterr().err
