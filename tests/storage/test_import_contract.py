"""The file contracts' value parsers: language codes come from pycountry's ISO 639 list."""

from __future__ import annotations

import pytest

from storage.import_contract import parse_language


@pytest.mark.parametrize(
    ("raw", "code"), [("en", "en"), (" TR ", "tr"), ("El", "el"), ("nb", "nb")]
)
def test_a_language_code_is_normalised_to_lower_case(raw: str, code: str) -> None:
    assert parse_language(raw) == code


@pytest.mark.parametrize("raw", ["", "sp", "xx", "eng", "english", "en-GB"])
def test_anything_but_an_iso_639_1_code_is_refused_with_examples(raw: str) -> None:
    with pytest.raises(ValueError, match="ISO 639-1") as caught:
        parse_language(raw)

    assert str(caught.value) == (
        f"not an ISO 639-1 language code: {raw!r} (e.g. en, es, tr, el, de)"
    )
