#!/usr/bin/env bash
# Installs what the benchmarks need when it is missing, so `make bench` on a
# clean machine measures blog and Hugo side by side with no step by hand:
# Debian's hugo, /usr/bin/time and python3. Run by `make bench`.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/apt.sh
need hugo hugo
need python3 python3
[ -x /usr/bin/time ] || missing+=(time)
install_missing bench-deps
