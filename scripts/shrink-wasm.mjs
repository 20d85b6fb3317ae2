// The post-link shrink step between `wasm-bindgen --target web` and `wasm-opt -Oz` (issue 11,
// size), on binaryen's JS API. It rewrites the bindgen output in seven measured steps and writes
// the wasm (names kept, for scripts/wasm-top.sh; wasm-opt strips them) and the glue JS:
//
// 1. float: `<f64 as core::fmt::Display>::fmt` answers `Ok(())` without writing (body
//    `i32.const 0`). It is linked only because serde's `Unexpected::Float` Display (through
//    `serde_core::de::WithDecimalPoint`, the only code that takes its table index) formats the
//    number into error messages such as "invalid type: floating point `1.5`, expected a
//    string", which the SDK never shows (see "messages"); `src/given.rs` reads numbers as `f64`
//    without formatting them. Step "messages" makes this function unreachable too, but then only
//    the function table holds it, and dead-data.mjs's table pruning can be defeated by any
//    constant that happens to equal its index: this step keeps core's float formatter (6 KB
//    brotli) out whatever the table holds. Not `unreachable` (as wasm-snip would make it), so
//    that even a path nobody found answers instead of trapping.
// 2. messages: serde's error messages are never built. serde-wasm-bindgen's `Error::new`
//    (every instance) and `Deserializer::invalid_type_` answer an empty JS `Error` (made by
//    wasm-bindgen's `__wbindgen_error_new`, given no text) instead of formatting "invalid type:
//    …, expected …" into one; the message parts (`Expected`, `Unexpected` and
//    `WithDecimalPoint` Display, every visitor's `expecting`) write nothing. No message ever
//    reaches anyone: `src/convert.rs` is the only caller of serde-wasm-bindgen, its answers are
//    `Option`s, and clippy.toml refuses a direct call elsewhere. The errors themselves stay (a
//    wrong value is still refused, with the SDK's own code and description).
// 3. strings: serde-wasm-bindgen keeps the JS strings of struct field names in a
//    thread-local cache (`static_str_to_js`: a hashbrown map keyed by the name's address), so
//    that an object's keys are decoded from UTF-8 once per page. Here each name is converted
//    when used, by the conversion wasm-bindgen generates for `&str` -> JS string (the same
//    value). A sign-in converts a few dozen names: the cache saved microseconds and cost the
//    package 1.1 KB brotli.
// 4. panic: core's panic entry points (`panic_fmt`, and the ones that build a message first:
//    bounds checks, `unwrap` failures, str slicing, `RefCell` borrows, …) are `unreachable`, as
//    nightly's `panic_immediate_abort` makes them. The profile is `panic = "abort"` and
//    wasm32-unknown-unknown has no stderr, so a panic already ended in this trap with its
//    message written nowhere; only the formatting goes. (Every one of them returns `!`: in the
//    wasm, no results.)
// 5. debug: every `core::fmt::Debug` implementation writes nothing (`Ok(())`), as nightly's
//    `-Zfmt-debug=none` makes them. Only serde's messages (`string "x"`, `character 'x'`) and
//    panic messages use `{:?}` here, and neither is ever shown: the SDK's own code formats
//    nothing (`grep -rn "format!\|{:?}" src`: tests only).
// 6. display: `core::fmt::write` and every `Display` implementation write nothing, which
//    completes the steps before it: nothing in the package formats text any more. The SDK's
//    own code never did (its messages are `&'static str` pieces joined with `push_str` and
//    `+`); serde-wasm-bindgen's messages are never built ("messages"), panics trap ("panic"),
//    `Debug` writes nothing ("debug"), and what is left of core::fmt is held only by the
//    function table. The step checks that first: a function outside core's and alloc's fmt,
//    the `Display`/`Debug`/`Write` implementations, serde's message parts and the panic
//    machinery that calls into the formatter (`fmt::write`, `format`, a `Formatter` method, a
//    `Display` or `Write` implementation) skips the step, naming the function, because its
//    text would come out empty: a `format!` in src/ or in a dependency the SDK starts to use
//    costs this step's bytes, never a message. (Without "messages", it names
//    serde-wasm-bindgen, and this step is skipped too.)
// 7. names: wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` from the module
//    `./passwordless_bg.js`, once in the wasm and once in the glue, and the hex does not
//    compress. The imports, their module and the exports the glue calls (`wasm.NAME`) get
//    short names, and the glue is rewritten to match (the import object of
//    `__wbg_get_imports`, every `wasm.NAME`). What `init()`/`initSync()` answer keeps the
//    original export names (the `.d.ts`'s `InitOutput` promises them): a frozen object that maps
//    each to the renamed export. The public API (classes, methods, `init`, `initSync`, the
//    default export, the `.d.ts`) does not change. The glue's import entries the wasm no longer
//    imports (the stubs made them dead) are removed, so that esbuild's tree shaking drops the
//    helpers only they used.
//
// Each step is an optimisation with preconditions it checks before it changes anything it
// cannot take back: each stub is found by its demangled name in the name section (wasm-bindgen
// keeps it; wasm-opt strips it later) and its signature is checked. A pattern that matches no
// function, or more than one where one is meant (float, panic_fmt), a different signature, a
// caller of the formatter outside core's machinery ("display"), a glue not shaped as expected
// ("names"), or a module that no longer validates: the step is skipped (scripts/size-steps.mjs),
// the module and glue stay as they were before it, and one warning names the step, why, and
// what the package loses. A toolchain change can cost bytes, never a build, and never ships a
// wrong stub. One line per applied step says what it removed (raw bytes, before wasm-opt;
// unreachable code is dropped after each step so that a step is credited with the helpers
// only it reached).
//
//   node scripts/shrink-wasm.mjs IN_DIR OUT_DIR [--without float|messages|strings|panic|debug|display|names ...]
//                                               [--record FILE]
//
// IN_DIR holds wasm-bindgen's `passwordless_bg.wasm` and `passwordless.js`; OUT_DIR gets both,
// shrunk. `--without STEP` leaves a step out (to measure it); `--record FILE` adds which steps
// applied to the build's record (a JSON list), which scripts/size-report.mjs reads.

import binaryen from "binaryen";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { reasonOf, record, skip, warnSkipped } from "./size-steps.mjs";

const [inDir, outDir, ...flags] = process.argv.slice(2);
if (!inDir || !outDir) {
  console.error("usage: node scripts/shrink-wasm.mjs IN_DIR OUT_DIR [--without STEP]");
  process.exit(2);
}
const without = new Set(flags.filter((_, i) => flags[i - 1] === "--without"));
const recordPath = flags.includes("--record") ? flags[flags.indexOf("--record") + 1] : "";
const BINDGEN_MODULE = "./passwordless_bg.js";

binaryen.setDebugInfo(true); // keep the name section for wasm-top.sh
let module = binaryen.readBinary(readFileSync(`${inDir}/passwordless_bg.wasm`));
let glue = readFileSync(`${inDir}/passwordless.js`, "utf8");

const functions = () =>
  Array.from({ length: module.getNumFunctions() }, (_, i) => {
    const ref = module.getFunctionByIndex(i);
    return { ref, ...binaryen.getFunctionInfo(ref) };
  });
const typeNames = (type) =>
  binaryen.expandType(type).map((t) => ({ [binaryen.i32]: "i32", [binaryen.i64]: "i64",
    [binaryen.f32]: "f32", [binaryen.f64]: "f64" })[t] ?? `type ${t}`);
const signature = (f) => `(${typeNames(f.params).join(", ")}) -> (${typeNames(f.results).join(", ")})`;

/** The defined functions whose names match `pattern` (at least one), each passing `check`. */
function someFunctions(pattern, check, expected) {
  const found = functions().filter((f) => !f.module && pattern.test(f.name));
  if (found.length === 0) skip(`${pattern} matches no function (the toolchain changed, or the name section is gone)`);
  for (const f of found) if (!check(f)) skip(`${f.name} has signature ${signature(f)}, expected ${expected}`);
  return found;
}

/** The one defined function whose name matches `pattern`, with `expected` signature. */
function theFunction(pattern, expected) {
  const found = someFunctions(pattern, (f) => signature(f) === expected, expected);
  if (found.length !== 1) {
    skip(`${pattern} matches ${found.length} functions (${found.map((f) => f.name).join(", ")}), one was expected`);
  }
  return found[0];
}

/** The wasm's size after dropping what nothing reaches any more. */
function size() {
  module.runPasses(["remove-unused-module-elements"]);
  return module.emitBinary().length;
}

const STEPS = {
  float() {
    const fmt = theFunction(/^<f64 as core(\[[0-9a-f]+\])?::fmt::Display>::fmt(::h[0-9a-f]{16})?$/, "(i32, i32) -> (i32)");
    binaryen.Function.setBody(fmt.ref, module.i32.const(0)); // fmt::Result::Ok(()): nothing written
    return `${fmt.name} writes nothing`;
  },

  messages() {
    // serde-wasm-bindgen's errors: an empty JS `Error` (wasm-bindgen's own constructor, given no
    // text) instead of one holding the formatted message.
    const errorNew = theFunction(/^wasm_bindgen::__wbindgen_error_new(::h[0-9a-f]{16})?$/, "(i32, i32) -> (i32)");
    const makers = [
      ...someFunctions(/^serde_wasm_bindgen::error::Error::new(::h[0-9a-f]{16})?$/,
        (f) => typeNames(f.results).join() === "i32", "an `Error` (i32) result"),
      theFunction(/^serde_wasm_bindgen::de::Deserializer::invalid_type_(::h[0-9a-f]{16})?$/, "(i32, i32, i32) -> (i32)"),
    ];
    // The parts of serde's messages: what a visitor expected, what it got.
    const parts = someFunctions(new RegExp("^(<T as serde_core::de::Expected>::fmt" +
      "|<serde_core::de::(Unexpected|WithDecimalPoint) as core::fmt::Display>::fmt" +
      "|<.* as serde_core::de::Visitor>::expecting)(::h[0-9a-f]{16})?$"),
      (f) => signature(f) === "(i32, i32) -> (i32)", "(i32, i32) -> (i32)");
    for (const f of makers) {
      binaryen.Function.setBody(f.ref, module.call(errorNew.name, [module.i32.const(0), module.i32.const(0)], binaryen.i32));
    }
    for (const f of parts) binaryen.Function.setBody(f.ref, module.i32.const(0)); // Ok(()), nothing written
    return `${makers.length} serde-wasm-bindgen error makers build no message; ${parts.length} message parts write nothing`;
  },

  strings() {
    // serde-wasm-bindgen's field names: made JS strings when used, by wasm-bindgen's own `&str`
    // conversion, instead of through its thread-local cache (a hashbrown map).
    const toJs = theFunction(/^Ref\(String\) -> Externref externref shim$/, "(i32, i32) -> (i32)");
    const cache = theFunction(/^serde_wasm_bindgen::static_str_to_js(::h[0-9a-f]{16})?$/, "(i32, i32) -> (i32)");
    binaryen.Function.setBody(cache.ref, module.call(toJs.name,
      [module.local.get(0, binaryen.i32), module.local.get(1, binaryen.i32)], binaryen.i32));
    return `${cache.name} converts each name, without a cache`;
  },

  panic() {
    const panic = theFunction(/^core(\[[0-9a-f]+\])?::panicking::panic_fmt(::h[0-9a-f]{16})?$/, "(i32, i32, i32) -> ()");
    // The entry points that format a message before calling panic_fmt (all `-> !`).
    const family = someFunctions(new RegExp("^core(\\[[0-9a-f]+\\])?::(" + [
      "panicking::(panic|panic_bounds_check|panic_const::\\w+|assert_failed(_inner)?(::<.*>)?)",
      "str::slice_error_fail(_rt)?", "slice::index::slice_\\w+_fail", "(result|option)::(unwrap|expect)_failed",
      "cell::panic_already_(mutably_)?borrowed",
    ].join("|") + ")(::h[0-9a-f]{16})?$"), (f) => typeNames(f.results).length === 0, "no results (`-> !`)");
    binaryen.Function.setBody(panic.ref, module.unreachable());
    for (const f of family) binaryen.Function.setBody(f.ref, module.unreachable());
    return `${panic.name} and ${family.length} entry points that format first trap at once`;
  },

  debug() {
    return `${writeNothing("Debug").length} Debug implementations write nothing`;
  },

  display() {
    // Only core's formatting machinery may call into it: the SDK's own code and its other
    // dependencies format nothing (checked here), so what the stubs below silence is only what
    // the steps above already made unreachable or unseen.
    const machinery = new RegExp("core(\\[[0-9a-f]+\\])?::fmt::|alloc(\\[[0-9a-f]+\\])?::fmt::" +
      "|as core(\\[[0-9a-f]+\\])?::fmt::(Display|Debug|Write)>|serde_core::de::|::panicking::");
    const entry = new RegExp("^(core(\\[[0-9a-f]+\\])?::fmt::write|core::fmt::Write::write_fmt" +
      "|alloc(\\[[0-9a-f]+\\])?::fmt::format|<core(\\[[0-9a-f]+\\])?::fmt::Formatter>::" +
      "|<.* as core(\\[[0-9a-f]+\\])?::fmt::(Display|Write)>::)");
    module.runPasses(["remove-unused-module-elements"]);
    for (const [caller, callees] of directCalls()) {
      const into = callees.find((callee) => entry.test(callee));
      if (into && !machinery.test(caller)) {
        skip(`${caller} calls ${into}: it formats text, which this step would make empty ` +
          "(build the text without core::fmt, as src/ does)");
      }
    }
    const write = theFunction(/^core(\[[0-9a-f]+\])?::fmt::write(::h[0-9a-f]{16})?$/, "(i32, i32, i32, i32) -> (i32)");
    binaryen.Function.setBody(write.ref, module.i32.const(0)); // Ok(()), nothing written
    return `${write.name} and ${writeNothing("Display").length} Display implementations write nothing`;
  },

  names() {
    const glueBefore = glue.length;
    const stats = renameImportsAndExports();
    return `glue -${glueBefore - glue.length} bytes (raw, before esbuild); ${stats}`;
  },
};

const outcomes = [];
let last = size();
for (const [step, apply] of Object.entries(STEPS)) {
  if (without.has(step)) {
    outcomes.push({ step, applied: false, reason: "left out (--without)" });
    continue;
  }
  // What the step may have to give back: it changes nothing it has not checked first, but a
  // module that does not validate afterwards is also a precondition that did not hold.
  const before = { wasm: module.emitBinary(), glue };
  try {
    const note = apply();
    if (!module.validate()) skip("the rewritten module does not validate");
    const now = size();
    console.log(`shrink-wasm: ${step.padEnd(8)} -${String(last - now).padStart(6)} bytes of wasm (raw); ${note}`);
    outcomes.push({ step, applied: true, note, rawBytes: last - now });
    last = now;
  } catch (error) {
    module.dispose();
    module = binaryen.readBinary(before.wasm);
    glue = before.glue;
    const reason = reasonOf(error);
    warnSkipped("shrink-wasm", step, reason);
    outcomes.push({ step, applied: false, reason });
  }
}

mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}/passwordless_bg.wasm`, module.emitBinary());
writeFileSync(`${outDir}/passwordless.js`, glue);
record(recordPath, outcomes);

/** Every implementation of core::fmt's `trait` (`Debug`, `Display`) made to answer `Ok(())`. */
function writeNothing(trait) {
  const found = someFunctions(new RegExp(` as core(\\[[0-9a-f]+\\])?::fmt::${trait}>::fmt(::h[0-9a-f]{16})?(\\[\\d+\\])?$`),
    // `&self` (or a `&str`'s pointer and length) and the formatter, answering fmt::Result.
    (f) => ["(i32, i32) -> (i32)", "(i32, i32, i32) -> (i32)"].includes(signature(f)),
    "(i32, i32) -> (i32) or (i32, i32, i32) -> (i32)");
  for (const f of found) binaryen.Function.setBody(f.ref, module.i32.const(0)); // nothing written
  return found;
}

/** Each defined function's name and the functions it calls directly. */
function directCalls() {
  const calls = new Map();
  let current;
  const name = (text) => (text.startsWith('"') ? JSON.parse(text) : text);
  for (const line of module.emitText().split("\n")) {
    const header = /^ \(func \$("(?:[^"\\]|\\.)*"|\S+)/.exec(line);
    if (header) {
      current = [];
      calls.set(name(header[1]), current);
      continue;
    }
    if (!current) continue;
    for (const m of line.matchAll(/\(call \$("(?:[^"\\]|\\.)*"|[^\s()]+)/g)) current.push(name(m[1]));
  }
  return calls;
}

/** Short names, shortest first: a … z, A … Z, then two letters. */
function* shortNames() {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (const a of letters) yield a;
  for (const a of letters) for (const b of letters) yield a + b;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Step 3: imports, their module and the glue's exports get short names, in wasm and glue. */
function renameImportsAndExports() {
  // The import object: `const import0 = { __proto__: null, NAME: …, … };` then
  // `return { __proto__: null, "./passwordless_bg.js": import0 };`.
  const start = glue.indexOf("    const import0 = {\n");
  const moduleKey = `        ${JSON.stringify(BINDGEN_MODULE)}: import0,\n`;
  const end = glue.indexOf(moduleKey);
  if (start < 0 || end < start || glue.indexOf(moduleKey, end + 1) >= 0) {
    skip("the glue's __wbg_get_imports is not shaped as expected (wasm-bindgen changed?)");
  }
  const keyPattern = /^ {8}([A-Za-z_$][\w$]*): /gm;
  const keys = new Set([...glue.slice(start, end).matchAll(keyPattern)].map((m) => m[1]));
  keys.delete("__proto__");

  // Imports: binaryen has no setter for an import's names, so each imported function is
  // removed and added back under the same internal name (calls and tables refer to it by that
  // name), in the same order.
  const imported = functions().filter((f) => f.module === BINDGEN_MODULE);
  const names = shortNames();
  const newBase = new Map();
  for (const f of imported) {
    if (!keys.has(f.base)) skip(`the import ${f.base} has no entry in the glue's import object`);
    newBase.set(f.base, names.next().value);
  }
  for (const f of imported) module.removeFunction(f.name);
  for (const f of imported) module.addFunctionImport(f.name, "a", newBase.get(f.base), f.params, f.results);

  // Entries the wasm no longer imports (the stubs made them dead) go, and with them the glue's
  // helpers only they used (esbuild's tree shaking); wasm-opt may drop a few more, which stay.
  let body = glue.slice(start, end);
  const unused = [...keys].filter((key) => !newBase.has(key));
  for (const key of unused) {
    const entry = new RegExp(`^ {8}${escapeRegExp(key)}: [\\s\\S]*?(?=^ {8}[A-Za-z_$][\\w$]*: |(?![\\s\\S]))`, "m");
    if (!entry.test(body)) skip(`the glue's import entry ${key} could not be removed`);
    body = body.replace(entry, "");
  }
  body = body.replace(keyPattern, (line, key) => (key === "__proto__" ? line : `        ${newBase.get(key)}: `));
  glue = glue.slice(0, start) + body + "        a: import0,\n" + glue.slice(end + moduleKey.length);

  // Every export (the glue uses most as `wasm.NAME`). What init()/initSync() answer is a frozen
  // object with all of them under their original names, as `instance.exports` had them and the
  // `.d.ts`'s InitOutput lists them (written with the original names here, renamed with every
  // other `wasm.NAME` below).
  const exports = Array.from({ length: module.getNumExports() }, (_, i) =>
    binaryen.getExportInfo(module.getExportByIndex(i)));
  const view = exports.map((e) => `${e.name}: wasm.${e.name}`).join(", ");
  const finalize = "    wasm.__wbindgen_start();\n    return wasm;\n}";
  if (glue.split(finalize).length !== 2) skip("the glue's __wbg_finalize_init is not shaped as expected");
  glue = glue.replace(finalize, finalize.replace("return wasm;",
    `wasmExports = Object.freeze({ ${view} });\n    return wasmExports;`));
  const early = "if (wasm !== undefined) return wasm;";
  if (glue.split(early).length !== 3) skip("init() and initSync() do not start as expected");
  glue = "let wasmExports;\n" + glue.replaceAll(early, "if (wasm !== undefined) return wasmExports;");

  const exportNames = shortNames();
  const add = {
    [binaryen.ExternalFunction]: (v, n) => module.addFunctionExport(v, n),
    [binaryen.ExternalTable]: (v, n) => module.addTableExport(v, n),
    [binaryen.ExternalMemory]: (v, n) => module.addMemoryExport(v, n),
    [binaryen.ExternalGlobal]: (v, n) => module.addGlobalExport(v, n),
  };
  for (const e of exports) {
    const short = exportNames.next().value;
    module.removeExport(e.name);
    add[e.kind](e.value, short);
    glue = glue.replace(new RegExp(`\\bwasm\\.${escapeRegExp(e.name)}\\b`, "g"), `wasm.${short}`);
  }

  for (const name of [...[...keys].filter((k) => k.length > 2), ...exports.map((e) => `wasm.${e.name}`)]) {
    if (new RegExp(`(^|[^\\w$.])${escapeRegExp(name)}\\b`).test(glue)) {
      skip(`the glue still uses ${name} after renaming`);
    }
  }
  return `${imported.length} imports and ${exports.length} exports renamed, ${unused.length} unused glue entries removed`;
}
