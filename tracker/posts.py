"""Diplomatic posts: one key and one display name for every way a post is written, and which addressees
an audience line ("FOR HAVANA:", "For Latin American posts") tasks. Pure: no Django.

A post appears as an addressee ("AMEMBASSY BUENOS AIRES"), as a cable's origin ("Embassy Buenos Aires")
and inside reference IDs ("09BUENOSAIRES123"); `post_key` maps all of them to "BUENOSAIRES", the code
`cables.parsing.post_code` gives. Regional audiences are resolved with `POSTS`, a table of the US
embassies and main consulates by State Department regional bureau.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

# What comes before the place in an addressee or an origin, longest first.
KIND_PREFIXES = (
    "US INTERESTS SECTION",
    "AMERICAN EMBASSY",
    "AMERICAN CONSULATE",
    "AMEMBASSY",
    "AMCONSUL",
    "AMCONGEN",
    "USMISSION",
    "USOFFICE",
    "US OFFICE",
    "USINT",
    "AMEMB",
    "EMBASSY",
    "CONSULATE GENERAL",
    "CONSULATE",
    "MISSION",
)
KIND_PREFIX_RE = re.compile(r"^(?:%s)\b\s*" % "|".join(re.escape(p) for p in KIND_PREFIXES))
STATE_RE = re.compile(r"^(?:SECSTATE(?:\s+WASHDC)?|SECRETARY\s+OF\s+STATE|STATE|DEPT\s+OF\s+STATE|"
                      r"DEPARTMENT\s+OF\s+STATE|WASHDC)$")
REFERENCE_ID_RE = re.compile(r"^\d{2,}([A-Z]+?)\d+$")
PRECEDENCE_RE = re.compile(r"\s+(?:IMMEDIATE|PRIORITY|ROUTINE|FLASH|NIACT)\b.*$")
# Words kept upper case in a display name: mission codes ("USUN", "UNVIE", "USNATO").
MISSION_CODE_RE = re.compile(r"^(?:US|UN)[A-Z]{2,5}$")
SMALL_WORDS = frozenset({"OF", "AU", "ES", "DE", "DEL", "DA", "DO", "THE", "AND"})
# Words that look like a mission code (US or UN and more letters) but are words: "UNITED ARAB EMIRATES".
NOT_CODES = frozenset({"UNITED", "UNION", "UNIT", "UNITS", "UNDER", "UNTIL", "USING", "USERS"})
# Organisations and bureaus written as acronyms, kept upper case in a display name ("UN Rome", "EU Member
# States Collective", "NATO Posts"). A small word too ("Port au Prince") is an acronym only first.
ACRONYMS = frozenset({
    "UN", "US", "EU", "AU", "NATO", "OSCE", "OECD", "IAEA", "ASEAN", "OAS", "OPEC", "APEC", "GCC", "CIS", "SADC",
    "ECOWAS", "IGAD", "WTO", "NPT", "ICAO", "FAO", "WFP", "IMF", "UNHCR", "UNICEF", "UNESCO", "USAID", "IRPO",
    "WHA", "EUR", "NEA", "EAP", "SCA", "ISN", "INR", "DPRK", "PRC", "UAE", "UK",
})


@dataclass(frozen=True)
class Country:
    name: str
    region: str  # the State Department bureau: WHA, EUR, NEA, AF, EAP, SCA
    groups: frozenset[str]  # sub-regions an audience may name: "latin", "caribbean", "gulf", "eu" ...
    cities: tuple[str, ...]  # its posts: the embassy first, then the consulates


def _countries(table: str) -> dict[str, Country]:
    """Read the table below: "REGION | groups | COUNTRY | CITY, CITY" per line."""
    countries = {}
    for line in table.strip().splitlines():
        region, groups, name, cities = (part.strip() for part in line.split("|"))
        countries[name] = Country(name, region, frozenset(groups.split()),
                                  tuple(c.strip() for c in cities.split(",") if c.strip()))
    return countries


# Written from general knowledge of the US diplomatic network (around 2010). Groups: latin (Latin America
# and the Caribbean), south, central, caribbean, andean, north (North America); eu (member states in
# 2010), nordic, baltic, balkan, eastern, western, caucasus; gulf, arab, north (Africa), maghreb, levant;
# west, east, central, southern, horn (of Africa); east (East Asia), southeast, pacific; south, central (Asia).
POSTS = _countries("""
WHA | latin south | ARGENTINA | BUENOS AIRES
WHA | latin caribbean | BAHAMAS | NASSAU
WHA | latin caribbean | BARBADOS | BRIDGETOWN
WHA | latin central | BELIZE | BELMOPAN
WHA | caribbean | BERMUDA | HAMILTON
WHA | latin south andean | BOLIVIA | LA PAZ
WHA | latin south | BRAZIL | BRASILIA, SAO PAULO, RIO DE JANEIRO, RECIFE
WHA | north | CANADA | OTTAWA, TORONTO, MONTREAL, VANCOUVER, CALGARY, HALIFAX, QUEBEC, WINNIPEG
WHA | latin south | CHILE | SANTIAGO
WHA | latin south andean | COLOMBIA | BOGOTA
WHA | latin central | COSTA RICA | SAN JOSE
WHA | latin caribbean | CUBA | HAVANA
WHA | latin caribbean | CURACAO | CURACAO
WHA | latin caribbean | DOMINICAN REPUBLIC | SANTO DOMINGO
WHA | latin south andean | ECUADOR | QUITO, GUAYAQUIL
WHA | latin central | EL SALVADOR | SAN SALVADOR
WHA | latin central | GUATEMALA | GUATEMALA
WHA | latin south caribbean | GUYANA | GEORGETOWN
WHA | latin caribbean | HAITI | PORT AU PRINCE
WHA | latin central | HONDURAS | TEGUCIGALPA
WHA | latin caribbean | JAMAICA | KINGSTON
WHA | latin north | MEXICO | MEXICO, MONTERREY, GUADALAJARA, TIJUANA, CIUDAD JUAREZ, NUEVO LAREDO, MATAMOROS, \
HERMOSILLO, MERIDA, NOGALES
WHA | latin central | NICARAGUA | MANAGUA
WHA | latin central | PANAMA | PANAMA
WHA | latin south | PARAGUAY | ASUNCION
WHA | latin south andean | PERU | LIMA
WHA | latin south caribbean | SURINAME | PARAMARIBO
WHA | latin caribbean | TRINIDAD AND TOBAGO | PORT OF SPAIN
WHA | latin south | URUGUAY | MONTEVIDEO
WHA | latin south andean | VENEZUELA | CARACAS
EUR | balkan | ALBANIA | TIRANA
EUR | caucasus | ARMENIA | YEREVAN
EUR | eu western central | AUSTRIA | VIENNA
EUR | caucasus | AZERBAIJAN | BAKU
EUR | eastern | BELARUS | MINSK
EUR | eu western | BELGIUM | BRUSSELS
EUR | balkan | BOSNIA AND HERZEGOVINA | SARAJEVO
EUR | eu eastern balkan | BULGARIA | SOFIA
EUR | balkan | CROATIA | ZAGREB
EUR | eu | CYPRUS | NICOSIA
EUR | eu central eastern | CZECH REPUBLIC | PRAGUE
EUR | eu nordic | DENMARK | COPENHAGEN
EUR | eu baltic eastern | ESTONIA | TALLINN
EUR | eu nordic | FINLAND | HELSINKI
EUR | eu western | FRANCE | PARIS, MARSEILLE, STRASBOURG
EUR | caucasus | GEORGIA | TBILISI
EUR | eu western central | GERMANY | BERLIN, FRANKFURT, MUNICH, HAMBURG, DUSSELDORF, LEIPZIG
EUR | eu balkan | GREECE | ATHENS, THESSALONIKI
EUR | western | HOLY SEE | VATICAN
EUR | eu central eastern | HUNGARY | BUDAPEST
EUR | nordic | ICELAND | REYKJAVIK
EUR | eu western | IRELAND | DUBLIN
EUR | eu western | ITALY | ROME, MILAN, NAPLES, FLORENCE
EUR | balkan | KOSOVO | PRISTINA
EUR | eu baltic eastern | LATVIA | RIGA
EUR | eu baltic eastern | LITHUANIA | VILNIUS
EUR | eu western | LUXEMBOURG | LUXEMBOURG
EUR | balkan | MACEDONIA | SKOPJE
EUR | eu | MALTA | VALLETTA
EUR | eastern | MOLDOVA | CHISINAU
EUR | balkan | MONTENEGRO | PODGORICA
EUR | eu western | NETHERLANDS | THE HAGUE, HAGUE, AMSTERDAM
EUR | nordic | NORWAY | OSLO
EUR | eu central eastern | POLAND | WARSAW, KRAKOW
EUR | eu western | PORTUGAL | LISBON, PONTA DELGADA
EUR | eu eastern balkan | ROMANIA | BUCHAREST
EUR | eastern | RUSSIA | MOSCOW, ST PETERSBURG, YEKATERINBURG, VLADIVOSTOK
EUR | balkan | SERBIA | BELGRADE
EUR | eu central eastern | SLOVAKIA | BRATISLAVA
EUR | eu central balkan | SLOVENIA | LJUBLJANA
EUR | eu western | SPAIN | MADRID, BARCELONA
EUR | eu nordic | SWEDEN | STOCKHOLM
EUR | western central | SWITZERLAND | BERN, GENEVA
EUR | | TURKEY | ANKARA, ISTANBUL, ADANA
EUR | eastern | UKRAINE | KYIV, KIEV
EUR | eu western | UNITED KINGDOM | LONDON, BELFAST, EDINBURGH
NEA | arab maghreb north | ALGERIA | ALGIERS
NEA | arab gulf | BAHRAIN | MANAMA
NEA | arab north | EGYPT | CAIRO, ALEXANDRIA
NEA | gulf | IRAN | TEHRAN
NEA | arab gulf | IRAQ | BAGHDAD, BASRAH, ERBIL, KIRKUK
NEA | levant | ISRAEL | TEL AVIV, JERUSALEM
NEA | arab levant | JORDAN | AMMAN
NEA | arab gulf | KUWAIT | KUWAIT
NEA | arab levant | LEBANON | BEIRUT
NEA | arab maghreb north | LIBYA | TRIPOLI
NEA | arab maghreb north | MOROCCO | RABAT, CASABLANCA
NEA | arab gulf | OMAN | MUSCAT
NEA | arab gulf | QATAR | DOHA
NEA | arab gulf | SAUDI ARABIA | RIYADH, JEDDAH, DHAHRAN
NEA | arab levant | SYRIA | DAMASCUS
NEA | arab maghreb north | TUNISIA | TUNIS
NEA | arab gulf | UNITED ARAB EMIRATES | ABU DHABI, DUBAI
NEA | arab | YEMEN | SANAA
AF | southern | ANGOLA | LUANDA
AF | west | BENIN | COTONOU
AF | southern | BOTSWANA | GABORONE
AF | west | BURKINA FASO | OUAGADOUGOU
AF | east central | BURUNDI | BUJUMBURA
AF | central | CAMEROON | YAOUNDE, DOUALA
AF | west | CAPE VERDE | PRAIA
AF | central | CENTRAL AFRICAN REPUBLIC | BANGUI
AF | central | CHAD | NDJAMENA
AF | east | COMOROS | MORONI
AF | central | CONGO | BRAZZAVILLE
AF | central | DEMOCRATIC REPUBLIC OF THE CONGO | KINSHASA
AF | west | COTE D IVOIRE | ABIDJAN
AF | east horn | DJIBOUTI | DJIBOUTI
AF | central | EQUATORIAL GUINEA | MALABO
AF | east horn | ERITREA | ASMARA
AF | east horn | ETHIOPIA | ADDIS ABABA
AF | central | GABON | LIBREVILLE
AF | west | GAMBIA | BANJUL
AF | west | GHANA | ACCRA
AF | west | GUINEA | CONAKRY
AF | west | GUINEA BISSAU | BISSAU
AF | east | KENYA | NAIROBI
AF | southern | LESOTHO | MASERU
AF | west | LIBERIA | MONROVIA
AF | southern east | MADAGASCAR | ANTANANARIVO
AF | southern | MALAWI | LILONGWE
AF | west | MALI | BAMAKO
AF | west | MAURITANIA | NOUAKCHOTT
AF | east | MAURITIUS | PORT LOUIS
AF | southern | MOZAMBIQUE | MAPUTO
AF | southern | NAMIBIA | WINDHOEK
AF | west | NIGER | NIAMEY
AF | west | NIGERIA | ABUJA, LAGOS
AF | east central | RWANDA | KIGALI
AF | west | SENEGAL | DAKAR
AF | west | SIERRA LEONE | FREETOWN
AF | east horn | SOMALIA | MOGADISHU
AF | southern | SOUTH AFRICA | PRETORIA, JOHANNESBURG, CAPE TOWN, DURBAN
AF | east horn | SUDAN | KHARTOUM
AF | southern | SWAZILAND | MBABANE
AF | east | TANZANIA | DAR ES SALAAM
AF | west | TOGO | LOME
AF | east | UGANDA | KAMPALA
AF | southern | ZAMBIA | LUSAKA
AF | southern | ZIMBABWE | HARARE
EAP | pacific | AUSTRALIA | CANBERRA, SYDNEY, MELBOURNE, PERTH
EAP | southeast | BRUNEI | BANDAR SERI BEGAWAN
EAP | southeast | BURMA | RANGOON
EAP | southeast | CAMBODIA | PHNOM PENH
EAP | east | CHINA | BEIJING, SHANGHAI, GUANGZHOU, SHENYANG, CHENGDU, HONG KONG
EAP | pacific | FIJI | SUVA
EAP | southeast | INDONESIA | JAKARTA, SURABAYA
EAP | east | JAPAN | TOKYO, OSAKA KOBE, NAHA, SAPPORO, FUKUOKA, NAGOYA
EAP | southeast | LAOS | VIENTIANE
EAP | southeast | MALAYSIA | KUALA LUMPUR
EAP | pacific | MARSHALL ISLANDS | MAJURO
EAP | pacific | MICRONESIA | KOLONIA
EAP | east | MONGOLIA | ULAANBAATAR
EAP | pacific | NEW ZEALAND | WELLINGTON, AUCKLAND
EAP | pacific | PALAU | KOROR
EAP | pacific | PAPUA NEW GUINEA | PORT MORESBY
EAP | southeast | PHILIPPINES | MANILA
EAP | pacific | SAMOA | APIA
EAP | southeast | SINGAPORE | SINGAPORE
EAP | east | SOUTH KOREA | SEOUL, BUSAN
EAP | east | TAIWAN | TAIPEI
EAP | southeast | THAILAND | BANGKOK, CHIANG MAI
EAP | southeast | TIMOR LESTE | DILI
EAP | southeast | VIETNAM | HANOI, HO CHI MINH CITY
SCA | central | AFGHANISTAN | KABUL
SCA | south | BANGLADESH | DHAKA
SCA | south | INDIA | NEW DELHI, MUMBAI, CHENNAI, KOLKATA, HYDERABAD
SCA | central | KAZAKHSTAN | ASTANA, ALMATY
SCA | central | KYRGYZSTAN | BISHKEK
SCA | south | NEPAL | KATHMANDU
SCA | south | PAKISTAN | ISLAMABAD, KARACHI, LAHORE, PESHAWAR
SCA | south | SRI LANKA | COLOMBO
SCA | central | TAJIKISTAN | DUSHANBE
SCA | central | TURKMENISTAN | ASHGABAT
SCA | central | UZBEKISTAN | TASHKENT
""".replace("\\\n", ""))

CITIES: dict[str, Country] = {_key: c for c in POSTS.values() for city in c.cities
                              for _key in [re.sub(r"[^A-Z]", "", city)]}
# Multilateral missions, by the code their reference IDs carry.
MISSIONS = ("USUN NEW YORK", "USNATO", "USEU BRUSSELS", "UNVIE VIENNA", "USOSCE", "USOECD", "UN ROME",
            "USAU ADDIS ABABA", "GENEVA", "USUN ROME", "USCINCPAC")
CITY_NAMES: dict[str, str] = {re.sub(r"[^A-Z]", "", name): name
                              for name in (*MISSIONS, *(city for c in POSTS.values() for city in c.cities))}


def _in(region: str, *groups: str):
    """A test on a country: in the bureau (any bureau when "") and in any of the groups (any when none)."""
    return lambda c: (not region or c.region == region) and (not groups or bool(c.groups & set(groups)))


# Words that name a region in an audience line, the narrower first: "North African" is not read as "African".
REGION_WORDS = [
    (r"latin america(?:n)?(?: and (?:the )?caribbean)?", _in("WHA", "latin")),
    (r"western hemisphere|wha", _in("WHA")),
    (r"south america(?:n)?", _in("WHA", "south")),
    (r"central america(?:n)?", _in("WHA", "central")),
    (r"north america(?:n)?", _in("WHA", "north")),
    (r"caribbean", _in("WHA", "caribbean")),
    (r"andean", _in("WHA", "andean")),
    (r"(?:eastern|east) europe(?:an)?", _in("EUR", "eastern")),
    (r"(?:western|west) europe(?:an)?", _in("EUR", "western")),
    (r"central europe(?:an)?", _in("EUR", "central")),
    (r"european union|eu", _in("EUR", "eu")),
    (r"europe(?:an)?|eur", _in("EUR")),
    (r"nordic|scandinavian", _in("EUR", "nordic")),
    (r"baltic", _in("EUR", "baltic")),
    (r"balkans?", _in("EUR", "balkan")),
    (r"caucasus|caucasian", _in("EUR", "caucasus")),
    (r"north africa(?:n)?", _in("NEA", "north")),
    (r"maghreb", _in("NEA", "maghreb")),
    (r"(?:persian |arabian )?gulf|gcc", _in("NEA", "gulf")),
    (r"arab(?: world)?", _in("NEA", "arab")),
    (r"levant(?:ine)?", _in("NEA", "levant")),
    (r"middle east(?:ern)?|near east(?:ern)?|nea|mena", _in("NEA")),
    (r"sub saharan(?: africa(?:n)?)?", _in("AF")),
    (r"west africa(?:n)?", _in("AF", "west")),
    (r"east africa(?:n)?", _in("AF", "east")),
    (r"central africa(?:n)?", _in("AF", "central")),
    (r"southern africa(?:n)?", _in("AF", "southern")),
    (r"horn of africa", _in("AF", "horn")),
    (r"africa(?:n)?|af", _in("AF")),
    (r"south ?east asia(?:n)?|asean", _in("EAP", "southeast")),
    (r"east asia(?:n)?(?: and (?:the )?pacific)?|eap", _in("EAP")),
    (r"asia pacific", _in("EAP")),
    (r"pacific", _in("EAP", "pacific")),
    (r"south asia(?:n)?", _in("SCA", "south")),
    (r"central asia(?:n)?", _in("SCA", "central")),
    (r"sca", _in("SCA")),
    (r"asia(?:n)?", lambda c: c.region in {"EAP", "SCA"}),
]
REGION_RE = re.compile(r"\b(?:%s)\b" % "|".join(f"({pattern})" for pattern, _ in REGION_WORDS))
COUNTRY_NAMES_RE = re.compile(r"\b(?:%s)\b" % "|".join(
    sorted((name.lower() for name in POSTS if " " in name), key=len, reverse=True)))
ALL_RE = re.compile(r"\ball (?:action |info |other |collective |diplomatic )?(?:posts|addressees|recipients|"
                    r"missions|embassies|constituent posts)\b")


def _place(text: str) -> str:
    """The place part of a post as written, upper case: "AMEMBASSY BUENOS AIRES" -> "BUENOS AIRES"."""
    text = PRECEDENCE_RE.sub("", re.sub(r"[\s,]+", " ", (text or "").upper()).strip())
    text = re.sub(r"^(?:R[A-Z0-9]{3,7}/)", "", text)  # a routing indicator left in front
    return KIND_PREFIX_RE.sub("", text).strip()


def post_key(text: str) -> str:
    """One key per post: "AMEMBASSY BUENOS AIRES", "Embassy Buenos Aires", "BUENOSAIRES" and
    "09BUENOSAIRES123" all give "BUENOSAIRES"; SECSTATE and "Secretary of State" give "STATE"."""
    compact = re.sub(r"\s+", "", (text or "").upper())
    reference = REFERENCE_ID_RE.match(compact)
    if reference:
        return reference.group(1)
    place = _place(text)
    if STATE_RE.match(place):
        return "STATE"
    key = re.sub(r"[^A-Z]", "", place)
    if len(key) >= 3 and key not in CITIES:  # the flattened form drops short words: "PAZ" for La Paz
        endings = [city for city in CITIES if city.endswith(key)]
        if len(endings) == 1:
            return endings[0]
    return key


def post_name(text: str) -> str:
    """How a post is shown: "Buenos Aires", "Sao Paulo", "USUN New York", "Iran Collective", "Washington"."""
    key = post_key(text)
    if key == "STATE":
        return "Washington"
    place = _place(text)
    if REFERENCE_ID_RE.match(re.sub(r"\s+", "", (text or "").upper())) or " " not in place:
        place = CITY_NAMES.get(key, place)  # a reference ID's code: spaced from the table where known
    return " ".join(_display_word(word, first=not i) for i, word in enumerate(place.split()))


def _display_word(word: str, first: bool) -> str:
    """One upper-case word of a post's place as shown: an acronym or a mission code stays upper case ("UN",
    "USUN", "NATO"), a small word inside a name is lower case ("Port au Prince"), any other word capitalised."""
    if not first and word in SMALL_WORDS:
        return word.lower()
    if word in ACRONYMS or (MISSION_CODE_RE.match(word) and word not in NOT_CODES):
        return word
    return word.capitalize()


def country_of(post: str) -> Country | None:
    """The country of a post, from its place or the last words of it ("UNVIE VIENNA" -> Austria).

    The flattened form drops short words ("AMEMBASSY PAZ" for La Paz): a key that ends exactly one
    known city's key is taken to be that city."""
    words = _place(post).split()
    for start in range(len(words)):
        key = re.sub(r"[^A-Z]", "", "".join(words[start:]))
        if key in CITIES:
            return CITIES[key]
    key = post_key(post)  # resolves a key that ends exactly one known city's ("PAZ")
    if key in CITIES:
        return CITIES[key]
    inside = [city for city in CITIES if len(city) >= 4 and key.endswith(city)]  # "UNVIEVIENNA"
    return CITIES[max(inside, key=len)] if inside else None


def _words(text: str) -> str:
    """Lower-case words separated by single spaces, so written and flattened forms compare alike."""
    return " " + re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip() + " "


def _names(post: str) -> list[str]:
    """The words by which an audience line may name an addressee: its place, its country, a collective's
    subject ("IRAN COLLECTIVE" -> "iran")."""
    place = _place(post)
    names = [place, re.sub(r"\s+COLLECTIVE$", "", place)]
    code, _, rest = place.partition(" ")
    if rest and (MISSION_CODE_RE.match(code) or code == "UN"):  # "USUN NEW YORK": "usun", "new york"
        names += [rest] + ([code] if len(code) >= 4 else [])
    country = country_of(post)
    if country:
        names.append(country.name)
    return [_words(n).strip() for n in names if _words(n).strip()]


def _bilateral(post: str) -> bool:
    """An embassy or consulate, not a mission to an organisation ("USMISSION GENEVA", "USEU BRUSSELS"):
    a regional audience ("European posts") means the former."""
    text = re.sub(r"\s+", " ", post.upper()).strip()
    return not text.startswith(("USMISSION", "MISSION")) and not MISSION_CODE_RE.match(_place(post).split(" ")[0])


EXCEPT_RE = re.compile(r" (?:except(?: for)?|excluding|other than|but not) ")
# The cities of the posts and the missions, as an audience line writes them ("dubai", "the hague").
PLACES_RE = re.compile(r"(?<= )(?:%s)(?= )" % "|".join(
    sorted({_words(name).strip() for name in CITY_NAMES.values()}, key=len, reverse=True)))


def audience_posts(audience: str, addressed: Sequence[str], info: Sequence[str] = (),
                   named_before: Sequence[str] = ()) -> tuple[str, ...]:
    """The posts an audience line names, as the cable writes them: by place ("FOR HAVANA AND MOSCOW"), by
    region ("For Latin American posts"), all of them ("all posts"); () when it names none.

    A post the line names is addressed however the cable routes it: among the action addressees
    (`addressed`, the TO list) or the information ones (`info`); a place no addressee stands for (a post
    reached through a collective, or a TO list cut short) is given as named, "DUBAI", keyed as its post
    is. "All posts" are the action addressees; "all other addressees", "the remaining posts" those of
    them that the cable's earlier audiences (`named_before`, the posts they named) left out, and "other
    Latin American posts" the region's left out."""
    text = _words(audience)
    if not text.strip():
        return ()
    but = EXCEPT_RE.search(text)
    if but:  # "FOR ALL ADDRESSEES EXCEPT MOSCOW", "FOR LATIN AMERICAN POSTS (EXCEPT HAVANA)"
        left_out = {post_key(post) for post in audience_posts(text[but.end():], addressed, info)}
        return tuple(post for post in audience_posts(text[:but.start()], addressed, info, named_before)
                     if post_key(post) not in left_out)
    unnamed = COUNTRY_NAMES_RE.sub(" ", text)  # "South Africa" names a country, not the region Africa
    regions = [(m.group(0), REGION_WORDS[i][1]) for m in REGION_RE.finditer(unnamed)
               for i, g in enumerate(m.groups()) if g]
    routed = list(dict.fromkeys([*addressed, *info]))
    named = [post for post in routed if _names_post(text, post, regions)]
    others = is_others(audience)
    if not named and (others or ALL_RE.search(text)):
        named = list(addressed)
    if others:
        earlier = {post_key(post) for post in named_before}
        named = [post for post in named if post_key(post) not in earlier]
    return (*named, *_places_unrouted(text, routed))


OTHERS_RE = re.compile(r" (?:other|remaining)(?: [a-z]+){0,3}? (?:posts|addressees|recipients|missions|embassies"
                       r"|consulates)(?= )| rest of (?:the )?(?:posts|addressees) | all others ")


def is_others(audience: str) -> bool:
    """An audience of the addressees that earlier audiences left out: "For all other addressees", "For the
    remaining posts", "For other Latin American posts"."""
    return bool(OTHERS_RE.search(_words(audience)))


def _places_unrouted(text: str, routed: list[str]) -> list[str]:
    """The posts an audience line (`_words`) names by place that no addressee stands for, as named."""
    answered = {name for post in routed for name in _names(post)}  # "mexico": Monterrey's country
    keys = {post_key(post) for post in routed}
    places = [CITY_NAMES[re.sub(r"[^a-z]", "", place).upper()] for place in PLACES_RE.findall(text)
              if place not in answered]
    return [place for place in dict.fromkeys(places) if post_key(place) not in keys]


def _names_post(text: str, post: str, regions: list) -> bool:
    """Whether an audience line (`_words`) names an addressee: by place or country, or by a region it is in."""
    if any(f" {name} " in text for name in _names(post)):
        return True
    if post.upper().rstrip().endswith("COLLECTIVE"):  # "EU MEMBER STATES COLLECTIVE" for "EU posts"
        return any(f" {words} " in _words(post) for words, _ in regions)
    return _bilateral(post) and (country := country_of(post)) is not None and any(test(country) for _, test in regions)


# ----------------------------------------------------------------------------- collectives
#
# A TO list may name a collective ("ALL DIPLOMATIC AND CONSULAR POSTS COLLECTIVE", "WESTERN HEMISPHERIC
# AFFAIRS DIPL POSTS", "EU MEMBER STATES COLLECTIVE", "IRAN COLLECTIVE"): a group of posts, not a post
# that reports. `covers` says which posts belong to one, by the region tables above.

GROUP_END_RE = re.compile(r"\b(?:COLLECTIVE|POSTS|MISSIONS|EMBASSIES|CONSULATES|ADDRESSEES)$")
# Words that say "posts" rather than where: what is left when a collective names no place is worldwide.
GENERIC_WORDS = frozenset({
    "all", "to", "info", "us", "american", "diplomatic", "dipl", "consular", "and", "other", "action",
    "collective", "posts", "post", "missions", "embassies", "consulates", "addressees", "constituent",
    "member", "states", "affairs", "political", "in", "the", "of", "regional", "worldwide", "world",
})
WORLDWIDE_WORDS = frozenset({"all", "diplomatic", "dipl", "worldwide"})
# Words that narrow a named country to its own posts ("CHINA POSTS COLLECTIVE"); without them a collective
# named after a country ("IRAQ COLLECTIVE") is the posts of that country's region, which follow it.
OWN_POSTS_WORDS = frozenset({"posts", "post", "consulates", "embassies", "missions", "in", "political"})
# Groups of states by membership in 2008-2010, not by region: NATO (Albania and Croatia from April 2009),
# the Southern African Development Community (the "southern" group, and Congo-Kinshasa, Tanzania, Mauritius).
NATO = frozenset({"ALBANIA", "BELGIUM", "BULGARIA", "CANADA", "CROATIA", "CZECH REPUBLIC", "DENMARK", "ESTONIA",
                  "FRANCE", "GERMANY", "GREECE", "HUNGARY", "ICELAND", "ITALY", "LATVIA", "LITHUANIA", "LUXEMBOURG",
                  "NETHERLANDS", "NORWAY", "POLAND", "PORTUGAL", "ROMANIA", "SLOVAKIA", "SLOVENIA", "SPAIN",
                  "TURKEY", "UNITED KINGDOM"})
SADC = frozenset({name for name, c in POSTS.items() if c.region == "AF" and "southern" in c.groups}
                 | {"DEMOCRATIC REPUBLIC OF THE CONGO", "TANZANIA", "MAURITIUS"})
# IRAN COLLECTIVE. Read as other collectives named after a country are (its region's posts), it was the
# Near East's posts, Tehran among them; but the US has had no post in Iran since 1980, and in 2008-2010 the
# posts that follow Iran sat around it and beyond the bureau: the Iran Regional Presence Office in Dubai and
# the Iran watchers at Baku, Istanbul, Ashgabat, London and Frankfurt (taskings address it "FOR IRAN
# WATCHERS AND THE IRAN REGIONAL PRESENCE OFFICE (IRPO)"), and Iran's neighbours beyond the Near East. The
# Near East's posts stay in: membership is asked of posts that answered, where a collective read too wide
# costs little and one too narrow marks a member's answer as unasked. Other capitals that follow Iran's
# nuclear file (the P5+1's) may have been members too; not known, they are left out.
IRAN_NEIGHBOURS = frozenset({"TURKEY", "AZERBAIJAN", "ARMENIA", "TURKMENISTAN", "AFGHANISTAN", "PAKISTAN"})
IRAN_WATCHERS = frozenset({"LONDON", "FRANKFURT"})  # the others are in IRAN_NEIGHBOURS or the Near East
CIS = frozenset({"ARMENIA", "AZERBAIJAN", "BELARUS", "KAZAKHSTAN", "KYRGYZSTAN", "MOLDOVA", "RUSSIA",
                 "TAJIKISTAN", "TURKMENISTAN", "UZBEKISTAN", "UKRAINE"})
# Names collectives use beyond those of audience lines (REGION_WORDS), matched first.
COLLECTIVE_WORDS = [
    (r"western hemispher(?:e|ic)(?: affairs)?", _in("WHA")),
    (r"south and central asia(?:n)?", _in("SCA")),
    (r"near east(?:ern)? (?:and )?(?:south )?asia(?:n)?", lambda c: c.region in {"NEA", "SCA"}),
    (r"gulf cooperation council|gcc", lambda c: {"gulf", "arab"} <= c.groups and c.name != "IRAQ"),
    (r"cis|commonwealth of independent states", lambda c: c.name in CIS),
    (r"arab israeli", lambda c: "arab" in c.groups or c.name == "ISRAEL"),  # "israeli" names no place
    (r"nato", lambda c: c.name in NATO),
    (r"southern af(?:rica(?:n)?)? development community|sadc", lambda c: c.name in SADC),
]
PLACE_NAMES_RE = re.compile(r"\b(?:" + "|".join(sorted(
    {n.lower() for n in POSTS} | {city.lower() for c in POSTS.values() for city in c.cities}, key=len, reverse=True))
    + r")\b")


def is_collective(post: str) -> bool:
    """A collective or group addressee ("IRAN COLLECTIVE", "WESTERN HEMISPHERIC AFFAIRS DIPL POSTS",
    "ALL DIPLOMATIC AND CONSULAR POSTS"), as written or as shown ("Iran Collective"), not a post."""
    return bool(GROUP_END_RE.search(_place(post)))


def _countries(test) -> frozenset[str]:
    return frozenset(name for name, country in POSTS.items() if test(country))


def _anywhere(post: str) -> bool:
    return post_key(post) not in ("", "STATE", "WASHINGTON")  # the Department is not a post


@functools.lru_cache(maxsize=4096)
def _membership(collective: str):
    """A test on a post's written form, or None when the collective's members are unknown (a topic,
    "ENVIRONMENT SCIENCE AND TECHNOLOGY COLLECTIVE", or an organisation without a region)."""
    if not is_collective(collective):
        return None
    if _place(collective) == "IRAN COLLECTIVE":
        return _in_iran_collective
    text = _words(_place(collective))
    words = set(text.split())
    if not words - GENERIC_WORDS:
        return _anywhere if words & WORLDWIDE_WORDS else None
    groups: list[frozenset[str]] = []
    for pattern, test in COLLECTIVE_WORDS:
        found = re.search(rf"\b(?:{pattern})\b", text)
        if found:
            groups.append(_countries(test))
            text = text.replace(found.group(0), " ")
    unnamed = COUNTRY_NAMES_RE.sub(" ", text)  # "South Africa" is a country, not the region Africa
    groups += [_countries(REGION_WORDS[i][1]) for m in REGION_RE.finditer(unnamed)
               for i, g in enumerate(m.groups()) if g]
    own: set[str] = set()  # countries whose own posts are meant ("CHINA POSTS", "MOSCOW POLITICAL")
    for place in PLACE_NAMES_RE.findall(text):
        upper = place.upper()
        country = POSTS.get(upper) or CITIES.get(re.sub(r"[^A-Z]", "", upper))
        if upper not in POSTS or words & OWN_POSTS_WORDS:
            own.add(country.name)
        else:  # "IRAQ COLLECTIVE": the posts of Iraq's region (its bureau)
            groups.append(_countries(_in(country.region)))
    if own:
        groups.append(frozenset(own))
    # A bureau beside a narrower name is its qualifier: "WHA CENTRAL AMERICAN" is Central America.
    groups = [g for g in groups if not any(other < g for other in groups)]
    members = frozenset().union(*groups)
    if not members:
        return None
    consulates_only = "consulates" in words and "embassies" not in words  # "ALL US CONSULATES IN MEXICO"
    embassies = {re.sub(r"[^A-Z]", "", POSTS[name].cities[0]) for name in own}

    def test(post: str) -> bool:
        country = country_of(post)
        if not country or country.name not in members or not _bilateral(post):
            return False
        return not (consulates_only and country.name in own and post_key(post) in embassies)

    return test


def _in_iran_collective(post: str) -> bool:
    country = country_of(post)
    return bool(country) and _bilateral(post) and country.name != "IRAN" and (
        country.region == "NEA" or country.name in IRAN_NEIGHBOURS or post_key(post) in IRAN_WATCHERS)


def covers(collective: str, post: str) -> bool:
    """Whether a post ("AMEMBASSY CARACAS", "Caracas", "CARACAS") belongs to a collective, both as written
    or as shown. A worldwide collective ("ALL DIPLOMATIC AND CONSULAR POSTS COLLECTIVE", "ALL POSTS")
    holds every post (not the Department, nor another collective); a regional one the embassies and
    consulates in its region, read as an audience line's region is ("WESTERN HEMISPHERIC AFFAIRS DIPL
    POSTS", "EU MEMBER STATES COLLECTIVE", "WHA CENTRAL AMERICAN COLLECTIVE"); one named after a country
    the posts of that country's region ("IRAQ COLLECTIVE": the Near East's), or its own posts when it says
    so ("CHINA POSTS COLLECTIVE", "MOSCOW POLITICAL COLLECTIVE"); IRAN COLLECTIVE the posts that follow Iran
    (IRAN_WATCHERS, IRAN_NEIGHBOURS). A collective named for a topic holds no post it could name."""
    test = _membership(collective)
    return bool(test) and not is_collective(post) and test(post)


def collective_members(collective: str, posts: Sequence[str]) -> tuple[str, ...]:
    """The posts (as given) that belong to a collective: `covers` over a list."""
    return tuple(post for post in posts if covers(collective, post))
