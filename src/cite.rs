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

/// Text from the data as Markdown shows it: the characters that would start
/// emphasis, code, a link or a tag are escaped, so a title with `*` stays as written.
pub fn md(text: &str) -> Cow<'_, str> {
    const SPECIAL: &[char] = &['\\', '*', '_', '`', '[', ']', '<', '>'];
    if !text.contains(SPECIAL) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    Cow::Owned(out)
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
