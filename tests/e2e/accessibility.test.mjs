// The default theme must be accessible in both colour schemes: axe-core
// (WCAG 2.1 A and AA rules, colour contrast included) runs in Debian's
// chromium over the example site's pages as `blog serve` serves them, in
// light and in dark mode, at a desktop and a phone width. Run by
// `make test` after `cargo test`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { launchBrowser, startServer } from "./serve.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// One of each kind of page the theme has.
const PAGES = [
  "/",
  "/page/2/",
  "/posts/",
  "/posts/highlighted-code/",
  "/posts/markdown-extras/",
  "/posts/a-walk-with-pictures/",
  "/posts/footnotes-and-contents/",
  "/series/writing-with-blog/",
  "/about/",
  "/tags/",
  "/tags/meta/",
  "/archive/",
  "/404.html",
];

test("every kind of page passes axe in light and dark mode, wide and narrow", async () => {
  const cache = mkdtempSync(join(tmpdir(), "blog-e2e-cache-"));
  // The repository's own example site, served without watching; the
  // highlight cache goes to a temporary folder, so nothing is written here.
  const server = startServer(resolve("."), cache, ["--no-watch", "--quiet"]);
  const browser = await launchBrowser();
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
