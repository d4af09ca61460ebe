"""The name a customer goes by, as her preferences say it: associates type "MK", "Juanca",
"Χρύσα" or "Fritzi", not the name on file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.core.known_as import known_as, known_as_in_row
from bot.core.names import CustomerIndex, best_customers
from bot.core.text import folded_words, greek_case_forms
from bot.core.types import Caller, Intent
from bot.settings import Settings
from bot.wiring import open_database
from knowledge.embeddings import E5Embeddings
from storage.models import Customer
from tests.bot.conftest import make_assistant

ANA = Caller(name="Ana", role="associate", store="S01")


@pytest.mark.parametrize(
    ("preferences", "names"),
    [
        ("goes by Peggy; phone only, no email", ("Peggy",)),
        ("first-time homeowner. Known as 'MK'.", ("MK",)),
        ("likes to be called Bea, not Beatriz", ("Bea",)),
        ("goes by Κατερίνα / Katerina; upcycles furniture", ("Κατερίνα", "Katerina")),
        ("la llaman Lola; dolor cervical", ("Lola",)),
        ("abuelo de tres; le dicen Paco", ("Paco",)),
        ("Cano diye hitap edilmesini istiyor; nakit öder", ("Cano",)),
        ("lakabı: Memo", ("Memo",)),
        ("τη λένε Ρένα· γλυκά", ("Ρένα",)),
        # A man's name after "τον λένε" is in the accusative: its nominative too.
        ("τον λένε Μήτσο· δώρα για βαφτίσεις", ("Μήτσο", "Μήτσος")),
        ("nennt sich Max; Tochter hat Allergie", ("Max",)),
        ("möchte Kathi genannt werden", ("Kathi",)),
        ("Spitzname: Fritzi, Landhausstil", ("Fritzi",)),
        ("goes by Ollie or Olu", ("Ollie", "Olu")),
        ("τον λένε Νίκο ή Νικόλα", ("Νίκο", "Νικόλα", "Νίκος", "Νικόλας")),
        ("Τον λένε Κώστα", ("Κώστα", "Κώστας")),
        ("Call her Jo. Size M.", ("Jo",)),
        ("called Tommy; child - mum is the contact", ("Tommy",)),
        ("keen cyclist, called Jim by everyone", ("Jim",)),
        ("friends call her Bex; silver only", ("Bex",)),
        ("Pepe para los amigos; conduce de noche", ("Pepe",)),
        ("herkes 'İbo' diyor; halı saha", ("İbo",)),
        # In quotes, after a phrase the name follows.
        ("Herkes ona 'Nuri' der. Balıkçı", ("Nuri",)),
        ("Wird von allen „Kalle“ genannt. Segler", ("Kalle",)),
        ("Μήτσος για τους φίλους· προγραμματιστής", ("Μήτσος",)),
        ("bitte mit 'Herr Doktor' ansprechen; Freunde sagen Fritz", ("Fritz",)),
        ("wird Kalle genannt (nur vom Stammpersonal)", ("Kalle",)),
    ],
)
def test_preferences_say_the_name_she_goes_by(preferences: str, names: tuple[str, ...]) -> None:
    assert known_as(preferences) == names


@pytest.mark.parametrize(
    ("preferences", "first_name", "names"),
    [
        ("Anabel; ojo seco", "Ana Belén", ("Anabel",)),
        ("Kathi; Lehrerin; möchte eine Zweitbrille", "Katharina", ("Kathi",)),
        ("Κατερίνα; ξηροφθαλμία", "Αικατερίνη", ("Κατερίνα",)),
        ("prefers Raj; big lawn", "Rajesh", ("Raj",)),
        # An item that is no short form of her first name is no name.
        ("Lehrerin; Titan", "Katharina", ()),
        ("prefers WhatsApp", "Walter", ()),
        ("Silber", "Anna", ()),
        ("Anna; Silber", "Anna", ()),  # her own first name is no other name
        ("Şükran Hanım; sade ürünler", "Şükran", ()),  # her name and a title
        ("Barbour", "Barbara", ()),  # a brand starting like her name
        ("Patagonia", "Patrick", ()),
        ("Samsung", "Samuel", ()),
    ],
)
def test_an_item_that_is_a_short_form_of_her_first_name_is_a_name_she_goes_by(
    preferences: str, first_name: str, names: tuple[str, ...]
) -> None:
    assert known_as(preferences, first_name) == names


@pytest.mark.parametrize(
    "preferences",
    [
        None,
        "",
        "prefers to be called in the morning",  # no name: not capitalised
        "no phone calls; call her back on Fridays",
        "gluten-free; Victorian flat; sage green",
        "Don't call him Sergio",  # said in the negative
        "Möchte gerne Sie genannt werden",  # a pronoun
        "Ayşe Hanım diye hitap edin",  # a title
        "known as VIP customer",
        "call her ASAP",
        "she called Monday about the frames",  # called, not "called X"
        "'harika' diyor hep",  # a word she says, not a name
        "gold only; Rosen und Stauden",
        "Called Monday re sofa delivery",
        "Compra Rioja para los amigos",  # a wine
        "Αγοράζει Merlot για τους φίλους",
        "Eşi Ahmet diyor ki kırmızı sever",  # her husband
        "Termin Montag genannt",
    ],
)
def test_preferences_that_name_no_other_name_give_none(preferences: str | None) -> None:
    assert known_as(preferences) == ()


INDEX = CustomerIndex.build(
    [
        ("MK", "Mary-Kate", "O'Donnell", "goes by MK; beginner at DIY"),
        ("MR", "Mary", "Rourke", "no calls"),
        ("JC", "Juan Carlos", "de los Santos", "known as Juanca; handyman"),
        ("JL", "Juan", "López", None),
        ("CV", "Χρυσάνθη", "Βλαχογιάννη", "likes to be called Χρύσα; student"),
        ("DO", "Δημήτρης", "Οικονόμου", "τον λένε Μήτσο· βαφτίσεις"),
        ("FS", "Friederike", "zu Stolberg", "goes by Fritzi; country-house style"),
        ("FM", "Friedrich", "Maier", ""),
        ("OB", "Sean", "O'Brien"),  # rows without preferences still index
    ]
)


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("MK is back in, anything on file about her?", "MK"),
        ("hay notas de juanca?", "JC"),
        ("Juanca de los Santos ne aldı?", "JC"),
        ("η Χρύσα είχε ρωτήσει κάτι για έκπτωση;", "CV"),
        ("τι πήρε ο Μήτσος;", "DO"),
        ("για τον Μήτσο, τι να προτείνω;", "DO"),
        ("fritzi möchte ein Farbmuster, bitte vermerken", "FS"),
        ("was hat Sean O'Brien gekauft?", "OB"),
    ],
)
def test_a_customer_is_found_by_the_name_she_goes_by(text: str, customer_id: str) -> None:
    found = best_customers(INDEX.match(folded_words(text), case_forms=greek_case_forms(text)))
    assert [m.customer_id for m in found] == [customer_id]


def test_the_name_on_file_still_finds_her_and_others_keep_theirs() -> None:
    def found(text: str) -> list[str]:
        return [m.customer_id for m in best_customers(INDEX.match(folded_words(text)))]

    assert found("Friederike zu Stolberg") == ["FS"]
    assert found("Mary Rourke") == ["MR"]
    assert found("Juan López") == ["JL"]


def test_an_associate_asks_by_the_name_in_her_preferences(
    writable_dir: Path, embeddings: E5Embeddings
) -> None:
    engine = open_database(Settings(_env_file=None, DATA_DIR=writable_dir))
    with Session(engine) as db:
        maria = next(c for c in db.exec(select(Customer)) if c.first_name == "María")
    unknown = make_assistant(writable_dir, embeddings).answer(
        ANA, "what did Marité buy last time?", "t-known-as-1"
    )
    with Session(engine) as db:
        maria.preferences = f"goes by Marité; {maria.preferences or ''}"
        db.add(maria)
        db.commit()
        customer_id = maria.customer_id

    reply = make_assistant(writable_dir, embeddings).answer(
        ANA, "what did Marité buy last time?", "t-known-as-2"
    )

    assert unknown.customer_id is None
    assert reply.intent == Intent.history
    assert reply.customer_id == customer_id


def test_a_note_that_says_the_name_she_goes_by_finds_her_by_it() -> None:
    index = CustomerIndex.build(
        [
            (
                "EF",
                "Eleanor",
                "Fraser",
                None,
                ("Arthritis in her hands.", "Prefers to be called Nell."),
            ),
            ("KS", "Katharina", "Schäfer", "", ("Wird Kathi genannt. Sammelt Stapelringe.",)),
            ("EB", "Eleanor", "Brooks", None, ("Asked about Nell Fraser's ring.",)),
            # Notes that speak of calls and deliveries name no one she goes by.
            ("AM", "Anna", "Moser", None, ("called Maria back, no answer", "call her Monday")),
            ("AL", "Anna-Lena", "Roth", None, ("Lieferung der Vorhänge am 04.12. bestätigt.",)),
        ]
    )

    def found(text: str) -> list[str]:
        matches = index.match(folded_words(text), case_forms=greek_case_forms(text))
        return [m.customer_id for m in best_customers(matches)]

    assert found("nell's notes pls") == ["EF"]
    assert found("Kathi kommt Samstag wieder") == ["KS"]
    assert found("Eleanor Brooks") == ["EB"]  # a name a note only mentions is nobody's
    assert found("was Maria in on Monday?") == []
    assert found("Lieferung für Frau Roth") == ["AL"]


def test_a_name_she_goes_by_saved_in_a_note_finds_her_at_once(
    writable_dir: Path, embeddings: E5Embeddings
) -> None:
    engine = open_database(Settings(_env_file=None, DATA_DIR=writable_dir))
    with Session(engine) as db:
        maria = next(c for c in db.exec(select(Customer)) if c.first_name == "María")
    assistant = make_assistant(writable_dir, embeddings)
    before = assistant.answer(ANA, "what did Marité buy last time?", "t-known-as-note-1")

    saved = assistant.answer(
        ANA,
        f"note for {maria.first_name} {maria.last_name}: prefers to be called Marité",
        "t-known-as-note-2",
    )
    after = assistant.answer(ANA, "what did Marité buy last time?", "t-known-as-note-3")

    assert before.customer_id is None
    assert saved.intent == Intent.note
    assert (after.intent, after.customer_id) == (Intent.history, maria.customer_id)


def test_her_own_surname_with_a_title_is_no_other_name() -> None:
    """ "Likes to be called Mrs Baker" names nothing new: "Mr Baker" is still her husband, and
    "Baker" alone is not her whole name."""
    index = CustomerIndex.build(
        [
            ("RB", "Rose", "Baker", None, ("Likes to be called Mrs Baker.",)),
            ("DB", "Daniel", "Baker", "buys gifts for his wife"),
            ("HL", "Hannelore", "Lutz", "möchte Frau Lutz genannt werden; nennt sich Hanni"),
        ]
    )

    assert known_as_in_row(("RB", "Rose", "Baker", None, ("Likes to be called Mrs Baker.",))) == ()
    assert known_as_in_row(
        ("HL", "Hannelore", "Lutz", "möchte Frau Lutz genannt werden; nennt sich Hanni")
    ) == ("Hanni",)
    found = index.match(folded_words("is mr baker signed up for marketing?"))
    assert {m.customer_id: m.coverage for m in found} == {"RB": 0.5, "DB": 0.5}
