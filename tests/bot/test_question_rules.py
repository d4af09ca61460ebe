"""Messages that ask rather than tell, and questions about stock, told apart by their form."""

from __future__ import annotations

import pytest

from bot.core.rules import (
    asks_about_notes,
    asks_carry,
    asks_errand,
    asks_for_ideas,
    asks_how,
    asks_ownership,
    asks_stock,
    asks_to_save,
    is_question,
)


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
        # the command words inside what is asked about ("deja apuntado") are no command
        ("alguien dejó apuntado lo del Sr. Ortiz? creo que iba a volver", True),
        ("alguien dejó apuntado algo, deja apuntado que vuelve el lunes", False),
        # a record of hers named by its participle, with nothing after a colon to save
        ("preferencias apuntadas de la Sra. Vidal", True),
        ("allergies recorded for Tom Reed", True),
        ("Fatma Hanım'ın kaydedilmiş notları", True),
        ("καταγεγραμμένες αλλεργίες της Σοφίας", True),
        ("hinterlegte Allergien von Herrn Vogel", True),
        ("allergies recorded for Tom Reed: penicillin", False),
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


@pytest.mark.parametrize(
    ("masked", "saves"),
    [
        ("X X prefers texts to calls, make a note", True),
        ("X'in adresi değişti, not olarak ekle", True),
        ("Frau X mag kein Parfum, schreib das auf", True),
        ("η κα X είναι αλλεργική στο νικέλιο, κράτα σημείωση", True),
        ("did anyone make a note about X's sofa?", False),  # reads the notes
        ("was hat Frau X gekauft?", False),
        ("save 10% on the kettle today", False),
        # asked what someone wrote down, the question mark mid-message
        ("alguien dejó apuntado lo de la Sra. X? creo que iba a volver", False),
        ("deja apuntado que la Sra. X vuelve el lunes", True),
    ],
)
def test_a_command_to_save_is_found_wherever_it_is_typed(masked: str, saves: bool) -> None:
    assert asks_to_save(masked) is saves


@pytest.mark.parametrize(
    ("masked", "owns"),
    [
        ("does X already own the Lumo lamp?", True),
        ("X X ya compró alguna vez la tetera?", True),
        ("X ya tiene la tetera, ¿cómo se limpia?", False),  # about using it
        ("X Hanım zaten bu çaydanlığı almıştı, değil mi?", True),
        ("έχει ήδη η X το φωτιστικό;", True),
        ("besitzt Herr X die Lampe schon?", True),
        ("X already has the lamp, how do I clean it?", False),  # about using it
        ("is the Lumo lamp dimmable? X asks", False),
    ],
)
def test_a_question_whether_she_already_has_it_is_told(masked: str, owns: bool) -> None:
    assert asks_ownership(masked) is owns


@pytest.mark.parametrize(
    ("masked", "ideas"),
    [
        ("X is in, she's redoing her kitchen, any ideas?", True),
        ("¿qué le muestro a la Sra. X? busca regalo", True),
        ("X Bey'e ne önerirsin, kamp yapacakmış", True),
        ("τι να της δείξω της X; ψάχνει δώρο", True),
        ("Frau X sucht was fürs Bad, was kann ich ihr zeigen?", True),
        # something to go with what she has
        ("X has the espresso machine now, anything that would go with it?", True),
        ("¿algo que combine con la chaqueta que compró X?", True),
        ("passende Sachen zu Herrn X seinem neuen Grill?", True),
        ("X wants ideas on how to clean her kettle", False),  # about using it
        ("what did X buy last time?", False),
    ],
)
def test_a_request_for_ideas_for_a_customer_is_told(masked: str, ideas: bool) -> None:
    assert asks_for_ideas(masked) is ideas


@pytest.mark.parametrize(
    ("text", "errand"),
    [
        ("she just bought the kettle, is there a cash machine near here?", True),
        ("¿me pides un taxi para la señora del sofá?", True),
        ("müşteri en yakın eczane nerede diye soruyor", True),
        ("πού είναι η πιο κοντινή στάση λεωφορείου;", True),
        ("Kunde fragt, wo er hier parken kann", True),
        ("where is the charging station for the robot vacuum?", False),  # the product's dock
        ("Kennst du einen guten Schneider für die Hose?", False),  # no place asked for
        ("what did Frau Post buy last time?", False),
        # The weather, whatever the shop's words around it.
        ("is it going to snow on sunday? we want the sledges outside", True),
        ("how's the weather tomorrow, market stall or not", True),
        ("¿qué tiempo va a hacer el sábado? hay ruta con los clientes", True),
        ("hafta sonu hava nasıl olacak, stand dışarıda mı", True),
        ("τι καιρό θα κάνει αύριο;", True),
        ("wie ist das Wetter morgen? wir wollen die Räder rausstellen", True),
        ("is it gonna rain in galway sat, we've the parkrun stall", True),
        ("is this jacket good for rainy weather?", False),
        ("is it going to rain in through the vent if the fly isn't pegged?", False),
        ("ist das Zelt wetterfest?", False),
        # A sum to work out; not a discount on a product.
        ("what's 15% of 80?", True),
        ("¿cuánto es el 7% de 320?", True),
        ("3 çarpı 7 kaç eder", True),
        ("πόσο κάνει 21% του 495;", True),
        ("was ist 19% von 250?", True),
        ("what's 20% off the Chemex?", False),
        ("how much did she spend in 2025?", False),
        ("what's 50x50 cushion cover price?", False),  # a size, a promotion, a measure
        ("¿cuánto es el 3x2 de calcetines?", False),
        ("Chemex yüzde 20 ne tutar?", False),
        ("wie viel ist 2 mal 250g Yirgacheffe?", False),
    ],
)
def test_an_errand_outside_the_shop_is_told(text: str, errand: bool) -> None:
    assert asks_errand(text) is errand


@pytest.mark.parametrize(
    ("text", "carry"),
    [
        ("do we carry cast iron skillets?", True),
        ("¿tenéis... tenemos fundas nórdicas de lino?", True),
        ("bizde kamp sandalyesi var mı?", True),
        ("έχουμε μαξιλάρια ταξιδιού;", True),
        ("führen wir auch Bettwäsche aus Leinen?", True),
        ("how many are left in the warehouse?", False),
        ("what did she buy last time?", False),
        ("do you have a minute?", False),
        ("is there any cake left?", False),
    ],
)
def test_asking_whether_we_carry_a_kind_of_product_is_told(text: str, carry: bool) -> None:
    assert asks_carry(text) is carry


@pytest.mark.parametrize(
    ("text", "how"),
    [
        ("how can I find a customer by her phone?", True),
        ("¿cómo veo las notas de una clienta?", True),
        ("müşterinin bedenlerini nasıl bulurum?", True),
        ("πώς βλέπω τι αγόρασε ένας πελάτης;", True),
        ("wie finde ich die Größen einer Kundin?", True),
        ("what did she buy last time?", False),
        ("¿qué tallas usa Marta?", False),
        ("¿cómo puedo pedir vacaciones?", False),
        ("hava nasıl?", False),
        ("τι κάνεις;", False),
    ],
)
def test_asking_how_to_do_something_is_told(text: str, how: bool) -> None:
    assert asks_how(text) is how


@pytest.mark.parametrize(
    ("text", "errand"),
    [
        ("is there any coffee left in the staff room?", True),
        ("¿queda leche en la sala de descanso?", True),
        ("Frau Weber wartet im Pausenraum, was hat sie zuletzt gekauft?", False),
    ],
)
def test_the_staff_rooms_are_off_topic_only_asked_what_they_have(text: str, errand: bool) -> None:
    assert asks_errand(text) is errand


@pytest.mark.parametrize(
    ("text", "errand"),
    [
        ("what time do we close on sunday", True),
        ("when does the supplier deliver the patio chairs?", True),
        ("a qué hora abrimos el sábado?", True),
        ("cuándo llega el pedido del proveedor de freidoras", True),
        ("tedarikçi bahçe mobilyalarını ne zaman getirecek", True),
        ("τι ώρα κλείνουμε την Κυριακή;", True),
        ("wann bringt der Lieferant die Gartenmöbel?", True),
        # A product's own words, a customer's order.
        ("does the soft close seat close quietly?", False),
        ("how long does the paint take to dry?", False),
        ("el proveedor dice que este grifo aguanta agua dura?", False),
        ("¿ha llegado el pedido de la clienta del almacén?", False),
        ("merhaba, vardiyaya yeni başladım", False),  # a greeting, not the rota
    ],
)
def test_the_stores_own_running_is_off_topic(text: str, errand: bool) -> None:
    """Hours, suppliers' deliveries and the rota are nothing the store's data answers."""
    assert asks_errand(text) is errand


def test_a_customers_order_from_the_supplier_is_no_errand() -> None:
    """With a customer named, her order from the supplier is in her notes."""
    text = "Η παραγγελία της Ελένης από τον προμηθευτή ήρθε;"
    assert asks_errand(text)
    assert not asks_errand(text, named=True)
