//! Reading a timeline file: where its articles come from, and the entry points that
//! parse it, validate it and find every quote in its article.

pub(crate) mod checks;
pub mod format;
pub mod problems;
pub(crate) mod quotes;
mod validate;
pub mod write;

use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use self::format::RawTimeline;
use self::problems::{LoadError, Problem};
use self::validate::validate;
use crate::data::model::Timeline;

/// The built-in chronology, compiled in so a copied binary needs no other files.
pub const BUILTIN_PATH: &str = "assets/timeline.json";
const BUILTIN_JSON: &str = include_str!("../../../assets/timeline.json");
const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "../seeds/000_683aedb01be609ab.txt",
        include_str!("../../../seeds/000_683aedb01be609ab.txt"),
    ),
    (
        "../seeds/001_938a4a52600d664a.txt",
        include_str!("../../../seeds/001_938a4a52600d664a.txt"),
    ),
    (
        "../seeds/002_f2cd5574a8b9dd70.txt",
        include_str!("../../../seeds/002_f2cd5574a8b9dd70.txt"),
    ),
    (
        "../seeds/003_39dbd394bf72ebd5.txt",
        include_str!("../../../seeds/003_39dbd394bf72ebd5.txt"),
    ),
    (
        "../seeds/004_ad05a5b9e179a1c7.txt",
        include_str!("../../../seeds/004_ad05a5b9e179a1c7.txt"),
    ),
];

/// A loaded timeline plus what was odd but allowed.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub timeline: Timeline,
    pub warnings: Vec<Problem>,
}

// ---------- where article files come from ----------

/// Reads the article files a timeline names, relative to the timeline.
pub trait FileSource {
    fn read(&self, relative: &str) -> Result<String, String>;
}

/// Files on disk, next to the timeline file.
pub struct DiskFiles {
    pub base: PathBuf,
}

/// Larger than any article; a `file` this big is a mistake (or a device).
const MAX_ARTICLE_BYTES: u64 = 64 << 20;

impl FileSource for DiskFiles {
    fn read(&self, relative: &str) -> Result<String, String> {
        if Path::new(relative).is_absolute() {
            return Err(format!("{relative} is an absolute path"));
        }
        let path = self.base.join(relative);
        let cannot = |e: std::io::Error| format!("cannot read {}: {}", path.display(), e);
        // Checked on the open file, so what is read is what was checked. Opening
        // without blocking: a FIFO would otherwise wait for a writer.
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&path)
            .map_err(cannot)?;
        let meta = file.metadata().map_err(cannot)?;
        if !meta.is_file() {
            return Err(format!(
                "{} is not a regular file; point `file` at the article's text",
                path.display()
            ));
        }
        let mut bytes = Vec::with_capacity(meta.len().min(MAX_ARTICLE_BYTES) as usize);
        std::io::Read::read_to_end(
            &mut std::io::Read::take(file, MAX_ARTICLE_BYTES + 1),
            &mut bytes,
        )
        .map_err(cannot)?;
        if bytes.len() as u64 > MAX_ARTICLE_BYTES {
            return Err(format!(
                "{} is larger than the {} MB an article file may be",
                path.display(),
                MAX_ARTICLE_BYTES >> 20
            ));
        }
        String::from_utf8(bytes).map_err(|e| {
            format!(
                "{} is not UTF-8 text (bad byte at offset {}); convert it with `iconv -t UTF-8`",
                path.display(),
                e.utf8_error().valid_up_to()
            )
        })
    }
}

/// For a self-contained timeline, whose articles all carry their text inline:
/// any `file` is an error.
pub struct InlineOnly;

impl FileSource for InlineOnly {
    fn read(&self, relative: &str) -> Result<String, String> {
        Err(format!(
            "{relative}: this timeline is read as text, so articles must give their text inline"
        ))
    }
}

/// The seed articles compiled into the binary.
pub struct BuiltinFiles;

impl FileSource for BuiltinFiles {
    fn read(&self, relative: &str) -> Result<String, String> {
        BUILTIN_FILES
            .iter()
            .find(|(p, _)| *p == relative)
            .map(|(_, t)| t.to_string())
            .ok_or_else(|| format!("{relative} is not among the built-in articles"))
    }
}

// ---------- entry points ----------

pub fn load_builtin() -> Result<Loaded, LoadError> {
    load_str(BUILTIN_JSON, BUILTIN_PATH, &BuiltinFiles)
}

pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        single(
            &name,
            &name,
            format!("cannot read the file: {e}"),
            Some("check the path given to --data or check".into()),
        )
    })?;
    let json = String::from_utf8(bytes).map_err(|e| {
        single(
            &name,
            &name,
            format!(
                "not UTF-8 text (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            Some("save the file as UTF-8".into()),
        )
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    // The file's text is let go before validation, so the two never peak together.
    let raw = parse(&json, &name)?;
    drop(json);
    validate(raw, &name, &DiskFiles { base })
}

fn single(file: &str, place: &str, message: String, hint: Option<String>) -> LoadError {
    LoadError {
        file: file.to_string(),
        problems: vec![Problem {
            place: place.to_string(),
            message,
            hint,
        }],
        more: 0,
    }
}

/// A timeline for tests: events (id, date, end) that each quote the one article,
/// whose text is "q", and these eras.
#[cfg(test)]
pub(crate) fn dated_timeline(
    events: &[(&str, &str, Option<&str>)],
    eras: serde_json::Value,
) -> Timeline {
    let events: Vec<_> = events
        .iter()
        .map(|&(id, date, end)| {
            let mut e = serde_json::json!({"id": id, "date": date, "headline": "h", "summary": "s",
                "sources": [{"article": "a", "quote": "q"}]});
            if let Some(end) = end {
                e["end"] = end.into();
            }
            e
        })
        .collect();
    let json = serde_json::json!({"title": "t", "articles": [{"id": "a", "title": "A", "text": "q"}],
        "eras": eras, "events": events});
    load_str(&json.to_string(), "t", &InlineOnly)
        .unwrap()
        .timeline
}

/// Parses and validates timeline JSON. `name` is used in messages.
pub fn load_str(json: &str, name: &str, files: &dyn FileSource) -> Result<Loaded, LoadError> {
    validate(parse(json, name)?, name, files)
}

fn parse(json: &str, name: &str) -> Result<RawTimeline, LoadError> {
    if json.trim().is_empty() {
        return Err(single(
            name,
            name,
            "the file is empty".into(),
            Some("a timeline is a JSON object; README.md shows a small one to start from".into()),
        ));
    }
    serde_json::from_str(json).map_err(|e| {
        let place = format!("{name}:{}:{}", e.line(), e.column());
        let hint = if e.is_eof() {
            "the file ends before its JSON does: it may have been cut short".into()
        } else {
            json_hint(&e.to_string())
        };
        single(name, &place, e.to_string(), Some(hint))
    })
}

fn json_hint(message: &str) -> String {
    if message.contains("unknown field") {
        "check the spelling; the fields are listed under \"The timeline file\" in README.md".into()
    } else if message.contains("missing field") {
        "add the field; README.md lists the required ones".into()
    } else if message.contains("invalid type") {
        "this field has the wrong type: text goes in quotes, lists in [ ]; README.md shows each field".into()
    } else if message.contains("unknown variant") && message.contains("`country`") {
        "an actor's kind is one of country, person, organization".into()
    } else if message.contains("unknown variant") {
        "use one of the values the message lists; README.md describes each".into()
    } else {
        "fix the JSON syntax at that line and column".into()
    }
}
