//! The core's `Platform` for native tests: the relay is a script of answers (the issuer's
//! discovery document and JWKS answered from a real RSA key, every other call from a queue the
//! test fills), the clock is fixed until a test moves it (or a poll's sleep does), storage is
//! a map, and listeners record what they are told. Every request is recorded.

#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use passwordless::error::{codes, MfaRequirements, SdkError, WireError};
use passwordless::flows::code_link::CodeLinkParams;
use passwordless::flows::link::CallbackParams;
use passwordless::flows::passkey::{RawCredential, WebAuthnCall};
use passwordless::flows::replies::RsaKey;
use passwordless::flows::{Call, Method};
use passwordless::given::Given;
use passwordless::id_token::CompactJwt;
use passwordless::options::{ClientOptions, Options};
use passwordless::platform::{Answer, Area, Platform};
use passwordless_wire::email::Crates;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::{BigUint, RsaPublicKey};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::Sha256;

mod tokens;
pub use tokens::*;

pub const ISSUER: &str = "https://tenant.example/";
pub const CLIENT_ID: &str = "demo-client";
/// The clock every test starts at (seconds since the epoch).
pub const NOW: f64 = 1_800_000_000.0;

/// A scripted answer: a body with a status (2xx succeeds), or a network failure.
#[derive(Clone)]
pub enum Scripted {
    Answer {
        status: u16,
        body: Value,
        retry_after: Option<u32>,
    },
    /// A `201 Created` with its `Location`.
    Created {
        body: Value,
        location: String,
    },
    Network,
}

pub fn ok(body: Value) -> Scripted {
    Scripted::Answer {
        status: 200,
        body,
        retry_after: None,
    }
}

pub fn refused(status: u16, error: &str, description: &str) -> Scripted {
    Scripted::Answer {
        status,
        body: json!({ "error": error, "error_description": description }),
        retry_after: None,
    }
}

pub fn created(body: Value, location: &str) -> Scripted {
    Scripted::Created {
        body,
        location: location.into(),
    }
}

/// What the test's authenticator was asked: the options, and whether from the autofill.
#[derive(Debug, Clone)]
pub struct Ceremony {
    pub public_key: Value,
    pub conditional: bool,
    pub create: bool,
}

/// A request as the relay got it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub method: Method,
    pub path: String,
    pub body: Value,
    pub bearer: Option<String>,
}

/// The platform. `published` says which keys the JWKS lists (by index into [`keys`]).
pub struct TestPlatform {
    pub clock: Cell<f64>,
    script: RefCell<VecDeque<(String, Scripted)>>,
    pub sent: RefCell<Vec<Sent>>,
    pub published: RefCell<Vec<usize>>,
    pub storage: RefCell<BTreeMap<(u8, String), String>>,
    pub address: RefCell<Option<String>>,
    tokens: Cell<u32>,
    /// Whether the page has WebAuthn, and passkeys in the autofill.
    pub passkeys: Cell<bool>,
    pub autofill: Cell<bool>,
    /// What the authenticator answers, in order, and what it was asked.
    pub credentials: RefCell<VecDeque<Result<RawCredential, SdkError>>>,
    pub ceremonies: RefCell<Vec<Ceremony>>,
}

fn area_id(area: Area) -> u8 {
    match area {
        Area::Local => 0,
        Area::Session => 1,
    }
}

impl Default for TestPlatform {
    fn default() -> Self {
        Self {
            clock: Cell::new(NOW),
            script: RefCell::new(VecDeque::new()),
            sent: RefCell::new(Vec::new()),
            published: RefCell::new(vec![0]),
            storage: RefCell::new(BTreeMap::new()),
            address: RefCell::new(None),
            tokens: Cell::new(0),
            passkeys: Cell::new(true),
            autofill: Cell::new(true),
            credentials: RefCell::new(VecDeque::new()),
            ceremonies: RefCell::new(Vec::new()),
        }
    }
}

impl TestPlatform {
    /// The next call to `path` gets `answer` (calls must come in the scripted order).
    pub fn script(&self, path: &str, answer: Scripted) {
        self.script.borrow_mut().push_back((path.into(), answer));
    }

    /// The authenticator's next answer.
    pub fn authenticator_answers(&self, answer: Result<RawCredential, SdkError>) {
        self.credentials.borrow_mut().push_back(answer);
    }

    fn ceremony(
        &self,
        public_key: Value,
        conditional: bool,
        create: bool,
        signal: Option<Rc<Cell<bool>>>,
    ) -> Result<RawCredential, SdkError> {
        self.ceremonies.borrow_mut().push(Ceremony {
            public_key,
            conditional,
            create,
        });
        if signal.is_some_and(|s| s.get()) {
            return Err(SdkError::new(codes::CANCELLED, "aborted"));
        }
        self.credentials
            .borrow_mut()
            .pop_front()
            .expect("an authenticator answer is scripted")
    }

    pub fn unanswered(&self) -> usize {
        self.script.borrow().len()
    }

    /// How many requests went to `path`.
    pub fn count(&self, path: &str) -> usize {
        self.sent.borrow().iter().filter(|s| s.path == path).count()
    }

    pub fn last(&self, path: &str) -> Sent {
        let sent = self.sent.borrow();
        sent.iter()
            .rev()
            .find(|s| s.path == path)
            .cloned()
            .unwrap_or_else(|| panic!("no request to {path}"))
    }

    pub fn stored(&self, area: Area, key: &str) -> Option<String> {
        self.storage
            .borrow()
            .get(&(area_id(area), key.into()))
            .cloned()
    }

    fn answer(&self, call: &Call) -> Scripted {
        match call.path.as_str() {
            "/.well-known/openid-configuration" => return ok(json!({ "issuer": ISSUER })),
            "/.well-known/jwks.json" => {
                let keys: Vec<Value> = self.published.borrow().iter().map(|&i| jwk(i)).collect();
                return ok(json!({ "keys": keys }));
            }
            _ => {}
        }
        let (path, answer) = self
            .script
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| panic!("nothing scripted for {}", call.path));
        assert_eq!(path, call.path, "the calls come in the scripted order");
        answer
    }
}

/// Checked options from the page's JSON.
pub fn options(extra: Value) -> Options {
    let mut given = json!({ "domain": "https://app.example/auth", "clientId": CLIENT_ID });
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        given[k] = v;
    }
    let options: ClientOptions = serde_json::from_value(given).expect("options read");
    options.check().expect("valid options")
}

/// A body as the browser sends it: `JSON.stringify` leaves out what serde-wasm-bindgen made
/// `undefined` (a `None`), which serde_json writes as `null`.
fn as_sent(body: &impl Serialize) -> Value {
    fn drop_nulls(value: Value) -> Value {
        match value {
            Value::Object(members) => members
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, drop_nulls(v)))
                .collect(),
            other => other,
        }
    }
    drop_nulls(serde_json::to_value(body).expect("a body is JSON"))
}

/// Yields once, so that another future runs between a request and its answer.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// What a listener was told.
pub type Told = Rc<RefCell<Vec<Value>>>;

impl Platform for TestPlatform {
    type Json = Value;
    type Unicode = Crates;
    /// A page's abort signal: aborted once set.
    type Signal = Rc<Cell<bool>>;
    type Listener = Told;

    async fn send(&self, _options: &Options, call: &Call) -> Result<Answer<Value>, SdkError> {
        self.sent.borrow_mut().push(Sent {
            method: call.method,
            path: call.path.clone(),
            body: call.body.as_ref().map_or(Value::Null, as_sent),
            bearer: call.bearer.clone(),
        });
        YieldOnce(false).await;
        match self.answer(call) {
            Scripted::Network => Err(SdkError::network()),
            Scripted::Answer {
                status,
                body,
                retry_after,
            } if (200..300).contains(&status) => Ok(Answer {
                body,
                retry_after,
                location: None,
            }),
            Scripted::Created { body, location } => Ok(Answer {
                body,
                retry_after: None,
                location: Some(location),
            }),
            Scripted::Answer {
                status,
                body,
                retry_after,
            } => {
                let requirements = MfaRequirements::read(self, &body);
                let wire = WireError::read(self.members(&body), requirements);
                Err(SdkError::from_wire(status, wire, retry_after))
            }
        }
    }

    fn member(&self, value: &Value, name: &str) -> Given {
        value.get(name).map_or(Given::Absent, |member| {
            serde_json::from_value(member.clone()).unwrap_or(Given::Other)
        })
    }

    fn nested(&self, value: &Value, name: &str) -> Option<Value> {
        value
            .get(name)
            .filter(|member| member.is_object() || member.is_array())
            .cloned()
    }

    fn items(&self, value: &Value) -> Option<Vec<Value>> {
        value.as_array().cloned()
    }

    fn write<T: Serialize>(&self, value: &T) -> Option<Value> {
        serde_json::to_value(value).ok()
    }

    fn parse(&self, text: &str) -> Option<Value> {
        serde_json::from_str(text).ok()
    }

    fn stringify(&self, value: &Value) -> Option<String> {
        Some(value.to_string())
    }

    fn assign(&self, object: Value, members: &Value) -> Value {
        let mut object = match object {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        if let Value::Object(members) = members {
            object.extend(members.clone());
        }
        Value::Object(object)
    }

    fn json_part(&self, part: &str) -> Option<Value> {
        let value: Value = serde_json::from_slice(&B64URL.decode(part).ok()?).ok()?;
        value.is_object().then_some(value)
    }

    async fn verify_rs256(&self, key: &RsaKey, jwt: &CompactJwt<'_>) -> Result<bool, SdkError> {
        let unusable = || SdkError::invalid_id_token("the issuer's key cannot verify the ID token");
        let number = |text: &str| B64URL.decode(text).map(|b| BigUint::from_bytes_be(&b));
        let (Ok(n), Ok(e)) = (number(&key.n), number(&key.e)) else {
            return Err(unusable());
        };
        let public = RsaPublicKey::new(n, e).map_err(|_| unusable())?;
        let signature = B64URL.decode(jwt.signature).map_err(|_| unusable())?;
        let Ok(signature) = Signature::try_from(signature.as_slice()) else {
            return Ok(false);
        };
        Ok(VerifyingKey::<Sha256>::new(public)
            .verify(jwt.signing_input.as_bytes(), &signature)
            .is_ok())
    }

    fn load(&self, area: Area, key: &str) -> Result<Option<String>, SdkError> {
        Ok(self.stored(area, key))
    }

    fn store(&self, area: Area, key: &str, text: &str) -> Result<(), SdkError> {
        self.storage
            .borrow_mut()
            .insert((area_id(area), key.into()), text.into());
        Ok(())
    }

    fn remove(&self, area: Area, key: &str) {
        self.storage
            .borrow_mut()
            .remove(&(area_id(area), key.into()));
    }

    fn keys(&self, area: Area) -> Vec<String> {
        let id = area_id(area);
        self.storage
            .borrow()
            .keys()
            .filter(|(a, _)| *a == id)
            .map(|(_, k)| k.clone())
            .collect()
    }

    fn now(&self) -> f64 {
        self.clock.get()
    }

    fn random_token(&self) -> Result<String, SdkError> {
        self.tokens.set(self.tokens.get() + 1);
        Ok(format!("random-{}", self.tokens.get()))
    }

    fn unicode(&self) -> &Crates {
        &Crates
    }

    async fn sleep(&self, seconds: u32, cancel: Option<&Rc<Cell<bool>>>) -> Result<(), SdkError> {
        self.clock.set(self.clock.get() + f64::from(seconds));
        match cancel {
            Some(cancel) if cancel.get() => Err(SdkError::cancelled()),
            _ => Ok(()),
        }
    }

    fn tell(&self, listener: &Told, event: &Value) {
        listener.borrow_mut().push(event.clone());
    }

    fn address(&self) -> Option<String> {
        self.address.borrow().clone()
    }

    fn callback_of(&self, href: &str) -> (CallbackParams, Option<String>) {
        let Ok(mut url) = url::Url::parse(href) else {
            return (CallbackParams::default(), None);
        };
        let mut params = CallbackParams::default();
        let mut kept = Vec::new();
        for (name, value) in url.query_pairs() {
            let value = value.into_owned();
            match name.as_ref() {
                "code" => params.code = Some(value),
                "state" => params.state = Some(value),
                "error" => params.error = Some(value),
                "error_description" => params.error_description = Some(value),
                _ => kept.push((name.into_owned(), value)),
            }
        }
        url.set_query(None);
        if !kept.is_empty() {
            url.query_pairs_mut().extend_pairs(kept);
        }
        (params, Some(url.to_string()))
    }

    fn code_link_of(&self, href: &str) -> (CodeLinkParams, Option<String>) {
        let Ok(mut url) = url::Url::parse(href) else {
            return (CodeLinkParams::default(), None);
        };
        let mut params = CodeLinkParams::default();
        let fragment = url.fragment().unwrap_or("").to_owned();
        for (name, value) in url::form_urlencoded::parse(fragment.as_bytes()) {
            let value = Some(value.into_owned());
            match name.as_ref() {
                "otp" => params.otp = value,
                "email" => params.email = value,
                "phone_number" => params.phone_number = value,
                _ => {}
            }
        }
        url.set_fragment(None);
        (params, Some(url.to_string()))
    }

    fn replace_address(&self, url: &str) {
        *self.address.borrow_mut() = Some(url.into());
    }

    async fn receive_sms_code(&self, _signal: Option<Rc<Cell<bool>>>) -> Result<String, SdkError> {
        Err(SdkError::new(codes::UNSUPPORTED, "no WebOTP here"))
    }
    fn passkeys_supported(&self) -> bool {
        self.passkeys.get()
    }

    async fn autofill_supported(&self) -> bool {
        self.autofill.get()
    }

    async fn credential(
        &self,
        public_key: Value,
        call: WebAuthnCall,
        signal: Option<Rc<Cell<bool>>>,
    ) -> Result<RawCredential, SdkError> {
        let (conditional, create) = (call == WebAuthnCall::Autofill, call == WebAuthnCall::Create);
        self.ceremony(public_key, conditional, create, signal)
    }
}

/// Runs a future to its end on this thread.
pub fn run<F: Future>(future: F) -> F::Output {
    futures::executor::block_on(future)
}
