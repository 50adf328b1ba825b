//! The explorer: its state and an I/O-free `update` (`app`), the one key table
//! (`keys`), and rendering the state into a frame (`ui`).

pub mod app;
pub mod keys;
pub mod ui;
