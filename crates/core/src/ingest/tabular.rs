//! Tabular exports: CSV as the portals write it (BOM, CRLF, quoted JSON in cells; `,`, `;` or tab
//! between columns), and [`Row`], the case-insensitive view of one row that the advanced-hunting
//! and Sentinel converters read, whether the row came from CSV or from a JSON object.

use super::json_cell::Json;
use super::json_stream::size_text;
use crate::model::{HashMap, HashMapExt};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cell::RefCell;
use std::io::Read;

/// The longest CSV record read: 64 MiB. Portal exports quote JSON in cells (evidence, entities),
/// a few MB in the largest rows; a record longer than this is a quote that was never closed,
/// which makes the rest of the file one field, and would otherwise be held whole.
const MAX_RECORD_BYTES: u64 = 64 << 20;

/// One CSV row, with where it was: its cells as read, under the file's columns.
pub struct CsvRecord<'a> {
    pub index: usize,
    pub location: &'a str,
    pub columns: &'a Columns,
    pub cells: &'a csv::StringRecord,
}

impl CsvRecord<'_> {
    /// The row as a JSON object of strings (empty cells left out; of two columns with the same
    /// name, the later cell that is not empty).
    pub fn to_value(&self) -> Value {
        let mut object = Map::new();
        for (name, cell) in self.columns.names.iter().zip(self.cells.iter()) {
            if !cell.is_empty() {
                object.insert(name.clone(), Value::String(cell.to_owned()));
            }
        }
        Value::Object(object)
    }

    /// The row read by field names, straight from its cells when the columns allow it (see
    /// [`Columns::distinct`]); `None` when the row must be read as [`Self::to_value`].
    pub fn row(&self) -> Option<Row<'_>> {
        self.columns.distinct.then_some(Row {
            fields: Fields::Cells {
                columns: self.columns,
                cells: self.cells,
            },
        })
    }

    /// The cell of the column named exactly `name`, if it is not empty (what the JSON object
    /// of [`Self::to_value`] has under that key, for distinct columns).
    pub fn exact(&self, name: &str) -> Option<&str> {
        let at = self.columns.find(name, false)?;
        self.cells.get(at).filter(|c| !c.is_empty())
    }

    /// The cells that are not empty.
    pub fn filled(&self) -> impl Iterator<Item = &str> {
        self.cells
            .iter()
            .take(self.columns.names.len())
            .filter(|c| !c.is_empty())
    }
}

/// The header of a CSV file: its column names, trimmed.
pub struct Columns {
    pub names: Vec<String>,
    /// No two names are the same in any letter case: a field is then one column, and a row is
    /// read from its cells. Otherwise rows are read as JSON objects, whose rules for repeated
    /// names ([`CsvRecord::to_value`], [`Row`]) the cells do not follow.
    distinct: bool,
    /// Columns found, by where the name looked for lies in memory (fields are looked up a few
    /// dozen times per row, by names that are literals) and whether in any letter case; each
    /// answer keeps the name it answered, and is used only for that same text.
    found: RefCell<HashMap<(usize, usize, bool), Found>>,
}

/// A name looked for, and the first column that has it.
struct Found {
    name: Box<str>,
    at: Option<usize>,
}

/// At most this many names are remembered per file (names made at run time are looked up by a
/// scan once it is full).
const FOUND_CAP: usize = 1024;

impl Columns {
    /// A copy with nothing remembered yet, for another thread: what is remembered is not
    /// shared between threads.
    pub fn copy(&self) -> Columns {
        Columns::new(self.names.clone())
    }

    fn new(names: Vec<String>) -> Self {
        let mut lower: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
        lower.sort_unstable();
        let distinct = lower.windows(2).all(|w| w[0] != w[1]);
        Columns {
            names,
            distinct,
            found: RefCell::new(HashMap::new()),
        }
    }

    /// The first column named `name`, in its letter case or (`fold`) in any.
    fn find(&self, name: &str, fold: bool) -> Option<usize> {
        let key = (name.as_ptr() as usize, name.len(), fold);
        if let Some(found) = self.found.borrow().get(&key) {
            if *found.name == *name {
                return found.at;
            }
        }
        let at = self.names.iter().position(|n| match fold {
            true => n.len() == name.len() && n.eq_ignore_ascii_case(name),
            false => n == name,
        });
        let mut found = self.found.borrow_mut();
        if found.len() < FOUND_CAP || found.contains_key(&key) {
            found.insert(
                key,
                Found {
                    name: name.into(),
                    at,
                },
            );
        }
        at
    }
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
    on_record: &mut dyn FnMut(CsvRecord<'_>),
) -> Vec<CsvError> {
    read_csv_within(reader, delimiter, crlf, on_record, MAX_RECORD_BYTES)
}

/// A row read, apart from its header ([`CsvBatches::fill`]).
#[derive(Default)]
pub struct CsvRow {
    pub index: usize,
    pub location: String,
    pub cells: csv::StringRecord,
}

impl CsvRow {
    /// The row read by the names of `columns` (the file's header, or a copy of it).
    pub fn record<'a>(&'a self, columns: &'a Columns) -> CsvRecord<'a> {
        CsvRecord {
            index: self.index,
            location: &self.location,
            columns,
            cells: &self.cells,
        }
    }
}

fn read_csv_within(
    reader: impl Read,
    delimiter: u8,
    crlf: bool,
    on_record: &mut dyn FnMut(CsvRecord<'_>),
    max_record: u64,
) -> Vec<CsvError> {
    let mut rows = match CsvBatches::within(reader, delimiter, crlf, max_record) {
        Ok(rows) => rows,
        Err(error) => return vec![error],
    };
    let mut row = Vec::new();
    while rows.fill(&mut row, 1) == 1 {
        on_record(row[0].record(rows.columns()));
    }
    rows.finish()
}

/// The rows of a CSV file, read a batch at a time when asked ([`Self::fill`]): the caller
/// decides what runs between two batches (the CLI converts one batch on its other core while
/// this reads the next).
pub struct CsvBatches<R> {
    csv: csv::Reader<RecordBudget<R>>,
    columns: Columns,
    crlf: bool,
    /// The line where the next record starts.
    next_line: usize,
    /// Rows read so far.
    index: usize,
    errors: Vec<CsvError>,
    /// Nothing more is read: the end, a runaway record or a read error.
    done: bool,
}

impl<R: Read> CsvBatches<R> {
    /// Reads the header; `Err` when it cannot be read (nothing else is then).
    pub fn new(reader: R, delimiter: u8, crlf: bool) -> Result<Self, CsvError> {
        Self::within(reader, delimiter, crlf, MAX_RECORD_BYTES)
    }

    fn within(reader: R, delimiter: u8, crlf: bool, max_record: u64) -> Result<Self, CsvError> {
        let budgeted = RecordBudget {
            inner: reader,
            consumed: 0,
            record_start: 0,
            too_long: false,
            limit: max_record,
        };
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(budgeted);
        let header = csv.headers().map(|h| {
            h.iter()
                .map(|name| name.trim_start_matches('\u{feff}').trim().to_owned())
                .collect()
        });
        let columns = match header {
            Ok(names) => Columns::new(names),
            Err(_) if csv.get_ref().too_long => return Err(runaway(1, max_record)),
            Err(e) => {
                return Err(CsvError {
                    location: "line 1".to_owned(),
                    message: format!("the header row cannot be read: {e}"),
                })
            }
        };
        let mut rows = CsvBatches {
            csv,
            columns,
            crlf,
            next_line: 0,
            index: 0,
            errors: Vec::new(),
            done: false,
        };
        rows.next_line = rows.line_of(rows.csv.position());
        rows.csv.get_mut().record_start = rows.csv.position().byte();
        Ok(rows)
    }

    /// The csv crate reports the line where a record starts, one too low when lines end in CRLF.
    fn line_of(&self, p: &csv::Position) -> usize {
        p.line() as usize + usize::from(self.crlf)
    }

    /// The file's header.
    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// Reads up to `batch` rows into `rows`, reusing its buffers (it grows to `batch` rows and
    /// keeps them): how many were read, 0 at the end. A row that cannot be read is an error
    /// ([`Self::finish`]) and is skipped.
    pub fn fill(&mut self, rows: &mut Vec<CsvRow>, batch: usize) -> usize {
        let mut filled = 0;
        while filled < batch.max(1) && !self.done {
            if filled == rows.len() {
                rows.push(CsvRow::default());
            }
            let record = &mut rows[filled].cells;
            let read = self.csv.read_record(record);
            let started_at = self.next_line;
            self.next_line = self.line_of(self.csv.position());
            self.csv.get_mut().record_start = self.csv.position().byte();
            match read {
                Ok(false) => self.done = true,
                Err(_) if self.csv.get_ref().too_long => {
                    let limit = self.csv.get_ref().limit;
                    self.errors.push(runaway(started_at, limit));
                    self.done = true;
                }
                Ok(true) => {
                    self.index += 1;
                    let line = record
                        .position()
                        .map_or(self.index + 1, |p| self.line_of(p));
                    let row = &mut rows[filled];
                    row.index = self.index;
                    row.location.clear();
                    // `write!` into a String cannot fail.
                    let _ =
                        std::fmt::Write::write_fmt(&mut row.location, format_args!("line {line}"));
                    filled += 1;
                }
                Err(e) => {
                    // A read error (a damaged or stopped container member) has no position:
                    // name the line where the record being read started.
                    let line = e.position().map_or(started_at, |p| self.line_of(p));
                    self.done = matches!(e.kind(), csv::ErrorKind::Io(_));
                    self.errors.push(CsvError {
                        location: format!("line {line}"),
                        message: format!("unreadable CSV row: {e}"),
                    });
                }
            }
        }
        filled
    }

    /// The rows that could not be read, in the file's order.
    pub fn finish(self) -> Vec<CsvError> {
        self.errors
    }
}

/// The error of a record longer than `limit` that starts at `line`.
fn runaway(line: usize, limit: u64) -> CsvError {
    CsvError {
        location: format!("line {line}"),
        message: format!(
            "the record starting at line {line} is longer than {}: probably an unclosed quote; \
             the rest of the file was not read",
            size_text(limit)
        ),
    }
}

/// Counts the bytes the CSV reader takes and fails the read once one record has taken more than
/// `limit` bytes since the end of the previous one (`record_start`, a byte offset). The CSV
/// reader buffers a few KB ahead, so the count runs that much ahead of the record.
struct RecordBudget<R> {
    inner: R,
    consumed: u64,
    record_start: u64,
    /// Set when a read failed for that.
    too_long: bool,
    limit: u64,
}

impl<R: Read> Read for RecordBudget<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.consumed.saturating_sub(self.record_start) > self.limit {
            self.too_long = true;
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("one CSV record is longer than {}", size_text(self.limit)),
            ));
        }
        let n = self.inner.read(buf)?;
        self.consumed += n as u64;
        Ok(n)
    }
}

/// The delimiter of a header line: the most frequent of `,`, `;` and tab.
pub fn delimiter_of(header: &str) -> u8 {
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| header.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

/// A row (or any JSON object) read by field names in any letter case.
#[derive(Clone, Copy)]
pub struct Row<'a> {
    fields: Fields<'a>,
}

/// Text read from a field, unless it is blank or a null written out (`"None"`, `"null"`).
pub(super) fn usable(text: Cow<'_, str>) -> Option<Cow<'_, str>> {
    (!text.is_empty() && text != "None" && text != "null").then_some(text)
}

#[derive(Clone, Copy)]
enum Fields<'a> {
    Object(&'a Map<String, Value>),
    /// A CSV row's cells under distinct column names (an empty cell is an absent field).
    Cells {
        columns: &'a Columns,
        cells: &'a csv::StringRecord,
    },
}

/// One field's value: text (a JSON string or a CSV cell), or other JSON.
enum Field<'a> {
    Text(&'a str),
    Value(&'a Value),
}

impl<'a> Row<'a> {
    pub fn new(object: &'a Map<String, Value>) -> Self {
        Row {
            fields: Fields::Object(object),
        }
    }

    /// The field named `name` in any letter case. Rows have a few dozen fields: a scan without
    /// allocating beats building a lower-cased map per row. When two fields of an object differ
    /// only in case, the last in the object's order answers.
    fn field(&self, name: &str) -> Option<Field<'a>> {
        let same = |key: &str| key.len() == name.len() && key.eq_ignore_ascii_case(name);
        match self.fields {
            Fields::Object(object) => {
                object
                    .iter()
                    .rev()
                    .find(|(key, _)| same(key))
                    .map(|(_, value)| match value {
                        Value::String(s) => Field::Text(s),
                        other => Field::Value(other),
                    })
            }
            Fields::Cells { columns, cells } => {
                let at = columns.find(name, true)?;
                cells.get(at).filter(|c| !c.is_empty()).map(Field::Text)
            }
        }
    }

    /// The first of `names` that holds a scalar, as trimmed text (`"None"`/`"null"` are absent).
    /// Borrowed from the row when it is text (every cell of a CSV row).
    pub fn text(&self, names: &[&str]) -> Option<Cow<'a, str>> {
        names.iter().find_map(|name| {
            let text = match self.field(name)? {
                Field::Text(s) => Cow::Borrowed(super::text::trimmed(s)),
                Field::Value(Value::Number(n)) => Cow::Owned(n.to_string()),
                Field::Value(Value::Bool(b)) => Cow::Owned(b.to_string()),
                Field::Value(_) => return None,
            };
            usable(text)
        })
    }

    /// A field that holds JSON, either as JSON or as a string of JSON (as CSV and Sentinel write
    /// it), read borrowing the row's strings.
    pub fn json_cell(&self, name: &str) -> Option<Json<'a>> {
        match self.field(name)? {
            Field::Text(s) => Json::parse(s.trim()),
            Field::Value(Value::Null) => None,
            Field::Value(other) => Some(Json::borrowing(other)),
        }
    }

    /// A list field: a JSON array (or a string of one), or a comma-separated string.
    pub fn list(&self, name: &str) -> Vec<String> {
        match self.json_cell(name) {
            Some(Json::Array(items)) => items
                .into_iter()
                .filter_map(|v| match v {
                    Json::String(s) => Some(s.into_owned()),
                    Json::Number(n) => Some(n.to_string()),
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
        self.field(name)
            .is_some_and(|v| !matches!(v, Field::Value(Value::Null)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row as a JSON object, after checking that its cells read the same (when its columns are
    /// distinct) under every column name, in other letter cases, and a name it lacks.
    fn value_of(r: &CsvRecord) -> Value {
        let value = r.to_value();
        let Value::Object(object) = &value else {
            panic!("an object")
        };
        if let Some(cells) = r.row() {
            let by_value = Row::new(object);
            let mut names: Vec<String> = r.columns.names.clone();
            names.extend(r.columns.names.iter().map(|n| n.to_ascii_uppercase()));
            names.push("NotAColumn".to_owned());
            for name in &names {
                assert_eq!(cells.text(&[name]), by_value.text(&[name]), "{name}");
                assert_eq!(cells.json_cell(name), by_value.json_cell(name), "{name}");
                assert_eq!(cells.list(name), by_value.list(name), "{name}");
                assert_eq!(cells.has(name), by_value.has(name), "{name}");
                assert_eq!(r.exact(name), object.get(name).and_then(Value::as_str));
            }
        }
        value
    }

    #[test]
    fn columns_are_found_as_a_scan_finds_them() {
        let long = "L".repeat(70);
        let names: Vec<String> = ["AlertId", "alertid", "Title", "", &long, "Ünïcode", "X"]
            .iter()
            .map(|n| n.to_string())
            .collect();
        let columns = Columns::new(names.clone());
        let mut queries: Vec<String> = names.clone();
        queries.extend(names.iter().map(|n| n.to_uppercase()));
        queries.extend(
            ["ALERTID", "Missing", "l", &"l".repeat(70), &"L".repeat(71)].map(String::from),
        );
        for q in &queries {
            let exact = names.iter().position(|n| n == q);
            let folded = names.iter().position(|n| n.eq_ignore_ascii_case(q));
            assert_eq!(columns.find(q, false), exact, "{q}");
            assert_eq!(columns.find(q, true), folded, "{q}");
        }
        // The same memory holding another name later is another name.
        let mut reused = String::from("Title");
        assert_eq!(columns.find(&reused, false), Some(2));
        reused.make_ascii_uppercase();
        assert_eq!(columns.find(&reused, false), None);
        assert_eq!(columns.find(&reused, true), Some(2));
    }

    #[test]
    fn repeated_column_names_are_read_as_objects() {
        let text = "AlertId,Title,title,AlertId\nda1,One,,da2\n";
        let mut got = Vec::new();
        read_csv(text.as_bytes(), b',', false, &mut |r| {
            got.push((r.row().is_some(), value_of(&r)))
        });
        assert_eq!(got.len(), 1);
        assert!(!got[0].0, "not read from the cells");
        let Value::Object(object) = &got[0].1 else {
            panic!("an object")
        };
        assert_eq!(Row::new(object).text(&["alertid"]).as_deref(), Some("da2"));
        assert_eq!(Row::new(object).text(&["TITLE"]).as_deref(), Some("One"));
    }

    #[test]
    fn portal_csv_with_bom_crlf_and_json_cells() {
        let text = "\u{feff}Timestamp,AlertId,Title,AttackTechniques\r\n2026-09-01T08:00:00Z,da1,\"Hello, world\",\"[\"\"Valid Accounts (T1078)\"\"]\"\r\n2026-09-01T09:00:00Z,da2,Short\r\n";
        let mut rows = Vec::new();
        let errors = read_csv(
            text.as_bytes(),
            delimiter_of(text.lines().next().unwrap_or("")),
            true,
            &mut |r| rows.push((r.location.to_owned(), value_of(&r))),
        );
        assert!(errors.is_empty());
        assert_eq!(rows.len(), 2);
        let Value::Object(first) = &rows[0].1 else {
            panic!("an object")
        };
        let row = Row::new(first);
        assert_eq!(row.text(&["alertid"]).as_deref(), Some("da1"));
        assert_eq!(row.text(&["TITLE"]).as_deref(), Some("Hello, world"));
        assert_eq!(row.list("AttackTechniques"), vec!["Valid Accounts (T1078)"]);
        assert_eq!(rows[1].0, "line 3");
        let mut lf_rows = Vec::new();
        read_csv(
            "A,AlertId\nx,da1\ny,da2\n".as_bytes(),
            b',',
            false,
            &mut |r| lf_rows.push(r.location.to_owned()),
        );
        assert_eq!(lf_rows, vec!["line 2", "line 3"]);
        let Value::Object(second) = &rows[1].1 else {
            panic!("an object")
        };
        assert!(
            !Row::new(second).has("AttackTechniques"),
            "a short row is kept, its missing cell absent"
        );
    }

    fn rows_within(text: &[u8], crlf: bool, max_record: u64) -> (Vec<String>, Vec<CsvError>) {
        let mut rows = Vec::new();
        let errors = read_csv_within(
            text,
            b',',
            crlf,
            &mut |r| rows.push(value_of(&r)["AlertId"].as_str().unwrap_or("").to_owned()),
            max_record,
        );
        (rows, errors)
    }

    #[test]
    fn an_unclosed_quote_stops_at_the_record_cap_naming_the_line_it_started() {
        for newline in ["\n", "\r\n"] {
            let crlf = newline == "\r\n";
            // Line 3 opens a quote that never closes: every later line joins its last field.
            let mut text = format!(
                "Timestamp,AlertId,Title{newline}2026-09-01T08:00:00Z,da1,ok{newline}2026-09-01T09:00:00Z,da2,\"never closed{newline}"
            );
            while text.len() < 200_000 {
                text.push_str(&format!("2026-09-01T10:00:00Z,da3,more{newline}"));
            }
            let (rows, errors) = rows_within(text.as_bytes(), crlf, 32 * 1024);
            assert_eq!(
                rows,
                vec!["da1"],
                "{newline:?}: the rows before it are kept"
            );
            assert_eq!(errors.len(), 1, "{newline:?}");
            assert_eq!(errors[0].location, "line 3", "{newline:?}");
            assert_eq!(
                errors[0].message,
                "the record starting at line 3 is longer than 32 KB: probably an unclosed quote; the rest of the file was not read"
            );
        }
        // In the header row.
        let mut text = "Timestamp,AlertId,\"Title\n".to_owned();
        text.push_str(&"x,y,z\n".repeat(20_000));
        let (rows, errors) = rows_within(text.as_bytes(), false, 32 * 1024);
        assert!(rows.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].location, "line 1");
        assert!(errors[0].message.contains("unclosed quote"));
    }

    #[test]
    fn records_just_under_the_cap_load_however_many() {
        // Each row's quoted JSON cell (with newlines in it) is just under the cap; the file is
        // many times the cap.
        let cell = format!("[{}]", "\"\"x\"\",\n".repeat(4000));
        assert!(cell.len() < 32 * 1024 - 100);
        let mut text = "AlertId,Evidence\n".to_owned();
        for i in 0..40 {
            text.push_str(&format!("da{i},\"{cell}\"\n"));
        }
        let (rows, errors) = rows_within(text.as_bytes(), false, 32 * 1024);
        assert!(errors.is_empty());
        assert_eq!(rows.len(), 40);
        assert_eq!(rows[39], "da39");
    }

    #[test]
    fn several_mb_json_cells_load_under_the_real_cap() {
        let evidence: Vec<String> = (0..80_000)
            .map(|i| format!("{{\"\"deviceDnsName\"\":\"\"ws-{i}.corp\"\",\"\"roles\"\":[]}}"))
            .collect();
        let cell = format!("[{}]", evidence.join(","));
        assert!(cell.len() > 2 << 20);
        let text = format!("AlertId,Evidence\r\nda1,\"{cell}\"\r\nda2,\"{cell}\"\r\n");
        let mut rows = Vec::new();
        let errors = read_csv(text.as_bytes(), b',', true, &mut |r| {
            rows.push(value_of(&r))
        });
        assert!(errors.is_empty());
        assert_eq!(rows.len(), 2);
        let Value::Object(first) = &rows[0] else {
            panic!("an object")
        };
        assert_eq!(
            Row::new(first).json_cell("Evidence").and_then(|v| match v {
                Json::Array(items) => Some(items.len()),
                _ => None,
            }),
            Some(80_000)
        );
    }

    #[test]
    fn a_read_error_names_the_line_of_the_record_being_read() {
        struct FailsAfter<'a>(&'a [u8]);
        impl Read for FailsAfter<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let Some((first, rest)) = self.0.split_first() else {
                    return Err(std::io::Error::other("the source went away"));
                };
                buf[0] = *first;
                self.0 = rest;
                Ok(1)
            }
        }
        let mut rows = Vec::new();
        let errors = read_csv(
            FailsAfter(b"AlertId,Title\nda1,x\nda2,y"),
            b',',
            false,
            &mut |r| rows.push(r.location.to_owned()),
        );
        assert_eq!(rows, vec!["line 2"]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].location, "line 3");
        assert_eq!(
            errors[0].message,
            "unreadable CSV row: the source went away"
        );
    }

    #[test]
    fn delimiters_of_excel_exports() {
        assert_eq!(delimiter_of("Timestamp;AlertId;Title"), b';');
        assert_eq!(delimiter_of("Timestamp\tAlertId\tTitle"), b'\t');
        assert_eq!(delimiter_of("Timestamp,AlertId,Title"), b',');
    }
}
