"""The trade vocabularies products are described with, and the checks for each.

Every code here is stored as is in the database and appears in the API, CSV files and search
facets, so codes never change once released; labels (English and Chinese) may be improved.
Other domains (booths, search, pages, the demo seed) read these lists from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel import Locale
from babel.numbers import get_territory_currencies


@dataclass(frozen=True, slots=True)
class Term:
    code: str
    label: str
    label_zh: str


# A seafood and food trade taxonomy: the halls of a Fuqing seafood expo and what they sell.
CATEGORIES: tuple[Term, ...] = (
    Term("frozen_shrimp", "Frozen shrimp and prawns", "冷冻虾类"),
    Term("fish_fillets", "Fish fillets and portions", "鱼片及鱼块"),
    Term("whole_fish", "Whole fish (frozen or chilled)", "整鱼（冷冻或冰鲜）"),
    Term("cephalopods", "Squid, octopus and cuttlefish", "头足类（鱿鱼、章鱼、墨鱼）"),
    Term("shellfish", "Shellfish and bivalves", "贝类"),
    Term("crabs_lobsters", "Crabs and lobsters", "蟹类及龙虾"),
    Term("dried_seafood", "Dried seafood", "干海产品"),
    Term("surimi", "Surimi and surimi products", "鱼糜及鱼糜制品"),
    Term("canned_seafood", "Canned seafood", "水产罐头"),
    Term("fish_roe", "Fish roe and caviar", "鱼籽"),
    Term("seaweed", "Seaweed and algae", "海藻类"),
    Term("live_seafood", "Live seafood", "鲜活水产"),
    Term("prepared_seafood", "Breaded and prepared seafood", "裹粉及调理水产品"),
    Term("fishmeal_feed", "Fishmeal and aquafeed", "鱼粉及水产饲料"),
    Term("processed_food", "Processed food", "加工食品"),
    Term("frozen_vegetables", "Frozen vegetables and fruit", "速冻果蔬"),
    Term("seasonings", "Sauces and seasonings", "调味品"),
    Term("packaging", "Packaging materials", "包装材料"),
    Term("processing_equipment", "Processing equipment", "加工设备"),
    Term("cold_chain_equipment", "Cold chain and refrigeration", "冷链及制冷设备"),
    Term("other", "Other", "其他"),
)

# Incoterms 2020: the eleven rules. Sea-only rules name a port of shipment (FAS, FOB) or of
# destination (CFR, CIF); the others name a place.
INCOTERMS: tuple[Term, ...] = (
    Term("EXW", "Ex Works", "工厂交货"),
    Term("FCA", "Free Carrier", "货交承运人"),
    Term("CPT", "Carriage Paid To", "运费付至"),
    Term("CIP", "Carriage and Insurance Paid To", "运费和保险费付至"),
    Term("DAP", "Delivered at Place", "目的地交货"),
    Term("DPU", "Delivered at Place Unloaded", "卸货地交货"),
    Term("DDP", "Delivered Duty Paid", "完税后交货"),
    Term("FAS", "Free Alongside Ship", "船边交货"),
    Term("FOB", "Free on Board", "船上交货"),
    Term("CFR", "Cost and Freight", "成本加运费"),
    Term("CIF", "Cost, Insurance and Freight", "成本、保险费加运费"),
)
# The rules whose named place is the port where the goods are loaded: a product offering
# them must say which port that is ("FOB Fuzhou").
INCOTERMS_NAMING_PORT_OF_LOADING = frozenset({"FAS", "FOB"})

UNITS: tuple[Term, ...] = (
    Term("kg", "kilogram", "千克"),
    Term("t", "metric ton", "吨"),
    Term("lb", "pound", "磅"),
    Term("g", "gram", "克"),
    Term("carton", "carton", "箱"),
    Term("case", "case", "件"),
    Term("block", "block", "块"),
    Term("bag", "bag", "袋"),
    Term("box", "box", "盒"),
    Term("tray", "tray", "托盘装"),
    Term("can", "can", "罐"),
    Term("bottle", "bottle", "瓶"),
    Term("piece", "piece", "个"),
    Term("set", "set", "套"),
    Term("pallet", "pallet", "托"),
    Term("container", "container (FCL)", "整柜"),
)

# Certification schemes of products and booths alike (app/booths/certifications.py reads them
# from here), so one filter finds both.
CERTIFICATIONS: tuple[Term, ...] = (
    Term("HACCP", "HACCP", "HACCP 危害分析与关键控制点"),
    Term("BRC", "BRCGS Food Safety", "BRCGS 全球食品安全标准"),
    Term("IFS", "IFS Food", "IFS 国际食品标准"),
    Term("SQF", "SQF", "SQF 食品安全与质量认证"),
    Term("FSSC22000", "FSSC 22000", "FSSC 22000 食品安全体系"),
    Term("ISO22000", "ISO 22000", "ISO 22000 食品安全管理体系"),
    Term("ISO9001", "ISO 9001", "ISO 9001 质量管理体系"),
    Term("ISO14001", "ISO 14001", "ISO 14001 环境管理体系"),
    Term("GMP", "Good Manufacturing Practice", "GMP 良好生产规范"),
    Term("MSC", "MSC (sustainable fishing)", "MSC 海洋管理委员会"),
    Term("ASC", "ASC (responsible aquaculture)", "ASC 水产养殖管理委员会"),
    Term("BAP", "Best Aquaculture Practices", "BAP 最佳水产养殖规范"),
    Term("GLOBALGAP", "GLOBALG.A.P.", "全球良好农业规范"),
    Term("FOS", "Friend of the Sea", "海洋之友"),
    Term("FDA", "US FDA registration", "美国 FDA 注册"),
    Term("EU", "EU-approved establishment", "欧盟注册"),
    Term("GACC", "China customs (GACC) registration", "海关总署注册"),
    Term("HALAL", "Halal", "清真认证"),
    Term("KOSHER", "Kosher", "犹太洁食认证"),
    Term("ORGANIC", "Organic", "有机认证"),
    Term("SEDEX", "Sedex / SMETA", "Sedex 社会责任审核"),
    Term("BSCI", "amfori BSCI", "BSCI 社会责任审核"),
    Term("CE", "CE marking (equipment)", "CE 认证（设备）"),
)
# How people also write them ("ISO 22000", "BRCGS", "GLOBALG.A.P." are handled by
# ``certification_code``).
_CERTIFICATION_ALIASES = {
    "BRCGS": "BRC",
    "SMETA": "SEDEX",
    "AMFORIBSCI": "BSCI",
    "FRIENDOFTHESEA": "FOS",
    "GLOBALGAPCERTIFIED": "GLOBALGAP",
}
_CERTIFICATION_SEPARATORS = re.compile(r"[\s.\-_/]+")


def certification_code(value: str) -> str:
    """The scheme code for a common spelling ("ISO 22000" → ISO22000, "BRCGS" → BRC).

    The result may still be unknown: check it against ``CERTIFICATION_CODES``.
    """
    code = _CERTIFICATION_SEPARATORS.sub("", value).upper()
    return _CERTIFICATION_ALIASES.get(code, code)


CATEGORY_CODES = frozenset(t.code for t in CATEGORIES)
INCOTERM_CODES = frozenset(t.code for t in INCOTERMS)
UNIT_CODES = frozenset(t.code for t in UNITS)
CERTIFICATION_CODES = frozenset(t.code for t in CERTIFICATIONS)


@lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    """ISO 4217 codes that are legal tender somewhere today (CLDR data via Babel).

    Historical codes (DEM, FRF...) and funds or metals (XAU, BOV...) are left out: nobody
    prices seafood in them.
    """
    today = date.today()
    codes: set[str] = set()
    for territory in map(str, Locale("en").territories):
        if len(territory) == 2 and territory.isalpha():
            codes.update(get_territory_currencies(territory, today, tender=True))
    return frozenset(codes)


def is_currency(code: str) -> bool:
    return code in currencies()


# HS codes: the 6-digit international subheading, extended nationally to 8 or 10 digits
# (China, the EU, the US), written with or without dots (0306.17, 0306.17.00, 03061700).
# Odd lengths are refused: that is what a spreadsheet leaves of a code once it has dropped
# the leading zero (0306.17 → 306.17), and chapters 01 to 09 are where seafood lives.
_HS_WRITTEN = re.compile(r"^[0-9]{2,}(?:\.[0-9]+)*$")
# Chapter 77 is reserved for future use; 98 and 99 are for national use only.
_HS_CHAPTERS = frozenset(range(1, 98)) - {77}


def normalize_hs_code(value: str) -> str | None:
    """The code as digits only, or None when it is not a well-formed HS code."""
    text = value.strip().replace(" ", "")
    if not _HS_WRITTEN.match(text):
        return None
    digits = text.replace(".", "")
    if len(digits) not in (6, 8, 10) or int(digits[:2]) not in _HS_CHAPTERS:
        return None
    return digits


def format_hs_code(digits: str) -> str:
    """``03061700`` → ``0306.17.00``, the way customs documents print it."""
    parts = [digits[:4], digits[4:6]] + [digits[i : i + 2] for i in range(6, len(digits), 2)]
    return ".".join(p for p in parts if p)


# "Genus species", optionally a subspecies or variety; "Penaeus spp." for a genus-level lot.
_EPITHET = r"[a-z]+(?:-[a-z]+)*"
_LATIN_NAME = re.compile(
    rf"^[A-Z][a-z]+ (?:{_EPITHET}|spp?\.)(?: (?:(?:subsp|var)\. )?{_EPITHET})?$"
)


def is_latin_name(value: str) -> bool:
    return bool(_LATIN_NAME.match(value))


def label(terms: tuple[Term, ...], code: str, locale: str = "en") -> str:
    """A code's label in the viewer's language (the code itself when it is unknown)."""
    for term in terms:
        if term.code == code:
            return term.label_zh if locale.startswith("zh") else term.label
    return code
