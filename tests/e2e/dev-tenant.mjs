// The local tenant's dev routes, called by the tests themselves (not by the page): users with
// second factors, the global MFA policy and the tenant's clock.
import assert from "node:assert/strict";

import { DEMO_URL } from "./browser.mjs";

async function call(method, path, body) {
  const response = await fetch(`${DEMO_URL}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => null);
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** A new address per call, so that no earlier code, user or message gets in the way. */
export function uniqueEmail(tag = "ada") {
  return `${tag}+${Date.now()}${Math.floor(Math.random() * 1000)}@example.com`;
}

/** A new E.164 number per call (not +999…, which the simulated SMS provider refuses). */
export function uniquePhone() {
  return `+1555${String(Date.now()).slice(-5)}${Math.floor(Math.random() * 100).toString().padStart(2, "0")}`;
}

/**
 * A verified user with second factors ("otp", "sms", "email", "push"); answers
 * { user_id, totp_secret, recovery_codes, authenticators }.
 */
export function createUser(email, factors, mfaPhoneNumber) {
  return call("POST", "/dev/users", { email, factors, mfa_phone_number: mfaPhoneNumber });
}

/** "always" (everyone needs a second factor, and enrols one) or "when-enrolled". */
export function setMfaPolicy(policy) {
  return call("PUT", "/dev/mfa-policy", { policy });
}

/**
 * Moves the tenant's clock forward. ID tokens issued meanwhile are dated in the browser's
 * future, so a test that does this puts the clock back with `resetClock()` when it is done.
 */
export function advanceClock(seconds) {
  return call("POST", "/dev/clock", { advance_seconds: seconds });
}

/** Back to the real time. */
export function resetClock() {
  return call("POST", "/dev/clock", { reset: true });
}
