"""Keeping customer data out of logs: a text redactor and a logging filter that applies it.

The first line of defence is not to log data at all (engines hide SQL parameters, handlers log
exception types and ids). This is the second: whatever still reaches a log line passes through
`redact`, which masks e-mail addresses, phone-like digit runs, SQL parameter lists and the key
values PostgreSQL quotes in constraint errors.
"""

from __future__ import annotations

import logging
import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers as people write them: international ("+34 600 12 34 56") or in groups of three
# ("(212) 555-0100", "600 123 456"). Bare digit runs are left alone: update and user ids are
# what an operator needs to read, and ISO dates (4-2-2) do not match.
_PHONE = re.compile(r"\+\d[\d\s().-]{5,}\d|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{2,4}\b")
# SQLAlchemy's "[parameters: (...)]" suffix, should an engine ever be built without
# hide_parameters.
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\n|$)", re.DOTALL)
# PostgreSQL: 'DETAIL:  Key (email)=(ana@example.com) already exists.'
_KEY_VALUES = re.compile(r"(Key \([^)]*\)=)\(.*?\)(?= already| is not|\s*$)", re.MULTILINE)


def redact(text: str) -> str:
    """Return `text` with e-mails, phone numbers, SQL parameters and constraint key values
    masked."""
    text = _SQL_PARAMETERS.sub("[parameters hidden]", text)
    text = _KEY_VALUES.sub(r"\1(…)", text)
    text = _EMAIL.sub("<email>", text)
    return _PHONE.sub("<number>", text)


class RedactingFilter(logging.Filter):
    """A handler filter: formats each record's message and traceback once, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; always keep it."""
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Add a RedactingFilter to every handler of `logger` (the root logger by default)."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
