//! The status line: counts, the last message, and key hints that fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use super::wrap::truncate;
use crate::data::text::sanitize;
use crate::explorer::app::App;
use crate::explorer::keys::hints;

pub(super) fn render_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let total = app.timeline.events.len();
    let count = if app.filter_active() {
        format!("{} of {total} events", app.view.visible.len())
    } else {
        format!("{total} events")
    };
    let count =
        if app.filtering && !app.matcher.index.has_words() && app.selection.query.needs_words() {
            format!("{count} · the filter answers once the word index is built…")
        } else if app.filtering {
            format!("{count} · filtering…")
        } else {
            count
        };
    let left = match &app.status {
        Some(s) => format!("{count} · {}", sanitize(s)),
        None => count,
    };
    // As many key hints as fit, most useful first.
    let room = (area.width as usize).saturating_sub(left.width() + 2);
    let mut right = String::new();
    for (k, h) in hints(&app.mode, |a| app.offers(a)) {
        let hint = format!("{}{k} {h}", if right.is_empty() { "" } else { "  " });
        if right.width() + hint.width() > room {
            break;
        }
        right.push_str(&hint);
    }
    let pad = (area.width as usize).saturating_sub(left.width() + right.width());
    let line = Line::from(vec![
        Span::styled(truncate(&left, area.width as usize), theme.heading()),
        Span::raw(" ".repeat(pad)),
        Span::styled(right, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
