"""Documents a manager sends, turned into tips: language detection, chunking, file types."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfWriter

from knowledge.documents import (
    MAX_CHUNK_CHARS,
    MIN_CHUNK_CHARS,
    detect_language,
    read_document,
    tips_from_text,
)
from knowledge.ingest import TipsFileError, import_tips
from knowledge.tips import make_tip_id, open_tip_store
from tests.fakes import HashEmbeddings

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
SKUS = {"GR-100", "TW-200"}


def make_pdf(pages: list[list[str]]) -> bytes:
    """Write a real PDF by hand: one Helvetica text line per string, pages in order."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, written once the pages are numbered
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for lines in pages:
        shown = b" ".join(
            b"("
            + line.encode("cp1252")
            .replace(b"\\", b"\\\\")
            .replace(b"(", b"\\(")
            .replace(b")", b"\\)")
            + b") Tj T*"
            for line in lines
        )
        stream = b"BT /F1 11 Tf 14 TL 72 760 Td " + shown + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n%b\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    refs = b" ".join(b"%d 0 R" % kid for kid in kids)
    objects[1] = b"<< /Type /Pages /Kids [%b] /Count %d >>" % (refs, len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def encrypted(pdf: bytes, *, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    # RC4 needs no optional dependency (pypdf's AES needs `cryptography`).
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def problems_of(
    data: bytes, filename: str, *, known_skus: set[str] | None = None, sku: str | None = None
) -> list[str]:
    with pytest.raises(TipsFileError) as caught:
        read_document(data, filename, known_skus=known_skus, sku=sku, now=NOW)
    return caught.value.problems


# --- language detection --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "Remind customers to descale the machine every month; hard water clogs the boiler.",
        ),
        ("en", "Always offer the matching pillowcase when someone buys a duvet cover."),
        (
            "es",
            "Recomienda lavar las toallas con agua tibia y sin suavizante para que no pierdan absorción.",
        ),
        ("es", "El cuero se limpia con un paño húmedo, nunca con alcohol."),
        ("pt", "Recomende ao cliente que não lave a frigideira na máquina de lavar louça."),
        ("pt", "O couro deve ser hidratado duas vezes por ano, senão racha."),
        (
            "it",
            "Consiglia al cliente di non lavare la padella in lavastoviglie per non rovinare il rivestimento.",
        ),
        ("it", "Macina più fine per l'espresso e più grosso per la moka."),
        (
            "fr",
            "Conseillez au client de ne pas laver la poêle au lave-vaisselle pour protéger le revêtement.",
        ),
        ("fr", "Le cuir doit être nourri deux fois par an, sinon il craquelle."),
        (
            "de",
            "Empfehlen Sie, die Pfanne nicht in der Spülmaschine zu waschen, sonst löst sich die Beschichtung.",
        ),
        ("de", "Leder sollte zweimal im Jahr gepflegt werden, sonst wird es rissig."),
        (
            "nl",
            "Raad de klant aan de pan niet in de vaatwasser te doen, anders gaat de antiaanbaklaag kapot.",
        ),
        ("nl", "Vraag wat de klant het vaakst kookt voordat je een pan aanraadt."),
        (
            "tr",
            "Müşteriye bıçakları bulaşık makinesinde yıkamamasını söyleyin, ağzı çabuk körelir.",
        ),
        ("tr", "Tencere önermeden önce en çok ne pişirdiğini sorun."),
        ("el", "Προτείνετε στον πελάτη να πλένει τις πετσέτες χωρίς μαλακτικό."),
        ("el", "Αλέστε πιο λεπτά για εσπρέσο και πιο χοντρά για τη γαλλική πρέσα."),
    ],
)
def test_a_tip_sentence_is_detected_in_its_language(language: str, text: str) -> None:
    assert detect_language(text) == language


def test_turkish_is_told_by_its_letters_even_without_its_function_words() -> None:
    assert detect_language("Deri yılda iki kez bakım ister, yoksa çatlar.") == "tr"


@pytest.mark.parametrize("text", ["", "OK", "GR-100", "Ana Ruiz", "espresso grinder", "12 / 40"])
def test_text_too_short_to_tell_has_no_language(text: str) -> None:
    assert detect_language(text) is None


# --- text into tips -----------------------------------------------------------------------------

MARKDOWN = """\
# Towel care guide

## Washing

- **Wash at 40 °C** before first use: it opens the cotton loops and the towel absorbs better.
- Skip *fabric softener*; it coats the fibres and makes towels [less absorbent](https://example.com/x).
- Dry flat.

## Selling

1. Ask how they dry their towels: tumble dryer users love the 600 g/m² range, it stays fluffy.
2. Offer the matching bath mat.

Page 2 of 3

Las toallas de algodón egipcio se lavan con agua tibia y sin suavizante, así duran años.

---
© 2025 Example Retail. All rights reserved.
"""


def test_a_markdown_document_becomes_one_tip_per_passage_without_markup() -> None:
    tips = tips_from_text(MARKDOWN, category="home", author="ana", now=NOW)

    assert [(tip.language, tip.text) for tip in tips] == [
        (
            "en",
            "Towel care guide – Washing: Wash at 40 °C before first use: it opens the cotton loops "
            "and the towel absorbs better.",
        ),
        (
            "en",
            "Skip fabric softener; it coats the fibres and makes towels less absorbent. Dry flat.",
        ),
        (
            "en",
            "Selling: Ask how they dry their towels: tumble dryer users love the 600 g/m² range, "
            "it stays fluffy. Offer the matching bath mat.",
        ),
        (
            "es",
            "Las toallas de algodón egipcio se lavan con agua tibia y sin suavizante, así duran años.",
        ),
    ]
    assert all((tip.category, tip.author, tip.created_at) == ("home", "ana", NOW) for tip in tips)
    assert [tip.tip_id for tip in tips] == [make_tip_id(tip.text) for tip in tips]


def test_a_long_paragraph_is_split_between_sentences() -> None:
    sentences = [
        f"Tip {n}: rotate the mattress every three months so that it wears evenly."
        for n in range(20)
    ]
    paragraph = " ".join(sentences)

    tips = tips_from_text(paragraph, now=NOW)

    assert len(tips) > 1
    assert all(MIN_CHUNK_CHARS <= len(tip.text) <= MAX_CHUNK_CHARS for tip in tips)
    assert all(tip.text.endswith("evenly.") for tip in tips)
    assert " ".join(tip.text for tip in tips) == paragraph


def test_a_sentence_longer_than_a_tip_is_cut_between_words() -> None:
    endless = " ".join(f"soft{n}" for n in range(300))

    tips = tips_from_text(endless, now=NOW)

    assert all(len(tip.text) <= MAX_CHUNK_CHARS for tip in tips)
    assert " ".join(tip.text for tip in tips) == endless


def test_the_same_document_sent_twice_gives_the_same_tip_ids() -> None:
    first = tips_from_text(MARKDOWN, now=NOW)
    again = tips_from_text(MARKDOWN.replace("\n", "\r\n"), now=NOW + timedelta(days=3))

    assert [tip.tip_id for tip in again] == [tip.tip_id for tip in first]


def test_a_passage_too_short_to_tell_takes_the_documents_language() -> None:
    text = (
        "Las sartenes de hierro necesitan un poco de aceite después de cada lavado y secado.\n\n"
        "Hierro fundido: 24 cm, 28 cm, 32 cm."
    )

    tips = tips_from_text(text, now=NOW)

    assert detect_language("Hierro fundido: 24 cm, 28 cm, 32 cm.") is None
    assert [tip.language for tip in tips] == ["es"]


def test_a_given_language_is_used_as_is() -> None:
    tips = tips_from_text(
        "Grind finer for espresso and coarser for the French press.", language="de", now=NOW
    )

    assert [tip.language for tip in tips] == ["de"]


def test_a_passage_repeated_in_a_document_is_one_tip() -> None:
    warning = "Never put the cast iron pan in the dishwasher: it rusts overnight."

    tips = tips_from_text(
        f"{warning}\n\nSomething else entirely, long enough to stand alone.\n\n{warning}", now=NOW
    )

    assert [tip.text for tip in tips].count(warning) == 1


# --- documents by type --------------------------------------------------------------------------


def test_a_csv_document_follows_the_tips_csv_contract_with_the_sender_as_default_author() -> None:
    data = b"text,sku,author\nGrind finer for espresso.,GR-100,\nWash towels at 40 C.,TW-200,bo\n"

    tips_file = read_document(data, "Tips.CSV", known_skus=SKUS, now=NOW, author="ana")

    assert [(tip.sku, tip.author) for tip in tips_file.tips] == [
        ("GR-100", "ana"),
        ("TW-200", "bo"),
    ]


def test_a_csv_document_with_a_bad_row_lists_line_column_and_reason() -> None:
    data = (
        b"text,sku,language\n"
        b"Grind finer for espresso.,GR-100,en\n"
        b"Lave las toallas sin suavizante.,TW-999,english\n"
    )

    assert problems_of(data, "tips.csv", known_skus=SKUS) == [
        "line 3: language: 'english' is not a two-letter ISO 639-1 code such as en, es, tr, el or de",
        "line 3: sku: 'TW-999' is not a known SKU",
    ]


def test_a_markdown_document_is_read_with_its_sku_and_sender() -> None:
    tips_file = read_document(
        MARKDOWN.encode("utf-8-sig"),
        "towels.md",
        known_skus=SKUS,
        now=NOW,
        author="ana",
        sku="TW-200",
    )

    assert len(tips_file.tips) == 4
    assert {(tip.sku, tip.author) for tip in tips_file.tips} == {("TW-200", "ana")}
    assert tips_file.undated_ids == {tip.tip_id for tip in tips_file.tips}


def test_a_document_for_an_unknown_sku_is_refused() -> None:
    assert problems_of(b"Some tip text.", "tip.txt", known_skus=SKUS, sku="XX-1") == [
        "file: sku: 'XX-1' is not a known SKU"
    ]


def test_a_text_document_that_is_not_utf8_is_refused_with_its_line() -> None:
    data = "Primera línea.\nSegunda línea con ñ.\n".encode("latin-1")

    (problem,) = problems_of(data, "notes.txt")

    assert problem.startswith("line 1: file: not UTF-8 text (byte 0xed)")
    assert "UTF-8" in problem


def test_a_document_with_nothing_but_boilerplate_is_refused() -> None:
    (problem,) = problems_of(b"Page 1 of 2\n\nConfidential\n\n---\n", "empty.md")

    assert "no text that could become a tip" in problem


def test_a_pdf_becomes_tips_without_running_footers_page_numbers_or_hyphenation() -> None:
    pdf = make_pdf(
        [
            [
                "Descale the espresso machine every month with citric acid; hard water clogs",
                "the boiler and the coffee turns bitter.",
                "Store handbook 2025",
                "Page 1 of 3",
            ],
            [
                "Las toallas de algodón se lavan con agua tibia y sin suavizante para que no pierdan",
                "absor-",
                "ción.",
                "Store handbook 2025",
                "Page 2 of 3",
            ],
            [
                "Rotate the mattress every three months so that it wears evenly and lasts.",
                "Store handbook 2025",
                "3",
            ],
        ]
    )

    tips_file = read_document(pdf, "handbook.pdf", now=NOW, author="ana")

    assert [(tip.language, tip.text) for tip in tips_file.tips] == [
        (
            "en",
            "Descale the espresso machine every month with citric acid; hard water clogs "
            "the boiler and the coffee turns bitter.",
        ),
        (
            "es",
            "Las toallas de algodón se lavan con agua tibia y sin suavizante para que no pierdan "
            "absorción.",
        ),
        ("en", "Rotate the mattress every three months so that it wears evenly and lasts."),
    ]
    assert {tip.author for tip in tips_file.tips} == {"ana"}
    assert tips_file.warnings == []


def test_a_pdf_page_without_text_is_skipped_with_a_warning() -> None:
    writer = PdfWriter(
        clone_from=io.BytesIO(make_pdf([["Wash the linen at 40 degrees before the first night."]]))
    )
    writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)

    tips_file = read_document(out.getvalue(), "linen.pdf", now=NOW)

    assert len(tips_file.tips) == 1
    assert tips_file.warnings == ["page 2: no text (scanned?); skipped"]


def test_a_pdf_without_a_text_layer_is_refused() -> None:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)

    (problem,) = problems_of(out.getvalue(), "scan.pdf")

    assert "no text layer" in problem


def test_a_password_protected_pdf_is_refused_but_one_locked_only_against_editing_is_read() -> None:
    pdf = make_pdf([["Rotate the mattress every three months so that it wears evenly."]])

    assert problems_of(encrypted(pdf, user_password="secret"), "locked.pdf") == [
        "file: the PDF is password-protected; send it without a password"
    ]
    assert (
        len(read_document(encrypted(pdf, user_password=""), "edit-locked.pdf", now=NOW).tips) == 1
    )


@pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"%PDF-1.4\n1 0 obj\n<< /Type"])
def test_a_damaged_pdf_is_refused(data: bytes) -> None:
    (problem,) = problems_of(data, "broken.pdf")

    assert problem.startswith("file: not a readable PDF")


@pytest.mark.parametrize("filename", ["tips.docx", "photo.jpg", "README"])
def test_an_unsupported_type_is_refused_naming_the_accepted_ones(filename: str) -> None:
    (problem,) = problems_of(b"whatever", filename)

    assert ".csv" in problem
    assert ".txt" in problem
    assert ".md" in problem
    assert ".pdf" in problem


def test_a_document_sent_again_later_changes_nothing_in_the_store(tmp_path: Path) -> None:
    store = open_tip_store(embeddings=HashEmbeddings(), model_name="hash-64", path=tmp_path / "db")

    first = import_tips(store, read_document(MARKDOWN.encode(), "towels.md", now=NOW))
    again = import_tips(
        store, read_document(MARKDOWN.encode(), "towels.md", now=NOW + timedelta(days=7))
    )

    assert (first.added, first.updated, first.unchanged) == (4, 0, 0)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
