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
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let quotes: std::collections::HashMap<&str, &str> = file["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap(),
                e["sources"][0]["quote"].as_str().unwrap(),
            )
        })
        .collect();
    for e in t.events.iter().step_by(97) {
        let s = &e.sources[0];
        assert_eq!(s.quote(), quotes[&*e.id]);
        // The quote is found in the article's own text, which it shares.
        assert!(Arc::ptr_eq(&s.text, &t.articles[s.article].text));
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
