//! Batch ranking (`leadmatch rank`): a company list in (CSV, TSV, JSONL, XLSX; UTF-8 or GBK), the
//! same list out with the result columns added, in input order, with every row accounted for.
//!
//! [`read`] detects the format and encoding and maps headers to profile fields; [`pipeline`]
//! streams chunks of records from a reader thread through rayon workers (decode, profile, score)
//! to an ordered writer over bounded channels, so memory does not grow with the input; [`write`]
//! writes JSONL, CSV or XLSX with formula-safe cells; [`rejects`] writes the rows that could not
//! be ranked; [`report`] gathers and writes the HTML routing report (`--report`); [`files`]
//! refuses an output that is the input or another output and writes every output atomically. A
//! [`Filter`] (`--min-tier`, `--sector`, `--lead-unit`, `--verdict`, `--status`, `--origin`) keeps
//! rows out of the output; they are counted as filtered, not rejected.

pub mod files;
pub mod pipeline;
pub mod read;
pub mod rejects;
pub mod report;
pub mod write;

pub use read::{Field, Input, InputFormat, ReadOptions, SheetChoice, Source, TextEncoding};
pub use rejects::RejectReason;
pub use write::{Lang, Output, OutputEncoding, OutputFormat, SortOrder};

use crate::catalog::Origin;
use crate::error::Result;
use crate::lead::{CompanyName, DedupKey, EngineInfo, LeadResult, OperatingStatus, Profile};
use crate::{Engine, Verdict};
use read::JsonObject;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Scope text beyond this many characters is cut before scoring (flag `truncated`).
pub const MAX_SCOPE_CHARS: usize = 20_000;
/// Names beyond this many characters are cut before scoring (flag `truncated`).
pub const MAX_NAME_CHARS: usize = 1_000;

/// How to rank a list.
#[derive(Debug, Clone)]
pub struct RankOptions {
    /// Sectors kept per row (`--top`).
    pub top: usize,
    /// Scoring threads (`-j`).
    pub jobs: usize,
    /// `--columns` overrides: field ← header.
    pub columns: Vec<(Field, String)>,
    /// Input format; detected from the extension or content when `None`.
    pub input_format: Option<InputFormat>,
    /// Input encoding; detected when `None`.
    pub input_encoding: Option<TextEncoding>,
    /// CSV field delimiter (`--delimiter`); `sep=X` or sniffed when `None`.
    pub delimiter: Option<u8>,
    /// 1-based header row (`--header-row`); found below title rows when `None`.
    pub header_row: Option<usize>,
    /// Sheet of a workbook (`--sheet`); the active visible one when `None`.
    pub sheet: Option<SheetChoice>,
    pub output_format: OutputFormat,
    pub output_encoding: OutputEncoding,
    pub lang: Lang,
    /// Where rejected rows are written (`--rejects`); they are only counted when `None`.
    pub rejects: Option<PathBuf>,
    /// Scope characters kept for scoring.
    pub max_scope_chars: usize,
    /// Which ranked rows go to the output.
    pub filter: Filter,
    /// Where the HTML routing report is written (`--report`).
    pub report: Option<PathBuf>,
    /// The order of the output rows (`--sort`); input order by default.
    pub sort: SortOrder,
    /// Set to stop the run: the pipeline checks it once per chunk and returns
    /// [`crate::Error::Cancelled`] (the server sets it when a request times out or its client
    /// leaves).
    pub cancel: Option<Arc<AtomicBool>>,
    /// JSONL output in the lean form for pipelines (`--compact`,
    /// [`LeadResult::write_compact_json`]).
    pub compact: bool,
}

/// Which ranked rows are written (`--min-tier`, `--sector`, `--lead-unit`, `--verdict`); every
/// condition given must hold. Sector and lead unit are those of the best match (the first
/// 产业类别), whatever the verdict. The default keeps every row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Lowest tier kept: `A`, `B`, `C` or `D`.
    pub min_tier: Option<char>,
    /// Sector ids (`pan-entertainment`) or numbers (`6`).
    pub sectors: Vec<String>,
    /// Lead units (牵头单位), exactly as in the catalogue.
    pub lead_units: Vec<String>,
    pub verdicts: Vec<Verdict>,
    /// 登记状态 kept (`--status`): `Some(active)`, `Some(inactive)`, `None` for no status given.
    pub statuses: Vec<Option<OperatingStatus>>,
    /// 来源 kept (`--origin`).
    pub origins: Vec<Origin>,
}

impl Filter {
    /// Whether any condition is set.
    pub fn is_active(&self) -> bool {
        *self != Filter::default()
    }

    /// Whether the row goes to the output.
    pub fn keeps(&self, r: &LeadResult) -> bool {
        if let Some(min) = self.min_tier {
            let tier = r.priority.as_ref().and_then(|p| p.tier.chars().next()).unwrap_or('D');
            if tier > min {
                return false;
            }
        }
        if !self.verdicts.is_empty() && !self.verdicts.contains(&r.verdict) {
            return false;
        }
        let best = r.matches.first();
        if !self.sectors.is_empty()
            && !best.is_some_and(|m| {
                self.sectors
                    .iter()
                    .any(|s| *s == m.sector_id || s.parse::<u32>().ok() == Some(m.sector_no))
            })
        {
            return false;
        }
        if !self.lead_units.is_empty() && !best.is_some_and(|m| self.lead_units.contains(&m.lead_unit)) {
            return false;
        }
        if !self.statuses.is_empty() && !self.statuses.contains(&r.status) {
            return false;
        }
        if !self.origins.is_empty() && !self.origins.contains(&r.origin.unwrap_or_default()) {
            return false;
        }
        true
    }

    /// The filter in words, for the summary and the report; empty when inactive.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = self.min_tier {
            parts.push(format!("--min-tier {t}"));
        }
        if !self.sectors.is_empty() {
            parts.push(format!("--sector {}", self.sectors.join(",")));
        }
        if !self.lead_units.is_empty() {
            parts.push(format!("--lead-unit {}", self.lead_units.join(",")));
        }
        if !self.verdicts.is_empty() {
            let v: Vec<&str> = self.verdicts.iter().map(|v| v.as_str()).collect();
            parts.push(format!("--verdict {}", v.join(",")));
        }
        if !self.statuses.is_empty() {
            let v: Vec<&str> = self
                .statuses
                .iter()
                .map(|s| s.map_or("unknown", OperatingStatus::as_str))
                .collect();
            parts.push(format!("--status {}", v.join(",")));
        }
        if !self.origins.is_empty() {
            let v: Vec<&str> = self.origins.iter().map(|o| o.as_str()).collect();
            parts.push(format!("--origin {}", v.join(",")));
        }
        parts.join(" ")
    }
}

impl Default for RankOptions {
    fn default() -> Self {
        RankOptions {
            top: 3,
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            columns: Vec::new(),
            input_format: None,
            input_encoding: None,
            delimiter: None,
            header_row: None,
            sheet: None,
            output_format: OutputFormat::Jsonl,
            output_encoding: OutputEncoding::Utf8Bom,
            lang: Lang::Zh,
            rejects: None,
            max_scope_chars: MAX_SCOPE_CHARS,
            filter: Filter::default(),
            report: None,
            sort: SortOrder::Input,
            cancel: None,
            compact: false,
        }
    }
}

/// The input content of a row, as far as it is still needed for writing.
#[derive(Debug, Clone)]
pub enum InputFields {
    /// Cells of a tabular row (CSV, TSV, XLSX), as decoded.
    Cells(Vec<String>),
    /// A JSONL object, keys in file order.
    Json(JsonObject),
    /// A JSONL line as text (kept for rejected lines).
    Line(String),
    /// Not kept (JSONL output needs only the result).
    None,
}

/// What became of a row.
#[derive(Debug, Clone)]
pub enum Outcome {
    Ranked {
        profile: Box<Profile>,
        result: Box<LeadResult>,
        /// The company name parsed for comparison, once, by the worker (deduplication uses it).
        company: Box<CompanyName>,
        /// What deduplication needs of the row besides the name, computed by the worker.
        dedup: DedupKey,
    },
    Rejected(RejectReason),
}

/// A result's JSONL line rendered by a worker ([`LeadResult::write_json`]), and where
/// `"duplicate_of"` goes when the ordered writer finds the row repeats an earlier one.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub duplicate_at: usize,
}

/// One input row after scoring.
#[derive(Debug, Clone)]
pub struct RankedRow {
    /// 1-based data row, header excluded.
    pub row: u64,
    pub input: InputFields,
    pub outcome: Outcome,
    /// The result's JSONL line, rendered by the worker when the output is JSONL (so the ordered
    /// writer only copies bytes). In-order steps that change the result must clear it, except
    /// `duplicate_of`, which the writer splices in.
    pub rendered: Option<Rendered>,
}

/// Where the ranking is, for a progress bar.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Rows written or rejected so far.
    pub rows: u64,
    /// Input bytes read so far.
    pub bytes: u64,
    pub total_bytes: Option<u64>,
    pub total_rows: Option<u64>,
}

/// What came in, what went out and what was rejected.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub input: String,
    pub format: Option<InputFormat>,
    /// The input format in words (`CSV, delimiter ;`, `XLS, sheet 名单`).
    pub format_label: String,
    pub encoding: Option<TextEncoding>,
    /// The 1-based row of the table the headers were taken from (tabular inputs).
    pub header_row: Option<usize>,
    /// Result columns of an earlier run found in the input and replaced.
    pub replaced_columns: usize,
    /// How the input was read, for the summary (skipped sheets, other sheets with data …).
    pub notes: Vec<String>,
    /// GBK output: rows with characters GBK lacks, written as GB18030.
    pub beyond_gbk: Option<write::BeyondGbk>,
    /// Data rows read (header and blank lines excluded): `rows_out + filtered + rejected`.
    pub rows_in: u64,
    pub rows_out: u64,
    /// Ranked rows left out of the output by the [`Filter`] (not rejects).
    pub filtered: u64,
    pub rejected: u64,
    /// Verdicts, duplicates and flags count the rows written to the output.
    pub target: u64,
    pub possible: u64,
    pub none: u64,
    /// Ranked rows marked `duplicate_of` an earlier row.
    pub duplicates: u64,
    /// Rows carrying each flag.
    pub flags: BTreeMap<String, u64>,
    /// Rejections by reason.
    pub reject_reasons: BTreeMap<String, u64>,
    /// The first few rejected rows (row, reason).
    pub first_rejects: Vec<(u64, String)>,
    /// Output rows by origin: local, elsewhere, unknown (when the catalogue has a region).
    pub origins: BTreeMap<&'static str, u64>,
    pub elapsed: Duration,
    /// The leadmatch version and catalogue fingerprint of the run.
    pub engine: Option<EngineInfo>,
}

impl Summary {
    /// Counts one row; `kept` is false for a ranked row the filter left out.
    pub(crate) fn count(&mut self, row: &RankedRow, kept: bool) {
        self.rows_in += 1;
        match &row.outcome {
            Outcome::Ranked { .. } if !kept => self.filtered += 1,
            Outcome::Ranked { result, .. } => {
                self.rows_out += 1;
                match result.verdict {
                    Verdict::Target => self.target += 1,
                    Verdict::Possible => self.possible += 1,
                    Verdict::None => self.none += 1,
                }
                if result.duplicate_of.is_some() {
                    self.duplicates += 1;
                }
                for f in &result.flags {
                    *self.flags.entry(f.clone()).or_default() += 1;
                }
                if let Some(o) = result.origin {
                    *self.origins.entry(o.as_str()).or_default() += 1;
                }
            }
            Outcome::Rejected(reason) => {
                self.rejected += 1;
                let text = reason.to_string();
                if self.first_rejects.len() < 5 {
                    self.first_rejects.push((row.row, text.clone()));
                }
                *self.reject_reasons.entry(reason.label().to_string()).or_default() += 1;
            }
        }
    }

    /// Rows per second over the whole run.
    pub fn rows_per_sec(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 { self.rows_in as f64 / s } else { 0.0 }
    }
}

/// Ranks a list: reads `input`, scores every row with `engine`, writes `output` (and the
/// rejects file), calling `progress` as rows are written.
pub fn rank(
    engine: &Engine,
    input: &Input,
    output: &Output,
    opts: &RankOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Summary> {
    let start = Instant::now();
    let read_opts = ReadOptions {
        format: opts.input_format,
        encoding: opts.input_encoding,
        delimiter: opts.delimiter,
        header_row: opts.header_row,
        sheet: opts.sheet.clone(),
        columns: opts.columns.clone(),
    };
    let mut source = Source::open_with(input, &read_opts)?;
    let ctx = pipeline::RowContext::new(engine, &source, opts)?;
    let mut layout = write::Layout::new(source.headers.clone(), opts.lang, Some(engine.info.clone()));
    if opts.lang == Lang::En {
        layout.names_en = std::sync::Arc::new(write::EnglishNames::of(&engine.catalog));
    }
    let replaced_columns = layout.replaced_columns();
    let tabular_input = source.format != InputFormat::Jsonl;
    let mut rejects = match &opts.rejects {
        Some(p) => Some(rejects::RejectsFile::create(
            p,
            tabular_input.then_some(source.headers.as_slice()),
            opts.output_encoding,
        )?),
        None => None,
    };
    // Open the report's temporary file first, so a bad path fails before any work.
    let report_file =
        match &opts.report {
            Some(p) => Some(files::AtomicFile::create(p).map_err(|e| {
                crate::Error::Input(format!("无法写入报告 cannot write the report {}: {e}", p.display()))
            })?),
            None => None,
        };
    let mut in_order = pipeline::InOrder::new(engine, opts.filter.clone(), opts.report.is_some());
    let mut sink = write::Sink::open(output, opts.output_format, opts.output_encoding, layout, opts.sort)?;
    let mut summary = Summary {
        input: source.name.clone(),
        format: Some(source.format),
        format_label: source.format_label(),
        encoding: source.encoding,
        engine: Some(engine.info.clone()),
        header_row: source.header_row,
        replaced_columns,
        notes: source.notes.clone(),
        ..Summary::default()
    };
    // On any error below, the temporary files of the output, the rejects and the report are
    // dropped (deleted) and the previous files stay as they were.
    pipeline::run(
        &ctx,
        &mut source,
        &mut sink,
        rejects.as_mut(),
        &mut in_order,
        opts.jobs,
        output,
        &mut summary,
        progress,
    )?;
    summary.beyond_gbk = sink.beyond_gbk().cloned();
    sink.finish(output)?;
    if let Some(r) = rejects {
        r.finish()?;
    }
    summary.elapsed = start.elapsed();
    if let (Some(mut file), Some(collector)) = (report_file, in_order.report()) {
        let facts = report::RunFacts {
            summary: &summary,
            output: output.display(),
            filter: opts.filter.describe(),
        };
        use std::io::Write as _;
        let p = file.target().to_path_buf();
        file.file()
            .write_all(collector.render(&facts).as_bytes())
            .map_err(|e| crate::Error::io(&p, e))?;
        file.commit()?;
    }
    Ok(summary)
}
