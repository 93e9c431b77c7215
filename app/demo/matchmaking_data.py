"""The demo matchmaking session's people: 28 more foreign buyers (with the 12 of data.py,
about 40), and what every demo buyer is looking for."""

from __future__ import annotations

from dataclasses import dataclass

from app.demo.data import OrganizationSeed
from app.demo.data import _buyer as buyer

SESSION_TITLE = "Spring buyers' matchmaking day"
SESSION_DAYS_AHEAD = 2  # the meetings are the day after tomorrow, in the expo's zone


@dataclass(frozen=True, slots=True)
class NeedsSeed:
    """What a buyer registers with (app/matchmaking/schemas.py BuyerNeeds)."""

    categories: tuple[str, ...]
    certifications: tuple[str, ...] = ()
    incoterms: tuple[str, ...] = ("CFR",)
    port: str = ""
    volume_t: int = 100
    price_max_usd: str | None = None


def _b(slug: str, name: str, country: str, languages: tuple[str, ...], zone: str, owner: str,
       city: str, about: str) -> OrganizationSeed:
    return buyer(slug, name, country, languages, zone, owner, "+00 000 000 000",
                 f"{city}, {country}", about)


MORE_BUYERS: tuple[OrganizationSeed, ...] = (
    _b("iberia-frio", "Iberia Frío Distribución S.A.", "ES", ("es", "en"), "Europe/Madrid",
       "Javier Morales", "Vigo", "Frozen squid and hake distributor for Galician processors."),
    _b("tejo-pescados", "Tejo Pescados Lda.", "PT", ("pt", "en"), "Europe/Lisbon",
       "Inês Carvalho", "Lisbon", "Imports cod, squid and octopus for Portuguese retail."),
    _b("maree-bretonne", "Marée Bretonne SAS", "FR", ("fr", "en"), "Europe/Paris",
       "Camille Le Goff", "Lorient", "Buys shrimp, surimi and scallops for French caterers."),
    _b("nordsee-handel", "Nordsee Handelskontor GmbH", "DE", ("de", "en"), "Europe/Berlin",
       "Lukas Schneider", "Bremerhaven", "Pollock and cod blocks for German fish fingers."),
    _b("vistula-foods", "Vistula Foods Sp. z o.o.", "PL", ("pl", "en"), "Europe/Warsaw",
       "Anna Kowalska", "Gdynia", "Frozen fish fillets and canned fish for Polish discounters."),
    _b("thames-seafood", "Thames Seafood Importers Ltd", "GB", ("en",), "Europe/London",
       "Oliver Bennett", "Grimsby", "Breaded shrimp and white fish for UK fish-and-chip shops."),
    _b("baltic-catch", "Baltic Catch OÜ", "EE", ("et", "ru", "en"), "Europe/Tallinn",
       "Mart Tamm", "Tallinn", "Canned fish and seaweed snacks for the Baltic states."),
    _b("aegean-deniz", "Aegean Deniz Ürünleri A.Ş.", "TR", ("tr", "en"), "Europe/Istanbul",
       "Emre Yılmaz", "Izmir", "Squid, cuttlefish and shrimp for Turkish restaurants."),
    _b("nile-harvest", "Nile Harvest Trading S.A.E.", "EG", ("ar", "en"), "Africa/Cairo",
       "Ahmed Hassan", "Alexandria", "Frozen mackerel and tilapia for Egyptian wholesalers."),
    _b("lagos-coldchain", "Lagos Coldchain Foods Ltd", "NG", ("en",), "Africa/Lagos",
       "Chinedu Okafor", "Lagos", "Frozen whole fish and shrimp for West African markets."),
    _b("cape-ocean", "Cape Ocean Imports (Pty) Ltd", "ZA", ("en", "af"),
       "Africa/Johannesburg", "Thandi Nkosi", "Cape Town", "Prawns and squid for retail."),
    _b("red-sea-marine", "Red Sea Marine Foods Co.", "SA", ("ar", "en"), "Asia/Riyadh",
       "Faisal Al-Harbi", "Jeddah", "Halal frozen seafood for Saudi hypermarkets."),
    _b("mumbai-oceanic", "Mumbai Oceanic Traders Pvt Ltd", "IN", ("en", "hi"), "Asia/Kolkata",
       "Priya Sharma", "Mumbai", "Surimi, fish balls and seasonings for Indian food service."),
    _b("saigon-sea", "Saigon Sea Import Co., Ltd", "VN", ("vi", "en"), "Asia/Ho_Chi_Minh",
       "Nguyen Thi Lan", "Ho Chi Minh City", "Seaweed, dried fish and crab for Vietnam."),
    _b("siam-marine", "Siam Marine Trading Co., Ltd", "TH", ("th", "en"), "Asia/Bangkok",
       "Somchai Wongsa", "Bangkok", "Raw materials for Thai canneries and surimi makers."),
    _b("selat-foods", "Selat Foods Sdn Bhd", "MY", ("ms", "en", "zh"), "Asia/Kuala_Lumpur",
       "Tan Wei Ming", "Port Klang", "Halal frozen seafood and dim sum for Malaysia."),
    _b("lion-city-seafood", "Lion City Seafood Pte Ltd", "SG", ("en", "zh"), "Asia/Singapore",
       "Lim Hui Ling", "Singapore", "Premium shrimp, crab and abalone for restaurants."),
    _b("manila-bay", "Manila Bay Frozen Foods Inc.", "PH", ("en", "tl"), "Asia/Manila",
       "Jose Santos", "Manila", "Frozen squid and surimi for Philippine supermarkets."),
    _b("java-samudra", "PT Java Samudra Pangan", "ID", ("id", "en"), "Asia/Jakarta",
       "Dewi Lestari", "Surabaya", "Fish fillets and frozen vegetables for Indonesia."),
    _b("kansai-suisan", "Kansai Suisan Co., Ltd.", "JP", ("ja", "en"), "Asia/Tokyo",
       "Yuki Nakamura", "Osaka", "Eel, nori and shellfish for Kansai supermarkets."),
    _b("taipei-ocean", "Taipei Ocean Foods Corp.", "TW", ("zh", "en"), "Asia/Taipei",
       "Chen Mei-Hua", "Keelung", "Frozen fish, squid and dried seafood for Taiwan."),
    _b("aotearoa-seafoods", "Aotearoa Seafoods Ltd", "NZ", ("en",), "Pacific/Auckland",
       "Aroha Williams", "Auckland", "Prawns, squid and crumbed fish for New Zealand."),
    _b("great-lakes-fish", "Great Lakes Fish Distributors Inc.", "CA", ("en", "fr"),
       "America/Toronto", "Emily Tremblay", "Toronto", "Tilapia, shrimp and dim sum for Canada."),
    _b("gulf-coast-imports", "Gulf Coast Seafood Imports LLC", "US", ("en", "es"),
       "America/Chicago", "Daniel Brooks", "Houston", "Shrimp and crab meat for Texas."),
    _b("pacifico-mx", "Pacífico Mariscos S.A. de C.V.", "MX", ("es", "en"),
       "America/Mexico_City", "Alejandro Ruiz", "Guadalajara", "Squid and shrimp for Mexico."),
    _b("andes-mar", "Andes Mar SpA", "CL", ("es", "en"), "America/Santiago",
       "Valentina Muñoz", "Santiago", "Canned fish and frozen vegetables for Chilean retail."),
    _b("rio-plata-alimentos", "Río de la Plata Alimentos S.A.", "AR", ("es", "en"),
       "America/Argentina/Buenos_Aires", "Martín Fernández", "Buenos Aires",
       "Surimi, breaded shrimp and seaweed for Argentine supermarkets."),
    _b("caribe-frescos", "Caribe Frescos S.A.S.", "CO", ("es", "en"), "America/Bogota",
       "Camila Herrera", "Barranquilla", "Tilapia and shrimp for Colombian food service."),
)

# What every demo buyer looks for, by slug (data.BUYERS and MORE_BUYERS).
NEEDS: dict[str, NeedsSeed] = {
    "levante-mar": NeedsSeed(("frozen_shrimp", "cephalopods", "surimi"), ("BRC",), ("CFR",),
                             "Valencia", 1200, "7.50"),
    "pacific-harbor": NeedsSeed(("frozen_shrimp", "crabs_lobsters"), ("BAP",), ("CFR", "FOB"),
                                "Seattle", 900, "8.00"),
    "atlantic-shore": NeedsSeed(("prepared_seafood", "seaweed", "canned_seafood"), (),
                                ("CFR",), "Boston", 300),
    "kaiyo-shokuhin": NeedsSeed(("prepared_seafood", "seaweed", "surimi"), ("HACCP",),
                                ("CIF",), "Tokyo", 500),
    "haesan-trading": NeedsSeed(("cephalopods", "crabs_lobsters", "seaweed"), (), ("CFR",),
                                "Busan", 700),
    "elbe-fischimport": NeedsSeed(("fish_fillets", "frozen_shrimp", "canned_seafood"),
                                  ("MSC", "BRC"), ("CFR",), "Hamburg", 1500),
    "zuiderzee-seafood": NeedsSeed(("fish_fillets", "shellfish", "frozen_shrimp"), (),
                                   ("FOB",), "Rotterdam", 600),
    "gulf-pearl": NeedsSeed(("whole_fish", "frozen_shrimp", "canned_seafood"), ("HALAL",),
                            ("CFR",), "Jebel Ali", 800),
    "oceano-sul": NeedsSeed(("fish_fillets", "cephalopods", "frozen_shrimp"), (), ("CFR",),
                            "Santos", 700),
    "primorye-ocean": NeedsSeed(("fish_fillets", "seaweed", "frozen_vegetables"), (),
                                ("FOB",), "Vladivostok", 2000),
    "southern-cross": NeedsSeed(("frozen_shrimp", "cephalopods", "prepared_seafood"),
                                ("HACCP",), ("CFR",), "Sydney", 400),
    "adriatica-surgelati": NeedsSeed(("cephalopods", "shellfish"), (), ("CFR",), "Bari", 500),
    "iberia-frio": NeedsSeed(("cephalopods", "whole_fish"), (), ("CFR",), "Vigo", 800),
    "tejo-pescados": NeedsSeed(("fish_fillets", "cephalopods"), (), ("CFR",), "Lisbon", 400),
    "maree-bretonne": NeedsSeed(("frozen_shrimp", "surimi", "shellfish"), ("IFS",), ("CFR",),
                                "Le Havre", 300),
    "nordsee-handel": NeedsSeed(("fish_fillets",), ("MSC",), ("CFR",), "Bremerhaven", 2500),
    "vistula-foods": NeedsSeed(("fish_fillets", "canned_seafood"), (), ("CFR",), "Gdynia", 600),
    "thames-seafood": NeedsSeed(("prepared_seafood", "fish_fillets"), ("BRC",), ("CFR",),
                                "Felixstowe", 500),
    "baltic-catch": NeedsSeed(("canned_seafood", "seaweed"), (), ("CIF",), "Tallinn", 150),
    "aegean-deniz": NeedsSeed(("cephalopods", "frozen_shrimp"), (), ("CFR",), "Izmir", 300),
    "nile-harvest": NeedsSeed(("whole_fish",), ("HALAL",), ("CFR",), "Alexandria", 1200),
    "lagos-coldchain": NeedsSeed(("whole_fish", "frozen_shrimp"), (), ("CFR",), "Apapa", 1500),
    "cape-ocean": NeedsSeed(("frozen_shrimp", "cephalopods"), ("HACCP",), ("CFR",),
                            "Cape Town", 300),
    "red-sea-marine": NeedsSeed(("frozen_shrimp", "whole_fish"), ("HALAL",), ("CFR",),
                                "Jeddah", 700),
    "mumbai-oceanic": NeedsSeed(("surimi", "seasonings", "prepared_seafood"), (), ("CIF",),
                                "Nhava Sheva", 200),
    "saigon-sea": NeedsSeed(("seaweed", "dried_seafood", "crabs_lobsters"), (), ("FOB",),
                            "Ho Chi Minh City", 250),
    "siam-marine": NeedsSeed(("surimi", "whole_fish"), (), ("FOB",), "Laem Chabang", 3000),
    "selat-foods": NeedsSeed(("prepared_seafood", "frozen_shrimp"), ("HALAL",), ("CFR",),
                             "Port Klang", 300),
    "lion-city-seafood": NeedsSeed(("crabs_lobsters", "shellfish", "frozen_shrimp"), (),
                                   ("CFR",), "Singapore", 150),
    "manila-bay": NeedsSeed(("cephalopods", "surimi"), (), ("CFR",), "Manila", 400),
    "java-samudra": NeedsSeed(("fish_fillets", "frozen_vegetables"), (), ("CFR",),
                              "Surabaya", 500),
    "kansai-suisan": NeedsSeed(("prepared_seafood", "seaweed", "shellfish"), ("HACCP",),
                               ("CIF",), "Osaka", 350),
    "taipei-ocean": NeedsSeed(("whole_fish", "cephalopods", "dried_seafood"), (), ("FOB",),
                              "Keelung", 400),
    "aotearoa-seafoods": NeedsSeed(("frozen_shrimp", "prepared_seafood"), (), ("CFR",),
                                   "Auckland", 150),
    "great-lakes-fish": NeedsSeed(("fish_fillets", "frozen_shrimp", "prepared_seafood"),
                                  ("BAP",), ("CFR",), "Vancouver", 400),
    "gulf-coast-imports": NeedsSeed(("frozen_shrimp", "crabs_lobsters"), ("BAP",),
                                    ("CFR",), "Houston", 800, "8.50"),
    "pacifico-mx": NeedsSeed(("cephalopods", "frozen_shrimp"), (), ("CFR",), "Manzanillo", 500),
    "andes-mar": NeedsSeed(("canned_seafood", "frozen_vegetables"), (), ("CFR",),
                           "San Antonio", 300),
    "rio-plata-alimentos": NeedsSeed(("surimi", "prepared_seafood", "seaweed"), (), ("CFR",),
                                     "Buenos Aires", 200),
    "caribe-frescos": NeedsSeed(("fish_fillets", "frozen_shrimp"), (), ("CFR",),
                                "Cartagena", 300),
}

# Buyers in the Americas meet in the expo's afternoon only: that is their night, so they
# give one window (their evening) rather than the whole day.
EVENING_ONLY = frozenset({"pacific-harbor", "atlantic-shore", "great-lakes-fish",
                          "gulf-coast-imports", "pacifico-mx"})

# Meeting requests: (buyer slug, supplier slug, note, accepted by the supplier?).
REQUESTS: tuple[tuple[str, str, str, bool], ...] = (
    ("levante-mar", "yuanhong-shrimp", "Monthly 40' reefer of HLSO shrimp for Valencia.", True),
    ("levante-mar", "yangxia-squid", "Squid tubes for Spanish supermarkets.", True),
    ("elbe-fischimport", "longshan-fillets", "MSC fillet blocks for German processors.", True),
    ("kaiyo-shokuhin", "jiangyin-eel", "Roasted eel for convenience-store lunches.", True),
    ("pacific-harbor", "dongzhang-tilapia", "Tilapia fillets for West Coast grocers.", True),
    ("haesan-trading", "yangxia-squid", "Frozen squid for Busan processors.", False),
    ("gulf-pearl", "yuanhong-shrimp", "Halal shrimp for GCC hypermarkets.", False),
    ("primorye-ocean", "longshan-fillets", "Reprocessing pollock: let us talk volumes.", False),
)


def slug_of(seed: OrganizationSeed) -> str:
    """A demo buyer's slug: its owner signs in as demo_email(slug)."""
    return seed.website.removeprefix("https://").removesuffix(".example.com")
