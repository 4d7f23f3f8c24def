#!/usr/bin/env python3
"""Cold builds of two or more `blog` binaries, interleaved, each on a new
ext4 filesystem (bench/run.py's FreshDisk), for comparing a change with
what came before on a machine whose speed drifts from minute to minute.

    python3 bench/cold_ab.py --posts 1000 --rounds 8 OLD_BLOG NEW_BLOG

Each round builds the generated site once with each binary, in turn;
the medians and means of wall, user and system time are printed per
binary. Needs root (a loop mount), as `--cold-disk fresh` does."""

import argparse
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("BLOG_BIN", "unused")
import run  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binaries", nargs="+")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    args.binaries = [os.path.abspath(b) for b in args.binaries]
    if len(args.binaries) < 2:
        sys.exit("give two binaries or more to compare")
    why = run.FreshDisk.available()
    if why:
        sys.exit(f"cannot make a fresh disk: {why}")
    site = run.generate(args.posts, "blog")
    disk = run.FreshDisk(args.posts)
    results = {b: [] for b in args.binaries}
    for round_ in range(args.rounds):
        for binary in args.binaries:
            mount = disk.make()
            try:
                out = subprocess.run(
                    ["/usr/bin/time", "-f", "%e %U %S", binary, "build", "--quiet", "--output",
                     os.path.join(mount, "out")],
                    cwd=site, capture_output=True, text=True,
                    env=dict(os.environ, BLOG_CACHE_DIR=os.path.join(mount, "cache")))
            finally:
                disk.remove()
            if out.returncode != 0:
                sys.exit(f"{binary} failed:\n{out.stderr}")
            wall, user, system = (float(x) for x in out.stderr.strip().splitlines()[-1].split())
            results[binary].append((wall, user, system))
        print(f"round {round_ + 1} of {args.rounds}", file=sys.stderr, flush=True)
    for binary, runs in results.items():
        med = lambda i: statistics.median(r[i] for r in runs)  # noqa: E731
        cpu = [r[1] + r[2] for r in runs]
        print(f"{binary}: {len(runs)} runs, wall median {med(0):.3f} s (mean "
              f"{statistics.mean(r[0] for r in runs):.3f}), user {med(1):.3f} s, system {med(2):.3f} s, "
              f"cpu median {statistics.median(cpu):.3f} s (mean {statistics.mean(cpu):.3f})")


if __name__ == "__main__":
    main()
