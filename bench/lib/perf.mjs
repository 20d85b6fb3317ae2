// A flat CPU profile of the servers' core while a load runs: `perf record -C CORE` (every
// process on that core, kernel included), summarised by process and by symbol. The release
// binaries keep their symbols, so Rust functions show by name.
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

import { cores } from "./servers.mjs";

const exec = (command, args, timeout) =>
  new Promise((resolve, reject) =>
    execFile(command, args, { timeout, maxBuffer: 16 << 20 }, (error, stdout, stderr) => (error ? reject(new Error(`${command}: ${error.message}\n${stderr}`)) : resolve(stdout))),
  );

/// `processes` maps what the report calls our servers to their pids.
/// Records the servers' core for `seconds` while `load()` runs; answers the top processes on
/// that core (other people's included: the machine's noise shows here) and the top symbols of
/// our servers' own threads (shares of their samples) as `{ byProcess: [[share %, what]],
/// bySymbol: [[share %, what]] }`, or `{ error }`.
export async function profileServers({ work, name, seconds, load, processes = {} }) {
  // perf names threads: every thread of our servers gets its process's name.
  const names = {};
  for (const [label, pid] of Object.entries(processes)) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) names[tid] = label;
  }
  const data = join(work, `${name}.perf.data`);
  try {
    const recording = exec("perf", ["record", "-q", "-C", String(cores.servers), "-F", "499", "-o", data, "--", "sleep", String(seconds)], (seconds + 30) * 1000);
    await Promise.all([recording, load()]);
    const report = async (sort, ours) => {
      const filter = ours ? ["--comms", "tokio-rt-worker,passwordless-te,passwordless-re,nginx", "--percentage", "relative"] : [];
      const out = await exec("perf", ["report", "-i", data, "--stdio", "--no-children", "--sort", sort, "--percent-limit", "1.5", ...filter], 60_000);
      return out
        .split("\n")
        .filter((l) => /^\s+[\d.]+%/.test(l))
        .slice(0, 15)
        .map((l) => {
          const [, share, rest] = l.match(/^\s+([\d.]+)%\s+(.*)$/);
          const what = rest.replace(/\s+/g, " ").trim().replace(/( -)+$/, "");
          return [Number(share), what.replace(/^(\d+):\S+/, (all, pid) => names[pid] ?? all)];
        });
    };
    return { byProcess: await report("pid,dso", false), bySymbol: await report("dso,symbol", true) };
  } catch (error) {
    return { error: String(error.message).split("\n")[0] };
  }
}
