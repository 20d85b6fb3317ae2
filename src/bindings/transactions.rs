//! Magic-link transactions in Web Storage: kept by `start({send: "link"})`, taken once by the
//! callback (in this tab or, with `localStorage`, any tab of this browser), and swept when
//! their link has expired.

use super::browser;
use crate::convert;
use crate::error::SdkError;
use crate::flows::link::{self, Transaction};
use crate::options::Options;

/// Keeps `transaction` under `key`, after removing the transactions whose links expired.
pub fn save(
    options: &Options,
    key: &str,
    transaction: &Transaction,
    now: f64,
) -> Result<(), SdkError> {
    let storage = browser::storage(options.link_storage)?;
    sweep(&storage, now);
    let text = convert::write(transaction)
        .and_then(|value| js_sys::JSON::stringify(&value).ok())
        .and_then(|text| text.as_string())
        .ok_or_else(SdkError::storage_unavailable)?;
    storage
        .set_item(key, &text)
        .map_err(|_| SdkError::storage_unavailable())
}

/// Takes the transaction for `state` out of storage (a link works once), if it is there.
pub fn take(options: &Options, state: &str) -> Result<Option<Transaction>, SdkError> {
    let storage = browser::storage(options.link_storage)?;
    let key = link::transaction_key(state);
    let text = storage.get_item(&key).ok().flatten();
    let _ = storage.remove_item(&key);
    Ok(text.and_then(|text| read(&text)))
}

fn read(text: &str) -> Option<Transaction> {
    let value = js_sys::JSON::parse(text).ok()?;
    convert::read(value)
}

/// Removes this SDK's transactions that expired (or cannot be read), so storage never fills
/// up with links nobody opened.
fn sweep(storage: &web_sys::Storage, now: f64) {
    let count = storage.length().unwrap_or(0);
    let stale: Vec<String> = (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(link::TRANSACTION_KEY_PREFIX))
        .filter(|key| {
            let text = storage.get_item(key).ok().flatten().unwrap_or_default();
            read(&text).map_or(true, |t| t.expired(now))
        })
        .collect();
    for key in stale {
        let _ = storage.remove_item(&key);
    }
}
