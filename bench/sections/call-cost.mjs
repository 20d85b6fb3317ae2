//! 3. Cost per call: `start` + `verify` through our SDK against the same two calls made with
//! plain `fetch` from the same page to the same relay (and tenant), in headless Chromium. A
//! third variant adds what a careful plain-fetch page must also do, the ID token's RS256
//! check with WebCrypto (key imported once); a fourth imports the key for every token, as the
//! SDK does today, to show what caching the CryptoKey would save. The variants take turns in
//! each round, each with a new address; the page times only the two calls (the code is read
//! from the tenant's dev inbox in between, untimed). The first rounds warm up (the SDK's
//! discovery and JWKS fetches, the preflight cache) and are dropped.
import { readFile } from "node:fs/promises";
import http from "node:http";
import { join } from "node:path";

import { launch } from "../lib/chromium.mjs";
import { benchClient, cores, inboxCode, root, startRelay, startTenant, stop } from "../lib/servers.mjs";

const page = ({ relay, clientId, rounds, warmUp }) => `<!doctype html><link rel="icon" href="data:,"><script type="module">
import init, { PasswordlessClient } from "/pkg/passwordless.js";
const relay = ${JSON.stringify(relay)}, clientId = ${JSON.stringify(clientId)};
const OTP = "http://auth0.com/oauth/grant-type/passwordless/otp";
const scope = "openid profile email";
try {
  await init();
  const sdk = new PasswordlessClient({ domain: relay, clientId, scope });
  const post = async (path, body) => {
    const reply = await fetch(relay + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const json = await reply.json();
    if (!reply.ok) throw new Error(path + ": " + reply.status + " " + JSON.stringify(json));
    return json;
  };
  const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const text = (s) => new TextDecoder().decode(bytes(s));
  let issuer, keys;
  let jwkSet;
  const importJwk = (k) => crypto.subtle.importKey("jwk", k, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
  // importPerCall: as the SDK does today, the JWKS kept but its key imported for every token.
  const verifyIdToken = async (token, importPerCall = false) => {
    if (!keys) {
      issuer = (await (await fetch(relay + "/.well-known/openid-configuration")).json()).issuer;
      jwkSet = await (await fetch(relay + "/.well-known/jwks.json")).json();
      keys = new Map(await Promise.all(jwkSet.keys.map(async (k) => [k.kid, await importJwk(k)])));
    }
    const [h, p, s] = token.split(".");
    const header = JSON.parse(text(h)), claims = JSON.parse(text(p));
    if (importPerCall) keys.set(header.kid, await importJwk(jwkSet.keys.find((k) => k.kid === header.kid)));
    const ok = header.alg === "RS256" && keys.has(header.kid) &&
      await crypto.subtle.verify("RSASSA-PKCS1-v1_5", keys.get(header.kid), bytes(s), new TextEncoder().encode(h + "." + p));
    const now = Date.now() / 1000;
    if (!ok || claims.iss !== issuer || claims.aud !== clientId || claims.exp < now - 60 || claims.iat > now + 60) throw new Error("bad ID token");
  };
  const fetchStart = (email) => post("/passwordless/start", { client_id: clientId, connection: "email", email, send: "code" });
  const fetchVerify = (email, otp) => post("/oauth/token", { grant_type: OTP, client_id: clientId, username: email, otp, realm: "email", scope });
  const variants = {
    "passwordless-wasm": [(email) => sdk.start({ connection: "email", email, send: "code" }),
                          (email, code) => sdk.verify({ connection: "email", email, code })],
    "fetch": [fetchStart, fetchVerify],
    "fetch + WebCrypto ID-token check": [fetchStart, async (email, otp) => verifyIdToken((await fetchVerify(email, otp)).id_token)],
    "fetch + check, key imported per call": [fetchStart, async (email, otp) => verifyIdToken((await fetchVerify(email, otp)).id_token, true)],
  };
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((n) => [n, { start: [], verify: [] }]));
  for (let round = 0; round < ${rounds + warmUp}; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      const [start, verify] = variants[name];
      const email = "call-" + round + "-" + k + "@bench.example";
      const t0 = performance.now();
      await start(email);
      const t1 = performance.now();
      const code = await (await fetch("/code?to=" + encodeURIComponent(email))).text();
      const t2 = performance.now();
      await verify(email, code);
      const t3 = performance.now();
      if (round >= ${warmUp}) samples[name].start.push(t1 - t0), samples[name].verify.push(t3 - t2);
    }
  }
  await fetch("/done", { method: "POST", body: JSON.stringify({ samples }) });
} catch (e) {
  await fetch("/done", { method: "POST", body: JSON.stringify({ error: String(e?.stack ?? e) }) });
}
</script>`;

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

export async function callCost({ work, quick }) {
  const rounds = quick ? 20 : 150;
  const warmUp = 5;
  const client = benchClient();
  const tenant = await startTenant({ work, port: 18301, dataDir: join(work, "call-data"), client, name: "call-tenant" });
  let relay;
  let browser;
  let onDone;
  const done = new Promise((resolve) => (onDone = resolve));
  const isolation = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    try {
      if (url.pathname === "/") return res.writeHead(200, { ...isolation, "content-type": "text/html" }).end(page({ relay: relay.url, clientId: client.clientId, rounds, warmUp }));
      if (url.pathname === "/code") return res.writeHead(200, { "content-type": "text/plain" }).end(await inboxCode(tenant.url, url.searchParams.get("to")));
      if (url.pathname === "/done") {
        let body = "";
        for await (const chunk of req) body += chunk;
        onDone(JSON.parse(body));
        return res.writeHead(204).end();
      }
      const file = { "/pkg/passwordless.js": "text/javascript", "/pkg/passwordless_bg.wasm": "application/wasm" }[url.pathname];
      if (file) return res.writeHead(200, { ...isolation, "content-type": file }).end(await readFile(join(root, url.pathname)));
      res.writeHead(404).end();
    } catch (error) {
      res.writeHead(500).end(String(error.message));
    }
  });
  try {
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    const origin = `http://127.0.0.1:${server.address().port}`;
    relay = await startRelay({ work, port: 18300, upstream: tenant.url, client, origins: [origin] });
    browser = await launch({ core: cores.load });
    await browser.send("Target.createTarget", { url: `${origin}/` });
    const timer = setTimeout(() => onDone({ error: `no report from the page in ${quick ? 120 : 600} s` }), (quick ? 120 : 600) * 1000);
    const report = await done;
    clearTimeout(timer);
    if (report.error) throw new Error(`call-cost page: ${report.error}`);
    const rows = Object.entries(report.samples).map(([name, { start, verify }]) => ({
      name,
      startMs: median(start),
      verifyMs: median(verify),
      bothMs: median(start.map((s, i) => s + verify[i])),
      spread: { min: Math.min(...start.map((s, i) => s + verify[i])), max: Math.max(...start.map((s, i) => s + verify[i])) },
    }));
    for (const row of rows) console.log(`  ${row.name.padEnd(34)} start ${row.startMs.toFixed(2)} ms  verify ${row.verifyMs.toFixed(2)} ms  both ${row.bothMs.toFixed(2)} ms`);
    const [ours, plain, checked] = rows;
    console.log(`  ratio of medians, ours / fetch: ${(ours.bothMs / plain.bothMs).toFixed(3)}; ours / fetch + check: ${(ours.bothMs / checked.bothMs).toFixed(3)}`);
    return { rounds, warmUp, rows, ratioToFetch: ours.bothMs / plain.bothMs, ratioToCheckedFetch: ours.bothMs / checked.bothMs };
  } finally {
    await browser?.close();
    server.close();
    await stop(relay?.child);
    await stop(tenant.child);
  }
}
