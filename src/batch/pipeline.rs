//! The streaming, parallel, ordered pipeline behind `rank`.
//!
//! ```text
//! reader thread ──chunks──▶ rayon workers ──scored chunks──▶ ordered writer (calling thread)
//!  (records)     bounded      (decode, profile, score)  bounded   (reorder, in-order hooks,
//!                                                                  write, rejects, summary)
//! ```
//! The reader needs a credit for every chunk it sends and the writer returns one for every chunk
//! it has written, so at most [`window`] chunks are in flight. A written chunk goes back to the
//! worker that scored it, which frees it before taking its next chunk, so fewer than another
//! `window` wait to be freed: memory depends on the chunk size and the number of jobs, never on
//! the input size. Output order is input order whatever the
//! number of jobs, and a row's result does not depend on the chunking, so output is byte-identical
//! for `-j1` and `-jN`.

use super::InputFormat;
use super::read::{ColumnMap, Field, HeaderMatcher, JsonObject, RawRecord, Source, json_text};
use super::rejects::{RejectReason, RejectsFile};
use super::report::Collector;
use super::write::{Output, Sink, truncate_chars};
use super::{Filter, InputFields, MAX_NAME_CHARS, Outcome, Progress, RankOptions, RankedRow, Rendered, Summary, read};
use crate::Engine;
use crate::error::{Error, Result};
use crate::lead::{DedupKey, Deduper, LeadResult, Profile, parse_company_name};
use crossbeam_channel::{bounded, unbounded};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Rows per chunk. Smaller chunks keep the rows in flight (and the memory they churn through) in
/// cache: 256 measured a few per cent faster and ~10 MB smaller than 512 (BENCHMARKS.md).
const CHUNK_ROWS: usize = 256;
/// A chunk is closed early once its records hold this many bytes (huge cells).
const CHUNK_BYTES: usize = 4 << 20;

/// Chunks in flight (read, being scored, or waiting to be written in order).
fn window(jobs: usize) -> usize {
    4 * jobs + 4
}

/// Everything a worker needs to turn a record into a ranked row.
pub struct RowContext<'a> {
    engine: &'a Engine,
    format: InputFormat,
    /// The source was decoded (GBK, UTF-16): U+FFFD marks bytes that could not be decoded.
    decoded: bool,
    /// Tabular inputs: which columns feed which field.
    columns: Option<ColumnMap>,
    /// JSONL inputs: which keys feed which field.
    keys: HeaderMatcher,
    /// JSONL inputs: the first object's keys already resolved (every line repeats them), so a
    /// line's keys are looked up as they are, not normalised again.
    known_keys: FxHashMap<String, Option<(Field, usize)>>,
    header_len: usize,
    /// Per column: the unit its header gives bare money amounts (`注册资本(万元)` → `万元`),
    /// for columns feeding 注册资本 or 营业收入.
    money_units: Vec<Option<String>>,
    top: usize,
    max_scope_chars: usize,
    /// Tabular output needs the input cells of ranked rows.
    keep_input: bool,
    /// Render JSONL lines in the workers.
    render_jsonl: bool,
    /// Checked once per chunk by the reader, the workers and the writer.
    cancel: Option<Arc<AtomicBool>>,
    /// Render them in the lean form (`--compact`).
    compact: bool,
    /// Compute only what the lean form prints (`--compact` without `--report`, whose lists
    /// show evidence): no reasons, evidence or other text-only fields.
    lean: bool,
    /// Priority reasons in English only (`--lang en`).
    english: bool,
}

impl<'a> RowContext<'a> {
    /// Maps the source's headers; fails when no name or scope column exists.
    pub fn new(engine: &'a Engine, source: &Source, opts: &RankOptions) -> Result<RowContext<'a>> {
        let keys = HeaderMatcher::new(&opts.columns);
        let columns = if source.format == InputFormat::Jsonl {
            // JSONL: the first object's keys must include a name or a scope (later objects may
            // leave fields out).
            let usable = source
                .headers
                .iter()
                .any(|k| matches!(keys.field_of(k), Some((Field::Name | Field::Scope, _))));
            if !source.headers.is_empty() && !usable {
                return Err(read::no_usable_column(&source.name, &source.headers));
            }
            None
        } else {
            Some(ColumnMap::new(&source.name, &source.headers, &opts.columns)?)
        };
        let money_units = source
            .headers
            .iter()
            .map(|h| {
                matches!(keys.field_of(h), Some((Field::RegisteredCapital | Field::Revenue, _)))
                    .then(|| crate::lead::header_unit(h))
                    .flatten()
            })
            .collect();
        Ok(RowContext {
            engine,
            format: source.format,
            decoded: source.encoding.is_some_and(|e| !e.is_utf8()),
            columns,
            // Plus every field's own key (`credit_code`, `registered_capital` …): objects after
            // the first often add some, and each was normalised again on every line.
            known_keys: source
                .headers
                .iter()
                .map(String::as_str)
                .chain(Field::ALL.iter().map(|f| f.key()))
                .map(|h| (h.to_string(), keys.field_of(h)))
                .collect(),
            keys,
            header_len: source.headers.len(),
            money_units,
            top: opts.top,
            max_scope_chars: opts.max_scope_chars,
            keep_input: opts.output_format != super::OutputFormat::Jsonl,
            render_jsonl: opts.output_format == super::OutputFormat::Jsonl,
            cancel: opts.cancel.clone(),
            compact: opts.compact,
            lean: opts.compact && opts.report.is_none(),
            english: opts.lang == super::Lang::En,
        })
    }

    /// Whether the run was asked to stop.
    fn cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// Decodes, checks and scores one record. Never fails: problems become flags or a rejection.
    pub fn process(&self, row: u64, record: RawRecord) -> RankedRow {
        let mut flags: Vec<&'static str> = Vec::new();
        let (input, values) = match record {
            RawRecord::Delimited(rec) => {
                let cells: Vec<String> = rec
                    .iter()
                    .map(|f| match simdutf8::basic::from_utf8(f) {
                        Ok(s) => {
                            if self.decoded && s.contains('\u{FFFD}') {
                                flag(&mut flags, "invalid_bytes");
                            }
                            read::clean_cell(s).into_owned()
                        }
                        Err(_) => {
                            flag(&mut flags, "invalid_bytes");
                            read::clean_cell(&String::from_utf8_lossy(f)).into_owned()
                        }
                    })
                    .collect();
                self.tabular(cells, &mut flags)
            }
            RawRecord::Cells(mut cells) => {
                cells.iter_mut().for_each(|c| {
                    read::clean_in_place(c);
                });
                self.tabular(cells, &mut flags)
            }
            RawRecord::Line(bytes) => {
                // Validated with SIMD (a Chinese line is mostly multi-byte characters, where the
                // standard check goes byte by byte); the owned copy is made only for a rejection.
                let lossy: String;
                let text: &str = match simdutf8::basic::from_utf8(&bytes) {
                    Ok(s) => {
                        if self.decoded && s.contains('\u{FFFD}') {
                            flag(&mut flags, "invalid_bytes");
                        }
                        s
                    }
                    Err(_) => {
                        flag(&mut flags, "invalid_bytes");
                        lossy = String::from_utf8_lossy(&bytes).into_owned();
                        &lossy
                    }
                };
                match self.json(text) {
                    Ok((obj, values)) => (InputFields::Json(obj), values),
                    Err(reason) => return rejected(row, InputFields::Line(text.to_string()), reason),
                }
            }
        };
        if is_blank(&input) {
            return rejected(row, self.for_rejects(input), RejectReason::EmptyRow);
        }
        let mut profile = assemble(values);
        if profile.is_empty() {
            return rejected(row, self.for_rejects(input), RejectReason::NoNameOrScope);
        }
        if profile.scope.trim().is_empty() {
            flag(&mut flags, "scope_empty");
        }
        if truncate_chars(&mut profile.scope, self.max_scope_chars) | truncate_chars(&mut profile.name, MAX_NAME_CHARS)
        {
            flag(&mut flags, "truncated");
        }
        let assessed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let company = parse_company_name(&profile.name);
            let result =
                LeadResult::assess_named_in(self.engine, &profile, &company, self.top, self.english, self.lean);
            (company, result)
        }));
        let Ok((company, mut result)) = assessed else {
            return rejected(row, self.for_rejects(input), RejectReason::Internal);
        };
        result.row = Some(row);
        let mut all: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
        for f in std::mem::take(&mut result.flags) {
            if !all.contains(&f) {
                all.push(f);
            }
        }
        result.flags = all;
        let rendered = self.render_jsonl.then(|| {
            let (mut bytes, write): (_, fn(&LeadResult, &mut Vec<u8>) -> usize) = if self.compact {
                (Vec::with_capacity(384), LeadResult::write_compact_json)
            } else {
                (Vec::with_capacity(2048), LeadResult::write_json)
            };
            let duplicate_at = write(&result, &mut bytes);
            Rendered { bytes, duplicate_at }
        });
        RankedRow {
            row,
            rendered,
            input: if self.keep_input { input } else { InputFields::None },
            outcome: Outcome::Ranked {
                dedup: DedupKey::new(profile.credit_code.as_deref(), &company),
                profile: Box::new(profile),
                result: Box::new(result),
                company: Box::new(company),
            },
        }
    }

    /// A tabular row: the cells and the field values they give.
    fn tabular(
        &self,
        cells: Vec<String>,
        flags: &mut Vec<&'static str>,
    ) -> (InputFields, [Vec<String>; Field::ALL.len()]) {
        if cells.len() != self.header_len {
            flag(flags, "ragged");
        }
        let mut values: [Vec<String>; Field::ALL.len()] = Default::default();
        if let Some(map) = &self.columns {
            for f in Field::ALL {
                for &c in map.columns(f) {
                    if let Some(v) = cells.get(c) {
                        let unit = self.money_units.get(c).and_then(|u| u.as_deref());
                        values[f as usize].push(field_value(&crate::lead::with_header_unit(v, unit)));
                    }
                }
            }
        }
        (InputFields::Cells(cells), values)
    }

    /// A JSONL line: the object and the field values its keys give.
    fn json(&self, text: &str) -> std::result::Result<(JsonObject, [Vec<String>; Field::ALL.len()]), RejectReason> {
        if !text.trim_start().starts_with('{') {
            return Err(match serde_json::from_str::<serde_json::Value>(text) {
                Ok(_) => RejectReason::NotAnObject,
                Err(e) => RejectReason::InvalidJson(e.to_string()),
            });
        }
        let obj: JsonObject = serde_json::from_str(text).map_err(|e| RejectReason::InvalidJson(e.to_string()))?;
        let mut ranked: [Vec<(usize, String)>; Field::ALL.len()] = Default::default();
        for (k, v) in &obj.0 {
            let field = match self.known_keys.get(k.as_str()) {
                Some(known) => *known,
                None => self.keys.field_of(k),
            };
            if let Some((f, pref)) = field {
                let mut text = json_text(v);
                read::clean_in_place(&mut text);
                if matches!(f, Field::RegisteredCapital | Field::Revenue)
                    && let Some(unit) = crate::lead::header_unit(k)
                {
                    text = crate::lead::with_header_unit(&text, Some(&unit)).into_owned();
                }
                ranked[f as usize].push((pref, field_value(&text)));
            }
        }
        let mut values: [Vec<String>; Field::ALL.len()] = Default::default();
        for (slot, mut vals) in values.iter_mut().zip(ranked) {
            vals.sort_by_key(|(p, _)| *p);
            *slot = vals.into_iter().map(|(_, v)| v).collect();
        }
        Ok((obj, values))
    }

    /// The input as the rejects file shows it.
    fn for_rejects(&self, input: InputFields) -> InputFields {
        match input {
            InputFields::Json(obj) if self.format == InputFormat::Jsonl => {
                let map: serde_json::Map<String, serde_json::Value> = obj.0.into_iter().collect();
                InputFields::Line(serde_json::Value::Object(map).to_string())
            }
            other => other,
        }
    }
}

/// The value a cell gives its profile field: trimmed, and empty for a placeholder (`-`, `暂无`,
/// `N/A` …), so a placeholder is never an invalid credit code, unparsed money or a scope.
fn field_value(cell: &str) -> String {
    if read::is_placeholder(cell) {
        String::new()
    } else {
        cell.trim().to_string()
    }
}

fn flag(flags: &mut Vec<&'static str>, f: &'static str) {
    if !flags.contains(&f) {
        flags.push(f);
    }
}

fn rejected(row: u64, input: InputFields, reason: RejectReason) -> RankedRow {
    RankedRow {
        row,
        input,
        outcome: Outcome::Rejected(reason),
        rendered: None,
    }
}

/// Whether every input cell (or JSON value) is empty.
fn is_blank(input: &InputFields) -> bool {
    match input {
        InputFields::Cells(c) => c.iter().all(|s| s.trim().is_empty()),
        InputFields::Json(o) => o.0.iter().all(|(_, v)| json_text(v).trim().is_empty()),
        InputFields::Line(l) => l.trim().is_empty(),
        InputFields::None => true,
    }
}

/// Builds a profile from field values in preference order: the first non-empty value of each
/// field, except the scope, which joins every distinct scope column (经营范围 and 简介 both count),
/// and the location, which joins every distinct place column (省份, 城市, 区县, 注册地址).
fn assemble(values: [Vec<String>; Field::ALL.len()]) -> Profile {
    let mut p = Profile::default();
    for (f, vals) in Field::ALL.into_iter().zip(values) {
        if f == Field::Scope {
            let mut parts: Vec<String> = Vec::new();
            for v in vals {
                if !v.is_empty() && !parts.contains(&v) {
                    parts.push(v);
                }
            }
            p.scope = parts.join("\n");
            continue;
        }
        if f == Field::Location {
            let mut parts: Vec<String> = Vec::new();
            for v in vals {
                if !v.is_empty() && !parts.iter().any(|p| p.contains(v.as_str())) {
                    parts.push(v);
                }
            }
            p.location = (!parts.is_empty()).then(|| parts.join(" "));
            continue;
        }
        let Some(v) = vals.into_iter().find(|v| !v.is_empty()) else {
            continue;
        };
        match f {
            Field::Id => p.id = Some(v),
            Field::Name => p.name = v,
            Field::Scope => {}
            Field::Industry => p.industry = Some(v),
            Field::CreditCode => p.credit_code = Some(v),
            Field::RegisteredCapital => p.registered_capital = Some(v),
            Field::Revenue => p.revenue = Some(v),
            Field::Location => {}
            Field::Founded => p.founded = Some(v),
            Field::Tags => p.tags = Some(v),
            Field::Status => p.status = Some(v),
        }
    }
    p
}

/// Per-row work that needs input order, run in the writer on each row before it is written:
/// whatever depends on earlier rows. Marks `duplicate_of` (one deduper for the whole run).
#[derive(Debug)]
pub struct InOrder {
    dedup: Deduper,
    filter: Filter,
    report: Option<Collector>,
}

impl InOrder {
    /// Deduplication for the whole run, the output filter, and the report collector when `report`.
    pub fn new(engine: &Engine, filter: Filter, report: bool) -> InOrder {
        InOrder {
            dedup: Deduper::new(&engine.catalog.scoring.priority.names),
            filter,
            report: report.then(|| Collector::new(&engine.catalog.sectors)),
        }
    }

    /// Marks duplicates (every ranked row is observed, kept or not), applies the filter and feeds
    /// the report; returns whether the row is written (rejected rows: always true).
    pub fn apply(&mut self, row: &mut RankedRow) -> bool {
        let kept = match &mut row.outcome {
            Outcome::Ranked {
                result, company, dedup, ..
            } => {
                result.duplicate_of = self.dedup.observe_key(row.row, dedup, company).map(|d| d.first_row);
                self.filter.keeps(result)
            }
            Outcome::Rejected(_) => true,
        };
        if kept && let Some(r) = &mut self.report {
            r.observe(row);
        }
        kept
    }

    /// The report collector, when a report was asked for.
    pub fn report(&self) -> Option<&Collector> {
        self.report.as_ref()
    }
}

struct Chunk {
    seq: u64,
    records: Vec<(u64, RawRecord)>,
}

/// Runs the pipeline: reads every record of `source`, scores on `jobs` threads and writes the
/// rows in input order to `sink` (ranked) and `rejects` (rejected), counting into `summary`.
#[allow(clippy::too_many_arguments)]
pub fn run(
    ctx: &RowContext<'_>,
    source: &mut Source,
    sink: &mut Sink,
    mut rejects: Option<&mut RejectsFile>,
    in_order: &mut InOrder,
    jobs: usize,
    output: &Output,
    summary: &mut Summary,
    progress: &mut dyn FnMut(&Progress),
) -> Result<()> {
    let jobs = jobs.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("leadmatch-rank-{i}"))
        .build()
        .map_err(|e| Error::Input(format!("cannot start {jobs} scoring threads: {e}")))?;
    let bytes_read = source.bytes_read.clone();
    let mut shown = Progress {
        total_bytes: source.total_bytes,
        total_rows: source.total_rows,
        ..Progress::default()
    };

    std::thread::scope(|s| -> Result<()> {
        let w = window(jobs);
        let (credit_tx, credit_rx) = bounded::<()>(w);
        for _ in 0..w {
            let _ = credit_tx.send(());
        }
        let (chunk_tx, chunk_rx) = bounded::<Chunk>(w);
        // Unbounded is safe: the credits bound what can be in it.
        let (done_tx, done_rx) = unbounded::<(u64, Vec<RankedRow>, usize)>();
        // Written rows go back to the worker that made them, to be freed there: a block freed by
        // the thread that allocated it is a local free, where the writer freeing it was a
        // cross-thread one (and half the writer's work).
        let (back_tx, back_rx): (Vec<_>, Vec<_>) = (0..jobs).map(|_| unbounded::<Vec<RankedRow>>()).unzip();

        let reader = s.spawn(move || -> Result<()> {
            let mut seq = 0u64;
            let mut row = 0u64;
            loop {
                if ctx.cancelled() {
                    return Ok(());
                }
                let mut records = Vec::with_capacity(CHUNK_ROWS);
                let mut bytes = 0usize;
                let mut at_end = false;
                while records.len() < CHUNK_ROWS && bytes < CHUNK_BYTES {
                    match source.next_record()? {
                        Some(r) => {
                            row += 1;
                            bytes += r.byte_len();
                            records.push((row, r));
                        }
                        None => {
                            at_end = true;
                            break;
                        }
                    }
                }
                if !records.is_empty() {
                    if credit_rx.recv().is_err() {
                        return Ok(());
                    }
                    if chunk_tx.send(Chunk { seq, records }).is_err() {
                        return Ok(());
                    }
                    seq += 1;
                }
                if at_end {
                    return Ok(());
                }
            }
        });

        let workers = s.spawn(move || {
            pool.scope(move |ps| {
                for (worker, back) in back_rx.into_iter().enumerate() {
                    let rx = chunk_rx.clone();
                    let tx = done_tx.clone();
                    ps.spawn(move |_| {
                        for chunk in rx.iter() {
                            while let Ok(written) = back.try_recv() {
                                drop(written);
                            }
                            if ctx.cancelled() {
                                return;
                            }
                            let rows: Vec<RankedRow> =
                                chunk.records.into_iter().map(|(n, r)| ctx.process(n, r)).collect();
                            if tx.send((chunk.seq, rows, worker)).is_err() {
                                return;
                            }
                        }
                    });
                }
            })
        });

        let mut pending: BTreeMap<u64, (Vec<RankedRow>, usize)> = BTreeMap::new();
        let mut next = 0u64;
        for (seq, rows, worker) in done_rx.iter() {
            if ctx.cancelled() {
                return Err(Error::Cancelled);
            }
            pending.insert(seq, (rows, worker));
            while let Some((mut rows, worker)) = pending.remove(&next) {
                if next == 0 {
                    sink.begin(&rows)?;
                }
                for r in rows.iter_mut() {
                    let kept = in_order.apply(r);
                    match &r.outcome {
                        Outcome::Ranked { .. } if !kept => {}
                        Outcome::Ranked { .. } => sink.write(r, output)?,
                        Outcome::Rejected(reason) => {
                            if let Some(rj) = rejects.as_deref_mut() {
                                rj.write(r.row, reason, &r.input)?;
                            }
                        }
                    }
                    summary.count(r, kept);
                }
                // A worker that has finished frees nothing more: then the rows are freed here.
                let _ = back_tx[worker].send(rows);
                next += 1;
                let _ = credit_tx.send(());
                shown.rows = summary.rows_in;
                shown.bytes = bytes_read.load(Ordering::Relaxed);
                progress(&shown);
            }
        }
        drop(credit_tx);
        if ctx.cancelled() {
            return Err(Error::Cancelled);
        }
        let read = reader
            .join()
            .map_err(|_| Error::Input("internal error: the reader thread failed".into()))?;
        read?;
        workers
            .join()
            .map_err(|_| Error::Input("internal error: a scoring thread failed".into()))?;
        if !pending.is_empty() {
            return Err(Error::Input("internal error: rows were scored but not written".into()));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_columns_join_and_first_name_wins() {
        let mut v: [Vec<String>; Field::ALL.len()] = Default::default();
        v[Field::Name as usize] = vec![String::new(), "温州瓯云".into()];
        v[Field::Scope as usize] = vec!["大数据".into(), "大数据".into(), "云计算".into()];
        let p = assemble(v);
        assert_eq!(p.name, "温州瓯云");
        assert_eq!(p.scope, "大数据\n云计算");
    }
}
