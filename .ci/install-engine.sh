#!/usr/bin/env bash
# Install (if missing) and start (if not answering) a real Docker Engine on a
# Debian 12 machine with no Docker Hub: docker.io, containerd, docker-cli and
# docker-buildx come from Debian 13 (trixie) through a private apt state; runc,
# tini, iptables, qemu-user-static, binfmt-support, debootstrap and friends come
# from the machine's own Debian 12 sources. Then register qemu through
# binfmt_misc so linux/arm64 and linux/arm/v7 containers run.
#
# Idempotent: every step checks first and prints one line, with its duration.
# Order for CI: install-engine.sh -> build-standins.sh -> start-registry.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

T0="$(bct_now)"
[ "$(id -u)" = 0 ] || bct_die "install-engine.sh must run as root"

# --- 1. Debian 12 packages --------------------------------------------------
BOOKWORM_PKGS=(adduser runc tini iptables qemu-user-static binfmt-support busybox-static
  debootstrap curl jq ca-certificates xz-utils)
t="$(bct_now)"
missing=()
for p in "${BOOKWORM_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  bct_step "$t" "packages: already installed (${BOOKWORM_PKGS[*]})"
else
  apt-get -q update >/var/log/bct-apt-update.log 2>&1 ||
    { tail -n 20 /var/log/bct-apt-update.log >&2; bct_die "apt-get update failed"; }
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/var/log/bct-apt-install.log 2>&1 ||
    { tail -n 30 /var/log/bct-apt-install.log >&2; bct_die "apt-get install ${missing[*]} failed"; }
  bct_step "$t" "packages: installed ${missing[*]}"
fi

# --- 2. Docker Engine from trixie -------------------------------------------
t="$(bct_now)"
engine_present() {
  command -v dockerd >/dev/null && command -v containerd >/dev/null &&
    command -v docker >/dev/null && docker buildx version >/dev/null 2>&1
}
if engine_present; then
  bct_step "$t" "engine packages: already installed (dockerd $(dockerd --version | awk '{print $3}' | tr -d ,), containerd $(containerd --version | awk '{print $3}'), buildx $(docker buildx version | awk '{print $2}'))"
else
  debs="$BCT_CACHE_DIR/debs/engine"
  rm -f "$debs"/*.deb
  bct_trixie_download "$debs" docker.io containerd docker-cli docker-buildx
  # policy-rc.d (if any) keeps the packaged service from starting: fine, we
  # start dockerd ourselves below.
  dpkg -i "$debs"/*.deb >/var/log/bct-dpkg-engine.log 2>&1 ||
    { tail -n 30 /var/log/bct-dpkg-engine.log >&2; bct_die "dpkg -i of the engine packages failed"; }
  engine_present || bct_die "engine packages installed but dockerd/containerd/docker buildx still missing"
  bct_step "$t" "engine packages: installed from trixie (dockerd $(dockerd --version | awk '{print $3}' | tr -d ,), containerd $(containerd --version | awk '{print $3}'), buildx $(docker buildx version | awk '{print $2}'))"
fi

# --- 3. daemon.json: containerd image store (multi-platform builds) ---------
t="$(bct_now)"
mkdir -p /etc/docker
cfg=/etc/docker/daemon.json
want_ok() { [ -s "$cfg" ] && jq -e '.features["containerd-snapshotter"] == true' "$cfg" >/dev/null 2>&1; }
config_changed=0
if want_ok; then
  bct_step "$t" "daemon.json: containerd-snapshotter already enabled"
else
  if [ -s "$cfg" ] && jq -e . "$cfg" >/dev/null 2>&1; then
    jq '.features["containerd-snapshotter"] = true' "$cfg" >"$cfg.tmp"
  else
    [ -s "$cfg" ] && cp "$cfg" "$cfg.bct-invalid.bak"
    echo '{"features":{"containerd-snapshotter":true}}' | jq . >"$cfg.tmp"
  fi
  mv "$cfg.tmp" "$cfg"
  config_changed=1
  bct_step "$t" "daemon.json: enabled containerd-snapshotter"
fi

# --- 4. dockerd ---------------------------------------------------------------
LOG=/var/log/dockerd.log
start_dockerd() {
  nohup dockerd >>"$LOG" 2>&1 </dev/null &
  local i
  for i in $(seq 1 120); do # up to 60 s
    bct_engine_up && return 0
    if ! kill -0 "$!" 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "----- last lines of $LOG -----" >&2
  tail -n 40 "$LOG" >&2
  bct_die "dockerd did not answer (docker version) within 60 s; see $LOG"
}
stop_dockerd() {
  local pid
  pid="$(cat /var/run/docker.pid 2>/dev/null || true)"
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || return 0
  local i
  for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  bct_die "dockerd (pid $pid) did not stop within 30 s"
}
t="$(bct_now)"
if bct_engine_up; then
  if [ "$config_changed" = 1 ]; then
    stop_dockerd
    start_dockerd
    bct_step "$t" "engine: restarted for the new daemon.json ($(docker version --format '{{.Server.Version}}'))"
  else
    bct_step "$t" "engine: already running ($(docker version --format '{{.Server.Version}}'))"
  fi
else
  # A dockerd that holds its pid file but does not answer is left alone: two
  # daemons would fight over /var/lib/docker.
  if pid="$(cat /var/run/docker.pid 2>/dev/null)" && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "----- last lines of $LOG -----" >&2; tail -n 40 "$LOG" >&2 || true
    bct_die "dockerd (pid $pid) is running but does not answer; not starting a second one"
  fi
  start_dockerd
  bct_step "$t" "engine: started dockerd ($(docker version --format '{{.Server.Version}}'), log $LOG)"
fi
t="$(bct_now)"
if docker info --format '{{json .DriverStatus}}' | grep -q 'io.containerd.snapshotter'; then
  bct_step "$t" "engine: containerd image store active"
else
  bct_die "dockerd runs without the containerd image store (multi-platform builds need it); restart it with $cfg in place"
fi

# --- 5. qemu through binfmt_misc ---------------------------------------------
t="$(bct_now)"
BINFMT=/proc/sys/fs/binfmt_misc
binfmt_ok() {
  local e
  for e in qemu-aarch64 qemu-arm; do
    [ -r "$BINFMT/$e" ] && [ "$(head -n1 "$BINFMT/$e")" = enabled ] || return 1
  done
}
if binfmt_ok; then
  bct_step "$t" "binfmt: qemu-aarch64 and qemu-arm already enabled"
else
  [ -e "$BINFMT/register" ] || mount -t binfmt_misc binfmt_misc "$BINFMT" ||
    bct_die "cannot mount binfmt_misc on $BINFMT"
  update-binfmts --enable >/var/log/bct-binfmt.log 2>&1 || true
  binfmt_ok || { cat /var/log/bct-binfmt.log >&2; bct_die "qemu-aarch64/qemu-arm binfmt entries are not enabled after update-binfmts --enable"; }
  bct_step "$t" "binfmt: registered qemu-aarch64, qemu-arm (update-binfmts --enable)"
fi

bct_step "$T0" "install-engine: done"
