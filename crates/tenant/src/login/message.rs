//! The message a start sends: the code or the magic link, in the user's language, with the
//! client's code link under a code and the WebOTP line for texted codes.

use serde_json::Value;

use super::request::StartRequest;
use crate::clock::rfc3339;
use crate::config::{Client, TenantConfig};
use crate::connection::Connection;
use crate::dev::message::{Channel, InboxMessage, MessageKind};
use crate::messages::{self, Content};

/// The message for `request` carrying `code` (inside a link when one was asked for).
pub fn compose(
    config: &TenantConfig,
    client: &Client,
    request: &StartRequest,
    code: &str,
    id: String,
    language: &str,
    now: u64,
) -> InboxMessage {
    let minutes = config.codes.lifetime_secs.div_ceil(60);
    let link = request
        .send_link
        .then(|| magic_link(&config.issuer_base, request, code));
    let code_link = match (&link, &client.code_link_url) {
        (None, Some(page)) => Some(code_link(page, request, code)),
        _ => None,
    };
    let content = match &link {
        Some(link) => Content::Link { link, minutes },
        None => Content::Code {
            code,
            minutes,
            link: code_link.as_deref(),
        },
    };
    let (subject, mut body) = messages::render(language, &content);
    // A texted code ends with the line that binds it to the client's page (WebOTP).
    if request.connection == Connection::Sms && link.is_none() {
        let origin = client.allowed_origins.first();
        if let Some(line) = origin.and_then(|o| messages::origin_bound_line(o, code)) {
            body.push_str("\n\n");
            body.push_str(&line);
        }
    }
    InboxMessage {
        id,
        channel: match request.connection {
            Connection::Email => Channel::Email,
            Connection::Sms => Channel::Sms,
        },
        to: request.identifier.clone(),
        kind: if link.is_some() {
            MessageKind::Link
        } else {
            MessageKind::Code
        },
        code: link.is_none().then(|| code.to_owned()),
        link: link.or(code_link),
        created_at: rfc3339(now),
        language: language.to_owned(),
        subject,
        body,
    }
}

/// `{page}#otp=<code>&email=<address>` (or `&phone_number=`), form-urlencoded: the fragment
/// never reaches a server, and the app's page (the SDK) reads it. The SDK parses exactly this.
fn code_link(page: &str, request: &StartRequest, code: &str) -> String {
    let identifier_name = identifier_name(request.connection);
    let fragment = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("otp", code)
        .append_pair(identifier_name, &request.identifier)
        .finish();
    format!("{page}#{fragment}")
}

/// `{issuer}/passwordless/verify_redirect?...` carrying the code and every string authParam.
fn magic_link(issuer_base: &str, request: &StartRequest, code: &str) -> String {
    let identifier_name = identifier_name(request.connection);
    let mut query: Vec<(String, String)> = vec![
        ("client_id".into(), request.client_id.clone()),
        ("connection".into(), request.connection.as_str().into()),
        (identifier_name.into(), request.identifier.clone()),
        ("verification_code".into(), code.to_owned()),
    ];
    for (key, value) in &request.auth_params {
        let value = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => continue,
        };
        if !query.iter().any(|(k, _)| k == key) {
            query.push((key.clone(), value));
        }
    }
    let query = serde_urlencoded::to_string(&query).unwrap_or_default();
    format!("{issuer_base}/passwordless/verify_redirect?{query}")
}

/// The parameter that names the address in links: `email` or `phone_number`.
fn identifier_name(connection: Connection) -> &'static str {
    match connection {
        Connection::Email => "email",
        Connection::Sms => "phone_number",
    }
}
