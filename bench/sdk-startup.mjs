// Start-up of the package in headless Chromium: from the start of `import()` of the JS glue to
// a constructed PasswordlessClient (fetch + compile + instantiate + init), on fresh pages, and
// the main-thread time the same steps take when the module is already compiled and cached.
// Prints the median against the baselines.   node bench/sdk-startup.mjs [RUNS]
import http from "node:http";
import { readFile } from "node:fs/promises";
import { chromium } from "playwright-core";

const runs = Number(process.argv[2] ?? 25);
const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
const page = `<!doctype html><link rel="icon" href="data:,"><script type="module">
  // The harness's floor: importing a one-line module from the same server.
  const c0 = performance.now();
  await import("/control.js");
  window.controlMs = performance.now() - c0;
  const t0 = performance.now();
  const m = await import("/pkg/passwordless.js");
  window.importMs = performance.now() - t0;
  await m.default();
  new m.PasswordlessClient({ domain: "http://127.0.0.1:9", clientId: "bench" });
  window.coldMs = performance.now() - t0;
  const t1 = performance.now();
  new m.PasswordlessClient({ domain: "http://127.0.0.1:9", clientId: "bench" });
  window.constructMs = performance.now() - t1;
</script>`;
const server = http.createServer(async (req, res) => {
  if (req.url === "/") return res.writeHead(200, { "content-type": "text/html" }).end(page);
  if (req.url === "/control.js") return res.writeHead(200, { "content-type": "text/javascript" }).end("export const x = 1;");
  try {
    const body = await readFile(`.${req.url}`);
    res.writeHead(200, { "content-type": types[req.url.slice(req.url.lastIndexOf("."))] ?? "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const cold = [];
const warm = [];
const construct = [];
const imports = [];
const control = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(url);
  await tab.waitForFunction(() => window.coldMs !== undefined);
  cold.push(await tab.evaluate(() => window.coldMs));
  // The same page again: the browser's HTTP and compiled-code caches are warm.
  await tab.reload();
  await tab.waitForFunction(() => window.coldMs !== undefined);
  warm.push(await tab.evaluate(() => window.coldMs));
  construct.push(await tab.evaluate(() => window.constructMs));
  imports.push(await tab.evaluate(() => window.importMs));
  control.push(await tab.evaluate(() => window.controlMs));
  await context.close();
}
await browser.close();
server.close();
const stats = (list) => {
  list.sort((a, b) => a - b);
  return { median: list[Math.floor(list.length / 2)], min: list[0], max: list.at(-1) };
};
const show = (label, list) => {
  const { median, min, max } = stats(list);
  console.log(`${label}: median ${median.toFixed(2)} ms (min ${min.toFixed(2)}, max ${max.toFixed(2)})`);
  return median;
};
console.log(`import + init + new PasswordlessClient, ${runs} runs each:`);
show("  first visit (nothing cached)      ", cold);
const median = show("  repeat visit (caches warm)        ", warm);
show("  of which import() of the JS glue  ", imports);
show("  new PasswordlessClient alone      ", construct);
show("  control: import() of a 1-line module", control);
console.log("repeat visit against the issue's baselines (main-thread start-up of the peers):");
for (const [name, ms] of [["goal", 3], ["fastest peer", 4.5], ["slowest peer", 22]]) {
  console.log(`  ${name.padEnd(13)} ${String(ms).padStart(4)} ms   ratio ${(median / ms).toFixed(2)}`);
}
