//! Writing ranked lists: JSONL (the result objects), CSV (UTF-8 with BOM, or GBK/GB18030) and
//! XLSX (frozen header, filter, sensible widths). Tabular outputs keep every input column and
//! append the result columns; cells that a spreadsheet could run as a formula are neutralised.

use super::{InputFields, RankedRow};
use crate::error::{Error, Result};
use crate::lead::LeadResult;
use crate::text::is_cjk;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::borrow::Cow;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Excel's limit on the characters in one cell.
pub const XLSX_CELL_CHARS: usize = 32_767;
/// Excel's limit on rows per sheet (the header included).
const XLSX_MAX_ROWS: u32 = 1_048_576;

/// Where the ranked list goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Path(PathBuf),
    Stdout,
}

impl Output {
    pub fn display(&self) -> String {
        match self {
            Output::Path(p) => p.display().to_string(),
            Output::Stdout => "<stdout>".to_string(),
        }
    }
}

/// The output layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Csv,
    Jsonl,
    Xlsx,
}

impl OutputFormat {
    /// The format implied by an output file name.
    pub fn from_extension(path: &Path) -> Option<OutputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" => Some(OutputFormat::Csv),
            "jsonl" | "ndjson" | "json" => Some(OutputFormat::Jsonl),
            "xlsx" => Some(OutputFormat::Xlsx),
            _ => None,
        }
    }
}

/// The encoding of CSV output (and of the rejects file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputEncoding {
    /// UTF-8 with a BOM, so Excel opens it right.
    #[default]
    Utf8Bom,
    /// GBK, for older tools on Chinese Windows; unmappable characters become `&#NNNN;`.
    Gbk,
    Gb18030,
}

/// Language of the result headers and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// Whether a spreadsheet would treat the text as a formula (`=`, `+`, `-`, `@`, or a leading
/// tab or carriage return). Plain numbers such as `-12.5` are not formulas.
pub fn is_formula_like(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b'=' | b'@' | b'\t' | b'\r') => true,
        Some(b'+' | b'-') => s.parse::<f64>().is_err(),
        _ => false,
    }
}

/// A CSV cell no spreadsheet will run: formula-like text gets a leading `'`.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if is_formula_like(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Truncates to at most `max` characters; true when something was cut.
pub fn truncate_chars(s: &mut String, max: usize) -> bool {
    // No more bytes than `max` means no more characters: the common case skips the count.
    if s.len() <= max {
        return false;
    }
    match s.char_indices().nth(max) {
        Some((i, _)) => {
            s.truncate(i);
            true
        }
        None => false,
    }
}

/// One cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    fn as_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Number(n) => Cow::Owned(format_number(*n)),
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{:.2}", n)
    }
}

/// The result columns appended to tabular output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultColumn {
    Row,
    Verdict,
    Fit,
    Priority,
    Tier,
    Sectors,
    Industries,
    Evidence,
    LeadUnit,
    ResponsibleUnits,
    Carriers,
    Clause,
    CounterEvidence,
    DeclaredIndustry,
    DuplicateOf,
    PriorityReasons,
    Flags,
}

impl ResultColumn {
    pub const ALL: [ResultColumn; 17] = [
        ResultColumn::Row,
        ResultColumn::Verdict,
        ResultColumn::Fit,
        ResultColumn::Priority,
        ResultColumn::Tier,
        ResultColumn::Sectors,
        ResultColumn::Industries,
        ResultColumn::Evidence,
        ResultColumn::LeadUnit,
        ResultColumn::ResponsibleUnits,
        ResultColumn::Carriers,
        ResultColumn::Clause,
        ResultColumn::CounterEvidence,
        ResultColumn::DeclaredIndustry,
        ResultColumn::DuplicateOf,
        ResultColumn::PriorityReasons,
        ResultColumn::Flags,
    ];

    pub fn header(self, lang: Lang) -> &'static str {
        use ResultColumn::*;
        match (self, lang) {
            (Row, Lang::Zh) => "行号",
            (Row, Lang::En) => "row",
            (Verdict, Lang::Zh) => "判定",
            (Verdict, Lang::En) => "verdict",
            (Fit, Lang::Zh) => "匹配度",
            (Fit, Lang::En) => "fit",
            (Priority, Lang::Zh) => "优先级",
            (Priority, Lang::En) => "priority",
            (Tier, Lang::Zh) => "等级",
            (Tier, Lang::En) => "tier",
            (PriorityReasons, Lang::Zh) => "优先级理由",
            (PriorityReasons, Lang::En) => "priority reasons",
            (Sectors, Lang::Zh) => "产业类别",
            (Sectors, Lang::En) => "sectors",
            (Industries, Lang::Zh) => "细分产业",
            (Industries, Lang::En) => "industries",
            (Evidence, Lang::Zh) => "依据",
            (Evidence, Lang::En) => "evidence",
            (LeadUnit, Lang::Zh) => "牵头单位",
            (LeadUnit, Lang::En) => "lead unit",
            (ResponsibleUnits, Lang::Zh) => "责任单位",
            (ResponsibleUnits, Lang::En) => "responsible units",
            (Carriers, Lang::Zh) => "载体",
            (Carriers, Lang::En) => "carriers",
            (Clause, Lang::Zh) => "条款",
            (Clause, Lang::En) => "clause",
            (CounterEvidence, Lang::Zh) => "反向证据",
            (CounterEvidence, Lang::En) => "counter-evidence",
            (DeclaredIndustry, Lang::Zh) => "申报行业",
            (DeclaredIndustry, Lang::En) => "declared industry",
            (DuplicateOf, Lang::Zh) => "重复",
            (DuplicateOf, Lang::En) => "duplicate of",
            (Flags, Lang::Zh) => "问题",
            (Flags, Lang::En) => "flags",
        }
    }

    /// Column width in XLSX (characters).
    fn width(self) -> f64 {
        use ResultColumn::*;
        match self {
            Row | Fit | DuplicateOf | Priority | Tier => 8.0,
            PriorityReasons => 40.0,
            Verdict | Clause => 10.0,
            LeadUnit | DeclaredIndustry | CounterEvidence | Flags => 18.0,
            Sectors | Industries | ResponsibleUnits => 26.0,
            Evidence | Carriers => 36.0,
        }
    }

    /// The cell for one result. Values of several sectors are separated by `；` (`; `), in the
    /// order of the matches, so each position lines up across columns.
    pub fn value(self, r: &LeadResult, lang: Lang) -> Option<Cell> {
        let (sep, list) = match lang {
            Lang::Zh => ("；", "、"),
            Lang::En => ("; ", ", "),
        };
        let per_match = |f: &dyn Fn(&crate::matcher::Match) -> String| -> Option<Cell> {
            let parts: Vec<String> = r.matches.iter().map(f).collect();
            (!parts.is_empty()).then(|| Cell::Text(parts.join(sep)))
        };
        use ResultColumn::*;
        match self {
            Row => r.row.map(|n| Cell::Number(n as f64)),
            Verdict => Some(Cell::Text(
                match lang {
                    Lang::Zh => r.verdict.label_zh(),
                    Lang::En => r.verdict.as_str(),
                }
                .to_string(),
            )),
            Fit => Some(Cell::Number((f64::from(r.fit) * 100.0).round() / 100.0)),
            Sectors => per_match(&|m| match lang {
                Lang::Zh => format!("{} {}", m.sector_no, m.sector),
                Lang::En => format!("{} {}", m.sector_no, m.sector_id),
            }),
            Industries => per_match(&|m| match lang {
                Lang::Zh => m.industry.clone(),
                Lang::En => m.industry_id.clone(),
            }),
            Evidence => per_match(&|m| m.evidence.join(list)),
            LeadUnit => per_match(&|m| m.lead_unit.clone()),
            ResponsibleUnits => per_match(&|m| m.responsible_units.join(list)),
            Carriers => per_match(&|m| m.carriers.join(list)),
            Clause => per_match(&|m| m.clause.clone()),
            CounterEvidence => (!r.counter_evidence.is_empty()).then(|| Cell::Text(r.counter_evidence.join(list))),
            DeclaredIndustry => r.declared_industry.clone().map(Cell::Text),
            DuplicateOf => r.duplicate_of.map(|n| Cell::Number(n as f64)),
            Priority => r.priority.as_ref().map(|p| Cell::Number(f64::from(p.score))),
            Tier => r.priority.as_ref().map(|p| Cell::Text(p.tier.clone())),
            PriorityReasons => r
                .priority
                .as_ref()
                .filter(|p| !p.reasons.is_empty())
                .map(|p| Cell::Text(p.reasons.join(sep))),
            Flags => (!r.flags.is_empty()).then(|| Cell::Text(r.flags.join(", "))),
        }
    }
}

/// The columns of tabular output: the input's, then the results'.
#[derive(Debug, Clone)]
pub struct Layout {
    pub input_headers: Vec<String>,
    pub lang: Lang,
    /// English sector and industry names by id, for `--lang en` (empty: ids are shown).
    pub names_en: std::sync::Arc<EnglishNames>,
}

/// The catalogue's English names (`name_en`) of sectors and industries, by id.
#[derive(Debug, Clone, Default)]
pub struct EnglishNames {
    pub sectors: std::collections::HashMap<String, String>,
    pub industries: std::collections::HashMap<String, String>,
}

impl EnglishNames {
    pub fn of(catalog: &crate::Catalog) -> EnglishNames {
        EnglishNames {
            sectors: catalog
                .sectors
                .iter()
                .map(|s| (s.id.clone(), s.name_en.clone()))
                .collect(),
            industries: catalog
                .industries
                .iter()
                .map(|i| (i.id.clone(), i.name_en.clone()))
                .collect(),
        }
    }
}

impl ResultColumn {
    /// [`ResultColumn::value`] with the layout's language, English names included.
    pub fn value_in(self, r: &LeadResult, layout: &Layout) -> Option<Cell> {
        let names = &layout.names_en;
        let named = |map: &std::collections::HashMap<String, String>, id: &str| map.get(id).cloned();
        match (self, layout.lang) {
            (ResultColumn::Sectors, Lang::En) if !names.sectors.is_empty() => {
                let parts: Vec<String> = r
                    .matches
                    .iter()
                    .map(|m| {
                        format!(
                            "{} {}",
                            m.sector_no,
                            named(&names.sectors, &m.sector_id).unwrap_or_else(|| m.sector_id.clone())
                        )
                    })
                    .collect();
                (!parts.is_empty()).then(|| Cell::Text(parts.join("; ")))
            }
            (ResultColumn::Industries, Lang::En) if !names.industries.is_empty() => {
                let parts: Vec<String> = r
                    .matches
                    .iter()
                    .map(|m| named(&names.industries, &m.industry_id).unwrap_or_else(|| m.industry_id.clone()))
                    .collect();
                (!parts.is_empty()).then(|| Cell::Text(parts.join("; ")))
            }
            _ => self.value(r, layout.lang),
        }
    }
}

impl Layout {
    pub fn headers(&self) -> Vec<String> {
        let mut h = self.input_headers.clone();
        h.extend(ResultColumn::ALL.iter().map(|c| c.header(self.lang).to_string()));
        h
    }

    /// The input cells of a row, padded to the header width, and any cells beyond it (ragged
    /// rows, JSON keys the first object did not have).
    pub fn input_cells(&self, input: &InputFields) -> (Vec<String>, Vec<String>) {
        let n = self.input_headers.len();
        match input {
            InputFields::Cells(cells) => {
                let mut main: Vec<String> = cells.iter().take(n).cloned().collect();
                main.resize(n, String::new());
                (main, cells.iter().skip(n).cloned().collect())
            }
            InputFields::Json(obj) => {
                let mut main = vec![String::new(); n];
                let mut extra = Vec::new();
                for (k, v) in &obj.0 {
                    match self.input_headers.iter().position(|h| h == k) {
                        Some(i) => main[i] = super::read::json_text(v),
                        None => extra.push(format!("{k}={}", super::read::json_text(v))),
                    }
                }
                (main, extra)
            }
            InputFields::Line(l) => {
                let mut main = vec![String::new(); n];
                if let Some(first) = main.first_mut() {
                    first.clone_from(l);
                }
                (main, Vec::new())
            }
            InputFields::None => (vec![String::new(); n], Vec::new()),
        }
    }
}

/// Encodes the UTF-8 a writer produces into GBK or GB18030. Characters cut across two writes
/// are held back until complete.
struct EncodingWriter<W: Write> {
    inner: W,
    encoder: encoding_rs::Encoder,
    pending: Vec<u8>,
    buf: Vec<u8>,
}

impl<W: Write> EncodingWriter<W> {
    fn new(inner: W, encoding: &'static encoding_rs::Encoding) -> Self {
        EncodingWriter {
            inner,
            encoder: encoding.new_encoder(),
            pending: Vec::new(),
            buf: vec![0; 64 * 1024],
        }
    }

    fn encode(&mut self, text: &str, last: bool) -> std::io::Result<()> {
        let mut src = text;
        loop {
            let (res, read, written, _) = self.encoder.encode_from_utf8(src, &mut self.buf, last);
            self.inner.write_all(&self.buf[..written])?;
            src = &src[read..];
            if res == encoding_rs::CoderResult::InputEmpty {
                return Ok(());
            }
        }
    }
}

impl<W: Write> Write for EncodingWriter<W> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(data);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(s) => s.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => {
                let text = String::from_utf8_lossy(&self.pending).into_owned();
                self.pending.clear();
                self.encode(&text, false)?;
                return Ok(data.len());
            }
        };
        let head: Vec<u8> = self.pending.drain(..valid).collect();
        let text = String::from_utf8(head).unwrap_or_default();
        self.encode(&text, false)?;
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Opens a CSV writer with the BOM or encoding asked for.
pub(crate) fn csv_writer(
    out: Box<dyn Write + Send>,
    encoding: OutputEncoding,
) -> std::io::Result<csv::Writer<Box<dyn Write + Send>>> {
    let mut out: Box<dyn Write + Send> = match encoding {
        OutputEncoding::Utf8Bom => out,
        OutputEncoding::Gbk => Box::new(EncodingWriter::new(out, encoding_rs::GBK)),
        OutputEncoding::Gb18030 => Box::new(EncodingWriter::new(out, encoding_rs::GB18030)),
    };
    if encoding == OutputEncoding::Utf8Bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    Ok(csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .buffer_capacity(256 * 1024)
        .from_writer(out))
}

/// A writer of ranked rows in one of the output formats.
pub enum Sink {
    Jsonl(BufWriter<Box<dyn Write + Send>>),
    Csv {
        out: Box<csv::Writer<Box<dyn Write + Send>>>,
        layout: Layout,
    },
    Xlsx(Box<XlsxSink>),
}

/// Where a file output is written until it is complete (then renamed into place).
pub fn partial_path(p: &Path) -> PathBuf {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    p.with_file_name(format!(".{name}.partial"))
}

fn open_out(output: &Output) -> Result<Box<dyn Write + Send>> {
    match output {
        Output::Path(p) => {
            let tmp = partial_path(p);
            let f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
            Ok(Box::new(f))
        }
        Output::Stdout => Ok(Box::new(std::io::stdout())),
    }
}

impl Sink {
    /// Opens the output. File outputs are written beside the target and renamed by
    /// [`Sink::finish`], so a failed run never leaves a half-written file under the target name.
    pub fn open(output: &Output, format: OutputFormat, encoding: OutputEncoding, layout: Layout) -> Result<Sink> {
        let io = |e| Error::io(PathBuf::from(output.display()), e);
        match format {
            OutputFormat::Jsonl => Ok(Sink::Jsonl(BufWriter::with_capacity(256 * 1024, open_out(output)?))),
            OutputFormat::Csv => {
                let mut out = csv_writer(open_out(output)?, encoding).map_err(io)?;
                out.write_record(layout.headers()).map_err(|e| csv_io(output, e))?;
                Ok(Sink::Csv {
                    out: Box::new(out),
                    layout,
                })
            }
            OutputFormat::Xlsx => Ok(Sink::Xlsx(Box::new(XlsxSink::new(output, layout)?))),
        }
    }

    /// Looks at the first rows (to size XLSX columns) before any is written.
    pub fn begin(&mut self, sample: &[RankedRow]) -> Result<()> {
        if let Sink::Xlsx(x) = self {
            x.size_columns(sample)?;
        }
        Ok(())
    }

    /// Whether cells must be cut to fit a spreadsheet cell.
    pub fn cell_limit(&self) -> Option<usize> {
        matches!(self, Sink::Xlsx(_)).then_some(XLSX_CELL_CHARS)
    }

    /// Writes one ranked row (rejected rows go to the rejects file instead).
    pub fn write(&mut self, row: &mut RankedRow, output: &Output) -> Result<()> {
        let limit = self.cell_limit();
        let super::Outcome::Ranked { result, .. } = &mut row.outcome else {
            return Ok(());
        };
        match self {
            Sink::Jsonl(w) => {
                let written = match (&row.rendered, result.duplicate_of) {
                    (Some(r), None) => w.write_all(&r.bytes),
                    (Some(r), Some(first)) => LeadResult::splice_duplicate_of(&r.bytes, r.duplicate_at, first, w),
                    (None, _) => {
                        let mut bytes = Vec::with_capacity(2048);
                        result.write_json(&mut bytes);
                        w.write_all(&bytes)
                    }
                };
                written.map_err(|e| Error::io(PathBuf::from(output.display()), e))?;
                w.write_all(b"\n")
                    .map_err(|e| Error::io(PathBuf::from(output.display()), e))
            }
            Sink::Csv { out, layout } => {
                let (main, extra) = layout.input_cells(&row.input);
                let mut rec: Vec<Cow<str>> = Vec::with_capacity(main.len() + 16);
                rec.extend(main.iter().map(|c| neutralise(c)));
                let results: Vec<String> = ResultColumn::ALL
                    .iter()
                    .map(|c| {
                        c.value_in(result, layout)
                            .map(|v| v.as_text().into_owned())
                            .unwrap_or_default()
                    })
                    .collect();
                rec.extend(results.iter().map(|c| neutralise(c)));
                rec.extend(extra.iter().map(|c| neutralise(c)));
                out.write_record(rec.iter().map(|c| c.as_bytes()))
                    .map_err(|e| csv_io(output, e))
            }
            Sink::Xlsx(x) => {
                let (mut main, mut extra) = x.layout.input_cells(&row.input);
                let mut cut = false;
                if let Some(max) = limit {
                    for c in main.iter_mut().chain(extra.iter_mut()) {
                        cut |= truncate_chars(c, max);
                    }
                }
                if cut && !result.flags.iter().any(|f| f == "truncated") {
                    result.flags.push("truncated".to_string());
                }
                x.write_row(&main, result, &extra)
            }
        }
    }

    /// Flushes and closes the output, moving a file output into place.
    pub fn finish(self, output: &Output) -> Result<()> {
        let io = |e| Error::io(PathBuf::from(output.display()), e);
        match self {
            Sink::Jsonl(mut w) => w.flush().map_err(io)?,
            Sink::Csv { mut out, .. } => out.flush().map_err(io)?,
            Sink::Xlsx(x) => return x.finish(output),
        }
        if let Output::Path(p) = output {
            std::fs::rename(partial_path(p), p).map_err(|e| Error::io(p, e))?;
        }
        Ok(())
    }

    /// Removes a partial file output after a failure.
    pub fn abandon(output: &Output) {
        if let Output::Path(p) = output {
            let _ = std::fs::remove_file(partial_path(p));
        }
    }
}

fn csv_io(output: &Output, e: csv::Error) -> Error {
    let path = PathBuf::from(output.display());
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(path, io),
        other => Error::Input(format!("无法写入 cannot write {}: {other:?}", path.display())),
    }
}

/// The display width of a text (CJK counts double), capped.
fn display_width(s: &str) -> usize {
    s.chars()
        .take(200)
        .map(|c| if is_cjk(c) || c > '\u{2E80}' { 2 } else { 1 })
        .sum()
}

/// Whether a pass-through cell is better written as an XLSX number: plain decimals that print
/// back the same (no leading zeros, not a long code that Excel would round).
fn as_number(s: &str) -> Option<f64> {
    if s.is_empty() || s.len() > 15 || s.starts_with('+') {
        return None;
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.") {
        return None;
    }
    if !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let n: f64 = s.parse().ok()?;
    (n.is_finite() && n.to_string() == s).then_some(n)
}

/// XLSX output, written row by row in constant memory.
pub struct XlsxSink {
    book: Workbook,
    layout: Layout,
    sheet: usize,
    /// The next row to write in the current sheet.
    next_row: u32,
    header: Format,
    quoted: Format,
    fit: Format,
    widths: Vec<f64>,
    path_shown: String,
}

impl XlsxSink {
    fn new(output: &Output, layout: Layout) -> Result<XlsxSink> {
        let mut x = XlsxSink {
            book: Workbook::new(),
            layout,
            sheet: 0,
            next_row: 0,
            header: Format::new()
                .set_bold()
                .set_background_color(rust_xlsxwriter::Color::RGB(0xDDEBF7)),
            quoted: Format::new().set_quote_prefix(),
            fit: Format::new().set_num_format("0.00"),
            widths: Vec::new(),
            path_shown: output.display(),
        };
        if let Output::Path(p) = output {
            // Fail early (before ranking) when the output cannot be created.
            std::fs::File::create(partial_path(p)).map_err(|e| Error::io(partial_path(p), e))?;
        }
        x.new_sheet()?;
        Ok(x)
    }

    fn err(&self, e: rust_xlsxwriter::XlsxError) -> Error {
        Error::Spreadsheet {
            path: self.path_shown.clone(),
            message: e.to_string(),
        }
    }

    fn ws(&mut self) -> Result<&mut Worksheet> {
        let i = self.sheet;
        let path = self.path_shown.clone();
        self.book.worksheet_from_index(i).map_err(|e| Error::Spreadsheet {
            path,
            message: e.to_string(),
        })
    }

    /// Adds a sheet (the first, or the next once one is full) and writes its header.
    fn new_sheet(&mut self) -> Result<()> {
        let n = self.book.worksheets().len();
        let name = match (self.layout.lang, n) {
            (Lang::Zh, 0) => "排名".to_string(),
            (Lang::En, 0) => "Ranked".to_string(),
            (Lang::Zh, k) => format!("排名{}", k + 1),
            (Lang::En, k) => format!("Ranked {}", k + 1),
        };
        let path = self.path_shown.clone();
        let sheet_err = |e: rust_xlsxwriter::XlsxError| Error::Spreadsheet {
            path: path.clone(),
            message: e.to_string(),
        };
        let ws = self.book.add_worksheet_with_constant_memory().map_err(sheet_err)?;
        ws.set_name(&name).map_err(sheet_err)?;
        ws.set_freeze_panes(1, 0).map_err(sheet_err)?;
        self.sheet = n;
        let headers = self.layout.headers();
        let fmt = self.header.clone();
        let widths = self.widths.clone();
        let ws = self.ws()?;
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w).map(|_| ()).ok();
        }
        for (c, h) in headers.iter().enumerate() {
            if let Err(e) = ws.write_string_with_format(0, c as u16, h, &fmt) {
                return Err(self.err(e));
            }
        }
        self.next_row = 1;
        Ok(())
    }

    fn size_columns(&mut self, sample: &[RankedRow]) -> Result<()> {
        let n = self.layout.input_headers.len();
        let mut widths: Vec<usize> = self.layout.input_headers.iter().map(|h| display_width(h) + 2).collect();
        for r in sample.iter().take(200) {
            let (main, _) = self.layout.input_cells(&r.input);
            for (w, c) in widths.iter_mut().zip(&main) {
                *w = (*w).max(display_width(c) + 1);
            }
        }
        self.widths = widths
            .into_iter()
            .map(|w| w.clamp(6, 50) as f64)
            .chain(ResultColumn::ALL.iter().map(|c| c.width()))
            .collect();
        let widths = self.widths.clone();
        let ws = self.ws()?;
        for (c, w) in widths.iter().enumerate() {
            if c >= n + ResultColumn::ALL.len() {
                break;
            }
            ws.set_column_width(c as u16, *w).map(|_| ()).ok();
        }
        Ok(())
    }

    fn write_text(&mut self, row: u32, col: u16, s: &str) -> Result<()> {
        if s.is_empty() {
            return Ok(());
        }
        let quoted = self.quoted.clone();
        let needs_quote = is_formula_like(s);
        let number = if needs_quote { None } else { as_number(s) };
        let ws = self.ws()?;
        let res = if needs_quote {
            ws.write_string_with_format(row, col, s, &quoted).map(|_| ())
        } else if let Some(n) = number {
            ws.write_number(row, col, n).map(|_| ())
        } else {
            ws.write_string(row, col, s).map(|_| ())
        };
        res.map_err(|e| self.err(e))
    }

    fn write_row(&mut self, main: &[String], result: &LeadResult, extra: &[String]) -> Result<()> {
        if self.next_row >= XLSX_MAX_ROWS {
            self.new_sheet()?;
        }
        let row = self.next_row;
        let mut col: u16 = 0;
        for c in main {
            self.write_text(row, col, c)?;
            col = col.saturating_add(1);
        }
        let fit_fmt = self.fit.clone();
        for rc in ResultColumn::ALL {
            match rc.value_in(result, &self.layout) {
                Some(Cell::Number(n)) => {
                    let ws = self.ws()?;
                    let res = if rc == ResultColumn::Fit {
                        ws.write_number_with_format(row, col, n, &fit_fmt).map(|_| ())
                    } else {
                        ws.write_number(row, col, n).map(|_| ())
                    };
                    res.map_err(|e| self.err(e))?;
                }
                Some(Cell::Text(s)) => {
                    let mut s = s;
                    truncate_chars(&mut s, XLSX_CELL_CHARS);
                    self.write_text(row, col, &s)?;
                }
                None => {}
            }
            col = col.saturating_add(1);
        }
        for c in extra {
            if col >= 16_383 {
                break;
            }
            self.write_text(row, col, c)?;
            col += 1;
        }
        self.next_row += 1;
        Ok(())
    }

    fn finish(mut self, output: &Output) -> Result<()> {
        let last_col = (self.layout.input_headers.len() + ResultColumn::ALL.len()) as u16 - 1;
        for i in 0..self.book.worksheets().len() {
            let rows = if i == self.sheet { self.next_row } else { XLSX_MAX_ROWS };
            self.sheet = i;
            let ws = self.ws()?;
            let res = ws.autofilter(0, 0, rows.saturating_sub(1).max(1), last_col).map(|_| ());
            res.map_err(|e| self.err(e))?;
        }
        match output {
            Output::Path(p) => {
                let tmp = partial_path(p);
                self.book.save(&tmp).map_err(|e| self.err(e))?;
                std::fs::rename(&tmp, p).map_err(|e| Error::io(p, e))
            }
            Output::Stdout => {
                let buf = self.book.save_to_buffer().map_err(|e| self.err(e))?;
                let mut out = std::io::stdout().lock();
                out.write_all(&buf)
                    .and_then(|_| out.flush())
                    .map_err(|e| Error::io("<stdout>", e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_triggers_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+86云呼科技"), "'+86云呼科技");
        assert_eq!(neutralise("-1层"), "'-1层");
        assert_eq!(neutralise("@张三"), "'@张三");
        assert_eq!(neutralise("\t=1"), "'\t=1");
        assert_eq!(neutralise("-12.5"), "-12.5");
        assert_eq!(neutralise("温州"), "温州");
        assert_eq!(neutralise(""), "");
        assert!(is_formula_like("-"));
    }

    #[test]
    fn numbers_for_xlsx_keep_codes_as_text() {
        assert_eq!(as_number("120"), Some(120.0));
        assert_eq!(as_number("12.5"), Some(12.5));
        assert_eq!(as_number("0577"), None);
        assert_eq!(as_number("913303040870952837"), None);
        assert_eq!(as_number("1e5"), None);
        assert_eq!(as_number("5000万元"), None);
    }

    #[test]
    fn gbk_writer_handles_characters_split_across_writes() {
        let mut out = Vec::new();
        {
            let mut w = EncodingWriter::new(&mut out, encoding_rs::GBK);
            let text = "温州瓯海,鞋业".as_bytes();
            w.write_all(&text[..4]).unwrap();
            w.write_all(&text[4..]).unwrap();
        }
        let (back, _, bad) = encoding_rs::GBK.decode(&out);
        assert!(!bad);
        assert_eq!(back, "温州瓯海,鞋业");
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        let mut s = "温州鞋业".to_string();
        assert!(truncate_chars(&mut s, 2));
        assert_eq!(s, "温州");
        assert!(!truncate_chars(&mut s, 5));
        // More bytes than the limit but not more characters: kept whole.
        let mut s = "温州鞋业".to_string();
        assert!(!truncate_chars(&mut s, 4));
        assert_eq!(s, "温州鞋业");
        let mut s = "abcd".to_string();
        assert!(!truncate_chars(&mut s, 4));
        assert!(truncate_chars(&mut s, 3));
        assert_eq!(s, "abc");
    }
}
