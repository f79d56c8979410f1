//! The map of a region's recent incidents (`/map`, `sitrep map --recent`, the digest's picture):
//! an 800x560 PNG with every incident as a dot coloured by severity and sized by deaths, the
//! borders, reference towns, country names, scale bar and credit of the alert map (shared with
//! [`super::render`]), and a legend panel on the right (title, period, count, severity colours,
//! dot sizes). Where dots crowd, the worst are drawn last (on top) and dots closer than a few
//! pixels group into one numbered dot in the colour of its worst incident. The frame fits the
//! incidents and the area asked for with a margin; with no incident at all the picture says so.
//!
//! The words on the picture ([`Legend`]) come from the message catalogues in the channel's
//! language, and so do the names of towns and countries.

use chrono::NaiveDate;
use tiny_skia::{FillRule, Pixmap, Rect, Transform};

use super::{
    Boxed, Frame, Label, MapError, ScaleBar, borders, country_labels, disc, draw_countries,
    draw_label, draw_outline, draw_scale, draw_towns_and_labels, encode_png, paint, palette,
    place_credit, place_label, place_scale, reference_towns, references, severity_rgb, text,
    town_labels,
};
use crate::deliver::format::{date_short, severity_label};
use crate::extract::Gazetteer;
use crate::i18n::Lang;
use crate::model::{Incident, Severity};
use crate::text::fold;

/// Picture size in pixels.
pub const REGION_WIDTH: u32 = 800;
pub const REGION_HEIGHT: u32 = 560;
/// Width of the legend panel on the right; the map is the rest.
pub const LEGEND_WIDTH: u32 = 190;
/// Width of the map area.
pub const MAP_WIDTH: u32 = REGION_WIDTH - LEGEND_WIDTH;

/// Dots whose centres are closer than this (pixels) become one numbered dot.
const GROUP_PX: f32 = 10.0;
/// Space kept around the framed box, in pixels.
const MARGIN_PX: f64 = 36.0;
/// The closest zoom: one incident is shown with a few hundred kilometres around it.
const MIN_KM_PER_PX: f64 = 1.2;
/// What is framed when neither incidents nor an area say where: the central Sahel.
const SAHEL: (f64, f64, f64, f64) = (-12.0, 9.0, 16.0, 20.0);
/// Padding in degrees around a region's known places.
const REGION_PAD: f64 = 0.3;

/// One incident on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Dot {
    pub lat: f64,
    pub lon: f64,
    pub severity: Severity,
    /// Deaths reported (the alert's figure); `None` when no figure is given.
    pub deaths: Option<u32>,
}

impl Dot {
    /// The dot of an incident; `None` when it has no coordinates.
    pub fn of(i: &Incident) -> Option<Dot> {
        Some(Dot {
            lat: i.lat?,
            lon: i.lon?,
            severity: i.severity,
            deaths: i.fatalities.and_then(|f| f.figure()),
        })
    }

    /// Radius in pixels by deaths: unknown or none, 1-9, 10-49, 50 and more.
    pub fn radius(deaths: Option<u32>) -> f32 {
        match deaths.unwrap_or(0) {
            0 => 4.5,
            1..=9 => 6.0,
            10..=49 => 8.5,
            _ => 11.5,
        }
    }
}

/// What the picture shows.
#[derive(Debug, Clone)]
pub struct RegionScene {
    pub dots: Vec<Dot>,
    /// A box (min lon, min lat, max lon, max lat) always framed with the dots: the country or
    /// region asked for, or the subscribed area when there is no dot.
    pub area: Option<(f64, f64, f64, f64)>,
    /// Countries (ISO alpha-2) drawn in the lighter land colour.
    pub focus: Vec<String>,
    /// The words of the legend, in the channel's language.
    pub legend: Legend,
    /// The language of the towns' and countries' names.
    pub lang: Lang,
}

/// The words of the region map's legend, as the renderer gets them.
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

/// "last 24 hours" / "last 7 days" (whole days when the hours make more than one), in `lang`.
pub fn period_words(lang: Lang, hours: u32) -> String {
    if hours.is_multiple_of(24) && hours > 24 {
        lang.format("period-days", &[("count", (hours / 24).into())])
    } else {
        lang.format("period-hours", &[("count", hours.into())])
    }
}

/// "5 incidents · 48 killed" ("5 incidents" when no death is reported), in `lang`.
pub fn count_words(lang: Lang, count: usize, deaths: u64) -> String {
    if deaths == 0 {
        lang.format("count-incidents", &[("count", count.into())])
    } else {
        lang.format(
            "count-incidents-killed",
            &[
                ("count", count.into()),
                ("killed", lang.number(deaths).into()),
            ],
        )
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
/// the `hours` up to `until`, in `lang`.
pub fn legend(
    lang: Lang,
    title: &str,
    hours: u32,
    until: NaiveDate,
    count: usize,
    deaths: u64,
) -> Legend {
    let period = period_words(lang, hours);
    let date = format!("{} {}", date_short(until, lang), until.format("%Y"));
    let severities = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ]
    .map(|s| severity_label(s, lang).to_string());
    Legend {
        title: title.to_string(),
        period: capitalised(&lang.format(
            "map-period",
            &[("period", period.as_str().into()), ("date", date.into())],
        )),
        count: count_words(lang, count, deaths),
        severity_heading: lang.text("map-severity").into(),
        severities,
        size_heading: lang.text("map-killed").into(),
        sizes: [
            lang.text("map-size-none").into(),
            "1–9".into(),
            "10–49".into(),
            lang.text("map-size-most").into(),
        ],
        grouped: lang.text("map-grouped").into(),
        empty: lang.format("map-empty", &[("period", period.into())]),
    }
}

/// One dot as drawn: a single incident or a group.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnDot {
    pub at: (f32, f32),
    pub radius: f32,
    /// The worst severity in the group.
    pub severity: Severity,
    /// Incidents in the group (1 for a single incident).
    pub count: usize,
}

/// Where things were drawn.
#[derive(Debug, Clone)]
pub struct RegionLayout {
    pub frame: Frame,
    /// Drawn bottom to top: the last is the worst.
    pub dots: Vec<DrawnDot>,
    /// Legend panel (x, y, width, height).
    pub legend: (f32, f32, f32, f32),
    pub towns: Vec<String>,
    pub countries: Vec<String>,
    pub scale: ScaleBar,
    /// The picture says there is no incident.
    pub empty: bool,
}

/// A drawn region map.
#[derive(Debug, Clone)]
pub struct RegionPicture {
    pub png: Vec<u8>,
    pub layout: RegionLayout,
}

/// The scene of a list of incidents, its legend in `lang`: `title` names the area, the period is
/// the `hours` up to `until`. Countries in `focus` are drawn lighter (the incidents' own
/// countries when it is empty).
pub fn scene_of(
    incidents: &[Incident],
    area: Option<(f64, f64, f64, f64)>,
    focus: &[String],
    title: &str,
    hours: u32,
    until: NaiveDate,
    lang: Lang,
) -> RegionScene {
    let deaths: u64 = incidents
        .iter()
        .map(|i| u64::from(i.fatalities.and_then(|f| f.figure()).unwrap_or(0)))
        .sum();
    let mut focus = focus.to_vec();
    if focus.is_empty() {
        for i in incidents {
            if !focus.contains(&i.country) {
                focus.push(i.country.clone());
            }
        }
    }
    RegionScene {
        dots: incidents.iter().filter_map(Dot::of).collect(),
        area,
        focus,
        legend: legend(lang, title, hours, until, incidents.len(), deaths),
        lang,
    }
}

/// The box of a country's borders, when the bundled borders have it.
pub fn country_bbox(code: &str) -> Option<(f64, f64, f64, f64)> {
    borders::bundled()
        .ok()?
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code))
        .map(|c| c.bbox)
}

/// The box of the gazetteer's places in an admin1 region, with some padding.
pub fn region_bbox(name: &str, gaz: &Gazetteer) -> Option<(f64, f64, f64, f64)> {
    let k = fold(name);
    let mut b: Option<(f64, f64, f64, f64)> = None;
    for id in 0..gaz.len() as u32 {
        let p = gaz.place(crate::extract::gazetteer::PlaceId(id));
        if fold(&p.admin1) == k || (p.admin1.is_empty() && fold(&p.name) == k) {
            b = Some(union(b, (p.lon, p.lat, p.lon, p.lat)));
        }
    }
    b.map(|(w, s, e, n)| {
        (
            w - REGION_PAD,
            s - REGION_PAD,
            e + REGION_PAD,
            n + REGION_PAD,
        )
    })
}

/// The smallest box holding both.
pub fn union(a: Option<(f64, f64, f64, f64)>, b: (f64, f64, f64, f64)) -> (f64, f64, f64, f64) {
    match a {
        None => b,
        Some(a) => (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)),
    }
}

/// The frame: the dots and the area with a margin, the central Sahel when neither says where.
fn frame_of(scene: &RegionScene) -> Frame {
    let mut b = scene.area;
    for d in &scene.dots {
        b = Some(union(b, (d.lon, d.lat, d.lon, d.lat)));
    }
    Frame::fit(
        b.unwrap_or(SAHEL),
        (MAP_WIDTH, REGION_HEIGHT),
        MARGIN_PX,
        MIN_KM_PER_PX,
    )
}

/// Groups dots by proximity, worst first: a dot joins the first group whose anchor (its worst
/// dot) is within [`GROUP_PX`]. Returned bottom to top (the worst last).
fn group(scene: &RegionScene, frame: &Frame) -> Vec<DrawnDot> {
    let mut order: Vec<&Dot> = scene.dots.iter().collect();
    order.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.deaths.unwrap_or(0).cmp(&a.deaths.unwrap_or(0)))
    });
    // (drawn dot, deaths in the group)
    let mut groups: Vec<(DrawnDot, u32)> = Vec::new();
    for d in order {
        let at = frame.project(d.lat, d.lon);
        let deaths = d.deaths.unwrap_or(0);
        match groups
            .iter_mut()
            .find(|(g, _)| (g.at.0 - at.0).hypot(g.at.1 - at.1) < GROUP_PX)
        {
            Some((g, total)) => {
                g.count += 1;
                *total += deaths;
            }
            None => groups.push((
                DrawnDot {
                    at,
                    radius: 0.0,
                    severity: d.severity,
                    count: 1,
                },
                deaths,
            )),
        }
    }
    let mut drawn: Vec<DrawnDot> = groups
        .into_iter()
        .map(|(mut g, total)| {
            let r = Dot::radius(Some(total));
            g.radius = if g.count > 1 {
                r.max(7.5 + 2.0 * (g.count.to_string().len() as f32 - 1.0))
            } else {
                r
            };
            g
        })
        .collect();
    drawn.reverse();
    drawn
}

/// Draws the map of recent incidents.
pub fn render_region(scene: &RegionScene, gaz: &Gazetteer) -> Result<RegionPicture, MapError> {
    let frame = frame_of(scene);
    let canvas = frame.size();
    let mut pixmap = Pixmap::new(REGION_WIDTH, REGION_HEIGHT).expect("an 800x560 pixmap");
    let focus = &scene.focus;
    let visible = draw_countries(&mut pixmap, &frame, &|code| {
        focus.iter().any(|f| f.eq_ignore_ascii_case(code))
    })?;
    let dots = group(scene, &frame);

    // Placement: dots, scale, credit, the empty notice, towns, countries.
    let mut taken: Vec<Boxed> = dots
        .iter()
        .map(|d| {
            let r = d.radius + 2.0;
            Boxed(d.at.0 - r, d.at.1 - r, d.at.0 + r, d.at.1 + r)
        })
        .collect();
    let (scale, scale_text) = place_scale(&frame, &mut taken)?;
    let credit = place_credit(canvas, &mut taken)?;
    let mut labels: Vec<Label> = Vec::new();
    let empty = scene.dots.is_empty();
    let mut notice = None;
    if empty {
        let shaped = text::shape(&scene.legend.empty, 17.0, 0.0)?;
        let spot = [(
            (canvas.0 - shaped.width) / 2.0,
            canvas.1 / 2.0 + shaped.ascent / 2.0,
        )];
        if let Some(b) = place_label(&shaped, &spot, &mut taken, canvas) {
            notice = Some(Label {
                shaped,
                x: b.0,
                baseline: b.1,
                fill: palette::TEXT,
                halo: 3.5,
            });
        }
    }
    let (lat0, lon0) = (frame.lat0, frame.lon0);
    let refs = references(lat0, lon0, None, gaz);
    let towns = reference_towns(&refs, &frame, &[], 6, &mut taken, scene.lang)?;
    let (town_names, town_dots) = town_labels(towns, &mut labels);
    let country_names = country_labels(&visible, gaz, scene.lang, &mut taken, canvas, &mut labels)?;

    // Drawing, bottom to top.
    draw_towns_and_labels(&mut pixmap, &town_dots, &mut labels);
    let mut sprites = Sprites::default();
    for d in &dots {
        sprites.draw(&mut pixmap, d)?;
    }
    if let Some(n) = &notice {
        draw_label(&mut pixmap, n);
    }
    draw_scale(&mut pixmap, &scale, scale_text);
    draw_label(&mut pixmap, &credit);
    let legend = draw_legend(&mut pixmap, &scene.legend)?;
    draw_outline(&mut pixmap);
    let png = encode_png(&pixmap)?;
    Ok(RegionPicture {
        png,
        layout: RegionLayout {
            frame,
            dots,
            legend,
            towns: town_names,
            countries: country_names,
            scale,
            empty,
        },
    })
}

/// Dots drawn once per severity and size, then copied into place: hundreds of dots cost
/// hundreds of small copies rather than three anti-aliased paths each.
#[derive(Default)]
struct Sprites {
    drawn: std::collections::HashMap<(Severity, u32), (Pixmap, i32)>,
}

impl Sprites {
    /// Draws a dot (and a group's count) centred on the pixel that holds `d.at`.
    fn draw(&mut self, pixmap: &mut Pixmap, d: &DrawnDot) -> Result<(), MapError> {
        let key = (d.severity, (d.radius * 10.0).round() as u32);
        if let std::collections::hash_map::Entry::Vacant(slot) = self.drawn.entry(key) {
            let half = (d.radius + 3.0).ceil() as i32;
            let size = (2 * half + 1) as u32;
            let mut sprite = Pixmap::new(size, size).expect("a small pixmap");
            let centre = (half as f32 + 0.5, half as f32 + 0.5);
            draw_dot(
                &mut sprite,
                &DrawnDot {
                    at: centre,
                    count: 1,
                    ..d.clone()
                },
            )?;
            slot.insert((sprite, half));
        }
        let (sprite, half) = &self.drawn[&key];
        pixmap.draw_pixmap(
            d.at.0.floor() as i32 - half,
            d.at.1.floor() as i32 - half,
            sprite.as_ref(),
            &tiny_skia::PixmapPaint::default(),
            Transform::identity(),
            None,
        );
        if d.count > 1 {
            draw_count(pixmap, d)?;
        }
        Ok(())
    }
}

/// One dot: a dark rim, a white ring, the severity's colour; a group's count in white.
fn draw_dot(pixmap: &mut Pixmap, d: &DrawnDot) -> Result<(), MapError> {
    let sev = severity_rgb(d.severity);
    disc(pixmap, d.at, d.radius + 1.8, (0x20, 0x20, 0x20, 0xFF));
    disc(pixmap, d.at, d.radius + 1.0, (0xFF, 0xFF, 0xFF, 0xFF));
    disc(pixmap, d.at, d.radius, (sev.0, sev.1, sev.2, 0xFF));
    if d.count > 1 {
        draw_count(pixmap, d)?;
    }
    Ok(())
}

/// A group's count on its dot, centred on the dot's pixel.
fn draw_count(pixmap: &mut Pixmap, d: &DrawnDot) -> Result<(), MapError> {
    let centre = (d.at.0.floor() + 0.5, d.at.1.floor() + 0.5);
    {
        let shaped = text::shape(&d.count.to_string(), 10.5, 0.0)?;
        let dark_text = matches!(d.severity, Severity::Medium | Severity::Low);
        let label = Label {
            x: centre.0 - shaped.width / 2.0,
            baseline: centre.1 + shaped.ascent / 2.0,
            shaped,
            fill: if dark_text {
                palette::TEXT
            } else {
                (0xFF, 0xFF, 0xFF, 0xFF)
            },
            halo: 0.0,
        };
        if let Some(path) = &label.shaped.path {
            let at = Transform::from_translate(label.x, label.baseline);
            pixmap.fill_path(path, &paint(label.fill), FillRule::Winding, at, None);
        }
    }
    Ok(())
}

/// A line of legend text at most `max_width` wide: the size shrinks, then the text is cut.
fn fitted(text_: &str, size: f32, max_width: f32) -> Result<text::Shaped, MapError> {
    for s in [size, size * 0.88, size * 0.78] {
        let shaped = text::shape(text_, s, 0.0)?;
        if shaped.width <= max_width {
            return Ok(shaped);
        }
    }
    let mut chars: Vec<char> = text_.chars().collect();
    while chars.len() > 1 {
        chars.pop();
        let cut: String = chars.iter().collect::<String>() + "…";
        let shaped = text::shape(&cut, size * 0.78, 0.0)?;
        if shaped.width <= max_width {
            return Ok(shaped);
        }
    }
    text::shape(text_, size * 0.78, 0.0)
}

/// The legend panel on the right; returns its box.
fn draw_legend(pixmap: &mut Pixmap, l: &Legend) -> Result<(f32, f32, f32, f32), MapError> {
    let x0 = MAP_WIDTH as f32;
    let (w, h) = (LEGEND_WIDTH as f32, REGION_HEIGHT as f32);
    if let Some(r) = Rect::from_xywh(x0, 0.0, w, h) {
        pixmap.fill_rect(r, &paint(palette::PANEL), Transform::identity(), None);
    }
    if let Some(r) = Rect::from_xywh(x0, 0.0, 1.5, h) {
        pixmap.fill_rect(r, &paint(palette::FRAME), Transform::identity(), None);
    }
    let left = x0 + 14.0;
    let inner = w - 26.0;
    let mut y = 30.0;
    let line = |pixmap: &mut Pixmap, shaped: text::Shaped, x: f32, y: f32| {
        draw_label(
            pixmap,
            &Label {
                shaped,
                x,
                baseline: y,
                fill: palette::TEXT,
                halo: 0.0,
            },
        )
    };
    line(pixmap, fitted(&l.title, 16.0, inner)?, left, y);
    y += 22.0;
    line(pixmap, fitted(&l.period, 12.0, inner)?, left, y);
    y += 18.0;
    line(pixmap, fitted(&l.count, 12.0, inner)?, left, y);
    y += 34.0;
    line(pixmap, fitted(&l.severity_heading, 12.5, inner)?, left, y);
    y += 8.0;
    let severities = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];
    for (s, name) in severities.iter().zip(&l.severities) {
        y += 20.0;
        let sev = severity_rgb(*s);
        let at = (left + 8.0, y - 4.5);
        disc(pixmap, at, 7.8, (0x20, 0x20, 0x20, 0xFF));
        disc(pixmap, at, 7.0, (0xFF, 0xFF, 0xFF, 0xFF));
        disc(pixmap, at, 6.0, (sev.0, sev.1, sev.2, 0xFF));
        line(pixmap, fitted(name, 12.0, inner - 26.0)?, left + 24.0, y);
    }
    y += 36.0;
    line(pixmap, fitted(&l.size_heading, 12.5, inner)?, left, y);
    y += 8.0;
    for (deaths, name) in [Some(0), Some(5), Some(20), Some(50)].iter().zip(&l.sizes) {
        let r = Dot::radius(*deaths);
        y += 2.0 * r.max(7.0) + 6.0;
        let at = (left + 12.0, y - 4.5);
        disc(pixmap, at, r + 1.0, (0x20, 0x20, 0x20, 0xFF));
        disc(pixmap, at, r, (0x9A, 0x9A, 0x9A, 0xFF));
        line(pixmap, fitted(name, 12.0, inner - 30.0)?, left + 30.0, y);
    }
    y += 34.0;
    draw_dot(
        pixmap,
        &DrawnDot {
            at: (left + 12.0, y - 4.5),
            radius: 9.0,
            severity: Severity::High,
            count: 3,
        },
    )?;
    line(
        pixmap,
        fitted(&l.grouped, 12.0, inner - 30.0)?,
        left + 30.0,
        y,
    );
    Ok((x0, 0.0, w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dot(lat: f64, lon: f64, severity: Severity, deaths: Option<u32>) -> Dot {
        Dot {
            lat,
            lon,
            severity,
            deaths,
        }
    }

    fn scene(dots: Vec<Dot>, area: Option<(f64, f64, f64, f64)>) -> RegionScene {
        let n = dots.len();
        RegionScene {
            dots,
            area,
            focus: vec!["ML".into()],
            legend: legend(Lang::En, "Mali", 7 * 24, day(), n, 0),
            lang: Lang::En,
        }
    }

    fn day() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn pixel(p: &Pixmap, at: (f32, f32)) -> (u8, u8, u8) {
        let c = p.pixel(at.0 as u32, at.1 as u32).unwrap().demultiply();
        (c.red(), c.green(), c.blue())
    }

    #[test]
    fn legend_counts_and_periods_read_well() {
        let l = legend(Lang::En, "Mali", 24 * 7, day(), 1, 0);
        assert_eq!(l.period, "Last 7 days to 28 Nov 2026");
        assert_eq!(l.count, "1 incident");
        assert_eq!(
            legend(Lang::En, "Mali", 24, day(), 3, 40).count,
            "3 incidents · 40 killed"
        );
        assert_eq!(
            legend(Lang::En, "Mali", 24, day(), 0, 0).empty,
            "No incident in the last 24 hours"
        );
    }

    #[test]
    fn a_french_legend_is_in_french() {
        let l = legend(Lang::Fr, "Tchad", 24 * 7, day(), 3, 1200);
        assert_eq!(l.period, "Les 7 derniers jours jusqu'au 28 nov. 2026");
        assert_eq!(l.count, "3 incidents · 1\u{202F}200 tués");
        assert_eq!(l.severity_heading, "Gravité");
        assert_eq!(l.severities[0], "critique");
        assert_eq!(l.severities[1], "élevé");
        assert_eq!(l.size_heading, "Tués");
        assert_eq!(l.sizes[0], "aucun signalé");
        assert_eq!(l.sizes[3], "50 et plus");
        assert_eq!(l.grouped, "incidents rapprochés");
        assert_eq!(
            legend(Lang::Fr, "Mali", 24, day(), 0, 0).empty,
            "Aucun incident sur les 24 dernières heures"
        );
        assert_eq!(
            legend(Lang::Fr, "Mali", 1, day(), 1, 0).empty,
            "Aucun incident sur la dernière heure"
        );
    }

    #[test]
    fn dots_are_where_the_incidents_are_in_their_severity_colours() {
        let s = scene(
            vec![
                dot(14.8, -1.32, Severity::Critical, Some(34)),
                dot(16.77, -3.0, Severity::Low, None),
                dot(12.65, -8.0, Severity::Medium, Some(3)),
            ],
            None,
        );
        let pic = render_region(&s, Gazetteer::bundled()).unwrap();
        let p = Pixmap::decode_png(&pic.png).unwrap();
        assert_eq!((p.width(), p.height()), (REGION_WIDTH, REGION_HEIGHT));
        assert_eq!(pic.layout.dots.len(), 3);
        for d in &s.dots {
            let at = pic.layout.frame.project(d.lat, d.lon);
            assert!(
                at.0 > 0.0 && at.0 < MAP_WIDTH as f32 && at.1 > 0.0,
                "{at:?}"
            );
            let c = severity_rgb(d.severity);
            assert_eq!(pixel(&p, at), c, "{:?} at {at:?}", d.severity);
        }
        let big = pic
            .layout
            .dots
            .iter()
            .find(|d| d.severity == Severity::Critical);
        let small = pic.layout.dots.iter().find(|d| d.severity == Severity::Low);
        assert!(
            big.unwrap().radius > small.unwrap().radius,
            "sized by deaths"
        );
        assert!(!pic.layout.empty);
    }

    #[test]
    fn the_legend_shows_the_severity_colours_on_its_panel() {
        let pic = render_region(&scene(vec![], None), Gazetteer::bundled()).unwrap();
        let p = Pixmap::decode_png(&pic.png).unwrap();
        let (x, _, w, h) = pic.layout.legend;
        assert_eq!((x, w, h), (MAP_WIDTH as f32, LEGEND_WIDTH as f32, 560.0));
        let mut colours = std::collections::HashSet::new();
        for yy in 0..REGION_HEIGHT {
            for xx in MAP_WIDTH + 2..REGION_WIDTH {
                colours.insert(pixel(&p, (xx as f32, yy as f32)));
            }
        }
        for s in [
            Severity::Critical,
            Severity::High,
            Severity::Medium,
            Severity::Low,
        ] {
            assert!(colours.contains(&severity_rgb(s)), "{s:?} in the legend");
        }
        let panel = (palette::PANEL.0, palette::PANEL.1, palette::PANEL.2);
        assert_eq!(pixel(&p, (REGION_WIDTH as f32 - 5.0, 550.0)), panel);
        assert!(
            colours.contains(&(palette::TEXT.0, palette::TEXT.1, palette::TEXT.2)),
            "legend text"
        );
    }

    #[test]
    fn one_incident_is_framed_with_its_surroundings() {
        let pic = render_region(
            &scene(vec![dot(14.8, -1.32, Severity::High, Some(5))], None),
            Gazetteer::bundled(),
        )
        .unwrap();
        let f = pic.layout.frame;
        assert_eq!(f.km_per_px(), MIN_KM_PER_PX);
        let at = f.project(14.8, -1.32);
        assert!((at.0 - MAP_WIDTH as f32 / 2.0).abs() < 0.5 && (at.1 - 280.0).abs() < 0.5);
        assert!(!pic.layout.towns.is_empty(), "reference towns around it");
    }

    #[test]
    fn a_country_is_framed_whole_with_a_margin() {
        let mali = country_bbox("ML").unwrap();
        let pic = render_region(
            &scene(vec![dot(14.8, -1.32, Severity::High, None)], Some(mali)),
            Gazetteer::bundled(),
        )
        .unwrap();
        let f = pic.layout.frame;
        let (w, s, e, n) = f.bounds();
        assert!(
            w < mali.0 && s < mali.1 && e > mali.2 && n > mali.3,
            "{:?}",
            f.bounds()
        );
        let nw = f.project(mali.3, mali.0);
        let se = f.project(mali.1, mali.2);
        let fits_x = nw.0 >= 30.0 && se.0 <= MAP_WIDTH as f32 - 30.0;
        let fits_y = nw.1 >= 30.0 && se.1 <= REGION_HEIGHT as f32 - 30.0;
        assert!(fits_x && fits_y, "{nw:?} {se:?}");
        let tight_x = nw.0 < 40.0 || se.0 > MAP_WIDTH as f32 - 40.0;
        let tight_y = nw.1 < 40.0 || se.1 > REGION_HEIGHT as f32 - 40.0;
        assert!(
            tight_x || tight_y,
            "the country fills the map: {nw:?} {se:?}"
        );
        assert!(pic.layout.countries.iter().any(|c| c == "Mali"));
    }

    #[test]
    fn a_french_scene_names_countries_in_french_and_gives_the_renderer_french_words() {
        let chad = country_bbox("TD").unwrap();
        let incident = |lat: f64, lon: f64| -> Incident {
            serde_json::from_str(&format!(
                r#"{{"id":"TD-1","kind":"clash","country":"TD","lat":{lat},"lon":{lon},
                "geo_precision":1,"date":"2026-11-27","date_precision":"day","actors":[],"claimed_by":[],
                "fatalities":null,"severity":"high","verification":"reported","summary":"",
                "sources":[],"first_seen":"2026-11-27T09:00:00Z","updated":"2026-11-27T09:00:00Z"}}"#
            ))
            .unwrap()
        };
        let s = scene_of(
            &[incident(13.3, 14.1)],
            Some(chad),
            &["TD".into()],
            "Tchad",
            7 * 24,
            day(),
            Lang::Fr,
        );
        assert_eq!(s.lang, Lang::Fr);
        assert_eq!(s.legend.severity_heading, "Gravité");
        assert!(
            s.legend.period.starts_with("Les 7 derniers jours"),
            "{}",
            s.legend.period
        );
        let pic = render_region(&s, Gazetteer::bundled()).unwrap();
        assert!(
            pic.layout.countries.iter().any(|c| c == "Tchad"),
            "{:?}",
            pic.layout.countries
        );
        assert!(!pic.layout.countries.iter().any(|c| c == "Chad"));
    }

    #[test]
    fn an_empty_week_frames_the_area_and_says_so() {
        let burkina = country_bbox("BF").unwrap();
        let mut s = scene(vec![], Some(burkina));
        s.legend = legend(Lang::En, "Burkina Faso", 7 * 24, day(), 0, 0);
        let pic = render_region(&s, Gazetteer::bundled()).unwrap();
        assert!(pic.layout.empty && pic.layout.dots.is_empty());
        let centre = pic
            .layout
            .frame
            .project((burkina.1 + burkina.3) / 2.0, (burkina.0 + burkina.2) / 2.0);
        assert!((centre.0 - MAP_WIDTH as f32 / 2.0).abs() < 1.0);
        // The notice is drawn in the middle: dark text pixels there that a picture without it
        // lacks.
        let dark = |png: &[u8]| {
            let p = Pixmap::decode_png(png).unwrap();
            (150..460)
                .flat_map(|x| (262..292).map(move |y| (x as f32, y as f32)))
                .filter(|at| pixel(&p, *at) == (palette::TEXT.0, palette::TEXT.1, palette::TEXT.2))
                .count()
        };
        let mut silent = s.clone();
        silent.legend.empty = String::new();
        let without = render_region(&silent, Gazetteer::bundled()).unwrap();
        let (with, without) = (dark(&pic.png), dark(&without.png));
        assert!(
            with > without + 150,
            "the 'no incident' notice: {with} against {without} dark pixels"
        );
        // Nothing anywhere: the central Sahel.
        let nowhere = render_region(&scene(vec![], None), Gazetteer::bundled()).unwrap();
        let (w, _, e, _) = nowhere.layout.frame.bounds();
        assert!(w < SAHEL.0 && e > SAHEL.2);
    }

    #[test]
    fn crowded_dots_group_with_the_worst_on_top() {
        let mut dots: Vec<Dot> = (0..5)
            .map(|k| dot(14.0 + f64::from(k) * 0.001, -2.0, Severity::Low, Some(1)))
            .collect();
        dots.push(dot(14.002, -2.0, Severity::Critical, Some(30)));
        dots.push(dot(11.0, 2.0, Severity::Medium, None));
        let mut s = scene(dots, Some((-4.0, 10.0, 4.0, 16.0)));
        s.legend = legend(Lang::En, "Sahel", 7 * 24, day(), 7, 35);
        let pic = render_region(&s, Gazetteer::bundled()).unwrap();
        let d = &pic.layout.dots;
        assert_eq!(d.len(), 2, "{d:?}");
        let group = d.iter().find(|g| g.count == 6).expect("a group of six");
        assert_eq!(
            group.severity,
            Severity::Critical,
            "the group takes its worst"
        );
        assert_eq!(d.last().unwrap(), group, "the worst is drawn last");
        let p = Pixmap::decode_png(&pic.png).unwrap();
        // Around the number, the dot shows the critical colour.
        let ring = (group.at.0 + group.radius - 2.0, group.at.1);
        assert_eq!(pixel(&p, ring), severity_rgb(Severity::Critical));
    }
}
