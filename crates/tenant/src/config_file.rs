//! The TOML configuration file. A bad file is refused at start with its path, line and reason.
//!
//! ```toml
//! issuer = "https://login.example.com"   # default: http://LISTEN
//! token_lifetime_secs = 86400
//! languages = ["en", "fr", "es"]          # the first is the fallback
//! rp_id = "login.example.com"             # passkeys' relying party; default: the issuer's host
//! rp_name = "Example"                     # shown by authenticators; default: rp_id
//!
//! [codes]
//! length = 6
//! lifetime_secs = 180
//! max_tries = 3
//!
//! [rate_limit]
//! start_per_hour = 50
//!
//! [mfa]
//! policy = "when-enrolled"                # or "always": users without a factor must enrol one
//!
//! [[clients]]
//! client_id = "my-app"
//! client_secret = "a-long-secret"         # omit for a public client
//! callbacks = ["http://127.0.0.1:9000/callback"]
//! allowed_origins = ["http://127.0.0.1:9000"]
//! trust_forwarded_for = true              # default false
//! grant_types = ["http://auth0.com/oauth/grant-type/passwordless/otp", "authorization_code", "refresh_token", "implicit"]
//! connections = ["email", "sms"]          # the default
//! code_link_url = "http://127.0.0.1:9000/" # code messages also link here, #otp=…; no '#'
//! ```

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::config::{default_connections, default_grant_types, Client, TenantConfig};
use crate::messages;
use crate::policies::{CodePolicy, MfaPolicy};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    issuer: Option<Spanned<String>>,
    token_lifetime_secs: Option<Spanned<u64>>,
    languages: Option<Vec<Spanned<String>>>,
    rp_id: Option<Spanned<String>>,
    rp_name: Option<Spanned<String>>,
    #[serde(default)]
    codes: Codes,
    #[serde(default)]
    rate_limit: RateLimit,
    #[serde(default)]
    mfa: Mfa,
    #[serde(default)]
    clients: Vec<FileClient>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Codes {
    length: Option<Spanned<u32>>,
    lifetime_secs: Option<Spanned<u64>>,
    max_tries: Option<Spanned<u32>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RateLimit {
    start_per_hour: Option<Spanned<u32>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Mfa {
    policy: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileClient {
    client_id: Spanned<String>,
    client_secret: Option<Spanned<String>>,
    #[serde(default)]
    callbacks: Vec<Spanned<String>>,
    #[serde(default)]
    allowed_origins: Vec<Spanned<String>>,
    #[serde(default)]
    trust_forwarded_for: bool,
    grant_types: Option<Vec<Spanned<String>>>,
    connections: Option<Vec<Spanned<String>>>,
    code_link_url: Option<Spanned<String>>,
}

/// Reads and checks the file at `path`; the error reads `PATH:LINE: reason`.
pub fn load(path: &Path, default_issuer: &str) -> Result<TenantConfig, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the config file: {e}", path.display()))?;
    parse(&text, default_issuer).map_err(|(offset, reason)| {
        let line = text[..offset.min(text.len())].matches('\n').count() + 1;
        format!("{}:{line}: {reason}", path.display())
    })
}

/// Parses a config text; the error is a byte offset into it and the reason.
pub fn parse(text: &str, default_issuer: &str) -> Result<TenantConfig, (usize, String)> {
    let file: File = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        (offset, e.message().to_owned())
    })?;
    let fail = |span: std::ops::Range<usize>, reason: String| Err((span.start, reason));

    let issuer = match &file.issuer {
        Some(issuer) if !is_http_url(issuer.get_ref()) => {
            return fail(issuer.span(), "issuer must be an http(s) URL".into())
        }
        Some(issuer) => issuer.get_ref().clone(),
        None => default_issuer.to_owned(),
    };
    let mut config = TenantConfig::empty(&issuer);
    if let Some(lifetime) = &file.token_lifetime_secs {
        if !(60..=2_592_000).contains(lifetime.get_ref()) {
            return fail(
                lifetime.span(),
                "token_lifetime_secs must be between 60 and 2592000".into(),
            );
        }
        config.token_lifetime_secs = *lifetime.get_ref();
    }
    if let Some(languages) = &file.languages {
        if languages.is_empty() {
            return Err((0, "languages must name at least one language".into()));
        }
        for language in languages {
            if !messages::SUPPORTED.contains(&language.get_ref().as_str()) {
                return fail(
                    language.span(),
                    format!(
                        "unsupported language {:?}; supported: {}",
                        language.get_ref(),
                        messages::SUPPORTED.join(", ")
                    ),
                );
            }
        }
        config.languages = languages.iter().map(|l| l.get_ref().clone()).collect();
    }
    if let Some(rp_id) = &file.rp_id {
        if let Err(reason) = check_rp_id(rp_id.get_ref()) {
            return fail(rp_id.span(), reason);
        }
        config.rp_id = Some(rp_id.get_ref().clone());
    }
    if let Some(rp_name) = &file.rp_name {
        if rp_name.get_ref().trim().is_empty() {
            return fail(rp_name.span(), "rp_name must not be empty".into());
        }
        config.rp_name = Some(rp_name.get_ref().clone());
    }
    config.codes = code_policy(&file.codes)?;
    if let Some(limit) = &file.rate_limit.start_per_hour {
        if *limit.get_ref() == 0 {
            return fail(limit.span(), "start_per_hour must be at least 1".into());
        }
        config.start_limit_per_hour = *limit.get_ref();
    }
    if let Some(policy) = &file.mfa.policy {
        config.mfa_policy = MfaPolicy::parse(policy.get_ref()).ok_or_else(|| {
            (
                policy.span().start,
                "mfa.policy must be \"when-enrolled\" or \"always\"".to_owned(),
            )
        })?;
    }
    for client in &file.clients {
        let client = self::client(client)?;
        if config.client(&client.client_id).is_some() {
            return Err((
                0,
                format!("client_id {:?} is declared twice", client.client_id),
            ));
        }
        config.clients.push(client);
    }
    Ok(config)
}

fn code_policy(codes: &Codes) -> Result<CodePolicy, (usize, String)> {
    let mut policy = CodePolicy::default();
    if let Some(length) = &codes.length {
        if !(4..=10).contains(length.get_ref()) {
            return Err((
                length.span().start,
                "codes.length must be between 4 and 10".into(),
            ));
        }
        policy.length = *length.get_ref();
    }
    if let Some(lifetime) = &codes.lifetime_secs {
        if !(30..=86_400).contains(lifetime.get_ref()) {
            return Err((
                lifetime.span().start,
                "codes.lifetime_secs must be between 30 and 86400".into(),
            ));
        }
        policy.lifetime_secs = *lifetime.get_ref();
    }
    if let Some(tries) = &codes.max_tries {
        if !(1..=10).contains(tries.get_ref()) {
            return Err((
                tries.span().start,
                "codes.max_tries must be between 1 and 10".into(),
            ));
        }
        policy.max_tries = *tries.get_ref();
    }
    Ok(policy)
}

fn client(client: &FileClient) -> Result<Client, (usize, String)> {
    let id = client.client_id.get_ref();
    if id.is_empty() || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err((
            client.client_id.span().start,
            "client_id must be a non-empty word".into(),
        ));
    }
    if let Some(secret) = &client.client_secret {
        if secret.get_ref().len() < 16 {
            return Err((
                secret.span().start,
                "client_secret must be at least 16 characters".into(),
            ));
        }
    }
    for url in client.callbacks.iter().chain(&client.allowed_origins) {
        if !is_http_url(url.get_ref()) {
            return Err((
                url.span().start,
                format!("{:?} is not an absolute http(s) URL", url.get_ref()),
            ));
        }
    }
    if let Some(url) = &client.code_link_url {
        if !is_http_url(url.get_ref()) {
            return Err((
                url.span().start,
                format!(
                    "code_link_url {:?} is not an absolute http(s) URL",
                    url.get_ref()
                ),
            ));
        }
        if url.get_ref().contains('#') {
            return Err((
                url.span().start,
                format!(
                    "code_link_url {:?} must not contain '#': the code goes in the fragment",
                    url.get_ref()
                ),
            ));
        }
    }
    let known = default_grant_types();
    let grant_types = match &client.grant_types {
        None => known,
        Some(grants) => {
            for grant in grants {
                if !known.contains(grant.get_ref()) {
                    return Err((
                        grant.span().start,
                        format!("unknown grant type {:?}", grant.get_ref()),
                    ));
                }
            }
            grants.iter().map(|g| g.get_ref().clone()).collect()
        }
    };
    let connections = match &client.connections {
        None => default_connections(),
        Some(connections) => {
            for connection in connections {
                if !default_connections().contains(connection.get_ref()) {
                    return Err((
                        connection.span().start,
                        format!(
                            "unknown connection {:?}; use \"email\" or \"sms\"",
                            connection.get_ref()
                        ),
                    ));
                }
            }
            connections.iter().map(|c| c.get_ref().clone()).collect()
        }
    };
    Ok(Client {
        connections,
        client_id: id.clone(),
        client_secret: client.client_secret.as_ref().map(|s| s.get_ref().clone()),
        callbacks: client
            .callbacks
            .iter()
            .map(|c| c.get_ref().clone())
            .collect(),
        allowed_origins: client
            .allowed_origins
            .iter()
            .map(|o| o.get_ref().trim_end_matches('/').to_owned())
            .collect(),
        trust_forwarded_for: client.trust_forwarded_for,
        grant_types,
        code_link_url: client.code_link_url.as_ref().map(|u| u.get_ref().clone()),
    })
}

/// Whether `text` can be a WebAuthn relying party id: a lower-case domain name, not an IP,
/// without scheme, port or path. Also checks `--rp-id`.
pub fn check_rp_id(text: &str) -> Result<(), String> {
    let is_label = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if text.parse::<std::net::IpAddr>().is_ok() {
        return Err(format!(
            "rp_id {text:?} is an IP address; WebAuthn needs a domain (e.g. localhost)"
        ));
    }
    if !text.split('.').all(is_label) {
        return Err(format!(
            "rp_id {text:?} must be a lower-case domain name without scheme, port or path"
        ));
    }
    Ok(())
}

fn is_http_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
issuer = "https://login.example.com"
languages = ["fr", "en"]

[codes]
length = 8

[[clients]]
client_id = "my-app"
client_secret = "a-long-secret-value"
callbacks = ["http://127.0.0.1:9000/callback"]
allowed_origins = ["http://127.0.0.1:9000"]
trust_forwarded_for = true
"#;

    #[test]
    fn a_good_file_is_read_with_defaults_for_the_rest() {
        let config = parse(GOOD, "http://127.0.0.1:8081").unwrap();
        assert_eq!(config.issuer(), "https://login.example.com/");
        assert_eq!(config.codes.length, 8);
        assert_eq!(config.codes.lifetime_secs, 180);
        assert_eq!(config.languages, ["fr", "en"]);
        let client = config.client("my-app").unwrap();
        assert!(client.trust_forwarded_for);
        assert_eq!(client.grant_types, default_grant_types());
        assert_eq!(config.rp_id(), "login.example.com", "the issuer's host");
        let named = parse(
            "rp_id = \"example.com\"\nrp_name = \"Example\"\n",
            "http://x",
        )
        .unwrap();
        assert_eq!(
            (named.rp_id(), named.rp_name()),
            ("example.com".into(), "Example".into())
        );
    }

    fn error_line(text: &str) -> (usize, String) {
        let (offset, reason) = parse(text, "http://x").unwrap_err();
        (text[..offset].matches('\n').count() + 1, reason)
    }

    #[test]
    fn errors_name_the_line_and_the_reason() {
        let (line, reason) = error_line("issuer = \"http://a\"\n[codes]\nlength = 99\n");
        assert_eq!(
            (line, reason.as_str()),
            (3, "codes.length must be between 4 and 10")
        );
        let (line, reason) = error_line("\n\nbogus = 1\n");
        assert_eq!(line, 3);
        assert!(reason.contains("bogus"), "{reason}");
        let (line, reason) =
            error_line("[[clients]]\nclient_id = \"a\"\ncallbacks = [\"not a url\"]\n");
        assert_eq!(line, 3);
        assert!(reason.contains("not a url"));
        let (line, _) = error_line("[[clients]]\nclient_id = \"a\"\nclient_secret = \"short\"\n");
        assert_eq!(line, 3);
        let (line, reason) = error_line("languages = [\"en\", \"klingon\"]\n");
        assert_eq!(line, 1);
        assert!(reason.contains("klingon"));
        let (line, reason) = error_line("\nrp_id = \"127.0.0.1\"\n");
        assert_eq!(line, 2);
        assert!(reason.contains("IP"), "{reason}");
        let (_, reason) = error_line("rp_id = \"https://example.com\"\n");
        assert!(reason.contains("domain"), "{reason}");
    }
}
