// The servers under test, started as a deployment runs them: the standalone release binaries
// `passwordless-tenant` and `passwordless-relay serve`, and Debian's nginx as a plain
// proxy_pass. Every server is pinned with `taskset -c SERVER_CORE` (children and threads
// inherit it; tokio then sizes its pool to that one core) and listens on 127.0.0.1 only.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "..", "..");
/// The load generators (wrk, the browser, node clients) run on one core, the servers on the other.
export const cores = { load: process.env.BENCH_LOAD_CORE ?? "0", servers: process.env.BENCH_SERVER_CORE ?? "1" };

const running = new Set();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/// Spawns `command` pinned to `core`, its output to `log`; answers the child process.
export function pinned(core, command, args, { log, env } = {}) {
  const out = log ? openSync(log, "a") : "ignore";
  const child = spawn("taskset", ["-c", String(core), command, ...args], {
    stdio: ["ignore", out, out],
    env: { ...process.env, ...env },
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

/// Stops a server with SIGTERM (SIGKILL after 5 s) and waits for it.
export async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/// Waits until `url` answers 2xx, at most `seconds`; throws with the log's tail otherwise.
export async function waitReady(url, child, log, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  const tail = log ? readFileSync(log, "utf8").split("\n").slice(-15).join("\n") : "";
  throw new Error(`${url} did not become ready in ${seconds} s\n${tail}`);
}

/// Resident memory of a process in KB: now (VmRSS) and its peak (VmHWM).
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))?.[1]);
  return { rssKb: field("VmRSS"), peakKb: field("VmHWM") };
}

/// The bench's client of the tenant, with limits far above what a run can reach.
export function benchClient() {
  return { clientId: "bench", clientSecret: randomBytes(24).toString("hex") };
}

/// The release binaries (BENCH_BIN_DIR measures another build of them, e.g. a patched copy).
const bin = (name) => join(process.env.BENCH_BIN_DIR ?? join(root, "target", "release"), name);

/// Starts the tenant on `port` with `dataDir` (SQLite) and the bench client; answers
/// `{ child, url, log }` once it serves its discovery document.
export async function startTenant({ work, port, dataDir, client, name = "tenant" }) {
  mkdirSync(dataDir, { recursive: true });
  const config = join(work, `${name}.toml`);
  writeFileSync(
    config,
    `[rate_limit]\nstart_per_hour = 1000000000\n\n[[clients]]\nclient_id = "${client.clientId}"\n` +
      `client_secret = "${client.clientSecret}"\ntrust_forwarded_for = true\n`,
  );
  const log = join(work, `${name}.log`);
  const url = `http://127.0.0.1:${port}`;
  const child = pinned(cores.servers, bin("passwordless-tenant"), ["--listen", `127.0.0.1:${port}`, "--config", config, "--data-dir", dataDir], {
    log,
    env: { RUST_LOG: "warn" },
  });
  await waitReady(`${url}/.well-known/openid-configuration`, child, log);
  return { child, url, log };
}

/// Starts `passwordless-relay serve` on `port` in front of `upstream`, its limits out of reach.
export async function startRelay({ work, port, upstream, client, origins = [] }) {
  const log = join(work, "relay.log");
  const url = `http://127.0.0.1:${port}`;
  const args = ["serve", "--listen", `127.0.0.1:${port}`, "--upstream", upstream, "--client-id", client.clientId];
  for (const origin of origins) args.push("--allowed-origin", origin);
  for (const limit of ["--limit-start-per-ip", "--limit-start-per-identifier", "--limit-failed-token-per-ip"]) args.push(limit, "1000000000");
  const child = pinned(cores.servers, bin("passwordless-relay"), args, {
    log,
    env: { PASSWORDLESS_CLIENT_SECRET: client.clientSecret, RUST_LOG: "warn" },
  });
  await waitReady(`${url}/readyz`, child, log);
  return { child, url, log };
}

/// Starts nginx (one worker, upstream keep-alive like the relay's connection pool, no access
/// log) as a plain `proxy_pass` to `upstream`.
export async function startNginx({ work, port, upstream }) {
  const prefix = join(work, "nginx");
  mkdirSync(join(prefix, "logs"), { recursive: true });
  const config = join(prefix, "nginx.conf");
  writeFileSync(
    config,
    `user root;
worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream tenant { server ${upstream.replace("http://", "")}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://tenant;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  const log = join(prefix, "logs", "stderr.log");
  const url = `http://127.0.0.1:${port}`;
  const child = pinned(cores.servers, "nginx", ["-p", prefix, "-c", config], { log });
  await waitReady(`${url}/.well-known/openid-configuration`, child, log);
  return { child, url, log };
}

/// Starts a passwordless sign-in at the tenant and answers the code from its dev inbox.
export async function codeFor(tenantUrl, client, email) {
  const started = await fetch(`${tenantUrl}/passwordless/start`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret, connection: "email", email, send: "code" }),
  });
  if (!started.ok) throw new Error(`start for ${email}: ${started.status} ${await started.text()}`);
  return inboxCode(tenantUrl, email);
}

/// The newest code in the tenant's dev inbox for `email`.
export async function inboxCode(tenantUrl, email) {
  const messages = await (await fetch(`${tenantUrl}/dev/inbox?to=${encodeURIComponent(email)}`)).json();
  const code = messages[0]?.code;
  if (!code) throw new Error(`no code in the dev inbox for ${email}: ${JSON.stringify(messages).slice(0, 200)}`);
  return code;
}
