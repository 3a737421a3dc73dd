//! `leadmatch serve` (issues 6, 15, 17): every route of interface.md ("HTTP") over real HTTP, in
//! process on 127.0.0.1:0 (one test runs the real binary), against the built-in catalogue — the
//! answers, the JSON errors (bad JSON, wrong content type, oversized body, missing token, too many
//! rows), concurrent requests, which must agree with the CLI; the hardening of issue 15 (scope cap,
//! bounded queue, cancellation, same-site checks, header timeout, streamed and cleaned-up uploads,
//! early 413); and the ranked-list API of the page (issue 17). Every loop is bounded; every test
//! stops by itself.

mod common;

use leadmatch::server::{self, AppState, ServeOptions};
use leadmatch::{Catalog, Engine};
use std::net::SocketAddr;
use std::process::Command;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

const ESPORTS_NAME: &str = "温州某电竞科技有限公司";
const ESPORTS_SCOPE: &str = "电子竞技赛事组织策划；网络游戏开发；电竞场馆运营";

/// One engine over the built-in catalogue, shared by every test server.
fn engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let catalog = Arc::new(Catalog::builtin().expect("built-in catalogue"));
            Arc::new(Engine::with_catalog(catalog, None).expect("engine"))
        })
        .clone()
}

/// A server on a free loopback port, stopped (gracefully) when dropped.
struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Server {
    async fn start(opts: ServeOptions) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = AppState::shared(engine(), opts).expect("state");
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server::serve_on(listener, state, async {
            let _ = rx.await;
        }));
        Server {
            addr,
            stop: Some(tx),
            task: Some(task),
        }
    }

    async fn default() -> Server {
        Server::start(ServeOptions::default()).await
    }

    async fn get(&self, path: &str) -> Reply {
        request(self.addr, "GET", path, &[], b"").await
    }

    async fn post(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        request(self.addr, "POST", path, headers, body).await
    }

    async fn score_json(&self, body: &str) -> Reply {
        self.post("/api/score", &[("Content-Type", "application/json")], body.as_bytes())
            .await
    }

    /// Stops the server and waits for it to finish.
    async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let task = self.task.take().expect("task");
        tokio::time::timeout(Duration::from_secs(10), task)
            .await
            .expect("server stops within 10 s")
            .expect("server task")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// An HTTP answer.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// Asserts a JSON error with this status and returns its message.
    fn error(&self, status: u16) -> String {
        assert_eq!(self.status, status, "status; body: {}", self.text());
        assert!(
            self.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "JSON error body, got {:?}",
            self.header("content-type")
        );
        let msg = self.json()["error"]
            .as_str()
            .unwrap_or_else(|| panic!("an \"error\" string: {}", self.text()))
            .to_string();
        assert!(
            msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) && msg.chars().any(|c| c.is_ascii_alphabetic()),
            "Chinese and English in the message: {msg}"
        );
        msg
    }
}

/// A minimal HTTP/1.1 client: one request per connection.
async fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await.expect("write head");
    // The server may answer (413) before reading the whole body.
    let _ = s.write_all(body).await;
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw).await;
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(nl) = rest.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..nl]).trim(), 16).unwrap_or(0);
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + size]);
            rest = &rest[nl + 2 + size + 2..];
        }
        body = out;
    }
    Reply { status, headers, body }
}

/// Runs the CLI in an empty directory (built-in catalogue, in-memory index) and parses its JSON.
fn cli_json(args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_leadmatch"))
        .args(args)
        .current_dir(dir.path())
        .output()
        .expect("run leadmatch");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("CLI JSON")
}

/// A score answer without the API's own `marks` (where the evidence stands in the scope), for
/// comparing with `leadmatch score --format json`.
fn without_marks(mut v: serde_json::Value) -> serde_json::Value {
    let marks = v.as_object_mut().and_then(|o| o.remove("marks"));
    assert!(marks.is_some_and(|m| m.is_array()), "the API answers marks");
    v
}

/// `leadmatch score --format json` of the e-sports profile the API tests send.
fn cli_esports_score() -> serde_json::Value {
    cli_json(&[
        "score",
        "--name",
        ESPORTS_NAME,
        "--scope",
        ESPORTS_SCOPE,
        "--format",
        "json",
    ])
}

fn multipart(filename: &str, content: &[u8], extra: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "----leadmatch-test-boundary-7f3a";
    let mut body = Vec::new();
    for (k, v) in extra {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "CSV with a BOM");
    common::csv_rows(bytes)
}

const LIST_CSV: &str = "企业名称,经营范围\n温州某电竞科技有限公司,电子竞技赛事组织策划；电竞场馆运营\n某房地产开发有限公司,房地产开发经营；物业管理\n温州跨境电商有限公司,跨境电子商务平台运营\n";

#[tokio::test]
async fn healthz_page_and_assets_are_served() {
    let s = Server::default().await;
    let r = s.get("/healthz").await;
    assert_eq!((r.status, r.text().as_str()), (200, "ok"));

    let page = s.get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").is_some_and(|c| c.starts_with("text/html")));
    let html = page.text();
    for needle in [
        "检索目录",
        "Search catalogue",
        "for=\"q\"",
        "for=\"f-file\"",
        "/app.js",
        "/app.css",
    ] {
        assert!(html.contains(needle), "page has {needle}");
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external resources"
    );
    assert!(
        page.header("content-security-policy")
            .is_some_and(|c| c.contains("default-src 'self'"))
    );
    let js = s.get("/app.js").await;
    assert_eq!(js.status, 200);
    assert!(
        js.header("content-type")
            .is_some_and(|c| c.starts_with("text/javascript"))
    );
    assert!(js.text().contains("/api/search"));
    let css = s.get("/app.css").await;
    assert!(css.status == 200 && css.header("content-type").is_some_and(|c| c.starts_with("text/css")));
}

#[tokio::test]
async fn search_answers_what_the_cli_answers() {
    let s = Server::default().await;
    let r = s.get("/api/search?q=%E7%94%B5%E7%AB%9E&limit=3").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let api = r.json();
    assert_eq!(api["hits"][0]["industry_id"], "esports");
    let cli = cli_json(&["search", "电竞", "--limit", "3", "--format", "json"]);
    assert_eq!(api, cli);

    s.get("/api/search?q=").await.error(400);
    s.get("/api/search").await.error(400);
    s.get("/api/search?q=x&limit=many").await.error(400);
    // An absurd limit is capped, not an error.
    assert_eq!(s.get("/api/search?q=%E7%94%B5%E7%AB%9E&limit=99999").await.status, 200);
}

#[tokio::test]
async fn score_answers_what_the_cli_answers() {
    let s = Server::default().await;
    let body = serde_json::json!({"name": ESPORTS_NAME, "scope": ESPORTS_SCOPE}).to_string();
    let r = s.score_json(&body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let api = r.json();
    assert_eq!(api["verdict"], "target");
    assert_eq!(api["matches"][0]["industry_id"], "esports");
    let cli = cli_esports_score();
    assert_eq!(without_marks(api), cli);

    // `top` from the query or the body, as `--top`.
    let one = s
        .post(
            "/api/score?top=1",
            &[("Content-Type", "application/json; charset=utf-8")],
            body.as_bytes(),
        )
        .await;
    assert_eq!(one.json()["matches"].as_array().map(Vec::len), Some(1));
    let industry = s
        .score_json(r#"{"name": "某软件公司", "scope": "软件开发", "industry": "I6513", "top": 2}"#)
        .await;
    assert_eq!(industry.status, 200, "{}", industry.text());
}

#[tokio::test]
async fn score_rejects_bad_requests_with_json_errors() {
    let s = Server::default().await;
    let msg = s.score_json("{\"name\": ").await.error(400);
    assert!(msg.contains("JSON"), "{msg}");
    s.score_json("[1, 2]").await.error(400);
    s.score_json("\"text\"").await.error(400);
    s.score_json(r#"{"name": "", "scope": "  "}"#).await.error(400);
    s.score_json("{}").await.error(400);
    s.score_json(r#"{"name": "x", "top": "three"}"#).await.error(400);
    s.score_json("\u{feff}garbage\u{0}").await.error(400);
    let ct = s
        .post("/api/score", &[("Content-Type", "text/plain")], b"{\"name\": \"x\"}")
        .await
        .error(415);
    assert!(ct.contains("application/json"), "{ct}");
    s.post("/api/score", &[], b"{\"name\": \"x\"}").await.error(415);
}

#[tokio::test]
async fn unknown_routes_and_methods_get_json_errors() {
    let s = Server::default().await;
    s.get("/nope").await.error(404);
    s.get("/api/nope").await.error(404);
    s.get("/api/score").await.error(405);
    s.post("/healthz", &[], b"").await.error(405);
}

#[tokio::test]
async fn catalog_lists_themes_sectors_and_industries() {
    let s = Server::default().await;
    let r = s.get("/api/catalog").await;
    assert_eq!(r.status, 200);
    let c = r.json();
    let catalog = Catalog::builtin().expect("catalogue");
    assert_eq!(c["themes"].as_array().map(Vec::len), Some(catalog.themes.len()));
    assert_eq!(c["sectors"].as_array().map(Vec::len), Some(catalog.sectors.len()));
    assert_eq!(c["industries"].as_array().map(Vec::len), Some(catalog.industries.len()));
    assert!(
        c["industries"]
            .as_array()
            .is_some_and(|a| a.iter().any(|i| i["id"] == "esports"))
    );
}

#[tokio::test]
async fn rank_returns_the_ranked_csv_and_a_summary() {
    let s = Server::default().await;
    let (ct, body) = multipart("企业名单.csv", LIST_CSV.as_bytes(), &[]);
    let r = s.post("/api/rank", &[("Content-Type", &ct)], &body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.header("content-type").is_some_and(|c| c.starts_with("text/csv")));
    let cd = r.header("content-disposition").expect("a download");
    assert!(cd.contains("attachment") && cd.contains("-ranked.csv"), "{cd}");
    let (header, rows) = csv_rows(&r.body);
    assert_eq!(&header[..2], ["企业名称", "经营范围"]);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], ESPORTS_NAME);
    let verdict = header.iter().position(|h| h == "判定").expect("a verdict column");
    assert_eq!(rows[0][verdict], "重点目标");
    let summary: serde_json::Value =
        serde_json::from_str(r.header("x-leadmatch-summary").expect("summary header")).expect("summary JSON");
    assert_eq!(summary["rows_in"], 3);
    assert_eq!(summary["rows_out"], 3);
    assert!(summary["target"].as_u64().unwrap_or(0) >= 1, "{summary}");

    // English headers, XLSX out.
    let (ct, body) = multipart("list.csv", LIST_CSV.as_bytes(), &[("format", "xlsx"), ("lang", "en")]);
    let x = s.post("/api/rank", &[("Content-Type", &ct)], &body).await;
    assert_eq!(x.status, 200, "{}", x.text());
    assert!(x.body.starts_with(b"PK"), "an XLSX (zip) file");
    assert!(
        x.header("content-disposition")
            .is_some_and(|c| c.contains("list-ranked.xlsx"))
    );
}

#[tokio::test]
async fn rank_takes_a_raw_body_and_keeps_jsonl_as_jsonl() {
    let s = Server::default().await;
    let jsonl = format!(
        "{}\n{}\n",
        serde_json::json!({"name": ESPORTS_NAME, "scope": ESPORTS_SCOPE}),
        serde_json::json!({"name": "某房地产开发有限公司", "scope": "房地产开发经营"})
    );
    let r = s
        .post(
            "/api/rank?filename=list.jsonl",
            &[("Content-Type", "application/octet-stream")],
            jsonl.as_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let lines: Vec<serde_json::Value> = r
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["verdict"], "target");
    assert_eq!(lines[1]["row"], 2);

    // TSV by content type, CSV out on request.
    let tsv = "name\tscope\n温州某电竞科技有限公司\t电子竞技赛事\n";
    let t = s
        .post(
            "/api/rank?format=csv",
            &[("Content-Type", "text/tab-separated-values")],
            tsv.as_bytes(),
        )
        .await;
    assert_eq!(t.status, 200, "{}", t.text());
    assert_eq!(csv_rows(&t.body).1.len(), 1);
}

#[tokio::test]
async fn rank_rejects_bad_uploads_with_json_errors() {
    let s = Server::default().await;
    s.post("/api/rank", &[("Content-Type", "text/csv")], b"")
        .await
        .error(400);
    let msg = s
        .post("/api/rank", &[("Content-Type", "text/csv")], b"foo,bar\n1,2\n")
        .await
        .error(400);
    assert!(
        msg.contains("foo") && !msg.contains("leadmatch-serve-"),
        "names the headers, not the temp dir: {msg}"
    );
    s.post(
        "/api/rank?format=pdf",
        &[("Content-Type", "text/csv")],
        LIST_CSV.as_bytes(),
    )
    .await
    .error(400);
    s.post(
        "/api/rank?lang=fr",
        &[("Content-Type", "text/csv")],
        LIST_CSV.as_bytes(),
    )
    .await
    .error(400);
    let (ct, _) = multipart("x.csv", b"", &[]);
    let no_file = format!("--{}--\r\n", ct.split("boundary=").nth(1).unwrap_or(""));
    s.post("/api/rank", &[("Content-Type", &ct)], no_file.as_bytes())
        .await
        .error(400);
    s.post(
        "/api/rank",
        &[("Content-Type", "multipart/form-data; boundary=zzz")],
        b"this is not multipart",
    )
    .await
    .error(400);
    // A corrupt spreadsheet.
    let (ct, body) = multipart("broken.xlsx", b"PK\x03\x04 not really a zip", &[]);
    let r = s.post("/api/rank", &[("Content-Type", &ct)], &body).await;
    assert!(r.status == 400, "corrupt XLSX: {} {}", r.status, r.text());
}

#[tokio::test]
async fn limits_answer_413_with_json() {
    let s = Server::start(ServeOptions {
        max_body: 2048,
        max_rows: 2,
        ..ServeOptions::default()
    })
    .await;
    let big = format!(r#"{{"name": "x", "scope": "{}"}}"#, "电竞".repeat(2000));
    let msg = s.score_json(&big).await.error(413);
    assert!(
        msg.contains("2048 bytes") && !msg.contains("--"),
        "states the limit, no flags: {msg}"
    );
    let (ct, body) = multipart("big.csv", "name,scope\n".repeat(400).as_bytes(), &[]);
    s.post("/api/rank", &[("Content-Type", &ct)], &body).await.error(413);
    let rows = s
        .post("/api/rank", &[("Content-Type", "text/csv")], LIST_CSV.as_bytes())
        .await
        .error(413);
    assert!(rows.contains("more than 2 rows") && !rows.contains("--"), "{rows}");
}

#[tokio::test]
async fn a_token_guards_every_api_route() {
    let s = Server::start(ServeOptions {
        token: Some("s3cret-token".to_string()),
        ..ServeOptions::default()
    })
    .await;
    assert_eq!(s.get("/healthz").await.status, 200);
    assert_eq!(s.get("/").await.status, 200);
    let missing = s.get("/api/search?q=x").await;
    missing.error(401);
    assert_eq!(missing.header("www-authenticate"), Some("Bearer"));
    s.get("/api/catalog").await.error(401);
    s.score_json(r#"{"name": "x"}"#).await.error(401);
    s.post("/api/rank", &[("Content-Type", "text/csv")], LIST_CSV.as_bytes())
        .await
        .error(401);
    let wrong = request(s.addr, "GET", "/api/catalog", &[("Authorization", "Bearer nope")], b"").await;
    wrong.error(401);
    let right = request(
        s.addr,
        "GET",
        "/api/catalog",
        &[("Authorization", "Bearer s3cret-token")],
        b"",
    )
    .await;
    assert_eq!(right.status, 200);
    let scored = request(
        s.addr,
        "POST",
        "/api/score",
        &[
            ("Authorization", "Bearer s3cret-token"),
            ("Content-Type", "application/json"),
        ],
        r#"{"name": "x", "scope": "电竞"}"#.as_bytes(),
    )
    .await;
    assert_eq!(scored.status, 200, "{}", scored.text());
}

#[test]
fn a_public_address_needs_a_token() {
    let public: SocketAddr = "0.0.0.0:8080".parse().expect("addr");
    let local: SocketAddr = "127.0.0.1:8080".parse().expect("addr");
    let v6: SocketAddr = "[::1]:8080".parse().expect("addr");
    assert!(server::check_bind(&public, None).is_err());
    assert!(server::check_bind(&public, Some("  ")).is_err());
    assert!(server::check_bind(&public, Some("t0ken")).is_ok());
    assert!(server::check_bind(&local, None).is_ok());
    assert!(server::check_bind(&v6, None).is_ok());

    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_leadmatch"))
        .args(["serve", "--addr", "0.0.0.0:0"])
        .current_dir(dir.path())
        .output()
        .expect("run leadmatch");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--token"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_scores_all_succeed_and_agree_with_the_cli() {
    let s = Server::default().await;
    let cli = cli_esports_score();
    let body = serde_json::json!({"name": ESPORTS_NAME, "scope": ESPORTS_SCOPE}).to_string();
    let mut tasks = Vec::new();
    for i in 0..64 {
        let addr = s.addr;
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            if i % 8 == 0 {
                request(addr, "GET", "/api/search?q=%E7%94%B5%E7%AB%9E", &[], b"").await
            } else {
                request(
                    addr,
                    "POST",
                    "/api/score",
                    &[("Content-Type", "application/json")],
                    body.as_bytes(),
                )
                .await
            }
        }));
    }
    for (i, t) in tasks.into_iter().enumerate() {
        let r = t.await.expect("task");
        assert_eq!(r.status, 200, "request {i}: {}", r.text());
        if i % 8 != 0 {
            assert_eq!(without_marks(r.json()), cli, "request {i}");
        }
    }
    s.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn shutdown_finishes_cleanly() {
    let s = Server::default().await;
    assert_eq!(s.get("/healthz").await.status, 200);
    let addr = s.addr;
    s.shutdown().await.expect("clean shutdown");
    assert!(TcpStream::connect(addr).await.is_err(), "no longer listening");
}

// ---- issue 15: the server hardened -------------------------------------------------------------

/// Sends raw bytes on a new connection and reads the answer, giving up after `limit`.
async fn raw_exchange(addr: SocketAddr, bytes: &[u8], limit: Duration) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let _ = s.write_all(bytes).await;
    let mut raw = Vec::new();
    let _ = tokio::time::timeout(limit, s.read_to_end(&mut raw)).await;
    raw
}

/// Waits (at most `limit`) until `dir` holds no entries; returns whether it emptied.
async fn emptied(dir: &std::path::Path, limit: Duration) -> bool {
    let end = tokio::time::Instant::now() + limit;
    loop {
        let n = std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
        if n == 0 {
            return true;
        }
        if tokio::time::Instant::now() >= end {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A CSV list of `n` rows with scopes long enough that ranking it takes a while.
fn big_list(n: usize) -> Vec<u8> {
    let mut out = String::from("企业名称,经营范围\n");
    for i in 0..n {
        out.push_str(&format!(
            "温州第{i}电竞科技有限公司,电子竞技赛事组织策划；网络游戏开发；跨境电子商务平台运营；区块链技术服务；物联网设备销售；再制造技术研发\n"
        ));
    }
    out.into_bytes()
}

#[tokio::test]
async fn score_cuts_a_long_scope_like_the_batch_path() {
    // Issue 15.7: the same 20,000-character cut as `rank`, flagged `truncated`.
    let s = Server::default().await;
    let scope = "电子竞技赛事组织策划；".repeat(4_000);
    assert!(scope.chars().count() > 20_000);
    let body = serde_json::json!({"name": ESPORTS_NAME, "scope": scope}).to_string();
    let r = s.score_json(&body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert_eq!(j["verdict"], "target", "{j}");
    assert!(
        j["flags"]
            .as_array()
            .is_some_and(|f| f.iter().any(|x| x == "truncated")),
        "{j}"
    );
    // Marks only within the scored part.
    let marks = j["marks"].as_array().expect("marks");
    assert!(!marks.is_empty());
    assert!(marks.iter().all(|m| m[1].as_u64().unwrap() <= 20_000), "{marks:?}");
}

#[tokio::test]
async fn a_full_score_queue_answers_503_with_retry_after() {
    // Issue 15.7: one at work, one waiting, the third turned away at once.
    let s = Server::start(ServeOptions {
        score_slots: 1,
        score_queue: 1,
        ..ServeOptions::default()
    })
    .await;
    let head = format!(
        "POST /api/score HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
        s.addr
    );
    // Two requests that never finish their bodies hold the slot and the queue place.
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut c = TcpStream::connect(s.addr).await.expect("connect");
        c.write_all(head.as_bytes()).await.expect("head");
        c.write_all(b"{").await.expect("a byte");
        held.push(c);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut third = s.score_json(r#"{"name": "x", "scope": "电竞"}"#).await;
    for _ in 0..50 {
        if third.status == 503 {
            break;
        }
        // The held requests may not have reached the queue yet: try again (bounded).
        tokio::time::sleep(Duration::from_millis(100)).await;
        third = s.score_json(r#"{"name": "x", "scope": "电竞"}"#).await;
    }
    let msg = third.error(503);
    assert!(msg.contains("try again"), "{msg}");
    assert_eq!(third.header("retry-after"), Some("2"));
    drop(held);
    // Once they are gone, requests are served again.
    let mut ok = 0;
    for _ in 0..50 {
        let r = s.score_json(r#"{"name": "x", "scope": "电竞"}"#).await;
        if r.status == 200 {
            ok += 1;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ok, 1, "served again after the queue emptied");
}

/// The peak resident memory (VmHWM) of a process, in bytes (Linux).
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_concurrent_30_mb_scores_stay_under_1_5_gb() {
    // Issue 15.7, measured on the real binary: bodies are read only when their turn comes.
    if !std::path::Path::new("/proc/self/status").exists() {
        println!("SKIP: no /proc here to read the server's memory");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        l.local_addr().expect("addr").port()
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadmatch"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start leadmatch serve");
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut up = false;
    for _ in 0..600 {
        if TcpStream::connect(addr).await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server starts within 60 s");
    let scope = "电子竞技赛事组织策划；".repeat(30_000_000 / 33);
    let body = Arc::new(
        serde_json::json!({"name": ESPORTS_NAME, "scope": scope})
            .to_string()
            .into_bytes(),
    );
    assert!(body.len() > 29_000_000);
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            request(
                addr,
                "POST",
                "/api/score",
                &[("Content-Type", "application/json")],
                &body,
            )
            .await
            .status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("client task"));
    }
    let peak = peak_rss(child.id());
    let _ = child.kill();
    let _ = child.wait();
    assert!(statuses.iter().all(|&s| s == 200 || s == 503), "{statuses:?}");
    assert!(statuses.contains(&200), "{statuses:?}");
    let peak = peak.expect("VmHWM");
    println!("peak RSS under 16 × 30 MB: {} MB", peak / 1_000_000);
    assert!(peak < 1_500_000_000, "peak RSS {} MB", peak / 1_000_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_ranking_stops_and_frees_its_slot() {
    // Issue 15.8: the 503 sets the pipeline's cancellation flag; the work stops within a chunk,
    // which the upload's temporary directory going away shows (the job holds it to the end).
    let temp = tempfile::tempdir().expect("temp root");
    let s = Server::start(ServeOptions {
        timeout: Duration::from_secs(1),
        max_rows: 1_000_000,
        max_body: 64 * 1024 * 1024,
        rank_jobs: 1,
        temp_root: Some(temp.path().to_path_buf()),
        ..ServeOptions::default()
    })
    .await;
    let list = big_list(150_000);
    let r = s.post("/api/rank", &[("Content-Type", "text/csv")], &list).await;
    if r.status == 200 {
        println!("SKIP: this machine ranked 150,000 rows within 1 s; nothing to cancel");
        return;
    }
    let msg = r.error(503);
    assert!(msg.contains("1 s"), "{msg}");
    // Ranking all of it takes far longer than this bound on any machine that needed the 1 s.
    assert!(
        emptied(temp.path(), Duration::from_secs(15)).await,
        "the cancelled job let go of its upload"
    );
    // The slot is free again: a small list is ranked.
    let small = s
        .post("/api/rank", &[("Content-Type", "text/csv")], LIST_CSV.as_bytes())
        .await;
    assert_eq!(small.status, 200, "{}", small.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_leaves_stops_its_ranking() {
    // Issue 15.8: the client disconnects mid-ranking; the work stops and the upload goes.
    let temp = tempfile::tempdir().expect("temp root");
    let s = Server::start(ServeOptions {
        max_rows: 1_000_000,
        max_body: 64 * 1024 * 1024,
        rank_jobs: 1,
        temp_root: Some(temp.path().to_path_buf()),
        ..ServeOptions::default()
    })
    .await;
    let list = big_list(150_000);
    {
        let mut c = TcpStream::connect(s.addr).await.expect("connect");
        let head = format!(
            "POST /api/rank HTTP/1.1\r\nHost: {}\r\nContent-Type: text/csv\r\nContent-Length: {}\r\n\r\n",
            s.addr,
            list.len()
        );
        c.write_all(head.as_bytes()).await.expect("head");
        c.write_all(&list).await.expect("body");
        // The upload is in; wait until the ranking has started, then leave.
        for _ in 0..100 {
            if std::fs::read_dir(temp.path()).map(|d| d.count()).unwrap_or(0) > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(
        emptied(temp.path(), Duration::from_secs(15)).await,
        "the abandoned job stopped"
    );
}

#[tokio::test]
async fn uploads_are_cleaned_up_after_answers_errors_and_aborts() {
    // Issue 15.10: streamed to a temporary directory that goes on every path.
    let temp = tempfile::tempdir().expect("temp root");
    let s = Server::start(ServeOptions {
        temp_root: Some(temp.path().to_path_buf()),
        ..ServeOptions::default()
    })
    .await;
    let ok = s
        .post("/api/rank", &[("Content-Type", "text/csv")], LIST_CSV.as_bytes())
        .await;
    assert_eq!(ok.status, 200);
    assert_eq!(csv_rows(&ok.body).1.len(), 3, "the streamed answer is whole");
    assert!(emptied(temp.path(), Duration::from_secs(5)).await, "after an answer");
    s.post("/api/rank", &[("Content-Type", "text/csv")], b"foo,bar\n1,2\n")
        .await
        .error(400);
    assert!(emptied(temp.path(), Duration::from_secs(5)).await, "after an error");
    // An upload cut off half-way.
    let head = format!(
        "POST /api/rank HTTP/1.1\r\nHost: {}\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n企业名称,经营范围\n",
        s.addr
    );
    let _ = raw_exchange(s.addr, head.as_bytes(), Duration::from_millis(300)).await;
    assert!(
        emptied(temp.path(), Duration::from_secs(5)).await,
        "after an aborted upload"
    );
}

#[tokio::test]
async fn other_sites_and_other_host_names_are_refused_on_loopback() {
    // Issue 15.9: cross-site requests and DNS rebinding.
    let s = Server::default().await;
    let body = r#"{"name": "x", "scope": "电竞"}"#.as_bytes();
    let evil_origin = s
        .post(
            "/api/score",
            &[("Content-Type", "application/json"), ("Origin", "https://evil.example")],
            body,
        )
        .await;
    evil_origin.error(403);
    let own = format!("http://{}", s.addr);
    let fine = s
        .post(
            "/api/score",
            &[("Content-Type", "application/json"), ("Origin", &own)],
            body,
        )
        .await;
    assert_eq!(fine.status, 200, "the page's own origin: {}", fine.text());
    let localhost = format!("http://localhost:{}", s.addr.port());
    let fine = s
        .post(
            "/api/score",
            &[("Content-Type", "application/json"), ("Origin", &localhost)],
            body,
        )
        .await;
    assert_eq!(fine.status, 200, "localhost: {}", fine.text());
    // A rebound name: the Host is not this server's.
    let raw = raw_exchange(
        s.addr,
        b"GET /api/search?q=x HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
        Duration::from_secs(10),
    )
    .await;
    parse_reply(&raw).error(421);
    let raw = raw_exchange(
        s.addr,
        b"GET / HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n",
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(parse_reply(&raw).status, 421);
    // With a token the token guards instead (colleagues reach it under its network name).
    let t = Server::start(ServeOptions {
        token: Some("tok-123456".into()),
        ..ServeOptions::default()
    })
    .await;
    let raw = raw_exchange(
        t.addr,
        b"GET /healthz HTTP/1.1\r\nHost: workbench.lan:8080\r\nConnection: close\r\n\r\n",
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(parse_reply(&raw).status, 200);
}

#[tokio::test]
async fn api_answers_carry_the_security_headers() {
    let s = Server::default().await;
    for r in [
        s.get("/api/search?q=%E7%94%B5%E7%AB%9E").await,
        s.get("/api/nope").await,
        s.score_json("{").await,
    ] {
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{r:?}");
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        assert!(
            r.header("content-security-policy")
                .is_some_and(|c| c.contains("default-src 'none'"))
        );
        assert_eq!(r.header("cache-control"), Some("no-store"));
    }
}

#[tokio::test]
async fn idle_and_slow_connections_are_closed_after_the_header_timeout() {
    // Issue 15.9: a connection that sends nothing, or half a head, is closed.
    let s = Server::start(ServeOptions {
        header_timeout: Duration::from_secs(1),
        ..ServeOptions::default()
    })
    .await;
    for sent in [&b""[..], b"GET / HTTP/1.1\r\nHost: x\r\n"] {
        let mut c = TcpStream::connect(s.addr).await.expect("connect");
        c.write_all(sent).await.expect("write");
        let mut buf = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(20), c.read_to_end(&mut buf)).await;
        assert!(
            closed.is_ok(),
            "closed by the server (sent {:?})",
            String::from_utf8_lossy(sent)
        );
    }
}

#[tokio::test]
async fn an_oversized_upload_is_refused_at_once_with_a_readable_413() {
    // Issue 15.11: the declared length is enough; the client reads the answer.
    let s = Server::start(ServeOptions {
        max_body: 1024 * 1024,
        ..ServeOptions::default()
    })
    .await;
    // Head only: the answer comes without a byte of the 40 MB body.
    let head = format!(
        "POST /api/rank HTTP/1.1\r\nHost: {}\r\nContent-Type: text/csv\r\nContent-Length: 40000000\r\n\r\n",
        s.addr
    );
    let mut c = TcpStream::connect(s.addr).await.expect("connect");
    c.write_all(head.as_bytes()).await.expect("head");
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(20), c.read(&mut buf))
        .await
        .expect("an answer before the body is sent")
        .expect("read");
    let head_text = String::from_utf8_lossy(&buf[..n]).into_owned();
    assert!(head_text.starts_with("HTTP/1.1 413"), "{head_text}");
    drop(c);
    // The whole 3 MB body sent: every byte is taken, then the 413 is read (no broken pipe).
    let body = vec![b'x'; 3 * 1024 * 1024];
    let r = s.post("/api/rank", &[("Content-Type", "text/csv")], &body).await;
    let msg = r.error(413);
    assert!(msg.contains("1 MiB") && msg.contains("split"), "{msg}");
}

#[tokio::test]
async fn the_page_states_the_limits() {
    let s = Server::start(ServeOptions {
        max_body: 5 * 1024 * 1024,
        ..ServeOptions::default()
    })
    .await;
    let l = s.get("/api/limits").await.json();
    assert_eq!(l["max_body"], 5 * 1024 * 1024);
    assert_eq!(l["max_body_text"], "5 MiB");
    assert!(l["max_rows"].as_u64().is_some());
    let js = s.get("/app.js").await.text();
    assert!(js.contains("/api/limits") && js.contains("file.size > limits.max_body"));
}

// ---- issue 17: the ranked list in the page -----------------------------------------------------

/// A list with two lead units, duplicates and a bad credit code.
const ROUTING_CSV: &str = "企业名称,经营范围,统一社会信用代码\n\
温州某电竞科技有限公司,电子竞技赛事组织策划；电竞场馆运营,\n\
某房地产开发有限公司,房地产开发经营；物业管理,\n\
温州跨境电商有限公司,跨境电子商务平台运营；海外仓,91330300MA2AAAAAA0\n\
温州瓯江再制造有限公司,汽车零部件再制造；工程机械再制造,\n\
温州星河电竞俱乐部有限公司,电竞俱乐部运营；电子竞技赛事承办,\n\
温州某跨境贸易有限公司,跨境电商；进出口代理,\n";

async fn upload_list(s: &Server, csv: &str) -> serde_json::Value {
    let (ct, body) = multipart("名单.csv", csv.as_bytes(), &[]);
    let r = s.post("/api/lists", &[("Content-Type", &ct)], &body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

#[tokio::test]
async fn a_ranked_list_pages_best_first_and_filters_like_the_cli() {
    let s = Server::default().await;
    let list = upload_list(&s, ROUTING_CSV).await;
    let id = list["id"].as_str().expect("id").to_string();
    assert_eq!(id.len(), 32, "a random 128-bit id");
    assert_eq!(list["total"], 6);
    assert_eq!(list["summary"]["rows_in"], 6);
    let units: Vec<&str> = list["facets"]["lead_units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert!(units.len() >= 2, "{units:?}");

    // Best first: priority score, then fit, never rising.
    let page = s.get(&format!("/api/lists/{id}/rows?limit=50")).await.json();
    assert_eq!(page["total"], 6);
    let rows = page["rows"].as_array().unwrap();
    let key = |r: &serde_json::Value| {
        (
            r["priority"]["score"].as_u64().unwrap_or(0),
            r["fit"].as_f64().unwrap_or(0.0),
        )
    };
    for w in rows.windows(2) {
        assert!(key(&w[0]) >= key(&w[1]), "{} before {}", w[0], w[1]);
    }
    // Paging.
    let second = s.get(&format!("/api/lists/{id}/rows?offset=2&limit=2")).await.json();
    assert_eq!(second["rows"].as_array().unwrap().len(), 2);
    assert_eq!(second["rows"][0]["row"], rows[2]["row"]);

    // Filter by lead unit; the download holds exactly those rows, as the CLI writes them.
    let unit = units[0];
    let enc = |s: &str| s.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
    let filtered = s
        .get(&format!("/api/lists/{id}/rows?lead_unit={}&limit=500", enc(unit)))
        .await
        .json();
    let mut shown: Vec<u64> = filtered["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["matches"][0]["lead_unit"], unit);
            r["row"].as_u64().unwrap()
        })
        .collect();
    assert!(!shown.is_empty());
    let dl = s
        .get(&format!("/api/lists/{id}/download?format=csv&lead_unit={}", enc(unit)))
        .await;
    assert_eq!(dl.status, 200, "{}", dl.text());
    let (header, data) = csv_rows(&dl.body);
    let row_col = header.iter().position(|h| h == "行号").expect("行号");
    let mut downloaded: Vec<u64> = data.iter().map(|r| r[row_col].parse().unwrap()).collect();
    shown.sort_unstable();
    downloaded.sort_unstable();
    assert_eq!(shown, downloaded, "the download is what the page shows");
    let cli = tempfile::tempdir().unwrap();
    std::fs::write(cli.path().join("名单.csv"), ROUTING_CSV).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_leadmatch"))
        .args(["rank", "名单.csv", "-o", "o.csv", "--lead-unit", unit])
        .current_dir(cli.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        std::fs::read(cli.path().join("o.csv")).unwrap(),
        dl.body,
        "byte-identical to the CLI"
    );

    // Tier and verdict filters; bad values are JSON errors.
    let targets = s.get(&format!("/api/lists/{id}/rows?verdict=target")).await.json();
    assert!(
        targets["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["verdict"] == "target")
    );
    let top = s.get(&format!("/api/lists/{id}/rows?tier=B")).await.json();
    assert!(top["rows"].as_array().unwrap().iter().all(|r| {
        let t = r["priority"]["tier"].as_str().unwrap_or("D");
        t == "A" || t == "B"
    }));
    s.get(&format!("/api/lists/{id}/rows?tier=Z")).await.error(400);
    let x = s.get(&format!("/api/lists/{id}/download?format=xlsx")).await;
    assert!(x.status == 200 && x.body.starts_with(b"PK"));
}

#[tokio::test]
async fn the_routing_report_opens_and_downloads() {
    let s = Server::default().await;
    let list = upload_list(&s, ROUTING_CSV).await;
    let id = list["id"].as_str().unwrap();
    let r = s.get(&format!("/api/lists/{id}/report")).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").is_some_and(|c| c.starts_with("text/html")));
    assert!(r.header("content-disposition").is_none(), "shown, not saved");
    assert!(
        r.header("content-security-policy")
            .is_some_and(|c| c.contains("style-src 'unsafe-inline'") && !c.contains("script"))
    );
    let html = r.text();
    assert!(html.contains("牵头单位") && html.contains("温州某电竞科技有限公司"));
    let d = s.get(&format!("/api/lists/{id}/report?download=1")).await;
    assert!(
        d.header("content-disposition")
            .is_some_and(|c| c.contains("-report.html"))
    );
    assert_eq!(d.body, r.body);
}

#[tokio::test]
async fn unknown_or_expired_lists_get_a_json_404() {
    let s = Server::start(ServeOptions {
        list_ttl: Duration::from_millis(300),
        ..ServeOptions::default()
    })
    .await;
    let msg = s
        .get("/api/lists/0123456789abcdef0123456789abcdef/rows")
        .await
        .error(404);
    assert!(msg.contains("upload the file again"), "{msg}");
    let list = upload_list(&s, LIST_CSV).await;
    let id = list["id"].as_str().unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    s.get(&format!("/api/lists/{id}/rows")).await.error(404);
}

#[tokio::test]
async fn score_marks_evidence_in_traditional_and_english_scopes() {
    // Issue 17.4: marks point into the scope as sent.
    let s = Server::default().await;
    for (name, scope, want) in [
        (
            "溫州星河電競娛樂有限公司",
            "經營電子競技俱樂部與職業戰隊，承辦電競賽事",
            "電子競技",
        ),
        (
            "Wenzhou Reman Co., Ltd.",
            "Remanufacturing of automobile engines and construction machinery parts",
            "Remanufacturing",
        ),
    ] {
        let body = serde_json::json!({"name": name, "scope": scope}).to_string();
        let j = s.score_json(&body).await.json();
        let units: Vec<u16> = scope.encode_utf16().collect();
        let marked: Vec<String> = j["marks"]
            .as_array()
            .expect("marks")
            .iter()
            .map(|m| {
                let (a, b) = (m[0].as_u64().unwrap() as usize, m[1].as_u64().unwrap() as usize);
                String::from_utf16_lossy(&units[a..b])
            })
            .collect();
        assert!(marked.iter().any(|m| m == want), "{scope}: {marked:?} ({j})");
    }
}
