# Sourced by the scripts that install what a make target needs: `need CMD
# PACKAGE` notes a Debian package to install when CMD is missing, and
# `install_missing WHO` installs them all at once (as root), or says how.
missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }

install_missing() {
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "$1: installing ${missing[*]} from Debian" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "$1: installing needs root: run 'sudo apt-get install ${missing[*]}'" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
}
