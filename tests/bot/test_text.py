"""Text helpers: accent stripping for keyword cues, stop words read from the core's data."""

from __future__ import annotations

from bot.core.text import FOLDED_STOP_WORDS, STOP_WORDS, fold, strip_accents


def test_strip_accents_keeps_the_script_and_folds_case_and_dotless_i() -> None:
    assert strip_accents("Çağla ΜΈΓΕΘΟΣ ılık Größe") == "cagla μεγεθοσ ilik grosse"


def test_stop_words_hold_every_language_and_no_comment() -> None:
    assert {"customer", "qué", "için", "είναι", "zuletzt", "größe", "νούμερο"} <= STOP_WORDS
    assert not [word for word in STOP_WORDS if word.startswith("#")]
    assert {fold(word) for word in STOP_WORDS} == FOLDED_STOP_WORDS
    assert {"que", "icin", "einai", "grosse"} <= FOLDED_STOP_WORDS
