//! The one place that talks to the identity provider: HTTPS (rustls, with the system's roots
//! plus the webpki ones and any configured CA), or plain HTTP to a loopback tenant.

mod wire_shape;

use passwordless_wire::codes;
use std::net::IpAddr;
use std::time::{Instant, SystemTime};

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use passwordless_wire::fields::Fields;
use passwordless_wire::FORWARDED_FOR_HEADER;

use crate::clock::WallClock;
use crate::config::RelayConfig;
use crate::error::RelayError;

/// Upstream bodies longer than this are cut (error pages can be large).
const BODY_CAP: usize = 64 * 1024;

/// Headers of an upstream answer that the browser gets too.
const PASSED_HEADERS: [&str; 5] = [
    "content-type",
    "retry-after",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
];

/// An upstream answer, passed back to the browser as it came.
pub struct UpstreamReply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
}

/// One call to make.
pub struct Call<'a> {
    pub method: Method,
    pub path: &'a str,
    pub body: Option<&'a Fields>,
    pub bearer: Option<&'a str>,
    pub client_ip: Option<IpAddr>,
    /// The browser's `x-request-language` / `accept-language`, for the message's language.
    pub language: Option<&'a HeaderMap>,
    /// Whether the answer's `Location` is kept (the My Account API names a new method by it).
    pub location: bool,
}

impl<'a> Call<'a> {
    pub fn new(method: Method, path: &'a str) -> Self {
        Self {
            method,
            path,
            body: None,
            bearer: None,
            client_ip: None,
            language: None,
            location: false,
        }
    }

    pub fn get(path: &'a str) -> Self {
        Self::new(Method::GET, path)
    }

    /// A JSON `POST` on behalf of the browser at `client_ip`.
    pub fn post(path: &'a str, body: &'a Fields, client_ip: IpAddr) -> Self {
        Self {
            body: Some(body),
            client_ip: Some(client_ip),
            ..Self::new(Method::POST, path)
        }
    }

    pub fn bearer(self, token: &'a str) -> Self {
        Self {
            bearer: Some(token),
            ..self
        }
    }

    /// Keeps the answer's `Location` header.
    pub fn with_location(self) -> Self {
        Self {
            location: true,
            ..self
        }
    }
}

/// Request headers passed upstream from the browser (only on `/passwordless/start`).
const LANGUAGE_HEADERS: [&str; 2] = ["x-request-language", "accept-language"];

/// An HTTP client for one upstream base URL.
#[derive(Clone)]
pub struct Upstream {
    base: String,
    http: reqwest::Client,
}

impl Upstream {
    pub fn new(config: &RelayConfig) -> Result<Self, String> {
        config.check()?;
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(config.timeouts.upstream_connect)
            .timeout(config.timeouts.upstream_response)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("passwordless-relay/", env!("CARGO_PKG_VERSION")));
        if let Some(pem) = &config.upstream_ca_pem {
            let certificates = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| format!("the upstream CA file is not PEM certificates: {e}"))?;
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let http = builder
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Self {
            base: config.upstream.clone(),
            http,
        })
    }

    /// Makes `call`; `clock` is read once the answer has come, since a `Retry-After` date
    /// counts from then, not from when the call left.
    pub async fn send(
        &self,
        call: Call<'_>,
        clock: &dyn WallClock,
    ) -> Result<(UpstreamReply, std::time::Duration), RelayError> {
        let mut request = self
            .http
            .request(call.method, format!("{}{}", self.base, call.path));
        if let Some(body) = call.body {
            request = request.json(body);
        }
        if let Some(token) = call.bearer {
            request = request.bearer_auth(token);
        }
        if let Some(ip) = call.client_ip {
            request = request.header(FORWARDED_FOR_HEADER, ip.to_string());
        }
        for name in LANGUAGE_HEADERS {
            if let Some(value) = call.language.and_then(|h| h.get(name)) {
                request = request.header(name, value.as_bytes());
            }
        }
        let started = Instant::now();
        let mut response = request.send().await.map_err(failure)?;
        let status =
            StatusCode::from_u16(response.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
        let mut headers = HeaderMap::new();
        let location = call.location.then_some("location");
        for name in PASSED_HEADERS.into_iter().chain(location) {
            if let Some(value) = response.headers().get(name) {
                if let Ok(value) = HeaderValue::from_bytes(value.as_bytes()) {
                    headers.insert(HeaderName::from_static(name), value);
                }
            }
        }
        retry_after_in_seconds(&mut headers, clock.now());
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(failure)? {
            let room = BODY_CAP - body.len();
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if body.len() == BODY_CAP {
                break;
            }
        }
        let mut reply = UpstreamReply {
            status,
            headers,
            body: body.into(),
        };
        wire_shape::in_the_wire_shape(&mut reply);
        Ok((reply, started.elapsed()))
    }
}

/// A `Retry-After` given as an HTTP date becomes the seconds until then: the browser (and the
/// SDK, which reads only seconds) gets one form whatever the identity provider wrote.
fn retry_after_in_seconds(headers: &mut HeaderMap, now: SystemTime) {
    let Some(value) = headers.get(header::RETRY_AFTER) else {
        return;
    };
    let text = value.to_str().unwrap_or("").trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return;
    }
    match httpdate::parse_http_date(text) {
        Ok(when) => {
            let seconds = when.duration_since(now).map_or(0, |d| d.as_secs());
            headers.insert(header::RETRY_AFTER, seconds.into());
        }
        Err(_) => {
            headers.remove(header::RETRY_AFTER);
        }
    }
}

fn failure(error: reqwest::Error) -> RelayError {
    tracing::warn!(error = %error, "upstream call failed");
    if error.is_timeout() {
        RelayError::new(
            StatusCode::GATEWAY_TIMEOUT,
            codes::UPSTREAM_TIMEOUT,
            "The identity provider did not answer in time.",
        )
    } else {
        RelayError::new(
            StatusCode::BAD_GATEWAY,
            codes::UPSTREAM_UNAVAILABLE,
            "The identity provider could not be reached.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn retry_after(value: &str, now: SystemTime) -> Option<String> {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, value.parse().unwrap());
        retry_after_in_seconds(&mut headers, now);
        headers
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    #[test]
    fn retry_after_dates_become_seconds() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(retry_after("42", now).as_deref(), Some("42"));
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:51:07 GMT", now).as_deref(),
            Some("90")
        );
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now).as_deref(),
            Some("0"),
            "a date in the past: retry now"
        );
        assert_eq!(
            retry_after("soon", now + Duration::ZERO),
            None,
            "garbage is dropped"
        );
    }
}
