//! The browser's `authn_response` (what `PublicKeyCredential.toJSON()` and auth0-spa-js
//! send) read into webauthn-rs's types. Only the members WebAuthn signs or needs are kept:
//! `authenticatorAttachment`, unknown transports and client extension results webauthn-rs does
//! not model are dropped, since they are unsigned and would make its strict reading fail.

use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use webauthn_rs::prelude::{PublicKeyCredential, RegisterPublicKeyCredential};

/// A new credential (`navigator.credentials.create()`); the error says what is wrong.
pub fn registration(value: &Value) -> Result<RegisterPublicKeyCredential, String> {
    let credential = object(value)?;
    let response = object(credential.get("response").unwrap_or(&Value::Null))
        .map_err(|_| "authn_response.response must be an object".to_owned())?;
    if !response.contains_key("attestationObject") {
        return Err(
            "authn_response is not a new credential (no response.attestationObject)".into(),
        );
    }
    let mut kept = pick(&response, &["attestationObject", "clientDataJSON"]);
    if let Some(Value::Array(transports)) = response.get("transports") {
        let known: Vec<Value> = transports
            .iter()
            .filter(|t| {
                matches!(
                    t.as_str(),
                    Some("usb" | "nfc" | "ble" | "internal" | "hybrid")
                )
            })
            .cloned()
            .collect();
        kept.insert("transports".into(), Value::Array(known));
    }
    let mut extensions = Map::new();
    if let Some(outputs) = client_extensions(&credential) {
        if let Some(appid @ Value::Bool(_)) = outputs.get("appid") {
            extensions.insert("appid".into(), appid.clone());
        }
        if let Some(Value::Bool(rk)) = outputs.get("credProps").and_then(|p| p.get("rk")) {
            extensions.insert("credProps".into(), json!({ "rk": rk }));
        }
    }
    read(credential, kept, extensions)
}

/// An assertion (`navigator.credentials.get()`); the error says what is wrong.
pub fn assertion(value: &Value) -> Result<PublicKeyCredential, String> {
    let credential = object(value)?;
    let response = object(credential.get("response").unwrap_or(&Value::Null))
        .map_err(|_| "authn_response.response must be an object".to_owned())?;
    if !response.contains_key("authenticatorData") {
        return Err("authn_response is not an assertion (no response.authenticatorData)".into());
    }
    let mut kept = pick(
        &response,
        &["authenticatorData", "clientDataJSON", "signature"],
    );
    if let Some(handle @ Value::String(text)) = response.get("userHandle") {
        if !text.is_empty() {
            kept.insert("userHandle".into(), handle.clone());
        }
    }
    let mut extensions = Map::new();
    if let Some(appid @ Value::Bool(_)) =
        client_extensions(&credential).and_then(|o| o.get("appid"))
    {
        extensions.insert("appid".into(), appid.clone());
    }
    read(credential, kept, extensions)
}

/// The credential as an object: a JSON object, or a string holding one.
fn object(value: &Value) -> Result<Map<String, Value>, String> {
    match value {
        Value::Object(members) => Ok(members.clone()),
        Value::String(text) => match serde_json::from_str(text) {
            Ok(Value::Object(members)) => Ok(members),
            _ => Err("authn_response must be a JSON object".into()),
        },
        _ => Err("authn_response must be a JSON object".into()),
    }
}

fn pick(members: &Map<String, Value>, names: &[&str]) -> Map<String, Value> {
    names
        .iter()
        .filter_map(|name| members.get(*name).map(|v| ((*name).to_owned(), v.clone())))
        .collect()
}

fn client_extensions(credential: &Map<String, Value>) -> Option<&Map<String, Value>> {
    credential
        .get("clientExtensionResults")
        .or_else(|| credential.get("extensions"))
        .and_then(Value::as_object)
}

fn read<T: DeserializeOwned>(
    credential: Map<String, Value>,
    response: Map<String, Value>,
    extensions: Map<String, Value>,
) -> Result<T, String> {
    if credential.get("type").and_then(Value::as_str) != Some("public-key") {
        return Err("authn_response.type must be \"public-key\"".into());
    }
    let raw_id = credential
        .get("rawId")
        .or_else(|| credential.get("id"))
        .cloned()
        .unwrap_or(Value::Null);
    let id = credential.get("id").cloned().unwrap_or(raw_id.clone());
    let normalised = json!({
        "id": id,
        "rawId": raw_id,
        "type": "public-key",
        "response": response,
        "extensions": extensions,
    });
    serde_json::from_value(normalised).map_err(|e| format!("authn_response: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_members_are_dropped() {
        let browser = json!({
            "id": "AQID", "rawId": "AQID", "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": "e30", "authenticatorData": "AQID", "signature": "AQID",
                "userHandle": ""
            },
            "clientExtensionResults": { "prf": { "enabled": false }, "appid": false }
        });
        let credential = assertion(&browser).unwrap();
        assert_eq!(credential.get_credential_id(), [1, 2, 3]);
        assert_eq!(credential.get_user_unique_id(), None);
        assert_eq!(credential.extensions.appid, Some(false));

        let created = json!({
            "id": "AQID", "rawId": "AQID", "type": "public-key",
            "response": {
                "clientDataJSON": "e30", "attestationObject": "AQID",
                "transports": ["internal", "smart-card"], "publicKeyAlgorithm": -7
            },
            "clientExtensionResults": { "credProps": { "rk": true }, "largeBlob": {} }
        });
        assert!(registration(&created).is_ok());
        assert!(
            registration(&browser).is_err(),
            "an assertion is no new credential"
        );
        assert!(assertion(&created).is_err());
        assert!(assertion(&json!("not json")).is_err());
    }
}
