//! annals: a terminal timeline explorer. The binary is a thin shell over this library.

pub mod app;
pub mod cli;
pub mod data;
pub mod keys;
pub mod query;
pub mod session;
pub mod ui;
