//! Catalogue validation: unique ids, no empty keyword lists, every GB/T 4754 code present in the
//! standard, every sector with industries, sane scoring. Each problem names file and line.

use super::{Catalog, CatalogSource, line_at};
use crate::error::CatalogProblem;
use std::collections::{HashMap, HashSet};

struct Locator<'a> {
    source: &'a CatalogSource,
}

impl Locator<'_> {
    /// Line of the first occurrence of `needle` in `file`, searching from the line that holds
    /// `anchor` (e.g. `id = "esports"`) when given.
    fn line(&self, file: &str, anchor: Option<&str>, needle: &str) -> usize {
        let Some(f) = self.source.file(file) else {
            return 0;
        };
        let start = anchor.and_then(|a| find_assignment(&f.text, a)).unwrap_or(0);
        match f.text[start..].find(needle) {
            Some(p) => line_at(&f.text, start + p),
            None => line_at(&f.text, start),
        }
    }
}

/// Byte offset of `id = "<value>"` (any spacing) in a TOML text.
fn find_assignment(text: &str, value: &str) -> Option<usize> {
    let quoted = format!("\"{value}\"");
    let mut from = 0;
    while let Some(p) = text[from..].find(&quoted) {
        let at = from + p;
        let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let head = text[line_start..at].trim();
        if head.starts_with("id") && head.ends_with('=') {
            return Some(line_start);
        }
        from = at + quoted.len();
    }
    None
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

pub(super) fn check(catalog: &Catalog, source: &CatalogSource) -> Vec<CatalogProblem> {
    let loc = Locator { source };
    let mut problems = Vec::new();
    let mut push = |file: &str, line: usize, message: String| {
        problems.push(CatalogProblem {
            file: file.to_string(),
            line,
            message,
        })
    };

    // Themes and sectors.
    const SF: &str = "sectors.toml";
    let theme_nos: HashSet<u32> = catalog.themes.iter().map(|t| t.no).collect();
    if catalog.themes.len() != 5 {
        push(
            SF,
            1,
            format!("expected the plan's 5 themes, found {}", catalog.themes.len()),
        );
    }
    if catalog.sectors.len() != 12 {
        push(
            SF,
            1,
            format!("expected the plan's 12 sectors, found {}", catalog.sectors.len()),
        );
    }
    let mut sector_ids = HashSet::new();
    let mut sector_nos = HashSet::new();
    for s in &catalog.sectors {
        let line = loc.line(SF, Some(&s.id), "id");
        if !sector_ids.insert(s.id.as_str()) {
            push(SF, line, format!("duplicate sector id {:?}", s.id));
        }
        if !sector_nos.insert(s.no) || !(1..=12).contains(&s.no) {
            push(
                SF,
                line,
                format!("sector {:?}: number {} is duplicate or outside 1..12", s.id, s.no),
            );
        }
        if !theme_nos.contains(&s.theme) {
            push(SF, line, format!("sector {:?}: unknown theme {}", s.id, s.theme));
        }
        if s.lead_unit.trim().is_empty() {
            push(SF, line, format!("sector {:?}: empty lead_unit (牵头单位)", s.id));
        }
        if s.clause.trim().is_empty() {
            push(SF, line, format!("sector {:?}: empty clause", s.id));
        }
    }

    // Industries.
    let mut industry_ids: HashMap<&str, &str> = HashMap::new();
    let mut per_sector: HashMap<&str, usize> = HashMap::new();
    for (ind, file) in catalog.industries.iter().zip(&catalog.industry_files) {
        let anchor = Some(ind.id.as_str());
        let id_line = loc.line(file, anchor, "id");
        if ind.id.is_empty()
            || !ind
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            push(
                file,
                id_line,
                format!(
                    "industry id {:?} must be lowercase ascii letters, digits and hyphens",
                    ind.id
                ),
            );
        }
        if let Some(prev) = industry_ids.insert(&ind.id, file) {
            push(
                file,
                id_line,
                format!("duplicate industry id {:?} (also in {prev})", ind.id),
            );
        }
        if sector_ids.contains(ind.sector.as_str()) {
            *per_sector.entry(ind.sector.as_str()).or_default() += 1;
        } else {
            push(
                file,
                loc.line(file, anchor, "sector"),
                format!("industry {:?}: unknown sector {:?}", ind.id, ind.sector),
            );
        }
        if ind.name.trim().is_empty() || ind.name_en.trim().is_empty() {
            push(
                file,
                id_line,
                format!("industry {:?}: name and name_en are required", ind.id),
            );
        }
        if ind.clause.trim().is_empty() {
            push(
                file,
                id_line,
                format!("industry {:?}: empty clause (cite the plan)", ind.id),
            );
        }
        if ind.strong.is_empty() {
            push(
                file,
                loc.line(file, anchor, "strong"),
                format!("industry {:?}: empty keyword list `strong`", ind.id),
            );
        }
        for (list_name, list) in [
            ("strong", &ind.strong),
            ("support", &ind.support),
            ("generic", &ind.generic),
        ] {
            let mut seen = HashSet::new();
            for term in list {
                let t = term.trim();
                if t.is_empty() {
                    push(
                        file,
                        loc.line(file, anchor, list_name),
                        format!("industry {:?}: empty term in `{list_name}`", ind.id),
                    );
                    continue;
                }
                if !seen.insert(t.to_lowercase()) {
                    push(
                        file,
                        loc.line(file, anchor, &format!("\"{term}\"")),
                        format!("industry {:?}: duplicate term {term:?} in `{list_name}`", ind.id),
                    );
                }
                if t.chars().all(is_cjk) && t.chars().count() < 2 {
                    push(
                        file,
                        loc.line(file, anchor, &format!("\"{term}\"")),
                        format!(
                            "industry {:?}: Chinese term {term:?} is shorter than two characters",
                            ind.id
                        ),
                    );
                }
            }
        }
        for code in ind.gbt.iter().chain(&ind.gbt_related) {
            if !catalog.gbt.is_class(code) {
                push(
                    file,
                    loc.line(file, anchor, &format!("\"{code}\"")),
                    format!(
                        "industry {:?}: {code:?} is not a GB/T 4754-2017 class (see catalog/gbt4754-2017.csv)",
                        ind.id
                    ),
                );
            }
        }
    }
    for s in &catalog.sectors {
        if per_sector.get(s.id.as_str()).copied().unwrap_or(0) == 0 {
            push(
                SF,
                loc.line(SF, Some(&s.id), "id"),
                format!("sector {:?} has no industries", s.id),
            );
        }
    }

    // Companies.
    for c in &catalog.companies {
        for s in &c.sectors {
            if !sector_ids.contains(s.as_str()) {
                push(
                    "companies.toml",
                    loc.line("companies.toml", None, &format!("\"{}\"", c.name)),
                    format!("company {:?}: unknown sector {s:?}", c.name),
                );
            }
        }
    }

    // Global terms.
    const TF: &str = "terms.toml";
    let mut neg_ids = HashSet::new();
    for g in &catalog.terms.negative {
        let line = loc.line(TF, Some(&g.id), "id");
        if !neg_ids.insert(g.id.as_str()) {
            push(TF, line, format!("duplicate negative group id {:?}", g.id));
        }
        if g.terms.is_empty() {
            push(TF, line, format!("negative group {:?}: empty `terms`", g.id));
        }
        for code in &g.gbt {
            if catalog.gbt.get(code).is_none() && code != "9290" {
                push(
                    TF,
                    loc.line(TF, Some(&g.id), &format!("\"{code}\"")),
                    format!("negative group {:?}: {code:?} is not a GB/T 4754-2017 code", g.id),
                );
            }
        }
    }

    for s in &catalog.scoring.matcher.trade_exempt_sectors {
        if !sector_ids.contains(s.as_str()) {
            push(
                "scoring.toml",
                loc.line("scoring.toml", None, "trade_exempt_sectors"),
                format!("[matcher] trade_exempt_sectors: unknown sector {s:?}"),
            );
        }
    }

    // Scoring.
    const SC: &str = "scoring.toml";
    let v = &catalog.scoring.verdict;
    if !(0.0 < v.possible && v.possible < v.target && v.target < 1.0) {
        push(
            SC,
            loc.line(SC, None, "[verdict]"),
            format!(
                "verdict thresholds must satisfy 0 < possible ({}) < target ({}) < 1",
                v.possible, v.target
            ),
        );
    }
    let m = &catalog.scoring.matcher;
    for (key, val) in [
        ("name", m.name),
        ("strong", m.strong),
        ("support", m.support),
        ("generic", m.generic),
        ("lone_support", m.lone_support),
        ("code_core", m.code_core),
        ("code_related", m.code_related),
        ("code_division", m.code_division),
        ("sector_others", m.sector_others),
        ("trade", m.trade),
    ] {
        if !(val.is_finite() && val >= 0.0) {
            push(
                SC,
                loc.line(SC, Some("__none__"), &format!("{key} =")),
                format!("[matcher] {key} must be a finite number ≥ 0, got {val}"),
            );
        }
    }
    problems
}
