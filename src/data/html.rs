//! The HTML a TimelineJS timeline writes in its text and credits, as terminal
//! text: a real HTML parser (html2text, built on html5ever) decodes entities,
//! keeps paragraphs and lists, and turns links into numbered references under
//! the text. Text without markup skips the parser, which costs tens of
//! microseconds a fragment.

use std::borrow::Cow;

use crate::data::text::sanitize;

/// Whether the text may hold a tag or an entity, and so needs the parser.
pub fn has_markup(text: &str) -> bool {
    memchr::memchr2(b'<', b'&', text.as_bytes()).is_some()
}

/// Blocks of text wrapped to `width`, links numbered and listed at the end,
/// with nothing left that could act on a terminal.
pub fn to_terminal(html: &str, width: usize) -> String {
    let width = width.max(20);
    if !has_markup(html) {
        return sanitize_lines(html.trim());
    }
    let text = html2text::config::plain_no_decorate()
        .link_footnotes(true)
        .string_from_read(html.as_bytes(), width)
        .unwrap_or_else(|_| html.to_string());
    sanitize_lines(text.trim_end())
}

/// One line of text from HTML, for headlines, group names and display dates.
pub fn inline_text(html: &str) -> String {
    if !has_markup(html) {
        return html.trim().to_string();
    }
    let text = html2text::config::plain_no_decorate()
        .string_from_read(html.as_bytes(), 100_000)
        .unwrap_or_else(|_| html.to_string());
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words to search, cheaply: tags skipped and the common entities decoded. The
/// parser renders what is shown; this only has to find the words.
pub fn search_text(html: &str) -> Cow<'_, str> {
    if !has_markup(html) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    for (entity, c) in [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&nbsp;", " "),
    ] {
        if out.contains(entity) {
            out = out.replace(entity, c);
        }
    }
    Cow::Owned(out)
}

/// Every line sanitized on its own, so the line breaks stay.
fn sanitize_lines(text: &str) -> String {
    text.lines()
        .map(|l| sanitize(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text as HTML: `&`, `<`, `>` and quotes escaped.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_html_as_clean_text_with_numbered_links() {
        let html = "<p>Caf&eacute; &amp; <b>bar</b></p><ul><li>one</li><li>two</li></ul>\
                    <p>See <a href=\"https://example.org/x\">the report</a>.</p>";
        let text = to_terminal(html, 60);
        assert!(text.contains("Café & bar"), "{text}");
        assert!(text.contains("one") && text.contains("two"), "{text}");
        assert!(!text.contains('<') && !text.contains("&amp;"), "{text}");
        assert!(
            text.contains("[1]") && text.contains("https://example.org/x"),
            "{text}"
        );
        assert!(
            text.lines().count() >= 4,
            "paragraphs and items keep their lines: {text}"
        );
    }

    #[test]
    fn never_lets_an_escape_sequence_through() {
        let text = to_terminal("<p>a\u{1b}[31mred</p>", 40);
        assert!(!text.contains('\u{1b}'), "{text:?}");
    }

    #[test]
    fn text_without_markup_is_left_as_it_is() {
        assert_eq!(inline_text(" plain words "), "plain words");
        assert_eq!(inline_text("<i>Ides</i> of March"), "Ides of March");
        assert_eq!(search_text("<p>A &amp; B</p>").trim(), "A & B");
    }
}
