//! Ranked lists kept for the page (issue 17): an upload is ranked once into JSONL results and the
//! routing report, kept in its temporary directory under a random id for [`ServeOptions::list_ttl`]
//! (at most [`MAX_LISTS`] at once), and served from there:
//!
//! - `POST /api/lists` — upload (as `POST /api/rank`); answers the id, the summary and the facets
//!   (sectors, lead units, tiers, verdicts with counts) for the page's filters;
//! - `GET /api/lists/{id}/rows?offset=&limit=&sector=&tier=&verdict=&lead_unit=` — a page of
//!   results in priority order (the report's order: priority, then fit, then row), filtered;
//! - `GET /api/lists/{id}/download?format=csv|xlsx|jsonl&lang=` with the same filters — exactly the
//!   filtered rows, as `leadmatch rank --sector … --min-tier … --verdict … --lead-unit …` writes them
//!   (the list is ranked again with that filter, so the file is the CLI's own output);
//! - `GET /api/lists/{id}/report` — the routing report (`rank --report`); `?download=1` as a file.
//!
//! The filter is [`batch::Filter`]: sector and lead unit of the best match, `tier` as the lowest
//! tier kept (`B` keeps A and B), `verdict` exact.
//!
//! [`ServeOptions::list_ttl`]: super::ServeOptions::list_ttl
//! [`MAX_LISTS`]: super::MAX_LISTS

use super::AppState;
use super::api::{self, ApiError, CancelOnDrop, RankParams, Upload, blocking, content_disposition, summary_json};
use crate::Verdict;
use crate::batch::{Filter, Output, OutputEncoding, OutputFormat, RankOptions};
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::{BufRead, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Rows one page may ask for.
const MAX_PAGE: usize = 500;
/// The report may style itself inline (it is one self-contained file); nothing else.
const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

/// The lists on the server.
pub struct Lists {
    ttl: Duration,
    max: usize,
    kept: Mutex<Vec<Arc<RankedList>>>,
    /// Numbers the download files inside a list's directory.
    downloads: AtomicU64,
}

/// One ranked upload.
pub struct RankedList {
    id: String,
    created: Instant,
    upload: Upload,
    top: usize,
    /// Results, one JSON object per line, in input order.
    results: PathBuf,
    report: PathBuf,
    /// Every ranked row, best first.
    entries: Vec<Entry>,
    summary: serde_json::Value,
    facets: serde_json::Value,
}

/// What filtering and ordering need of a result, and where its line is.
#[derive(Debug, Clone)]
struct Entry {
    offset: u64,
    len: u32,
    row: u64,
    score: u8,
    tier: char,
    fit: f32,
    verdict: Verdict,
    sector_no: u32,
    sector_id: Option<String>,
    lead_unit: Option<String>,
}

/// The part of a result line the index reads.
#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    row: u64,
    verdict: Verdict,
    fit: f32,
    #[serde(default)]
    priority: Option<LinePriority>,
    #[serde(default)]
    matches: Vec<LineMatch>,
}

#[derive(Deserialize)]
struct LinePriority {
    score: u8,
    tier: String,
}

#[derive(Deserialize)]
struct LineMatch {
    sector_no: u32,
    sector_id: String,
    lead_unit: String,
}

impl Lists {
    pub fn new(ttl: Duration, max: usize) -> Lists {
        Lists {
            ttl,
            max: max.max(1),
            kept: Mutex::new(Vec::new()),
            downloads: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Arc<RankedList>>> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Drops lists past their time (their directories go when no download still reads them).
    pub fn sweep(&self) {
        let ttl = self.ttl;
        self.lock().retain(|l| l.created.elapsed() < ttl);
    }

    fn insert(&self, list: Arc<RankedList>) {
        self.sweep();
        let mut kept = self.lock();
        while kept.len() >= self.max {
            kept.remove(0);
        }
        kept.push(list);
    }

    fn get(&self, id: &str) -> Result<Arc<RankedList>, ApiError> {
        self.sweep();
        self.lock().iter().find(|l| l.id == id).cloned().ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                format!(
                    "排名结果已过期 this ranked list is no longer on the server (lists are kept for {} minutes): \
                     upload the file again",
                    self.ttl.as_secs() / 60
                ),
            )
        })
    }
}

/// A random id for a list: 128 bits, hex.
fn new_id() -> Result<String, ApiError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|_| ApiError::internal("naming the list"))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// The filters and paging of a rows or download request.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    offset: Option<usize>,
    limit: Option<usize>,
    sector: Option<String>,
    tier: Option<String>,
    verdict: Option<String>,
    lead_unit: Option<String>,
    format: Option<String>,
    lang: Option<String>,
    download: Option<String>,
}

fn present(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl ListQuery {
    fn filter(&self) -> Result<Filter, ApiError> {
        let mut f = Filter::default();
        if let Some(t) = present(&self.tier) {
            let c = t.to_ascii_uppercase();
            if !matches!(c.as_str(), "A" | "B" | "C" | "D") {
                return Err(ApiError::bad(format!("等级应为 A–D tier {t:?} must be A, B, C or D")));
            }
            f.min_tier = c.chars().next();
        }
        if let Some(v) = present(&self.verdict) {
            let verdict: Verdict = serde_json::from_value(serde_json::Value::String(v.to_ascii_lowercase()))
                .map_err(|_| ApiError::bad(format!("判定应为 target/possible/none verdict {v:?} is unknown")))?;
            f.verdicts.push(verdict);
        }
        if let Some(s) = present(&self.sector) {
            f.sectors.push(s);
        }
        if let Some(u) = present(&self.lead_unit) {
            f.lead_units.push(u);
        }
        Ok(f)
    }
}

/// [`Filter::keeps`] on an index entry.
fn keeps(f: &Filter, e: &Entry) -> bool {
    if f.min_tier.is_some_and(|min| e.tier > min) {
        return false;
    }
    if !f.verdicts.is_empty() && !f.verdicts.contains(&e.verdict) {
        return false;
    }
    if !f.sectors.is_empty()
        && !e.sector_id.as_ref().is_some_and(|id| {
            f.sectors
                .iter()
                .any(|s| s == id || s.parse::<u32>().ok() == Some(e.sector_no))
        })
    {
        return false;
    }
    if !f.lead_units.is_empty() && !e.lead_unit.as_ref().is_some_and(|u| f.lead_units.contains(u)) {
        return false;
    }
    true
}

/// Reads the results file into the index, best first, and counts the facets.
fn index(engine: &crate::Engine, results: &std::path::Path) -> std::io::Result<(Vec<Entry>, serde_json::Value)> {
    let mut r = std::io::BufReader::new(std::fs::File::open(results)?);
    let mut entries = Vec::new();
    let mut line = Vec::new();
    let mut offset = 0u64;
    loop {
        line.clear();
        let n = r.read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        if let Ok(l) = serde_json::from_slice::<Line>(&line) {
            let best = l.matches.first();
            let (score, tier) = l
                .priority
                .map(|p| (p.score, p.tier.chars().next().unwrap_or('D')))
                .unwrap_or((0, 'D'));
            entries.push(Entry {
                offset,
                len: u32::try_from(line.len()).unwrap_or(u32::MAX),
                row: l.row,
                score,
                tier,
                fit: l.fit,
                verdict: l.verdict,
                sector_no: best.map_or(0, |m| m.sector_no),
                sector_id: best.map(|m| m.sector_id.clone()),
                lead_unit: best.map(|m| m.lead_unit.clone()),
            });
        }
        offset += n as u64;
    }
    entries.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.fit.total_cmp(&a.fit))
            .then(a.row.cmp(&b.row))
    });
    let mut sectors: BTreeMap<u32, u64> = BTreeMap::new();
    let mut units: BTreeMap<String, u64> = BTreeMap::new();
    let mut tiers: BTreeMap<String, u64> = BTreeMap::new();
    let mut verdicts: BTreeMap<&'static str, u64> = BTreeMap::new();
    for e in &entries {
        if e.sector_id.is_some() {
            *sectors.entry(e.sector_no).or_default() += 1;
        }
        if let Some(u) = &e.lead_unit {
            *units.entry(u.clone()).or_default() += 1;
        }
        *tiers.entry(e.tier.to_string()).or_default() += 1;
        *verdicts.entry(e.verdict.as_str()).or_default() += 1;
    }
    let sectors: Vec<serde_json::Value> = engine
        .catalog
        .sectors
        .iter()
        .filter_map(|s| {
            sectors
                .get(&s.no)
                .map(|n| serde_json::json!({"no": s.no, "id": s.id, "name": s.name, "name_en": s.name_en, "count": n}))
        })
        .collect();
    let mut units: Vec<(String, u64)> = units.into_iter().collect();
    units.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let units: Vec<serde_json::Value> = units
        .into_iter()
        .map(|(u, n)| serde_json::json!({"name": u, "count": n}))
        .collect();
    let facets = serde_json::json!({
        "sectors": sectors,
        "lead_units": units,
        "tiers": tiers,
        "verdicts": verdicts,
    });
    Ok((entries, facets))
}

/// `POST /api/lists`: ranks an upload once and keeps it for the page.
pub async fn create(
    State(state): State<Arc<AppState>>,
    params: Result<Query<RankParams>, QueryRejection>,
    req: Request,
) -> Result<Response, ApiError> {
    let (p, ticket, upload) = match api::admit(&state, params, req, "?lang=zh|en").await? {
        Ok(admitted) => admitted,
        Err(busy) => return Ok(busy),
    };
    let lang = api::lang(&p)?;
    let top = p.top.unwrap_or(3).clamp(1, 50);
    let results = upload.dir.path().join(".results.jsonl");
    let report = upload.dir.path().join(".report.html");
    let cancel = CancelOnDrop(Arc::new(AtomicBool::new(false)));
    let opts = RankOptions {
        top,
        jobs: state.opts.rank_jobs.max(1),
        output_format: OutputFormat::Jsonl,
        output_encoding: OutputEncoding::Utf8Bom,
        lang,
        report: Some(report.clone()),
        cancel: Some(cancel.0.clone()),
        ..RankOptions::default()
    };
    let engine = state.engine.clone();
    let max_rows = state.opts.max_rows;
    let id = new_id()?;
    let list = blocking("ranking", move || -> Result<RankedList, ApiError> {
        let _ticket = ticket;
        let summary = api::rank_stored(&engine, &upload, &Output::Path(results.clone()), opts, max_rows)?;
        let (entries, facets) = index(&engine, &results).map_err(|_| ApiError::internal("indexing the ranked list"))?;
        Ok(RankedList {
            id,
            created: Instant::now(),
            upload,
            top,
            results,
            report,
            entries,
            summary: summary_json(&summary, max_rows),
            facets,
        })
    })
    .await??;
    drop(cancel);
    let answer = serde_json::json!({
        "id": list.id,
        "name": list.upload.stem,
        "total": list.entries.len(),
        "summary": list.summary,
        "facets": list.facets,
        "expires_in_s": state.opts.list_ttl.as_secs(),
    });
    state.lists.insert(Arc::new(list));
    Ok(axum::Json(answer).into_response())
}

/// The list a `/api/lists/{id}/…` request names, with its query and filter.
fn list_query(
    state: &AppState,
    id: &str,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<(Arc<RankedList>, ListQuery, Filter), ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad(format!("查询参数错误 bad query parameters ({})", e.body_text())))?;
    let list = state.lists.get(id)?;
    let filter = q.filter()?;
    Ok((list, q, filter))
}

/// `GET /api/lists/{id}/rows`: one page of the filtered list, best first.
pub async fn rows(
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (list, q, filter) = list_query(&state, &id, q)?;
    let offset = q.offset.unwrap_or(0);
    let limit = q.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    let body = blocking("reading the ranked list", move || -> std::io::Result<String> {
        let picked: Vec<&Entry> = list.entries.iter().filter(|e| keeps(&filter, e)).collect();
        let mut file = std::fs::File::open(&list.results)?;
        let mut out = format!("{{\"total\":{},\"offset\":{offset},\"rows\":[", picked.len());
        for (i, e) in picked.iter().skip(offset).take(limit).enumerate() {
            file.seek(SeekFrom::Start(e.offset))?;
            let mut buf = vec![0u8; e.len as usize];
            file.read_exact(&mut buf)?;
            if i > 0 {
                out.push(',');
            }
            out.push_str(String::from_utf8_lossy(&buf).trim_end());
        }
        out.push_str("]}");
        Ok(out)
    })
    .await?
    .map_err(|_| ApiError::internal("reading the ranked list"))?;
    Ok((
        [(
            CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        )],
        body,
    )
        .into_response())
}

/// Removes a download's file when the answer is done with it.
struct RemoveFile(PathBuf);

impl Drop for RemoveFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `GET /api/lists/{id}/download`: exactly the filtered rows, as the CLI writes them.
pub async fn download(
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let (list, q, filter) = list_query(&state, &id, q)?;
    let p = RankParams {
        format: q.format.clone(),
        lang: q.lang.clone(),
        ..RankParams::default()
    };
    let format = api::output_format(&p)?.unwrap_or(OutputFormat::Xlsx);
    let lang = api::lang(&p)?;
    let (ext, mime) = api::extension_and_mime(format);
    let n = state.lists.downloads.fetch_add(1, Ordering::Relaxed);
    let path = list.upload.dir.path().join(format!(".download-{n}.{ext}"));
    let ticket = match state.rank_slots.enter().await {
        Ok(t) => t,
        Err(busy) => return Ok(busy.into_response()),
    };
    let cancel = CancelOnDrop(Arc::new(AtomicBool::new(false)));
    let opts = RankOptions {
        top: list.top,
        jobs: state.opts.rank_jobs.max(1),
        output_format: format,
        output_encoding: OutputEncoding::Utf8Bom,
        lang,
        filter,
        cancel: Some(cancel.0.clone()),
        ..RankOptions::default()
    };
    let engine = state.engine.clone();
    let max_rows = state.opts.max_rows;
    let (list, summary) = {
        let out = Output::Path(path.clone());
        blocking("ranking", move || {
            let _ticket = ticket;
            let s = api::rank_stored(&engine, &list.upload, &out, opts, max_rows);
            s.map(|s| (list, s))
        })
        .await??
    };
    drop(cancel);
    let stem = list.upload.stem.clone();
    let keep = (list, RemoveFile(path.clone()));
    api::ranked_download(&path, keep, &stem, (ext, mime), &summary, max_rows).await
}

/// `GET /api/lists/{id}/report`: the routing report, shown (or `?download=1` saved).
pub async fn report(
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let list = state.lists.get(&id)?;
    let path = list.report.clone();
    let stem = list.upload.stem.clone();
    let body: Body = api::stream_file(&path, list).await?;
    let mut res = Response::new(body);
    let h = res.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(REPORT_CSP));
    if present(&q.download).is_some() {
        let d = content_disposition(&stem, "html").replace("-ranked.html", "-report.html");
        if let Ok(v) = HeaderValue::from_str(&d) {
            h.insert(CONTENT_DISPOSITION, v);
        }
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(tier: char, verdict: Verdict, sector: Option<(u32, &str)>, unit: Option<&str>) -> Entry {
        Entry {
            offset: 0,
            len: 0,
            row: 1,
            score: 50,
            tier,
            fit: 0.5,
            verdict,
            sector_no: sector.map_or(0, |s| s.0),
            sector_id: sector.map(|s| s.1.to_string()),
            lead_unit: unit.map(str::to_string),
        }
    }

    #[test]
    fn the_filter_keeps_what_the_cli_filter_keeps() {
        let e = entry('B', Verdict::Target, Some((6, "pan-entertainment")), Some("市委宣传部"));
        let q = |t: &str, v: &str, s: &str, u: &str| ListQuery {
            tier: Some(t.into()),
            verdict: Some(v.into()),
            sector: Some(s.into()),
            lead_unit: Some(u.into()),
            ..ListQuery::default()
        };
        assert!(keeps(&q("", "", "", "").filter().unwrap(), &e));
        assert!(keeps(&q("B", "target", "6", "市委宣传部").filter().unwrap(), &e));
        assert!(keeps(&q("c", "", "pan-entertainment", "").filter().unwrap(), &e));
        assert!(!keeps(&q("A", "", "", "").filter().unwrap(), &e));
        assert!(!keeps(&q("", "none", "", "").filter().unwrap(), &e));
        assert!(!keeps(&q("", "", "new-commerce", "").filter().unwrap(), &e));
        assert!(!keeps(&q("", "", "", "市商务局").filter().unwrap(), &e));
        let unmatched = entry('D', Verdict::None, None, None);
        assert!(!keeps(&q("", "", "", "市商务局").filter().unwrap(), &unmatched));
        assert!(q("E", "", "", "").filter().is_err());
        assert!(q("", "maybe", "", "").filter().is_err());
    }
}
