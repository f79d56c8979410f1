//! Death tolls in English and French (domain.md §7.1): numbers in digits ("1 200", "1,200") and
//! words ("thirty-four", "quarante-quatre", "une trentaine", "dozens"), qualifiers ("more than",
//! "au moins", "nearly", "up to"), ranges, and the verbs and nouns that make a number a toll.
//! Wounded, missing and "neutralised" militants are recognised so they are never taken as the toll.

use crate::model::Fatalities;

/// A token of folded text with its byte range in that text.
#[derive(Debug, Clone, Copy)]
pub struct Tok<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// Splits folded text into word tokens (letters, digits, apostrophes inside words); hyphens split.
pub fn tokens(s: &str) -> Vec<Tok<'_>> {
    // Each sentence is cut by several readers in turn (tolls, dates, years, demonyms): the
    // spans of the last text cut are kept, and the same text again takes them.
    thread_local! {
        static LAST: std::cell::RefCell<(String, Vec<(usize, usize)>)> = Default::default();
    }
    let again = LAST.with(|last| {
        let last = last.borrow();
        (last.0 == s).then(|| {
            last.1
                .iter()
                .map(|&(start, end)| Tok {
                    text: &s[start..end],
                    start,
                    end,
                })
                .collect::<Vec<_>>()
        })
    });
    if let Some(toks) = again {
        return toks;
    }
    let toks = cut_tokens(s);
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        last.0.clear();
        last.0.push_str(s);
        last.1.clear();
        last.1.extend(toks.iter().map(|t| (t.start, t.end)));
    });
    toks
}

fn cut_tokens(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let word = c.is_alphanumeric() || (c == '\'' && start.is_some());
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push(tok(s, st, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push(tok(s, st, s.len()));
    }
    out
}

fn tok(s: &str, start: usize, end: usize) -> Tok<'_> {
    // "d'une" -> keep the elided article as part of the word; callers strip it. A closing
    // quote is not part of the word ("'Dozens' killed").
    let end = start + s[start..end].trim_end_matches('\'').len();
    Tok {
        text: &s[start..end],
        start,
        end,
    }
}

/// Strips a French elided article ("l'", "d'", "qu'") from a token.
pub fn bare(t: &str) -> &str {
    for p in ["l'", "d'", "qu'", "s'", "n'", "c'", "j'", "jusqu'"] {
        if let Some(r) = t.strip_prefix(p) {
            return r;
        }
    }
    t
}

/// The value of a spelled-out number word of English or French ("seventy", "quinze").
pub(super) fn unit(w: &str) -> Option<u32> {
    Some(match w {
        "zero" => 0,
        "one" | "un" | "une" => 1,
        "two" | "deux" => 2,
        "three" | "trois" => 3,
        "four" | "quatre" => 4,
        "five" | "cinq" => 5,
        "six" => 6,
        "seven" | "sept" => 7,
        "eight" | "huit" => 8,
        "nine" | "neuf" => 9,
        "ten" | "dix" => 10,
        "eleven" | "onze" => 11,
        "twelve" | "douze" => 12,
        "thirteen" | "treize" => 13,
        "fourteen" | "quatorze" => 14,
        "fifteen" | "quinze" => 15,
        "sixteen" | "seize" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" | "vingt" | "vingts" => 20,
        "thirty" | "trente" => 30,
        "forty" | "quarante" => 40,
        "fifty" | "cinquante" => 50,
        "sixty" | "soixante" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// Approximate collective numbers ("une trentaine", "dozens").
fn collective(w: &str) -> Option<u32> {
    Some(match w {
        "dizaine" | "dizaines" | "tens" => 10,
        "douzaine" | "dozen" | "dozens" => 12,
        "quinzaine" => 15,
        "vingtaine" | "scores" | "score" => 20,
        "trentaine" => 30,
        "quarantaine" => 40,
        "cinquantaine" => 50,
        "soixantaine" => 60,
        "centaine" | "centaines" | "hundreds" => 100,
        "milliers" | "thousands" => 1000,
        _ => return None,
    })
}

/// "killed many", "many were killed", "de nombreux morts": at least a few dead, a floor. Only
/// next to a word of killing ("shocked many" counts nobody; "several" stays a toll without a
/// figure).
fn many_killed(toks: &[Tok<'_>], i: usize) -> bool {
    if !matches!(
        bare(toks[i].text),
        "many" | "numerous" | "nombreux" | "nombreuses"
    ) {
        return false;
    }
    let before = i.checked_sub(1).map(|j| bare(toks[j].text));
    let killing = |w: &str| {
        matches!(
            w,
            "killed"
                | "kill"
                | "kills"
                | "killing"
                | "slaughtered"
                | "massacred"
                | "dead"
                | "morts"
                | "tues"
                | "victimes"
        )
    };
    before.is_some_and(|w| matches!(w, "killed" | "kill" | "kills" | "killing" | "slaughtered"))
        || toks[i + 1..].iter().take(3).any(|t| killing(bare(t.text)))
}

/// A number read at a token position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number {
    pub value: u32,
    /// Tokens consumed.
    pub len: usize,
    /// A collective or vague figure ("dozens", "une trentaine").
    pub approx: bool,
}

/// Reads a number starting at token `i`.
pub fn number_at(toks: &[Tok<'_>], i: usize) -> Option<Number> {
    let t = bare(toks.get(i)?.text);
    // digits, with thousands groups split by spaces, commas or dots ("1 200", "1,200")
    if t.chars().all(|c| c.is_ascii_digit()) {
        if t.len() > 7 {
            return None;
        }
        let mut value: u64 = t.parse().ok()?;
        let mut len = 1;
        while let Some(next) = toks.get(i + len) {
            let gap_ok = next.start == toks[i + len - 1].end + 1;
            if gap_ok
                && next.text.len() == 3
                && next.text.chars().all(|c| c.is_ascii_digit())
                && value < 1000
            {
                value = value * 1000 + next.text.parse::<u64>().ok()?;
                len += 1;
            } else {
                break;
            }
        }
        return Some(Number {
            value: value.min(u32::MAX as u64) as u32,
            len,
            approx: false,
        });
    }
    // "a dozen", "une trentaine", "des dizaines", "plusieurs dizaines", "dozens"
    let art = matches!(
        t,
        "a" | "une" | "des" | "plusieurs" | "several" | "quelques"
    );
    if art && let Some(c) = toks.get(i + 1).and_then(|n| collective(n.text)) {
        let value = match (t, c) {
            ("plusieurs" | "several", 10) => 20,
            ("plusieurs" | "several", 100) => 200,
            _ => c,
        };
        return Some(Number {
            value,
            len: 2,
            approx: true,
        });
    }
    if let Some(c) = collective(t) {
        return Some(Number {
            value: c,
            len: 1,
            approx: true,
        });
    }
    if many_killed(toks, i) {
        return Some(Number {
            value: 3,
            len: 1,
            approx: true,
        });
    }
    // number words, English and French, composed ("thirty-four", "quatre-vingt-dix", "two hundred")
    let mut total: u32 = 0;
    let mut current: u32 = 0;
    let mut len = 0;
    while let Some(tok) = toks.get(i + len) {
        let w = bare(tok.text);
        if let Some(u) = unit(w) {
            // "quatre-vingt(s)": 4 * 20
            if u == 20 && current == 4 {
                current = 80;
            } else if current >= 20 && current.is_multiple_of(10) && u < 20 && u > 0 {
                current += u;
            } else if current == 0 {
                current = u;
            } else if current >= 60 && current.is_multiple_of(20) && (10..20).contains(&u) {
                // "soixante-douze", "quatre-vingt-dix"
                current += u;
            } else {
                break;
            }
            len += 1;
        } else if matches!(w, "hundred" | "cent" | "cents") {
            current = current.max(1) * 100;
            len += 1;
        } else if matches!(w, "thousand" | "mille") {
            total += current.max(1) * 1000;
            current = 0;
            len += 1;
        } else if matches!(w, "et" | "and")
            && len > 0
            && toks
                .get(i + len + 1)
                .is_some_and(|n| unit(bare(n.text)).is_some())
        {
            len += 1;
        } else {
            break;
        }
    }
    if len == 0 {
        return None;
    }
    // "un"/"une"/"one" alone is far more often an article than a count.
    let value = total + current;
    if len == 1 && matches!(t, "un" | "une" | "one") {
        return None;
    }
    Some(Number {
        value,
        len,
        approx: false,
    })
}

/// What a figure in a sentence counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// People killed, on any side.
    Deaths,
    /// People taken (abductions): never deaths.
    Abducted,
}

/// Whose dead a figure counts (DESIGN §3.2 `by_side`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeathSide {
    /// Soldiers, police and militias fighting with the state (VDP, CJTF, Dozo).
    Forces,
    Civilians,
    /// Militants, "terrorists neutralised", attackers.
    Militants,
}

/// A figure found in a sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    pub fatalities: Fatalities,
    pub counted: Counted,
    /// "toll rises to", "bilan s'alourdit": a revision of an earlier figure.
    pub update: bool,
    /// Byte offset of the figure in the folded sentence.
    pub at: usize,
    /// Whose dead: soldiers, civilians ("people", "villagers") or militants; `None` when unsaid.
    pub side: Option<DeathSide>,
    /// Part of a figure already given ("including 20 soldiers", "dont 12 civils"): not added.
    pub part: bool,
    /// One item of a list of counts ("three soldiers, two policemen and four assailants"): the
    /// offset of the list's first count. Items of one list are different people, so they add up
    /// even on one side.
    pub list: Option<usize>,
}

impl Figure {
    /// A plain count of `value` people at byte `at`, neither a revision nor one of a list.
    fn count(
        value: u32,
        approx: bool,
        counted: Counted,
        at: usize,
        side: Option<DeathSide>,
    ) -> Figure {
        Figure {
            fatalities: Fatalities {
                low: Some(value),
                best: Some(value),
                approx,
                ..Default::default()
            },
            counted,
            update: false,
            at,
            side,
            part: false,
            list: None,
        }
    }
}

const DEATH_AFTER: &[&str] = &[
    "killed",
    "executed",
    "executes",
    "die",
    "beheaded",
    "hacked",
    "butchered",
    "slaughtered",
    "lynched",
    "lynches",
    "lynchees",
    "gunned",
    "tuees",
    "dead",
    "died",
    "deaths",
    "dies",
    "slain",
    "massacred",
    "executed",
    "perished",
    "lives",
    "bodies",
    "fatalities",
    "morts",
    "mort",
    "tues",
    "tuees",
    "tue",
    "tuee",
    "decedes",
    "deces",
    "perdu",
    "peri",
    "executes",
    "massacres",
    "victimes",
    "corps",
    "cadavres",
    "assassines",
    "killing",
    "murdered",
];
const DEATH_BEFORE: &[&str] = &[
    "lynched",
    "lynch",
    "execute",
    "executed",
    "executent",
    "killing",
    "slay",
    "slays",
    "slew",
    "murder",
    "murders",
    "behead",
    "beheads",
    "massacre",
    "massacres",
    "neutralise",
    "neutralised",
    "neutralized",
    "neutralize",
    "neutralizes",
    "neutralising",
    "neutralizing",
    "neutralises",
    "neutralisent",
    "killed",
    "kill",
    "kills",
    "left",
    "leaving",
    "lives",
    "claimed",
    "toll",
    "tuant",
    "faisant",
    "fait",
    "vie",
    "bilan",
    "deaths",
    "death",
    "mort",
    "morts",
    "massacring",
    "murdering",
    "executing",
    "executed",
    "slaughtering",
    "tue",
    "tues",
    "tuent",
    "assassine",
    "assassinent",
    "assassinated",
    "assassinate",
    "abattu",
    "abattent",
    "neutralisation",
    "neutralization",
    "dead",
];
const NOT_DEATHS: &[&str] = &[
    "heads",
    "churches",
    "mosques",
    "schools",
    "villages",
    "communities",
    "cattle",
    "livestock",
    "animals",
    "goats",
    "sheep",
    "camels",
    "tetes",
    "betail",
    "animaux",
    "boeufs",
    "moutons",
    "chevres",
    "homes",
    "houses",
    "huts",
    "maisons",
    "cases",
    "greniers",
    "shops",
    "boutiques",
    "vehicules",
    "vehicles",
    "motorbikes",
    "motos",
    "trucks",
    "camions",
    "tonnes",
    "tons",
    "litres",
    "liters",
    "francs",
    "naira",
    "dollars",
    "euros",
    "wounded",
    "injured",
    "hurt",
    "missing",
    "blesses",
    "blessees",
    "blesse",
    "disparus",
    "disparues",
    "injuring",
    "wounding",
    "arrested",
    "arretes",
    "displaced",
    "deplaces",
    "rescued",
    "freed",
    "liberes",
    "captured",
    "surrendered",
    "hospitalised",
    "hospitalized",
    "evacuated",
];
/// Active verbs of wounding, arresting or freeing: after a count they begin another clause ("kills
/// 1, wounds 8"); before one, they count who was hurt or taken, not the dead.
const OTHER_HARM_VERBS: &[&str] = &[
    "wounds", "wound", "injures", "injure", "hurts", "hurt", "maims", "blessant", "blessent",
    "arrests", "arrest", "rescues", "rescue", "frees", "free", "captures", "capture",
];
const ABDUCTED: &[&str] = &[
    "abducted",
    "abduct",
    "abducts",
    "kidnap",
    "kidnaps",
    "enlevent",
    "kidnapped",
    "enleves",
    "enlevees",
    "kidnappes",
    "otages",
    "hostages",
    "seized",
    "abducting",
    "kidnapping",
    "enlevant",
    "taken",
];
/// Verbs of taking in the active voice: after a count they begin a clause of their own.
const TAKING_VERBS: &[&str] = &[
    "abduct",
    "abducts",
    "kidnap",
    "kidnaps",
    "enlevent",
    "abducting",
    "kidnapping",
    "enlevant",
];
const CIVILIAN_NOUNS: &[&str] = &[
    "protesters",
    "demonstrators",
    "manifestants",
    "civilians",
    "civilian",
    "villagers",
    "people",
    "residents",
    "worshippers",
    "farmers",
    "herders",
    "traders",
    "passengers",
    "travellers",
    "travelers",
    "women",
    "children",
    "students",
    "pupils",
    "civils",
    "villageois",
    "personnes",
    "habitants",
    "fideles",
    "cultivateurs",
    "agriculteurs",
    "eleves",
    "passagers",
    "voyageurs",
    "femmes",
    "enfants",
    "commercants",
    "orpailleurs",
    "miners",
    "mourners",
    "wedding",
    "guests",
    "fishermen",
    "pecheurs",
    "eleveurs",
    "bergers",
    "worshipers",
    "churchgoers",
    "pilgrims",
    "motorists",
    "drivers",
    "chauffeurs",
    "teachers",
    "enseignants",
    "boys",
    "girls",
    "marchands",
];
const MILITARY_NOUNS: &[&str] = &[
    "soldiers",
    "soldats",
    "troops",
    "militaires",
    "gendarmes",
    "policemen",
    "policiers",
    "police",
    "officers",
    "vdp",
    "volunteers",
    "volontaires",
    "vigilantes",
    "vigilante",
    "peacekeepers",
    "casques",
    "koglweogo",
    "cops",
    "policeman",
    "cjtf",
    "personnel",
    "servicemen",
    "guards",
];
const MILITANT_NOUNS: &[&str] = &[
    "terrorists",
    "terroristes",
    "militants",
    "jihadists",
    "jihadistes",
    "djihadistes",
    "insurgents",
    "assailants",
    "assaillants",
    "fighters",
    "combattants",
    "bandits",
    "attackers",
    "neutralised",
    "neutralized",
    "neutralises",
    "neutralisés",
    "insurges",
    "criminels",
    "criminals",
    "elements",
    "hors",
    "islamists",
    "islamistes",
    "gunmen",
    "kidnappers",
    "rebels",
    "rebelles",
    "herdsmen",
    "cultists",
];

/// One person named by role, for "a soldier was killed", "kill village head", "un civil tué".
const SINGULAR_VICTIMS: &[(&str, Option<DeathSide>)] = &[
    ("soldier", Some(DeathSide::Forces)),
    ("policeman", Some(DeathSide::Forces)),
    ("policewoman", Some(DeathSide::Forces)),
    ("officer", Some(DeathSide::Forces)),
    ("gendarme", Some(DeathSide::Forces)),
    ("soldat", Some(DeathSide::Forces)),
    ("militaire", Some(DeathSide::Forces)),
    ("policier", Some(DeathSide::Forces)),
    ("vigilante", Some(DeathSide::Forces)),
    ("civilian", Some(DeathSide::Civilians)),
    ("civil", Some(DeathSide::Civilians)),
    ("villager", Some(DeathSide::Civilians)),
    ("villageois", Some(DeathSide::Civilians)),
    ("farmer", Some(DeathSide::Civilians)),
    ("herder", Some(DeathSide::Civilians)),
    ("teacher", Some(DeathSide::Civilians)),
    ("enseignant", Some(DeathSide::Civilians)),
    ("pupil", Some(DeathSide::Civilians)),
    ("student", Some(DeathSide::Civilians)),
    ("trader", Some(DeathSide::Civilians)),
    ("imam", Some(DeathSide::Civilians)),
    // "le chef de village", "le chef coutumier"; a chief of staff is rarer in these reports.
    ("chef", Some(DeathSide::Civilians)),
    ("pastor", Some(DeathSide::Civilians)),
    ("priest", Some(DeathSide::Civilians)),
    ("cleric", Some(DeathSide::Civilians)),
    ("journalist", Some(DeathSide::Civilians)),
    ("activist", Some(DeathSide::Civilians)),
    ("influencer", Some(DeathSide::Civilians)),
    ("tiktoker", Some(DeathSide::Civilians)),
    ("blogger", Some(DeathSide::Civilians)),
    ("politician", Some(DeathSide::Civilians)),
    ("lawmaker", Some(DeathSide::Civilians)),
    ("councillor", Some(DeathSide::Civilians)),
    ("conseiller", Some(DeathSide::Civilians)),
    ("fisherman", Some(DeathSide::Civilians)),
    ("youth", Some(DeathSide::Civilians)),
    ("pecheur", Some(DeathSide::Civilians)),
    ("eleveur", Some(DeathSide::Civilians)),
    ("berger", Some(DeathSide::Civilians)),
    ("mayor", Some(DeathSide::Civilians)),
    ("maire", Some(DeathSide::Civilians)),
    ("depute", Some(DeathSide::Civilians)),
    ("doctor", Some(DeathSide::Civilians)),
    ("nurse", Some(DeathSide::Civilians)),
    ("medecin", Some(DeathSide::Civilians)),
    ("driver", Some(DeathSide::Civilians)),
    ("chauffeur", Some(DeathSide::Civilians)),
    ("businessman", Some(DeathSide::Civilians)),
    ("commercant", Some(DeathSide::Civilians)),
    ("catechist", Some(DeathSide::Civilians)),
    ("catechiste", Some(DeathSide::Civilians)),
    ("marabout", Some(DeathSide::Civilians)),
    ("elder", Some(DeathSide::Civilians)),
    ("notable", Some(DeathSide::Civilians)),
    ("chief", Some(DeathSide::Civilians)),
    ("chef", Some(DeathSide::Civilians)),
    ("emir", Some(DeathSide::Civilians)),
    ("monarch", Some(DeathSide::Civilians)),
    ("head", Some(DeathSide::Civilians)),
    ("man", Some(DeathSide::Civilians)),
    ("woman", Some(DeathSide::Civilians)),
    ("boy", Some(DeathSide::Civilians)),
    ("girl", Some(DeathSide::Civilians)),
    ("child", Some(DeathSide::Civilians)),
    ("resident", Some(DeathSide::Civilians)),
    ("habitant", Some(DeathSide::Civilians)),
    ("homme", Some(DeathSide::Civilians)),
    ("femme", Some(DeathSide::Civilians)),
    ("enfant", Some(DeathSide::Civilians)),
    ("worker", Some(DeathSide::Civilians)),
    ("politician", Some(DeathSide::Civilians)),
    ("chairman", Some(DeathSide::Civilians)),
    ("lawmaker", Some(DeathSide::Civilians)),
    ("informant", Some(DeathSide::Civilians)),
    ("official", Some(DeathSide::Civilians)),
    ("councillor", Some(DeathSide::Civilians)),
    ("clergyman", Some(DeathSide::Civilians)),
    ("leader", Some(DeathSide::Civilians)),
    ("driver", Some(DeathSide::Civilians)),
    ("youth", Some(DeathSide::Civilians)),
    ("militant", Some(DeathSide::Militants)),
    ("insurgent", Some(DeathSide::Militants)),
    ("terrorist", Some(DeathSide::Militants)),
    ("terroriste", Some(DeathSide::Militants)),
    ("jihadist", Some(DeathSide::Militants)),
    ("commander", None),
    ("member", None),
];

fn qualifier(toks: &[Tok<'_>], i: usize) -> (bool, bool, bool) {
    // (approx floor, approx estimate, upper bound only) from the words before token i
    let w = |k: usize| -> &str { if i >= k { bare(toks[i - k].text) } else { "" } };
    let (w1, w2, w3) = (w(1), w(2), w(3));
    let floor = matches!(
        (w2, w1),
        ("more", "than") | ("plus", "de") | ("plus", "d") | ("upwards", "of")
    ) || matches!(w1, "over" | "plus");
    // "at least", "au moins", "no fewer than" state a floor as the figure itself: not approximate.
    let _ = w3;
    let est = matches!(
        w1,
        "nearly"
            | "almost"
            | "about"
            | "around"
            | "some"
            | "roughly"
            | "approximately"
            | "environ"
            | "quelque"
            | "quelques"
            | "estimated"
            | "pres"
            | "approximativement"
            | "presque"
            | "circa"
            | "feared"
    ) || matches!(
        (w2, w1),
        ("pres", "de") | ("close", "to") | ("an", "estimated") | ("a", "peu")
    );
    // "jusqu'à" is one token; `bare` would leave only "a".
    let raw1 = if i >= 1 { toks[i - 1].text } else { "" };
    // "may" after a day of the month ("On 14 May, … killed 4") is the month.
    let speculative = (1..=4).any(|k| match w(k) {
        "could" | "might" | "pourrait" | "pourraient" | "risque" => true,
        "may" => !w(k + 1).bytes().all(|b| b.is_ascii_digit()) || w(k + 1).is_empty(),
        _ => false,
    });
    let upper = matches!((w2, w1), ("up", "to") | ("as", "many"))
        || raw1 == "jusqu'a"
        || (w2 == "jusqu" && w1 == "a")
        || w1 == "jusqu"
        || speculative;
    (floor, est, upper)
}

/// Figures in a folded sentence: each number that a death or abduction word makes into a
/// count, and people named by role ("a soldier was killed", "kill village head").
pub fn figures(folded: &str) -> Vec<Figure> {
    let toks = tokens(folded);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some(num) = count_at(&toks, i) else {
            if let Some(f) = role_victim(&toks, i) {
                out.push(f);
            }
            i += 1;
            continue;
        };
        let (figure, len) = figure_at(folded, &toks, i, num);
        let figure = figure
            .or_else(|| part_of_last(&toks, i, num, out.last()))
            .or_else(|| item_after_last(folded, &toks, i, num, out.last()));
        out.extend(figure);
        i += len;
    }
    unside_mixed_totals(&mut out);
    mark_lists(folded, &mut out);
    out
}

/// "killed 12 soldiers, 5 civilians and 3 militants": a count of people that goes on a list
/// of counts of the dead is counted the same way (its verb is too far back to be read).
fn item_after_last(
    folded: &str,
    toks: &[Tok<'_>],
    i: usize,
    num: Number,
    last: Option<&Figure>,
) -> Option<Figure> {
    let last = last.filter(|l| l.counted == Counted::Deaths && !l.part)?;
    let side = victim_noun(bare(toks.get(i + num.len)?.text))?;
    list_gap(folded.get(last.at..toks[i].start)?)
        .then(|| Figure::count(num.value, num.approx, Counted::Deaths, toks[i].start, side))
}

/// Whether the text from one count to the next is one item of a list: the count, a noun of a
/// few words (no verb of death: "42 terrorists killed, 38 women rescued" is two clauses), then a
/// comma or "and".
fn list_gap(between: &str) -> bool {
    let between = between.trim_end();
    let separated = between.ends_with(',') || between.ends_with(" and") || between.ends_with(" et");
    let words: Vec<&str> = between
        .split_whitespace()
        .map(|w| w.trim_end_matches(','))
        .collect();
    separated
        && (2..=5).contains(&words.len())
        && words[1..].iter().all(|w| {
            w.chars().all(char::is_alphabetic)
                && !DEATH_AFTER.contains(w)
                && !DEATH_BEFORE.contains(w)
        })
}

/// "four gunmen, three soldiers and two policemen killed": death counts one after another,
/// each with its noun of a few words and a comma or "and" between, are items of one list.
fn mark_lists(folded: &str, figures: &mut [Figure]) {
    for k in 1..figures.len() {
        let (a, b) = (&figures[k - 1], &figures[k]);
        if a.counted != Counted::Deaths || b.counted != Counted::Deaths || a.part || b.part {
            continue;
        }
        if folded.get(a.at..b.at).is_some_and(list_gap) {
            let first = figures[k - 1].list.unwrap_or(figures[k - 1].at);
            figures[k - 1].list = Some(first);
            figures[k].list = Some(first);
        }
    }
}

/// "killing 30 people, including 12 soldiers": a count of people right after "including",
/// "dont", "among" is a part of the figure before it, counted the same way.
fn part_of_last(toks: &[Tok<'_>], i: usize, num: Number, last: Option<&Figure>) -> Option<Figure> {
    let last = last?;
    let before = bare(toks.get(i.checked_sub(1)?)?.text);
    if !matches!(
        before,
        "including" | "dont" | "among" | "parmi" | "notamment"
    ) {
        return None;
    }
    let side = victim_noun(bare(toks.get(i + num.len)?.text))?;
    Some(Figure {
        part: true,
        ..Figure::count(num.value, num.approx, last.counted, toks[i].start, side)
    })
}

/// "30 people, including 12 soldiers": a total with a part on another side was counted by a
/// word for anyone ("people"), so its side is unknown; the part keeps its own.
fn unside_mixed_totals(figures: &mut [Figure]) {
    let mut total: Option<usize> = None;
    for i in 0..figures.len() {
        if !figures[i].part {
            total = Some(i);
            continue;
        }
        let Some(t) = total else { continue };
        if let (Some(part), Some(whole)) = (figures[i].side, figures[t].side)
            && part != whole
            && figures[i].counted == figures[t].counted
        {
            figures[t].side = None;
        }
    }
}

/// A number that counts people: not a year, a time, a distance, an age or a day of the month;
/// "one"/"un" only before a person ("one civilian").
fn count_at(toks: &[Tok<'_>], i: usize) -> Option<Number> {
    let t = bare(toks[i].text);
    // "one civilian", and in headlines "One killed as…", "Un mort dans…".
    if matches!(t, "one" | "un" | "une")
        && toks.get(i + 1).is_some_and(|n| {
            let n = bare(n.text);
            victim_noun(n).is_some()
                || matches!(
                    n,
                    "killed" | "dead" | "died" | "feared" | "mort" | "tue" | "tuee"
                )
        })
    {
        return Some(Number {
            value: 1,
            len: 1,
            approx: false,
        });
    }
    let num = number_at(toks, i)?;
    let next = toks.get(i + num.len).map(|t| bare(t.text)).unwrap_or("");
    let prev = if i > 0 { bare(toks[i - 1].text) } else { "" };
    let is_year = (1900..=2100).contains(&num.value) && !num.approx;
    let not_a_count = is_year
        || matches!(
            next,
            "km" | "kilometres"
                | "kilometers"
                | "miles"
                | "h"
                | "heures"
                | "hours"
                | "years"
                | "ans"
                | "percent"
                | "pour"
                | "pm"
                | "am"
                | "mn"
                | "minutes"
                | "jours"
                | "days"
                | "vehicles"
                | "vehicules"
                | "motorcycles"
                | "motos"
                | "attacks"
                | "attaques"
        )
        || matches!(prev, "h" | "vers" | "aged" | "age")
        // "at 10" is an hour, but "the death toll at 36" a toll ("put the toll higher, at 30"
        // is another party's count, not a revision).
        || prev == "at" && !toll_stated_at(toks, i)
        // "le 12 mars", "September 12": a day of the month
        || crate::source::dates::month_number(next).is_some() && next != "may"
        || crate::source::dates::month_number(prev).is_some() && prev != "may" && prev != "mars"
        || next == "may" && may_is_the_month(toks, i, i + num.len);
    (!not_a_count).then_some(num)
}

/// Whether the count at `i`, after "at", is a death toll: "the death toll at 36", "death toll
/// from Nigeria cult clash at 36"; not "the toll higher, at 30".
fn toll_stated_at(toks: &[Tok<'_>], i: usize) -> bool {
    let toll = toks[..i]
        .iter()
        .any(|t| matches!(bare(t.text), "toll" | "bilan"));
    let compared = i >= 2 && matches!(bare(toks[i - 2].text), "higher" | "lower");
    toll && !compared
}

/// "On 14 May 2023", "14 May, gunmen…": the month, not "14 may have died". `may` is the index
/// of "may" after the number at `at`.
fn may_is_the_month(toks: &[Tok<'_>], at: usize, may: usize) -> bool {
    let prev = if at > 0 { bare(toks[at - 1].text) } else { "" };
    let after = toks.get(may + 1).map(|t| bare(t.text)).unwrap_or("");
    toks[may].text.ends_with([',', '.'])
        || (after.len() == 4 && after.starts_with("20"))
        || matches!(
            prev,
            "on" | "since" | "from" | "until" | "between" | "and" | "to" | "of" | "by" | "in"
                | "the"
        )
        // "the 21 May attack": a date that names an event.
        || matches!(
            after,
            "attack" | "attacks" | "raid" | "bombing" | "bombings" | "massacre" | "killings"
                | "ambush" | "abduction" | "kidnapping" | "blast" | "blasts" | "clash" | "clashes"
        )
}

/// The side a noun names when it names people ("soldiers", "un civil"), singular or plural.
fn victim_noun(w: &str) -> Option<Option<DeathSide>> {
    if let Some((_, side)) = SINGULAR_VICTIMS.iter().find(|(n, _)| *n == w) {
        return Some(*side);
    }
    noun_side(w)
}

/// The side of a plural noun of people.
fn noun_side(w: &str) -> Option<Option<DeathSide>> {
    if MILITANT_NOUNS.contains(&w) {
        Some(Some(DeathSide::Militants))
    } else if MILITARY_NOUNS.contains(&w) {
        Some(Some(DeathSide::Forces))
    } else if CIVILIAN_NOUNS.contains(&w) {
        Some(Some(DeathSide::Civilians))
    } else if matches!(w, "members" | "membres" | "fighters" | "combattants") {
        Some(None)
    } else {
        None
    }
}

/// Whether punctuation that ends a clause or an item (",", ";", ":") stands between tokens `j`
/// and `j + 1` of `text`.
fn punctuated(text: &str, toks: &[Tok<'_>], j: usize) -> bool {
    toks.get(j + 1)
        .and_then(|next| text.get(toks[j].end..next.start))
        .is_some_and(|gap| gap.contains([',', ';', ':']))
}

/// The figure a count at token `i` of `text` makes, and how many tokens it used.
fn figure_at(text: &str, toks: &[Tok<'_>], i: usize, num: Number) -> (Option<Figure>, usize) {
    let words = |from: usize, n: usize| -> Vec<&str> {
        toks[from.min(toks.len())..]
            .iter()
            .take(n)
            .map(|t| bare(t.text))
            .collect()
    };
    // "42 terrorists killed, 38 women … rescued": a verb of death that ends its clause does not
    // count what follows.
    let mut first = i.saturating_sub(5);
    if let Some(j) = (first..i).rev().find(|&j| {
        let w = bare(toks[j].text);
        (DEATH_AFTER.contains(&w) || DEATH_BEFORE.contains(&w)) && punctuated(text, toks, j)
    }) {
        first = j + 1;
    }
    let before: Vec<&str> = toks[first..i].iter().map(|t| bare(t.text)).collect();
    // "between 20 and 35", "entre 20 et 35", "20 to 35"
    let after = words(i + num.len, 6);
    let mut high = None;
    let mut range_len = 0;
    if (matches!(after.first(), Some(&"and" | &"et" | &"to" | &"a"))
        && before
            .last()
            .is_some_and(|w| matches!(*w, "between" | "entre" | "de" | "from"))
        || after.first() == Some(&"to"))
        && let Some(n2) = number_at(toks, i + num.len + 1)
        && n2.value > num.value
    {
        high = Some(n2.value);
        range_len = 1 + n2.len;
    }
    let len = num.len + range_len;
    // "killing 11; the attackers were…", "killing 11 militants; 3 soldiers were wounded": the
    // words past a clause's end are not the count's (a comma right after the count ends it too,
    // but a comma after its noun may go on to a list: "20 soldiers, one civilian killed").
    let semicolon = |j: usize| {
        toks.get(j + 1)
            .and_then(|next| text.get(toks[j].end..next.start))
            .is_some_and(|gap| gap.contains([';', ':']))
    };
    let after = if punctuated(text, toks, i + len - 1) {
        Vec::new()
    } else {
        let end = (i + len..(i + len + 5).min(toks.len()))
            .find(|&j| semicolon(j))
            .map_or(6, |j| j + 1 - (i + len));
        words(i + len, end.min(6))
    };
    let revised = revised_toll(toks, i, &before);
    let shared = || Some(coordinated_after(text, toks, i + len)).filter(|a| !a.is_empty());
    let past_apposition = || Some(past_apposition(text, toks, i + len)).filter(|a| !a.is_empty());
    let Some((counted, side)) = classify(&before, &after, revised)
        .or_else(|| classify(&before, &shared()?, revised))
        .or_else(|| classify(&before, &past_apposition()?, revised))
    else {
        return (None, len);
    };
    let (floor, est, upper) = qualifier(toks, i);
    // "three feared dead": an estimate.
    let est = est || after.first() == Some(&"feared");
    let update = before.iter().any(|w| UPDATE_WORDS.contains(w))
        || after.iter().take(2).any(|w| *w == "now");
    let fatalities = if upper {
        Fatalities {
            high: Some(num.value),
            approx: true,
            ..Default::default()
        }
    } else {
        Fatalities {
            low: Some(num.value),
            best: Some(num.value),
            high,
            approx: floor || est || num.approx,
            ..Default::default()
        }
    };
    // "three dead on each side", "deux morts dans chaque camp": the count of one side of two.
    let names_each_side = |words: &[&str]| {
        words.windows(2).any(|w| {
            matches!(
                w,
                [
                    "each" | "either" | "chaque",
                    "side" | "sides" | "camp" | "cote" | "partie"
                ]
            )
        })
    };
    let each_side =
        counted == Counted::Deaths && (names_each_side(&after) || names_each_side(&before));
    let (fatalities, side) = if each_side {
        let twice = |n: Option<u32>| n.map(|n| n.saturating_mul(2));
        let f = Fatalities {
            low: twice(fatalities.low),
            best: twice(fatalities.best),
            high: twice(fatalities.high),
            ..fatalities
        };
        (f, None)
    } else {
        (fatalities, side)
    };
    let figure = Figure {
        fatalities,
        counted,
        update,
        at: toks[i].start,
        side,
        part: before.last().is_some_and(|w| {
            matches!(
                *w,
                "including" | "dont" | "among" | "parmi" | "notamment" | "whom"
            )
        }),
        list: None,
    };
    (Some(figure), len)
}

/// "Hundreds of people, most of them civilians, were killed", "douze personnes, dont trois
/// enfants, ont été tuées": the noun after a count, then the words past the apposition between
/// commas that follows it (empty when there is none).
fn past_apposition<'a>(text: &str, toks: &[Tok<'a>], from: usize) -> Vec<&'a str> {
    const OPENERS: &[&str] = &[
        "most",
        "mostly",
        "including",
        "among",
        "all",
        "many",
        "mainly",
        "dont",
        "parmi",
        "notamment",
        "essentiellement",
        "majoritairement",
        "pour",
    ];
    let Some(open) = (from..(from + 3).min(toks.len())).find(|&j| punctuated(text, toks, j)) else {
        return Vec::new();
    };
    if !toks
        .get(open + 1)
        .is_some_and(|t| OPENERS.contains(&bare(t.text)))
    {
        return Vec::new();
    }
    let Some(close) = (open + 1..(open + 10).min(toks.len())).find(|&j| punctuated(text, toks, j))
    else {
        return Vec::new();
    };
    toks[from..=open]
        .iter()
        .chain(toks[close + 1..].iter().take(4))
        .map(|t| bare(t.text))
        .collect()
}

/// "10 soldiers and 15 militants were killed", "deux soldats et cinq terroristes ont été tués",
/// "five soldiers, two civilians and 10 militants were killed": a count coordinated with the
/// next ones shares their verb. The first noun, then the words after the last item (empty when
/// the count is not so coordinated).
fn coordinated_after<'a>(text: &str, toks: &[Tok<'a>], from: usize) -> Vec<&'a str> {
    let noun_at = |j: usize| {
        toks.get(j)
            .map(|t| bare(t.text))
            .filter(|w| victim_noun(w).is_some())
    };
    let Some(noun) = noun_at(from) else {
        return Vec::new();
    };
    // "five soldiers, two civilians and 10 militants were killed": item after item.
    let mut last = from;
    loop {
        let next = match toks.get(last + 1).map(|t| bare(t.text)) {
            Some("and" | "et") => last + 2,
            Some(_) if punctuated(text, toks, last) => last + 1,
            _ => break,
        };
        let Some(n) = number_at(toks, next) else {
            break;
        };
        // The item's noun, a few words on at most ("11 Boko Haram fighters").
        let Some(noun) = (next + n.len..next + n.len + 3).find(|&j| noun_at(j).is_some()) else {
            break;
        };
        last = noun;
    }
    if last == from {
        return Vec::new();
    }
    std::iter::once(noun)
        .chain(
            toks.get(last + 1..)
                .unwrap_or_default()
                .iter()
                .take(5)
                .map(|t| bare(t.text)),
        )
        .collect()
}

/// Words that make a figure a revision of an earlier one.
const UPDATE_WORDS: &[&str] = &[
    "rose",
    "rises",
    "risen",
    "climbed",
    "climbs",
    "increased",
    "alourdi",
    "alourdit",
    "passe",
    "grimpe",
    "revised",
    "reached",
    "provisoire",
];

/// "The death toll from Saturday's bombing … has risen to 23": the toll word is far back.
fn revised_toll(toks: &[Tok<'_>], i: usize, before: &[&str]) -> bool {
    let toll_word = toks[..i]
        .iter()
        .any(|t| matches!(bare(t.text), "toll" | "bilan"));
    // "Death toll hits 31", "toll from the attack is 21", "toll at 36", "toll now stands at 40",
    // "death toll from the attack at least 22".
    let mut said = before.iter().rev().copied();
    let mut last = said.next();
    if matches!(
        last,
        Some("least" | "about" | "around" | "over" | "nearly" | "almost" | "some")
    ) {
        last = said.next();
    }
    let stated = matches!(
        last,
        Some("hits" | "hit" | "is" | "at" | "reaches" | "tops" | "passes" | "nears" | "now")
    );
    if toll_word && stated {
        return true;
    }
    before
        .iter()
        .rev()
        .take(2)
        .any(|w| matches!(*w, "to" | "a"))
        && before.iter().rev().take(3).any(|w| {
            matches!(
                *w,
                "risen"
                    | "rose"
                    | "rises"
                    | "climbed"
                    | "climbs"
                    | "reached"
                    | "alourdi"
                    | "alourdit"
                    | "passe"
                    | "grimpe"
            )
        })
        && toll_word
}

/// One person named by role at token `i` and killed: "kill village head", "a soldier was
/// killed", "un civil a été tué". The role needs a kill word before it (with at most an article
/// or a title between) or a passive death after it.
fn role_victim(toks: &[Tok<'_>], i: usize) -> Option<Figure> {
    let w = bare(toks[i].text);
    let side = SINGULAR_VICTIMS.iter().find(|(n, _)| *n == w)?.1;
    let word = |k: isize| -> &str {
        let j = i as isize + k;
        if j < 0 {
            return "";
        }
        toks.get(j as usize).map_or("", |t| bare(t.text))
    };
    // "village head", "district head": "head" only with its title.
    if w == "head" && !matches!(word(-1), "village" | "district" | "ward" | "community") {
        return None;
    }
    let mut k = -1;
    while matches!(
        word(k),
        "a" | "an"
            | "the"
            | "one"
            | "un"
            | "une"
            | "le"
            | "la"
            | "local"
            | "village"
            | "district"
            | "ward"
            | "community"
            | "police"
            | "traditional"
            | "school"
            | "catholic"
            | "muslim"
            | "islamic"
            | "former"
            | "retired"
            | "serving"
            | "council"
            | "party"
    ) {
        k -= 1;
    }
    let kill_word = |w: &str| DEATH_BEFORE.contains(&w) && !matches!(w, "toll" | "left");
    // "killed one civilian and a soldier": the verb reaches across "and".
    // Not across a source: "six soldiers were killed, according to a resident and a councillor".
    let joined = matches!(word(k), "and" | "et")
        && (k - 6..k).any(|j| kill_word(word(j)))
        && !(k - 6..k).any(|j| {
            matches!(
                word(j),
                "selon" | "according" | "said" | "says" | "told" | "dit" | "indique"
            )
        });
    let killed_before = kill_word(word(k)) || joined;
    // "l'imam de Djibo assassiné", "the chief of Tsafe was killed": past the victim's place.
    let v: isize = if matches!(word(1), "de" | "du" | "of") {
        3
    } else {
        1
    };
    let passive = matches!(word(v), "was" | "has" | "is" | "a" | "est")
        && (v + 1..=v + 3).any(|k| {
            matches!(
                word(k),
                "killed"
                    | "murdered"
                    | "beheaded"
                    | "slain"
                    | "tue"
                    | "tuee"
                    | "assassine"
                    | "abattu"
            )
        })
        // "stab a youth to death", "beat a trader to death"
        || (1..=2).any(|k| word(k) == "to" && word(k + 1) == "death")
        || matches!(
            word(v),
            "killed"
                | "tue"
                | "tuee"
                | "shot"
                | "murdered"
                | "assassinated"
                | "beheaded"
                | "assassine"
                | "assassinee"
                | "abattu"
                | "abattue"
                | "egorge"
                | "egorgee"
        )
            // "killed a man": the victim comes after; "tué à Djibo": the place does.
            && !matches!(word(v + 1), "an" | "two" | "the" | "his" | "her" | "un" | "une")
            && !(word(v + 1) == "a" && word(v).ends_with("ed"));
    // "un soldat et une femme ont été tués", "a soldier and a woman were killed": two victims,
    // each counted, share a plural verb.
    let victim_at = |k: isize| SINGULAR_VICTIMS.iter().any(|(n, _)| *n == word(k));
    let plural_killed = |from: isize| {
        matches!(word(from), "were" | "have" | "ont" | "sont")
            && (from + 1..=from + 3).any(|k| {
                matches!(
                    word(k),
                    "killed"
                        | "murdered"
                        | "slain"
                        | "dead"
                        | "tues"
                        | "tuees"
                        | "morts"
                        | "assassines"
                        | "abattus"
                )
            })
    };
    let first_of_two = matches!(word(v), "and" | "et")
        && (v + 1..=v + 3)
            .find(|k| victim_at(*k))
            .is_some_and(|k| plural_killed(k + 1));
    let second_of_two =
        matches!(word(k), "and" | "et") && (k - 3..k).any(victim_at) && plural_killed(v);
    if !(killed_before || passive || first_of_two || second_of_two) {
        return None;
    }
    Some(Figure::count(
        1,
        false,
        Counted::Deaths,
        toks[i].start,
        side,
    ))
}

/// What a count counts, from the words after it ("12 soldiers killed", "12 wounded") and before
/// it ("killing 12", "abducted 25"), with the side of the people counted.
fn classify(
    before: &[&str],
    after: &[&str],
    revised: bool,
) -> Option<(Counted, Option<DeathSide>)> {
    // Whose dead: the noun right after the count, before any death word or place ("12 soldiers
    // killed"; in "five killed as gunmen attacked" the gunmen are not the dead, nor in "kill 5
    // in Kaduna - Police" the police), else the people the dead were among ("six morts parmi
    // les civils").
    let side = after
        .iter()
        .take(3)
        .take_while(|w| {
            !DEATH_AFTER.contains(*w) && !matches!(**w, "in" | "at" | "near" | "dans" | "pres")
        })
        .find_map(|w| noun_side(w))
        .flatten()
        .or_else(|| {
            after.windows(3).find_map(|w| match w {
                ["parmi", "les", noun] | ["among", "the", noun] => noun_side(noun).flatten(),
                _ => None,
            })
        });
    if revised {
        return Some((Counted::Deaths, side));
    }
    // "rescue 10 kidnapped victims", "free 20 hostages": the freed are neither dead nor taken.
    if before.last().is_some_and(|w| {
        matches!(
            *w,
            "rescue"
                | "rescues"
                | "rescued"
                | "free"
                | "frees"
                | "freed"
                | "release"
                | "releases"
                | "liberent"
                | "libere"
                | "liberes"
                | "secure"
                | "secures"
                | "secured"
        )
    }) {
        return None;
    }
    for (k, w) in after.iter().enumerate() {
        // "kills 1, wounds 8", "kills 1 and injures 8": the verb begins another clause.
        if OTHER_HARM_VERBS.contains(w) {
            break;
        }
        if NOT_DEATHS.contains(w) {
            return None;
        }
        // "15 terroristes abattus", but "deux drones abattus" were shot down.
        let shot_dead = matches!(*w, "abattu" | "abattus" | "abattue" | "abattues")
            && (k == 0 || side.is_some());
        if DEATH_AFTER.contains(w)
            || shot_dead
            || (*w == "death" && k > 0 && after[k - 1] == "to")
            || matches!(*w, "neutralised" | "neutralized" | "neutralises")
        {
            return Some((Counted::Deaths, side));
        }
        // "25 girls abducted", but in "kill 30, abduct 5" the verb starts another clause.
        if ABDUCTED.contains(w) && !TAKING_VERBS.contains(w) {
            return Some((Counted::Abducted, None));
        }
        // stop at a word that starts another clause or a place ("kill 45 in Benue villages")
        if matches!(*w, "in" | "dans" | "at" | "near")
            || matches!(
                *w,
                "and" | "et" | "while" | "but" | "mais" | "on" | "le" | "when"
            ) && k > 0
        {
            break;
        }
    }
    let near: Vec<&str> = before.iter().rev().take(4).copied().collect();
    if near
        .iter()
        .take(2)
        .any(|w| NOT_DEATHS.contains(w) || OTHER_HARM_VERBS.contains(w))
    {
        return None;
    }
    if near.iter().take(2).any(|w| ABDUCTED.contains(w)) {
        return Some((Counted::Abducted, None));
    }
    if near.iter().any(|w| DEATH_BEFORE.contains(w)) {
        return Some((Counted::Deaths, side));
    }
    // "Fatalities coded as 10" (ACLED's event notes).
    if before.ends_with(&["coded", "as"]) && before.contains(&"fatalities") {
        return Some((Counted::Deaths, side));
    }
    // "the bodies of 12 people were found", "les corps de 5 civils": the dead, found.
    let bodies = before.windows(2).rev().take(3).any(|w| {
        matches!(
            w,
            [
                "bodies" | "corps" | "cadavres" | "depouilles" | "remains",
                "of" | "de" | "des"
            ]
        )
    });
    if bodies {
        return Some((Counted::Deaths, side));
    }
    // "the army lost 10 soldiers", "JNIM lost some 20 fighters", "l'armée a perdu 12 hommes":
    // a side's dead, when people are what it lost (not "lost 3 matches").
    let people = after.first().is_some_and(|w| {
        noun_side(w).is_some() || matches!(*w, "men" | "hommes" | "elements" | "of")
    });
    if people && near.iter().take(3).any(|w| LOST.contains(w)) {
        return Some((Counted::Deaths, side));
    }
    None
}

/// Verbs of a side's losses: what follows is its dead when they are people.
const LOST: &[&str] = &[
    "lost", "lose", "loses", "losing", "perdu", "perd", "perdent",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    #[test]
    fn tokens_of_a_text_cut_again_are_its_own() {
        let texts = [
            "gunmen killed 3",
            "d'une attaque",
            "gunmen killed 3",
            "",
            "a b",
        ];
        for _ in 0..2 {
            for t in texts {
                let own = cut_tokens(t);
                let got = tokens(t);
                let spans = |v: &[Tok<'_>]| -> Vec<(usize, usize, String)> {
                    v.iter()
                        .map(|x| (x.start, x.end, x.text.to_string()))
                        .collect()
                };
                assert_eq!(spans(&got), spans(&own), "{t}");
            }
        }
        // The same words at another address.
        let copy = String::from("gunmen killed 3");
        assert_eq!(tokens(&copy).len(), 3);
        assert_eq!(tokens(&copy[..6])[0].text, "gunmen");
    }

    type Toll = (Option<u32>, Option<u32>, Option<u32>, bool);

    fn deaths(s: &str) -> Option<Toll> {
        figures(&fold(s))
            .into_iter()
            .find(|f| f.counted == Counted::Deaths)
            .map(|f| {
                (
                    f.fatalities.low,
                    f.fatalities.best,
                    f.fatalities.high,
                    f.fatalities.approx,
                )
            })
    }

    #[test]
    fn english_tolls() {
        assert_eq!(
            deaths("more than 30 Malian soldiers were killed"),
            Some((Some(30), Some(30), None, true))
        );
        assert_eq!(
            deaths("at least 12 people were killed"),
            Some((Some(12), Some(12), None, false))
        );
        assert_eq!(
            deaths("killing thirty-four civilians"),
            Some((Some(34), Some(34), None, false))
        );
        assert_eq!(
            deaths("the attack left 1,200 dead"),
            Some((Some(1200), Some(1200), None, false))
        );
        assert_eq!(
            deaths("between 20 and 35 people died"),
            Some((Some(20), Some(20), Some(35), false))
        );
        assert_eq!(
            deaths("up to 50 villagers may have been killed"),
            Some((None, None, Some(50), true))
        );
        assert_eq!(
            deaths("dozens of people were killed"),
            Some((Some(12), Some(12), None, true))
        );
        assert_eq!(
            deaths("nearly 40 soldiers died"),
            Some((Some(40), Some(40), None, true))
        );
        assert_eq!(deaths("12 soldiers were wounded"), None);
        assert_eq!(deaths("in 2012 the town fell"), None);
    }

    #[test]
    fn french_tolls() {
        assert_eq!(
            deaths("au moins quarante-quatre civils tués"),
            Some((Some(44), Some(44), None, false))
        );
        assert_eq!(
            deaths("une trentaine de soldats tués"),
            Some((Some(30), Some(30), None, true))
        );
        assert_eq!(
            deaths("faisant 1 200 morts"),
            Some((Some(1200), Some(1200), None, false))
        );
        assert_eq!(
            deaths("plus de 20 morts"),
            Some((Some(20), Some(20), None, true))
        );
        assert_eq!(
            deaths("entre 15 et 20 morts"),
            Some((Some(15), Some(15), Some(20), false))
        );
        assert_eq!(
            deaths("des dizaines de morts"),
            Some((Some(10), Some(10), None, true))
        );
        assert_eq!(
            deaths("quatre-vingt-dix morts"),
            Some((Some(90), Some(90), None, false))
        );
        assert_eq!(
            deaths("soixante-douze morts"),
            Some((Some(72), Some(72), None, false))
        );
        assert_eq!(deaths("cinq blessés"), None);
    }

    #[test]
    fn revisions_militants_and_abductions() {
        let f = figures(&fold("the death toll rose to 32"));
        assert!(f[0].update && f[0].counted == Counted::Deaths && f[0].fatalities.best == Some(32));
        let f = figures(&fold("le bilan s'est alourdi à 45 morts"));
        assert!(f[0].update);
        let f = figures(&fold("15 terroristes neutralisés"));
        assert_eq!(f[0].counted, Counted::Deaths);
        assert_eq!(f[0].side, Some(DeathSide::Militants));
        let f = figures(&fold("gunmen abducted 25 students"));
        assert_eq!(f[0].counted, Counted::Abducted);
        let f = figures(&fold("plus de 50 personnes enlevées"));
        assert_eq!(f[0].counted, Counted::Abducted);
    }
}
