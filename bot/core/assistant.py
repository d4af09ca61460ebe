"""The assistant core: `answer(caller, text, session)` and `follow(caller, option, session)`, the
same for every transport.

Offline it understands a message (bot.core.understanding), fetches the facts from the SQL
store and the tip store (bot.core.retrieval) and composes a short answer from them
(bot.core.answers). With an LLM configured, bot.core.llm words the answer from the same
retrieval functions. The conversation (who and what a chat is about) is kept in the database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from langchain_core.embeddings import Embeddings
from sqlalchemy import Engine
from sqlmodel import Session

from bot.core import answers, wording
from bot.core.catalogue import Catalogue
from bot.core.intents import IntentClassifier
from bot.core.retrieval import Retrieval
from bot.core.rules import parse_note
from bot.core.types import Caller, Intent, Option, Reply
from bot.core.understanding import understand, understand_option
from knowledge.tips import TipStore
from storage.conversations import get_conversation, save_conversation
from storage.db import read_session, run_write
from storage.models import Conversation, Customer

__all__ = ["Assistant", "Caller", "Intent", "Option", "Reply", "timed_answer"]

log = logging.getLogger(__name__)
# How often a running assistant looks for customers or products imported meanwhile.
REFRESH_CHECK_SECONDS = 30.0
# Writing notes and asking "which one?" stay deterministic: the LLM never words them.
OFFLINE_ONLY = frozenset({Intent.note, Intent.help, Intent.clarify, Intent.not_found})


class Assistant:
    """Answers associates' questions from the store's own data."""

    def __init__(
        self,
        *,
        engine: Engine,
        tips: TipStore,
        embeddings: Embeddings,
        llm: Any = None,
        llm_timeout: float = 20.0,
        clock: Callable[[], datetime] | None = None,
    ):
        self.engine = engine
        self.tips = tips
        self.llm = llm
        self.llm_timeout = llm_timeout
        self.clock = clock or (lambda: datetime.now(UTC))
        self.intents = IntentClassifier(embeddings)
        self.catalogue = Catalogue(engine, embeddings, check_every=REFRESH_CHECK_SECONDS)
        self.retrieval = Retrieval(
            engine=engine,
            tips=tips,
            embeddings=embeddings,
            catalogue=self.catalogue,
            clock=lambda: self.clock(),
        )

    def refresh(self) -> None:
        """Re-read customer names and products (after an import)."""
        self.catalogue.refresh()

    def answer(self, caller: Caller, text: str, session: str) -> Reply:
        """Answer one message of a conversation; `session` keys the conversation's memory."""
        text = text.strip()
        return self._converse(
            caller, text, session, lambda db, c: self._answer(db, caller, text, c)
        )

    def follow(self, caller: Caller, option: Option, session: str) -> Reply:
        """Answer a follow-up the previous reply offered (a button), as that option says."""
        return self._converse(
            caller, option.label, session, lambda db, c: self._follow(db, caller, option, c)
        )

    # --- one turn of a conversation ----------------------------------------------------------

    def _converse(
        self,
        caller: Caller,
        text: str,
        session: str,
        reply_to: Callable[[Session, Conversation], Reply],
    ) -> Reply:
        self.catalogue.refresh_when_changed()
        # Read in one transaction, write in short ones of their own (storage.db explains why).
        with read_session(self.engine) as db:
            conversation = get_conversation(session=db, key=session)
            # Changed while answering, saved afterwards: never flushed in this transaction.
            if conversation in db:
                db.expunge(conversation)
            reply = reply_to(db, conversation)
            if reply.customer_id:
                conversation.customer_id = reply.customer_id
            if reply.skus and reply.intent == Intent.product:
                conversation.sku = reply.skus[0]
        self._remember(conversation)
        if self.llm is not None and reply.intent not in OFFLINE_ONLY:
            from bot.core.llm.agent import answer_with_llm  # loads LangChain's agent only now

            return answer_with_llm(
                self.retrieval,
                self.llm,
                caller,
                text,
                reply,
                timeout=self.llm_timeout,
            )
        return reply

    def _answer(self, db: Session, caller: Caller, text: str, conversation: Conversation) -> Reply:
        r = self.retrieval
        if not text:
            return Reply(text=wording.HELP, intent=Intent.help)
        note = parse_note(text)
        if note is not None:
            return answers.write_note(r, db, caller, note, conversation)
        if conversation.pending_note and (picked := self._picked(db, text)):
            pending, conversation.pending_note = conversation.pending_note, None
            return answers.save_note(r, caller, picked, pending)
        conversation.pending_note = None
        return answers.respond(r, db, text, understand(r, self.intents, db, text, conversation))

    def _follow(
        self, db: Session, caller: Caller, option: Option, conversation: Conversation
    ) -> Reply:
        r = self.retrieval
        if conversation.pending_note and option.value:
            picked = r.direct_customers(db, option.value)
            if len(picked) == 1:
                pending, conversation.pending_note = conversation.pending_note, None
                return answers.save_note(r, caller, picked[0], pending)
        conversation.pending_note = None
        understood = understand_option(db, option, conversation)
        return answers.respond(r, db, option.label, understood)

    def _picked(self, db: Session, text: str) -> Customer | None:
        direct = self.retrieval.direct_customers(db, text)
        return direct[0] if len(direct) == 1 else None

    def _remember(self, conversation: Conversation) -> None:
        """Save what the chat is about; a failure costs the context, never the answer."""
        try:
            run_write(
                self.engine,
                lambda db: save_conversation(session=db, conversation=conversation),
            )
        except Exception as exc:  # the answer is computed: the associate gets it regardless
            log.warning(
                "conversation %s: context not saved (%s)", conversation.key, type(exc).__name__
            )


def timed_answer(
    assistant: Assistant, caller: Caller, text: str, session: str
) -> tuple[Reply, float]:
    """Answer and return the reply with the milliseconds it took."""
    started = time.perf_counter()
    reply = assistant.answer(caller, text, session)
    return reply, (time.perf_counter() - started) * 1000
