//! The TimelineJS spreadsheet template saved as CSV, read with the csv crate.
//! Headers are matched as TimelineJS matches them (trimmed, exact), including the
//! older template's "Tag", "Start Date" and "End Date". A problem is named by its
//! row, as the spreadsheet numbers rows (the header is row 1), and its column.

use super::dates::{Part, Parts, parse_time, parse_v1_date};
use super::{Builder, Slide};
use crate::data::date::{PartialDate, TimeOfDay};
use crate::data::load::format::RawTimeline;
use crate::data::load::problems::Warnings;
use crate::data::model::{Background, Media, TitleSlide};
use crate::data::text::from_spreadsheet_text;

/// Columns of older copies of the template, read too.
const OLDER_COLUMNS: [&str; 3] = ["Tag", "Start Date", "End Date"];

/// Every column read, the template's then the older ones: a column's place here
/// is its place in `Header::index`.
fn columns() -> impl Iterator<Item = &'static str> {
    super::TEMPLATE_COLUMNS.into_iter().chain(OLDER_COLUMNS)
}

/// Where each known column is in this file.
struct Header {
    index: Vec<Option<usize>>,
    v1: bool,
}

impl Header {
    fn col(&self, name: &str) -> Option<usize> {
        let k = columns().position(|c| c == name)?;
        self.index[k]
    }
}

/// One row's cells, by column name.
struct Row<'a> {
    header: &'a Header,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    fn get(&self, name: &str) -> &str {
        self.header
            .col(name)
            .and_then(|i| self.record.get(i))
            // As annals writes a text cell that looks like a formula (`'=…`).
            .map(from_spreadsheet_text)
            .unwrap_or("")
    }

    fn opt(&self, name: &str) -> Option<String> {
        let v = self.get(name).trim();
        (!v.is_empty()).then(|| v.to_string())
    }
}

pub fn read(text: &str, name: &str) -> (RawTimeline, Warnings) {
    let mut b = Builder::default();
    if let Ok(mut rows) = Rows::new(text.as_bytes(), name, &mut b) {
        while let Ok(Some(slide)) = rows.next_event(&mut b) {
            b.events.push(slide);
        }
    }
    b.finish(name)
}

/// Why the rows stopped: the text is not UTF-8 (`from_reader` callers decode
/// it whole instead), or it cannot be read past here (said in the warnings).
#[derive(Debug)]
pub(crate) enum RowsEnd {
    NotUtf8,
    Broken,
}

/// The rows of a spreadsheet, read one at a time: the title and eras go to the
/// builder, and events are handed out as they come.
pub(crate) struct Rows<'n, R> {
    reader: csv::Reader<R>,
    header: Header,
    record: csv::StringRecord,
    row_number: usize,
    name: &'n str,
}

fn not_utf8(e: &csv::Error) -> bool {
    matches!(e.kind(), csv::ErrorKind::Utf8 { .. })
}

impl<'n, R: std::io::Read> Rows<'n, R> {
    pub(crate) fn new(input: R, name: &'n str, b: &mut Builder) -> Result<Self, RowsEnd> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(input);
        let header = match reader.headers() {
            Ok(h) => read_header(b, name, h),
            Err(e) if not_utf8(&e) => return Err(RowsEnd::NotUtf8),
            Err(e) => {
                b.warn(name, format!("the header row cannot be read: {e}"), None);
                return Err(RowsEnd::Broken);
            }
        };
        if header.col("Year").is_none() && !header.v1 {
            b.warn(
                &format!("{name} row 1"),
                "has no \"Year\" column, so no row has a date",
                Some("the first row names the columns: Year, Month, Day, Time, …, Headline, Text"),
            );
        }
        Ok(Rows {
            reader,
            header,
            record: csv::StringRecord::new(),
            row_number: 1,
            name,
        })
    }

    /// The next event's slide; `None` after the last row.
    pub(crate) fn next_event(&mut self, b: &mut Builder) -> Result<Option<Slide>, RowsEnd> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(e) if not_utf8(&e) => return Err(RowsEnd::NotUtf8),
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    b.warn(
                        &format!("{} line {line}", self.name),
                        format!("the CSV cannot be read past here: {e}"),
                        Some("check the quotes on that line"),
                    );
                    return Err(RowsEnd::Broken);
                }
            }
            self.row_number += 1;
            if self.record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let row = Row {
                header: &self.header,
                record: &self.record,
            };
            if let Some(slide) = read_row(b, self.name, self.row_number, &row) {
                return Ok(Some(slide));
            }
        }
    }
}

fn read_header(b: &mut Builder, name: &str, h: &csv::StringRecord) -> Header {
    let cells: Vec<&str> = h
        .iter()
        .map(|c| c.trim_start_matches('\u{feff}').trim())
        .collect();
    let index: Vec<Option<usize>> = columns()
        .map(|c| cells.iter().position(|h| *h == c))
        .collect();
    for cell in &cells {
        if !cell.is_empty()
            && !columns().any(|c| c == *cell)
            && let Some(known) = columns().find(|c| c.eq_ignore_ascii_case(cell))
        {
            b.warn(
                &format!("{name} row 1, column {cell}"),
                format!("is not read: TimelineJS names this column \"{known}\""),
                Some("rename the header cell; TimelineJS matches it exactly"),
            );
        }
    }
    let v1 = cells.iter().any(|c| *c == "Start Date" || *c == "End Date");
    Header { index, v1 }
}

/// An event row's slide; the title and eras go to the builder.
fn read_row(b: &mut Builder, name: &str, row_number: usize, row: &Row) -> Option<Slide> {
    let place = format!("{name} row {row_number}");
    let kind = row.get("Type").trim();
    let start = if row.header.v1 {
        v1_date(b, &place, row, "Start Date")
    } else {
        date_from(b, &place, row, ["Year", "Month", "Day", "Time"])
    };
    let end = if row.header.v1 {
        v1_date(b, &place, row, "End Date")
    } else {
        date_from(
            b,
            &place,
            row,
            ["End Year", "End Month", "End Day", "End Time"],
        )
    };
    let media = row.opt("Media").map(|url| Media {
        url,
        caption: row.opt("Media Caption"),
        credit: row.opt("Media Credit"),
        thumbnail: row.opt("Media Thumbnail"),
        alt: row.opt("Alt Text"),
        ..Media::default()
    });
    let background = row.opt("Background").map(|v| {
        // As TimelineJS reads the cell: a URL is an image, anything else a colour.
        if v.starts_with("http:") || v.starts_with("https:") || v.starts_with('/') {
            Background {
                url: Some(v),
                ..Background::default()
            }
        } else {
            Background {
                color: Some(v),
                ..Background::default()
            }
        }
    });
    if kind == "title" && b.title.is_none() {
        b.title = Some(row.get("Headline").to_string());
        b.title_slide = Some(TitleSlide {
            text: row.opt("Text").map(|_| row.get("Text").to_string()),
            media,
            background,
        });
        return None;
    }
    let start = match start {
        Ok(Some(d)) => d,
        Ok(None) => {
            b.warn(
                &place,
                "has no Year, so it has no date; the row is left out (TimelineJS skips it too)",
                Some("give the row a Year"),
            );
            return None;
        }
        Err(()) => return None,
    };
    let slide = Slide {
        place: place.clone(),
        start: Some(start),
        end: end.ok().flatten(),
        headline: row.get("Headline").to_string(),
        text: row.get("Text").to_string(),
        media,
        group: row.opt("Group").or_else(|| row.opt("Tag")),
        display_date: row.opt("Display Date"),
        background,
        unique_id: None,
        autolink: None,
    };
    if kind == "era" {
        b.eras.push(slide);
        None
    } else {
        Some(slide)
    }
}

/// The date from a row's Year, Month, Day and Time cells (or the End ones).
/// `Err` when a cell is wrong, after saying which.
fn date_from(
    b: &mut Builder,
    place: &str,
    row: &Row,
    [year, month, day, time]: [&str; 4],
) -> Result<Option<PartialDate>, ()> {
    let time_text = row.get(time).trim();
    let clock: Option<TimeOfDay> = if time_text.is_empty() {
        None
    } else {
        match parse_time(time_text) {
            Some(t) => Some(t),
            None => {
                b.warn(
                    &format!("{place}, column {time}"),
                    format!("'{time_text}' is not a time of day; the time is left out"),
                    Some("write 14:30, 2:30 PM or 14:30:05"),
                );
                None
            }
        }
    };
    let n = |t: &Option<TimeOfDay>, f: fn(&TimeOfDay) -> Option<u8>| {
        t.as_ref()
            .and_then(f)
            .map_or(Part::Missing, |v| Part::Number(v as i64))
    };
    let parts = Parts {
        year: Part::from_text(row.get(year), true),
        month: Part::from_text(row.get(month), true),
        day: Part::from_text(row.get(day), true),
        hour: n(&clock, |t| Some(t.hour)),
        minute: n(&clock, |t| t.minute),
        second: n(&clock, |t| t.second),
    };
    match parts.to_date() {
        Ok(d) => Ok(d),
        Err(e) => {
            let column = match e.part {
                "year" => year,
                "month" => month,
                "day" => day,
                _ => time,
            };
            let what = if year == "Year" { "the row" } else { "its end" };
            b.warn(
                &format!("{place}, column {column}"),
                format!("{}; {what} is left out", e.message),
                Some("dates are whole numbers: Year 2001, Month 3, Day 12"),
            );
            Err(())
        }
    }
}

fn v1_date(
    b: &mut Builder,
    place: &str,
    row: &Row,
    column: &str,
) -> Result<Option<PartialDate>, ()> {
    let text = row.get(column).trim();
    if text.is_empty() {
        return Ok(None);
    }
    match parse_v1_date(text) {
        Some(d) => Ok(Some(d)),
        None => {
            b.warn(
                &format!("{place}, column {column}"),
                format!("'{text}' is not a date; it is left out"),
                Some("write 2001, 2001-03-12 or 3/12/2001"),
            );
            Err(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_of_every_type_and_names_bad_cells() {
        let csv = "\u{feff}Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\r\n\
            ,,,,,,,,,My title,<p>Intro</p>,,,,,title,,\r\n\
            \"-15,000\",,,,,,,,,Cave paintings,,,,,,,Art,\r\n\
            2024,6,19,2:30 PM,,,,,,Afternoon,\"two\r\nlines\",,,,,,,#fff\r\n\
            2024,13,1,,,,,,,Bad month,,,,,,,,\r\n\
            1900,,,,1950,,,,,Early,,,,,,era,,\r\n\
            ,,,,,,,,,No year,,,,,,,,";
        let (raw, warnings) = read(csv, "t.csv");
        assert_eq!(raw.title, "My title");
        assert_eq!(raw.events.len(), 2);
        assert_eq!(raw.events[0].date, "-15000");
        assert_eq!(raw.events[0].group.as_deref(), Some("Art"));
        assert_eq!(raw.events[1].date, "2024-06-19 14:30");
        assert_eq!(raw.events[1].text.as_deref(), Some("two\nlines"));
        assert_eq!(raw.eras.len(), 1);
        let text: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            text.iter()
                .any(|w| w.starts_with("t.csv row 5, column Month: '13' is not a month")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|w| w.starts_with("t.csv row 7: has no Year")),
            "{text:?}"
        );
    }
}
