//! Reading the files staff really get (issue 14 points 1–9) and hostile ones (issue 15 points
//! 1–3, 12): every reading case of `../shared/cases/exports/` and `../shared/cases/hardening/`
//! (copied to `tests/data/cases/`), run through the real binary.
//!
//! The binary runs in an empty temporary directory, so it uses the built-in catalogue and an
//! in-memory index.

mod common;

use common::{counts, fails, jsonl, leadmatch, ok, read_csv, s};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn case(dir: &str, name: &str) -> PathBuf {
    common::repo().join("tests/data/cases").join(dir).join(name)
}

fn export(name: &str) -> PathBuf {
    case("exports", name)
}

fn hardening(name: &str) -> PathBuf {
    case("hardening", name)
}

fn names(lines: &[serde_json::Value]) -> Vec<String> {
    lines
        .iter()
        .map(|v| v["name"].as_str().unwrap_or("").to_string())
        .collect()
}

fn flags(v: &serde_json::Value) -> Vec<String> {
    v["flags"]
        .as_array()
        .map(|a| a.iter().map(|f| f.as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

// ---- issue 14.1: title rows above the header ----

#[test]
fn header_is_found_below_a_title_row_and_the_summary_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&export("01-title-row-above-header.csv"))]);
    let lines = jsonl(&stdout);
    assert_eq!(lines.len(), 3, "{stderr}");
    assert_eq!(counts(&stderr), (3, 3, 0));
    assert!(stderr.contains("row 2"), "summary names the header row:\n{stderr}");
    assert!(
        names(&lines).iter().all(|n| n.starts_with("温州")),
        "{:?}",
        names(&lines)
    );
    assert_eq!(lines[0]["row"], 1, "rows count from below the header");

    // --header-row forces it: 2 gives the same; 1 (the title) has no usable column.
    let (forced, _) = ok(
        dir.path(),
        &["rank", s(&export("01-title-row-above-header.csv")), "--header-row", "2"],
    );
    assert_eq!(jsonl(&forced), lines);
    let err = fails(
        dir.path(),
        &["rank", s(&export("01-title-row-above-header.csv")), "--header-row", "1"],
    );
    assert!(err.contains("企业名称"), "{err}");
    let out = leadmatch(
        dir.path(),
        &["rank", s(&export("01-title-row-above-header.csv")), "--header-row", "0"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

// ---- issue 14.2: sheets ----

#[test]
fn the_visible_active_sheet_is_read_not_a_hidden_template() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&export("03b-hidden-template-sheet.xlsx"))]);
    let lines = jsonl(&stdout);
    assert_eq!(lines.len(), 2, "{stderr}");
    for n in names(&lines) {
        assert!(!n.contains("示例") && !n.contains("模板") && !n.is_empty(), "{n}");
    }
    assert!(stderr.contains("XLSX"), "{stderr}");
    assert!(stderr.contains("sheet"), "the summary names the sheet:\n{stderr}");
    assert!(
        stderr.contains("hidden"),
        "the skipped hidden sheet is named:\n{stderr}"
    );

    // --sheet 1 picks the hidden template on purpose; an unknown sheet lists the sheets.
    let (first, stderr1) = ok(
        dir.path(),
        &["rank", s(&export("03b-hidden-template-sheet.xlsx")), "--sheet", "1"],
    );
    assert_ne!(names(&jsonl(&first)), names(&lines), "{stderr1}");
    let err = fails(
        dir.path(),
        &[
            "rank",
            s(&export("03b-hidden-template-sheet.xlsx")),
            "--sheet",
            "没有这个表",
        ],
    );
    assert!(err.contains("sheets:"), "{err}");
}

// ---- issue 14.3: encodings ----

#[test]
fn utf16le_without_bom_is_detected_and_forcing_it_keeps_the_first_character() {
    let dir = tempfile::tempdir().unwrap();
    let file = export("07b-utf16le-no-bom.txt");
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&file)]);
    assert!(stderr.contains("UTF-16LE"), "{stderr}");
    let lines = jsonl(&stdout);
    assert_eq!(lines.len(), 3, "{stderr}");
    let detected = names(&lines);
    assert!(detected.iter().all(|n| n.starts_with("温州")), "{detected:?}");

    let (forced, stderr) = ok(dir.path(), &["rank", s(&file), "--input-encoding", "utf16le"]);
    assert_eq!(names(&jsonl(&forced)), detected, "{stderr}");
}

#[test]
fn gb18030_four_byte_characters_survive_reading_and_gbk_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = export("08-gb18030-4byte-after-8k.csv");
    let (stdout, _) = ok(dir.path(), &["rank", s(&file)]);
    let lines = jsonl(&stdout);
    let all: String = names(&lines).concat();
    assert!(
        all.contains('㒲') || all.contains('𠮷'),
        "4-byte characters read intact"
    );
    assert!(lines.iter().all(|l| !flags(l).contains(&"invalid_bytes".to_string())));

    let out = dir.path().join("gbk.csv");
    let (_, stderr) = ok(dir.path(), &["rank", s(&file), "-o", s(&out), "--encoding", "gbk"]);
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        !bytes.windows(2).any(|w| w == b"&#"),
        "no character is written as a numeric reference"
    );
    let (text, _, bad) = encoding_rs::GB18030.decode(&bytes);
    assert!(!bad);
    assert!(text.contains('㒲') || text.contains('𠮷'));
    assert!(
        stderr.contains("GBK") && stderr.contains("GB18030"),
        "rows named:\n{stderr}"
    );
    assert!(stderr.contains("rows "), "{stderr}");
}

#[test]
fn input_ending_inside_a_character_is_replaced_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    // A GBK file cut in the middle of a character: ranked, the last row flagged.
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&hardening("gbk_trunc.csv"))]);
    let lines = jsonl(&stdout);
    let (rows_in, rows_out, rejected) = counts(&stderr);
    assert_eq!(rows_in, rows_out + rejected);
    let last = lines.last().expect("rows");
    assert!(flags(last).contains(&"invalid_bytes".to_string()), "{last}");

    // UTF-16 with an odd number of bytes: no panic.
    let out = leadmatch(dir.path(), &["rank", s(&hardening("utf16odd.csv"))], None);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));

    // … and with a real list before the odd byte, the last row is flagged.
    let mut odd: Vec<u8> = b"\xFF\xFE".to_vec();
    for u in "企业名称,经营范围\n温州某某科技有限公司,软件开发\n温州某某乙有限公司,数据服务".encode_utf16()
    {
        odd.extend_from_slice(&u.to_le_bytes());
    }
    odd.push(0x41);
    let path = dir.path().join("odd.csv");
    std::fs::write(&path, &odd).unwrap();
    let (stdout, _) = ok(dir.path(), &["rank", s(&path)]);
    let lines = jsonl(&stdout);
    assert_eq!(lines.len(), 2);
    assert!(flags(&lines[1]).contains(&"invalid_bytes".to_string()), "{}", lines[1]);
    assert!(lines[1]["name"].as_str().unwrap().starts_with("温州"));

    // printf '\x81' on stdin: a message, not a crash.
    let out = leadmatch(dir.path(), &["rank", "-"], Some(b"\x81"));
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    // A JSONL line ending inside a GBK character.
    let mut gbk = encoding_rs::GBK
        .encode("{\"name\":\"温州某某科技有限公司\",\"scope\":\"软件开发\"}\n{\"name\":\"温州")
        .0
        .into_owned();
    gbk.push(0x81);
    let out = leadmatch(dir.path(), &["rank", "-", "--input-format", "jsonl"], Some(&gbk));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let (rows_in, rows_out, rejected) = counts(&stderr);
    assert_eq!((rows_in, rows_out + rejected), (2, 2));
}

// ---- issue 14.4: delimiters ----

#[test]
fn semicolons_are_sniffed_and_excel_sep_lines_honoured() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["11a-semicolon.csv", "11b-sep-hint-semicolon.csv"] {
        let (stdout, stderr) = ok(dir.path(), &["rank", s(&export(f))]);
        let lines = jsonl(&stdout);
        assert_eq!(lines.len(), 2, "{f}: {stderr}");
        assert!(stderr.contains("delimiter ;"), "{f}: {stderr}");
        for l in &lines {
            let name = l["name"].as_str().unwrap();
            assert!(name.ends_with("有限公司") && !name.contains(';'), "{f}: {name}");
            assert!(!flags(l).contains(&"scope_empty".to_string()), "{f}: {l}");
        }
    }
    // --delimiter forces it: ';' reads the columns, ',' does not find them.
    ok(
        dir.path(),
        &["rank", s(&export("11a-semicolon.csv")), "--delimiter", ";"],
    );
    let err = fails(
        dir.path(),
        &["rank", s(&export("11a-semicolon.csv")), "--delimiter", ","],
    );
    assert!(err.contains("企业名称"), "{err}");
    let out = leadmatch(
        dir.path(),
        &["rank", s(&export("11a-semicolon.csv")), "--delimiter", "ab"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn pipes_and_tabs_are_sniffed() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("pipe.csv");
    std::fs::write(
        &pipe,
        "企业名称|经营范围|注册资本\n温州星河电竞有限公司|电子竞技赛事运营, 电竞场馆经营|1000万元\n",
    )
    .unwrap();
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&pipe)]);
    assert!(stderr.contains("delimiter |"), "{stderr}");
    assert_eq!(names(&jsonl(&stdout)), ["温州星河电竞有限公司"]);
    let tab = dir.path().join("tab.csv");
    std::fs::write(
        &tab,
        "企业名称\t经营范围\n温州星河电竞有限公司\t电子竞技赛事运营,电竞场馆经营\n",
    )
    .unwrap();
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&tab)]);
    assert!(stderr.contains("TSV"), "{stderr}");
    assert_eq!(names(&jsonl(&stdout)), ["温州星河电竞有限公司"]);
}

// ---- issue 14.5: units in header brackets ----

#[test]
fn a_unit_in_the_header_scales_bare_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&export("15c-capital-unit-in-header.csv"))]);
    let lines = jsonl(&stdout);
    assert_eq!(lines.len(), 2, "{stderr}");
    // 5000 under 注册资本(万元) and 5000万元 are the same amount: same priority, same reasons.
    assert_eq!(lines[0]["priority"], lines[1]["priority"], "{lines:?}");
    let reasons = lines[0]["priority"]["reasons"].to_string();
    assert!(!reasons.contains("5000元"), "{reasons}");
    assert!(
        lines
            .iter()
            .all(|l| !flags(l).contains(&"capital_unparsed".to_string()))
    );
}

// ---- issue 14.6: placeholders ----

#[test]
fn placeholders_are_empty_in_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&export("15b-dash-placeholders.csv"))]);
    let lines = jsonl(&stdout);
    assert_eq!(lines.len(), 3, "{stderr}");
    for l in &lines {
        let f = flags(l);
        assert!(f.contains(&"scope_empty".to_string()), "{l}");
        for bad in ["credit_code_invalid", "capital_unparsed", "revenue_unparsed"] {
            assert!(!f.contains(&bad.to_string()), "{bad} in {l}");
        }
        assert_eq!(l["verdict"], "none", "{l}");
    }
}

// ---- issue 14.7: text hygiene ----

#[test]
fn html_entities_and_tags_are_cleaned_before_matching() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&export("18-html-entities.csv"))]);
    let lines = jsonl(&stdout);
    assert_eq!(lines.len(), 5, "{stderr}");
    for l in &lines {
        assert_eq!(l["verdict"], "target", "{l}");
        assert_eq!(l["matches"][0]["industry"], lines[0]["matches"][0]["industry"], "{l}");
    }
    // Cleaned cells pass through to CSV.
    let out = dir.path().join("o.csv");
    ok(dir.path(), &["rank", s(&export("18-html-entities.csv")), "-o", s(&out)]);
    let (_, rows) = read_csv(&out);
    for r in &rows {
        assert!(
            !r[1].contains('<') && !r[1].contains("&#") && !r[1].contains("&nbsp;"),
            "{r:?}"
        );
    }
}

/// Field case 13: Taiwan usage in traditional script (數位行銷, 線上遊戲營運), the same words in
/// simplified script, and the mainland forms, three of each: every row lands in its mainland row's
/// industry with the same verdict and nearly the same fit.
#[test]
fn taiwan_vocabulary_scores_like_the_mainland_forms() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&export("13-taiwan-vocabulary.csv"))]);
    let lines = jsonl(&stdout);
    assert_eq!(lines.len(), 6, "{stderr}");
    for group in lines.chunks(3) {
        let mainland = &group[2];
        for l in &group[..2] {
            assert_eq!(l["verdict"], mainland["verdict"], "{l}");
            assert_eq!(
                l["matches"][0]["industry_id"], mainland["matches"][0]["industry_id"],
                "{l}"
            );
            let (a, b) = (l["fit"].as_f64().unwrap(), mainland["fit"].as_f64().unwrap());
            assert!((a - b).abs() <= 0.05, "{a} against {b}: {l}");
        }
    }
}

#[test]
fn nul_bytes_are_removed_and_a_row_of_nuls_is_blank() {
    let dir = tempfile::tempdir().unwrap();
    let rej = dir.path().join("rej.csv");
    let (stdout, stderr) = ok(
        dir.path(),
        &["rank", s(&export("10-nul-bytes.csv")), "--rejects", s(&rej)],
    );
    let lines = jsonl(&stdout);
    assert_eq!(counts(&stderr), (4, 3, 1), "{stderr}");
    for l in &lines {
        assert!(!l.to_string().contains("\\u0000"), "{l}");
    }
    assert!(lines[0]["name"].as_str().unwrap().ends_with("有限公司"));
    let (_, rrows) = read_csv(&rej);
    assert_eq!(rrows[0][0], "3");
    assert!(rrows[0][1].contains("empty row"), "{:?}", rrows[0]);
}

// ---- issue 14.8: the real format ----

#[test]
fn an_old_xls_workbook_is_read_and_called_xls() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&export("16b-biff8.xls"))]);
    assert!(stderr.contains("(XLS,"), "{stderr}");
    assert!(!stderr.contains("XLSX"), "{stderr}");
    assert!(!jsonl(&stdout).is_empty());
    // The same bytes named .et (WPS) are read as a workbook too.
    let et = dir.path().join("名单.et");
    std::fs::copy(export("16b-biff8.xls"), &et).unwrap();
    let (stdout_et, _) = ok(dir.path(), &["rank", s(&et)]);
    assert_eq!(jsonl(&stdout_et), jsonl(&stdout));
}

// ---- issue 14.9: re-ranking, currencies ----

#[test]
fn reranking_a_ranked_file_replaces_its_result_columns() {
    let dir = tempfile::tempdir().unwrap();
    let once = dir.path().join("once.csv");
    let twice = dir.path().join("twice.csv");
    let input = export("01-title-row-above-header.csv");
    ok(dir.path(), &["rank", s(&input), "-o", s(&once)]);
    let (_, stderr) = ok(dir.path(), &["rank", s(&once), "-o", s(&twice)]);
    let (h1, r1) = read_csv(&once);
    let (h2, r2) = read_csv(&twice);
    assert_eq!(h1, h2, "one set of result columns:\n{stderr}");
    assert_eq!(h2.iter().filter(|h| *h == "判定").count(), 1);
    assert_eq!(r1, r2);
    assert!(stderr.contains("re-ranked"), "{stderr}");
    // Also for English headers and XLSX output.
    let en = dir.path().join("en.csv");
    let en2 = dir.path().join("en2.xlsx");
    ok(dir.path(), &["rank", s(&input), "-o", s(&en), "--lang", "en"]);
    ok(dir.path(), &["rank", s(&en), "-o", s(&en2), "--lang", "en"]);
    use calamine::Reader as _;
    let mut book = calamine::open_workbook_auto(&en2).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header.iter().filter(|h| *h == "verdict").count(), 1, "{header:?}");
}

#[test]
fn more_currencies_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cur.csv");
    let mut text = String::from("企业名称,经营范围,注册资本\n");
    for cap in [
        "1000万新臺幣",
        "500万英镑",
        "NT$ 2000万",
        "300万澳元",
        "200万加元",
        "800万新加坡元",
        "1000万澳门元",
        "GBP 5 million",
        "AUD 3m",
        "CAD 4m",
        "SGD 2m",
        "MOP 10m",
        "TWD 50m",
    ] {
        text.push_str(&format!("温州某某{}有限公司,软件开发,{cap}\n", text.lines().count()));
    }
    std::fs::write(&file, text).unwrap();
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&file)]);
    let lines = jsonl(&stdout);
    assert_eq!(lines.len(), 13, "{stderr}");
    for l in &lines {
        assert!(!flags(l).contains(&"capital_unparsed".to_string()), "{l}");
    }
}

// ---- issue 15.2: spreadsheet bombs ----

/// Runs a workbook that must be refused with the named limit.
fn refused(name: &str, limit: &str) {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(dir.path(), &["rank", s(&hardening(name))]);
    assert!(err.contains(limit), "{name}: expected {limit} in:\n{err}");
}

#[test]
fn spreadsheet_bombs_are_refused_naming_the_limit() {
    refused("xl_dimbomb.xlsx", "MAX_SHEET_AREA");
    refused("xl_sst_huge.xlsx", "MAX_SHEET_CELLS");
    refused("xl_sst_4g.xlsx", "MAX_SHEET_CELLS");
    refused("xl_badref.xlsx", "MAX_SHEET_ROWS");
    refused("xl_negref.xlsx", "MAX_SHEET_ROWS");
    refused("xl_billion_laughs.xlsx", "DTD");
    refused("xl_billion_laughs_ss.xlsx", "DTD");
    refused("xl_xxe.xlsx", "DTD");
}

#[test]
fn small_odd_workbooks_are_ranked_or_refused_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, _) = ok(dir.path(), &["rank", s(&hardening("xl_valid_min.xlsx"))]);
    assert_eq!(names(&jsonl(&stdout)), ["温州星河电竞有限公司"]);
    // A cell at XFD2: 16,384 columns of one row are fine.
    let (stdout, stderr) = ok(dir.path(), &["rank", s(&hardening("xl_wide.xlsx"))]);
    assert_eq!(jsonl(&stdout).len(), 1, "{stderr}");
    // A shared-string index out of range: an empty cell or a message, never a crash.
    let out = leadmatch(dir.path(), &["rank", s(&hardening("xl_sst_oob.xlsx"))], None);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
}

/// Writes a genxlsx.py workbook into `dir` (None, with the reason printed, without python3).
fn genxlsx(dir: &Path, which: &str, file: &str) -> Option<PathBuf> {
    std::fs::create_dir_all(dir.join("fuzz")).unwrap();
    let run = Command::new("python3")
        .arg(hardening("genxlsx.py"))
        .arg(which)
        .current_dir(dir)
        .output();
    match run {
        Ok(o) if o.status.success() => Some(dir.join("fuzz").join(file)),
        other => {
            eprintln!("SKIP: python3 genxlsx.py {which} unavailable: {other:?}");
            None
        }
    }
}

#[test]
fn a_sheet_that_unzips_to_gigabytes_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // genxlsx.py bombws: a 2 MB file whose sheet is 2 GB of blanks.
    let Some(path) = genxlsx(dir.path(), "bombws", "xl_zipbomb_ws.xlsx") else {
        return;
    };
    let err = fails(dir.path(), &["rank", s(&path)]);
    // The 2 GB of blanks is one text node: the node limit (64 MiB) trips before the ratio.
    assert!(
        err.contains("MAX_XML_NODE_BYTES") || err.contains("MAX_ZIP_RATIO"),
        "{err}"
    );
}

#[test]
fn a_million_empty_rows_are_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    let Some(path) = genxlsx(dir.path(), "1m", "xl_1m_empty_rows.xlsx") else {
        return;
    };
    let (_, stderr) = ok(dir.path(), &["rank", s(&path), "-o", s(&dir.path().join("o.jsonl"))]);
    let (rows_in, rows_out, rejected) = counts(&stderr);
    assert_eq!(rows_in, 1_048_575, "{stderr}");
    assert_eq!(rows_in, rows_out + rejected);
}

// ---- issue 15.3: endless records ----

#[test]
fn a_record_without_end_is_refused_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    if Path::new("/dev/zero").exists() {
        for format in ["csv", "jsonl"] {
            let err = fails(dir.path(), &["rank", "/dev/zero", "--input-format", format]);
            assert!(
                err.contains("MAX_RECORD_BYTES") && err.contains("/dev/zero"),
                "{format}:\n{err}"
            );
            assert!(err.contains("line 1"), "{err}");
        }
    } else {
        eprintln!("SKIP: no /dev/zero here");
    }
    // A list whose third line never ends (stdin, no line breaks for 65 MiB).
    let mut input = b"name,scope\nA,software\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', 65 << 20));
    let out = leadmatch(dir.path(), &["rank", "-"], Some(&input));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("MAX_RECORD_BYTES") && err.contains("line 3"), "{err}");
}

// ---- issue 15.2: XLS (OLE2/CFB) bombs ----

/// A BIFF record: type, length, data.
fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend_from_slice(&(data.len() as u16).to_le_bytes());
    r.extend_from_slice(data);
    r
}

fn bof(kind: u16) -> Vec<u8> {
    let mut d = 0x0600u16.to_le_bytes().to_vec();
    d.extend_from_slice(&kind.to_le_bytes());
    d.resize(16, 0);
    rec(0x0809, &d)
}

/// A Label cell holding `text` (UTF-16).
fn label(row: u16, col: u16, text: &str) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut d = Vec::new();
    for v in [row, col, 0, units.len() as u16] {
        d.extend_from_slice(&v.to_le_bytes());
    }
    d.push(1);
    d.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    rec(0x0204, &d)
}

/// A Number cell.
fn number(row: u16, col: u16, v: f64) -> Vec<u8> {
    let mut d = Vec::new();
    for x in [row, col, 0] {
        d.extend_from_slice(&x.to_le_bytes());
    }
    d.extend_from_slice(&v.to_le_bytes());
    rec(0x0203, &d)
}

/// A Dimensions record: rows `first..last_plus_1`, columns `0..cols`.
fn dimensions(first: u32, last_plus_1: u32, cols: u16) -> Vec<u8> {
    let mut d = first.to_le_bytes().to_vec();
    d.extend_from_slice(&last_plus_1.to_le_bytes());
    for v in [0, cols, 0] {
        d.extend_from_slice(&v.to_le_bytes());
    }
    rec(0x0200, &d)
}

/// A BIFF8 workbook stream: a global part with `globals` records listing the sheet `times` times,
/// then the sheet (a header row 企业名称 | 经营范围, one company, then `extra` records).
fn workbook(globals: &[u8], times: usize, extra: &[u8]) -> Vec<u8> {
    named_workbook("Sheet1", globals, times, extra)
}

/// [`workbook`] with the sheet called `sheet`.
fn named_workbook(sheet: &str, globals: &[u8], times: usize, extra: &[u8]) -> Vec<u8> {
    let units: Vec<u16> = sheet.encode_utf16().collect();
    let bound = |pos: u32| {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend_from_slice(&[0, 0, units.len() as u8, 1]);
        d.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        rec(0x0085, &d)
    };
    let globals_len = bof(0x0005).len() + globals.len() + times * bound(0).len() + rec(0x000A, &[]).len();
    let mut w = bof(0x0005);
    w.extend_from_slice(globals);
    for _ in 0..times {
        w.extend(bound(globals_len as u32));
    }
    w.extend(rec(0x000A, &[]));
    assert_eq!(w.len(), globals_len);
    w.extend(bof(0x0010));
    w.extend(label(0, 0, "企业名称"));
    w.extend(label(0, 1, "经营范围"));
    w.extend(label(1, 0, "温州某电竞科技有限公司"));
    w.extend(label(1, 1, "电子竞技赛事组织策划；电竞场馆运营"));
    w.extend_from_slice(extra);
    w.extend(rec(0x000A, &[]));
    w
}

/// An OLE2/CFB file (512-byte sectors) holding `stream` as its Workbook stream (padded to
/// 4 KiB, so it is not in the mini stream): FAT sectors first, then DIFAT sectors (past 109 FAT
/// sectors), the directory, the stream. `damage` may change the file before it is returned.
fn cfb(stream: &[u8], damage: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    let mut stream = stream.to_vec();
    stream.resize(stream.len().max(4096).div_ceil(512) * 512, 0);
    let n = stream.len() / 512;
    let difat_for = |fat: usize| fat.saturating_sub(109).div_ceil(127);
    let mut fat_sectors = 1;
    while fat_sectors * 128 < fat_sectors + difat_for(fat_sectors) + 1 + n {
        fat_sectors += 1;
    }
    let difat_sectors = difat_for(fat_sectors);
    let dir_at = (fat_sectors + difat_sectors) as u32;
    let mut fat = vec![0xFFFF_FFFDu32; fat_sectors];
    fat.extend(std::iter::repeat_n(0xFFFF_FFFCu32, difat_sectors));
    fat.push(END);
    for i in 0..n {
        let id = dir_at + 1 + i as u32;
        fat.push(if i + 1 == n { END } else { id + 1 });
    }
    fat.resize(fat_sectors * 128, 0xFFFF_FFFF);
    let mut h = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    h.resize(512, 0);
    let put = |h: &mut Vec<u8>, at: usize, v: &[u8]| h[at..at + v.len()].copy_from_slice(v);
    put(&mut h, 24, &0x3Eu16.to_le_bytes());
    put(&mut h, 26, &3u16.to_le_bytes());
    put(&mut h, 28, &0xFFFEu16.to_le_bytes());
    put(&mut h, 30, &9u16.to_le_bytes());
    put(&mut h, 32, &6u16.to_le_bytes());
    put(&mut h, 44, &(fat_sectors as u32).to_le_bytes());
    put(&mut h, 48, &dir_at.to_le_bytes());
    put(&mut h, 56, &4096u32.to_le_bytes());
    put(&mut h, 60, &END.to_le_bytes());
    let first_difat = if difat_sectors > 0 { fat_sectors as u32 } else { END };
    put(&mut h, 68, &first_difat.to_le_bytes());
    put(&mut h, 72, &(difat_sectors as u32).to_le_bytes());
    for i in 0..109 {
        let v = if i < fat_sectors { i as u32 } else { 0xFFFF_FFFF };
        put(&mut h, 76 + 4 * i, &v.to_le_bytes());
    }
    let entry = |name: &str, kind: u8, child: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        e[..units.len()].copy_from_slice(&units);
        e[64..66].copy_from_slice(&((units.len() + 2) as u16).to_le_bytes());
        e[66] = kind;
        e[67] = 1;
        for at in [68, 72] {
            e[at..at + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        e[76..80].copy_from_slice(&child.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut file = h;
    file.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    for i in 0..difat_sectors {
        let mut entries: Vec<u32> = (109 + 127 * i..109 + 127 * (i + 1))
            .map(|id| if id < fat_sectors { id as u32 } else { 0xFFFF_FFFF })
            .collect();
        entries.push(if i + 1 < difat_sectors {
            (fat_sectors + i + 1) as u32
        } else {
            END
        });
        file.extend(entries.iter().flat_map(|v| v.to_le_bytes()));
    }
    file.extend(entry("Root Entry", 5, 1, END, 0));
    file.extend(entry("Workbook", 2, 0xFFFF_FFFF, dir_at + 1, stream.len() as u32));
    file.resize(file.len() + 256, 0);
    file.extend(stream);
    damage(&mut file);
    file
}

/// Runs `rank -j 2` on `bytes` as `name` with the address space capped at 2 GB (where `ulimit -v`
/// works; a run needs a few hundred MB), so a runaway allocation fails the run instead of the
/// machine; returns the output.
fn rank_capped(dir: &Path, name: &str, bytes: &[u8]) -> Output {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    Command::new("sh")
        .args(["-c", "ulimit -v 2000000 2>/dev/null; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_leadmatch"))
        .args(["rank", s(&path), "-j", "2"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run leadmatch")
}

/// A workbook that must end with exit 1 naming `limit`.
fn xls_refused(dir: &Path, what: &str, bytes: &[u8], limit: &str) {
    let out = rank_capped(dir, "bomb.xls", bytes);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{what}: {:?}\n{err}", out.status);
    assert!(err.contains(limit), "{what}: expected {limit} in:\n{err}");
    assert!(!err.contains("panicked"), "{what}:\n{err}");
}

/// A Formula record at row 1, column 2 whose stored value is 42, with `tokens`.
fn formula(tokens: &[u8]) -> Vec<u8> {
    let mut d = Vec::new();
    for v in [1u16, 2, 0] {
        d.extend_from_slice(&v.to_le_bytes());
    }
    d.extend_from_slice(&42f64.to_le_bytes());
    d.extend_from_slice(&[0; 6]);
    d.extend_from_slice(&(tokens.len() as u16).to_le_bytes());
    d.extend_from_slice(tokens);
    rec(0x0006, &d)
}

#[test]
fn a_built_xls_is_read_and_its_formula_values_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = rank_capped(dir.path(), "ok.xls", &cfb(&workbook(&[], 1, &[]), |_| {}));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(names(&jsonl(&out.stdout)), ["温州某电竞科技有限公司"], "{stderr}");
    // Formulas whose text calamine's decoder would make far larger than their records: 400
    // sums of 8,189 references to a sheet with a 255-character name (6 MB of text each, 2.5 GB
    // in all from 26 MB), and one of 2,049 "insert 255 spaces" tokens (half a million
    // insertions, one at a time). Their stored values are read; their text is not.
    let sheet = "名".repeat(255);
    let extern_sheet = rec(0x0017, &[1, 0, 0, 0, 0, 0, 0, 0]);
    let reference = [0x3A, 0, 0, 1, 0, 1, 0xC0];
    let mut sum = reference.to_vec();
    for _ in 0..8188 {
        sum.extend_from_slice(&reference);
        sum.push(0x03);
    }
    let mut spaces = vec![0x1E, 7, 0];
    for _ in 0..2049 {
        spaces.extend_from_slice(&[0x19, 0x40, 0x00, 0xFF]);
    }
    let mut extra = label(0, 2, "注册资本(万元)");
    for _ in 0..400 {
        extra.extend(formula(&sum));
    }
    extra.extend(formula(&spaces));
    let book = cfb(&named_workbook(&sheet, &extern_sheet, 1, &extra), |_| {});
    let out = rank_capped(dir.path(), "formula.xls", &book);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}\n{stderr}", out.status);
    let lines = jsonl(&out.stdout);
    assert_eq!(names(&lines), ["温州某电竞科技有限公司"], "{stderr}");
    let reasons = lines[0]["priority"]["reasons"].to_string();
    assert!(reasons.contains("registered capital ¥420000"), "{reasons}");
}

#[test]
fn xls_bombs_are_refused_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Declared dimensions of 4·10⁹ rows (calamine reserves room for them).
    let dims = dimensions(0, u32::MAX, 200);
    xls_refused(d, "dimensions", &cfb(&workbook(&[], 1, &dims), |_| {}), "MAX_XLS_CELLS");
    // A start row after the end row: calamine's row count wraps to 4·10⁹.
    let wrapped = dimensions(9, 3, 2);
    xls_refused(
        d,
        "wrapped dimensions",
        &cfb(&workbook(&[], 1, &wrapped), |_| {}),
        "MAX_XLS_CELLS",
    );
    // A cell at A1 and one at row 65,536, column 65,536: a box of 2^32 cells.
    let far = number(65535, 65535, 1.0);
    xls_refused(d, "far cell", &cfb(&workbook(&[], 1, &far), |_| {}), "MAX_XLS_CELLS");
    // One sheet of 40,000 cells listed 200 times (each listing is built whole).
    let cells: Vec<u8> = (0..40_000u32)
        .flat_map(|i| number(2 + (i / 100) as u16, (i % 100) as u16, 1.0))
        .collect();
    xls_refused(
        d,
        "sheet listed 200 times",
        &cfb(&workbook(&[], 200, &cells), |_| {}),
        "MAX_XLS_CELLS",
    );
    // 10,000 empty CONTINUE records after the shared strings (taken off one at a time).
    let mut sst = rec(0x00FC, &[0; 8]);
    for _ in 0..10_000 {
        sst.extend(rec(0x003C, &[]));
    }
    xls_refused(
        d,
        "continues",
        &cfb(&workbook(&sst, 1, &[]), |_| {}),
        "MAX_XLS_CONTINUES",
    );
    // The container: a directory sector whose FAT entry points to itself (a chain without end).
    let base = workbook(&[], 1, &[]);
    let looped = cfb(&base, |f| {
        let dir_at = u32::from_le_bytes(f[48..52].try_into().unwrap()) as usize;
        f[512 + 4 * dir_at..512 + 4 * dir_at + 4].copy_from_slice(&(dir_at as u32).to_le_bytes());
    });
    xls_refused(d, "directory loop", &looped, "CFB_WITHIN_FILE");
    // The header's DIFAT lists the FAT sector 109 times (each read again).
    let repeated = cfb(&base, |f| {
        for i in 0..109 {
            f[76 + 4 * i..80 + 4 * i].copy_from_slice(&0u32.to_le_bytes());
        }
    });
    xls_refused(d, "FAT listed 109 times", &repeated, "CFB_WITHIN_FILE");
    // A Workbook stream declared larger than the limit.
    let huge = cfb(&base, |f| {
        let dir_at = u32::from_le_bytes(f[48..52].try_into().unwrap()) as usize;
        let at = 512 + 512 * dir_at + 128 + 120;
        f[at..at + 4].copy_from_slice(&(200u32 << 20).to_le_bytes());
    });
    xls_refused(d, "huge stream", &huge, "MAX_XLS_STREAM_BYTES");
    // A file over the XLS size limit (an OLE2 header and zeros) is refused before calamine
    // copies it.
    let mut big = cfb(&base, |_| {});
    big.resize((128 << 20) + 1, 0);
    xls_refused(d, "big file", &big, "MAX_XLS_FILE_BYTES");
}
