"""Prose and Markdown cut into tip-sized passages: what Markdown holds, and what makes a tip."""

from __future__ import annotations

from knowledge.chunking import MAX_CHUNK_CHARS, chunk_text


def test_a_setext_heading_leads_into_its_section() -> None:
    text = (
        "Towel care\n"
        "==========\n\n"
        "Wash at 40 °C before first use: it opens the cotton loops and absorbs better.\n"
    )

    assert chunk_text(text) == [
        "Towel care: Wash at 40 °C before first use: it opens the cotton loops and absorbs better."
    ]


def test_bullets_from_word_processors_are_list_items() -> None:
    text = (
        "• Wash at 40 °C before first use: it opens the cotton loops and absorbs better.\n"
        "• Skip fabric softener.\n"
        "▪ Dry flat in the shade.\n"
    )

    assert chunk_text(text) == [
        "Wash at 40 °C before first use: it opens the cotton loops and absorbs better. "
        "Skip fabric softener. Dry flat in the shade."
    ]


def test_a_table_row_keeps_its_numbers_and_short_rows_lead_into_the_next_passage() -> None:
    text = (
        "| Size | Fits |\n"
        "|------|------|\n"
        "| S | 36 |\n"
        "| M | 38-40 |\n\n"
        "Ask for the customer's usual size before suggesting a fitted sheet.\n"
    )

    assert chunk_text(text) == [
        "Size Fits. S 36. M 38-40. Ask for the customer's usual size before suggesting a "
        "fitted sheet."
    ]


def test_code_quotes_html_and_comments_keep_only_their_text() -> None:
    text = (
        "> Customers often ask about shrinkage: cotton shrinks up to 5% in the first wash.\n\n"
        "```\nDescale: run citric acid through the machine, then rinse it twice.\n```\n\n"
        "<!-- internal: check the figures -->\n\n"
        "Use snake_case_names and 2*3 items; ~~old price~~ new price is <b>lower</b> now.\n"
    )

    assert chunk_text(text) == [
        "Customers often ask about shrinkage: cotton shrinks up to 5% in the first wash.",
        "Descale: run citric acid through the machine, then rinse it twice.",
        "Use snake_case_names and 2*3 items; old price new price is lower now.",
    ]


def test_an_indented_line_is_prose_not_code() -> None:
    text = "    Indented because the handbook was exported as plain text, not code at all."

    assert chunk_text(text) == [text.strip()]


def test_page_numbers_inside_a_paragraph_are_dropped_line_by_line() -> None:
    text = (
        "Rotate the mattress every three months so that it wears evenly\n"
        "Page 3 of 9\n"
        "CONFIDENTIAL\n"
        "and lasts for years.\n"
    )

    assert chunk_text(text) == [
        "Rotate the mattress every three months so that it wears evenly and lasts for years."
    ]


def test_a_sentence_longer_than_a_tip_gets_pieces_of_its_own() -> None:
    before = "Ask what they cook most before suggesting a pan for their kitchen."
    endless = " ".join(f"soft{n}" for n in range(150))
    after = "Offer the matching lid with every pan, it keeps splashes off the hob."

    pieces = chunk_text(f"{before} {endless}. {after}")

    assert all(len(piece) <= MAX_CHUNK_CHARS for piece in pieces)
    assert " ".join(pieces) == f"{before} {endless}. {after}"
    assert pieces[-1] == after
