//! Bytes from a terminal, whichever way they come (the local tty or an SSH
//! channel), turned into key, mouse and paste events by terminput's parser.
//!
//! The parser reads one event from the front of a buffer; this module owns the
//! buffer: it feeds bytes one at a time, as a terminal sends them, and bounds what
//! it keeps. Every byte costs O(1) however long a paste is, so a burst costs time
//! in proportion to its size.

use terminput::{Event, KeyCode, KeyEvent, KeyModifiers};

/// The most a bracketed paste may hold before it is handed on in pieces.
pub const MAX_PASTE_BYTES: usize = 1 << 20;

/// Longer than any real escape sequence: a run past this is junk and is dropped.
const MAX_SEQUENCE_BYTES: usize = 256;

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// Turns a stream of terminal input bytes into events.
#[derive(Debug)]
pub struct InputDecoder {
    pending: Vec<u8>,
    /// The rest of an over-long sequence is being skipped, up to its final byte.
    skipping: bool,
    /// The most of a paste held before it is handed on in pieces.
    max_paste: usize,
}

impl Default for InputDecoder {
    fn default() -> Self {
        Self::with_paste_limit(MAX_PASTE_BYTES)
    }
}

impl InputDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder that holds at most `max_paste` bytes of a paste (at least one
    /// character's worth) before handing it on.
    pub fn with_paste_limit(max_paste: usize) -> Self {
        InputDecoder {
            pending: Vec::new(),
            skipping: false,
            max_paste: max_paste.max(PASTE_END.len() + 4),
        }
    }

    /// Decodes `bytes`, appending whole events to `out`. An unfinished sequence is
    /// kept for the next call, except a lone Esc at the end: a terminal sends a
    /// key's sequence in one write, so a trailing Esc is the Esc key.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Event>) {
        for (i, &b) in bytes.iter().enumerate() {
            if self.skipping {
                // Parameter and intermediate bytes go on; a final byte ends it.
                match b {
                    0x20..=0x3f => continue,
                    0x40..=0x7e => {
                        self.skipping = false;
                        continue;
                    }
                    _ => self.skipping = false,
                }
            }
            self.pending.push(b);
            // Esc alone is the Esc key only when nothing follows it in this read.
            let more = i + 1 < bytes.len();
            if !(more && self.pending == b"\x1b") {
                self.parse_pending(out);
            }
        }
        if self.pending == b"\x1b" {
            self.pending.clear();
            out.push(key(KeyCode::Esc, KeyModifiers::NONE));
        }
    }

    /// Whether bytes of an unfinished sequence are waiting: the caller should
    /// `flush` if nothing more arrives soon.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Nothing more came: gives up on an unfinished sequence. A paste cut short
    /// keeps its text; Esc-O alone was Alt-Shift-O; anything else is dropped.
    pub fn flush(&mut self, out: &mut Vec<Event>) {
        let pending = std::mem::take(&mut self.pending);
        self.skipping = false;
        if let Some(text) = pending.strip_prefix(PASTE_START) {
            if !text.is_empty() {
                out.push(Event::Paste(String::from_utf8_lossy(text).into_owned()));
            }
        } else if pending == b"\x1bO" {
            out.push(key(
                KeyCode::Char('O'),
                KeyModifiers::ALT | KeyModifiers::SHIFT,
            ));
        }
    }

    fn parse_pending(&mut self, out: &mut Vec<Event>) {
        let in_paste = self.pending.starts_with(PASTE_START);
        if in_paste {
            // Only the end marker can finish a paste: look for nothing else.
            if self.pending.ends_with(PASTE_END) {
                let text = &self.pending[PASTE_START.len()..self.pending.len() - PASTE_END.len()];
                out.push(Event::Paste(String::from_utf8_lossy(text).into_owned()));
                self.pending.clear();
            } else if self.pending.len() >= PASTE_START.len() + self.max_paste {
                self.hand_on_paste_piece(out);
            }
            return;
        }
        match Event::parse_from(&self.pending) {
            Ok(Some(event)) => {
                self.pending.clear();
                out.push(event);
            }
            Ok(None) if self.pending.len() > MAX_SEQUENCE_BYTES => {
                self.pending.clear();
                self.skipping = true;
            }
            Ok(None) => {}
            Err(_) => self.pending.clear(),
        }
    }

    /// A paste past the limit goes on as pieces of at most `max_paste` bytes, each
    /// cut between characters, and never inside a possible end marker.
    fn hand_on_paste_piece(&mut self, out: &mut Vec<Event>) {
        let body = &self.pending[PASTE_START.len()..];
        let mut cut = body.len() - PASTE_END.len();
        while cut > 0 && (body[cut] & 0b1100_0000) == 0b1000_0000 {
            cut -= 1;
        }
        out.push(Event::Paste(
            String::from_utf8_lossy(&body[..cut]).into_owned(),
        ));
        let rest = PASTE_START.len() + cut;
        self.pending.drain(PASTE_START.len()..rest);
    }
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code).modifiers(modifiers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use terminput::{MouseButton, MouseEventKind};

    fn decode(chunks: &[&[u8]]) -> Vec<Event> {
        let mut d = InputDecoder::new();
        let mut out = Vec::new();
        for c in chunks {
            d.feed(c, &mut out);
        }
        d.flush(&mut out);
        out
    }

    fn chars(events: &[Event]) -> String {
        events
            .iter()
            .filter_map(|e| match e.as_key()?.code {
                KeyCode::Char(c) => Some(c),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_burst_longer_than_any_read_buffer_is_decoded_whole() {
        let burst = format!("{}g", "j".repeat(2047));
        let out = decode(&[burst.as_bytes()]);
        assert_eq!(out.len(), 2048);
        assert_eq!(chars(&out[2046..]), "jg");
    }

    #[test]
    fn keys_arrows_and_a_trailing_esc() {
        let out = decode(&[b"a\x1b[Bq\x03\x1b"]);
        let keys: Vec<KeyEvent> = out.iter().filter_map(Event::as_key).collect();
        assert_eq!(keys.len(), 5);
        assert_eq!(keys[1].code, KeyCode::Down);
        assert_eq!(keys[3].code, KeyCode::Char('c'));
        assert!(keys[3].modifiers.contains(KeyModifiers::CTRL));
        assert_eq!(keys[4].code, KeyCode::Esc);
    }

    #[test]
    fn a_sequence_split_across_reads_is_joined() {
        let out = decode(&[b"\x1b[", b"A", b"\xc3", b"\xa9"]);
        assert_eq!(out[0].as_key().unwrap().code, KeyCode::Up);
        assert_eq!(out[1].as_key().unwrap().code, KeyCode::Char('é'));
    }

    #[test]
    fn bracketed_paste_comes_whole_across_reads() {
        let out = decode(&[b"\x1b[200~hello ", b"world\x1b[2", b"01~x"]);
        assert_eq!(out[0], Event::Paste("hello world".into()));
        assert_eq!(chars(&out[1..]), "x");
    }

    #[test]
    fn a_huge_paste_is_handed_on_in_bounded_pieces_without_splitting_characters() {
        let text = "é".repeat(MAX_PASTE_BYTES); // 2 MiB of two-byte characters
        let mut input = PASTE_START.to_vec();
        input.extend_from_slice(text.as_bytes());
        input.extend_from_slice(PASTE_END);
        let mut d = InputDecoder::new();
        let mut out = Vec::new();
        d.feed(&input, &mut out);
        assert!(out.len() >= 2);
        let mut joined = String::new();
        for e in &out {
            let Event::Paste(p) = e else { panic!("{e:?}") };
            assert!(p.len() <= MAX_PASTE_BYTES);
            joined.push_str(p);
        }
        assert_eq!(joined, text);
        assert!(!d.has_pending());
    }

    #[test]
    fn a_smaller_paste_limit_bounds_what_is_held_and_each_piece() {
        let mut d = InputDecoder::with_paste_limit(4096);
        let mut out = Vec::new();
        d.feed(PASTE_START, &mut out);
        for _ in 0..10 {
            d.feed(&[b'x'; 1000], &mut out);
            assert!(d.pending.len() <= PASTE_START.len() + 4096);
        }
        d.feed(PASTE_END, &mut out);
        let mut joined = String::new();
        for e in &out {
            let Event::Paste(p) = e else { panic!("{e:?}") };
            assert!(p.len() <= 4096);
            joined.push_str(p);
        }
        assert_eq!(joined, "x".repeat(10_000));
    }

    #[test]
    fn an_unfinished_paste_keeps_its_text_and_junk_is_dropped() {
        assert_eq!(
            decode(&[b"\x1b[200~half"]),
            vec![Event::Paste("half".into())]
        );
        let junk = [b"\x1b[".as_slice(), &[b'1'; 1000], b"xy"].concat();
        assert_eq!(chars(&decode(&[&junk])), "y");
    }

    #[test]
    fn sgr_mouse_clicks_and_wheel() {
        let out = decode(&[b"\x1b[<0;10;5M\x1b[<65;3;4M"]);
        let Event::Mouse(click) = out[0] else {
            panic!()
        };
        assert_eq!(click.kind, MouseEventKind::Down(MouseButton::Left));
        assert_eq!((click.column, click.row), (9, 4));
        assert!(matches!(out[1], Event::Mouse(_)));
    }

    proptest::proptest! {
        #![proptest_config(crate::fuzz_cases(3000))]

        /// Any bytes, cut anywhere: never a panic, and what is kept stays bounded.
        #[test]
        fn any_bytes_in_any_pieces_decode_without_panic(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
            cuts in proptest::collection::vec(0usize..600, 0..8),
        ) {
            let mut d = InputDecoder::new();
            let mut out = Vec::new();
            let mut from = 0;
            let mut cuts = cuts;
            cuts.sort_unstable();
            for cut in cuts.into_iter().chain([bytes.len()]) {
                let cut = cut.min(bytes.len()).max(from);
                d.feed(&bytes[from..cut], &mut out);
                from = cut;
                proptest::prop_assert!(d.pending.len() <= PASTE_START.len() + MAX_PASTE_BYTES);
            }
            d.flush(&mut out);
            proptest::prop_assert!(!d.has_pending());
        }

        /// Plain printable text comes out as the same characters, however it is cut.
        #[test]
        fn printable_text_survives_any_cut(text in "[a-zA-Z0-9 éü€]{0,80}", cut in 0usize..200) {
            // A cut may fall inside a character: its bytes wait for the rest.
            let bytes = text.as_bytes();
            let cut = cut.min(bytes.len());
            let out = decode(&[&bytes[..cut], &bytes[cut..]]);
            proptest::prop_assert_eq!(chars(&out), text);
        }
    }
}
