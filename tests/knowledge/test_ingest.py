"""The tips CSV contract: what a file may contain, how problems are reported, what gets written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from knowledge.ingest import TipsFileError, import_tips_csv, read_tips_csv
from knowledge.tips import (
    Tip,
    TipStore,
    count_tips,
    get_tip,
    list_tips,
    make_tip_id,
    open_tip_store,
)
from tests.fakes import HashEmbeddings

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
SKUS = {"GR-100", "RS-200", "BT-300"}


def write(tmp_path: Path, text: str, *, name: str = "tips.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


@pytest.fixture
def store(tmp_path: Path) -> TipStore:
    """An empty tip store on disk with the fake embeddings."""
    return open_tip_store(embeddings=HashEmbeddings(), model_name="hash-64", path=tmp_path / "db")


def problems_of(path: Path, *, known_skus: set[str] | None = None) -> list[str]:
    with pytest.raises(TipsFileError) as caught:
        read_tips_csv(path, known_skus=known_skus, now=NOW)
    return caught.value.problems


# --- reading a good file ---------------------------------------------------------------------------


def test_a_good_file_is_read_whatever_its_column_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "language,sku,text,tip_id,category,author,created_at\r\n"
        "en,GR-100,Grind finer for espresso.,grind-1,kitchen,ana,2025-03-01T10:30:00+02:00\r\n"
        'ES,BT-300,"Lave las toallas, sin suavizante.",,home,,2025-03-02\r\n'
        ",,Rotate the mattress every three months.,,,,\r\n",
        bom=True,
    )

    tips_file = read_tips_csv(path, known_skus=SKUS, now=NOW)

    assert tips_file.warnings == []
    assert tips_file.tips == [
        Tip(
            tip_id="grind-1",
            text="Grind finer for espresso.",
            sku="GR-100",
            category="kitchen",
            language="en",
            author="ana",
            created_at=datetime(2025, 3, 1, 8, 30, tzinfo=UTC),
        ),
        Tip(
            tip_id=make_tip_id("Lave las toallas, sin suavizante."),
            text="Lave las toallas, sin suavizante.",
            sku="BT-300",
            category="home",
            language="es",
            created_at=datetime(2025, 3, 2, tzinfo=UTC),
        ),
        Tip(
            tip_id=make_tip_id("Rotate the mattress every three months."),
            text="Rotate the mattress every three months.",
            created_at=NOW,
        ),
    ]


def test_only_the_text_column_is_required(tmp_path: Path) -> None:
    path = write(tmp_path, "text\nDescale the espresso machine monthly.\n")

    (tip,) = read_tips_csv(path, now=NOW).tips

    assert tip == Tip(tip_id=make_tip_id(tip.text), text=tip.text, created_at=NOW)


def test_naive_times_are_read_as_utc(tmp_path: Path) -> None:
    path = write(tmp_path, "text,created_at\nA tip.,2025-03-01 14:30\n")

    (tip,) = read_tips_csv(path, now=NOW).tips

    assert tip.created_at == datetime(2025, 3, 1, 14, 30, tzinfo=UTC)


def test_a_value_may_span_several_lines_inside_quotes(tmp_path: Path) -> None:
    path = write(tmp_path, 'text,sku\n"First line\nsecond line",GR-100\n')

    (tip,) = read_tips_csv(path, now=NOW).tips

    assert tip.text == "First line\nsecond line"


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "text\n\nOne tip.\n\n,\nAnother tip.\n")

    assert [tip.text for tip in read_tips_csv(path, now=NOW).tips] == ["One tip.", "Another tip."]


def test_unknown_columns_are_reported_once_as_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "text,colour,price\nTip one.,red,10\nTip two.,blue,12\n")

    tips_file = read_tips_csv(path, now=NOW)

    assert [tip.text for tip in tips_file.tips] == ["Tip one.", "Tip two."]
    assert len(tips_file.warnings) == 1
    assert "colour, price" in tips_file.warnings[0]


def test_a_row_repeated_exactly_is_kept_once_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "text,sku\nSame tip.,GR-100\nSame tip.,GR-100\n")

    tips_file = read_tips_csv(path, now=NOW)

    assert len(tips_file.tips) == 1
    assert tips_file.warnings == ["line 3: tip_id: repeats line 2 exactly; ignored"]


def test_a_file_with_only_a_header_has_no_tips_and_says_so(tmp_path: Path) -> None:
    tips_file = read_tips_csv(write(tmp_path, "text,sku\n"), now=NOW)

    assert tips_file.tips == []
    assert tips_file.warnings == ["the file has no tips (only a header)"]


# --- rejecting a bad file --------------------------------------------------------------------------


def test_every_bad_row_is_listed_with_its_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "tip_id,text,sku,language,created_at\n"
        "a,Good tip.,GR-100,en,2025-03-01\n"
        "b,,GR-100,en,\n"
        "c,Bad language.,GR-100,english,\n"
        "d,Bad date.,GR-100,en,yesterday\n"
        "e,Unknown SKU.,XX-999,en,\n"
        "a,Good tip but changed.,GR-100,en,2025-03-01\n",
    )

    assert problems_of(path, known_skus=SKUS) == [
        "line 3: text: is empty; every tip needs a text",
        "line 4: language: 'english' is not a two-letter ISO 639-1 code such as en, es, tr, el "
        "or de",
        "line 5: created_at: 'yesterday' is not an ISO 8601 date or date-time such as 2025-03-01 "
        "or 2025-03-01T14:30:00+01:00",
        "line 6: sku: 'XX-999' is not a known SKU",
        "line 7: tip_id: 'a' is already used on line 2 with different values",
    ]


def test_skus_are_not_checked_without_a_list_of_known_skus(tmp_path: Path) -> None:
    path = write(tmp_path, "text,sku\nA tip.,XX-999\n")

    assert read_tips_csv(path, now=NOW).tips[0].sku == "XX-999"


def test_the_same_text_twice_with_different_values_asks_for_tip_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "text,sku\nDescale monthly.,GR-100\nDescale monthly.,RS-200\n")

    (problem,) = problems_of(path)

    assert problem.startswith("line 3: tip_id: ")
    assert problem.endswith("(same text: give each row its own tip_id)")


def test_language_must_be_a_real_iso_639_1_code(tmp_path: Path) -> None:
    path = write(tmp_path, "text,language\nOne.,sp\nTwo.,eng\nThree.,tr\n")

    assert [problem.split(":")[:2] for problem in problems_of(path)] == [
        ["line 2", " language"],
        ["line 3", " language"],
    ]


def test_line_numbers_count_physical_lines(tmp_path: Path) -> None:
    path = write(tmp_path, 'text,language\n"two\nlines",en\n\nbad language,zz\n')

    assert problems_of(path) == [
        "line 5: language: 'zz' is not a two-letter ISO 639-1 code such as en, es, tr, el or de"
    ]


def test_a_missing_text_column_is_refused_at_the_header(tmp_path: Path) -> None:
    path = write(tmp_path, "tip,sku\nA tip.,GR-100\n")

    (problem,) = problems_of(path)

    assert problem.startswith("line 1: header: missing required column 'text'")


def test_a_column_named_twice_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "text,sku,SKU\nA tip.,GR-100,RS-200\n")

    assert problems_of(path) == ["line 1: header: column 'sku' appears twice"]


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (problem,) = problems_of(write(tmp_path, ""))

    assert problem.startswith("line 1: header: the file is empty")


def test_a_file_that_is_not_utf8_is_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "tips.csv"
    path.write_bytes("text\nfine\nCafé crème\n".encode("latin-1"))

    (problem,) = problems_of(path)

    assert problem.startswith("line 3: file: not UTF-8 text (byte 0xe9)")


def test_a_row_with_more_values_than_columns_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "text,sku\nGrind finer, not coarser,GR-100\n")

    (problem,) = problems_of(path)

    assert problem.startswith("line 2: row: 3 values but the header has 2 columns")


def test_an_unclosed_quote_is_reported_where_the_row_starts(tmp_path: Path) -> None:
    path = write(tmp_path, 'text,sku\nGood.,GR-100\n"Never closed,GR-100\nMore.,RS-200\n')

    (problem,) = problems_of(path)

    assert problem.startswith("line 3: row: malformed CSV")


def test_the_error_message_shows_fifty_problems_then_counts_the_rest(tmp_path: Path) -> None:
    rows = "".join(f"Tip {i}.,xx\n" for i in range(60))
    path = write(tmp_path, "text,language\n" + rows)

    with pytest.raises(TipsFileError) as caught:
        read_tips_csv(path, now=NOW)

    message = str(caught.value)
    assert len(caught.value.problems) == 60
    assert message.startswith("60 problems, nothing was imported:")
    assert "line 51: language:" in message
    assert "line 52: language:" not in message
    assert message.endswith("... and 10 more problems")


# --- importing into the store ----------------------------------------------------------------------


def test_importing_a_good_file_makes_its_tips_searchable(store: TipStore, tmp_path: Path) -> None:
    path = write(tmp_path, "tip_id,text,sku\ng1,Grind finer for espresso.,GR-100\n")

    result = import_tips_csv(store, path, known_skus=SKUS, now=NOW)

    assert (result.added, result.updated, result.unchanged) == (1, 0, 0)
    assert result.summary() == "1 tips read, 1 added, 0 updated, 0 unchanged"
    assert get_tip(store, "g1") == Tip(
        tip_id="g1", text="Grind finer for espresso.", sku="GR-100", created_at=NOW
    )


def test_a_bad_row_in_the_middle_writes_nothing(store: TipStore, tmp_path: Path) -> None:
    import_tips_csv(store, write(tmp_path, "text\nAlready here.\n", name="first.csv"), now=NOW)
    path = write(
        tmp_path,
        "text,sku,language\nGood one.,GR-100,en\nBad one.,GR-100,xx\nGood two.,RS-200,de\n",
    )

    with pytest.raises(TipsFileError) as caught:
        import_tips_csv(store, path, known_skus=SKUS, now=NOW)

    assert caught.value.problems == [
        "line 3: language: 'xx' is not a two-letter ISO 639-1 code such as en, es, tr, el or de"
    ]
    assert count_tips(store) == 1
    assert [tip.text for tip in list_tips(store)] == ["Already here."]


def test_reimporting_the_same_file_changes_nothing(store: TipStore, tmp_path: Path) -> None:
    path = write(tmp_path, "text,sku\nGrind finer.,GR-100\nWash towels first.,BT-300\n")
    import_tips_csv(store, path, now=NOW)
    embeddings = store.vectorstore.embeddings
    assert isinstance(embeddings, HashEmbeddings)
    calls_before = embeddings.calls

    later = datetime(2025, 7, 1, tzinfo=UTC)
    result = import_tips_csv(store, path, now=later)

    assert (result.added, result.updated, result.unchanged) == (0, 0, 2)
    assert embeddings.calls == calls_before  # nothing re-embedded
    assert {tip.created_at for tip in list_tips(store)} == {NOW}  # undated rows keep their date


def test_reimporting_an_edited_file_updates_and_adds(store: TipStore, tmp_path: Path) -> None:
    first = "tip_id,text,sku\ng1,Grind finer.,GR-100\nt1,Wash towels first.,BT-300\n"
    import_tips_csv(store, write(tmp_path, first), now=NOW)
    edited = "tip_id,text\ng1,Grind finer for espresso.\nt1,Wash towels first.\nr1,Run more.\n"

    result = import_tips_csv(store, write(tmp_path, edited), now=NOW)

    assert (result.added, result.updated, result.unchanged) == (1, 2, 0)
    assert get_tip(store, "g1") == Tip(
        tip_id="g1", text="Grind finer for espresso.", created_at=NOW
    )
    assert get_tip(store, "t1") == Tip(tip_id="t1", text="Wash towels first.", created_at=NOW)
    assert count_tips(store) == 3


def test_import_passes_on_the_files_warnings(store: TipStore, tmp_path: Path) -> None:
    path = write(tmp_path, "text,notes\nGrind finer.,internal\n")

    result = import_tips_csv(store, path, now=NOW)

    assert result.added == 1
    assert len(result.warnings) == 1
    assert "notes" in result.warnings[0]
