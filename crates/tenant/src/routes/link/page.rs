//! The pages a magic link can show: the confirmation that asks the user to continue, and the
//! error for a link that cannot go anywhere safe. Both are self-contained (no script, no
//! external resource), never cached, never framed, and never send the link on as a Referer.

use std::collections::BTreeMap;

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;\
place-items:center;min-height:100vh;background:#f6f7f9;color:#1b1d21}\
main{background:#fff;padding:2rem;border-radius:12px;max-width:24rem;\
box-shadow:0 1px 4px #0002}h1{font-size:1.25rem;margin:0 0 1rem}\
button{font:inherit;padding:.6rem 1.4rem;border:0;border-radius:8px;\
background:#2b59c3;color:#fff;cursor:pointer}button:focus-visible{outline:3px solid #f5b700}";

/// The page that `GET` and `HEAD` answer: a form posting the link's parameters back to the
/// same path. Opening it uses nothing up; only pressing "Continue" does.
pub fn confirmation(app_name: &str, params: &BTreeMap<String, String>) -> Response {
    let inputs: String = params
        .iter()
        .map(|(name, value)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(name),
                escape(value)
            )
        })
        .collect();
    let body = format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Sign in</title><style>{STYLE}</style><main>\
         <h1>Continue signing in to {}</h1>\
         <form method=\"post\" action=\"verify_redirect\">{inputs}\
         <button type=\"submit\">Continue</button></form></main></html>",
        escape(app_name)
    );
    answer(StatusCode::OK, body)
}

/// Where a link goes when it cannot be redirected anywhere safe.
pub fn error(reason: &str) -> Response {
    answer(
        StatusCode::BAD_REQUEST,
        format!(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Sign-in link error</title>\
             <style>{STYLE}</style><main><h1>This sign-in link cannot be used</h1><p>{}</p></main></html>",
            escape(reason)
        ),
    )
}

/// What every answer to a link carries: it holds a one-time secret in its URL.
pub fn private(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        HeaderName::from_static("referrer-policy"),
        HeaderValue::from_static("no-referrer"),
    );
}

fn answer(status: StatusCode, body: String) -> Response {
    let mut response = (status, Html(body)).into_response();
    let headers = response.headers_mut();
    private(headers);
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // No `form-action`: browsers apply it to the redirect that follows the post, which goes to
    // the app's callback on another origin.
    let style_hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE));
    let policy = format!(
        "default-src 'none'; style-src 'sha256-{style_hash}'; base-uri 'none'; frame-ancestors 'none'"
    );
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

/// Text safe in HTML content and in quoted attribute values.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_cannot_break_out_of_their_attribute() {
        assert_eq!(
            escape(r#""><script>x('a')&"#),
            "&quot;&gt;&lt;script&gt;x(&#39;a&#39;)&amp;"
        );
    }
}
