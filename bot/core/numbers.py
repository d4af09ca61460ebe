"""Number words one to twelve in the five languages (data/number_words.toml), as typed."""

from __future__ import annotations

from functools import cache

from bot.core.datafiles import read_toml


@cache
def number_words(language: str) -> dict[str, int]:
    """Return a language's number words (lower case, as typed: "tres", "üç", "τρεις") → their
    value 1–12; {} for a language without a list. Multi-word forms are joined by a space."""
    listed = str(read_toml("number_words.toml").get(language, ""))
    return {
        form.replace("_", " "): value
        for value, forms in enumerate(listed.split(), 1)
        for form in forms.split("/")
    }


@cache
def all_number_words() -> dict[str, int]:
    """Return the number words of every language together (lower case, as typed)."""
    return {
        word: value
        for language in read_toml("number_words.toml")
        for word, value in number_words(language).items()
    }
