#!/usr/bin/env bash
# Post-build smoke check (run by .ci/build-standins.sh): REF PLATFORMS
set -euo pipefail
for p in ${2//,/ }; do
  got="$(docker run --rm --platform "$p" --env FOO=bar "$1" -c 'echo "${BASH_VERSION%%.*} $FOO"')"
  [ "$got" = "5 bar" ] || { echo "$1 $p: unexpected: $got" >&2; exit 1; }
done
[ "$(docker run --rm "$1" env | grep -c '^PATH=')" = 1 ]
