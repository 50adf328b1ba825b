//! The floor under any loader, for the memory table (benches/memory.sh): read the
//! files' bytes and hold them all, and with `--value` parse each into a bare
//! `serde_json::Value`, held too. Several files are read as one input: a timeline
//! and its article files.
//!
//!     /usr/bin/time -f '%M KiB %e s' target/release/examples/json-floor FILE... [--value]

fn main() {
    let mut value = false;
    let mut paths = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--value" {
            value = true;
        } else {
            paths.push(a);
        }
    }
    assert!(!paths.is_empty(), "give one or more files");
    let files: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("read {p}: {e}")))
        .collect();
    let bytes: usize = files.iter().map(Vec::len).sum();
    if value {
        let values: Vec<serde_json::Value> = files
            .iter()
            .zip(&paths)
            .map(|(b, p)| serde_json::from_slice(b).unwrap_or_else(|e| panic!("{p}: {e}")))
            .collect();
        let objects = values.iter().filter(|v| v.is_object()).count();
        println!(
            "{bytes} bytes in {} files, {objects} of them objects",
            files.len()
        );
    } else {
        println!("{bytes} bytes in {} files", files.len());
    }
}
