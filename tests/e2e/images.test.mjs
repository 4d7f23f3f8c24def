// Responsive images in a real browser: a post with two PNG files (written
// here) is served by `blog serve`; Debian's chromium must pick a `srcset`
// candidate that loads (currentSrc set, naturalWidth above 0), and each
// image's box must have its final size before its bytes arrive (the
// width and height attributes reserve it: no layout shift).

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { BLOG, launchBrowser, startServer, TIMEOUT } from "./serve.mjs";

// A `width`×`height` RGB PNG of gradients.
function png(width, height) {
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * row + 1 + x * 3;
      raw[at] = (x * 255) / width;
      raw[at + 1] = (y * 255) / height;
      raw[at + 2] = ((x >> 5) + (y >> 5)) % 2 ? 200 : 40;
    }
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("the browser loads a srcset candidate into a box sized before it arrives", async () => {
  const site = mkdtempSync(join(tmpdir(), "blog-e2e-images-"));
  const cache = mkdtempSync(join(tmpdir(), "blog-e2e-cache-"));
  const post = join(site, "content", "posts", "photos");
  mkdirSync(post, { recursive: true });
  writeFileSync(join(site, "config.toml"), 'title = "Photos"\n');
  writeFileSync(join(post, "first.png"), png(1200, 800));
  writeFileSync(join(post, "second.png"), png(900, 600));
  const words = "Words to read while the pictures arrive. ".repeat(60);
  writeFileSync(
    join(post, "index.md"),
    `---\ntitle: Photos\ndate: 2024-05-01\n---\n${words}\n\n![The first](first.png)\n\n${words}\n\n![The second](second.png)\n`,
  );
  // A build first makes the copies (a debug binary takes a while); serve
  // then finds them in the cache.
  execFileSync(BLOG, ["build", "--quiet"], { cwd: site, env: { ...process.env, BLOG_CACHE_DIR: cache } });
  const server = startServer(site, cache, ["--no-watch", "--quiet"]);
  const browser = await launchBrowser();
  try {
    const base = await server.url;
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    // Image bytes are held back, so the boxes can be measured before them.
    const held = [];
    let hold = true;
    await page.route(/\.(png|webp)$/, (route) => (hold ? held.push(route) : route.continue()));
    await page.goto(`${base}/posts/photos/`, { waitUntil: "domcontentloaded", timeout: TIMEOUT });
    const boxes = () =>
      page.$$eval("img", (imgs) =>
        imgs.map((img) => {
          const box = img.getBoundingClientRect();
          return {
            src: img.getAttribute("src"),
            width: Math.round(box.width),
            height: Math.round(box.height),
            complete: img.complete && img.naturalWidth > 0,
            srcset: img.getAttribute("srcset"),
            lazy: img.getAttribute("loading"),
          };
        }),
      );
    const before = await boxes();
    assert.equal(before.length, 2, JSON.stringify(before));
    for (const img of before) {
      assert.ok(!img.complete, `${img.src} is held back`);
      assert.ok(img.srcset, `${img.src} has a srcset`);
      assert.ok(img.width > 0 && img.height > 0, `${img.src} has a box before loading: ${JSON.stringify(img)}`);
    }
    assert.equal(before[0].lazy, null, "the first image loads at once");
    assert.equal(before[1].lazy, "lazy", "the second loads lazily");
    // The text column is narrower than the images: 3:2 boxes.
    for (const img of before) {
      assert.ok(Math.abs(img.width / img.height - 1.5) < 0.02, `${img.src}: ${img.width}×${img.height}`);
    }

    // Let every image through, now and as the page scrolls.
    hold = false;
    for (const route of held.splice(0)) await route.continue();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction(
      () => [...document.images].every((img) => img.complete && img.naturalWidth > 0),
      null,
      { timeout: TIMEOUT },
    );
    const after = await boxes();
    const loaded = await page.$$eval("img", (imgs) =>
      imgs.map((img) => ({ currentSrc: img.currentSrc, naturalWidth: img.naturalWidth })),
    );
    for (const [i, img] of loaded.entries()) {
      assert.ok(img.currentSrc, `${before[i].src}: currentSrc is set`);
      assert.match(img.currentSrc, /-\d+w\.(png|webp)$/, `${before[i].src}: a srcset candidate was picked`);
      assert.ok(img.naturalWidth > 0, `${img.currentSrc} decoded`);
      const response = await page.request.get(img.currentSrc);
      assert.equal(response.status(), 200, `${img.currentSrc} is served`);
    }
    for (const [i, img] of after.entries()) {
      assert.deepEqual(
        [img.width, img.height],
        [before[i].width, before[i].height],
        `${img.src} kept its box as it loaded`,
      );
    }
    await page.close();
  } finally {
    await browser.close();
    server.child.kill();
    rmSync(site, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
});
