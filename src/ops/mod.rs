//! The operations the JS shell calls, one per step of a flow: each reads one JSON document and
//! answers `{"ok": …}` or `{"error": {code, description, …}}`. They keep no state between
//! calls; the shell holds the checked options and hands them back each time.

mod mfa;
mod reply;
mod session;
mod sign_in;

pub use mfa::{mfa_authenticators, mfa_challenge, mfa_enroll, mfa_remove, mfa_verify, poll};
pub use reply::{failure, header, reply};
pub use session::session;
pub use sign_in::{callback, exchange, options, start, verify};

use alloc::string::String;

use crate::error::SdkError;
use crate::flows::Call;
use crate::json::{self, Value};
use crate::options::ClientOptions;

/// An operation's answer: the `ok` value as JSON text, or the error.
pub type Outcome = Result<String, SdkError>;

/// Runs `op` on the JSON text `input` and answers the envelope.
pub fn run(input: &str, op: fn(&Value<'_>) -> Outcome) -> String {
    let outcome = json::parse(input).map_or_else(
        || {
            Err(SdkError::invalid_input(
                "the arguments could not be read as JSON",
            ))
        },
        |value| op(&value),
    );
    let mut out = String::new();
    match outcome {
        Ok(ok) => {
            out.push_str("{\"ok\":");
            out.push_str(&ok);
        }
        Err(error) => {
            out.push_str("{\"error\":");
            error.write(&mut out);
        }
    }
    out.push('}');
    out
}

/// The `options` member every operation after the constructor gets.
fn client_options<'v>(input: &'v Value<'_>) -> Result<ClientOptions<'v>, SdkError> {
    ClientOptions::parse(input.get("options"))
}

/// A call as the request object the shell fetches.
fn request(call: &Call, options: &ClientOptions<'_>) -> String {
    let mut out = String::new();
    call.write(options, &mut out);
    out
}

/// The operations whose answer is one request: `{options, params}` → the request `build`
/// makes of the params.
fn request_for(
    input: &Value<'_>,
    build: fn(&ClientOptions<'_>, &Value<'_>) -> Result<Call, SdkError>,
) -> Outcome {
    let options = client_options(input)?;
    let call = build(&options, input.get("params"))?;
    Ok(request(&call, &options))
}

/// Runs an operation natively as the shell would, for the tests of each operation.
#[cfg(test)]
pub(crate) fn call(op: fn(&Value<'_>) -> Outcome, input: &str) -> serde_json::Value {
    serde_json::from_str(&run(input, op)).expect("operations answer JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_arguments_are_an_input_error() {
        let out = call(options, "{not json");
        assert_eq!(out["error"]["code"], "invalid_input");
    }
}
