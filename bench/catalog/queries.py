"""The request mixes each scenario cycles through (wrk sends them in turn, 32 at a time).

Every mix is a fixed, deterministic list, so runs are comparable; each list holds the
brief's example query and varies around it so that no single plan or cached page decides
the figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

EVENT_PATH = "/api/v1/events/1/products"
"""The generated catalog's one event (bench.catalog.data)."""


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    params: tuple[tuple[tuple[str, str], ...], ...]
    path: str = EVENT_PATH

    def paths(self) -> list[str]:
        return [f"{self.path}?{urlencode(p)}" if p else self.path for p in self.params]


def _text_two_filters() -> tuple[tuple[tuple[str, str], ...], ...]:
    terms = ("shrimp", "squid", "fillets", "tuna", "scallop", "vannamei", "dried", "salmon")
    certifications = ("MSC", "HACCP", "BRC", "ASC")
    incoterms = ("FOB", "CFR", "CIF")
    mix = [(("q", "shrimp"), ("certification", "MSC"), ("incoterm", "FOB"))]
    for i, term in enumerate(terms):
        for j, certification in enumerate(certifications):
            incoterm = incoterms[(i + j) % len(incoterms)]
            combo = (("q", term), ("certification", certification), ("incoterm", incoterm))
            if combo not in mix:
                mix.append(combo)
    return tuple(mix)


def _chinese_two_chars() -> tuple[tuple[tuple[str, str], ...], ...]:
    # The brief's query, 对虾 (two characters: below what a trigram index can look up),
    # in the orders a buyer switches between.
    return (
        (("q", "对虾"),),
        (("q", "对虾"), ("sort", "newest")),
        (("q", "对虾"), ("sort", "price_asc"), ("currency", "USD")),
        (("q", "对虾"), ("certification", "HACCP")),
    )


def _chinese_indexed() -> tuple[tuple[tuple[str, str], ...], ...]:
    return tuple(
        (("q", q),)
        for q in ("南美白对虾", "阿根廷红虾", "金枪鱼", "鱿鱼圈", "虾夷扇贝", "大黄鱼", "鱼豆腐",
                  "淡干海参", "黑虎虾", "罗非鱼")
    )


def _filters_only() -> tuple[tuple[tuple[str, str], ...], ...]:
    mix: list[tuple[tuple[str, str], ...]] = []
    categories = ("frozen_shrimp", "fish_fillets", "dried_seafood", "surimi", "cephalopods")
    for hall in range(1, 7):
        mix.append((("hall_id", str(hall)), ("certification", "HACCP")))
    for n, category in enumerate(categories):
        mix.append((("category", category), ("incoterm", ("FOB", "CIF")[n % 2]),
                    ("origin", "CN")))
    mix.append((("certification", "MSC"), ("incoterm", "FOB"), ("sort", "price_asc"),
                ("currency", "USD")))
    mix.append((("currency", "USD"), ("price_min", "3"), ("price_max", "8"),
                ("moq_max", "2000")))
    return tuple(mix)


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario("exact", "the brief's query alone: q=shrimp&certification=MSC&incoterm=FOB",
                 _text_two_filters()[:1]),
        Scenario("text2f", "text + two filters (q=shrimp&certification=MSC&incoterm=FOB and "
                 "32 neighbours)", _text_two_filters()),
        Scenario("zh2", "Chinese, two characters (q=对虾, 4 sorts/filters)",
                 _chinese_two_chars()),
        Scenario("zh3", "Chinese, 3+ characters (10 names, indexed)", _chinese_indexed()),
        Scenario("filters", "filters only (13 combinations)", _filters_only()),
    )
}

CEILING = Scenario("ceiling", "bare FastAPI, fixed JSON page", ((),))
HEALTHZ = Scenario("healthz", "TradeHall /healthz (full middleware, no database)", ((),),
                   path="/healthz")
