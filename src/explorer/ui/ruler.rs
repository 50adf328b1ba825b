//! The ruler: year labels, events or matches per year as bars, and era bands.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::Theme;
use super::wrap::{pad, truncate};
use crate::data::date::{Moment, PartialDate, days_in_month, is_leap};
use crate::data::model::Timeline;
use crate::data::text::sanitize;
use crate::data::timescale::{midpoint, moment_of, month_day};
use crate::explorer::app::{App, YearBuckets};

pub(super) fn era_groups(t: &Timeline) -> Vec<&str> {
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

/// How the ruler maps moments to columns: by the app's bucket scale (evenly, or
/// logarithmically across deep time), over `width` columns.
#[derive(Clone, Copy)]
struct Scale {
    width: u16,
    buckets: YearBuckets,
}

impl Scale {
    /// The column of a fractional year.
    fn column_at(&self, at: f64) -> u16 {
        (self.buckets.position(at) * self.width as f64)
            .clamp(0.0, self.width.saturating_sub(1) as f64) as u16
    }

    /// The column of a moment.
    fn column(&self, at: Moment) -> u16 {
        self.column_at(at.as_years())
    }

    /// The middle of a date's span: "2021" is marked mid-year, not on 1 January.
    fn column_of(&self, d: &PartialDate) -> u16 {
        self.column_at(midpoint(d))
    }

    /// The buckets a column covers, as a half-open range.
    fn buckets_at(&self, col: u16) -> std::ops::Range<usize> {
        let (count, width) = (self.buckets.count, self.width as usize);
        let b0 = col as usize * count / width;
        let b1 = ((col as usize + 1) * count / width).max(b0 + 1);
        b0..b1
    }
}

pub(super) fn render_ruler(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    groups: &[&str],
) {
    let t = &app.timeline;
    if t.events.is_empty() {
        return;
    }
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
    let scale = Scale {
        width,
        buckets: app.buckets,
    };
    // A logarithmic scale says so where the labels start.
    let edge = if scale.buckets.log { "log" } else { "" };
    let label = if app.filter_active() {
        "match"
    } else {
        "events"
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{edge:<prefix$}"), theme.dim()),
            Span::styled(labels(scale), theme.dim()),
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

/// The labels for the scale: years ago in powers of ten on a logarithmic one,
/// years over long spans, months, days or times of day over short ones.
fn labels(scale: Scale) -> String {
    let b = scale.buckets;
    let mut labels = vec![' '; scale.width as usize];
    if b.log {
        let (first, _) = b.years();
        put(&mut labels, 0, &short_year_label(first));
        let mut ago = 1.0f64;
        while ago < b.end - b.start {
            put(
                &mut labels,
                scale.column_at(b.end - ago) as usize,
                &ago_label(ago),
            );
            ago *= 10.0;
        }
    } else if b.end - b.start >= 1.0 {
        year_labels(scale, &mut labels);
    } else {
        fine_labels(scale, &mut labels);
    }
    labels.into_iter().collect()
}

/// Puts a label at a column, unless it would touch another or run off the end.
fn put(labels: &mut [char], col: usize, text: &str) {
    let end = col + text.chars().count();
    // Keep a space before each label so neighbours never run together.
    if end <= labels.len() && labels[col.saturating_sub(1)..end].iter().all(|c| *c == ' ') {
        labels[col..end]
            .iter_mut()
            .zip(text.chars())
            .for_each(|(cell, ch)| *cell = ch);
    }
}

/// "1ya", "100ya", "10kya", "1bya": a power of ten years before the last event.
fn ago_label(years: f64) -> String {
    let (v, unit) = match years {
        y if y >= 1e9 => (y / 1e9, "bya"),
        y if y >= 1e6 => (y / 1e6, "mya"),
        y if y >= 1e3 => (y / 1e3, "kya"),
        y => (y, "ya"),
    };
    format!("{v:.0}{unit}")
}

/// Times of day, days or months over a span under two years.
fn fine_labels(scale: Scale, labels: &mut [char]) {
    let b = scale.buckets;
    let room = (scale.width as usize / 8).max(1) as f64;
    let seconds = (b.end - b.start) * 365.25 * 86_400.0;
    const STEPS: [u32; 11] = [
        60, 300, 900, 1_800, 3_600, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
    ];
    let first = moment_of(b.start);
    let year_len = if is_leap(first.year) { 366.0 } else { 365.0 } * 86_400.0;
    if let Some(&step) = STEPS.iter().find(|&&s| seconds / s as f64 <= room) {
        let step = step as u64;
        let from = first.day_of_year as u64 * 86_400 + first.second_of_day as u64;
        let mut at = (from / step + 1) * step;
        loop {
            let years = first.year as f64 + at as f64 / year_len;
            if years > b.end {
                break;
            }
            let m = moment_of(years);
            let text = if step < 86_400 {
                format!(
                    "{:02}:{:02}",
                    m.second_of_day / 3_600,
                    m.second_of_day / 60 % 60
                )
            } else {
                let (month, day) = month_day(&m);
                format!("{month:02}-{day:02}")
            };
            put(labels, scale.column_at(years) as usize, &text);
            at += step;
        }
        return;
    }
    // Months, every one or every few, as room allows.
    let months = (b.end - b.start) * 12.0;
    let every = [1, 2, 3, 6]
        .into_iter()
        .find(|&n| months / n as f64 <= room)
        .unwrap_or(12);
    let (mut year, mut month) = (first.year, month_day(&first).0);
    loop {
        month += 1;
        if month > 12 {
            (year, month) = (year + 1, 1);
        }
        let day: u16 = (1..month).map(|m| days_in_month(year, m) as u16).sum();
        let at = Moment {
            year,
            day_of_year: day,
            second_of_day: 0,
        }
        .as_years();
        if at > b.end {
            break;
        }
        if (month as i32 - 1) % every == 0 {
            put(
                labels,
                scale.column_at(at) as usize,
                &format!("{year}-{month:02}"),
            );
        }
    }
}

/// Year numbers at their columns: every year, fifth or tenth year as room allows,
/// or round steps (100, 5000, a billion years) over a long span.
fn year_labels(scale: Scale, labels: &mut [char]) {
    let (first, last) = scale.buckets.years();
    let width = scale.width as usize;
    let years = last - first + 1;
    let step = if years * 5 <= width as i64 {
        1
    } else if years <= width as i64 {
        5
    } else if years <= 10 * width as i64 {
        10
    } else {
        round_step(years * 12 / width as i64)
    };
    let mut put_year = |y: i64| {
        let col = ((y - first) as f64 / years as f64 * width as f64) as usize;
        put(labels, col, &short_year_label(y));
    };
    let mut y = if step == 1 || years <= 10 * width as i64 {
        first
    } else {
        first.div_euclid(step) * step + if first.rem_euclid(step) == 0 { 0 } else { step }
    };
    while y <= last {
        put_year(y);
        y += step;
    }
    if step > 1 && years <= 10 * width as i64 {
        put_year(last);
    }
}

/// The smallest of 1, 2, 5, 10, 20, 50, … years at least `at_least`.
fn round_step(at_least: i64) -> i64 {
    let mut unit = 1i64;
    loop {
        for m in [1, 2, 5] {
            if unit * m >= at_least {
                return unit * m;
            }
        }
        unit *= 10;
    }
}

/// A year in a few cells: "2021", "44BCE", "65mya", "13.8bya".
fn short_year_label(y: i64) -> String {
    let ago = y.unsigned_abs() as f64;
    let short = |v: f64, unit: &str| {
        if v >= 10.0 || v.fract() == 0.0 {
            format!("{v:.0}{unit}")
        } else {
            format!("{v:.1}{unit}")
        }
    };
    if y < -999_999_999 {
        short(ago / 1e9, "bya")
    } else if y < -999_999 {
        short(ago / 1e6, "mya")
    } else if y < -99_999 {
        short(ago / 1e3, "kya")
    } else if y < 0 {
        format!("{}BCE", y.unsigned_abs())
    } else {
        y.to_string()
    }
}

/// Events (or matches) per column as bar heights, with the selection marked.
fn bars(app: &App, scale: Scale, theme: &Theme) -> Vec<Span<'static>> {
    const BARS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = app.bucket_counts.iter().copied().max().unwrap_or(1).max(1) as usize;
    let filtered = app.filter_active();
    let selected = app
        .selected()
        .map(|e| scale.column_of(&app.timeline.events[e].date));
    (0..scale.width)
        .map(|col| {
            let sum = |v: &[u32]| -> usize {
                scale
                    .buckets_at(col)
                    .map(|b| v.get(b).copied().unwrap_or(0) as usize)
                    .sum()
            };
            let (total, matched) = (sum(&app.bucket_counts), sum(&app.view.match_counts));
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
        let a = scale.column(era.start.first_moment());
        // An era still running reaches the edge, its last cell marked as continuing.
        let open = era.end.is_none();
        let b = match era.end {
            Some(end) if end.last_moment().as_years() <= scale.buckets.end => {
                scale.column(end.last_moment()).max(a + 1)
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::date::PartialDate;
    use crate::explorer::app::App;
    use crate::explorer::ui::{Theme, render};

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
        // in the first column of the scale, where the 2001 label is, and its name follows.
        let scale = column(0, "2").unwrap();
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
    fn a_year_only_date_is_marked_mid_year_not_on_new_years_day() {
        let scale = Scale {
            width: 250,
            buckets: YearBuckets::spanning(2001, 2025),
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
            let text = labels(Scale {
                width,
                buckets: YearBuckets::spanning(2001, 2025),
            });
            assert_eq!(text.chars().count(), width as usize);
            for word in text.split_whitespace() {
                assert_eq!(word.len(), 4, "{text:?}");
            }
            assert!(text.contains("2001"), "{text:?}");
        }
    }

    #[test]
    fn deep_time_is_labelled_in_round_steps_of_years_ago() {
        let text = labels(Scale {
            width: 80,
            buckets: YearBuckets::spanning(-13_800_000_000, 2024),
        });
        assert!(text.contains("bya"), "{text:?}");
    }

    /// The ruler's two top lines for a timeline of these dates, at 80 columns.
    fn ruler_of(dates: &[&str]) -> String {
        use ratatui::{Terminal, backend::TestBackend};
        let events: Vec<_> = (dates.iter().enumerate())
            .map(|(i, d)| (format!("e{i}"), d.to_string()))
            .collect();
        let events: Vec<(&str, &str, Option<&str>)> = (events.iter())
            .map(|(id, d)| (id.as_str(), d.as_str(), None))
            .collect();
        let t = crate::data::load::dated_timeline(&events, serde_json::json!([]));
        let app = App::new(std::sync::Arc::new(t));
        let mut term = Terminal::new(TestBackend::new(80, 3)).unwrap();
        term.draw(|f| render_ruler(f, f.area(), &app, &Theme { color: false }, &[]))
            .unwrap();
        let buf = term.backend().buffer();
        (0..2)
            .map(|y| (0..80).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
            .collect()
    }

    #[test]
    fn an_afternoon_is_ruled_in_times_of_day() {
        insta::assert_snapshot!(ruler_of(&[
            "2024-06-19 13:05",
            "2024-06-19 14:30",
            "2024-06-19 14:45",
            "2024-06-19 16:50",
        ]));
    }

    #[test]
    fn deep_time_is_ruled_on_a_log_scale_that_says_so() {
        insta::assert_snapshot!(ruler_of(&[
            "-13800000000",
            "-4500000000",
            "-66000000",
            "-44",
            "1969-07-20",
            "2024",
        ]));
    }
}
