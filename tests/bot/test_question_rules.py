"""Messages that ask rather than tell, and questions about stock, told apart by their form."""

from __future__ import annotations

import pytest

from bot.core.rules import asks_about_notes, asks_stock, is_question


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("did anyone note her size?", True),
        ("¿lo apuntó alguien?", True),
        ("geldi mi, notlarına bak", True),
        ("not düşülmüş müydü", True),
        ("το σημείωσε κανείς;", True),
        ("es para mi madre", False),  # Spanish "mi" is no Turkish particle
        ("she likes blue", False),
    ],
)
def test_a_question_is_told_from_a_statement(text: str, asks: bool) -> None:
    assert is_question(text) is asks


@pytest.mark.parametrize(
    ("text", "reads"),
    [
        ("was her ring size ever noted?", True),
        ("can you note that she likes blue?", False),  # a request, asked politely
        ("not alır mısın?", False),
        ("kannst du notieren, dass sie Blau mag?", False),
        ("note for Ana: likes blue?", False),  # a note command
        ("she likes blue, note it", False),
        # the notes asked for by name, politely, with nothing to save
        ("notes on Jo Baxter pls", True),
        ("notas de Carmen Ruiz porfa, la de tarjeta oro", True),
        ("Ayşe Hanım'ın notları", True),
        ("σημειώσεις για τον Νίκο", True),
        ("Notizen zu Herrn Vogel bitte", True),
        ("añade a las notas de Carmen que prefiere el azul", False),
        ("Jo'nun notlarına ekle: mavi sever", False),
    ],
)
def test_a_question_about_notes_is_no_note_to_save(text: str, reads: bool) -> None:
    assert asks_about_notes(text) is reads


@pytest.mark.parametrize(
    ("text", "stock"),
    [
        ("any left in stock?", True),
        ("cuántas quedan en el almacén", True),
        ("stokta var mı", True),
        ("είναι στην αποθήκη;", True),
        ("noch im Zentrallager?", True),
        ("αποθήκευσε σημείωση για την Άννα", False),  # "save", not the warehouse
        ("what did she buy last time?", False),
        ("le quedan bien los zapatos?", False),
    ],
)
def test_a_stock_question_is_recognised(text: str, stock: bool) -> None:
    assert asks_stock(text) is stock
