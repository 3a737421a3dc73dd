//! `leadmatch rank` end to end (issue 4): the real binary on every input format and encoding,
//! checking row accounting, order, column pass-through, formula safety and rejects.
//!
//! The binary runs in an empty temporary directory, so it uses the built-in catalogue and an
//! in-memory index and never touches `./index`.

mod common;

use calamine::{Data, Reader};
use common::{col, counts, jsonl, leadmatch, ok, s};
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rank").join(name)
}

fn seed(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds").join(name)
}

/// Reads a CSV written by `rank`, which starts with a BOM: header and rows.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).expect("read csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "CSV output starts with a BOM");
    common::read_csv(path)
}

#[test]
fn csv_keeps_every_row_in_order_with_columns_passed_through() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("排名.csv");
    let rej = dir.path().join("rejects.csv");
    let (_, stderr) = ok(
        dir.path(),
        &["rank", s(&data("small.csv")), "-o", s(&out), "--rejects", s(&rej)],
    );
    assert_eq!(counts(&stderr), (8, 6, 2), "{stderr}");

    let (header, rows) = read_csv(&out);
    assert_eq!(&header[..5], &["序号", "企业名称", "法定代表人", "经营范围", "标签"]);
    for h in [
        "行号",
        "判定",
        "匹配度",
        "产业类别",
        "细分产业",
        "依据",
        "牵头单位",
        "载体",
        "条款",
        "问题",
    ] {
        col(&header, h);
    }
    let row_col = col(&header, "行号");
    let rows_out: Vec<&str> = rows.iter().map(|r| r[row_col].as_str()).collect();
    assert_eq!(rows_out, ["1", "2", "3", "6", "7", "8"], "input order");
    // Pass-through: the original cells, unchanged where they are not formula-like.
    assert_eq!(rows[0][1], "温州瓯越电竞文化有限公司");
    assert_eq!(rows[0][3], "电子竞技赛事运营；电竞场馆经营；网络直播技术服务");
    assert_eq!(rows[0][4], "高新技术企业");
    assert_eq!(rows[0][col(&header, "判定")], "重点目标");
    assert!(rows[0][col(&header, "产业类别")].contains("泛娱乐产业"));

    let flags = |i: usize| rows[i][col(&header, "问题")].clone();
    assert!(flags(3).contains("scope_empty"), "row 6: {}", flags(3));
    assert!(flags(4).contains("ragged") && flags(4).contains("scope_empty"));
    // A ragged row with an extra cell keeps it, after the result columns.
    assert!(flags(5).contains("ragged"));
    assert_eq!(rows[5].last().map(String::as_str), Some("多出来的一列"));
    assert_eq!(rows[5].len(), header.len() + 1);

    // Rejects: row number, reason, original content, in input order.
    let (rh, rrows) = read_csv(&rej);
    assert_eq!(&rh[..2], &["行号 row", "原因 reason"]);
    assert_eq!(&rh[2..], &header[..5]);
    assert_eq!(rrows.len(), 2);
    assert_eq!(rrows[0][0], "4");
    assert!(rrows[0][1].contains("empty row"), "{:?}", rrows[0]);
    assert_eq!(rrows[1][0], "5");
    assert!(rrows[1][1].contains("neither"), "{:?}", rrows[1]);
    assert_eq!(rrows[1][4], "赵六");
}

#[test]
fn csv_output_neutralises_formula_cells() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    ok(dir.path(), &["rank", s(&data("small.csv")), "-o", s(&out)]);
    let (header, rows) = read_csv(&out);
    let r3 = &rows[2];
    assert_eq!(r3[1], "'+86云呼科技（温州）有限公司");
    assert_eq!(r3[2], "'@张三");
    assert_eq!(r3[4], "'=HYPERLINK(\"http://example.com\",\"查看\")");
    assert_eq!(rows[3][2], "'-1层");
    // No cell anywhere starts with a formula trigger.
    for r in &rows {
        for c in r {
            assert!(
                !c.starts_with(['=', '+', '-', '@']),
                "live formula cell {c:?} in {header:?}"
            );
        }
    }
}

#[test]
fn rejected_rows_are_counted_without_a_rejects_file() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&data("small.csv"))]);
    assert_eq!(counts(&stderr), (8, 6, 2));
    assert!(stderr.contains("--rejects"), "{stderr}");
    let lines = jsonl(&stdout);
    let rows: Vec<u64> = lines.iter().map(|v| v["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, [1, 2, 3, 6, 7, 8]);
    assert_eq!(lines[0]["verdict"], "target");
    assert!(lines[0]["matches"].as_array().unwrap().len() <= 3);
}

#[test]
fn bom_and_gbk_csv_give_the_same_result_as_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("small.csv")).unwrap();
    let bom = dir.path().join("bom.csv");
    let mut b = b"\xEF\xBB\xBF".to_vec();
    b.extend_from_slice(text.as_bytes());
    std::fs::write(&bom, b).unwrap();
    let gbk = dir.path().join("gbk.csv");
    let (enc, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    std::fs::write(&gbk, &enc).unwrap();

    let (plain, _) = ok(dir.path(), &["rank", s(&data("small.csv"))]);
    let (with_bom, e1) = ok(dir.path(), &["rank", s(&bom)]);
    let (from_gbk, e2) = ok(dir.path(), &["rank", s(&gbk)]);
    assert_eq!(plain, with_bom);
    assert_eq!(plain, from_gbk);
    assert!(e1.contains("UTF-8 (BOM)"), "{e1}");
    assert!(e2.contains("GBK"), "{e2}");

    // The BOM does not end up in the first header.
    let out = dir.path().join("bom-out.csv");
    ok(dir.path(), &["rank", s(&bom), "-o", s(&out)]);
    assert_eq!(read_csv(&out).0[0], "序号");
}

#[test]
fn seed_lists_in_utf8_and_gbk_agree_and_are_deterministic_across_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let utf8 = seed("leads-wenzhou.csv");
    let gbk = seed("leads-wenzhou-gbk.csv");
    let (a, stderr) = ok(dir.path(), &["rank", s(&utf8), "-j", "1"]);
    let (b, _) = ok(dir.path(), &["rank", s(&utf8), "-j", "2"]);
    let (c, _) = ok(dir.path(), &["rank", s(&gbk), "-j", "2"]);
    assert_eq!(counts(&stderr), (120, 120, 0));
    assert!(a == b, "-j1 and -j2 differ");
    assert!(a == c, "GBK and UTF-8 seeds differ");
    let lines = jsonl(&a);
    assert_eq!(lines.len(), 120);
    let rows: Vec<u64> = lines.iter().map(|v| v["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, (1..=120).collect::<Vec<_>>());
    // Row 61 has an empty 经营范围: scored from its name, flagged.
    let flags = lines[60]["flags"].to_string();
    assert!(flags.contains("scope_empty"), "{flags}");
    // The seeds' planted problems (seeds/README.md): duplicates and bad credit codes.
    let dups: Vec<(u64, u64)> = lines
        .iter()
        .filter_map(|v| Some((v["row"].as_u64()?, v["duplicate_of"].as_u64()?)))
        .collect();
    assert_eq!(dups, [(105, 24), (111, 70), (114, 102), (115, 71)]);
    for r in [5, 28, 34] {
        assert!(lines[r - 1]["flags"].to_string().contains("credit_code_invalid"));
    }
    assert!(stderr.contains("重复 duplicates: 4"), "{stderr}");
    assert!(lines.iter().all(|v| v["priority"]["tier"].is_string()));
}

#[test]
fn gbk_csv_output_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    ok(
        dir.path(),
        &["rank", s(&data("small.csv")), "-o", s(&out), "--encoding", "gbk"],
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"));
    let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad);
    assert!(text.starts_with("序号,企业名称"));
    assert!(text.contains("温州瓯越电竞文化有限公司"));
}

#[test]
fn tsv_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let (_, stderr) = ok(dir.path(), &["rank", s(&data("small.tsv")), "-o", s(&out)]);
    assert_eq!(counts(&stderr), (3, 2, 1));
    assert!(stderr.contains("TSV"), "{stderr}");
    let (header, rows) = read_csv(&out);
    assert_eq!(&header[..3], &["序号", "企业名称", "经营范围"]);
    assert_eq!(rows[1][1], "永嘉县宏达阀门有限公司");
}

#[test]
fn jsonl_input_rejects_bad_lines_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let rej = dir.path().join("rej.csv");
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&data("small.jsonl")), "--rejects", s(&rej)]);
    assert_eq!(counts(&stderr), (6, 3, 3), "{stderr}");
    let lines = jsonl(&stdout);
    let rows: Vec<u64> = lines.iter().map(|v| v["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, [1, 2, 6]);
    assert_eq!(lines[0]["id"], "j-1");
    assert_eq!(lines[2]["name"], "温州再生资源回收利用有限公司");
    let (_, rrows) = read_csv(&rej);
    let got: Vec<(&str, &str)> = rrows.iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].0, "3");
    assert!(got[0].1.contains("invalid JSON"), "{got:?}");
    assert_eq!(got[1].0, "4");
    assert!(got[1].1.contains("not a JSON object"));
    assert_eq!(got[2].0, "5");
    assert!(rrows[2][2].contains("j-5"), "original line kept: {:?}", rrows[2]);
}

#[test]
fn jsonl_to_csv_keeps_keys_as_columns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    ok(dir.path(), &["rank", s(&data("small.jsonl")), "-o", s(&out)]);
    let (header, rows) = read_csv(&out);
    assert_eq!(&header[..4], &["id", "name", "scope", "tags"]);
    assert_eq!(rows[0][3], "电竞;直播");
    // Keys the first object lacks follow the result columns; formula-like values neutralised.
    assert!(rows[2].iter().any(|c| c == "'extra==1+1" || c == "extra==1+1"));
    assert!(rows[2].iter().all(|c| !c.starts_with('=')));
}

/// Writes an XLSX company list with rust_xlsxwriter.
fn write_xlsx(path: &Path, rows: &[&[&str]]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            if let Ok(n) = v.parse::<f64>() {
                ws.write_number(r as u32, c as u16, n).unwrap();
            } else if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

#[test]
fn xlsx_in_xlsx_out_with_formula_safe_cells() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("名单.xlsx");
    write_xlsx(
        &input,
        &[
            &["序号", "公司名称", "注册资本（万元）", "主营业务", "备注"],
            &[
                "1",
                "温州瓯越电竞文化有限公司",
                "500",
                "电子竞技赛事运营；电竞场馆经营",
                "=1+1",
            ],
            &[
                "2",
                "+86云呼科技（温州）有限公司",
                "120.5",
                "云计算服务；大数据服务",
                "@admin",
            ],
            &["", "", "", "", ""],
            &["4", "温州鞋业有限公司", "", "皮鞋制造、销售", "-"],
        ],
    );
    let out = dir.path().join("排名.xlsx");
    let (_, stderr) = ok(dir.path(), &["rank", s(&input), "-o", s(&out)]);
    assert_eq!(counts(&stderr), (4, 3, 1), "{stderr}");

    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&out).expect("open output");
    let range = book.worksheet_range_at(0).expect("a sheet").expect("read sheet");
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(
        &header[..5],
        &["序号", "公司名称", "注册资本（万元）", "主营业务", "备注"]
    );
    let row_col = col(&header, "行号");
    let verdict = col(&header, "判定");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1][row_col], Data::Float(1.0));
    assert_eq!(rows[3][row_col], Data::Float(4.0));
    assert_eq!(rows[1][verdict].to_string(), "重点目标");
    // Numbers stay numbers; formula-like text stays inert text with its content intact.
    assert_eq!(rows[2][2], Data::Float(120.5));
    assert_eq!(rows[1][4], Data::String("=1+1".into()));
    assert_eq!(rows[2][1], Data::String("+86云呼科技（温州）有限公司".into()));
    assert_eq!(rows[2][4], Data::String("@admin".into()));
    assert_eq!(rows[3][4], Data::String("-".into()));
    let formulas = book.worksheet_formula(&book.sheet_names()[0]).unwrap();
    assert!(
        formulas.cells().all(|(_, _, f)| f.is_empty()),
        "no formulas in the output"
    );
}

#[test]
fn xlsx_input_to_jsonl_matches_csv_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("list.xlsx");
    write_xlsx(
        &input,
        &[
            &["企业名称", "经营范围"],
            &["温州瓯越电竞文化有限公司", "电子竞技赛事运营；电竞场馆经营"],
        ],
    );
    let csv = dir.path().join("list.csv");
    std::fs::write(
        &csv,
        "企业名称,经营范围\n温州瓯越电竞文化有限公司,电子竞技赛事运营；电竞场馆经营\n",
    )
    .unwrap();
    let (a, _) = ok(dir.path(), &["rank", s(&input)]);
    let (b, _) = ok(dir.path(), &["rank", s(&csv)]);
    assert_eq!(a, b);
}

#[test]
fn invalid_bytes_are_replaced_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.csv");
    let mut bytes = "企业名称,经营范围\n温州瓯越电竞文化有限公司,电子竞技赛事运营；电竞场馆经营\n温州"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"\xFF\xFE");
    bytes.extend_from_slice("鞋业有限公司,皮鞋制造、销售；鞋材加工；服装销售；箱包销售\n".as_bytes());
    std::fs::write(&input, bytes).unwrap();
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&input)]);
    assert_eq!(counts(&stderr), (2, 2, 0));
    let lines = jsonl(&stdout);
    assert!(lines[0].get("flags").is_none());
    assert_eq!(lines[1]["flags"], serde_json::json!(["invalid_bytes"]));
    assert!(lines[1]["name"].as_str().unwrap().contains('\u{FFFD}'));
}

#[test]
fn huge_cells_are_truncated_for_scoring_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("huge.csv");
    let scope = "电子竞技赛事运营；".repeat(5_000); // 45,000 characters
    std::fs::write(
        &input,
        format!("企业名称,经营范围\n温州瓯越电竞文化有限公司,{scope}\n温州鞋业有限公司,皮鞋制造\n"),
    )
    .unwrap();
    let out = dir.path().join("out.csv");
    let (_, stderr) = ok(dir.path(), &["rank", s(&input), "-o", s(&out)]);
    assert_eq!(counts(&stderr), (2, 2, 0));
    let (header, rows) = read_csv(&out);
    assert_eq!(rows[0][1], scope, "the cell passes through whole");
    assert!(rows[0][col(&header, "问题")].contains("truncated"));
    assert_eq!(rows[0][col(&header, "判定")], "重点目标");

    // XLSX cells hold at most 32,767 characters: cut and flagged there too.
    let xlsx = dir.path().join("out.xlsx");
    ok(dir.path(), &["rank", s(&input), "-o", s(&xlsx)]);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let cell = range.get_value((1, 1)).unwrap().to_string();
    assert_eq!(cell.chars().count(), 32_767);
}

#[test]
fn no_usable_column_fails_listing_headers_and_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("x.csv");
    std::fs::write(&input, "公司,简况,电话\n温州鞋业,皮鞋,123\n").unwrap();
    let out = leadmatch(dir.path(), &["rank", s(&input)], None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for h in ["公司", "简况", "电话", "企业名称", "经营范围", "--columns"] {
        assert!(err.contains(h), "{h} missing from:\n{err}");
    }
    assert!(out.stdout.is_empty());

    // --columns maps the columns by hand.
    let (stdout, _) = ok(dir.path(), &["rank", s(&input), "--columns", "name=公司,scope=简况"]);
    let lines = jsonl(&stdout);
    assert_eq!(lines[0]["name"], "温州鞋业");

    // An override naming a missing header fails with the headers found.
    let out = leadmatch(dir.path(), &["rank", s(&input), "--columns", "name=企业"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("简况"));
}

#[test]
fn stdin_input_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let csv = std::fs::read(data("small.csv")).unwrap();
    let out = leadmatch(dir.path(), &["rank", "-"], Some(&csv));
    assert!(out.status.success());
    let (file, _) = ok(dir.path(), &["rank", s(&data("small.csv"))]);
    assert_eq!(out.stdout, file);

    let jl = std::fs::read(data("small.jsonl")).unwrap();
    let out = leadmatch(dir.path(), &["rank", "-"], Some(&jl));
    assert!(out.status.success());
    assert_eq!(jsonl(&out.stdout).len(), 3);
}

#[test]
fn score_and_rank_agree() {
    let dir = tempfile::tempdir().unwrap();
    let name = "温州瓯越电竞文化有限公司";
    let scope = "电子竞技赛事运营；电竞场馆经营；网络直播技术服务";
    let (score, _) = ok(
        dir.path(),
        &["score", "--name", name, "--scope", scope, "--format", "json"],
    );
    let score: serde_json::Value = serde_json::from_slice(&score).unwrap();
    let input = dir.path().join("one.jsonl");
    std::fs::write(&input, serde_json::json!({"name": name, "scope": scope}).to_string()).unwrap();
    let (rank, _) = ok(dir.path(), &["rank", s(&input)]);
    let rank = &jsonl(&rank)[0];
    for k in ["verdict", "fit", "matches", "name"] {
        assert_eq!(score[k], rank[k], "{k}");
    }
    assert_eq!(rank["row"], 1);
}

#[test]
fn top_k_and_english_headers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    ok(
        dir.path(),
        &[
            "rank",
            s(&data("small.csv")),
            "-o",
            s(&out),
            "--top",
            "1",
            "--lang",
            "en",
        ],
    );
    let (header, rows) = read_csv(&out);
    let sectors = col(&header, "sectors");
    col(&header, "verdict");
    assert_eq!(rows[0][col(&header, "verdict")], "target");
    assert!(!rows[0][sectors].contains(';'), "{}", rows[0][sectors]);
}

#[test]
fn empty_input_and_failed_output_leave_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("only-header.csv");
    std::fs::write(&input, "企业名称,经营范围\n").unwrap();
    let out = dir.path().join("o.csv");
    let (_, stderr) = ok(dir.path(), &["rank", s(&input), "-o", s(&out)]);
    assert_eq!(counts(&stderr), (0, 0, 0));
    assert_eq!(read_csv(&out).1.len(), 0);

    let bad = leadmatch(
        dir.path(),
        &["rank", s(&input), "-o", s(&dir.path().join("x.unknown"))],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
}

// --- Issue 5: routing report and filters ---------------------------------------------------

/// The summary's 筛除 filtered count (0 when no filter line is printed).
fn filtered(stderr: &str) -> u64 {
    let label = "筛除 filtered:";
    stderr.find(label).map_or(0, |at| {
        stderr[at + label.len()..]
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("number after {label}:\n{stderr}"))
    })
}

/// Ranks the Wenzhou seed list to JSONL on stdout with `extra` flags: the rows and the summary.
fn seed_jsonl(dir: &Path, extra: &[&str]) -> (Vec<serde_json::Value>, String) {
    let seeds = seed("leads-wenzhou.csv");
    let mut args = vec!["rank", s(&seeds)];
    args.extend_from_slice(extra);
    let (stdout, stderr) = ok(dir, &args);
    (jsonl(&stdout), stderr)
}

#[test]
fn report_from_the_seed_list_has_every_section_and_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("排名.csv");
    let report = dir.path().join("report.html");
    let (_, stderr) = ok(
        dir.path(),
        &[
            "rank",
            s(&seed("leads-wenzhou.csv")),
            "-o",
            s(&out),
            "--report",
            s(&report),
        ],
    );
    assert_eq!(counts(&stderr), (120, 120, 0), "{stderr}");
    let html = std::fs::read_to_string(&report).expect("report written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    for part in [
        "<figure id=\"sector-chart\">",
        "<figure id=\"verdict-chart\">",
        "<figure id=\"tier-chart\">",
        "<svg",
        "<rect",
        "泛娱乐产业",
        "id=\"sectors\"",
        "id=\"routing\"",
        "市经信局",
        "id=\"duplicates\"",
        "id=\"rejects\"",
        "@media print",
    ] {
        assert!(html.contains(part), "report lacks {part}");
    }
    // The seed duplicates (seeds/README.md): row → first occurrence.
    let dups = &html[html.find("id=\"duplicates\"").unwrap()..html.find("id=\"rejects\"").unwrap()];
    for (row, first) in [(105, 24), (111, 70), (114, 102), (115, 71)] {
        assert!(
            dups.contains(&format!("<td class=\"num\">{row}</td><td class=\"num\">→ {first}</td>")),
            "duplicate {row} → {first} not listed:\n{dups}"
        );
    }
    // Self-contained: no scripts, no links to anything.
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "report has a script");
    assert!(!lower.contains("http"), "report references a URL");
    assert!(!lower.contains("<link") && !lower.contains("@import") && !lower.contains("url("));
}

#[test]
fn report_lists_rejects_and_escapes_names_from_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("evil.csv");
    std::fs::write(
        &input,
        "企业名称,经营范围\n\
         \"<script>alert('x')</script>温州瓯越电竞有限公司\",电子竞技赛事运营；电竞场馆经营；网络直播\n\
         ,\n\
         \"<img src=x onerror=alert(1)>\",\"大数据服务；云计算服务\"\n",
    )
    .unwrap();
    let report = dir.path().join("r.html");
    let (_, stderr) = ok(dir.path(), &["rank", s(&input), "--report", s(&report)]);
    assert_eq!(counts(&stderr), (3, 2, 1), "{stderr}");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(!html.to_lowercase().contains("<script"), "unescaped script tag");
    assert!(!html.contains("<img"), "unescaped img tag");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;温州瓯越电竞有限公司"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let rejects = &html[html.find("id=\"rejects\"").unwrap()..];
    assert!(rejects.contains("<td class=\"num\">2</td>"), "{rejects}");

    // The small fixture: rows 4 and 5 are rejected, with reasons.
    let report = dir.path().join("small.html");
    ok(dir.path(), &["rank", s(&data("small.csv")), "--report", s(&report)]);
    let html = std::fs::read_to_string(&report).unwrap();
    let rejects = &html[html.find("id=\"rejects\"").unwrap()..];
    assert!(rejects.contains("(2)"), "{rejects}");
    assert!(rejects.contains("<td class=\"num\">4</td>") && rejects.contains("<td class=\"num\">5</td>"));
}

#[test]
fn min_tier_keeps_only_better_tiers_and_the_accounting_adds_up() {
    let dir = tempfile::tempdir().unwrap();
    let (all, _) = seed_jsonl(dir.path(), &[]);
    let (rows, stderr) = seed_jsonl(dir.path(), &["--min-tier", "B"]);
    let (n_in, n_out, rejected) = counts(&stderr);
    assert_eq!(n_in, n_out + filtered(&stderr) + rejected, "{stderr}");
    assert!(filtered(&stderr) > 0 && !rows.is_empty(), "{stderr}");
    assert_eq!(rows.len() as u64, n_out);
    for r in &rows {
        let tier = r["priority"]["tier"].as_str().unwrap();
        assert!(tier == "A" || tier == "B", "row {} tier {tier}", r["row"]);
    }
    let expected = all
        .iter()
        .filter(|r| matches!(r["priority"]["tier"].as_str(), Some("A" | "B")))
        .count();
    assert_eq!(rows.len(), expected);
}

#[test]
fn sector_filter_by_number_or_id() {
    let dir = tempfile::tempdir().unwrap();
    let (by_no, stderr) = seed_jsonl(dir.path(), &["--sector", "6"]);
    assert!(!by_no.is_empty());
    for r in &by_no {
        assert_eq!(r["matches"][0]["sector_no"], 6, "row {}", r["row"]);
    }
    let (n_in, n_out, rejected) = counts(&stderr);
    assert_eq!(n_in, n_out + filtered(&stderr) + rejected);
    let (by_id, _) = seed_jsonl(dir.path(), &["--sector", "pan-entertainment"]);
    assert_eq!(by_no, by_id);
    let (two, _) = seed_jsonl(dir.path(), &["--sector", "6,new-finance"]);
    let (repeated, _) = seed_jsonl(dir.path(), &["--sector", "6", "--sector", "3"]);
    assert_eq!(two, repeated);
    assert!(two.len() > by_no.len());
    let out = leadmatch(
        dir.path(),
        &["rank", s(&seed("leads-wenzhou.csv")), "--sector", "no-such-sector"],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "unknown sector is a usage error");
}

#[test]
fn lead_unit_and_verdict_filters() {
    let dir = tempfile::tempdir().unwrap();
    let (rows, stderr) = seed_jsonl(dir.path(), &["--min-tier", "B", "--lead-unit", "市商务局"]);
    assert!(!rows.is_empty(), "{stderr}");
    for r in &rows {
        assert_eq!(r["matches"][0]["lead_unit"], "市商务局");
        assert!(matches!(r["priority"]["tier"].as_str(), Some("A" | "B")));
    }
    let (n_in, n_out, rejected) = counts(&stderr);
    assert_eq!((n_in, n_out + filtered(&stderr) + rejected), (120, 120));

    let (possible, _) = seed_jsonl(dir.path(), &["--verdict", "possible"]);
    assert!(possible.iter().all(|r| r["verdict"] == "possible"));
    let (both, stderr) = seed_jsonl(dir.path(), &["--verdict", "target,possible"]);
    assert!(both.iter().all(|r| r["verdict"] != "none"));
    assert!(both.len() > possible.len());
    let (none, _) = seed_jsonl(dir.path(), &["--verdict", "none"]);
    assert_eq!(both.len() + none.len(), 120);
    assert_eq!(filtered(&stderr), none.len() as u64);
}

#[test]
fn report_describes_the_filtered_output_and_shows_the_filter() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("排名.csv");
    let report = dir.path().join("r.html");
    ok(
        dir.path(),
        &[
            "rank",
            s(&seed("leads-wenzhou.csv")),
            "-o",
            s(&out),
            "--min-tier",
            "B",
            "--lead-unit",
            "市商务局",
            "--report",
            s(&report),
        ],
    );
    let (_, rows) = read_csv(&out);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("--min-tier B --lead-unit 市商务局"));
    assert!(html.contains(&format!("<th>输出 Rows out</th><td>{}</td>", rows.len())));
    let routing = &html[html.find("id=\"routing\"").unwrap()..html.find("id=\"duplicates\"").unwrap()];
    assert!(
        routing.contains("市商务局") && !routing.contains("市经信局"),
        "{routing}"
    );
}

/// `-o /dev/null` (how benchmarks discard output) writes into the device: renaming a temporary
/// file over it, as root, replaced `/dev/null` with a regular file that later programs read back.
#[cfg(unix)]
#[test]
fn output_to_a_device_leaves_the_device() {
    use std::os::unix::fs::FileTypeExt;
    let null = Path::new("/dev/null");
    if !std::fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device()) {
        eprintln!("skipped: /dev/null is not a character device on this host");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, stderr) = ok(
        dir.path(),
        &[
            "rank",
            s(&data("small.csv")),
            "--format",
            "jsonl",
            "-o",
            "/dev/null",
            "--rejects",
            "/dev/null",
            "--report",
            "/dev/null",
        ],
    );
    assert_eq!(counts(&stderr), (8, 6, 2), "{stderr}");
    let meta = std::fs::metadata(null).unwrap();
    assert!(meta.file_type().is_char_device(), "/dev/null was replaced: {meta:?}");
}
