"""What a parsed row of an import file becomes in the staging table: its columns' values, the
values derived from them (a phone's key, a time's UTC offset), then its note key or stamps; and
which rows a file may repeat."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from storage.import_contract import ImportOptions, KindSpec
from storage.local_times import LocalTime, local_time, store_zone
from storage.notes import note_key


class StagedRows:
    """Completes the parsed rows of one import file of `spec`'s kind, in file order."""

    def __init__(
        self,
        spec: KindSpec,
        options: ImportOptions,
        now: datetime,
        problem: Callable[[int, str, str], None],
    ):
        """`now` (tz-aware) stamps the rows; `problem(line, column, reason)` hears of a row
        defined twice with different values; ValueError for an unknown time zone."""
        self.spec = spec
        self.now = now
        # A note without a date was written now, in the store's time.
        self.local_now = local_time(now, store_zone(options.store_timezone))
        self.problem = problem
        # Positions of the columns whose parser gives (value, derived value): see _split.
        self.derived_at = [i for i, c in enumerate(spec.columns) if c.derived]
        # Exact repeats of a customer or product row are harmless; different values are not.
        self.seen: dict[tuple[Any, ...], tuple[int, tuple[Any, ...]]] = {}

    def complete(self, line: int, values: list[Any]) -> list[Any] | None:
        """Return the staged values of the row on `line` whose columns were parsed to
        `values` (in the contract's column order), or None to skip it (a repeat)."""
        kind = self.spec.kind
        if kind == "notes":
            customer_id, text, author, created = values
            # The key of a note stays what it was before local times were kept (see identity).
            when = created.identity() if isinstance(created, LocalTime) else None
            digest = note_key(customer_id, text, author, when)
            if (digest,) in self.seen:
                return None  # the same note twice in one file is one note
            self.seen[(digest,)] = (line, ())
            values[3] = created or self.local_now
            self._split(values)
            values.append(digest)
            return values
        if self.derived_at:
            self._split(values)
        if not self.spec.merge_quantities:
            key = tuple(values[: len(self.spec.key)])
            earlier = self.seen.get(key)
            if earlier is not None:
                if earlier[1] != tuple(values):
                    self.problem(
                        line,
                        "/".join(self.spec.key),
                        f"{key[0]!r} is defined again with different values (first on line "
                        f"{earlier[0]})",
                    )
                return None
            self.seen[key] = (line, tuple(values))
        if self.spec.stamped:
            values += [self.now, self.now]
        return values

    def _split(self, values: list[Any]) -> None:
        # A column with a derived one was parsed to (value, derived value, ...), or is None:
        # keep the value in place and append the derived one after the file's columns.
        for i in self.derived_at:
            parsed = values[i]
            if parsed is None:
                values.append(None)
            else:
                values[i] = parsed[0]
                values.append(parsed[1])
