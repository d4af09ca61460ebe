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
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from langchain_core.embeddings import Embeddings
from sqlalchemy import Engine
from sqlmodel import Session

from bot.core import answers, audit, consent, list_answer, outreach, tasks, wording
from bot.core.asked_periods import ASKED_AGAIN, asked_again, remember, stored
from bot.core.briefing import briefing
from bot.core.catalogue import Catalogue
from bot.core.corrections import corrected
from bot.core.greeklish import in_greek_letters
from bot.core.i18n import (
    SOURCE_LANGUAGE,
    _,
    available_languages,
    current_language,
    pick_language,
    speaking,
)
from bot.core.intents import IntentClassifier
from bot.core.message_language import message_language
from bot.core.option_understanding import understand_option
from bot.core.picks import picked_place
from bot.core.retrieval import Retrieval
from bot.core.rules import is_greeting, parse_note
from bot.core.shopping_asks import refocused, shopping_reply
from bot.core.task_words import asks_for_day_plan
from bot.core.text import bounded
from bot.core.told_asks import her_question
from bot.core.types import Caller, Intent, Option, Reply
from bot.core.understanding import Understood, understand
from bot.core.unpointed import asked_of_her
from knowledge.tips import TipStore
from storage.conversations import get_conversation, save_conversation
from storage.db import read_session, run_write
from storage.local_times import local_time, store_zone
from storage.models import Conversation, Customer
from storage.scope import Scope

__all__ = ["Assistant", "Caller", "Intent", "Option", "Reply", "timed_answer"]

log = logging.getLogger(__name__)
# How often a running assistant looks for customers or products imported meanwhile.
REFRESH_CHECK_SECONDS = 30.0
# Writing notes and asking "which one?" stay deterministic: the LLM never words them.
OFFLINE_ONLY = frozenset(
    {
        Intent.note,
        Intent.consent,
        Intent.help,
        Intent.clarify,
        Intent.not_found,
        Intent.lists,
        Intent.unknown,
        Intent.task,
        Intent.draft,
        Intent.briefing,
    }
)
# Replies that say a customer is not there (or lists no one): for a caller who sees no
# customer at all (CUSTOMER_SCOPE=store and no store), with a notice saying why.
NO_CUSTOMER_SHOWN = frozenset(
    {Intent.not_found, Intent.need_customer, Intent.lists, Intent.task, Intent.draft}
)
# Replies after which the conversation is about no customer until one is settled.
FORGETS_CUSTOMER = frozenset({Intent.clarify, Intent.not_found})


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
        llm_data: str = "minimal",
        clock: Callable[[], datetime] | None = None,
        phone_region: str = "",
        store_timezone: str = "UTC",
        default_language: str = "en",
        currency: str = "EUR",
        marketing_cap: int = 2,
        customer_scope: str = "all",
    ):
        """`phone_region`: ISO 3166 alpha-2 code that reads phone numbers typed without a
        country code (setting PHONE_REGION; "" matches digits only). `store_timezone` (IANA,
        setting STORE_TIMEZONE): purchases and notes are stored in the store's wall-clock
        time, so "today", "last month" and new notes are too; `clock` returns that time
        (labelled UTC), by default now in that zone. ValueError for an unknown zone.
        `default_language` (DEFAULT_LANGUAGE) is the reply language when nothing else tells
        it; `currency` (CURRENCY, ISO 4217) is the currency of every amount.
        `marketing_cap` (MAX_MARKETING_CONTACTS_PER_30D): marketing messages one customer may
        get in 30 days from all associates. `customer_scope` (CUSTOMER_SCOPE, "all" or
        "store"): which customers each caller sees (storage.scope); ValueError for another."""
        self.engine = engine
        self.tips = tips
        self.llm = llm
        # DEFAULT_LANGUAGE (ISO 639-1) and CURRENCY (ISO 4217): replies in a language with no
        # catalogue are written in English.
        self.default_language = (
            default_language if default_language in available_languages() else SOURCE_LANGUAGE
        )
        self.currency = currency
        self.llm_timeout = llm_timeout
        # LLM_DATA ("minimal" or "full"): what the language model may see (bot.core.llm.privacy;
        # imported here for the check only: LangChain's messages, not its agent).
        from bot.core.llm.privacy import check_llm_data

        self.llm_data = check_llm_data(llm_data)
        zone = store_zone(store_timezone)
        self.clock = clock or (lambda: local_time(datetime.now(UTC), zone).wall)
        self.intents = IntentClassifier(embeddings)
        self.catalogue = Catalogue(engine, embeddings, check_every=REFRESH_CHECK_SECONDS)
        self.retrieval = Retrieval(
            engine=engine,
            tips=tips,
            embeddings=embeddings,
            catalogue=self.catalogue,
            clock=lambda: self.clock(),
            phone_region=phone_region,
            store_timezone=store_timezone,
            customer_scope=customer_scope,
        )
        self.retrieval.marketing_cap = marketing_cap
        self.retrieval.default_language = self.default_language

    def refresh(self) -> None:
        """Re-read customer names and products (after an import)."""
        self.catalogue.refresh()

    def scope_for(self, caller: Caller) -> Scope:
        """Return the customers `caller` sees (CUSTOMER_SCOPE, storage.scope)."""
        return Scope.of(self.retrieval.customer_scope, role=caller.role, store=caller.store)

    def answer(self, caller: Caller, text: str, session: str) -> Reply:
        """Answer one message of a conversation; `session` keys the conversation's memory.
        The reply is written in the message's language (`reply_language`)."""
        text = text.strip()
        return self._converse(
            caller, text, session, lambda db, c: self._answer(db, caller, text, c), typed=True
        )

    def follow(self, caller: Caller, option: Option, session: str) -> Reply:
        """Answer a follow-up the previous reply offered (a button), as that option says, in
        the language of that reply."""
        return self._converse(
            caller,
            option.label,
            session,
            lambda db, c: self._follow(db, caller, option, c),
            typed=False,
        )

    def _is_name(self, word: str) -> bool:
        """Return whether a folded word is a form of a stored customer's name."""
        return bool(self.catalogue.customers.by_form.get(word))

    def reply_language(self, caller: Caller, text: str | None, before: str | None = None) -> str:
        """Return the ISO 639-1 language to reply in.

        A typed message (`text`): its own language when it can be told (`message_language`),
        else the associate's preference, the chat client's language, `before` (the
        conversation's: the language of its last reply, so a short "¿y en 2025?" in a chat
        without preferences stays Spanish), then DEFAULT_LANGUAGE. A button (`text` None):
        `before` first, the language of the reply it belongs to."""
        if text is None:
            return pick_language(
                before, caller.language, caller.client_language, self.default_language
            )
        return pick_language(
            message_language(text, is_name=self._is_name),
            caller.language,
            caller.client_language,
            before,
            self.default_language,
        )

    # --- one turn of a conversation ----------------------------------------------------------

    def _converse(
        self,
        caller: Caller,
        text: str,
        session: str,
        reply_to: Callable[[Session, Conversation], Reply],
        *,
        typed: bool,
    ) -> Reply:
        self.catalogue.refresh_when_changed()
        # Read in one transaction, write in short ones of their own (storage.db explains why).
        with read_session(self.engine) as db:
            conversation = get_conversation(session=db, key=session)
            # Changed while answering, saved afterwards: never flushed in this transaction.
            if conversation in db:
                db.expunge(conversation)
            language = self.reply_language(caller, text if typed else None, conversation.language)
            with speaking(language, self.currency):
                reply = reply_to(db, conversation)
                answers.localise_options(reply)
                if reply.intent in NO_CUSTOMER_SHOWN and self.scope_for(caller).nobody:
                    reply.notice = " ".join(filter(None, (reply.notice, _(wording.NO_STORE))))
            reply.language = conversation.language = language
            _carry(conversation, reply)
        if self.llm is not None and reply.intent == Intent.draft:
            from bot.core.llm.drafts import reword_draft  # LangChain's messages only now
            from bot.core.llm.privacy import redactor

            llm, timeout = self.llm, self.llm_timeout
            guard = redactor(self.retrieval, self.llm_data)
            reply = outreach.reworded(
                self.retrieval.for_caller(caller),
                reply,
                lambda text, lang, keep, avoid: reword_draft(
                    llm,
                    text,
                    language=lang,
                    keep=keep,
                    avoid=avoid,
                    timeout=timeout,
                    redactor=guard,
                ),
            )
        if self.llm is not None and reply.intent not in OFFLINE_ONLY:
            from bot.core.llm.agent import answer_with_llm  # loads LangChain's agent only now

            with speaking(language, self.currency):
                reply = answer_with_llm(
                    self.retrieval.for_caller(caller),  # its tools see the caller's customers
                    self.llm,
                    caller,
                    text,
                    reply,
                    timeout=self.llm_timeout,
                    llm_data=self.llm_data,
                )
        # What the chat is about and what the associate is shown (the final reply, worded by
        # the model or not) are saved together: one commit (bot.core.audit).
        self._remember(conversation, caller, reply)
        return reply

    def _answer(self, db: Session, caller: Caller, text: str, conversation: Conversation) -> Reply:
        r = self.retrieval.for_caller(caller)  # only the customers the caller may see
        if not text:
            return Reply(text=_(wording.HELP), intent=Intent.help)
        if not any(ch.isalnum() for ch in text):
            # Emoji, stickers' stand-ins, punctuation: nothing to understand, a pointer to help.
            return Reply(text=_(wording.SHORT_HELP), intent=Intent.help)
        note = parse_note(text)
        if note is not None:
            return answers.write_note(r, db, caller, note, conversation)
        if conversation.pending_note and (picked := self._picked(r, db, text, conversation)):
            pending, conversation.pending_note = conversation.pending_note, None
            return answers.save_note(r, caller, picked, pending)
        conversation.pending_note = None
        if asks_for_day_plan(text):
            # "who should I call today?": the briefing, in the language of the question
            return briefing(
                r.engine,
                replace(caller, language=current_language()),
                today=r.clock().date(),
                currency=self.currency,
                scope=r.scope,
                greet=False,
            )
        # Requests to do something (a reminder, a message to a customer) before questions.
        done = tasks.answer_message(r, self.intents, db, caller, text, conversation)
        if done is None:
            done = consent.answer_message(r, db, caller, text, conversation)
        if done is None:
            done = outreach.answer_message(r, db, caller, text, conversation)
        if done is not None:
            return done
        if (place := self._by_place(r, db, text, conversation)) is not None:
            # "2", "the second one" after "which Maria?": the question asked, about her
            asked = Intent(conversation.intent) if conversation.intent else None
            previous = asked if asked in ASKED_AGAIN else Intent.overview
            chosen = Understood(intent=previous, customer=place, period=stored(conversation))
            return answers.respond(r, db, text, chosen)
        if not is_greeting(text):  # "geia sou", "servus": a greeting as typed
            text = in_greek_letters(text)  # Greeklish (notes and requests above: as typed)
        understood = understand(r, self.intents, db, text, conversation)
        understood = corrected(r, db, understood, text, conversation)  # "the other maria"
        understood = asked_of_her(r, db, understood, text, conversation)  # "önemli bir şey?"
        understood = her_question(r, self.intents, understood, text)  # "X asks where the ATM is"
        understood = asked_again(understood, text, conversation)  # its period: "and Ana?"
        remember(conversation, understood)
        understood = refocused(understood, text, r.clock().date())
        if (shopping := shopping_reply(r, db, text, understood, conversation.sku)) is not None:
            return shopping  # a gift, a shopper's wish, what goes with a product
        if understood.intent == Intent.lists and understood.unknown_contact is None:
            # (a phone number nobody has is answered as such, whatever the words around it)
            return list_answer.customer_list(
                r, bounded(text)[0], store=caller.store, sku=understood.sku
            )
        if understood.intent == Intent.note:
            # A note is saved whole, however long; everything else reads the start only.
            return answers.note_in_words(r, db, caller, text, understood, conversation)
        read = bounded(text)[0]
        if (
            understood.intent == Intent.unknown
            and understood.customer is not None
            and conversation.customer_id not in (None, understood.customer.customer_id)
            and len(understood.name_words) < 2
        ):
            # Off topic, one word of someone else's name ("book a taxi to the Santos hotel"):
            # the chat stays with the customer it was about.
            understood = replace(understood, customer=None, named_customer=False)
        return answers.respond(r, db, read, understood)

    def _follow(
        self, db: Session, caller: Caller, option: Option, conversation: Conversation
    ) -> Reply:
        r = self.retrieval.for_caller(caller)  # a crafted button is held to it too
        if conversation.pending_note and option.value:
            picked = r.direct_customers(db, option.value)
            if len(picked) == 1:
                pending, conversation.pending_note = conversation.pending_note, None
                return answers.save_note(r, caller, picked[0], pending)
        conversation.pending_note = None
        if option.intent in tasks.ACTIONS:
            return tasks.follow(r, caller, option)
        if option.intent in outreach.ACTIONS:
            return outreach.follow(r, db, caller, option)
        if option.intent == Intent.consent:
            return consent.follow(r, db, caller, option)
        understood = understand_option(r, db, option, conversation)
        return answers.respond(r, db, option.label, understood)

    def _picked(
        self, r: Retrieval, db: Session, text: str, conversation: Conversation
    ) -> Customer | None:
        direct = r.direct_customers(db, text)
        if len(direct) == 1:
            return direct[0]
        return self._by_place(r, db, text, conversation)

    def _by_place(
        self, r: Retrieval, db: Session, text: str, conversation: Conversation
    ) -> Customer | None:
        """Return the candidate of the open "which one?" a message picks by place ("2", "the
        second one": bot.core.picks), or None. (A reminder's choices are not customers.)"""
        offered = (conversation.candidates or "").split()
        if not offered or any("|" in value for value in offered):
            return None
        place = picked_place(text)
        if place is None or place > len(offered):
            return None
        return r.customer(db, offered[place - 1])

    def _remember(self, conversation: Conversation, caller: Caller, reply: Reply) -> None:
        """Save what the chat is about with the audit entries of the reply the caller is shown
        (bot.core.audit), in one transaction; a failure costs the context, never the answer,
        and the entries are then written on their own."""

        def save(db: Session) -> None:
            audit.record_reply(db, caller, reply)
            save_conversation(session=db, conversation=conversation)

        try:
            run_write(self.engine, save)
        except Exception as exc:  # the answer is computed: the associate gets it regardless
            log.warning(
                "conversation %s: context not saved (%s)", conversation.key, type(exc).__name__
            )
            try:
                run_write(
                    self.engine, lambda db: audit.record_reply(db, caller, reply), attempts=1
                )
            except Exception as again:
                log.error(
                    "conversation %s: audit entries not recorded (%s)",
                    conversation.key,
                    type(again).__name__,
                )


def _carry(conversation: Conversation, reply: Reply) -> None:
    """Keep what the next message may refer to: the customer, the candidates of a "which
    one?", the product and the question asked."""
    if reply.customer_id:
        conversation.customer_id = reply.customer_id
        conversation.candidates = None
    elif reply.intent in FORGETS_CUSTOMER:
        # Someone else was named (not found, or which one?): the customer before is no longer
        # what "she" means.
        conversation.customer_id = None
        offered = [o.value for o in reply.options if o.value and reply.intent == Intent.clarify]
        conversation.candidates = " ".join(offered) or None
        if offered and reply.options[0].intent in ASKED_AGAIN:
            # The question asked, for when the associate answers "which one?" with a name.
            conversation.intent = reply.options[0].intent.value
    if reply.skus and reply.intent == Intent.product:
        conversation.sku = reply.skus[0]
    if reply.intent in ASKED_AGAIN:
        conversation.intent = reply.intent.value


def timed_answer(
    assistant: Assistant, caller: Caller, text: str, session: str
) -> tuple[Reply, float]:
    """Answer and return the reply with the milliseconds it took."""
    started = time.perf_counter()
    reply = assistant.answer(caller, text, session)
    return reply, (time.perf_counter() - started) * 1000
