//! The actor, topic and group picker popup.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::layout::centered;
use super::theme::Theme;
use super::wrap::{tail, truncate};
use crate::data::text::sanitize;
use crate::explorer::app::{App, PickerKind};

pub(super) fn render_picker(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    kind: PickerKind,
) {
    let wanted = app.picker.entries.len().max(1).saturating_add(3);
    let room = area.height.saturating_sub(2);
    let height = u16::try_from(wanted).unwrap_or(u16::MAX).min(room).max(6);
    let popup = centered(area, 56, height);
    frame.render_widget(Clear, popup);
    let title = match kind {
        PickerKind::Actors => " Actors: type to narrow, Enter or Tab picks, Esc closes ",
        PickerKind::Topics => " Topics: type to narrow, Enter or Tab picks, Esc closes ",
        PickerKind::Groups => " Groups: type to narrow, Enter or Tab picks, Esc closes ",
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Thick)
        .title(title);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    if inner.height < 2 {
        return;
    }
    let input = tail(
        &sanitize(&app.picker.input),
        (inner.width as usize).saturating_sub(3),
    );
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("> ", theme.heading()),
            Span::raw(input.clone()),
        ])),
        Rect { height: 1, ..inner },
    );
    frame.set_cursor_position((
        inner
            .x
            .saturating_add(2)
            .saturating_add(input.width() as u16),
        inner.y,
    ));
    let list_h = inner.height as usize - 1;
    let top = app.picker.cursor.saturating_sub(list_h.saturating_sub(1));
    let width = inner.width as usize;
    let lines: Vec<Line> = if kind == PickerKind::Groups && app.matcher.index.groups().is_empty() {
        vec![Line::styled(
            "this timeline has no groups; Esc closes",
            theme.dim(),
        )]
    } else if app.picker.entries.is_empty() {
        vec![Line::styled(
            "nothing matches; Backspace edits",
            theme.dim(),
        )]
    } else {
        app.picker
            .entries
            .iter()
            .enumerate()
            .skip(top)
            .take(list_h)
            .map(|(k, &i)| {
                let (name, count, picked) = app.picker_entry(kind, i);
                let mark = if picked { "[x] " } else { "[ ] " };
                let count = format!(" {count}");
                let name = truncate(
                    &sanitize(name),
                    width.saturating_sub(mark.len() + count.len()),
                );
                let pad = width.saturating_sub(mark.len() + name.width() + count.len());
                let text = format!("{mark}{name}{}{count}", " ".repeat(pad));
                let style = if k == app.picker.cursor {
                    theme.selected()
                } else if picked {
                    theme.heading()
                } else {
                    Style::new()
                };
                Line::styled(text, style)
            })
            .collect()
    };
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            y: inner.y + 1,
            height: inner.height - 1,
            ..inner
        },
    );
}
