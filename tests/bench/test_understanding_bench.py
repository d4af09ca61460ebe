"""The understanding benchmark's verdicts and its count of how wrong replies went wrong."""

from __future__ import annotations

from bench.understanding_bench import error_kinds, report


def test_wrong_replies_are_counted_by_how_they_went_wrong_without_their_text() -> None:
    questions = [
        {"id": "1", "capability": "notes", "language": "en", "text": "notes on Ana?", "customer": "A"},
        {"id": "2", "capability": "notes", "language": "es", "text": "notas de Ana", "customer": "A"},
        {"id": "3", "capability": "notes", "language": "de", "text": "Notizen Ana", "customer": "A"},
        {"id": "4", "capability": "overview", "language": "en", "text": "who is Jo?",
         "customer": ["J1", "J2"]},
        {"id": "5", "capability": "product", "language": "en", "text": "the V60?",
         "customer": None, "product": "V60"},
    ]  # fmt: skip
    replies = {
        "1": {"intent": "overview", "customer_id": "A"},
        "2": {"intent": "notes", "customer_id": "B"},
        "3": {"intent": "notes", "customer_id": "A"},
        "4": {"intent": "overview", "customer_id": "J1"},
        "5": {"intent": "product", "customer_id": None, "skus": ["CHEMEX"]},
    }

    result = report(questions, replies)
    kinds = error_kinds(result["failures"])

    assert result["accuracy"]["capability:notes"] == (1 / 3, 3)
    assert kinds["notes"] == {"answered as overview": 1, "wrong customer": 1}
    assert kinds["overview"] == {"no which-one question": 1}
    assert kinds["product"] == {"wrong product": 1}
    printed = " ".join(kinds.keys()) + " ".join(k for c in kinds.values() for k in c)
    assert "Ana" not in printed
