//! Rendering: the explorer's state drawn into a frame, one file per part of the
//! screen. Only rows on screen are built, so a frame costs the same for 40 events
//! or 1,000,000.

mod article;
mod details;
mod filter_bar;
mod help;
mod layout;
mod list;
mod picker;
mod ruler;
mod status;
mod theme;
mod wrap;

pub use layout::{Panes, list_rows, panes};
pub use theme::Theme;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use self::article::render_article;
use self::details::render_details;
use self::filter_bar::render_filter_bar;
use self::help::render_help;
use self::layout::{MIN_HEIGHT, MIN_WIDTH, layout, reading};
use self::list::render_list;
use self::picker::render_picker;
use self::ruler::{era_groups, render_ruler};
use self::status::render_status;
use crate::explorer::app::{App, Mode};

pub fn render(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    let groups = era_groups(&app.timeline);
    let Some(p) = layout(area, groups.len(), reading(app)) else {
        return too_small(frame, area);
    };
    render_ruler(frame, p.ruler, app, theme, &groups);
    if let Some(list) = p.list {
        render_list(frame, list, app, theme);
    }
    if let Some(details) = p.details {
        render_details(frame, details, app, theme, p.reading);
    }
    if let Some(article) = p.article {
        // With no details block, the article pane carries the event's header.
        render_article(frame, article, app, theme, p.reading, p.details.is_none());
    }
    match app.mode {
        Mode::Help => render_help(frame, p.main, app, theme),
        Mode::Picker(kind) => render_picker(frame, p.main, app, theme, kind),
        _ => {}
    }
    // Last: the status line's hints depend on what help just measured.
    render_filter_bar(frame, p.bar, app, theme);
    render_status(frame, p.status, app, theme);
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::from("window too small"),
        Line::from(format!(
            "need {MIN_WIDTH}x{MIN_HEIGHT}, have {}x{}",
            area.width, area.height
        )),
        Line::from("Ctrl-c quits"),
    ];
    frame.render_widget(Paragraph::new(text).centered(), area);
}
