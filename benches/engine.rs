//! Criterion benches of the engine's hot paths: scoring one profile (compiled matcher, and the
//! tantivy query path it replaces) and searching the catalogue. Each bench also checks its output,
//! so a fast-but-wrong change fails.

use criterion::{Criterion, criterion_group, criterion_main};
use leadmatch::{Engine, EngineOptions, Profile, Verdict};
use std::hint::black_box;
use std::path::PathBuf;

/// A realistic ~300-character registration-style profile.
fn profile() -> Profile {
    Profile {
        name: "温州瓯越电竞文化传媒有限公司".into(),
        scope: "一般项目：电子竞技赛事活动策划；组织文化艺术交流活动；网络游戏研发与运营（不含网络游戏虚拟货币发行）；\
                数字内容制作服务（不含出版发行）；电竞俱乐部管理；体育赛事策划；广告设计、代理；广告制作；软件开发；\
                技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；会议及展览服务；日用百货销售；办公用品销售；\
                电子产品销售。许可项目：网络文化经营；营业性演出；互联网直播技术服务（依法须经批准的项目，\
                经相关部门批准后方可开展经营活动，具体经营项目以审批结果为准）。除依法须经批准的项目外，凭营业执照依法自主开展经营活动。"
            .into(),
        ..Profile::default()
    }
}

fn engine() -> (Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let e = Engine::open(&EngineOptions {
        catalog_dir: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("catalog")),
        index_dir: Some(dir.path().join("index")),
    })
    .expect("engine");
    (e, dir)
}

fn bench(c: &mut Criterion) {
    let (e, _dir) = engine();
    let p = profile();
    let r = e.score(&p).expect("score");
    assert_eq!(r.verdict, Verdict::Target);
    assert_eq!(r.matches[0].sector_no, 6);

    c.bench_function("score/compiled_300_chars", |b| {
        b.iter(|| {
            let r = e.matcher.score(black_box(&p));
            assert_eq!(r.matches[0].sector_no, 6);
        })
    });
    c.bench_function("score/tantivy_query_path_300_chars", |b| {
        b.iter(|| {
            let r = e.matcher.score_via_index(&e.index, black_box(&p)).expect("query path");
            assert_eq!(r.matches[0].sector_no, 6);
        })
    });
    // The longest scope a list row may hold (batch::MAX_SCOPE_CHARS), one clause of role cues and
    // terms repeated: role resolution must stay near-linear per term (it was cubic before stop 22).
    let worst = Profile {
        name: "温州某科技有限公司".into(),
        scope: "为ai提供".repeat(leadmatch::batch::MAX_SCOPE_CHARS / 5),
        ..Profile::default()
    };
    c.bench_function("score/one_clause_of_role_cues_20000_chars", |b| {
        b.iter(|| e.matcher.score(black_box(&worst)))
    });
    // The lexical layer alone (stop 28): the word model's decision over the analysed scope, its
    // filler left out, once per scored profile.
    let lex = e.matcher.lexical().expect("the shipped catalogue has a lexical layer");
    let text = leadmatch::matcher::ProfileText::new(&p);
    assert!(lex.decision(&text.scope, false).is_some_and(|d| d > 0.0));
    c.bench_function("lexical/decision_300_chars", |b| {
        b.iter(|| lex.decision(black_box(&text.scope), false))
    });
    c.bench_function("search/电竞", |b| {
        b.iter(|| {
            let r = e.search(black_box("电竞"), 10).expect("search");
            assert_eq!(r.hits[0].industry_id, "esports");
        })
    });
    c.bench_function("search/remanufacturing", |b| {
        b.iter(|| {
            let r = e.search(black_box("remanufacturing"), 10).expect("search");
            assert_eq!(r.hits[0].industry_id, "remanufacturing");
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
