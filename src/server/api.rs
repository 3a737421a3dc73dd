//! The API handlers and their errors. Every error is JSON, `{"error": "中文 … English"}`, with a
//! message a person can act on; nothing a client sends can crash the server.

use super::{AppState, MAX_SEARCH_LIMIT};
use crate::batch::{
    self, Input, InputFormat, Lang, Output, OutputEncoding, OutputFormat, RankOptions, Source, Summary,
};
use crate::lead::{LeadResult, Profile};
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

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

    fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    fn internal(what: &str) -> ApiError {
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
fn body_error(status: StatusCode, max_body: usize) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            status,
            format!(
                "上传内容太大 request body too large: the limit is {} (`leadmatch serve --max-body BYTES` raises it); \
                 split the file",
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

fn human_bytes(n: usize) -> String {
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
                "处理超时 the request took longer than {} s: send a smaller file, or start the server with a larger \
                 --timeout",
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
async fn blocking<T: Send + 'static>(
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

/// `POST /api/score`: a profile in, the result of `leadmatch score --format json` out.
pub async fn score(
    State(state): State<Arc<AppState>>,
    params: Result<Query<ScoreParams>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let ct = content_type(&headers);
    if ct != "application/json" && !ct.ends_with("+json") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "内容类型不对 send the profile as JSON with `Content-Type: application/json` (got {})",
                if ct.is_empty() { "none" } else { &ct }
            ),
        ));
    }
    let body = body.map_err(|e| body_error(e.status(), state.opts.max_body))?;
    let value: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
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
    let top = params
        .ok()
        .and_then(|Query(p)| p.top)
        .or(body_top.map(|t| t as usize))
        .unwrap_or(DEFAULT_TOP)
        .clamp(1, MAX_TOP);
    let profile: Profile = serde_json::from_value(value)
        .map_err(|e| ApiError::bad(format!("企业资料格式错误 the profile does not fit interface.md: {e}")))?;
    if profile.is_empty() {
        return Err(ApiError::bad(
            "缺少企业名称和经营范围 the profile has neither a name nor a scope: give \"name\" and/or \"scope\"",
        ));
    }
    let engine = state.engine.clone();
    let result = blocking("scoring", move || LeadResult::score(&engine, &profile, top)).await?;
    match result {
        Ok(r) => Ok(axum::Json(r).into_response()),
        Err(crate::Error::EmptyProfile) => Err(ApiError::bad(crate::Error::EmptyProfile.to_string())),
        Err(e) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("评分失败 scoring failed: {e}"),
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RankParams {
    /// Output: csv, jsonl or xlsx (default: the input's, CSV for TSV).
    format: Option<String>,
    /// Header language: zh or en.
    lang: Option<String>,
    top: Option<usize>,
    /// The file name of a raw upload (for its extension and the download's name).
    filename: Option<String>,
}

/// One uploaded list.
struct Upload {
    filename: Option<String>,
    content_type: String,
    bytes: Bytes,
}

/// `POST /api/rank`: a list (multipart field `file`, or the raw body) in, the ranked list out;
/// the summary rides in the `x-leadmatch-summary` header.
pub async fn rank(
    State(state): State<Arc<AppState>>,
    params: Result<Query<RankParams>, QueryRejection>,
    req: Request,
) -> Result<Response, ApiError> {
    let Query(mut p) = params.map_err(|e| {
        ApiError::bad(format!(
            "查询参数错误 bad query parameters ({}): use ?format=csv|jsonl|xlsx&lang=zh|en",
            e.body_text()
        ))
    })?;
    let max_body = state.opts.max_body;
    let ct = content_type(req.headers());
    let upload = if ct == "multipart/form-data" {
        let mut mp = Multipart::from_request(req, &state)
            .await
            .map_err(|e| ApiError::bad(format!("表单格式错误 malformed multipart form: {}", e.body_text())))?;
        let mut file = None;
        loop {
            let field = match mp.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) => return Err(body_error(e.status(), max_body)),
            };
            let name = field.name().unwrap_or("").to_string();
            let filename = field.file_name().map(str::to_string);
            let fct = field.content_type().unwrap_or("").to_ascii_lowercase();
            let data = field.bytes().await.map_err(|e| body_error(e.status(), max_body))?;
            match name.as_str() {
                "format" | "lang" => {
                    let v = String::from_utf8_lossy(&data).trim().to_string();
                    if !v.is_empty() {
                        if name == "format" {
                            p.format.get_or_insert(v);
                        } else {
                            p.lang.get_or_insert(v);
                        }
                    }
                }
                _ if file.is_none() && (name == "file" || filename.is_some()) => {
                    file = Some(Upload {
                        filename,
                        content_type: fct,
                        bytes: data,
                    })
                }
                _ => {}
            }
        }
        file.ok_or_else(|| {
            ApiError::bad("表单中没有文件 the form has no file: send the list in a field named \"file\"")
        })?
    } else {
        let bytes = Bytes::from_request(req, &state)
            .await
            .map_err(|e| body_error(e.status(), max_body))?;
        Upload {
            filename: p.filename.clone(),
            content_type: ct,
            bytes,
        }
    };
    if upload.bytes.is_empty() {
        return Err(ApiError::bad(
            "文件为空 the uploaded file is empty: choose a CSV, TSV, JSONL or XLSX list with a header row",
        ));
    }
    let output_format = match p.format.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("") => None,
        Some("csv") => Some(OutputFormat::Csv),
        Some("jsonl") | Some("ndjson") => Some(OutputFormat::Jsonl),
        Some("xlsx") => Some(OutputFormat::Xlsx),
        Some(other) => {
            return Err(ApiError::bad(format!(
                "未知输出格式 unknown format {other:?}: use csv, jsonl or xlsx"
            )));
        }
    };
    let lang = match p.lang.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("") | Some("zh") => Lang::Zh,
        Some("en") => Lang::En,
        Some(other) => return Err(ApiError::bad(format!("未知语言 unknown lang {other:?}: use zh or en"))),
    };
    let top = p.top.unwrap_or(DEFAULT_TOP).clamp(1, MAX_TOP);
    let permit = state
        .rank_slots
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::internal("waiting to rank"))?;
    let job = RankJob {
        dir: upload_dir(&state),
        upload,
        output_format,
        lang,
        top,
        jobs: state.opts.rank_jobs.max(1),
        max_rows: state.opts.max_rows,
    };
    let engine = state.engine.clone();
    blocking("ranking", move || {
        let _permit = permit;
        job.run(&engine)
    })
    .await?
}

fn upload_dir(state: &AppState) -> PathBuf {
    let n = state.uploads.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("leadmatch-serve-{}-{n}", std::process::id()))
}

/// Removes an upload's directory when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct RankJob {
    dir: PathBuf,
    upload: Upload,
    output_format: Option<OutputFormat>,
    lang: Lang,
    top: usize,
    jobs: usize,
    max_rows: u64,
}

/// The input extension from the file name, else from the content type; `None` lets the reader
/// sniff the content.
fn input_extension(u: &Upload) -> Option<&'static str> {
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
fn download_stem(u: &Upload) -> String {
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

fn content_disposition(stem: &str, ext: &str) -> String {
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
fn ascii_json(v: &serde_json::Value) -> String {
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

fn summary_json(s: &Summary, max_rows: u64) -> serde_json::Value {
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

impl RankJob {
    fn run(self, engine: &crate::Engine) -> Result<Response, ApiError> {
        std::fs::create_dir_all(&self.dir).map_err(|_| ApiError::internal("storing the upload"))?;
        let _cleanup = TempDir(self.dir.clone());
        // The stored file keeps the upload's name, and messages leave out the temporary directory.
        let stem = download_stem(&self.upload);
        let dir_text = self.dir.display().to_string();
        let tidy = |e: crate::Error| -> String { e.to_string().replace(&format!("{dir_text}/"), "") };
        let input_path = match input_extension(&self.upload) {
            Some(e) => self.dir.join(format!("{stem}.{e}")),
            None => self.dir.join(&stem),
        };
        std::fs::write(&input_path, &self.upload.bytes).map_err(|_| ApiError::internal("storing the upload"))?;
        let input = Input::Path(input_path);

        // Count the rows first, so an oversized list is refused before any scoring.
        let mut source = Source::open(&input, None, None).map_err(|e| cannot_rank(&tidy(e)))?;
        let input_format = source.format;
        let rows = match source.total_rows {
            Some(n) => n,
            None => {
                let mut n = 0u64;
                while source.next_record().map_err(|e| cannot_rank(&tidy(e)))?.is_some() {
                    n += 1;
                    if n > self.max_rows {
                        break;
                    }
                }
                n
            }
        };
        drop(source);
        if rows > self.max_rows {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "行数太多 the list has more than {} rows: split it, or start the server with a larger --max-rows \
                     (or use `leadmatch rank` on the command line)",
                    self.max_rows
                ),
            ));
        }

        let output_format = self.output_format.unwrap_or(match input_format {
            InputFormat::Jsonl => OutputFormat::Jsonl,
            InputFormat::Sheet => OutputFormat::Xlsx,
            InputFormat::Csv | InputFormat::Tsv => OutputFormat::Csv,
        });
        let (out_ext, mime) = match output_format {
            OutputFormat::Csv => ("csv", "text/csv; charset=utf-8"),
            OutputFormat::Jsonl => ("jsonl", "application/x-ndjson; charset=utf-8"),
            OutputFormat::Xlsx => (
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        };
        let out_path = self.dir.join(format!(".ranked.{out_ext}"));
        let output = Output::Path(out_path.clone());
        let opts = RankOptions {
            top: self.top,
            jobs: self.jobs,
            output_format,
            output_encoding: OutputEncoding::Utf8Bom,
            lang: self.lang,
            ..RankOptions::default()
        };
        let summary = batch::rank(engine, &input, &output, &opts, &mut |_| {}).map_err(|e| match e {
            crate::Error::Io { .. } => ApiError::internal("ranking"),
            other => cannot_rank(&tidy(other)),
        })?;
        let bytes = std::fs::read(&out_path).map_err(|_| ApiError::internal("reading the ranked list"))?;
        let mut res = Response::new(Body::from(bytes));
        let h = res.headers_mut();
        h.insert(CONTENT_TYPE, HeaderValue::from_static(mime));
        if let Ok(v) = HeaderValue::from_str(&content_disposition(&stem, out_ext)) {
            h.insert(CONTENT_DISPOSITION, v);
        }
        if let Ok(v) = HeaderValue::from_str(&ascii_json(&summary_json(&summary, self.max_rows))) {
            h.insert("x-leadmatch-summary", v);
        }
        Ok(res)
    }
}

fn cannot_rank(msg: &str) -> ApiError {
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
