// What the report says about the machine and the tools a run used.
import { spawnSync } from "node:child_process";
import { cpus, loadavg, release, totalmem } from "node:os";

import { peerVersions } from "./peers.mjs";
import { root } from "./servers.mjs";

const output = (command, args) => {
  // nginx -v writes its version on stderr; wrk -v on stdout, then exits 1: read both, any status.
  const run = spawnSync(command, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 });
  if (run.error) return "unavailable";
  return `${run.stdout ?? ""}${run.stderr ?? ""}`.trim() || "unavailable";
};
const first = (text) => text.split("\n")[0];

export function machine({ cores }) {
  let peers = {};
  try {
    peers = peerVersions();
  } catch {}
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    logicalCpus: cpus().length,
    memoryGb: totalmem() / 2 ** 30,
    kernel: release(),
    os: first(output("sh", ["-c", ". /etc/os-release && echo $PRETTY_NAME"])),
    load: loadavg(),
    cores,
    commit: output("git", ["rev-parse", "--short", "HEAD"]),
    dirty: output("git", ["status", "--porcelain", "--untracked-files=no"]) !== "",
    versions: {
      rustc: output("rustc", ["--version"]),
      node: process.version,
      chromium: output("/usr/bin/chromium", ["--version"]),
      nginx: first(output("nginx", ["-v"])),
      wrk: first(output("wrk", ["-v"])),
      openssl: output("openssl", ["version"]),
      sqlite3: first(output("sqlite3", ["--version"])).split(" ").slice(0, 1).join(""),
      perf: output("perf", ["--version"]),
      ...peers,
    },
  };
}
