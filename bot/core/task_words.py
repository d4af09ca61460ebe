"""The words of follow-up tasks in the five languages: a request for a reminder, a list of
tasks, closing or snoozing one in words, and the task's own text without the request words.
Patterns match folded text (lower case, no accents: bot.core.text.strip_accents)."""

from __future__ import annotations

import re
from datetime import date

from bot.core.dates import find_due_date
from bot.core.i18n import current_language
from bot.core.text import FOLDED_STOP_WORDS, fold, folded_words, holds_question_mark, strip_accents

# An answer to "when?" or "who?" ("Friday", "Zoë Clarke please") has at most this many words
# besides stop words; a longer message is a new request.
SHORT_ANSWER_WORDS = 3

# A request for a reminder, in the five languages (folded: lower case, no accents).
_REMINDER = re.compile(
    r"\bremind(?:er)? (?:me|us)\b"
    r"|\b(?:set|put|add|make|create) (?:me |us )?(?:a |up a |up )?reminders?\b"
    r"|\bfollow[- ]?up (?:with|on|w/?)(?!\w)"
    r"|\b(?:get|be|being) reminded\b"
    r"|\brecuerdame\b|\brecordarme\b|\brecordatorios?\b|\bacuerdame\b|\bavisarme\b"
    r"|\bme (?:puedes |podes |podrias )?avis(?:a|e|ar|as|es)\b"
    r"|\b(?:mandar|enviar|poner|mandame|enviame|ponme)(?:me)? un aviso\b"
    r"|\bme (?:puedes|podes|podrias|puede|podria|vas a) recordar\b"
    r"|hatirlat|animsat"
    r"|θυμισε\s*μου|θυμιζε\s*μου|μου θυμι[σζ]|θυμησου να\b|υπενθυμι"
    r"|\bth[iy]m[iy]s[eh] m(?:ou|u)\b|\b[yi]pen?th[iy]m[iy]s"  # Greeklish
    r"|\berinner\w* mich\b|\berinnerst du mich\b|\berinnerung(?:en)?\b|\bmich (?:\w+ ){0,7}erinner"
    r"|\bme recuerdas\b"
    r"|\bdon'?t let me forget\b|\bping me\b|\bno me dejes olvidar\b|\bavisame\b"
    r"|unutmayayim\b|unutmayalim\b|μην με αφησεισ να ξεχασω|\blass mich nicht vergessen\b"
)
# The request words themselves, cut from the task's text ("remind me to call María" → "call
# María").
REQUEST_WORDS = re.compile(
    r"^[\s¿¡]*(?:(?:please|pls|plz|por favor|porfa|bitte|lütfen|lutfen)[,\s]+)?"
    r"(?:(?:me )?(?:puedes|podr[ií]as|podes) |(?:kannst|k[öo]nntest) du |μπορε[ίι]ς να )?"
    r"(?:(?:can you |could you )?remind me(?: to\b| about\b| that\b)?"
    r"|me recuerdas(?: que\b| q\b)?|(?:mich|uns) (?:daran |noch ?mal )?erinnern,?"
    r"|(?:can you |could you )?(?:set|put|add|make|create) (?:me |us )?(?:a |up a )?"
    r"reminder(?: to\b)?"
    r"|recu[eé]rdame(?: que\b| q\b)?|recordarme|acu[eé]rdame(?: de\b)?"
    r"|don'?t let me forget(?: to\b)?|ping me(?: to\b)?"
    r"|no me dejes olvidar|av[ií]same(?: de\b)?"
    r"|(?:m[aá]ndame|env[ií]ame|ponme) un aviso(?: para\b)?"
    r"|θ[υύ]μισ[εέ] μου(?: να\b)?|th[iy]m[iy]s[eh] m(?:ou|u)(?: na\b)?"
    r"|erinnere? mich(?:,)?(?: bitte)?(?: daran\b)?(?:,)?(?: an\b)?)\s*",
    re.IGNORECASE,
)
_TURKISH_TAIL = re.compile(
    r"\s*(?:bana\s+)?(?:hat[ıi]rlat|an[ıi]msat|unutmaya[yl])\w*(?:\s+bana)?\s*[.!?]*$",
    re.IGNORECASE,
)
# "remind me what/who/how…", "remind me of her shoe size": a question wrapped in a request,
# answered as one.
ASKS_A_QUESTION = re.compile(
    r"(?:what|who|which|how|when|where|whether|if|que|q|quien|cual|como|cuando|donde"
    r"|lo (?:que|q) (?!tengo|tenemos|hay|debo|debemos|le tengo|les tengo)"
    r"|τι|ποι|πως|ποτε|was|wer|welche|wie|wann|wo|ob)\b",
    re.IGNORECASE,
)
# "remind me of X's shoe size", "…of her size" (not "remind me of stuff", "…of the call with
# X"): what is to be said back.
_OF_A_FACT = re.compile(r"^of\b[^.?!]{0,40}?(?:['’]s\b|\b(?:her|his|their)\b)")
# A Turkish question told ("ne dediğini hatırlat": remind me what she said; "ne aldığını"; "ne
# yazmıştık", what had we written): a question word before a verbal noun in -DIK or a verb in
# the past, folded.
_TURKISH_ASKED = re.compile(
    r"\b(?:ne|neler|kim|kimi|hangi\w*|nasil)\s+"
    r"(?:\w+(?:dig|dug|tig|tug)\w*|\w+(?:mis|mus|di|du|ti|tu)(?:k|m|n|niz|nuz|ler|lar)?\b)"
)
# A verbal noun with "my" ("aramamı": that I call) before hatırlat: its stem is the order.
_TURKISH_NOMINAL = re.compile(r"(\w+?)(?:m[ae]m[ıiuü]|m[ae]y[ıi])\s*$")
# A German zu-infinitive at the end of the task: the plain infinitive reads as a to-do.
_GERMAN_ZU = re.compile(
    r"\b(an|auf|ab|aus|ein|mit|vor|vorbei|zurück|nach|durch|her|hin)?zu(\w{3,}en)\s*[.!]?$"
    r"|\bzu\s+(?=\w+en\s*[.!]?$)",
    re.IGNORECASE,
)
# "what reminders do I have?", "¿qué recordatorios tengo?", "welche Erinnerungen habe ich?",
# "ποιες υπενθυμίσεις έχω;": the caller's own, asked which.
_WHICH_I_HAVE = (
    r"\bwhat (?:tasks|follow[- ]?ups|reminders|to-?dos) (?:do )?i (?:have|got)\b"
    r"|\bque (?:tareas|recordatorios|seguimientos) tengo\b"
    r"|\bwelche (?:aufgaben|erinnerungen|wiedervorlagen) (?:habe|hab) ich\b"
    r"|ποιεσ (?:εργασιεσ|υπενθυμισεισ) εχω"
    # "where do I see my reminders?", "¿dónde veo los recordatorios?", "hatırlatmaları nerden
    # görürüm", "πού βλέπω τις υπενθυμίσεις", "wo finde ich die Erinnerungen?"
    r"|\bwhere (?:do|can|will|would) i (?:see|find|check|look at|get to) (?:my |the )?"
    r"(?:tasks|follow[- ]?ups|reminders|to-?dos)\b"
    r"|\bdonde (?:veo|miro|encuentro|reviso|estan|salen|aparecen) (?:mis |los |las )?"
    r"(?:tareas|recordatorios|seguimientos)\b"
    r"|\b(?:hatirlatma|gorev)\w* (?:\w+ )?(?:nerede|nerde|nereden|nerden)\b"
    r"|\b(?:nerede|nerde|nereden|nerden) (?:\w+ )?(?:hatirlatma|gorev)"
    r"|\bπου (?:\w+ ){0,2}(?:τισ|οι) (?:υπενθυμισεισ|εργασιεσ)\b"
    r"|\bwo (?:sehe|finde|seh|find) ich (?:meine )?(?:aufgaben|erinnerungen|wiedervorlagen)\b"
)
# "my tasks", "what are my follow-ups?", "mis tareas", "görevlerim", "οι εργασίες μου",
# "meine Aufgaben".
_TASK_LIST = re.compile(
    r"\b(?:my|open) (?:tasks|follow[- ]?ups|reminders|to-?dos|to[- ]?do list|calls)\b"
    r"|\bwhat(?:'?s| is) on my (?:to[- ]?do )?list\b"
    r"|^\s*/?(?:tasks|follow[- ]?ups|reminders|to-?dos|tareas|recordatorios|seguimientos"
    r"|gorevler|gorevlerim|hatirlatmalar|εργασιεσ|υπενθυμισεισ|aufgaben|erinnerungen)\s*[?;]?$"
    r"|\bmis (?:tareas|recordatorios|seguimientos|pendientes)\b|\btareas pendientes\b"
    r"|\bgorevlerim|\bhatirlatmalarim|\byapilacaklar|\btakip gorevlerim"
    r"|εργασιεσ μου|υπενθυμισεισ μου|εκκρεμοτητ"
    r"|\bmeine (?:aufgaben|erinnerungen|wiedervorlagen)\b|\boffene aufgaben\b"
    r"|" + _WHICH_I_HAVE
)
_OWN_TASKS = re.compile(
    _WHICH_I_HAVE + r"|\bmy (?:tasks|follow[- ]?ups|reminders|to-?dos|to[- ]?do list)\b"
    r"|\bon my (?:to[- ]?do )?list\b"
    r"|\bmis (?:tareas|recordatorios|seguimientos)\b|\bgorevlerim|\bhatirlatmalarim"
    r"|εργασιεσ μου|υπενθυμισεισ μου|εκκρεμοτητεσ μου|\bmeine (?:aufgaben|erinnerungen)\b"
)
# The day's work asked for ("who should I call today?"): answered with the briefing, the
# caller's follow-ups and the customers worth a call today (bot.core.briefing).
_DAY_PLAN = re.compile(
    r"\btoday'?s (?:tasks|follow[- ]?ups|reminders|to-?dos|calls|plan)\b"
    r"|\bwhat (?:do|should) i (?:have to |need to )?do today\b"
    r"|\bwho (?:should|do|shall|can) i (?:need to )?(?:call|phone|text|contact|ring|reach out to)"
    r"(?: \w+)? today\b|\bwhat'?s on (?:for )?today\b|\bwho (?:to|should i) (?:call|ring) today\b"
    r"|\bque (?:tengo|hay) (?:que hacer|pendiente) hoy\b"
    r"|\ba quien (?:tengo que|debo|deberia|puedo) (?:llamar|contactar|escribir) hoy\b"
    r"|\ba quien llamo hoy\b"
    r"|\bbugun (?:kimi|kimleri) (?:aramam|arayayim|arasam)|\bbugun ne yapmam (?:lazim|gerek)"
    r"|\bbugun kimi arayayim\b"
    r"|\bποιον (?:να )?(?:παρω|παρω τηλεφωνο|τηλεφωνησω) σημερα\b|\bτι εχω σημερα\b"
    r"|\bwas steht heute an\b|\bwen (?:muss|soll|sollte|kann) ich heute anrufen\b"
)
# Closing or putting off a task in words ("I called Hiroshi, mark it done", "snooze the
# Sergei reminder to Monday"): acted on only when the caller has an open task for the customer.
_DONE = re.compile(
    r"\bmark (?:it |that |this |the \w+ (?:task|reminder|follow-?up) )?(?:as )?done\b"
    r"|\b(?:task|reminder|follow-?up) (?:is )?done\b|\bdone with\b"
    r"|\bi (?:called|phoned|rang|texted|messaged|emailed|wrote to|spoke to|talked to)\b"
    r"|\bmarca(?:r|lo|la)? como hech|\bya (?:l[aeo]s? )?(?:llame|escribi|hable con)\b"
    r"|\btamamla(?:ndi|dim)\b|\baradim\b|\byazdim\b|\bkonustum\b"
    r"|\bεγινε\b|\bολοκληρωθηκε\b|\b(?:τηλεφωνησα|μιλησα|εστειλα)\b"
    r"|\berledigt\b|\bhabe (?:\w+ ){0,3}(?:angerufen|geschrieben|gesprochen)\b"
)
# …but nobody answered: the task stays open ("I called but no answer", "aradım ama açmadı",
# "llamé pero no contestó", "τηλεφώνησα αλλά δεν απάντησε", "angerufen, aber nicht erreicht").
_UNANSWERED = re.compile(
    r"\bno (?:answer|reply|pick ?up)\b"
    r"|\b(?:didn['’]?t|did not|doesn['’]?t|won['’]?t) (?:answer|pick up|reply)"
    r"|\bvoice ?mail\b|\bwent to (?:voicemail|vm)\b|\bno one (?:answered|picked up)\b"
    r"|\bno (?:contesta|contesto|respondio|lo cogio|me lo cogio)\b|\bbuzon\b"
    r"|\bacmadi\b|\bacmiyor\b|\bcevap (?:vermedi|yok)\b|\bulasamadim\b"
    r"|\bδεν (?:απαντησε|απαντα|το σηκωσε|σηκωσε)\b|\bτηλεφωνητη\b"
    r"|\bnicht (?:erreicht|abgenommen|rangegangen|drangegangen)\b"
    r"|\bniemand (?:ging ran|hat abgenommen)\b"
    r"|\bmailbox\b|\banrufbeantworter\b"
)
_SNOOZE = re.compile(
    r"\bsnooze|\bpostpone|\bput (?:it |that |the \w+ )?off\b|\bpush (?:it |that )?(?:back|to)\b"
    r"|\bmove (?:it|that|the \w+ (?:task|reminder|follow-?up)) to\b|\breschedule"
    r"|\bpospon|\baplaz|\bertele|\bαναβολ|\bαναβαλ|\bμεταθεσ|\bverschieb"
)


# A to-do for a customer in the form notes take, no "remind me" ("call maggie next week about
# the kettle", "la semana que viene llamar a Carmen", "in 2 Wochen nachfragen", "να πάρω τηλ
# την Ελένη την Πέμπτη", "cuma aranacak"): a command or an infinitive of getting in touch.
_TO_DO = re.compile(
    r"(?:^|[.,;:!-]\s*)(?:(?:pls|please|must|need to|have to|gotta|got to|todo:?|to do:?) )?"
    r"(?:call|ring|phone|text|email|e-mail|contact|follow up with|check in with|get back to)\b"
    r"|\b(?:llamar|contactar|avisar|escribir|volver a llamar)(?:la|lo|le|las|los)?\b"
    r"|\b(?:aranacak|aranmali|aramam (?:lazim|gerek)|arayacagim|arayalim|aramaliyim)\b"
    r"|\b(?:donus|geri donus) yap(?:\w*)|\bgeri don(?:mem|ecegim|elim|ulecek)\b"
    r"|\bonu (?:\w+ ){0,3}ara(?:yin|sin)?\b"
    r"|\bνα (?:τον |την |τη |τουσ |τισ )?(?:καλεσω|τηλεφωνησω|ενημερωσω)\b"
    r"|\bνα (?:τον |την |τη |τουσ |τισ )?(?:ξανα)?παρω (?:\w+ )?τηλ"
    r"|\b(?:anrufen|zuru(?:e)?ckrufen|nachfragen|nachhaken|nachfassen|kontaktieren"
    r"|bescheid geben)\b|\brufe? (?:\w+ ){0,4}an\b"
)


# What makes a message with such words no to-do (folded): a question without its mark
# ("soll ich X anrufen", "arayalım mı", "what did X buy, call her…"), a request for her number
# or email ("dame el móvil de X, tengo que llamarla mañana"), or the customer as the one who
# will call ("X va a llamar mañana", "X wird nachfragen").
_NO_TO_DO = re.compile(
    r"^\W*(?:what|who|how|when|where|which|why|should|shall|can|could|do|does|did|is|are|will)\b"
    r"|\b(?:or is it|or should)\b"
    r"|(?:give me|what(?:s|\x27s| is)|send me|need|get me|find me) (?:\w+ ){0,2}(?:phone|number|"
    r"mobile|cell|email|e-mail|contact)"
    r"|\b(?:phone|mobile|cell) number\b|\bnumber (?:of|for)\b|\bemail (?:address )?(?:of|for)\b"
    r"|^\W*(?:que|q|quien|como|cuando|donde|cual|debo|deberia)\b"
    r"|\b(?:dame|pasame|mandame|cual es|necesito) (?:\w+ ){0,2}(?:el |su )?(?:movil|numero|"
    r"telefono|correo|email)"
    r"|\bva a (?:llamar|contactar|escribir|avisar)"
    r"|\b(?:m[iıuü]|m[iıuü]y[iıuü]m|m[iıuü]s[iıuü]n)\b"
    r"|(?:numara|telefon|e-?posta|mail)\w* (?:ne|nedir|neydi|ver)"
    r"|^\W*(?:τι|ποιο|ποια|ποιοσ|πωσ|ποτε|πρεπει|μπορω)\b"
    r"|(?:δωσε μου|στειλε μου|ποιο ειναι) (?:\w+ ){0,3}(?:κινητο|τηλεφωνο|αριθμο|email|μειλ)"
    r"|^\W*(?:was|wer|wie|wann|wo|soll|sollen|sollte|muss ich|kann|konnen)\b"
    r"|(?:gib mir|wie ist|wie lautet|brauche|schick mir) (?:\w+ ){0,3}"
    r"(?:nummer|handynummer|telefonnummer|e-?mail|handy)|\bwird\b"
)


def plans_contact(text: str, today: date) -> bool:
    """Return whether a message is a to-do of getting in touch with a customer on a day after
    `today`, written as notes are ("call maggie next week", "in 2 Wochen nachfragen") rather
    than asked ("should I call her next week?" is a question); the day is read in the reply
    language first (bot.core.i18n.current_language), then in any."""
    folded = strip_accents(text)
    if holds_question_mark(text) or _TO_DO.search(folded) is None:
        return False
    if _NO_TO_DO.search(folded) is not None:
        return False
    language = current_language()
    due = find_due_date(text, today=today, language=language) or find_due_date(text, today=today)
    return due is not None


# A note that asks to get back to the customer ("call her back on Friday") carries a task.
FOLLOW_UP_CUE = re.compile(
    r"\bfollow[- ]?up\b|\bcall (?:her|him|them|back)\b|\bcall\b.*\bback\b|\bcheck in\b"
    r"|\bget back to\b|\bremind\b"
    r"|seguimiento|\bllam(?:ar|ala|alo|arla|arlo)\b|volver a llamar|\brecordar"
    r"|\bara(?:y[ıi]n|mal[ıi]y[ıi]m|mam[ıi])?\b|takip|hatirlat"
    r"|τηλεφων|θυμισ|επικοινων|ξαναπαρ"
    r"|nachfassen|anrufen|zuru(?:e)?ckrufen|erinnern|\bmelden\b|donus yap"
    rf"|{_TO_DO.pattern}"
)


def task_action(text: str) -> str | None:
    """Return "done" or "snooze" when a message closes or puts off a task in words, else
    None."""
    folded = strip_accents(text)
    if _SNOOZE.search(folded):
        return "snooze"
    if _DONE.search(folded) and not _UNANSWERED.search(folded):
        return "done"
    return None


def content_words(text: str) -> list[str]:
    """Return a message's words that are not stop words (folded)."""
    return [w for w in folded_words(text) if w not in FOLDED_STOP_WORDS]


def asks_to_follow_up(text: str) -> bool:
    """True when a note asks to get back to the customer ("call her back…")."""
    return FOLLOW_UP_CUE.search(strip_accents(text)) is not None


def asks_for_tasks(text: str) -> bool:
    """True when a message asks for the associate's own follow-up tasks ("my tasks")."""
    return _TASK_LIST.search(strip_accents(text)) is not None


def asks_for_own_tasks(text: str) -> bool:
    """True when a message asks for the associate's own tasks in words that say so ("my
    tasks", "mis tareas", "görevlerim", "οι εργασίες μου", "meine Aufgaben"), whoever else it
    names ("my tasks for Owen"), unlike "any open follow-ups?" beside a customer's name."""
    return _OWN_TASKS.search(strip_accents(text)) is not None


def asks_for_day_plan(text: str) -> bool:
    """True when a message asks for the day's work ("who should I call today?", "was steht
    heute an?"), which the briefing answers."""
    return _DAY_PLAN.search(strip_accents(text)) is not None


def asks_for_reminder(text: str) -> bool:
    """True when a message asks to be reminded of something ("remind me to call…")."""
    return _REMINDER.search(strip_accents(text)) is not None


def asks_a_question(text: str) -> bool:
    """Return whether a request to be reminded asks a question instead ("remind me what María
    bought", "¿puedes recordarme qué compró?", "X'in ne dediğini hatırlat", "remind me of
    Hiroshi's shoe size"): answered as one, no task made."""
    asked = strip_accents(task_text(text))
    told = _TURKISH_ASKED.search(fold(text)) is not None  # "X'in ne dediğini hatırlat"
    return told or ASKS_A_QUESTION.match(asked) is not None or _OF_A_FACT.match(asked) is not None


def task_text(text: str) -> str:
    """Return what is to be done, without the request words: "remind me to call María about
    the grinder" → "call María about the grinder"."""
    cleaned = REQUEST_WORDS.sub("", " ".join(text.split()), count=1)
    if _TURKISH_TAIL.search(cleaned):
        # "Ayşe'yi aramamı hatırlat" (remind me that I call Ayşe) → "Ayşe'yi ara"
        cleaned = _TURKISH_NOMINAL.sub(r"\1", _TURKISH_TAIL.sub("", cleaned))
    # "Anna am Freitag anzurufen" → "Anna anrufen"; "Anna zu schreiben" → "Anna schreiben"
    cleaned = _GERMAN_ZU.sub(r"\1\2", cleaned)
    cleaned = re.sub(r"\s+([,.!?;:])", r"\1", re.sub(r"\s{2,}", " ", cleaned))
    cleaned = cleaned.strip(" ,;:.?!")
    return cleaned[:1].upper() + cleaned[1:] if cleaned else ""
