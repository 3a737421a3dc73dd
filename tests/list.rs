//! A list staff can act on, and safe outputs (issue 14 points 10–16, issue 15 points 4–6): the
//! real binary on real files.
//!
//! - 登记状态 registration status: flagged, tier D, `--status` filter;
//! - 来源 origin: local (培育) or elsewhere (招引), column, JSON, report, `--origin` filter;
//! - rows judged `none` are routed nowhere; industries do not inherit unrelated carriers;
//! - `--sort`, and the XLSX sheets 名单 / 排名 / 汇总;
//! - the version and catalogue fingerprint everywhere, local time with its offset;
//! - broken pipes end quietly; a corrupted index is rebuilt;
//! - no output may be the input or another output; outputs are written atomically.
//!
//! Most runs use the built-in catalogue in an empty temporary directory (in-memory index).

mod common;

use calamine::{Data, Reader};
use common::{col, corrupt_a_term_file, count_after, jsonl, ok, read_csv, repo, run, s};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn case(name: &str) -> PathBuf {
    repo().join("tests/data/cases").join(name)
}

fn seeds() -> PathBuf {
    repo().join("seeds/leads-wenzhou.csv")
}

fn tier(r: &serde_json::Value) -> &str {
    r["priority"]["tier"].as_str().unwrap_or("?")
}

fn flags(r: &serde_json::Value) -> Vec<&str> {
    r["flags"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f.as_str()).collect())
        .unwrap_or_default()
}

// --- 10. 登记状态 registration status ---------------------------------------------------------

#[test]
fn deregistered_and_revoked_companies_are_flagged_and_tier_d() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&case("19-registration-status.csv"))]);
    let rows = jsonl(&stdout);
    assert_eq!(rows.len(), 3, "{stderr}");
    // 存续（在营、开业、在册）: operating, a normal lead.
    assert_eq!(rows[0]["status"], "active");
    assert!(!flags(&rows[0]).contains(&"status_inactive"));
    assert_ne!(tier(&rows[0]), "D", "{}", rows[0]);
    // 注销 and 吊销，未注销: flagged, tier D, the reason first.
    for (r, word) in [(&rows[1], "注销"), (&rows[2], "吊销")] {
        assert_eq!(r["status"], "inactive", "{r}");
        assert!(flags(r).contains(&"status_inactive"), "{r}");
        assert_eq!(tier(r), "D", "{r}");
        let first = r["priority"]["reasons"][0].as_str().unwrap();
        assert!(first.contains(word) && first.contains("not operating"), "{first}");
    }
    assert!(stderr.contains("status_inactive 2"), "{stderr}");
}

#[test]
fn status_filter_keeps_only_operating_companies() {
    let dir = tempfile::tempdir().unwrap();
    let input = case("19-registration-status.csv");
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&input), "--status", "active"]);
    let rows = jsonl(&stdout);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["row"], 1);
    assert_eq!(count_after(&stderr, "筛除 filtered:"), 2, "{stderr}");
    assert!(stderr.contains("--status active"), "{stderr}");
    let (stdout, _) = ok(dir.path(), &["rank", s(&input), "--status", "inactive"]);
    let rows: Vec<u64> = jsonl(&stdout).iter().map(|r| r["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, [2, 3]);
}

#[test]
fn a_status_phrase_in_the_name_column_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, _) = ok(dir.path(), &["rank", s(&case("status-in-name.csv"))]);
    let rows = jsonl(&stdout);
    assert!(flags(&rows[0]).contains(&"status_inactive"), "{}", rows[0]);
    assert_eq!(tier(&rows[0]), "D");
    // No phrase: no status; 清算 inside a name is a trade, not a status.
    assert!(rows[1].get("status").is_none(), "{}", rows[1]);
    assert!(!flags(&rows[2]).contains(&"status_inactive"), "{}", rows[2]);
    // `--status unknown` keeps the rows without a status.
    let (stdout, _) = ok(
        dir.path(),
        &["rank", s(&case("status-in-name.csv")), "--status", "unknown"],
    );
    assert_eq!(jsonl(&stdout).len(), 2);
}

// --- 11. 来源 origin --------------------------------------------------------------------------

#[test]
fn origin_says_local_cultivation_or_elsewhere_attraction() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.csv");
    let report = dir.path().join("r.html");
    let (_, stderr) = ok(
        dir.path(),
        &["rank", s(&case("origin.csv")), "-o", s(&out), "--report", s(&report)],
    );
    let (header, rows) = read_csv(&out);
    let c = col(&header, "来源");
    let got: Vec<&str> = rows.iter().map(|r| r[c].as_str()).collect();
    assert_eq!(
        got,
        ["本地（培育）", "外地（招引）", "外地（招引）", "未知", "本地（培育）"],
        "{rows:?}"
    );
    // The 温商 firm elsewhere keeps the plan's 温商回归 reason.
    let reasons = &rows[2][col(&header, "优先级理由")];
    assert!(reasons.contains("温商回归") && reasons.contains("招引"), "{reasons}");
    assert!(stderr.contains("外地 elsewhere（招引 attract）2"), "{stderr}");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("按来源 By origin"), "report has the origin chart");

    let (stdout, _) = ok(dir.path(), &["rank", s(&case("origin.csv")), "--origin", "elsewhere"]);
    let rows = jsonl(&stdout);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["origin"] == "elsewhere"));
    let (stdout, _) = ok(dir.path(), &["rank", s(&case("origin.csv")), "--origin", "local"]);
    let rows: Vec<u64> = jsonl(&stdout).iter().map(|r| r["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, [1, 5]);
}

#[test]
fn score_takes_a_location_and_a_status() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, _) = ok(
        dir.path(),
        &[
            "score",
            "--name",
            "星河电竞",
            "--scope",
            "电子竞技赛事运营",
            "--location",
            "上海市",
            "--status",
            "注销",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(v["origin"], "elsewhere");
    assert_eq!(v["status"], "inactive");
    assert_eq!(tier(&v), "D");
}

// --- 12. none rows are routed nowhere -------------------------------------------------------

#[test]
fn rows_judged_none_carry_no_sector_unit_carriers_or_clause() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.csv");
    ok(dir.path(), &["rank", s(&seeds()), "-o", s(&out)]);
    let (header, rows) = read_csv(&out);
    let verdict = col(&header, "判定");
    let none: Vec<&Vec<String>> = rows.iter().filter(|r| r[verdict] == "不匹配").collect();
    assert!(none.len() >= 40, "the seed list has many none rows ({})", none.len());
    for name in ["产业类别", "细分产业", "依据", "牵头单位", "责任单位", "载体", "条款"] {
        let c = col(&header, name);
        for r in &none {
            assert!(r[c].is_empty(), "a none row has {name} = {:?}: {r:?}", r[c]);
        }
    }
    // Targets are still routed.
    let unit = col(&header, "牵头单位");
    assert!(
        rows.iter()
            .filter(|r| r[verdict] != "不匹配")
            .all(|r| !r[unit].is_empty())
    );

    // JSON: no matches; the nearest sector under its own key.
    let (stdout, _) = ok(dir.path(), &["rank", s(&seeds())]);
    let lines = jsonl(&stdout);
    let none: Vec<&serde_json::Value> = lines.iter().filter(|r| r["verdict"] == "none").collect();
    assert!(none.iter().all(|r| r["matches"].as_array().is_some_and(Vec::is_empty)));
    assert!(none.iter().any(|r| r["nearest"]["sector_no"].is_u64()));
    assert!(
        lines
            .iter()
            .filter(|r| r["verdict"] != "none")
            .all(|r| r.get("nearest").is_none())
    );
}

// --- 13. carriers from the clause that names them, or none ---------------------------------

#[test]
fn industries_do_not_inherit_unrelated_carriers() {
    let dir = tempfile::tempdir().unwrap();
    let score = |scope: &str| -> serde_json::Value {
        let (stdout, _) = ok(
            dir.path(),
            &["score", "--scope", scope, "--format", "json", "--top", "1"],
        );
        serde_json::from_slice(&stdout).unwrap()
    };
    let bikes = score("共享单车运营；共享电单车投放与运维；互联网租赁自行车");
    assert_eq!(bikes["matches"][0]["industry_id"], "bike-sharing", "{bikes}");
    assert_eq!(
        bikes["matches"][0]["carriers"].as_array().map(Vec::len).unwrap_or(0),
        0,
        "{bikes}"
    );
    let cars = score("智能网联汽车测试与运营；车路协同系统研发；自动驾驶出行服务");
    assert_eq!(cars["matches"][0]["industry_id"], "connected-vehicles", "{cars}");
    assert_eq!(
        cars["matches"][0]["carriers"],
        serde_json::json!(["智能网联汽车生态圈"]),
        "{cars}"
    );
    // Search hits agree.
    let (stdout, _) = ok(dir.path(), &["search", "共享单车", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    let hit = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["industry_id"] == "bike-sharing")
        .expect("bike-sharing hit");
    assert!(!hit["carriers"].to_string().contains("生命健康小镇"), "{hit}");
}

// --- 14. sorting, and the XLSX sheets ------------------------------------------------------

fn priority_key(r: &serde_json::Value) -> (String, i64) {
    (tier(r).to_string(), -r["priority"]["score"].as_i64().unwrap())
}

#[test]
fn sort_priority_fit_and_input() {
    let dir = tempfile::tempdir().unwrap();
    let (input_order, _) = ok(dir.path(), &["rank", s(&seeds())]);
    let input_order = jsonl(&input_order);
    let rows: Vec<u64> = input_order.iter().map(|r| r["row"].as_u64().unwrap()).collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "input order is the default");

    let (by_priority, stderr) = ok(dir.path(), &["rank", s(&seeds()), "--sort", "priority"]);
    assert!(stderr.contains("排序 sorted by: priority"), "{stderr}");
    let by_priority = jsonl(&by_priority);
    assert_eq!(by_priority.len(), input_order.len());
    let keys: Vec<(String, i64)> = by_priority.iter().map(priority_key).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
    assert_eq!(tier(&by_priority[0]), "A");

    let out = dir.path().join("by-fit.csv");
    ok(dir.path(), &["rank", s(&seeds()), "--sort", "fit", "-o", s(&out)]);
    let (header, rows) = read_csv(&out);
    let fit = col(&header, "匹配度");
    let fits: Vec<f64> = rows.iter().map(|r| r[fit].parse().unwrap()).collect();
    assert_eq!(fits.len(), input_order.len());
    assert!(fits.windows(2).all(|w| w[0] >= w[1]), "{fits:?}");
    // Every row is still there once.
    let row = col(&header, "行号");
    let mut seen: Vec<u64> = rows.iter().map(|r| r[row].parse().unwrap()).collect();
    seen.sort_unstable();
    assert_eq!(seen, (1..=input_order.len() as u64).collect::<Vec<_>>());
}

fn sheet(book: &mut calamine::Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<String>> {
    let range = book
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn xlsx_has_the_list_the_ranking_and_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("排名.xlsx");
    let (_, stderr) = ok(dir.path(), &["rank", s(&seeds()), "-o", s(&out)]);
    let rows_out = count_after(&stderr, "输出 out:");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(book.sheet_names(), ["名单", "排名", "汇总"]);

    let list = sheet(&mut book, "名单");
    let row = col(&list[0], "行号");
    assert_eq!(list[1][row], "1", "名单 keeps input order");
    assert_eq!(list.len() as u64, rows_out + 1);

    let ranked = sheet(&mut book, "排名");
    assert_eq!(ranked.len(), list.len());
    let (t, p) = (col(&ranked[0], "等级"), col(&ranked[0], "优先级"));
    let keys: Vec<(String, i64)> = ranked[1..]
        .iter()
        .map(|r| (r[t].clone(), -r[p].parse::<f64>().unwrap() as i64))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "排名 is best first: {keys:?}");

    let summary = sheet(&mut book, "汇总");
    let total = |kind: &str| -> u64 {
        summary
            .iter()
            .filter(|r| r[0] == kind)
            .map(|r| r[2].parse::<f64>().unwrap() as u64)
            .sum()
    };
    for kind in ["产业类别", "等级", "牵头单位", "判定"] {
        assert_eq!(total(kind), rows_out, "汇总 counts every row by {kind}: {summary:?}");
    }
    assert!(summary.iter().any(|r| r[0] == "产业类别" && r[1] == "不匹配"));
    assert!(summary.iter().any(|r| r[0] == "引擎" && r[1].starts_with("leadmatch ")));
}

// --- 15. which version ----------------------------------------------------------------------

#[test]
fn version_and_catalogue_fingerprint_everywhere_and_local_time_with_offset() {
    let dir = tempfile::tempdir().unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let report = dir.path().join("r.html");
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&case("origin.csv")), "--report", s(&report)]);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("版本 engine:"))
        .unwrap_or_else(|| panic!("no engine line:\n{stderr}"));
    assert!(line.contains(&format!("leadmatch {version}")), "{line}");
    let rows = jsonl(&stdout);
    let fp = rows[0]["engine"]["catalog"].as_str().expect("engine.catalog");
    assert_eq!(rows[0]["engine"]["version"], version);
    assert_eq!(fp.len(), 12);
    assert!(line.contains(fp), "{line}");

    let html = std::fs::read_to_string(&report).unwrap();
    let footer = &html[html.find("<footer>").expect("footer")..];
    assert!(footer.contains(version) && footer.contains(fp), "{footer}");
    // 生成 generated 2026-11-29 20:41:07 +08:00: a local time with its offset.
    let at = footer.find("generated ").unwrap() + "generated ".len();
    let stamp: Vec<&str> = footer[at..].split_whitespace().take(3).collect();
    let offset = stamp[2];
    assert!(
        (offset.starts_with('+') || offset.starts_with('-')) && offset.len() == 6 && &offset[3..4] == ":",
        "{stamp:?}"
    );

    // XLSX document properties.
    let out = dir.path().join("o.xlsx");
    ok(dir.path(), &["rank", s(&case("origin.csv")), "-o", s(&out)]);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut custom = String::new();
    zip.by_name("docProps/custom.xml")
        .expect("custom properties")
        .read_to_string(&mut custom)
        .unwrap();
    assert!(
        custom.contains("leadmatch_version") && custom.contains(version),
        "{custom}"
    );
    assert!(custom.contains(fp), "{custom}");
}

// --- 16. broken pipes -------------------------------------------------------------------------

/// Runs with stdout a pipe whose reader has gone before the command writes.
fn with_closed_stdout(dir: &Path, args: &[&str]) -> Output {
    let mut child = common::spawn(dir, args);
    drop(child.stdin.take());
    drop(child.stdout.take());
    child.wait_with_output().expect("wait")
}

#[test]
fn broken_pipes_end_quietly_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds();
    let commands: [&[&str]; 6] = [
        &["catalog", "list"],
        &["catalog", "show", "pan-entertainment"],
        &["search", "电竞"],
        &["score", "--scope", "电子竞技赛事运营"],
        &["rank", s(&seeds)],
        &["rank", s(&seeds), "--sort", "priority", "--format", "csv"],
    ];
    for args in commands {
        let out = with_closed_stdout(dir.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing left behind");
}

// --- issue 15.4: a corrupted index -----------------------------------------------------------

#[test]
fn a_corrupted_index_is_rebuilt_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = repo().join("catalog");
    let index = dir.path().join("index");
    let base = ["--catalog", s(&catalog), "--index", s(&index)];
    let with = |more: &[&str]| -> Vec<String> { base.iter().chain(more).map(|x| x.to_string()).collect() };
    let args = with(&["index"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(dir.path(), &args);
    corrupt_a_term_file(&index);
    let score = with(&["score", "--scope", "电子竞技赛事运营", "--format", "json"]);
    let score: Vec<&str> = score.iter().map(String::as_str).collect();
    let (stdout, stderr) = ok(dir.path(), &score);
    assert!(
        stderr.contains("rebuilt"),
        "a notice says the index was rebuilt: {stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    assert_eq!(v["matches"][0]["sector_no"], 6);
    // Repaired: the next run opens it quietly, and `index` says it is up to date.
    let (_, stderr) = ok(dir.path(), &score);
    assert!(!stderr.contains("rebuilt"), "{stderr}");

    corrupt_a_term_file(&index);
    let (stdout, _) = ok(dir.path(), &args);
    let said = String::from_utf8_lossy(&stdout);
    assert!(said.contains("damaged") && !said.contains("up to date"), "{said}");
}

// --- issue 15.5: no output may be the input or another output --------------------------------

#[test]
fn outputs_that_are_the_input_or_each_other_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    let original = std::fs::read(case("origin.csv")).unwrap();
    std::fs::write(&input, &original).unwrap();
    let link = dir.path().join("link.csv");
    std::fs::hard_link(&input, &link).unwrap();
    let o = dir.path().join("o.csv");
    let cases: [Vec<&str>; 5] = [
        vec!["rank", s(&input), "-o", s(&o), "--rejects", s(&input)],
        vec!["rank", s(&input), "-o", s(&o), "--report", s(&link)],
        vec!["rank", s(&input), "-o", s(&link)],
        vec!["rank", s(&input), "-o", s(&o), "--rejects", s(&o)],
        vec!["rank", s(&input), "-o", "o.csv", "--report", s(&o)],
    ];
    for args in &cases {
        let out = run(dir.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("same file"), "{stderr}");
        assert_eq!(
            std::fs::read(&input).unwrap(),
            original,
            "{args:?} left the input intact"
        );
    }
    assert!(!o.exists());
}

// --- issue 15.6: outputs written atomically ------------------------------------------------

/// Files in `dir` other than `keep`.
fn others(dir: &Path, keep: &[&Path]) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !keep.contains(&p.as_path()))
        .collect()
}

#[test]
fn a_failed_run_keeps_the_previous_rejects_and_report_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("拒收.csv");
    let report = dir.path().join("报告.html");
    std::fs::write(&rejects, "OLD REJECTS").unwrap();
    std::fs::write(&report, "OLD REPORT").unwrap();
    // The run fails while writing (its reader has gone): nothing is replaced.
    let seeds = seeds();
    let out = with_closed_stdout(
        dir.path(),
        &["rank", s(&seeds), "--rejects", s(&rejects), "--report", s(&report)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&rejects).unwrap(), "OLD REJECTS");
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "OLD REPORT");
    assert!(others(dir.path(), &[&rejects, &report]).is_empty());

    // A run that fails at the start (an output in a missing directory) leaves nothing either.
    let o = dir.path().join("missing/o.csv");
    let out = run(
        dir.path(),
        &[
            "rank",
            s(&seeds),
            "-o",
            s(&o),
            "--rejects",
            s(&rejects),
            "--report",
            s(&report),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&rejects).unwrap(), "OLD REJECTS");
    assert!(others(dir.path(), &[&rejects, &report]).is_empty());

    // A run that succeeds replaces both.
    ok(
        dir.path(),
        &[
            "rank",
            s(&seeds),
            "-o",
            "o.csv",
            "--rejects",
            s(&rejects),
            "--report",
            s(&report),
        ],
    );
    assert!(std::fs::read_to_string(&rejects).unwrap().contains("行号 row"));
    assert!(std::fs::read_to_string(&report).unwrap().contains("</html>"));
    assert_eq!(
        others(dir.path(), &[&rejects, &report]).len(),
        1,
        "only o.csv beside them"
    );
}

#[cfg(unix)]
#[test]
fn kill_9_leaves_the_previous_files_whole() {
    let dir = tempfile::tempdir().unwrap();
    // A list long enough to be killed in the middle of.
    let seed = std::fs::read_to_string(seeds()).unwrap();
    let mut lines = seed.lines();
    let header = lines.next().unwrap();
    let body: Vec<&str> = lines.collect();
    let mut big = String::from(header);
    big.push('\n');
    for _ in 0..300 {
        for l in &body {
            big.push_str(l);
            big.push('\n');
        }
    }
    let input = dir.path().join("big.csv");
    std::fs::write(&input, big).unwrap();
    let (o, rejects, report) = (
        dir.path().join("o.csv"),
        dir.path().join("r.csv"),
        dir.path().join("r.html"),
    );
    for p in [&o, &rejects, &report] {
        std::fs::write(p, "OLD").unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadmatch"))
        .args([
            "rank",
            s(&input),
            "-o",
            s(&o),
            "--rejects",
            s(&rejects),
            "--report",
            s(&report),
            "-q",
        ])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the run is writing (its temporary files exist), or has ended.
    let mut waited = 0;
    while waited < 600 && child.try_wait().unwrap().is_none() {
        let writing = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"));
        if writing {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        waited += 1;
    }
    let _ = child.kill();
    child.wait().unwrap();
    // Each file is the previous one or the whole new one (the kill may fall between two
    // renames), never a part.
    let text = |p: &Path| std::fs::read_to_string(p).unwrap();
    let out = text(&o);
    assert!(out == "OLD" || out.starts_with('\u{feff}'), "o.csv is whole");
    let rj = text(&rejects);
    assert!(rj == "OLD" || rj.starts_with("\u{feff}行号 row"), "rejects whole");
    let html = text(&report);
    assert!(html == "OLD" || html.trim_end().ends_with("</html>"), "report whole");
}
