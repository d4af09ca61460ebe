"""The shipped intent model: trained on the shipped bank, never on the held-out questions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bench.understanding_bench import MEASURE_SETS
from bot.core.datafiles import read_toml
from bot.core.intent_model import bank, bank_digest, cue_order, load_model
from bot.core.text import strip_accents
from bot.core.types import Intent
from knowledge.embeddings import E5Embeddings
from tests.fakes import HashEmbeddings

HELD_OUT = [
    Path(__file__).parents[1] / "data" / name / "questions.jsonl"
    for name in ("heldout", "heldout2")
]
# Development sets the bank leaves out (scripts/dev_bank.py): the full pipeline is measured on
# them as on sets it never learnt from.
UNTRAINED = [
    Path(__file__).parents[2] / "bench" / "data" / name / "questions.jsonl"
    for name in MEASURE_SETS
]


def _normal(text: str) -> str:
    return " ".join(strip_accents(text).replace("?", " ").split())


def test_the_shipped_model_was_fitted_on_the_shipped_bank() -> None:
    # Change the bank or the cues and this fails until scripts/train_intents.py is run again.
    model = load_model()

    assert model is not None
    assert model.digest == bank_digest(bank())
    assert set(model.intents) >= {Intent.spend, Intent.lists, Intent.unknown, Intent.note}
    # One row per feature: the 384 e5 dimensions and one per cued intent; one per character
    # n-gram of the vocabulary.
    assert model.weights.shape == (384 + len(cue_order()), len(model.intents))
    assert model.gram_weights.shape == (len(model.grams), len(model.intents))
    assert model.idf.shape == (len(model.grams),)


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

    for text in ("", "Notizen zu X?", "🙂"):
        probabilities = model.probabilities(row, text)

        assert abs(sum(probabilities.values()) - 1.0) < 1e-5
        assert all(0.0 <= p <= 1.0 for p in probabilities.values())


def test_the_spelling_of_a_message_moves_its_reading() -> None:
    # The same embedding row read with a notes question's letters leans to notes; with a
    # purchase question's letters, to history.
    model = load_model()
    assert model is not None
    row = np.zeros(model.weights.shape[0], dtype=np.float32)

    notes = model.probabilities(row, "notes notizen notas σημειώσεις notlar")
    history = model.probabilities(row, "bought gekauft compró αγόρασε aldı")

    assert notes[Intent.notes] > history[Intent.notes]
    assert history[Intent.history] > notes[Intent.history]


def _questions(path: Path) -> set[str]:
    return {_normal(json.loads(line)["text"]) for line in path.read_text("utf-8").splitlines()}


def test_no_held_out_question_is_in_the_training_bank() -> None:
    # The held-out sets measure understanding; a question of them in the bank would be a leak.
    trained = {_normal(q) for questions in bank().values() for q in questions}
    for path in HELD_OUT:
        # Counted, not printed (a failing assertion shows its operands): reading a held-out
        # question would spoil it.
        held_out, leaked = len(_questions(path)), len(trained & _questions(path))

        assert held_out >= 400, f"{path.parent.name}: {held_out} questions"
        assert leaked == 0, f"{leaked} questions of {path.parent.name} in the bank"


def test_the_development_sets_still_measured_are_not_in_their_bank() -> None:
    bank_file = read_toml("intent_bank/dev_sets.toml")
    learnt = {_normal(q) for table in bank_file.values() for qs in table.values() for q in qs}
    for path in UNTRAINED:
        # Counts only, never the sets themselves: a failure must not show a measured question.
        measured, leaked = len(_questions(path)), len(learnt & _questions(path))

        assert measured >= 200, f"{path.parent.name}: {measured} questions"
        assert leaked == 0, f"{leaked} questions of {path.parent.name} in dev_sets.toml"
