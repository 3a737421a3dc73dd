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
//! hashes (code → first row, name key → first row), one block entry per near-name block and,
//! per company kept for near matches, a 48-byte candidate whose name parts sit in a chunked
//! arena (no allocation per company). Measured on the 1M-row `real` bench list (~950k distinct
//! companies): 313 MB peak for the whole process against 85 MB when every row has one name, so
//! ~240 bytes per distinct company (BENCHMARKS.md). Near-match search compares a row only with
//! earlier companies in the same block (Chinese cores: the whole core; longer English cores: the
//! first two letters),
//! and at most `block_cap` of them, so it stays linear on any list size.

use crate::catalog::NameMatching;
use crate::lead::credit_code::valid_credit_code;
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

/// An earlier company of a near-name block. Its name parts live in the deduper's [`Arena`].
#[derive(Debug, Clone, Copy)]
struct Candidate {
    row: u64,
    code: Option<u64>,
    /// Places joined with `|`, the body and the core, one after another in the arena.
    text: Span,
    places_len: u32,
    body_len: u32,
    core_len: u32,
    /// The next candidate of the same block (`u32::MAX`: none).
    next: u32,
}

/// Where a candidate's text starts in the arena: chunk and byte offset.
#[derive(Debug, Clone, Copy)]
struct Span {
    chunk: u32,
    start: u32,
}

/// The name parts of every candidate, in chunks of `ARENA_CHUNK` bytes that never move: one
/// allocation per megabyte instead of three small ones per company, and no doubling copies.
#[derive(Debug, Default)]
struct Arena {
    chunks: Vec<String>,
}

const ARENA_CHUNK: usize = 1 << 20;

impl Arena {
    fn push(&mut self, parts: [&str; 3]) -> Span {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let fits = self.chunks.last().is_some_and(|c| c.capacity() - c.len() >= len);
        if !fits {
            self.chunks.push(String::with_capacity(len.max(ARENA_CHUNK)));
        }
        let chunk = self.chunks.len() - 1;
        let c = &mut self.chunks[chunk];
        let start = c.len();
        for p in parts {
            c.push_str(p);
        }
        Span {
            chunk: chunk as u32,
            start: start as u32,
        }
    }

    /// (places, body, core) of a candidate.
    fn parts(&self, c: &Candidate) -> (&str, &str, &str) {
        let text = &self.chunks[c.text.chunk as usize][c.text.start as usize..];
        let (places, rest) = text.split_at(c.places_len as usize);
        let (body, rest) = rest.split_at(c.body_len as usize);
        (places, body, &rest[..c.core_len as usize])
    }
}

/// A block's candidates: a list threaded through [`Deduper::candidates`], in insertion order.
#[derive(Debug, Clone, Copy)]
struct Block {
    head: u32,
    tail: u32,
    len: u32,
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
    /// Hash of the near-name block key (computed here, on the scoring threads).
    block: u64,
}

impl DedupKey {
    pub fn new(credit_code: Option<&str>, name: &CompanyName) -> DedupKey {
        let key = name.key();
        DedupKey {
            code: credit_code.and_then(valid_credit_code).map(|c| hash(c.as_str())),
            name: (!key.is_empty()).then(|| hash(&key)),
            places: name.places.join("|").into(),
            block: hash(&Deduper::block_key(&name.core)),
        }
    }
}

/// The exact deduplication key of a company (`dedup_key` in results): its normalised credit code
/// when the code is valid, else its normalised name ([`CompanyName::key`]); `None` when neither
/// exists. Two rows with the same key are one company for `rank` too (its name rule also needs
/// the codes to agree, which rows keyed by name have not got), so a distributed engine that
/// groups by this key finds every duplicate `rank` finds by code or exact name.
pub fn dedup_key(credit_code: Option<&str>, name: &CompanyName) -> Option<String> {
    if let Some(code) = credit_code.and_then(valid_credit_code) {
        return Some(code.as_str().to_string());
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
    // Fx hashing: the keys are already hashes, and these maps are probed once per row on the
    // ordered path.
    by_code: FxHashMap<u64, u64>,
    /// Name key hash → (first row, its code hash): the first company of that name.
    by_name: FxHashMap<u64, (u64, Option<u64>)>,
    /// Later companies of the same name, by (name key hash, code hash): each with a code other
    /// than the first company's (a code-less first company takes the first code it meets).
    by_name_more: FxHashMap<(u64, u64), u64>,
    /// Near-name block (hash of its key) → its candidates. A 64-bit collision of two block keys
    /// (odds ~1e-8 in a million blocks) only makes their companies compare with each other.
    blocks: FxHashMap<u64, Block>,
    /// Every candidate, in chunks of `CANDIDATE_CHUNK` that never move.
    candidates: Vec<Vec<Candidate>>,
    arena: Arena,
    stats: DedupStats,
}

const CANDIDATE_CHUNK: usize = 1 << 16;

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
            by_name_more: FxHashMap::default(),
            blocks: FxHashMap::default(),
            candidates: Vec::new(),
            arena: Arena::default(),
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
            Some((d, candidate)) => {
                match d.reason {
                    DuplicateReason::Name => self.stats.by_name += 1,
                    _ => self.stats.by_similar_name += 1,
                }
                if let Some(c) = code {
                    // Later rows with this code belong to the same first row.
                    self.by_code.entry(c).or_insert(d.first_row);
                    self.adopt_code(key, d.first_row, candidate, c);
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

    /// A code-less company matched by name is the company of `code` from now on: a later row with
    /// another valid code is another company (two valid codes are never one company, not even
    /// through a code-less row). Sets the code on its first-name entry and its near-name
    /// candidate (`candidate`, or found in the row's block when the match was by name).
    fn adopt_code(&mut self, key: &DedupKey, first_row: u64, candidate: Option<u32>, code: u64) {
        if let Some(n) = key.name
            && let Some(first) = self.by_name.get_mut(&n)
            && first.0 == first_row
            && first.1.is_none()
        {
            first.1 = Some(code);
        }
        let candidate = candidate.or_else(|| {
            let mut next = self.blocks.get(&key.block)?.head;
            while next != u32::MAX {
                let c = self.candidate(next);
                if c.row == first_row {
                    return Some(next);
                }
                next = c.next;
            }
            None
        });
        if let Some(i) = candidate {
            let c = &mut self.candidates[i as usize / CANDIDATE_CHUNK][i as usize % CANDIDATE_CHUNK];
            if c.code.is_none() {
                c.code = Some(code);
            }
        }
    }

    fn candidate(&self, i: u32) -> &Candidate {
        &self.candidates[i as usize / CANDIDATE_CHUNK][i as usize % CANDIDATE_CHUNK]
    }

    /// The earlier company this row repeats by name, with the near-name candidate it matched.
    fn find_by_name(&self, key: &DedupKey, n: &CompanyName) -> Option<(Duplicate, Option<u32>)> {
        let name = key.name?;
        let code = key.code;
        if let Some(&(row, first_code)) = self.by_name.get(&name) {
            let same = if codes_compatible(code, first_code) {
                Some(row)
            } else {
                code.and_then(|c| self.by_name_more.get(&(name, c)).copied())
            };
            if let Some(row) = same {
                return Some((
                    Duplicate {
                        first_row: row,
                        reason: DuplicateReason::Name,
                    },
                    None,
                ));
            }
        }
        let places = &*key.places;
        let block = self.blocks.get(&key.block)?;
        let mut next = block.head;
        while next != u32::MAX {
            let index = next;
            let c = self.candidate(index);
            next = c.next;
            if !codes_compatible(code, c.code) {
                continue;
            }
            let (c_places, c_body, c_core) = self.arena.parts(c);
            if !(places.is_empty() || c_places.is_empty() || c_places == places) {
                continue;
            }
            let core_near = c_core == n.core
                || (n.core.chars().count() >= 5
                    && n.core.is_ascii()
                    && strsim::jaro_winkler(c_core, &n.core) >= self.config.core_similarity);
            if core_near && strsim::jaro_winkler(c_body, &n.body) >= self.config.dedup_similarity {
                return Some((
                    Duplicate {
                        first_row: c.row,
                        reason: DuplicateReason::SimilarName,
                    },
                    Some(index),
                ));
            }
        }
        None
    }

    fn remember(&mut self, row: u64, key: &DedupKey, n: &CompanyName) {
        let Some(name) = key.name else { return };
        match self.by_name.entry(name) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert((row, key.code));
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                if let Some(c) = key.code {
                    self.by_name_more.entry((name, c)).or_insert(row);
                }
            }
        }
        let block_hash = key.block;
        let len = self.blocks.get(&block_hash).map_or(0, |b| b.len);
        if len as usize >= self.config.block_cap {
            return;
        }
        let index =
            self.candidates.len().saturating_sub(1) * CANDIDATE_CHUNK + self.candidates.last().map_or(0, Vec::len);
        let Ok(index) = u32::try_from(index) else {
            // Four billion companies: near-name search stops growing; exact keys still work.
            return;
        };
        let text = self.arena.push([&key.places, &n.body, &n.core]);
        let candidate = Candidate {
            row,
            code: key.code,
            text,
            places_len: key.places.len() as u32,
            body_len: n.body.len() as u32,
            core_len: n.core.len() as u32,
            next: u32::MAX,
        };
        if self.candidates.last().is_none_or(|c| c.len() == CANDIDATE_CHUNK) {
            self.candidates.push(Vec::with_capacity(CANDIDATE_CHUNK));
        }
        if let Some(chunk) = self.candidates.last_mut() {
            chunk.push(candidate);
        }
        match self.blocks.get_mut(&block_hash) {
            Some(b) => {
                let tail = b.tail;
                b.tail = index;
                b.len += 1;
                let t = &mut self.candidates[tail as usize / CANDIDATE_CHUNK][tail as usize % CANDIDATE_CHUNK];
                t.next = index;
            }
            None => {
                self.blocks.insert(
                    block_hash,
                    Block {
                        head: index,
                        tail: index,
                        len: 1,
                    },
                );
            }
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
        assert_eq!(d.blocks.get(&hash("宏达")).map(|b| b.len), Some(2));
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

    /// Two valid codes are never one company, not even through a code-less row of the same name
    /// (found by a fresh tester: rows 2 and 3 both joined row 1).
    #[test]
    fn a_code_less_row_takes_the_first_code_it_meets() {
        let (x, y) = (code("91330300MA2AAAAA"), code("91330300MA2BBBBB"));
        let name = "温州华信科技有限公司";
        let (dups, _) = run(&[
            (None, name),
            (Some(&x), name),
            (Some(&y), name),
            (Some(&x), "另一家公司"),
            (Some(&y), "温州华信科技"),
            (None, name),
        ]);
        assert_eq!(dups, vec![None, Some(1), None, Some(1), Some(3), Some(1)]);
    }

    /// Many companies of one name, each with its own code: each is its own company, and a repeat
    /// of any code finds its own first row (a look-up, no scan over the name's companies).
    #[test]
    fn one_name_with_many_codes_stays_apart() {
        let codes: Vec<String> = (0..500).map(|i| code(&format!("9133030{i:03}AAAAAA"))).collect();
        let mut d = Deduper::new(&NameMatching::default());
        for (i, c) in codes.iter().enumerate() {
            assert_eq!(d.observe(i as u64 + 1, Some(c), "温州华信科技有限公司"), None, "{c}");
        }
        for (i, c) in codes.iter().enumerate().rev() {
            assert_eq!(
                d.observe(1000 + i as u64, Some(c), "温州华信科技有限公司"),
                Some(i as u64 + 1)
            );
        }
    }
}
