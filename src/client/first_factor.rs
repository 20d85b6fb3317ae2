//! The first factor: a one-time code by email or SMS (`start`, then `verify`), or an email
//! magic link (`start`, then its callback in whichever tab of this browser opens it).

use std::future::Future;

use super::sessions::Change;
use super::Client;
use crate::error::{server_codes, SdkError};
use crate::flows::link::{self, Transaction};
use crate::flows::passwordless::{self, NewLink};
use crate::flows::resend::resend_after;
use crate::flows::{Body, SignInParams};
use crate::options::LinkStorage;
use crate::platform::{Area, Platform};

fn area(storage: LinkStorage) -> Area {
    match storage {
        LinkStorage::Local => Area::Local,
        LinkStorage::Session => Area::Session,
    }
}

impl<P: Platform> Client<P> {
    /// Sends a code (or a link, keeping its transaction until the callback), unless the
    /// address still cools down from the last one. Answers the server's answer (an object, a
    /// new one when the server's was not) with `resendAfter`: the cooldown it starts, the
    /// server's `Retry-After` when longer, none after a refusal other than a 429.
    pub async fn start(
        &self,
        params: &SignInParams,
        app_state: Option<P::Json>,
    ) -> Result<P::Json, SdkError> {
        let now = self.platform.now();
        let new_link = || {
            let app_state = match &app_state {
                None => None,
                Some(value) => Some(self.platform.stringify(value).ok_or_else(|| {
                    SdkError::invalid_input(
                        "appState must be a value JSON can hold (no cycles, BigInt or functions)",
                    )
                })?),
            };
            Ok(NewLink {
                state: self.platform.random_token()?,
                nonce: self.platform.random_token()?,
                now,
                app_state,
            })
        };
        let started =
            passwordless::start(&self.options, params, self.platform.unicode(), new_link)?;
        self.cooldowns.borrow().check(&started.address, now)?;
        if let Some((key, transaction)) = &started.keep {
            self.save_transaction(key, transaction, now)?;
        }
        let sent = self.platform.send(&self.options, &started.call).await;
        let wait = match &sent {
            Ok(answer) => resend_after(self.options.resend_after_secs, answer.retry_after),
            Err(e) if e.code == server_codes::TOO_MANY_REQUESTS => e.retry_after.unwrap_or(0),
            Err(_) => 0,
        };
        self.cooldowns
            .borrow_mut()
            .start(&started.address, now, wait);
        let answer = sent?;
        let added = self
            .platform
            // What `start()` adds to the server's answer.
            .write(&Body::new().number("resendAfter", f64::from(wait)))
            .ok_or_else(|| {
                SdkError::unexpected_response("the answer could not be handed to the page")
            })?;
        Ok(self.platform.assign(answer.body, &added))
    }

    /// Exchanges the code the user typed; a refused code ends its address's cooldown (it may
    /// be dead: expired, tried too often), so that a new one may go at once.
    pub async fn verify(&self, params: &SignInParams) -> Result<P::Json, SdkError> {
        let checked = passwordless::verify(&self.options, params, self.platform.unicode())?;
        self.verified(checked).await
    }

    /// Exchanges a checked code (typed, or a code link's).
    pub(super) async fn verified(
        &self,
        checked: passwordless::Verify,
    ) -> Result<P::Json, SdkError> {
        match self.sign_in(&checked.call, None).await {
            Ok(signed) => self.keep(signed, Change::SignedIn),
            Err(e) => {
                if e.code == server_codes::INVALID_GRANT {
                    self.cooldowns.borrow_mut().end(&checked.address);
                }
                Err(e)
            }
        }
    }

    /// Whether `url` (the page's address when `None`) is a magic link's callback.
    pub fn is_redirect_callback(&self, url: Option<String>) -> bool {
        let href = url.or_else(|| self.platform.address()).unwrap_or_default();
        self.platform.callback_of(&href).0.read().is_some()
    }

    /// Completes a magic link: checks `state` against the link's transaction (used once,
    /// success or not), removes the code from the address bar (when it came from there),
    /// exchanges the code, verifies the ID token and its `nonce`, and hands back `appState`.
    pub async fn handle_redirect_callback(&self, url: Option<String>) -> Result<P::Json, SdkError> {
        let from_address_bar = url.is_none();
        let href = url.or_else(|| self.platform.address()).unwrap_or_default();
        let (params, clean) = self.platform.callback_of(&href);
        let callback = params.read().ok_or_else(link::not_a_callback)?;
        if let (true, Some(clean)) = (from_address_bar, clean) {
            self.platform.replace_address(&clean);
        }
        let saved = match callback.state() {
            Some(state) => self.take_transaction(state)?,
            None => None,
        };
        let exchange = link::exchange(&self.options, callback, saved, self.platform.now())?;
        let mut signed = self.sign_in(&exchange.call, Some(&exchange.nonce)).await?;
        signed.session.app_state = exchange
            .app_state
            .and_then(|text| self.platform.parse(&text));
        self.keep(signed, Change::SignedIn)
    }

    /// The texted code the phone offers this page (WebOTP), until `signal` aborts.
    pub fn receive_sms_code(
        &self,
        signal: Option<P::Signal>,
    ) -> impl Future<Output = Result<String, SdkError>> + '_ {
        self.platform.receive_sms_code(signal)
    }

    /// Keeps `transaction` under `key`, after removing the transactions whose links expired.
    fn save_transaction(
        &self,
        key: &str,
        transaction: &Transaction,
        now: f64,
    ) -> Result<(), SdkError> {
        let area = area(self.options.link_storage);
        self.sweep_transactions(area, now);
        let text = self
            .platform
            .write(&transaction.to_body())
            .and_then(|value| self.platform.stringify(&value))
            .ok_or_else(SdkError::storage_unavailable)?;
        self.platform.store(area, key, &text)
    }

    /// Takes the transaction for `state` out of storage (a link works once), if it is there.
    fn take_transaction(&self, state: &str) -> Result<Option<Transaction>, SdkError> {
        let area = area(self.options.link_storage);
        let key = link::transaction_key(state);
        let text = self.platform.load(area, &key)?;
        self.platform.remove(area, &key);
        Ok(text.and_then(|text| self.read_transaction(&text)))
    }

    fn read_transaction(&self, text: &str) -> Option<Transaction> {
        let value = self.platform.parse(text)?;
        Transaction::read(self.platform.members(&value))
    }

    /// Removes this SDK's transactions that expired (or cannot be read), so storage never
    /// fills up with links nobody opened.
    fn sweep_transactions(&self, area: Area, now: f64) {
        for key in self.platform.keys(area) {
            if !key.starts_with(link::TRANSACTION_KEY_PREFIX) {
                continue;
            }
            let text = self
                .platform
                .load(area, &key)
                .ok()
                .flatten()
                .unwrap_or_default();
            if self.read_transaction(&text).is_none_or(|t| t.expired(now)) {
                self.platform.remove(area, &key);
            }
        }
    }
}
