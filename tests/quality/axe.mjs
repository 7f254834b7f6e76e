// Runs axe-core in Debian's chromium (through puppeteer-core) on every page of a built
// site, at 390 and 1280 px wide, light and dark, and measures each page's width.
// Usage: node tests/quality/axe.mjs OUT_DIR PAGE... (pages as paths below OUT_DIR, e.g. `/`)
// Prints one JSON object: {"results": [{page, width, scheme, scrollWidth, violations: [...]}]}.
// Used by tests/quality.rs; the tools come from scripts/quality-deps.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const puppeteer = require("puppeteer-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [dirArg, ...pages] = process.argv.slice(2);
const outDir = path.resolve(dirArg);
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".xml": "application/xml" };

// A static server for the output folder, so root-relative URLs resolve as when published.
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = path.join(outDir, p);
  if (!file.startsWith(outDir)) { res.writeHead(403); return res.end(); }
  if (p.endsWith("/")) file = path.join(file, "index.html");
  fs.readFile(file, (err, body) => {
    if (err) { res.writeHead(404); return res.end("not found"); }
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
    res.end(body);
  });
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const results = [];
try {
  const page = await browser.newPage();
  for (const width of [390, 1280]) {
    await page.setViewport({ width, height: 900 });
    for (const scheme of ["light", "dark"]) {
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
      for (const p of pages) {
        await page.goto(base + p, { waitUntil: "load" });
        await page.evaluate(axeSource);
        const axe = await page.evaluate(async () => {
          const r = await window.axe.run(document, {
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
            resultTypes: ["violations"],
          });
          return r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
          }));
        });
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        results.push({ page: p, width, scheme, scrollWidth, violations: axe });
      }
    }
  }
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(JSON.stringify({ results }) + "\n");
