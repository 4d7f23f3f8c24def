#!/usr/bin/env python3
"""How quickly `blog serve` shows a save, on a generated 10,000-post site.

    bench/serve_latency.py [--posts 10000] [--edits 20] [--site DIR] [--no-record]

Starts the release binary's `blog serve` on a loopback port, then times, from
the moment a file is written to the moment the served page contains the
change: body edits of different posts (the common save), summary and title
edits (which change what lists show), saves by rename (as vim and JetBrains
IDEs do), new posts, and a template edit (every page changes). Also records
the server's memory at rest. Every edited file is restored. Results
go to BENCHMARKS.md between the serve markers, unless --no-record. --site
times another copy of the site (one with `[search] enabled = true`, say).
"""
import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The release binary, wherever cargo put it (`make bench` sets BLOG_BIN).
BLOG = os.environ.get("BLOG_BIN") or subprocess.run(
    [os.path.join(ROOT, "scripts", "blog-bin.sh"), "--release"],
    check=True, capture_output=True, text=True).stdout.strip()
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")


def fetch(url, etag=None):
    """The page's text and ETag; (None, etag) while it is unchanged."""
    request = urllib.request.Request(url, headers={"If-None-Match": etag} if etag else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.read().decode(), r.headers.get("ETag")
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return None, etag
        if e.code == 404:  # a new post, not built yet
            return "", None
        raise


def wait_for(url, marker, started, limit=60.0):
    """Polls url until it contains marker, asking with the last ETag so that
    an unchanged page (the archive lists every post) is not sent again: a
    client reading it whole every few milliseconds would take a core from
    the server being timed."""
    etag = None
    while True:
        text, etag = fetch(url, etag)
        if text is not None and marker in text:
            return (time.perf_counter() - started) * 1000
        if time.perf_counter() - started > limit:
            sys.exit(f"{marker} never appeared on {url}")
        time.sleep(0.002)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--site", help="the site to serve (default: bench-sites/blog-POSTS)")
    ap.add_argument("--no-record", action="store_true", help="print the table only")
    args = ap.parse_args()
    site = args.site or os.path.join(ROOT, "bench-sites", f"blog-{args.posts}")
    if not os.path.isdir(site):
        subprocess.run([sys.executable, GEN, "--posts", str(args.posts), "--out", site, "--flavor", "blog"], check=True)
    posts_dir = os.path.join(site, "content", "posts")
    names = sorted(n for n in os.listdir(posts_dir) if n.endswith(".md"))
    server = subprocess.Popen([BLOG, "serve", "--port", "0", "--quiet"], cwd=site, stdout=subprocess.PIPE, text=True)
    originals = {}
    try:
        line = server.stdout.readline()
        m = re.search(r"Serving (http://127\.0\.0\.1:\d+)/", line)
        if not m:
            sys.exit(f"unexpected first line: {line!r}")
        base = m.group(1)
        time.sleep(1)
        at_rest = rss_mib(server.pid)

        def edit(name, change, marker, by_rename=False, archive=None):
            path = os.path.join(posts_dir, name)
            text = originals.setdefault(path, open(path, encoding="utf-8").read())
            slug = name[:-3]
            started = time.perf_counter()
            # Editors like vim and JetBrains IDEs write a temporary file and
            # rename it over the post.
            target = path + ".tmp~" if by_rename else path
            with open(target, "w", encoding="utf-8") as f:
                f.write(change(text, marker))
            if by_rename:
                os.replace(target, path)
            ms = wait_for(f"{base}/posts/{slug}/", marker, started)
            if archive is not None:
                # A new title shows on its post first; the archive follows.
                archive.append(wait_for(f"{base}/archive/", marker, started))
            time.sleep(0.15)  # let the watcher settle before the next save
            return ms

        step = max(1, len(names) // args.edits)
        published = [n for n in names if "draft: true" not in open(os.path.join(posts_dir, n), encoding="utf-8").read()]
        body = [edit(n, lambda t, mk: t.rstrip("\n") + f"\n\n{mk} added at the end.\n", f"BODYEDIT{i}")
                for i, n in enumerate(published[::step][: args.edits])]
        print("body edits (ms):", " ".join(f"{x:.0f}" for x in body), flush=True)
        summary = [edit(n, lambda t, mk: t.replace("\n---\n", f"\n---\n{mk} ", 1), f"SUMMARYEDIT{i}")
                   for i, n in enumerate(published[1::step][:5])]
        archived = []
        retitled = [edit(n, lambda t, mk: re.sub(r"^title: \"?", lambda m: m.group(0) + mk + " ", t, count=1, flags=re.M), f"TITLEEDIT{i}",
                         archive=archived)
                    for i, n in enumerate(published[3::step][:5])]
        print("title edits (ms):", " ".join(f"{x:.0f}" for x in retitled),
              "archive:", " ".join(f"{x:.0f}" for x in archived), flush=True)
        renamed = [edit(n, lambda t, mk: t.rstrip("\n") + f"\n\n{mk} saved by rename.\n", f"RENAMEEDIT{i}", True)
                   for i, n in enumerate(published[2::step][:5])]
        created = []
        listed = []
        for i in range(3):
            path = os.path.join(posts_dir, f"bench-new-post-{i}.md")
            originals[path] = None
            started = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(f"---\ntitle: New post NEWTITLE{i}\ndate: 2020-01-01\n---\nNEWPOST{i} is here.\n")
            created.append(wait_for(f"{base}/posts/bench-new-post-{i}/", f"NEWPOST{i}", started))
            # The post shows first; the rebuild then lists it everywhere.
            listed.append(wait_for(f"{base}/archive/", f"NEWTITLE{i}", started))
            time.sleep(0.15)

        templates = os.path.join(site, "templates")
        os.makedirs(templates, exist_ok=True)
        page_html = open(os.path.join(ROOT, "themes", "default", "templates", "page.html"), encoding="utf-8").read()
        started = time.perf_counter()
        with open(os.path.join(templates, "page.html"), "w", encoding="utf-8") as f:
            f.write(page_html.replace("<article class=\"post\"", "<!-- TEMPLATEEDIT --><article class=\"post\"", 1))
        first = published[0][:-3]
        template_ms = wait_for(f"{base}/posts/{first}/", "TEMPLATEEDIT", started)
        for n in (published[len(published) // 2], published[-1]):
            assert "TEMPLATEEDIT" in fetch(f"{base}/posts/{n[:-3]}/")[0], n
        busy = rss_mib(server.pid)
    finally:
        for path, text in originals.items():
            if text is None:
                os.remove(path)
                continue
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        shutil.rmtree(os.path.join(site, "templates"), ignore_errors=True)
        server.terminate()
        server.wait(timeout=10)

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    fmt = lambda xs: f"median {statistics.median(xs):.0f} ms, worst {max(xs):.0f} ms"
    lines = [
        f"Measured {datetime.date.today()} at commit `{commit}` with `bench/serve_latency.py --posts {args.posts} --edits {args.edits}`"
        f" ({len(names):,} posts, release build, 2 cores): from writing the file to the served page containing the change.",
        "",
        "| save | edits | time to the served page |",
        "|------|------:|-------------------------|",
        f"| a post's body (past its summary) | {len(body)} | {fmt(body)} |",
        f"| a post's summary (lists change too) | {len(summary)} | {fmt(summary)} |",
        f"| a post's title (its neighbours, lists, archive change too) | {len(retitled)} | {fmt(retitled)} |",
        f"| the same title edits, until the archive (every post's entry) shows them | {len(archived)} | {fmt(archived)} |",
        f"| a post's body, saved by writing a temporary file and renaming it | {len(renamed)} | {fmt(renamed)} |",
        f"| a new post (shown at once, then a rebuild: every list changes) | {len(created)} | {fmt(created)} |",
        f"| the same new posts, until the rebuild lists them in the archive | {len(listed)} | {fmt(listed)} |",
        f"| templates/page.html (every post changes) | 1 | {template_ms:.0f} ms |",
        "",
        f"Server memory: {at_rest:.0f} MiB at rest after the first build, {busy:.0f} MiB after the edits.",
    ]
    table = "\n".join(lines)
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path, encoding="utf-8").read()
    # The 10,000-post figures have their place; other sizes each get theirs.
    name = "serve" if args.posts == 10000 else f"serve-{args.posts}"
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if args.no_record:
        print(table)
        return
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        open(path, "w", encoding="utf-8").write(f"{before}{start}\n{table}\n{end}{after}")
    else:
        section = f"\n### `blog serve` on {args.posts:,} posts\n\n{start}\n{table}\n{end}\n"
        open(path, "w", encoding="utf-8").write(text.rstrip("\n") + "\n" + section)
    print(table)


if __name__ == "__main__":
    main()
