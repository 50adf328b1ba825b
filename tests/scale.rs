//! A generated 10,000-event timeline, written to disk with its article files,
//! loads, filters and renders through the same code as the built-in one.

#[path = "../benches/synth.rs"]
mod synth;

use std::sync::Arc;

use annals::data::load::load_file;
use annals::explorer::app::{Action, App};
use annals::explorer::ui::{Theme, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[test]
fn a_generated_10k_timeline_loads_filters_and_renders() {
    let dir = tempfile::tempdir().unwrap();
    let spec = synth::Spec {
        events: 10_000,
        articles: 1_000,
        article_bytes: 3_000,
        seed: 7,
        inline: false,
    };
    let path = synth::write(dir.path(), &spec).unwrap();
    assert!(dir.path().join("articles/000999.txt").exists());

    let loaded = load_file(&path).unwrap();
    let t = loaded.timeline;
    assert_eq!(t.events.len(), 10_000);
    assert_eq!(t.articles.len(), 1_000);
    for e in t.events.iter().step_by(97) {
        let s = &e.sources[0];
        assert_eq!(&t.articles[s.article].text[s.start..s.end], s.quote);
    }

    let mut app = App::new(Arc::new(t));
    let query = &synth::queries(7)[0];
    app.set_filter(query);
    assert!(
        !app.view.visible.is_empty() && app.view.visible.len() < 10_000,
        "{query}: {}",
        app.view.visible.len()
    );
    app.update(Action::Bottom);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| render(f, &app, &Theme { color: true }))
        .unwrap();
}

#[test]
fn the_generator_is_deterministic() {
    let spec = synth::Spec {
        events: 200,
        articles: 20,
        article_bytes: 1_000,
        seed: 3,
        inline: true,
    };
    let a = synth::generate(&spec, |_, _| None);
    let b = synth::generate(&spec, |_, _| None);
    assert_eq!(a, b);
    let other = synth::generate(&synth::Spec { seed: 4, ..spec }, |_, _| None);
    assert_ne!(a, other);
}
