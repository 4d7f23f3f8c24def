#!/usr/bin/env bash
# Builds the `blog` binary (pass --release for the optimised one) and prints
# the path cargo wrote it to, wherever CARGO_TARGET_DIR, CARGO_BUILD_TARGET
# or a .cargo/config.toml put it. The Makefile, the browser tests and the
# benchmarks all find the binary through this, never by a fixed path.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(${CARGO:-cargo} build --locked --bin blog --message-format=json-render-diagnostics "$@" \
  | python3 -c '
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message.get("executable") \
            and message["target"]["name"] == "blog":
        print(message["executable"])
')
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "blog-bin: cargo built no blog binary" >&2
  exit 1
fi
echo "$bin"
