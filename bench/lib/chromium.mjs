// Headless Chromium driven over --remote-debugging-pipe (commands on fd 3, replies and events on
// fd 4, NUL-separated), with no DevTools session attached to the pages it opens: an attached
// session (Playwright's) makes Blink capture a JS stack trace for every fetch, work that a
// user's page does not do. Host names other than loopback resolve to nothing, so a peer SDK
// that wants to phone home cannot leave the machine.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/// Starts Chromium (optionally under `taskset -c CORE`); answers `{ send, listeners, close }`.
export async function launch({ core } = {}) {
  const profile = await mkdtemp(join(tmpdir(), "bench-chromium-"));
  const args = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    "--remote-debugging-pipe", `--user-data-dir=${profile}`, "about:blank",
  ];
  const [command, argv] = core === undefined ? ["/usr/bin/chromium", args] : ["taskset", ["-c", String(core), "/usr/bin/chromium", ...args]];
  const chromium = spawn(command, argv, { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });
  const exited = new Promise((r) => chromium.once("exit", r));
  const pending = new Map();
  const listeners = {};
  let lastId = 0;
  let inbox = "";
  chromium.stdio[4].setEncoding("utf8").on("data", (chunk) => {
    inbox += chunk;
    for (let end; (end = inbox.indexOf("\0")) >= 0; inbox = inbox.slice(end + 1)) {
      const message = JSON.parse(inbox.slice(0, end));
      if (message.id === undefined) listeners[message.method]?.(message.params);
      else {
        const { resolve, reject, method } = pending.get(message.id);
        pending.delete(message.id);
        message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result);
      }
    }
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      pending.set(++lastId, { resolve, reject, method });
      chromium.stdio[3].write(JSON.stringify({ id: lastId, method, params }) + "\0");
    });
  const close = async () => {
    await send("Browser.close").catch(() => chromium.kill());
    await exited;
    await rm(profile, { recursive: true, force: true, maxRetries: 5 });
  };
  return { send, listeners, close };
}
