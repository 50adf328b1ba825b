//! Criterion benchmarks: loading, filtering per keystroke, rendering, start-up.
//! Run with `cargo bench`; `bash benches/measure.sh` adds RSS, bytes and fzf.

#[path = "synth.rs"]
mod synth;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use annals::data::load::{InlineOnly, load_builtin, load_str};
use annals::explorer::app::{Action, App};
use annals::explorer::ui::{Theme, list_rows, render};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

fn bench_load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    for (events, articles) in [(10_000, 1_000), (100_000, 10_000)] {
        let text = synth::inline_json(events, articles);
        g.bench_with_input(BenchmarkId::from_parameter(events), &text, |b, text| {
            // Freeing the result afterwards is not part of loading.
            b.iter_with_large_drop(|| load_str(text, "synthetic", &InlineOnly).unwrap())
        });
    }
    g.finish();
}

/// Every prefix of every query, as typed one character at a time.
fn keystrokes() -> Vec<String> {
    synth::queries(1)
        .iter()
        .flat_map(|q| (1..=q.chars().count()).map(move |n| q.chars().take(n).collect::<String>()))
        .collect()
}

fn bench_filter(c: &mut Criterion) {
    let mut g = c.benchmark_group("filter_keystroke");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    let typed = keystrokes();
    for events in [10_000, 100_000, 1_000_000] {
        let mut app = App::new(Arc::new(synth::timeline(events, (events / 10).min(10_000))));
        // One keystroke: the query grows by a character and the list is rebuilt.
        g.bench_function(BenchmarkId::from_parameter(events), |b| {
            let mut k = 0;
            b.iter(|| {
                let prefix = &typed[k % typed.len()];
                // A new query starts cold: nothing it needs has been matched before.
                if prefix.chars().count() == 1 {
                    app.matcher.clear_cache();
                }
                app.set_filter(prefix);
                k += 1;
                black_box(app.view.visible.len())
            })
        });
    }
    g.finish();
}

fn frame(app: &App, term: &mut Terminal<TestBackend>) {
    term.draw(|f| render(f, app, &Theme { color: true }))
        .unwrap();
}

fn bench_render(c: &mut Criterion) {
    let mut g = c.benchmark_group("render_frame_120x40");
    let mut app = App::new(Arc::new(synth::timeline(100_000, 10_000)));
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    app.update(Action::Bottom);
    g.bench_function("100k_unfiltered", |b| b.iter(|| frame(&app, &mut term)));
    // A move makes the frame place the article anew around the new quote.
    let mut down = false;
    g.bench_function("100k_after_a_move", |b| {
        b.iter(|| {
            down = !down;
            app.update(if down { Action::Up } else { Action::Down });
            frame(&app, &mut term)
        })
    });
    app.set_filter("sanctions tr");
    g.bench_function("100k_filtered", |b| b.iter(|| frame(&app, &mut term)));
    g.finish();
}

fn bench_startup(c: &mut Criterion) {
    c.bench_function("startup_builtin_to_first_frame", |b| {
        b.iter(|| {
            let mut app = App::new(Arc::new(load_builtin().unwrap().timeline));
            let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
            // As the run loop does: fit the list to the screen, then draw once.
            app.update(Action::Resize {
                list_rows: list_rows(Rect::new(0, 0, 120, 40), &app),
            });
            frame(&app, &mut term);
            black_box(term.backend().buffer().area)
        })
    });
}

criterion_group!(
    benches,
    bench_startup,
    bench_render,
    bench_load,
    bench_filter
);
criterion_main!(benches);
