//! Output to a pipe or a file, where styles are stripped: the same bytes as
//! `anstream`'s stripping writer, without running its escape parser over
//! text that has nothing to strip.
//!
//! Why: `show --json` of ten years is 2 MB of JSON with no escape in it, and
//! parsing every byte of it for escapes cost about a quarter of the command
//! (issue 17). Text is passed on as it is while every byte so far is one the
//! parser prints unchanged (printable, UTF-8, or ASCII whitespace); from the
//! first byte it would act on, everything goes through the parser, as
//! `anstream` would have sent it.

use anstream::adapter::StripBytes;
use std::io::{self, Write};

/// A writer that strips escapes and control characters like `anstream` does
/// when colour is off, passing plain text straight through.
pub struct Plain<W: Write> {
    out: W,
    /// Set from the first byte the parser would act on; then always used.
    strip: Option<StripBytes>,
    /// UTF-8 continuation bytes still owed to the last character passed
    /// straight through, so the parser starts on a character boundary.
    owed: usize,
}

impl<W: Write> Plain<W> {
    pub fn new(out: W) -> Self {
        Plain { out, strip: None, owed: 0 }
    }
}

/// A byte the parser prints unchanged: printable ASCII, a byte of a UTF-8
/// sequence, or ASCII whitespace (DEL and other controls are stripped).
fn passes(b: u8) -> bool {
    (b >= 0x20 && b != 0x7f) || matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r')
}

impl<W: Write> Write for Plain<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.strip.is_none() {
            if buf.iter().all(|&b| passes(b)) {
                self.out.write_all(buf)?;
                // A character left open started in the last four bytes.
                let tail = &buf[buf.len().saturating_sub(4)..];
                let start = if buf.len() < 4 { self.owed } else { 0 };
                self.owed = tail.iter().fold(start, |owed, &b| match b {
                    0x80..=0xbf => owed.saturating_sub(1),
                    0xf0..=0xff => 3,
                    0xe0..=0xef => 2,
                    0xc0..=0xdf => 1,
                    _ => 0,
                });
                return Ok(buf.len());
            }
            // Finish the character under way as it is, then parse the rest.
            let head = buf.iter().take(self.owed).take_while(|&&b| (0x80..=0xbf).contains(&b)).count();
            self.out.write_all(&buf[..head])?;
            let strip = self.strip.insert(StripBytes::new());
            for part in strip.strip_next(&buf[head..]) {
                self.out.write_all(part)?;
            }
            return Ok(buf.len());
        }
        if let Some(strip) = &mut self.strip {
            for part in strip.strip_next(buf) {
                self.out.write_all(part)?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What anstream's own stripping writer makes of the same writes.
    fn by_anstream(writes: &[Vec<u8>]) -> Vec<u8> {
        let mut s = anstream::StripStream::new(Vec::new());
        for w in writes {
            s.write_all(w).unwrap();
        }
        s.into_inner()
    }

    fn by_plain(writes: &[Vec<u8>]) -> Vec<u8> {
        let mut p = Plain::new(Vec::new());
        for w in writes {
            p.write_all(w).unwrap();
        }
        p.out
    }

    #[test]
    fn styles_and_controls_are_stripped_and_text_kept() {
        let writes: Vec<Vec<u8>> = ["kept  walk ✓ 0.53\n", "\x1b[1mbold\x1b[0m é\tx\x07y\x7fz\n", "after ✓\n"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        assert_eq!(by_plain(&writes), b"kept  walk \xe2\x9c\x93 0.53\nbold \xc3\xa9\txyz\nafter \xe2\x9c\x93\n");
        assert_eq!(by_plain(&writes), by_anstream(&writes));
    }

    #[test]
    fn a_character_split_across_writes_survives_the_switch_to_parsing() {
        // "✓" is e2 9c 93: its tail arrives with the first escape.
        let writes = vec![b"ok \xe2".to_vec(), b"\x9c\x93\x1b[0m!".to_vec()];
        assert_eq!(by_plain(&writes), "ok ✓!".as_bytes());
        assert_eq!(by_plain(&writes), by_anstream(&writes));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Any text (with escapes, controls and characters split anywhere
        /// between writes) comes out as anstream would write it.
        #[test]
        fn the_same_bytes_as_anstream(text in "(\\PC|\\x1b\\[[0-9;]{0,6}m|[\\x00-\\x1f\\x7f]|\\u{9b}|é|✓|🙂){0,60}",
                                      cuts in proptest::collection::vec(0usize..400, 0..6)) {
            let bytes = text.as_bytes();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort_unstable();
            let mut writes = Vec::new();
            let mut at = 0;
            for c in cuts.into_iter().chain([bytes.len()]) {
                writes.push(bytes[at..c.max(at)].to_vec());
                at = c.max(at);
            }
            prop_assert_eq!(by_plain(&writes), by_anstream(&writes));
        }
    }
}
