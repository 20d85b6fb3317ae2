//! The client: its options, what it learnt of the issuer, the session it keeps, the resend
//! cooldowns and the session listeners, and every flow in order, from the first request to the
//! session the page gets. It reaches the browser only through its [`Platform`]; the bindings
//! only convert arguments and answers around one call each.
//!
//! - `first_factor`: `start`, `verify`, the magic link's callback;
//! - `code_links`: a code link's page (read, show, complete);
//! - `passkeys`: sign-up, sign-in and adding a passkey;
//! - `second_factor`: the `mfa` calls;
//! - `sessions`: the kept session, its renewal, sign-out and listeners;
//! - here: the last steps of every sign-in, the ID token verified.

pub mod code_links;
pub mod first_factor;
pub mod passkeys;
pub mod second_factor;
pub mod sessions;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::error::SdkError;
use crate::flows::code_link::CodeLink;
use crate::flows::replies::{RsaKey, Tokens};
use crate::flows::resend::Cooldowns;
use crate::flows::Call;
use crate::id_token::{self, Claims, Expected, Header};
use crate::options::Options;
use crate::platform::Platform;

pub use sessions::{Change, Session};
use sessions::{Kept, Renewal, Signed};

/// A client's state, shared (`Rc`) by the page's client object, its `mfa`, and the futures of
/// their calls; never borrowed across an `await`.
pub struct Client<P: Platform> {
    platform: P,
    options: Options,
    issuer: RefCell<Option<String>>,
    keys: RefCell<Vec<RsaKey>>,
    kept: RefCell<Option<Kept<P::Json>>>,
    /// The renewal in flight, which every caller that comes meanwhile shares.
    renewal: RefCell<Option<Rc<Renewal<P::Json>>>>,
    listeners: RefCell<Vec<(u32, P::Listener)>>,
    next_listener: Cell<u32>,
    /// When each address may get another code.
    cooldowns: RefCell<Cooldowns>,
    /// The code link read from the address bar, until it is completed.
    code_link: RefCell<Option<CodeLink>>,
}

impl<P: Platform> Client<P> {
    /// A client for checked `options`, with the session a previous page left in the cache
    /// (`cacheLocation: "localstorage"`).
    pub fn new(platform: P, options: Options) -> Rc<Self> {
        let client = Rc::new(Self {
            platform,
            options,
            issuer: RefCell::new(None),
            keys: RefCell::new(Vec::new()),
            kept: RefCell::new(None),
            renewal: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
            next_listener: Cell::new(0),
            cooldowns: RefCell::new(Cooldowns::default()),
            code_link: RefCell::new(None),
        });
        client.restore();
        client
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The platform the client runs on (native tests read what it recorded).
    pub fn platform(&self) -> &P {
        &self.platform
    }

    /// Sends `call`: the successful answer's body (not generic: one request state machine
    /// serves every call, and each step reads the members it needs).
    async fn fetch(&self, call: &Call) -> Result<P::Json, SdkError> {
        Ok(self.platform.send(&self.options, call).await?.body)
    }

    async fn issuer(&self) -> Result<String, SdkError> {
        if let Some(issuer) = self.issuer.borrow().clone() {
            return Ok(issuer);
        }
        let config = self
            .fetch(&Call::get("/.well-known/openid-configuration"))
            .await?;
        let issuer = self
            .platform
            .member(&config, "issuer")
            .into_text()
            .ok_or_else(unexpected)?;
        *self.issuer.borrow_mut() = Some(issuer.clone());
        Ok(issuer)
    }

    fn cached_key(&self, kid: &str) -> Option<RsaKey> {
        self.keys.borrow().iter().find(|k| k.kid == kid).cloned()
    }

    /// The issuer's key `kid`, from the JWKS (fetched again when the key is new: rotation).
    async fn key(&self, kid: &str) -> Result<RsaKey, SdkError> {
        if let Some(key) = self.cached_key(kid) {
            return Ok(key);
        }
        let jwks = self.fetch(&Call::get("/.well-known/jwks.json")).await?;
        let keys = self.platform.nested(&jwks, "keys");
        let published = keys
            .and_then(|keys| self.platform.items(&keys))
            .unwrap_or_default();
        *self.keys.borrow_mut() = RsaKey::usable(
            published
                .iter()
                .map(|key| RsaKey::read(self.platform.members(key))),
        );
        self.cached_key(kid).ok_or_else(|| {
            SdkError::invalid_id_token(
                "the ID token is signed with a key the issuer does not publish",
            )
        })
    }

    /// Sends a token request and makes its answer a session: the ID token split, its header's
    /// key id, the issuer and its key, the RS256 signature, then the claims (and the `nonce`,
    /// when the sign-in came from a magic link).
    async fn sign_in(&self, call: &Call, nonce: Option<&str>) -> Result<Signed<P::Json>, SdkError> {
        let answer = self.fetch(call).await?;
        let tokens = Tokens::read(self.platform.members(&answer)).ok_or_else(unexpected)?;
        let jwt = id_token::split(&tokens.id_token)?;
        let not_json = || SdkError::invalid_id_token("the ID token does not hold JSON");
        let header = self.platform.json_part(jwt.header).ok_or_else(not_json)?;
        let kid = Header::read(self.platform.members(&header)).key_id()?;
        let issuer = self.issuer().await?;
        let key = self.key(&kid).await?;
        if !self.platform.verify_rs256(&key, &jwt).await? {
            return Err(SdkError::invalid_id_token(
                "the ID token's signature does not verify",
            ));
        }
        let payload = self.platform.json_part(jwt.payload).ok_or_else(not_json)?;
        let claims = Claims::read(self.platform.members(&payload));
        claims.check(&Expected {
            issuer: &issuer,
            client_id: &self.options.client_id,
            now: self.platform.now(),
            nonce,
        })?;
        // `check` refused a token without `exp`.
        let exp = claims.exp.unwrap_or_default();
        Ok(Signed {
            session: Session::new(tokens, payload),
            exp,
        })
    }
}

/// A successful answer that is not what the API promises.
fn unexpected() -> SdkError {
    SdkError::unexpected_response("the server's answer is not what the API promises")
}
