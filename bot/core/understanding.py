"""Who and what a message is about: the customer, the product and the intent.

Rules for notes, help and greetings (bot.core.rules), fuzzy name matching over the
catalogue, and the nearest multilingual example questions decide it; the conversation carries
the customer and product already being discussed ("and her sizes?").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from bot.core.help_asks import asks_for_list_feature, asks_how_for_anyone, reports_trouble
from bot.core.i18n import current_language
from bot.core.intents import PLACEHOLDER, IntentClassifier, IntentGuess
from bot.core.list_filters import asks_for_a_list
from bot.core.mentions import (
    PRONOUNS,
    after_a_title,
    describe_the_product,
    full_unknown_name,
    mask_name,
    name_matches,
    name_rest,
    names_a_person_back,
    refers_back,
    speaks_of_someone,
    split_name,
    typed_together,
    unknown_in,
)
from bot.core.name_cues import (
    AUXILIARIES,
    asked_again,
    asked_of,
    beside_a_pronoun,
    capitalised,
    date_left_typed,
    names_only,
    only_product_words,
    opens_as_subject,
    opens_telling,
    opens_with_auxiliary,
    typed_as_names,
)
from bot.core.names import NameMatch
from bot.core.periods import Period, parse_period
from bot.core.product_names import NAME_SHARE
from bot.core.product_words import mostly_named
from bot.core.retrieval import CANDIDATES, Retrieval, typed_contact
from bot.core.rules import (
    asks_about_notes,
    asks_carry,
    asks_errand,
    asks_for_ideas,
    asks_how,
    asks_if_customer,
    asks_ownership,
    asks_stock,
    asks_to_save,
    follow_up,
    is_greeting,
    is_help,
    names_the_notes,
    note_content,
    opens_with_save,
    wants_something,
)
from bot.core.task_words import plans_contact
from bot.core.text import bounded, cut_ending, fold, folded_words, replace_words, words
from bot.core.types import Intent
from storage.models import Conversation, Customer

# Readings a question whether she has it overrides (bought what we recommended: shopping_asks).
OWNS_FROM = frozenset({Intent.product, Intent.overview})
# Readings a request for ideas for a named customer overrides (product, profile, purchases, notes).
IDEAS_FROM = frozenset({Intent.product, Intent.overview, Intent.history, Intent.notes})
CUSTOMER_INTENTS = frozenset(
    {Intent.overview, Intent.history, Intent.spend, Intent.recommend, Intent.sizes, Intent.notes}
)
# Readings of a question how to use the assistant for anyone that make it help (help_asks).
ABOUT_ANYONE = CUSTOMER_INTENTS | {Intent.note, Intent.unknown}
# A greeting or a request for help that no rule recognises needs this score (the trained
# model's probability; nearest-example similarities, 0.75-0.9, never reach it).
SURE = 0.9
# …or, for help, this score on a message of at least HELP_WORDS words ("which languages do u
# speak", 0.87; on 1,000 new development questions 12 help questions and one off topic).
HELP_SURE = 0.6
HELP_WORDS = 4
# A follow-up ("in 2025?"; any "and…") keeps the question unless surely off topic, help, hello.
FOLLOW_UP_SURE = 0.9
# A short follow-up read as a list below this probability is about the customer.
HALF_SURE = 0.5
# The model's reading below this is torn: a product the message names or describes makes it a
# product question ("how often is the filter under the sink changed?" off topic at 0.76);
# above it, a product named in passing does not ("the lady with the bathrobe asks for a taxi").
TORN = 0.8


@dataclass
class Understood:
    """What one message is about."""

    intent: Intent
    customer: Customer | None = None
    candidates: list[Customer] = field(default_factory=list)
    customer_query: str = ""
    named_customer: bool = False
    sku: str | None = None
    categories: list[str] = field(default_factory=list)
    product_skus: list[str] = field(default_factory=list)
    all_history: bool = False
    full_notes: bool = False
    # The period asked about, read with the customer's name left out ("Julio" is no July).
    period: Period | None = None
    # A phone number or email typed that no customer has ("phone", "555-010-0199").
    unknown_contact: tuple[str, str] | None = None
    # The message asks about stock levels, which the assistant cannot see.
    stock: bool = False
    cut: bool = False  # the message was longer than MAX_READ_CHARS: only its start was read
    # A name typed in full that nobody has, whose parts others have ("Paula Schmidt" with a
    # Paula Ruiz in the store): offered as "did you mean", never chosen.
    suggestions: list[Customer] = field(default_factory=list)
    # The message's words (folded) taken for the customer's name.
    name_words: frozenset[str] = frozenset()
    # A kind of product named by a word many product names share ("towels", "knives"): the
    # word as typed and the skus whose names hold it.
    product_kind: tuple[str, list[str]] | None = None


def understand(
    r: Retrieval, classifier: IntentClassifier, db: Session, text: str, conversation: Conversation
) -> Understood:
    """Work out the intent, customer and product of a free-text message. Only the customers it
    names, or (with a pronoun, or no name at all) the one the conversation is about, are ever
    chosen: a name nobody has, or several have, is never replaced by the previous customer."""
    text, cut = bounded(text)
    contact = typed_contact(text)
    for intent, rule in ((Intent.help, is_help), (Intent.greeting, is_greeting)):
        if rule(text) and not (intent == Intent.help and contact):
            # "what can you do?" holds no customer Can: exact forms come before names (a
            # phone number or email typed is the customer asked for, however the words ask).
            return Understood(intent=intent, cut=cut)
    products = r.catalogue.products
    folded = folded_words(text)
    product_hits = r.name_hits(text, folded)
    product_words = {w for _, score, ws in product_hits[:1] if score >= NAME_SHARE for w in ws}
    sku = products.find_sku(folded) or r.product_by_name(text, product_hits)
    name_words: set[str] = set()
    customer: Customer | None = None
    candidates: list[Customer] = []
    query = ""
    masked_text = text
    direct = r.direct_customers(db, text)
    common_word_names = typos_only = typed_names = False
    matches: list[NameMatch] = []
    now = r.clock()

    def is_date(word: str) -> bool:
        return parse_period(word, now=now) is not None

    if direct:
        customer, candidates = (direct[0], []) if len(direct) == 1 else (None, direct)
        query = contact[1] if contact else text
        typed_ids = {c.customer_id.casefold() for c in direct}
        masked_text = (
            text.replace(contact[1], PLACEHOLDER)
            if contact
            else replace_words(text, lambda w: PLACEHOLDER if w.casefold() in typed_ids else None)
        )
    elif contact is None or contact[0] == "phone":  # a new number in a note names her too
        matches = name_matches(r, db, text, folded, product_words, conversation)
        if len(matches) > 1:
            # "how much did Will spend in June": June Whitaker is a month here.
            matches = [m for m in matches if not all(map(is_date, m.words))] or matches
        if matches and all(m.common_word for m in matches):
            # "What can I suggest to Paz?": Paz, not Can; "blanca serrano" in full: her.
            as_names = typed_as_names(text, set().union(*(m.words for m in matches)), is_date)
            matches = [m for m in matches if m.words & as_names] or matches
            typed_names = bool(as_names) or any(m.exact and len(m.words) > 1 for m in matches)
        said = set().union(*(m.words for m in matches))
        if matches and sku is not None and not any(m.exact for m in matches):
            matches = []  # a product question; "chef" one typo from Chen is no customer
        elif only_product_words(text, said, product_words, products.by_token, is_date):
            matches = [] if not asks_if_customer(text) else matches  # "…whole bean or ground?"
        if matches:
            # Ordinary words ("Can", "Will"): a name only when the message asks about a
            # person; typos only ("fıkra" for Fikret): unless it is sure it asks nothing of
            # the kind (checked below).
            common_word_names = all(m.common_word for m in matches)
            typos_only = not any(m.exact for m in matches)
            ids = [m.customer_id for m in matches]
            name_words = set().union(*(m.words for m in matches))
            if any(ws & name_words for _, _, ws in product_hits):
                # "April Stone" typed in full is the customer, not the sharpening stone; "Oliver
                # Smith is trying on the Speedgoats" is about the Speedgoat, not Smith goggles.
                product_words -= name_words
                product_hits = [h for h in product_hits if not h[2] <= name_words]
                sku = products.find_sku(folded) or r.product_by_name(text, product_hits)
            typed_name = [w for w in words(text) if fold(w) in name_words]
            # A name written without spaces ("王伟买了什么") is inside one typed word.
            query = " ".join(typed_name) or " ".join(sorted(name_words))
            # A name the chat already settled on stays settled ("Maria" after picking her).
            if conversation.customer_id in ids:
                ids = [conversation.customer_id]
            found = r.customers(db, ids[:CANDIDATES])
            if len(found) == 1:
                customer = found[0]
            else:
                candidates = found
    masked = mask_name(masked_text, name_words)
    if name_words:  # "What did June buy in June?": one June is her, the other the month.
        left = date_left_typed(
            masked_text, name_words, lambda s: mask_name(s, name_words), is_date
        )
        masked = left or masked
    if (
        common_word_names
        and not typed_names
        and beside_a_pronoun(text, name_words)
        and not (asks_to_save(text) or opens_with_save(text))  # a note: about a customer
    ):
        # "what can I show her?", "ich weiß nicht…": the word, a verb here, names nobody
        customer, candidates, query, name_words, matches = None, [], "", set(), []
        masked, common_word_names = masked_text, False
    guess = classifier.classify_masked(masked)
    if common_word_names and not typed_names:
        # A name when the message asks about a person, read both ways, or opens with it surely so.
        plain = classifier.classify_masked(mask_name(text, set()))
        sure = guess.intent in CUSTOMER_INTENTS and guess.score >= SURE
        # A note command is about a customer named capitalised or first ("apunta que paz…").
        opening = fold(cut_ending(*words(note_content(text))[:1] or [""]))
        commands = asks_to_save(masked) or opens_with_save(masked)
        typed_up = capitalised(text, name_words)
        saves = commands and (typed_up or opening in name_words - AUXILIARIES)
        kept = (
            (sure and plain.intent != Intent.lists and opens_as_subject(text, name_words))
            or (saves or opens_telling(text, name_words))  # "Frank fragt, ob das SD-1…"
            or asked_of(text, name_words)  # "was hat august letztes jahr gekauft?"
            or asked_again(text, name_words)  # "and can?"
        )
        mixed = {guess.intent, plain.intent} - (CUSTOMER_INTENTS | {Intent.note})
        if (commands and not typed_up and opens_with_auxiliary(text)) or (mixed and not kept):
            customer, candidates, query, name_words = None, [], "", set()
            masked, guess = mask_name(text, name_words), plain
    elif typos_only and (guess.intent not in CUSTOMER_INTENTS | {Intent.note} or asks_carry(text)):
        # "Haben wir Harley Benton?" asks whether we carry a brand, not for Hartley-Jones.
        plain = classifier.classify_masked(text)
        if plain.intent not in CUSTOMER_INTENTS | {Intent.note} and (
            plain.score >= SURE or asks_carry(text)
        ):
            customer, candidates, query, name_words = None, [], "", set()
            masked, guess = text, plain
    intent = guess.intent
    checked = sku is None and intent not in CUSTOMER_INTENTS | {Intent.note}
    checked = checked and asks_if_customer(text)
    if checked:  # "kennen wir Herrn X?": her profile, or not found; never the one discussed
        intent = Intent.notes if names_the_notes(text) else Intent.overview
    previous = Intent(conversation.intent) if conversation.intent else None
    offered = set((conversation.candidates or "").split())
    continues = follow_up(text)
    starts = continues == "starts"
    anew = intent in CUSTOMER_INTENTS and guess.score >= TORN and not continues  # its own ask
    if previous in CUSTOMER_INTENTS and customer is not None and customer.customer_id in offered:
        # "Sergei Volkov" after "which Sergei?": the question asked before, about him.
        intent = intent if anew else previous
    unread = starts or (continues == "short" and guess.score < FOLLOW_UP_SURE)
    only_named = starts and customer is not None and names_only(folded, name_words)
    if (
        previous in CUSTOMER_INTENTS
        and ((intent in {Intent.unknown, Intent.greeting, Intent.help} and unread) or only_named)
    ) or (
        previous in CUSTOMER_INTENTS
        and intent == Intent.lists
        and (continues == "short" or names_a_person_back(text))
        and (guess.score < HALF_SURE or len(folded) == 1 or PRONOUNS & set(folded))
    ):
        # "and in 2025?", "und Gwendolyn?", "and Maria Costa?": the question before, about
        # another period or customer; "cumpleaños?" alone, "is her birthday this month?", or
        # barely read as a list, asks about the customer discussed.
        intent = previous
    if intent == Intent.note and asks_about_notes(text):
        intent = Intent.notes  # "alguien lo dejó anotado?" reads the notes, saves nothing
    elif (customer or candidates) and (asks_to_save(masked) or plans_contact(masked, now.date())):
        intent = Intent.note  # "X is left handed, write that down", "call X next week": a note
    elif intent != Intent.note and opens_with_save(masked):
        intent = Intent.note  # "apunta que Juanpa ha probado…": whoever Juanpa is
    if intent == Intent.help and sku is None and asks_for_ideas(text) and speaks_of_someone(text):
        # "can you suggest something for a customer who likes tea?": ideas for her
        how = asks_how_for_anyone(text, current_language(), how=True)
        intent = intent if how or asks_how(text) else Intent.recommend
    longer_help = intent == Intent.help and guess.score >= HELP_SURE and len(folded) >= HELP_WORDS
    if intent in (Intent.greeting, Intent.help) and guess.score < SURE and not asks_how(text):
        # Short messages ("towels") sit near greetings and help in meaning; only real ones
        # (rules, a sure model, "how do I…" or a longer message the model reads as help) count.
        intent = intent if longer_help else Intent.unknown
    categories = products.categories_named(folded)
    suggestions: list[Customer] = []
    partial = bool(matches) and all(m.coverage < 1.0 for m in matches)
    rest = name_rest(r, text, name_words, product_words, categories) if partial else set()
    if partial and (rest or split_name(text, matches)):
        # "Paula Schmidt": Paula is somebody's first name, Schmidt nobody's: not found. (After
        # a whole name, a capitalised word is the rest of the sentence: "Jonas Weber Größen?")
        suggestions = [customer] if customer else candidates
        customer, candidates = None, []
        query = " ".join(w for w in words(text) if fold(w) in name_words or w in rest)
    named = customer is not None or bool(candidates)
    pronoun = refers_back(text)
    unknown_contact = contact if contact and not (direct or named) else None
    # A name nobody has ("who is Paula Schmidt?") is not found; it never falls back to the
    # customer discussed before. Only a pronoun, or a question naming nobody, refers back.
    unknown: list[str] = []
    # Ideas for a shopper nobody named: lower-case words are hers, no name, and no one before.
    shopper = intent == Intent.recommend and not named and speaks_of_someone(text)
    free = not named and not unknown_contact
    if suggestions:
        unknown = query.split()
    elif free and intent in CUSTOMER_INTENTS | {Intent.note}:
        # A note's own words are no names ("banyo tadilatı" after a colon, "θέλει τοποθέτηση"
        # told without one): only its command part counts, or a capitalised word.
        asked = text.partition(":")[0] if intent == Intent.note else text
        told = pronoun or shopper or intent == Intent.note
        # After "and", "what about"… a capitalised word is a name, however near a word it is.
        unknown = unknown_in(r, asked, product_words, categories, pronoun=told, typos_too=starts)
        full = full_unknown_name(r, asked, typos=not pronoun)  # "Tom Harris", not "Harris"
        query = " ".join(unknown := full if set(unknown) <= set(full) else unknown)
        if sku is not None and describe_the_product(r, unknown, sku):
            unknown, query = [], ""  # "Hülle fürs X12 Pro": the case, whatever the model read
    elif free:
        # "who is Ana Pérez?" in a store without her reads like a question about a celebrity:
        # read with the capitalised unknown words as a name, it asks about a customer. (With a
        # pronoun the message points back, unless a full name or a title is typed: "Perpetua
        # Ravensworthy ist hier, was soll ich ihm zeigen?", "¿quién es la Sra. Zubizarreta?")
        typed = words(text)
        full = full_unknown_name(r, text, typos=not pronoun)
        capitalised_unknown = full or unknown_in(r, text, product_words, categories, pronoun=True)
        if not pronoun or full or after_a_title(typed, capitalised_unknown):
            unknown = capitalised_unknown
        if unknown:
            as_name = classifier.classify_masked(mask_name(text, {fold(w) for w in unknown}))
            product = guess.intent == Intent.product and guess.score >= SURE > as_name.score
            # A first and last name typed together is a name, unless the model is sure it asks
            # about a product and not sure of it so read (nouns: "Unterschied Glaskanne vs
            # Thermokanne"). German capitalises nouns: one capitalised word needs a sure reading
            # as a name, and a message the model was already sure of as it stands keeps that
            # reading ("Wie pflege ich Lederschuhe nach einem Regentag?": shoes).
            if as_name.intent in CUSTOMER_INTENTS | {Intent.note} and (
                ((typed_together(typed, unknown) or after_a_title(typed, unknown)) and not product)
                or (as_name.score >= SURE and guess.score < SURE)
            ):
                intent, query = as_name.intent, " ".join(unknown)
            else:
                unknown = []
    back = intent in CUSTOMER_INTENTS | {Intent.note} or (pronoun and intent != Intent.product)
    back = back and not shopper and not (checked and not pronoun)
    if not (named or unknown or unknown_contact) and back:
        if conversation.candidates:
            # "she" after an unanswered "which Ana?": still which one (of those in scope).
            candidates = r.customers(db, conversation.candidates.split())
        elif conversation.customer_id:
            # None for a customer out of the caller's scope: "who?", as for nobody discussed.
            customer = r.customer(db, conversation.customer_id)
    if intent == Intent.product and sku is None and (customer is not None or pronoun):
        # "how do I clean it?" about what she bought; a product only described, with nobody
        # in context, is answered from the tips that fit (bot.core.answers.product).
        sku = r.product_meant(text, customer, pronoun=pronoun, discussed=conversation.sku)
    if intent == Intent.unknown and sku is not None and not products.names_well(folded, sku):
        sku = None  # "wie wird das Wetter" is off topic, whatever product "Wetter" is a typo of
    # "bornozu kurutma makinesine atabilir mi?", "bizde döküm tava var mı?": a product the
    # catalogue sells, named or standing out in meaning, makes it a product question.
    unsure = intent == Intent.unknown and sku is None and not (named or unknown)
    if unsure and _unsure(guess, text) and (sku := r.product_described(text)) is not None:
        intent = Intent.product
    about_one, product = intent in CUSTOMER_INTENTS, sku is not None or bool(categories)
    listed = not named and asks_for_a_list(r, text, about_one=about_one, product=product)
    if listed and intent not in {Intent.lists, Intent.note}:
        intent, customer, candidates = Intent.lists, None, []
    owns = named and intent in OWNS_FROM and asks_ownership(masked)
    if owns:
        intent = Intent.history  # "hat Herr Wolf die Stirnlampe schon?": her purchases say
    elif named and intent in IDEAS_FROM and (asks_for_ideas(masked) or wants_something(masked)):
        intent = Intent.recommend  # "algo para el Sr. Güneş?", "X quiere algo para limpiar…"
    if intent == Intent.lists and named:
        intent = Intent.overview  # one customer named is no list of customers
    if intent not in CUSTOMER_INTENTS | {Intent.product, Intent.lists, Intent.note}:
        if named and not (intent == Intent.unknown and guess.score >= SURE):
            intent = Intent.overview  # "Frau X, wo ist das Fundbüro?" stays off topic
        elif sku is not None and (
            guess.score < TORN
            or mostly_named(product_words, folded, products.by_token)
            or products.names_plainly(folded, sku)
        ):
            intent = Intent.product  # "the Baratza Encore?", "Fig Soy Candle"
        else:
            sku = None  # "a customer who bought the kettle asks for a cash machine": off topic
    elif intent == Intent.product and named and sku is None and guess.score < SURE:
        intent = Intent.overview  # a customer and no product: the question is about them
    asks_nobody = not named and customer is None and not query and not unknown_contact
    if intent in CUSTOMER_INTENTS and asks_nobody and sku is not None:
        intent = Intent.product
    elif intent in (Intent.sizes, Intent.overview) and asks_nobody and r.names_a_kind(text):
        intent, sku = Intent.product, r.product_described(text)  # "Handtuch Baumwolle, Größen?"
    nobody_named = not (named or unknown or unknown_contact)
    if nobody_named and sku is None and reports_trouble(text, current_language()):
        intent = Intent.help  # "tried /notes and nothing came back": the assistant's trouble
    elif nobody_named and intent in ABOUT_ANYONE and asks_how_for_anyone(text, current_language()):
        # "how do I add a note for a customer?" (not "can you suggest something for a customer…")
        how = asks_how(text) or asks_how_for_anyone(text, current_language(), how=True)
        ideas = shopper or (asks_for_ideas(text) and speaks_of_someone(text))
        intent, sku = (Intent.help, None) if how or not ideas else (Intent.recommend, sku)
    if intent == Intent.lists and asks_for_list_feature(text, current_language()):
        intent = Intent.help  # "is there a function for lists, e.g. who hasn't been in?"
    stock = not (named or listed) and intent != Intent.note and asks_stock(text)  # not "who…"
    if stock or (intent != Intent.note and asks_errand(text, named=named)):
        # No stock is seen, no taxi booked: no product's tips ("she bought it, where's an ATM?")
        intent, sku = Intent.unknown, None
    hits = products.named_apart(product_hits, categories)
    named_skus = [s for s, n, ws in hits if n >= NAME_SHARE and not ws <= name_words][:5]
    if owns and sku is not None and sku not in named_skus:
        named_skus.insert(0, sku)  # the product described ("the white leather trainers")
    return Understood(
        intent=intent,
        customer=customer,
        candidates=candidates,
        customer_query=query,
        named_customer=named,
        sku=sku,
        categories=products.beyond_named(categories, named_skus),
        product_skus=named_skus,
        period=parse_period(masked, now=now),
        unknown_contact=unknown_contact,
        stock=stock,
        cut=cut,
        suggestions=suggestions,
        name_words=frozenset(name_words),
        product_kind=products.kind_named(text, name_words)
        if intent in (Intent.history, Intent.spend)
        and not any(score >= NAME_SHARE for _, score, _ in product_hits)
        and not categories
        else None,
    )


def _unsure(guess: IntentGuess, text: str) -> bool:
    """Return whether an off-topic reading may be a product question: the model took it so
    only just, product close behind, or not surely and it asks whether we carry something."""
    carry = guess.score < SURE and asks_carry(text)
    return carry or (guess.score < TORN and guess.runner_up == Intent.product)
