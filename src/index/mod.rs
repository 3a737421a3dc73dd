//! The tantivy index over the catalogue: one document per industry, with its sector and theme.
//!
//! Fields:
//! - `name`, `strong`, `support`, `generic`: the industry's terms in analysis form, one token per
//!   term (tokenizer `leadmatch_terms`), no field norms: BM25 over these is what ranks a profile,
//!   the idf making a term found in one industry weigh much and one found in many weigh little;
//! - `text`: names, summary, terms, sector, units and carriers as written, segmented by jieba, for
//!   `search` and its snippets.
//!
//! The index lives in `index/` with the catalogue's fingerprint beside it and is rebuilt when the
//! catalogue changes; with the built-in catalogue it is built in memory.

mod schema;

pub use schema::{Fields, TERMS_TOKENIZER, TermClass};

use crate::catalog::{Catalog, Industry};
use crate::error::{Error, Result};
use crate::text::{JiebaTokenizer, normalizer};
use std::path::{Path, PathBuf};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};

const FINGERPRINT_FILE: &str = "leadmatch.fingerprint";

/// Where the index came from, for the one-line notice on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexOrigin {
    /// Opened from disk, fresh.
    Opened(PathBuf),
    /// Built (or rebuilt because missing or stale) on disk.
    Built(PathBuf),
    /// Rebuilt on disk because the index there was damaged (files failing their checksum, or
    /// unreadable); the problem found is kept for the notice.
    Repaired(PathBuf, String),
    /// Built in memory (built-in catalogue, or the index directory was not writable).
    Memory,
}

/// The catalogue index with its reader.
pub struct CatalogIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub origin: IndexOrigin,
    tokenizer: JiebaTokenizer,
}

fn tantivy_err(ctx: &str) -> impl Fn(tantivy::TantivyError) -> Error + '_ {
    move |e| Error::index(ctx, e)
}

/// All terms of an industry by class, in analysis form (deduplicated, empty keys dropped).
pub fn industry_terms(
    ind: &Industry,
    global_generic: &std::collections::HashSet<String>,
) -> Vec<(TermClass, String, String)> {
    let n = normalizer();
    let mut out: Vec<(TermClass, String, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let names = [ind.name.as_str(), ind.name_en.as_str()];
    let lists: [(TermClass, &[String]); 3] = [
        (TermClass::Strong, &ind.strong),
        (TermClass::Support, &ind.support),
        (TermClass::Generic, &ind.generic),
    ];
    for name in names {
        let key = n.term_key(name);
        if !key.is_empty() && seen.insert(key.clone()) {
            out.push((TermClass::Name, key, name.to_string()));
        }
    }
    for (class, list) in lists {
        for term in list {
            let key = n.term_key(term);
            if key.is_empty() || !seen.insert(key.clone()) {
                continue;
            }
            // A word the catalogue calls generic everywhere never identifies an industry.
            let class = if global_generic.contains(&key) {
                TermClass::Generic
            } else {
                class
            };
            out.push((class, key, term.clone()));
        }
    }
    // The carriers the plan names for this industry (中国眼谷, 浙南电竞小镇 …) are evidence too, as
    // supporting terms: a firm in such a park is likely of its trade, not certainly.
    for carrier in &ind.carriers {
        let key = n.term_key(carrier);
        if key.chars().count() >= 3 && seen.insert(key.clone()) {
            out.push((TermClass::Support, key, carrier.clone()));
        }
    }
    out
}

impl CatalogIndex {
    /// Opens `dir` when its fingerprint matches the catalogue, else (re)builds it there. With
    /// `dir = None` the index is built in memory.
    pub fn open_or_build(catalog: &Catalog, dir: Option<&Path>) -> Result<CatalogIndex> {
        let tokenizer = Self::tokenizer_for(catalog);
        let Some(dir) = dir else {
            return Self::build(catalog, None, tokenizer);
        };
        let fp_path = dir.join(FINGERPRINT_FILE);
        let fresh = std::fs::read_to_string(&fp_path).is_ok_and(|stored| stored.trim() == catalog.fingerprint);
        if fresh {
            match Self::open_verified(dir, tokenizer.clone()) {
                Ok(index) => return Ok(index),
                Err(problem) => {
                    let mut index = Self::build_beside(catalog, dir, tokenizer, true)?;
                    if index.origin == IndexOrigin::Built(dir.to_path_buf()) {
                        index.origin = IndexOrigin::Repaired(dir.to_path_buf(), problem);
                    }
                    return Ok(index);
                }
            }
        }
        Self::build_beside(catalog, dir, tokenizer, false)
    }

    /// Builds the index for `dir` in a private directory beside it and renames it into place, so
    /// runs started together on a fresh or stale `dir` never see each other's half-written files
    /// (one of five such runs failed with "not a leadmatch index" before). A run that finds a fresh
    /// index there when its own is ready opens that one instead (unless `damaged`: the index there
    /// failed its check and is replaced).
    fn build_beside(catalog: &Catalog, dir: &Path, tokenizer: JiebaTokenizer, damaged: bool) -> Result<CatalogIndex> {
        // Refuse a directory that is not ours before building anything.
        check_ours(dir)?;
        static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "index".into());
        let tmp = dir.with_file_name(format!(
            ".{name}.build-{}-{}",
            std::process::id(),
            BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let built = Self::build(catalog, Some(&tmp), tokenizer.clone());
        let fresh_there =
            |d: &Path| std::fs::read_to_string(d.join(FINGERPRINT_FILE)).is_ok_and(|s| s.trim() == catalog.fingerprint);
        let index = match built {
            Ok(index) => index,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(e);
            }
        };
        drop(index);
        if !damaged && fresh_there(dir) {
            // Another run finished first: its index is as good as ours.
            let _ = std::fs::remove_dir_all(&tmp);
            if let Ok(index) = Self::open_verified(dir, tokenizer.clone()) {
                return Ok(index);
            }
        }
        if dir.exists() {
            let _ = std::fs::remove_dir_all(dir);
        }
        let placed = std::fs::rename(&tmp, dir);
        if let Err(e) = placed {
            let _ = std::fs::remove_dir_all(&tmp);
            // Placed by a concurrent run between our removal and our rename: use it.
            if fresh_there(dir)
                && let Ok(index) = Self::open_verified(dir, tokenizer.clone())
            {
                return Ok(index);
            }
            return Err(Error::io(dir, e));
        }
        let mut index =
            Self::open_verified(dir, tokenizer).map_err(|m| Error::Input(format!("{}: {m}", dir.display())))?;
        index.origin = IndexOrigin::Built(dir.to_path_buf());
        Ok(index)
    }

    /// The index of the built-in catalogue, kept in the user's cache directory
    /// ([`user_cache_dir`]) so a start without `catalog/` at hand does not segment the
    /// catalogue's texts with jieba again (~0.2 s). The entry is keyed by the catalogue's
    /// fingerprint and this executable (path, size, modification time: a rebuilt binary never
    /// reads an index an older one wrote), built in a private directory and renamed into place
    /// (concurrent first runs do not see each other's half-written files), and opened like any
    /// index directory: checksums verified, rebuilt when damaged. `None` when there is no usable
    /// cache directory; the caller then builds in memory.
    pub fn open_cached(catalog: &Catalog) -> Option<Result<CatalogIndex>> {
        let cache = user_cache_dir()?;
        let dir = cache.join(format!("index-{}", cache_key(catalog)?));
        if !dir.join(FINGERPRINT_FILE).is_file() {
            std::fs::create_dir_all(&cache).ok()?;
            // Private to this call: threads of one process may build at once too.
            static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let tmp = cache.join(format!(
                ".build-{}-{}-{}",
                std::process::id(),
                BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
                dir.file_name()?.to_string_lossy()
            ));
            let _ = std::fs::remove_dir_all(&tmp);
            // Built, closed, then moved into place.
            let built = Self::build(catalog, Some(&tmp), Self::tokenizer_for(catalog)).is_ok();
            let renamed = built && std::fs::rename(&tmp, &dir).is_ok();
            if !renamed {
                // Built by a concurrent run first, or not writable: that run's entry, or none.
                let _ = std::fs::remove_dir_all(&tmp);
                if !dir.join(FINGERPRINT_FILE).is_file() {
                    return None;
                }
            }
        }
        let opened = Self::open_or_build(catalog, Some(&dir));
        if opened.is_ok() && mark_used(&dir) {
            prune_cache(&cache, &dir, std::time::SystemTime::now());
        }
        Some(opened)
    }

    /// Opens the index in `dir` after checking every file against its checksum (a changed byte
    /// in a `.term` file would otherwise panic later, in every command), and reads it once.
    /// Returns what is wrong when it cannot be used.
    fn open_verified(dir: &Path, tokenizer: JiebaTokenizer) -> std::result::Result<CatalogIndex, String> {
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> std::result::Result<_, String> {
            let index = Index::open_in_dir(dir).map_err(|e| e.to_string())?;
            let damaged = index.validate_checksum().map_err(|e| e.to_string())?;
            if !damaged.is_empty() {
                let mut names: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
                names.sort();
                return Err(format!("校验失败 checksum mismatch in {}", names.join(", ")));
            }
            let index =
                Self::finish(index, IndexOrigin::Opened(dir.to_path_buf()), tokenizer).map_err(|e| e.to_string())?;
            // Touch every segment's readers once, so a defect the checksums miss shows here.
            let searcher = index.reader.searcher();
            for segment in searcher.segment_readers() {
                for field in [index.fields.name, index.fields.strong, index.fields.text] {
                    segment.inverted_index(field).map_err(|e| e.to_string())?;
                }
            }
            Ok(index)
        }));
        match opened {
            Ok(r) => r,
            Err(_) => Err("读取索引时出错 the index could not be read".to_string()),
        }
    }

    fn tokenizer_for(catalog: &Catalog) -> JiebaTokenizer {
        let words = catalog
            .industries
            .iter()
            .flat_map(|i| i.strong.iter().chain(&i.support).chain(std::iter::once(&i.name)))
            .map(|s| s.as_str());
        JiebaTokenizer::with_words(words)
    }

    /// Builds the index from the catalogue, on disk (replacing a previous leadmatch index there)
    /// or in memory.
    pub fn build(catalog: &Catalog, dir: Option<&Path>, tokenizer: JiebaTokenizer) -> Result<CatalogIndex> {
        let (schema, fields) = schema::build_schema();
        let (index, origin) = match dir {
            Some(dir) => {
                prepare_dir(dir)?;
                let index = Index::create_in_dir(dir, schema).map_err(tantivy_err("create index directory"))?;
                (index, IndexOrigin::Built(dir.to_path_buf()))
            }
            None => (Index::create_in_ram(schema), IndexOrigin::Memory),
        };
        schema::register_tokenizers(&index, tokenizer.clone());
        let mut writer = index
            .writer_with_num_threads::<TantivyDocument>(1, 15_000_000)
            .map_err(tantivy_err("open index writer"))?;
        let global_generic: std::collections::HashSet<String> =
            catalog.terms.generic.iter().map(|g| normalizer().term_key(g)).collect();
        for (ord, ind) in catalog.industries.iter().enumerate() {
            let doc = schema::industry_document(&fields, catalog, ord as u64, ind, &global_generic);
            writer.add_document(doc).map_err(tantivy_err("add industry document"))?;
        }
        writer.commit().map_err(tantivy_err("commit index"))?;
        writer.wait_merging_threads().map_err(tantivy_err("finish index"))?;
        if let Some(dir) = dir {
            let fp = dir.join(FINGERPRINT_FILE);
            std::fs::write(&fp, &catalog.fingerprint).map_err(|e| Error::io(&fp, e))?;
        }
        Self::finish(index, origin, tokenizer)
    }

    fn finish(index: Index, origin: IndexOrigin, tokenizer: JiebaTokenizer) -> Result<CatalogIndex> {
        schema::register_tokenizers(&index, tokenizer.clone());
        let fields = Fields::from_schema(&index.schema()).map_err(|m| {
            Error::Input(format!(
                "索引结构不符 index schema mismatch: {m}; delete the index directory and run `leadmatch index`"
            ))
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tantivy_err("open index reader"))?;
        Ok(CatalogIndex {
            index,
            reader,
            fields,
            origin,
            tokenizer,
        })
    }

    /// The tokenizer registered for the `text` field.
    pub fn tokenizer(&self) -> &JiebaTokenizer {
        &self.tokenizer
    }

    /// The number of industry documents.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

/// Where leadmatch keeps its cache: `$LEADMATCH_CACHE_DIR`, else `$XDG_CACHE_HOME/leadmatch`,
/// else the platform's user cache directory (`~/.cache/leadmatch`, `~/Library/Caches/leadmatch`,
/// `%LOCALAPPDATA%\leadmatch\cache`). `LEADMATCH_CACHE_DIR` set to an empty value turns the cache
/// off.
pub fn user_cache_dir() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(v) = std::env::var_os("LEADMATCH_CACHE_DIR") {
        return (!v.is_empty()).then(|| PathBuf::from(v));
    }
    let base = if let Some(x) = var("XDG_CACHE_HOME").filter(|p| p.is_absolute()) {
        x
    } else if cfg!(windows) {
        var("LOCALAPPDATA")?.join("leadmatch").join("cache")
    } else if cfg!(target_os = "macos") {
        var("HOME")?.join("Library").join("Caches")
    } else {
        var("HOME")?.join(".cache")
    };
    Some(if cfg!(windows) { base } else { base.join("leadmatch") })
}

/// A hasher primed with the catalogue's fingerprint and this executable's identity (version,
/// path, size, modification time): what the cache key and the compiled tables' stamp start from,
/// so a rebuilt binary never reads what an older one wrote. `None` when the executable cannot be
/// found or stat'ed.
pub(crate) fn binary_hasher(catalog: &Catalog) -> Option<blake3::Hasher> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    let mut h = blake3::Hasher::new();
    h.update(catalog.fingerprint.as_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(exe.to_string_lossy().as_bytes());
    h.update(&meta.len().to_le_bytes());
    h.update(&modified.as_nanos().to_le_bytes());
    Some(h)
}

/// The cache key of the built-in catalogue's index: its fingerprint and this executable's
/// identity ([`binary_hasher`]).
fn cache_key(catalog: &Catalog) -> Option<String> {
    Some(binary_hasher(catalog)?.finalize().to_hex()[..32].to_string())
}

/// The stamp in a cache entry whose modification time says when the entry was last used.
const USED_FILE: &str = "leadmatch.used";
/// Cache entries kept, the one in use included: one per binary and catalogue a user ran lately.
const CACHE_KEEP: usize = 8;
/// Entries unused for this long are removed (a binary not run for two weeks rebuilds its entry in
/// ~0.3 s when it runs again).
const CACHE_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(14 * 24 * 3600);
/// A `.build-*` directory older than this was left by a run that died while building.
const BUILD_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Stamps `entry` as used now, at most once a day (a start-up writes nothing on most runs).
/// Returns true when it stamped: the caller then prunes the cache, so pruning runs about once a
/// day per binary, and always after a new entry was built.
fn mark_used(entry: &Path) -> bool {
    let stamp = entry.join(USED_FILE);
    let now = std::time::SystemTime::now();
    // `symlink_metadata`: a link planted in the entry is not followed (nor is its target's age
    // read, nor its content truncated below).
    let meta = std::fs::symlink_metadata(&stamp);
    let recent = meta.as_ref().is_ok_and(|m| {
        m.file_type().is_file()
            && m.modified().is_ok_and(|t| {
                now.duration_since(t)
                    .is_ok_and(|age| age < std::time::Duration::from_secs(24 * 3600))
            })
    });
    if recent {
        return false;
    }
    // Removed (a link goes, not what it points to) and created afresh, never opened through a link.
    if meta.is_ok() && std::fs::remove_file(&stamp).is_err() {
        return false;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&stamp)
        .is_ok()
}

/// Whether `name` is a cache entry's directory name: `index-` and the 32 hex digits of
/// [`cache_key`].
fn is_entry_name(name: &str) -> bool {
    name.strip_prefix("index-")
        .is_some_and(|k| k.len() == 32 && k.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether `name` is a build directory of [`CatalogIndex::open_cached`]:
/// `.build-<pid>-<n>-index-<key>`.
fn is_build_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(".build-") else {
        return false;
    };
    let mut parts = rest.splitn(3, '-');
    let digits = |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    digits(parts.next()) && digits(parts.next()) && parts.next().is_some_and(is_entry_name)
}

/// Removes cache entries of other binaries and catalogues that were not used for
/// [`CACHE_MAX_AGE`], the least recently used beyond [`CACHE_KEEP`], and build directories
/// abandoned for [`BUILD_MAX_AGE`]. `keep` (the entry in use) is never removed. Errors are ignored:
/// an entry another process has open stays (Windows) or is removed under it (Unix: its open files
/// stay readable, and it rebuilds the entry on its next start).
fn prune_cache(cache: &Path, keep: &Path, now: std::time::SystemTime) {
    let Ok(read) = std::fs::read_dir(cache) else { return };
    let age = |t: std::time::SystemTime| now.duration_since(t).unwrap_or_default();
    let mut entries: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for e in read.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        // `DirEntry::file_type` does not follow links: a link named like an entry is left alone.
        if path == keep || !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if is_build_name(&name) {
            if e.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| age(t) > BUILD_MAX_AGE)
            {
                let _ = std::fs::remove_dir_all(&path);
            }
            continue;
        }
        // Only what leadmatch made: an entry's name with its fingerprint file inside.
        let fingerprint = std::fs::symlink_metadata(path.join(FINGERPRINT_FILE));
        if !is_entry_name(&name) || !fingerprint.as_ref().is_ok_and(|m| m.is_file()) {
            continue;
        }
        // Last used: the stamp, else when its index was written. A stamp more than a day in the
        // future (a wrong clock, or planted) says nothing: it must not hold a place for years.
        let used = std::fs::symlink_metadata(path.join(USED_FILE))
            .or(fingerprint)
            .and_then(|m| m.modified())
            .ok()
            .filter(|t| *t <= now + std::time::Duration::from_secs(24 * 3600))
            .unwrap_or(std::time::UNIX_EPOCH);
        entries.push((used, path));
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.0));
    // The entry in use is one of the `CACHE_KEEP`.
    for (i, (used, path)) in entries.iter().enumerate() {
        if i + 1 >= CACHE_KEEP || age(*used) > CACHE_MAX_AGE {
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

/// Makes `dir` ready for a fresh index: creates it, or clears a previous leadmatch index in it.
/// Refuses to clear a non-empty directory that is not a leadmatch index.
fn prepare_dir(dir: &Path) -> Result<()> {
    if check_ours(dir)? {
        std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

/// Refuses a non-empty `dir` that holds no leadmatch index; says whether it holds one (a
/// missing or empty directory: false).
fn check_ours(dir: &Path) -> Result<bool> {
    if !dir.exists() {
        return Ok(false);
    }
    let is_ours = dir.join(FINGERPRINT_FILE).exists() || dir.join("meta.json").exists();
    let empty = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?.next().is_none();
    if !empty && !is_ours {
        return Err(Error::Input(format!(
            "索引目录非空且不是 leadmatch 索引 index directory {} is not empty and holds no leadmatch index; choose another --index DIR",
            dir.display()
        )));
    }
    Ok(!empty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    /// Makes a cache entry whose stamp says it was last used `days` ago.
    fn entry(cache: &Path, name: &str, now: SystemTime, days: u64) -> PathBuf {
        let dir = cache.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(FINGERPRINT_FILE), "fp").unwrap();
        let stamp = std::fs::File::create(dir.join(USED_FILE)).unwrap();
        stamp.set_modified(now - Duration::from_secs(days * 24 * 3600)).unwrap();
        dir
    }

    fn key(i: usize) -> String {
        format!("index-{i:032x}")
    }

    /// Issue 16: every rebuilt binary leaves an entry; old and surplus ones go, the one in use and
    /// what is not the cache's own stay.
    #[test]
    fn pruning_keeps_recent_entries_and_removes_old_and_surplus_ones() {
        let cache = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        let keep = entry(cache.path(), &key(999), now, 400);
        let recent: Vec<PathBuf> = (0..CACHE_KEEP + 3)
            .map(|i| entry(cache.path(), &key(i), now, i as u64))
            .collect();
        let old = entry(cache.path(), &key(500), now, 30);
        let foreign = cache.path().join("notes");
        std::fs::create_dir_all(&foreign).unwrap();
        // Named like an entry but without a fingerprint file, or only almost named so.
        let photos = cache.path().join(key(777));
        std::fs::create_dir_all(&photos).unwrap();
        let near = entry(cache.path(), "index-photos", now, 400);
        let build = cache.path().join(format!(".build-1-0-{}", key(42)));
        std::fs::create_dir_all(&build).unwrap();
        let mine = cache.path().join(".build-mine");
        std::fs::create_dir_all(&mine).unwrap();
        prune_cache(cache.path(), &keep, now);
        assert!(keep.exists(), "the entry in use stays whatever its age");
        for (i, dir) in recent.iter().enumerate() {
            assert_eq!(
                dir.exists(),
                i + 1 < CACHE_KEEP,
                "{}: {CACHE_KEEP} entries stay, the one in use among them",
                dir.display()
            );
        }
        assert!(!old.exists(), "unused for 30 days: removed");
        assert!(foreign.exists(), "not an index entry: left alone");
        assert!(photos.exists() && near.exists(), "not leadmatch's: left alone");
        assert!(
            build.exists(),
            "a build directory just made may be another run's: left alone"
        );
        prune_cache(cache.path(), &keep, now + BUILD_MAX_AGE + Duration::from_secs(60));
        assert!(!build.exists(), "an abandoned build directory goes");
        assert!(mine.exists(), "not a leadmatch build directory: left alone");
    }

    /// A stamp dated years ahead says nothing: it does not hold a place for years.
    #[test]
    fn a_future_stamp_counts_as_now() {
        let cache = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        let keep = entry(cache.path(), &key(999), now, 0);
        let future = entry(cache.path(), &key(1), now, 0);
        std::fs::File::options()
            .write(true)
            .open(future.join(USED_FILE))
            .unwrap()
            .set_modified(now + Duration::from_secs(3650 * 24 * 3600))
            .unwrap();
        prune_cache(cache.path(), &keep, now);
        assert!(!future.exists(), "a stamp ten years ahead counts as never used");
    }

    /// The stamp is written once a day at most: a start-up writes nothing on most runs.
    #[test]
    fn the_used_stamp_is_written_at_most_daily() {
        let dir = tempfile::tempdir().unwrap();
        assert!(mark_used(dir.path()), "no stamp yet: stamped");
        assert!(!mark_used(dir.path()), "stamped just now: left");
        let stamp = std::fs::File::options()
            .write(true)
            .open(dir.path().join(USED_FILE))
            .unwrap();
        stamp
            .set_modified(SystemTime::now() - Duration::from_secs(2 * 24 * 3600))
            .unwrap();
        assert!(mark_used(dir.path()), "two days old: stamped again");
    }

    /// A link planted as the stamp is replaced, and what it points to is left as it was.
    #[cfg(unix)]
    #[test]
    fn the_used_stamp_never_writes_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        std::os::unix::fs::symlink(&victim, dir.path().join(USED_FILE)).unwrap();
        assert!(mark_used(dir.path()));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(std::fs::symlink_metadata(dir.path().join(USED_FILE)).unwrap().is_file());
    }
}
