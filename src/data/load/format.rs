//! The timeline file format as serde reads and writes it, before validation.

use serde::{Deserialize, Serialize};

use crate::data::model::{ActorKind, Background, Media, TitleSlide};
use crate::data::provenance::{RawCopy, RawDateBasis};

/// The JSON Schema of the timeline file, as `annals schema` prints it.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(RawTimeline);
    serde_json::to_string_pretty(&schema).expect("a schema always serializes")
}

/// An annals timeline file: its title, articles, actors, topics, eras and events.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTimeline {
    pub title: String,
    /// The text and picture of a TimelineJS title slide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_slide: Option<TitleSlide>,
    #[serde(default)]
    pub articles: Vec<RawArticle>,
    #[serde(default)]
    pub actors: Vec<RawActor>,
    #[serde(default)]
    pub topics: Vec<RawTopic>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eras: Vec<RawEra>,
    pub events: Vec<RawEvent>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawArticle {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The text gives no date: `published` was worked out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub published_inferred: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy: Option<RawCopy>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawActor {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEra {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub start: String,
    /// Required, and null for an era still running: a forgotten end stays an error.
    #[serde(deserialize_with = "Option::deserialize")]
    pub end: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub id: String,
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_basis: Option<RawDateBasis>,
    pub headline: String,
    /// The headline as HTML, where a TimelineJS headline had markup; `headline`
    /// is its text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline_html: Option<String>,
    /// Plain text; may be left out when `text` tells the event.
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    /// Quotes from the articles; an event without them tells its story in `text`.
    #[serde(default)]
    pub sources: Vec<RawSource>,
    /// The event's own text as HTML (TimelineJS's text.text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Media>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Shown instead of the date; the date still orders the events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<Background>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autolink: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub article: String,
    pub quote: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
}
