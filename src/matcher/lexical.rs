//! The lexical layer: how sure the fit is, from every word of the profile (issue 13, build items 3
//! "paraphrase recall" and 7 "a graded fit").
//!
//! The catalogue's terms find the sector; they miss a plan firm that describes its trade in
//! plain words ("who pays whom for what") and cannot weigh the many small signs of an ordinary
//! firm (年产, 批发, 门店 …). This layer is a logistic model of "this company is a plan target"
//! over the words of the analysed 经营范围 — not the company name (names only support the text, and
//! in labelled data their 科技 and 网络 say more about the writer than the firm), nor the
//! registration filler every firm lists (技术服务、技术开发…, [`Filler`]): CJK characters and
//! adjacent pairs of them, and Latin words, weighted by TF-IDF (sublinear term frequency, smoothed
//! idf, unit length). Pairs of place names and legal forms never enter the vocabulary. A scope with
//! no known word leaves the fit alone.
//!
//! Its decision value moves the calibrated fit through `[lexical]` of scoring.toml
//! ([`crate::catalog::LexicalStack`]): a monotone map, so the sector order never changes and a
//! profile with no catalogue evidence stays `none`. The weights (`catalog/lexicon.csv`) are
//! fitted by `leadmatch eval FILES --subset tune --train-lexical catalog/lexicon.csv` on the tuning
//! parts of the labelled sets only ([`fit`]); held-out parts measure it.

use crate::catalog::{Catalog, LexicalStack, LexiconTable};
use crate::text::{is_cjk, normalizer};
use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};

/// Legal forms and the province: masked like place names. `瓯` (the old name of the Wenzhou
/// region) starts many local brand names (瓯信, 瓯品汇) whatever the trade.
const MASKED_CJK: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "分公司",
    "公司",
    "股份",
    "浙江",
    "中国",
    "瓯",
];
const MASKED_LATIN: &[&str] = &[
    "co",
    "ltd",
    "inc",
    "limited",
    "company",
    "corp",
    "corporation",
    "llc",
    "pte",
    "gmbh",
    "plc",
    "zhejiang",
    "china",
];

/// Registration wording every kind of firm lists (terms.toml `boilerplate` and `padding`, and the
/// standard technology items below), blanked out of the scope before its words are read: in the
/// labelled data plan firms list it more often than ordinary ones, so a word model would learn it
/// as a sign of the plan — and every hotel, shop or clinic whose licence adds 技术服务、技术开发…
/// would read as one.
const FILLER: &[&str] = &[
    "技术服务",
    "技术开发",
    "技术咨询",
    "技术交流",
    "技术转让",
    "技术推广",
    "信息咨询服务",
    "企业管理咨询",
    "咨询服务",
    "科技中介服务",
    "会议及展览服务",
    "互联网销售",
    "货物进出口",
    "技术进出口",
];

/// Finds the filler of a scope ([`FILLER`], terms.toml `boilerplate` and `padding`) and what the
/// scope denies (terms.toml `negation`: 不从事集成电路设计、物联网平台运营…, "has no blockchain
/// operations"), both left out of the words the layer reads: the catalogue drops a negated term,
/// and a word model reading the same words would count every denied trade as evidence.
#[derive(Debug, Clone)]
pub struct Filler {
    ac: Option<AhoCorasick>,
    /// The same with the words of making and selling (terms.toml `[roles] make` and `trade`), for
    /// a maker of the plan's core technology ([`Reading::maker`]).
    maker_ac: Option<AhoCorasick>,
    /// Patterns from this index on (in `ac`, in `maker_ac`) are negation cues; from the second
    /// index on, cues that end what they deny (危险废物除外, "was discontinued").
    negation_from: (usize, usize),
    negation_after_from: (usize, usize),
}

impl Filler {
    pub fn new(catalog: &Catalog) -> Filler {
        let n = normalizer();
        let key = |w: &String| n.term_key(w).trim().to_string();
        let mut words: Vec<String> = FILLER
            .iter()
            .map(|s| s.to_string())
            .chain(catalog.terms.boilerplate.iter().cloned())
            .chain(catalog.terms.padding.iter().cloned())
            .map(|w| key(&w))
            .filter(|w| !w.is_empty())
            .collect();
        words.sort();
        words.dedup();
        // Negation cues keep the spaces of a Latin key (" no "): whole words only.
        let spaced_keys = |list: &[String]| -> Vec<String> {
            list.iter()
                .map(|w| n.term_key(w))
                .filter(|w| !w.trim().is_empty())
                .collect()
        };
        let negation = spaced_keys(&catalog.terms.negation);
        let negation_after = spaced_keys(&super::extract::closing_negations(catalog));
        let build = |words: &[String]| {
            let patterns: Vec<&String> = words.iter().chain(&negation).chain(&negation_after).collect();
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(patterns)
                .ok()
                .filter(|_| !words.is_empty() || !negation.is_empty() || !negation_after.is_empty())
        };
        let ac = build(&words);
        let plain = words.len();
        words.extend(catalog.terms.roles.make.iter().chain(&catalog.terms.trade).map(key));
        words.retain(|w| !w.is_empty());
        words.sort();
        words.dedup();
        Filler {
            ac,
            maker_ac: build(&words),
            negation_from: (plain, words.len()),
            negation_after_from: (plain + negation.len(), words.len() + negation.len()),
        }
    }

    /// A filler of nothing (tests).
    #[cfg(test)]
    fn none() -> Filler {
        Filler {
            ac: None,
            maker_ac: None,
            negation_from: (0, 0),
            negation_after_from: (0, 0),
        }
    }

    /// Calls `f` with each part of `text` between its filler, in order, leaving out what a
    /// negation cue denies, as the extractor reads a negated term: the rest of its clause, up to a
    /// 的 that closes it (没有中间商的跨境电商平台 denies the middlemen, not the platform) or on over
    /// an "…, or …" list ([`super::extract::negation_reach`]); before a closing cue (危险废物除外),
    /// its clause up to the cue. For a maker
    /// of the plan's core technology (`maker`), the words of making and selling (生产, 制造, 销售 …)
    /// are filler too: every maker's 经营范围 says them, so they tell an ordinary factory from a
    /// plan one no more than 技术服务 tells a software house from a hotel.
    pub fn each_part<'a>(&self, text: &'a str, maker: bool, mut f: impl FnMut(&'a str)) {
        let mut at = 0;
        let (ac, negation_from, after_from) = if maker {
            (&self.maker_ac, self.negation_from.1, self.negation_after_from.1)
        } else {
            (&self.ac, self.negation_from.0, self.negation_after_from.0)
        };
        if let Some(ac) = ac {
            for m in ac.find_iter(text) {
                if m.start() < at {
                    continue;
                }
                let p = m.pattern().as_usize();
                if p >= after_from {
                    // What stands before it in its clause is denied.
                    let clause_start = text[at..m.start()].rfind('|').map_or(at, |i| at + i);
                    f(&text[at..clause_start]);
                    at = m.end();
                    continue;
                }
                f(&text[at..m.start()]);
                at = m.end();
                if p >= negation_from && !super::extract::not_negating(&text[m.end()..]) {
                    at = match text[at..].find(['|', '的']).map(|i| at + i) {
                        Some(end) if text.as_bytes()[end] == b'|' => super::extract::negation_reach(text, end),
                        Some(end) => end,
                        None => text.len(),
                    };
                }
            }
        }
        f(&text[at..]);
    }
}

/// One token of an analysed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    Char(char),
    Pair(char, char),
    Word(&'a str),
}

impl Token<'_> {
    /// A 64-bit key: characters and pairs are exact (tag bits 61 and 62), words hashed (bit 63).
    pub fn key(self) -> u64 {
        match self {
            Token::Char(c) => (1 << 61) | c as u64,
            Token::Pair(a, b) => (1 << 62) | ((a as u64) << 21) | b as u64,
            Token::Word(w) => {
                let mut h = rustc_hash::FxHasher::default();
                w.hash(&mut h);
                (1 << 63) | (h.finish() >> 1)
            }
        }
    }

    /// The token as written in `lexicon.csv`.
    pub fn text(self) -> String {
        match self {
            Token::Char(c) => c.to_string(),
            Token::Pair(a, b) => [a, b].iter().collect(),
            Token::Word(w) => w.to_string(),
        }
    }

    /// The token a `lexicon.csv` cell names, if it is one [`tokens`] can produce.
    pub fn parse(s: &str) -> Option<Token<'_>> {
        let mut chars = s.chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some(a), None, _) if is_cjk(a) => Some(Token::Char(a)),
            (Some(a), Some(b), None) if is_cjk(a) && is_cjk(b) => Some(Token::Pair(a, b)),
            _ if !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase()) => Some(Token::Word(s)),
            _ => None,
        }
    }
}

/// Calls `f` with every token of the analysed `text`: each CJK character, each pair of adjacent
/// CJK characters, each run of Latin letters.
pub fn tokens<'a>(text: &'a str, mut f: impl FnMut(Token<'a>)) {
    let mut prev: Option<char> = None;
    let mut word_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_ascii_lowercase() {
            word_start.get_or_insert(i);
            prev = None;
            continue;
        }
        if let Some(s) = word_start.take() {
            f(Token::Word(&text[s..i]));
        }
        if !is_cjk(c) {
            prev = None;
            continue;
        }
        f(Token::Char(c));
        if let Some(p) = prev {
            f(Token::Pair(p, c));
        }
        prev = Some(c);
    }
    if let Some(s) = word_start {
        f(Token::Word(&text[s..]));
    }
}

/// Tokens that say where a company is or what legal form it has, never in the vocabulary: every
/// pair of characters of a place name of region.toml (the city, its districts, elsewhere) or
/// of [`MASKED_CJK`], and every word of one in Latin letters or of [`MASKED_LATIN`]. Masking the
/// vocabulary rather than the text keeps scoring one plain pass.
pub fn masked_tokens(catalog: &Catalog) -> FxHashSet<u64> {
    let file = &catalog.region.file;
    // The city and its districts, not the zones: 浙南科技城 and 温州经济技术开发区 are written with
    // the words of every technology firm (科技, 技术, 开发).
    let mut names: Vec<String> = std::iter::once(&file.city)
        .chain(&file.district)
        .flat_map(|p| std::iter::once(&p.name).chain(&p.aliases))
        .filter(|s| !s.is_empty())
        .cloned()
        .collect();
    names.extend(file.elsewhere.places.iter().cloned());
    names.extend(MASKED_CJK.iter().chain(MASKED_LATIN).map(|s| s.to_string()));
    let mut out = FxHashSet::default();
    for name in &names {
        let analysed = normalizer().analyze(name);
        let single = analysed.trim().chars().count() == 1;
        tokens(&analysed, |t| {
            // A character alone is masked only as a name of its own (瓯): 平 of 平阳 or 文 of
            // 文成 also write 平台 and 文化.
            if single || !matches!(t, Token::Char(_)) {
                out.insert(t.key());
            }
        });
    }
    out
}

/// First code point of the direct table of single characters (CJK Extension A).
const CJK_FIRST: u32 = 0x3400;
const CJK_LAST: u32 = 0x9fff;

/// TF-IDF weights and coefficients of the known tokens, for the decision value of one profile.
/// Single characters are looked up in a direct table, pairs and words in a hash map; the term
/// frequencies are counted in a per-thread scratch array (no sorting, nothing allocated per row).
#[derive(Debug, Clone, Default)]
pub struct Weights {
    /// Per code point from [`CJK_FIRST`]: 1 + the token's index (0 when unknown) in the low bits,
    /// and [`IN_PAIR`] when the character is part of some known pair. One table, so scoring reads
    /// each character once for both questions.
    chars: Vec<u32>,
    /// Pair and word keys ([`Token::key`]) → index.
    others: FxHashMap<u64, u32>,
    idf: Vec<f32>,
    coef: Vec<f32>,
    bias: f32,
}

thread_local! {
    /// Term counts by token index and the indices touched, reset after each profile.
    static SCRATCH: std::cell::RefCell<(Vec<u16>, Vec<u32>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// Bit of a [`Weights::chars`] entry: the character is part of some known pair.
const IN_PAIR: u32 = 1 << 31;

impl Weights {
    /// The [`Weights::chars`] entry of `c`; 0 outside the table.
    #[inline]
    fn entry(&self, c: char) -> u32 {
        (c as u32)
            .checked_sub(CJK_FIRST)
            .and_then(|i| self.chars.get(i as usize).copied())
            .unwrap_or(0)
    }

    fn char_index(&self, c: char) -> Option<u32> {
        let e = self.entry(c) & !IN_PAIR;
        (e != 0).then(|| e - 1)
    }

    fn in_pair(&self, c: char) -> bool {
        self.entry(c) & IN_PAIR != 0
    }

    /// A pair is looked up only when both its characters are in some known pair.
    fn pair_index(&self, a: char, b: char) -> Option<u32> {
        if self.in_pair(a) && self.in_pair(b) {
            self.others.get(&Token::Pair(a, b).key()).copied()
        } else {
            None
        }
    }

    fn index(&self, t: Token<'_>) -> Option<u32> {
        match t {
            Token::Char(c) => self.char_index(c),
            Token::Pair(a, b) => self.pair_index(a, b),
            Token::Word(_) => self.others.get(&t.key()).copied(),
        }
    }

    #[inline]
    fn count(&self, counts: &mut [u16], touched: &mut Vec<u32>, t: Token<'_>) {
        if let Some(i) = self.index(t) {
            count_index(counts, touched, i);
        }
    }

    /// [`Weights::count`] of every token of `text` ([`tokens`]), in the same order (the order of
    /// `touched` fixes the order of the float sums in [`Weights::value`]), with each character's
    /// table entry read once: a pair is looked up only when both entries say [`IN_PAIR`], and
    /// the previous character's entry is kept rather than read again.
    fn count_text(&self, counts: &mut [u16], touched: &mut Vec<u32>, text: &str) {
        // The previous character when it is a CJK character of some known pair, else `None`
        // (what `tokens` calls `prev`, narrowed to the pairs that can be found).
        let mut prev: Option<char> = None;
        let mut word_start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            if c.is_ascii_lowercase() {
                word_start.get_or_insert(i);
                prev = None;
                continue;
            }
            if let Some(s) = word_start.take()
                && let Some(&k) = self.others.get(&Token::Word(&text[s..i]).key())
            {
                count_index(counts, touched, k);
            }
            // Characters outside the table (the other CJK blocks, everything else) have no
            // entry: no token of theirs is known, and no pair with them either.
            let e = self.entry(c);
            let k = e & !IN_PAIR;
            if k != 0 {
                count_index(counts, touched, k - 1);
            }
            if e & IN_PAIR == 0 {
                prev = None;
                continue;
            }
            if let Some(p) = prev
                && let Some(&k) = self.others.get(&Token::Pair(p, c).key())
            {
                count_index(counts, touched, k);
            }
            prev = Some(c);
        }
        if let Some(s) = word_start
            && let Some(&k) = self.others.get(&Token::Word(&text[s..]).key())
        {
            count_index(counts, touched, k);
        }
    }

    /// The decision value `w · x + b` of the profile counted in `counts` (reset here), where `x`
    /// is the unit-length vector of `(1 + ln tf) · idf` over the tokens the model knows; `None`
    /// when it knows none.
    fn value(&self, counts: &mut [u16], touched: &[u32]) -> Option<f32> {
        let (mut dot, mut sq) = (0.0f32, 0.0f32);
        for &i in touched {
            let i = i as usize;
            let tf = counts[i];
            let x = if tf == 1 {
                self.idf[i]
            } else {
                (1.0 + f32::from(tf).ln()) * self.idf[i]
            };
            dot += x * self.coef[i];
            sq += x * x;
            counts[i] = 0;
        }
        (sq > 0.0).then(|| dot / sq.sqrt() + self.bias)
    }

    /// The decision value of an analysed scope: [`tokens`] of each part between its filler,
    /// looked up in one pass (a pair only when both its characters are in some known pair);
    /// `None` when no word is known.
    pub fn decision(&self, filler: &Filler, scope: &str, maker: bool) -> Option<f32> {
        SCRATCH.with_borrow_mut(|(counts, touched)| {
            if counts.len() < self.idf.len() {
                counts.resize(self.idf.len(), 0);
            }
            touched.clear();
            filler.each_part(scope, maker, |part| self.count_text(counts, touched, part));
            self.value(counts, touched)
        })
    }

    /// The decision value of a profile given as its tokens (training's out-of-fold scores).
    pub fn decision_of_tokens<'a>(&self, tokens: impl IntoIterator<Item = Token<'a>>) -> Option<f32> {
        SCRATCH.with_borrow_mut(|(counts, touched)| {
            if counts.len() < self.idf.len() {
                counts.resize(self.idf.len(), 0);
            }
            touched.clear();
            for t in tokens {
                self.count(counts, touched, t);
            }
            self.value(counts, touched)
        })
    }
}

/// The compiled layer: the filler, the weights and the `[lexical]` map onto the fit.
#[derive(Debug, Clone)]
pub struct Lexical {
    filler: Filler,
    weights: Weights,
    stack: LexicalStack,
}

impl Lexical {
    /// The layer of `catalog`; `None` when `lexicon.csv` or `[lexical]` is missing.
    pub fn new(catalog: &Catalog) -> Option<Lexical> {
        let table = catalog.lexicon.as_ref()?;
        let stack = catalog.scoring.lexical?;
        Some(Lexical {
            filler: Filler::new(catalog),
            weights: weights_of(table),
            stack,
        })
    }

    /// The decision value of an analysed 经营范围, its filler left out; `None` when it holds no
    /// known word (an empty scope, or nothing but filler: the layer then leaves the fit alone).
    pub fn decision(&self, scope: &str, maker: bool) -> Option<f32> {
        self.weights.decision(&self.filler, scope, maker)
    }

    /// The fit after the layer ([`applied`]).
    pub fn adjust(&self, fit: f32, decision: f32, reading: Reading) -> f32 {
        applied(self.stack, fit, decision, reading)
    }
}

/// What the catalogue's roles made of the best sector's evidence, as the layer needs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reading {
    /// The best sector rests only on plan words in a side role (a venue, a customer, a product
    /// made …): the layer never raises its fit.
    pub side_only: bool,
    /// The firm makes (生产, 制造 …) a name or strong term of the best industry in its own business,
    /// and that industry's makers are its target (`core_makers` in the catalogue): a maker of the core
    /// technology the plan names (chips, IoT modules, VR/AR devices, 3D printers — the labelling
    /// conventions of `../shared/eval/README.md`). Words of making and selling then say what any
    /// maker's 经营范围 says; the decision weighs `lexical_weight + maker_weight`.
    pub maker: bool,
}

/// The layer as the matcher applies it: [`stacked`], except that a fit whose best sector rests
/// only on side-role words (`side_only`) is never raised.
pub fn applied(s: LexicalStack, fit: f32, decision: f32, reading: Reading) -> f32 {
    let moved = stacked(s, fit, decision, reading.maker);
    if reading.side_only { moved.min(fit) } else { moved }
}

/// `σ(a · max(l, 0) + a′ · min(l, 0) + (b + m · b′) · decision + c)`, `l` the logit of `fit`
/// (clamped to 0.0001..0.9999), `m` 1 for a maker of the industry's core technology
/// ([`Reading::maker`]): [`crate::catalog::LexicalStack`].
pub fn stacked(s: LexicalStack, fit: f32, decision: f32, maker: bool) -> f32 {
    let l = logit(fit);
    let b = s.lexical_weight + if maker { s.maker_weight } else { 0.0 };
    let z = s.fit_weight * l.max(0.0) + s.low_fit_weight * l.min(0.0) + b * decision + s.bias;
    1.0 / (1.0 + (-z).exp())
}

/// `ln(p / (1 − p))` with `p` clamped to 0.0001..0.9999.
pub fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-4, 1.0 - 1e-4);
    (p / (1.0 - p)).ln()
}

/// Adds one occurrence of token `i` to the counts.
#[inline]
fn count_index(counts: &mut [u16], touched: &mut Vec<u32>, i: u32) {
    let c = &mut counts[i as usize];
    if *c == 0 {
        touched.push(i);
    }
    *c = c.saturating_add(1);
}

fn weights_of(table: &LexiconTable) -> Weights {
    let span = (CJK_LAST - CJK_FIRST + 1) as usize;
    let mut w = Weights {
        chars: vec![0; span],
        bias: table.bias,
        ..Weights::default()
    };
    for (t, idf, coef) in &table.tokens {
        let Some(tok) = Token::parse(t) else { continue };
        let i = w.idf.len() as u32;
        match tok {
            Token::Char(c) => match (c as u32)
                .checked_sub(CJK_FIRST)
                .and_then(|k| w.chars.get_mut(k as usize))
            {
                // A lexicon holds far fewer than 2^31 tokens: the index never reaches IN_PAIR.
                Some(slot) => *slot = (*slot & IN_PAIR) | (i + 1),
                None => continue,
            },
            Token::Pair(a, b) => {
                for c in [a, b] {
                    if let Some(slot) = (c as u32)
                        .checked_sub(CJK_FIRST)
                        .and_then(|k| w.chars.get_mut(k as usize))
                    {
                        *slot |= IN_PAIR;
                    }
                }
                w.others.insert(tok.key(), i);
            }
            Token::Word(_) => {
                w.others.insert(tok.key(), i);
            }
        }
        w.idf.push(*idf);
        w.coef.push(*coef);
    }
    w
}

/// Settings of [`fit`].
#[derive(Debug, Clone, Copy)]
pub struct FitOptions {
    /// Inverse L2 strength: the loss is `½‖w‖² + C · Σ log-loss` (as liblinear and scikit-learn).
    pub c: f64,
    /// A token must occur in at least this many training profiles.
    pub min_df: usize,
    /// Accelerated gradient steps.
    pub iterations: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            c: 3.0,
            min_df: 2,
            iterations: 1500,
        }
    }
}

/// One training profile: its tokens as (key, text).
pub type Doc = Vec<(u64, String)>;

/// Tokens of an analysed 经营范围 for training, its filler left out ([`Filler`]).
pub fn doc(filler: &Filler, scope: &str, maker: bool) -> Doc {
    let mut out = Vec::new();
    filler.each_part(scope, maker, |part| tokens(part, |t| out.push((t.key(), t.text()))));
    out
}

/// Fits the logistic model on `docs` with labels `y` (true = plan target): the vocabulary (tokens
/// in ≥ `min_df` profiles, none of `masked`), smoothed idf `ln((1 + n) / (1 + df)) + 1`, and the coefficients by
/// Nesterov-accelerated gradient descent on the L2-penalised log-loss (intercept unpenalised).
pub fn fit(docs: &[Doc], y: &[bool], masked: &FxHashSet<u64>, opts: FitOptions) -> LexiconTable {
    let n = docs.len();
    // Document frequency and the vocabulary, in a fixed order (first seen).
    let mut df: FxHashMap<u64, usize> = FxHashMap::default();
    let mut text_of: FxHashMap<u64, &str> = FxHashMap::default();
    let mut order: Vec<u64> = Vec::new();
    for d in docs {
        let mut seen = FxHashSet::default();
        for (k, t) in d {
            if seen.insert(*k) {
                let e = df.entry(*k).or_insert(0);
                if *e == 0 {
                    order.push(*k);
                    text_of.insert(*k, t);
                }
                *e += 1;
            }
        }
    }
    let vocab: Vec<u64> = order
        .into_iter()
        .filter(|k| df[k] >= opts.min_df && !masked.contains(k))
        .collect();
    let col: FxHashMap<u64, usize> = vocab.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let idf: Vec<f64> = vocab
        .iter()
        .map(|k| ((1.0 + n as f64) / (1.0 + df[k] as f64)).ln() + 1.0)
        .collect();
    // Unit-length TF-IDF rows.
    let rows: Vec<Vec<(usize, f64)>> = docs
        .iter()
        .map(|d| {
            let mut tf: FxHashMap<usize, usize> = FxHashMap::default();
            for (k, _) in d {
                if let Some(&c) = col.get(k) {
                    *tf.entry(c).or_insert(0) += 1;
                }
            }
            let mut row: Vec<(usize, f64)> = tf
                .into_iter()
                .map(|(c, f)| (c, (1.0 + (f as f64).ln()) * idf[c]))
                .collect();
            row.sort_by_key(|e| e.0);
            let norm = row.iter().map(|e| e.1 * e.1).sum::<f64>().sqrt();
            if norm > 0.0 {
                row.iter_mut().for_each(|e| e.1 /= norm);
            }
            row
        })
        .collect();
    let m = vocab.len();
    let target: Vec<f64> = y.iter().map(|&t| if t { 1.0 } else { 0.0 }).collect();
    // Gradient of ½‖w‖² + C Σ log-loss at (w, b).
    let grad = |w: &[f64], b: f64, gw: &mut [f64]| -> f64 {
        gw.copy_from_slice(w);
        let mut gb = 0.0;
        for (row, t) in rows.iter().zip(&target) {
            let z: f64 = row.iter().map(|&(c, x)| w[c] * x).sum::<f64>() + b;
            let r = opts.c * (1.0 / (1.0 + (-z).exp()) - t);
            for &(c, x) in row {
                gw[c] += r * x;
            }
            gb += r;
        }
        gb
    };
    // Every row has unit length, so the log-loss gradient is Lipschitz with L ≤ 1 + C·n·(1+1)/4.
    let l = 1.0 + opts.c * n as f64 / 2.0;
    let momentum = (l.sqrt() - 1.0) / (l.sqrt() + 1.0);
    let (mut w, mut b) = (vec![0.0f64; m], 0.0f64);
    let (mut w_prev, mut b_prev) = (w.clone(), b);
    let (mut look, mut gw) = (vec![0.0f64; m], vec![0.0f64; m]);
    for _ in 0..opts.iterations {
        for j in 0..m {
            look[j] = w[j] + momentum * (w[j] - w_prev[j]);
        }
        let look_b = b + momentum * (b - b_prev);
        let gb = grad(&look, look_b, &mut gw);
        w_prev.copy_from_slice(&w);
        b_prev = b;
        for j in 0..m {
            w[j] = look[j] - gw[j] / l;
        }
        b = look_b - gb / l;
    }
    LexiconTable {
        bias: b as f32,
        tokens: vocab
            .iter()
            .enumerate()
            .map(|(j, k)| (text_of[k].to_string(), idf[j] as f32, w[j] as f32))
            .collect(),
    }
}

/// The decision value of a training profile under a fitted table (out-of-fold scores).
pub fn decision_of(table: &LexiconTable, d: &Doc) -> Option<f32> {
    decisions_of(table, &[d])[0]
}

/// [`decision_of`] for many profiles under one table (the weights built once), through the same
/// code as scoring.
pub fn decisions_of(table: &LexiconTable, docs: &[&Doc]) -> Vec<Option<f32>> {
    let w = weights_of(table);
    docs.iter()
        .map(|d| w.decision_of_tokens(d.iter().filter_map(|(_, t)| Token::parse(t))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokens(&normalizer().analyze(text), |t| out.push(t.text()));
        out
    }

    #[test]
    fn tokens_are_characters_pairs_and_words() {
        assert_eq!(toks("云仓科技"), ["云", "仓", "云仓", "科", "仓科", "技", "科技"]);
        assert_eq!(toks("平台"), ["平", "台", "平台"]);
        let en = toks("Ledgerline Software");
        assert_eq!(en.len(), 2, "{en:?}");
    }

    #[test]
    fn places_and_legal_forms_never_enter_the_vocabulary() {
        let masked = masked_tokens(&Catalog::builtin().unwrap());
        let docs: Vec<Doc> = ["温州市鹿城区云仓科技有限公司", "Wenzhou Ledgerline Software Co., Ltd."]
            .iter()
            .map(|s| doc(&Filler::none(), &normalizer().analyze(s), false))
            .collect();
        let table = fit(
            &docs,
            &[true, false],
            &masked,
            FitOptions {
                min_df: 1,
                ..FitOptions::default()
            },
        );
        let vocab: Vec<&str> = table.tokens.iter().map(|t| t.0.as_str()).collect();
        for gone in ["温州", "鹿城", "城区", "有限", "公司", "wenzhou", "co", "ltd"] {
            assert!(!vocab.contains(&gone), "{gone}: {vocab:?}");
        }
        assert!(vocab.contains(&"云仓") && vocab.contains(&"科技"), "{vocab:?}");
    }

    #[test]
    fn registration_filler_is_left_out() {
        let f = Filler::new(&Catalog::builtin().unwrap());
        let scope = normalizer().analyze("一般项目：餐饮服务；技术服务、技术开发、技术咨询；软件开发。");
        let words: Vec<String> = doc(&f, &scope, false).into_iter().map(|t| t.1).collect();
        assert!(words.contains(&"餐饮".to_string()), "{words:?}");
        for gone in ["技术", "软件", "开发", "一般"] {
            assert!(!words.contains(&gone.to_string()), "{gone}: {words:?}");
        }
    }

    #[test]
    fn a_makers_words_of_making_and_selling_are_filler_only_for_a_core_maker() {
        let f = Filler::new(&Catalog::builtin().unwrap());
        let scope = normalizer().analyze("3D打印机的研发、生产和销售");
        let words = |maker| -> Vec<String> { doc(&f, &scope, maker).into_iter().map(|t| t.1).collect() };
        let (plain, maker) = (words(false), words(true));
        for w in ["生产", "销售"] {
            assert!(plain.contains(&w.to_string()), "{w}: {plain:?}");
            assert!(!maker.contains(&w.to_string()), "{w}: {maker:?}");
        }
        for w in ["打印", "研发"] {
            assert!(maker.contains(&w.to_string()), "{w}: {maker:?}");
        }
    }

    #[test]
    fn what_the_scope_denies_is_left_out() {
        let f = Filler::new(&Catalog::builtin().unwrap());
        let words = |text: &str| -> Vec<String> {
            let scope = normalizer().analyze(text);
            doc(&f, &scope, false).into_iter().map(|t| t.1).collect()
        };
        let has = |ws: &[String], w: &str| ws.contains(&w.to_string());
        // A negation cue: the rest of its clause.
        let w = words("电子元器件销售；不从事集成电路设计、物联网平台运营等业务；仓储服务");
        assert!(has(&w, "元器") && has(&w, "仓储"), "{w:?}");
        for gone in ["集成", "电路", "物联", "平台"] {
            assert!(!has(&w, gone), "{gone}: {w:?}");
        }
        // A closing cue: its clause up to the cue.
        let w = words("普通货物仓储服务；危险废物除外；装卸搬运");
        assert!(has(&w, "仓储") && has(&w, "装卸"), "{w:?}");
        assert!(!has(&w, "废物"), "{w:?}");
        // 的 closes what a negation denies.
        let w = words("没有中间商的跨境电商平台");
        assert!(!has(&w, "中间") && has(&w, "跨境"), "{w:?}");
        // An English negation runs on over an "…, or …" list; "not only" negates nothing.
        let w = words("We do not design chips, run IoT platforms, or offer blockchain services. We sell resistors.");
        assert!(has(&w, "resistor"), "{w:?}");
        for gone in ["chip", "iot", "blockchain"] {
            assert!(!has(&w, gone), "{gone}: {w:?}");
        }
        let w = words("We not only design chips but also test them.");
        assert!(has(&w, "chip"), "{w:?}");
    }

    #[test]
    fn a_token_parses_back_to_its_key() {
        for t in [Token::Char('云'), Token::Pair('云', '仓'), Token::Word("platform")] {
            assert_eq!(Token::parse(&t.text()).map(|p| p.key()), Some(t.key()));
        }
        assert_eq!(Token::parse("三个字"), None);
        assert_eq!(Token::parse("Up"), None);
    }

    #[test]
    fn the_fitted_model_separates_its_training_words() {
        let plan = [
            "按月订阅的仓储软件平台",
            "撮合货主与司机的平台",
            "按小时出租共享实验室",
            "回收废旧电池拆解再利用",
        ];
        let ordinary = ["皮鞋生产与销售", "阀门制造及批发", "五金配件加工销售", "服装生产加工"];
        let docs: Vec<Doc> = plan
            .iter()
            .chain(&ordinary)
            .map(|s| doc(&Filler::none(), &normalizer().analyze(s), false))
            .collect();
        let y: Vec<bool> = (0..8).map(|i| i < 4).collect();
        let table = fit(
            &docs,
            &y,
            &FxHashSet::default(),
            FitOptions {
                min_df: 1,
                ..FitOptions::default()
            },
        );
        let d: Vec<f32> = docs.iter().map(|d| decision_of(&table, d).unwrap()).collect();
        assert!(
            d[..4].iter().all(|&x| x > 0.0) && d[4..].iter().all(|&x| x < 0.0),
            "{d:?}"
        );
        // A table round-trips through the CSV and gives the same decisions.
        let again = LexiconTable::parse("lexicon.csv", &table.to_csv()).unwrap();
        let d2: Vec<f32> = docs.iter().map(|d| decision_of(&again, d).unwrap()).collect();
        assert!(d.iter().zip(&d2).all(|(a, b)| (a - b).abs() < 1e-3), "{d:?} {d2:?}");
    }

    #[test]
    fn scoring_and_training_read_a_profile_alike() {
        // The masked vocabulary drops pairs of place names (平阳) but keeps others holding their
        // characters (平台): the one-pass lookup of scoring must still find those.
        let masked = masked_tokens(&Catalog::builtin().unwrap());
        let texts = [
            "温州市鹿城区云仓科技有限公司",
            "按月订阅的仓储软件平台，温州市瓯海区平阳县",
            "Wenzhou Ledgerline Software Co., Ltd. sells subscriptions",
        ];
        let docs: Vec<Doc> = texts
            .iter()
            .map(|s| doc(&Filler::none(), &normalizer().analyze(s), false))
            .collect();
        let table = fit(
            &docs,
            &[true, true, false],
            &masked,
            FitOptions {
                min_df: 1,
                ..FitOptions::default()
            },
        );
        assert!(table.tokens.iter().any(|t| t.0 == "平台") && !table.tokens.iter().any(|t| t.0 == "平阳"));
        let w = weights_of(&table);
        // No known word: no decision (the layer leaves the fit alone).
        assert_eq!(w.decision(&Filler::none(), "  ", false), None);
        for (d, s) in docs.iter().zip(texts) {
            let scored = w.decision(&Filler::none(), &normalizer().analyze(s), false).unwrap();
            assert!((scored - decision_of(&table, d).unwrap()).abs() < 1e-5, "{s}");
        }
    }

    #[test]
    fn the_stack_is_monotone_in_the_fit_and_keeps_zero_evidence_low() {
        let s = LexicalStack {
            fit_weight: 1.0,
            low_fit_weight: 0.3,
            lexical_weight: 2.0,
            maker_weight: -1.5,
            bias: -1.0,
        };
        for maker in [false, true] {
            assert!(stacked(s, 0.3, 1.0, maker) < stacked(s, 0.5, 1.0, maker));
            assert!(stacked(s, 0.5, -1.0, maker) < stacked(s, 0.5, 1.0, maker));
            assert!((0.0..=1.0).contains(&stacked(s, 0.0, 0.0, maker)));
        }
        // A maker's words weigh less: the same negative decision lowers its fit less.
        assert!(stacked(s, 0.9, -1.0, true) > stacked(s, 0.9, -1.0, false));
        // A fit resting only on side roles is never raised.
        let side = Reading {
            side_only: true,
            maker: false,
        };
        assert!(applied(s, 0.2, 3.0, side) <= 0.2);
    }
}
