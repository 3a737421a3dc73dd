//! Finding catalogue terms in a profile: normalise to analysis form, blank out registration
//! boilerplate, then one Aho–Corasick pass over every catalogue term, counter-evidence term and
//! negation/trade cue.
//! A match lying inside a longer match is dropped (跨境电商 counts, not also 电商 within it).
//! A match after a negation cue in its clause is dropped (生活美容（不涉及医疗美容）); a match whose
//! every clause only trades it (集成电路芯片及产品销售) is marked so the matcher can weigh it less.

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::text::normalizer;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::collections::HashMap;

/// The automata over catalogue terms, boilerplate and counter-evidence.
pub struct Extractor {
    terms: AhoCorasick,
    /// Per automaton pattern: the industry-term id (index into the matcher's table), if any.
    term_of: Vec<Option<u32>>,
    /// Per automaton pattern: the counter-evidence groups it belongs to.
    negative_of: Vec<Vec<usize>>,
    /// Per automaton pattern: the cue kinds it stands for (bit `1 << Cue as u8`).
    cue_of: Vec<u8>,
    /// Per industry-term id: its analysis-form key and the form shown to people.
    keys: Vec<String>,
    shown: Vec<String>,
    boilerplate: Option<AhoCorasick>,
    negation_prefix: Vec<char>,
    /// Industry words of company names, per counter-evidence group.
    name_words: Option<AhoCorasick>,
    name_word_group: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Cue {
    /// Negates what follows in the clause.
    Negation,
    /// Negates what precedes in the clause (除外).
    NegationAfter,
    Trade,
    TradeOverride,
}

impl Cue {
    const ALL: [Cue; 4] = [Cue::Negation, Cue::NegationAfter, Cue::Trade, Cue::TradeOverride];

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// What was found in one profile.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Distinct industry-term ids, in order of first occurrence.
    pub terms: Vec<u32>,
    /// Per entry of `terms`: true when every occurrence stands in a trading-only clause.
    pub trade_only: Vec<bool>,
    /// Distinct counter-evidence groups.
    pub negatives: Vec<usize>,
    /// Distinct Latin words (stemmed, three letters or more) for the loose full-text layer.
    pub words: Vec<String>,
    /// Distinct industry-term ids found in the company name (a subset of `terms`).
    pub name_terms: Vec<u32>,
}

impl Extractor {
    /// `keys[i]` (analysis form) is industry-term id `i`; `shown[i]` its display form.
    pub fn new(catalog: &Catalog, keys: Vec<String>, shown: Vec<String>) -> Result<Extractor> {
        let n = normalizer();
        let mut patterns: Vec<String> = Vec::new();
        let mut pos: HashMap<String, usize> = HashMap::new();
        let mut term_of: Vec<Option<u32>> = Vec::new();
        let mut negative_of: Vec<Vec<usize>> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            pos.insert(k.clone(), patterns.len());
            patterns.push(k.clone());
            term_of.push(Some(i as u32));
            negative_of.push(Vec::new());
        }
        for (gi, g) in catalog.terms.negative.iter().enumerate() {
            for t in &g.terms {
                let k = n.term_key(t);
                if k.is_empty() {
                    continue;
                }
                let p = *pos.entry(k.clone()).or_insert_with(|| {
                    patterns.push(k);
                    term_of.push(None);
                    negative_of.push(Vec::new());
                    patterns.len() - 1
                });
                if !negative_of[p].contains(&gi) {
                    negative_of[p].push(gi);
                }
            }
        }
        // Cues share the pass: a pattern may be a term, a counter-evidence term and a cue at once.
        let mut cue_of = vec![0u8; patterns.len()];
        let lists: [(Cue, &[String]); 3] = [
            (Cue::Negation, &catalog.terms.negation),
            (Cue::Trade, &catalog.terms.trade),
            (Cue::TradeOverride, &catalog.terms.trade_override),
        ];
        let except = [String::from("除外")];
        for (kind, list) in lists.into_iter().chain([(Cue::NegationAfter, &except[..])]) {
            for c in list {
                let k = n.term_key(c);
                if k.is_empty() {
                    continue;
                }
                let p = *pos.entry(k.clone()).or_insert_with(|| {
                    patterns.push(k);
                    term_of.push(None);
                    negative_of.push(Vec::new());
                    cue_of.push(0);
                    patterns.len() - 1
                });
                cue_of[p] |= kind.bit();
            }
        }
        // A contiguous NFA, not a full DFA: measured on 100k profiles (BENCHMARKS.md) the DFA's
        // ~50 MB transition table misses cache often enough to be ~7% slower per profile, and it
        // costs ~0.1 s more to build and ~30 MB more memory.
        let terms = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&patterns)
            .map_err(|e| Error::Input(format!("cannot build term automaton: {e}")))?;
        let boiler: Vec<String> = catalog
            .terms
            .boilerplate
            .iter()
            .map(|b| n.term_key(b))
            .filter(|k| !k.is_empty())
            .collect();
        let boilerplate = if boiler.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&boiler)
                    .map_err(|e| Error::Input(format!("cannot build boilerplate automaton: {e}")))?,
            )
        };
        let negation_prefix = catalog
            .terms
            .negation_prefix
            .iter()
            .filter_map(|p| p.chars().next())
            .collect();
        let mut name_patterns = Vec::new();
        let mut name_word_group = Vec::new();
        for (gi, g) in catalog.terms.negative.iter().enumerate() {
            for w in &g.name_words {
                let k = n.term_key(w);
                if !k.is_empty() {
                    name_patterns.push(k);
                    name_word_group.push(gi);
                }
            }
        }
        let name_words = if name_patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&name_patterns)
                    .map_err(|e| Error::Input(format!("cannot build name-word automaton: {e}")))?,
            )
        };
        Ok(Extractor {
            terms,
            term_of,
            negative_of,
            keys,
            shown,
            boilerplate,
            cue_of,
            negation_prefix,
            name_words,
            name_word_group,
        })
    }

    /// The analysis-form key of an industry-term id.
    pub fn key(&self, id: u32) -> &str {
        &self.keys[id as usize]
    }

    /// The display form of an industry-term id.
    pub fn shown(&self, id: u32) -> &str {
        &self.shown[id as usize]
    }

    /// Number of industry terms.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The analysis form of a profile text with boilerplate blanked out.
    pub fn prepare(&self, text: &str) -> String {
        let mut out = String::new();
        self.blank_into(&normalizer().analyze(text), &mut out);
        out
    }

    /// Appends `analyzed` (analysis form) to `out` with boilerplate blanked out (each phrase → `|`).
    fn blank_into(&self, analyzed: &str, out: &mut String) {
        match &self.boilerplate {
            Some(b) => b.replace_all_with(analyzed, out, |_, _, dst| {
                dst.push('|');
                true
            }),
            None => out.push_str(analyzed),
        }
    }

    /// The counter-evidence groups whose industry words stand in a company name
    /// (温州某某置业有限公司 → real estate).
    pub fn name_negatives(&self, name: &str) -> Vec<usize> {
        self.name_negatives_analyzed(&normalizer().analyze(name))
    }

    /// [`Extractor::name_negatives`] of a name already in analysis form.
    pub fn name_negatives_analyzed(&self, analyzed: &str) -> Vec<usize> {
        let Some(ac) = &self.name_words else { return Vec::new() };
        let mut groups: Vec<usize> = ac
            .find_iter(analyzed)
            .map(|m| self.name_word_group[m.pattern().as_usize()])
            .collect();
        groups.sort_unstable();
        groups.dedup();
        groups
    }

    /// Finds the catalogue terms and counter-evidence in a profile text.
    pub fn extract(&self, text: &str) -> Found {
        self.find(&self.prepare(text), 0)
    }

    /// Finds the catalogue terms and counter-evidence in a profile whose name and scope are
    /// already in analysis form ([`normalizer`]`().analyze`): one pass over name `|` scope, the
    /// terms of the name also listed apart in [`Found::name_terms`].
    pub fn extract_profile(&self, name: &str, scope: &str) -> Found {
        let mut prepared = String::with_capacity(name.len() + scope.len() + 1);
        self.blank_into(name, &mut prepared);
        let trimmed = prepared.trim_end_matches(['|', '/']).len();
        prepared.truncate(trimmed);
        let name_end = prepared.len();
        if name_end > 0 {
            prepared.push('|');
        }
        self.blank_into(scope, &mut prepared);
        self.find(&prepared, name_end)
    }

    /// The search itself over a prepared text; hits starting before `name_end` are the name's.
    fn find(&self, prepared: &str, name_end: usize) -> Found {
        let mut words: Vec<String> = Vec::new();
        // Most Chinese profiles hold no Latin word at all: skip the split then.
        if prepared.bytes().any(|b| b.is_ascii_lowercase()) {
            for w in prepared.split(|c: char| !c.is_ascii_alphanumeric()) {
                if w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase()) && !words.iter().any(|x| x == w) {
                    words.push(w.to_string());
                }
            }
        }
        let mut cues: Vec<(usize, usize, Cue)> = Vec::new();
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        for m in self.terms.find_overlapping_iter(prepared) {
            let (s, e, p) = (m.start(), m.end(), m.pattern().as_usize());
            let cue = self.cue_of[p];
            if cue != 0 {
                cues.extend(Cue::ALL.iter().filter(|k| cue & k.bit() != 0).map(|&k| (s, e, k)));
            }
            if self.term_of[p].is_some() || !self.negative_of[p].is_empty() {
                hits.push((s, e, p));
            }
        }
        // Longest first at each start, then drop matches nested inside an earlier, longer one.
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        // Clause separators, found once: each kept hit looks its clause up by binary search.
        let bars: Vec<usize> = if hits.is_empty() {
            Vec::new()
        } else {
            prepared
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'|')
                .map(|(i, _)| i)
                .collect()
        };
        let mut found = Found {
            words,
            ..Found::default()
        };
        let mut max_end = 0usize;
        let mut max_span = (0usize, 0usize);
        for (s, e, p) in hits {
            let nested = e <= max_end && (s, e) != max_span;
            if e > max_end {
                max_end = e;
                max_span = (s, e);
            }
            if nested {
                continue;
            }
            let before = bars.partition_point(|&i| i < s);
            let clause_start = if before == 0 { 0 } else { bars[before - 1] + 1 };
            let clause_end = bars[bars.partition_point(|&i| i < e)..]
                .first()
                .copied()
                .unwrap_or(prepared.len());
            let in_clause = |c: &&(usize, usize, Cue)| c.0 >= clause_start && c.1 <= clause_end;
            let negated = cues.iter().filter(in_clause).any(|c| match c.2 {
                Cue::Negation => c.1 <= s,
                Cue::NegationAfter => c.0 >= e,
                _ => false,
            }) || prepared[..s]
                .chars()
                .next_back()
                .is_some_and(|ch| self.negation_prefix.contains(&ch));
            if negated {
                continue;
            }
            let trade = cues.iter().filter(in_clause).any(|c| c.2 == Cue::Trade)
                && !cues.iter().filter(in_clause).any(|c| c.2 == Cue::TradeOverride);
            if let Some(t) = self.term_of[p] {
                if s < name_end && !found.name_terms.contains(&t) {
                    found.name_terms.push(t);
                }
                match found.terms.iter().position(|&x| x == t) {
                    Some(i) => found.trade_only[i] &= trade,
                    None => {
                        found.terms.push(t);
                        found.trade_only.push(trade);
                    }
                }
            }
            for &g in &self.negative_of[p] {
                if !found.negatives.contains(&g) {
                    found.negatives.push(g);
                }
            }
        }
        found
    }
}
