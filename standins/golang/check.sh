#!/usr/bin/env bash
# Post-build smoke check (run by .ci/build-standins.sh): REF PLATFORMS
set -euo pipefail
docker run --rm "$1" sh -c '
  set -e
  go version | grep -q "go1\.27"
  mkdir -p /tmp/m && cd /tmp/m
  printf "module m\n\ngo 1.27\n" >go.mod
  printf "package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"ok\") }\n" >main.go
  CGO_ENABLED=0 go build -o m . && ./m | grep -qx ok'
