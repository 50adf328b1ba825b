//! The article pane: the source's rule, its caveat, and the article scrolled to the quote.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::details::event_header;
use super::layout::pane;
use super::theme::Theme;
use super::wrap::{capped, styled_lines, text_lines, truncate, wrap};
use crate::data::cite::whose_words;
use crate::data::model::Source;
use crate::data::text::sanitize;
use crate::explorer::app::App;

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
pub(super) fn shown_source(app: &App, event: usize) -> Option<(usize, &Source)> {
    let sources = &app.timeline.events[event].sources;
    let i = app.source.min(sources.len().checked_sub(1)?);
    Some((i, &sources[i]))
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

pub(super) fn render_article(
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::explorer::app::App;
    use crate::explorer::ui::{Theme, render};

    #[test]
    fn after_the_window_grows_the_article_leaves_no_blank_rows_at_its_end() {
        use crate::explorer::app::Action;
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

    /// Stepping down the built-in chronology at 120x40, the article scrolls about as
    /// seldom as the best placement chosen knowing every move in advance would.
    #[test]
    fn the_article_scrolls_about_as_seldom_as_it_possibly_could() {
        use crate::explorer::app::Action;
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
}
