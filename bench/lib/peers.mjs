// The peers: what users would pick instead of this SDK, each bundled by bench/peers/'s
// `npm run bundle` (esbuild, minified ESM for the browser) from an entry file that constructs
// the client a page needs for the passwordless job, its initialisation awaited.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const peersDir = join(dirname(fileURLToPath(import.meta.url)), "..", "peers");

/// [name shown, bundle in bench/peers/dist/, npm package whose version is reported]
export const peerBundles = [
  ["@stytch/vanilla-js", "stytch.js", "@stytch/vanilla-js"],
  ["@supabase/auth-js", "supabase.js", "@supabase/auth-js"],
  ["firebase/auth", "firebase.js", "firebase"],
  ["auth0-js", "auth0.js", "auth0-js"],
  ["@auth0/auth0-spa-js", "auth0-spa.js", "@auth0/auth0-spa-js"],
];

/// The peers of the drop-in element (passwordless-wasm/element): Auth0's Lock Passwordless,
/// bundled with React in production mode (its smallest build).
export const elementPeerBundles = [
  ["auth0-lock (Lock Passwordless)", "auth0-lock-passwordless.js", "auth0-lock"],
];

/// Installs the peers from their lockfile (first use only) and bundles them.
export function bundlePeers() {
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: peersDir, stdio: ["ignore", "ignore", "inherit"] });
  // Installed when any peer is missing (a first run, or a lockfile that gained a peer).
  const missing = [...peerBundles, ...elementPeerBundles].some(([, , pkg]) => !existsSync(join(peersDir, "node_modules", pkg, "package.json")));
  if (missing) run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
  run("npm", ["run", "--silent", "bundle"]);
}

/// The installed version of each peer package, for the report.
export function peerVersions() {
  return Object.fromEntries(
    [...peerBundles, ...elementPeerBundles].map(([name, , pkg]) => [name, JSON.parse(readFileSync(join(peersDir, "node_modules", pkg, "package.json"), "utf8")).version]),
  );
}
