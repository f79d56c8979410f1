//! The value of a (country, day) matching-index entry: a compact binary encoding of
//! [`MatchKey`], read for every candidate of every report, so it is cheap to decode and small on
//! disk. Entries written before it (JSON, starting with `{`) still decode.
//!
//! Layout (little-endian), after a leading [`BINARY_V1`] byte:
//!
//! | field | bytes |
//! |---|---|
//! | kind | 1 (code of [`kind_code`]) |
//! | date precision | 1 (0 day, 1 week, 2 month) |
//! | geo precision | 1 |
//! | flags | 1: follow-up, undated, has end date, has latitude, has longitude, has captives, captives exact |
//! | date | 4: days from the common era |
//! | end date | 4, when flagged |
//! | latitude, longitude | 8 each, when flagged |
//! | captives | 4, when flagged |
//! | country, admin1, place, perpetrator | text each: u16 length (`0xFFFF` = none), UTF-8 |
//! | terms | u16 count, then a text each |
//! | coarse reports' keys | u16 count, then a key each (this layout without the leading byte) |

use chrono::{Datelike, NaiveDate};

use crate::incident::MatchKey;
use crate::model::{DatePrecision, Kind};

/// First byte of a binary entry (a JSON entry starts with `{`).
pub const BINARY_V1: u8 = 1;

const FOLLOW_UP: u8 = 1;
const UNDATED: u8 = 2;
const HAS_END: u8 = 4;
const HAS_LAT: u8 = 8;
const HAS_LON: u8 = 16;
const HAS_CAPTIVES: u8 = 32;
const CAPTIVES_EXACT: u8 = 64;
const NONE: u16 = u16::MAX;

/// Why an index entry could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    #[error("index entry ends early")]
    Truncated,
    #[error("index entry has unknown {what} {code}")]
    Unknown { what: &'static str, code: u32 },
    #[error("index entry text is not UTF-8")]
    Utf8,
    #[error("index entry has {0} bytes after its end")]
    Trailing(usize),
    #[error("index entry: {0}")]
    Json(String),
}

/// The stable on-disk code of a kind (never reuse or renumber one: stored entries hold them).
fn kind_code(kind: Kind) -> u8 {
    match kind {
        Kind::BaseOverrun => 0,
        Kind::TownSeized => 1,
        Kind::TerritoryRetaken => 2,
        Kind::Clash => 3,
        Kind::Ambush => 4,
        Kind::AttackOnCity => 5,
        Kind::Ied => 6,
        Kind::Airstrike => 7,
        Kind::Shelling => 8,
        Kind::SuicideAttack => 9,
        Kind::CivilianAttack => 10,
        Kind::Abduction => 11,
        Kind::Blockade => 12,
        Kind::Unrest => 13,
        Kind::Political => 14,
    }
}

fn kind_of(code: u8) -> Result<Kind, IndexError> {
    Kind::ALL
        .into_iter()
        .find(|k| kind_code(*k) == code)
        .ok_or(IndexError::Unknown {
            what: "kind",
            code: code.into(),
        })
}

fn precision_code(p: DatePrecision) -> u8 {
    match p {
        DatePrecision::Day => 0,
        DatePrecision::Week => 1,
        DatePrecision::Month => 2,
    }
}

fn precision_of(code: u8) -> Result<DatePrecision, IndexError> {
    match code {
        0 => Ok(DatePrecision::Day),
        1 => Ok(DatePrecision::Week),
        2 => Ok(DatePrecision::Month),
        _ => Err(IndexError::Unknown {
            what: "date precision",
            code: code.into(),
        }),
    }
}

/// The index value of a key.
pub fn encode(key: &MatchKey) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    out.push(BINARY_V1);
    put_key(&mut out, key);
    out
}

/// Reads an index value, binary or JSON (entries written before the binary layout).
pub fn decode(bytes: &[u8]) -> Result<MatchKey, IndexError> {
    match bytes.first() {
        Some(&BINARY_V1) => {
            let mut r = Reader { bytes: &bytes[1..] };
            let key = r.key()?;
            if !r.bytes.is_empty() {
                return Err(IndexError::Trailing(r.bytes.len()));
            }
            Ok(key)
        }
        _ => serde_json::from_slice(bytes).map_err(|e| IndexError::Json(e.to_string())),
    }
}

/// An entry read without its texts: enough to tell most candidates that cannot match apart
/// without the allocations of reading them.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// The key with its texts (country, places, perpetrator, terms) and coarse reports empty.
    pub key: MatchKey,
    /// Whether the entry holds coarse reports' keys.
    pub coarse: bool,
}

/// Reads the outline of an index value, binary or JSON.
pub fn outline(bytes: &[u8]) -> Result<Outline, IndexError> {
    match bytes.first() {
        Some(&BINARY_V1) => Reader { bytes: &bytes[1..] }.outline(),
        _ => decode(bytes).map(|key| Outline {
            coarse: !key.coarse.is_empty(),
            key,
        }),
    }
}

/// Whether an index value's account (not its coarse reports') tells an aftermath: read from the
/// flags alone for a binary entry, by decoding a JSON one.
pub fn is_follow_up(bytes: &[u8]) -> Result<bool, IndexError> {
    match bytes.first() {
        Some(&BINARY_V1) => bytes
            .get(4)
            .map(|flags| flags & FOLLOW_UP != 0)
            .ok_or(IndexError::Truncated),
        _ => decode(bytes).map(|k| k.follow_up),
    }
}

fn put_key(out: &mut Vec<u8>, key: &MatchKey) {
    let mut flags = 0;
    for (set, bit) in [
        (key.follow_up, FOLLOW_UP),
        (key.undated, UNDATED),
        (key.date_end.is_some(), HAS_END),
        (key.lat.is_some(), HAS_LAT),
        (key.lon.is_some(), HAS_LON),
        (key.captives.is_some(), HAS_CAPTIVES),
        (key.captives_exact, CAPTIVES_EXACT),
    ] {
        if set {
            flags |= bit;
        }
    }
    out.extend_from_slice(&[
        kind_code(key.kind),
        precision_code(key.date_precision),
        key.geo_precision,
        flags,
    ]);
    out.extend_from_slice(&key.date.num_days_from_ce().to_le_bytes());
    if let Some(end) = key.date_end {
        out.extend_from_slice(&end.num_days_from_ce().to_le_bytes());
    }
    for v in [key.lat, key.lon].into_iter().flatten() {
        out.extend_from_slice(&v.to_le_bytes());
    }
    if let Some(n) = key.captives {
        out.extend_from_slice(&n.to_le_bytes());
    }
    put_text(out, Some(&key.country));
    put_text(out, key.admin1.as_deref());
    put_text(out, key.place.as_deref());
    put_text(out, key.perpetrator.as_deref());
    put_len(out, key.terms.len());
    for t in &key.terms {
        put_text(out, Some(t));
    }
    put_len(out, key.coarse.len());
    for c in &key.coarse {
        put_key(out, c);
    }
}

/// A count or length as u16, cut at the largest that is not [`NONE`] (keys hold at most 64
/// terms and short names; a longer text is cut at a character boundary).
fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n.min(NONE as usize - 1) as u16).to_le_bytes());
}

fn put_text(out: &mut Vec<u8>, text: Option<&str>) {
    let Some(mut t) = text else {
        out.extend_from_slice(&NONE.to_le_bytes());
        return;
    };
    let mut end = t.len().min(NONE as usize - 1);
    while !t.is_char_boundary(end) {
        end -= 1;
    }
    t = &t[..end];
    put_len(out, t.len());
    out.extend_from_slice(t.as_bytes());
}

/// A cursor over the bytes of an entry.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], IndexError> {
        if self.bytes.len() < n {
            return Err(IndexError::Truncated);
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], IndexError> {
        Ok(self.take(N)?.try_into().expect("took N bytes"))
    }

    fn u16(&mut self) -> Result<u16, IndexError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn day(&mut self) -> Result<NaiveDate, IndexError> {
        let days = i32::from_le_bytes(self.array()?);
        NaiveDate::from_num_days_from_ce_opt(days).ok_or(IndexError::Unknown {
            what: "day",
            code: days as u32,
        })
    }

    fn f64(&mut self) -> Result<f64, IndexError> {
        Ok(f64::from_le_bytes(self.array()?))
    }

    fn text(&mut self) -> Result<Option<String>, IndexError> {
        let len = self.u16()?;
        if len == NONE {
            return Ok(None);
        }
        let bytes = self.take(len.into())?;
        std::str::from_utf8(bytes)
            .map(|s| Some(s.to_string()))
            .map_err(|_| IndexError::Utf8)
    }

    fn skip_text(&mut self) -> Result<(), IndexError> {
        let len = self.u16()?;
        if len != NONE {
            self.take(len.into())?;
        }
        Ok(())
    }

    /// The fields before the texts, in a key whose texts are empty.
    fn head(&mut self) -> Result<MatchKey, IndexError> {
        let [kind, precision, geo_precision, flags] = self.array()?;
        let date = self.day()?;
        let date_end = (flags & HAS_END != 0).then(|| self.day()).transpose()?;
        let lat = (flags & HAS_LAT != 0).then(|| self.f64()).transpose()?;
        let lon = (flags & HAS_LON != 0).then(|| self.f64()).transpose()?;
        let captives = (flags & HAS_CAPTIVES != 0)
            .then(|| self.array().map(u32::from_le_bytes))
            .transpose()?;
        Ok(MatchKey {
            country: String::new(),
            kind: kind_of(kind)?,
            date,
            date_end,
            date_precision: precision_of(precision)?,
            lat,
            lon,
            geo_precision,
            admin1: None,
            place: None,
            admin2: None,
            perpetrator: None,
            terms: Vec::new(),
            follow_up: flags & FOLLOW_UP != 0,
            captives,
            captives_exact: flags & CAPTIVES_EXACT != 0,
            undated: flags & UNDATED != 0,
            coarse: Vec::new(),
        })
    }

    fn key(&mut self) -> Result<MatchKey, IndexError> {
        let mut key = self.head()?;
        key.country = self.text()?.unwrap_or_default();
        key.admin1 = self.text()?;
        key.place = self.text()?;
        key.perpetrator = self.text()?;
        key.terms = (0..self.u16()?)
            .map(|_| self.text().map(Option::unwrap_or_default))
            .collect::<Result<Vec<_>, _>>()?;
        key.coarse = (0..self.u16()?)
            .map(|_| self.key())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(key)
    }

    /// The head of a whole entry and whether it holds coarse reports (its texts skipped).
    fn outline(mut self) -> Result<Outline, IndexError> {
        let key = self.head()?;
        for _ in 0..4 {
            self.skip_text()?;
        }
        for _ in 0..self.u16()? {
            self.skip_text()?;
        }
        let coarse = self.u16()? > 0;
        Ok(Outline { key, coarse })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> MatchKey {
        MatchKey {
            country: "NG".into(),
            kind: Kind::Abduction,
            date: NaiveDate::from_ymd_opt(2025, 11, 17).unwrap(),
            date_end: Some(NaiveDate::from_ymd_opt(2025, 11, 19).unwrap()),
            date_precision: DatePrecision::Week,
            lat: Some(11.802_631_578_947_368),
            lon: Some(-4.123_456_789_012_345),
            geo_precision: 1,
            admin1: Some("Kebbi".into()),
            place: Some("Maga".into()),
            admin2: None,
            perpetrator: None,
            terms: vec!["schoolgirls".into(), "25".into(), "ÉCOLE".into()],
            follow_up: true,
            captives: Some(25),
            captives_exact: true,
            undated: false,
            coarse: vec![MatchKey {
                country: "NG".into(),
                kind: Kind::Clash,
                date: NaiveDate::from_ymd_opt(2025, 11, 18).unwrap(),
                date_end: None,
                date_precision: DatePrecision::Day,
                lat: None,
                lon: None,
                geo_precision: 3,
                admin1: Some("Kebbi".into()),
                place: None,
                admin2: None,
                perpetrator: Some("bandits".into()),
                terms: vec![],
                follow_up: false,
                captives: None,
                captives_exact: false,
                undated: true,
                coarse: vec![],
            }],
        }
    }

    #[test]
    fn a_key_reads_back_as_written_to_the_bit() {
        let k = key();
        let bytes = encode(&k);
        assert_eq!(bytes[0], BINARY_V1);
        let back = decode(&bytes).unwrap();
        assert_eq!(back, k);
        assert_eq!(back.lat.unwrap().to_bits(), k.lat.unwrap().to_bits());
        assert!(bytes.len() < serde_json::to_vec(&k).unwrap().len() / 2);
    }

    #[test]
    fn an_outline_holds_the_head_of_a_key_and_whether_it_has_coarse_reports() {
        let k = key();
        let o = outline(&encode(&k)).unwrap();
        assert!(o.coarse);
        let head = MatchKey {
            country: String::new(),
            admin1: None,
            place: None,
            perpetrator: None,
            terms: vec![],
            coarse: vec![],
            ..k.clone()
        };
        assert_eq!(o.key, head);
        let alone = MatchKey {
            coarse: vec![],
            ..k.clone()
        };
        assert!(!outline(&encode(&alone)).unwrap().coarse);
        // Entries of older stores give their whole key.
        let json = outline(&serde_json::to_vec(&k).unwrap()).unwrap();
        assert_eq!((json.key, json.coarse), (k, true));
        let bytes = encode(&alone);
        assert!(outline(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn every_kind_and_precision_has_its_own_code() {
        for kind in Kind::ALL {
            assert_eq!(kind_of(kind_code(kind)), Ok(kind));
        }
        for p in [
            DatePrecision::Day,
            DatePrecision::Week,
            DatePrecision::Month,
        ] {
            assert_eq!(precision_of(precision_code(p)), Ok(p));
        }
    }

    #[test]
    fn json_entries_of_older_stores_still_read() {
        let k = key();
        let json = serde_json::to_vec(&k).unwrap();
        assert_eq!(decode(&json).unwrap(), k);
        assert!(is_follow_up(&json).unwrap());
        let old = br#"{"country":"ML","kind":"clash","date":"2024-03-01","date_precision":"day","lat":14.5,"lon":-4.2,"geo_precision":1,"admin1":"Mopti","perpetrator":null}"#;
        let k = decode(old).unwrap();
        assert_eq!(
            (k.country.as_str(), k.place, k.follow_up),
            ("ML", None, false)
        );
    }

    #[test]
    fn the_follow_up_flag_is_read_without_decoding() {
        let mut k = key();
        assert!(is_follow_up(&encode(&k)).unwrap());
        k.follow_up = false;
        assert!(!is_follow_up(&encode(&k)).unwrap());
        // Only the account's own flag counts, not a coarse report's.
        k.coarse[0].follow_up = true;
        assert!(!is_follow_up(&encode(&k)).unwrap());
    }

    #[test]
    fn a_damaged_entry_is_an_error_not_a_panic() {
        let bytes = encode(&key());
        for cut in 1..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), Err(IndexError::Trailing(1)));
        let mut bad_kind = bytes.clone();
        bad_kind[1] = 200;
        assert!(matches!(
            decode(&bad_kind),
            Err(IndexError::Unknown { what: "kind", .. })
        ));
        assert!(decode(b"").is_err());
        assert!(decode(b"{not json").is_err());
    }
}
