//! Quality guards: the compiled matcher agrees with the tantivy query path, and the metrics on
//! the held-out dev rows and on the real companies stay at or above the targets of the README.

use crate::util::{Sandbox, catalog_dir, json, repo, shared};
use leadmatch::eval::{self, Subset};
use leadmatch::{Engine, EngineOptions};

fn engine(sb: &Sandbox) -> Engine {
    Engine::open(&EngineOptions {
        catalog_dir: Some(catalog_dir()),
        index_dir: Some(sb.path().join("index")),
    })
    .expect("engine")
}

#[test]
fn compiled_matcher_agrees_with_the_tantivy_query_path() {
    let sb = Sandbox::new();
    let e = engine(&sb);
    let rows = eval::read_labeled(&repo().join("tests/data/dev.jsonl")).expect("dev set");
    for l in rows.iter().take(150) {
        let fast = e.matcher.score(&l.profile);
        let slow = e.matcher.score_via_index(&e.index, &l.profile).expect("query path");
        assert_eq!(fast.verdict, slow.verdict, "{:?}", l.profile.name);
        assert_eq!(fast.matches.len(), slow.matches.len(), "{:?}", l.profile.name);
        for (a, b) in fast.matches.iter().zip(&slow.matches) {
            assert_eq!(a.industry_id, b.industry_id, "{:?}", l.profile.name);
            assert!(
                (a.score - b.score).abs() < 1e-3,
                "{:?}: {} vs {}",
                l.profile.name,
                a.score,
                b.score
            );
        }
    }
}

#[test]
fn dev_set_meets_its_size_and_coverage_requirements() {
    let rows = eval::read_labeled(&repo().join("tests/data/dev.jsonl")).expect("dev set");
    assert!(rows.len() >= 300);
    for s in 1..=12 {
        assert!(rows.iter().filter(|l| l.gold[0] == s).count() >= 18, "sector {s}");
    }
    assert!(rows.iter().filter(|l| l.gold[0] == 0).count() >= 80);
    assert!(rows.iter().filter(|l| l.lang.as_deref() == Some("en")).count() >= 40);
    assert!(rows.iter().filter(|l| l.lang.as_deref() == Some("zh-Hant")).count() >= 25);
}

fn assert_at_least(name: &str, got: f64, target: f64) {
    assert!(got >= target, "{name} = {got:.3} fell below the target {target}");
}

#[test]
fn held_out_dev_rows_meet_the_quality_targets() {
    let sb = Sandbox::new();
    let e = engine(&sb);
    let rows = eval::read_labeled(&repo().join("tests/data/dev.jsonl")).expect("dev set");
    // Ranking on the fixed 30% held-out split (never tuned on).
    let r = eval::evaluate(&e.matcher, &rows, Subset::Holdout);
    let m = &r.metrics;
    assert_at_least("top1", m.top1, 0.90);
    assert_at_least("top3", m.top3, 0.97);
    assert_at_least("targets_accepted", m.targets_accepted, 0.92);
    for lang in ["en", "zh-Hant"] {
        assert_at_least(&format!("top1 {lang}"), r.by_lang[lang].top1, 0.85);
    }
    // Verdicts, cross-validated over every row: calibration and threshold refitted without the
    // fold they are applied to (the 30% split alone holds only 28 non-targets).
    let cv = eval::cross_validate(&e.matcher, &rows, 5);
    assert_at_least("cv targets_accepted", cv.targets_accepted, 0.92);
    assert_at_least("cv non_targets_rejected", cv.non_targets_rejected, 0.92);
}

#[test]
fn real_companies_meet_the_quality_targets() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared/eval/real-dev.jsonl is not beside this clone");
        return;
    };
    let sb = Sandbox::new();
    let path = shared.join("eval/real-dev.jsonl");
    let v = json(&sb.run(&["eval", path.to_str().unwrap(), "--format", "json"]));
    // Issue 13's goals, all reached (top1 0.92, top3 0.98, accepted 0.95, rejected 0.95, English
    // top1 0.90; README "Quality").
    assert_at_least("top1", v["top1"].as_f64().unwrap(), 0.92);
    assert_at_least("top3", v["top3"].as_f64().unwrap(), 0.98);
    assert_at_least("targets_accepted", v["targets_accepted"].as_f64().unwrap(), 0.95);
    assert_at_least(
        "non_targets_rejected",
        v["non_targets_rejected"].as_f64().unwrap(),
        0.95,
    );
    assert_at_least("top1 en", v["by_lang"]["en"]["top1"].as_f64().unwrap(), 0.90);
}

/// The floors a labeled register file of `tests/data/` must stay at, evaluated whole.
struct Floors {
    /// At least this many non-targets and targets in the file.
    non_targets: usize,
    targets: usize,
    rejected: f64,
    accepted: f64,
    top1: f64,
    roc_auc: f64,
    /// Share of the look-alikes (hard ordinary firms) rejected.
    look_alikes: f64,
}

/// Evaluates a register file of `tests/data/` and checks it against its floors.
fn register_set_stays_above(file: &str, f: Floors) {
    let sb = Sandbox::new();
    let e = engine(&sb);
    let rows = eval::read_labeled(&repo().join("tests/data").join(file)).expect("register set");
    let m = eval::evaluate(&e.matcher, &rows, Subset::All).metrics;
    assert!(
        m.non_targets >= f.non_targets && m.targets >= f.targets,
        "{file}: {} / {}",
        m.non_targets,
        m.targets
    );
    assert_at_least("non_targets_rejected", m.non_targets_rejected, f.rejected);
    assert_at_least("targets_accepted", m.targets_accepted, f.accepted);
    assert_at_least("top1", m.top1, f.top1);
    assert_at_least("roc_auc", m.roc_auc.unwrap_or(0.0), f.roc_auc);
    let hard: Vec<_> = rows.iter().filter(|l| l.gold == [0] && l.hard).cloned().collect();
    let h = eval::evaluate(&e.matcher, &hard, Subset::All);
    assert_at_least("look-alikes rejected", h.metrics.non_targets_rejected, f.look_alikes);
}

/// The district-register set (issue 13): ordinary firms of a Wenzhou register, a third of them
/// look-alikes, and plan companies in registration style. The held-out file is never tuned on;
/// its guard pins today's measured level (README "Quality") so a change that loses judgement fails.
#[test]
fn district_register_held_out_part_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-holdout.jsonl",
        Floors {
            non_targets: 120,
            targets: 25,
            rejected: 0.97,
            accepted: 0.93,
            top1: 0.87,
            roc_auc: 0.98,
            look_alikes: 0.93,
        },
    );
}

/// The second register set (240 rows, written blind to the catalogue and matcher at stop 20;
/// 150 ordinary firms, 90 of them look-alikes, and 90 plan companies, two thirds paraphrasing).
/// Its hash held-out part (`--subset holdout`) is never looked at; the guard pins the levels
/// measured on the whole file (README "Quality").
#[test]
fn second_register_set_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-tune2.jsonl",
        Floors {
            non_targets: 140,
            targets: 80,
            rejected: 0.95,
            accepted: 0.94,
            top1: 0.91,
            roc_auc: 0.98,
            look_alikes: 0.93,
        },
    );
}

/// The third register set (200 rows, written blind at stop 21: 120 ordinary firms, 83 of them
/// look-alikes, and 80 plan companies, 56 paraphrasing). Its first run showed 16 misses of both
/// parts; after that only `--subset tune` misses were read. The guard pins the levels measured on
/// the whole file (README "Quality").
#[test]
fn third_register_set_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-tune3.jsonl",
        Floors {
            non_targets: 120,
            targets: 80,
            rejected: 0.96,
            accepted: 0.98,
            top1: 0.95,
            roc_auc: 0.98,
            look_alikes: 0.95,
        },
    );
}

/// The fourth register set (stop 22: 110 plan companies, 83 of them paraphrasing; 70 look-alikes),
/// at its level after the stop-22 work (all rows: top1 0.955, accepted 0.927, rejected 0.967, AUC
/// 0.983, look-alikes 0.957; on arrival 0.909 / 0.827 / 0.933 / 0.952) and the stop-23
/// calibration refit (top1 0.946, accepted 0.946, rejected 0.967, AUC 0.982).
#[test]
fn fourth_register_set_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-tune4.jsonl",
        Floors {
            non_targets: 90,
            targets: 110,
            rejected: 0.96,
            accepted: 0.96,
            top1: 0.95,
            roc_auc: 0.98,
            look_alikes: 0.96,
        },
    );
}

/// The fifth register set (stop 23: 100 plan companies, 70 of them paraphrasing; 100 ordinary
/// firms, 70 look-alikes; written blind to the catalogue, the matcher and the earlier sets).
/// Measured on arrival with metrics only (top1 0.870, accepted 0.840, rejected 0.930, AUC 0.960,
/// look-alikes 0.900); misses read on `--subset tune` only. The guard pins today's level.
#[test]
fn fifth_register_set_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-tune5.jsonl",
        Floors {
            non_targets: 100,
            targets: 100,
            rejected: 0.97,
            accepted: 0.97,
            top1: 0.90,
            roc_auc: 0.98,
            look_alikes: 0.97,
        },
    );
}

/// The sixth blind set (stop 24; on arrival top1 0.830, accepted 0.860, rejected 0.900, AUC 0.933,
/// look-alikes 0.871), held at the level measured after that stop's kinds.
#[test]
fn sixth_register_set_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-tune6.jsonl",
        Floors {
            non_targets: 100,
            targets: 100,
            rejected: 0.97,
            accepted: 0.96,
            top1: 0.89,
            roc_auc: 0.98,
            look_alikes: 0.96,
        },
    );
}

/// The seventh blind set (stop 25; on arrival top1 0.855, accepted 0.864, rejected 0.889, AUC 0.946,
/// look-alikes 0.857), held at the level measured after that stop's kinds.
#[test]
fn seventh_register_set_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-tune7.jsonl",
        Floors {
            non_targets: 90,
            targets: 110,
            rejected: 0.96,
            accepted: 0.94,
            top1: 0.92,
            roc_auc: 0.98,
            look_alikes: 0.96,
        },
    );
}

/// The eighth blind set (stop 26; on arrival with ac8db02 top1 0.867, accepted 0.892, rejected
/// 0.913, AUC 0.946, look-alikes 0.883), held at the level measured after that stop's kinds.
#[test]
fn eighth_register_set_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-tune8.jsonl",
        Floors {
            non_targets: 80,
            targets: 120,
            rejected: 0.96,
            accepted: 0.96,
            top1: 0.90,
            roc_auc: 0.98,
            look_alikes: 0.96,
        },
    );
}

/// The ninth blind set (stop 26, weighted to paraphrasing plan companies; on arrival top1 0.850,
/// accepted 0.929, rejected 0.833, AUC 0.961, look-alikes 0.800), held at the level measured after
/// that stop's kinds.
#[test]
fn ninth_register_set_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-tune9.jsonl",
        Floors {
            non_targets: 60,
            targets: 140,
            rejected: 0.95,
            accepted: 0.97,
            top1: 0.89,
            roc_auc: 0.98,
            look_alikes: 0.95,
        },
    );
}

/// The tenth register set (stop 27: 130 plan companies, 93 paraphrasing, 63 % in licence style;
/// 70 ordinary firms, 50 look-alikes of 50 kinds; written blind to the catalogue and matcher).
/// On arrival with 0fa3a95: top1 0.900, accepted 0.900, rejected 0.943, AUC 0.966, look-alikes
/// 0.920; held at the level measured after that stop's kinds.
#[test]
fn tenth_register_set_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-tune10.jsonl",
        Floors {
            non_targets: 70,
            targets: 130,
            rejected: 0.97,
            accepted: 0.94,
            top1: 0.91,
            roc_auc: 0.98,
            look_alikes: 0.97,
        },
    );
}

/// The eleventh register set (stop 27: 120 plan companies, 96 described by their mechanism without
/// their item's words, in news, recruiting-ad, 简介 and licence styles; 80 ordinary firms, 60
/// subtle look-alikes). On arrival with 0fa3a95: top1 0.733, accepted 0.725, rejected 0.900, AUC
/// 0.887, look-alikes 0.867 — the hardest set so far; held at the level measured after that stop.
#[test]
fn eleventh_register_set_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-tune11.jsonl",
        Floors {
            non_targets: 80,
            targets: 120,
            rejected: 0.96,
            accepted: 0.87,
            top1: 0.75,
            roc_auc: 0.97,
            look_alikes: 0.95,
        },
    );
}

#[test]
fn eval_reports_metrics_languages_sectors_and_misses() {
    let sb = Sandbox::new();
    let dev = repo().join("tests/data/dev.jsonl");
    let v = json(&sb.run(&["eval", dev.to_str().unwrap(), "--format", "json"]));
    for key in [
        "n",
        "top1",
        "top3",
        "mrr",
        "targets_accepted",
        "non_targets_rejected",
        "roc_auc",
        "precision_at_base_rate",
    ] {
        assert!(v[key].is_number(), "{key}");
    }
    assert!(v["by_lang"]["en"]["n"].as_u64().unwrap() >= 40);
    assert_eq!(v["per_sector"].as_array().unwrap().len(), 12);
    assert!(v["misses"].is_array());
    let bad = sb.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"name\": \"x\", \"gold\": [1]}\nnot json\n").unwrap();
    let o = sb.run(&["eval", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("bad.jsonl:2"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn eval_keeps_held_out_misses_unlisted_unless_asked() {
    let sb = Sandbox::new();
    // Two rows the engine gets wrong on purpose: an ordinary firm labelled a target and a
    // blockchain firm labelled ordinary.
    let rows = "{\"id\": \"h1\", \"name\": \"某某鞋业有限公司\", \"scope\": \"皮鞋制造、销售\", \"gold\": [1]}\n\
                {\"id\": \"h2\", \"name\": \"某某链科技有限公司\", \"scope\": \"区块链技术开发，区块链底层平台运营\", \"gold\": [0]}\n";
    let held = sb.path().join("x-holdout.jsonl");
    std::fs::write(&held, rows).unwrap();
    let o = sb.run(&["eval", held.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("misses (2 total, showing 0)"), "{out}");
    assert!(!out.contains("某某鞋业"), "{out}");
    let o = sb.run(&["eval", held.to_str().unwrap(), "--misses", "5"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("某某鞋业"), "{out}");
    let open = sb.path().join("x.jsonl");
    std::fs::write(&open, rows).unwrap();
    let out = String::from_utf8_lossy(&sb.run(&["eval", open.to_str().unwrap()]).stdout).into_owned();
    assert!(out.contains("某某鞋业"), "{out}");
    let out =
        String::from_utf8_lossy(&sb.run(&["eval", open.to_str().unwrap(), "--subset", "holdout"]).stdout).into_owned();
    assert!(out.contains("showing 0"), "{out}");
}

/// The twelfth register set (stop 28: 130 plan companies, 115 paraphrasing, 55% in licence style;
/// 70 ordinary firms, 55 look-alikes of as many kinds; written blind to the catalogue and matcher
/// by two writers). On arrival with 8e9e796 (no lexical layer): top1 0.908, accepted 0.877,
/// rejected 0.943, AUC 0.962, look-alikes 0.927; with the first lexical layer: top1 0.908,
/// accepted 0.946, rejected 1.000, AUC 0.987, look-alikes 1.000; with the final one: 0.908, 0.923,
/// 1.000, 0.994, 1.000 (its metrics, never its rows, were read while comparing the layer's forms).
#[test]
fn twelfth_register_set_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-tune12.jsonl",
        Floors {
            non_targets: 70,
            targets: 130,
            rejected: 0.97,
            accepted: 0.92,
            top1: 0.89,
            roc_auc: 0.97,
            look_alikes: 0.97,
        },
    );
}

/// `eval --train-lexical` writes a lexicon the catalogue loads and prints the `[lexical]` section;
/// a broken lexicon is a catalogue error naming file and line; without the file the layer is off.
#[test]
fn the_lexical_layer_trains_loads_and_can_be_left_out() {
    let sb = Sandbox::new();
    let dev = repo().join("tests/data/dev.jsonl");
    let out = sb.path().join("lexicon.csv");
    let o = sb.run(&[
        "eval",
        dev.to_str().unwrap(),
        "--subset",
        "tune",
        "--train-lexical",
        out.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{text}{}", String::from_utf8_lossy(&o.stderr));
    for key in [
        "[lexical]",
        "fit_weight = ",
        "lexical_weight = ",
        "bias = ",
        "out-of-fold ROC AUC",
    ] {
        assert!(text.contains(key), "{key}: {text}");
    }
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(
        csv.starts_with("token,idf,weight\n<bias>,,"),
        "{}",
        &csv[..80.min(csv.len())]
    );
    assert!(csv.lines().count() > 1000, "{} tokens", csv.lines().count());
    // The trained file in a catalogue copy loads and scores.
    let cat = sb.path().join("cat");
    crate::util::copy_catalog(&cat);
    std::fs::copy(&out, cat.join("lexicon.csv")).unwrap();
    let args = |c: &std::path::Path, idx: &str| -> Vec<String> {
        vec![
            "--catalog".into(),
            c.display().to_string(),
            "--index".into(),
            sb.path().join(idx).display().to_string(),
            "score".into(),
            "--name".into(),
            "温州某某科技有限公司".into(),
            "--scope".into(),
            "运营货主与卡车司机之间的整车货运撮合平台，按单向司机收取信息服务费".into(),
            "--format".into(),
            "json".into(),
        ]
    };
    let with = json(&crate::util::raw(sb.path(), &args(&cat, "i1"), None));
    // Without the file the layer is off and the fit is the calibrated one.
    std::fs::remove_file(cat.join("lexicon.csv")).unwrap();
    let without = json(&crate::util::raw(sb.path(), &args(&cat, "i2"), None));
    assert_eq!(with["matches"][0]["sector_no"], without["matches"][0]["sector_no"]);
    assert_ne!(with["fit"], without["fit"], "{with} {without}");
    // A broken row is an error with the file and its line.
    std::fs::write(cat.join("lexicon.csv"), "token,idf,weight\n<bias>,,0.1\n平台,x,1\n").unwrap();
    let o = crate::util::raw(sb.path(), &args(&cat, "i3"), None);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("lexicon.csv") && err.contains('3'),
        "{err}"
    );
}

/// A company that fits two items is right in either order (`../shared/eval/README.md`: incubators
/// are 8 and 11): the same text labelled [8, 11] and [11, 8] is a top-1 hit both ways.
#[test]
fn a_two_item_label_is_right_in_either_order() {
    let sb = Sandbox::new();
    let scope = "运营众创空间和孵化器，为创业团队提供工位、创业导师辅导和投融资对接";
    let rows = format!(
        "{{\"id\": \"m1\", \"name\": \"某某众创空间管理有限公司\", \"scope\": \"{scope}\", \"gold\": [8, 11]}}\n\
         {{\"id\": \"m2\", \"name\": \"某某众创空间管理有限公司\", \"scope\": \"{scope}\", \"gold\": [11, 8]}}\n"
    );
    let file = sb.path().join("two.jsonl");
    std::fs::write(&file, rows).unwrap();
    let v = json(&sb.run(&["eval", file.to_str().unwrap(), "--format", "json"]));
    assert_eq!(v["top1"].as_f64(), Some(1.0), "{v}");
    assert_eq!(v["targets_accepted"].as_f64(), Some(1.0), "{v}");
}

/// A file of targets only has no order to measure: `roc_auc` and the base-rate precision are
/// `null` in JSON and `n/a` in the table, not 0.000 (a tester read 0.000 as "the fit is useless");
/// training the lexical layer on it is refused with a reason.
#[test]
fn a_file_of_one_class_reports_no_auc_and_trains_nothing() {
    let sb = Sandbox::new();
    let only = sb.path().join("only-targets.jsonl");
    std::fs::write(
        &only,
        "{\"id\": \"o1\", \"name\": \"温州某某区块链科技有限公司\", \"scope\": \"区块链技术研发与应用服务\", \"gold\": [1]}\n\
         {\"id\": \"o2\", \"name\": \"温州某某电竞文化有限公司\", \"scope\": \"电子竞技赛事运营，电竞战队管理\", \"gold\": [6]}\n",
    )
    .unwrap();
    let v = json(&sb.run(&["eval", only.to_str().unwrap(), "--format", "json"]));
    assert_eq!(v["n"], 2);
    assert!(v["roc_auc"].is_null(), "{v}");
    assert!(v["precision_at_base_rate"].is_null(), "{v}");
    assert!(v["top1"].is_number(), "{v}");
    let o = sb.run(&["eval", only.to_str().unwrap()]);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && table.contains("roc_auc n/a"), "{table}");
    assert!(table.contains("non_targets_rejected n/a"), "{table}");
    // Both classes: a number.
    let dev = repo().join("tests/data/dev.jsonl");
    let v = json(&sb.run(&["eval", dev.to_str().unwrap(), "--format", "json"]));
    assert!(v["roc_auc"].as_f64().is_some_and(|a| a > 0.5), "{}", v["roc_auc"]);
    // Training on one class is refused, and nothing is written.
    let out = sb.path().join("lexicon.csv");
    let o = sb.run(&["eval", only.to_str().unwrap(), "--train-lexical", out.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("non-targets") && err.contains("only-targets.jsonl"),
        "{err}"
    );
    assert!(!out.exists());
}

/// The thirteenth register set (stop 29: 110 plan companies that make things or speak like
/// makers and traders — makers of the core technology, recyclers, plan firms naming ordinary
/// industries as customers, a third in one-line scopes — and 90 ordinary makers and traders, 60
/// look-alikes; written blind to the catalogue and matcher by two writers). On arrival with
/// a452a25: top1 0.991, accepted 0.846, rejected 0.956, AUC 0.979 (held-out part: accepted 0.878,
/// rejected 0.913). Its tuning part trains the lexical layer since stop 29; then: 0.991, 0.936,
/// 0.956, 0.991 (held-out part: 0.927, 0.913).
#[test]
fn thirteenth_register_set_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-tune13.jsonl",
        Floors {
            non_targets: 90,
            targets: 110,
            rejected: 0.95,
            accepted: 0.93,
            top1: 0.98,
            roc_auc: 0.98,
            look_alikes: 0.93,
        },
    );
}

/// The fourteenth set (221 rows, stop 30): a black-box tester's realistic profiles, written
/// blind to the catalogue and matcher — 103 plan companies (all 12 items, many paraphrasing;
/// registration 经营范围 in the 2021+ wording, "about us" paragraphs, English and Hong Kong / Taiwan
/// profiles) and 118 ordinary firms, 106 of them look-alikes (product features, channels,
/// customers, sidelines, projects, adopted tools, negations, plan-word names). Its misses were read
/// and fixed as kinds; on arrival (f896e1f): top1 0.952, accepted 0.961, rejected 0.966.
#[test]
fn fourteenth_set_stays_at_its_measured_level() {
    register_set_stays_above(
        "register-tune14.jsonl",
        Floors {
            non_targets: 118,
            targets: 103,
            rejected: 0.98,
            accepted: 0.95,
            top1: 0.95,
            roc_auc: 0.99,
            look_alikes: 0.98,
        },
    );
}

/// A labelled row `eval` cannot measure is an error naming the file and line, not a silent row:
/// an item outside 1–12, "not a target" together with an item, a row with no text (a misnamed
/// `scope` key). A tester's file of such rows was scored without a word.
#[test]
fn eval_refuses_labels_it_cannot_measure() {
    let sb = Sandbox::new();
    let ok = "{\"name\": \"温州某某鞋业有限公司\", \"scope\": \"皮鞋制造\", \"gold\": [0]}\n";
    for (row, says) in [
        ("{\"name\": \"x\", \"scope\": \"区块链\", \"gold\": [13]}", "1–12"),
        ("{\"name\": \"x\", \"scope\": \"区块链\", \"gold\": [0, 9]}", "[0, 9]"),
        (
            "{\"name\": \"\", \"profile\": \"区块链技术服务\", \"gold\": [1]}",
            "scope",
        ),
    ] {
        let f = sb.path().join("bad-labels.jsonl");
        std::fs::write(&f, format!("{ok}{row}\n")).unwrap();
        let o = sb.run(&["eval", f.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{row}: {err}");
        assert!(err.contains("bad-labels.jsonl:2") && err.contains(says), "{row}: {err}");
    }
}
