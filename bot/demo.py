"""The demo shop: a deterministic home & lifestyle department store written as import-ready CSV.

Owns the demo content (customers' names, the catalogue, associates' notes, managers' selling tips)
and the shopping habits that turn it into two years of purchases. Standard library only: the files
go through the real importers like any shop's export. A seeded `random.Random` and a fixed window
(2024-11-16 .. 2026-11-15, never today's date) make every run write the same bytes.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

SEED = 20241116
WINDOW_START = date(2024, 11, 16)
WINDOW_DAYS = 730  # 2024-11-16 .. 2026-11-15 inclusive
LAST_DAY = WINDOW_DAYS - 1

FILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": (
        "customer_id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "birthday",
        "tier",
        "language",
        "sizes",
        "preferences",
        "marketing_consent",
        "home_store",
    ),
    "products": ("sku", "name", "category", "brand", "price", "description"),
    "purchases": (
        "order_id",
        "customer_id",
        "sku",
        "quantity",
        "unit_price",
        "purchased_at",
        "store_id",
        "associate_id",
    ),
    "notes": ("customer_id", "text", "author", "created_at"),
    "tips": ("tip_id", "text", "sku", "category", "language", "author"),
}

# --- The shop -----------------------------------------------------------------------------------

STORES = ("S01", "S02", "S03")
STORE_WEIGHTS = (0.45, 0.30, 0.25)
ASSOCIATES: dict[str, tuple[str, str]] = {  # associate_id -> (name, store_id)
    "A01": ("Lucía Romero", "S01"),
    "A02": ("Tom Harris", "S01"),
    "A03": ("Aylin Korkmaz", "S02"),
    "A04": ("Jonas Richter", "S02"),
    "A05": ("Dimitra Kosta", "S03"),
    "A06": ("Sam Okoro", "S03"),
}
MANAGER = "Helen Ward"

COFFEE = "Coffee"
KITCHEN = "Kitchen"
BATH = "Bath"
FOOTWEAR = "Footwear"
APPAREL = "Apparel"
HOME = "Home & Textiles"
GARDEN = "Garden"
CATEGORY_WEIGHTS: dict[str, float] = {
    COFFEE: 3.0,
    KITCHEN: 2.5,
    HOME: 2.0,
    BATH: 1.8,
    FOOTWEAR: 1.8,
    APPAREL: 1.5,
    GARDEN: 1.0,
}


@dataclass(frozen=True)
class Product:
    """One catalogue row (products.csv)."""

    sku: str
    name: str
    category: str
    brand: str
    price: str
    description: str


PRODUCTS: tuple[Product, ...] = (
    Product(
        "COF-001",
        "AeroPress Original Coffee Maker",
        COFFEE,
        "AeroPress",
        "39.95",
        "Immersion brewer that makes one or two smooth, low-acid mugs in about two minutes.",
    ),
    Product(
        "COF-002",
        "Hario V60 Ceramic Dripper 02",
        COFFEE,
        "Hario",
        "24.90",
        "Cone dripper with spiral ribs for clean, bright pour-over coffee, one to four cups.",
    ),
    Product(
        "COF-003",
        "Hario V60 Paper Filters 02 (100 pcs)",
        COFFEE,
        "Hario",
        "6.50",
        "White paper filters sized for the V60 02 dripper.",
    ),
    Product(
        "COF-004",
        "AeroPress Micro-Filters (350 pcs)",
        COFFEE,
        "AeroPress",
        "7.95",
        "Replacement paper micro-filters for the AeroPress, roughly half a year of daily use.",
    ),
    Product(
        "COF-005",
        "Baratza Encore Conical Burr Grinder",
        COFFEE,
        "Baratza",
        "169.00",
        "Entry-level electric burr grinder with 40 settings, from espresso-fine to French press.",
    ),
    Product(
        "COF-006",
        "Chemex Classic 6-Cup",
        COFFEE,
        "Chemex",
        "54.90",
        "Hourglass glass brewer with a wooden collar, made for sharing a pot of filter coffee.",
    ),
    Product(
        "COF-007",
        "Chemex Bonded Filters FS-100 (100 pcs)",
        COFFEE,
        "Chemex",
        "12.90",
        "Thick bonded paper filters that fit only the Chemex and give a very clean cup.",
    ),
    Product(
        "COF-008",
        "Bialetti Moka Express 6-Cup",
        COFFEE,
        "Bialetti",
        "34.90",
        "The classic Italian aluminium stovetop pot for strong, espresso-style coffee.",
    ),
    Product(
        "COF-009",
        "Fellow Stagg EKG Electric Kettle",
        COFFEE,
        "Fellow",
        "179.00",
        "Gooseneck kettle with precise temperature control for pour-over brewing.",
    ),
    Product(
        "COF-010",
        "Hario V60 Drip Scale with Timer",
        COFFEE,
        "Hario",
        "44.90",
        "Kitchen scale with a built-in timer to weigh coffee and water while brewing.",
    ),
    Product(
        "COF-011",
        "Ethiopia Yirgacheffe 250g",
        COFFEE,
        "Kaffa & Co.",
        "11.90",
        "Light-roasted washed Ethiopian coffee with jasmine, bergamot and lemon notes.",
    ),
    Product(
        "COF-012",
        "Colombia Huila 250g",
        COFFEE,
        "Kaffa & Co.",
        "10.50",
        "Medium-roasted Colombian coffee with caramel, red apple and a round body.",
    ),
    Product(
        "COF-013",
        "Brazil Cerrado Espresso Roast 1kg",
        COFFEE,
        "Kaffa & Co.",
        "29.90",
        "Chocolatey, nutty espresso roast that also suits the moka pot and milk drinks.",
    ),
    Product(
        "COF-014",
        "Swiss Water Decaf Peru 250g",
        COFFEE,
        "Kaffa & Co.",
        "11.50",
        "Solvent-free decaffeinated Peruvian coffee with cocoa and soft citrus.",
    ),
    Product(
        "COF-015",
        "Kenya Nyeri AA 250g",
        COFFEE,
        "Kaffa & Co.",
        "13.90",
        "Juicy light roast from Nyeri with blackcurrant and grapefruit acidity.",
    ),
    Product(
        "COF-016",
        "Urnex Dezcal Descaler (4 x 28g)",
        COFFEE,
        "Urnex",
        "14.90",
        "Citric-acid descaler for kettles, moka pots and coffee machines.",
    ),
    Product(
        "COF-017",
        "KeepCup Brew Cork 340 ml",
        COFFEE,
        "KeepCup",
        "29.00",
        "Reusable tempered-glass cup with a cork band for coffee on the go.",
    ),
    Product(
        "KIT-001",
        "Lodge Cast Iron Skillet 26 cm",
        KITCHEN,
        "Lodge",
        "49.90",
        "Pre-seasoned cast-iron skillet for searing, frying and baking, on any hob or oven.",
    ),
    Product(
        "KIT-002",
        "Lodge Cast Iron Care Kit",
        KITCHEN,
        "Lodge",
        "19.90",
        "Seasoning spray, scrub brush and pan scraper to keep cast iron rust-free.",
    ),
    Product(
        "KIT-003",
        "Le Creuset Signature Round Casserole 24 cm",
        KITCHEN,
        "Le Creuset",
        "329.00",
        "Enamelled cast-iron casserole for stews, braises and bread, with a lifetime warranty.",
    ),
    Product(
        "KIT-004",
        "Wüsthof Classic Chef's Knife 20 cm",
        KITCHEN,
        "Wüsthof",
        "159.00",
        "Forged German chef's knife with a full tang and bolster, from Solingen.",
    ),
    Product(
        "KIT-005",
        "Global G-2 Chef's Knife 20 cm",
        KITCHEN,
        "Global",
        "129.00",
        "Light, one-piece Japanese stainless-steel chef's knife with a thin, sharp edge.",
    ),
    Product(
        "KIT-006",
        "Victorinox Paring Knife 8 cm (2-pack)",
        KITCHEN,
        "Victorinox",
        "12.90",
        "Sharp little knives for peeling and trimming, dishwasher-safe.",
    ),
    Product(
        "KIT-007",
        "Wüsthof Two-Stage Hand Sharpener",
        KITCHEN,
        "Wüsthof",
        "34.90",
        "Pull-through sharpener with coarse and fine stages for regular touch-ups.",
    ),
    Product(
        "KIT-008",
        "KitchenAid Artisan Stand Mixer 4.8 L",
        KITCHEN,
        "KitchenAid",
        "599.00",
        "Tilt-head stand mixer with whisk, beater and dough hook, for bread, cakes and pasta.",
    ),
    Product(
        "KIT-009",
        "KitchenAid Pasta Roller & Cutter Set",
        KITCHEN,
        "KitchenAid",
        "189.00",
        "Three attachments for the stand mixer that roll sheets and cut fettuccine and spaghetti.",
    ),
    Product(
        "KIT-010",
        "Epicurean Cutting Board 38 cm",
        KITCHEN,
        "Epicurean",
        "44.90",
        "Knife-friendly wood-fibre composite board that is dishwasher-safe.",
    ),
    Product(
        "KIT-011",
        "Emile Henry Pie Dish 28 cm",
        KITCHEN,
        "Emile Henry",
        "49.90",
        "Burgundy ceramic pie dish that goes from freezer to oven to table.",
    ),
    Product(
        "KIT-012",
        "de Buyer Mineral B Carbon Steel Pan 28 cm",
        KITCHEN,
        "de Buyer",
        "69.90",
        "French carbon-steel frying pan that builds a natural non-stick seasoning with use.",
    ),
    Product(
        "KIT-013",
        "John Boos Mystery Oil 473 ml",
        KITCHEN,
        "John Boos",
        "16.90",
        "Food-safe mineral oil blend to keep wooden boards and utensils from drying out.",
    ),
    Product(
        "KIT-014",
        "Microplane Classic Zester",
        KITCHEN,
        "Microplane",
        "19.90",
        "Razor-sharp rasp for citrus zest, hard cheese, garlic and nutmeg.",
    ),
    Product(
        "BAT-001",
        "Christy Supreme Hygro Bath Towel 70x140",
        BATH,
        "Christy",
        "34.90",
        "Thick, quick-drying cotton bath towel with twisted-yarn loops.",
    ),
    Product(
        "BAT-002",
        "Christy Supreme Hygro Hand Towel 50x90",
        BATH,
        "Christy",
        "16.90",
        "Matching hand towel in the same soft, absorbent Hygro cotton.",
    ),
    Product(
        "BAT-003",
        "Abyss & Habidecor Double Bath Mat 60x100",
        BATH,
        "Abyss & Habidecor",
        "89.00",
        "Heavy, reversible long-staple cotton bath mat, washable at 60 °C.",
    ),
    Product(
        "BAT-004",
        "Hansgrohe Croma Select S Hand Shower",
        BATH,
        "Hansgrohe",
        "79.00",
        "Three-spray hand shower that fits any standard hose; EcoSmart flow limiter.",
    ),
    Product(
        "BAT-005",
        "Grohe Euphoria 260 Shower System",
        BATH,
        "Grohe",
        "449.00",
        "Thermostatic shower system with 26 cm rain shower and hand shower for renovations.",
    ),
    Product(
        "BAT-006",
        "Hansgrohe Talis E Basin Mixer 110",
        BATH,
        "Hansgrohe",
        "189.00",
        "Single-lever basin tap with a soft, rounded design and water-saving aerator.",
    ),
    Product(
        "BAT-007",
        "Teak Shower Stool",
        BATH,
        "Casa Linea",
        "89.00",
        "Solid oiled-teak stool that handles daily splashes in the shower or by the bath.",
    ),
    Product(
        "BAT-008",
        "Aesop Resurrection Aromatique Hand Wash 500 ml",
        BATH,
        "Aesop",
        "39.00",
        "Gentle hand wash with mandarin rind, rosemary leaf and cedar atlas.",
    ),
    Product(
        "BAT-009",
        "Aesop Geranium Leaf Body Cleanser 500 ml",
        BATH,
        "Aesop",
        "39.00",
        "Gel body cleanser with geranium leaf, bergamot and orange rind.",
    ),
    Product(
        "BAT-010",
        "Bamboo Bath Caddy",
        BATH,
        "Casa Linea",
        "39.90",
        "Extendable bamboo tray that rests across the tub for a book, a glass and a candle.",
    ),
    Product(
        "BAT-011",
        "Linen Shower Curtain 180x200",
        BATH,
        "Casa Linea",
        "59.90",
        "Stonewashed linen curtain with a water-repellent finish, used with a liner.",
    ),
    Product(
        "BAT-012",
        "Cotton Waffle Bathrobe",
        BATH,
        "Casa Linea",
        "79.00",
        "Lightweight waffle-weave robe that dries fast, unisex sizes S to XL.",
    ),
    Product(
        "FTW-001",
        "Brooks Ghost 16 Running Shoe (Men)",
        FOOTWEAR,
        "Brooks",
        "149.95",
        "Neutral, well-cushioned everyday running shoe, men's EU 40-47.",
    ),
    Product(
        "FTW-002",
        "Brooks Ghost 16 Running Shoe (Women)",
        FOOTWEAR,
        "Brooks",
        "149.95",
        "Neutral, well-cushioned everyday running shoe, women's EU 36-43.",
    ),
    Product(
        "FTW-003",
        "ASICS Gel-Nimbus 26",
        FOOTWEAR,
        "ASICS",
        "189.90",
        "Maximum-cushion road running shoe for long runs and heavier runners.",
    ),
    Product(
        "FTW-004",
        "Hoka Clifton 9",
        FOOTWEAR,
        "Hoka",
        "154.95",
        "Light, thick-soled rocker shoe for easy miles and long days on foot.",
    ),
    Product(
        "FTW-005",
        "Balega Hidden Comfort Running Socks (2-pack)",
        FOOTWEAR,
        "Balega",
        "27.90",
        "Seamless, moisture-wicking low-cut running socks that prevent blisters.",
    ),
    Product(
        "FTW-006",
        "Red Wing Iron Ranger Boot",
        FOOTWEAR,
        "Red Wing",
        "379.00",
        "Goodyear-welted leather work boot that moulds to the foot over time.",
    ),
    Product(
        "FTW-007",
        "Blundstone #500 Chelsea Boot",
        FOOTWEAR,
        "Blundstone",
        "209.95",
        "Pull-on waterproof leather Chelsea boot with a roomy fit, sized in UK sizes.",
    ),
    Product(
        "FTW-008",
        "Dr. Martens 1460 Smooth Leather Boot",
        FOOTWEAR,
        "Dr. Martens",
        "199.00",
        "The original eight-eye boot with the air-cushioned sole and yellow stitching.",
    ),
    Product(
        "FTW-009",
        "Saphir Rénovateur Leather Balm 75 ml",
        FOOTWEAR,
        "Saphir",
        "19.90",
        "Mink-oil cream that feeds, softens and protects smooth leather shoes and boots.",
    ),
    Product(
        "FTW-010",
        "Superfeet Green Insoles",
        FOOTWEAR,
        "Superfeet",
        "49.95",
        "Firm, high-arch support insoles that fit running shoes and boots.",
    ),
    Product(
        "FTW-011",
        "Birkenstock Arizona Soft Footbed",
        FOOTWEAR,
        "Birkenstock",
        "110.00",
        "Two-strap suede sandal with the cushioned soft cork footbed.",
    ),
    Product(
        "FTW-012",
        "Cedar Shoe Trees",
        FOOTWEAR,
        "Woodlore",
        "29.90",
        "Red-cedar shoe trees that keep leather in shape and absorb moisture.",
    ),
    Product(
        "APP-001",
        "Icebreaker Tech Lite 150 Merino T-Shirt",
        APPAREL,
        "Icebreaker",
        "79.95",
        "Lightweight merino tee that stays fresh for days, for travel and running.",
    ),
    Product(
        "APP-002",
        "Patagonia Better Sweater Fleece Jacket",
        APPAREL,
        "Patagonia",
        "139.00",
        "Sweater-knit fleece jacket made from recycled polyester, fair-trade sewn.",
    ),
    Product(
        "APP-003",
        "Levi's 501 Original Jeans",
        APPAREL,
        "Levi's",
        "109.95",
        "Straight-leg button-fly jeans in rigid cotton denim.",
    ),
    Product(
        "APP-004",
        "Armor-Lux Breton Striped Shirt",
        APPAREL,
        "Armor-Lux",
        "75.00",
        "Heavy cotton Breton top made in Brittany, navy and ecru stripes.",
    ),
    Product(
        "APP-005",
        "Falke Tiago Cotton Socks (3-pack)",
        APPAREL,
        "Falke",
        "29.90",
        "Fine cotton everyday socks that keep their shape wash after wash.",
    ),
    Product(
        "APP-006",
        "Barbour Beaufort Waxed Jacket",
        APPAREL,
        "Barbour",
        "399.00",
        "Waxed-cotton country jacket with a game pocket, re-waxable for decades of wear.",
    ),
    Product(
        "APP-007",
        "Johnstons of Elgin Cashmere Beanie",
        APPAREL,
        "Johnstons of Elgin",
        "119.00",
        "Ribbed pure cashmere beanie knitted in Scotland.",
    ),
    Product(
        "APP-008",
        "Rains Long Jacket",
        APPAREL,
        "Rains",
        "119.00",
        "Waterproof matte rain jacket with a hood, unisex cut.",
    ),
    Product(
        "HOM-001",
        "Linen Duvet Cover 200x200",
        HOME,
        "Casa Linea",
        "149.00",
        "Stonewashed European linen duvet cover that gets softer with every wash.",
    ),
    Product(
        "HOM-002",
        "Linen Pillowcases 50x75 (pair)",
        HOME,
        "Casa Linea",
        "49.00",
        "Envelope-closure linen pillowcases to match the linen duvet cover.",
    ),
    Product(
        "HOM-003",
        "Klippan Merino Wool Throw 130x180",
        HOME,
        "Klippan Yllefabrik",
        "139.00",
        "Soft, warm Swedish-woven lambswool throw for the sofa or the end of the bed.",
    ),
    Product(
        "HOM-004",
        "Down Pillow Medium 50x75",
        HOME,
        "Casa Linea",
        "79.00",
        "Medium-firm goose-down pillow for back and side sleepers.",
    ),
    Product(
        "HOM-005",
        "Diptyque Baies Scented Candle 190 g",
        HOME,
        "Diptyque",
        "72.00",
        "Blackcurrant leaf and Bulgarian rose candle with about 60 hours of burn time.",
    ),
    Product(
        "HOM-006",
        "Ferm Living Cushion Cover 50x50",
        HOME,
        "Ferm Living",
        "45.00",
        "Textured organic cotton cushion cover in muted, earthy colours.",
    ),
    Product(
        "HOM-007",
        "Feather Cushion Insert 50x50",
        HOME,
        "Casa Linea",
        "19.90",
        "Plump duck-feather insert that fills a 50x50 cover.",
    ),
    Product(
        "HOM-008",
        "Iittala Teema Mug 0.3 L",
        HOME,
        "Iittala",
        "16.90",
        "Simple Finnish stoneware mug for everyday coffee and tea.",
    ),
    Product(
        "HOM-009",
        "Iittala Teema Plate 26 cm",
        HOME,
        "Iittala",
        "24.90",
        "Dinner plate from the Teema range, oven, dishwasher and microwave safe.",
    ),
    Product(
        "HOM-010",
        "The Laundress Delicate Wash 475 ml",
        HOME,
        "The Laundress",
        "24.00",
        "Gentle detergent for linen, silk and fine cotton, by hand or machine.",
    ),
    Product(
        "GAR-001",
        "Felco No. 2 Pruning Shears",
        GARDEN,
        "Felco",
        "64.90",
        "Swiss bypass secateurs with replaceable parts, the gardener's standard.",
    ),
    Product(
        "GAR-002",
        "Felco 903 Sharpening Stone",
        GARDEN,
        "Felco",
        "14.90",
        "Pocket sharpening stone for secateurs and garden knives.",
    ),
    Product(
        "GAR-003",
        "Haws Traditional Watering Can 8.8 L",
        GARDEN,
        "Haws",
        "89.00",
        "Galvanised steel watering can with a long spout and a brass rose.",
    ),
    Product(
        "GAR-004",
        "Gardena Classic Hose 20 m",
        GARDEN,
        "Gardena",
        "39.99",
        "Kink-resistant garden hose with click connectors.",
    ),
    Product(
        "GAR-005",
        "Impruneta Terracotta Pot 30 cm",
        GARDEN,
        "Terra Toscana",
        "34.90",
        "Frost-resistant hand-made Tuscan terracotta pot for herbs and citrus.",
    ),
    Product(
        "GAR-006",
        "Compo Sana Potting Soil 40 L",
        GARDEN,
        "Compo",
        "9.99",
        "Peat-reduced potting compost for balcony plants and containers.",
    ),
    Product(
        "GAR-007",
        "Gold Leaf Dry Touch Gardening Gloves",
        GARDEN,
        "Gold Leaf",
        "29.95",
        "Soft, thorn-resistant leather gloves for roses and pruning.",
    ),
)

# --- Shopping habits ----------------------------------------------------------------------------

BEANS = ("COF-011", "COF-012", "COF-013", "COF-014", "COF-015")
MAIN_BEAN = "*bean"  # a complement that stands for the customer's usual coffee

# Things people come back for, and the range (days) of a personal re-buy interval for one unit.
REBUY_DAYS: dict[str, tuple[int, int]] = {
    "COF-003": (60, 120),
    "COF-004": (150, 270),
    "COF-007": (60, 120),
    "COF-011": (21, 42),
    "COF-012": (21, 42),
    "COF-013": (35, 70),
    "COF-014": (28, 56),
    "COF-015": (21, 42),
    "COF-016": (120, 240),
    "KIT-002": (240, 400),
    "KIT-013": (180, 300),
    "BAT-008": (60, 110),
    "BAT-009": (60, 110),
    "FTW-001": (240, 400),
    "FTW-002": (240, 400),
    "FTW-005": (120, 240),
    "FTW-009": (150, 300),
    "APP-005": (150, 300),
    "HOM-005": (50, 120),
    "HOM-010": (90, 160),
    "GAR-006": (40, 120),
}

# What sells with what: bought in the same visit, now and then a few days later.
COMPLEMENTS: dict[str, tuple[str, ...]] = {
    "COF-001": ("COF-004", MAIN_BEAN),
    "COF-002": ("COF-003", MAIN_BEAN, "COF-010"),
    "COF-005": (MAIN_BEAN,),
    "COF-006": ("COF-007", MAIN_BEAN),
    "COF-008": ("COF-013",),
    "COF-009": ("COF-002", "COF-016"),
    "KIT-001": ("KIT-002",),
    "KIT-004": ("KIT-007", "KIT-010"),
    "KIT-005": ("KIT-007", "KIT-010"),
    "KIT-008": ("KIT-009",),
    "KIT-010": ("KIT-013",),
    "KIT-012": ("KIT-002",),
    "BAT-001": ("BAT-002", "BAT-003"),
    "BAT-005": ("BAT-006", "BAT-011"),
    "BAT-012": ("BAT-001",),
    "FTW-001": ("FTW-005", "FTW-010"),
    "FTW-002": ("FTW-005", "FTW-010"),
    "FTW-003": ("FTW-005", "FTW-010"),
    "FTW-004": ("FTW-005",),
    "FTW-006": ("FTW-009", "FTW-012"),
    "FTW-007": ("FTW-009",),
    "FTW-008": ("FTW-009", "FTW-012"),
    "APP-006": ("APP-007",),
    "HOM-001": ("HOM-002", "HOM-010"),
    "HOM-006": ("HOM-007",),
    "HOM-008": ("HOM-009",),
    "GAR-001": ("GAR-002", "GAR-007"),
    "GAR-005": ("GAR-006",),
}
GENDERED_SKUS = {"FTW-001": "m", "FTW-002": "f"}
QUANTITIES: dict[str, tuple[int, ...]] = {  # drawn uniformly; repeats act as weights
    "BAT-001": (2, 2, 2, 4, 1),
    "BAT-002": (2, 2, 1),
    "HOM-002": (1, 1, 2),
    "HOM-006": (1, 2, 2, 3),
    "HOM-007": (1, 2, 2, 3),
    "HOM-008": (2, 4, 4, 6, 1),
    "HOM-009": (4, 6, 6, 2),
    "GAR-005": (1, 2, 3),
    "GAR-006": (1, 2, 2),
    "COF-011": (1, 1, 1, 1, 1, 1, 1, 2),
    "COF-012": (1, 1, 1, 1, 1, 1, 1, 2),
    "COF-014": (1, 1, 1, 1, 1, 2),
    "COF-015": (1, 1, 1, 1, 1, 1, 1, 2),
    "APP-005": (1, 1, 2),
    "FTW-005": (1, 1, 2),
}
SEASONS: dict[str, range] = {GARDEN: range(3, 10)}  # months the category sells in

TIERS = ("bronze", "silver", "gold", "vip")
TIER_WEIGHTS = (0.45, 0.30, 0.17, 0.08)
ENTRY_PURCHASES: dict[str, tuple[int, int]] = {
    "bronze": (3, 6),
    "silver": (5, 10),
    "gold": (9, 15),
    "vip": (15, 24),
}
LOYALTY: dict[str, float] = {"bronze": 0.93, "silver": 0.96, "gold": 0.975, "vip": 0.99}
NOTE_CHANCE: dict[str, float] = {"bronze": 0.3, "silver": 0.45, "gold": 0.6, "vip": 0.85}
RETURN_RATES: dict[str, float] = {FOOTWEAR: 0.12, APPAREL: 0.12}
RETURN_RATE_DURABLE = 0.06
RETURN_RATE_REBUY = 0.005
SALE_PERIODS = (((11, 24), (12, 1)), ((1, 2), (1, 20)), ((7, 1), (7, 20)))
SALE_DISCOUNTS = (15, 20, 25)
OPENING_HOURS = tuple(range(9, 19))  # UTC hour a till receipt starts in
HOUR_WEIGHTS = (2, 4, 5, 4, 4, 5, 6, 6, 5, 3)

# --- Customers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamePool:
    """First names and surnames of one origin, and the language those customers speak."""

    language: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]  # "Masculine/Feminine" where the surname follows gender
    count: int


NAME_POOLS: tuple[NamePool, ...] = (
    NamePool(
        "en",
        ("Oliver", "James", "Harry", "Liam", "Callum", "Owen", "Ciarán", "Rhys"),
        ("Emma", "Charlotte", "Amelia", "Siobhan", "Niamh", "Chloë", "Hannah", "Grace"),
        ("Smith", "Brown", "O'Connor", "Taylor", "Walsh", "Murphy", "Hughes", "Evans", "Bennett"),
        17,
    ),
    NamePool(
        "en",
        ("Arjun", "Rahul", "Vikram", "Sanjay"),
        ("Ananya", "Kavya", "Deepa", "Meera"),
        ("Mehta", "Patel", "Iyer", "Reddy", "Nair", "Kapoor"),
        6,
    ),
    NamePool(
        "en",
        ("Chinedu", "Kwame", "Tunde", "Emeka"),
        ("Chiamaka", "Ngozi", "Adaeze", "Funmilayo"),
        ("Okafor", "Mensah", "Balogun", "Eze", "Okonkwo", "Adebayo"),
        6,
    ),
    NamePool(
        "es",
        ("Javier", "Alejandro", "Andrés", "Sergio", "Pablo", "Íñigo", "Álvaro"),
        ("Lucía", "Carmen", "Sofía", "Ana", "Inés", "Paula", "Begoña", "Ángela"),
        (
            "García",
            "Fernández",
            "Martínez",
            "Sánchez",
            "Pérez",
            "Gómez",
            "Ruiz",
            "Núñez",
            "Muñoz",
            "Díaz",
            "Ortega",
            "Castillo",
        ),
        18,
    ),
    NamePool(
        "tr",
        ("Emre", "Mehmet", "Burak", "Oğuz", "Can", "Serkan", "Barış", "İlker"),
        ("Ayşe", "Elif", "Zeynep", "Gülşen", "Derya", "Ebru", "Şule", "İpek"),
        ("Kaya", "Demir", "Şahin", "Çelik", "Aydın", "Öztürk", "Arslan", "Doğan", "Koç"),
        14,
    ),
    NamePool(
        "el",
        ("Giorgos", "Dimitris", "Yannis", "Kostas", "Christos", "Panagiotis", "Vasilis"),
        ("Eleni", "Katerina", "Sofia", "Despina", "Ioanna", "Georgia", "Anna"),
        (
            "Nikolaidis/Nikolaidou",
            "Oikonomou",
            "Karagiannis/Karagianni",
            "Vlachos/Vlachou",
            "Alexiou",
            "Dimitriou",
            "Makris/Makri",
            "Antoniou",
        ),
        14,
    ),
    NamePool(
        "de",
        ("Lukas", "Matthias", "Florian", "Jörg", "Stefan", "Tobias", "Björn"),
        ("Anja", "Katrin", "Sabine", "Lena", "Jana", "Bärbel", "Hanna"),
        (
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Hoffmann",
            "Schäfer",
            "Köhler",
            "Groß",
            "Krüger",
            "Wagner",
        ),
        16,
    ),
    NamePool(
        "fr",
        ("François", "Étienne", "Julien", "Mathieu", "Loïc", "Thibault"),
        ("Amélie", "Chloé", "Élodie", "Camille", "Hélène", "Léa", "Céline"),
        ("Dubois", "Moreau", "Girard", "Leroy", "Rousseau", "Fournier", "Bonnet", "Lemaître"),
        12,
    ),
    NamePool(
        "it",
        ("Luca", "Giuseppe", "Matteo", "Niccolò", "Davide", "Alessandro"),
        ("Giulia", "Francesca", "Chiara", "Alessia", "Federica", "Beatrice"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Ricci", "De Luca"),
        12,
    ),
    NamePool(
        "pt",
        ("João", "Tiago", "Gonçalo", "Rui", "Duarte"),
        ("Inês", "Beatriz", "Leonor", "Conceição", "Joana"),
        ("Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Gonçalves", "Magalhães", "Araújo"),
        10,
    ),
    NamePool(
        "pl",
        ("Paweł", "Wojciech", "Michał", "Krzysztof", "Tomasz"),
        ("Agnieszka", "Małgorzata", "Katarzyna", "Zofia", "Ewa"),
        (
            "Kowalski/Kowalska",
            "Nowak",
            "Wójcik",
            "Lewandowski/Lewandowska",
            "Zieliński/Zielińska",
            "Dąbrowski/Dąbrowska",
            "Kamiński/Kamińska",
        ),
        9,
    ),
    NamePool(
        "da",
        ("Rasmus", "Mikkel", "Anders", "Jens"),
        ("Signe", "Mette", "Freja", "Ida"),
        ("Jensen", "Nielsen", "Hansen", "Møller", "Sørensen", "Østergaard"),
        6,
    ),
    NamePool(
        "ru",
        ("Sergei", "Alexei", "Mikhail", "Andrei"),
        ("Natalia", "Olga", "Irina", "Svetlana"),
        ("Petrov/Petrova", "Smirnov/Smirnova", "Volkov/Volkova", "Kuznetsov/Kuznetsova"),
        6,
    ),
    NamePool(
        "ja",
        ("Haruto", "Kenji", "Takeshi", "Daiki"),
        ("Yuki", "Aiko", "Sakura", "Yumi"),
        ("Sato", "Suzuki", "Takahashi", "Watanabe", "Ito", "Nakamura"),
        6,
    ),
    NamePool(
        "zh",
        ("Hao", "Jun", "Ming", "Lei"),
        ("Xiaoling", "Jing", "Mei", "Yan"),
        ("Wang", "Chen", "Liu", "Li", "Huang", "Zhou"),
        6,
    ),
)


@dataclass(frozen=True)
class KnownCustomer:
    """A customer the examples and the docs talk about, pinned instead of drawn."""

    first_name: str
    last_name: str
    gender: str
    language: str
    tier: str
    favourites: tuple[str, ...]
    preferences: str
    sizes: str = ""
    notes: tuple[str, ...] = ()


KNOWN_CUSTOMERS: tuple[KnownCustomer, ...] = (
    KnownCustomer(
        "Maria",
        "López",
        "f",
        "es",
        "gold",
        (COFFEE, BATH),
        "likes light roasts; V60 every morning",
        "shoe EU 38; top S",
        ("Loves the Yirgacheffe; set one bag aside when a new Ethiopian lot arrives.",),
    ),
    KnownCustomer(
        "Maria",
        "Costa",
        "f",
        "pt",
        "silver",
        (HOME, KITCHEN),
        "linen bedding; buys gifts for family",
        "top M",
    ),
    KnownCustomer(
        "María",
        "García",
        "f",
        "es",
        "bronze",
        (APPAREL, FOOTWEAR),
        "natural fibres only",
        "shoe EU 37; top S",
    ),
    KnownCustomer(
        "Çağla",
        "Yılmaz",
        "f",
        "tr",
        "vip",
        (HOME, BATH, COFFEE),
        "renovating the bathroom; warm neutrals and linen",
        "shoe EU 39; top M",
        (
            "Renovating the bathroom, wants warm tones: sand tiles and brushed brass taps.",
            "Birthday gift for her husband in March; he runs, show the Brooks and the socks.",
        ),
    ),
    KnownCustomer(
        "Hiroshi",
        "Tanaka",
        "m",
        "ja",
        "silver",
        (KITCHEN, COFFEE),
        "keen home cook; prefers Japanese knives",
        "shoe EU 42; top M",
        ("Cooks Japanese food most evenings; liked the weight of the Global in his hand.",),
    ),
    KnownCustomer(
        "Nikos",
        "Papadopoulos",
        "m",
        "el",
        "gold",
        (FOOTWEAR, APPAREL),
        "marathon runner",
        "shoe EU 44.5; top L",
        ("Training for the Athens marathon in November; replaces shoes about every 700 km.",),
    ),
    KnownCustomer(
        "Nikos",
        "Georgiou",
        "m",
        "el",
        "bronze",
        (GARDEN, KITCHEN),
        "balcony herb garden",
    ),
    KnownCustomer(
        "Jürgen",
        "Weiß",
        "m",
        "de",
        "gold",
        (COFFEE, KITCHEN),
        "espresso at home, moka pot",
        "shoe EU 45; top XL",
    ),
    KnownCustomer("Zoë", "Clarke", "f", "en", "silver", (HOME,), "scented candles, woody notes"),
    KnownCustomer(
        "François",
        "Lefèvre",
        "m",
        "fr",
        "silver",
        (KITCHEN, APPAREL),
        "bakes bread on weekends",
        "shoe EU 43; top L",
    ),
    KnownCustomer(
        "Łukasz",
        "Wiśniewski",
        "m",
        "pl",
        "bronze",
        (FOOTWEAR,),
        "walks the dog twice a day, needs sturdy boots",
        "shoe EU 44; top L",
    ),
    KnownCustomer(
        "Søren", "Kjær", "m", "da", "silver", (HOME, COFFEE), "Scandinavian interiors", "top L"
    ),
    KnownCustomer("Wei", "Zhang", "m", "zh", "gold", (COFFEE,), "fruity African coffees"),
    KnownCustomer(
        "Priya",
        "Sharma",
        "f",
        "en",
        "gold",
        (BATH, HOME),
        "sensitive skin, unscented products",
        "shoe EU 38; top S",
    ),
    KnownCustomer(
        "Olumide",
        "Adeyemi",
        "m",
        "en",
        "vip",
        (APPAREL, FOOTWEAR, COFFEE),
        "classic British outdoor style",
        "shoe EU 46; top XL",
    ),
    KnownCustomer(
        "Dmitri", "Ivanov", "m", "ru", "bronze", (KITCHEN,), "collects cast iron", "top L"
    ),
)
RESERVED_FIRST_NAMES = ("Maria", "María", "Çağla", "Hiroshi", "Nikos")

PREFERENCES: dict[str, tuple[str, ...]] = {
    COFFEE: (
        "likes light roasts",
        "espresso at home, moka pot",
        "prefers decaf after 3pm",
        "V60 every morning",
        "buys beans as gifts",
        "fruity African coffees",
    ),
    KITCHEN: (
        "keen home cook",
        "bakes bread on weekends",
        "renovating the kitchen",
        "collects cast iron",
        "prefers Japanese knives",
    ),
    BATH: (
        "renovating the bathroom",
        "warm tones, brushed brass",
        "sensitive skin, unscented products",
        "likes thick cotton towels",
    ),
    FOOTWEAR: (
        "marathon runner",
        "wide feet",
        "walks the dog twice a day, needs sturdy boots",
        "trail running at weekends",
    ),
    APPAREL: (
        "natural fibres only",
        "classic British outdoor style",
        "minimalist wardrobe, navy and grey",
    ),
    HOME: (
        "linen bedding",
        "Scandinavian interiors",
        "scented candles, woody notes",
        "buys gifts for family",
    ),
    GARDEN: ("balcony herb garden", "grows roses", "allotment in summer"),
}
PREFERRED_BEANS: dict[str, tuple[str, ...]] = {
    "likes light roasts": ("COF-011", "COF-015"),
    "fruity African coffees": ("COF-011", "COF-015"),
    "V60 every morning": ("COF-011", "COF-012", "COF-015"),
    "espresso at home, moka pot": ("COF-013",),
    "prefers decaf after 3pm": ("COF-014",),
}
PHONE_FORMATS: dict[str, str] = {
    "en": "+44 7### ######",
    "es": "+34 6## ### ###",
    "tr": "+90 5## ### ## ##",
    "el": "+30 69# ### ####",
    "de": "+49 15# ########",
    "fr": "+33 6 ## ## ## ##",
    "it": "+39 3## ### ####",
    "pt": "+351 9## ### ###",
    "pl": "+48 5## ### ###",
    "da": "+45 ## ## ## ##",
    "ru": "+7 9## ###-##-##",
    "ja": "+81 90-####-####",
    "zh": "+86 13# #### ####",
}
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
ASCII_FOLD = str.maketrans(
    {"ß": "ss", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "ı": "i"}
)
TOP_SIZES: dict[str, tuple[str, ...]] = {
    "f": ("XS", "S", "S", "M", "M", "L"),
    "m": ("S", "M", "M", "L", "L", "XL"),
}
SHOE_SIZES: dict[str, tuple[int, int]] = {"f": (36, 41), "m": (40, 46)}

# --- Notes and tips -----------------------------------------------------------------------------

NOTE_TEMPLATES: dict[str, tuple[str, ...]] = {
    COFFEE: (
        "Prefers decaf after 3pm; offer the Swiss Water decaf first.",
        "Brews a V60 every morning; likes fruity light roasts, not a fan of dark ones.",
        "Asked us to set aside the next Kenya lot when it arrives.",
        "Still grinds with a blade grinder; showed {him} the Baratza Encore, thinking about it.",
        "Buys beans for the office too; two bags at a time around the end of the month.",
        "Moka pot at home, milk in everything; the Brazil espresso roast is {his} go-to.",
    ),
    KITCHEN: (
        "Just moved in and building a kitchen from scratch; started with cast iron.",
        "Left-handed: prefers knives with a symmetric edge.",
        "Bakes sourdough every weekend; interested in the stand mixer when it's on offer.",
        "Kitchen renovation planned for the autumn; follow up on cookware in September.",
        "Asked about our knife-sharpening service; bring {his} knives in on a Tuesday.",
    ),
    BATH: (
        "Renovating the bathroom, wants warm tones; plumber booked for next month.",
        "Sensitive skin: only unscented products, no fabric softener on towels.",
        "Bathroom finished in June; follow up about towels to match the new green tiles.",
        "Wants a rain shower but the water pressure is low; check the Croma first.",
    ),
    FOOTWEAR: (
        "Shoe size runs half a size up in Brooks: take EU {shoe_up} in the Ghost.",
        "Wide feet: Blundstone fits well, Red Wing felt too narrow.",
        "Runs about 40 km a week; replaces running shoes roughly twice a year.",
        "Had blisters with the last pair; always pair new runners with the Balega socks.",
    ),
    APPAREL: (
        "Prefers natural fibres, no polyester.",
        "Tall: sleeves are often too short, check the long fits first.",
        "Bring {his} Barbour in every October for re-waxing.",
    ),
    HOME: (
        "Birthday gift for {his} partner in March; likes wool throws.",
        "Redecorating the living room in sage green and terracotta.",
        "Allergic to feathers: suggest synthetic cushion inserts and pillows.",
        "Buys the same candle every couple of months; let {him} know about new scents.",
    ),
    GARDEN: (
        "Small balcony with herbs; asks about pots and soil every spring.",
        "Keen rose grower; {his} secateurs are due for a service.",
    ),
}
GENERAL_NOTES = (
    "Prefers to be contacted by text message, not email.",
    "Usually shops on Saturday mornings with {his} daughter.",
    "Don't call before 10am: works night shifts.",
    "Asked to hear when the winter sale starts.",
    "Pays attention to where things are made; mention European brands.",
    "Likes gift wrapping for everything, even for {him}self.",
)
PRONOUNS: dict[str, dict[str, str]] = {
    "f": {"he": "she", "his": "her", "him": "her"},
    "m": {"he": "he", "his": "his", "him": "him"},
}


@dataclass(frozen=True)
class Tip:
    """A manager's selling tip, tied to a product or to a whole category."""

    tip_id: str
    language: str
    author: str
    text: str
    sku: str = ""
    category: str = ""


TIPS: tuple[Tip, ...] = (
    Tip(
        "TIP-001",
        "en",
        MANAGER,
        "When selling the AeroPress, ask how many cups they brew at once: it makes one or two "
        "mugs, so a household of coffee drinkers may be happier with a Chemex. Always put a pack "
        "of micro-filters in the bag; 350 filters last most people about half a year.",
        sku="COF-001",
    ),
    Tip(
        "TIP-002",
        "en",
        MANAGER,
        "The V60 rewards a good grinder. If the customer uses a blade grinder or buys pre-ground, "
        "show the Baratza Encore before they leave: uneven grounds are the usual reason people "
        "say the V60 tastes sour.",
        sku="COF-002",
    ),
    Tip(
        "TIP-003",
        "en",
        MANAGER,
        "Check the size: 02 filters don't fit the 01 dripper. Suggest rinsing the paper with hot "
        "water before brewing to get rid of the papery taste; customers notice the difference.",
        sku="COF-003",
    ),
    Tip(
        "TIP-004",
        "en",
        MANAGER,
        "Objection 'that's a lot for a grinder': compare it with a year of beans. A consistent "
        "grind is the biggest single upgrade for filter coffee, and Baratza sells spare burrs, "
        "so the Encore lasts for years.",
        sku="COF-005",
    ),
    Tip(
        "TIP-005",
        "en",
        MANAGER,
        "Describe the Yirgacheffe as floral and tea-like, with bergamot and lemon. It shines in a "
        "V60 or Chemex; for moka pot or espresso drinkers, steer them to the Brazil Cerrado.",
        sku="COF-011",
    ),
    Tip(
        "TIP-006",
        "en",
        MANAGER,
        "Many customers don't know decaf can taste good. The Swiss Water process uses no "
        "solvents: say so, and offer a bag to anyone who stops drinking coffee in the afternoon.",
        sku="COF-014",
    ),
    Tip(
        "TIP-007",
        "en",
        "Tom Harris",
        "Moka pot owners often scorch their coffee. Tell them to fill the base with hot water, "
        "keep the flame low and take the pot off as soon as it starts to gurgle. Never in the "
        "dishwasher: it turns the aluminium dark.",
        sku="COF-008",
    ),
    Tip(
        "TIP-008",
        "en",
        MANAGER,
        "The Stagg EKG holds temperature to the degree. Light roasts like 94-96 °C, darker "
        "roasts 88-90 °C; set it on the display kettle and the feature sells itself.",
        sku="COF-009",
    ),
    Tip(
        "TIP-009",
        "en",
        "Tom Harris",
        "Anyone buying a kettle or moka pot in a hard-water area should hear about descaling "
        "every two to three months; the descaler is an easy add-on at the till.",
        sku="COF-016",
    ),
    Tip(
        "TIP-010",
        "en",
        MANAGER,
        "Beans are bought by habit. Note the origin and roast the customer picks; when they come "
        "back three to five weeks later, have the same bag ready or suggest one similar new lot. "
        "Don't make them choose from scratch.",
        category=COFFEE,
    ),
    Tip(
        "TIP-011",
        "en",
        MANAGER,
        "The Chemex needs its own thick bonded filters; ordinary cone filters tear and give a "
        "muddy cup. Sell the Chemex with a box of FS-100 filters every time.",
        sku="COF-006",
    ),
    Tip(
        "TIP-012",
        "en",
        MANAGER,
        "Cast iron arrives pre-seasoned but gets better with use. Wash with hot water and a "
        "brush, dry it on the hob and wipe on a thin film of oil. Offer the care kit: it's the "
        "difference between a happy customer and a rusty pan coming back.",
        sku="KIT-001",
    ),
    Tip(
        "TIP-013",
        "en",
        MANAGER,
        "Price objection on the Le Creuset: it has a lifetime warranty and goes from hob to oven "
        "to table. Ask what they cook on Sundays (stews, bread, braises) and talk about that, "
        "not about the enamel.",
        sku="KIT-003",
    ),
    Tip(
        "TIP-014",
        "en",
        "Jonas Richter",
        "Let the customer hold both the Wüsthof and the Global. The German knife is heavier with "
        "a bolster; the Global is lighter and thinner. Let the hand decide, then add the "
        "sharpener and a proper board; never glass or stone.",
        sku="KIT-004",
    ),
    Tip(
        "TIP-015",
        "en",
        "Jonas Richter",
        "A pull-through sharpener is for touch-ups every few weeks, not for a chipped edge. For "
        "damaged blades, book our sharpening service instead of selling a second sharpener.",
        sku="KIT-007",
    ),
    Tip(
        "TIP-016",
        "en",
        MANAGER,
        "Ask what they bake. Bread and pizza people need the dough hook and the 4.8 L bowl; pasta "
        "lovers get the most out of the pasta roller set, so show it fitted on the display mixer.",
        sku="KIT-008",
    ),
    Tip(
        "TIP-017",
        "en",
        "Jonas Richter",
        "Carbon steel darkens with use: that's the seasoning, not dirt. Warn customers so they "
        "don't scrub it off, and point them to the care kit.",
        sku="KIT-012",
    ),
    Tip(
        "TIP-018",
        "en",
        MANAGER,
        "Kitchen renovations buy in waves. Ask when the new kitchen will be ready, write the date "
        "in the customer's notes, and follow up with cookware and knives a few weeks before.",
        category=KITCHEN,
    ),
    Tip(
        "TIP-019",
        "en",
        MANAGER,
        "Towels sell in twos and fours. Ask about the bathroom colours and suggest matching hand "
        "towels and a mat. Tell them to wash before first use and skip fabric softener, or the "
        "towels stop absorbing.",
        sku="BAT-001",
    ),
    Tip(
        "TIP-020",
        "en",
        "Sam Okoro",
        "Renovation customers: ask about water pressure and whether the plumber is booked. The "
        "Euphoria system needs the right wall connection, so go through the installation sheet "
        "with them before they pay.",
        sku="BAT-005",
    ),
    Tip(
        "TIP-021",
        "en",
        "Sam Okoro",
        "The Croma Select hand shower is the quick win for customers who are not renovating: it "
        "fits a standard hose in two minutes and the EcoSmart limiter saves water.",
        sku="BAT-004",
    ),
    Tip(
        "TIP-022",
        "en",
        MANAGER,
        "Abyss mats are heavy, dry fast and can go in the machine at 60 °C. They are the natural "
        "add-on for anyone buying two or more bath towels.",
        sku="BAT-003",
    ),
    Tip(
        "TIP-023",
        "en",
        MANAGER,
        "When someone mentions a bathroom renovation, ask for the tile and tap colours and note "
        "them. Warm schemes (sand, terracotta, brushed brass) and cool ones (grey, chrome) call "
        "for different towels.",
        category=BATH,
    ),
    Tip(
        "TIP-024",
        "en",
        "Sam Okoro",
        "The Ghost runs slightly small for many people: let them try half a size up, wearing "
        "the socks they actually run in. Ask how many kilometres a week they run.",
        sku="FTW-001",
    ),
    Tip(
        "TIP-025",
        "en",
        MANAGER,
        "Every running-shoe sale should include socks: blisters are the top complaint in the "
        "first weeks. Balega socks last about six months of regular running, a good reason for "
        "the customer to come back.",
        sku="FTW-005",
    ),
    Tip(
        "TIP-026",
        "en",
        MANAGER,
        "Red Wings start stiff. Tell the customer to wear them at home for a week and expect the "
        "leather to mould to the foot; sell the leather balm and cedar shoe trees with them.",
        sku="FTW-006",
    ),
    Tip(
        "TIP-027",
        "en",
        "Tom Harris",
        "Blundstones suit wider feet and people who want a boot they can slip on. The box shows "
        "UK sizes: convert to EU together with the customer to avoid a return.",
        sku="FTW-007",
    ),
    Tip(
        "TIP-028",
        "en",
        MANAGER,
        "Most footwear returns are about size. Measure both feet, ask about wide feet and "
        "insoles, and write the size that fits in the customer's notes so next time takes two "
        "minutes.",
        category=FOOTWEAR,
    ),
    Tip(
        "TIP-029",
        "en",
        MANAGER,
        "A Barbour needs re-waxing once a year; mention our re-waxing service every October. "
        "Customers who hear about it understand they're buying a jacket for life.",
        sku="APP-006",
    ),
    Tip(
        "TIP-030",
        "en",
        "Tom Harris",
        "Objection 'wool is itchy': let them feel the 150 g merino on the inside of the wrist. "
        "It doesn't hold odours, which travellers and runners love.",
        sku="APP-001",
    ),
    Tip(
        "TIP-031",
        "en",
        MANAGER,
        "Linen gets softer with every wash; say so, because it feels crisp in the shop. Suggest "
        "the delicate wash and a second pair of pillowcases so they can rotate.",
        sku="HOM-001",
    ),
    Tip(
        "TIP-032",
        "en",
        MANAGER,
        "Trim the wick to 5 mm and let the first burn reach the edge of the glass, or the candle "
        "tunnels. Customers who know this come back for the same scent.",
        sku="HOM-005",
    ),
    Tip(
        "TIP-033",
        "en",
        "Sam Okoro",
        "Felco secateurs are repairable: every part can be replaced. Sell the sharpening stone "
        "with them and remind customers to clean the blades after cutting diseased wood.",
        sku="GAR-001",
    ),
    Tip(
        "TIP-034",
        "en",
        MANAGER,
        "In March and April ask garden customers about their balcony and pots: soil and "
        "terracotta go together, and container plants need fresh soil every spring.",
        sku="GAR-006",
    ),
    Tip(
        "TIP-035",
        "en",
        MANAGER,
        "Gift shoppers: ask who it's for and what their home looks like. Throws, candles and mugs "
        "are safe choices. Offer gift wrapping and a gift receipt every time.",
        category=HOME,
    ),
    Tip(
        "TIP-036",
        "es",
        "Lucía Romero",
        "Cuando alguien se lleve la AeroPress, pregúntale si la quiere para casa o para viajar. "
        "Si es para viajar, enséñale la KeepCup; si es para casa, recuérdale que los filtros se "
        "acaban y que un paquete de 350 le dura más o menos medio año.",
        sku="COF-001",
    ),
    Tip(
        "TIP-037",
        "es",
        "Lucía Romero",
        "Si al cliente le da miedo que la sartén de hierro fundido se oxide, explícale que basta "
        "con secarla al fuego y darle una capa finita de aceite. No hace falta jabón fuerte. El "
        "kit de cuidado de Lodge es el complemento perfecto.",
        sku="KIT-001",
    ),
    Tip(
        "TIP-038",
        "es",
        "Lucía Romero",
        "Si te cuentan que están reformando el baño, apunta el color de los azulejos y cuándo "
        "terminan la obra. Las toallas y la alfombrilla se venden solas cuando combinan con el "
        "baño nuevo.",
        category=BATH,
    ),
    Tip(
        "TIP-039",
        "es",
        "Lucía Romero",
        "El Yirgacheffe es floral y cítrico; a quien toma el café con leche o muy cargado le "
        "puede parecer flojo. En ese caso, ofrécele el Brasil Cerrado y deja el de Etiopía para "
        "los que preparan V60 o Chemex.",
        sku="COF-011",
    ),
    Tip(
        "TIP-040",
        "tr",
        "Aylin Korkmaz",
        "Moka pot alan müşteriye ocağı kısık tutmasını ve fokurdama sesi gelir gelmez cezveyi "
        "ocaktan almasını söyleyin, yoksa kahve yanık tat verir. Bulaşık makinesine kesinlikle "
        "girmemeli.",
        sku="COF-008",
    ),
    Tip(
        "TIP-041",
        "tr",
        "Aylin Korkmaz",
        "Havlu satarken banyonun rengini sorun ve takımı tamamlayın: iki banyo havlusu, iki el "
        "havlusu ve bir paspas. İlk yıkamada yumuşatıcı kullanmamalarını hatırlatın, yoksa havlu "
        "suyu iyi emmez.",
        sku="BAT-001",
    ),
    Tip(
        "TIP-042",
        "tr",
        "Aylin Korkmaz",
        "Keten nevresim ilk başta biraz sert gelebilir; her yıkamada yumuşadığını mutlaka "
        "anlatın. Yanında ikinci bir yastık kılıfı takımı önerin, müşteri dönüşümlü kullanır.",
        sku="HOM-001",
    ),
    Tip(
        "TIP-043",
        "tr",
        "Aylin Korkmaz",
        "Ayakkabı iadelerinin çoğu numara yüzünden oluyor. Müşterinin iki ayağını da ölçün, "
        "koşarken giydiği çorapla denemesini isteyin ve olan numarayı notlarına yazın.",
        category=FOOTWEAR,
    ),
    Tip(
        "TIP-044",
        "el",
        "Dimitra Kosta",
        "Όταν πουλάτε το V60, ρωτήστε τον πελάτη πώς αλέθει τον καφέ του. Αν παίρνει έτοιμο "
        "αλεσμένο ή έχει μύλο με λεπίδες, δείξτε του τον Baratza Encore· το ομοιόμορφο άλεσμα "
        "κάνει τη μεγαλύτερη διαφορά στη γεύση.",
        sku="COF-002",
    ),
    Tip(
        "TIP-045",
        "el",
        "Dimitra Kosta",
        "Αφήστε τον πελάτη να πιάσει στο χέρι και το Wüsthof και το Global. Το γερμανικό μαχαίρι "
        "είναι βαρύτερο, το Global πιο ελαφρύ και λεπτό. Μετά προτείνετε ακονιστήρι και μια καλή "
        "επιφάνεια κοπής.",
        sku="KIT-004",
    ),
    Tip(
        "TIP-046",
        "el",
        "Dimitra Kosta",
        "Σε κάθε αγορά παπουτσιών για τρέξιμο προτείνετε και κάλτσες. Οι φουσκάλες είναι το "
        "πρώτο παράπονο τις πρώτες εβδομάδες, και οι κάλτσες Balega κρατάνε περίπου έξι μήνες.",
        sku="FTW-005",
    ),
    Tip(
        "TIP-047",
        "el",
        "Dimitra Kosta",
        "Για δώρα, ρωτήστε για ποιον είναι και πώς είναι το σπίτι του. Ένα μάλλινο ριχτάρι ή ένα "
        "κερί είναι σίγουρη επιλογή. Προσφέρετε πάντα συσκευασία δώρου και απόδειξη αλλαγής.",
        category=HOME,
    ),
    Tip(
        "TIP-048",
        "de",
        "Jonas Richter",
        "Wenn jemand sagt, die Mühle sei zu teuer: kurz vorrechnen, was ein Jahr guter Bohnen "
        "kostet. Eine gleichmäßige Mahlung bringt beim Filterkaffee mehr als jede andere "
        "Anschaffung, und Ersatzmahlwerke gibt es auch.",
        sku="COF-005",
    ),
    Tip(
        "TIP-049",
        "de",
        "Jonas Richter",
        "Beim Le-Creuset-Bräter nicht über die Emaille reden, sondern fragen, was sonntags auf "
        "den Tisch kommt: Gulasch, Brot, Schmorgerichte. Der Topf geht vom Herd in den Ofen und "
        "auf den Tisch, mit lebenslanger Garantie.",
        sku="KIT-003",
    ),
    Tip(
        "TIP-050",
        "de",
        "Jonas Richter",
        "Red-Wing-Stiefel sind am Anfang steif. Empfehlen Sie, sie eine Woche zu Hause "
        "einzulaufen, und bieten Sie Lederbalsam und Schuhspanner aus Zedernholz gleich mit an.",
        sku="FTW-006",
    ),
    Tip(
        "TIP-051",
        "de",
        "Jonas Richter",
        "Felco-Scheren lassen sich komplett reparieren, jedes Teil gibt es einzeln. Den "
        "Schleifstein direkt mit anbieten und daran erinnern, die Klingen nach dem Schnitt "
        "kranker Triebe zu reinigen.",
        sku="GAR-001",
    ),
)

# --- Generation ---------------------------------------------------------------------------------

PRODUCTS_BY_SKU = {product.sku: product for product in PRODUCTS}


@dataclass
class Shopper:
    """A customer row plus the hidden habits that drive their purchases."""

    customer_id: str
    first_name: str
    last_name: str
    gender: str
    language: str
    tier: str
    favourites: tuple[str, ...]
    preferences: str
    sizes: str
    home_store: str
    associate_id: str
    bean: str
    first_day: int
    last_day: int
    email: str = ""
    phone: str = ""
    birthday: str = ""
    marketing_consent: bool = False
    notes: tuple[str, ...] = ()


@dataclass
class Line:
    """One order line."""

    sku: str
    quantity: int
    unit_price: str


@dataclass
class Order:
    """One till receipt: a sale or a return."""

    customer_id: str
    day: int
    at: datetime
    store_id: str
    associate_id: str
    lines: list[Line] = field(default_factory=list)
    is_return: bool = False
    order_id: str = ""


@dataclass(frozen=True)
class Planned:
    """A purchase a shopper will make on a given day of the window."""

    day: int
    sku: str
    quantity: int


def build_demo_files(out_dir: Path) -> dict[str, Path]:
    """Write the demo shop's five CSV files into out_dir and return their paths by kind."""
    rng = random.Random(SEED)
    shoppers = make_shoppers(rng)
    orders = make_orders(rng, shoppers)
    orders += make_returns(rng, orders)
    number_orders(orders)
    notes = make_notes(rng, shoppers, orders)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: dict[str, Iterable[Sequence[str]]] = {
        "customers": customer_rows(shoppers),
        "products": product_rows(),
        "purchases": purchase_rows(orders),
        "notes": notes,
        "tips": tip_rows(),
    }
    paths = {}
    for kind, kind_rows in rows.items():
        paths[kind] = out_dir / f"{kind}.csv"
        write_csv(paths[kind], FILE_COLUMNS[kind], kind_rows)
    return paths


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write a header and rows as UTF-8 CSV with `\\n` line endings."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


# Customers


def make_shoppers(rng: random.Random) -> list[Shopper]:
    """Draw the customers: the known ones plus names from every pool, in a shuffled order."""
    people: list[tuple[str, str, str, str, KnownCustomer | None]] = [
        (k.first_name, k.last_name, k.gender, k.language, k) for k in KNOWN_CUSTOMERS
    ]
    taken = {f"{first} {last}" for first, last, *_ in people}
    for pool in NAME_POOLS:
        drawn = 0
        while drawn < pool.count:
            gender = rng.choice("fm")
            first = rng.choice(pool.female if gender == "f" else pool.male)
            last = gendered_surname(rng.choice(pool.surnames), gender)
            if first in RESERVED_FIRST_NAMES or f"{first} {last}" in taken:
                continue
            taken.add(f"{first} {last}")
            people.append((first, last, gender, pool.language, None))
            drawn += 1
    rng.shuffle(people)
    emails: set[str] = set()
    return [
        make_shopper(rng, f"C{number:04d}", person, emails)
        for number, person in enumerate(people, start=1)
    ]


def gendered_surname(entry: str, gender: str) -> str:
    """Pick the masculine or feminine form of a "Masculine/Feminine" surname entry."""
    masculine, _, feminine = entry.partition("/")
    return feminine if gender == "f" and feminine else masculine


def make_shopper(
    rng: random.Random,
    customer_id: str,
    person: tuple[str, str, str, str, KnownCustomer | None],
    emails: set[str],
) -> Shopper:
    """Give one person a tier, habits, contact details and the gaps real data has."""
    first, last, gender, language, known = person
    tier = known.tier if known else rng.choices(TIERS, TIER_WEIGHTS)[0]
    favourites = known.favourites if known else pick_favourites(rng)
    preferences = known.preferences if known else make_preferences(rng, favourites)
    sizes = known.sizes if known else make_sizes(rng, gender, favourites)
    home_store = rng.choices(STORES, STORE_WEIGHTS)[0]
    if known:
        first_day, last_day = rng.randint(0, 30), LAST_DAY
    else:
        first_day = rng.randint(0, 60) if rng.random() < 0.6 else rng.randint(0, 640)
        churned = rng.random() < 0.15
        last_day = rng.randint(min(first_day + 90, LAST_DAY), LAST_DAY) if churned else LAST_DAY
    birth_year = rng.randint(1946, 2005)
    shopper = Shopper(
        customer_id=customer_id,
        first_name=first,
        last_name=last,
        gender=gender,
        language=language,
        tier=tier,
        favourites=favourites,
        preferences=preferences,
        sizes=sizes,
        home_store=home_store,
        associate_id=rng.choice(store_associates(home_store)),
        bean=pick_bean(rng, preferences),
        first_day=first_day,
        last_day=last_day,
        marketing_consent=rng.random() < 0.62,
        notes=known.notes if known else (),
    )
    if rng.random() < 0.88:
        shopper.email = make_email(rng, first, last, birth_year, emails)
    if rng.random() < 0.84:
        shopper.phone = make_phone(rng, language)
    if rng.random() < 0.8:
        born = date(birth_year, 1, 1) + timedelta(days=rng.randint(0, 364))
        shopper.birthday = born.isoformat()
    return shopper


def pick_favourites(rng: random.Random) -> tuple[str, ...]:
    """Pick one to three favourite categories, popular ones more often."""
    wanted = rng.choices((1, 2, 3), (0.35, 0.45, 0.2))[0]
    categories = list(CATEGORY_WEIGHTS)
    favourites: list[str] = []
    while len(favourites) < wanted:
        weights = [CATEGORY_WEIGHTS[c] for c in categories]
        favourites.append(categories.pop(rng.choices(range(len(categories)), weights)[0]))
    return tuple(favourites)


def make_preferences(rng: random.Random, favourites: Sequence[str]) -> str:
    """Write a short preferences text from the favourite categories (sometimes nothing)."""
    if rng.random() < 0.12:
        return ""
    phrases = [rng.choice(PREFERENCES[category]) for category in favourites[:2]]
    return "; ".join(phrases)


def make_sizes(rng: random.Random, gender: str, favourites: Sequence[str]) -> str:
    """Record shoe and top sizes, always for shoppers of footwear or apparel."""
    wears = FOOTWEAR in favourites or APPAREL in favourites
    if not wears and rng.random() < 0.45:
        return ""
    low, high = SHOE_SIZES[gender]
    shoe = f"{rng.randint(low, high)}{'.5' if rng.random() < 0.2 else ''}"
    return f"shoe EU {shoe}; top {rng.choice(TOP_SIZES[gender])}"


def pick_bean(rng: random.Random, preferences: str) -> str:
    """Choose the coffee a shopper keeps coming back for, following their stated taste."""
    for phrase, beans in PREFERRED_BEANS.items():
        if phrase in preferences:
            return rng.choice(beans)
    return rng.choice(BEANS)


def ascii_slug(text: str) -> str:
    """Fold a name to lower-case ASCII letters and digits for an e-mail address."""
    folded = unicodedata.normalize("NFKD", text.translate(ASCII_FOLD))
    return "".join(ch for ch in folded.lower() if ch.isascii() and ch.isalnum())


def make_email(rng: random.Random, first: str, last: str, birth_year: int, taken: set[str]) -> str:
    """Make a unique ASCII e-mail address on a reserved example domain."""
    given, family = ascii_slug(first), ascii_slug(last)
    local = rng.choice(
        (
            f"{given}.{family}",
            f"{given}{family}",
            f"{given[0]}{family}",
            f"{given}.{family}{birth_year % 100:02d}",
        )
    )
    domain = rng.choice(EMAIL_DOMAINS)
    email, suffix = f"{local}@{domain}", 1
    while email in taken:
        suffix += 1
        email = f"{local}{suffix}@{domain}"
    taken.add(email)
    return email


def make_phone(rng: random.Random, language: str) -> str:
    """Make a phone number in the format of the shopper's home country."""
    return "".join(str(rng.randint(0, 9)) if ch == "#" else ch for ch in PHONE_FORMATS[language])


def store_associates(store_id: str) -> list[str]:
    """The associates who work in a store."""
    return [aid for aid, (_, store) in ASSOCIATES.items() if store == store_id]


def customer_rows(shoppers: Sequence[Shopper]) -> list[list[str]]:
    """Render the customers as customers.csv rows."""
    return [
        [
            s.customer_id,
            s.first_name,
            s.last_name,
            s.email,
            s.phone,
            s.birthday,
            s.tier,
            s.language,
            s.sizes,
            s.preferences,
            "true" if s.marketing_consent else "false",
            s.home_store,
        ]
        for s in shoppers
    ]


def product_rows() -> list[list[str]]:
    """Render the catalogue as products.csv rows."""
    return [[p.sku, p.name, p.category, p.brand, p.price, p.description] for p in PRODUCTS]


def tip_rows() -> list[list[str]]:
    """Render the tips as tips.csv rows; a product tip carries its product's category."""
    return [
        [
            t.tip_id,
            t.text,
            t.sku,
            t.category or PRODUCTS_BY_SKU[t.sku].category,
            t.language,
            t.author,
        ]
        for t in TIPS
    ]


# Purchases


def make_orders(rng: random.Random, shoppers: Sequence[Shopper]) -> list[Order]:
    """Plan every shopper's purchases over the window and ring them up as orders."""
    orders: list[Order] = []
    for shopper in shoppers:
        orders += ring_up(rng, shopper, plan_purchases(rng, shopper))
    return orders


def plan_purchases(rng: random.Random, shopper: Shopper) -> list[Planned]:
    """Plan first buys in favourite categories, their complements and the re-buys they start."""
    planned: list[Planned] = []
    owned: set[str] = set()
    habits: set[str] = set()

    def buy(sku: str, day: int, *, alongside: bool = False) -> None:
        sku = shopper.bean if sku == MAIN_BEAN else sku
        day = in_season(rng, sku, day)
        if day > shopper.last_day or sku in owned:
            return
        quantity = rng.choice(QUANTITIES.get(sku, (1,)))
        if sku in habits:
            # Already a regular; a new brewer still goes home with a fresh bag or box.
            if alongside:
                planned.append(Planned(day, sku, quantity))
            return
        planned.append(Planned(day, sku, quantity))
        if sku not in REBUY_DAYS:
            owned.add(sku)
        elif rng.random() < 0.85:
            habits.add(sku)
            planned.extend(plan_rebuys(rng, shopper, sku, day, quantity))
        for complement in COMPLEMENTS.get(sku, ()):
            chance = rng.random()
            if chance < 0.6:
                buy(complement, day, alongside=True)
            elif chance < 0.75:
                buy(complement, day + rng.randint(3, 20))

    if COFFEE in shopper.favourites and rng.random() < 0.85:
        buy(shopper.bean, shopper.first_day + rng.randint(0, 20))
    low, high = ENTRY_PURCHASES[shopper.tier]
    days = [
        rng.randint(shopper.first_day, shopper.last_day) for _ in range(rng.randint(low, high))
    ]
    for day in sorted(days):
        sku = pick_product(rng, shopper, owned | habits)
        if sku is not None:
            buy(sku, day)
    return planned


def pick_product(rng: random.Random, shopper: Shopper, skip: set[str]) -> str | None:
    """Pick a product to buy, mostly from a favourite category; cheaper things sell more."""
    if rng.random() < 0.85:
        category = rng.choices(shopper.favourites, (6, 3, 2)[: len(shopper.favourites)])[0]
    else:
        category = rng.choice(list(CATEGORY_WEIGHTS))
    candidates = [
        p
        for p in PRODUCTS
        if p.category == category
        and p.sku not in skip
        and GENDERED_SKUS.get(p.sku, shopper.gender) == shopper.gender
    ]
    if not candidates:
        return None
    weights = [1 / (1 + float(p.price) / 120) for p in candidates]
    return rng.choices(candidates, weights)[0].sku


def plan_rebuys(
    rng: random.Random, shopper: Shopper, sku: str, day: int, quantity: int
) -> list[Planned]:
    """Plan re-buys of a consumable at the shopper's own pace until they stop or leave."""
    low, high = REBUY_DAYS[sku]
    pace = rng.uniform(low, high)
    rebuys: list[Planned] = []
    while True:
        day = in_season(rng, sku, day + round(pace * quantity * rng.uniform(0.85, 1.2)))
        if day > shopper.last_day or rng.random() > LOYALTY[shopper.tier]:
            return rebuys
        bought = sku
        if sku in BEANS and rng.random() < 0.25:
            bought = rng.choice(BEANS)  # trying another origin now and then
        quantity = rng.choice(QUANTITIES.get(bought, (1,)))
        rebuys.append(Planned(day, bought, quantity))


def in_season(rng: random.Random, sku: str, day: int) -> int:
    """Move a seasonal purchase into the next selling season."""
    months = SEASONS.get(PRODUCTS_BY_SKU[sku].category)
    when = WINDOW_START + timedelta(days=day)
    if months is None or when.month in months:
        return day
    year = when.year + 1 if when.month > months[-1] else when.year
    start = date(year, months[0], 1) + timedelta(days=rng.randint(0, 45))
    return (start - WINDOW_START).days


def ring_up(rng: random.Random, shopper: Shopper, planned: list[Planned]) -> list[Order]:
    """Group planned purchases into visits: whatever falls due within a few days goes together."""
    orders: list[Order] = []
    for item in sorted(planned, key=lambda p: p.day):  # stable: a visit keeps its line order
        if not orders or item.day - orders[-1].day > 3:
            orders.append(open_order(rng, shopper, item.day))
        order = orders[-1]
        same = [line for line in order.lines if line.sku == item.sku]
        if same:
            same[0].quantity += item.quantity
        else:
            price = sale_price(rng, item.sku, order.at.date(), shopper.tier)
            order.lines.append(Line(item.sku, item.quantity, price))
    return orders


def open_order(rng: random.Random, shopper: Shopper, day: int) -> Order:
    """Start a till receipt in the shopper's usual store, now and then in another one."""
    store = shopper.home_store if rng.random() < 0.85 else rng.choice(STORES)
    if store == shopper.home_store and rng.random() < 0.6:
        associate = shopper.associate_id
    else:
        associate = rng.choice(store_associates(store))
    day = open_day(day)
    return Order(shopper.customer_id, day, till_time(rng, day), store, associate)


def open_day(day: int) -> int:
    """Move a visit off Sunday, when the stores are closed."""
    if (WINDOW_START + timedelta(days=day)).weekday() != 6:
        return day
    return day + 1 if day < LAST_DAY else day - 1


def till_time(rng: random.Random, day: int) -> datetime:
    """Pick a time of day within opening hours, busier in the afternoon."""
    hour = rng.choices(OPENING_HOURS, HOUR_WEIGHTS)[0]
    moment = time(hour, rng.randint(0, 59), rng.randint(0, 59), tzinfo=UTC)
    return datetime.combine(WINDOW_START + timedelta(days=day), moment)


def sale_price(rng: random.Random, sku: str, when: date, tier: str) -> str:
    """Price a line: list price, a sale discount in sale periods, now and then a loyalty one."""
    in_sale = any(start <= (when.month, when.day) <= end for start, end in SALE_PERIODS)
    if in_sale and rng.random() < 0.35:
        percent = rng.choice(SALE_DISCOUNTS)
    elif rng.random() < (0.08 if tier == "vip" else 0.03):
        percent = 10
    else:
        return PRODUCTS_BY_SKU[sku].price
    price = Decimal(PRODUCTS_BY_SKU[sku].price) * (100 - percent) / 100
    return str(price.quantize(Decimal("0.01"), ROUND_HALF_UP))


def make_returns(rng: random.Random, orders: Sequence[Order]) -> list[Order]:
    """Return some lines a few days later (shoes and clothes most, often exchanged)."""
    returns: list[Order] = []
    for order in orders:
        for line in order.lines:
            if rng.random() >= return_rate(line.sku):
                continue
            day = open_day(order.day + rng.randint(2, 28))
            if day > LAST_DAY or day <= order.day:
                continue
            store = order.store_id if rng.random() < 0.8 else rng.choice(STORES)
            at = till_time(rng, day)
            back = -1 if line.quantity > 1 and rng.random() < 0.5 else -line.quantity
            associate = rng.choice(store_associates(store))
            lines = [Line(line.sku, back, line.unit_price)]
            returned = Order(order.customer_id, day, at, store, associate, lines, is_return=True)
            returns.append(returned)
            if PRODUCTS_BY_SKU[line.sku].category == FOOTWEAR and rng.random() < 0.5:
                # An exchange for the other size: a new sale in the same visit.
                lines = [Line(line.sku, 1, PRODUCTS_BY_SKU[line.sku].price)]
                swapped_at = at + timedelta(minutes=3)
                returns.append(Order(order.customer_id, day, swapped_at, store, associate, lines))
    return returns


def return_rate(sku: str) -> float:
    """How likely a sold line of this product comes back."""
    if sku in REBUY_DAYS:
        return RETURN_RATE_REBUY
    return RETURN_RATES.get(PRODUCTS_BY_SKU[sku].category, RETURN_RATE_DURABLE)


def number_orders(orders: list[Order]) -> None:
    """Sort orders by time and number them: O-… for sales, R-… for returns."""
    orders.sort(key=lambda o: (o.at, o.customer_id, o.is_return))
    sales = returns = 0
    for order in orders:
        if order.is_return:
            returns += 1
            order.order_id = f"R-{returns:05d}"
        else:
            sales += 1
            order.order_id = f"O-{sales:06d}"


def purchase_rows(orders: Sequence[Order]) -> list[list[str]]:
    """Render the orders as purchases.csv rows, one per line."""
    return [
        [
            order.order_id,
            order.customer_id,
            line.sku,
            str(line.quantity),
            line.unit_price,
            iso(order.at),
            order.store_id,
            order.associate_id,
        ]
        for order in orders
        for line in order.lines
    ]


def iso(moment: datetime) -> str:
    """Format a UTC moment as ISO 8601 with a Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# Notes


def make_notes(
    rng: random.Random, shoppers: Sequence[Shopper], orders: Sequence[Order]
) -> list[list[str]]:
    """Write associates' notes about shoppers, dated at one of their visits."""
    visits: dict[str, list[Order]] = {}
    for order in orders:
        if not order.is_return:
            visits.setdefault(order.customer_id, []).append(order)
    rows: list[list[str]] = []
    for shopper in shoppers:
        texts = list(shopper.notes)
        if rng.random() < NOTE_CHANCE[shopper.tier]:
            texts += draw_notes(rng, shopper, rng.randint(1, 3 if shopper.tier == "vip" else 2))
        seen = visits.get(shopper.customer_id, [])
        notes = []
        for text in texts:
            if seen:
                visit = rng.choice(seen)
                at, associate = (
                    visit.at + timedelta(minutes=rng.randint(2, 40)),
                    visit.associate_id,
                )
            else:
                day = rng.randint(shopper.first_day, shopper.last_day)
                at, associate = till_time(rng, day), shopper.associate_id
            notes.append((at, text, ASSOCIATES[associate][0]))
        notes.sort()
        rows += [[shopper.customer_id, text, author, iso(at)] for at, text, author in notes]
    return rows


def draw_notes(rng: random.Random, shopper: Shopper, count: int) -> list[str]:
    """Draw distinct note texts that fit the shopper's categories and sizes."""
    words = dict(PRONOUNS[shopper.gender])
    shoe = shopper.sizes.split(";")[0].removeprefix("shoe EU ") if shopper.sizes else ""
    if shoe.replace(".", "").isdigit():
        words["shoe_up"] = f"{float(shoe) + 0.5:g}"
    candidates = [
        template
        for category in shopper.favourites
        for template in NOTE_TEMPLATES[category]
        if "{shoe_up}" not in template or "shoe_up" in words
    ]
    candidates += GENERAL_NOTES
    chosen = rng.sample(candidates, min(count, len(candidates)))
    return [template.format(**words) for template in chosen]
