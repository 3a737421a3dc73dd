//! The docs a clone can follow (issue 17.8): `docs/interface.md` is the project's own copy of the
//! user-facing contract and must keep every line of the shared one (`../shared/docs/interface.md`,
//! beside the clone in CI), in order — additions only; README links only files in the repository.

use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn docs_interface_keeps_every_line_of_the_shared_contract() {
    let shared = Path::new(ROOT).join("../shared/docs/interface.md");
    let Ok(shared) = std::fs::read_to_string(&shared) else {
        println!("SKIP: ../shared/docs/interface.md is not beside this clone");
        return;
    };
    let ours = std::fs::read_to_string(Path::new(ROOT).join("docs/interface.md")).expect("docs/interface.md");
    let mut lines = ours.lines();
    for want in shared.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            lines.any(|l| l == want),
            "docs/interface.md lacks (or reorders) this line of the shared contract:\n{want}"
        );
    }
}

#[test]
fn readme_links_only_files_in_the_repository() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README.md");
    let mut checked = 0;
    for (i, _) in readme.match_indices("](") {
        let rest = &readme[i + 2..];
        let Some(end) = rest.find(')') else { continue };
        let target = rest[..end].split('#').next().unwrap_or("").trim();
        if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
            continue;
        }
        assert!(
            !target.starts_with(".."),
            "README links outside the repository: {target}"
        );
        assert!(
            Path::new(ROOT).join(target).exists(),
            "README links a missing file: {target}"
        );
        checked += 1;
    }
    assert!(checked >= 3, "README links its docs ({checked} local links)");
    assert!(
        !readme.contains("../shared"),
        "README sends readers to ../shared, which a clone lacks"
    );
}
