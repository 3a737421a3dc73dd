//! The per-company result written by `score` and `rank` (interface.md, "Result").

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
}

impl LeadResult {
    /// Combines a profile and its score, keeping the best `top` matches.
    pub fn new(profile: &Profile, score: ScoreResult, top: usize) -> LeadResult {
        let mut matches = score.matches;
        matches.truncate(top);
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
        }
    }
}

impl LeadResult {
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
        let score = engine.matcher.score_top(profile, top.max(1));
        let (priority, priority_flags) =
            super::prioritize(profile, name, &score, &engine.catalog.scoring.priority, &engine.named);
        let mut result = LeadResult::new(profile, score, top);
        if profile
            .credit_code
            .as_deref()
            .is_some_and(|c| !super::check_credit_code(c).is_valid())
        {
            result.flags.push(super::FLAG_CREDIT_CODE_INVALID.to_string());
        }
        for f in priority_flags {
            if !result.flags.contains(&f) {
                result.flags.push(f);
            }
        }
        result.priority = Some(priority);
        result
    }
}
