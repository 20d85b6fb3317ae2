// Writes pkg/package.json (or DIR/package.json): the npm package users install.
//   node scripts/write-pkg-manifest.mjs [DIR]
import { readFileSync, writeFileSync, copyFileSync, existsSync } from "node:fs";

const dir = process.argv[2] ?? "pkg";

const cargo = readFileSync("Cargo.toml", "utf8");
const version = /^\[workspace\.package\][^[]*?^version = "([^"]+)"/ms.exec(cargo)[1];
const manifest = {
  name: "passwordless-wasm",
  version,
  description: "Embedded passwordless login for the browser (Auth0 Authentication API), in Rust compiled to WebAssembly",
  license: "MIT OR Apache-2.0",
  type: "module",
  main: "./passwordless.js",
  types: "./passwordless.d.ts",
  exports: {
    ".": { types: "./passwordless.d.ts", default: "./passwordless.js" },
    "./element": { types: "./element.d.ts", default: "./element.js" },
    "./passwordless_bg.wasm": "./passwordless_bg.wasm",
    "./package.json": "./package.json",
  },
  files: ["passwordless.js", "passwordless.d.ts", "passwordless_bg.wasm", "element.js", "element.d.ts", "qr.js",
    "qr.LICENSE", "README.md"],
  // Importing the element defines <passwordless-login>: that import must survive tree shaking.
  sideEffects: ["./element.js"],
};
writeFileSync(`${dir}/package.json`, JSON.stringify(manifest, null, 2) + "\n");
if (existsSync("README.md")) copyFileSync("README.md", `${dir}/README.md`);
