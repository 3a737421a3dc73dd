//! What scoring a profile returns: the result JSON of interface.md.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

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

/// What the catalogue says of an industry a profile matches: the same for every profile, so it
/// is built once per industry and shared ([`Match`] holds an `Arc` of it and derefs to it).
#[derive(Debug, Clone, PartialEq)]
pub struct MatchFacts {
    pub sector_no: u32,
    pub sector_id: String,
    pub sector: String,
    pub industry_id: String,
    pub industry: String,
    pub lead_unit: String,
    pub responsible_units: Vec<String>,
    pub carriers: Vec<String>,
    pub clause: String,
    /// This industry's match as JSON up to the score (`{"sector_no":…,"industry":"…","score":`)
    /// and from `,"lead_unit"` to the closing brace, rendered once for the JSONL writer.
    json_head: String,
    json_tail: String,
}

impl MatchFacts {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        sector_no: u32,
        sector_id: String,
        sector: String,
        industry_id: String,
        industry: String,
        lead_unit: String,
        responsible_units: Vec<String>,
        carriers: Vec<String>,
        clause: String,
    ) -> MatchFacts {
        let json_head = format!(
            "{{\"sector_no\":{sector_no},\"sector_id\":{},\"sector\":{},\"industry_id\":{},\"industry\":{},\"score\":",
            j(&sector_id),
            j(&sector),
            j(&industry_id),
            j(&industry)
        );
        let json_tail = format!(
            ",\"lead_unit\":{},\"responsible_units\":{},\"carriers\":{},\"clause\":{}}}",
            j(&lead_unit),
            j(&responsible_units),
            j(&carriers),
            j(&clause)
        );
        MatchFacts {
            sector_no,
            sector_id,
            sector,
            industry_id,
            industry,
            lead_unit,
            responsible_units,
            carriers,
            clause,
            json_head,
            json_tail,
        }
    }
}

/// `v` as compact JSON, the way serde_json renders it.
fn j<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// One sector a profile matches, through its best industry: the shared catalogue facts (read
/// through `Deref`: `m.sector_id`, `m.carriers` …) plus this profile's score and evidence.
/// Serialises as the flat object of interface.md.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "MatchJson")]
pub struct Match {
    pub facts: Arc<MatchFacts>,
    /// Calibrated confidence 0..1, comparable across companies.
    pub score: f32,
    /// The catalogue terms found in the profile, strongest first.
    pub evidence: Vec<String>,
}

impl std::ops::Deref for Match {
    type Target = MatchFacts;
    fn deref(&self) -> &MatchFacts {
        &self.facts
    }
}

impl Match {
    /// Appends this match as compact JSON, byte-identical to its `Serialize` output.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.facts.json_head.as_bytes());
        write_json_value(out, &self.score);
        out.extend_from_slice(b",\"evidence\":");
        write_json_strs(out, &self.evidence);
        out.extend_from_slice(self.facts.json_tail.as_bytes());
    }
}

/// Appends `v` as compact JSON (serde_json's own rendering).
/// Appends `s` as a JSON string, exactly as serde_json writes it. Most strings hold no byte that
/// needs escaping (quote, backslash, control): those are copied whole after one branch-free scan,
/// where serde_json's writer looks each byte up.
pub(crate) fn write_json_str(out: &mut Vec<u8>, s: &str) {
    let plain = !s
        .bytes()
        .fold(false, |esc, b| esc | (b < 0x20) | (b == b'"') | (b == b'\\'));
    if plain {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        write_json_value(out, s);
    }
}

/// Appends a list of strings as a JSON array ([`write_json_str`] for each).
pub(crate) fn write_json_strs(out: &mut Vec<u8>, list: &[String]) {
    out.push(b'[');
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_json_str(out, s);
    }
    out.push(b']');
}

pub(crate) fn write_json_value<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    if serde_json::to_writer(&mut *out, v).is_err() {
        out.extend_from_slice(b"null");
    }
}

impl Serialize for Match {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let f = &self.facts;
        let mut st = ser.serialize_struct("Match", 11)?;
        st.serialize_field("sector_no", &f.sector_no)?;
        st.serialize_field("sector_id", &f.sector_id)?;
        st.serialize_field("sector", &f.sector)?;
        st.serialize_field("industry_id", &f.industry_id)?;
        st.serialize_field("industry", &f.industry)?;
        st.serialize_field("score", &self.score)?;
        st.serialize_field("evidence", &self.evidence)?;
        st.serialize_field("lead_unit", &f.lead_unit)?;
        st.serialize_field("responsible_units", &f.responsible_units)?;
        st.serialize_field("carriers", &f.carriers)?;
        st.serialize_field("clause", &f.clause)?;
        st.end()
    }
}

/// The flat JSON shape of a match, for reading results back.
#[derive(Deserialize)]
struct MatchJson {
    sector_no: u32,
    sector_id: String,
    sector: String,
    industry_id: String,
    industry: String,
    score: f32,
    evidence: Vec<String>,
    lead_unit: String,
    responsible_units: Vec<String>,
    carriers: Vec<String>,
    clause: String,
}

impl From<MatchJson> for Match {
    fn from(m: MatchJson) -> Match {
        Match {
            facts: Arc::new(MatchFacts::new(
                m.sector_no,
                m.sector_id,
                m.sector,
                m.industry_id,
                m.industry,
                m.lead_unit,
                m.responsible_units,
                m.carriers,
                m.clause,
            )),
            score: m.score,
            evidence: m.evidence,
        }
    }
}

/// The result of scoring one profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreResult {
    pub verdict: Verdict,
    /// The best match's calibrated score (0 when nothing matched).
    pub fit: f32,
    /// What the catalogue's roles made of the best sector's evidence (only side roles; a maker
    /// of the core technology), as the lexical layer reads it. Not written out.
    #[serde(skip)]
    pub reading: crate::matcher::lexical::Reading,
    pub matches: Vec<Match>,
    /// Counter-evidence found: traditional industries outside the plan (e.g. 房地产开发).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counter_evidence: Vec<String>,
    /// The GB/T 4754-2017 industry the profile declared, when it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_industry: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let cases = [
            "",
            "区块链技术服务",
            "say \"hi\"",
            "back\\slash",
            "tab\there\nnew\rline\u{8}\u{c}",
            "\u{1}\u{1f}\u{7f}",
            "emoji 🎮 and ＦＵＬＬ",
            "</script>",
        ];
        for s in cases {
            let mut out = Vec::new();
            write_json_str(&mut out, s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(s).unwrap(),
                "{s:?}"
            );
        }
        let list: Vec<String> = cases.iter().map(|s| s.to_string()).collect();
        let mut out = Vec::new();
        write_json_strs(&mut out, &list);
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&list).unwrap());
        let mut out = Vec::new();
        write_json_strs(&mut out, &[]);
        assert_eq!(out, b"[]");
    }
}
