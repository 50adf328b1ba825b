//! Reading a timeline file: where its articles come from, and the entry points that
//! parse it, validate it and find every quote in its article.

pub(crate) mod checks;
pub mod format;
mod objects;
mod parallel;
mod pieces;
pub mod problems;
pub(crate) mod quotes;
mod streamed;
mod streamed_timelinejs;
mod validate;
pub mod write;

use crate::data::progress::{PROGRESS, Phase};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use self::format::RawTimeline;
use self::objects::ObjectsOnly;
use self::pieces::{Pieces, Stop};
use self::problems::{LoadError, Problem, Warnings};
use self::validate::validate;
use crate::data::model::Timeline;
use crate::data::timelinejs::{DataFormat, Sniffed, csv_read, json_read, sniff};

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
    pub warnings: Warnings,
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

/// The largest timeline file read unless `--max-data-size` says otherwise.
pub const DEFAULT_MAX_DATA_BYTES: u64 = 1 << 30;

/// Reads a timeline file in any format annals knows, told by its content.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    load_path(path, None, DEFAULT_MAX_DATA_BYTES)
}

/// Reads a timeline from a file, or from standard input for "-", within
/// `max_bytes`, in the given format or the one its content shows.
pub fn load_path(
    path: &Path,
    format: Option<DataFormat>,
    max_bytes: u64,
) -> Result<Loaded, LoadError> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    if !stdin {
        match stream_file(path, &name, format, max_bytes) {
            Ok(loaded) => return loaded,
            Err(Stop::Failed((message, hint))) => {
                return Err(single(&name, &name, message, Some(hint)));
            }
            // Read whole below, to be told where and why.
            Err(Stop::Unexpected) => {}
        }
    }
    let bytes = if stdin {
        read_capped(std::io::stdin().lock(), max_bytes, 0)
    } else {
        read_regular_file(path, max_bytes)
    }
    .map_err(|(message, hint)| single(&name, &name, message, Some(hint)))?;
    let base = if stdin {
        None
    } else {
        Some(path.parent().map(Path::to_path_buf).unwrap_or_default())
    };
    load_bytes(bytes, &name, base, format)
}

type ReadFailure = (String, String);

/// Enough of the start of a file to tell its format.
const HEAD_BYTES: u64 = 64 << 10;

/// annals JSON from a file, read piece by piece (see `streamed`).
fn stream_file(
    path: &Path,
    name: &str,
    format: Option<DataFormat>,
    max_bytes: u64,
) -> Result<Result<Loaded, LoadError>, Stop> {
    let (file, claimed) = open_regular_file(path, max_bytes).map_err(Stop::Failed)?;
    PROGRESS.reading(claimed);
    let mut head = Vec::with_capacity(HEAD_BYTES as usize);
    std::io::Read::read_to_end(&mut std::io::Read::take(&file, HEAD_BYTES), &mut head)
        .map_err(|e| Stop::Failed(cannot_read(e)))?;
    if head.len() as u64 > claimed {
        return Err(Stop::Failed(holds_more()));
    }
    let text = String::from_utf8_lossy(&head);
    let json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    let format = match format {
        Some(f) => f,
        None => match sniff(&text) {
            Sniffed::Format(f) => f,
            Sniffed::LegacyTimelineJs2 => return Err(Stop::Unexpected),
        },
    };
    let reader = Counted(std::io::Read::chain(std::io::Cursor::new(head), file));
    match format {
        DataFormat::Annals if json => {
            let mut pieces = Pieces::new(reader, claimed, holds_more());
            let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
            streamed::load_streamed(&mut pieces, name, &DiskFiles { base })
        }
        DataFormat::TimelineJs if json => {
            let mut pieces = Pieces::new(reader, claimed, holds_more()).counting_lines();
            streamed_timelinejs::load_json(&mut pieces, name)
        }
        DataFormat::TimelineJsCsv if !json => {
            let reader = std::io::Read::take(reader, claimed);
            streamed_timelinejs::load_csv(reader, name)
        }
        _ => Err(Stop::Unexpected),
    }
}

fn cannot_read(e: std::io::Error) -> ReadFailure {
    (
        format!("cannot read the file: {e}"),
        "check the path given to --data or check".to_string(),
    )
}

fn holds_more() -> ReadFailure {
    (
        "holds more than the size it reports (a file under /proc or /sys, or one still being written)".into(),
        "give --data a finished timeline file; copy it first if it is being written".into(),
    )
}

/// A reader that tells the progress record how much it has read.
struct Counted<R>(R);

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        PROGRESS.read(n as u64);
        Ok(n)
    }
}

fn read_capped(
    reader: impl std::io::Read,
    max_bytes: u64,
    expected: u64,
) -> Result<Vec<u8>, ReadFailure> {
    let mut bytes = Vec::with_capacity(expected.min(max_bytes) as usize);
    PROGRESS.reading(expected);
    let mut counted = Counted(reader.take(max_bytes.saturating_add(1)));
    std::io::Read::read_to_end(&mut counted, &mut bytes).map_err(|e| {
        (
            format!("cannot read the file: {e}"),
            "check the path given to --data or check".to_string(),
        )
    })?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_big(max_bytes));
    }
    Ok(bytes)
}

fn too_big(max_bytes: u64) -> ReadFailure {
    (
        format!("is larger than the {max_bytes} bytes a timeline may be"),
        "raise the limit with --max-data-size BYTES if the file is meant to be this big".into(),
    )
}

/// The file, opened without blocking (a FIFO cannot make annals wait for a
/// writer), if it is a regular file within the cap, with the size it claims.
fn open_regular_file(path: &Path, max_bytes: u64) -> Result<(std::fs::File, u64), ReadFailure> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(cannot_read)?;
    let meta = file.metadata().map_err(cannot_read)?;
    if !meta.is_file() {
        return Err((
            "is not a regular file".into(),
            "give --data a timeline file, or - to read standard input".into(),
        ));
    }
    // A size on disk over the cap is refused unread. Files under /proc and /sys say
    // 0 and yield more: reading stops one byte past the size the file claims.
    let claimed = meta.len();
    if claimed > max_bytes {
        return Err(too_big(max_bytes));
    }
    Ok((file, claimed))
}

/// The file's bytes, if it is a regular file within the cap.
fn read_regular_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadFailure> {
    #[cfg(test)]
    tests::WHOLE_READS.set(tests::WHOLE_READS.get() + 1);
    let (file, claimed) = open_regular_file(path, max_bytes)?;
    let mut bytes = Vec::with_capacity(claimed as usize);
    std::io::Read::read_to_end(&mut std::io::Read::take(file, claimed + 1), &mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > claimed {
        return Err(holds_more());
    }
    Ok(bytes)
}

/// A timeline from bytes already read. `base` is where article files are found
/// (none for standard input, whose articles must be inline).
pub fn load_bytes(
    bytes: Vec<u8>,
    name: &str,
    base: Option<PathBuf>,
    format: Option<DataFormat>,
) -> Result<Loaded, LoadError> {
    PROGRESS.phase(Phase::Parsing);
    let (text, decoded_from) = decode(bytes, name, format)?;
    let format = match format {
        Some(f) => f,
        None => match sniff(&text) {
            Sniffed::Format(f) => f,
            Sniffed::LegacyTimelineJs2 => {
                return Err(single(
                    name,
                    name,
                    "is in the TimelineJS2 format ({\"timeline\": {\"date\": [...]}}), which neither TimelineJS3 nor annals reads".into(),
                    Some("convert it to TimelineJS3 JSON (its \"events\" with \"start_date\"), or save its spreadsheet as CSV".into()),
                ));
            }
        },
    };
    let mut loaded = match format {
        DataFormat::Annals => {
            // The file's text is let go before validation, so the two never peak together.
            let raw = parse(&text, name)?;
            drop(text);
            match base {
                Some(base) => validate(raw, name, &DiskFiles { base })?,
                None => validate(raw, name, &InlineOnly)?,
            }
        }
        DataFormat::TimelineJs => {
            let read = json_read::read(&text, name).map_err(|p| LoadError {
                file: name.to_string(),
                problems: vec![p],
                more: 0,
            })?;
            drop(text);
            from_timelinejs(read, name)?
        }
        DataFormat::TimelineJsCsv => {
            let read = csv_read::read(&text, name);
            drop(text);
            from_timelinejs(read, name)?
        }
    };
    if let Some(encoding) = decoded_from {
        loaded.warnings.insert_first(Problem {
            place: name.to_string(),
            message: format!("is not UTF-8; it was read as {encoding}"),
            hint: Some(convert_hint(encoding)),
        });
    }
    Ok(loaded)
}

/// How to make a file in `encoding` UTF-8.
fn convert_hint(encoding: &str) -> String {
    if encoding.starts_with("UTF-16") {
        format!("convert it with `iconv -f {encoding} -t UTF-8 FILE > NEW`, or save it as UTF-8")
    } else {
        "save it as UTF-8 (CSV UTF-8 in Excel) to be sure".into()
    }
}

/// UTF-16 without a byte-order mark, told by a zero byte beside each of the
/// first ASCII characters: valid UTF-8 byte by byte, but not text annals can read.
fn unmarked_utf16(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(64) & !1];
    if head.len() < 2 {
        return None;
    }
    let pairs = || head.chunks_exact(2);
    if pairs().all(|p| p[0] != 0 && p[1] == 0) {
        Some("UTF-16LE")
    } else if pairs().all(|p| p[0] == 0 && p[1] != 0) {
        Some("UTF-16BE")
    } else {
        None
    }
}

/// The text of the file, in every format alike: UTF-8 as it is, a byte-order
/// mark dropped; UTF-16 with its byte-order mark, and said so; a spreadsheet in
/// another encoding read as Windows-1252 (what Excel writes), and said so. JSON
/// must otherwise be UTF-8.
fn decode(
    bytes: Vec<u8>,
    name: &str,
    format: Option<DataFormat>,
) -> Result<(String, Option<&'static str>), LoadError> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(&bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, _, _) = encoding.decode(&bytes);
        return Ok((text.into_owned(), Some(encoding.name())));
    }
    if let Some(encoding) = unmarked_utf16(&bytes) {
        return Err(single(
            name,
            name,
            format!("is {encoding} text without a byte-order mark; annals reads UTF-8"),
            Some(convert_hint(encoding)),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok((text, None))
        }
        Err(e) => {
            let bad_at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let looks_like_json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
            let csv = match format {
                Some(f) => f == DataFormat::TimelineJsCsv,
                None => !looks_like_json,
            };
            if !csv {
                return Err(single(
                    name,
                    name,
                    format!("not UTF-8 text (bad byte at offset {bad_at})"),
                    Some("save the file as UTF-8".into()),
                ));
            }
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            Ok((text.into_owned(), Some("Windows-1252")))
        }
    }
}

/// Validates what a TimelineJS reader made; no usable event is an error that
/// lists why each was left out.
fn from_timelinejs(
    (raw, warnings): (RawTimeline, Warnings),
    name: &str,
) -> Result<Loaded, LoadError> {
    if raw.events.is_empty() {
        return Err(no_usable_event(warnings, name));
    }
    let mut loaded = validate(raw, name, &InlineOnly)?;
    let mut all = warnings;
    all.append(std::mem::take(&mut loaded.warnings));
    loaded.warnings = all;
    Ok(loaded)
}

/// A TimelineJS file none of whose events can be shown: why each was left out.
fn no_usable_event(warnings: Warnings, name: &str) -> LoadError {
    let (mut problems, unlisted) = warnings.into_parts();
    problems.push(Problem {
        place: name.to_string(),
        message: "has no event that can be shown".into(),
        hint: Some("every event needs a start date with a year".into()),
    });
    let more = problems.len().saturating_sub(problems::MAX_PROBLEMS) + unlisted;
    problems.truncate(problems::MAX_PROBLEMS);
    LoadError {
        file: name.to_string(),
        problems,
        more,
    }
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
    let mut reader = serde_json::Deserializer::from_str(json);
    let parsed = RawTimeline::deserialize(ObjectsOnly(&mut reader))
        .and_then(|raw| reader.end().map(|()| raw));
    parsed.map_err(|e| {
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
    if message.contains("invalid type: sequence") && message.contains("named fields") {
        "write the record as an object, {\"field\": value, …}; a list of bare values names no fields".into()
    } else if message.contains("unknown field") {
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

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Files read whole on this thread.
        pub(super) static WHOLE_READS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    fn event(i: usize) -> String {
        format!(
            r#"{{"id":"e{i}","date":"{}","headline":"h {i}","summary":"s","sources":[{{"article":"a","quote":"met {}"}}]}}"#,
            1900 + (i * 37) % 120,
            ["Khatami", "Putin"][i % 2]
        )
    }

    /// A row a few bytes long can earn a warning of a hundred: past the cap,
    /// warnings are counted, not kept, however many rows there are.
    #[test]
    fn a_file_of_bad_rows_keeps_a_bounded_list_of_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let rows = "2001,13,x\n".repeat(3 * problems::MAX_WARNINGS);
        std::fs::write(&path, format!("Year,Month,Headline\n2001,,ok\n{rows}")).unwrap();
        let loaded = load_file(&path).unwrap();
        assert_eq!(loaded.warnings.len(), 3 * problems::MAX_WARNINGS);
        assert_eq!(loaded.warnings.iter().count(), problems::MAX_WARNINGS);
    }

    /// The format is told from the first 64 KB: TimelineJS JSON whose first
    /// event starts past them is taken for annals JSON at first, then read whole
    /// and known for what it is.
    #[test]
    fn timelinejs_with_a_long_title_slide_still_loads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        let long = "word ".repeat(HEAD_BYTES as usize / 4);
        let doc = serde_json::json!({"title": {"text": {"headline": "T", "text": long}},
            "events": [{"start_date": {"year": 1901}, "text": {"headline": "Market"}}]});
        std::fs::write(&path, doc.to_string()).unwrap();
        let t = load_file(&path).unwrap().timeline;
        assert_eq!(&*t.events[0].headline, "Market");
        assert_eq!(t.title, "T");
    }

    /// A valid file of every format is read piece by piece, never whole; the
    /// events list is exactly as long as it needs to be.
    #[test]
    fn valid_files_are_read_piece_by_piece() {
        let dir = tempfile::tempdir().unwrap();
        let events: Vec<String> = (0..5000).map(event).collect();
        let annals = format!(
            r#"{{"title":"t","articles":[{{"id":"a","title":"A","text":"Putin met Khatami; Khatami met Putin."}}],"actors":[],"topics":[],"events":[{}]}}"#,
            events.join(",\n")
        );
        let tljs = format!(
            r#"{{"events":[{}]}}"#,
            (0..5000)
                .map(|i| format!(
                    r#"{{"start_date":{{"year":{i}}},"text":{{"headline":"h {i}"}}}}"#
                ))
                .collect::<Vec<_>>()
                .join(",")
        );
        let csv = format!(
            "Year,Headline\n{}",
            (0..5000)
                .map(|i| format!("{i},h {i}\n"))
                .collect::<String>()
        );
        for (name, text) in [("a.json", annals), ("t.json", tljs), ("t.csv", csv)] {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let before = WHOLE_READS.get();
            let t = load_file(&path).unwrap().timeline;
            assert_eq!(WHOLE_READS.get(), before, "{name} was read whole");
            assert_eq!(t.events.len(), 5000);
            assert_eq!(t.events.capacity(), t.events.len(), "{name}");
        }
    }
}
