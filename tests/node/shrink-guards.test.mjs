// The shrink step's guard for step "display" (scripts/shrink-wasm.mjs): `Display` and
// `core::fmt::write` may be made to write nothing only while nothing but core's formatting
// machinery calls into the formatter. Run on small modules made here, with the other steps
// left out.

import binaryen from "binaryen";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const OTHER_STEPS = ["float", "messages", "strings", "panic", "debug", "names"];
const { i32, none } = binaryen;

/** A module whose `caller` calls `alloc::fmt::format`, which formats through core::fmt. */
function moduleWith(caller) {
  const m = new binaryen.Module();
  const four = binaryen.createType([i32, i32, i32, i32]);
  const two = binaryen.createType([i32, i32]);
  const zero = () => m.i32.const(0);
  m.addFunction("core::fmt::write", four, i32, [], m.i32.const(1));
  m.addFunction("<u32 as core::fmt::Display>::fmt", two, i32, [],
    m.call("core::fmt::write", [zero(), zero(), zero(), zero()], i32));
  m.addFunction("alloc::fmt::format", two, none, [],
    m.drop(m.call("core::fmt::write", [zero(), zero(), zero(), zero()], i32)));
  m.addFunction(caller, two, none, [], m.call("alloc::fmt::format", [zero(), zero()], none));
  m.addFunctionExport(caller, "run");
  m.addFunctionExport("<u32 as core::fmt::Display>::fmt", "display");
  binaryen.setDebugInfo(true); // the shrink step finds functions by name
  const bytes = m.emitBinary();
  m.dispose();
  return bytes;
}

function shrink(bytes) {
  const dir = mkdtempSync(join(tmpdir(), "shrink-guards-"));
  writeFileSync(join(dir, "passwordless_bg.wasm"), bytes);
  writeFileSync(join(dir, "passwordless.js"), "export {};\n");
  const args = ["scripts/shrink-wasm.mjs", dir, join(dir, "out"), ...OTHER_STEPS.flatMap((s) => ["--without", s])];
  const run = spawnSync(process.execPath, args, { encoding: "utf8" });
  return { ...run, out: join(dir, "out", "passwordless_bg.wasm") };
}

/** The constant a function's body is, or undefined when it is something else. */
function constantBody(path, exportName) {
  binaryen.setDebugInfo(true);
  const m = binaryen.readBinary(readFileSync(path));
  const name = binaryen.getExportInfo(m.getExport(exportName)).value;
  const body = binaryen.getExpressionInfo(binaryen.getFunctionInfo(m.getFunction(name)).body);
  m.dispose();
  return body.id === binaryen.ConstId ? body.value : undefined;
}

test("a function of the SDK that formats text fails the build, named", () => {
  const run = shrink(moduleWith("passwordless::input::code::h0123456789abcdef"));
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stderr, /passwordless::input::code::h0123456789abcdef calls alloc::fmt::format/);
});

test("when only core's machinery formats, Display and fmt::write write nothing", () => {
  const run = shrink(moduleWith("alloc::fmt::format::format_inner"));
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /display .*core::fmt::write and 1 Display implementations write nothing/);
  assert.equal(constantBody(run.out, "display"), 0); // Ok(()), where it called fmt::write before
});
