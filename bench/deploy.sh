#!/usr/bin/env bash
# `blog deploy` of a generated site to an S3-compatible server on loopback
# (s3s-fs, from scripts/test-deps.sh), first and no-op, next to `aws s3 sync`
# of the same public/ to the same server: wall time and requests. Prints a
# Markdown table for BENCHMARKS.md. POSTS (1000) sets the site's size.
set -euo pipefail
cd "$(dirname "$0")/.."
blog=${BLOG_BIN:-target/release/blog}
s3s=${S3S_FS:-.tools/s3s-fs/bin/s3s-fs}
posts=${POSTS:-1000}
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

python3 ../shared/bench/gen_corpus.py --posts "$posts" --out "$work/site" --flavor blog >/dev/null
mkdir -p "$work/s3/blog" "$work/s3/sync" "$work/s3/count"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$s3s" --host 127.0.0.1 --port "$port" --access-key bench --secret-key bench-secret "$work/s3" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1 \
  AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_PAGER= \
  BLOG_CACHE_DIR="$work/cache"
unset AWS_PROFILE AWS_SESSION_TOKEN

seconds() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f} s')" "$1" "$2"; }
# blog deploy: built first (as it always is), then timed; it counts its requests.
"$blog" build --root "$work/site" --quiet
run_blog() {
  local t0 t1
  t0=$(date +%s.%N)
  "$blog" deploy s3://blog --root "$work/site" --verbose >"$work/out"
  t1=$(date +%s.%N)
  echo "| blog deploy | $1 | $(grep -c '^uploaded ' "$work/out") | $(seconds "$t0" "$t1") | $(tail -1 "$work/out" | cut -d' ' -f1) |"
}
# aws s3 sync: timed without --debug; requests counted in a second run
# (into its own bucket for the first sync) with --debug.
run_sync() {
  local t0 t1 sent
  t0=$(date +%s.%N)
  aws --endpoint-url "$AWS_ENDPOINT_URL" s3 sync --only-show-errors "$work/site/public" s3://sync
  t1=$(date +%s.%N)
  sent=$(aws --endpoint-url "$AWS_ENDPOINT_URL" s3 sync --debug "$work/site/public" s3://count 2>&1 | grep -c 'Sending http request' || true)
  echo "| aws s3 sync | $1 | - | $(seconds "$t0" "$t1") | $sent |"
}
files=$(find "$work/site/public" -type f ! -name .blog-output | wc -l)
echo "$posts posts: $files files, $(du -sh "$work/site/public" | cut -f1)"
echo
echo "| tool | run | files uploaded | wall | requests |"
echo "|------|-----|---------------:|-----:|---------:|"
run_blog first
run_blog no-op
run_sync first
run_sync no-op
echo
echo "$("$blog" --version), $(aws --version 2>&1 | cut -d' ' -f1), s3s-fs $("$s3s" --version | cut -d' ' -f2), $(nproc) cores"
