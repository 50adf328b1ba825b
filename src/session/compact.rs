//! A terminal backend that writes fewer bytes, because over SSH bytes are what a
//! frame costs. ratatui hands over the cells that changed; this backend writes
//! them itself rather than through crossterm's one-escape-per-change encoding:
//! - runs of blank cells are erased (ECH, or EL at the row's end), not printed;
//! - short gaps of unchanged cells are written through when that is cheaper than
//!   moving the cursor; other moves are relative where that is shorter;
//! - style changes are one SGR sequence with the short 16-colour codes;
//! - the cursor is hidden once, not on every frame.
//!
//! Everything else (size, clearing, cursor queries) is one crossterm command.

use std::io::{self, Write};

use crossterm::{cursor, queue, terminal};
use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

pub struct CompactBackend<W: Write> {
    out: W,
    /// Fixed size for tests, which have no terminal to ask.
    size: Option<Size>,
    /// What the screen shows now, as far as this backend has drawn it.
    shown: Buffer,
    /// False after a partial clear, when `shown` may no longer match the screen.
    trusted: bool,
    cursor_hidden: bool,
    /// Where `set_cursor_position` last put the cursor.
    cursor: Position,
    /// Whether the terminal's style is known to be the default: true after a
    /// frame, which always ends reset.
    pen_known: bool,
}

/// The style the terminal is drawing with.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Pen {
    fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        }
    }
}

impl<W: Write> CompactBackend<W> {
    pub fn new(out: W) -> io::Result<Self> {
        let (width, height) = terminal::size()?;
        Ok(Self::build(out, Size { width, height }, None))
    }

    /// A backend of a fixed size, for tests and benchmarks.
    pub fn with_size(out: W, width: u16, height: u16) -> Self {
        let size = Size { width, height };
        Self::build(out, size, Some(size))
    }

    fn build(out: W, size: Size, fixed: Option<Size>) -> Self {
        CompactBackend {
            out,
            size: fixed,
            shown: Buffer::empty(Rect::new(0, 0, size.width, size.height)),
            trusted: true,
            cursor_hidden: false,
            cursor: Position::ORIGIN,
            pen_known: false,
        }
    }

    /// Sets the size of a terminal that is told its size rather than asked (an
    /// SSH channel's window-change). The next draw fits the new size.
    pub fn set_size(&mut self, size: Size) {
        self.size = Some(size);
    }

    pub fn writer(&self) -> &W {
        &self.out
    }

    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.out
    }

    fn forget_screen(&mut self) -> io::Result<()> {
        let size = self.size()?;
        self.shown = Buffer::empty(Rect::new(0, 0, size.width, size.height));
        Ok(())
    }

    /// Adds a change for each column that drawing the changes frees from a wide
    /// symbol. Writing over any part of a wide symbol makes the terminal blank all of
    /// it, in whatever style it is drawing with; ratatui counts the rest unchanged,
    /// so it would stay blank in the wrong style. Such columns are written plainly.
    fn with_freed_columns<'c>(
        &self,
        cells: Vec<(u16, u16, &'c Cell)>,
        blank: &'c Cell,
    ) -> Vec<(u16, u16, &'c Cell)> {
        let area = self.shown.area;
        let wide_at = |x: u16, y: u16| {
            let w = self.shown[(x, y)].symbol().width() as u16;
            (w > 1).then_some(w)
        };
        // The columns the new wide symbols cover (in order): never blanked.
        let covered: Vec<(u16, u16)> = cells
            .iter()
            .flat_map(|&(x, y, c)| covered_by(x, c).map(move |cx| (y, cx)))
            .collect();
        let mut freed = Vec::new();
        for &(x, y, cell) in &cells {
            if x >= area.width || y >= area.height {
                continue;
            }
            let end = (x + cell.symbol().width().max(1) as u16).min(area.width);
            let first = if x > 0 && wide_at(x - 1, y).is_some() {
                x - 1
            } else {
                x
            };
            for start in first..end {
                let Some(w) = wide_at(start, y) else { continue };
                for c in start..(start + w).min(area.width) {
                    if (c < x || c >= end) && covered.binary_search(&(y, c)).is_err() {
                        freed.push((c, y, blank));
                    }
                }
            }
        }
        if freed.is_empty() {
            return cells;
        }
        let mut all = cells;
        all.extend(freed);
        // Stable, so a real change comes before a freed column at the same place,
        // and the dedup keeps the change.
        all.sort_by_key(|&(x, y, _)| (y, x));
        all.dedup_by_key(|&mut (x, y, _)| (y, x));
        all
    }

    /// The blank run that starts at changed cell `i`: how many changed cells it
    /// takes and how many columns it spans. Unchanged blanks in between join it.
    fn blank_run(&self, cells: &[(u16, u16, &Cell)], i: usize) -> (usize, u16) {
        let (x0, y, first) = cells[i];
        if !plain_blank(first) {
            return (0, 0);
        }
        let (mut taken, mut end, mut x) = (1, x0 + 1, x0 + 1);
        let mut next = i + 1;
        while x < self.shown.area.width {
            match cells.get(next) {
                Some(&(cx, cy, c)) if cy == y && cx == x => {
                    if !plain_blank(c) {
                        break;
                    }
                    next += 1;
                    (taken, end) = (next - i, x + 1);
                }
                _ if self.trusted
                    && y < self.shown.area.height
                    && plain_blank(&self.shown[(x, y)]) => {}
                _ => break,
            }
            x += 1;
        }
        (taken, end - x0)
    }

    /// The cells on row `y` from `from` up to `to`, if they are on screen, known,
    /// one column each and drawn in `pen`: then printing them again moves the
    /// cursor and looks the same.
    fn reprint(&self, y: u16, from: u16, to: u16, pen: Pen) -> Option<String> {
        let area = self.shown.area;
        if !self.trusted || y >= area.height || to > area.width {
            return None;
        }
        let mut text = String::new();
        for x in from..to {
            let cell = &self.shown[(x, y)];
            if cell.symbol().width() != 1 || Pen::of(cell) != pen {
                return None;
            }
            text.push_str(cell.symbol());
        }
        Some(text)
    }
}

/// The columns after `x` that a wide symbol in `cell` covers (none for a narrow one).
fn covered_by(x: u16, cell: &Cell) -> std::ops::Range<u16> {
    x + 1..x + cell.symbol().width().max(1) as u16
}

/// A blank that looks the same whatever its foreground colour: an erase can draw it.
fn plain_blank(cell: &Cell) -> bool {
    cell.symbol() == " " && cell.bg == Color::Reset && cell.modifier.is_empty()
}

fn push_color(params: &mut Vec<String>, color: Color, background: bool) {
    let base = if background { 10 } else { 0 };
    let named = |n: u8| (n as u16 + base).to_string();
    let code = match color {
        Color::Reset => named(39),
        Color::Black => named(30),
        Color::Red => named(31),
        Color::Green => named(32),
        Color::Yellow => named(33),
        Color::Blue => named(34),
        Color::Magenta => named(35),
        Color::Cyan => named(36),
        Color::Gray => named(37),
        Color::DarkGray => named(90),
        Color::LightRed => named(91),
        Color::LightGreen => named(92),
        Color::LightYellow => named(93),
        Color::LightBlue => named(94),
        Color::LightMagenta => named(95),
        Color::LightCyan => named(96),
        Color::White => named(97),
        Color::Indexed(i) => format!("{};5;{i}", 38 + base),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", 38 + base),
    };
    params.push(code);
}

const MODIFIER_CODES: [(Modifier, u8); 9] = [
    (Modifier::BOLD, 1),
    (Modifier::DIM, 2),
    (Modifier::ITALIC, 3),
    (Modifier::UNDERLINED, 4),
    (Modifier::SLOW_BLINK, 5),
    (Modifier::RAPID_BLINK, 6),
    (Modifier::REVERSED, 7),
    (Modifier::HIDDEN, 8),
    (Modifier::CROSSED_OUT, 9),
];

/// The code that turns a modifier off. Bold and dim share one, as do the blinks.
fn off_code(m: Modifier) -> u8 {
    match m {
        Modifier::BOLD | Modifier::DIM => 22,
        Modifier::SLOW_BLINK | Modifier::RAPID_BLINK => 25,
        _ => MODIFIER_CODES
            .iter()
            .find(|(k, _)| *k == m)
            .map_or(0, |(_, c)| c + 20),
    }
}

/// The shortest SGR sequence that changes `from` into `to`: either the changes
/// alone, or a reset and then `to` whole.
fn sgr(from: Pen, to: Pen) -> String {
    let mut changes = Vec::new();
    let removed = from.modifier - to.modifier;
    // Turning bold off also turns dim off (and the reverse), so one may need re-adding.
    let mut add = to.modifier - from.modifier;
    for (m, _) in MODIFIER_CODES {
        if removed.contains(m) {
            let code = off_code(m).to_string();
            if !changes.contains(&code) {
                changes.push(code);
            }
            let partner = match m {
                Modifier::BOLD => Modifier::DIM,
                Modifier::DIM => Modifier::BOLD,
                Modifier::SLOW_BLINK => Modifier::RAPID_BLINK,
                Modifier::RAPID_BLINK => Modifier::SLOW_BLINK,
                _ => Modifier::empty(),
            };
            add |= to.modifier & partner;
        }
    }
    for (m, code) in MODIFIER_CODES {
        if add.contains(m) {
            changes.push(code.to_string());
        }
    }
    if from.fg != to.fg {
        push_color(&mut changes, to.fg, false);
    }
    if from.bg != to.bg {
        push_color(&mut changes, to.bg, true);
    }
    let mut reset = vec!["0".to_string()];
    for (m, code) in MODIFIER_CODES {
        if to.modifier.contains(m) {
            reset.push(code.to_string());
        }
    }
    if to.fg != Color::Reset {
        push_color(&mut reset, to.fg, false);
    }
    if to.bg != Color::Reset {
        push_color(&mut reset, to.bg, true);
    }
    let shorter = if reset.join(";").len() < changes.join(";").len() {
        reset
    } else {
        changes
    };
    if shorter.is_empty() {
        String::new()
    } else {
        format!("\x1b[{}m", shorter.join(";"))
    }
}

/// Writes one frame's changes, keeping track of the cursor and the pen.
struct Encoder<'a, W: Write> {
    out: &'a mut W,
    pen: Pen,
    /// Where the cursor is, when known.
    at: Option<(u16, u16)>,
    /// Just after an erase the cursor is still at the start of the run, whose old
    /// text `shown` still holds: it must not be printed again.
    after_erase: bool,
}

impl<W: Write> Encoder<'_, W> {
    fn pen(&mut self, to: Pen) -> io::Result<()> {
        if to != self.pen {
            self.out.write_all(sgr(self.pen, to).as_bytes())?;
            self.pen = to;
        }
        Ok(())
    }

    fn move_to(&mut self, x: u16, y: u16, shown: &CompactBackend<impl Write>) -> io::Result<()> {
        let absolute = if x == 0 {
            format!("\x1b[{}H", y + 1)
        } else {
            format!("\x1b[{};{}H", y + 1, x + 1)
        };
        let mut best = absolute;
        match self.at {
            Some(at) if at == (x, y) => return Ok(()),
            Some((ax, ay)) if ay == y && ax < x => {
                let forward = format!("\x1b[{}C", x - ax);
                let through = if self.after_erase {
                    None
                } else {
                    shown.reprint(y, ax, x, self.pen)
                };
                best = match through {
                    Some(t) if t.len() < forward.len() => t,
                    _ => forward,
                };
            }
            Some((_, ay)) if ay + 1 == y => {
                let next_row = if x == 0 {
                    "\r\n".to_string()
                } else {
                    format!("\r\n\x1b[{x}C")
                };
                if next_row.len() < best.len() {
                    best = next_row;
                }
            }
            _ => {}
        }
        self.at = Some((x, y));
        self.after_erase = false;
        self.out.write_all(best.as_bytes())
    }
}

impl<W: Write> Backend for CompactBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let blank = Cell::default();
        let changed = self.with_freed_columns(content.collect(), &blank);
        if changed.is_empty() {
            return Ok(());
        }
        let width = self.shown.area.width;
        let mut bytes = Vec::with_capacity(changed.len() * 2);
        let mut enc = Encoder {
            out: &mut bytes,
            pen: Pen::default(),
            at: None,
            after_erase: false,
        };
        if !self.pen_known {
            enc.out.write_all(b"\x1b[0m")?;
        }
        let mut i = 0;
        while i < changed.len() {
            let (x, y, cell) = changed[i];
            enc.move_to(x, y, self)?;
            let (taken, span) = self.blank_run(&changed, i);
            // Only a run of blanks can be erased; a single cell is written as it is.
            if span > 1 {
                // An erase fills with the pen's background and attributes, and leaves the
                // cursor where it was: it may cost a reset and a move past the run.
                let erase = if x + span >= width {
                    "\x1b[K".to_string()
                } else {
                    format!("\x1b[{span}X")
                };
                let reset = if enc.pen.bg != Color::Reset || !enc.pen.modifier.is_empty() {
                    4
                } else {
                    0
                };
                let more_on_row = matches!(changed.get(i + taken), Some(&(_, ny, _)) if ny == y);
                let skip = if more_on_row {
                    format!("\x1b[{span}C").len()
                } else {
                    0
                };
                if erase.len() + reset + skip < span as usize {
                    if reset > 0 {
                        enc.pen(Pen::default())?;
                    }
                    enc.out.write_all(erase.as_bytes())?;
                    enc.after_erase = true;
                    i += taken;
                    continue;
                }
            }
            enc.pen(Pen::of(cell))?;
            enc.out.write_all(cell.symbol().as_bytes())?;
            // A terminal may measure a wide or odd symbol differently: move explicitly next time.
            enc.at = (cell.symbol().width() == 1).then_some((x + 1, y));
            i += 1;
        }
        if enc.pen != Pen::default() {
            enc.out.write_all(b"\x1b[0m")?;
        }
        self.pen_known = true;
        let area = self.shown.area;
        for &(x, y, cell) in &changed {
            if x < area.width && y < area.height {
                self.shown[(x, y)] = cell.clone();
                // Ratatui never sends the columns a wide symbol covers, and once it
                // is gone the terminal shows them blank.
                for covered in covered_by(x, cell).take_while(|&c| c < area.width) {
                    self.shown[(covered, y)] = Cell::default();
                }
            }
        }
        self.out.write_all(&bytes)
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.trusted = false;
        for _ in 0..n {
            self.out.write_all(b"\n")?;
        }
        self.out.flush()
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if !self.cursor_hidden {
            queue!(self.out, cursor::Hide)?;
            self.cursor_hidden = true;
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.cursor_hidden = false;
        queue!(self.out, cursor::Show)
    }

    /// Where the cursor was last put, not asked of the terminal: a query would wait
    /// on the input thread's reader (a deadlock in `Terminal::clear`) and on the link.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        self.cursor = p;
        queue!(self.out, cursor::MoveTo(p.x, p.y))
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        use terminal::ClearType as Ct;
        let kind = match clear_type {
            ClearType::All => Ct::All,
            ClearType::AfterCursor => Ct::FromCursorDown,
            ClearType::BeforeCursor => Ct::FromCursorUp,
            ClearType::CurrentLine => Ct::CurrentLine,
            ClearType::UntilNewLine => Ct::UntilNewLine,
        };
        queue!(self.out, terminal::Clear(kind))?;
        if clear_type == ClearType::All {
            self.trusted = true;
            self.forget_screen()
        } else {
            self.trusted = false;
            Ok(())
        }
    }

    fn size(&self) -> io::Result<Size> {
        match self.size {
            Some(size) => Ok(size),
            None => terminal::size().map(|(width, height)| Size { width, height }),
        }
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let w = terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: w.columns,
                height: w.rows,
            },
            pixels: Size {
                width: w.width,
                height: w.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write> Write for CompactBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load::load_builtin;
    use crate::explorer::app::{Action, App};
    use crate::explorer::ui::{Theme, render};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::sync::Arc;

    fn vt_color(c: Color) -> vt100::Color {
        let named = [
            Color::Black,
            Color::Red,
            Color::Green,
            Color::Yellow,
            Color::Blue,
            Color::Magenta,
            Color::Cyan,
            Color::Gray,
            Color::DarkGray,
            Color::LightRed,
            Color::LightGreen,
            Color::LightYellow,
            Color::LightBlue,
            Color::LightMagenta,
            Color::LightCyan,
            Color::White,
        ];
        match c {
            Color::Reset => vt100::Color::Default,
            Color::Indexed(i) => vt100::Color::Idx(i),
            Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
            c => vt100::Color::Idx(named.iter().position(|n| *n == c).unwrap() as u8),
        }
    }

    /// Every cell as a terminal shows it: text, colours and the attributes vt100 knows.
    fn assert_same_screen(meant: &Buffer, screen: &vt100::Screen) {
        for y in 0..meant.area.height {
            for x in 0..meant.area.width {
                let want = &meant[(x, y)];
                let got = screen.cell(y, x).unwrap();
                if got.is_wide_continuation() {
                    continue;
                }
                let text = if got.contents().is_empty() {
                    " "
                } else {
                    got.contents()
                };
                let m = want.modifier;
                let blank = want.symbol() == " ";
                // On a blank, only what can be seen counts: background, reverse, underline.
                let weight = |on: bool| on && !blank;
                assert_eq!(
                    (
                        text,
                        got.bgcolor(),
                        weight(got.bold()),
                        weight(got.dim()),
                        weight(got.italic()),
                        got.underline(),
                        got.inverse()
                    ),
                    (
                        want.symbol(),
                        vt_color(want.bg),
                        weight(m.contains(Modifier::BOLD)),
                        weight(m.contains(Modifier::DIM)),
                        weight(m.contains(Modifier::ITALIC)),
                        m.contains(Modifier::UNDERLINED),
                        m.contains(Modifier::REVERSED)
                    ),
                    "cell {x},{y}"
                );
                if !blank {
                    assert_eq!(got.fgcolor(), vt_color(want.fg), "colour of cell {x},{y}");
                }
            }
        }
    }

    /// Whatever it erases, skips or writes through, a terminal reading its bytes
    /// ends up showing exactly what ratatui meant.
    #[test]
    fn a_terminal_shows_what_ratatui_meant() {
        let mut app = App::new(Arc::new(load_builtin().unwrap().timeline));
        let theme = Theme { color: true };
        let mut plain = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let mut compact = Terminal::new(CompactBackend::with_size(Vec::new(), 120, 40)).unwrap();
        let mut vt = vt100::Parser::new(40, 120, 0);
        let mut steps = vec![Action::Down; 25];
        steps.extend([
            Action::NextYear,
            Action::OpenFilter,
            Action::Insert('p'),
            Action::Insert('u'),
            Action::Accept,
            Action::Bottom,
            Action::ToggleHelp,
            Action::Back,
            Action::Top,
            Action::PageDown,
        ]);
        for step in steps {
            app.update(step);
            let meant = plain
                .draw(|f| render(f, &app, &theme))
                .unwrap()
                .buffer
                .clone();
            compact.draw(|f| render(f, &app, &theme)).unwrap();
            let out = std::mem::take(compact.backend_mut().writer_mut());
            vt.process(&out);
            assert_same_screen(&meant, vt.screen());
        }
    }

    #[test]
    fn a_column_freed_by_a_wide_character_is_not_printed_stale() {
        let mut t = Terminal::new(CompactBackend::with_size(Vec::new(), 10, 1)).unwrap();
        let mut vt = vt100::Parser::new(1, 10, 0);
        for text in ["abc", "中c", "x c", "y cd"] {
            t.draw(|f| f.render_widget(text, f.area())).unwrap();
            vt.process(&std::mem::take(t.backend_mut().writer_mut()));
        }
        assert_eq!(vt.screen().contents(), "y cd");
    }

    /// Frames of styled words, some of them wide, changing at random.
    #[test]
    fn random_frames_of_wide_and_styled_text_show_as_meant() {
        use ratatui::style::Style;
        use ratatui::text::{Line, Span};
        use ratatui::widgets::Paragraph;
        let words = [
            "中文",
            "a",
            "bc",
            "  ",
            "日本語",
            "word",
            "      ",
            "x",
            "é",
            "한",
        ];
        let styles = [
            Style::new(),
            Style::new().fg(Color::Red),
            Style::new().bg(Color::Blue),
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            Style::new().add_modifier(Modifier::DIM),
        ];
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut plain = Terminal::new(TestBackend::new(24, 6)).unwrap();
        let mut compact = Terminal::new(CompactBackend::with_size(Vec::new(), 24, 6)).unwrap();
        let mut vt = vt100::Parser::new(6, 24, 0);
        for _ in 0..400 {
            let lines: Vec<Line> = (0..6)
                .map(|_| {
                    (0..next(8))
                        .map(|_| Span::styled(words[next(words.len())], styles[next(styles.len())]))
                        .collect()
                })
                .collect();
            let para = Paragraph::new(lines);
            let meant = plain
                .draw(|f| f.render_widget(para.clone(), f.area()))
                .unwrap()
                .buffer
                .clone();
            compact.draw(|f| f.render_widget(para, f.area())).unwrap();
            vt.process(&std::mem::take(compact.backend_mut().writer_mut()));
            assert_same_screen(&meant, vt.screen());
        }
    }

    #[test]
    fn blank_runs_are_erased_not_printed() {
        let mut t = Terminal::new(CompactBackend::with_size(Vec::new(), 40, 2)).unwrap();
        let text = "x".repeat(40);
        t.draw(|f| f.render_widget(text.as_str(), f.area()))
            .unwrap();
        t.backend_mut().writer_mut().clear();
        t.draw(|f| f.render_widget("ab", f.area())).unwrap();
        let out = String::from_utf8(t.backend().writer().clone()).unwrap();
        // "ab" is printed; the 38 x's after it are erased to the row's end.
        assert_eq!(out, "\x1b[1Hab\x1b[K");
    }

    #[test]
    fn style_changes_use_the_shortest_codes() {
        let pen = |fg, bg, modifier| Pen { fg, bg, modifier };
        let plain = Pen::default();
        assert_eq!(
            sgr(plain, pen(Color::Red, Color::Reset, Modifier::empty())),
            "\x1b[31m"
        );
        assert_eq!(
            sgr(plain, pen(Color::Reset, Color::LightBlue, Modifier::BOLD)),
            "\x1b[1;104m"
        );
        // Bold off takes dim with it, so dim is set again.
        let both = pen(Color::Red, Color::Reset, Modifier::BOLD | Modifier::DIM);
        assert_eq!(
            sgr(both, pen(Color::Red, Color::Reset, Modifier::DIM)),
            "\x1b[22;2m"
        );
        // From many attributes to none, a reset is shortest.
        let busy = pen(
            Color::Red,
            Color::Blue,
            Modifier::BOLD | Modifier::ITALIC | Modifier::REVERSED,
        );
        assert_eq!(sgr(busy, plain), "\x1b[0m");
        assert_eq!(sgr(plain, plain), "");
    }

    #[test]
    fn the_cursor_is_hidden_once() {
        let mut b = CompactBackend::with_size(Vec::new(), 10, 1);
        b.hide_cursor().unwrap();
        b.hide_cursor().unwrap();
        b.show_cursor().unwrap();
        assert_eq!(b.writer().as_slice(), b"\x1b[?25l\x1b[?25h");
    }
}
