//! 6 (tenant): start and verify latency with 1 k, 100 k and 1 M users in the tenant's SQLite
//! store. The tenant makes its own schema on a first start; the users are then inserted with
//! the sqlite3 CLI into that schema (as the tenant writes them: 24-hex-digit ids, lower-cased
//! emails), and the tenant is started again on the file. One client, one request at a time,
//! random existing users: the latency of each call, not throughput.
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";

import { benchClient, inboxCode, startTenant, stop } from "../lib/servers.mjs";

const OTP = "http://auth0.com/oauth/grant-type/passwordless/otp";
export const userCounts = [1_000, 100_000, 1_000_000];

function seed(database, count) {
  const t0 = performance.now();
  execFileSync("sqlite3", [database], {
    input: `BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
INSERT INTO users (id, connection, identifier, verified, created_at, updated_at)
  SELECT printf('%024x', i), 'email', 'user' || i || '@bench.example', 1, 1700000000, 1700000000 FROM n;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
`,
    timeout: 300_000,
  });
  return (performance.now() - t0) / 1000;
}

const percentile = (list, p) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor((list.length * p) / 100))];

async function post(url, body) {
  const t0 = performance.now();
  const reply = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  const text = await reply.text();
  const ms = performance.now() - t0;
  if (!reply.ok) throw new Error(`${url}: ${reply.status} ${text.slice(0, 200)}`);
  return { ms, json: JSON.parse(text) };
}

export async function userScaling({ work, quick }) {
  const samples = quick ? 40 : 300;
  const client = benchClient();
  const credentials = { client_id: client.clientId, client_secret: client.clientSecret };
  const rows = [];
  for (const count of userCounts) {
    const dataDir = join(work, `users-${count}`);
    const first = await startTenant({ work, port: 18295, dataDir, client, name: `users-${count}` });
    await stop(first.child);
    const database = join(dataDir, "tenant.sqlite3");
    const seedSeconds = seed(database, count);
    const tenant = await startTenant({ work, port: 18295, dataDir, client, name: `users-${count}` });
    try {
      const start = [];
      const verify = [];
      for (let i = 0; i < samples + 10; i++) {
        const email = `user${1 + Math.floor(Math.random() * count)}@bench.example`;
        const started = await post(`${tenant.url}/passwordless/start`, { ...credentials, connection: "email", email, send: "code" });
        const otp = await inboxCode(tenant.url, email);
        const verified = await post(`${tenant.url}/oauth/token`, { ...credentials, grant_type: OTP, username: email, otp, realm: "email", scope: "openid email" });
        if (!verified.json.id_token) throw new Error(`no ID token for ${email}`);
        if (i >= 10) start.push(started.ms), verify.push(verified.ms); // the first 10 warm up
      }
      const row = {
        users: count,
        seedSeconds,
        databaseMb: statSync(database).size / 2 ** 20,
        samples,
        start: { p50Ms: percentile(start, 50), p99Ms: percentile(start, 99) },
        verify: { p50Ms: percentile(verify, 50), p99Ms: percentile(verify, 99) },
      };
      rows.push(row);
      console.log(
        `  ${String(count).padStart(8)} users (${row.databaseMb.toFixed(0)} MB, seeded in ${seedSeconds.toFixed(1)} s): ` +
          `start p50 ${row.start.p50Ms.toFixed(2)} p99 ${row.start.p99Ms.toFixed(2)} ms; verify p50 ${row.verify.p50Ms.toFixed(2)} p99 ${row.verify.p99Ms.toFixed(2)} ms`,
      );
    } finally {
      await stop(tenant.child);
    }
  }
  return { rows };
}
