#!/usr/bin/env bash
# Post-build smoke check (run by .ci/build-standins.sh): REF PLATFORMS
set -euo pipefail
docker run --rm "$1" --version | grep -q '^registry '
name="bct-standin-check-registry-$$"
trap 'docker rm -f -v "$name" >/dev/null 2>&1 || true' EXIT
docker run -d --name "$name" "$1" >/dev/null
for i in $(seq 1 40); do
  docker exec "$name" bash -c 'exec 3<>/dev/tcp/127.0.0.1/5000' 2>/dev/null && exit 0
  sleep 0.25
done
echo "registry did not listen on :5000" >&2; docker logs "$name" >&2; exit 1
