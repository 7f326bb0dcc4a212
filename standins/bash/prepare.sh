#!/usr/bin/env bash
# Puts Debian testing (forky) bash-static (5.3) for amd64, arm64 and armhf into the build
# context as bash-amd64, bash-arm64 and bash-armv7.
# Usage: prepare.sh CONTEXT_DIR   (env: BCT_LIB)
set -euo pipefail
ctx="$1"
: "${BCT_LIB:?}"
. "$BCT_LIB"
debs="$BCT_CACHE_DIR/debs/bash-static-forky"
if ! ls "$debs"/bash-static_*_amd64.deb "$debs"/bash-static_*_arm64.deb \
    "$debs"/bash-static_*_armhf.deb >/dev/null 2>&1; then
  bct_suite_download forky multiarch "$debs" bash-static:amd64 bash-static:arm64 bash-static:armhf
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for pair in amd64:amd64 arm64:arm64 armv7:armhf; do
  plat="${pair%%:*}" debarch="${pair##*:}"
  dpkg-deb -x "$(bct_deb_file "$debs" bash-static "$debarch")" "$work/$debarch"
  bin=""
  for c in usr/bin/bash-static bin/bash-static; do
    [ -f "$work/$debarch/$c" ] && { bin="$work/$debarch/$c"; break; }
  done
  [ -n "$bin" ] && [ "$(head -c 4 "$bin" | od -An -c | tr -d ' ')" = '177ELF' ] ||
    { echo "no bash-static ELF binary in the $debarch .deb" >&2; exit 1; }
  install -m 0755 "$bin" "$ctx/bash-$plat"
done
# Upstream records the bash version in the environment; take it from the
# amd64 binary (the one that runs here) and write it into the Dockerfile.
version="$("$ctx/bash-amd64" -c 'echo "${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}.${BASH_VERSINFO[2]}"')"
sed -i "s/@BASH_VERSION@/$version/; s/@BASH_BASELINE@/${version%.*}/; s/@BASH_LATEST_PATCH@/${version##*.}/" "$ctx/Dockerfile"
