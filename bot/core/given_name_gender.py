"""Whether a given name is usually a man's or a woman's, for a title typed before a surname that
several customers share: "Mrs Whitfield" is Sarah, not James; "Herrn Müller" is Jürgen, not
Sabine.

The shares come from the name-gender data of `nomquamgender` (Van Buskirk, Clauset & Larremore,
"An Open-Source Cultural Consensus Approach to Name-Based Gender Classification", ICWSM 2023;
MIT licence): for 720,000 given names, in Latin letters without accents, the share of the
people bearing them that its sources record as women, p(gf). A name counts as a woman's at
p(gf) >= SURE and a man's at p(gf) <= 1 - SURE, the package's own default; between the two
(Andrea, Deniz, Kim) it says nothing, and the title then fits every customer.

Only the package's data file is read (its module imports pandas, which nothing here needs),
looked up one name at a time in place (memory-mapped, 22 MB), never loaded whole.
"""

from __future__ import annotations

import importlib.util
import json
import mmap
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from unidecode import unidecode

from bot.core.name_forms import name_lists

# The share of women (or men) from which a name is taken as a woman's (a man's).
SURE = 0.9
_DATA_FILE = "name_data.json"
# One entry of the data file: "name": [sources, people, p(gf), …].
_ENTRY = re.compile(rb"\[\s*\d+\s*,\s*\d+\s*,\s*([0-9.]+)")
_FIRST_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


@cache
def _data_path() -> Path | None:
    """Return the path of nomquamgender's data file, without importing the package."""
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / _DATA_FILE
    return path if path.is_file() else None


@lru_cache(maxsize=4096)
def female_share(name: str) -> float | None:
    """Return p(gf), the share of women among the bearers of a given name (lower case, Latin
    letters without accents, one word or a hyphenated one: "sarah", "anna-lena"), or None for
    a name the data does not hold."""
    path = _data_path()
    if path is None or not name:
        return None
    key = json.dumps(name).encode() + b": "
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for before in (b", ", b"{"):  # an entry, or the file's first one
            at = data.find(before + key)
            if at >= 0:
                found = _ENTRY.match(data, at + len(before) + len(key))
                return float(found.group(1)) if found else None
    return None


def given_name_gender(first_name: str | None) -> str | None:
    """Return "f" or "m" for a customer's first name ("Sarah", "Jürgen", "Çağla"; of "María
    José" the first given name counts), None when its bearers are of both genders (p(gf)
    between 1 - SURE and SURE), the data does not hold it, or it is written in another script
    than Latin (Greek names have their own rule in bot.core.mentions)."""
    name = first_name or ""
    if any(c.isalpha() and c not in "ªº" and "LATIN" not in unicodedata.name(c, "") for c in name):
        return None
    titles = name_lists().titles  # stored with the first name ("Dr. Sarah"): read past
    given = [w for w in _FIRST_WORD.findall(unidecode(name).casefold()) if w not in titles]
    share = female_share(given[0]) if given else None
    if share is None:
        return None
    if share >= SURE:
        return "f"
    return "m" if share <= 1 - SURE else None
