#!/usr/bin/env bash
# Install (if missing) and start (if not answering) a real Docker Engine on a
# Debian 12 machine with no Docker Hub: docker.io, containerd, docker-cli,
# docker-buildx and docker-compose (the Compose v2 plugin) come from Debian testing (forky) through a private apt state; runc,
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
BOOKWORM_PKGS=(adduser runc iptables qemu-user-static binfmt-support busybox-static
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

# --- 2. Docker Engine from Debian testing (forky) -----------------------------
# What attendees run today: Docker Engine 28 or 29, containerd 2, buildx 0.29. The packages need only
# libc6 >= 2.34, so they install with dpkg -i; apt resolves nothing for the host against testing.
ENGINE_SUITE=forky
WANT_DOCKERD_MAJOR=28
WANT_BUILDX_MINOR=29
WANT_COMPOSE_MINOR=40 # Compose 2.40
t="$(bct_now)"
dockerd_version() { dockerd --version 2>/dev/null | awk '{print $3}' | tr -d ,; }
buildx_version() { /usr/libexec/docker/cli-plugins/docker-buildx version 2>/dev/null | awk '{print $2}' | tr -d v; }
compose_version() { /usr/libexec/docker/cli-plugins/docker-compose version --short 2>/dev/null | tr -d v; }
engine_versions() {
  printf 'dockerd %s, containerd %s, buildx %s, compose %s' "$(dockerd_version)" \
    "$(containerd --version 2>/dev/null | awk '{print $3}' | tr -d v)" "$(buildx_version)" "$(compose_version)"
}
engine_current() {
  command -v dockerd >/dev/null && command -v containerd >/dev/null && [ -x /usr/bin/docker ] || return 1
  local p
  for p in docker.io containerd docker-cli docker-buildx docker-compose; do # a half-configured dpkg -i is not current
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
  done
  local d b c
  d="$(dockerd_version)" b="$(buildx_version)" c="$(compose_version)"
  [ "${d%%.*}" -ge "$WANT_DOCKERD_MAJOR" ] 2>/dev/null || return 1
  b="${b#*.}"
  [ "${b%%.*}" -ge "$WANT_BUILDX_MINOR" ] 2>/dev/null || return 1
  [ "${c%%.*}" = 2 ] && c="${c#*.}" && [ "${c%%.*}" -ge "$WANT_COMPOSE_MINOR" ] 2>/dev/null
}
if engine_current; then
  bct_step "$t" "engine packages: already installed ($(engine_versions))"
else
  debs="$BCT_CACHE_DIR/debs/engine-$ENGINE_SUITE"
  rm -f "$debs"/*.deb
  bct_suite_download "$ENGINE_SUITE" "$debs" docker.io containerd docker-cli docker-buildx docker-compose tini-static
  # An older engine of ours that is running is stopped for the upgrade and started again below.
  if pid="$(cat /var/run/docker.pid 2>/dev/null)" && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    pkill -x containerd 2>/dev/null || true
  fi
  # testing's tini-static (docker-init) breaks Debian 12's tini, and testing's tini needs a newer libc:
  # nothing else uses tini, so Debian 12's goes.
  if dpkg-query -W -f='${Status}' tini 2>/dev/null | grep -q 'ok'; then
    dpkg -r tini >>/var/log/bct-dpkg-engine.log 2>&1 || bct_die "dpkg -r tini failed (it blocks tini-static)"
  fi
  # policy-rc.d (if any) keeps the packaged service from starting: fine, we
  # start dockerd ourselves below.
  dpkg -i "$debs"/*.deb >/var/log/bct-dpkg-engine.log 2>&1 ||
    { tail -n 30 /var/log/bct-dpkg-engine.log >&2; bct_die "dpkg -i of the engine packages failed"; }
  engine_current || bct_die "engine packages from $ENGINE_SUITE installed but not current: $(engine_versions)"
  bct_step "$t" "engine packages: installed from $ENGINE_SUITE ($(engine_versions))"
fi

# The docker CLI the tests and the kit use: Debian's, with its buildx plugin. A machine may have an
# older client earlier on PATH (/usr/local/bin/docker); .ci/run puts $BCT_BIN_DIR first.
mkdir -p "$BCT_BIN_DIR"
ln -sf /usr/bin/docker "$BCT_BIN_DIR/docker"

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
