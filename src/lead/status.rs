//! 登记状态 Registration status: whether a company still operates (存续, 在业, 开业, 在营, 在册) or
//! not (注销, 吊销, 撤销, 迁出, 停业, 歇业, 清算, 责令关闭), from the status column of an export or
//! a status phrase in the company name (温州某某有限公司（已注销）). A company that does not
//! operate is no lead: it is flagged [`FLAG_STATUS_INACTIVE`] and put in tier D with the reason.

use serde::{Deserialize, Serialize};

/// Flag: the registration status says the company no longer operates.
pub const FLAG_STATUS_INACTIVE: &str = "status_inactive";

/// Words of a status that ends operation, with the reason wording. Checked before the operating
/// words: 吊销，未注销 is revoked; 存续（在营、开业、在册） is operating.
const INACTIVE: [(&str, &str); 12] = [
    ("吊销", "revoked"),
    ("撤销", "cancelled"),
    ("注销", "deregistered"),
    ("迁出", "moved out"),
    ("停业", "suspended"),
    ("歇业", "closed"),
    ("清算", "in liquidation"),
    ("责令关闭", "ordered closed"),
    ("deregistered", "deregistered"),
    ("revoked", "revoked"),
    ("dissolved", "dissolved"),
    ("liquidation", "in liquidation"),
];

const ACTIVE: [&str; 10] = [
    "存续",
    "在业",
    "开业",
    "在营",
    "在册",
    "正常",
    "迁入",
    "active",
    "operating",
    "in business",
];

/// What the registration status says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OperatingStatus {
    /// 存续/在业/开业: operating.
    Active,
    /// 注销/吊销/撤销/迁出/停业/清算: not operating.
    Inactive,
}

impl OperatingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OperatingStatus::Active => "active",
            OperatingStatus::Inactive => "inactive",
        }
    }
}

/// A status read from a profile: what it says and the word that said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusReading {
    pub status: OperatingStatus,
    /// The word found (注销), for the reason.
    pub word: &'static str,
    pub word_en: &'static str,
}

/// Whether `word` occurs in `text` other than negated (未注销, 非注销).
fn occurs(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = &text[..i];
        !(before.ends_with('未') || before.ends_with('非') || before.ends_with("not "))
    })
}

/// Reads a status cell: inactive words first, then operating ones; `None` when neither is there.
pub fn read_status(text: &str) -> Option<StatusReading> {
    let t = text.trim().to_lowercase();
    if t.is_empty() {
        return None;
    }
    if let Some((w, en)) = INACTIVE.iter().find(|(w, _)| occurs(&t, w)) {
        return Some(StatusReading {
            status: OperatingStatus::Inactive,
            word: w,
            word_en: en,
        });
    }
    ACTIVE.iter().find(|w| t.contains(**w)).map(|w| StatusReading {
        status: OperatingStatus::Active,
        word: w,
        word_en: "operating",
    })
}

/// Reads a status phrase at the end of a company name, in brackets: 某某有限公司（已注销）,
/// 某某公司(吊销). Words elsewhere in a name are not a status (清算服务有限公司).
pub fn status_in_name(name: &str) -> Option<StatusReading> {
    let t = name.trim_end();
    let inner = t
        .strip_suffix('）')
        .and_then(|s| s.rfind('（').map(|i| &s[i + '（'.len_utf8()..]))
        .or_else(|| t.strip_suffix(')').and_then(|s| s.rfind('(').map(|i| &s[i + 1..])))?;
    read_status(inner).filter(|r| r.status == OperatingStatus::Inactive)
}

/// The status of a profile: its status field, else a phrase in its name.
pub fn profile_status(status: Option<&str>, name: &str) -> Option<StatusReading> {
    status.and_then(read_status).or_else(|| status_in_name(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_wordings_are_read() {
        let s = |t: &str| read_status(t).map(|r| r.status);
        assert_eq!(s("存续（在营、开业、在册）"), Some(OperatingStatus::Active));
        assert_eq!(s("在业"), Some(OperatingStatus::Active));
        assert_eq!(s("注销"), Some(OperatingStatus::Inactive));
        assert_eq!(s("吊销，未注销"), Some(OperatingStatus::Inactive));
        assert_eq!(read_status("吊销，未注销").unwrap().word, "吊销");
        assert_eq!(s("迁出"), Some(OperatingStatus::Inactive));
        assert_eq!(s("停业"), Some(OperatingStatus::Inactive));
        assert_eq!(s("清算"), Some(OperatingStatus::Inactive));
        assert_eq!(s("Deregistered"), Some(OperatingStatus::Inactive));
        assert_eq!(s(""), None);
        assert_eq!(s("其他"), None);
    }

    #[test]
    fn a_bracketed_phrase_at_the_end_of_a_name_is_a_status() {
        let s = |t: &str| status_in_name(t).map(|r| r.word);
        assert_eq!(s("温州某某科技有限公司（已注销）"), Some("注销"));
        assert_eq!(s("温州某某科技有限公司(吊销)"), Some("吊销"));
        assert_eq!(s("温州某某清算服务有限公司"), None);
        assert_eq!(s("某某科技（温州）有限公司"), None);
        assert_eq!(
            profile_status(Some("存续"), "某某（已注销）").map(|r| r.status),
            Some(OperatingStatus::Active)
        );
        assert_eq!(
            profile_status(None, "某某（已注销）").map(|r| r.status),
            Some(OperatingStatus::Inactive)
        );
    }
}
