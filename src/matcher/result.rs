//! What scoring a profile returns: the result JSON of interface.md.

use serde::{Deserialize, Serialize};

/// 判定: does the company fit the plan?
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// A clear fit to a plan sector (重点目标).
    Target,
    /// Related, worth a look (可关注).
    Possible,
    /// No fit (不匹配).
    None,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Target => "target",
            Verdict::Possible => "possible",
            Verdict::None => "none",
        }
    }

    /// Chinese label for people.
    pub fn label_zh(self) -> &'static str {
        match self {
            Verdict::Target => "重点目标",
            Verdict::Possible => "可关注",
            Verdict::None => "不匹配",
        }
    }
}

/// One sector a profile matches, through its best industry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Match {
    pub sector_no: u32,
    pub sector_id: String,
    pub sector: String,
    pub industry_id: String,
    pub industry: String,
    /// Calibrated confidence 0..1, comparable across companies.
    pub score: f32,
    /// The catalogue terms found in the profile, strongest first.
    pub evidence: Vec<String>,
    pub lead_unit: String,
    pub responsible_units: Vec<String>,
    pub carriers: Vec<String>,
    pub clause: String,
}

/// The result of scoring one profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreResult {
    pub verdict: Verdict,
    /// The best match's calibrated score (0 when nothing matched).
    pub fit: f32,
    pub matches: Vec<Match>,
    /// Counter-evidence found: traditional industries outside the plan (e.g. 房地产开发).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counter_evidence: Vec<String>,
    /// The GB/T 4754-2017 industry the profile declared, when it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_industry: Option<String>,
}
