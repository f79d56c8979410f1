//! Armed actors and their aliases in English, French and transliterated Arabic (domain.md §4),
//! mapped to the canonical names of DESIGN §3.2. Acronyms that are also ordinary words ("FAN",
//! "FAT", "ANT") match only in capitals; other aliases match on folded text.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::text::Folded;

/// Which side an actor is on, for claims and acknowledgements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Jihadist groups, rebels, bandits.
    NonState,
    /// Government forces, their foreign partners and state-allied militias.
    State,
    /// Unarmed victims.
    Civilians,
    /// "gunmen", "jihadists", "HANI": someone armed, not named.
    Unidentified,
}

/// An actor of DESIGN §3.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub name: &'static str,
    pub side: Side,
    /// The country a state force belongs to.
    pub country: Option<&'static str>,
}

/// The name used for an armed actor nobody named.
pub const UNIDENTIFIED: &str = "unidentified armed group";

/// (canonical, side, country, case-insensitive aliases, capitals-only acronyms)
type Row = (
    &'static str,
    Side,
    Option<&'static str>,
    &'static [&'static str],
    &'static [&'static str],
);

const ACTORS: &[Row] = &[
    (
        "JNIM",
        Side::NonState,
        None,
        &[
            "jnim",
            "jama'at nusrat al-islam wal-muslimin",
            "jama'a nusrat ul-islam wa al-muslimin",
            "jamaat nusrat al-islam wal muslimin",
            "jama'at nusrat al-islam wa al-muslimin",
            "nusrat al-islam",
            "support group for islam and muslims",
            "groupe de soutien a l'islam et aux musulmans",
            "jamaat nusrat al islam",
            "jama'at nasr al-islam wal muslimin",
        ],
        &["GSIM", "RVIM"],
    ),
    (
        "Katiba Macina",
        Side::NonState,
        None,
        &[
            "katiba macina",
            "katiba massina",
            "macina liberation front",
            "front de liberation du macina",
            "amadou koufa's",
            "katiba du macina",
        ],
        &["FLM"],
    ),
    (
        "AQIM",
        Side::NonState,
        None,
        &[
            "aqim",
            "al-qaeda in the islamic maghreb",
            "al-qaida in the islamic maghreb",
            "aqmi",
            "al-qaida au maghreb islamique",
            "al-qaeda au maghreb islamique",
        ],
        &[],
    ),
    (
        "Ansarul Islam",
        Side::NonState,
        None,
        &[
            "ansarul islam",
            "ansar ul-islam",
            "ansar ul islam",
            "ansaroul islam",
        ],
        &[],
    ),
    (
        "IS Sahel",
        Side::NonState,
        None,
        &[
            "islamic state sahel province",
            "islamic state in the sahel",
            "islamic state in the greater sahara",
            "is-sahel",
            "is sahel",
            "issp",
            "isgs",
            "etat islamique au grand sahara",
            "etat islamique au sahel",
            "etat islamique dans le grand sahara",
            "province du sahel de l'etat islamique",
            "wilayat al-sahil",
            "islamic state's sahel province",
            "islamic state sahel",
        ],
        &["EIGS", "EIS", "EIGS/ISGS"],
    ),
    (
        "ISWAP",
        Side::NonState,
        None,
        &[
            "iswap",
            "islamic state west africa province",
            "islamic state west africa",
            "iswa",
            "etat islamique en afrique de l'ouest",
            "province de l'afrique de l'ouest de l'etat islamique",
            "islamic state's west africa province",
            "wilayat gharb ifriqiya",
        ],
        &["EIAO"],
    ),
    (
        "Boko Haram",
        Side::NonState,
        None,
        &[
            "boko haram",
            "b'haram",
            "b/haram",
            "b-haram",
            "jama'atu ahlis sunna lidda'awati wal-jihad",
            "shekau faction",
            "bakura faction",
        ],
        &["JAS", "BH"],
    ),
    (
        "Ansaru",
        Side::NonState,
        None,
        &["ansaru", "jama'atu ansarul muslimina fi biladis sudan"],
        &[],
    ),
    (
        "Lakurawa",
        Side::NonState,
        None,
        &["lakurawa", "lakurawas", "lukarawa"],
        &[],
    ),
    (
        "FLA",
        Side::NonState,
        None,
        &[
            "azawad liberation front",
            "front de liberation de l'azawad",
            "csp-dpa",
            "csp-psd",
            "cadre strategique permanent",
            "coordination des mouvements de l'azawad",
            "coordination of azawad movements",
            "mnla",
            "hcua",
            "tuareg rebels",
            "tuareg separatists",
            "rebelles touareg",
            "separatistes touareg",
            "rebelles du nord",
            "independantistes touareg",
            "ex-rebelles",
            "tuareg-led rebels",
            "separatist rebels",
        ],
        &["FLA", "CMA", "CSP"],
    ),
    (
        "bandits",
        Side::NonState,
        None,
        &[
            "bandits",
            "armed bandits",
            "yan bindiga",
            "bandits armes",
            "bandit groups",
            "bandit gang",
        ],
        &[],
    ),
    (
        "Dozo",
        Side::State,
        None,
        &[
            "dozo",
            "dozos",
            "donso",
            "traditional hunters",
            "dan na ambassagou",
            "chasseurs traditionnels",
            "hunters' militia",
            "dogon militia",
            "milice dogon",
        ],
        &[],
    ),
    (
        "CJTF",
        Side::State,
        Some("NG"),
        &["civilian joint task force", "vigilantes"],
        &["CJTF"],
    ),
    (
        "FAMa",
        Side::State,
        Some("ML"),
        &[
            "fama",
            "military forces of mali",
            "malian armed forces",
            "malian army",
            "malian military",
            "malian soldiers",
            "malian troops",
            "forces armees maliennes",
            "armee malienne",
            "soldats maliens",
            "militaires maliens",
            "mali's army",
            "mali's military",
            "mali's armed forces",
            "malian forces",
            "forces maliennes",
        ],
        &[],
    ),
    (
        "Africa Corps/Wagner",
        Side::State,
        None,
        &[
            "africa corps",
            "wagner",
            "wagner group",
            "pmc wagner",
            "russian mercenaries",
            "russian instructors",
            "partenaires russes",
            "instructeurs russes",
            "mercenaires russes",
            "afrikanskiy korpus",
            "russian private military",
            "paramilitaires russes",
            "russian paramilitaries",
        ],
        &[],
    ),
    (
        "Burkina forces",
        Side::State,
        Some("BF"),
        &[
            "burkinabe army",
            "military forces of burkina faso",
            "burkinabe soldiers",
            "burkinabe troops",
            "burkinabe military",
            "burkina army",
            "burkina faso's army",
            "burkina faso's military",
            "armee burkinabe",
            "soldats burkinabe",
            "militaires burkinabe",
            "forces armees nationales du burkina",
            "bataillons d'intervention rapide",
            "burkinabe forces",
            "burkinabe security forces",
        ],
        &["BIR"],
    ),
    (
        "VDP",
        Side::State,
        Some("BF"),
        &[
            "volunteers for the defence of the homeland",
            "volunteers for the defense of the homeland",
            "volontaires pour la defense de la patrie",
            "koglweogo",
            "army auxiliaries",
            "supplétifs",
            "suppletifs de l'armee",
        ],
        &["VDP"],
    ),
    (
        "FAN",
        Side::State,
        Some("NE"),
        &[
            "forces armees nigeriennes",
            "military forces of niger",
            "nigerien army",
            "nigerien soldiers",
            "nigerien troops",
            "nigerien military",
            "armee nigerienne",
            "soldats nigeriens",
            "militaires nigeriens",
            "niger's army",
            "niger's military",
            "garde nationale du niger",
            "nigerien forces",
        ],
        &["FAN"],
    ),
    (
        "US military",
        Side::State,
        // Not AFRICOM: its commanders are quoted on the region's threats far more than it strikes.
        None,
        &[
            "us military",
            "u.s. military",
            "us forces",
            "u.s. forces",
            "us troops",
            "us air force",
            "united states military",
            "united states forces",
            "american forces",
            "american military",
            "armee americaine",
            "forces americaines",
            "us department of war",
            "us department of defense",
        ],
        &[],
    ),
    (
        "Nigerian military",
        Side::State,
        Some("NG"),
        &[
            "nigerian army",
            "military forces of nigeria",
            "nigerian military",
            "nigerian troops",
            "nigerian soldiers",
            "nigerian air force",
            "operation hadin kai",
            "operation fansan yamma",
            "defence headquarters",
            "nigerian forces",
            "armee nigeriane",
            "soldats nigerians",
            "nigeria's military",
            "nigeria's army",
        ],
        &["NAF", "DHQ"],
    ),
    (
        "Chadian army",
        Side::State,
        Some("TD"),
        &[
            "chadian army",
            "military forces of chad",
            "chadian soldiers",
            "chadian troops",
            "chadian military",
            "armee tchadienne",
            "armee nationale tchadienne",
            "soldats tchadiens",
            "militaires tchadiens",
            "chad's army",
        ],
        &["ANT"],
    ),
    (
        "FAB",
        Side::State,
        Some("BJ"),
        &[
            "forces armees beninoises",
            "military forces of benin",
            "beninese army",
            "beninese soldiers",
            "beninese troops",
            "armee beninoise",
            "soldats beninois",
            "militaires beninois",
            "operation mirador",
            "benin's army",
        ],
        &["FAB"],
    ),
    (
        "FAT",
        Side::State,
        Some("TG"),
        &[
            "forces armees togolaises",
            "military forces of togo",
            "togolese army",
            "togolese soldiers",
            "togolese troops",
            "armee togolaise",
            "soldats togolais",
            "militaires togolais",
            "operation koundjoare",
            "togo's army",
        ],
        &["FAT"],
    ),
    (
        UNIDENTIFIED,
        Side::Unidentified,
        None,
        &[
            "gunmen",
            "gunman",
            "armed men",
            "islamists",
            "suspected islamists",
            "islamist gunmen",
            "herdsmen",
            "fulani herdsmen",
            "fulani gunmen",
            "fulani militia",
            "fulani militiamen",
            "cultists",
            "cult members",
            "cult groups",
            "rival cult groups",
            "militiamen",
            "kidnappers",
            "hoodlums",
            "suicide bomber",
            "suicide bombers",
            "miliciens",
            "individus non identifies",
            "unidentified gunmen",
            "unknown gunmen",
            "jihadists",
            "jihadist fighters",
            "islamist militants",
            "islamist fighters",
            "suspected jihadists",
            "militants",
            "insurgents",
            "terrorists",
            "assailants",
            "attackers",
            "hommes armes",
            "hommes armes non identifies",
            "individus armes",
            "djihadistes",
            "jihadistes",
            "terroristes",
            "assaillants",
            "groupes armes terroristes",
            "attaque jihadiste",
            "attaques jihadistes",
            "attaque djihadiste",
            "attaques djihadistes",
            "attaque terroriste",
            "attaques terroristes",
            "attentat terroriste",
            "jihadist attack",
            "jihadist attacks",
            "terrorist attack",
            "terrorist attacks",
            "islamist attack",
            "islamist attacks",
            "al-qaeda-linked",
            "al-qaeda-affiliated",
            "al-qaeda affiliate",
            "al-qaeda linked",
            "al-qaida-linked",
            "affilie a al-qaida",
            "lie a al-qaida",
            "islamic state-linked",
            "islamic state-affiliated",
            "lie a l'etat islamique",
            "affilie a l'etat islamique",
            "islamic state",
            "etat islamique",
            "daech",
            "daesh",
            "isis",
            "al-qaeda",
            "al-qaida",
            "al qaeda",
            "al qaida",
            "l'ei",
        ],
        &["HANI", "GAT"],
    ),
];

/// An actor mention in text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ActorMention {
    pub start: usize,
    pub end: usize,
    pub actor: Actor,
    /// Which vague phrase it was, for the al-Qaeda / Islamic State hints.
    pub hint: Hint,
}

/// What a vague mention suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    None,
    AlQaeda,
    IslamicState,
}

struct Matcher {
    folded: AhoCorasick,
    folded_rows: Vec<(usize, Hint)>,
    caps: AhoCorasick,
    caps_rows: Vec<usize>,
}

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let mut pats = Vec::new();
        let mut rows = Vec::new();
        let mut caps = Vec::new();
        let mut caps_rows = Vec::new();
        for (i, (_, _, _, aliases, acronyms)) in ACTORS.iter().enumerate() {
            for a in *aliases {
                let hint = if a.contains("qaeda") || a.contains("qaida") {
                    Hint::AlQaeda
                } else if a.contains("islamic state")
                    || a.contains("etat islamique")
                    || matches!(*a, "daech" | "daesh" | "isis" | "l'ei")
                {
                    Hint::IslamicState
                } else {
                    Hint::None
                };
                pats.push(crate::text::fold(a));
                rows.push((i, hint));
            }
            for a in *acronyms {
                caps.push(*a);
                caps_rows.push(i);
            }
        }
        Matcher {
            folded: AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&pats)
                .expect("actor aliases build"),
            folded_rows: rows,
            caps: AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&caps)
                .expect("acronyms build"),
            caps_rows,
        }
    })
}

fn row_actor(i: usize) -> Actor {
    let (name, side, country, _, _) = ACTORS[i];
    Actor {
        name,
        side,
        country,
    }
}

/// The actor with this canonical name.
/// The one country a non-state group fights in, for a report that names no country ("Boko
/// Haram kills 42"); none for groups of several countries (JNIM, IS Sahel, AQIM).
pub fn home_country(name: &str) -> Option<&'static str> {
    Some(match name {
        "Boko Haram" | "ISWAP" | "Ansaru" | "Lakurawa" | "bandits" | "CJTF" => "NG",
        "Katiba Macina" | "FLA" => "ML",
        "Ansarul Islam" => "BF",
        _ => return None,
    })
}

pub fn by_name(name: &str) -> Option<Actor> {
    ACTORS
        .iter()
        .position(|r| r.0.eq_ignore_ascii_case(name))
        .map(row_actor)
}

/// Every canonical actor name.
pub fn canonical_names() -> impl Iterator<Item = &'static str> {
    ACTORS.iter().map(|r| r.0)
}

fn boundary(bytes: &[u8], s: usize, e: usize) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
    (s == 0 || !word(bytes[s - 1])) && (e == bytes.len() || !word(bytes[e]))
}

/// Actor mentions in `text`, in order, as byte ranges of the original.
pub fn find(text: &str) -> Vec<ActorMention> {
    find_in(text, &Folded::new(text))
}

/// [`find`] with the text already folded.
pub fn find_in(text: &str, folded: &Folded) -> Vec<ActorMention> {
    let m = matcher();
    let fb = folded.text.as_bytes();
    let mut out = Vec::new();
    for hit in m.folded.find_iter(&folded.text) {
        if !boundary(fb, hit.start(), hit.end()) {
            continue;
        }
        let (row, hint) = m.folded_rows[hit.pattern().as_usize()];
        out.push(ActorMention {
            start: folded.original(hit.start()),
            end: folded.original(hit.end()),
            actor: row_actor(row),
            hint,
        });
    }
    let tb = text.as_bytes();
    for hit in m.caps.find_iter(text) {
        if !boundary(tb, hit.start(), hit.end()) {
            continue;
        }
        if out
            .iter()
            .any(|o| o.start <= hit.start() && hit.end() <= o.end)
        {
            continue;
        }
        out.push(ActorMention {
            start: hit.start(),
            end: hit.end(),
            actor: row_actor(m.caps_rows[hit.pattern().as_usize()]),
            hint: Hint::None,
        });
    }
    out.sort_by_key(|a| a.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&'static str> {
        find(text).iter().map(|m| m.actor.name).collect()
    }

    #[test]
    fn aliases_in_both_languages() {
        assert_eq!(names("Le GSIM a revendiqué"), vec!["JNIM"]);
        assert_eq!(
            names("Jama'at Nusrat al-Islam wal-Muslimin (JNIM)"),
            vec!["JNIM", "JNIM"]
        );
        assert_eq!(
            names("l'État islamique au Grand Sahara (EIGS)"),
            vec!["IS Sahel", "IS Sahel"]
        );
        assert_eq!(
            names("l'armée malienne et ses partenaires russes"),
            vec!["FAMa", "Africa Corps/Wagner"]
        );
        assert_eq!(names("des hommes armés non identifiés"), vec![UNIDENTIFIED]);
        assert_eq!(
            names("Nigerian troops repelled ISWAP"),
            vec!["Nigerian military", "ISWAP"]
        );
    }

    #[test]
    fn acronyms_that_are_words_need_capitals() {
        assert_eq!(names("a fan of fat ants"), Vec::<&str>::new());
        assert_eq!(names("les FAN et les FAT"), vec!["FAN", "FAT"]);
    }
}
#[cfg(test)]
mod hint_tests {
    use super::*;
    #[test]
    fn vague_names_carry_hints() {
        let m = find("Islamic State militants overran a post");
        assert_eq!(m[0].hint, Hint::IslamicState, "{m:?}");
        let m = find("an al-Qaeda-linked group");
        assert_eq!(m[0].hint, Hint::AlQaeda, "{m:?}");
    }
}
