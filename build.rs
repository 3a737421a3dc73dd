//! Embeds the catalogue (`catalog/*.toml`, `catalog/**/*.toml`, `catalog/*.csv`) into the binary so
//! an installed `leadmatch` works anywhere, even without a `catalog/` directory at hand.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, root, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("toml" | "csv")) {
            let rel = path
                .strip_prefix(root)
                .expect("catalogue file under catalogue root")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest.join("catalog");
    println!("cargo:rerun-if-changed=catalog");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Catalogue files compiled into the binary: (path relative to `catalog/`, contents).\npub static EMBEDDED_CATALOG: &[(&str, &str)] = &[\n",
    );
    for (rel, path) in &files {
        writeln!(code, "    ({rel:?}, include_str!({:?})),", path.display().to_string()).expect("write to String");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_catalog.rs");
    std::fs::write(out, code).expect("write embedded_catalog.rs");
}
