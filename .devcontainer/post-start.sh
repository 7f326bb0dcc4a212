#!/usr/bin/env bash
# Runs at every start of the workspace, and may run any number of times: each step first
# looks whether its work is already done and then leaves things alone.
#   1. qemu's binfmt entries for arm64 and arm/v7 (they live in the kernel, so not in the image)
#   2. a registry on localhost:5000 (left alone when something already answers there);
#      BCT_REGISTRY_ADDR and BCT_REGISTRY_NAME move it (address and container name)
#   3. a buildx builder for linux/amd64, linux/arm64 and linux/arm/v7 as the current builder
#   4. the course images, pre-pulled (skipped with a message when Docker Hub is not reachable)
# Exits 1 when one of 1-3 could not be done; the messages say how to fix it.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BINFMT=/proc/sys/fs/binfmt_misc
REGISTRY_ADDR="${BCT_REGISTRY_ADDR:-127.0.0.1:5000}"
REGISTRY_NAME="${BCT_REGISTRY_NAME:-registry}"
REGISTRY_IMAGE=registry:3
BUILDER=bct-multiarch
PLATFORMS=(linux/amd64 linux/arm64 linux/arm/v7)
failed=0

say() { printf '[post-start] %s\n' "$*"; }
problem() { printf '[post-start] PROBLEM: %s\n' "$*" >&2; failed=1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

# --- 0. the engine ----------------------------------------------------------------
# docker-in-docker starts dockerd from its entrypoint; give it a moment.
for _ in $(seq 1 30); do docker info >/dev/null 2>&1 && break; sleep 1; done
if ! docker info >/dev/null 2>&1; then
  problem "Docker does not answer (DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}). Rebuild the container, or start dockerd."
  exit 1
fi
# The compose example needs the CLI's Compose v2 plugin (the docker-in-docker feature installs it).
if compose_version="$(docker compose version --short 2>/dev/null)"; then
  say "docker compose $compose_version"
else
  problem "docker compose is missing (the compose example needs it): rebuild the container; its docker-in-docker feature installs Compose v2 (dockerDashComposeVersion v2)."
fi

# --- 1. qemu through binfmt_misc --------------------------------------------------
binfmt_enabled() { [ "$(head -n1 "$BINFMT/$1" 2>/dev/null)" = enabled ]; }

# The F flag makes the kernel open the interpreter now, so containers (which do not have
# /usr/bin/qemu-*-static in their own filesystem) can still run foreign binaries.
register_binfmt() {
  local name=$1 magic=$2 mask=$3 interpreter=$4
  if [ -e "$BINFMT/$name" ]; then
    as_root sh -c "echo 1 > $BINFMT/$name" && return 0
  fi
  if command -v update-binfmts >/dev/null 2>&1 && update-binfmts --display "$name" >/dev/null 2>&1; then
    as_root update-binfmts --enable "$name" >/dev/null 2>&1 && binfmt_enabled "$name" && return 0
  fi
  [ -x "$interpreter" ] || return 1
  as_root sh -c "printf '%s' ':$name:M::$magic:$mask:$interpreter:F' > $BINFMT/register"
}

if binfmt_enabled qemu-aarch64 && binfmt_enabled qemu-arm; then
  say "binfmt: qemu-aarch64 and qemu-arm already enabled"
else
  [ -e "$BINFMT/register" ] || as_root mount -t binfmt_misc binfmt_misc "$BINFMT" 2>/dev/null || true
  binfmt_enabled qemu-aarch64 ||
    register_binfmt qemu-aarch64 \
      '\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00' \
      '\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff' \
      /usr/bin/qemu-aarch64-static
  binfmt_enabled qemu-arm ||
    register_binfmt qemu-arm \
      '\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x28\x00' \
      '\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff' \
      /usr/bin/qemu-arm-static
  if binfmt_enabled qemu-aarch64 && binfmt_enabled qemu-arm; then
    say "binfmt: registered qemu-aarch64 and qemu-arm"
  else
    problem "binfmt: qemu-aarch64/qemu-arm are not registered. Fix: sudo apt-get install qemu-user-static binfmt-support && sudo update-binfmts --enable (the container must be privileged)"
  fi
fi

# --- 2. the course registry on localhost:5000 ---------------------------------------
registry_answers() {
  local code
  code="$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://$REGISTRY_ADDR/v2/" 2>/dev/null)"
  [ "$code" = 200 ] || [ "$code" = 401 ]
}

if registry_answers; then
  say "registry: something already answers on $REGISTRY_ADDR; left alone"
else
  started=0
  role="$(docker container inspect --format '{{index .Config.Labels "bct.role"}}' "$REGISTRY_NAME" 2>/dev/null)"
  if [ "$role" = course-registry ]; then
    docker start "$REGISTRY_NAME" >/dev/null && started=1 &&
      say "registry: started the existing course registry container '$REGISTRY_NAME'"
  elif docker container inspect "$REGISTRY_NAME" >/dev/null 2>&1; then
    problem "registry: a container named '$REGISTRY_NAME' exists, is not the course's, and does not answer on $REGISTRY_ADDR; left alone. Fix: start it (docker start $REGISTRY_NAME) or remove it, then run this script again"
  elif docker run -d --restart unless-stopped --name "$REGISTRY_NAME" --label bct.role=course-registry \
    -p "$REGISTRY_ADDR:5000" "$REGISTRY_IMAGE" >/dev/null; then
    started=1
    say "registry: started $REGISTRY_IMAGE on $REGISTRY_ADDR (container '$REGISTRY_NAME', restarts with dockerd)"
  else
    problem "registry: could not start $REGISTRY_IMAGE. Offline? Load the course images first (pnpm images load <file>), then: docker run -d --restart unless-stopped -p 5000:5000 --name registry $REGISTRY_IMAGE"
  fi
  if [ "$started" = 1 ]; then
    for _ in $(seq 1 30); do registry_answers && break; sleep 0.5; done
    registry_answers || problem "registry: started, but nothing answers on http://$REGISTRY_ADDR/v2/ (docker logs $REGISTRY_NAME)"
  fi
fi

# --- 3. a buildx builder for the three platforms ---------------------------------------
# The docker driver builds several platforms only with the containerd image store; its
# BuildKit then runs foreign binaries through the host's binfmt entries (its own probe may
# leave linux/arm/v7 out of the platform list even though the build works).
builder_can_build() {
  local text driver listed platform entry
  text="$(docker buildx inspect ${1:+"$1"} 2>/dev/null)" || return 1
  driver="$(awk '/^Driver:/ { print $2; exit }' <<<"$text")"
  listed="$(awk -F: '/^Platforms:/ { print $2 }' <<<"$text" | tr -d ' *' | tr ',' '\n')"
  case "$driver" in
    docker) docker info --format '{{json .DriverStatus}}' 2>/dev/null | grep -q io.containerd.snapshotter || return 1 ;;
    # BuildKit in its own container reaches localhost:5000 only on the host's network (docker/buildx#94).
    docker-container) grep -Eq '^Driver Options:.*network="?host' <<<"$text" || return 1 ;;
    *) return 1 ;;
  esac
  for platform in "${PLATFORMS[@]}"; do
    grep -qx "$platform" <<<"$listed" && continue
    case "$driver:$platform" in
      docker:linux/arm64) entry=qemu-aarch64 ;;
      docker:linux/arm/v7) entry=qemu-arm ;;
      *) return 1 ;;
    esac
    binfmt_enabled "$entry" || return 1
  done
}

if ! docker buildx version >/dev/null 2>&1; then
  problem "buildx: the docker buildx plugin is missing. Fix: sudo apt-get install docker-buildx (or rebuild the container: the docker-in-docker feature installs it)"
elif builder_can_build ""; then
  say "buildx: the current builder ($(docker buildx inspect | awk '/^Name:/ { print $2; exit }')) builds ${PLATFORMS[*]}; kept"
elif builder_can_build default; then
  docker buildx use default && say "buildx: switched to the default builder, which builds ${PLATFORMS[*]}"
elif docker buildx inspect "$BUILDER" 2>/dev/null | grep -Eq '^Driver Options:.*network="?host'; then
  docker buildx use "$BUILDER" && docker buildx inspect --bootstrap "$BUILDER" >/dev/null 2>&1 &&
    say "buildx: using the existing builder $BUILDER" ||
    problem "buildx: the builder $BUILDER does not start. Fix: docker buildx rm $BUILDER, then run this script again"
# An older post-start made $BUILDER off the host's network, where localhost:5000 is not the registry.
elif { ! docker buildx inspect "$BUILDER" >/dev/null 2>&1 || docker buildx rm "$BUILDER" >/dev/null 2>&1; } &&
  docker buildx create --name "$BUILDER" --driver docker-container --driver-opt network=host \
  --platform "$(IFS=,; echo "${PLATFORMS[*]}")" --use --bootstrap >/dev/null 2>&1; then
  say "buildx: created the docker-container builder $BUILDER (on the host's network, so it reaches localhost:5000) for ${PLATFORMS[*]} and made it the default"
else
  problem "buildx: could not create a docker-container builder (it pulls moby/buildkit; offline?). Fix: docker buildx create --name $BUILDER --driver docker-container --driver-opt network=host --platform $(IFS=,; echo "${PLATFORMS[*]}") --use --bootstrap"
fi

# --- 4. the course images ------------------------------------------------------------
hub_code="$(curl -s -o /dev/null -m 5 -w '%{http_code}' https://registry-1.docker.io/v2/ 2>/dev/null)"
if [ "$hub_code" = 000 ] || [ -z "$hub_code" ]; then
  say "images: Docker Hub is not reachable (offline?); skipped pre-pulling. With a tarball from your trainer: pnpm images load <file>"
elif [ ! -d node_modules ]; then
  say "images: dependencies are not installed yet; skipped pre-pulling. Run: pnpm install && pnpm images pull"
else
  pnpm images pull || say "images: some course images could not be pulled; pnpm exec doctor shows which"
fi

exit "$failed"
