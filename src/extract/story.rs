//! The story a report tells, for matching the reports of one event across outlets and days: its
//! telling words (the school, the church, the victims, the town; not "attack" or "killed"), and
//! whether it tells the aftermath of an earlier event (a release, a search, an escape, a funeral,
//! a reaction) rather than the event itself, so that it is dated on publication but may belong to
//! an incident of the weeks before.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

use crate::incident::Story;

/// At most this many words are kept for one report.
const MAX_TERMS: usize = 24;

/// Words that say nothing of which event a report tells: function words of both languages, and
/// the vocabulary every report of violence shares.
#[rustfmt::skip]
const COMMON: &[&str] = &[
    // English function words and reporting verbs.
    "about", "above", "after", "again", "against", "also", "amid", "among", "another", "around",
    "because", "been", "before", "being", "between", "both", "during", "each", "early", "from",
    "have", "having", "here", "into", "just", "last", "late", "latest", "least", "many", "more",
    "most", "much", "near", "next", "only", "other", "over", "said", "says", "since", "some",
    "still", "such", "tell", "tells", "than", "that", "their", "them", "then", "there", "these",
    "they", "this", "those", "told", "under", "until", "upon", "were", "what", "when", "where",
    "which", "while", "whom", "will", "with", "within", "would", "your", "could", "should",
    "does", "done", "days", "week", "weeks", "month", "months", "year", "years", "today",
    "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "according", "reported", "report", "reports", "statement", "official", "officials", "news",
    "live", "video", "breaking", "story", "update", "says", "what", "know", "fresh", "first",
    "three", "four", "five", "dozen", "dozens", "hundred", "hundreds", "several", "people",
    "person", "including", "left", "took", "taken", "place", "local", "state", "country",
    "region", "area", "village", "town", "city", "government", "president", "security", "come",
    "came", "take", "look", "help", "sent", "send", "hit", "hits", "make", "made", "confirm",
    "confirmed", "confirms", "launch", "launched", "target", "targeted", "targeting", "major",
    "incident", "incidents", "villager", "villagers", "resident", "residents", "civilian",
    "civilians", "claim", "claimed", "claims", "responsibility", "authority",
    // Words of every abduction and of every aftermath.
    "abduct", "abducted", "abduction", "abductions", "kidnap", "kidnapped", "kidnapping",
    "kidnappings", "kidnapper", "kidnappers", "hostage", "hostages", "captive", "captives",
    "released", "release", "freed", "rescue", "rescued", "rescuing", "search", "missing",
    "escape", "escaped", "remain", "remaining", "strike", "strikes",
    // The shared vocabulary of violence.
    "attack", "attacked", "attacks", "attacker", "attackers", "killed", "kill", "kills",
    "killing", "killings", "dead", "death", "deaths", "toll", "gunmen", "armed", "group",
    "groups", "fighter", "fighters", "militant", "militants", "army", "military", "soldier",
    "soldiers", "troop", "troops", "police", "forces", "force", "violence", "violent",
    "suspected", "insurgent", "insurgents", "jihadist", "jihadists", "terrorist", "terrorists",
    "bandit", "bandits", "wounded", "injured", "nigeria", "nigerian", "nigerians", "mali",
    "malian", "burkina", "faso", "burkinabe", "niger", "nigerien", "chad", "chadian", "benin",
    "beninese", "togo", "togolese", "ghana", "ghanaian", "guinea", "guinean", "bissau",
    "senegal", "senegalese", "mauritania", "mauritanian", "cameroon", "cameroonian", "ivorian",
    "gambia", "gambian", "liberia", "sierra", "leone", "tchad", "tchadien", "malien", "maliens",
    "burkinabes", "beninois", "togolais", "nigeriens", "senegalais", "sahel", "west", "africa", "african", "north",
    "northern", "south", "southern", "east", "eastern", "western", "central", "northwest",
    "northeast", "northwestern", "northeastern", "southwest", "southeast",
    // French function words and the same vocabulary.
    "dans", "avec", "pour", "mais", "elle", "elles", "nous", "vous", "leur", "leurs", "sont",
    "sous", "sans", "selon", "entre", "apres", "avant", "depuis", "lors", "plus", "moins", "deux",
    "trois", "cette", "ces", "cet", "comme", "aussi", "encore", "ainsi", "dont", "tout", "tous",
    "toute", "toutes", "ville", "localite", "region", "pays", "attaque", "attaques", "tues",
    "morts", "mort", "bilan", "hommes", "armes", "armee", "militaires", "soldats", "terroristes",
    "djihadistes", "jihadistes", "assaillants", "blesses", "communique", "gouvernement",
    "securite", "forces", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "semaine", "mois", "annee", "hier", "enleve", "enleves", "enlevement", "otage", "otages",
    "liberes", "libere", "liberation",
];

fn common(word: &str) -> bool {
    static SET: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON.iter().copied().collect())
        .contains(word)
}

/// One telling word: lower-case ASCII (the text is folded), a plural's `s` dropped
/// ("schoolgirls", "authorities", not "religious" or "bus").
fn stem(word: &str) -> String {
    if let Some(base) = word.strip_suffix("ies").filter(|b| b.len() >= 3) {
        return format!("{base}y");
    }
    let singular = ["ss", "us", "is", "ys"]
        .iter()
        .all(|end| !word.ends_with(end));
    match word.strip_suffix('s') {
        Some(base) if base.len() >= 4 && singular => base.to_string(),
        _ => word.to_string(),
    }
}

/// One word for the words outlets use for the same victims ("pupils", "students",
/// "schoolchildren", "élèves"; "worshippers", "congregants", "fidèles").
fn same_as(word: String) -> String {
    let canonical = match word.as_str() {
        "pupil" | "schoolchildren" | "schoolchild" | "learner" | "eleve" | "ecolier"
        | "etudiant" | "collegien" | "lyceen" => "student",
        "congregant" | "faithful" | "fidele" | "churchgoer" => "worshipper",
        "herdsmen" | "herdsman" | "eleveur" | "pastoralist" => "herder",
        "cultivateur" | "agriculteur" => "farmer",
        "catholic" | "catholique" | "anglican" | "baptist" | "evangelical" | "chretien" => {
            "christian"
        }
        _ => return word,
    };
    canonical.to_string()
}

/// The telling words of a report's first sentences (folded text, the headline first): words of
/// four letters or more that are not common, and figures of two digits or more (the 25 girls,
/// the 300 pupils), spelled out or not ("seventy" is 70, so that it is no "seven").
pub(super) fn terms<'a>(folded: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in folded {
        // Apostrophes cut too: "l'eglise" is "eglise".
        let mut words = text.split(|c: char| !c.is_ascii_alphanumeric()).peekable();
        while let Some(word) = words.next() {
            let t = if let Some(n) = super::numbers::unit(word) {
                // "twenty-four" is 24.
                let ones = words
                    .peek()
                    .and_then(|w| super::numbers::unit(w))
                    .filter(|u| n >= 20 && n % 10 == 0 && *u < 10);
                if ones.is_some() {
                    words.next();
                }
                let n = n + ones.unwrap_or(0);
                if n < 10 {
                    continue;
                }
                n.to_string()
            } else {
                let figure = word.len() >= 2 && word.bytes().all(|b| b.is_ascii_digit());
                let telling = word.len() >= 4
                    && word.bytes().all(|b| b.is_ascii_alphabetic())
                    && !common(word);
                if !(figure || telling) {
                    continue;
                }
                same_as(stem(word))
            };
            if !common(&t) && !out.contains(&t) {
                out.push(t);
            }
            if out.len() == MAX_TERMS {
                return out;
            }
        }
    }
    out
}

fn re(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .expect("story patterns compile")
}

struct Patterns {
    aftermath: Regex,
    fresh: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        aftermath: re(concat!(
            r"\b(?:released|freed|rescued|escaped?|escapes|reunited|regain(?:ed|s)? (?:their )?freedom|(?:their|the) (?:release|return home)|release of the",
            r"|search(?:es|ing)? for|hunt(?:ing)? for|manhunt|still missing|remain(?:s|ed)? (?:missing|in captivity|unaccounted|held)",
            r"|mourn(?:s|ed|ing|ers)?|funerals?|bur(?:y|ied|ial)|condemn(?:s|ed)?|blames?d?|who'?s behind|what we know",
            r"|how it unfolded|aftermath|days? after|weeks? after|last (?:week|month)|survivors? (?:recount|describe|tell)",
            r"|describe what happened|intensif(?:y|ies|ied) (?:the )?(?:search|efforts|operations)|plotters|fail(?:ed|ure) to rescue",
            r"|liberes?|liberation des otages|relaches?|recherches? (?:des|pour)|toujours (?:portes disparus|detenus|aux mains)",
            r"|deuil|obseques|inhum|condamne|apres l'attaque|la semaine derniere|le mois dernier|rescapes? racontent)\b"
        )),
        fresh: re(
            r"\b(?:fresh|new|latest|another|renewed|nouvelle|nouvel|encore une) (?:\w+ ){0,2}(?:attacks?|raids?|abductions?|kidnappings?|killings?|attaques?|enlevements?)\b",
        ),
    })
}

/// Whether a headline insists its event is a new one ("fresh attack", "latest abduction").
fn fresh(headline: &str) -> bool {
    patterns().fresh.is_match(headline.as_bytes())
}

/// Whether a report's headline tells the aftermath of an earlier event rather than a new one.
pub(super) fn follow_up(headline: &str) -> bool {
    patterns().aftermath.is_match(headline.as_bytes()) && !fresh(headline)
}

/// The story of a report from the folded text of its sentences, the headline first, and the
/// armed actors it names (their names are telling words: "boko haram", "us military");
/// `undated` when the text gives no date and the report is dated on its publication (a headline
/// that calls its event fresh is of that day).
pub(super) fn story(folded: &[&str], actors: &[&str], undated: bool) -> Story {
    let headline = folded.first().copied().unwrap_or_default();
    let mut terms = terms(folded.iter().copied());
    for actor in actors {
        let name = actor.to_lowercase();
        if !terms.contains(&name) {
            terms.push(name);
        }
    }
    Story {
        terms,
        follow_up: follow_up(headline),
        undated: undated && !fresh(headline),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telling_words_leave_out_the_vocabulary_of_every_report() {
        let t = terms(["gunmen abduct 25 schoolgirls from a boarding school in kebbi state"]);
        assert_eq!(t, ["25", "schoolgirl", "boarding", "school", "kebbi"]);
        assert_eq!(
            terms(["authorities say religious campus"]),
            ["religious", "campus"]
        );
        let fr =
            terms(["des hommes armes ont attaque l'eglise catholique de dori, 15 fideles tues"]);
        assert!(fr.contains(&"eglise".to_string()) && fr.contains(&"dori".to_string()));
        assert!(!fr.contains(&"attaque".to_string()) && !fr.contains(&"armes".to_string()));
    }

    #[test]
    fn spelled_out_figures_are_figures_and_no_part_of_another_word() {
        assert_eq!(terms(["seventy schoolgirls freed"]), ["70", "schoolgirl"]);
        assert_eq!(terms(["twenty-four pupils escape"])[0], "24");
        assert_eq!(terms(["quinze fideles enleves"])[0], "15");
        // Under ten a figure tells nothing; "seven" is no longer a part of "seventy".
        assert_eq!(terms(["seven villagers killed in batsari"]), ["batsari"]);
        assert_eq!(terms(["bandits kill 70 in katsina"]), ["70", "katsina"]);
    }

    #[test]
    fn outlets_words_for_the_same_victims_are_one_word() {
        let a = terms(["pupils abducted from catholic school"]);
        let b = terms(["christian group says 50 students abducted have escaped"]);
        let c = terms(["des eleves enleves dans une ecole catholique"]);
        for t in [&a, &b, &c] {
            assert!(t.contains(&"student".to_string()), "{t:?}");
            assert!(t.contains(&"christian".to_string()), "{t:?}");
        }
        assert!(terms(["fulani herdsmen clash with farmers"]).contains(&"herder".to_string()));
    }

    #[test]
    fn the_names_of_countries_tell_no_story() {
        let t = terms(["guinea-bissau soldiers say they have taken power after arrest"]);
        assert!(!t.iter().any(|w| w == "guinea" || w == "bissau"), "{t:?}");
        assert!(t.contains(&"arrest".to_string()));
    }

    #[test]
    fn aftermath_headlines_are_follow_ups_and_new_events_are_not() {
        for h in [
            "two schoolgirls escape kidnap ordeal, official says",
            "one hundred abducted schoolchildren released",
            "army intensifies search for kidnapped pupils",
            "catholic bishop hits out at failure to rescue abducted children",
            "villagers mourn 40 farmers a week after the massacre",
            "hunt under way for coup plotters and their hostages",
            "parents of abducted pupils plead for their release",
            "les 20 otages de kaya liberes",
            "deuil national apres l'attaque de barsalogho",
        ] {
            assert!(follow_up(h), "{h}");
        }
        for h in [
            "gunmen kill 12 in attack on village",
            "pupils abducted from catholic school in fresh attack",
            "students taken from school in latest abduction, days after another raid",
            "des hommes armes enlevent 20 personnes pres de kaya",
            // Bodies found are a new event, in either language.
            "dix corps retrouves pres de djibo",
            "ten bodies found near djibo",
        ] {
            assert!(!follow_up(h), "{h}");
        }
    }
}
