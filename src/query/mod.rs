//! The query layer: the query language, the word index that answers it, and
//! ranking and highlighting; shared by the explorer's filter and the CLI.

pub mod highlight;
pub mod index;
pub mod matcher;
pub mod parse;
pub mod rank;
pub mod set;

/// A small timeline, and the ids a query finds in it, for the tests of every part.
#[cfg(test)]
mod tests {
    use crate::data::load::{InlineOnly, load_str};
    use crate::data::model::Timeline;
    use crate::query::matcher::{Matcher, Selection};
    use crate::query::parse::Query;

    pub(super) fn timeline() -> Timeline {
        let json = r#"{"title":"t",
          "articles":[{"id":"a","title":"A","text":"Zarif’s trip. The gas pipeline could carry 50 billion cubic meters. Rogozin met Dehghan in Tehran."}],
          "actors":[{"id":"zarif","name":"Mohammad Javad Zarif","kind":"person","aliases":["Javid Zarif"]},
                    {"id":"rogozin","name":"Dmitry Rogozin","kind":"person"},
                    {"id":"pez","name":"Masoud Pezeshkian","kind":"person","aliases":["Peseschkian"]}],
          "topics":[{"id":"energy","name":"Energy","aliases":["gas","oil"]},{"id":"arms","name":"Arms","aliases":["weapons"]}],
          "events":[
            {"id":"e1","date":"2017-08","headline":"Rogozin in Tehran for arms talks","summary":"Weapons deal.","actors":["rogozin"],"topics":["arms"],"sources":[{"article":"a","quote":"Rogozin met Dehghan"}]},
            {"id":"e2","date":"2020-07-21","headline":"Zarif arrives in Moscow","summary":"Seeks renewal.","actors":["zarif"],"topics":[],"sources":[{"article":"a","quote":"Zarif’s trip"}]},
            {"id":"e3","date":"2025-01-17","headline":"Pipeline price unsettled","summary":"Up to 50 billion cubic meters of gas a year.","actors":["pez"],"topics":["energy"],"sources":[{"article":"a","quote":"The gas pipeline could carry 50 billion cubic meters."}]}
          ]}"#;
        load_str(json, "t", &InlineOnly).unwrap().timeline
    }

    pub(super) fn ids(q: &str) -> Vec<String> {
        let t = timeline();
        let mut m = Matcher::new(&t);
        let set = m.evaluate(&Selection {
            query: Query::parse(q),
            ..Default::default()
        });
        set.iter().map(|i| t.events[i].id.to_string()).collect()
    }
}
