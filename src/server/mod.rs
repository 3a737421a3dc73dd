//! `leadmatch serve`: the workbench — the HTTP API of interface.md ("HTTP") and the page, a thin
//! adapter over the library. The engine (catalogue, index, matcher) is loaded once and shared by
//! every request; scoring and ranking run on blocking threads so the runtime stays responsive.
//!
//! [`api`] holds the handlers and the JSON errors, [`guard`] what every request passes first
//! (Host/Origin checks, early 413, security headers), [`admission`] the bounded queues of work,
//! [`lists`] the ranked lists kept for the page (paging, filters, downloads, the report),
//! [`highlight`] the evidence marks on a scope, [`auth`] the bearer-token check, [`page`] the page
//! and its assets, embedded in the binary (no network needed).
//!
//! The limits live here as named constants; README "Limits and safety" mirrors them.

mod admission;
mod api;
mod auth;
mod guard;
mod highlight;
mod lists;
mod page;

use crate::Engine;
use admission::Admission;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::net::TcpListener;

/// Default request body limit (`--max-body`): 32 MiB.
pub const DEFAULT_MAX_BODY: usize = 32 * 1024 * 1024;
/// Default rows per upload (`--max-rows`).
pub const DEFAULT_MAX_ROWS: u64 = 200_000;
/// Default time limit per request (`--timeout`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
/// Most hits one search may ask for.
pub const MAX_SEARCH_LIMIT: usize = 200;
/// A connection that has not sent a complete request head within this time is closed.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Default number of requests waiting for a scoring slot before new ones get 503 + Retry-After.
pub const SCORE_QUEUE: usize = 64;
/// Uploads waiting for the ranking slot before new ones get 503 + Retry-After.
pub const RANK_QUEUE: usize = 4;
/// After refusing an oversized upload, at most this much of its body is read and thrown away so
/// the client can read the 413 (then the connection is closed).
pub const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;
/// How long a ranked list stays on the server for paging and downloads.
pub const DEFAULT_LIST_TTL: Duration = Duration::from_secs(60 * 60);
/// Most ranked lists kept at once (the oldest goes first).
pub const MAX_LISTS: usize = 8;
/// Seconds a client is asked to wait (`Retry-After`) when the queue is full.
pub const RETRY_AFTER_SECS: u64 = 2;

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Bearer token required on every `/api/` route when set.
    pub token: Option<String>,
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Most data rows in one uploaded list.
    pub max_rows: u64,
    /// Time limit for one request.
    pub timeout: Duration,
    /// Scoring threads for one ranking.
    pub rank_jobs: usize,
    /// Time allowed for a request head; idle connections close after it.
    pub header_timeout: Duration,
    /// Score requests worked on at once.
    pub score_slots: usize,
    /// Score requests that may wait for a slot; more get 503 + Retry-After.
    pub score_queue: usize,
    /// How long a ranked list is kept for the page.
    pub list_ttl: Duration,
    /// Where uploads get their temporary directories (default: the system's temporary folder).
    pub temp_root: Option<std::path::PathBuf>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        ServeOptions {
            token: None,
            max_body: DEFAULT_MAX_BODY,
            max_rows: DEFAULT_MAX_ROWS,
            timeout: DEFAULT_TIMEOUT,
            rank_jobs: cores,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            score_slots: cores.max(2),
            score_queue: SCORE_QUEUE,
            list_ttl: DEFAULT_LIST_TTL,
            temp_root: None,
        }
    }
}

/// What every request shares.
pub struct AppState {
    pub engine: Arc<Engine>,
    pub opts: ServeOptions,
    /// `GET /api/catalog`, serialised once.
    catalog_json: Vec<u8>,
    /// Score requests: a few at once, a bounded queue, 503 beyond.
    score_slots: Admission,
    /// One ranking at a time (a ranking already uses every core), a short queue, 503 beyond.
    rank_slots: Admission,
    /// The address the server listens on (set by [`serve_on`]), for the Host/Origin checks.
    local: OnceLock<SocketAddr>,
    /// Ranked lists kept for the page.
    lists: lists::Lists,
}

impl AppState {
    pub fn new(engine: Engine, opts: ServeOptions) -> crate::Result<Arc<AppState>> {
        Self::shared(Arc::new(engine), opts)
    }

    /// A state over an engine that is already shared (tests start several servers on one).
    pub fn shared(engine: Arc<Engine>, opts: ServeOptions) -> crate::Result<Arc<AppState>> {
        let c = &engine.catalog;
        let catalog_json = serde_json::to_vec(&serde_json::json!({
            "origin": c.origin,
            "fingerprint": c.fingerprint,
            "themes": c.themes,
            "sectors": c.sectors,
            "industries": c.industries,
        }))
        .map_err(|e| crate::Error::Input(format!("cannot serialise the catalogue: {e}")))?;
        Ok(Arc::new(AppState {
            engine,
            catalog_json,
            score_slots: Admission::new(opts.score_slots.max(1), opts.score_queue),
            rank_slots: Admission::new(1, RANK_QUEUE),
            local: OnceLock::new(),
            lists: lists::Lists::new(opts.list_ttl, MAX_LISTS),
            opts,
        }))
    }
}

/// Refuses to serve a non-loopback address without a token.
pub fn check_bind(addr: &SocketAddr, token: Option<&str>) -> Result<(), String> {
    if token.is_some_and(|t| t.trim().is_empty()) {
        return Err("令牌为空 --token is empty: give a long random string".to_string());
    }
    if !addr.ip().is_loopback() && token.is_none() {
        return Err(format!(
            "非本机地址需要令牌 {addr} is reachable from other machines: add --token SECRET (clients send \
             `Authorization: Bearer SECRET`), or bind 127.0.0.1"
        ));
    }
    Ok(())
}

/// The routes of interface.md with their limits.
pub fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/api/search", get(api::search))
        .route("/api/score", post(api::score))
        .route("/api/rank", post(api::rank))
        .route("/api/catalog", get(api::catalog))
        .route("/api/limits", get(api::limits))
        .route("/api/lists", post(lists::create))
        .route("/api/lists/{id}/rows", get(lists::rows))
        .route("/api/lists/{id}/download", get(lists::download))
        .route("/api/lists/{id}/report", get(lists::report))
        .route_layer(middleware::from_fn_with_state(state.clone(), auth::require_token));
    Router::new()
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/app.css", get(page::style))
        .route("/healthz", get(|| async { "ok" }))
        .merge(api)
        .fallback(api::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), api::time_limit))
        .layer(middleware::from_fn_with_state(state.clone(), api::json_errors))
        .layer(middleware::from_fn_with_state(state.clone(), guard::early_too_large))
        .layer(middleware::from_fn_with_state(state.clone(), guard::same_site))
        .layer(middleware::from_fn(guard::security_headers))
        .layer(DefaultBodyLimit::max(state.opts.max_body))
        .with_state(state)
}

/// Serves on a bound listener until `shutdown` completes, then finishes the requests in flight.
/// Each connection is HTTP/1.1 with a header-read timeout ([`ServeOptions::header_timeout`]), so
/// a connection that sends nothing, or a request head too slowly, is closed.
pub async fn serve_on(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let local = listener.local_addr()?;
    let _ = state.local.set(local);
    let header_timeout = state.opts.header_timeout;
    let app = router(state.clone());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    // Ranked lists past their time go even when no request comes.
    let sweeper = {
        let state = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(30));
            loop {
                tick.tick().await;
                state.lists.sweep();
            }
        })
    };
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (io, _peer) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                // Out of file descriptors and the like: wait a moment instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let service = TowerToHyperService::new(app.clone());
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(header_timeout);
            let conn = builder.serve_connection(TokioIo::new(io), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = async { stop.wait_for(|s| *s).await.is_ok() } => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    drop(listener);
    sweeper.abort();
    drop(stop_rx);
    let _ = stop_tx.send(true);
    // Every connection task holds a receiver; `closed` completes when the last one ends.
    stop_tx.closed().await;
    Ok(())
}

/// Completes on Ctrl-C (or SIGTERM on Unix).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
