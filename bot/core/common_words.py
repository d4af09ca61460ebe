"""Whether a word an associate typed is a common word of their language, not a typo of a name.

`is_common(word)` returns True when the folded word (bot.core.text.fold: lower case, accents
dropped, Greek transliterated) is the folded form of a word at least COMMON_ZIPF on the Zipf
scale (log10 of occurrences per billion words) in English, Spanish, Turkish, Greek or German.
The frequencies are wordfreq's (Robyn Speer et al., rspeer/wordfreq v3, Zenodo,
doi:10.5281/zenodo.7199437): lists read from the wheel itself, nothing is downloaded.

The lists hold words as written ("algodón", "hariç", "τρεις"), and associates type them folded
or without accents, so each list word is folded the way messages are: looked up as folded,
wordfreq itself finds "treis" at Zipf 2.35 and "haric" not at all, where τρεις is at 5.45 and
hariç at 4.84. A folded word counts as common when any word folding to it is.
"""

from __future__ import annotations

from functools import cache

from bot.core.text import fold

# The assistant's languages (bot/locale and English).
LANGUAGES = ("en", "es", "tr", "el", "de")

# Measured on folded words (with the wheel's wordlists: "large" for en, es and de, down to Zipf
# 1; "small" for tr and el, down to Zipf 3), the most common of the five languages counting:
# - 63 typos (one letter off) of brand and product names of the demo store and bench/data/dev3
#   and dev4 (aeropres, chemx, baratsa, wustof, lodgee, birkenstok, creusset, patagoina, bialeti,
#   hansgroe, iitala, salomn, merell, cliniqe, dysson, zwiling, nespreso, …): 60 are in no list,
#   the others at most 2.20 (tamariz 2.20, manduca 1.85, petzel 1.51);
# - 96 ordinary words, most one letter from a name token of those stores, some from questions:
#   lavarlo 2.59, encoge 2.84 (es: Encore), tencereyi 3.08, yikanir 3.12, albornoz 3.14,
#   kuculur 3.19, tencere 3.83, wetter 4.76 (de: Better), whose 5.07 (en: Hose), thema 5.57
#   (el θέμα: Teema), … (one, the Turkish kasindirir, is in no list: too rare a form).
# 2.5 lies between the two. Of all one-letter variants (5 letters or more) of the demo store's
# name tokens, 1.5% are common words at 2.5 (1.1% at 3.0, 2.1% at 2.0; dev3 1.6%, dev4 1.3%):
# mostly real words, with the odd misspelling frequent enough to be listed ("orginal" 2.83).
COMMON_ZIPF = 2.5


def is_common(folded: str) -> bool:
    """Return whether a folded word is a common word in any of LANGUAGES (see COMMON_ZIPF)."""
    return folded in _common_words()


# A word this common (Zipf) in English, Spanish, Turkish or German is typed as itself, never as
# a typo of a name: Spanish "rato" (4.86) is no Sato; German "weis" (3.95) may be Jürgen Weiß's
# surname typed without its ß. Not Greek: folded, its names' case forms ("Niko", "Giorgo" for
# Νίκος, Γιώργος) are everyday words, and typed in Latin letters they are typos of the names.
EVERYDAY_ZIPF = 4.5
EVERYDAY_LANGUAGES = ("en", "es", "tr", "de")


def is_everyday(folded: str) -> bool:
    """Return whether a folded word is an everyday word of EVERYDAY_LANGUAGES (EVERYDAY_ZIPF
    or more)."""
    return folded in _common_words(EVERYDAY_ZIPF, EVERYDAY_LANGUAGES)


@cache
def _common_words(
    zipf: float = COMMON_ZIPF, languages: tuple[str, ...] = LANGUAGES
) -> frozenset[str]:
    """Return the folded words of `languages` at least `zipf`: some 260,000 of LANGUAGES at
    COMMON_ZIPF, read once per threshold (about 0.6 s, 23 MB kept)."""
    # Imported here, when first needed: wordfreq brings ftfy and langcodes (0.2 s to import).
    from wordfreq import available_languages, cB_to_zipf, read_cBpack

    files = available_languages("best")
    found: set[str] = set()
    for language in languages:
        # read_cBpack, not wordfreq's cached lists, so the whole lists are not kept in memory.
        # The words come in frequency bands of one centibel, the most common first.
        for index, band in enumerate(read_cBpack(files[language])):
            if cB_to_zipf(-index) < zipf:
                break
            found.update(map(fold, band))
    return frozenset(found)


# A word at least this common in a language (Zipf)…
OWN_ZIPF = 5.5
# …and at least this much rarer in English is that language's own: Spanish "hay" (6.2, English
# 3.9), "otro", "sin"; Turkish "bu", "ben"; German "mit"; Greek "και". Typed in a message in that
# language, it is no word of an English product name ("Meadow Timothy Hay").
OWN_OVER_ENGLISH = 1.5


# …and an English word too (Zipf this or more): only those can collide with an English name;
# "grosse", "yeni", "nuevo" stay words of a catalogue written in German, Turkish or Spanish.
OWN_ENGLISH_FLOOR = 3.0


@cache
def own_words(language: str) -> frozenset[str]:
    """Return the folded words of `language` (ISO 639-1) at OWN_ZIPF or more that are
    English words (OWN_ENGLISH_FLOOR) OWN_OVER_ENGLISH or more rarer in English ("hay", "sin",
    "bu", "die"), a few dozen per language; none for English or a language wordfreq has no
    list for."""
    from wordfreq import available_languages, cB_to_zipf, read_cBpack, zipf_frequency

    files = available_languages("best")
    if language == "en" or language not in files:
        return frozenset()
    found: set[str] = set()
    for index, band in enumerate(read_cBpack(files[language])):
        zipf = cB_to_zipf(-index)
        if zipf < OWN_ZIPF:
            break
        found.update(
            fold(w)
            for w in band
            # Folded, as typed and as names are matched: Greek "το" is "to"
            if OWN_ENGLISH_FLOOR <= zipf_frequency(fold(w), "en") <= zipf - OWN_OVER_ENGLISH
        )
    return frozenset(found)


# A word typed with a mark its customer's name lacks ("şu" for Su, 6.0 in Turkish) names her
# only when it is no word this common as typed: names themselves reach 5.2 (josé, maría).
MARKED_ZIPF = 5.5


def everyday_as_marked(word: str) -> bool:
    """Return whether a lower-case word, as typed with its accents or marks ("şu", "özel"), is
    an everyday word of one of LANGUAGES (wordfreq Zipf MARKED_ZIPF or more)."""
    from wordfreq import zipf_frequency

    return any(zipf_frequency(word, language) >= MARKED_ZIPF for language in LANGUAGES)
