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
    pub redirect_uri: Option<String>,
    pub audience: Option<String>,
    pub scope: Option<String>,
    pub timeout_ms: Option<f64>,
    pub language: Option<String>,
    pub code_length: Option<f64>,
    pub link_storage: Option<String>,
}

/// Where a magic link's `state` and `nonce` wait for the callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStorage {
    /// This tab only (the default): a link opened in another tab or browser is refused.
    Session,
    /// Every tab of this origin in this browser.
    Local,
}

/// Checked options.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    /// Base URL of the relay (or tenant), without a trailing slash.
    pub base_url: String,
    pub client_id: String,
    pub redirect_uri: Option<String>,
    pub audience: Option<String>,
    pub scope: String,
    pub timeout_ms: u32,
    pub language: Option<String>,
    pub code_length: u8,
    pub link_storage: LinkStorage,
}

fn trimmed(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl ClientOptions {
    pub fn parse(raw: RawOptions) -> Result<Self, SdkError> {
        let domain = trimmed(raw.domain).ok_or_else(|| {
            SdkError::invalid_options(
                "domain is required: the URL of your relay, e.g. \"https://app.example.com/auth\"",
            )
        })?;
        let base_url = base_url(&domain)?;
        let client_id = trimmed(raw.client_id)
            .ok_or_else(|| SdkError::invalid_options("clientId is required"))?;
        let redirect_uri = trimmed(raw.redirect_uri);
        if redirect_uri.as_deref().is_some_and(|u| !is_http_url(u)) {
            return Err(SdkError::invalid_options(
                "redirectUri must be an absolute http(s) URL",
            ));
        }
        let scope = trimmed(raw.scope).unwrap_or_else(|| DEFAULT_SCOPE.to_owned());
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
        let code_length = match raw.code_length {
            None => 6,
            Some(n) if (4.0..=10.0).contains(&n) && n.fract() == 0.0 => n as u8,
            Some(_) => {
                return Err(SdkError::invalid_options(
                    "codeLength must be a whole number from 4 to 10",
                ))
            }
        };
        let language = trimmed(raw.language);
        if language.as_deref().is_some_and(|l| {
            !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') || l.len() > 35
        }) {
            return Err(SdkError::invalid_options(
                "language must be a language tag such as \"fr\" or \"pt-BR\"",
            ));
        }
        let link_storage = match raw.link_storage.as_deref() {
            None | Some("session") => LinkStorage::Session,
            Some("local") => LinkStorage::Local,
            Some(_) => {
                return Err(SdkError::invalid_options(
                    "linkStorage must be \"session\" or \"local\"",
                ))
            }
        };
        Ok(Self {
            base_url,
            client_id,
            redirect_uri,
            audience: trimmed(raw.audience),
            scope,
            timeout_ms,
            language,
            code_length,
            link_storage,
        })
    }

    pub fn url(&self, path: &str) -> String {
        let mut url = String::with_capacity(self.base_url.len() + path.len());
        url.push_str(&self.base_url);
        url.push_str(path);
        url
    }
}

fn is_http_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}

/// `https://` is assumed for a bare host; `http://` is accepted for local development.
fn base_url(domain: &str) -> Result<String, SdkError> {
    let url = if domain.starts_with("https://") || domain.starts_with("http://") {
        domain.to_owned()
    } else if domain.split_once("://").is_some() {
        return Err(SdkError::invalid_options(
            "domain must be an http(s) URL or a host name",
        ));
    } else {
        let mut url = String::from("https://");
        url.push_str(domain);
        url
    };
    if !is_http_url(&url) || url.contains(['?', '#']) {
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
        assert_eq!(
            (o.scope.as_str(), o.code_length, o.link_storage),
            (DEFAULT_SCOPE, 6, LinkStorage::Session)
        );
    }

    #[test]
    fn bad_options_are_refused_with_the_field_named() {
        for bad in ["", "ftp://x", "https://", "https://x/?a=1", "https:///path"] {
            let e = ClientOptions::parse(raw(bad)).unwrap_err();
            assert_eq!(e.code, "invalid_options", "{bad}");
            assert!(e.description.contains("domain"), "{bad}: {}", e.description);
        }
        let cases: Vec<(RawOptions, &str)> = vec![
            (
                RawOptions {
                    client_id: None,
                    ..raw("x.com")
                },
                "clientId",
            ),
            (
                RawOptions {
                    scope: Some("email".into()),
                    ..raw("x.com")
                },
                "openid",
            ),
            (
                RawOptions {
                    timeout_ms: Some(f64::NAN),
                    ..raw("x.com")
                },
                "timeoutMs",
            ),
            (
                RawOptions {
                    redirect_uri: Some("/callback".into()),
                    ..raw("x.com")
                },
                "redirectUri",
            ),
            (
                RawOptions {
                    code_length: Some(6.5),
                    ..raw("x.com")
                },
                "codeLength",
            ),
            (
                RawOptions {
                    language: Some("fr; drop".into()),
                    ..raw("x.com")
                },
                "language",
            ),
            (
                RawOptions {
                    link_storage: Some("cookie".into()),
                    ..raw("x.com")
                },
                "linkStorage",
            ),
        ];
        for (options, field) in cases {
            let e = ClientOptions::parse(options).unwrap_err();
            assert!(e.description.contains(field), "{field}: {}", e.description);
        }
    }
}
