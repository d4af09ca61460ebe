"""The trained intent model: a softmax (multinomial logistic) regression over a message's e5
embedding, its keyword cues and its character n-grams (bot.core.char_grams).

`scripts/train_intents.py` fits it offline on the example bank — the examples of
`data/intents.toml` and the paraphrases of `data/intent_bank/*.toml`, a few thousand questions
in five languages with the customer masked as X — and writes `data/intent_model.npz`. The bot
only reads the weights: classifying is one matrix product on the embedding it computes anyway.

The weights belong to one embedding model. `fits` checks that the running one embeds a probe
question as the training one did; with another model (EMBEDDING_MODEL set to a provider) the
classifier falls back to nearest examples (bot.core.intents).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib.resources import files

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.core.char_grams import GRAM_SIZES, tfidf
from bot.core.cues import keywords, table_intent
from bot.core.datafiles import read_toml
from bot.core.types import Intent

MODEL_FILE = "intent_model.npz"
BANK_DIR = "intent_bank"
# Bank files of questions asked about real stores (scripts/dev_bank.py): their words include
# the stores' product, brand and people's names, which are no question words
# (bot.core.vocabulary): "wings" there must not stop "Red Wings" naming the Red Wing boot.
STORE_BANKS = frozenset({"dev_sets.toml"})
# A question the training embedder and the running one must embed alike.
PROBE = "what did X buy last time?"
PROBE_SIMILARITY = 0.99
# A cue feature's value: on the scale of an embedding's largest coordinates, so the L2 penalty
# treats cues and embedding dimensions alike.
CUE_VALUE = 0.2
# The character n-grams' tf-idf vector (unit length) is scaled by this: 0.5 over 0.3 and 1.0 on
# ten development sets, each scored by a model fitted without it (95.7 % of the classifier's
# first choices right, 95.0 % without the n-grams; 2026-12-01).
GRAM_SCALE = 0.5


@cache
def bank(*, store_questions: bool = True) -> Mapping[Intent, tuple[str, ...]]:
    """Return the training questions per intent: the examples of `intents.toml`, then the
    paraphrase bank's, every language, in file order. Without `store_questions`, the bank
    files of STORE_BANKS are left out (for the words questions are made of)."""
    found: dict[Intent, list[str]] = {}
    for table, body in read_toml("intents.toml").items():
        found.setdefault(table_intent(table), []).extend(body.get("examples", []))
    directory = files("bot.core").joinpath("data", BANK_DIR)
    for entry in sorted(directory.iterdir(), key=lambda e: e.name):
        if entry.name in STORE_BANKS and not store_questions:
            continue
        if entry.name.endswith(".toml"):
            for table, by_language in read_toml(f"{BANK_DIR}/{entry.name}").items():
                for questions in by_language.values():
                    found.setdefault(table_intent(table), []).extend(questions)
    return {intent: tuple(dict.fromkeys(qs)) for intent, qs in found.items() if qs}


def bank_files() -> list[str]:
    """Return the names of the paraphrase bank's files (`BANK_DIR`), sorted."""
    directory = files("bot.core").joinpath("data", BANK_DIR)
    return sorted(e.name for e in directory.iterdir() if e.name.endswith(".toml"))


def bank_by_language(intent: Intent) -> dict[str, tuple[str, ...]]:
    """Return one intent's paraphrases per ISO 639-1 language (the bank's tables; the
    language-less examples of `intents.toml` are left out)."""
    found: dict[str, list[str]] = {}
    directory = files("bot.core").joinpath("data", BANK_DIR)
    for entry in sorted(directory.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            for table, by_language in read_toml(f"{BANK_DIR}/{entry.name}").items():
                if table_intent(table) == intent:
                    for language, questions in by_language.items():
                        found.setdefault(language, []).extend(questions)
    return {language: tuple(dict.fromkeys(qs)) for language, qs in found.items()}


def bank_digest(questions: Mapping[Intent, Sequence[str]]) -> str:
    """Return a SHA-256 of the bank and the feature layout: a model trained on another bank
    (or with other cues) no longer matches."""
    digest = hashlib.sha256()
    for intent, texts in sorted(questions.items()):
        digest.update(f"{intent}\0{len(texts)}\0".encode())
        for text in texts:
            digest.update(text.encode() + b"\0")
    for intent, cues in sorted(keywords().items()):
        digest.update(f"{intent}\0{sorted(cues.items())}\0{CUE_VALUE}".encode())
    digest.update(f"{GRAM_SIZES}\0{GRAM_SCALE}".encode())
    return digest.hexdigest()


def cue_order() -> tuple[Intent, ...]:
    """Return the intents with keyword cues, in the order of their feature columns."""
    return tuple(sorted(keywords()))


def features(vector: np.ndarray, cued: frozenset[Intent]) -> np.ndarray:
    """Return one message's feature row: its unit e5 vector (384 floats) followed by one
    column per cued intent (`cue_order`), CUE_VALUE when that intent's cue occurs, else 0."""
    unit = vector / np.linalg.norm(vector)
    cues = np.array([CUE_VALUE if i in cued else 0.0 for i in cue_order()], dtype=np.float32)
    return np.concatenate([unit.astype(np.float32), cues])


@dataclass(frozen=True)
class IntentModel:
    """The fitted regression: `weights` (features × intents) for the embedding and cue row,
    `gram_weights` (grams × intents) for the character n-grams `grams` (the vocabulary, in
    column order) with their `idf`, and `bias` (intents); with it, per language, the mean e5
    query vector of the bank's product questions (`product_means`, language → 384 floats,
    used by bot.core.centring)."""

    intents: tuple[Intent, ...]
    weights: np.ndarray
    bias: np.ndarray
    probe: np.ndarray
    digest: str
    product_means: Mapping[str, np.ndarray]
    grams: tuple[str, ...] = ()
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    gram_weights: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))

    @cached_property
    def vocabulary(self) -> dict[str, int]:
        """Return each gram's column in `gram_weights`."""
        return {gram: column for column, gram in enumerate(self.grams)}

    def probabilities(self, row: np.ndarray, text: str) -> dict[Intent, float]:
        """Return each intent's probability (softmax of the linear scores) for a feature row
        (`features`) and the message's text (its character n-grams)."""
        logits = row @ self.weights + self.bias
        if self.grams and text:
            columns, values = tfidf(text, self.vocabulary, self.idf)
            logits = logits + (values * GRAM_SCALE) @ self.gram_weights[columns]
        exp = np.exp(logits - logits.max())
        return dict(zip(self.intents, (exp / exp.sum()).tolist(), strict=True))

    def fits(self, embeddings: Embeddings) -> bool:
        """Return whether `embeddings` embeds like the model the weights were trained on."""
        probe = np.asarray(embeddings.embed_query(PROBE), dtype=np.float32)
        if probe.shape != self.probe.shape:
            return False
        cosine = float(probe @ self.probe / (np.linalg.norm(probe) * np.linalg.norm(self.probe)))
        return cosine >= PROBE_SIMILARITY

    def save(self) -> bytes:
        """Return the model as the bytes of an .npz file."""
        out = io.BytesIO()
        np.savez_compressed(
            out,
            intents=np.array([str(i) for i in self.intents]),
            weights=self.weights,
            bias=self.bias,
            probe=self.probe,
            digest=np.array(self.digest),
            mean_languages=np.array(sorted(self.product_means)),
            product_means=np.vstack([self.product_means[k] for k in sorted(self.product_means)]),
            grams=np.array(self.grams),
            idf=self.idf,
            gram_weights=self.gram_weights,
        )
        return out.getvalue()


def load_model() -> IntentModel | None:
    """Return the shipped model, or None when there is none or it was trained on another bank
    than the one shipped (retrain with scripts/train_intents.py)."""
    path = files("bot.core").joinpath("data", MODEL_FILE)
    if not path.is_file():
        return None
    with np.load(io.BytesIO(path.read_bytes())) as data:
        if str(data["digest"]) != bank_digest(bank()):
            return None
        return IntentModel(
            intents=tuple(Intent(str(i)) for i in data["intents"]),
            weights=data["weights"].astype(np.float32),
            bias=data["bias"].astype(np.float32),
            probe=data["probe"].astype(np.float32),
            digest=str(data["digest"]),
            product_means=dict(
                zip(
                    (str(code) for code in data["mean_languages"]),
                    data["product_means"].astype(np.float32),
                    strict=True,
                )
            ),
            grams=tuple(str(g) for g in data["grams"]),
            idf=data["idf"].astype(np.float32),
            gram_weights=data["gram_weights"].astype(np.float32),
        )
