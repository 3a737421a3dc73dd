//! Spreadsheet input (XLSX, XLS/WPS `.et`, XLSB, ODS via calamine): which sheet is read (the
//! active one when visible, else the first visible one, never a hidden template; `--sheet`),
//! XLSX sheets streamed row by row from a thread that owns the workbook, and cells turned into
//! text (numbers without a spurious `.0`, Excel serial dates as ISO dates). ZIP workbooks
//! ([`super::zipcheck`]) and XLS workbooks ([`super::xlscheck`]) are checked against the limits
//! first.

use super::xlscheck;
use super::zipcheck::{self, ZipFacts};
use super::{ReadOptions, Records, Source};
use crate::error::{Error, Result};
use crate::limits::{MAX_SHEET_AREA, MAX_WORKBOOK_BYTES, MAX_XLS_FILE_BYTES};
use calamine::{Data, Reader as _, SheetType, SheetVisible, Sheets};
use std::io::{Cursor, Read};
use std::path::PathBuf;

/// `--sheet NAME|N`: a sheet name, or its 1-based position among all sheets (hidden ones
/// included, as Excel's tab order shows them when unhidden). A name wins over a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetChoice(pub String);

/// Rows sent ahead by the XLSX reader thread.
const ROWS_AHEAD: usize = 256;

impl Source {
    /// Reads the workbook (at most [`MAX_WORKBOOK_BYTES`]), checks it, picks the sheet and sets
    /// up its rows.
    pub(super) fn open_sheet(&mut self, rest: Box<dyn Read + Send>, opts: &ReadOptions) -> Result<()> {
        let mut all = Vec::new();
        rest.take(MAX_WORKBOOK_BYTES + 1)
            .read_to_end(&mut all)
            .map_err(|e| Error::io(PathBuf::from(&self.name), e))?;
        if all.len() as u64 > MAX_WORKBOOK_BYTES {
            return Err(Error::Limit {
                path: self.name.clone(),
                at: String::new(),
                what: format!("a workbook larger than {} MiB", MAX_WORKBOOK_BYTES >> 20),
                limit: format!("MAX_WORKBOOK_BYTES = {} MiB", MAX_WORKBOOK_BYTES >> 20),
                hint: "另存为 CSV 后再排名 save the sheet as CSV (read as a stream, no size limit) and rank that"
                    .into(),
            });
        }
        let facts = if all.starts_with(b"PK\x03\x04") {
            zipcheck::check(&self.name, &all)?
        } else {
            if all.starts_with(xlscheck::CFB_MAGIC) {
                if all.len() as u64 > MAX_XLS_FILE_BYTES {
                    return Err(Error::Limit {
                        path: self.name.clone(),
                        at: String::new(),
                        what: format!("an XLS workbook larger than {} MiB", MAX_XLS_FILE_BYTES >> 20),
                        limit: format!("MAX_XLS_FILE_BYTES = {} MiB", MAX_XLS_FILE_BYTES >> 20),
                        hint: "另存为 XLSX 或 CSV 后再排名 save the sheet as XLSX or CSV and rank that".into(),
                    });
                }
                xlscheck::check(&self.name, &mut all)?;
            }
            ZipFacts::default()
        };
        // calamine asserts on some damaged files (a cut XLS): a panic there is an error here.
        let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.load_book(all, &facts, opts)));
        loaded.unwrap_or_else(|_| Err(damaged(&self.name)))
    }

    /// Opens the checked workbook bytes with calamine, picks the sheet and sets up its rows.
    fn load_book(&mut self, all: Vec<u8>, facts: &ZipFacts, opts: &ReadOptions) -> Result<()> {
        let name = self.name.clone();
        let sheet_err = |message: String| Error::Spreadsheet {
            path: name.clone(),
            message,
        };
        let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(all)).map_err(|e| sheet_err(e.to_string()))?;
        let kind = match &book {
            Sheets::Xls(_) => "XLS",
            Sheets::Xlsx(_) => "XLSX",
            Sheets::Xlsb(_) => "XLSB",
            Sheets::Ods(_) => "ODS",
        };
        let meta: Vec<(String, bool)> = book
            .sheets_metadata()
            .iter()
            .map(|s| {
                (
                    s.name.clone(),
                    s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet,
                )
            })
            .collect();
        if meta.is_empty() {
            return Err(sheet_err("工作簿没有工作表 the workbook has no sheet".into()));
        }
        let names = || meta.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ");
        let index = match &opts.sheet {
            Some(SheetChoice(choice)) => meta
                .iter()
                .position(|(n, _)| n == choice)
                .or_else(|| meta.iter().position(|(n, _)| n.trim() == choice.trim()))
                .or_else(|| {
                    choice
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|&n| (1..=meta.len()).contains(&n))
                        .map(|n| n - 1)
                })
                .ok_or_else(|| {
                    Error::Input(format!(
                        "找不到工作表 {}: no sheet {choice:?}; sheets: {} (give a name or a number from 1)",
                        self.name,
                        names()
                    ))
                })?,
            None => facts
                .active_tab
                .filter(|&i| meta.get(i).is_some_and(|(_, visible)| *visible))
                .or_else(|| meta.iter().position(|(_, visible)| *visible))
                .ok_or_else(|| sheet_err(format!("没有可见的工作表 no visible worksheet; sheets: {}", names())))?,
        };
        let sheet = meta[index].0.clone();
        let hidden: Vec<&str> = meta[..index]
            .iter()
            .filter(|(_, visible)| !visible)
            .map(|(n, _)| n.as_str())
            .collect();
        if opts.sheet.is_none() && !hidden.is_empty() {
            self.notes
                .push(format!("跳过隐藏工作表 skipped hidden sheet(s): {}", hidden.join(", ")));
        }
        let mut others = Vec::new();
        for (i, (n, visible)) in meta.iter().enumerate() {
            if i != index && *visible && has_data(&mut book, n) {
                others.push(n.as_str());
            }
        }
        if !others.is_empty() {
            self.notes.push(format!(
                "注意 note: 其他可见工作表也有数据 other visible sheets hold data: {}; 只读了 only read {sheet:?} (choose with --sheet NAME|N)",
                others.join(", ")
            ));
        }
        self.workbook = Some((kind, sheet.clone()));
        self.records = match book {
            Sheets::Xlsx(x) => Records::Rows(stream_rows(x, sheet, self.name.clone())),
            mut other => {
                let range = other.worksheet_range(&sheet).map_err(|e| sheet_err(e.to_string()))?;
                let area = (range.height() as u64).saturating_mul(range.width() as u64);
                if area > MAX_SHEET_AREA {
                    return Err(Error::Limit {
                        path: self.name.clone(),
                        at: format!(", sheet {sheet}"),
                        what: format!("cells span {} rows × {} columns", range.height(), range.width()),
                        limit: format!("MAX_SHEET_AREA = {MAX_SHEET_AREA}"),
                        hint: "另存为 CSV 后再排名 save the sheet as CSV and rank that".into(),
                    });
                }
                self.total_rows = Some(range.height() as u64);
                Records::Sheet { range, next: 0 }
            }
        };
        Ok(())
    }
}

/// The error for a workbook the spreadsheet reader failed on.
fn damaged(path: &str) -> Error {
    Error::Spreadsheet {
        path: path.to_string(),
        message: "工作簿已损坏 the workbook is damaged (the spreadsheet reader failed on it): re-save it in Excel/WPS, or export CSV"
            .to_string(),
    }
}

/// Whether a sheet has a non-empty cell (XLSX: looks at its first cells only).
fn has_data<RS: Read + std::io::Seek>(book: &mut Sheets<RS>, name: &str) -> bool {
    match book {
        Sheets::Xlsx(x) => {
            let Ok(mut cells) = x.worksheet_cells_reader(name) else {
                return false;
            };
            for _ in 0..10_000 {
                match cells.next_cell() {
                    Ok(Some(c)) if !cell_text(&Data::from(c.get_value().clone())).trim().is_empty() => return true,
                    Ok(Some(_)) => {}
                    _ => return false,
                }
            }
            false
        }
        other => other
            .worksheet_range(name)
            .is_ok_and(|r| r.used_cells().any(|(_, _, c)| !cell_text(c).trim().is_empty())),
    }
}

/// Streams the rows of an XLSX sheet from a thread that owns the workbook: each row as the text
/// of its cells up to its last non-empty one; a gap in the row numbers is sent as blank rows
/// (rows are numbered as in the sheet, from its first row with a cell).
fn stream_rows(
    book: calamine::Xlsx<Cursor<Vec<u8>>>,
    sheet: String,
    path: String,
) -> crossbeam_channel::Receiver<Result<Vec<String>>> {
    let (tx, rx) = crossbeam_channel::bounded::<Result<Vec<String>>>(ROWS_AHEAD);
    let spawned = std::thread::Builder::new().name("xlsx-rows".into()).spawn(move || {
        let guard_tx = tx.clone();
        let guard_path = path.clone();
        let sent = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            send_rows(book, &sheet, &path, &tx)
        }));
        if sent.is_err() {
            let _ = guard_tx.send(Err(damaged(&guard_path)));
        }
    });
    if let Err(e) = spawned {
        let (tx, rx) = crossbeam_channel::bounded(1);
        let _ = tx.send(Err(Error::Input(format!("cannot start the sheet reader: {e}"))));
        return rx;
    }
    rx
}

/// The body of the XLSX reader thread: sends each row (and a blank row per gap in the row
/// numbers) until the end, an error, or the receiver is gone.
fn send_rows(
    mut book: calamine::Xlsx<Cursor<Vec<u8>>>,
    sheet: &str,
    path: &str,
    tx: &crossbeam_channel::Sender<Result<Vec<String>>>,
) {
    let err = |e: calamine::XlsxError| Error::Spreadsheet {
        path: path.to_string(),
        message: format!("工作表 sheet {sheet}: {e}"),
    };
    let mut cells = match book.worksheet_cells_reader(sheet) {
        Ok(c) => c,
        Err(e) => {
            let _ = tx.send(Err(err(e)));
            return;
        }
    };
    let mut row: Vec<String> = Vec::new();
    let mut current: Option<u32> = None;
    loop {
        match cells.next_cell() {
            Ok(Some(cell)) => {
                let (r, c) = cell.get_position();
                if let Some(cur) = current
                    && r != cur
                {
                    if tx.send(Ok(std::mem::take(&mut row))).is_err() {
                        return;
                    }
                    for _ in cur.saturating_add(1)..r {
                        if tx.send(Ok(Vec::new())).is_err() {
                            return;
                        }
                    }
                }
                current = Some(r);
                let text = cell_text(&Data::from(cell.get_value().clone()));
                if text.is_empty() {
                    continue;
                }
                let c = c as usize;
                if c >= row.len() {
                    row.resize(c + 1, String::new());
                }
                row[c] = text;
            }
            Ok(None) => {
                if current.is_some() {
                    let _ = tx.send(Ok(row));
                }
                return;
            }
            Err(e) => {
                let _ = tx.send(Err(err(e)));
                return;
            }
        }
    }
}

/// The text of a spreadsheet cell. Whole numbers lose their `.0`; dates become ISO dates.
pub fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(d) if d.is_datetime() => excel_date(d.as_f64()),
        other => other.to_string(),
    }
}

/// The civil date (year, month, day) of a count of days since 1970-01-01 (Howard Hinnant's
/// algorithm); shared by spreadsheet dates and the report's timestamp.
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// An Excel serial date (1900 system) as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`.
fn excel_date(serial: f64) -> String {
    if !serial.is_finite() || !(0.0..3e6).contains(&serial) {
        return serial.to_string();
    }
    let days = serial.floor() as i64;
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    // Excel day 25569 is 1970-01-01 (the 1900 leap-year bug is before day 61 and ignored).
    let (y, m, d) = civil_from_days(days - 25_569);
    if secs == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        let secs = secs.min(86_399);
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_and_excel_serials() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(excel_date(45_292.0), "2024-01-01");
        assert_eq!(excel_date(45_292.5), "2024-01-01 12:00:00");
    }

    #[test]
    fn excel_dates() {
        assert_eq!(excel_date(43_831.0), "2020-01-01");
        assert_eq!(excel_date(43_831.5), "2020-01-01 12:00:00");
    }
}
