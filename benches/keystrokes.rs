//! Per-keystroke filter latency, typed one character at a time, at 10k, 100k and
//! 1M events; the UI thread's own cost per keystroke; and, where fzf is installed,
//! `fzf --filter` on the same haystack strings, side by side.
//!
//!     cargo bench --bench keystrokes            # all sizes
//!     cargo bench --bench keystrokes -- 100000  # one size

#[path = "synth.rs"]
mod synth;

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use annals::explorer::app::{Action, App, Mode};
use annals::explorer::ui::{Theme, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

struct Stats {
    median: Duration,
    p95: Duration,
    worst: Duration,
}

fn stats(mut v: Vec<Duration>) -> Stats {
    v.sort();
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    Stats {
        median: at(0.5),
        p95: at(0.95),
        worst: *v.last().unwrap(),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn prefixes(q: &str) -> Vec<String> {
    (1..=q.chars().count())
        .map(|n| q.chars().take(n).collect())
        .collect()
}

fn fzf_available() -> bool {
    Command::new("fzf")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Wall time of one `fzf --filter` process per keystroke.
fn fzf_times(haystack: &std::path::Path, queries: &[String]) -> Vec<Duration> {
    let mut out = Vec::new();
    for q in queries {
        for p in prefixes(q) {
            let input = std::fs::File::open(haystack).unwrap();
            let start = Instant::now();
            let status = Command::new("fzf")
                .arg("--filter")
                .arg(&p)
                .stdin(input)
                .stdout(Stdio::null())
                .status()
                .unwrap();
            out.push(start.elapsed());
            assert!(status.code().is_some());
        }
    }
    out
}

fn main() {
    let only: Option<usize> = std::env::args().skip(1).find_map(|a| a.parse().ok());
    let sizes: Vec<usize> = [10_000, 100_000, 1_000_000]
        .into_iter()
        .filter(|s| only.is_none_or(|o| o == *s))
        .collect();
    let queries = synth::queries(1);
    let fzf = fzf_available();
    println!("queries typed one character at a time: {queries:?}");
    println!();
    println!(
        "| events | filter per keystroke median / p95 / worst | UI thread per keystroke median / worst | fzf --filter median / worst | fzf ÷ annals (median) |"
    );
    println!("|---|---|---|---|---|");
    for events in sizes {
        let t = Arc::new(synth::timeline(events, (events / 10).min(10_000)));
        let mut app = App::new(Arc::clone(&t));

        // Matching and rebuilding the list, as the worker does for each keystroke.
        let mut filter = Vec::new();
        for q in &queries {
            app.matcher.clear_cache();
            for p in prefixes(q) {
                let start = Instant::now();
                app.set_filter(&p);
                filter.push(start.elapsed());
            }
            app.set_filter("");
        }
        let f = stats(filter);

        // The UI thread's part: take the key, ask the worker, draw the frame.
        let mut ui_app = App::new(Arc::clone(&t));
        ui_app.deferred = true;
        let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let mut ui = Vec::new();
        for q in &queries {
            ui_app.update(Action::OpenFilter);
            for c in q.chars() {
                let start = Instant::now();
                ui_app.update(Action::Insert(c));
                term.draw(|fr| render(fr, &ui_app, &Theme { color: true }))
                    .unwrap();
                ui.push(start.elapsed());
            }
            ui_app.update(Action::Back);
            assert_eq!(ui_app.mode, Mode::Browse { article: false });
        }
        let u = stats(ui);

        let (fzf_cell, ratio) = if fzf && events <= 100_000 {
            let dir = std::env::temp_dir().join(format!("annals-haystack-{events}"));
            let mut file = std::fs::File::create(&dir).unwrap();
            for e in &t.events {
                writeln!(
                    file,
                    "{} | {} | {}",
                    e.headline,
                    t.actor_names(e).join(", "),
                    t.topic_names(e).join(", ")
                )
                .unwrap();
            }
            drop(file);
            let z = stats(fzf_times(&dir, &queries));
            let ratio = z.median.as_secs_f64() / f.median.as_secs_f64();
            (
                format!("{} / {}", ms(z.median), ms(z.worst)),
                format!("{ratio:.0}×"),
            )
        } else if fzf {
            ("not run (takes minutes)".to_string(), "–".to_string())
        } else {
            ("fzf not installed".to_string(), "–".to_string())
        };
        println!(
            "| {events} | {} / {} / {} | {} / {} | {fzf_cell} | {ratio} |",
            ms(f.median),
            ms(f.p95),
            ms(f.worst),
            ms(u.median),
            ms(u.worst)
        );
        std::io::stdout().flush().unwrap();
    }
}
