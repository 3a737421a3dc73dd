//! Finding catalogue terms in a profile: normalise to analysis form, blank out registration
//! boilerplate, then one Aho–Corasick pass over every catalogue term and counter-evidence term.
//! A match lying inside a longer match is dropped (跨境电商 counts, not also 电商 within it).

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::text::normalizer;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::HashMap;

/// The automata over catalogue terms, boilerplate and counter-evidence.
pub struct Extractor {
    terms: AhoCorasick,
    /// Per automaton pattern: the industry-term id (index into the matcher's table), if any.
    term_of: Vec<Option<u32>>,
    /// Per automaton pattern: the counter-evidence groups it belongs to.
    negative_of: Vec<Vec<usize>>,
    /// Per industry-term id: its analysis-form key and the form shown to people.
    keys: Vec<String>,
    shown: Vec<String>,
    boilerplate: Option<AhoCorasick>,
}

/// What was found in one profile.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Distinct industry-term ids, in order of first occurrence.
    pub terms: Vec<u32>,
    /// Distinct counter-evidence groups.
    pub negatives: Vec<usize>,
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
        let terms = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
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
                    .map_err(|e| {
                        Error::Input(format!("cannot build boilerplate automaton: {e}"))
                    })?,
            )
        };
        Ok(Extractor {
            terms,
            term_of,
            negative_of,
            keys,
            shown,
            boilerplate,
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
        let analyzed = normalizer().analyze(text);
        match &self.boilerplate {
            Some(b) => {
                let mut out = String::with_capacity(analyzed.len());
                b.replace_all_with(&analyzed, &mut out, |_, _, dst| {
                    dst.push('|');
                    true
                });
                out
            }
            None => analyzed,
        }
    }

    /// Finds the catalogue terms and counter-evidence in a profile text.
    pub fn extract(&self, text: &str) -> Found {
        let prepared = self.prepare(text);
        let mut hits: Vec<(usize, usize, usize)> = self
            .terms
            .find_overlapping_iter(&prepared)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        // Longest first at each start, then drop matches nested inside an earlier, longer one.
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut found = Found::default();
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
            if let Some(t) = self.term_of[p]
                && !found.terms.contains(&t)
            {
                found.terms.push(t);
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
