//! `leadmatch serve`: the web workbench (HTTP API and page) on 127.0.0.1:8080 by default.

use super::{Failure, open_engine, usage};
use crate::EngineOptions;
use crate::server::{self, AppState, ServeOptions};
use anyhow::Context;
use std::net::SocketAddr;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on; another address than 127.0.0.1/::1 needs --token
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "IP:PORT")]
    pub addr: String,
    /// Bearer token required on every /api/ route (clients send `Authorization: Bearer TOKEN`)
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Largest request body in bytes (uploads included)
    #[arg(long, default_value_t = server::DEFAULT_MAX_BODY, value_name = "BYTES")]
    pub max_body: usize,
    /// Most rows in one uploaded list
    #[arg(long, default_value_t = server::DEFAULT_MAX_ROWS, value_name = "N")]
    pub max_rows: u64,
    /// Time limit per request, in seconds
    #[arg(long, default_value_t = server::DEFAULT_TIMEOUT.as_secs(), value_name = "SECONDS")]
    pub timeout: u64,
    /// Open the workbench in the default web browser once it is running
    #[arg(long)]
    pub open: bool,
}

pub fn run(opts: &EngineOptions, a: Args) -> Result<(), Failure> {
    let addr: SocketAddr = a.addr.parse().map_err(|_| {
        usage(format!(
            "地址格式错误 --addr {:?} is not IP:PORT, e.g. 127.0.0.1:8080 or 0.0.0.0:8080",
            a.addr
        ))
    })?;
    server::check_bind(&addr, a.token.as_deref()).map_err(usage)?;
    if a.timeout == 0 || a.max_body == 0 || a.max_rows == 0 {
        return Err(usage("--timeout, --max-body and --max-rows must be at least 1"));
    }
    let serve_opts = ServeOptions {
        token: a.token.clone(),
        max_body: a.max_body,
        max_rows: a.max_rows,
        timeout: Duration::from_secs(a.timeout),
        ..ServeOptions::default()
    };
    let engine = open_engine(opts)?;
    let state = AppState::new(engine, serve_opts)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                format!(
                    "端口已被占用 {addr} is already in use: stop the other program or choose another port, e.g. --addr {}:{}",
                    addr.ip(),
                    addr.port().wrapping_add(1).max(1024)
                )
            } else {
                format!("无法监听 cannot listen on {addr}: {e}")
            };
            usage(hint)
        })?;
        let shown = listener.local_addr().unwrap_or(addr);
        let host = if shown.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else if shown.is_ipv6() {
            format!("[{}]", shown.ip())
        } else {
            shown.ip().to_string()
        };
        let url = format!("http://{host}:{}/", shown.port());
        eprintln!("工作台已启动 workbench running: open {url} in a browser (Ctrl-C to stop)");
        if a.open {
            // The browser starts on its own; the server does not wait for it.
            // With a token, the page takes it from the address (and drops it from the address bar).
            let page = match &a.token {
                Some(t) => format!("{url}#token={t}"),
                None => url.clone(),
            };
            if let Err(e) = opener::open(&page) {
                eprintln!("无法打开浏览器 could not open a browser ({e}): open {url} yourself");
            }
        }
        server::serve_on(listener, state, server::shutdown_signal())
            .await
            .context("the server stopped with an error")?;
        eprintln!("已停止 stopped");
        Ok::<(), Failure>(())
    })
}
