"""The demo expo's floor: the event, its halls, a booth for every supplier, and their catalogs.

Plain constants; ``app.demo.seed`` turns them into rows. Products are not listed one by one:
each supplier offers a few product *lines* (a species in one form, e.g. "raw headless
shell-on vannamei"), and a line expands into one product per grade (size, cut or pack),
priced from the line's base price. ~30 suppliers × a few lines × their grades gives the
expo its few hundred products, all with real species, Latin names and HS codes.

Certificate numbers, company facts and prices are made up but shaped like the real thing
(BRCGS site codes are seven digits, FDA registrations eleven...). Dates are relative to the
day the demo is seeded, so a fresh demo always shows a live event and valid certificates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# --- the event and its halls ----------------------------------------------------------------

EXPO_TITLE = "Fuqing Seafood Online Expo"
EXPO_TITLE_ZH = "福清海产品网上博览会"
EXPO_THEME = "Frozen, dried and canned seafood from the Fuqing coast, direct from the factories"
EXPO_DESCRIPTION = (
    "Thirty Fuqing exporters show their factories and catalogs: farmed and wild shrimp, fish "
    "fillets, surimi, eel, squid, shellfish, seaweed, canned seafood and the machines that "
    "process them. Search every product by species, certification, incoterm and price, open "
    "a booth to see certificates and factory facts, and meet the suppliers in the "
    "matchmaking sessions."
)
EXPO_DESCRIPTION_ZH = (
    "三十家福清出口企业在线展示工厂与产品：养殖及野生虾类、鱼片、鱼糜、鳗鱼、鱿鱼、贝类、"
    "海藻、水产罐头及水产加工设备。可按品种、认证、贸易术语和价格搜索全部产品，进入展位查看"
    "认证证书和工厂信息，并在供采对接会上与供应商洽谈。"
)
EXPO_TIME_ZONE = "Asia/Shanghai"
EXPO_STARTED_DAYS_AGO = 3  # the demo is live: it opened a few days before the seed ran
EXPO_DAYS = 30


@dataclass(frozen=True, slots=True)
class HallSeed:
    name: str
    name_zh: str
    description: str


HALLS: tuple[HallSeed, ...] = (
    HallSeed("Frozen shrimp", "冷冻虾类", "Shrimp, prawns, crayfish and crab, raw and cooked."),
    HallSeed("Fish fillets", "鱼片", "Fillets, portions, loins and whole frozen fish."),
    HallSeed("Dried seafood", "干海产品", "Dried and salted seafood, seaweed and seafood snacks."),
    HallSeed("Surimi", "鱼糜制品", "Surimi, fish balls, crab sticks, dim sum and frozen foods."),
    HallSeed("Canned seafood", "水产罐头", "Canned fish, shellfish, sauces and preserved foods."),
    HallSeed("Processing equipment", "加工设备", "Processing lines, freezers and cold chain."),
)

# --- product lines ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Grade:
    """One product of a line: its label (English, Chinese) and price relative to the line's."""

    label: str
    label_zh: str
    factor: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class Line:
    """A species in one form; ``{grade}`` in names and specifications is the grade's label."""

    name: str
    name_zh: str
    category: str
    hs_code: str
    species: str
    latin_name: str
    unit: str
    moq: int
    price_usd: Decimal  # for the middle grade, per unit, FOB
    lead_time_days: int
    capacity: int  # per month, in the unit
    specs: tuple[tuple[str, str], ...]
    grades: tuple[Grade, ...]
    process: str  # how it is made, for the description: "headless shell-on, block frozen"
    process_zh: str
    # A second dimension where it makes a different product (freezing, pack size): each
    # grade comes in each style, named after the grade and shown under ``style_key``.
    styles: tuple[Grade, ...] = ()
    style_key: str = ""


def _grades(*items: tuple[str, str, str]) -> tuple[Grade, ...]:
    return tuple(Grade(label, zh, Decimal(factor)) for label, zh, factor in items)


BLOCK_OR_IQF = _grades(("block frozen", "块冻", "1"), ("IQF", "单冻", "1.06"))
BULK_OR_RETAIL = _grades(("bulk pack", "散装", "1"), ("retail pack", "零售装", "1.1"))


SHRIMP_SIZES = _grades(
    ("16/20", "16/20", "1.42"), ("21/25", "21/25", "1.25"), ("26/30", "26/30", "1.12"),
    ("31/40", "31/40", "1"), ("41/50", "41/50", "0.9"), ("51/60", "51/60", "0.82"),
)
PEELED_SIZES = _grades(
    ("26/30", "26/30", "1.15"), ("31/40", "31/40", "1"), ("41/50", "41/50", "0.9"),
    ("71/90", "71/90", "0.78"),
)
FROZEN = ("Storage", "-18 °C or colder; shelf life 24 months")

LINES: dict[str, Line] = {
    # Frozen shrimp
    "vannamei_hlso": Line(
        "Frozen whiteleg shrimp HLSO {grade}", "冷冻南美白对虾 去头带壳 {grade}",
        "frozen_shrimp", "030617", "Whiteleg shrimp", "Litopenaeus vannamei", "kg", 5000,
        Decimal("6.20"), 21, 180000,
        (("Size", "{grade} pcs/lb"), ("Glazing", "10%, net weight 100%"),
         ("Packing", "6 × 1.8 kg / carton"), FROZEN),
        SHRIMP_SIZES, "headless shell-on", "去头带壳", BLOCK_OR_IQF, "Freezing"),
    "vannamei_hoso": Line(
        "Frozen whiteleg shrimp HOSO {grade}", "冷冻南美白对虾 带头带壳 {grade}",
        "frozen_shrimp", "030617", "Whiteleg shrimp", "Litopenaeus vannamei", "kg", 5000,
        Decimal("4.60"), 21, 200000,
        (("Size", "{grade} pcs/kg"), ("Glazing", "10%"), ("Packing", "10 × 1 kg / carton"),
         FROZEN),
        _grades(("30/40", "30/40", "1.3"), ("40/50", "40/50", "1.12"), ("50/60", "50/60", "1"),
                ("60/70", "60/70", "0.92"), ("70/80", "70/80", "0.86")),
        "head-on shell-on", "带头带壳", BLOCK_OR_IQF, "Freezing"),
    "vannamei_pd_cooked": Line(
        "Cooked whiteleg shrimp PD tail-off {grade}", "熟冻南美白对虾仁 {grade}",
        "frozen_shrimp", "160521", "Whiteleg shrimp", "Litopenaeus vannamei", "kg", 3000,
        Decimal("8.10"), 25, 90000,
        (("Size", "{grade} pcs/lb"), ("Glazing", "15%"), ("Freezing", "IQF"), FROZEN),
        PEELED_SIZES, "peeled and deveined, cooked, IQF", "去壳去肠线，熟制单冻",
        _grades(("10 × 1 kg bags", "1 公斤×10 袋", "1"), ("20 × 400 g retail bags",
                                                      "400 克×20 零售袋", "1.08")), "Packing"),
    "vannamei_butterfly": Line(
        "Breaded butterfly shrimp {grade}", "裹粉蝴蝶虾 {grade}",
        "prepared_seafood", "160521", "Whiteleg shrimp", "Litopenaeus vannamei", "kg", 2000,
        Decimal("7.40"), 30, 60000,
        (("Size", "{grade} pcs/lb (before breading)"), ("Shrimp content", "50%"),
         ("Packing", "12 × 250 g trays / carton"), FROZEN),
        _grades(("21/25", "21/25", "1.2"), ("26/30", "26/30", "1.1"), ("31/40", "31/40", "1")),
        "butterfly cut, breaded, ready to fry", "开背，裹粉，即炸"),
    "monodon_hoso": Line(
        "Frozen black tiger shrimp HOSO {grade}", "冷冻斑节对虾 带头带壳 {grade}",
        "frozen_shrimp", "030617", "Black tiger shrimp", "Penaeus monodon", "kg", 2000,
        Decimal("11.80"), 21, 40000,
        (("Size", "{grade} pcs/kg"), ("Glazing", "10%"), ("Packing", "6 × 2 kg / carton"),
         FROZEN),
        _grades(("8/12", "8/12", "1.35"), ("13/15", "13/15", "1.15"), ("16/20", "16/20", "1")),
        "head-on shell-on", "带头带壳", BLOCK_OR_IQF, "Freezing"),
    "crayfish_cooked": Line(
        "Cooked whole crayfish, {grade}", "熟冻整只小龙虾（{grade}）",
        "frozen_shrimp", "160540", "Red swamp crayfish", "Procambarus clarkii", "kg", 3000,
        Decimal("6.60"), 20, 120000,
        (("Flavour", "{grade}"), ("Size", "25-30 pcs/kg"), ("Packing", "12 × 750 g boxes"),
         FROZEN),
        _grades(("spicy", "麻辣", "1"), ("garlic", "蒜香", "1"),
                ("thirteen-spice", "十三香", "1.05"), ("plain", "原味", "0.95")),
        "cooked whole in seasoned broth, frozen", "整只调味煮熟后速冻"),
    "crayfish_tail": Line(
        "Crayfish tail meat {grade}", "小龙虾尾肉 {grade}",
        "frozen_shrimp", "160540", "Red swamp crayfish", "Procambarus clarkii", "kg", 1000,
        Decimal("14.20"), 20, 30000,
        (("Size", "{grade} pcs/lb"), ("Cooking", "Blanched, IQF"), ("Packing", "20 × 500 g"),
         FROZEN),
        _grades(("100/150", "100/150", "1.1"), ("150/200", "150/200", "1"),
                ("200/300", "200/300", "0.9")),
        "peeled tail meat, blanched, IQF", "去壳尾肉，焯水单冻"),
    "swimming_crab": Line(
        "Frozen swimming crab, {grade}", "冷冻三疣梭子蟹（{grade}）",
        "crabs_lobsters", "030614", "Swimming crab", "Portunus trituberculatus", "kg", 3000,
        Decimal("7.90"), 15, 50000,
        (("Cut", "{grade}"), ("Size", "150-250 g/pc"), ("Packing", "10 kg / carton"), FROZEN),
        _grades(("whole round", "整只", "1"), ("cut in half", "切半", "1.12"),
                ("claws", "蟹钳", "1.2")),
        "caught in the East China Sea", "东海捕捞", BLOCK_OR_IQF, "Freezing"),
    "crab_meat": Line(
        "Pasteurized swimming crab meat, {grade}", "巴氏杀菌梭子蟹肉（{grade}）",
        "crabs_lobsters", "160510", "Swimming crab", "Portunus trituberculatus", "kg", 500,
        Decimal("31.00"), 20, 15000,
        (("Grade", "{grade}"), ("Packing", "12 × 454 g cups / carton"),
         ("Storage", "0-4 °C; shelf life 18 months")),
        _grades(("jumbo lump", "大块肉", "1.35"), ("lump", "块肉", "1.1"),
                ("special", "碎肉", "0.85"), ("claw", "钳肉", "0.75")),
        "hand picked, pasteurized in cups", "手工剥肉，杯装巴氏杀菌"),
    # Fish fillets and whole fish
    "tilapia_fillet": Line(
        "IQF tilapia fillets, skinless boneless {grade}", "单冻罗非鱼片 去皮去骨 {grade}",
        "fish_fillets", "030461", "Nile tilapia", "Oreochromis niloticus", "kg", 8000,
        Decimal("3.20"), 20, 300000,
        (("Size", "{grade} oz/pc"), ("Treatment", "Untreated, CO-free"), ("Glazing", "10%"),
         FROZEN),
        _grades(("3-5", "3-5", "0.92"), ("5-7", "5-7", "1"), ("7-9", "7-9", "1.06"),
                ("9+", "9+", "1.1")),
        "filleted, skinless and boneless, IQF", "去皮去骨，单冻",
        _grades(("4 × 2.5 kg bags", "2.5 公斤×4 袋", "1"), ("10 × 454 g retail bags",
                                                         "454 克×10 零售袋", "1.09")), "Packing"),
    "tilapia_whole": Line(
        "Frozen tilapia, whole gutted and scaled {grade}", "冷冻罗非鱼 去脏去鳞 {grade}",
        "whole_fish", "030323", "Nile tilapia", "Oreochromis niloticus", "kg", 10000,
        Decimal("1.75"), 15, 400000,
        (("Size", "{grade} g/pc"), ("Freezing", "IQF, individually bagged"),
         ("Packing", "10 kg / carton"), FROZEN),
        _grades(("300-500", "300-500", "0.95"), ("500-800", "500-800", "1"),
                ("800+", "800+", "1.08")),
        "gutted and scaled, IQF", "去内脏去鳞，单冻"),
    "pollock_fillet": Line(
        "Alaska pollock fillets, {grade}", "狭鳕鱼片（{grade}）",
        "fish_fillets", "030475", "Alaska pollock", "Gadus chalcogrammus", "kg", 10000,
        Decimal("3.55"), 30, 250000,
        (("Form", "{grade}"), ("Raw material", "Wild-caught, Bering Sea, MSC"),
         ("Processing", "Twice frozen, filleted in Fuqing"), ("Packing", "10 kg / carton"),
         FROZEN),
        _grades(("skinless boneless IQF", "去皮去骨单冻", "1"),
                ("interleaved 4-6 oz", "层冻 4-6 oz", "1.04"),
                ("fillet block 7.5 kg", "鱼片块 7.5 kg", "0.92"),
                ("portions 100 g", "鱼块 100 g", "1.12")),
        "filleted and refrozen", "解冻加工后再冻"),
    "cod_loin": Line(
        "Pacific cod {grade}", "太平洋鳕鱼 {grade}",
        "fish_fillets", "030471", "Pacific cod", "Gadus macrocephalus", "kg", 5000,
        Decimal("7.60"), 30, 80000,
        (("Cut", "{grade}"), ("Raw material", "Wild-caught, North Pacific"), ("Glazing", "5%"),
         ("Packing", "10 × 1 kg / carton"), FROZEN),
        _grades(("loins 150-250 g", "鱼背肉 150-250 g", "1.18"),
                ("fillets skin-on", "带皮鱼片", "1"), ("tails", "鱼尾段", "0.8")),
        "cut and refrozen", "分割后再冻"),
    "fish_fingers": Line(
        "Breaded pollock fish fingers {grade}", "裹粉狭鳕鱼条 {grade}",
        "prepared_seafood", "160420", "Alaska pollock", "Gadus chalcogrammus", "kg", 5000,
        Decimal("3.10"), 25, 120000,
        (("Size", "{grade}"), ("Fish content", "65%"), ("Packing", "20 × 450 g boxes"),
         FROZEN),
        _grades(("25 g", "25 g", "1"), ("30 g", "30 g", "1.02")),
        "breaded, pre-fried, frozen", "裹粉预炸速冻"),
    "croaker_whole": Line(
        "Frozen large yellow croaker {grade}", "冷冻大黄鱼 {grade}",
        "whole_fish", "030389", "Large yellow croaker", "Larimichthys crocea", "kg", 3000,
        Decimal("5.40"), 10, 120000,
        (("Size", "{grade} g/pc"), ("Farming", "Deep-sea cages, Fuqing Bay"),
         ("Freezing", "IQF, glazed"), ("Packing", "10 kg / carton"), FROZEN),
        _grades(("200-300", "200-300", "0.85"), ("300-400", "300-400", "1"),
                ("400-500", "400-500", "1.18"), ("500-700", "500-700", "1.4")),
        "whole round, IQF", "整条单冻"),
    "croaker_butterfly": Line(
        "Butterflied yellow croaker, {grade}", "开背大黄鱼（{grade}）",
        "whole_fish", "030569", "Large yellow croaker", "Larimichthys crocea", "kg", 2000,
        Decimal("7.30"), 15, 50000,
        (("Style", "{grade}"), ("Size", "300-400 g/pc"), ("Packing", "20 × 500 g / carton"),
         FROZEN),
        _grades(("lightly salted", "轻盐", "1"), ("salted and dried", "盐干", "1.15")),
        "butterflied and salted", "开背腌制"),
    "hairtail": Line(
        "Frozen hairtail (ribbonfish) {grade}", "冷冻带鱼 {grade}",
        "whole_fish", "030389", "Largehead hairtail", "Trichiurus lepturus", "kg", 10000,
        Decimal("2.80"), 15, 300000,
        (("Size", "{grade} g/pc"), ("Catch", "Wild, East China Sea, frozen at sea"),
         ("Packing", "10 kg / carton"), FROZEN),
        _grades(("200-300", "200-300", "0.85"), ("300-500", "300-500", "1"),
                ("500+", "500+", "1.2")),
        "whole round, frozen at sea", "整条，船上冻", BLOCK_OR_IQF, "Freezing"),
    "pomfret": Line(
        "Frozen silver pomfret {grade}", "冷冻银鲳 {grade}",
        "whole_fish", "030389", "Silver pomfret", "Pampus argenteus", "kg", 5000,
        Decimal("5.90"), 15, 80000,
        (("Size", "{grade} pcs/kg"), ("Freezing", "IQF"), FROZEN),
        _grades(("4-6", "4-6", "1.2"), ("6-8", "6-8", "1"), ("8-10", "8-10", "0.88")),
        "whole round, IQF", "整条单冻",
        _grades(("10 kg cartons", "10 公斤箱装", "1"), ("10 × 1 kg retail bags",
                                                     "1 公斤×10 零售袋", "1.08")), "Packing"),
    "chub_mackerel": Line(
        "Frozen chub mackerel, whole round {grade}", "冷冻鲐鱼 整条 {grade}",
        "whole_fish", "030354", "Chub mackerel", "Scomber japonicus", "kg", 25000,
        Decimal("1.28"), 15, 600000,
        (("Size", "{grade} g/pc"), ("Catch", "Wild, East China Sea"),
         ("Packing", "10 kg / carton"), FROZEN),
        _grades(("200-300", "200-300", "0.9"), ("300-500", "300-500", "1"),
                ("500+", "500+", "1.15")),
        "whole round", "整条", BLOCK_OR_IQF, "Freezing"),
    "eel_kabayaki": Line(
        "Roasted eel kabayaki {grade}", "蒲烧烤鳗 {grade}",
        "prepared_seafood", "160417", "Japanese eel", "Anguilla japonica", "kg", 1000,
        Decimal("26.50"), 20, 40000,
        (("Size", "{grade} g/pc"), ("Sauce", "Kabayaki sauce, about 20%"),
         ("Packing", "10 kg / carton, vacuum packed"), FROZEN),
        _grades(("140-160", "140-160", "0.95"), ("180-200", "180-200", "1"),
                ("230-250", "230-250", "1.08")),
        "farmed in Fujian, split, grilled with sauce", "福建养殖，剖片，酱烤"),
    "eel_shirayaki": Line(
        "Shirayaki eel, {grade}", "白烧鳗（{grade}）",
        "prepared_seafood", "160417", "American eel", "Anguilla rostrata", "kg", 1000,
        Decimal("22.00"), 20, 30000,
        (("Form", "{grade}"), ("Packing", "20 × 500 g / carton, vacuum packed"), FROZEN),
        _grades(("whole fillet", "整片", "1"), ("sliced", "切片", "1.08")),
        "farmed in Fujian, grilled without sauce", "福建养殖，白烤"),
    # Squid
    "squid_rings": Line(
        "Frozen squid rings {grade}", "冷冻鱿鱼圈 {grade}",
        "cephalopods", "030743", "Argentine shortfin squid", "Illex argentinus", "kg", 5000,
        Decimal("3.30"), 20, 150000,
        (("Ring width", "{grade}"), ("Glazing", "20%"), ("Freezing", "IQF"), FROZEN),
        _grades(("1.5-2 cm", "1.5-2 厘米", "1"), ("2-4 cm", "2-4 厘米", "1.06")),
        "cleaned, cut into rings, IQF", "清洗切圈，单冻", BULK_OR_RETAIL, "Packing"),
    "octopus": Line(
        "Frozen whole cleaned octopus {grade}", "冷冻整只章鱼 {grade}",
        "cephalopods", "030752", "East Asian common octopus", "Octopus sinensis", "kg", 3000,
        Decimal("5.80"), 20, 60000,
        (("Size", "{grade} g/pc"), ("Glazing", "15%"), ("Packing", "10 kg / carton"), FROZEN),
        _grades(("300-500", "300-500", "0.9"), ("500-800", "500-800", "1"),
                ("800-1200", "800-1200", "1.12"), ("1200+", "1200+", "1.2")),
        "cleaned, beak and eyes removed", "清洗，去嘴去眼", BLOCK_OR_IQF, "Freezing"),
    "cuttlefish": Line(
        "Frozen cleaned cuttlefish {grade}", "冷冻虎斑乌贼 {grade}",
        "cephalopods", "030743", "Pharaoh cuttlefish", "Sepia pharaonis", "kg", 3000,
        Decimal("4.90"), 20, 50000,
        (("Size", "{grade} pcs/kg"), ("Freezing", "IQF"), ("Packing", "10 × 1 kg / carton"),
         FROZEN),
        _grades(("U/1", "U/1", "1.15"), ("1-2", "1-2", "1"), ("2-4", "2-4", "0.88")),
        "cleaned, skinless, IQF", "清洗去皮，单冻"),
    "squid_cuts": Line(
        "Frozen Pacific squid {grade}", "冷冻太平洋褶柔鱼 {grade}",
        "cephalopods", "030743", "Japanese flying squid", "Todarodes pacificus", "kg", 8000,
        Decimal("2.95"), 20, 200000,
        (("Cut", "{grade}"), ("Packing", "10 kg / carton"), FROZEN),
        _grades(("tubes U/5", "鱿鱼筒 U/5", "1.1"), ("tentacles", "鱿鱼须", "0.85"),
                ("flower cut", "鱿鱼花", "1.12"), ("whole round 200-300 g", "整只 200-300 g",
                                                   "0.9")),
        "cleaned and cut", "清洗分割", BLOCK_OR_IQF, "Freezing"),
    "squid_breaded": Line(
        "Breaded squid rings {grade}", "裹粉鱿鱼圈 {grade}",
        "prepared_seafood", "160554", "Argentine shortfin squid", "Illex argentinus", "kg",
        3000, Decimal("3.60"), 25, 80000,
        (("Coating", "{grade}"), ("Squid content", "55%"), ("Packing", "12 × 500 g bags"),
         FROZEN),
        _grades(("breadcrumb", "面包糠", "1"), ("tempura batter", "天妇罗面糊", "1.04")),
        "breaded, pre-fried, IQF", "裹粉预炸，单冻"),
    # Surimi and prepared foods
    "surimi": Line(
        "Threadfin bream surimi, grade {grade}", "金线鱼鱼糜 {grade} 级",
        "surimi", "030499", "Threadfin bream", "Nemipterus virgatus", "kg", 10000,
        Decimal("2.55"), 20, 500000,
        (("Grade", "{grade}"), ("Gel strength", "≥ 600 g·cm (AA)"), ("Moisture", "≤ 76%"),
         ("Packing", "2 × 10 kg blocks / carton"), FROZEN),
        _grades(("AA", "AA", "1.12"), ("A", "A", "1"), ("KA", "KA", "0.9")),
        "minced, washed, frozen in blocks", "绞碎漂洗，块冻"),
    "crab_sticks": Line(
        "Crab sticks (kanikama) {grade}", "蟹柳 {grade}",
        "surimi", "160420", "Threadfin bream", "Nemipterus virgatus", "carton", 500,
        Decimal("24.00"), 20, 20000,
        (("Pack", "{grade}"), ("Surimi content", "40%"), FROZEN),
        _grades(("20 × 500 g", "20 × 500 克", "1"), ("40 × 250 g", "40 × 250 克", "1.05")),
        "surimi sticks with crab flavour", "鱼糜制蟹味棒"),
    "fish_tofu": Line(
        "Fried fish tofu {grade}", "油炸鱼豆腐 {grade}",
        "surimi", "160420", "Threadfin bream", "Nemipterus virgatus", "kg", 3000,
        Decimal("2.90"), 20, 60000,
        (("Size", "{grade}"), ("Packing", "10 × 1 kg / carton"), FROZEN),
        _grades(("small cubes 10 g", "小块 10 克", "1"), ("large cubes 20 g", "大块 20 克",
                                                       "1.02")),
        "fried surimi cubes for hot pot", "火锅用油炸鱼糜块"),
    "fish_balls": Line(
        "Fuzhou stuffed fish balls {grade}", "福州鱼丸 {grade}",
        "surimi", "160420", "Threadfin bream", "Nemipterus virgatus", "kg", 2000,
        Decimal("3.20"), 20, 80000,
        (("Filling", "{grade}"), ("Size", "about 20 g/pc"), FROZEN),
        _grades(("pork filling", "猪肉馅", "1"), ("shrimp filling", "虾仁馅", "1.2"),
                ("no filling", "无馅", "0.88"), ("halal chicken filling", "清真鸡肉馅", "1.05")),
        "hand-shaped surimi balls, frozen", "手工鱼糜丸，速冻",
        _grades(("20 × 500 g retail bags", "500 克×20 零售袋", "1"), ("10 × 1 kg catering bags",
                                                                  "1 公斤×10 餐饮袋", "0.95")),
        "Packing"),
    "dim_sum": Line(
        "Frozen {grade}", "速冻{grade}",
        "processed_food", "190220", "Whiteleg shrimp", "Litopenaeus vannamei", "carton", 300,
        Decimal("38.00"), 25, 12000,
        (("Product", "{grade}"), ("Pack", "20 bags × 24 pcs / carton"), FROZEN),
        _grades(("shrimp har gow", "虾饺", "1.1"), ("pork and shrimp shumai", "烧卖", "1"),
                ("seafood dumplings", "海鲜水饺", "0.85"), ("spring rolls", "春卷", "0.7")),
        "made by hand and machine, steam or fry from frozen", "手工与机制，冷冻直接蒸煮"),
    "prawn_crackers": Line(
        "Uncooked prawn crackers, {grade}", "生虾片（{grade}）",
        "processed_food", "190590", "Akiami paste shrimp", "Acetes chinensis", "carton", 200,
        Decimal("22.00"), 20, 15000,
        (("Colour", "{grade}"), ("Shrimp content", "30%"), ("Pack", "50 × 200 g / carton"),
         ("Shelf life", "24 months, dry")),
        _grades(("natural", "原色", "1"), ("coloured", "彩色", "1.02"),
                ("extra shrimp 50%", "高虾含量 50%", "1.3")),
        "shrimp and tapioca dough, sliced and dried", "虾肉木薯粉制片，晒干"),
    "vegetables": Line(
        "IQF {grade}", "速冻{grade}",
        "frozen_vegetables", "071029", "", "", "kg", 10000,
        Decimal("1.45"), 20, 600000,
        (("Product", "{grade}"), ("Grade", "A"), FROZEN),
        _grades(("edamame in pods", "毛豆荚", "1"), ("shelled edamame", "毛豆仁", "1.35"),
                ("broccoli florets", "西兰花", "0.85"), ("cut green beans", "四季豆段", "0.8"),
                ("taro balls", "芋头丸", "1.1"), ("sweet corn kernels", "甜玉米粒", "0.7")),
        "grown on contract farms, blanched and IQF", "合同基地种植，焯水单冻",
        _grades(("10 kg cartons", "10 公斤箱装", "1"), ("20 × 500 g retail bags",
                                                     "500 克×20 零售袋", "1.15")), "Packing"),
    # Dried seafood and seaweed
    "dried_squid": Line(
        "Dried squid, {grade}", "鱿鱼干（{grade}）",
        "dried_seafood", "030749", "Japanese flying squid", "Todarodes pacificus", "kg", 500,
        Decimal("16.50"), 15, 20000,
        (("Size", "{grade}"), ("Moisture", "≤ 25%"), ("Packing", "10 kg / carton")),
        _grades(("large 30-40 cm", "大 30-40 厘米", "1.15"), ("medium 20-30 cm",
                                                          "中 20-30 厘米", "1")),
        "sun-dried", "日晒"),
    "dried_shrimp": Line(
        "Dried baby shrimp, {grade}", "虾皮（{grade}）",
        "dried_seafood", "030695", "Akiami paste shrimp", "Acetes chinensis", "kg", 500,
        Decimal("7.80"), 15, 30000,
        (("Style", "{grade}"), ("Salt", "≤ 8%")),
        _grades(("unsalted", "淡干", "1.1"), ("lightly salted", "轻盐", "1")),
        "boiled and dried", "煮后晒干",
        _grades(("10 × 1 kg bags", "1 公斤×10 袋", "1"), ("40 × 250 g retail bags",
                                                      "250 克×40 零售袋", "1.12")), "Packing"),
    "conpoy": Line(
        "Dried scallop (conpoy) {grade}", "干贝 {grade}",
        "dried_seafood", "030729", "Yesso scallop", "Patinopecten yessoensis", "kg", 100,
        Decimal("58.00"), 15, 3000,
        (("Size", "{grade} pcs/500 g"), ("Packing", "500 g gift boxes or 5 kg bulk")),
        _grades(("30-40", "30-40", "1.25"), ("50-60", "50-60", "1"), ("80-100", "80-100",
                                                                        "0.8")),
        "boiled and dried", "煮后干制"),
    "fish_maw": Line(
        "Dried fish maw, {grade}", "鱼胶（{grade}）",
        "dried_seafood", "030572", "Large yellow croaker", "Larimichthys crocea", "kg", 50,
        Decimal("120.00"), 15, 800,
        (("Grade", "{grade}"), ("Packing", "1 kg gift box")),
        _grades(("premium", "特级", "1.3"), ("grade A", "一级", "1")),
        "cleaned and sun-dried", "清洗晒干"),
    "anchovy": Line(
        "Dried anchovy, {grade}", "鳀鱼干（{grade}）",
        "dried_seafood", "030554", "Japanese anchovy", "Engraulis japonicus", "kg", 1000,
        Decimal("6.40"), 10, 60000,
        (("Size", "{grade}"), ("Processing", "Boiled on board and dried")),
        _grades(("chirimen 1-2 cm", "银鱼仔 1-2 厘米", "1.35"), ("small 3-4 cm", "小 3-4 厘米",
                                                             "1.1"),
                ("medium 5-6 cm", "中 5-6 厘米", "1"), ("large 7-8 cm", "大 7-8 厘米", "0.9")),
        "boiled and dried within hours of landing", "上岸数小时内煮干",
        _grades(("10 kg cartons", "10 公斤箱装", "1"), ("5 kg cartons", "5 公斤箱装", "1.03")),
        "Packing"),
    "laver_dried": Line(
        "Dried laver (zicai) {grade}", "坛紫菜 {grade}",
        "seaweed", "121221", "Laver", "Pyropia haitanensis", "kg", 500,
        Decimal("14.00"), 15, 30000,
        (("Form", "{grade}"), ("Harvest", "First harvest, Haikou coast"),
         ("Packing", "10 kg / carton")),
        _grades(("round cakes", "圆饼", "1"), ("loose", "散装", "0.85")),
        "harvested and sun-dried", "采收晒干"),
    "nori_roasted": Line(
        "Roasted sushi nori, {grade}", "烤寿司海苔（{grade}）",
        "seaweed", "200899", "Laver", "Pyropia haitanensis", "bag", 2000,
        Decimal("5.60"), 20, 80000,
        (("Grade", "{grade}"), ("Pack", "100 full sheets / bag")),
        _grades(("gold", "金级", "1.25"), ("silver", "银级", "1"), ("green", "绿级", "0.8")),
        "roasted full sheets for sushi", "整张烤制，寿司用"),
    "nori_snack": Line(
        "Seasoned seaweed snack, {grade}", "调味海苔零食（{grade}）",
        "seaweed", "200899", "Laver", "Pyropia haitanensis", "carton", 300,
        Decimal("19.50"), 20, 20000,
        (("Flavour", "{grade}"), ("Pack", "72 × 5 g packs / carton")),
        _grades(("original", "原味", "1"), ("spicy", "香辣", "1"), ("wasabi", "芥末", "1.03")),
        "roasted with oil and salt", "油盐烤制"),
    "kelp": Line(
        "Kelp, {grade}", "海带（{grade}）",
        "seaweed", "121221", "Kelp", "Saccharina japonica", "kg", 5000,
        Decimal("0.95"), 15, 500000,
        (("Form", "{grade}"), ("Packing", "10 kg / carton")),
        _grades(("salted knots", "盐渍海带结", "1.1"), ("salted shreds", "盐渍海带丝", "1"),
                ("dried whole", "淡干海带", "1.6"), ("seasoned salad", "调味海带丝沙拉", "2.8")),
        "harvested off Fuqing and processed fresh", "福清海域采收，鲜加工"),
    "sea_cucumber": Line(
        "Sea cucumber, {grade}", "刺参（{grade}）",
        "dried_seafood", "030812", "Japanese sea cucumber", "Apostichopus japonicus", "kg", 20,
        Decimal("210.00"), 20, 1500,
        (("Form", "{grade}"), ("Traceability", "Batch code from pond to box"),
         ("Packing", "500 g gift box")),
        _grades(("dried 40-60 pcs/500 g", "淡干 40-60 头/500 克", "1.3"),
                ("dried 60-80 pcs/500 g", "淡干 60-80 头/500 克", "1"),
                ("salted", "盐渍", "0.35")),
        "over-wintered in Fujian, processed by batch", "福建越冬养殖，按批加工"),
    "snacks": Line(
        "{grade}", "{grade}",
        "processed_food", "160420", "", "", "carton", 200,
        Decimal("28.00"), 20, 10000,
        (("Pack", "40 × 100 g bags / carton"), ("Shelf life", "12 months")),
        _grades(("Shredded squid snack", "手撕鱿鱼丝", "1.1"),
                ("Roasted fish fillet snack", "烤鱼片", "1"),
                ("Fish skin crisps, salted egg", "咸蛋黄鱼皮", "1.15"),
                ("Spicy small fish", "香辣小鱼仔", "0.85")),
        "ready to eat", "即食"),
    # Shellfish
    "oyster": Line(
        "Fujian oyster, {grade}", "福建牡蛎（{grade}）",
        "shellfish", "030712", "Fujian oyster", "Crassostrea angulata", "kg", 3000,
        Decimal("3.60"), 15, 100000,
        (("Form", "{grade}"), ("Depuration", "Depurated 24 h"), ("Packing", "10 kg / carton"),
         FROZEN),
        _grades(("half shell IQF", "半壳单冻", "1"), ("meat IQF", "牡蛎肉单冻", "1.4"),
                ("sun-dried", "生晒蚝干", "4.5")),
        "farmed on long lines in Fuqing Bay", "福清湾筏式养殖"),
    "clam": Line(
        "Manila clam, {grade}", "菲律宾蛤仔（{grade}）",
        "shellfish", "030772", "Manila clam", "Ruditapes philippinarum", "kg", 5000,
        Decimal("1.85"), 15, 200000,
        (("Form", "{grade}"), ("Size", "40-60 pcs/kg"), ("Depuration", "Depurated 24 h"),
         FROZEN),
        _grades(("whole cooked", "熟冻全壳", "1"),
                ("whole raw", "生冻全壳", "0.9"), ("meat IQF", "蛤肉单冻", "2.6")),
        "depurated and frozen", "吐沙净化后冷冻",
        _grades(("10 × 1 kg vacuum packs", "1 公斤×10 真空袋", "1"),
                ("20 × 454 g vacuum packs", "454 克×20 真空袋", "1.08")), "Packing"),
    "razor_clam": Line(
        "Chinese razor clam, {grade}", "缢蛏（{grade}）",
        "shellfish", "030792", "Chinese razor clam", "Sinonovacula constricta", "kg", 2000,
        Decimal("3.20"), 15, 50000,
        (("Form", "{grade}"), ("Packing", "10 × 1 kg / carton"), FROZEN),
        _grades(("whole cooked", "熟冻全壳", "1"), ("meat IQF", "蛏肉单冻", "2.2")),
        "depurated, frozen", "吐沙净化后冷冻"),
    "blood_cockle": Line(
        "Blood cockle, {grade}", "泥蚶（{grade}）",
        "shellfish", "030772", "Blood cockle", "Tegillarca granosa", "kg", 2000,
        Decimal("2.70"), 15, 40000,
        (("Form", "{grade}"), ("Packing", "10 kg / carton"), FROZEN),
        _grades(("half shell", "半壳", "1"), ("meat IQF", "蚶肉单冻", "2.1")),
        "depurated, frozen", "吐沙净化后冷冻"),
    "mussel": Line(
        "Green mussel, {grade}", "翡翠贻贝（{grade}）",
        "shellfish", "030732", "Green mussel", "Perna viridis", "kg", 5000,
        Decimal("2.35"), 15, 150000,
        (("Form", "{grade}"), ("Size", "30-40 pcs/kg"), FROZEN),
        _grades(("half shell IQF", "半壳单冻", "1"), ("whole cooked", "熟冻全壳", "0.9"),
                ("meat IQF", "贻贝肉单冻", "1.8")),
        "farmed on long lines, cooked and frozen", "筏式养殖，煮熟后冷冻",
        _grades(("10 × 1 kg vacuum packs", "1 公斤×10 真空袋", "1"),
                ("20 × 454 g vacuum packs", "454 克×20 真空袋", "1.08")), "Packing"),
    "abalone": Line(
        "Pacific abalone, {grade}", "皱纹盘鲍（{grade}）",
        "shellfish", "030783", "Pacific abalone", "Haliotis discus hannai", "kg", 200,
        Decimal("27.00"), 10, 8000,
        (("Form", "{grade}"), ("Size", "10-12 pcs/kg"), ("Farming", "Offshore rafts, Sanshan")),
        _grades(("frozen in shell", "带壳冷冻", "1"), ("live, by air", "鲜活空运", "1.25")),
        "farmed on offshore rafts", "海上筏式养殖"),
    "abalone_canned": Line(
        "Canned abalone {grade}", "鲍鱼罐头 {grade}",
        "canned_seafood", "160557", "Pacific abalone", "Haliotis discus hannai", "can", 2400,
        Decimal("6.20"), 30, 100000,
        (("Style", "{grade}"), ("Can", "425 g, 6-8 pcs"), ("Shelf life", "36 months")),
        _grades(("in brine", "清汤", "1"), ("braised in abalone sauce", "红烧鲍汁", "1.15")),
        "cooked and canned", "煮制装罐"),
    # Canned fish and sauces
    "canned_mackerel": Line(
        "Canned mackerel {grade}", "鲭鱼罐头 {grade}",
        "canned_seafood", "160415", "Chub mackerel", "Scomber japonicus", "carton", 1000,
        Decimal("17.80"), 30, 60000,
        (("Style", "{grade}"), ("Shelf life", "36 months")),
        _grades(("in tomato sauce", "茄汁", "1"), ("in brine", "清汤", "0.95"),
                ("in vegetable oil", "油浸", "1.05")),
        "cooked and canned under your label", "煮制装罐，可贴牌",
        _grades(("24 × 425 g tins", "425 克×24 罐", "1"), ("50 × 155 g tins", "155 克×50 罐",
                                                         "1.02")), "Pack"),
    "canned_sardine": Line(
        "Canned sardines {grade}", "沙丁鱼罐头 {grade}",
        "canned_seafood", "160413", "Japanese pilchard", "Sardinops melanostictus", "carton",
        1000, Decimal("15.60"), 30, 50000,
        (("Style", "{grade}"), ("Pack", "50 × 155 g tins / carton"), ("Shelf life",
                                                                       "36 months")),
        _grades(("in tomato sauce", "茄汁", "1"), ("in vegetable oil", "油浸", "1.04"),
                ("hot chili", "香辣", "1.02")),
        "cooked and canned under your label", "煮制装罐，可贴牌"),
    "canned_tuna": Line(
        "Canned skipjack tuna, {grade}", "鲣鱼金枪鱼罐头（{grade}）",
        "canned_seafood", "160414", "Skipjack tuna", "Katsuwonus pelamis", "carton", 800,
        Decimal("29.00"), 30, 40000,
        (("Style", "{grade}"), ("Shelf life", "48 months")),
        _grades(("chunks in brine", "块状清汤", "1"), ("chunks in oil", "块状油浸", "1.06"),
                ("flakes in oil", "碎肉油浸", "0.9")),
        "cooked and canned under your label", "煮制装罐，可贴牌",
        _grades(("48 × 185 g tins", "185 克×48 罐", "1"), ("6 × 1.88 kg catering tins",
                                                          "1.88 公斤×6 餐饮罐", "0.93")), "Pack"),
    "sauces": Line(
        "{grade}", "{grade}",
        "seasonings", "210390", "", "", "carton", 500,
        Decimal("14.50"), 20, 30000,
        (("Pack", "12 bottles / carton"), ("Shelf life", "24 months")),
        _grades(("Oyster sauce 510 g", "蚝油 510 克", "1"), ("Fish sauce 700 ml", "鱼露 700 毫升",
                                                          "0.9"),
                ("XO seafood sauce 220 g", "XO 酱 220 克", "2.2"),
                ("Seafood hot pot base 500 g", "海鲜火锅底料 500 克", "1.3")),
        "brewed and bottled, private label welcome", "酿造装瓶，可贴牌"),
    "loquat": Line(
        "Loquat {grade}", "枇杷{grade}",
        "processed_food", "200899", "Loquat", "Eriobotrya japonica", "carton", 500,
        Decimal("21.00"), 25, 20000,
        (("Product", "{grade}"), ("Origin", "Yidu, Fuqing"), ("Shelf life", "24 months")),
        _grades(("in light syrup, 24 × 425 g", "糖水罐头 24 × 425 克", "1"),
                ("jam, 12 × 340 g", "果酱 12 × 340 克", "0.8"),
                ("leaf tea, 40 × 50 g", "叶茶 40 × 50 克", "1.2")),
        "from Yidu growers", "一都果农供货"),
    # Equipment
    "machines": Line(
        "{grade}", "{grade}",
        "processing_equipment", "843880", "", "", "set", 1,
        Decimal("18500.00"), 60, 20,
        (("Power", "380 V / 50 Hz, 3 phase"), ("Material", "SUS304 stainless steel"),
         ("Warranty", "12 months, installation by our engineers")),
        _grades(("Shrimp peeling machine, 300 kg/h", "剥虾机 300 公斤/小时", "1"),
                ("Shrimp grading machine, 5 grades", "虾分级机 5 级", "0.45"),
                ("Fish ball forming machine", "鱼丸成型机", "0.35"),
                ("Glazing and weighing line", "镀冰称重生产线", "1.6")),
        "built in Fuqing, CE marked", "福清制造，CE 认证"),
    "freezers": Line(
        "{grade}", "{grade}",
        "cold_chain_equipment", "841869", "", "", "set", 1,
        Decimal("42000.00"), 75, 10,
        (("Refrigerant", "R507A or NH3"), ("Control", "PLC with remote temperature monitoring"),
         ("Warranty", "12 months")),
        _grades(("IQF tunnel freezer, 500 kg/h", "隧道式单冻机 500 公斤/小时", "1.4"),
                ("Spiral freezer, 1 t/h", "螺旋式速冻机 1 吨/小时", "2.2"),
                ("Horizontal plate freezer, 15 stations", "卧式平板冻结机 15 层", "0.8"),
                ("Flake ice machine, 20 t/day", "片冰机 20 吨/天", "0.55"),
                ("Prefabricated cold room, 500 m³", "组装式冷库 500 立方米", "1")),
        "designed and built in Fuqing", "福清设计制造"),
}

# --- booths -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BoothSeed:
    """A supplier's booth in the expo, and what its catalog offers.

    ``supplier`` is the supplier's web name (its ``.example.com`` host) in ``app.demo.data``.
    """

    supplier: str
    hall: str
    description_zh: str
    markets: tuple[str, ...]
    founded: int
    staff: int
    output_t: int
    cold_storage_t: int | None
    certifications: tuple[str, ...]
    lines: tuple[str, ...]
    currency: str = "USD"
    port: str = "Fuzhou"


BOOTHS: tuple[BoothSeed, ...] = (
    BoothSeed("yuanhong-shrimp", "Frozen shrimp",
              "将养殖南美白对虾加工成生、熟冻虾产品（去头带壳、虾仁、蝴蝶虾等），拥有四条单冻线，"
              "通过 BRC 和 ASC 认证，每月约 900 吨销往西班牙、美国和日本。",
              ("ES", "US", "JP", "IT", "FR"), 2004, 620, 10800, 8000,
              ("HACCP", "BRC", "ASC", "FDA"),
              ("vannamei_hlso", "vannamei_hoso", "vannamei_pd_cooked", "vannamei_butterfly",
               "monodon_hoso")),
    BoothSeed("longtian-surimi", "Surimi",
              "生产 AA 级和 A 级金线鱼鱼糜、蟹柳和鱼豆腐，通过 HACCP 和 BRC 认证，厂区配套 6000 吨"
              "冷库，客户为日韩鱼糕企业及欧洲零售品牌。",
              ("KR", "JP", "ES", "FR", "TH"), 2008, 380, 15000, 6000,
              ("HACCP", "BRC", "FDA"), ("surimi", "crab_sticks", "fish_tofu")),
    BoothSeed("jiangyin-eel", "Fish fillets",
              "自有鳗鱼养殖池，生产蒲烧烤鳗、白烧鳗和鳗鱼片，冷冻出口日本、韩国和美国，通过 HACCP "
              "认证并取得对日出口注册。",
              ("JP", "KR", "US"), 1998, 450, 6000, 3000,
              ("HACCP", "FDA", "GACC"), ("eel_kabayaki", "eel_shirayaki"), port="Xiamen"),
    BoothSeed("gaoshan-dried", "Dried seafood",
              "收购福建各渔港的鱿鱼、虾皮、干贝、鱼胶和鳀鱼，晒干分级后散装或礼盒包装，销往东南亚"
              "及海外华人市场。",
              ("MY", "SG", "TH", "PH", "US"), 2001, 85, 1200, 800,
              ("HACCP", "HALAL"), ("dried_squid", "dried_shrimp", "conpoy", "fish_maw", "anchovy"),
              currency="CNY"),
    BoothSeed("rongqiao-canned", "Canned seafood",
              "生产茄汁、清汤和油浸的鲭鱼、沙丁鱼和鲣鱼罐头，155 克至 425 克罐型，可贴客户品牌，"
              "通过 IFS 和 HACCP 认证，出口西非、中东和拉美。",
              ("NG", "GH", "AE", "SA", "MX", "CL"), 1995, 720, 36000, 5000,
              ("HACCP", "IFS", "HALAL", "FDA"),
              ("canned_mackerel", "canned_sardine", "canned_tuna"), port="Xiamen"),
    BoothSeed("haikou-nori", "Dried seafood",
              "在海口沿海养殖坛紫菜，加工成寿司烤海苔、调味海苔零食和汤用紫菜饼，有机认证基地，"
              "销往日本、韩国、美国和欧洲。",
              ("JP", "KR", "US", "DE", "NL"), 2006, 210, 2500, None,
              ("HACCP", "ORGANIC", "BRC"), ("laver_dried", "nori_roasted", "nori_snack")),
    BoothSeed("dongzhang-tilapia", "Fish fillets",
              "在东张水库周边养殖罗非鱼，加工单冻去皮鱼片和去脏去鳞整鱼，通过 BAP 和 ASC 认证，"
              "主要市场为美国、墨西哥和中东。",
              ("US", "MX", "AE", "SA", "IL"), 2003, 540, 24000, 10000,
              ("HACCP", "BAP", "ASC", "FDA"), ("tilapia_fillet", "tilapia_whole")),
    BoothSeed("yangxia-squid", "Frozen shrimp",
              "将阿根廷滑柔鱼和太平洋褶柔鱼加工成鱿鱼圈、鱿鱼筒、鱿鱼须和鱿鱼花，生品或裹粉，通过 "
              "HACCP 认证，每月 300 吨销往西班牙、意大利和韩国。",
              ("ES", "IT", "KR", "PT", "GR"), 2007, 330, 3600, 4000,
              ("HACCP", "BRC", "FDA"),
              ("squid_rings", "squid_cuts", "squid_breaded", "octopus", "cuttlefish")),
    BoothSeed("xincuo-machinery", "Processing equipment",
              "为水产加工厂制造剥虾机、分级机、隧道式和螺旋式速冻机、镀冰线及鱼丸成型机，产品通过 "
              "CE 认证，在越南、印尼、印度和厄瓜多尔安装服务。",
              ("VN", "ID", "IN", "EC", "TH"), 2010, 160, 0, None,
              ("ISO9001", "ISO14001"), ("machines",)),
    BoothSeed("shangjing-fishball", "Surimi",
              "以自产鱼糜制作福州鱼丸、虾丸和鱼饺，速冻供应亚洲超市，通过 HACCP 和清真认证，客户"
              "遍布美国、加拿大、英国和澳大利亚。",
              ("US", "CA", "GB", "AU", "MY"), 2002, 190, 4800, 2000,
              ("HACCP", "HALAL", "FDA"), ("fish_balls", "fish_tofu")),
    BoothSeed("sanshan-abalone", "Canned seafood",
              "在近海筏架养殖皱纹盘鲍，销售鲜活、带壳冷冻以及清汤和红烧鲍鱼罐头。鲜活鲍空运香港和"
              "新加坡，冷冻和罐头销往全球。",
              ("HK", "SG", "MY", "US", "CA"), 2009, 140, 900, 500,
              ("HACCP", "GACC"), ("abalone", "abalone_canned")),
    BoothSeed("shapu-kelp", "Dried seafood",
              "采收加工海带：盐渍海带结和海带丝、淡干海带以及即食调味海带沙拉，通过 HACCP 认证，"
              "出口韩国、日本和东南亚。",
              ("KR", "JP", "TH", "VN"), 1999, 120, 8000, 1500,
              ("HACCP",), ("kelp",), currency="CNY"),
    BoothSeed("gangtou-crab", "Frozen shrimp",
              "从东海渔船收购三疣梭子蟹，供应整只冷冻蟹、切蟹和巴氏杀菌蟹肉（大块、块肉、钳肉），"
              "销往美国、韩国和日本。",
              ("US", "KR", "JP"), 2005, 260, 3000, 2500,
              ("HACCP", "FDA", "BRC"), ("swimming_crab", "crab_meat")),
    BoothSeed("jiangjing-oyster", "Canned seafood",
              "养殖福建牡蛎，出口半壳冷冻牡蛎、单冻牡蛎肉和生晒蚝干，通过 HACCP 认证，市场为韩国、"
              "马来西亚和中东。",
              ("KR", "MY", "AE", "SG"), 2011, 170, 3000, 1200,
              ("HACCP", "HALAL"), ("oyster",)),
    BoothSeed("chengtou-fisheries", "Fish fillets",
              "拥有自有拖网渔船和冷库，船上速冻带鱼、银鲳、大黄鱼和鲐鱼，块冻或单冻，销往非洲、"
              "东南亚和中东。",
              ("NG", "GH", "EG", "MY", "PH", "AE"), 1993, 410, 22000, 12000,
              ("HACCP", "HALAL", "EU"), ("hairtail", "pomfret", "chub_mackerel", "squid_cuts")),
    BoothSeed("honglu-sauces", "Canned seafood",
              "酿造蚝油、鱼露，调配 XO 酱和海鲜火锅底料，瓶装、袋装及餐饮桶装，欢迎贴牌，出口"
              "东南亚、美国和欧洲。",
              ("TH", "MY", "US", "GB", "NL"), 2000, 230, 12000, None,
              ("HACCP", "ISO22000", "HALAL"), ("sauces",), currency="CNY"),
    BoothSeed("yinxi-dimsum", "Surimi",
              "为海外中餐连锁和超市生产速冻虾饺、烧卖、海鲜水饺和春卷，日产点心约 40 吨，通过 BRC "
              "认证。",
              ("US", "CA", "GB", "AU", "NL"), 2012, 480, 12000, 3000,
              ("HACCP", "BRC", "FDA"), ("dim_sum",)),
    BoothSeed("longshan-fillets", "Fish fillets",
              "将狭鳕和太平洋鳕解冻加工成无骨鱼块、鱼片冻块和裹粉鱼条，通过 MSC 产销监管链和 BRC "
              "认证，客户为德国、荷兰和英国加工商。",
              ("DE", "NL", "GB", "PL", "FR"), 2006, 650, 20000, 9000,
              ("HACCP", "BRC", "MSC", "IFS"), ("pollock_fillet", "cod_loin", "fish_fingers")),
    BoothSeed("jingyang-vegetables", "Surimi",
              "在合同基地种植毛豆、西兰花、四季豆、芋头和甜玉米，单冻后供应零售或餐饮包装，通过"
              "全球良好农业规范和 BRC 认证，销往日本、欧洲和美国。",
              ("JP", "DE", "NL", "US", "GB"), 2004, 300, 30000, 6000,
              ("GLOBALGAP", "BRC", "HACCP"), ("vegetables",)),
    BoothSeed("yidu-loquat", "Canned seafood",
              "与福清枇杷之乡一都镇果农合作：当季鲜枇杷，以及全年供应的枇杷罐头、枇杷果酱和枇杷叶茶，"
              "出口新加坡、马来西亚和荷兰。",
              ("SG", "MY", "NL"), 2013, 60, 1500, None,
              ("HACCP", "ORGANIC"), ("loquat",), currency="CNY"),
    BoothSeed("nanling-sea-cucumber", "Dried seafood",
              "在福建温暖海域越冬养殖刺参，销售淡干、盐渍和冷冻即食海参，按批次可追溯，主要买家在"
              "香港、新加坡和美国。",
              ("HK", "SG", "US", "CA"), 2010, 90, 200, 300,
              ("HACCP", "GACC"), ("sea_cucumber",), currency="CNY"),
    BoothSeed("donghan-shellfish", "Canned seafood",
              "净化加工菲律宾蛤仔、缢蛏和泥蚶：鲜活、全壳真空冷冻及单冻贝肉，通过 HACCP 认证，出口"
              "韩国、日本、西班牙和意大利。",
              ("KR", "JP", "ES", "IT"), 2003, 280, 9000, 3000,
              ("HACCP", "BRC", "EU"), ("clam", "razor_clam", "blood_cockle")),
    BoothSeed("jiangyin-port-cold-chain", "Frozen shrimp",
              "在江阴港运营 3 万吨冷库并从事冷冻水产贸易：为福清工厂拼柜、办理出口检验并订舱发往"
              "任意港口。",
              ("US", "ES", "NG", "AE", "RU", "BR"), 2014, 150, 40000, 30000,
              ("HACCP", "ISO22000", "FDA"),
              ("chub_mackerel", "squid_cuts", "vannamei_hlso", "hairtail", "pomfret")),
    BoothSeed("dongge-snacks", "Dried seafood",
              "生产手撕鱿鱼丝、烤鱼片、鱼皮脆和香辣小鱼仔等零食袋装产品，供应便利店和亚洲超市，"
              "通过 HACCP 和清真认证。",
              ("MY", "SG", "ID", "US", "AU"), 2015, 200, 2400, None,
              ("HACCP", "HALAL"), ("snacks",), currency="CNY"),
    BoothSeed("yuxi-anchovy", "Dried seafood",
              "上岸数小时内蒸煮晒干鳀鱼和虾皮，按规格分级，5 公斤和 10 公斤箱装，销往韩国、日本和"
              "东南亚。",
              ("KR", "JP", "TH", "VN", "MY"), 2000, 110, 3000, 800,
              ("HACCP", "FDA"), ("anchovy", "dried_shrimp", "dried_squid")),
    BoothSeed("longtian-crayfish", "Frozen shrimp",
              "将长江沿岸养殖的小龙虾制成麻辣、蒜香、十三香整只熟冻虾及原味虾尾肉，通过 BRC 认证，"
              "销往欧洲、澳大利亚和美国。",
              ("SE", "DE", "AU", "US", "NL"), 2016, 350, 6000, 2500,
              ("HACCP", "BRC", "FDA"), ("crayfish_cooked", "crayfish_tail")),
    BoothSeed("sanshan-croaker", "Fish fillets",
              "深海网箱养殖大黄鱼，销售冰鲜、整条冷冻、开背及盐渍产品，从网箱到纸箱全程可追溯，销往"
              "韩国、东南亚及全球中餐馆。",
              ("KR", "SG", "MY", "US", "AU"), 2008, 240, 7000, 2000,
              ("HACCP", "ASC", "GACC"), ("croaker_whole", "croaker_butterfly", "fish_maw")),
    BoothSeed("xincuo-refrigeration", "Processing equipment",
              "为渔港和水产加工厂制造平板冻结机、片冰机和组装式冷库，配远程温度监控，产品通过 CE "
              "认证，已在 30 多个国家安装。",
              ("VN", "ID", "MY", "EC", "PE", "NG"), 2005, 210, 0, None,
              ("ISO9001",), ("freezers",), currency="CNY"),
    BoothSeed("yangxia-prawn-crackers", "Surimi",
              "以虾肉和木薯淀粉制作生虾片，原色或彩色，供家庭油炸，为欧洲、非洲和中东进口商贴牌"
              "生产。",
              ("NL", "GB", "FR", "NG", "AE"), 1997, 130, 2000, None,
              ("HACCP", "BRC", "HALAL"), ("prawn_crackers",)),
    BoothSeed("gangtou-mussel", "Canned seafood",
              "延绳养殖贻贝，销售半壳冷冻贻贝、真空包装熟冻整贝和单冻贻贝肉，通过 HACCP 认证，出口"
              "西班牙、智利和东南亚。",
              ("ES", "CL", "TH", "VN", "PH"), 2009, 180, 6000, 1500,
              ("HACCP", "BRC", "EU"), ("mussel",)),
)

# --- certificates -------------------------------------------------------------------------------

CERTIFICATE_ISSUERS = {
    "HACCP": "China Quality Certification Centre",
    "BRC": "SGS",
    "IFS": "Bureau Veritas",
    "MSC": "Control Union",
    "ASC": "Control Union",
    "BAP": "Global Seafood Alliance",
    "FDA": "U.S. Food and Drug Administration",
    "HALAL": "China Islamic Association",
    "GLOBALGAP": "Intertek",
    "ORGANIC": "Ecocert",
    "ISO9001": "TÜV SÜD",
    "ISO14001": "TÜV SÜD",
    "ISO22000": "DNV",
    "EU": "GACC / European Commission",
    "GACC": "General Administration of Customs of China",
}


def certificate_number(scheme: str, no: int) -> str:
    """A made-up number in the scheme's usual shape; ``no`` makes it unique per company."""
    shapes = {
        "HACCP": f"CQC-HACCP-{23 + no % 3}-{4100 + no * 7:05d}",
        "BRC": f"{1400000 + no * 3571}",  # BRCGS site codes: seven digits
        "IFS": f"COID {51000 + no * 13}",
        "MSC": f"MSC-C-{56000 + no * 11}",
        "ASC": f"ASC-C-{2100 + no * 17:05d}",
        "BAP": f"P{10400 + no * 23}",
        "FDA": f"1{(no * 982451653) % 10**10:010d}",  # eleven digits
        "HALAL": f"CIA-HL-{no:04d}",
        "GLOBALGAP": f"4063061{(no * 7919) % 10**6:06d}",  # a GGN: thirteen digits
        "ORGANIC": f"CN-BIO-{140 + no}",
        "ISO9001": f"12 100 {60000 + no * 31}",
        "ISO14001": f"12 104 {60000 + no * 29}",
        "ISO22000": f"FSM-{no:04d}-2023",
        "EU": f"3500/02{no:03d}",
        "GACC": f"CFJ3500{no:04d}",
    }
    return shapes[scheme]


# Certifications a product can claim (the catalog's vocabulary), from its booth's list.
PRODUCT_SCHEMES = frozenset({"HACCP", "BRC", "IFS", "MSC", "ASC", "BAP", "FDA", "HALAL",
                             "GLOBALGAP", "ORGANIC", "ISO22000", "EU", "GACC"})

# Where CFR/CIF shipments go, by export market: named on every seafood product.
DESTINATION_PORTS = {
    "ES": "Valencia", "US": "Long Beach", "JP": "Tokyo", "KR": "Busan", "IT": "Salerno",
    "FR": "Le Havre", "DE": "Hamburg", "NL": "Rotterdam", "GB": "Felixstowe", "PL": "Gdynia",
    "PT": "Leixões", "GR": "Piraeus", "SE": "Gothenburg", "TH": "Laem Chabang",
    "MY": "Port Klang", "SG": "Singapore", "PH": "Manila", "VN": "Ho Chi Minh City",
    "ID": "Jakarta", "AU": "Sydney", "CA": "Vancouver", "MX": "Manzanillo", "CL": "San Antonio",
    "BR": "Santos", "AE": "Jebel Ali", "SA": "Jeddah", "IL": "Haifa", "EG": "Alexandria",
    "NG": "Lagos (Apapa)", "GH": "Tema", "HK": "Hong Kong", "RU": "Vladivostok",
    "EC": "Guayaquil", "IN": "Nhava Sheva", "PE": "Callao",
}

# Prices are set in US dollars; suppliers that quote in yuan use this rate (rounded prices).
CNY_PER_USD = Decimal("7.2")

PORTS_ZH = {"Fuzhou": "福州", "Xiamen": "厦门"}
# Schemes that certify a fishery or a farm, not a factory: a product claims them only for the
# species they can cover (a pollock fillet can be MSC; a tilapia fillet cannot).
MSC_SPECIES = frozenset({"Gadus chalcogrammus", "Gadus macrocephalus"})
FARMED_SPECIES = frozenset({"Litopenaeus vannamei", "Penaeus monodon", "Oreochromis niloticus",
                            "Larimichthys crocea", "Procambarus clarkii"})
EQUIPMENT = frozenset({"processing_equipment", "cold_chain_equipment"})
TIER_STEPS = ((1, Decimal("1")), (2, Decimal("0.97")), (5, Decimal("0.94")))


def _price(value: Decimal, currency: str) -> Decimal:
    amount = value * CNY_PER_USD if currency == "CNY" else value
    step = Decimal("1") if amount >= 1000 else Decimal("0.01")
    return amount.quantize(step)


def _claims(booth: BoothSeed, line: Line) -> list[str]:
    claims = []
    for scheme in booth.certifications:
        if scheme not in PRODUCT_SCHEMES:
            continue
        if scheme == "MSC" and line.latin_name not in MSC_SPECIES:
            continue
        if scheme in ("ASC", "BAP") and line.latin_name not in FARMED_SPECIES:
            continue
        claims.append(scheme)
    if line.category in EQUIPMENT:
        claims.append("CE")
    return claims


def products_of(booth: BoothSeed) -> list[dict[str, object]]:
    """The booth's catalog: every line × grade × style as a ``ProductCreate`` body."""
    destinations = [DESTINATION_PORTS[m] for m in booth.markets if m in DESTINATION_PORTS]
    ports = ", ".join(destinations[:4])
    equipment = False
    products: list[dict[str, object]] = []
    for key in booth.lines:
        line = LINES[key]
        equipment = line.category in EQUIPMENT
        incoterms = ["EXW", "FOB", "CIF"] if equipment else ["FOB", "CFR", "CIF"]
        for grade in line.grades:
            for style in line.styles or (Grade("", ""),):
                name = line.name.format(grade=grade.label)
                name_zh = line.name_zh.format(grade=grade.label_zh)
                if style.label:
                    name = f"{name}, {style.label}"
                    name_zh = f"{name_zh} {style.label_zh}"
                specs = [{"key": k, "value": v.format(grade=grade.label)} for k, v in line.specs]
                if style.label:
                    specs.insert(1, {"key": line.style_key, "value": style.label})
                if ports and not equipment:
                    specs.append({"key": "CFR/CIF ports", "value": ports})
                price = _price(line.price_usd * grade.factor * style.factor, booth.currency)
                process = line.process + (f", {style.label}" if style.label else "")
                what = (
                    f"{line.species} ({line.latin_name}), {process}" if line.species
                    else process[:1].upper() + process[1:]
                )
                description = (
                    what
                    + f". Made in Fuqing, Fujian; shipped FOB {booth.port}"
                    + ("" if equipment else " or CFR/CIF" + (f" to {ports}" if ports else ""))
                    + f". Lead time {line.lead_time_days} days."
                )
                description_zh = (
                    f"{line.process_zh}" + (f"，{style.label_zh}" if style.label else "")
                    + "。福清生产，"
                    f"{PORTS_ZH.get(booth.port, booth.port)}港 FOB 出运"
                    + ("" if equipment else "，亦可报 CFR/CIF 价")
                    + f"。交货期 {line.lead_time_days} 天。"
                )
                products.append({
                    "name": name,
                    "name_zh": name_zh,
                    "description": description,
                    "description_zh": description_zh,
                    "category": line.category,
                    "hs_code": line.hs_code,
                    "species": line.species,
                    "latin_name": line.latin_name,
                    "specifications": specs,
                    "unit": line.unit,
                    "moq": str(line.moq),
                    "price_tiers": [
                        {"min_quantity": str(line.moq * times),
                         "unit_price": str(_price(price * discount, "USD"))}
                        for times, discount in TIER_STEPS
                    ],
                    "currency": booth.currency,
                    "incoterms": incoterms,
                    "port_of_loading": booth.port,
                    "lead_time_days": line.lead_time_days,
                    "monthly_capacity": str(max(line.capacity, line.moq)),
                    "certifications": _claims(booth, line),
                    "origin_country": "CN",
                    "origin_region": "Fujian",
                })
    return products
