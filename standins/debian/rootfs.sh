#!/usr/bin/env bash
# Stand-in rootfs for debian:<suite>-slim: debootstrap --variant=minbase from the
# machine's own Debian mirror, then the "slim" tweaks of the official images
# (no docs/man/locales on later installs, apt cleans its caches).
# Usage: rootfs.sh OUT.tar   (env: SUITE, MIRROR; run as root)
set -euo pipefail
out="$1"
: "${SUITE:?}" "${MIRROR:?}"
here="$(cd "$(dirname "$0")" && pwd)"
dir="$(mktemp -d "${out%.tar}.rootfs.XXXXXX")"
cleanup() {
  for m in proc sys dev/pts dev; do umount -l "$dir/$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$dir"
}
trap cleanup EXIT

debootstrap --variant=minbase --arch=amd64 "$SUITE" "$dir" "$MIRROR" >"${out%.tar}.debootstrap.log" 2>&1 ||
  { tail -n 30 "${out%.tar}.debootstrap.log" >&2; exit 1; }

# Slim tweaks, as in the official debian:*-slim images.
install -m 0644 "$here/slim/dpkg-docker" "$dir/etc/dpkg/dpkg.cfg.d/docker"
install -m 0644 "$here/slim/apt-docker-clean" "$dir/etc/apt/apt.conf.d/docker-clean"
install -m 0644 "$here/slim/apt-docker-no-languages" "$dir/etc/apt/apt.conf.d/docker-no-languages"
install -m 0644 "$here/slim/apt-docker-autoremove-suggests" "$dir/etc/apt/apt.conf.d/docker-autoremove-suggests"
# Drop what the excludes would have kept out, and the caches.
find "$dir/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$dir/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/locale/* \
  "$dir"/usr/share/groff/* "$dir"/usr/share/lintian/overrides/* \
  "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb \
  "$dir"/var/log/* "$dir"/debootstrap
mkdir -p "$dir/var/lib/apt/lists/partial"
# The engine provides these at run time; do not ship the build host's.
: >"$dir/etc/resolv.conf"
: >"$dir/etc/hostname"
[ -e "$dir/etc/machine-id" ] && : >"$dir/etc/machine-id"

tar --numeric-owner --xattrs -C "$dir" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
  -cf "$out.partial" .
mv "$out.partial" "$out"
