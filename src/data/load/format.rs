//! The timeline file format as serde reads and writes it, before validation.

use serde::{Deserialize, Serialize};

use crate::data::model::ActorKind;
use crate::data::provenance::{RawCopy, RawDateBasis};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTimeline {
    pub title: String,
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

#[derive(Debug, Clone, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
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
    pub summary: String,
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    pub sources: Vec<RawSource>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub article: String,
    pub quote: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
}
