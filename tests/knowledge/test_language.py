"""Tip languages: ISO 639-1 codes from pycountry, detection by py3langid behind our policy."""

from __future__ import annotations

import pytest

from knowledge.language import detect_language, is_language_code


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Knives stay sharp longer on a wooden board."),
        ("es", "No metas la sartén en el lavavajillas."),
        ("tr", "Aralık ayında hediye paketi teklif edin."),
        ("el", "Θυμίστε την εγγύηση δύο ετών."),
        ("de", "Im Dezember Geschenkverpackung anbieten."),
        ("pl", "Zaproponuj klientowi pasującą poszewkę na kołdrę."),
        ("sv", "Fråga hur många koppar de dricker om dagen."),
        ("ru", "Предложите покупателю подходящий пододеяльник."),
        ("uk", "Запропонуйте покупцеві відповідну наволочку."),
        ("ar", "اقترح على العميل غطاء الوسادة المناسب."),
        ("ja", "お客様に毎月の除石灰をおすすめしてください。"),
        ("zh", "请提醒顾客每个月给咖啡机除垢。"),
    ],
)
def test_a_short_tip_is_detected_in_languages_beyond_the_shops_five(
    language: str, text: str
) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "Dry flat.",
        "AeroPress",
        "TW-200 40 °C",
        "Moka pot, French press",
        "Egyptian cotton 600 g/m²",
    ],
)
def test_labels_and_product_names_have_no_language(text: str) -> None:
    assert detect_language(text) is None


def test_a_text_written_in_capitals_is_detected_like_any_other() -> None:
    assert detect_language("NEVER PUT THE CAST IRON PAN IN THE DISHWASHER.") == "en"


@pytest.mark.parametrize(
    "text",
    [
        "Lavar a mano. Hand wash only. Elde yıkayın. Πλύσιμο στο χέρι. Nur Handwäsche.",
        "Preguntar siempre por el tamaño de la cama, ask about pillows.",
    ],
)
def test_a_mixed_text_gets_one_of_its_languages_or_none(text: str) -> None:
    assert detect_language(text) in {None, "en", "es", "tr", "el", "de"}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("zh", "粵語係廣東嘅語言，喺香港好多人講。"),
        ("ar", "انا مش عارف اعمل ايه النهارده في الشغل"),
    ],
)
def test_a_variety_without_an_iso_639_1_code_gets_the_nearest_language_that_has_one(
    language: str, text: str
) -> None:
    # Unrestricted, py3langid calls these Cantonese (yue) and Egyptian Arabic (arz).
    assert detect_language(text) == language


@pytest.mark.parametrize("code", ["en", "es", "tr", "el", "de", "nb", "zu"])
def test_iso_639_1_codes_are_accepted(code: str) -> None:
    assert is_language_code(code)


@pytest.mark.parametrize("code", ["", "e", "sp", "xx", "eng", "english", "en-GB"])
def test_other_codes_and_typos_are_not_iso_639_1(code: str) -> None:
    assert not is_language_code(code)
