//! The help screen, drawn from the key table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::layout::centered;
use super::theme::Theme;
use super::wrap::truncate;
use crate::explorer::app::App;
use crate::explorer::keys::{BINDINGS, Context};

/// The help screen, drawn from the key table.
fn help_lines() -> Vec<(Option<&'static str>, String)> {
    let width = BINDINGS
        .iter()
        .map(|b| b.label().width())
        .max()
        .unwrap_or(8)
        .min(14);
    let mut out = Vec::new();
    for ctx in [
        Context::List,
        Context::Article,
        Context::Browse,
        Context::Filter,
        Context::Picker,
        Context::Help,
        Context::Always,
    ] {
        out.push((Some(ctx.title()), String::new()));
        for b in BINDINGS.iter().filter(|b| b.context == ctx) {
            out.push((None, format!("{:<width$} {}", b.label(), b.help)));
        }
    }
    out
}

/// The help screen: the key table in as many columns as fit, scrolling when even
/// that is too tall.
pub(super) fn render_help(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let lines = help_lines();
    let col_w = lines
        .iter()
        .map(|(h, l)| h.map(str::width).unwrap_or(0).max(l.width()))
        .max()
        .unwrap_or(20) as u16
        + 1;
    let cols = (area.width.saturating_sub(2) / col_w).max(1);
    let rows = lines.len().div_ceil(cols as usize);
    let popup = centered(area, col_w * cols + 2, rows as u16 + 2);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Thick)
        .title(" Keys: j/k scroll, any other key closes ");
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let height = inner.height as usize;
    app.viewport.help_height.set(height);
    app.viewport.help_max.set(rows.saturating_sub(height));
    let scroll = app.help_scroll.min(rows.saturating_sub(height));
    for (c, chunk) in lines.chunks(rows.max(1)).enumerate() {
        let x = inner.x + c as u16 * col_w;
        if x >= inner.right() {
            break;
        }
        let rect = Rect {
            x,
            y: inner.y,
            width: col_w.min(inner.right() - x),
            height: inner.height,
        };
        let text: Vec<Line> = chunk
            .iter()
            .skip(scroll)
            .map(|(h, l)| match h {
                Some(h) => Line::styled(
                    h.to_string(),
                    theme.heading().add_modifier(Modifier::UNDERLINED),
                ),
                None => Line::from(truncate(l, rect.width as usize)),
            })
            .collect();
        frame.render_widget(Paragraph::new(text), rect);
    }
}
