//! Matcher weights, fit calibration, verdict thresholds and the priority (优先级) settings
//! (`catalog/scoring.toml`), editable by staff and checked by `catalog check`.

use serde::{Deserialize, Serialize};

/// Everything in `scoring.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    pub matcher: MatcherWeights,
    /// Weight of a term in each clause role (the firm's own business weighs 1).
    #[serde(default)]
    pub roles: RoleWeights,
    pub calibration: Calibration,
    pub verdict: VerdictThresholds,
    /// `[lexical]`: how the lexical layer's score moves the calibrated fit (optional: without it,
    /// or without `lexicon.csv`, the layer is off).
    #[serde(default)]
    pub lexical: Option<LexicalStack>,
    /// `[priority]`: lead priority, money conversion and deduplication. Optional in the file: a
    /// missing section (or key) takes the defaults below, which equal the shipped file.
    #[serde(default)]
    pub priority: PriorityConfig,
}

/// `[roles]`: the factor on a term's weight in each clause role other than the firm's own business
/// (issue 13: a plan word naming a customer, channel, tool, fair, sideline, project or product
/// feature says little about what the firm does).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoleWeights {
    pub customer: f32,
    pub channel: f32,
    pub uses: f32,
    pub fair: f32,
    pub sideline: f32,
    pub project: f32,
    pub product: f32,
    /// A product the firm makes, in an industry whose makers are not its target (智能门锁生产:
    /// `makers_excluded` in the industry, `[roles] make` cues in terms.toml): by the labelling
    /// convention such a maker is not a plan firm at all, so little is left of the term.
    pub made: f32,
    pub training: f32,
    /// A term naming where the firm is (位于电竞小镇商业街的KTV).
    pub place: f32,
    /// A term found only in the company name, when the scope has plan terms of other industries.
    pub name_only: f32,
    /// Position: the factor lost per clause after the second in the business scope, and its floor
    /// (in a registration-style 经营范围 the main business comes first).
    pub position_step: f32,
    pub position_floor: f32,
    /// A multi-word English term whose words stand apart in one passage ("a marketplace for
    /// custom manufacturing" for *manufacturing marketplace*): this share of the term's weight.
    pub split: f32,
}

impl Default for RoleWeights {
    fn default() -> RoleWeights {
        RoleWeights {
            customer: 0.15,
            channel: 0.3,
            uses: 0.2,
            fair: 0.15,
            sideline: 0.2,
            project: 0.15,
            product: 0.3,
            made: 0.1,
            training: 0.3,
            place: 0.15,
            name_only: 0.3,
            position_step: 0.08,
            position_floor: 0.6,
            split: 0.6,
        }
    }
}

/// How term classes and industry codes weigh in a sector's raw score.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatcherWeights {
    /// Boost of a matched industry name (中文/英文名称).
    pub name: f32,
    /// Boost of a matched strong term.
    pub strong: f32,
    /// Boost of a matched supporting term.
    pub support: f32,
    /// Boost of a matched generic term (only beside a strong or supporting term).
    pub generic: f32,
    /// Share of supporting evidence kept when no strong term and only one supporting term matched.
    pub lone_support: f32,
    /// Bonus when the profile's GB/T 4754 class is one of the industry's core classes.
    pub code_core: f32,
    /// Bonus when it is one of the related classes.
    pub code_related: f32,
    /// Bonus when only the GB/T division (2 digits) agrees with a core class.
    pub code_division: f32,
    /// Share of the other industries' scores added to a sector's best industry.
    pub sector_others: f32,
    /// Least loose full-text score (BM25 of the profile's English words over the industry texts)
    /// for a sector with no catalogue term to be listed at all. Loose scores only order sectors
    /// (top-3 candidates); they never raise the fit.
    pub loose_min: f32,
    /// Factor on a term found only in a trading clause ("…销售", "…批发").
    pub trade: f32,
    /// Sectors whose business is trade itself, where trading clauses count in full.
    #[serde(default)]
    pub trade_exempt_sectors: Vec<String>,
}

/// Logistic calibration of a sector's raw score into `fit` (0..1):
/// `fit = 1 / (1 + exp(-z))` with
/// `z = bias + raw_weight·ln(1 + raw) + negative_weight·min(negative_groups, 2)
///      + name_negative_weight·[name says a traditional industry] + name_positive_weight·[name holds
///      a strong term of the matched industry] + strong_weight·min(strong_terms, 3)`,
/// where `negative_groups` counts the counter-evidence groups (`terms.toml`) found in the profile
/// (in its name, its first two clauses or its declared industry), and further terms of
/// [`crate::matcher::fit_features`] (primary, coverage, loose, late counter-evidence).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    pub bias: f32,
    pub raw_weight: f32,
    pub negative_weight: f32,
    pub name_negative_weight: f32,
    pub name_positive_weight: f32,
    pub strong_weight: f32,
    /// The sector's own-business evidence stands in the first two clauses of the scope.
    #[serde(default)]
    pub primary_weight: f32,
    /// Share of the scope clauses with evidence that hold the sector's (against counter-evidence).
    #[serde(default)]
    pub coverage_weight: f32,
    /// The first clause of the scope holds counter-evidence (a traditional main business).
    #[serde(default)]
    pub negative_primary_weight: f32,
    /// ln(1 + loose): English words over the industry's description.
    #[serde(default)]
    pub loose_weight: f32,
    /// Counter-evidence groups found only after the second clause of the scope (a sideline of a
    /// plan firm as often as a traditional firm's business): min(groups, 2). Such groups do not
    /// count in `negative_weight`.
    #[serde(default)]
    pub late_negative_weight: f32,
}

impl Calibration {
    /// The coefficients in the order of `crate::matcher::fit_features`.
    pub fn coefficients(&self) -> [f32; 11] {
        [
            self.bias,
            self.raw_weight,
            self.negative_weight,
            self.name_negative_weight,
            self.name_positive_weight,
            self.strong_weight,
            self.primary_weight,
            self.coverage_weight,
            self.negative_primary_weight,
            self.loose_weight,
            self.late_negative_weight,
        ]
    }
}

/// `[lexical]`: the fit after the lexical layer is `σ(z)` with
/// `z = fit_weight · max(l, 0) + low_fit_weight · min(l, 0) + lexical_weight · lexical + bias`,
/// where `l = logit(fit)` of the calibrated fit of `[calibration]` (clamped to 0.0001..0.9999) and
/// `lexical` is the decision value of the word model in `lexicon.csv`. The logit is split at 0 so
/// that a sure fit (strong catalogue evidence) and an unsure one weigh differently against the
/// words. Monotone in the fit: the order of sectors never changes, only how sure the fit is.
/// Fitted by `leadmatch eval --train-lexical` on out-of-fold lexical scores of the tuning rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexicalStack {
    pub fit_weight: f32,
    pub low_fit_weight: f32,
    pub lexical_weight: f32,
    /// Added to `lexical_weight` for a maker of the best industry's core technology
    /// (`crate::matcher::lexical::Reading::maker`); 0 when absent.
    #[serde(default)]
    pub maker_weight: f32,
    pub bias: f32,
}

/// Verdict thresholds on `fit`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictThresholds {
    /// `fit` at or above this is `target`.
    pub target: f32,
    /// `fit` at or above this (and below `target`) is `possible`.
    pub possible: f32,
}

/// `[priority]`: how a lead's priority (`priority.score` 0..100 and tier A–D) is computed from its
/// fit and the plan's own yardsticks (温政办〔2019〕50号). See `crate::lead::prioritize`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct PriorityConfig {
    pub weights: PriorityWeights,
    pub tiers: TierThresholds,
    pub revenue: RevenueYardsticks,
    pub capital: CapitalScale,
    pub signals: SignalTerms,
    pub currency: Currencies,
    pub names: NameMatching,
}

/// `[priority.weights]`: points each signal adds to the score (the sum is capped at 100).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PriorityWeights {
    /// Points at fit 1.0 (scaled linearly by fit): the dominant input.
    pub fit: f64,
    /// Points for reaching the top revenue yardstick (lower yardsticks give a share).
    pub revenue: f64,
    /// Points for registered capital at or above `[priority.capital] full` (log scale below).
    pub capital: f64,
    /// A company the plan names (`companies.toml`: 阿里巴巴, 腾讯 …).
    pub named_company: f64,
    /// 综合总部 / 区域总部 / 功能总部 / 总部.
    pub headquarters: f64,
    /// 世界500强 / Fortune 500.
    pub fortune500: f64,
    /// 行业百强 / industry top 100.
    pub industry_top100: f64,
    /// 上市 / listed.
    pub listed: f64,
    /// 独角兽 / 潜在独角兽 / unicorn.
    pub unicorn: f64,
    /// 温商回归 / 温商.
    pub returning: f64,
    /// 高新技术企业.
    pub high_tech: f64,
    /// 专精特新 / 小巨人.
    pub specialised: f64,
}

impl Default for PriorityWeights {
    fn default() -> Self {
        PriorityWeights {
            fit: 50.0,
            revenue: 20.0,
            capital: 5.0,
            named_company: 15.0,
            headquarters: 8.0,
            fortune500: 10.0,
            industry_top100: 6.0,
            listed: 6.0,
            unicorn: 8.0,
            returning: 6.0,
            high_tech: 3.0,
            specialised: 3.0,
        }
    }
}

/// `[priority.tiers]`: lowest score of tiers A, B and C (below `c` is D).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TierThresholds {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

impl Default for TierThresholds {
    fn default() -> Self {
        TierThresholds {
            a: 70.0,
            b: 45.0,
            c: 25.0,
        }
    }
}

/// `[priority.revenue]`: the plan's revenue yardsticks, in 亿元 (1 亿元 = 100 million yuan),
/// highest first. Reaching the highest gives all of `weights.revenue`; each lower one a smaller
/// share (for n yardsticks: 1, (n-1)/n, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RevenueYardsticks {
    /// 一（二）: 主营业务收入超100亿元、50亿元的新业态企业 — applies to every sector.
    pub new_business: Vec<f64>,
    /// 二（二）4: 网络零售额超10亿级、超1亿级电商平台企业 — for `e_commerce_sectors`.
    pub e_commerce: Vec<f64>,
    pub e_commerce_sectors: Vec<u32>,
    /// 二（二）5: 年营业收入100亿元以上的商贸流通企业 — for `commerce_circulation_sectors`.
    pub commerce_circulation: Vec<f64>,
    pub commerce_circulation_sectors: Vec<u32>,
}

impl Default for RevenueYardsticks {
    fn default() -> Self {
        RevenueYardsticks {
            new_business: vec![100.0, 50.0],
            e_commerce: vec![10.0, 1.0],
            e_commerce_sectors: vec![4],
            commerce_circulation: vec![100.0],
            commerce_circulation_sectors: vec![5],
        }
    }
}

/// `[priority.capital]`: registered capital (注册资本) as a size signal, in 亿元, on a log scale:
/// nothing at or below `floor`, all of `weights.capital` at or above `full`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CapitalScale {
    pub floor: f64,
    pub full: f64,
}

impl Default for CapitalScale {
    fn default() -> Self {
        CapitalScale {
            floor: 0.01,
            full: 10.0,
        }
    }
}

/// `[priority.signals]`: words that mark a status the plan looks for. Searched in the profile's
/// tags and name (and, for `headquarters_scope`, in the business scope), after normalisation
/// (simplified, half-width, lower-case; English on whole words). A match directly preceded by one
/// of `negations` (非上市, 未上市, 拟上市) does not count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignalTerms {
    pub headquarters: Vec<String>,
    pub headquarters_scope: Vec<String>,
    pub fortune500: Vec<String>,
    pub industry_top100: Vec<String>,
    pub listed: Vec<String>,
    pub unicorn: Vec<String>,
    pub returning: Vec<String>,
    pub high_tech: Vec<String>,
    pub specialised: Vec<String>,
    pub negations: Vec<String>,
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_string()).collect()
}

impl Default for SignalTerms {
    fn default() -> Self {
        SignalTerms {
            headquarters: strings(&[
                "综合总部",
                "区域总部",
                "功能总部",
                "地区总部",
                "贸易总部",
                "总部",
                "headquarters",
            ]),
            headquarters_scope: strings(&["综合总部", "区域总部", "功能总部", "地区总部", "企业总部管理"]),
            fortune500: strings(&[
                "世界500强",
                "世界五百强",
                "财富500强",
                "财富世界500强",
                "fortune 500",
                "global 500",
            ]),
            industry_top100: strings(&[
                "行业百强",
                "行业100强",
                "百强企业",
                "中国500强",
                "中国企业500强",
                "民营企业500强",
                "top 100",
            ]),
            listed: strings(&[
                "上市",
                "a股",
                "港股",
                "美股",
                "主板",
                "创业板",
                "科创板",
                "北交所",
                "nasdaq",
                "nyse",
                "hkex",
                "listed",
            ]),
            unicorn: strings(&["独角兽", "潜在独角兽", "准独角兽", "unicorn"]),
            returning: strings(&["温商回归", "温商", "温州人经济", "回归项目"]),
            high_tech: strings(&["高新技术企业", "国家高新", "高新企业", "high-tech enterprise"]),
            specialised: strings(&["专精特新", "小巨人", "单项冠军"]),
            negations: strings(&["非", "未", "拟", "不", "待"]),
        }
    }
}

/// `[priority.currency]`: yuan per unit of each foreign currency, for converting registered
/// capital and revenue written in other currencies. Approximate; edit when rates move.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Currencies {
    pub usd: f64,
    pub hkd: f64,
    pub eur: f64,
    pub jpy: f64,
    /// New Taiwan dollar (新臺幣).
    pub twd: f64,
    pub gbp: f64,
    pub aud: f64,
    pub cad: f64,
    pub sgd: f64,
    /// Macau pataca (澳门元).
    pub mop: f64,
}

impl Default for Currencies {
    fn default() -> Self {
        Currencies {
            usd: 7.1,
            hkd: 0.91,
            eur: 7.7,
            jpy: 0.048,
            twd: 0.22,
            gbp: 9.0,
            aud: 4.7,
            cad: 5.2,
            sgd: 5.3,
            mop: 0.88,
        }
    }
}

/// `[priority.names]`: similarity thresholds (strsim Jaro–Winkler, 0..1) on normalised company
/// names, for deduplication and for recognising the companies the plan names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NameMatching {
    /// Two names merge as one company when their normalised names (place names aside) are at
    /// least this similar AND their distinctive cores (字号) agree.
    pub dedup_similarity: f64,
    /// Cores of 5+ characters (English names) may differ by a typo: they agree at this
    /// similarity. Shorter (Chinese) cores must be identical: 华信 ≠ 华鑫.
    pub core_similarity: f64,
    /// A profile name is a company the plan names when it is at least this similar to one of
    /// its names or aliases and has the same core.
    pub named_similarity: f64,
    /// At most this many earlier companies are compared per blocking key (bounds the cost of
    /// near-duplicate search on very long lists).
    pub block_cap: usize,
}

impl Default for NameMatching {
    fn default() -> Self {
        NameMatching {
            dedup_similarity: 0.9,
            core_similarity: 0.9,
            named_similarity: 0.9,
            block_cap: 64,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::{Catalog, CatalogSource, PriorityConfig};
    use crate::error::Error;

    /// The built-in catalogue with `scoring.toml` edited by `edit`.
    fn edited(edit: impl Fn(&str) -> String) -> CatalogSource {
        let mut source = CatalogSource::embedded();
        let f = source
            .files
            .iter_mut()
            .find(|f| f.path == "scoring.toml")
            .expect("scoring.toml");
        f.text = edit(&f.text);
        source
    }

    fn line_of(source: &CatalogSource, needle: &str) -> usize {
        let text = &source.files.iter().find(|f| f.path == "scoring.toml").unwrap().text;
        text[..text.find(needle).unwrap()].matches('\n').count() + 1
    }

    #[test]
    fn shipped_priority_section_equals_the_defaults() {
        let catalog = Catalog::builtin().unwrap();
        assert_eq!(catalog.scoring.priority, PriorityConfig::default());
    }

    #[test]
    fn a_missing_priority_section_takes_the_defaults() {
        let source = edited(|t| {
            let at = t.find("priority (优先级)").expect("priority section");
            t[..t[..at].rfind('\n').unwrap()].to_string()
        });
        let catalog = Catalog::load(&source).unwrap();
        assert_eq!(catalog.scoring.priority, PriorityConfig::default());
    }

    #[test]
    fn an_unknown_priority_key_names_file_line_and_key() {
        let source = edited(|t| t.replacen("fit = 50.0", "fit = 50.0\nfti = 3.0", 1));
        let want_line = line_of(&source, "fti = 3.0");
        match Catalog::load(&source) {
            Err(e @ Error::CatalogSyntax { .. }) => {
                let Error::CatalogSyntax {
                    ref file,
                    line,
                    ref message,
                } = e
                else {
                    unreachable!()
                };
                assert_eq!(file, "scoring.toml");
                assert_eq!(line, want_line, "{e}");
                assert!(message.contains("fti"), "{e}");
                let shown = e.to_string();
                assert!(shown.contains("scoring.toml") && shown.contains("fti"), "{shown}");
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
        // A typo'd section name too.
        let source = edited(|t| t.replacen("[priority.currency]", "[priority.curency]", 1));
        let e = Catalog::load(&source).unwrap_err().to_string();
        assert!(e.contains("scoring.toml") && e.contains("curency"), "{e}");
    }

    #[test]
    fn bad_priority_values_are_reported_with_their_line() {
        let source = edited(|t| {
            t.replacen("a = 70.0", "a = 20.0", 1)
                .replacen("usd = 7.1", "usd = 0.0", 1)
                .replacen("named_similarity = 0.9", "named_similarity = 1.5", 1)
                .replacen("e_commerce_sectors = [4]", "e_commerce_sectors = [13]", 1)
        });
        let problems = Catalog::check_source(&source).unwrap();
        for (needle, line_text) in [
            ("[priority.tiers]", "a = 20.0"),
            ("[priority.currency] usd", "usd = 0.0"),
            ("[priority.names] named_similarity", "named_similarity = 1.5"),
            ("no sector numbered 13", "e_commerce_sectors = [13]"),
        ] {
            let p = problems
                .iter()
                .find(|p| p.message.contains(needle))
                .unwrap_or_else(|| panic!("no problem about {needle}: {problems:?}"));
            assert_eq!(p.file, "scoring.toml");
            assert_eq!(p.line, line_of(&source, line_text), "{p}");
        }
    }
}
