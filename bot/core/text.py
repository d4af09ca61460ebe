"""Text helpers for matching what associates type: accents, scripts, apostrophes, stop words."""

from __future__ import annotations

import re

from anyascii import anyascii

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
# Turkish attaches case endings after an apostrophe: Çağla'nın, Hiroshi'ye, AeroPress'i.
_APOSTROPHE_SUFFIX = re.compile(r"['’][^\W\d_]{1,5}$")

STOP_WORDS = frozenset(
    """
    a about after again all also am an and any are as at be been before but by can could customer
    client did do does done for from get give got had has have he her hers him his how i if in is
    it its just know last let like me more most my new no not now of on or our she should show
    some tell than that the their them then there these they this time to too us was we what when
    where which who why will with would you your here today buy bought purchase purchases wear
    size sizes note notes tips tip sell selling recommend suggest
    el la los las un una unos unas de del al y o que qué en por para con su sus es ella él le lo
    compró compra última vez quién cómo está aquí tiene mostrar muestro le consejos nota
    ve bir bu şu ne ile için mi mı mu mü da de ki o onun ona neler aldı geçen sefer burada var
    göstereyim göster öner
    ο η το οι τα του της των τον την στο στη στην και για με σε από τι ποιος ποια ποιο είναι
    ήταν αγόρασε τελευταία φορά εδώ θα να της του
    der die das den dem des ein eine einer und oder für mit von zu im in ist war was wer wie hat
    hatte sie er ihr ihm ihre sein seine zuletzt gekauft hier zeigen
    größe grösse größen talla tallas beden numara μέγεθος νούμερο
    """.split()
)


def fold(text: str) -> str:
    """Return text in lower-case ASCII for matching only: accents dropped and other scripts
    transliterated by anyascii ("Çağla" → "cagla", "Νίκος" → "nikos", "D’Souza" → "d'souza")."""
    return anyascii(text).casefold()


def words(text: str) -> list[str]:
    """Return the words of a message as typed (Turkish case endings cut off)."""
    return [_APOSTROPHE_SUFFIX.sub("", w) for w in _WORD.findall(text)]


def folded_words(text: str) -> list[str]:
    """Return the folded words of a message."""
    return [fold(w) for w in words(text)]


FOLDED_STOP_WORDS = frozenset(fold(w) for w in STOP_WORDS)
