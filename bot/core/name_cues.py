"""Signs in how a message is typed that an ordinary word in it is a customer's first name
("Will", "Su", "Umut", "June"), and which of two typings of a month name is the date ("What
did June buy in June?")."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Container, Sequence
from functools import cache

from bot.core.datafiles import read_toml
from bot.core.i18n import current_language
from bot.core.rules import follow_up, note_content
from bot.core.text import (
    after_greek_article,
    cut_ending,
    fold,
    folded_words,
    replace_words,
    strip_accents,
    word_matches,
    words,
)
from bot.core.vocabulary import after_determiner

# A stand-in no word pattern matches, for the occurrence of a name word left as typed.
_KEPT = "\u2063"
_SENTENCE_END = re.compile(r"[.!?¿¡:;\n]\s*$")
# Verbs of getting in touch (folded): the word after them, or a title or "the" after them, is a
# person ("remind me to call rose", "llamar a paloma", "να πάρω την ελπίδα", "ruf Frau Sommer an");
# and the word before the verbs that follow their object ("paloma'yı ara", "sommer anrufen").
_CALL_VERBS = frozenset(
    "call ring phone text contact email message llamar llama llamo llame llamas escribir "
    "contactar avisar kalese kaleso tilefonise tilefoniso ruf rufe".split()
)
_CALL_OBJECT = frozenset(
    "to a al con ton tin ti tilefono til herrn herr frau mr mrs ms sr sra don dona bei".split()
)
_GREEK_TAKE = frozenset("pare paro parei tilefono til".split())  # "πάρε τηλέφωνο τον X"
_CALLED_AFTER = frozenset("ara arayin arasin aramam aramami anrufen anzurufen".split())
# English auxiliaries a question's subject follows ("did april buy", "has will been in"), and
# what a customer does or did, after her ("who has april birthdays?", "does august have many
# birthdays?" ask about the month).
_ASKED_OF = frozenset("did does has had".split())
_DONE_NEXT = frozenset(
    "buy bought order ordered return returned spend spent come came visit visited pick picked "
    "like liked want wanted try tried ever first last already just been say said ask asked call "
    "called pay paid collect collected".split()
)
# German prepositions before an adjective said as a noun, capitalised ("in Weiß", "in Groß",
# "auf Schwarz"): not typed as a name there.
_GERMAN_NOUN_PREPOSITIONS = frozenset({"in", "auf", "aus"})


def _typed(text: str, name_words: set[str]) -> list[tuple[str, bool]]:
    """Return each typed occurrence of a name word, and whether it is typed as a name would be:
    capitalised inside a sentence, and not as a German noun after an article ("einen guten
    Koch") or a preposition ("in Weiß"), or right after a Greek article ("τι νούμερο φοράει η
    ελπίδα;")."""
    matches = word_matches(text)
    typed = [m.group() for m in matches]
    folded = [fold(w) for w in typed]
    found: list[tuple[str, bool]] = []
    for i, (match, word) in enumerate(zip(matches, typed, strict=True)):
        if folded[i] in name_words or fold(cut_ending(word)) in name_words:
            before = text[: match.start()]
            starts = not before.strip() or bool(_SENTENCE_END.search(before))
            capital = word[:1].isupper() and not word.isupper()
            noun = after_determiner(folded, i, typed) or (
                i > 0 and folded[i - 1] in _GERMAN_NOUN_PREPOSITIONS and current_language() == "de"
            )
            named = capital and not starts and not noun
            found.append((word, named or after_greek_article(typed, i) or _person_cue(folded, i)))
    return found


# What is said of a person come into the shop, after her name (folded words): "rose is at the
# till", "paloma está aquí", "deniz hanım geldi", "sommer ist da", "η ελπίδα ήρθε".
_PRESENT = re.compile(
    r"(?:(?:hanim|bey|abla|abi) )?(?:is (?:at|here|in|by|back)|s (?:at|here|in)|just "
    r"(?:came|walked|popped|arrived)|came in|walked in|has come|esta (?:aqui|aca|en)|ha "
    r"(?:venido|llegado)|acaba de (?:llegar|entrar)|vino|llego|geldi|burada|ist (?:da|hier|gerade)"
    r"|kam|ist gekommen|irthe|einai edo)\b"
)


def called_words(text: str) -> set[str]:
    """Return the folded words a verb of getting in touch is about ("call rose", "llamar a
    paloma", "sommer anrufen"), or that are said to have come into the shop ("rose is at the
    till", "paloma está aquí"): a person, even where the word also names a product."""
    folded = [fold(m.group()) for m in word_matches(text)]
    return {w for i, w in enumerate(folded) if _person_cue(folded, i) and w not in _CALL_OBJECT}


def _person_cue(folded: list[str], i: int) -> bool:
    """Return whether folded word i is a person's: one a call is about, who came in, or the
    subject of a question asked with "did"/"does"/"has" ("when did april last buy…")."""
    asked = i > 0 and folded[i - 1] in _ASKED_OF and i + 1 < len(folded)
    if asked and folded[i + 1] in _DONE_NEXT:
        return True
    return _called(folded, i) or _PRESENT.match(" ".join(folded[i + 1 : i + 4])) is not None


def _called(folded: list[str], i: int) -> bool:
    """Return whether folded word i is the one a verb of getting in touch is about (Greek
    "πάρε", "να πάρω" only with "τηλέφωνο": alone they also mean take or buy; not Spanish "se
    llama", is called)."""
    j = i - 1
    while j >= 0 and folded[j] in _CALL_OBJECT and j > i - 3:
        j -= 1
    phoned = "tilefono" in folded[max(0, j - 1) : i] or "til" in folded[max(0, j - 1) : i]
    verb = j >= 0 and (
        (folded[j] in _CALL_VERBS and not (j > 0 and folded[j - 1] == "se"))
        or (folded[j] in _GREEK_TAKE and phoned)
    )
    return verb or (i + 1 < len(folded) and folded[i + 1] in _CALLED_AFTER)


def _times_typed(occurrences: list[tuple[str, bool]]) -> Counter[str]:
    """Return how often each name word is typed (folded, without a Turkish ending)."""
    return Counter(fold(cut_ending(word)) for word, _ in occurrences)


def typed_as_names(text: str, name_words: set[str], is_date: Callable[[str], bool]) -> set[str]:
    """Return the name words (folded, whole and without a Turkish ending) that the message types
    as a name rather than as the ordinary word they also are: written twice (one of them is the
    name: "Su'nun su geçirmez montu", "What did June buy in June?"), capitalised inside a
    sentence when they are no date ("how much did Will spend", "que compró Luz"; months are
    capitalised in English and German), called, come in or asked about ("call april", "when
    did april last buy": `_person_cue`, a month too), or with a Turkish suffix after an
    apostrophe, which
    Turkish puts only after proper nouns ("Umut'un aldıkları"; a month's too, "Nisan'da", so not
    a date). `is_date` tells whether a word names a period."""
    typed = _typed(text, name_words)
    counts = _times_typed(typed)
    # Called, come in or asked about, a month is a person ("remind me to call april").
    folded = [fold(m.group()) for m in word_matches(text)]
    cued = {w for i, w in enumerate(folded) if w in name_words and _person_cue(folded, i)}
    found: set[str] = set()
    for word, capitalised in typed:
        stem = cut_ending(word)
        # cut_ending cuts only a suffix after an apostrophe
        named = counts[fold(stem)] > 1 or fold(stem) in cued
        named = named or (not is_date(stem) and (stem != word or capitalised))
        if named:
            found |= {fold(word), fold(stem)}
    return found


def only_product_words(
    text: str,
    said: set[str],
    named_by: set[str],
    tokens: Container[str],
    is_date: Callable[[str], bool],
) -> bool:
    """Return whether the words a name matched (`said`) are, here, only words of products'
    names (`tokens`) beside a product the message names by other words (`named_by`): "is the
    ethiopia 1kg whole bean or ground?" asks nothing of Mr Bean. Not when typed as a name:
    capitalised, or after a verb of calling ("remind me to call rose", `typed_as_names`)."""
    return (
        bool(named_by - said)
        and all(w in tokens for w in said)
        and not capitalised(text, said)
        and not typed_as_names(text, said, is_date)
    )


def capitalised(text: str, name_words: set[str]) -> bool:
    """Return whether a name word is typed with a capital anywhere, a sentence's first word
    included ("Fritz hat angezahlt, bitte festhalten", "hatırla: Barış gelecek"): with a
    command to save a note, which is always about a customer, that is enough to read it as
    her name (not "remember: we will open at 9")."""
    return any(
        word[:1].isupper() and not word.isupper()
        for word in (m.group() for m in word_matches(text))
        if fold(word) in name_words or fold(cut_ending(word)) in name_words
    )


# English subject pronouns: after one, an opening "Can", "Will" or "May" is the verb ("Can I
# see…", "Will she…"), not a customer.
SUBJECT_PRONOUNS = frozenset({"i", "you", "u", "we", "they", "he", "she", "it"})
# English auxiliaries that open questions: "Can the customer…", "Will someone…" are verbs.
AUXILIARIES = frozenset({"can", "will", "may", "might", "could", "should", "would", "must"})
_BE_HAVE = frozenset({"is", "was", "s"})
_THERE = frozenset({"in", "here", "back", "at", "coming", "looking", "interested", "after"})
_REFERS_BACK = re.compile(r"\b(?:her|him|his|she|he)\b")
# Words a question's subject opens with, after such an auxiliary.
_SUBJECT_STARTS = SUBJECT_PRONOUNS | frozenset(
    "the a an my your our this that these those someone somebody anyone anybody any "
    "every everyone all customers people".split()
)


# Subject pronouns of the five languages that no other of them uses as an ordinary word (not
# German "es", Spanish for "is"; not Turkish "o", Spanish for "or").
_BESIDE_PRONOUNS = SUBJECT_PRONOUNS | frozenset(
    "ich du er sie wir ihr man yo tu ben sen biz siz εγω εσυ".split()
)


def beside_a_pronoun(text: str, name_words: set[str]) -> bool:
    """Return whether every time a name word is typed, in lower case, a subject pronoun stands
    right before or after it: the ordinary word it also is, a verb ("what can I show her?", "I
    can offer him…", "ich weiß nicht…"), not a customer named Can or Weiß."""
    found = word_matches(text)
    matches = [m.group() for m in found]
    places = [i for i, word in enumerate(matches) if fold(cut_ending(word)) in name_words]
    if not places:
        return False

    def beside(i: int, j: int) -> bool:  # next to each other, only a space between
        a, b = sorted((i, j))
        return a >= 0 and b < len(found) and not text[found[a].end() : found[b].start()].strip()

    for i in places:
        if matches[i][:1].isupper() and i > 0:
            return False  # "what did Can buy?"
        around = {fold(matches[j]) for j in (i - 1, i + 1) if beside(i, j)}
        if not around & _BESIDE_PRONOUNS:
            return False  # "note for can: he wants…" is a name
    return True


def opens_as_subject(text: str, name_words: set[str]) -> bool:
    """Return whether the message opens with a name word, capitalised and not followed by a
    subject pronoun: "Summer is in the showroom…", "Paz quiere cambiar el salón…", "Bahar
    ilk evini döşüyor…" (not "Can I see…", "Hope you're well"); in lower case, before "is" and
    a doing or a being here, and a person referred back to ("will is doing a marathon, what
    should i show him", "can is in, what did he buy"; not "can is dented, she wants…")."""
    matches = word_matches(text)
    if len(matches) < 2 or text[: matches[0].start()].strip():
        return False
    first, second = matches[0].group(), fold(matches[1].group())
    third = fold(matches[2].group()) if len(matches) > 2 else ""
    doing = (
        third.endswith("ing") or third in _THERE
    )  # "is doing…", "is in": a person, not "is dented"
    if (
        fold(first) in name_words
        and second in _BE_HAVE
        and doing
        and _REFERS_BACK.search(text.lower())
    ):
        return True  # typed lower case: "rose is doing her first 10k, what should i show her"
    if fold(cut_ending(first)) not in name_words or not first[:1].isupper() or first.isupper():
        return False
    # An English auxiliary opening a question comes before its subject ("Can the customer…",
    # "Will someone…"); before a verb it is a name ("Can is here", "Can geldi").
    asks = fold(first) in AUXILIARIES and second in _SUBJECT_STARTS
    return not asks and second not in SUBJECT_PRONOUNS


# Verbs a customer's question or wish is told with, right after her name opening the message
# ("Frank fragt, ob…", "Rosa quiere…", "Hope asks if…"), folded; Turkish puts them last
# ("Deniz, … diye soruyor").
_TELLING = frozenset(
    fold(w)
    for w in "asks asked asking wants wanted wonders wondering says said needs fragt fragte will "
    "möchte sucht "
    "sagt braucht meint pregunta preguntó quiere busca dice necesita ρωτάει ρωτά θέλει ψάχνει "
    "λέει χρειάζεται".split()
)
_TELLING_LAST = re.compile(r"(?:soruyor|istiyor|diyor|ariyor|bakiyor)\W*$")


def opens_telling(text: str, name_words: set[str]) -> bool:
    """Return whether the message opens with a name word (`opens_as_subject`) and tells what she
    asks or wants ("Frank fragt ob das SD-1 auch am Bass geht", "Deniz, askı ayarlanıyor mu diye
    soruyor"): about her, whatever else it asks."""
    if not opens_as_subject(text, name_words):
        return False
    second = fold(word_matches(text)[1].group())
    return second in _TELLING or _TELLING_LAST.search(fold(text)) is not None


def date_left_typed(
    text: str, name_words: set[str], mask: Callable[[str], str], is_date: Callable[[str], bool]
) -> str | None:
    """Return the message masked (`mask`) but for one occurrence of a name word that is typed
    twice, the one that then reads as a date ("What did X buy in June?" for "What did June buy
    in June?"), or None when none does. The last occurrence that reads as a date is left."""
    occurrences = _typed(text, name_words)
    counts = _times_typed(occurrences)
    dates = [
        i
        for i, (word, _) in enumerate(occurrences)
        if counts[fold(cut_ending(word))] > 1 and is_date(cut_ending(word))
    ]
    if not dates:
        return None
    keep, seen = dates[-1], itertools.count()

    def stand_in(typed: str) -> str | None:
        named = fold(typed) in name_words or fold(cut_ending(typed)) in name_words
        return _KEPT if named and next(seen) == keep else None

    return mask(replace_words(text, stand_in)).replace(_KEPT, occurrences[keep][0])


@cache
def _asked_of() -> tuple[re.Pattern[str], ...]:
    # Each {NAME} a group of its own (name0, name1…): a language may place it several ways.
    def named(pattern: str) -> str:
        parts = pattern.split("{NAME}")
        groups = [rf"(?P<name{i}>[^\W\d_]+)" for i in range(len(parts) - 1)]
        return "".join(p + g for p, g in zip(parts, [*groups, ""], strict=True))

    return tuple(
        re.compile(named(pattern)) for pattern in read_toml("rules.toml")["asked_of"].values()
    )


def asked_of(text: str, name_words: Container[str]) -> bool:
    """Return whether a name word stands where only a question's subject can, right after its
    question word and verb ("was hat august letztes jahr gekauft?", "what did April get?",
    "Nisan ne aldı?"): rules.toml [asked_of], in every language; a name then, whatever else
    the word means (a month here)."""
    folded = strip_accents(text)
    return any(
        fold(said) in name_words
        for cue in _asked_of()
        for found in cue.finditer(folded)
        for said in found.groupdict().values()
        if said is not None
    )


def asked_part(text: str) -> str | None:
    """Return what a message tells that someone asks or wants, as typed: the words after the
    first telling verb ("María wants to know where the post office is" → " to know where the
    post office is"), or in Turkish, folded, the clause before it ("Can wifi şifresini soruyor"
    → "can wifi sifresini ") or what follows it ("Can soruyor, wifi var mı?" → "wifi var mi");
    None when it tells nothing of the kind (`tells_asking`)."""
    for word in re.finditer(r"[^\W\d_]+", text):
        if fold(word.group()) in _TELLING:
            return text[word.end() :]
    folded = fold(text)
    at = 0
    for clause in re.split(r"[,.;!?]", folded):
        if (verb := _TELLING_LAST.search(clause)) is not None:
            after = folded[at + verb.end() :].strip(" ,.;!?")
            # "Can soruyor, chemex bulaşığa girer mi?": the question after it
            return after or clause[: verb.start()]
        at += len(clause) + 1
    return None


def tells_asking(text: str) -> bool:
    """Return whether a message tells that someone asks, wants or looks for something ("…
    pregunta por los cascos", "… çocuk kaskı soruyor", "… fragt nach dem Kinderhelm"): a verb
    of `_TELLING`, or Turkish's at the end of a clause."""
    folded = fold(text)
    said = {fold(w) for w in re.findall(r"[^\W\d_]+", text)}
    return bool(said & _TELLING) or any(
        _TELLING_LAST.search(clause) for clause in re.split(r"[,.;!?]", folded)
    )


@cache
def _follow_up_words() -> frozenset[str]:
    starts = read_toml("rules.toml")["follow_up"]["starts"].values()
    return frozenset(w for alternatives in starts for w in re.findall(r"[^\W\d_]+", alternatives))


# Words beside a name that ask nothing: articles and titles ("and the Costa lady?", "y la
# señora Costa?", "und Frau Costa?", "και η κυρία Κώστα;"), folded.
_BESIDE_A_NAME = frozenset(
    "the a la el los las der die das den dem η ο την τον τη του της i o tin ton ti tou tis "
    "mr mrs ms miss dr sr sra srta senor senora don dona herr herrn frau bey hanim κ κα κος "
    "κυρια κυριος kyria kyrios lady".split()
)


def names_only(folded: Sequence[str], name_words: Container[str]) -> bool:
    """Return whether a message's folded words are a name, articles, titles and the words a
    follow-up starts with only (rules.toml [follow_up]: "and Maria Costa?", "peki Burak
    Kaya?"): it asks nothing of its own ("and Maria Costa, what sizes?" asks her sizes)."""
    return all(w in name_words or w in _BESIDE_A_NAME or w in _follow_up_words() for w in folded)


def asked_again(text: str, name_words: Container[str]) -> bool:
    """Return whether a message asks the question before again of a customer, naming only her
    after the words a follow-up starts with ("and can?", "what about will?"; `names_only`)."""
    return follow_up(text) == "starts" and names_only(folded_words(text), name_words)


def opens_with_auxiliary(text: str) -> bool:
    """Return whether a note's own words (after "note:", bot.core.rules.note_content) open
    with an English auxiliary before a bare verb ("will call back tomorrow"): a verb, no
    customer Will. Before a verb of the third person it is a name ("will is coming back
    Friday", "can wants the blue sofa")."""
    if current_language() != "en":
        return False
    typed = [fold(w) for w in words(note_content(text))[:2]]
    return len(typed) == 2 and typed[0] in AUXILIARIES and not typed[1].endswith("s")
