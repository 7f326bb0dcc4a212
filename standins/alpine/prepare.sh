#!/usr/bin/env bash
# Makes rootfs-amd64.tar, rootfs-arm64.tar and rootfs-armv7.tar in the build
# context: Debian 13's busybox-static for each architecture at /bin/busybox,
# a symlink per applet (the list comes from the amd64 binary, which can run
# here), Alpine-like /etc files and directories.
# Usage: prepare.sh CONTEXT_DIR   (env: ALPINE_VERSION, BCT_LIB)
set -euo pipefail
ctx="$1"
: "${ALPINE_VERSION:?}" "${BCT_LIB:?}"
. "$BCT_LIB"
here="$(cd "$(dirname "$0")" && pwd)"

debs="$BCT_CACHE_DIR/debs/busybox"
if ! ls "$debs"/busybox-static_*_amd64.deb "$debs"/busybox-static_*_arm64.deb \
    "$debs"/busybox-static_*_armhf.deb >/dev/null 2>&1; then
  bct_trixie_download multiarch "$debs" busybox-static:amd64 busybox-static:arm64 busybox-static:armhf
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Applet list (with Alpine-like paths) from the amd64 binary. Debian's busybox
# also carries dpkg/rpm applets; an Alpine image has none, so leave them out.
dpkg-deb -x "$(bct_deb_file "$debs" busybox-static amd64)" "$work/bb-amd64"
"$work/bb-amd64/usr/bin/busybox" --list-full |
  grep -v -E '(^|/)(linuxrc|dpkg|dpkg-deb|rpm|rpm2cpio)$' | sort >"$work/applets"

major_minor="${ALPINE_VERSION%.*}"
for pair in amd64:amd64 arm64:arm64 armv7:armhf; do
  plat="${pair%%:*}" debarch="${pair##*:}"
  r="$work/root-$plat"
  mkdir -p "$r"
  [ -d "$work/bb-$debarch" ] || dpkg-deb -x "$(bct_deb_file "$debs" busybox-static "$debarch")" "$work/bb-$debarch"
  for d in bin sbin etc home lib media mnt opt proc root run srv sys tmp usr/bin usr/sbin \
      usr/lib usr/local/bin usr/local/sbin usr/local/lib usr/local/share usr/share \
      var/cache var/empty var/lib var/local var/log var/mail var/opt var/spool var/tmp dev; do
    mkdir -p "$r/$d"
  done
  ln -s /run "$r/var/run"
  ln -s /run/lock "$r/var/lock"
  chmod 1777 "$r/tmp" "$r/var/tmp"
  chmod 0700 "$r/root"
  install -m 0755 "$work/bb-$debarch/usr/bin/busybox" "$r/bin/busybox"
  while read -r path; do
    [ -e "$r/$path" ] || [ -L "$r/$path" ] || ln -s /bin/busybox "$r/$path"
  done <"$work/applets"
  cp -a "$here/rootfs/." "$r/"
  chmod 0644 "$r"/etc/passwd "$r"/etc/group "$r"/etc/shells "$r"/etc/profile
  echo "$ALPINE_VERSION" >"$r/etc/alpine-release"
  cat >"$r/etc/os-release" <<OSR
NAME="Alpine Linux"
ID=alpine
VERSION_ID=$ALPINE_VERSION
PRETTY_NAME="Alpine Linux v$major_minor (BCT stand-in: Debian busybox-static, no apk)"
VARIANT="Basic Containers Training stand-in for tests"
VARIANT_ID=bct-standin
OSR
  tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$r" -cf "$ctx/rootfs-$plat.tar" .
done
