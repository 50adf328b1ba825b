//! Rendering: the explorer's state drawn into a frame. Only rows on screen are
//! built, so a frame costs the same for 40 events or 1,000,000.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use unicode_normalization::char::is_combining_mark;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::app::{App, Mode, PickerKind, Row};
use crate::data::cite::whose_words;
use crate::data::date::PartialDate;
use crate::data::model::{ActorKind, Event, Source, Timeline, date_span};
use crate::data::text::sanitize;
use crate::keys::{BINDINGS, Context, hints};
use crate::query::highlight::highlight;

/// Below this the explorer shows a notice instead of the screen.
const MIN_WIDTH: u16 = 40;
const MIN_HEIGHT: u16 = 10;
/// From this width the list and the article sit side by side.
const SIDE_BY_SIDE: u16 = 100;

/// Styles. Without colour, every state is shown through modifiers and symbols.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }
    fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    fn matched(&self) -> Style {
        self.fg(Color::Red)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    fn heading(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    fn date(&self) -> Style {
        self.fg(Color::Green)
    }
    fn tag(&self) -> Style {
        if self.color {
            self.fg(Color::Magenta)
        } else {
            Style::new().add_modifier(Modifier::ITALIC)
        }
    }
    fn quote(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Yellow).fg(Color::Black)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }
    /// A doubt about a quote: it must not read as part of the quote.
    fn caveat(&self) -> Style {
        if self.color {
            self.fg(Color::Yellow).add_modifier(Modifier::ITALIC)
        } else {
            Style::new().add_modifier(Modifier::ITALIC | Modifier::BOLD)
        }
    }
    fn border(&self, focused: bool) -> (Style, BorderType) {
        if focused {
            (
                self.fg(Color::Green).add_modifier(Modifier::BOLD),
                BorderType::Thick,
            )
        } else {
            (Style::new(), BorderType::Plain)
        }
    }
}

/// Where each part of the screen goes. Drawing, the mouse and the list's size all
/// take it from `layout`, so they cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    ruler: Rect,
    /// The list, when it shows.
    pub list: Option<Rect>,
    /// The event's details: under the list, or in its place while reading.
    pub details: Option<Rect>,
    pub article: Option<Rect>,
    bar: Rect,
    status: Rect,
    /// What help and the pickers cover.
    main: Rect,
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

fn reading(app: &App) -> bool {
    matches!(app.mode, Mode::Browse { article: true })
        || matches!(app.mode, Mode::Help)
            && matches!(app.previous_mode, Mode::Browse { article: true })
}

fn layout(area: Rect, groups: usize, reading: bool) -> Option<Panes> {
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

// ---------- ruler ----------

fn era_groups(t: &Timeline) -> Vec<&str> {
    let mut groups: Vec<&str> = Vec::new();
    for e in &t.eras {
        let g = e.group.as_deref().unwrap_or("");
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    groups
}

/// "United States" → "US", "Iran" → "Iran".
fn short_group(g: &str) -> String {
    let short = if g.width() <= 5 {
        g.to_string()
    } else {
        g.split_whitespace()
            .filter_map(|w| w.chars().next())
            .collect()
    };
    truncate(&sanitize(&short), GROUP_LABEL_MAX)
}

/// The ruler's margin is at most this wide, whatever the era groups are called.
const GROUP_LABEL_MAX: usize = 8;

/// `text` padded with spaces to `width` display columns.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// How the ruler maps years to columns.
#[derive(Clone, Copy)]
struct Scale {
    first: i32,
    last: i32,
    width: u16,
}

impl Scale {
    fn years(&self) -> i32 {
        self.last - self.first + 1
    }

    /// The column of a calendar day.
    fn column(&self, day: chrono::NaiveDate) -> u16 {
        use chrono::Datelike;
        let pos = (day.year() - self.first) as f64 + day.ordinal0() as f64 / 366.0;
        ((pos / self.years() as f64) * self.width as f64)
            .clamp(0.0, self.width.saturating_sub(1) as f64) as u16
    }

    /// The middle of a date's span: "2021" is marked mid-year, not on 1 January.
    fn column_of(&self, d: &PartialDate) -> u16 {
        let (a, b) = (d.first_day(), d.last_day());
        self.column(a + (b - a) / 2)
    }

    /// The years a column covers, as a half-open range.
    fn years_at(&self, col: u16) -> std::ops::Range<i32> {
        let (years, width) = (self.years() as i64, self.width as i64);
        let y0 = self.first + (col as i64 * years / width) as i32;
        let y1 = (self.first + ((col as i64 + 1) * years / width) as i32).max(y0 + 1);
        y0..y1
    }
}

fn render_ruler(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, groups: &[&str]) {
    let t = &app.timeline;
    if t.events.is_empty() {
        return;
    }
    let (first, last) = app.year_range();
    let prefix = groups
        .iter()
        .map(|g| short_group(g).width() + 1)
        .max()
        .unwrap_or(0)
        .max(5);
    let width = area.width.saturating_sub(prefix as u16);
    if width < 4 {
        return;
    }
    let scale = Scale { first, last, width };
    let label = if app.filter_active() {
        "match"
    } else {
        "events"
    };
    let mut lines = vec![
        Line::from(vec![
            Span::raw(" ".repeat(prefix)),
            Span::styled(year_labels(scale), theme.dim()),
        ]),
        Line::from(
            [
                vec![Span::styled(format!("{label:<prefix$}"), theme.dim())],
                bars(app, scale, theme),
            ]
            .concat(),
        ),
    ];
    for g in groups.iter().take(area.height.saturating_sub(2) as usize) {
        let name = Span::styled(pad(&short_group(g), prefix), theme.dim());
        lines.push(Line::from(
            [vec![name], era_band(t, g, scale, theme)].concat(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Year numbers at their columns, every year, fifth or tenth year as room allows.
fn year_labels(scale: Scale) -> String {
    let width = scale.width as usize;
    let years = scale.years() as usize;
    let step = if years * 5 <= width {
        1
    } else if years <= width {
        5
    } else {
        10
    };
    let mut labels = vec![' '; width];
    for y in scale.first..=scale.last {
        if !((y - scale.first) as usize).is_multiple_of(step) && y != scale.last {
            continue;
        }
        let col = (y - scale.first) as usize * width / years;
        let text = y.to_string();
        let end = col + text.len();
        // Keep a space before each label so neighbours never run together.
        if end <= width && labels[col.saturating_sub(1)..end].iter().all(|c| *c == ' ') {
            labels[col..end]
                .iter_mut()
                .zip(text.chars())
                .for_each(|(cell, ch)| *cell = ch);
        }
    }
    labels.into_iter().collect()
}

/// Events (or matches) per column as bar heights, with the selection marked.
fn bars(app: &App, scale: Scale, theme: &Theme) -> Vec<Span<'static>> {
    const BARS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = app.year_counts.iter().copied().max().unwrap_or(1).max(1) as usize;
    let filtered = app.filter_active();
    let selected = app
        .selected()
        .map(|e| scale.column_of(&app.timeline.events[e].date));
    (0..scale.width)
        .map(|col| {
            let sum = |v: &[u32]| -> usize {
                scale
                    .years_at(col)
                    .map(|y| v.get((y - scale.first) as usize).copied().unwrap_or(0) as usize)
                    .sum()
            };
            let (total, matched) = (sum(&app.year_counts), sum(&app.view.match_counts));
            let shown = if filtered { matched } else { total };
            let level = if shown == 0 {
                0
            } else {
                (1 + shown * 7 / max).min(8)
            };
            let (mut ch, mut style) = match (filtered, matched, total) {
                (true, 0, 1..) => ('·', theme.dim()),
                (true, 1.., _) => (BARS[level], theme.matched()),
                _ => (BARS[level], Style::new()),
            };
            if Some(col) == selected {
                style = theme.selected();
                if ch == ' ' {
                    ch = '│';
                }
            }
            Span::styled(ch.to_string(), style)
        })
        .collect()
}

/// The last cell of an era still running.
const CONTINUING: char = '→';

/// One group's eras as alternating bands, each named as far as it has room; an
/// era still running reaches the ruler's edge and ends in an arrow.
fn era_band(t: &Timeline, group: &str, scale: Scale, theme: &Theme) -> Vec<Span<'static>> {
    let width = scale.width;
    let mut cells: Vec<(char, Style)> = vec![(' ', Style::new()); width as usize];
    let eras = t
        .eras
        .iter()
        .filter(|e| e.group.as_deref().unwrap_or("") == group);
    for (k, era) in eras.enumerate() {
        let a = if era.start.year < scale.first {
            0
        } else {
            scale.column(era.start.first_day())
        };
        // An era still running reaches the edge, its last cell marked as continuing.
        let open = era.end.is_none();
        let b = match era.end {
            Some(end) if end.year <= scale.last => scale.column(end.last_day()).max(a + 1),
            _ => width,
        };
        let style = if k % 2 == 0 {
            theme.selected().remove_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        };
        // One blank cell, then the name, shortened to the band (less the arrow).
        let room = b.min(width).saturating_sub(a + 1 + open as u16);
        let name = band_label(&era.name, room as usize)
            .chars()
            .collect::<Vec<_>>();
        for c in a..b.min(width) {
            let ch = if open && c + 1 == b.min(width) {
                CONTINUING
            } else if c > a {
                name.get((c - a - 1) as usize).copied().unwrap_or(' ')
            } else {
                ' '
            };
            cells[c as usize] = (ch, style);
        }
    }
    cells
        .into_iter()
        .map(|(c, s)| Span::styled(c.to_string(), s))
        .collect()
}

/// An era's name in `room` cells: whole, or its first words that fit, or its
/// first word cut with "…". One cell per character, so wide ones are left out.
fn band_label(name: &str, room: usize) -> String {
    let name: String = sanitize(name)
        .chars()
        .filter(|c| c.width() == Some(1))
        .collect();
    // Left-out wide characters may leave spaces at either end.
    let name = name.trim();
    if name.chars().count() <= room {
        return name.to_string();
    }
    let mut words = String::new();
    for w in name.split_whitespace() {
        let longer = if words.is_empty() {
            w.to_string()
        } else {
            format!("{words} {w}")
        };
        if longer.chars().count() > room {
            break;
        }
        words = longer;
    }
    let first = name.split_whitespace().next().unwrap_or("");
    match room {
        _ if !words.is_empty() => words,
        // No room for a letter and "…": the initial alone.
        1 => first.chars().take(1).collect(),
        _ => truncate(first, room),
    }
}

// ---------- list ----------

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

/// Cuts `text` to at most `width` display columns, ending with "…" when cut.
fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// A bordered pane with a title; the focused one is drawn heavier. Returns the inside.
fn pane(frame: &mut Frame, area: Rect, theme: &Theme, title: &str, focused: bool) -> Rect {
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

fn render_list(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let title = format!(" {} ", sanitize(&app.timeline.title));
    let inner = pane(frame, area, theme, &title, true);
    if app.view.visible.is_empty() {
        let typed = app.input.trim();
        let what = match (typed.is_empty(), picked_names(app)) {
            (false, picks) if picks.is_empty() => format!("“{}”", truncate(&sanitize(typed), 40)),
            (false, picks) => format!("“{}” with {picks}", truncate(&sanitize(typed), 30)),
            (true, picks) => picks,
        };
        let how = if typed.is_empty() {
            "Esc clears the picks; a and t change them."
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
                let label = format!("── {y} ");
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

// ---------- article ----------

/// Greedy word wrap by display width. Returns byte ranges of `text`, one per line.
fn wrap(text: &str, width: usize) -> Vec<(usize, usize)> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut para_start = 0;
    for para in text.split('\n') {
        wrap_paragraph(text, para_start, para_start + para.len(), width, &mut lines);
        para_start += para.len() + 1;
    }
    lines
}

fn wrap_paragraph(
    text: &str,
    from: usize,
    to: usize,
    width: usize,
    lines: &mut Vec<(usize, usize)>,
) {
    let para = &text[from..to];
    let mut line: Option<(usize, usize, usize)> = None; // start, end, width
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in para.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                words.push((from + s, from + i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((from + s, to));
    }
    if words.is_empty() {
        lines.push((from, from));
        return;
    }
    for (ws, we) in words {
        let ww = text[ws..we].width();
        if let Some((ls, le, lw)) = line {
            if lw + 1 + ww <= width {
                line = Some((ls, we, lw + 1 + ww));
                continue;
            }
            lines.push((ls, le));
        }
        if ww <= width {
            line = Some((ws, we, ww));
            continue;
        }
        // A word longer than the line is cut by display width.
        let (mut cs, mut cw) = (ws, 0);
        for (i, c) in text[ws..we].char_indices() {
            let w = c.width().unwrap_or(0);
            if cw + w > width && cw > 0 {
                lines.push((cs, ws + i));
                cs = ws + i;
                cw = 0;
            }
            cw += w;
        }
        line = Some((cs, we, cw));
    }
    if let Some((ls, le, _)) = line {
        lines.push((ls, le));
    }
}

/// Lines of wrapped text in one style.
fn text_lines(text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    styled_lines(text, &wrap(text, width), style, None)
}

/// An article's lines: wrapped, with each run of blank lines shown as one, since
/// some sources pad their paragraphs with many.
fn article_lines(text: &str, width: usize) -> Vec<(usize, usize)> {
    let mut lines = wrap(text, width);
    let blank = |(s, e): (usize, usize)| text[s..e].trim().is_empty();
    let mut previous_blank = true;
    lines.retain(|&line| {
        let keep = !(blank(line) && previous_blank);
        previous_blank = blank(line);
        keep
    });
    lines
}

/// The lines `ranges` of `text`, sanitized, with the byte range `mark` styled.
fn styled_lines(
    text: &str,
    ranges: &[(usize, usize)],
    style: Style,
    mark: Option<(usize, usize, Style)>,
) -> Vec<Line<'static>> {
    let piece = |from: usize, to: usize, style: Style| {
        Span::styled(sanitize(&text[from..to]).into_owned(), style)
    };
    ranges
        .iter()
        .map(|&(s, e)| match mark {
            Some((ms, me, mstyle)) if ms < e.max(s + 1) && me > s => {
                let (a, b) = (ms.max(s), me.min(e));
                Line::from(vec![
                    piece(s, a, style),
                    piece(a, b, mstyle),
                    piece(b, e, style),
                ])
            }
            _ => Line::from(piece(s, e, style)),
        })
        .collect()
}

/// The line holding byte `at`, of lines given by their byte ranges.
fn line_of(lines: &[(usize, usize)], at: usize) -> usize {
    lines.partition_point(|&(_, end)| end <= at)
}

/// The first and last line a source's quote takes.
fn quote_lines(lines: &[(usize, usize)], src: &Source) -> (usize, usize) {
    (
        line_of(lines, src.start),
        line_of(lines, src.end.saturating_sub(1).max(src.start)),
    )
}

/// The source of `event` shown in the article pane, and its index.
fn shown_source(app: &App, event: usize) -> Option<(usize, &Source)> {
    let sources = &app.timeline.events[event].sources;
    let i = app.source.min(sources.len().checked_sub(1)?);
    Some((i, &sources[i]))
}

/// The event's details: date and headline, summary, date note, actors and topics.
fn event_header(app: &App, event: usize, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let t = &app.timeline;
    let e = &t.events[event];
    let mut doc = Vec::new();
    let push = |text: &str, style: Style, doc: &mut Vec<Line<'static>>| {
        doc.extend(text_lines(text, width, style))
    };
    push(
        &format!("{}  {}", date_span(e), e.headline),
        theme.heading(),
        &mut doc,
    );
    push(&e.summary, Style::new(), &mut doc);
    if let Some(n) = &e.date_note {
        push(
            &format!("Date: {n}"),
            Style::new().add_modifier(Modifier::ITALIC),
            &mut doc,
        );
    }
    push(
        &format!("Actors: {}", t.actor_names(e).join(", ")),
        theme.tag(),
        &mut doc,
    );
    push(
        &format!("Topics: {}", t.topic_names(e).join(", ")),
        theme.tag(),
        &mut doc,
    );
    doc
}

/// At most `cap` lines; when some are left out, the last one shown ends in "…".
fn capped(
    mut lines: Vec<Line<'static>>,
    cap: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    if lines.len() > cap {
        lines.truncate(cap);
        if let Some(last) = lines.last_mut() {
            // One ellipsis, whether or not the line itself was already cut.
            let text = format!("{last}");
            let text = text.trim_end_matches('…');
            *last = Line::styled(truncate(&format!("{text} …"), width), theme.dim());
        }
    }
    lines
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

/// The event's details in a block. Under the list they are cut to fit; read
/// beside the article (`whole`), they also list every source, marking the one shown.
fn render_details(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, whole: bool) {
    let inner = pane(frame, area, theme, " Event ", false);
    let Some(event) = app.selected() else {
        return;
    };
    let width = inner.width.saturating_sub(1).max(1) as usize;
    let height = inner.height as usize;
    let header = event_header(app, event, width, theme);
    let lines = if whole {
        with_sources(app, event, header, width, height, theme)
    } else {
        capped(header, height, width, theme)
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Rows of the details kept above the sources, when not everything fits.
const HEADER_MIN: usize = 3;

/// The details and the list of sources in `height` rows. What does not fit gives
/// way in turn: the quotes of the sources not shown (the later ones first), then
/// the details' last rows, then the sources farthest from the one shown, which
/// always stays in view.
fn with_sources(
    app: &App,
    event: usize,
    header: Vec<Line<'static>>,
    width: usize,
    height: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let shown = shown_source(app, event).map_or(0, |(i, _)| i);
    let entries = source_entries(app, event, shown, width, theme);
    let rows = |quoted: &dyn Fn(usize) -> bool| -> usize {
        2 + entries
            .iter()
            .enumerate()
            .map(|(i, (from, quote))| from.len() + if quoted(i) { quote.len() } else { 0 })
            .sum::<usize>()
    };
    // Quote the shown source, and as many others, in order, as leave the details whole.
    let spare = height.saturating_sub(header.len());
    let mut quoted = 0;
    while quoted < entries.len() && rows(&|i| i == shown || i <= quoted) <= spare {
        quoted += 1;
    }
    let quotes = |i: usize| i == shown || i < quoted;
    let room = height
        .saturating_sub(rows(&quotes))
        .max(HEADER_MIN.min(height));
    let mut lines = capped(header, room, width, theme);
    let heading = if entries.len() > 1 {
        "Sources ([ ] switch):"
    } else {
        "Source:"
    };
    let mut list = vec![Line::default(), Line::styled(heading, theme.heading())];
    let mut shown_rows = 0..0;
    for (i, (from, quote)) in entries.into_iter().enumerate() {
        let start = list.len();
        list.extend(from);
        if quotes(i) {
            list.extend(quote);
        }
        if i == shown {
            shown_rows = start..list.len();
        }
    }
    // A window of the list that holds the shown source, as near the top as fits.
    let left = height.saturating_sub(lines.len());
    let start = shown_rows.end.saturating_sub(left).min(shown_rows.start);
    lines.extend(list.into_iter().skip(start).take(left));
    lines
}

/// Each source's entry: where it is from (the one shown marked), and the passage
/// it quotes.
fn source_entries(
    app: &App,
    event: usize,
    shown: usize,
    width: usize,
    theme: &Theme,
) -> Vec<(Vec<Line<'static>>, Vec<Line<'static>>)> {
    let t = &app.timeline;
    let sources = &t.events[event].sources;
    // Each run of sources from one article is named once: the names of copies are long.
    let mut run_start = 0;
    sources
        .iter()
        .enumerate()
        .map(|(i, src)| {
            if i == 0 || sources[i - 1].article != src.article {
                run_start = i;
            }
            let from = if run_start == i {
                whose_words(&t.articles[src.article])
            } else {
                format!("the same article as {}", run_start + 1)
            };
            let (mark, style) = if i == shown {
                ("▸", theme.heading())
            } else {
                ("·", Style::new())
            };
            let mut quote = text_lines(&format!("“{}”", src.quote), width, theme.dim());
            if let Some(c) = &src.caveat {
                quote.extend(text_lines(&format!("Caveat: {c}"), width, theme.caveat()));
            }
            (
                text_lines(&format!("{mark} {}. {from}", i + 1), width, style),
                quote,
            )
        })
        .collect()
}

/// The rule above the article: "── Source 1 of 2: Outlet, date ── [ ] ─", or for
/// a copy "── Source 1 of 2: a machine-paraphrased copy of a Fox News report, …".
/// The keys to switch sources show only when there are several, in a corner
/// kept for them, so the title does not shift from one event to the next.
fn source_rule(app: &App, event: usize, width: usize) -> String {
    const KEYS: &str = " [ ] ─";
    let t = &app.timeline;
    let Some((i, src)) = shown_source(app, event) else {
        return "─".repeat(width);
    };
    let n = t.events[event].sources.len();
    // Whose words come first, so a narrow pane still says a copy is a copy.
    let label = format!(
        "── Source {} of {n}: {} ",
        i + 1,
        sanitize(&whose_words(&t.articles[src.article]))
    );
    let corner = KEYS.width();
    let label = truncate(&label, width.saturating_sub(corner));
    let fill = "─".repeat(width.saturating_sub(label.width() + corner));
    let end = if n > 1 && width > corner {
        KEYS.to_string()
    } else {
        "─".repeat(corner.min(width))
    };
    format!("{label}{fill}{end}")
}

fn render_article(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    focused: bool,
    show_header: bool,
) {
    let inner = pane(frame, area, theme, " Source ", focused);
    let Some(event) = app.selected() else {
        let note = Line::styled("No event selected: nothing matches.", theme.dim());
        frame.render_widget(Paragraph::new(note).centered(), inner);
        return;
    };
    let width = inner.width.saturating_sub(1).max(1) as usize;
    // The event's details stay put; the article below them scrolls.
    let header = if show_header {
        let cap = (inner.height as usize * 45 / 100).max(2);
        capped(event_header(app, event, width, theme), cap, width, theme)
    } else {
        Vec::new()
    };
    let header_h = header.len() as u16;
    frame.render_widget(
        Paragraph::new(header),
        Rect {
            height: header_h.min(inner.height),
            ..inner
        },
    );
    if inner.height <= header_h + 1 {
        return;
    }
    let rule = Rect {
        y: inner.y + header_h,
        height: 1,
        ..inner
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            source_rule(app, event, inner.width as usize),
            theme.heading(),
        )),
        rule,
    );
    let Some((_, src)) = shown_source(app, event) else {
        return;
    };
    // A caveat about the quote stays in view above the article, which scrolls.
    let caveat = src.caveat.as_ref().map_or_else(Vec::new, |c| {
        let width = inner.width as usize;
        capped(
            text_lines(&format!("Caveat: {c}"), width, theme.caveat()),
            CAVEAT_ROWS,
            width,
            theme,
        )
    });
    let caveat_h = (caveat.len() as u16).min(inner.height - header_h - 1);
    frame.render_widget(
        Paragraph::new(caveat),
        Rect {
            y: rule.y + 1,
            height: caveat_h,
            ..inner
        },
    );
    if inner.height <= header_h + 1 + caveat_h {
        return;
    }
    let body = Rect {
        y: rule.y + 1 + caveat_h,
        height: inner.height - header_h - 1 - caveat_h,
        ..inner
    };
    let text = &app.timeline.articles[src.article].text;
    let lines = article_lines(text, width);
    let quote = quote_lines(&lines, src);
    let height = body.height as usize;
    let max_offset = lines.len().saturating_sub(height);
    let (article, resolved) = (
        app.viewport.article_shown.get(),
        app.viewport.article_resolved.get(),
    );
    let offset = match app.article_offset {
        Some(o) => o.min(max_offset),
        // The quote is already on screen in the same article: stay put, so moving
        // between events of one article does not redraw the whole pane.
        None if article == Some(src.article)
            && quote.0 >= resolved
            && quote.1 < resolved + height
            && resolved <= max_offset =>
        {
            resolved
        }
        // Otherwise bring the quote into view, and the neighbours' too if they fit.
        None => quote_offset(
            quote,
            &neighbour_quotes(app, src.article, &lines),
            height,
            max_offset,
        ),
    };
    app.viewport.article_shown.set(Some(src.article));
    app.viewport.article_height.set(height);
    app.viewport.article_lines.set(lines.len());
    app.viewport.article_resolved.set(offset);
    // Only the lines on screen are styled.
    let on_screen = &lines[offset..(offset + height).min(lines.len())];
    let mark = (src.start, src.end, theme.quote());
    frame.render_widget(
        Paragraph::new(styled_lines(text, on_screen, Style::new(), Some(mark))),
        Rect {
            width: body.width.saturating_sub(1),
            ..body
        },
    );
    if max_offset > 0 && body.width > 1 {
        // A one-column scroll indicator.
        let bar_h = (height * height / (max_offset + height)).max(1);
        let bar_y = offset * (height - bar_h) / max_offset.max(1);
        let bar: Vec<Line> = (0..height)
            .map(|y| {
                if y >= bar_y && y < bar_y + bar_h {
                    Line::raw("┃")
                } else {
                    Line::styled("│", theme.dim())
                }
            })
            .collect();
        frame.render_widget(
            Paragraph::new(bar),
            Rect {
                x: body.x + body.width - 1,
                width: 1,
                ..body
            },
        );
    }
}

/// Rows a caveat may take above the article.
const CAVEAT_ROWS: usize = 3;

/// How many events either side of the selection count as its neighbours.
const NEIGHBOURS: usize = 3;

/// The lines that the passages of the selection's neighbours in `article` take,
/// each with its distance from the selection.
fn neighbour_quotes(
    app: &App,
    article: usize,
    lines: &[(usize, usize)],
) -> Vec<(usize, (usize, usize))> {
    let t = &app.timeline;
    let mut found = Vec::new();
    for distance in 1..=NEIGHBOURS {
        let before = app.cursor.checked_sub(distance);
        for pos in [before, Some(app.cursor + distance)].into_iter().flatten() {
            let Some(&e) = app.view.visible.get(pos) else {
                continue;
            };
            for src in t.events[e as usize]
                .sources
                .iter()
                .filter(|s| s.article == article)
            {
                found.push((distance, quote_lines(lines, src)));
            }
        }
    }
    found
}

/// Where the article view starts to show the quote's lines `quote`. Of the places
/// that show it whole, the one that also shows the most neighbouring passages,
/// the nearest weighing most, so that stepping to them need not scroll; between
/// equals, the one closest to a quarter of the view of context above the quote.
fn quote_offset(
    quote: (usize, usize),
    neighbours: &[(usize, (usize, usize))],
    height: usize,
    max_offset: usize,
) -> usize {
    let preferred = quote.0.saturating_sub(height / 4).min(max_offset);
    let lowest = (quote.1 + 1).saturating_sub(height);
    let highest = quote.0.min(max_offset);
    if lowest > highest {
        return preferred;
    }
    let score = |offset: usize| -> usize {
        neighbours
            .iter()
            .filter(|(_, (first, last))| *first >= offset && *last < offset + height)
            .map(|(distance, _)| NEIGHBOURS + 1 - distance)
            .sum()
    };
    (lowest..=highest)
        .max_by_key(|&o| (score(o), std::cmp::Reverse(o.abs_diff(preferred))))
        .unwrap_or(preferred)
}

// ---------- bottom bars ----------

/// "actors: A | B  topics: C", for the picks in force.
fn picked_names(app: &App) -> String {
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
    sanitize(
        &actors
            .into_iter()
            .chain(topics)
            .collect::<Vec<_>>()
            .join("  "),
    )
    .into_owned()
}

/// The end of `text` that fits in `width` columns, with "…" in front when cut:
/// while typing, what matters is what was typed last.
fn tail(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut w = 1;
    for c in text.chars().rev() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width {
            break;
        }
        kept.push(c);
        w += cw;
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

fn render_filter_bar(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
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

fn render_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let total = app.timeline.events.len();
    let count = if app.filter_active() {
        format!("{} of {total} events", app.view.visible.len())
    } else {
        format!("{total} events")
    };
    let count = if app.filtering {
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

// ---------- overlays ----------

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

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
fn render_help(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
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

fn render_picker(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, kind: PickerKind) {
    let wanted = app.picker.entries.len().max(1).saturating_add(3);
    let room = area.height.saturating_sub(2);
    let height = u16::try_from(wanted).unwrap_or(u16::MAX).min(room).max(6);
    let popup = centered(area, 56, height);
    frame.render_widget(Clear, popup);
    let title = match kind {
        PickerKind::Actors => " Actors: type to narrow, Enter or Tab picks, Esc closes ",
        PickerKind::Topics => " Topics: type to narrow, Enter or Tab picks, Esc closes ",
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
    let lines: Vec<Line> = if app.picker.entries.is_empty() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_the_window_grows_the_article_leaves_no_blank_rows_at_its_end() {
        use crate::app::Action;
        use ratatui::{Terminal, backend::TestBackend};
        let t = std::sync::Arc::new(crate::data::load::load_builtin().unwrap().timeline);
        let mut app = App::new(t.clone());
        let theme = Theme { color: false };
        for i in 0..t.events.len() {
            if i > 0 {
                app.update(Action::Down);
            }
            for height in [24, 70] {
                let mut term = Terminal::new(TestBackend::new(120, height)).unwrap();
                term.draw(|f| render(f, &app, &theme)).unwrap();
            }
            let v = &app.viewport;
            let max = v.article_lines.get().saturating_sub(v.article_height.get());
            assert!(v.article_resolved.get() <= max, "event {i}");
        }
    }

    #[test]
    fn era_bands_line_up_with_the_year_scale_whatever_their_group_is_called() {
        use ratatui::{Terminal, backend::TestBackend};
        let era = |group: &str| serde_json::json!({"id": group, "name": "N", "group": group, "start": "2000", "end": "2030"});
        let eras = [
            era("中国"),
            era("US"),
            era("A very long group name of many many words"),
        ];
        let t = crate::data::load::dated_timeline(
            &[("e", "2001", None), ("f", "2020", None)],
            serde_json::json!(eras),
        );
        let app = App::new(std::sync::Arc::new(t));
        let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
        term.draw(|f| render(f, &app, &Theme { color: false }))
            .unwrap();
        let buf = term.backend().buffer();
        let column = |y: u16, symbol: &str| (0..100).find(|&x| buf[(x, y)].symbol() == symbol);
        // Each era runs from 2000, a year before the scale's first: its band starts
        // in the first column of the scale, where the 2001 bar is, and its name follows.
        let scale = column(1, "█").unwrap();
        for y in 2..5 {
            assert_eq!(column(y, "N"), Some(scale + 1), "ruler row {y}");
        }
        let margin: String = (0..scale).map(|x| buf[(x, 4)].symbol()).collect();
        assert_eq!(margin.trim_end(), "Avlgnom…", "a long group name is cut");
    }

    #[test]
    fn an_era_still_running_reaches_the_rulers_edge_marked_as_continuing() {
        use ratatui::{Terminal, backend::TestBackend};
        let eras = serde_json::json!([
            {"id": "closed", "name": "Closed", "group": "G", "start": "2001", "end": "2010"},
            {"id": "open", "name": "Open", "group": "G", "start": "2015", "end": null}
        ]);
        let t =
            crate::data::load::dated_timeline(&[("e", "2001", None), ("f", "2020", None)], eras);
        let app = App::new(std::sync::Arc::new(t));
        let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
        term.draw(|f| render(f, &app, &Theme { color: false }))
            .unwrap();
        let buf = term.backend().buffer();
        let band: String = (0..100).map(|x| buf[(x, 2)].symbol()).collect();
        assert!(band.ends_with("→"), "{band:?}");
        assert!(band.contains("Open"), "{band:?}");
        // The closed era ends where 2010 does, well before the edge.
        let closed_end = band.find("Closed").unwrap() + "Closed".len();
        assert!(closed_end < 60, "{band:?}");
    }

    #[test]
    fn reading_an_article_the_source_shown_is_always_in_the_sources_list() {
        use crate::app::Action;
        use ratatui::{Terminal, backend::TestBackend};
        let t = std::sync::Arc::new(crate::data::load::load_builtin().unwrap().timeline);
        let theme = Theme { color: false };
        for (width, height) in [(120, 40), (100, 30), (100, 24)] {
            let mut term = Terminal::new(TestBackend::new(width, height)).unwrap();
            for e in 0..t.events.len() {
                let mut app = App::new(t.clone());
                app.goto(&t.events[e].id).unwrap();
                app.update(Action::OpenArticle);
                for n in 1..=t.events[e].sources.len() {
                    term.draw(|f| render(f, &app, &theme)).unwrap();
                    let screen = format!("{:?}", term.backend().buffer());
                    let mark = format!("▸ {n}. ");
                    assert!(
                        screen.contains(&mark),
                        "{width}x{height}, event {e}: {mark}"
                    );
                    app.update(Action::NextSource);
                }
            }
        }
    }

    #[test]
    fn the_ruler_reaches_the_last_end_date() {
        use ratatui::{Terminal, backend::TestBackend};
        let t = crate::data::load::dated_timeline(
            &[
                ("e", "2001", None),
                ("f", "2010", Some("2024")),
                ("g", "2015", None),
            ],
            serde_json::json!([]),
        );
        let app = App::new(std::sync::Arc::new(t));
        assert_eq!(app.year_range(), (2001, 2024));
        let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
        term.draw(|f| render(f, &app, &Theme { color: false }))
            .unwrap();
        let labels: String = (0..100)
            .map(|x| term.backend().buffer()[(x, 0)].symbol().to_string())
            .collect();
        assert!(labels.trim_end().ends_with("2024"), "{labels}");
    }

    #[test]
    fn a_span_s_arrow_follows_its_start_date_and_headlines_stay_in_one_column() {
        let d = |s: &str| PartialDate::parse(s).unwrap();
        assert_eq!(date_cell(&d("2011-03"), true), "2011-03→   ");
        assert_eq!(date_cell(&d("2020-01-02"), true), "2020-01-02→");
        assert_eq!(date_cell(&d("2020-01-02"), false), "2020-01-02 ");
        assert_eq!(date_cell(&d("2021"), false), "2021       ");
    }

    #[test]
    fn an_era_name_is_shortened_by_whole_words() {
        let name = "Trump presidency (first term)";
        assert_eq!(band_label(name, 40), name);
        assert_eq!(band_label(name, 18), "Trump presidency");
        assert_eq!(band_label(name, 6), "Trump");
        assert_eq!(band_label(name, 4), "Tru…");
        assert_eq!(band_label(name, 1), "T");
        assert_eq!(band_label(name, 0), "");
        assert_eq!(band_label("漢字の時代 long era", 20), "long era");
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

    /// Stepping down the built-in chronology at 120x40, the article scrolls about as
    /// seldom as the best placement chosen knowing every move in advance would.
    #[test]
    fn the_article_scrolls_about_as_seldom_as_it_possibly_could() {
        use crate::app::Action;
        use ratatui::{Terminal, backend::TestBackend};
        let t = std::sync::Arc::new(crate::data::load::load_builtin().unwrap().timeline);
        let mut app = App::new(t.clone());
        let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let theme = Theme { color: false };
        let mut shown = Vec::new();
        for i in 0..t.events.len() {
            if i > 0 {
                app.update(Action::Down);
            }
            term.draw(|f| render(f, &app, &theme)).unwrap();
            let v = &app.viewport;
            let (_, src) = shown_source(&app, i).unwrap();
            // The article pane is 60 wide: 58 inside, one column for the scroll bar.
            let lines = article_lines(&t.articles[src.article].text, 57);
            assert_eq!(lines.len(), v.article_lines.get());
            let (first, last) = quote_lines(&lines, src);
            let (height, max) = (
                v.article_height.get(),
                lines.len() - v.article_height.get().min(lines.len()),
            );
            // The offsets that show the whole quote.
            let fits = ((last + 1).saturating_sub(height), first.min(max));
            shown.push((src.article, v.article_resolved.get(), fits));
        }
        let (mut made, mut needed) = (0, 0);
        let mut common: Option<(usize, usize)> = None;
        for w in shown.windows(2) {
            let ((a0, o0, f0), (a1, o1, f1)) = (w[0], w[1]);
            if a0 != a1 {
                common = None;
                continue;
            }
            made += (o0 != o1) as usize;
            // Fewest changes: keep one offset while some offset suits every quote so far.
            let (lo, hi) = common.unwrap_or(f0);
            let joint = (lo.max(f1.0), hi.min(f1.1));
            common = if joint.0 <= joint.1 {
                Some(joint)
            } else {
                needed += 1;
                Some(f1)
            };
        }
        println!(
            "same-article moves that scroll the article: {made}; the fewest possible: {needed}"
        );
        assert!(
            needed > 0 && made <= needed + 1,
            "made {made}, needed {needed}"
        );
    }

    #[test]
    fn the_quote_is_placed_so_its_neighbours_show_too() {
        // A 20-line view of a 100-line article; the quote takes lines 50-51.
        let alone = quote_offset((50, 51), &[], 20, 80);
        assert_eq!(alone, 45, "a quarter of the view of context above it");
        // The next event's passage, ten lines on, fits in the same view.
        let with_next = quote_offset((50, 51), &[(1, (60, 61))], 20, 80);
        assert!(with_next <= 50 && with_next + 20 > 61, "{with_next}");
        // A nearer neighbour wins over a farther one when both cannot show.
        let torn = quote_offset((50, 51), &[(1, (35, 35)), (3, (68, 68))], 20, 80);
        assert!(torn <= 35, "{torn}");
        // A passage too far away to share the view changes nothing.
        assert_eq!(quote_offset((50, 51), &[(1, (90, 91))], 20, 80), 45);
        // Near the end the view stops at the last page.
        assert_eq!(quote_offset((95, 96), &[], 20, 80), 80);
    }

    #[test]
    fn runs_of_blank_lines_in_an_article_show_as_one() {
        let text = "\n\nTitle\n\n\n\n\nFirst paragraph.\n\nSecond.";
        let shown: Vec<&str> = article_lines(text, 40)
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert_eq!(shown, ["Title", "", "First paragraph.", "", "Second."]);
    }

    #[test]
    fn the_details_under_the_list_never_crowd_it_out() {
        assert_eq!(details_height(15), 0, "too short to share");
        for h in 16..200 {
            let d = details_height(h);
            assert!((6..=14).contains(&d) && h - d >= 10, "{h}: {d}");
        }
    }

    #[test]
    fn wrap_breaks_on_words_and_keeps_byte_ranges() {
        let text = "one two three four\nfive";
        let lines: Vec<&str> = wrap(text, 9)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(lines, ["one two", "three", "four", "five"]);
    }

    #[test]
    fn wrap_measures_wide_characters() {
        let text = "日本語の文章";
        let lines = wrap(text, 4);
        assert!(lines.iter().all(|&(s, e)| text[s..e].width() <= 4));
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn truncate_respects_display_width() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("日本語", 4), "日…");
        assert_eq!(truncate("ab", 4), "ab");
    }

    #[test]
    fn a_year_only_date_is_marked_mid_year_not_on_new_years_day() {
        let scale = Scale {
            first: 2001,
            last: 2025,
            width: 250,
        };
        let year = scale.column_of(&PartialDate::parse("2021").unwrap());
        let january = scale.column_of(&PartialDate::parse("2021-01-01").unwrap());
        let july = scale.column_of(&PartialDate::parse("2021-07-01").unwrap());
        assert!(
            year > january && year.abs_diff(july) <= 1,
            "{january} {year} {july}"
        );
    }

    #[test]
    fn year_labels_never_run_together() {
        for width in [20, 40, 80, 120, 200] {
            let labels = year_labels(Scale {
                first: 2001,
                last: 2025,
                width,
            });
            assert_eq!(labels.chars().count(), width as usize);
            for word in labels.split_whitespace() {
                assert_eq!(word.len(), 4, "{labels:?}");
            }
            assert!(labels.contains("2001"), "{labels:?}");
        }
    }
}
