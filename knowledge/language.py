"""Languages of tips: which codes are ISO 639-1, and telling a text's language offline.

pycountry holds the ISO 639 list; py3langid, whose model ships inside its wheel, tells the
language. This module adds the project's policy: ISO 639-1 codes only, and no language at all
when the text is too short or the model is unsure, since a wrong language misleads the search
more than none does.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pycountry
from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Fewer words than this is a label or a name ("Ana Ruiz", "espresso grinder"), not a sentence.
_MIN_WORDS = 3
# The model's probability for its best guess: 79 short tip sentences in 16 languages scored
# 0.64 or more, names, labels and measurements 0.2 or less.
_MIN_CONFIDENCE = 0.5
# A Chinese or Japanese character counts as a word: those scripts put no spaces between words.
_WORD_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]|[^\W\d_]+")


def is_language_code(code: str) -> bool:
    """Tell whether `code` is a two-letter ISO 639-1 language code such as en or tr."""
    return len(code) == 2 and pycountry.languages.get(alpha_2=code) is not None


def detect_language(text: str) -> str | None:
    """Guess a text's ISO 639-1 language, offline; None when too short or too close to call."""
    text = unicodedata.normalize("NFC", text)
    if len(_WORD_RE.findall(text)) < _MIN_WORDS:
        return None
    language, confidence = _identifier().classify(text)
    return str(language) if confidence >= _MIN_CONFIDENCE else None


@cache
def _identifier() -> LanguageIdentifier:
    # Loaded on first use, not at import: the model takes about 0.4 s and 80 MB.
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # The model also knows varieties with only ISO 639-3 codes (yue, arz, ...): a tip's
    # language is an ISO 639-1 code, so they are left out rather than guessed.
    identifier.set_languages([code for code in identifier.labels if is_language_code(code)])
    return identifier


# Under three words a guess must be this sure: "¿quién es?" scores 0.99 for Spanish among the
# five shipped languages, "her notes" 0.62 for English, "hi" 0.2.
_SHORT_CONFIDENCE = 0.8


def detect_among(text: str, languages: tuple[str, ...]) -> str | None:
    """Guess which of `languages` (ISO 639-1) a message is written in, offline; None when the
    model is unsure (a probability under 0.5, or under 0.8 for a message of one or two words)
    or there are no words. The model compares only those languages, which is what a chat in
    a known set of languages needs."""
    text = unicodedata.normalize("NFC", text)
    count = len(_WORD_RE.findall(text))
    if not count:
        return None
    language, confidence = _restricted(languages).classify(text)
    needed = _MIN_CONFIDENCE if count >= _MIN_WORDS else _SHORT_CONFIDENCE
    return str(language) if confidence >= needed else None


@cache
def _restricted(languages: tuple[str, ...]) -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in languages if code in identifier.labels])
    return identifier
