//! `catalog check | list | show` and `index`: validation errors name file and line, never panic.

use crate::util::{Sandbox, copy_catalog, raw, stderr, stdout};

fn check_broken(edit: impl FnOnce(&std::path::Path)) -> (i32, String) {
    let sb = Sandbox::new();
    let cat = sb.path().join("catalog");
    copy_catalog(&cat);
    edit(&cat);
    let o = raw(
        sb.path(),
        &[
            "--catalog".into(),
            cat.display().to_string(),
            "catalog".into(),
            "check".into(),
        ],
        None,
    );
    (o.status.code().unwrap_or(-1), stderr(&o))
}

fn replace_in(path: &std::path::Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn bundled_catalogue_passes_the_check() {
    let o = Sandbox::new().run(&["catalog", "check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("5 themes") && out.contains("12 sectors"), "{out}");
    let industries: usize = out
        .split(", ")
        .find(|p| p.ends_with("industries"))
        .and_then(|p| p.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("industry count");
    assert!(industries >= 60, "{out}");
}

#[test]
fn toml_syntax_error_names_file_and_line() {
    let (code, err) = check_broken(|c| {
        let p = c.join("industries/06-pan-entertainment.toml");
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push_str("\n[[industry]\nid = \"broken\"\n");
        std::fs::write(&p, text).unwrap();
    });
    assert_eq!(code, 1);
    assert!(
        err.contains("industries/06-pan-entertainment.toml") && err.contains("line"),
        "{err}"
    );
}

#[test]
fn unknown_gbt_code_names_file_and_line() {
    let (code, err) = check_broken(|c| {
        let p = c.join("industries/12-green-circular.toml");
        let text = std::fs::read_to_string(&p).unwrap();
        let at = text.find("gbt = [\"").expect("a gbt list");
        let fixed = format!("{}gbt = [\"9999\", {}", &text[..at], &text[at + 7..]);
        std::fs::write(&p, fixed).unwrap();
    });
    assert_eq!(code, 1);
    assert!(
        err.contains("industries/12-green-circular.toml:") && err.contains("\"9999\""),
        "{err}"
    );
}

#[test]
fn duplicate_industry_id_and_empty_keywords_are_reported() {
    let (code, err) = check_broken(|c| {
        let p = c.join("industries/01-digital-economy.toml");
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push_str("\n[[industry]]\nid = \"blockchain\"\nsector = \"digital-economy\"\nname = \"重复\"\nname_en = \"Dup\"\nclause = \"二（一）1\"\nstrong = []\n");
        std::fs::write(&p, text).unwrap();
    });
    assert_eq!(code, 1);
    assert!(err.contains("duplicate industry id \"blockchain\""), "{err}");
    assert!(err.contains("empty keyword list `strong`"), "{err}");
}

#[test]
fn sector_without_industries_and_bad_thresholds_are_reported() {
    let (code, err) = check_broken(|c| {
        std::fs::remove_file(c.join("industries/12-green-circular.toml")).unwrap();
        replace_in(&c.join("scoring.toml"), "possible = ", "possible = 0.99 # ");
    });
    assert_eq!(code, 1);
    assert!(err.contains("sector \"green-circular\" has no industries"), "{err}");
    assert!(
        err.contains("scoring.toml:") && err.contains("verdict thresholds"),
        "{err}"
    );
}

#[test]
fn a_lexical_map_that_would_reorder_fits_is_reported() {
    // A negative weight on the fit, and a maker weight that would turn the word model round for
    // makers (lexical_weight + maker_weight below 0): each a catalogue error naming the section.
    for (key, value) in [("low_fit_weight", "-1.0"), ("maker_weight", "-9.0")] {
        let (code, err) = check_broken(|c| {
            replace_in(
                &c.join("scoring.toml"),
                &format!("{key} = "),
                &format!("{key} = {value} # "),
            )
        });
        assert_eq!(code, 1, "{key}");
        assert!(
            err.contains("scoring.toml:") && err.contains("[lexical]") && err.contains(key),
            "{err}"
        );
    }
}

#[test]
fn unknown_key_in_scoring_names_the_key() {
    let (code, err) = check_broken(|c| replace_in(&c.join("scoring.toml"), "[matcher]", "[matcher]\nstrnog = 1.0"));
    assert_eq!(code, 1);
    assert!(err.contains("scoring.toml") && err.contains("strnog"), "{err}");
}

#[test]
fn list_and_show_print_the_catalogue() {
    let sb = Sandbox::new();
    let o = sb.run(&["catalog", "list"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(
        out.contains("pan-entertainment") && out.contains("esports") && out.contains("green-circular"),
        "{out}"
    );
    let o = sb.run(&["catalog", "show", "esports"]);
    let out = stdout(&o);
    assert!(
        out.contains("电子竞技") && out.contains("市委宣传部") && out.contains("浙南电竞小镇"),
        "{out}"
    );
    let o = sb.run(&["catalog", "show", "6"]);
    assert!(stdout(&o).contains("泛娱乐产业"));
    let o = sb.run(&["catalog", "show", "no-such-thing"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn index_is_built_then_reused_then_rebuilt_when_the_catalogue_changes() {
    let sb = Sandbox::new();
    let cat = sb.path().join("catalog");
    copy_catalog(&cat);
    let args = |cmd: &str| {
        vec![
            "--catalog".to_string(),
            cat.display().to_string(),
            "--index".into(),
            sb.path().join("idx").display().to_string(),
            cmd.to_string(),
        ]
    };
    let o = raw(sb.path(), &args("index"), None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("index built"), "{}", stdout(&o));
    let o = raw(sb.path(), &args("index"), None);
    assert!(stdout(&o).contains("up to date"), "{}", stdout(&o));
    replace_in(&cat.join("sectors.toml"), "summary = \"", "summary = \"（已编辑）");
    let mut a = args("search");
    a.push("电竞".into());
    let o = raw(sb.path(), &a, None);
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("built the index"),
        "stale index must be rebuilt with a notice: {}",
        stderr(&o)
    );
}

#[test]
fn without_a_catalogue_directory_the_built_in_one_is_used_in_memory() {
    let sb = Sandbox::new();
    let o = raw(
        sb.path(),
        &["search".into(), "电竞".into(), "--format".into(), "json".into()],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("esports"));
    assert!(
        !sb.path().join("index").exists(),
        "no index directory is written with the built-in catalogue"
    );
}

#[test]
fn refuses_to_clear_a_foreign_index_directory() {
    let sb = Sandbox::new();
    let idx = sb.path().join("index");
    std::fs::create_dir_all(&idx).unwrap();
    std::fs::write(idx.join("precious.txt"), "keep me").unwrap();
    let o = sb.run(&["index"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not empty"), "{}", stderr(&o));
    assert!(idx.join("precious.txt").exists());
}
