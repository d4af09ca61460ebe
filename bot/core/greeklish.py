"""Greek typed in Latin letters ("Greeklish"), read back into Greek letters.

Greek associates often type on a Latin keyboard: "ti simeiwseis exoume gia tin Xrysa?" for
"τι σημειώσεις έχουμε για την Χρύσα;". There is no one way to do it (ω as w or o, χ as x, ch or
h, η as i or h, θ as th or 8, ξ as ks, x or 3), so a word is not transliterated letter by
letter: both scripts are read into one loose key of how the word sounds (`latin_keys`,
`greek_key`: the five spellings of /i/ are one, ω and ο are one, θ and τ are not told apart),
and a Latin word whose key is that of a Greek word the assistant knows (the example bank's
Greek questions and the Greek glossaries) is replaced by that word. This is the lexicon step of
Greeklish-to-Greek converters (Chalamandaris et al., "All Greek to me! An automatic Greeklish
to Greek transliteration system", LREC 2006), without their language model: a key that fits
several Greek words takes the one whose romanisation (anyascii) is spelled closest to the word
typed ("pei": πει, not ποιοι), the one the bank uses most on a tie.

A message is read as Greeklish only when GREEK_WORDS of its words or more (its one word, in a
message of one) are Greek words the assistant knows and no word of the other languages'
questions ("to", "me", "de" are English, Spanish or German too), and they, with the other
frequent Greek words it spells, are at least GREEK_SHARE of its words.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from functools import cache

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

from bot.core.datafiles import read_toml
from bot.core.intent_model import BANK_DIR, bank_files
from bot.core.text import fold

# Greek words (not also another language's) a message needs to be Greeklish, and their share.
GREEK_WORDS = 2
GREEK_SHARE = 0.4
# The most frequent Greek words read back besides the bank's (`_wide_lexicon`): with them 356
# of the 381 Greek questions of bench/data/dev* typed in Latin letters read as Greeklish (351
# with the bank's alone), and still none of the 7,800 in the other languages but "servus".
WIDE_WORDS = 20_000
# At most this many spellings of one Latin word are looked up (x as χ or ξ, h as η or χ).
MAX_READINGS = 8
# The Greek words one key keeps, the most used first, for the spelling to choose from.
KEY_WORDS = 5

_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_LATIN_RUN = re.compile(r"[A-Za-z0-9]+")
# A Greek article of one letter opening a message before a name ("o Kostas", "i Elpida"): Greek.
_ARTICLE_NAME = re.compile(r"\s*[oi]\s+[A-Z][a-z]")
_GREEK_WORD = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]+")
_GLOSSARIES = ("product_words.toml", "feature_words.toml", "care_words.toml")

# Greek letter pairs and letters → key sounds (upper case: one sound written with two Latin
# letters, or one Greeklish writers spell several ways).
_GREEK_PAIRS = {
    "ου": "U",
    "αι": "e",
    "ει": "i",
    "οι": "i",
    "υι": "i",
    "αυ": "av",
    "ευ": "ev",
    "μπ": "b",
    "ντ": "d",
    "γκ": "g",
    "γγ": "g",
}
_GREEK_LETTERS = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω", "avgdeziTiklmnKoprsstifHPo", strict=True))
# Latin spellings → the same key sounds, longest first; then the letters a writer may mean
# two ways (`_AMBIGUOUS`).
_LATIN_PAIRS: tuple[tuple[str, str | tuple[str, ...]], ...] = (
    ("nth", "nT"),  # νθ ("anthektiko"), before "nt"
    ("ou", "U"),
    ("ai", ("e", "ai")),  # αι, or α and ί ("kalimera" has none; "Kaiti" both)
    ("ei", "i"),
    ("oi", ("i", "oi")),  # οι, or ο and ή ("boitheia")
    ("yi", "i"),
    ("au", "av"),
    ("af", ("av", "af")),  # αυ before a voiceless sound, or α and φ
    ("eu", "ev"),
    ("ef", ("ev", "ef")),
    ("mp", "b"),
    ("nt", "d"),
    ("gk", "g"),
    ("gg", "g"),
    ("th", ("T", "ti")),  # θ, or τη typed "th" ("thlefwno")
    ("ch", "H"),
    ("ps", "P"),
    ("ks", "K"),
)
_LATIN_LETTERS = {"8": "T", "3": "K", "w": "o", "y": "i", "j": "i", "c": "k"}
# b: β, or μπ; u: υ, or ου typed with one letter ("paputsia")
_AMBIGUOUS = {"x": ("H", "K"), "h": ("i", "H"), "b": ("v", "b"), "u": ("i", "U")}
_DOUBLE = re.compile(r"(.)\1+")


def greek_key(word: str) -> str:
    """Return the loose key of a word in Greek letters ("σημείωση" → "simiosi")."""
    plain = "".join(
        c for c in unicodedata.normalize("NFD", word.casefold()) if not unicodedata.combining(c)
    )
    out, i = [], 0
    while i < len(plain):
        if plain[i : i + 2] in _GREEK_PAIRS:
            out.append(_GREEK_PAIRS[plain[i : i + 2]])
            i += 2
            continue
        out.append(_GREEK_LETTERS.get(plain[i], ""))
        i += 1
    return _DOUBLE.sub(r"\1", "".join(out))


def latin_keys(word: str) -> list[str]:
    """Return the loose keys a word in Latin letters may have as Greeklish, at most
    MAX_READINGS ("simeiwsi" → ["simiosi"]; "exei" → ["eHi", "eKi"])."""
    plain = word.casefold()
    out: list[tuple[str, ...]] = []
    i = 0
    while i < len(plain):
        pair = next((p for p in _LATIN_PAIRS if plain.startswith(p[0], i)), None)
        if pair is not None:
            spelled, sound = pair
            out.append((sound,) if isinstance(sound, str) else sound)
            i += len(spelled)
            continue
        char = plain[i]
        out.append(_AMBIGUOUS.get(char) or (_LATIN_LETTERS.get(char, char),))
        i += 1
    readings = itertools.islice(itertools.product(*out), MAX_READINGS)
    return list(dict.fromkeys(_DOUBLE.sub(r"\1", "".join(r)) for r in readings))


@cache
def _lexicon() -> tuple[dict[str, list[str]], frozenset[str]]:
    """Return (key → the Greek words with it, up to KEY_WORDS, the bank's most used first, the
    folded words of the other languages' questions)."""
    greek: Counter[str] = Counter()
    other: set[str] = set()
    for name in bank_files():
        for by_language in read_toml(f"{BANK_DIR}/{name}").values():
            for language, questions in by_language.items():
                for question in questions:
                    if language == "el":
                        greek.update(w.lower() for w in _GREEK_WORD.findall(question))
                    else:
                        other.update(fold(w) for w in _latin_words(question))
    for name in _GLOSSARIES:
        for table in read_toml(name).values():
            for phrase in table.get("el", []):
                greek.update(w.lower() for w in _GREEK_WORD.findall(phrase))
    by_key: dict[str, list[str]] = {}
    for word, _count in greek.most_common():
        _keep(by_key, word)
    return by_key, frozenset(other)


def _keep(by_key: dict[str, list[str]], word: str) -> None:
    """Add a Greek word under its key, unless KEY_WORDS more used ones are there already."""
    words = by_key.setdefault(greek_key(word), [])
    if len(words) < KEY_WORDS and word not in words:
        words.append(word)


@cache
def _wide_lexicon() -> dict[str, list[str]]:
    """Return key → Greek words for the bank's words (`_lexicon`, first) and WIDE_WORDS more of
    the most frequent Greek words (wordfreq's Greek list, read from its wheel; Speer et al.,
    doi:10.5281/zenodo.7199437), the most frequent first: the words of a message already
    read as Greeklish ("eixame pei", "thymomaste") that the bank never used."""
    # Imported here, when first needed: wordfreq brings ftfy and langcodes (0.2 s to import).
    from wordfreq import top_n_list

    by_key = {key: list(words) for key, words in _lexicon()[0].items()}
    for word in top_n_list("el", WIDE_WORDS):
        if _GREEK_WORD.fullmatch(word):
            _keep(by_key, word)
    return by_key


def _latin_words(text: str) -> list[str]:
    """Return the runs of Latin letters and digits holding a letter."""
    return [w for w in _LATIN_RUN.findall(text) if not w.isdigit()]


def _greek_word(word: str, *, wide: bool = False) -> str | None:
    """Return the Greek word a Latin word spells (see the module), None for none."""
    by_key = _wide_lexicon() if wide else _lexicon()[0]
    words = next((by_key[k] for k in latin_keys(word) if k in by_key), None)
    if not words:
        return None
    typed = word.casefold()
    # min keeps the first of equals: the most used on a tie
    return min(words, key=lambda w: Levenshtein.distance(typed, anyascii(w).casefold()))


def is_greeklish(text: str) -> bool:
    """Return whether a message in Latin letters is Greek (see the module: GREEK_WORDS words
    or more that are Greek words and no other language's, GREEK_SHARE of its words, names and
    model codes typed inside it left out; a one-letter article before a name counts as one)."""
    if _GREEK.search(text):
        return False
    # Names and model codes typed inside it are no words of any language ("o Kostas rwtaei an
    # to Taylor 114ce exei ilektronika").
    typed = [
        m.group()
        for m in _LATIN_RUN.finditer(text)
        if len(m.group()) > 1
        and not any(c.isdigit() for c in m.group())
        and not (m.start() > 0 and m.group()[:1].isupper())
    ]
    if not typed:
        return False
    _, other = _lexicon()
    ours = [w for w in typed if fold(w) not in other]
    article = bool(_ARTICLE_NAME.match(text))  # "o Kostas epestrepse to 114e?"
    greek = sum(1 for w in ours if _greek_word(w) is not None) + article
    # Its share counts the other frequent Greek words too ("ti eixame pei na thymomaste…").
    share = sum(1 for w in ours if _greek_word(w, wide=True) is not None) + article
    # A message of one word ("boitheia") is Greek when that word is.
    return greek >= min(GREEK_WORDS, len(typed)) and share >= GREEK_SHARE * len(typed)


def in_greek_letters(text: str) -> str:
    """Return a Greeklish message with the Greek words it spells in Greek letters (the others
    as typed, and so capitalised words inside it, names, and e-mail addresses and links); any
    other message unchanged."""
    if not is_greeklish(text):
        return text

    def read(match: re.Match[str]) -> str:
        word = match.group()
        # A capitalised word inside the message is a name ("h Mei Wang"), and an address or a
        # link is no word: as typed.
        inside = match.start() > 0 and word[:1].isupper()
        chunk = text[text.rfind(" ", 0, match.start()) + 1 :].split(" ", 1)[0]
        if word.isdigit() or inside or "@" in chunk or "/" in chunk:
            return word
        return _greek_word(word, wide=True) or word

    return _LATIN_RUN.sub(read, text)
