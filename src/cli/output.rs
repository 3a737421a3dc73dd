//! Printing results for people (tables) and programs (JSON).

use crate::lead::LeadResult;
use crate::search::SearchResult;
use std::io::Write;

/// Writes one JSON value and a newline to stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// A readable block for one scored lead.
pub fn lead_table(r: &LeadResult) -> String {
    let mut s = String::new();
    if !r.name.is_empty() {
        s.push_str(&format!("企业 Company: {}\n", r.name));
    }
    s.push_str(&format!(
        "判定 Verdict: {} {}    匹配度 fit: {:.2}\n",
        r.verdict.label_zh(),
        r.verdict.as_str(),
        r.fit
    ));
    if let Some(d) = &r.declared_industry {
        s.push_str(&format!("申报行业 Declared industry: {d}\n"));
    }
    if !r.counter_evidence.is_empty() {
        s.push_str(&format!(
            "反向证据 Counter-evidence: {}\n",
            r.counter_evidence.join("、")
        ));
    }
    if !r.flags.is_empty() {
        s.push_str(&format!("问题 Flags: {}\n", r.flags.join(", ")));
    }
    if let Some(st) = r.status {
        s.push_str(&format!(
            "登记状态 Status: {}\n",
            match st {
                crate::lead::OperatingStatus::Active => "经营中 active",
                crate::lead::OperatingStatus::Inactive => "已不在经营 inactive (tier D)",
            }
        ));
    }
    if let Some(o) = r.origin.filter(|o| *o != crate::catalog::Origin::Unknown) {
        s.push_str(&format!("来源 Origin: {} {}\n", o.label_zh(), o.as_str()));
    }
    if let Some(p) = &r.priority {
        s.push_str(&format!("优先级 Priority: {} (tier {})\n", p.score, p.tier));
    }
    if r.matches.is_empty() {
        s.push_str("未匹配到规划产业，不分派 No plan sector matched; not routed.\n");
        if let Some(m) = &r.nearest {
            s.push_str(&format!(
                "最接近 Nearest: [{}] {} › {} ({})    得分 score {:.2}\n",
                m.sector_no, m.sector, m.industry, m.industry_id, m.score
            ));
        }
    }
    for (i, m) in r.matches.iter().enumerate() {
        s.push_str(&format!(
            "\n#{} [{}] {} › {} ({})    得分 score {:.2}\n",
            i + 1,
            m.sector_no,
            m.sector,
            m.industry,
            m.industry_id,
            m.score
        ));
        if !m.evidence.is_empty() {
            s.push_str(&format!("   依据 evidence: {}\n", m.evidence.join("、")));
        }
        s.push_str(&format!("   条款 clause: 温政办〔2019〕50号 {}\n", m.clause));
        s.push_str(&format!("   牵头单位 lead unit: {}\n", m.lead_unit));
        if !m.responsible_units.is_empty() {
            s.push_str(&format!(
                "   责任单位 responsible: {}\n",
                m.responsible_units.join("、")
            ));
        }
        if !m.carriers.is_empty() {
            let shown: Vec<&str> = m.carriers.iter().take(6).map(|c| c.as_str()).collect();
            let more = if m.carriers.len() > 6 {
                format!(" …(+{})", m.carriers.len() - 6)
            } else {
                String::new()
            };
            s.push_str(&format!("   载体 carriers: {}{more}\n", shown.join("、")));
        }
    }
    s
}

/// A readable list of search hits.
pub fn search_table(r: &SearchResult) -> String {
    if r.hits.is_empty() {
        return format!("未找到 no catalogue entry matches {:?}\n", r.query);
    }
    let mut s = String::new();
    for (i, h) in r.hits.iter().enumerate() {
        let snippet = h.snippet.replace("<b>", "【").replace("</b>", "】");
        s.push_str(&format!(
            "{:>2}. [{}] {} › {} ({})  {:.2}\n    {}\n    牵头 lead: {}",
            i + 1,
            h.sector_no,
            h.sector,
            h.industry,
            h.industry_id,
            h.score,
            snippet,
            h.lead_unit
        ));
        if !h.carriers.is_empty() {
            let shown: Vec<&str> = h.carriers.iter().take(4).map(|c| c.as_str()).collect();
            s.push_str(&format!("    载体 carriers: {}", shown.join("、")));
        }
        s.push('\n');
    }
    s
}
