//! Finding a quote in its article byte for byte, and the hint for one that is not there.

use rustc_hash::FxHashSet as HashSet;

use super::checks::common_prefix;
use crate::data::text::{fold, is_apostrophe, is_dash, is_quote_mark, word_byte_spans, words};

/// Finds a quote in an article, byte for byte, exactly as `str::find` would. Long
/// quotes are found by their first bytes and then compared whole, which is much
/// cheaper than building a searcher for the whole quote. Every occurrence of the
/// prefix is tried, overlapping ones too: an earlier partial match may overlap the
/// real one.
pub(crate) fn find_quote(text: &str, quote: &str) -> Option<usize> {
    const PREFIX: usize = 24;
    let (hay, needle) = (text.as_bytes(), quote.as_bytes());
    if needle.len() <= PREFIX {
        return memchr::memmem::find(hay, needle);
    }
    let prefix = memchr::memmem::Finder::new(&needle[..PREFIX]);
    let mut from = 0;
    while let Some(found) = prefix.find(&hay[from..]) {
        let at = from + found;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// How to fix a quote the article does not have: the passage it nearly matches,
/// and, when the two look the same, which character differs.
pub(crate) fn quote_hint(text: &str, quote: &str) -> String {
    let Some((from, to)) = closest_span(text, quote) else {
        return "copy the words exactly as the article has them".into();
    };
    let passage = &text[from..to];
    // As many characters as the quote has, from where the passage starts.
    let same_length: String = text[from..].chars().take(quote.chars().count()).collect();
    if let Some((at, article, quoted)) = look_alike(&same_length, quote) {
        return format!(
            "the article has U+{:04X} ({}) where the quote has U+{:04X} ({}), at character {} \
             of the quote; they look alike, so copy the article's words: \"{}\"",
            article as u32,
            char_name(article),
            quoted as u32,
            char_name(quoted),
            at + 1,
            shortened(&same_length)
        );
    }
    format!(
        "the closest passage in the article is: \"{}\"; copy the words exactly",
        shortened(passage)
    )
}

/// Where `passage` and `quote` first differ, when every difference is between
/// characters that read the same: kinds of space, apostrophe, quote mark or dash.
fn look_alike(passage: &str, quote: &str) -> Option<(usize, char, char)> {
    if passage.chars().count() != quote.chars().count() {
        return None;
    }
    let kind = |c: char| {
        if c.is_whitespace() {
            Some(' ')
        } else if is_apostrophe(c) {
            Some('\'')
        } else if is_quote_mark(c) {
            Some('"')
        } else if is_dash(c) {
            Some('-')
        } else {
            None
        }
    };
    let mut first = None;
    for (i, (a, q)) in passage.chars().zip(quote.chars()).enumerate() {
        if a == q {
            continue;
        }
        if kind(a).is_none() || kind(a) != kind(q) {
            return None;
        }
        first.get_or_insert((i, a, q));
    }
    first
}

/// A plain name for the look-alike characters a hint may point at.
fn char_name(c: char) -> &'static str {
    match c {
        ' ' => "a space",
        '\u{00A0}' => "a no-break space",
        '\u{202F}' => "a narrow no-break space",
        '\u{2009}' => "a thin space",
        '\'' => "a straight apostrophe",
        '\u{2019}' => "a curly apostrophe",
        '"' => "a straight quote mark",
        '\u{201C}' | '\u{201D}' => "a curly quote mark",
        '-' => "a hyphen",
        '\u{2013}' => "an en dash",
        '\u{2014}' => "an em dash",
        '\n' => "a line break",
        _ => "a look-alike",
    }
}

/// At most 200 characters of a passage, for a message.
fn shortened(passage: &str) -> String {
    let short: String = passage.chars().take(200).collect();
    if short.len() < passage.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// Byte range of the run of the article's words that shares the most words with
/// the quote, so a near miss can be fixed by copying it.
fn closest_span(text: &str, quote: &str) -> Option<(usize, usize)> {
    let quote_words = words(&fold(quote));
    let qlen = quote_words.len().max(1);
    let qwords: HashSet<String> = quote_words.into_iter().collect();
    if qwords.is_empty() {
        return None;
    }
    let spans = word_byte_spans(text);
    // A word counts when it is in the quote or shares its first four letters with a
    // quote word, so a typo still points at the right passage.
    let near = |w: &String| {
        qwords
            .iter()
            .any(|q| q == w || (common_prefix(q, w) >= 4.min(q.len()).min(w.len()) && q.len() >= 4))
    };
    let hits: Vec<bool> = spans
        .iter()
        .map(|&(s, e)| words(&fold(&text[s..e])).iter().any(near))
        .collect();
    let mut best = (0usize, 0usize);
    let mut count = 0;
    for i in 0..hits.len() {
        count += hits[i] as usize;
        if i >= qlen {
            count -= hits[i - qlen] as usize;
        }
        if count > best.0 {
            best = (count, i.saturating_sub(qlen - 1));
        }
    }
    if best.0 == 0 {
        return None;
    }
    let from = spans[best.1].0;
    let to = spans[(best.1 + qlen - 1).min(spans.len() - 1)].1;
    Some((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    /// Text over a small vocabulary, where partial matches overlap the real one often.
    fn wordy() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec!["Russia ", "and ", "Iran", ", ", "Iran, ", "a", "é"]),
            0..60,
        )
        .prop_map(|words| words.concat())
    }

    proptest::proptest! {
        #![proptest_config(crate::fuzz_cases(4000))]

        #[test]
        fn the_quote_finder_agrees_with_str_find(text in wordy(), cut in 0usize..400, len in 0usize..200, other in wordy()) {
            // A real quote (a slice of the text) and an arbitrary one.
            let chars: Vec<char> = text.chars().collect();
            let start = cut.min(chars.len());
            let end = (start + len).min(chars.len());
            let real: String = chars[start..end].iter().collect();
            proptest::prop_assert_eq!(find_quote(&text, &real), text.find(real.as_str()));
            proptest::prop_assert_eq!(find_quote(&text, &other), text.find(other.as_str()));
        }
    }

    #[test]
    fn a_quote_is_found_after_an_overlapping_partial_match() {
        let text = "Russia and Iran, Russia and Iran, Russia and China agreed.";
        let quote = "Russia and Iran, Russia and China agreed.";
        assert_eq!(find_quote(text, quote), text.find(quote));
        assert!(find_quote(text, quote).is_some());
    }

    #[test]
    fn closest_passage_points_at_the_near_miss() {
        let text = "One two three. The cat sat on the mat today.";
        let (from, to) = closest_span(text, "the cat sit on the mat").unwrap();
        let p = &text[from..to];
        assert!(p.starts_with("The cat sat on the mat"), "{p}");
    }

    #[test]
    fn a_quote_that_differs_only_by_a_look_alike_is_told_which_character() {
        let text = "Moscow. Putin\u{a0}met Khatami\u{2019}s team today.";
        let hint = quote_hint(text, "Putin met Khatami's team today.");
        assert!(
            hint.starts_with(
                "the article has U+00A0 (a no-break space) where the quote has U+0020 (a space), at character 6"
            ),
            "{hint}"
        );
        // Other words are a near miss, shown as one.
        let hint = quote_hint(text, "Putin met Khatami's crew.");
        assert!(hint.starts_with("the closest passage"), "{hint}");
    }
}
