//! The compiled term tables: the BM25 contribution of every catalogue term to every industry
//! (and of the loose words of the industries' texts), read out of the index once — and kept in a
//! file beside an on-disk index, so a start-up reads them back in a millisecond instead of walking
//! the index and normalising every term again (~30–50 ms, the largest part of start-up after the
//! term automaton; issue 16).
//!
//! The file (`leadmatch.tables`) is `MAGIC`, a stamp, the BLAKE3 hash of the payload and the
//! payload (postcard). The stamp hashes the catalogue's fingerprint, this binary (version, path,
//! size, modification time) and the index's `meta.json` (its segment ids change on every build):
//! tables written by another binary or for another build of the index are never read. A file
//! that fails its stamp or hash is recomputed and rewritten (atomically: a temporary file renamed
//! into place); a directory that cannot be written is only read from.

use super::{Lists, Posting};
use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::index::{CatalogIndex, IndexOrigin, TermClass, industry_terms};
use crate::text::{is_cjk, normalizer};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, TantivyDocument};

const TABLES_FILE: &str = "leadmatch.tables";
const MAGIC: &[u8; 8] = b"LMTABLE1";

/// What [`super::Matcher::compile`] needs of the index.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub(super) struct Tables {
    /// Every term key of the catalogue (analysis form), sorted: the extractor's patterns.
    pub keys: Vec<String>,
    /// Each key as the catalogue writes it, for evidence.
    pub shown: Vec<String>,
    /// Per key: the industries it scores in, with its class and BM25.
    pub postings: Lists<Posting>,
    /// Latin words of the `text` field: BM25 per industry.
    pub loose: Vec<(String, Vec<(u16, f32)>)>,
    /// Chinese words of the `text` field in at most `LOOSE_MAX_DF` industries, sorted.
    pub loose_words: Vec<String>,
    /// Per word of `loose_words`: BM25 per industry.
    pub loose_cjk: Lists<(u16, f32)>,
}

impl Tables {
    /// The tables of `index`: from its tables file when that is current, else read out of the
    /// index (and the file written, when the index is on disk).
    pub fn load_or_read(catalog: &Catalog, index: &CatalogIndex) -> Result<Tables> {
        let dir = match &index.origin {
            IndexOrigin::Opened(d) | IndexOrigin::Built(d) | IndexOrigin::Repaired(d, _) => Some(d.as_path()),
            IndexOrigin::Memory => None,
        };
        let stamp = dir.and_then(|d| stamp(catalog, d));
        if let (Some(dir), Some(stamp)) = (dir, stamp.as_ref())
            && let Some(tables) = load(&dir.join(TABLES_FILE), stamp)
        {
            return Ok(tables);
        }
        let tables = Self::read(catalog, index)?;
        if let (Some(dir), Some(stamp)) = (dir, stamp.as_ref()) {
            // Best effort: a read-only index directory is still usable, only slower to start.
            let _ = store(dir, stamp, &tables);
        }
        Ok(tables)
    }

    /// Reads the tables out of the index: every term field's BM25 per industry (as tantivy scores
    /// a `TermQuery`), the loose words of the `text` field.
    pub fn read(catalog: &Catalog, index: &CatalogIndex) -> Result<Tables> {
        let searcher = index.reader.searcher();
        // doc address → industry ordinal
        let mut ord_of: FxHashMap<(u32, u32), u16> = FxHashMap::default();
        for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
            for doc in 0..seg.max_doc() {
                let d: TantivyDocument = searcher
                    .doc(DocAddress::new(seg_ord as u32, doc))
                    .map_err(|e| Error::index("read industry document", e))?;
                if let Some(o) = d.get_first(index.fields.ord).and_then(|v| v.as_u64()) {
                    ord_of.insert((seg_ord as u32, doc), o as u16);
                }
            }
        }
        if ord_of.len() != catalog.industries.len() {
            return Err(Error::Input(format!(
                "索引与目录不一致 index holds {} industries, catalogue {}: run `leadmatch index`",
                ord_of.len(),
                catalog.industries.len()
            )));
        }
        let mut table: FxHashMap<String, Vec<Posting>> = FxHashMap::default();
        let mut display: FxHashMap<String, String> = FxHashMap::default();
        let global_generic: HashSet<String> = catalog.terms.generic.iter().map(|g| normalizer().term_key(g)).collect();
        for ind in catalog.industries.iter() {
            for (_, key, shown) in industry_terms(ind, &global_generic) {
                display.entry(key).or_insert(shown);
            }
        }
        for class in TermClass::ALL {
            for (key, hits) in field_bm25(&searcher, index.fields.term_field(class), &ord_of, |_| true)? {
                let postings = table.entry(key).or_default();
                postings.extend(
                    hits.into_iter()
                        .map(|(industry, bm25)| Posting { industry, class, bm25 }),
                );
            }
        }
        let mut loose = field_bm25(&searcher, index.fields.text, &ord_of, |w| {
            w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase()) || w.chars().count() >= 2 && w.chars().all(is_cjk)
        })?;
        // The Chinese words of the industries' texts, found in the profile by the term automaton
        // (no segmentation per profile). Words in more than `LOOSE_MAX_DF` industries say little
        // and would cost a posting walk each.
        const LOOSE_MAX_DF: usize = 4;
        let mut loose_words: Vec<String> = loose
            .iter()
            .filter(|(w, hits)| w.chars().all(is_cjk) && hits.len() <= LOOSE_MAX_DF)
            .map(|(w, _)| w.clone())
            .collect();
        loose_words.sort();
        let loose_cjk: Lists<(u16, f32)> = loose_words
            .iter()
            .map(|w| loose.remove(w).unwrap_or_default())
            .collect();
        loose.retain(|w, _| !w.chars().any(is_cjk));
        let mut keys: Vec<String> = table.keys().cloned().collect();
        keys.sort();
        let postings: Lists<Posting> = keys.iter().map(|k| table.remove(k).unwrap_or_default()).collect();
        let shown: Vec<String> = keys
            .iter()
            .map(|k| display.get(k).cloned().unwrap_or_else(|| k.trim().to_string()))
            .collect();
        let mut loose: Vec<(String, Vec<(u16, f32)>)> = loose.into_iter().collect();
        loose.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Tables {
            keys,
            shown,
            postings,
            loose,
            loose_words,
            loose_cjk,
        })
    }
}

/// The stamp a tables file must carry to be read with this catalogue, binary and index.
fn stamp(catalog: &Catalog, dir: &Path) -> Option<[u8; 32]> {
    let meta = std::fs::read(dir.join("meta.json")).ok()?;
    let mut h = crate::index::binary_hasher(catalog)?;
    h.update(b"tables");
    h.update(&meta);
    Some(*h.finalize().as_bytes())
}

/// The tables in `path` when it holds the stamp and its payload its hash; `None` otherwise.
fn load(path: &Path, stamp: &[u8; 32]) -> Option<Tables> {
    let bytes = std::fs::read(path).ok()?;
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (file_stamp, rest) = rest.split_at_checked(32)?;
    let (hash, payload) = rest.split_at_checked(32)?;
    if file_stamp != stamp || blake3::hash(payload).as_bytes() != hash {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

/// Writes the tables file into `dir` (a temporary file renamed into place).
fn store(dir: &Path, stamp: &[u8; 32], tables: &Tables) -> Option<()> {
    let payload = postcard::to_stdvec(tables).ok()?;
    let mut bytes = Vec::with_capacity(payload.len() + 72);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(stamp);
    bytes.extend_from_slice(blake3::hash(&payload).as_bytes());
    bytes.extend_from_slice(&payload);
    let tmp: PathBuf = dir.join(format!(".{TABLES_FILE}.{}", std::process::id()));
    // Created afresh, never opened through a link someone planted under that name.
    let _ = std::fs::remove_file(&tmp);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| std::io::Write::write_all(&mut f, &bytes))
        .and_then(|()| std::fs::rename(&tmp, dir.join(TABLES_FILE)));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.ok()
}

/// The BM25 contribution of every term of `field` (that `keep` accepts) to every industry,
/// computed from the index's own statistics with tantivy's `Bm25Weight` — the numbers a
/// `TermQuery` on that term would score — by walking the term dictionary and postings once.
fn field_bm25(
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
    ord_of: &FxHashMap<(u32, u32), u16>,
    keep: impl Fn(&str) -> bool,
) -> Result<FxHashMap<String, Vec<(u16, f32)>>> {
    use tantivy::fieldnorm::FieldNormReader;
    use tantivy::postings::Postings;
    use tantivy::query::Bm25Weight;
    use tantivy::{DocSet, TERMINATED};
    let ctx = |what: &'static str| move |e: std::io::Error| Error::io(format!("index ({what})"), e);
    let total_docs: u64 = searcher.segment_readers().iter().map(|s| s.num_docs() as u64).sum();
    let mut total_tokens = 0u64;
    let mut doc_freq: FxHashMap<String, u64> = FxHashMap::default();
    for seg in searcher.segment_readers() {
        let inverted = seg
            .inverted_index(field)
            .map_err(|e| Error::index("read term dictionary", e))?;
        total_tokens += inverted.total_num_tokens();
        let mut stream = inverted.terms().stream().map_err(ctx("term dictionary"))?;
        while stream.advance() {
            if let Ok(key) = std::str::from_utf8(stream.key())
                && keep(key)
            {
                *doc_freq.entry(key.to_string()).or_default() += stream.value().doc_freq as u64;
            }
        }
    }
    let avg_fieldnorm = total_tokens as f32 / total_docs.max(1) as f32;
    let mut out: FxHashMap<String, Vec<(u16, f32)>> = FxHashMap::default();
    for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
        let inverted = seg
            .inverted_index(field)
            .map_err(|e| Error::index("read term dictionary", e))?;
        let norms = seg
            .fieldnorms_readers()
            .get_field(field)
            .map_err(|e| Error::index("read field norms", e))?
            .unwrap_or_else(|| FieldNormReader::constant(seg.max_doc(), 1));
        let mut stream = inverted.terms().stream().map_err(ctx("term dictionary"))?;
        while stream.advance() {
            let Ok(key) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let Some(&df) = doc_freq.get(key) else { continue };
            let weight = Bm25Weight::for_one_term_without_explain(df, total_docs, avg_fieldnorm);
            let mut postings = inverted
                .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)
                .map_err(ctx("postings"))?;
            let hits = out.entry(key.to_string()).or_default();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if let Some(&industry) = ord_of.get(&(seg_ord as u32, doc)) {
                    hits.push((industry, weight.score(norms.fieldnorm_id(doc), postings.term_freq())));
                }
                doc = postings.advance();
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables file gives back exactly what the index gives; a damaged or foreign file is
    /// never read (it is recomputed and rewritten), and a memory index writes nothing.
    #[test]
    fn the_tables_file_round_trips_and_a_damaged_one_is_recomputed() {
        let catalog = Catalog::builtin().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let index = CatalogIndex::open_or_build(&catalog, Some(dir.path())).unwrap();
        let path = dir.path().join(TABLES_FILE);
        assert!(!path.exists());
        let read = Tables::read(&catalog, &index).unwrap();
        let first = Tables::load_or_read(&catalog, &index).unwrap();
        assert_eq!(first, read, "computed");
        assert!(path.is_file(), "written beside the index");
        let stamp = stamp(&catalog, dir.path()).unwrap();
        assert_eq!(load(&path, &stamp).as_ref(), Some(&read), "read back unchanged");
        assert_eq!(
            load(&path, &[0; 32]),
            None,
            "another binary's or build's file is not read"
        );

        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x55;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(load(&path, &stamp), None, "a changed byte fails the hash");
        assert_eq!(Tables::load_or_read(&catalog, &index).unwrap(), read, "recomputed");
        assert_eq!(load(&path, &stamp).as_ref(), Some(&read), "and rewritten");
        std::fs::write(&path, b"LMTABLE1").unwrap();
        assert_eq!(
            Tables::load_or_read(&catalog, &index).unwrap(),
            read,
            "a truncated file too"
        );

        let memory = CatalogIndex::open_or_build(&catalog, None).unwrap();
        assert_eq!(
            Tables::load_or_read(&catalog, &memory).unwrap(),
            read,
            "in memory: the same"
        );
    }
}
