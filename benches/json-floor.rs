//! The floor under any JSON loader, for the memory table in README: read a file's
//! bytes, and with `--value` parse them into a bare `serde_json::Value`.
//!
//!     /usr/bin/time -f '%M KiB %e s' target/release/examples/json-floor FILE [--value]

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("give a file");
    let bytes = std::fs::read(&path).expect("read the file");
    if args.next().as_deref() == Some("--value") {
        let value: serde_json::Value = serde_json::from_slice(&bytes).expect("valid JSON");
        println!(
            "{} bytes, a {}",
            bytes.len(),
            if value.is_object() { "object" } else { "value" }
        );
    } else {
        println!("{} bytes", bytes.len());
    }
}
