// Shared by the end-to-end tests: the binary under test, Debian's chromium,
// and `blog serve` started on a free loopback port.

import { execFileSync, spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

// `make e2e` sets BLOG_BIN; run alone, ask cargo where it builds the binary.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BLOG = resolve(
  process.env.BLOG_BIN ??
    execFileSync(resolve(ROOT, "scripts", "blog-bin.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim(),
);
export const TIMEOUT = 15_000;

// Starts `blog serve --port 0 ...extra` in `root` with its highlight cache
// in `cache`; `url` resolves once it listens, `output()` is what it printed.
export function startServer(root, cache, extra = []) {
  const child = spawn(BLOG, ["serve", "--port", "0", ...extra], {
    cwd: root,
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
  return { child, url, output: () => output };
}

// Headless Debian chromium, with nothing that reaches the network.
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}
