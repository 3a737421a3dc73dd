//! The routing report of `rank --report PATH`: one self-contained HTML file (inline CSS, inline
//! SVG charts, no scripts, no network) saying what the run produced and which department gets
//! which lead.
//!
//! This module owns the [`Collector`], fed row by row in the ordered stage with every row written
//! to the output (after `--min-tier`/`--sector`/`--lead-unit`/`--verdict`) and every rejected row,
//! and the rendering. Memory is bounded whatever the input size: counts, the top
//! [`SECTOR_TOP`] leads per sector, at most [`UNIT_CAP`] leads per lead unit (best first, with a
//! "+N more" count), and the first [`LIST_CAP`] duplicates and rejects (with totals). Sectors and
//! lead units come from the catalogue, so their number does not grow with the input either.
//!
//! Every value that comes from the input (names, reasons, the file name) or the catalogue is
//! HTML-escaped by [`esc`] before it is written.

use super::{Outcome, RankedRow, Summary};
use crate::catalog::{Origin, Sector};
use crate::lead::LeadResult;
use crate::{Verdict, error::Result};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Leads listed per sector.
pub const SECTOR_TOP: usize = 10;
/// Leads listed per lead unit.
pub const UNIT_CAP: usize = 50;
/// Duplicates and rejects listed.
pub const LIST_CAP: usize = 200;
/// Characters of a company name kept for the report.
const NAME_CHARS: usize = 120;
/// Evidence terms kept per lead.
const EVIDENCE_TERMS: usize = 5;

const TIERS: [&str; 4] = ["A", "B", "C", "D"];

/// One lead as the report shows it.
#[derive(Debug, Clone)]
struct Entry {
    row: u64,
    name: String,
    tier: String,
    score: u8,
    fit: f32,
    verdict: Verdict,
    sector: String,
    industry: String,
    evidence: String,
    duplicate_of: Option<u64>,
}

impl Entry {
    /// The name, escaped, with a duplicate mark.
    fn name_html(&self) -> String {
        match self.duplicate_of {
            Some(first) => format!("{} <span class=\"dup\">重复 dup → {first}</span>", esc(&self.name)),
            None => esc(&self.name),
        }
    }

    fn of(row: u64, r: &LeadResult) -> Entry {
        let best = r.matches.first();
        Entry {
            row,
            name: r.name.chars().take(NAME_CHARS).collect(),
            tier: r.priority.as_ref().map_or_else(|| "D".to_string(), |p| p.tier.clone()),
            score: r.priority.as_ref().map_or(0, |p| p.score),
            fit: r.fit,
            verdict: r.verdict,
            sector: best.map_or_else(String::new, |m| format!("[{}] {}", m.sector_no, m.sector)),
            industry: best.map_or_else(String::new, |m| m.industry.clone()),
            evidence: best.map_or_else(String::new, |m| {
                m.evidence
                    .iter()
                    .take(EVIDENCE_TERMS)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("、")
            }),
            duplicate_of: r.duplicate_of,
        }
    }

    /// Better leads sort first: higher priority, higher fit, earlier row.
    fn before(&self, other: &Entry) -> bool {
        (other.score, other.fit, self.row) < (self.score, self.fit, other.row)
    }
}

/// The best `cap` entries, best first; `total` counts all offered.
#[derive(Debug, Clone, Default)]
struct Top {
    entries: Vec<Entry>,
    total: u64,
}

impl Top {
    fn offer(&mut self, e: Entry, cap: usize) {
        self.total += 1;
        let at = self.entries.partition_point(|x| x.before(&e));
        if at < cap {
            self.entries.insert(at, e);
            self.entries.truncate(cap);
        }
    }
}

#[derive(Debug, Clone)]
struct SectorAcc {
    no: u32,
    id: String,
    name: String,
    name_en: String,
    top: Top,
}

#[derive(Debug, Clone, Default)]
struct UnitAcc {
    /// Leads per tier A, B, C, D.
    tiers: [u64; 4],
    top: Top,
}

/// What the report needs, gathered in the ordered stage in bounded memory.
#[derive(Debug, Clone)]
pub struct Collector {
    sectors: Vec<SectorAcc>,
    /// Output rows with verdict `none` (no sector).
    unmatched: u64,
    verdicts: [u64; 3],
    tiers: [u64; 4],
    /// Output rows local (培育), elsewhere (招引), unknown; all zero without a region.
    origins: [u64; 3],
    units: BTreeMap<String, UnitAcc>,
    duplicates: Vec<(u64, u64, String)>,
    duplicates_total: u64,
    rejects: Vec<(u64, String)>,
    rejects_total: u64,
}

/// Facts about the run shown at the top of the report.
#[derive(Debug, Clone)]
pub struct RunFacts<'a> {
    pub summary: &'a Summary,
    pub output: String,
    /// The active filter in words; empty when none.
    pub filter: String,
}

fn tier_index(t: &str) -> usize {
    TIERS.iter().position(|x| *x == t).unwrap_or(3)
}

impl Collector {
    /// A collector knowing the catalogue's sectors (each gets a bar, zero or not).
    pub fn new(sectors: &[Sector]) -> Collector {
        let mut sectors: Vec<SectorAcc> = sectors
            .iter()
            .map(|s| SectorAcc {
                no: s.no,
                id: s.id.clone(),
                name: s.name.clone(),
                name_en: s.name_en.clone(),
                top: Top::default(),
            })
            .collect();
        sectors.sort_by_key(|s| s.no);
        Collector {
            sectors,
            unmatched: 0,
            verdicts: [0; 3],
            tiers: [0; 4],
            origins: [0; 3],
            units: BTreeMap::new(),
            duplicates: Vec::new(),
            duplicates_total: 0,
            rejects: Vec::new(),
            rejects_total: 0,
        }
    }

    /// Counts a row written to the output or rejected (never a filtered-out row).
    pub fn observe(&mut self, row: &RankedRow) {
        match &row.outcome {
            Outcome::Rejected(reason) => {
                self.rejects_total += 1;
                if self.rejects.len() < LIST_CAP {
                    self.rejects.push((row.row, reason.to_string()));
                }
            }
            Outcome::Ranked { result, .. } => self.ranked(row.row, result),
        }
    }

    fn ranked(&mut self, row: u64, r: &LeadResult) {
        let entry = Entry::of(row, r);
        self.tiers[tier_index(&entry.tier)] += 1;
        if let Some(o) = r.origin {
            self.origins[match o {
                Origin::Local => 0,
                Origin::Elsewhere => 1,
                Origin::Unknown => 2,
            }] += 1;
        }
        self.verdicts[match r.verdict {
            Verdict::Target => 0,
            Verdict::Possible => 1,
            Verdict::None => 2,
        }] += 1;
        if let Some(first) = r.duplicate_of {
            self.duplicates_total += 1;
            if self.duplicates.len() < LIST_CAP {
                self.duplicates.push((row, first, entry.name.clone()));
            }
        }
        let best = match r.matches.first() {
            Some(m) if r.verdict != Verdict::None => m,
            _ => {
                self.unmatched += 1;
                return;
            }
        };
        let unit = self.units.entry(best.lead_unit.clone()).or_default();
        unit.tiers[tier_index(&entry.tier)] += 1;
        unit.top.offer(entry.clone(), UNIT_CAP);
        match self.sectors.iter_mut().find(|s| s.id == best.sector_id) {
            Some(s) => s.top.offer(entry, SECTOR_TOP),
            None => {
                // A sector missing from the list (cannot happen with one catalogue): add it.
                let mut top = Top::default();
                top.offer(entry, SECTOR_TOP);
                self.sectors.push(SectorAcc {
                    no: best.sector_no,
                    id: best.sector_id.clone(),
                    name: best.sector.clone(),
                    name_en: String::new(),
                    top,
                });
            }
        }
    }

    /// Writes the report to `path` atomically (a temporary file renamed into place).
    pub fn write(&self, path: &std::path::Path, facts: &RunFacts<'_>) -> Result<()> {
        super::files::AtomicFile::write_all(path, self.render(facts).as_bytes())
            .map_err(|e| crate::Error::Input(format!("无法写入报告 cannot write the report {}: {e}", path.display())))
    }

    /// The whole HTML document.
    pub fn render(&self, facts: &RunFacts<'_>) -> String {
        let s = facts.summary;
        let mut h = String::with_capacity(64 * 1024);
        h.push_str(HEAD);

        // Title and run facts.
        h.push_str("<h1>招商线索路由报告 <span class=\"en\">Lead routing report</span></h1>\n");
        let filter = if facts.filter.is_empty() {
            "无 none (全部输出 every ranked row)".to_string()
        } else {
            facts.filter.clone()
        };
        h.push_str(
            "<p class=\"note\">本报告描述写入输出文件的行（筛选之后）；拒收行单独列出。\
             <span class=\"en\">This report describes the rows written to the output (after the \
             filter); rejected rows are listed separately.</span></p>\n",
        );
        h.push_str("<table class=\"facts\">\n");
        let generated = local_now();
        let engine = s.engine.as_ref().map_or_else(String::new, |e| e.describe());
        let facts_rows: [(&str, String); 11] = [
            ("输入文件 Input", s.input.clone()),
            ("输出 Output", facts.output.clone()),
            ("筛选 Filter", filter),
            ("读入 Rows in", s.rows_in.to_string()),
            ("输出 Rows out", s.rows_out.to_string()),
            ("筛除 Filtered out", s.filtered.to_string()),
            ("拒收 Rejected", s.rejected.to_string()),
            ("重复 Duplicates (in output)", s.duplicates.to_string()),
            ("用时 Time", format!("{:.2} s", s.elapsed.as_secs_f64())),
            ("生成时间 Generated", generated.clone()),
            ("版本 Engine", engine.clone()),
        ];
        for (k, v) in facts_rows {
            let _ = writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&v));
        }
        h.push_str("</table>\n");

        // Charts.
        h.push_str("<h2>概览 <span class=\"en\">Overview</span></h2>\n<div class=\"charts\">\n");
        let mut bars: Vec<(String, u64)> = self
            .sectors
            .iter()
            .map(|x| (format!("[{}] {}", x.no, x.name), x.top.total))
            .collect();
        bars.push(("不匹配 no fit".to_string(), self.unmatched));
        chart(&mut h, "sector-chart", "按产业类别 By sector", &bars);
        let verdicts = [
            (format!("{} target", Verdict::Target.label_zh()), self.verdicts[0]),
            (format!("{} possible", Verdict::Possible.label_zh()), self.verdicts[1]),
            (format!("{} none", Verdict::None.label_zh()), self.verdicts[2]),
        ];
        chart(&mut h, "verdict-chart", "按判定 By verdict", &verdicts);
        let tiers: Vec<(String, u64)> = TIERS
            .iter()
            .zip(self.tiers)
            .map(|(t, n)| (format!("{t} 级 tier {t}"), n))
            .collect();
        chart(&mut h, "tier-chart", "等级分布 Tier distribution", &tiers);
        if self.origins.iter().sum::<u64>() > 0 {
            let origins = [
                ("本地 local（培育 cultivate）".to_string(), self.origins[0]),
                ("外地 elsewhere（招引 attract）".to_string(), self.origins[1]),
                ("未知 unknown".to_string(), self.origins[2]),
            ];
            chart(&mut h, "origin-chart", "按来源 By origin", &origins);
        }
        h.push_str("</div>\n");

        // Top leads per sector.
        let _ = writeln!(
            h,
            "<h2 id=\"sectors\">各产业重点线索 <span class=\"en\">Top leads per sector</span></h2>\n\
             <p class=\"note\">每个产业类别最多 {SECTOR_TOP} 条，按优先级排序；判定为不匹配的行不计入。\
             <span class=\"en\">Up to {SECTOR_TOP} per sector by priority; rows with verdict none are \
             not assigned a sector.</span></p>"
        );
        for x in self.sectors.iter().filter(|x| x.top.total > 0) {
            let _ = writeln!(
                h,
                "<section class=\"sector\"><h3>[{}] {} <span class=\"en\">{} · {}</span> — {} 条 leads</h3>",
                x.no,
                esc(&x.name),
                esc(&x.name_en),
                esc(&x.id),
                x.top.total
            );
            h.push_str(
                "<table><thead><tr><th>行号 Row</th><th>企业名称 Name</th><th>等级 Tier</th>\
                 <th>优先级 Priority</th><th>匹配度 Fit</th><th>细分产业 Industry</th>\
                 <th>依据 Evidence</th></tr></thead><tbody>\n",
            );
            for e in &x.top.entries {
                let _ = writeln!(
                    h,
                    "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"tier\">{}</td><td class=\"num\">{}</td>\
                     <td class=\"num\">{:.2}</td><td>{}</td><td>{}</td></tr>",
                    e.row,
                    e.name_html(),
                    esc(&e.tier),
                    e.score,
                    e.fit,
                    esc(&e.industry),
                    esc(&e.evidence)
                );
            }
            h.push_str("</tbody></table>\n");
            more(&mut h, x.top.total, x.top.entries.len());
            h.push_str("</section>\n");
        }
        if self.sectors.iter().all(|x| x.top.total == 0) {
            h.push_str("<p>无 none</p>\n");
        }

        // Routing by lead unit.
        let _ = writeln!(
            h,
            "<h2 id=\"routing\">按牵头单位分派 <span class=\"en\">Routing by lead unit</span></h2>\n\
             <p class=\"note\">按最佳匹配的牵头单位分派；每个单位最多列 {UNIT_CAP} 条，A/B 级在前。\
             <span class=\"en\">By the lead unit of the best match; up to {UNIT_CAP} per unit, A and B \
             first.</span></p>"
        );
        let mut units: Vec<(&String, &UnitAcc)> = self.units.iter().collect();
        units.sort_by(|a, b| b.1.top.total.cmp(&a.1.top.total).then(a.0.cmp(b.0)));
        for (name, u) in &units {
            let _ = writeln!(
                h,
                "<section class=\"unit\"><h3>{} — {} 条 leads <span class=\"en\">(A {} · B {} · C {} · D {})</span></h3>",
                esc(name),
                u.top.total,
                u.tiers[0],
                u.tiers[1],
                u.tiers[2],
                u.tiers[3]
            );
            h.push_str(
                "<table><thead><tr><th>行号 Row</th><th>企业名称 Name</th><th>等级 Tier</th>\
                 <th>优先级 Priority</th><th>判定 Verdict</th><th>产业类别 Sector</th>\
                 <th>细分产业 Industry</th></tr></thead><tbody>\n",
            );
            for e in &u.top.entries {
                let _ = writeln!(
                    h,
                    "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"tier\">{}</td><td class=\"num\">{}</td>\
                     <td>{} {}</td><td>{}</td><td>{}</td></tr>",
                    e.row,
                    e.name_html(),
                    esc(&e.tier),
                    e.score,
                    e.verdict.label_zh(),
                    e.verdict.as_str(),
                    esc(&e.sector),
                    esc(&e.industry)
                );
            }
            h.push_str("</tbody></table>\n");
            more(&mut h, u.top.total, u.top.entries.len());
            h.push_str("</section>\n");
        }
        if units.is_empty() {
            h.push_str("<p>无 none</p>\n");
        }

        // Duplicates.
        let _ = writeln!(
            h,
            "<h2 id=\"duplicates\">重复 <span class=\"en\">Duplicates</span> ({})</h2>\n\
             <p class=\"note\">重复行保留在输出中，并标明首次出现的行。<span class=\"en\">Duplicates stay in \
             the output, marked with the row of the first occurrence.</span></p>",
            self.duplicates_total
        );
        if self.duplicates.is_empty() {
            h.push_str("<p>无 none</p>\n");
        } else {
            h.push_str(
                "<table><thead><tr><th>行号 Row</th><th>重复于 Duplicate of</th><th>企业名称 Name</th>\
                 </tr></thead><tbody>\n",
            );
            for (row, first, name) in &self.duplicates {
                let _ = writeln!(
                    h,
                    "<tr><td class=\"num\">{row}</td><td class=\"num\">→ {first}</td><td>{}</td></tr>",
                    esc(name)
                );
            }
            h.push_str("</tbody></table>\n");
            more(&mut h, self.duplicates_total, self.duplicates.len());
        }

        // Rejects.
        let _ = writeln!(
            h,
            "<h2 id=\"rejects\">拒收 <span class=\"en\">Rejects</span> ({})</h2>\n\
             <p class=\"note\">无法排名的行，不在输出中（用 --rejects PATH 保存原始内容）。\
             <span class=\"en\">Rows that could not be ranked and are not in the output (save their \
             content with --rejects PATH).</span></p>",
            self.rejects_total
        );
        if self.rejects.is_empty() {
            h.push_str("<p>无 none</p>\n");
        } else {
            h.push_str("<table><thead><tr><th>行号 Row</th><th>原因 Reason</th></tr></thead><tbody>\n");
            for (row, reason) in &self.rejects {
                let _ = writeln!(h, "<tr><td class=\"num\">{row}</td><td>{}</td></tr>", esc(reason));
            }
            h.push_str("</tbody></table>\n");
            more(&mut h, self.rejects_total, self.rejects.len());
        }

        let _ = writeln!(
            h,
            "<footer>{} — 温政办〔2019〕50号 — 生成 generated {}</footer>\n</body>\n</html>",
            esc(if engine.is_empty() { "leadmatch rank" } else { &engine }),
            esc(&generated)
        );
        h
    }
}

/// "+N more" under a capped list.
fn more(h: &mut String, total: u64, shown: usize) {
    let rest = total.saturating_sub(shown as u64);
    if rest > 0 {
        let _ = writeln!(h, "<p class=\"more\">另有 {rest} 条未列出 +{rest} more not listed</p>");
    }
}

/// A horizontal bar chart as inline SVG.
fn chart(h: &mut String, id: &str, title: &str, bars: &[(String, u64)]) {
    const W: u32 = 620;
    const LABEL: u32 = 260;
    const ROW: u32 = 22;
    const BAR_MAX: u32 = W - LABEL - 60;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let height = ROW * bars.len() as u32 + 8;
    let _ = writeln!(
        h,
        "<figure id=\"{id}\"><figcaption>{}</figcaption>\n<svg class=\"chart\" viewBox=\"0 0 {W} {height}\" \
         width=\"{W}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        esc(title),
        esc(title)
    );
    for (i, (label, n)) in bars.iter().enumerate() {
        let y = 4 + ROW * i as u32;
        let w = if *n == 0 {
            0
        } else {
            ((*n as f64 / max as f64) * BAR_MAX as f64).round().max(1.0) as u32
        };
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{}\" width=\"{w}\" height=\"{}\" class=\"bar\"/>\
             <text x=\"{}\" y=\"{}\">{n}</text>",
            LABEL - 6,
            y + 15,
            esc(label),
            y + 3,
            ROW - 6,
            LABEL + w + 4,
            y + 15
        );
    }
    h.push_str("</svg></figure>\n");
}

/// HTML-escapes text for element content and quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The current time, UTC, as `YYYY-MM-DD HH:MM UTC`.
/// The time now in the local time zone, with its offset and zone name:
/// `2026-11-29 20:41:07 +08:00 (Asia/Shanghai)`. UTC when the zone cannot be found.
pub fn local_now() -> String {
    let now = jiff::Zoned::now();
    let name = now
        .time_zone()
        .iana_name()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    format!("{}{name}", now.strftime("%Y-%m-%d %H:%M:%S %:z"))
}

const HEAD: &str = r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>招商线索路由报告 Lead routing report</title>
<style>
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; border-bottom: 2px solid #2b6cb0; padding-bottom: .3em; }
h2 { font-size: 1.3em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05em; margin: 1.2em 0 .4em; }
.en { color: #666; font-weight: normal; }
.note { color: #555; font-size: .9em; }
.dup { color: #9c4221; font-size: .85em; white-space: nowrap; }
.more { color: #555; font-size: .9em; font-style: italic; }
table { border-collapse: collapse; width: 100%; font-size: .9em; margin: .3em 0; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; vertical-align: top; }
thead th { background: #edf2f7; }
table.facts { width: auto; }
table.facts th { background: #f7fafc; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
td.tier { text-align: center; font-weight: bold; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5em; }
figure { margin: 0; }
figcaption { font-weight: bold; margin-bottom: .3em; }
svg.chart { font-size: 12px; max-width: 100%; height: auto; }
svg.chart text { fill: #222; }
svg.chart .bar { fill: #3182ce; }
footer { margin-top: 2em; color: #888; font-size: .8em; }
/* A phone (390 px): wide tables and charts scroll in their own box instead of being cut off, and
   the charts keep their natural size so their labels stay legible. */
@media screen and (max-width: 640px) {
  body { margin: 1em auto; padding: 0 .6em; }
  h1 { font-size: 1.3em; }
  table:not(.facts) { display: block; overflow-x: auto; }
  td, th { overflow-wrap: anywhere; }
  td.num, td.tier, .dup { overflow-wrap: normal; }
  .charts { display: block; }
  figure { max-width: 100%; overflow-x: auto; margin-bottom: 1em; }
  svg.chart { max-width: none; font-size: 13px; }
  body { overflow-wrap: anywhere; }
  section, div, figure, table.facts { max-width: 100%; overflow-x: auto; }
}
@media print {
  body { margin: 0; max-width: none; color: #000; }
  * { background: none !important; box-shadow: none !important; }
  svg.chart .bar { fill: #555; }
  table, figure, section.sector, section.unit { break-inside: avoid; page-break-inside: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
</style>
</head>
<body>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    fn entry(row: u64, score: u8) -> Entry {
        Entry {
            row,
            name: format!("n{row}"),
            tier: "B".into(),
            score,
            fit: 0.5,
            verdict: Verdict::Target,
            sector: String::new(),
            industry: String::new(),
            evidence: String::new(),
            duplicate_of: None,
        }
    }

    #[test]
    fn top_keeps_the_best_in_order_and_counts_all() {
        let mut t = Top::default();
        for (row, score) in [(1, 10), (2, 90), (3, 50), (4, 90), (5, 5)] {
            t.offer(entry(row, score), 3);
        }
        let rows: Vec<u64> = t.entries.iter().map(|e| e.row).collect();
        assert_eq!(rows, [2, 4, 3]);
        assert_eq!(t.total, 5);
    }
}
