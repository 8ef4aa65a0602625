//! Issue 6: the workspace file round-trips every field, encrypted or not; a wrong passphrase, a
//! changed, reordered or cut-off file is a clear error; files from an older format still open.

use alertweave_core::correlate::{Grouping, Settings};
use alertweave_core::edits::{EditLog, Op};
use alertweave_core::model::{AlertId, EntityKind, Status};
use alertweave_core::workspace::{
    file_entry, read, read_into, write, FileEntry, FileSink, KdfParams, Manifest, Protection,
    WorkspaceError, CHUNK_BYTES, MAGIC, VERSION,
};

fn time(text: &str) -> alertweave_core::model::Timestamp {
    chrono::DateTime::parse_from_rfc3339(text)
        .expect("time")
        .with_timezone(&chrono::Utc)
}

/// Two input files, one spanning several chunks; non-default settings; a change log.
fn sample() -> (Manifest, Vec<(String, Vec<u8>)>) {
    let big: Vec<u8> = (0..(CHUNK_BYTES * 3 + 123))
        .map(|i| (i * 7 % 251) as u8)
        .collect();
    let files = vec![
        ("graph.json".to_owned(), br#"{"value":[]}"#.to_vec()),
        ("export.zip/ah.csv".to_owned(), big),
    ];
    let mut settings = Settings {
        noisy_fan_out: 7,
        ..Settings::default()
    };
    settings.never_link.push("scanner01".into());
    settings.time_window_hours.insert(EntityKind::Ip, 2.0);
    let mut edits = EditLog::default();
    edits.push(
        time("2026-10-01T09:00:00Z"),
        "ana",
        Op::Rename {
            incident: AlertId::new("da1"),
            title: "Réseau — ransomware".into(),
        },
    );
    edits.push(
        time("2026-10-01T09:05:00Z"),
        "ana",
        Op::SetStatus {
            incident: AlertId::new("da1"),
            status: Status::Resolved,
            note: "done".into(),
        },
    );
    edits.push(time("2026-10-01T09:06:00Z"), "ana", Op::Undo { seq: 2 });
    let manifest = Manifest {
        version: VERSION,
        created: Some(time("2026-10-01T10:00:00Z")),
        app_version: "0.1.0".into(),
        settings,
        grouping: Grouping::SourceIncidents,
        edits,
        files: files.iter().map(|(n, b)| file_entry(n, b)).collect(),
    };
    (manifest, files)
}

const PARAMS: KdfParams = KdfParams {
    m_kib: 256,
    t: 1,
    p: 1,
};

fn written(protection: Protection) -> Vec<u8> {
    let (manifest, files) = sample();
    let mut readers: Vec<(&str, std::io::Cursor<&[u8]>)> = files
        .iter()
        .map(|(n, b)| (n.as_str(), std::io::Cursor::new(b.as_slice())))
        .collect();
    let mut sources: Vec<(&str, &mut dyn std::io::Read)> = readers
        .iter_mut()
        .map(|(n, r)| (*n, r as &mut dyn std::io::Read))
        .collect();
    let mut out = Vec::new();
    write(&mut out, &manifest, &mut sources, protection).expect("written");
    out
}

fn encrypted() -> Vec<u8> {
    written(Protection::Passphrase {
        passphrase: "correct horse battery staple",
        salt: [7; 16],
        nonce_prefix: [9; 7],
        params: PARAMS,
    })
}

#[test]
fn every_field_round_trips_plain_and_encrypted() {
    let (manifest, files) = sample();
    let plain = written(Protection::None);
    assert!(plain.starts_with(MAGIC));
    let back = read(&mut plain.as_slice(), None).expect("reads");
    assert_eq!(back.manifest, manifest);
    assert_eq!(back.files, files);
    assert!(!back.encrypted);

    let sealed = encrypted();
    let back = read(&mut sealed.as_slice(), Some("correct horse battery staple")).expect("reads");
    assert_eq!(back.manifest, manifest);
    assert_eq!(back.files, files);
    assert!(back.encrypted);
    // Nothing of the content shows in the encrypted file.
    let text = String::from_utf8_lossy(&sealed);
    assert!(!text.contains("graph.json") && !text.contains("ransomware"));
    assert!(
        text.contains("argon2id"),
        "the header names the key derivation"
    );
}

/// What a streaming reader hands on: each file's pieces, and whether each file was ended.
#[derive(Default)]
struct Recorder {
    files: Vec<(String, Vec<Vec<u8>>, bool)>,
}

impl FileSink for Recorder {
    fn begin(&mut self, entry: &FileEntry) -> Result<(), WorkspaceError> {
        self.files.push((entry.name.clone(), Vec::new(), false));
        Ok(())
    }
    fn write(&mut self, piece: &[u8]) -> Result<(), WorkspaceError> {
        let file = self.files.last_mut().expect("begun");
        file.1.push(piece.to_vec());
        Ok(())
    }
    fn end(&mut self) -> Result<(), WorkspaceError> {
        self.files.last_mut().expect("begun").2 = true;
        Ok(())
    }
}

#[test]
fn inputs_stream_to_a_sink_in_pieces_no_larger_than_a_chunk() {
    let (manifest, files) = sample();
    let mut recorder = Recorder::default();
    let (back, encrypted) = read_into(
        &mut encrypted().as_slice(),
        Some("correct horse battery staple"),
        &mut recorder,
    )
    .expect("reads");
    assert_eq!((back, encrypted), (manifest, true));
    assert_eq!(recorder.files.len(), files.len());
    for ((name, pieces, ended), (want_name, want)) in recorder.files.iter().zip(&files) {
        assert_eq!(name, want_name);
        assert!(ended);
        assert!(pieces.iter().all(|p| p.len() <= CHUNK_BYTES));
        assert_eq!(&pieces.concat(), want);
    }
    assert!(
        recorder.files[1].1.len() >= 4,
        "the big file came in several pieces"
    );

    // A file whose bytes were changed: the input is never ended, the read fails.
    let mut plain = written(Protection::None);
    let at = plain.len() - 100;
    plain[at] ^= 1;
    let mut recorder = Recorder::default();
    let failed = read_into(&mut plain.as_slice(), None, &mut recorder);
    assert!(
        matches!(failed, Err(WorkspaceError::Damaged(_))),
        "{failed:?}"
    );
    assert!(
        !recorder.files.last().expect("begun").2,
        "a changed input is not ended"
    );
}

#[test]
fn a_wrong_or_missing_passphrase_is_a_clear_error() {
    let sealed = encrypted();
    assert_eq!(
        read(&mut sealed.as_slice(), Some("wrong")),
        Err(WorkspaceError::WrongPassphrase)
    );
    assert_eq!(
        read(&mut sealed.as_slice(), None),
        Err(WorkspaceError::NeedsPassphrase)
    );
    assert_eq!(
        WorkspaceError::WrongPassphrase.to_string(),
        "wrong passphrase"
    );
}

/// Offsets of the chunks (length fields) after the header.
fn chunk_offsets(file: &[u8]) -> Vec<(usize, usize, bool)> {
    let header = u32::from_le_bytes(file[8..12].try_into().expect("four bytes")) as usize;
    let mut at = 12 + header;
    let mut out = Vec::new();
    while at < file.len() {
        let length = u32::from_le_bytes(file[at..at + 4].try_into().expect("four bytes"));
        let size = (length & !(1 << 31)) as usize;
        out.push((at, size, length & (1 << 31) != 0));
        at += 4 + size;
    }
    out
}

#[test]
fn a_changed_reordered_or_cut_off_file_is_refused() {
    let pass = Some("correct horse battery staple");
    let sealed = encrypted();
    let chunks = chunk_offsets(&sealed);
    assert!(chunks.len() >= 4, "{chunks:?}");
    assert!(chunks.last().is_some_and(|c| c.2) && chunks.iter().filter(|c| c.2).count() == 1);

    // One flipped bit inside the third block.
    let mut changed = sealed.clone();
    changed[chunks[2].0 + 4 + 100] ^= 1;
    assert_eq!(
        read(&mut changed.as_slice(), pass),
        Err(WorkspaceError::Tampered { chunk: 2 })
    );

    // The header is bound to every block: raise the chunk size it states.
    let mut header_changed = sealed.clone();
    let text = String::from_utf8_lossy(&header_changed[12..12 + 200]).into_owned();
    let at = 12 + text.find("65536").expect("chunk size in the header");
    header_changed[at] = b'7';
    assert_eq!(
        read(&mut header_changed.as_slice(), pass),
        Err(WorkspaceError::Tampered { chunk: 0 })
    );

    // Blocks swapped.
    let (a, b) = (chunks[1], chunks[2]);
    let mut swapped = sealed[..a.0].to_vec();
    swapped.extend_from_slice(&sealed[b.0..b.0 + 4 + b.1]);
    swapped.extend_from_slice(&sealed[a.0..a.0 + 4 + a.1]);
    swapped.extend_from_slice(&sealed[b.0 + 4 + b.1..]);
    assert_eq!(
        read(&mut swapped.as_slice(), pass),
        Err(WorkspaceError::Tampered { chunk: 1 })
    );

    // The last block dropped, or the file cut in the middle of one.
    let last = chunks.last().expect("chunks").0;
    assert_eq!(
        read(&mut &sealed[..last], pass),
        Err(WorkspaceError::CutOff)
    );
    assert_eq!(
        read(&mut &sealed[..sealed.len() - 10], pass),
        Err(WorkspaceError::CutOff)
    );
    // A block claiming to be the last where it is not.
    let mut relabelled = sealed.clone();
    relabelled[chunks[1].0 + 3] |= 0x80;
    assert_eq!(
        read(&mut relabelled.as_slice(), pass),
        Err(WorkspaceError::Tampered { chunk: 1 })
    );

    // Unencrypted files are checked too: a changed input byte fails its SHA-256.
    let plain = written(Protection::None);
    let mut changed = plain.clone();
    let n = changed.len();
    changed[n - 50] ^= 1;
    let error = read(&mut changed.as_slice(), None).expect_err("refused");
    assert!(error.to_string().contains("SHA-256"), "{error}");
}

#[test]
fn files_of_format_1_open_and_newer_ones_are_refused_by_name() {
    // Format 1, as builds before the change log wrote it: settings, a grouping flag, the files.
    let input = b"AlertId,Timestamp\nda1,2026-09-01T10:00:00Z\n".to_vec();
    let manifest = serde_json::json!({
        "version": 1, "created": "2026-09-30T12:00:00Z", "app_version": "0.0.9",
        "settings": {"noisy_min_alerts": 12}, "source_incidents": true,
        "files": [file_entry("ah.csv", &input)]
    })
    .to_string();
    let header = r#"{"format":"alertweave-workspace","version":1,"chunk_bytes":65536}"#;
    let mut body = (manifest.len() as u32).to_le_bytes().to_vec();
    body.extend_from_slice(manifest.as_bytes());
    body.extend_from_slice(&input);
    let mut file = MAGIC.to_vec();
    file.extend_from_slice(&(header.len() as u32).to_le_bytes());
    file.extend_from_slice(header.as_bytes());
    file.extend_from_slice(&(body.len() as u32 | 1 << 31).to_le_bytes());
    file.extend_from_slice(&body);
    let back = read(&mut file.as_slice(), None).expect("format 1 opens");
    assert_eq!(back.manifest.version, VERSION);
    assert_eq!(back.manifest.grouping, Grouping::SourceIncidents);
    assert_eq!(back.manifest.settings.noisy_min_alerts, 12);
    assert_eq!(
        back.manifest.settings.noisy_fan_out,
        Settings::default().noisy_fan_out
    );
    assert!(back.manifest.edits.entries.is_empty());
    assert_eq!(back.files, vec![("ah.csv".to_owned(), input)]);

    let newer = String::from_utf8_lossy(&file).replace(r#""version":1,"#, r#""version":9,"#);
    let error = read(&mut newer.as_bytes(), None).expect_err("too new");
    assert_eq!(error, WorkspaceError::TooNew(9));
    assert!(error.to_string().contains("newer Alertweave"));

    assert_eq!(
        read(&mut &b"{\"value\": []}"[..], None),
        Err(WorkspaceError::NotAWorkspace)
    );
    assert_eq!(
        read(&mut &b"AW"[..], None),
        Err(WorkspaceError::NotAWorkspace)
    );
}

#[test]
fn a_header_or_manifest_that_lies_about_sizes_is_refused_without_a_huge_allocation() {
    // Blocks larger than any build writes.
    let header = r#"{"format":"alertweave-workspace","version":2,"chunk_bytes":99999999999}"#;
    let mut file = MAGIC.to_vec();
    file.extend_from_slice(&(header.len() as u32).to_le_bytes());
    file.extend_from_slice(header.as_bytes());
    file.extend_from_slice(&(4u32 | 1 << 31).to_le_bytes());
    file.extend_from_slice(&[0, 0, 0, 0]);
    let error = read(&mut file.as_slice(), None).expect_err("refused");
    assert!(error.to_string().contains("blocks of"), "{error}");
    // A manifest claiming a 1 TB file in a file of a few bytes.
    let input = b"tiny".to_vec();
    let mut entry = file_entry("big.json", &input);
    entry.bytes = 1 << 40;
    let manifest = serde_json::json!({
        "version": 1, "created": null, "app_version": "x", "settings": {},
        "files": [entry]
    })
    .to_string();
    let header = r#"{"format":"alertweave-workspace","version":1,"chunk_bytes":65536}"#;
    let mut body = (manifest.len() as u32).to_le_bytes().to_vec();
    body.extend_from_slice(manifest.as_bytes());
    body.extend_from_slice(&input);
    let mut file = MAGIC.to_vec();
    file.extend_from_slice(&(header.len() as u32).to_le_bytes());
    file.extend_from_slice(header.as_bytes());
    file.extend_from_slice(&(body.len() as u32 | 1 << 31).to_le_bytes());
    file.extend_from_slice(&body);
    let error = read(&mut file.as_slice(), None).expect_err("refused");
    assert!(
        error.to_string().contains("ends before all its files"),
        "{error}"
    );
}
