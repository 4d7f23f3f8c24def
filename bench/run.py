#!/usr/bin/env python3
"""Benchmarks for `make bench`: build generated sites with the release binary
(and with Hugo, when installed, on the same posts) and record wall time, CPU
time and peak memory in BENCHMARKS.md, between the bench markers.

    bench/run.py [--posts 1000,10000] [--runs 3] [--no-hugo]

Sites come from ../shared/bench/gen_corpus.py and live in bench-sites/
(git-ignored). Each tool builds each site once to warm the page cache, then
`--runs` times measured; the median run is reported.
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
SITES = os.path.join(ROOT, "bench-sites")
# The release binary, wherever cargo put it (`make bench` sets BLOG_BIN).
BLOG = os.environ.get("BLOG_BIN") or subprocess.run(
    [os.path.join(ROOT, "scripts", "blog-bin.sh"), "--release"],
    check=True, capture_output=True, text=True).stdout.strip()


def timed(cmd, cwd, env=None):
    """Runs cmd under /usr/bin/time -v; returns (wall s, cpu s, peak MiB)."""
    full_env = dict(os.environ, **(env or {}))
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, capture_output=True, text=True, env=full_env)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout}\n{out.stderr}")
    fields = {}
    for line in out.stderr.splitlines():
        if ":" in line:
            key, _, value = line.strip().rpartition(": ")
            fields[key] = value
    wall = fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"]
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    cpu = float(fields["User time (seconds)"]) + float(fields["System time (seconds)"])
    return seconds, cpu, int(fields["Maximum resident set size (kbytes)"]) / 1024


def measure(name, cmd, cwd, runs):
    """A rebuild: the tool has built this site before and keeps what it keeps."""
    timed(cmd, cwd)  # warm-up: page cache, and an existing output to replace
    results = sorted((timed(cmd, cwd) for _ in range(runs)), key=lambda r: r[0])
    wall, cpu, mem = results[len(results) // 2]
    print(f"{name} rebuild: {wall:.2f} s wall, {cpu:.2f} s cpu, {mem:.0f} MiB", flush=True)
    return wall, cpu, mem, [r[0] for r in results]


def measure_cold(name, cmd, cwd, env=None):
    """A first build: empty output directory, no cache. ext4 crawls when it
    allocates inodes just freed (for about 30 s), so cleaning up is followed
    by a pause before the run."""
    out = os.path.join(cwd, "cold-output")
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(["sync"])
    time.sleep(35)
    wall, cpu, mem = timed(cmd + [out], cwd, env)
    shutil.rmtree(out, ignore_errors=True)
    print(f"{name} cold: {wall:.2f} s wall, {cpu:.2f} s cpu, {mem:.0f} MiB", flush=True)
    return wall, cpu, mem, [wall]


def generate(posts, flavor):
    out = os.path.join(SITES, f"{flavor}-{posts}")
    if not os.path.isdir(out):
        subprocess.run([sys.executable, GEN, "--posts", str(posts), "--out", out, "--flavor", flavor], check=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-hugo", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(BLOG):
        sys.exit("build the release binary first: cargo build --release")
    hugo = None if args.no_hugo else shutil.which("hugo")
    if not args.no_hugo and not hugo:
        # A table without Hugo would read as a comparison that was not made.
        sys.exit("hugo is not installed: run scripts/bench-deps.sh (make bench does), or pass --no-hugo")
    rows = []
    for posts in [int(p) for p in args.posts.split(",")]:
        site = generate(posts, "blog")
        result = measure(f"blog {posts}", [BLOG, "build", "--quiet"], site, args.runs)
        rows.append(("blog", "rebuild", posts) + result)
        with tempfile.TemporaryDirectory() as cache:
            result = measure_cold(f"blog {posts}", [BLOG, "build", "--quiet", "--output"], site, {"BLOG_CACHE_DIR": cache})
        rows.append(("blog", "cold", posts) + result)
        if hugo:
            hsite = generate(posts, "hugo")
            version = "hugo " + hugo_version(hugo)
            result = measure(f"hugo {posts}", [hugo, "--quiet"], hsite, args.runs)
            rows.append((version, "rebuild", posts) + result)
            result = measure_cold(f"hugo {posts}", [hugo, "--quiet", "--destination"], hsite)
            rows.append((version, "cold", posts) + result)
    write_results(rows, args)


def hugo_version(hugo):
    text = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout
    m = re.search(r"v(\d+\.\d+\.\d+)", text)
    return m.group(1) if m else "?"


def write_results(rows, args):
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    lines = [
        f"Measured {datetime.date.today()} at commit `{commit}` on {os.cpu_count()} cores "
        f"({platform.machine()}), with `bench/run.py --posts {args.posts} --runs {args.runs}`"
        " (what `make bench` runs). *rebuild*: the median of the measured runs after a warm-up"
        " build (all runs in the last column); *cold*: one build into an empty directory with no cache.",
        "",
        "| tool | build | posts | wall | cpu (user+sys) | peak memory | all runs (wall) |",
        "|------|-------|------:|-----:|---------------:|------------:|-----------------|",
    ]
    for tool, kind, posts, wall, cpu, mem, walls in rows:
        runs = ", ".join(f"{w:.2f}" for w in walls)
        lines.append(f"| {tool} | {kind} | {posts:,} | {wall:.2f} s | {cpu:.2f} s | {mem:,.0f} MiB | {runs} |")
    table = "\n".join(lines)
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path, encoding="utf-8").read()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = f"{before}{start}\n{table}\n{end}{after}"
        open(path, "w", encoding="utf-8").write(text)
        print(f"updated {path}")
    print(table)


if __name__ == "__main__":
    main()
