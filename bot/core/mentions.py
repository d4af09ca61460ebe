"""Who a message mentions: the customers its words name, the words that read as a name nobody
has, and the message with the name masked for the intent classifier."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import replace
from functools import cache

from sqlmodel import Session

from bot.core.catalogue import best_customers
from bot.core.common_words import is_common, is_everyday
from bot.core.datafiles import read_toml
from bot.core.given_name_gender import given_name_gender
from bot.core.intents import PLACEHOLDER
from bot.core.lookalike_names import greek_word_for_latin, marked_word
from bot.core.name_cues import called_words, capitalised
from bot.core.name_forms import name_lists, title_forms
from bot.core.name_sounds import typed_sounds
from bot.core.names import NameMatch
from bot.core.periods import relative_period_words
from bot.core.product_words import english_terms
from bot.core.retrieval import Retrieval
from bot.core.text import (
    FOLDED_STOP_WORDS,
    GREEK_FEMININE,
    cut_ending,
    fold,
    folded_words,
    greek_article_gender,
    greek_case_forms,
    is_cjk,
    replace_words,
    strip_accents,
    words,
)
from bot.core.vocabulary import question_words, unknown_names
from storage.customers import customer_names
from storage.models import Conversation

# Words that point back at the customer or product already being discussed.
PRONOUNS = frozenset(
    fold(w)
    for w in "she her hers he him his they them their it ella él su sus lo la o onun ona "
    "αυτή αυτός της του ihr ihre ihm ihn sie er sein seine onu".split()
)
_GREEK_PRONOUNS = frozenset(fold(w) for w in "αυτή αυτός αυτόν αυτήν της του".split())


def refers_back(text: str) -> bool:
    """Return whether a message points back with a pronoun (PRONOUNS). A word in Greek letters
    counts only as a Greek pronoun: the article "ο" is no Turkish "o" ("he", "she")."""
    for word in words(text):
        folded = fold(word)
        if folded in PRONOUNS and (folded in _GREEK_PRONOUNS or not _is_greek(word)):
            return True
    return False


# Pronouns that can only point at a person, as typed (accents kept: "él", not the article "el").
_PERSON_PRONOUNS = frozenset(
    "she her hers he him his ella él ellos ona onun ona onu sie ihr ihre ihm er αυτή αυτός "
    "αυτήν αυτόν".split()
)


def names_a_person_back(text: str) -> bool:
    """Return whether a message points back at a person with a pronoun that is never an
    article or a conjunction ("is her birthday this month?"; not Spanish "la", "o")."""
    return any(w.casefold() in _PERSON_PRONOUNS for w in words(text))


def _is_greek(word: str) -> bool:
    return any("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in word)


def typed_together(typed: list[str], names: list[str]) -> bool:
    """Return whether two of `names` are typed one after the other ("Ana Pérez")."""
    return any(a in names and b in names for a, b in itertools.pairwise(typed))


def name_matches(
    r: Retrieval,
    db: Session,
    text: str,
    folded: list[str],
    product_words: set[str],
    conversation: Conversation,
) -> list[NameMatch]:
    """Return the customers the message `text` (its folded words `folded`) names. Product
    words are left to the product unless a whole name is typed with them ("April Stone");
    pronouns ("su", "ella", "αυτός") match only exactly and as ordinary words, and with a
    customer under discussion they refer to her. Greek names match in any case ("του Γιώργου"),
    names typed in the other script by their sound ("Ουμούτ" for Umut). Only customers in the
    caller's scope match (`Retrieval.in_scope`)."""
    index = r.catalogue.customers
    cases = greek_case_forms(text)
    sounds = typed_sounds(text)
    # "call rose": the person, even when a product is named "… rose" too
    skip = product_words - called_words(text) if product_words else product_words
    found = index.match(folded, skip=skip, common=PRONOUNS, case_forms=cases, sounds=sounds)
    matches = best_customers(r.in_scope(db, found))
    if product_words:
        every = index.match(folded, common=PRONOUNS, case_forms=cases, sounds=sounds)
        whole = [
            m
            for m in best_customers(r.in_scope(db, every))
            if m.coverage == 1.0 and len(m.words) >= 2 and m.exact and not m.common_word
        ]
        if whole and whole[0].words & product_words:
            matches = whole
    if conversation.customer_id or conversation.candidates:
        matches = [m for m in matches if not (m.common_word and m.words <= PRONOUNS)]
    # A common word typed in lower case that is only a typo of a name is read as an ordinary
    # word is ("quiere moler su café" names no Møller; "welche Größe hat weis?" may be Weiß):
    # a name when the message asks about a person. Beside a title ("herr weis") it is her name.
    matches = [
        replace(m, common_word=True) if not m.exact and _word_not_name(text, m.words) else m
        for m in matches
    ]
    if len(matches) > 1:
        # "Deniz bu ay ne kadar harcadı?": "bu ay" (this month) is no customer Ay.
        period = relative_period_words(text)
        matches = [m for m in matches if not m.words <= period] or matches

    stored: dict[str, tuple[str | None, str | None]] = {}

    def names(ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
        # Read once for both tie-breaks below.
        if missing := [i for i in ids if i not in stored]:
            stored.update(
                (c.customer_id, (c.first_name, c.last_name)) for c in r.customers(db, missing)
            )
        return {i: stored[i] for i in ids if i in stored}

    if matches:
        # "şu müşteri ne aldı": that customer, not Su Demir (a mark her name lacks, everyday so)
        said = names([m.customer_id for m in matches])
        matches = [m for m in matches if not marked_word(text, m.words, said.get(m.customer_id))]
        # "ψάχνει δώρο": a gift, not Dorothea ("Doro"), a Greek word for a name in Latin ones;
        # an ordinary word, left out beside a name that is none
        greek = [
            m for m in matches if greek_word_for_latin(text, m.words, said.get(m.customer_id))
        ]
        if greek and len(greek) < len(matches):
            matches = [m for m in matches if m not in greek]
        else:
            matches = [replace(m, common_word=True) if m in greek else m for m in matches]

    def records(customer_id: str) -> str:
        # Her preferences and notes, which may call her "Deniz Hanım" (read only to tell apart).
        rows = customer_names(session=db, customer_id=customer_id)
        return "\n".join([rows[0][3] or "", *rows[0][4]]) if rows else ""

    return by_particles(folded, by_title(text, folded, matches, names, records), names)


def _word_not_name(text: str, said: frozenset[str]) -> bool:
    """Return whether the words a typo match rests on are common words of the five languages
    (common_words.is_common), none typed with a capital nor beside a title."""
    if not all(is_common(w) for w in said) or capitalised(text, set(said)):
        return False
    return said.isdisjoint(fold(w) for w in _titled(words(text)))


def by_particles(
    folded: Sequence[str],
    matches: list[NameMatch],
    names: Callable[[list[str]], Mapping[str, tuple[str | None, str | None]]],
) -> list[NameMatch]:
    """Return the matches whose surname has the particles typed right before it, when several
    share the name: "Herr von Brandt" is Wolfgang von Brandt, not Gisela Brandt. A tie-break
    only: with no particle typed, or none fitting, the matches are returned as they are."""
    particles = name_lists().particles
    if len(matches) < 2 or not particles.intersection(folded):
        return matches
    fitting = []
    for customer_id, (_, last) in names([m.customer_id for m in matches]).items():
        stored = [fold(w) for w in words(last or "")]
        own = [w for w in stored if w in particles]
        core = [w for w in stored if w not in particles]
        if (
            own
            and core
            and any(
                w == core[0] and list(folded[max(0, i - len(own)) : i]) == own
                for i, w in enumerate(folded)
            )
        ):
            fitting.append(customer_id)
    return [m for m in matches if m.customer_id in fitting] or matches


# Greek surnames as Latin letters spell them (ELOT 743): Papadopoulos, -poulou, Karagiannis,
# -anni, Alexiou, Vlachos, Kostas; with one of these, a first name's ending tells the gender.
_GREEK_SURNAME = re.compile(r"(?:os|is|as|es|ou|aki|idi|nni|lli|ri)$")
_GREEK_LETTER = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")


def greek_style_gender(first: str | None, last: str | None) -> str | None:
    """Return "m" or "f" for a Greek name, in Greek letters or with a Greek surname in Latin
    ones, by its first name's ending (`CustomerIndex.greek_gender`'s rule: Νίκος, Kostas,
    Ηλίας are men; Μαρία, Eleni women); None for other names, whose endings say nothing sure
    (Björn, Uwe, Agnes, Dolores)."""
    greek = _GREEK_LETTER.search(f"{first or ''}{last or ''}") is not None
    if not greek and not _GREEK_SURNAME.search(fold(last or "")):
        return None
    return "m" if fold(first or "").endswith("s") else "f"


def customer_gender(first: str | None, last: str | None) -> str | None:
    """Return "m" or "f" for a customer as her name tells it: by who mostly bears her first
    name (bot.core.given_name_gender: Sarah, Jürgen, Liam Hughes, Juan Reyes), else a Greek
    name by its first name's ending (`greek_style_gender`); None when the name does not say."""
    return given_name_gender(first) or greek_style_gender(first, last)


def by_title(
    text: str,
    folded: Sequence[str],
    matches: list[NameMatch],
    names: Callable[[list[str]], Mapping[str, tuple[str | None, str | None]]],
    records: Callable[[str], str] | None = None,
) -> list[NameMatch]:
    """Return the matches a title or a Greek article next to the name fits, when several
    share it: "Frau Athanasiou", "της κας Αθανασίου", "Mrs Whitfield" is the woman, "Herrn",
    "Sr.", "κου", "Athanasiou Bey" the man. `names` gives the matched customers' (first, last)
    names; their records (`records`: preferences and notes) may give each a title ("Deniz
    Hanım", "Herr Novak"), which says more than who mostly bears her first name
    (`customer_gender`: Andrea); one whose gender neither says always fits. A tie-break
    only: when none fits, or one matched, the matches are returned as they are."""
    if len(matches) < 2:
        return matches
    name_words: set[str] = set().union(*(m.words for m in matches))
    gender = title_gender(folded, name_words) or greek_article_gender(text, name_words)
    if gender is None:
        return matches
    stored = names([m.customer_id for m in matches])

    def gender_of(customer_id: str) -> str | None:
        first, last = stored.get(customer_id, (None, None))
        # A title beside her first name ("Deniz Hanım"), not her surname ("el señor Navarro"
        # in her notes may be her husband)
        own = {fold(w) for w in words(first or "")}
        on_record = records and title_gender(folded_words(records(customer_id)), own)
        return on_record or customer_gender(first, last)

    fitting = [m for m in matches if gender_of(m.customer_id) in (gender, None)]
    return fitting or matches


def title_gender(folded: Sequence[str], name_words: Set[str]) -> str | None:
    """Return "m" or "f" for the first title that says a man or a woman (data/names.toml)
    right before a word of the name, a surname's particles between ("Herrn Athanasiou", "Sra.
    Ruiz", "el sr de la Fuente", "της κας Αθανασίου") or, for a Turkish one, right after it,
    perhaps with a case ending ("Athanasiou Bey", "Yılmaz Bey'in"); None when there is none."""
    lists = name_lists()
    for i, word in enumerate(folded):
        if word not in name_words:
            continue
        j = i - 1
        while j >= 0 and folded[j] in lists.particles:
            j -= 1
        if j >= 0 and (gender := lists.genders.get(folded[j])):
            return gender
        if j >= 0 and folded[j] == "k":  # κ.: a woman after a feminine article, else a man
            return "f" if j > 0 and folded[j - 1] in GREEK_FEMININE else "m"
        after = cut_ending(folded[i + 1]) if i + 1 < len(folded) else ""
        if after in lists.titles_after:
            return lists.genders.get(after)
    return None


def mask_name(text: str, name_words: set[str]) -> str:
    """Return the message with the customer's name words replaced by PLACEHOLDER, keeping
    punctuation and Turkish case endings ("Çağla'nın bedeni?" → "X'nın bedeni?"), also inside
    a run of Chinese, Japanese or Korean written without spaces."""
    cjk = [w for w in name_words if is_cjk(w)]

    def mask(word: str) -> str | None:
        if fold(word) in name_words:
            return PLACEHOLDER
        stem = cut_ending(word)
        if stem != word and fold(stem) in name_words:
            return PLACEHOLDER + word[len(stem) :]
        for name in cjk:
            word = word.replace(name, f" {PLACEHOLDER} ")
        return word.strip()

    return replace_words(text, mask) if name_words else text


_ASIDE = re.compile(r"\([^()]*\)")


def split_name(text: str, matches: Sequence[NameMatch]) -> bool:
    """Return whether two words typed one after the other, as a first and last name are, are
    each matched by customers the other is not ("Siobhan Kelly": two Siobhans, and Aoife
    Kelly), and no customer by both: a name nobody has, not a choice between them."""
    typed = [fold(w) for w in words(text)]
    for a, b in itertools.pairwise(typed):
        has = [(a in m.words, b in m.words) for m in matches]
        if (True, False) in has and (False, True) in has and (True, True) not in has:
            return True
    return False


def name_rest(
    r: Retrieval, text: str, name_words: set[str], product_words: set[str], categories: list[str]
) -> set[str]:
    """Return the unknown capitalised words typed next to the matched name's words; before
    them, also one a typo from a question word ("Emine Kaya": a first name nobody has). Words
    in brackets are an aside, not the name's rest ("Şahin (Baufirma)")."""
    text = _ASIDE.sub(" ", text)
    typed = words(text)
    known = product_words | name_words
    unknown = set(unknown_in(r, text, known, categories, pronoun=True))
    first = set(unknown_in(r, text, known, categories, pronoun=True, typos_too=True))
    rest: set[str] = set()
    titles = name_lists().titles
    for i, word in enumerate(typed):
        if fold(word) in name_words:
            # A surname after a title is whole: "Frau Müller-Lüdenscheidts Badsanierung".
            titled = i > 0 and bool(title_forms([fold(typed[i - 1])]) & titles)
            before = typed[i - 1 : i] if i and typed[i - 1] in first else []
            rest.update(
                w
                for w in [*before, *typed[i : i + (1 if titled else 2)]]
                if (w in unknown or w in before) and not title_forms([fold(w)]) & titles
            )
    return rest


def unknown_in(
    r: Retrieval,
    text: str,
    product_words: set[str],
    categories: list[str],
    *,
    pronoun: bool,
    typos_too: bool = False,
) -> list[str]:
    """Return the words of `text` that read as a name nobody has: none of the products' or
    categories' words, nor a kind of product in the associate's language (bot.core.product_words:
    "Tennisarmband", "Hülle"); only capitalised ones after a pronoun or beside a shopper nobody
    named (`pronoun`: "lady wants something keepsake-y" names no "Keepsake"); capitalised
    words a typo from a question word too with `typos_too` (vocabulary.unknown_names)."""
    known = set(product_words) | {fold(w) for c in categories for w in words(c)}
    typed = words(text)
    products = (known, r.catalogue.products.by_token)
    found = unknown_names(typed, known=products, capitalised_only=pronoun, typos_too=typos_too)
    # Beside a title a word that is no everyday one is a name, in lower case too and even a
    # letter from some word ("herr hoffmann", "selin hanım"; not "der Herr sucht…").
    titles = name_lists().titles | name_lists().titles_after
    titled = _titled(typed)
    found = [
        w
        for w in typed
        if w in found
        or (
            w in titled
            and len(folded := fold(w)) >= 3
            and folded.isalpha()
            and not (
                folded in FOLDED_STOP_WORDS | question_words() or title_forms([folded]) & titles
            )
            and not (folded in name_lists().particles or any(folded in k for k in products))
            and not is_everyday(folded)  # "evet abla, …", "der Herr sucht…"
        )
    ]
    return [w for w in found if not english_terms(w, naming=True)]


def describe_the_product(r: Retrieval, typed: Sequence[str], sku: str) -> bool:
    """Return whether words taken for a name nobody has all describe, in the associate's
    language, the product `sku` a message is about (`ProductLookup.named_in_english` with
    head nouns: "Hülle fürs X12 Pro" is about a phone case, and "Hülle" names no one);
    False for no words."""
    return bool(typed) and all(r.named_in_english(w, heads=True) == sku for w in typed)


@cache
def someone_words() -> frozenset[str]:
    """Return the words for a shopper nobody named ("customer", "Kundin", "müşteri";
    wishes.toml [someone]), in `strip_accents` form."""
    by_language = read_toml("wishes.toml")["someone"]
    return frozenset(w for line in by_language.values() for w in line.split())


def speaks_of_someone(text: str) -> bool:
    """Return whether a message speaks of a shopper nobody named ("a lady wants…")."""
    return not someone_words().isdisjoint(re.findall(r"[^\W\d_]+", strip_accents(text)))


def _titled(typed: Sequence[str]) -> set[str]:
    """Return the words typed as names beside a title: before one that follows the name
    ("hakan bey"), or after one that is no noun here: abbreviated ("ο κ. παπαδάκης") or with
    no article before it ("herr hoffmann", not "der herr sucht…")."""
    titles, after, articles = name_lists().titles, name_lists().titles_after, _title_articles()
    folded = [fold(w) for w in typed]
    found = {w for w, next_ in itertools.pairwise(typed) if title_forms([fold(next_)]) & after}
    return found | {
        typed[i]
        for i in range(1, len(typed))
        if title_forms([folded[i - 1]]) & titles
        and (len(folded[i - 1]) <= 3 or i < 2 or folded[i - 2] not in articles)
    }


@cache
def _title_articles() -> frozenset[str]:
    return frozenset(fold(w) for w in read_toml("names.toml")["title_articles"])


def after_a_title(typed: Sequence[str], unknown: Sequence[str]) -> bool:
    """Return whether a word taken for a name nobody has stands right after a title ("Wer ist
    Herr Zimmermann?", "la Sra. Brandtner", "ο κ. Ζήσης"), or before one that follows the name
    ("hakan bey"): a person's name, as a first and last name typed together are."""
    titles, after = name_lists().titles, name_lists().titles_after
    return any(
        (i > 0 and bool(title_forms([fold(typed[i - 1])]) & titles))
        or (i + 1 < len(typed) and bool(title_forms([fold(typed[i + 1])]) & after))
        for i, word in enumerate(typed)
        if word in unknown
    )


def full_unknown_name(r: Retrieval, text: str, *, typos: bool = True) -> list[str]:
    """Return the capitalised words nobody's name has when two of them are typed one after the
    other, as a first and last name are ("Araminta Wexleyford burada"), else []; with `typos`,
    or after a title ("la sra. Carmen Ortiz"), also words a letter from a known word ("Carmen";
    without: "Ihre Lezten Einkäfe?" is no name)."""
    typed = words(text)
    capitalised = unknown_in(r, text, set(), [], pronoun=True, typos_too=True)  # only those
    place = typed.index(capitalised[0]) if capitalised and capitalised[0] in typed else 0
    if not typos and not (place and title_forms([fold(typed[place - 1])]) & name_lists().titles):
        capitalised = unknown_in(r, text, set(), [], pronoun=True)  # after a title: typos too
    return capitalised if typed_together(typed, capitalised) else []
