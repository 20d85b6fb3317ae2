//! The WebAuthn relying party a client's ceremonies run under: the tenant's `rp_id` and
//! `rp_name`, and the client's allowed origins that may use that rp id (its host or a
//! subdomain); the others are skipped with a warning.

use webauthn_rs::prelude::Url;
use webauthn_rs::{Webauthn, WebauthnBuilder};

use crate::config::{Client, TenantConfig};
use crate::failure::Failure;

/// The relying party of `client`'s passkey ceremonies.
pub fn for_client(config: &TenantConfig, client: &Client) -> Result<Webauthn, Failure> {
    let rp_id = config.rp_id();
    let rp_name = config.rp_name();
    let origins: Vec<Url> = client
        .allowed_origins
        .iter()
        .filter_map(|origin| match Url::parse(origin) {
            Ok(url) if may_use(&url, &rp_id) => Some(url),
            _ => {
                tracing::warn!(
                    client = %client.client_id, %origin, %rp_id,
                    "origin skipped for passkeys: its host is not the rp_id or under it"
                );
                None
            }
        })
        .collect();
    let Some((first, rest)) = origins.split_first() else {
        return Err(Failure::new(format!(
            "client {} has no allowed origin under the rp_id {rp_id:?}: set rp_id or the \
             client's allowed_origins",
            client.client_id
        )));
    };
    let mut builder = WebauthnBuilder::new(&rp_id, first)
        .map_err(|e| Failure::new(format!("the rp_id {rp_id:?} is refused: {e}")))?
        .rp_name(&rp_name);
    for origin in rest {
        builder = builder.append_allowed_origin(origin);
    }
    builder
        .build()
        .map_err(|e| Failure::new(format!("the relying party cannot be built: {e}")))
}

/// Whether `origin`'s host is `rp_id` or a subdomain of it.
fn may_use(origin: &Url, rp_id: &str) -> bool {
    origin
        .domain()
        .is_some_and(|host| host == rp_id || host.ends_with(&format!(".{rp_id}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DEMO_CLIENT_ID;

    #[test]
    fn origins_outside_the_rp_id_are_skipped() {
        let mut config = TenantConfig::demo(
            "http://127.0.0.1:8081",
            "secret".into(),
            vec![
                "http://127.0.0.1:8080".into(),
                "http://localhost:8080".into(),
                "http://app.localhost:9000".into(),
            ],
        );
        let client = config.client(DEMO_CLIENT_ID).cloned().unwrap();
        let webauthn = for_client(&config, &client).unwrap();
        let allowed: Vec<&str> = webauthn
            .get_allowed_origins()
            .iter()
            .map(|u| u.as_str())
            .collect();
        assert_eq!(
            allowed,
            ["http://localhost:8080/", "http://app.localhost:9000/"]
        );
        config.rp_id = Some("example.com".into());
        assert!(for_client(&config, &client).is_err(), "no origin left");
    }
}
