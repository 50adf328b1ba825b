//! Writes a deterministic synthetic timeline for benchmarks and scale tests:
//!
//!     cargo run --release --example gen-timeline -- --events 100000 --articles 10000 --seed 1 --out /tmp/t100k

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
            other => {
                eprintln!(
                    "unknown argument {other}; use --events N --articles M --seed S --out DIR [--inline]"
                );
                std::process::exit(2);
            }
        }
    }
    std::fs::create_dir_all(&out).expect("create the output directory");
    let path = synth::write(&out, &spec).expect("write the timeline");
    println!("{}", path.display());
}
