// wrk, pinned to the load core with one thread, POSTing one JSON body; its Lua `done` hook
// prints the figures as JSON (latency percentiles in µs from wrk's own histogram), so nothing
// is scraped from its human-readable output. Every run is bounded by `--duration` and wrk's
// `--timeout`.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { cores } from "./servers.mjs";

const script = (body) => `
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.body = [==[${body}]==]
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
`;

/// Runs wrk against `url` and answers `{ rps, p50Ms, p90Ms, p99Ms, maxMs, errors, requests }`.
/// `name` names the Lua file kept in `work`.
export function wrk({ work, name, url, body, connections, seconds }) {
  const lua = join(work, `${name}.lua`);
  writeFileSync(lua, script(JSON.stringify(body)));
  const args = ["-c", String(cores.load), "wrk", "-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "5s", "-s", lua, url];
  return new Promise((resolve, reject) => {
    execFile("taskset", args, { timeout: (seconds + 30) * 1000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`wrk ${url}: ${error.message}\n${stderr}`));
      const line = stdout.split("\n").find((l) => l.startsWith("WRK-JSON "));
      if (!line) return reject(new Error(`wrk ${url}: no figures\n${stdout}\n${stderr}`));
      const r = JSON.parse(line.slice(9));
      const errors = r.connect_errors + r.read_errors + r.write_errors + r.status_errors + r.timeouts;
      resolve({
        connections,
        seconds,
        requests: r.requests,
        rps: r.requests / (r.duration_us / 1e6),
        p50Ms: r.p50_us / 1000,
        p90Ms: r.p90_us / 1000,
        p99Ms: r.p99_us / 1000,
        maxMs: r.max_us / 1000,
        meanMs: r.mean_us / 1000,
        errors,
        statusErrors: r.status_errors,
      });
    });
  });
}

/// Checks once, before a load run, that `url` answers this body with `status` (so wrk measures
/// successes, not fast refusals); answers the parsed reply.
export async function expectReply(url, body, status = 200) {
  const reply = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await reply.text();
  if (reply.status !== status) throw new Error(`${url} answered ${reply.status}, not ${status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}
