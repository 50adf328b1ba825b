//! The filter bar: the filter being typed, or the one in force with its picks.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use super::wrap::{pad, tail, truncate};
use crate::data::text::sanitize;
use crate::explorer::app::{App, Mode};

/// "actors: A | B  topics: C  groups: D", for the picks in force.
pub(super) fn picked_names(app: &App) -> String {
    let t = &app.timeline;
    let list = |label: &str, names: Vec<&str>| {
        (!names.is_empty()).then(|| format!("{label}: {}", names.join(" | ")))
    };
    let actors = list(
        "actors",
        app.selection
            .actors
            .iter()
            .map(|&a| t.actors[a].name.as_str())
            .collect(),
    );
    let topics = list(
        "topics",
        app.selection
            .topics
            .iter()
            .map(|&x| t.topics[x].name.as_str())
            .collect(),
    );
    let index = &app.matcher.index;
    let groups = list(
        "groups",
        app.selection
            .groups
            .iter()
            .map(|&g| index.group_name(g))
            .collect(),
    );
    sanitize(
        &actors
            .into_iter()
            .chain(topics)
            .chain(groups)
            .collect::<Vec<_>>()
            .join("  "),
    )
    .into_owned()
}

pub(super) fn render_filter_bar(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let input = sanitize(&app.input).into_owned();
    let picks = picked_names(app);
    let line = if app.mode == Mode::Filter {
        let prompt = "/ ";
        let width = area.width as usize;
        // The picks narrow the list too: they show at the right, in at most half the bar.
        let picks = if picks.is_empty() {
            String::new()
        } else {
            truncate(&format!("  with {picks}"), width / 2)
        };
        let shown = tail(
            &input,
            width.saturating_sub(prompt.len() + 1 + picks.width()),
        );
        let x = area.x + (prompt.width() + shown.width()) as u16;
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        let room = width.saturating_sub(prompt.width() + picks.width());
        Line::from(vec![
            Span::styled(prompt, theme.heading()),
            Span::raw(pad(&shown, room)),
            Span::styled(picks, theme.dim()),
        ])
    } else if app.filter_active() {
        let mut spans = vec![Span::styled("filter ", theme.heading())];
        if !input.trim().is_empty() {
            spans.push(Span::styled(
                format!("“{}” ", input.trim()),
                theme.matched(),
            ));
        }
        spans.push(Span::raw(picks));
        spans.push(Span::styled("  (Esc clears)", theme.dim()));
        Line::from(spans)
    } else {
        Line::styled(
            "/ filters by words, names, actor:NAME, topic:NAME, 2017..2021, !word",
            theme.dim(),
        )
    };
    frame.render_widget(Paragraph::new(line), area);
}
