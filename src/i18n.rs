//! What a subscriber reads, in English or French: the channel's [`Lang`], the message catalogues
//! (`i18n/en.ftl`, `i18n/fr.ftl`, Project Fluent's format, embedded in the binary) and the French
//! names of countries, places and actors (`i18n/fr-names.tsv`). Rendering code never holds a
//! sentence: it asks for a message by id, in a language, with its arguments.
//!
//! ```
//! use sitrep::i18n::Lang;
//! assert_eq!(Lang::Fr.text("severity-high"), "élevé");
//! assert_eq!(Lang::Fr.format("card-killed", &[("toll", "30+".into())]), "Tués : 30+");
//! assert_eq!(Lang::En.format("reason-outlets", &[("count", 3.into())]), "3 outlets");
//! ```
//!
//! # Adding a message
//!
//! 1. Add `my-id = English text with { $arg }` to `i18n/en.ftl` and its translation, with the same
//!    id and the same `$` arguments, to `i18n/fr.ftl`. Plurals and other choices are Fluent
//!    selectors (`{ $count -> [one] … *[other] … }`), inside the message, in each language.
//! 2. In code: [`Lang::text`] for a message without arguments (a lookup, no formatting), else
//!    [`Lang::format`] with every argument the message uses, and no other (debug builds assert
//!    both, so a test that renders the message catches a missing or stray argument).
//! 3. `cargo test --lib i18n` checks that both catalogues have the same ids and arguments.
//!
//! A name that is not a sentence (a country, a town, an armed group) goes to `fr-names.tsv`
//! instead, keyed by the canonical name; [`Lang::place`], [`Lang::country`] and [`Lang::actor`]
//! look it up.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use serde::{Deserialize, Serialize};

const EN_FTL: &str = include_str!("../i18n/en.ftl");
const FR_FTL: &str = include_str!("../i18n/fr.ftl");
const FR_NAMES: &str = include_str!("../i18n/fr-names.tsv");

/// The language a channel reads sitrep in.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English, the default until a channel says otherwise.
    #[default]
    En,
    Fr,
}

/// An argument of a message: text or a number (numbers choose plural forms).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    Text(std::borrow::Cow<'a, str>),
    Number(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(s.into())
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(s.as_str().into())
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Text(s.into())
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg::Number(n as f64)
            }
        }
    )*};
}
number_arg!(u8, u32, u64, usize, i32, i64, f64);

impl Lang {
    /// Both languages, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// A language from what people and platforms write: `en`, `fr`, a locale (`fr-FR`, `en_GB`,
    /// Discord's `fr`, Telegram's `language_code`), or the language's name in either language
    /// (`french`, `français`, `anglais`). `None` for anything else.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_lowercase();
        let primary = s.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" | "eng" | "english" | "anglais" => Some(Lang::En),
            "fr" | "fra" | "fre" | "french" | "français" | "francais" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// `en` or `fr`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    fn catalog(self) -> &'static Catalog {
        let [en, fr] = catalogs();
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }

    /// A message without arguments, formatted once when the catalogue was loaded. An unknown id
    /// (or a message that takes arguments) gives an empty text and fails a debug assertion.
    pub fn text(self, id: &str) -> &'static str {
        let c = self.catalog();
        match c.texts.get(id) {
            Some(t) => t,
            None => {
                debug_assert!(false, "{self}: no message {id} without arguments");
                ""
            }
        }
    }

    /// A message with its arguments. An unknown id comes back as itself (and fails a debug
    /// assertion).
    pub fn format(self, id: &str, args: &[(&str, Arg)]) -> String {
        let c = self.catalog();
        let Some(pattern) = c.bundle.get_message(id).and_then(|m| m.value()) else {
            debug_assert!(false, "{self}: no message {id}");
            return id.to_string();
        };
        #[cfg(debug_assertions)]
        {
            let used = &c.ids[id];
            for (name, _) in args {
                assert!(
                    used.iter().any(|u| u == name),
                    "{self} {id}: argument ${name} is not used"
                );
            }
            for u in used {
                assert!(
                    args.iter().any(|(n, _)| n == u),
                    "{self} {id}: argument ${u} is missing"
                );
            }
        }
        let mut fargs = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            match value {
                Arg::Text(t) => fargs.set(*name, FluentValue::from(t.as_ref())),
                Arg::Number(n) => fargs.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let out = c.bundle.format_pattern(pattern, Some(&fargs), &mut errors);
        debug_assert!(errors.is_empty(), "{self} {id}: {errors:?}");
        out.into_owned()
    }

    /// A country's name by ISO code: the French name from `fr-names.tsv`, else `fallback` (the
    /// gazetteer's English name).
    pub fn country<'a>(self, code: &str, fallback: &'a str) -> std::borrow::Cow<'a, str> {
        match self {
            Lang::En => fallback.into(),
            Lang::Fr => match names().countries.get(&code.to_ascii_uppercase()) {
                Some((name, _)) => name.clone().into(),
                None => fallback.into(),
            },
        }
    }

    /// "in Mali" as the French summary writes it ("au Mali", "en Côte d'Ivoire"); English gives
    /// the name alone (the message says "in").
    pub fn in_country<'a>(self, code: &str, fallback: &'a str) -> std::borrow::Cow<'a, str> {
        match self {
            Lang::En => fallback.into(),
            Lang::Fr => match names().countries.get(&code.to_ascii_uppercase()) {
                Some((_, within)) => within.clone().into(),
                None => format!("au {fallback}").into(),
            },
        }
    }

    /// A place's name as a reader of this language expects it ("Timbuktu" reads "Tombouctou"
    /// in French); names without an exonym come back unchanged. Airports the table lacks read
    /// "aéroport de X".
    pub fn place<'a>(self, canonical: &'a str) -> std::borrow::Cow<'a, str> {
        if self == Lang::En {
            return canonical.into();
        }
        if let Some(n) = names().places.get(&fold(canonical)) {
            return n.clone().into();
        }
        if let Some(town) = canonical.strip_suffix(" Airport") {
            let town = self.place(town);
            return format!("aéroport {}", de(&town)).into();
        }
        canonical.into()
    }

    /// An actor's canonical name as this language writes it ("IS Sahel" is "EI Sahel").
    pub fn actor<'a>(self, canonical: &'a str) -> std::borrow::Cow<'a, str> {
        match self {
            Lang::En => canonical.into(),
            Lang::Fr => match names().actors.get(&fold(canonical)) {
                Some(n) => n.clone().into(),
                None => canonical.into(),
            },
        }
    }

    /// The canonical place name behind a name in either language ("Tombouctou" gives
    /// "Timbuktu"), for the French names the gazetteer may lack.
    pub fn canonical_place(name: &str) -> Option<&'static str> {
        names().reverse.get(&fold(name)).map(String::as_str)
    }

    /// The ISO code of a country named in French ("Tchad" gives "TD").
    pub fn country_code(name: &str) -> Option<&'static str> {
        let k = fold(name);
        names()
            .countries
            .iter()
            .find(|(_, (n, _))| fold(n) == k)
            .map(|(code, _)| code.as_str())
    }

    /// A whole number as this language writes it: "1,200" or "1 200" (narrow no-break space).
    pub fn number(self, n: u64) -> String {
        let digits = n.to_string();
        let sep = match self {
            Lang::En => ",",
            Lang::Fr => "\u{202F}",
        };
        let mut out = String::with_capacity(digits.len() + 4);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::parse(s).ok_or_else(|| format!("unknown language {s:?} (expected en or fr)"))
    }
}

/// "de Gao", "d'Agadez": the French preposition before a name.
fn de(name: &str) -> String {
    let first = name.chars().next().map(|c| fold(&c.to_string()));
    match first.as_deref() {
        Some("a" | "e" | "i" | "o" | "u") if !fold(name).starts_with("ou") => format!("d'{name}"),
        _ => format!("de {name}"),
    }
}

/// Lowercase without accents or apostrophe variants, for matching names.
fn fold(s: &str) -> String {
    const ACCENTED: &str = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿ’‘";
    const PLAIN: &str = "aaaaaaceeeeiiiinooooouuuuyy''";
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match ACCENTED.chars().position(|a| a == c) {
            Some(i) => PLAIN.chars().nth(i).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// One language's loaded catalogue.
struct Catalog {
    bundle: FluentBundle<FluentResource>,
    /// Every message id with the `$` arguments it uses (checked against the arguments passed in
    /// debug builds, and by the tests).
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    ids: HashMap<String, Vec<String>>,
    /// Messages without arguments, formatted once.
    texts: HashMap<String, &'static str>,
}

fn catalogs() -> &'static [Catalog; 2] {
    static CATALOGS: OnceLock<[Catalog; 2]> = OnceLock::new();
    CATALOGS.get_or_init(|| [load(Lang::En, EN_FTL), load(Lang::Fr, FR_FTL)])
}

fn load(lang: Lang, source: &str) -> Catalog {
    let resource = FluentResource::try_new(source.to_string())
        .unwrap_or_else(|(_, e)| panic!("i18n/{lang}.ftl does not parse: {e:?}"));
    let id: unic_langid::LanguageIdentifier = lang.as_str().parse().expect("a language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|e| panic!("i18n/{lang}.ftl: {e:?}"));
    let ids = messages(source);
    let mut texts = HashMap::new();
    for (id, vars) in &ids {
        if !vars.is_empty() {
            continue;
        }
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, None, &mut errors)
            .into_owned();
        texts.insert(id.clone(), &*Box::leak(text.into_boxed_str()));
    }
    Catalog { bundle, ids, texts }
}

/// The messages of an FTL source with the `$` arguments each one uses, in order of first use.
/// Reads the subset of FTL the catalogues use: `id = value` on one line, continued by indented
/// lines; comments start with `#`.
pub fn messages(source: &str) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let body = if line.starts_with([' ', '\t']) {
            line
        } else if line.starts_with('#') || line.trim().is_empty() {
            current = None;
            continue;
        } else if let Some((id, value)) = line.split_once('=') {
            let id = id.trim().to_string();
            out.entry(id.clone()).or_default();
            current = Some(id);
            value
        } else {
            current = None;
            continue;
        };
        let Some(id) = &current else { continue };
        let vars = out.get_mut(id).expect("entry made above");
        let mut rest = body;
        while let Some(at) = rest.find('$') {
            let name: String = rest[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            rest = &rest[at + 1 + name.len()..];
            if !name.is_empty() && !vars.contains(&name) {
                vars.push(name);
            }
        }
    }
    out
}

/// The French names of `fr-names.tsv`, keyed by folded canonical name (countries by code).
struct Names {
    countries: HashMap<String, (String, String)>,
    places: HashMap<String, String>,
    actors: HashMap<String, String>,
    /// Folded French place name -> canonical name.
    reverse: HashMap<String, String>,
}

fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut n = Names {
            countries: HashMap::new(),
            places: HashMap::new(),
            actors: HashMap::new(),
            reverse: HashMap::new(),
        };
        for line in FR_NAMES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let cols: Vec<&str> = line.split('\t').collect();
            match cols.as_slice() {
                ["country", code, name, within] => {
                    n.countries
                        .insert(code.to_string(), (name.to_string(), within.to_string()));
                }
                ["place", canonical, name] => {
                    n.places.insert(fold(canonical), name.to_string());
                    n.reverse
                        .entry(fold(name))
                        .or_insert_with(|| canonical.to_string());
                }
                ["actor", canonical, name] => {
                    n.actors.insert(fold(canonical), name.to_string());
                }
                _ => panic!("i18n/fr-names.tsv: malformed line {line:?}"),
            }
        }
        n
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_in_both_catalogues_with_the_same_arguments() {
        let en = messages(EN_FTL);
        let fr = messages(FR_FTL);
        assert!(en.len() > 100, "{} messages read", en.len());
        for (id, vars) in &en {
            let Some(fr_vars) = fr.get(id) else {
                panic!("{id} is missing from fr.ftl");
            };
            let (mut a, mut b) = (vars.clone(), fr_vars.clone());
            a.sort();
            b.sort();
            assert_eq!(a, b, "{id}: the languages use different arguments");
        }
        for id in fr.keys() {
            assert!(en.contains_key(id), "{id} is in fr.ftl but not en.ftl");
        }
    }

    #[test]
    fn every_message_formats_in_both_languages_without_errors() {
        for lang in Lang::ALL {
            let c = lang.catalog();
            for (id, vars) in &c.ids {
                let args: Vec<(&str, Arg)> =
                    vars.iter().map(|v| (v.as_str(), Arg::from(2u32))).collect();
                let text = lang.format(id, &args);
                assert!(!text.is_empty(), "{lang} {id}");
                assert!(!text.contains('{'), "{lang} {id}: {text}");
                assert!(
                    !text.contains('\u{2068}'),
                    "no bidi isolation marks: {lang} {id}"
                );
            }
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        let outlets = |l: Lang, n: u32| l.format("reason-outlets", &[("count", n.into())]);
        assert_eq!(outlets(Lang::En, 1), "1 outlet");
        assert_eq!(outlets(Lang::En, 0), "0 outlets");
        assert_eq!(outlets(Lang::Fr, 1), "1 média");
        assert_eq!(
            outlets(Lang::Fr, 0),
            "0 média",
            "French counts 0 as singular"
        );
        assert_eq!(outlets(Lang::Fr, 3), "3 médias");
    }

    #[test]
    fn languages_parse_from_codes_locales_and_names() {
        for (s, l) in [
            ("fr", Lang::Fr),
            ("FR", Lang::Fr),
            ("fr-CA", Lang::Fr),
            ("français", Lang::Fr),
            ("en-GB", Lang::En),
            ("en_US", Lang::En),
            ("english", Lang::En),
        ] {
            assert_eq!(Lang::parse(s), Some(l), "{s}");
        }
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
        assert!("xx".parse::<Lang>().unwrap_err().contains("en or fr"));
    }

    #[test]
    fn french_names_replace_canonical_ones() {
        assert_eq!(Lang::Fr.place("Timbuktu"), "Tombouctou");
        assert_eq!(Lang::Fr.place("Tillaberi"), "Tillabéri");
        assert_eq!(Lang::Fr.place("Boulkessi"), "Boulkessi");
        assert_eq!(Lang::Fr.place("Gao Airport"), "aéroport de Gao");
        assert_eq!(Lang::Fr.place("Arly Airport"), "aéroport d'Arly");
        assert_eq!(Lang::En.place("Timbuktu"), "Timbuktu");
        assert_eq!(Lang::Fr.country("TD", "Chad"), "Tchad");
        assert_eq!(Lang::Fr.country("BJ", "Benin"), "Bénin");
        assert_eq!(Lang::Fr.in_country("CI", "Ivory Coast"), "en Côte d'Ivoire");
        assert_eq!(Lang::En.country("TD", "Chad"), "Chad");
        assert_eq!(Lang::Fr.actor("IS Sahel"), "EI Sahel");
        assert_eq!(Lang::Fr.actor("JNIM"), "JNIM");
        assert_eq!(Lang::canonical_place("tombouctou"), Some("Timbuktu"));
        assert_eq!(Lang::country_code("Tchad"), Some("TD"));
    }

    #[test]
    fn numbers_group_thousands_in_each_language() {
        assert_eq!(Lang::En.number(30), "30");
        assert_eq!(Lang::En.number(1200), "1,200");
        assert_eq!(Lang::Fr.number(1200), "1\u{202F}200");
        assert_eq!(Lang::Fr.number(1_234_567), "1\u{202F}234\u{202F}567");
    }
}
