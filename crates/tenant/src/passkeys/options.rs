//! The `authn_params_public_key` of an answer: the `publicKey` member of webauthn-rs's
//! options, binary fields already base64url, without the members it leaves `null`. Creation
//! options ask for a discoverable credential (`residentKey: "required"`), which webauthn-rs's
//! passkey registration leaves "discouraged": a passkey of Auth0's Passkey APIs signs in
//! without a username.

use serde::Serialize;
use serde_json::{json, Value};
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse};

use crate::failure::Failure;

/// `navigator.credentials.create()`'s `publicKey`, for a discoverable credential.
pub fn creation(options: &CreationChallengeResponse) -> Result<Value, Failure> {
    let mut public_key = public_key_of(options)?;
    let selection = &mut public_key["authenticatorSelection"];
    if !selection.is_object() {
        *selection = json!({});
    }
    selection["residentKey"] = json!("required");
    selection["requireResidentKey"] = json!(true);
    Ok(public_key)
}

/// `navigator.credentials.get()`'s `publicKey`.
pub fn request(options: &RequestChallengeResponse) -> Result<Value, Failure> {
    public_key_of(options)
}

fn public_key_of(options: &impl Serialize) -> Result<Value, Failure> {
    let mut value = serde_json::to_value(options).map_err(Failure::new)?;
    let mut public_key = value
        .get_mut("publicKey")
        .map(Value::take)
        .ok_or_else(|| Failure::new("webauthn-rs's options have no publicKey"))?;
    drop_nulls(&mut public_key);
    Ok(public_key)
}

fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|_, v| !v.is_null());
            members.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}
