//! Citations, shared by the explorer's `y` and `annals cite`.

use std::borrow::Cow;

use crate::model::{Article, Event, Timeline, date_span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CiteFormat {
    Plain,
    Markdown,
    Json,
}

/// "Title, Outlet, 2025-01-17" with whatever of outlet and date is known.
pub fn article_label(t: &Timeline, article: usize) -> String {
    let a = &t.articles[article];
    label_from_title(a, a.title.clone(), |s| Cow::Borrowed(s))
}

/// "*Title*, Outlet, 2025-01-17": only the title is in italics, as a work's title
/// is in a reference list. Citations and the Markdown export both use it.
pub fn markdown_article_label(t: &Timeline, article: usize) -> String {
    let a = &t.articles[article];
    label_from_title(a, format!("*{}*", md(&a.title)), md)
}

/// Text from the data as Markdown shows it, on one line: line breaks become spaces
/// (a blank line would end a quote), the characters that start emphasis, code,
/// links, tags, entities or strikethrough are escaped, and so is a leading mark that
/// would make a heading or a list. A title with `*` stays as written.
pub fn md(text: &str) -> Cow<'_, str> {
    const SPECIAL: &[char] = &['\\', '*', '_', '`', '[', ']', '<', '>', '&', '~'];
    const BREAKS: &[char] = &['\n', '\r', '\t'];
    let lead = leading_mark(text);
    if lead.is_none() && !text.contains(SPECIAL) && !text.contains(BREAKS) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        if SPECIAL.contains(&c) || lead == Some(i) {
            out.push('\\');
        }
        out.push(if BREAKS.contains(&c) { ' ' } else { c });
    }
    Cow::Owned(out)
}

/// Where a block mark sits at the start of the text: `#`, `-`, `+`, `=`, or the
/// `.` or `)` after a number ("1." starts a list).
fn leading_mark(text: &str) -> Option<usize> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    match text[digits..].chars().next()? {
        '.' | ')' if digits > 0 => Some(digits),
        '#' | '-' | '+' | '=' if digits == 0 => Some(0),
        _ => None,
    }
}

/// The title as given, then the outlet and date that are known.
fn label_from_title(a: &Article, title: String, text: fn(&str) -> Cow<'_, str>) -> String {
    let mut label = title;
    if let Some(o) = &a.outlet {
        label.push_str(", ");
        label.push_str(&text(o));
    }
    if let Some(p) = a.published {
        label.push_str(&format!(", {p}"));
    }
    label
}

/// A citation of one source of an event.
pub fn citation(t: &Timeline, event: &Event, source: usize, format: CiteFormat) -> String {
    let src = event.sources.get(source).or(event.sources.first());
    match format {
        CiteFormat::Plain => {
            let mut s = format!("{} — {}", date_span(event), event.headline);
            if let Some(src) = src {
                s.push_str(&format!(
                    "\n“{}”\n— {}",
                    src.quote,
                    article_label(t, src.article)
                ));
            }
            s
        }
        CiteFormat::Markdown => {
            let mut s = format!("**{}** — {}", date_span(event), md(&event.headline));
            if let Some(src) = src {
                s.push_str(&format!(
                    "\n\n> {}\n\n— {}",
                    md(&src.quote),
                    markdown_article_label(t, src.article)
                ));
            }
            s
        }
        CiteFormat::Json => {
            let v = serde_json::json!({
                "id": event.id,
                "date": event.date.to_string(),
                "end": event.end.map(|d| d.to_string()),
                "headline": event.headline,
                "quote": src.map(|s| s.quote.as_str()),
                "article": src.map(|s| t.articles[s.article].id.as_str()),
                "title": src.map(|s| t.articles[s.article].title.as_str()),
                "outlet": src.and_then(|s| t.articles[s.article].outlet.as_deref()),
                "published": src.and_then(|s| t.articles[s.article].published.map(|d| d.to_string())),
            });
            serde_json::to_string_pretty(&v).expect("json")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::md;

    #[test]
    fn markdown_text_stays_text() {
        assert_eq!(
            md("Plain words, 25-year deal."),
            "Plain words, 25-year deal."
        );
        assert_eq!(md("*Title* & co_op"), "\\*Title\\* \\& co\\_op");
        assert_eq!(md("first\n\nsecond"), "first  second");
        assert_eq!(md("# not a heading"), "\\# not a heading");
        assert_eq!(md("- not a list"), "\\- not a list");
        assert_eq!(md("1. not a list"), "1\\. not a list");
        assert_eq!(md("2025 treaty"), "2025 treaty");
    }
}
