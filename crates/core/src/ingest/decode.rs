//! Decoding the non-UTF-8 text that exports arrive in, as a stream: UTF-16 (PowerShell's `>`
//! writes UTF-16LE with a byte-order mark) and Windows-1252 (CSV saved by a Dutch or German
//! Excel). Hand-written rather than a general encoding library: these three are all the exports
//! need, and a full encoding table set would double the worker's download.

use std::io::Read;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl TextEncoding {
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Windows1252 => "windows-1252",
        }
    }

    /// The encoding of a file that is not UTF-8: UTF-16 by its byte-order mark, else
    /// Windows-1252 when the start is not valid UTF-8. `None` for UTF-8.
    pub fn of(head: &[u8]) -> Option<TextEncoding> {
        if head.starts_with(&[0xFF, 0xFE]) {
            return Some(TextEncoding::Utf16Le);
        }
        if head.starts_with(&[0xFE, 0xFF]) {
            return Some(TextEncoding::Utf16Be);
        }
        match std::str::from_utf8(head) {
            Ok(_) => None,
            // A multi-byte character cut by the end of the head is still UTF-8.
            Err(e) if e.error_len().is_none() => None,
            Err(_) => Some(TextEncoding::Windows1252),
        }
    }
}

/// Windows-1252 bytes 0x80–0x9F (the rest is Latin-1); the five unassigned ones stay C1
/// controls, as the WHATWG encoding standard maps them.
const CP1252_80_9F: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// UTF-8 from a reader of encoded text.
pub struct DecodingReader<R> {
    inner: R,
    encoding: TextEncoding,
    /// Bytes read but not decoded yet (half a UTF-16 unit, or a high surrogate).
    pending: Vec<u8>,
    decoded: Vec<u8>,
    position: usize,
    at_start: bool,
}

impl<R: Read> DecodingReader<R> {
    pub fn new(inner: R, encoding: TextEncoding) -> Self {
        DecodingReader {
            inner,
            encoding,
            pending: Vec::new(),
            decoded: Vec::new(),
            position: 0,
            at_start: true,
        }
    }

    fn push(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.decoded
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }

    /// Decodes the next chunk; false at the end of the input.
    fn fill(&mut self) -> std::io::Result<bool> {
        let mut chunk = [0u8; 64 * 1024];
        let n = self.inner.read(&mut chunk)?;
        self.decoded.clear();
        self.position = 0;
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(&chunk[..n]);
        if self.at_start && bytes.len() >= 2 {
            if matches!(
                (self.encoding, bytes[0], bytes[1]),
                (TextEncoding::Utf16Le, 0xFF, 0xFE) | (TextEncoding::Utf16Be, 0xFE, 0xFF)
            ) {
                bytes.drain(..2);
            }
            self.at_start = false;
        }
        match self.encoding {
            TextEncoding::Windows1252 => {
                for &b in &bytes {
                    let c = if (0x80..0xA0).contains(&b) {
                        CP1252_80_9F[usize::from(b - 0x80)]
                    } else {
                        char::from(b)
                    };
                    self.push(c);
                }
            }
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
                let big_endian = self.encoding == TextEncoding::Utf16Be;
                let whole = bytes.len() / 2 * 2;
                let mut units: Vec<u16> = bytes[..whole]
                    .chunks_exact(2)
                    .map(|p| {
                        if big_endian {
                            u16::from_be_bytes([p[0], p[1]])
                        } else {
                            u16::from_le_bytes([p[0], p[1]])
                        }
                    })
                    .collect();
                let mut keep: Vec<u8> = bytes[whole..].to_vec();
                // A high surrogate at the end waits for its low half in the next chunk.
                if n > 0 && units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
                    let high = units.pop().unwrap_or_default();
                    let mut tail = if big_endian {
                        high.to_be_bytes().to_vec()
                    } else {
                        high.to_le_bytes().to_vec()
                    };
                    tail.extend_from_slice(&keep);
                    keep = tail;
                }
                for c in char::decode_utf16(units) {
                    self.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
                }
                if n == 0 && !keep.is_empty() {
                    self.push(char::REPLACEMENT_CHARACTER);
                    keep.clear();
                }
                self.pending = keep;
            }
        }
        Ok(n > 0 || !self.decoded.is_empty())
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.position >= self.decoded.len() {
            if !self.fill()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.decoded.len() - self.position);
        buf[..n].copy_from_slice(&self.decoded[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out one byte per read: every boundary a chunk can split.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.is_empty()) {
                (Some((b, rest)), false) => {
                    buf[0] = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn decode(bytes: &[u8], encoding: TextEncoding) -> String {
        let mut out = String::new();
        DecodingReader::new(Trickle(bytes), encoding)
            .read_to_string(&mut out)
            .expect("valid UTF-8 out");
        out
    }

    #[test]
    fn utf16_with_bom_and_astral_characters_split_anywhere() {
        let text = "{\"title\":\"Café 🚨\"}";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le, TextEncoding::Utf16Le), text);
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&be, TextEncoding::Utf16Be), text);
        assert_eq!(
            decode(&[0x41, 0x00, 0x42], TextEncoding::Utf16Le),
            "A\u{FFFD}",
            "a cut-off unit is marked"
        );
    }

    #[test]
    fn windows_1252_from_excel() {
        assert_eq!(
            decode(
                &[b'V', 0xE4, b' ', 0x80, b' ', 0x93, b'x', 0x94],
                TextEncoding::Windows1252
            ),
            "Vä € “x”"
        );
        assert_eq!(
            TextEncoding::of(&[b'a', 0xE4, b'b']),
            Some(TextEncoding::Windows1252)
        );
        assert_eq!(TextEncoding::of("é".as_bytes()), None);
        assert_eq!(
            TextEncoding::of(&"é".as_bytes()[..1]),
            None,
            "a character cut by the head's end"
        );
    }
}
