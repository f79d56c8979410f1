//! The gazetteer's tables as one byte buffer: the places, their match forms and keys in hash
//! tables, and the longest name starting with each word. [`compile`] builds the buffer from the
//! TSV (`build.rs` runs it at build time for the bundled gazetteer, `Gazetteer::from_tsv` at run
//! time for small ones); [`Index`] reads it in place, without building anything.
//!
//! This file uses only `std` and `crate::text`: `build.rs` includes it as a module of its own.
//!
//! Layout (little-endian): a header of [`SECTIONS`] (offset, length) pairs of u32, then the
//! sections. Strings are UTF-8 in one arena. A place is a [`PLACE`]-byte record; a name table
//! is entries of [`ENTRY`] bytes (hash, text, places, flags), open-addressed slots of u32 (entry
//! + 1, 0 empty, linear probing) and the place ids its entries point at.

use std::collections::HashMap;

use crate::text::{fold, key};

/// What kind of place a row is; also its geo precision (1 town/site, 2 district, 3 region).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceKind {
    Town,
    Site,
    /// A forest, park, cliff or other wide area ("Sambisa forest", "Parc W", "Timbuktu Triangle"):
    /// a site as large as a district.
    Zone,
    /// A district: cercle, province, département, LGA, moughataa; also a commune (`admin3` rows).
    Admin2,
    Admin1,
    Country,
}

impl PlaceKind {
    /// DESIGN §3.2 `geo_precision`.
    pub fn precision(self) -> u8 {
        match self {
            PlaceKind::Town | PlaceKind::Site => 1,
            PlaceKind::Admin2 | PlaceKind::Zone => 2,
            PlaceKind::Admin1 | PlaceKind::Country => 3,
        }
    }

    const ALL: [PlaceKind; 6] = [
        PlaceKind::Town,
        PlaceKind::Site,
        PlaceKind::Zone,
        PlaceKind::Admin2,
        PlaceKind::Admin1,
        PlaceKind::Country,
    ];
}

/// Flags of a place that matter for severity and matching.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlaceFlags {
    pub national_capital: bool,
    pub admin1_capital: bool,
    pub admin2_capital: bool,
    pub airport: bool,
    pub unesco: bool,
    pub common_word: bool,
}

impl PlaceFlags {
    fn bits(self) -> u8 {
        [
            self.national_capital,
            self.admin1_capital,
            self.admin2_capital,
            self.airport,
            self.unesco,
            self.common_word,
        ]
        .iter()
        .enumerate()
        .fold(0, |acc, (i, b)| acc | (u8::from(*b) << i))
    }

    fn from_bits(b: u8) -> PlaceFlags {
        let bit = |i: u8| b & (1 << i) != 0;
        PlaceFlags {
            national_capital: bit(0),
            admin1_capital: bit(1),
            admin2_capital: bit(2),
            airport: bit(3),
            unesco: bit(4),
            common_word: bit(5),
        }
    }
}

/// One gazetteer row.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub country: String,
    pub admin1: String,
    pub admin2: String,
    pub lat: f64,
    pub lon: f64,
    pub kind: PlaceKind,
    pub population: u32,
    pub flags: PlaceFlags,
    /// From the curated supplement (places that recur in security news), not bare GeoNames.
    pub curated: bool,
}

/// Index of a place in the gazetteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlaceId(pub u32);

/// The name is an ordinary word: needs a locative word before it.
pub const COMMON: u8 = 1;
/// The name is also a given name or surname: needs a place word before it and no capitalised
/// word after it.
pub const PERSON: u8 = 2;

/// The sections of the buffer, in order.
const SECTIONS: usize = 11;
const STRINGS: usize = 0;
const PLACES: usize = 1;
const FORM_ENTRIES: usize = 2;
const FORM_SLOTS: usize = 3;
const FORM_PLACES: usize = 4;
const KEY_ENTRIES: usize = 5;
const KEY_SLOTS: usize = 6;
const KEY_PLACES: usize = 7;
const FIRST_WORDS: usize = 8;
const TEXT: usize = 9;
const NOTABLE: usize = 10;
/// Bytes of a place record: four strings (offset u32, length u16), lat, lon, population, kind,
/// flags, curated.
const PLACE: usize = 4 * 6 + 8 + 8 + 4 + 3;
/// Bytes of a name-table entry: hash (high half), text offset, text length (u16), flags (u8),
/// first place, number of places (u16).
const ENTRY: usize = 4 + 4 + 2 + 1 + 4 + 2;
/// Identifies the format (bump with any layout change).
const MAGIC: &[u8; 8] = b"sitgaz01";

/// A fast hash of short strings (words and names), stable across builds and machines: the
/// tables in the buffer are laid out by it.
pub fn hash(s: &str) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes = s.as_bytes();
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(b)).wrapping_mul(K).rotate_left(29);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// One parsed row with its names and their flags.
type Row = (Place, Vec<(String, u8)>);

/// Builds the buffer from the TSV format written by `scripts/build_gazetteer.py`; a bad row is
/// `(line number, message)`.
pub fn compile(tsv: &str) -> Result<Vec<u8>, (usize, String)> {
    let mut places = Vec::new();
    let mut forms: Vec<(String, PlaceId, u8)> = Vec::new();
    let mut keys: Vec<(String, PlaceId, u8)> = Vec::new();
    for (n, line) in tsv.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let (place, names) = parse_row(line).map_err(|message| (n + 1, message))?;
        let id = PlaceId(places.len() as u32);
        for (name, flags) in names {
            let k = key(&name);
            if k.len() < 3 {
                continue;
            }
            keys.push((k, id, 0));
            for form in match_forms(&name) {
                forms.push((form, id, flags));
            }
        }
        places.push(place);
    }
    let rank: Vec<u64> = places.iter().map(rank).collect();
    let mut w = Writer::default();
    let place_bytes = w.places(&places);
    let forms = NameTable::build(forms, &rank);
    let keys = NameTable::build(keys, &rank);
    let first_words = first_words(&forms);
    let mut sections: [Vec<u8>; SECTIONS] = Default::default();
    sections[PLACES] = place_bytes;
    [
        sections[FORM_ENTRIES],
        sections[FORM_SLOTS],
        sections[FORM_PLACES],
    ] = forms.bytes(&mut w);
    [
        sections[KEY_ENTRIES],
        sections[KEY_SLOTS],
        sections[KEY_PLACES],
    ] = keys.bytes(&mut w);
    sections[FIRST_WORDS] = first_words;
    sections[NOTABLE] = (0..places.len())
        .filter(|i| {
            let p = &places[*i];
            p.kind == PlaceKind::Country || (p.kind == PlaceKind::Town && p.flags.national_capital)
        })
        .flat_map(|i| (i as u32).to_le_bytes())
        .collect();
    sections[STRINGS] = std::mem::take(&mut w.strings).into_bytes();
    sections[TEXT] = std::mem::take(&mut w.text).into_bytes();
    Ok(assemble(&sections))
}

/// The header and the sections, each section starting at a multiple of 8.
fn assemble(sections: &[Vec<u8>; SECTIONS]) -> Vec<u8> {
    let header = MAGIC.len() + SECTIONS * 8;
    let mut out = vec![0u8; header];
    out[..MAGIC.len()].copy_from_slice(MAGIC);
    for (i, s) in sections.iter().enumerate() {
        while !out.len().is_multiple_of(8) {
            out.push(0);
        }
        let at = MAGIC.len() + i * 8;
        let start = out.len() as u32;
        out[at..at + 4].copy_from_slice(&start.to_le_bytes());
        out[at + 4..at + 8].copy_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s);
    }
    out
}

/// The string arena (place fields, each distinct string once) and the name tables' text.
#[derive(Default)]
struct Writer {
    strings: String,
    interned: HashMap<String, u32>,
    text: String,
}

impl Writer {
    fn string(&mut self, s: &str, out: &mut Vec<u8>) {
        let at = match self.interned.get(s) {
            Some(at) => *at,
            None => {
                let at = self.strings.len() as u32;
                self.strings.push_str(s);
                self.interned.insert(s.to_string(), at);
                at
            }
        };
        out.extend_from_slice(&at.to_le_bytes());
        out.extend_from_slice(&(s.len().min(u16::MAX as usize) as u16).to_le_bytes());
    }

    fn places(&mut self, places: &[Place]) -> Vec<u8> {
        let mut out = Vec::with_capacity(places.len() * PLACE);
        for p in places {
            for s in [&p.name, &p.country, &p.admin1, &p.admin2] {
                self.string(s, &mut out);
            }
            out.extend_from_slice(&p.lat.to_le_bytes());
            out.extend_from_slice(&p.lon.to_le_bytes());
            out.extend_from_slice(&p.population.to_le_bytes());
            out.push(p.kind as u8);
            out.push(p.flags.bits());
            out.push(u8::from(p.curated));
        }
        out
    }
}

/// Distinct strings with the places each names (most prominent first) and their flags, as
/// [`compile`] gathers them before laying them out.
struct NameTable {
    strings: Vec<String>,
    flags: Vec<u8>,
    /// Per string, its range in `places`.
    ranges: Vec<(u32, u32)>,
    places: Vec<PlaceId>,
}

impl NameTable {
    /// Builds the table from (string, place, flags) triples; `rank` orders each string's places.
    fn build(items: Vec<(String, PlaceId, u8)>, rank: &[u64]) -> NameTable {
        let mut position: HashMap<String, u32> = HashMap::new();
        let mut t = NameTable {
            strings: Vec::new(),
            flags: Vec::new(),
            ranges: Vec::new(),
            places: Vec::new(),
        };
        let mut pairs: Vec<(u32, u64, PlaceId)> = Vec::with_capacity(items.len());
        for (s, id, flags) in items {
            let e = match position.get(&s) {
                Some(e) => *e,
                None => {
                    let e = t.strings.len() as u32;
                    position.insert(s.clone(), e);
                    t.strings.push(s);
                    t.flags.push(0);
                    e
                }
            };
            t.flags[e as usize] |= flags;
            pairs.push((e, rank[id.0 as usize], id));
        }
        pairs.sort_unstable();
        pairs.dedup_by_key(|p| (p.0, p.2));
        t.places = pairs.iter().map(|p| p.2).collect();
        t.ranges = vec![(0, 0); t.strings.len()];
        let mut i = 0;
        while i < pairs.len() {
            let e = pairs[i].0;
            let j = i + pairs[i..].iter().take_while(|p| p.0 == e).count();
            t.ranges[e as usize] = (i as u32, j as u32);
            i = j;
        }
        t
    }

    /// The entries, slots and place ids of the table; its strings go to the writer's text.
    fn bytes(&self, w: &mut Writer) -> [Vec<u8>; 3] {
        let mut entries = Vec::with_capacity(self.strings.len() * ENTRY);
        let mut slots = vec![0u8; table_size(self.strings.len()) * 4];
        let mask = slots.len() / 4 - 1;
        for (e, s) in self.strings.iter().enumerate() {
            let h = hash(s);
            let at = w.text.len() as u32;
            w.text.push_str(s);
            let (start, end) = self.ranges[e];
            assert!(end - start <= u32::from(u16::MAX), "{s}: too many places");
            entries.extend_from_slice(&((h >> 32) as u32).to_le_bytes());
            entries.extend_from_slice(&at.to_le_bytes());
            entries.extend_from_slice(&(s.len() as u16).to_le_bytes());
            entries.push(self.flags[e]);
            entries.extend_from_slice(&start.to_le_bytes());
            entries.extend_from_slice(&((end - start) as u16).to_le_bytes());
            let mut i = h as usize & mask;
            while slots[i * 4..i * 4 + 4] != [0; 4] {
                i = (i + 1) & mask;
            }
            slots[i * 4..i * 4 + 4].copy_from_slice(&(e as u32 + 1).to_le_bytes());
        }
        let places = self.places.iter().flat_map(|p| p.0.to_le_bytes()).collect();
        [entries, slots, places]
    }
}

/// Slots of an open-addressed table of `n` items: a power of two, at most half full.
fn table_size(n: usize) -> usize {
    (n * 2).next_power_of_two().max(8)
}

/// The first-word table: for the hash of each first word of a form, the most words of a form
/// starting with it, in slots of u64 (the hash's high 56 bits, then the count in the low byte;
/// 0 empty).
fn first_words(forms: &NameTable) -> Vec<u8> {
    let mut most: HashMap<u64, u8> = HashMap::new();
    for form in &forms.strings {
        let words = form.split(' ').count().min(u8::MAX as usize) as u8;
        let first = form.split(' ').next().unwrap_or(form);
        let max = most.entry(hash(first)).or_insert(0);
        *max = (*max).max(words);
    }
    let mut slots = vec![0u64; table_size(most.len())];
    let mask = slots.len() - 1;
    let mut items: Vec<(u64, u8)> = most.into_iter().collect();
    items.sort_unstable();
    for (h, n) in items {
        let mut i = h as usize & mask;
        while slots[i] != 0 {
            i = (i + 1) & mask;
        }
        slots[i] = (h & !0xff) | u64::from(n);
    }
    slots.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// Prominence order of a place among its namesakes: capitals first, then regions (Nasarawa the
/// state before Nasarawa the town), then any place that is counted, curated or an admin unit
/// before an uncounted village or site ("Borno" the state before a hamlet called Borno), then
/// population, then the finer kind.
fn rank(p: &Place) -> u64 {
    let capital = p.flags.national_capital as u64 + p.flags.admin1_capital as u64;
    let obscure =
        !p.curated && p.population == 0 && matches!(p.kind, PlaceKind::Town | PlaceKind::Site);
    // A region comes before a town of its name that is not its capital ("Nasarawa").
    let not_region = p.kind != PlaceKind::Admin1;
    ((2 - capital) << 42)
        | (u64::from(not_region) << 41)
        | (u64::from(obscure) << 40)
        | (u64::from(u32::MAX - p.population) << 8)
        | p.kind as u64
}

/// One TSV line: the place and its names (name first, then aliases) with their flags.
fn parse_row(line: &str) -> Result<Row, String> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() < 10 {
        return Err(format!("{} columns, expected 11", cols.len()));
    }
    let kind = match cols[6] {
        "town" => PlaceKind::Town,
        "site" if is_zone(cols[0]) => PlaceKind::Zone,
        "site" => PlaceKind::Site,
        "admin2" | "admin3" => PlaceKind::Admin2,
        "admin1" => PlaceKind::Admin1,
        "country" => PlaceKind::Country,
        other => return Err(format!("unknown kind {other:?}")),
    };
    let mut flags = PlaceFlags::default();
    let mut name_flags = 0;
    for f in cols[8].split(',').map(str::trim).filter(|f| !f.is_empty()) {
        match f {
            "national_capital" => flags.national_capital = true,
            "admin1_capital" => flags.admin1_capital = true,
            "admin2_capital" => flags.admin2_capital = true,
            "airport" => flags.airport = true,
            "unesco" => flags.unesco = true,
            "common_word" => flags.common_word = true,
            "person_name" => name_flags |= PERSON,
            _ => {}
        }
    }
    if flags.common_word {
        name_flags |= COMMON;
    }
    let coord = |s: &str| {
        s.trim()
            .parse::<f64>()
            .map_err(|_| format!("bad coordinate {s:?}"))
    };
    let place = Place {
        name: cols[0].to_string(),
        country: cols[1].to_string(),
        admin1: cols[2].to_string(),
        admin2: cols[3].to_string(),
        lat: coord(cols[4])?,
        lon: coord(cols[5])?,
        kind,
        population: cols[7].trim().parse().unwrap_or(0),
        flags,
        curated: cols.get(10).is_some_and(|s| s.trim() == "curated"),
    };
    let mut names = vec![(place.name.clone(), name_flags)];
    for alias in cols[9].split('|').map(str::trim).filter(|a| !a.is_empty()) {
        // "Severe~": an ordinary word; "Garba^": a person's name.
        let mut alias = alias;
        let mut f = 0;
        loop {
            if let Some(a) = alias.strip_suffix('~') {
                (alias, f) = (a, f | COMMON);
            } else if let Some(a) = alias.strip_suffix('^') {
                (alias, f) = (a, f | PERSON);
            } else {
                break;
            }
        }
        names.push((alias.to_string(), f));
    }
    Ok((place, names))
}

/// Sites that are areas rather than points.
fn is_zone(name: &str) -> bool {
    let n = fold(name);
    [
        "forest", "foret", "park", "parc", "triangle", "falaise", "cliff", "reserve", "massif",
        "complex",
    ]
    .iter()
    .any(|w| n.split(|c: char| !c.is_alphanumeric()).any(|t| t == *w))
}

/// Folded text with every character that is not a letter or digit turned into spaces (as many
/// as its bytes, so offsets still map through `Folded::original`): "«Djibo»" and "“Djibo”"
/// are words like "Djibo".
pub fn match_text(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        }
    }
    out
}

/// The forms a name is matched under: punctuation as spaces ("n guigmi"), and for names with
/// hyphens or apostrophes also the closed-up form ("nguigmi").
fn match_forms(name: &str) -> Vec<String> {
    let folded = fold(name);
    let spaced = match_text(&folded)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut forms = vec![spaced.clone()];
    if name.contains(['-', '\'', '’']) {
        let closed: String = folded
            .chars()
            .filter(|c| !matches!(c, '-' | '\''))
            .collect();
        let closed = match_text(&closed)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if closed != spaced {
            forms.push(closed);
        }
    }
    forms.retain(|f| f.len() >= 3);
    forms
}

/// A name-table entry as the buffer holds it.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// [`COMMON`] and [`PERSON`] bits.
    pub flags: u8,
    places: (usize, usize),
}

/// Where one name table's entries and slots are, and its place lists (decoded: callers get
/// them as slices).
struct Table {
    entries: usize,
    slots: (usize, usize),
    places: Vec<PlaceId>,
}

/// Reads a buffer made by [`compile`] in place: lookups read its bytes; places are decoded on
/// demand, by [`Index::places`].
pub struct Index<B> {
    bytes: B,
    sections: [(usize, usize); SECTIONS],
    forms: Table,
    keys: Table,
    /// Mask of the first-word slots.
    first_mask: usize,
}

impl<B: AsRef<[u8]>> Index<B> {
    /// Checks the header and the sections' bounds; `None` if the buffer is not a gazetteer of
    /// this format.
    pub fn new(bytes: B) -> Option<Index<B>> {
        let b = bytes.as_ref();
        if b.get(..MAGIC.len())? != MAGIC {
            return None;
        }
        let mut sections = [(0, 0); SECTIONS];
        for (i, s) in sections.iter_mut().enumerate() {
            let at = MAGIC.len() + i * 8;
            let (off, len) = (u32_at(b, at)? as usize, u32_at(b, at + 4)? as usize);
            b.get(off..off + len)?;
            *s = (off, len);
        }
        std::str::from_utf8(&b[sections[TEXT].0..][..sections[TEXT].1]).ok()?;
        std::str::from_utf8(&b[sections[STRINGS].0..][..sections[STRINGS].1]).ok()?;
        let table = |entries: usize, slots: usize, places: usize| Table {
            entries: sections[entries].0,
            slots: (sections[slots].0, sections[slots].1 / 4),
            places: b[sections[places].0..][..sections[places].1]
                .chunks_exact(4)
                .map(|c| PlaceId(u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
                .collect(),
        };
        let places = sections[PLACES].1 / PLACE;
        let notable = &b[sections[NOTABLE].0..][..sections[NOTABLE].1];
        if notable
            .chunks_exact(4)
            .any(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as usize >= places)
        {
            return None;
        }
        let index = Index {
            forms: table(FORM_ENTRIES, FORM_SLOTS, FORM_PLACES),
            keys: table(KEY_ENTRIES, KEY_SLOTS, KEY_PLACES),
            first_mask: (sections[FIRST_WORDS].1 / 8).max(1) - 1,
            sections,
            bytes,
        };
        Some(index)
    }

    fn b(&self) -> &[u8] {
        self.bytes.as_ref()
    }

    fn str_in(&self, section: usize, off: usize, len: usize) -> &str {
        let s = &self.b()[self.sections[section].0..][off..off + len];
        // Checked whole in `new`; a cut inside a character would be a corrupt buffer.
        std::str::from_utf8(s).unwrap_or("")
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.sections[PLACES].1 / PLACE
    }

    /// Countries and national capitals (towns), in id order.
    pub fn notable(&self) -> Vec<PlaceId> {
        let (off, len) = self.sections[NOTABLE];
        self.b()[off..off + len]
            .chunks_exact(4)
            .map(|c| PlaceId(u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
            .collect()
    }

    /// Decodes the places of a range of ids.
    pub fn places(&self, ids: std::ops::Range<usize>) -> Vec<Place> {
        let off = self.sections[PLACES].0;
        self.b()[off + ids.start * PLACE..off + ids.end * PLACE]
            .chunks_exact(PLACE)
            .map(|r| {
                let s = |i: usize| {
                    let at = i * 6;
                    let o = u32::from_le_bytes([r[at], r[at + 1], r[at + 2], r[at + 3]]);
                    let l = u16::from_le_bytes([r[at + 4], r[at + 5]]);
                    self.str_in(STRINGS, o as usize, l as usize).to_string()
                };
                let f64_at = |at: usize| {
                    f64::from_le_bytes([
                        r[at],
                        r[at + 1],
                        r[at + 2],
                        r[at + 3],
                        r[at + 4],
                        r[at + 5],
                        r[at + 6],
                        r[at + 7],
                    ])
                };
                Place {
                    name: s(0),
                    country: s(1),
                    admin1: s(2),
                    admin2: s(3),
                    lat: f64_at(24),
                    lon: f64_at(32),
                    population: u32::from_le_bytes([r[40], r[41], r[42], r[43]]),
                    kind: PlaceKind::ALL[usize::from(r[44]).min(5)],
                    flags: PlaceFlags::from_bits(r[45]),
                    curated: r[46] != 0,
                }
            })
            .collect()
    }

    /// The most words of a match form starting with a word of this hash.
    pub fn longest_from(&self, word_hash: u64) -> Option<usize> {
        let (off, _) = self.sections[FIRST_WORDS];
        let b = self.b();
        let mut i = word_hash as usize & self.first_mask;
        loop {
            let at = off + i * 8;
            let slot = u64::from_le_bytes(b[at..at + 8].try_into().ok()?);
            if slot == 0 {
                return None;
            }
            if slot & !0xff == word_hash & !0xff {
                return Some((slot & 0xff) as usize);
            }
            i = (i + 1) & self.first_mask;
        }
    }

    /// The match form `s` (of hash `h`).
    pub fn form(&self, s: &str, h: u64) -> Option<Entry> {
        self.get(&self.forms, s, h)
    }

    /// The key `s`.
    pub fn key(&self, s: &str) -> Option<Entry> {
        self.get(&self.keys, s, hash(s))
    }

    /// The places of a form entry, most prominent first.
    pub fn form_places(&self, e: Entry) -> &[PlaceId] {
        &self.forms.places[e.places.0..e.places.0 + e.places.1]
    }

    /// The places of a key entry, most prominent first.
    pub fn key_places(&self, e: Entry) -> &[PlaceId] {
        &self.keys.places[e.places.0..e.places.0 + e.places.1]
    }

    fn get(&self, t: &Table, s: &str, h: u64) -> Option<Entry> {
        let b = self.b();
        let (slots, n) = t.slots;
        let mask = n.max(1) - 1;
        let high = (h >> 32) as u32;
        let mut i = h as usize & mask;
        loop {
            let e = u32_at(b, slots + i * 4)? as usize;
            if e == 0 {
                return None;
            }
            let r = &b[t.entries + (e - 1) * ENTRY..][..ENTRY];
            if u32::from_le_bytes([r[0], r[1], r[2], r[3]]) == high {
                let off = u32::from_le_bytes([r[4], r[5], r[6], r[7]]) as usize;
                let len = u16::from_le_bytes([r[8], r[9]]) as usize;
                let text = &b[self.sections[TEXT].0 + off..][..len];
                if text == s.as_bytes() {
                    let first = u32::from_le_bytes([r[11], r[12], r[13], r[14]]) as usize;
                    let count = u16::from_le_bytes([r[15], r[16]]) as usize;
                    t.places.get(first..first + count)?;
                    return Some(Entry {
                        flags: r[10],
                        places: (first, count),
                    });
                }
            }
            i = (i + 1) & mask;
        }
    }
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "name\tcountry\tadmin1\tadmin2\tlat\tlon\tkind\tpopulation\tflags\taliases\tsource
Mali\tML\t\t\t17.0\t-4.0\tcountry\t20000000\t\tMali Republic\tgeonames:1
Bamako\tML\tBamako\t\t12.65\t-8.0\ttown\t2000000\tnational_capital,airport\tBamako City\tgeonames:2
Sambisa Forest\tNG\tBorno\tGwoza\t11.2\t13.4\tsite\t0\tunesco,admin2_capital,admin1_capital,common_word\t\tcurated
Gao\tML\tGao\t\t16.27\t-0.04\ttown\t86000\t\t\tgeonames:3
Gao\tML\tGao\t\t16.2\t-0.1\tadmin1\t0\t\t\tgeonames:4
";

    fn index() -> Index<Vec<u8>> {
        Index::new(compile(TSV).unwrap()).unwrap()
    }

    #[test]
    fn places_come_back_as_parsed() {
        let ix = index();
        let places = ix.places(0..ix.len());
        let parsed: Vec<Place> = TSV
            .lines()
            .skip(1)
            .map(|l| parse_row(l).unwrap().0)
            .collect();
        assert_eq!(places, parsed);
        assert_eq!(places[2].kind, PlaceKind::Zone);
        assert!(places[2].flags.unesco && places[2].flags.common_word && places[2].curated);
        assert!(!places[2].flags.national_capital && places[1].flags.national_capital);
        assert_eq!(ix.places(1..2), vec![places[1].clone()]);
        assert_eq!(ix.notable(), vec![PlaceId(0), PlaceId(1)]);
    }

    #[test]
    fn forms_and_keys_are_found_by_exact_text_with_their_places_ranked() {
        let ix = index();
        let gao = ix.form("gao", hash("gao")).unwrap();
        // Namesakes: the region before a town of its name that is not its capital.
        assert_eq!(ix.form_places(gao), &[PlaceId(4), PlaceId(3)]);
        assert_eq!(
            ix.form_places(ix.form("bamako city", hash("bamako city")).unwrap()),
            &[PlaceId(1)]
        );
        assert!(ix.form("bamako cit", hash("bamako cit")).is_none());
        let forest = ix.form("sambisa forest", hash("sambisa forest")).unwrap();
        assert_eq!(forest.flags, COMMON);
        assert_eq!(
            ix.key_places(ix.key("malirepublic").unwrap()),
            &[PlaceId(0)]
        );
        assert_eq!(ix.longest_from(hash("sambisa")), Some(2));
        assert_eq!(ix.longest_from(hash("gao")), Some(1));
        assert_eq!(ix.longest_from(hash("timbuktu")), None);
    }

    #[test]
    fn a_buffer_of_another_format_is_refused() {
        assert!(Index::new(b"sitgaz00".to_vec()).is_none());
        assert!(Index::new(Vec::new()).is_none());
        let mut cut = compile(TSV).unwrap();
        cut.truncate(cut.len() - 10);
        assert!(Index::new(cut).is_none());
    }
}
