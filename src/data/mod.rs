//! The data layer: a timeline's types and dates, reading and checking a timeline
//! file, and the text and citation formats the layers above show it in.

pub mod cite;
pub mod date;
pub mod html;
pub mod load;
pub mod model;
pub mod progress;
pub mod provenance;
pub mod text;
pub mod timelinejs;
pub mod timescale;
