//! `leadmatch rank --compact` and the deduplication keys end to end (issue 16): the real binary
//! on a JSONL list with credit-code and name repeats, in traditional and simplified script.
//!
//! The binary runs in an empty temporary directory (built-in catalogue, in-memory index).

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn leadmatch(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadmatch"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run leadmatch")
}

fn lines(out: &Output) -> Vec<serde_json::Value> {
    assert!(
        out.status.success(),
        "leadmatch failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// A valid unified social credit code with the given first 16 characters.
fn code(first16: &str) -> String {
    let org = leadmatch::lead::org_check_char(&first16[8..16]).expect("org body");
    let first17 = format!("{first16}{org}");
    let check = leadmatch::lead::credit_check_char(&first17).expect("17 characters");
    format!("{first17}{check}")
}

/// A list with a code repeat (another name), a name repeat in the other script, an invalid code
/// and a row without name or scope.
fn write_list(dir: &Path) -> String {
    let x = code("9133030014542342");
    let rows = [
        serde_json::json!({"id": "a", "name": "温州瓯越电竞文化有限公司", "scope": "电子竞技赛事运营；电竞场馆经营", "credit_code": x}),
        serde_json::json!({"id": "b", "name": "Wenzhou Valve Works Co., Ltd.", "scope": "Manufactures gate valves and ball valves."}),
        serde_json::json!({"id": "c", "name": "瓯越数字娱乐有限公司", "scope": "网络直播技术服务", "credit_code": x.to_lowercase()}),
        serde_json::json!({"id": "d", "name": "溫州宏達區塊鏈科技有限公司", "scope": "區塊鏈技術服務；軟體開發"}),
        serde_json::json!({"id": "e", "name": "温州宏达区块链科技有限公司", "scope": "区块链技术服务", "credit_code": "91330300MA2HXXXXX0"}),
        serde_json::json!({"id": "f", "name": "", "scope": ""}),
    ];
    let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
    let path = dir.join("list.jsonl");
    std::fs::write(&path, text).expect("write list");
    path.to_str().expect("utf-8 path").to_string()
}

#[test]
fn compact_lines_carry_keys_and_numbers_not_catalogue_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = write_list(dir.path());
    let rows = lines(&leadmatch(dir.path(), &["rank", &list, "--compact", "-q"]));
    assert_eq!(rows.len(), 5, "the empty row is rejected");
    let keys = [
        "row",
        "id",
        "name",
        "verdict",
        "fit",
        "priority",
        "tier",
        "sectors",
        "scores",
        "industries",
        "flags",
        "dedup_key",
        "block_key",
    ];
    for r in &rows {
        let obj = r.as_object().expect("object");
        for k in keys {
            assert!(obj.contains_key(k), "{k} missing in {r}");
        }
        assert!(!obj.contains_key("matches") && !obj.contains_key("lead_unit"), "{r}");
        assert_eq!(
            r["sectors"].as_array().map(Vec::len),
            r["scores"].as_array().map(Vec::len)
        );
    }
    let by_id = |id: &str| rows.iter().find(|r| r["id"] == id).expect("row by id");
    // The code repeat (lower case, another name) and the name repeat (other script, an invalid
    // code ignored) share the first row's key and are marked.
    assert_eq!(by_id("a")["dedup_key"], by_id("c")["dedup_key"]);
    assert_eq!(by_id("c")["duplicate_of"], 1);
    assert_eq!(by_id("d")["dedup_key"], "温州宏达区块链科技");
    assert_eq!(by_id("d")["dedup_key"], by_id("e")["dedup_key"]);
    assert_eq!(by_id("e")["duplicate_of"], 4);
    assert_eq!(by_id("e")["flags"], serde_json::json!(["credit_code_invalid"]));
    assert_eq!(by_id("d")["block_key"], by_id("e")["block_key"]);
    assert_eq!(by_id("a")["sectors"][0], 6);
    assert_eq!(
        by_id("d")["sectors"][0],
        1,
        "traditional text is matched: 区块链 is sector 1"
    );
}

#[test]
fn compact_and_full_results_agree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = write_list(dir.path());
    let compact = lines(&leadmatch(dir.path(), &["rank", &list, "--compact", "-q"]));
    let full = lines(&leadmatch(dir.path(), &["rank", &list, "-q"]));
    assert_eq!(compact.len(), full.len());
    for (c, f) in compact.iter().zip(&full) {
        for k in ["row", "id", "verdict", "fit", "dedup_key", "block_key", "duplicate_of"] {
            assert_eq!(c.get(k), f.get(k), "{k}: {c} vs {f}");
        }
        assert_eq!(c["priority"], f["priority"]["score"]);
        assert_eq!(c["tier"], f["priority"]["tier"]);
        let sectors: Vec<_> = f["matches"]
            .as_array()
            .expect("matches")
            .iter()
            .map(|m| m["sector_no"].clone())
            .collect();
        assert_eq!(c["sectors"], serde_json::Value::Array(sectors));
    }
}

#[test]
fn score_json_carries_the_dedup_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = leadmatch(
        dir.path(),
        &[
            "score",
            "--name",
            "騰訊科技（深圳）有限公司",
            "--scope",
            "網路遊戲開發",
            "--format",
            "json",
        ],
    );
    let v = &lines(&out)[0];
    assert_eq!(v["dedup_key"], "深圳腾讯科技");
    assert!(v["block_key"].is_string());
}

#[test]
fn compact_is_for_jsonl_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = write_list(dir.path());
    let out = leadmatch(dir.path(), &["rank", &list, "--compact", "-o", "out.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--compact"));
    assert!(!dir.path().join("out.csv").exists());
}

/// Runs leadmatch in `dir` with its cache directory set (empty: no cache).
fn leadmatch_cached(dir: &Path, cache: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadmatch"))
        .args(args)
        .env("LEADMATCH_CACHE_DIR", cache)
        .current_dir(dir)
        .output()
        .expect("run leadmatch")
}

/// Issue 16, start-up: without `catalog/` the built-in catalogue's index is kept in the cache
/// directory (built once, opened after), gives the same results as one built in memory, and a
/// damaged cached index is found by its checksums and rebuilt (issue 15).
#[test]
fn the_built_in_index_is_cached_checked_and_gives_the_same_results() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let cache_s = cache.path().to_str().unwrap();
    let list = write_list(dir.path());
    let args = ["rank", list.as_str(), "--format", "jsonl", "-q"];
    let memory = leadmatch_cached(dir.path(), "", &args);
    assert!(memory.status.success(), "{}", String::from_utf8_lossy(&memory.stderr));
    let entries = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(cache.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect()
    };
    assert!(entries().is_empty(), "no cache when turned off");
    let first = leadmatch_cached(dir.path(), cache_s, &args);
    assert_eq!(first.stdout, memory.stdout, "cached index built: same output");
    assert_eq!(
        first.stderr,
        memory.stderr,
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let built = entries();
    assert_eq!(built.len(), 1, "one entry, nothing half-built left: {built:?}");
    let second = leadmatch_cached(dir.path(), cache_s, &args);
    assert_eq!(second.stdout, memory.stdout, "cached index opened: same output");
    assert_eq!(
        second.stderr,
        memory.stderr,
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    // Damage one term file: the checksums catch it, the index is rebuilt, the results hold.
    common::corrupt_a_term_file(&built[0]);
    let repaired = leadmatch_cached(dir.path(), cache_s, &args);
    assert_eq!(repaired.stdout, memory.stdout, "damaged cache rebuilt: same output");
    assert!(
        String::from_utf8_lossy(&repaired.stderr).contains("rebuilt"),
        "{}",
        String::from_utf8_lossy(&repaired.stderr)
    );
    let again = leadmatch_cached(dir.path(), cache_s, &args);
    assert_eq!(again.stdout, memory.stdout);
    assert_eq!(
        again.stderr,
        memory.stderr,
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

/// Runs started together on a fresh `./index` (a user launching several jobs at once) all succeed
/// with the same answer: each builds beside the directory and renames its index into place, where
/// one in five failed with "not a leadmatch index" when they built in it (found by a fresh tester).
#[test]
fn concurrent_first_runs_on_a_fresh_index_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let copy = Command::new("cp")
        .args(["-r", common::s(&common::repo().join("catalog")), common::s(dir.path())])
        .status()
        .expect("cp");
    assert!(copy.success());
    let args = ["score", "--scope", "电子竞技赛事运营", "--format", "json"];
    let children: Vec<_> = (0..6).map(|_| common::spawn(dir.path(), &args)).collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect();
    for out in &outputs {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.stdout, outputs[0].stdout);
    }
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("build"))
        .collect();
    assert!(left.is_empty(), "build directories left behind: {left:?}");
    let again = leadmatch(dir.path(), &args);
    assert_eq!(again.stdout, outputs[0].stdout, "opened afterwards: the same");
}

/// `--compact` alone computes only the fields it prints (no reasons, evidence or catalogue text);
/// with `--report` it computes everything, for the report's lists. The lines must not differ: a
/// compact field computed only on the full path would show here (200 labelled profiles of every
/// kind, plus the list above).
#[test]
fn lean_compact_lines_equal_the_full_path_compact_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    for list in [
        common::repo()
            .join("tests/data/register-tune8.jsonl")
            .to_str()
            .expect("utf-8")
            .to_string(),
        write_list(dir.path()),
    ] {
        let lean = leadmatch(dir.path(), &["rank", &list, "--compact", "-q"]);
        let full = leadmatch(dir.path(), &["rank", &list, "--compact", "-q", "--report", "r.html"]);
        let (lean, full) = (lines(&lean), lines(&full));
        assert!(lean.len() >= 5);
        assert_eq!(lean, full);
    }
}
