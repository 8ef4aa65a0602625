//! Containers: zip archives (folders inside included) and gzip files, opened as streams.
//!
//! [`ingest`] is the entry point for any input file: it looks at the first bytes, and either
//! reads the file as an export or opens the container and reads each member as an export of its
//! own, named `archive.zip/folder/member.json`. Zip members are read in archive order straight
//! from the stream (no seeking, nothing held whole), gzip is decompressed as it is read, and
//! containers may nest a few levels. Each member's report names the container and its SHA-256.
//!
//! Every member (zip entry or gzip stream) is read through a [`BombGuard`]: past
//! [`BOMB_FLOOR_BYTES`] decompressed, a member that has expanded more than [`BOMB_RATIO`] times
//! its compressed bytes is stopped with a read error, which the export reader reports as the
//! file's problem, keeping the records read before it.

use super::{ingest_file, ingest_file_hashing, FileHash, FileIngest, Progress};
use crate::model::Problem;
use crate::spread::{InTurn, Spread};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Cursor, Read, Seek, SeekFrom};

/// The archive a member came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerInfo {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
}

/// How deep containers may nest (a zip in a gzip in a zip...).
const MAX_DEPTH: usize = 3;

/// Decompressed bytes any member may produce whatever its ratio: 256 MiB. Below this a highly
/// compressible member (a small export padded with whitespace) costs little time and no memory,
/// as members are streamed; a bomb needs far more to hurt.
const BOMB_FLOOR_BYTES: u64 = 256 << 20;

/// Past the floor, the most a member may have expanded relative to its compressed bytes: 200:1.
/// JSON and CSV exports compress 5–30× (very repetitive tables perhaps 50×); deflate's own
/// ceiling is about 1030:1, which only runs of one byte reach. Bombs sit near that ceiling.
const BOMB_RATIO: u64 = 200;

/// Marks the guard's message, so the gzip note on damaged streams is not added to it.
const BOMB_WORDS: &str = "looks like a decompression bomb";

/// The bomb guard's thresholds (smaller in tests).
#[derive(Debug, Clone, Copy)]
struct BombLimits {
    floor: u64,
    ratio: u64,
}

const BOMB_LIMITS: BombLimits = BombLimits {
    floor: BOMB_FLOOR_BYTES,
    ratio: BOMB_RATIO,
};

/// Reads one input file, opening zip and gzip containers; one result per export read.
pub fn ingest(
    name: &str,
    mut reader: impl Read,
    progress: &mut dyn FnMut(Progress),
) -> Vec<FileIngest> {
    ingest_at_depth(name, &mut reader, progress, 0, BOMB_LIMITS, &InTurn)
}

/// Like [`ingest`], for inputs that can seek (a file on disk, a `File` in the browser): a zip is
/// then read through its central directory, which also opens archives written by streaming
/// zippers (sizes after the data), where reading from the front cannot.
pub fn ingest_seekable<R: Read + Seek>(
    name: &str,
    reader: R,
    progress: &mut dyn FnMut(Progress),
) -> Vec<FileIngest> {
    ingest_seekable_hashing(name, reader, progress, FileHash::AsRead, &InTurn)
}

/// [`ingest_seekable`], with a file that is not a container hashed as `hashing` says, and
/// records converted on the cores `spread` has.
pub fn ingest_seekable_hashing<R: Read + Seek>(
    name: &str,
    reader: R,
    progress: &mut dyn FnMut(Progress),
    hashing: FileHash,
    spread: &dyn Spread,
) -> Vec<FileIngest> {
    ingest_seekable_within(name, reader, progress, BOMB_LIMITS, hashing, spread)
}

fn ingest_seekable_within<R: Read + Seek>(
    name: &str,
    mut reader: R,
    progress: &mut dyn FnMut(Progress),
    limits: BombLimits,
    hashing: FileHash,
    spread: &dyn Spread,
) -> Vec<FileIngest> {
    let mut magic = [0u8; 4];
    let n = read_up_to(&mut reader, &mut magic);
    let is_zip = magic[..n].starts_with(b"PK\x03\x04") || magic[..n].starts_with(b"PK\x05\x06");
    if reader.seek(SeekFrom::Start(0)).is_err() {
        return vec![failed(
            name,
            "the file could not be read from its start again",
        )];
    }
    if !is_zip {
        return ingest_nested(name, &mut reader, progress, 0, limits, hashing, spread);
    }
    // The container's own hash: one pass over the archive.
    let mut hashed = Hashing {
        inner: &mut reader,
        hasher: Sha256::new(),
        bytes: 0,
    };
    let _ = std::io::copy(&mut hashed, &mut std::io::sink());
    let info = ContainerInfo {
        name: name.to_owned(),
        sha256: hex::encode(hashed.hasher.finalize()),
        bytes: hashed.bytes,
    };
    if reader.seek(SeekFrom::Start(0)).is_err() {
        return vec![failed(
            name,
            "the file could not be read from its start again",
        )];
    }
    let mut archive = match zip::ZipArchive::new(reader) {
        Ok(archive) => archive,
        // No central directory (a cut-off download): read what the front of the file holds.
        Err(_) => {
            return vec![failed(
                name,
                "the zip archive has no readable directory (cut off?); re-export or re-download it",
            )]
            .into_iter()
            .map(|mut f| {
                f.report.container = Some(info.clone());
                f
            })
            .collect()
        }
    };
    let mut members = Vec::new();
    for index in 0..archive.len() {
        match archive.by_index(index) {
            Ok(mut entry) => {
                let Some(entry_name) = member_path(&entry) else {
                    continue;
                };
                let compressed = entry.compressed_size();
                let mut guarded = BombGuard::new(&mut entry, move |_| compressed, limits);
                members.extend(ingest_at_depth(
                    &format!("{name}/{entry_name}"),
                    &mut guarded,
                    progress,
                    1,
                    limits,
                    spread,
                ));
            }
            Err(e) => members.push(failed(
                name,
                &format!(
                    "member {} of the zip archive could not be read: {e}",
                    index + 1
                ),
            )),
        }
    }
    if members.is_empty() {
        members.push(failed(name, "the archive holds no files"));
    }
    for member in &mut members {
        member.report.container.get_or_insert_with(|| info.clone());
    }
    members
}

// Readers nest (a gzip decoder over a zip member over the file), so this takes `dyn Read`: one
// function body for any depth.
fn ingest_at_depth(
    name: &str,
    reader: &mut dyn Read,
    progress: &mut dyn FnMut(Progress),
    depth: usize,
    limits: BombLimits,
    spread: &dyn Spread,
) -> Vec<FileIngest> {
    ingest_nested(
        name,
        reader,
        progress,
        depth,
        limits,
        FileHash::AsRead,
        spread,
    )
}

/// [`ingest_at_depth`], with a file that is not a container hashed as `hashing` says (the
/// input itself; what a container holds is always hashed as read).
fn ingest_nested(
    name: &str,
    reader: &mut dyn Read,
    progress: &mut dyn FnMut(Progress),
    depth: usize,
    limits: BombLimits,
    hashing: FileHash,
    spread: &dyn Spread,
) -> Vec<FileIngest> {
    let mut magic = [0u8; 4];
    let n = read_up_to(reader, &mut magic);
    let head = &magic[..n];
    let whole = Cursor::new(head.to_vec()).chain(reader);
    let kind = if head.starts_with(&[0x1f, 0x8b]) {
        Some(Kind::Gzip)
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Some(Kind::Zip)
    } else {
        None
    };
    match kind {
        None => vec![ingest_file_hashing(name, whole, progress, hashing, spread)],
        Some(_) if depth >= MAX_DEPTH => vec![failed(
            name,
            "containers nest too deeply (a zip in a zip in a zip...); extract the inner files",
        )],
        Some(kind) => {
            let mut hashed = Hashing {
                inner: whole,
                hasher: Sha256::new(),
                bytes: 0,
            };
            let mut members = match kind {
                Kind::Gzip => {
                    let inner_name = name
                        .strip_suffix(".gz")
                        .or(name.strip_suffix(".gzip"))
                        .unwrap_or(name);
                    // The compressed bytes consumed so far are the ones hashed under the decoder
                    // (it reads ahead by its buffer, which only makes the ratio look smaller).
                    let decoder = flate2::read::MultiGzDecoder::new(&mut hashed);
                    let mut guarded = BombGuard::new(decoder, |d| d.get_ref().bytes, limits);
                    let mut members = ingest_at_depth(
                        &format!("{name}/{}", base_name(inner_name)),
                        &mut guarded,
                        progress,
                        depth + 1,
                        limits,
                        spread,
                    );
                    // A decompression error shows as a read error of the member; name the cause.
                    for member in &mut members {
                        for problem in &mut member.problems {
                            if (problem.message.contains("could not read")
                                || problem.message.contains("corrupt"))
                                && !problem.message.contains(BOMB_WORDS)
                            {
                                problem
                                    .message
                                    .push_str(" (the gzip stream is damaged or cut short)");
                            }
                        }
                    }
                    members
                }
                Kind::Zip => read_zip(name, &mut hashed, progress, depth, limits, spread),
            };
            // Hash the rest of the container (central directory, padding) for its SHA-256.
            let _ = std::io::copy(&mut hashed, &mut std::io::sink());
            let info = ContainerInfo {
                name: name.to_owned(),
                sha256: hex::encode(hashed.hasher.finalize()),
                bytes: hashed.bytes,
            };
            for member in &mut members {
                member.report.container.get_or_insert_with(|| info.clone());
            }
            if members.is_empty() {
                let mut empty = failed(name, "the archive holds no files");
                empty.report.container = Some(info);
                members.push(empty);
            }
            members
        }
    }
}

enum Kind {
    Gzip,
    Zip,
}

fn read_zip(
    name: &str,
    mut reader: &mut dyn Read,
    progress: &mut dyn FnMut(Progress),
    depth: usize,
    limits: BombLimits,
    spread: &dyn Spread,
) -> Vec<FileIngest> {
    let reader = &mut reader;
    let mut members = Vec::new();
    loop {
        match zip::read::read_zipfile_from_stream(reader) {
            Ok(None) => break,
            Ok(Some(mut entry)) => {
                let Some(entry_name) = member_path(&entry) else {
                    continue;
                };
                let member_name = format!("{name}/{entry_name}");
                // The local header gives the compressed size (entries whose sizes follow the
                // data are refused by the stream reader, so it is never a placeholder 0).
                let compressed = entry.compressed_size();
                let mut guarded = BombGuard::new(&mut entry, move |_| compressed, limits);
                members.extend(ingest_at_depth(
                    &member_name,
                    &mut guarded,
                    progress,
                    depth + 1,
                    limits,
                    spread,
                ));
            }
            Err(e) => {
                members.push(failed(name, &format!("the zip archive could not be read further: {e}; the members before this point were loaded")));
                break;
            }
        }
    }
    members
}

/// The path of a member worth reading: folders and macOS resource forks are skipped. A name
/// that is not valid text keeps the archive usable: it is shown lossily.
fn member_path<R: Read>(entry: &zip::read::ZipFile<'_, R>) -> Option<String> {
    let path = match entry.name() {
        Ok(n) => n.into_owned(),
        Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
    };
    let skipped =
        entry.is_dir() || path.starts_with("__MACOSX/") || base_name(&path).starts_with("._");
    (!skipped).then_some(path)
}

fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A report for an input that yields no export, with one problem saying why.
fn failed(name: &str, message: &str) -> FileIngest {
    let mut ingest = ingest_file(name, std::io::empty(), &mut |_| {});
    ingest.problems = vec![Problem {
        file: name.to_owned(),
        location: String::new(),
        message: message.to_owned(),
        count: 1,
    }];
    ingest.report.problems = 1;
    ingest.report.sha256.clear();
    ingest
}

fn read_up_to(reader: &mut dyn Read, buf: &mut [u8]) -> usize {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    filled
}

/// Stops a decompressing reader once it has produced more than `limits.floor` bytes and more
/// than `limits.ratio` times the compressed bytes behind them (`compressed`, asked of the inner
/// reader). The read that crosses the line is delivered; every read after it fails with the
/// same `InvalidData` error, so whichever reader is above sees it, however it buffers.
struct BombGuard<R, F> {
    inner: R,
    compressed: F,
    decompressed: u64,
    limits: BombLimits,
    stopped: Option<String>,
}

impl<R: Read, F: Fn(&R) -> u64> BombGuard<R, F> {
    fn new(inner: R, compressed: F, limits: BombLimits) -> Self {
        BombGuard {
            inner,
            compressed,
            decompressed: 0,
            limits,
            stopped: None,
        }
    }
}

impl<R: Read, F: Fn(&R) -> u64> Read for BombGuard<R, F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(message) = &self.stopped {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                message.clone(),
            ));
        }
        let n = self.inner.read(buf)?;
        self.decompressed += n as u64;
        let compressed = (self.compressed)(&self.inner);
        if self.decompressed > self.limits.floor
            && self.decompressed > compressed.saturating_mul(self.limits.ratio)
        {
            self.stopped = Some(format!(
                "stopped after {} MB decompressed from {} KB: the ratio ({}:1) {BOMB_WORDS}, not an export",
                self.decompressed >> 20,
                compressed.div_ceil(1024),
                self.decompressed / compressed.max(1),
            ));
        }
        Ok(n)
    }
}

/// The SHA-256 of everything `reader` gives, in hex (read in 1 MB blocks).
pub fn sha256_hex(reader: impl Read) -> std::io::Result<String> {
    let mut hashed = Hashing {
        inner: std::io::BufReader::with_capacity(1 << 20, reader),
        hasher: Sha256::new(),
        bytes: 0,
    };
    std::io::copy(&mut hashed, &mut std::io::sink())?;
    Ok(hex::encode(hashed.hasher.finalize()))
}

struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const ALERT: &str = r#"{"id":"a1","providerAlertId":"a1","createdDateTime":"2026-09-01T08:00:00Z","title":"t"}"#;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut writer = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, content) in files {
                writer.start_file(*name, options).expect("zip entry");
                writer.write_all(content).expect("zip write");
            }
            writer.finish().expect("zip finish");
        }
        out.into_inner()
    }

    fn gzip_of(content: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(content).expect("gzip write");
        encoder.finish().expect("gzip finish")
    }

    #[test]
    fn zip_members_in_folders_and_gzip_are_read_with_container_hashes() {
        let gz = gzip_of(ALERT.as_bytes());
        let archive = zip_of(&[
            ("exports/page1.json", ALERT.as_bytes()),
            ("exports/page2.json.gz", &gz),
            ("readme.txt", b"hello"),
        ]);
        let out = ingest("bundle.zip", archive.as_slice(), &mut |_| {});
        let names: Vec<&str> = out.iter().map(|f| f.report.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "bundle.zip/exports/page1.json",
                "bundle.zip/exports/page2.json.gz/page2.json",
                "bundle.zip/readme.txt"
            ]
        );
        assert_eq!(out[0].alerts.len(), 1);
        assert_eq!(out[1].alerts.len(), 1);
        assert_eq!(
            out[2].problems.len(),
            1,
            "the text file is reported, not fatal"
        );
        let container = out[0].report.container.as_ref().expect("container info");
        assert_eq!(container.sha256, hex::encode(Sha256::digest(&archive)));
        assert_eq!(container.bytes, archive.len() as u64);
        assert_eq!(
            out[1].report.container.as_ref().map(|c| c.name.as_str()),
            Some("bundle.zip/exports/page2.json.gz")
        );
    }

    #[test]
    fn a_cut_off_zip_keeps_the_members_before_the_cut() {
        let archive = zip_of(&[
            ("one.json", ALERT.as_bytes()),
            ("two.json", ALERT.as_bytes()),
        ]);
        let cut = &archive[..archive.len() / 2 + 20];
        let out = ingest("cut.zip", cut, &mut |_| {});
        assert!(
            out.iter().any(|f| f.alerts.len() == 1),
            "the first member still loads"
        );
        assert!(
            out.iter()
                .flat_map(|f| &f.problems)
                .any(|p| p.file.starts_with("cut.zip")),
            "the damage is reported"
        );
    }

    /// Regressions found in review: every input goes through `ingest`, which must not change how
    /// a plain file is read (NDJSON recovery, empty pages, leading blank lines, BOM + CRLF).
    #[test]
    fn plain_files_read_through_ingest_as_they_do_directly() {
        let broken_ndjson = format!("{ALERT}\n{{\"id\": \"x\",\n{}\n", ALERT.replace("a1", "a3"));
        let out = ingest("n.json", broken_ndjson.as_bytes(), &mut |_| {});
        assert_eq!(
            out[0].alerts.len(),
            2,
            "the lines after a broken one still load"
        );
        let empty_page = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2","value":[]}"#;
        let out = ingest("e.json", empty_page.as_bytes(), &mut |_| {});
        assert!(out[0].problems.is_empty(), "{:?}", out[0].problems);
        assert_eq!(
            out[0].report.format,
            Some(super::super::Format::GraphAlertsV2)
        );
        for prefix in ["    \n\n", "\u{feff}\r\n"] {
            let out = ingest("p.json", format!("{prefix}{ALERT}").as_bytes(), &mut |_| {});
            assert_eq!(out[0].alerts.len(), 1, "{prefix:?}: {:?}", out[0].problems);
        }
    }

    /// Review finding: zips written by streaming zippers (sizes after the data) load when the
    /// input can seek.
    #[test]
    fn streamed_zips_with_data_descriptors_load_through_the_central_directory() {
        // A zip written to a non-seekable sink uses data descriptors (general-purpose flag bit 3).
        struct NoSeek(Vec<u8>);
        impl std::io::Write for NoSeek {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut writer = zip::ZipWriter::new_stream(NoSeek(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        writer.start_file("alerts.json", options).expect("entry");
        writer.write_all(ALERT.as_bytes()).expect("write");
        let bytes = writer.finish().expect("finish").into_inner().0;
        let out = ingest_seekable("streamed.zip", Cursor::new(bytes.clone()), &mut |_| {});
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].alerts.len(), 1, "{:?}", out[0].problems);
        assert_eq!(
            out[0].report.container.as_ref().map(|c| c.sha256.clone()),
            Some(hex::encode(Sha256::digest(&bytes)))
        );
    }

    /// A file read as it is takes the digest its caller computed beside the ingest (called
    /// once); a container and its members are hashed as read, whatever the caller says.
    #[test]
    fn a_plain_file_takes_the_callers_digest_and_containers_their_own() {
        let mut calls = 0;
        let mut given = || {
            calls += 1;
            "digest from the caller".to_owned()
        };
        let out = ingest_seekable_hashing(
            "a.json",
            Cursor::new(ALERT.as_bytes()),
            &mut |_| {},
            FileHash::Given(&mut given),
            &InTurn,
        );
        assert_eq!(out[0].report.sha256, "digest from the caller");
        assert_eq!(out[0].alerts.len(), 1);
        assert_eq!(calls, 1);
        let as_read = ingest_seekable("a.json", Cursor::new(ALERT.as_bytes()), &mut |_| {});
        assert_eq!(
            as_read[0].report.sha256,
            hex::encode(Sha256::digest(ALERT.as_bytes()))
        );
        assert_eq!(
            sha256_hex(ALERT.as_bytes()).expect("reads"),
            as_read[0].report.sha256
        );

        let zip = zip_of(&[("inner.json", ALERT.as_bytes())]);
        let mut never = || -> String { panic!("a container is hashed as read") };
        let out = ingest_seekable_hashing(
            "outer.zip",
            Cursor::new(zip.clone()),
            &mut |_| {},
            FileHash::Given(&mut never),
            &InTurn,
        );
        assert_eq!(out[0].report.sha256, as_read[0].report.sha256);
        assert_eq!(
            out[0].report.container.as_ref().map(|c| c.sha256.clone()),
            Some(hex::encode(Sha256::digest(&zip)))
        );
    }

    /// Small thresholds, so the tests decompress a few MB, not hundreds.
    const TEST_LIMITS: BombLimits = BombLimits {
        floor: 1 << 20,
        ratio: 200,
    };

    /// One alert line, then `spaces` bytes of blank space (compresses about 1000:1).
    fn alert_then_spaces(spaces: usize) -> Vec<u8> {
        let mut content = format!("{ALERT}\n").into_bytes();
        content.resize(content.len() + spaces, b' ');
        content
    }

    fn bomb_problem(member: &FileIngest) -> Option<&Problem> {
        member
            .problems
            .iter()
            .find(|p| p.message.contains("decompression bomb"))
    }

    #[test]
    fn a_gzip_bomb_is_stopped_keeping_what_came_before() {
        let total = 24 << 20;
        let gz = gzip_of(&alert_then_spaces(total));
        let out = ingest_at_depth(
            "bomb.json.gz",
            &mut gz.as_slice(),
            &mut |_| {},
            0,
            TEST_LIMITS,
            &InTurn,
        );
        assert_eq!(out.len(), 1);
        let member = &out[0];
        assert_eq!(member.report.name, "bomb.json.gz/bomb.json");
        assert_eq!(member.alerts.len(), 1, "the alert before the stop is kept");
        let problem = bomb_problem(member).expect("the bomb is reported");
        assert!(
            problem
                .message
                .starts_with("could not read the line: stopped after ")
                && problem.message.contains(" MB decompressed from ")
                && problem
                    .message
                    .contains(":1) looks like a decompression bomb, not an export"),
            "{problem:?}"
        );
        assert!(
            !problem.message.contains("damaged"),
            "not called a damaged stream: {problem:?}"
        );
        assert_eq!(member.problems.len(), 1, "{:?}", member.problems);
        // Stopped past the floor and well before the end (the decoder reads the whole ~24 KB
        // compressed stream at once, so it stops near 200 × 24 KB).
        assert!(member.report.bytes > TEST_LIMITS.floor);
        assert!(
            member.report.bytes < (total / 3) as u64,
            "{}",
            member.report.bytes
        );
        assert_eq!(
            member.report.container.as_ref().map(|c| c.bytes),
            Some(gz.len() as u64),
            "the container is still hashed whole"
        );
    }

    #[test]
    fn a_zip_bomb_member_is_stopped_and_the_next_members_load() {
        let bomb = alert_then_spaces(24 << 20);
        let archive = zip_of(&[
            ("bomb.json", &bomb),
            ("inner.json.gz", &gzip_of(&bomb)),
            ("after.json", ALERT.as_bytes()),
        ]);
        let streamed = ingest_at_depth(
            "b.zip",
            &mut archive.as_slice(),
            &mut |_| {},
            0,
            TEST_LIMITS,
            &InTurn,
        );
        let seeked = ingest_seekable_within(
            "b.zip",
            Cursor::new(archive.clone()),
            &mut |_| {},
            TEST_LIMITS,
            FileHash::AsRead,
            &InTurn,
        );
        for out in [streamed, seeked] {
            let names: Vec<&str> = out.iter().map(|f| f.report.name.as_str()).collect();
            assert_eq!(
                names,
                vec![
                    "b.zip/bomb.json",
                    "b.zip/inner.json.gz/inner.json",
                    "b.zip/after.json"
                ]
            );
            for bombed in &out[..2] {
                assert_eq!(bombed.alerts.len(), 1, "{}", bombed.report.name);
                assert!(bomb_problem(bombed).is_some(), "{:?}", bombed.problems);
                assert!(bombed.report.bytes < 8 << 20, "{}", bombed.report.bytes);
            }
            assert_eq!(out[2].alerts.len(), 1);
            assert!(out[2].problems.is_empty(), "{:?}", out[2].problems);
        }
    }

    #[test]
    fn members_under_the_floor_or_the_ratio_load_whole() {
        // Just under the floor, at a bomb's ratio.
        let content = alert_then_spaces((1 << 20) - ALERT.len() - 2);
        assert!(content.len() as u64 <= TEST_LIMITS.floor);
        let archive = zip_of(&[("padded.json", &content)]);
        for (name, bytes) in [
            ("padded.json.gz", gzip_of(&content)),
            ("padded.zip", archive),
        ] {
            let out = ingest_at_depth(
                name,
                &mut bytes.as_slice(),
                &mut |_| {},
                0,
                TEST_LIMITS,
                &InTurn,
            );
            assert_eq!(out[0].alerts.len(), 1, "{name}");
            assert!(out[0].problems.is_empty(), "{name}: {:?}", out[0].problems);
            assert_eq!(out[0].report.bytes, content.len() as u64, "{name}");
        }
        // Far past the floor, at an export's ratio.
        let mut ndjson = String::new();
        let mut n = 0;
        while ndjson.len() < 4 << 20 {
            n += 1;
            ndjson.push_str(&format!(
                r#"{{"id":"a{n}","providerAlertId":"p{}","createdDateTime":"2026-09-01T08:{:02}:{:02}Z","title":"Suspicious activity {} on host-{}"}}"#,
                n * 7919 % 100_003,
                n / 60 % 60,
                n % 60,
                n * 31 % 977,
                n * 13 % 4099,
            ));
            ndjson.push('\n');
        }
        let gz = gzip_of(ndjson.as_bytes());
        assert!(
            ndjson.len() / gz.len() < 200,
            "ratio {}",
            ndjson.len() / gz.len()
        );
        let out = ingest_at_depth(
            "big.json.gz",
            &mut gz.as_slice(),
            &mut |_| {},
            0,
            TEST_LIMITS,
            &InTurn,
        );
        assert_eq!(out[0].alerts.len(), n);
        assert!(out[0].problems.is_empty(), "{:?}", out[0].problems);
    }

    /// The real thresholds, through the guard alone: a source of zeros that claims a compressed
    /// size (cheap, so hundreds of MB take no time).
    #[test]
    fn the_real_thresholds_stop_past_256_mib_at_more_than_200_to_1() {
        struct Zeros {
            produced: u64,
            ratio: u64,
        }
        impl Read for Zeros {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                buf.fill(0);
                self.produced += buf.len() as u64;
                Ok(buf.len())
            }
        }
        let read_up_to = |ratio: u64, total: u64| -> Result<u64, std::io::Error> {
            let source = Zeros { produced: 0, ratio };
            let mut guard = BombGuard::new(source, |z| z.produced / z.ratio, BOMB_LIMITS);
            let mut buf = vec![0u8; 1 << 20];
            let mut read = 0u64;
            while read < total {
                read += guard.read(&mut buf)? as u64;
            }
            Ok(read)
        };
        let err = read_up_to(1000, 1 << 30).expect_err("a bomb is stopped");
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        let message = err.to_string();
        assert!(
            message
                .starts_with("stopped after 257 MB decompressed from 264 KB: the ratio (1000:1)"),
            "{message}"
        );
        // An export at 150:1 goes on past the floor.
        assert_eq!(read_up_to(150, 400 << 20).ok(), Some(400 << 20));
        // Under the floor, any ratio.
        assert_eq!(read_up_to(5000, 256 << 20).ok(), Some(256 << 20));
    }

    #[test]
    fn a_plain_file_is_not_a_container() {
        let out = ingest("plain.json", ALERT.as_bytes(), &mut |_| {});
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].report.container, None);
        assert_eq!(
            out[0].report.sha256,
            hex::encode(Sha256::digest(ALERT.as_bytes()))
        );
    }
}
