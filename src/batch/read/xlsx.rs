//! Spreadsheet input (XLSX, XLS, ODS via calamine): opening a workbook and turning cells into
//! text (numbers without a spurious `.0`, Excel serial dates as ISO dates).

use super::{Records, Source};
use crate::error::{Error, Result};
use calamine::{Data, Reader as _};
use std::io::{Cursor, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

impl Source {
    pub(super) fn open_sheet(
        name: String,
        mut rest: Box<dyn Read + Send>,
        total_bytes: Option<u64>,
        bytes_read: Arc<AtomicU64>,
    ) -> Result<Source> {
        let mut all = Vec::new();
        rest.read_to_end(&mut all)
            .map_err(|e| Error::io(PathBuf::from(&name), e))?;
        let sheet_err = |message: String| Error::Spreadsheet {
            path: name.clone(),
            message,
        };
        let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(all)).map_err(|e| sheet_err(e.to_string()))?;
        let range = match book.worksheet_range_at(0) {
            Some(r) => r.map_err(|e| sheet_err(e.to_string()))?,
            None => return Err(sheet_err("工作簿没有工作表 the workbook has no sheet".into())),
        };
        let headers: Vec<String> = range
            .rows()
            .next()
            .map(|r| r.iter().map(|c| cell_text(c).trim().to_string()).collect())
            .unwrap_or_default();
        let total_rows = Some(range.height().saturating_sub(1) as u64);
        Ok(Source {
            name,
            format: InputFormat::Sheet,
            encoding: None,
            headers,
            total_bytes,
            total_rows,
            bytes_read,
            records: Records::Sheet { range, next: 1 },
        })
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
