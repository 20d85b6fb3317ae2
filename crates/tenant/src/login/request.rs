//! What a start asks for, once its fields are checked.

use serde_json::{Map, Value};

use crate::connection::Connection;

/// What to send, checked.
#[derive(Debug, Clone)]
pub struct StartRequest {
    pub client_id: String,
    pub connection: Connection,
    /// Lower-cased email, or the E.164 phone number.
    pub identifier: String,
    pub send_link: bool,
    pub auth_params: Map<String, Value>,
}
