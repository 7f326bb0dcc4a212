#!/usr/bin/env bash
# Post-build smoke check (run by .ci/build-standins.sh): REF PLATFORMS
set -euo pipefail
name="bct-standin-check-nginx-$$"
trap 'docker rm -f "$name" >/dev/null 2>&1 || true' EXIT
docker run -d --name "$name" "$1" >/dev/null
for i in $(seq 1 20); do
  docker exec "$name" bash -c "exec 3<>/dev/tcp/127.0.0.1/80; printf 'GET / HTTP/1.0\r\n\r\n' >&3; cat <&3" 2>/dev/null | grep -q 'Welcome to nginx!' && break
  [ "$i" = 20 ] && { echo "no welcome page" >&2; exit 1; }
  sleep 0.25
done
start="$(date +%s%N)"
docker stop "$name" >/dev/null
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 2000 ] || { echo "docker stop took ${ms} ms" >&2; exit 1; }
