//! The last steps of every sign-in: the token answer's ID token verified (signature with the
//! issuer's published key, then the claims), and the session the page gets.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsValue;

use super::browser::now_seconds;
use super::sessions::{Kept, Renewal};
use super::{signature, to_js};
use crate::convert;
use crate::error::SdkError;
use crate::flows::replies::{Jwks, OpenIdConfiguration, RsaKey, Tokens};
use crate::flows::resend::Cooldowns;
use crate::flows::Call;
use crate::id_token::{self, Claims, Expected, Header};
use crate::options::Options;
use crate::transport;

/// A client's state: its checked options, what it learnt of the issuer, and the session it
/// keeps (`sessions.rs`). Shared (`Rc`) by the client, its `mfa`, and the futures of their
/// calls; never borrowed across an `await`.
pub struct Client {
    pub options: Options,
    issuer: RefCell<Option<String>>,
    keys: RefCell<Vec<RsaKey>>,
    pub(super) kept: RefCell<Option<Kept>>,
    pub(super) renewal: RefCell<Option<Rc<Renewal>>>,
    pub(super) listeners: RefCell<Vec<(u32, js_sys::Function)>>,
    pub(super) next_listener: Cell<u32>,
    /// When each address may get another code.
    pub(super) cooldowns: RefCell<Cooldowns>,
}

impl Client {
    pub fn new(options: Options) -> Self {
        Self {
            options,
            issuer: RefCell::new(None),
            keys: RefCell::new(Vec::new()),
            kept: RefCell::new(None),
            renewal: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
            next_listener: Cell::new(0),
            cooldowns: RefCell::new(Cooldowns::default()),
        }
    }

    async fn issuer(&self) -> Result<String, SdkError> {
        if let Some(issuer) = self.issuer.borrow().clone() {
            return Ok(issuer);
        }
        let call = Call::get("/.well-known/openid-configuration");
        let config: OpenIdConfiguration =
            transport::read(transport::send(&self.options, &call).await?)?;
        *self.issuer.borrow_mut() = Some(config.issuer.clone());
        Ok(config.issuer)
    }

    fn cached_key(&self, kid: &str) -> Option<RsaKey> {
        self.keys.borrow().iter().find(|k| k.kid == kid).cloned()
    }

    /// The issuer's key `kid`, from the JWKS (fetched again when the key is new: rotation).
    async fn key(&self, kid: &str) -> Result<RsaKey, SdkError> {
        if let Some(key) = self.cached_key(kid) {
            return Ok(key);
        }
        let call = Call::get("/.well-known/jwks.json");
        let jwks: Jwks = transport::read(transport::send(&self.options, &call).await?)?;
        *self.keys.borrow_mut() = jwks.rsa_keys();
        self.cached_key(kid).ok_or_else(|| {
            SdkError::invalid_id_token(
                "the ID token is signed with a key the issuer does not publish",
            )
        })
    }

    /// Sends a token request and makes its answer a session with a verified ID token (and
    /// `nonce`, when the sign-in came from a magic link).
    pub async fn sign_in(&self, call: &Call, nonce: Option<&str>) -> Result<JsValue, SdkError> {
        let tokens: Tokens = transport::read(transport::send(&self.options, call).await?)?;
        let jwt = id_token::split(&tokens.id_token)?;
        let header: Header = convert::read(signature::json_part(jwt.header)?)
            .ok_or_else(|| SdkError::invalid_id_token("the ID token's header is malformed"))?;
        let kid = header.key_id()?;
        let issuer = self.issuer().await?;
        let key = self.key(&kid).await?;
        signature::verify(&key, &jwt).await?;
        let payload = signature::json_part(jwt.payload)?;
        let claims: Claims = convert::read(payload.clone())
            .ok_or_else(|| SdkError::invalid_id_token("the ID token's claims are malformed"))?;
        claims.check(&Expected {
            issuer: &issuer,
            client_id: &self.options.client_id,
            now: now_seconds(),
            nonce,
        })?;
        let session = to_js(&tokens)?;
        let _ = js_sys::Reflect::set(&session, &JsValue::from_str("claims"), &payload);
        Ok(session)
    }
}
