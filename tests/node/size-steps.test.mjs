// The build's size steps (scripts/shrink-wasm.mjs, scripts/dead-data.mjs) are optimisations that
// check their preconditions: fed modules where one does not hold (a renamed symbol, a different
// signature, an extra caller of the formatter, a glue of another shape, a missing relocation
// section, data that moved), the step is skipped, the build goes on (exit 0) with a valid
// module, and one warning names the step; where they hold, the step applies. Small modules made
// here with binaryen, and one real module linked by rustc.

import binaryen from "binaryen";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const ALL_STEPS = ["float", "messages", "strings", "panic", "debug", "display", "names"];
const { i32, none } = binaryen;

const temp = () => mkdtempSync(join(tmpdir(), "size-steps-"));

/**
 * A module with `functions` (`[name, params, result, body(m)]`), each exported as `export` (its
 * index), names kept as wasm-bindgen keeps them.
 */
function moduleOf(functions) {
  const m = new binaryen.Module();
  functions.forEach(([name, params, result, body], i) => {
    m.addFunction(name, binaryen.createType(params), result, [], body(m));
    m.addFunctionExport(name, `export${i}`);
  });
  binaryen.setDebugInfo(true); // the shrink step finds functions by name
  const bytes = m.emitBinary();
  m.dispose();
  return bytes;
}

const zero = (m) => m.i32.const(0);
const callWrite = (m) => m.call("core::fmt::write", [zero(m), zero(m), zero(m), zero(m)], i32);
/** core::fmt's writer, a Display that calls it, and `caller`, which formats through `format`. */
const formatting = (caller) => [
  ["core::fmt::write", [i32, i32, i32, i32], i32, (m) => m.i32.const(1)],
  ["<u32 as core::fmt::Display>::fmt", [i32, i32], i32, callWrite],
  ["alloc::fmt::format", [i32, i32], none, (m) => m.drop(callWrite(m))],
  [caller, [i32, i32], none, (m) => m.call("alloc::fmt::format", [zero(m), zero(m)], none)],
];
const FLOAT = "<f64 as core::fmt::Display>::fmt";
const floatFn = (name, params = [i32, i32]) => [name, params, i32, (m) => m.i32.const(7)];

/** Runs the shrink step on `bytes` with only `steps`; the outcome, its output and record. */
function shrink(bytes, steps, glue = "export {};\n") {
  const dir = temp();
  writeFileSync(join(dir, "passwordless_bg.wasm"), bytes);
  writeFileSync(join(dir, "passwordless.js"), glue);
  const leftOut = ALL_STEPS.filter((s) => !steps.includes(s)).flatMap((s) => ["--without", s]);
  const record = join(dir, "steps.json");
  const run = spawnSync(process.execPath,
    ["scripts/shrink-wasm.mjs", dir, join(dir, "out"), "--record", record, ...leftOut], { encoding: "utf8" });
  assert.equal(run.status, 0, `a size step never fails the build:\n${run.stdout}${run.stderr}`);
  const out = join(dir, "out", "passwordless_bg.wasm");
  assert.ok(WebAssembly.validate(readFileSync(out)), "the output is a valid module");
  const outcome = (step) => JSON.parse(readFileSync(record, "utf8")).find((o) => o.step === step);
  return { ...run, out, glue: readFileSync(join(dir, "out", "passwordless.js"), "utf8"), outcome };
}

/** The constant an exported function's body is, or undefined when it is something else. */
function constantBody(path, exportName) {
  binaryen.setDebugInfo(true);
  const m = binaryen.readBinary(readFileSync(path));
  const name = binaryen.getExportInfo(m.getExport(exportName)).value;
  const body = binaryen.getExpressionInfo(binaryen.getFunctionInfo(m.getFunction(name)).body);
  m.dispose();
  return body.id === binaryen.ConstId ? body.value : undefined;
}

function assertSkipped(run, step, why) {
  assert.equal(run.outcome(step).applied, false);
  assert.match(run.outcome(step).reason, why);
  const warnings = run.stderr.split("\n").filter((l) => l.includes("warning"));
  assert.equal(warnings.length, 1, run.stderr);
  assert.match(warnings[0], new RegExp(`step "${step}" skipped, the build goes on without it: `));
  assert.match(warnings[0], why);
  assert.match(warnings[0], /bytes \(brotli\) larger|saves nothing today/, "the warning says what it costs");
}

test("a function of the SDK that formats text skips step display, named, and Display still writes", () => {
  const run = shrink(moduleOf(formatting("passwordless::input::code::h0123456789abcdef")), ["display"]);
  assertSkipped(run, "display", /passwordless::input::code::h0123456789abcdef calls alloc::fmt::format/);
  assert.equal(constantBody(run.out, "export1"), undefined, "Display still calls fmt::write");
  assert.equal(constantBody(run.out, "export0"), 1, "fmt::write is untouched");
});

test("when only core's machinery formats, Display and fmt::write write nothing", () => {
  const run = shrink(moduleOf(formatting("alloc::fmt::format::format_inner")), ["display"]);
  assert.equal(run.outcome("display").applied, true);
  assert.match(run.stdout, /display .*core::fmt::write and 1 Display implementations write nothing/);
  assert.equal(constantBody(run.out, "export1"), 0); // Ok(()), where it called fmt::write before
  assert.doesNotMatch(run.stderr, /warning/);
});

test("a renamed symbol skips its step, and the steps after it still apply", () => {
  const renamed = [floatFn("<f64 as core::fmt::Display>::fmt_v2"), ...formatting("alloc::fmt::format::format_inner")];
  const run = shrink(moduleOf(renamed), ["float", "display"]);
  assertSkipped(run, "float", /matches no function/);
  assert.equal(constantBody(run.out, "export0"), 7, "the renamed function is untouched");
  assert.equal(run.outcome("display").applied, true, "a later step is applied to the restored module");
  assert.equal(constantBody(run.out, "export2"), 0);
});

test("a different signature skips the step; the expected one applies it", () => {
  const wrong = shrink(moduleOf([floatFn(FLOAT, [i32])]), ["float"]);
  assertSkipped(wrong, "float", /has signature \(i32\) -> \(i32\), expected \(i32, i32\) -> \(i32\)/);
  assert.equal(constantBody(wrong.out, "export0"), 7);
  const right = shrink(moduleOf([floatFn(FLOAT)]), ["float"]);
  assert.equal(right.outcome("float").applied, true);
  assert.equal(constantBody(right.out, "export0"), 0);
});

test("a glue of another shape skips step names and leaves wasm and glue as they were", () => {
  const glue = "export function init() { return 1; }\n";
  const run = shrink(moduleOf([floatFn(FLOAT)]), ["names"], glue);
  assertSkipped(run, "names", /__wbg_get_imports is not shaped as expected/);
  assert.equal(run.glue, glue);
  binaryen.setDebugInfo(true);
  const m = binaryen.readBinary(readFileSync(run.out));
  assert.equal(binaryen.getExportInfo(m.getExportByIndex(0)).name, "export0", "exports keep their names");
  m.dispose();
});

/**
 * A real module linked by rustc with --emit-relocs: one static only `dead` reads, one `live` does.
 * `live` reads from 4 bytes in, so that its constant is never "one past the end" of DEAD, which
 * the step keeps (LLVM's `TABLE[i - 1]` idiom), whichever way the linker lays the two out.
 */
function linkedByRustc() {
  const dir = temp();
  const source = join(dir, "lib.rs");
  writeFileSync(source, `
    #![no_std]
    #[panic_handler] fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
    static LIVE: [u8; 24] = *b"live-object-kept-by-code";
    static DEAD: [u8; 24] = *b"dead-object-only-in-dead";
    #[no_mangle] pub extern "C" fn live(i: usize) -> u8 { unsafe { core::ptr::read_volatile(&LIVE[4 + i % 20]) } }
    #[no_mangle] pub extern "C" fn dead(i: usize) -> u8 { unsafe { core::ptr::read_volatile(&DEAD[i % 24]) } }
  `);
  const linked = join(dir, "linked.wasm");
  const rustc = spawnSync("rustc", ["--edition=2021", "--target", "wasm32-unknown-unknown", "--crate-type", "cdylib",
    "-O", "-C", "panic=abort", "-C", "link-arg=--emit-relocs", "-o", linked, source], { encoding: "utf8" });
  assert.equal(rustc.status, 0, rustc.stderr);
  // What wasm-opt makes of it once `dead` is no longer exported (as the shrink step's stubs do).
  const m = binaryen.readBinary(readFileSync(linked));
  m.removeExport("dead");
  m.runPasses(["remove-unused-module-elements"]);
  const final = join(dir, "final.wasm");
  writeFileSync(final, m.emitBinary());
  m.dispose();
  return { dir, linked, final };
}

function collect(linked, final, dir) {
  const out = join(dir, "out.wasm");
  const record = join(dir, "steps.json");
  const run = spawnSync(process.execPath, ["scripts/dead-data.mjs", "gc", linked, final, out, "--record", record],
    { encoding: "utf8" });
  assert.equal(run.status, 0, `dead-data never fails the build:\n${run.stdout}${run.stderr}`);
  const bytes = readFileSync(out);
  assert.ok(WebAssembly.validate(bytes), "the output is a valid module");
  const [outcome] = JSON.parse(readFileSync(record, "utf8"));
  return { ...run, bytes, outcome, text: bytes.toString("latin1") };
}

test("dead-data zeroes the object only a removed function read, and keeps the live one", () => {
  const { dir, linked, final } = linkedByRustc();
  assert.match(readFileSync(final).toString("latin1"), /dead-object-only-in-dead/, "wasm-opt alone keeps it");
  const run = collect(linked, final, dir);
  assert.equal(run.outcome.step, "dead-data");
  assert.equal(run.outcome.applied, true, run.stderr);
  assert.doesNotMatch(run.text, /dead-object-only-in-dead/);
  assert.match(run.text, /live-object-kept-by-code/);
});

test("without the linker's relocations dead-data is skipped and the module passes unchanged", () => {
  const { dir, linked, final } = linkedByRustc();
  const stripped = join(dir, "stripped.wasm");
  assert.equal(spawnSync(process.execPath, ["scripts/dead-data.mjs", "strip", linked, stripped]).status, 0);
  const run = collect(stripped, final, dir);
  assert.equal(run.outcome.applied, false);
  assert.match(run.stderr, /dead-data: warning: step "dead-data" skipped, .*no data or no linking section.*bytes \(brotli\) larger/);
  assert.deepEqual(run.bytes, readFileSync(final));
});

test("when the final data moved, dead-data is skipped and the module passes unchanged", () => {
  const { dir, linked, final } = linkedByRustc();
  const bytes = readFileSync(final);
  const at = bytes.indexOf("live-object-kept-by-code");
  bytes.write("LIVE", at, "latin1"); // not the linker's bytes any more
  const moved = join(dir, "moved.wasm");
  writeFileSync(moved, bytes);
  const run = collect(linked, moved, dir);
  assert.equal(run.outcome.applied, false);
  assert.match(run.outcome.reason, /is not the linker's: the data moved/);
  assert.deepEqual(run.bytes, bytes);
});
