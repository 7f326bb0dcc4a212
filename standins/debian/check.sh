#!/usr/bin/env bash
# Post-build smoke check (run by .ci/build-standins.sh): REF PLATFORMS
set -euo pipefail
out="$(docker run --rm "$1" bash -c '. /etc/os-release; echo "$VERSION_CODENAME"; grep -c "^deb " /etc/apt/sources.list')"
[ "$out" = "$(printf 'trixie\n1')" ] || { echo "unexpected: $out" >&2; exit 1; }
