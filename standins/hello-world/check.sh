#!/usr/bin/env bash
# Post-build smoke check (run by .ci/build-standins.sh): REF PLATFORMS
set -euo pipefail
[ "$(docker run --rm "$1" | sed -n 2p)" = "Hello from Docker!" ]
