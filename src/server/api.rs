//! The API handlers and their errors. Every error is JSON, `{"error": "中文 … English"}`, with a
//! message a person in a browser can act on (no command-line flags); nothing a client sends can
//! crash the server.
//!
//! Uploads are streamed to a file in a temporary directory, parsed once by the rank pipeline, and
//! the ranked file is streamed back; the directory goes when the last user of it does (answer
//! sent, client gone, or time-out), and a request that ends early sets the pipeline's
//! cancellation flag so the work stops within a chunk.

use super::{AppState, MAX_SEARCH_LIMIT};
use crate::batch::{
    self, Filter, Input, InputFormat, Lang, Output, OutputEncoding, OutputFormat, Progress, RankOptions, Summary,
};
use crate::lead::{LeadResult, Profile};
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sectors per result unless the request asks otherwise (as `score --top`).
const DEFAULT_TOP: usize = 3;
/// Most sectors per result.
const MAX_TOP: usize = 50;

/// An error answer: a status and a message.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub(super) fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub(super) fn internal(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("服务器内部错误 internal error while {what}; please try again or report it"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message }).to_string();
        (
            self.status,
            [(
                CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            )],
            body,
        )
            .into_response()
    }
}

/// The body was too big, cut off, or unreadable.
pub(super) fn body_error(status: StatusCode, max_body: usize) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            status,
            format!(
                "文件太大 the upload is larger than this workbench's limit of {}: split the list into smaller files \
                 and upload them one by one (whoever started the workbench can raise the limit)",
                human_bytes(max_body)
            ),
        )
    } else {
        ApiError::new(
            status,
            "无法读取请求内容 could not read the request body: the upload was interrupted or malformed",
        )
    }
}

pub(super) fn human_bytes(n: usize) -> String {
    if n >= 1024 * 1024 && n.is_multiple_of(1024 * 1024) {
        format!("{} MiB", n / (1024 * 1024))
    } else {
        format!("{n} bytes")
    }
}

/// Turns every error answer that is not JSON yet (unknown route, wrong method, a limit) into one.
pub async fn json_errors(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 16 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => body_error(status, state.opts.max_body).message,
        StatusCode::METHOD_NOT_ALLOWED => {
            "请求方法不对 wrong method for this route: GET /api/search, GET /api/catalog, POST /api/score, POST /api/rank"
                .to_string()
        }
        StatusCode::NOT_FOUND => not_found_message(),
        _ if text.is_empty() => format!("请求失败 request failed ({status})"),
        _ => format!("请求失败 request failed ({status}): {text}"),
    };
    let mut out = ApiError::new(status, message).into_response();
    for (k, v) in parts.headers.iter() {
        if k != CONTENT_TYPE && k != axum::http::header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}

/// Stops a request that runs past `--timeout`.
pub async fn time_limit(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let limit = state.opts.timeout;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "处理超时 the work took longer than {} s and was stopped: upload a smaller list (split the file), \
                 then try again",
                limit.as_secs()
            ),
        )
        .into_response(),
    }
}

fn not_found_message() -> String {
    "找不到该地址 no such route: the page is at /, the API is GET /api/search?q=…, POST /api/score, POST /api/rank, \
     GET /api/catalog, GET /healthz"
        .to_string()
}

pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, not_found_message())
}

/// Runs CPU-bound work on a blocking thread.
pub(super) async fn blocking<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| ApiError::internal(what))
}

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    limit: Option<usize>,
}

/// `GET /api/search?q=…&limit=N`: the JSON of `leadmatch search --format json`.
pub async fn search(
    State(state): State<Arc<AppState>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = params.map_err(|e| {
        ApiError::bad(format!(
            "查询参数错误 bad query parameters ({}): use ?q=电竞&limit=10 (limit a whole number)",
            e.body_text()
        ))
    })?;
    let q = p.q.unwrap_or_default();
    if q.trim().is_empty() {
        return Err(ApiError::bad(
            "检索词为空 empty query: give ?q= with a word such as 电竞 or remanufacturing",
        ));
    }
    if q.chars().count() > 1000 {
        return Err(ApiError::bad("检索词太长 query too long: at most 1000 characters"));
    }
    let limit = p.limit.unwrap_or(10).min(MAX_SEARCH_LIMIT);
    let engine = state.engine.clone();
    let result = blocking("searching", move || engine.search(&q, limit)).await?;
    match result {
        Ok(r) => Ok(axum::Json(r).into_response()),
        Err(e) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("检索失败 search failed: {e}"),
        )),
    }
}

/// `GET /api/catalog`: themes, sectors and industries.
pub async fn catalog(State(state): State<Arc<AppState>>) -> Response {
    (
        [(
            CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        )],
        Body::from(state.catalog_json.clone()),
    )
        .into_response()
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

#[derive(Debug, Deserialize)]
pub struct ScoreParams {
    top: Option<usize>,
}

/// `POST /api/score`: a profile in, the result of `leadmatch score --format json` out, plus
/// `marks`: where the evidence stands in the scope as sent (UTF-16 `[start, end)` pairs). The scope
/// is cut at the batch path's limit (flag `truncated`). A few requests are worked on at once; the
/// body is read only when a request's turn comes, so waiting requests hold no body in memory.
pub async fn score(
    State(state): State<Arc<AppState>>,
    params: Result<Query<ScoreParams>, QueryRejection>,
    req: Request,
) -> Result<Response, ApiError> {
    let ct = content_type(req.headers());
    if ct != "application/json" && !ct.ends_with("+json") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "内容类型不对 send the profile as JSON with `Content-Type: application/json` (got {})",
                if ct.is_empty() { "none" } else { &ct }
            ),
        ));
    }
    let ticket = match state.score_slots.enter().await {
        Ok(t) => t,
        Err(busy) => return Ok(busy.into_response()),
    };
    let body = Bytes::from_request(req, &state)
        .await
        .map_err(|e| body_error(e.status(), state.opts.max_body))?;
    let query_top = params.ok().and_then(|Query(p)| p.top);
    let engine = state.engine.clone();
    blocking("scoring", move || {
        let _ticket = ticket;
        score_body(&engine, &body, query_top)
    })
    .await?
}

/// Parses, caps and scores one profile (on a blocking thread: a large body takes a while).
fn score_body(engine: &crate::Engine, body: &[u8], query_top: Option<usize>) -> Result<Response, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad(format!(
            "JSON 格式错误 invalid JSON at line {}, column {}: {e}. Send e.g. {{\"name\": \"…\", \"scope\": \"…\"}}",
            e.line(),
            e.column()
        ))
    })?;
    if !value.is_object() {
        return Err(ApiError::bad(
            "应为 JSON 对象 expected a JSON object such as {\"name\": \"…\", \"scope\": \"…\", \"industry\": \"…\"}",
        ));
    }
    let body_top = match value.get("top") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .ok_or_else(|| ApiError::bad("top 应为正整数 \"top\" must be a whole number such as 3"))?,
        ),
    };
    let top = query_top
        .or(body_top.map(|t| t.min(MAX_TOP as u64) as usize))
        .unwrap_or(DEFAULT_TOP)
        .clamp(1, MAX_TOP);
    let mut profile: Profile = serde_json::from_value(value)
        .map_err(|e| ApiError::bad(format!("企业资料格式错误 the profile does not fit interface.md: {e}")))?;
    if profile.is_empty() {
        return Err(ApiError::bad(
            "缺少企业名称和经营范围 the profile has neither a name nor a scope: give \"name\" and/or \"scope\"",
        ));
    }
    // The same cut as `rank`: a long scope is scored on its first 20,000 characters.
    let truncated = batch::write::truncate_chars(&mut profile.scope, batch::MAX_SCOPE_CHARS)
        | batch::write::truncate_chars(&mut profile.name, batch::MAX_NAME_CHARS);
    let mut result = match LeadResult::score(engine, &profile, top) {
        Ok(r) => r,
        Err(crate::Error::EmptyProfile) => {
            return Err(ApiError::bad(
                "缺少企业名称和经营范围 the profile has neither a name nor a scope: give \"name\" and/or \"scope\"",
            ));
        }
        Err(e) => {
            return Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("评分失败 scoring failed: {e}"),
            ));
        }
    };
    if truncated && !result.flags.iter().any(|f| f == "truncated") {
        result.flags.push("truncated".to_string());
    }
    let evidence: Vec<String> = result
        .matches
        .iter()
        .flat_map(|m| m.evidence.iter().cloned())
        .chain(result.counter_evidence.iter().cloned())
        .collect();
    let marks = super::highlight::marks(&profile.scope, &evidence);
    // Serialised as `score --format json` writes it (f32 fits stay short), `marks` added at the end.
    let mut json = serde_json::to_string(&result).map_err(|_| ApiError::internal("scoring"))?;
    if json.ends_with('}') {
        json.pop();
        json.push_str(",\"marks\":");
        json.push_str(&serde_json::json!(marks).to_string());
        json.push('}');
    }
    Ok(([(CONTENT_TYPE, HeaderValue::from_static("application/json"))], json).into_response())
}

/// `GET /api/limits`: the limits the page states before an upload.
pub async fn limits(State(state): State<Arc<AppState>>) -> Response {
    axum::Json(serde_json::json!({
        "max_body": state.opts.max_body,
        "max_body_text": human_bytes(state.opts.max_body),
        "max_rows": state.opts.max_rows,
        "timeout_s": state.opts.timeout.as_secs(),
        "max_scope_chars": batch::MAX_SCOPE_CHARS,
    }))
    .into_response()
}

#[derive(Debug, Default, Deserialize)]
pub struct RankParams {
    /// Output: csv, jsonl or xlsx (default: the input's, CSV for TSV).
    pub(super) format: Option<String>,
    /// Header language: zh or en.
    pub(super) lang: Option<String>,
    pub(super) top: Option<usize>,
    /// The file name of a raw upload (for its extension and the download's name).
    pub(super) filename: Option<String>,
}

/// One uploaded list, stored in its temporary directory.
pub(super) struct Upload {
    pub(super) filename: Option<String>,
    pub(super) content_type: String,
    /// The directory (removed when the last holder drops it) and the stored file.
    pub(super) dir: Arc<tempfile::TempDir>,
    pub(super) path: PathBuf,
    pub(super) stem: String,
}

/// Sets the cancellation flag when dropped: the request ended (answered, timed out, or the client
/// left), so work still running for it stops at its next chunk.
pub(super) struct CancelOnDrop(pub(super) Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

pub(super) fn output_format(p: &RankParams) -> Result<Option<OutputFormat>, ApiError> {
    match p.format.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("") => Ok(None),
        Some("csv") => Ok(Some(OutputFormat::Csv)),
        Some("jsonl") | Some("ndjson") => Ok(Some(OutputFormat::Jsonl)),
        Some("xlsx") => Ok(Some(OutputFormat::Xlsx)),
        Some(other) => Err(ApiError::bad(format!(
            "未知输出格式 unknown format {other:?}: use csv, jsonl or xlsx"
        ))),
    }
}

pub(super) fn lang(p: &RankParams) -> Result<Lang, ApiError> {
    match p.lang.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("") | Some("zh") => Ok(Lang::Zh),
        Some("en") => Ok(Lang::En),
        Some(other) => Err(ApiError::bad(format!("未知语言 unknown lang {other:?}: use zh or en"))),
    }
}

/// Streams the upload (multipart field `file`, or the raw body) into a file in a new temporary
/// directory; form fields `format` and `lang` fill in `p`.
pub(super) async fn receive(state: &Arc<AppState>, p: &mut RankParams, req: Request) -> Result<Upload, ApiError> {
    let max_body = state.opts.max_body;
    let root = state.opts.temp_root.clone().unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::Builder::new()
        .prefix("leadmatch-serve-")
        .tempdir_in(root)
        .map_err(|_| ApiError::internal("storing the upload"))?;
    let dir = Arc::new(dir);
    let ct = content_type(req.headers());
    let store = |filename: Option<String>, content_type: String| {
        let mut u = Upload {
            filename,
            content_type,
            dir: dir.clone(),
            path: PathBuf::new(),
            stem: String::new(),
        };
        u.stem = download_stem(&u);
        // The stored file keeps the upload's name (messages show it) and a known extension.
        u.path = match input_extension(&u) {
            Some(e) => dir.path().join(format!("{}.{e}", u.stem)),
            None => dir.path().join(&u.stem),
        };
        u
    };
    let mut written = 0usize;
    let upload = if ct == "multipart/form-data" {
        let mut mp = Multipart::from_request(req, state)
            .await
            .map_err(|e| ApiError::bad(format!("表单格式错误 malformed multipart form: {}", e.body_text())))?;
        let mut file = None;
        loop {
            let mut field = match mp.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) => return Err(body_error(e.status(), max_body)),
            };
            let name = field.name().unwrap_or("").to_string();
            let filename = field.file_name().map(str::to_string);
            let fct = field.content_type().unwrap_or("").to_ascii_lowercase();
            if file.is_none() && (name == "file" || filename.is_some()) {
                let u = store(filename, fct);
                let mut out = tokio::fs::File::create(&u.path)
                    .await
                    .map_err(|_| ApiError::internal("storing the upload"))?;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            written += chunk.len();
                            out.write_all(&chunk)
                                .await
                                .map_err(|_| ApiError::internal("storing the upload"))?;
                        }
                        Ok(None) => break,
                        Err(e) => return Err(body_error(e.status(), max_body)),
                    }
                }
                out.flush()
                    .await
                    .map_err(|_| ApiError::internal("storing the upload"))?;
                file = Some(u);
                continue;
            }
            let data = field.bytes().await.map_err(|e| body_error(e.status(), max_body))?;
            if name == "format" || name == "lang" {
                let v = String::from_utf8_lossy(&data).trim().to_string();
                if !v.is_empty() {
                    if name == "format" {
                        p.format.get_or_insert(v);
                    } else {
                        p.lang.get_or_insert(v);
                    }
                }
            }
        }
        file.ok_or_else(|| {
            ApiError::bad("表单中没有文件 the form has no file: choose a list file and upload it again")
        })?
    } else {
        let u = store(p.filename.clone(), ct);
        let mut out = tokio::fs::File::create(&u.path)
            .await
            .map_err(|_| ApiError::internal("storing the upload"))?;
        let mut body = req.into_body().into_data_stream();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|_| body_error(StatusCode::BAD_REQUEST, max_body))?;
            written += chunk.len();
            if written > max_body {
                return Err(body_error(StatusCode::PAYLOAD_TOO_LARGE, max_body));
            }
            out.write_all(&chunk)
                .await
                .map_err(|_| ApiError::internal("storing the upload"))?;
        }
        out.flush()
            .await
            .map_err(|_| ApiError::internal("storing the upload"))?;
        u
    };
    if written == 0 {
        return Err(ApiError::bad(
            "文件为空 the uploaded file is empty: choose a CSV, TSV, JSONL or XLSX list with a header row",
        ));
    }
    Ok(upload)
}

/// Ranks a stored upload on the calling (blocking) thread; stops when `cancel` is set or the list
/// has more than `max_rows` rows (413).
pub(super) fn rank_stored(
    engine: &crate::Engine,
    upload: &Upload,
    output: &Output,
    opts: RankOptions,
    max_rows: u64,
) -> Result<Summary, ApiError> {
    let cancel = opts.cancel.clone().unwrap_or_default();
    let over = AtomicBool::new(false);
    let mut check = |p: &Progress| {
        if p.rows > max_rows || p.total_rows.is_some_and(|t| t > max_rows) {
            over.store(true, Ordering::Relaxed);
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let opts = RankOptions {
        cancel: Some(cancel.clone()),
        ..opts
    };
    let dir_text = format!("{}/", upload.dir.path().display());
    let input = Input::Path(upload.path.clone());
    batch::rank(engine, &input, output, &opts, &mut check).map_err(|e| match e {
        crate::Error::Cancelled if over.load(Ordering::Relaxed) => too_many_rows(max_rows),
        crate::Error::Cancelled => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "已停止 the ranking was stopped before it finished: please upload the list again",
        ),
        crate::Error::Io { .. } => ApiError::internal("ranking"),
        crate::Error::NoUsableColumn { found, .. } => ApiError::bad(format!(
            "找不到企业名称或经营范围列 the list has no column for the company name or the business scope. \
             表头 headers found: {}. 请把列名改为 企业名称 和 经营范围 — rename the columns to 企业名称 (company \
             name) and 经营范围 (business scope) in the file, save it and upload it again",
            if found.is_empty() {
                "(none)".to_string()
            } else {
                found.join(" | ")
            }
        )),
        other => cannot_rank(&other.to_string().replace(&dir_text, "")),
    })
}

fn too_many_rows(max_rows: u64) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "行数太多 the list has more than {max_rows} rows, this workbench's limit: split it into smaller files and \
             upload them one by one"
        ),
    )
}

/// The format a ranking of `input_format` is written in when none is asked for.
pub(super) fn default_output(input_format: Option<InputFormat>) -> OutputFormat {
    match input_format {
        Some(InputFormat::Jsonl) => OutputFormat::Jsonl,
        Some(InputFormat::Sheet) => OutputFormat::Xlsx,
        _ => OutputFormat::Csv,
    }
}

/// The input format the reader will see, from the stored file's extension (`None`: sniffed).
pub(super) fn guessed_input(u: &Upload) -> Option<InputFormat> {
    match input_extension(u) {
        Some("jsonl") => Some(InputFormat::Jsonl),
        Some("xlsx") | Some("xls") | Some("ods") => Some(InputFormat::Sheet),
        Some(_) => Some(InputFormat::Csv),
        None => None,
    }
}

pub(super) fn extension_and_mime(f: OutputFormat) -> (&'static str, &'static str) {
    match f {
        OutputFormat::Csv => ("csv", "text/csv; charset=utf-8"),
        OutputFormat::Jsonl => ("jsonl", "application/x-ndjson; charset=utf-8"),
        OutputFormat::Xlsx => (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    }
}

/// A file as a streamed body, read in 64 KiB pieces; `keep` (e.g. the temporary directory) lives
/// until the body is sent or dropped.
pub(super) async fn stream_file<K: Send + Sync + 'static>(path: &Path, keep: K) -> Result<Body, ApiError> {
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|_| ApiError::internal("reading the ranked list"))?;
    let stream = futures_util::stream::try_unfold((file, keep), |(mut file, keep)| async move {
        let mut buf = vec![0u8; 64 * 1024];
        let n = file.read(&mut buf).await?;
        if n == 0 {
            return Ok::<_, std::io::Error>(None);
        }
        buf.truncate(n);
        Ok(Some((Bytes::from(buf), (file, keep))))
    });
    Ok(Body::from_stream(stream))
}

/// A ranked file as a download: streamed from `path` (`keep` lives until it is sent), named after
/// the upload's `stem`, with the run's summary in the `x-leadmatch-summary` header.
pub(super) async fn ranked_download<K: Send + Sync + 'static>(
    path: &Path,
    keep: K,
    stem: &str,
    (ext, mime): (&str, &'static str),
    summary: &Summary,
    max_rows: u64,
) -> Result<Response, ApiError> {
    let body = stream_file(path, keep).await?;
    let mut res = Response::new(body);
    let h = res.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&content_disposition(stem, ext)) {
        h.insert(CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&ascii_json(&summary_json(summary, max_rows))) {
        h.insert("x-leadmatch-summary", v);
    }
    Ok(res)
}

/// The common start of the upload handlers: the query parsed (`usage` names what it takes), a
/// rank slot taken, the upload received. `Ok(Err(busy))` is the 503 answer when every slot is in
/// use.
pub(super) async fn admit(
    state: &Arc<AppState>,
    params: Result<Query<RankParams>, QueryRejection>,
    req: Request,
    usage: &str,
) -> Result<Result<(RankParams, super::admission::Ticket, Upload), Response>, ApiError> {
    let Query(mut p) = params.map_err(|e| {
        ApiError::bad(format!(
            "查询参数错误 bad query parameters ({}): use {usage}",
            e.body_text()
        ))
    })?;
    let ticket = match state.rank_slots.enter().await {
        Ok(t) => t,
        Err(busy) => return Ok(Err(busy.into_response())),
    };
    let upload = receive(state, &mut p, req).await?;
    Ok(Ok((p, ticket, upload)))
}

/// `POST /api/rank`: a list (multipart field `file`, or the raw body) in, the ranked list out;
/// the summary rides in the `x-leadmatch-summary` header.
pub async fn rank(
    State(state): State<Arc<AppState>>,
    params: Result<Query<RankParams>, QueryRejection>,
    req: Request,
) -> Result<Response, ApiError> {
    let (p, ticket, upload) = match admit(&state, params, req, "?format=csv|jsonl|xlsx&lang=zh|en").await? {
        Ok(admitted) => admitted,
        Err(busy) => return Ok(busy),
    };
    let output_format = output_format(&p)?.unwrap_or(default_output(guessed_input(&upload)));
    let lang = lang(&p)?;
    let top = p.top.unwrap_or(DEFAULT_TOP).clamp(1, MAX_TOP);
    let (out_ext, mime) = extension_and_mime(output_format);
    let out_path = upload.dir.path().join(format!(".ranked.{out_ext}"));
    let cancel = CancelOnDrop(Arc::new(AtomicBool::new(false)));
    let opts = RankOptions {
        top,
        jobs: state.opts.rank_jobs.max(1),
        output_format,
        output_encoding: OutputEncoding::Utf8Bom,
        lang,
        filter: Filter::default(),
        cancel: Some(cancel.0.clone()),
        ..RankOptions::default()
    };
    let engine = state.engine.clone();
    let max_rows = state.opts.max_rows;
    let (upload, summary) = {
        let out = Output::Path(out_path.clone());
        blocking("ranking", move || {
            let _ticket = ticket;
            let s = rank_stored(&engine, &upload, &out, opts, max_rows);
            s.map(|s| (upload, s))
        })
        .await??
    };
    drop(cancel);
    let stem = upload.stem.clone();
    ranked_download(
        &out_path,
        upload.dir.clone(),
        &stem,
        (out_ext, mime),
        &summary,
        max_rows,
    )
    .await
}

/// The input extension from the file name, else from the content type; `None` lets the reader
/// sniff the content.
pub(super) fn input_extension(u: &Upload) -> Option<&'static str> {
    let from_name = u
        .filename
        .as_deref()
        .and_then(|f| Path::new(f).extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let known = match from_name.as_deref() {
        Some("csv") => Some("csv"),
        Some("tsv") | Some("tab") => Some("tsv"),
        Some("txt") => Some("txt"),
        Some("jsonl") | Some("ndjson") | Some("json") => Some("jsonl"),
        Some("xlsx") | Some("xlsm") => Some("xlsx"),
        Some("xls") => Some("xls"),
        Some("ods") => Some("ods"),
        _ => None,
    };
    known.or(match u.content_type.as_str() {
        "text/csv" => Some("csv"),
        "text/tab-separated-values" => Some("tsv"),
        "application/x-ndjson" | "application/jsonl" | "application/json" => Some("jsonl"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Some("xlsx"),
        "application/vnd.ms-excel" => Some("xls"),
        _ => None,
    })
}

/// The download's base name: the upload's stem, safe for a header.
pub(super) fn download_stem(u: &Upload) -> String {
    let stem = u
        .filename
        .as_deref()
        .and_then(|f| Path::new(f).file_stem())
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\\' | '/' | ':' | '*' | '?' | '<' | '>' | '|'))
        .take(80)
        .collect::<String>();
    if stem.trim().is_empty() {
        "companies".to_string()
    } else {
        stem.trim().to_string()
    }
}

pub(super) fn content_disposition(stem: &str, ext: &str) -> String {
    let ascii: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let ascii = if ascii.chars().all(|c| c == '_') {
        "companies".to_string()
    } else {
        ascii
    };
    let mut pct = String::new();
    for b in format!("{stem}-ranked.{ext}").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            pct.push(b as char);
        } else {
            pct.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}-ranked.{ext}\"; filename*=UTF-8''{pct}")
}

/// JSON with every non-ASCII character escaped, so it fits in a header.
pub(super) fn ascii_json(v: &serde_json::Value) -> String {
    let mut out = String::new();
    for c in v.to_string().chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

pub(super) fn summary_json(s: &Summary, max_rows: u64) -> serde_json::Value {
    serde_json::json!({
        "format": s.format.map(|f| f.as_str()),
        "encoding": s.encoding.map(|e| e.as_str()),
        "rows_in": s.rows_in,
        "rows_out": s.rows_out,
        "rejected": s.rejected,
        "target": s.target,
        "possible": s.possible,
        "none": s.none,
        "flags": s.flags,
        "reject_reasons": s.reject_reasons,
        "first_rejects": s.first_rejects,
        "elapsed_ms": s.elapsed.as_millis() as u64,
        "max_rows": max_rows,
    })
}

pub(super) fn cannot_rank(msg: &str) -> ApiError {
    ApiError::bad(format!("无法排名 cannot rank this file: {msg}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_json_escapes_chinese_and_astral_characters() {
        let v = serde_json::json!({"k": "电竞😀"});
        let s = ascii_json(&v);
        assert!(s.is_ascii());
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn content_disposition_keeps_a_chinese_name_and_an_ascii_fallback() {
        let d = content_disposition("企业名单", "csv");
        assert!(d.contains("filename=\"companies-ranked.csv\""));
        assert!(d.contains("filename*=UTF-8''%E4%BC%81"));
        assert!(HeaderValue::from_str(&d).is_ok());
    }
}
