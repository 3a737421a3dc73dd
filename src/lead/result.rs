//! The per-company result written by `score` and `rank` (interface.md, "Result"), with what the
//! list needs beyond the match: the registration status, where the company is (local or
//! elsewhere), the nearest sector of a row routed nowhere, and the engine that judged it.

use crate::catalog::Origin;
use crate::lead::status::{FLAG_STATUS_INACTIVE, OperatingStatus, profile_status};
use crate::lead::{Priority, Profile};
use crate::matcher::{Match, ScoreResult, Verdict};

use serde::{Deserialize, Serialize};

/// One scored lead as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadResult {
    /// 1-based data row of the input (rank only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    pub verdict: Verdict,
    pub fit: f32,
    /// Lead priority (rank; `score` when computed): score 0..100, tier A–D, reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    pub matches: Vec<Match>,
    /// `row` of the first occurrence of the same company (rank only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<u64>,
    /// Problems found in the row (`credit_code_invalid`, `scope_empty`, `truncated` …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counter_evidence: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_industry: Option<String>,
    /// 登记状态: `active` or `inactive`, when the profile says (status column or name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OperatingStatus>,
    /// 来源: `local` (培育 cultivation lead), `elsewhere` (招引 attraction lead) or `unknown`;
    /// absent when the catalogue has no region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// For a row judged `none`, which is routed nowhere (`matches` is empty): the sector it came
    /// nearest to, for information only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nearest: Option<Match>,
    /// The leadmatch version and catalogue fingerprint that produced this result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<EngineInfo>,
    /// The exact deduplication key: the normalised credit code when valid, else the normalised
    /// name ([`super::dedup_key`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dedup_key: Option<String>,
    /// The near-name block the company is compared within ([`super::block_key`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_key: Option<String>,
}

/// Which engine judged a lead: the leadmatch version and the catalogue's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineInfo {
    pub version: String,
    pub catalog: String,
}

impl EngineInfo {
    /// This build's version with a catalogue fingerprint (its first 12 hex digits).
    pub fn new(fingerprint: &str) -> EngineInfo {
        EngineInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            catalog: fingerprint.chars().take(12).collect(),
        }
    }

    /// `leadmatch 0.1.0 · 目录 catalogue 1a2b3c4d5e6f`.
    pub fn describe(&self) -> String {
        format!("leadmatch {} · 目录 catalogue {}", self.version, self.catalog)
    }
}

impl LeadResult {
    /// Combines a profile and its score, keeping the best `top` matches. A `none` verdict is
    /// routed nowhere: no matches, the best one kept apart as `nearest`.
    pub fn new(profile: &Profile, score: ScoreResult, top: usize) -> LeadResult {
        let mut matches = score.matches;
        matches.truncate(top);
        let nearest = if score.verdict == Verdict::None {
            let first = matches.first().cloned();
            matches.clear();
            first
        } else {
            None
        };
        LeadResult {
            row: None,
            id: profile.id.clone(),
            name: profile.name.clone(),
            verdict: score.verdict,
            fit: score.fit,
            priority: None,
            matches,
            duplicate_of: None,
            flags: Vec::new(),
            counter_evidence: score.counter_evidence,
            declared_industry: score.declared_industry,
            status: None,
            origin: None,
            nearest,
            engine: None,
            dedup_key: None,
            block_key: None,
        }
    }
}

impl LeadResult {
    /// Appends this result as one compact JSON object, byte-identical to its `Serialize` output
    /// but faster: the catalogue part of each match is pre-rendered ([`Match::write_json`]).
    /// Returns the offset where `"duplicate_of"` stands or would stand, so a writer that learns
    /// of the duplicate later can splice it in ([`LeadResult::splice_duplicate_of`]).
    pub fn write_json(&self, out: &mut Vec<u8>) -> usize {
        use crate::matcher::{write_json_str as string, write_json_strs as strings, write_json_value as value};
        out.push(b'{');
        if let Some(row) = self.row {
            out.extend_from_slice(b"\"row\":");
            value(out, &row);
            out.push(b',');
        }
        if let Some(id) = &self.id {
            out.extend_from_slice(b"\"id\":");
            string(out, id);
            out.push(b',');
        }
        out.extend_from_slice(b"\"name\":");
        string(out, &self.name);
        out.extend_from_slice(b",\"verdict\":");
        value(out, &self.verdict);
        out.extend_from_slice(b",\"fit\":");
        value(out, &self.fit);
        if let Some(p) = &self.priority {
            // As `Priority`'s derived `Serialize` writes it.
            out.extend_from_slice(b",\"priority\":{\"score\":");
            value(out, &p.score);
            out.extend_from_slice(b",\"tier\":");
            string(out, &p.tier);
            out.extend_from_slice(b",\"reasons\":");
            strings(out, &p.reasons);
            out.push(b'}');
        }
        out.extend_from_slice(b",\"matches\":[");
        for (i, m) in self.matches.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            m.write_json(out);
        }
        out.push(b']');
        let at = out.len();
        if let Some(d) = self.duplicate_of {
            out.extend_from_slice(b",\"duplicate_of\":");
            value(out, &d);
        }
        if !self.flags.is_empty() {
            out.extend_from_slice(b",\"flags\":");
            strings(out, &self.flags);
        }
        if !self.counter_evidence.is_empty() {
            out.extend_from_slice(b",\"counter_evidence\":");
            strings(out, &self.counter_evidence);
        }
        if let Some(d) = &self.declared_industry {
            out.extend_from_slice(b",\"declared_industry\":");
            string(out, d);
        }
        if let Some(s) = &self.status {
            out.extend_from_slice(b",\"status\":");
            value(out, s);
        }
        if let Some(o) = &self.origin {
            out.extend_from_slice(b",\"origin\":");
            value(out, o);
        }
        if let Some(m) = &self.nearest {
            out.extend_from_slice(b",\"nearest\":");
            m.write_json(out);
        }
        if let Some(e) = &self.engine {
            out.extend_from_slice(b",\"engine\":");
            value(out, e);
        }
        if let Some(k) = &self.dedup_key {
            out.extend_from_slice(b",\"dedup_key\":");
            string(out, k);
        }
        if let Some(k) = &self.block_key {
            out.extend_from_slice(b",\"block_key\":");
            string(out, k);
        }
        out.push(b'}');
        at
    }

    /// Appends the lean form of this result for pipelines (`rank --compact`): row, id, name,
    /// verdict, fit, priority score and tier, the top sectors as numbers with their scores, the
    /// industry ids, flags and the two deduplication keys; no catalogue text. Every key is
    /// written (`null` or `[]` when empty) so each line has the same shape, except
    /// `duplicate_of`, which [`LeadResult::splice_duplicate_of`] inserts at the returned offset.
    pub fn write_compact_json(&self, out: &mut Vec<u8>) -> usize {
        use crate::matcher::{write_json_str as string, write_json_strs as strings, write_json_value as value};
        let opt_string = |out: &mut Vec<u8>, s: Option<&str>| match s {
            Some(s) => string(out, s),
            None => out.extend_from_slice(b"null"),
        };
        out.extend_from_slice(b"{\"row\":");
        match self.row {
            Some(r) => value(out, &r),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"id\":");
        opt_string(out, self.id.as_deref());
        out.extend_from_slice(b",\"name\":");
        string(out, &self.name);
        out.extend_from_slice(b",\"verdict\":");
        value(out, &self.verdict);
        out.extend_from_slice(b",\"fit\":");
        value(out, &self.fit);
        out.extend_from_slice(b",\"priority\":");
        match &self.priority {
            Some(p) => value(out, &p.score),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"tier\":");
        opt_string(out, self.priority.as_ref().map(|p| p.tier.as_str()));
        out.extend_from_slice(b",\"sectors\":[");
        for (i, m) in self.matches.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            value(out, &m.sector_no);
        }
        out.extend_from_slice(b"],\"scores\":[");
        for (i, m) in self.matches.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            value(out, &m.score);
        }
        out.extend_from_slice(b"],\"industries\":[");
        for (i, m) in self.matches.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, &m.industry_id);
        }
        out.extend_from_slice(b"],\"flags\":");
        strings(out, &self.flags);
        out.extend_from_slice(b",\"dedup_key\":");
        opt_string(out, self.dedup_key.as_deref());
        out.extend_from_slice(b",\"block_key\":");
        opt_string(out, self.block_key.as_deref());
        let at = out.len();
        if let Some(d) = self.duplicate_of {
            out.extend_from_slice(b",\"duplicate_of\":");
            value(out, &d);
        }
        out.push(b'}');
        at
    }

    /// Writes a result rendered by [`LeadResult::write_json`] (without `duplicate_of`) with
    /// `"duplicate_of": first_row` spliced in at `at`.
    pub fn splice_duplicate_of(
        rendered: &[u8],
        at: usize,
        first_row: u64,
        w: &mut (impl std::io::Write + ?Sized),
    ) -> std::io::Result<()> {
        let at = at.min(rendered.len());
        w.write_all(&rendered[..at])?;
        write!(w, ",\"duplicate_of\":{first_row}")?;
        w.write_all(&rendered[at..])
    }

    /// Scores one profile and keeps the best `top` matches: the one code path of `leadmatch score`
    /// and `POST /api/score`, so the two always answer alike.
    pub fn score(engine: &crate::Engine, profile: &Profile, top: usize) -> crate::Result<LeadResult> {
        if profile.is_empty() {
            return Err(crate::Error::EmptyProfile);
        }
        Ok(Self::assess(engine, profile, top))
    }

    /// Everything the engine says of one lead — verdict, matches, priority, credit-code and money
    /// flags — the same for `score`, each row of `rank` and the API.
    pub fn assess(engine: &crate::Engine, profile: &Profile, top: usize) -> LeadResult {
        Self::assess_named(engine, profile, &super::parse_company_name(&profile.name), top)
    }

    /// [`LeadResult::assess`] with the company name already parsed (`rank` parses it once for
    /// both the named-company check and deduplication).
    pub fn assess_named(
        engine: &crate::Engine,
        profile: &Profile,
        name: &super::CompanyName,
        top: usize,
    ) -> LeadResult {
        Self::assess_named_in(engine, profile, name, top, false, false)
    }

    /// [`LeadResult::assess_named`], with the priority reasons in English only when `english`
    /// (`rank --lang en`); otherwise Chinese then English. `lean` (`rank --compact`, whose lines
    /// print none of them) leaves out everything made of text only: reasons, evidence,
    /// counter-evidence names, the declared industry's name and the engine version; every score,
    /// tier, flag and key is the same.
    pub fn assess_named_in(
        engine: &crate::Engine,
        profile: &Profile,
        name: &super::CompanyName,
        top: usize,
        english: bool,
        lean: bool,
    ) -> LeadResult {
        let text = crate::matcher::ProfileText::new(profile);
        let score = engine.matcher.score_analyzed_with(profile, &text, top.max(1), lean);
        let (priority, priority_flags) = super::prioritize(
            profile,
            &text,
            name,
            &score,
            &engine.catalog.scoring.priority,
            &engine.named,
            if lean {
                super::ReasonLang::Unsaid
            } else if english {
                super::ReasonLang::English(&engine.catalog)
            } else {
                super::ReasonLang::Bilingual
            },
        );
        let mut result = LeadResult::new(profile, score, top);
        if profile
            .credit_code
            .as_deref()
            .is_some_and(|c| super::valid_credit_code(c).is_none())
        {
            result.flags.push(super::FLAG_CREDIT_CODE_INVALID.to_string());
        }
        for f in priority_flags {
            if !result.flags.contains(&f) {
                result.flags.push(f);
            }
        }
        result.priority = Some(priority);
        if !lean {
            result.engine = Some(engine.info.clone());
        }
        Self::apply_status(&mut result, profile, engine, english, lean);
        Self::apply_origin(&mut result, profile, engine, english, lean);
        result.dedup_key = super::dedup_key(profile.credit_code.as_deref(), name);
        result.block_key = super::block_key(name);
        result
    }

    /// 登记状态: a company that no longer operates is flagged `status_inactive` and put in tier
    /// D (its score held below tier C), with the reason first.
    fn apply_status(result: &mut LeadResult, profile: &Profile, engine: &crate::Engine, english: bool, lean: bool) {
        let Some(reading) = profile_status(profile.status.as_deref(), &profile.name) else {
            return;
        };
        result.status = Some(reading.status);
        if reading.status != OperatingStatus::Inactive {
            return;
        }
        if !result.flags.iter().any(|f| f == FLAG_STATUS_INACTIVE) {
            result.flags.push(FLAG_STATUS_INACTIVE.to_string());
        }
        let cap = (engine.catalog.scoring.priority.tiers.c.ceil() - 1.0).max(0.0) as u8;
        if let Some(p) = &mut result.priority {
            p.score = p.score.min(cap);
            p.tier = "D".to_string();
            if lean {
                return;
            }
            p.reasons.insert(
                0,
                if english {
                    format!("registration status: {}, not operating, so tier D", reading.word_en)
                } else {
                    format!(
                        "登记状态为「{}」，企业已不在经营，列为D档 registration status {} ({}): not operating, so tier D",
                        reading.word, reading.word, reading.word_en
                    )
                },
            );
        }
    }

    /// 来源: local (培育 cultivation) or elsewhere (招引 attraction), from the location, else the
    /// place the name starts with. Said in the reasons too, without points.
    fn apply_origin(result: &mut LeadResult, profile: &Profile, engine: &crate::Engine, english: bool, lean: bool) {
        let region = &engine.catalog.region;
        if !region.is_known() {
            return;
        }
        let from_location = profile
            .location
            .as_deref()
            .map(|l| region.origin_of(l))
            .unwrap_or_default();
        let origin = match from_location {
            Origin::Unknown => region.origin_of_name(&profile.name),
            known => known,
        };
        result.origin = Some(origin);
        if lean {
            return;
        }
        let city = &region.file.city.name;
        let city_en = Some(&region.file.city.name_en)
            .filter(|n| !n.is_empty())
            .unwrap_or(city);
        let reason = match (origin, english) {
            (Origin::Local, false) => {
                format!("本地企业（{city}），培育线索 based in {city}: a lead to cultivate (培育) [+0]")
            }
            (Origin::Elsewhere, false) => {
                format!("外地企业，招引线索 based outside {city}: a lead to attract (招引) [+0]")
            }
            (Origin::Local, true) => format!("based in {city_en}: a lead to cultivate [+0]"),
            (Origin::Elsewhere, true) => format!("based outside {city_en}: a lead to attract [+0]"),
            (Origin::Unknown, _) => return,
        };
        if let Some(p) = &mut result.priority {
            p.reasons.push(reason);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Catalog, Engine};
    use std::sync::Arc;

    /// The hand-written JSON is serde's, byte for byte, with every optional field on and off.
    #[test]
    fn write_json_matches_serde() {
        let engine = Engine::with_catalog(Arc::new(Catalog::builtin().expect("catalogue")), None).expect("engine");
        let profiles = [
            Profile {
                name: "温州瓯云\"电竞\"文化传媒有限公司".into(),
                scope: "电子竞技赛事运营；网络直播技术服务；房地产开发经营\n区块链".into(),
                industry: Some("I6513".into()),
                registered_capital: Some("5000万元".into()),
                credit_code: Some("91330300MA2HXXXXX0".into()),
                tags: Some("上市\t总部".into()),
                ..Profile::default()
            },
            Profile {
                id: Some("x-1".into()),
                name: "Zhejiang Huya <Inc.>".into(),
                scope: String::new(),
                revenue: Some("壹佰亿".into()),
                ..Profile::default()
            },
        ];
        for (i, p) in profiles.iter().enumerate() {
            for dup in [None, Some(7)] {
                let mut r = LeadResult::assess(&engine, p, 3);
                r.row = (i == 0).then_some(12);
                let mut plain = Vec::new();
                let at = r.write_json(&mut plain);
                assert_eq!(String::from_utf8_lossy(&plain), serde_json::to_string(&r).unwrap());
                r.duplicate_of = dup;
                let mut direct = Vec::new();
                r.write_json(&mut direct);
                assert_eq!(String::from_utf8_lossy(&direct), serde_json::to_string(&r).unwrap());
                if let Some(first) = dup {
                    let mut spliced = Vec::new();
                    LeadResult::splice_duplicate_of(&plain, at, first, &mut spliced).unwrap();
                    assert_eq!(spliced, direct);
                }
            }
        }
    }

    /// The compact line carries the result's own values, every key on every line, no catalogue
    /// text; `duplicate_of` is spliced in where the returned offset says.
    #[test]
    fn compact_json_has_the_result_values_and_no_catalogue_text() {
        let engine = Engine::with_catalog(Arc::new(Catalog::builtin().expect("catalogue")), None).expect("engine");
        let p = Profile {
            id: Some("c-1".into()),
            name: "温州瓯越电竞文化有限公司".into(),
            scope: "电子竞技赛事运营；电竞场馆经营；网络直播".into(),
            credit_code: Some("91330300MA2HXXXXX0".into()),
            ..Profile::default()
        };
        let mut r = LeadResult::assess(&engine, &p, 3);
        r.row = Some(4);
        let mut plain = Vec::new();
        let at = r.write_compact_json(&mut plain);
        let v: serde_json::Value = serde_json::from_slice(&plain).expect("compact line is JSON");
        assert_eq!(v["row"], 4);
        assert_eq!(v["id"], "c-1");
        assert_eq!(v["verdict"], serde_json::to_value(r.verdict).unwrap());
        assert_eq!(v["fit"].as_f64().map(|f| f as f32), Some(r.fit));
        let prio = r.priority.as_ref().expect("priority");
        assert_eq!(v["priority"], prio.score);
        assert_eq!(v["tier"], prio.tier.as_str());
        let sectors: Vec<u32> = r.matches.iter().map(|m| m.sector_no).collect();
        assert_eq!(v["sectors"], serde_json::to_value(&sectors).unwrap());
        assert_eq!(v["sectors"][0], 6, "esports is sector 6");
        assert_eq!(v["scores"].as_array().map(Vec::len), Some(sectors.len()));
        assert_eq!(v["industries"][0], r.matches[0].industry_id.as_str());
        // The invalid code is flagged and not used: the name is the key.
        assert_eq!(v["flags"], serde_json::json!(["credit_code_invalid"]));
        assert_eq!(v["dedup_key"], "温州瓯越电竞文化");
        assert!(v["block_key"].is_string());
        assert!(v.get("duplicate_of").is_none());
        let text = String::from_utf8_lossy(&plain);
        for catalogue in ["lead_unit", "carriers", "clause", "市委宣传部", "泛娱乐产业"] {
            assert!(!text.contains(catalogue), "{catalogue} in {text}");
        }
        let mut spliced = Vec::new();
        LeadResult::splice_duplicate_of(&plain, at, 2, &mut spliced).unwrap();
        r.duplicate_of = Some(2);
        let mut direct = Vec::new();
        r.write_compact_json(&mut direct);
        assert_eq!(spliced, direct);
        let v: serde_json::Value = serde_json::from_slice(&direct).unwrap();
        assert_eq!(v["duplicate_of"], 2);
    }
}
