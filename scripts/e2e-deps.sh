#!/usr/bin/env bash
# Installs what the end-to-end tests need when it is missing: Debian's
# chromium, and playwright-core from package-lock.json. Run by `make e2e`, so a
# clean machine (CI) gets them without any step by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e: installing ${missing[*]} from Debian" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "e2e: installing needs root: run 'sudo apt-get install ${missing[*]}'" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules/playwright-core ]; then
  echo "e2e: installing playwright-core" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
