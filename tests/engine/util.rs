//! Running the binary in a temporary directory against the repository's catalogue.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn catalog_dir() -> PathBuf {
    repo().join("catalog")
}

/// A temporary working directory with its own index directory.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `leadmatch --catalog <repo catalog> --index <sandbox>/index ARGS`.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, None)
    }

    pub fn run_with(&self, args: &[&str], stdin: Option<&[u8]>) -> Output {
        let index = self.path().join("index");
        let mut full: Vec<String> = vec![
            "--catalog".into(),
            catalog_dir().display().to_string(),
            "--index".into(),
            index.display().to_string(),
        ];
        full.extend(args.iter().map(|s| s.to_string()));
        raw(self.path(), &full, stdin)
    }
}

/// Runs the binary with exactly `args` in `cwd`.
pub fn raw(cwd: &Path, args: &[String], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadmatch"))
        .args(args)
        .current_dir(cwd)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run leadmatch");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("write stdin");
    }
    child.wait_with_output().expect("wait for leadmatch")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts exit 0 and parses stdout as one JSON value.
pub fn json(o: &Output) -> serde_json::Value {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
    serde_json::from_str(stdout(o).trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

/// Copies the repository catalogue into `dest` so a test can break it.
pub fn copy_catalog(dest: &Path) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for e in std::fs::read_dir(from).expect("read catalog") {
            let e = e.expect("entry");
            let p = e.path();
            if p.is_dir() {
                copy(&p, &to.join(e.file_name()));
            } else {
                std::fs::copy(&p, to.join(e.file_name())).expect("copy");
            }
        }
    }
    copy(&catalog_dir(), dest);
}

/// `../shared` beside the repository (present in CI, absent in a user's clone).
pub fn shared() -> Option<PathBuf> {
    let p = repo().join("..").join("shared");
    p.join("eval").join("real-dev.jsonl").is_file().then_some(p)
}
