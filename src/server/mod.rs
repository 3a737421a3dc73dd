//! `leadmatch serve`: the workbench — the HTTP API of interface.md ("HTTP") and the page, a thin
//! adapter over the library. The engine (catalogue, index, matcher) is loaded once and shared by
//! every request; scoring and ranking run on blocking threads so the runtime stays responsive.
//!
//! [`api`] holds the handlers and the JSON errors, [`auth`] the bearer-token check, [`page`] the
//! page and its assets, embedded in the binary (no network needed).

mod api;
mod auth;
mod page;

use crate::Engine;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Default request body limit (`--max-body`): 32 MiB.
pub const DEFAULT_MAX_BODY: usize = 32 * 1024 * 1024;
/// Default rows per upload (`--max-rows`).
pub const DEFAULT_MAX_ROWS: u64 = 200_000;
/// Default time limit per request (`--timeout`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
/// Most hits one search may ask for.
pub const MAX_SEARCH_LIMIT: usize = 200;

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
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            token: None,
            max_body: DEFAULT_MAX_BODY,
            max_rows: DEFAULT_MAX_ROWS,
            timeout: DEFAULT_TIMEOUT,
            rank_jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// What every request shares.
pub struct AppState {
    pub engine: Arc<Engine>,
    pub opts: ServeOptions,
    /// `GET /api/catalog`, serialised once.
    catalog_json: Vec<u8>,
    /// One ranking at a time: a ranking already uses every core.
    rank_slots: Arc<Semaphore>,
    /// Numbers the temporary directories of uploads.
    uploads: AtomicU64,
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
            opts,
            catalog_json,
            rank_slots: Arc::new(Semaphore::new(1)),
            uploads: AtomicU64::new(0),
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
        .layer(DefaultBodyLimit::max(state.opts.max_body))
        .with_state(state)
}

/// Serves on a bound listener until `shutdown` completes, then finishes the requests in flight.
pub async fn serve_on(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
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
