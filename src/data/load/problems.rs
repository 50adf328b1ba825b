//! What is wrong with a timeline file: each problem with its place and a hint,
//! collected in one pass up to a cap.

use std::fmt;

use crate::data::text::escaped;

/// Problems listed in one pass before we stop collecting.
pub const MAX_PROBLEMS: usize = 50;

/// One thing wrong with a timeline file, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub place: String,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            escaped(&shorten_quoted(&self.place)),
            escaped(&shorten_quoted(&self.message))
        )?;
        if let Some(h) = &self.hint {
            write!(f, "\n    hint: {}", escaped(h))?;
        }
        Ok(())
    }
}

/// Longest quoted value a message repeats whole; a file's value may be megabytes.
pub const MAX_QUOTED_CHARS: usize = 120;

/// The text with each value quoted in it (between `"` or backticks) cut to
/// `MAX_QUOTED_CHARS` characters and an ellipsis, so that a message about a
/// huge value stays a line long.
pub fn shorten_quoted(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= MAX_QUOTED_CHARS {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(4 * MAX_QUOTED_CHARS));
    let mut rest = text;
    while let Some(open) = rest.find(['"', '`']) {
        let delimiter = rest.as_bytes()[open] as char;
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let Some(close) = closing(rest, delimiter) else {
            break;
        };
        let value = &rest[..close];
        match value.char_indices().nth(MAX_QUOTED_CHARS) {
            Some((cut, _)) => {
                out.push_str(&value[..cut]);
                out.push('…');
            }
            None => out.push_str(value),
        }
        out.push(delimiter);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Where the quoted value at the start of `text` ends: the next `delimiter`, not
/// counting one escaped by a backslash inside double quotes.
fn closing(text: &str, delimiter: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' && delimiter == '"' {
            escaped = true;
        } else if c == delimiter {
            return Some(i);
        }
    }
    None
}

/// A timeline that could not be loaded: every problem found, in one pass.
#[derive(Debug, Clone)]
pub struct LoadError {
    pub file: String,
    pub problems: Vec<Problem>,
    /// Problems found beyond `MAX_PROBLEMS`, not listed.
    pub more: usize,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len() + self.more;
        let plural = if n == 1 { "" } else { "s" };
        writeln!(
            f,
            "error: {} is not a valid timeline ({n} problem{plural}):",
            escaped(&self.file)
        )?;
        for p in &self.problems {
            writeln!(f, "  {p}")?;
        }
        if self.more > 0 {
            writeln!(
                f,
                "  … and {} more; fix these and run `annals check` again",
                self.more
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

#[derive(Default)]
pub(crate) struct Problems {
    pub(super) list: Vec<Problem>,
    pub(super) more: usize,
}

impl Problems {
    pub(crate) fn push(
        &mut self,
        place: impl Into<String>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(Problem {
                place: place.into(),
                message: message.into(),
                hint,
            });
        } else {
            self.more += 1;
        }
    }

    /// Like `push`, but the hint is worked out only if the problem fits in this list:
    /// some hints scan a whole article, and a bad file can have thousands of problems.
    /// (Each validation thread keeps its own list, so up to one list's worth per
    /// thread is worked out before `absorb` keeps the first.)
    pub(crate) fn push_with(
        &mut self,
        place: impl Into<String>,
        message: impl Into<String>,
        hint: impl FnOnce() -> Option<String>,
    ) {
        let hint = if self.list.len() < MAX_PROBLEMS {
            hint()
        } else {
            None
        };
        self.push(place, message, hint);
    }

    /// How many problems have been found, listed or not.
    pub(crate) fn len(&self) -> usize {
        self.list.len() + self.more
    }

    /// Adds problems found in a separate pass (events are checked on several
    /// threads), so the whole load keeps one cap on what is listed.
    pub(super) fn absorb(&mut self, other: Problems) {
        for p in other.list {
            self.push(p.place, p.message, p.hint);
        }
        self.more += other.more;
    }
}

/// Warnings kept while loading: the rest are counted, not kept, so that a file of
/// a million bad rows (each a few bytes) holds a thousand messages, not a million.
pub const MAX_WARNINGS: usize = 1000;

/// What was odd but allowed in a timeline file, each with its place: the first
/// `MAX_WARNINGS`, and a count of the rest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Warnings {
    list: Vec<Problem>,
    more: usize,
}

impl Warnings {
    pub fn push(&mut self, p: Problem) {
        if self.list.len() < MAX_WARNINGS {
            self.list.push(p);
        } else {
            self.more += 1;
        }
    }

    /// Adds warnings found later in the file, within the one cap.
    pub fn append(&mut self, other: Warnings) {
        for p in other.list {
            self.push(p);
        }
        self.more += other.more;
    }

    /// Puts a warning about the whole file first.
    pub fn insert_first(&mut self, p: Problem) {
        if self.list.len() == MAX_WARNINGS {
            self.list.pop();
            self.more += 1;
        }
        self.list.insert(0, p);
    }

    /// How many warnings there were, kept or counted.
    pub fn len(&self) -> usize {
        self.list.len() + self.more
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The warnings kept, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.list.iter()
    }

    /// The warnings kept, and how many more there were.
    pub fn into_parts(self) -> (Vec<Problem>, usize) {
        (self.list, self.more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absorbed_problems_keep_the_cap_and_count_the_rest() {
        let problems = |n: usize, more: usize| {
            let mut p = Problems::default();
            for i in 0..n {
                p.push(format!("p{i}"), "m", None);
            }
            p.more += more;
            p
        };
        let mut all = problems(MAX_PROBLEMS - 1, 0);
        all.absorb(problems(3, 5));
        assert_eq!(all.list.len(), MAX_PROBLEMS);
        assert_eq!(all.list[MAX_PROBLEMS - 1].place, "p0");
        assert_eq!(all.more, 2 + 5);
    }

    #[test]
    fn warnings_past_the_cap_are_counted_not_kept() {
        let mut w = Warnings::default();
        for i in 0..MAX_WARNINGS + 5 {
            w.push(Problem {
                place: format!("row {i}"),
                message: "m".into(),
                hint: None,
            });
        }
        let mut later = Warnings::default();
        later.push(Problem {
            place: "later".into(),
            message: "m".into(),
            hint: None,
        });
        w.append(later);
        w.insert_first(Problem {
            place: "file".into(),
            message: "m".into(),
            hint: None,
        });
        assert_eq!(w.len(), MAX_WARNINGS + 7);
        let (kept, more) = w.into_parts();
        assert_eq!((kept.len(), more), (MAX_WARNINGS, 7));
        assert_eq!(kept[0].place, "file");
    }
}
