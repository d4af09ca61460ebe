"""Prose and Markdown cut into passages an associate can read in one go: the text of tips.

markdown-it-py reads the structure (headings, paragraphs, list items, table rows, code) and
langchain's RecursiveCharacterTextSplitter cuts a long passage between sentences. What makes a
good tip is decided here: headings lead into what follows them, short passages join their
neighbours, and page furniture is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from langchain_text_splitters import RecursiveCharacterTextSplitter
from markdown_it import MarkdownIt
from markdown_it.token import Token

# Shorter passages (a heading, "Care:") say too little alone: they lead into the next one.
MIN_CHUNK_CHARS = 60
# Longer ones are split between sentences: one tip should fit a phone screen.
MAX_CHUNK_CHARS = 600

# CommonMark plus tables and ~~strike~~. Indented code is off: in a plain-text or PDF document
# an indented line is prose, not code.
_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("code")
# Between sentences first, between words when one sentence is longer than a whole tip.
_SPLITTER = RecursiveCharacterTextSplitter(
    separators=[r"(?<=[.!?…;。！？])\s+", r"\s+"],
    is_separator_regex=True,
    chunk_size=MAX_CHUNK_CHARS,
    chunk_overlap=0,
)
# Word processors and PDFs mark list items with glyphs Markdown does not know.
_GLYPH_BULLET_RE = re.compile(r"^([ \t]*)[•▪◦‣–](?=[ \t])", re.MULTILINE)
_HTML_RE = re.compile(r"<!--.*?-->|</?[a-zA-Z][^>]*>", re.DOTALL)
# Page furniture and legal lines: true of every document, useful in none.
_BOILERPLATE_RE = re.compile(
    r"^(?:(?:page|pág(?:ina)?|seite|sayfa|pagina|σελίδα)\s*\d+(?:\s*(?:of|/|de|von|di)\s*\d+)?"
    r"|\d+(?:\s*/\s*\d+)?|confidential|internal use only|for internal use only"
    r"|all rights reserved\.?|table of contents|contents|(?:©|\(c\)|copyright\b).*)$",
    re.IGNORECASE,
)


class _Block(NamedTuple):
    """A heading, a passage or a table row; items of one list or rows of one table share a
    list number."""

    kind: str  # "heading" | "passage" | "row"
    text: str
    list_id: int | None = None


def chunk_text(text: str) -> list[str]:
    """Cut prose or Markdown into tip-sized passages, markup stripped, in document order."""
    chunks: list[str] = []
    for heading, passages in _sections(text):
        chunks += _merge_short(heading, passages)
    return [piece for chunk in chunks for piece in _split_long(chunk)]


def _sections(text: str) -> list[tuple[str, list[_Block]]]:
    """Split into (heading, passages); headings in a row form one trail."""
    sections: list[tuple[str, list[_Block]]] = [("", [])]
    for block in _blocks(text):
        if block.kind == "row":
            # A row's cells are data ("M", "38-40"), never page furniture.
            if block.text:
                sections[-1][1].append(block)
            continue
        if not _has_words(block.text) or _BOILERPLATE_RE.match(block.text):
            continue
        if block.kind == "passage":
            sections[-1][1].append(block)
            continue
        heading, passages = sections[-1]
        if heading and not passages:
            # "# Towel care" then "## Washing": both name what follows.
            sections[-1] = (f"{heading} – {block.text}", [])
        else:
            sections.append((block.text, []))
    return sections


def _blocks(text: str) -> Iterator[_Block]:
    """Yield the headings and passages of a Markdown (or plain) text, each as one line."""
    text = _GLYPH_BULLET_RE.sub(r"\1-", unicodedata.normalize("NFC", text))
    lists = depth = 0
    in_heading = in_cell = False
    row: list[str] = []
    for token in _MARKDOWN.parse(text):
        match token.type:
            case "bullet_list_open" | "ordered_list_open" | "table_open":
                # Items of a nested list belong to the list around it; a table is a list of rows.
                lists += depth == 0
                depth += 1
            case "bullet_list_close" | "ordered_list_close" | "table_close":
                depth -= 1
            case "heading_open" | "heading_close":
                in_heading = token.nesting == 1
            case "th_open" | "td_open" | "th_close" | "td_close":
                in_cell = token.nesting == 1
            case "inline" if in_heading:
                yield _Block("heading", _inline_text(token.children or []))
            case "inline" if in_cell:
                row.append(_inline_text(token.children or [], furniture=False))
            case "tr_close":
                yield _Block("row", " ".join(cell for cell in row if cell), lists)
                row.clear()
            case "inline":
                yield _Block(
                    "passage", _inline_text(token.children or []), lists if depth else None
                )
            case "fence" | "html_block":
                # A code block's text is kept; its fences and tags are markup.
                lines = _HTML_RE.sub(" ", token.content).splitlines()
                yield _Block("passage", _joined(lines), lists if depth else None)


def _inline_text(children: Sequence[Token], *, furniture: bool = True) -> str:
    """Return the text of an inline token without markup (and page furniture), as one line."""
    lines = [""]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append("")
        elif child.type in ("text", "code_inline", "image"):
            lines[-1] += child.content  # an image stands for its alt text
        elif child.type == "html_inline":
            lines[-1] += " "
    return _joined(lines, furniture=furniture)


def _joined(lines: Sequence[str], *, furniture: bool = True) -> str:
    if furniture:
        # Checked per line: PDF text has no blank lines to set a page number apart.
        lines = [line for line in lines if not _BOILERPLATE_RE.match(line.strip())]
    return " ".join(" ".join(lines).split())


def _has_words(block: str) -> bool:
    return sum(ch.isalpha() for ch in block) >= 2


def _merge_short(heading: str, passages: list[_Block]) -> list[str]:
    """Join passages shorter than MIN_CHUNK_CHARS to the next one, within one section."""
    merged: list[_Block] = []
    # The heading leads into the section's first passage: "Towels: Skip fabric softener."
    pending = f"{heading.rstrip(':')}:" if heading else ""
    for position, passage in enumerate(passages):
        text = f"{pending} {passage.text}" if pending else passage.text
        pending = ""
        if len(text) >= MIN_CHUNK_CHARS:
            merged.append(passage._replace(text=text))
            continue
        following = passages[position + 1] if position + 1 < len(passages) else None
        ends_list = following is None or following.list_id != passage.list_id
        in_list = passage.list_id is not None and bool(merged)
        if in_list and ends_list and merged[-1].list_id == passage.list_id:
            # A short last item stays with its list rather than joining what follows it.
            merged[-1] = passage._replace(text=f"{merged[-1].text} {_as_lead_in(text)}")
            continue
        pending = _as_lead_in(text)
    if pending and passages:
        # A short last passage joins the one before; alone, it is still a tip. A heading with
        # nothing under it is dropped.
        if merged:
            merged[-1] = merged[-1]._replace(text=f"{merged[-1].text} {pending}")
        else:
            merged.append(_Block("passage", pending))
    return [passage.text for passage in merged]


def _as_lead_in(text: str) -> str:
    # "Wash at 40 °C" + "Skip softener." reads as two sentences, not one run-on line.
    return text if text[-1] in ".!?…;:,。！？" else text + "."


def _split_long(chunk: str) -> list[str]:
    if len(chunk) <= MAX_CHUNK_CHARS:
        return [chunk]
    pieces = _SPLITTER.split_text(chunk)
    # Packing can leave a crumb at the end: give it to the piece before.
    if len(pieces) > 1 and len(pieces[-1]) < MIN_CHUNK_CHARS:
        crumb = pieces.pop()
        pieces[-1] = f"{pieces[-1]} {crumb}"
    return pieces
