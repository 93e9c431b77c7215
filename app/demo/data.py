"""The demo expo's cast: the organizer, the Fuqing exporters and the foreign buyers.

Plain constants only; ``app.demo.seed`` turns them into rows. Every company, person, address
and phone number here is made up: websites and mailboxes use the reserved ``example`` names
(RFC 2606), so nothing a demo user clicks or sends reaches a real business. Phone numbers use
ranges kept for fiction where a country has one (555-01xx in North America).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.organizations.schemas import OrganizationKind, Role

DEMO_EMAIL_DOMAIN = "demo.tradehall.example"


@dataclass(frozen=True, slots=True)
class PersonSeed:
    """A demo user. ``email`` is the natural key: an existing user with it is left as is."""

    email: str
    full_name: str
    locale: str  # UI locale: en | zh
    time_zone: str  # IANA name


@dataclass(frozen=True, slots=True)
class MemberSeed:
    person: PersonSeed
    role: Role


@dataclass(frozen=True, slots=True)
class OrganizationSeed:
    """A demo organization; ``(kind, name)`` is its natural key. The first member owns it."""

    name: str
    kind: OrganizationKind
    country: str  # ISO 3166-1 alpha-2
    languages: tuple[str, ...]
    description: str
    website: str
    contact_email: str
    phone: str
    address: str
    time_zone: str
    members: tuple[MemberSeed, ...]

    @property
    def owner(self) -> PersonSeed:
        return self.members[0].person


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_EMAIL_DOMAIN}".lower()


ADMIN = PersonSeed(
    email=demo_email("admin"),
    full_name="TradeHall Admin",
    locale="en",
    time_zone="UTC",
)

ORGANIZER = OrganizationSeed(
    name="Fuqing Municipal Bureau of Commerce",
    kind="organizer",
    country="CN",
    languages=("zh", "en"),
    description=(
        "The Fuqing Municipal Bureau of Commerce (福清市商务局) promotes foreign trade for "
        "Fuqing's food and seafood industry, some 4,000 small and medium-sized exporters "
        "around Jiangyin Port and the Fuqing coast. On TradeHall it runs the Fuqing Seafood "
        "Online Expo: it approves exhibitors, vets foreign buyers, and hosts matchmaking "
        "sessions and livestreams so that buyers meet the factories without flying in."
    ),
    website="https://fuqing-commerce.example.com",
    contact_email="expo@fuqing-commerce.example.com",
    phone="+86 591 8522 0100",
    address=(
        "Bureau of Commerce, No. 1 Qingrong Avenue, Yinxi Subdistrict, Fuqing, "
        "Fujian 350300, China"
    ),
    time_zone="Asia/Shanghai",
    members=(
        MemberSeed(
            PersonSeed(demo_email("organizer"), "Weng Lihua", "zh", "Asia/Shanghai"), "owner"
        ),
    ),
)


def _supplier(
    no: int,
    slug: str,
    name: str,
    name_zh: str,
    locality: str,
    owner: str,
    about: str,
    staff: tuple[tuple[str, str], ...] = (),
) -> OrganizationSeed:
    """A Fuqing exporter. ``staff`` are (full name, mailbox) of its ``member`` users.

    Owners get the Chinese UI; the member users are export sales staff, who work in English.
    """
    street = locality.split()[0]
    return OrganizationSeed(
        name=name,
        kind="supplier",
        country="CN",
        languages=("zh", "en"),
        description=f"{name} ({name_zh}) {about}",
        website=f"https://{slug}.example.com",
        contact_email=f"trade@{slug}.example.com",
        phone=f"+86 591 8538 {no:04d}",
        address=f"No. {no} {street} Industrial Road, {locality}, Fuqing, Fujian 350300, China",
        time_zone="Asia/Shanghai",
        members=(
            MemberSeed(PersonSeed(demo_email(slug), owner, "zh", "Asia/Shanghai"), "owner"),
            *(
                MemberSeed(
                    PersonSeed(demo_email(f"{mailbox}.{slug}"), full_name, "en", "Asia/Shanghai"),
                    "member",
                )
                for full_name, mailbox in staff
            ),
        ),
    )


SUPPLIERS: tuple[OrganizationSeed, ...] = (
    _supplier(
        18, "yuanhong-shrimp", "Fuqing Yuanhong Ocean Foods Co., Ltd.",
        "福清市元洪海洋食品有限公司",
        "Yuanhong Investment Zone", "Lin Jianguo",
        "processes farmed whiteleg shrimp (Litopenaeus vannamei) into raw and cooked, peeled "
        "and shell-on frozen products (HLSO, PD, PUD, PDTO, butterfly) on four IQF lines. BRC "
        "and ASC certified; about 900 tonnes a month to Spain, the United States and Japan.",
        staff=(("Chen Xiaomei", "sales"),),
    ),
    _supplier(
        26, "longtian-surimi", "Fujian Longtian Surimi Foods Co., Ltd.", "福建龙田鱼糜食品有限公司",
        "Longtian Town", "Chen Zhiqiang",
        "makes AA and A grade threadfin bream surimi, crab sticks and fish tofu. HACCP and BRC "
        "certified, with 6,000 tonnes of cold storage beside the plant; sells to Korean and "
        "Japanese kamaboko makers and to European retail brands.",
    ),
    _supplier(
        33, "jiangyin-eel", "Fuqing Jiangyin Eel Industry Co., Ltd.", "福清市江阴鳗鱼产业有限公司",
        "Jiangyin Town", "Weng Dehua",
        "farms Japanese and American eel in its own ponds and grills them into kabayaki "
        "(roasted eel with sauce), shirayaki and eel slices, shipped frozen to Japan, Korea "
        "and the US. HACCP certified and registered for export to Japan.",
        staff=(("Yu Lina", "export"),),
    ),
    _supplier(
        41, "gaoshan-dried", "Fuqing Gaoshan Dried Seafood Trading Co., Ltd.",
        "福清市高山干海产贸易有限公司", "Gaoshan Town", "Huang Mingfa",
        "dries and packs squid, baby shrimp, scallop (conpoy), fish maw and anchovy from "
        "Fujian's fishing ports, in bulk cartons or retail gift boxes, for Southeast Asian and "
        "overseas Chinese markets.",
    ),
    _supplier(
        52, "rongqiao-canned", "Fujian Rongqiao Canned Foods Co., Ltd.", "福建融侨罐头食品有限公司",
        "Rongqiao Economic and Technological Development Zone", "Zheng Guoliang",
        "cans mackerel, sardines and skipjack tuna in tomato sauce, brine or oil, in 155 g to "
        "425 g tins, under the buyer's own label. IFS and HACCP certified; exports to West "
        "Africa, the Middle East and Latin America.",
        staff=(("Zheng Yaqin", "qa"),),
    ),
    _supplier(
        63, "haikou-nori", "Fuqing Haikou Seaweed Products Co., Ltd.", "福清市海口紫菜制品有限公司",
        "Haikou Town", "Guo Shuying",
        "grows laver (Pyropia haitanensis) off the Haikou coast and turns it into roasted nori "
        "for sushi, seasoned seaweed snacks and dried laver cakes for soup. Organic certified "
        "farm; sells to Japan, Korea, the US and Europe.",
    ),
    _supplier(
        71, "dongzhang-tilapia", "Fuqing Dongzhang Tilapia Co., Ltd.", "福清市东张罗非鱼有限公司",
        "Dongzhang Town", "He Jianping",
        "farms tilapia around the Dongzhang reservoir and processes it into IQF skinless "
        "fillets and whole gutted, scaled fish. BAP and ASC certified; main markets are the "
        "US, Mexico and the Middle East.",
    ),
    _supplier(
        8, "yangxia-squid", "Fuqing Yangxia Squid Processing Co., Ltd.",
        "福清市阳下鱿鱼加工有限公司",
        "Yangxia Subdistrict", "Wu Zhenhua",
        "cuts Argentine and Pacific squid (Illex argentinus, Todarodes pacificus) into rings, "
        "tubes, tentacles and flower-cut pieces, raw or breaded. HACCP certified; 300 tonnes a "
        "month to Spain, Italy and Korea.",
        staff=(("Lin Qiuyan", "sales"),),
    ),
    _supplier(
        95, "xincuo-machinery", "Fuqing Xincuo Food Machinery Co., Ltd.",
        "福清市新厝食品机械有限公司",
        "Xincuo Town", "Xie Wenbin",
        "builds equipment for seafood plants: shrimp peeling and grading machines, IQF tunnel "
        "and spiral freezers, glazing lines and fish ball formers. CE marked; installs and "
        "services plants in Vietnam, Indonesia, India and Ecuador.",
    ),
    _supplier(
        102, "shangjing-fishball", "Fuqing Shangjing Fish Ball Foods Co., Ltd.",
        "福清市上迳鱼丸食品有限公司", "Shangjing Town", "Shi Meifang",
        "makes Fuzhou-style stuffed fish balls, shrimp balls and fish dumplings from its own "
        "surimi, frozen for Asian supermarkets. HACCP and halal certified; customers in the "
        "US, Canada, the UK and Australia.",
    ),
    _supplier(
        116, "sanshan-abalone", "Fuqing Sanshan Abalone Aquaculture Co., Ltd.",
        "福清市三山鲍鱼养殖有限公司", "Sanshan Town", "Ke Jinshui",
        "farms abalone (Haliotis discus hannai) on offshore rafts and sells it live, frozen in "
        "shell, or canned in brine and braised sauce. Live by air to Hong Kong and Singapore; "
        "frozen and canned worldwide.",
    ),
    _supplier(
        121, "shapu-kelp", "Fuqing Shapu Kelp Products Co., Ltd.", "福清市沙埔海带制品有限公司",
        "Shapu Town", "Lian Qingsong",
        "harvests and processes kelp (Saccharina japonica): salted kelp knots and shreds, dried "
        "kelp and ready-to-eat seasoned kelp salad. HACCP certified; exports to Korea, Japan "
        "and Southeast Asia.",
    ),
    _supplier(
        137, "gangtou-crab", "Fuqing Gangtou Crab Co., Ltd.", "福清市港头蟹业有限公司",
        "Gangtou Town", "Liu Haibo",
        "buys swimming crab (Portunus trituberculatus) from East China Sea boats and supplies "
        "whole frozen crab, cut crab and pasteurized crab meat in jumbo, lump and claw grades "
        "to the US, Korea and Japan.",
    ),
    _supplier(
        144, "jiangjing-oyster", "Fuqing Jiangjing Oyster Co., Ltd.", "福清市江镜牡蛎有限公司",
        "Jiangjing Town", "Zhang Lihong",
        "farms Fujian oysters (Crassostrea angulata) and ships frozen half-shell oysters, IQF "
        "oyster meat and sun-dried oysters. HACCP certified; markets are Korea, Malaysia and "
        "the Middle East.",
    ),
    _supplier(
        158, "chengtou-fisheries", "Fuqing Chengtou Marine Fisheries Co., Ltd.",
        "福清市城头海洋渔业有限公司", "Chengtou Town", "Yu Chunlai",
        "runs its own trawlers and cold store for whole round fish frozen at sea: hairtail "
        "(ribbonfish), silver pomfret, yellow croaker and chub mackerel, in blocks or IQF. "
        "Sells to Africa, Southeast Asia and the Middle East.",
    ),
    _supplier(
        163, "honglu-sauces", "Fujian Honglu Seafood Seasonings Co., Ltd.",
        "福建宏路海鲜调味品有限公司", "Honglu Subdistrict", "Wang Yongqiang",
        "brews oyster sauce, fish sauce and shrimp paste and blends XO sauce and seafood "
        "hot-pot bases, in bottles, pouches and catering pails. Private label welcome; exports "
        "to Southeast Asia, the US and Europe.",
    ),
    _supplier(
        177, "yinxi-dimsum", "Fuqing Yinxi Frozen Foods Co., Ltd.", "福清市音西速冻食品有限公司",
        "Yinxi Subdistrict", "Chen Limin",
        "makes frozen shrimp har gow, shumai, seafood dumplings and spring rolls for Chinese "
        "restaurant chains and supermarkets abroad: about 40 tonnes of dim sum a day. BRC "
        "certified.",
        staff=(("Huang Jing", "export"),),
    ),
    _supplier(
        182, "longshan-fillets", "Fuqing Longshan Fish Fillet Co., Ltd.", "福清市龙山鱼片有限公司",
        "Longshan Subdistrict", "Lin Guohua",
        "thaws, fillets and refreezes Alaska pollock and Pacific cod into boneless portions, "
        "fillet blocks and breaded fish fingers. MSC chain of custody and BRC certified; sells "
        "to German, Dutch and British processors.",
    ),
    _supplier(
        196, "jingyang-vegetables", "Fuqing Jingyang Frozen Vegetables Co., Ltd.",
        "福清市镜洋速冻蔬菜有限公司", "Jingyang Town", "Weng Xiuying",
        "grows edamame, broccoli, green beans, taro and sweet corn on contract farms and IQF "
        "freezes them for retail or catering packs. GLOBALG.A.P. and BRC certified; ships to "
        "Japan, Europe and the US.",
    ),
    _supplier(
        203, "yidu-loquat", "Fuqing Yidu Loquat Foods Co., Ltd.", "福清市一都枇杷食品有限公司",
        "Yidu Town", "Huang Shuiqing",
        "works with growers in Yidu, Fuqing's loquat valley: fresh loquats in season, and "
        "loquat in syrup, loquat jam and loquat leaf tea all year. Exports to Singapore, "
        "Malaysia and the Netherlands.",
    ),
    _supplier(
        214, "nanling-sea-cucumber", "Fuqing Nanling Sea Cucumber Co., Ltd.",
        "福清市南岭海参有限公司", "Nanling Town", "Zheng Fuming",
        "over-winters sea cucumbers (Apostichopus japonicus) in Fujian's warm waters and sells "
        "them dried, salted or frozen ready-to-eat, traceable by batch. Main buyers are in Hong "
        "Kong, Singapore and the US.",
    ),
    _supplier(
        228, "donghan-shellfish", "Fuqing Donghan Shellfish Co., Ltd.", "福清市东瀚贝类有限公司",
        "Donghan Town", "Ke Xiaodong",
        "depurates and processes Manila clams, razor clams and blood cockles: live, frozen "
        "whole-shell in vacuum packs and IQF clam meat. HACCP certified; exports to Korea, "
        "Japan, Spain and Italy.",
    ),
    _supplier(
        231, "jiangyin-port-cold-chain", "Fuqing Jiangyin Port Cold Chain Co., Ltd.",
        "福清市江阴港冷链物流有限公司", "Jiangyin Port Industrial Zone", "Guo Jianxin",
        "runs a 30,000-tonne cold store at Jiangyin Port and trades frozen seafood: it "
        "consolidates mixed containers from Fuqing factories, arranges export inspection and "
        "books reefers to any port.",
        staff=(("Wu Tingting", "logistics"),),
    ),
    _supplier(
        245, "dongge-snacks", "Fujian Dongge Seafood Snacks Co., Ltd.",
        "福建东阁海味休闲食品有限公司",
        "Dongge Overseas Chinese Farm", "Xu Wenjie",
        "makes shredded squid, roasted fish fillet snacks, fish skin crisps and spicy small "
        "fish in retail bags for convenience stores and Asian supermarkets. HACCP and halal "
        "certified.",
    ),
    _supplier(
        252, "yuxi-anchovy", "Fuqing Yuxi Aquatic Products Co., Ltd.", "福清市渔溪水产品有限公司",
        "Yuxi Town", "Lin Yuzhen",
        "boils, dries and grades anchovy (Engraulis japonicus) and baby shrimp within hours of "
        "landing, sold by size grade in 5 kg and 10 kg cartons to Korea, Japan and Southeast "
        "Asia.",
    ),
    _supplier(
        266, "longtian-crayfish", "Fuqing Longtian Crayfish Co., Ltd.", "福清市龙田小龙虾有限公司",
        "Longtian Town", "Chen Hongbin",
        "cooks and freezes whole crayfish in spicy, garlic and thirteen-spice flavours, and "
        "plain tail meat, from farms along the Yangtze. BRC certified; sells to Europe, "
        "Australia and the US.",
    ),
    _supplier(
        270, "sanshan-croaker", "Fuqing Sanshan Large Yellow Croaker Farming Co., Ltd.",
        "福清市三山大黄鱼养殖有限公司", "Sanshan Town", "Yu Deming",
        "raises large yellow croaker (Larimichthys crocea) in deep-sea cages and sells it "
        "chilled, frozen whole, butterflied or salted. Traceable from cage to carton; sells "
        "to Korea, Southeast Asia and Chinese restaurants worldwide.",
    ),
    _supplier(
        283, "xincuo-refrigeration", "Fuqing Xincuo Refrigeration Equipment Co., Ltd.",
        "福清市新厝制冷设备有限公司", "Xincuo Town", "Shi Guoqiang",
        "builds plate freezers, flake ice machines and prefabricated cold rooms for fishing "
        "ports and seafood plants, with remote temperature monitoring. CE marked; installed in "
        "more than 30 countries.",
    ),
    _supplier(
        291, "yangxia-prawn-crackers", "Fuqing Yangxia Prawn Cracker Co., Ltd.",
        "福清市阳下虾片有限公司", "Yangxia Subdistrict", "He Lanying",
        "makes uncooked prawn crackers from shrimp and tapioca starch, natural or coloured, for "
        "frying at home. Private label for importers in Europe, Africa and the Middle East.",
    ),
    _supplier(
        305, "gangtou-mussel", "Fuqing Gangtou Mussel Co., Ltd.", "福清市港头贻贝有限公司",
        "Gangtou Town", "Zhang Jinlong",
        "farms mussels on long lines and sells frozen half-shell mussels, whole cooked mussels "
        "in vacuum packs and IQF mussel meat. HACCP certified; exports to Spain, Chile and "
        "Southeast Asia.",
    ),
)


def _buyer(
    slug: str,
    name: str,
    country: str,
    languages: tuple[str, ...],
    time_zone: str,
    owner: str,
    phone: str,
    address: str,
    description: str,
) -> OrganizationSeed:
    """A foreign importer. Its owner works in the buyer's own time zone, in the English UI."""
    return OrganizationSeed(
        name=name,
        kind="buyer",
        country=country,
        languages=languages,
        description=description,
        website=f"https://{slug}.example.com",
        contact_email=f"purchasing@{slug}.example.com",
        phone=phone,
        address=address,
        time_zone=time_zone,
        members=(MemberSeed(PersonSeed(demo_email(slug), owner, "en", time_zone), "owner"),),
    )


BUYERS: tuple[OrganizationSeed, ...] = (
    _buyer(
        "levante-mar", "Congelados Levante Mar S.L.", "ES", ("es", "ca", "en"), "Europe/Madrid",
        "Lucía Ferrer", "+34 960 000 114", "Muelle de Poniente 14, 46024 Valencia, Spain",
        "Imports frozen shrimp, squid and surimi for Spanish wholesale markets and supermarket "
        "chains from its cold store at the Port of Valencia. About 120 containers a year, CFR "
        "Valencia; needs IFS or BRC, and MSC or ASC where available.",
    ),
    _buyer(
        "pacific-harbor", "Pacific Harbor Seafood Inc.", "US", ("en", "es"),
        "America/Los_Angeles", "Michael Turner", "+1 206 555 0134",
        "2100 Alaskan Way, Seattle, WA 98121, USA",
        "Distributes frozen seafood to restaurant chains and grocers on the US West Coast: "
        "shrimp, tilapia, crab meat and breaded products. Requires BAP or ASC, FDA-registered "
        "plants and US-ready labels.",
    ),
    _buyer(
        "atlantic-shore", "Atlantic Shore Foods LLC", "US", ("en",), "America/New_York",
        "Jennifer Walsh", "+1 617 555 0188", "300 Northern Avenue, Boston, MA 02210, USA",
        "Supplies Asian and Latin supermarkets on the US East Coast with frozen dim sum, fish "
        "balls, seaweed snacks and canned fish, mostly in mixed containers.",
    ),
    _buyer(
        "kaiyo-shokuhin", "Kaiyo Shokuhin K.K.", "JP", ("ja", "en"), "Asia/Tokyo",
        "Kenji Takahashi", "+81 3 5500 0121", "5-2-1 Toyosu, Koto-ku, Tokyo 135-0061, Japan",
        "Imports roasted eel, sushi shrimp, nori and surimi for Japanese restaurant chains and "
        "convenience-store lunch makers. Tests every lot against Japanese residue limits and "
        "buys on long-term contracts.",
    ),
    _buyer(
        "haesan-trading", "Haesan Trading Co., Ltd.", "KR", ("ko", "en"), "Asia/Seoul",
        "Ji-hoon Park", "+82 51 555 0172",
        "52 Chungjang-daero, Jung-gu, Busan 48943, South Korea",
        "Imports frozen squid, swimming crab, kelp and surimi for Korean processors and "
        "Busan's wholesale fish markets.",
    ),
    _buyer(
        "elbe-fischimport", "Elbe Fischimport GmbH", "DE", ("de", "en"), "Europe/Berlin",
        "Jonas Becker", "+49 40 5555 0133", "Große Elbstraße 133, 22767 Hamburg, Germany",
        "Buys pollock and cod fillet blocks, shrimp and canned fish for German processors and "
        "discount retail, imported through Hamburg. MSC and BRC or IFS required.",
    ),
    _buyer(
        "zuiderzee-seafood", "Zuiderzee Seafood Trading B.V.", "NL", ("nl", "en", "de"),
        "Europe/Amsterdam", "Sanne de Vries", "+31 527 555 024",
        "Westgat 24, 8321 WS Urk, Netherlands",
        "Trades frozen fish and shellfish across the Benelux from Urk: tilapia and pollock "
        "fillets, mussels, clams and breaded shrimp, with its own repacking line.",
    ),
    _buyer(
        "gulf-pearl", "Gulf Pearl Foodstuff Trading LLC", "AE", ("ar", "en"), "Asia/Dubai",
        "Omar Al Mansoori", "+971 4 555 0112",
        "Warehouse 12, Al Quoz Industrial Area 3, Dubai, United Arab Emirates",
        "Imports frozen whole fish, shrimp and canned fish for hypermarkets and caterers across "
        "the GCC. Everything must be halal certified, with Arabic labels.",
    ),
    _buyer(
        "oceano-sul", "Oceano Sul Alimentos Ltda.", "BR", ("pt", "es", "en"),
        "America/Sao_Paulo", "Rafael Oliveira", "+55 11 5555 0190",
        "Avenida das Nações Unidas 12901, São Paulo - SP, 04578-000, Brazil",
        "Imports frozen fish fillets, squid and shrimp through the Port of Santos for food "
        "service and supermarkets in São Paulo and the South of Brazil.",
    ),
    _buyer(
        "primorye-ocean", "Primorye Ocean Trade LLC", "RU", ("ru", "en", "zh"),
        "Asia/Vladivostok", "Dmitry Volkov", "+7 423 555 0129",
        "Svetlanskaya Street 29, Vladivostok 690091, Russia",
        "Sends Russian pollock and cod to Fuqing for filleting and buys the fillets back, and "
        "imports seaweed, canned fish and frozen vegetables for the Russian Far East.",
    ),
    _buyer(
        "southern-cross", "Southern Cross Seafoods Pty Ltd", "AU", ("en",), "Australia/Sydney",
        "Olivia Harris", "+61 2 5550 0115", "Unit 4, 15 Bank Street, Pyrmont NSW 2009, Australia",
        "Imports cooked and raw prawns, crayfish, squid and dim sum for Australian "
        "supermarkets and clubs; needs HACCP, import permits and approved labels.",
    ),
    _buyer(
        "adriatica-surgelati", "Adriatica Surgelati S.r.l.", "IT", ("it", "en"), "Europe/Rome",
        "Giulia Rossi", "+39 080 555 0350", "Via Napoli 350, 70132 Bari, Italy",
        "Imports squid, cuttlefish, clams and mussels for Italian frozen-food brands and the "
        "restaurant trade, packed under its own label in Bari.",
    ),
)

ORGANIZATIONS: tuple[OrganizationSeed, ...] = (ORGANIZER, *SUPPLIERS, *BUYERS)
