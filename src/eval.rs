//! Measuring matching quality on a labeled JSONL file (`leadmatch eval`): top-1/top-3/MRR on the
//! targets, how many targets are accepted and non-targets rejected, per-sector precision and
//! recall, a breakdown by language, and every miss with what was predicted and why.
//!
//! `Subset` splits a file deterministically by a hash of each row's `id` into a tuning part
//! (70%) and a held-out part (30%) that weights and thresholds must not be tuned on.

use crate::error::{Error, Result};
use crate::lead::Profile;
use crate::matcher::{FitContext, Matcher, SectorScore, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One labeled profile.
#[derive(Debug, Clone, Deserialize)]
pub struct Labeled {
    #[serde(flatten)]
    pub profile: Profile,
    /// Plan sector numbers, primary first; `[0]` = not a target.
    pub gold: Vec<u32>,
    #[serde(default)]
    pub lang: Option<String>,
    /// The label needs judgement: a look-alike or a paraphrase (`../shared/eval/README.md`).
    #[serde(default)]
    pub hard: bool,
}

/// Which rows to evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Subset {
    #[default]
    All,
    /// The 70% used to set weights and thresholds.
    Tune,
    /// The 30% never tuned on.
    Holdout,
}

impl Subset {
    /// Deterministic membership by a hash of the row's id (or its name when it has none).
    pub fn contains(self, l: &Labeled) -> bool {
        let key = l.profile.id.clone().unwrap_or_else(|| l.profile.name.clone());
        let h = blake3::hash(key.as_bytes()).as_bytes()[0] as u32 * 100 / 256;
        match self {
            Subset::All => true,
            Subset::Tune => h >= 30,
            Subset::Holdout => h < 30,
        }
    }
}

/// Reads a labeled JSONL file; a bad line is an error naming its line number.
pub fn read_labeled(path: &std::path::Path) -> Result<Vec<Labeled>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
        path: path.display().to_string(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let l: Labeled = serde_json::from_str(line).map_err(|e| {
            // serde_json says "at line 1 column N" of the one line it was given: keep the column.
            let what = e.to_string();
            let what = what.rsplit_once(" at line ").map_or(what.as_str(), |(w, _)| w);
            Error::Input(format!(
                "{}:{}: 标注行无效 invalid labeled line (column {}): {what}",
                path.display(),
                i + 1,
                e.column()
            ))
        })?;
        let bad = |why: String| Error::Input(format!("{}:{}: {why}", path.display(), i + 1));
        if l.gold.is_empty() {
            return Err(bad("标注为空 empty `gold` (use [0] for a non-target)".into()));
        }
        if let Some(&g) = l.gold.iter().find(|&&g| g > 12) {
            return Err(bad(format!(
                "标注项目无效 `gold` holds {g}: the plan's items are 1–12 (0 = not a target)"
            )));
        }
        if l.gold.len() > 1 && l.gold.contains(&0) {
            return Err(bad(format!(
                "标注自相矛盾 `gold` {:?} says both \"not a target\" (0) and a plan item: write [0] alone or the items alone",
                l.gold
            )));
        }
        if l.profile.name.trim().is_empty() && l.profile.scope.trim().is_empty() {
            return Err(bad(
                "没有企业名称和经营范围 neither `name` nor `scope` holds text (the profile keys are name, scope, industry …)".into(),
            ));
        }
        out.push(l);
    }
    Ok(out)
}

/// The headline numbers (interface.md, "Evaluation file").
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Metrics {
    pub n: usize,
    pub targets: usize,
    pub non_targets: usize,
    pub top1: f64,
    pub top3: f64,
    pub mrr: f64,
    pub targets_accepted: f64,
    pub non_targets_rejected: f64,
    /// ROC AUC of `fit` between targets and non-targets: the chance that a random target gets a
    /// higher fit than a random non-target (ties count half). `None` (JSON `null`, table `n/a`)
    /// when the rows hold no targets or no non-targets: there is nothing to order.
    #[serde(default)]
    pub roc_auc: Option<f64>,
    /// Precision of the accepted leads (`target` or `possible`) if one company in ten were a
    /// target: 0.1·accepted / (0.1·accepted + 0.9·(1 − rejected)). `None` without targets or
    /// without non-targets.
    #[serde(default)]
    pub precision_at_base_rate: Option<f64>,
    /// The same for the `target` verdict alone.
    #[serde(default)]
    pub target_precision_at_base_rate: Option<f64>,
}

/// Precision and recall of the best match for one sector.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SectorMetrics {
    pub sector_no: u32,
    pub sector_id: String,
    pub support: usize,
    pub predicted: usize,
    pub precision: f64,
    pub recall: f64,
}

/// A profile the matcher got wrong.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Miss {
    pub id: Option<String>,
    pub name: String,
    pub lang: Option<String>,
    pub gold: Vec<u32>,
    pub verdict: Verdict,
    pub fit: f32,
    /// Predicted sectors, best first.
    pub predicted: Vec<u32>,
    pub industry: Option<String>,
    pub evidence: Vec<String>,
    pub counter_evidence: Vec<String>,
    /// `wrong_sector`, `rejected_target` or `accepted_non_target`.
    pub kind: String,
}

/// The full evaluation report.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Report {
    #[serde(flatten)]
    pub metrics: Metrics,
    pub subset: String,
    pub by_lang: BTreeMap<String, Metrics>,
    pub per_sector: Vec<SectorMetrics>,
    pub misses: Vec<Miss>,
}

#[derive(Default)]
struct Tally {
    n: usize,
    targets: usize,
    non_targets: usize,
    top1: usize,
    top3: usize,
    rr: f64,
    accepted: usize,
    rejected: usize,
    /// Targets given `target`, and non-targets given `target`.
    strict_accepted: usize,
    strict_false: usize,
    target_fits: Vec<f32>,
    non_target_fits: Vec<f32>,
}

/// Precision at a base rate of one target in ten, from the true and false acceptance rates.
fn precision_at_base_rate(tpr: f64, fpr: f64) -> f64 {
    let (tp, fp) = (0.1 * tpr, 0.9 * fpr);
    if tp + fp == 0.0 { 0.0 } else { round4(tp / (tp + fp)) }
}

/// ROC AUC by pairwise comparison (ties count half); `None` when either side is empty.
fn roc_auc(pos: &[f32], neg: &[f32]) -> Option<f64> {
    if pos.is_empty() || neg.is_empty() {
        return None;
    }
    let mut neg = neg.to_vec();
    neg.sort_by(|a, b| a.total_cmp(b));
    let mut wins = 0.0f64;
    for &p in pos {
        let below = neg.partition_point(|&n| n < p);
        let equal = neg[below..].partition_point(|&n| n <= p);
        wins += below as f64 + 0.5 * equal as f64;
    }
    Some(round4(wins / (pos.len() as f64 * neg.len() as f64)))
}

impl Tally {
    fn metrics(&self) -> Metrics {
        let r = |a: f64, b: usize| if b == 0 { 0.0 } else { round4(a / b as f64) };
        Metrics {
            n: self.n,
            targets: self.targets,
            non_targets: self.non_targets,
            top1: r(self.top1 as f64, self.targets),
            top3: r(self.top3 as f64, self.targets),
            mrr: r(self.rr, self.targets),
            targets_accepted: r(self.accepted as f64, self.targets),
            non_targets_rejected: r(self.rejected as f64, self.non_targets),
            roc_auc: roc_auc(&self.target_fits, &self.non_target_fits),
            precision_at_base_rate: if self.targets == 0 || self.non_targets == 0 {
                None
            } else {
                Some(precision_at_base_rate(
                    self.accepted as f64 / self.targets as f64,
                    1.0 - self.rejected as f64 / self.non_targets as f64,
                ))
            },
            target_precision_at_base_rate: if self.targets == 0 || self.non_targets == 0 {
                None
            } else {
                Some(precision_at_base_rate(
                    self.strict_accepted as f64 / self.targets as f64,
                    self.strict_false as f64 / self.non_targets as f64,
                ))
            },
        }
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Evaluates the matcher on labeled rows.
pub fn evaluate(matcher: &Matcher, rows: &[Labeled], subset: Subset) -> Report {
    let catalog = matcher.catalog();
    let mut all = Tally::default();
    let mut by_lang: BTreeMap<String, Tally> = BTreeMap::new();
    let mut sector_support: BTreeMap<u32, usize> = BTreeMap::new();
    let mut sector_pred: BTreeMap<u32, usize> = BTreeMap::new();
    let mut sector_hit: BTreeMap<u32, usize> = BTreeMap::new();
    let mut misses = Vec::new();
    for l in rows.iter().filter(|l| subset.contains(l)) {
        let r = matcher.score(&l.profile);
        let predicted: Vec<u32> = r.matches.iter().map(|m| m.sector_no).collect();
        let primary = l.gold[0];
        let lang = l.lang.clone().unwrap_or_else(|| "unknown".to_string());
        let lt = by_lang.entry(lang).or_default();
        let best = if r.verdict == Verdict::None {
            None
        } else {
            predicted.first().copied()
        };
        if let Some(b) = best {
            *sector_pred.entry(b).or_default() += 1;
        }
        let mut kind = None;
        for t in [&mut all, lt] {
            t.n += 1;
            if primary == 0 {
                t.non_targets += 1;
                t.non_target_fits.push(r.fit);
                t.strict_false += usize::from(r.verdict == Verdict::Target);
                if r.verdict == Verdict::None {
                    t.rejected += 1;
                } else {
                    kind = Some("accepted_non_target");
                }
            } else {
                t.targets += 1;
                t.target_fits.push(r.fit);
                t.strict_accepted += usize::from(r.verdict == Verdict::Target);
                // A company that fits two items (an accelerator is 11 and 8) is right in either
                // order (`../shared/eval/README.md`): the rank of the first gold item predicted.
                let rank = predicted.iter().position(|s| l.gold.contains(s));
                if rank == Some(0) {
                    t.top1 += 1;
                } else {
                    kind = Some("wrong_sector");
                }
                if rank.is_some_and(|k| k < 3) {
                    t.top3 += 1;
                }
                if let Some(k) = rank {
                    t.rr += 1.0 / (k as f64 + 1.0);
                }
                if r.verdict != Verdict::None {
                    t.accepted += 1;
                } else if kind.is_none() {
                    kind = Some("rejected_target");
                }
            }
        }
        if primary != 0 {
            *sector_support.entry(primary).or_default() += 1;
            if best == Some(primary) {
                *sector_hit.entry(primary).or_default() += 1;
            }
        }
        if let Some(kind) = kind {
            let top = r.matches.first();
            misses.push(Miss {
                id: l.profile.id.clone(),
                name: l.profile.name.clone(),
                lang: l.lang.clone(),
                gold: l.gold.clone(),
                verdict: r.verdict,
                fit: r.fit,
                predicted: predicted.iter().take(3).copied().collect(),
                industry: top.map(|m| m.industry_id.clone()),
                evidence: top.map(|m| m.evidence.clone()).unwrap_or_default(),
                counter_evidence: r.counter_evidence.clone(),
                kind: kind.to_string(),
            });
        }
    }
    let per_sector = catalog
        .sectors
        .iter()
        .map(|s| {
            let support = sector_support.get(&s.no).copied().unwrap_or(0);
            let predicted = sector_pred.get(&s.no).copied().unwrap_or(0);
            let hit = sector_hit.get(&s.no).copied().unwrap_or(0) as f64;
            SectorMetrics {
                sector_no: s.no,
                sector_id: s.id.clone(),
                support,
                predicted,
                precision: if predicted == 0 {
                    0.0
                } else {
                    round4(hit / predicted as f64)
                },
                recall: if support == 0 {
                    0.0
                } else {
                    round4(hit / support as f64)
                },
            }
        })
        .collect();
    Report {
        metrics: all.metrics(),
        subset: format!("{subset:?}").to_lowercase(),
        by_lang: by_lang.into_iter().map(|(k, v)| (k, v.metrics())).collect(),
        per_sector,
        misses,
    }
}

/// One row of features for calibration: the best sector's raw score, its specific-term count,
/// the counter-evidence groups, and whether that best sector is right (gold contains it).
#[derive(Debug, Clone, Copy)]
pub struct CalibrationRow {
    pub features: [f64; NFEAT],
    pub correct: bool,
}

/// Number of calibration coefficients (the order of `[calibration]` in scoring.toml).
pub use crate::matcher::NFEAT;

fn features(s: Option<&SectorScore>, ctx: FitContext) -> [f64; NFEAT] {
    crate::matcher::fit_features(s, ctx)
}

/// Features of the best sector for every labeled row in `subset`.
pub fn calibration_rows(matcher: &Matcher, rows: &[Labeled], subset: Subset) -> Vec<CalibrationRow> {
    rows.iter()
        .filter(|l| subset.contains(l))
        .map(|l| {
            let (sectors, ctx) = matcher.sector_scores(&l.profile);
            let best = sectors.first();
            CalibrationRow {
                features: features(best, ctx),
                // What `fit` answers: is this company a plan target (its best sector among its
                // gold sectors or not; top1 and top3 measure the sector apart).
                correct: best.is_some() && l.gold[0] != 0,
            }
        })
        .collect()
}

/// Fits the logistic calibration (the coefficients of `[calibration]`, in order) by Newton's
/// method with a small ridge penalty on everything but the bias.
pub fn fit_calibration(rows: &[CalibrationRow]) -> [f64; NFEAT] {
    let xs: Vec<[f64; NFEAT]> = rows.iter().map(|r| r.features).collect();
    let y: Vec<bool> = rows.iter().map(|r| r.correct).collect();
    fit_logistic(&xs, &y, 0.1)
}

/// For thresholds 0.05, 0.10 … 0.95 on the calibrated fit: (threshold, share of targets at or
/// above it, share of non-targets below it, share of all rows whose best sector is right and at
/// or above it). Used to set the `target` / `possible` thresholds from the dev set.
pub fn threshold_sweep(rows: &[CalibrationRow], is_target: &[bool], w: [f64; NFEAT]) -> Vec<(f64, f64, f64)> {
    let fits: Vec<f64> = rows
        .iter()
        .map(|r| {
            let z: f64 = (0..NFEAT).map(|k| w[k] * r.features[k]).sum();
            1.0 / (1.0 + (-z).exp())
        })
        .collect();
    let targets = is_target.iter().filter(|t| **t).count().max(1) as f64;
    let non = is_target.iter().filter(|t| !**t).count().max(1) as f64;
    (1..20)
        .map(|k| {
            let t = k as f64 * 0.05;
            let acc = fits.iter().zip(is_target).filter(|(f, it)| **it && **f >= t).count() as f64 / targets;
            let rej = fits.iter().zip(is_target).filter(|(f, it)| !**it && **f < t).count() as f64 / non;
            (round4(t), round4(acc), round4(rej))
        })
        .collect()
}

/// Cross-validated verdict quality: the rows are split into `k` folds by a hash of their id; for
/// each fold the calibration is fitted and the `possible` threshold chosen (best sum of targets
/// accepted and non-targets rejected) on the other folds, then applied to the fold.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CrossValidation {
    pub folds: usize,
    pub targets_accepted: f64,
    pub non_targets_rejected: f64,
    /// The threshold chosen in each fold.
    pub thresholds: Vec<f64>,
}

fn fold_of(l: &Labeled, k: usize) -> usize {
    let key = l.profile.id.clone().unwrap_or_else(|| l.profile.name.clone());
    let h = blake3::hash(key.as_bytes());
    u32::from_le_bytes([h.as_bytes()[4], h.as_bytes()[5], h.as_bytes()[6], h.as_bytes()[7]]) as usize % k
}

/// Runs `k`-fold cross-validation of the calibration and the verdict threshold.
pub fn cross_validate(matcher: &Matcher, rows: &[Labeled], k: usize) -> CrossValidation {
    let k = k.max(2);
    let feats = calibration_rows(matcher, rows, Subset::All);
    let folds: Vec<usize> = rows.iter().map(|l| fold_of(l, k)).collect();
    let is_target: Vec<bool> = rows.iter().map(|l| l.gold[0] != 0).collect();
    let (mut acc, mut tgt, mut rej, mut non) = (0usize, 0usize, 0usize, 0usize);
    let mut thresholds = Vec::new();
    for f in 0..k {
        let train: Vec<CalibrationRow> = feats
            .iter()
            .zip(&folds)
            .filter(|(_, fo)| **fo != f)
            .map(|(r, _)| *r)
            .collect();
        let train_target: Vec<bool> = is_target
            .iter()
            .zip(&folds)
            .filter(|(_, fo)| **fo != f)
            .map(|(t, _)| *t)
            .collect();
        let w = fit_calibration(&train);
        let best = threshold_sweep(&train, &train_target, w)
            .into_iter()
            .max_by(|a, b| (a.1 + a.2).total_cmp(&(b.1 + b.2)).then(b.0.total_cmp(&a.0)))
            .map_or(0.5, |t| t.0);
        thresholds.push(best);
        for ((r, t), fo) in feats.iter().zip(&is_target).zip(&folds) {
            if *fo != f {
                continue;
            }
            let z: f64 = (0..NFEAT).map(|i| w[i] * r.features[i]).sum();
            let fit = 1.0 / (1.0 + (-z).exp());
            if *t {
                tgt += 1;
                acc += usize::from(fit >= best);
            } else {
                non += 1;
                rej += usize::from(fit < best);
            }
        }
    }
    CrossValidation {
        folds: k,
        targets_accepted: round4(acc as f64 / tgt.max(1) as f64),
        non_targets_rejected: round4(rej as f64 / non.max(1) as f64),
        thresholds,
    }
}

/// What `eval --train-lexical` fitted and measured (all measures out of fold).
#[derive(Debug, Clone)]
pub struct LexicalTraining {
    /// The word weights fitted on every chosen row (`catalog/lexicon.csv`).
    pub table: crate::catalog::LexiconTable,
    /// The map onto the fit (`[lexical]` of scoring.toml), fitted on out-of-fold decisions.
    pub stack: crate::catalog::LexicalStack,
    pub rows: usize,
    pub folds: usize,
    /// ROC AUC of the fit without the layer, of the lexical decision alone and of the stacked fit.
    pub auc_base: f64,
    pub auc_lexical: f64,
    pub auc_stacked: f64,
    /// (threshold, accepted, rejected) without and with the layer, at the `possible` threshold.
    pub base_at_possible: (f64, f64, f64),
    pub stacked_at_possible: (f64, f64, f64),
    /// The same without the side-role rule (every fit may rise), and how many rows it holds.
    pub ungated_at_possible: (f64, f64, f64),
    pub side_only_rows: usize,
    /// Rows whose best industry's core technology the firm makes ([`lexical::Reading::maker`]).
    pub maker_rows: usize,
}

/// Trains the lexical layer on the rows of `subset`: out-of-fold decisions (`folds` folds by id
/// hash) fit the stack on the fit of `matcher` — which must have its own layer off
/// ([`Matcher::take_lexical`]) — and the word weights are then fitted on every chosen row.
///
/// Errors: [`Error::Input`] when the chosen rows hold no targets or no non-targets (a logistic
/// model of one class learns nothing).
pub fn train_lexical(
    matcher: &Matcher,
    rows: &[Labeled],
    subset: Subset,
    folds: usize,
    opts: crate::matcher::lexical::FitOptions,
) -> Result<LexicalTraining> {
    use crate::matcher::lexical::{self, Doc};
    use rayon::prelude::*;
    let chosen: Vec<&Labeled> = rows.iter().filter(|l| subset.contains(l)).collect();
    let y: Vec<bool> = chosen.iter().map(|l| l.gold[0] != 0).collect();
    let targets = y.iter().filter(|t| **t).count();
    if targets == 0 || targets == y.len() {
        return Err(Error::Input(format!(
            "训练词汇层需要目标企业和非目标企业两类 the lexical layer needs both targets and non-targets to learn from; \
             the rows hold {targets} targets and {} non-targets: add rows labelled [0] and rows labelled with a plan item",
            y.len() - targets
        )));
    }
    let k = folds.max(2);
    let masked = lexical::masked_tokens(matcher.catalog());
    let filler = lexical::Filler::new(matcher.catalog());
    let (docs, base): (Vec<Doc>, Vec<(f32, lexical::Reading)>) = chosen
        .par_iter()
        .map(|l| {
            let text = crate::matcher::ProfileText::new(&l.profile);
            let r = matcher.score(&l.profile);
            (lexical::doc(&filler, &text.scope, r.reading.maker), (r.fit, r.reading))
        })
        .unzip();
    let (base, reading): (Vec<f32>, Vec<lexical::Reading>) = base.into_iter().unzip();
    let fold: Vec<usize> = chosen.iter().map(|l| fold_of(l, k)).collect();
    // Out-of-fold decisions; `None` where the scope holds no known word (the layer is off there).
    let mut oof: Vec<Option<f32>> = vec![None; chosen.len()];
    let per_fold: Vec<(usize, Vec<Option<f32>>)> = (0..k)
        .into_par_iter()
        .map(|f| {
            let (train, train_y): (Vec<Doc>, Vec<bool>) = docs
                .iter()
                .zip(&y)
                .zip(&fold)
                .filter(|(_, fo)| **fo != f)
                .map(|((d, t), _)| (d.clone(), *t))
                .unzip();
            let table = lexical::fit(&train, &train_y, &masked, opts);
            let held: Vec<&Doc> = docs
                .iter()
                .zip(&fold)
                .filter(|(_, fo)| **fo == f)
                .map(|(d, _)| d)
                .collect();
            (f, lexical::decisions_of(&table, &held))
        })
        .collect();
    for (f, decisions) in per_fold {
        let mut it = decisions.into_iter();
        for (o, fo) in oof.iter_mut().zip(&fold) {
            if *fo == f
                && let Some(d) = it.next()
            {
                *o = d;
            }
        }
    }
    // Features of the stack: the calibrated fit's logit split at 0 (a sure fit and an unsure one
    // need not weigh the same against the words) and the out-of-fold decision.
    // A maker of the core technology has a decision weight of its own (`maker_weight`, added).
    let (xs, ys): (Vec<[f64; 5]>, Vec<bool>) = base
        .iter()
        .zip(&oof)
        .zip(&reading)
        .zip(&y)
        .filter_map(|(((&b, d), r), &t)| {
            let l = lexical::logit(b) as f64;
            let m = if r.maker { 1.0 } else { 0.0 };
            d.map(|d| ([1.0, l.max(0.0), l.min(0.0), d as f64, m * d as f64], t))
        })
        .unzip();
    let w = fit_logistic(&xs, &ys, 0.1);
    let stack = crate::catalog::LexicalStack {
        bias: w[0] as f32,
        fit_weight: w[1] as f32,
        low_fit_weight: w[2] as f32,
        lexical_weight: w[3] as f32,
        maker_weight: w[4] as f32,
    };
    // As the matcher applies it.
    let stacked: Vec<f32> = base
        .iter()
        .zip(&oof)
        .zip(&reading)
        .map(|((&b, d), &r)| d.map_or(b, |d| lexical::applied(stack, b, d, r)))
        .collect();
    let split = |v: &[f32]| -> (Vec<f32>, Vec<f32>) {
        let pos = v.iter().zip(&y).filter(|(_, t)| **t).map(|(x, _)| *x).collect();
        let neg = v.iter().zip(&y).filter(|(_, t)| !**t).map(|(x, _)| *x).collect();
        (pos, neg)
    };
    let auc = |v: &[f32]| {
        let (p, n) = split(v);
        // Rows of one class were refused above, so both sides hold rows.
        roc_auc(&p, &n).unwrap_or(f64::NAN)
    };
    let at = |v: &[f32], t: f32| {
        let (p, n) = split(v);
        let acc = p.iter().filter(|&&x| x >= t).count() as f64 / p.len().max(1) as f64;
        let rej = n.iter().filter(|&&x| x < t).count() as f64 / n.len().max(1) as f64;
        (t as f64, round4(acc), round4(rej))
    };
    let possible = matcher.catalog().scoring.verdict.possible;
    Ok(LexicalTraining {
        table: lexical::fit(&docs, &y, &masked, opts),
        stack,
        rows: chosen.len(),
        folds: k,
        auc_base: auc(&base),
        auc_lexical: auc(&oof.iter().map(|d| d.unwrap_or(f32::MIN)).collect::<Vec<_>>()),
        auc_stacked: auc(&stacked),
        base_at_possible: at(&base, possible),
        stacked_at_possible: at(&stacked, possible),
        ungated_at_possible: at(
            &base
                .iter()
                .zip(&oof)
                .zip(&reading)
                .map(|((&b, d), r)| d.map_or(b, |d| lexical::stacked(stack, b, d, r.maker)))
                .collect::<Vec<_>>(),
            possible,
        ),
        side_only_rows: reading.iter().filter(|r| r.side_only).count(),
        maker_rows: reading.iter().filter(|r| r.maker).count(),
    })
}

/// Logistic regression by Newton's method with a ridge penalty on every coefficient but the first
/// (the bias); `xs[i][0]` must be 1.
fn fit_logistic<const N: usize>(xs: &[[f64; N]], y: &[bool], ridge: f64) -> [f64; N] {
    let mut w = [0.0f64; N];
    for _ in 0..50 {
        let mut g = [0.0f64; N];
        let mut h = [[0.0f64; N]; N];
        for (xi, &t) in xs.iter().zip(y) {
            let yi = if t { 1.0 } else { 0.0 };
            let z: f64 = (0..N).map(|k| w[k] * xi[k]).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            for a in 0..N {
                g[a] += (p - yi) * xi[a];
                for b in 0..N {
                    h[a][b] += p * (1.0 - p) * xi[a] * xi[b];
                }
            }
        }
        for a in 1..N {
            g[a] += ridge * w[a];
            h[a][a] += ridge;
        }
        let Some(step) = solve(h, g) else { break };
        let mut max = 0.0f64;
        for k in 0..N {
            w[k] -= step[k];
            max = max.max(step[k].abs());
        }
        if max < 1e-9 {
            break;
        }
    }
    w
}

/// Solves a small linear system by Gaussian elimination with partial pivoting.
fn solve<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> Option<[f64; N]> {
    for col in 0..N {
        let piv = (col..N).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[piv][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, piv);
        b.swap(col, piv);
        let pivot_row = a[col];
        for r in col + 1..N {
            let f = a[r][col] / pivot_row[col];
            for (x, p) in a[r].iter_mut().zip(pivot_row.iter()).skip(col) {
                *x -= f * p;
            }
            b[r] -= f * b[col];
        }
    }
    let mut x = [0.0; N];
    for r in (0..N).rev() {
        let s: f64 = (r + 1..N).map(|c| a[r][c] * x[c]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solver_solves_a_diagonal_system() {
        let a = [
            [2.0, 0.0, 0.0, 0.0],
            [0.0, 4.0, 0.0, 0.0],
            [0.0, 0.0, 1.0, 0.0],
            [0.0, 0.0, 0.0, 8.0],
        ];
        let x = solve(a, [2.0, 8.0, 3.0, 4.0]).unwrap();
        assert_eq!(x, [1.0, 2.0, 3.0, 0.5]);
    }

    #[test]
    fn calibration_learns_that_higher_raw_scores_are_more_often_right() {
        let mut rows = Vec::new();
        for i in 0..200 {
            let raw = i as f32 / 10.0;
            let features = [
                1.0,
                (1.0 + raw as f64).ln(),
                0.0,
                0.0,
                0.0,
                1.0,
                0.0,
                0.0,
                0.0,
                0.0,
                0.0,
            ];
            rows.push(CalibrationRow {
                features,
                correct: raw > 5.0 || i % 7 == 0,
            });
        }
        let w = fit_calibration(&rows);
        assert!(w[1] > 0.0, "raw weight should be positive: {w:?}");
    }

    #[test]
    fn subsets_partition_the_rows() {
        let l = |id: &str| Labeled {
            profile: Profile {
                id: Some(id.into()),
                name: "x".into(),
                ..Profile::default()
            },
            gold: vec![0],
            lang: None,
            hard: false,
        };
        for i in 0..50 {
            let row = l(&format!("r{i}"));
            assert!(Subset::Tune.contains(&row) != Subset::Holdout.contains(&row));
        }
    }
}
