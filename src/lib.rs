//! annals: a terminal timeline explorer. The binary is a thin shell over this library.

pub mod cli;
pub mod data;
pub mod explorer;
pub mod query;
pub mod session;

/// Cases for a property test: its own default, or `PROPTEST_CASES` for a long run
/// (`benches/fuzz.sh`).
#[cfg(test)]
pub(crate) fn fuzz_cases(default: u32) -> proptest::prelude::ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    proptest::prelude::ProptestConfig::with_cases(cases)
}
