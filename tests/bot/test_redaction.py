"""What reaches a log line: customer data masked, ids and dates kept."""

from __future__ import annotations

import io
import logging

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.redaction import RedactingFilter, install_log_redaction, redact
from storage.models import Note


@pytest.mark.parametrize(
    ("raw", "hidden"),
    [
        ("call +34 600 123 456 now", "600 123 456"),
        ("office (212) 555-0100", "555-0100"),
        ("mobile 600 123 456", "600 123 456"),
        ("from ana.lopez@example.com", "ana.lopez"),
        ("DETAIL:  Key (email)=(ana@x.es) already exists.", "ana@x.es"),
        ('DETAIL:  Key (customer_id)=(C0042) is not present in table "customer".', "C0042"),
        ("INSERT … [parameters: ('C0042', 'Wants the V60')]", "V60"),
    ],
)
def test_customer_data_is_masked(raw: str, hidden: str) -> None:
    assert hidden not in redact(raw)


def test_ids_and_dates_an_operator_needs_are_kept() -> None:
    line = "update 912345678 failed on 2026-11-30 10:00:00 in on_text"

    assert redact(line) == line


def test_a_failed_write_on_either_engine_logs_no_key_value(engine: Engine) -> None:
    stream = io.StringIO()
    logger = logging.getLogger("test.redaction")
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    logger.propagate = False
    install_log_redaction(logger)
    note = Note(note_key="k1", customer_id="C0042", text="call +34 600 123 456", author="Ana")
    try:
        with Session(engine) as db:
            db.add(note)
            try:
                db.commit()
            except IntegrityError:
                logger.exception("note not saved")
    finally:
        logger.removeHandler(handler)

    logged = stream.getvalue()
    assert "note not saved" in logged
    assert "IntegrityError" in logged
    for private in ("C0042", "600 123 456", "Ana"):
        assert private not in logged
    assert any(isinstance(f, RedactingFilter) for f in handler.filters)
