//! annals: a terminal timeline explorer. The binary is a thin shell over this library.

pub mod cli;
pub mod data;
pub mod explorer;
pub mod query;
pub mod session;
