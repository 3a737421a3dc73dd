//! leadmatch: matches companies to the industries a city wants to attract.
//!
//! The catalogue ([`catalog`]) is the Wenzhou plan 温政办〔2019〕50号 as structured data; it is
//! indexed with tantivy ([`index`]); profiles are normalised and segmented ([`text`]) and scored
//! against the index ([`matcher`]). [`Engine`] ties them together for the CLI and the server.

pub mod batch;
pub mod catalog;
pub mod cli;
pub mod error;
pub mod eval;
pub mod index;
pub mod lead;
pub mod limits;
pub mod matcher;
pub mod search;
pub mod server;
pub mod text;

pub use catalog::{Catalog, CatalogSource};
pub use error::{Error, Result};
pub use lead::Profile;
pub use matcher::{Match, Matcher, ScoreResult, Verdict};
pub use search::{SearchHit, SearchResult};

use index::{CatalogIndex, IndexOrigin};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where to find the catalogue and the index.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// `--catalog DIR`; default `./catalog` when present, else the built-in catalogue.
    pub catalog_dir: Option<PathBuf>,
    /// `--index DIR`; default `./index` (with the built-in catalogue: in memory).
    pub index_dir: Option<PathBuf>,
}

/// The loaded catalogue, its index and the compiled matcher, shared by every request.
pub struct Engine {
    pub catalog: Arc<Catalog>,
    pub index: CatalogIndex,
    pub matcher: Matcher,
    /// The companies the plan names, and the priority signal terms, prepared once.
    pub named: lead::NamedCompanies,
    /// The leadmatch version and catalogue fingerprint, stamped on every result and output.
    pub info: lead::EngineInfo,
    notice: Option<String>,
}

impl Engine {
    /// Loads the catalogue, opens (or builds, or rebuilds when stale) the index and compiles the
    /// matcher.
    pub fn open(opts: &EngineOptions) -> Result<Engine> {
        let source = CatalogSource::locate(opts.catalog_dir.as_deref())?;
        let from_dir = source.origin != "built-in";
        let catalog = Arc::new(Catalog::load(&source)?);
        let index_dir: Option<PathBuf> = match (&opts.index_dir, from_dir) {
            (Some(d), _) => Some(d.clone()),
            (None, true) => Some(PathBuf::from("index")),
            (None, false) => None,
        };
        Self::build(catalog, index_dir.as_deref())
    }

    /// Builds an engine over an already loaded catalogue.
    pub fn with_catalog(catalog: Arc<Catalog>, index_dir: Option<&Path>) -> Result<Engine> {
        Self::build(catalog, index_dir)
    }

    fn build(catalog: Arc<Catalog>, index_dir: Option<&Path>) -> Result<Engine> {
        // The plan's named companies (their names parsed, which builds the traditional →
        // simplified converter every profile needs too) are prepared on a second thread while the
        // index opens and the matcher compiles: start-up is what a one-row run waits for.
        std::thread::scope(|s| {
            let named = s.spawn(|| lead::NamedCompanies::from_catalog(&catalog));
            let built = Self::build_matcher(&catalog, index_dir);
            // A panic there is one the single-threaded start-up had too: passed on unchanged.
            let named = named.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            let (index, matcher, notice) = built?;
            Ok(Engine {
                info: lead::EngineInfo::new(&catalog.fingerprint),
                catalog: catalog.clone(),
                index,
                matcher,
                named,
                notice,
            })
        })
    }

    /// Opens (or builds) the index and compiles the matcher; with the notice to print, if any.
    fn build_matcher(
        catalog: &Arc<Catalog>,
        index_dir: Option<&Path>,
    ) -> Result<(CatalogIndex, Matcher, Option<String>)> {
        let catalog = catalog.clone();
        // The built-in catalogue's index comes from the user's cache when it can (built there
        // once per binary), else it is built in memory.
        let cached = match index_dir {
            None if catalog.origin == "built-in" => CatalogIndex::open_cached(&catalog).and_then(|r| r.ok()),
            _ => None,
        };
        let opened = match cached {
            Some(index) => Ok(index),
            None => CatalogIndex::open_or_build(&catalog, index_dir),
        };
        let (index, fallback) = match opened {
            Ok(i) => (i, None),
            Err(e @ Error::Io { .. }) | Err(e @ Error::Index { .. }) if index_dir.is_some() => {
                (CatalogIndex::open_or_build(&catalog, None)?, Some(e.to_string()))
            }
            Err(e) => return Err(e),
        };
        let notice = match (&index.origin, fallback) {
            (_, Some(err)) => Some(format!(
                "索引目录不可用，已在内存中建立索引 index directory unusable ({err}); built the index in memory"
            )),
            (IndexOrigin::Repaired(dir, problem), None) => Some(format!(
                "索引已损坏，已重建 the index in {} was damaged ({problem}); rebuilt it",
                dir.display()
            )),
            (IndexOrigin::Built(dir), None) => Some(format!(
                "首次运行或目录已更新：已为 {} 个细分产业建立检索索引，保存在 {}，下次启动更快。\n\
                 First run or catalogue changed: built the index of {} industries in {} (kept there, so the \
                 next start is quicker). Nothing to do.",
                catalog.industries.len(),
                dir.display(),
                catalog.industries.len(),
                dir.display()
            )),
            _ => None,
        };
        let matcher = Matcher::compile(catalog.clone(), &index)?;
        Ok((index, matcher, notice))
    }

    /// A one-line notice for stderr when the index was (re)built.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Scores one profile.
    pub fn score(&self, profile: &Profile) -> Result<ScoreResult> {
        if profile.is_empty() {
            return Err(Error::EmptyProfile);
        }
        Ok(self.matcher.score(profile))
    }

    /// Searches the catalogue.
    pub fn search(&self, query: &str, limit: usize) -> Result<SearchResult> {
        search::search(&self.catalog, &self.index, &self.matcher, query, limit)
    }
}
