"""Centring a question's vector on its language's product-question mean (bot.core.centring)."""

from __future__ import annotations

import numpy as np
import pytest

from bot.core.centring import Centring, centring_for
from knowledge.embeddings import E5Embeddings
from tests.fakes import HashEmbeddings


def _unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


MEANS = {"en": _unit(1, 0, 0, 0) * 0.8, "tr": _unit(0, 1, 0, 0) * 0.8}


def test_the_language_is_the_one_whose_mean_is_nearest() -> None:
    centring = Centring(MEANS)

    assert centring.language(_unit(0.9, 0.1, 0.3, 0)) == "en"
    assert centring.language(_unit(0.1, 0.9, 0, 0.3)) == "tr"


def test_centring_takes_the_shared_part_out_and_keeps_a_unit_vector() -> None:
    centring = Centring(MEANS)
    # Mostly "a Turkish product question", a little of a product of its own (axis 3).
    question = _unit(0.0, 0.8, 0.0, 0.2)

    centred = centring.centre(question)

    assert np.linalg.norm(centred) == pytest.approx(1.0, abs=1e-6)
    # What is left points at the product far more than the raw question did.
    assert centred[3] > 0.2
    assert centred[3] > question[3]


def test_without_means_a_vector_is_only_normalised() -> None:
    centring = Centring({})

    assert centring.language([3.0, 4.0]) is None
    assert centring.centre([3.0, 4.0]) == pytest.approx([0.6, 0.8])


def test_the_shipped_means_cover_the_five_languages_of_the_bundled_model(
    embeddings: E5Embeddings,
) -> None:
    centring = centring_for(embeddings)

    assert centring.languages == ["de", "el", "en", "es", "tr"]
    assert centring.language(embeddings.embed_query("döküm tencereyi nasıl satarım?")) == "tr"
    assert centring.language(embeddings.embed_query("wie pflege ich die Pfanne?")) == "de"


def test_another_embedding_model_gets_no_means() -> None:
    assert centring_for(HashEmbeddings()).languages == []
