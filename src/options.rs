//! The client's options: what the page passes (`ClientOptions` in the `.d.ts`), checked once
//! at construction into [`Options`].

use serde::Deserialize;

use crate::error::SdkError;
use crate::given::{Given, Members, Wrong};

/// Auth0's default scope for embedded login.
pub const DEFAULT_SCOPE: &str = "openid profile email";
const DEFAULT_TIMEOUT_MS: u32 = 15_000;

/// Where a magic link's transaction waits for its callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkStorage {
    /// `sessionStorage`: only the tab that asked for the link.
    Session,
    /// `localStorage`: any tab of this browser, such as the one a mail client opens (the
    /// default).
    #[default]
    Local,
}

/// Where a signed-in session is kept (auth0-spa-js's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CacheLocation {
    /// This page only: a reload signs the user out (the default).
    #[default]
    Memory,
    /// `localStorage`: kept across reloads and shared by this browser's tabs.
    LocalStorage,
}

/// How long a link's transaction is kept by default: Auth0's (and the local tenant's)
/// one-time code lifetime.
const DEFAULT_LINK_LIFETIME_SECS: u32 = 180;

/// The options object as the page passes it (each value checked by [`ClientOptions::check`]).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClientOptions {
    pub domain: Given,
    pub client_id: Given,
    pub redirect_uri: Given,
    pub audience: Given,
    pub scope: Given,
    /// Whole milliseconds.
    pub timeout_ms: Given,
    pub language: Given,
    pub code_length: Given,
    /// `"local"` (the default) or `"session"`.
    pub link_storage: Given,
    /// Seconds a magic link stays usable: set it to your tenant's code lifetime.
    pub link_lifetime_seconds: Given,
    /// `"memory"` (the default) or `"localstorage"`.
    pub cache_location: Given,
    /// Seconds before `start()` sends another code to the same address.
    pub resend_after_seconds: Given,
}

impl Members for ClientOptions {
    fn members(&mut self) -> Vec<(&'static str, &mut Given)> {
        vec![
            ("domain", &mut self.domain),
            ("clientId", &mut self.client_id),
            ("redirectUri", &mut self.redirect_uri),
            ("audience", &mut self.audience),
            ("scope", &mut self.scope),
            ("timeoutMs", &mut self.timeout_ms),
            ("language", &mut self.language),
            ("codeLength", &mut self.code_length),
            ("linkStorage", &mut self.link_storage),
            ("linkLifetimeSeconds", &mut self.link_lifetime_seconds),
            ("cacheLocation", &mut self.cache_location),
            ("resendAfterSeconds", &mut self.resend_after_seconds),
        ]
    }
}

/// A string option; an empty one counts as absent.
fn text(given: &Given, field: &'static str) -> Result<Option<String>, SdkError> {
    let text = given.text(field).map_err(Wrong::option)?;
    Ok(text.filter(|s| !s.is_empty()).map(str::to_owned))
}

/// Checked options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The relay's URL without a trailing slash.
    pub base_url: String,
    pub client_id: String,
    pub redirect_uri: Option<String>,
    pub audience: Option<String>,
    pub scope: String,
    pub timeout_ms: u32,
    pub language: Option<String>,
    pub code_length: u8,
    pub link_storage: LinkStorage,
    pub link_lifetime_secs: u32,
    pub cache_location: CacheLocation,
    pub resend_after_secs: u32,
}

impl ClientOptions {
    /// Checks the options; the error names the bad one.
    pub fn check(self) -> Result<Options, SdkError> {
        let domain = text(&self.domain, "domain")?.ok_or_else(|| {
            SdkError::invalid_options("domain is required: the URL of your relay")
        })?;
        let base_url = base_url(domain)?;
        let client_id = text(&self.client_id, "clientId")?
            .ok_or_else(|| SdkError::invalid_options("clientId is required"))?;
        let redirect_uri = text(&self.redirect_uri, "redirectUri")?;
        if redirect_uri.as_deref().is_some_and(|u| !is_http_url(u)) {
            return Err(SdkError::invalid_options(
                "redirectUri must be an absolute http(s) URL",
            ));
        }
        let scope = text(&self.scope, "scope")?.unwrap_or_else(|| DEFAULT_SCOPE.into());
        if !scope.split(' ').any(|s| s == "openid") {
            return Err(SdkError::invalid_options("scope must include \"openid\""));
        }
        let timeout_ms = (self.timeout_ms.whole("timeoutMs"))
            .map_err(Wrong::option)?
            .unwrap_or(DEFAULT_TIMEOUT_MS);
        if !(1..=600_000).contains(&timeout_ms) {
            return Err(SdkError::invalid_options(
                "timeoutMs must be whole milliseconds from 1 to 600000",
            ));
        }
        let code_length = match self
            .code_length
            .whole("codeLength")
            .map_err(Wrong::option)?
        {
            None => 6,
            Some(n @ 4..=10) => n as u8,
            _ => {
                return Err(SdkError::invalid_options(
                    "codeLength must be a whole number from 4 to 10",
                ))
            }
        };
        let link_storage = match text(&self.link_storage, "linkStorage")?.as_deref() {
            None | Some("local") => LinkStorage::Local,
            Some("session") => LinkStorage::Session,
            Some(_) => {
                return Err(SdkError::invalid_options(
                    "linkStorage must be \"local\" or \"session\"",
                ))
            }
        };
        let language = text(&self.language, "language")?;
        if language.as_deref().is_some_and(|l| {
            !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') || l.len() > 35
        }) {
            return Err(SdkError::invalid_options(
                "language must be a language tag such as \"fr\" or \"pt-BR\"",
            ));
        }
        Ok(Options {
            base_url,
            client_id,
            redirect_uri,
            audience: text(&self.audience, "audience")?,
            scope,
            timeout_ms,
            language,
            code_length,
            link_storage,
            cache_location: match text(&self.cache_location, "cacheLocation")?.as_deref() {
                None | Some("memory") => CacheLocation::Memory,
                Some("localstorage") => CacheLocation::LocalStorage,
                Some(_) => {
                    return Err(SdkError::invalid_options(
                        "cacheLocation must be \"memory\" or \"localstorage\"",
                    ))
                }
            },
            resend_after_secs: match self.resend_after_seconds.whole("resendAfterSeconds") {
                Ok(None) => crate::flows::resend::RESEND_AFTER_SECS,
                Ok(Some(n @ 0..=3600)) => n,
                _ => {
                    return Err(SdkError::invalid_options(
                        "resendAfterSeconds must be whole seconds from 0 to 3600",
                    ))
                }
            },
            link_lifetime_secs: match self.link_lifetime_seconds.whole("linkLifetimeSeconds") {
                Ok(None) => DEFAULT_LINK_LIFETIME_SECS,
                Ok(Some(n @ 1..=86_400)) => n,
                _ => {
                    return Err(SdkError::invalid_options(
                        "linkLifetimeSeconds must be whole seconds from 1 to 86400",
                    ))
                }
            },
        })
    }
}

impl Options {
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
fn base_url(domain: String) -> Result<String, SdkError> {
    let mut url = if domain.starts_with("https://") || domain.starts_with("http://") {
        domain
    // (A byte search: `str::contains` with a `&str` links core's two-way searcher.)
    } else if domain.as_bytes().windows(3).any(|w| w == b"://") {
        return Err(bad_domain());
    } else {
        String::from("https://") + &domain
    };
    if !is_http_url(&url) || url.contains(['?', '#']) {
        return Err(bad_domain());
    }
    while url.ends_with('/') {
        url.pop();
    }
    Ok(url)
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_options_members_are_their_serde_names() {
        crate::given::tests::members_are_the_serde_names::<ClientOptions>();
    }

    use super::*;

    /// Reads `json` as the page's options and checks them (serde errors as the bindings
    /// report them).
    pub(crate) fn options(json: &str) -> Result<Options, SdkError> {
        serde_json::from_str::<ClientOptions>(json).unwrap().check()
    }

    fn with_domain(domain: &str) -> Result<Options, SdkError> {
        options(&serde_json::json!({"clientId": "app", "domain": domain}).to_string())
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
            (
                o.scope.as_str(),
                o.code_length,
                o.link_storage,
                o.timeout_ms
            ),
            (DEFAULT_SCOPE, 6, LinkStorage::Local, 15_000)
        );
    }

    #[test]
    fn a_domain_keeps_its_port_and_path_and_only_http_schemes() {
        assert_eq!(
            with_domain("127.0.0.1:8080").unwrap().base_url,
            "https://127.0.0.1:8080"
        );
        assert_eq!(
            with_domain("https://x.com/auth//").unwrap().base_url,
            "https://x.com/auth"
        );
        for bad in ["HTTP://x.com", "ws://x.com", "https://x.com#f"] {
            assert!(with_domain(bad).is_err(), "{bad}");
        }
        let e = options(r#"{"domain":7,"clientId":"a"}"#).unwrap_err();
        assert_eq!(e.description, "domain must be a string");
    }

    #[test]
    fn every_option_is_read() {
        let o = options(
            r#"{"domain":"x.com/","clientId":"app","redirectUri":"https://x.com/cb","audience":"api",
            "timeoutMs":500,"language":"fr","codeLength":8,"linkStorage":"session","linkLifetimeSeconds":600,"cacheLocation":"localstorage","resendAfterSeconds":0,"unknown":{"a":1}}"#,
        )
        .unwrap();
        assert_eq!(
            (
                o.timeout_ms,
                o.code_length,
                o.link_storage,
                o.link_lifetime_secs
            ),
            (500, 8, LinkStorage::Session, 600)
        );
        assert_eq!(o.cache_location, CacheLocation::LocalStorage);
        assert_eq!(o.resend_after_secs, 0);
        assert_eq!(
            with_domain("x.com").unwrap().cache_location,
            CacheLocation::Memory
        );
        assert_eq!(
            (
                o.redirect_uri.as_deref(),
                o.audience.as_deref(),
                o.language.as_deref()
            ),
            (Some("https://x.com/cb"), Some("api"), Some("fr"))
        );
    }

    #[test]
    fn empty_strings_count_as_absent() {
        let o = options(r#"{"domain":"x.com","clientId":"a","scope":"","language":"","audience":"","redirectUri":""}"#).unwrap();
        assert_eq!(o.scope, DEFAULT_SCOPE);
        assert_eq!((o.language, o.audience, o.redirect_uri), (None, None, None));
        let e = options(r#"{"domain":"x.com","clientId":""}"#).unwrap_err();
        assert_eq!(e.description, "clientId is required");
    }

    #[test]
    fn bad_options_are_refused_with_the_field_named() {
        for bad in ["", "ftp://x", "https://", "https://x/?a=1", "https:///path"] {
            let e = with_domain(bad).unwrap_err();
            assert_eq!(e.code, "invalid_options", "{bad}");
            assert!(e.description.contains("domain"), "{bad}: {}", e.description);
        }
        for (json, field) in [
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
                r#"{"domain":"x.com","clientId":"a","timeoutMs":-1}"#,
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
            (
                r#"{"domain":"x.com","clientId":"a","linkStorage":7}"#,
                "linkStorage",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","language":"abcdefghijklmnopqrstuvwxyz0123456789"}"#,
                "language",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","codeLength":3}"#,
                "codeLength",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","linkLifetimeSeconds":0}"#,
                "linkLifetimeSeconds",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","cacheLocation":"cookie"}"#,
                "cacheLocation",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","resendAfterSeconds":3601}"#,
                "resendAfterSeconds",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","linkLifetimeSeconds":"5m"}"#,
                "linkLifetimeSeconds",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","timeoutMs":600001}"#,
                "timeoutMs",
            ),
            (
                r#"{"domain":"x.com","clientId":"a","redirectUri":"https:// x.com"}"#,
                "redirectUri",
            ),
        ] {
            let e = options(json).unwrap_err();
            assert_eq!(e.code, "invalid_options", "{json}");
            assert!(e.description.contains(field), "{field}: {}", e.description);
        }
    }
}
