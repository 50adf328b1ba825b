//! A terminal backend that writes fewer bytes. ratatui sends only the cells that
//! changed, and the backend moves the cursor over each run of unchanged cells: a
//! move costs 6–8 bytes. When a gap is shorter than that and its cells look like
//! their neighbours, writing the unchanged cells again is cheaper, and looks the
//! same. What matters over SSH is bytes.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use unicode_width::UnicodeWidthStr;

/// A cursor move is written as `ESC [ row ; col H`: 6 to 8 bytes on a screen under
/// 1000 columns. A gap whose cells take fewer bytes than that is written through.
const MOVE_BYTES: usize = 7;

pub struct CompactBackend<B: Backend> {
    inner: B,
    /// What the screen shows now, as far as this backend has drawn it.
    shown: Buffer,
    /// False after a partial clear, when `shown` may no longer match the screen.
    trusted: bool,
}

impl<B: Backend> CompactBackend<B> {
    pub fn new(inner: B) -> Result<Self, B::Error> {
        let size = inner.size()?;
        Ok(CompactBackend {
            inner,
            shown: Buffer::empty(Rect::new(0, 0, size.width, size.height)),
            trusted: true,
        })
    }

    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.inner
    }

    fn forget_screen(&mut self) -> Result<(), B::Error> {
        let size = self.inner.size()?;
        self.shown = Buffer::empty(Rect::new(0, 0, size.width, size.height));
        Ok(())
    }

    /// The unchanged cells between two changes on one row, if writing them is cheaper
    /// than moving the cursor and they need no style change.
    fn gap_fill(
        &self,
        after: (u16, u16, &Cell),
        next: (u16, u16),
    ) -> Option<Vec<(u16, u16, Cell)>> {
        let (x, y, cell) = after;
        let start = x + (cell.symbol().width().max(1) as u16);
        if !self.trusted || next.1 != y || next.0 <= start || (next.0 - start) as usize > MOVE_BYTES
        {
            return None;
        }
        let area = self.shown.area;
        if y >= area.height || next.0 > area.width {
            return None;
        }
        let fill: Option<Vec<(u16, u16, Cell)>> = (start..next.0)
            .map(|gx| {
                let g = &self.shown[(gx, y)];
                (g.symbol().width() == 1 && g.style() == cell.style()).then(|| (gx, y, g.clone()))
            })
            .collect();
        fill.filter(|cells| {
            cells
                .iter()
                .map(|(_, _, c)| c.symbol().len())
                .sum::<usize>()
                < MOVE_BYTES
        })
    }
}

impl<B: Backend> Backend for CompactBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let changed: Vec<(u16, u16, &Cell)> = content.collect();
        let mut out: Vec<(u16, u16, Cell)> = Vec::with_capacity(changed.len());
        for (i, &(x, y, cell)) in changed.iter().enumerate() {
            out.push((x, y, cell.clone()));
            if let Some(&(nx, ny, _)) = changed.get(i + 1)
                && let Some(fill) = self.gap_fill((x, y, cell), (nx, ny))
            {
                out.extend(fill);
            }
        }
        let area = self.shown.area;
        for (x, y, cell) in &changed {
            if *x < area.width && *y < area.height {
                self.shown[(*x, *y)] = (*cell).clone();
            }
        }
        self.inner.draw(out.iter().map(|(x, y, c)| (*x, *y, c)))
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.trusted = false;
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()?;
        self.trusted = true;
        self.forget_screen()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)?;
        if clear_type == ClearType::All {
            self.trusted = true;
            self.forget_screen()
        } else {
            self.trusted = false;
            Ok(())
        }
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

impl<B: Backend + std::io::Write> std::io::Write for CompactBackend<B> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::Write::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Action, App};
    use crate::load::load_builtin;
    use crate::ui::{Theme, render};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::sync::Arc;

    /// Whatever gaps it writes through, the screen ends up exactly as ratatui meant it.
    #[test]
    fn the_screen_is_the_same_as_without_it() {
        let mut app = App::new(Arc::new(load_builtin().unwrap().timeline));
        let theme = Theme { color: true };
        let mut plain = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let mut compact =
            Terminal::new(CompactBackend::new(TestBackend::new(120, 40)).unwrap()).unwrap();
        let steps = [
            Action::Down,
            Action::Down,
            Action::NextYear,
            Action::OpenFilter,
            Action::Insert('p'),
            Action::Accept,
            Action::Bottom,
            Action::ToggleHelp,
            Action::Back,
        ];
        for step in steps {
            app.update(step);
            plain.draw(|f| render(f, &app, &theme)).unwrap();
            compact.draw(|f| render(f, &app, &theme)).unwrap();
            assert_eq!(
                plain.backend().buffer(),
                compact.backend_mut().inner_mut().buffer()
            );
        }
    }

    #[test]
    fn short_gaps_of_alike_cells_are_written_through() {
        let mut b = CompactBackend::new(TestBackend::new(20, 1)).unwrap();
        let a = Cell::new("a");
        b.draw([(0, 0, &a), (1, 0, &a), (2, 0, &a)].into_iter())
            .unwrap();
        // Changing cells 0 and 2 leaves a one-cell gap holding "a", same style: filled.
        let fill = b.gap_fill((0, 0, &Cell::new("x")), (2, 0));
        assert_eq!(fill.map(|f| f.len()), Some(1));
        // A long gap is jumped over.
        assert!(b.gap_fill((0, 0, &Cell::new("x")), (15, 0)).is_none());
    }
}
