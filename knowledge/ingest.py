"""The tips CSV contract: reading and validating a tips file, and importing it into the store.

A tips file is UTF-8 CSV (a BOM is fine) with a header row; columns in any order:
`text` (required), `tip_id`, `sku`, `category`, `language` (ISO 639-1), `author`,
`created_at` (ISO 8601 date or date-time; naive means UTC). A file with any invalid row is
rejected as a whole, with every problem listed as "line N: column: reason".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Container
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from knowledge.language import is_language_code
from knowledge.tips import Tip, TipStore, add_tips, get_tips, make_tip_id

COLUMNS = ("text", "tip_id", "sku", "category", "language", "author", "created_at")
MAX_PROBLEMS_SHOWN = 50


def N_(message: str) -> str:
    """Mark a problem's English template for extraction; the bot translates it (bot.core.i18n),
    this package only states it."""
    return message


class Problem(str):
    """One problem or warning about a tips file, as "line N: column: reason" (a str, in
    English), keeping what a caller needs to say it in another language: `line` (0 when the
    whole file), `column`, `template` (the reason's English message id, marked with N_) and
    its `params`."""

    line: int
    column: str
    template: str
    params: dict[str, object]

    def __new__(cls, line: int, column: str, template: str, **params: object) -> Problem:
        reason = template.format(**params)
        where = f"line {line}: {column}" if line else column
        text = f"{where}: {reason}" if where else reason
        made = super().__new__(cls, text)
        made.line, made.column, made.template, made.params = line, column, template, params
        return made


class TipsFileError(ValueError):
    """A tips file that cannot be imported; `problems` holds every "line N: column: reason"."""

    def __init__(self, problems: list[str], *, path: Path | None = None) -> None:
        self.problems = list(problems)
        self.path = path
        super().__init__(self._describe())

    def _describe(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        # No path here: callers print it themselves ("error: tips.csv: ...").
        lines = [f"{count} {noun}, nothing was imported:"]
        lines += [f"  {problem}" for problem in self.problems[:MAX_PROBLEMS_SHOWN]]
        if count > MAX_PROBLEMS_SHOWN:
            lines.append(f"  ... and {count - MAX_PROBLEMS_SHOWN} more problems")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class TipsFile:
    """The valid tips read from a file and the warnings worth showing to whoever imports it."""

    tips: list[Tip]
    warnings: list[str] = field(default_factory=list)
    # Tips whose row had no created_at: on re-import they keep the date they already have.
    undated_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class TipsImportResult:
    """What an import changed in the store."""

    added: int
    updated: int
    unchanged: int
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Return the number of tips in the file."""
        return self.added + self.updated + self.unchanged

    def summary(self) -> str:
        """Return a one-line summary for people."""
        return (
            f"{self.total} tips read, {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


def read_tips_csv(
    path: Path, *, known_skus: Container[str] | None = None, now: datetime
) -> TipsFile:
    """Read and validate a tips CSV; raise TipsFileError listing every problem if a row is bad."""
    return read_tips_bytes(path.read_bytes(), known_skus=known_skus, now=now, path=path)


def read_tips_bytes(
    data: bytes,
    *,
    known_skus: Container[str] | None = None,
    now: datetime,
    path: Path | None = None,
) -> TipsFile:
    """Read and validate tips CSV content (an upload, say) exactly as `read_tips_csv` does."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problem = Problem(
            line,
            "file",
            N_("not UTF-8 text (byte 0x{byte}); save the file as 'CSV UTF-8'"),
            byte=f"{data[exc.start]:02x}",
        )
        raise TipsFileError([problem], path=path) from None
    return _parse(text, path=path, known_skus=known_skus, now=_as_utc(now))


def import_tips_csv(
    store: TipStore,
    path: Path,
    *,
    known_skus: Container[str] | None = None,
    now: datetime,
) -> TipsImportResult:
    """Read a tips CSV and, only if every row is valid, add or update its tips in the store."""
    return import_tips(store, read_tips_csv(path, known_skus=known_skus, now=now))


def import_tips(store: TipStore, tips_file: TipsFile) -> TipsImportResult:
    """Add or update the tips of an already validated file (a CSV or a document) in the store."""
    existing = {tip.tip_id: tip for tip in get_tips(store, [t.tip_id for t in tips_file.tips])}
    changed: list[Tip] = []
    added = unchanged = 0
    for tip in tips_file.tips:
        old = existing.get(tip.tip_id)
        if old is None:
            added += 1
            changed.append(tip)
            continue
        current = tip
        if tip.tip_id in tips_file.undated_ids:
            current = replace(tip, created_at=old.created_at)
        if current == old:
            # Skipping unchanged tips spares re-embedding the whole file on every re-import.
            unchanged += 1
        else:
            changed.append(current)
    add_tips(store, changed)
    return TipsImportResult(
        added=added,
        updated=len(changed) - added,
        unchanged=unchanged,
        warnings=list(tips_file.warnings),
    )


def _parse(
    text: str, *, path: Path | None, known_skus: Container[str] | None, now: datetime
) -> TipsFile:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise TipsFileError(
            [Problem(1, "header", N_("malformed CSV ({error})"), error=exc)], path=path
        ) from None
    if header is None:
        problem = Problem(
            1, "header", N_("the file is empty; expected a header row with a 'text' column")
        )
        raise TipsFileError([problem], path=path)

    columns, problems, warnings = _read_header(header)
    if problems:
        raise TipsFileError(problems, path=path)

    tips: list[Tip] = []
    undated: set[str] = set()
    first_seen: dict[str, tuple[int, Tip]] = {}
    last_line = reader.line_num
    while True:
        line = last_line + 1  # a quoted value may span several physical lines
        try:
            row = next(reader, None)
        except csv.Error as exc:
            # The reader cannot resynchronise after broken quoting: stop at the first one.
            problems.append(
                Problem(line, "row", N_("malformed CSV ({error}); check the quotes"), error=exc)
            )
            break
        if row is None:
            break
        last_line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(
                Problem(
                    line,
                    "row",
                    N_(
                        "{values} values but the header has {columns} columns; quote values "
                        "that contain commas"
                    ),
                    values=len(row),
                    columns=len(header),
                )
            )
            continue
        # Short rows are accepted: some tools drop trailing empty values.
        values = {
            name: row[pos].strip() if pos < len(row) else "" for name, pos in columns.items()
        }
        tip, row_problems = _read_row(values, line=line, known_skus=known_skus, now=now)
        problems += row_problems
        if tip is None:
            continue
        seen = first_seen.get(tip.tip_id)
        if seen is None:
            first_seen[tip.tip_id] = (line, tip)
            tips.append(tip)
            if not values.get("created_at"):
                undated.add(tip.tip_id)
        elif seen[1] == tip:
            warnings.append(
                Problem(line, "tip_id", N_("repeats line {first} exactly; ignored"), first=seen[0])
            )
        else:
            problems.append(
                Problem(
                    line,
                    "tip_id",
                    N_("{tip_id!r} is already used on line {first} with different values")
                    if values.get("tip_id")
                    else N_(
                        "{tip_id!r} is already used on line {first} with different values "
                        "(same text: give each row its own tip_id)"
                    ),
                    tip_id=tip.tip_id,
                    first=seen[0],
                )
            )

    if problems:
        raise TipsFileError(problems, path=path)
    if not tips:
        warnings.append(Problem(0, "", N_("the file has no tips (only a header)")))
    return TipsFile(tips=tips, warnings=warnings, undated_ids=frozenset(undated))


def _read_header(header: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    columns: dict[str, int] = {}
    problems: list[str] = []
    unknown: list[str] = []
    for pos, cell in enumerate(header):
        name = cell.strip().lower()
        if not name:
            continue  # spreadsheets often export unnamed empty columns
        if name in columns:
            problems.append(Problem(1, "header", N_("column {name!r} appears twice"), name=name))
        elif name in COLUMNS:
            columns[name] = pos
        else:
            unknown.append(cell.strip())
    if "text" not in columns:
        problems.append(
            Problem(
                1,
                "header",
                N_("missing required column 'text' (known columns: {known})"),
                known=", ".join(COLUMNS),
            )
        )
    warnings: list[str] = []
    if unknown:
        warnings.append(
            Problem(
                0,
                "",
                N_("ignored unknown columns: {unknown} (known columns: {known})"),
                unknown=", ".join(unknown),
                known=", ".join(COLUMNS),
            )
        )
    return columns, problems, warnings


def _read_row(
    values: dict[str, str],
    *,
    line: int,
    known_skus: Container[str] | None,
    now: datetime,
) -> tuple[Tip | None, list[str]]:
    problems: list[str] = []
    text = values.get("text", "")
    if not text:
        problems.append(Problem(line, "text", N_("is empty; every tip needs a text")))

    language = values.get("language", "").lower()
    if language and not is_language_code(language):
        problems.append(
            Problem(
                line,
                "language",
                N_("{value!r} is not a two-letter ISO 639-1 code such as en, es, tr, el or de"),
                value=values["language"],
            )
        )

    sku = values.get("sku", "")
    if sku and known_skus is not None and sku not in known_skus:
        problems.append(Problem(line, "sku", N_("{sku!r} is not a known SKU"), sku=sku))

    created_at = now
    if raw_date := values.get("created_at", ""):
        try:
            created_at = _as_utc(datetime.fromisoformat(raw_date))
        except ValueError:
            problems.append(
                Problem(
                    line,
                    "created_at",
                    N_(
                        "{value!r} is not an ISO 8601 date or date-time such as 2025-03-01 or "
                        "2025-03-01T14:30:00+01:00"
                    ),
                    value=raw_date,
                )
            )

    if problems:
        return None, problems
    tip = Tip(
        tip_id=values.get("tip_id") or make_tip_id(text),
        text=text,
        sku=sku or None,
        category=values.get("category") or None,
        language=language or None,
        author=values.get("author") or None,
        created_at=created_at,
    )
    return tip, []


def _as_utc(moment: datetime) -> datetime:
    # The contract says naive times are UTC.
    if moment.utcoffset() is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
