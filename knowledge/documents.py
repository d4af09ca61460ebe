"""Documents a manager sends (CSV, text, Markdown, PDF) turned into tips, with their language.

A tips CSV follows the contract of `knowledge.ingest`. Any other accepted document is prose: it
is cut into passages an associate can read in one go (one paragraph, bullet item or section,
about 60 to 600 characters), each a tip whose id derives from its text, so sending the same
document again updates its tips instead of duplicating them.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Container, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

from knowledge.ingest import TipsFile, TipsFileError, read_tips_bytes
from knowledge.tips import Tip, make_tip_id

ACCEPTED_TYPES = (".csv", ".txt", ".md", ".markdown", ".pdf")
# Shorter passages (a heading, "Care:") say too little alone: they lead into the next one.
MIN_CHUNK_CHARS = 60
# Longer ones are split between sentences: one tip should fit a phone screen.
MAX_CHUNK_CHARS = 600

# --- language detection -------------------------------------------------------------------------

# Function words: frequent, short, and what tells languages apart in a sentence about anything.
# A word several languages share counts for each of them in proportion (see _WORD_WEIGHTS).
_STOP_WORDS = {
    "en": "the a an and or but is are was were be been to of in on at for with from by this "
    "that these those it its you your they their we our he she his her not no do does don "
    "can will would should if when then than so as about into more most very also just only "
    "after before over all any each how what which who why there here have has had never "
    "always them",
    "es": "el la los las un una unos unas y o de del al a en es son está están que para por "
    "con sin se su sus lo le les como más muy pero no si cuando también porque ya hay este "
    "esta estos estas ese esa cada todo todos puede pueden usted ustedes siempre nunca "
    "después antes entre sobre hasta desde ni",
    "pt": "o a os as um uma uns umas e de do da dos das no na nos nas em ao aos à é são está "
    "estão que para por com sem se seu sua seus suas mais muito mas não quando também "
    "porque já há este esta isso esse essa cada todo todos pode podem você vocês sempre "
    "nunca depois antes entre sobre até desde pelo pela lhe",
    "it": "il lo la i gli le un uno una e è di del della dei degli delle da dal dalla in nel "
    "nella con su sul per tra fra che non si come più ma anche quando perché se sono questo "
    "questa questi ogni tutto tutti può possono sempre mai dopo prima molto ci al alla alle "
    "ai l dell nell all",
    "fr": "le la les un une des du de et est sont que qui pour par avec sans dans sur ne pas "
    "plus ce cet cette ces il elle ils elles on vous nous leur leurs au aux mais ou si quand "
    "aussi comme tout tous toujours jamais après avant très être avoir peut l d qu n c s j",
    "de": "der die das den dem des ein eine einen einem einer und oder ist sind war nicht kein "
    "keine mit für auf aus bei nach von vor zu zum zur im am an in es sie er wir ihr ihre "
    "dass wenn auch nur noch schon sehr immer nie kann können man wird werden sich so wie "
    "als aber",
    "nl": "de het een en of is zijn was niet geen met voor op uit bij na van te tot in aan om "
    "dat die dit deze als ook maar nog al wel zeer heel altijd nooit kan kunnen je jij u "
    "wij ze zij hun wordt worden er naar dan",
    "tr": "ve bir bu şu için ile da de ki mi mı mu mü ne çok daha en gibi olarak ama fakat her "
    "sonra önce kadar değil var yok olan ya veya ise diye çünkü hem sadece bile artık hiç "
    "nasıl",
    "ru": "и в во не на что с со по для как это из у за от но так же бы а или то все его её "
    "их он она они вы мы при",
}
# Letters that narrow the choice: each points at the languages that use it.
_LETTERS = {
    "ğ": "tr",
    "ş": "tr",
    "ı": "tr",
    "ß": "de",
    "ä": "de",
    "ñ": "es",
    "¿": "es",
    "¡": "es",
    "ã": "pt",
    "õ": "pt",
    "œ": "fr",
    "î": "fr",
    "û": "fr",
    "ì": "it",
    "ò": "it",
    "ù": "fr it",
    "è": "fr it",
    "ê": "fr pt",
    "ô": "fr pt",
    "â": "fr pt tr",
    "ç": "fr pt tr",
    "ö": "de tr",
    "ü": "de tr",
    "á": "es pt",
    "í": "es pt",
    "ó": "es pt",
    "ú": "es pt",
    "é": "fr es pt it",
    "à": "fr it pt",
    "ë": "fr nl",
    "ï": "fr nl",
}
# A letter only one language uses is near proof; accents several languages share count less.
_LETTER_WEIGHT = {"ğ": 1.0, "ş": 1.0, "ı": 1.0, "ß": 1.0, "ñ": 1.0, "ã": 1.0, "õ": 1.0}
_DEFAULT_LETTER_WEIGHT = 0.4
# Scripts that name their language outright (first match wins: kana before Han for Japanese).
_SCRIPTS = (
    ("el", re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
)
_WORD_RE = re.compile(r"[^\W\d_]+")
# Fewer words than this is a label or a name, not enough to tell a language by.
_MIN_WORDS = 3
# The winner must score at least this, and this many times the runner-up, to be trusted.
_MIN_SCORE = 1.0
_MIN_MARGIN = 1.5


def _word_weights() -> dict[str, dict[str, float]]:
    owners: dict[str, list[str]] = {}
    for language, words in _STOP_WORDS.items():
        for word in words.split():
            owners.setdefault(word, []).append(language)
    return {word: {lang: 1.0 / len(langs) for lang in langs} for word, langs in owners.items()}


_WORD_WEIGHTS = _word_weights()


def detect_language(text: str) -> str | None:
    """Guess a text's ISO 639-1 language, offline; None when too short or too close to call."""
    text = unicodedata.normalize("NFC", text)
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return None
    for language, script in _SCRIPTS:
        # A script used by one language settles it once it makes up much of the text.
        found = len(script.findall(text))
        if found >= 2 and found * 3 >= len(letters):
            return language
    # str.lower() maps the Turkish capital İ to "i" plus a combining dot: drop the dot.
    lowered = text.lower().replace("\u0307", "")
    # Elisions split into words of their own ("l'eau" gives "l"), which the lists expect.
    words = _WORD_RE.findall(lowered)
    if len(words) < _MIN_WORDS:
        return None
    scores: dict[str, float] = defaultdict(float)
    for word in words:
        for language, weight in _WORD_WEIGHTS.get(word, {}).items():
            scores[language] += weight
    for ch in lowered:
        if owners := _LETTERS.get(ch):
            langs = owners.split()
            weight = _LETTER_WEIGHT.get(ch, _DEFAULT_LETTER_WEIGHT)
            for language in langs:
                scores[language] += weight / len(langs)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:2]
    if not ranked or ranked[0][1] < _MIN_SCORE:
        return None
    if len(ranked) == 2 and ranked[0][1] < _MIN_MARGIN * ranked[1][1]:
        return None
    return ranked[0][0]


# --- text into tips -----------------------------------------------------------------------------

_HEADING_RE = re.compile(r"^#{1,6}\s+(.*?)(?:\s+#+)?$")
_BULLET_RE = re.compile(r"^(?:[-*+•▪◦‣–]|\d{1,3}[.)])\s+(.*)$")
_RULE_RE = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")
_FENCE_RE = re.compile(r"^\s*(?:```|~~~)")
_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_QUOTE_RE = re.compile(r"^\s*(?:>\s?)+")
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
# Markers must stand at word edges, so snake_case names and 2*3 survive.
_EMPHASIS_RE = re.compile(r"(?<!\w)(\*{1,3}|_{1,3}|~~)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_CODE_RE = re.compile(r"`([^`]*)`")
_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
_HYPHENATED_RE = re.compile(r"([^\W\d_])-\n([^\W\d_])")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…;。！？])\s+")
# Page furniture and legal lines: true of every document, useful in none.
_BOILERPLATE_RE = re.compile(
    r"^(?:(?:page|pág(?:ina)?|seite|sayfa|pagina|σελίδα)\s*\d+(?:\s*(?:of|/|de|von|di)\s*\d+)?"
    r"|\d+(?:\s*/\s*\d+)?|confidential|internal use only|for internal use only"
    r"|all rights reserved\.?|table of contents|contents|(?:©|\(c\)|copyright\b).*)$",
    re.IGNORECASE,
)


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
    chunks = _chunks(text)
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


class _Passage(NamedTuple):
    """A paragraph or bullet item; items of one list share a list number."""

    text: str
    list_id: int | None = None


def _chunks(text: str) -> list[str]:
    chunks: list[str] = []
    for heading, passages in _sections(text):
        chunks += _merge_short(heading, passages)
    return [piece for chunk in chunks for piece in _split_long(chunk)]


def _sections(text: str) -> list[tuple[str, list[_Passage]]]:
    """Split into (heading, passages) with markup stripped; headings in a row form one trail."""
    sections: list[tuple[str, list[_Passage]]] = [("", [])]
    lists = 0
    previous = ""
    for kind, raw in _blocks(text):
        block = _clean_inline(raw)
        if not _has_words(block) or _BOILERPLATE_RE.match(block):
            continue
        if kind == "item" and previous != "item":
            lists += 1
        previous = kind
        if kind != "heading":
            sections[-1][1].append(_Passage(block, lists if kind == "item" else None))
            continue
        heading, passages = sections[-1]
        if heading and not passages:
            # "# Towel care" then "## Washing": both name what follows.
            sections[-1] = (f"{heading} – {block}", [])
        else:
            sections.append((block, []))
    return sections


def _blocks(text: str) -> Iterable[tuple[str, str]]:
    """Yield ("heading" | "item" | "para", text) for each block of the text, as one line."""
    current: list[str] = []
    kind = "para"
    in_fence = False

    def flush() -> Iterable[tuple[str, str]]:
        if current:
            yield kind, " ".join(current)
            current.clear()

    for raw in unicodedata.normalize("NFC", text).replace("\r\n", "\n").split("\n"):
        line = _QUOTE_RE.sub("", raw).strip()
        if _FENCE_RE.match(line):
            # A code block's text is kept; its fences are markup.
            in_fence = not in_fence
            yield from flush()
            kind = "para"
            continue
        if not line or _RULE_RE.match(line) or _TABLE_RULE_RE.match(line):
            yield from flush()
            kind = "para"
            continue
        if _BOILERPLATE_RE.match(line):
            # Checked per line too: PDF text has no blank lines to set a page number apart.
            continue
        if in_fence:
            current.append(line)
            continue
        if heading := _HEADING_RE.match(line):
            yield from flush()
            yield "heading", heading.group(1)
            kind = "para"
            continue
        if bullet := _BULLET_RE.match(line):
            yield from flush()
            # Lines after the bullet, up to a blank line, continue the same item.
            kind = "item"
            current.append(bullet.group(1))
            continue
        if line.startswith("|"):
            line = " ".join(cell.strip() for cell in line.strip("|").split("|"))
        current.append(line)
    yield from flush()


def _clean_inline(block: str) -> str:
    block = _IMAGE_RE.sub(r"\1", block)
    block = _LINK_RE.sub(r"\1", block)
    block = _CODE_RE.sub(r"\1", block)
    block = _TAG_RE.sub(" ", block)
    # Twice: emphasis nests (***bold italic***, **_both_**).
    block = _EMPHASIS_RE.sub(r"\2", _EMPHASIS_RE.sub(r"\2", block))
    return " ".join(block.split())


def _has_words(block: str) -> bool:
    return sum(ch.isalpha() for ch in block) >= 2


def _merge_short(heading: str, passages: list[_Passage]) -> list[str]:
    """Join passages shorter than MIN_CHUNK_CHARS to the next one, within one section."""
    merged: list[_Passage] = []
    # The heading leads into the section's first passage: "Towels: Skip fabric softener."
    pending = f"{heading.rstrip(':')}:" if heading else ""
    for position, passage in enumerate(passages):
        text = f"{pending} {passage.text}" if pending else passage.text
        pending = ""
        if len(text) >= MIN_CHUNK_CHARS:
            merged.append(_Passage(text, passage.list_id))
            continue
        following = passages[position + 1] if position + 1 < len(passages) else None
        ends_list = following is None or following.list_id != passage.list_id
        in_list = passage.list_id is not None and bool(merged)
        if in_list and ends_list and merged[-1].list_id == passage.list_id:
            # A short last item stays with its list rather than joining what follows it.
            merged[-1] = _Passage(f"{merged[-1].text} {_as_lead_in(text)}", passage.list_id)
            continue
        pending = _as_lead_in(text)
    if pending and passages:
        # A short last passage joins the one before; alone, it is still a tip. A heading with
        # nothing under it is dropped.
        if merged:
            merged[-1] = _Passage(f"{merged[-1].text} {pending}", merged[-1].list_id)
        else:
            merged.append(_Passage(pending))
    return [passage.text for passage in merged]


def _as_lead_in(text: str) -> str:
    # "Wash at 40 °C" + "Skip softener." reads as two sentences, not one run-on line.
    return text if text[-1] in ".!?…;:,。！？" else text + "."


def _split_long(chunk: str) -> list[str]:
    if len(chunk) <= MAX_CHUNK_CHARS:
        return [chunk]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END_RE.split(chunk):
        for part in _hard_wrap(sentence):
            if current and len(current) + 1 + len(part) > MAX_CHUNK_CHARS:
                pieces.append(current)
                current = part
            else:
                current = f"{current} {part}" if current else part
    if current:
        pieces.append(current)
    # Greedy packing can leave a crumb at the end: give it to the piece before.
    if len(pieces) > 1 and len(pieces[-1]) < MIN_CHUNK_CHARS:
        crumb = pieces.pop()
        pieces[-1] = f"{pieces[-1]} {crumb}"
    return pieces


def _hard_wrap(sentence: str) -> list[str]:
    """Cut a sentence longer than a whole tip between words; most sentences pass unchanged."""
    if len(sentence) <= MAX_CHUNK_CHARS:
        return [sentence]
    parts: list[str] = []
    current = ""
    for word in sentence.split(" "):
        if current and len(current) + 1 + len(word) > MAX_CHUNK_CHARS:
            parts.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        parts.append(current)
    return parts


# --- documents ----------------------------------------------------------------------------------


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
        kind = f"a {suffix} file" if suffix else "a file without an extension"
        raise TipsFileError(
            [
                f"file: {kind} cannot be read; send a tips table (.csv), text (.txt), "
                "Markdown (.md) or a PDF (.pdf)"
            ],
            path=path,
        )
    if sku is not None and known_skus is not None and sku not in known_skus:
        raise TipsFileError([f"file: sku: {sku!r} is not a known SKU"], path=path)

    warnings: list[str] = []
    if suffix == ".pdf":
        text = _pdf_text(data, path=path, warnings=warnings)
    else:
        text = _utf8_text(data, path=path)
    tips = tips_from_text(text, sku=sku, author=author, now=now)
    if not tips:
        raise TipsFileError(
            ["file: no text that could become a tip was found in the document"], path=path
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
        problem = (
            f"line {line}: file: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save the document as UTF-8 text"
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
        problem = (
            "file: the PDF has no text layer (scanned pages?); send a PDF with selectable text, "
            "or the text itself"
        )
        raise TipsFileError([problem], path=path)
    empty = [str(number) for number, page in enumerate(pages, 1) if not page.strip()]
    if empty:
        noun = "page" if len(empty) == 1 else "pages"
        warnings.append(f"{noun} {', '.join(empty)}: no text (scanned?); skipped")
    return "\n\n".join(_without_page_furniture([_join_hyphenated(page) for page in pages]))


def _decrypt_without_password(reader: PdfReader, *, path: Path) -> None:
    # Many PDFs are encrypted only against editing, with an empty password to read them.
    try:
        opened = bool(reader.decrypt(""))
    except DependencyError:
        # AES needs the optional `cryptography` package; the sender can fix it faster than we can.
        problem = (
            "file: the PDF is encrypted (AES) and cannot be opened here; save or print it as a "
            "new PDF without protection and send that"
        )
        raise TipsFileError([problem], path=path) from None
    except PyPdfError as exc:
        raise _unreadable_pdf(exc, path=path) from None
    if not opened:
        raise TipsFileError(
            ["file: the PDF is password-protected; send it without a password"], path=path
        )


def _unreadable_pdf(exc: Exception, *, path: Path) -> TipsFileError:
    # pypdf reports damaged files through several exception types; the sender needs one answer.
    return TipsFileError(
        [f"file: not a readable PDF ({type(exc).__name__}: {exc}); export or save it again"],
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
