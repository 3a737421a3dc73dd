//! `leadmatch serve` (issue 6): every route of interface.md ("HTTP") over real HTTP, in process on
//! 127.0.0.1:0, against the built-in catalogue — the answers, the JSON errors (bad JSON, wrong
//! content type, oversized body, missing token, too many rows) and concurrent requests, which must
//! agree with the CLI.

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
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("CSV with a BOM");
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = r.headers().expect("header").iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("record").iter().map(String::from).collect())
        .collect();
    (header, rows)
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
    assert_eq!(api, cli);

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
    assert!(msg.contains("--max-body"), "{msg}");
    let (ct, body) = multipart("big.csv", "name,scope\n".repeat(400).as_bytes(), &[]);
    s.post("/api/rank", &[("Content-Type", &ct)], &body).await.error(413);
    let rows = s
        .post("/api/rank", &[("Content-Type", "text/csv")], LIST_CSV.as_bytes())
        .await
        .error(413);
    assert!(rows.contains("--max-rows"), "{rows}");
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
            assert_eq!(r.json(), cli, "request {i}");
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
