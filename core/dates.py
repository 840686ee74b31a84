"""Reading dates from imported text, with python-dateutil (one home for every importer).

``iso_datetime(raw)``  ISO 8601 with at least a full calendar day ("2022-02-21",
                       "2022-02-21T18:00:00Z", "2022-02-21 18:00"), else ``None``.
``calendar_day(raw)``  a day from ISO 8601 or a printed date ("January 6, 2020", "6 Jan 2020",
                       "Jan 6, 2020"), else ``None``; year, month and day must all be given.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from dateutil import parser

_FULL_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ])")
# Two different defaults: a component the text leaves out takes the default, so the two parses
# differ exactly when the text is not a complete date.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


def iso_datetime(raw: str | None) -> datetime | None:
    """An ISO 8601 date-time (naive if the text gives no offset); a bare day is midnight.
    Reduced precision ("2022", "2022-02") and non-ISO text are ``None``."""
    text = (raw or "").strip()
    if not _FULL_ISO_DAY.match(text):
        return None
    try:
        return parser.isoparse(text)
    except (ValueError, OverflowError):
        return None


def is_bare_day(raw: str | None) -> bool:
    """The text is a day with no time ("2022-02-21")."""
    return len((raw or "").strip()) == 10


def calendar_day(raw: object) -> date | None:
    if raw is None:
        return None
    text = str(raw).strip()
    if not text:
        return None
    parsed = iso_datetime(text)
    if parsed is not None:
        return parsed.date()
    try:
        first, second = (parser.parse(text, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError, TypeError):
        return None
    return first.date() if first.date() == second.date() else None
