// The local tenant driven by Auth0's own Node SDK (npm `auth0`, its AuthenticationClient), an
// independent client: if it works against the tenant unchanged, so should apps built on it.
// The SDK only speaks HTTPS to `https://{domain}` and verifies ID tokens against
// `https://{domain}/` and its JWKS, so the tenant runs behind a TLS proxy with a test CA
// (NODE_EXTRA_CA_CERTS, set by scripts/test.sh).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { AuthenticationClient } from "auth0";
import { startTenant } from "./tenant.mjs";

let tenant;
let auth0;

before(async () => {
  assert.ok(process.env.TEST_TLS_DIR, "TEST_TLS_DIR must name the test certificate folder (scripts/test.sh sets it)");
  tenant = await startTenant({ tlsDir: process.env.TEST_TLS_DIR });
  auth0 = new AuthenticationClient({ domain: tenant.domain, clientId: "demo-client", clientSecret: tenant.secret });
});

after(async () => {
  await tenant?.stop();
});

test("sendEmail with a code, then loginWithEmail, with the ID token verified by the SDK", async () => {
  const email = `ada+${Date.now()}@example.com`;
  await auth0.passwordless.sendEmail({ email, send: "code" });
  const message = await tenant.latestMessage(email);
  assert.equal(message.kind, "code");
  const { data } = await auth0.passwordless.loginWithEmail({ email, code: message.code, scope: "openid email" });
  assert.equal(data.token_type, "Bearer");
  const claims = JSON.parse(Buffer.from(data.id_token.split(".")[1], "base64url"));
  assert.equal(claims.iss, `${tenant.baseUrl}/`);
  assert.equal(claims.email, email);
});

test("sendSMS, then loginWithSMS", async () => {
  const phone = "+14155550123";
  await auth0.passwordless.sendSMS({ phone_number: phone });
  const message = await tenant.latestMessage(phone);
  assert.equal(message.channel, "sms");
  const { data } = await auth0.passwordless.loginWithSMS({ phone_number: phone, code: message.code, scope: "openid phone" });
  const claims = JSON.parse(Buffer.from(data.id_token.split(".")[1], "base64url"));
  assert.equal(claims.phone_number, phone);
  assert.match(claims.sub, /^sms\|/);
});

test("sendEmail without send mails a magic link (Auth0's default)", async () => {
  const email = `link+${Date.now()}@example.com`;
  await auth0.passwordless.sendEmail({ email, authParams: { scope: "openid", state: "abc" } });
  const message = await tenant.latestMessage(email);
  assert.equal(message.kind, "link");
  const link = new URL(message.link);
  assert.equal(link.origin, tenant.baseUrl);
  assert.equal(link.searchParams.get("state"), "abc");
});

test("a wrong code is an AuthApiError with the contract's error", async () => {
  const email = `bob+${Date.now()}@example.com`;
  await auth0.passwordless.sendEmail({ email, send: "code" });
  const { code } = await tenant.latestMessage(email);
  const wrong = code === "000000" ? "111111" : "000000";
  await assert.rejects(auth0.passwordless.loginWithEmail({ email, code: wrong }), (error) => {
    assert.equal(error.name, "AuthApiError");
    assert.equal(error.statusCode, 403);
    assert.equal(error.error, "invalid_grant");
    assert.equal(error.error_description, "Wrong email or verification code.");
    return true;
  });
});

test("a wrong client secret is refused with 401 access_denied", async () => {
  const impostor = new AuthenticationClient({ domain: tenant.domain, clientId: "demo-client", clientSecret: "not-the-secret" });
  await assert.rejects(impostor.passwordless.sendEmail({ email: "eve@example.com", send: "code" }), (error) => {
    assert.equal(error.statusCode, 401);
    assert.equal(error.error, "access_denied");
    return true;
  });
});
