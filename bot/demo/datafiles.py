"""Reads the demo's data files, shipped as package data in `bot/demo/data/`."""

from __future__ import annotations

import csv
import io
import tomllib
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any


def read_csv(name: str) -> list[dict[str, str]]:
    """Return the rows of a CSV data file as dicts keyed by its header, in file order."""
    text = _data_file(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_toml(name: str) -> dict[str, Any]:
    """Return a TOML data file as a dict; tables and arrays keep their order in the file."""
    return tomllib.loads(_data_file(name).read_text(encoding="utf-8"))


def _data_file(name: str) -> Traversable:
    return files("bot.demo").joinpath("data", name)
