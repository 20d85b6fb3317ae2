// The package's entry, bundled with wasm-bindgen's glue into pkg/passwordless.js by
// scripts/build-sdk.sh: the glue's API unchanged, with what a server-rendered app needs.
// Next.js, Nuxt, SvelteKit, Remix and Astro also evaluate client components on the server,
// where `init()` would fetch the bundler's rewritten URL (`/_next/static/media/….wasm`) and
// reject, and where a client can do nothing useful:
// - `init()` where there is no browser, given nothing to load but a URL, resolves at once
//   without fetching; given bytes, a `Response` or a `WebAssembly.Module`, it loads them, in
//   Node too (as does `initSync`);
// - `new PasswordlessClient()` before the wasm is loaded throws a `PasswordlessError`:
//   `unsupported` where `init()` found no browser, `not_ready` in a browser before `init()` has
//   finished. (Without this, both were `TypeError: Cannot read properties of undefined`.)
import initWasm, { initSync as initWasmSync, PasswordlessClient as WasmClient } from "./passwordless.js";

export * from "./passwordless.js";

/** "unloaded", "loaded", or "no-browser" (init() found nothing to run in). */
let wasmState = "unloaded";

const inBrowser = () => typeof window !== "undefined" || typeof WorkerGlobalScope !== "undefined";

/** Whether `source` (what init() was given) can only be fetched, and fetching means a browser. */
function onlyFetchable(source) {
  const path = source !== null && typeof source === "object" && Object.getPrototypeOf(source) === Object.prototype
    ? source.module_or_path
    : source;
  return path === undefined || typeof path === "string" || path instanceof URL
    || (typeof Request === "function" && path instanceof Request);
}

function passwordlessError(code, description) {
  const error = new Error(description);
  error.name = "PasswordlessError";
  return Object.assign(error, { code, description });
}

/**
 * Loads the wasm core (wasm-bindgen's `init`); where there is no browser and only a URL to
 * fetch, resolves without loading anything.
 */
export default async function init(source) {
  if (wasmState !== "loaded" && !inBrowser() && onlyFetchable(source)) {
    wasmState = "no-browser";
    return undefined;
  }
  const exports = await initWasm(source);
  wasmState = "loaded";
  return exports;
}

/** Loads the wasm core from bytes or a `WebAssembly.Module`, synchronously (anywhere). */
export function initSync(module) {
  const exports = initWasmSync(module);
  wasmState = "loaded";
  return exports;
}

export class PasswordlessClient extends WasmClient {
  constructor(options) {
    if (wasmState === "no-browser") {
      throw passwordlessError("unsupported",
        "PasswordlessClient works in the browser: create it there (in useEffect, onMounted or onMount), not while rendering on the server");
    }
    if (wasmState !== "loaded") {
      throw passwordlessError("not_ready", "the wasm core is not loaded yet: await init() before new PasswordlessClient()");
    }
    super(options);
  }
}
