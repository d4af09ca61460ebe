"""The understanding benchmark's verdicts and its count of how wrong replies went wrong."""

from __future__ import annotations

from bench.understanding_bench import error_kinds, report, verdict


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


def test_an_honest_not_found_counts_only_for_a_name_typed_with_capitals() -> None:
    def asked(text: str, capability: str = "notes") -> dict[str, object]:
        return {
            "id": "1",
            "language": "en",
            "capability": capability,
            "text": text,
            "customer": None,
            "product": None,
        }

    not_found = {
        "intent": "not_found",
        "customer_id": None,
        "answer": "I couldn't find a customer matching “Henderson”. Try the full name.",
    }
    misread = {
        "intent": "not_found",
        "customer_id": None,
        "answer": "Δεν βρήκα πελάτη για «βάφτισης κοριτσάκι». Δοκίμασε ολόκληρο το όνομα.",
    }
    which = {"intent": "need_customer", "customer_id": None, "answer": "Which customer?"}

    said = "any notes on Mrs Henderson?"
    assert verdict(asked(said), not_found, unfound=True) == ""
    assert verdict(asked(said), not_found) != ""  # the strict rule, as before
    assert verdict(asked("notes on mrs henderson?"), not_found, unfound=True) != ""
    assert verdict(asked("τι να προτείνω για δώρο βάφτισης, κοριτσάκι;"), misread, unfound=True)
    assert verdict(asked("why is she upset with us?"), which, unfound=True) == ""
    # Ideas for a shopper nobody named are no question about one customer.
    assert verdict(asked("gift ideas for Mrs Henderson?", "recommend"), not_found, unfound=True)
    # A customer the writer did find must still be the one answered about.
    found = asked("any notes on Mrs Henderson?") | {"customer": "C1"}
    assert verdict(found, not_found, unfound=True) != ""


def test_an_honest_reply_is_read_through_punctuation_and_endings_but_not_past_a_typed_name() -> (
    None
):
    def asked(text: str) -> dict[str, object]:
        return {
            "id": "1",
            "language": "es",
            "capability": "history",
            "text": text,
            "customer": None,
            "product": None,
        }

    def not_found(name: str) -> dict[str, object]:
        return {
            "intent": "not_found",
            "customer_id": None,
            "answer": f"No encuentro ningún cliente que coincida con «{name}».",
        }

    which = {"intent": "need_customer", "customer_id": None, "answer": "¿Qué cliente?"}

    assert (
        verdict(asked("¿Carmen Ortiz compró algo?"), not_found("Carmen Ortiz"), unfound=True) == ""
    )
    assert verdict(asked("Emine Kaya'nın notları?"), not_found("Emine Kaya"), unfound=True) == ""
    # A name was typed: "which customer?" does not answer it.
    assert verdict(asked("what did Rosie Whitfield buy?"), which, unfound=True) != ""
    assert verdict(asked("what did she buy?"), which, unfound=True) == ""


def test_a_reminder_made_for_a_note_counts_only_with_the_tasks_rule() -> None:
    asked = {
        "id": "1",
        "language": "en",
        "capability": "note",
        "text": "remind me to call Ana on Friday about the bed",
        "customer": "A",
        "product": None,
    }
    task = {"intent": "task", "customer_id": "A"}
    other = {"intent": "task", "customer_id": "B"}

    assert verdict(asked, task) != ""  # the main figure, as before
    assert verdict(asked, task, tasks=True) == ""
    assert verdict(asked, other, tasks=True) != ""  # still about her
    assert verdict({**asked, "capability": "notes"}, task, tasks=True) != ""


def test_which_one_counts_for_a_shared_name_only_when_every_offer_holds_the_typed_word() -> None:
    question = {
        "id": "1",
        "language": "tr",
        "capability": "notes",
        "text": "şule'nin notları",
        "customer": None,
        "product": None,
    }

    def which(*labels: str) -> dict[str, object]:
        return {"intent": "clarify", "customer_id": None, "answer": "?", "options": list(labels)}

    both = which("Şule Kaya (C013)", "Sule Aydın (C017)")
    assert verdict(question, both, unfound=True) == ""
    assert verdict(question, both, unfound=True, shared=False) != ""  # as before 2026-12-03
    assert verdict(question, both) != ""  # the strict rule
    # One offered, or offers that share no word typed: no honest "which one?".
    assert verdict(question, which("Şule Kaya (C013)"), unfound=True) != ""
    assert verdict(question, which("Şule Kaya (C013)", "Elif Kaya (C014)"), unfound=True) != ""
    # A customer the writer found is still the one to answer about.
    assert verdict(question | {"customer": "C013"}, both, unfound=True) != ""
