//! The TimelineJS export, loaded by TimelineJS's own code (the npm package, under
//! node and jsdom): every event becomes a slide, and eras and dates survive.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::Command as Bin;
use serde_json::Value;

fn harness() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/timelinejs")
}

/// Node with the pinned packages, or `None` (said so) where node is missing
/// outside CI. Under CI a missing node fails the test.
fn node_ready() -> Option<()> {
    let node = Command::new("node").arg("--version").output();
    if node.is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "node is needed under CI: .ci/run installs it"
        );
        eprintln!("skipped: node is not installed (apt-get install nodejs npm)");
        return None;
    }
    // Once for all the tests: two `npm ci` at the same time in one folder fail.
    static INSTALLED: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    let mut installed = INSTALLED.lock().unwrap_or_else(|e| e.into_inner());
    if !*installed
        && !harness()
            .join("node_modules/@knight-lab/timelinejs")
            .exists()
    {
        let ok = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(harness())
            .status()
            .expect("npm runs");
        assert!(ok.success(), "npm ci in tests/timelinejs failed");
    }
    *installed = true;
    Some(())
}

fn render(json: &Path) -> Value {
    let out = Command::new("node")
        .arg(harness().join("render.js"))
        .arg(json)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("render.js prints JSON")
}

fn export(args: &[&str]) -> (tempfile::TempDir, PathBuf, Value) {
    let out = Bin::cargo_bin("annals")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.json");
    std::fs::write(&path, &out.stdout).unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap();
    (dir, path, doc)
}

#[test]
fn timelinejs_renders_every_event_of_the_builtin_chronology() {
    if node_ready().is_none() {
        return;
    }
    let (_dir, path, doc) = export(&["export", "--format", "timelinejs"]);
    let shown = render(&path);
    let events = doc["events"].as_array().unwrap().len();
    assert_eq!(
        shown["slides"],
        events + 1,
        "a slide per event, plus the title: {shown}"
    );
    assert_eq!(
        shown["eras"],
        doc["eras"].as_array().unwrap().len(),
        "{shown}"
    );
    assert_eq!(shown["messages"], serde_json::json!([]), "{shown}");
    let years: Vec<i64> = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["start_date"]["year"].as_i64().unwrap())
        .collect();
    let rendered: Vec<i64> = shown["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d[1].as_i64().unwrap())
        .collect();
    assert_eq!(rendered, years, "dates intact and in order");
}

#[test]
fn timelinejs_renders_deep_time_bce_and_times_from_an_imported_timeline() {
    if node_ready().is_none() {
        return;
    }
    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/timelinejs/history.json");
    let (_dir, path, _doc) = export(&[
        "--data",
        fixture.to_str().unwrap(),
        "export",
        "--format",
        "timelinejs",
    ]);
    let shown = render(&path);
    assert_eq!(shown["slides"], 5, "{shown}");
    assert_eq!(shown["scale"], "cosmological", "{shown}");
    assert_eq!(
        shown["dates"],
        serde_json::json!([
            ["the-universe-begins", -13800000000i64],
            ["ides", -44],
            ["first-steps-on-the-moon", 1969],
            ["the-universe-begins-2", 2001]
        ]),
        "{shown}"
    );
}
