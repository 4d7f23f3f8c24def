// The default theme must be accessible in both colour schemes: axe-core
// (WCAG 2.1 A and AA rules, colour contrast included) runs in Debian's
// chromium over the example site's pages as `blog serve` serves them, in
// light and in dark mode, at a desktop and a phone width. Run by
// `make test` after `cargo test`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const BLOG = resolve(process.env.BLOG_BIN ?? "target/debug/blog");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const TIMEOUT = 15_000;

// One of each kind of page the theme has.
const PAGES = [
  "/",
  "/page/2/",
  "/posts/",
  "/posts/highlighted-code/",
  "/posts/markdown-extras/",
  "/posts/a-walk-with-pictures/",
  "/about/",
  "/tags/",
  "/tags/meta/",
  "/archive/",
  "/404.html",
];

function serveExample(cache) {
  // The repository's own example site, served without watching; the
  // highlight cache goes to a temporary folder, so nothing is written here.
  const child = spawn(BLOG, ["serve", "--port", "0", "--no-watch", "--quiet"], {
    cwd: resolve("."),
    env: { ...process.env, BLOG_CACHE_DIR: cache },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`blog serve did not start:\n${output}`)), TIMEOUT);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/Serving (http:\/\/127\.0\.0\.1:\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => reject(new Error(`blog serve exited with ${code}:\n${output}`)));
  });
  return { child, url };
}

test("every kind of page passes axe in light and dark mode, wide and narrow", async () => {
  const cache = mkdtempSync(join(tmpdir(), "blog-e2e-cache-"));
  const server = serveExample(cache);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const problems = [];
  try {
    const base = await server.url;
    for (const colorScheme of ["light", "dark"]) {
      for (const viewport of [{ width: 1200, height: 900 }, { width: 390, height: 844 }]) {
        const page = await browser.newPage({ colorScheme, viewport });
        for (const path of PAGES) {
          const response = await page.goto(`${base}${path}`);
          assert.ok(response.status() === 200 || path === "/404.html", `${path}: ${response.status()}`);
          await page.addScriptTag({ content: AXE });
          const violations = await page.evaluate(async () => {
            const result = await window.axe.run(document, {
              runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
            });
            return result.violations.map((v) => ({
              id: v.id,
              help: v.help,
              nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ": " + n.failureSummary.split("\n").slice(1).join(" ")),
            }));
          });
          for (const v of violations) {
            problems.push(`${colorScheme} ${viewport.width}px ${path}: ${v.id} (${v.help})\n    ${v.nodes.join("\n    ")}`);
          }
        }
        await page.close();
      }
    }
  } finally {
    await browser.close();
    server.child.kill();
    rmSync(cache, { recursive: true, force: true });
  }
  assert.deepEqual(problems, [], `accessibility problems:\n${problems.join("\n")}`);
});
