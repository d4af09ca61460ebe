"""More of how associates type between customers: small talk about the shop floor, Greek typed
in Latin letters, notes saved with the command first or last, what was written down or is
still open asked about, a customer's email address asked for, and two products compared."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bot.core.assistant import Assistant, message_language
from bot.core.draft_requests import read_request
from bot.core.rules import asks_to_save, asks_what_was_said, is_greeting, is_help, opens_with_save
from bot.core.text import bounded
from bot.core.types import Caller, Intent
from storage.models import Customer

ANA = Caller(name="Ana", role="associate", store="S01")


@pytest.mark.parametrize(
    ("text", "greets"),
    [
        ("hiya, dead quiet here today 😴", True),
        ("morning all, so busy today", True),
        ("hola chicos, qué tranquilo está hoy", True),
        ("merhaba, bugün çok sakin", True),
        ("γεια, πολύ ησυχία σήμερα", True),
        ("hallo zusammen, alles klar bei euch?", True),
        ("geia sou", True),  # Greek in Latin letters
        ("kalimera paidia", True),
        ("efxaristw poly", True),
        ("tşk 👍", True),
        ("hiya. dead quiet here today lol", True),
        ("hi, is the hoover quiet?", False),  # a question about a product
        ("hi all, busy today! what did Maria buy?", False),
        ("gia sou, ti agorase i Maria?", False),
        ("gia", False),
    ],
)
def test_small_talk_about_the_shop_floor_is_a_greeting(text: str, greets: bool) -> None:
    assert is_greeting(bounded(text)[0]) is greets


@pytest.mark.parametrize(
    ("text", "helps"),
    [
        ("se puede buscar clientes x email?", True),
        ("botta müşteriyi telefon numarasıyla arayabilir miyim", True),
        ("müşteriyi telefonla arayabilir miyim", False),  # calling her, not looking her up
        # How to save a note is a question about the assistant, in any language.
        ("como se añade una nota a un cliente?", True),
        ("πώς προσθέτω σημείωση σε πελάτη;", True),
        ("wie füge ich eine Notiz hinzu?", True),
        ("how do I add a note to a customer?", True),
        ("note for Maria: how do I descale?", False),
        ("hat jemand eine Notiz zu Frau Weiß geschrieben?", False),
        # Whether there is a command, what to type, the reply language, privacy.
        ("hay algún comando para ver mis clientes vip", True),
        ("bu hafta doğum günü olanları görmek için komut var mı", True),
        ("υπάρχει εντολή για να δω τους vip;", True),
        ("gibts nen befehl für kunden die lange nicht mehr da waren?", True),
        ("whats the command for clients who havent been in, what do i type", True),
        ("ti entoles exeis", True),
        ("te escribo en español y me contestas en inglés, cómo lo cambio", True),
        ("sürekli 'müşteri bulunamadı' diyo, neyi yanlış yapıyorum", True),
        ("wie find ich einen kunden wenn ich nur die handynummer hab", True),
        # Looking her up by a contact, said with a pronoun after she wasn't found.
        ("can't find her, could I look her up by her mobile number?", True),
        ("no me sale la clienta, ¿la puedo buscar por el correo?", True),
        ("δεν βγαίνει, μπορώ να την ψάξω με το κινητό;", True),
        ("kann ich ihn auch über die Kundennummer finden?", True),
        ("can I find him a cheaper phone case?", False),  # finding him a product
        ("kann ich sie mit dem Handy anrufen?", False),  # calling her
        # How to find a customer at all, and how to get a reminder.
        ("how can I look up a client?", True),
        ("how do I find a customer who bought the gold tap?", False),  # a list asked
        ("cómo localizo a una clienta?", True),
        ("eposta ile müşteri aratabilir miyim", True),
        ("πώς βρίσκω έναν πελάτη;", True),
        ("wie suche ich eine Kundin?", True),
        ("what's the easiest way to get you to remind me about a call?", True),
        ("bu uygulama nasıl kullanılıyor?", True),
        # A product's use, a customer named, or a list asked: no help.
        ("Retinol Night Serum nasıl kullanılıyor?", False),
        ("how do I find the customer Olivia Grant?", False),
        ("can we look her up by her surname, Whitfield?", False),
        ("wie finde ich Kunden, die seit einem Jahr nicht da waren?", False),
        ("doğum günü bu ay olan müşterileri nasıl bulurum?", False),
        ("πώς βρίσκω πελάτες που αγόρασαν Retinol;", False),
        ("τα στοιχεία των πελατών είναι ασφαλή; ποιος τα βλέπει;", True),
        ("is customer data safe here? gdpr", True),
        ("the thermometer gives an error, how do I reset it?", False),
        ("is the sunscreen safe for babies?", False),
        ("ποιος βλέπει τη βιτρίνα;", False),
        ("komutan seti var mı", False),
        # Notes that are no customer notes: a product question.
        ("how do you take notes on the reMarkable tablet?", False),
        ("¿cómo añaden notas de vainilla a este café?", False),
        ("wie bekommt man den Notizblock an die Wand?", False),
    ],
)
def test_looking_a_customer_up_by_contact_is_help(text: str, helps: bool) -> None:
    assert is_help(text) is helps


@pytest.mark.parametrize(
    ("masked", "saves"),
    [
        ("X says no emails pls, post only. log it", True),
        ("X 45lik zinciri teslim aldı 👍 kaydeder misin", True),
        ("να θυμάσαι: η X θα περάσει μετά τις γιορτές", True),
        ("guarda esto: X pagó la entrega", True),
        ("pls save - X bringing the cot mattress back thursday", True),
        ("add to X X: can't stand mint, sensitive toothpaste only", True),
        ("did you log it for X?", False),  # asked
        ("X loves the blog, it's her favourite", False),
        ("X Hanım'a indirim ekler misin?", False),  # a discount asked for
        ("the Drip Scale won't record it for X", False),  # "record" is no command here
        # What she said, her name first, asking nothing, is kept; asked about, it is not.
        ("X says the Drip Scale won't record it", True),
        ("X says the Drip Scale won't record it, any idea why?", False),
        ("the app won't save it for X", False),
        # "put in X's notes", "apúntale a X que…"
        ("pon en notas de X: mejor por whatsapp que por email", True),
        ("apúntale a X q la cafetera hace un ruido raro", True),
        ("añade a X X que ahora factura con la sociedad nueva", True),
        ("añade al carrito de X la chemex", False),
        ("Frau X war da, Schleier gedämpft, alles gut – bitte speichern", True),
        ("bitte bei Frau X eintragen dass sie keine Anrufe will", True),
        ("was soll ich speichern?", False),
        ("X Hanım faturayı şirket adına istiyo, notlara ekler misin", True),
        ("στις σημειώσεις της X βάλε ότι προτιμά Σάββατο πρωί", True),
        # To be told when something comes back: a note for her
        ("X X would like to be told when the chemex filters come in", True),
        ("hay que avisar a X X cuando vuelva el molinillo", True),
        ("X X'a Chemex gelince haber verelim", True),
        ("η X X θέλει να την ειδοποιήσουμε όταν έρθει το Chemex", True),
        ("Frau X will Bescheid, wenn die Chemex wieder da ist", True),
        ("how do I get notified when the grinder is back in stock?", False),
        ("γράψε μου πώς καθαρίζεται το Chemex", False),
        ("pon al día a Lucía de lo que compró X X", False),
        ("guarda para X X la Chemex que pidió", False),
    ],
)
def test_a_note_command_at_either_end_saves(masked: str, saves: bool) -> None:
    assert asks_to_save(masked) is saves


@pytest.mark.parametrize(
    ("text", "opens"),
    [
        ("apunta que Juanpa ha probado la bici", True),
        ("note that Bertie loved the AeroPress", True),
        ("σημείωσε ότι ο Μπάμπης πήρε δείγμα", True),
        ("σημείωση: ο Μπάμπης θέλει κατάλογο", True),
        ("simiosi: o mpampis thelei katalogo", True),  # Greek in Latin letters
        ("σημειώσεις: τι έχουμε για τον Μπάμπη;", False),  # the notes, asked for
        ("Juanpa loved it, note that", False),  # the command last: asks_to_save's
        ("can you note that she likes blue?", True),  # a request, not a question
        ("did anyone note that she likes blue?", False),
    ],
)
def test_a_message_opened_by_a_note_command(text: str, opens: bool) -> None:
    assert opens_with_save(text) is opens


@pytest.mark.parametrize(
    ("masked", "asks"),
    [
        ("q tenemos apuntado de X? viene ahora", True),
        ("X at the counter asking about her pearls, whats the status", True),
        ("X just walked in. anything from last time I need to be aware of", True),
        ("la sra X viene otra vez, q pasó la ultima vez?", True),
        ("X siparişi ne zaman geliyordu", True),
        ("X katarakt sonrası kontrol ne zamandı", True),
        ("wann ist der Sehtest von X?", True),
        ("X – offene Sachen?", True),
        ("X – εκκρεμότητες;", True),
        ("X – any open follow ups?", True),
        ("offene lieferung bei frau X?", True),
        ("η κυρία X έρχεται σε λίγο, έχει κάτι εκκρεμές;", True),
        ("lo de X, ¿qué quedamos con ella al final?", True),
        # Allergies and intolerances are kept in her notes.
        ("does X have any allergies?", True),
        ("η X έχει αλλεργίες;", True),
        ("X tiene alguna intolerancia?", True),
        ("X'in alerjisi var mıydı?", True),
        ("hat Frau X irgendwelche Allergien?", True),
        ("is the allergy friendly foundation ok for X?", False),
        ("X is allergic to nickel, what can I show her?", False),
        ("X: is the Cloud Cream ok with her allergies?", False),
        ("X hat eine Unverträglichkeit gegen Duftstoffe, welche Creme passt?", False),
        ("X'in parfüm alerjisi var, ona ne önerebilirim?", False),
        ("¿q acordamos con el sr X sobre la entrega?", True),
        ("what did X buy last time?", False),
        ("¿qué le queda bien a X?", False),
        ("X'in doğum günü ne zaman", False),
        ("welche Größe hat X?", False),
        ("X θέλει ρολόι με εκκρεμές", False),  # a pendulum clock
        ("X hat noch offene Fragen zum Baratza Encore", False),
        ("X wants the 2 for 1 on candles, what's the deal?", False),
        ("X Hanım soruyor, yeni Hoka ne zaman gelecek?", False),  # a product's arrival
        ("Ist Frau X im Kundenclub eingetragen?", False),  # enrolled
    ],
)
def test_what_is_written_or_still_open_about_her_asks_her_notes(masked: str, asks: bool) -> None:
    assert asks_what_was_said(masked) is asks


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Κατερίνα Βλάχου – εκκρεμότητες;", "el"),
        ("what did Νίκος buy?", "en"),  # a Greek name in an English question
        ("Ελένη tallas?", "es"),
    ],
)
def test_greek_words_beside_a_name_are_greek(text: str, language: str) -> None:
    assert message_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "email adresse von Sabine Schäfer?",
        "what's Tom's email address? need to send him the invoice",
        "dirección de correo de María García?",
        "schreib mir bitte eine Mail an meinen Vermieter wegen der Heizung",  # not a customer
    ],
)
def test_an_email_address_or_a_mail_of_ones_own_is_no_message_to_draft(text: str) -> None:
    assert read_request(text) is None


@pytest.mark.parametrize(
    "text",
    ["Hiroshi Tanaka – any open follow ups?", "Hiroshi Tanaka, what's still pending?"],
)
def test_what_is_open_with_a_named_customer_is_her_notes_not_my_tasks(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"open-{text}")

    assert reply.intent == Intent.notes
    assert "Hiroshi" in reply.text


def test_what_is_open_with_nobody_named_is_my_tasks(assistant: Assistant) -> None:
    assert assistant.answer(ANA, "any open follow ups?", "open-mine").intent == Intent.task


def test_a_note_that_speaks_of_a_reminder_is_saved_as_a_note(
    writable_assistant: Assistant,
) -> None:
    reply = writable_assistant.answer(
        ANA,
        "σημείωσε για τον Νίκο Παπαδόπουλο: ήθελε υπενθύμιση για τον μύλο τον Ιανουάριο",
        "note-reminder",
    )

    assert reply.intent == Intent.note
    assert reply.customer_id is not None


@pytest.mark.parametrize(
    "text",
    [
        "mándale un whatsapp a Sofía Díaz: tu pedido está listo, pregunta a mi compañera Ana",
        "schreib Frau Weber eine Nachricht: bitte an meinen Kollegen wenden",
        "text James Walsh my email address so he can send the receipt",
    ],
)
def test_a_message_to_draft_that_speaks_of_one_s_own_people_is_still_drafted(text: str) -> None:
    assert read_request(text) is not None


def test_my_tasks_naming_a_customer_are_still_my_tasks(assistant: Assistant) -> None:
    reply = assistant.answer(ANA, "what are my tasks for Hiroshi Tanaka?", "my-tasks-named")

    assert reply.intent == Intent.task


@pytest.mark.parametrize(
    "text",
    [
        # Something of the assistant's gone wrong.
        "I sent a note an hour ago and it says error",
        "my note didn't save",
        "el bot no me contesta, le escribí tres veces",
        "notu yazdım ama kaydetmedi galiba",
        "γράφω σημείωση και δεν αποθηκεύεται",
        "meine Notiz von gestern ist weg",
        # Whether it can remind, for nobody in particular.
        "can you do reminders? like ping me to call a client back",
        "¿se puede poner recordatorios para llamar a alguien?",
        "hatırlatıcı kurabilir miyim?",
        "υπάρχει τρόπος να μου θυμίζεις να πάρω κάποιον τηλέφωνο;",
        "kann ich mir Erinnerungen einrichten?",
        # A customer typed that it does not find.
        "it can't find the customer when I type her surname",
        "no me encuentra a la clienta aunque pongo bien el apellido",
        "soyadını yazınca müşteri çıkmadı, nasıl arayayım?",
        "γράφω το όνομα της πελάτισσας και δεν τη βρίσκει",
        "findest die Kundin nicht, wenn ich die Umlaute weglasse",
        # Nothing back, or an error message, for what was typed into it.
        "when I type her surname nothing comes back, is it broken?",
        "pongo el apellido y no sale nada, no funciona?",
        "müşterinin adını yazınca cevap gelmiyor, bozuk mu?",
        "βάζω το επώνυμο και δεν μου βγάζει τίποτα",
        "bei mir kommt nur eine Fehlermeldung, geht das gerade nicht?",
        # Whether it can remind, in other words.
        "kannst du mich nächste Woche irgendwann an einen Rückruf erinnern?",
        "¿me puedes mandar un aviso el lunes para llamar a una clienta?",
        "se pueden poner recordatorios?",
        # Told to the assistant itself, or of its search.
        "you're not working",
        "no me entiendes",
        "çalışmıyorsun galiba",
        "δεν με καταλαβαίνεις",
        "die Suche funktioniert nicht",
        # How to type the letters of a name.
        "wie tippe ich das ü in Krüger?",
        "¿cómo escribo la ñ de Núñez?",
        "I can't find Çağla, how do I type the ç?",
        "ğ harfini nasıl yazıyorum?",
        "πρέπει να βάζω τόνους στα ονόματα;",
        # How much of a name to type.
        "do I have to type the full name or is the surname enough?",
        "¿basta con el apellido o tengo que poner el nombre entero?",
        "tam adını yazmam mı lazım yoksa soyadı yeterli mi?",
        "πρέπει να γράψω ολόκληρο το ονοματεπώνυμο;",
        "muss ich den ganzen Namen eintippen oder reicht der Nachname?",
        # Whether it does customer lists at all.
        "is there a function for customer lists, e.g. who hasn't been in for a while?",
        "müşteri listesi çıkarabiliyor musun, mesela doğum günü olanlar?",
        # Asking for help, and nothing else.
        "can you help me",
        "¿me ayudas?",
        "yardım eder misin?",
        # Who reads what the associate writes.
        "can the other stores see my notes?",
        "sehen die anderen Filialen meine Notizen?",
        "who can see my notes?",
        "¿quién ve mis notas?",
        "notlarımı kim görebilir?",
        "ποιοι βλέπουν τις σημειώσεις μου;",
        "wer sieht meine Notizen?",
        # Where the managers' tips are, and which languages it reads.
        "where can I find the tips my manager sends?",
        "los tips del jefe, ¿dónde los leo?",
        "yöneticinin tavsiyelerini nereden okuyabilirim",
        "πού βρίσκω τις συμβουλές του υπεύθυνου;",
        "wo finde ich die Verkaufstipps?",
        "do you understand Greek? a new colleague starts tomorrow",
        "¿entiendes alemán?",
        "sprichst du auch Türkisch?",
        "καταλαβαίνεις ισπανικά;",
        "bu bot almanca anlıyor mu",
        # Whether it sees stock at all, or takes voice messages.
        "could you also tell me stock levels, or only customers?",
        "¿sabes ver existencias también?",
        "stokları da gösterebilir misin?",
        "μπορείς να μου δείξεις και τα αποθέματα;",
        "kannst du mir auch den Bestand zeigen?",
        "sana sesli not gönderebilir miyim?",
        # What to do after a save that went wrong, in Turkish.
        "notu kaydetmeyi beceremedim, nasıl oluyor",
        # The assistant slow, told to it or of it.
        "you're really slow today, everything ok?",
        "¿por qué tardas tanto hoy?",
        "esto va lentísimo, qué pasa?",
        "bugün çok yavaş cevap veriyorsun",
        "αργείς πολύ σήμερα",
        "γιατί αργεί τόσο σήμερα;;",
        "oye esto va lentísimo hoy, es cosa mía o q",
        "bist du heute langsam!",
        # Whether it works for another branch.
        "does this bot also work for the Leeds store?",
        "¿sirve también para la tienda de Sevilla?",
        "İzmir şubesi için de geçerli mi bu bot?",
        "λειτουργεί και για το μαγαζί στην Πάτρα;",
        "funktioniert der Bot auch für die Filiale in Köln?",
        # Notes without typing the name, asked; what it does besides customers.
        "can I save notes without writing the whole name?",
        "¿puedo apuntar notas sin escribir el nombre entero?",
        "isim yazmadan not ekleyebilir miyim",
        "μπορώ να κρατάω σημειώσεις χωρίς να γράφω το ονοματεπώνυμο;",
        "kann ich Notizen machen, ohne jedes Mal den vollen Namen einzutippen?",
        "¿se puede preguntar por precios o solo sirves para clientes?",
        "δεν μου απάντησες, χάλασες;",
        # Told useless, or not understanding, whatever it mentions; offline; remembering.
        "this bot is useless, asked about a kettle and got a random answer back",
        "das Ding versteht mich nie, wenn ich Umlaute weglasse",
        "does it work offline? no signal in the stockroom",
        "oye, ¿esto funciona sin cobertura?",
        "müşteri adını yanlış yazarsam yine bulur mu",
        "αυτό το πράγμα κρατάει ό,τι του λέω;",
    ],
)
def test_trouble_with_the_assistant_and_what_it_can_do_get_help(
    assistant: Assistant, text: str
) -> None:
    reply = assistant.answer(ANA, text, f"help-{text}")

    assert reply.intent == Intent.help, text


@pytest.mark.parametrize(
    "text",
    [
        "the card reader is broken again, who do I call?",
        "la impresora de tickets no funciona",
        "yazarkasa bozuldu ne yapayım",
        "το ταμείο κόλλησε πάλι",
        "das Kartenterminal geht nicht",
        "the till is not working again",
        "customer says her discount code is not working",
        # A customer not finding something is no trouble of the assistant's.
        "la clienta no encuentra su talla",
        "müşteri aradığı bedeni bulamadı",
        "δεν βρίσκει το μέγεθος που θέλει",
        "the customer couldn't find anyone to help her",
        # A reminder asked for, for nobody the store knows: who is it about, not help.
        "remind me tomorrow to order more filters",
        # What a customer or colleague says or understands is no trouble of the assistant's.
        "customer says you are wrong about the price",
        "sie versteht mich nicht, sie spricht nur Italienisch",
        # Stock of one product asked for: that the assistant cannot see it, not the help.
        "can you check stock of the Chemex in white?",
        # The languages a customer speaks are no question about the assistant.
        "la clienta habla inglés, ¿qué le enseño?",
        "Frau Weber spricht Englisch, was zeige ich ihr?",
        # Writing to a customer who does not answer is no trouble of the assistant's.
        "ich schreibe ihr seit Tagen, aber sie antwortet nicht",
        "le escribo y no contesta",
        "mesaj yazıyorum cevap gelmiyor",
        # Slow or long, of the shop's day, a product or a delivery.
        "slow day today, who should I call?",
        "is the Stagg kettle slow to boil?",
        "the delivery is taking forever, what do I tell Maria López?",
        "la entrega tarda mucho, qué le digo a Paula Ruiz?",
        "die Lieferung dauert ewig, was sag ich Anja Krüger?",
        "it's so slow today, any customers I should call?",
        "γιατί αργεί τόσο ο βραστήρας να βράσει;",
        # Another branch or the name left out, said of a voucher or an engraving.
        "¿el vale regalo sirve en otras tiendas?",
        "hediye çeki diğer şubelerde de geçerli mi?",
        "she wants the mug engraved without writing the full name",
    ],
)
def test_trouble_with_the_shop_s_own_things_is_no_help(assistant: Assistant, text: str) -> None:
    assert assistant.answer(ANA, text, f"till-{text}").intent != Intent.help


def test_the_help_shows_how_to_ask_for_reminders_and_lists(assistant: Assistant) -> None:
    text = assistant.answer(ANA, "can you set reminders?", "help-reminders").text

    assert "remind me to call" in text
    assert "birthdays this week" in text


@pytest.mark.parametrize(
    ("text", "how"),
    [
        ("could you set me a reminder to phone a client tomorrow at 10?", "remind me to call"),
        ("can you remind me of things? like calling a client back next week", "remind me to"),
        ("¿me puedes recordar el lunes llamar a una clienta?", "recuérdame llamar"),
        ("pazartesi bir müşteriyi aramamı hatırlatabilir misin?", "aramamı hatırlat"),
        ("μπορείς να μου θυμίσεις αύριο να πάρω τηλέφωνο μια πελάτισσα;", "θύμισέ μου"),
        ("kannst du mich am Montag an einen Rückruf erinnern?", "Erinnere mich"),
    ],
)
def test_asked_whether_it_can_remind_of_nobody_named_it_says_how(
    writable_assistant: Assistant, text: str, how: str
) -> None:
    reply = writable_assistant.answer(ANA, text, f"can-remind-{text}")

    assert reply.intent == Intent.help, text
    assert how in reply.text, reply.text
    # The customer's name next makes the reminder asked for.
    named = writable_assistant.answer(ANA, "Hiroshi Tanaka", f"can-remind-{text}")
    assert named.intent == Intent.task, text


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        # The demo store has customers named Can and Weiß: here the words are verbs.
        ("what can I show her with the V60?", "COF-002"),
        ("I can offer him the Baratza?", "COF-005"),
        ("ich weiß nicht, was ich ihr zur AeroPress zeigen soll", None),
    ],
)
def test_a_name_that_is_a_verb_beside_a_pronoun_names_nobody(
    assistant: Assistant, text: str, sku: str | None
) -> None:
    reply = assistant.answer(ANA, text, f"verb-{text}")

    assert reply.customer_id is None, reply.text
    if sku is not None:
        assert reply.skus[:1] == [sku], reply.text


@pytest.mark.parametrize(
    ("text", "named"),
    [
        # Opening a message before a verb, an ordinary word is the customer's name.
        ("Can is here, what should I show him?", True),
        ("Can geldi, ne göstereyim?", True),
        # Before its subject, the English auxiliary asks a question.
        ("Can the customer return it after 30 days?", False),
        ("Can someone check the AeroPress filters?", False),
    ],
)
def test_a_name_that_is_an_auxiliary_opening_a_message_is_read_by_what_follows(
    assistant: Assistant, text: str, named: bool
) -> None:
    reply = assistant.answer(ANA, text, f"aux-{text}")

    assert (reply.customer_id is not None) is named, reply.text
    if named:
        assert "Can Arslan" in reply.text


def test_a_note_for_a_customer_whose_name_is_a_verb_is_saved_for_him(
    writable_assistant: Assistant,
) -> None:
    reply = writable_assistant.answer(ANA, "note for can: he wants a hose", "verb-note")

    assert reply.intent == Intent.note
    assert reply.customer_id is not None


def test_a_greeting_typed_in_greeklish_or_dialect_is_a_greeting(assistant: Assistant) -> None:
    for text in ("geia sou", "servus", "hallöchen"):
        assert assistant.answer(ANA, text, f"hi-{text}").intent == Intent.greeting, text


def test_a_reminder_for_a_named_customer_is_still_a_task(writable_assistant: Assistant) -> None:
    reply = writable_assistant.answer(
        ANA, "can you remind me to call Hiroshi Tanaka on Friday?", "task"
    )

    assert reply.intent == Intent.task


@pytest.mark.parametrize(
    "text",
    [
        "note for Hiroshi Tanaka - wants the black grinder",
        "recuerda que Hiroshi Tanaka quiere factura a nombre de la empresa",
    ],
)
def test_a_note_after_a_dash_or_remember_that_is_saved(
    writable_assistant: Assistant, text: str
) -> None:
    reply = writable_assistant.answer(ANA, text, f"dash-{text}")

    assert reply.intent == Intent.note, text
    assert reply.customer_id is not None


@pytest.mark.parametrize(
    ("text", "saved"),
    [
        ("for Hiroshi Tanaka: bought the wrong filters last time, wants the V60 ones", "wrong"),
        ("para María López: compró la moka pequeña, quiere la grande", "pequeña"),
        ("Çağla Yılmaz için: chemex aldı, filtre lazım olacak", "filtre"),
        ("για τη Σοφία Νικολαΐδου: αγόρασε το chemex, θέλει φίλτρα", "φίλτρα"),
        ("für Frau Leroy: hat die Moka gekauft, möchte Dichtungen", "Dichtungen"),
    ],
)
def test_a_statement_addressed_to_a_customer_s_record_is_saved(
    writable_assistant: Assistant, text: str, saved: str
) -> None:
    # "for X: <what happened>": a note to keep, not a question about her purchases
    reply = writable_assistant.answer(ANA, text, f"for-{text}")

    assert reply.intent == Intent.note, reply.text
    assert saved in reply.text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("for María López: what did she buy last time?", Intent.history),
        ("para Ana Sánchez: ¿qué talla usa?", Intent.sizes),
    ],
)
def test_a_question_addressed_to_a_customer_asks(
    writable_assistant: Assistant, text: str, intent: Intent
) -> None:
    reply = writable_assistant.answer(ANA, text, f"for-q-{text}")

    assert reply.intent == intent, reply.text


@pytest.mark.parametrize(
    ("text", "saved"),
    [
        # What she said, told with her name first, asking nothing: a note to keep.
        ("Hiroshi Tanaka says the grinder is too loud, wants a quieter one next time", True),
        ("María López dice que la chaqueta le queda grande", True),
        ("Çağla Yılmaz ayakkabının dar geldiğini söyledi", True),
        ("η Κατερίνα Αντωνίου είπε ότι το παλτό της έρχεται μεγάλο", True),
        ("Anja Krüger sagt, die Mühle ist zu laut", True),
        # Asking something about it, or asking what she said, saves nothing.
        ("Hiroshi Tanaka says the grinder broke, can we repair it?", False),
        ("Hiroshi Tanaka says he is bored of his usual beans. any ideas what to suggest", False),
        ("María López dice que compró unas botas aquí, puedes mirar sus compras", False),
        # What she does not know, or asks, is the associate's question in passing.
        ("Hiroshi Tanaka says he forgot which grinder he bought", False),
        ("Anja Krüger sagt, sie weiß ihre Größe nicht mehr", False),
        ("Çağla Yılmaz ne dedi", False),
        ("what did María López say about the jacket", False),
    ],
)
def test_what_a_customer_said_is_noted_unless_something_is_asked(
    writable_assistant: Assistant, text: str, saved: bool
) -> None:
    reply = writable_assistant.answer(ANA, text, f"said-{text}")

    assert (reply.intent == Intent.note) is saved, text
    assert reply.customer_id is not None


@pytest.mark.parametrize(
    "text",
    [
        "recuerda que el viernes cierra la tienda a las 6",
        "note for tomorrow - check the grinder stock",
    ],
)
def test_store_matters_to_remember_are_no_customer_notes(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"store-matter-{text}")

    assert reply.intent not in (Intent.note, Intent.not_found), text


def test_a_note_that_opens_with_an_ordinary_word_first_name_is_hers(
    writable_assistant: Assistant,
) -> None:
    with Session(writable_assistant.engine) as db:
        for customer_id, first, last in (
            ("CPAZ", "Paz", "Herrera"),
            ("CERN", "Ernst", "Hofmann"),
            ("CWIL", "Will", "Baker"),
        ):
            db.add(
                Customer(
                    customer_id=customer_id, first_name=first, last_name=last, home_store="S01"
                )
            )
        db.commit()
    writable_assistant.refresh()

    paz = writable_assistant.answer(ANA, "apunta que paz quiere el lavabo negro", "note-paz")
    ernst = writable_assistant.answer(
        ANA, "notier: ernst möchte die Wanne erst im Frühjahr", "n-e"
    )
    will = writable_assistant.answer(ANA, "note: will call back tomorrow about the tiles", "n-w")
    will_is = writable_assistant.answer(ANA, "note: will is back friday for the tiles", "n-wi")

    assert (paz.intent, paz.customer_id) == (Intent.note, "CPAZ")
    assert (ernst.intent, ernst.customer_id) == (Intent.note, "CERN")
    assert will.customer_id != "CWIL"  # "will call back": the auxiliary, not Will Baker
    assert (will_is.intent, will_is.customer_id) == (Intent.note, "CWIL")  # "will is": him


@pytest.mark.parametrize(
    ("masked", "asks"),
    [
        # What she said, asked for, complained of or likes, asked of her: her notes.
        ("did X mention anything about the rug last time?", True),
        ("what did X say about the delivery?", True),
        ("what was X's problem with the mattress?", True),
        ("qué le gusta a X", True),
        ("X Hanım'ın kanepeyle ilgili sorunu neydi", True),
        ("X Bey geçen sefer ne demişti", True),
        ("X bir şey istemişti, Ali not almış olabilir", True),
        ("η X είχε ζητήσει έκπτωση;", True),
        ("was mag Herr X?", True),
        ("hatte X nach einem Rabatt gefragt?", True),
        ("remind me what X said last time", True),
        ("¿qué nos dijo X la última vez?", True),
        ("does X have any preferences?", True),
        ("what are X's preferences?", True),
        ("what did X ask for?", True),
        ("X'in tercihleri neler", True),
        # Anything on her, or flagged: her notes.
        ("X is at the till, anything flagged on her", True),
        ("got anything on X? she's in", True),
        ("ha venido X, ¿q tenemos de él?", True),
        ("X kasada, hakkında bir şey var mı?", True),
        ("έχουμε κάτι για τον X;", True),
        ("haben wir was zu Frau X?", True),
        ("got anything on sale?", False),
        ("X is here, got anything on her size?", False),
        ("X quiere la Chemex, ¿hay algo sobre el tamaño?", False),
        # Her allergies asked, trouble with her recalled, what she had said: her notes.
        ("does X have any allergies?", True),
        ("¿X tiene alguna alergia?", True),
        ("X'in alerjisi var mı?", True),
        ("η X έχει αλλεργίες;", True),
        ("X just walked in, wasn't there some drama with her a while back?", True),
        ("gab es nicht mal Ärger mit Frau X?", True),
        ("τι είχε πει η X την τελευταία φορά;", True),
        ("did X buy what she wanted?", False),
        ("X Bey'in yastık tercihi neydi, yüksek mi alçak mı", False),  # a size on file
        # What she bought, what she might like, or who she is ("what do we know about her?"
        # asks her profile as most writers label it): not her notes.
        ("Frau X ist da, was wissen wir über sie?", False),
        ("what do we know about X? tier, last visit etc", False),
        ("what did X buy last time?", False),
        ("¿qué le puede gustar a X?", False),
        ("X ne aldı?", False),
        ("was hat X gekauft?", False),
    ],
)
def test_what_she_said_asked_or_likes_asks_her_notes(masked: str, asks: bool) -> None:
    assert asks_what_was_said(masked) is asks, masked


@pytest.mark.parametrize(
    "text",
    [
        "how do I add a note for a customer?",
        "can I save a customer's sizes here?",
        "¿se puede ver cuánto ha gastado una clienta?",
        "¿cómo le recomiendo algo a una clienta?",
        "bir müşteriye not nasıl eklenir",
        "müşterinin bedenlerini nasıl kaydederim?",
        "μπορώ να γράψω σημείωση για πελάτη;",
        "πώς βλέπω τι έχει αγοράσει ένας πελάτης;",
        "wie bekomme ich Empfehlungen für einen Kunden?",
        "kann man sehen, was ein Kunde letztes Jahr ausgegeben hat?",
    ],
)
def test_how_to_use_it_for_a_customer_in_general_is_help(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"anyone-{text}")

    assert reply.intent == Intent.help, text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Ideas asked for a shopper nobody named, not how to get them.
        ("can you suggest something for a customer who likes tea?", Intent.recommend),
        ("was kann ich einer Kundin empfehlen, die Tee mag?", Intent.recommend),
        # A customer named: about her.
        ("¿cómo puedo ver lo que compró Ana Sánchez?", Intent.history),
    ],
)
def test_asking_for_a_shopper_or_a_named_customer_is_no_help(
    assistant: Assistant, text: str, intent: Intent
) -> None:
    assert assistant.answer(ANA, text, f"shopper-{text}").intent == intent, text


@pytest.mark.parametrize(
    "text",
    [
        "bot's not replying since this morning, is it down?",
        "no me salen resultados, me da error todo el rato",
        "yarım saattir cevap vermiyorsun, bozuldun mu",
        "γιατί δεν μου απαντάς;",
        "den mou apantaei to bot, ti ftaiei?",
        "wie frag ich dich nach kunden die lange nicht da waren",
        "muss das sein, dass ich immer den vollen Namen schreiben muss?",
        "se pueden mandar fotos de un ticket?",
        "μπορείς να μου στέλνεις ειδοποίηση για γενέθλια πελατών;",
        # Nothing else named: the trouble is the assistant's.
        "it's not answering",
        "me da error",
        "çalışmıyor yine",
        "δεν απαντάει πάλι",
        "geht schon wieder nicht",
        "no me funciona el asistente",
        # What it can do, asked as "… or only …", or of "this thing".
        "can we leave reminders through here or just read notes?",
        "will this bot tell me the stock for the store?",
        "¿puedo escribir notas o solo consultarlas?",
        "hatırlatma kurabiliyor muyum yoksa sadece bakabiliyor muyum?",
        "γράφω σημειώσεις εδώ ή μόνο τις βλέπω;",
        "darf ich hier was speichern oder nur ansehen?",
        # A wrong answer it gave, told to it, whatever product it was about.
        "you told me the wrong price for the Chemex this morning, who checks that?",
        "el otro día me dijiste mal la talla de la chaqueta",
        "dün bana yanlış renk söyledin, müşteri bozuldu",
        "μου είπες λάθος τιμή για το κρεβάτι χθες",
        "du hast mir vorhin einen falschen Preis genannt",
        # Which customers it sees, which chat apps it works in, what its words mean.
        "could you also look up clients from the Porto branch?",
        "¿ves también a los clientes de la tienda de Sevilla?",
        "ankara şubesinin müşterilerine de bakabiliyor musun",
        "βλέπεις και τους πελάτες από το άλλο κατάστημα;",
        "kannst du auch die Kunden aus der anderen Filiale sehen?",
        "can we use the bot in our whatsapp group too?",
        "¿se puede usar el bot en el grupo de whatsapp o solo en telegram?",
        "what does it mean when you say 'lapsed' next to a name?",
        "τι σημαίνει όταν γράφεις «χωρίς συγκατάθεση»;",
        "was bedeutet das, wenn da 'kein Einverständnis' steht?",
        # How it answers, what it does unasked, the bot stuck, a note it lost, "u".
        "your replies are so long, could you make them shorter?",
        "notu nereden silebilirim?",
        "το μποτ έχει κολλήσει πάλι",
        "¿me puedes mandar un resumen cada lunes?",
        "first day here lol, what can u even do",
        "told u to save a note for a customer yesterday and it's gone",
        # Typing without accents or in the other alphabet, and what the other branches see.
        "do I need the accents or does it find zoe without them?",
        "¿da igual si pongo los nombres sin tildes?",
        "türkçe karakter kullanmadan yazınca da buluyor mu",
        "τα ονόματα τα γράφω με ελληνικά ή με λατινικά γράμματα;",
        "geht das auch ohne Umlaute, also mit ue statt ü?",
        "does it show what the airport shop sold too or only our branch?",
        "¿las notas de aquí las ven también en Bilbao o solo nosotros?",
        "μπορώ να δω και πελάτες του άλλου καταστήματος;",
        "sehen die Kolleginnen in der anderen Filiale meine Notizen?",
    ],
)
def test_trouble_with_it_or_what_it_can_do_is_help(assistant: Assistant, text: str) -> None:
    assert assistant.answer(ANA, text, f"trouble-{text}").intent == Intent.help, text


@pytest.mark.parametrize(
    "text",
    ["bestell bitte 10 Säcke Lamm & Reis nach", "can you reorder the V60 filters?"],
)
def test_ordering_stock_is_off_topic_and_names_no_product(assistant: Assistant, text: str) -> None:
    reply = assistant.answer(ANA, text, f"reorder-{text}")

    assert reply.intent == Intent.unknown, text
    assert reply.skus == [], text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("enséñame lo anotado de Ana Sánchez", Intent.notes),
        ("lo que tengamos anotado sobre Ana Sánchez", Intent.notes),
        # A reminder of what she said or bought is a question, not a task to make.
        ("Ana Sánchez'ın ne dediğini hatırlat", Intent.notes),
        ("Ana Sánchez'ın ne aldığını hatırlat", Intent.history),
        # "lo que", "lo q" and a Turkish past tense ask too.
        ("me recuerdas lo que apuntamos de Ana Sánchez?", Intent.notes),
        ("recuérdame lo q dijo Ana Sánchez", Intent.notes),
        ("Ana Sánchez hakkında ne yazmıştık hatırlat", Intent.notes),
    ],
)
def test_what_was_written_or_said_asked_is_read_not_saved(
    assistant: Assistant, text: str, intent: Intent
) -> None:
    reply = assistant.answer(ANA, text, f"written-{text}")

    assert reply.intent == intent, text
    assert reply.customer_id == "C0054", text


@pytest.mark.parametrize(
    "text",
    [
        "the card terminal is broken",
        "kasa çalışmıyor",
        "la impresora da error",
        "το POS δεν δουλεύει",
        # Someone else's wrong word, a message to a customer, a label of a product.
        "she gave me the wrong number",
        "what does 'single origin' mean?",
        # Words of the new help asks in a note, a list, a product question.
        "Ana Sánchez is only reachable on WhatsApp, write that down",
        "birthdays this week, only my store's customers",
        "what does 26 cm mean when it says 26 cm on the skillet?",
        "¿sabes algún truco para vender la AeroPress?",
    ],
)
def test_trouble_with_something_else_in_the_shop_is_no_help(
    assistant: Assistant, text: str
) -> None:
    assert assistant.answer(ANA, text, f"shop-trouble-{text}").intent != Intent.help, text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Told to go into her notes, after what it says: saved.
        ("Ana Sánchez zieht nach Köln um, bitte in die Notizen", Intent.note),
        ("a Ana Sánchez no le gustan las cápsulas, ponlo en las notas", Intent.note),
        ("η Ana Sánchez θέλει τιμολόγιο, βάλ' το στις σημειώσεις", Intent.note),
        ("Ana Sánchez faturayı şirket adına istiyor, notlara ekler misin", Intent.note),
        ("στις σημειώσεις της Ana Sánchez βάλε ότι προτιμά Σάββατο πρωί", Intent.note),
        ("πρόσθεσε στην Ana Sánchez ότι θέλει τιμολόγιο", Intent.note),
        # Asked to look in them: read.
        ("kannst du in die Notizen von Ana Sánchez schauen?", Intent.notes),
    ],
)
def test_into_her_notes_saves_and_looking_in_them_reads(
    assistant: Assistant, text: str, intent: Intent
) -> None:
    reply = assistant.answer(ANA, text, f"into-notes-{text}")

    assert (reply.intent, reply.customer_id) == (intent, "C0054"), reply.text


@pytest.mark.parametrize(
    "text",
    [
        "did Ana Sánchez enjoy the V60 she got?",
        "was Ana Sánchez pleased with her order?",
        "¿qué tal le fue a Ana Sánchez con la cafetera?",
        "Ana Sánchez kahve makinesini nasıl bulmuş?",
        "ήταν ικανοποιημένη η Ana Sánchez με τον μύλο;",
        "hat Ana Sánchez die Kanne gefallen?",
        # What to know before she comes in.
        "Ana Sánchez is due at 4, what do I need to know?",
    ],
)
def test_what_she_thought_of_a_purchase_is_in_her_notes(assistant: Assistant, text: str) -> None:
    """Her opinion of what she bought is what colleagues noted, not the list of purchases."""
    reply = assistant.answer(ANA, text, f"opinion-{text}")

    assert (reply.intent, reply.customer_id) == (Intent.notes, "C0054"), reply.text


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("what has hannah walsh rented this year", "C0097"),
        ("has Ana Sánchez hired anything from us?", "C0054"),
        ("what did Ana Sánchez hire last time?", "C0054"),
        ("¿qué ha alquilado Ana Sánchez este año?", "C0054"),
        ("Ana Sánchez bu yıl ne kiraladı?", "C0054"),
        ("τι νοίκιασε η Ana Sánchez;", "C0054"),
        ("was hat Ana Sánchez gemietet?", "C0054"),
    ],
)
def test_what_a_hire_shop_s_customer_rented_is_her_history(
    assistant: Assistant, text: str, customer: str
) -> None:
    """A hire shop's customers rent: what she rented is what she took, not what she spent."""
    reply = assistant.answer(ANA, text, f"rented-{text}")

    assert (reply.intent, reply.customer_id) == (Intent.history, customer), reply.text
