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
        write!(f, "{}: {}", escaped(&self.place), escaped(&self.message))?;
        if let Some(h) = &self.hint {
            write!(f, "\n    hint: {}", escaped(h))?;
        }
        Ok(())
    }
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
}
