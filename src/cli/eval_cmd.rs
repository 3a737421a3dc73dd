//! `leadmatch eval LABELED.jsonl`: quality metrics, per sector and language, and the misses.

use super::{Failure, Format, open_engine, output};
use crate::EngineOptions;
use crate::eval::{self, Subset};
use anyhow::Context;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labeled JSONL: profile fields plus "gold": [sector_no, …] ([0] = not a target); several
    /// files are read as one set
    #[arg(required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Rows to evaluate: all, the tuning part (70%) or the held-out part (30%), split by id hash
    #[arg(long, value_enum, default_value_t = Subset::All)]
    pub subset: Subset,
    /// How many misses to list in the table (default 40; 0 for a held-out part — `--subset
    /// holdout` or a file named `*holdout*` — so that reading its rows stays a choice)
    #[arg(long)]
    pub misses: Option<usize>,
    /// Fit the fit calibration on the chosen subset and print coefficients for scoring.toml
    #[arg(long)]
    pub calibrate: bool,
    /// Also cross-validate the calibration and verdict threshold with K folds over the rows of
    /// `--subset` (all rows by default; `--subset tune --cv 5` keeps the held-out part unseen)
    #[arg(long, value_name = "K")]
    pub cv: Option<usize>,
    /// Train the lexical layer on the rows of `--subset` (use `--subset tune`): write its word
    /// weights to PATH (catalog/lexicon.csv) and print the `[lexical]` section for scoring.toml
    #[arg(long, value_name = "PATH")]
    pub train_lexical: Option<PathBuf>,
    /// With `--train-lexical`: a token enters the vocabulary when it is in at least N training
    /// profiles
    #[arg(long, value_name = "N", default_value_t = crate::matcher::lexical::FitOptions::default().min_df)]
    pub min_df: usize,
}

pub fn run(opts: &EngineOptions, a: Args) -> Result<(), Failure> {
    let mut rows = Vec::new();
    for f in &a.files {
        rows.extend(eval::read_labeled(f).with_context(|| format!("reading {}", f.display()))?);
    }
    let shown = a
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(" + ");
    let mut engine = open_engine(opts)?;
    if let Some(path) = &a.train_lexical {
        if a.subset != Subset::Tune {
            eprintln!(
                "注意 note: training on --subset {:?}; `--subset tune` keeps the held-out parts unseen",
                a.subset
            );
        }
        // The layer is fitted on the fit without it.
        engine.matcher.take_lexical();
        let t = eval::train_lexical(
            &engine.matcher,
            &rows,
            a.subset,
            5,
            crate::matcher::lexical::FitOptions {
                min_df: a.min_df.max(1),
                ..Default::default()
            },
        )
        .with_context(|| format!("{shown} (--subset {:?})", a.subset))?;
        std::fs::write(path, t.table.to_csv()).with_context(|| format!("无法写入 cannot write {}", path.display()))?;
        println!(
            "# lexical layer trained on {} rows ({:?}) of {}; {} tokens written to {}",
            t.rows,
            a.subset,
            shown,
            t.table.tokens.len(),
            path.display()
        );
        println!(
            "# {}-fold out-of-fold ROC AUC: fit without the layer {:.3}, lexical alone {:.3}, stacked {:.3}",
            t.folds, t.auc_base, t.auc_lexical, t.auc_stacked
        );
        let (th, acc, rej) = t.base_at_possible;
        let (_, sacc, srej) = t.stacked_at_possible;
        println!("# at possible = {th:.2}: accepted {acc:.3} → {sacc:.3}, rejected {rej:.3} → {srej:.3}");
        let (_, uacc, urej) = t.ungated_at_possible;
        println!(
            "# (raising the {} rows whose best sector rests only on side-role words too: accepted {uacc:.3}, rejected {urej:.3})",
            t.side_only_rows
        );
        println!(
            "# {} rows make their best industry's core technology (their decision weighs lexical_weight + maker_weight)",
            t.maker_rows
        );
        println!("# paste into catalog/scoring.toml:");
        println!("[lexical]");
        println!("fit_weight = {:.3}", t.stack.fit_weight);
        println!("low_fit_weight = {:.3}", t.stack.low_fit_weight);
        println!("lexical_weight = {:.3}", t.stack.lexical_weight);
        println!("maker_weight = {:.3}", t.stack.maker_weight);
        println!("bias = {:.3}", t.stack.bias);
        return Ok(());
    }
    if a.calibrate {
        let feats = eval::calibration_rows(&engine.matcher, &rows, a.subset);
        let w = eval::fit_calibration(&feats);
        println!(
            "# fitted on {} rows ({:?}); paste into catalog/scoring.toml",
            feats.len(),
            a.subset
        );
        let names = [
            "bias",
            "raw_weight",
            "negative_weight",
            "name_negative_weight",
            "name_positive_weight",
            "strong_weight",
            "primary_weight",
            "coverage_weight",
            "negative_primary_weight",
            "loose_weight",
            "late_negative_weight",
        ];
        println!("[calibration]");
        for (n, v) in names.iter().zip(w.iter()) {
            println!("{n} = {v:.3}");
        }
        let is_target: Vec<bool> = rows
            .iter()
            .filter(|l| a.subset.contains(l))
            .map(|l| l.gold[0] != 0)
            .collect();
        println!("\n# threshold on fit → targets accepted / non-targets rejected (same rows)");
        for (t, acc, rej) in eval::threshold_sweep(&feats, &is_target, w) {
            println!("#  {t:.2}  accepted {acc:.3}  rejected {rej:.3}");
        }
        return Ok(());
    }
    let report = eval::evaluate(&engine.matcher, &rows, a.subset);
    let cv = a.cv.map(|k| {
        let chosen: Vec<eval::Labeled> = rows.iter().filter(|l| a.subset.contains(l)).cloned().collect();
        eval::cross_validate(&engine.matcher, &chosen, k)
    });
    if a.format == Format::Json {
        let mut v = serde_json::to_value(&report)?;
        if let (Some(cv), Some(obj)) = (&cv, v.as_object_mut()) {
            obj.insert("cross_validation".into(), serde_json::to_value(cv)?);
        }
        output::print_json(&v)?;
        return Ok(());
    }
    let m = &report.metrics;
    println!("评估 evaluation: {} ({} rows, subset {})", shown, m.n, report.subset);
    println!(
        "  top1 {}   top3 {}   mrr {}   targets_accepted {}   non_targets_rejected {}   (targets {}, non-targets {})",
        rate(m.top1, m.targets),
        rate(m.top3, m.targets),
        rate(m.mrr, m.targets),
        rate(m.targets_accepted, m.targets),
        rate(m.non_targets_rejected, m.non_targets),
        m.targets,
        m.non_targets
    );
    println!(
        "  roc_auc {}   precision of accepted leads at a 1-in-10 base rate {} (target verdict alone {})",
        or_na(m.roc_auc),
        or_na(m.precision_at_base_rate),
        or_na(m.target_precision_at_base_rate)
    );
    if let Some(cv) = &cv {
        println!(
            "  {}-fold cross-validation (calibration and threshold refitted per fold): targets_accepted {:.3}   non_targets_rejected {:.3}   thresholds {:?}",
            cv.folds, cv.targets_accepted, cv.non_targets_rejected, cv.thresholds
        );
    }
    println!("\n按语言 by language:");
    for (lang, lm) in &report.by_lang {
        println!(
            "  {:<8} n {:>4}  top1 {}  top3 {}  accepted {}  rejected {}",
            lang,
            lm.n,
            rate(lm.top1, lm.targets),
            rate(lm.top3, lm.targets),
            rate(lm.targets_accepted, lm.targets),
            rate(lm.non_targets_rejected, lm.non_targets)
        );
    }
    println!("\n按产业 per sector (precision / recall of the best match):");
    for s in &report.per_sector {
        println!(
            "  {:>2} {:<30} support {:>3}  predicted {:>3}  precision {}  recall {}",
            s.sector_no,
            s.sector_id,
            s.support,
            s.predicted,
            rate(s.precision, s.predicted),
            rate(s.recall, s.support)
        );
    }
    let held_out = a.subset == Subset::Holdout
        || a.files
            .iter()
            .any(|f| f.file_name().is_some_and(|n| n.to_string_lossy().contains("holdout")));
    let listed = a.misses.unwrap_or(if held_out { 0 } else { 40 });
    println!(
        "\n未命中 misses ({} total, showing {}):",
        report.misses.len(),
        report.misses.len().min(listed)
    );
    if held_out && a.misses.is_none() {
        println!(
            "  留出集不列出 held-out rows are not listed; pass --misses N to read them (they are then no longer unseen)"
        );
    }
    for miss in report.misses.iter().take(listed) {
        println!(
            "  {} {} [{}] gold {:?} → {:?} {} fit {:.2} {} evidence: {}{}",
            miss.id.as_deref().unwrap_or("-"),
            miss.name,
            miss.lang.as_deref().unwrap_or("-"),
            miss.gold,
            miss.predicted,
            miss.verdict.as_str(),
            miss.fit,
            miss.kind,
            miss.evidence.join("、"),
            if miss.counter_evidence.is_empty() {
                String::new()
            } else {
                format!("  counter: {}", miss.counter_evidence.join("、"))
            }
        );
    }
    Ok(())
}

/// A share over `of` rows to three decimals, or `n/a` when there are none (the JSON keeps 0).
fn rate(x: f64, of: usize) -> String {
    if of == 0 { "n/a".to_string() } else { format!("{x:.3}") }
}

/// A metric to three decimals, or `n/a` when the rows cannot define it (no targets or no
/// non-targets).
fn or_na(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_string(), |x| format!("{x:.3}"))
}
