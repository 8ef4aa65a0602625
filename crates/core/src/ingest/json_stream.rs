//! Reading JSON exports one record at a time, whatever their shape.
//!
//! Shapes: an OData page `{"value": [...]}`, a bare array, a single object, NDJSON (one record or
//! one page per line), and several pretty-printed pages one after another. NDJSON is read line by
//! line so that a broken line costs that line only. Anything else is read in blocks of a
//! megabyte: a small framer walks the top level (pages, arrays, single objects) and parses each
//! record straight from the block with `serde_json` (no byte-by-byte reader), so the whole file is
//! never held, only a block and the record in hand. A record that does not parse costs that
//! record only (its extent is found by its brackets and strings); line and column are worked out
//! only when a problem is reported.

use super::graph_alerts::{needs_value, TypedAlert};
use crate::spread::Spread;
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::io::{BufRead, Read};

/// One record, with where it was found.
pub struct JsonRecord<C> {
    /// 1-based count of records in the file.
    pub index: usize,
    /// `line 3` in NDJSON, `record 12` otherwise.
    pub location: String,
    pub value: Parsed<C>,
}

/// A record as it was read: a JSON value, or a Graph alert read straight into its wire struct
/// (the typed path, see [`TypedPath`]) and made into what the caller keeps ([`Typed::convert`]).
pub enum Parsed<C> {
    Value(Value),
    GraphAlert(C),
}

/// What the reader makes of the Graph alerts it takes on the typed path, and the cores it may
/// use for it: the alerts a block holds whole are parsed and converted as a batch, halved by
/// `spread`, and handed over in the file's order.
pub struct Typed<'f, C> {
    pub spread: &'f dyn Spread,
    /// An alert made into what the caller keeps; its location (`record 12`) comes with it in
    /// the [`JsonRecord`], as records are handed over in order.
    pub convert: &'f (dyn Fn(TypedAlert<'_>) -> C + Sync),
}

#[cfg(test)]
impl<C> Parsed<C> {
    /// The record's value; a test that reads Graph alerts checks them by converting them.
    pub(crate) fn into_value(self) -> Value {
        match self {
            Parsed::Value(value) => value,
            Parsed::GraphAlert(_) => panic!("a Graph alert read on the typed path"),
        }
    }
}

/// Whether the records of a file are tried as Graph alerts before being read as values. Graph
/// alert exports are the largest, and reading one into a value and then into its struct was half
/// of their ingest. The path is tried while it takes records: the first record that parses but is
/// not a Graph alert turns it off for the file (another export), and so do the first
/// [`TypedPath::GIVE_UP`] records if none of them was taken. A record it does not take is read
/// as a value, from the same bytes, as if it had never been tried.
struct TypedPath {
    on: bool,
    taken: usize,
    missed: usize,
}

/// What the typed path makes of one record's text, before its state is consulted.
#[expect(
    clippy::large_enum_variant,
    reason = "made and matched at once, per record: boxing the alert would allocate per record"
)]
enum Tried<'a> {
    /// A Graph alert it takes.
    Alert(TypedAlert<'a>),
    /// A Graph alert whose text may hold PowerShell's depth marks: read as a value.
    NeedsValue,
    /// A record that parses but is no Graph alert.
    Other,
    /// A record that does not parse as one.
    Failed,
}

impl<'a> Tried<'a> {
    fn of(parsed: Result<TypedAlert<'a>, serde_json::Error>, text: &[u8]) -> Tried<'a> {
        match parsed {
            Ok(alert) if alert.is_graph_alert() => match needs_value(text) {
                true => Tried::NeedsValue,
                false => Tried::Alert(alert),
            },
            Ok(_) => Tried::Other,
            Err(_) => Tried::Failed,
        }
    }
}

impl TypedPath {
    const GIVE_UP: usize = 16;

    fn new() -> Self {
        TypedPath {
            on: true,
            taken: 0,
            missed: 0,
        }
    }

    /// The record `text`, parsed as `parsed`, if the typed path takes it.
    fn take<'a>(
        &mut self,
        parsed: Result<TypedAlert<'a>, serde_json::Error>,
        text: &[u8],
    ) -> Option<TypedAlert<'a>> {
        match Tried::of(parsed, text) {
            Tried::Alert(alert) => {
                self.taken += 1;
                Some(alert)
            }
            Tried::NeedsValue => None,
            Tried::Other => {
                self.on = false;
                None
            }
            Tried::Failed => {
                self.missed += 1;
                if self.taken == 0 && self.missed >= Self::GIVE_UP {
                    self.on = false;
                }
                None
            }
        }
    }
}

/// A record of the block in hand that a batch parsed and converted ahead
/// ([`Blocks::look_ahead`]): where it lies in the file, the count it gets when it is handed
/// over, and what the typed path made of it (`None`: not taken there; read one by one, as
/// without batches).
struct Ahead<C> {
    start: u64,
    end: u64,
    index: usize,
    converted: Option<C>,
}

/// A batch is made of what is left of the block when that is at least this long.
const AHEAD_MIN: usize = 64 << 10;

/// A batch covers the records that start in this many bytes of the block (a block is read a
/// megabyte at a time): a batch per 64 KB or 128 KB gained less, the two threads meeting more
/// often than the records they make stay in the caches.
const AHEAD_WINDOW: usize = BLOCK;

/// The index of the first byte from `at` on that is not blank space.
fn blank(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// What each record of a batch's run became: where it lies in the block, and its conversion.
type Run<C> = Vec<(usize, usize, Option<C>)>;

/// The elements of a list from `buf[at]` on, parsed and converted on the typed path one after
/// the other, until one starts at or after `stop`, or one is not whole in the block, does not
/// parse as a Graph alert's fields or is another export's record, or the list ends. Returns them
/// and where the next one starts (`None`: the run could not go on).
fn run_of<C>(
    buf: &Block,
    mut at: usize,
    stop: usize,
    convert: &(dyn Fn(TypedAlert<'_>) -> C + Sync),
) -> (Run<C>, Option<usize>) {
    let bytes = buf.bytes();
    let mut run = Vec::new();
    while at < stop {
        let (Some(Ok(alert)), end) = buf.parse::<TypedAlert>(at) else {
            return (run, None);
        };
        match Tried::of(Ok(alert), &bytes[at..end]) {
            Tried::Alert(alert) => run.push((at, end, Some(convert(alert)))),
            Tried::NeedsValue => run.push((at, end, None)),
            Tried::Other | Tried::Failed => {
                run.push((at, end, None));
                return (run, None);
            }
        }
        let after = blank(bytes, end);
        if bytes.get(after) != Some(&b',') {
            return (run, None);
        }
        at = blank(bytes, after + 1);
    }
    (run, Some(at))
}

/// Where a record of the list may start in the second half of `bytes[from..]`: the first place
/// past the middle that starts as the record at `from` does (its first key, and that key's value
/// when it is a short string), after a `}` and a `,`. A guess (a record may hold the same text):
/// a batch uses it only when the records read from `from` end right there.
fn split_guess(bytes: &[u8], from: usize) -> Option<usize> {
    let head = record_head(bytes, from)?;
    let middle = from + (bytes.len() - from) / 2;
    let before = |end: usize| bytes[..end].iter().rposition(|b| !b.is_ascii_whitespace());
    memchr::memmem::find_iter(&bytes[middle..], head)
        .map(|found| middle + found)
        .find(|&at| {
            before(at)
                .filter(|&comma| bytes[comma] == b',')
                .and_then(before)
                .is_some_and(|close| bytes[close] == b'}')
        })
}

/// The start of the object at `bytes[from]` that records of the same export share: up to its
/// first key's `:`, and on through that key's value when it is a string of at most 64 bytes
/// (`{"@odata.type":"#microsoft.graph.security.alert"`, which evidence objects do not start
/// with). `None` for a key or value with escapes.
fn record_head(bytes: &[u8], from: usize) -> Option<&[u8]> {
    let string_end = |open: usize, most: usize| {
        let rest = bytes.get(open + 1..)?;
        let close = open + 1 + memchr::memchr2(b'"', b'\\', &rest[..rest.len().min(most)])?;
        (bytes[close] == b'"').then_some(close + 1)
    };
    let key = blank(bytes, from + 1);
    if bytes.get(key) != Some(&b'"') {
        return None;
    }
    let colon = blank(bytes, string_end(key, 256)?);
    if bytes.get(colon) != Some(&b':') {
        return None;
    }
    let value = blank(bytes, colon + 1);
    let end = match bytes.get(value) {
        Some(b'"') => string_end(value, 64).unwrap_or(colon + 1),
        _ => colon + 1,
    };
    bytes.get(from..end)
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
pub fn read_records<R: BufRead, C: Send>(
    reader: R,
    typed: &Typed<C>,
    on_record: &mut dyn FnMut(JsonRecord<C>),
) -> Vec<JsonError> {
    read_records_within(reader, typed, on_record, CAPS)
}

fn read_records_within<R: BufRead, C: Send>(
    mut reader: R,
    typed: &Typed<C>,
    on_record: &mut dyn FnMut(JsonRecord<C>),
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
        read_lines(reader, typed, on_record, caps.line)
    } else {
        read_stream(reader, typed, on_record, caps.record)
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

fn read_lines<R: BufRead, C>(
    mut reader: R,
    typed_to: &Typed<C>,
    on_record: &mut dyn FnMut(JsonRecord<C>),
    max_line: usize,
) -> Vec<JsonError> {
    let mut errors = Vec::new();
    // Bytes, not a String: a line that is not valid UTF-8 is that line's problem, not the file's.
    let mut line: Vec<u8> = Vec::new();
    let mut line_number = 0usize;
    let mut index = 0usize;
    let mut typed = TypedPath::new();
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
        if typed.on {
            if let Some(alert) = typed.take(serde_json::from_slice(text), text) {
                index += 1;
                on_record(JsonRecord {
                    index,
                    location: format!("line {line_number}"),
                    value: Parsed::GraphAlert((typed_to.convert)(alert)),
                });
                continue;
            }
        }
        match serde_json::from_slice::<Value>(text) {
            Ok(value) => {
                for value in expand(value) {
                    index += 1;
                    on_record(JsonRecord {
                        index,
                        location: format!("line {line_number}"),
                        value: Parsed::Value(value),
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

/// Bytes read from a streamed file at a time: the progress bar moves in steps of this, and a
/// record that does not fit in what is held doubles the read.
const BLOCK: usize = 1 << 20;

/// What [`Blocks`] holds: text when it is all UTF-8 (checked once per read, in one pass), so
/// records are parsed from `str`, which serde_json does not validate again string by string;
/// bytes otherwise (a byte that is not UTF-8, or a character cut by the end of the block), parsed
/// from bytes as before, which reports what is wrong where.
enum Block {
    Text(String),
    Bytes(Vec<u8>),
}

impl Block {
    fn bytes(&self) -> &[u8] {
        match self {
            Block::Text(text) => text.as_bytes(),
            Block::Bytes(bytes) => bytes,
        }
    }

    fn into_vec(self) -> Vec<u8> {
        match self {
            Block::Text(text) => text.into_bytes(),
            Block::Bytes(bytes) => bytes,
        }
    }

    fn from_vec(bytes: Vec<u8>) -> Block {
        match String::from_utf8(bytes) {
            Ok(text) => Block::Text(text),
            Err(e) => Block::Bytes(e.into_bytes()),
        }
    }

    /// The first value from `start` (a JSON value of type `T`), and the index just after it.
    fn parse<'a, T: serde::Deserialize<'a>>(
        &'a self,
        start: usize,
    ) -> (Option<serde_json::Result<T>>, usize) {
        if let Block::Text(text) = self {
            if let Some(text) = text.get(start..) {
                let mut values = serde_json::Deserializer::from_str(text).into_iter::<T>();
                let parsed = values.next();
                return (parsed, start + values.byte_offset());
            }
        }
        let mut values =
            serde_json::Deserializer::from_slice(&self.bytes()[start..]).into_iter::<T>();
        let parsed = values.next();
        (parsed, start + values.byte_offset())
    }
}

/// A streamed JSON file held one block at a time. Each value is parsed straight from the block
/// ([`Block::parse`]: no byte-by-byte reader, no position bookkeeping); positions are worked out
/// from the block only when a problem is reported.
struct Blocks<'f, R, C> {
    reader: R,
    buf: Block,
    /// The next byte not yet read by the framing, in `buf`.
    pos: usize,
    eof: bool,
    /// Bytes dropped from the front of `buf` so far, and the line (1-based) and column (bytes
    /// since the last newline) at which `buf` starts.
    dropped: u64,
    line: u64,
    column: u64,
    /// Where the record being read started (a file offset): the budget is per record.
    record_start: u64,
    max_record: u64,
    /// Records handed over.
    index: usize,
    /// A read that failed: what was read before it is still framed, and the failure is reported
    /// where the framing then finds the file cut short.
    read_error: Option<String>,
    typed: TypedPath,
    typed_to: &'f Typed<'f, C>,
    /// Records of the block in hand parsed and converted ahead, in the file's order.
    ahead: VecDeque<Ahead<C>>,
    /// A file offset before which no batch is tried again (a block that gave none).
    no_batch_before: u64,
}

/// Why reading stopped or skipped a value.
enum Stop {
    /// Problems already written; the rest of the file cannot be framed.
    Done,
    /// A value that failed to parse but whose extent is known: skipped, reading goes on.
    Skipped,
}

impl<'f, R: Read, C: Send> Blocks<'f, R, C> {
    fn new(reader: R, max_record: u64, typed_to: &'f Typed<'f, C>) -> Self {
        Blocks {
            reader,
            buf: Block::Text(String::with_capacity(BLOCK)),
            pos: 0,
            eof: false,
            dropped: 0,
            line: 1,
            column: 0,
            record_start: 0,
            max_record,
            index: 0,
            read_error: None,
            typed: TypedPath::new(),
            typed_to,
            ahead: VecDeque::new(),
            no_batch_before: 0,
        }
    }

    fn offset(&self, at: usize) -> u64 {
        self.dropped + at as u64
    }

    /// Line and column (serde_json's sense: 1-based line, bytes into the line) of `buf[at]`.
    fn position(&self, at: usize) -> (u64, u64) {
        let head = &self.buf.bytes()[..at];
        let newlines = memchr::memchr_iter(b'\n', head).count() as u64;
        match memchr::memrchr(b'\n', head) {
            Some(last) => (self.line + newlines, (at - last - 1) as u64),
            None => (self.line, self.column + at as u64),
        }
    }

    /// Reads more: drops what is behind `keep`, then reads at least one block (or as much again
    /// as is held from `keep`, for a record larger than a block). Returns `keep`'s new index, or
    /// an error for a record over the budget or a failed read.
    fn more(&mut self, keep: usize) -> Result<usize, JsonError> {
        if self
            .offset(self.buf.bytes().len())
            .saturating_sub(self.record_start)
            > self.max_record
        {
            return Err(self.too_large());
        }
        let keep = keep.min(self.buf.bytes().len());
        let (line, column) = self.position(keep);
        let mut buf = std::mem::replace(&mut self.buf, Block::Bytes(Vec::new())).into_vec();
        buf.drain(..keep);
        self.dropped += keep as u64;
        self.line = line;
        self.column = column;
        self.pos -= keep.min(self.pos);
        let mut filled = buf.len();
        let want = filled + filled.max(BLOCK);
        buf.resize(want, 0);
        while filled < want {
            match self.reader.read(&mut buf[filled..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.eof = true;
                    self.read_error = Some(format!("read error: {e}"));
                    break;
                }
            }
        }
        buf.truncate(filled);
        self.buf = Block::from_vec(buf);
        Ok(0)
    }

    /// The next byte that is not blank space, without taking it; `None` at the end of the file.
    fn peek(&mut self) -> Result<Option<u8>, JsonError> {
        loop {
            while let Some(&b) = self.buf.bytes().get(self.pos) {
                if !b.is_ascii_whitespace() {
                    return Ok(Some(b));
                }
                self.pos += 1;
            }
            if self.eof {
                return Ok(None);
            }
            let pos = self.pos;
            self.more(pos)?;
        }
    }

    /// A problem at `buf[at]`.
    fn problem_at(&self, at: usize, message: String) -> JsonError {
        let (line, column) = self.position(at);
        JsonError {
            location: format!("line {line}, column {}", column + 1),
            message,
        }
    }

    /// The problem of a file found cut short: the failed read when there was one.
    fn cut_short(&self, problem: JsonError) -> JsonError {
        match &self.read_error {
            Some(message) => JsonError {
                location: format!("record {}", self.index + 1),
                message: message.clone(),
            },
            None => problem,
        }
    }

    /// [`Self::peek`], with a failure written to `errors` and reading stopped.
    fn next_byte(&mut self, errors: &mut Vec<JsonError>) -> Result<Option<u8>, Stop> {
        self.peek().map_err(|e| {
            errors.push(e);
            Stop::Done
        })
    }

    /// The file ends (or its read failed) at `buf[at]`, inside `what`: the problem is written and
    /// reading stops.
    fn ends_early(&self, at: usize, what: &str, errors: &mut Vec<JsonError>) -> Stop {
        errors.push(self.cut_short(self.problem_at(
            at,
            format!("the JSON ends too early (truncated file?): EOF while parsing {what}"),
        )));
        Stop::Done
    }

    /// The record in hand over the budget: the file is not read further.
    fn too_large(&self) -> JsonError {
        JsonError {
            location: format!("record {}", self.index + 1),
            message: format!(
                "the record is larger than {}: not an alert record; the rest of the file was not read",
                size_text(self.max_record)
            ),
        }
    }

    /// A parse error of the value that starts at `buf[start]`, placed in the file.
    fn parse_problem(&self, start: usize, e: &serde_json::Error) -> JsonError {
        let (line, column) = self.position(start);
        let (line, column) = if e.line() <= 1 {
            (line, column + e.column() as u64)
        } else {
            (line + e.line() as u64 - 1, e.column() as u64)
        };
        JsonError {
            location: format!("line {line}, column {column}"),
            message: describe(e),
        }
    }

    /// Parses the value at the current position (after blank space) and takes it.
    fn value(&mut self, errors: &mut Vec<JsonError>) -> Result<Value, Stop> {
        loop {
            let start = self.pos;
            let (parsed, end) = self.buf.parse::<Value>(start);
            let complete = self.eof || end < self.buf.bytes().len();
            match parsed {
                // A number at the end of the block may go on in the next one.
                Some(Ok(value)) if complete || !value.is_number() => {
                    if self.offset(end).saturating_sub(self.record_start) > self.max_record {
                        errors.push(self.too_large());
                        return Err(Stop::Done);
                    }
                    self.pos = end;
                    return Ok(value);
                }
                Some(Err(e)) if e.is_eof() && self.eof => {
                    errors.push(self.cut_short(self.parse_problem(start, &e)));
                    return Err(Stop::Done);
                }
                Some(Err(e)) if !e.is_eof() => {
                    errors.push(self.parse_problem(start, &e));
                    // Skip the broken value when its extent can be told, and go on after it.
                    return match self.extent(start) {
                        Ok(Some(end)) => {
                            self.pos = end;
                            Err(Stop::Skipped)
                        }
                        Ok(None) => {
                            if self.read_error.is_some() {
                                errors.push(self.cut_short(self.problem_at(start, String::new())));
                            }
                            Err(Stop::Done)
                        }
                        Err(more) => {
                            errors.push(more);
                            Err(Stop::Done)
                        }
                    };
                }
                _ if self.eof => return Err(self.ends_early(start, "a value", errors)),
                _ => {
                    if let Err(e) = self.more(start) {
                        errors.push(e);
                        return Err(Stop::Done);
                    }
                }
            }
        }
    }

    /// Hands over the element of a list at the current position: a Graph alert on the typed path
    /// when it takes it (its strings borrowed from the block), else [`Self::value`].
    fn element(
        &mut self,
        on_record: &mut dyn FnMut(JsonRecord<C>),
        errors: &mut Vec<JsonError>,
    ) -> Result<(), Stop> {
        if self.typed.on {
            if let Some((end, converted)) = self.taken_ahead() {
                // What the typed branch below does with an alert it takes.
                self.typed.taken += 1;
                if end.saturating_sub(self.record_start) > self.max_record {
                    errors.push(self.too_large());
                    return Err(Stop::Done);
                }
                self.pos = usize::try_from(end - self.dropped).unwrap_or(usize::MAX);
                self.index += 1;
                self.record_start = end;
                on_record(JsonRecord {
                    index: self.index,
                    location: format!("record {}", self.index),
                    value: Parsed::GraphAlert(converted),
                });
                return Ok(());
            }
        }
        while self.typed.on {
            let start = self.pos;
            let (parsed, end) = self.buf.parse::<TypedAlert>(start);
            let Some(result) = parsed else {
                break;
            };
            match result {
                Err(e) if e.is_eof() && !self.eof => {
                    if let Err(e) = self.more(start) {
                        errors.push(e);
                        return Err(Stop::Done);
                    }
                    continue;
                }
                result => {
                    let Some(alert) = self.typed.take(result, &self.buf.bytes()[start..end]) else {
                        break;
                    };
                    if self.offset(end).saturating_sub(self.record_start) > self.max_record {
                        errors.push(self.too_large());
                        return Err(Stop::Done);
                    }
                    // What `emit` does, field by field: the alert borrows the block.
                    self.pos = end;
                    self.index += 1;
                    self.record_start = self.offset(end);
                    on_record(JsonRecord {
                        index: self.index,
                        location: format!("record {}", self.index),
                        value: Parsed::GraphAlert((self.typed_to.convert)(alert)),
                    });
                    return Ok(());
                }
            }
        }
        let value = self.value(errors)?;
        self.emit(Parsed::Value(value), on_record);
        Ok(())
    }

    /// The record at the current position as a batch parsed and converted it, when the typed
    /// path took it there: its end (a file offset) and conversion. A batch is made from here
    /// when none is ahead for this record (what was ahead no longer fits after a record that was
    /// skipped). `None`: the record is read one by one, as without batches; those ahead of it
    /// stay.
    fn taken_ahead(&mut self) -> Option<(u64, C)> {
        let (here, index) = (self.offset(self.pos), self.index + 1);
        let fits = |ahead: &Ahead<C>| ahead.start == here && ahead.index == index;
        if !self.ahead.front().is_some_and(fits) {
            self.ahead.clear();
            self.look_ahead();
        }
        let ahead = self.ahead.pop_front().filter(fits)?;
        Some((ahead.end, ahead.converted?))
    }

    /// Parses and converts the records that the rest of the block holds, in two runs at once
    /// when the spread has two cores: one from here, one from where a record is guessed to start
    /// past the middle ([`split_guess`]). The second run counts only when the first ends right
    /// where it began. Nothing is made with one core (records are read one by one), and a block
    /// that gave no batch is not tried again until more is read.
    fn look_ahead(&mut self) {
        let from = self.pos;
        let bytes = self.buf.bytes();
        if !self.typed_to.spread.at_once()
            || self.offset(from) < self.no_batch_before
            || bytes.len().saturating_sub(from) < AHEAD_MIN
            || bytes.get(from) != Some(&b'{')
        {
            return;
        }
        let until = bytes.len().min(from + AHEAD_WINDOW);
        let Some(split) = split_guess(&bytes[..until], from) else {
            self.no_batch_before = self.offset(until);
            return;
        };
        let (buf, convert) = (&self.buf, self.typed_to.convert);
        let (mut first, mut second) = (None, None);
        self.typed_to.spread.join(
            &mut || first = Some(run_of(buf, from, split, convert)),
            &mut || second = Some(run_of(buf, split, until, convert)),
        );
        let Some((mut run, next)) = first else {
            return;
        };
        match second {
            Some((rest, _)) if next == Some(split) => run.extend(rest),
            _ => self.no_batch_before = self.offset(until),
        }
        let (dropped, index) = (self.dropped, self.index + 1);
        self.ahead = run
            .into_iter()
            .enumerate()
            .map(|(k, (start, end, converted))| Ahead {
                start: dropped + start as u64,
                end: dropped + end as u64,
                index: index + k,
                converted,
            })
            .collect();
    }

    /// Where the value starting at `buf[start]` ends, by its brackets and strings alone (for
    /// skipping a value that does not parse): `None` when the file ends first.
    fn extent(&mut self, mut start: usize) -> Result<Option<usize>, JsonError> {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        let mut i = start;
        loop {
            let Some(&b) = self.buf.bytes().get(i) else {
                if self.eof {
                    return Ok(None);
                }
                let at = i - start;
                start = self.more(start)?;
                self.pos = start;
                i = start + at;
                continue;
            };
            if in_string {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => {
                        in_string = false;
                        if depth == 0 {
                            return Ok(Some(i + 1));
                        }
                    }
                    _ => {}
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth == 0 => return Ok(Some(i)),
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Ok(Some(i + 1));
                        }
                    }
                    b',' if depth == 0 => return Ok(Some(i)),
                    _ if depth == 0 && b.is_ascii_whitespace() && i > start => return Ok(Some(i)),
                    _ => {}
                }
            }
            i += 1;
        }
    }

    /// Hands a record over.
    fn emit(&mut self, value: Parsed<C>, on_record: &mut dyn FnMut(JsonRecord<C>)) {
        self.index += 1;
        self.record_start = self.offset(self.pos);
        on_record(JsonRecord {
            index: self.index,
            location: format!("record {}", self.index),
            value,
        });
    }

    /// After an element of an array or a member of an object: `,` (more follow) or the closing
    /// bracket (the end). Anything else stops the file with a problem.
    fn separator(&mut self, close: u8, errors: &mut Vec<JsonError>) -> Result<bool, Stop> {
        let list = close == b']';
        match self.next_byte(errors)? {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b) if b == close => {
                self.pos += 1;
                Ok(false)
            }
            Some(_) => {
                let what = if list { "`,` or `]`" } else { "`,` or `}`" };
                errors.push(self.problem_at(self.pos, format!("malformed JSON: expected {what}")));
                Err(Stop::Done)
            }
            None => {
                let what = if list { "a list" } else { "an object" };
                Err(self.ends_early(self.pos, what, errors))
            }
        }
    }

    /// The elements of an array whose `[` was just taken, each handed over as a record.
    fn records(
        &mut self,
        on_record: &mut dyn FnMut(JsonRecord<C>),
        errors: &mut Vec<JsonError>,
    ) -> Result<(), Stop> {
        self.pos += 1;
        match self.next_byte(errors)? {
            Some(b']') => {
                self.pos += 1;
                return Ok(());
            }
            Some(_) => {}
            None => return Err(self.ends_early(self.pos, "a list", errors)),
        }
        // Each pass starts at a value: the first, or one after a `,` (checked below).
        loop {
            match self.element(on_record, errors) {
                Ok(()) => {}
                // One record that does not parse costs that record only.
                Err(Stop::Skipped) => self.record_start = self.offset(self.pos),
                Err(Stop::Done) => return Err(Stop::Done),
            }
            if !self.separator(b']', errors)? {
                return Ok(());
            }
            if self.next_byte(errors)?.is_none() {
                return Err(self.ends_early(self.pos, "a value", errors));
            }
        }
    }

    /// An object at the top of the file, whose `{` is next: a page (its `value` array streamed
    /// as records) or one record.
    fn object(
        &mut self,
        on_record: &mut dyn FnMut(JsonRecord<C>),
        errors: &mut Vec<JsonError>,
    ) -> Result<(), Stop> {
        self.pos += 1;
        let mut fields = Map::new();
        let mut was_page = false;
        let mut first = true;
        loop {
            match self.next_byte(errors)? {
                Some(b'}') if first => {
                    self.pos += 1;
                    break;
                }
                Some(b'"') => {}
                Some(_) => {
                    errors.push(
                        self.problem_at(
                            self.pos,
                            "malformed JSON: key must be a string".to_owned(),
                        ),
                    );
                    return Err(Stop::Done);
                }
                None => return Err(self.ends_early(self.pos, "an object", errors)),
            }
            first = false;
            let key = match self.value(errors) {
                Ok(Value::String(key)) => key,
                _ => return Err(Stop::Done),
            };
            if self.next_byte(errors)? != Some(b':') {
                errors.push(self.problem_at(self.pos, "malformed JSON: expected `:`".to_owned()));
                return Err(Stop::Done);
            }
            self.pos += 1;
            let next = self.next_byte(errors)?;
            if key == "value" && next == Some(b'[') {
                self.records(on_record, errors)?;
                was_page = true;
            } else {
                match self.value(errors) {
                    Ok(value) => {
                        fields.insert(key, value);
                    }
                    Err(_) => return Err(Stop::Done),
                }
            }
            if !self.separator(b'}', errors)? {
                break;
            }
        }
        if !was_page {
            self.emit(Parsed::Value(Value::Object(fields)), on_record);
        }
        Ok(())
    }
}

fn read_stream<R: Read, C: Send>(
    reader: R,
    typed: &Typed<C>,
    on_record: &mut dyn FnMut(JsonRecord<C>),
    max_record: u64,
) -> Vec<JsonError> {
    let mut blocks = Blocks::new(reader, max_record, typed);
    let mut errors = Vec::new();
    // One top-level value after another: pages, arrays, or single records.
    loop {
        let next = match blocks.peek() {
            Ok(next) => next,
            Err(e) => {
                errors.push(e);
                return errors;
            }
        };
        let read = match next {
            None => return errors,
            Some(b'[') => blocks.records(on_record, &mut errors),
            Some(b'{') => blocks.object(on_record, &mut errors),
            Some(_) => {
                let start = blocks.pos;
                // When it does not parse, its problem is written already.
                if let Ok(value) = blocks.value(&mut errors) {
                    let found = match value {
                        Value::String(_) => "a string",
                        Value::Number(_) => "a number",
                        Value::Bool(_) => "a boolean",
                        _ => "null",
                    };
                    errors.push(blocks.problem_at(
                        start,
                        format!("unexpected JSON content: expected a JSON object or array of records, found {found}"),
                    ));
                }
                Err(Stop::Done)
            }
        };
        // Records and objects stop the file on what they cannot frame; a skipped record was
        // skipped inside them.
        if read.is_err() {
            return errors;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::InTurn;

    fn no_alerts(_: TypedAlert<'_>) {}

    /// Records read as values: no Graph alert among them (reading one panics in `into_value`).
    const VALUES: Typed<'static, ()> = Typed {
        spread: &InTurn,
        convert: &no_alerts,
    };

    fn records(text: &str) -> (Vec<(String, Value)>, Vec<JsonError>) {
        let mut got = Vec::new();
        let errors = read_records(text.as_bytes(), &VALUES, &mut |r| {
            got.push((r.location, r.value.into_value()))
        });
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
        let errors = read_records(text.as_slice(), &VALUES, &mut |r| {
            got.push(r.value.into_value())
        });
        assert_eq!(
            ids(&got
                .into_iter()
                .map(|v| (String::new(), v))
                .collect::<Vec<_>>()),
            vec![1, 3]
        );
        assert_eq!(errors.len(), 1);
    }

    /// Blocks are parsed as text when they are all UTF-8 and as bytes otherwise: records whose
    /// characters are cut by a block's end, and a byte that is not UTF-8 in one record of a
    /// list, read the same either way (every record but the broken one, its problem placed).
    #[test]
    fn records_read_alike_from_text_and_byte_blocks() {
        let mut text = b"[\n".to_vec();
        let mut expected = Vec::new();
        let mut id = 0;
        // Over three blocks of records with two-, three- and four-byte characters, so block
        // ends fall inside characters.
        while text.len() < 3 * BLOCK + 1000 {
            id += 1;
            let record =
                serde_json::json!({"id": id, "t": format!("é日😀 {id} ünïcödé"), "n": 1.5});
            text.extend_from_slice(record.to_string().as_bytes());
            text.extend_from_slice(b",\n");
            expected.push(record);
        }
        // One record with a byte that is not UTF-8, in the fourth block.
        let broken_at = text.len();
        text.extend_from_slice(b"{\"id\":\"");
        text.extend_from_slice(&[0xff]);
        text.extend_from_slice(b"\"},\n");
        for _ in 0..2000 {
            id += 1;
            let record = serde_json::json!({"id": id, "t": "日本語のテキスト"});
            text.extend_from_slice(record.to_string().as_bytes());
            text.extend_from_slice(b",\n");
            expected.push(record);
        }
        text.truncate(text.len() - 2);
        text.extend_from_slice(b"\n]");
        let mut got = Vec::new();
        let errors = read_records(text.as_slice(), &VALUES, &mut |r| {
            got.push(r.value.into_value())
        });
        assert_eq!(got.len(), expected.len());
        assert!(got == expected, "records differ");
        assert_eq!(errors.len(), 1, "{errors:?}");
        let line = text[..broken_at].iter().filter(|&&b| b == b'\n').count() + 1;
        assert!(
            errors[0]
                .location
                .starts_with(&format!("line {line}, column ")),
            "{errors:?}"
        );
    }

    /// Batched for two cores, a list of Graph alerts over several blocks reads as one record at a
    /// time does, and each alert is parsed and converted once (a batch's work is used, not redone).
    #[test]
    fn batches_for_two_cores_convert_each_alert_once_in_order() {
        use crate::spread::tests::Backwards;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let alert = |i: usize| {
            serde_json::json!({
                "@odata.type": "#microsoft.graph.security.alert",
                "id": format!("da{i}"),
                "title": "x".repeat(200 + i % 300),
                "firstActivityDateTime": "2024-03-01T10:00:00Z",
            })
            .to_string()
        };
        let alerts: Vec<String> = (0..12_000).map(alert).collect();
        let text = format!("{{\"value\":[{}]}}", alerts.join(",\n  "));
        assert!(text.len() > 3 * BLOCK);
        let read = |spread: &dyn Spread| {
            let converted = AtomicUsize::new(0);
            let provenance = || crate::model::Provenance {
                file: crate::model::Sym::new("f"),
                location: String::new(),
            };
            let convert = |a: TypedAlert<'_>| {
                converted.fetch_add(1, Ordering::Relaxed);
                super::super::graph_alerts::convert_typed(a, provenance())
                    .map(|raw| raw.alert.alert_id.as_str().to_owned())
            };
            let typed = Typed {
                spread,
                convert: &convert,
            };
            let mut got = Vec::new();
            let errors = read_records(text.as_bytes(), &typed, &mut |r| match r.value {
                Parsed::GraphAlert(id) => got.push((r.index, r.location, id)),
                Parsed::Value(_) => panic!("every record is a Graph alert"),
            });
            assert!(errors.is_empty(), "{errors:?}");
            (got, converted.load(Ordering::Relaxed))
        };
        let (one_by_one, _) = read(&InTurn);
        let (batched, conversions) = read(&Backwards);
        assert_eq!(one_by_one.len(), 12_000);
        assert!(one_by_one == batched);
        assert_eq!(conversions, 12_000, "each alert converted once");
        assert_eq!(batched[11_999].1, "record 12000");
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
        let errors = read_records_within(
            text,
            &VALUES,
            &mut |r| got.push((r.location, r.value.into_value())),
            caps,
        );
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
        let errors = read_records(std::io::BufReader::new(FailsAfter(0)), &VALUES, &mut |r| {
            got.push((r.location, r.value.into_value()))
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

    /// A reader that hands over `step` bytes at a time: every block boundary the framing meets.
    struct Trickle<'a> {
        text: &'a [u8],
        step: usize,
    }
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.text.len());
            buf[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            Ok(n)
        }
    }

    #[test]
    fn records_across_block_boundaries_read_whole() {
        // Records larger than a block, numbers and strings cut anywhere, pages one after another.
        let big = "y".repeat(BLOCK + 17);
        let text = format!(
            "{{\"value\":[{{\"id\":1,\"n\":12345678901}},\n{{\"id\":2,\"pad\":\"{big}\"}},{{\"id\":3,\"e\":\"a\\\"b\\\\\"}}]}}\n[{{\"id\":4}}, {{\"id\":5,\"x\":[1,2.5,-3e2]}}]"
        );
        for step in [1, 7, 4096, BLOCK - 3, usize::MAX] {
            let mut got = Vec::new();
            let errors = read_stream(
                Trickle {
                    text: text.as_bytes(),
                    step,
                },
                &VALUES,
                &mut |r| got.push((r.location, r.value.into_value())),
                MAX_RECORD_BYTES,
            );
            assert!(errors.is_empty(), "step {step}: {errors:?}");
            assert_eq!(ids(&got), vec![1, 2, 3, 4, 5], "step {step}");
            assert_eq!(got[0].1["n"], 12345678901i64);
            assert_eq!(got[1].1["pad"].as_str().map(str::len), Some(big.len()));
            assert_eq!(got[2].1["e"], "a\"b\\");
            assert_eq!(got[4].0, "record 5");
        }
    }

    #[test]
    fn a_record_that_does_not_parse_costs_that_record_only() {
        // A lone surrogate escape, a bad literal, a missing value: each loses its own record.
        let text = "[\n{\"id\":1},\n{\"id\":2,\"t\":\"\\ud800\"},\n{\"id\":3,\"b\":tru},\n{\"id\":4,\"c\":}, {\"id\":5}\n]";
        let (got, errors) = records(text);
        assert_eq!(ids(&got), vec![1, 5]);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].location.starts_with("line 3, column"),
            "{errors:?}"
        );
        assert!(errors[0].message.contains("escape"), "{errors:?}");
        assert!(
            errors[1].location.starts_with("line 4, column"),
            "{errors:?}"
        );
        assert!(
            errors[2].location.starts_with("line 5, column"),
            "{errors:?}"
        );
        // The records after a broken one in a page keep their numbers in the file.
        assert_eq!(got[1].0, "record 2");
    }

    #[test]
    fn broken_structure_between_records_stops_with_its_position() {
        let (got, errors) = records("[{\"id\":1}\n {\"id\":2}]");
        assert_eq!(ids(&got), vec![1]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].location, "line 2, column 2");
        assert!(
            errors[0].message.contains("expected `,` or `]`"),
            "{errors:?}"
        );
        let (got, errors) = records("{\n\"id\":1}\n\"just a string\"");
        assert_eq!(ids(&got), vec![1]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].location, "line 3, column 1");
        assert!(errors[0].message.contains("found a string"), "{errors:?}");
        // Cut off after an opening bracket, after a comma, inside a page's keys.
        for (text, what) in [
            ("[\n", "EOF while parsing a list"),
            ("{\n\"value\": [{\"id\":1},", "EOF while parsing a value"),
            ("{\n\"a\": 1,", "EOF while parsing an object"),
        ] {
            let (_, errors) = records(text);
            assert_eq!(errors.len(), 1, "{text:?}: {errors:?}");
            assert!(errors[0].message.contains(what), "{text:?}: {errors:?}");
        }
    }
}
