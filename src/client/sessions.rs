//! The session a client keeps once signed in: in memory, or in `localStorage` across reloads
//! and tabs (`cacheLocation`); renewed with the refresh token (one renewal at a time, however
//! many callers ask); ended by revoking it; and reported to `onSessionChange` listeners, also
//! when another tab of this browser changed it.

use std::rc::Rc;

use serde::Serialize;
use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::task::{Poll, Waker};

use super::Client;
use crate::error::{codes, SdkError};
use crate::flows::replies::Tokens;
use crate::flows::session::{self, Freshness, Held, HeldClaims};
use crate::options::CacheLocation;
use crate::platform::{Area, Platform};

/// The page's session: the token answer, the verified ID token's claims (all of them, as the
/// issuer wrote them) and, after a magic link, the `appState` given to `start()`. Written once
/// (a JSON value of the platform's, which the page, the listeners and the cache get); the
/// client reads back only what it needs of it ([`Held`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Session<J> {
    pub access_token: String,
    pub id_token: String,
    pub token_type: String,
    pub expires_in: u32,
    pub scope: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_state: Option<J>,
    pub claims: J,
}

impl<J> Session<J> {
    pub fn new(tokens: Tokens, claims: J) -> Self {
        Self {
            access_token: tokens.access_token,
            id_token: tokens.id_token,
            token_type: tokens.token_type,
            expires_in: tokens.expires_in,
            scope: tokens.scope,
            refresh_token: tokens.refresh_token,
            recovery_code: tokens.recovery_code,
            app_state: None,
            claims,
        }
    }
}

/// A session just signed in, and when its ID token expires.
pub struct Signed<J> {
    pub session: Session<J>,
    pub exp: f64,
}

/// The session the page got (written once), and what the client reads of it.
#[derive(Clone)]
pub struct Kept<J> {
    pub value: J,
    pub held: Held,
}

/// A renewal in flight: its outcome once known, and the callers waiting for it. (futures'
/// `Shared` does this for any future, at 1 KB brotli more and a boxed `'static` one: here the
/// first caller renews and the others wait on its outcome.)
pub struct Renewal<J> {
    outcome: RefCell<Option<Result<J, SdkError>>>,
    waiting: RefCell<Vec<Waker>>,
}

impl<J: Clone> Renewal<J> {
    fn new() -> Self {
        Self {
            outcome: RefCell::new(None),
            waiting: RefCell::new(Vec::new()),
        }
    }

    fn finish(&self, outcome: Result<J, SdkError>) {
        *self.outcome.borrow_mut() = Some(outcome);
        for waker in self.waiting.take() {
            waker.wake();
        }
    }

    /// The outcome, once the first caller has it.
    fn outcome(&self) -> impl Future<Output = Result<J, SdkError>> + '_ {
        poll_fn(move |cx| match self.outcome.borrow().clone() {
            Some(outcome) => Poll::Ready(outcome),
            None => {
                self.waiting.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            }
        })
    }
}

/// The first caller's hold on a renewal: dropped, it clears the client's renewal and, if it
/// ended without an outcome, gives the waiters `cancelled`.
struct Leading<'a, J: Clone> {
    renewals: &'a RefCell<Option<Rc<Renewal<J>>>>,
    renewal: Rc<Renewal<J>>,
}

impl<J: Clone> Drop for Leading<'_, J> {
    fn drop(&mut self) {
        *self.renewals.borrow_mut() = None;
        if self.renewal.outcome.borrow().is_none() {
            self.renewal.finish(Err(SdkError::cancelled()));
        }
    }
}

/// What happened to the session, as `onSessionChange` listeners are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Change {
    SignedIn,
    Refreshed,
    SignedOut,
}

/// A listener's event: `{type, session}` (`session` is `null` once signed out).
#[derive(Serialize)]
struct Event<J> {
    #[serde(rename = "type")]
    kind: Change,
    session: J,
}

impl<P: Platform> Client<P> {
    fn cache_key(&self) -> String {
        session::cache_key(&self.options.client_id)
    }

    fn caches(&self) -> bool {
        self.options.cache_location == CacheLocation::LocalStorage
    }

    /// A cached session's text read back, if it still is one.
    fn read_cached(&self, text: &str) -> Option<Kept<P::Json>> {
        let value = self.platform.parse(text)?;
        let claims = self.platform.nested(&value, "claims")?;
        let exp = self.platform.member(&claims, "exp");
        let held = Held::read(self.platform.members(&value), exp)?;
        Some(Kept { value, held })
    }

    /// With `cacheLocation: "localstorage"`: the session a previous page left.
    pub(super) fn restore(&self) {
        if self.caches() {
            let cached = self.platform.load(Area::Local, &self.cache_key());
            *self.kept.borrow_mut() = cached.ok().flatten().and_then(|t| self.read_cached(&t));
        }
    }

    /// Another tab signed in, renewed or signed out: `key` changed to `text` (no key: the
    /// storage was cleared).
    pub fn changed_elsewhere(&self, key: Option<&str>, text: Option<&str>) {
        if !self.caches() {
            return;
        }
        let own = self.cache_key();
        let now = match key {
            Some(changed) if changed == own => text.and_then(|t| self.read_cached(t)),
            Some(_) => return,
            None => self
                .platform
                .load(Area::Local, &own)
                .ok()
                .flatten()
                .and_then(|t| self.read_cached(&t)),
        };
        let had = self.kept.borrow().is_some();
        let change = match (&now, had) {
            (None, false) => return,
            (None, true) => Change::SignedOut,
            (Some(_), false) => Change::SignedIn,
            (Some(_), true) => Change::Refreshed,
        };
        let value = now.as_ref().map(|k| k.value.clone());
        *self.kept.borrow_mut() = now;
        self.notify(change, value);
    }

    /// Keeps `signed` as the current session (written once), tells the listeners, and answers
    /// the page's value.
    pub(super) fn keep(
        &self,
        signed: Signed<P::Json>,
        change: Change,
    ) -> Result<P::Json, SdkError> {
        let unwritable =
            || SdkError::unexpected_response("the answer could not be handed to the page");
        let value = self
            .platform
            .write(&signed.session)
            .ok_or_else(unwritable)?;
        if self.caches() {
            // Storage that is blocked or full leaves the session in memory only.
            if let Some(text) = self.platform.stringify(&value) {
                let _ = self.platform.store(Area::Local, &self.cache_key(), &text);
            }
        }
        let held = Held {
            access_token: signed.session.access_token,
            refresh_token: signed.session.refresh_token,
            claims: HeldClaims { exp: signed.exp },
        };
        *self.kept.borrow_mut() = Some(Kept {
            value: value.clone(),
            held,
        });
        self.notify(change, Some(value.clone()));
        Ok(value)
    }

    /// Forgets the session here (and in the cache), telling the listeners if there was one.
    fn forget(&self) -> Option<Kept<P::Json>> {
        let kept = self.kept.borrow_mut().take();
        if self.caches() {
            self.platform.remove(Area::Local, &self.cache_key());
        }
        if kept.is_some() {
            self.notify(Change::SignedOut, None);
        }
        kept
    }

    fn notify(&self, kind: Change, session: Option<P::Json>) {
        let session = session.or_else(|| self.platform.parse("null"));
        let Some(event) = session.and_then(|session| self.platform.write(&Event { kind, session }))
        else {
            return;
        };
        // A listener may unsubscribe (or subscribe) while being told.
        let listeners: Vec<P::Listener> = self
            .listeners
            .borrow()
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for listener in listeners {
            self.platform.tell(&listener, &event);
        }
    }

    /// Adds a listener; answers its id for [`Client::unsubscribe`].
    pub fn subscribe(&self, listener: P::Listener) -> u32 {
        let id = self.next_listener.get();
        self.next_listener.set(id.wrapping_add(1));
        self.listeners.borrow_mut().push((id, listener));
        id
    }

    pub fn unsubscribe(&self, id: u32) {
        self.listeners.borrow_mut().retain(|(i, _)| *i != id);
    }

    /// The current session, renewed first when it expires soon; `None` when signed out.
    pub async fn current(&self) -> Result<Option<P::Json>, SdkError> {
        let Some(kept) = self.kept.borrow().clone() else {
            return Ok(None);
        };
        match kept.held.freshness(self.platform.now()) {
            Freshness::Fresh => Ok(Some(kept.value)),
            Freshness::Expired => {
                self.forget();
                Ok(None)
            }
            Freshness::Renew => match self.refresh().await {
                Ok(session) => Ok(Some(session)),
                Err(e) if e.code == codes::SESSION_EXPIRED => Ok(None),
                // Offline: the session is still good until its ID token expires.
                Err(_) if !kept.held.expired(self.platform.now()) => Ok(Some(kept.value)),
                Err(e) => Err(e),
            },
        }
    }

    /// Renews the session with its refresh token; callers that come while a renewal runs
    /// share it (one request).
    pub async fn refresh(&self) -> Result<P::Json, SdkError> {
        let running = self.renewal.borrow().clone();
        if let Some(renewal) = running {
            return renewal.outcome().await;
        }
        let renewal = Rc::new(Renewal::new());
        *self.renewal.borrow_mut() = Some(renewal.clone());
        // Whatever ends this call (an answer, or the page dropping it), the renewal ends with
        // it and its waiters get an outcome.
        let leading = Leading {
            renewals: &self.renewal,
            renewal,
        };
        let outcome = self.renew().await;
        leading.renewal.finish(outcome.clone());
        outcome
    }

    async fn renew(&self) -> Result<P::Json, SdkError> {
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
            Ok(mut signed) => {
                // Auth0 keeps the refresh token unless it rotates it: the new session keeps it.
                signed.session.refresh_token.get_or_insert(token);
                self.keep(signed, Change::Refreshed)
            }
            Err(refused) if session::refresh_refused(&refused) => {
                self.forget();
                Err(session::session_expired(refused))
            }
            Err(e) => Err(e),
        }
    }

    /// Signs out: forgets the session here and revokes its refresh token at the relay.
    pub async fn sign_out(&self) -> Result<(), SdkError> {
        let kept = self.forget();
        if let Some(token) = kept.and_then(|k| k.held.refresh_token) {
            self.platform
                .send(&self.options, &session::revoke(&self.options, &token))
                .await?;
        }
        Ok(())
    }
}
