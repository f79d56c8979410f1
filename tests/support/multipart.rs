//! Reading the requests that carry uploads (`multipart/form-data`): Telegram's sendPhoto and
//! Discord's messages with files. Fields become one JSON object whatever the encoding, so a fake
//! reads `chat_id` the same from a JSON body and from a form.

#![allow(dead_code)]

use super::server::Request;

/// One part of a form.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// The parts of a multipart request; empty for any other request.
pub fn parts(req: &Request) -> Vec<Part> {
    let Some(boundary) = req
        .header("content-type")
        .filter(|t| t.starts_with("multipart/form-data"))
        .and_then(|t| t.split("boundary=").nth(1))
        .map(|b| format!("--{}", b.trim_matches('"')))
    else {
        return Vec::new();
    };
    let raw = &req.raw;
    let mut out = Vec::new();
    let mut at = match find(raw, boundary.as_bytes(), 0) {
        Some(i) => i + boundary.len(),
        None => return out,
    };
    loop {
        // After a boundary: "--" ends the form, CRLF starts a part.
        if raw[at..].starts_with(b"--") {
            break;
        }
        let Some(head_end) = find(raw, b"\r\n\r\n", at) else {
            break;
        };
        let head = String::from_utf8_lossy(&raw[at..head_end]).to_string();
        let start = head_end + 4;
        let Some(next) = find(raw, boundary.as_bytes(), start) else {
            break;
        };
        let data = raw[start..next.saturating_sub(2)].to_vec();
        let mut name = String::new();
        let mut filename = None;
        let mut content_type = None;
        for line in head.lines() {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition:") {
                name = param(line, "name").unwrap_or_default();
                filename = param(line, "filename");
            } else if lower.starts_with("content-type:") {
                content_type = line.split_once(':').map(|(_, v)| v.trim().to_string());
            }
        }
        out.push(Part {
            name,
            filename,
            content_type,
            data,
        });
        at = next + boundary.len();
    }
    out
}

/// The request's fields as one JSON object: a JSON body as it is; a form's text fields, each
/// read as JSON when it is JSON (numbers, objects) and as a string otherwise, and Discord's
/// `payload_json` merged in.
pub fn fields(req: &Request) -> serde_json::Value {
    let parts = parts(req);
    if parts.is_empty() {
        return serde_json::from_str(&req.body).unwrap_or(serde_json::Value::Null);
    }
    let mut obj = serde_json::Map::new();
    for p in parts.iter().filter(|p| p.filename.is_none()) {
        let text = String::from_utf8_lossy(&p.data).to_string();
        let value = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        if p.name == "payload_json"
            && let serde_json::Value::Object(m) = value
        {
            obj.extend(m);
        } else {
            obj.insert(p.name.clone(), value);
        }
    }
    serde_json::Value::Object(obj)
}

/// The uploaded files: (form field name, file name, bytes).
pub fn files(req: &Request) -> Vec<(String, String, Vec<u8>)> {
    parts(req)
        .into_iter()
        .filter_map(|p| p.filename.map(|f| (p.name, f, p.data)))
        .collect()
}

/// The photo of a Telegram sendPhoto request: (file name, bytes). The `photo` field names the
/// upload's part (`attach://<part>`, as teloxide sends it) or is the part itself.
pub fn telegram_photo(req: &Request) -> Option<(String, Vec<u8>)> {
    let fields = fields(req);
    let part = fields["photo"]
        .as_str()
        .and_then(|v| v.strip_prefix("attach://"))
        .unwrap_or("photo")
        .to_string();
    files(req)
        .into_iter()
        .find(|f| f.0 == part)
        .map(|(_, name, data)| (name, data))
}

/// Whether bytes are a PNG image that decodes, and its size.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return None;
    }
    tiny_skia::Pixmap::decode_png(bytes)
        .ok()
        .map(|p| (p.width(), p.height()))
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

fn param(line: &str, key: &str) -> Option<String> {
    line.split(';').map(str::trim).find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    })
}
