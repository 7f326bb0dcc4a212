#!/usr/bin/env bash
# Post-build smoke check (run by .ci/build-standins.sh): REF PLATFORMS
set -euo pipefail
ref="$1"
declare -A want=([linux/amd64]=x86_64 [linux/arm64]=aarch64 [linux/arm/v7]=armv7l)
for p in ${2//,/ }; do
  got="$(docker run --rm --platform "$p" "$ref" sh -c 'uname -m; id -u guest; date +%Y >/dev/null; env | grep -q ^PATH= && echo env-ok; wget --help 2>&1 | grep -q Usage && echo wget-ok')"
  [ "$got" = "$(printf '%s\n405\nenv-ok\nwget-ok' "${want[$p]}")" ] || { echo "$ref $p: unexpected: $got" >&2; exit 1; }
done
