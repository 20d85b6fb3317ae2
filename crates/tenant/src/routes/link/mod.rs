//! `/passwordless/verify_redirect`: what a magic link opens. Mail scanners fetch every link
//! (GET and HEAD) before the user does, so opening it uses nothing up: `GET` answers a page
//! whose form posts the link's parameters back. The `POST` checks the link's code, uses it once
//! and redirects (303) to the client's registered callback, with an authorization code, tokens
//! in the fragment, or `error=access_denied`. An unregistered `redirect_uri` is never
//! redirected to. The link's parameters are read here; `login::link` checks the code and mints.

use passwordless_wire::codes;
use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use passwordless_wire::GRANT_AUTHORIZATION_CODE;

mod page;

use super::answers;
use crate::config::{Client, GRANT_IMPLICIT};
use crate::connection::Connection;
use crate::identifiers::normalise_email;
use crate::login::link::{complete, LinkOutcome, MagicLink};
use crate::tenant::Tenant;
use crate::tokens::granted_scope;

/// How the answer travels back: `?query` for codes, `#fragment` for tokens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Delivery {
    Query,
    Fragment,
}

/// A link's parameters; a name given twice keeps its last value.
type LinkParams = BTreeMap<String, String>;

/// `GET` (and `HEAD`, which axum answers from it without the body): the page that asks the
/// user to continue. Nothing is checked but where the link would go; nothing is used up.
pub async fn confirm(State(tenant): State<Tenant>, RawQuery(query): RawQuery) -> Response {
    let params = read_params(query.as_deref().unwrap_or("").as_bytes());
    match callback(&tenant, &params) {
        Ok((client, _)) => page::confirmation(&client.client_id, &params),
        Err(reason) => page::error(reason),
    }
}

/// `POST`: the confirmation page's form (or any client posting the link's query). Uses the
/// link up and redirects with `303 See Other`.
pub async fn verify_redirect(
    State(tenant): State<Tenant>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut params = read_params(query.as_deref().unwrap_or("").as_bytes());
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        params.extend(read_params(&body));
    }
    let get = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let (client, redirect_uri) = match callback(&tenant, &params) {
        Ok(found) => found,
        Err(reason) => return page::error(reason),
    };
    let state = get("state");
    let response_type = get("response_type").unwrap_or("code");
    let mut kinds: Vec<&str> = response_type.split(' ').filter(|s| !s.is_empty()).collect();
    kinds.sort_unstable();
    let delivery = match kinds.as_slice() {
        ["code"] => Delivery::Query,
        ["id_token"] | ["token"] | ["id_token", "token"] => Delivery::Fragment,
        _ => {
            return redirect_error(
                &redirect_uri,
                Delivery::Query,
                state,
                codes::UNSUPPORTED_RESPONSE_TYPE,
                &format!("Unsupported response type: {response_type}"),
            )
        }
    };
    let fail = |error: &str, description: &str| {
        redirect_error(&redirect_uri, delivery, state, error, description)
    };
    let grant_needed = if delivery == Delivery::Query {
        GRANT_AUTHORIZATION_CODE
    } else {
        GRANT_IMPLICIT
    };
    if !client.may_use(grant_needed) {
        return fail(
            codes::UNAUTHORIZED_CLIENT,
            &format!("Grant type '{grant_needed}' not allowed for the client."),
        );
    }
    let nonce = get("nonce");
    if kinds.contains(&"id_token") && nonce.is_none() {
        return fail(codes::INVALID_REQUEST, "Nonce required for implicit flow");
    }
    let (connection, identifier) = match get("connection").and_then(Connection::parse) {
        Some(Connection::Email) => (
            Connection::Email,
            get("email").map(|e| normalise_email(e).unwrap_or_else(|| e.to_owned())),
        ),
        Some(Connection::Sms) => (Connection::Sms, get("phone_number").map(str::to_owned)),
        None => return fail(codes::ACCESS_DENIED, "The link names no known connection."),
    };
    let (Some(identifier), Some(code)) = (identifier, get("verification_code")) else {
        return fail(codes::ACCESS_DENIED, "The link is incomplete.");
    };
    let link = MagicLink {
        client,
        connection,
        identifier: &identifier,
        code,
        redirect_uri: &redirect_uri,
        scope: granted_scope(get("scope")),
        audience: get("audience"),
        nonce,
        wants_code: kinds == ["code"],
    };
    let mut params = match complete(&tenant, &link) {
        Ok(LinkOutcome::AuthorizationCode(code)) => vec![("code", code)],
        Ok(LinkOutcome::Tokens(set)) => {
            let mut params = Vec::new();
            if kinds.contains(&"token") {
                params.push(("access_token", set.access_token));
            }
            if let Some(id_token) = set.id_token.filter(|_| kinds.contains(&"id_token")) {
                params.push(("id_token", id_token));
            }
            params.push(("token_type", set.token_type));
            params.push(("expires_in", set.expires_in.to_string()));
            params
        }
        Ok(LinkOutcome::Refused(verdict)) => {
            return fail(
                codes::ACCESS_DENIED,
                &answers::code_refused(verdict, "Wrong email or verification code."),
            )
        }
        Ok(LinkOutcome::MfaRequired) => {
            return fail(
                codes::ACCESS_DENIED,
                "Multifactor authentication required; use response_type=code",
            )
        }
        Err(failure) => {
            let error = crate::error::TenantError::from(failure);
            return fail(codes::SERVER_ERROR, &error.wire.error_description);
        }
    };
    if let Some(state) = state {
        params.push(("state", state.to_owned()));
    }
    redirect(&redirect_uri, delivery, &params)
}

fn redirect(uri: &str, delivery: Delivery, params: &[(&str, String)]) -> Response {
    let encoded = serde_urlencoded::to_string(params).unwrap_or_default();
    let location = match delivery {
        Delivery::Query if uri.contains('?') => format!("{uri}&{encoded}"),
        Delivery::Query => format!("{uri}?{encoded}"),
        Delivery::Fragment => format!("{uri}#{encoded}"),
    };
    match HeaderValue::from_str(&location) {
        Ok(location) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            let headers = response.headers_mut();
            headers.insert(header::LOCATION, location);
            page::private(headers);
            response
        }
        Err(_) => page::error("The redirect could not be built."),
    }
}

fn redirect_error(
    uri: &str,
    delivery: Delivery,
    state: Option<&str>,
    error: &str,
    description: &str,
) -> Response {
    let mut params = vec![
        ("error", error.to_owned()),
        (
            "error_description",
            passwordless_wire::safe_description(description),
        ),
    ];
    if let Some(state) = state {
        params.push(("state", state.to_owned()));
    }
    redirect(uri, delivery, &params)
}

/// The registered client the link names and the callback it would go to; else why the link
/// cannot go anywhere safe.
fn callback<'a>(
    tenant: &'a Tenant,
    params: &LinkParams,
) -> Result<(&'a Client, String), &'static str> {
    let get = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let Some(client) = get("client_id").and_then(|id| tenant.config().client(id)) else {
        return Err("This link names an application this tenant does not know.");
    };
    let redirect_uri = match get("redirect_uri") {
        Some(uri) if client.callbacks.iter().any(|c| c == uri) => uri.to_owned(),
        Some(_) => {
            return Err(
                "The link's redirect_uri is not one of the application's registered callbacks.",
            )
        }
        None => match client.callbacks.first() {
            Some(uri) => uri.clone(),
            None => return Err("The application has no registered callback."),
        },
    };
    Ok((client, redirect_uri))
}

/// `a=1&b=2` as parameters; unreadable text reads as none.
fn read_params(text: &[u8]) -> LinkParams {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(text)
        .unwrap_or_default()
        .into_iter()
        .collect()
}
