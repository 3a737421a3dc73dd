//! Profile → ranked sectors and industries, with scores and evidence.
//!
//! The ranking is BM25 over the catalogue index with the profile as the query: every catalogue
//! term found in the profile is a term query on the field of its class (`name`, `strong`,
//! `support`, `generic`), boosted by the class weight. Running a tantivy query per profile costs
//! ~100 µs, so [`Matcher::compile`] reads, once, each term's BM25 contribution to each industry out
//! of the index (or from the tables file beside an on-disk index, [`tables`]) and keeps them in a
//! table behind one Aho–Corasick automaton: scoring is then one
//! pass over the profile and computes the same numbers ([`Matcher::score_via_index`] runs the
//! real tantivy queries; a test checks that both agree).
//!
//! On top of BM25: supporting terms count fully only beside another term of the industry,
//! generic terms only beside a strong or supporting one; the profile's GB/T 4754 code adds a
//! bonus; counter-evidence (traditional industries outside the plan) lowers the calibrated fit.

mod clause;
mod extract;
pub mod lexical;
mod result;
mod tables;

pub use clause::Role;
pub use extract::Extractor;
pub use result::{Match, MatchFacts, ScoreResult, Verdict};
pub(crate) use result::{write_json_str, write_json_strs, write_json_value};

use crate::catalog::{Catalog, DeclaredIndustry, Scoring};
use crate::error::{Error, Result};
use crate::index::{CatalogIndex, TermClass};
use crate::lead::Profile;
use crate::text::normalizer;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::sync::Arc;
use tantivy::query::{EnableScoring, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, TantivyDocument, Term};

/// One industry's BM25 contribution for a term.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
struct Posting {
    industry: u16,
    class: TermClass,
    bm25: f32,
}

/// Lists of postings by id, stored one after another (one allocation, read in order): list `i`
/// is `lists[i]`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Lists<T> {
    /// List `i` is `items[ends[i - 1]..ends[i]]` (`ends[-1]` = 0).
    ends: Vec<u32>,
    items: Vec<T>,
}

impl<T> std::ops::Index<usize> for Lists<T> {
    type Output = [T];

    fn index(&self, i: usize) -> &[T] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.items[start..self.ends[i] as usize]
    }
}

impl<T> FromIterator<Vec<T>> for Lists<T> {
    fn from_iter<I: IntoIterator<Item = Vec<T>>>(lists: I) -> Lists<T> {
        let mut out = Lists {
            ends: Vec::new(),
            items: Vec::new(),
        };
        for list in lists {
            out.items.extend(list);
            out.ends.push(out.items.len() as u32);
        }
        out
    }
}

/// Per-industry facts the scorer needs, resolved once.
#[derive(Debug, Clone)]
struct IndustryInfo {
    sector: usize,
    /// Trade is this industry's business (new commerce, new logistics): trading clauses count.
    trade_exempt: bool,
    /// `makers_excluded` (bit [`extract::MADE`]) and `fleet_excluded` (bit [`extract::FLEET`]).
    excluded: u8,
    /// `sellers_deliver` of the catalogue.
    sellers_deliver: bool,
    core: Vec<String>,
    related: Vec<String>,
}

/// The compiled matcher: built once from the catalogue and its index, shared by every thread.
pub struct Matcher {
    extractor: Extractor,
    /// Per pattern of the extractor: the industries it scores in.
    postings: Lists<Posting>,
    /// Loose layer: BM25 of each Latin word of the `text` field in each industry.
    loose: FxHashMap<String, Vec<(u16, f32)>>,
    /// The same for the Chinese words of the `text` field, by the id the extractor reports.
    loose_cjk: Lists<(u16, f32)>,
    loose_words: Vec<String>,
    industries: Vec<IndustryInfo>,
    /// Per industry: what every match to it says (sector, units, carriers, clause), built once.
    facts: Vec<Arc<MatchFacts>>,
    scoring: Scoring,
    catalog: std::sync::Arc<Catalog>,
    /// Per GB/T entry (by [`crate::catalog::GbtTable::position`]): the code bonus of every
    /// industry for a profile declaring it, worked out the first time a profile does (~1% of a
    /// row when recomputed for every profile).
    code_bonuses: Vec<std::sync::OnceLock<Box<[f32]>>>,
    /// Per industry-term id: the term is registry padding (`padding` of terms.toml).
    padding_term: Vec<bool>,
    /// The lexical layer (`lexicon.csv` and `[lexical]`), when the catalogue has one.
    lexical: Option<lexical::Lexical>,
}

/// Per-industry accumulators for one profile: a slot per industry, and the industries touched in
/// the order first touched (no hashing on the hot path).
struct Accs {
    slots: Vec<Acc>,
    touched: Vec<u16>,
}

impl Accs {
    fn new(n: usize) -> Accs {
        Accs {
            slots: vec![Acc::default(); n],
            touched: Vec::new(),
        }
    }

    fn entry(&mut self, industry: u16) -> &mut Acc {
        let a = &mut self.slots[industry as usize];
        if !a.touched {
            a.touched = true;
            self.touched.push(industry);
        }
        a
    }

    fn touched(&self) -> impl Iterator<Item = (u16, &Acc)> {
        self.touched.iter().map(|&i| (i, &self.slots[i as usize]))
    }

    /// Empties the touched slots, keeping their evidence buffers for the next profile.
    fn reset(&mut self) {
        for i in self.touched.drain(..) {
            let a = &mut self.slots[i as usize];
            a.touched = false;
            a.by_class = [0.0; 4];
            a.loose = 0.0;
            a.count = [0; 4];
            a.core = 0;
            a.clauses = 0;
            a.side = false;
            a.evidence.clear();
        }
    }

    /// Runs `f` with this thread's accumulators for `n` industries, reset before and after:
    /// scoring allocates no per-industry state per profile.
    fn with_scratch<R>(n: usize, f: impl FnOnce(&mut Accs) -> R) -> R {
        thread_local! {
            static SCRATCH: std::cell::RefCell<Accs> = std::cell::RefCell::new(Accs::new(0));
        }
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut accs) => {
                if accs.slots.len() != n {
                    *accs = Accs::new(n);
                }
                accs.reset();
                let r = f(&mut accs);
                accs.reset();
                r
            }
            Err(_) => f(&mut Accs::new(n)),
        })
    }
}

/// Evidence gathered for one industry while scoring.
#[derive(Debug, Clone, Default)]
struct Acc {
    touched: bool,
    by_class: [f32; 4],
    loose: f32,
    count: [u16; 4],
    /// Name and strong terms (in the firm's own business) that are not registry padding.
    core: u16,
    /// Scope clauses (bit per non-empty clause) where a non-generic term of the industry stands in
    /// the firm's own business.
    clauses: u64,
    /// A non-generic term of the industry stands in a side role (customer, venue, product made,
    /// a name word the scope does not speak of …).
    side: bool,
    evidence: Vec<(f32, u32)>,
}

fn class_idx(c: TermClass) -> usize {
    match c {
        TermClass::Name => 0,
        TermClass::Strong => 1,
        TermClass::Support => 2,
        TermClass::Generic => 3,
    }
}

/// A profile's name and business scope in analysis form ([`crate::text::Normalizer::analyze`]),
/// normalised once per profile and shared by the matcher and the priority signals.
#[derive(Debug, Clone, Default)]
pub struct ProfileText {
    pub name: String,
    pub scope: String,
}

impl ProfileText {
    pub fn new(profile: &Profile) -> ProfileText {
        let n = normalizer();
        ProfileText {
            name: n.analyze(&profile.name),
            scope: n.analyze(&profile.scope),
        }
    }
}

/// A sector's score before calibration, with what it rests on.
#[derive(Debug, Clone)]
pub struct SectorScore {
    pub sector: usize,
    pub industry: usize,
    pub raw: f32,
    /// Loose full-text score (English words over the industry texts); orders, never raises fit.
    pub loose: f32,
    pub specific_terms: u32,
    /// Terms of the sector's own, over all its industries: name and strong terms that are not
    /// registry padding (`padding` of terms.toml), and one for an industry with two supporting
    /// terms or more (测绘服务；导航电子地图制作).
    pub core_terms: u32,
    /// The company name holds a name or strong term of the matched industry.
    pub name_positive: bool,
    /// Scope clauses (bit per non-empty clause) where the best industry's non-generic terms stand
    /// in the firm's own business.
    pub clauses: u64,
    /// The best industry's terms stand only in side roles (a venue, a customer, a product it
    /// makes …): the catalogue read the plan word and judged it not the firm's business.
    pub side_only: bool,
    pub evidence: Vec<String>,
}

/// What the fit of one sector rests on besides its raw score.
#[derive(Debug, Clone, Copy, Default)]
pub struct FitContext {
    /// Counter-evidence groups found in the profile text or its declared industry.
    pub negative_groups: usize,
    /// The company name says a traditional industry (置业, 鞋业, 阀门 …).
    pub name_negative: bool,
    /// Scope clauses holding counter-evidence in the firm's own business (bit per clause).
    pub negative_clauses: u64,
    /// Of `negative_groups`, those found only after the second clause of the scope.
    pub late_negative_groups: usize,
}

impl Matcher {
    /// Compiles the matcher: the term table is read out of the index (BM25 weight of every term
    /// in every industry), the automaton built over all terms, boilerplate and counter-evidence.
    pub fn compile(catalog: std::sync::Arc<Catalog>, index: &CatalogIndex) -> Result<Matcher> {
        let tables::Tables {
            keys,
            shown,
            postings,
            loose,
            loose_words,
            loose_cjk,
        } = tables::Tables::load_or_read(&catalog, index)?;
        let loose: FxHashMap<String, Vec<(u16, f32)>> = loose.into_iter().collect();
        let generic_terms = (0..postings.ends.len())
            .map(|i| postings[i].iter().all(|p| p.class == TermClass::Generic))
            .collect();
        let extractor = Extractor::new(&catalog, keys, shown, &loose_words)?.with_generic_terms(generic_terms);
        let sector_pos: HashMap<&str, usize> = catalog
            .sectors
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let industries = catalog
            .industries
            .iter()
            .map(|i| IndustryInfo {
                sector: sector_pos.get(i.sector.as_str()).copied().unwrap_or(0),
                trade_exempt: catalog.scoring.matcher.trade_exempt_sectors.contains(&i.sector),
                excluded: (u8::from(i.makers_excluded) * extract::MADE) | (u8::from(i.fleet_excluded) * extract::FLEET),
                sellers_deliver: i.sellers_deliver,
                core: i.gbt.clone(),
                related: i.gbt_related.clone(),
            })
            .collect();
        let facts = catalog
            .industries
            .iter()
            .map(|ind| {
                let sector = &catalog.sectors[sector_pos.get(ind.sector.as_str()).copied().unwrap_or(0)];
                Arc::new(MatchFacts::new(
                    sector.no,
                    sector.id.clone(),
                    sector.name.clone(),
                    ind.id.clone(),
                    ind.name.clone(),
                    catalog.lead_unit(ind).to_string(),
                    catalog.responsible_units(ind).to_vec(),
                    catalog.carriers(ind).to_vec(),
                    ind.clause.clone(),
                ))
            })
            .collect();
        let padding: std::collections::HashSet<String> =
            catalog.terms.padding.iter().map(|t| normalizer().term_key(t)).collect();
        let padding_term = (0..postings.ends.len() as u32)
            .map(|i| padding.contains(extractor.key(i)))
            .collect();
        Ok(Matcher {
            lexical: lexical::Lexical::new(&catalog),
            padding_term,
            extractor,
            postings,
            loose,
            loose_cjk,
            loose_words,
            industries,
            facts,
            scoring: catalog.scoring.clone(),
            code_bonuses: (0..catalog.gbt.len()).map(|_| std::sync::OnceLock::new()).collect(),
            catalog,
        })
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn extractor(&self) -> &Extractor {
        &self.extractor
    }

    /// The lexical layer, when the catalogue has one.
    pub fn lexical(&self) -> Option<&lexical::Lexical> {
        self.lexical.as_ref()
    }

    /// Turns the lexical layer off (returning it): its training scores profiles without it.
    pub fn take_lexical(&mut self) -> Option<lexical::Lexical> {
        self.lexical.take()
    }

    /// Scores a profile with the compiled table.
    pub fn score(&self, profile: &Profile) -> ScoreResult {
        self.score_top(profile, usize::MAX)
    }

    /// Scores a profile, keeping only the best `top` sectors in `matches` (cheaper: the others
    /// are never turned into results).
    pub fn score_top(&self, profile: &Profile, top: usize) -> ScoreResult {
        self.score_analyzed(profile, &ProfileText::new(profile), top)
    }

    /// [`Matcher::score_top`] for a profile already normalised (the priority step reuses `text`).
    pub fn score_analyzed(&self, profile: &Profile, text: &ProfileText, top: usize) -> ScoreResult {
        self.score_analyzed_with(profile, text, top, false)
    }

    /// [`Matcher::score_analyzed`]; `lean` leaves the text-only fields empty (each match's
    /// evidence, the counter-evidence names, the declared industry): `rank --compact` prints
    /// none of them, and the evidence alone (a sort and a string per term) was ~2% of a row.
    pub fn score_analyzed_with(&self, profile: &Profile, text: &ProfileText, top: usize, lean: bool) -> ScoreResult {
        let found = self.extractor.extract_profile(&text.name, &text.scope);
        Accs::with_scratch(self.industries.len(), |accs| {
            self.accumulate(&found, accs);
            self.finish(profile, text, accs, &found, top, lean)
        })
    }

    /// Adds up the compiled BM25 contributions of the found terms per industry, each weighted by
    /// its role and position ([`extract::Found::weight`]). Terms found only in the company name
    /// come last: they count fully for an industry the scope also speaks of (or when the scope
    /// holds no specific term at all), and `[roles] name_only` of their weight otherwise — a name
    /// supports the text, it does not overrule it.
    fn accumulate(&self, found: &extract::Found, accs: &mut Accs) {
        self.each_weighted_term(
            found,
            |industry, class, bm25, pid, trade, weight, clauses, scoring_accs: &mut Accs| {
                self.add(scoring_accs, industry, class, bm25, pid, trade, weight, clauses)
            },
            accs,
        );
        for w in &found.words {
            if let Some(list) = self.loose.get(w) {
                for &(industry, bm25) in list {
                    accs.entry(industry).loose += bm25;
                }
            }
        }
        for &l in &found.loose {
            for &(industry, bm25) in &self.loose_cjk[l as usize] {
                accs.entry(industry).loose += bm25;
            }
        }
    }

    /// Calls `f` for every (term, industry) posting of the found terms with the term's weight,
    /// scope terms first, then name-only terms with the name rule of [`Matcher::accumulate`].
    #[allow(clippy::type_complexity)]
    fn each_weighted_term(
        &self,
        found: &extract::Found,
        mut f: impl FnMut(u16, TermClass, f32, u32, bool, f32, u64, &mut Accs),
        accs: &mut Accs,
    ) {
        // A product the firm makes or a carrier's service (its scope says it makes things, or
        // owns its vehicles), for an industry whose makers or carriers are not its target: the
        // same term stays the firm's own elsewhere. In the scope and in the name alike.
        let made_for = |i: usize, industry: u16| found.made[i] & self.industries[industry as usize].excluded != 0;
        // A seller's delivery: the first item is a traditional trade, the delivery term a later one.
        let seller = found.negative_clauses & 1 != 0;
        let mut scope_specific = false;
        for (i, &pid) in found.terms.iter().enumerate() {
            if !found.in_scope[i] {
                continue;
            }
            for p in &self.postings[pid as usize] {
                scope_specific |= p.class != TermClass::Generic;
                let (weight, clauses) = if made_for(i, p.industry) {
                    (found.weight[i] * self.scoring.roles.made, 0)
                } else if seller
                    && found.own_clauses[i] & 1 == 0
                    && self.industries[p.industry as usize].sellers_deliver
                {
                    (found.weight[i] * self.scoring.roles.channel, 0)
                } else {
                    (found.weight[i], found.own_clauses[i])
                };
                f(
                    p.industry,
                    p.class,
                    p.bm25,
                    pid,
                    found.trade_only[i],
                    weight,
                    clauses,
                    accs,
                );
            }
        }
        let name_only = self.scoring.roles.name_only;
        // Industries the scope denies (无区块链业务): a name word of theirs says nothing.
        let denied = |industry: u16| {
            found
                .denied
                .iter()
                .any(|&t| self.postings[t as usize].iter().any(|p| p.industry == industry))
        };
        for (i, &pid) in found.terms.iter().enumerate() {
            if found.in_scope[i] {
                continue;
            }
            for p in &self.postings[pid as usize] {
                if !found.denied.is_empty() && denied(p.industry) {
                    continue;
                }
                let spoken_of = accs.slots[p.industry as usize].touched;
                let w = found.weight[i]
                    * if !(scope_specific || found.negative_clauses != 0) || spoken_of {
                        1.0
                    } else {
                        name_only
                    }
                    * if made_for(i, p.industry) {
                        self.scoring.roles.made
                    } else {
                        1.0
                    };
                f(p.industry, p.class, p.bm25, pid, found.trade_only[i], w, 0, accs);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &self,
        accs: &mut Accs,
        industry: u16,
        class: TermClass,
        bm25: f32,
        pid: u32,
        trade: bool,
        weight: f32,
        clauses: u64,
    ) {
        let w = &self.scoring.matcher;
        let mut boost = match class {
            TermClass::Name => w.name,
            TermClass::Strong => w.strong,
            TermClass::Support => w.support,
            TermClass::Generic => w.generic,
        } * weight;
        if trade && !self.industries[industry as usize].trade_exempt {
            boost *= w.trade;
        }
        let a = accs.entry(industry);
        let ci = class_idx(class);
        a.by_class[ci] += boost * bm25;
        // A term in a side role (customer, channel …) adds its weight but does not unlock the
        // supporting and generic terms of the industry.
        if weight >= 0.5 {
            a.count[ci] += 1;
            if ci < 2 && !self.padding_term.get(pid as usize).copied().unwrap_or(false) {
                a.core += 1;
            }
        }
        if class != TermClass::Generic {
            a.clauses |= clauses;
            a.side |= clauses == 0 && weight < 0.5;
        }
        a.evidence.push((boost * bm25, pid));
    }

    /// Scores a profile by running tantivy term queries against the index (the slow reference
    /// path the compiled table must agree with).
    pub fn score_via_index(&self, index: &CatalogIndex, profile: &Profile) -> Result<ScoreResult> {
        let text = ProfileText::new(profile);
        let found = self.extractor.extract_profile(&text.name, &text.scope);
        let searcher = index.reader.searcher();
        let enable = EnableScoring::enabled_from_searcher(&searcher);
        // BM25 of one term in one field, per industry ordinal.
        let term_scores = |field: tantivy::schema::Field, key: &str| -> Result<Vec<(u16, f32)>> {
            let q = TermQuery::new(Term::from_field_text(field, key), IndexRecordOption::WithFreqs);
            let weight = q.weight(enable).map_err(|e| Error::index("weigh term", e))?;
            let mut out = Vec::new();
            for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
                let mut hits = Vec::new();
                weight
                    .for_each(seg, &mut |doc, score| hits.push((doc, score)))
                    .map_err(|e| Error::index("score term", e))?;
                for (doc, score) in hits {
                    let d: TantivyDocument = searcher
                        .doc(DocAddress::new(seg_ord as u32, doc))
                        .map_err(|e| Error::index("read document", e))?;
                    if let Some(o) = d.get_first(index.fields.ord).and_then(|v| v.as_u64()) {
                        out.push((o as u16, score));
                    }
                }
            }
            Ok(out)
        };
        let mut accs = Accs::new(self.industries.len());
        // The same weighting as the compiled path, with every BM25 number from a real query.
        let mut postings: Vec<(u16, TermClass, f32, u32)> = Vec::new();
        for &pid in &found.terms {
            for class in TermClass::ALL {
                for (ind, score) in term_scores(index.fields.term_field(class), self.extractor.key(pid))? {
                    postings.push((ind, class, score, pid));
                }
            }
        }
        self.each_weighted_term(
            &found,
            |industry, class, _bm25, pid, trade, weight, clauses, accs: &mut Accs| {
                for &(ind, c, score, p) in &postings {
                    if ind == industry && c == class && p == pid {
                        self.add(accs, industry, class, score, pid, trade, weight, clauses);
                    }
                }
            },
            &mut accs,
        );
        for w in found
            .words
            .iter()
            .chain(found.loose.iter().map(|&l| &self.loose_words[l as usize]))
        {
            for (ind, score) in term_scores(index.fields.text, w)? {
                accs.entry(ind).loose += score;
            }
        }
        Ok(self.finish(profile, &text, &accs, &found, usize::MAX, false))
    }

    /// The GB/T bonus of an industry for the declared code.
    fn code_bonus(&self, info: &IndustryInfo, declared: Option<&DeclaredIndustry>) -> f32 {
        let Some(d) = declared else { return 0.0 };
        let w = &self.scoring.matcher;
        let code = d.code.as_str();
        match d.level.as_str() {
            "class" => {
                if info.core.iter().any(|c| c == code) {
                    w.code_core
                } else if info.related.iter().any(|c| c == code) {
                    w.code_related
                } else if info.core.iter().any(|c| c[..2] == code[..2]) {
                    w.code_division
                } else {
                    0.0
                }
            }
            "group" => {
                if info.core.iter().any(|c| c.starts_with(code)) {
                    w.code_related
                } else if info.related.iter().any(|c| c.starts_with(code)) {
                    w.code_division
                } else {
                    0.0
                }
            }
            "division" if info.core.iter().any(|c| c.starts_with(code)) => w.code_division,
            _ => 0.0,
        }
    }

    /// [`Matcher::code_bonus`] of every industry (by industry number) for a declared industry.
    fn code_bonuses(&self, declared: &DeclaredIndustry) -> std::borrow::Cow<'_, [f32]> {
        let compute = || -> Box<[f32]> {
            self.industries
                .iter()
                .map(|info| self.code_bonus(info, Some(declared)))
                .collect()
        };
        let gbt = &self.catalog.gbt;
        // The bonus depends on the code and its level only: the entry's table serves every
        // profile declaring it.
        let cell = gbt
            .position(&declared.code)
            .filter(|&i| gbt.entry_at(i).is_some_and(|e| e.level == declared.level))
            .and_then(|i| self.code_bonuses.get(i));
        match cell {
            Some(cell) => std::borrow::Cow::Borrowed(&**cell.get_or_init(compute)),
            None => std::borrow::Cow::Owned(compute().into_vec()),
        }
    }

    /// Calibrated confidence for a sector score: a logistic function of [`fit_features`], with
    /// the coefficients of `[calibration]` in scoring.toml.
    pub fn calibrate(&self, s: &SectorScore, ctx: FitContext) -> f32 {
        let x = fit_features(Some(s), ctx);
        let w = self.scoring.calibration.coefficients();
        let z: f32 = x.iter().zip(w.iter()).map(|(a, b)| *a as f32 * b).sum();
        1.0 / (1.0 + (-z).exp())
    }

    /// Sector scores before calibration, best first, with the fit context (for evaluation and
    /// calibration).
    pub fn sector_scores(&self, profile: &Profile) -> (Vec<SectorScore>, FitContext) {
        let text = ProfileText::new(profile);
        let found = self.extractor.extract_profile(&text.name, &text.scope);
        let declared = profile.industry.as_deref().and_then(|t| self.catalog.gbt.resolve(t));
        let neg = self.negative_groups(&found, declared.as_ref());
        let name = self.extractor.read_name(&text.name, &found.name_terms);
        let sectors = Accs::with_scratch(self.industries.len(), |accs| {
            self.accumulate(&found, accs);
            self.rank_sectors(accs, declared.as_ref(), &name.heads)
        });
        // The context of the best sector (what calibration rows read).
        let maker = sectors.first().is_some_and(|s| self.makes_core(&found, s.industry));
        let ctx = self.fit_context(&name.groups, &found, &neg, declared.as_ref(), maker);
        (sectors, ctx)
    }

    /// `name_groups`: the counter-evidence groups of the company name ([`Extractor::read_name`]).
    ///
    /// `maker`: the sector is read for a maker of its industry's core technology
    /// ([`Matcher::makes_core`]). A manufacturing group of the name (机械, 电子, 汽车配件) then
    /// says what the scope says — the firm makes things — and is not counter-evidence: such a
    /// group counts only where it stands in the scope (通用设备制造 as a fourth item is late).
    fn fit_context(
        &self,
        name_groups: &[usize],
        found: &extract::Found,
        neg: &[usize],
        declared: Option<&DeclaredIndustry>,
        maker: bool,
    ) -> FitContext {
        let bit = |mask: u64, g: usize| g < 64 && mask & (1u64 << g) != 0;
        let unnamed = |g: usize| maker && self.extractor.is_making_group(g);
        let declared_group = |g: usize| self.code_groups(declared).any(|c| c == g);
        // Late: found in the text only after its second clause, and not the declared industry's.
        let late = found
            .negatives
            .iter()
            .filter(|&&g| {
                let early = if unnamed(g) {
                    found.negatives_scope_early
                } else {
                    found.negatives_early
                };
                g >= 64 || early & (1u64 << g) == 0
            })
            .filter(|&&g| !unnamed(g) || bit(found.negatives_scope, g))
            .filter(|&&g| !declared_group(g))
            .count();
        FitContext {
            negative_groups: neg
                .iter()
                .filter(|&&g| !unnamed(g) || bit(found.negatives_scope, g) || declared_group(g) || g >= 64)
                .count(),
            name_negative: name_groups
                .iter()
                .any(|&g| !((found.makes_nothing || maker) && self.extractor.is_making_group(g))),
            negative_clauses: found.negative_clauses,
            late_negative_groups: late,
        }
    }

    /// The counter-evidence groups a declared GB/T 4754 industry belongs to.
    fn code_groups<'a>(&'a self, declared: Option<&'a DeclaredIndustry>) -> impl Iterator<Item = usize> + 'a {
        declared.into_iter().flat_map(move |d| {
            self.catalog
                .terms
                .negative
                .iter()
                .enumerate()
                .filter_map(move |(gi, g)| {
                    g.gbt
                        .iter()
                        .any(|c| d.code.starts_with(c.as_str()) || c.starts_with(d.code.as_str()) && d.level == "class")
                        .then_some(gi)
                })
        })
    }

    fn negative_groups(&self, found: &extract::Found, declared: Option<&DeclaredIndustry>) -> Vec<usize> {
        let mut groups: Vec<usize> = found.negatives.clone();
        groups.extend(self.code_groups(declared));
        groups.sort_unstable();
        groups.dedup();
        groups
    }

    /// Sector scores, best first, each with its evidence (the display forms of its best
    /// industry's terms).
    fn rank_sectors(&self, accs: &Accs, declared: Option<&DeclaredIndustry>, name_terms: &[u32]) -> Vec<SectorScore> {
        let mut out = self.rank_sectors_bare(accs, declared, name_terms);
        for s in &mut out {
            s.evidence = self.evidence(accs, s.industry);
        }
        out
    }

    /// The evidence of an industry: the display forms of its terms, the heaviest first, at most
    /// eight; none when it holds no specific or supporting term.
    fn evidence(&self, accs: &Accs, industry: usize) -> Vec<String> {
        let Some(acc) = accs.slots.get(industry).filter(|a| a.touched) else {
            return Vec::new();
        };
        if acc.count[..3].iter().all(|&n| n == 0) {
            return Vec::new();
        }
        let mut ev = acc.evidence.clone();
        ev.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut evidence: Vec<String> = Vec::new();
        for (_, pid) in ev {
            let shown = self.extractor.shown(pid);
            if !evidence.iter().any(|e| e == shown) {
                evidence.push(shown.to_string());
            }
            if evidence.len() >= 8 {
                break;
            }
        }
        evidence
    }

    /// [`Matcher::rank_sectors`] without the evidence (`evidence` left empty): [`Matcher::finish`]
    /// builds it for the sectors it keeps only.
    fn rank_sectors_bare(
        &self,
        accs: &Accs,
        declared: Option<&DeclaredIndustry>,
        name_terms: &[u32],
    ) -> Vec<SectorScore> {
        // One integer per industry: sector ascending, raw descending, loose descending, industry
        // ascending. The keys are unique (they end in the industry), so sorting them gives the
        // order of a comparison sort on those fields, and raw and loose are read back from them
        // bit for bit.
        let key = |sector: usize, raw: f32, loose: f32, ind: usize| -> u128 {
            (sector as u128) << 96
                | (!total_order_key(raw) as u128) << 64
                | (!total_order_key(loose) as u128) << 32
                | ind as u128
        };
        let sector_of = |k: u128| (k >> 96) as usize;
        let raw_of = |k: u128| from_total_order_key(!((k >> 64) as u32));
        let loose_of = |k: u128| from_total_order_key(!((k >> 32) as u32));
        let ind_of = |k: u128| k as u32 as usize;
        let w = &self.scoring.matcher;
        let bonuses = declared.map(|d| self.code_bonuses(d));
        let bonus_of = |ind: usize| bonuses.as_ref().and_then(|b| b.get(ind)).copied().unwrap_or(0.0);
        let mut keys: Vec<u128> = Vec::with_capacity(accs.touched.len());
        for (ind, acc) in accs.touched() {
            let specific = acc.count[0] as u32 + acc.count[1] as u32;
            let support_n = acc.count[2] as u32;
            let support = if specific >= 1 || support_n >= 2 {
                acc.by_class[2]
            } else {
                acc.by_class[2] * w.lone_support
            };
            let generic = if specific + support_n >= 1 {
                acc.by_class[3]
            } else {
                0.0
            };
            let info = &self.industries[ind as usize];
            // (No declared code, no bonus: the same 0.0 added.)
            let bonus = bonus_of(ind as usize);
            let raw = acc.by_class[0] + acc.by_class[1] + support + generic + bonus;
            // Kept when it scores or its loose score counts (the others are never looked at).
            if raw > 0.0 || acc.loose >= w.loose_min {
                keys.push(key(info.sector, raw, acc.loose, ind as usize));
            }
        }
        // Industries with no term but a matching code still count.
        if declared.is_some() {
            for (i, info) in self.industries.iter().enumerate() {
                if !accs.slots[i].touched {
                    let b = bonus_of(i);
                    if b > 0.0 {
                        keys.push(key(info.sector, b, 0.0, i));
                    }
                }
            }
        }
        // Grouped by sector, each sector's industries best first.
        keys.sort_unstable();
        let mut out: Vec<SectorScore> = keys
            .chunk_by(|&a, &b| sector_of(a) == sector_of(b))
            .map(|inds| {
                let best = inds[0];
                let (sector, best_ind, best_raw) = (sector_of(best), ind_of(best), raw_of(best));
                let others: f32 = inds.iter().skip(1).map(|&k| raw_of(k)).sum();
                let loose = inds.iter().map(|&k| loose_of(k)).fold(0.0f32, f32::max);
                let raw = best_raw + w.sector_others * others.min(best_raw);
                let name_positive = name_terms.iter().any(|&pid| {
                    self.postings[pid as usize].iter().any(|p| {
                        p.industry as usize == best_ind && matches!(p.class, TermClass::Name | TermClass::Strong)
                    })
                });
                // An industry with a code only was never touched: its slot holds zeros.
                let acc = &accs.slots[best_ind];
                SectorScore {
                    sector,
                    industry: best_ind,
                    raw,
                    loose,
                    specific_terms: acc.count[0] as u32 + acc.count[1] as u32,
                    core_terms: inds
                        .iter()
                        .map(|&k| {
                            let a = &accs.slots[ind_of(k)];
                            let supports = a.count[2] as u32;
                            a.core as u32 + u32::from(supports >= 2)
                        })
                        .sum(),
                    name_positive,
                    clauses: acc.clauses,
                    side_only: acc.side && acc.clauses == 0,
                    evidence: Vec::new(),
                }
            })
            .collect();
        out.sort_unstable_by(|a, b| {
            b.raw
                .total_cmp(&a.raw)
                .then(b.loose.total_cmp(&a.loose))
                .then(a.sector.cmp(&b.sector))
        });
        out
    }

    /// The scope says the firm makes (生产, 制造 …) or develops (开发, 研发) a name or strong term
    /// of `industry` — not registry padding — where it is the firm's own business, and the
    /// industry's makers are its target (`core_makers` in the catalogue: chips, robots, software
    /// …): [`lexical::Reading::maker`].
    fn makes_core(&self, found: &extract::Found, industry: usize) -> bool {
        if !self.catalog.industries[industry].core_makers {
            return false;
        }
        found.terms.iter().enumerate().any(|(i, &pid)| {
            found.in_scope[i]
                && found.own_seen[i]
                && found.made[i] & extract::MAKES != 0
                // Registry padding (软件开发) says nothing of what the firm makes.
                && !self.padding_term.get(pid as usize).copied().unwrap_or(false)
                && self.postings[pid as usize]
                    .iter()
                    .any(|p| p.industry as usize == industry && matches!(p.class, TermClass::Name | TermClass::Strong))
        })
    }

    fn finish(
        &self,
        profile: &Profile,
        text: &ProfileText,
        accs: &Accs,
        found: &extract::Found,
        top: usize,
        lean: bool,
    ) -> ScoreResult {
        let declared = profile.industry.as_deref().and_then(|t| self.catalog.gbt.resolve(t));
        let neg = self.negative_groups(found, declared.as_ref());
        let name = self.extractor.read_name(&text.name, &found.name_terms);
        let ctx = self.fit_context(&name.groups, found, &neg, declared.as_ref(), false);
        // Evidence is built below for the sectors kept only.
        let sectors = self.rank_sectors_bare(accs, declared.as_ref(), &name.heads);
        // Calibrate every sector, order by calibrated score, then build results for the best only.
        // A maker of its industry's core technology is read in a maker's context (built once).
        let mut maker_ctx = None;
        let makers: Vec<bool> = sectors.iter().map(|s| self.makes_core(found, s.industry)).collect();
        let mut scored: Vec<(f32, usize)> = sectors
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let c = if makers[i] {
                    *maker_ctx
                        .get_or_insert_with(|| self.fit_context(&name.groups, found, &neg, declared.as_ref(), true))
                } else {
                    ctx
                };
                (round3(self.calibrate(s, c)), i)
            })
            .collect();
        scored.sort_by(|a, b| {
            let (sa, sb) = (&sectors[a.1], &sectors[b.1]);
            let bucket = |x: f32| (x * 100.0).floor() as i32;
            bucket(b.0)
                .cmp(&bucket(a.0))
                .then(sb.raw.total_cmp(&sa.raw))
                .then(b.0.total_cmp(&a.0))
                .then(sb.loose.total_cmp(&sa.loose))
        });
        // Registry padding (软件开发, 信息系统集成服务 …) of a licence-style 经营范围 does not choose
        // the sector over a term of another sector's own (issue 13, kinds 6 and 11). The padding
        // still says the firm works in technology: the fit is the better of the two.
        if let Some(&(first_score, first)) = scored.first()
            && sectors[first].specific_terms > 0
            && sectors[first].core_terms == 0
            && licence_style(&profile.scope)
            && let Some(k) = scored
                .iter()
                .position(|&(score, i)| sectors[i].core_terms > 0 && score >= PADDING_YIELDS_TO)
        {
            scored[..=k].rotate_right(1);
            scored[0].0 = scored[0].0.max(first_score);
        }
        // The lexical layer: one decision value for the profile moves every sector's fit the
        // same monotone way (the order stays). It lowers any fit, but does not raise one whose
        // best sector rests only on plan words the catalogue put in a side role (主题乐园外停车场:
        // the venue says where the car park is) — the words would say "plan" where the roles
        // already said otherwise.
        let reading = scored
            .first()
            .map_or_else(lexical::Reading::default, |&(_, i)| lexical::Reading {
                side_only: sectors[i].side_only,
                maker: makers[i],
            });
        if let Some(lex) = &self.lexical
            && !scored.is_empty()
            && let Some(d) = lex.decision(&text.scope, reading.maker)
        {
            for s in scored.iter_mut().take(top) {
                s.0 = round3(lex.adjust(s.0, d, reading));
            }
        }
        let matches: Vec<Match> = scored
            .into_iter()
            .take(top)
            .map(|(score, i)| Match {
                facts: self.facts[sectors[i].industry].clone(),
                score,
                evidence: if lean {
                    Vec::new()
                } else {
                    self.evidence(accs, sectors[i].industry)
                },
            })
            .collect();
        let fit = matches.first().map(|m| m.score).unwrap_or(0.0);
        let v = &self.scoring.verdict;
        let verdict = if matches.is_empty() || fit < v.possible {
            Verdict::None
        } else if fit >= v.target {
            Verdict::Target
        } else {
            Verdict::Possible
        };
        ScoreResult {
            verdict,
            fit,
            reading,
            matches,
            counter_evidence: if lean {
                Vec::new()
            } else {
                neg.iter()
                    .map(|&g| self.catalog.terms.negative[g].name.clone())
                    .collect()
            },
            declared_industry: declared.filter(|_| !lean).map(|d| format!("{} {}", d.code, d.name)),
        }
    }
}

/// The least calibrated score of a sector with terms of its own that takes the lead from registry
/// padding (a late 许可项目 item calibrates low by its position alone).
const PADDING_YIELDS_TO: f32 = 0.1;

/// The business scope is a registration-style list of 经营范围 items (the standard formulas of
/// the 2021+ wording, the older wording or Taiwan's, or four items or more split by `；`), where
/// items such as 软件开发 are often padding; in a description they are the firm's own work.
fn licence_style(scope: &str) -> bool {
    const MARKS: [&str; 7] = [
        "一般项目",
        "许可项目",
        "依法须经批准",
        "凭营业执照",
        "經營範圍",
        "营业项目",
        "營業項目",
    ];
    MARKS.iter().any(|m| scope.contains(m)) || scope.matches(['；', ';']).count() >= 3
}

/// Number of calibration features (the order of [`crate::catalog::Calibration::coefficients`]).
pub const NFEAT: usize = 11;

/// The features the fit is calibrated on, for a sector score (or none) and its context:
/// `[1, ln(1+raw), counter-evidence groups (≤2), name says a traditional industry, name holds a
/// strong term, specific terms (≤3), own evidence in the first two clauses, coverage, first
/// clause holds counter-evidence, ln(1+loose), late counter-evidence groups (≤2)]`; the third
/// counts the groups found in the name, the first two clauses or the declared industry. Coverage is the share of the scope clauses with
/// evidence (the sector's own-business terms, or counter-evidence) that hold the sector's.
pub fn fit_features(s: Option<&SectorScore>, ctx: FitContext) -> [f64; NFEAT] {
    let raw = s.map_or(0.0, |s| s.raw.max(0.0) as f64);
    let clauses = s.map_or(0, |s| s.clauses);
    let with_evidence = (clauses | ctx.negative_clauses).count_ones();
    let coverage = if with_evidence == 0 {
        0.0
    } else {
        clauses.count_ones() as f64 / with_evidence as f64
    };
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    [
        1.0,
        (1.0 + raw).ln(),
        ctx.negative_groups.saturating_sub(ctx.late_negative_groups).min(2) as f64,
        flag(ctx.name_negative),
        flag(s.is_some_and(|s| s.name_positive)),
        s.map_or(0.0, |s| s.specific_terms.min(3) as f64),
        flag(clauses & 0b11 != 0),
        coverage,
        flag(ctx.negative_clauses & 1 != 0),
        (1.0 + s.map_or(0.0, |s| s.loose.max(0.0) as f64)).ln(),
        ctx.late_negative_groups.min(2) as f64,
    ]
}

/// An integer in the order of [`f32::total_cmp`] (negative NaN < -inf < … < -0 < +0 < … < +inf <
/// NaN): the float's bits with the sign bit flipped, all bits flipped for a negative one.
fn total_order_key(x: f32) -> u32 {
    let b = x.to_bits();
    if b & 0x8000_0000 != 0 { !b } else { b | 0x8000_0000 }
}

/// The float whose [`total_order_key`] is `k`.
fn from_total_order_key(k: u32) -> f32 {
    f32::from_bits(if k & 0x8000_0000 != 0 { k & 0x7FFF_FFFF } else { !k })
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_order_key_sorts_as_total_cmp() {
        let mut xs = vec![
            f32::NAN,
            -f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            0.0,
            -0.0,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
            f32::MAX,
            f32::MIN,
            1.0e-42,
            -1.0e-42,
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..2000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            xs.push(f32::from_bits((seed >> 16) as u32));
            xs.push(((seed % 2001) as f32 - 1000.0) / 7.0);
        }
        for a in &xs {
            for b in xs.iter().step_by(37) {
                assert_eq!(
                    total_order_key(*a).cmp(&total_order_key(*b)),
                    a.total_cmp(b),
                    "{a:?} {b:?}"
                );
                assert_eq!(from_total_order_key(total_order_key(*a)).to_bits(), a.to_bits());
            }
        }
    }
}
