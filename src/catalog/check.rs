//! Catalogue validation: unique ids, no empty keyword lists, every GB/T 4754 code present in the
//! standard, every sector with industries, sane scoring and priority settings, a sound region
//! (`region.toml`: the city, its districts, no place both local and elsewhere). Each problem names
//! file and line.

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
        if ind.core_makers && ind.makers_excluded {
            push(
                file,
                id_line,
                format!(
                    "industry {:?}: core_makers and makers_excluded say opposite things of its makers; keep one",
                    ind.id
                ),
            );
        }
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
        match &ind.shared_as {
            Some(t) if !ind.strong.iter().any(|x| x == t) => push(
                file,
                loc.line(file, anchor, "shared_as"),
                format!(
                    "industry {:?}: `shared_as` {t:?} is not one of its `strong` terms",
                    ind.id
                ),
            ),
            None if !ind.shared.is_empty() => push(
                file,
                loc.line(file, anchor, "shared"),
                format!("industry {:?}: `shared` words need a `shared_as` term", ind.id),
            ),
            _ => {}
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
        if g.terms.is_empty() && g.item_endings.is_empty() {
            push(
                TF,
                line,
                format!("negative group {:?}: neither `terms` nor `item_endings`", g.id),
            );
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
    // The lexical layer must keep the fit's order (its map is monotone only with non-negative
    // weights on the fit), and a maker's words may weigh less than anyone's, never the other way
    // round (a negative weight would read "more like an ordinary factory" as "more like a plan
    // maker").
    if let Some(l) = &catalog.scoring.lexical {
        let words = l.lexical_weight.min(l.lexical_weight + l.maker_weight);
        let problem = if !(l.fit_weight >= 0.0
            && l.low_fit_weight >= 0.0
            && [l.lexical_weight, l.maker_weight, l.bias].iter().all(|x| x.is_finite()))
        {
            Some(format!(
                "[lexical] fit_weight ({}) and low_fit_weight ({}) must be ≥ 0 and every weight finite (the map onto the fit must keep its order)",
                l.fit_weight, l.low_fit_weight
            ))
        } else if words < 0.0 {
            Some(format!(
                "[lexical] lexical_weight ({}) and lexical_weight + maker_weight ({}) must be ≥ 0 (the words must count the same way for every firm)",
                l.lexical_weight,
                l.lexical_weight + l.maker_weight
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            push(SC, loc.line(SC, None, "[lexical]"), message);
        }
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
        ("loose_min", m.loose_min),
    ] {
        if !(val.is_finite() && val >= 0.0) {
            push(
                SC,
                loc.line(SC, Some("__none__"), &format!("{key} =")),
                format!("[matcher] {key} must be a finite number ≥ 0, got {val}"),
            );
        }
    }
    check_priority(catalog, source, &mut push);
    if source.file("region.toml").is_some() {
        let line = |name: &str| loc.line("region.toml", None, &format!("\"{name}\""));
        problems.extend(super::region::check(&catalog.region.file, &line));
    }
    problems
}

/// Line of `key =` inside `[section]` of `file` (the section header's line when the key is not
/// written, 1 when neither is).
fn section_key_line(source: &CatalogSource, file: &str, section: &str, key: &str) -> usize {
    let Some(f) = source.file(file) else {
        return 0;
    };
    let Some(start) = f.text.find(&format!("[{section}]")) else {
        return 1;
    };
    let end = f.text[start + 1..].find("\n[").map_or(f.text.len(), |e| start + 1 + e);
    let body = &f.text[start..end];
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return line_at(&f.text, start + offset);
        }
        offset += line.len();
    }
    line_at(&f.text, start)
}

/// `[priority]`: tiers ordered, weights finite and ≥ 0, rates and yardsticks > 0, thresholds in
/// (0, 1], no empty terms.
fn check_priority(catalog: &Catalog, source: &CatalogSource, push: &mut impl FnMut(&str, usize, String)) {
    const SC: &str = "scoring.toml";
    let p = &catalog.scoring.priority;
    let line = |section: &str, key: &str| section_key_line(source, SC, section, key);

    let t = &p.tiers;
    if !(0.0 < t.c && t.c < t.b && t.b < t.a && t.a <= 100.0) {
        push(
            SC,
            line("priority.tiers", "a"),
            format!(
                "[priority.tiers] must satisfy 0 < c ({}) < b ({}) < a ({}) ≤ 100",
                t.c, t.b, t.a
            ),
        );
    }
    let w = &p.weights;
    for (key, val) in [
        ("fit", w.fit),
        ("revenue", w.revenue),
        ("capital", w.capital),
        ("named_company", w.named_company),
        ("headquarters", w.headquarters),
        ("fortune500", w.fortune500),
        ("industry_top100", w.industry_top100),
        ("listed", w.listed),
        ("unicorn", w.unicorn),
        ("returning", w.returning),
        ("high_tech", w.high_tech),
        ("specialised", w.specialised),
    ] {
        if !(val.is_finite() && val >= 0.0) {
            push(
                SC,
                line("priority.weights", key),
                format!("[priority.weights] {key} must be a finite number ≥ 0, got {val}"),
            );
        }
    }
    let r = &p.revenue;
    for (key, list) in [
        ("new_business", &r.new_business),
        ("e_commerce", &r.e_commerce),
        ("commerce_circulation", &r.commerce_circulation),
    ] {
        if list.is_empty() || list.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            push(
                SC,
                line("priority.revenue", key),
                format!("[priority.revenue] {key} must list one or more amounts in 亿元, each > 0, got {list:?}"),
            );
        }
    }
    for (key, list) in [
        ("e_commerce_sectors", &r.e_commerce_sectors),
        ("commerce_circulation_sectors", &r.commerce_circulation_sectors),
    ] {
        for no in list {
            if catalog.sector_by_no(*no).is_none() {
                push(
                    SC,
                    line("priority.revenue", key),
                    format!("[priority.revenue] {key}: no sector numbered {no}"),
                );
            }
        }
    }
    let c = &p.capital;
    if !(c.floor.is_finite() && 0.0 < c.floor && c.floor < c.full && c.full.is_finite()) {
        push(
            SC,
            line("priority.capital", "floor"),
            format!(
                "[priority.capital] must satisfy 0 < floor ({}) < full ({}), in 亿元",
                c.floor, c.full
            ),
        );
    }
    let cur = &p.currency;
    for (key, val) in [
        ("usd", cur.usd),
        ("hkd", cur.hkd),
        ("eur", cur.eur),
        ("jpy", cur.jpy),
        ("twd", cur.twd),
        ("gbp", cur.gbp),
        ("aud", cur.aud),
        ("cad", cur.cad),
        ("sgd", cur.sgd),
        ("mop", cur.mop),
    ] {
        if !(val.is_finite() && val > 0.0) {
            push(
                SC,
                line("priority.currency", key),
                format!("[priority.currency] {key} must be a rate > 0 (yuan per unit), got {val}"),
            );
        }
    }
    let n = &p.names;
    for (key, val) in [
        ("dedup_similarity", n.dedup_similarity),
        ("core_similarity", n.core_similarity),
        ("named_similarity", n.named_similarity),
    ] {
        if !(val > 0.0 && val <= 1.0) {
            push(
                SC,
                line("priority.names", key),
                format!("[priority.names] {key} must lie in (0, 1], got {val}"),
            );
        }
    }
    if n.block_cap == 0 {
        push(
            SC,
            line("priority.names", "block_cap"),
            "[priority.names] block_cap must be at least 1".to_string(),
        );
    }
    let s = &p.signals;
    for (key, list) in [
        ("headquarters", &s.headquarters),
        ("headquarters_scope", &s.headquarters_scope),
        ("fortune500", &s.fortune500),
        ("industry_top100", &s.industry_top100),
        ("listed", &s.listed),
        ("unicorn", &s.unicorn),
        ("returning", &s.returning),
        ("high_tech", &s.high_tech),
        ("specialised", &s.specialised),
        ("negations", &s.negations),
    ] {
        if list.iter().any(|t| t.trim().is_empty()) {
            push(
                SC,
                line("priority.signals", key),
                format!("[priority.signals] {key}: empty term"),
            );
        }
    }
}
