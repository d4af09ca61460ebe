"""A part, supply or service asked for a product named: "which card for the K3 Pro?" is about
the card whose description says it is for the K3 Pro, not the camera, in any of the five
languages; a question about the product itself stays about it (real assistant, demo store plus
a line of cameras and what goes with them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.assistant import Assistant, Caller
from bot.core.types import Intent
from tests.stores import with_products

ANA = Caller(name="Ana", role="associate", store="S01")

ROWS = """\
CAM-K3,Nordlys K3 body,Cameras,Nordlys,799,"24 MP APS-C body, one SD slot, battery NB-10."
CAM-K3P,Nordlys K3 Pro body,Cameras,Nordlys,1199,"24 MP APS-C body, weather sealed, SD and CFexpress slots, battery NB-10."
CAM-M9,Nordlys M9 full-frame body,Cameras,Nordlys,1899,"40 MP full-frame body, weather sealed, battery NB-20."
MEM-SD64,Flashvault SD 64GB,Memory,Flashvault,29,"SD card, 64GB. Fine for stills on the K3 and the M9."
MEM-CFX,Flashvault CFexpress 128GB,Memory,Flashvault,199,"CFexpress card, 128GB. Only the K3 Pro has a CFexpress slot: its fastest video needs it."
BAT-10,Nordlys NB-10 battery,Power,Nordlys,49,"Battery for the K3 and K3 Pro, about 400 shots."
BAT-20,Nordlys NB-20 battery,Power,Nordlys,69,"Battery for the M9, about 600 shots."
SVC-FF,Sensor clean full-frame,Services,Nordlys,79,"Sensor cleaning for full-frame bodies such as the M9, next working day."
SVC-APS,Sensor clean APS-C,Services,Nordlys,59,"Sensor cleaning for APS-C bodies such as the K3 and K3 Pro, same day."
"""


@pytest.fixture
def camera_store(tmp_path: Path, writable_assistant: Assistant) -> Assistant:
    return with_products(writable_assistant, tmp_path, ROWS)


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("which card do I give her for the K3 Pro?", "MEM-CFX"),
        ("¿qué tarjeta necesita la K3 Pro para vídeo?", "MEM-CFX"),
        ("welchen Akku braucht die M9?", "BAT-20"),
        ("ποια μπαταρία παίρνει η M9;", "BAT-20"),
        ("which sensor clean for an M9?", "SVC-FF"),
        ("which battery does the M9 take?", "BAT-20"),
        # Typed as briefly as on the shop floor: only words of the catalogue.
        ("card for my k3 pro", "MEM-CFX"),
        ("battery m9", "BAT-20"),
    ],
)
def test_a_part_asked_for_a_product_is_the_one_made_for_it(
    camera_store: Assistant, text: str, sku: str
) -> None:
    reply = camera_store.answer(ANA, text, f"part-{text}")

    assert reply.intent == Intent.product, reply.text
    assert reply.skus[:1] == [sku], text


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("is the K3 Pro weather sealed?", "CAM-K3P"),
        ("how do I sell the M9 to a wedding photographer?", "CAM-M9"),
        ("how many shots does the NB-20 battery last?", "BAT-20"),
    ],
)
def test_a_question_about_the_product_itself_stays_about_it(
    camera_store: Assistant, text: str, sku: str
) -> None:
    reply = camera_store.answer(ANA, text, f"itself-{text}")

    assert reply.skus[:1] == [sku], text
