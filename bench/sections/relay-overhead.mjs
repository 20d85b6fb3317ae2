//! 4 and 6 (relay): POST /passwordless/start (a) to the tenant directly, (b) through our relay,
//! (c) through nginx as a plain proxy_pass to the same tenant, at 1, 16, 64 and 256
//! connections; the three targets take turns at each step so that background load falls on
//! all of them alike. The relay's memory idle and under 256 connections. A CPU profile of the
//! servers' core while the relay is loaded.
import { join } from "node:path";

import { profileServers } from "../lib/perf.mjs";
import { benchClient, memory, startNginx, startRelay, startTenant, stop } from "../lib/servers.mjs";
import { expectReply, wrk } from "../lib/wrk.mjs";

export const connectionSteps = [1, 16, 64, 256];

export async function relayOverhead({ work, quick, perf }) {
  const seconds = quick ? 2 : 6;
  const client = benchClient();
  const tenant = await startTenant({ work, port: 18281, dataDir: join(work, "overhead-data"), client });
  const relay = await startRelay({ work, port: 18280, upstream: tenant.url, client });
  const nginx = await startNginx({ work, port: 18282, upstream: tenant.url });
  try {
    const start = { client_id: client.clientId, connection: "email", email: "bench@example.com", send: "code" };
    const withSecret = { ...start, client_secret: client.clientSecret };
    const targets = [
      ["tenant", tenant.url, withSecret],
      ["relay", relay.url, start], // as a browser sends it: the relay adds the secret
      ["nginx", nginx.url, withSecret],
    ];
    for (const [name, url, body] of targets) {
      const reply = await expectReply(`${url}/passwordless/start`, body);
      if (reply.email !== "bench@example.com") throw new Error(`${name}: unexpected start reply ${JSON.stringify(reply)}`);
    }
    const idle = memory(relay.child.pid);
    for (const [name, url, body] of targets) await wrk({ work, name: `warm-${name}`, url: `${url}/passwordless/start`, body, connections: 16, seconds: 1 });

    const runs = [];
    for (const connections of connectionSteps) {
      for (const [name, url, body] of targets) {
        let rss = null;
        let sampler;
        if (name === "relay") {
          rss = 0;
          sampler = setInterval(() => (rss = Math.max(rss, memory(relay.child.pid).rssKb)), 100);
        }
        const run = await wrk({ work, name, url: `${url}/passwordless/start`, body, connections, seconds });
        clearInterval(sampler);
        runs.push({ target: name, ...run, relayRssKb: rss });
        const errors = run.errors ? `  ERRORS ${run.errors}` : "";
        console.log(`  ${name.padEnd(7)} c=${String(connections).padEnd(4)} ${run.rps.toFixed(0).padStart(7)} req/s  p50 ${run.p50Ms.toFixed(2)} ms  p99 ${run.p99Ms.toFixed(2)} ms${errors}`);
      }
    }
    const after = memory(relay.child.pid);
    const profile = perf
      ? await profileServers({
          work,
          name: "relay",
          seconds: quick ? 2 : 4,
          processes: { tenant: tenant.child.pid, relay: relay.child.pid },
          load: () => wrk({ work, name: "perf-relay", url: `${relay.url}/passwordless/start`, body: start, connections: 64, seconds: quick ? 3 : 5 }),
        })
      : null;
    return { seconds, runs, relayMemory: { idleKb: idle.rssKb, peakKb: after.peakKb, afterKb: after.rssKb }, profile };
  } finally {
    await Promise.all([stop(nginx.child), stop(relay.child)]);
    await stop(tenant.child);
  }
}
