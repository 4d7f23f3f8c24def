#!/usr/bin/env python3
"""What the writing and reading features cost a build of the generated
10,000-post site: related posts off, the defaults (related posts on), and
everything on (search, 200 posts with a photo, related posts), cold (an
empty cache and output) and warm (the third build into the same output and
cache: from the second rebuild on, unchanged pages are kept), with the
release binary, interleaved so the machine's load falls on all alike.

    bench/features.py [--site bench-sites/blog-10000] [--runs 2] [--bin PATH]

The site is copied to temporary folders, never changed in place; the photos
are made as bench/images.py makes them.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import images  # noqa: E402  (the photos, the timer and the table)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def with_config(site, dest, extra):
    shutil.copytree(site, dest)
    with open(os.path.join(dest, "config.toml"), "a") as f:
        f.write(extra)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", default=os.path.join(ROOT, "bench-sites", "blog-10000"))
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--bin", default=os.environ.get("BLOG_BIN"))
    args = parser.parse_args()
    blog = args.bin or subprocess.run(
        [os.path.join(ROOT, "scripts", "blog-bin.sh"), "--release"],
        check=True, capture_output=True, text=True).stdout.strip()
    tmp = tempfile.mkdtemp(prefix="blog-bench-features-")
    try:
        sites = {}
        sites["related posts off"] = os.path.join(tmp, "no-related")
        with_config(args.site, sites["related posts off"], "\n[related]\nenabled = false\n")
        sites["defaults (related posts on)"] = args.site
        full = os.path.join(tmp, "full")
        posts = images.with_photos(args.site, full, blog)
        with open(os.path.join(full, "config.toml"), "a") as f:
            f.write("\n[search]\nenabled = true\n")
        sites[f"search, {posts} photos, related posts"] = full
        results = {}
        for run in range(args.runs):
            for label, root in sites.items():
                cache = tempfile.mkdtemp(dir=tmp)
                out = os.path.join(tmp, f"out-{run}")
                cmd = [blog, "build", "--quiet", "--root", root, "--output", out]
                env = {"BLOG_CACHE_DIR": cache}
                results.setdefault((label, "cold"), []).append(images.timed(cmd, tmp, env))
                images.timed(cmd, tmp, env)
                results.setdefault((label, "warm"), []).append(images.timed(cmd, tmp, env))
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(cache, ignore_errors=True)
        print(f"median of {args.runs} runs each, load average {os.getloadavg()[0]:.1f} at the end:")
        images.print_medians(results)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
