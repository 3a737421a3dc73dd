//! `rank --lang en` (issue 17.5): English headers, and the sector and industry columns in the
//! catalogue's English names (`name_en`), not ids or Chinese.

mod common;

use common::col;
use std::process::Command;

#[test]
fn rank_lang_en_names_sectors_and_industries_in_english() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("list.csv"),
        "企业名称,经营范围\n温州某电竞科技有限公司,电子竞技赛事组织策划；电竞场馆运营\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_leadmatch"))
        .args(["rank", "list.csv", "-o", "out.csv", "--lang", "en"])
        .current_dir(dir.path())
        .output()
        .expect("run leadmatch");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let row: Vec<String> = r.records().next().unwrap().unwrap().iter().map(String::from).collect();
    let col = |name: &str| {
        &row[header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {header:?}"))]
    };
    let sectors = col("sectors");
    let industries = col("industries");
    let first_sector = sectors.split("; ").next().unwrap();
    assert!(first_sector.starts_with("6 "), "{sectors}");
    let no_cjk = |s: &str| !s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    assert!(no_cjk(sectors) && no_cjk(industries), "{sectors} / {industries}");
    let catalog = leadmatch::Catalog::builtin().expect("built-in catalogue");
    let sector = catalog.sectors.iter().find(|s| s.no == 6).expect("sector 6");
    let esports = catalog.industries.iter().find(|i| i.id == "esports").expect("esports");
    assert_eq!(first_sector, format!("6 {}", sector.name_en));
    assert_eq!(industries.split("; ").next().unwrap(), esports.name_en);
    assert_eq!(col("verdict"), "target");
}

/// `rank --lang en` (issue 17.5 leftover): the priority reasons, the sector and the clause columns
/// are English only — fit, revenue and capital yardsticks, status words, origin, verdict none, registration
/// status — while the default stays Chinese first.
#[test]
fn rank_lang_en_gives_english_priority_reasons() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("list.csv"),
        "企业名称,经营范围,营业收入,注册资本,标签,所在地,登记状态\n\
         温州某电竞科技有限公司,电子竞技赛事组织策划；电竞场馆运营,60亿元,5000万元,上市公司;总部;高新技术企业,温州市鹿城区,存续\n\
         杭州某跨境电商有限公司,跨境电子商务平台运营；网络销售,12亿元,2亿元,独角兽,杭州市,在业\n\
         温州某五金加工厂,五金配件加工；金属制品销售,3000万元,100万元,,温州市瓯海区,注销\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["rank", "list.csv", "-o", "out.csv"];
        args.extend_from_slice(extra);
        common::ok(dir.path(), &args);
        common::read_csv(&dir.path().join("out.csv"))
    };
    let cjk = |s: &str| {
        s.chars()
            .any(|c| ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c))
    };

    let (header, rows) = run(&["--lang", "en"]);
    let (reasons, sectors, clause) = (
        col(&header, "priority reasons"),
        col(&header, "sectors"),
        col(&header, "clause"),
    );
    let all: Vec<&str> = rows.iter().map(|r| r[reasons].as_str()).collect();
    for (row, text) in rows.iter().zip(&all) {
        assert!(!text.is_empty(), "{row:?}");
        assert!(!cjk(text), "Chinese in English reasons: {text}");
        assert!(
            !cjk(&row[sectors]),
            "Chinese in the English sector column: {}",
            row[sectors]
        );
        assert!(
            !cjk(&row[clause]),
            "Chinese in the English clause column: {}",
            row[clause]
        );
    }
    let joined = all.join("\n");
    for expected in [
        "fit ",
        "(clause 2(",
        "yardstick",
        "registered capital",
        "listed company",
        "headquarters",
        "high-tech enterprise (not a plan yardstick)",
        "based in Wenzhou: a lead to cultivate",
        "based outside Wenzhou: a lead to attract",
        "registration status: ",
    ] {
        assert!(joined.contains(expected), "{expected:?} in:\n{joined}");
    }

    // The default is unchanged: Chinese first, then English.
    let (header, rows) = run(&[]);
    let reasons = col(&header, "优先级理由");
    assert!(rows.iter().all(|r| cjk(&r[reasons])), "{rows:?}");
    assert!(
        rows[0][reasons].contains("匹配度") && rows[0][reasons].contains(" fit "),
        "{}",
        rows[0][reasons]
    );
}
