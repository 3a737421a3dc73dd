//! Output files of `rank`: the checks that no output is the input or another output (the same
//! file by device and inode, hard links included, not by path), and [`AtomicFile`], the way every
//! output (`-o`, `--rejects`, `--report`) is written: to a temporary file in the target's
//! directory, renamed over the target only when complete. A failed, killed or interrupted run
//! leaves the previous file as it was, and the temporary file is removed on every failure the
//! process lives through (a `kill -9` can leave one `.NAME.*.tmp` behind, never a half-written
//! target). A target that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named
//! pipe) is written in place: renaming over it would replace the device with a plain file (as
//! root, `-o /dev/null` used to leave a regular `/dev/null` that every later program read back).

use crate::error::{Error, Result};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file written under a temporary name beside its target and renamed into place by
/// [`AtomicFile::commit`]. Dropped without a commit, the temporary file is deleted.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    sink: Sink,
}

/// Where the bytes go before [`AtomicFile::commit`].
#[derive(Debug)]
enum Sink {
    /// A temporary file beside a regular (or not yet existing) target.
    Temporary(tempfile::NamedTempFile),
    /// The target itself: a device or pipe, which cannot be replaced by a rename.
    InPlace(File),
}

/// Whether `target` exists and is something other than a regular file or a directory (a
/// character device such as `/dev/null`, a FIFO, a socket), following symlinks.
fn is_special(target: &Path) -> bool {
    std::fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

impl AtomicFile {
    /// Creates the temporary file in the target's directory (so the rename stays on one file
    /// system). Fails at once when that directory cannot be written.
    pub fn create(target: &Path) -> Result<AtomicFile> {
        if is_special(target) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(target)
                .map_err(|e| Error::io(target, e))?;
            return Ok(AtomicFile {
                target: target.to_path_buf(),
                sink: Sink::InPlace(file),
            });
        }
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // Readable by others like a file made by `File::create` (a temporary file is private).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let tmp = builder.tempfile_in(dir).map_err(|e| Error::io(target, e))?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            sink: Sink::Temporary(tmp),
        })
    }

    /// The open temporary file (the target itself for a device or pipe).
    pub fn file(&mut self) -> &mut File {
        match &mut self.sink {
            Sink::Temporary(tmp) => tmp.as_file_mut(),
            Sink::InPlace(file) => file,
        }
    }

    /// A second handle on the open file (for writers that want to own one).
    pub fn handle(&self) -> Result<File> {
        let file = match &self.sink {
            Sink::Temporary(tmp) => tmp.as_file(),
            Sink::InPlace(file) => file,
        };
        file.try_clone().map_err(|e| Error::io(&self.target, e))
    }

    /// The file this becomes.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes to disk and renames the temporary file over the target (a device or pipe was
    /// written in place: nothing is left to do).
    pub fn commit(self) -> Result<()> {
        let target = self.target;
        match self.sink {
            Sink::Temporary(tmp) => {
                tmp.as_file().sync_all().map_err(|e| Error::io(&target, e))?;
                tmp.persist(&target).map_err(|e| Error::io(&target, e.error))?;
            }
            Sink::InPlace(_) => {}
        }
        Ok(())
    }

    /// Writes `bytes` as the whole content of `target`, atomically.
    pub fn write_all(target: &Path, bytes: &[u8]) -> Result<()> {
        let mut f = AtomicFile::create(target)?;
        f.file().write_all(bytes).map_err(|e| Error::io(target, e))?;
        f.commit()
    }
}

/// One file the run reads or writes, by its role (`-o`, `--rejects`, `--report`, the input).
#[derive(Debug, Clone, Copy)]
pub struct Role<'a> {
    /// The flag or word that names it to the user: `输入 input`, `-o`, `--rejects`, `--report`.
    pub flag: &'a str,
    pub path: &'a Path,
    /// Whether the run writes it.
    pub written: bool,
}

/// Whether two paths are the same file: by device and inode (file index on Windows) when both
/// exist, so hard links and symlinks are caught; by their absolute path otherwise (two outputs
/// not created yet).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match same_file::is_same_file(a, b) {
        Ok(same) => same,
        Err(_) => match (absolute(a), absolute(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

/// The absolute path with the existing part resolved (symlinks, `..`), for files that may not
/// exist yet.
fn absolute(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = p.canonicalize() {
        return Some(c);
    }
    let name = p.file_name()?;
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(dir.canonicalize().ok()?.join(name))
}

/// Refuses a run where a written file is the input or another written file. The message names
/// both roles and the path.
pub fn check_distinct(files: &[Role<'_>]) -> std::result::Result<(), String> {
    for (i, a) in files.iter().enumerate() {
        for b in &files[i + 1..] {
            if !(a.written || b.written) || !same_file(a.path, b.path) {
                continue;
            }
            // Two outputs to one device (`-o /dev/null --rejects /dev/null`) overwrite nothing.
            if a.written && b.written && is_special(a.path) {
                continue;
            }
            let (first, second) = if a.written { (b, a) } else { (a, b) };
            return Err(format!(
                "输出会覆盖{} output {} {} is the same file as {} {}: choose another path",
                if first.written { "另一个输出" } else { "输入" },
                second.flag,
                second.path.display(),
                first.flag,
                first.path.display()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_links_and_unborn_twins_are_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        std::fs::write(&input, "企业名称\n甲\n").unwrap();
        let link = dir.path().join("link.csv");
        std::fs::hard_link(&input, &link).unwrap();
        assert!(same_file(&input, &link));
        let a = dir.path().join("new.csv");
        let b = dir.path().join("sub/../new.csv");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert!(same_file(&a, &b));
        assert!(!same_file(&a, &input));
        let roles = [
            Role {
                flag: "输入 input",
                path: &input,
                written: false,
            },
            Role {
                flag: "--report",
                path: &link,
                written: true,
            },
        ];
        let err = check_distinct(&roles).unwrap_err();
        assert!(err.contains("--report") && err.contains("输入"), "{err}");
        let roles = [
            Role {
                flag: "-o",
                path: &a,
                written: true,
            },
            Role {
                flag: "--rejects",
                path: &b,
                written: true,
            },
        ];
        assert!(check_distinct(&roles).is_err());
    }

    #[test]
    fn an_uncommitted_file_leaves_the_target_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("报告.html");
        std::fs::write(&target, "old").unwrap();
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.file().write_all(b"half").unwrap();
        }
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        AtomicFile::write_all(&target, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_in_place_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        if !std::fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device()) {
            eprintln!("skipped: /dev/null is not a character device on this host");
            return;
        }
        AtomicFile::write_all(null, b"written and discarded").unwrap();
        let mut f = AtomicFile::create(null).unwrap();
        f.file().write_all(b"more").unwrap();
        f.handle().unwrap().write_all(b"and more").unwrap();
        f.commit().unwrap();
        let meta = std::fs::metadata(null).unwrap();
        assert!(meta.file_type().is_char_device(), "/dev/null was replaced: {meta:?}");
        let roles = [
            Role {
                flag: "-o",
                path: null,
                written: true,
            },
            Role {
                flag: "--rejects",
                path: null,
                written: true,
            },
        ];
        assert_eq!(check_distinct(&roles), Ok(()));
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_written_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("out.pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(&fifo).unwrap())
        };
        AtomicFile::write_all(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
