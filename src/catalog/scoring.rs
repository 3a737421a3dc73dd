//! Matcher weights, fit calibration and verdict thresholds (`catalog/scoring.toml`), editable by
//! staff and checked by `catalog check`.

use serde::{Deserialize, Serialize};

/// Everything in `scoring.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    pub matcher: MatcherWeights,
    pub calibration: Calibration,
    pub verdict: VerdictThresholds,
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
}

/// Logistic calibration of a sector's raw score into `fit` (0..1):
/// `fit = 1 / (1 + exp(-(bias + raw_weight * ln(1 + raw) + negative_weight * negative_groups + strong_weight * min(strong_terms, 3))))`,
/// where `negative_groups` counts the counter-evidence groups (traditional industries outside the
/// plan, `terms.toml`) found in the profile, at most 3.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    pub bias: f32,
    pub raw_weight: f32,
    pub negative_weight: f32,
    pub strong_weight: f32,
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
