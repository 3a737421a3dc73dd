//! The profile of one company, with the fields of interface.md.

use serde::{Deserialize, Deserializer, Serialize};

/// Accepts a string, a number, a boolean or a list (joined with `;`) where a text is expected,
/// because exports write 注册资本 as 5000 and 标签 as ["上市公司", "独角兽"].
fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    fn text(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Array(a) => {
                let parts: Vec<String> = a.iter().filter_map(text).collect();
                (!parts.is_empty()).then(|| parts.join(";"))
            }
            other => Some(other.to_string()),
        }
    }
    let v = serde_json::Value::deserialize(d)?;
    Ok(text(&v).filter(|s| !s.trim().is_empty()))
}

fn lenient_required<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(lenient(d)?.unwrap_or_default())
}

/// One company as staff bring it: from `score` flags, a JSONL line, or a spreadsheet row.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Profile {
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient_required")]
    pub name: String,
    /// 经营范围 / description.
    #[serde(default, deserialize_with = "lenient_required")]
    pub scope: String,
    /// A GB/T 4754-2017 class code or name (所属行业).
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub credit_code: Option<String>,
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub registered_capital: Option<String>,
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub revenue: Option<String>,
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub founded: Option<String>,
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub tags: Option<String>,
    /// 登记状态 registration status as written (存续, 注销, 吊销，未注销 …).
    #[serde(default, deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl Profile {
    /// A profile needs a name or a scope.
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty() && self.scope.trim().is_empty()
    }
}
