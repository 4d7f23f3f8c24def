#!/usr/bin/env python3
"""Benchmarks for `make bench`: build generated sites with the release binary,
and with Hugo and Zola on the same posts, and record wall time, CPU time and
peak memory in BENCHMARKS.md, between the bench markers.

    bench/run.py [--posts 1000,10000,30000,100000] [--runs 3] [--hugo-max 30000]
                 [--zola-max 30000] [--no-hugo] [--no-zola]

Sites come from ../shared/bench/gen_corpus.py and live in bench-sites/
(git-ignored). Each tool builds each site once to warm the page cache, then
`--runs` times measured; the median run is reported. Hugo builds the sites
of up to `--hugo-max` posts, Zola those of up to `--zola-max`: their peak
memory grows with the site (4.5 GiB at 10,000 posts), and a size they were
not run on is named under the table, with the memory the growth they showed
would need. Zola is the one scripts/zola.sh installs (`ZOLA_BIN` overrides).
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


def memory_mib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024
    return 0


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


def measure(name, cmd, cwd, runs, warmups=1):
    """A rebuild: the tool has built this site before and keeps what it keeps.
    The warm-ups fill the page cache and leave an output to replace (blog
    needs two: it keeps pages from the site two builds back)."""
    for _ in range(warmups):
        timed(cmd, cwd)
    at = load()
    results = sorted((timed(cmd, cwd) for _ in range(runs)), key=lambda r: r[0])
    wall, cpu, mem = results[len(results) // 2]
    print(f"{name} rebuild: {wall:.2f} s wall, {cpu:.2f} s cpu, {mem:.0f} MiB", flush=True)
    return wall, cpu, mem, [r[0] for r in results], at


def load():
    """The 1-minute load average as a run starts: figures taken on a busy
    machine say so."""
    return os.getloadavg()[0]


def measure_cold(name, cmd, cwd, runs=1, env=None, fresh=None, disk=None):
    """A first build: empty output directory, no cache, the median of `runs`.
    With `disk` (a FreshDisk), each run writes to a new filesystem, its
    output (and `env(dir)`'s cache) in it. Without, the output goes in `cwd`
    and `fresh()` empties the tool's cache; cleaning up is followed by a
    pause, since ext4 crawls when it allocates inodes just freed."""
    results = []
    for run in range(runs):
        if disk:
            mount = disk.make()
            out = os.path.join(mount, "output")
            run_env = env(mount) if env else None
        else:
            out = os.path.join(cwd, "cold-output")
            shutil.rmtree(out, ignore_errors=True)
            if fresh:
                fresh()
            run_env = env(None) if env else None
            subprocess.run(["sync"])
            time.sleep(35)
        if run == 0:
            at = load()
        try:
            results.append(timed(cmd + [out], cwd, run_env))
        finally:
            # Not left mounted when a build fails or the run is stopped.
            if disk:
                disk.remove()
    if not disk:
        shutil.rmtree(out, ignore_errors=True)
    results.sort(key=lambda r: r[0])
    wall, cpu, mem = results[len(results) // 2]
    print(f"{name} cold: {wall:.2f} s wall, {cpu:.2f} s cpu, {mem:.0f} MiB", flush=True)
    return wall, cpu, mem, [r[0] for r in results], at


class FreshDisk:
    """A new ext4 filesystem for each cold build, with a journal, as the disks
    of CI runners (GitHub's, Netlify's) have: a cold build there starts on a
    clean machine. On a disk where many files were just deleted, ext4 without
    a journal (this machine's) looks through every inode freed in the last
    minutes before it reuses one (`recently_deleted` in fs/ext4/ialloc.c: 60 s,
    360 s once the inode table block is dirty again, which the build itself
    makes it), and in a cold 1,000-post build that was over half the samples
    of `perf record -a`, growing from one cold run to the next. Made in a
    sparse file under bench-sites/, mounted through a loop device (root)."""

    def __init__(self, posts):
        # Room for blog's output and cache at 100,000 posts (3 and 2.5 GB)
        # and Hugo's or Zola's output at 30,000, with a margin.
        self.size = max(4 << 30, posts * 200 << 10)
        self.image = os.path.join(SITES, "cold-disk.img")
        self.mount = os.path.join(SITES, "cold-disk")

    @staticmethod
    def available():
        """Why a fresh disk cannot be made here, or None."""
        if os.geteuid() != 0:
            return "not root (mounting a loop device needs it)"
        for tool in ("mkfs.ext4", "mount", "umount"):
            if not shutil.which(tool):
                return f"{tool} is missing"
        return None

    def make(self):
        self.remove()
        with open(self.image, "wb") as f:
            f.truncate(self.size)
        # Inode tables and journal written now, not by a kernel thread
        # during the build.
        subprocess.run(["mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0",
                        self.image], check=True)
        os.makedirs(self.mount, exist_ok=True)
        subprocess.run(["mount", "-o", "loop", self.image, self.mount], check=True)
        # mkfs's writes reach the disk before the clock starts.
        subprocess.run(["sync"], check=True)
        time.sleep(2)
        return self.mount

    def remove(self):
        if os.path.ismount(self.mount):
            subprocess.run(["umount", self.mount], check=True)
        if os.path.exists(self.image):
            os.remove(self.image)


def generate(posts, flavor):
    out = os.path.join(SITES, f"{flavor}-{posts}")
    if not os.path.isdir(out):
        subprocess.run([sys.executable, GEN, "--posts", str(posts), "--out", out, "--flavor", flavor], check=True)
        if flavor == "zola":
            zola_021_config(os.path.join(out, "config.toml"))
    return out


def zola_021_config(path):
    """The generator writes the highlighting table of Zola 0.22; scripts/zola.sh
    installs 0.21.0, which names the same settings in `[markdown]`: highlight
    with classes, as blog and Hugo do on these sites."""
    text = open(path, encoding="utf-8").read()
    table = '[markdown.highlighting]\ntheme = "github-dark"\nstyle = "class"\n'
    if table not in text:
        sys.exit(f"{path}: the generator's Zola config changed; adapt zola_021_config in bench/run.py")
    text = text.replace(table, '[markdown]\nhighlight_code = true\nhighlight_theme = "css"\n')
    open(path, "w", encoding="utf-8").write(text)


def zola_path():
    if os.environ.get("ZOLA_BIN"):
        return os.environ["ZOLA_BIN"]
    return subprocess.run([os.path.join(ROOT, "scripts", "zola.sh")], check=True,
                          capture_output=True, text=True).stdout.strip()


def tool_version(cmd):
    text = subprocess.run(cmd, capture_output=True, text=True).stdout
    m = re.search(r"(\d+\.\d+\.\d+)", text)
    return m.group(1) if m else "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", default="1000,10000,30000,100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--hugo-max", type=int, default=30000,
                    help="the largest site Hugo builds")
    ap.add_argument("--zola-max", type=int, default=30000,
                    help="the largest site Zola builds")
    ap.add_argument("--cold-runs", type=int, default=3,
                    help="cold builds per tool, the median reported, on sites up to --cold-runs-max posts")
    ap.add_argument("--cold-runs-max", type=int, default=10000,
                    help="larger sites get one cold build (Hugo's takes minutes)")
    ap.add_argument("--cold-disk", choices=["fresh", "here"],
                    help="where cold builds write: a new ext4 filesystem each (the default as root) "
                         "or bench-sites/ after a pause (the default otherwise)")
    ap.add_argument("--no-hugo", action="store_true")
    ap.add_argument("--no-zola", action="store_true")
    args = ap.parse_args()
    missing = FreshDisk.available()
    if args.cold_disk == "fresh" and missing:
        sys.exit(f"--cold-disk fresh: {missing}")
    if not args.cold_disk:
        args.cold_disk = "here" if missing else "fresh"
        if missing:
            print(f"cold builds write to bench-sites/ after a pause: no fresh disk, {missing}", flush=True)
    if not os.path.exists(BLOG):
        sys.exit("build the release binary first: cargo build --release")
    hugo = None if args.no_hugo else shutil.which("hugo")
    if not args.no_hugo and not hugo:
        # A table without Hugo would read as a comparison that was not made.
        sys.exit("hugo is not installed: run scripts/bench-deps.sh (make bench does), or pass --no-hugo")
    zola = None if args.no_zola else zola_path()
    # Each peer: (name, site flavor, rebuild command, cold command taking the
    # output directory last, the largest site it builds).
    peers = []
    if hugo:
        peers.append(("Hugo", "hugo", "hugo " + tool_version([hugo, "version"]), [hugo, "--quiet"],
                      [hugo, "--quiet", "--destination"], args.hugo_max))
    if zola:
        peers.append(("Zola", "zola", "zola " + tool_version([zola, "--version"]), [zola, "build"],
                      [zola, "build", "--output-dir"], args.zola_max))
    rows = []
    skipped = []
    peak = {name: {} for name, *_ in peers}
    for posts in [int(p) for p in args.posts.split(",")]:
        site = generate(posts, "blog")
        result = measure(f"blog {posts}", [BLOG, "build", "--quiet"], site, args.runs, warmups=2)
        rows.append(("blog", "rebuild", posts) + result)
        cold_runs = args.cold_runs if posts <= args.cold_runs_max else 1
        disk = FreshDisk(posts) if args.cold_disk == "fresh" else None
        with tempfile.TemporaryDirectory() as cache:
            def empty_cache():
                shutil.rmtree(cache, ignore_errors=True)
                os.makedirs(cache)

            def cache_env(mount):
                if mount:
                    os.makedirs(os.path.join(mount, "cache"))
                    return {"BLOG_CACHE_DIR": os.path.join(mount, "cache")}
                return {"BLOG_CACHE_DIR": cache}
            result = measure_cold(f"blog {posts}", [BLOG, "build", "--quiet", "--output"], site, cold_runs,
                                  cache_env, empty_cache, disk)
        rows.append(("blog", "cold", posts) + result)
        for name, flavor, version, rebuild, cold, most in peers:
            if posts > most:
                known = max(peak[name]) if peak[name] else None
                if known:
                    need = peak[name][known] * posts / known
                    skipped.append(
                        f"{name} was not run on {posts:,} posts: its peak memory grew to "
                        f"{peak[name][known]:,.0f} MiB at {known:,} posts, which at that rate is "
                        f"about {need / 1024:,.0f} GiB at {posts:,}, against this machine's "
                        f"{memory_mib() / 1024:,.0f} GiB.")
                else:
                    skipped.append(f"{name} was not run on {posts:,} posts (`--{flavor}-max {most}`).")
                continue
            psite = generate(posts, flavor)
            result = measure(f"{flavor} {posts}", rebuild, psite, args.runs)
            rows.append((version, "rebuild", posts) + result)
            result = measure_cold(f"{flavor} {posts}", cold, psite, cold_runs, disk=disk)
            rows.append((version, "cold", posts) + result)
            peak[name][posts] = max(r[5] for r in rows if r[0] == version and r[2] == posts)
    write_results(rows, args, skipped)


def write_results(rows, args, skipped):
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    lines = [
        f"Measured {datetime.date.today()} at commit `{commit}` on {os.cpu_count()} cores "
        f"({platform.machine()}, {memory_mib() / 1024:,.0f} GiB), with `bench/run.py --posts {args.posts}"
        f" --runs {args.runs} --cold-runs {args.cold_runs} --cold-runs-max {args.cold_runs_max}"
        f" --hugo-max {args.hugo_max} --zola-max {args.zola_max}"
        f" --cold-disk {args.cold_disk}` (`make bench` runs it with its defaults)."
        " *rebuild*: the median of the measured runs after two warm-up"
        " builds (all runs in the last column); *cold*: a build into an empty directory with no cache"
        + (", on a new ext4 filesystem (with a journal) each time," if args.cold_disk == "fresh"
           else " in bench-sites/, 35 s after the last clean-up,") +
        f" the median of {args.cold_runs} on sites of up to {args.cold_runs_max:,} posts, one on larger ones;"
        " *load*: the machine's 1-minute load average as the runs started (2 cores: above 0.5, other work"
        " shared them).",
        "",
        "| tool | build | posts | wall | cpu (user+sys) | peak memory | load | all runs (wall) |",
        "|------|-------|------:|-----:|---------------:|------------:|-----:|-----------------|",
    ]
    for tool, kind, posts, wall, cpu, mem, walls, at in rows:
        runs = ", ".join(f"{w:.2f}" for w in walls)
        lines.append(f"| {tool} | {kind} | {posts:,} | {wall:.2f} s | {cpu:.2f} s | {mem:,.0f} MiB | {at:.1f} | {runs} |")
    if skipped:
        lines.append("")
        lines.extend(skipped)
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
