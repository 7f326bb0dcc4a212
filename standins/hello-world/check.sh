#!/usr/bin/env bash
# Post-build smoke check (run by .ci/build-standins.sh): REF PLATFORMS
set -euo pipefail
[ "$(docker run --rm "$1" | head -n1)" = "Hello from Docker!" ]
