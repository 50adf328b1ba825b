//! Writing a timeline back out as a self-contained file that loads back unchanged.

use super::format::{RawActor, RawArticle, RawEra, RawEvent, RawSource, RawTimeline, RawTopic};
use crate::data::model::Timeline;
use crate::data::provenance::{raw_copy, raw_date_basis};

/// A self-contained timeline file (article text inline) that loads back unchanged.
fn to_raw(t: &Timeline) -> RawTimeline {
    RawTimeline {
        title: t.title.clone(),
        title_slide: t.title_slide.clone(),
        articles: t
            .articles
            .iter()
            .map(|a| RawArticle {
                id: a.id.clone(),
                file: None,
                text: Some(a.text.to_string()),
                title: a.title.clone(),
                outlet: a.outlet.clone(),
                published: a.published.map(|d| d.iso()),
                published_inferred: a.published_inferred,
                published_note: a.published_note.clone(),
                copy: a.copy.as_ref().map(raw_copy),
            })
            .collect(),
        actors: t
            .actors
            .iter()
            .map(|a| RawActor {
                id: a.id.clone(),
                name: a.name.clone(),
                kind: a.kind,
                role: a.role.clone(),
                aliases: a.aliases.clone(),
            })
            .collect(),
        topics: t
            .topics
            .iter()
            .map(|x| RawTopic {
                id: x.id.clone(),
                name: x.name.clone(),
                aliases: x.aliases.clone(),
            })
            .collect(),
        eras: t
            .eras
            .iter()
            .map(|e| RawEra {
                id: e.id.clone(),
                name: e.name.clone(),
                group: e.group.as_deref().map(str::to_string),
                start: e.start.iso(),
                end: e.end.map(|d| d.iso()),
            })
            .collect(),
        events: t
            .events
            .iter()
            .map(|e| RawEvent {
                id: e.id.to_string(),
                date: e.date.iso(),
                end: e.end.map(|d| d.iso()),
                date_note: e.date_note.as_deref().map(str::to_string),
                date_basis: e.date_basis.as_ref().map(|b| raw_date_basis(t, b)),
                headline: e.headline.to_string(),
                headline_html: e.headline_html.as_deref().map(str::to_string),
                summary: e.summary.to_string(),
                actors: e.actors.iter().map(|&a| t.actors[a].id.clone()).collect(),
                topics: e.topics.iter().map(|&x| t.topics[x].id.clone()).collect(),
                sources: e
                    .sources
                    .iter()
                    .map(|s| RawSource {
                        article: t.articles[s.article].id.clone(),
                        quote: s.quote().to_string(),
                        caveat: s.caveat.clone(),
                    })
                    .collect(),
                text: e.text.as_deref().map(str::to_string),
                media: e.media.as_deref().cloned(),
                group: e.group.as_deref().map(str::to_string),
                display_date: e.display_date.as_deref().map(str::to_string),
                background: e.background.as_deref().cloned(),
                autolink: e.autolink,
            })
            .collect(),
    }
}

pub fn to_json(t: &Timeline) -> String {
    serde_json::to_string_pretty(&to_raw(t)).expect("a timeline always serializes")
}
