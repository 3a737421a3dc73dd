//! `leadmatch index`: build or refresh the index from the catalogue.

use super::Failure;
use crate::index::{CatalogIndex, IndexOrigin};
use crate::{Catalog, CatalogSource, EngineOptions};
use anyhow::Context;
use std::path::PathBuf;

pub fn run(opts: &EngineOptions) -> Result<(), Failure> {
    let source = CatalogSource::locate(opts.catalog_dir.as_deref())?;
    let catalog = Catalog::load(&source)?;
    let dir = opts.index_dir.clone().unwrap_or_else(|| PathBuf::from("index"));
    let t = std::time::Instant::now();
    let index = CatalogIndex::open_or_build(&catalog, Some(&dir))
        .with_context(|| format!("building the index in {}", dir.display()))?;
    let what = match &index.origin {
        IndexOrigin::Opened(_) => "索引已是最新 index is up to date".to_string(),
        IndexOrigin::Repaired(_, problem) => format!("索引已损坏，已重建 index was damaged ({problem}), rebuilt"),
        _ => "索引已建立 index built".to_string(),
    };
    use std::io::Write as _;
    writeln!(
        std::io::stdout().lock(),
        "{what}: {} ({} industries, {} sectors, catalogue {}, fingerprint {}, {} ms)",
        dir.display(),
        index.num_docs(),
        catalog.sectors.len(),
        catalog.origin,
        catalog.fingerprint,
        t.elapsed().as_millis()
    )?;
    Ok(())
}
