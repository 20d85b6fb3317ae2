//! The session a client keeps once signed in: in memory, or in `localStorage` across reloads
//! and tabs (`cacheLocation`); renewed with the refresh token (one renewal at a time, however
//! many callers ask); ended by revoking it; and reported to `onSessionChange` listeners, also
//! when another tab of this browser changed it.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Function, Promise};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::StorageEvent;

use super::browser::now_seconds;
use super::session::Client;
use crate::convert;
use crate::error::{codes, SdkError};
use crate::flows::session::{self, Freshness, Held};
use crate::options::CacheLocation;
use crate::transport;

/// The session the page got, and what the client reads of it.
#[derive(Clone)]
pub struct Kept {
    pub value: JsValue,
    pub held: Held,
}

/// What happened to the session, as `onSessionChange` listeners are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    SignedIn,
    Refreshed,
    SignedOut,
}

impl Change {
    fn name(self) -> &'static str {
        match self {
            Change::SignedIn => "signedIn",
            Change::Refreshed => "refreshed",
            Change::SignedOut => "signedOut",
        }
    }
}

/// A listener's event: `{type, session}` (`session` is `null` once signed out).
#[derive(Serialize)]
struct Event {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    session: JsValue,
}

/// A renewal in flight: the callers that come while it runs wait for its outcome.
pub struct Renewal {
    outcome: RefCell<Option<Result<JsValue, SdkError>>>,
    finished: Promise,
    /// The `finished` promise's resolve (its executor runs at once, so it is always set).
    resolve: Option<Function>,
}

impl Renewal {
    fn new() -> Self {
        let mut resolve = None;
        let finished = Promise::new(&mut |done, _| resolve = Some(done));
        Self {
            outcome: RefCell::new(None),
            finished,
            resolve,
        }
    }

    fn finish(&self, outcome: &Result<JsValue, SdkError>) {
        *self.outcome.borrow_mut() = Some(outcome.clone());
        if let Some(resolve) = &self.resolve {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }

    async fn wait(&self) -> Result<JsValue, SdkError> {
        let _ = JsFuture::from(self.finished.clone()).await;
        self.outcome
            .borrow()
            .clone()
            .unwrap_or_else(|| Err(session::no_session()))
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// A cached session's text read back, if it still is one.
fn read_cached(text: &str) -> Option<Kept> {
    let value = js_sys::JSON::parse(text).ok()?;
    let held = convert::read(value.clone())?;
    Some(Kept { value, held })
}

impl Client {
    fn cache_key(&self) -> String {
        session::cache_key(&self.options.client_id)
    }

    fn caches(&self) -> bool {
        self.options.cache_location == CacheLocation::LocalStorage
    }

    /// With `cacheLocation: "localstorage"`: the session a previous page left, and the changes
    /// other tabs make from now on.
    pub fn restore(self: &Rc<Self>) {
        if !self.caches() {
            return;
        }
        let cached = local_storage().and_then(|s| s.get_item(&self.cache_key()).ok().flatten());
        *self.kept.borrow_mut() = cached.as_deref().and_then(read_cached);
        let client: Weak<Client> = Rc::downgrade(self);
        let on_storage = Closure::<dyn FnMut(StorageEvent)>::new(move |event: StorageEvent| {
            if let Some(client) = client.upgrade() {
                client.changed_elsewhere(&event);
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window
                .add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
        }
        // The listener lives as long as the page; it holds the client weakly.
        on_storage.forget();
    }

    /// Another tab signed in, renewed or signed out (or cleared the storage: no key).
    fn changed_elsewhere(&self, event: &StorageEvent) {
        let key = self.cache_key();
        let now = match event.key() {
            Some(changed) if changed == key => event.new_value().as_deref().and_then(read_cached),
            Some(_) => return,
            None => local_storage()
                .and_then(|s| s.get_item(&key).ok().flatten())
                .as_deref()
                .and_then(read_cached),
        };
        if now.is_none() && self.kept.borrow().is_none() {
            return;
        }
        let change = match (&now, self.kept.borrow().is_some()) {
            (None, _) => Change::SignedOut,
            (Some(_), false) => Change::SignedIn,
            (Some(_), true) => Change::Refreshed,
        };
        let value = now.as_ref().map_or(JsValue::NULL, |k| k.value.clone());
        *self.kept.borrow_mut() = now;
        self.notify(change, &value);
    }

    /// Keeps `session` (the page's object) as the current one, and tells the listeners.
    pub fn keep(&self, session: JsValue, change: Change) -> Result<JsValue, SdkError> {
        let held: Held = convert::read(session.clone())
            .ok_or_else(|| SdkError::unexpected_response("the session has no ID token expiry"))?;
        if self.caches() {
            let text = js_sys::JSON::stringify(&session)
                .ok()
                .and_then(|t| t.as_string());
            // Storage that is blocked or full leaves the session in memory only.
            if let (Some(storage), Some(text)) = (local_storage(), text) {
                let _ = storage.set_item(&self.cache_key(), &text);
            }
        }
        *self.kept.borrow_mut() = Some(Kept {
            value: session.clone(),
            held,
        });
        self.notify(change, &session);
        Ok(session)
    }

    /// Forgets the session here (and in the cache), telling the listeners if there was one.
    fn forget(&self) -> Option<Kept> {
        let kept = self.kept.borrow_mut().take();
        if self.caches() {
            if let Some(storage) = local_storage() {
                let _ = storage.remove_item(&self.cache_key());
            }
        }
        if kept.is_some() {
            self.notify(Change::SignedOut, &JsValue::NULL);
        }
        kept
    }

    fn notify(&self, change: Change, session: &JsValue) {
        let event = Event {
            kind: change.name(),
            session: session.clone(),
        };
        let Some(event) = convert::write(&event) else {
            return;
        };
        // A listener may unsubscribe (or subscribe) while being told.
        let listeners: Vec<Function> = self
            .listeners
            .borrow()
            .iter()
            .map(|(_, f)| f.clone())
            .collect();
        for listener in listeners {
            let _ = listener.call1(&JsValue::NULL, &event);
        }
    }

    /// Adds a listener; answers the function that removes it.
    pub fn subscribe(self: &Rc<Self>, listener: Function) -> JsValue {
        let id = self.next_listener.get();
        self.next_listener.set(id.wrapping_add(1));
        self.listeners.borrow_mut().push((id, listener));
        let client = Rc::downgrade(self);
        Closure::<dyn FnMut()>::new(move || {
            if let Some(client) = client.upgrade() {
                client.listeners.borrow_mut().retain(|(i, _)| *i != id);
            }
        })
        .into_js_value()
    }

    /// The current session, renewed first when it expires soon; `null` when signed out.
    pub async fn current(&self) -> Result<JsValue, SdkError> {
        let Some(kept) = self.kept.borrow().clone() else {
            return Ok(JsValue::NULL);
        };
        match kept.held.freshness(now_seconds()) {
            Freshness::Fresh => Ok(kept.value),
            Freshness::Expired => {
                self.forget();
                Ok(JsValue::NULL)
            }
            Freshness::Renew => match self.refresh().await {
                Ok(session) => Ok(session),
                Err(e) if e.code == codes::SESSION_EXPIRED => Ok(JsValue::NULL),
                // Offline: the session is still good until its ID token expires.
                Err(_) if !kept.held.expired(now_seconds()) => Ok(kept.value),
                Err(e) => Err(e),
            },
        }
    }

    /// Renews the session with its refresh token; one renewal at a time.
    pub async fn refresh(&self) -> Result<JsValue, SdkError> {
        let running = self.renewal.borrow().clone();
        if let Some(renewal) = running {
            return renewal.wait().await;
        }
        let renewal = Rc::new(Renewal::new());
        *self.renewal.borrow_mut() = Some(renewal.clone());
        let outcome = self.renew().await;
        *self.renewal.borrow_mut() = None;
        renewal.finish(&outcome);
        outcome
    }

    async fn renew(&self) -> Result<JsValue, SdkError> {
        let token = self
            .kept
            .borrow()
            .as_ref()
            .and_then(|k| k.held.refresh_token.clone())
            .ok_or_else(session::no_session)?;
        match self
            .sign_in(&session::refresh(&self.options, &token), None)
            .await
        {
            Ok(session) => {
                // Auth0 keeps the refresh token unless it rotates it: the new session keeps it.
                let key = JsValue::from_str("refreshToken");
                if js_sys::Reflect::get(&session, &key).is_ok_and(|t| t.is_undefined()) {
                    let _ = js_sys::Reflect::set(&session, &key, &JsValue::from_str(&token));
                }
                self.keep(session, Change::Refreshed)
            }
            Err(refused) if session::refresh_refused(&refused) => {
                self.forget();
                Err(session::session_expired(refused))
            }
            Err(e) => Err(e),
        }
    }

    /// Signs out: forgets the session here and revokes its refresh token at the relay.
    pub async fn sign_out(&self) -> Result<JsValue, SdkError> {
        let kept = self.forget();
        if let Some(token) = kept.and_then(|k| k.held.refresh_token) {
            transport::send(&self.options, &session::revoke(&self.options, &token)).await?;
        }
        Ok(JsValue::UNDEFINED)
    }
}
