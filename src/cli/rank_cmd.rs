//! `leadmatch rank`: a company list in, the same list out with verdicts, sectors and departments
//! added; a progress bar and a summary on stderr.

use super::{Failure, open_engine, usage};
use crate::batch::files::{Role, check_distinct};
use crate::batch::{
    self, Filter, Input, InputFormat, Lang, Output, OutputEncoding, OutputFormat, Progress, RankOptions, SortOrder,
    Summary, TextEncoding,
};
use crate::catalog::Origin;
use crate::lead::OperatingStatus;
use crate::{EngineOptions, Verdict};
use clap::ValueEnum;
use clap::builder::TypedValueParser;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    Csv,
    Jsonl,
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InFormat {
    Csv,
    Tsv,
    Jsonl,
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CsvEncoding {
    /// UTF-8 with BOM (Excel opens it right)
    Utf8,
    Gbk,
    Gb18030,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HeaderLang {
    Zh,
    En,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Company list: CSV, TSV, JSONL or XLSX, UTF-8 or GBK (`-` for stdin)
    #[arg(value_name = "INPUT|-")]
    pub input: PathBuf,
    /// Output file (default: JSONL on stdout); the format follows the extension
    #[arg(short, long, value_name = "OUTPUT")]
    pub output: Option<PathBuf>,
    /// Output format (default: from the extension of -o, else jsonl)
    #[arg(long, value_enum)]
    pub format: Option<OutFormat>,
    /// Sectors per row (1–49)
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=49).map(|k| k as usize), default_value_t = 3, value_name = "K")]
    pub top: usize,
    /// Write rows that cannot be ranked to this CSV (row, reason, original content)
    #[arg(long, value_name = "PATH")]
    pub rejects: Option<PathBuf>,
    /// Scoring threads (default: all cores)
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Map columns to fields, e.g. `name=公司,scope=简介` (fields: id, name, scope, industry,
    /// credit_code, registered_capital, revenue, location, founded, tags)
    #[arg(long, value_name = "FIELD=HEADER,…")]
    pub columns: Option<String>,
    /// CSV output encoding
    #[arg(long, value_enum, default_value_t = CsvEncoding::Utf8)]
    pub encoding: CsvEncoding,
    /// Input format (default: from the extension or the content)
    #[arg(long, value_enum)]
    pub input_format: Option<InFormat>,
    /// Input encoding: utf8, gbk, gb18030, utf16le, utf16be (default: detected)
    #[arg(long, value_name = "ENCODING")]
    pub input_encoding: Option<String>,
    /// CSV field delimiter: one character, or tab, comma, semicolon, pipe (default: Excel's
    /// `sep=X` first line, else sniffed among , tab ; |)
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// The 1-based row holding the column headers (default: found among the first 20 rows,
    /// below title rows such as an export notice)
    #[arg(long, value_name = "N")]
    pub header_row: Option<usize>,
    /// Workbook sheet to read, by name or 1-based number (default: the active sheet when
    /// visible, else the first visible one)
    #[arg(long, value_name = "NAME|N")]
    pub sheet: Option<String>,
    /// Language of the result headers and labels
    #[arg(long, value_enum, default_value_t = HeaderLang::Zh)]
    pub lang: HeaderLang,
    /// Write an HTML routing report (self-contained: charts by sector, verdict and tier, top leads
    /// per sector, leads by lead unit, duplicates, rejects). It describes the output, i.e. the rows
    /// left after the filters below, with the filter shown at the top
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Filter: keep rows of this tier or better (A best). Filtered-out rows are not rejects: they
    /// are counted as 筛除 filtered (rows in = out + filtered + rejected) and are not written
    #[arg(
        long,
        value_name = "A|B|C|D",
        help_heading = FILTERS
    )]
    pub min_tier: Option<String>,
    /// Filter: keep rows whose best sector is one of these (id like pan-entertainment, or number
    /// like 6); repeatable or comma-separated
    #[arg(
        long,
        value_name = "ID_OR_NO",
        value_delimiter = ',',
        help_heading = FILTERS
    )]
    pub sector: Vec<String>,
    /// Filter: keep rows whose best match's lead unit (牵头单位) is this, e.g. 市商务局; repeatable
    /// or comma-separated
    #[arg(
        long,
        value_name = "UNIT",
        value_delimiter = ',',
        help_heading = FILTERS
    )]
    pub lead_unit: Vec<String>,
    /// Filter: keep rows with one of these verdicts; repeatable or comma-separated
    #[arg(
        long,
        value_enum,
        value_name = "target|possible|none",
        value_delimiter = ',',
        help_heading = FILTERS
    )]
    pub verdict: Vec<VerdictArg>,
    /// Filter: keep rows of this registration status (登记状态): active (存续/在业/开业),
    /// inactive (注销/吊销/撤销/迁出/停业/清算) or unknown (none given); comma-separated
    #[arg(
        long,
        value_enum,
        value_name = "active|inactive|unknown",
        value_delimiter = ',',
        help_heading = FILTERS
    )]
    pub status: Vec<StatusArg>,
    /// Filter: keep rows whose company is local to the plan's city (本地, a 培育 cultivation lead),
    /// elsewhere (外地, a 招引 attraction lead) or unknown; comma-separated
    #[arg(
        long,
        value_enum,
        value_name = "local|elsewhere|unknown",
        value_delimiter = ',',
        help_heading = FILTERS
    )]
    pub origin: Vec<OriginArg>,
    /// Row order: input (default for CSV and JSONL), priority (tier A first, then priority, fit)
    /// or fit (highest first). XLSX output always adds a sheet 排名 with the rows best first and a
    /// sheet 汇总 with counts by sector, tier and lead unit
    #[arg(long, value_enum, default_value_t = SortArg::Input)]
    pub sort: SortArg,
    /// No progress bar and no summary
    #[arg(short, long)]
    pub quiet: bool,
    /// Lean JSONL for pipelines: per row id, row, name, verdict, fit, priority and tier, the top
    /// sectors as numbers with scores, industry ids, flags, dedup_key and block_key (no catalogue
    /// text). JSONL output only
    #[arg(long)]
    pub compact: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Input,
    Priority,
    Fit,
}

/// The help heading of the filter flags.
const FILTERS: &str = "Filters (rows in = out + filtered + rejected)";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Active,
    Inactive,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OriginArg {
    Local,
    Elsewhere,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerdictArg {
    Target,
    Possible,
    None,
}

/// Validated settings from the raw flags.
fn settings(a: &Args) -> Result<(Input, Output, RankOptions), Failure> {
    let input = Input::from_arg(&a.input);
    if let Input::Path(p) = &input
        && !p.exists()
    {
        return Err(usage(format!(
            "找不到输入文件 input file {} does not exist",
            p.display()
        )));
    }
    let output = match &a.output {
        Some(p) if p.as_os_str() != "-" => Output::Path(p.clone()),
        _ => Output::Stdout,
    };
    let output_format = match (a.format, &output) {
        (Some(OutFormat::Csv), _) => OutputFormat::Csv,
        (Some(OutFormat::Jsonl), _) => OutputFormat::Jsonl,
        (Some(OutFormat::Xlsx), _) => OutputFormat::Xlsx,
        (None, Output::Stdout) => OutputFormat::Jsonl,
        (None, Output::Path(p)) => OutputFormat::from_extension(p).ok_or_else(|| {
            usage(format!(
                "无法从扩展名判断输出格式 cannot tell the output format from {}: use .csv, .jsonl or .xlsx, or --format",
                p.display()
            ))
        })?,
    };
    if output_format == OutputFormat::Xlsx && output == Output::Stdout && std::io::stdout().is_terminal() {
        return Err(usage(
            "XLSX 不能输出到终端 will not write XLSX to a terminal: give -o FILE.xlsx",
        ));
    }
    let mut files: Vec<Role<'_>> = Vec::new();
    if let Input::Path(i) = &input {
        files.push(Role {
            flag: "输入 input",
            path: i,
            written: false,
        });
    }
    if let Output::Path(o) = &output {
        files.push(Role {
            flag: "-o",
            path: o,
            written: true,
        });
    }
    for (flag, p) in [("--rejects", &a.rejects), ("--report", &a.report)] {
        if let Some(p) = p {
            files.push(Role {
                flag,
                path: p,
                written: true,
            });
        }
    }
    check_distinct(&files).map_err(usage)?;
    let columns = match &a.columns {
        Some(spec) => batch::read::parse_column_overrides(spec).map_err(usage)?,
        None => Vec::new(),
    };
    let input_encoding = match &a.input_encoding {
        None => None,
        Some(s) if s.eq_ignore_ascii_case("auto") => None,
        Some(s) => Some(TextEncoding::parse(s).ok_or_else(|| {
            usage(format!(
                "unknown --input-encoding {s:?}: use utf8, gbk, gb18030, utf16le or utf16be"
            ))
        })?),
    };
    let mut opts = RankOptions {
        top: a.top,
        columns,
        input_format: a.input_format.map(|f| match f {
            InFormat::Csv => InputFormat::Csv,
            InFormat::Tsv => InputFormat::Tsv,
            InFormat::Jsonl => InputFormat::Jsonl,
            InFormat::Xlsx => InputFormat::Sheet,
        }),
        input_encoding,
        output_format,
        output_encoding: match a.encoding {
            CsvEncoding::Utf8 => OutputEncoding::Utf8Bom,
            CsvEncoding::Gbk => OutputEncoding::Gbk,
            CsvEncoding::Gb18030 => OutputEncoding::Gb18030,
        },
        lang: match a.lang {
            HeaderLang::Zh => Lang::Zh,
            HeaderLang::En => Lang::En,
        },
        delimiter: match &a.delimiter {
            None => None,
            Some(d) => Some(batch::read::parse_delimiter(d).ok_or_else(|| {
                usage(format!(
                    "--delimiter {d:?}: 用一个字符 use one character, or tab, comma, semicolon, pipe"
                ))
            })?),
        },
        header_row: match a.header_row {
            Some(0) => return Err(usage("--header-row counts from 1")),
            n => n,
        },
        sheet: a.sheet.clone().map(batch::SheetChoice),
        rejects: a.rejects.clone(),
        report: a.report.clone(),
        filter: filter(a)?,
        sort: match a.sort {
            SortArg::Input => SortOrder::Input,
            SortArg::Priority => SortOrder::Priority,
            SortArg::Fit => SortOrder::Fit,
        },
        compact: a.compact,
        ..RankOptions::default()
    };
    if a.compact && output_format != OutputFormat::Jsonl {
        return Err(usage(
            "--compact 仅用于 JSONL 输出 is for JSONL output only: drop it or use --format jsonl",
        ));
    }
    if let Some(j) = a.jobs {
        if j == 0 {
            return Err(usage("--jobs must be at least 1"));
        }
        opts.jobs = j;
    }
    Ok((input, output, opts))
}

/// The filter flags, checked for form (sector ids are checked against the catalogue in [`run`]).
fn filter(a: &Args) -> Result<Filter, Failure> {
    let min_tier = match &a.min_tier {
        None => None,
        Some(t) => match t.trim().to_ascii_uppercase().as_str() {
            "A" => Some('A'),
            "B" => Some('B'),
            "C" => Some('C'),
            "D" => Some('D'),
            _ => return Err(usage(format!("--min-tier {t:?}: use A, B, C or D"))),
        },
    };
    let clean = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    Ok(Filter {
        min_tier,
        sectors: clean(&a.sector).into_iter().map(|s| s.to_ascii_lowercase()).collect(),
        lead_units: clean(&a.lead_unit),
        verdicts: values_of(
            &a.verdict,
            &[
                (VerdictArg::Target, Verdict::Target),
                (VerdictArg::Possible, Verdict::Possible),
                (VerdictArg::None, Verdict::None),
            ],
        ),
        statuses: values_of(
            &a.status,
            &[
                (StatusArg::Active, Some(OperatingStatus::Active)),
                (StatusArg::Inactive, Some(OperatingStatus::Inactive)),
                (StatusArg::Unknown, None),
            ],
        ),
        origins: values_of(
            &a.origin,
            &[
                (OriginArg::Local, Origin::Local),
                (OriginArg::Elsewhere, Origin::Elsewhere),
                (OriginArg::Unknown, Origin::Unknown),
            ],
        ),
    })
}

/// The values a repeatable enum flag stands for, in the order given: `table` pairs each flag
/// value with its value.
fn values_of<A: PartialEq, T: Clone>(flags: &[A], table: &[(A, T)]) -> Vec<T> {
    flags
        .iter()
        .filter_map(|f| table.iter().find(|(a, _)| a == f).map(|(_, t)| t.clone()))
        .collect()
}

/// Fails on a `--sector` the catalogue does not have; warns on an unknown `--lead-unit`.
fn check_filter(filter: &Filter, catalog: &crate::Catalog) -> Result<(), Failure> {
    for s in &filter.sectors {
        let known = catalog
            .sectors
            .iter()
            .any(|x| x.id == *s || s.parse::<u32>().ok() == Some(x.no));
        if !known {
            let ids: Vec<String> = catalog.sectors.iter().map(|x| format!("{} {}", x.no, x.id)).collect();
            return Err(usage(format!(
                "未知产业类别 unknown --sector {s:?}; sectors: {}",
                ids.join(", ")
            )));
        }
    }
    if !filter.origins.is_empty() && !catalog.region.is_known() {
        eprintln!(
            "注意 note: the catalogue has no region.toml, so every origin is unknown; --origin keeps only `unknown`"
        );
    }
    for u in &filter.lead_units {
        let known = catalog.industries.iter().any(|i| catalog.lead_unit(i) == u);
        if !known {
            eprintln!("注意 note: no industry of the catalogue has lead unit {u:?}; --lead-unit matches exactly");
        }
    }
    Ok(())
}

/// A progress bar on stderr, drawn only when stderr is a terminal.
struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    fn new(enabled: bool) -> Bar {
        Bar {
            bar: enabled.then(ProgressBar::hidden),
        }
    }

    fn update(&mut self, p: &Progress) {
        let Some(bar) = &mut self.bar else { return };
        if bar.is_hidden() {
            let (len, template) = match (p.total_rows, p.total_bytes) {
                (Some(rows), _) => (
                    Some(rows),
                    "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} 行 rows · {per_sec} · ETA {eta}",
                ),
                (None, Some(bytes)) => (
                    Some(bytes),
                    "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} · {msg} · ETA {eta}",
                ),
                (None, None) => (None, "{spinner} [{elapsed_precise}] {msg}"),
            };
            let style = ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
            *bar = match len {
                Some(n) => ProgressBar::new(n),
                None => ProgressBar::new_spinner(),
            };
            bar.set_style(style);
        }
        match (p.total_rows, p.total_bytes) {
            (Some(_), _) => bar.set_position(p.rows),
            (None, Some(_)) => {
                bar.set_position(p.bytes);
                bar.set_message(format!("{} 行 rows", p.rows));
            }
            (None, None) => bar.set_message(format!("{} 行 rows", p.rows)),
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

pub fn run(opts: &EngineOptions, a: Args) -> Result<(), Failure> {
    let (input, output, rank_opts) = settings(&a)?;
    let engine = open_engine(opts)?;
    check_filter(&rank_opts.filter, &engine.catalog)?;
    let mut bar = Bar::new(!a.quiet && std::io::stderr().is_terminal());
    let result = batch::rank(&engine, &input, &output, &rank_opts, &mut |p| bar.update(p));
    bar.finish();
    let summary = result?;
    if !a.quiet {
        eprint!("{}", summary_text(&summary, &output, &rank_opts));
    }
    Ok(())
}

/// The summary printed on stderr.
fn summary_text(s: &Summary, output: &Output, opts: &RankOptions) -> String {
    let mut t = String::new();
    let label = |f: InputFormat| {
        if s.format_label.is_empty() {
            f.as_str().to_string()
        } else {
            s.format_label.clone()
        }
    };
    let how = match (s.format, s.encoding) {
        (Some(f), Some(e)) => format!(" ({}, {})", label(f), e.as_str()),
        (Some(f), None) => format!(" ({})", label(f)),
        _ => String::new(),
    };
    t.push_str(&format!(
        "读入 in: {} 行 rows from {}{how}\n输出 out: {} 行 rows → {}\n",
        s.rows_in,
        s.input,
        s.rows_out,
        output.display()
    ));
    if let Some(n) = s.header_row
        && (n > 1 || opts.header_row.is_some())
    {
        t.push_str(&format!(
            "表头 header: 第 {n} 行 row {n}{}\n",
            if n > 1 {
                format!(" (跳过上方 {} 行标题 skipped {} title row(s) above it)", n - 1, n - 1)
            } else {
                String::new()
            }
        ));
    }
    if s.replaced_columns > 0 {
        t.push_str(&format!(
            "重新排名 re-ranked: 替换了上次的 {} 个结果列 replaced {} result columns of an earlier run\n",
            s.replaced_columns, s.replaced_columns
        ));
    }
    for note in &s.notes {
        t.push_str(note);
        t.push('\n');
    }
    if opts.filter.is_active() {
        t.push_str(&format!(
            "筛除 filtered: {} 行 rows ({})\n",
            s.filtered,
            opts.filter.describe()
        ));
    }
    t.push_str(&format!("拒收 rejected: {} 行 rows", s.rejected));
    if s.rejected > 0 {
        let reasons: Vec<String> = s.reject_reasons.iter().map(|(r, n)| format!("{r}: {n}")).collect();
        t.push_str(&format!(" ({})", reasons.join("; ")));
    }
    match &opts.rejects {
        Some(p) => t.push_str(&format!(" → {}", p.display())),
        None if s.rejected > 0 => {
            let rows: Vec<String> = s.first_rejects.iter().map(|(r, _)| r.to_string()).collect();
            t.push_str(&format!(
                "; rows {}{}; 用 --rejects PATH 保存 save them with --rejects PATH",
                rows.join(", "),
                if s.rejected as usize > rows.len() { " …" } else { "" }
            ));
        }
        None => {}
    }
    t.push('\n');
    t.push_str(&format!(
        "判定 verdicts: 重点目标 target {} · 可关注 possible {} · 不匹配 none {}\n",
        s.target, s.possible, s.none
    ));
    if !s.origins.is_empty() {
        let n = |k: &str| s.origins.get(k).copied().unwrap_or(0);
        t.push_str(&format!(
            "来源 origin: 本地 local（培育 cultivate）{} · 外地 elsewhere（招引 attract）{} · 未知 unknown {}\n",
            n("local"),
            n("elsewhere"),
            n("unknown")
        ));
    }
    if opts.sort != SortOrder::Input {
        t.push_str(&format!("排序 sorted by: {}\n", opts.sort.as_str()));
    }
    if s.duplicates > 0 {
        t.push_str(&format!("重复 duplicates: {} 行 rows (marked, kept)\n", s.duplicates));
    }
    if !s.flags.is_empty() {
        let flags: Vec<String> = s.flags.iter().map(|(f, n)| format!("{f} {n}")).collect();
        t.push_str(&format!("问题 flags: {}\n", flags.join(", ")));
    }
    if let Some(b) = &s.beyond_gbk {
        let rows: Vec<String> = b.first_rows.iter().map(u64::to_string).collect();
        let chars: String = b.chars.iter().collect();
        t.push_str(&format!(
            "注意 note: {} 行含 GBK 没有的字符 row(s) hold characters GBK lacks ({chars}): rows {}{}; 这些字符按 GB18030 写出 written as GB18030 (Excel/WPS read it; older tools may not — use --encoding utf8)\n",
            b.rows,
            rows.join(", "),
            if b.rows as usize > rows.len() { " …" } else { "" }
        ));
    }
    if let Some(p) = &opts.report {
        t.push_str(&format!("报告 report: {}\n", p.display()));
    }
    t.push_str(&format!(
        "用时 time: {:.2} s · {:.0} 行/秒 rows/s\n",
        s.elapsed.as_secs_f64(),
        s.rows_per_sec()
    ));
    if let Some(e) = &s.engine {
        t.push_str(&format!("版本 engine: {}\n", e.describe()));
    }
    t
}
