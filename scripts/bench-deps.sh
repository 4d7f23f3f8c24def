#!/usr/bin/env bash
# Installs what the benchmarks need when it is missing, so `make bench` on a
# clean machine measures blog, Hugo and Zola side by side with no step by
# hand: Debian's hugo, /usr/bin/time and python3, what scripts/zola.sh needs,
# and Zola itself (scripts/zola.sh). Run by `make bench`.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/apt.sh
need hugo hugo
need python3 python3
[ -x /usr/bin/time ] || missing+=(time)
need curl curl
need gpgv gpgv
need xz xz-utils
need node nodejs
need npm npm
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
install_missing bench-deps
scripts/zola.sh >/dev/null
