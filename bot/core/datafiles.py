"""Reads the core's word lists and example questions, package data in `bot/core/data/`."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib.resources import files
from typing import Any


def read_text(name: str) -> str:
    """Return a data file's text."""
    return files("bot.core").joinpath("data", name).read_text(encoding="utf-8")


def read_toml(name: str) -> dict[str, Any]:
    """Return a TOML data file as a dict; tables and arrays keep their order in the file."""
    return tomllib.loads(read_text(name))


def alternatives(by_language: Mapping[str, str]) -> str:
    """Return regex alternatives given per language as one alternation, in the file's order."""
    return "|".join(by_language.values())
