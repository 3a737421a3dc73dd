//! Bounded work: a few requests are worked on at once, a bounded number wait their turn, and the
//! rest are turned away at once with 503 and `Retry-After` — so a burst of large requests cannot
//! hold more than a few bodies in memory or queue without end.

use super::RETRY_AFTER_SECS;
use super::api::ApiError;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// `slots` at work, at most `queue` more waiting.
pub struct Admission {
    slots: Arc<Semaphore>,
    /// Requests working or waiting.
    in_line: Arc<AtomicUsize>,
    limit: usize,
}

/// A place in line; while held (after [`Admission::enter`] returns) the work may run. Dropping it,
/// also while still waiting, frees the place.
pub struct Ticket {
    _permit: OwnedSemaphorePermit,
    _place: Place,
}

struct Place(Arc<AtomicUsize>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The queue is full.
#[derive(Debug)]
pub struct Busy;

impl IntoResponse for Busy {
    fn into_response(self) -> Response {
        let mut r = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "服务器繁忙 the server is busy with other requests: please try again in {RETRY_AFTER_SECS} seconds"
            ),
        )
        .into_response();
        r.headers_mut()
            .insert("retry-after", HeaderValue::from(RETRY_AFTER_SECS));
        r
    }
}

impl Admission {
    pub fn new(slots: usize, queue: usize) -> Admission {
        Admission {
            slots: Arc::new(Semaphore::new(slots)),
            in_line: Arc::new(AtomicUsize::new(0)),
            limit: slots + queue,
        }
    }

    /// Waits for a slot, or fails at once when `slots + queue` requests are already in line.
    pub async fn enter(&self) -> Result<Ticket, Busy> {
        let before = self.in_line.fetch_add(1, Ordering::AcqRel);
        let place = Place(self.in_line.clone());
        if before >= self.limit {
            return Err(Busy);
        }
        let permit = self.slots.clone().acquire_owned().await.map_err(|_| Busy)?;
        Ok(Ticket {
            _permit: permit,
            _place: place,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_line_turns_requests_away_and_frees_places_on_drop() {
        let a = Arc::new(Admission::new(1, 1));
        let first = a.enter().await.expect("a free slot");
        // The second waits for the slot; the third finds the line full.
        let (tx, rx) = tokio::sync::oneshot::channel();
        let a2 = a.clone();
        let second = tokio::spawn(async move {
            let t = a2.enter().await;
            let _ = tx.send(());
            t.is_ok()
        });
        while a.in_line.load(Ordering::Acquire) < 2 {
            tokio::task::yield_now().await;
        }
        assert!(a.enter().await.is_err(), "the line is full");
        drop(first);
        rx.await.expect("the waiting one gets the slot");
        assert!(second.await.expect("task"));
        assert!(a.enter().await.is_ok(), "places are freed when tickets drop");
        assert_eq!(a.in_line.load(Ordering::Acquire), 0);
    }
}
