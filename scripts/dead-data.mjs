// Dead data, the last step of the SDK's build (issue 11, size): the linker keeps every data
// object that some function it links refers to, but the shrink step (scripts/shrink-wasm.mjs)
// and wasm-opt then remove functions, and the objects only they used stay in the data section:
// core's float-formatting tables (grisu's cached powers of ten, dragon's), the Unicode tables of
// `Debug`'s escaping, panic messages. This step finds the objects the final code can no longer
// reach and zeroes them; `wasm-opt --memory-packing` then drops the zero runs.
//
// What is an object, and what refers to what, comes from the linker itself: cargo links the wasm
// with `--emit-relocs`, which keeps the symbol table (every data object's address and size) and
// the relocations (every place in the code or the data that holds an object's address). An
// object is live when
// - the final code (after wasm-opt) holds a constant inside it, or one past its end: an
//   `i32.const`, either half of an `i64.const` (wasm-opt merges two stores into one), or a load's
//   or store's offset (where wasm-opt folds constant addresses);
// - or a live object holds its address (the data relocations: vtables, string slices, panic
//   locations);
// - or the code ever referred to it from outside its bounds (a relocation whose addend is before
//   its start or past its end, as LLVM makes for `TABLE[i - 1]`): such an object is always kept,
//   because the code's constant would not point into it.
// Bytes no symbol covers are never touched.
//
// The function table, likewise: the linker keeps an entry for every function whose address any
// linked code or data takes (vtables, `fmt` arguments), and wasm-opt cannot drop one, because an
// index may come from memory. An entry is live when the final code holds its index as a
// constant or a live object holds it (the data's table-index relocations); the others point at
// one function that traps, since no `call_indirect` can reach them (the table is not
// exported: the glue cannot either), and the next wasm-opt drops what only they held. That
// frees more data, so the build runs this step twice, with wasm-opt between.
//
//   node scripts/dead-data.mjs strip LINKED OUT          the module without the linker's
//                                                         relocation sections (for wasm-bindgen)
//   node scripts/dead-data.mjs gc LINKED FINAL OUT [--record FILE]
//                                                         FINAL with its dead objects zeroed and
//                                                         its dead table entries trapping
//
// LINKED is cargo's output (with the relocations), FINAL the module wasm-opt made from it.
// `gc` is an optimisation with preconditions (scripts/size-steps.mjs): the linker's symbol table
// and relocations are there, FINAL's data still sits where the linker put it, its segments and
// table are shaped as handled here, the table is not exported, and the result validates. Where
// one does not hold, OUT is FINAL unchanged and one warning says why and what it costs; FILE
// (the build's steps.json) records whether it applied.

import binaryen from "binaryen";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { reasonOf, record, skip, warnSkipped } from "./size-steps.mjs";

const [mode, ...args] = process.argv.slice(2);
const recordPath = args.includes("--record") ? args[args.indexOf("--record") + 1] : "";
const paths = args.filter((a, i) => a !== "--record" && args[i - 1] !== "--record");

/** A module's sections, each with its id, custom name and content's bounds. */
function sections(bytes) {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) skip("not a wasm module");
  const reader = new Reader(bytes, 8);
  const found = [];
  while (reader.at < bytes.length) {
    const begin = reader.at;
    const id = bytes[reader.at++];
    const size = reader.u32();
    const start = reader.at;
    const name = id === 0 ? reader.name() : undefined;
    found.push({ id, name, begin, start, content: reader.at, end: start + size });
    reader.at = start + size;
  }
  return found;
}

class Reader {
  constructor(bytes, at) {
    this.bytes = bytes;
    this.at = at;
  }
  /** A LEB128 number: its bits and the shift past its last byte's. */
  leb() {
    let result = 0n, shift = 0n, byte;
    do {
      byte = this.bytes[this.at++];
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80);
    return { result, shift, signed: (byte & 0x40) !== 0 };
  }
  u32() {
    return Number(this.leb().result);
  }
  s32() {
    const { result, shift, signed } = this.leb();
    return Number(signed ? result - (1n << shift) : result);
  }
  name() {
    const length = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
    return text;
  }
}

/** The data section's active segments: memory address, length and where their bytes are. */
function segments(bytes, section) {
  const reader = new Reader(bytes, section.start);
  const found = [];
  for (let count = reader.u32(); count > 0; count--) {
    const flags = reader.u32();
    // 0: active, memory 0, offset `i32.const N; end`. wasm-opt -Oz and wasm-ld write no other.
    if (flags !== 0 || bytes[reader.at] !== 0x41) skip(`a data segment with flags ${flags} is not handled`);
    reader.at++;
    const address = reader.s32() >>> 0;
    if (bytes[reader.at++] !== 0x0b) skip("a data segment's offset is not a constant");
    const length = reader.u32();
    found.push({ address, length, at: reader.at, sectionOffset: reader.at - section.start });
    reader.at += length;
  }
  return found;
}

// Relocation types (the tool conventions' Linking.md) that refer to a memory address, and those
// that carry an addend.
const MEMORY_ADDRESS = new Set([3, 4, 5, 11, 14, 15, 16, 17, 21, 23, 25]);
const WITH_ADDEND = new Set([3, 4, 5, 8, 9, 11, 14, 15, 16, 17, 21, 22, 23, 25]);
const TABLE_INDEX_I32 = 2;

/** The linked module's data objects and the relocations that refer to them. */
function linkerRecords(bytes) {
  const all = sections(bytes);
  const data = all.find((s) => s.id === 11);
  const linking = all.find((s) => s.name === "linking");
  if (!data || !linking) skip("the linked module has no data or no linking section: was it linked with --emit-relocs?");
  const segs = segments(bytes, data);

  const symbols = [];
  const reader = new Reader(bytes, linking.content);
  reader.u32(); // version
  while (reader.at < linking.end) {
    const type = bytes[reader.at++];
    const end = reader.u32() + reader.at;
    if (type === 8) { // WASM_SYMBOL_TABLE
      for (let count = reader.u32(); count > 0; count--) {
        const kind = bytes[reader.at++];
        const flags = reader.u32();
        const undefined_ = (flags & 0x10) !== 0;
        const symbol = { kind };
        if (kind === 1) { // data: name, then segment, offset and size when defined
          symbol.name = reader.name();
          if (!undefined_) {
            const segment = segs[reader.u32()];
            symbol.start = segment.address + reader.u32();
            symbol.size = reader.u32();
          }
        } else if (kind === 3) { // section
          reader.u32();
        } else { // function, global, tag, table: index, and a name when defined or explicit
          reader.u32();
          if (!undefined_ || (flags & 0x40) !== 0) reader.name();
        }
        symbols.push(symbol);
      }
    }
    reader.at = end;
  }

  // The memory address of the data section's byte at `offset` (a relocation's place).
  const addressAt = (offset) => {
    const segment = segs.find((s) => offset >= s.sectionOffset && offset < s.sectionOffset + s.length);
    return segment.address + offset - segment.sectionOffset;
  };
  const relocations = []; // { address (for reloc.DATA), target, addend }
  const tableEntries = []; // where the data holds a function's table index (vtables)
  for (const section of all.filter((s) => s.name?.startsWith("reloc."))) {
    const r = new Reader(bytes, section.content);
    const target = all[r.u32()];
    for (let count = r.u32(); count > 0; count--) {
      const type = bytes[r.at++];
      const offset = r.u32();
      const symbol = symbols[r.u32()];
      const addend = WITH_ADDEND.has(type) ? r.s32() : 0;
      if (type === TABLE_INDEX_I32 && target === data) {
        tableEntries.push(addressAt(offset));
        continue;
      }
      if (!MEMORY_ADDRESS.has(type) || symbol?.kind !== 1 || symbol.start === undefined) continue;
      relocations.push({ address: target === data ? addressAt(offset) : undefined, target: symbol, addend });
    }
  }
  const objects = symbols.filter((s) => s.kind === 1 && s.size > 0);
  return { objects, relocations, tableEntries, segs, bytes };
}

/** Every constant the final code holds that could be an address or a table index. */
function codeConstants(module) {
  const found = new Set();
  for (const line of module.emitText().split("\n")) {
    if (/^\s*\((data|elem)\b/.test(line)) continue;
    for (const m of line.matchAll(/i32\.const (-?\d+)|offset=(\d+)|i64\.const (-?\d+)/g)) {
      if (m[3] !== undefined) {
        const value = BigInt.asUintN(64, BigInt(m[3]));
        found.add(Number(value & 0xffffffffn));
        found.add(Number(value >> 32n));
      } else {
        found.add(Number(BigInt.asUintN(32, BigInt(m[1] ?? m[2]))));
      }
    }
  }
  return found;
}

function gc([linkedPath, finalPath, outPath]) {
  if (!outPath) usage();
  try {
    const { bytes, note } = collect(linkedPath, finalPath);
    writeFileSync(outPath, bytes);
    console.log(`dead-data: ${note}`);
    record(recordPath, [{ step: "dead-data", applied: true, note }]);
  } catch (error) {
    const reason = reasonOf(error);
    copyFileSync(finalPath, outPath);
    warnSkipped("dead-data", "dead-data", reason);
    record(recordPath, [{ step: "dead-data", applied: false, reason }]);
  }
}

/** FINAL's bytes with its dead data zeroed and dead table entries trapping, and what went. */
function collect(linkedPath, finalPath) {
  const linked = linkerRecords(new Uint8Array(readFileSync(linkedPath)));
  const final = new Uint8Array(readFileSync(finalPath));
  const finalSegs = segments(final, sections(final).find((s) => s.id === 11));

  // FINAL's data must be the linker's, at the same addresses: wasm-opt only drops zero runs,
  // and an earlier round of this step only zeroed bytes.
  const linkedByte = (address) => {
    const s = linked.segs.find((g) => address >= g.address && address < g.address + g.length);
    return s ? linked.bytes[s.at + address - s.address] : 0;
  };
  for (const s of finalSegs) {
    for (let i = 0; i < s.length; i++) {
      if (final[s.at + i] !== 0 && final[s.at + i] !== linkedByte(s.address + i)) {
        skip(`the final module's byte at ${s.address + i} is not the linker's: the data moved`);
      }
    }
  }

  const module = binaryen.readBinary(final);
  const constants = codeConstants(module);
  const live = new Set();
  const pending = [];
  const keep = (object) => {
    if (!live.has(object)) {
      live.add(object);
      pending.push(object);
    }
  };
  for (const r of linked.relocations) {
    if (r.addend < 0 || r.addend > r.target.size) keep(r.target);
  }
  for (const value of constants) {
    for (const o of linked.objects) if (value >= o.start && value <= o.start + o.size) keep(o);
  }
  const fromData = linked.relocations.filter((r) => r.address !== undefined);
  while (pending.length > 0) {
    const o = pending.pop();
    for (const r of fromData) if (r.address >= o.start && r.address < o.start + o.size) keep(r.target);
  }
  const liveByte = new Set();
  for (const o of live) for (let a = o.start; a < o.start + o.size; a++) liveByte.add(a);

  // The function table's live entries: those whose index the final code holds, or a live
  // object (a vtable) does.
  const word = (a) => (linkedByte(a) | linkedByte(a + 1) << 8 | linkedByte(a + 2) << 16 | linkedByte(a + 3) << 24) >>> 0;
  const liveSlots = new Set(constants);
  for (const a of linked.tableEntries) if (liveByte.has(a)) liveSlots.add(word(a));

  const dead = linked.objects.filter((o) => !live.has(o));
  let zeroed = 0;
  for (const o of dead) {
    for (let a = o.start; a < o.start + o.size; a++) {
      if (liveByte.has(a)) continue;
      const s = finalSegs.find((g) => a >= g.address && a < g.address + g.length);
      if (s && final[s.at + a - s.address] !== 0) {
        final[s.at + a - s.address] = 0;
        zeroed++;
      }
    }
  }
  const pruned = pruneTable(module, final, liveSlots);
  const note = `${dead.length} of ${linked.objects.length} data objects unreachable, ${zeroed} bytes zeroed; ` +
    `${pruned.count} of ${pruned.slots} function table entries unreachable`;
  return { bytes: pruned.bytes, note };
}

/**
 * The module (`bytes`, `module` read from the same code) with every table entry whose index
 * is not in `liveSlots` pointing at one function that traps: no `call_indirect` can reach
 * them, and wasm-opt then drops the functions only they held.
 */
function pruneTable(module, bytes, liveSlots) {
  const segments = Array.from({ length: module.getNumElementSegments() }, (_, i) =>
    binaryen.getElementSegmentInfo(module.getElementSegmentByIndex(i)));
  for (let i = 0; i < module.getNumExports(); i++) {
    const e = binaryen.getExportInfo(module.getExportByIndex(i));
    if (e.kind === binaryen.ExternalTable && segments.some((s) => s.table === e.value)) {
      skip(`the function table is exported (as ${e.name}): JS could call any entry`);
    }
  }
  let count = 0, slots = 0;
  const rewritten = segments.map((segment) => {
    const offset = binaryen.getExpressionInfo(segment.offset);
    if (offset.id !== binaryen.ConstId) skip(`the element segment ${segment.name} has no constant offset`);
    return {
      ...segment,
      base: offset.value,
      data: segment.data.map((name, i) => {
        slots++;
        if (liveSlots.has(offset.value + i)) return name;
        count++;
        return TRAP;
      }),
    };
  });
  if (count === 0) return { bytes, count, slots };
  const next = binaryen.readBinary(bytes); // the zeroed data, the same code
  next.addFunction(TRAP, binaryen.none, binaryen.none, [], next.unreachable());
  for (const segment of rewritten) {
    next.removeElementSegment(segment.name);
    next.addActiveElementSegment(segment.table, segment.name, segment.data, next.i32.const(segment.base));
  }
  if (!next.validate()) skip("the module with its table pruned does not validate");
  return { bytes: next.emitBinary(), count, slots };
}

const TRAP = "dead-data:unreachable-table-entry";

/** LINKED without the linker's sections; a module that has none (or cannot be read) is copied. */
function strip([linkedPath, outPath]) {
  if (!outPath) usage();
  const bytes = new Uint8Array(readFileSync(linkedPath));
  const kept = [bytes.subarray(0, 8)];
  try {
    for (const s of sections(bytes)) {
      if (s.name === "linking" || s.name?.startsWith("reloc.")) continue;
      kept.push(bytes.subarray(s.begin, s.end));
    }
  } catch {
    copyFileSync(linkedPath, outPath); // "gc" will say why it cannot run
    return;
  }
  writeFileSync(outPath, Buffer.concat(kept));
}

function usage() {
  console.error("usage: node scripts/dead-data.mjs strip LINKED OUT | gc LINKED FINAL OUT [--record FILE]");
  process.exit(2);
}

if (mode === "gc") gc(paths);
else if (mode === "strip") strip(paths);
else usage();
