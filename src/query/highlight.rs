//! Which characters of a row on screen to highlight for the query.

use fuzzy_matcher::skim::SkimMatcherV2;

use super::index::fuzzy_in;
use crate::data::text::{fold_with_map, spelling_variant, word_spans};

/// Char indices of `text` to highlight for the query's words: word prefixes, or a
/// compact fuzzy match inside one word. Used only for rows on screen.
pub fn highlight(matcher: &SkimMatcherV2, text: &str, words_to_find: &[&str]) -> Vec<usize> {
    if words_to_find.is_empty() {
        return Vec::new();
    }
    let (chars, map) = fold_with_map(text);
    let mut out = Vec::new();
    for (s, e) in word_spans(&chars) {
        // Words are matched without their apostrophes: where each letter is.
        let letters: Vec<usize> = (s..e).filter(|&k| chars[k] != '\'').collect();
        let word: String = letters.iter().map(|&k| chars[k]).collect();
        let variant = spelling_variant(&word);
        for w in words_to_find {
            if variant.is_some_and(|v| v.starts_with(w)) {
                out.extend((s..e).map(|k| map[k]));
            } else if word.starts_with(w) {
                // The prefix's letters and any apostrophe between them.
                if let Some(&last) = letters.get(w.chars().count().wrapping_sub(1)) {
                    out.extend((s..=last).map(|k| map[k]));
                }
            } else if let Some((_, idx)) = fuzzy_in(matcher, w, &word) {
                out.extend(idx.iter().filter_map(|&k| letters.get(k)).map(|&k| map[k]));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {

    use crate::query::highlight::highlight;

    use fuzzy_matcher::skim::SkimMatcherV2;

    #[test]
    fn highlights_prefixes_in_original_text() {
        let m = SkimMatcherV2::default();
        let h = highlight(&m, "Zarif’s Moscow trip", &["zarifs", "mos"]);
        assert_eq!(h, vec![0, 1, 2, 3, 4, 5, 6, 8, 9, 10]);
    }

    #[test]
    fn a_fuzzy_highlight_after_an_apostrophe_marks_the_letters_it_matched() {
        let m = SkimMatcherV2::default();
        // "ourke" is inside the word, so it is a fuzzy match in "o'rourke".
        let text: Vec<char> = "O'Rourke visits".chars().collect();
        let h = highlight(&m, &text.iter().collect::<String>(), &["ourke"]);
        let marked: String = h.iter().map(|&i| text[i]).collect();
        assert_eq!(marked.to_lowercase(), "ourke");
    }
}
