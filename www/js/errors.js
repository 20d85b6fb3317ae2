// What to tell a person for each failure the SDK reports. The SDK's errors carry a stable
// `code`, the server's `description` and, when rate limited, `retryAfter` in seconds.

const NETWORK = "We can't reach the server. Check your connection and try again.";

/** "in 1 minute", "in 40 seconds" */
export function waitPhrase(seconds) {
  if (!(seconds > 0)) return "in a moment";
  if (seconds >= 90) return `in ${Math.ceil(seconds / 60)} minutes`;
  if (seconds >= 60) return "in 1 minute";
  return `in ${Math.ceil(seconds)} ${seconds === 1 ? "second" : "seconds"}`;
}

/** The server's wording of `invalid_grant`, as a person would want to read it. */
function invalidGrant(description) {
  const said = description ?? "";
  if (/expired/i.test(said)) return "That code has expired. Ask for a new one and use it soon.";
  if (/maximum number of attempts/i.test(said)) {
    return "That code was typed wrong too many times, so it no longer works. Ask for a new one.";
  }
  if (/wrong email or verification code/i.test(said)) {
    return "That code isn't right. Check the newest message and try again.";
  }
  if (/otp_code/i.test(said)) {
    return "That code isn't right. Use the code your app shows now: it changes every 30 seconds.";
  }
  if (/binding_code/i.test(said)) return "That code isn't right. Check the newest message.";
  if (/recovery_code/i.test(said)) return "That recovery code isn't right. Check it and try again.";
  if (/rejected/i.test(said)) return "The sign-in was denied on your phone.";
  if (/mfa_token/i.test(said)) return "This sign-in has ended. Please start again.";
  return said || "That didn't work. Please try again.";
}

/** A sentence for a person, from the SDK's error. */
export function messageFor(error) {
  switch (error?.code) {
    case "network_error":
      return NETWORK;
    case "timeout":
      return "The server took too long to answer. Please try again.";
    case "invalid_grant":
      return invalidGrant(error.description);
    case "too_many_requests":
      return `Too many requests. Please wait and try again ${waitPhrase(error.retryAfter)}.`;
    case "too_many_attempts":
      return `Too many failed attempts for this account, so it is blocked for now. Try again ${
        error.retryAfter ? waitPhrase(error.retryAfter) : "later"
      }.`;
    case "link_other_browser":
      return "This sign-in link was opened in a different browser from the one that asked for it. Open it in that browser, or send yourself a new link from here.";
    case "link_used_or_expired":
      return "This sign-in link has already been used or has expired. Send yourself a new one.";
    case "access_denied":
      return "This sign-in link didn't work: it may have expired or been used already. Ask for a new one.";
    case "expired_token":
      return /mfa_token/i.test(error.description ?? "")
        ? "This sign-in took too long. Please start again."
        : "That code has expired. Ask for a new one.";
    case "bad.email":
      return "That email address doesn't look right.";
    case "bad.phone_number":
      return "That phone number doesn't look right. Start with + and the country code.";
    case "sms_provider_error":
      return "We couldn't send a text message to that number. Check it, or sign in another way.";
    case "upstream_unavailable":
    case "upstream_timeout":
      return "The sign-in service isn't answering right now. Please try again in a moment.";
    case "invalid_id_token":
      return "The sign-in answer couldn't be verified. Check that this device's clock is right, then try again.";
    case "passkey_cancelled":
      return "No passkey was used. Try again, or sign in with a code.";
    case "passkey_unsupported":
      return "Passkeys don't work in this browser or on this page. Sign in with a code instead.";
    case "passkey_exists":
      return "This device already has a passkey for your account: sign in with it.";
    case "user_exists":
      return "There is already an account for that address. Sign in with a code, then save a passkey.";
    case "upstream_refused":
      return error.description || "The sign-in service refused the request.";
    case "not_ready":
      return "The page is still loading. Try again in a moment.";
    case "storage_unavailable":
      return "This browser blocks the storage a sign-in link needs. Use a code instead.";
    default:
      return error?.description || error?.message || "Something went wrong. Please try again.";
  }
}
