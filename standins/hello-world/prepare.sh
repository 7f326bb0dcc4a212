#!/usr/bin/env bash
# Puts hello-amd64, hello-arm64 and hello-armv7 in the build context: the binaries
# docker-library/hello-world publishes, from $UPSTREAM_DIR. Where they are absent, the model
# (Dockerfile.model: hello.c built by the gcc stand-in) takes the Dockerfile's place, for
# linux/amd64 only (the .platforms file narrows the build).
# Usage: prepare.sh CONTEXT_DIR   (env: UPSTREAM_DIR)
set -euo pipefail
ctx="$1"
if [ -z "${UPSTREAM_DIR:-}" ]; then
  mv "$ctx/Dockerfile.model" "$ctx/Dockerfile"
  echo linux/amd64 >"$ctx/.platforms"
  exit 0
fi
for pair in amd64:amd64 arm64:arm64v8 armv7:arm32v7; do
  install -m 0755 "$UPSTREAM_DIR/${pair#*:}/hello" "$ctx/hello-${pair%%:*}"
done
rm -f "$ctx/Dockerfile.model" "$ctx/hello.c"
