//! Lead priority (招商优先级): `priority.score` 0..100, tier A/B/C/D and the reasons, in plain
//! words, from the company's fit and the plan's own yardsticks (温政办〔2019〕50号).
//!
//! Points (weights in `[priority.weights]` of `catalog/scoring.toml`), summed and capped at 100:
//! - fit to the best plan sector × `fit` — the dominant input;
//! - revenue against the plan's yardsticks: 100亿/50亿 for new-business-form companies (一（二）),
//!   10亿/1亿 for e-commerce platforms in 新商贸 (二（二）4), 100亿 for commerce and circulation
//!   firms in 新流通 (二（二）5); the best applicable yardstick counts;
//! - registered capital, on a log scale (a weaker size signal);
//! - a company the plan names (`companies.toml`), recognised by its normalised name;
//! - status words in tags and name: 总部 (and HQ items in the business scope), 世界500强, 行业百强,
//!   上市, 独角兽, 温商回归, 高新技术企业, 专精特新.
//!
//! The tier follows `[priority.tiers]`. A company whose verdict is `none` is tier D whatever its
//! size, and its score is held below tier C: the plan asks for new business forms, and a big firm
//! outside them is not a lead for this catalogue.
//!
//! Unreadable money is not fatal: the field is left out and the row flagged (`revenue_unparsed`,
//! `capital_unparsed`).

use crate::catalog::{Catalog, Company, NameMatching, PriorityConfig, SignalTerms, TierThresholds};
use crate::lead::Profile;
use crate::lead::money::{Money, format_yuan_en, format_yuan_zh, parse_money};
use crate::lead::names::{CompanyName, parse_company_name};
use crate::matcher::{ProfileText, ScoreResult, Verdict};
use crate::text::normalizer;
use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// The language of the reasons: Chinese then English (the default, as in interface.md), or
/// English only (`rank --lang en`), with the catalogue's English sector and industry names.
#[derive(Debug, Clone, Copy, Default)]
pub enum ReasonLang<'a> {
    #[default]
    Bilingual,
    English(&'a Catalog),
    /// No reasons at all (`rank --compact` prints none): the score, tier and flags are the same,
    /// without formatting a dozen strings per row that nobody reads.
    Unsaid,
}

/// The reasons of one priority, formatted only when they are said ([`ReasonLang::Unsaid`]).
struct Reasons {
    said: bool,
    list: Vec<String>,
}

impl Reasons {
    fn push(&mut self, reason: impl FnOnce() -> String) {
        if self.said {
            self.list.push(reason());
        }
    }

    fn insert_first(&mut self, reason: impl FnOnce() -> String) {
        if self.said {
            self.list.insert(0, reason());
        }
    }
}

/// A plan clause (`二（二）3；附件`) in English words: `clause 2(2)3; annex`. Text without Chinese
/// (`not a plan yardstick`) is kept.
pub fn clause_en(clause: &str) -> String {
    if clause.is_ascii() {
        return clause.to_string();
    }
    let mut out = String::from("clause ");
    let text = clause
        .replace("温政办〔2019〕50号", "Wen Zheng Ban [2019] No. 50")
        .replace("附件", "annex");
    for c in text.chars() {
        match c {
            '一' => out.push('1'),
            '二' => out.push('2'),
            '三' => out.push('3'),
            '四' => out.push('4'),
            '五' => out.push('5'),
            '六' => out.push('6'),
            '七' => out.push('7'),
            '八' => out.push('8'),
            '九' => out.push('9'),
            '十' => out.push_str("10"),
            '（' => out.push('('),
            '）' => out.push(')'),
            '；' => out.push_str("; "),
            c => out.push(c),
        }
    }
    out
}

/// Flag: the revenue could not be read.
pub const FLAG_REVENUE_UNPARSED: &str = "revenue_unparsed";
/// Flag: the registered capital could not be read.
pub const FLAG_CAPITAL_UNPARSED: &str = "capital_unparsed";

/// A lead's priority, as in interface.md: `{"score": 78, "tier": "A", "reasons": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Priority {
    /// 0..=100.
    pub score: u8,
    /// `A`, `B`, `C` or `D`.
    pub tier: String,
    /// Why, one line per signal, Chinese then English, with the points each added.
    pub reasons: Vec<String>,
}

/// The tier of a score.
pub fn tier_of(score: f64, t: &TierThresholds) -> &'static str {
    if score >= t.a {
        "A"
    } else if score >= t.b {
        "B"
    } else if score >= t.c {
        "C"
    } else {
        "D"
    }
}

/// The companies the plan names (`companies.toml`), ready to be recognised in profile names.
#[derive(Debug, Clone)]
pub struct NamedCompanies {
    companies: Vec<Company>,
    /// (company index, parsed name or alias, its exact-match key).
    names: Vec<(usize, CompanyName, String)>,
    /// Indices into `names` by exact-match key, by body and by core: the only names a company
    /// can match, so a row is compared with a handful of names, not all.
    /// Fx hashing: three look-ups per row (SipHash cost ~0.6k instructions of each row).
    by_key: FxHashMap<String, Vec<usize>>,
    by_body: FxHashMap<String, Vec<usize>>,
    by_core: FxHashMap<String, Vec<usize>>,
    similarity: f64,
    /// The priority signal terms, compiled once (searching them one by one per row cost more
    /// than everything else in `prioritize`).
    signals: SignalMatcher,
}

/// The signal lists of `[priority.signals]`, in [`SignalMatcher`] list order.
fn signal_lists(s: &SignalTerms) -> [&[String]; SIGNAL_LISTS] {
    [
        &s.headquarters,
        &s.headquarters_scope,
        &s.fortune500,
        &s.industry_top100,
        &s.listed,
        &s.unicorn,
        &s.returning,
        &s.high_tech,
        &s.specialised,
    ]
}

const SIGNAL_LISTS: usize = 9;
const HEADQUARTERS: usize = 0;
const HEADQUARTERS_SCOPE: usize = 1;

/// Signal terms (analysis-form keys) behind one Aho–Corasick automaton, so a text is searched for
/// all of them in one pass.
#[derive(Debug, Clone, Default)]
struct TermSet {
    ac: Option<AhoCorasick>,
    /// Per automaton pattern: the (list, position in list) of the terms with that key.
    owners: Vec<Vec<(usize, usize)>>,
    /// The longest substring every pattern holds, when there is one: a text without it cannot
    /// match, and a SIMD substring search says so far faster than the automaton (the business
    /// scope is long and almost never names a headquarters).
    gate: Option<memchr::memmem::Finder<'static>>,
}

impl TermSet {
    /// The terms of the signal lists `keep` accepts.
    fn new(terms: &SignalTerms, keep: impl Fn(usize) -> bool) -> TermSet {
        let n = normalizer();
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
        for (list, words) in signal_lists(terms).into_iter().enumerate().filter(|(l, _)| keep(*l)) {
            for (pos, w) in words.iter().enumerate() {
                let key = n.term_key(w);
                if key.trim().is_empty() {
                    continue;
                }
                match patterns.iter().position(|p| *p == key) {
                    Some(i) => owners[i].push((list, pos)),
                    None => {
                        patterns.push(key);
                        owners.push(vec![(list, pos)]);
                    }
                }
            }
        }
        TermSet {
            gate: common_substring(&patterns).map(|c| memchr::memmem::Finder::new(c.as_bytes()).into_owned()),
            // Keys are short normalised words: building cannot fail short of a size limit, and a
            // failure only means no signal is recognised.
            ac: AhoCorasick::new(&patterns).ok(),
            owners,
        }
    }
}

/// The longest substring (whole characters) that every pattern contains; `None` when they share
/// nothing or there are no patterns.
fn common_substring(patterns: &[String]) -> Option<String> {
    let shortest = patterns.iter().min_by_key(|p| p.len())?;
    let chars: Vec<(usize, char)> = shortest.char_indices().collect();
    for len in (1..=chars.len()).rev() {
        for w in chars.windows(len) {
            let (start, last) = (w[0].0, w[len - 1]);
            let sub = &shortest[start..last.0 + last.1.len_utf8()];
            if !sub.trim().is_empty() && patterns.iter().all(|p| p.contains(sub)) {
                return Some(sub.to_string());
            }
        }
    }
    None
}

/// The signal terms compiled: every list for tags and name, `headquarters_scope` alone for the
/// business scope (the only list the scope feeds).
#[derive(Debug, Clone)]
struct SignalMatcher {
    all: TermSet,
    scope: TermSet,
    /// Analysis-form keys of the negations (非上市 …), non-empty.
    negations: Vec<String>,
    /// The terms compiled (their display form is what reasons show).
    source: SignalTerms,
}

impl SignalMatcher {
    fn new(terms: &SignalTerms) -> SignalMatcher {
        let n = normalizer();
        SignalMatcher {
            all: TermSet::new(terms, |_| true),
            scope: TermSet::new(terms, |l| l == HEADQUARTERS_SCOPE),
            negations: terms
                .negations
                .iter()
                .map(|t| n.term_key(t))
                .filter(|k| !k.is_empty())
                .collect(),
            source: terms.clone(),
        }
    }

    /// Per signal list, the position of its first term (in list order) that occurs in `text`
    /// (analysis form) not directly preceded by a negation.
    fn first_terms(&self, text: &str) -> [Option<usize>; SIGNAL_LISTS] {
        self.first_terms_with(&self.all, text)
    }

    /// [`SignalMatcher::first_terms`] of a business scope: only `headquarters_scope` counts there.
    fn first_scope_terms(&self, text: &str) -> [Option<usize>; SIGNAL_LISTS] {
        self.first_terms_with(&self.scope, text)
    }

    fn first_terms_with(&self, set: &TermSet, text: &str) -> [Option<usize>; SIGNAL_LISTS] {
        let mut first = [None; SIGNAL_LISTS];
        let Some(ac) = &set.ac else { return first };
        if set.gate.as_ref().is_some_and(|g| g.find(text.as_bytes()).is_none()) {
            return first;
        }
        for m in ac.find_overlapping_iter(text) {
            let before = &text[..m.start()];
            if self.negations.iter().any(|neg| before.ends_with(neg.as_str())) {
                continue;
            }
            for &(list, pos) in &set.owners[m.pattern().as_usize()] {
                if first[list].is_none_or(|p| pos < p) {
                    first[list] = Some(pos);
                }
            }
        }
        first
    }

    /// The display form of term `pos` of signal list `list`.
    fn term(&self, list: usize, pos: usize) -> &str {
        signal_lists(&self.source)[list].get(pos).map_or("", String::as_str)
    }
}

impl NamedCompanies {
    pub fn new(companies: &[Company], names: &NameMatching) -> NamedCompanies {
        let mut parsed = Vec::new();
        for (i, c) in companies.iter().enumerate() {
            for n in std::iter::once(&c.name).chain(&c.aliases) {
                let p = parse_company_name(n);
                if !p.body.is_empty() {
                    let key = p.key();
                    parsed.push((i, p, key));
                }
            }
        }
        let mut by_key: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut by_body: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        let mut by_core: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (j, (_, n, key)) in parsed.iter().enumerate() {
            by_key.entry(key.clone()).or_default().push(j);
            by_body.entry(n.body.clone()).or_default().push(j);
            by_core.entry(n.core.clone()).or_default().push(j);
        }
        NamedCompanies {
            companies: companies.to_vec(),
            names: parsed,
            by_key,
            by_body,
            by_core,
            similarity: names.named_similarity,
            signals: SignalMatcher::new(&SignalTerms::default()),
        }
    }

    /// From a loaded catalogue, with its `[priority.names]` thresholds and its `[priority.signals]`
    /// compiled, once.
    pub fn from_catalog(catalog: &Catalog) -> NamedCompanies {
        let mut named = Self::new(&catalog.companies, &catalog.scoring.priority.names);
        named.signals = SignalMatcher::new(&catalog.scoring.priority.signals);
        named
    }

    /// The named company a profile name denotes: the same normalised name or body as one of its
    /// names or aliases (騰訊科技（深圳）有限公司 → 腾讯), or the same 字号 with a name at least
    /// `named_similarity` alike (so 温州百度装饰 is not 百度).
    pub fn find(&self, name: &str) -> Option<&Company> {
        if name.trim().is_empty() {
            return None;
        }
        self.find_parsed(&parse_company_name(name))
    }

    /// [`NamedCompanies::find`] for a name already parsed.
    pub fn find_parsed(&self, p: &CompanyName) -> Option<&Company> {
        if p.body.is_empty() {
            return None;
        }
        let key = p.key();
        let mut candidates: Vec<usize> = [
            self.by_key.get(&key),
            self.by_body.get(&p.body),
            self.by_core.get(&p.core),
        ]
        .into_iter()
        .flatten()
        .flatten()
        .copied()
        .collect();
        if candidates.is_empty() {
            return None;
        }
        // In list order, as a full scan would meet them (the first of equal scores wins).
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<(f64, usize)> = None;
        for (i, n, n_key) in candidates.into_iter().map(|j| &self.names[j]) {
            let s = if *n_key == key {
                3.0
            } else if n.body == p.body {
                2.0
            } else if n.core == p.core && p.core.chars().count() >= 2 {
                let s = strsim::jaro_winkler(&n.body, &p.body);
                if s < self.similarity {
                    continue;
                }
                s
            } else {
                continue;
            };
            if best.is_none_or(|(b, _)| s > b) {
                best = Some((s, *i));
            }
        }
        best.map(|(_, i)| &self.companies[i])
    }
}

/// One signal group of `[priority.signals]`, with its wording.
struct Signal {
    /// Its list in [`signal_lists`], searched in tags and name.
    list: usize,
    /// A list searched in the business scope when tags and name have nothing.
    scope_list: Option<usize>,
    weight: f64,
    zh: &'static str,
    en: &'static str,
    clause: &'static str,
}

fn points(p: f64) -> String {
    format!("[+{}]", p.round())
}

fn yi(v: f64) -> String {
    format!("{}亿元", format_yuan_zh(v * 1e8).trim_end_matches("亿元"))
}

/// Computes the priority of a scored profile. Returns the priority and the flags to add to the
/// row (`revenue_unparsed`, `capital_unparsed`).
pub fn prioritize(
    profile: &Profile,
    text: &ProfileText,
    name: &CompanyName,
    score: &ScoreResult,
    config: &PriorityConfig,
    named: &NamedCompanies,
    lang: ReasonLang,
) -> (Priority, Vec<String>) {
    let english = match lang {
        ReasonLang::English(catalog) => Some(catalog),
        ReasonLang::Bilingual | ReasonLang::Unsaid => None,
    };
    let w = &config.weights;
    let mut total = 0.0;
    let mut reasons = Reasons {
        said: !matches!(lang, ReasonLang::Unsaid),
        list: Vec::new(),
    };
    let mut flags = Vec::new();
    let best = score.matches.first();

    // Fit.
    let fit = f64::from(score.fit).clamp(0.0, 1.0);
    let p = w.fit * fit;
    total += p;
    match (best, english) {
        (Some(m), None) => {
            reasons.push(|| {
                // The fit said twice, formatted once (float formatting was a visible share of a row).
                let fit = format!("{fit:.2}");
                format!(
                    "与「{}·{}」匹配度{fit} fit {fit} to {} / {} ({}) [+{}]",
                    m.sector,
                    m.industry,
                    m.sector,
                    m.industry,
                    m.clause,
                    p.round()
                )
            })
        }
        (Some(m), Some(catalog)) => reasons.push(|| {
            format!(
                "fit {fit:.2} to {} / {} ({}) {}",
                catalog
                    .sector(&m.sector_id)
                    .map_or(m.sector_id.as_str(), |s| &s.name_en),
                catalog
                    .industry(&m.industry_id)
                    .map_or(m.industry_id.as_str(), |i| &i.name_en),
                clause_en(&m.clause),
                points(p)
            )
        }),
        (None, None) => reasons.push(|| "未匹配规划产业 no plan sector matched [+0]".to_string()),
        (None, Some(_)) => reasons.push(|| "no plan sector matched [+0]".to_string()),
    }

    // A company the plan names.
    if let Some(c) = named.find_parsed(name) {
        let (kz, ke) = match c.kind.as_str() {
            "target" => ("招引目标", "a target to attract"),
            "partner" => ("合作伙伴", "a partner"),
            "project" => ("重点项目", "a project"),
            _ => ("点名企业", "named"),
        };
        total += w.named_company;
        reasons.push(|| match english {
            None => format!(
                "规划点名企业「{}」（{kz}）company named by the plan: {} ({ke}) ({}) {}",
                c.name,
                c.name,
                c.clause,
                points(w.named_company)
            ),
            Some(_) => format!(
                "company named by the plan: {} ({ke}) ({}) {}",
                c.name,
                clause_en(&c.clause),
                points(w.named_company)
            ),
        });
    }

    // Revenue against the plan's yardsticks.
    let sector = best.filter(|_| score.verdict != Verdict::None).map(|m| m.sector_no);
    match profile
        .revenue
        .as_deref()
        .map(|r| (r, parse_money(r, &config.currency)))
    {
        Some((raw, Err(_))) => {
            flags.push(FLAG_REVENUE_UNPARSED.to_string());
            reasons.push(|| match english {
                None => format!("营收「{raw}」无法识别，未计入 revenue {raw:?} could not be read; not counted"),
                Some(_) => format!("revenue {raw:?} could not be read; not counted"),
            });
        }
        Some((_, Ok(Some(m)))) => {
            let p = revenue_points(&m, sector, config);
            total += p.points;
            reasons.push(|| p.reason(&m, english.is_some()));
        }
        _ => {}
    }

    // Registered capital.
    match profile
        .registered_capital
        .as_deref()
        .map(|r| (r, parse_money(r, &config.currency)))
    {
        Some((raw, Err(_))) => {
            flags.push(FLAG_CAPITAL_UNPARSED.to_string());
            reasons.push(|| match english {
                None => format!(
                    "注册资本「{raw}」无法识别，未计入 registered capital {raw:?} could not be read; not counted"
                ),
                Some(_) => format!("registered capital {raw:?} could not be read; not counted"),
            });
        }
        Some((_, Ok(Some(m)))) if m.yuan > 0.0 => {
            let (floor, full) = (config.capital.floor * 1e8, config.capital.full * 1e8);
            let share = ((m.yuan / floor).ln() / (full / floor).ln()).clamp(0.0, 1.0);
            let p = w.capital * share;
            total += p;
            reasons.push(|| match english {
                None => format!(
                    "注册资本{} registered capital {} {}",
                    m.describe_zh(),
                    m.describe_en(),
                    points(p)
                ),
                Some(_) => format!("registered capital {} {}", m.describe_en(), points(p)),
            });
        }
        _ => {}
    }

    // Status words: one automaton pass over tags and name; the scope is analysed only when its
    // list could still count.
    let n = normalizer();
    let signals = &named.signals;
    debug_assert!(
        signals.source == config.signals,
        "NamedCompanies compiled from other signal terms than the config's"
    );
    let in_tags = match profile.tags.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(tags) => signals.first_terms(&format!("{}|{}", n.analyze(tags), text.name)),
        None => signals.first_terms(&text.name),
    };
    let in_scope = if in_tags[HEADQUARTERS].is_none() {
        signals.first_scope_terms(&text.scope)
    } else {
        [None; SIGNAL_LISTS]
    };
    let groups = [
        Signal {
            list: HEADQUARTERS,
            scope_list: Some(HEADQUARTERS_SCOPE),
            weight: w.headquarters,
            zh: "总部企业",
            en: "headquarters",
            clause: "二（二）3",
        },
        Signal {
            list: 2,
            scope_list: None,
            weight: w.fortune500,
            zh: "世界500强",
            en: "Fortune Global 500",
            clause: "二（二）3",
        },
        Signal {
            list: 3,
            scope_list: None,
            weight: w.industry_top100,
            zh: "行业百强",
            en: "industry top 100",
            clause: "二（二）3",
        },
        Signal {
            list: 4,
            scope_list: None,
            weight: w.listed,
            zh: "上市企业",
            en: "listed company",
            clause: "一（二）",
        },
        Signal {
            list: 5,
            scope_list: None,
            weight: w.unicorn,
            zh: "独角兽（含潜在）",
            en: "(potential) unicorn",
            clause: "一（二）",
        },
        Signal {
            list: 6,
            scope_list: None,
            weight: w.returning,
            zh: "温商回归",
            en: "Wenzhou merchants returning",
            clause: "二（二）3；二（二）5",
        },
        Signal {
            list: 7,
            scope_list: None,
            weight: w.high_tech,
            zh: "高新技术企业",
            en: "high-tech enterprise",
            clause: "not a plan yardstick",
        },
        Signal {
            list: 8,
            scope_list: None,
            weight: w.specialised,
            zh: "专精特新",
            en: "specialised and innovative SME",
            clause: "not a plan yardstick",
        },
    ];
    for g in &groups {
        let found = in_tags[g.list]
            .map(|pos| signals.term(g.list, pos))
            .or_else(|| g.scope_list.and_then(|l| in_scope[l].map(|pos| signals.term(l, pos))));
        if let Some(term) = found {
            total += g.weight;
            if english.is_some() {
                reasons.push(|| format!("{} ({}) {}", g.en, clause_en(g.clause), points(g.weight)));
                continue;
            }
            reasons.push(|| {
                let shown = if term == g.zh {
                    String::new()
                } else {
                    format!("（{term}）")
                };
                format!("{}{shown} {} ({}) {}", g.zh, g.en, g.clause, points(g.weight))
            });
        }
    }

    let mut value = total.clamp(0.0, 100.0).round();
    let tier = if score.verdict == Verdict::None {
        value = value.min((config.tiers.c.ceil() - 1.0).max(0.0));
        let why = "verdict none: no plan sector fits, so tier D whatever its size";
        reasons.insert_first(|| match english {
            None => format!("与规划重点产业不匹配，列为D档 {why}"),
            Some(_) => why.to_string(),
        });
        "D"
    } else {
        tier_of(value, &config.tiers)
    };
    (
        Priority {
            score: value as u8,
            tier: tier.to_string(),
            reasons: reasons.list,
        },
        flags,
    )
}

/// The points of a revenue: the best of the yardstick sets that apply to the sector, and what
/// its reason needs (formatted by [`RevenuePoints::reason`] only when reasons are said).
struct RevenuePoints<'a> {
    points: f64,
    /// The yardstick met (yuan in 亿), its set's names and clause; `None`: below every set.
    met: Option<(f64, &'a str, &'a str, &'a str)>,
    /// The lowest yardstick of the sets and its clause (for a revenue below all).
    lowest: (f64, &'a str),
}

fn revenue_points<'a>(m: &Money, sector: Option<u32>, config: &'a PriorityConfig) -> RevenuePoints<'a> {
    let r = &config.revenue;
    let mut sets: Vec<(&[f64], &str, &str, &str)> =
        vec![(&r.new_business, "新业态企业", "new-business-form companies", "一（二）")];
    if sector.is_some_and(|s| r.e_commerce_sectors.contains(&s)) {
        sets.push((&r.e_commerce, "电商平台企业", "e-commerce platforms", "二（二）4"));
    }
    if sector.is_some_and(|s| r.commerce_circulation_sectors.contains(&s)) {
        sets.push((
            &r.commerce_circulation,
            "商贸流通企业",
            "commerce and circulation firms",
            "二（二）5",
        ));
    }
    let mut best: Option<(f64, f64, &str, &str, &str)> = None;
    let mut lowest: Option<(f64, &str)> = None;
    for (set, zh, en, clause) in sets {
        let mut ys: Vec<f64> = set.to_vec();
        ys.sort_by(|a, b| b.total_cmp(a));
        let n = ys.len() as f64;
        if let Some(&low) = ys.last()
            && lowest.is_none_or(|(l, _)| low < l)
        {
            lowest = Some((low, clause));
        }
        if let Some((i, &y)) = ys.iter().enumerate().find(|(_, y)| m.yuan >= **y * 1e8) {
            let p = config.weights.revenue * (n - i as f64) / n;
            if best.is_none_or(|(b, ..)| p > b) {
                best = Some((p, y, zh, en, clause));
            }
        }
    }
    RevenuePoints {
        points: best.map_or(0.0, |b| b.0),
        met: best.map(|(_, y, zh, en, clause)| (y, zh, en, clause)),
        lowest: lowest.unwrap_or((0.0, "一（二）")),
    }
}

impl RevenuePoints<'_> {
    /// The reason for revenue `m`; `english`: in English only.
    fn reason(&self, m: &Money, english: bool) -> String {
        let p = self.points;
        match self.met {
            Some((y, _, en, clause)) if english => format!(
                "revenue {} meets the plan's {} yardstick for {en} ({}) {}",
                m.describe_en(),
                format_yuan_en(y * 1e8),
                clause_en(clause),
                points(p)
            ),
            Some((y, zh, en, clause)) => format!(
                "营收{}，达到规划{}级{zh}标准 revenue {} meets the plan's {} yardstick for {en} ({clause}) {}",
                m.describe_zh(),
                yi(y),
                m.describe_en(),
                format_yuan_en(y * 1e8),
                points(p)
            ),
            None => {
                let (low, clause) = self.lowest;
                if english {
                    return format!(
                        "revenue {} is below the plan's {} yardstick ({}) [+0]",
                        m.describe_en(),
                        format_yuan_en(low * 1e8),
                        clause_en(clause)
                    );
                }
                format!(
                    "营收{}，未达规划{}标准 revenue {} is below the plan's {} yardstick ({clause}) [+0]",
                    m.describe_zh(),
                    yi(low),
                    m.describe_en(),
                    format_yuan_en(low * 1e8)
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::{Match, MatchFacts};

    fn config() -> PriorityConfig {
        Catalog::builtin().expect("built-in catalogue").scoring.priority
    }

    fn named() -> NamedCompanies {
        NamedCompanies::from_catalog(&Catalog::builtin().expect("built-in catalogue"))
    }

    fn scored(verdict: Verdict, fit: f32, sector_no: u32) -> ScoreResult {
        ScoreResult {
            verdict,
            fit,
            reading: Default::default(),
            matches: vec![Match {
                facts: std::sync::Arc::new(MatchFacts::new(
                    sector_no,
                    "x".into(),
                    format!("sector {sector_no}"),
                    "y".into(),
                    "industry".into(),
                    String::new(),
                    vec![],
                    vec![],
                    "二（一）1".into(),
                )),
                score: fit,
                evidence: vec![],
            }],
            counter_evidence: vec![],
            declared_industry: None,
        }
    }

    fn profile(name: &str, revenue: Option<&str>, capital: Option<&str>, tags: Option<&str>) -> Profile {
        Profile {
            name: name.into(),
            scope: "软件开发".into(),
            revenue: revenue.map(Into::into),
            registered_capital: capital.map(Into::into),
            tags: tags.map(Into::into),
            ..Profile::default()
        }
    }

    fn run(p: &Profile, s: &ScoreResult) -> (Priority, Vec<String>) {
        prioritize(
            p,
            &ProfileText::new(p),
            &parse_company_name(&p.name),
            s,
            &config(),
            &named(),
            ReasonLang::Bilingual,
        )
    }

    #[test]
    fn common_substrings_gate_the_search() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            common_substring(&p(&["综合总部", "区域总部", "企业总部管理"])).as_deref(),
            Some("总部")
        );
        assert_eq!(common_substring(&p(&["上市", "a股"])), None);
        assert_eq!(common_substring(&[]), None);
        let set = TermSet::new(
            &SignalTerms {
                headquarters_scope: vec!["区域总部".into(), "企业总部管理".into()],
                ..SignalTerms::default()
            },
            |l| l == HEADQUARTERS_SCOPE,
        );
        let m = SignalMatcher::new(&SignalTerms::default());
        assert_eq!(
            m.first_terms_with(&set, "企业总部管理|物业管理")[HEADQUARTERS_SCOPE],
            Some(1)
        );
        assert_eq!(m.first_terms_with(&set, "物业管理|软件开发")[HEADQUARTERS_SCOPE], None);
    }

    #[test]
    fn big_listed_headquarters_ranks_above_small_firm_of_equal_fit() {
        let s = scored(Verdict::Target, 0.9, 1);
        let big = profile(
            "温州数联科技集团有限公司",
            Some("120亿元"),
            Some("5亿元"),
            Some("上市公司;区域总部"),
        );
        let small = profile("温州小微软件有限公司", Some("300万元"), Some("50万元"), None);
        let (pb, fb) = run(&big, &s);
        let (ps, fs) = run(&small, &s);
        assert!(fb.is_empty() && fs.is_empty());
        assert!(pb.score > ps.score, "{pb:?} vs {ps:?}");
        assert_eq!(pb.tier, "A", "{pb:?}");
        assert_eq!(ps.tier, "B", "{ps:?}");
        assert!(
            pb.reasons
                .iter()
                .any(|r| r.contains("达到规划100亿元级新业态企业标准") && r.contains("¥10.0bn")),
            "{:?}",
            pb.reasons
        );
        assert!(pb.reasons.iter().any(|r| r.starts_with("上市企业")));
        assert!(
            pb.reasons
                .iter()
                .any(|r| r.starts_with("总部企业（区域总部） headquarters"))
        );
    }

    #[test]
    fn ordering_follows_fit_then_size() {
        let p = profile("温州某某科技有限公司", None, None, None);
        let scores: Vec<u8> = [0.95, 0.8, 0.6, 0.4]
            .iter()
            .map(|f| run(&p, &scored(Verdict::Target, *f, 1)).0.score)
            .collect();
        assert!(scores.windows(2).all(|w| w[0] > w[1]), "{scores:?}");
        let s = scored(Verdict::Target, 0.8, 1);
        let ladder: Vec<u8> = [None, Some("60亿"), Some("150亿")]
            .iter()
            .map(|r| run(&profile("温州某某科技有限公司", *r, None, None), &s).0.score)
            .collect();
        assert!(ladder.windows(2).all(|w| w[0] < w[1]), "{ladder:?}");
    }

    #[test]
    fn verdict_none_is_tier_d_whatever_its_size() {
        let s = scored(Verdict::None, 0.2, 1);
        let p = profile(
            "温州某某房地产开发有限公司",
            Some("500亿元"),
            Some("50亿元"),
            Some("世界500强;上市公司;综合总部"),
        );
        let (pr, _) = run(&p, &s);
        assert_eq!(pr.tier, "D");
        assert!(pr.score < 25, "{pr:?}");
        assert!(pr.reasons[0].contains("verdict none"), "{:?}", pr.reasons);
    }

    #[test]
    fn unreadable_money_is_flagged_not_fatal() {
        let s = scored(Verdict::Target, 0.9, 1);
        let p = profile("温州某某科技有限公司", Some("壹佰亿"), Some("很多"), None);
        let (pr, flags) = run(&p, &s);
        assert_eq!(flags, [FLAG_REVENUE_UNPARSED, FLAG_CAPITAL_UNPARSED]);
        assert_eq!(pr.score, 45);
        assert!(
            pr.reasons
                .iter()
                .any(|r| r.contains("壹佰亿") && r.contains("not counted"))
        );
        // Not given is neither flagged nor counted.
        let (_, flags) = run(&profile("温州某某科技有限公司", Some("-"), Some("不详"), None), &s);
        assert!(flags.is_empty());
    }

    #[test]
    fn e_commerce_and_circulation_yardsticks_apply_by_sector() {
        let p = profile("温州某某电子商务有限公司", Some("12亿元"), None, None);
        let commerce = run(&p, &scored(Verdict::Target, 0.8, 4)).0;
        let digital = run(&p, &scored(Verdict::Target, 0.8, 1)).0;
        assert!(commerce.score > digital.score);
        assert!(
            commerce
                .reasons
                .iter()
                .any(|r| r.contains("10亿元级电商平台企业") && r.contains("二（二）4")),
            "{:?}",
            commerce.reasons
        );
        assert!(
            digital.reasons.iter().any(|r| r.contains("未达规划50亿元标准")),
            "{:?}",
            digital.reasons
        );
        let big = profile("温州某某供应链有限公司", Some("120亿元"), None, None);
        let logistics = run(&big, &scored(Verdict::Target, 0.8, 5)).0;
        assert!(logistics.reasons.iter().any(|r| r.contains("达到规划100亿元级")));
    }

    #[test]
    fn named_companies_are_recognised_by_normalised_name() {
        let n = named();
        for (name, want) in [
            ("騰訊科技（深圳）有限公司", Some("腾讯")),
            ("腾讯科技(深圳)有限公司", Some("腾讯")),
            ("腾讯科技（温州）有限公司", Some("腾讯")),
            ("北京百度网讯科技有限公司", Some("百度")),
            ("广州虎牙信息科技有限公司", Some("虎牙")),
            ("HUYA Inc.", Some("虎牙")),
            ("Alibaba Group Holding Limited", Some("阿里巴巴")),
            ("唯品會（中國）有限公司", Some("唯品会")),
            ("浙江菜鸟供应链管理有限公司", Some("菜鸟")),
            ("紫光股份有限公司", Some("清华紫光")),
            ("温州百度装饰工程有限公司", None),
            ("温州华信科技有限公司", None),
            ("", None),
        ] {
            assert_eq!(n.find(name).map(|c| c.name.as_str()), want, "{name}");
        }
        let s = scored(Verdict::Target, 0.9, 6);
        let (pr, _) = run(&profile("騰訊科技（深圳）有限公司", None, None, None), &s);
        assert!(
            pr.reasons.iter().any(|r| r.contains("规划点名企业「腾讯」")),
            "{:?}",
            pr.reasons
        );
    }

    #[test]
    fn negated_status_words_do_not_count() {
        let s = scored(Verdict::Target, 0.8, 1);
        let base = run(&profile("温州某某科技有限公司", None, None, None), &s).0.score;
        for tags in ["非上市公司", "拟上市", "未上市", "unlisted"] {
            let p = run(&profile("温州某某科技有限公司", None, None, Some(tags)), &s).0;
            assert_eq!(p.score, base, "{tags}: {:?}", p.reasons);
        }
        for tags in [
            "A股上市",
            "NASDAQ listed",
            "潜在独角兽",
            "温商回归企业",
            "专精特新“小巨人”",
        ] {
            let p = run(&profile("温州某某科技有限公司", None, None, Some(tags)), &s).0;
            assert!(p.score > base, "{tags}: {:?}", p.reasons);
        }
        let mut hq = profile("温州某某科技有限公司", None, None, None);
        hq.scope = "企业总部管理；软件开发".into();
        assert!(run(&hq, &s).0.score > base);
    }

    #[test]
    fn priority_serialises_as_in_the_interface() {
        let p = Priority {
            score: 78,
            tier: "A".into(),
            reasons: vec!["x".into()],
        };
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"score":78,"tier":"A","reasons":["x"]}"#
        );
    }
}
