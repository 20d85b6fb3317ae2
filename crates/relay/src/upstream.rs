//! The one place that talks to the identity provider.

use std::net::IpAddr;
use std::time::Duration;

use axum::http::StatusCode;
use passwordless_wire::fields::Fields;
use passwordless_wire::FORWARDED_FOR_HEADER;

use crate::error::RelayError;

/// An upstream answer, passed back to the browser as it came (status and body).
pub struct UpstreamReply {
    pub status: StatusCode,
    pub content_type: Option<String>,
    pub body: bytes::Bytes,
}

/// An HTTP client for one upstream base URL.
#[derive(Clone)]
pub struct Upstream {
    base: String,
    http: reqwest::Client,
}

impl Upstream {
    pub fn new(base: &str) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            http,
        })
    }

    /// `POST {base}{path}` with a JSON body, telling the upstream the end user's IP.
    pub async fn post(
        &self,
        path: &str,
        body: &Fields,
        client_ip: IpAddr,
    ) -> Result<UpstreamReply, RelayError> {
        let request = self
            .http
            .post(format!("{}{path}", self.base))
            .header(FORWARDED_FOR_HEADER, client_ip.to_string())
            .json(body);
        reply(request.send().await).await
    }

    /// `GET {base}{path}`.
    pub async fn get(&self, path: &str) -> Result<UpstreamReply, RelayError> {
        reply(self.http.get(format!("{}{path}", self.base)).send().await).await
    }
}

async fn reply(
    sent: Result<reqwest::Response, reqwest::Error>,
) -> Result<UpstreamReply, RelayError> {
    let response = sent.map_err(unreachable)?;
    let status =
        StatusCode::from_u16(response.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.bytes().await.map_err(unreachable)?;
    Ok(UpstreamReply {
        status,
        content_type,
        body,
    })
}

fn unreachable(error: reqwest::Error) -> RelayError {
    tracing::warn!(%error, "upstream call failed");
    if error.is_timeout() {
        RelayError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "upstream_timeout",
            "The identity provider did not answer in time.",
        )
    } else {
        RelayError::new(
            StatusCode::BAD_GATEWAY,
            "upstream_unavailable",
            "The identity provider could not be reached.",
        )
    }
}
