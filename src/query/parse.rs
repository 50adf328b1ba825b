//! The query language. Terms are space-separated and must all match (as in fzf).
//! A free term matches fuzzily against actor and topic names and aliases and against
//! headline words, and as a word prefix against summaries and quotes. `actor:`/`topic:`/
//! `group:` restrict a term to one field; `2017`, `2017-08` or `2017..2021` restrict dates;
//! `!` negates.

use crate::data::date::PartialDate;
use crate::data::text::{fold, words};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    Any,
    Actor,
    Topic,
    /// A TimelineJS group.
    Group,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TermKind {
    Text {
        field: Field,
        folded: String,
        words: Vec<String>,
    },
    Dates {
        from: Option<PartialDate>,
        to: Option<PartialDate>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    pub kind: TermKind,
    pub negated: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
}

/// The most characters a query may have. Real filters are a few words; matching
/// cost grows with every term and every letter, so past these limits a query is
/// refused rather than left to run for seconds.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// The most terms (words separated by spaces) a query may have.
pub const MAX_TERMS: usize = 32;
/// The most characters one term may have.
pub const MAX_TERM_CHARS: usize = 64;

/// Why a query is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TooLarge {
    Chars(usize),
    Terms(usize),
    Term { chars: usize },
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TooLarge::Chars(n) => write!(
                f,
                "the query has {n} characters; at most {MAX_QUERY_CHARS} are allowed"
            ),
            TooLarge::Terms(n) => write!(
                f,
                "the query has {n} terms; at most {MAX_TERMS} are allowed"
            ),
            TooLarge::Term { chars } => write!(
                f,
                "a term of the query has {chars} characters; at most {MAX_TERM_CHARS} are allowed"
            ),
        }
    }
}

/// Counts what the limits bound, one character at a time, so that typing can be
/// stopped at the first character that would go past one.
#[derive(Debug, Clone, Copy, Default)]
pub struct QuerySize {
    chars: usize,
    terms: usize,
    term_chars: usize,
}

impl QuerySize {
    pub fn of(text: &str) -> Self {
        let mut size = QuerySize::default();
        for c in text.chars() {
            size.push(c);
        }
        size
    }

    fn push(&mut self, c: char) {
        self.chars += 1;
        if c.is_whitespace() {
            self.term_chars = 0;
        } else {
            if self.term_chars == 0 {
                self.terms += 1;
            }
            self.term_chars += 1;
        }
    }

    fn over(&self) -> Option<TooLarge> {
        if self.chars > MAX_QUERY_CHARS {
            Some(TooLarge::Chars(self.chars))
        } else if self.terms > MAX_TERMS {
            Some(TooLarge::Terms(self.terms))
        } else if self.term_chars > MAX_TERM_CHARS {
            Some(TooLarge::Term {
                chars: self.term_chars,
            })
        } else {
            None
        }
    }

    /// How many bytes of `more` fit after the text measured so far, and, when not
    /// all of them do, the limit the next character would break.
    pub fn fitting(mut self, more: &str) -> (usize, Option<TooLarge>) {
        for (at, c) in more.char_indices() {
            self.push(c);
            if let Some(why) = self.over() {
                return (at, Some(why));
            }
        }
        (more.len(), None)
    }
}

/// A date or a range of dates as typed: `2017`, `2017-08-05`, `2017..2021`, `..2005`, `2020..`.
fn parse_date_range(text: &str) -> Option<(Option<PartialDate>, Option<PartialDate>)> {
    if let Some((a, b)) = text.split_once("..") {
        let from = if a.is_empty() {
            None
        } else {
            Some(PartialDate::parse(a).ok()?)
        };
        let to = if b.is_empty() {
            None
        } else {
            Some(PartialDate::parse(b).ok()?)
        };
        if from.is_none() && to.is_none() {
            return None;
        }
        Some((from, to))
    } else {
        let d = PartialDate::parse(text).ok()?;
        Some((Some(d), Some(d)))
    }
}

impl Term {
    /// A plain word to look for anywhere (not a date, a field restriction or a negation):
    /// the terms that search ranks by.
    pub(super) fn is_free_text(&self) -> bool {
        !self.negated
            && matches!(
                self.kind,
                TermKind::Text {
                    field: Field::Any,
                    ..
                }
            )
    }
}

/// A term matching text, in one field or any: folded, a possessive cut to its noun
/// ("Zarif's" looks for "zarif"). None when it holds no word.
fn text_term(field: Field, text: &str, negated: bool) -> Option<Term> {
    let mut folded = fold(text);
    if folded.len() > 3 && folded.ends_with("'s") {
        folded.truncate(folded.len() - 2);
    }
    let ws = words(&folded);
    if ws.is_empty() {
        return None;
    }
    Some(Term {
        kind: TermKind::Text {
            field,
            folded,
            words: ws,
        },
        negated,
    })
}

impl Query {
    /// Parses a query within the limits, or says which one it breaks, counting the
    /// whole query (not only up to the limit) so the message gives its real size.
    pub fn parse_limited(input: &str) -> Result<Query, TooLarge> {
        let chars = input.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(TooLarge::Chars(chars));
        }
        let tokens = input.split_whitespace();
        let terms = tokens.clone().count();
        if terms > MAX_TERMS {
            return Err(TooLarge::Terms(terms));
        }
        if let Some(chars) = tokens
            .map(|t| t.chars().count())
            .find(|&n| n > MAX_TERM_CHARS)
        {
            return Err(TooLarge::Term { chars });
        }
        Ok(Query::parse(input))
    }

    /// Parses a query as typed, whatever its size: callers that take a query from a
    /// user go through `parse_limited`.
    pub fn parse(input: &str) -> Query {
        let terms = input
            .split_whitespace()
            .filter_map(Self::parse_term)
            .collect();
        Query { terms }
    }

    fn parse_term(token: &str) -> Option<Term> {
        let (negated, body) = match token.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, token),
        };
        if body.is_empty() {
            return None;
        }
        let lower = body.to_lowercase();
        let (field, rest) = if let Some(r) = lower
            .strip_prefix("actor:")
            .or_else(|| lower.strip_prefix("a:"))
        {
            (Field::Actor, r)
        } else if let Some(r) = lower
            .strip_prefix("topic:")
            .or_else(|| lower.strip_prefix("t:"))
        {
            (Field::Topic, r)
        } else if let Some(r) = lower
            .strip_prefix("group:")
            .or_else(|| lower.strip_prefix("g:"))
        {
            (Field::Group, r)
        } else {
            (Field::Any, lower.as_str())
        };
        if field == Field::Any
            && let Some((from, to)) = parse_date_range(rest)
        {
            return Some(Term {
                kind: TermKind::Dates { from, to },
                negated,
            });
        }
        text_term(field, rest, negated)
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether a term searches words (not only names or dates), so that it needs
    /// the word index to answer.
    pub fn needs_words(&self) -> bool {
        self.terms.iter().any(|t| {
            matches!(
                t.kind,
                TermKind::Text {
                    field: Field::Any,
                    ..
                }
            )
        })
    }

    /// A term that matches only actors (or only topics or groups), from text that may hold spaces.
    pub fn field_term(field: Field, text: &str) -> Option<Term> {
        text_term(field, text.trim(), false)
    }

    /// Text terms (not negated), for highlighting.
    pub fn highlight_words(&self) -> Vec<&str> {
        self.terms
            .iter()
            .filter(|t| !t.negated)
            .filter_map(|t| match &t.kind {
                TermKind::Text { words, .. } => Some(words.iter().map(String::as_str)),
                _ => None,
            })
            .flatten()
            .collect()
    }
}

#[cfg(test)]
mod tests {

    use crate::query::parse::{MAX_TERM_CHARS, MAX_TERMS, Query, QuerySize, TooLarge};

    #[test]
    fn group_and_its_short_form_restrict_a_term_to_groups() {
        use crate::query::parse::{Field, TermKind};
        for q in ["group:Early-Modern", "g:early-modern", "!G:early-modern"] {
            let term = &Query::parse(q).terms[0];
            let TermKind::Text { field, folded, .. } = &term.kind else {
                panic!("{q} is not a text term");
            };
            assert_eq!(
                (field, folded.as_str()),
                (&Field::Group, "early-modern"),
                "{q}"
            );
            assert_eq!(term.negated, q.starts_with('!'), "{q}");
        }
        // A group named like a year is a name, not a date range.
        let TermKind::Text { field, .. } = &Query::parse("g:2001").terms[0].kind else {
            panic!("g:2001 is not a text term");
        };
        assert_eq!(field, &Field::Group);
    }

    #[test]
    fn queries_past_the_limits_are_refused_and_typing_stops_at_the_limit() {
        let many = "w ".repeat(10_000);
        assert_eq!(Query::parse_limited(&many), Err(TooLarge::Chars(20_000)));
        let terms = "w ".repeat(MAX_TERMS + 1);
        assert_eq!(
            Query::parse_limited(&terms),
            Err(TooLarge::Terms(MAX_TERMS + 1))
        );
        let long = "x".repeat(100_000);
        assert!(Query::parse_limited(&long).is_err());
        let word = "y".repeat(MAX_TERM_CHARS + 1);
        assert_eq!(
            Query::parse_limited(&word),
            Err(TooLarge::Term {
                chars: MAX_TERM_CHARS + 1
            })
        );
        assert!(Query::parse_limited("actor:putin 2001..2005 !gas").is_ok());
        // Typing: what fits is taken, up to the first character past a limit.
        let (fits, why) = QuerySize::of("ab").fitting(&"c".repeat(100));
        assert_eq!(fits, MAX_TERM_CHARS - 2);
        assert_eq!(
            why,
            Some(TooLarge::Term {
                chars: MAX_TERM_CHARS + 1
            })
        );
        let (fits, why) = QuerySize::of("").fitting("é ".repeat(40).as_str());
        assert_eq!(fits, "é ".repeat(MAX_TERMS).len());
        assert_eq!(why, Some(TooLarge::Terms(MAX_TERMS + 1)));
        assert_eq!(QuerySize::of("").fitting("a b"), (3, None));
    }
}
