#!/usr/bin/env bash
# Installs what the benchmarks need when it is missing, so `make bench` on a
# clean machine measures blog and Hugo side by side with no step by hand:
# Debian's hugo, /usr/bin/time and python3. Run by `make bench`.
set -euo pipefail

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need hugo hugo
need python3 python3
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench-deps: installing ${missing[*]} from Debian" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench-deps: installing needs root: run 'sudo apt-get install ${missing[*]}'" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
