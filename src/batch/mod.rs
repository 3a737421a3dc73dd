//! Batch ranking (`leadmatch rank`): a company list in (CSV, TSV, JSONL, XLSX; UTF-8 or GBK), the
//! same list out with the result columns added, in input order, with every row accounted for.
//!
//! [`read`] detects the format and encoding and maps headers to profile fields; [`pipeline`]
//! streams chunks of records from a reader thread through rayon workers (decode, profile, score)
//! to an ordered writer over bounded channels, so memory does not grow with the input; [`write`]
//! writes JSONL, CSV or XLSX with formula-safe cells; [`rejects`] writes the rows that could not
//! be ranked; [`report`] gathers and writes the HTML routing report (`--report`). A [`Filter`]
//! (`--min-tier`, `--sector`, `--lead-unit`, `--verdict`) keeps rows out of the output; they are
//! counted as filtered, not rejected.

pub mod pipeline;
pub mod read;
pub mod rejects;
pub mod report;
pub mod write;

pub use read::{Field, Input, InputFormat, Source, TextEncoding};
pub use rejects::RejectReason;
pub use write::{Lang, Output, OutputEncoding, OutputFormat};

use crate::error::Result;
use crate::lead::{CompanyName, DedupKey, LeadResult, Profile};
use crate::{Engine, Verdict};
use read::JsonObject;
use std::collections::BTreeMap;
use std::path::PathBuf;
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
            output_format: OutputFormat::Jsonl,
            output_encoding: OutputEncoding::Utf8Bom,
            lang: Lang::Zh,
            rejects: None,
            max_scope_chars: MAX_SCOPE_CHARS,
            filter: Filter::default(),
            report: None,
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
    pub encoding: Option<TextEncoding>,
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
    pub elapsed: Duration,
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
    let mut source = Source::open(input, opts.input_format, opts.input_encoding)?;
    let ctx = pipeline::RowContext::new(engine, &source, opts)?;
    let layout = write::Layout {
        input_headers: source.headers.clone(),
        lang: opts.lang,
    };
    let tabular_input = source.format != InputFormat::Jsonl;
    let mut rejects = match &opts.rejects {
        Some(p) => Some(rejects::RejectsFile::create(
            p,
            tabular_input.then_some(source.headers.as_slice()),
            opts.output_encoding,
        )?),
        None => None,
    };
    // Create the report file first, so a bad path fails before any work.
    if let Some(p) = &opts.report {
        std::fs::write(p, b"")
            .map_err(|e| crate::Error::Input(format!("无法写入报告 cannot write the report {}: {e}", p.display())))?;
    }
    let mut in_order = pipeline::InOrder::new(engine, opts.filter.clone(), opts.report.is_some());
    let mut sink = write::Sink::open(output, opts.output_format, opts.output_encoding, layout)?;
    let mut summary = Summary {
        input: source.name.clone(),
        format: Some(source.format),
        encoding: source.encoding,
        ..Summary::default()
    };
    let ran = pipeline::run(
        &ctx,
        &mut source,
        &mut sink,
        rejects.as_mut(),
        &mut in_order,
        opts.jobs,
        output,
        &mut summary,
        progress,
    );
    if let Err(e) = ran {
        write::Sink::abandon(output);
        if let Some(p) = &opts.report {
            let _ = std::fs::remove_file(p);
        }
        return Err(e);
    }
    if let Some(r) = rejects {
        r.finish()?;
    }
    if let Err(e) = sink.finish(output) {
        write::Sink::abandon(output);
        return Err(e);
    }
    summary.elapsed = start.elapsed();
    if let (Some(p), Some(collector)) = (&opts.report, in_order.report()) {
        let facts = report::RunFacts {
            summary: &summary,
            output: output.display(),
            filter: opts.filter.describe(),
        };
        collector.write(p, &facts)?;
    }
    Ok(summary)
}
