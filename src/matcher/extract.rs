//! Finding catalogue terms in a profile: normalise to analysis form, blank out registration
//! boilerplate, then one Aho–Corasick pass over every catalogue term, counter-evidence term and
//! negation/trade cue.
//! A match lying inside a longer match is dropped (跨境电商 counts, not also 电商 within it).
//! A match after a negation cue in its clause is dropped (生活美容（不涉及医疗美容）); a match whose
//! every clause only trades it (集成电路芯片及产品销售) is marked so the matcher can weigh it less.
//! Each match also gets its role in the clause ([`super::clause`]: the firm's own business, or a
//! customer, channel, tool, fair, sideline, project or product feature) and its position among
//! the clauses of the business scope; both set the weight it carries.

use super::clause::{Cue, Role, role_of};
use crate::catalog::{Catalog, RoleWeights};
use crate::error::{Error, Result};
use crate::text::normalizer;
use aho_corasick::automaton::Automaton;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, MatchKind};
use std::collections::HashMap;

/// Making verbs that, opening a clause with no catalogue term after them, say an ordinary maker's
/// item as …制造 does at its end (生产锁具 = 锁具制造). Not 研制 or 研发: a developer of new devices
/// may well be the plan's.
const MAKE_OPENERS: &[&str] = &[
    "生产",
    "制造",
    "加工",
    "组装",
    "manufactures",
    "manufacture",
    "produces",
    "makes",
];

/// The automata over catalogue terms, boilerplate and counter-evidence.
pub struct Extractor {
    /// Stepped byte by byte in [`Extractor::find_with`] (the overlapping search of `AhoCorasick`
    /// returned through a dynamic call per match).
    terms: aho_corasick::nfa::contiguous::NFA,
    /// Per automaton pattern: the industry-term id (index into the matcher's table), if any.
    term_of: Vec<Option<u32>>,
    /// Per automaton pattern: the counter-evidence groups it belongs to.
    negative_of: Vec<Vec<usize>>,
    /// Per automaton pattern: what the scan needs of it, in one place (one memory access per
    /// match).
    scan_of: Vec<ScanInfo>,
    /// Number of loose Chinese words.
    n_loose: usize,
    /// Weights of clause roles and positions.
    roles: RoleWeights,
    /// Per industry-term id: its analysis-form key and the form shown to people.
    keys: Vec<String>,
    shown: Vec<String>,
    boilerplate: Option<AhoCorasick>,
    negation_prefix: Vec<char>,
    /// Industry words of company names, per counter-evidence group.
    name_words: Option<AhoCorasick>,
    name_word_group: Vec<usize>,
    /// Scope-item endings that say a counter-evidence group by their form (制造, 加工; see
    /// `NegativeGroup::item_endings`): analysis form and group.
    item_endings: Vec<(String, usize)>,
    /// Per industry-term id: the term is only ever a generic word (制造, 智能, 零配件 …), so it
    /// does not make a scope item a catalogue item (see [`Extractor::with_generic_terms`]).
    generic_term: Vec<bool>,
    /// The group told by scope-item endings (its first), which a clause opening with a making
    /// verb also tells (see [`Extractor::opens_with_making`]).
    item_making_group: Option<usize>,
    /// The making verbs that open such a clause, in analysis form ([`MAKE_OPENERS`]).
    make_openers: Vec<String>,
    /// Per counter-evidence group: a manufacturing industry (its GB/T 4754 classes all in section
    /// C, divisions 13–43, or it is told by `item_endings`), which a firm that makes nothing
    /// itself does not belong to by its name.
    making_group: Vec<bool>,
    /// `[roles] tool_head` in analysis form: a name word right before one (温州阀门软件科技) names
    /// the software's domain, not the firm's trade.
    tool_heads: Vec<String>,
    /// `[roles] former` and `[roles] building` in analysis form: counter-evidence right after or
    /// right before one names what the firm's premises once were (原鞋厂, 鞋厂厂房); with
    /// `[roles] waste` and `leftovers`, a trade's waste that a recycler takes in (废电线,
    /// 电线电缆边角料).
    former: Vec<String>,
    building: Vec<String>,
    /// `[roles] others` in analysis form (一家, 多家 …).
    others: Vec<String>,
    /// Multi-word Latin terms that may also match with their words apart: per entry the term id
    /// and its content words (analysis form).
    split_terms: Vec<(u32, Box<[String]>)>,
    /// First content word → the `split_terms` entries it starts (the anchor of a split match).
    split_by_word: rustc_hash::FxHashMap<Box<str>, Vec<u32>>,
    /// Chinese compounds of an industry term and a verb of the firm's own business (游戏 + 开发
    /// = 游戏开发): per automaton pattern (indexed directly: a hash look-up per hit cost ~5% of a
    /// row), for the first part of a compound, the verb and the compound's term id.
    cjk_split: Vec<Option<CjkSplits>>,
    /// Whether any pattern starts a Chinese split term.
    any_cjk_split: bool,
    /// The longest verb of a Chinese split term, in bytes.
    cjk_verb_max: usize,
    /// Per industry-term id: [`MADE`] when some industry holding the term has `makers_excluded`,
    /// [`FLEET`] when some has `fleet_excluded` (the matcher applies them per industry).
    made_any: Vec<u8>,
    /// Per industry-term id: a strong or supporting term of a `teaching` industry (its school's
    /// training words do not make it a subject).
    teaching: Vec<bool>,
    /// The same when every industry holding the term has the flag (for words of the name, whose
    /// role is one for all industries).
    made: Vec<u8>,
    /// Per automaton pattern of a `shared` word: the `shared_as` term ids it stands for.
    shared_of: HashMap<usize, Vec<u32>>,
}

/// Cue words in analysis form, empty ones left out.
fn keys_of(words: &[String]) -> Vec<String> {
    let n = normalizer();
    words
        .iter()
        .map(|w| n.term_key(w).trim().to_string())
        .filter(|k| !k.is_empty())
        .collect()
}

/// What a company name's industry words say ([`Extractor::read_name`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NameReading {
    /// Counter-evidence groups the name says, sorted.
    pub groups: Vec<usize>,
    /// The name's catalogue terms that are its head, not a modifier of an industry word.
    pub heads: Vec<u32>,
}

/// The Chinese split terms one pattern starts: per compound, its verb and its term id.
type CjkSplits = Box<[(Box<str>, u32)]>;

/// Bits of [`Found::made`]: the firm makes the term's product (生产 / 制造 in its clause, or the
/// firm is a maker), or owns its vehicles.
pub(crate) const MADE: u8 = 1;
pub(crate) const FLEET: u8 = 2;
/// The firm makes the term's product, for any industry: [`MADE`] is set only for terms of an
/// industry that excludes makers; this bit says the same of every term (a maker of the core
/// technology the plan names: [`crate::matcher::lexical::Reading::maker`]).
pub(crate) const MAKES: u8 = 4;

/// How far (bytes of analysis form: eight ideographs, or a few Latin words) a software or platform
/// noun may stand after counter-evidence and still name the tool's domain.
const TOOL_HEAD_REACH: usize = 24;

/// How far (bytes of analysis form: two ideographs) an industry word may stand after a catalogue
/// term in a company name and still be the name's head (某某进口食品商行, 某某智能锁业).
const NAME_HEAD_GAP: usize = 6;

/// How many clauses apart a `shared` word and a platform cue may stand (a sentence of a company
/// profile runs to three or four clauses: 登记工厂空闲的注塑机、冲床，帮接单方找到工厂代工，平台按成交额抽佣).
const PLATFORM_REACH: usize = 3;

/// How many bytes (three per ideograph) may stand between the two parts of a Chinese split term
/// (游戏软件的设计与开发: six characters).
const CJK_SPLIT_GAP: usize = 18;

/// Bytes (four ideographs) a verb of the firm's own may stand before the first part of a Chinese
/// split term in everyday order (开发手机游戏).
const CJK_VERB_BEFORE_GAP: usize = 12;

/// Words too common to say anything in a split term (analysis form, three letters or more).
const SPLIT_STOP: &[&str] = &["and", "for", "the", "with", "from", "into", "onli", "other", "servic"];

/// Own-business verbs of developing (analysis forms): a term in their clause is what the firm
/// develops — for a `core_makers` industry (software, chips) what it makes ([`MAKES`]).
const DEVELOP: &[&str] = &["开发", "研发", "研制", "develop", "develops"];

/// How far apart (in Latin words) the words of a split term may stand.
const SPLIT_WINDOW: usize = 5;

/// What follows an English negation word without negating: "not only", no-code, not-for-profit
/// (analysis forms: stemmed words, hyphens as spaces).
const NOT_NEGATING: &[&str] = &["onli ", "code ", "for profit "];

/// The cues that deny what stands before them in their clause: 除外 (医疗美容除外) and terms.toml
/// `negation_after` (跨境电商业务已于2020年终止).
pub(crate) fn closing_negations(catalog: &Catalog) -> Vec<String> {
    std::iter::once(String::from("除外"))
        .chain(catalog.terms.negation_after.iter().cloned())
        .collect()
}

/// Where an English negation's reach ends when it runs on over a list of clauses closed by "or" /
/// "nor" ("We do not design chips, run IoT platforms, or offer big data services"): given the
/// end of the negated clause (a `|` of the analysis form, or the text's end), the end of the last
/// of up to three following clauses of which one opens with or / nor; `clause_end` when none does.
pub(crate) fn negation_reach(prepared: &str, clause_end: usize) -> usize {
    let mut reach = clause_end;
    let mut pos = clause_end;
    for _ in 0..3 {
        if pos >= prepared.len() {
            break;
        }
        let start = pos + 1;
        let end = prepared[start..].find('|').map_or(prepared.len(), |i| start + i);
        let t = prepared[start..end].trim_start_matches([' ', '/']);
        if t.starts_with("or ") || t.starts_with("nor ") {
            reach = end;
        }
        pos = end;
    }
    reach
}

/// Whether the text right after a negation cue makes it no negation ([`NOT_NEGATING`]).
pub(crate) fn not_negating(after: &str) -> bool {
    NOT_NEGATING.iter().any(|w| after.starts_with(w))
}

/// Whether a negation cue ending at `cue_end` denies the term starting at `s` in its clause: it
/// stands before the term (a Latin cue and term share the space between them), it is no
/// "not only" / no-code, and no 的 closes what it denies in between (没有中间商的跨境电商平台).
fn negates(prepared: &str, cue_end: usize, s: usize) -> bool {
    cue_end <= s + 1
        && !NOT_NEGATING.iter().any(|w| prepared[cue_end..].starts_with(w))
        && !prepared[cue_end.min(s)..s].contains('的')
}

/// Whether any bit `lo..=hi` of the bitmap is set (bits beyond its end read as clear).
fn any_bit_in(bits: &[u64], lo: usize, hi: usize) -> bool {
    if lo > hi {
        return false;
    }
    let (first, last) = (lo / 64, hi / 64);
    (first..=last).any(|wi| {
        let Some(&w) = bits.get(wi) else { return false };
        let from = if wi == first { lo % 64 } else { 0 };
        let to = if wi == last { hi % 64 } else { 63 };
        w & (u64::MAX >> (63 - to)) & (u64::MAX << from) != 0
    })
}

/// Orders hits by start, longest first at each start. Patterns are distinct strings, so no two
/// hits share (start, end) and the order is total. The automaton reports hits by end, so they come
/// nearly in this order already (only hits nested in a longer one are out of place, a few per
/// term): an insertion sort does a handful of moves where a general sort does a full pass.
fn sort_by_start(hits: &mut [(usize, usize, usize)]) {
    let key = |h: &(usize, usize, usize)| (h.0, std::cmp::Reverse(h.1));
    for i in 1..hits.len() {
        let x = hits[i];
        let mut j = i;
        while j > 0 && key(&hits[j - 1]) > key(&x) {
            hits[j] = hits[j - 1];
            j -= 1;
        }
        hits[j] = x;
    }
}

/// What the term scan needs of one automaton pattern.
#[derive(Debug, Clone, Copy, Default)]
struct ScanInfo {
    /// The cue kinds it stands for (bit `1 << Cue as u8`).
    cue: u32,
    /// Its id among the loose Chinese words plus one (0: none).
    loose: u32,
    /// An industry term or a counter-evidence term: a hit.
    hit: bool,
}

/// Per-thread buffers of [`Extractor::find`], kept between profiles.
#[derive(Default)]
struct Scratch {
    cues: Vec<(usize, usize, Cue)>,
    hits: Vec<(usize, usize, usize)>,
    bars: Vec<usize>,
    clauses: Vec<ClauseCues>,
    /// Per clause: its index among the non-empty clauses of the business scope (`u16::MAX` for
    /// the company name's clauses).
    content: Vec<u16>,
    /// Per clause `ci`: the cues ending within it are `cues[runs[ci]..runs[ci + 1]]` (when the
    /// cues come in order of their end).
    runs: Vec<u32>,
    /// Bit per loose word id: already listed for this profile.
    loose_seen: Vec<u64>,
    /// Every occurrence of a loose word: (id, start, end), in order of end.
    loose_at: Vec<(u32, usize, usize)>,
    /// Bit per byte offset of the text: an own-business cue starts there.
    own_starts: Vec<u64>,
    /// Per industry-term id: (profile stamp, its index in `Found::terms`); an entry is valid
    /// for the profile whose stamp it holds (no clearing between profiles).
    term_slot: Vec<(u32, u32)>,
    /// The stamp of the current profile.
    stamp: u32,
}

/// The cues of one clause, summed up.
#[derive(Debug, Clone, Copy)]
struct ClauseCues {
    /// End of the first negation cue (a term starting at or after it is negated).
    first_negation_end: usize,
    /// Start of the last 除外 cue (a term ending at or before it is negated).
    last_except_start: Option<usize>,
    trade: bool,
    trade_override: bool,
    /// A role cue stands in the clause: its terms' roles must be worked out.
    roles: bool,
    /// A making cue (生产, 制造 …) stands in the clause.
    make: bool,
    /// An own-business cue of developing (开发, 研发, "develops"): the firm develops what the
    /// clause names, as a maker makes it.
    develop: bool,
    /// Start of the first users cue (撮合, "lets"): counter-evidence starting after it names the
    /// firm's users (a Latin cue and term share the space between them).
    first_users_start: usize,
    /// End of that cue: an own-business verb inside it ("that designs": *design* is also an
    /// own verb) does not stop it.
    first_users_end: usize,
}

impl Default for ClauseCues {
    fn default() -> ClauseCues {
        ClauseCues {
            first_negation_end: usize::MAX,
            last_except_start: None,
            trade: false,
            trade_override: false,
            roles: false,
            make: false,
            develop: false,
            first_users_start: usize::MAX,
            first_users_end: usize::MAX,
        }
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
    /// Distinct loose Chinese words (ids given to [`Extractor::new`]) for the same layer.
    pub loose: Vec<u32>,
    /// Distinct industry-term ids found in the company name (a subset of `terms`).
    pub name_terms: Vec<u32>,
    /// Per entry of `terms`: the weight of its best occurrence (role × position; 1 for the
    /// firm's own business in one of the first clauses or in the name).
    pub weight: Vec<f32>,
    /// Per entry of `terms`: it occurs in the business scope (not only in the name).
    pub in_scope: Vec<bool>,
    /// Per entry of `terms`: the scope clauses (bit = index among non-empty clauses, capped at
    /// 63) where it stands in the firm's own business.
    pub own_clauses: Vec<u64>,
    /// Scope clauses holding counter-evidence in the firm's own business.
    pub negative_clauses: u64,
    /// Counter-evidence groups (bit = group index, below 64) found in the name or in the first
    /// two clauses of the scope: the others stand only late in the scope.
    pub negatives_early: u64,
    /// Counter-evidence groups (bit = group index, below 64) found in the company name.
    pub negatives_named: u64,
    /// Counter-evidence groups (bit = group index, below 64) found anywhere in the scope, and
    /// those found in its first two clauses: where a group stands when the name is not read.
    pub negatives_scope: u64,
    pub negatives_scope_early: u64,
    /// The scope says the firm makes nothing itself (`[roles] no_factory`).
    pub makes_nothing: bool,
    /// Non-empty clauses of the business scope.
    pub clauses: u16,
    /// Per entry of `terms`: [`MADE`] / [`FLEET`] when, wherever it is the firm's own business in
    /// the scope, the firm makes it (生产 / 制造) or owns its vehicles; an industry with
    /// `makers_excluded` / `fleet_excluded` then weighs it `[roles] made`. [`MAKES`] when its own
    /// clause says the firm makes or develops it (生产, 制造, 开发, 研发 …), for any industry (a
    /// `core_makers` industry's maker).
    pub made: Vec<u8>,
    /// Per entry of `terms`: seen as the firm's own business in the scope.
    pub own_seen: Vec<bool>,
    /// Industry-term ids the scope denies (无区块链业务, "has no blockchain operations"): their
    /// industries are not the firm's, whatever its name says.
    pub denied: Vec<u32>,
}

impl Extractor {
    /// `keys[i]` (analysis form) is industry-term id `i`; `shown[i]` its display form.
    ///
    /// `loose` are the Chinese words of the industries' texts (the description-level layer): the
    /// same pass reports which of them a profile holds ([`Found::loose`]).
    pub fn new(catalog: &Catalog, keys: Vec<String>, shown: Vec<String>, loose: &[String]) -> Result<Extractor> {
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
        // An owner with a vehicle (拥有冷藏车, "owns trucks"); the bare `fleet` words are not enough
        // ("owns a fleet of 300 shared e-bikes" is a sharing operator's).
        let fleet_terms = catalog.terms.roles.owned_vehicles();
        for (gi, g) in catalog.terms.negative.iter().enumerate() {
            let fleet: &[String] = if g.fleet { &fleet_terms } else { &[] };
            for t in g.terms.iter().chain(fleet) {
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
        for w in loose {
            if !pos.contains_key(w) {
                pos.insert(w.clone(), patterns.len());
                patterns.push(w.clone());
                term_of.push(None);
                negative_of.push(Vec::new());
            }
        }
        // Cues share the pass: a pattern may be a term, a counter-evidence term and a cue at once.
        let mut cue_of = vec![0u32; patterns.len()];
        let r = &catalog.terms.roles;
        let fleet = r.fleet_cues();
        let lists: [(Cue, &[String]); 26] = [
            (Cue::Negation, &catalog.terms.negation),
            (Cue::Trade, &catalog.terms.trade),
            (Cue::TradeOverride, &catalog.terms.trade_override),
            (Cue::CustomerOpen, &r.customer_open),
            (Cue::CustomerClose, &r.customer_close),
            (Cue::Customer, &r.customer),
            (Cue::Channel, &r.channel),
            (Cue::ChannelClose, &r.channel_close),
            (Cue::Uses, &r.uses),
            (Cue::Fair, &r.fair),
            (Cue::Sideline, &r.sideline),
            (Cue::Project, &r.project),
            (Cue::ProjectAfter, &r.project_after),
            (Cue::ProductHead, &r.product_head),
            (Cue::Training, &r.training),
            (Cue::Own, &r.own),
            (Cue::Make, &r.make),
            (Cue::Platform, &r.platform),
            (Cue::Fleet, &fleet),
            (Cue::Users, &r.users),
            (Cue::ProductFor, &r.product_for),
            (Cue::ToolHead, &r.tool_head),
            (Cue::Place, &r.place),
            (Cue::Feature, &r.feature),
            (Cue::NoFactory, &r.no_factory),
            (Cue::NegationAfter, &[]),
        ];
        // What platforms share (`shared` of an industry): cues of their own, each pointing at the
        // `shared_as` term(s) it stands for.
        let shared_words: Vec<(String, u32)> = catalog
            .industries
            .iter()
            .filter_map(|ind| {
                let t = pos.get(&n.term_key(ind.shared_as.as_deref()?)).copied()?;
                term_of.get(t).copied().flatten()?;
                Some(ind.shared.iter().map(move |w| (w.clone(), t as u32)))
            })
            .flatten()
            .collect();
        let shared_list: Vec<String> = shared_words.iter().map(|(w, _)| w.clone()).collect();
        let except = closing_negations(catalog);
        let extra = [(Cue::NegationAfter, &except[..]), (Cue::Shared, &shared_list[..])];
        for (kind, list) in lists.into_iter().chain(extra) {
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
        let mut shared_of: HashMap<usize, Vec<u32>> = HashMap::new();
        for (w, t) in &shared_words {
            if let Some(&p) = pos.get(&n.term_key(w)) {
                let ids = shared_of.entry(p).or_default();
                if !ids.contains(t) {
                    ids.push(*t);
                }
            }
        }
        let mut loose_of: Vec<Option<u32>> = vec![None; patterns.len()];
        for (li, w) in loose.iter().enumerate() {
            if let Some(&p) = pos.get(w) {
                loose_of[p] = Some(li as u32);
            }
        }
        let scan_of: Vec<ScanInfo> = (0..patterns.len())
            .map(|p| ScanInfo {
                cue: cue_of[p],
                loose: loose_of[p].map_or(0, |l| l + 1),
                hit: term_of[p].is_some() || !negative_of[p].is_empty(),
            })
            .collect();
        let n_loose = loose.len();
        // A contiguous NFA, not a full DFA: measured on 100k profiles (BENCHMARKS.md) the DFA's
        // ~50 MB transition table misses cache often enough to be ~7% slower per profile, and it
        // costs ~0.1 s more to build and ~30 MB more memory.
        let terms = aho_corasick::nfa::contiguous::NFA::builder()
            .match_kind(MatchKind::Standard)
            // Dense transitions down to the first byte of a term's second character (the default
            // stops within the first): ~1% less per profile for ~5 MB; depth 6 gave ~2% for 40 MB.
            .dense_depth(4)
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
        // Split terms: industry terms of two to four Latin content words (not counter-evidence: a
        // split match is weaker evidence and must not fire against a firm).
        let mut split_terms: Vec<(u32, Box<[String]>)> = Vec::new();
        let mut split_by_word: rustc_hash::FxHashMap<Box<str>, Vec<u32>> = rustc_hash::FxHashMap::default();
        for (i, k) in keys.iter().enumerate() {
            if !k.contains(' ') || k.chars().any(|c| !(c.is_ascii_lowercase() || c == ' ')) {
                continue;
            }
            let words: Vec<String> = k
                .split(' ')
                .filter(|w| w.len() >= 3 && !SPLIT_STOP.contains(w))
                .map(str::to_string)
                .collect();
            let mut distinct = words.clone();
            distinct.sort();
            distinct.dedup();
            if !(2..=4).contains(&words.len()) || distinct.len() != words.len() {
                continue;
            }
            let si = split_terms.len() as u32;
            split_by_word.entry(words[0].as_str().into()).or_default().push(si);
            split_terms.push((i as u32, words.into_boxed_slice()));
        }
        // Chinese split terms: a term ending in a verb of the firm's own business (开发, 运营,
        // 设计 …) whose first part is itself an industry term may match with words between the
        // two (游戏……的开发), within one item of the scope.
        let own_verbs: Vec<String> = catalog
            .terms
            .roles
            .own
            .iter()
            .map(|v| n.term_key(v))
            .filter(|v| v.chars().count() >= 2 && v.chars().all(crate::text::is_cjk))
            .collect();
        let mut cjk_split: HashMap<usize, Vec<(Box<str>, u32)>> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            if k.chars().count() < 4 || !k.chars().all(crate::text::is_cjk) {
                continue;
            }
            for v in &own_verbs {
                if let Some(m) = k.strip_suffix(v.as_str())
                    && m.chars().count() >= 2
                    && let Some(&mp) = pos.get(m)
                    && term_of[mp].is_some()
                {
                    cjk_split.entry(mp).or_default().push((v.as_str().into(), i as u32));
                }
            }
        }
        // Terms that industries with `makers_excluded` or `fleet_excluded` hold: (all, any).
        let mut excluded: HashMap<String, (u8, u8)> = HashMap::new();
        for ind in &catalog.industries {
            let bits = (u8::from(ind.makers_excluded) * MADE) | (u8::from(ind.fleet_excluded) * FLEET);
            for t in ind.strong.iter().chain(&ind.support).chain(&ind.generic) {
                let e = excluded.entry(n.term_key(t)).or_insert((MADE | FLEET, 0));
                e.0 &= bits;
                e.1 |= bits;
            }
        }
        let made = keys.iter().map(|k| excluded.get(k).map_or(0, |e| e.0)).collect();
        let made_any = keys.iter().map(|k| excluded.get(k).map_or(0, |e| e.1)).collect();
        let teaching_keys: std::collections::HashSet<String> = catalog
            .industries
            .iter()
            .filter(|i| i.teaching)
            .flat_map(|i| i.strong.iter().chain(&i.support))
            .map(|t| n.term_key(t))
            .collect();
        let teaching = keys.iter().map(|k| teaching_keys.contains(k)).collect();
        let any_cjk_split = !cjk_split.is_empty();
        let cjk_verb_max = cjk_split.values().flatten().map(|(v, _)| v.len()).max().unwrap_or(0);
        let mut cjk_split_of: Vec<Option<CjkSplits>> = vec![None; patterns.len()];
        for (p, list) in cjk_split {
            cjk_split_of[p] = Some(list.into_boxed_slice());
        }
        Ok(Extractor {
            shared_of,
            made,
            made_any,
            teaching,
            cjk_split: cjk_split_of,
            any_cjk_split,
            cjk_verb_max,
            split_terms,
            split_by_word,
            terms,
            term_of,
            negative_of,
            keys,
            shown,
            boilerplate,
            scan_of,
            n_loose,
            roles: catalog.scoring.roles.clone(),
            negation_prefix,
            name_words,
            name_word_group,
            generic_term: Vec::new(),
            item_making_group: catalog.terms.negative.iter().position(|g| !g.item_endings.is_empty()),
            make_openers: MAKE_OPENERS.iter().map(|w| n.term_key(w).trim().to_string()).collect(),
            making_group: catalog
                .terms
                .negative
                .iter()
                .map(|g| {
                    !g.item_endings.is_empty()
                        || !g.gbt.is_empty()
                            && g.gbt.iter().all(|c| {
                                c.get(..2)
                                    .and_then(|d| d.parse::<u8>().ok())
                                    .is_some_and(|d| (13..=43).contains(&d))
                            })
                })
                .collect(),
            item_endings: catalog
                .terms
                .negative
                .iter()
                .enumerate()
                .flat_map(|(gi, g)| {
                    g.item_endings
                        .iter()
                        .map(move |w| (n.term_key(w).trim().to_string(), gi))
                })
                .filter(|(k, _)| !k.is_empty())
                .collect(),
            tool_heads: catalog
                .terms
                .roles
                .tool_head
                .iter()
                .map(|w| n.term_key(w).trim().to_string())
                .filter(|k| !k.is_empty())
                .collect(),
            former: keys_of(&[&catalog.terms.roles.former[..], &catalog.terms.roles.waste[..]].concat()),
            building: keys_of(&[&catalog.terms.roles.building[..], &catalog.terms.roles.leftovers[..]].concat()),
            others: keys_of(&catalog.terms.roles.others),
        })
    }

    /// Marks the industry-term ids that are generic words in every industry holding them (or in
    /// none: the global `generic` list), indexed like the keys. Such a word in a scope item does
    /// not stop the item's form (…制造) from saying an ordinary manufacturer.
    pub fn with_generic_terms(mut self, generic: Vec<bool>) -> Extractor {
        self.generic_term = generic;
        self
    }

    /// Whether counter-evidence group `g` is a manufacturing industry (see `making_group`).
    pub fn is_making_group(&self, g: usize) -> bool {
        self.making_group.get(g).copied().unwrap_or(false)
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
            // A phrase bounded by spaces (English: " found in ") leaves its spaces: the word
            // before and after it stays a whole word ("architecture firm founded in 1990").
            Some(b) => b.replace_all_with(analyzed, out, |_, text, dst| {
                if text.starts_with(' ') {
                    dst.push(' ');
                }
                dst.push('|');
                if text.ends_with(' ') {
                    dst.push(' ');
                }
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
        self.read_name(analyzed, &[]).groups
    }

    /// One pass of the name's industry words over a name in analysis form:
    /// - `groups`: the counter-evidence groups they say (温州某某置业有限公司 → real estate), except
    ///   a word a few characters before a software or platform noun (温州阀门软件科技: the
    ///   software's domain, the reach of the scope's rule);
    /// - `heads`: those of `name_terms` (catalogue terms of the name, [`Found::name_terms`]) that
    ///   no industry word follows within [`NAME_HEAD_GAP`]. In a Chinese company name the industry
    ///   word that ends it is its head (某某进口食品商行 is a shop, 某某物联网水表有限公司 a meter
    ///   maker, 某某文旅置业 a developer); the plan word before it only says what it sells or makes.
    pub fn read_name(&self, analyzed: &str, name_terms: &[u32]) -> NameReading {
        let Some(ac) = &self.name_words else {
            return NameReading {
                groups: Vec::new(),
                heads: name_terms.to_vec(),
            };
        };
        let mut groups = Vec::new();
        let mut starts = Vec::new();
        for m in ac.find_iter(analyzed) {
            starts.push(m.start());
            let after = analyzed.get(m.end()..).unwrap_or("");
            let mut reach = after.len().min(TOOL_HEAD_REACH);
            while !after.is_char_boundary(reach) {
                reach -= 1;
            }
            if !self.tool_heads.iter().any(|h| after[..reach].contains(h.as_str())) {
                groups.push(self.name_word_group[m.pattern().as_usize()]);
            }
        }
        groups.sort_unstable();
        groups.dedup();
        let heads = name_terms
            .iter()
            .copied()
            .filter(|&t| {
                starts.is_empty()
                    || !analyzed.match_indices(self.key(t)).any(|(i, k)| {
                        let end = i + k.len();
                        starts.iter().any(|&ws| ws >= end && ws <= end + NAME_HEAD_GAP)
                    })
            })
            .collect();
        NameReading { groups, heads }
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

    /// Whether a hit at `s..e` is negated and whether it stands in a trading-only clause, from the
    /// cues lying within the clause(s) the hit spans: the general rule, for the rare hit or cue
    /// that spans a separator.
    fn cues_around(
        &self,
        prepared: &str,
        bars: &[usize],
        cues: &[(usize, usize, Cue)],
        s: usize,
        e: usize,
    ) -> (bool, bool) {
        let before = bars.partition_point(|&i| i < s);
        let clause_start = if before == 0 { 0 } else { bars[before - 1] + 1 };
        let clause_end = bars[bars.partition_point(|&i| i < e)..]
            .first()
            .copied()
            .unwrap_or(prepared.len());
        let in_clause = |c: &&(usize, usize, Cue)| c.0 >= clause_start && c.1 <= clause_end;
        let negated = cues.iter().filter(in_clause).any(|c| match c.2 {
            Cue::Negation => negates(prepared, c.1, s),
            Cue::NegationAfter => c.0 + 1 >= e,
            _ => false,
        });
        let trade = cues.iter().filter(in_clause).any(|c| c.2 == Cue::Trade)
            && !cues.iter().filter(in_clause).any(|c| c.2 == Cue::TradeOverride);
        (negated, trade)
    }

    /// The search itself over a prepared text; hits starting before `name_end` are the name's.
    fn find(&self, prepared: &str, name_end: usize) -> Found {
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
        }
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.find_with(prepared, name_end, &mut scratch),
            Err(_) => self.find_with(prepared, name_end, &mut Scratch::default()),
        })
    }

    fn find_with(&self, prepared: &str, name_end: usize, scratch: &mut Scratch) -> Found {
        let Scratch {
            cues,
            hits,
            bars,
            clauses,
            content,
            runs,
            loose_seen,
            loose_at,
            own_starts,
            term_slot,
            stamp,
        } = scratch;
        loose_at.clear();
        cues.clear();
        hits.clear();
        bars.clear();
        clauses.clear();
        content.clear();
        runs.clear();
        // Cleared here, not after the profile: a profile that panicked (and was rejected) leaves
        // nothing behind.
        loose_seen.clear();
        loose_seen.resize(self.n_loose.div_ceil(64), 0);
        own_starts.clear();
        own_starts.resize(prepared.len() / 64 + 1, 0);
        *stamp = stamp.wrapping_add(1);
        if *stamp == 0 || term_slot.len() != self.keys.len() {
            // First use, or the stamps went round: start afresh.
            term_slot.clear();
            term_slot.resize(self.keys.len(), (0, 0));
            *stamp = 1;
        }
        let mut words: Vec<String> = Vec::new();
        let mut loose: Vec<u32> = Vec::new();
        let mut shared_hits: Vec<(usize, usize)> = Vec::new();
        // Most Chinese profiles hold no Latin word at all: skip the split then. Latin words in
        // analysis form always stand between spaces, and nothing else makes a space.
        // Split on bytes: every byte of a non-ASCII character is a separator as the character is,
        // so the words are the same as splitting on characters; a set keeps them distinct (a
        // linear look-up per word was quadratic in an English profile's length).
        if memchr::memchr(b' ', prepared.as_bytes()).is_some() {
            let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
            let bytes = prepared.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if !bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                    continue;
                }
                let st = i;
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                // ASCII bytes on both sides: character boundaries.
                let w = prepared.get(st..i).unwrap_or("");
                if w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase()) && seen.insert(w) {
                    words.push(w.to_string());
                }
            }
        }
        // The automaton reports matches in order of their end: then the cues that can lie in a
        // clause are one run of `cues` (checked here, relied on below).
        let mut cues_by_end = true;
        let own_bit = Cue::Own.bit();
        // The overlapping search, stepped here: every match ending at each offset, in the order
        // of the state's match list (as `find_overlapping_iter` reports them).
        let nfa = &self.terms;
        let bytes = prepared.as_bytes();
        let Ok(mut sid) = nfa.start_state(Anchored::No) else {
            return Found::default();
        };
        let mut at = 0usize;
        loop {
            // Matches end at `at`: those of the state reached (the start state holds the empty
            // pattern's, if any).
            if nfa.is_special(sid) && nfa.is_match(sid) {
                for i in 0..nfa.match_len(sid) {
                    let pid = nfa.match_pattern(sid, i);
                    let (e, p) = (at, pid.as_usize());
                    let s = e.saturating_sub(nfa.pattern_len(pid));
                    let Some(&info) = self.scan_of.get(p) else { continue };
                    if info.cue != 0 {
                        cues_by_end &= cues.last().is_none_or(|c| c.1 <= e);
                        if info.cue & own_bit != 0
                            && let Some(w) = own_starts.get_mut(s / 64)
                        {
                            *w |= 1 << (s % 64);
                        }
                        if info.cue & Cue::Shared.bit() != 0 {
                            shared_hits.push((s, p));
                        }
                    }
                    // One entry per kind, in the order of `Cue::ALL` (bit order): set bits only.
                    let mut bits = info.cue;
                    while bits != 0 {
                        if let Some(&k) = Cue::ALL.get(bits.trailing_zeros() as usize) {
                            cues.push((s, e, k));
                        }
                        bits &= bits - 1;
                    }
                    if info.hit {
                        hits.push((s, e, p));
                    }
                    if info.loose != 0 {
                        loose_at.push((info.loose - 1, s, e));
                    }
                }
            }
            let Some(&b) = bytes.get(at) else { break };
            sid = nfa.next_state(Anchored::No, sid, b);
            at += 1;
            if nfa.is_dead(sid) {
                break;
            }
        }
        // Loose words, each listed once in order of first occurrence, none that a negation cue of
        // its clause denies (不从事集成电路设计、物联网平台运营…): the description-level layer
        // reads what the firm does, as the terms do.
        // The negation cues, picked once (a long scope has hundreds of cues and of loose words).
        let negations: Vec<(usize, usize, Cue)> = if loose_at.is_empty() {
            Vec::new()
        } else {
            cues.iter()
                .filter(|c| matches!(c.2, Cue::Negation | Cue::NegationAfter))
                .copied()
                .collect()
        };
        for &(l, s, e) in loose_at.iter() {
            if !negations.is_empty() && self.denied_at(prepared, &negations, s, e) {
                continue;
            }
            if let Some(w) = loose_seen.get_mut(l as usize / 64)
                && *w & (1 << (l % 64)) == 0
            {
                *w |= 1 << (l % 64);
                loose.push(l);
            }
        }
        // Longest first at each start, then drop matches nested inside an earlier, longer one.
        sort_by_start(hits);
        // Multi-word terms whose words stand apart (English only: Latin words are space-bounded).
        let mut splits = if words.is_empty() || self.split_terms.is_empty() {
            Vec::new()
        } else {
            self.split_hits(prepared, name_end)
        };
        if self.any_cjk_split && !cues.is_empty() {
            self.cjk_split_hits(prepared, hits, cues, cues_by_end, own_starts, &mut splits);
        }
        // Clause separators, found once: each kept hit looks its clause up by binary search.
        if !hits.is_empty() || !splits.is_empty() || !shared_hits.is_empty() {
            bars.extend(memchr::memchr_iter(b'|', prepared.as_bytes()));
        }
        // What the cues of each clause say, summed up once (a hit then reads its clause's summary
        // instead of scanning every cue). A cue or hit spanning a separator is left to the general
        // check below.
        if (!hits.is_empty() || !splits.is_empty()) && !cues.is_empty() {
            clauses.resize(bars.len() + 1, ClauseCues::default());
            // Separators before the current cue's end: with the cues in order of their end, a
            // pointer moving forward instead of a binary search per cue.
            let mut below_end = 0usize;
            for (k, &(s, e, kind)) in cues.iter().enumerate() {
                let ci = if cues_by_end {
                    while bars.get(below_end).is_some_and(|&b| b < e) {
                        below_end += 1;
                    }
                    // The cue ends in clause `below_end`: the runs of the clauses up to it
                    // start here at the latest.
                    while runs.len() <= below_end {
                        runs.push(k as u32);
                    }
                    // The last separator before the end lies within the cue: it spans it.
                    if below_end > 0 && bars[below_end - 1] >= s {
                        continue;
                    }
                    below_end
                } else {
                    let ci = bars.partition_point(|&i| i < s);
                    if bars.get(ci).is_some_and(|&b| b < e) {
                        // Never wholly inside one clause: only a spanning hit can see it.
                        continue;
                    }
                    ci
                };
                let c = &mut clauses[ci];
                match kind {
                    // "not only … but also", no-code, not-for-profit: no negation.
                    Cue::Negation if NOT_NEGATING.iter().any(|w| prepared[e..].starts_with(w)) => {}
                    Cue::Negation => c.first_negation_end = c.first_negation_end.min(e),
                    Cue::NegationAfter => c.last_except_start = c.last_except_start.max(Some(s)),
                    Cue::Trade => c.trade = true,
                    Cue::TradeOverride => c.trade_override = true,
                    Cue::Make => c.make = true,
                    Cue::Own if DEVELOP.contains(&prepared[s..e].trim()) => c.develop = true,
                    Cue::Users if s < c.first_users_start => {
                        c.first_users_start = s;
                        c.first_users_end = e;
                    }
                    k if k.bit() & Cue::ROLE_BITS != 0 => c.roles = true,
                    _ => {}
                }
            }
            // A negation running on over an "…, or …" list of clauses denies each of them.
            for ci in 0..clauses.len() {
                if clauses[ci].first_negation_end == usize::MAX {
                    continue;
                }
                let reach = negation_reach(prepared, bars.get(ci).copied().unwrap_or(prepared.len()));
                let mut k = ci;
                while k + 1 < clauses.len() && bars.get(k).is_some_and(|&b| b < reach) {
                    k += 1;
                    let start = bars[k - 1] + 1;
                    clauses[k].first_negation_end = clauses[k].first_negation_end.min(start);
                }
            }
            if cues_by_end {
                while runs.len() <= bars.len() + 1 {
                    runs.push(cues.len() as u32);
                }
            }
        }
        // Each clause's index among the non-empty clauses of the scope (the name's are MAX).
        let mut n_content = 0u16;
        if !hits.is_empty() || !splits.is_empty() || !shared_hits.is_empty() {
            let mut start = 0usize;
            for ci in 0..=bars.len() {
                let end = bars.get(ci).copied().unwrap_or(prepared.len());
                if start < name_end {
                    content.push(u16::MAX);
                } else {
                    content.push(n_content);
                    let seg = &prepared.as_bytes()[start..end];
                    if seg.iter().filter(|&&b| b != b' ' && b != b'/').nth(2).is_some() {
                        n_content = n_content.saturating_add(1);
                    }
                }
                start = end + 1;
            }
        }
        // The firm is a maker (某某电器制造有限公司, 民用电工产品制造商，…): its name or the first
        // clause of its scope says so. Then every term of a `makers_excluded` industry in its
        // scope names a product it makes, wherever it stands (…并推出智能插座、智能门锁等产品).
        let firm_makes = cues.iter().any(|c| {
            c.2 == Cue::Make
                && (c.1 <= name_end || content.get(bars.partition_point(|&i| i < c.0)).is_some_and(|&k| k == 0))
        });
        // The firm is a school (青少年编程兴趣培训 as its first item): what its scope names
        // elsewhere (Python图形化编程 in brackets, 机器人搭建课程) is what it teaches, as in a
        // clause of its own with a training word. Not from the name alone: "… Code Academy"
        // teaching live online classes is digital education (item 6).
        let firm_teaches = cues.iter().any(|c| {
            c.2 == Cue::Training
                && c.0 >= name_end
                && content.get(bars.partition_point(|&i| i < c.0)).is_some_and(|&k| k == 0)
        });
        // The firm makes nothing itself (自身不设工厂): its name's manufacturing words are what it
        // sells or designs.
        let makes_nothing = cues.iter().any(|c| c.2 == Cue::NoFactory && c.0 >= name_end);
        let firm_fleet = cues.iter().any(|c| {
            c.2 == Cue::Fleet
                && !prepared[..c.0]
                    .chars()
                    .next_back()
                    .is_some_and(|ch| matches!(ch, '不' | '无' | '非' | '未' | '没'))
        });
        let mut found = Found {
            words,
            loose,
            terms: Vec::with_capacity(16),
            trade_only: Vec::with_capacity(16),
            weight: Vec::with_capacity(16),
            in_scope: Vec::with_capacity(16),
            own_clauses: Vec::with_capacity(16),
            clauses: n_content,
            makes_nothing,
            ..Found::default()
        };
        let scope_makes = cues.iter().any(|c| c.2 == Cue::Make && c.0 >= name_end);
        // Scope clauses (by content index) holding a term or counter-evidence term that counts.
        let mut termed = 0u64;
        let mut max_end = 0usize;
        let mut max_span = (0usize, 0usize);
        let split_factor = self.roles.split;
        // The cues that can lie in clause `ci`: those ending in it when the cues come in order of
        // their end, else all of them (the callers check the clause bounds themselves).
        let clause_cues = |ci: usize| match (runs.get(ci), runs.get(ci + 1)) {
            (Some(&lo), Some(&hi)) if cues_by_end => cues.get(lo as usize..hi as usize).unwrap_or(&[]),
            _ => &cues[..],
        };
        // Separators before the current hit's start: the hits come in order of their start (the
        // split ones after them do not), so a pointer moving forward serves them.
        let mut below_start = 0usize;
        let all = hits
            .iter()
            .map(|&h| (h, false))
            .chain(splits.iter().map(|&h| (h, true)));
        for ((s, e, p), split) in all {
            if split && self.term_of[p].is_some_and(|t| term_slot.get(t as usize).is_some_and(|&(st, _)| st == *stamp))
            {
                // Found whole already (whole beats apart).
                continue;
            }
            // A term whose words stand on both sides of a role cue that needs no closing word ("a
            // cleaning company that serves … insurers" is no insurance company) is not one term;
            // "a marketplace for custom manufacturing" still is one.
            if split
                && self.term_of[p].is_some()
                && cues.iter().any(|c| {
                    c.0 > s
                        && c.1 < e
                        && matches!(
                            c.2,
                            Cue::Customer | Cue::Uses | Cue::Fair | Cue::Sideline | Cue::Project | Cue::Feature
                        )
                })
            {
                continue;
            }
            let nested = !split && e <= max_end && (s, e) != max_span;
            // A term overlapping the end of an earlier, kept one reads as its continuation, not
            // as a word of its own: 跨境电子商务平台 is a cross-border e-commerce platform, so the
            // general 电子商务平台 inside it weighs half (the more specific term wins).
            let overlapping = !split && !nested && s < max_end;
            if !split && e > max_end {
                max_end = e;
                max_span = (s, e);
            }
            if nested {
                continue;
            }
            let before = if split {
                bars.partition_point(|&i| i < s)
            } else {
                while bars.get(below_start).is_some_and(|&b| b < s) {
                    below_start += 1;
                }
                below_start
            };
            let spans = bars.get(before).is_some_and(|&b| b < e);
            let (negated, trade) = if spans {
                self.cues_around(prepared, bars, cues, s, e)
            } else {
                match clauses.get(before) {
                    Some(c) => (
                        (c.first_negation_end != usize::MAX && negates(prepared, c.first_negation_end, s))
                            || c.last_except_start.is_some_and(|x| x + 1 >= e),
                        c.trade && !c.trade_override,
                    ),
                    None => (false, false),
                }
            };
            let negated = negated
                || prepared[..s]
                    .chars()
                    .next_back()
                    .is_some_and(|ch| self.negation_prefix.contains(&ch));
            if negated {
                if s >= name_end
                    && let Some(t) = self.term_of[p]
                    && !found.denied.contains(&t)
                {
                    found.denied.push(t);
                }
                continue;
            }
            let in_name = s < name_end;
            let role = match clauses.get(before) {
                Some(c) if c.roles && !spans => {
                    let cs = if before == 0 { 0 } else { bars[before - 1] + 1 };
                    let ce = bars.get(before).copied().unwrap_or(prepared.len());
                    // A cue inside the clause ends within it; the others are left out by
                    // `role_of` itself, so passing only those ending there changes nothing.
                    role_of(prepared, clause_cues(before), cs, ce, s, e, firm_makes)
                }
                _ => Role::Own,
            };
            let role = if firm_teaches && role == Role::Own {
                Role::Training
            } else {
                role
            };
            // How a school teaches (在线教育, 直播课) is its own business, not its subject.
            let role = match self.term_of[p] {
                Some(t) if role == Role::Training && self.teaching.get(t as usize).copied().unwrap_or(false) => {
                    Role::Own
                }
                _ => role,
            };
            // A product the firm makes, where the industry's makers are not its target: the
            // clause says 生产 / 制造, or (for the name, 某某智能锁业有限公司) the scope does.
            // A carrier's service, where the firm owns its vehicles (自有冷藏车三十余辆). These are
            // marks of the industries that exclude makers or carriers (`made_any`: some industry
            // holding the term has the flag); the matcher applies them per industry (供应链管理 is
            // a carrier's service, and also a word of supply-chain finance).
            // In the name, a mark every industry of the term shares (`made`) turns the role itself
            // (某某智能门锁有限公司 whose scope says 生产); any other stays a per-industry mark
            // (某某供应链管理有限公司 with 自有半挂车二十辆 is a carrier, not a supply-chain firm).
            let (role, made) = match self.term_of[p] {
                Some(t) if role == Role::Own && !spans => {
                    let clause_makes = clauses.get(before).is_some_and(|c| c.make);
                    // Developing counts as making only for a firm whose scope makes nothing
                    // (ERP软件开发与销售): a lock maker's 物联网平台开发 is a feature of its product.
                    let clause_develops = !scope_makes && clauses.get(before).is_some_and(|c| c.develop);
                    let makes = if in_name {
                        scope_makes
                    } else {
                        firm_makes || clause_makes
                    };
                    let bits = self.made_any[t as usize];
                    // MAKES only where the term's own clause says making: a lock maker's
                    // 物联网平台开发 is software it develops, not a device it makes.
                    let made = (if bits & MADE != 0 && makes { MADE } else { 0 })
                        | (if bits & FLEET != 0 && firm_fleet { FLEET } else { 0 })
                        | if (clause_makes || clause_develops) && !in_name {
                            MAKES
                        } else {
                            0
                        };
                    if in_name && made & self.made[t as usize] != 0 {
                        (Role::Made, 0)
                    } else {
                        (role, made)
                    }
                }
                _ => (role, 0),
            };
            let k = content.get(before).copied().unwrap_or(0);
            if !in_name && !self.term_of[p].is_some_and(|t| self.generic_term.get(t as usize).copied().unwrap_or(false))
            {
                termed |= 1u64 << k.min(63);
            }
            let weight = if in_name {
                // A name says little about position; its words still have roles
                // (某某电商直播职业技能培训学校 teaches live-streaming).
                self.role_weight(role)
            } else {
                self.role_weight(role) * self.position_weight(k)
            } * if overlapping { 0.5 } else { 1.0 }
                * if split { split_factor } else { 1.0 };
            if let Some(t) = self.term_of[p] {
                // A name word in another role (某某电商直播职业技能培训学校) does not say the
                // firm's business.
                if in_name && role == Role::Own && !found.name_terms.contains(&t) {
                    found.name_terms.push(t);
                }
                let own_bit = if role == Role::Own && !in_name {
                    1u64 << k.min(63)
                } else {
                    0
                };
                // `made` holds for the term when it held wherever the term is the firm's own; a
                // trading clause (…销售) says nothing of it: a maker sells what it makes
                // (智能家庭消费设备制造；智能家庭消费设备销售).
                let own_scope = role == Role::Own && !in_name && !trade;
                let known = match term_slot.get(t as usize) {
                    Some(&(st, i)) if st == *stamp => Some(i as usize),
                    _ => None,
                };
                match known {
                    Some(i) => {
                        found.trade_only[i] &= trade;
                        found.weight[i] = found.weight[i].max(weight);
                        found.in_scope[i] |= !in_name;
                        found.own_clauses[i] |= own_bit;
                        if own_scope {
                            found.made[i] = if found.own_seen[i] { found.made[i] & made } else { made };
                            found.own_seen[i] = true;
                        }
                    }
                    None => {
                        if let Some(slot) = term_slot.get_mut(t as usize) {
                            *slot = (*stamp, found.terms.len() as u32);
                        }
                        found.terms.push(t);
                        found.trade_only.push(trade);
                        found.weight.push(weight);
                        found.in_scope.push(!in_name);
                        found.own_clauses.push(own_bit);
                        found.made.push(made);
                        found.own_seen.push(own_scope);
                    }
                }
            }
            // Counter-evidence after a users cue names the platform's users or the software's
            // clients (汇聚近300家泵阀企业…; "lets garment factories track …").
            // Not across a verb of the firm's own business (帮助客户定制并生产皮鞋 makes shoes).
            let users = !spans
                && clauses.get(before).is_some_and(|c| {
                    c.first_users_start < s
                        && !any_bit_in(
                            own_starts,
                            c.first_users_end.saturating_sub(1).max(c.first_users_start + 1),
                            s,
                        )
                });
            // Counter-evidence next to a software or platform noun, with no verb of the firm's own
            // between, is not the firm's trade: a few characters before one it is the tool's domain
            // (阀门流体仿真与选型软件, 泵阀产能共享平台, "valve sizing software"); after one in the
            // same clause it is what the tool does ("a subscription tool that plans delivery
            // routes, truck loading …").
            let tool_domain = !spans
                && !self.negative_of[p].is_empty()
                && clause_cues(before).iter().any(|c| {
                    c.2 == Cue::ToolHead
                        && ((c.0 >= e
                            && c.0 <= e + TOOL_HEAD_REACH
                            && !prepared[e..c.0].contains('|')
                            && !any_bit_in(own_starts, e, c.0))
                            || (c.1 <= s && !any_bit_in(own_starts, c.1, s)))
                });
            // Counter-evidence naming what the premises once were (原鞋厂, 鞋厂厂房) or another
            // firm the text tells of (乐清一家低压电器厂).
            let not_the_firms = !self.negative_of[p].is_empty()
                && (self.names_premises(prepared, s, e) || self.names_others(prepared, s));
            if !self.negative_of[p].is_empty() && role.counts_against() && !users && !tool_domain && !not_the_firms {
                if !in_name {
                    found.negative_clauses |= 1u64 << k.min(63);
                }
                for &g in &self.negative_of[p] {
                    if in_name && makes_nothing && self.is_making_group(g) {
                        continue;
                    }
                    if (in_name || k < 2) && g < 64 {
                        found.negatives_early |= 1u64 << g;
                    }
                    if g < 64 {
                        if in_name {
                            found.negatives_named |= 1u64 << g;
                        } else {
                            found.negatives_scope |= 1u64 << g;
                            if k < 2 {
                                found.negatives_scope_early |= 1u64 << g;
                            }
                        }
                    }
                    if !found.negatives.contains(&g) {
                        found.negatives.push(g);
                    }
                }
            }
        }
        if !self.item_endings.is_empty() && !content.is_empty() {
            self.item_ending_negatives(prepared, bars, content, cues, termed, &mut found);
        }
        if !shared_hits.is_empty() {
            self.platform_hits(&shared_hits, cues, hits, bars, content, firm_makes, &mut found);
        }
        found
    }

    /// Whether a negation cue denies what stands at `s..e`: one before it in its clause (as
    /// [`negates`] reads it), one whose reach runs on to its clause ([`negation_reach`]), or a
    /// closing cue after it in its clause (危险废物除外).
    /// Found from the cues directly: for the loose words, read whether or not the profile has any
    /// term.
    fn denied_at(&self, prepared: &str, cues: &[(usize, usize, Cue)], s: usize, e: usize) -> bool {
        let len = prepared.len();
        let clause_end =
            |from: usize| memchr::memchr(b'|', &prepared.as_bytes()[from.min(len)..]).map_or(len, |i| from + i);
        // Closed by a cue after it in its clause (危险废物除外).
        let closed = cues
            .iter()
            .any(|c| c.2 == Cue::NegationAfter && c.0 + 1 >= e && c.0 <= clause_end(e));
        closed
            || cues
                .iter()
                .filter(|c| c.2 == Cue::Negation && c.1 <= s + 1 && !not_negating(&prepared[c.1..]))
                .any(|c| {
                    let end = clause_end(c.1);
                    if s < end {
                        negates(prepared, c.1, s)
                    } else {
                        s < negation_reach(prepared, end)
                    }
                })
    }

    /// Whether the hit at `s..e` stands right after a `former` cue or right before a `building`
    /// word (a space apart at most, for Latin words).
    fn names_premises(&self, prepared: &str, s: usize, e: usize) -> bool {
        let before = prepared[..s].trim_end_matches(' ');
        let after = prepared[e..].trim_start_matches(' ');
        self.former.iter().any(|w| {
            before.ends_with(w.as_str())
                && (!w.as_bytes()[0].is_ascii_alphanumeric() || {
                    let b = &before[..before.len() - w.len()];
                    b.is_empty() || !b.as_bytes()[b.len() - 1].is_ascii_alphanumeric()
                })
        }) || self.building.iter().any(|w| {
            after.starts_with(w.as_str())
                && (!w.as_bytes()[w.len() - 1].is_ascii_alphanumeric()
                    || !after.as_bytes().get(w.len()).is_some_and(|c| c.is_ascii_alphanumeric()))
        })
    }

    /// Whether the hit starting at `s` stands right after an `others` cue (一家, 多家) that no 是
    /// comes right before: another firm's trade (乐清一家低压电器厂的装配车间), not the firm's.
    fn names_others(&self, prepared: &str, s: usize) -> bool {
        let before = &prepared[..s];
        self.others
            .iter()
            .any(|w| before.ends_with(w.as_str()) && !before[..before.len() - w.len()].ends_with('是'))
    }

    /// Counter-evidence by the form of a scope item: an item ending in 制造 / 加工 (摩托车零配件
    /// 制造) with no catalogue or counter-evidence term of its own (`termed`, per content clause)
    /// is an ordinary manufacturing item, whatever it makes. Negated items never get here: their
    /// terms are gone, and 不含…制造 ends in a bracket.
    fn item_ending_negatives(
        &self,
        prepared: &str,
        bars: &[usize],
        content: &[u16],
        cues: &[(usize, usize, Cue)],
        termed: u64,
        found: &mut Found,
    ) {
        // Group `g` found in content clause `k` (< 64).
        let mut mark = |k: u16, g: usize| {
            found.negative_clauses |= 1u64 << k;
            if k < 2 && g < 64 {
                found.negatives_early |= 1u64 << g;
                found.negatives_scope_early |= 1u64 << g;
            }
            if g < 64 {
                found.negatives_scope |= 1u64 << g;
            }
            if !found.negatives.contains(&g) {
                found.negatives.push(g);
            }
        };
        let mut start = 0usize;
        for ci in 0..=bars.len() {
            let end = bars.get(ci).copied().unwrap_or(prepared.len());
            let k = content.get(ci).copied().unwrap_or(u16::MAX);
            let seg_start = start;
            let seg = prepared.get(start..end).unwrap_or("").trim_end_matches([' ', '/']);
            start = end + 1;
            if k == u16::MAX || k >= 64 || termed & (1u64 << k) != 0 {
                continue;
            }
            // The same item in everyday order: a making verb opening the clause (生产锁具,
            // 专业生产折叠伞, "Manufactures umbrellas") with nothing of the catalogue after it.
            if let Some(g) = self.item_making_group
                && self.opens_with_making(prepared, cues, seg_start, end)
            {
                mark(k, g);
                continue;
            }
            let Some(&(ref w, g)) = self.item_endings.iter().find(|(w, _)| seg.ends_with(w.as_str())) else {
                continue;
            };
            // Something made, not the ending alone (a bare 制造 or 加工 item). Not a Taiwan
            // 營業項目 code item (CC01080 電子零組件製造業): those codes are broad classes that
            // chip-design houses register as readily as parts makers.
            if seg.trim().chars().count() < w.chars().count() + 2
                || seg.as_bytes().windows(5).any(|x| x.iter().all(u8::is_ascii_digit))
            {
                continue;
            }
            mark(k, g);
        }
    }

    /// Whether the clause `cs..ce` opens with a making verb of [`MAKE_OPENERS`]: at most four
    /// ideographs (专业, 主要, 本厂) or three Latin words (the name or "we") before it, and no word
    /// of developing or designing (研发生产 is a developer's).
    fn opens_with_making(&self, prepared: &str, cues: &[(usize, usize, Cue)], cs: usize, ce: usize) -> bool {
        cues.iter().any(|c| {
            c.2 == Cue::Make
                && c.0 >= cs
                && c.1 <= ce
                && prepared.get(c.0..c.1).is_some_and(|w| self.make_openers.iter().any(|m| m == w.trim()))
                // A plain product after it (锁具, 折叠伞), not a long description of a device.
                && prepared.get(c.1..ce).is_some_and(|obj| obj.chars().filter(|ch| crate::text::is_cjk(*ch)).count() <= 8)
                && prepared.get(cs..c.0).is_some_and(|before| {
                    let before = before.trim();
                    // 研发生产 / 设计制造 / "develops and makes": a developer of what it makes, as
                    // likely the plan's.
                    !["研发", "研制", "开发", "设计", "自主", "develop", "design"].iter().any(|w| before.contains(w))
                        && (before.chars().all(crate::text::is_cjk) && before.chars().count() <= 4
                            || before.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == ' ')
                                && before.split_whitespace().count() <= 3)
                })
        })
    }

    /// A platform described by its model: a `shared` word (consultants, 实验室, spare capacity)
    /// in the scope with a matching cue (撮合, 对接, "connects", "marketplace") in its clause or
    /// the clause before or after it adds the industry's `shared_as` term at `[roles] split` of
    /// its weight ("an online marketplace that matches companies with independent consultants"
    /// → talent sharing; 登记工厂空闲的注塑机…帮接单方找到工厂代工，平台按成交额抽佣 → shared
    /// manufacturing).
    #[allow(clippy::too_many_arguments)]
    fn platform_hits(
        &self,
        shared_hits: &[(usize, usize)],
        cues: &[(usize, usize, Cue)],
        hits: &[(usize, usize, usize)],
        bars: &[usize],
        content: &[u16],
        firm_makes: bool,
        found: &mut Found,
    ) {
        // A firm that says it makes things (its name or first clause) makes what it shares: for
        // an industry whose makers are not its target (power banks and their kiosks), a product.
        let made = if firm_makes { MADE } else { 0 };
        let clause_of = |at: usize| bars.partition_point(|&i| i < at);
        let scope_clause = |ci: usize| content.get(ci).is_some_and(|&k| k != u16::MAX);
        // A cue inside a longer term is that term's word, not the model (共享 of 为共享单车企业
        // 配套生产车架: a parts maker naming its customers).
        let inside_term = |c: &(usize, usize, Cue)| {
            hits.iter()
                .any(|&(hs, he, _)| hs <= c.0 && c.1 <= he && he - hs > c.1 - c.0)
        };
        let platforms: Vec<usize> = cues
            .iter()
            .filter(|c| c.2 == Cue::Platform && !inside_term(c))
            .map(|c| clause_of(c.0))
            .filter(|&ci| scope_clause(ci))
            .collect();
        if platforms.is_empty() {
            return;
        }
        for &(s, p) in shared_hits {
            let ci = clause_of(s);
            if !scope_clause(ci) || !platforms.iter().any(|&pc| pc.abs_diff(ci) <= PLATFORM_REACH) {
                continue;
            }
            let k = content[ci];
            let weight = self.position_weight(k);
            let shared_as = self.shared_of.get(&p).map(Vec::as_slice).unwrap_or(&[]);
            // The word shared is what the platform's users bring (实验室 of a lab-sharing
            // platform, 直播间 of a live-selling agency paid on sales): in its own industries it
            // names the clients' domain, not the firm's business (issue 13, kind 6).
            if let Some(t0) = self.term_of[p]
                && !shared_as.contains(&t0)
                && let Some(i) = found.terms.iter().position(|&x| x == t0)
            {
                found.weight[i] = found.weight[i].min(self.roles.customer);
                found.own_clauses[i] = 0;
            }
            for &t in shared_as {
                match found.terms.iter().position(|&x| x == t) {
                    Some(i) => {
                        found.weight[i] = found.weight[i].max(weight);
                        found.in_scope[i] = true;
                        found.own_clauses[i] |= 1u64 << k.min(63);
                        found.made[i] = if found.own_seen[i] { found.made[i] & made } else { made };
                        found.own_seen[i] = true;
                    }
                    None => {
                        found.terms.push(t);
                        found.trade_only.push(false);
                        found.weight.push(weight);
                        found.in_scope.push(true);
                        found.own_clauses.push(1u64 << k.min(63));
                        found.made.push(made);
                        found.own_seen.push(true);
                    }
                }
            }
        }
    }

    /// Split matches of multi-word Latin terms: every content word of the term within
    /// [`SPLIT_WINDOW`] words of the others, in any order, across at most one separator
    /// ("a marketplace for custom manufacturing", "a shared, automated laboratory"). Returns
    /// `(start, end, pattern)` hits; a span that reads the term whole is left to the automaton.
    fn split_hits(&self, prepared: &str, name_end: usize) -> Vec<(usize, usize, usize)> {
        // Latin words with their spans and the number of separators before them.
        let mut toks: Vec<(usize, usize, u32)> = Vec::new();
        let bytes = prepared.as_bytes();
        let mut seps = 0u32;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                let st = i;
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                toks.push((st, i, seps));
                continue;
            }
            if b == b'|' {
                seps += 1;
            }
            i += 1;
        }
        let mut out: Vec<(usize, usize, usize)> = Vec::new();
        for (ti, &(ts, te, tsep)) in toks.iter().enumerate() {
            let Some(cands) = self.split_by_word.get(&prepared[ts..te]) else {
                continue;
            };
            for &si in cands {
                // Anchored on the term's first word; the others are looked for around it.
                let (term, words) = &self.split_terms[si as usize];
                let lo = ti.saturating_sub(SPLIT_WINDOW);
                let hi = (ti + SPLIT_WINDOW + 1).min(toks.len());
                let (mut s, mut e) = (ts, te);
                let mut seps_seen = (tsep, tsep);
                let all = words[1..].iter().all(|w| {
                    let near = (lo..hi)
                        .filter(|&j| j != ti && prepared[toks[j].0..toks[j].1] == **w)
                        .min_by_key(|&j| j.abs_diff(ti));
                    match near {
                        Some(j) => {
                            s = s.min(toks[j].0);
                            e = e.max(toks[j].1);
                            seps_seen = (seps_seen.0.min(toks[j].2), seps_seen.1.max(toks[j].2));
                            true
                        }
                        None => false,
                    }
                });
                // Not across the name and the scope, nor across more than one separator.
                if !all || seps_seen.1 - seps_seen.0 > 1 || s < name_end && e > name_end {
                    continue;
                }
                let key = self.keys[*term as usize].trim();
                if prepared[s..e] == *key {
                    continue;
                }
                if !out.iter().any(|h| h.2 == *term as usize) {
                    out.push((s, e, *term as usize));
                }
            }
        }
        out
    }

    /// Chinese split matches: the first part of a compound (an industry term, found by the
    /// automaton) and its verb (an own-business cue) in one item of the scope, the verb after
    /// the part within [`CJK_SPLIT_GAP`] bytes (游戏软件的设计与开发 → 游戏开发).
    fn cjk_split_hits(
        &self,
        prepared: &str,
        hits: &[(usize, usize, usize)],
        cues: &[(usize, usize, Cue)],
        cues_by_end: bool,
        own_starts: &[u64],
        out: &mut Vec<(usize, usize, usize)>,
    ) {
        // With the hits longest first at each start, a part inside an earlier, longer term is that
        // term's word (共享 of 共享充电宝设备制造 is no 共享…制造).
        let (mut max_end, mut max_span) = (0usize, (0usize, 0usize));
        for &(s, e, p) in hits {
            let nested = e <= max_end && (s, e) != max_span;
            if e > max_end {
                (max_end, max_span) = (e, (s, e));
            }
            if nested {
                continue;
            }
            let Some(Some(list)) = self.cjk_split.get(p) else {
                continue;
            };
            // The verb after the part (游戏软件的设计与开发 → 游戏开发) or, in everyday order, before it
            // (开发手机游戏, 设计芯片): a verb of the firm's own within the gap. The cues that can
            // hold one are, with the cues in order of their end, one run on each side.
            let lo = s.saturating_sub(CJK_VERB_BEFORE_GAP + self.cjk_verb_max);
            let before: &[(usize, usize, Cue)] = if !any_bit_in(own_starts, lo, s.saturating_sub(1)) {
                &[]
            } else if cues_by_end {
                &cues[cues.partition_point(|c| c.1 < lo)..cues.partition_point(|c| c.1 <= s)]
            } else {
                cues
            };
            let after: &[(usize, usize, Cue)] = if !any_bit_in(own_starts, e + 1, e + CJK_SPLIT_GAP) {
                &[]
            } else if cues_by_end {
                let lo = cues.partition_point(|c| c.1 <= e);
                let hi = cues.partition_point(|c| c.1 <= e + CJK_SPLIT_GAP + self.cjk_verb_max);
                &cues[lo..hi.max(lo)]
            } else {
                cues
            };
            if before.is_empty() && after.is_empty() {
                continue;
            }
            for (verb, term) in list {
                let t = *term as usize;
                if out.iter().any(|h| h.2 == t) {
                    continue;
                }
                let is_verb = |c: &(usize, usize, Cue)| c.2 == Cue::Own && prepared.get(c.0..c.1) == Some(&**verb);
                // Before: no separator, 的 or Latin word between verb and part.
                let first = before.iter().rev().find(|c| {
                    is_verb(c)
                        && c.1 <= s
                        && s - c.1 <= CJK_VERB_BEFORE_GAP
                        && prepared
                            .get(c.1..s)
                            .is_some_and(|gap| gap.chars().all(crate::text::is_cjk) && !gap.contains('的'))
                });
                if let Some(c) = first {
                    out.push((c.0, e, t));
                    continue;
                }
                // After: a product noun between the parts takes the verb (品牌女装的设计 designs
                // clothes, not brands).
                let last = after.iter().find(|c| {
                    is_verb(c)
                        && c.0 > e
                        && c.0 - e <= CJK_SPLIT_GAP
                        && prepared.get(e..c.0).is_some_and(|gap| !gap.contains(['|', '/', ' ']))
                });
                let last = last.filter(|v| !after.iter().any(|c| c.2 == Cue::ProductHead && c.0 >= e && c.1 <= v.0));
                if let Some(c) = last {
                    out.push((s, c.1, t));
                }
            }
        }
    }

    /// The factor a clause role puts on a term's weight.
    fn role_weight(&self, role: Role) -> f32 {
        let r = &self.roles;
        match role {
            Role::Own => 1.0,
            Role::Customer => r.customer,
            Role::Channel => r.channel,
            Role::Uses => r.uses,
            Role::Fair => r.fair,
            Role::Sideline => r.sideline,
            Role::Project => r.project,
            Role::Product => r.product,
            Role::Made => r.made,
            Role::Training => r.training,
            Role::Place => r.place,
        }
    }

    /// The factor of the `k`-th non-empty clause of the scope: 1 for the first two, then
    /// `position_step` less per clause down to `position_floor`.
    fn position_weight(&self, k: u16) -> f32 {
        let r = &self.roles;
        if k < 2 {
            1.0
        } else {
            (1.0 - r.position_step * (k - 1) as f32).max(r.position_floor)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extractor(terms: &[&str]) -> Extractor {
        let catalog = Catalog::builtin().expect("built-in catalogue");
        let keys: Vec<String> = terms.iter().map(|t| normalizer().term_key(t)).collect();
        let shown = terms.iter().map(|t| t.to_string()).collect();
        Extractor::new(&catalog, keys, shown, &[]).expect("extractor")
    }

    #[test]
    fn the_industry_word_ending_a_name_is_its_head() {
        let x = extractor(&["进口食品", "物联网", "区块链"]);
        let read = |name: &str| {
            let analyzed = normalizer().analyze(name);
            let terms = x.extract_profile(&analyzed, "").name_terms;
            x.read_name(&analyzed, &terms)
        };
        // 商行 / 水表 after the plan word: the name says a shop or a meter maker.
        let shop = read("温州某某进口食品商行");
        assert!(shop.heads.is_empty(), "{shop:?}");
        assert!(!shop.groups.is_empty(), "{shop:?}");
        assert!(read("温州某某物联网水表有限公司").heads.is_empty());
        // No industry word after it: the plan word is the name's head.
        let plain = read("温州某某区块链科技有限公司");
        assert_eq!(plain.heads.len(), 1, "{plain:?}");
        assert!(plain.groups.is_empty(), "{plain:?}");
        // An industry word before the plan word does not make it a modifier (鞋业 … 区块链).
        assert_eq!(read("温州某某鞋业区块链科技有限公司").heads.len(), 1);
    }

    /// The terms found (display form) with their trade-only mark.
    fn found(x: &Extractor, text: &str) -> Vec<(String, bool)> {
        let f = x.extract(text);
        f.terms
            .iter()
            .zip(&f.trade_only)
            .map(|(&t, &trade)| (x.shown(t).to_string(), trade))
            .collect()
    }

    /// Terms found with their weight.
    fn weighed(x: &Extractor, text: &str) -> Vec<(String, f32)> {
        let f = x.extract(text);
        f.terms
            .iter()
            .zip(&f.weight)
            .map(|(&t, &w)| (x.shown(t).to_string(), w))
            .collect()
    }

    #[test]
    fn english_terms_match_with_their_words_apart_at_a_lower_weight() {
        let x = extractor(&["manufacturing marketplace", "shared laboratory", "cloud software"]);
        let split = x.roles.split;
        // Reversed order, a comma between, words in between: found, weighing `split`.
        assert_eq!(
            weighed(&x, "Runs a marketplace for custom manufacturing."),
            vec![("manufacturing marketplace".to_string(), split)]
        );
        assert_eq!(
            weighed(&x, "Runs a shared, automated laboratory."),
            vec![("shared laboratory".to_string(), split)]
        );
        // Whole beats apart; too far apart or across two separators is nothing.
        assert_eq!(weighed(&x, "cloud software"), vec![("cloud software".to_string(), 1.0)]);
        assert!(
            weighed(
                &x,
                "cloud hosting for banks and insurers and retailers and an accounting software"
            )
            .is_empty()
        );
        assert!(weighed(&x, "shared. automated. laboratory").is_empty());
    }

    #[test]
    fn chinese_compounds_of_a_term_and_its_verb_match_with_words_between() {
        let x = extractor(&["游戏", "游戏开发"]);
        let split = x.roles.split;
        let w = weighed(&x, "游戏软件的设计与开发");
        assert!(w.contains(&("游戏开发".to_string(), split)), "{w:?}");
        // Whole beats apart; another item of the scope, or too far, is nothing.
        let w = weighed(&x, "游戏开发");
        assert!(w.contains(&("游戏开发".to_string(), 1.0)), "{w:?}");
        for text in ["游戏机销售、软件开发", "游戏机、玩具及其他文体用品的批发零售与开发"]
        {
            let w = weighed(&x, text);
            assert!(!w.iter().any(|(t, _)| t == "游戏开发"), "{text}: {w:?}");
        }
    }

    #[test]
    fn negation_reaches_what_follows_in_its_clause_only() {
        let x = extractor(&["医疗美容", "生活美容", "劳务派遣", "人力资源服务"]);
        assert_eq!(
            found(&x, "生活美容服务（不含医疗美容）"),
            vec![("生活美容".into(), false)]
        );
        // A list mark does not end the clause: both listed items are excluded.
        assert_eq!(
            found(&x, "人力资源服务（不含职业中介、劳务派遣）"),
            vec![("人力资源服务".into(), false)]
        );
        // The next clause is free again.
        assert_eq!(found(&x, "不含医疗美容；劳务派遣"), vec![("劳务派遣".into(), false)]);
    }

    #[test]
    fn an_english_negation_runs_on_over_an_or_list() {
        let x = extractor(&["chip design", "iot platform", "big data", "resistors"]);
        let f = found(
            &x,
            "We do not offer chip design, run IoT platforms, or sell big data services. We sell resistors.",
        );
        assert_eq!(f, vec![("resistors".into(), false)], "{f:?}");
        // Without the closing "or" the next clause is free again.
        let f = found(&x, "We do not offer chip design. We run IoT platforms.");
        assert_eq!(f, vec![("iot platform".into(), false)], "{f:?}");
    }

    #[test]
    fn except_negates_what_precedes_it() {
        let x = extractor(&["医疗美容", "生活美容"]);
        assert_eq!(found(&x, "生活美容；医疗美容除外"), vec![("生活美容".into(), false)]);
        assert_eq!(found(&x, "医疗美容除外，生活美容"), vec![("生活美容".into(), false)]);
    }

    #[test]
    fn a_shared_word_beside_a_platform_cue_stands_for_the_industrys_platform_term() {
        // 共享实验室 is shared-lab-pilot's `shared_as`; 实验室 one of its `shared` words.
        let x = extractor(&["共享实验室"]);
        let terms = |text: &str| found(&x, text).into_iter().map(|(t, _)| t).collect::<Vec<_>>();
        assert_eq!(
            terms("高校实验室的闲置时段|平台按成交额抽佣"),
            vec!["共享实验室".to_string()]
        );
        // Too far from the cue, or no cue at all: nothing.
        assert!(terms("高校实验室|检测|分析|报告|咨询|平台按成交额抽佣").is_empty());
        assert!(terms("建设高校实验室").is_empty());
    }

    #[test]
    fn made_products_and_fleets_are_marked_for_the_matcher_and_named_in_the_company_name() {
        // 智能门锁 belongs only to smart-home, whose makers are not its target.
        let x = extractor(&["智能门锁", "区块链", "冷链物流"]);
        let made = |text: &str| {
            let f = x.extract(text);
            f.terms
                .iter()
                .zip(&f.made)
                .map(|(&t, &m)| (x.shown(t).to_string(), m))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            made("智能门锁制造|区块链技术开发"),
            vec![("智能门锁".into(), MADE | MAKES), ("区块链".into(), 0)]
        );
        // Making a term no industry excludes is marked too (a maker of the core technology).
        assert_eq!(made("区块链一体机制造"), vec![("区块链".into(), MAKES)]);
        // Developing is making for a firm that makes nothing else (ERP软件开发与销售).
        assert_eq!(made("区块链技术开发及销售"), vec![("区块链".into(), MAKES)]);
        assert_eq!(made("智能门锁销售与安装调试"), vec![("智能门锁".into(), 0)]);
        // A maker (its first clause says so) makes every such product of its scope.
        // MAKES only where the term's own clause says making.
        assert_eq!(made("插座制造商|并推出智能门锁"), vec![("智能门锁".into(), MADE)]);
        // Owning vehicles marks the logistics service; not owning them does not.
        assert_eq!(made("冷链物流|自有冷藏车30辆"), vec![("冷链物流".into(), FLEET)]);
        assert_eq!(made("冷链物流信息平台|不拥有车辆"), vec![("冷链物流".into(), 0)]);
        // In the name the role is one for all industries: made when the scope says the firm makes.
        let n = normalizer();
        let weight = |name: &str, scope: &str| {
            let f = x.extract_profile(&n.analyze(name), &n.analyze(scope));
            f.weight.first().copied()
        };
        assert_eq!(weight("某某智能门锁有限公司", "锁具制造"), Some(x.roles.made));
        assert_eq!(weight("某某智能门锁有限公司", "锁具批发"), Some(1.0));
    }

    #[test]
    fn trading_only_clauses_are_marked_unless_they_also_make_something() {
        let x = extractor(&["集成电路", "芯片"]);
        assert_eq!(
            found(&x, "集成电路芯片及产品销售"),
            vec![("集成电路".into(), true), ("芯片".into(), true)]
        );
        assert_eq!(
            found(&x, "集成电路设计；芯片销售"),
            vec![("集成电路".into(), false), ("芯片".into(), true)]
        );
        // A term traded in one clause and made in another is not trade-only.
        assert_eq!(found(&x, "芯片销售；芯片制造"), vec![("芯片".into(), false)]);
    }

    #[test]
    fn nested_matches_give_way_to_the_longer_one() {
        let x = extractor(&["跨境电商", "电商", "电商平台"]);
        // 电商 inside 跨境电商 does not count; 电商平台 overlaps without being nested and does.
        assert_eq!(
            found(&x, "跨境电商平台运营"),
            vec![("跨境电商".into(), false), ("电商平台".into(), false)]
        );
    }

    #[test]
    fn any_bit_in_reads_the_range_only() {
        let mut bits = vec![0u64; 4];
        for set in [0usize, 5, 63, 64, 100, 127, 128, 200, 255] {
            bits.iter_mut().for_each(|w| *w = 0);
            bits[set / 64] |= 1 << (set % 64);
            for lo in 0..260usize {
                for hi in lo.saturating_sub(2)..(lo + 140).min(300) {
                    let expected = lo <= hi && (lo..=hi).contains(&set);
                    assert_eq!(any_bit_in(&bits, lo, hi), expected, "bit {set}, {lo}..={hi}");
                }
            }
        }
    }

    #[test]
    fn insertion_order_equals_a_full_sort() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for n in 0..200usize {
            let mut hits: Vec<(usize, usize, usize)> = (0..n)
                .map(|p| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let s = (seed % 50) as usize;
                    (s, s + 1 + (seed >> 8) as usize % 9, p)
                })
                .collect();
            hits.sort_by_key(|h| h.1);
            hits.dedup_by_key(|h| (h.0, h.1));
            let mut expected = hits.clone();
            expected.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
            sort_by_start(&mut hits);
            assert_eq!(hits, expected);
        }
    }
}
