"""Seafood trade vocabulary the catalog generator combines into realistic products.

Codes (categories, certifications, incoterms, units, currencies) are the ones the catalog
stores (app/catalog/reference.py); names, Latin names and HS headings are real.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Hall:
    name: str
    name_zh: str
    weight: float
    """Share of the suppliers exhibiting in this hall."""


HALLS: tuple[Hall, ...] = (
    Hall("Frozen shrimp", "冷冻虾馆", 0.26),
    Hall("Fish fillets", "鱼片馆", 0.20),
    Hall("Dried seafood", "干海产品馆", 0.16),
    Hall("Surimi", "鱼糜制品馆", 0.14),
    Hall("Canned seafood", "水产罐头馆", 0.14),
    Hall("Processing equipment", "加工设备馆", 0.10),
)


@dataclass(frozen=True, slots=True)
class Family:
    """A kind of product: one species (or machine) in one category, and how it is sold."""

    hall: int
    en: str
    zh: str
    latin: str
    category: str
    hs_code: str
    farmed: bool | None
    """True farmed, False wild-caught, None not a living thing (equipment, packaging)."""
    forms: tuple[tuple[str, str], ...]
    sizes: tuple[str, ...]
    unit: str
    usd: tuple[float, float]
    """Price range per unit in USD."""
    origins: tuple[tuple[str, float], ...] = (("CN", 1.0),)


SHRIMP_FORMS = (
    ("HLSO", "去头带壳"), ("PD", "去壳去肠线"), ("PUD", "去壳虾仁"), ("PDTO", "留尾虾仁"),
    ("Cooked PD", "熟虾仁"), ("Butterfly", "蝴蝶虾"), ("HOSO", "带头带壳"),
    ("Nobashi", "拉长虾"),
)
SHRIMP_SIZES = ("16/20", "21/25", "26/30", "31/40", "41/50", "51/60", "61/70", "71/90",
                "91/120")
FISH_FORMS = (
    ("Skinless Boneless Fillets", "去皮去骨鱼片"), ("Skin-on Fillets", "带皮鱼片"),
    ("Portions", "鱼块"), ("Loins", "鱼柳"), ("Whole Round", "整条"),
    ("Gutted and Scaled", "去鳞去内脏"), ("Steaks", "鱼段"),
)
FISH_SIZES = ("100-200g", "200-300g", "300-500g", "500-800g", "800g up", "1-2kg", "2-4kg")
SQUID_FORMS = (
    ("Tubes", "鱿鱼筒"), ("Rings", "鱿鱼圈"), ("Tentacles", "鱿鱼须"),
    ("Flower-cut", "鱿鱼花"), ("Whole Cleaned", "去脏整只"), ("Fillets", "鱿鱼片"),
)
SHELL_FORMS = (("Meat", "肉"), ("Half Shell", "半壳"), ("Whole", "全壳"), ("Roe-on", "带籽"))
DRIED_FORMS = (("Sun-dried", "日晒"), ("Salted Dried", "盐干"), ("Light-dried", "淡干"),
               ("Shredded", "丝"))
SURIMI_FORMS = (("Frozen", "冷冻"), ("Ready-to-cook", "即烹"), ("Hotpot", "火锅"),
                ("Steamed", "蒸制"))
CANNED_FORMS = (("in Brine", "盐水"), ("in Oil", "油浸"), ("in Tomato Sauce", "茄汁"),
                ("in Chili Oil", "辣味"))
MACHINE_FORMS = (("Automatic", "全自动"), ("Semi-automatic", "半自动"),
                 ("Stainless Steel", "不锈钢"), ("Continuous", "连续式"))

_CHINA_MAINLY = (("CN", 0.9), ("VN", 0.05), ("ID", 0.05))

FAMILIES: tuple[Family, ...] = (
    # Frozen shrimp hall
    Family(0, "Vannamei White Shrimp", "南美白对虾", "Litopenaeus vannamei", "frozen_shrimp",
           "03061792", True, SHRIMP_FORMS, SHRIMP_SIZES, "kg", (4.5, 9.0),
           (("CN", 0.7), ("EC", 0.15), ("IN", 0.08), ("VN", 0.07))),
    Family(0, "Black Tiger Shrimp", "黑虎虾", "Penaeus monodon", "frozen_shrimp", "03061792",
           True, SHRIMP_FORMS, SHRIMP_SIZES, "kg", (8.0, 15.0),
           (("CN", 0.5), ("VN", 0.25), ("ID", 0.15), ("IN", 0.1))),
    Family(0, "Argentine Red Shrimp", "阿根廷红虾", "Pleoticus muelleri", "frozen_shrimp",
           "03061791", False, SHRIMP_FORMS, ("L1", "L2", "L3", "C1", "C2"), "kg", (7.0, 12.0),
           (("AR", 0.7), ("CN", 0.3))),
    Family(0, "Northern Prawn", "北极甜虾", "Pandalus borealis", "frozen_shrimp", "03061690",
           False, SHRIMP_FORMS, ("70/90", "90/120", "120/150", "150/250"), "kg", (6.0, 11.0),
           (("CA", 0.4), ("GL", 0.2), ("CN", 0.4))),
    Family(0, "Chinese White Shrimp", "中国对虾", "Fenneropenaeus chinensis", "frozen_shrimp",
           "03061792", False, SHRIMP_FORMS, SHRIMP_SIZES, "kg", (9.0, 16.0)),
    Family(0, "Kuruma Prawn", "日本对虾", "Marsupenaeus japonicus", "frozen_shrimp",
           "03061792", True, SHRIMP_FORMS, SHRIMP_SIZES, "kg", (15.0, 25.0)),
    Family(0, "Red Swamp Crayfish", "小龙虾", "Procambarus clarkii", "frozen_shrimp",
           "03061990", True, (("Whole Cooked", "熟整虾"), ("Tail Meat", "虾尾肉"),
                              ("Spicy Whole", "麻辣整虾")), ("4-6 pcs/500g", "6-8 pcs/500g",
                                                              "20-30 pcs/kg"), "kg",
           (5.0, 10.0)),
    Family(0, "Giant River Prawn", "罗氏沼虾", "Macrobrachium rosenbergii", "frozen_shrimp",
           "03061792", True, SHRIMP_FORMS, SHRIMP_SIZES, "kg", (7.0, 12.0), _CHINA_MAINLY),
    Family(0, "Breaded Shrimp", "裹粉虾", "Litopenaeus vannamei", "prepared_seafood",
           "16052900", True, (("Butterfly", "蝴蝶"), ("Tempura", "天妇罗"),
                              ("Popcorn", "爆米花")), ("21/25", "26/30", "31/40"), "kg",
           (6.0, 10.0)),
    # Fish fillets hall
    Family(1, "Tilapia", "罗非鱼", "Oreochromis niloticus", "fish_fillets", "03046100", True,
           FISH_FORMS, FISH_SIZES, "kg", (3.0, 5.0)),
    Family(1, "Alaska Pollock", "阿拉斯加狭鳕", "Gadus chalcogrammus", "fish_fillets",
           "03047500", False, FISH_FORMS, FISH_SIZES, "kg", (2.8, 4.5),
           (("CN", 0.6), ("RU", 0.3), ("US", 0.1))),
    Family(1, "Pacific Cod", "太平洋鳕鱼", "Gadus macrocephalus", "fish_fillets", "03047100",
           False, FISH_FORMS, FISH_SIZES, "kg", (5.0, 9.0),
           (("CN", 0.5), ("RU", 0.3), ("US", 0.2))),
    Family(1, "Atlantic Salmon", "大西洋鲑", "Salmo salar", "fish_fillets", "03048100", True,
           FISH_FORMS, FISH_SIZES, "kg", (9.0, 16.0), (("NO", 0.5), ("CL", 0.3), ("CN", 0.2))),
    Family(1, "Large Yellow Croaker", "大黄鱼", "Larimichthys crocea", "whole_fish",
           "03038990", True, FISH_FORMS, FISH_SIZES, "kg", (4.0, 8.0)),
    Family(1, "Pangasius", "巴沙鱼", "Pangasianodon hypophthalmus", "fish_fillets",
           "03046200", True, FISH_FORMS, FISH_SIZES, "kg", (2.0, 3.5), (("VN", 0.8),
                                                                      ("CN", 0.2))),
    Family(1, "Chub Mackerel", "鲐鱼", "Scomber japonicus", "whole_fish", "03035400", False,
           FISH_FORMS, FISH_SIZES, "kg", (1.5, 2.5)),
    Family(1, "Largehead Hairtail", "带鱼", "Trichiurus lepturus", "whole_fish", "03038990",
           False, FISH_FORMS, FISH_SIZES, "kg", (2.0, 4.0)),
    Family(1, "Silver Pomfret", "银鲳", "Pampus argenteus", "whole_fish", "03038990", False,
           FISH_FORMS, FISH_SIZES, "kg", (4.0, 9.0)),
    Family(1, "Yellowfin Tuna", "黄鳍金枪鱼", "Thunnus albacares", "fish_fillets",
           "03048700", False, FISH_FORMS, FISH_SIZES, "kg", (8.0, 15.0),
           (("CN", 0.5), ("ID", 0.3), ("VN", 0.2))),
    Family(1, "Jumbo Flying Squid", "美洲大赤鱿", "Dosidicus gigas", "cephalopods",
           "03074390", False, SQUID_FORMS, ("100-200g", "200-500g", "500g-1kg", "1kg up"),
           "kg", (2.0, 4.0), (("CN", 0.6), ("PE", 0.3), ("CL", 0.1))),
    Family(1, "Argentine Shortfin Squid", "阿根廷鱿鱼", "Illex argentinus", "cephalopods",
           "03074390", False, SQUID_FORMS, ("100-150g", "150-200g", "200-300g"), "kg",
           (2.5, 4.5), (("AR", 0.5), ("CN", 0.5))),
    Family(1, "Common Octopus", "章鱼", "Octopus vulgaris", "cephalopods", "03075200", False,
           SQUID_FORMS, ("T4", "T5", "T6", "T8"), "kg", (7.0, 12.0)),
    Family(1, "Pharaoh Cuttlefish", "墨鱼", "Sepia pharaonis", "cephalopods", "03074390",
           False, SQUID_FORMS, ("U1", "U2", "U3", "U5"), "kg", (4.0, 7.0)),
    Family(1, "Yesso Scallop", "虾夷扇贝", "Patinopecten yessoensis", "shellfish",
           "03072200", True, SHELL_FORMS, ("10/20", "20/30", "30/40", "40/60"), "kg",
           (8.0, 20.0)),
    Family(1, "Pacific Oyster", "太平洋牡蛎", "Crassostrea gigas", "shellfish", "03071200",
           True, SHELL_FORMS, ("S", "M", "L", "XL"), "kg", (3.0, 7.0)),
    Family(1, "Manila Clam", "菲律宾蛤仔", "Ruditapes philippinarum", "shellfish", "03077200",
           True, SHELL_FORMS, ("40-60 pcs/kg", "60-80 pcs/kg", "80-100 pcs/kg"), "kg",
           (1.5, 3.0)),
    Family(1, "Swimming Crab", "梭子蟹", "Portunus trituberculatus", "crabs_lobsters",
           "03061490", False, (("Whole Cooked", "熟整蟹"), ("Cut", "切块"),
                               ("Meat", "蟹肉")), ("100-150g", "150-200g", "200g up"), "kg",
           (5.0, 10.0)),
    # Dried seafood hall
    Family(2, "Dried Shrimp", "虾米", "Acetes chinensis", "dried_seafood", "03069590", False,
           DRIED_FORMS, ("S", "M", "L"), "kg", (12.0, 25.0)),
    Family(2, "Dried Baby Shrimp", "虾皮", "Acetes chinensis", "dried_seafood", "03069590",
           False, DRIED_FORMS, ("fine", "standard"), "kg", (6.0, 12.0)),
    Family(2, "Dried Squid", "鱿鱼干", "Todarodes pacificus", "dried_seafood", "03074990",
           False, DRIED_FORMS, ("S", "M", "L", "XL"), "kg", (15.0, 30.0)),
    Family(2, "Dried Scallop", "干贝", "Patinopecten yessoensis", "dried_seafood", "03072900",
           True, DRIED_FORMS, ("S", "M", "L"), "kg", (40.0, 90.0)),
    Family(2, "Dried Sea Cucumber", "淡干海参", "Apostichopus japonicus", "dried_seafood",
           "03083900", True, DRIED_FORMS, ("20-30 pcs/500g", "30-40 pcs/500g",
                                           "40-60 pcs/500g"), "kg", (150.0, 450.0)),
    Family(2, "Dried Anchovy", "鳀鱼干", "Engraulis japonicus", "dried_seafood", "03055990",
           False, DRIED_FORMS, ("1-2cm", "2-3cm", "3-5cm"), "kg", (4.0, 9.0)),
    Family(2, "Dried Laver", "紫菜", "Pyropia haitanensis", "seaweed", "12122190", True,
           (("Sheets", "片"), ("Cakes", "饼"), ("Seasoned", "调味")), ("10 sheets",
                                                                       "50 sheets",
                                                                       "100g cake"),
           "kg", (8.0, 20.0)),
    Family(2, "Dried Kelp", "海带", "Saccharina japonica", "seaweed", "12122190", True,
           (("Knots", "结"), ("Shreds", "丝"), ("Cut Pieces", "片")), ("5kg bag", "10kg bag"),
           "kg", (1.2, 3.0)),
    Family(2, "Fish Maw", "花胶", "Nibea japonica", "dried_seafood", "05119190", False,
           DRIED_FORMS, ("S", "M", "L"), "kg", (60.0, 200.0)),
    # Surimi hall
    Family(3, "Fish Balls", "鱼丸", "Nemipterus virgatus", "surimi", "16042090", False,
           SURIMI_FORMS, ("8g", "12g", "20g"), "kg", (2.0, 4.0)),
    Family(3, "Crab Sticks", "蟹棒", "Gadus chalcogrammus", "surimi", "16042090", False,
           SURIMI_FORMS, ("8cm", "12cm", "shredded"), "kg", (2.2, 4.5)),
    Family(3, "Fish Tofu", "鱼豆腐", "Nemipterus virgatus", "surimi", "16042090", False,
           SURIMI_FORMS, ("15g", "25g"), "kg", (2.0, 3.8)),
    Family(3, "Shrimp Balls", "虾丸", "Litopenaeus vannamei", "surimi", "16052900", True,
           SURIMI_FORMS, ("10g", "15g"), "kg", (4.0, 7.0)),
    Family(3, "Surimi Block", "冷冻鱼糜", "Nemipterus virgatus", "surimi", "03049900", False,
           (("Grade AAA", "AAA级"), ("Grade AA", "AA级"), ("Grade A", "A级")),
           ("10kg block", "20kg block"), "kg", (1.8, 3.5), (("CN", 0.6), ("VN", 0.2),
                                                             ("IN", 0.2))),
    # Canned seafood hall
    Family(4, "Canned Skipjack Tuna", "金枪鱼罐头", "Katsuwonus pelamis", "canned_seafood",
           "16041410", False, CANNED_FORMS, ("185g x 48", "1.88kg x 6", "170g x 48"),
           "carton", (24.0, 45.0)),
    Family(4, "Canned Sardines", "沙丁鱼罐头", "Sardinops sagax", "canned_seafood",
           "16041300", False, CANNED_FORMS, ("125g x 50", "155g x 50", "425g x 24"),
           "carton", (14.0, 26.0)),
    Family(4, "Canned Mackerel", "鲭鱼罐头", "Scomber japonicus", "canned_seafood",
           "16041500", False, CANNED_FORMS, ("155g x 50", "425g x 24"), "carton",
           (15.0, 28.0)),
    Family(4, "Canned Clams", "蛤蜊罐头", "Meretrix meretrix", "canned_seafood", "16055600",
           True, CANNED_FORMS, ("185g x 48", "290g x 24"), "carton", (20.0, 38.0)),
    Family(4, "Canned Abalone", "鲍鱼罐头", "Haliotis discus hannai", "canned_seafood",
           "16055700", True, CANNED_FORMS, ("425g x 24", "2 pcs x 24", "5 pcs x 24"),
           "carton", (90.0, 260.0)),
    Family(4, "Canned Crab Meat", "蟹肉罐头", "Portunus pelagicus", "canned_seafood",
           "16051000", False, CANNED_FORMS, ("170g x 48", "454g x 12"), "carton",
           (60.0, 140.0)),
    # Processing equipment hall
    Family(5, "Shrimp Peeling Machine", "剥虾机", "", "processing_equipment", "84388000",
           None, MACHINE_FORMS, ("200 kg/h", "500 kg/h", "1 t/h"), "set", (6000.0, 45000.0)),
    Family(5, "IQF Tunnel Freezer", "单冻速冻隧道", "", "cold_chain_equipment", "84186990",
           None, MACHINE_FORMS, ("300 kg/h", "500 kg/h", "1 t/h", "2 t/h"), "set",
           (25000.0, 160000.0)),
    Family(5, "Shrimp Grading Machine", "虾分级机", "", "processing_equipment", "84388000",
           None, MACHINE_FORMS, ("5 grades", "7 grades"), "set", (3000.0, 15000.0)),
    Family(5, "Fish Filleting Machine", "鱼片机", "", "processing_equipment", "84388000",
           None, MACHINE_FORMS, ("30 fish/min", "60 fish/min"), "set", (8000.0, 60000.0)),
    Family(5, "Vacuum Packaging Machine", "真空包装机", "", "processing_equipment",
           "84224000", None, MACHINE_FORMS, ("single chamber", "double chamber"), "set",
           (1500.0, 12000.0)),
    Family(5, "Plate Freezer", "平板速冻机", "", "cold_chain_equipment", "84186990", None,
           MACHINE_FORMS, ("500 kg/batch", "1 t/batch"), "set", (9000.0, 40000.0)),
    Family(5, "Flake Ice Machine", "片冰机", "", "cold_chain_equipment", "84186990", None,
           MACHINE_FORMS, ("3 t/day", "10 t/day", "20 t/day"), "set", (2500.0, 20000.0)),
    Family(5, "Fish Scaling Machine", "去鳞机", "", "processing_equipment", "84388000", None,
           MACHINE_FORMS, ("300 kg/h", "800 kg/h"), "set", (1200.0, 8000.0)),
)

PROCESSING = (("IQF", "单冻"), ("Block Frozen", "块冻"), ("Semi-IQF", "半单冻"))
PACKING = ("1kg x 10 bags/carton", "2kg x 6 blocks/carton", "500g x 20 bags/carton",
           "10kg bulk carton", "400g x 24 trays/carton")
PORTS = (("Fuzhou", 0.45), ("Xiamen", 0.3), ("Qingdao", 0.08), ("Dalian", 0.05),
         ("Zhanjiang", 0.05), ("Ningbo", 0.04), ("Shanghai", 0.03))
REGIONS_CN = ("Fuqing, Fujian", "Lianjiang, Fujian", "Zhangzhou, Fujian", "Ningde, Fujian",
              "Zhanjiang, Guangdong", "Rongcheng, Shandong", "Zhoushan, Zhejiang",
              "Dalian, Liaoning")

INCOTERM_ODDS = (("FOB", 0.85), ("CFR", 0.5), ("CIF", 0.45), ("EXW", 0.15), ("FCA", 0.1),
                 ("DAP", 0.05), ("DDP", 0.03))
CURRENCIES = (("USD", 0.7, 1.0), ("CNY", 0.22, 7.1), ("EUR", 0.08, 0.92))
"""(code, share of products, units per USD)."""

FOOD_CERT_ODDS = (("HACCP", 0.78), ("BRC", 0.3), ("IFS", 0.12), ("FDA", 0.42),
                  ("EU_APPROVED", 0.26), ("HALAL", 0.1), ("ISO22000", 0.15), ("KOSHER", 0.03))
WILD_CERT_ODDS = (("MSC", 0.35),)
FARMED_CERT_ODDS = (("ASC", 0.3), ("BAP", 0.22), ("GLOBALGAP", 0.08))
EQUIPMENT_CERT_ODDS = (("CE", 0.7), ("ISO9001", 0.4))

COMPANY_PLACES = ("Fuqing", "Fuzhou", "Xiamen", "Zhangzhou", "Ningde", "Putian", "Lianjiang",
                  "Pingtan", "Quanzhou", "Zhanjiang", "Qingdao", "Dalian", "Zhoushan",
                  "Rongcheng", "Yantai")
COMPANY_WORDS = ("Ocean", "Blue Bay", "Golden Harvest", "Sea Treasure", "Hongxiang",
                 "Haixin", "Minhai", "Jiangyin", "Long Sheng", "Xinhai", "Yuanfeng",
                 "Tianyi", "Huasheng", "Jinlong", "Ruifeng", "Dongfang", "Haifeng",
                 "Baoli", "Zhongxin", "Anhai")
COMPANY_KINDS = ("Aquatic Products Co., Ltd.", "Foods Co., Ltd.", "Seafood Co., Ltd.",
                 "Marine Products Co., Ltd.", "Import & Export Co., Ltd.",
                 "Machinery Co., Ltd.")
