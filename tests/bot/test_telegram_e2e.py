"""End to end: the real `clienteling run` process polling the fake Bot API on 127.0.0.1.

Nothing is patched: the command line, settings from the environment, PTB's HTTP client, the
assistant and the database all run as in production; only Telegram is the fake
(tests/telegram_fake.py). The demo store is built once per module with
`clienteling demo --build-only`; each bot process gets a copy of it.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.i18n import _, speaking
from tests.telegram_fake import FakeBotAPI, JSONDict, bot_env, buttons

CLIENTELING = Path(sys.executable).with_name("clienteling")
ASSOCIATE, STRANGER = 1001, 5555
STARTUP = 90.0  # seconds; importing chroma, langchain and the model takes a few on 2 cores
REPLY = 20.0

pytestmark = pytest.mark.skipif(not CLIENTELING.exists(), reason="clienteling is not installed")


def clienteling(*args: str, data_dir: Path) -> str:
    """Run one `clienteling` command to completion; return its output."""
    done = subprocess.run(
        [str(CLIENTELING), *args],
        env=bot_env(data_dir, None),
        cwd=data_dir.parent,  # no stray .env from the repository
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"clienteling {' '.join(args)}:\n{done.stdout}{done.stderr}"
    return done.stdout


class BotProcess:
    """`clienteling run` in polling mode, as a child process logging to a file."""

    def __init__(self, data_dir: Path, api: FakeBotAPI) -> None:
        self.data_dir = data_dir
        self.api = api
        self.log_path = data_dir.parent / "bot.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the bot and wait until it long-polls the fake."""
        started = time.monotonic()
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(CLIENTELING), "run"],
                env=bot_env(self.data_dir, self.api),
                cwd=self.data_dir.parent,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        while True:
            # Short waits, so a bot that dies at start fails the test at once, with its log.
            try:
                self.api.wait_for_poll(0.5, started_after=started)
                return
            except TimeoutError:
                if self.proc.poll() is not None:
                    raise AssertionError(f"the bot exited at start:\n{self.log()}") from None
                if time.monotonic() - started > STARTUP:
                    raise AssertionError(f"the bot did not poll:\n{self.log()}") from None

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        """Signal the bot and return its exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"the bot did not stop on {sig.name}:\n{self.log()}") from None

    def log(self) -> str:
        """The process output so far (its last lines)."""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-60:])


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory, demo_dir: Path) -> Path:
    """A copy of the run's demo store with one associate registered by the CLI."""
    data_dir = tmp_path_factory.mktemp("e2e-demo") / "data"
    shutil.copytree(demo_dir, data_dir)
    clienteling(
        "associates",
        "add",
        "--telegram-id",
        str(ASSOCIATE),
        "--name",
        "Ana Test",
        "--role",
        "associate",
        data_dir=data_dir,
    )
    return data_dir


def store_copy(demo_store: Path, workdir: Path) -> Path:
    """A private copy of the demo store: a bot process writes to its store."""
    data_dir = workdir / "data"
    shutil.copytree(demo_store, data_dir)
    return data_dir


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBotAPI]:
    """The fake Bot API shared by the module's long-running bot."""
    with FakeBotAPI() as fake:
        yield fake


@pytest.fixture(scope="module")
def running_bot(
    api: FakeBotAPI, demo_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    """One bot process for the module: starting one takes seconds, so tests share it (the
    restart tests restart this one)."""
    bot = BotProcess(store_copy(demo_store, tmp_path_factory.mktemp("e2e-bot")), api)
    bot.start()
    yield bot
    bot.stop()


@pytest.fixture
def bot(running_bot: BotProcess) -> BotProcess:
    """The module's bot, started again if an earlier test left it stopped."""
    if running_bot.proc is None or running_bot.proc.poll() is not None:
        running_bot.start()
    return running_bot


def ask(api: FakeBotAPI, user_id: int, text: str, *, first_name: str = "Ana") -> JSONDict:
    """Send a text as the user and return the bot's next message to them."""
    before = len(api.sent(user_id))
    api.push_text(user_id, text, first_name=first_name)
    return api.wait_for_messages(before + 1, REPLY, chat_id=user_id)[before]


def press(api: FakeBotAPI, user_id: int, message: JSONDict, label: str) -> JSONDict:
    """Press the button with this label on a bot message; return the bot's next message."""
    [data] = [b["callback_data"] for b in buttons(message) if b["text"] == label]
    before = len(api.sent(user_id))
    api.push_callback(user_id, data, message["message_id"])
    return api.wait_for_messages(before + 1, REPLY, chat_id=user_id)[before]


def test_a_registered_associate_gets_an_answer_with_buttons(
    api: FakeBotAPI, bot: BotProcess
) -> None:
    reply = ask(api, ASSOCIATE, "who is Çağla Yılmaz?")

    assert reply["parse_mode"] == "HTML"
    assert reply["plain_text"].startswith("Çağla Yılmaz · C0039"), bot.log()
    assert "shoe EU 39" in reply["plain_text"]
    labels = [b["text"] for b in buttons(reply)]
    assert {"Last purchases", "Sizes", "👍", "👎"} <= set(labels)
    assert api.commands(), "the bot registers its commands at start"


def test_a_stranger_is_refused_without_customer_data(api: FakeBotAPI, bot: BotProcess) -> None:
    reply = ask(api, STRANGER, "who is Çağla Yılmaz? what are her sizes?", first_name="Eve")

    assert "associates only" in reply["plain_text"], bot.log()
    for secret in ("Çağla", "C0039", "EU 39", "€", "Turkish"):
        assert secret not in reply["plain_text"]
    assert buttons(reply) == []


def test_a_button_press_continues_the_session(api: FakeBotAPI, bot: BotProcess) -> None:
    overview = ask(api, ASSOCIATE, "who is Çağla Yılmaz?")
    purchases = press(api, ASSOCIATE, overview, "Last purchases")

    assert "Çağla Yılmaz" in purchases["plain_text"], bot.log()
    assert "last order" in purchases["plain_text"].lower()
    assert api.calls("answerCallbackQuery")[-1].status == 200  # the spinner stops


def test_flood_control_and_a_server_error_on_send_are_survived(
    api: FakeBotAPI, bot: BotProcess
) -> None:
    api.fail_next("sendMessage", status=429, retry_after=1)
    asked = time.monotonic()
    reply = ask(api, ASSOCIATE, "what sizes does Çağla Yılmaz wear?")
    waited = time.monotonic() - asked

    api.fail_next("sendMessage", status=500)
    again = ask(api, ASSOCIATE, "what did Çağla Yılmaz buy last time?")

    assert "EU 39" in reply["plain_text"], bot.log()
    assert waited >= 1.0, "the bot honoured retry_after"
    assert "Çağla Yılmaz" in again["plain_text"]
    statuses = [c.status for c in api.calls("sendMessage")][-4:]
    assert statuses == [429, 200, 500, 200]


def test_a_repeated_update_is_processed_once(api: FakeBotAPI, bot: BotProcess) -> None:
    before = len(api.sent(ASSOCIATE))
    update_id = api.push_text(ASSOCIATE, "what does Çağla Yılmaz like?", first_name="Ana")
    [first] = api.wait_for_messages(before + 1, REPLY, chat_id=ASSOCIATE)[before:]
    api.push_raw(api.update(update_id))  # Telegram delivers it a second time
    # Updates are handled in order: once the next answer is out, the repeat was handled too.
    follow_up = ask(api, ASSOCIATE, "who is Çağla Yılmaz?")

    assert "Çağla Yılmaz" in first["plain_text"], bot.log()
    assert follow_up["plain_text"].startswith("Çağla Yılmaz")
    assert len(api.sent(ASSOCIATE)) == before + 2


def test_the_session_survives_a_restart(api: FakeBotAPI, bot: BotProcess) -> None:
    before = len(api.sent(ASSOCIATE))
    first = ask(api, ASSOCIATE, "who is Çağla Yılmaz?")
    assert bot.stop(signal.SIGTERM) == 0, bot.log()

    bot.start()
    sizes = ask(api, ASSOCIATE, "what sizes does she wear?")

    assert first["plain_text"].startswith("Çağla Yılmaz"), bot.log()
    assert "Çağla Yılmaz" in sizes["plain_text"], bot.log()
    assert "shoe EU 39" in sizes["plain_text"]
    assert len(api.sent(ASSOCIATE)) == before + 2, "the first question was not answered again"


def test_a_crash_before_confirming_does_not_answer_twice(api: FakeBotAPI, bot: BotProcess) -> None:
    """Killed after replying but before its next poll confirmed the update, the bot gets the
    update again from Telegram when it restarts, and must not answer it again."""
    before = len(api.sent(ASSOCIATE))
    # The poll that would confirm the question is held (until the fake closes), as if the
    # network had lost it.
    api.delay_next("getUpdates", 600)
    first = ask(api, ASSOCIATE, "who is Çağla Yılmaz?")
    bot.stop(signal.SIGKILL)
    unconfirmed = api.pending_updates()

    bot.start()
    sizes = ask(api, ASSOCIATE, "what sizes does she wear?")

    assert first["plain_text"].startswith("Çağla Yılmaz"), bot.log()
    assert len(unconfirmed) == 1, "the question was still unconfirmed at the crash"
    assert "shoe EU 39" in sizes["plain_text"], bot.log()
    assert len(api.sent(ASSOCIATE)) == before + 2, "the redelivered question was not answered"


def test_buttons_are_in_the_askers_language_and_work_after_a_restart(
    api: FakeBotAPI, bot: BotProcess
) -> None:
    with speaking("es"):
        all_purchases, on_record = _("All purchases"), _("on record")
    history = ask(api, ASSOCIATE, "¿qué compró Çağla Yılmaz la última vez?")
    labels = [b["text"] for b in buttons(history)]
    assert all_purchases in labels, bot.log()
    assert bot.stop(signal.SIGTERM) == 0, bot.log()

    bot.start()
    everything = press(api, ASSOCIATE, history, all_purchases)

    assert "Çağla Yılmaz" in everything["plain_text"], bot.log()
    # answered in Spanish, like the reply the button came with
    assert on_record in everything["plain_text"]


def test_a_task_made_in_spanish_is_listed_after_a_restart_and_its_done_button_works(
    api: FakeBotAPI, bot: BotProcess
) -> None:
    made = ask(api, ASSOCIATE, "recuérdame llamar a Çağla Yılmaz el viernes por las botas")
    assert bot.stop(signal.SIGTERM) == 0, bot.log()

    bot.start()
    listed = ask(api, ASSOCIATE, "/tasks")
    [done_label] = [b["text"] for b in buttons(listed) if b["text"].startswith("✓")]
    done = press(api, ASSOCIATE, listed, done_label)
    after = ask(api, ASSOCIATE, "/tasks")

    assert "Çağla Yılmaz (C0039)" in made["plain_text"], bot.log()
    assert "Llamar a Çağla Yılmaz por las botas" in listed["plain_text"], bot.log()
    assert "Llamar a Çağla Yılmaz por las botas" in done["plain_text"], bot.log()
    assert "Çağla" not in after["plain_text"], bot.log()
