"""Text helpers for matching what associates type: accents, scripts, apostrophes, stop words."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Collection, Container, Iterable, Sequence

from anyascii import anyascii

from bot.core.datafiles import read_text

# Chinese, Japanese and Korean letters (Han with 々, kana, Hangul, their half-width forms).
_CJK = (
    "\u1100-\u11ff\u3005-\u3007\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uffdc\U00020000-\U0003134f"
)
CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_SPLIT = re.compile(f"([{_CJK}]+)")
_APOSTROPHES = "'’‘ʼ"
_WORD = re.compile(rf"[^\W_]+(?:[-{_APOSTROPHES}][^\W_]+)*", re.UNICODE)
# Turkish attaches case endings after an apostrophe: Çağla'nın, Hiroshi'ye, AeroPress'i, C0042'nin.
# After a single letter the apostrophe is part of a name: O'Brien, D'Souza, Smith-O'Brien. A
# lone "t" is no Turkish ending but an English "not": "can't" is no "Can", "don't" no "Don".
_APOSTROPHE_SUFFIX = re.compile(
    rf"(?<!^[^\W\d_])(?<![-{_APOSTROPHES}][^\W\d_])[{_APOSTROPHES}](?![tT]$)[^\W\d_]{{1,5}}$"
)
_LETTERS = str.maketrans({"ı": "i"})
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")  # NFKD leaves Turkish dotless i alone


def _read_words(name: str) -> frozenset[str]:
    lines = read_text(name).splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split())


# Read at import (one small file): the catalogue's matching uses it as a constant.
STOP_WORDS = _read_words("stop_words.txt")


def fold(text: str) -> str:
    """Return text in lower case for matching only: accents dropped and other scripts
    transliterated by anyascii ("Çağla" → "cagla", "Νίκος" → "nikos", "D’Souza" → "d'souza").

    Chinese, Japanese and Korean letters stay in their own script ("王伟"): transliterated they
    would run together and merge different names (王 and 汪 are both "wang")."""
    if text.isascii():  # most words and names: nothing to transliterate
        return text.casefold()
    parts = _CJK_SPLIT.split(text)
    # re.split with a group alternates: other text at even places, CJK runs at odd ones.
    return "".join(
        unicodedata.normalize("NFKC", p) if i % 2 else anyascii(_greek_digraphs(p))
        for i, p in enumerate(parts)
    ).casefold()


# anyascii transliterates Greek letter by letter ("Παύλος" → "paylos", "Γιώργου" → "giorgoy");
# names are written in Latin letters by ELOT 743 / ISO 843, which reads some pairs together:
# ου → ou, αυ/ευ → av/ev (af/ef before a voiceless consonant), γγ → ng.
_GREEK_PAIRS = re.compile(r"(ου)|([αε])υ(?=([θκξπστφχψ])?)|(γγ)")
_VOICELESS_AFTER = {"α": "af", "ε": "ef"}
_VOICED_AFTER = {"α": "av", "ε": "ev"}


def _greek_digraphs(text: str) -> str:
    if not _GREEK.search(text):
        return text
    plain = "".join(
        c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c)
    )

    def pair(m: re.Match[str]) -> str:
        if m.group(1):
            return "ou"
        if m.group(4):
            return "ng"
        vowel = m.group(2)
        return (_VOICELESS_AFTER if m.group(3) else _VOICED_AFTER)[vowel]

    return _GREEK_PAIRS.sub(pair, plain)


def holds_question_mark(text: str) -> bool:
    """Return whether a message holds a question mark: "?", or the Greek one (U+037E, or a
    semicolon in Greek text)."""
    greek = any("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in text)
    return "?" in text or "\u037e" in text or (greek and ";" in text)


def is_cjk(text: str) -> bool:
    """Return whether every letter of a text is Chinese, Japanese or Korean (and it has one)."""
    if text.isascii():
        return False
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(CJK_RUN.fullmatch(c) for c in letters)


def strip_accents(text: str) -> str:
    """Return text casefolded and without accents, in its own script (the keyword cues are
    written in Greek, Turkish, … letters): for keyword matching only."""
    text = text.casefold().translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def cut_ending(word: str) -> str:
    """Return a word without a Turkish case ending after an apostrophe ("Çağla'nın" → "Çağla";
    "O'Brien" stays whole)."""
    return _APOSTROPHE_SUFFIX.sub("", word)


def words(text: str) -> list[str]:
    """Return the words of a message as typed (Turkish case endings cut off)."""
    return [cut_ending(w) for w in _WORD.findall(text)]


def word_parts(folded: Sequence[str], *, whole: bool = True) -> dict[str, None]:
    """Return the words typed split at hyphens and apostrophes ("16'nın" → 16, nın), in order
    (as dict keys), and with `whole` the words as typed too."""
    parts = [part for word in folded for part in re.split(r"[-'’]", word) if part]
    return dict.fromkeys([*folded, *parts] if whole else parts)


def replace_words(text: str, replace: Callable[[str], str | None]) -> str:
    """Return `text` with each word `replace` gives a replacement for replaced, everything
    else (punctuation, spacing) as typed."""
    return _WORD.sub(lambda m: replace(m.group()) or m.group(), text)


def word_matches(text: str) -> list[re.Match[str]]:
    """Return the words of a message as typed, each with where it stands (`start()`)."""
    return list(_WORD.finditer(text))


def folded_words(text: str) -> list[str]:
    """Return the folded words of a message, whole: a word keeps what follows an apostrophe,
    since only matching can tell a name ("o'brien") from a case ending ("cagla'nin"); see
    `word_forms`."""
    return [fold(w) for w in _WORD.findall(text)]


def word_forms(word: str) -> list[str]:
    """Return the readings of a folded word, whole first: without a Turkish case ending
    ("cagla'nin" → "cagla") and without its apostrophes ("o'brien" → "obrien")."""
    forms = [word]
    for form in (cut_ending(word), word.replace("'", ""), cut_ending(word).replace("'", "")):
        if form not in forms:
            forms.append(form)
    return forms


FOLDED_STOP_WORDS = frozenset(fold(w) for w in STOP_WORDS)

# A Greek name changes its ending with its case: "τον Γιώργο", "του Γιώργου" (Γιώργος), "τον
# Κώστα" (Κώστας), "του Καραγιάννη" (Καραγιάννης); "της Μαρίας" (Μαρία), "της Ελένης" (Ελένη).
# Folded ending of the typed form → ending of the nominative it may stand for, for a man's
# name and for a woman's.
_MASCULINE_ENDINGS = (("ou", "os"), ("o", "os"), ("i", "is"), ("a", "as"))
_FEMININE_ENDINGS = (("as", "a"), ("is", "i"))
# Articles and titles tell which: "του κ. Παπαδόπουλου" is Mr Papadopoulos, "της
# Παπαδοπούλου" Ms Papadopoulou.
# "στον", "στην" are σε + τον, την; "κου", "κας" the abbreviated κυρίου, κυρίας; "κ." is
# either, a man's unless an article before it says otherwise ("την κ. Παπαδοπούλου").
_MASCULINE = frozenset(
    {"o", "ton", "tou", "ston", "k", "kos", "kou", "kyrios", "kyrio", "kyriou", "kyrie"}
)
_FEMININE = frozenset({"i", "tin", "tis", "stin", "sti", "ka", "kas", "kyria", "kyrias"})
GREEK_FEMININE = _FEMININE  # the Greek feminine articles and titles, folded


def after_greek_article(typed: Sequence[str], i: int) -> bool:
    """Return whether the typed word at `i` comes right after a Greek article or title typed in
    Greek letters ("η ελπίδα", "τον κ. άγγελο"): the way Greek speaks of a person by name."""
    return (
        i > 0
        and bool(_GREEK.search(typed[i - 1]))
        and fold(typed[i - 1]) in (_MASCULINE | _FEMININE)
    )


def greek_article_gender(text: str, names: Collection[str] = ()) -> str | None:
    """Return "m" or "f" when a Greek article or title stands right before a capitalised word
    or one of `names` (folded name words: "για τον papadopoulo" typed in Greeklish) ("τον
    κύριο Οικονόμου", "η Μαρία"), by the first such; None when there is none."""
    articles = _MASCULINE | _FEMININE
    article = ""
    for before, word in itertools.pairwise(_WORD.findall(text)):
        folded = fold(before)
        if folded == "k" and article:
            folded = article  # "την κ. Παπαδοπούλου": κ. is κύριος or κυρία, as the article says
        article = folded if folded in articles and folded != "k" else ""
        named = word[:1].isupper() or fold(word) in names
        if _GREEK.search(before) and named and fold(word) not in articles:
            if folded in _MASCULINE:
                return "m"
            if folded in _FEMININE:
                return "f"
    return None


def greek_case_forms(text: str) -> dict[str, tuple[tuple[str, ...], bool]]:
    """Return, for each word of `text` typed in Greek letters whose ending can be a case
    ending, or typed in Latin ones right after a Greek article or title ("για τον Giorgo
    Papadopoulo"), its folded form → (the folded nominatives it may be a form of, whether a
    masculine article or title comes before it and the name words between). After a feminine
    article only a woman's nominative is offered. Other words are left out."""
    found: dict[str, tuple[tuple[str, ...], bool]] = {}
    gender = ""  # after "τον", for every name word that follows ("τον Γιώργο Καραγιάννη")
    latin_after_article = False  # "τον Giorgo Papadopoulo": a Greek name in Latin letters
    previous = ""
    for word in _WORD.findall(text):
        before, folded = previous, fold(word)
        previous = folded
        if folded in _MASCULINE or folded in _FEMININE:
            if folded == "k" and before in _FEMININE:
                continue  # "την κ. Παπαδοπούλου": κ. has the gender of the article right before
            gender = "m" if folded in _MASCULINE else "f"
            latin_after_article = bool(_GREEK.search(word))
            continue
        endings = {
            "m": _MASCULINE_ENDINGS,
            "f": _FEMININE_ENDINGS,
            "": _MASCULINE_ENDINGS + _FEMININE_ENDINGS,
        }[gender]
        forms = tuple(
            folded[: -len(ending)] + nominative
            for ending, nominative in endings
            if folded.endswith(ending) and len(folded) > len(ending) + 2
        )
        if (_GREEK.search(word) or (latin_after_article and word[:1].isupper())) and forms:
            found[folded] = (forms, gender == "m")
        elif not _GREEK.search(word):
            gender, latin_after_article = "", False
    return found


_GREEK_VOWEL_GROUP = re.compile(r"(?:αι|ει|οι|ου|υι|αυ|ευ|ηυ|[αεηιουω])+", re.IGNORECASE)


def greek_vocative(name: str) -> str:
    """Return a Greek first name in the vocative, as a greeting addresses someone: Νίκος →
    Νίκο, Αλέξανδρος → Αλέξανδρε, Κώστας → Κώστα, Γιάννης → Γιάννη; feminine names, names in
    other scripts and endings without a rule are returned as they are. (Holton, Mackridge &
    Philippaki-Warburton, "Greek: A Comprehensive Grammar", 2nd ed., §2.2: masculine -ος
    nouns accented on the antepenult take -ε, the others -ο; -ας and -ης drop the -ς.)"""
    if not _GREEK.search(name) or len(name) < 3:
        return name
    lower = name.lower()
    if lower.endswith(("ας", "άς", "ης", "ής")):
        return name[:-1]
    if not lower.endswith(("ος", "ός")):
        return name
    # Which syllable carries the accent, counted from the end: 3 means the antepenult.
    plain = strip_accents(lower)
    syllables = list(_GREEK_VOWEL_GROUP.finditer(plain))
    accented = [
        i
        for i, m in enumerate(syllables)
        if unicodedata.normalize("NFD", lower[m.start() : m.end()]) != lower[m.start() : m.end()]
    ]
    from_end = len(syllables) - accented[-1] if accented else 2
    return name[:-2] + ("ε" if from_end >= 3 else "ο")


# A message is understood from its first this-many characters (a pasted page costs no more).
MAX_READ_CHARS = 300
# Left out of what is read: emoji, other symbols, modifiers and format characters ("🎂", "™").
SYMBOLS = frozenset({"So", "Sk", "Cf", "Cs", "Co"})
# Variation selectors that ask for an emoji's or a text's style ("☀️" is U+2600 U+FE0F).
EMOJI_STYLE = frozenset("\ufe0e\ufe0f")


def bounded(text: str) -> tuple[str, bool]:
    """Return the start of a message that is read (MAX_READ_CHARS, cut between words; emoji
    and other symbols left out) and whether it was cut."""
    text = "".join(
        c for c in text if unicodedata.category(c) not in SYMBOLS and c not in EMOJI_STYLE
    ).strip()
    if len(text) <= MAX_READ_CHARS:
        return text, False
    head = text[:MAX_READ_CHARS]
    return (head.rsplit(None, 1)[0] if " " in head else head), True


def consecutive(places: Collection[int]) -> bool:
    """Return whether word positions (distinct integers, at least one) follow one another
    with no gap."""
    return max(places) - min(places) == len(places) - 1


def agreed_language(of_words: Iterable[Collection[str]], languages: Container[str]) -> str | None:
    """Return the one language every word's set of languages holds (words that belong to
    none left out), when it is among `languages`; None when no word has one, or they point
    to different languages."""
    agreed: set[str] | None = None
    for of_word in of_words:
        if of_word:
            agreed = set(of_word) if agreed is None else agreed & set(of_word)
    if not agreed or len(agreed) != 1:
        return None
    (language,) = agreed
    return language if language in languages else None
