"""Text helpers: accent stripping for keyword cues, stop words read from the core's data."""

from __future__ import annotations

import pytest

from bot.core.text import (
    FOLDED_STOP_WORDS,
    STOP_WORDS,
    fold,
    greek_article_gender,
    greek_vocative,
    strip_accents,
)


def test_strip_accents_keeps_the_script_and_folds_case_and_dotless_i() -> None:
    assert strip_accents("Çağla ΜΈΓΕΘΟΣ ılık Größe") == "cagla μεγεθοσ ilik grosse"


def test_stop_words_hold_every_language_and_no_comment() -> None:
    assert {"customer", "qué", "için", "είναι", "zuletzt", "größe", "νούμερο"} <= STOP_WORDS
    assert not [word for word in STOP_WORDS if word.startswith("#")]
    assert {fold(word) for word in STOP_WORDS} == FOLDED_STOP_WORDS
    assert {"que", "icin", "einai", "grosse"} <= FOLDED_STOP_WORDS


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        ("πες μου για τον κύριο Οικονόμου", "m"),
        ("τι πήρε ο Νίκος;", "m"),
        ("έχει πάρει ποτέ η κυρία Οικονόμου το στρώμα;", "f"),
        ("της Μαρίας τα νούμερα", "f"),
        ("Οικονόμου;", None),
        ("the Oikonomou family", None),
    ],
)
def test_a_greek_article_before_a_name_gives_its_gender(text: str, gender: str | None) -> None:
    assert greek_article_gender(text) == gender


def test_greek_digraphs_fold_as_latin_spelling_writes_them() -> None:
    assert [fold(w) for w in "Παύλος Ευάγγελος Ευθύμιος Γιώργου".split()] == [
        "pavlos",
        "evangelos",
        "efthymios",
        "giorgou",
    ]


@pytest.mark.parametrize(
    ("name", "vocative"),
    [
        ("Νίκος", "Νίκο"),
        ("Γιώργος", "Γιώργο"),
        ("Αλέξανδρος", "Αλέξανδρε"),
        ("Θεόδωρος", "Θεόδωρε"),
        ("Κώστας", "Κώστα"),
        ("Γιάννης", "Γιάννη"),
        ("Μαρία", "Μαρία"),
        ("Ελένη", "Ελένη"),
        ("Nikos", "Nikos"),
    ],
)
def test_a_greek_first_name_is_greeted_in_the_vocative(name: str, vocative: str) -> None:
    assert greek_vocative(name) == vocative
