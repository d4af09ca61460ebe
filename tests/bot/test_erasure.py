"""The right to erasure, end to end: `clienteling customers forget` leaves no byte of her in
the installation's files, and the retailer's next export does not bring her back."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli import main
from bot.core.shopping_refresh import current_model
from bot.core.types import Caller
from bot.services.feedback import remember_answer
from bot.settings import Settings
from bot.wiring import open_database
from storage.contacts import add_draft
from storage.db import read_session, run_write
from storage.feedback import record_vote
from storage.followups import add_followup
from storage.models import (
    AnswerLog,
    AuditEntry,
    ConsentChange,
    Contact,
    Conversation,
    Customer,
    Feedback,
    FollowUp,
    Note,
    ProductSignal,
    Purchase,
)
from tests.bot.conftest import make_assistant

CUSTOMERS = """customer_id,first_name,last_name,email,phone,birthday,marketing_consent,home_store
C7,Zoë,Whitfield,Zoe.Whitfield@example.org,+44 7700 900461,1990-02-14,yes,S01
C8,Ben,Okafor,ben@example.org,+44 7700 900999,,no,S01
"""
PRODUCTS = """sku,name,category,price
K1,Glass kettle,Kitchen,49.00
F1,Paper filters,Coffee,5.50
"""
PURCHASES = """order_id,customer_id,sku,quantity,unit_price,purchased_at,store_id
O1,C7,K1,1,49.00,2026-01-10 10:00:00,S01
O2,C7,F1,2,5.50,2026-03-02 11:00:00,S01
O3,C8,K1,1,49.00,2026-02-01 12:00:00,S01
O4,C8,F1,1,5.50,2026-02-01 12:05:00,S01
"""
NOTES = """customer_id,text,author,created_at
C7,Renovating the kitchen; Whitfield wants matte black,Ana,2026-01-10T10:30:00Z
C8,Likes pour-over,Ana,2026-02-01T12:10:00Z
"""
# Every form of her that may sit in a file: names, e-mail and phone as typed and as keyed.
TRACES = [
    "Whitfield",
    "WHITFIELD",
    "Zoe.Whitfield@example.org",
    "zoe.whitfield@example.org",
    "7700 900461",
    "7700900461",
]


def _files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for kind, text in (
        ("customers", CUSTOMERS),
        ("products", PRODUCTS),
        ("purchases", PURCHASES),
        ("notes", NOTES),
    ):
        paths[kind] = tmp_path / f"{kind}.csv"
        paths[kind].write_text(text, encoding="utf-8")
    return paths


def _traces_on_disk(root: Path) -> dict[str, list[str]]:
    """Return, per trace, the files under `root` whose bytes hold it (UTF-8 or UTF-16)."""
    found: dict[str, list[str]] = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            data = path.read_bytes()
            for trace in TRACES:
                forms = (trace.encode(), trace.encode("utf-16-le"))
                if any(form in data for form in forms):
                    found.setdefault(trace, []).append(str(path.relative_to(root)))
    return found


@pytest.fixture
def installation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An installation in tmp_path/data with her and another customer, imported from files."""
    monkeypatch.chdir(tmp_path)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "LLM_MODEL", "CHROMA_URL"):
        monkeypatch.delenv(name, raising=False)
    for kind, path in _files(tmp_path).items():
        assert main(["import", kind, str(path)]) == 0
    return data_dir


def _use_her_everywhere(data_dir: Path, embeddings: object) -> None:
    """Talk about her as associates do: answers, votes, a chat session, a task, a draft, a tip
    that quotes her, a "which one?" that lists her."""
    assistant = make_assistant(data_dir, embeddings)  # type: ignore[arg-type]
    ana = Caller(name="Ana", telegram_id=501)
    for question in ("what did Zoë Whitfield buy?", "notes on zoe.whitfield@example.org"):
        reply = assistant.answer(ana, question, session="tg:501")
        assert reply.customer_id == "C7"
        answer_id = remember_answer(
            assistant.engine, chat_key="tg:501", caller=ana, question=question, reply=reply
        )
        run_write(
            assistant.engine,
            lambda db, answer_id=answer_id: record_vote(
                session=db, answer_id=answer_id, telegram_id=501, vote=1
            ),
        )
    other = assistant.answer(ana, "what did Ben Okafor buy?", session="tg:777")
    remember_answer(assistant.engine, chat_key="tg:777", caller=ana, question="Ben?", reply=other)
    run_write(
        assistant.engine,
        lambda db: add_followup(
            session=db,
            customer_id="C7",
            text="call Zoë Whitfield about the kettle",
            due_date=date(2026, 12, 4),
            now=datetime(2026, 11, 30, 9, tzinfo=UTC),
            telegram_id=501,
            associate_name="Ana",
        ),
    )
    with read_session(assistant.engine) as db:
        add_draft(
            session=db,
            contact=Contact(
                customer_id="C7", text="Hi Zoë, your filters are in", purpose="service"
            ),
        )
    assert (
        main(["tips", "add", "Glass kettle: Zoë Whitfield (07700 900461) says descale monthly"])
        == 0
    )


def test_forget_leaves_no_byte_of_her_and_her_next_import_is_skipped(
    installation: Path,
    tmp_path: Path,
    embeddings: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _use_her_everywhere(installation, embeddings)
    assert _traces_on_disk(installation)  # the scan can see her before

    capsys.readouterr()
    assert main(["customers", "forget", "C7", "--yes", "--reason", "asked by e-mail"]) == 0
    out = capsys.readouterr().out
    assert "erased C7:" in out
    assert "2 purchase lines" in out
    assert "1 notes" in out
    assert "tips that named the customer, rewritten without the name" in out

    assert _traces_on_disk(installation) == {}
    engine = open_database(Settings(_env_file=None, DATA_DIR=installation))
    with read_session(engine) as db:
        for table in (Purchase, Note, FollowUp, Contact, ConsentChange):
            rows = db.exec(select(table).where(table.customer_id == "C7")).all()  # type: ignore[attr-defined]
            assert rows == [], table.__name__
        assert db.get(Customer, "C7") is None
        assert db.exec(select(AnswerLog).where(AnswerLog.customer_id == "C7")).all() == []
        assert len(db.exec(select(Feedback)).all()) == 0
        assert db.exec(select(Conversation).where(Conversation.key == "tg:501")).all() == []
        # Ben is untouched: his answer, chat session, lines and the signals learned from them.
        assert db.get(Customer, "C8") is not None
        assert db.exec(select(Conversation).where(Conversation.key == "tg:777")).one()
        assert len(db.exec(select(Purchase).where(Purchase.customer_id == "C8")).all()) == 2
        kettle = db.get(ProductSignal, "K1")
        assert kettle is not None
        assert kettle.buyers == 1
        # The shopping model was rebuilt from Ben alone: her baskets and id are not in it.
        model = current_model(session=db)
        assert model is not None
        assert model.customers.tolist() == ["C8"]
        assert list(model.fingerprints) == ["C8"]
        erasure = db.exec(select(AuditEntry).where(AuditEntry.kind == "erasure")).one()
        assert erasure.customer_id is not None
        assert erasure.customer_id.startswith("erased:")
        assert erasure.detail == "asked by e-mail"

    # The retailer's next full export still holds her: every file skips her, and says so.
    for kind, path in _files(tmp_path).items():
        assert main(["import", kind, str(path)]) == 0
        summary = capsys.readouterr().out
        if kind != "products":
            assert "1 erased customer skipped" in summary, summary
    with read_session(engine) as db:
        assert db.get(Customer, "C7") is None
        assert db.exec(select(Purchase).where(Purchase.customer_id == "C7")).all() == []


def test_she_is_skipped_under_a_new_id_with_her_email_or_phone(
    installation: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert main(["customers", "forget", "C7", "--yes"]) == 0
    # With the store's country known, a national number is the same phone as her +44 one.
    monkeypatch.setenv("PHONE_REGION", "GB")
    again = tmp_path / "again.csv"
    again.write_text(
        "customer_id,first_name,last_name,email,phone\n"
        "N1,Zoe,Whitfield,ZOE.WHITFIELD@example.org,\n"
        "N2,Z.,Whitfield,,07700 900461\n"
        "N3,Ana,New,ana@example.org,\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["import", "customers", str(again)]) == 0
    assert "2 erased customers skipped" in capsys.readouterr().out
    engine = open_database(Settings(_env_file=None, DATA_DIR=installation))
    with read_session(engine) as db:
        ids = set(db.exec(select(Customer.customer_id)).all())
    assert ids == {"C8", "N3"}


def test_a_lost_suppression_key_stops_imports_instead_of_letting_her_back(
    installation: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["customers", "forget", "C7", "--yes"]) == 0
    (installation / "suppression.key").unlink()
    capsys.readouterr()
    assert main(["import", "customers", str(_files(tmp_path)["customers"])]) == 1
    err = capsys.readouterr().err
    assert "suppression.key" in err
    assert "nothing was imported" in err


def test_forget_asks_first_and_an_unknown_id_is_an_error(
    installation: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not a terminal and no --yes: nothing happens.
    assert main(["customers", "forget", "C7"]) == 2
    assert "add --yes" in capsys.readouterr().err
    assert main(["customers", "forget", "NOPE", "--yes"]) == 2
    assert "no customer 'NOPE'" in capsys.readouterr().err
    engine = open_database(Settings(_env_file=None, DATA_DIR=installation))
    with read_session(engine) as db:
        assert db.get(Customer, "C7") is not None


def test_a_short_suppression_key_is_refused_with_the_setting_named(tmp_path: Path) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="at least 16 characters"):
        Settings(_env_file=None, DATA_DIR=tmp_path, SUPPRESSION_KEY="short")
    key = Settings(_env_file=None, DATA_DIR=tmp_path).suppression_key()
    assert key is not None
    assert len(key) == 32
    assert (tmp_path / "suppression.key").stat().st_mode & 0o077 == 0  # owner only
    assert Settings(_env_file=None, DATA_DIR=tmp_path).suppression_key() == key
