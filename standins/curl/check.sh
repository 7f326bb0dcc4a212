#!/usr/bin/env bash
# Post-build smoke check (run by .ci/build-standins.sh): REF PLATFORMS
set -euo pipefail
docker run --rm "$1" --version | grep -q '^curl 8\.'
[ "$(docker run --rm "$1" id -u)" = 100 ]
