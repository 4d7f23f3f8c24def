// Every feed.json blog writes (the site's, a section's, a term's), valid
// against JSON Feed 1.1 as tests/schemas/jsonfeed-1.1.schema.json states
// it, checked with ajv; and a feed that breaks a rule is rejected, so the
// check itself can fail.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { BLOG } from "./serve.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const schema = JSON.parse(readFileSync(join(ROOT, "tests", "schemas", "jsonfeed-1.1.schema.json"), "utf8"));
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function feeds(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((rel) => rel.endsWith("feed.json"))
    .map((rel) => join(dir, rel));
}

function write(root, rel, text) {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

test("the site's, sections' and terms' JSON Feeds are valid JSON Feed 1.1", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "blog-jsonfeed-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const site = join(dir, "site");
  write(site, "config.toml", 'title = "J"\nbase_url = "https://example.org/j/"\nauthor = "Ada"\n[[taxonomies]]\nname = "tags"\nfeed = true\n');
  write(site, "content/notes/_index.md", "---\ntitle: Notes\nfeed: true\n---\n");
  write(site, "content/notes/a.md", "---\ntitle: A & <b>\ndate: 2024-01-02T03:04:05+02:00\nupdated: 2024-02-01\ndescription: About A\ntags: [x, \"y z\"]\nextra:\n  image: /img/a.png\n---\nSee [b](/j/notes/b/).\n");
  write(site, "content/notes/b.md", "---\ntitle: B\ndate: 2024-01-01\n---\nB.\n");
  write(site, "static/img/a.png", "png");
  execFileSync(BLOG, ["build", "--root", site, "--quiet"], { env: { ...process.env, BLOG_CACHE_DIR: join(dir, "cache") } });
  const found = feeds(join(site, "public"));
  const rels = found.map((f) => f.slice(join(site, "public").length + 1)).sort();
  assert.deepEqual(rels, ["feed.json", "notes/feed.json", "tags/x/feed.json", "tags/y-z/feed.json"]);
  for (const file of found) {
    const feed = JSON.parse(readFileSync(file, "utf8"));
    assert.ok(validate(feed), `${file}: ${ajv.errorsText(validate.errors)}`);
  }
  const home = JSON.parse(readFileSync(join(site, "public", "feed.json"), "utf8"));
  assert.equal(home.feed_url, "https://example.org/j/feed.json");
  assert.deepEqual(home.authors, [{ name: "Ada" }]);
  assert.deepEqual(home.items.map((i) => i.title), ["A & <b>", "B"]);
  const [a] = home.items;
  assert.equal(a.id, "https://example.org/j/notes/a/");
  assert.equal(a.date_published, "2024-01-02T03:04:05+02:00");
  assert.equal(a.summary, "About A");
  assert.equal(a.image, "https://example.org/j/img/a.png");
  assert.deepEqual(a.tags, ["x", "y z"]);
  assert.match(a.content_html, /href="https:\/\/example.org\/j\/notes\/b\/"/);

  // The check can fail: each of these breaks one rule.
  for (const bad of [
    { ...home, version: "https://jsonfeed.org/version/1" },
    { ...home, items: [{ ...a, content_html: undefined }] },
    { ...home, items: [{ ...a, date_published: "2 January 2024" }] },
    { ...home, feed_url: "not a url" },
  ]) {
    assert.equal(validate(JSON.parse(JSON.stringify(bad))), false, JSON.stringify(bad).slice(0, 120));
  }
});

test("the example site's JSON Feeds are valid", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "blog-jsonfeed-example-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, "public");
  execFileSync(BLOG, ["build", "--root", ROOT, "--output", out, "--quiet"], { env: { ...process.env, BLOG_CACHE_DIR: join(dir, "cache") } });
  const found = feeds(out);
  assert.ok(found.length >= 1, "no feed.json");
  for (const file of found) {
    const feed = JSON.parse(readFileSync(file, "utf8"));
    assert.ok(feed.items.length > 0 || file !== join(out, "feed.json"), "the site's feed is empty");
    assert.ok(validate(feed), `${file}: ${ajv.errorsText(validate.errors)}`);
  }
});
