"""The intent classifier: what an associate wants from a message, without an LLM.

The caller has already found the customer's name and replaced it with `PLACEHOLDER`, so the
classifier compares question shapes ("what did X buy last time?"), never names. Exact forms
(notes, help, greetings, a bare name) are rules. Everything else goes to the trained model
(bot.core.intent_model: a softmax regression over the e5 embedding and keyword cues, fitted on
a bank of a few thousand paraphrases); with an embedding model it was not trained for, to the
nearest example questions of `data/intents.toml`, nudged by the keyword cues.
"""

from __future__ import annotations

import heapq
import itertools
import re
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.core.cues import cue_patterns, cued_intents, examples
from bot.core.intent_model import IntentModel, features, load_model
from bot.core.rules import asks_about_notes, is_greeting, is_help, parse_note
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
# A note the model (not a rule) recognises is saved only at this probability or above.
NOTE_CONFIDENCE = 0.8
# Similarities averaged per intent: one lucky neighbour should not decide on its own.
TOP_K = 3


@dataclass(frozen=True)
class IntentGuess:
    """The classifier's answer: the best intent, its score, and how far ahead of the next it is."""

    intent: Intent
    score: float
    runner_up: Intent | None
    margin: float


# A command before a colon of at most this many words, recognised with this probability as a
# request to save a note, makes the message one.
NOTE_HEAD_WORDS = 7
NOTE_HEAD_SURE = 0.8


class IntentClassifier:
    """Rules for exact forms, then the trained model, or nearest examples nudged by cues."""

    def __init__(self, embeddings: Embeddings, *, trained: bool = True) -> None:
        """Load the trained model when it fits `embeddings` (and `trained`), else embed the
        example questions for nearest-example matching."""
        self._embeddings = embeddings
        model = load_model() if trained else None
        self.model: IntentModel | None = model if model and model.fits(embeddings) else None
        if self.model is None:
            self._embed_examples(embeddings)

    def _embed_examples(self, embeddings: Embeddings) -> None:
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

    def classify_masked(self, masked: str) -> IntentGuess:
        """Classify a masked message; a "save a note" request whose command comes before a
        colon ("write to X's file: training for a marathon") is recognised by the command
        alone, which the note's own words (sizes, purchases) cannot outvote."""
        head, colon, tail = masked.partition(":")
        if colon and tail.strip() and len(head.split()) <= NOTE_HEAD_WORDS:
            command = self.classify(head)
            if command.intent == Intent.note and command.score >= NOTE_HEAD_SURE:
                return command
        return self.classify(masked)

    def classify(self, text: str) -> IntentGuess:
        """Return the most likely intent of a message whose customer name is masked as X."""
        stripped = text.strip()
        if not stripped:
            return IntentGuess(Intent.unknown, 0.0, None, 0.0)
        for intent, rule in _RULES:
            if rule(stripped):
                return IntentGuess(intent, 1.0, None, 1.0)
        if self.model is not None:
            vector = np.asarray(self._embeddings.embed_query(stripped), dtype=np.float32)
            row = features(vector, cued_intents(stripped))
            probabilities = self.model.probabilities(row, stripped)
            guess = _guess(probabilities)
            if guess.intent == Intent.note and guess.score < NOTE_CONFIDENCE:
                # Saving a note writes to the customer's record: only when sure. Unsure, and
                # asked as a question ("X için not düşülmüş müydü"), it is about the notes.
                note = probabilities.pop(Intent.note)
                if asks_about_notes(stripped):
                    probabilities[Intent.notes] += note
                return _guess(probabilities)
            return guess
        scores = self.similarities(stripped)
        for intent in cued_intents(stripped) & scores.keys():
            scores[intent] += KEYWORD_BONUS
        named = _MENTION.search(stripped) is not None
        for intent in scores:
            if (intent in _ABOUT_CUSTOMER) == named:
                scores[intent] += MENTION_BONUS
        return _guess(scores)


def _guess(scores: dict[Intent, float]) -> IntentGuess:
    (best, score), (second, second_score) = heapq.nlargest(
        2, scores.items(), key=lambda item: item[1]
    )
    return IntentGuess(best, score, second, score - second_score)


def _is_bare_name(text: str) -> bool:
    # The associate typed only a name: show who that is.
    return re.fullmatch(rf"\W*{PLACEHOLDER}\W*", text) is not None


def _asks_to_write_note(text: str) -> bool:
    # "add a note for X" without the text: the caller explains the "note for NAME: text" form.
    # "How do I add a note?" asks how the bot works (the help cue), not to write one.
    if parse_note(text) is not None:
        return True
    folded = strip_accents(text)
    patterns = cue_patterns()
    return patterns[Intent.note].search(folded) is not None and not patterns[Intent.help].search(
        folded
    )


# Checked in order before any embedding: exact forms need no model and must not be outvoted.
_RULES = (
    (Intent.note, _asks_to_write_note),
    (Intent.help, is_help),
    (Intent.greeting, is_greeting),
    (Intent.overview, _is_bare_name),
)
