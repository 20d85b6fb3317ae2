// The package's entry point: the browser's I/O (fetch, WebCrypto, Web Storage, the address bar,
// timers) around the wasm core, which checks every input, builds every request, reads every
// answer and makes every error (src/ops). The core keeps no state; a client keeps its checked
// options and the issuer's keys here and hands the options back on each call.

let wasm;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Loads the wasm core (next to this module unless `source` says otherwise). Await it once. */
export default async function init(source = new URL("passwordless_bg.wasm", import.meta.url)) {
  if (wasm) return;
  source = await source;
  if (typeof source == "string" || source instanceof URL || source instanceof Request) {
    source = await fetch(source);
  }
  if (source instanceof Response) {
    if (!source.ok) throw new Error(`passwordless: the wasm core answered ${source.status}`);
    // Not instantiateStreaming: for a module this small, compiling from the bytes keeps the
    // decoding off the main thread (bench/sdk-startup.mjs: about 1 ms less main-thread time).
    source = await source.arrayBuffer();
  }
  const result = await WebAssembly.instantiate(source);
  wasm = (result.instance ?? result).exports;
}

/** Loads the wasm core synchronously from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(module) {
  if (!(module instanceof WebAssembly.Module)) module = new WebAssembly.Module(module);
  wasm ??= new WebAssembly.Instance(module).exports;
}

/** Runs a core operation on `input`: its answer, or its error thrown as a PasswordlessError. */
function core(op, input) {
  if (!wasm) throw new Error("passwordless: await init() before using PasswordlessClient");
  let bytes;
  try {
    bytes = encoder.encode(JSON.stringify(input));
  } catch {
    bytes = new Uint8Array(); // not JSON-able (a cycle, a BigInt): the core says invalid_input
  }
  // Each call may grow the memory (detaching earlier views): make a view after each.
  const at = wasm.input(bytes.length);
  new Uint8Array(wasm.memory.buffer, at, bytes.length).set(bytes);
  const length = wasm[op](bytes.length);
  const answer = wasm.output();
  const { ok, error } = JSON.parse(decoder.decode(new Uint8Array(wasm.memory.buffer, answer, length)));
  if (error) throw Object.assign(new Error(error.description), { name: "PasswordlessError" }, error);
  return ok;
}

/** Fetches a request the core built: the answer's status, Retry-After and text. */
async function send(options, request) {
  try {
    const response = await fetch(request.url, { ...request, signal: AbortSignal.timeout(options.timeoutMs) });
    return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.text() };
  } catch (e) {
    core("failure", { kind: e?.name == "TimeoutError" ? "timeout" : "network" });
  }
}

async function reply(options, request, shape) {
  return core("reply", { ...(await send(options, request)), shape });
}

const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unbase64url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
/** A JWT part's text (`null` when it is not base64url of UTF-8 text; the core refuses that). */
const part = (text) => {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(unbase64url(text));
  } catch {
    return null;
  }
};
const random = () => base64url(crypto.getRandomValues(new Uint8Array(24)));

function storage(options) {
  try {
    return options.linkStorage == "local" ? localStorage : sessionStorage;
  } catch {
    core("failure", { kind: "storage" });
  }
}

/** What WebCrypto says of the token's RS256 signature with the issuer's key. */
async function signature(jwk, token) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return "unavailable";
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  try {
    const key = await subtle.importKey("jwk", jwk, algorithm, false, ["verify"]);
    const valid = await subtle.verify(algorithm, key, unbase64url(token.signature), encoder.encode(token.signed));
    return valid ? "valid" : "invalid";
  } catch {
    return "unusable";
  }
}

/** Sends a token request and makes its answer a session with a verified ID token. */
async function signIn(client, request, nonce) {
  const { options } = client;
  const answer = await send(options, request);
  const token = core("reply", { ...answer, shape: "tokens" });
  const kid = core("header", { header: part(token.header) });
  client.issuer ??= await reply(options, { url: options.domain + "/.well-known/openid-configuration" }, "issuer");
  const find = () => client.keys?.find((key) => key.kid == kid);
  if (!find()) client.keys = await reply(options, { url: options.domain + "/.well-known/jwks.json" }, "jwks");
  const key = find();
  return core("session", {
    options,
    tokens: answer.body,
    payload: part(token.payload),
    issuer: client.issuer,
    nonce,
    now: Math.floor(Date.now() / 1000),
    signature: key ? await signature({ kty: key.kty, n: key.n, e: key.e }, token) : "unknown_key",
  });
}

/** The callback parameters of `href`, and `href` without them. */
function callbackOf(href) {
  const params = {};
  let url;
  try {
    url = new URL(href);
  } catch {
    return { params };
  }
  for (const name of ["code", "state", "error", "error_description"]) {
    const value = url.searchParams.get(name);
    if (value != null) params[name] = value;
    url.searchParams.delete(name);
  }
  return { params, clean: url.href };
}

/** Resolves after `seconds`, or rejects with `cancelled` when `signal` aborts. */
function sleep(seconds, signal) {
  return new Promise((resolve, reject) => {
    const cancel = () => {
      clearTimeout(timer);
      try {
        core("failure", { kind: "cancelled" });
      } catch (e) {
        reject(e);
      }
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", cancel);
      resolve();
    }, seconds * 1000);
    if (signal?.aborted) cancel();
    else signal?.addEventListener("abort", cancel, { once: true });
  });
}

/** Signs a user in without a password (email or SMS one-time code, or an email magic link) through your relay. */
export class PasswordlessClient {
  #client;

  constructor(options) {
    this.#client = { options: core("options", options) };
    this.mfa = new MfaClient(this.#client);
  }

  async start(params) {
    const { options } = this.#client;
    const { request, save } = core("start", { options, params, state: random(), nonce: random() });
    if (save) {
      try {
        storage(options).setItem(save.key, save.value);
      } catch {
        core("failure", { kind: "storage" });
      }
    }
    return reply(options, request);
  }

  async verify(params) {
    const { options } = this.#client;
    return signIn(this.#client, core("verify", { options, params }));
  }

  isRedirectCallback(url) {
    return !!core("callback", callbackOf(url ?? location.href));
  }

  async handleRedirectCallback(url) {
    const { options } = this.#client;
    const { params, clean } = callbackOf(url ?? location.href);
    const found = core("callback", { params });
    if (found && url == null) history.replaceState(history.state, "", clean);
    let saved = null;
    if (found?.key) {
      const store = storage(options);
      saved = store.getItem(found.key);
      store.removeItem(found.key);
    }
    const { request, nonce } = core("exchange", { options, params, saved });
    return signIn(this.#client, request, nonce);
  }
}

/** The second factor of a sign-in that answered `mfa_required`: `client.mfa`. */
class MfaClient {
  #client;

  constructor(client) {
    this.#client = client;
  }

  #reply(op, params, shape) {
    const { options } = this.#client;
    return reply(options, core(op, { options, params }), shape);
  }

  async getAuthenticators(mfaToken) {
    return this.#reply("mfa_authenticators", { mfaToken }, "camel");
  }

  async challenge(params) {
    return this.#reply("mfa_challenge", params, "camel");
  }

  async enroll(params) {
    return this.#reply("mfa_enroll", params, "camel");
  }

  async removeAuthenticator(mfaToken, authenticatorId) {
    await this.#reply("mfa_remove", { mfaToken, authenticatorId });
  }

  async verify(params) {
    const { options } = this.#client;
    const { request, poll } = core("mfa_verify", { options, params });
    for (let interval; ; ) {
      try {
        return await signIn(this.#client, request);
      } catch (e) {
        interval = poll && core("poll", { code: e.code, interval });
        if (!interval) throw e;
        await sleep(interval, params.signal);
      }
    }
  }
}
