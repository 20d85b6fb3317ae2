//! `GET /passwordless/verify_redirect`: what a magic link opens. It checks the link's code and
//! redirects to the client's registered callback, with an authorization code, tokens in the
//! fragment, or `error=access_denied`. An unregistered `redirect_uri` is never redirected to.
//! The link's parameters are read here; `login::link` checks the code and mints.

use passwordless_wire::codes;
use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use passwordless_wire::GRANT_AUTHORIZATION_CODE;

use super::answers;
use crate::config::GRANT_IMPLICIT;
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

pub async fn verify_redirect(
    State(tenant): State<Tenant>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let get = |name: &str| {
        query
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let Some(client) = get("client_id").and_then(|id| tenant.config().client(id)) else {
        return error_page("This link names an application this tenant does not know.");
    };
    let redirect_uri = match get("redirect_uri") {
        Some(uri) if client.callbacks.iter().any(|c| c == uri) => uri.to_owned(),
        Some(_) => {
            return error_page(
                "The link's redirect_uri is not one of the application's registered callbacks.",
            )
        }
        None => match client.callbacks.first() {
            Some(uri) => uri.clone(),
            None => return error_page("The application has no registered callback."),
        },
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
        Ok(location) => (
            StatusCode::FOUND,
            [
                (header::LOCATION, location),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        Err(_) => error_page("The redirect could not be built."),
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

/// Where a link goes when it cannot be redirected anywhere safe.
fn error_page(reason: &str) -> Response {
    let reason = reason
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    (
        StatusCode::BAD_REQUEST,
        Html(format!(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Sign-in link error</title>\
             <h1>This sign-in link cannot be used</h1><p>{reason}</p></html>"
        )),
    )
        .into_response()
}
