//! Where words and dates come from, as a timeline file gives them: an article that
//! is a copy of someone else's report, and the basis of an event's date. Both are
//! checked like quotes: the words they cite must be in the article, verbatim.

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use crate::data::load::checks::check_line;
use crate::data::load::problems::Problems;
use crate::data::load::quotes::{find_quote, quote_hint};
use crate::data::model::{
    Article, ArticleCopy, CopyKind, DateBasis, DateBasisKind, DateWords, Timeline,
};

/// `"copy"` of an article: what its text is, when it is not the outlet's own.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCopy {
    pub kinds: Vec<CopyKind>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub machine: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signs: Vec<String>,
}

/// `"date_basis"` of an event.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDateBasis {
    pub kind: DateBasisKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub says: Vec<RawDateWords>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDateWords {
    pub article: String,
    pub words: String,
}

/// Checks an article's `copy`; each sign must be in the article's text.
pub(crate) fn check_copy(
    problems: &mut Problems,
    place: &str,
    raw: &RawCopy,
    text: &str,
) -> ArticleCopy {
    if raw.kinds.is_empty() {
        problems.push(
            place,
            "copy.kinds is empty",
            Some("say what the text is: republication, paraphrase or translation".into()),
        );
    }
    for (i, k) in raw.kinds.iter().enumerate() {
        if raw.kinds[..i].contains(k) {
            problems.push(
                place,
                format!("copy.kinds names \"{}\" twice", k.as_str()),
                Some("remove the repeat".into()),
            );
        }
    }
    let made = |k| raw.kinds.contains(&k);
    if raw.machine && !made(CopyKind::Paraphrase) && !made(CopyKind::Translation) {
        problems.push(
            place,
            "copy.machine is set, but the copy is neither a paraphrase nor a translation",
            Some("a machine paraphrases or translates; add the kind or drop machine".into()),
        );
    }
    if let Some(l) = &raw.language {
        check_line(problems, place, "copy.language", l);
        if !made(CopyKind::Translation) {
            problems.push(
                place,
                "copy.language is given, but the copy is not a translation",
                Some("language is the original's, for a translation; add \"translation\" to kinds or drop it".into()),
            );
        }
    }
    for (i, sign) in raw.signs.iter().enumerate() {
        check_words(
            problems,
            &format!("{place}, copy.signs[{i}]"),
            "the sign is",
            sign,
            text,
            "the article's text",
        );
    }
    ArticleCopy {
        kinds: raw.kinds.clone(),
        machine: raw.machine,
        language: raw.language.clone(),
        signs: raw.signs.clone(),
    }
}

/// Words that must be in an article verbatim, as a quote must.
fn check_words(
    problems: &mut Problems,
    place: &str,
    what: &str,
    words: &str,
    text: &str,
    whose: &str,
) -> bool {
    if words.trim().is_empty() {
        problems.push(
            place,
            format!("{what} empty"),
            Some("copy the article's words".into()),
        );
        return false;
    }
    if find_quote(text, words).is_none() {
        problems.push_with(place, format!("{what} not in {whose}"), || {
            Some(quote_hint(text, words))
        });
        return false;
    }
    true
}

/// Checks an event's `date_basis`: the articles it names exist, their words are in
/// them, a stated date names an article the event cites, and only a date from the
/// record has a reference.
pub(crate) fn check_date_basis(
    problems: &mut Problems,
    place: &str,
    raw: &RawDateBasis,
    cited: &[&str],
    article_ids: &HashMap<&str, usize>,
    articles: &[Option<Article>],
) -> Option<DateBasis> {
    let place = format!("{place}, date_basis");
    let before = problems.len();
    let kind = raw.kind.as_str();
    match raw.kind {
        DateBasisKind::Stated | DateBasisKind::WorkedOut if raw.says.is_empty() => problems.push(
            &place,
            format!("a {kind} date names no article"),
            Some(
                "add says: [{\"article\": ID, \"words\": \"the article's words about the date\"}]"
                    .into(),
            ),
        ),
        DateBasisKind::Stated if !cited.contains(&raw.says[0].article.as_str()) => problems.push(
            &place,
            format!(
                "the date is stated in article \"{}\", which the event does not cite",
                raw.says[0].article
            ),
            Some("cite that article, or call the date worked_out or record".into()),
        ),
        _ => {}
    }
    if raw.reference.is_some() && raw.kind != DateBasisKind::Record {
        problems.push(
            &place,
            format!("a {kind} date has a reference"),
            Some(
                "only a date taken from the record has one; use kind \"record\" or drop it".into(),
            ),
        );
    }
    if let Some(r) = &raw.reference {
        check_line(problems, &place, "the reference", r);
    }
    let mut says = Vec::with_capacity(raw.says.len());
    for (i, w) in raw.says.iter().enumerate() {
        let wplace = format!("{place}, says[{i}]");
        let Some(&ai) = article_ids.get(w.article.as_str()) else {
            problems.push(
                &wplace,
                format!("unknown article id \"{}\"", w.article),
                Some("name an article the timeline declares".into()),
            );
            continue;
        };
        let Some(article) = &articles[ai] else {
            continue;
        };
        check_line(problems, &wplace, "the words", &w.words);
        if check_words(
            problems,
            &wplace,
            "the words are",
            &w.words,
            &article.text,
            &format!("article \"{}\"", w.article),
        ) {
            says.push(DateWords {
                article: ai,
                words: w.words.clone(),
            });
        }
    }
    (problems.len() == before).then(|| DateBasis {
        kind: raw.kind,
        says,
        reference: raw.reference.clone(),
    })
}

pub(crate) fn raw_copy(c: &ArticleCopy) -> RawCopy {
    RawCopy {
        kinds: c.kinds.clone(),
        machine: c.machine,
        language: c.language.clone(),
        signs: c.signs.clone(),
    }
}

pub(crate) fn raw_date_basis(t: &Timeline, b: &DateBasis) -> RawDateBasis {
    RawDateBasis {
        kind: b.kind,
        says: b
            .says
            .iter()
            .map(|w| RawDateWords {
                article: t.articles[w.article].id.clone(),
                words: w.words.clone(),
            })
            .collect(),
        reference: b.reference.clone(),
    }
}
