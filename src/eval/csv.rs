//! A small RFC 4180 CSV reader for the evaluation datasets (UCDP GED): quoted fields, doubled
//! quotes, separators and line breaks inside quotes, CRLF or LF line ends. No dependency needed
//! for one well-formed file format.

use std::collections::HashMap;

/// One CSV record with access by header name.
#[derive(Debug, Clone)]
pub struct Record<'h> {
    header: &'h HashMap<String, usize>,
    /// The 1-based line the record starts on, for messages.
    pub line: usize,
    fields: Vec<String>,
}

impl Record<'_> {
    /// The field under `column`, or "" when the column or field is missing.
    pub fn get(&self, column: &str) -> &str {
        self.header
            .get(column)
            .and_then(|i| self.fields.get(*i))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// A parsed CSV table: the header's column positions and the records as raw fields.
#[derive(Debug, Clone, Default)]
pub struct Table {
    header: HashMap<String, usize>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// Parses `text`; the first record is the header. Blank lines are skipped.
    pub fn parse(text: &str) -> Table {
        let mut records = split_records(text).into_iter();
        let header = records
            .next()
            .map(|(_, h)| {
                h.into_iter()
                    .enumerate()
                    .map(|(i, name)| (name.trim().to_string(), i))
                    .collect()
            })
            .unwrap_or_default();
        Table {
            header,
            rows: records
                .filter(|(_, r)| !(r.len() == 1 && r[0].is_empty()))
                .collect(),
        }
    }

    /// Whether the header names `column`.
    pub fn has_column(&self, column: &str) -> bool {
        self.header.contains_key(column)
    }

    /// The records after the header.
    pub fn records(&self) -> impl Iterator<Item = Record<'_>> {
        self.rows.iter().map(|(line, fields)| Record {
            header: &self.header,
            line: *line,
            fields: fields.clone(),
        })
    }
}

/// Splits text into records of fields, each with the line it starts on.
fn split_records(text: &str) -> Vec<(usize, Vec<String>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            }
            '"' if field.is_empty() => quoted = true,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            '\r' if !quoted && chars.peek() == Some(&'\n') => {}
            '\n' if !quoted => {
                fields.push(std::mem::take(&mut field));
                out.push((start, std::mem::take(&mut fields)));
                line += 1;
                start = line;
            }
            _ => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
        }
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        out.push((start, fields));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_commas_quotes_and_line_breaks() {
        let t = Table::parse("a,b,c\r\n1,\"x, \"\"y\"\"\nz\",3\n\n4,5,6\n");
        let rows: Vec<_> = t.records().collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get("b"), "x, \"y\"\nz");
        assert_eq!(rows[0].get("c"), "3");
        assert_eq!(rows[1].line, 5);
        assert_eq!(rows[1].get("a"), "4");
        assert_eq!(rows[1].get("nope"), "");
        assert!(t.has_column("c"));
    }
}
