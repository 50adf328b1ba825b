//! annals: a terminal timeline explorer. The binary is a thin shell over this library.

pub mod cite;
pub mod load;
pub mod model;
pub mod query;
pub mod text;
pub mod app;
pub mod keys;
pub mod ui;
pub mod tui;
pub mod cli;
