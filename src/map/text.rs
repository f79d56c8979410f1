//! Labels for the map picture: the embedded Go Bold font (`data/map/Go-Bold.ttf`, BSD licence;
//! no system font is ever looked for) turned into vector outlines, so that tiny-skia draws each
//! label anti-aliased, with a halo stroked under it for contrast on any background.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, OutlineCurve};
use tiny_skia::{Path, PathBuilder};

use super::MapError;
use crate::text::fold;

const FONT: &[u8] = include_bytes!("../../data/map/Go-Bold.ttf");

/// The embedded font, parsed once per process.
fn font() -> Result<&'static FontRef<'static>, MapError> {
    static F: OnceLock<Result<FontRef<'static>, String>> = OnceLock::new();
    F.get_or_init(|| FontRef::try_from_slice(FONT).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| MapError::Font(e.clone()))
}

/// A label laid out at a size: its outline (origin at the left end of the baseline) and extent.
pub struct Shaped {
    pub path: Option<Path>,
    pub width: f32,
    /// Height above the baseline of capital letters, and depth below it of descenders.
    pub ascent: f32,
    pub descent: f32,
}

/// The glyph of a character, or of its unaccented form when the font lacks it ("Ṭ" -> "T");
/// `None` when neither is in the font.
fn glyph(font: &FontRef<'static>, c: char) -> Option<GlyphId> {
    let id = font.glyph_id(c);
    if id.0 != 0 || c == ' ' {
        return Some(id);
    }
    let base = fold(&c.to_string());
    let base = if c.is_uppercase() {
        base.to_uppercase()
    } else {
        base
    };
    let mut chars = base.chars();
    match (chars.next(), chars.next()) {
        (Some(b), None) if b != c => Some(font.glyph_id(b)).filter(|id| id.0 != 0),
        _ => None,
    }
}

/// Lays out `text` at `size` pixels (the em size), `spacing` pixels between letters.
pub fn shape(text: &str, size: f32, spacing: f32) -> Result<Shaped, MapError> {
    let font = font()?;
    let em = font.units_per_em().unwrap_or(1000.0);
    let scale = size / em;
    let mut pb = PathBuilder::new();
    let mut x = 0.0f32;
    let mut previous: Option<GlyphId> = None;
    for c in text.chars() {
        let Some(id) = glyph(font, c) else {
            continue;
        };
        if let Some(p) = previous {
            x += font.kern_unscaled(p, id) * scale;
        }
        if let Some(outline) = font.outline(id) {
            let to = |p: ab_glyph::Point| (x + p.x * scale, -p.y * scale);
            let mut last: Option<(f32, f32)> = None;
            for curve in &outline.curves {
                let (start, end) = match curve {
                    OutlineCurve::Line(a, b) => (to(*a), to(*b)),
                    OutlineCurve::Quad(a, _, c) => (to(*a), to(*c)),
                    OutlineCurve::Cubic(a, _, _, d) => (to(*a), to(*d)),
                };
                if last != Some(start) {
                    if last.is_some() {
                        pb.close();
                    }
                    pb.move_to(start.0, start.1);
                }
                match curve {
                    OutlineCurve::Line(_, _) => pb.line_to(end.0, end.1),
                    OutlineCurve::Quad(_, b, _) => {
                        let b = to(*b);
                        pb.quad_to(b.0, b.1, end.0, end.1)
                    }
                    OutlineCurve::Cubic(_, b, c, _) => {
                        let (b, c) = (to(*b), to(*c));
                        pb.cubic_to(b.0, b.1, c.0, c.1, end.0, end.1)
                    }
                }
                last = Some(end);
            }
            if last.is_some() {
                pb.close();
            }
        }
        x += font.h_advance_unscaled(id) * scale + spacing;
        previous = Some(id);
    }
    Ok(Shaped {
        path: pb.finish(),
        width: (x - spacing).max(0.0),
        ascent: cap_height(font) * scale,
        descent: -font.descent_unscaled() * scale,
    })
}

/// Cap height in font units, from the outline of "H" (the font's ascent makes room for accents
/// and is too tall for placing labels).
fn cap_height(font: &FontRef<'static>) -> f32 {
    font.outline(font.glyph_id('H'))
        .map_or(font.ascent_unscaled() * 0.7, |o| {
            o.bounds.min.y.max(o.bounds.max.y)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_have_outlines_and_width() {
        let s = shape("Mopti", 14.0, 0.0).unwrap();
        assert!(s.path.is_some());
        assert!(s.width > 30.0 && s.width < 60.0, "{}", s.width);
        assert!(s.ascent > 8.0 && s.ascent < 14.0, "{}", s.ascent);
        let wider = shape("Mopti", 14.0, 2.0).unwrap();
        assert!((wider.width - s.width - 8.0).abs() < 0.01);
    }

    #[test]
    fn letters_missing_from_the_font_fall_back_to_their_base_letter() {
        let font = font().unwrap();
        assert_eq!(glyph(font, 'é'), Some(font.glyph_id('é')));
        // U+1E6C LATIN CAPITAL LETTER T WITH DOT BELOW is not in Go Bold.
        assert_eq!(font.glyph_id('\u{1E6C}').0, 0);
        assert_eq!(glyph(font, '\u{1E6C}'), Some(font.glyph_id('T')));
        assert_eq!(glyph(font, 'د'), None);
    }
}
