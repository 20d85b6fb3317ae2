//! What a tenant is made of: its issuer URL, its clients and its code policy.

/// An application registered with the tenant.
#[derive(Debug, Clone)]
pub struct Client {
    pub client_id: String,
    /// `None` for a public client; the demo client is confidential (a Regular Web Application).
    pub client_secret: Option<String>,
    pub callbacks: Vec<String>,
    pub allowed_origins: Vec<String>,
    /// Honour `auth0-forwarded-for` when the call carries this client's secret.
    pub trust_forwarded_for: bool,
}

/// How one-time codes behave (Auth0's defaults).
#[derive(Debug, Clone, Copy)]
pub struct CodePolicy {
    pub length: u32,
    pub lifetime_secs: u64,
    pub max_tries: u32,
}

impl Default for CodePolicy {
    fn default() -> Self {
        Self {
            length: 6,
            lifetime_secs: 180,
            max_tries: 3,
        }
    }
}

/// The whole configuration of one tenant.
#[derive(Debug, Clone)]
pub struct TenantConfig {
    /// Public base URL; `iss` is this with a trailing slash.
    pub issuer_base: String,
    pub clients: Vec<Client>,
    pub codes: CodePolicy,
    /// Lifetime of ID and access tokens.
    pub token_lifetime_secs: u64,
}

/// The client id of the built-in demo application, so that no config is needed.
pub const DEMO_CLIENT_ID: &str = "demo-client";

impl TenantConfig {
    /// A tenant at `issuer_base` with one built-in confidential demo client.
    pub fn demo(issuer_base: &str, demo_secret: String, origins: Vec<String>) -> Self {
        Self {
            issuer_base: issuer_base.trim_end_matches('/').to_owned(),
            clients: vec![Client {
                client_id: DEMO_CLIENT_ID.to_owned(),
                client_secret: Some(demo_secret),
                callbacks: origins.iter().map(|o| format!("{o}/")).collect(),
                allowed_origins: origins,
                trust_forwarded_for: true,
            }],
            codes: CodePolicy::default(),
            token_lifetime_secs: 86_400,
        }
    }

    /// `iss` of every token: the issuer URL with a trailing slash.
    pub fn issuer(&self) -> String {
        format!("{}/", self.issuer_base)
    }

    pub fn client(&self, client_id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }
}
