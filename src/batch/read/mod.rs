//! Reading company lists: an [`Input`] (a file or stdin) opened as a [`Source`] whose format and
//! encoding are detected ([`detect`]), whose headers are mapped to profile fields ([`columns`]),
//! and which streams records one at a time ([`csv`], [`jsonl`], [`xlsx`]), never holding more
//! than one record of a text file in memory.

pub mod clean;
mod columns;
mod csv;
mod detect;
mod jsonl;
mod xlscheck;
mod xlsx;
pub mod zipcheck;

pub use clean::{clean_cell, clean_in_place, is_placeholder};
pub use columns::{
    ColumnMap, Field, HeaderMatcher, find_header_row, no_usable_column, normalize_header, parse_column_overrides,
};
pub use detect::{InputFormat, TextEncoding, delimiter_name, parse_delimiter, sep_hint, sniff_delimiter};
pub use jsonl::{JsonObject, json_text};
pub use xlsx::{SheetChoice, cell_text};

use crate::error::{Error, Result};
use crate::limits::HEADER_SCAN_ROWS;
use detect::DecodingReader;
use jsonl::{json_keys, next_line};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many bytes are looked at to detect the format and the encoding.
const SNIFF_BYTES: usize = 64 * 1024;

/// Where the list comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
}

impl Input {
    /// `-` is stdin.
    pub fn from_arg(arg: &Path) -> Input {
        if arg.as_os_str() == "-" {
            Input::Stdin
        } else {
            Input::Path(arg.to_path_buf())
        }
    }

    /// The name used in messages.
    pub fn display(&self) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }
}

/// Counts the raw bytes read, for the progress bar.
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// One record as read, before it is decoded into cells (done by the scoring workers).
#[derive(Debug)]
pub enum RawRecord {
    /// A CSV/TSV record; its bytes are UTF-8 when the source is, else decoded to UTF-8 with
    /// U+FFFD for invalid sequences.
    Delimited(::csv::ByteRecord),
    /// A JSONL line (without the line break).
    Line(Vec<u8>),
    /// A spreadsheet row as text.
    Cells(Vec<String>),
}

impl RawRecord {
    /// The cells as text (invalid UTF-8 replaced), for header detection.
    fn texts(&self) -> Vec<String> {
        match self {
            RawRecord::Delimited(r) => r.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect(),
            RawRecord::Line(l) => vec![String::from_utf8_lossy(l).into_owned()],
            RawRecord::Cells(c) => c.clone(),
        }
    }

    /// Approximate size, for chunking.
    pub fn byte_len(&self) -> usize {
        match self {
            RawRecord::Delimited(r) => r.as_slice().len() + 8 * r.len(),
            RawRecord::Line(l) => l.len(),
            RawRecord::Cells(c) => c.iter().map(|s| s.len() + 24).sum(),
        }
    }
}

/// How to read an input; everything left `None` is detected.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// `--input-format`.
    pub format: Option<InputFormat>,
    /// `--input-encoding`.
    pub encoding: Option<TextEncoding>,
    /// `--delimiter` (CSV/TSV).
    pub delimiter: Option<u8>,
    /// `--header-row N`: the 1-based row holding the headers (title rows above it are skipped);
    /// found among the first [`HEADER_SCAN_ROWS`] rows when `None`.
    pub header_row: Option<usize>,
    /// `--sheet NAME|N` (workbooks).
    pub sheet: Option<SheetChoice>,
    /// `--columns` overrides; header detection counts them as known headers.
    pub columns: Vec<(Field, String)>,
}

/// A record longer than [`crate::limits::MAX_RECORD_BYTES`], starting at `line`.
#[derive(Debug)]
pub(crate) struct RecordTooLong {
    pub line: u64,
}

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "record at line {} is too long", self.line)
    }
}

impl std::error::Error for RecordTooLong {}

enum Records {
    /// Not yet set up (or empty input).
    Empty,
    Delimited {
        reader: ::csv::Reader<csv::RecordGuard<Box<dyn BufRead + Send>>>,
        guard: Arc<csv::GuardState>,
    },
    Lines {
        reader: Box<dyn BufRead + Send>,
        /// Lines read so far (the number of the last one).
        line: u64,
    },
    /// XLSX rows streamed by a thread that owns the workbook.
    Rows(crossbeam_channel::Receiver<Result<Vec<String>>>),
    /// XLS/ODS/XLSB: the sheet loaded whole (their grids are bounded by the format).
    Sheet {
        range: calamine::Range<calamine::Data>,
        next: usize,
    },
}

/// An open input: its format, encoding, headers and a stream of records.
pub struct Source {
    pub name: String,
    pub format: InputFormat,
    /// `None` for spreadsheets.
    pub encoding: Option<TextEncoding>,
    /// The field delimiter of CSV/TSV input.
    pub delimiter: Option<u8>,
    /// Spreadsheets: the workbook kind (`XLSX`, `XLS`, `ODS`, `XLSB`) and the sheet read.
    pub workbook: Option<(&'static str, String)>,
    /// Tabular headers, or the keys of the first JSONL object in file order.
    pub headers: Vec<String>,
    /// The 1-based row of the table that holds the headers (tabular inputs).
    pub header_row: Option<usize>,
    /// Things the summary should say about how the input was read (other sheets with data …).
    pub notes: Vec<String>,
    /// Size of the input file, when known.
    pub total_bytes: Option<u64>,
    /// Number of data rows, when known up front (spreadsheets).
    pub total_rows: Option<u64>,
    /// Raw bytes consumed so far.
    pub bytes_read: Arc<AtomicU64>,
    /// Records read ahead while looking for the header row.
    pending: VecDeque<RawRecord>,
    records: Records,
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("name", &self.name)
            .field("format", &self.format)
            .field("encoding", &self.encoding)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

/// Reads up to `n` bytes (fewer only at end of input).
fn read_prefix(r: &mut dyn Read, n: usize) -> std::io::Result<(Vec<u8>, bool)> {
    let mut buf = Vec::with_capacity(n);
    let got = r.take(n as u64).read_to_end(&mut buf)?;
    Ok((buf, got < n))
}

impl Source {
    /// Opens an input, detecting its format and encoding unless given.
    pub fn open(input: &Input, format: Option<InputFormat>, encoding: Option<TextEncoding>) -> Result<Source> {
        Self::open_with(
            input,
            &ReadOptions {
                format,
                encoding,
                ..ReadOptions::default()
            },
        )
    }

    /// Opens an input as `opts` says, detecting what it leaves open, and finds the header row.
    pub fn open_with(input: &Input, opts: &ReadOptions) -> Result<Source> {
        let name = input.display();
        let (raw, total_bytes): (Box<dyn Read + Send>, Option<u64>) = match input {
            Input::Path(p) => {
                let f = std::fs::File::open(p).map_err(|e| Error::io(p.clone(), e))?;
                let len = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
                (Box::new(f), len)
            }
            Input::Stdin => (Box::new(std::io::stdin()), None),
        };
        let ext_format = match input {
            Input::Path(p) => InputFormat::from_extension(p),
            Input::Stdin => None,
        };
        Self::open_reader(name, raw, total_bytes, ext_format, opts)
    }

    /// Opens bytes held in memory (an upload, a fuzz input) as `opts` says; `name` is used in
    /// messages and its extension, if any, hints the format.
    pub fn from_bytes(name: &str, bytes: Vec<u8>, opts: &ReadOptions) -> Result<Source> {
        let len = bytes.len() as u64;
        let ext_format = InputFormat::from_extension(Path::new(name));
        Self::open_reader(
            name.to_string(),
            Box::new(Cursor::new(bytes)),
            Some(len),
            ext_format,
            opts,
        )
    }

    fn open_reader(
        name: String,
        raw: Box<dyn Read + Send>,
        total_bytes: Option<u64>,
        ext_format: Option<InputFormat>,
        opts: &ReadOptions,
    ) -> Result<Source> {
        let io_err = |e| Error::io(PathBuf::from(&name), e);
        let bytes_read = Arc::new(AtomicU64::new(0));
        let mut raw: Box<dyn Read + Send> = Box::new(CountingReader {
            inner: raw,
            count: bytes_read.clone(),
        });
        let (prefix, at_eof) = read_prefix(&mut raw, SNIFF_BYTES).map_err(io_err)?;
        let sniffed = InputFormat::sniff(&prefix);
        let format = match (opts.format, ext_format) {
            (Some(f), _) => f,
            // Content beats a misleading extension for containers and tab-separated ".csv".
            (None, Some(_)) if sniffed == InputFormat::Sheet => InputFormat::Sheet,
            (None, Some(InputFormat::Csv)) if sniffed == InputFormat::Tsv => InputFormat::Tsv,
            (None, Some(f)) => f,
            (None, None) => sniffed,
        };
        let rest: Box<dyn Read + Send> = Box::new(Cursor::new(prefix.clone()).chain(raw));
        let mut source = Source {
            name,
            format,
            encoding: None,
            delimiter: None,
            workbook: None,
            headers: Vec::new(),
            header_row: None,
            notes: Vec::new(),
            total_bytes,
            total_rows: None,
            bytes_read,
            pending: VecDeque::new(),
            records: Records::Empty,
        };
        if format == InputFormat::Sheet {
            source.open_sheet(rest, opts)?;
            source.find_header(opts)?;
            return Ok(source);
        }
        let encoding = opts.encoding.unwrap_or_else(|| TextEncoding::detect(&prefix, at_eof));
        source.encoding = Some(encoding);
        let mut text: Box<dyn Read + Send> = rest;
        let bom = encoding.bom_len(&prefix);
        if bom > 0 {
            let mut skip = vec![0u8; bom];
            text.read_exact(&mut skip).map_err(|e| source.io_error(e))?;
        }
        if let Some(decoder) = encoding.decoder() {
            text = Box::new(DecodingReader::new(text, decoder));
        }
        let reader: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(256 * 1024, text));
        match format {
            InputFormat::Csv | InputFormat::Tsv => {
                source.open_delimited(reader, opts)?;
                source.find_header(opts)?;
            }
            InputFormat::Jsonl | InputFormat::Sheet => {
                source.records = Records::Lines { reader, line: 0 };
                if let Some(first) = source.read_raw()? {
                    if let RawRecord::Line(line) = &first {
                        source.headers = json_keys(line).unwrap_or_default();
                    }
                    source.pending.push_back(first);
                }
            }
        }
        Ok(source)
    }

    /// Reads the first rows and takes the header from the one `--header-row` names, else from
    /// the row matching the most known headers (with a name or a scope column) among the first
    /// [`HEADER_SCAN_ROWS`]; the rows above it are title rows and are dropped.
    fn find_header(&mut self, opts: &ReadOptions) -> Result<()> {
        let want = opts.header_row.unwrap_or(HEADER_SCAN_ROWS).max(1);
        let mut rows: Vec<RawRecord> = Vec::new();
        while rows.len() < want {
            match self.read_raw()? {
                Some(r) => rows.push(r),
                None => break,
            }
        }
        if rows.is_empty() {
            return Ok(());
        }
        let texts: Vec<Vec<String>> = rows.iter().map(RawRecord::texts).collect();
        let index = match opts.header_row {
            Some(n) if n > rows.len() => {
                return Err(Error::Input(format!(
                    "--header-row {n}: {} 只有 {} 行 has only {} rows",
                    self.name,
                    rows.len(),
                    rows.len()
                )));
            }
            Some(n) => n - 1,
            None => find_header_row(&texts, &opts.columns).unwrap_or(0),
        };
        self.headers = texts[index].iter().map(|h| clean_cell(h).trim().to_string()).collect();
        self.header_row = Some(index + 1);
        self.pending = rows.into_iter().skip(index + 1).collect();
        if let Some(n) = self.total_rows.as_mut() {
            *n = n.saturating_sub(index as u64);
        }
        Ok(())
    }

    fn io_error(&self, e: std::io::Error) -> Error {
        Error::io(PathBuf::from(&self.name), e)
    }

    /// The error for a record over [`crate::limits::MAX_RECORD_BYTES`].
    fn too_long(&self, line: u64) -> Error {
        Error::Limit {
            path: self.name.clone(),
            at: format!(", 第 {line} 行 line {line}"),
            what: format!(
                "a record longer than {} MiB (a file without line ends, or an unclosed quote)",
                crate::limits::MAX_RECORD_BYTES >> 20
            ),
            limit: format!("MAX_RECORD_BYTES = {} MiB", crate::limits::MAX_RECORD_BYTES >> 20),
            hint: "检查文件是否为逐行的 CSV/TSV/JSONL check the file is a CSV/TSV/JSONL list with one record per line"
                .to_string(),
        }
    }

    /// The format in words for the summary: `CSV`, `CSV (delimiter ;)`, `XLS, sheet 名单` …
    pub fn format_label(&self) -> String {
        match (&self.workbook, self.format, self.delimiter) {
            (Some((kind, sheet)), _, _) => format!("{kind}, 工作表 sheet {sheet}"),
            (None, InputFormat::Csv, Some(d)) if d != b',' => {
                format!("CSV, 分隔符 delimiter {}", delimiter_name(d))
            }
            (None, f, _) => f.as_str().to_string(),
        }
    }

    /// The next record, or `None` at the end of the input. Blank lines are not records.
    pub fn next_record(&mut self) -> Result<Option<RawRecord>> {
        let record = match self.pending.pop_front() {
            Some(r) => Some(r),
            None => self.read_raw()?,
        };
        // Streamed sheet rows end at their last non-empty cell: pad them to the header.
        Ok(record.map(|r| match r {
            RawRecord::Cells(mut cells) if cells.len() < self.headers.len() => {
                cells.resize(self.headers.len(), String::new());
                RawRecord::Cells(cells)
            }
            other => other,
        }))
    }

    /// The next record from the underlying reader.
    fn read_raw(&mut self) -> Result<Option<RawRecord>> {
        match &mut self.records {
            Records::Empty => Ok(None),
            Records::Delimited { reader, guard } => {
                let mut rec = ::csv::ByteRecord::new();
                match reader.read_byte_record(&mut rec) {
                    Ok(got) => {
                        guard.record_done(reader.position());
                        Ok(got.then_some(RawRecord::Delimited(rec)))
                    }
                    Err(e) => Err(self.csv_error(e)),
                }
            }
            Records::Lines { reader, line } => match next_line(reader, line) {
                Ok(l) => Ok(l.map(RawRecord::Line)),
                Err(e) => {
                    let long = e
                        .get_ref()
                        .and_then(|x| x.downcast_ref::<RecordTooLong>())
                        .map(|t| t.line);
                    Err(match long {
                        Some(l) => self.too_long(l),
                        None => self.io_error(e),
                    })
                }
            },
            Records::Rows(rx) => match rx.recv() {
                Ok(Ok(cells)) => Ok(Some(RawRecord::Cells(cells))),
                Ok(Err(e)) => Err(e),
                Err(_) => Ok(None),
            },
            Records::Sheet { range, next } => {
                let width = range.width();
                if *next >= range.height() {
                    return Ok(None);
                }
                let row = *next;
                *next += 1;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let cells = (0..width)
                    .map(|c| {
                        range
                            .get_value((r0 + row as u32, c0 + c as u32))
                            .map(cell_text)
                            .unwrap_or_default()
                    })
                    .collect();
                Ok(Some(RawRecord::Cells(cells)))
            }
        }
    }
}
