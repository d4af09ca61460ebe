"""Documents a manager sends (CSV, text, Markdown, PDF) turned into tips, with their language.

A tips CSV follows the contract of `knowledge.ingest`. Any other accepted document is prose: it
is cut into passages an associate can read in one go (`knowledge.chunking`), each a tip whose
id derives from its text, so sending the same document again updates its tips instead of
duplicating them. PDF text is read here, without the page furniture of its layout.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Container
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

from knowledge.chunking import MAX_CHUNK_CHARS, MIN_CHUNK_CHARS, chunk_text
from knowledge.ingest import N_, Problem, TipsFile, TipsFileError, read_tips_bytes
from knowledge.language import detect_language
from knowledge.tips import Tip, make_tip_id

# Callers that turn documents into tips also tag single typed tips: they find everything here.
__all__ = [
    "ACCEPTED_TYPES",
    "MAX_CHUNK_CHARS",
    "MIN_CHUNK_CHARS",
    "detect_language",
    "read_document",
    "tips_from_text",
]

ACCEPTED_TYPES = (".csv", ".txt", ".md", ".markdown", ".pdf")
_HYPHENATED_RE = re.compile(r"([^\W\d_])-\n([^\W\d_])")


def tips_from_text(
    text: str,
    *,
    sku: str | None = None,
    category: str | None = None,
    language: str | None = None,
    author: str | None = None,
    now: datetime,
) -> list[Tip]:
    """Cut prose or Markdown into tips: one per passage, markup stripped, language detected."""
    chunks = chunk_text(text)
    # A passage too short to tell its language takes the language of the whole document.
    fallback = language or detect_language("\n".join(chunks))
    tips: dict[str, Tip] = {}
    for chunk in chunks:
        tip_id = make_tip_id(chunk)
        if tip_id in tips:  # the same passage twice (a repeated warning, say) is one tip
            continue
        tips[tip_id] = Tip(
            tip_id=tip_id,
            text=chunk,
            sku=sku,
            category=category,
            language=language or detect_language(chunk) or fallback,
            author=author,
            created_at=now,
        )
    return list(tips.values())


def read_document(
    data: bytes,
    filename: str,
    *,
    known_skus: Container[str] | None = None,
    now: datetime,
    author: str | None = None,
    sku: str | None = None,
) -> TipsFile:
    """Read a sent document into tips by its type; raise TipsFileError saying what is wrong."""
    suffix = Path(filename).suffix.lower()
    path = Path(filename)
    if suffix == ".csv":
        # A tips table names each row's SKU itself, so `sku` applies to prose documents only.
        tips_file = read_tips_bytes(data, known_skus=known_skus, now=now, path=path)
        if author is None:
            return tips_file
        # The sender is the author of rows that name none; the file's own values win.
        tips = [tip if tip.author else replace(tip, author=author) for tip in tips_file.tips]
        return replace(tips_file, tips=tips)
    if suffix not in ACCEPTED_TYPES:
        template = (
            N_(
                "a {suffix} file cannot be read; send a tips table (.csv), text (.txt), "
                "Markdown (.md) or a PDF (.pdf)"
            )
            if suffix
            else N_(
                "a file without an extension cannot be read; send a tips table (.csv), text "
                "(.txt), Markdown (.md) or a PDF (.pdf)"
            )
        )
        raise TipsFileError([Problem(0, "file", template, suffix=suffix)], path=path)
    if sku is not None and known_skus is not None and sku not in known_skus:
        raise TipsFileError(
            [Problem(0, "file: sku", N_("{sku!r} is not a known SKU"), sku=sku)], path=path
        )

    warnings: list[str] = []
    if suffix == ".pdf":
        text = _pdf_text(data, path=path, warnings=warnings)
    else:
        text = _utf8_text(data, path=path)
    tips = tips_from_text(text, sku=sku, author=author, now=now)
    if not tips:
        raise TipsFileError(
            [Problem(0, "file", N_("no text that could become a tip was found in the document"))],
            path=path,
        )
    # Every tip carries the send time: on a re-send, import keeps the date each tip already has.
    return TipsFile(
        tips=tips, warnings=warnings, undated_ids=frozenset(tip.tip_id for tip in tips)
    )


def _utf8_text(data: bytes, *, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problem = Problem(
            line,
            "file",
            N_("not UTF-8 text (byte 0x{byte}); save the document as UTF-8 text"),
            byte=f"{data[exc.start]:02x}",
        )
        raise TipsFileError([problem], path=path) from None


def _pdf_text(data: bytes, *, path: Path, warnings: list[str]) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise _unreadable_pdf(exc, path=path) from None
    if reader.is_encrypted:
        _decrypt_without_password(reader, path=path)
    try:
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise _unreadable_pdf(exc, path=path) from None
    if not any(page.strip() for page in pages):
        problem = Problem(
            0,
            "file",
            N_(
                "the PDF has no text layer (scanned pages?); send a PDF with selectable text, "
                "or the text itself"
            ),
        )
        raise TipsFileError([problem], path=path)
    empty = [str(number) for number, page in enumerate(pages, 1) if not page.strip()]
    if empty:
        template = (
            N_("page {pages}: no text (scanned?); skipped")
            if len(empty) == 1
            else N_("pages {pages}: no text (scanned?); skipped")
        )
        warnings.append(Problem(0, "", template, pages=", ".join(empty)))
    return "\n\n".join(_without_page_furniture([_join_hyphenated(page) for page in pages]))


def _decrypt_without_password(reader: PdfReader, *, path: Path) -> None:
    # Many PDFs are encrypted only against editing, with an empty password to read them.
    try:
        opened = bool(reader.decrypt(""))
    except DependencyError:
        # AES needs the optional `cryptography` package; the sender can fix it faster than we can.
        problem = Problem(
            0,
            "file",
            N_(
                "the PDF is encrypted (AES) and cannot be opened here; save or print it as a "
                "new PDF without protection and send that"
            ),
        )
        raise TipsFileError([problem], path=path) from None
    except PyPdfError as exc:
        raise _unreadable_pdf(exc, path=path) from None
    if not opened:
        raise TipsFileError(
            [Problem(0, "file", N_("the PDF is password-protected; send it without a password"))],
            path=path,
        )


def _unreadable_pdf(exc: Exception, *, path: Path) -> TipsFileError:
    # pypdf reports damaged files through several exception types; the sender needs one answer.
    return TipsFileError(
        [
            Problem(
                0,
                "file",
                N_("not a readable PDF ({error}); export or save it again"),
                error=f"{type(exc).__name__}: {exc}",
            )
        ],
        path=path,
    )


def _join_hyphenated(page: str) -> str:
    # PDF text breaks lines where the layout did, hyphenating words across them: "absor-\nbent".
    # A capital after the break means a real hyphen ("Wi-\nFi" stays "Wi-Fi" on one line).
    return _HYPHENATED_RE.sub(lambda m: m[1] + m[2] if m[2].islower() else f"{m[1]}-{m[2]}", page)


def _without_page_furniture(pages: list[str]) -> list[str]:
    """Drop running headers and footers: lines repeated on most pages of a longer document."""
    if len(pages) < 3:
        return pages
    seen = Counter(
        line for page in pages for line in {ln.strip() for ln in page.splitlines() if ln.strip()}
    )
    furniture = {line for line, count in seen.items() if count * 2 > len(pages)}
    return [
        "\n".join(ln for ln in page.splitlines() if ln.strip() not in furniture) for page in pages
    ]
