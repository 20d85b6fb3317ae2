//! The client's options, checked once at construction.

use crate::error::SdkError;

/// Auth0's default scope for embedded login.
pub const DEFAULT_SCOPE: &str = "openid profile email";
const DEFAULT_TIMEOUT_MS: u32 = 15_000;

/// Options as they arrive from JavaScript, before checking.
#[derive(Debug, Default, Clone)]
pub struct RawOptions {
    pub domain: Option<String>,
    pub client_id: Option<String>,
    pub scope: Option<String>,
    pub timeout_ms: Option<f64>,
}

/// Checked options.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    /// Base URL of the relay (or tenant), without a trailing slash.
    pub base_url: String,
    pub client_id: String,
    pub scope: String,
    pub timeout_ms: u32,
}

impl ClientOptions {
    pub fn parse(raw: RawOptions) -> Result<Self, SdkError> {
        let domain = raw
            .domain
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty())
            .ok_or_else(|| SdkError::invalid_options("domain is required: the URL of your relay, e.g. \"https://app.example.com/auth\""))?;
        let base_url = base_url(&domain)?;
        let client_id = raw
            .client_id
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .ok_or_else(|| SdkError::invalid_options("clientId is required"))?;
        let scope = raw.scope.unwrap_or_else(|| DEFAULT_SCOPE.to_owned());
        if !scope.split_whitespace().any(|s| s == "openid") {
            return Err(SdkError::invalid_options(
                "scope must include \"openid\" so that the server returns an ID token",
            ));
        }
        let timeout_ms = match raw.timeout_ms {
            None => DEFAULT_TIMEOUT_MS,
            Some(t) if (1.0..=600_000.0).contains(&t) => t as u32,
            Some(_) => {
                return Err(SdkError::invalid_options(
                    "timeoutMs must be a number of milliseconds between 1 and 600000",
                ))
            }
        };
        Ok(Self {
            base_url,
            client_id,
            scope,
            timeout_ms,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// `https://` is assumed for a bare host; `http://` is accepted for local development.
fn base_url(domain: &str) -> Result<String, SdkError> {
    let url = if domain.starts_with("https://") || domain.starts_with("http://") {
        domain.to_owned()
    } else if domain.contains("://") {
        return Err(SdkError::invalid_options(
            "domain must be an http(s) URL or a host name",
        ));
    } else {
        format!("https://{domain}")
    };
    let host = url.split("://").nth(1).unwrap_or("");
    if host.is_empty() || host.starts_with('/') || url.contains(['?', '#', ' ']) {
        return Err(SdkError::invalid_options(
            "domain must be a URL such as \"https://app.example.com/auth\", without query or fragment",
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(domain: &str) -> RawOptions {
        RawOptions {
            domain: Some(domain.into()),
            client_id: Some("app".into()),
            ..RawOptions::default()
        }
    }

    #[test]
    fn domains_become_base_urls() {
        assert_eq!(
            ClientOptions::parse(raw("auth.example.com"))
                .unwrap()
                .base_url,
            "https://auth.example.com"
        );
        assert_eq!(
            ClientOptions::parse(raw("http://127.0.0.1:8080/"))
                .unwrap()
                .base_url,
            "http://127.0.0.1:8080"
        );
        let o = ClientOptions::parse(raw("https://app.example.com/auth")).unwrap();
        assert_eq!(
            o.url("/oauth/token"),
            "https://app.example.com/auth/oauth/token"
        );
        assert_eq!(o.scope, DEFAULT_SCOPE);
    }

    #[test]
    fn bad_options_are_refused_with_the_field_named() {
        for bad in ["", "ftp://x", "https://", "https://x/?a=1", "https:///path"] {
            let e = ClientOptions::parse(raw(bad)).unwrap_err();
            assert_eq!(e.code, "invalid_options", "{bad}");
            assert!(e.description.contains("domain"), "{bad}: {}", e.description);
        }
        let e = ClientOptions::parse(RawOptions {
            client_id: None,
            ..raw("x.com")
        })
        .unwrap_err();
        assert!(e.description.contains("clientId"));
        let e = ClientOptions::parse(RawOptions {
            scope: Some("email".into()),
            ..raw("x.com")
        })
        .unwrap_err();
        assert!(e.description.contains("openid"));
        let e = ClientOptions::parse(RawOptions {
            timeout_ms: Some(f64::NAN),
            ..raw("x.com")
        })
        .unwrap_err();
        assert!(e.description.contains("timeoutMs"));
    }
}
