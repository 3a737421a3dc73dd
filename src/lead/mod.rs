//! A lead: the company profile staff bring (name, business scope, industry, size …), the checks and
//! evaluation applied to it (money, credit code, names, deduplication, priority) and the result
//! they get back.
//!
//! For each row, in input order, the `rank` pipeline calls:
//! 1. [`check_credit_code`] on `credit_code` → flag `credit_code_invalid` when invalid;
//! 2. [`Deduper::observe`] (one deduper for the whole run, fed sequentially) → `duplicate_of`;
//! 3. [`prioritize`] with the [`ScoreResult`](crate::ScoreResult) → `priority` plus flags
//!    (`revenue_unparsed`, `capital_unparsed`);
//! 4. [`status`] on 登记状态 (or a status phrase in the name) → `status`, and for a company that
//!    no longer operates the flag `status_inactive` and tier D; the catalogue's region on the
//!    location (or the name) → `origin`, local (培育) or elsewhere (招引).

mod credit_code;
mod dedup;
mod money;
mod names;
mod priority;
mod profile;
mod result;
pub mod status;

pub use credit_code::{
    CHARSET as CREDIT_CODE_CHARSET, CreditCodeCheck, ValidCreditCode, check_credit_code, credit_check_char,
    normalize_credit_code, org_check_char, valid_credit_code,
};
pub use dedup::{DedupKey, DedupStats, Deduper, Duplicate, DuplicateReason, block_key, dedup_key};
pub use money::{
    Currency, Money, MoneyError, format_yuan_en, format_yuan_zh, header_unit, parse_money, parse_money_with_unit_hint,
    with_header_unit,
};
pub use names::{CompanyName, normalize_company_name, parse_company_name};
pub use priority::{
    FLAG_CAPITAL_UNPARSED, FLAG_REVENUE_UNPARSED, NamedCompanies, Priority, ReasonLang, clause_en, prioritize, tier_of,
};
pub use profile::Profile;
pub use result::{EngineInfo, LeadResult};
pub use status::{FLAG_STATUS_INACTIVE, OperatingStatus};

/// Flag: the credit code fails GB 32100-2015 (length, characters or a check character).
pub const FLAG_CREDIT_CODE_INVALID: &str = "credit_code_invalid";
