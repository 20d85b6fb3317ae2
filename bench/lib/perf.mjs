// A flat CPU profile of the servers' core while a load runs: `perf record -C CORE` (every
// process on that core, kernel included), summarised by process and by symbol. The release
// binaries keep their symbols, so Rust functions show by name.
import { execFile } from "node:child_process";
import { join } from "node:path";

import { cores } from "./servers.mjs";

const exec = (command, args, timeout) =>
  new Promise((resolve, reject) =>
    execFile(command, args, { timeout, maxBuffer: 16 << 20 }, (error, stdout, stderr) => (error ? reject(new Error(`${command}: ${error.message}\n${stderr}`)) : resolve(stdout))),
  );

/// Records the servers' core for `seconds` while `load()` runs; answers the top processes and
/// symbols as `{ byProcess: [[share %, what]], bySymbol: [[share %, what]] }`, or `{ error }`.
export async function profileServers({ work, name, seconds, load }) {
  const data = join(work, `${name}.perf.data`);
  try {
    const recording = exec("perf", ["record", "-q", "-C", String(cores.servers), "-F", "499", "-o", data, "--", "sleep", String(seconds)], (seconds + 30) * 1000);
    await Promise.all([recording, load()]);
    const report = async (sort) => {
      const out = await exec("perf", ["report", "-i", data, "--stdio", "--no-children", "--sort", sort, "--percent-limit", "1.5"], 60_000);
      return out
        .split("\n")
        .filter((l) => /^\s+[\d.]+%/.test(l))
        .slice(0, 15)
        .map((l) => {
          const [, share, rest] = l.match(/^\s+([\d.]+)%\s+(.*)$/);
          return [Number(share), rest.replace(/\s+/g, " ").trim()];
        });
    };
    return { byProcess: await report("comm,dso"), bySymbol: await report("comm,symbol") };
  } catch (error) {
    return { error: String(error.message).split("\n")[0] };
  }
}
