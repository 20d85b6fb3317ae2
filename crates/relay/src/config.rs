//! What a relay is configured with. The secret lives here and nowhere the browser can see.

use std::fmt;
use std::time::Duration;

use crate::client_ip::Cidr;

/// The relay's configuration.
#[derive(Clone)]
pub struct RelayConfig {
    /// Base URL of the identity provider: `https://…`, or `http://` on loopback only.
    pub upstream: String,
    pub client_id: String,
    pub client_secret: ClientSecret,
    /// Origins allowed by CORS; `*` allows any (tests only).
    pub allowed_origins: Vec<String>,
    /// Passwordless connections the operator enabled.
    pub connections: Vec<String>,
    /// Where magic links may send the user back to (`authParams.redirect_uri`, and
    /// `redirect_uri` of the authorization-code grant): exact matches only.
    pub callbacks: Vec<String>,
    /// Proxies whose `X-Forwarded-For` / `Forwarded` headers are believed.
    pub trusted_proxies: Vec<Cidr>,
    /// Country calling codes (`1`, `44`, …) SMS may be sent to; empty allows all.
    pub sms_country_codes: Vec<String>,
    pub limits: Limits,
    pub timeouts: Timeouts,
    /// Extra PEM root certificates to trust for the upstream (a private CA).
    pub upstream_ca_pem: Option<Vec<u8>>,
    /// Shares rate limits between replicas when set (`redis://host:port`).
    pub redis_url: Option<String>,
}

/// The relay's own rate limits, per hour: a burst of each, then one more every `3600 / limit`
/// seconds (a GCRA, see `limits`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// `/passwordless/start` calls per client (an IPv4 address or an IPv6 /64); the passkey
    /// ceremonies (`/passkey/register`, `/passkey/challenge`) count here too.
    pub start_per_ip: u32,
    /// `/passwordless/start` (and `/passkey/register`) calls per email address or phone number.
    pub start_per_identifier: u32,
    /// Failed `/oauth/token` calls per client.
    pub failed_token_per_ip: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            start_per_ip: 30,
            start_per_identifier: 10,
            failed_token_per_ip: 60,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// A whole request, from the browser's first byte to the relay's last.
    pub request: Duration,
    pub upstream_connect: Duration,
    /// Waiting for the upstream's answer.
    pub upstream_response: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            request: Duration::from_secs(30),
            upstream_connect: Duration::from_secs(5),
            upstream_response: Duration::from_secs(15),
        }
    }
}

/// `client_secret`, which formats as `[redacted]` so that it cannot reach a log by accident.
#[derive(Clone)]
pub struct ClientSecret(String);

impl ClientSecret {
    pub fn new(secret: String) -> Self {
        Self(secret)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Debug for RelayConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RelayConfig")
            .field("upstream", &self.upstream)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("allowed_origins", &self.allowed_origins)
            .field("connections", &self.connections)
            .field("callbacks", &self.callbacks)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("sms_country_codes", &self.sms_country_codes)
            .field("limits", &self.limits)
            .field("timeouts", &self.timeouts)
            .field("redis", &self.redis_url.as_ref().map(|_| "[configured]"))
            .finish()
    }
}

impl RelayConfig {
    pub fn new(upstream: &str, client_id: &str, client_secret: ClientSecret) -> Self {
        Self {
            upstream: upstream.trim_end_matches('/').to_owned(),
            client_id: client_id.to_owned(),
            client_secret,
            allowed_origins: Vec::new(),
            connections: vec!["email".into(), "sms".into()],
            callbacks: Vec::new(),
            trusted_proxies: Vec::new(),
            sms_country_codes: Vec::new(),
            limits: Limits::default(),
            timeouts: Timeouts::default(),
            upstream_ca_pem: None,
            redis_url: None,
        }
    }

    /// Refuses a configuration that would be unsafe: plain HTTP to anything but loopback.
    pub fn check(&self) -> Result<(), String> {
        let Some(rest) = self.upstream.strip_prefix("http://") else {
            return if self.upstream.starts_with("https://") {
                Ok(())
            } else {
                Err(format!(
                    "upstream {} must be an https:// URL",
                    self.upstream
                ))
            };
        };
        let host = rest.split(['/', '?']).next().unwrap_or("");
        let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
        let loopback = host == "localhost"
            || host
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if loopback {
            Ok(())
        } else {
            Err(format!(
                "upstream {} is plain HTTP; only loopback upstreams (the local tenant) may be, use https://",
                self.upstream
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_upstream(upstream: &str) -> RelayConfig {
        RelayConfig::new(upstream, "app", ClientSecret::new("s".into()))
    }

    #[test]
    fn plain_http_is_for_loopback_only() {
        for ok in [
            "https://tenant.auth0.com",
            "http://127.0.0.1:8081",
            "http://localhost:8081",
            "http://[::1]:8081",
        ] {
            assert!(with_upstream(ok).check().is_ok(), "{ok}");
        }
        for bad in [
            "http://tenant.auth0.com",
            "http://10.0.0.1:8081",
            "ftp://x",
            "http://127.0.0.1.evil.com",
        ] {
            assert!(with_upstream(bad).check().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_secret_never_formats() {
        let config = with_upstream("https://t.example");
        let shown = format!("{config:?}");
        assert!(shown.contains("[redacted]"));
        assert!(!shown.contains("client_secret: ClientSecret(\"s\")"));
    }
}
