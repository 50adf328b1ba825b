//! The event's details, under the list or, while reading, with every source listed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::article::shown_source;
use super::layout::pane;
use super::theme::Theme;
use super::wrap::{capped, text_lines};
use crate::data::cite::whose_words;
use crate::data::html::{inline_text, to_terminal};
use crate::data::model::Event;
use crate::explorer::app::App;

/// The event's details: date and headline, summary, date note, actors and topics.
pub(super) fn event_header(
    app: &App,
    event: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let t = &app.timeline;
    let e = &t.events[event];
    let mut doc = Vec::new();
    let push = |text: &str, style: Style, doc: &mut Vec<Line<'static>>| {
        doc.extend(text_lines(text, width, style))
    };
    push(
        &format!("{}  {}", e.shown_date(), e.headline),
        theme.heading(),
        &mut doc,
    );
    push(&e.summary, Style::new(), &mut doc);
    if e.sources.is_empty() {
        doc.extend(own_text_lines(e, width, Style::new()));
    }
    if let Some(g) = &e.group {
        push(&format!("Group: {g}"), theme.tag(), &mut doc);
    }
    if e.sources.is_empty() && e.actors.is_empty() && e.topics.is_empty() {
        return doc;
    }
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

/// An event's own story, for one without quoted sources: its text (HTML shown
/// as text, links numbered under it), then the media's caption, credit and link.
pub(super) fn own_text_lines(e: &Event, width: usize, style: Style) -> Vec<Line<'static>> {
    let mut doc = Vec::new();
    if let Some(text) = &e.text {
        for line in to_terminal(text, width).lines() {
            doc.extend(text_lines(line, width, style));
        }
    }
    if let Some(m) = &e.media {
        if let Some(c) = m
            .caption
            .as_deref()
            .map(inline_text)
            .filter(|c| !c.is_empty())
        {
            doc.extend(text_lines(&format!("Caption: {c}"), width, style));
        }
        if let Some(c) = m
            .credit
            .as_deref()
            .map(inline_text)
            .filter(|c| !c.is_empty())
        {
            doc.extend(text_lines(&format!("Credit: {c}"), width, style));
        }
        let link = m.link.as_deref().unwrap_or(&m.url);
        doc.extend(text_lines(&format!("Link: {link}"), width, style));
    }
    doc
}

/// The event's details in a block. Under the list they are cut to fit; read
/// beside the article (`whole`), they also list every source, marking the one shown.
pub(super) fn render_details(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, whole: bool) {
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
            let mut quote = text_lines(&format!("“{}”", src.quote()), width, theme.dim());
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

#[cfg(test)]
mod tests {

    use crate::explorer::app::App;
    use crate::explorer::ui::{Theme, render};

    #[test]
    fn reading_an_article_the_source_shown_is_always_in_the_sources_list() {
        use crate::explorer::app::Action;
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
}
