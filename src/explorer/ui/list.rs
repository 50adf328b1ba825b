//! The chronology list: year headings and one row per event, with matches highlighted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_normalization::char::is_combining_mark;
use unicode_width::UnicodeWidthStr;

use super::filter_bar::picked_names;
use super::layout::pane;
use super::theme::Theme;
use super::wrap::truncate;
use crate::data::date::{PartialDate, year_label};
use crate::data::model::{ActorKind, Event, Timeline};
use crate::data::text::sanitize;
use crate::explorer::app::{App, Mode, Row};
use crate::query::highlight::highlight;

/// The date written to its precision and padded to one width.
/// An event that spans time shows its start with an arrow ("2011-03→"); the details
/// show the whole span. Ends with the space before the headline, but for a full
/// date with an arrow, which fills the column: "2020-01-02→Headline".
fn date_cell(d: &PartialDate, spans: bool) -> String {
    let arrow = if spans { "→" } else { "" };
    // A full date fills the column; its arrow takes the space.
    format!("{:<11}", format!("{d}{arrow}"))
}

/// Compact actor tags: a person's surname, other actors' names.
fn tags(t: &Timeline, e: &Event) -> String {
    let names: Vec<&str> = e
        .actors
        .iter()
        .map(|&a| {
            let actor = &t.actors[a];
            match actor.kind {
                ActorKind::Person => actor.name.rsplit(' ').next().unwrap_or(&actor.name),
                _ => actor.name.as_str(),
            }
        })
        .collect();
    names.join(", ")
}

pub(super) fn render_list(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let title = format!(" {} ", sanitize(&app.timeline.title));
    let inner = pane(frame, area, theme, &title, true);
    if app.view.visible.is_empty() {
        let typed = app.input.trim();
        let what = match (typed.is_empty(), picked_names(app)) {
            (false, picks) if picks.is_empty() => format!("“{}”", truncate(&sanitize(typed), 40)),
            (false, picks) => format!("“{}” with {picks}", truncate(&sanitize(typed), 30)),
            (true, picks) => picks,
        };
        let how = if typed.is_empty() && app.matcher.index.groups().is_empty() {
            "Esc clears the picks; a and t change them."
        } else if typed.is_empty() {
            "Esc clears the picks; a, t and p change them."
        } else if app.mode == Mode::Filter {
            "Backspace edits the filter; Esc clears it."
        } else {
            "Esc clears the filter; / edits it."
        };
        let mut msg = vec![
            Line::from(""),
            Line::styled(
                truncate(&format!("No events match {what}."), inner.width as usize),
                theme.heading(),
            ),
            Line::from(how),
        ];
        for (typed, known) in &app.view.suggestions {
            msg.push(Line::from(format!(
                "Did you mean “{}” for “{}”?",
                sanitize(known),
                sanitize(typed)
            )));
        }
        frame.render_widget(Paragraph::new(msg).centered(), inner);
        return;
    }
    let words = app.selection.query.highlight_words();
    let matcher = app.matcher.index.matcher();
    let width = inner.width as usize;
    let selected = app.selected();
    let lines: Vec<Line> = app
        .view
        .rows
        .iter()
        .skip(app.list_offset)
        .take(inner.height as usize)
        .map(|row| match *row {
            Row::Year(y) => {
                let label = format!("── {} ", year_label(y));
                let fill = "─".repeat(width.saturating_sub(label.width()));
                Line::styled(format!("{label}{fill}"), theme.heading())
            }
            Row::Event(e) => event_row(
                app,
                e as usize,
                selected == Some(e as usize),
                width,
                &words,
                matcher,
                theme,
            ),
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn event_row(
    app: &App,
    e: usize,
    selected: bool,
    width: usize,
    words: &[&str],
    matcher: &fuzzy_matcher::skim::SkimMatcherV2,
    theme: &Theme,
) -> Line<'static> {
    let t = &app.timeline;
    let event = &t.events[e];
    let marker = if selected { "▶ " } else { "  " };
    let date = date_cell(&event.date, event.spans());
    let fixed = marker.width() + date.width();
    let room = width.saturating_sub(fixed);
    let headline = sanitize(&event.headline).into_owned();
    let tag_text = sanitize(&tags(t, event)).into_owned();
    let head_w = headline.width();
    let (head, tag) = if head_w + 3 + tag_text.width() <= room {
        (headline, tag_text)
    } else if head_w + 3 + 8 <= room {
        let tw = room - head_w - 3;
        (headline, truncate(&tag_text, tw))
    } else {
        (truncate(&headline, room), String::new())
    };
    let base = if selected {
        theme.selected()
    } else {
        Style::new()
    };
    let mut spans = vec![
        Span::styled(marker, base),
        Span::styled(
            date,
            base.patch(if selected { Style::new() } else { theme.date() }),
        ),
    ];
    let hl = highlight(matcher, &head, words);
    spans.extend(highlighted_spans(
        &head,
        &hl,
        base,
        base.patch(theme.matched()),
    ));
    if !tag.is_empty() {
        spans.push(Span::styled(" · ", base));
        let hl = highlight(matcher, &tag, words);
        let tag_style = base.patch(if selected { Style::new() } else { theme.tag() });
        spans.extend(highlighted_spans(
            &tag,
            &hl,
            tag_style,
            tag_style.patch(theme.matched()),
        ));
    }
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    if selected && used < width {
        spans.push(Span::styled(" ".repeat(width - used), base));
    }
    Line::from(spans)
}

/// Splits text into spans, styling the chars at `marks` (sorted char indices).
fn highlighted_spans(
    text: &str,
    marks: &[usize],
    normal: Style,
    marked: Style,
) -> Vec<Span<'static>> {
    if marks.is_empty() {
        return vec![Span::styled(text.to_string(), normal)];
    }
    let mut spans = Vec::new();
    let mut cur = String::new();
    let mut cur_marked = false;
    let mut m = marks.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        let mut is = m.peek() == Some(&&i);
        if is {
            m.next();
        }
        // A combining mark stays with its letter, or a split would drop the accent.
        if is_combining_mark(c) && !cur.is_empty() {
            is = cur_marked;
        }
        if is != cur_marked && !cur.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut cur),
                if cur_marked { marked } else { normal },
            ));
        }
        cur_marked = is;
        cur.push(c);
    }
    if !cur.is_empty() {
        spans.push(Span::styled(cur, if cur_marked { marked } else { normal }));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::date::PartialDate;

    use ratatui::style::Style;

    #[test]
    fn a_span_s_arrow_follows_its_start_date_and_headlines_stay_in_one_column() {
        let d = |s: &str| PartialDate::parse(s).unwrap();
        assert_eq!(date_cell(&d("2011-03"), true), "2011-03→   ");
        assert_eq!(date_cell(&d("2020-01-02"), true), "2020-01-02→");
        assert_eq!(date_cell(&d("2020-01-02"), false), "2020-01-02 ");
        assert_eq!(date_cell(&d("2021"), false), "2021       ");
    }

    #[test]
    fn a_highlight_keeps_a_combining_accent_with_its_letter() {
        // "Pérez" with the accent as its own char; "perez" marks P, e, r, e, z.
        let text = "Pe\u{301}rez visits";
        let spans = highlighted_spans(text, &[0, 1, 3, 4, 5], Style::new(), Style::new().bold());
        let shown: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(shown, text);
        assert_eq!(spans[0].content, "Pe\u{301}rez");
        // A mark on the letter alone still takes its accent along.
        let spans = highlighted_spans(text, &[1], Style::new(), Style::new().bold());
        let parts: Vec<&str> = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(parts, ["P", "e\u{301}", "rez visits"]);
    }
}
