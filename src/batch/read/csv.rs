//! Delimited text input (CSV, TSV): the csv reader set up for an input, and its errors turned
//! into messages that name the file and line.

use super::Source;
use crate::error::Error;

impl Source {
    pub(super) fn csv_error(&self, e: csv::Error) -> Error {
        let at = e
            .position()
            .map(|p| format!(" (line {}, byte {})", p.line(), p.byte()))
            .unwrap_or_default();
        match e.into_kind() {
            csv::ErrorKind::Io(io) => self.io_error(io),
            other => Error::Input(format!("无法读取 cannot read {}{at}: {other:?}", self.name)),
        }
    }

}
