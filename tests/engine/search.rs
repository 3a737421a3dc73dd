//! `search`: Chinese, traditional, English and mixed queries find the right catalogue entries.

use crate::util::{Sandbox, json, stderr};

fn top_ids(sb: &Sandbox, q: &str, n: usize) -> Vec<String> {
    let v = json(&sb.run(&["search", q, "--format", "json", "--limit", "10"]));
    assert_eq!(v["query"], q);
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .take(n)
        .map(|h| h["industry_id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn finds_industries_by_chinese_traditional_and_english_names() {
    let sb = Sandbox::new();
    assert_eq!(top_ids(&sb, "电竞", 1), ["esports"]);
    assert_eq!(top_ids(&sb, "電子競技", 1), ["esports"]);
    assert_eq!(top_ids(&sb, "remanufacturing", 1), ["remanufacturing"]);
    assert_eq!(top_ids(&sb, "區塊鏈", 1), ["blockchain"]);
    assert!(
        top_ids(&sb, "跨境电商", 2)
            .iter()
            .any(|i| i.starts_with("cross-border-ecommerce"))
    );
    assert_eq!(top_ids(&sb, "区块链金融", 1), ["blockchain-finance"]);
    assert_eq!(top_ids(&sb, "ride-hailing", 1), ["ride-hailing"]);
    assert_eq!(top_ids(&sb, "５Ｇ", 1), ["telecom-5g"]);
}

/// The industries' `describes` sentences (plain trade words) are searchable: a paraphrase with
/// none of the catalogue's terms still finds its industry.
#[test]
fn finds_industries_by_the_plain_words_of_their_descriptions() {
    let sb = Sandbox::new();
    assert_eq!(top_ids(&sb, "strips them down", 1), ["remanufacturing"]);
    assert_eq!(top_ids(&sb, "拆解 清洗 磨损零件 原厂新品标准", 1), ["remanufacturing"]);
}

#[test]
fn hits_carry_sector_department_carriers_and_highlighted_snippet() {
    let sb = Sandbox::new();
    let v = json(&sb.run(&["search", "电竞", "--format", "json"]));
    let h = &v["hits"][0];
    assert_eq!(h["sector_no"], 6);
    assert_eq!(h["sector_id"], "pan-entertainment");
    assert_eq!(h["sector"], "泛娱乐产业");
    assert_eq!(h["lead_unit"], "市委宣传部");
    assert!(h["carriers"].as_array().unwrap().iter().any(|c| c == "浙南电竞小镇"));
    assert!(h["snippet"].as_str().unwrap().contains("<b>电竞</b>"), "{h}");
    assert!(h["score"].as_f64().unwrap() > 0.0);
}

#[test]
fn the_table_is_readable_and_limit_is_respected() {
    let sb = Sandbox::new();
    let o = sb.run(&["search", "物流", "--limit", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(" 1. ") && out.contains(" 2. ") && !out.contains(" 3. "),
        "{out}"
    );
    assert!(out.contains("【物流】"), "{out}");
}

#[test]
fn queries_with_nothing_to_find_return_no_hits() {
    let sb = Sandbox::new();
    let v = json(&sb.run(&["search", "！！！", "--format", "json"]));
    assert_eq!(v["hits"].as_array().unwrap().len(), 0);
    let o = sb.run(&["search", "  "]);
    assert_eq!(o.status.code(), Some(2));
}
