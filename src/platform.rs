//! Everything the core needs from where it runs, as one trait: the browser implements it in
//! `src/bindings/platform.rs` (web-sys, js-sys, gloo-net), native tests in `tests/platform/`
//! (a script of answers, a fixed clock, a real RSA key). The core ([`crate::client`]) is generic
//! over it and the package has one implementation, so the dispatch is static and costs nothing.

use passwordless_wire::address::Unicode;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::SdkError;
use crate::flows::code_link::CodeLinkParams;
use crate::flows::link::CallbackParams;
use crate::flows::passkey::{RawCredential, WebAuthnCall};
use crate::flows::replies::RsaKey;
use crate::flows::Call;
use crate::given::Given;
use crate::id_token::CompactJwt;
use crate::options::Options;

/// A successful answer: its JSON body and its `Retry-After`, in seconds.
pub struct Answer<J> {
    pub body: J,
    pub retry_after: Option<u32>,
    /// `Location` (the My Account API names a new method there).
    pub location: Option<String>,
}

/// Where a value is kept across page loads: the browser's `localStorage` (every tab) or
/// `sessionStorage` (this tab).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Local,
    Session,
}

/// What the browser provides. Async methods are only ever awaited by the core's own futures
/// (one thread, no `Send`), hence `async fn` in the trait.
#[allow(async_fn_in_trait)]
pub trait Platform: 'static {
    /// A JSON value as the platform holds it: a JS value in the browser (the page's own
    /// objects, never copied into Rust), serde_json's in native tests.
    type Json: Clone + Serialize + DeserializeOwned + 'static;
    /// Unicode for the address policy (`String.normalize`, `RegExp`, `URL` in the browser).
    type Unicode: Unicode;
    /// What a page passes to stop a wait (an `AbortSignal`).
    type Signal;
    /// A function the page registered for session changes.
    type Listener: Clone;

    /// Sends `call` to the relay: the successful answer, or the SDK error the answer (or the
    /// network) stands for.
    async fn send(&self, options: &Options, call: &Call) -> Result<Answer<Self::Json>, SdkError>;

    /// The member `name` of a server's answer (absent when it has none, or is not an object).
    fn member(&self, value: &Self::Json, name: &str) -> Given;
    /// `value`'s members as the answer readers take them: `Tokens::read(platform.members(&answer))`.
    fn members<'a>(&'a self, value: &'a Self::Json) -> impl Fn(&'static str) -> Given + 'a {
        move |name| self.member(value, name)
    }
    /// The member `name` of a server's answer when it is an object or an array, as it is.
    fn nested(&self, value: &Self::Json, name: &str) -> Option<Self::Json>;
    /// The items of a server's answer that is an array.
    fn items(&self, value: &Self::Json) -> Option<Vec<Self::Json>>;
    /// `value` as JSON (`None` when it cannot be written).
    fn write<T: Serialize>(&self, value: &T) -> Option<Self::Json>;
    fn parse(&self, text: &str) -> Option<Self::Json>;
    fn stringify(&self, value: &Self::Json) -> Option<String>;
    /// `object` (a new one when it is not an object) with the members of `members` set on it.
    fn assign(&self, object: Self::Json, members: &Self::Json) -> Self::Json;
    /// A base64url JWT part that holds a JSON object, as a value.
    fn json_part(&self, part: &str) -> Option<Self::Json>;
    /// Whether `jwt`'s RS256 signature verifies with `key`; an error when the key cannot be
    /// used (or there is no crypto to use it with).
    async fn verify_rs256(&self, key: &RsaKey, jwt: &CompactJwt<'_>) -> Result<bool, SdkError>;

    /// The text kept under `key`, or `storage_unavailable`.
    fn load(&self, area: Area, key: &str) -> Result<Option<String>, SdkError>;
    fn store(&self, area: Area, key: &str, text: &str) -> Result<(), SdkError>;
    fn remove(&self, area: Area, key: &str);
    /// Every key kept in `area`.
    fn keys(&self, area: Area) -> Vec<String>;

    /// Seconds since the epoch.
    fn now(&self) -> f64;
    /// 24 random bytes, base64url (a link's `state` or `nonce`); never predictable ones.
    fn random_token(&self) -> Result<String, SdkError>;
    fn unicode(&self) -> &Self::Unicode;
    /// Waits `seconds`, or until `cancel` aborts (then `cancelled`).
    async fn sleep(&self, seconds: u32, cancel: Option<&Self::Signal>) -> Result<(), SdkError>;
    /// Calls `listener` with `event`.
    fn tell(&self, listener: &Self::Listener, event: &Self::Json);

    /// The page's address.
    fn address(&self) -> Option<String>;
    /// The callback parameters of `href`, and `href` without them (`None`: not a URL).
    fn callback_of(&self, href: &str) -> (CallbackParams, Option<String>);
    /// The code link's members in `href`'s fragment, and `href` without its fragment (`None`:
    /// not a URL).
    fn code_link_of(&self, href: &str) -> (CodeLinkParams, Option<String>);
    /// Replaces the address bar's URL without a navigation.
    fn replace_address(&self, url: &str);
    /// The texted code the phone offers this page (WebOTP), or `unsupported`.
    async fn receive_sms_code(&self, signal: Option<Self::Signal>) -> Result<String, SdkError>;

    /// Whether this page can use passkeys at all (WebAuthn on a secure page).
    fn passkeys_supported(&self) -> bool;
    /// Whether the browser offers passkeys in a field's autofill (conditional mediation).
    async fn autofill_supported(&self) -> bool;
    /// `navigator.credentials.create()` or `.get()` with the server's options (binary members
    /// in base64url): the new or asserted credential, or `passkey_cancelled` /
    /// `passkey_exists` / `passkey_unsupported` / `cancelled` (the signal aborted).
    async fn credential(
        &self,
        public_key: Self::Json,
        call: WebAuthnCall,
        signal: Option<Self::Signal>,
    ) -> Result<RawCredential, SdkError>;
}
