//! Writing ranked lists: JSONL (the result objects), CSV (UTF-8 with BOM, or GBK/GB18030) and
//! XLSX (frozen header, filter, sensible widths; sheets 名单 List, 排名 Ranked best first and 汇总
//! Summary; the engine in the document properties). Tabular outputs keep every input column and
//! append the result columns; cells that a spreadsheet could run as a formula are neutralised.
//! Rows judged `none` have no matches, so their sector, industry, lead unit, carriers and clause
//! cells stay empty: they are routed nowhere. `--sort priority|fit` holds the rows back in a
//! temporary file ([`Spool`]) with only their sort keys in memory, and writes them at the end.

use super::files::AtomicFile;
use super::{InputFields, RankedRow};
use crate::error::{Error, Result};
use crate::lead::EngineInfo;
use crate::lead::LeadResult;
use crate::text::is_cjk;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::borrow::Cow;
use std::collections::BTreeMap;
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
    /// GBK, for older tools on Chinese Windows; characters GBK lacks are written as GB18030 and
    /// their rows named in the summary.
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
    /// 来源 origin: local (培育) or elsewhere (招引).
    Origin,
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
    pub const ALL: [ResultColumn; 18] = [
        ResultColumn::Row,
        ResultColumn::Verdict,
        ResultColumn::Fit,
        ResultColumn::Priority,
        ResultColumn::Tier,
        ResultColumn::Origin,
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
            (Origin, Lang::Zh) => "来源",
            (Origin, Lang::En) => "origin",
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
            Origin => 12.0,
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
            Clause => per_match(&|m| match lang {
                Lang::Zh => m.clause.clone(),
                Lang::En => crate::lead::clause_en(&m.clause),
            }),
            CounterEvidence => (!r.counter_evidence.is_empty()).then(|| Cell::Text(r.counter_evidence.join(list))),
            DeclaredIndustry => r.declared_industry.clone().map(Cell::Text),
            DuplicateOf => r.duplicate_of.map(|n| Cell::Number(n as f64)),
            Priority => r.priority.as_ref().map(|p| Cell::Number(f64::from(p.score))),
            Tier => r.priority.as_ref().map(|p| Cell::Text(p.tier.clone())),
            Origin => r.origin.map(|o| {
                Cell::Text(
                    match lang {
                        Lang::Zh => o.label_zh(),
                        Lang::En => o.as_str(),
                    }
                    .to_string(),
                )
            }),
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
    /// The input headers written (those of an earlier run's results left out).
    pub input_headers: Vec<String>,
    pub lang: Lang,
    /// The engine that ranked the list, for the XLSX document properties and summary sheet.
    pub engine: Option<EngineInfo>,
    /// Positions of the written input columns in the input, when some are left out.
    keep: Option<Vec<usize>>,
    /// Width of the input rows.
    source_width: usize,
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

/// Input columns named like this many result columns (either language) mark a ranked file.
const RANKED_FILE_MIN_COLUMNS: usize = 4;

impl Layout {
    /// The layout for an input with these headers. The result columns of an earlier run (a
    /// ranked file ranked again) are dropped from the input's, so the output has one set.
    pub fn new(input_headers: Vec<String>, lang: Lang, engine: Option<EngineInfo>) -> Layout {
        let is_result = |h: &str| {
            let h = h.trim();
            ResultColumn::ALL
                .iter()
                .any(|c| c.header(Lang::Zh) == h || c.header(Lang::En).eq_ignore_ascii_case(h))
        };
        let results = input_headers.iter().filter(|h| is_result(h)).count();
        let source_width = input_headers.len();
        if results < RANKED_FILE_MIN_COLUMNS {
            return Layout {
                input_headers,
                lang,
                engine,
                keep: None,
                source_width,
                names_en: Default::default(),
            };
        }
        let keep: Vec<usize> = (0..source_width).filter(|&i| !is_result(&input_headers[i])).collect();
        Layout {
            input_headers: keep.iter().map(|&i| input_headers[i].clone()).collect(),
            lang,
            engine,
            keep: Some(keep),
            source_width,
            names_en: Default::default(),
        }
    }

    /// How many input columns are left out as an earlier run's results.
    pub fn replaced_columns(&self) -> usize {
        self.source_width - self.input_headers.len()
    }

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
            InputFields::Cells(cells) => match &self.keep {
                None => {
                    let mut main: Vec<String> = cells.iter().take(n).cloned().collect();
                    main.resize(n, String::new());
                    (main, cells.iter().skip(n).cloned().collect())
                }
                Some(keep) => {
                    let main = keep
                        .iter()
                        .map(|&i| cells.get(i).cloned().unwrap_or_default())
                        .collect();
                    (main, cells.iter().skip(self.source_width).cloned().collect())
                }
            },
            InputFields::Json(obj) => {
                let mut main = vec![String::new(); n];
                let mut extra = Vec::new();
                for (k, v) in &obj.0 {
                    match self.input_headers.iter().position(|h| h == k) {
                        Some(i) => main[i] = super::read::json_text(v),
                        None if self.keep.is_some() && ResultColumn::ALL.iter().any(|c| c.header(self.lang) == k) => {}
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
        // GB18030 encodes every GBK character as GBK does (€ aside) and the rest in four bytes,
        // where the GBK encoder would write `&#NNNN;`; the rows concerned are named.
        OutputEncoding::Gbk => Box::new(EncodingWriter::new(out, encoding_rs::GB18030)),
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

/// The order of the rows in the output (`--sort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Input order (the default for CSV and JSONL, as interface.md promises).
    #[default]
    Input,
    /// Best leads first: tier A before D, then priority score, fit and row.
    Priority,
    /// Highest fit first, then tier, priority score and row.
    Fit,
}

impl SortOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Input => "input",
            SortOrder::Priority => "priority",
            SortOrder::Fit => "fit",
        }
    }
}

/// What a row sorts by, kept in memory for every row of a sorted output (32 bytes a row).
#[derive(Debug, Clone, Copy)]
struct RowKey {
    tier: u8,
    score: u8,
    /// Fit in millionths.
    fit: u32,
    row: u64,
    /// Where the row's record starts in the spool, and its length.
    at: u64,
    len: u32,
}

impl RowKey {
    fn of(r: &LeadResult, row: u64, at: u64, len: u32) -> RowKey {
        let (tier, score) = r.priority.as_ref().map_or((3, 0), |p| {
            let t = match p.tier.as_str() {
                "A" => 0,
                "B" => 1,
                "C" => 2,
                _ => 3,
            };
            (t, p.score)
        });
        RowKey {
            tier,
            score,
            fit: (f64::from(r.fit).clamp(0.0, 1.0) * 1e6).round() as u32,
            row,
            at,
            len,
        }
    }

    fn cmp(&self, other: &RowKey, order: SortOrder) -> std::cmp::Ordering {
        let by_priority = |a: &RowKey, b: &RowKey| {
            a.tier
                .cmp(&b.tier)
                .then(b.score.cmp(&a.score))
                .then(b.fit.cmp(&a.fit))
                .then(a.row.cmp(&b.row))
        };
        match order {
            SortOrder::Input => self.row.cmp(&other.row),
            SortOrder::Priority => by_priority(self, other),
            SortOrder::Fit => other.fit.cmp(&self.fit).then_with(|| by_priority(self, other)),
        }
    }
}

/// Rows held back for a sorted output: their records in an anonymous temporary file (removed
/// by the system whatever happens), their sort keys in memory.
struct Spool {
    file: BufWriter<std::fs::File>,
    at: u64,
    keys: Vec<RowKey>,
    path_shown: String,
}

impl Spool {
    fn new(path_shown: &str) -> Result<Spool> {
        let f = tempfile::tempfile().map_err(|e| Error::io("<temporary file>", e))?;
        Ok(Spool {
            file: BufWriter::with_capacity(256 * 1024, f),
            at: 0,
            keys: Vec::new(),
            path_shown: path_shown.to_string(),
        })
    }

    fn push(&mut self, r: &LeadResult, row: u64, record: &[u8]) -> Result<()> {
        let len = u32::try_from(record.len())
            .map_err(|_| Error::Input(format!("row {row}: a record over 4 GB cannot be sorted")))?;
        self.file
            .write_all(record)
            .map_err(|e| Error::io("<temporary file>", e))?;
        self.keys.push(RowKey::of(r, row, self.at, len));
        self.at += u64::from(len);
        Ok(())
    }

    /// Calls `each` with every record, in `order`.
    fn replay(&mut self, order: SortOrder, each: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        let tmp_err = |e| Error::io("<temporary file>", e);
        self.file.flush().map_err(tmp_err)?;
        self.keys.sort_by(|a, b| a.cmp(b, order));
        let f = self.file.get_mut();
        let mut buf = Vec::new();
        for k in &self.keys {
            buf.resize(k.len as usize, 0);
            f.seek(SeekFrom::Start(k.at)).map_err(tmp_err)?;
            f.read_exact(&mut buf).map_err(tmp_err)?;
            each(&buf).map_err(|e| match e {
                Error::Io { source, .. } => Error::io(self.path_shown.clone(), source),
                other => other,
            })?;
        }
        f.seek(SeekFrom::End(0)).map_err(tmp_err)?;
        Ok(())
    }
}

/// The destination of a text output: a file written atomically, or stdout.
fn open_out(output: &Output) -> Result<(Box<dyn Write + Send>, Option<AtomicFile>)> {
    match output {
        Output::Path(p) => {
            let file = AtomicFile::create(p)?;
            let handle = file.handle()?;
            Ok((Box::new(handle), Some(file)))
        }
        Output::Stdout => Ok((Box::new(std::io::stdout()), None)),
    }
}

/// Rows of GBK output that hold characters GBK lacks; they are written in GB18030 (a superset
/// Excel and WPS on Chinese Windows read), never as `&#NNNN;`, and the summary names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BeyondGbk {
    /// How many rows.
    pub rows: u64,
    /// The first few row numbers.
    pub first_rows: Vec<u64>,
    /// The first few such characters.
    pub chars: Vec<char>,
}

impl BeyondGbk {
    /// Notes a row if one of its cells has a character GBK cannot encode.
    fn observe<'a>(&mut self, row: u64, cells: impl IntoIterator<Item = &'a str>) {
        let mut found = false;
        for cell in cells {
            if cell.is_ascii() {
                continue;
            }
            for c in cell.chars().filter(|c| !c.is_ascii()) {
                let mut buf = [0u8; 4];
                let (_, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
                if unmappable {
                    found = true;
                    if self.chars.len() < 5 && !self.chars.contains(&c) {
                        self.chars.push(c);
                    }
                }
            }
        }
        if found {
            self.rows += 1;
            if self.first_rows.len() < 10 {
                self.first_rows.push(row);
            }
        }
    }
}

enum Writer {
    Jsonl(BufWriter<Box<dyn Write + Send>>),
    Csv(Box<csv::Writer<Box<dyn Write + Send>>>),
    Xlsx(Box<XlsxSink>),
}

/// A writer of ranked rows in one of the output formats. File outputs are written to a
/// temporary file beside the target and renamed by [`Sink::finish`], so a failed run never
/// leaves a half-written file under the target name, nor a temporary one.
pub struct Sink {
    writer: Writer,
    layout: Layout,
    sort: SortOrder,
    /// Rows held back until the end (`--sort priority|fit` for CSV and JSONL).
    spool: Option<Spool>,
    file: Option<AtomicFile>,
    /// GBK output: the rows holding characters GBK lacks (㒲, 𠮷), written as GB18030.
    beyond_gbk: Option<BeyondGbk>,
}

impl Sink {
    /// Opens the output.
    pub fn open(
        output: &Output,
        format: OutputFormat,
        encoding: OutputEncoding,
        layout: Layout,
        sort: SortOrder,
    ) -> Result<Sink> {
        let io = |e| Error::io(PathBuf::from(output.display()), e);
        let spool = match (format, sort) {
            (OutputFormat::Xlsx, _) | (_, SortOrder::Input) => None,
            _ => Some(Spool::new(&output.display())?),
        };
        let (writer, file) = match format {
            OutputFormat::Jsonl => {
                let (out, file) = open_out(output)?;
                (Writer::Jsonl(BufWriter::with_capacity(256 * 1024, out)), file)
            }
            OutputFormat::Csv => {
                let (out, file) = open_out(output)?;
                let mut out = csv_writer(out, encoding).map_err(io)?;
                out.write_record(layout.headers()).map_err(|e| csv_io(output, e))?;
                (Writer::Csv(Box::new(out)), file)
            }
            OutputFormat::Xlsx => {
                // Fail early (before ranking) when the output cannot be created.
                let file = match output {
                    Output::Path(p) => Some(AtomicFile::create(p)?),
                    Output::Stdout => None,
                };
                (
                    Writer::Xlsx(Box::new(XlsxSink::new(output, layout.clone(), sort)?)),
                    file,
                )
            }
        };
        Ok(Sink {
            writer,
            layout,
            sort,
            spool,
            file,
            beyond_gbk: (format == OutputFormat::Csv && encoding == OutputEncoding::Gbk).then(BeyondGbk::default),
        })
    }

    /// Looks at the first rows (to size XLSX columns) before any is written.
    pub fn begin(&mut self, sample: &[RankedRow]) -> Result<()> {
        if let Writer::Xlsx(x) = &mut self.writer {
            x.size_columns(sample)?;
        }
        Ok(())
    }

    /// Whether cells must be cut to fit a spreadsheet cell.
    pub fn cell_limit(&self) -> Option<usize> {
        matches!(self.writer, Writer::Xlsx(_)).then_some(XLSX_CELL_CHARS)
    }

    /// Writes one ranked row (rejected rows go to the rejects file instead).
    pub fn write(&mut self, row: &mut RankedRow, output: &Output) -> Result<()> {
        let limit = self.cell_limit();
        let super::Outcome::Ranked { result, .. } = &mut row.outcome else {
            return Ok(());
        };
        let io = |e| Error::io(PathBuf::from(output.display()), e);
        match &mut self.writer {
            Writer::Jsonl(w) => {
                let mut line = Vec::new();
                let target: &mut dyn Write = match self.spool {
                    Some(_) => &mut line,
                    None => w,
                };
                match (&row.rendered, result.duplicate_of) {
                    (Some(r), None) => target.write_all(&r.bytes),
                    (Some(r), Some(first)) => LeadResult::splice_duplicate_of(&r.bytes, r.duplicate_at, first, target),
                    (None, _) => {
                        let mut bytes = Vec::with_capacity(2048);
                        result.write_json(&mut bytes);
                        target.write_all(&bytes)
                    }
                }
                .map_err(io)?;
                target.write_all(b"\n").map_err(io)?;
                if let Some(s) = &mut self.spool {
                    s.push(result, row.row, &line)?;
                }
                Ok(())
            }
            Writer::Csv(out) => {
                let (main, extra) = self.layout.input_cells(&row.input);
                let mut rec: Vec<String> = Vec::with_capacity(main.len() + 20);
                rec.extend(main.iter().map(|c| neutralise(c).into_owned()));
                for c in ResultColumn::ALL {
                    let v = c
                        .value_in(result, &self.layout)
                        .map(|v| v.as_text().into_owned())
                        .unwrap_or_default();
                    rec.push(neutralise(&v).into_owned());
                }
                rec.extend(extra.iter().map(|c| neutralise(c).into_owned()));
                if let Some(b) = &mut self.beyond_gbk {
                    b.observe(row.row, rec.iter().map(|c| c.as_str()));
                }
                match &mut self.spool {
                    Some(s) => {
                        let bytes = serde_json::to_vec(&rec).map_err(|e| Error::Input(e.to_string()))?;
                        s.push(result, row.row, &bytes)
                    }
                    None => out
                        .write_record(rec.iter().map(|c| c.as_bytes()))
                        .map_err(|e| csv_io(output, e)),
                }
            }
            Writer::Xlsx(x) => {
                let (mut main, mut extra) = self.layout.input_cells(&row.input);
                let mut cut = false;
                if let Some(max) = limit {
                    for c in main.iter_mut().chain(extra.iter_mut()) {
                        cut |= truncate_chars(c, max);
                    }
                }
                if cut && !result.flags.iter().any(|f| f == "truncated") {
                    result.flags.push("truncated".to_string());
                }
                x.write_row(row.row, &main, result, &extra)
            }
        }
    }

    /// GBK output: the rows written with characters GBK lacks (as GB18030).
    pub fn beyond_gbk(&self) -> Option<&BeyondGbk> {
        self.beyond_gbk.as_ref().filter(|b| b.rows > 0)
    }

    /// Writes held-back rows, flushes and closes the output, moving a file output into place.
    pub fn finish(self, output: &Output) -> Result<()> {
        let io = |e| Error::io(PathBuf::from(output.display()), e);
        let Sink {
            writer,
            sort,
            mut spool,
            file,
            ..
        } = self;
        match writer {
            Writer::Jsonl(mut w) => {
                if let Some(s) = &mut spool {
                    s.replay(sort, &mut |line| w.write_all(line).map_err(io))?;
                }
                w.flush().map_err(io)?;
            }
            Writer::Csv(mut out) => {
                if let Some(s) = &mut spool {
                    s.replay(sort, &mut |bytes| {
                        let rec: Vec<String> =
                            serde_json::from_slice(bytes).map_err(|e| Error::Input(e.to_string()))?;
                        out.write_record(rec.iter().map(|c| c.as_bytes()))
                            .map_err(|e| csv_io(output, e))
                    })?;
                }
                out.flush().map_err(io)?;
            }
            Writer::Xlsx(x) => {
                let mut file = file;
                x.finish(file.as_mut().map(AtomicFile::file))?;
                return match file {
                    Some(f) => f.commit(),
                    None => Ok(()),
                };
            }
        }
        match file {
            Some(f) => f.commit(),
            None => Ok(()),
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

/// Counts for the 汇总 Summary sheet, by sector, tier, lead unit, verdict and origin.
#[derive(Debug, Default)]
struct Counts {
    rows: u64,
    sectors: BTreeMap<(u32, String), u64>,
    tiers: BTreeMap<String, u64>,
    units: BTreeMap<String, u64>,
    verdicts: BTreeMap<(u8, String), u64>,
    origins: BTreeMap<String, u64>,
}

impl Counts {
    fn add(&mut self, r: &LeadResult, lang: Lang) {
        self.rows += 1;
        let best = r.matches.first();
        let sector = match (best, lang) {
            (Some(m), Lang::Zh) => (m.sector_no, m.sector.clone()),
            (Some(m), Lang::En) => (m.sector_no, m.sector_id.clone()),
            (None, Lang::Zh) => (u32::MAX, "不匹配".to_string()),
            (None, Lang::En) => (u32::MAX, "no fit".to_string()),
        };
        *self.sectors.entry(sector).or_default() += 1;
        let tier = r.priority.as_ref().map_or_else(|| "D".to_string(), |p| p.tier.clone());
        *self.tiers.entry(tier).or_default() += 1;
        let unit = match (best, lang) {
            (Some(m), _) => m.lead_unit.clone(),
            (None, Lang::Zh) => "（未分派）".to_string(),
            (None, Lang::En) => "(not routed)".to_string(),
        };
        *self.units.entry(unit).or_default() += 1;
        let order = match r.verdict {
            crate::Verdict::Target => 0,
            crate::Verdict::Possible => 1,
            crate::Verdict::None => 2,
        };
        let verdict = match lang {
            Lang::Zh => r.verdict.label_zh().to_string(),
            Lang::En => r.verdict.as_str().to_string(),
        };
        *self.verdicts.entry((order, verdict)).or_default() += 1;
        if let Some(o) = r.origin {
            let label = match lang {
                Lang::Zh => o.label_zh(),
                Lang::En => o.as_str(),
            };
            *self.origins.entry(label.to_string()).or_default() += 1;
        }
    }
}

/// XLSX output, written row by row in constant memory: sheet 名单 (List) in the `--sort` order
/// (input order by default), sheet 排名 (Ranked) with the rows best first, sheet 汇总 (Summary)
/// with the counts by sector, tier, lead unit, verdict and origin and the engine that made it.
/// Every row also goes to a spool (a temporary file) from which the sorted sheets are written at
/// the end; only sort keys stay in memory.
pub struct XlsxSink {
    book: Workbook,
    layout: Layout,
    sort: SortOrder,
    sheet: usize,
    /// The name of the sheet being written and how many parts it has (a sheet holds at most
    /// [`XLSX_MAX_ROWS`] rows; more go to 名单2, 名单3 …).
    base: &'static str,
    part: u32,
    /// The next row to write in the current sheet.
    next_row: u32,
    /// Sheets to give a filter at the end: (index, rows).
    filters: Vec<(usize, u32)>,
    header: Format,
    quoted: Format,
    fit: Format,
    widths: Vec<f64>,
    path_shown: String,
    spool: Spool,
    counts: Counts,
}

impl XlsxSink {
    fn new(output: &Output, layout: Layout, sort: SortOrder) -> Result<XlsxSink> {
        let mut x = XlsxSink {
            book: Workbook::new(),
            sort,
            base: "",
            part: 0,
            sheet: 0,
            next_row: 0,
            filters: Vec::new(),
            header: Format::new()
                .set_bold()
                .set_background_color(rust_xlsxwriter::Color::RGB(0xDDEBF7)),
            quoted: Format::new().set_quote_prefix(),
            fit: Format::new().set_num_format("0.00"),
            widths: Vec::new(),
            path_shown: output.display(),
            spool: Spool::new(&output.display())?,
            counts: Counts::default(),
            layout,
        };
        if sort == SortOrder::Input {
            x.start_sheet(x.sheet_name(0))?;
        }
        Ok(x)
    }

    /// The names of the three sheets: 名单 List, 排名 Ranked, 汇总 Summary.
    fn sheet_name(&self, which: usize) -> &'static str {
        match (self.layout.lang, which) {
            (Lang::Zh, 0) => "名单",
            (Lang::En, 0) => "List",
            (Lang::Zh, 1) => "排名",
            (Lang::En, 1) => "Ranked",
            (Lang::Zh, _) => "汇总",
            (Lang::En, _) => "Summary",
        }
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

    /// Starts a list sheet named `base`: closes the current one (its filter is set at the end).
    fn start_sheet(&mut self, base: &'static str) -> Result<()> {
        self.close_sheet();
        self.base = base;
        self.part = 0;
        self.add_part()
    }

    fn close_sheet(&mut self) {
        if !self.base.is_empty() && self.next_row > 0 {
            self.filters.push((self.sheet, self.next_row));
        }
    }

    /// Adds a part of the current list sheet (the first, or the next once one is full) and
    /// writes its header.
    fn add_part(&mut self) -> Result<()> {
        if self.part > 0 {
            self.close_sheet();
        }
        self.part += 1;
        let name = if self.part == 1 {
            self.base.to_string()
        } else {
            format!("{}{}", self.base, self.part)
        };
        let n = self.book.worksheets().len();
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
        if self.base.is_empty() {
            return Ok(());
        }
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

    /// One output row as cells: the input's, the results', then any extra input cells.
    fn cells(&self, main: &[String], result: &LeadResult, extra: &[String]) -> Vec<serde_json::Value> {
        use serde_json::Value;
        let mut cells: Vec<Value> = main.iter().map(|c| Value::String(c.clone())).collect();
        for rc in ResultColumn::ALL {
            cells.push(match rc.value_in(result, &self.layout) {
                Some(Cell::Number(n)) => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
                Some(Cell::Text(mut s)) => {
                    truncate_chars(&mut s, XLSX_CELL_CHARS);
                    Value::String(s)
                }
                None => Value::Null,
            });
        }
        cells.extend(extra.iter().map(|c| Value::String(c.clone())));
        cells
    }

    /// Writes one row of cells to the current list sheet.
    fn put_row(&mut self, cells: &[serde_json::Value]) -> Result<()> {
        use serde_json::Value;
        if self.next_row >= XLSX_MAX_ROWS {
            self.add_part()?;
        }
        let row = self.next_row;
        let fit_col = self.layout.input_headers.len()
            + ResultColumn::ALL
                .iter()
                .position(|c| *c == ResultColumn::Fit)
                .unwrap_or(0);
        let fit_fmt = self.fit.clone();
        for (col, v) in cells.iter().enumerate() {
            if col >= 16_384 {
                break;
            }
            let col16 = col as u16;
            match v {
                Value::Number(n) => {
                    let n = n.as_f64().unwrap_or(0.0);
                    let ws = self.ws()?;
                    let res = if col == fit_col {
                        ws.write_number_with_format(row, col16, n, &fit_fmt).map(|_| ())
                    } else {
                        ws.write_number(row, col16, n).map(|_| ())
                    };
                    res.map_err(|e| self.err(e))?;
                }
                Value::String(s) => self.write_text(row, col16, s)?,
                _ => {}
            }
        }
        self.next_row += 1;
        Ok(())
    }

    fn write_row(&mut self, row: u64, main: &[String], result: &LeadResult, extra: &[String]) -> Result<()> {
        let cells = self.cells(main, result, extra);
        let bytes = serde_json::to_vec(&cells).map_err(|e| Error::Input(e.to_string()))?;
        self.spool.push(result, row, &bytes)?;
        self.counts.add(result, self.layout.lang);
        if self.sort == SortOrder::Input {
            self.put_row(&cells)?;
        }
        Ok(())
    }

    /// Writes a list sheet from the spool in `order`.
    fn sheet_from_spool(&mut self, which: usize, order: SortOrder) -> Result<()> {
        self.start_sheet(self.sheet_name(which))?;
        let mut spool = Spool::new(&self.path_shown)?;
        std::mem::swap(&mut spool, &mut self.spool);
        let res = spool.replay(order, &mut |bytes| {
            let cells: Vec<serde_json::Value> =
                serde_json::from_slice(bytes).map_err(|e| Error::Input(e.to_string()))?;
            self.put_row(&cells)
        });
        std::mem::swap(&mut spool, &mut self.spool);
        res
    }

    /// The 汇总 Summary sheet: the engine, then counts by verdict, sector, tier, lead unit and
    /// origin.
    fn summary_sheet(&mut self) -> Result<()> {
        self.close_sheet();
        self.base = "";
        let zh = self.layout.lang == Lang::Zh;
        let name = self.sheet_name(2);
        let bold = self.header.clone();
        let engine = self.layout.engine.clone();
        let c = std::mem::take(&mut self.counts);
        let err = |e: rust_xlsxwriter::XlsxError| Error::Spreadsheet {
            path: self.path_shown.clone(),
            message: e.to_string(),
        };
        let ws = self.book.add_worksheet();
        ws.set_name(name).map_err(err)?;
        ws.set_column_width(0, 18).map_err(err)?;
        ws.set_column_width(1, 40).map_err(err)?;
        ws.set_column_width(2, 10).map_err(err)?;
        let mut r: u32 = 0;
        let mut line = |ws: &mut Worksheet, a: &str, b: &str, n: Option<u64>, head: bool| -> Result<()> {
            if head {
                ws.write_string_with_format(r, 0, a, &bold).map_err(err)?;
                ws.write_string_with_format(r, 1, b, &bold).map_err(err)?;
                ws.write_string_with_format(r, 2, if zh { "行数" } else { "rows" }, &bold)
                    .map_err(err)?;
            } else {
                ws.write_string(r, 0, a).map_err(err)?;
                ws.write_string(r, 1, b).map_err(err)?;
                if let Some(n) = n {
                    ws.write_number(r, 2, n as f64).map_err(err)?;
                }
            }
            r += 1;
            Ok(())
        };
        let (by, value) = if zh { ("分类", "值") } else { ("by", "value") };
        line(ws, by, value, None, true)?;
        if let Some(e) = &engine {
            line(
                ws,
                if zh { "引擎" } else { "engine" },
                &format!("leadmatch {}", e.version),
                None,
                false,
            )?;
            line(ws, if zh { "目录指纹" } else { "catalogue" }, &e.catalog, None, false)?;
        }
        line(ws, if zh { "输出行数" } else { "rows out" }, "", Some(c.rows), false)?;
        for ((_, v), n) in &c.verdicts {
            line(ws, if zh { "判定" } else { "verdict" }, v, Some(*n), false)?;
        }
        for ((no, s), n) in &c.sectors {
            let label = if *no == u32::MAX {
                s.clone()
            } else {
                format!("{no} {s}")
            };
            line(ws, if zh { "产业类别" } else { "sector" }, &label, Some(*n), false)?;
        }
        for (t, n) in &c.tiers {
            line(ws, if zh { "等级" } else { "tier" }, t, Some(*n), false)?;
        }
        for (u, n) in &c.units {
            line(ws, if zh { "牵头单位" } else { "lead unit" }, u, Some(*n), false)?;
        }
        for (o, n) in &c.origins {
            line(ws, if zh { "来源" } else { "origin" }, o, Some(*n), false)?;
        }
        Ok(())
    }

    /// Writes the sorted sheets, the summary and the document properties, then the workbook to
    /// `file` (or to stdout when `None`).
    fn finish(mut self, file: Option<&mut std::fs::File>) -> Result<()> {
        let ranked = match self.sort {
            SortOrder::Fit => SortOrder::Fit,
            _ => SortOrder::Priority,
        };
        if self.sort != SortOrder::Input {
            self.sheet_from_spool(0, self.sort)?;
        }
        self.sheet_from_spool(1, ranked)?;
        self.summary_sheet()?;
        let last_col = (self.layout.input_headers.len() + ResultColumn::ALL.len()).saturating_sub(1) as u16;
        for (i, rows) in std::mem::take(&mut self.filters) {
            self.sheet = i;
            let ws = self.ws()?;
            let res = ws.autofilter(0, 0, rows.saturating_sub(1).max(1), last_col).map(|_| ());
            res.map_err(|e| self.err(e))?;
        }
        self.book.worksheet_from_index(0).map(|ws| ws.set_active(true)).ok();
        let mut props = rust_xlsxwriter::DocProperties::new()
            .set_title("招商线索排名 leadmatch ranked list")
            .set_company("leadmatch");
        if let Some(e) = &self.layout.engine {
            props = props
                .set_comment(format!("{} · 温政办〔2019〕50号", e.describe()))
                .set_custom_property("leadmatch_version", e.version.as_str())
                .set_custom_property("leadmatch_catalogue", e.catalog.as_str());
        }
        self.book.set_properties(&props);
        match file {
            Some(f) => self.book.save_to_writer(f).map_err(|e| self.err(e)),
            None => {
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
