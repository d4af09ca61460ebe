"""Customer names as associates really type them: apostrophes, first names that are ordinary
words, Chinese, Japanese and Korean names without spaces, surname particles, typos."""

from __future__ import annotations

import pytest

from bot.core.catalogue import ProductIndex, ProductInfo
from bot.core.name_cues import beside_a_pronoun
from bot.core.names import CustomerIndex, NameMatch, best_customers
from bot.core.text import fold, folded_words, greek_case_forms, is_cjk, word_forms, words
from bot.core.wording import full_name, notes_text, short_name
from storage.models import Customer

STORE = [
    ("OB", "Sean", "O'Brien"),
    ("DS", "Priya", "D’Souza"),
    ("ON", "Aoife", "O’Neill"),
    ("WT", "Will", "Turner"),
    ("CO", "Can", "Öztürk"),
    ("SY", "Su", "Yılmaz"),
    ("CY", "Çağla", "Yılmaz"),
    ("HT", "Hiroshi", "Tanaka"),
    ("EF", "Ella", "Fischer"),
    ("RS", "Rose", "Schmidt"),
    ("WW", "伟", "王"),
    ("LM", "伟明", "李"),
    ("ST", "翔太", "佐藤"),
    ("KM", "민준", "김"),
    ("JB", "Jan", "van der Berg"),
    ("RC", "Rosa", "de la Cruz"),
    ("GM", "Gabriel", "García Márquez"),
    ("EI", "Emma", "Ioannidou-Brookham"),
    ("EP", "Eleni", "Papadopoulou"),
    ("NP", "Nikos", "Papadopoulos"),
    ("JR", "Julio", "Ramos"),
    ("AS", "April", "Stone"),
    ("MA", "Maria", "López"),
    ("MC", "Marie", "Curie"),
    ("VM", "Van", "Morrison"),
    # Greek names stored in Latin letters (ELOT 743) and in Greek script.
    ("GK", "Giorgos", "Karagiannis"),
    ("KK", "Katerina", "Karagianni"),
    ("KS", "Kostas", "Karagiannis"),
    ("PV", "Pavlos", "Vlachos"),
    ("EV", "Ευάγγελος", "Μπούρας"),
    ("DA", "Δέσποινα", "Αλεξίου"),
    # German surnames that are nouns (a cook, a tailor), and a shop chain's name
    ("SK", "Sabine", "Koch"),
    ("PM", "Petra", "Müller"),
    # Both parts everyday Turkish words (April, lion) and a surname meaning iron
    ("NA", "Nisan", "Arslan"),
    ("SD", "Serkan", "Demir"),
    ("RF", "Rosa", "Flores"),
]
INDEX = CustomerIndex.build(STORE)


def _matches(text: str) -> list[NameMatch]:
    return best_customers(INDEX.match(folded_words(text), case_forms=greek_case_forms(text)))


def _resolve(text: str) -> list[str]:
    return [m.customer_id for m in _matches(text)]


def _customer(customer_id: str) -> Customer:
    _, first, last = next(row for row in STORE if row[0] == customer_id)
    return Customer(customer_id=customer_id, first_name=first, last_name=last)


# --- apostrophes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("what did O'Brien buy?", "OB"),
        ("what did O’Brien buy?", "OB"),  # the phone keyboard's apostrophe
        ("what did o'brien buy", "OB"),
        ("OBrien", "OB"),
        ("O Brien", "OB"),
        ("Sean OBrian", "OB"),  # and a typo
        ("D'Souza", "DS"),
        ("d’souza", "DS"),
        ("Dsouza", "DS"),
        ("Souza", "DS"),
        ("Aoife O'Neill", "ON"),
        ("O'Neil", "ON"),
    ],
)
def test_a_name_with_an_apostrophe_is_found_however_it_is_typed(
    text: str, customer_id: str
) -> None:
    assert _resolve(text) == [customer_id]


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("Çağla'nın notları", "CY"),
        ("Hiroshi'ye ne önerirsin?", "HT"),
        ("Tanaka’ya göster", "HT"),  # curly apostrophe
        ("D’Souza'nın bedeni ne?", "DS"),  # a case ending on a name with an apostrophe
        ("O'Brien'a ne aldı?", "OB"),
        ("what did Julio's wife buy?", "JR"),  # an English possessive, likewise
    ],
)
def test_a_turkish_case_ending_is_cut_but_never_a_stored_name(text: str, customer_id: str) -> None:
    assert _resolve(text) == [customer_id]


def test_words_keep_a_names_apostrophe_and_cut_a_case_ending() -> None:
    assert words("O'Brien D’Souza Çağla'nın C0042'nin D'Souza'ya") == [
        "O'Brien",
        "D’Souza",
        "Çağla",
        "C0042",
        "D'Souza",
    ]
    assert folded_words("O’Brien Çağla'nın") == ["o'brien", "cagla'nin"]
    assert word_forms("d'souza'nin") == ["d'souza'nin", "d'souza", "dsouzanin", "dsouza"]


def test_the_matched_words_are_those_the_assistant_masks() -> None:
    # The assistant masks `fold(w) for w in words(text)`: every such word of the name is listed.
    for text in ("what did O’Brien buy?", "Çağla'nın notları", "Emma Ioannidou-Brookham"):
        (match,) = _matches(text)
        assert [w for w in words(text) if fold(w) in match.words]


def test_a_turkish_ending_on_a_sku_or_category_still_names_it() -> None:
    index = ProductIndex([ProductInfo("FTW-1", "Ghost 16", "Kahve")])

    assert index.find_sku(folded_words("FTW-1'i kim aldı?")) == "FTW-1"
    assert index.categories_named(folded_words("kahve'yi sever")) == ["Kahve"]


# --- first names that are ordinary words ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("what did Will buy?", "WT"),
        ("what did Can buy?", "CO"),
        ("Su'ya ne önerirsin?", "SY"),
        ("Ella", "EF"),
        ("Rose", "RS"),
        ("Julio", "JR"),
        ("Van", "VM"),
    ],
)
def test_a_first_name_that_is_an_ordinary_word_matches_and_says_so(
    text: str, customer_id: str
) -> None:
    (match,) = _matches(text)
    assert match.customer_id == customer_id
    assert match.common_word


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("what can I show her with the V60?", True),
        ("I can offer him the grinder", True),
        ("ich weiß nicht, was ich ihr zeigen soll", True),
        ("weiß sie ihre Größe?", True),
        ("what did Can buy?", False),  # capitalised inside a sentence: the name
        ("can is here, what should I show him", False),  # no pronoun beside it
        ("what can Can wear? can I see?", False),  # once as a name
    ],
)
def test_an_ordinary_word_beside_a_subject_pronoun_is_the_word(text: str, word: bool) -> None:
    assert beside_a_pronoun(text, {"can", "weiss", "weiß"}) is word


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [("Will Turner", "WT"), ("Can Öztürk", "CO"), ("Su Yılmaz", "SY"), ("Julio Ramos", "JR")],
)
def test_a_common_first_name_with_the_surname_is_no_common_match(
    text: str, customer_id: str
) -> None:
    (match,) = _matches(text)
    assert match.customer_id == customer_id
    assert not match.common_word


def test_a_real_name_wins_over_ordinary_words_that_are_names() -> None:
    assert _resolve("can you tell me what Maria bought?") == ["MA"]
    assert _resolve("will Rosa de la Cruz like this?") == ["RC"]
    # match() still returns them, last.
    ranked = INDEX.match(folded_words("can you tell me what Maria bought?"))
    assert [m.customer_id for m in ranked] == ["MA", "CO"]


def test_an_ordinary_word_never_matches_a_name_with_a_typo() -> None:
    index = CustomerIndex.build([("E1", "Elle", "Martin"), ("N1", "Nell", "Gwyn")])

    assert index.match(folded_words("can you tell me if ella likes it?")) == []
    # A name typed with a typo still finds it.
    assert [m.customer_id for m in index.match(folded_words("Elee Martin"))] == ["E1"]


def test_words_the_caller_calls_ordinary_match_only_exactly_and_are_flagged() -> None:
    # The assistant passes its pronouns ("su" is Spanish "her"): a name, but never by a typo.
    index = CustomerIndex.build([("M1", "Martha", "Kay"), ("S1", "Su", "Aksoy")])

    assert [m.customer_id for m in index.match(["marta"])] == ["M1"]
    assert index.match(["marta"], common={"marta"}) == []
    (match,) = index.match(folded_words("Su ne aldı?"), common={"su"})
    assert match.customer_id == "S1"
    assert match.common_word


def test_a_message_of_ordinary_words_names_nobody_when_no_one_has_those_names() -> None:
    index = CustomerIndex.build([("T1", "Tell", "Sun")])

    assert index.match(folded_words("what did she buy in the sun shop")) != []
    assert index.match(folded_words("what did she buy?")) == []


# --- Chinese, Japanese and Korean names -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("王伟", "WW"),
        ("王伟买了什么?", "WW"),
        ("王 伟", "WW"),
        ("王", "WW"),  # typed alone, as a surname
        ("王先生买了什么", "WW"),
        ("Wang Wei", "WW"),
        ("wangwei", "WW"),
        ("伟明买过什么", "LM"),
        ("佐藤翔太", "ST"),
        ("佐藤 翔太", "ST"),
        ("佐藤さんは何を買いましたか", "ST"),
        ("翔太", "ST"),
        ("김민준", "KM"),
        ("김민준 씨가 뭘 샀어?", "KM"),
        ("민준이 뭐 샀어?", "KM"),
        ("Gim Minjun", "KM"),  # as anyascii romanises it
    ],
)
def test_a_cjk_name_is_found_inside_a_run_of_letters(text: str, customer_id: str) -> None:
    assert _resolve(text) == [customer_id]


@pytest.mark.parametrize("text", ["伟大的产品", "汪伟", "김치 냄비", "王老吉", "这个很伟大"])
def test_a_one_letter_cjk_name_part_inside_other_words_names_nobody(text: str) -> None:
    # 王 alone is only a surname; 汪 sounds like 王 but is another name.
    assert "WW" not in _resolve(text)
    assert "KM" not in _resolve(text)


def test_fold_keeps_cjk_in_its_own_script_and_romanises_the_rest() -> None:
    assert fold("王伟 Νίκος D’Souza ｻﾄｳ") == "王伟 nikos d'souza サトウ"
    assert is_cjk("佐藤")
    assert is_cjk("김민준")
    assert not is_cjk("Wang")
    assert not is_cjk("")


@pytest.mark.parametrize(
    ("customer_id", "full", "short"),
    [
        ("WW", "王伟", "王伟"),
        ("ST", "佐藤翔太", "佐藤翔太"),
        ("KM", "김민준", "김민준"),
        ("JB", "Jan van der Berg", "Jan"),
        ("OB", "Sean O'Brien", "Sean"),
    ],
)
def test_names_are_shown_in_their_own_order(customer_id: str, full: str, short: str) -> None:
    customer = _customer(customer_id)

    assert full_name(customer) == full
    assert short_name(customer) == short


def test_the_note_hint_addresses_a_cjk_customer_by_the_whole_name() -> None:
    assert notes_text(_customer("WW"), []).endswith("note for 王伟: …")
    assert notes_text(_customer("AS"), []).endswith("note for April: …")


def test_a_name_missing_a_part_shows_what_there_is() -> None:
    assert full_name(Customer(customer_id="X1", last_name="王")) == "王"
    assert full_name(Customer(customer_id="X2")) == "X2"


# --- particles and compound surnames ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("Jan van der Berg", "JB"),
        ("van der Berg", "JB"),
        ("Berg", "JB"),
        ("Vanderberg", "JB"),
        ("Rosa de la Cruz", "RC"),
        ("de la Cruz", "RC"),
        ("Cruz", "RC"),
        ("García Márquez", "GM"),
        ("Márquez", "GM"),
        ("Gabriel Garcia", "GM"),
        ("Emma Ioannidou-Brookham", "EI"),
        ("Brookham", "EI"),
    ],
)
def test_a_compound_surname_is_found_whole_or_by_its_main_part(
    text: str, customer_id: str
) -> None:
    assert _resolve(text) == [customer_id]


def test_a_whole_name_with_particles_covers_the_name() -> None:
    (match,) = _matches("Jan van der Berg")
    assert match.coverage == 1.0
    assert match.score == 2.0


@pytest.mark.parametrize("text", ["de", "la", "van der", "de la", "der"])
def test_particles_alone_make_no_match(text: str) -> None:
    assert "JB" not in _resolve(text)
    assert "RC" not in _resolve(text)


def test_two_forms_of_a_greek_surname_stay_two_customers() -> None:
    assert _resolve("Papadopoulou") == ["EP"]
    assert _resolve("Papadopoulos") == ["NP"]
    # The exact surname leaves the other form out entirely, not just below it.
    assert [m.customer_id for m in INDEX.match(folded_words("Papadopoulos"))] == ["NP"]
    # With the first name and the other form of the surname, the first name decides.
    assert _resolve("Eleni Papadopoulos") == ["EP"]
    assert _resolve("Nikos Papadopoulou") == ["NP"]


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        # accusative and genitive of a man's name, stored in Latin letters
        ("σημείωσε για τον Γιώργο Καραγιάννη: προτιμά SMS", "GK"),
        ("τι πήρε ο Γιώργος Καραγιάννης;", "GK"),
        ("τα νούμερα του Γιώργου Καραγιάννη", "GK"),
        ("πες στον Κώστα Καραγιάννη ότι ήρθε", "KS"),
        # a woman's name in the genitive, and her surname that is also a man's genitive
        ("οι σημειώσεις της Κατερίνας Καραγιάννη", "KK"),
        ("τι αγόρασε η Κατερίνα Καραγιάννη;", "KK"),
        # ου, αυ, ευ and γγ read as Latin spelling writes them (ELOT 743)
        ("τι πήρε ο Παύλος Βλάχος;", "PV"),
        ("του Παύλου Βλάχου", "PV"),
        ("what did Evangelos Bouras buy?", "EV"),
        ("Despoina Alexiou sizes", "DA"),
    ],
)
def test_a_greek_name_is_found_in_any_case_and_either_script(text: str, customer_id: str) -> None:
    assert _resolve(text) == [customer_id]


def test_the_article_tells_a_mans_genitive_from_a_womans_surname() -> None:
    # Καραγιάννη is Ms Katerina Karagianni as typed, and the genitive of Mr Karagiannis.
    assert _resolve("της Καραγιάννη") == ["KK"]
    assert set(_resolve("του κ. Καραγιάννη")) == {"GK", "KS"}
    assert "KK" not in _resolve("του κ. Καραγιάννη")
    # With no article, the name as typed comes first.
    assert _resolve("Καραγιάννη")[0] == "KK"


def test_greek_case_forms_are_offered_only_for_greek_letters() -> None:
    assert greek_case_forms("what did Giorgo buy?") == {}
    forms = greek_case_forms("τον Γιώργο")
    assert forms == {"giorgo": (("giorgos",), True)}
    assert greek_case_forms("της Μαρίας")["marias"] == (("maria",), False)
    # A Greek name typed in Latin letters right after a Greek article is declined too.
    latin = greek_case_forms("σημειώσεις για τον Nikolao Kefala;")
    assert latin["nikolao"] == (("nikolaos",), True)
    assert latin["kefala"] == (("kefalas",), True)
    assert greek_case_forms("a ton of Giorgo's stuff") == {}  # no Greek article


def test_a_hyphenated_word_names_a_customer_only_when_every_piece_is_hers() -> None:
    assert _resolve("Ioannidou-Brookham") == ["EI"]
    assert _resolve("what did Müller buy?") == ["PM"]
    # "Müller-Filiale" is a branch of a shop chain, no Ms Müller.
    assert _resolve("hat die Müller-Filiale am Sonntag offen?") == []


@pytest.mark.parametrize(
    "text",
    [
        "Kennst du einen guten Koch für die Feier?",
        "der Koch ist krank",
        "ein Schneider und ein Koch",
    ],
)
def test_a_german_surname_after_an_article_is_an_ordinary_word(text: str) -> None:
    # Flagged, so the assistant takes it only when the message asks about a person.
    matches = _matches(text)
    assert [m.customer_id for m in matches] == ["SK"]
    assert matches[0].common_word


@pytest.mark.parametrize("text", ["Frau Koch ist da", "was hat Koch gekauft?", "Sabine Koch"])
def test_a_german_surname_without_an_article_is_a_name(text: str) -> None:
    matches = _matches(text)
    assert [m.customer_id for m in matches] == ["SK"]
    assert not matches[0].common_word


@pytest.mark.parametrize("text", ["Su Hanım geldi", "ist Frau Ella da?", "Mr Will, again"])
def test_a_title_makes_a_first_name_that_is_a_word_a_name(text: str) -> None:
    matches = _matches(text)
    assert matches
    assert not matches[0].common_word


def test_a_greek_first_name_gives_its_grammatical_gender() -> None:
    assert INDEX.greek_gender("GK") == "m"  # Giorgos
    assert INDEX.greek_gender("KK") == "f"  # Katerina
    assert INDEX.greek_gender("DA") == "f"  # Δέσποινα


# --- typos ------------------------------------------------------------------------------------------


def test_a_typo_finds_a_name_only_where_no_exact_one_exists() -> None:
    assert _resolve("Julio Ramso") == ["JR"]
    assert _resolve("Hiroshi Tanka") == ["HT"]
    assert [m.customer_id for m in INDEX.match(folded_words("Marie"))] == ["MC"]
    # A typo still backs up a match made by another word: Maria López, typed "Marie López".
    assert _resolve("Marie López") == ["MA"]


def test_every_customer_is_found_by_the_name_as_shown() -> None:
    for customer_id, _, _ in STORE:
        assert _resolve(full_name(_customer(customer_id))) == [customer_id], customer_id


def test_a_renamed_customer_is_found_only_by_the_new_name() -> None:
    index = CustomerIndex.build([("X1", "Sean", "O'Brien")])
    index.add("X1", "Sean", "Murphy")

    assert index.match(folded_words("OBrien")) == []
    assert [m.customer_id for m in index.match(folded_words("Murphy"))] == ["X1"]


@pytest.mark.parametrize(
    ("text", "customer_id", "common"),
    [
        ("what to recommend to nisan arslan", "NA", False),  # her whole name: a name
        ("nisan arslan'ın bedenleri", "NA", False),
        ("dökme demir tava fırına girer mi", "SD", True),  # iron alone: an ordinary word
        ("Serkan Demir ne aldı?", "SD", False),
        ("Flores Rosa?", "RF", False),  # surname first, still her whole name
        ("¿vendemos flores de color rosa?", "RF", True),  # flowers, pink: apart, no name
    ],
)
def test_words_that_are_a_whole_name_are_a_name_one_alone_is_ordinary(
    text: str, customer_id: str, common: bool
) -> None:
    matches = _matches(text)
    assert [m.customer_id for m in matches] == [customer_id]
    assert matches[0].common_word is common


# --- nicknames ----------------------------------------------------------------------------------


def test_an_english_nickname_finds_the_customer_by_her_first_name() -> None:
    index = CustomerIndex.build(
        [
            ("MO", "Margaret", "O'Brien"),
            ("WH", "William", "Hughes"),
            ("PS", "Peter", "Smith"),
            ("PA", "Patrick", "Smith"),
        ]
    )

    def found(text: str) -> list[str]:
        return [m.customer_id for m in best_customers(index.match(folded_words(text)))]

    assert found("what did Maggie O'Brien buy?") == ["MO"]
    assert found("notes on Bill Hughes") == ["WH"]
    # A first name someone has is that name, not a nickname of another's ("Peter" is one of
    # Patrick's in the table).
    assert found("Peter Smith is here") == ["PS"]
    # A nickname of nobody's first name finds nobody ("Bob" is Robert's).
    assert found("what did Bob buy?") == []


def test_a_familiar_form_of_a_given_name_finds_the_customer_in_each_language() -> None:
    index = CustomerIndex.build(
        [
            ("AV", "Αικατερίνη", "Βλάχου"),
            ("GT", "Giorgos", "Tsakalos"),  # stored by the familiar form, typed formally
            ("MJ", "María José", "Ferrández"),
            ("DR", "Dolores", "Ruiz"),
            ("LR", "Lola", "Ruiz"),
            ("JB", "Josef", "Bachmair"),
            ("NK", "Νικόλαος", "Κεφαλάς"),
            ("PS", "Παναγιώτης", "Σταμούλης"),
            ("JN", "Josefa", "Núñez"),
            ("CP", "Carmen", "Peña"),  # "Pepa" is one letter from Peña
            ("SD", "Σπυρίδων", "Δημάκης"),
            ("PD", "Patrick", "Doyle"),
        ]
    )

    def found(text: str) -> list[str]:
        matches = index.match(folded_words(text), case_forms=greek_case_forms(text))
        return [m.customer_id for m in best_customers(matches)]

    assert found("τι πήρε η Κατερίνα Βλάχου;") == ["AV"]
    assert found("Katerina Vlachou notes") == ["AV"]  # typed in Latin letters
    assert found("ο Γεώργιος Τσακάλος ήρθε") == ["GT"]
    assert found("qué compró Mariajo Ferrández?") == ["MJ"]
    assert found("was hat der Sepp Bachmair gekauft?") == ["JB"]
    assert found("Nikos Kefalas is here") == ["NK"]
    assert found("τι ιδέες έχεις για τον Τάκη;") == ["PS"]  # Τάκης, in the accusative
    # A familiar form typed exactly comes before a typo of another's name.
    assert found("ficha de Pepa") == ["JN"]
    assert found("Pat's here for his glasses") == ["PD"]
    spyros = index.match(
        folded_words("τι να δείξω στον κ. Σπύρο;"),
        case_forms=greek_case_forms("τι να δείξω στον κ. Σπύρο;"),
    )
    assert [(m.customer_id, m.common_word) for m in spyros] == [("SD", False)]  # titled: a name
    # A customer who has the typed form is that one, not another's by its other forms.
    assert found("notas de Lola Ruiz") == ["LR"]
    # A familiar form of one part of a compound name is not that name ("Pepe" is José's).
    assert found("was Pepe in today?") == []


def test_a_surname_that_is_another_first_name_in_the_genitive_is_his_typed_in_full() -> None:
    index = CustomerIndex.build(
        [
            ("DN", "Δημήτρης", "Νικολάου"),
            ("NB", "Νικόλαος", "Βασιλείου"),  # "Νικολάου" is also his genitive
            ("AP", "Ανδρέας", "Παύλου"),
            ("PK", "Παύλος", "Κώστα"),
        ]
    )

    def found(text: str) -> list[str]:
        matches = index.match(folded_words(text), case_forms=greek_case_forms(text))
        return [m.customer_id for m in best_customers(matches)]

    assert found("πόσα ξόδεψε ο Δημήτρης Νικολάου;") == ["DN"]
    assert found("τι πήρε ο Ανδρέας Παύλου πέρσι;") == ["AP"]
    assert found("σημείωση για τον Ανδρέα Παύλου: θέλει μπλε") == ["AP"]
    # One word after a masculine article is still read as a case form of a first name.
    assert found("τι πήρε ο Παύλος;") == ["PK"]


def test_a_nickname_that_is_an_ordinary_word_is_flagged_as_one() -> None:
    index = CustomerIndex.build([("MF", "Matthias", "Fischer")])

    (match,) = index.match(folded_words("is the mug matt or glossy?"))
    assert match.customer_id == "MF"
    assert match.common_word  # a name only when the message asks about a person
