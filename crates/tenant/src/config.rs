//! What a tenant is made of: its issuer URL, its clients and its policies; read from a TOML
//! file (`--config`), or the built-in demo when there is none.

use passwordless_wire::names::{CONNECTION_EMAIL, CONNECTION_SMS};
use passwordless_wire::{
    GRANT_AUTHORIZATION_CODE, GRANT_MFA_OOB, GRANT_MFA_OTP, GRANT_MFA_RECOVERY_CODE,
    GRANT_PASSWORDLESS_OTP, GRANT_REFRESH_TOKEN, GRANT_WEBAUTHN,
};

use crate::messages;
pub use crate::policies::{CodePolicy, MfaPolicy};

/// An application registered with the tenant.
#[derive(Debug, Clone)]
pub struct Client {
    pub client_id: String,
    /// `None` for a public client; the demo client is confidential (a Regular Web Application).
    pub client_secret: Option<String>,
    /// Where magic links may redirect to (exact match).
    pub callbacks: Vec<String>,
    pub allowed_origins: Vec<String>,
    /// Honour `auth0-forwarded-for` when the call carries this client's secret.
    pub trust_forwarded_for: bool,
    pub grant_types: Vec<String>,
    /// Passwordless connections enabled for this client (`email`, `sms`).
    pub connections: Vec<String>,
    /// The app's page that signs in with a code link: code messages then also carry
    /// `{code_link_url}#otp=<code>&email=<address>` (or `&phone_number=`). Never holds a `#`.
    pub code_link_url: Option<String>,
}

impl Client {
    pub fn may_use(&self, grant_type: &str) -> bool {
        self.grant_types.iter().any(|g| g == grant_type)
    }
}

/// Magic links with `response_type` `token` / `id_token` (Auth0's "Implicit" grant setting).
pub const GRANT_IMPLICIT: &str = "implicit";

/// Grant types a client may use unless its configuration says otherwise.
pub fn default_grant_types() -> Vec<String> {
    [
        GRANT_PASSWORDLESS_OTP,
        GRANT_AUTHORIZATION_CODE,
        GRANT_REFRESH_TOKEN,
        GRANT_IMPLICIT,
        GRANT_MFA_OTP,
        GRANT_MFA_OOB,
        GRANT_MFA_RECOVERY_CODE,
        GRANT_WEBAUTHN,
    ]
    .iter()
    .map(|g| (*g).to_owned())
    .collect()
}

/// Connections enabled for a client unless its configuration says otherwise.
pub fn default_connections() -> Vec<String> {
    vec![CONNECTION_EMAIL.into(), CONNECTION_SMS.into()]
}

/// Phone numbers starting with this (an unassigned country code) make the local tenant's
/// simulated SMS provider fail, so that `sms_provider_error` can be seen and tested.
pub const FAILING_SMS_PREFIX: &str = "+999";

/// The whole configuration of one tenant.
#[derive(Debug, Clone)]
pub struct TenantConfig {
    /// Public base URL; `iss` is this with a trailing slash.
    pub issuer_base: String,
    pub clients: Vec<Client>,
    pub codes: CodePolicy,
    /// Lifetime of ID and access tokens.
    pub token_lifetime_secs: u64,
    /// Lifetime of an authorization code from a magic link.
    pub authorization_code_lifetime_secs: u64,
    /// `POST /passwordless/start` calls allowed per IP per hour.
    pub start_limit_per_hour: u32,
    /// Languages messages are written in; the first is the fallback.
    pub languages: Vec<String>,
    /// Who must pass a second factor.
    pub mfa_policy: MfaPolicy,
    /// The WebAuthn relying party id of passkeys (a domain, never an IP); `None`: the
    /// issuer's host (see [`TenantConfig::rp_id`]).
    pub rp_id: Option<String>,
    /// The relying party's name shown by authenticators; `None`: the rp id.
    pub rp_name: Option<String>,
}

/// The client id of the built-in demo application, so that no config is needed.
pub const DEMO_CLIENT_ID: &str = "demo-client";

impl TenantConfig {
    /// A tenant at `issuer_base` with default policies and no clients.
    pub fn empty(issuer_base: &str) -> Self {
        Self {
            issuer_base: issuer_base.trim_end_matches('/').to_owned(),
            clients: Vec::new(),
            codes: CodePolicy::default(),
            token_lifetime_secs: 86_400,
            authorization_code_lifetime_secs: 60,
            start_limit_per_hour: 50,
            languages: messages::SUPPORTED
                .iter()
                .map(|l| (*l).to_owned())
                .collect(),
            mfa_policy: MfaPolicy::WhenEnrolled,
            rp_id: None,
            rp_name: None,
        }
    }

    /// A tenant at `issuer_base` with one built-in confidential demo client whose callback is
    /// each origin's `/`.
    pub fn demo(issuer_base: &str, demo_secret: String, origins: Vec<String>) -> Self {
        let mut config = Self::empty(issuer_base);
        config.clients.push(Client {
            client_id: DEMO_CLIENT_ID.to_owned(),
            client_secret: Some(demo_secret),
            callbacks: origins.iter().map(|o| format!("{o}/")).collect(),
            allowed_origins: origins,
            trust_forwarded_for: true,
            grant_types: default_grant_types(),
            connections: default_connections(),
            code_link_url: None,
        });
        config
    }

    /// `iss` of every token: the issuer URL with a trailing slash.
    pub fn issuer(&self) -> String {
        format!("{}/", self.issuer_base)
    }

    /// The passkeys' relying party id: the configured one, else the issuer's host, except
    /// that a loopback IP becomes `localhost` (WebAuthn refuses an IP as rp id, and browsers
    /// treat `localhost` as the same machine).
    pub fn rp_id(&self) -> String {
        if let Some(rp_id) = &self.rp_id {
            return rp_id.clone();
        }
        let host = url::Url::parse(&self.issuer_base)
            .ok()
            .and_then(|url| url.host().map(|h| h.to_owned()));
        match host {
            Some(url::Host::Domain(domain)) => domain,
            Some(url::Host::Ipv4(ip)) if !ip.is_loopback() => ip.to_string(),
            Some(url::Host::Ipv6(ip)) if !ip.is_loopback() => ip.to_string(),
            _ => "localhost".to_owned(),
        }
    }

    /// The relying party's name: the configured one, else the rp id.
    pub fn rp_name(&self) -> String {
        self.rp_name.clone().unwrap_or_else(|| self.rp_id())
    }

    pub fn client(&self, client_id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }
}
