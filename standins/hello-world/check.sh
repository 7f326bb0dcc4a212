#!/usr/bin/env bash
# Post-build smoke check (run by .ci/build-standins.sh): REF PLATFORMS
set -euo pipefail
for p in ${2//,/ }; do
  [ "$(docker run --rm --platform "$p" "$1" | sed -n 2p)" = "Hello from Docker!" ] ||
    { echo "$1 $p: no 'Hello from Docker!' on line 2" >&2; exit 1; }
done
