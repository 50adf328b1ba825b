//! Where each part of the screen goes, and the bordered panes and popups drawn there.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::widgets::{Block, Borders};

use super::ruler::era_groups;
use super::theme::Theme;
use super::wrap::truncate;
use crate::explorer::app::{App, Mode};

/// Below this the explorer shows a notice instead of the screen.
pub(super) const MIN_WIDTH: u16 = 40;
pub(super) const MIN_HEIGHT: u16 = 10;
/// From this width the list and the article sit side by side.
const SIDE_BY_SIDE: u16 = 100;

/// Where each part of the screen goes. Drawing, the mouse and the list's size all
/// take it from `layout`, so they cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub(super) ruler: Rect,
    /// The list, when it shows.
    pub list: Option<Rect>,
    /// The event's details: under the list, or in its place while reading.
    pub details: Option<Rect>,
    pub article: Option<Rect>,
    pub(super) bar: Rect,
    pub(super) status: Rect,
    /// What help and the pickers cover.
    pub(super) main: Rect,
    /// The article has the focus: the event shows in full, or the article alone.
    pub reading: bool,
}

impl Panes {
    /// The list's rows, inside its border.
    pub fn list_rows(&self) -> Option<Rect> {
        self.list.map(|r| r.inner(Margin::new(1, 1)))
    }
}

/// The panes for a screen of `area`, or `None` when it is too small to use.
pub fn panes(area: Rect, app: &App) -> Option<Panes> {
    layout(area, era_groups(&app.timeline).len(), reading(app))
}

/// How many rows the list has on a screen of `area` (whether or not it shows now).
pub fn list_rows(area: Rect, app: &App) -> usize {
    layout(area, era_groups(&app.timeline).len(), false)
        .and_then(|p| p.list_rows())
        .map_or(0, |r| r.height as usize)
}

pub(super) fn reading(app: &App) -> bool {
    matches!(app.mode, Mode::Browse { article: true })
        || matches!(app.mode, Mode::Help)
            && matches!(app.previous_mode, Mode::Browse { article: true })
}

pub(super) fn layout(area: Rect, groups: usize, reading: bool) -> Option<Panes> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    // Era bands get at most a sixth of the height: the chronology comes first.
    let bands = if area.height >= 20 {
        groups.min(area.height as usize / 6) as u16
    } else {
        0
    };
    let [ruler, main, bar, status] = Layout::vertical([
        Constraint::Length(2 + bands),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut p = Panes {
        ruler,
        list: None,
        details: None,
        article: None,
        bar,
        status,
        main,
        reading,
    };
    if main.width >= SIDE_BY_SIDE {
        let [left, article] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(main);
        p.article = Some(article);
        if reading {
            // Reading: the event in full beside its article; Esc brings the list back.
            p.details = Some(left);
        } else {
            // Browsing: the event's details sit under the list, and the article
            // has the whole height beside them.
            let details_h = details_height(left.height);
            let [list, details] =
                Layout::vertical([Constraint::Min(3), Constraint::Length(details_h)]).areas(left);
            p.list = Some(list);
            p.details = (details_h > 0).then_some(details);
        }
    } else if reading {
        p.article = Some(main);
    } else {
        p.list = Some(main);
    }
    Some(p)
}

/// Rows for the details block under the list, borders included: none when the
/// list would be left too short, and never so many the list loses its place.
fn details_height(left_height: u16) -> u16 {
    if left_height < 16 {
        0
    } else {
        (left_height * 2 / 5).min(14)
    }
}

/// A bordered pane with a title; the focused one is drawn heavier. Returns the inside.
pub(super) fn pane(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &str,
    focused: bool,
) -> Rect {
    let (style, kind) = theme.border(focused);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(kind)
        .border_style(style)
        .title(truncate(title, area.width.saturating_sub(2) as usize));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_details_under_the_list_never_crowd_it_out() {
        assert_eq!(details_height(15), 0, "too short to share");
        for h in 16..200 {
            let d = details_height(h);
            assert!((6..=14).contains(&d) && h - d >= 10, "{h}: {d}");
        }
    }
}
