//! A failure of the tenant itself (its store, a lock, its key), never the caller's fault.
//! Domain modules answer it beside their outcomes; the HTTP layer turns it into a 500
//! `server_error` and logs the detail, which never reaches the caller.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    detail: String,
}

impl Failure {
    pub fn new(detail: impl fmt::Display) -> Self {
        Self {
            detail: detail.to_string(),
        }
    }

    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

impl std::error::Error for Failure {}

impl From<rusqlite::Error> for Failure {
    fn from(error: rusqlite::Error) -> Self {
        Failure::new(error)
    }
}
