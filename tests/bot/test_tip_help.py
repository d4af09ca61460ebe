"""How to use the assistant, asked in the associates' five languages: how managers add tips
(/tip, a file captioned /tip, /tips, /deltip) in the language asked, its language, looking a
customer up; a product's tips asked stay about the product, and what to sell a customer is ideas
for her (real assistant, demo store)."""

from __future__ import annotations

import pytest

from bot.core.assistant import Assistant
from bot.core.types import Caller, Intent

ANA = Caller(name="Ana", role="associate", store=None)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "orla wants to push a selling tip about the new tents out to everyone, how does "
            "she do that",
            "Managers add a tip",
        ),
        ("how do i send a tip to all staff?", "Managers add a tip"),
        ("¿cómo mando un consejo de venta a todo el equipo?", "Los encargados"),
        ("müdürümüz ipucu eklemek istiyor, bunu nasıl yapacak", "Müdürler"),
        ("πώς στέλνω συμβουλή στους συναδέλφους;", "Οι υπεύθυνοι"),
        ("wie schick ich als Filialleiter nen Tipp an alle Mitarbeiter", "Filialleiter"),
        # How tips reach the associates, asked of the managers, and where they go
        ("how do the store managers send us selling tips?", "Managers add a tip"),
        ("where does my manager put the product tips", "Managers add a tip"),
        ("¿cómo nos mandan los encargados los trucos de venta?", "Los encargados"),
        ("bölge müdürü satış ipuçlarını nasıl paylaşıyor?", "Müdürler"),
        ("οι υπεύθυνοι πώς μας στέλνουν τις συμβουλές;", "Οι υπεύθυνοι"),
        ("wo trägt die Chefin die Produkttipps ein?", "Filialleiter"),
        ("wie verteilen die Filialleiter ihre Verkaufstipps?", "Filialleiter"),
    ],
)
def test_how_to_push_a_tip_to_everyone_is_answered_with_how_managers_add_tips(
    assistant: Assistant, text: str, said: str
) -> None:
    reply = assistant.answer(ANA, text, f"tip-help-{text}")

    assert reply.intent == Intent.help, reply.text
    assert reply.text.startswith(said), reply.text
    assert "/tip " in reply.text
    assert reply.customer_id is None


@pytest.mark.parametrize(
    "text",
    [
        "what tips do we have for the Chemex?",
        "Tipps zur Chemex?",
        "consejos para vender la Chemex",
        "how do I get tips on selling the Chemex?",
        "Chemex için satış ipucu var mı?",
        "welche Verkaufstipps gibt es für die Chemex?",
    ],
)
def test_a_product_s_tips_asked_are_about_the_product(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"product-tips-{text}")

    assert reply.intent == Intent.product, reply.text
    assert reply.skus[:1] == ["COF-006"]


@pytest.mark.parametrize(
    "text",
    [
        "kann man die Sprache auf Deutsch umstellen",
        "si el cliente no se acuerda del mail cómo lo busco",
        "me ha sacado la maría equivocada, cómo le digo cuál es",
        "oye me has vuelto a contestar en inglés, en español porfa",
        "¿por qué me contestas en inglés?",
        "απάντα στα ελληνικά",
        "como te pongo en ingles? tengo un compañero irlandés",
        "how do I set you to spanish?",
        "switch to greek please",
        "why is the bot answering me in spanish?? im in the cork shop lol",
        # Its data: wrong, stale or not live
        "ur answer yesterday on the chemex was wrong, u said it was 8 cups. who do i tell",
        "is this linked to the till? sold something 10 mins ago and it's not showing up",
        "me has dado el precio antiguo de la chemex, ya no es ese!! de dónde sacas los precios?",
        "fiyatlar güncel mi? dünkü kampanya fiyatı görünmüyo sende",
        "δεν μου απαντάει από το πρωί, έχει πέσει;",
        "wer pflegt eure Daten?? das stimmt nicht",
        # How far back its purchase history goes
        "how far back does the purchase history go?",
        "¿hasta cuándo llega el historial de compras que ves?",
        "satış geçmişi ne kadar geriye gidiyor?",
        "πόσο πίσω πάει το ιστορικό αγορών που βλέπεις;",
        "wie weit zurück reichen die Einkäufe, die du siehst?",
    ],
)
def test_how_to_use_the_assistant_asked_plainly_is_help(assistant: Assistant, text: str) -> None:
    """Its language, looking a customer up without her email, the wrong one picked."""
    reply = assistant.answer(ANA, text, f"use-help-{text}")

    assert reply.intent == Intent.help, reply.text
    assert reply.customer_id is None


@pytest.mark.parametrize(
    "text",
    [
        "Çağla Yılmaz'a ne satabilirim, triatlon sezonu yaklaşıyor",
        "what can I sell Çağla Yılmaz for the triathlon season?",
        "¿qué le puedo vender a Çağla Yılmaz?",
        "was kann ich Çağla Yılmaz verkaufen?",
    ],
)
def test_what_to_sell_a_customer_is_ideas_for_her(assistant: Assistant, text: str) -> None:
    """Selling words asking what to offer her are no question about selling a product."""
    reply = assistant.answer(ANA, text, f"sell-her-{text}")

    assert (reply.intent, reply.customer_id) == (Intent.recommend, "C0039"), reply.text


@pytest.mark.parametrize(
    "text",
    [
        "María López habla en inglés con su hija, ¿qué le enseño?",
        "María López contesta en inglés a los emails",
        "η Σοφία Νικολαΐδου μιλάει στα αγγλικά, τι να της δείξω;",
        "η Σοφία Νικολαΐδου δεν μου απαντάει στα μηνύματα, τι να κάνω;",
    ],
)
def test_the_language_a_customer_speaks_is_no_help_asked(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"her-language-{text}")

    assert reply.intent != Intent.help, reply.text
    assert reply.customer_id in ("C0011", "C0042"), reply.text


@pytest.mark.parametrize(
    "text",
    [
        "send care tips to all customers who bought the Chemex",
        "how do I share tips about the Chemex with Hannah Walsh?",
        "cómo le paso los consejos de uso de la Chemex a Ana Sánchez?",
        "Chemex için bir ipucu herkese lazım, nedir?",
        "στείλε συμβουλές φροντίδας σε όλους τους πελάτες που πήραν Chemex",
        "Tipps zur Pflege an alle Kunden, die einen Chemex gekauft haben",
        "wie stelle ich die Mühle ein tipps",
        "bitte auf Deutsch antworten, was hat Hannah Walsh gekauft?",
        "la V60 está agotada, cómo la encuentro?",
        "me ha dado la talla equivocada Ana Sánchez, qué hago?",
    ],
)
def test_tips_for_customers_a_product_or_a_question_asked_are_no_help(
    assistant: Assistant, text: str
) -> None:
    """Tips sent to customers, a product's tips, a question with a language asked: not help."""
    reply = assistant.answer(ANA, text, f"not-help-{text}")

    assert reply.intent != Intent.help, reply.text


def test_a_tip_asked_about_using_a_product_is_no_help_about_tips(assistant: Assistant) -> None:
    # "Reinigen" holds no "rein" of sending tips in: the product's tips
    reply = assistant.answer(ANA, "Wie lautet der Tipp zum Reinigen der Chemex?", "tip-reinigen")

    assert reply.intent == Intent.product, reply.text
