//! Checks a ZIP workbook (XLSX, XLSM, XLSB, ODS) against [`crate::limits`] before calamine opens
//! it, streaming every part once and holding no more than one XML event of it: unzipped size
//! (per part by compression ratio, and in total), DTDs (entity expansion, external entities),
//! declared dimensions, cell references, cell counts and shared-string counts. calamine
//! reserves what a file declares (`uniqueCount` of 2^64−1 aborts the process) and builds ranges
//! over the box around the cells (A1 and XFD1048576 make 2^34 cells), so nothing it would act on
//! is left unchecked. Also reads the active sheet (`activeTab`) of the workbook.

use crate::error::{Error, Result};
use crate::limits::{
    MAX_SHARED_STRINGS_BYTES, MAX_SHEET_AREA, MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, MAX_UNZIPPED_BYTES,
    MAX_XML_NODE_BYTES, MAX_ZIP_RATIO, ZIP_RATIO_FLOOR,
};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor, Read};

/// What the check learnt about the workbook.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ZipFacts {
    /// `activeTab` of the first workbook view: the 0-based position of the sheet Excel shows.
    pub active_tab: Option<usize>,
}

/// Which limit a part ran into while it was unzipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hit {
    Total,
    Ratio,
    Node,
    SharedStrings,
}

/// Counts the uncompressed bytes of one part as they are read and stops at a limit.
struct Counted<R> {
    inner: R,
    /// Bytes of this part read so far.
    read: u64,
    /// Bytes of earlier parts.
    before: u64,
    /// Most bytes this part may unzip to (ratio limit).
    allowed: u64,
    /// Bytes read at the end of the last XML event.
    mark: u64,
    /// Whether the XML node limit applies (XML parts only).
    xml: bool,
    shared_strings: bool,
    hit: Option<Hit>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        let hit = if self.before + self.read > MAX_UNZIPPED_BYTES {
            Some(Hit::Total)
        } else if self.read > self.allowed {
            Some(Hit::Ratio)
        } else if self.shared_strings && self.read > MAX_SHARED_STRINGS_BYTES {
            Some(Hit::SharedStrings)
        } else if self.xml && self.read - self.mark > MAX_XML_NODE_BYTES + 64 * 1024 {
            Some(Hit::Node)
        } else {
            None
        };
        if let Some(h) = hit {
            self.hit = Some(h);
            return Err(std::io::Error::other("limit exceeded"));
        }
        Ok(n)
    }
}

/// The box around the cells of a sheet, and how many there are.
#[derive(Debug, Default)]
struct SheetTally {
    cells: u64,
    min_row: u64,
    max_row: u64,
    min_col: u64,
    max_col: u64,
}

impl SheetTally {
    fn area(&self) -> u64 {
        if self.cells == 0 {
            return 0;
        }
        (self.max_row - self.min_row + 1).saturating_mul(self.max_col - self.min_col + 1)
    }
}

/// Checks the workbook in `bytes` (a ZIP archive). `path` names it in messages.
pub fn check(path: &str, bytes: &[u8]) -> Result<ZipFacts> {
    let limit = |at: &str, what: String, limit: String| Error::Limit {
        path: path.to_string(),
        at: if at.is_empty() {
            String::new()
        } else {
            format!(", {at}")
        },
        what,
        limit,
        hint: "这不像正常导出的表格 this does not look like an exported list: re-save it in Excel/WPS, or export CSV"
            .to_string(),
    };
    let bad = |message: String| Error::Spreadsheet {
        path: path.to_string(),
        message,
    };
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(format!("not a valid ZIP workbook: {e}")))?;
    let mut facts = ZipFacts::default();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let file = zip
            .by_index(i)
            .map_err(|e| bad(format!("ZIP entry {i} cannot be read: {e}")))?;
        if file.is_dir() {
            continue;
        }
        let name = file
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("entry {i}"));
        let lower = name.to_ascii_lowercase();
        let xml = lower.ends_with(".xml") || lower.ends_with(".rels");
        let shared_strings = lower.ends_with("sharedstrings.xml");
        let sheet = lower.contains("worksheets/") && lower.ends_with(".xml");
        let workbook = lower.ends_with("workbook.xml");
        let allowed = ZIP_RATIO_FLOOR.max(file.compressed_size().saturating_mul(MAX_ZIP_RATIO));
        let mut counted = Counted {
            inner: file,
            read: 0,
            before: total,
            allowed,
            mark: 0,
            xml,
            shared_strings,
            hit: None,
        };
        let scanned = if xml {
            scan_xml(&mut counted, path, &name, sheet, shared_strings, workbook, &mut facts).map(|_| ())
        } else {
            std::io::copy(&mut counted, &mut std::io::sink())
                .map(|_| ())
                .map_err(|e| {
                    if counted.hit.is_some() {
                        PartError::Limit
                    } else {
                        PartError::Other(e.to_string())
                    }
                })
        };
        total += counted.read;
        match (scanned, counted.hit) {
            (Ok(()), _) => {}
            (Err(_), Some(hit)) => {
                let mib = |b: u64| format!("{} MiB", b >> 20);
                return Err(match hit {
                    Hit::Total => limit(
                        &name,
                        format!("the parts unzip to more than {}", mib(MAX_UNZIPPED_BYTES)),
                        format!("MAX_UNZIPPED_BYTES = {}", mib(MAX_UNZIPPED_BYTES)),
                    ),
                    Hit::Ratio => limit(
                        &name,
                        format!("a part unzips to more than {MAX_ZIP_RATIO}× its compressed size (a zip bomb)"),
                        format!("MAX_ZIP_RATIO = {MAX_ZIP_RATIO} above {}", mib(ZIP_RATIO_FLOOR)),
                    ),
                    Hit::Node => limit(
                        &name,
                        format!("one XML element or text is larger than {}", mib(MAX_XML_NODE_BYTES)),
                        format!("MAX_XML_NODE_BYTES = {}", mib(MAX_XML_NODE_BYTES)),
                    ),
                    Hit::SharedStrings => limit(
                        &name,
                        format!(
                            "the shared-string table is larger than {}",
                            mib(MAX_SHARED_STRINGS_BYTES)
                        ),
                        format!("MAX_SHARED_STRINGS_BYTES = {}", mib(MAX_SHARED_STRINGS_BYTES)),
                    ),
                });
            }
            (Err(PartError::Found(e)), None) => return Err(e),
            (Err(PartError::Limit), None) => return Err(bad(format!("{name}: read failed"))),
            (Err(PartError::Other(m)), None) => return Err(bad(format!("{name}: {m}"))),
        }
    }
    Ok(facts)
}

/// Why scanning a part stopped.
enum PartError {
    /// A limit of the reader ([`Counted::hit`] says which).
    Limit,
    /// A limit or a refusal found in the content.
    Found(Error),
    /// Not readable (bad deflate data, malformed XML).
    Other(String),
}

/// Streams one XML part, checking what it declares.
fn scan_xml<R: Read>(
    counted: &mut Counted<R>,
    path: &str,
    name: &str,
    sheet: bool,
    shared_strings: bool,
    workbook: bool,
    facts: &mut ZipFacts,
) -> std::result::Result<(), PartError> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::with_capacity(64 * 1024, counted));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    let mut buf = Vec::new();
    let mut tally = SheetTally::default();
    let mut strings = 0u64;
    let found = |what: String, limit: String| {
        PartError::Found(Error::Limit {
            path: path.to_string(),
            at: format!(", {name}"),
            what,
            limit,
            hint:
                "这不像正常导出的表格 this does not look like an exported list: re-save it in Excel/WPS, or export CSV"
                    .to_string(),
        })
    };
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf);
        let pos = xml.get_ref().get_ref().read;
        xml.get_mut().get_mut().mark = pos;
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                return Err(if xml.get_ref().get_ref().hit.is_some() {
                    PartError::Limit
                } else {
                    PartError::Other(format!("not well-formed XML: {e}"))
                });
            }
        };
        match event {
            Event::Eof => break,
            Event::DocType(_) => {
                return Err(found(
                    "a DTD (<!DOCTYPE>): entity expansion and external entities are refused".to_string(),
                    "no DTDs in workbook parts".to_string(),
                ));
            }
            Event::Start(e) | Event::Empty(e) => {
                let local = e.local_name();
                let tag = local.as_ref();
                if sheet {
                    check_sheet_element(tag, &e, &mut tally).map_err(|(w, l)| found(w, l))?;
                } else if shared_strings {
                    match tag {
                        "sst" => {
                            for key in ["count", "uniqueCount"] {
                                if let Some(v) = attr(&e, key) {
                                    let n = v.trim().parse::<u64>().ok();
                                    if n.is_none_or(|n| n > MAX_SHEET_CELLS) {
                                        return Err(found(
                                            format!("the shared-string table declares {key}={v} strings"),
                                            format!("MAX_SHEET_CELLS = {MAX_SHEET_CELLS}"),
                                        ));
                                    }
                                }
                            }
                        }
                        "si" => {
                            strings += 1;
                            if strings > MAX_SHEET_CELLS {
                                return Err(found(
                                    format!("more than {MAX_SHEET_CELLS} shared strings"),
                                    format!("MAX_SHEET_CELLS = {MAX_SHEET_CELLS}"),
                                ));
                            }
                        }
                        _ => {}
                    }
                } else if workbook && tag == "workbookView" && facts.active_tab.is_none() {
                    facts.active_tab = attr(&e, "activeTab").and_then(|v| v.trim().parse().ok());
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The raw value of an attribute (by local name).
fn attr(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .map(|a| a.value.into_owned())
}

/// Checks one element of a worksheet part: `<dimension ref>`, `<row r>`, `<c r>`.
fn check_sheet_element(tag: &str, e: &BytesStart, tally: &mut SheetTally) -> std::result::Result<(), (String, String)> {
    let grid = || format!("MAX_SHEET_ROWS = {MAX_SHEET_ROWS}, MAX_SHEET_COLUMNS = {MAX_SHEET_COLUMNS}");
    match tag {
        "dimension" => {
            let Some(text) = attr(e, "ref") else { return Ok(()) };
            let mut corners = Vec::new();
            for part in text.split(':') {
                match parse_cell_ref(part.trim().as_bytes()) {
                    Some(rc) => corners.push(rc),
                    None => {
                        return Err((
                            format!("declared dimension {text:?} is not a cell range within the grid"),
                            grid(),
                        ));
                    }
                }
            }
            if let [(r1, c1), (r2, c2)] = corners[..] {
                let area = (r1.abs_diff(r2) + 1).saturating_mul(c1.abs_diff(c2) + 1);
                if area > MAX_SHEET_AREA {
                    return Err((
                        format!("declared dimension {text} spans {area} cells"),
                        format!("MAX_SHEET_AREA = {MAX_SHEET_AREA}"),
                    ));
                }
            }
        }
        "row" => {
            if let Some(v) = attr(e, "r") {
                let ok = v.trim().parse::<u64>().is_ok_and(|r| (1..=MAX_SHEET_ROWS).contains(&r));
                if !ok {
                    return Err((format!("row number {v:?} is not within 1..={MAX_SHEET_ROWS}"), grid()));
                }
            }
        }
        "c" => {
            tally.cells += 1;
            if tally.cells > MAX_SHEET_CELLS {
                return Err((
                    format!("more than {MAX_SHEET_CELLS} cells"),
                    format!("MAX_SHEET_CELLS = {MAX_SHEET_CELLS}"),
                ));
            }
            if let Some(v) = attr(e, "r") {
                let Some((r, c)) = parse_cell_ref(v.as_bytes()) else {
                    return Err((format!("cell reference {v:?} is not a cell within the grid"), grid()));
                };
                if tally.cells == 1 {
                    (tally.min_row, tally.max_row, tally.min_col, tally.max_col) = (r, r, c, c);
                } else {
                    tally.min_row = tally.min_row.min(r);
                    tally.max_row = tally.max_row.max(r);
                    tally.min_col = tally.min_col.min(c);
                    tally.max_col = tally.max_col.max(c);
                }
                if tally.area() > MAX_SHEET_AREA {
                    return Err((
                        format!(
                            "cells span {} rows × {} columns (up to {})",
                            tally.max_row - tally.min_row + 1,
                            tally.max_col - tally.min_col + 1,
                            v
                        ),
                        format!("MAX_SHEET_AREA = {MAX_SHEET_AREA}"),
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// An A1-style reference (`$` allowed) as 1-based (row, column) within Excel's grid.
pub fn parse_cell_ref(r: &[u8]) -> Option<(u64, u64)> {
    let r: Vec<u8> = r.iter().copied().filter(|&b| b != b'$').collect();
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters]
        .iter()
        .fold(0u64, |acc, b| acc * 26 + u64::from(b.to_ascii_uppercase() - b'A') + 1);
    let digits = &r[letters..];
    if digits.is_empty() || digits.len() > 7 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let row: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    ((1..=MAX_SHEET_ROWS).contains(&row) && (1..=MAX_SHEET_COLUMNS).contains(&col)).then_some((row, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_within_the_grid() {
        assert_eq!(parse_cell_ref(b"A1"), Some((1, 1)));
        assert_eq!(parse_cell_ref(b"$B$7"), Some((7, 2)));
        assert_eq!(parse_cell_ref(b"XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(parse_cell_ref(b"XFE1"), None);
        assert_eq!(parse_cell_ref(b"A1048577"), None);
        assert_eq!(parse_cell_ref(b"ZZZZZZZZ99999999999"), None);
        assert_eq!(parse_cell_ref(b"A-5"), None);
        assert_eq!(parse_cell_ref(b"A0"), None);
        assert_eq!(parse_cell_ref(b"12"), None);
    }
}
