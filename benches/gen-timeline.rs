//! Writes a deterministic synthetic timeline for benchmarks and scale tests:
//!
//!     cargo run --release --example gen-timeline -- --events 100000 --articles 10000 --seed 1 --out /tmp/t100k
//!
//! `--format timelinejs` writes `timelinejs.json` (TimelineJS3 JSON) instead, and
//! `--format timelinejs-csv` writes `timelinejs.csv` (the spreadsheet template), from
//! the same events for the same seed.

#[path = "synth.rs"]
mod synth;

use std::path::PathBuf;

fn main() {
    let mut spec = synth::Spec {
        events: 10_000,
        articles: 1_000,
        article_bytes: 3_000,
        seed: 1,
        inline: false,
    };
    let mut out = PathBuf::from("target/synthetic");
    let mut format = String::from("annals");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| panic!("{name} needs a value"))
        };
        match a.as_str() {
            "--events" => spec.events = value("--events").parse().expect("--events takes a number"),
            "--articles" => {
                spec.articles = value("--articles")
                    .parse()
                    .expect("--articles takes a number")
            }
            "--article-bytes" => {
                spec.article_bytes = value("--article-bytes").parse().expect("a number")
            }
            "--seed" => spec.seed = value("--seed").parse().expect("--seed takes a number"),
            "--out" => out = PathBuf::from(value("--out")),
            "--inline" => spec.inline = true,
            "--format" => format = value("--format"),
            other => {
                eprintln!(
                    "unknown argument {other}; use --events N --articles M --seed S --out DIR [--inline] [--format annals|timelinejs|timelinejs-csv]"
                );
                std::process::exit(2);
            }
        }
    }
    std::fs::create_dir_all(&out).expect("create the output directory");
    let path = match format.as_str() {
        "annals" => synth::write(&out, &spec).expect("write the timeline"),
        "timelinejs" | "timelinejs-csv" => {
            let events = synth::timelinejs_events(&spec);
            let (name, text) = if format == "timelinejs" {
                ("timelinejs.json", synth::timelinejs_json(&events))
            } else {
                ("timelinejs.csv", synth::timelinejs_csv(&events))
            };
            let path = out.join(name);
            std::fs::write(&path, text).expect("write the timeline");
            path
        }
        other => {
            eprintln!("unknown --format {other}; use annals, timelinejs or timelinejs-csv");
            std::process::exit(2);
        }
    };
    println!("{}", path.display());
}
