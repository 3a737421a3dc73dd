//! Reading company lists: format detection (CSV, TSV, JSONL, XLSX), encoding detection (UTF-8
//! with or without BOM, UTF-16 with BOM, GBK/GB18030), header mapping to profile fields, and a
//! streaming record source that never holds more than one record of a text file in memory.

use crate::error::{Error, Result};
use calamine::{Data, Reader as _};
use encoding_rs::{Decoder, Encoding, GB18030, UTF_16BE, UTF_16LE};
use std::collections::HashMap;
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

/// The layout of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    Csv,
    Tsv,
    Jsonl,
    /// XLSX, XLS or ODS, read with calamine (first sheet).
    Sheet,
}

impl InputFormat {
    /// The format implied by a file extension, if any.
    pub fn from_extension(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(InputFormat::Csv),
            "tsv" | "tab" => Some(InputFormat::Tsv),
            "jsonl" | "ndjson" | "json" => Some(InputFormat::Jsonl),
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Some(InputFormat::Sheet),
            _ => None,
        }
    }

    /// Guesses the format from the first bytes of the file.
    pub fn sniff(prefix: &[u8]) -> InputFormat {
        // ZIP (xlsx, ods) and OLE2 (xls) containers.
        if prefix.starts_with(b"PK\x03\x04") || prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return InputFormat::Sheet;
        }
        let text = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
        if text
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'{')
        {
            return InputFormat::Jsonl;
        }
        let first_line = text.split(|&b| b == b'\n').next().unwrap_or(text);
        let tabs = first_line.iter().filter(|&&b| b == b'\t').count();
        let commas = first_line.iter().filter(|&&b| b == b',').count();
        if tabs > commas {
            InputFormat::Tsv
        } else {
            InputFormat::Csv
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Csv => "CSV",
            InputFormat::Tsv => "TSV",
            InputFormat::Jsonl => "JSONL",
            InputFormat::Sheet => "XLSX",
        }
    }
}

/// The character encoding of a text input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 starting with a byte-order mark (as Excel saves "CSV UTF-8").
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// GB18030, a superset of GBK and GB2312 (as Excel on Chinese Windows saves CSV).
    Gb18030,
}

impl TextEncoding {
    /// Detects the encoding from the first bytes: a BOM decides; otherwise text that is (almost
    /// entirely) valid UTF-8 is UTF-8, and anything else is read as GB18030. `at_eof` says
    /// whether `prefix` is the whole input (so a multi-byte character cut at its end is an
    /// error rather than an artefact of the cut).
    pub fn detect(prefix: &[u8], at_eof: bool) -> TextEncoding {
        if prefix.starts_with(b"\xEF\xBB\xBF") {
            return TextEncoding::Utf8Bom;
        }
        if prefix.starts_with(b"\xFF\xFE") {
            return TextEncoding::Utf16Le;
        }
        if prefix.starts_with(b"\xFE\xFF") {
            return TextEncoding::Utf16Be;
        }
        let mut valid_multibyte = 0usize;
        let mut invalid = 0usize;
        let mut chunks = prefix.utf8_chunks().peekable();
        while let Some(chunk) = chunks.next() {
            valid_multibyte += chunk.valid().bytes().filter(|b| !b.is_ascii()).count();
            let bad = chunk.invalid().len();
            // An incomplete character at the very end of a cut prefix is not an error.
            let cut_tail = chunks.peek().is_none() && !at_eof && bad > 0 && bad < 4;
            if !cut_tail {
                invalid += bad;
            }
        }
        // A few stray bytes in a UTF-8 file are damage, not a different encoding: GBK text read
        // as UTF-8 is invalid almost everywhere.
        if invalid == 0 || (valid_multibyte > 0 && invalid * 20 <= valid_multibyte) {
            TextEncoding::Utf8
        } else {
            TextEncoding::Gb18030
        }
    }

    /// `utf8`, `utf-8`, `gbk`, `gb2312`, `gb18030`, `utf-16le`, `utf-16be` (for `--input-encoding`).
    pub fn parse(s: &str) -> Option<TextEncoding> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "utf8" => Some(TextEncoding::Utf8),
            "utf8bom" | "utf8sig" => Some(TextEncoding::Utf8Bom),
            "gbk" | "gb2312" | "gb18030" | "cp936" => Some(TextEncoding::Gb18030),
            "utf16le" | "utf16" => Some(TextEncoding::Utf16Le),
            "utf16be" => Some(TextEncoding::Utf16Be),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Gb18030 => "GBK/GB18030",
        }
    }

    /// Whether bytes are passed through as UTF-8 (and checked per field) rather than decoded.
    pub fn is_utf8(self) -> bool {
        matches!(self, TextEncoding::Utf8 | TextEncoding::Utf8Bom)
    }

    fn decoder(self) -> Option<Decoder> {
        let enc: &'static Encoding = match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => return None,
            TextEncoding::Utf16Le => UTF_16LE,
            TextEncoding::Utf16Be => UTF_16BE,
            TextEncoding::Gb18030 => GB18030,
        };
        Some(enc.new_decoder_without_bom_handling())
    }

    fn bom_len(self) -> usize {
        match self {
            TextEncoding::Utf8Bom => 3,
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2,
            _ => 0,
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

/// Decodes a non-UTF-8 stream to UTF-8 bytes as it is read. Invalid sequences become U+FFFD.
struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    done: bool,
}

impl<R: Read> DecodingReader<R> {
    fn new(inner: R, decoder: Decoder) -> Self {
        DecodingReader {
            inner,
            decoder,
            input: vec![0; 64 * 1024],
            in_start: 0,
            in_end: 0,
            output: vec![0; 3 * 64 * 1024 + 16],
            out_start: 0,
            out_end: 0,
            eof: false,
            done: false,
        }
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out_start == self.out_end {
            if self.done {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let (_, read, written, _) =
                self.decoder
                    .decode_to_utf8(&self.input[self.in_start..self.in_end], &mut self.output, self.eof);
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && self.in_start == self.in_end && written == 0 {
                self.done = true;
            }
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

/// A profile field a column can feed (interface.md, "Profile fields").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Id,
    Name,
    Scope,
    Industry,
    CreditCode,
    RegisteredCapital,
    Revenue,
    Location,
    Founded,
    Tags,
    /// 登记状态 registration status (存续, 注销 …).
    Status,
}

impl Field {
    pub const ALL: [Field; 11] = [
        Field::Id,
        Field::Name,
        Field::Scope,
        Field::Industry,
        Field::CreditCode,
        Field::RegisteredCapital,
        Field::Revenue,
        Field::Location,
        Field::Founded,
        Field::Tags,
        Field::Status,
    ];

    /// The JSON key (interface.md).
    pub fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Scope => "scope",
            Field::Industry => "industry",
            Field::CreditCode => "credit_code",
            Field::RegisteredCapital => "registered_capital",
            Field::Revenue => "revenue",
            Field::Location => "location",
            Field::Founded => "founded",
            Field::Tags => "tags",
            Field::Status => "status",
        }
    }

    /// The column headers recognised for this field, preferred first (interface.md).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["id", "编号", "序号"],
            Field::Name => &["name", "company", "company_name", "企业名称", "公司名称", "名称"],
            Field::Scope => &[
                "scope",
                "business_scope",
                "description",
                "profile",
                "text",
                "经营范围",
                "主营业务",
                "业务范围",
                "公司简介",
                "简介",
            ],
            Field::Industry => &["industry", "industry_code", "所属行业", "国标行业", "行业"],
            Field::CreditCode => &["credit_code", "uscc", "统一社会信用代码", "信用代码"],
            Field::RegisteredCapital => &["registered_capital", "注册资本"],
            Field::Revenue => &["revenue", "营业收入", "营收"],
            Field::Location => &[
                "location",
                "address",
                "所在地",
                "注册地址",
                "地址",
                "省份",
                "城市",
                "所属地区",
                "所属省份",
                "所属城市",
                "所属区县",
                "区县",
                "所在地区",
                "注册地",
                "企业地址",
                "通信地址",
            ],
            Field::Founded => &["founded", "成立日期"],
            Field::Tags => &["tags", "标签"],
            Field::Status => &[
                "status",
                "registration_status",
                "登记状态",
                "经营状态",
                "企业状态",
                "登记状况",
                "营业状态",
            ],
        }
    }

    /// Parses a field name as `--columns` accepts it: the JSON key or one of its aliases.
    pub fn parse(s: &str) -> Option<Field> {
        let n = normalize_header(s);
        Field::ALL
            .into_iter()
            .find(|f| normalize_header(f.key()) == n || f.aliases().iter().any(|a| normalize_header(a) == n))
    }
}

/// The comparison form of a header: lower case, without spaces, `_`, `-`, `*`, `:`, a BOM or a
/// bracketed note (`注册资本（万元）` → `注册资本`), full-width ASCII folded.
pub fn normalize_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut depth = 0u32;
    for c in h.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '\u{FEFF}' | '_' | '-' | '*' | ':' | '：' | '"' => {}
            c if c.is_whitespace() => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Parses `--columns name=公司,scope=简介` (a field may be given more than once).
pub fn parse_column_overrides(spec: &str) -> std::result::Result<Vec<(Field, String)>, String> {
    let mut out = Vec::new();
    for part in spec.split([',', '，']).filter(|p| !p.trim().is_empty()) {
        let Some((field, header)) = part.split_once('=') else {
            return Err(format!(
                "--columns 格式应为 FIELD=HEADER expected FIELD=HEADER, got {part:?} (e.g. --columns name=公司,scope=简介)"
            ));
        };
        let Some(f) = Field::parse(field) else {
            let keys: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
            return Err(format!(
                "--columns: 未知字段 unknown field {field:?}; fields are {}",
                keys.join(", ")
            ));
        };
        let header = header.trim();
        if header.is_empty() {
            return Err(format!("--columns: empty header for {}", f.key()));
        }
        out.push((f, header.to_string()));
    }
    Ok(out)
}

/// Recognises headers (or JSON keys) as profile fields: the interface.md aliases, with
/// `--columns` overrides replacing the aliases of the fields they name.
#[derive(Debug, Clone)]
pub struct HeaderMatcher {
    /// Normalised header → (field, preference; lower is preferred).
    map: HashMap<String, (Field, usize)>,
}

impl HeaderMatcher {
    pub fn new(overrides: &[(Field, String)]) -> HeaderMatcher {
        let mut map = HashMap::new();
        for (i, (f, h)) in overrides.iter().enumerate() {
            map.insert(normalize_header(h), (*f, i));
        }
        for f in Field::ALL {
            if overrides.iter().any(|(o, _)| *o == f) {
                continue;
            }
            for (i, a) in f.aliases().iter().enumerate() {
                map.entry(normalize_header(a)).or_insert((f, i));
            }
        }
        HeaderMatcher { map }
    }

    /// The field a header feeds, with its preference.
    pub fn field_of(&self, header: &str) -> Option<(Field, usize)> {
        if let Some(v) = self.map.get(header) {
            return Some(*v);
        }
        self.map.get(&normalize_header(header)).copied()
    }
}

/// Which columns feed which profile field.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    /// Per field (indexed like [`Field::ALL`]): column indices, preferred first.
    columns: [Vec<usize>; Field::ALL.len()],
}

impl ColumnMap {
    /// Maps the headers of a tabular file; fails when neither a name nor a scope column is found
    /// or an override names a header that is not there.
    pub fn new(source: &str, headers: &[String], overrides: &[(Field, String)]) -> Result<ColumnMap> {
        for (f, h) in overrides {
            let n = normalize_header(h);
            if !headers.iter().any(|x| normalize_header(x) == n) {
                return Err(Error::UnknownColumn {
                    path: source.to_string(),
                    field: f.key().to_string(),
                    header: h.clone(),
                    found: headers.to_vec(),
                });
            }
        }
        let matcher = HeaderMatcher::new(overrides);
        let mut ranked: [Vec<(usize, usize)>; Field::ALL.len()] = Default::default();
        for (col, h) in headers.iter().enumerate() {
            if let Some((f, pref)) = matcher.field_of(h) {
                ranked[f as usize].push((pref, col));
            }
        }
        let mut map = ColumnMap::default();
        for (slot, mut cols) in map.columns.iter_mut().zip(ranked) {
            cols.sort();
            *slot = cols.into_iter().map(|(_, c)| c).collect();
        }
        if !map.is_usable() {
            return Err(no_usable_column(source, headers));
        }
        Ok(map)
    }

    /// The columns feeding a field, preferred first.
    pub fn columns(&self, f: Field) -> &[usize] {
        &self.columns[f as usize]
    }

    /// A name or a scope column exists.
    pub fn is_usable(&self) -> bool {
        !self.columns(Field::Name).is_empty() || !self.columns(Field::Scope).is_empty()
    }
}

/// The error for a file without a name or scope column.
pub fn no_usable_column(source: &str, headers: &[String]) -> Error {
    Error::NoUsableColumn {
        path: source.to_string(),
        found: headers.to_vec(),
        name_aliases: Field::Name.aliases().join(", "),
        scope_aliases: Field::Scope.aliases().join(", "),
    }
}

/// One record as read, before it is decoded into cells (done by the scoring workers).
#[derive(Debug)]
pub enum RawRecord {
    /// A CSV/TSV record; its bytes are UTF-8 when the source is, else decoded to UTF-8 with
    /// U+FFFD for invalid sequences.
    Delimited(csv::ByteRecord),
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
    Delimited(csv::Reader<Box<dyn Read + Send>>),
    Lines {
        reader: Box<dyn BufRead + Send>,
        first: Option<Vec<u8>>,
    },
    Sheet {
        range: calamine::Range<Data>,
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
                let mut rdr = csv::ReaderBuilder::new()
                    .delimiter(if format == InputFormat::Tsv { b'\t' } else { b',' })
                    .has_headers(false)
                    .flexible(true)
                    .buffer_capacity(256 * 1024)
                    .from_reader(text);
                let mut header = csv::ByteRecord::new();
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

    fn open_sheet(
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

    fn io_error(&self, e: std::io::Error) -> Error {
        Error::io(PathBuf::from(&self.name), e)
    }

    fn csv_error(&self, e: csv::Error) -> Error {
        let at = e
            .position()
            .map(|p| format!(" (line {}, byte {})", p.line(), p.byte()))
            .unwrap_or_default();
        match e.into_kind() {
            csv::ErrorKind::Io(io) => self.io_error(io),
            other => Error::Input(format!("无法读取 cannot read {}{at}: {other:?}", self.name)),
        }
    }

    /// The next record, or `None` at the end of the input. Blank lines are not records.
    pub fn next_record(&mut self) -> Result<Option<RawRecord>> {
        match &mut self.records {
            Records::Delimited(rdr) => {
                let mut rec = csv::ByteRecord::new();
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

/// The next non-blank line without its line break.
fn next_line(reader: &mut Box<dyn BufRead + Send>) -> std::io::Result<Option<Vec<u8>>> {
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            line.pop();
        }
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        return Ok(Some(line));
    }
}

/// The keys of a JSON object line, in file order.
fn json_keys(line: &[u8]) -> Option<Vec<String>> {
    let text = String::from_utf8_lossy(line);
    serde_json::from_str::<JsonObject>(&text)
        .ok()
        .map(|o| o.0.into_iter().map(|(k, _)| k).collect())
}

/// A JSON object with its keys in file order.
#[derive(Debug, Clone, Default)]
pub struct JsonObject(pub Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for JsonObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = JsonObject;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<JsonObject, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(12));
                while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                    out.push((k, v));
                }
                Ok(JsonObject(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// The text of a JSON value as a cell: strings as they are, lists joined with `;`, null empty.
pub fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a
            .iter()
            .map(json_text)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(";"),
        other => other.to_string(),
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
    fn headers_match_case_space_and_width_insensitively() {
        let m = HeaderMatcher::new(&[]);
        assert_eq!(m.field_of(" Company Name ").map(|x| x.0), Some(Field::Name));
        assert_eq!(m.field_of("企业名称").map(|x| x.0), Some(Field::Name));
        assert_eq!(m.field_of("ＳＣＯＰＥ").map(|x| x.0), Some(Field::Scope));
        assert_eq!(
            m.field_of("注册资本（万元）").map(|x| x.0),
            Some(Field::RegisteredCapital)
        );
        assert_eq!(m.field_of("经营范围*").map(|x| x.0), Some(Field::Scope));
        assert_eq!(m.field_of("法定代表人"), None);
    }

    #[test]
    fn preferred_alias_wins_and_scope_columns_are_all_kept() {
        let headers: Vec<String> = ["简介", "名称", "企业名称", "经营范围"].map(String::from).to_vec();
        let map = ColumnMap::new("t.csv", &headers, &[]).unwrap();
        assert_eq!(map.columns(Field::Name), &[2, 1]);
        assert_eq!(map.columns(Field::Scope), &[3, 0]);
    }

    #[test]
    fn overrides_replace_aliases_and_unknown_headers_fail() {
        let headers: Vec<String> = ["公司", "名称", "简介"].map(String::from).to_vec();
        let ov = parse_column_overrides("name=公司, scope=简介").unwrap();
        let map = ColumnMap::new("t.csv", &headers, &ov).unwrap();
        assert_eq!(map.columns(Field::Name), &[0]);
        let bad = parse_column_overrides("name=企业").unwrap();
        let err = ColumnMap::new("t.csv", &headers, &bad).unwrap_err();
        assert!(err.to_string().contains("公司"), "{err}");
        assert!(parse_column_overrides("nom=公司").is_err());
        assert!(parse_column_overrides("name").is_err());
    }

    #[test]
    fn no_usable_column_lists_headers_and_aliases() {
        let headers: Vec<String> = ["法定代表人", "电话"].map(String::from).to_vec();
        let err = ColumnMap::new("t.csv", &headers, &[]).unwrap_err().to_string();
        assert!(err.contains("法定代表人") && err.contains("电话"), "{err}");
        assert!(err.contains("企业名称") && err.contains("经营范围"), "{err}");
    }

    #[test]
    fn encoding_detection() {
        let zh = "企业名称,经营范围\n温州瓯云大数据科技有限公司,大数据服务\n";
        assert_eq!(TextEncoding::detect(zh.as_bytes(), true), TextEncoding::Utf8);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(zh.as_bytes());
        assert_eq!(TextEncoding::detect(&bom, true), TextEncoding::Utf8Bom);
        let (gbk, _, _) = encoding_rs::GBK.encode(zh);
        assert_eq!(TextEncoding::detect(&gbk, true), TextEncoding::Gb18030);
        // A prefix cut inside a multi-byte character is still UTF-8 …
        let cut = &zh.as_bytes()[..zh.len() - 2 - "服务\n".len()];
        assert_eq!(TextEncoding::detect(cut, false), TextEncoding::Utf8);
        // … and one stray byte in a long UTF-8 text does not make it GBK.
        let mut damaged = zh.repeat(5).into_bytes();
        damaged.insert(20, 0xFF);
        assert_eq!(TextEncoding::detect(&damaged, true), TextEncoding::Utf8);
        assert_eq!(TextEncoding::detect(b"name,scope\n", true), TextEncoding::Utf8);
    }

    #[test]
    fn decoding_reader_streams_gbk_across_buffer_boundaries() {
        let text = "温州鞋业,皮鞋制造；".repeat(20_000);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let mut r = DecodingReader::new(Cursor::new(gbk.into_owned()), GB18030.new_decoder());
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, text);
    }

    #[test]
    fn format_sniffing() {
        assert_eq!(InputFormat::sniff(b"PK\x03\x04..."), InputFormat::Sheet);
        assert_eq!(InputFormat::sniff(b"  {\"name\":1}"), InputFormat::Jsonl);
        assert_eq!(InputFormat::sniff(b"a\tb\tc\n1,2\t3"), InputFormat::Tsv);
        assert_eq!(InputFormat::sniff(b"a,b\n"), InputFormat::Csv);
    }

    #[test]
    fn excel_dates() {
        assert_eq!(excel_date(43_831.0), "2020-01-01");
        assert_eq!(excel_date(43_831.5), "2020-01-01 12:00:00");
    }
}
