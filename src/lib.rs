//! annals: a terminal timeline explorer. The binary is a thin shell over this library.

pub mod app;
pub mod cite;
pub mod cli;
pub mod keys;
pub mod load;
pub mod model;
pub mod provenance;
pub mod query;
pub mod session;
pub mod text;
pub mod ui;
