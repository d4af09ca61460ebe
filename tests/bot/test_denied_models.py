"""A model denied by the word that sets it apart ("not the pro one", "pro olmayan", "όχι το
pro", "no el express", "nicht die mit Whirlpool") leaves the other models of its line, even
when nothing else typed names a product (real assistant, demo store plus three small lines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.assistant import Assistant, Caller
from bot.core.types import Intent
from tests.stores import with_products

ANA = Caller(name="Ana", role="associate", store="S01")
PLAIN_MIXERS = {"MIX-1", "MIX-2"}

ROWS = """\
MIX-1,"Brisa hand mixer, white",Small appliances,Brisa,49,"Five speeds, two beaters, 300 W."
MIX-2,"Brisa hand mixer, red",Small appliances,Brisa,49,"Five speeds, two beaters, 300 W, in red."
MIX-1P,"Brisa Pro hand mixer, white",Small appliances,Brisa,89,"Nine speeds, dough hooks, 600 W."
SVC-HEM,Curtain hemming,Alterations,Atelier,35,"Curtains shortened to measure within two weeks."
SVC-HEMX,Curtain hemming express 48 h,Alterations,Atelier,60,"Curtains shortened to measure within 48 hours."
SPA-1,Onda bath 180 cm,Baths,Onda,990,"Acrylic bath 180 x 80 cm, white."
SPA-1W,Onda whirlpool bath 180 cm,Baths,Onda,2490,"Acrylic whirlpool bath 180 x 80 cm with 8 jets and a pump."
TNT-2,Alto Nimbus 2,Tents,Alto,299,"Two-person tent, two doors, two vestibules, 2.1 kg."
TNT-2UL,Alto Nimbus 2 UL,Tents,Alto,449,"Ultralight two-person tent, one door, 1.2 kg."
"""


@pytest.fixture
def store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    return with_products(writable_assistant, tmp_path, ROWS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the brisa mixer, not the pro one, how loud is it?", PLAIN_MIXERS),
        ("brisa mikser, pro olmayan, kaç watt?", PLAIN_MIXERS),
        ("το brisa μίξερ, όχι το pro, πόσα watt έχει;", PLAIN_MIXERS),
        ("¿cuánto tarda el arreglo de cortinas? no el express", {"SVC-HEM"}),
        ("die Onda-Wanne, nicht die mit Whirlpool: welche Maße hat sie?", {"SPA-1"}),
        # A short word sets the model apart ("UL"), no token of its name
        ("nimbus 2, die normale nicht die UL: wie viele Eingänge?", {"TNT-2"}),
        ("nimbus 2 UL olmayan kaç kapılı?", {"TNT-2"}),
    ],
)
def test_the_model_denied_leaves_the_others_of_its_line(
    store: Assistant, text: str, expected: set[str]
) -> None:
    reply = store.answer(ANA, text, f"denied-{text}")

    assert reply.intent == Intent.product, reply.text
    assert reply.skus, text
    assert reply.skus[0] in expected, (text, reply.skus)


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("is the brisa pro mixer louder?", "MIX-1P"),
        ("how long does express curtain hemming take?", "SVC-HEMX"),
    ],
)
def test_the_model_named_without_a_denial_stays_named(
    store: Assistant, text: str, sku: str
) -> None:
    reply = store.answer(ANA, text, f"named-{text}")

    assert reply.skus[:1] == [sku], text
