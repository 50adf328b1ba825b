//! A timeline's JSON read a piece at a time: the members of its top-level object,
//! and each element of a member that is an array. The file is never held whole,
//! only the piece being read.
//!
//! This reader only finds where each piece ends. serde_json parses every piece
//! (and so checks that its text is UTF-8, as the whole file's must be),
//! and anything not as expected stops the reader with `Stop::Unexpected`: the
//! caller then reads the file whole, so the user gets serde_json's own message
//! with its line and column.

use std::io::Read;

use super::ReadFailure;

/// Why reading piece by piece stopped.
#[derive(Debug)]
pub(crate) enum Stop {
    /// Not JSON as a timeline has it: read the file whole to say where and why.
    Unexpected,
    /// Reading failed, or the file is over the cap: nothing more to try.
    Failed(ReadFailure),
}

/// How much is read at a time.
const BLOCK: usize = 1 << 20;

pub(crate) struct Pieces<R> {
    reader: R,
    buf: Vec<u8>,
    /// The next byte not yet taken.
    at: usize,
    eof: bool,
    read: u64,
    max_bytes: u64,
    /// What to say if the file holds more than `max_bytes`.
    over: ReadFailure,
    first_member: bool,
    first_element: bool,
    /// Where the last value taken starts, as a file offset.
    last_start: u64,
    /// The file offset of `buf[0]`.
    buf_offset: u64,
    /// Counted only for a reader that asks where pieces are (`counting_lines`).
    lines: Option<Lines>,
}

/// Lines counted up to a file offset, so that a piece's line and column are
/// known after the bytes before it are gone.
#[derive(Default)]
struct Lines {
    counted_to: u64,
    /// The line at `counted_to`, from 1.
    line: usize,
    line_start: u64,
}

impl<R: Read> Pieces<R> {
    /// Reads at most `max_bytes`; more is `Stop::Failed` with `over`.
    pub fn new(reader: R, max_bytes: u64, over: ReadFailure) -> Self {
        Pieces {
            reader,
            buf: Vec::with_capacity(2 * BLOCK),
            at: 0,
            eof: false,
            read: 0,
            max_bytes,
            over,
            first_member: true,
            first_element: true,
            last_start: 0,
            buf_offset: 0,
            lines: None,
        }
    }

    /// Counts lines as it reads, so that `last_place` can say where a piece is.
    pub fn counting_lines(mut self) -> Self {
        self.lines = Some(Lines {
            line: 1,
            ..Lines::default()
        });
        self
    }

    /// Reads another block; false at the end of the file.
    fn fill(&mut self) -> Result<bool, Stop> {
        if self.eof {
            return Ok(false);
        }
        // What was taken is let go, so the buffer stays about a block or two.
        if self.at > 0 && self.at >= self.buf.len() / 2 {
            self.count_lines_to(self.buf_offset + self.at as u64);
            self.buf.drain(..self.at);
            self.buf_offset += self.at as u64;
            self.at = 0;
        }
        let len = self.buf.len();
        self.buf.resize(len + BLOCK, 0);
        let n = loop {
            match self.reader.read(&mut self.buf[len..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.truncate(len);
                    return Err(Stop::Failed((
                        format!("cannot read the file: {e}"),
                        "check the path given to --data or check".to_string(),
                    )));
                }
            }
        };
        self.buf.truncate(len + n);
        self.read += n as u64;
        if self.read > self.max_bytes {
            return Err(Stop::Failed(self.over.clone()));
        }
        self.eof = n == 0;
        Ok(n > 0)
    }

    /// The next byte after any whitespace, not taken; `None` at the end.
    fn peek(&mut self) -> Result<Option<u8>, Stop> {
        loop {
            while let Some(&b) = self.buf.get(self.at) {
                if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                    return Ok(Some(b));
                }
                self.at += 1;
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), Stop> {
        if self.peek()? != Some(byte) {
            return Err(Stop::Unexpected);
        }
        self.at += 1;
        Ok(())
    }

    /// Opens the top-level object, after a byte-order mark if there is one.
    pub fn open(&mut self) -> Result<(), Stop> {
        while self.buf.len() < 3 && self.fill()? {}
        if self.buf.starts_with(b"\xEF\xBB\xBF") {
            self.at = 3;
        }
        self.expect(b'{')
    }

    /// The next member's key, with its colon taken; `None` after the last.
    pub fn next_member(&mut self) -> Result<Option<String>, Stop> {
        match self.peek()? {
            Some(b'}') => {
                self.at += 1;
                return Ok(None);
            }
            Some(b',') if !self.first_member => self.at += 1,
            Some(b'"') if self.first_member => {}
            _ => return Err(Stop::Unexpected),
        }
        self.first_member = false;
        if self.peek()? != Some(b'"') {
            return Err(Stop::Unexpected);
        }
        let key = serde_json::from_slice::<String>(self.value()?).map_err(|_| Stop::Unexpected)?;
        self.expect(b':')?;
        Ok(Some(key))
    }

    /// Whether the member's value is an array; if so, it is opened.
    pub fn open_array(&mut self) -> Result<bool, Stop> {
        if self.peek()? != Some(b'[') {
            return Ok(false);
        }
        self.at += 1;
        self.first_element = true;
        Ok(true)
    }

    /// The next element of the opened array; `None` after the last.
    pub fn next_element(&mut self) -> Result<Option<&[u8]>, Stop> {
        match self.peek()? {
            Some(b']') => {
                self.at += 1;
                return Ok(None);
            }
            Some(b',') if !self.first_element => self.at += 1,
            Some(_) if self.first_element => {}
            _ => return Err(Stop::Unexpected),
        }
        self.first_element = false;
        self.value().map(Some)
    }

    /// The whole file has been read: nothing but whitespace after the object.
    pub fn close(&mut self) -> Result<(), Stop> {
        match self.peek()? {
            None => Ok(()),
            Some(_) => Err(Stop::Unexpected),
        }
    }

    fn count_lines_to(&mut self, offset: u64) {
        let Some(lines) = self.lines.as_mut() else {
            return;
        };
        let from = (lines.counted_to - self.buf_offset) as usize;
        let to = (offset - self.buf_offset) as usize;
        for newline in memchr::memchr_iter(b'\n', &self.buf[from..to]) {
            lines.line += 1;
            lines.line_start = self.buf_offset + (from + newline + 1) as u64;
        }
        lines.counted_to = offset;
    }

    /// The line and column (both from 1, the column in bytes) where the last
    /// value taken starts. Ask before taking another, of a reader `counting_lines`.
    pub fn last_place(&mut self) -> (usize, usize) {
        self.count_lines_to(self.last_start);
        let lines = self
            .lines
            .as_ref()
            .expect("asked of a reader counting lines");
        (
            lines.line,
            (self.last_start - lines.line_start) as usize + 1,
        )
    }

    /// The next value's bytes, taken. Only its end is found here.
    pub fn value(&mut self) -> Result<&[u8], Stop> {
        if self.peek()?.is_none() {
            return Err(Stop::Unexpected);
        }
        self.last_start = self.buf_offset + self.at as u64;
        let mut i = 0;
        let mut depth = 0usize;
        let mut in_string = false;
        // A number or word ends where anything else begins.
        let scalar = !matches!(self.buf[self.at], b'"' | b'{' | b'[');
        let end = 'scan: loop {
            while self.at + i >= self.buf.len() {
                if !self.fill()? {
                    // Only a bare number or word may end with the file.
                    if depth == 0 && !in_string && i > 0 {
                        break 'scan i;
                    }
                    return Err(Stop::Unexpected);
                }
            }
            let rest = &self.buf[self.at + i..];
            if in_string {
                match memchr::memchr2(b'"', b'\\', rest) {
                    None => i += rest.len(),
                    Some(k) if rest[k] == b'\\' => i += k + 2,
                    Some(k) => {
                        i += k + 1;
                        in_string = false;
                        if depth == 0 {
                            break i;
                        }
                    }
                }
                continue;
            }
            match rest[0] {
                b'"' | b'{' | b'[' if scalar => break i,
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => break i,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        break i + 1;
                    }
                }
                b',' | b' ' | b'\t' | b'\n' | b'\r' if depth == 0 => break i,
                _ => {}
            }
            i += 1;
        };
        if end == 0 {
            return Err(Stop::Unexpected);
        }
        let start = self.at;
        self.at += end;
        Ok(&self.buf[start..start + end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every member and element, as text, with pieces read a few bytes at a time.
    fn walk(json: &str) -> Result<Vec<String>, String> {
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(out.len()).min(3);
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut p = Pieces::new(Trickle(json.as_bytes()), 1 << 20, Default::default());
        let mut out = Vec::new();
        let text = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap();
        let run = (|| {
            p.open()?;
            while let Some(key) = p.next_member()? {
                out.push(format!("key {key}"));
                if p.open_array()? {
                    while let Some(e) = p.next_element()? {
                        out.push(format!("element {}", text(e)));
                    }
                } else {
                    let v = p.value()?;
                    out.push(format!("value {}", text(v)));
                }
            }
            p.close()
        })();
        run.map(|()| out).map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn finds_every_member_and_element() {
        let got = walk(
            "\u{feff} { \"title\" : \"a \\\"b\\\" ]}\" , \"n\":12,\"events\":[ {\"x\":[1,{\"y\":\"]\"}]} ,[],\"s\\\\\" ,true ] }\n",
        )
        .unwrap();
        assert_eq!(
            got,
            [
                "key title",
                r#"value "a \"b\" ]}""#,
                "key n",
                "value 12",
                "key events",
                r#"element {"x":[1,{"y":"]"}]}"#,
                "element []",
                r#"element "s\\""#,
                "element true",
            ]
        );
    }

    #[test]
    fn anything_unexpected_stops_it() {
        for bad in [
            "",
            "[]",
            "{\"a\":1,}",
            "{\"a\":[1,]}",
            "{\"a\":[1 2]}",
            "{\"a\":[0{}]}",
            "{\"a\":[true\"x\"]}",
            "{\"a\":1} x",
            "{\"a\":\"cut",
            "{\"a\":[1",
            "{,\"a\":1}",
            "{\"a\" 1}",
        ] {
            assert!(walk(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn knows_where_each_value_starts() {
        let json = format!(
            "{{\"a\": [1,\n  2, \"{}\",\n\n   {{\"b\":\n3}}],\n \"c\": 4}}",
            "x\\n".repeat(BLOCK)
        );
        let mut p = Pieces::new(json.as_bytes(), u64::MAX, Default::default()).counting_lines();
        p.open().unwrap();
        p.next_member().unwrap();
        p.open_array().unwrap();
        let mut places = Vec::new();
        while p.next_element().unwrap().is_some() {
            places.push(p.last_place());
        }
        p.next_member().unwrap();
        p.value().unwrap();
        places.push(p.last_place());
        assert_eq!(places, [(1, 8), (2, 3), (2, 6), (4, 4), (6, 7)]);
    }

    /// However long the file, only about two blocks and the piece being read are held.
    #[test]
    fn holds_a_block_or_two_not_the_file() {
        let element = format!("{{\"x\":\"{}\"}}", "y".repeat(1000));
        let json = format!("{{\"a\":[{}]}}", vec![element; 20_000].join(","));
        let mut p = Pieces::new(json.as_bytes(), u64::MAX, Default::default());
        p.open().unwrap();
        p.next_member().unwrap();
        p.open_array().unwrap();
        let mut largest = 0;
        while p.next_element().unwrap().is_some() {
            largest = largest.max(p.buf.capacity());
        }
        assert!(json.len() > 10 * BLOCK);
        assert!(largest <= 3 * BLOCK, "held {largest} bytes");
    }

    #[test]
    fn stops_past_the_cap() {
        let json = format!("{{\"a\":\"{}\"}}", "x".repeat(3 * BLOCK));
        let mut p = Pieces::new(json.as_bytes(), BLOCK as u64, Default::default());
        p.open().unwrap();
        p.next_member().unwrap();
        assert!(matches!(p.value(), Err(Stop::Failed(_))));
    }
}
