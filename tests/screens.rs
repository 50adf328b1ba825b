//! Snapshot tests of the explorer's screens, rendered into ratatui's TestBackend.
//! Review any change with `cargo insta review` before accepting it.

use std::sync::Arc;

use annals::data::load::load_builtin;
use annals::explorer::app::{Action, App};
use annals::explorer::ui::{Theme, list_rows, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

fn app() -> App {
    App::new(Arc::new(load_builtin().unwrap().timeline))
}

/// Fits the list to the screen, as the run loop does at start-up, and renders.
fn screen(app: &mut App, w: u16, h: u16, theme: Theme) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    app.update(Action::Resize {
        list_rows: list_rows(Rect::new(0, 0, w, h), app),
    });
    term.draw(|f| render(f, app, &theme)).unwrap();
    term
}

const PLAIN: Theme = Theme { color: false };
const COLOR: Theme = Theme { color: true };

fn text(term: &Terminal<TestBackend>) -> String {
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        app.update(Action::Insert(c));
    }
}

#[test]
fn first_screen_wide() {
    let mut a = app();
    insta::assert_snapshot!(text(&screen(&mut a, 120, 40, PLAIN)));
}

#[test]
fn first_screen_80x24_shows_the_list() {
    let mut a = app();
    insta::assert_snapshot!(text(&screen(&mut a, 80, 24, PLAIN)));
}

#[test]
fn article_full_width_at_80x24() {
    let mut a = app();
    a.update(Action::Bottom);
    a.update(Action::OpenArticle);
    insta::assert_snapshot!(text(&screen(&mut a, 80, 24, PLAIN)));
}

#[test]
fn reading_an_article_beside_the_list_shows_the_whole_event() {
    let mut a = app();
    a.update(Action::Bottom);
    let browsing = text(&screen(&mut a, 120, 40, PLAIN));
    // Under the list, the last event's details are cut short.
    assert!(
        !browsing.contains("is Friday 17 January 2025"),
        "{browsing}"
    );
    a.update(Action::OpenArticle);
    let reading = text(&screen(&mut a, 120, 40, PLAIN));
    // Reading, they take the list's place, whole.
    assert!(reading.contains("is Friday 17 January 2025"), "{reading}");
    assert!(
        reading.contains("Topics: Treaties and agreements"),
        "{reading}"
    );
    assert!(!reading.contains("▶"), "{reading}");
    insta::assert_snapshot!(reading);
}

#[test]
fn last_event_is_the_2025_treaty() {
    let mut a = app();
    a.update(Action::Bottom);
    let s = text(&screen(&mut a, 120, 40, PLAIN));
    assert!(s.contains("▶ 2025-01-17"), "{s}");
    assert!(s.contains("strategic partnership treaty"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn filter_narrows_and_counts() {
    let mut a = app();
    a.update(Action::OpenFilter);
    type_text(&mut a, "rogozin");
    let s = text(&screen(&mut a, 120, 40, PLAIN));
    assert!(
        s.contains(&format!("{} of 44 events", a.view.visible.len())),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn empty_result_says_how_to_clear() {
    let mut a = app();
    a.update(Action::OpenFilter);
    type_text(&mut a, "zzqx");
    let s = text(&screen(&mut a, 80, 24, PLAIN));
    assert!(
        s.contains("No events match") && s.contains("Esc clears"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn help_lists_the_key_table() {
    let mut a = app();
    a.update(Action::ToggleHelp);
    let s = text(&screen(&mut a, 120, 40, PLAIN));
    // Each binding's keys stand right before its words, on one line: a help text
    // that also appears inside another ("page down" in "half page down") is not enough.
    let listed = |label: &str, help: &str| {
        s.lines().any(|line| {
            line.match_indices(help)
                .any(|(at, _)| line[..at].trim_end().ends_with(label))
        })
    };
    for b in annals::explorer::keys::BINDINGS {
        assert!(
            listed(&b.label(), b.help),
            "help is missing {} {:?}\n{s}",
            b.label(),
            b.help
        );
    }
    insta::assert_snapshot!(s);
}

#[test]
fn help_fits_80x24_and_scrolls() {
    let mut a = app();
    a.update(Action::ToggleHelp);
    let first = text(&screen(&mut a, 80, 24, PLAIN));
    assert!(first.contains("j/k scroll"), "{first}");
    for _ in 0..100 {
        a.update(Action::Down);
    }
    let scrolled = text(&screen(&mut a, 80, 24, PLAIN));
    assert_ne!(first, scrolled, "j scrolls the help");
    assert!(
        scrolled.contains("Ctrl-c"),
        "the last keys can be reached\n{first}\n{scrolled}"
    );
    insta::assert_snapshot!(first);
}

#[test]
fn picks_with_no_match_name_the_picks() {
    let mut a = app();
    a.update(Action::OpenActorPicker);
    for c in "kim jong".chars() {
        a.update(Action::Insert(c));
    }
    a.update(Action::PickerToggle);
    a.update(Action::Back);
    a.update(Action::OpenTopicPicker);
    for c in "oil".chars() {
        a.update(Action::Insert(c));
    }
    a.update(Action::PickerToggle);
    a.update(Action::Back);
    let s = text(&screen(&mut a, 120, 40, PLAIN));
    assert!(
        s.contains("No events match actors: Kim Jong Un  topics: Oil"),
        "{s}"
    );
    assert!(s.contains("a and t change them"), "{s}");
}

#[test]
fn actor_picker() {
    let mut a = app();
    a.update(Action::OpenActorPicker);
    type_text(&mut a, "pez");
    a.update(Action::PickerToggle);
    insta::assert_snapshot!(text(&screen(&mut a, 120, 40, PLAIN)));
}

fn timelinejs_app() -> App {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/timelinejs/history.json");
    App::new(Arc::new(
        annals::data::load::load_file(&path).unwrap().timeline,
    ))
}

#[test]
fn group_picker() {
    let mut a = timelinejs_app();
    a.update(Action::OpenGroupPicker);
    type_text(&mut a, "s");
    a.update(Action::PickerToggle);
    insta::assert_snapshot!(text(&screen(&mut a, 120, 30, PLAIN)));
}

#[test]
fn the_group_picker_says_when_a_timeline_has_no_groups() {
    let mut a = app();
    let s = text(&screen(&mut a, 120, 40, PLAIN));
    assert!(!s.contains("p pick groups"), "{s}");
    a.update(Action::OpenGroupPicker);
    let s = text(&screen(&mut a, 120, 40, PLAIN));
    assert!(s.contains("this timeline has no groups"), "{s}");
}

#[test]
fn tiny_sizes_never_panic() {
    for (w, h) in [
        (0, 0),
        (1, 1),
        (2, 1),
        (10, 3),
        (39, 9),
        (40, 10),
        (41, 12),
        (60, 15),
        (99, 30),
        (100, 20),
    ] {
        let mut a = app();
        for action in [
            Action::OpenFilter,
            Action::Insert('p'),
            Action::Accept,
            Action::OpenArticle,
            Action::ToggleHelp,
        ] {
            a.update(action);
            screen(&mut a, w, h, COLOR);
        }
        a.update(Action::OpenTopicPicker);
        screen(&mut a, w, h, COLOR);
    }
}

#[test]
fn too_small_notice() {
    let mut a = app();
    insta::assert_snapshot!(text(&screen(&mut a, 30, 8, PLAIN)));
}

#[test]
fn selection_shows_without_colour() {
    let mut a = app();
    let term = screen(&mut a, 120, 40, PLAIN);
    let buf = term.backend().buffer();
    // The selected row is marked with a symbol and reversed video, not only colour.
    let row = (0..40)
        .find(|&y| {
            (0..120)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .contains("▶ 2001-03-12")
        })
        .unwrap();
    let cell = &buf[(3, row)];
    assert!(cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
    assert_eq!(cell.fg, ratatui::style::Color::Reset);
    // And nothing on the screen uses colour at all.
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset)
    );
}

#[test]
fn quote_is_highlighted_and_in_view() {
    let mut a = app();
    a.update(Action::Bottom);
    let term = screen(&mut a, 120, 40, PLAIN);
    let buf = term.backend().buffer();
    // Inside the Source pane only: the era bands of the ruler are reversed too.
    let top = (0..40)
        .find(|&y| (60..120).any(|x| buf[(x, y)].symbol() == "┌" || buf[(x, y)].symbol() == "┏"))
        .unwrap();
    let marked: String = (top + 1..39)
        .flat_map(|y| (61..119).map(move |x| (x, y)))
        .filter(|&(x, y)| buf[(x, y)].modifier.contains(Modifier::REVERSED))
        .map(|(x, y)| buf[(x, y)].symbol().to_string())
        .collect();
    // The last event's first quote names the Iranian president as the Stern piece spells him.
    assert!(
        marked.contains("Peseschkian"),
        "the quote should be marked in the article pane: {marked:?}\n{}",
        text(&term)
    );
}

#[test]
fn wide_characters_in_data_do_not_break_the_layout() {
    use annals::data::load::{InlineOnly, load_str};
    let json = r#"{"title":"宽字符 timeline","articles":[{"id":"a","title":"東京","text":"日本語の記事。ここに引用がある。"}],
      "actors":[{"id":"x","name":"東京都","kind":"organization"}],"topics":[{"id":"t","name":"話題"}],
      "events":[{"id":"e","date":"2020","headline":"日本語の見出しはとても長いのでここで切れるはずです。さらに続く","summary":"要約","actors":["x"],"topics":["t"],"sources":[{"article":"a","quote":"ここに引用がある"}]}]}"#;
    let t = load_str(json, "t", &InlineOnly).unwrap().timeline;
    let mut a = App::new(Arc::new(t));
    insta::assert_snapshot!(text(&screen(&mut a, 80, 24, PLAIN)));
}

#[test]
fn the_filter_bar_shows_the_picks_while_typing() {
    let mut a = app();
    a.update(Action::OpenActorPicker);
    type_text(&mut a, "putin");
    a.update(Action::PickerToggle);
    a.update(Action::Back);
    a.update(Action::OpenFilter);
    type_text(&mut a, "2017");
    let shown = text(&screen(&mut a, 100, 30, PLAIN));
    let bar = shown.lines().nth(28).unwrap();
    assert!(bar.starts_with("/ 2017 "), "{bar}");
    assert!(
        bar.trim_end().ends_with("with actors: Vladimir Putin"),
        "{bar}"
    );
}
