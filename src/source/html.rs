//! HTML snippets from feeds to plain text, and repair of double-encoded UTF-8 ("mojibake").

/// Turns an HTML fragment into plain text: drops tags, script and style bodies and comments,
/// turns block ends into line breaks, decodes entities, and folds white space.
pub fn html_to_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return fold_whitespace(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map(|e| &rest[e + 3..]).unwrap_or("");
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A lone '<' is text ("a < b").
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        let tag = rest[1..gt].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.is_empty() {
            out.push('<');
            rest = &rest[1..];
            continue;
        }
        rest = &rest[gt + 1..];
        if !tag.starts_with('/') && matches!(name.as_str(), "script" | "style") {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = match lower.find(&close) {
                Some(i) => {
                    let after = &rest[i..];
                    after.find('>').map(|e| &after[e + 1..]).unwrap_or("")
                }
                None => "",
            };
            continue;
        }
        if matches!(
            name.as_str(),
            "p" | "br"
                | "div"
                | "li"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "tr"
                | "blockquote"
                | "section"
                | "article"
        ) {
            out.push('\n');
        } else {
            out.push(' ');
        }
    }
    out.push_str(rest);
    let decoded = html_escape::decode_html_entities(&out);
    fold_whitespace(&decoded)
}

/// Collapses runs of spaces and tabs, keeps single paragraph breaks, trims.
pub fn fold_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for para in s.split('\n') {
        let line = para.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&line);
    }
    out
}

/// Repairs text that was UTF-8, decoded as windows-1252/Latin-1 and encoded to UTF-8 again
/// ("Ã©tÃ©" for "été", "â€™" for "’"). Only changes text where the repair is unambiguous: every
/// character maps back to one byte and the bytes form valid UTF-8 that is free of the marker pairs.
pub fn repair_mojibake(s: &str) -> String {
    if !looks_mojibake(s) {
        return s.to_string();
    }
    // Repair word by word so that one foreign character does not block the rest.
    let mut out = String::with_capacity(s.len());
    for piece in split_keep_whitespace(s) {
        if looks_mojibake(piece)
            && let Some(fixed) = undo_double_encoding(piece)
        {
            out.push_str(&fixed);
            continue;
        }
        out.push_str(piece);
    }
    out
}

fn looks_mojibake(s: &str) -> bool {
    let mut prev = '\0';
    for c in s.chars() {
        if matches!(prev, 'Ã' | 'Â' | 'â' | 'Å' | 'Ð' | 'Ñ')
            && (('\u{80}'..='\u{BF}').contains(&c) || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c))
        {
            return true;
        }
        prev = c;
    }
    false
}

fn split_keep_whitespace(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in s.char_indices() {
        let space = c.is_ascii_whitespace();
        if in_space.is_some_and(|was| was != space) {
            parts.push(&s[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < s.len() {
        parts.push(&s[start..]);
    }
    parts
}

fn undo_double_encoding(s: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(s.len());
    for c in s.chars() {
        let b = match c as u32 {
            0..=0x7F | 0xA0..=0xFF => c as u32 as u8,
            _ => {
                // windows-1252 maps these characters to bytes 0x80..0x9F.
                let mut buf = [0u8; 4];
                let (enc, _, unmappable) =
                    encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
                if unmappable || enc.len() != 1 {
                    return None;
                }
                enc[0]
            }
        };
        bytes.push(b);
    }
    let fixed = String::from_utf8(bytes).ok()?;
    (!looks_mojibake(&fixed)).then_some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_decodes_entities() {
        assert_eq!(
            html_to_text("<p>Attaque &agrave; <b>Djibo</b>&nbsp;: 12&#160;morts</p><p>Suite</p>"),
            "Attaque à Djibo : 12 morts\nSuite"
        );
        assert_eq!(html_to_text("a < b and c"), "a < b and c");
        assert_eq!(
            html_to_text("x<script>alert('<p>')</script>y<!-- c -->z"),
            "xyz"
        );
    }

    #[test]
    fn repairs_double_encoded_utf8_only_where_unambiguous() {
        assert_eq!(repair_mojibake("Ã©tÃ© Ã\u{a0}Gao"), "été àGao");
        assert_eq!(repair_mojibake("Ã©tÃ© Ã\u{a0} Gao"), "été à Gao");
        assert_eq!(repair_mojibake("Itâ€™s here"), "It’s here");
        assert_eq!(repair_mojibake("déjà vu"), "déjà vu");
        assert_eq!(repair_mojibake("São Paulo"), "São Paulo");
    }
}
