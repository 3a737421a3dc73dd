//! Deduplication (查重) across one list or several: the same company appearing twice.
//!
//! Rows are fed in order to one [`Deduper`]; each answers "is this the same company as an earlier
//! row, and which?". Two rows are one company when:
//! 1. they carry the same **valid** unified social credit code (an invalid code is never used:
//!    it may be a typo of another company's code); or
//! 2. their normalised names are equal ([`crate::lead::normalize_company_name`]: brackets, width,
//!    script, places and legal forms folded); or
//! 3. their names are near: the distinctive 字号 (`core`) is identical (or, for English cores of 5+
//!    letters, at least `core_similarity` Jaro–Winkler), the places agree (the same, or one name
//!    has none), and the names without places are at least `dedup_similarity` Jaro–Winkler alike.
//!    So 温州市华信科技 = 温州华信科技 = 华信科技（温州）, while 温州华信科技 ≠ 温州华鑫科技 (字号) and
//!    温州瓯海宏达鞋业 ≠ 温州鹿城宏达鞋业 (different districts: different registrations).
//!
//! Rows with two different valid codes are never merged, whatever their names.
//!
//! Memory grows with the number of **distinct** companies (not rows): two hash maps of 64-bit
//! hashes (code → first row, name key → first row) and, per company, one fuzzy-search candidate
//! holding its name parts — roughly 150–250 bytes per distinct company, so about 200 MB for a
//! million distinct companies. Near-match search compares a row only with earlier companies in
//! the same block (Chinese cores: the whole core; longer English cores: the first two letters),
//! and at most `block_cap` of them, so it stays linear on any list size.

use crate::catalog::NameMatching;
use crate::lead::credit_code::{check_credit_code, normalize_credit_code};
use crate::lead::names::{CompanyName, parse_company_name};
use rustc_hash::FxHashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Why a row is a duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuplicateReason {
    /// The same valid credit code.
    CreditCode,
    /// The same normalised name.
    Name,
    /// A near name (same 字号, compatible places, similar name).
    SimilarName,
}

/// A row found to repeat an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duplicate {
    /// The row of the first occurrence.
    pub first_row: u64,
    pub reason: DuplicateReason,
}

/// Counts of duplicates found, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DedupStats {
    pub rows: u64,
    pub by_credit_code: u64,
    pub by_name: u64,
    pub by_similar_name: u64,
}

impl DedupStats {
    pub fn duplicates(&self) -> u64 {
        self.by_credit_code + self.by_name + self.by_similar_name
    }
}

#[derive(Debug)]
struct Candidate {
    row: u64,
    code: Option<u64>,
    /// Places joined with `|`.
    places: Box<str>,
    body: Box<str>,
    core: Box<str>,
}

/// What deduplication needs of one row that does not depend on earlier rows: the validated code,
/// the name key and the near-match block, computed where rows are scored (in parallel) so the
/// ordered [`Deduper::observe_key`] only probes its maps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DedupKey {
    /// Hash of the normalised credit code, when the code is valid.
    code: Option<u64>,
    /// Hash of the exact-match name key; `None` when the name normalises to nothing.
    name: Option<u64>,
    /// Places joined with `|`.
    places: Box<str>,
    block: Box<str>,
}

impl DedupKey {
    pub fn new(credit_code: Option<&str>, name: &CompanyName) -> DedupKey {
        let key = name.key();
        DedupKey {
            code: credit_code
                .filter(|c| check_credit_code(c).is_valid())
                .map(|c| hash(&normalize_credit_code(c))),
            name: (!key.is_empty()).then(|| hash(&key)),
            places: name.places.join("|").into(),
            block: Deduper::block_key(&name.core),
        }
    }
}

/// The exact deduplication key of a company (`dedup_key` in results): its normalised credit code
/// when the code is valid, else its normalised name ([`CompanyName::key`]); `None` when neither
/// exists. Two rows with the same key are one company for `rank` too (its name rule also needs
/// the codes to agree, which rows keyed by name have not got), so a distributed engine that
/// groups by this key finds every duplicate `rank` finds by code or exact name.
pub fn dedup_key(credit_code: Option<&str>, name: &CompanyName) -> Option<String> {
    if let Some(code) = credit_code.filter(|c| check_credit_code(c).is_valid()) {
        return Some(normalize_credit_code(code));
    }
    let key = name.key();
    (!key.is_empty()).then_some(key)
}

/// The near-name block of a company (`block_key` in results): rows are compared for near names
/// only within one block (the 字号, or its first two letters for English 字号 of 5+ letters);
/// `None` for a name that normalises to nothing (never compared).
pub fn block_key(name: &CompanyName) -> Option<String> {
    (!name.body.is_empty() || !name.places.is_empty()).then(|| Deduper::block_key(&name.core).into())
}

/// Streaming duplicate finder. Feed rows in output order with [`Deduper::observe`].
#[derive(Debug)]
pub struct Deduper {
    config: NameMatching,
    // Fx hashing: the keys are already hashes (or short names), and these maps are probed once
    // per row on the ordered path.
    by_code: FxHashMap<u64, u64>,
    /// Name key hash → (first row, its code hash).
    by_name: FxHashMap<u64, Vec<(u64, Option<u64>)>>,
    blocks: FxHashMap<Box<str>, Vec<Candidate>>,
    stats: DedupStats,
}

fn hash(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Codes agree when either is missing or both are the same.
fn codes_compatible(a: Option<u64>, b: Option<u64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

impl Deduper {
    pub fn new(config: &NameMatching) -> Deduper {
        Deduper {
            config: config.clone(),
            by_code: FxHashMap::default(),
            by_name: FxHashMap::default(),
            blocks: FxHashMap::default(),
            stats: DedupStats::default(),
        }
    }

    /// Records a row; returns the row of the first occurrence when it repeats an earlier company.
    pub fn observe(&mut self, row: u64, credit_code: Option<&str>, name: &str) -> Option<u64> {
        self.observe_detailed(row, credit_code, name).map(|d| d.first_row)
    }

    /// Like [`Deduper::observe`], saying why.
    pub fn observe_detailed(&mut self, row: u64, credit_code: Option<&str>, name: &str) -> Option<Duplicate> {
        self.observe_parsed(row, credit_code, &parse_company_name(name))
    }

    /// [`Deduper::observe_detailed`] for a name already parsed ([`parse_company_name`]), so the
    /// parsing can run on the scoring threads and only the lookups in order.
    pub fn observe_parsed(&mut self, row: u64, credit_code: Option<&str>, name: &CompanyName) -> Option<Duplicate> {
        self.observe_key(row, &DedupKey::new(credit_code, name), name)
    }

    /// [`Deduper::observe_parsed`] with the row's [`DedupKey`] already computed.
    pub fn observe_key(&mut self, row: u64, key: &DedupKey, name: &CompanyName) -> Option<Duplicate> {
        self.stats.rows += 1;
        let code = key.code;
        if let Some(first) = code.and_then(|c| self.by_code.get(&c)) {
            self.stats.by_credit_code += 1;
            return Some(Duplicate {
                first_row: *first,
                reason: DuplicateReason::CreditCode,
            });
        }
        let found = self.find_by_name(key, name);
        match found {
            Some(d) => {
                match d.reason {
                    DuplicateReason::Name => self.stats.by_name += 1,
                    _ => self.stats.by_similar_name += 1,
                }
                // Later rows with this code belong to the same first row.
                if let Some(c) = code {
                    self.by_code.entry(c).or_insert(d.first_row);
                }
                Some(d)
            }
            None => {
                if let Some(c) = code {
                    self.by_code.insert(c, row);
                }
                self.remember(row, key, name);
                None
            }
        }
    }

    /// Counts so far.
    pub fn stats(&self) -> DedupStats {
        self.stats
    }

    fn block_key(core: &str) -> Box<str> {
        if core.chars().count() >= 5 && core.is_ascii() {
            core.chars().take(2).collect::<String>().into()
        } else {
            core.into()
        }
    }

    fn find_by_name(&self, key: &DedupKey, n: &CompanyName) -> Option<Duplicate> {
        let name = key.name?;
        let code = key.code;
        if let Some(entries) = self.by_name.get(&name)
            && let Some((row, _)) = entries.iter().find(|(_, c)| codes_compatible(code, *c))
        {
            return Some(Duplicate {
                first_row: *row,
                reason: DuplicateReason::Name,
            });
        }
        let places = &*key.places;
        let block = self.blocks.get(&*key.block)?;
        block
            .iter()
            .filter(|c| codes_compatible(code, c.code))
            .filter(|c| places.is_empty() || c.places.is_empty() || *c.places == *places)
            .filter(|c| {
                *c.core == *n.core
                    || (n.core.chars().count() >= 5
                        && n.core.is_ascii()
                        && strsim::jaro_winkler(&c.core, &n.core) >= self.config.core_similarity)
            })
            .find(|c| strsim::jaro_winkler(&c.body, &n.body) >= self.config.dedup_similarity)
            .map(|c| Duplicate {
                first_row: c.row,
                reason: DuplicateReason::SimilarName,
            })
    }

    fn remember(&mut self, row: u64, key: &DedupKey, n: &CompanyName) {
        let Some(name) = key.name else { return };
        self.by_name.entry(name).or_default().push((row, key.code));
        let block = match self.blocks.get_mut(&*key.block) {
            Some(b) => b,
            None => self.blocks.entry(key.block.clone()).or_default(),
        };
        if block.len() < self.config.block_cap {
            block.push(Candidate {
                row,
                code: key.code,
                places: key.places.clone(),
                body: n.body.as_str().into(),
                core: n.core.as_str().into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lead::credit_code::{credit_check_char, org_check_char};

    fn code(first16: &str) -> String {
        let org = org_check_char(&first16[8..16]).unwrap();
        let first17 = format!("{first16}{org}");
        format!("{first17}{}", credit_check_char(&first17).unwrap())
    }

    fn run(rows: &[(Option<&str>, &str)]) -> (Vec<Option<u64>>, DedupStats) {
        let mut d = Deduper::new(&NameMatching::default());
        let out = rows
            .iter()
            .enumerate()
            .map(|(i, (c, n))| d.observe(i as u64 + 1, *c, n))
            .collect();
        (out, d.stats())
    }

    #[test]
    fn true_duplicates_are_merged() {
        let pairs = [
            ("騰訊科技（深圳）有限公司", "腾讯科技(深圳)有限公司"),
            ("温州市华信科技有限公司", "温州华信科技有限公司"),
            ("华信科技（温州）有限公司", "温州华信科技有限公司"),
            ("温州华信科技有限公司", "华信科技有限公司"),
            ("温州华信科技有限公司", "温州华信科技股份有限公司"),
            ("Huya Inc.", "HUYA INC"),
            ("Alibaba Group Holding Limited", "Alibaba Group Holdings Ltd"),
            ("温州宏达鞋业有限公司", "温州宏达鞋业有限责任公司"),
        ];
        for (a, b) in pairs {
            let (out, _) = run(&[(None, a), (None, b)]);
            assert_eq!(out, [None, Some(1)], "{a} / {b}");
        }
    }

    #[test]
    fn look_alikes_are_kept_apart() {
        let pairs = [
            ("温州华信科技有限公司", "温州华鑫科技有限公司"),
            ("温州瓯海宏达鞋业有限公司", "温州鹿城宏达鞋业有限公司"),
            ("温州宏达鞋业有限公司", "温州宏达电器有限公司"),
            ("温州华信科技有限公司", "温州华信信息咨询有限公司"),
            ("温州华信科技有限公司", "瑞安华信科技有限公司"),
            ("紫光集团有限公司", "紫光股份有限公司"),
            ("温州新华书店有限公司", "温州新华医院有限公司"),
            ("浙江温州科技有限公司", "浙江杭州科技有限公司"),
            ("Huya Inc.", "Hupa Inc."),
        ];
        for (a, b) in pairs {
            let (out, _) = run(&[(None, a), (None, b)]);
            assert_eq!(out, [None, None], "{a} / {b}");
        }
    }

    #[test]
    fn credit_codes_decide_first() {
        let x = code("9133030014542342");
        let y = code("9133030279329163");
        let (out, stats) = run(&[
            (Some(&x), "温州华信科技有限公司"),
            // Same code, another spelling of the name (or a different name): one company.
            (Some(&x.to_lowercase()), "华信科技"),
            // Same name, a different valid code: a different registration.
            (Some(&y), "温州华信科技有限公司"),
            // No code, same name: the first.
            (None, "温州市华信科技有限公司"),
            // An invalid code is ignored: the name decides.
            (Some("91330300145423429"), "温州华信科技有限公司"),
            // The code of row 3 again.
            (Some(&y), "另一个名字有限公司"),
        ]);
        assert_eq!(out, [None, Some(1), None, Some(1), Some(1), Some(3)]);
        assert_eq!(stats.by_credit_code, 2);
        assert_eq!(stats.by_name, 2);
        assert_eq!(stats.duplicates(), 4);
        assert_eq!(stats.rows, 6);
    }

    #[test]
    fn a_name_match_lends_its_code_to_later_rows() {
        let x = code("9133030014542342");
        let (out, _) = run(&[
            (None, "温州华信科技有限公司"),
            (Some(&x), "温州华信科技有限公司"),
            (Some(&x), "华信"),
        ]);
        assert_eq!(out, [None, Some(1), Some(1)]);
    }

    #[test]
    fn rows_without_a_name_are_not_merged_by_name() {
        let (out, _) = run(&[(None, ""), (None, "  ")]);
        assert_eq!(out, [None, None]);
    }

    #[test]
    fn blocks_are_capped() {
        let cfg = NameMatching {
            block_cap: 2,
            ..NameMatching::default()
        };
        let mut d = Deduper::new(&cfg);
        assert_eq!(d.observe(1, None, "温州宏达鞋业有限公司"), None);
        assert_eq!(d.observe(2, None, "温州宏达电器有限公司"), None);
        assert_eq!(d.observe(3, None, "温州宏达服饰有限公司"), None);
        // Row 3 was not kept for near matches, but exact names still find it.
        assert_eq!(d.observe(4, None, "温州市宏达服饰有限公司"), Some(3));
        assert_eq!(d.blocks.get("宏达").map(Vec::len), Some(2));
    }

    #[test]
    fn dedup_key_is_the_valid_code_else_the_name_key() {
        let x = code("9133030014542342");
        let name = parse_company_name("騰訊科技（深圳）有限公司");
        assert_eq!(
            dedup_key(Some(&format!(" {} ", x.to_lowercase())), &name),
            Some(x.clone())
        );
        assert_eq!(
            dedup_key(Some("91330300145423429"), &name),
            Some("深圳腾讯科技".to_string())
        );
        assert_eq!(
            dedup_key(None, &parse_company_name("腾讯科技(深圳)有限公司")),
            Some("深圳腾讯科技".to_string())
        );
        assert_eq!(dedup_key(None, &parse_company_name("  ")), None);
        assert_eq!(block_key(&parse_company_name("  ")), None);
    }

    /// Rows with equal keys are the rows `rank`'s deduper merges by code or exact name.
    #[test]
    fn equal_keys_are_duplicates_for_the_deduper_too() {
        let x = code("9133030014542342");
        let rows: [(Option<&str>, &str); 4] = [
            (Some(&x), "温州华信科技有限公司"),
            (Some(&x), "华信数字科技有限公司"),
            (None, "温州宏达鞋业有限公司"),
            (None, "溫州宏達鞋業有限責任公司"),
        ];
        let (out, _) = run(&rows);
        let keys: Vec<_> = rows
            .iter()
            .map(|(c, n)| dedup_key(*c, &parse_company_name(n)))
            .collect();
        assert_eq!(keys[0], keys[1]);
        assert_eq!(keys[2], keys[3]);
        assert_eq!(out, [None, Some(1), None, Some(3)]);
        let blocks: Vec<_> = rows[2..]
            .iter()
            .map(|(_, n)| block_key(&parse_company_name(n)))
            .collect();
        assert_eq!(blocks[0], blocks[1]);
        assert_eq!(blocks[0].as_deref(), Some("宏达"));
    }
}
