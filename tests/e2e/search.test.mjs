// Search in the browser ([search] enabled = true): a site built by blog
// under a sub-path (/blog/) and served as plain files by a static server
// on loopback, searched in Debian's chromium by typing into the search
// page: a body word, its prefix, a CJK phrase, a draft's word, diacritics,
// the header box's form; no request leaves the site; axe-core finds no
// violation on the page with results shown, in light and dark mode.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { BLOG, TIMEOUT, launchBrowser } from "./serve.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json", ".css": "text/css", ".xml": "application/xml" };

function post(root, slug, front, body) {
  writeFileSync(join(root, "content", "posts", `${slug}.md`), `---\n${front}\n---\n${body}\n`);
}

// A static host: the files of `dir` under /blog/, nothing else. The
// records of results (search/d/) come a little late, as from a slow host,
// so that the page must not count results it does not show yet.
function staticServer(dir) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith("/blog/")) return res.writeHead(404).end();
    if (path.startsWith("/blog/search/d/")) await new Promise((resolve) => setTimeout(resolve, 300));
    let file = normalize(join(dir, path.slice("/blog/".length)));
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const bytes = readFileSync(file);
      res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" }).end(bytes);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

test("the search page finds posts by their words, on a static host under a sub-path", async () => {
  const root = mkdtempSync(join(tmpdir(), "blog-e2e-search-"));
  const cache = mkdtempSync(join(tmpdir(), "blog-e2e-cache-"));
  const server = await staticServer(join(root, "public"));
  const origin = `http://127.0.0.1:${server.address().port}`;
  mkdirSync(join(root, "content", "posts"), { recursive: true });
  writeFileSync(join(root, "config.toml"), `title = "Searchable"\nbase_url = "${origin}/blog"\n\n[search]\nenabled = true\n`);
  post(root, "zebras", "title: Zebras\ndate: 2024-01-02", "Stripes help with flies. The word quagga appears only here.");
  post(root, "lakes", "title: Lakes\ndate: 2024-01-03", "Still water and cold mornings, with a crème brûlée by the shore.");
  post(root, "tokyo", "title: 夜の街\ndate: 2024-01-04", "東京の夜景はとても美しいです。");
  post(root, "insects", "title: Flies\ndate: 2022-05-06", "Small insects that buzz around in summer.");
  post(root, "unfinished", "title: Unfinished\ndate: 2024-01-05\ndraft: true", "A draft about marmosets.");
  for (let i = 0; i < 12; i++) post(root, `filler-${i}`, `title: Filler ${i}\ndate: 2023-02-${String(i + 1).padStart(2, "0")}`, `Stripes and water, number ${i}.`);
  execFileSync(BLOG, ["build", "--quiet"], { cwd: root, env: { ...process.env, BLOG_CACHE_DIR: cache } });

  const browser = await launchBrowser();
  const elsewhere = [];
  try {
    for (const colorScheme of ["light", "dark"]) {
      const page = await browser.newPage({ colorScheme });
      page.setDefaultTimeout(TIMEOUT);
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith(`${origin}/blog/`)) return route.continue();
        elsewhere.push(url);
        return route.abort();
      });
      await page.goto(`${origin}/blog/search/`);
      const box = page.getByLabel("Search this site");
      const status = page.locator("#search-status");
      const results = page.locator("#search-results > li");

      // A word found only in one post's body, typed.
      await box.pressSequentially("quagga", { delay: 20 });
      await status.filter({ hasText: "1 result" }).waitFor();
      assert.equal(await results.count(), 1);
      const link = results.first().locator("a.search-title");
      assert.equal(await link.textContent(), "Zebras");
      assert.equal(await link.getAttribute("href"), "/blog/posts/zebras/");
      assert.equal(await results.first().locator("mark").first().textContent(), "quagga");
      assert.match(await results.first().locator("time").getAttribute("datetime"), /^2024-01-02$/);
      assert.match(new URL(page.url()).search, /q=quagga/);

      if (colorScheme === "light") {
        // The first four letters find it too, as a prefix.
        await box.fill("");
        await box.pressSequentially("quag", { delay: 20 });
        await status.filter({ hasText: "1 result" }).waitFor();
        assert.equal(await results.first().locator("a").textContent(), "Zebras");
        assert.equal(await results.first().locator("mark").first().textContent(), "quagga");

        // Every word must match.
        await box.fill("quagga water");
        await status.filter({ hasText: "No results" }).waitFor();
        assert.equal(await results.count(), 0);

        // CJK, by its characters: all the query's bigrams must match.
        await box.fill("夜景");
        await status.filter({ hasText: "1 result" }).waitFor();
        assert.equal(await results.first().locator("a").textContent(), "夜の街");
        assert.equal(await results.first().locator("mark").first().textContent(), "夜景");
        await box.fill("景東");
        await status.filter({ hasText: "No results" }).waitFor();

        // Diacritics and case do not matter, either way round.
        await box.fill("CREME Brulee");
        await status.filter({ hasText: "1 result" }).waitFor();
        assert.equal(await results.first().locator("a").textContent(), "Lakes");
        assert.deepEqual(await results.first().locator("mark").allTextContents(), ["crème", "brûlée"]);

        // A draft's words find nothing.
        await box.fill("marmosets");
        await status.filter({ hasText: "No results for “marmosets”" }).waitFor();
        assert.equal(await results.count(), 0);

        // Ranked: a match in the title weighs more than one in the body.
        await box.fill("flies");
        await status.filter({ hasText: "2 results" }).waitFor();
        assert.deepEqual(await page.locator("#search-results a.search-title").allTextContents(), ["Flies", "Zebras"]);

        // Many results, ten at a time.
        await box.fill("stripes");
        await status.filter({ hasText: "13 results" }).waitFor();
        assert.equal(await results.count(), 10);
        await page.getByRole("button", { name: "More results" }).click();
        await page.waitForFunction(() => document.querySelectorAll("#search-results > li").length === 13);
        assert.ok(await page.getByRole("button", { name: "More results" }).isHidden());

        // The header box of another page is a form that GETs /search/?q=.
        await page.goto(`${origin}/blog/posts/lakes/`);
        await page.getByLabel("Search this site").fill("quagga");
        await page.getByLabel("Search this site").press("Enter");
        await page.waitForURL(/\/blog\/search\/\?q=quagga$/);
        await status.filter({ hasText: "1 result" }).waitFor();
        assert.equal(await page.getByLabel("Search this site").inputValue(), "quagga");
      }

      // axe-core with results on screen.
      await page.goto(`${origin}/blog/search/?q=stripes`);
      await status.filter({ hasText: "results" }).waitFor();
      await page.addScriptTag({ content: AXE });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        return result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      });
      assert.deepEqual(violations, [], `${colorScheme}: ${violations.join("\n")}`);
      await page.close();
    }
    assert.deepEqual(elsewhere, [], "no request leaves the site");
  } finally {
    await browser.close();
    server.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
});
