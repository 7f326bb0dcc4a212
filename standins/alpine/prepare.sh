#!/usr/bin/env bash
# Puts rootfs-amd64.tar.gz, rootfs-arm64.tar.gz and rootfs-armv7.tar.gz in the build context: Alpine's
# own minirootfs tarballs from $UPSTREAM_DIR (the files alpinelinux/docker-alpine builds the image
# from, checked against Alpine's checksums.sha512), or, where they are absent, the Debian-busybox
# model (model.sh).
# Usage: prepare.sh CONTEXT_DIR   (env: UPSTREAM_DIR, ALPINE_VERSION, BCT_LIB)
set -euo pipefail
ctx="$1"
here="$(cd "$(dirname "$0")" && pwd)"
if [ -z "${UPSTREAM_DIR:-}" ]; then
  exec bash "$here/model.sh" "$ctx"
fi
for pair in amd64:x86_64 arm64:aarch64 armv7:armv7; do
  src=("$UPSTREAM_DIR"/alpine-minirootfs-*-"${pair#*:}".tar.gz)
  [ -f "${src[0]}" ] || { echo "no minirootfs for ${pair#*:} in $UPSTREAM_DIR" >&2; exit 1; }
  # Alpine's list names each tarball under its architecture's folder.
  want="$(awk -v f="${pair#*:}/$(basename "${src[0]}")" '$2 == f { print $1 }' "$UPSTREAM_DIR/checksums.sha512")"
  [ -n "$want" ] && [ "$(sha512sum <"${src[0]}" | awk '{print $1}')" = "$want" ] ||
    { echo "${src[0]} does not match Alpine's checksums.sha512" >&2; exit 1; }
  cp "${src[0]}" "$ctx/rootfs-${pair%%:*}.tar.gz"
done
# The model's inputs are not part of this image.
rm -rf "$ctx/model.sh" "$ctx/applets" "$ctx/rootfs"
