"""What an import says: the problems it found (`line N: column: reason`) and what it did."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

MAX_LISTED_PROBLEMS = 50


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one row of a file."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.reason}"


class ImportFailed(Exception):
    """The file has invalid rows (or cannot be read); nothing was written."""

    def __init__(self, path: Path, problems: Sequence[Problem], total: int | None = None):
        self.path = path
        self.problems = sorted(problems)
        self.total = total if total is not None else len(self.problems)
        super().__init__(self.describe())

    def describe(self, limit: int = MAX_LISTED_PROBLEMS) -> str:
        """Return every problem up to `limit` in full, then a count of the rest."""
        lines = [f"{self.path}: {self.total} problem(s), nothing was imported"]
        lines += [str(p) for p in self.problems[:limit]]
        if self.total > limit:
            lines.append(f"... and {self.total - limit} more problem(s)")
        return "\n".join(lines)


@dataclass
class ImportReport:
    """What an import did."""

    kind: str
    path: Path
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    # Rows whose every cell is empty (Excel's ",,,,"): skipped, not in `rows`.
    empty_rows: int = 0
    # What separates the file's columns: ",", ";", "\t" or "|".
    delimiter: str = ","
    warnings: list[str] = field(default_factory=list)
    # Customers on the suppression list (erased) whose rows were skipped, and those rows.
    erased_customers: int = 0
    erased_rows: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """Return a one-line summary for people."""
        text = (
            f"{self.kind}: {self.rows} rows read, {self.inserted} added, "
            f"{self.updated} updated, {self.unchanged} unchanged"
        )
        if self.merged:
            text += f", {self.merged} repeated lines merged"
        if self.empty_rows:
            text += f", skipped {self.empty_rows} empty row{'s' * (self.empty_rows != 1)}"
        if self.erased_customers:
            many = self.erased_customers != 1
            text += f", {self.erased_customers} erased customer{'s' * many} skipped"
            if self.erased_rows != self.erased_customers:
                text += f" ({self.erased_rows} rows)"
        if self.delimiter != ",":
            text += f", columns separated by {_SEPARATORS.get(self.delimiter, self.delimiter)}"
        return f"{text} ({self.seconds:.1f} s)"


_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
