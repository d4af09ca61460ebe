"""The intent classifier: what an associate wants from a message, without an LLM.

The caller has already found the customer's name and replaced it with `PLACEHOLDER`, so the
classifier compares question shapes ("what did X buy last time?"), never names. Its example
questions and keyword cues live in `data/intents.toml`, read on first use.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.core.datafiles import alternatives, read_toml
from bot.core.rules import is_greeting, is_help, parse_note
from bot.core.text import strip_accents
from bot.core.types import Intent

PLACEHOLDER = "X"

# A matched cue adds this to an intent's similarity. e5 similarities sit in a narrow band where
# intents differ by a few hundredths, so a cue outweighs the embedding, which still ranks the
# intents when several cues match or none does.
KEYWORD_BONUS = 0.05
# Added to the intents about a customer when the message names one (as `PLACEHOLDER`), and to
# the others when it names nobody, as product questions and off-topic requests do. Small,
# because "what did she buy?" names nobody either.
MENTION_BONUS = 0.02
_ABOUT_CUSTOMER = frozenset(
    {Intent.overview, Intent.history, Intent.recommend, Intent.sizes, Intent.notes}
)
_MENTION = re.compile(rf"(?<!\w){PLACEHOLDER}(?!\w)")
# Similarities averaged per intent: one lucky neighbour should not decide on its own.
TOP_K = 3


@cache
def _intent_tables() -> dict[Intent, dict[str, Any]]:
    return {Intent(name): table for name, table in read_toml("intents.toml").items()}


@cache
def examples() -> Mapping[Intent, tuple[str, ...]]:
    """Return the example questions of the intents the classifier scores, in the file's order."""
    return {
        intent: tuple(table["examples"])
        for intent, table in _intent_tables().items()
        if "examples" in table
    }


@cache
def keywords() -> Mapping[Intent, Mapping[str, str]]:
    """Return the keyword cues per intent and language: regex alternatives over folded text."""
    tables = _intent_tables()
    return {intent: dict(table["cues"]) for intent, table in tables.items() if "cues" in table}


@cache
def _cues() -> dict[Intent, re.Pattern[str]]:
    # Matched at the start of a word, so a stem covers its inflections.
    return {
        intent: re.compile(rf"(?<!\w)(?:{alternatives(by_language)})")
        for intent, by_language in keywords().items()
    }


def cued_intents(text: str) -> frozenset[Intent]:
    """Return the intents whose keywords occur in the message."""
    folded = strip_accents(text)
    return frozenset(intent for intent, cue in _cues().items() if cue.search(folded))


@dataclass(frozen=True)
class IntentGuess:
    """The classifier's answer: the best intent, its score, and how far ahead of the next it is."""

    intent: Intent
    score: float
    runner_up: Intent | None
    margin: float


class IntentClassifier:
    """Nearest example questions per intent, nudged by keyword cues; rules for notes and help."""

    def __init__(self, embeddings: Embeddings) -> None:
        self._embeddings = embeddings
        bank = examples()
        # The intents the classifier scores; NOTE has rules only (below), HELP and GREETING both.
        self._scored = tuple(bank)
        texts = [text for intent in self._scored for text in bank[intent]]
        # Examples as e5 passages, messages as queries: on the held-out questions of the tests
        # this beat query against query (92 % against 86 % top-1 on embeddings alone), and the
        # bank embeds in one batch.
        matrix = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
        # Providers other than e5 need not return unit vectors; cosine needs them.
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        self._matrix = matrix
        bounds = np.cumsum([0, *(len(bank[intent]) for intent in self._scored)]).tolist()
        self._rows = [slice(a, b) for a, b in itertools.pairwise(bounds)]

    def similarities(self, text: str) -> dict[Intent, float]:
        """Return each intent's mean similarity of its `TOP_K` nearest examples to the message."""
        query = np.asarray(self._embeddings.embed_query(text), dtype=np.float32)
        sims = self._matrix @ (query / np.linalg.norm(query))
        scores = {}
        for intent, rows in zip(self._scored, self._rows, strict=True):
            part = sims[rows]
            k = min(TOP_K, part.size)
            scores[intent] = float(np.partition(part, part.size - k)[-k:].mean())
        return scores

    def classify(self, text: str) -> IntentGuess:
        """Return the most likely intent of a message whose customer name is masked as X."""
        stripped = text.strip()
        if not stripped:
            return IntentGuess(Intent.unknown, 0.0, None, 0.0)
        for intent, rule in _RULES:
            if rule(stripped):
                return IntentGuess(intent, 1.0, None, 1.0)
        scores = self.similarities(stripped)
        for intent in cued_intents(stripped) & scores.keys():
            scores[intent] += KEYWORD_BONUS
        named = _MENTION.search(stripped) is not None
        for intent in scores:
            if (intent in _ABOUT_CUSTOMER) == named:
                scores[intent] += MENTION_BONUS
        (best, score), (second, second_score) = heapq.nlargest(
            2, scores.items(), key=lambda item: item[1]
        )
        return IntentGuess(best, score, second, score - second_score)


def _is_bare_name(text: str) -> bool:
    # The associate typed only a name: show who that is.
    return re.fullmatch(rf"\W*{PLACEHOLDER}\W*", text) is not None


def _asks_to_write_note(text: str) -> bool:
    # "add a note for X" without the text: the caller explains the "note for NAME: text" form.
    cue = _cues()[Intent.note].search(strip_accents(text))
    return parse_note(text) is not None or cue is not None


# Checked in order before any embedding: exact forms need no model and must not be outvoted.
_RULES = (
    (Intent.note, _asks_to_write_note),
    (Intent.help, is_help),
    (Intent.greeting, is_greeting),
    (Intent.overview, _is_bare_name),
)
