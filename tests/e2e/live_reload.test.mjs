// End to end: a real browser (Debian's chromium, driven by playwright-core)
// has a served post open while the author edits the file on disk. The page
// must follow the edit by itself, show the error overlay when a save does not
// build, and drop it after the fix; a stylesheet edit must restyle the page
// without reloading it; a page given a new address must be followed there.
// Run by `make test` after `cargo test`.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TIMEOUT, launchBrowser, startServer } from "./serve.mjs";

function writeSite(root) {
  mkdirSync(join(root, "content/posts"), { recursive: true });
  writeFileSync(join(root, "config.toml"), 'title = "E2E"\nbase_url = "https://example.org"\n');
  writeFileSync(join(root, "content/posts/live.md"), "---\ntitle: Live\ndate: 2024-01-01\n---\nFirst words.\n");
}

// Writes a site (the basic one, then `extra` to add files), serves it, opens
// a browser, runs `body(root, base, browser)`, and cleans everything up;
// a failure carries what the server printed.
async function withServedSite(extra, body) {
  const root = mkdtempSync(join(tmpdir(), "blog-e2e-site-"));
  const cache = mkdtempSync(join(tmpdir(), "blog-e2e-cache-"));
  writeSite(root);
  extra(root);
  const server = startServer(root, cache);
  const browser = await launchBrowser();
  try {
    await body(root, await server.url, browser);
  } catch (error) {
    error.message += `\n--- blog serve said:\n${server.output()}`;
    throw error;
  } finally {
    await browser.close();
    server.child.kill();
    rmSync(root, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}

test("an open page follows edits, shows the error overlay, and recovers", () =>
  withServedSite(() => {}, async (root, base, browser) => {
    const page = await browser.newPage();
    await page.goto(`${base}/posts/live/`);
    assert.equal(await page.textContent("article h1"), "Live");
    assert.match(await page.textContent(".content"), /First words\./);

    // Edit the post on disk; the open page shows it without the test navigating.
    writeFileSync(join(root, "content/posts/live.md"), "---\ntitle: Live\ndate: 2024-01-01\n---\nSecond words, saved.\n");
    await page.waitForFunction(() => document.querySelector(".content")?.textContent.includes("Second words, saved."), null, { timeout: TIMEOUT });

    // Break the front matter: the overlay appears over the last good page.
    writeFileSync(join(root, "content/posts/live.md"), "---\ntitle: Live\ndate: not-a-date\n---\nBroken.\n");
    await page.waitForSelector("#blog-error-overlay", { timeout: TIMEOUT });
    const overlay = await page.textContent("#blog-error-overlay");
    assert.match(overlay, /content\/posts\/live\.md:3:7/);
    assert.match(await page.textContent(".content"), /Second words, saved\./);

    // Fix it: the overlay goes and the fixed text shows.
    writeFileSync(join(root, "content/posts/live.md"), "---\ntitle: Live\ndate: 2024-01-01\n---\nFixed words.\n");
    await page.waitForSelector("#blog-error-overlay", { state: "detached", timeout: TIMEOUT });
    await page.waitForFunction(() => document.querySelector(".content")?.textContent.includes("Fixed words."), null, { timeout: TIMEOUT });
  }));

test("a stylesheet edit restyles the open page without reloading it", () =>
  withServedSite((root) => {
    mkdirSync(join(root, "static"), { recursive: true });
    writeFileSync(join(root, "static/style.css"), "body { color: rgb(1, 2, 3); }\n");
  }, async (root, base, browser) => {
    const page = await browser.newPage();
    await page.goto(`${base}/posts/live/`);
    const color = () => page.evaluate(() => getComputedStyle(document.body).color);
    assert.equal(await color(), "rgb(1, 2, 3)");
    // A mark a reload would wipe out.
    await page.evaluate(() => { window.blogTestMark = "still here"; });

    writeFileSync(join(root, "static/style.css"), "body { color: rgb(4, 5, 6); }\n");
    await page.waitForFunction(() => getComputedStyle(document.body).color === "rgb(4, 5, 6)", null, { timeout: TIMEOUT });
    assert.equal(await page.evaluate(() => window.blogTestMark), "still here", "the page was reloaded");

    // A post edit, by contrast, reloads the page.
    writeFileSync(join(root, "content/posts/live.md"), "---\ntitle: Live\ndate: 2024-01-01\n---\nNew words.\n");
    await page.waitForFunction(() => document.querySelector(".content")?.textContent.includes("New words."), null, { timeout: TIMEOUT });
    assert.equal(await page.evaluate(() => window.blogTestMark), undefined);
  }));

test("a tab follows its page to a new address", () =>
  withServedSite((root) => {
    writeFileSync(join(root, "content/posts/other.md"), "---\ntitle: Other\ndate: 2024-01-02\n---\nOther words.\n");
  }, async (root, base, browser) => {
    const page = await browser.newPage();
    const other = await browser.newPage();
    await page.goto(`${base}/posts/live/#section`);
    await other.goto(`${base}/posts/other/`);

    // A new slug: the post's tab goes to its new address, hash kept; a tab
    // on another page just reloads where it is.
    writeFileSync(join(root, "content/posts/live.md"), "---\ntitle: Live\ndate: 2024-01-01\nslug: moved\n---\nMoved words.\n");
    await page.waitForURL(`${base}/posts/moved/#section`, { timeout: TIMEOUT });
    await page.waitForFunction(() => document.querySelector(".content")?.textContent.includes("Moved words."), null, { timeout: TIMEOUT });
    assert.equal(other.url(), `${base}/posts/other/`);
    assert.equal(await other.textContent("article h1"), "Other");

    // A renamed file moves its page too, and the tab follows.
    renameSync(join(root, "content/posts/other.md"), join(root, "content/posts/renamed.md"));
    await other.waitForURL(`${base}/posts/renamed/`, { timeout: TIMEOUT });
    assert.equal(await other.textContent("article h1"), "Other");
  }));

test("a save reloads the tabs showing what it changed, and leaves the others", () =>
  withServedSite((root) => {
    writeFileSync(join(root, "content/posts/mid.md"), "---\ntitle: Mid\ndate: 2024-01-02\n---\nMid words.\n");
    writeFileSync(join(root, "content/posts/far.md"), "---\ntitle: Far\ndate: 2024-01-03\n---\nFar words.\n");
  }, async (root, base, browser) => {
    const tabs = {};
    for (const [name, path] of [["live", "/posts/live/"], ["mid", "/posts/mid/"], ["far", "/posts/far/"], ["home", "/"]]) {
      tabs[name] = await browser.newPage();
      await tabs[name].goto(`${base}${path}`);
      // A mark a reload would wipe out.
      await tabs[name].evaluate(() => { window.blogTestMark = "not reloaded"; });
    }
    const mark = (name) => tabs[name].evaluate(() => window.blogTestMark);

    // A new title: the post, its neighbour (which names it) and the home
    // page's list change; the post two along does not. Written whole and
    // renamed into place, so the server never sees half a save (which
    // would be a rebuild, reloading every tab).
    writeFileSync(join(root, "content/posts/.live.md.part"), "---\ntitle: Live again\ndate: 2024-01-01\n---\nFirst words.\n");
    renameSync(join(root, "content/posts/.live.md.part"), join(root, "content/posts/live.md"));
    await tabs.live.waitForFunction(() => document.querySelector("article h1")?.textContent === "Live again", null, { timeout: TIMEOUT });
    await tabs.mid.waitForFunction(() => document.body.textContent.includes("Live again"), null, { timeout: TIMEOUT });
    await tabs.home.waitForFunction(() => document.body.textContent.includes("Live again"), null, { timeout: TIMEOUT });
    for (const name of ["live", "mid", "home"]) {
      assert.equal(await mark(name), undefined, `the ${name} tab reloaded`);
    }
    // Every message of the save has been sent once the last list shows it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await mark("far"), "not reloaded", "a tab whose page did not change stayed as it was");
    assert.equal(await tabs.far.textContent("article h1"), "Far");
  }));
