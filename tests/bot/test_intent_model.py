"""The shipped intent model: trained on the shipped bank, never on the held-out questions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bot.core.intent_model import bank, bank_digest, cue_order, load_model
from bot.core.text import strip_accents
from bot.core.types import Intent
from knowledge.embeddings import E5Embeddings
from tests.fakes import HashEmbeddings

HELD_OUT = [
    Path(__file__).parents[1] / "data" / name / "questions.jsonl"
    for name in ("heldout", "heldout2")
]


def _normal(text: str) -> str:
    return " ".join(strip_accents(text).replace("?", " ").split())


def test_the_shipped_model_was_fitted_on_the_shipped_bank() -> None:
    # Change the bank or the cues and this fails until scripts/train_intents.py is run again.
    model = load_model()

    assert model is not None
    assert model.digest == bank_digest(bank())
    assert set(model.intents) >= {Intent.spend, Intent.lists, Intent.unknown, Intent.note}
    # One row per feature: the 384 e5 dimensions and one per cued intent.
    assert model.weights.shape == (384 + len(cue_order()), len(model.intents))


def test_the_model_is_used_only_with_the_embeddings_it_was_trained_on() -> None:
    model = load_model()
    assert model is not None

    assert model.fits(E5Embeddings())
    assert not model.fits(HashEmbeddings())


def test_probabilities_are_a_distribution() -> None:
    model = load_model()
    assert model is not None
    row = np.zeros(model.weights.shape[0], dtype=np.float32)
    row[0] = 1.0

    probabilities = model.probabilities(row)

    assert abs(sum(probabilities.values()) - 1.0) < 1e-5
    assert all(0.0 <= p <= 1.0 for p in probabilities.values())


def test_no_held_out_question_is_in_the_training_bank() -> None:
    # The held-out set measures understanding; a question of it in the bank would be a leak.
    trained = {_normal(q) for questions in bank().values() for q in questions}
    for path in HELD_OUT:
        held_out = [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
        leaked = trained & {_normal(q) for q in held_out}

        assert len(held_out) >= 400
        # Counted, not printed: reading a held-out question would spoil it.
        assert not leaked, f"{len(leaked)} questions of {path.parent.name} in the bank"
