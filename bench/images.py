#!/usr/bin/env python3
"""What responsive images cost a build: the generated 10,000-post site with
200 JPEG photos of about 1600×1067 (one in each of 200 posts, from static/),
against the same site without them, cold (an empty cache) and warm (the
cache of the build before), with the release binary.

    bench/images.py [--site bench-sites/blog-10000] [--runs 3] [--bin PATH]

The site is copied to a temporary folder, never changed in place. The
photos are made by blog itself: a few small PNGs of gradients and noise
are written here and scaled to JPEGs of distinct sizes (1551 to 1600
pixels wide) with `resize_image` in a template, so no image library is
needed and no two photos share bytes (which the cache would reuse).
"""
import argparse
import math
import os
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd, cwd, env=None):
    """Runs cmd under /usr/bin/time -v; returns (wall s, cpu s, peak MiB)."""
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, capture_output=True, text=True,
                         env=dict(os.environ, **(env or {})))
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stdout}\n{out.stderr}")
    fields = {}
    for line in out.stderr.splitlines():
        key, _, value = line.strip().rpartition(": ")
        fields[key] = value
    parts = [float(p) for p in fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")]
    wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    cpu = float(fields["User time (seconds)"]) + float(fields["System time (seconds)"])
    return wall, cpu, int(fields["Maximum resident set size (kbytes)"]) / 1024

PHOTOS = 200


def png(width, height, seed):
    """A photo-like RGB PNG: soft gradients, shapes and noise."""
    rng = random.Random(seed)
    waves = [(rng.uniform(0.005, 0.05), rng.uniform(0.005, 0.05), rng.uniform(0, 6)) for _ in range(3)]
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            for c, (fx, fy, phase) in enumerate(waves):
                v = 128 + 90 * math.sin(x * fx + y * fy + phase) + rng.randint(-25, 25)
                row.append(max(0, min(255, int(v))))
        rows.append(bytes(row))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 6)) + chunk(b"IEND", b""))


def make_photos(blog, out_dir):
    """Writes PHOTOS JPEGs of about 1600×1067 into out_dir, made by blog."""
    work = tempfile.mkdtemp(prefix="blog-photos-")
    try:
        os.makedirs(os.path.join(work, "static"))
        os.makedirs(os.path.join(work, "templates"))
        with open(os.path.join(work, "config.toml"), "w") as f:
            f.write('title = "Photos"\n')
        for k in range(4):
            with open(os.path.join(work, "static", f"base-{k}.png"), "wb") as f:
                f.write(png(400, 267, k))
        calls = []
        for i in range(PHOTOS):
            calls.append(
                '{%% set r = resize_image(path="static/base-%d.png", width=%d, height=1067, '
                'op="scale", format="jpg", quality=85) %%}{{ r.static_path }}\n' % (i % 4, 1600 - i // 4))
        with open(os.path.join(work, "templates", "index.html"), "w") as f:
            f.write("".join(calls))
        env = dict(os.environ, BLOG_CACHE_DIR="")
        subprocess.run([blog, "build", "--quiet"], cwd=work, check=True, env=env)
        with open(os.path.join(work, "public", "index.html")) as f:
            made = [line.strip() for line in f if line.strip()]
        os.makedirs(out_dir, exist_ok=True)
        for i, rel in enumerate(made):
            shutil.copy(os.path.join(work, "public", rel), os.path.join(out_dir, f"bench-{i:03}.jpg"))
        return len(made)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def with_photos(site, dest, blog):
    """A copy of site at dest whose 200 posts (every 50th) show a photo."""
    shutil.copytree(site, dest)
    images = os.path.join(dest, "static", "images")
    count = make_photos(blog, images)
    posts = sorted(os.listdir(os.path.join(dest, "content", "posts")))
    chosen = posts[:: max(1, len(posts) // count)][:count]
    for i, name in enumerate(chosen):
        with open(os.path.join(dest, "content", "posts", name), "a") as f:
            f.write(f"\n\n![Photo {i}](/images/bench-{i:03}.jpg)\n")
    return len(chosen)


def print_medians(results):
    """A markdown table of the median wall, CPU and peak RSS of each
    (site, build)'s runs."""
    print("| site | build | wall | CPU | peak RSS |")
    print("|---|---|---:|---:|---:|")
    for (label, kind), runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        rss = statistics.median(r[2] for r in runs)
        print(f"| {label} | {kind} | {wall:.2f} s | {cpu:.2f} s | {rss:.0f} MiB |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", default=os.path.join(ROOT, "bench-sites", "blog-10000"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bin", default=os.environ.get("BLOG_BIN"))
    args = parser.parse_args()
    blog = args.bin or subprocess.run(
        [os.path.join(ROOT, "scripts", "blog-bin.sh"), "--release"],
        check=True, capture_output=True, text=True).stdout.strip()
    tmp = tempfile.mkdtemp(prefix="blog-bench-images-")
    try:
        site = os.path.join(tmp, "site")
        posts = with_photos(args.site, site, blog)
        print(f"{posts} posts show a photo ({PHOTOS} JPEGs of about 1600x1067)")
        results = {}
        for run in range(args.runs):
            # Interleaved, so the machine's load falls on both alike.
            for label, root in (("without images", args.site), ("with images", site)):
                cache = tempfile.mkdtemp(dir=tmp)
                out = os.path.join(tmp, f"out-{run}-{label[0]}")
                cmd = [blog, "build", "--quiet", "--root", root, "--output", out]
                env = {"BLOG_CACHE_DIR": cache}
                results.setdefault((label, "cold"), []).append(timed(cmd, tmp, env))
                results.setdefault((label, "warm"), []).append(timed(cmd, tmp, env))
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(cache, ignore_errors=True)
        print(f"median of {args.runs} runs each:")
        print_medians(results)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
