//! Reading JSON exports one record at a time, whatever their shape.
//!
//! Shapes: an OData page `{"value": [...]}`, a bare array, a single object, NDJSON (one record or
//! one page per line), and several pretty-printed pages one after another. NDJSON is read line by
//! line so that a broken line costs that line only; anything else is streamed through one
//! deserializer, which hands each array element over as soon as it is parsed: the whole file is
//! never held, only the record in hand.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::fmt;
use std::io::{BufRead, Read};

/// One record, with where it was found.
pub struct JsonRecord {
    /// 1-based count of records in the file.
    pub index: usize,
    /// `line 3` in NDJSON, `record 12` otherwise.
    pub location: String,
    pub value: Value,
}

/// A failure that stopped or skipped part of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub location: String,
    pub message: String,
}

/// How many bytes of the first line decide whether a file is NDJSON.
const SNIFF_LIMIT: usize = 1 << 20;

/// The longest NDJSON line read: 64 MiB. A line holds one record or one page; the largest real
/// alert or incident records are a few MB, and a file whose pages are hundreds of MB on one line
/// starts with such a line, longer than [`SNIFF_LIMIT`], so it is streamed, not read by line.
/// Longer lines (a file with no newline for gigabytes) are skipped without being held.
const MAX_LINE_BYTES: usize = 64 << 20;

/// The largest single record of a streamed file: 256 MiB of JSON text (held as one
/// `serde_json::Value`, a few times that in memory). Records of pages and arrays are handed over
/// one by one, so only a record of absurd size (or a file that is one huge value that is not a
/// page) reaches it; the file is then not read further, as a streamed parse cannot resume.
const MAX_RECORD_BYTES: u64 = 256 << 20;

/// The caps on what is held at once (smaller in tests).
#[derive(Debug, Clone, Copy)]
struct Caps {
    line: usize,
    record: u64,
}

const CAPS: Caps = Caps {
    line: MAX_LINE_BYTES,
    record: MAX_RECORD_BYTES,
};

/// A size for messages: `64 MB`, or `512 KB` below a megabyte.
pub(super) fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else {
        format!("{} KB", (bytes >> 10).max(1))
    }
}

/// Reads every record from `reader`, calling `on_record` for each; returns what could not be read.
pub fn read_records<R: BufRead>(
    reader: R,
    on_record: &mut dyn FnMut(JsonRecord),
) -> Vec<JsonError> {
    read_records_within(reader, on_record, CAPS)
}

fn read_records_within<R: BufRead>(
    mut reader: R,
    on_record: &mut dyn FnMut(JsonRecord),
    caps: Caps,
) -> Vec<JsonError> {
    let line_mode = match first_line_is_complete_json(&mut reader) {
        Ok(answer) => answer,
        Err(e) => {
            return vec![JsonError {
                location: String::new(),
                message: format!("could not read the file: {e}"),
            }]
        }
    };
    if line_mode {
        read_lines(reader, on_record, caps.line)
    } else {
        read_stream(reader, on_record, caps.record)
    }
}

/// True when the file's first non-blank line is a whole JSON value (so the file is NDJSON).
fn first_line_is_complete_json<R: BufRead>(reader: &mut R) -> std::io::Result<bool> {
    // Skip a UTF-8 byte-order mark and leading blank space without losing anything else.
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(true);
        }
        if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
            reader.consume(3);
            continue;
        }
        let blank = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if blank == 0 {
            break;
        }
        reader.consume(blank);
    }
    let buf = reader.fill_buf()?;
    let window = &buf[..buf.len().min(SNIFF_LIMIT)];
    match window.iter().position(|&b| b == b'\n') {
        Some(end) => Ok(serde_json::from_slice::<serde::de::IgnoredAny>(&window[..end]).is_ok()),
        // No newline in the window: one long value, or a one-line file that fits entirely.
        None => Ok(buf.len() < SNIFF_LIMIT
            && serde_json::from_slice::<serde::de::IgnoredAny>(window).is_ok()),
    }
}

fn read_lines<R: BufRead>(
    mut reader: R,
    on_record: &mut dyn FnMut(JsonRecord),
    max_line: usize,
) -> Vec<JsonError> {
    let mut errors = Vec::new();
    // Bytes, not a String: a line that is not valid UTF-8 is that line's problem, not the file's.
    let mut line: Vec<u8> = Vec::new();
    let mut line_number = 0usize;
    let mut index = 0usize;
    let read_error = |line_number: usize, e: std::io::Error| JsonError {
        location: format!("line {line_number}"),
        message: format!("could not read the line: {e}"),
    };
    // At most one byte more than a line may hold: enough to tell that it is too long.
    let limit = u64::try_from(max_line)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    loop {
        line.clear();
        match (&mut reader).take(limit).read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                errors.push(read_error(line_number + 1, e));
                break;
            }
        }
        line_number += 1;
        if line.len() > max_line && line.last() != Some(&b'\n') {
            // Drop what was read of it and skip to the next line without holding it.
            line.clear();
            line.shrink_to(64 * 1024);
            errors.push(JsonError {
                location: format!("line {line_number}"),
                message: format!(
                    "the line is longer than {}: skipped without parsing it (no alert record is that large); the lines after it were read",
                    size_text(max_line as u64)
                ),
            });
            if let Err(e) = reader.skip_until(b'\n') {
                errors.push(read_error(line_number, e));
                break;
            }
            continue;
        }
        let text = line
            .strip_prefix(&[0xEF, 0xBB, 0xBF][..])
            .unwrap_or(&line)
            .trim_ascii();
        if text.is_empty() {
            continue;
        }
        match serde_json::from_slice::<Value>(text) {
            Ok(value) => {
                for value in expand(value) {
                    index += 1;
                    on_record(JsonRecord {
                        index,
                        location: format!("line {line_number}"),
                        value,
                    });
                }
            }
            Err(e) => errors.push(JsonError {
                location: format!("line {line_number}, column {}", e.column()),
                message: describe(&e),
            }),
        }
    }
    errors
}

/// The records inside one top-level value: a page's `value`, an array's elements, or itself.
fn expand(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        Value::Object(mut map) if map.get("value").is_some_and(Value::is_array) => {
            match map.remove("value") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            }
        }
        other => vec![other],
    }
}

fn read_stream<R: BufRead>(
    reader: R,
    on_record: &mut dyn FnMut(JsonRecord),
    max_record: u64,
) -> Vec<JsonError> {
    let consumed = Cell::new(0u64);
    let record_start = Cell::new(0u64);
    let too_large = Cell::new(false);
    let budgeted = RecordBudget {
        inner: reader,
        consumed: &consumed,
        record_start: &record_start,
        too_large: &too_large,
        limit: max_record,
    };
    let mut de = serde_json::Deserializer::from_reader(budgeted);
    let index = Cell::new(0usize);
    let mut emit = |value: Value| {
        index.set(index.get() + 1);
        record_start.set(consumed.get());
        on_record(JsonRecord {
            index: index.get(),
            location: format!("record {}", index.get()),
            value,
        });
    };
    let error = |e: serde_json::Error| {
        let next = index.get() + 1;
        if too_large.get() {
            JsonError {
                location: format!("record {next}"),
                message: format!(
                    "the record is larger than {}: not an alert record; the rest of the file was not read",
                    size_text(max_record)
                ),
            }
        } else if e.classify() == serde_json::error::Category::Io {
            // A read error has no line and column (serde_json reports line 0).
            JsonError {
                location: format!("record {next}"),
                message: describe(&e),
            }
        } else {
            JsonError {
                location: format!("line {}, column {}", e.line(), e.column()),
                message: describe(&e),
            }
        }
    };
    loop {
        if let Err(e) = (TopLevel { emit: &mut emit }).deserialize(&mut de) {
            return vec![error(e)];
        }
        // `end` only peeks: when another value follows, the next loop reads it.
        match de.end() {
            Ok(()) => return Vec::new(),
            Err(e) if e.classify() == serde_json::error::Category::Syntax => continue,
            Err(e) => return vec![error(e)],
        }
    }
}

/// Counts the bytes the parser reads and fails the read once one record has taken more than
/// `limit` bytes since the previous record was handed over (`record_start`).
struct RecordBudget<'a, R> {
    inner: R,
    consumed: &'a Cell<u64>,
    record_start: &'a Cell<u64>,
    too_large: &'a Cell<bool>,
    limit: u64,
}

impl<R: Read> Read for RecordBudget<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.consumed.get().saturating_sub(self.record_start.get()) > self.limit {
            self.too_large.set(true);
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("one record is larger than {}", size_text(self.limit)),
            ));
        }
        let n = self.inner.read(buf)?;
        self.consumed.set(self.consumed.get() + n as u64);
        Ok(n)
    }
}

fn describe(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Eof => "the JSON ends too early (truncated file?)",
        Category::Syntax => "malformed JSON",
        Category::Data => "unexpected JSON content",
        Category::Io => "read error",
    };
    // serde_json appends " at line L column C"; the location says that already.
    let detail = e.to_string();
    let detail = detail
        .split(" at line ")
        .next()
        .unwrap_or_default()
        .to_owned();
    format!("{what}: {detail}")
}

/// One top-level value: streams the records of a page or an array to `emit`.
struct TopLevel<'a, F: FnMut(Value)> {
    emit: &'a mut F,
}

impl<'de, F: FnMut(Value)> DeserializeSeed<'de> for TopLevel<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Value)> Visitor<'de> for TopLevel<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object or array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            (self.emit)(value);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut fields = Map::new();
        let mut was_page = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "value" {
                // A page: stream its records; if `value` is not an array, keep it as a field.
                let value = map.next_value_seed(PageValue {
                    emit: &mut *self.emit,
                })?;
                match value {
                    None => was_page = true,
                    Some(v) => {
                        fields.insert(key, v);
                    }
                }
            } else {
                let value = map.next_value::<Value>()?;
                fields.insert(key, value);
            }
        }
        if !was_page {
            (self.emit)(Value::Object(fields));
        }
        Ok(())
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(
            "expected a JSON object or array of records, found a string",
        ))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(
            "expected a JSON object or array of records, found a number",
        ))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(
            "expected a JSON object or array of records, found a number",
        ))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(
            "expected a JSON object or array of records, found a number",
        ))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(
            "expected a JSON object or array of records, found a boolean",
        ))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Err(E::custom(
            "expected a JSON object or array of records, found null",
        ))
    }
}

/// The `value` of a page: `None` when it was an array (records emitted), else the value itself.
struct PageValue<'a, F: FnMut(Value)> {
    emit: &'a mut F,
}

impl<'de, F: FnMut(Value)> DeserializeSeed<'de> for PageValue<'_, F> {
    type Value = Option<Value>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        let value_or_streamed = deserializer.deserialize_any(PageVisitor { emit: self.emit })?;
        Ok(value_or_streamed)
    }
}

struct PageVisitor<'a, F: FnMut(Value)> {
    emit: &'a mut F,
}

impl<'de, F: FnMut(Value)> Visitor<'de> for PageVisitor<'_, F> {
    type Value = Option<Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            (self.emit)(value);
        }
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let value = Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(Some(value))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Value::String(v.to_owned())))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Value::Bool(v)))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }
}

use serde::Deserialize;

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> (Vec<(String, Value)>, Vec<JsonError>) {
        let mut got = Vec::new();
        let errors = read_records(text.as_bytes(), &mut |r| got.push((r.location, r.value)));
        (got, errors)
    }

    fn ids(got: &[(String, Value)]) -> Vec<i64> {
        got.iter().filter_map(|(_, v)| v["id"].as_i64()).collect()
    }

    #[test]
    fn every_shape_yields_its_records() {
        let shapes = [
            r#"{"@odata.context":"x","value":[{"id":1},{"id":2}]}"#,
            "[{\"id\":1},\n {\"id\":2}]",
            "{\"id\":1}\n{\"id\":2}\n",
            "{\n \"value\": [ {\"id\":1} ]\n}\n{\n \"value\": [ {\"id\":2} ]\n}",
            "\u{feff}{\"value\":[{\"id\":1}]}\n{\"value\":[{\"id\":2}]}\n{\"value\":[]}",
        ];
        for shape in shapes {
            let (got, errors) = records(shape);
            assert_eq!(ids(&got), vec![1, 2], "shape {shape:?}");
            assert!(errors.is_empty(), "shape {shape:?}: {errors:?}");
        }
        let (got, _) = records(r#"{"id":7,"title":"one"}"#);
        assert_eq!(ids(&got), vec![7]);
    }

    #[test]
    fn a_broken_ndjson_line_costs_only_that_line() {
        let (got, errors) = records("{\"id\":1}\n{\"id\":2,\n{\"id\":3}\n");
        assert_eq!(ids(&got), vec![1, 3]);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].location.starts_with("line 2, column"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_line_that_is_not_utf8_costs_only_that_line() {
        let mut text = b"{\"id\":1}\n{\"id\":\"".to_vec();
        text.extend_from_slice(&[0xff, 0xfe]);
        text.extend_from_slice(b"\"}\n{\"id\":3}\n");
        let mut got = Vec::new();
        let errors = read_records(text.as_slice(), &mut |r| got.push(r.value));
        assert_eq!(
            ids(&got
                .into_iter()
                .map(|v| (String::new(), v))
                .collect::<Vec<_>>()),
            vec![1, 3]
        );
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn a_truncated_stream_keeps_what_came_before_and_names_the_position() {
        let (got, errors) = records("[\n{\"id\":1},\n{\"id\":2},\n{\"id\":");
        assert_eq!(ids(&got), vec![1, 2]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].location, "line 4, column 6");
        assert!(errors[0].message.contains("truncated"), "{errors:?}");
    }

    fn records_within(text: &[u8], caps: Caps) -> (Vec<(String, Value)>, Vec<JsonError>) {
        let mut got = Vec::new();
        let errors = read_records_within(text, &mut |r| got.push((r.location, r.value)), caps);
        (got, errors)
    }

    /// NDJSON whose second line is `{"id":2,"pad":"xxx…"}` of exactly `length` bytes.
    fn ndjson_with_long_second_line(length: usize) -> Vec<u8> {
        let open = br#"{"id":2,"pad":""#;
        let close = br#""}"#;
        let mut text = b"{\"id\":1}\n".to_vec();
        text.extend_from_slice(open);
        text.resize(text.len() + length - open.len() - close.len(), b'x');
        text.extend_from_slice(close);
        text.extend_from_slice(b"\n{\"id\":3}\n");
        text
    }

    #[test]
    fn an_overlong_ndjson_line_is_skipped_and_reading_goes_on() {
        let caps = Caps {
            line: 4096,
            record: MAX_RECORD_BYTES,
        };
        let (got, errors) = records_within(&ndjson_with_long_second_line(4097), caps);
        assert_eq!(ids(&got), vec![1, 3], "the lines around it still load");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].location, "line 2");
        assert!(errors[0].message.contains("longer than 4 KB"), "{errors:?}");
        assert_eq!(got[1].0, "line 3", "line numbers stay right after the skip");

        // A line of exactly the cap is read.
        let (got, errors) = records_within(&ndjson_with_long_second_line(4096), caps);
        assert_eq!(ids(&got), vec![1, 2, 3]);
        assert!(errors.is_empty(), "{errors:?}");

        // The last line, without a newline, and CRLF line ends.
        let mut text = b"{\"id\":1}\r\n".to_vec();
        text.resize(text.len() + 10_000, b' ');
        let (got, errors) = records_within(&text, caps);
        assert_eq!(ids(&got), vec![1]);
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn the_real_line_cap_skips_a_line_of_more_than_64_mib() {
        let (got, errors) = records(
            std::str::from_utf8(&ndjson_with_long_second_line(MAX_LINE_BYTES + 1)).unwrap_or(""),
        );
        assert_eq!(ids(&got), vec![1, 3]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].message.contains("longer than 64 MB"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_whole_page_on_one_long_line_is_streamed_not_capped() {
        // Longer than the sniff window, so it is not read as NDJSON, and far longer than the
        // line cap used here.
        let mut page = r#"{"@odata.context":"x","value":["#.to_owned();
        let mut n = 0;
        while page.len() <= SNIFF_LIMIT + 1000 {
            n += 1;
            page.push_str(&format!(
                r#"{{"id":{n},"title":"an alert of a long page"}},"#
            ));
        }
        page.pop();
        page.push_str("]}\n");
        let caps = Caps {
            line: 4096,
            record: 4096,
        };
        let (got, errors) = records_within(page.as_bytes(), caps);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(got.len(), n);
    }

    #[test]
    fn a_streamed_record_over_the_cap_stops_reading_with_a_clear_problem() {
        let caps = Caps {
            line: MAX_LINE_BYTES,
            record: 8192,
        };
        let stream = |pad: usize| {
            format!(
                "[\n{{\"id\":1}},\n{{\"id\":2,\"pad\":\"{}\"}},\n{{\"id\":3}}\n]",
                "x".repeat(pad)
            )
        };
        let (got, errors) = records_within(stream(20_000).as_bytes(), caps);
        assert_eq!(ids(&got), vec![1], "the records before it are kept");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].location, "record 2");
        assert!(errors[0].message.contains("larger than 8 KB"), "{errors:?}");
        // Records just under the cap, many times over: the budget is per record.
        let (got, errors) = records_within(stream(8000).as_bytes(), caps);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(ids(&got), vec![1, 2, 3]);
        let many: Vec<String> = (0..20)
            .map(|i| format!("{{\"id\":{i},\"pad\":\"{}\"}}", "x".repeat(8000)))
            .collect();
        let (got, errors) = records_within(format!("[{}]", many.join(",")).as_bytes(), caps);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(got.len(), 20);
    }

    #[test]
    fn a_read_error_in_a_stream_names_the_record_not_line_zero() {
        struct FailsAfter(usize);
        impl Read for FailsAfter {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let text = b"[{\"id\":1},{\"id\":2},{\"id\":3}]";
                if self.0 >= 12 {
                    return Err(std::io::Error::other("the source went away"));
                }
                buf[0] = text[self.0];
                self.0 += 1;
                Ok(1)
            }
        }
        let mut got = Vec::new();
        let errors = read_records(std::io::BufReader::new(FailsAfter(0)), &mut |r| {
            got.push((r.location, r.value))
        });
        assert_eq!(ids(&got), vec![1]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].location, "record 2");
        assert!(
            errors[0].message.contains("the source went away"),
            "{errors:?}"
        );
    }

    #[test]
    fn text_that_is_not_json_is_one_problem() {
        let (got, errors) = records("Timestamp,AlertId\n2026-01-01,x\n");
        assert!(got.is_empty());
        assert_eq!(errors.len(), 1, "{errors:?}");
    }
}
