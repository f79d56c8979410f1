//! Every word the map of recent incidents and `/map` show, in one place, behind functions that
//! take the channel's language (`"en"` today; each string moves into the `i18n/*.ftl` catalogues
//! when the language work lands). Unknown languages read English.

use chrono::NaiveDate;

/// The words of the region map's legend.
#[derive(Debug, Clone, PartialEq)]
pub struct Legend {
    /// The area: "Mali", "Tillabéri", "Subscribed area".
    pub title: String,
    /// "Last 7 days to 28 Nov 2026".
    pub period: String,
    /// "23 incidents · 145 killed".
    pub count: String,
    pub severity_heading: String,
    /// Critical, high, medium, low.
    pub severities: [String; 4],
    pub size_heading: String,
    /// None or unknown, 1-9, 10-49, 50 and more.
    pub sizes: [String; 4],
    /// Beside the numbered dot.
    pub grouped: String,
    /// Shown on the map when there is no incident.
    pub empty: String,
}

/// "last 24 hours" / "last 7 days".
pub fn period_words(_lang: &str, hours: u32) -> String {
    if hours.is_multiple_of(24) && hours > 24 {
        format!("last {} days", hours / 24)
    } else {
        format!("last {hours} hours")
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The legend of a map of `count` incidents with `deaths` reported deaths in `title`'s area over
/// the `hours` up to `until`.
pub fn legend(
    lang: &str,
    title: &str,
    hours: u32,
    until: NaiveDate,
    count: usize,
    deaths: u64,
) -> Legend {
    let period = capitalised(&period_words(lang, hours));
    Legend {
        title: title.to_string(),
        period: format!("{period} to {}", until.format("%-d %b %Y")),
        count: match (count, deaths) {
            (1, 0) => "1 incident".into(),
            (n, 0) => format!("{n} incidents"),
            (1, d) => format!("1 incident · {d} killed"),
            (n, d) => format!("{n} incidents · {d} killed"),
        },
        severity_heading: "Severity".into(),
        severities: [
            "critical".into(),
            "high".into(),
            "medium".into(),
            "low".into(),
        ],
        size_heading: "Killed".into(),
        sizes: [
            "none reported".into(),
            "1–9".into(),
            "10–49".into(),
            "50 and more".into(),
        ],
        grouped: "incidents close together".into(),
        empty: format!("No incident in the {}", period_words(lang, hours)),
    }
}

/// The map's title when the channel's subscriptions decide the area.
pub fn subscribed_area(_lang: &str) -> String {
    "Subscribed area".into()
}

/// The map's title when nothing limits the area.
pub fn whole_region(_lang: &str) -> String {
    "Sahel and West Africa".into()
}

/// The short text that goes with the `/map` picture.
pub fn map_caption(lang: &str, title: &str, hours: u32, count: usize) -> String {
    let period = period_words(lang, hours);
    match count {
        0 => format!("{title}: no incident in the {period}."),
        1 => format!("{title}: 1 incident in the {period}."),
        n => format!("{title}: {n} incidents in the {period}."),
    }
}

/// When the picture could not be drawn.
pub fn map_failed(_lang: &str) -> String {
    "Sorry, the map could not be drawn; /recent lists the incidents.".into()
}

/// Usage of `/map`.
pub fn map_usage(_lang: &str) -> &'static str {
    "/map [country|region] [days 1-90]"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legend_counts_and_periods_read_well() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let l = legend("en", "Mali", 24 * 7, day, 1, 0);
        assert_eq!(l.period, "Last 7 days to 28 Nov 2026");
        assert_eq!(l.count, "1 incident");
        assert_eq!(
            legend("en", "Mali", 24, day, 3, 40).count,
            "3 incidents · 40 killed"
        );
        assert_eq!(
            legend("en", "Mali", 24, day, 0, 0).empty,
            "No incident in the last 24 hours"
        );
        assert_eq!(
            map_caption("en", "Niger", 72, 2),
            "Niger: 2 incidents in the last 3 days."
        );
    }
}
