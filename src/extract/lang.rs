//! English or French? A stop-word vote: reliable on a headline plus a paragraph, instant, and
//! limited to the two languages sitrep reads.

/// `"en"` or `"fr"` for a text (English when there is no evidence either way).
pub fn detect(text: &str) -> &'static str {
    detect_parts(&[text])
}

/// [`detect`] of the parts joined by line breaks, without joining them.
pub fn detect_parts(parts: &[&str]) -> &'static str {
    const EN: &[&str] = &[
        "the", "and", "of", "in", "was", "were", "said", "that", "with", "from", "by", "has",
        "have", "on", "at", "killed", "people", "is", "it", "their", "which", "after",
    ];
    const FR: &[&str] = &[
        "le", "la", "les", "des", "et", "du", "est", "dans", "selon", "une", "sur", "par", "pour",
        "ont", "qui", "au", "aux", "été", "ete", "que", "il", "elle", "ce", "été", "tués", "morts",
    ];
    let (mut en, mut fr) = (0usize, 0usize);
    let mut lower = String::new();
    for w in parts
        .iter()
        .flat_map(|p| p.split(|c: char| !c.is_alphanumeric() && c != 'é'))
        .filter(|w| !w.is_empty())
        .take(400)
    {
        // No stop word has more than six letters (and lowercasing never removes one).
        if w.len() > 6 && w.chars().nth(6).is_some() {
            continue;
        }
        lower.clear();
        lower.extend(w.chars().flat_map(char::to_lowercase));
        if EN.contains(&lower.as_str()) {
            en += 1;
        }
        if FR.contains(&lower.as_str()) {
            fr += 1;
        }
    }
    if fr > en { "fr" } else { "en" }
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn tells_english_from_french() {
        assert_eq!(
            detect("Gunmen killed 12 people in the village on Sunday, residents said."),
            "en"
        );
        assert_eq!(
            detect("Des hommes armés ont tué 12 personnes dans le village, selon des habitants."),
            "fr"
        );
        assert_eq!(detect("Attaque à Djibo : le bilan s'alourdit"), "fr");
    }
}
