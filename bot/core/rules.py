"""Messages understood by their form, without a model: notes to save, help, greetings.

Their words, per language, live in `data/rules.toml`, read on first use.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from functools import cache
from typing import Any

from bot.core.cues import cued_intents
from bot.core.datafiles import alternatives, read_toml
from bot.core.dates import find_due_date
from bot.core.text import FOLDED_STOP_WORDS, fold, folded_words, strip_accents, words
from bot.core.types import Intent

# Turkish puts the name first: "Çağla için not: …", "Çağla'ya not: …".
_NOTE_SUFFIX = re.compile(
    r"^(?P<name>[^:\n]+?)(?:\s+i[çc]in|['’](?:y?a|y?e))\s+not\s*:\s*(?P<text>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_MAX_NAME_WORDS = 4


@cache
def _words() -> dict[str, Any]:
    return read_toml("rules.toml")


@cache
def _note_prefix() -> re.Pattern[str]:
    note = _words()["note"]
    articles = "|".join(rf"{article}\s+" for article in note["article"].values())
    return re.compile(
        # "/note@MyBot" is how Telegram sends a command in a group chat.
        rf"^/?(?:(?:{alternatives(note['verb'])})\s+(?:{articles})?)?"
        rf"(?P<word>{alternatives(note['word'])})(?:@\w+)?"
        rf"(?:\s+(?:{alternatives(note['preposition'])}))?"
        rf"\s+(?:(?:{alternatives(note['name_article'])})\s+)?"
        # "note for Ana: …", or "note for Ana - …" (a dash with a space before it: no "Ana-Lena").
        r"(?P<name>[^:\n]+?)(?:\s*:|\s+[-–—])\s*(?P<text>\S.*)$",
        re.IGNORECASE | re.DOTALL,
    )


def parse_note(text: str) -> tuple[str, str] | None:
    """Return (name, note) from "note for NAME: text" in any supported language, else None."""
    stripped = text.strip()
    for pattern in (_note_prefix(), _NOTE_SUFFIX):
        if (match := pattern.match(stripped)) is None:
            continue
        name, note = match["name"].strip(), match["text"].strip(" -–—")
        dashed = ":" not in match.group(0)[: match.end("name") + 2]
        if dashed and _not_a_name(name):
            continue  # "note for the customer - …", "note for tomorrow - …": no name
        # A long "name" is a sentence with a colon in it, not a note command.
        if not name or not note or len(name.split()) > _MAX_NAME_WORDS:
            continue
        # Turkish "not" is also English "not" ("Not sure: …"): only a capitalised name counts.
        if match.groupdict().get("word", "").casefold() == "not" and not name[0].isupper():
            continue
        return name, note
    return None


def _not_a_name(name: str) -> bool:
    """Return whether what stands where a note's name goes holds a stop word or a day ("the
    customer", "tomorrow", "viernes"): no name, before a dash ("note for tomorrow - …")."""
    if any(w in FOLDED_STOP_WORDS for w in folded_words(name)):
        return True
    return find_due_date(name, today=date.today()) is not None


# A free-form note's command part ("add to Ana's file -", "not al:") is at most this long.
_MAX_COMMAND_WORDS = 8


@cache
def _command_words() -> frozenset[str]:
    by_language = _words()["note"]["command_words"]
    return frozenset(strip_accents(w) for words in by_language.values() for w in words.split())


def only_command_words(text: str) -> bool:
    """Return whether a text is made of "save a note" request words only ("speichern",
    "ekle"): what the note rule took for a name in "Notiz speichern: …"."""
    typed = [strip_accents(w) for w in words(text)]
    return bool(typed) and all(w in _command_words() for w in typed)


def note_content(text: str, *, name_words: Collection[str] = ()) -> str:
    """Return the note a free-form "save a note" message holds: what follows the first colon
    or dash of a short command part ("pls log for Ana - moving in March" → "moving in March"),
    else the whole message, as typed (a note is never reworded); "" when the message is only
    the request ("add a note for Ana": request words, `name_words` (folded) and stop words)."""
    stripped = text.strip()
    for separator in (":", " - ", " – ", " — "):
        head, found, tail = stripped.partition(separator)
        if found and tail.strip() and len(head.split()) <= _MAX_COMMAND_WORDS:
            return tail.strip()
    rest = [
        w
        for w in words(stripped)
        if strip_accents(w) not in _command_words()
        and fold(w) not in name_words
        and fold(w) not in FOLDED_STOP_WORDS
    ]
    return _without_request(stripped) if rest else ""


# Words that join a request to what it asks to remember: "remember that …", "recuerda que …",
# "merk dir, dass …", "θυμήσου ότι …".
_JOINERS = frozenset({"that", "que", "ki", "οτι", "πωσ", "dass", "dir", "bitte", "please", "pls"})


def _without_request(text: str) -> str:
    """Return a free-form note without its leading request words ("Recuerda que Sofía prefiere
    las tardes" → "Sofía prefiere las tardes"); the rest as typed."""
    for match in re.finditer(r"\S+", text):
        word = strip_accents(match.group().strip(",.;:!¡¿?"))
        if word not in _command_words() and word not in _JOINERS:
            return text[match.start() :] if match.start() else text
    return text


@cache
def _help() -> re.Pattern[str]:
    words = _words()["help"]  # the bare word only: "help me sell the Aeropress" is a product's
    return re.compile(
        rf"^[¡¿\s]*/?(?:{alternatives(words['word'])})"
        rf"(?:\s+(?:{alternatives(words['please'])}))?[\s!?.;]*$"
        rf"|{alternatives(words['asks'])}|{alternatives(words['tips'])}"
    )


@cache
def _greeting() -> re.Pattern[str]:
    words = _words()["greeting"]
    greeting = _squeezed(alternatives(words["words"]))
    to = _squeezed(alternatives(words["to"]))
    ack = _squeezed(alternatives(words["ack"]))
    praise = _squeezed(alternatives(words["praise"]))
    after = _squeezed(alternatives(words["after"]))
    # Each greeting perhaps to someone: "night all, bye everybody".
    one = rf"(?:{greeting})(?:[\s,]+(?:{to}))?"
    return re.compile(
        rf"^[¡¿\s]*(?:(?:{ack}|{praise})[\s,!.]+)?{one}(?:[\s,!.¡¿]+{one})?"
        rf"(?:[\s,!.]+(?:{praise}))?(?:[\s,!.?¡¿:;-]+(?:{after}|{one}))*[\s!?.,:;)]*$"
    )


def _squeezed(text: str) -> str:
    """Return text with every run of one repeated letter written once ("holaa" → "hola")."""
    return _REPEATS.sub(r"\1", text)


_REPEATS = re.compile(r"([^\W\d_])\1+")


def is_help(text: str) -> bool:
    """Return whether the message asks what the assistant can do."""
    return _help().search(strip_accents(text.strip())) is not None


def is_greeting(text: str) -> bool:
    """Return whether the message is only a greeting."""
    return _greeting().match(_squeezed(strip_accents(text.strip()))) is not None


@cache
def _thanks() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{alternatives(_words()['thanks']['words'])})")


def is_thanks(text: str) -> bool:
    """Return whether a message thanks ("thanks, that helped", "çok teşekkür ederim",
    "σε ευχαριστώ"); asked of a message already read as a greeting."""
    return _thanks().search(strip_accents(text.strip())) is not None


@cache
def _farewell() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{alternatives(_words()['farewell']['words'])})(?!\w)")


def is_farewell(text: str) -> bool:
    """Return whether a message takes leave ("ok bye", "hasta luego", "τα λέμε αύριο");
    asked of a message already read as a greeting."""
    return _farewell().search(strip_accents(text.strip())) is not None


# A message this short continues the conversation's question when nothing says otherwise.
FOLLOW_UP_WORDS = 4


@cache
def _follow_up() -> re.Pattern[str]:
    return re.compile(rf"^[¡¿\s]*(?:{alternatives(_words()['follow_up']['starts'])})(?!\w)")


def follow_up(text: str) -> str:
    """Return how a message reads as continuing the question before it: "starts" when it
    starts with "and", "y", "peki", "και", "und"…, "short" when it has at most
    FOLLOW_UP_WORDS words, else ""."""
    folded = strip_accents(text.strip())
    if _follow_up().match(folded) is not None:
        return "starts"
    return "short" if len(words(folded)) <= FOLLOW_UP_WORDS else ""


def asks_if_customer(text: str) -> bool:
    """Return whether a message asks whether someone is a customer of the store ("is Tom
    Harris a customer of ours?", "tengo aquí a una tal Rocío, ¿es clienta nuestra?", "kennen
    wir Herrn X?"): her profile answers it, or "no customer named …"."""
    return _word_start("customer_check").search(strip_accents(text)) is not None


def names_the_notes(text: str) -> bool:
    """Return whether a message names the notes, in the plural, with no word of saving
    ("…, notları?", "notas de Carmen", "what are her notes")."""
    return _names_the_notes(strip_accents(text))


def asks_stock(text: str) -> bool:
    """Return whether the message asks about stock levels or the warehouse ("how many cashmere
    scarves are left?", "depoda kaç tane kaldı", "wie viele sind noch im Zentrallager"),
    which the assistant cannot see."""
    return _word_start("stock").search(strip_accents(text)) is not None


def asks_ownership(masked: str) -> bool:
    """Return whether a message, its customer masked as X, asks whether she already has or
    ever bought something ("does X already have the Petzl headlamp?", "X ya tiene las
    zapatillas blancas o no?", "hat Herr X das Kochmesser bei uns gekauft?"), which her
    purchases answer; never a question about using or selling it (a product cue: "X already
    has the machine, how do I descale it?")."""
    folded = strip_accents(masked)
    return _word_start("ownership").search(folded) is not None and not _about_using(masked)


@cache
def _question() -> re.Pattern[str]:
    particles = _words()["question"]["particles"]
    openers = alternatives(_words()["question"]["openers"])
    # A particle ends its clause: "geldi mi, …", "not düşülmüş müydü" ("mi casa" is no question).
    return re.compile(
        rf"[?;;]\s*\W*$|^\s*¿|(?<=\w )(?:{particles})(?=\s*(?:[,.!]|$))|^\s*(?:{openers})(?!\w)"
    )


def is_question(text: str) -> bool:
    """Return whether a message asks rather than tells: a question mark at its end (Greek
    ";" too), a Spanish "¿" at its start, a Turkish question particle ending a clause ("mı",
    "müydü"), or a question word opening it ("did someone log a complaint for X")."""
    return _question().search(text.strip().casefold()) is not None


@cache
def _request() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{alternatives(_words()['question']['requests'])})(?!\w)")


def asks_about_notes(text: str) -> bool:
    """Return whether a message a model took for "save a note" asks about the notes instead: a
    question ("did anyone note what she ordered?", "not düşülmüş müydü") that asks nobody to do
    anything ("can you note that she likes blue?" is a request), what was written down asked
    about ("q dejaron anotado del sr Ruiz"), or the notes asked for by name with no command to
    save ("notas de Carmen Ruiz porfa", not "…, bitte in die Notizen"); never a note command."""
    folded = strip_accents(text.strip())
    asked = is_question(text) and not _request().search(folded)
    said = _word_start("note", "asked_written").search(folded)
    written = said is not None and not (_commands(folded) or _request().search(folded))
    named = _names_the_notes(folded) and not _commands(folded)
    return (asked or written or named) and parse_note(text) is None


@cache
def _plural_notes() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{alternatives(_words()['note']['plural'])})(?!\w)")


@cache
def _saving_words() -> frozenset[str]:
    nouns = {strip_accents(w) for ws in _words()["note"]["nouns"].values() for w in ws.split()}
    return _command_words() - nouns


def _names_the_notes(folded: str) -> bool:
    """Return whether a folded message names the notes (plural) and no command to save."""
    typed = set(re.findall(r"\w+", folded))
    return bool(_plural_notes().search(folded)) and not typed & _saving_words()


# A clause that asks, or asks for something, after what a customer said ("…, what do I do",
# "…, any ideas", "…, can u check her orders", "…, können wir…", "…, schau mal nach").
_ASKING_CLAUSE = re.compile(
    r"\s*(?:what|whats|which|how|can|could|should|would|is there|any ideas?|pls|please|check"
    r"|look|show|find|tell me|que (?:hago|hacemos|le digo|puedo)|como|pued\w+|pod\w+|se puede"
    r"|mira|busca|dime|was|wie|welche|kann\w*|konn\w+|soll|schau|zeig|such|τι|πωσ|μπορ\w+|δεσ"
    r"|δειξε|ψαξε|ne|nasil|bak|goster)\b"
)


def asks_to_save(masked: str) -> bool:
    """Return whether a message, its customer masked as X, asks to save what it says about her,
    the command anywhere in it ("X is left handed, write that down", "X'in hediye paketi
    istediğini yaz", "kannst du das festhalten?"); a question about the notes ("did anyone write
    down what she wanted?") asks nothing to be saved."""
    folded = strip_accents(masked.strip())
    if is_question(masked) and not _request().search(folded):
        return False
    if _word_start("note", "reported").search(folded):  # what she said, nothing asked
        clauses = re.split(r"(?<=[,.;!?–—])", folded)
        needs = _word_start("note", "reported_needs").search(folded) is not None
        return not needs and not any(is_question(c) or _ASKING_CLAUSE.match(c) for c in clauses)
    return _commands(folded) or _word_start("note", "named_commands").search(folded) is not None


def opens_with_save(masked: str) -> bool:
    """Return whether a message opens with a command to save a note ("apunta que Juanpa ha
    probado…", "note that the Velox…", "σημείωσε ότι…"): a note, whoever it names or fails to."""
    folded = strip_accents(masked.strip())
    found = _word_start("note", "commands").search(folded)
    before = _ASKING.sub("", folded[: found.start()]) if found else ""
    return (
        found is not None
        and not before.strip(" ,.!-:")
        and not (is_question(masked) and not _request().search(folded))
    )


# Asking politely before the command: "can you note that…", "porfa apunta que…" (folded).
_ASKING = re.compile(
    r"^\s*(?:(?:can|could|would|will) (?:you|u)|pls|please|plz|porfa|por favor|puedes|podrias"
    r"|kannst du|konntest du|bitte|lutfen|μπορεισ να|σε παρακαλω)(?:\s+(?:please|pls|bitte))?\s*"
)


def _commands(folded: str) -> bool:
    """Return whether a folded message holds a command to save a note outside what it asks was
    written down: "alguien dejó apuntado…?" asks, its "dejó apuntado" is no "deja apuntado"."""
    if (said := _word_start("note", "asked_written").search(folded)) is not None:
        folded = folded[: said.start()] + " " + folded[said.end() :]
    return _word_start("note", "commands").search(folded) is not None


def asks_for_ideas(masked: str) -> bool:
    """Return whether a message, its customer masked as X, asks what to show or suggest to her
    ("X is here, ideas?", "algo para el Sr. X?", "was passt zu Herrn X?", "X'e ne satabilirim"),
    never a question about using or selling a product (a product cue besides the words asking:
    "ideas to clean the kettle X bought?")."""
    asked = _word_start("ideas").search(folded := strip_accents(masked))
    return asked is not None and not _about_using(folded[: asked.start()] + folded[asked.end() :])


def wants_something(masked: str) -> bool:
    """Return whether a message says a customer wants something for a need ("X quiere algo
    para limpiar la terraza", "welche Farbe schlagen wir vor?"): rules.toml [wants], folded."""
    return _word_start("wants").search(strip_accents(masked)) is not None


def says_a_wish(masked: str) -> str | None:
    """Return what follows where a message says plainly that a customer wants or looks for
    something ("X wants new running shoes": "new running shoes", folded), None when it says no
    such thing: rules.toml [wish_said], on folded text, one denied skipped ("doesn't want the
    Hoka", "mochte den Hoka nicht": [wish_denied]). Read when ideas for her are asked."""
    folded = strip_accents(masked)
    before, after = _word_start("wish_denied", "before"), _word_start("wish_denied", "after")
    for found in _word_start("wish_said").finditer(folded):
        ahead = re.split(r"[,;.!?]", folded[: found.start()])[-1].split()[-2:]
        clause = re.split(r"[,;.!?]", folded[found.end() :])[0].split()
        if not before.search(" ".join(ahead)) and not after.search(" ".join(clause)):
            return folded[found.end() :]
    return None


def asks_what_was_said(masked: str) -> bool:
    """Return whether a message, its customer masked as X, asks what colleagues said, promised
    or want kept in mind about her ("anything I should remember about X?", "X Bey'e söz
    verilmiş mi", "was wurde Frau X versprochen?") or what was written down about her ("q
    tenemos apuntado de X?", "was steht bei Frau X?"), which her notes answer."""
    folded = strip_accents(masked)
    if _word_start("notes_cues").search(folded) is not None:
        return True
    written = _word_start("note", "asked_written").search(folded) is not None
    return written and not _commands(folded)


def ideas_asked() -> re.Pattern[str]:
    """Return the pattern of a request for ideas (`asks_for_ideas`), on folded text."""
    return _word_start("ideas")


def asks_how(text: str) -> bool:
    """Return whether a message asks how the associate does something ("how do I look up her
    sizes?", "not nasıl kaydediyorum", "πώς βλέπω τι αγόρασε;", "wie finde ich…"): read as
    help by the model, it is a question about using the assistant, however unsure."""
    return _word_start("how").search(strip_accents(text)) is not None


def asks_carry(text: str) -> bool:
    """Return whether a message asks if the shop carries a kind of product ("do we have hedge
    trimmers?", "q cortasetos tenemos?", "üst dolaplara led şerit var mı bizde", "haben wir
    Waffeleisen?"): a catalogue question, not one about stock levels."""
    return _word_start("carry").search(strip_accents(text)) is not None


def asks_errand(text: str, *, named: bool = False) -> bool:
    """Return whether a message asks for an errand outside the shop: a place or service (taxi,
    cash machine, parking, pharmacy, tailor…) asked where, or to be booked or called ("can you
    book her a taxi?", "dónde puede aparcar cerca?", "yakınlarda dönerci var mı"), which the
    assistant cannot do whatever product or customer is mentioned in passing; and anything
    asked of what the staff's own rooms have ("tenemos café en la sala de descanso?"); the
    weather or a sum asked for ("is it gonna rain?", "what's 15% of 80?"); and, unless `named`, the
    store's own running (its hours, suppliers' deliveries, the rota)."""
    folded = strip_accents(text)
    if _word_start("errand", "staff_rooms").search(folded) is not None and (
        _word_start("errand", "staff_asks").search(folded) is not None
    ):
        return True  # "is there milk left in the staff room?", not "X ist im Pausenraum, …"
    if _word_start("errand", "off_topic").search(folded) is not None:
        return True  # "is it gonna rain on saturday? planning the group ride", a sum
    if not named and _word_start("errand", "store_matters").search(folded) is not None:
        # "what time do we close on sunday", "wann bringt der Lieferant …?"; with a customer
        # `named`, her order from the supplier is in her notes
        return True
    asks = _word_start("errand", "asks").search(folded) is not None
    return asks and _word_start("errand", "places", whole=True).search(folded) is not None


@cache
def _word_start(*table: str, whole: bool = False) -> re.Pattern[str]:
    """Compile the per-language regex alternatives of a rules.toml table (its path: "note",
    "commands"), matched on folded text at the start of a word (and at its end when `whole`);
    "{X}" stands for the masked customer, one placeholder per name word ("X X")."""
    words: Any = _words()
    for key in table:
        words = words[key]
    pattern = alternatives(words).replace("{X}", r"x(?: x)*")
    end = r"(?![^\W\d_])" if whole else ""
    return re.compile(rf"(?<![^\W\d_])(?:{pattern}){end}")


def _about_using(masked: str) -> bool:
    """Return whether a message asks about using or selling a product (a product cue: "she
    already has the machine, how do I descale it?")."""
    return Intent.product in cued_intents(masked)
