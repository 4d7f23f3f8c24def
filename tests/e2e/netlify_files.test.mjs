// The `_redirects` and `_headers` files blog writes, read by Netlify's own
// parsers (@netlify/redirect-parser and @netlify/headers-parser, what
// Netlify's build runs). `_redirects`: every line parses,
// each alias, `redirect_to` page and imported WordPress `?p=` link is a
// forced 301 to the right place (a redirect page exists at the same path,
// and Netlify serves an existing file before an unforced rule), and the
// author's own lines come first, as written. `_headers`: the fingerprinted
// stylesheets immutable for a year, security headers on every path, no
// Cache-Control on `/*` (Netlify joins the values of every matching rule),
// and the repository's netlify.toml read without an error.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllHeaders } from "@netlify/headers-parser";
import { parseAllRedirects } from "@netlify/redirect-parser";
import { bindOpts } from "@netlify/cache-utils";
import { parse as parseToml } from "smol-toml";
import { BLOG } from "./serve.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function write(root, rel, text) {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

function blog(args, cache) {
  return execFileSync(BLOG, args, {
    encoding: "utf8",
    env: { ...process.env, BLOG_CACHE_DIR: cache },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function parse(file) {
  const { redirects, errors } = await parseAllRedirects({ redirectsFiles: [file], minimal: true });
  assert.deepEqual(errors.map(String), [], `Netlify's parser rejects ${file}`);
  return redirects;
}

test("aliases, redirect_to pages and the author's own lines parse as Netlify reads them", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "blog-netlify-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const site = join(dir, "site");
  write(site, "config.toml", 'title = "T"\nbase_url = "https://example.org/babysteps/"\n');
  write(site, "content/posts/new.md", '+++\ntitle = "New"\naliases = ["/old/", "/older.html", "/2019/03/ünï/", "/a b/"]\n+++\nBody.\n');
  write(site, "content/posts/away.md", "---\ntitle: Away\nredirect_to: https://elsewhere.example/post/\n---\n");
  write(site, "content/posts/moved.md", "---\ntitle: Moved\nredirect_to: /posts/new/\n---\nGone.\n");
  write(site, "static/_redirects", "# the author's own\n/feed  /babysteps/rss.xml  302\n");
  blog(["build", "--root", site, "--quiet"], join(dir, "cache"));

  const file = join(site, "public", "_redirects");
  const rules = await parse(file);
  const simple = rules.map((r) => [r.from, r.to, r.status, r.force]);
  assert.deepEqual(simple[0], ["/feed", "/babysteps/rss.xml", 302, false], "the author's line first, as written");
  const made = rules.slice(1);
  assert.ok(made.length >= 4, JSON.stringify(simple));
  for (const rule of made) {
    assert.equal(rule.status, 301, JSON.stringify(rule));
    assert.equal(rule.force, true, `not forced, so Netlify serves the redirect page instead: ${JSON.stringify(rule)}`);
    // The rule's own path has the redirect page the rule must win over.
    const path = decodeURI(rule.from.replace(/^\/babysteps/, ""));
    const page = path.endsWith("/") ? join(path, "index.html") : path;
    assert.ok(existsSync(join(site, "public", page)), `no redirect page at ${rule.from}`);
  }
  const to = (from) => made.find((r) => r.from === from)?.to;
  assert.equal(to("/babysteps/old/"), "/babysteps/posts/new/");
  assert.equal(to("/babysteps/older.html"), "/babysteps/posts/new/");
  // Encoded, as Netlify asks: a space would split the line.
  assert.equal(to("/babysteps/2019/03/%C3%BCn%C3%AF/"), "/babysteps/posts/new/");
  assert.equal(to("/babysteps/a%20b/"), "/babysteps/posts/new/");
  assert.equal(to("/babysteps/posts/moved/"), "https://example.org/babysteps/posts/new/");
  assert.equal(to("/babysteps/posts/away/"), "https://elsewhere.example/post/");
});

test("an imported WordPress site's ?p= links are query rules Netlify applies", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "blog-netlify-wp-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const site = join(dir, "site");
  blog(["import", "--from", "wordpress", join(ROOT, "tests", "fixtures", "wordpress", "export.xml"), site, "--quiet"], join(dir, "cache"));
  blog(["build", "--root", site, "--quiet"], join(dir, "cache"));

  const rules = await parse(join(site, "public", "_redirects"));
  const byQuery = new Map(
    rules.filter((r) => Object.keys(r.query).length > 0).map((r) => [JSON.stringify(r.query), r]),
  );
  const post = byQuery.get(JSON.stringify({ p: "101" }));
  assert.ok(post, `no rule for ?p=101 in ${JSON.stringify(rules)}`);
  assert.equal(post.from, "/");
  assert.equal(post.to, "/2019/03/hello-caption/");
  assert.equal(post.status, 301);
  assert.equal(post.force, true, "the home page exists at /, so only a forced rule redirects /?p=101");
  assert.equal(byQuery.get(JSON.stringify({ page_id: "106" }))?.to, "/about/");
  // Every query rule leads to a page the build wrote.
  for (const rule of byQuery.values()) {
    assert.ok(existsSync(join(site, "public", rule.to, "index.html")), `${rule.to} was not built`);
  }
});

test("_headers: fingerprinted files immutable, security headers everywhere, as Netlify reads them", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "blog-netlify-headers-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const site = join(dir, "site");
  write(site, "config.toml", 'title = "T"\nbase_url = "https://example.org/babysteps/"\n');
  write(site, "content/posts/a.md", "+++\ntitle = \"A\"\n+++\nBody.\n");
  write(site, "static/js/menu.js", "console.log(1);\n");
  write(site, "static/_headers", "/babysteps/private/*\n  X-Robots-Tag: noindex\n");
  blog(["build", "--root", site, "--quiet"], join(dir, "cache"));

  const { headers, errors } = await parseAllHeaders({
    headersFiles: [join(site, "public", "_headers")],
    netlifyConfigPath: join(ROOT, "netlify.toml"),
    minimal: true,
  });
  assert.deepEqual(errors.map(String), [], "Netlify's parser rejects _headers or netlify.toml");
  const rule = (path) => headers.find((h) => h.for === path)?.values;
  assert.deepEqual(rule("/babysteps/private/*"), { "X-Robots-Tag": "noindex" }, "the author's own rule, kept");
  const all = rule("/babysteps/*");
  assert.equal(all["X-Content-Type-Options"], "nosniff");
  assert.equal(all["Referrer-Policy"], "strict-origin-when-cross-origin");
  assert.equal(all["X-Frame-Options"], "SAMEORIGIN");
  assert.equal(all["Cache-Control"], undefined, "a Cache-Control on /* would be joined with the immutable one");

  // Every stylesheet the home page links, and the script, is immutable
  // under the name it is published at.
  const home = readFileSync(join(site, "public", "index.html"), "utf8");
  const linked = [...home.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(linked.length, 2, home);
  const immutable = headers.filter((h) => h.values["Cache-Control"] === "public, max-age=31536000, immutable").map((h) => h.for);
  for (const href of linked) {
    assert.ok(immutable.includes(href), `${href} is not immutable: ${JSON.stringify(headers)}`);
    assert.ok(existsSync(join(site, "public", href.replace(/^\/babysteps\//, ""))), href);
  }
  assert.ok(immutable.some((p) => /^\/babysteps\/js\/menu\.[0-9a-f]{16}\.js$/.test(p)), JSON.stringify(immutable));
  assert.equal(immutable.length, 3, JSON.stringify(immutable));
});

test("netlify.toml: every context builds with blog, and the cache plugin carries blog's cache to the next build", async (t) => {
  const config = parseToml(readFileSync(join(ROOT, "netlify.toml"), "utf8"));
  assert.equal(config.build.publish, "public");
  assert.equal(config.build.environment.BLOG_CACHE_DIR, ".blog-cache");
  for (const context of ["production", "deploy-preview", "branch-deploy"]) {
    const command = config.context[context]?.command ?? "";
    assert.match(command, /cargo run --locked --release -- build/, context);
  }
  assert.match(config.context["deploy-preview"].command, /build --drafts$/);
  assert.doesNotMatch(config.context.production.command, /--drafts/);
  const [plugin] = config.plugins;
  const dir = join(ROOT, plugin.package);
  assert.match(readFileSync(join(dir, "manifest.yml"), "utf8"), /^name: blog-cache$/m);
  const { onPreBuild, onPostBuild, PATHS } = await import(join(dir, "index.js"));
  assert.deepEqual(PATHS, [".blog-cache", "target"]);

  // Two builds on Netlify, played with Netlify's own cache code: each in a
  // fresh clone of the site, the cache folder the only thing kept.
  const tmp = mkdtempSync(join(tmpdir(), "blog-netlify-cache-"));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const cacheDir = join(tmp, "netlify-cache");
  const clone = (name) => {
    const site = join(tmp, name);
    write(site, "config.toml", 'title = "C"\nbase_url = "https://example.org"\n');
    write(site, "content/posts/code.md", "---\ntitle: Code\ndate: 2024-01-01\n---\n```rust\nfn main() { println!(\"hi\"); }\n```\n");
    return site;
  };
  const netlifyBuild = async (site) => {
    const utils = { cache: bindOpts({ cacheDir, cwd: site }) };
    await onPreBuild({ utils });
    execFileSync(BLOG, ["build", "--quiet"], { cwd: site, env: { ...process.env, BLOG_CACHE_DIR: ".blog-cache" } });
    await onPostBuild({ utils });
  };
  // Netlify clones into the same folder every time (/opt/build/repo), so
  // the second build is a new clone at the first one's place.
  const first = clone("repo");
  await netlifyBuild(first);
  const cached = snapshotOf(join(first, ".blog-cache"));
  const kept = Object.keys(cached).filter((rel) => rel.endsWith("highlight.bin"));
  assert.equal(kept.length, 1, JSON.stringify(Object.keys(cached)));
  rmSync(first, { recursive: true, force: true });
  const second = clone("repo");
  assert.ok(!existsSync(join(second, ".blog-cache")));
  const utils = { cache: bindOpts({ cacheDir, cwd: second }) };
  await onPreBuild({ utils });
  // The first build's highlight cache is back, byte for byte, where blog
  // looks for this site's.
  assert.deepEqual(readFileSync(join(second, ".blog-cache", kept[0])), cached[kept[0]]);
  execFileSync(BLOG, ["build", "--quiet"], { cwd: second, env: { ...process.env, BLOG_CACHE_DIR: ".blog-cache" } });
  await onPostBuild({ utils });
  assert.ok(existsSync(join(second, "public", "posts", "code", "index.html")));
});

function snapshotOf(dir) {
  const out = {};
  if (!existsSync(dir)) return out;
  for (const rel of readdirSync(dir, { recursive: true })) {
    const path = join(dir, rel);
    try {
      out[rel] = readFileSync(path);
    } catch {
      // a folder
    }
  }
  return out;
}
