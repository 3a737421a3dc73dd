//! Delimited text input (CSV, TSV, `;`/`|`-separated): Excel's `sep=X` first line, delimiter
//! sniffing, the csv reader set up for an input, a guard that caps one record at
//! [`MAX_RECORD_BYTES`], and csv errors turned into messages that name the file and line.

use super::detect::{sep_hint, sniff_delimiter};
use super::{InputFormat, ReadOptions, RecordTooLong, Records, Source};
use crate::error::{Error, Result};
use crate::limits::MAX_RECORD_BYTES;
use std::io::{BufRead, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where the current record started, shared between the source (which knows record
/// boundaries) and the guard (which sees the bytes).
#[derive(Debug, Default)]
pub(crate) struct GuardState {
    /// Byte offset (into the reader's input) where the record being read starts.
    start: AtomicU64,
    /// Its line number.
    line: AtomicU64,
}

impl GuardState {
    /// A record ended; the next starts at `pos`.
    pub(crate) fn record_done(&self, pos: &csv::Position) {
        self.start.store(pos.byte(), Ordering::Relaxed);
        self.line.store(pos.line(), Ordering::Relaxed);
    }
}

/// Fails a read once the record being read is longer than [`MAX_RECORD_BYTES`] (the csv reader
/// would otherwise grow one record without bound on a file without line ends).
pub(crate) struct RecordGuard<R> {
    inner: R,
    read: u64,
    state: Arc<GuardState>,
}

impl<R: Read> Read for RecordGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let start = self.state.start.load(Ordering::Relaxed);
        if self.read.saturating_sub(start) > MAX_RECORD_BYTES {
            let line = self.state.line.load(Ordering::Relaxed).max(1);
            return Err(std::io::Error::other(RecordTooLong { line }));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

impl Source {
    /// Sets up the csv reader: skips a `sep=X` line (taking X as the delimiter), else uses
    /// `--delimiter`, else sniffs `,` tab `;` `|` from the first lines.
    pub(super) fn open_delimited(&mut self, mut reader: Box<dyn BufRead + Send>, opts: &ReadOptions) -> Result<()> {
        let head = reader.fill_buf().map_err(|e| self.io_error(e))?;
        let first_line = head.split(|&b| b == b'\n').next().unwrap_or(head);
        let hinted = if head.contains(&b'\n') || head.len() < 64 {
            sep_hint(first_line)
        } else {
            None
        };
        let delimiter = match (opts.delimiter, hinted) {
            (Some(d), _) => d,
            (None, Some(d)) => d,
            (None, None) if self.format == InputFormat::Tsv => b'\t',
            (None, None) => sniff_delimiter(head),
        };
        if hinted.is_some() {
            let skip = head.iter().position(|&b| b == b'\n').map_or(head.len(), |i| i + 1);
            reader.consume(skip);
        }
        self.format = if delimiter == b'\t' {
            InputFormat::Tsv
        } else {
            InputFormat::Csv
        };
        self.delimiter = Some(delimiter);
        let state = Arc::new(GuardState::default());
        let guarded = RecordGuard {
            inner: reader,
            read: 0,
            state: state.clone(),
        };
        let rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(256 * 1024)
            .from_reader(guarded);
        self.records = Records::Delimited {
            reader: rdr,
            guard: state,
        };
        Ok(())
    }

    pub(super) fn csv_error(&self, e: csv::Error) -> Error {
        let at = e
            .position()
            .map(|p| format!(" (line {}, byte {})", p.line(), p.byte()))
            .unwrap_or_default();
        match e.into_kind() {
            csv::ErrorKind::Io(io) => match io.get_ref().and_then(|x| x.downcast_ref::<RecordTooLong>()) {
                Some(t) => self.too_long(t.line),
                None => self.io_error(io),
            },
            other => Error::Input(format!("无法读取 cannot read {}{at}: {other:?}", self.name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn guard_stops_a_record_without_line_ends() {
        let state = Arc::new(GuardState::default());
        let mut g = RecordGuard {
            inner: std::io::repeat(b'x'),
            read: 0,
            state: state.clone(),
        };
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        let err = loop {
            match g.read(&mut buf) {
                Ok(n) => total += n as u64,
                Err(e) => break e,
            }
        };
        assert!(total > MAX_RECORD_BYTES && total < MAX_RECORD_BYTES + (2 << 20));
        assert!(err.get_ref().unwrap().downcast_ref::<RecordTooLong>().is_some());
        // Records that end in time never trip it.
        let mut ok = RecordGuard {
            inner: Cursor::new(b"a,b\n".repeat(10)),
            read: 0,
            state,
        };
        let mut out = Vec::new();
        ok.read_to_end(&mut out).unwrap();
        assert_eq!(out.len(), 40);
    }
}
