//! Moving through the list: by row, page, year or click, keeping the cursor in view.

use super::{Action, App, Row};

/// Rows kept between the cursor and the list's edge when scrolling.
const SCROLL_MARGIN: usize = 3;

impl App {
    pub(super) fn list_key(&mut self, action: Action) {
        let page = self.list_rows.max(2) as isize - 1;
        match action {
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::PageDown => self.move_rows(page),
            Action::PageUp => self.move_rows(-page),
            Action::HalfPageDown => self.move_rows(page / 2 + 1),
            Action::HalfPageUp => self.move_rows(-(page / 2 + 1)),
            Action::Top => self.move_to(0),
            Action::Bottom => self.move_to(self.view.visible.len().saturating_sub(1)),
            Action::NextYear => self.jump_year(true),
            Action::PrevYear => self.jump_year(false),
            _ => {}
        }
    }

    /// Selects `event` if it is visible, else the visible event nearest to it in time.
    pub(super) fn select_nearest(&mut self, event: usize) {
        if self.view.visible.is_empty() {
            return self.move_to(0);
        }
        let pos = self.view.visible.partition_point(|&v| (v as usize) < event);
        let target = if self.view.visible.get(pos) == Some(&(event as u32)) {
            pos
        } else {
            let day = self.timeline.events[event].date.ordinal();
            let dist = |p: usize| {
                (self.timeline.events[self.view.visible[p] as usize]
                    .date
                    .ordinal()
                    - day)
                    .abs()
            };
            match (
                pos.checked_sub(1),
                (pos < self.view.visible.len()).then_some(pos),
            ) {
                (Some(a), Some(b)) => {
                    if dist(a) <= dist(b) {
                        a
                    } else {
                        b
                    }
                }
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => 0,
            }
        };
        self.move_to(target);
    }

    pub(super) fn move_by(&mut self, by: isize) {
        let last = self.view.visible.len().saturating_sub(1);
        self.move_to(self.cursor.saturating_add_signed(by).min(last));
    }

    pub(super) fn move_to(&mut self, pos: usize) {
        self.cursor = pos.min(self.view.visible.len().saturating_sub(1));
        // A new event starts on its first source, scrolled to its quote; the same
        // event (say, after refining the filter) keeps where the reader was.
        // With nothing selected (a filter that matches nothing), the last event stays
        // remembered, for the selection to come back to.
        if let Some(e) = self.selected()
            && self.shown_event != Some(e)
        {
            self.shown_event = Some(e);
            self.source = 0;
            self.article_offset = None;
        }
        self.scroll_list();
    }

    /// Keeps the cursor's row in view with some context above and below. When it
    /// must scroll, the list moves by at least half a page, so stepping row by row
    /// redraws the list once per half page rather than on every key: over SSH
    /// that is most of what a keystroke costs.
    pub(super) fn scroll_list(&mut self) {
        let height = self.list_rows.max(1);
        let Some(&row) = self.view.event_rows.get(self.cursor) else {
            self.list_offset = 0;
            return;
        };
        let row = row as usize;
        let margin = SCROLL_MARGIN.min(height.saturating_sub(1) / 2);
        // Show the year heading right above the first event of a year.
        let top_row = if row > 0 && matches!(self.view.rows[row - 1], Row::Year(_)) {
            row - 1
        } else {
            row
        };
        // The jump stops where the cursor would enter the other margin, or the next
        // step would scroll straight back.
        let jump = height / 2;
        let lowest = (row + margin + 1).saturating_sub(height);
        let highest = top_row.saturating_sub(margin);
        if top_row < self.list_offset + margin {
            let jumped = self.list_offset.saturating_sub(jump).max(lowest);
            self.list_offset = highest.min(jumped);
        } else if row + margin >= self.list_offset + height {
            let jumped = (self.list_offset + jump).min(highest);
            self.list_offset = lowest.max(jumped);
        }
        let max_offset = self.view.rows.len().saturating_sub(height);
        self.list_offset = self.list_offset.min(max_offset);
    }

    /// Moves by screen rows (year headings count), to the event at or past that row.
    fn move_rows(&mut self, by: isize) {
        let Some(&row) = self.view.event_rows.get(self.cursor) else {
            return;
        };
        let target = (row as usize).saturating_add_signed(by) as u32;
        let pos = if by >= 0 {
            self.view.event_rows.partition_point(|&r| r < target)
        } else {
            self.view
                .event_rows
                .partition_point(|&r| r <= target)
                .saturating_sub(1)
        };
        self.move_to(pos.min(self.view.visible.len().saturating_sub(1)));
    }

    fn jump_year(&mut self, forward: bool) {
        let Some(e) = self.selected() else { return };
        let year = self.timeline.events[e].date.year;
        let events = &self.timeline.events;
        let target = if forward {
            self.view
                .visible
                .partition_point(|&v| events[v as usize].date.year <= year)
        } else {
            let start = self
                .view
                .visible
                .partition_point(|&v| events[v as usize].date.year < year);
            if start < self.cursor {
                // Mid-year: first to the start of this year, as `{` does in a text.
                return self.move_to(start);
            }
            match start.checked_sub(1) {
                Some(prev) => {
                    let py = events[self.view.visible[prev] as usize].date.year;
                    self.view
                        .visible
                        .partition_point(|&v| events[v as usize].date.year < py)
                }
                None => 0,
            }
        };
        if target < self.view.visible.len() {
            self.move_to(target);
        }
    }

    pub(super) fn click_row(&mut self, row: usize) {
        if let Some(Row::Event(e)) = self.view.rows.get(self.list_offset + row) {
            let e = *e;
            if let Ok(pos) = self.view.visible.binary_search(&e) {
                self.move_to(pos);
            }
        }
    }

    pub(super) fn cycle_source(&mut self, by: isize) {
        let Some(e) = self.selected() else { return };
        let n = self.timeline.events[e].sources.len();
        if n > 1 {
            self.source = (self.source as isize + by).rem_euclid(n as isize) as usize;
            self.article_offset = None;
            self.status = Some(format!("source {} of {}", self.source + 1, n));
        } else {
            self.status = Some("this event has one source".into());
        }
    }
}

#[cfg(test)]
mod tests {

    use crate::explorer::app::Action;
    use crate::explorer::app::tests::app;

    #[test]
    fn year_jumps_land_on_the_first_event_of_a_year() {
        let mut a = app();
        a.update(Action::NextYear);
        let y1 = a.timeline.events[a.selected().unwrap()].date.year;
        assert!(y1 > 2001);
        a.update(Action::NextYear);
        a.update(Action::PrevYear);
        let e = a.selected().unwrap();
        assert_eq!(a.timeline.events[e].date.year, y1);
        assert!(e == 0 || a.timeline.events[e - 1].date.year < y1);
    }

    #[test]
    fn paging_moves_by_screen_rows() {
        let mut a = app();
        a.update(Action::Resize { list_rows: 11 });
        a.update(Action::PageDown);
        // Ten rows down from the 2001 row, year headings counted.
        let row = a.view.event_rows[a.cursor] as usize;
        assert!((10..=11).contains(&row), "row {row}");
        a.update(Action::PageUp);
        assert_eq!(a.cursor, 0);
    }

    #[test]
    fn brace_goes_to_the_start_of_the_year_first() {
        let mut a = app();
        a.goto("2017-08-05").unwrap();
        a.update(Action::PrevYear);
        let e = a.selected().unwrap();
        assert_eq!(a.timeline.events[e].date.year, 2017);
        assert!(a.timeline.events[e - 1].date.year < 2017);
        a.update(Action::PrevYear);
        assert_eq!(a.timeline.events[a.selected().unwrap()].date.year, 2011);
    }

    #[test]
    fn the_cursor_stays_in_view_with_context() {
        let mut a = app();
        a.update(Action::Resize { list_rows: 10 });
        for _ in 0..20 {
            a.update(Action::Down);
            let row = a.view.event_rows[a.cursor] as usize;
            assert!(row >= a.list_offset && row < a.list_offset + 10);
        }
    }

    #[test]
    fn the_list_scrolls_by_half_a_page_not_a_row_at_a_time() {
        let mut a = app();
        a.update(Action::Resize { list_rows: 20 });
        let mut offsets = vec![a.list_offset];
        for _ in 0..30 {
            a.update(Action::Down);
            if a.list_offset != *offsets.last().unwrap() {
                offsets.push(a.list_offset);
            }
        }
        let steps: Vec<usize> = offsets.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(steps.len() >= 2, "{offsets:?}");
        assert!(steps.iter().all(|&s| s >= 10), "{offsets:?}");
        // And back up the same way.
        let before = a.list_offset;
        while a.list_offset == before {
            a.update(Action::Up);
        }
        assert!(before - a.list_offset >= 10);
    }

    #[test]
    fn the_list_never_scrolls_against_the_step_and_stays_put_unmoved() {
        for height in 3..40 {
            let mut a = app();
            a.update(Action::Resize { list_rows: height });
            for (step, forward) in [(Action::Down, true), (Action::Up, false)] {
                for _ in 0..a.view.visible.len() {
                    let before = a.list_offset;
                    a.update(step.clone());
                    let row = a.view.event_rows[a.cursor] as usize;
                    assert!(
                        row >= a.list_offset && row < a.list_offset + height,
                        "height {height}"
                    );
                    if forward {
                        assert!(a.list_offset >= before, "height {height}: scrolled back up");
                    } else {
                        assert!(
                            a.list_offset <= before,
                            "height {height}: scrolled back down"
                        );
                    }
                    // Asking again without moving changes nothing (a click, a resize).
                    if height >= 8 {
                        let settled = a.list_offset;
                        a.scroll_list();
                        assert_eq!(a.list_offset, settled, "height {height}");
                    }
                }
            }
        }
    }
}
