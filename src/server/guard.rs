//! What every request passes before a handler sees it:
//!
//! - **Same site** ([`same_site`]): a server on the loopback address without a token is open to
//!   every program on this computer, and so to web pages in its browser. A page elsewhere could
//!   post to it (cross-site request) or reach it under its own name (DNS rebinding). So requests
//!   whose `Host` is not this server's own address get 421, and requests whose `Origin` is
//!   another site get 403. The workbench page itself sends its own Host and Origin.
//! - **Early 413** ([`early_too_large`]): a declared `Content-Length` over `--max-body` is refused
//!   before any of the body is read; the body is then read and thrown away (up to
//!   [`DRAIN_LIMIT`] bytes, for at most the request time limit) so the client, still sending,
//!   can read the answer.
//! - **Security headers** ([`security_headers`]) on every answer, API ones included.

use super::api::ApiError;
use super::{AppState, DRAIN_LIMIT};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::net::SocketAddr;
use std::sync::Arc;

/// The `Host` (or `Origin` authority) names this server when it is its loopback address (or
/// `localhost`) with its port.
fn is_own_authority(authority: &str, local: &SocketAddr) -> bool {
    let authority = authority.trim().to_ascii_lowercase();
    let (host, port) = match authority.rsplit_once(':') {
        // "[::1]:8080", "127.0.0.1:8080", "localhost:8080"; a bare "[::1]" has no port.
        Some((h, p)) if !p.contains(']') => (h.to_string(), p.parse::<u16>().ok()),
        _ => (authority.clone(), Some(80)),
    };
    if port != Some(local.port()) {
        return false;
    }
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host == "localhost" {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback() && (local.ip().is_unspecified() || ip == local.ip() || local.ip().is_loopback()),
        Err(_) => false,
    }
}

/// Whether an `Origin` header value is this server (`http://127.0.0.1:PORT`, `http://localhost:PORT`).
fn is_own_origin(origin: &str, local: &SocketAddr) -> bool {
    origin
        .strip_prefix("http://")
        .is_some_and(|rest| !rest.contains('/') && is_own_authority(rest, local))
}

/// Refuses requests from other sites and under other host names while the server listens on the
/// loopback address without a token (see the module doc).
pub async fn same_site(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let Some(local) = state.local.get() else {
        return next.run(req).await;
    };
    if state.opts.token.is_some() || !local.ip().is_loopback() {
        return next.run(req).await;
    }
    if let Some(refused) = check_same_site(req.headers(), local) {
        return refused;
    }
    next.run(req).await
}

fn check_same_site(headers: &HeaderMap, local: &SocketAddr) -> Option<Response> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !is_own_authority(host, local) {
        return Some(
            ApiError::new(
                StatusCode::MISDIRECTED_REQUEST,
                format!(
                    "地址不对 this workbench answers only at its own address: open http://127.0.0.1:{}/ in the \
                     browser on this computer",
                    local.port()
                ),
            )
            .into_response(),
        );
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let own = origin.to_str().is_ok_and(|o| is_own_origin(o, local));
        if !own {
            return Some(
                ApiError::new(
                    StatusCode::FORBIDDEN,
                    format!(
                        "拒绝跨站请求 request from another web site refused: use the workbench page at \
                         http://127.0.0.1:{}/",
                        local.port()
                    ),
                )
                .into_response(),
            );
        }
    }
    None
}

/// Answers 413 at once when the declared body is larger than `--max-body`, then drains the body
/// in the background (within bounds) so the client can read the answer.
pub async fn early_too_large(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let max = state.opts.max_body as u64;
    let Some(len) = declared.filter(|&n| n > max) else {
        return next.run(req).await;
    };
    let mut res = super::api::body_error(StatusCode::PAYLOAD_TOO_LARGE, state.opts.max_body).into_response();
    res.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    if len <= DRAIN_LIMIT {
        let deadline = state.opts.timeout;
        let body = req.into_body();
        tokio::spawn(async move {
            let _ = tokio::time::timeout(deadline, drain(body, DRAIN_LIMIT)).await;
        });
    }
    res
}

/// Reads and drops up to `limit` bytes of `body`.
async fn drain(body: Body, limit: u64) {
    let mut seen = 0u64;
    let mut stream = body.into_data_stream();
    while let Some(Ok(chunk)) = stream.next().await {
        seen += chunk.len() as u64;
        if seen > limit {
            break;
        }
    }
}

/// The headers the page has, on every answer (API ones too): no sniffing, no framing, no
/// referrer, no caching of API answers, and a strict content policy where the answer sets none.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    if api && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_authorities_are_the_loopback_names_with_the_port() {
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        for ok in ["127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080"] {
            assert!(is_own_authority(ok, &local), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "127.0.0.1:9090",
            "127.0.0.1",
            "10.0.0.2:8080",
            "",
        ] {
            assert!(!is_own_authority(bad, &local), "{bad}");
        }
        assert!(is_own_origin("http://127.0.0.1:8080", &local));
        assert!(!is_own_origin("https://evil.example", &local));
        assert!(!is_own_origin("null", &local));
        assert!(!is_own_origin("http://127.0.0.1:8080.evil.example", &local));
    }
}
