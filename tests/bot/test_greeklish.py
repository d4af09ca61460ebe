"""Greek typed in Latin letters ("Greeklish") is read as Greek: the words the assistant knows
in Greek letters, names as typed, and the reply in Greek (real assistant on the demo store)."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant, message_language
from bot.core.greeklish import greek_key, in_greek_letters, is_greeklish, latin_keys
from bot.core.types import Caller, Intent

ANA = Caller(name="Ana", role="associate", store="S01")


@pytest.mark.parametrize(
    ("latin", "greek"),
    [
        ("kalhmera", "καλημέρα"),  # η typed h
        ("kalimera", "καλημέρα"),  # η typed i
        ("8elei", "θέλει"),  # θ typed 8
        ("thelei", "θέλει"),
        ("xrwma", "χρώμα"),  # χ typed x, ω typed w
        ("pelatis", "πελάτης"),
        ("afto", "αυτό"),  # αυ typed af
    ],
)
def test_a_greeklish_spelling_has_the_key_of_its_greek_word(latin: str, greek: str) -> None:
    assert greek_key(greek) in latin_keys(latin)


@pytest.mark.parametrize(
    "text",
    [
        "ti agorase h kyria Tanaka teleftaia fora?",
        "exei kapoia simeiwsh gia ton Hiroshi?",
        "pws mporw na dw tis agores enos pelati?",
    ],
)
def test_greeklish_is_read_in_greek_letters(text: str) -> None:
    read = in_greek_letters(text)

    assert is_greeklish(text)
    assert message_language(text) == "el"
    assert read != text
    assert any("α" <= ch <= "ω" for ch in read)


@pytest.mark.parametrize(
    "text",
    [
        "to do list for today",
        "me gusta la chaqueta, ¿la tenemos en M?",
        "Hiroshi Tanaka",
        "o ne zaman geldi?",
        "Was hat Frau Weber zuletzt gekauft?",
    ],
)
def test_other_languages_are_not_greeklish(text: str) -> None:
    assert not is_greeklish(text)
    assert in_greek_letters(text) == text


@pytest.mark.parametrize(
    ("text", "greek"),
    [
        # Words the example bank never used, read back from the frequent Greek words.
        ("ti eixame pei na thymomaste gia tin Eirini?", "είχαμε"),
        ("tha erthei o Nikos to savvatoproi na parei to doro", "θα"),
        ("exoume kanei kamia prosfora gia ta genethlia tis?", "γενέθλια"),
        # Of the Greek words one key fits, the one spelled as typed: "pei" is πει, not ποιοι
        # (the bank's more used), and "poioi" still ποιοι.
        ("ti eixe pei i Eleni teleftaia fora?", "πει"),
        ("poioi pelates den exoun erthei fetos?", "ποιοι"),
    ],
)
def test_greeklish_beyond_the_bank_is_read_in_greek_letters(text: str, greek: str) -> None:
    assert is_greeklish(text)
    assert greek in in_greek_letters(text).split()


@pytest.mark.parametrize(
    "text",
    [
        "hiya, number for giorgos papadopoulos pls",
        "last visit of eleni georgiou?",
        "la tienda tiene mesa para la terraza",
    ],
)
def test_greek_names_and_other_languages_stay_no_greeklish(text: str) -> None:
    assert in_greek_letters(text) == text


def test_a_greeklish_question_is_answered_in_greek_about_the_customer(
    assistant: Assistant,
) -> None:
    reply = assistant.answer(ANA, "ti agorase o Hiroshi Tanaka teleftaia fora?", "greeklish-1")

    assert reply.intent == Intent.history
    assert reply.customer_id == "C0154"
    assert reply.language == "el"


def test_names_and_addresses_inside_greeklish_stay_as_typed() -> None:
    read = in_greek_letters("ti agorase teleftaia fora h Mei Wang? steile sto mei.wang@mikro.gr")

    assert "Mei Wang" in read
    assert "mei.wang@mikro.gr" in read
    assert read.startswith("τι αγόρασε")


def test_a_long_run_of_digits_is_read_at_once() -> None:
    assert not is_greeklish("1" * 20_000)


@pytest.mark.parametrize(
    "text",
    [
        # Names and model codes are no words of any language: the Greek words decide.
        "o Kostas rwtaei an to Taylor 114ce exei ilektronika",
        "to Music Nomad F-ONE kanei gia tastiera maple?",
        # A one-letter Greek article before a name is Greek.
        "o Kostas epestrepse to 114e?",
        "i Elpida agorase kati fetos?",
    ],
)
def test_greeklish_around_names_and_model_codes_is_greeklish(text: str) -> None:
    assert is_greeklish(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Kostas Papadopoulos SD-1 X12 Pro",
        "o Kostas is here, what did he buy?",
        "i think Maria left",
    ],
)
def test_names_and_codes_alone_or_in_english_are_no_greeklish(text: str) -> None:
    assert not is_greeklish(text), text
