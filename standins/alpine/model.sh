#!/usr/bin/env bash
# The model of Alpine, for a machine without ../shared/upstream (prepare.sh says so):
# makes rootfs-amd64.tar.gz, rootfs-arm64.tar.gz and rootfs-armv7.tar.gz in the build
# context: Debian 13's busybox for each architecture at /bin/busybox (the
# dynamic build: busybox-static runs every applet from sh even without a link,
# "standalone shell"), the few glibc libraries it needs, a symlink per applet
# that Alpine's busybox also has (the list comes from the amd64 binary, which can run
# here), Alpine-like /etc files and directories.
# Usage: model.sh CONTEXT_DIR   (env: ALPINE_VERSION, BCT_LIB)
set -euo pipefail
ctx="$1"
: "${ALPINE_VERSION:?}" "${BCT_LIB:?}"
. "$BCT_LIB"
here="$(cd "$(dirname "$0")" && pwd)"

debs="$BCT_CACHE_DIR/debs/busybox-dynamic"
for a in amd64 arm64 armhf; do
  if ! ls "$debs"/busybox_*_"$a".deb "$debs"/libc6_*_"$a".deb >/dev/null 2>&1; then
    bct_trixie_download multiarch "$debs" busybox:amd64 busybox:arm64 busybox:armhf \
      libc6:amd64 libc6:arm64 libc6:armhf
    break
  fi
done
declare -A TRIPLET=([amd64]=x86_64-linux-gnu [arm64]=aarch64-linux-gnu [armhf]=arm-linux-gnueabihf)
declare -A LOADER=([amd64]=/lib64/ld-linux-x86-64.so.2 [arm64]=/lib/ld-linux-aarch64.so.1 [armhf]=/lib/ld-linux-armhf.so.3)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Applet list (with the paths busybox reports) from the amd64 binary, keeping
# only the applets Alpine's own busybox has (the `applets` file): Debian's
# build also carries httpd, telnet, dpkg, rpm and others that Alpine lacks.
dpkg-deb -x "$(bct_deb_file "$debs" busybox amd64)" "$work/bb-amd64"
dpkg-deb -x "$(bct_deb_file "$debs" libc6 amd64)" "$work/libc-amd64"
grep -v '^#' "$here/applets" | tr ' ' '\n' | sed '/^$/d' | sort -u >"$work/alpine-applets"
libdir="$work/libc-amd64/usr/lib/${TRIPLET[amd64]}"
"$libdir/ld-linux-x86-64.so.2" --library-path "$libdir" "$work/bb-amd64/usr/bin/busybox" --list-full |
  awk 'NR == FNR { keep[$1] = 1; next } { n = $0; sub(/.*\//, "", n); if (n in keep) print }' \
    "$work/alpine-applets" - | sort >"$work/applets"

major_minor="${ALPINE_VERSION%.*}"
for pair in amd64:amd64 arm64:arm64 armv7:armhf; do
  plat="${pair%%:*}" debarch="${pair##*:}"
  r="$work/root-$plat"
  mkdir -p "$r"
  [ -d "$work/bb-$debarch" ] || dpkg-deb -x "$(bct_deb_file "$debs" busybox "$debarch")" "$work/bb-$debarch"
  [ -d "$work/libc-$debarch" ] || dpkg-deb -x "$(bct_deb_file "$debs" libc6 "$debarch")" "$work/libc-$debarch"
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
  # What busybox links against (ldd: libc, libresolv; the loader), where
  # glibc looks for it without a cache.
  t="${TRIPLET[$debarch]}" loader="${LOADER[$debarch]}"
  mkdir -p "$r/usr/lib/$t" "$r$(dirname "$loader")"
  for so in libc.so.6 libm.so.6 libresolv.so.2 "$(basename "$loader")"; do
    install -m 0755 "$work/libc-$debarch/usr/lib/$t/$so" "$r/usr/lib/$t/$so"
  done
  ln -s "/usr/lib/$t/$(basename "$loader")" "$r$loader"
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
PRETTY_NAME="Alpine Linux v$major_minor (BCT stand-in: Debian busybox, no apk)"
VARIANT="Basic Containers Training stand-in for tests"
VARIANT_ID=bct-standin
OSR
  tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$r" -c . | gzip -1 >"$ctx/rootfs-$plat.tar.gz"
done
