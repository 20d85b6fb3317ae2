// TOTP second factors with codes from `otplib`, an implementation independent of ours, against
// the real tenant binary: a factor created by POST /dev/users, and one enrolled through
// /mfa/associate whose otpauth:// URI otplib reads like an authenticator app would.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { authenticator } from "otplib";
import { startTenant } from "./tenant.mjs";

const OTP_GRANT = "http://auth0.com/oauth/grant-type/passwordless/otp";
const MFA_OTP = "http://auth0.com/oauth/grant-type/mfa-otp";
let tenant;

before(async () => {
  tenant = await startTenant();
});

after(async () => {
  await tenant?.stop();
});

async function post(path, body, headers = {}) {
  const response = await fetch(`${tenant.baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

const client = () => ({ client_id: "demo-client", client_secret: tenant.secret });

/** The first factor by email code; answers the mfa_required body. */
async function firstFactor(email) {
  await post("/passwordless/start", { ...client(), connection: "email", email, send: "code" });
  const { code } = await tenant.latestMessage(email);
  const { status, body } = await post("/oauth/token", { ...client(), grant_type: OTP_GRANT, username: email, otp: code, realm: "email" });
  assert.equal(status, 403);
  assert.equal(body.error, "mfa_required");
  return body;
}

test("a TOTP factor made by the dev endpoint accepts otplib's code", async () => {
  const email = `totp+${Date.now()}@example.com`;
  const { body: user } = await post("/dev/users", { email, factors: ["otp"] });
  const { mfa_token } = await firstFactor(email);
  const { status, body } = await post("/oauth/token", { ...client(), grant_type: MFA_OTP, mfa_token, otp: authenticator.generate(user.totp_secret) });
  assert.equal(status, 200, JSON.stringify(body));
  assert.ok(body.id_token);
});

test("an enrolment's otpauth URI gives otplib the secret, and its code confirms the factor", async () => {
  await fetch(`${tenant.baseUrl}/dev/mfa-policy`, { method: "PUT", headers: { "content-type": "application/json" }, body: '{"policy":"always"}' });
  try {
    const email = `enrol+${Date.now()}@example.com`;
    const required = await firstFactor(email);
    assert.deepEqual(required.mfa_requirements.enroll[0], { type: "otp" });
    const enrolment = await post("/mfa/associate", { authenticator_types: ["otp"] }, { authorization: `Bearer ${required.mfa_token}` });
    assert.equal(enrolment.status, 200);
    const uri = new URL(enrolment.body.barcode_uri);
    assert.equal(uri.protocol, "otpauth:");
    const secret = uri.searchParams.get("secret");
    assert.equal(secret, enrolment.body.secret);
    const { status, body } = await post("/oauth/token", { ...client(), grant_type: MFA_OTP, mfa_token: required.mfa_token, otp: authenticator.generate(secret) });
    assert.equal(status, 200, JSON.stringify(body));
    const again = await firstFactor(email);
    assert.deepEqual(again.mfa_requirements.challenge[0], { type: "otp" });
  } finally {
    await fetch(`${tenant.baseUrl}/dev/mfa-policy`, { method: "PUT", headers: { "content-type": "application/json" }, body: '{"policy":"when-enrolled"}' });
  }
});
