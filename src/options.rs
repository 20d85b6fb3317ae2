//! The client's options, checked once at construction. The JS shell keeps the checked options
//! (written back by [`ClientOptions::write`], with the same member names) and hands them to
//! every later operation.

use alloc::borrow::ToOwned;
use alloc::string::String;

use crate::error::SdkError;
use crate::json::write::Object;
use crate::json::Value;

/// Auth0's default scope for embedded login.
pub const DEFAULT_SCOPE: &str = "openid profile email";
const DEFAULT_TIMEOUT_MS: u64 = 15_000;

/// Where a magic link's transaction waits for its callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStorage {
    /// `sessionStorage`: only the tab that asked for the link.
    Session,
    /// `localStorage`: any tab of this browser.
    Local,
}

/// Checked options, borrowing from the JSON they were read from.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions<'v> {
    /// The relay's URL without a trailing slash.
    pub base_url: String,
    pub client_id: &'v str,
    pub redirect_uri: Option<&'v str>,
    pub audience: Option<&'v str>,
    pub scope: &'v str,
    pub timeout_ms: u64,
    pub language: Option<&'v str>,
    pub code_length: u8,
    pub link_storage: LinkStorage,
}

/// A whole number option: absent, or present and within `range`.
fn bounded_whole(value: &Value<'_>, range: core::ops::RangeInclusive<u64>) -> Option<Option<u64>> {
    if value.is_null() {
        return Some(None);
    }
    value.as_whole().filter(|n| range.contains(n)).map(Some)
}

impl<'v> ClientOptions<'v> {
    /// Checks the options object the page passed; the error names the bad option.
    pub fn parse(raw: &'v Value<'_>) -> Result<Self, SdkError> {
        if !matches!(raw, Value::Object(_)) {
            return Err(SdkError::invalid_options(
                "options must be an object with domain and clientId",
            ));
        }
        let text = |key: &str| raw.get(key).text();
        let domain = text("domain").ok_or_else(|| {
            SdkError::invalid_options("domain is required: the URL of your relay")
        })?;
        let base_url = base_url(domain)?;
        let client_id =
            text("clientId").ok_or_else(|| SdkError::invalid_options("clientId is required"))?;
        let redirect_uri = text("redirectUri");
        if redirect_uri.is_some_and(|u| !is_http_url(u)) {
            return Err(SdkError::invalid_options(
                "redirectUri must be an absolute http(s) URL",
            ));
        }
        let scope = text("scope").unwrap_or(DEFAULT_SCOPE);
        if !scope
            .as_bytes()
            .split(|b| *b == b' ')
            .any(|s| s == b"openid")
        {
            return Err(SdkError::invalid_options("scope must include \"openid\""));
        }
        let timeout_ms = bounded_whole(raw.get("timeoutMs"), 1..=600_000).ok_or_else(|| {
            SdkError::invalid_options("timeoutMs must be whole milliseconds from 1 to 600000")
        })?;
        let code_length = bounded_whole(raw.get("codeLength"), 4..=10).ok_or_else(|| {
            SdkError::invalid_options("codeLength must be a whole number from 4 to 10")
        })?;
        let language = text("language");
        if language.is_some_and(|l| {
            !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') || l.len() > 35
        }) {
            return Err(SdkError::invalid_options(
                "language must be a language tag such as \"fr\" or \"pt-BR\"",
            ));
        }
        let link_storage = match raw.get("linkStorage") {
            Value::Null => LinkStorage::Session,
            v if v.as_str() == Some("session") => LinkStorage::Session,
            v if v.as_str() == Some("local") => LinkStorage::Local,
            _ => {
                return Err(SdkError::invalid_options(
                    "linkStorage must be \"session\" or \"local\"",
                ))
            }
        };
        Ok(Self {
            base_url,
            client_id,
            redirect_uri,
            audience: text("audience"),
            scope,
            timeout_ms: timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS),
            language,
            code_length: code_length.map_or(6, |n| n as u8),
            link_storage,
        })
    }

    /// The checked options, under the names the page uses (parsing them again gives the same).
    pub fn write(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.str("domain", &self.base_url);
        o.str("clientId", self.client_id);
        o.opt_str("redirectUri", self.redirect_uri);
        o.opt_str("audience", self.audience);
        o.str("scope", self.scope);
        o.number("timeoutMs", self.timeout_ms);
        o.opt_str("language", self.language);
        o.number("codeLength", self.code_length.into());
        o.str(
            "linkStorage",
            match self.link_storage {
                LinkStorage::Session => "session",
                LinkStorage::Local => "local",
            },
        );
        o.end();
    }

    /// The relay's URL for `path`.
    pub fn url(&self, path: &str) -> String {
        let mut url = String::with_capacity(self.base_url.len() + path.len());
        url.push_str(&self.base_url);
        url.push_str(path);
        url
    }
}

/// `http(s)://` followed by a host.
fn is_http_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.bytes().any(|b| b <= b' '))
}

fn bad_domain() -> SdkError {
    SdkError::invalid_options(
        "domain must be a host name or an http(s) URL without query or fragment",
    )
}

/// `https://` is assumed for a bare host name (as Auth0's SDKs do for `domain`).
fn base_url(domain: &str) -> Result<String, SdkError> {
    let mut url = if domain.starts_with("https://") || domain.starts_with("http://") {
        domain.to_owned()
    } else if domain.as_bytes().windows(3).any(|w| w == b"://") {
        return Err(bad_domain());
    } else {
        let mut url = String::from("https://");
        url.push_str(domain);
        url
    };
    if !is_http_url(&url) || url.bytes().any(|b| b == b'?' || b == b'#') {
        return Err(bad_domain());
    }
    while url.ends_with('/') {
        url.pop();
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    /// Parses `json` and checks it as options (leaked: tests only).
    fn options(json: &str) -> Result<ClientOptions<'static>, SdkError> {
        let json = std::boxed::Box::leak(String::from(json).into_boxed_str());
        let value = std::boxed::Box::leak(std::boxed::Box::new(parse(json).unwrap()));
        ClientOptions::parse(value)
    }

    fn with_domain(domain: &str) -> Result<ClientOptions<'static>, SdkError> {
        let mut json = String::from(r#"{"clientId":"app","domain":"#);
        crate::json::write::string(&mut json, domain);
        json.push('}');
        options(&json)
    }

    #[test]
    fn domains_become_base_urls() {
        assert_eq!(
            with_domain("auth.example.com").unwrap().base_url,
            "https://auth.example.com"
        );
        assert_eq!(
            with_domain("http://127.0.0.1:8080/").unwrap().base_url,
            "http://127.0.0.1:8080"
        );
        let o = with_domain("https://app.example.com/auth").unwrap();
        assert_eq!(
            o.url("/oauth/token"),
            "https://app.example.com/auth/oauth/token"
        );
        assert_eq!(
            (o.scope, o.code_length, o.link_storage, o.timeout_ms),
            (DEFAULT_SCOPE, 6, LinkStorage::Session, 15_000)
        );
    }

    #[test]
    fn written_options_read_back_the_same() {
        let o = options(
            r#"{"domain":"x.com/","clientId":"app","redirectUri":"https://x.com/cb","audience":"api",
            "timeoutMs":500,"language":"fr","codeLength":8,"linkStorage":"local"}"#,
        )
        .unwrap();
        let mut out = String::new();
        o.write(&mut out);
        assert_eq!(options(&out).unwrap(), o);
        assert_eq!((o.timeout_ms, o.code_length), (500, 8));
    }

    #[test]
    fn bad_options_are_refused_with_the_field_named() {
        for bad in ["", "ftp://x", "https://", "https://x/?a=1", "https:///path"] {
            let e = with_domain(bad).unwrap_err();
            assert_eq!(e.code, "invalid_options", "{bad}");
            assert!(e.description.contains("domain"), "{bad}: {}", e.description);
        }
        for (json, field) in [
            (r#"null"#, "options"),
            (r#"{"domain":"x.com"}"#, "clientId"),
            (r#"{"domain":"x.com","clientId":7}"#, "clientId"),
            (
                r#"{"domain":"x.com","clientId":"a","scope":"email"}"#,
                "openid",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","timeoutMs":"5"}"#,
                "timeoutMs",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","timeoutMs":0}"#,
                "timeoutMs",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","timeoutMs":1.5}"#,
                "timeoutMs",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","redirectUri":"/cb"}"#,
                "redirectUri",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","codeLength":6.5}"#,
                "codeLength",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","codeLength":11}"#,
                "codeLength",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","language":"fr; drop"}"#,
                "language",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","linkStorage":"cookie"}"#,
                "linkStorage",
            ),
        ] {
            let e = options(json).unwrap_err();
            assert_eq!(e.code, "invalid_options", "{json}");
            assert!(e.description.contains(field), "{field}: {}", e.description);
        }
    }
}
