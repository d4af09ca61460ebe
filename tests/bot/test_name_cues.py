"""Telling from how a message is typed whether an ordinary word in it is a customer's name."""

from __future__ import annotations

import pytest

from bot.core.name_cues import date_left_typed, typed_as_names
from bot.core.text import fold

MONTHS = {"june", "april", "julio", "nisan", "juni", "may", "august"}


def _is_date(word: str) -> bool:
    return fold(word) in MONTHS


@pytest.mark.parametrize(
    ("text", "names", "typed"),
    [
        ("how much did Will spend?", {"will"}, {"will"}),
        ("Will you show me the kettles?", {"will"}, set()),
        ("I will check the kettles", {"will"}, set()),
        ("que compró Luz la semana pasada", {"luz"}, {"luz"}),
        ("Umut'un aldıkları", {"umut", "umut'un"}, {"umut", "umut'un"}),
        ("Nisan'da ne aldı?", {"nisan", "nisan'da"}, set()),
        ("how much did Siobhan spend in June", {"june"}, set()),
        ("What did June buy in June?", {"june"}, {"june"}),
        ("Su'nun su geçirmez montu", {"su", "su'nun"}, {"su", "su'nun"}),
        ("ok. Will bought boots?", {"will"}, set()),
        ("WILL BOUGHT WHAT", {"will"}, set()),
        # Greek speaks of a person with an article: typed in lower case, still her name.
        ("τι νούμερο φοράει η ελπίδα;", {"elpida"}, {"elpida"}),
        ("σημείωσε για την αγάπη: θέλει ασημένιο", {"agapi"}, {"agapi"}),
        ("έχουμε ελπίδα να έρθει;", {"elpida"}, set()),
        ("i hope she likes it", {"hope"}, set()),  # "i" is no Greek article
        # Asked about with "did"/"has" or called, a month is the person, in lower case too.
        ("when did may first come in?", {"may"}, {"may"}),
        ("has june ever returned anything", {"june"}, {"june"}),
        ("ring august tomorrow about the frames", {"august"}, {"august"}),
        ("did in june anyone return the kettle?", {"june"}, set()),
        ("what did we sell in may", {"may"}, set()),
        ("who has april birthdays?", {"april"}, set()),
        ("does august have many birthdays?", {"august"}, set()),
    ],
)
def test_a_word_typed_as_a_name(text: str, names: set[str], typed: set[str]) -> None:
    assert typed_as_names(text, names, _is_date) == typed


def _mask(text: str) -> str:
    return " ".join("X" if fold(w).split("'")[0] in {"june", "nisan"} else w for w in text.split())


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("What did June buy in June?", "What did X buy in June?"),
        ("Nisan'da Nisan ne aldı?", "X Nisan ne aldı?"),
    ],
)
def test_of_a_date_word_typed_twice_one_is_left_for_the_date(text: str, masked: str) -> None:
    assert date_left_typed(text, {"june", "nisan", "nisan'da"}, _mask, _is_date) == masked


def test_a_name_typed_once_leaves_nothing_for_the_date() -> None:
    assert date_left_typed("What did June buy?", {"june"}, _mask, _is_date) is None


def test_a_german_noun_after_an_article_is_no_name() -> None:
    text = "Kennst du einen guten Koch für die Feier? Frag Koch selbst."
    assert typed_as_names("Kennst du einen guten Koch für die Feier?", {"koch"}, _is_date) == set()
    assert typed_as_names(text, {"koch"}, _is_date) == {"koch"}  # twice: one is the name
