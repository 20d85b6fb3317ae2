//! What a relay is configured with. The secret lives here and nowhere the browser can see.

use std::fmt;

/// The relay's configuration.
#[derive(Clone)]
pub struct RelayConfig {
    /// Base URL of the identity provider (an Auth0 tenant, or the local tenant).
    pub upstream: String,
    pub client_id: String,
    pub client_secret: ClientSecret,
    /// Origins allowed by CORS; `*` allows any (tests only).
    pub allowed_origins: Vec<String>,
    /// Passwordless connections the operator enabled.
    pub connections: Vec<String>,
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
        }
    }
}
