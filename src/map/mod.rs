//! The map picture of an alert: a 640x400 PNG that sitrep draws itself, with no map service. It
//! shows the country borders around the incident ([`borders`], Natural Earth), the incident's
//! point as a marker in its severity's colour inside a circle for the precision of its place, two
//! or three reference towns of the gazetteer with their names, the countries' names and a
//! distance scale. One mid-tone palette with haloed labels reads on light and dark chat themes
//! alike, since the same picture goes to both. [`MapCache`] keeps the last pictures so that an
//! incident is drawn once per version however many channels get it. Labels are in the scene's
//! language: a French channel's map names Tombouctou and Tchad.
//!
//! The projection is equirectangular, centred on the incident and shrunk east-west by the cosine
//! of its latitude: true enough at these scales (a few hundred kilometres) and cheap.

pub mod borders;
pub mod region;
mod text;

use std::collections::VecDeque;
use std::sync::Arc;

use thiserror::Error;
use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Paint, Path, PathBuilder, Pixmap, Rect, Stroke, Transform,
};

use crate::deliver::format::severity_colour;
use crate::extract::Gazetteer;
use crate::extract::gazetteer::PlaceKind;
use crate::i18n::Lang;
use crate::incident::distance_km;
use crate::model::{Incident, Severity};
use crate::text::fold;

/// Picture size in pixels.
pub const WIDTH: u32 = 640;
pub const HEIGHT: u32 = 400;

/// Kilometres per degree of latitude (and of longitude at the equator).
const KM_PER_DEGREE: f64 = 111.195;

/// Why a picture could not be drawn (the alert then goes out as text).
#[derive(Debug, Error)]
pub enum MapError {
    #[error("map borders: {0}")]
    Borders(String),
    #[error("map font: {0}")]
    Font(String),
    #[error("map: cannot encode the PNG: {0}")]
    Png(String),
}

/// The palette: a mid-tone map (neither white nor black) with dark, white-haloed labels.
mod palette {
    pub type Rgba = (u8, u8, u8, u8);
    /// Sea and land outside the bundled borders.
    pub const WATER: Rgba = (0xA3, 0xB9, 0xC9, 0xFF);
    pub const LAND: Rgba = (0xDD, 0xD5, 0xBE, 0xFF);
    /// The incident's country.
    pub const LAND_FOCUS: Rgba = (0xEE, 0xE8, 0xD6, 0xFF);
    pub const BORDER: Rgba = (0x6E, 0x5E, 0x48, 0xFF);
    pub const TEXT: Rgba = (0x1E, 0x1E, 0x1E, 0xFF);
    pub const COUNTRY_TEXT: Rgba = (0x6A, 0x5A, 0x44, 0xFF);
    pub const HALO: Rgba = (0xFF, 0xFF, 0xFF, 0xD9);
    pub const FRAME: Rgba = (0x45, 0x45, 0x45, 0xFF);
    /// The region map's legend panel.
    pub const PANEL: Rgba = (0xF6, 0xF3, 0xEA, 0xFF);
}

pub use palette::{BORDER, LAND, LAND_FOCUS, TEXT, WATER};

/// What one picture shows: everything of an incident that the map depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    pub lat: f64,
    pub lon: f64,
    /// DESIGN §3.2 `geo_precision`: 1 town or site, 2 district, 3 region.
    pub precision: u8,
    pub severity: Severity,
    pub place: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// The language of the labels (French names of places and countries).
    pub lang: Lang,
}

impl Scene {
    /// The scene of an incident; `None` when it has no coordinates.
    pub fn of(i: &Incident) -> Option<Scene> {
        Some(Scene {
            lat: i.lat?,
            lon: i.lon?,
            precision: i.geo_precision,
            severity: i.severity,
            place: i.place.clone(),
            country: i.country.clone(),
            lang: Lang::En,
        })
    }

    /// The same scene labelled in `lang`.
    pub fn in_lang(mut self, lang: Lang) -> Scene {
        self.lang = lang;
        self
    }

    /// Changes whenever the picture would: the cache key beside the incident id.
    pub fn version(&self) -> u64 {
        xxhash_rust::xxh3::xxh3_64(
            format!(
                "{:.5}|{:.5}|{}|{}|{}|{}|{}",
                self.lat,
                self.lon,
                self.precision,
                self.severity.as_str(),
                self.place.as_deref().unwrap_or(""),
                self.country,
                self.lang
            )
            .as_bytes(),
        )
    }
}

/// The projection of one picture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    lat0: f64,
    lon0: f64,
    cos_lat: f64,
    km_per_px: f64,
    /// Size in pixels of the map area the point (lat0, lon0) is the centre of.
    width: f64,
    height: f64,
}

impl Frame {
    /// Centred on the scene's point. The zoom follows the precision (a town close up, a region
    /// from afar), widened until at least two reference towns are in view, so that a reader
    /// who does not know the place sees where it is.
    fn for_scene(scene: &Scene, towns: &[Reference]) -> Frame {
        const ZOOMS: [f64; 7] = [0.3, 0.5, 0.9, 1.5, 2.0, 3.0, 4.5];
        let first = match scene.precision {
            0 | 1 => 0,
            2 => 2,
            _ => 4,
        };
        let km_per_px = ZOOMS[first..]
            .iter()
            .copied()
            .find(|k| {
                let (half_w, half_h) = (
                    (f64::from(WIDTH) / 2.0 - 40.0) * k,
                    (f64::from(HEIGHT) / 2.0 - 30.0) * k,
                );
                towns
                    .iter()
                    .filter(|t| t.dx_km.abs() < half_w && t.dy_km.abs() < half_h)
                    .count()
                    >= 2
            })
            .unwrap_or(ZOOMS[ZOOMS.len() - 1]);
        Frame {
            lat0: scene.lat,
            lon0: scene.lon,
            cos_lat: scene.lat.to_radians().cos().max(0.05),
            km_per_px,
            width: f64::from(WIDTH),
            height: f64::from(HEIGHT),
        }
    }

    /// The frame of a map area of `size` pixels that shows the box (min lon, min lat, max lon,
    /// max lat) whole with `margin` pixels around it, at `min_km_per_px` or farther out (a single
    /// point is shown with its surroundings).
    pub fn fit(
        bbox: (f64, f64, f64, f64),
        size: (u32, u32),
        margin: f64,
        min_km_per_px: f64,
    ) -> Frame {
        let (w, s, e, n) = bbox;
        let lat0 = (s + n) / 2.0;
        let lon0 = (w + e) / 2.0;
        let cos_lat = lat0.to_radians().cos().max(0.05);
        let (width, height) = (f64::from(size.0), f64::from(size.1));
        let span_x = (e - w).abs() * KM_PER_DEGREE * cos_lat;
        let span_y = (n - s).abs() * KM_PER_DEGREE;
        let km_per_px = (span_x / (width - 2.0 * margin).max(1.0))
            .max(span_y / (height - 2.0 * margin).max(1.0))
            .max(min_km_per_px);
        Frame {
            lat0,
            lon0,
            cos_lat,
            km_per_px,
            width,
            height,
        }
    }

    /// Pixel position (x right, y down) of a point.
    pub fn project(&self, lat: f64, lon: f64) -> (f32, f32) {
        let x =
            self.width / 2.0 + (lon - self.lon0) * KM_PER_DEGREE * self.cos_lat / self.km_per_px;
        let y = self.height / 2.0 - (lat - self.lat0) * KM_PER_DEGREE / self.km_per_px;
        (x as f32, y as f32)
    }

    pub fn km_per_px(&self) -> f64 {
        self.km_per_px
    }

    /// Size in pixels of the map area.
    pub fn size(&self) -> (f32, f32) {
        (self.width as f32, self.height as f32)
    }

    /// (min lon, min lat, max lon, max lat) of what the picture shows.
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        let half_w = self.width / 2.0 * self.km_per_px / (KM_PER_DEGREE * self.cos_lat);
        let half_h = self.height / 2.0 * self.km_per_px / KM_PER_DEGREE;
        (
            self.lon0 - half_w,
            self.lat0 - half_h,
            self.lon0 + half_w,
            self.lat0 + half_h,
        )
    }
}

/// The scale bar: from `x0` to `x1` at height `y`, standing for `km`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScaleBar {
    pub x0: f32,
    pub x1: f32,
    pub y: f32,
    pub km: u32,
}

/// Where things were drawn.
#[derive(Debug, Clone)]
pub struct Layout {
    pub frame: Frame,
    pub marker: (f32, f32),
    /// Radius in pixels of the precision circle.
    pub circle: f32,
    /// Reference towns labelled, most populous first.
    pub towns: Vec<String>,
    /// Countries named.
    pub countries: Vec<String>,
    pub scale: ScaleBar,
}

/// A drawn picture.
#[derive(Debug, Clone)]
pub struct Picture {
    pub png: Vec<u8>,
    pub layout: Layout,
}

/// Rings of one country in pixels.
type Rings = Vec<Vec<(f32, f32)>>;

/// An axis-aligned box (left, top, right, bottom) that labels must not overlap.
#[derive(Debug, Clone, Copy)]
struct Boxed(f32, f32, f32, f32);

impl Boxed {
    fn overlaps(&self, o: &Boxed) -> bool {
        self.0 < o.2 && o.0 < self.2 && self.1 < o.3 && o.1 < self.3
    }
    fn inside_canvas(&self, margin: f32, canvas: (f32, f32)) -> bool {
        self.0 >= margin
            && self.1 >= margin
            && self.2 <= canvas.0 - margin
            && self.3 <= canvas.1 - margin
    }
}

/// A label to draw: outline, position of its baseline's left end, colours.
struct Label {
    shaped: text::Shaped,
    x: f32,
    baseline: f32,
    fill: palette::Rgba,
    halo: f32,
}

/// Draws the picture of a scene: the countries in view, then the labels placed most important
/// first (marker, its label, scale, credit, towns, countries), then everything drawn bottom to
/// top.
pub fn render(scene: &Scene, gaz: &Gazetteer) -> Result<Picture, MapError> {
    let references = references(scene.lat, scene.lon, scene.place.as_deref(), gaz);
    let frame = Frame::for_scene(scene, &references);
    let canvas = frame.size();
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT).expect("a 640x400 pixmap");
    let visible = draw_countries(&mut pixmap, &frame, &|code| code == scene.country)?;

    // Placement, most important first: marker, its label, scale, credit, towns, countries.
    let marker = frame.project(scene.lat, scene.lon);
    let mut taken = vec![Boxed(
        marker.0 - 14.0,
        marker.1 - 14.0,
        marker.0 + 14.0,
        marker.1 + 14.0,
    )];
    let mut labels: Vec<Label> = Vec::new();
    if let Some(place) = &scene.place {
        labels.extend(marker_label(
            &scene.lang.place(place),
            marker,
            &mut taken,
            canvas,
        )?);
    }
    let (scale, scale_text) = place_scale(&frame, &mut taken)?;
    let credit = place_credit(canvas, &mut taken)?;

    let radius_km = precision_radius_km(scene, gaz);
    let circle = (radius_km / frame.km_per_px) as f32;

    let towns = reference_towns(&references, &frame, &[marker], 3, &mut taken, scene.lang)?;
    let (town_names, dots) = town_labels(towns, &mut labels);
    let country_names = country_labels(&visible, gaz, scene.lang, &mut taken, canvas, &mut labels)?;

    // Drawing, bottom to top.
    let sev = severity_rgb(scene.severity);
    draw_precision_circle(&mut pixmap, marker, circle, sev);
    draw_towns_and_labels(&mut pixmap, &dots, &mut labels);
    disc(&mut pixmap, marker, 11.5, (0x20, 0x20, 0x20, 0xFF));
    disc(&mut pixmap, marker, 10.5, (0xFF, 0xFF, 0xFF, 0xFF));
    disc(&mut pixmap, marker, 8.0, (sev.0, sev.1, sev.2, 0xFF));

    draw_scale(&mut pixmap, &scale, scale_text);
    draw_label(&mut pixmap, &credit);
    draw_outline(&mut pixmap);
    let png = encode_png(&pixmap)?;
    Ok(Picture {
        png,
        layout: Layout {
            frame,
            marker,
            circle,
            towns: town_names,
            countries: country_names,
            scale,
        },
    })
}

/// The label of the incident's place beside its marker, where it fits.
fn marker_label(
    place: &str,
    marker: (f32, f32),
    taken: &mut Vec<Boxed>,
    canvas: (f32, f32),
) -> Result<Option<Label>, MapError> {
    let shaped = text::shape(place, 16.0, 0.0)?;
    let mid = marker.1 + shaped.ascent / 2.0;
    let spots = [
        (marker.0 + 17.0, mid),
        (marker.0 - 17.0 - shaped.width, mid),
        (marker.0 - shaped.width / 2.0, marker.1 - 18.0),
        (
            marker.0 - shaped.width / 2.0,
            marker.1 + 18.0 + shaped.ascent,
        ),
    ];
    Ok(place_label(&shaped, &spots, taken, canvas).map(|b| Label {
        shaped,
        x: b.0,
        baseline: b.1,
        fill: palette::TEXT,
        halo: 3.0,
    }))
}

/// A severity's colour as (r, g, b).
fn severity_rgb(s: Severity) -> (u8, u8, u8) {
    let c = severity_colour(s);
    ((c >> 16) as u8, (c >> 8) as u8, c as u8)
}

/// Fills the pixmap with water, the countries in view with land (those `focus` names lighter),
/// and strokes their borders. Returns the countries in view with their rings in pixels, for
/// naming them.
fn draw_countries(
    pixmap: &mut Pixmap,
    frame: &Frame,
    focus: &dyn Fn(&str) -> bool,
) -> Result<Vec<(&'static borders::Country, Rings)>, MapError> {
    let countries = borders::bundled()?;
    pixmap.fill(colour(palette::WATER));
    let (w, s, e, n) = frame.bounds();
    let visible: Vec<(&borders::Country, Rings)> = countries
        .iter()
        .filter(|c| c.bbox.0 <= e && c.bbox.2 >= w && c.bbox.1 <= n && c.bbox.3 >= s)
        .map(|c| {
            let rings = c
                .rings
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|&(lon, lat)| frame.project(lat, lon))
                        .collect()
                })
                .collect();
            (c, rings)
        })
        .collect();
    let paths: Vec<Option<Path>> = visible.iter().map(|(_, rings)| rings_path(rings)).collect();
    for ((c, _), path) in visible.iter().zip(&paths) {
        if let Some(p) = path {
            let land = if focus(c.code) {
                palette::LAND_FOCUS
            } else {
                palette::LAND
            };
            pixmap.fill_path(
                p,
                &paint(land),
                FillRule::EvenOdd,
                Transform::identity(),
                None,
            );
        }
    }
    let border = Stroke {
        width: 1.6,
        line_join: LineJoin::Round,
        ..Stroke::default()
    };
    // Every border in one stroke: one pass of the rasteriser instead of one per country.
    let mut all = PathBuilder::new();
    for p in paths.iter().flatten() {
        all.push_path(p);
    }
    if let Some(p) = all.finish() {
        pixmap.stroke_path(
            &p,
            &paint(palette::BORDER),
            &border,
            Transform::identity(),
            None,
        );
    }
    Ok(visible)
}

/// The scale bar of a frame in the bottom-left corner, its room taken.
fn place_scale(
    frame: &Frame,
    taken: &mut Vec<Boxed>,
) -> Result<(ScaleBar, text::Shaped), MapError> {
    let scale = scale_bar(frame.km_per_px, frame.size().1);
    let scale_text = text::shape(&format!("{} km", scale.km), 12.0, 0.0)?;
    taken.push(Boxed(
        scale.x0 - 4.0,
        scale.y - 10.0 - scale_text.ascent,
        scale.x1.max(scale.x0 + scale_text.width) + 4.0,
        scale.y + 6.0,
    ));
    Ok((scale, scale_text))
}

/// The data credit in the bottom-right corner of an area of `canvas` size, its room taken.
fn place_credit(canvas: (f32, f32), taken: &mut Vec<Boxed>) -> Result<Label, MapError> {
    let credit = text::shape("Natural Earth · GeoNames", 10.0, 0.0)?;
    let at = (canvas.0 - 8.0 - credit.width, canvas.1 - 8.0);
    taken.push(Boxed(
        at.0 - 3.0,
        at.1 - credit.ascent - 3.0,
        canvas.0,
        canvas.1,
    ));
    Ok(Label {
        shaped: credit,
        x: at.0,
        baseline: at.1,
        fill: (0x33, 0x33, 0x33, 0xFF),
        halo: 2.0,
    })
}

/// The placed towns' labels joined to `labels`; returns their names and dots.
fn town_labels(towns: Vec<PlacedTown>, labels: &mut Vec<Label>) -> (Vec<String>, Vec<(f32, f32)>) {
    let mut names = Vec::new();
    let mut dots = Vec::new();
    for (name, at, shaped, x, baseline) in towns {
        names.push(name);
        dots.push(at);
        labels.push(Label {
            shaped,
            x,
            baseline,
            fill: palette::TEXT,
            halo: 2.5,
        });
    }
    (names, dots)
}

/// Names the countries in view, in `lang`, where enough of each shows and room is left; returns
/// the names placed.
fn country_labels(
    visible: &[(&borders::Country, Rings)],
    gaz: &Gazetteer,
    lang: Lang,
    taken: &mut Vec<Boxed>,
    canvas: (f32, f32),
    labels: &mut Vec<Label>,
) -> Result<Vec<String>, MapError> {
    let mut names = Vec::new();
    for (c, rings) in visible {
        let english = gaz
            .country(c.code)
            .map_or_else(|| c.name.clone(), |p| p.name.clone());
        let name = lang.country(c.code, &english).into_owned();
        let shaped = text::shape(&name.to_uppercase(), 12.0, 1.5)?;
        if let Some(b) = country_spot(rings, &shaped, taken, canvas) {
            names.push(name);
            labels.push(Label {
                shaped,
                x: b.0,
                baseline: b.1,
                fill: palette::COUNTRY_TEXT,
                halo: 2.0,
            });
        }
    }
    Ok(names)
}

/// The circle of the location's precision, in the severity's colour.
fn draw_precision_circle(pixmap: &mut Pixmap, marker: (f32, f32), circle: f32, sev: (u8, u8, u8)) {
    if let Some(c) = PathBuilder::from_circle(marker.0, marker.1, circle.max(1.0)) {
        pixmap.fill_path(
            &c,
            &paint((sev.0, sev.1, sev.2, 0x40)),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
        let ring = Stroke {
            width: 2.0,
            ..Stroke::default()
        };
        pixmap.stroke_path(
            &c,
            &paint((sev.0, sev.1, sev.2, 0xE0)),
            &ring,
            Transform::identity(),
            None,
        );
    }
}

/// Town dots, then the labels (country names under town names).
fn draw_towns_and_labels(pixmap: &mut Pixmap, dots: &[(f32, f32)], labels: &mut [Label]) {
    for at in dots {
        disc(pixmap, *at, 4.5, palette::HALO);
        disc(pixmap, *at, 3.0, palette::TEXT);
    }
    labels.sort_by_key(|l| l.fill != palette::COUNTRY_TEXT);
    for l in labels.iter() {
        draw_label(pixmap, l);
    }
}

/// The thin frame around the whole picture.
fn draw_outline(pixmap: &mut Pixmap) {
    let (w, h) = (pixmap.width() as f32, pixmap.height() as f32);
    if let Some(r) = Rect::from_xywh(0.5, 0.5, w - 1.0, h - 1.0) {
        pixmap.stroke_path(
            &PathBuilder::from_rect(r),
            &paint(palette::FRAME),
            &Stroke::default(),
            Transform::identity(),
            None,
        );
    }
}

fn colour(c: palette::Rgba) -> Color {
    Color::from_rgba8(c.0, c.1, c.2, c.3)
}

fn paint(c: palette::Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(c.0, c.1, c.2, c.3);
    p.anti_alias = true;
    p
}

fn disc(pixmap: &mut Pixmap, at: (f32, f32), r: f32, c: palette::Rgba) {
    if let Some(p) = PathBuilder::from_circle(at.0, at.1, r) {
        pixmap.fill_path(
            &p,
            &paint(c),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

/// One path of closed rings.
fn rings_path(rings: &[Vec<(f32, f32)>]) -> Option<Path> {
    let mut pb = PathBuilder::new();
    for ring in rings {
        let mut points = ring.iter();
        let Some(&(x, y)) = points.next() else {
            continue;
        };
        pb.move_to(x, y);
        for &(x, y) in points {
            pb.line_to(x, y);
        }
        pb.close();
    }
    pb.finish()
}

/// The picture as an RGB PNG. Every map is opaque (it starts filled with water), so the alpha
/// channel carries nothing and the premultiplied pixels are the colours. Maps are flat colours,
/// which deflate well unfiltered: zlib level 1 without row filters encodes the 500-incident
/// region map in about 4 ms to 156 KB, where the default (level 6, adaptive filters) took about
/// 25 ms for 165 KB (`cargo bench --bench map`).
fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>, MapError> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| {
            debug_assert_eq!(p[3], 0xFF, "maps are opaque");
            [p[0], p[1], p[2]]
        })
        .collect();
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_deflate_compression(png::DeflateCompression::Level(1));
    encoder.set_filter(png::Filter::NoFilter);
    let err = |e: png::EncodingError| MapError::Png(e.to_string());
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(&rgb).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

fn draw_label(pixmap: &mut Pixmap, l: &Label) {
    let Some(path) = &l.shaped.path else {
        return;
    };
    let at = Transform::from_translate(l.x, l.baseline);
    // No halo: a stroke of width 0 would still draw a hairline around every glyph.
    if l.halo > 0.0 {
        let halo = Stroke {
            width: l.halo * 2.0,
            line_join: LineJoin::Round,
            ..Stroke::default()
        };
        pixmap.stroke_path(path, &paint(palette::HALO), &halo, at, None);
    }
    pixmap.fill_path(path, &paint(l.fill), FillRule::Winding, at, None);
}

/// The first spot (baseline's left end) where a label fits in the picture without overlapping
/// what is already placed; it is then taken.
fn place_label(
    shaped: &text::Shaped,
    spots: &[(f32, f32)],
    taken: &mut Vec<Boxed>,
    canvas: (f32, f32),
) -> Option<(f32, f32)> {
    for &(x, baseline) in spots {
        let b = Boxed(
            x - 3.0,
            baseline - shaped.ascent - 3.0,
            x + shaped.width + 3.0,
            baseline + shaped.descent + 2.0,
        );
        if b.inside_canvas(2.0, canvas) && !taken.iter().any(|t| t.overlaps(&b)) {
            taken.push(b);
            return Some((x, baseline));
        }
    }
    None
}

/// Radius of the circle for the precision of the incident's place: the kind of the place in the
/// gazetteer (of the incident's precision: "Mopti" the region, not the town) when it is found
/// there near the point, else the incident's geo precision.
fn precision_radius_km(scene: &Scene, gaz: &Gazetteer) -> f64 {
    let kind = scene.place.as_deref().and_then(|name| {
        gaz.lookup(name)
            .iter()
            .map(|id| gaz.place(*id))
            .filter(|p| p.country == scene.country && p.kind.precision() == scene.precision)
            .map(|p| (distance_km(p.lat, p.lon, scene.lat, scene.lon), p.kind))
            .filter(|(d, _)| *d < 50.0)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k)
    });
    match kind {
        Some(PlaceKind::Town | PlaceKind::Site) => 5.0,
        Some(PlaceKind::Zone | PlaceKind::Admin2) => 30.0,
        Some(PlaceKind::Admin1 | PlaceKind::Country) => 110.0,
        None => match scene.precision {
            0 | 1 => 5.0,
            2 => 30.0,
            _ => 110.0,
        },
    }
}

/// A round distance about 100 px long, in the bottom-left corner of a map `height` pixels high.
fn scale_bar(km_per_px: f64, height: f32) -> ScaleBar {
    const STEPS: [u32; 13] = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000];
    let km = STEPS
        .iter()
        .copied()
        .rfind(|k| f64::from(*k) / km_per_px <= 130.0)
        .unwrap_or(1);
    let x0 = 16.0;
    ScaleBar {
        x0,
        x1: x0 + (f64::from(km) / km_per_px) as f32,
        y: height - 16.0,
        km,
    }
}

fn draw_scale(pixmap: &mut Pixmap, s: &ScaleBar, label: text::Shaped) {
    let mut pb = PathBuilder::new();
    pb.move_to(s.x0, s.y - 5.0);
    pb.line_to(s.x0, s.y);
    pb.line_to(s.x1, s.y);
    pb.line_to(s.x1, s.y - 5.0);
    if let Some(p) = pb.finish() {
        let halo = Stroke {
            width: 5.5,
            line_cap: LineCap::Round,
            line_join: LineJoin::Round,
            ..Stroke::default()
        };
        let line = Stroke {
            width: 2.5,
            line_cap: LineCap::Square,
            ..Stroke::default()
        };
        let id = Transform::identity();
        pixmap.stroke_path(&p, &paint(palette::HALO), &halo, id, None);
        pixmap.stroke_path(&p, &paint(palette::TEXT), &line, id, None);
    }
    draw_label(
        pixmap,
        &Label {
            shaped: label,
            x: s.x0,
            baseline: s.y - 9.0,
            fill: palette::TEXT,
            halo: 2.5,
        },
    );
}

/// A town that can serve as a reference: a sizeable or capital town near the incident, not the
/// incident's place itself, with its offset in kilometres (east, north).
struct Reference<'g> {
    name: &'g str,
    lat: f64,
    lon: f64,
    dx_km: f64,
    dy_km: f64,
}

/// Reference towns within reach of the widest zoom around (lat, lon), capitals first, then the
/// most populous ([`Gazetteer::main_towns`]'s order); never the place named `own`.
fn references<'g>(lat: f64, lon: f64, own: Option<&str>, gaz: &'g Gazetteer) -> Vec<Reference<'g>> {
    let own = own.map(fold);
    let cos_lat = lat.to_radians().cos();
    gaz.main_towns()
        .iter()
        .map(|id| gaz.place(*id))
        .filter(|p| (p.lat - lat).abs() < 8.0 && (p.lon - lon).abs() < 12.0)
        .filter(|p| own.as_deref().is_none_or(|o| o != fold(&p.name)))
        .map(|p| Reference {
            name: &p.name,
            lat: p.lat,
            lon: p.lon,
            dx_km: (p.lon - lon) * KM_PER_DEGREE * cos_lat,
            dy_km: (p.lat - lat) * KM_PER_DEGREE,
        })
        .collect()
}

/// A labelled reference town: (name, dot, label, label x, baseline).
type PlacedTown = (String, (f32, f32), text::Shaped, f32, f32);

/// Up to `max` reference towns in the picture whose dots and labels fit without overlapping
/// what is already placed, in the order of [`references`], none within 24 px of a marker.
fn reference_towns(
    references: &[Reference],
    frame: &Frame,
    markers: &[(f32, f32)],
    max: usize,
    taken: &mut Vec<Boxed>,
    lang: Lang,
) -> Result<Vec<PlacedTown>, MapError> {
    /// Labels tried at most: on a crowded map most do not fit, and shaping each costs.
    const TRIES: usize = 40;
    let canvas = frame.size();
    let mut placed: Vec<PlacedTown> = Vec::new();
    let mut tried = 0;
    for r in references {
        if placed.len() == max || tried == TRIES {
            break;
        }
        let at = frame.project(r.lat, r.lon);
        let inside = at.0 > 8.0 && at.0 < canvas.0 - 8.0 && at.1 > 8.0 && at.1 < canvas.1 - 8.0;
        if !inside
            || markers
                .iter()
                .any(|m| (at.0 - m.0).hypot(at.1 - m.1) < 24.0)
        {
            continue;
        }
        if placed
            .iter()
            .any(|t| t.0 == lang.place(r.name) || (t.1.0 - at.0).hypot(t.1.1 - at.1) < 30.0)
        {
            continue;
        }
        let dot = Boxed(at.0 - 5.0, at.1 - 5.0, at.0 + 5.0, at.1 + 5.0);
        if taken.iter().any(|t| t.overlaps(&dot)) {
            continue;
        }
        tried += 1;
        let name = lang.place(r.name);
        let shaped = text::shape(&name, 13.0, 0.0)?;
        let mid = at.1 + shaped.ascent / 2.0;
        let spots = [
            (at.0 + 8.0, mid),
            (at.0 - 8.0 - shaped.width, mid),
            (at.0 - shaped.width / 2.0, at.1 - 8.0),
            (at.0 - shaped.width / 2.0, at.1 + 8.0 + shaped.ascent),
        ];
        taken.push(dot);
        match place_label(&shaped, &spots, taken, canvas) {
            Some((x, baseline)) => placed.push((name.into_owned(), at, shaped, x, baseline)),
            None => {
                taken.pop();
            }
        }
    }
    Ok(placed)
}

/// Where to name a country: when enough of the picture is that country, the free spot nearest
/// the middle of its visible part (sampled on a grid, so that a concave country is named inside
/// itself).
fn country_spot(
    rings: &[Vec<(f32, f32)>],
    shaped: &text::Shaped,
    taken: &mut Vec<Boxed>,
    canvas: (f32, f32),
) -> Option<(f32, f32)> {
    const COLS: u32 = 24;
    const ROWS: u32 = 15;
    let mut inside = Vec::new();
    for r in 0..ROWS {
        for c in 0..COLS {
            let x = (c as f32 + 0.5) * canvas.0 / COLS as f32;
            let y = (r as f32 + 0.5) * canvas.1 / ROWS as f32;
            if borders::contains(rings, x, y) {
                inside.push((x, y));
            }
        }
    }
    if inside.len() < (COLS * ROWS / 25) as usize {
        return None;
    }
    let n = inside.len() as f32;
    let mid = (
        inside.iter().map(|p| p.0).sum::<f32>() / n,
        inside.iter().map(|p| p.1).sum::<f32>() / n,
    );
    inside.sort_by(|a, b| {
        let da = (a.0 - mid.0).hypot(a.1 - mid.1);
        let db = (b.0 - mid.0).hypot(b.1 - mid.1);
        da.total_cmp(&db)
    });
    let spots: Vec<(f32, f32)> = inside
        .iter()
        .map(|p| (p.0 - shaped.width / 2.0, p.1 + shaped.ascent / 2.0))
        .collect();
    place_label(shaped, &spots, taken, canvas)
}

/// The last pictures drawn, by incident id and [`Scene::version`]: an incident is drawn once per
/// version however many channels get it. Small and in memory: a restart draws again.
pub struct MapCache {
    entries: VecDeque<(String, u64, Arc<[u8]>)>,
    capacity: usize,
}

impl MapCache {
    pub fn new(capacity: usize) -> MapCache {
        MapCache {
            entries: VecDeque::with_capacity(capacity),
            capacity: capacity.max(1),
        }
    }

    /// The picture of this incident version, if drawn lately (it becomes the most recent).
    pub fn get(&mut self, incident_id: &str, version: u64) -> Option<Arc<[u8]>> {
        let at = self
            .entries
            .iter()
            .position(|(id, v, _)| id == incident_id && *v == version)?;
        let entry = self.entries.remove(at)?;
        let png = entry.2.clone();
        self.entries.push_front(entry);
        Some(png)
    }

    /// Keeps a picture, replacing older versions of the same incident and forgetting the least
    /// recently used one when full.
    pub fn put(&mut self, incident_id: &str, version: u64, png: Arc<[u8]>) {
        self.entries.retain(|(id, _, _)| id != incident_id);
        if self.entries.len() >= self.capacity {
            self.entries.pop_back();
        }
        self.entries
            .push_front((incident_id.to_string(), version, png));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scene(lat: f64, lon: f64, precision: u8, place: Option<&str>, country: &str) -> Scene {
        Scene {
            lat,
            lon,
            precision,
            severity: Severity::Critical,
            place: place.map(str::to_string),
            country: country.into(),
            lang: Lang::En,
        }
    }

    #[test]
    fn a_french_scene_names_countries_in_french() {
        let gaz = Gazetteer::bundled();
        let en = scene(12.11, 15.04, 1, Some("N'Djamena"), "TD");
        let fr = en.clone().in_lang(Lang::Fr);
        assert_ne!(en.version(), fr.version(), "one picture per language");
        let pic = render(&fr, gaz).unwrap();
        assert!(
            pic.layout.countries.iter().any(|c| c == "Tchad"),
            "{:?}",
            pic.layout.countries
        );
        let pic = render(&en, gaz).unwrap();
        assert!(
            pic.layout.countries.iter().any(|c| c == "Chad"),
            "{:?}",
            pic.layout.countries
        );
    }

    fn pixel(p: &Pixmap, at: (f32, f32)) -> (u8, u8, u8) {
        let c = p.pixel(at.0 as u32, at.1 as u32).unwrap().demultiply();
        (c.red(), c.green(), c.blue())
    }

    #[test]
    fn the_marker_is_at_the_projected_point_in_the_severity_colour() {
        let s = scene(15.03, -1.55, 1, Some("Boulkessi"), "ML");
        let pic = render(&s, Gazetteer::bundled()).unwrap();
        let p = Pixmap::decode_png(&pic.png).unwrap();
        assert_eq!((p.width(), p.height()), (WIDTH, HEIGHT));
        assert_eq!(pic.layout.marker, (320.0, 200.0));
        assert_eq!(pixel(&p, pic.layout.marker), (0xD3, 0x2F, 0x2F));
    }

    #[test]
    fn zoom_and_circle_follow_the_precision() {
        let gaz = Gazetteer::bundled();
        let town = render(&scene(15.03, -1.55, 1, Some("Boulkessi"), "ML"), gaz).unwrap();
        let region = render(&scene(14.5, -4.2, 3, Some("Mopti"), "ML"), gaz).unwrap();
        let district = render(&scene(14.5, -4.2, 2, None, "ML"), gaz).unwrap();
        assert!(town.layout.frame.km_per_px() < region.layout.frame.km_per_px());
        assert!(region.layout.scale.km > town.layout.scale.km);
        assert!(
            district.layout.circle > 11.5,
            "the circle shows around the marker"
        );
        assert!(region.layout.circle > district.layout.circle);
    }

    #[test]
    fn reference_towns_are_named_but_not_the_incident_place() {
        let pic = render(
            &scene(15.03, -1.55, 1, Some("Boulkessi"), "ML"),
            Gazetteer::bundled(),
        )
        .unwrap();
        assert!(
            (1..=3).contains(&pic.layout.towns.len()),
            "{:?}",
            pic.layout.towns
        );
        assert!(!pic.layout.towns.iter().any(|t| t == "Boulkessi"));
        assert!(
            pic.layout.countries.iter().any(|c| c == "Mali"),
            "{:?}",
            pic.layout.countries
        );
    }

    #[test]
    fn versions_change_with_what_the_picture_shows() {
        let a = scene(15.03, -1.55, 1, Some("Boulkessi"), "ML");
        let mut b = a.clone();
        assert_eq!(a.version(), b.version());
        b.severity = Severity::High;
        assert_ne!(a.version(), b.version());
    }

    #[test]
    fn the_cache_keeps_one_version_per_incident_and_forgets_the_oldest() {
        let mut c = MapCache::new(2);
        let png: Arc<[u8]> = Arc::from(vec![1u8, 2, 3]);
        c.put("a", 1, png.clone());
        assert!(c.get("a", 1).is_some());
        assert!(c.get("a", 2).is_none());
        c.put("a", 2, png.clone());
        assert!(c.get("a", 1).is_none(), "an older version is replaced");
        c.put("b", 1, png.clone());
        c.put("c", 1, png);
        assert!(c.get("a", 2).is_none(), "the least recently used goes");
        assert!(c.get("b", 1).is_some() && c.get("c", 1).is_some());
    }
}
