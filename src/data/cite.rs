//! Citations, shared by the explorer's `y` and `annals cite`.

use std::borrow::Cow;

use serde::Serialize;

use crate::data::model::{Article, CopyKind, DateBasisKind, Event, Timeline, date_span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CiteFormat {
    Plain,
    Markdown,
    Json,
}

/// "Title, Outlet, 2025-01-17" with whatever of outlet and date is known; for a
/// copy, "Title, quoted from a machine-paraphrased copy of a Fox News report,
/// 2025-01 (date inferred)", so the words are never the outlet's alone.
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

/// "a machine-paraphrased copy of a Fox News report": what a copy's words are.
pub fn copy_phrase(a: &Article) -> Option<String> {
    let copy = a.copy.as_ref()?;
    let machine = if copy.machine { "machine-" } else { "" };
    let made: Vec<String> = copy
        .kinds
        .iter()
        .map(|k| match k {
            CopyKind::Republication => "republished".to_string(),
            CopyKind::Paraphrase => format!("{machine}paraphrased"),
            CopyKind::Translation => format!("{machine}translated"),
        })
        .collect();
    let language = copy
        .language
        .as_deref()
        .map(|l| format!("{l}-language "))
        .unwrap_or_default();
    let outlet = a
        .outlet
        .as_deref()
        .map(|o| format!("{o} "))
        .unwrap_or_default();
    Some(format!(
        "a {} copy of a {language}{outlet}report",
        made.join(", ")
    ))
}

/// Whose words an article's are, in a few words: the copy it is, its outlet, or
/// its title; then its date. The sources list and date marks name articles so.
pub fn whose_words(a: &Article) -> String {
    let mut who = copy_phrase(a)
        .or_else(|| a.outlet.clone())
        .unwrap_or_else(|| format!("“{}”", a.title));
    push_published(&mut who, a);
    who
}

fn push_published(label: &mut String, a: &Article) {
    if let Some(p) = a.published {
        label.push_str(&format!(", {p}"));
        if a.published_inferred {
            label.push_str(" (date inferred)");
        }
    }
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

/// The title as given, then whose words they are (the outlet, or the copy of its
/// report) and the date that is known, marked when inferred.
fn label_from_title(a: &Article, title: String, text: fn(&str) -> Cow<'_, str>) -> String {
    let mut label = title;
    if let Some(copy) = copy_phrase(a) {
        label.push_str(", quoted from ");
        label.push_str(&text(&copy));
    } else if let Some(o) = &a.outlet {
        label.push_str(", ");
        label.push_str(&text(o));
    }
    push_published(&mut label, a);
    label
}

/// What a citation of `source` says beside the event's date when that source's
/// article does not state it: "date: Kremlin readout; the article says “Thursday”".
/// None when the article states it, or when the data does not say where the date
/// comes from (then a citation claims nothing either way).
pub fn date_mark(t: &Timeline, event: &Event, source: usize) -> Option<String> {
    let basis = event.date_basis.as_ref()?;
    let article = event.sources.get(source)?.article;
    let here = basis.words_in(article);
    let mut mark = match (basis.kind, basis.giving_article()) {
        (DateBasisKind::Stated, Some(a)) if a == article => return None,
        (DateBasisKind::WorkedOut, Some(a)) if a == article => "date: worked out".to_string(),
        (DateBasisKind::Record, _) | (_, None) => format!(
            "date: {}",
            basis.reference.as_deref().unwrap_or("public record")
        ),
        (kind, Some(a)) => {
            let verb = if kind == DateBasisKind::Stated {
                "stated in"
            } else {
                "worked out from"
            };
            let words = basis.words_in(a).unwrap_or_default();
            format!(
                "date: {verb} {}, which says “{words}”",
                whose_words(&t.articles[a])
            )
        }
    };
    if let Some(w) = here {
        mark.push_str(&format!("; the article says “{w}”"));
    }
    Some(mark)
}

/// Whether the article of `source` states the event's date: None when the data
/// does not say where the date comes from.
pub fn date_stated(event: &Event, source: usize) -> Option<bool> {
    let basis = event.date_basis.as_ref()?;
    let article = event.sources.get(source)?.article;
    Some(basis.kind == DateBasisKind::Stated && basis.giving_article() == Some(article))
}

/// The event's date as a citation of `source` gives it, marked when that source
/// does not state it: "2020-07-16 (date: Kremlin readout; the article says …)".
pub fn cited_date(t: &Timeline, event: &Event, source: usize) -> String {
    match date_mark(t, event, source) {
        Some(mark) => format!("{} ({mark})", date_span(event)),
        None => date_span(event),
    }
}

// ---------- JSON shapes (stable; documented in README.md) ----------

#[derive(Debug, Serialize)]
pub struct JsonCopy<'a> {
    pub kinds: Vec<&'static str>,
    pub machine: bool,
    pub language: Option<&'a str>,
    pub signs: &'a [String],
}

pub fn json_copy(a: &Article) -> Option<JsonCopy<'_>> {
    a.copy.as_ref().map(|c| JsonCopy {
        kinds: c.kinds.iter().map(|k| k.as_str()).collect(),
        machine: c.machine,
        language: c.language.as_deref(),
        signs: &c.signs,
    })
}

#[derive(Debug, Serialize)]
pub struct JsonDateWords<'a> {
    pub article: &'a str,
    pub words: &'a str,
}

#[derive(Debug, Serialize)]
pub struct JsonDateBasis<'a> {
    pub kind: &'static str,
    pub reference: Option<&'a str>,
    pub says: Vec<JsonDateWords<'a>>,
}

pub fn json_date_basis<'a>(t: &'a Timeline, event: &'a Event) -> Option<JsonDateBasis<'a>> {
    event.date_basis.as_ref().map(|b| JsonDateBasis {
        kind: b.kind.as_str(),
        reference: b.reference.as_deref(),
        says: b
            .says
            .iter()
            .map(|w| JsonDateWords {
                article: &t.articles[w.article].id,
                words: &w.words,
            })
            .collect(),
    })
}

/// A citation of one source of an event: the date (marked when the source does not
/// state it), the headline, the quote, whose words it is, and any caveat about it.
pub fn citation(t: &Timeline, event: &Event, source: usize, format: CiteFormat) -> String {
    let index = if source < event.sources.len() {
        source
    } else {
        0
    };
    let src = event.sources.get(index);
    let date = cited_date(t, event, index);
    // An event with no quote is cited by its credit and link, never by an invented quote.
    let media = event.media.as_deref().filter(|_| src.is_none());
    let credit = media
        .and_then(|m| m.credit.as_deref())
        .map(crate::data::html::inline_text)
        .filter(|c| !c.is_empty());
    let link = media.map(|m| m.link.as_deref().unwrap_or(&m.url));
    let credit_line = match (&credit, link) {
        (Some(c), Some(l)) => Some(format!("{c}, {l}")),
        (Some(c), None) => Some(c.clone()),
        (None, Some(l)) => Some(l.to_string()),
        (None, None) => None,
    };
    match format {
        CiteFormat::Plain => {
            let mut s = format!("{date} — {}", event.headline);
            if let Some(src) = src {
                s.push_str(&format!(
                    "\n“{}”\n— {}",
                    src.quote(),
                    article_label(t, src.article)
                ));
                if let Some(c) = &src.caveat {
                    s.push_str(&format!("\nCaveat: {c}"));
                }
            } else if let Some(line) = &credit_line {
                s.push_str(&format!("\n— {line}"));
            }
            s
        }
        CiteFormat::Markdown => {
            let mut s = format!("**{}** — {}", md(&date), md(&event.headline));
            if let Some(src) = src {
                s.push_str(&format!(
                    "\n\n> {}\n\n— {}",
                    md(src.quote()),
                    markdown_article_label(t, src.article)
                ));
                if let Some(c) = &src.caveat {
                    s.push_str(&format!("\n\n*Caveat:* {}", md(c)));
                }
            } else if let Some(line) = &credit_line {
                s.push_str(&format!("\n\n— {}", md(line)));
            }
            s
        }
        CiteFormat::Json => {
            let article = src.map(|s| &t.articles[s.article]);
            let v = serde_json::json!({
                "id": event.id,
                "date": event.date.to_string(),
                "end": event.end.map(|d| d.to_string()),
                "headline": event.headline,
                "quote": src.map(|s| s.quote()),
                "article": article.map(|a| a.id.as_str()),
                "title": article.map(|a| a.title.as_str()),
                "outlet": article.and_then(|a| a.outlet.as_deref()),
                "published": article.and_then(|a| a.published.map(|d| d.to_string())),
                "published_inferred": article.map(|a| a.published_inferred),
                "published_note": article.and_then(|a| a.published_note.as_deref()),
                "copy": article.and_then(json_copy),
                "attribution": src.map(|s| article_label(t, s.article)),
                "caveat": src.and_then(|s| s.caveat.as_deref()),
                "date_basis": json_date_basis(t, event),
                "date_stated": date_stated(event, index),
                "date_mark": date_mark(t, event, index),
                "credit": credit,
                "link": link,
                "group": event.group,
            });
            serde_json::to_string_pretty(&v).expect("json")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load::{InlineOnly, load_str};

    /// Two articles, A and B; one event citing both, with this date basis.
    fn cited(basis: Option<serde_json::Value>) -> Timeline {
        let mut event = serde_json::json!({"id": "e", "date": "2020-07-16", "headline": "h",
            "summary": "s", "sources": [{"article": "a", "quote": "talks"},
            {"article": "b", "quote": "call"}]});
        if let Some(b) = basis {
            event["date_basis"] = b;
        }
        let json = serde_json::json!({"title": "t", "articles": [
            {"id": "a", "title": "A", "outlet": "Alpha", "text": "talks on 16 July 2020"},
            {"id": "b", "title": "B", "text": "a call on Thursday"}], "events": [event]});
        load_str(&json.to_string(), "t", &InlineOnly)
            .unwrap()
            .timeline
    }

    #[test]
    fn a_date_stated_by_one_article_is_marked_when_citing_another() {
        let t = cited(Some(serde_json::json!({"kind": "stated",
            "says": [{"article": "a", "words": "16 July 2020"}, {"article": "b", "words": "Thursday"}]})));
        let e = &t.events[0];
        assert_eq!(date_mark(&t, e, 0), None);
        assert_eq!(date_stated(e, 0), Some(true));
        assert_eq!(
            cited_date(&t, e, 1),
            "2020-07-16 (date: stated in Alpha, which says “16 July 2020”; the article says “Thursday”)"
        );
        assert_eq!(date_stated(e, 1), Some(false));
    }

    #[test]
    fn without_a_date_basis_a_citation_claims_nothing() {
        let t = cited(None);
        let e = &t.events[0];
        for i in 0..2 {
            assert_eq!(date_mark(&t, e, i), None);
            assert_eq!(date_stated(e, i), None);
            assert!(citation(&t, e, i, CiteFormat::Plain).starts_with("2020-07-16 — h"));
        }
    }

    #[test]
    fn a_record_date_names_its_reference_or_the_public_record() {
        let t = cited(Some(
            serde_json::json!({"kind": "record", "reference": "Kremlin readout",
            "says": [{"article": "b", "words": "Thursday"}]}),
        ));
        let e = &t.events[0];
        assert_eq!(date_mark(&t, e, 0).unwrap(), "date: Kremlin readout");
        assert_eq!(
            date_mark(&t, e, 1).unwrap(),
            "date: Kremlin readout; the article says “Thursday”"
        );
        let t = cited(Some(serde_json::json!({"kind": "record"})));
        assert_eq!(
            date_mark(&t, &t.events[0], 0).unwrap(),
            "date: public record"
        );
    }

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
