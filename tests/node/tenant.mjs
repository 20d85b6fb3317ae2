// Starts the real `passwordless-tenant` binary on a free loopback port, optionally behind an
// HTTPS proxy (a TLS-terminating front, as in production), for tests that use real clients.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { randomBytes } from "node:crypto";

const binary = process.env.TENANT_BIN ?? `${process.env.CARGO_TARGET_DIR ?? "target"}/debug/passwordless-tenant`;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url) {
  for (let i = 0; i < 200; i++) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not come up`);
}

/** An HTTPS front on `port` for the plain-HTTP server at `target`. */
function tlsProxy(port, target, tlsDir) {
  const server = https.createServer(
    { key: readFileSync(`${tlsDir}/key.pem`), cert: readFileSync(`${tlsDir}/cert.pem`) },
    (req, res) => {
      const upstream = http.request(
        `${target}${req.url}`,
        { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
        (answer) => {
          res.writeHead(answer.statusCode, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.writeHead(502).end());
      req.pipe(upstream);
    },
  );
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

/**
 * Starts a tenant with the built-in demo client. With `tlsDir`, it sits behind an HTTPS
 * proxy and its issuer is the proxy's https URL. Returns { domain, baseUrl, secret, stop }.
 */
export async function startTenant({ tlsDir } = {}) {
  const secret = randomBytes(24).toString("hex");
  const port = await freePort();
  const publicPort = tlsDir ? await freePort() : port;
  const baseUrl = `${tlsDir ? "https" : "http"}://127.0.0.1:${publicPort}`;
  const child = spawn(
    binary,
    ["--listen", `127.0.0.1:${port}`, "--in-memory", "--issuer", baseUrl, "--demo-client-secret", secret],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const exited = new Promise((resolve) => child.on("exit", resolve));
  await waitFor(`http://127.0.0.1:${port}/.well-known/jwks.json`);
  const proxy = tlsDir ? await tlsProxy(publicPort, `http://127.0.0.1:${port}`, tlsDir) : null;
  return {
    domain: `127.0.0.1:${publicPort}`,
    baseUrl,
    secret,
    /** The newest dev-inbox message to `to`. */
    async latestMessage(to) {
      const response = await fetch(`http://127.0.0.1:${port}/dev/inbox?to=${encodeURIComponent(to)}`);
      return (await response.json())[0];
    },
    async stop() {
      proxy?.close();
      child.kill();
      await exited;
    },
  };
}
