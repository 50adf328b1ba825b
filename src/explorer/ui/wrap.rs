//! Fitting text to display columns: wrapping, cutting, padding and capping lines.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::Theme;
use crate::data::text::sanitize;

/// `text` padded with spaces to `width` display columns.
pub(super) fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// Cuts `text` to at most `width` display columns, ending with "…" when cut.
pub(super) fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// The end of `text` that fits in `width` columns, with "…" in front when cut:
/// while typing, what matters is what was typed last.
pub(super) fn tail(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut w = 1;
    for c in text.chars().rev() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width {
            break;
        }
        kept.push(c);
        w += cw;
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// Greedy word wrap by display width. Returns byte ranges of `text`, one per line.
pub(super) fn wrap(text: &str, width: usize) -> Vec<(usize, usize)> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut para_start = 0;
    for para in text.split('\n') {
        wrap_paragraph(text, para_start, para_start + para.len(), width, &mut lines);
        para_start += para.len() + 1;
    }
    lines
}

fn wrap_paragraph(
    text: &str,
    from: usize,
    to: usize,
    width: usize,
    lines: &mut Vec<(usize, usize)>,
) {
    let para = &text[from..to];
    let mut line: Option<(usize, usize, usize)> = None; // start, end, width
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in para.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                words.push((from + s, from + i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((from + s, to));
    }
    if words.is_empty() {
        lines.push((from, from));
        return;
    }
    for (ws, we) in words {
        let ww = text[ws..we].width();
        if let Some((ls, le, lw)) = line {
            if lw + 1 + ww <= width {
                line = Some((ls, we, lw + 1 + ww));
                continue;
            }
            lines.push((ls, le));
        }
        if ww <= width {
            line = Some((ws, we, ww));
            continue;
        }
        // A word longer than the line is cut by display width.
        let (mut cs, mut cw) = (ws, 0);
        for (i, c) in text[ws..we].char_indices() {
            let w = c.width().unwrap_or(0);
            if cw + w > width && cw > 0 {
                lines.push((cs, ws + i));
                cs = ws + i;
                cw = 0;
            }
            cw += w;
        }
        line = Some((cs, we, cw));
    }
    if let Some((ls, le, _)) = line {
        lines.push((ls, le));
    }
}

/// Lines of wrapped text in one style.
pub(super) fn text_lines(text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    styled_lines(text, &wrap(text, width), style, None)
}

/// The lines `ranges` of `text`, sanitized, with the byte range `mark` styled.
pub(super) fn styled_lines(
    text: &str,
    ranges: &[(usize, usize)],
    style: Style,
    mark: Option<(usize, usize, Style)>,
) -> Vec<Line<'static>> {
    let piece = |from: usize, to: usize, style: Style| {
        Span::styled(sanitize(&text[from..to]).into_owned(), style)
    };
    ranges
        .iter()
        .map(|&(s, e)| match mark {
            Some((ms, me, mstyle)) if ms < e.max(s + 1) && me > s => {
                let (a, b) = (ms.max(s), me.min(e));
                Line::from(vec![
                    piece(s, a, style),
                    piece(a, b, mstyle),
                    piece(b, e, style),
                ])
            }
            _ => Line::from(piece(s, e, style)),
        })
        .collect()
}

/// At most `cap` lines; when some are left out, the last one shown ends in "…".
pub(super) fn capped(
    mut lines: Vec<Line<'static>>,
    cap: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    if lines.len() > cap {
        lines.truncate(cap);
        if let Some(last) = lines.last_mut() {
            // One ellipsis, whether or not the line itself was already cut.
            let text = format!("{last}");
            let text = text.trim_end_matches('…');
            *last = Line::styled(truncate(&format!("{text} …"), width), theme.dim());
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    use unicode_width::UnicodeWidthStr;

    #[test]
    fn wrap_breaks_on_words_and_keeps_byte_ranges() {
        let text = "one two three four\nfive";
        let lines: Vec<&str> = wrap(text, 9)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(lines, ["one two", "three", "four", "five"]);
    }

    #[test]
    fn wrap_measures_wide_characters() {
        let text = "日本語の文章";
        let lines = wrap(text, 4);
        assert!(lines.iter().all(|&(s, e)| text[s..e].width() <= 4));
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn truncate_respects_display_width() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("日本語", 4), "日…");
        assert_eq!(truncate("ab", 4), "ab");
    }
}
