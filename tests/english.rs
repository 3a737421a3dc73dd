//! `rank --lang en` (issue 17.5): English headers, and the sector and industry columns in the
//! catalogue's English names (`name_en`), not ids or Chinese.

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
