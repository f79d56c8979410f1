//! The matching index held in memory: a copy of one (country, day) index tree, read for every
//! report's candidates. Scanning sled's tree for a report's days reads pages from disk once the
//! store outgrows sled's cache (at a million incidents, three to four times the time of a store of
//! 10k); the copy makes a scan cost only the entries of those days, however long the history.
//! It is loaded from the tree when the store opens and kept in step by every write of the tree;
//! the tree stays the durable record.
//!
//! The entries of one day sit in one buffer, in the tree's order (by incident id), each as
//! `u16` id length, id, `u32` value length, value: 6 bytes beside the entry's own (about 90 bytes
//! an incident of the merge benchmark, more with a story's words).

use std::collections::{BTreeMap, HashMap};
use std::sync::RwLock;

use chrono::{Datelike, NaiveDate};

/// The entries of one index tree, by country and day (days from the common era).
#[derive(Default)]
pub struct DayIndex {
    countries: RwLock<HashMap<String, BTreeMap<i32, Vec<u8>>>>,
}

/// The parts of a tree key (`CC` + `YYYYMMDD` + `\0` + id); `None` for a key of another shape.
pub fn split_key(key: &[u8]) -> Option<(&str, NaiveDate, &str)> {
    let nul = key.iter().position(|&b| b == 0)?;
    let head = std::str::from_utf8(&key[..nul]).ok()?;
    let id = std::str::from_utf8(&key[nul + 1..]).ok()?;
    let (country, day) = head.split_at_checked(head.len().checked_sub(8)?)?;
    let day = NaiveDate::parse_from_str(day, "%Y%m%d").ok()?;
    Some((country, day, id))
}

impl DayIndex {
    /// A copy of a tree; a key of another shape is left out (it cannot be a candidate: a scan
    /// reads only the keys of a country and day).
    pub fn load(tree: &sled::Tree) -> Result<DayIndex, sled::Error> {
        let index = DayIndex::default();
        {
            let mut countries = index.countries.write().expect("day index lock");
            for item in tree.iter() {
                let (key, value) = item?;
                let Some((country, day, id)) = split_key(&key) else {
                    tracing::warn!(key = %String::from_utf8_lossy(&key), "matching index key of no known shape left out");
                    continue;
                };
                // The tree's order: appending keeps each day's entries sorted by id.
                let buf = countries
                    .entry(country.to_string())
                    .or_default()
                    .entry(day.num_days_from_ce())
                    .or_default();
                push_entry(buf, id, &value);
            }
            for days in countries.values_mut() {
                days.values_mut().for_each(Vec::shrink_to_fit);
            }
        }
        Ok(index)
    }

    /// Sets an incident's entry on a day (replacing the one it had there).
    pub fn insert(&self, country: &str, day: NaiveDate, id: &str, value: &[u8]) {
        let mut countries = self.countries.write().expect("day index lock");
        let buf = countries
            .entry(country.to_string())
            .or_default()
            .entry(day.num_days_from_ce())
            .or_default();
        let mut at = buf.len();
        let mut replaced = None;
        for (start, end, entry_id, _) in Entries::new(buf) {
            if entry_id == id {
                replaced = Some((start, end));
                break;
            }
            if entry_id.as_bytes() > id.as_bytes() {
                at = start;
                break;
            }
        }
        let mut entry = Vec::with_capacity(6 + id.len() + value.len());
        push_entry(&mut entry, id, value);
        match replaced {
            Some((start, end)) => drop(buf.splice(start..end, entry)),
            None => drop(buf.splice(at..at, entry)),
        }
    }

    /// Removes an incident's entry from a day, if there.
    pub fn remove(&self, country: &str, day: NaiveDate, id: &str) {
        let mut countries = self.countries.write().expect("day index lock");
        let Some(days) = countries.get_mut(country) else {
            return;
        };
        let key = day.num_days_from_ce();
        let Some(buf) = days.get_mut(&key) else {
            return;
        };
        let found = Entries::new(buf).find(|(_, _, entry_id, _)| *entry_id == id);
        if let Some((start, end, _, _)) = found {
            buf.drain(start..end);
        }
        if buf.is_empty() {
            days.remove(&key);
        }
    }

    /// Calls `each` with the id and value of every entry of one country from `first` to `last`
    /// (inclusive), by day and then id (the tree's order); stops at its first error.
    pub fn scan<E>(
        &self,
        country: &str,
        first: NaiveDate,
        last: NaiveDate,
        mut each: impl FnMut(&str, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        if last < first {
            return Ok(());
        }
        let countries = self.countries.read().expect("day index lock");
        let Some(days) = countries.get(country) else {
            return Ok(());
        };
        for buf in days
            .range(first.num_days_from_ce()..=last.num_days_from_ce())
            .map(|(_, b)| b)
        {
            for (_, _, id, value) in Entries::new(buf) {
                each(id, value)?;
            }
        }
        Ok(())
    }

    /// How many entries it holds.
    pub fn entry_count(&self) -> usize {
        let countries = self.countries.read().expect("day index lock");
        countries
            .values()
            .flat_map(|days| days.values())
            .map(|buf| Entries::new(buf).count())
            .sum()
    }
}

/// An index tree and its copy in memory, written together: each write goes to the tree (the
/// durable record) and, once it is there, to the copy.
pub struct Indexed {
    pub tree: sled::Tree,
    pub days: DayIndex,
}

impl Indexed {
    /// A tree with its copy loaded.
    pub fn open(tree: sled::Tree) -> Result<Indexed, sled::Error> {
        let days = DayIndex::load(&tree)?;
        Ok(Indexed { tree, days })
    }

    /// Sets an incident's entry on a day.
    pub fn insert(
        &self,
        country: &str,
        day: NaiveDate,
        id: &str,
        value: &[u8],
    ) -> Result<(), sled::Error> {
        self.tree
            .insert(crate::store::keys::country_day(country, day, id), value)?;
        self.days.insert(country, day, id, value);
        Ok(())
    }

    /// Removes an incident's entry from a day, if there.
    pub fn remove(&self, country: &str, day: NaiveDate, id: &str) -> Result<(), sled::Error> {
        self.tree
            .remove(crate::store::keys::country_day(country, day, id))?;
        self.days.remove(country, day, id);
        Ok(())
    }
}

fn push_entry(buf: &mut Vec<u8>, id: &str, value: &[u8]) {
    // Ids are short (`ML-20250601-boulkessi`) and values a few hundred bytes; the lengths' widths
    // are far above both.
    buf.extend_from_slice(&(id.len() as u16).to_le_bytes());
    buf.extend_from_slice(id.as_bytes());
    buf.extend_from_slice(&(value.len() as u32).to_le_bytes());
    buf.extend_from_slice(value);
}

/// The entries of a day's buffer: (start, end, id, value). Only [`push_entry`] writes the buffer,
/// so it is whole; a buffer that were not would end the walk.
struct Entries<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Entries<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Entries { buf, at: 0 }
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = (usize, usize, &'a str, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.at;
        let rest = self.buf.get(start..)?;
        let id_len = u16::from_le_bytes(rest.get(..2)?.try_into().ok()?) as usize;
        let id = std::str::from_utf8(rest.get(2..2 + id_len)?).ok()?;
        let at = 2 + id_len;
        let value_len = u32::from_le_bytes(rest.get(at..at + 4)?.try_into().ok()?) as usize;
        let value = rest.get(at + 4..at + 4 + value_len)?;
        self.at = start + at + 4 + value_len;
        Some((start, self.at, id, value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, d).unwrap()
    }

    fn scanned(ix: &DayIndex, country: &str, first: u32, last: u32) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        ix.scan::<()>(country, day(first), day(last), |id, v| {
            out.push((id.to_string(), v.to_vec()));
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn entries_come_back_by_day_then_id_as_the_tree_orders_them() {
        let ix = DayIndex::default();
        ix.insert("ML", day(3), "ML-b", b"b3");
        ix.insert("ML", day(1), "ML-z", b"z1");
        ix.insert("ML", day(3), "ML-a", b"a3");
        ix.insert("BF", day(2), "BF-a", b"bf");
        ix.insert("ML", day(9), "ML-c", b"c9");
        let ids: Vec<_> = scanned(&ix, "ML", 1, 3)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids, ["ML-z", "ML-a", "ML-b"]);
        assert_eq!(scanned(&ix, "BF", 1, 30).len(), 1);
        assert!(scanned(&ix, "NE", 1, 30).is_empty());
        assert!(scanned(&ix, "ML", 3, 1).is_empty());
        assert_eq!(ix.entry_count(), 5);
    }

    #[test]
    fn an_entry_set_again_is_replaced_and_a_removed_one_is_gone() {
        let ix = DayIndex::default();
        ix.insert("ML", day(1), "ML-a", b"first");
        ix.insert("ML", day(1), "ML-b", b"other");
        ix.insert("ML", day(1), "ML-a", b"a longer second value");
        assert_eq!(
            scanned(&ix, "ML", 1, 1),
            [
                ("ML-a".to_string(), b"a longer second value".to_vec()),
                ("ML-b".to_string(), b"other".to_vec())
            ]
        );
        ix.remove("ML", day(1), "ML-a");
        ix.remove("ML", day(1), "ML-missing");
        ix.remove("NE", day(1), "ML-b");
        assert_eq!(scanned(&ix, "ML", 1, 1).len(), 1);
        ix.remove("ML", day(1), "ML-b");
        assert_eq!(ix.entry_count(), 0);
    }

    #[test]
    fn a_tree_loads_as_written_and_odd_keys_stay_out() {
        let db = sled::Config::new().temporary(true).open().unwrap();
        let tree = db.open_tree("ix").unwrap();
        tree.insert(b"ML20250602\0ML-b", b"b".to_vec()).unwrap();
        tree.insert(b"ML20250601\0ML-a", b"a".to_vec()).unwrap();
        tree.insert(b"ML20250601\0ML-c", b"c".to_vec()).unwrap();
        tree.insert(b"no day here", b"x".to_vec()).unwrap();
        tree.insert(b"ML2025xx01\0ML-d", b"x".to_vec()).unwrap();
        let ix = DayIndex::load(&tree).unwrap();
        assert_eq!(
            scanned(&ix, "ML", 1, 2),
            [
                ("ML-a".to_string(), b"a".to_vec()),
                ("ML-c".to_string(), b"c".to_vec()),
                ("ML-b".to_string(), b"b".to_vec())
            ]
        );
        assert_eq!(ix.entry_count(), 3);
    }

    #[test]
    fn the_key_of_an_incident_splits_back_into_its_parts() {
        let key = crate::store::keys::country_day("BF", day(1), "BF-20250601-djibo");
        assert_eq!(split_key(&key), Some(("BF", day(1), "BF-20250601-djibo")));
        assert_eq!(split_key(b"\0x"), None);
    }
}
