//! The workspace file (issue 6): everything needed to reopen an analysis elsewhere (the input
//! files, the correlation settings, the analyst's change log and where it all came from) as one
//! file, optionally encrypted with a passphrase.
//!
//! Layout: the 8 bytes `AWSPACE\n`, a little-endian `u32` length and a JSON header (format
//! version, chunk size, and for an encrypted file the Argon2id parameters and salt, the cipher and
//! its nonce prefix, and a key check), then chunks, each a `u32` length (top bit set on the last)
//! and its bytes. The chunks carry, in order, a `u32` length and the JSON [`Manifest`], then
//! every input file's bytes. Encrypted, each chunk is sealed with ChaCha20-Poly1305 in the STREAM
//! construction (a counter and a last-chunk flag in every nonce, the header as associated data):
//! a wrong passphrase, a changed byte anywhere, reordered or missing chunks and a cut-off file
//! are all errors, never garbage. Unencrypted, the manifest's SHA-256 of each file is checked.
//! Files are written and read a chunk at a time, so large inputs stream.
//!
//! Nothing here reads a clock or randomness: the caller gives the salt, the nonce prefix and the
//! time (the page from `crypto.getRandomValues`, tests from constants).

use crate::correlate::{Grouping, Settings};
use crate::edits::EditLog;
use crate::model::Timestamp;
use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{KeyInit, Payload};
use chacha20poly1305::ChaCha20Poly1305;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::io::{Read, Write};

pub const MAGIC: &[u8; 8] = b"AWSPACE\n";
/// The manifest version this build writes.
pub const VERSION: u32 = 2;
/// Plaintext bytes per chunk.
pub const CHUNK_BYTES: usize = 64 * 1024;
const LAST_FLAG: u32 = 1 << 31;
/// The longest header and manifest a reader accepts (they are small JSON).
const MAX_HEADER: usize = 1 << 20;
const MAX_MANIFEST: usize = 64 << 20;
/// The largest block a reader accepts (this build writes [`CHUNK_BYTES`]).
const MAX_CHUNK_BYTES: usize = 16 << 20;

/// Argon2id cost: memory in KiB, passes, lanes. The defaults follow OWASP's first
/// recommendation (46 MiB, 1 pass would also do; 64 MiB and 3 passes cost about a second).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl Default for KdfParams {
    fn default() -> Self {
        KdfParams {
            m_kib: 64 * 1024,
            t: 3,
            p: 1,
        }
    }
}

/// How to protect a workspace file.
pub enum Protection<'a> {
    None,
    Passphrase {
        passphrase: &'a str,
        salt: [u8; 16],
        nonce_prefix: [u8; 7],
        params: KdfParams,
    },
}

/// What the workspace holds besides the files' bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    /// When the file was written (given by the caller).
    pub created: Option<Timestamp>,
    /// The Alertweave build that wrote it.
    pub app_version: String,
    pub settings: Settings,
    pub grouping: Grouping,
    pub edits: EditLog,
    pub files: Vec<FileEntry>,
}

/// One input file, as it was loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// A workspace read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    pub manifest: Manifest,
    /// The input files, in the manifest's order.
    pub files: Vec<(String, Vec<u8>)>,
    pub encrypted: bool,
}

/// Serialized for the page (`kind`, and `detail` for those that carry one), which words it in
/// its language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum WorkspaceError {
    NotAWorkspace,
    /// Written by a newer Alertweave.
    TooNew(u32),
    NeedsPassphrase,
    WrongPassphrase,
    /// A chunk failed authentication: the file was changed or damaged there.
    Tampered {
        chunk: u64,
    },
    CutOff,
    Damaged(String),
    Io(String),
}

impl fmt::Display for WorkspaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkspaceError::NotAWorkspace => f.write_str("this is not an Alertweave workspace file"),
            WorkspaceError::TooNew(v) => write!(
                f,
                "this workspace was written by a newer Alertweave (format {v}; this build reads up to {VERSION})"
            ),
            WorkspaceError::NeedsPassphrase => {
                f.write_str("this workspace is encrypted: give its passphrase")
            }
            WorkspaceError::WrongPassphrase => f.write_str("wrong passphrase"),
            WorkspaceError::Tampered { chunk } => write!(
                f,
                "the workspace file was changed or damaged (block {} does not authenticate); nothing was loaded",
                chunk + 1
            ),
            WorkspaceError::CutOff => {
                f.write_str("the workspace file is cut off (its last block is missing); nothing was loaded")
            }
            WorkspaceError::Damaged(why) => write!(f, "the workspace file is damaged: {why}"),
            WorkspaceError::Io(why) => write!(f, "could not read the workspace file: {why}"),
        }
    }
}

impl std::error::Error for WorkspaceError {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    chunk_bytes: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    encryption: Option<Encryption>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Encryption {
    kdf: String,
    #[serde(flatten)]
    params: KdfParams,
    salt: String,
    cipher: String,
    nonce_prefix: String,
    /// 16 bytes of the Argon2id output that are not the key: tells a wrong passphrase apart
    /// from a changed file.
    key_check: String,
}

const FORMAT: &str = "alertweave-workspace";
const KDF: &str = "argon2id";
const CIPHER: &str = "chacha20poly1305-stream-be32";

/// Key and key check from a passphrase.
fn derive(
    passphrase: &str,
    salt: &[u8],
    params: KdfParams,
) -> Result<([u8; 32], [u8; 16]), WorkspaceError> {
    let argon = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(params.m_kib, params.t, params.p, Some(48))
            .map_err(|e| WorkspaceError::Damaged(format!("key derivation parameters: {e}")))?,
    );
    let mut out = [0u8; 48];
    argon
        .hash_password_into(passphrase.as_bytes(), salt, &mut out)
        .map_err(|e| WorkspaceError::Damaged(format!("key derivation: {e}")))?;
    let (mut key, mut check) = ([0u8; 32], [0u8; 16]);
    key.copy_from_slice(&out[..32]);
    check.copy_from_slice(&out[32..]);
    Ok((key, check))
}

/// Writes a workspace: the manifest (whose `files` must list `files` in order) and the files'
/// bytes, each read to its end.
pub fn write(
    out: &mut dyn Write,
    manifest: &Manifest,
    files: &mut [(&str, &mut dyn Read)],
    protection: Protection,
) -> Result<(), WorkspaceError> {
    let io = |e: std::io::Error| WorkspaceError::Io(e.to_string());
    let (encryption, key) = match protection {
        Protection::None => (None, None),
        Protection::Passphrase {
            passphrase,
            salt,
            nonce_prefix,
            params,
        } => {
            let (key, check) = derive(passphrase, &salt, params)?;
            (
                Some(Encryption {
                    kdf: KDF.to_owned(),
                    params,
                    salt: hex::encode(salt),
                    cipher: CIPHER.to_owned(),
                    nonce_prefix: hex::encode(nonce_prefix),
                    key_check: hex::encode(check),
                }),
                Some((key, nonce_prefix)),
            )
        }
    };
    let header = Header {
        format: FORMAT.to_owned(),
        version: manifest.version,
        chunk_bytes: CHUNK_BYTES,
        encryption,
    };
    let header_bytes =
        serde_json::to_vec(&header).map_err(|e| WorkspaceError::Damaged(e.to_string()))?;
    out.write_all(MAGIC).map_err(io)?;
    out.write_all(&(header_bytes.len() as u32).to_le_bytes())
        .map_err(io)?;
    out.write_all(&header_bytes).map_err(io)?;

    let mut sink = ChunkWriter {
        out,
        buffer: Vec::with_capacity(CHUNK_BYTES),
        sealer: key.map(|(key, prefix)| {
            EncryptorBE32::from_aead(ChaCha20Poly1305::new(&key.into()), prefix.as_slice().into())
        }),
        aad: header_bytes,
    };
    let manifest_bytes =
        serde_json::to_vec(manifest).map_err(|e| WorkspaceError::Damaged(e.to_string()))?;
    sink.push(&(manifest_bytes.len() as u32).to_le_bytes())?;
    sink.push(&manifest_bytes)?;
    let mut buffer = vec![0u8; CHUNK_BYTES];
    for (_, reader) in files.iter_mut() {
        loop {
            let n = reader.read(&mut buffer).map_err(io)?;
            if n == 0 {
                break;
            }
            sink.push(&buffer[..n])?;
        }
    }
    sink.finish()
}

struct ChunkWriter<'a> {
    out: &'a mut dyn Write,
    buffer: Vec<u8>,
    sealer: Option<EncryptorBE32<ChaCha20Poly1305>>,
    aad: Vec<u8>,
}

impl ChunkWriter<'_> {
    fn push(&mut self, mut bytes: &[u8]) -> Result<(), WorkspaceError> {
        while !bytes.is_empty() {
            // A full chunk goes out only once more follows: the last one is sealed as last.
            if self.buffer.len() == CHUNK_BYTES {
                let chunk = std::mem::take(&mut self.buffer);
                self.emit(&chunk, false)?;
                self.buffer = Vec::with_capacity(CHUNK_BYTES);
            }
            let room = CHUNK_BYTES - self.buffer.len();
            let take = room.min(bytes.len());
            self.buffer.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
        }
        Ok(())
    }

    fn emit(&mut self, plain: &[u8], last: bool) -> Result<(), WorkspaceError> {
        let sealed;
        let body: &[u8] = match &mut self.sealer {
            None => plain,
            Some(sealer) => {
                let payload = Payload {
                    msg: plain,
                    aad: &self.aad,
                };
                sealed = sealer
                    .encrypt_next(payload)
                    .map_err(|_| WorkspaceError::Damaged("encryption failed".to_owned()))?;
                &sealed
            }
        };
        let mut length = body.len() as u32;
        if last {
            length |= LAST_FLAG;
        }
        let io = |e: std::io::Error| WorkspaceError::Io(e.to_string());
        self.out.write_all(&length.to_le_bytes()).map_err(io)?;
        self.out.write_all(body).map_err(io)
    }

    fn finish(mut self) -> Result<(), WorkspaceError> {
        let chunk = std::mem::take(&mut self.buffer);
        let io = |e: std::io::Error| WorkspaceError::Io(e.to_string());
        match self.sealer.take() {
            None => self.emit(&chunk, true)?,
            Some(sealer) => {
                let sealed = sealer
                    .encrypt_last(Payload {
                        msg: chunk.as_slice(),
                        aad: &self.aad,
                    })
                    .map_err(|_| WorkspaceError::Damaged("encryption failed".to_owned()))?;
                let length = sealed.len() as u32 | LAST_FLAG;
                self.out.write_all(&length.to_le_bytes()).map_err(io)?;
                self.out.write_all(&sealed).map_err(io)?;
            }
        }
        self.out.flush().map_err(io)
    }
}

/// Whether `head` (the first bytes of a file) starts a workspace file.
pub fn is_workspace(head: &[u8]) -> bool {
    head.starts_with(MAGIC)
}

/// Where a workspace's input files go as they are read: whole into memory (`read`), or piece
/// by piece elsewhere (the page's worker makes browser `Blob`s of them, so a large workspace
/// never sits in its memory). Nothing a sink received may be used when the read fails: every
/// piece is authenticated, but only the end of the read proves the whole file is there and
/// each input matches its SHA-256.
pub trait FileSink {
    /// The next input file starts.
    fn begin(&mut self, entry: &FileEntry) -> Result<(), WorkspaceError>;
    /// More of its bytes, in order.
    fn write(&mut self, piece: &[u8]) -> Result<(), WorkspaceError>;
    /// It is complete.
    fn end(&mut self) -> Result<(), WorkspaceError>;
}

/// Keeps every input whole in memory.
#[derive(Default)]
struct InMemory(Vec<(String, Vec<u8>)>);

impl FileSink for InMemory {
    fn begin(&mut self, entry: &FileEntry) -> Result<(), WorkspaceError> {
        let size = usize::try_from(entry.bytes).unwrap_or(usize::MAX);
        // Grown as the bytes arrive: a manifest that claims more than the file holds ends in
        // a clear error, not in one huge allocation.
        self.0.push((
            entry.name.clone(),
            Vec::with_capacity(size.min(CHUNK_BYTES)),
        ));
        Ok(())
    }

    fn write(&mut self, piece: &[u8]) -> Result<(), WorkspaceError> {
        match self.0.last_mut() {
            Some((_, bytes)) => {
                bytes.extend_from_slice(piece);
                Ok(())
            }
            None => Err(WorkspaceError::Io("bytes before a file".to_owned())),
        }
    }

    fn end(&mut self) -> Result<(), WorkspaceError> {
        Ok(())
    }
}

/// Reads a workspace; `passphrase` is needed only when it is encrypted.
pub fn read(input: &mut dyn Read, passphrase: Option<&str>) -> Result<Workspace, WorkspaceError> {
    let mut files = InMemory::default();
    let (manifest, encrypted) = read_into(input, passphrase, &mut files)?;
    Ok(Workspace {
        manifest,
        files: files.0,
        encrypted,
    })
}

/// Reads a workspace, handing its input files to `sink` as they stream; returns the manifest
/// and whether the file was encrypted.
pub fn read_into(
    input: &mut dyn Read,
    passphrase: Option<&str>,
    sink: &mut dyn FileSink,
) -> Result<(Manifest, bool), WorkspaceError> {
    let mut magic = [0u8; 8];
    match read_exact(input, &mut magic) {
        Err(WorkspaceError::CutOff) => return Err(WorkspaceError::NotAWorkspace),
        other => other?,
    }
    if &magic != MAGIC {
        return Err(WorkspaceError::NotAWorkspace);
    }
    let header_len = read_u32(input)? as usize;
    if header_len > MAX_HEADER {
        return Err(WorkspaceError::Damaged("the header is too long".to_owned()));
    }
    let mut header_bytes = vec![0u8; header_len];
    read_exact(input, &mut header_bytes)?;
    let header: Header = serde_json::from_slice(&header_bytes)
        .map_err(|e| WorkspaceError::Damaged(format!("header: {e}")))?;
    if header.format != FORMAT {
        return Err(WorkspaceError::NotAWorkspace);
    }
    if header.version > VERSION {
        return Err(WorkspaceError::TooNew(header.version));
    }
    // Blocks are read whole: a header may not make them larger than this build writes by far.
    if header.chunk_bytes == 0 || header.chunk_bytes > MAX_CHUNK_BYTES {
        return Err(WorkspaceError::Damaged(format!(
            "blocks of {} bytes",
            header.chunk_bytes
        )));
    }
    let opener = match &header.encryption {
        None => None,
        Some(e) => {
            let passphrase = passphrase.ok_or(WorkspaceError::NeedsPassphrase)?;
            if e.kdf != KDF || e.cipher != CIPHER {
                return Err(WorkspaceError::Damaged(format!(
                    "unknown protection {} / {}",
                    e.kdf, e.cipher
                )));
            }
            let bad = |what: &str| WorkspaceError::Damaged(format!("the header's {what}"));
            let salt = hex::decode(&e.salt).map_err(|_| bad("salt"))?;
            let prefix = hex::decode(&e.nonce_prefix).map_err(|_| bad("nonce"))?;
            if prefix.len() != 7 {
                return Err(bad("nonce"));
            }
            let (key, check) = derive(passphrase, &salt, e.params)?;
            if hex::encode(check) != e.key_check {
                return Err(WorkspaceError::WrongPassphrase);
            }
            Some(DecryptorBE32::from_aead(
                ChaCha20Poly1305::new(&key.into()),
                prefix.as_slice().into(),
            ))
        }
    };
    let encrypted = opener.is_some();
    let mut plain = ChunkReader {
        input,
        opener,
        aad: header_bytes,
        chunk: Vec::new(),
        at: 0,
        index: 0,
        ended: false,
        max_body: header.chunk_bytes + 16,
    };
    let manifest_len = {
        let mut four = [0u8; 4];
        plain.fill(&mut four)?;
        u32::from_le_bytes(four) as usize
    };
    if manifest_len > MAX_MANIFEST {
        return Err(WorkspaceError::Damaged(
            "the manifest is too long".to_owned(),
        ));
    }
    let mut manifest_bytes = vec![0u8; manifest_len];
    plain.fill(&mut manifest_bytes)?;
    let manifest = upgrade(&manifest_bytes, header.version)?;
    let mut piece = vec![0u8; CHUNK_BYTES];
    for entry in &manifest.files {
        if usize::try_from(entry.bytes).is_err() {
            return Err(WorkspaceError::Damaged(format!(
                "{} is too large",
                entry.name
            )));
        }
        sink.begin(entry)?;
        let (mut left, mut hasher) = (entry.bytes, Sha256::new());
        while left > 0 {
            let n = usize::try_from(left).map_or(CHUNK_BYTES, |l| l.min(CHUNK_BYTES));
            plain.fill(&mut piece[..n])?;
            hasher.update(&piece[..n]);
            sink.write(&piece[..n])?;
            left -= n as u64;
        }
        if hex::encode(hasher.finalize()) != entry.sha256 {
            return Err(WorkspaceError::Damaged(format!(
                "{} does not match its SHA-256",
                entry.name
            )));
        }
        sink.end()?;
    }
    plain.expect_end()?;
    Ok((manifest, encrypted))
}

/// The manifest of any version this build reads, as the current version.
fn upgrade(bytes: &[u8], version: u32) -> Result<Manifest, WorkspaceError> {
    let bad = |e: serde_json::Error| WorkspaceError::Damaged(format!("manifest: {e}"));
    match version {
        // Version 1 (before the change log): settings and files, and `source_incidents` as a
        // flag rather than a grouping.
        1 => {
            #[derive(Deserialize)]
            struct V1 {
                created: Option<Timestamp>,
                app_version: String,
                settings: Settings,
                #[serde(default)]
                source_incidents: bool,
                files: Vec<FileEntry>,
            }
            let v1: V1 = serde_json::from_slice(bytes).map_err(bad)?;
            Ok(Manifest {
                version: VERSION,
                created: v1.created,
                app_version: v1.app_version,
                settings: v1.settings,
                grouping: if v1.source_incidents {
                    Grouping::SourceIncidents
                } else {
                    Grouping::Correlate
                },
                edits: EditLog::default(),
                files: v1.files,
            })
        }
        _ => {
            let mut manifest: Manifest = serde_json::from_slice(bytes).map_err(bad)?;
            manifest.version = VERSION;
            Ok(manifest)
        }
    }
}

struct ChunkReader<'a> {
    input: &'a mut dyn Read,
    opener: Option<DecryptorBE32<ChaCha20Poly1305>>,
    aad: Vec<u8>,
    chunk: Vec<u8>,
    at: usize,
    index: u64,
    ended: bool,
    max_body: usize,
}

impl ChunkReader<'_> {
    /// Fills `out` from the plaintext stream.
    fn fill(&mut self, mut out: &mut [u8]) -> Result<(), WorkspaceError> {
        while !out.is_empty() {
            if self.at == self.chunk.len() {
                if self.ended {
                    return Err(WorkspaceError::Damaged(
                        "it ends before all its files".to_owned(),
                    ));
                }
                self.next_chunk()?;
                continue;
            }
            let n = (self.chunk.len() - self.at).min(out.len());
            out[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
            self.at += n;
            out = &mut out[n..];
        }
        Ok(())
    }

    fn next_chunk(&mut self) -> Result<(), WorkspaceError> {
        let length = match read_u32(self.input) {
            Ok(l) => l,
            Err(WorkspaceError::CutOff) => return Err(WorkspaceError::CutOff),
            Err(e) => return Err(e),
        };
        let last = length & LAST_FLAG != 0;
        let size = (length & !LAST_FLAG) as usize;
        if size > self.max_body {
            return Err(WorkspaceError::Tampered { chunk: self.index });
        }
        let mut body = vec![0u8; size];
        read_exact(self.input, &mut body)?;
        let index = self.index;
        self.chunk = match &mut self.opener {
            None => body,
            Some(_) if last => {
                let Some(opener) = self.opener.take() else {
                    return Err(WorkspaceError::Tampered { chunk: index });
                };
                opener
                    .decrypt_last(Payload {
                        msg: body.as_slice(),
                        aad: &self.aad,
                    })
                    .map_err(|_| WorkspaceError::Tampered { chunk: index })?
            }
            Some(opener) => opener
                .decrypt_next(Payload {
                    msg: body.as_slice(),
                    aad: &self.aad,
                })
                .map_err(|_| WorkspaceError::Tampered { chunk: index })?,
        };
        self.at = 0;
        self.index += 1;
        self.ended = last;
        Ok(())
    }

    /// Everything was read: the last chunk was reached, with nothing after it.
    fn expect_end(&mut self) -> Result<(), WorkspaceError> {
        while !self.ended {
            if self.at < self.chunk.len() {
                return Err(WorkspaceError::Damaged(
                    "it holds more than its manifest lists".to_owned(),
                ));
            }
            self.next_chunk()?;
        }
        if self.at < self.chunk.len() {
            return Err(WorkspaceError::Damaged(
                "it holds more than its manifest lists".to_owned(),
            ));
        }
        let mut extra = [0u8; 1];
        match self.input.read(&mut extra) {
            Ok(0) => Ok(()),
            Ok(_) => Err(WorkspaceError::Damaged(
                "bytes follow its last block".to_owned(),
            )),
            Err(e) => Err(WorkspaceError::Io(e.to_string())),
        }
    }
}

fn read_exact(input: &mut dyn Read, out: &mut [u8]) -> Result<(), WorkspaceError> {
    input.read_exact(out).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => WorkspaceError::CutOff,
        _ => WorkspaceError::Io(e.to_string()),
    })
}

fn read_u32(input: &mut dyn Read) -> Result<u32, WorkspaceError> {
    let mut four = [0u8; 4];
    read_exact(input, &mut four)?;
    Ok(u32::from_le_bytes(four))
}

/// The manifest entry of a file's bytes.
pub fn file_entry(name: &str, bytes: &[u8]) -> FileEntry {
    FileEntry {
        name: name.to_owned(),
        bytes: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
    }
}
