//! Helpers shared by the end-to-end tests (`mod common;`): running the real binary in a
//! directory and reading what it writes.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The repository (the crate's manifest directory).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Starts `leadmatch` with `args` in `dir`, its stdin, stdout and stderr pipes.
pub fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_leadmatch"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run leadmatch")
}

/// Runs `leadmatch` with `args` in `dir`, feeding `stdin` (none: an empty stdin).
pub fn leadmatch(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = spawn(dir, args);
    {
        let mut input = child.stdin.take().expect("stdin");
        if let Some(bytes) = stdin {
            // The binary may stop reading early (a limit); a broken pipe is fine.
            let _ = input.write_all(bytes);
        }
    }
    child.wait_with_output().expect("wait for leadmatch")
}

/// Runs `leadmatch` with `args` in `dir` and no stdin.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    leadmatch(dir, args, None)
}

/// Runs and asserts success; returns stdout and stderr.
pub fn ok(dir: &Path, args: &[&str]) -> (Vec<u8>, String) {
    let out = run(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "leadmatch {args:?} failed ({:?}):\n{stderr}",
        out.status.code()
    );
    (out.stdout, stderr)
}

/// Runs and asserts exit 1 (a failure with a message, not a crash); returns stderr.
pub fn fails(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "leadmatch {args:?}:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// JSON lines, one value a line.
pub fn jsonl(bytes: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(bytes.to_vec())
        .expect("utf-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

/// Reads a CSV written by `rank` (UTF-8, with or without a BOM): header and rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    csv_rows(&std::fs::read(path).expect("read csv"))
}

/// The header and rows of CSV bytes (UTF-8, with or without a BOM).
pub fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(body);
    let header = rdr.headers().expect("header").iter().map(String::from).collect();
    let rows = rdr
        .records()
        .map(|r| r.expect("record").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The position of the column `name`.
pub fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// The number after `label` in the summary.
pub fn count_after(stderr: &str, label: &str) -> u64 {
    let at = stderr
        .find(label)
        .unwrap_or_else(|| panic!("no {label:?} in:\n{stderr}"));
    stderr[at + label.len()..]
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number after {label:?} in:\n{stderr}"))
}

/// The summary's counts: (in, out, rejected).
pub fn counts(stderr: &str) -> (u64, u64, u64) {
    (
        count_after(stderr, "读入 in:"),
        count_after(stderr, "输出 out:"),
        count_after(stderr, "拒收 rejected:"),
    )
}

/// Changes 16 bytes in the middle of one of the index's `.term` files.
pub fn corrupt_a_term_file(index: &Path) {
    let term = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "term"))
        .expect("a .term file");
    let mut bytes = std::fs::read(&term).unwrap();
    let mid = bytes.len() / 2;
    let end = (mid + 16).min(bytes.len());
    for b in &mut bytes[mid..end] {
        *b ^= 0xA5;
    }
    std::fs::write(&term, &bytes).unwrap();
}
