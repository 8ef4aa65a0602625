//! Tabular exports: CSV as the portals write it (BOM, CRLF, quoted JSON in cells; `,`, `;` or tab
//! between columns), and [`Row`], the case-insensitive view of one row that the advanced-hunting
//! and Sentinel converters read, whether the row came from CSV or from a JSON object.

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::io::Read;

/// One CSV row as a JSON object of strings, with where it was.
pub struct CsvRecord {
    pub index: usize,
    pub location: String,
    pub value: Value,
}

/// A CSV row that could not be read.
pub struct CsvError {
    pub location: String,
    pub message: String,
}

/// Reads every row; the header names the fields. Rows with too few or too many cells are kept
/// (missing cells are absent) and a bad row costs only that row.
pub fn read_csv(
    reader: impl Read,
    delimiter: u8,
    crlf: bool,
    on_record: &mut dyn FnMut(CsvRecord),
) -> Vec<CsvError> {
    // The csv crate reports the line where a record starts, one too low when lines end in CRLF.
    let line_of = |p: &csv::Position| p.line() as usize + usize::from(crlf);
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(reader);
    let headers: Vec<String> = match csv.headers() {
        Ok(h) => h
            .iter()
            .map(|name| name.trim_start_matches('\u{feff}').trim().to_owned())
            .collect(),
        Err(e) => {
            return vec![CsvError {
                location: "line 1".to_owned(),
                message: format!("the header row cannot be read: {e}"),
            }]
        }
    };
    let mut errors = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut index = 0usize;
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                index += 1;
                let line = record.position().map_or(index + 1, line_of);
                let mut object = Map::new();
                for (name, cell) in headers.iter().zip(record.iter()) {
                    if !cell.is_empty() {
                        object.insert(name.clone(), Value::String(cell.to_owned()));
                    }
                }
                on_record(CsvRecord {
                    index,
                    location: format!("line {line}"),
                    value: Value::Object(object),
                });
            }
            Err(e) => {
                let line = e
                    .position()
                    .map_or(String::new(), |p| format!("line {}", line_of(p)));
                let unrecoverable = matches!(e.kind(), csv::ErrorKind::Io(_));
                errors.push(CsvError {
                    location: line,
                    message: format!("unreadable CSV row: {e}"),
                });
                if unrecoverable {
                    break;
                }
            }
        }
    }
    errors
}

/// The delimiter of a header line: the most frequent of `,`, `;` and tab.
pub fn delimiter_of(header: &str) -> u8 {
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| header.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

/// A row (or any JSON object) read by field names in any letter case.
pub struct Row<'a> {
    fields: HashMap<String, &'a Value>,
}

impl<'a> Row<'a> {
    pub fn new(object: &'a Map<String, Value>) -> Self {
        Row {
            fields: object
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
        }
    }

    /// The first of `names` that holds a scalar, as trimmed text (`"None"`/`"null"` are absent).
    pub fn text(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|name| {
            let text = match self.fields.get(&name.to_ascii_lowercase())? {
                Value::String(s) => s.trim().to_owned(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            (!text.is_empty() && text != "None" && text != "null").then_some(text)
        })
    }

    /// A field that holds JSON, either as JSON or as a string of JSON (as CSV and Sentinel write it).
    pub fn json(&self, name: &str) -> Option<Value> {
        match self.fields.get(&name.to_ascii_lowercase())? {
            Value::String(s) => serde_json::from_str(s.trim()).ok(),
            Value::Null => None,
            other => Some((*other).clone()),
        }
    }

    /// A list field: a JSON array (or a string of one), or a comma-separated string.
    pub fn list(&self, name: &str) -> Vec<String> {
        match self.json(name) {
            Some(Value::Array(items)) => items
                .into_iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect(),
            _ => self
                .text(&[name])
                .map(|s| {
                    s.split(',')
                        .map(|p| p.trim().to_owned())
                        .filter(|p| !p.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.fields
            .get(&name.to_ascii_lowercase())
            .is_some_and(|v| !v.is_null())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portal_csv_with_bom_crlf_and_json_cells() {
        let text = "\u{feff}Timestamp,AlertId,Title,AttackTechniques\r\n2026-09-01T08:00:00Z,da1,\"Hello, world\",\"[\"\"Valid Accounts (T1078)\"\"]\"\r\n2026-09-01T09:00:00Z,da2,Short\r\n";
        let mut rows = Vec::new();
        let errors = read_csv(
            text.as_bytes(),
            delimiter_of(text.lines().next().unwrap_or("")),
            true,
            &mut |r| rows.push(r),
        );
        assert!(errors.is_empty());
        assert_eq!(rows.len(), 2);
        let Value::Object(first) = &rows[0].value else {
            panic!("an object")
        };
        let row = Row::new(first);
        assert_eq!(row.text(&["alertid"]).as_deref(), Some("da1"));
        assert_eq!(row.text(&["TITLE"]).as_deref(), Some("Hello, world"));
        assert_eq!(row.list("AttackTechniques"), vec!["Valid Accounts (T1078)"]);
        assert_eq!(rows[1].location, "line 3");
        let mut lf_rows = Vec::new();
        read_csv(
            "A,AlertId\nx,da1\ny,da2\n".as_bytes(),
            b',',
            false,
            &mut |r| lf_rows.push(r.location),
        );
        assert_eq!(lf_rows, vec!["line 2", "line 3"]);
        let Value::Object(second) = &rows[1].value else {
            panic!("an object")
        };
        assert!(
            !Row::new(second).has("AttackTechniques"),
            "a short row is kept, its missing cell absent"
        );
    }

    #[test]
    fn delimiters_of_excel_exports() {
        assert_eq!(delimiter_of("Timestamp;AlertId;Title"), b';');
        assert_eq!(delimiter_of("Timestamp\tAlertId\tTitle"), b'\t');
        assert_eq!(delimiter_of("Timestamp,AlertId,Title"), b',');
    }
}
