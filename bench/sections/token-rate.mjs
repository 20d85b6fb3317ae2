//! 5. Tenant token rate: /oauth/token completions per second with the refresh-token grant
//! (each call signs a fresh RS256 ID token; no tenant change needed), against
//! `openssl speed rsa2048` signs per second on the same core. A CPU profile of that core while
//! the tenant is loaded.
import { execFile } from "node:child_process";
import { join } from "node:path";

import { profileServers } from "../lib/perf.mjs";
import { benchClient, codeFor, cores, startTenant, stop } from "../lib/servers.mjs";
import { expectReply, wrk } from "../lib/wrk.mjs";

const OTP = "http://auth0.com/oauth/grant-type/passwordless/otp";

/// `openssl speed rsa2048` pinned to the servers' core: RSA-2048 signs per second.
function opensslSigns(seconds) {
  return new Promise((resolve, reject) =>
    execFile("taskset", ["-c", String(cores.servers), "openssl", "speed", "-seconds", String(seconds), "rsa2048"], { timeout: (seconds * 4 + 30) * 1000 }, (error, stdout) => {
      const match = stdout?.match(/^rsa\s+2048 bits\s+\S+\s+\S+\s+([\d.]+)/m);
      if (error || !match) return reject(new Error(`openssl speed: ${error?.message ?? stdout}`));
      resolve(Number(match[1]));
    }),
  );
}

export async function tokenRate({ work, quick, perf }) {
  const seconds = quick ? 3 : 8;
  const client = benchClient();
  const tenant = await startTenant({ work, port: 18291, dataDir: join(work, "token-data"), client, name: "token-tenant" });
  try {
    const email = "token@bench.example";
    const otp = await codeFor(tenant.url, client, email);
    const credentials = { client_id: client.clientId, client_secret: client.clientSecret };
    const signedIn = await expectReply(`${tenant.url}/oauth/token`, {
      ...credentials, grant_type: OTP, username: email, otp, realm: "email", scope: "openid profile email offline_access",
    });
    const body = { ...credentials, grant_type: "refresh_token", refresh_token: signedIn.refresh_token };
    const refreshed = await expectReply(`${tenant.url}/oauth/token`, body);
    if (!refreshed.id_token) throw new Error(`the refresh grant answered no ID token: ${JSON.stringify(refreshed)}`);
    const url = `${tenant.url}/oauth/token`;
    await wrk({ work, name: "warm-token", url, body, connections: 4, seconds: 1 });
    const run = await wrk({ work, name: "token", url, body, connections: 4, seconds });
    const signs = await opensslSigns(quick ? 1 : 3);
    console.log(`  tenant /oauth/token (refresh grant, one RS256 ID token each): ${run.rps.toFixed(0)}/s, p50 ${run.p50Ms.toFixed(2)} ms; openssl rsa2048: ${signs.toFixed(0)} signs/s; ratio ${(run.rps / signs).toFixed(2)}`);
    const profile = perf
      ? await profileServers({ work, name: "token", seconds: quick ? 2 : 4, processes: { tenant: tenant.child.pid }, load: () => wrk({ work, name: "perf-token", url, body, connections: 4, seconds: quick ? 3 : 5 }) })
      : null;
    return { run, opensslSignsPerSecond: signs, ratio: run.rps / signs, profile };
  } finally {
    await stop(tenant.child);
  }
}
