"""Names typed in another script or spelling than the one stored: Japanese names in romaji,
Korean surnames the customary way, Latin names in Greek letters by ear and Greek names in Latin
ones, German umlauts written out; and a title or article picking between namesakes."""

from __future__ import annotations

import pytest

from bot.core.given_name_gender import given_name_gender
from bot.core.mentions import by_particles, by_title, customer_gender, greek_style_gender
from bot.core.name_forms import long_vowel_forms, umlaut_form
from bot.core.name_sounds import sound_keys, typed_sounds
from bot.core.names import CustomerIndex, NameMatch, best_customers
from bot.core.text import folded_words, greek_case_forms

STORE = [
    # Japanese, Chinese and Korean names in their own script
    ("JS", "一郎", "鈴木"),
    ("YS", "優希", "佐藤"),
    ("KI", "健太郎", "伊藤"),
    ("HO", "花子", "大野"),
    ("WF", "芳", "王"),
    ("PS", "서준", "박"),
    ("LJ", "지은", "이"),
    ("CM", "민호", "최"),
    ("SK", "수민", "송"),
    # Latin names a Greek associate writes by ear
    ("OC", "Oğuz", "Çelik"),
    ("WT", "Will", "Turner"),
    ("HW", "Hans-Jürgen", "Weber"),
    ("IG", "Işıl", "Güneş"),
    ("UA", "Umut", "Aydın"),
    ("JC", "June", "Carter"),
    ("RD", "Ruud", "van Dijk"),
    ("DA", "Dimitris", "Alexiou"),
    ("LA", "Linda", "Anderson"),
    # Greek names stored in Greek, namesakes by surname
    ("KA", "Κωνσταντίνος", "Αθανασίου"),
    ("MA", "Μαρία", "Αθανασίου"),
    ("GP", "Γιώργος", "Παπαδόπουλος"),
    ("AP", "Αικατερίνη", "Παπαδοπούλου"),
    # German spellings
    ("JJ", "Karl", "Jäger"),
    ("GS", "Gerhard", "Schröder"),
    ("JO", "Johann", "Strauß"),
    ("MM", "Max", "Mueller"),
    # Names that must keep their exact typings
    ("MI", "Michael", "Brandt"),
    ("JY", "Joey", "Tribbiani"),
    ("SA", "Samuel", "Okafor"),
]
INDEX = CustomerIndex.build(STORE)


def _matches(text: str, index: CustomerIndex = INDEX) -> list[NameMatch]:
    found = index.match(
        folded_words(text), case_forms=greek_case_forms(text), sounds=typed_sounds(text)
    )
    return best_customers(found)


def _resolve(text: str, index: CustomerIndex = INDEX) -> list[str]:
    return [m.customer_id for m in _matches(text, index)]


def _picked(text: str) -> list[str]:
    """The customers the assistant settles on, the title or article deciding between namesakes."""
    names = {customer_id: (first, last) for customer_id, first, last in STORE}
    found = by_title(
        text, folded_words(text), _matches(text), lambda ids: {i: names[i] for i in ids}
    )
    return [m.customer_id for m in found]


# --- Japanese names in kanji, typed in romaji ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("Suzuki", "JS"),
        ("what did Ichiro Suzuki buy?", "JS"),
        ("Suzuki-san", "JS"),
        ("Suzuki Ichirō", "JS"),  # with the macron of Hepburn
        ("Ichirou", "JS"),  # as kana spell it
        ("ichiro", "JS"),
        ("Sato Yuki", "YS"),
        ("Satou Yuuki", "YS"),
        ("Satoh", "YS"),
        ("Ito Kentaro", "KI"),
        ("Itō-sama", "KI"),
        ("Ono Hanako", "HO"),  # 大野, おおの: Ōno, Ohno, Oono
        ("Ohno", "HO"),
        ("Oono", "HO"),
        ("Wang Fang", "WF"),  # a Chinese name keeps its Chinese reading
        ("鈴木さん", "JS"),
    ],
)
def test_a_japanese_name_in_kanji_is_found_in_romaji(text: str, customer_id: str) -> None:
    assert _resolve(text) == [customer_id]


def test_long_vowels_are_indexed_every_way_they_are_written() -> None:
    assert long_vowel_forms("satou") == {"satou", "sato", "satoo", "satoh"}
    assert "yuki" in long_vowel_forms("yuuki")
    assert "ichiro" in long_vowel_forms("ichirou")


def test_a_chinese_name_gets_no_japanese_reading() -> None:
    # 王 reads "ou" in Japanese: typed, "ou" is no Wang Fang.
    assert "WF" not in _resolve("ou")
    assert "WF" not in _resolve("hou")


# --- Korean names in Hangul --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("Park Seo-jun", "PS"),
        ("Park Seo jun", "PS"),
        ("Park Seojun", "PS"),
        ("Seojun Park", "PS"),
        ("Herr Park", "PS"),
        ("Mr Pak", "PS"),
        ("Bak Seojun", "PS"),  # Revised Romanization
        ("Seo-jun", "PS"),
        ("Lee Ji-eun", "LJ"),
        ("Ms Yi", "LJ"),
        ("Rhee", "LJ"),
        ("Choi Min-ho", "CM"),
        ("Choe Minho", "CM"),
        ("Song Su-min", "SK"),
    ],
)
def test_a_korean_name_is_found_in_its_customary_spellings(text: str, customer_id: str) -> None:
    assert _resolve(text) == [customer_id]


@pytest.mark.parametrize(
    "text", ["where is the car park?", "play that song again", "what did she buy?"]
)
def test_a_surname_spelling_that_is_a_word_is_only_an_ordinary_word_alone(text: str) -> None:
    # "park" and "song" are words: without a title or the given name they match only flagged,
    # and the assistant takes them only when the message asks about a person.
    assert all(m.common_word for m in _matches(text))


def test_syllables_typed_apart_do_not_make_a_name_of_other_words() -> None:
    index = CustomerIndex.build([("PS", "서준", "박"), ("SJ", "Jun", "Seo")])

    # Typed apart, "Seo Jun" is still Jun Seo, whose whole name it is.
    assert _resolve("Seo Jun", index) == ["SJ"]
    assert "PS" in _resolve("Seo-jun Park", index)


# --- Latin names typed in Greek letters, Greek names in Latin ones -----------------------------------


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("τι αγόρασε ο Όγκουζ Τσελίκ;", "OC"),
        ("Τσελίκ", "OC"),
        ("Γουίλ", "WT"),
        ("Χανς-Γιούργκεν", "HW"),
        ("Χανς-Γιούργκεν Βέμπερ", "HW"),
        ("Ίσιλ Γκιουνές", "IG"),
        ("τα νούμερα της Ουμούτ", "UA"),
        ("Τζουν Κάρτερ", "JC"),
        ("Βαν Ντάικ", "RD"),
        ("Λίντα Άντερσον", "LA"),
        ("του Δημήτρη Αλεξίου", "DA"),
        ("Athanasiou Konstantinos", "KA"),
        ("Konstantinos", "KA"),
        ("Kostantinos", "KA"),  # typed by ear, one letter off
        ("Giorgos Papadopoulos", "GP"),
        ("Yiorgos Papadopoulos", "GP"),
        ("Aikaterini Papadopoulou", "AP"),
    ],
)
def test_a_name_is_found_typed_in_the_other_script(text: str, customer_id: str) -> None:
    assert _resolve(text) == [customer_id]


def test_a_name_typed_by_ear_is_no_ordinary_word() -> None:
    (match,) = _matches("Ουμούτ")
    assert not match.common_word
    assert match.exact


@pytest.mark.parametrize(
    "text",
    ["γάλα", "τώρα", "θέλει γάλα τώρα", "μπότες", "παπούτσια και τσάντα", "τι αγόρασε χθες;"],
)
def test_an_ordinary_greek_word_is_no_name(text: str) -> None:
    # Names that sound like γάλα, τώρα, μπότες and παπούτσια, spelt otherwise.
    sounding = [("G1", "Gallah", "Tor"), ("T1", "Torrah", "Oz"), ("B1", "Bothes", "Chen")]
    index = CustomerIndex.build([*sounding, ("P1", "Pappoutsia", "Ng"), *STORE])

    # At most an ordinary word that is a name too: taken only when the message asks about a
    # person, as "Will" or "Rose" are.
    assert [m.customer_id for m in _matches(text, index) if not m.common_word] == []
    assert _resolve("Μπόθες", index) == ["B1"]  # typed as a name, it is one


def test_a_sound_match_never_beats_a_name_typed_as_stored() -> None:
    index = CustomerIndex.build([("U1", "Umut", "Aydın"), ("U2", "Umud", "Aydın")])

    assert _resolve("Umud", index) == ["U2"]
    # "Ουμούτ" folds to "oumout": nobody's name as typed, so it is read by its sound.
    ranked = index.match(["oumout"], sounds=typed_sounds("Ουμούτ"))
    assert ranked[0].score < 1.0


def test_sound_keys_read_both_scripts_alike() -> None:
    assert sound_keys("Όγκουζ") & sound_keys("Oğuz")
    assert sound_keys("Ντάικ") & sound_keys("Dijk")
    assert sound_keys("Γκιουνές") & sound_keys("Güneş")
    assert sound_keys("Τζουν") & sound_keys("June")
    assert not sound_keys("王")


def test_a_renamed_customer_is_found_by_the_new_names_sound_only() -> None:
    index = CustomerIndex.build([("X1", "Umut", "Aydın")])
    assert _resolve("Ουμούτ", index) == ["X1"]
    index.add("X1", "Oğuz", "Aydın")

    assert _resolve("Ουμούτ", index) == []
    assert _resolve("Όγκουζ", index) == ["X1"]


# --- German umlauts written out --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("Jaeger", "JJ"),
        ("Jäger", "JJ"),
        ("Karl Jager", "JJ"),
        ("Schroeder", "GS"),
        ("Herr Schröder", "GS"),
        ("Strauss", "JO"),
        ("Strauß", "JO"),
        ("Müller", "MM"),
        ("Muller", "MM"),
        ("Mueller", "MM"),
        # An "ae" that is no umlaut: Michael is not typed "Michal"
        ("Michael", "MI"),
        ("Joey", "JY"),
        ("Samuel", "SA"),
    ],
)
def test_a_german_name_is_found_with_its_umlauts_written_out(text: str, customer_id: str) -> None:
    assert _resolve(text) == [customer_id]


def test_only_an_umlaut_between_consonants_is_written_out() -> None:
    assert umlaut_form("mueller") == "muller"
    assert umlaut_form("jaeger") == "jager"
    assert umlaut_form("michael") is None
    assert umlaut_form("joey") is None
    assert umlaut_form("miguel") is None


def test_a_written_out_umlaut_is_no_second_customer() -> None:
    index = CustomerIndex.build([("U1", "Ute", "Müller"), ("M1", "Max", "Mueller")])

    # The same surname spelt two ways: "Müller" and "Mueller" fit both, the first name decides.
    assert set(_resolve("Müller", index)) == {"U1", "M1"}
    assert _resolve("Ute Mueller", index) == ["U1"]
    assert _resolve("Max Müller", index) == ["M1"]


def test_the_noun_jaeger_after_an_article_is_an_ordinary_word() -> None:
    (match,) = _matches("der Jäger ist im Wald")
    assert match.customer_id == "JJ"
    assert match.common_word


# --- titles and articles between namesakes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("προφίλ της κας Αθανασίου", "MA"),
        ("μεγέθη της κυρίας Αθανασίου", "MA"),
        ("Frau Athanasiou", "MA"),
        ("Sra. Athanasiou", "MA"),
        ("Mrs Athanasiou's sizes", "MA"),
        ("του κ. Αθανασίου", "KA"),
        ("τι πήρε ο κος Αθανασίου;", "KA"),
        ("κου Αθανασίου", "KA"),
        ("Herrn Athanasiou", "KA"),
        ("Mr Athanasiou", "KA"),
        ("Sr. Athanasiou", "KA"),
        ("Athanasiou Bey", "KA"),
        ("σημείωση στην Παπαδοπούλου: θέλει νούμερο 38", "AP"),
        # κ. is κύριος or κυρία: the article before it says which.
        ("για την κ. Παπαδοπούλου: θέλει νούμερο 38", "AP"),
        ("στην κ. Αθανασίου", "MA"),
        ("τον κ. Αθανασίου", "KA"),
        # Only the article right before κ. counts.
        ("Η παραγγελία για κ. Αθανασίου ήρθε;", "KA"),
        ("Η Ελένη ρωτάει τι πήρε ο κ. Αθανασίου", "KA"),
        ("η Παπαδοπούλου", "AP"),
        ("του Παπαδόπουλου", "GP"),
        ("στον Παπαδόπουλο", "GP"),
        # Greeklish turned to Greek letters leaves the name in Latin ones, lower case.
        ("γράψε για τον papadopoulo: θέλει νούμερο 44", "GP"),
        ("τι πήρε η papadopoulou;", "AP"),
    ],
)
def test_a_title_or_article_picks_the_namesake(text: str, customer_id: str) -> None:
    assert _picked(text) == [customer_id]


def test_without_a_title_namesakes_are_both_offered() -> None:
    assert set(_picked("Athanasiou")) == {"KA", "MA"}


def test_a_title_never_drops_the_only_match() -> None:
    # A title of the other gender is a slip or an unusual name: the only match stays.
    assert _picked("Frau Oğuz Çelik") == ["OC"]
    assert _picked("Mr Αικατερίνη Παπαδοπούλου") == ["AP"]


def test_a_title_picks_by_who_mostly_bears_the_first_name() -> None:
    # Björn and Uwe end like women's names, Agnes like a man's: the name-gender data, not the
    # ending, tells that "Herrn Fischer" is one of the men and "Frau Fischer" Agnes.
    store = {"BF": ("Björn", "Fischer"), "LF": ("Lukas", "Fischer"), "AF": ("Agnes", "Fischer")}
    index = CustomerIndex.build([(c, first, last) for c, (first, last) in store.items()])

    def picked(text: str) -> set[str]:
        found = by_title(text, folded_words(text), _matches(text, index), lambda _ids: store)
        return {m.customer_id for m in found}

    assert picked("Herrn Fischer") == {"BF", "LF"}
    assert picked("Frau Fischer") == {"AF"}
    assert picked("Fischer") == set(store)  # no title, no choice


def test_a_title_tells_nothing_of_a_first_name_both_genders_bear() -> None:
    # Andrea is a man's name in Italy and a woman's in Germany; Deniz and Kim are both too.
    store = {"AK": ("Andrea", "Kern"), "DK": ("Deniz", "Kern"), "SK": ("Sarah", "Kern")}
    index = CustomerIndex.build([(c, first, last) for c, (first, last) in store.items()])
    for text, expected in (("Mr Kern", {"AK", "DK"}), ("Mrs Kern", set(store))):
        found = by_title(text, folded_words(text), _matches(text, index), lambda _ids: store)
        assert {m.customer_id for m in found} == expected


@pytest.mark.parametrize(
    ("first_name", "gender"),
    [
        ("Sarah", "f"),
        ("James", "m"),
        ("Jürgen", "m"),  # read without accents, as the data is keyed
        ("Çağla", "f"),
        ("María José", "f"),  # the first given name
        ("José Luis", "m"),
        ("Anna-Lena", "f"),
        ("Deniz", None),  # both
        ("Dr. Sarah", "f"),  # a title stored with the name is read past
        ("Γιώργος", None),  # another script: Greek names have their own rule
        ("王伟", None),
        ("Qzxvbnm", None),  # no such name
        ("", None),
        (None, None),
    ],
)
def test_the_gender_a_first_name_mostly_has(first_name: str | None, gender: str | None) -> None:
    assert given_name_gender(first_name) == gender


def test_only_a_greek_name_says_its_gender() -> None:
    assert greek_style_gender("Κωνσταντίνος", "Αθανασίου") == "m"
    assert greek_style_gender("Katerina", "Karagianni") == "f"
    assert greek_style_gender("Giorgos", "Papadopoulos") == "m"
    assert greek_style_gender("Björn", "Fischer") is None
    assert greek_style_gender("Dolores", "García") is None


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("umutun bedenleri neler", "UA"),
        ("Işılın notları", "IG"),
        ("Linda'nın ve Lindanın", "LA"),
        ("Carterin aldıkları", "JC"),
    ],
)
def test_a_turkish_ending_typed_without_its_apostrophe_still_finds_the_name(
    text: str, customer_id: str
) -> None:
    assert _resolve(text) == [customer_id]


def test_a_title_with_a_turkish_ending_makes_a_word_a_name() -> None:
    index = CustomerIndex.build([("NA", "Nisan", "Arslan")])
    found = index.match(folded_words("Nisan Hanımın profili"))

    assert [(m.customer_id, m.common_word) for m in found] == [("NA", False)]


def test_an_ordinary_word_with_an_ending_is_no_exact_name() -> None:
    # "anne" (mother) is no Ann + "-e"; at most one typo from her, which asks for a person
    index = CustomerIndex.build([("AN", "Ann", "Lee")])

    assert not any(m.exact for m in index.match(folded_words("anne için hediye")))


# --- particles and endings that tell namesakes apart -----------------------------------------


def test_the_particles_typed_before_a_surname_pick_the_namesake_who_has_them() -> None:
    store = {
        "VB": ("Wolfgang", "von Brandt"),
        "GB": ("Gisela", "Brandt"),
        "DC": ("Inés", "de la Cruz"),
        "LC": ("Luis", "Cruz"),
    }
    index = CustomerIndex.build([(c, first, last) for c, (first, last) in store.items()])

    def picked(text: str) -> set[str]:
        found = by_particles(
            folded_words(text),
            _matches(text, index),
            lambda ids: {i: store[i] for i in ids},
        )
        return {m.customer_id for m in found}

    assert picked("Welche Handschuhgröße hat Herr von Brandt?") == {"VB"}
    assert picked("¿qué compró la Sra. de la Cruz?") == {"DC"}
    # no particle typed: both namesakes stay, the assistant asks which one ("Herr Brandt" may
    # be Wolfgang von Brandt said short; choosing Gisela would be the wrong customer)
    assert picked("Notizen zu Frau Brandt") == {"VB", "GB"}
    assert picked("Welche Größen hat Herr Brandt?") == {"VB", "GB"}
    assert picked("what did Cruz buy?") == {"DC", "LC"}


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("Was passt zu Frau Müller-Lüdenscheidts Badsanierung?", "ML"),
        ("Schröders Bestellung ist da", "GS"),
        ("Okafors order came in", "SA"),
    ],
)
def test_a_possessive_s_typed_onto_a_surname_still_names_her(text: str, customer_id: str) -> None:
    index = CustomerIndex.build([*STORE, ("ML", "Sabine", "Müller-Lüdenscheidt")])
    assert _resolve(text, index) == [customer_id]


@pytest.mark.parametrize(
    ("text", "customer_id"),
    [
        ("what did Jiwoo Park buy?", "JW"),
        ("Ji-woo Park is here", "JW"),
        ("ji woo park notes", "JW"),
        ("Park Jiu", "JW"),  # the Revised Romanization itself
        ("Seo-joon Park", "PS"),
        ("Soomin Song'un bedenleri", "SK"),
    ],
)
def test_a_korean_given_name_is_found_as_people_customarily_spell_it(
    text: str, customer_id: str
) -> None:
    index = CustomerIndex.build([*STORE, ("JW", "지우", "박")])
    assert _resolve(text, index) == [customer_id]


def test_the_name_data_comes_before_greek_endings_for_latin_names() -> None:
    # Hughes and Reyes end like Greek surnames; Liam and Juan are men, Dolores a woman.
    assert customer_gender("Liam", "Hughes") == "m"
    assert customer_gender("Juan", "Reyes") == "m"
    assert customer_gender("Dolores", "Reyes") == "f"
    assert customer_gender("Κωνσταντίνος", "Αθανασίου") == "m"


def test_a_title_before_a_surname_s_particles_or_a_turkish_one_with_an_ending_picks() -> None:
    store = {
        "CF": ("Carmen", "de la Fuente"),
        "JF": ("Javier", "de la Fuente"),
        "MY": ("Mehmet", "Yılmaz"),
        "AY": ("Ayşe", "Yılmaz"),
    }
    index = CustomerIndex.build([(c, first, last) for c, (first, last) in store.items()])

    def picked(text: str) -> set[str]:
        found = by_title(text, folded_words(text), _matches(text, index), lambda _ids: store)
        return {m.customer_id for m in found}

    assert picked("guarda que el sr de la fuente trae la bici el lunes") == {"JF"}
    assert picked("algo que deba saber de la Sra. de la Fuente?") == {"CF"}
    assert picked("Yılmaz Bey'in kızı için kask ayırdık") == {"MY"}
    assert picked("Yılmaz Hanım'a söyledim") == {"AY"}
