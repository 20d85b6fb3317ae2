//! The two well-known documents, fetched from the upstream and cached for ten minutes.

use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::error::RelayError;
use crate::upstream::Call;
use crate::Relay;

const TTL: Duration = Duration::from_secs(600);

#[derive(Clone)]
pub(crate) struct CachedDocument {
    fetched: Instant,
    body: bytes::Bytes,
}

pub async fn jwks(State(relay): State<Relay>) -> Result<Response, RelayError> {
    cached(&relay, "/.well-known/jwks.json").await
}

pub async fn openid_configuration(State(relay): State<Relay>) -> Result<Response, RelayError> {
    cached(&relay, "/.well-known/openid-configuration").await
}

async fn cached(relay: &Relay, path: &'static str) -> Result<Response, RelayError> {
    let fresh = relay.inner.discovery.lock().ok().and_then(|cache| {
        cache
            .get(path)
            .filter(|d| d.fetched.elapsed() < TTL)
            .cloned()
    });
    let body = match fresh {
        Some(document) => document.body,
        None => {
            let call = Call::get(path);
            let (reply, elapsed) = relay.upstream().send(call, relay.clock()).await?;
            relay.metrics().upstream_latency("discovery", elapsed);
            if !reply.status.is_success() {
                return Ok(super::forward::pass_through(reply));
            }
            if let Ok(mut cache) = relay.inner.discovery.lock() {
                cache.insert(
                    path,
                    CachedDocument {
                        fetched: Instant::now(),
                        body: reply.body.clone(),
                    },
                );
            }
            reply.body
        }
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=600"),
            ),
        ],
        body,
    )
        .into_response())
}
