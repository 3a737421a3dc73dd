//! Reading company lists: an [`Input`] (a file or stdin) opened as a [`Source`] whose format and
//! encoding are detected ([`detect`]), whose headers are mapped to profile fields ([`columns`]),
//! and which streams records one at a time ([`csv`], [`jsonl`], [`xlsx`]), never holding more
//! than one record of a text file in memory.

mod columns;
mod csv;
mod detect;
mod jsonl;
mod xlsx;

pub use columns::{ColumnMap, Field, HeaderMatcher, no_usable_column, normalize_header, parse_column_overrides};
pub use detect::{InputFormat, TextEncoding};
pub use jsonl::{JsonObject, json_text};
pub(crate) use xlsx::civil_from_days;
pub use xlsx::cell_text;

use crate::error::{Error, Result};
use detect::DecodingReader;
use jsonl::{json_keys, next_line};
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
    /// Approximate size, for chunking.
    pub fn byte_len(&self) -> usize {
        match self {
            RawRecord::Delimited(r) => r.as_slice().len() + 8 * r.len(),
            RawRecord::Line(l) => l.len(),
            RawRecord::Cells(c) => c.iter().map(|s| s.len() + 24).sum(),
        }
    }
}

enum Records {
    Delimited(::csv::Reader<Box<dyn Read + Send>>),
    Lines {
        reader: Box<dyn BufRead + Send>,
        first: Option<Vec<u8>>,
    },
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
    /// Tabular headers, or the keys of the first JSONL object in file order.
    pub headers: Vec<String>,
    /// Size of the input file, when known.
    pub total_bytes: Option<u64>,
    /// Number of data rows, when known up front (spreadsheets).
    pub total_rows: Option<u64>,
    /// Raw bytes consumed so far.
    pub bytes_read: Arc<AtomicU64>,
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
        let name = input.display();
        let io_err = |e| Error::io(PathBuf::from(&name), e);
        let bytes_read = Arc::new(AtomicU64::new(0));
        let (raw, total_bytes): (Box<dyn Read + Send>, Option<u64>) = match input {
            Input::Path(p) => {
                let f = std::fs::File::open(p).map_err(io_err)?;
                let len = f.metadata().ok().map(|m| m.len());
                (Box::new(f), len)
            }
            Input::Stdin => (Box::new(std::io::stdin()), None),
        };
        let mut raw: Box<dyn Read + Send> = Box::new(CountingReader {
            inner: raw,
            count: bytes_read.clone(),
        });
        let (prefix, at_eof) = read_prefix(&mut raw, SNIFF_BYTES).map_err(io_err)?;
        let ext_format = match input {
            Input::Path(p) => InputFormat::from_extension(p),
            Input::Stdin => None,
        };
        let sniffed = InputFormat::sniff(&prefix);
        let format = match (format, ext_format) {
            (Some(f), _) => f,
            // Content beats a misleading extension for containers and tab-separated ".csv".
            (None, Some(_)) if sniffed == InputFormat::Sheet => InputFormat::Sheet,
            (None, Some(InputFormat::Csv)) if sniffed == InputFormat::Tsv => InputFormat::Tsv,
            (None, Some(f)) => f,
            (None, None) => sniffed,
        };
        let rest: Box<dyn Read + Send> = Box::new(Cursor::new(prefix.clone()).chain(raw));
        if format == InputFormat::Sheet {
            return Self::open_sheet(name, rest, total_bytes, bytes_read);
        }
        let encoding = encoding.unwrap_or_else(|| TextEncoding::detect(&prefix, at_eof));
        let mut text: Box<dyn Read + Send> = rest;
        let bom = encoding.bom_len();
        if bom > 0 && prefix.len() >= bom {
            let mut skip = vec![0u8; bom];
            text.read_exact(&mut skip).map_err(io_err)?;
        }
        if let Some(decoder) = encoding.decoder() {
            text = Box::new(DecodingReader::new(text, decoder));
        }
        let mut source = Source {
            name,
            format,
            encoding: Some(encoding),
            headers: Vec::new(),
            total_bytes,
            total_rows: None,
            bytes_read,
            records: Records::Sheet {
                range: calamine::Range::empty(),
                next: 0,
            },
        };
        match format {
            InputFormat::Csv | InputFormat::Tsv => {
                let mut rdr = ::csv::ReaderBuilder::new()
                    .delimiter(if format == InputFormat::Tsv { b'\t' } else { b',' })
                    .has_headers(false)
                    .flexible(true)
                    .buffer_capacity(256 * 1024)
                    .from_reader(text);
                let mut header = ::csv::ByteRecord::new();
                let got = rdr.read_byte_record(&mut header).map_err(|e| source.csv_error(e))?;
                if got {
                    source.headers = header
                        .iter()
                        .map(|h| String::from_utf8_lossy(h).trim().to_string())
                        .collect();
                }
                source.records = Records::Delimited(rdr);
            }
            InputFormat::Jsonl | InputFormat::Sheet => {
                let mut reader: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(256 * 1024, text));
                let first = next_line(&mut reader).map_err(|e| source.io_error(e))?;
                if let Some(line) = &first {
                    source.headers = json_keys(line).unwrap_or_default();
                }
                source.records = Records::Lines { reader, first };
            }
        }
        Ok(source)
    }

    fn io_error(&self, e: std::io::Error) -> Error {
        Error::io(PathBuf::from(&self.name), e)
    }

    /// The next record, or `None` at the end of the input. Blank lines are not records.
    pub fn next_record(&mut self) -> Result<Option<RawRecord>> {
        match &mut self.records {
            Records::Delimited(rdr) => {
                let mut rec = ::csv::ByteRecord::new();
                match rdr.read_byte_record(&mut rec) {
                    Ok(true) => Ok(Some(RawRecord::Delimited(rec))),
                    Ok(false) => Ok(None),
                    Err(e) => Err(self.csv_error(e)),
                }
            }
            Records::Lines { reader, first } => {
                if let Some(l) = first.take() {
                    return Ok(Some(RawRecord::Line(l)));
                }
                match next_line(reader) {
                    Ok(l) => Ok(l.map(RawRecord::Line)),
                    Err(e) => Err(Error::io(PathBuf::from(&self.name), e)),
                }
            }
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

