//! Text helpers shared by every layer: folding for search, word splitting,
//! and making data-file text safe to put on a terminal.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Whether a character is written as an apostrophe: straight, curly, primes and
/// accents people type for one. All fold to `'`.
pub fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}'
    )
}

/// Whether a character is written as a double quote mark: straight, curly, guillemets.
pub fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}'..='\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}'
    )
}

/// Whether a character is written as a hyphen: hyphens, dashes and the minus sign.
pub fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// Folds one character the way a writer types: lower case, straight quotes,
/// no diacritics. Returns the folded characters (usually one).
fn fold_char(c: char, out: &mut String) {
    match c {
        _ if is_apostrophe(c) => out.push('\''),
        _ if is_quote_mark(c) => out.push('"'),
        _ if is_dash(c) => out.push('-'),
        'ß' => out.push_str("ss"),
        // A word-final sigma: "ΟΔΟΣ", "οδος" and "οδοσ" are one word.
        'ς' => out.push('σ'),
        _ if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        _ => {
            for d in c.to_lowercase().nfd() {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            }
        }
    }
}

/// Lower-cases, straightens quotes and apostrophes, and strips simple diacritics.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// Folds text and remembers, for each folded char, the index of the original char
/// it came from, so matches in folded text can be highlighted in the original.
pub fn fold_with_map(text: &str) -> (Vec<char>, Vec<usize>) {
    let mut chars = Vec::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    let mut buf = String::new();
    for (i, c) in text.chars().enumerate() {
        buf.clear();
        fold_char(c, &mut buf);
        for f in buf.chars() {
            chars.push(f);
            map.push(i);
        }
    }
    (chars, map)
}

/// A character that joins letters into one word: apostrophes ("zarif's") are dropped
/// inside words so that "Zarif's" and "zarifs" meet.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

/// The words of already-folded text, with apostrophes inside words removed.
pub fn words(folded: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(folded, &mut String::new(), |w| out.push(w.to_string()));
    out
}

/// Calls `f` with each word of already-folded text (apostrophes inside words
/// removed), reusing `buf` so that no word is allocated.
pub fn for_each_word(folded: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    buf.clear();
    if !folded.contains('\'') {
        // No apostrophes to drop: words are slices of the text itself.
        for w in folded
            .split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
        {
            f(w);
        }
        return;
    }
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        if is_word_char(c) {
            buf.push(c);
        } else if c == '\'' && !buf.is_empty() && chars.peek().is_some_and(|n| is_word_char(*n)) {
            // apostrophe inside a word: skip it
        } else if !buf.is_empty() {
            f(buf);
            buf.clear();
        }
    }
    if !buf.is_empty() {
        f(buf);
        buf.clear();
    }
}

/// Folds `text` into `out`, replacing what it held.
pub fn fold_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() && !text.contains('`') {
        // Most text is plain ASCII: lower-case it in one go.
        out.push_str(text);
        out.make_ascii_lowercase();
        return;
    }
    for c in text.chars() {
        fold_char(c, out);
    }
}

/// British and American spellings that news copy mixes; a word in one spelling also
/// finds the other ("defense" finds "defence").
const SPELLINGS: &[(&str, &str)] = &[
    ("analyse", "analyze"),
    ("behaviour", "behavior"),
    ("centre", "center"),
    ("centres", "centers"),
    ("criticise", "criticize"),
    ("criticised", "criticized"),
    ("defence", "defense"),
    ("defences", "defenses"),
    ("favour", "favor"),
    ("honour", "honor"),
    ("kilometres", "kilometers"),
    ("labour", "labor"),
    ("licence", "license"),
    ("metre", "meter"),
    ("metres", "meters"),
    ("modernisation", "modernization"),
    ("neighbour", "neighbor"),
    ("neighbours", "neighbors"),
    ("offence", "offense"),
    ("organisation", "organization"),
    ("organisations", "organizations"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("recognise", "recognize"),
    ("recognised", "recognized"),
    ("rumour", "rumor"),
];

/// The other spelling of a word, if it has one.
pub fn spelling_variant(word: &str) -> Option<&'static str> {
    SPELLINGS.iter().find_map(|&(uk, us)| {
        if word == uk {
            Some(us)
        } else if word == us {
            Some(uk)
        } else {
            None
        }
    })
}

/// Word spans in a folded char slice: (start, end) char indices, apostrophes kept inside.
pub fn word_spans(chars: &[char]) -> Vec<(usize, usize)> {
    spans_of(chars.iter().copied().enumerate(), chars.len())
}

/// Word spans in unfolded text: (start, end) byte offsets, so a passage can be cut
/// out verbatim. Any apostrophe or right single quote counts as one, as folding would.
pub fn word_byte_spans(text: &str) -> Vec<(usize, usize)> {
    spans_of(text.char_indices(), text.len())
}

/// Runs of word characters, with an apostrophe between two of them kept inside
/// ("Zarif's"). `chars` yields each character with its position; `end` is the
/// position after the last. Folded text has only `'`, which `is_apostrophe` knows too.
fn spans_of(chars: impl Iterator<Item = (usize, char)>, end: usize) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    let mut chars = chars.peekable();
    while let Some((i, c)) = chars.next() {
        let inside = is_word_char(c)
            || (start.is_some()
                && is_apostrophe(c)
                && chars.peek().is_some_and(|&(_, n)| is_word_char(n)));
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, end));
    }
    spans
}

/// Whether a character must never reach the terminal from a data file:
/// C0 controls (ESC among them) but tab, newline and carriage return, DEL, and C1 controls.
/// Whether `text` may hold a forbidden control character: false is sure, and
/// cheap. Scans bytes: C0 controls and DEL are single bytes, C1 controls are 0xC2
/// followed by 0x80–0x9F in UTF-8, and the bidirectional controls start with 0xE2.
pub fn may_hold_control(text: &str) -> bool {
    text.as_bytes().chunks(64).any(suspicious_block)
}

/// Whether a block may hold a control character. Written as an OR-reduction
/// without branches so that the compiler vectorizes it.
fn suspicious_block(block: &[u8]) -> bool {
    let mut acc = 0u8;
    for &b in block {
        let c0 = (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r');
        acc |= (c0 | (b == 0x7f) | (b == 0xc2) | (b == 0xe2)) as u8;
    }
    acc != 0
}

pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t' | '\r')) || is_bidi_control(c)
}

/// Bidirectional embeddings, overrides and isolates: they reorder what is shown,
/// so a data file could make text read differently from what it says.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Invisible format characters a terminal never receives from a data file: the
/// bidirectional marks (U+200E, U+200F, U+061C), which reorder text on a terminal
/// that applies the bidi algorithm; line and paragraph separators, which some
/// terminals break lines at; and zero-width characters that hide text or split a
/// word without a trace (zero-width space, word joiner, invisible operators, the
/// byte-order mark, interlinear annotations, tag characters). Zero-width joiner and
/// non-joiner are not among them: they only join or part the letters beside them,
/// as Persian and Indic scripts and emoji sequences need, and reorder nothing.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// A character that could act on a terminal, reorder what it shows, or hide.
pub fn acts_on_terminal(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible_format(c)
}

/// JSON text with every invisible format character written as a `\uXXXX` escape:
/// the same data, but nothing in it that acts on a terminal. JSON's structure is
/// ASCII, so such characters can only be inside strings, where the escape is exact.
pub fn json_without_invisibles(json: String) -> String {
    if !json.chars().any(is_invisible_format) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    let mut units = [0u16; 2];
    for c in json.chars() {
        if is_invisible_format(c) {
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", u));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A text cell for a spreadsheet: one that starts with `=`, `+`, `-`, `@`, tab or
/// carriage return gets a leading `'`, as OWASP advises against CSV injection, so
/// the spreadsheet shows it as text instead of running it as a formula. Invisible
/// characters are replaced as on a terminal. Not for date cells: `-44` is a year.
pub fn spreadsheet_text(cell: &str) -> std::borrow::Cow<'_, str> {
    let cell = if cell.chars().any(is_invisible_format) {
        std::borrow::Cow::Owned(
            cell.chars()
                .map(|c| {
                    if is_invisible_format(c) {
                        '\u{FFFD}'
                    } else {
                        c
                    }
                })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(cell)
    };
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        cell
    }
}

/// A spreadsheet cell as written by `spreadsheet_text`, its guarding `'` taken off.
pub fn from_spreadsheet_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// Replaces anything that could act on a terminal with a visible stand-in.
/// Tabs become a space; other controls become U+FFFD.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => ' ',
                c if acts_on_terminal(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// Text from a data file as it may appear in a message: control characters are
/// written as JSON escapes (`\u001b`), so a message about a bad file can never act on
/// the terminal it is printed to, and the reader can find the character in the file.
pub fn escaped(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if acts_on_terminal(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A message for stderr: its lines kept, anything else that could act on the
/// terminal escaped. Messages quote file contents and command-line arguments.
pub fn message_lines(text: &str) -> String {
    per_line(text, escaped)
}

/// Text for the terminal with its line breaks kept, and anything else that could act
/// on it replaced (`sanitize`), as in a multi-line citation.
pub fn sanitize_lines(text: &str) -> String {
    per_line(text, sanitize)
}

fn per_line<'a>(text: &'a str, clean: fn(&'a str) -> std::borrow::Cow<'a, str>) -> String {
    text.split('\n').map(clean).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_quotes_and_diacritics() {
        assert_eq!(
            fold("Zarif’s “Deal” Pézéshkian"),
            "zarif's \"deal\" pezeshkian"
        );
        assert_eq!(fold("Straße"), "strasse");
    }

    #[test]
    fn word_spans_in_unfolded_text_are_byte_ranges() {
        let text = "Zarif’s trip, 'quoted' — Tehran";
        let got: Vec<&str> = word_byte_spans(text)
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert_eq!(got, ["Zarif’s", "trip", "quoted", "Tehran"]);
        let chars: Vec<char> = fold(text).chars().collect();
        assert_eq!(word_spans(&chars).len(), 4, "the folded text splits alike");
    }

    #[test]
    fn a_backtick_folds_to_an_apostrophe_in_plain_ascii_too() {
        assert_eq!(fold("Zarif`s"), "zarif's");
        assert_eq!(fold("Zarif`s café"), "zarif's cafe");
    }

    #[test]
    fn apostrophes_join_words() {
        assert_eq!(
            words(&fold("Zarif’s arrival, north-south")),
            ["zarifs", "arrival", "north", "south"]
        );
    }

    #[test]
    fn fold_map_points_back_to_original_chars() {
        let (chars, map) = fold_with_map("Éa");
        assert_eq!(chars, ['e', 'a']);
        assert_eq!(map, [0, 1]);
    }

    #[test]
    fn sanitize_removes_escape_sequences() {
        let s = sanitize("a\u{1b}[31mb\u{9b}c\u{7}");
        assert!(!s.contains('\u{1b}') && !s.contains('\u{9b}') && !s.contains('\u{7}'));
        assert!(s.starts_with('a'));
        assert!(!sanitize("abc\u{202E}def").contains('\u{202E}'));
    }

    #[test]
    fn invisible_marks_never_reach_the_terminal_but_joiners_do() {
        for mark in [
            '\u{200E}',
            '\u{200F}',
            '\u{061C}',
            '\u{200B}',
            '\u{2028}',
            '\u{FEFF}',
            '\u{E0041}',
        ] {
            let text = format!("a{mark}b");
            assert!(!sanitize(&text).contains(mark), "{mark:?}");
            assert!(escaped(&text).contains(&format!("\\u{:04x}", mark as u32)));
        }
        // A family emoji and a Persian word with a non-joiner stay whole.
        for kept in [
            "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
            "\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}",
        ] {
            assert_eq!(sanitize(kept), kept);
        }
        let json = json_without_invisibles("{\"a\":\"x\u{200F}y\u{E0041}\"}".into());
        assert_eq!(json, r#"{"a":"x\u200fy\udb40\udc41"}"#);
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["a"], "x\u{200F}y\u{E0041}");
    }

    #[test]
    fn spreadsheet_cells_that_would_run_as_formulas_are_quoted() {
        for cell in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            let safe = spreadsheet_text(cell);
            assert_eq!(safe, format!("'{cell}"));
            assert_eq!(from_spreadsheet_text(&safe), cell);
        }
        assert_eq!(spreadsheet_text("Putin, 2001"), "Putin, 2001");
        assert_eq!(from_spreadsheet_text("'tis"), "'tis");
    }

    #[test]
    fn british_and_american_spellings_pair_up() {
        assert_eq!(spelling_variant("defence"), Some("defense"));
        assert_eq!(spelling_variant("programs"), Some("programmes"));
        assert_eq!(spelling_variant("pipeline"), None);
    }
}
