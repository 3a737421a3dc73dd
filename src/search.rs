//! Catalogue search (`leadmatch search 电竞`): ranked industries with highlighted snippets.
//!
//! Raw Chinese never reaches tantivy's query parser: the query is normalised, catalogue terms in
//! it become term queries on the term fields, and its jieba tokens term queries on `text`.

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::index::{CatalogIndex, TermClass};
use crate::matcher::Matcher;
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{TantivyDocument, Term};

/// One catalogue hit (interface.md, "Search result").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub sector_no: u32,
    pub sector_id: String,
    pub sector: String,
    pub industry_id: String,
    pub industry: String,
    /// The search engine's own relevance.
    pub score: f32,
    /// Text around the matched words, which are wrapped in `<b>…</b>`.
    pub snippet: String,
    pub lead_unit: String,
    pub carriers: Vec<String>,
}

/// The answer to one search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResult {
    pub query: String,
    pub hits: Vec<SearchHit>,
}

/// Searches the catalogue index.
pub fn search(
    catalog: &Catalog,
    index: &CatalogIndex,
    matcher: &Matcher,
    query: &str,
    limit: usize,
) -> Result<SearchResult> {
    let fields = &index.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let extractor = matcher.extractor();
    for id in extractor.extract(query).terms {
        let key = extractor.key(id);
        for (class, boost) in [
            (TermClass::Name, 3.0),
            (TermClass::Strong, 2.0),
            (TermClass::Support, 1.0),
            (TermClass::Generic, 0.3),
        ] {
            let q = TermQuery::new(
                Term::from_field_text(fields.term_field(class), key),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (tok, _, _) in index.tokenizer().tokens(query) {
        if seen.insert(tok.clone()) {
            let q = TermQuery::new(
                Term::from_field_text(fields.text, &tok),
                IndexRecordOption::WithFreqsAndPositions,
            );
            clauses.push((Occur::Should, Box::new(q)));
        }
    }
    if clauses.is_empty() || limit == 0 {
        return Ok(SearchResult {
            query: query.to_string(),
            hits: vec![],
        });
    }
    let q = BooleanQuery::new(clauses);
    let searcher = index.reader.searcher();
    let top = searcher
        .search(&q, &TopDocs::with_limit(limit).order_by_score())
        .map_err(|e| Error::index("search", e))?;
    let mut snippets = SnippetGenerator::create(&searcher, &q, fields.text).map_err(|e| Error::index("snippet", e))?;
    snippets.set_max_num_chars(120);
    let mut hits = Vec::new();
    for (score, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| Error::index("read hit", e))?;
        let Some(ord) = doc.get_first(fields.ord).and_then(|v| v.as_u64()) else {
            continue;
        };
        let Some(ind) = catalog.industries.get(ord as usize) else {
            continue;
        };
        let Some(sector) = catalog.sector(&ind.sector) else {
            continue;
        };
        let snippet = snippets.snippet_from_doc(&doc);
        let mut html = snippet.to_html();
        if html.is_empty() {
            html = ind.summary.chars().take(120).collect();
        }
        hits.push(SearchHit {
            sector_no: sector.no,
            sector_id: sector.id.clone(),
            sector: sector.name.clone(),
            industry_id: ind.id.clone(),
            industry: ind.name.clone(),
            score: (score * 100.0).round() / 100.0,
            snippet: html,
            lead_unit: catalog.lead_unit(ind).to_string(),
            carriers: catalog.carriers(ind).to_vec(),
        });
    }
    Ok(SearchResult {
        query: query.to_string(),
        hits,
    })
}
