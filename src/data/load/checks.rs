//! Checks of single fields: one-line and multi-line text, control characters,
//! ids, dates, and suggestions for an unknown id.

use rustc_hash::FxHashMap as HashMap;

use super::problems::Problems;
use crate::data::date::PartialDate;
use crate::data::text::{fold, is_forbidden_control, may_hold_control};

/// Where the first control character is, if any. Scans bytes: C0 controls and DEL
/// are single bytes, C1 controls are 0xC2 followed by 0x80–0x9F in UTF-8, and the
/// bidirectional controls start with 0xE2.
fn first_control(text: &str) -> Option<(usize, char)> {
    if !may_hold_control(text) {
        return None;
    }
    text.char_indices().find(|(_, c)| is_forbidden_control(*c))
}

/// For one-line fields (ids, names, headlines, titles): no line breaks or tabs either,
/// which would break one-line output and Markdown.
pub(crate) fn check_line(problems: &mut Problems, place: &str, field: &str, text: &str) {
    if let Some(i) = text.find(['\n', '\r', '\t']) {
        problems.push(
            place,
            format!("{field} holds a line break or tab at byte {i}"),
            Some("keep it on one line".into()),
        );
    }
    check_controls(problems, place, field, text);
}

/// For text that may run over lines: line ends are \n or \r\n.
pub(crate) fn check_text(problems: &mut Problems, place: &str, field: &str, text: &str) {
    let bytes = text.as_bytes();
    // A carriage return ends a line only before a line feed; alone, it sends a
    // terminal back to the line's start to write over it (in CSV output, say).
    if let Some(i) = memchr::memchr_iter(b'\r', bytes).find(|&i| bytes.get(i + 1) != Some(&b'\n')) {
        problems.push(
            place,
            format!("{field} holds a carriage return without a line feed at byte {i}"),
            Some("end lines with \\n (or \\r\\n)".into()),
        );
    }
    check_controls(problems, place, field, text);
}

fn check_controls(problems: &mut Problems, place: &str, field: &str, text: &str) {
    if let Some((i, c)) = first_control(text) {
        problems.push(
            place,
            format!(
                "{field} holds the control character U+{:04X} at byte {i}",
                c as u32
            ),
            Some("remove it: control and escape characters are not allowed in a timeline".into()),
        );
    }
}

/// Checks an id; `fresh` says whether it is the first of its kind with this id.
pub(super) fn check_id(
    problems: &mut Problems,
    kind: &str,
    place: impl Fn() -> String,
    id: &str,
    fresh: bool,
) {
    if id.trim().is_empty() {
        problems.push(
            place(),
            format!("{kind} has an empty id"),
            Some("give it a short unique id".into()),
        );
    } else if !fresh {
        problems.push(
            place(),
            format!("duplicate {kind} id \"{id}\""),
            Some("ids must be unique; rename one".into()),
        );
    }
    if first_control(id).is_some() || id.contains(['\n', '\r', '\t']) {
        check_line(problems, &place(), "the id", id);
    }
}

pub(super) fn parse_date(
    problems: &mut Problems,
    place: &str,
    field: &str,
    text: &str,
) -> Option<PartialDate> {
    match PartialDate::parse(text) {
        Ok(d) => Some(d),
        Err(e) => {
            problems.push(
                place,
                format!("{field}: {e}"),
                Some(
                    "dates keep only what is known: \"2021\", \"2021-03\" or \"2021-03-12\"".into(),
                ),
            );
            None
        }
    }
}

pub(super) fn suggest(ids: &HashMap<&str, usize>, wanted: &str) -> Option<String> {
    let wanted_f = fold(wanted);
    let best = ids
        .keys()
        .filter(|k| {
            let k = fold(k);
            k.contains(&wanted_f) || wanted_f.contains(&k) || common_prefix(&k, &wanted_f) >= 3
        })
        .min_by_key(|k| (k.len().abs_diff(wanted.len()), k.to_string()));
    best.map(|b| format!("did you mean \"{b}\"? Otherwise declare \"{wanted}\" in the timeline"))
}

/// Each item's position, by its id.
pub(super) fn positions<'a, T>(
    items: &'a [T],
    id: impl Fn(&'a T) -> &'a str,
) -> HashMap<&'a str, usize> {
    items.iter().enumerate().map(|(i, x)| (id(x), i)).collect()
}

pub(super) fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}
