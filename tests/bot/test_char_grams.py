"""The intent model's spelling features: character n-grams within words, weighted by tf-idf."""

from __future__ import annotations

import numpy as np
import pytest

from bot.core.char_grams import char_grams, tfidf


def test_grams_are_read_within_words_padded_by_spaces() -> None:
    grams = char_grams("Notiz für X?")

    assert {" no", "noti", "otiz ", " x "} <= set(grams)
    # No gram spans two words or holds the question mark.
    assert not any("z f" in g or "?" in g for g in grams)


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("ΣΗΜΕΙΏΣΕΙΣ", "σημειωσεις"),  # case and tonos
        ("Müşteri ALDI", "musteri aldi"),  # Turkish letters as the cues fold them
        ("Größe", "grosse"),
    ],
)
def test_case_and_accents_do_not_change_the_grams(typed: str, plain: str) -> None:
    assert char_grams(typed) == char_grams(plain)


def test_tfidf_is_unit_length_over_the_vocabulary_only() -> None:
    vocabulary = {" no": 0, "not": 1, "ote": 2, " x ": 3}
    idf = np.array([1.0, 2.0, 2.0, 0.5], dtype=np.float32)

    columns, values = tfidf("note note X zzz", vocabulary, idf)

    assert sorted(columns.tolist()) == [0, 1, 2, 3]
    assert float(np.linalg.norm(values)) == pytest.approx(1.0)
    weight = dict(zip(columns.tolist(), values.tolist(), strict=True))
    # "not" twice and rarer than " x " (once): weighted (1 + ln 2) · 2 against 1 · 0.5.
    assert weight[1] / weight[3] == pytest.approx((1 + np.log(2)) * 2 / 0.5, rel=1e-5)


def test_a_message_with_no_known_gram_has_an_empty_vector() -> None:
    columns, values = tfidf("🙂 zzz", {" no": 0}, np.ones(1, dtype=np.float32))

    assert columns.size == 0
    assert values.size == 0
