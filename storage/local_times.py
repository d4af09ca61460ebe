"""Times as the receipt shows them: the local wall-clock time an export gives, and its offset.

A purchase made at 21:30 on 31 December in New York is exported as `2024-12-31 21:30:00 -0500`.
The store keeps it as 21:30 on 31 December, labelled UTC (so every query, period filter and
display shows the local date), with the offset from UTC in minutes (-300) beside it, from which
the instant can be recovered (`LocalTime.instant`, `utc_instant`). Times the file writes without a
zone are local times in the store's time zone; times in UTC (`Z`, `+00:00`) are converted to it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Shopify writes the offset after a space (`2024-12-31 21:30:00 -0500`), which not every
# Python 3.11 release's fromisoformat accepts: the space is dropped when a time precedes it.
_SPACED_ZONE = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?) +([+-]\d{2}(?::?\d{2})?|Z)$")


class LocalTime(NamedTuple):
    """A time as a file gives it: `wall` is its wall-clock time labelled UTC, `offset_minutes`
    that time's offset from UTC (-300 for New York in winter), `zoned` whether the file said the
    zone (Z or an offset) rather than leaving it to the store's time zone."""

    wall: datetime
    offset_minutes: int
    zoned: bool

    def instant(self) -> datetime:
        """Return the moment itself, in UTC."""
        return self.wall - timedelta(minutes=self.offset_minutes)

    def identity(self) -> str:
        """Return the time as the file meant it, as ISO text that no setting changes: the
        instant in UTC when the file gave a zone, the wall time (labelled UTC) when not."""
        return (self.instant() if self.zoned else self.wall).isoformat()


def store_zone(name: str) -> tzinfo:
    """Return the time zone called `name` (an IANA name such as Europe/Berlin; "UTC");
    raise ValueError saying what is expected when there is none by that name."""
    if name.strip().upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder
        raise ValueError(
            f"unknown time zone {name!r}: use an IANA name such as Europe/Berlin, "
            "America/New_York or UTC"
        ) from None


def parse_local_time(raw: str, zone: tzinfo) -> LocalTime:
    """Parse an ISO 8601 date or date-time (also `2024-12-31 21:30:00 -0500`) as a LocalTime.

    An explicit non-zero offset is kept with the wall time as written; a UTC time (Z, +00:00)
    is converted to `zone`'s local time; a time without a zone, or a date alone (midnight), is
    a local time in `zone`, its offset taken from `zone` on that date (for a wall time that a
    DST change makes ambiguous, the earlier one). Raise ValueError with a reason for people."""
    text = _SPACED_ZONE.sub(r"\1\2", raw.strip())
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"not an ISO 8601 date or date-time: {raw!r} (e.g. 2025-03-01 or 2025-03-01T14:30:00Z)"
        ) from None
    offset = value.utcoffset()
    if offset is None:
        return _in_zone(value, zone, zoned=False)
    if not offset:
        return _in_zone(value.astimezone(zone).replace(tzinfo=None), zone, zoned=True)
    return LocalTime(value.replace(tzinfo=UTC), _minutes(offset), zoned=True)


def local_time(moment: datetime, zone: tzinfo) -> LocalTime:
    """Return the tz-aware `moment` as a LocalTime in `zone` (e.g. now, for a note without a
    date)."""
    return _in_zone(moment.astimezone(zone).replace(tzinfo=None), zone, zoned=True)


def utc_instant(wall: datetime, offset_minutes: int | None) -> datetime:
    """Return the moment a stored wall time (labelled UTC) with its offset in minutes stands
    for, in UTC; with no offset (rows stored before offsets were kept) the time is UTC."""
    return wall - timedelta(minutes=offset_minutes or 0)


def _in_zone(naive: datetime, zone: tzinfo, *, zoned: bool) -> LocalTime:
    # `fold` tells the two 01:30s of a night the clocks go back apart (set by astimezone).
    offset = zone.utcoffset(naive)
    return LocalTime(naive.replace(tzinfo=UTC, fold=0), _minutes(offset), zoned)


def _minutes(offset: timedelta | None) -> int:
    return 0 if offset is None else int(offset.total_seconds() // 60)
