#!/bin/sh
# Installs what abmtier needs from Debian's packages (run as root).
#   scripts/install-deps.sh          build dependencies
#   scripts/install-deps.sh --test   plus what the test suite uses
# Packages that are already installed are not fetched again.
set -eu

packages="libcli11-dev libfccp-dev nlohmann-json3-dev libspdlog-dev libfmt-dev"
if [ "${1:-}" = "--test" ]; then
  packages="$packages catch2 python3 chromium nodejs"
fi

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done

if [ -n "$missing" ]; then
  echo "abmtier: installing:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
